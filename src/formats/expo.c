/*
 * src/formats/ holds parsers of other people's formats: the Prometheus and
 * OpenMetrics text (this file), router profiles, access-log formats and the
 * Prometheus HTTP API's answers. They turn bytes into plain structs and
 * located errors; they never touch the screen and never print, and every
 * one of them is fuzzed.
 *
 * This file reads the Prometheus text exposition (0.0.4) and OpenMetrics
 * 1.0 text. How it stays fast (a 10 MB Envoy exposition in tens of ms):
 *  - the body is cut into lines with memchr and each line is parsed in
 *    place between two pointers; nothing is copied but label values that
 *    hold escapes;
 *  - nothing is allocated per sample: series, names, families and label
 *    sets live in arrays that grow by doubling, strings in a chunked arena,
 *    and a later parse reuses all of it;
 *  - metric names and label sets are interned through open-addressing hash
 *    tables, with a one-entry cache for the previous line (a histogram's
 *    bucket lines share their name and labels);
 *  - numbers take a fast exact path (an integer mantissa times a power of
 *    ten, exact in a double) and fall back to strtod only when that path
 *    cannot be exact.
 */
#include "config.h"

#include "formats/expo.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define EXPO_CHUNK ((size_t)64 << 10)
#define EXPO_NUMBER_TEXT_MAX 512	/* a number longer than this is an error */
#define EXPO_TS_LIMIT 9.2e18		/* |timestamp in ms| must stay below this (int64) */

struct expo_chunk {
	struct expo_chunk *next;
	size_t size;
	char data[];
};

/* Strings that live as long as one parse; chunks are kept for the next one. */
struct expo_arena {
	struct expo_chunk *first, *cur;
	size_t used;
};

/* Open addressing with linear probing; a slot holds id + 1, 0 is empty. */
struct expo_table {
	uint32_t *slot;
	size_t cap;		/* a power of two, or 0 */
	size_t count;
};

struct expo_name {
	const char *str;
	uint32_t len;
	uint32_t hash;
};

/* Where a family's HELP, TYPE and UNIT lines were: the number of series before them. */
enum expo_meta { META_HELP, META_TYPE, META_UNIT, META_KINDS };
#define EXPO_NO_POS SIZE_MAX

struct expo_fam {
	struct expo_family pub;	/* first member: expo_family_at returns its address */
	uint32_t len, hash;
	bool has_samples;
	size_t pos[META_KINDS];	/* EXPO_NO_POS when the line was not there */
};

struct expo_lset {
	const char *key;	/* name\0value\0 ... sorted by name */
	uint32_t key_len, hash, first, n;
};

struct expo_pending_ts {	/* a timestamp as written, until the syntax is known */
	uint32_t series;
	double raw;
	size_t line;
};

/* One label of the line being parsed; value points into the body or vbuf. */
struct expo_scratch {
	const char *name;
	const char *value;
	uint32_t name_len, value_len;
};

struct expo {
	uint64_t seed;
	struct expo_arena arena;

	struct expo_series *series;
	size_t nseries, series_cap;
	struct expo_name *names;
	size_t nnames, names_cap;
	struct expo_fam *fams;
	size_t nfams, fams_cap;
	struct expo_lset *lsets;
	size_t nlsets, lsets_cap;
	struct expo_label *labels;
	size_t nlabels, labels_cap;
	struct expo_pending_ts *pts;
	size_t npts, pts_cap;

	struct expo_table name_tab, fam_tab, lset_tab, series_tab;

	uint32_t *by_name;	/* series indexes grouped by name */
	uint32_t *by_name_off;	/* nnames + 1 offsets into by_name */
	size_t by_name_cap, by_name_off_cap;

	/* Scratch for one line. */
	struct expo_scratch scratch[EXPO_LABELS_MAX];
	char *vbuf, *kbuf;
	size_t vbuf_cap, kbuf_cap;

	/* Caches of the previous sample line. */
	uint32_t last_name, last_lset, cur_fam;

	bool openmetrics;
	size_t nerrors;
	char errors[EXPO_ERRORS_KEPT][EXPO_ERR_LEN];
};

/* What one line is, while it is being parsed. */
struct expo_line {
	const char *p, *end;
	size_t no;
};

/* Characters of metric names (with ':') and of label names (without). */
enum { CH_NAME_START = 1, CH_NAME = 2, CH_LABEL_START = 4, CH_LABEL = 8 };
static const unsigned char expo_chars[256] = {
#define R4(c) [c] = CH_NAME_START | CH_NAME | CH_LABEL_START | CH_LABEL
	R4('_'),
	R4('a'), R4('b'), R4('c'), R4('d'), R4('e'), R4('f'), R4('g'), R4('h'), R4('i'),
	R4('j'), R4('k'), R4('l'), R4('m'), R4('n'), R4('o'), R4('p'), R4('q'), R4('r'),
	R4('s'), R4('t'), R4('u'), R4('v'), R4('w'), R4('x'), R4('y'), R4('z'),
	R4('A'), R4('B'), R4('C'), R4('D'), R4('E'), R4('F'), R4('G'), R4('H'), R4('I'),
	R4('J'), R4('K'), R4('L'), R4('M'), R4('N'), R4('O'), R4('P'), R4('Q'), R4('R'),
	R4('S'), R4('T'), R4('U'), R4('V'), R4('W'), R4('X'), R4('Y'), R4('Z'),
#undef R4
	[':'] = CH_NAME_START | CH_NAME,
	['0'] = CH_NAME | CH_LABEL, ['1'] = CH_NAME | CH_LABEL, ['2'] = CH_NAME | CH_LABEL,
	['3'] = CH_NAME | CH_LABEL, ['4'] = CH_NAME | CH_LABEL, ['5'] = CH_NAME | CH_LABEL,
	['6'] = CH_NAME | CH_LABEL, ['7'] = CH_NAME | CH_LABEL, ['8'] = CH_NAME | CH_LABEL,
	['9'] = CH_NAME | CH_LABEL,
};

static const char *const expo_type_names[] = {
	[EXPO_UNTYPED] = "untyped", [EXPO_COUNTER] = "counter", [EXPO_GAUGE] = "gauge",
	[EXPO_HISTOGRAM] = "histogram", [EXPO_GAUGE_HISTOGRAM] = "gaugehistogram",
	[EXPO_SUMMARY] = "summary", [EXPO_STATESET] = "stateset", [EXPO_INFO] = "info",
};

