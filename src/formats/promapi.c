/*
 * The Prometheus HTTP API answer reader (see promapi.h): a single pass over
 * the JSON text that knows the answer's shape, decodes what it keeps
 * straight into the answer's arrays and skips the rest, so a thousand
 * series cost no tree and no allocation per value. Errors name the byte
 * and the place in the answer; the parser never reads past len.
 */
#include "formats/promapi.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "sanitize.h"
#include "util.h"

#define PA_KEY_LEN 32
#define PA_NUMBER_MAX 400	/* a float written in full ('f' format) is at most ~330 bytes */

enum pa_shape { PA_SHAPE_NONE, PA_SHAPE_EMPTY, PA_SHAPE_SERIES, PA_SHAPE_PAIR };

struct pa {
	const char *start, *p, *end;
	struct promapi_answer *a;
	char *err;
	size_t errlen;
	bool failed;
	enum pa_shape shape;
	bool any_matrix;	/* a series came with "values" */
	bool pair_numeric;	/* PA_SHAPE_PAIR: its value is a number */
	size_t si;		/* the series being read: "[]" in a message is "[si]" */
};

static int pa_fail(struct pa *P, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int pa_fail(struct pa *P, const char *fmt, ...)
{
	char what[200], *hole;
	va_list ap;

	if (P->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* Places inside a series are written "data.result[].x": the index goes in only now. */
	hole = strstr(what, "result[]");
	if (hole != NULL) {
		char rest[200];

		snprintf(rest, sizeof(rest), "%s", hole + 8);
		snprintf(hole, sizeof(what) - (size_t)(hole - what), "result[%zu]%s", P->si, rest);
	}
	str_printf(P->err, P->errlen, "byte %zu: %s", (size_t)(P->p - P->start), what);
	/* A member name in it is the server's text. */
	sanitize_in_place(P->err, 0);
	P->failed = true;
	return -1;
}

static void pa_ws(struct pa *P)
{
	while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\n' || *P->p == '\r'))
		P->p++;
}

static char pa_peek(struct pa *P)
{
	pa_ws(P);
	return P->p < P->end ? *P->p : '\0';
}

static bool pa_eat(struct pa *P, char c)
{
	if (pa_peek(P) != c)
		return false;
	P->p++;
	return true;
}

/* ---- strings ---- */

static int pa_hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Append bytes to a bounded buffer, remembering when they did not fit. */
struct pa_sink {
	char *buf;
	size_t cap, len;	/* room for cap - 1 bytes and a NUL */
	bool cut;
};

static void pa_sink_put(struct pa_sink *s, const char *b, size_t n)
{
	size_t room = s->cap - 1 - s->len;

	if (s->cut)
		return;	/* nothing after a cut, or the text would have a hole */
	if (n > room) {
		s->cut = true;
		/* Cut between characters: drop continuation bytes at the cut. */
		while (room > 0 && n > room && ((unsigned char)b[room] & 0xc0) == 0x80)
			room--;
		n = room;
	}
	memcpy(s->buf + s->len, b, n);
	s->len += n;
}

static void pa_sink_cp(struct pa_sink *s, unsigned cp)
{
	char b[4];
	size_t n;

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;	/* a NUL would end the C string; a lone surrogate is no character */
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (s->cut || s->cap - 1 - s->len < n) {
		s->cut = true;
		return;
	}
	pa_sink_put(s, b, n);
}

/* One escape after the backslash at P->p - 1; P->p is on the escape letter. */
static int pa_escape(struct pa *P, struct pa_sink *s, const char *what)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	unsigned cp, lo;

	if (P->p >= P->end)
		return pa_fail(P, "%s: unterminated string", what);
	hit = strchr(from, *P->p);
	if (*P->p != '\0' && hit != NULL) {
		pa_sink_put(s, &to[hit - from], 1);
		P->p++;
		return 0;
	}
	if (*P->p != 'u' || P->end - P->p < 5 || pa_hex4(P->p + 1, &cp) != 0)
		return pa_fail(P, "%s: bad escape in a string", what);
	P->p += 5;
	if (cp >= 0xd800 && cp <= 0xdbff && P->end - P->p >= 6 && P->p[0] == '\\' &&
	    P->p[1] == 'u' && pa_hex4(P->p + 2, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		P->p += 6;
	}
	pa_sink_cp(s, cp);
	return 0;
}

/* A JSON string at the cursor, decoded into s (cut when it does not fit). */
static int pa_string(struct pa *P, struct pa_sink *s, const char *what)
{
	if (!pa_eat(P, '"'))
		return pa_fail(P, "%s: expected a string", what);
	for (;;) {
		const char *run = P->p;

		while (P->p < P->end && *P->p != '"' && *P->p != '\\' &&
		       (unsigned char)*P->p >= 0x20)
			P->p++;
		pa_sink_put(s, run, (size_t)(P->p - run));
		if (P->p >= P->end)
			return pa_fail(P, "%s: unterminated string", what);
		if (*P->p == '"')
			break;
		if (*P->p != '\\')
			return pa_fail(P, "%s: a control character in a string", what);
		P->p++;
		if (pa_escape(P, s, what) != 0)
			return -1;
	}
	P->p++;
	s->buf[s->len] = '\0';
	return 0;
}

/* A member name; a name longer than PA_KEY_LEN - 1 comes back empty (no known member). */
static int pa_key(struct pa *P, char *key, const char *what)
{
	struct pa_sink s = { key, PA_KEY_LEN, 0, false };

	if (pa_string(P, &s, what) != 0)
		return -1;
	if (s.cut)
		key[0] = '\0';
	if (!pa_eat(P, ':'))
		return pa_fail(P, "%s: expected ':' after a member name", what);
	return 0;
}

/* ---- skipping ---- */

static int pa_skip(struct pa *P, int depth, const char *what);

static int pa_skip_container(struct pa *P, int depth, const char *what, char close)
{
	char key[PA_KEY_LEN];

	if (depth >= PROMAPI_DEPTH)
		return pa_fail(P, "%s: nested more than %d deep", what, PROMAPI_DEPTH);
	P->p++;
	if (pa_eat(P, close))
		return 0;
	do {
		if (close == '}' && pa_key(P, key, what) != 0)
			return -1;
		if (pa_skip(P, depth + 1, what) != 0)
			return -1;
	} while (pa_eat(P, ','));
	if (!pa_eat(P, close))
		return pa_fail(P, "%s: expected ',' or '%c'", what, close);
	return 0;
}

static int pa_literal(struct pa *P, const char *word, const char *what)
{
	size_t n = strlen(word);

	if ((size_t)(P->end - P->p) < n || memcmp(P->p, word, n) != 0)
		return pa_fail(P, "%s: expected a JSON value", what);
	P->p += n;
	return 0;
}

static int pa_number(struct pa *P, double *v, const char *what)
{
	struct jscan c = { P->p, P->end };

	if (jscan_number(&c, v) != 0) {
		/* Longer than the scanner takes? Check the grammar, then convert it whole. */
		const char *q = P->p;
		char buf[PA_NUMBER_MAX];

		if (q < P->end && *q == '-')
			q++;
		while (q < P->end && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' ||
				      *q == 'E' || *q == '+' || *q == '-'))
			q++;
		if (q == P->p || (size_t)(q - P->p) >= sizeof(buf) ||
		    promapi_number(P->p, (size_t)(q - P->p), v) != 0 || !isfinite(*v))
			return pa_fail(P, "%s: expected a number", what);
		c.p = q;
	}
	P->p = c.p;
	return 0;
}

static int pa_skip(struct pa *P, int depth, const char *what)
{
	char c = pa_peek(P);
	char scratch[8];
	struct pa_sink s = { scratch, sizeof(scratch), 0, false };
	double v;

	switch (c) {
	case '{':
		return pa_skip_container(P, depth, what, '}');
	case '[':
		return pa_skip_container(P, depth, what, ']');
	case '"':
		return pa_string(P, &s, what);
	case 't':
		return pa_literal(P, "true", what);
	case 'f':
		return pa_literal(P, "false", what);
	case 'n':
		return pa_literal(P, "null", what);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return pa_number(P, &v, what);
		return pa_fail(P, "%s: expected a JSON value", what);
	}
}

/* ---- growing the arrays (caps first, then memory) ---- */

static int pa_grow(struct pa *P, void **arr, size_t *cap, size_t need, size_t size, size_t max,
		   const char *what)
{
	size_t n;

	if (need <= *cap)
		return 0;
	if (need > max)
		return pa_fail(P, "more than %zu %s", max, what);
	n = *cap < 64 ? 64 : *cap;
	while (n < need)
		n = n > max / 2 ? max : n * 2;
	*arr = xrealloc(*arr, n * size);
	*cap = n;
	return 0;
}

/* A string into the text arena; *off gets its offset. */
static int pa_text(struct pa *P, uint32_t *off, const char *what)
{
	struct promapi_answer *a = P->a;
	struct pa_sink s;

	if (pa_grow(P, (void **)&a->text, &a->text_cap, a->text_len + PROMAPI_TEXT_MAX + 1, 1,
		    PROMAPI_ARENA_MAX, "bytes of label text") != 0)
		return -1;
	s = (struct pa_sink){ a->text + a->text_len, PROMAPI_TEXT_MAX + 1, 0, false };
	if (pa_string(P, &s, what) != 0)
		return -1;
	*off = (uint32_t)a->text_len;
	a->text_len += s.len + 1;
	return 0;
}

/* ---- samples and series ---- */

/* A sample value: a string as the API writes it, or a JSON number. */
static int pa_sample_value(struct pa *P, double *v, const char *what, size_t i)
{
	char buf[PA_NUMBER_MAX];
	struct pa_sink s = { buf, sizeof(buf), 0, false };

	if (pa_peek(P) != '"')
		return pa_number(P, v, what);
	if (pa_string(P, &s, what) != 0)
		return -1;
	if (s.cut || promapi_number(buf, s.len, v) != 0)
		return pa_fail(P, "%s[%zu]: expected a sample value, not a string like that", what, i);
	return 0;
}

/* [time, "value"] into the samples. */
static int pa_pair(struct pa *P, const char *what)
{
	struct promapi_answer *a = P->a;
	struct promapi_sample *sm;

	if (!pa_eat(P, '['))
		return pa_fail(P, "%s: expected [time, value]", what);
	if (pa_grow(P, (void **)&a->samples, &a->samples_cap, a->nsamples + 1, sizeof(*a->samples),
		    PROMAPI_SAMPLES_MAX, "samples") != 0)
		return -1;
	sm = &a->samples[a->nsamples];
	if (pa_number(P, &sm->t, what) != 0)
		return -1;
	if (!pa_eat(P, ','))
		return pa_fail(P, "%s: expected [time, value]", what);
	if (pa_sample_value(P, &sm->v, what, 1) != 0)
		return -1;
	if (!pa_eat(P, ']'))
		return pa_fail(P, "%s: expected [time, value]", what);
	a->nsamples++;
	return 0;
}

static int pa_label_cmp(const struct promapi_answer *a, const struct promapi_label *x,
			const struct promapi_label *y)
{
	return strcmp(a->text + x->name, a->text + y->name);
}

/* "metric": {"name": "value", ...}, kept sorted by name (Prometheus sends them sorted). */
static int pa_metric(struct pa *P, struct promapi_series *sr, size_t si)
{
	struct promapi_answer *a = P->a;
	const char *what = "data.result[].metric";

	(void)si;
	sr->label0 = (uint32_t)a->nlabels;
	sr->nlabels = 0;
	if (!pa_eat(P, '{'))
		return pa_fail(P, "%s: expected an object", what);
	if (pa_eat(P, '}'))
		return 0;
	do {
		struct promapi_label l, *at;

		if (sr->nlabels >= PROMAPI_LABELS_MAX)
			return pa_fail(P, "%s: more than %d labels", what, PROMAPI_LABELS_MAX);
		if (pa_grow(P, (void **)&a->labels, &a->labels_cap, a->nlabels + 1,
			    sizeof(*a->labels), (size_t)PROMAPI_SERIES_MAX * 8, "labels") != 0)
			return -1;
		if (pa_text(P, &l.name, what) != 0)
			return -1;
		if (!pa_eat(P, ':'))
			return pa_fail(P, "%s: expected ':' after a label name", what);
		if (pa_text(P, &l.value, what) != 0)
			return -1;
		/* Insertion keeps them sorted; already sorted input costs one comparison. */
		at = &a->labels[a->nlabels];
		while (at > &a->labels[sr->label0] && pa_label_cmp(a, at - 1, &l) > 0) {
			*at = at[-1];
			at--;
		}
		*at = l;
		a->nlabels++;
		sr->nlabels++;
	} while (pa_eat(P, ','));
	if (!pa_eat(P, '}'))
		return pa_fail(P, "%s: expected ',' or '}'", what);
	return 0;
}

static int pa_values(struct pa *P, size_t si)
{
	const char *what = "data.result[].values";

	(void)si;
	if (!pa_eat(P, '['))
		return pa_fail(P, "%s: expected an array", what);
	if (pa_eat(P, ']'))
		return 0;
	do {
		if (pa_pair(P, what) != 0)
			return -1;
	} while (pa_eat(P, ','));
	if (!pa_eat(P, ']'))
		return pa_fail(P, "%s: expected ',' or ']'", what);
	return 0;
}

static int pa_series(struct pa *P, size_t si)
{
	struct promapi_answer *a = P->a;
	struct promapi_series *sr;
	char key[PA_KEY_LEN];
	const char *what = "data.result[]";
	size_t first;

	P->si = si;
	if (pa_grow(P, (void **)&a->series, &a->series_cap, a->nseries + 1, sizeof(*a->series),
		    PROMAPI_SERIES_MAX, "series") != 0)
		return -1;
	sr = &a->series[a->nseries];
	*sr = (struct promapi_series){ (uint32_t)a->nlabels, 0, (uint32_t)a->nsamples, 0 };
	first = a->nsamples;
	if (!pa_eat(P, '{'))
		return pa_fail(P, "%s: expected a series object", what);
	if (!pa_eat(P, '}')) {
		do {
			int rc;

			if (pa_key(P, key, what) != 0)
				return -1;
			if (strcmp(key, "metric") == 0) {
				rc = pa_metric(P, sr, si);
			} else if (strcmp(key, "value") == 0) {
				rc = pa_pair(P, "data.result[].value");
			} else if (strcmp(key, "values") == 0) {
				P->any_matrix = true;
				rc = pa_values(P, si);
			} else {
				rc = pa_skip(P, 0, what);	/* histogram(s), anything new */
			}
			if (rc != 0)
				return -1;
		} while (pa_eat(P, ','));
		if (!pa_eat(P, '}'))
			return pa_fail(P, "%s: expected ',' or '}'", what);
	}
	sr->sample0 = (uint32_t)first;
	sr->nsamples = (uint32_t)(a->nsamples - first);
	a->nseries++;
	return 0;
}

/* The pair of a scalar or string result: one series without labels. */
static int pa_result_pair(struct pa *P)
{
	struct promapi_answer *a = P->a;
	struct promapi_sample *sm;
	uint32_t off;
	double t;

	P->p++;		/* '[' */
	if (pa_number(P, &t, "data.result[0]") != 0)
		return -1;
	if (!pa_eat(P, ','))
		return pa_fail(P, "data.result: expected [time, value]");
	if (pa_grow(P, (void **)&a->samples, &a->samples_cap, 1, sizeof(*a->samples),
		    PROMAPI_SAMPLES_MAX, "samples") != 0 ||
	    pa_grow(P, (void **)&a->series, &a->series_cap, 1, sizeof(*a->series),
		    PROMAPI_SERIES_MAX, "series") != 0)
		return -1;
	sm = &a->samples[0];
	sm->t = t;
	sm->v = NAN;
	if (pa_peek(P) == '"') {
		if (pa_text(P, &off, "data.result[1]") != 0)
			return -1;
		a->string_value = off;
		P->pair_numeric = promapi_number(a->text + off, strlen(a->text + off), &sm->v) == 0;
	} else {
		if (pa_number(P, &sm->v, "data.result[1]") != 0)
			return -1;
		P->pair_numeric = true;
	}
	if (!pa_eat(P, ']'))
		return pa_fail(P, "data.result: expected [time, value]");
	a->nsamples = 1;
	a->series[0] = (struct promapi_series){ 0, 0, 0, 1 };
	a->nseries = 1;
	P->shape = PA_SHAPE_PAIR;
	return 0;
}

static int pa_result(struct pa *P)
{
	struct promapi_answer *a = P->a;
	char c;

	a->nseries = a->nlabels = a->nsamples = 0;
	P->any_matrix = false;
	c = pa_peek(P);
	if (c == 'n') {
		P->shape = PA_SHAPE_EMPTY;
		return pa_literal(P, "null", "data.result");
	}
	if (c != '[')
		return pa_fail(P, "data.result: expected an array");
	if (P->end - P->p > 1) {
		struct pa probe = *P;

		probe.p++;
		c = pa_peek(&probe);
		if (c == '-' || (c >= '0' && c <= '9'))
			return pa_result_pair(P);
	}
	P->p++;
	P->shape = PA_SHAPE_EMPTY;
	if (pa_eat(P, ']'))
		return 0;
	P->shape = PA_SHAPE_SERIES;
	do {
		if (pa_series(P, a->nseries) != 0)
			return -1;
	} while (pa_eat(P, ','));
	if (!pa_eat(P, ']'))
		return pa_fail(P, "data.result: expected ',' or ']' after series %zu", a->nseries);
	return 0;
}

/* The resultType against the shape of the result; sets a->type. */
static int pa_settle_type(struct pa *P, const char *type, bool have_type)
{
	static const struct {
		const char *name;
		enum promapi_type type;
	} types[] = {
		{ "vector", PROMAPI_VECTOR }, { "matrix", PROMAPI_MATRIX },
		{ "scalar", PROMAPI_SCALAR }, { "string", PROMAPI_STRING },
	};
	struct promapi_answer *a = P->a;
	enum promapi_type t = PROMAPI_NONE;

	if (have_type) {
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			if (strcmp(type, types[i].name) == 0)
				t = types[i].type;
		}
		if (t == PROMAPI_NONE) {
			char shown[40];

			sanitize_copy(shown, sizeof(shown), type, 0);
			return pa_fail(P, "data.resultType: unknown type \"%s\"", shown);
		}
	} else if (P->shape == PA_SHAPE_PAIR) {
		t = P->pair_numeric ? PROMAPI_SCALAR : PROMAPI_STRING;
	} else {
		t = P->any_matrix ? PROMAPI_MATRIX : PROMAPI_VECTOR;
	}
	if (P->shape == PA_SHAPE_PAIR && (t == PROMAPI_VECTOR || t == PROMAPI_MATRIX))
		return pa_fail(P, "data.result: expected series for a %s", promapi_type_name(t));
	if (P->shape == PA_SHAPE_SERIES && (t == PROMAPI_SCALAR || t == PROMAPI_STRING))
		return pa_fail(P, "data.result: expected [time, value] for a %s",
			       promapi_type_name(t));
	if (t == PROMAPI_SCALAR && P->shape == PA_SHAPE_PAIR && !P->pair_numeric)
		return pa_fail(P, "data.result[1]: expected a sample value");
	if (t == PROMAPI_SCALAR && P->shape != PA_SHAPE_PAIR)
		a->nseries = 0;
	a->type = t;
	return 0;
}