/* Which suffixes a sample of each type may add to its family's name. */
static const char *const expo_suffixes[][5] = {
	[EXPO_UNTYPED] = { "", NULL },
	[EXPO_COUNTER] = { "", "_total", "_created", NULL },
	[EXPO_GAUGE] = { "", NULL },
	[EXPO_HISTOGRAM] = { "_bucket", "_count", "_sum", "_created", NULL },
	[EXPO_GAUGE_HISTOGRAM] = { "_bucket", "_gcount", "_gsum", NULL },
	[EXPO_SUMMARY] = { "", "_count", "_sum", "_created", NULL },
	[EXPO_STATESET] = { "", NULL },
	[EXPO_INFO] = { "_info", NULL },
};

const char *expo_type_name(enum expo_type type)
{
	return (unsigned)type < sizeof(expo_type_names) / sizeof(expo_type_names[0])
		       ? expo_type_names[type]
		       : "untyped";
}

/* ---- memory ---- */

static void *expo_grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap != 0 ? *cap : 16;

	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	*cap = c;
	return xrealloc(p, c * elem);
}

#define EXPO_RESERVE(e, arr, n, cap, extra) \
	((e)->arr = expo_grow((e)->arr, &(e)->cap, (e)->n + (extra), sizeof(*(e)->arr)))

static char *arena_alloc(struct expo_arena *a, size_t n)
{
	struct expo_chunk *c;

	if (a->cur != NULL && a->cur->size - a->used >= n) {
		a->used += n;
		return a->cur->data + a->used - n;
	}
	if (a->cur != NULL && a->cur->next != NULL && a->cur->next->size >= n) {
		a->cur = a->cur->next;
	} else {
		size_t size = n > EXPO_CHUNK ? n : EXPO_CHUNK;

		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		if (a->cur == NULL) {
			c->next = a->first;
			a->first = c;
		} else {
			c->next = a->cur->next;
			a->cur->next = c;
		}
		a->cur = c;
	}
	a->used = n;
	return a->cur->data;
}

static const char *arena_strndup(struct expo_arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void arena_reset(struct expo_arena *a)
{
	a->cur = a->first;
	a->used = 0;
}

static void arena_free(struct expo_arena *a)
{
	struct expo_chunk *c = a->first, *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

/* ---- hashing ---- */

static uint64_t expo_mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

/* Eight bytes at a time; the per-object seed keeps hostile collisions unlikely. */
static uint32_t expo_hash(uint64_t seed, const char *p, size_t n)
{
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL), w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
	}
	return (uint32_t)expo_mix(h);
}

static void table_reset(struct expo_table *t)
{
	if (t->cap > 0)
		memset(t->slot, 0, t->cap * sizeof(*t->slot));
	t->count = 0;
}

/* Make room for one more entry; rehash with hash_of(ctx, id) when growing. */
static void table_reserve(struct expo_table *t, uint32_t (*hash_of)(const struct expo *, uint32_t),
			  const struct expo *e)
{
	size_t cap = t->cap != 0 ? t->cap * 2 : 1024;
	uint32_t *slot;

	if ((t->count + 1) * 2 <= t->cap)
		return;
	slot = xcalloc(cap, sizeof(*slot));
	for (size_t i = 0; i < t->cap; i++) {
		uint32_t id = t->slot[i];
		size_t j;

		if (id == 0)
			continue;
		for (j = hash_of(e, id - 1) & (cap - 1); slot[j] != 0; j = (j + 1) & (cap - 1))
			;
		slot[j] = id;
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

static uint32_t name_hash_of(const struct expo *e, uint32_t id)
{
	return e->names[id].hash;
}

static uint32_t fam_hash_of(const struct expo *e, uint32_t id)
{
	return e->fams[id].hash;
}

static uint32_t lset_hash_of(const struct expo *e, uint32_t id)
{
	return e->lsets[id].hash;
}

static uint32_t series_hash(uint32_t name, uint32_t lset, double bound)
{
	uint64_t b;

	if (bound == 0.0)
		bound = 0.0;	/* -0 and 0 are one bucket */
	memcpy(&b, &bound, sizeof(b));
	return (uint32_t)expo_mix(((uint64_t)name << 32 | lset) * 0x9e3779b97f4a7c15ULL ^ b);
}

static uint32_t series_hash_of(const struct expo *e, uint32_t id)
{
	const struct expo_series *s = &e->series[id];

	return series_hash(s->name, s->labels, s->bound_kind != EXPO_BOUND_NONE ? s->bound : 0.0);
}

/* ---- errors ---- */

static void expo_error(struct expo *e, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void expo_error(struct expo *e, size_t line, const char *fmt, ...)
{
	va_list ap;
	char *m;
	int n;

	if (e->nerrors < EXPO_ERRORS_KEPT) {
		m = e->errors[e->nerrors];
		n = snprintf(m, EXPO_ERR_LEN, "line %zu: ", line);
		va_start(ap, fmt);
		if (n > 0 && (size_t)n < EXPO_ERR_LEN)
			vsnprintf(m + n, EXPO_ERR_LEN - (size_t)n, fmt, ap);
		va_end(ap);
	}
	e->nerrors++;
}

/* ---- numbers ---- */

static const double expo_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static bool expo_word_is(const char *p, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n && word[i] != '\0'; i++) {
		char c = p[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return i == n && word[i] == '\0';
}

/* strtod on a copy with the locale's decimal point, so "0.5" reads the same everywhere. */
static bool expo_strtod(const char *p, size_t n, double *out)
{
	char buf[EXPO_NUMBER_TEXT_MAX + 1], *end;
	const char *point = localeconv()->decimal_point;

	if (n > EXPO_NUMBER_TEXT_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		/* strtod reads hex, "infinity" and "nan(...)" too; Go's ParseFloat, which
		 * Prometheus uses, takes decimal, hex with a 'p' exponent, inf and nan. */
		if (c == '.' && point[0] != '\0' && point[1] == '\0')
			c = point[0];
		else if (c == '(' || c == ')' || c == ' ')
			return false;
		buf[i] = c;
	}
	buf[n] = '\0';
	*out = strtod(buf, &end);
	return end == buf + n && n > 0;
}

/*
 * Read the number in [p, p + n). The fast path is exact: a mantissa below
 * 2^53 scaled by a power of ten up to 1e22 is one correctly rounded
 * operation, the same double strtod gives.
 */
static bool expo_number(const char *p, size_t n, double *out)
{
	const char *s = p, *end = p + n;
	uint64_t m = 0;
	int digits = 0, scale = 0, exp = 0;
	bool neg = false, any = false;

	if (s < end && (*s == '+' || *s == '-'))
		neg = *s++ == '-';
	if (s < end && (*s == 'n' || *s == 'N' || *s == 'i' || *s == 'I')) {
		if (expo_word_is(s, (size_t)(end - s), "nan")) {
			*out = NAN;
			return true;
		}
		if (expo_word_is(s, (size_t)(end - s), "inf") ||
		    expo_word_is(s, (size_t)(end - s), "infinity")) {
			*out = neg ? -INFINITY : INFINITY;
			return true;
		}
		return false;
	}
	for (; s < end && *s >= '0' && *s <= '9'; s++, any = true) {
		if (digits < 19) {
			m = m * 10 + (uint64_t)(*s - '0');
			digits += m != 0;
		} else {
			scale++;
			digits++;
		}
	}
	if (s < end && *s == '.') {
		for (s++; s < end && *s >= '0' && *s <= '9'; s++, any = true) {
			if (digits < 19) {
				m = m * 10 + (uint64_t)(*s - '0');
				digits += m != 0;
				scale--;
			} else {
				digits++;
			}
		}
	}
	if (!any)
		return expo_strtod(p, n, out);
	if (s < end && (*s == 'e' || *s == 'E')) {
		bool eneg = false;
		int ed = 0;

		s++;
		if (s < end && (*s == '+' || *s == '-'))
			eneg = *s++ == '-';
		for (; s < end && *s >= '0' && *s <= '9'; s++, ed++) {
			if (exp < 100000)
				exp = exp * 10 + (*s - '0');
		}
		if (ed == 0)
			return false;
		if (eneg)
			exp = -exp;
	}
	if (s != end)
		return expo_strtod(p, n, out);
	scale += exp;
	if (digits > 19 || m > ((uint64_t)1 << 53) || scale < -22 || scale > 22)
		return expo_strtod(p, n, out);
	*out = scale < 0 ? (double)m / expo_pow10[-scale] : (double)m * expo_pow10[scale];
	if (neg)
		*out = -*out;
	return true;
}

void expo_format_number(char buf[EXPO_NUMBER_LEN], double v)
{
	const char *point = localeconv()->decimal_point;
	double back;

	if (isnan(v)) {
		strcpy(buf, "NaN");
		return;
	}
	if (isinf(v)) {
		strcpy(buf, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, EXPO_NUMBER_LEN, "%.*g", prec, v);
		if (point[0] != '.' && point[0] != '\0') {
			char *c = strchr(buf, point[0]);

			if (c != NULL)
				*c = '.';
		}
		if (expo_number(buf, strlen(buf), &back) && back == v)
			return;
	}
}

/* ---- names and families ---- */

static uint32_t expo_intern_name(struct expo *e, const char *s, size_t n)
{
	uint32_t h = expo_hash(e->seed, s, n), id;
	size_t mask, i;

	table_reserve(&e->name_tab, name_hash_of, e);
	mask = e->name_tab.cap - 1;
	for (i = h & mask; (id = e->name_tab.slot[i]) != 0; i = (i + 1) & mask) {
		const struct expo_name *nm = &e->names[id - 1];

		if (nm->hash == h && nm->len == n && memcmp(nm->str, s, n) == 0)
			return id - 1;
	}
	EXPO_RESERVE(e, names, nnames, names_cap, 1);
	e->names[e->nnames] = (struct expo_name){
		.str = arena_strndup(&e->arena, s, n), .len = (uint32_t)n, .hash = h,
	};
	e->name_tab.slot[i] = (uint32_t)++e->nnames;
	e->name_tab.count++;
	return (uint32_t)(e->nnames - 1);
}

static uint32_t expo_find_fam(const struct expo *e, const char *s, size_t n)
{
	uint32_t h = expo_hash(e->seed, s, n), id;
	size_t mask, i;

	if (e->fam_tab.cap == 0)
		return EXPO_NONE;
	mask = e->fam_tab.cap - 1;
	for (i = h & mask; (id = e->fam_tab.slot[i]) != 0; i = (i + 1) & mask) {
		const struct expo_fam *f = &e->fams[id - 1];

		if (f->hash == h && f->len == n && memcmp(f->pub.name, s, n) == 0)
			return id - 1;
	}
	return EXPO_NONE;
}

static uint32_t expo_add_fam(struct expo *e, const char *s, size_t n)
{
	uint32_t h = expo_hash(e->seed, s, n);
	size_t mask, i;

	table_reserve(&e->fam_tab, fam_hash_of, e);
	mask = e->fam_tab.cap - 1;
	for (i = h & mask; e->fam_tab.slot[i] != 0; i = (i + 1) & mask)
		;
	EXPO_RESERVE(e, fams, nfams, fams_cap, 1);
	e->fams[e->nfams] = (struct expo_fam){
		.pub = { .name = arena_strndup(&e->arena, s, n), .help = "", .unit = "" },
		.len = (uint32_t)n, .hash = h,
		.pos = { EXPO_NO_POS, EXPO_NO_POS, EXPO_NO_POS },
	};
	e->fam_tab.slot[i] = (uint32_t)++e->nfams;
	e->fam_tab.count++;
	return (uint32_t)(e->nfams - 1);
}

static bool expo_suffix_allowed(enum expo_type type, const char *suffix, size_t n)
{
	for (const char *const *s = expo_suffixes[type]; *s != NULL; s++) {
		if (strlen(*s) == n && memcmp(*s, suffix, n) == 0)
			return true;
	}
	return false;
}

/* The length of the suffix that ends name [s, s + n), 0 when none does (at most one can). */
static size_t expo_suffix_len(const char *s, size_t n)
{
	static const char *const suffixes[] = {
		"_bucket", "_gcount", "_created", "_total", "_count", "_gsum", "_info", "_sum",
	};

	if (n < 5)
		return 0;
	switch (s[n - 1]) {
	case 't': case 'd': case 'l': case 'm': case 'o':
		break;
	default:
		return 0;
	}
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);

		if (n > sl && memcmp(s + n - sl, suffixes[i], sl) == 0)
			return sl;
	}
	return 0;
}

/*
 * The family of a sample named [s, s + n), or EXPO_NONE for a new untyped
 * family of that name. The rule depends only on the families that exist, not
 * on the order of lines: the name less its suffix, when that is a family
 * whose type has that suffix (foo_bucket of histogram foo); else a family of
 * exactly that name. The previous line's family is a shortcut to the same
 * answer.
 */
static uint32_t expo_family_of(const struct expo *e, const char *s, size_t n)
{
	size_t sl = expo_suffix_len(s, n);
	uint32_t f = e->cur_fam;

	if (f != EXPO_NONE) {
		const struct expo_fam *cf = &e->fams[f];

		if (n - sl == cf->len && memcmp(s, cf->pub.name, cf->len) == 0 &&
		    expo_suffix_allowed(cf->pub.type, s + cf->len, sl))
			return f;
	}
	if (sl > 0) {
		f = expo_find_fam(e, s, n - sl);
		if (f != EXPO_NONE && expo_suffix_allowed(e->fams[f].pub.type, s + n - sl, sl))
			return f;
	}
	return expo_find_fam(e, s, n);
}

/* ---- lines ---- */

static void skip_blank(struct expo_line *l)
{
	while (l->p < l->end && (*l->p == ' ' || *l->p == '\t'))
		l->p++;
}

/* A metric name at l->p: its length, 0 when there is none. */
static size_t scan_name(const struct expo_line *l, unsigned start, unsigned rest)
{
	const char *q = l->p;

	if (q >= l->end || !(expo_chars[(unsigned char)*q] & start))
		return 0;
	for (q++; q < l->end && (expo_chars[(unsigned char)*q] & rest); q++)
		;
	return (size_t)(q - l->p);
}

/* The token at l->p up to a blank or the end of the line. */
static size_t scan_token(const struct expo_line *l)
{
	const char *q = l->p;

	while (q < l->end && *q != ' ' && *q != '\t')
		q++;
	return (size_t)(q - l->p);
}

/* Unescape HELP text (\\ and \n; OpenMetrics also \") into the arena. */
static const char *expo_help_text(struct expo *e, const char *s, size_t n)
{
	char *d = arena_alloc(&e->arena, n + 1), *o = d;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\\' || s[i + 1] == 'n' ||
						  s[i + 1] == '"')) {
			i++;
			*o++ = s[i] == 'n' ? '\n' : s[i];
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return d;
}

static bool expo_parse_type(const char *s, size_t n, enum expo_type *out)
{
	static const struct {
		const char *word;
		enum expo_type type;
	} words[] = {
		{ "counter", EXPO_COUNTER }, { "gauge", EXPO_GAUGE },
		{ "histogram", EXPO_HISTOGRAM }, { "gaugehistogram", EXPO_GAUGE_HISTOGRAM },
		{ "summary", EXPO_SUMMARY }, { "stateset", EXPO_STATESET },
		{ "info", EXPO_INFO }, { "untyped", EXPO_UNTYPED }, { "unknown", EXPO_UNTYPED },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i].word) == n && memcmp(words[i].word, s, n) == 0) {
			*out = words[i].type;
			return true;
		}
	}
	return false;
}