static int pa_data(struct pa *P)
{
	char key[PA_KEY_LEN], type[PA_KEY_LEN] = "";
	bool have_type = false, have_result = false;
	struct pa_sink s;

	if (pa_peek(P) == 'n')
		return pa_literal(P, "null", "data");
	if (!pa_eat(P, '{'))
		return pa_fail(P, "data: expected an object");
	P->shape = PA_SHAPE_NONE;
	if (!pa_eat(P, '}')) {
		do {
			if (pa_key(P, key, "data") != 0)
				return -1;
			if (strcmp(key, "resultType") == 0) {
				s = (struct pa_sink){ type, sizeof(type), 0, false };
				if (pa_string(P, &s, "data.resultType") != 0)
					return -1;
				have_type = true;
			} else if (strcmp(key, "result") == 0) {
				if (pa_result(P) != 0)
					return -1;
				have_result = true;
			} else if (pa_skip(P, 0, "data") != 0) {
				return -1;
			}
		} while (pa_eat(P, ','));
		if (!pa_eat(P, '}'))
			return pa_fail(P, "data: expected ',' or '}'");
	}
	if (!have_result)
		return pa_fail(P, "data.result: missing");
	P->a->has_data = true;
	return pa_settle_type(P, type, have_type);
}

/* A message string, stored sanitised (and cut) in buf. */
static int pa_message(struct pa *P, char *buf, size_t len, const char *what)
{
	char raw[PROMAPI_MSG_LEN * 2];
	struct pa_sink s = { raw, sizeof(raw), 0, false };

	if (pa_peek(P) == 'n') {
		buf[0] = '\0';
		return pa_literal(P, "null", what);
	}
	if (pa_string(P, &s, what) != 0)
		return -1;
	sanitize_copy(buf, len, raw, 0);
	return 0;
}

/* "warnings" or "infos": arrays of strings; warnings kept, infos counted. */
static int pa_notes(struct pa *P, bool keep, const char *what)
{
	struct promapi_answer *a = P->a;
	char scratch[8];

	if (pa_peek(P) == 'n')
		return pa_literal(P, "null", what);
	if (!pa_eat(P, '['))
		return pa_fail(P, "%s: expected an array", what);
	if (pa_eat(P, ']'))
		return 0;
	do {
		if (keep && a->nwarnings < PROMAPI_WARNINGS_KEPT) {
			if (pa_message(P, a->warnings[a->nwarnings], PROMAPI_MSG_LEN, what) != 0)
				return -1;
		} else {
			struct pa_sink s = { scratch, sizeof(scratch), 0, false };

			if (pa_string(P, &s, what) != 0)
				return -1;
		}
		if (keep)
			a->nwarnings++;
		else
			a->ninfos++;
	} while (pa_eat(P, ','));
	if (!pa_eat(P, ']'))
		return pa_fail(P, "%s: expected ',' or ']'", what);
	return 0;
}

static int pa_status(struct pa *P, int *status)
{
	char word[PA_KEY_LEN];
	struct pa_sink s = { word, sizeof(word), 0, false };

	if (pa_string(P, &s, "status") != 0)
		return -1;
	if (strcmp(word, "success") == 0)
		*status = 1;
	else if (strcmp(word, "error") == 0)
		*status = 0;
	else
		return pa_fail(P, "status: expected \"success\" or \"error\"");
	return 0;
}