/* Apply a HELP, TYPE or UNIT line for [name, name + n); the rest of the line is at l->p. */
static void expo_meta_value(struct expo *e, struct expo_line *l, const char *name, size_t n,
			    enum expo_meta kind)
{
	static const char *const words[] = { "HELP", "TYPE", "UNIT" };
	uint32_t f = expo_find_fam(e, name, n);
	struct expo_fam *fam;
	enum expo_type type = EXPO_UNTYPED;

	if (f != EXPO_NONE && e->fams[f].pos[kind] != EXPO_NO_POS) {
		expo_error(e, l->no, "a second %s for %.*s", words[kind], (int)n, name);
		return;
	}
	if (kind == META_TYPE) {
		if (!expo_parse_type(l->p, scan_token(l), &type)) {
			expo_error(e, l->no, "unknown metric type after TYPE %.*s", (int)n, name);
			return;
		}
		if (f != EXPO_NONE && e->fams[f].has_samples) {
			expo_error(e, l->no, "TYPE for %.*s after its samples", (int)n, name);
			return;
		}
	}
	if (f == EXPO_NONE)
		f = expo_add_fam(e, name, n);
	fam = &e->fams[f];
	fam->pos[kind] = e->nseries;
	if (kind == META_HELP) {
		fam->pub.help = expo_help_text(e, l->p, (size_t)(l->end - l->p));
	} else if (kind == META_UNIT) {
		fam->pub.unit = arena_strndup(&e->arena, l->p, scan_token(l));
	} else {
		fam->pub.type = type;
		fam->pub.typed = true;
	}
	e->cur_fam = f;
}

/* A comment line: HELP, TYPE, UNIT and EOF mean something, anything else is skipped. */
static int expo_comment(struct expo *e, struct expo_line *l)
{
	static const char *const words[] = { "HELP", "TYPE", "UNIT" };
	const char *name;
	size_t n, wn;

	l->p++;	/* '#' */
	skip_blank(l);
	wn = scan_token(l);
	if (wn == 3 && memcmp(l->p, "EOF", 3) == 0 && l->p + 3 == l->end)
		return 1;
	for (int k = 0; k < META_KINDS; k++) {
		if (wn != 4 || memcmp(l->p, words[k], 4) != 0)
			continue;
		l->p += 4;
		if (l->p < l->end && *l->p != ' ' && *l->p != '\t')
			break;	/* "# HELPER ..." is a comment */
		skip_blank(l);
		name = l->p;
		n = scan_name(l, CH_NAME_START, CH_NAME);
		if (n == 0 || (l->p + n < l->end && l->p[n] != ' ' && l->p[n] != '\t')) {
			expo_error(e, l->no, "expected a metric name after %s", words[k]);
			return 0;
		}
		l->p += n;
		skip_blank(l);
		expo_meta_value(e, l, name, n, (enum expo_meta)k);
		return 0;
	}
	return 0;
}

/* A label value at l->p (just past the opening quote), unescaped when needed. */
static bool expo_label_value(struct expo *e, struct expo_line *l, struct expo_scratch *sc,
			     char **vout)
{
	const char *q = memchr(l->p, '"', (size_t)(l->end - l->p)), *start = l->p;
	char *o;

	/* The usual value has neither escapes nor NUL: three fast scans of a short span. */
	if (q != NULL && memchr(start, '\\', (size_t)(q - start)) == NULL &&
	    memchr(start, '\0', (size_t)(q - start)) == NULL) {
		sc->value = start;
		sc->value_len = (uint32_t)(q - start);
		l->p = q + 1;
		return true;
	}
	/* Escapes (or an error): copy into vbuf, which holds a line's worth. */
	o = *vout;
	sc->value = o;
	for (q = start; q < l->end && *q != '"'; q++) {
		if (*q == '\0') {
			expo_error(e, l->no, "a NUL byte in a label value");
			return false;
		}
		if (*q != '\\') {
			*o++ = *q;
			continue;
		}
		if (++q == l->end || (*q != '\\' && *q != '"' && *q != 'n')) {
			expo_error(e, l->no, "bad escape in a label value (\\\\, \\\" and \\n are allowed)");
			return false;
		}
		*o++ = *q == 'n' ? '\n' : *q;
	}
	if (q == l->end) {
		expo_error(e, l->no, "label value without its closing quote");
		return false;
	}
	sc->value_len = (uint32_t)(o - sc->value);
	*vout = o;
	l->p = q + 1;
	return true;
}

struct expo_sample_ctx {
	uint32_t fam;
	bool want_le, want_quantile;	/* this sample's le / quantile is its bound */
	bool strict;			/* that bound must be a number (typed family) */
	enum expo_bound bound_kind;
	double bound;
	int n;				/* scratch labels */
};

/* A label that is the bucket bound or the quantile: 1 taken, 0 a plain label, -1 error. */
static int expo_take_bound(struct expo *e, const struct expo_line *l, struct expo_sample_ctx *c,
			   const struct expo_scratch *sc)
{
	enum expo_bound kind;
	double v;

	if (c->want_le && sc->name_len == 2 && memcmp(sc->name, "le", 2) == 0)
		kind = EXPO_BOUND_LE;
	else if (c->want_quantile && sc->name_len == 8 && memcmp(sc->name, "quantile", 8) == 0)
		kind = EXPO_BOUND_QUANTILE;
	else
		return 0;
	if (!expo_number(sc->value, sc->value_len, &v) || isnan(v)) {
		if (!c->strict)
			return 0;
		expo_error(e, l->no, "%s is not a number", kind == EXPO_BOUND_LE ? "le" : "quantile");
		return -1;
	}
	if (c->bound_kind != EXPO_BOUND_NONE) {
		expo_error(e, l->no, "label %s given twice", kind == EXPO_BOUND_LE ? "le" : "quantile");
		return -1;
	}
	c->bound_kind = kind;
	c->bound = v == 0.0 ? 0.0 : v;
	return 1;
}

/* The label set between braces; l->p is just past '{'. Returns false after an error. */
static bool expo_label_set(struct expo *e, struct expo_line *l, struct expo_sample_ctx *c)
{
	char *vout = e->vbuf;

	for (;;) {
		struct expo_scratch *sc;
		size_t n;
		int took;

		skip_blank(l);
		if (l->p < l->end && *l->p == '}') {
			l->p++;
			return true;
		}
		n = scan_name(l, CH_LABEL_START, CH_LABEL);
		if (n == 0) {
			expo_error(e, l->no, "expected a label name or '}'");
			return false;
		}
		if (c->n == EXPO_LABELS_MAX) {
			expo_error(e, l->no, "more than %d labels", EXPO_LABELS_MAX);
			return false;
		}
		sc = &e->scratch[c->n];
		sc->name = l->p;
		sc->name_len = (uint32_t)n;
		l->p += n;
		skip_blank(l);
		if (l->p == l->end || *l->p != '=') {
			expo_error(e, l->no, "expected '=' after label %.*s", (int)n, sc->name);
			return false;
		}
		l->p++;
		skip_blank(l);
		if (l->p == l->end || *l->p != '"') {
			expo_error(e, l->no, "expected a quoted value for label %.*s", (int)n, sc->name);
			return false;
		}
		l->p++;
		if (!expo_label_value(e, l, sc, &vout))
			return false;
		took = expo_take_bound(e, l, c, sc);
		if (took < 0)
			return false;
		c->n += took == 0;
		skip_blank(l);
		if (l->p < l->end && *l->p == ',') {
			l->p++;	/* a trailing comma before '}' is fine (Micrometer writes one) */
			continue;
		}
		if (l->p < l->end && *l->p == '}') {
			l->p++;
			return true;
		}
		expo_error(e, l->no, "expected ',' or '}' after a label value");
		return false;
	}
}

static int scratch_cmp(const struct expo_scratch *a, const struct expo_scratch *b)
{
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int c = memcmp(a->name, b->name, n);

	return c != 0 ? c : (int)a->name_len - (int)b->name_len;
}

/* Sort the line's labels by name (insertion sort: a handful) and refuse a repeated name. */
static bool expo_sort_labels(struct expo *e, size_t line, struct expo_scratch *s, int n)
{
	for (int i = 1; i < n; i++) {
		struct expo_scratch t = s[i];
		int j = i;

		while (j > 0 && scratch_cmp(&s[j - 1], &t) > 0) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = t;
	}
	for (int i = 1; i < n; i++) {
		if (scratch_cmp(&s[i - 1], &s[i]) == 0) {
			expo_error(e, line, "label %.*s given twice", (int)s[i].name_len, s[i].name);
			return false;
		}
	}
	return true;
}

static uint32_t expo_add_lset(struct expo *e, size_t klen, uint32_t h, size_t slot_i, int n)
{
	const char *key = arena_strndup(&e->arena, e->kbuf, klen);
	const char *k = key;

	EXPO_RESERVE(e, labels, nlabels, labels_cap, (size_t)n);
	for (int i = 0; i < n; i++) {
		const char *v = k + strlen(k) + 1;

		e->labels[e->nlabels + (size_t)i] = (struct expo_label){ .name = k, .value = v };
		k = v + strlen(v) + 1;
	}
	EXPO_RESERVE(e, lsets, nlsets, lsets_cap, 1);
	e->lsets[e->nlsets] = (struct expo_lset){
		.key = key, .key_len = (uint32_t)klen, .hash = h,
		.first = (uint32_t)e->nlabels, .n = (uint32_t)n,
	};
	e->nlabels += (size_t)n;
	e->lset_tab.slot[slot_i] = (uint32_t)++e->nlsets;
	e->lset_tab.count++;
	return (uint32_t)(e->nlsets - 1);
}

/* The interned id of the line's labels (sorted into scratch). */
static uint32_t expo_intern_lset(struct expo *e, int n)
{
	size_t klen = 0, mask, i;
	uint32_t h, id;
	char *k = e->kbuf;

	for (int j = 0; j < n; j++) {
		const struct expo_scratch *s = &e->scratch[j];

		memcpy(k + klen, s->name, s->name_len);
		klen += s->name_len;
		k[klen++] = '\0';
		memcpy(k + klen, s->value, s->value_len);
		klen += s->value_len;
		k[klen++] = '\0';
	}
	if (e->last_lset != EXPO_NONE) {
		const struct expo_lset *ls = &e->lsets[e->last_lset];

		if (ls->key_len == klen && memcmp(ls->key, k, klen) == 0)
			return e->last_lset;
	}
	h = expo_hash(e->seed, k, klen);
	table_reserve(&e->lset_tab, lset_hash_of, e);
	mask = e->lset_tab.cap - 1;
	for (i = h & mask; (id = e->lset_tab.slot[i]) != 0; i = (i + 1) & mask) {
		const struct expo_lset *ls = &e->lsets[id - 1];

		if (ls->hash == h && ls->key_len == klen && memcmp(ls->key, k, klen) == 0)
			return e->last_lset = id - 1;
	}
	return e->last_lset = expo_add_lset(e, klen, h, i, n);
}