static int pa_answer(struct pa *P)
{
	struct promapi_answer *a = P->a;
	char key[PA_KEY_LEN];
	int status = -1, rc;

	if (!pa_eat(P, '{'))
		return pa_fail(P, "expected a JSON object (is this the Prometheus HTTP API?)");
	if (!pa_eat(P, '}')) {
		do {
			if (pa_key(P, key, "answer") != 0)
				return -1;
			if (strcmp(key, "status") == 0)
				rc = pa_status(P, &status);
			else if (strcmp(key, "data") == 0)
				rc = pa_data(P);
			else if (strcmp(key, "errorType") == 0)
				rc = pa_message(P, a->error_type, sizeof(a->error_type), "errorType");
			else if (strcmp(key, "error") == 0)
				rc = pa_message(P, a->error, sizeof(a->error), "error");
			else if (strcmp(key, "warnings") == 0)
				rc = pa_notes(P, true, "warnings");
			else if (strcmp(key, "infos") == 0)
				rc = pa_notes(P, false, "infos");
			else
				rc = pa_skip(P, 0, key[0] != '\0' ? key : "answer");
			if (rc != 0)
				return -1;
		} while (pa_eat(P, ','));
		if (!pa_eat(P, '}'))
			return pa_fail(P, "expected ',' or '}' after a member");
	}
	pa_ws(P);
	if (P->p != P->end)
		return pa_fail(P, "text after the answer");
	if (status < 0)
		return pa_fail(P, "status: missing (is this the Prometheus HTTP API?)");
	a->success = status == 1;
	if (a->success && !a->has_data)
		return pa_fail(P, "data: missing");
	return 0;
}

static void promapi_reset(struct promapi_answer *a)
{
	a->success = false;
	a->error_type[0] = a->error[0] = '\0';
	a->nwarnings = a->ninfos = 0;
	a->has_data = false;
	a->type = PROMAPI_NONE;
	a->string_value = 0;
	a->nseries = a->nlabels = a->nsamples = 0;
	a->text_len = 0;
}

void promapi_init(struct promapi_answer *a)
{
	memset(a, 0, sizeof(*a));
}

void promapi_free(struct promapi_answer *a)
{
	free(a->series);
	free(a->labels);
	free(a->samples);
	free(a->text);
	promapi_init(a);
}

int promapi_parse(struct promapi_answer *a, const char *text, size_t len, char *err,
		  size_t errlen)
{
	struct pa P = { .start = text, .p = text, .end = text + len, .a = a, .err = err,
			.errlen = errlen, .shape = PA_SHAPE_NONE };

	promapi_reset(a);
	if (pa_answer(&P) != 0) {
		promapi_reset(a);
		return -1;
	}
	return 0;
}

const char *promapi_text(const struct promapi_answer *a, uint32_t off)
{
	return off < a->text_len ? a->text + off : "";
}

const char *promapi_label(const struct promapi_answer *a, const struct promapi_series *s,
			  const char *name)
{
	size_t lo = 0, hi = s->nlabels;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct promapi_label *l = &a->labels[s->label0 + mid];
		int c = strcmp(a->text + l->name, name);

		if (c == 0)
			return a->text + l->value;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

double promapi_value(const struct promapi_answer *a, const struct promapi_series *s)
{
	if (s->nsamples == 0)
		return NAN;
	return a->samples[s->sample0 + s->nsamples - 1].v;
}

static bool pa_word(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	if (len != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return true;
}

int promapi_number(const char *s, size_t len, double *out)
{
	size_t i = 0;
	bool digits = false;
	char buf[PA_NUMBER_MAX];
	struct jscan c = { s, s + len };

	if (pa_word(s, len, "nan")) {
		*out = NAN;
		return 0;
	}
	if (pa_word(s, len, "+inf") || pa_word(s, len, "inf")) {
		*out = INFINITY;
		return 0;
	}
	if (pa_word(s, len, "-inf")) {
		*out = -INFINITY;
		return 0;
	}
	/* JSON's grammar, which is also what Go's FormatFloat writes. */
	if (jscan_number(&c, out) == 0 && c.p == s + len)
		return 0;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	if (s[i] == '-')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits = true;
	if (!digits)
		return -1;
	if (i < len && s[i] == '.') {
		digits = false;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits = true;
		if (!digits)
			return -1;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		bool exp = false;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			exp = true;
		if (!exp)
			return -1;
	}
	if (i != len)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, NULL);
	return 0;
}

const char *promapi_type_name(enum promapi_type t)
{
	switch (t) {
	case PROMAPI_VECTOR:
		return "vector";
	case PROMAPI_MATRIX:
		return "matrix";
	case PROMAPI_SCALAR:
		return "scalar";
	case PROMAPI_STRING:
		return "string";
	case PROMAPI_NONE:
		break;
	}
	return "none";
}