/* The value, optional timestamp and optional exemplar after the name and labels. */
static bool expo_value_part(struct expo *e, struct expo_line *l, bool had_labels, double *value,
			    bool *has_ts, double *ts)
{
	size_t n;

	skip_blank(l);
	n = scan_token(l);
	if (n == 0) {
		expo_error(e, l->no, "expected a value after the %s", had_labels ? "labels" : "name");
		return false;
	}
	if (!expo_number(l->p, n, value)) {
		expo_error(e, l->no, "the value is not a number");
		return false;
	}
	l->p += n;
	skip_blank(l);
	*has_ts = false;
	if (l->p < l->end && *l->p != '#') {
		n = scan_token(l);
		if (!expo_number(l->p, n, ts) || !(fabs(*ts) < EXPO_TS_LIMIT)) {
			expo_error(e, l->no, "expected a timestamp or the end of the line after the value");
			return false;
		}
		*has_ts = true;
		l->p += n;
		skip_blank(l);
	}
	/* An OpenMetrics exemplar (" # {trace_id=...} 1 123") is skipped whole. */
	if (l->p < l->end && *l->p != '#') {
		expo_error(e, l->no, "unexpected text after the value");
		return false;
	}
	return true;
}

/* Find the series (name, labels, bound) or add it; false on a duplicate. */
static bool expo_add_series(struct expo *e, size_t line, const struct expo_series *s)
{
	double b = s->bound_kind != EXPO_BOUND_NONE ? s->bound : 0.0;
	uint32_t h = series_hash(s->name, s->labels, b), id;
	size_t mask, i;

	table_reserve(&e->series_tab, series_hash_of, e);
	mask = e->series_tab.cap - 1;
	for (i = h & mask; (id = e->series_tab.slot[i]) != 0; i = (i + 1) & mask) {
		const struct expo_series *o = &e->series[id - 1];

		if (o->name == s->name && o->labels == s->labels &&
		    o->bound_kind == s->bound_kind && (o->bound_kind == EXPO_BOUND_NONE || o->bound == b)) {
			expo_error(e, line, "a second sample of series %s", e->names[s->name].str);
			return false;
		}
	}
	EXPO_RESERVE(e, series, nseries, series_cap, 1);
	e->series[e->nseries] = *s;
	e->series_tab.slot[i] = (uint32_t)++e->nseries;
	e->series_tab.count++;
	return true;
}

/* Which of this sample's labels is its bound, from its family and name. */
static void expo_bound_rules(const struct expo *e, struct expo_sample_ctx *c, const char *s,
			     size_t n)
{
	/* A sample of no family yet will found an untyped family of its own name. */
	const struct expo_fam *f = c->fam != EXPO_NONE ? &e->fams[c->fam] : NULL;
	enum expo_type t = f != NULL ? f->pub.type : EXPO_UNTYPED;
	bool bucket = n > 7 && memcmp(s + n - 7, "_bucket", 7) == 0;

	c->want_le = bucket && (t == EXPO_HISTOGRAM || t == EXPO_GAUGE_HISTOGRAM || t == EXPO_UNTYPED);
	c->want_quantile = (t == EXPO_SUMMARY || t == EXPO_UNTYPED) && (f == NULL || n == f->len);
	c->strict = t != EXPO_UNTYPED;
}

/* One sample line. Returns 0, or -1 when the series cap is reached. */
static int expo_sample(struct expo *e, struct expo_line *l, size_t series_max)
{
	struct expo_sample_ctx c = { .bound_kind = EXPO_BOUND_NONE, .bound = NAN };
	struct expo_series s;
	const char *name = l->p;
	size_t n = scan_name(l, CH_NAME_START, CH_NAME);
	bool had_labels = false, has_ts;
	double ts = 0;

	if (n == 0) {
		expo_error(e, l->no, "expected a metric name");
		return 0;
	}
	l->p += n;
	c.fam = expo_family_of(e, name, n);
	expo_bound_rules(e, &c, name, n);
	skip_blank(l);
	if (l->p < l->end && *l->p == '{') {
		l->p++;
		had_labels = true;
		if (!expo_label_set(e, l, &c))
			return 0;
	} else if (l->p == name + n && l->p < l->end) {
		expo_error(e, l->no, "unexpected character after the metric name");
		return 0;
	}
	if (!expo_value_part(e, l, had_labels, &s.value, &has_ts, &ts))
		return 0;
	if (!expo_sort_labels(e, l->no, e->scratch, c.n))
		return 0;
	if (e->nseries >= series_max)
		return -1;
	if (e->last_name != EXPO_NONE && e->names[e->last_name].len == n &&
	    memcmp(e->names[e->last_name].str, name, n) == 0)
		s.name = e->last_name;
	else
		s.name = e->last_name = expo_intern_name(e, name, n);
	if (c.fam == EXPO_NONE)
		c.fam = expo_add_fam(e, name, n);	/* no series of this name exists yet */
	s.family = c.fam;
	s.labels = expo_intern_lset(e, c.n);
	s.bound_kind = c.bound_kind;
	s.bound = c.bound;
	s.timestamp_ms = EXPO_NO_TIMESTAMP;
	if (!expo_add_series(e, l->no, &s))
		return 0;
	e->fams[c.fam].has_samples = true;
	e->cur_fam = c.fam;
	if (has_ts) {
		EXPO_RESERVE(e, pts, npts, pts_cap, 1);
		e->pts[e->npts++] = (struct expo_pending_ts){ (uint32_t)(e->nseries - 1), ts, l->no };
	}
	return 0;
}

/* ---- the whole body ---- */

static void expo_reset(struct expo *e)
{
	arena_reset(&e->arena);
	e->nseries = e->nnames = e->nfams = e->nlsets = e->nlabels = e->npts = 0;
	table_reset(&e->name_tab);
	table_reset(&e->fam_tab);
	table_reset(&e->lset_tab);
	table_reset(&e->series_tab);
	e->last_name = e->last_lset = e->cur_fam = EXPO_NONE;
	e->openmetrics = false;
	e->nerrors = 0;
}

/* After the body: timestamps to milliseconds, series grouped by name. */
static void expo_finish(struct expo *e)
{
	for (size_t i = 0; i < e->npts; i++) {
		double ms = e->openmetrics ? e->pts[i].raw * 1000.0 : e->pts[i].raw;

		/* Seconds that make too many milliseconds: the sample stays, its time goes. */
		if (!(fabs(ms) < EXPO_TS_LIMIT))
			expo_error(e, e->pts[i].line, "timestamp out of range");
		else
			e->series[e->pts[i].series].timestamp_ms = (int64_t)llround(ms);
	}
	e->by_name_off = expo_grow(e->by_name_off, &e->by_name_off_cap, e->nnames + 1,
				   sizeof(*e->by_name_off));
	e->by_name = expo_grow(e->by_name, &e->by_name_cap, e->nseries + 1, sizeof(*e->by_name));
	memset(e->by_name_off, 0, (e->nnames + 1) * sizeof(*e->by_name_off));
	for (size_t i = 0; i < e->nseries; i++)
		e->by_name_off[e->series[i].name + 1]++;
	for (size_t i = 0; i < e->nnames; i++)
		e->by_name_off[i + 1] += e->by_name_off[i];
	for (size_t i = 0; i < e->nseries; i++)
		e->by_name[e->by_name_off[e->series[i].name]++] = (uint32_t)i;
	/* The fill moved each offset to the next group's start: shift back. */
	for (size_t i = e->nnames; i > 0; i--)
		e->by_name_off[i] = e->by_name_off[i - 1];
	e->by_name_off[0] = 0;
}

static size_t expo_cap(size_t given, size_t dflt, size_t hard)
{
	size_t v = given != 0 ? given : dflt;

	return v < hard ? v : hard;
}

/* True when nothing but blanks and newlines is left in [p, end). */
static bool expo_only_space(const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return false;
	}
	return true;
}

/* One line between l->p and l->end. Returns 1 at # EOF, -1 at the series cap, else 0. */
static int expo_line(struct expo *e, struct expo_line *l, size_t series_max)
{
	skip_blank(l);
	if (l->p == l->end)
		return 0;
	if (*l->p == '#')
		return expo_comment(e, l);
	return expo_sample(e, l, series_max);
}

static void expo_scratch_reserve(struct expo *e, size_t line_len)
{
	e->vbuf = expo_grow(e->vbuf, &e->vbuf_cap, line_len + 1, 1);
	e->kbuf = expo_grow(e->kbuf, &e->kbuf_cap, line_len * 2 + 16, 1);
}

int expo_parse(struct expo *e, const char *text, size_t len, const struct expo_options *o,
	       char *err, size_t errlen)
{
	static const struct expo_options defaults = { .syntax = EXPO_SYNTAX_AUTO };
	size_t body_max, line_max, series_max, no = 0;
	const char *p = text, *end = text + len;
	int rc = 0;

	if (o == NULL)
		o = &defaults;
	body_max = expo_cap(o->body_max, EXPO_BODY_MAX, SIZE_MAX);
	line_max = expo_cap(o->line_max, EXPO_LINE_MAX, EXPO_LINE_HARD_MAX);
	series_max = expo_cap(o->series_max, EXPO_SERIES_MAX, (size_t)UINT32_MAX - 1);
	expo_reset(e);
	if (len > body_max) {
		str_printf(err, errlen, "body of %zu bytes is over the cap of %zu", len, body_max);
		return -1;
	}
	expo_scratch_reserve(e, len < line_max ? len : line_max);
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct expo_line l = { .p = p, .end = nl != NULL ? nl : end, .no = ++no };

		p = nl != NULL ? nl + 1 : end;
		if (l.end > l.p && l.end[-1] == '\r')
			l.end--;
		if ((size_t)(l.end - l.p) > line_max) {
			expo_error(e, l.no, "longer than %zu bytes", line_max);
			continue;
		}
		rc = expo_line(e, &l, series_max);
	}
	if (rc < 0) {
		str_printf(err, errlen, "line %zu: more than %zu series", no, series_max);
		expo_reset(e);
		return -1;
	}
	if (rc > 0) {
		e->openmetrics = true;
		if (!expo_only_space(p, end))
			expo_error(e, no + 1, "text after # EOF");
	}
	if (o->syntax != EXPO_SYNTAX_AUTO)
		e->openmetrics = o->syntax == EXPO_SYNTAX_OPENMETRICS;
	expo_finish(e);
	return 0;
}

/* ---- access ---- */

struct expo *expo_new(void)
{
	struct expo *e = xcalloc(1, sizeof(*e));

	e->seed = expo_mix((uint64_t)(uintptr_t)e ^ 0x2545f4914f6cdd1dULL);
	expo_reset(e);
	expo_finish(e);
	return e;
}

void expo_free(struct expo *e)
{
	if (e == NULL)
		return;
	arena_free(&e->arena);
	free(e->series);
	free(e->names);
	free(e->fams);
	free(e->lsets);
	free(e->labels);
	free(e->pts);
	free(e->name_tab.slot);
	free(e->fam_tab.slot);
	free(e->lset_tab.slot);
	free(e->series_tab.slot);
	free(e->by_name);
	free(e->by_name_off);
	free(e->vbuf);
	free(e->kbuf);
	free(e);
}

bool expo_is_openmetrics(const struct expo *e)
{
	return e->openmetrics;
}

size_t expo_error_count(const struct expo *e)
{
	return e->nerrors;
}

const char *expo_error_at(const struct expo *e, size_t i)
{
	return i < e->nerrors && i < EXPO_ERRORS_KEPT ? e->errors[i] : NULL;
}

size_t expo_series_count(const struct expo *e)
{
	return e->nseries;
}

const struct expo_series *expo_series_at(const struct expo *e, size_t i)
{
	return &e->series[i];
}

size_t expo_family_count(const struct expo *e)
{
	return e->nfams;
}

const struct expo_family *expo_family_at(const struct expo *e, uint32_t id)
{
	return &e->fams[id].pub;
}

uint32_t expo_family_find(const struct expo *e, const char *name)
{
	return expo_find_fam(e, name, strlen(name));
}

size_t expo_name_count(const struct expo *e)
{
	return e->nnames;
}

const char *expo_name(const struct expo *e, uint32_t id)
{
	return e->names[id].str;
}

uint32_t expo_name_find(const struct expo *e, const char *name)
{
	size_t n = strlen(name), mask, i;
	uint32_t h = expo_hash(e->seed, name, n), id;

	if (e->name_tab.cap == 0)
		return EXPO_NONE;
	mask = e->name_tab.cap - 1;
	for (i = h & mask; (id = e->name_tab.slot[i]) != 0; i = (i + 1) & mask) {
		const struct expo_name *nm = &e->names[id - 1];

		if (nm->hash == h && nm->len == n && memcmp(nm->str, name, n) == 0)
			return id - 1;
	}
	return EXPO_NONE;
}

const uint32_t *expo_series_named(const struct expo *e, uint32_t id, size_t *n)
{
	if (id == EXPO_NONE || id >= e->nnames) {
		*n = 0;
		return NULL;
	}
	*n = e->by_name_off[id + 1] - e->by_name_off[id];
	return e->by_name + e->by_name_off[id];
}

const struct expo_label *expo_labels(const struct expo *e, uint32_t id, size_t *n)
{
	*n = e->lsets[id].n;
	return *n > 0 ? e->labels + e->lsets[id].first : NULL;
}

const char *expo_label_get(const struct expo *e, uint32_t id, const char *name)
{
	const struct expo_lset *ls = &e->lsets[id];

	for (uint32_t i = 0; i < ls->n; i++) {
		if (strcmp(e->labels[ls->first + i].name, name) == 0)
			return e->labels[ls->first + i].value;
	}
	return NULL;
}

size_t expo_labelset_count(const struct expo *e)
{
	return e->nlsets;
}

/* ---- writing ---- */

static void buf_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	*buf = expo_grow(*buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void buf_puts(char **buf, size_t *len, size_t *cap, const char *s)
{
	buf_append(buf, len, cap, s, strlen(s));
}

void expo_append_escaped(char **buf, size_t *len, size_t *cap, const char *text, bool help)
{
	const char *run = text;

	for (const char *p = text;; p++) {
		const char *esc = NULL;

		if (*p == '\\')
			esc = "\\\\";
		else if (*p == '\n')
			esc = "\\n";
		else if (*p == '"' && !help)
			esc = "\\\"";
		if (esc == NULL && *p != '\0')
			continue;
		buf_append(buf, len, cap, run, (size_t)(p - run));
		if (*p == '\0')
			break;
		buf_puts(buf, len, cap, esc);
		run = p + 1;
	}
}

static void expo_write_series(const struct expo *e, const struct expo_series *s, char **buf,
			      size_t *len, size_t *cap)
{
	char num[EXPO_NUMBER_LEN];
	size_t nl;
	const struct expo_label *lab = expo_labels(e, s->labels, &nl);
	bool any = false;

	buf_puts(buf, len, cap, e->names[s->name].str);
	for (size_t i = 0; i < nl; i++) {
		buf_puts(buf, len, cap, any ? "," : "{");
		buf_puts(buf, len, cap, lab[i].name);
		buf_puts(buf, len, cap, "=\"");
		expo_append_escaped(buf, len, cap, lab[i].value, false);
		buf_puts(buf, len, cap, "\"");
		any = true;
	}
	if (s->bound_kind != EXPO_BOUND_NONE) {
		buf_puts(buf, len, cap, any ? "," : "{");
		buf_puts(buf, len, cap, s->bound_kind == EXPO_BOUND_LE ? "le=\"" : "quantile=\"");
		expo_format_number(num, s->bound);
		buf_puts(buf, len, cap, num);
		buf_puts(buf, len, cap, "\"");
		any = true;
	}
	if (any)
		buf_puts(buf, len, cap, "}");
	buf_puts(buf, len, cap, " ");
	expo_format_number(num, s->value);
	buf_puts(buf, len, cap, num);
	if (s->timestamp_ms != EXPO_NO_TIMESTAMP) {
		snprintf(num, sizeof(num), " %lld", (long long)s->timestamp_ms);
		buf_puts(buf, len, cap, num);
	}
	buf_puts(buf, len, cap, "\n");
}

static void expo_write_meta(const struct expo *e, const struct expo_fam *fam, enum expo_meta kind,
			    char **buf, size_t *len, size_t *cap)
{
	static const char *const words[] = { "# HELP ", "# TYPE ", "# UNIT " };

	(void)e;
	buf_puts(buf, len, cap, words[kind]);
	buf_puts(buf, len, cap, fam->pub.name);
	buf_puts(buf, len, cap, " ");
	if (kind == META_HELP)
		expo_append_escaped(buf, len, cap, fam->pub.help, true);
	else if (kind == META_TYPE)
		buf_puts(buf, len, cap, expo_type_name(fam->pub.type));
	else
		buf_puts(buf, len, cap, fam->pub.unit);
	buf_puts(buf, len, cap, "\n");
}

struct expo_meta_at {
	size_t pos;
	uint32_t fam;
	enum expo_meta kind;
};

static int meta_at_cmp(const void *pa, const void *pb)
{
	const struct expo_meta_at *a = pa, *b = pb;

	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	if (a->fam != b->fam)
		return a->fam < b->fam ? -1 : 1;
	return (int)a->kind - (int)b->kind;
}

/*
 * The series in the body's order, each HELP, TYPE and UNIT line where it
 * was among them: which family a sample belongs to depends on the families
 * that existed when it was read, so the order is what makes the text parse
 * back to the same series.
 */
char *expo_to_text(const struct expo *e, size_t *len)
{
	struct expo_meta_at *meta = xmalloc((e->nfams * META_KINDS + 1) * sizeof(*meta));
	size_t nmeta = 0, cap = 0, m = 0;
	char *buf = NULL;

	*len = 0;
	buf_append(&buf, len, &cap, "", 0);
	for (uint32_t f = 0; f < e->nfams; f++) {
		for (int k = 0; k < META_KINDS; k++) {
			if (e->fams[f].pos[k] != EXPO_NO_POS)
				meta[nmeta++] = (struct expo_meta_at){ e->fams[f].pos[k], f,
								       (enum expo_meta)k };
		}
	}
	qsort(meta, nmeta, sizeof(*meta), meta_at_cmp);
	for (size_t i = 0; i <= e->nseries; i++) {
		for (; m < nmeta && meta[m].pos == i; m++)
			expo_write_meta(e, &e->fams[meta[m].fam], meta[m].kind, &buf, len, &cap);
		if (i < e->nseries)
			expo_write_series(e, &e->series[i], &buf, len, &cap);
	}
	free(meta);
	return buf;
}
