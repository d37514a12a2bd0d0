/*
 * Router profiles: the line-based file format (see profile.h and
 * routertop(1)), loading built-in and user profiles, and the pieces that
 * use a profile without knowing where its data comes from: matching a
 * label value, mapping breaker values, writing a selector as PromQL.
 *
 * A line is a keyword and its arguments, separated by blanks; a blank
 * inside double quotes does not separate, so a selector such as
 * `m{code=~"5..|429"}` is one argument. `#` starts a comment where a new
 * argument could start.
 */
#include "config.h"

#include "formats/profile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfgfile.h"
#include "sanitize.h"
#include "util.h"

#define PROFILE_LINE_MAX 1024
#define PROFILE_ARGS_MAX 24

/* One line cut into arguments; each argument is NUL-terminated in buf. */
struct profile_line {
	char buf[PROFILE_LINE_MAX + 1];
	char *arg[PROFILE_ARGS_MAX];
	int n;
	char rest1[PROFILE_LINE_MAX + 1];	/* the raw text after the keyword (for title) */
};

struct profile_ctx {
	const char *origin;
	int lineno;
	char *err;
	size_t errlen;
	bool named;
};

static const char *const class_names[PROFILE_CLASSES] = {
	[PROFILE_TIMEOUTS] = "timeouts",
	[PROFILE_FAILURES] = "failures",
	[PROFILE_RATE_LIMITED] = "rate-limited",
	[PROFILE_BREAKER_REJECTIONS] = "breaker-rejections",
	[PROFILE_VALIDATION] = "validation",
};

const char *profile_class_name(enum profile_class c)
{
	return (unsigned)c < PROFILE_CLASSES ? class_names[c] : "unknown";
}

static int profile_fail(struct profile_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int profile_fail(struct profile_ctx *c, const char *fmt, ...)
{
	char what[PROFILE_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	str_printf(c->err, c->errlen, "%s:%d: %s", c->origin, c->lineno, what);
	/* The message quotes the file, which may hold anything: one clean line. */
	sanitize_in_place(c->err, 0);
	return -1;
}

/* ---- regular expressions: literal, \x, '.', '|', and *, +, ? after one atom ---- */

struct re_atom {
	int ch;		/* -1: any character but newline */
	bool star;	/* zero or more */
	bool opt;	/* zero or one */
};

#define RE_ATOMS_MAX (2 * PROFILE_TEXT_LEN)

/*
 * Compile one alternative [p, end) into atoms (x+ becomes x x*). Returns the
 * number of atoms, or -1 when the text uses what is not supported.
 */
static int re_compile(const char *p, const char *end, struct re_atom *atoms)
{
	int n = 0;

	while (p < end) {
		struct re_atom a = { .ch = -1 };

		if (*p == '\\') {
			if (p + 1 == end)
				return -1;
			a.ch = (unsigned char)p[1];
			p += 2;
		} else if (strchr("()[]{}^$*+?", *p) != NULL) {
			return -1;
		} else {
			a.ch = *p == '.' ? -1 : (unsigned char)*p;
			p++;
		}
		if (p < end && (*p == '*' || *p == '+' || *p == '?')) {
			if (*p == '+')
				atoms[n++] = a;
			a.star = *p != '?';
			a.opt = *p == '?';
			p++;
		}
		atoms[n++] = a;
	}
	return n;
}

/* The states reachable without reading a character (repeats may be skipped). */
static void re_closure(const struct re_atom *atoms, int n, bool *set)
{
	for (int i = 0; i < n; i++) {
		if (set[i] && (atoms[i].star || atoms[i].opt))
			set[i + 1] = true;
	}
}

/* Whether the atoms match all of text: a Thompson simulation, linear in the text. */
static bool re_run(const struct re_atom *atoms, int n, const char *text)
{
	bool cur[RE_ATOMS_MAX + 1] = { false }, next[RE_ATOMS_MAX + 1];

	cur[0] = true;
	re_closure(atoms, n, cur);
	for (const unsigned char *t = (const unsigned char *)text; *t != '\0'; t++) {
		bool any = false;

		memset(next, 0, (size_t)(n + 1) * sizeof(next[0]));
		for (int i = 0; i < n; i++) {
			const struct re_atom *a = &atoms[i];

			if (!cur[i] || !(a->ch == -1 ? *t != '\n' : a->ch == *t))
				continue;
			next[a->star ? i : i + 1] = true;
			any = true;
		}
		if (!any)
			return false;
		re_closure(atoms, n, next);
		memcpy(cur, next, (size_t)(n + 1) * sizeof(cur[0]));
	}
	return cur[n];
}

/* The end of the alternative that starts at p: the next unescaped '|' or the end. */
static const char *re_alt_end(const char *p)
{
	for (; *p != '\0' && *p != '|'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
	}
	return p;
}

/* Whether re fully matches text; false for an unsupported re (caught when loading). */
static bool re_match(const char *re, const char *text)
{
	struct re_atom atoms[RE_ATOMS_MAX];

	for (const char *p = re;; p++) {
		const char *end = re_alt_end(p);
		int n = re_compile(p, end, atoms);

		if (n >= 0 && re_run(atoms, n, text))
			return true;
		if (*end == '\0')
			return false;
		p = end;
	}
}

static bool re_valid(const char *re)
{
	struct re_atom atoms[RE_ATOMS_MAX];

	for (const char *p = re;; p++) {
		const char *end = re_alt_end(p);

		if (re_compile(p, end, atoms) < 0)
			return false;
		if (*end == '\0')
			return true;
		p = end;
	}
}

bool profile_match_value(const struct profile_matcher *m, const char *value)
{
	const char *v = value != NULL ? value : "";

	switch (m->op) {
	case PROFILE_EQ:
		return strcmp(v, m->value) == 0;
	case PROFILE_NE:
		return strcmp(v, m->value) != 0;
	case PROFILE_RE:
		return re_match(m->value, v);
	case PROFILE_NRE:
		return !re_match(m->value, v);
	}
	return false;
}

/* ---- selectors ---- */

static bool is_name_char(char c, bool first, bool colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (colon && c == ':') || (!first && c >= '0' && c <= '9');
}

/* A name at *p into out (at most PROFILE_NAME_LEN - 1 bytes); false when there is none. */
static bool read_name(const char **p, char *out, bool colon)
{
	size_t n = 0;

	if (!is_name_char(**p, true, colon))
		return false;
	while (is_name_char((*p)[n], n == 0, colon)) {
		if (n + 1 >= PROFILE_NAME_LEN)
			return false;
		out[n] = (*p)[n];
		n++;
	}
	out[n] = '\0';
	*p += n;
	return true;
}

/* A double-quoted string at *p with \\, \" and \n escapes. */
static bool read_quoted(const char **p, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;

	if (*s++ != '"')
		return false;
	for (; *s != '"'; s++) {
		char c = *s;

		if (c == '\0')
			return false;
		if (c == '\\') {
			s++;
			if (*s != '\\' && *s != '"' && *s != 'n')
				return false;
			c = *s == 'n' ? '\n' : *s;
		}
		if (n + 1 >= cap)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	*p = s + 1;
	return true;
}

static int parse_matcher(struct profile_ctx *c, const char **p, struct profile_matcher *m)
{
	if (!read_name(p, m->label, false))
		return profile_fail(c, "expected a label name in the selector");
	if ((*p)[0] == '=' && (*p)[1] == '~') {
		m->op = PROFILE_RE;
		*p += 2;
	} else if ((*p)[0] == '!' && (*p)[1] == '~') {
		m->op = PROFILE_NRE;
		*p += 2;
	} else if ((*p)[0] == '!' && (*p)[1] == '=') {
		m->op = PROFILE_NE;
		*p += 2;
	} else if ((*p)[0] == '=') {
		m->op = PROFILE_EQ;
		*p += 1;
	} else {
		return profile_fail(c, "expected =, !=, =~ or !~ after label %s", m->label);
	}
	if (!read_quoted(p, m->value, sizeof(m->value)))
		return profile_fail(c, "expected a quoted value (at most %d bytes) for label %s",
				    PROFILE_TEXT_LEN - 1, m->label);
	if ((m->op == PROFILE_RE || m->op == PROFILE_NRE) && !re_valid(m->value))
		return profile_fail(c, "regular expression \"%s\" for label %s uses more than "
				    "characters, \\, ., |, *, + and ?", m->value, m->label);
	return 0;
}

static int parse_selector(struct profile_ctx *c, const char *text, struct profile_selector *s)
{
	const char *p = text;

	memset(s, 0, sizeof(*s));
	if (!read_name(&p, s->metric, true))
		return profile_fail(c, "expected a metric name, got '%s'", text);
	if (*p == '\0')
		return 0;
	if (*p++ != '{')
		return profile_fail(c, "unexpected '%c' after metric %s", p[-1], s->metric);
	while (*p != '}') {
		if (s->nmatchers == PROFILE_MATCHERS_MAX)
			return profile_fail(c, "more than %d label matchers", PROFILE_MATCHERS_MAX);
		if (parse_matcher(c, &p, &s->m[s->nmatchers++]) != 0)
			return -1;
		if (*p == ',')
			p++;
		else if (*p != '}')
			return profile_fail(c, "expected ',' or '}' in the selector of %s", s->metric);
	}
	if (p[1] != '\0')
		return profile_fail(c, "unexpected text after the selector of %s", s->metric);
	return 0;
}

/* Append to buf as snprintf would, tracking the length needed. */
static void promql_put(char *buf, size_t len, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (*at < len) {
		size_t room = len - *at - 1;

		memcpy(buf + *at, s, n < room ? n : room);
		buf[*at + (n < room ? n : room)] = '\0';
	}
	*at += n;
}

size_t profile_selector_promql(const struct profile_selector *s, const char *extra, char *buf,
			       size_t len)
{
	static const char *const ops[] = { "=", "!=", "=~", "!~" };
	size_t at = 0;
	bool any = false;

	if (len > 0)
		buf[0] = '\0';
	promql_put(buf, len, &at, s->metric);
	for (int i = 0; i < s->nmatchers; i++) {
		char one[4];

		promql_put(buf, len, &at, any ? "," : "{");
		promql_put(buf, len, &at, s->m[i].label);
		promql_put(buf, len, &at, ops[s->m[i].op]);
		promql_put(buf, len, &at, "\"");
		for (const char *v = s->m[i].value; *v != '\0'; v++) {
			if (*v == '\\' || *v == '"')
				snprintf(one, sizeof(one), "\\%c", *v);
			else if (*v == '\n')
				snprintf(one, sizeof(one), "\\n");
			else
				snprintf(one, sizeof(one), "%c", *v);
			promql_put(buf, len, &at, one);
		}
		promql_put(buf, len, &at, "\"");
		any = true;
	}
	if (extra != NULL && extra[0] != '\0') {
		promql_put(buf, len, &at, any ? "," : "{");
		promql_put(buf, len, &at, extra);
		any = true;
	}
	if (any)
		promql_put(buf, len, &at, "}");
	return at;
}

/* ---- breaker rules ---- */

static bool map_matches(const struct profile_state_map *m, double v)
{
	switch (m->cmp) {
	case PROFILE_CMP_EQ:
		return v == m->number;
	case PROFILE_CMP_GT:
		return v > m->number;
	case PROFILE_CMP_LT:
		return v < m->number;
	}
	return false;
}

bool profile_breaker_map_value(const struct profile_breaker *b, double value,
			       enum breaker_state *out)
{
	for (int i = 0; i < b->nmaps; i++) {
		if (map_matches(&b->maps[i], value)) {
			*out = b->maps[i].state;
			return true;
		}
	}
	return false;
}

bool profile_breaker_map_label(const struct profile_breaker *b, const char *text,
			       enum breaker_state *out)
{
	for (int i = 0; i < b->nmaps; i++) {
		if (strcmp(b->maps[i].text, text) == 0) {
			*out = b->maps[i].state;
			return true;
		}
	}
	return false;
}

/* ---- the file ---- */

/* Cut a line into arguments; a quote keeps blanks, '#' at an argument's start ends the line. */
static int profile_split(struct profile_ctx *c, const char *line, size_t n, struct profile_line *l)
{
	char *o = l->buf;
	size_t i = 0;

	if (n > PROFILE_LINE_MAX)
		return profile_fail(c, "line longer than %d bytes", PROFILE_LINE_MAX);
	l->n = 0;
	l->rest1[0] = '\0';
	for (;;) {
		bool quoted = false;

		while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i == n || line[i] == '#')
			return 0;
		if (l->n == PROFILE_ARGS_MAX)
			return profile_fail(c, "more than %d arguments", PROFILE_ARGS_MAX);
		if (l->n == 1) {
			size_t r = n - i;

			memcpy(l->rest1, line + i, r);
			while (r > 0 && (l->rest1[r - 1] == ' ' || l->rest1[r - 1] == '\t' ||
					 l->rest1[r - 1] == '\r'))
				r--;
			l->rest1[r] = '\0';
		}
		l->arg[l->n++] = o;
		for (; i < n && (quoted || (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')); i++) {
			if (line[i] == '\0')
				return profile_fail(c, "a NUL byte");
			if (line[i] == '\\' && quoted && i + 1 < n) {
				*o++ = line[i++];
			} else if (line[i] == '"') {
				quoted = !quoted;
			}
			*o++ = line[i];
		}
		if (quoted)
			return profile_fail(c, "a quote is not closed");
		*o++ = '\0';
	}
}

static int parse_unit(struct profile_ctx *c, const char *text, double *ms)
{
	static const struct {
		const char *word;
		double ms;
	} units[] = {
		{ "s", 1000.0 }, { "seconds", 1000.0 }, { "ms", 1.0 }, { "milliseconds", 1.0 },
		{ "us", 0.001 }, { "microseconds", 0.001 },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(text, units[i].word) == 0) {
			*ms = units[i].ms;
			return 0;
		}
	}
	return profile_fail(c, "unknown unit '%s' (s, ms or us)", text);
}

static int copy_word(struct profile_ctx *c, char *dst, size_t size, const char *src,
		     const char *what)
{
	if (strlen(src) >= size)
		return profile_fail(c, "%s longer than %zu bytes", what, size - 1);
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* SELECTOR [row=LABEL] starting at argument *i; *i moves past what was used. */
static int parse_sel_args(struct profile_ctx *c, const struct profile_line *l, int *i,
			  struct profile_selector *s)
{
	const char *p;

	if (*i >= l->n)
		return profile_fail(c, "%s: expected a metric selector", l->arg[0]);
	if (parse_selector(c, l->arg[(*i)++], s) != 0)
		return -1;
	if (*i < l->n && strncmp(l->arg[*i], "row=", 4) == 0) {
		p = l->arg[(*i)++] + 4;
		if (!read_name(&p, s->row_label, false) || *p != '\0')
			return profile_fail(c, "row= needs a label name");
	}
	return 0;
}

static int expect_end(struct profile_ctx *c, const struct profile_line *l, int i)
{
	if (i < l->n)
		return profile_fail(c, "%s: unexpected '%s'", l->arg[0], l->arg[i]);
	return 0;
}

static int parse_number(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (end != s && *end == '\0' && errno == 0 && isfinite(*out)) ? 0 : -1;
}

/* KEY=STATE: a number (with = > <) in value mode, a label value in label mode. */
static int parse_map(struct profile_ctx *c, const char *arg, enum profile_breaker_mode mode,
		     struct profile_state_map *m)
{
	const char *p = arg, *eq;
	char key[PROFILE_TEXT_LEN];

	memset(m, 0, sizeof(*m));
	if (*p == '"') {
		if (!read_quoted(&p, key, sizeof(key)) || *p != '=')
			return profile_fail(c, "breaker: bad mapping '%s'", arg);
		eq = p;
	} else {
		eq = strrchr(p, '=');
		if (eq == NULL || eq == p || (size_t)(eq - p) >= sizeof(key))
			return profile_fail(c, "breaker: expected VALUE=STATE, got '%s'", arg);
		memcpy(key, p, (size_t)(eq - p));
		key[eq - p] = '\0';
	}
	if (breaker_state_parse(eq + 1, &m->state) != 0)
		return profile_fail(c, "breaker: unknown state '%s' (closed, half-open or open)", eq + 1);
	if (mode == PROFILE_BREAKER_LABEL)
		return copy_word(c, m->text, sizeof(m->text), key, "a mapped label value");
	m->cmp = key[0] == '>' ? PROFILE_CMP_GT : key[0] == '<' ? PROFILE_CMP_LT : PROFILE_CMP_EQ;
	if (parse_number(key + (m->cmp != PROFILE_CMP_EQ), &m->number) != 0)
		return profile_fail(c, "breaker: '%s' is not a number (or >N, <N)", key);
	return 0;
}

static int parse_breaker(struct profile_ctx *c, const struct profile_line *l, struct profile *p)
{
	struct profile_breaker *b;
	int i = 1;

	if (p->nbreakers == PROFILE_BREAKERS_MAX)
		return profile_fail(c, "more than %d breaker lines", PROFILE_BREAKERS_MAX);
	b = &p->breakers[p->nbreakers];
	memset(b, 0, sizeof(*b));
	if (parse_sel_args(c, l, &i, &b->sel) != 0)
		return -1;
	if (i < l->n && strcmp(l->arg[i], "value") == 0) {
		b->mode = PROFILE_BREAKER_VALUE;
		i++;
		if (i < l->n && strcmp(l->arg[i], "max") == 0)
			b->agg = PROFILE_AGG_MAX, i++;
		else if (i < l->n && strcmp(l->arg[i], "min") == 0)
			b->agg = PROFILE_AGG_MIN, i++;
		else if (i < l->n && strcmp(l->arg[i], "sum") == 0)
			b->agg = PROFILE_AGG_SUM, i++;
	} else if (i < l->n && strcmp(l->arg[i], "label") == 0) {
		const char *q;

		b->mode = PROFILE_BREAKER_LABEL;
		if (++i == l->n || (q = l->arg[i], !read_name(&q, b->label, false)) || *q != '\0')
			return profile_fail(c, "breaker: expected a label name after 'label'");
		i++;
	} else {
		return profile_fail(c, "breaker: expected 'value' or 'label' after the selector");
	}
	if (i == l->n)
		return profile_fail(c, "breaker: expected mappings such as 0=closed 1=open");
	for (; i < l->n; i++) {
		if (b->nmaps == PROFILE_MAPS_MAX)
			return profile_fail(c, "breaker: more than %d mappings", PROFILE_MAPS_MAX);
		if (parse_map(c, l->arg[i], b->mode, &b->maps[b->nmaps++]) != 0)
			return -1;
	}
	p->nbreakers++;
	return 0;
}

static int parse_latency(struct profile_ctx *c, const struct profile_line *l, struct profile *p)
{
	static const char *const kinds[] = {
		[PROFILE_LATENCY_HISTOGRAM] = "histogram", [PROFILE_LATENCY_SUMMARY] = "summary",
		[PROFILE_LATENCY_AVERAGE] = "average",
	};
	int i = 2;

	if (p->latency != PROFILE_LATENCY_NONE)
		return profile_fail(c, "a second latency line");
	for (int k = PROFILE_LATENCY_HISTOGRAM; k <= PROFILE_LATENCY_AVERAGE; k++) {
		if (l->n > 1 && strcmp(l->arg[1], kinds[k]) == 0)
			p->latency = (enum profile_latency)k;
	}
	if (p->latency == PROFILE_LATENCY_NONE)
		return profile_fail(c, "latency: expected histogram, summary or average");
	if (parse_sel_args(c, l, &i, &p->latency_sel) != 0)
		return -1;
	if (i == l->n)
		return profile_fail(c, "latency: expected a unit (s, ms or us) after the selector");
	if (parse_unit(c, l->arg[i++], &p->latency_unit_ms) != 0)
		return -1;
	return expect_end(c, l, i);
}

static int parse_max(struct profile_ctx *c, const struct profile_line *l, struct profile *p)
{
	int i = 1;

	if (p->has_max)
		return profile_fail(c, "a second max line");
	if (parse_sel_args(c, l, &i, &p->max_sel) != 0)
		return -1;
	if (i == l->n)
		return profile_fail(c, "max: expected a unit (s, ms or us) after the selector");
	if (parse_unit(c, l->arg[i++], &p->max_unit_ms) != 0)
		return -1;
	p->has_max = true;
	return expect_end(c, l, i);
}

static int parse_rows(struct profile_ctx *c, const struct profile_line *l, struct profile *p)
{
	const char *q;

	if (p->row_label[0] != '\0')
		return profile_fail(c, "a second rows line");
	if (l->n < 2 || (q = l->arg[1], !read_name(&q, p->row_label, false)) || *q != '\0')
		return profile_fail(c, "rows: expected a label name");
	if (l->n > 2 && copy_word(c, p->row_noun, sizeof(p->row_noun), l->arg[2], "the row noun") != 0)
		return -1;
	if (l->n <= 2)
		str_printf(p->row_noun, sizeof(p->row_noun), "%s", p->row_label);
	return expect_end(c, l, l->n > 2 ? 3 : 2);
}

static int parse_detect(struct profile_ctx *c, const struct profile_line *l, struct profile *p)
{
	if (l->n < 2)
		return profile_fail(c, "detect: expected metric names");
	for (int i = 1; i < l->n; i++) {
		const char *q = l->arg[i];

		if (p->ndetect == PROFILE_DETECT_MAX)
			return profile_fail(c, "detect: more than %d metric names", PROFILE_DETECT_MAX);
		if (!read_name(&q, p->detect[p->ndetect], true) || *q != '\0')
			return profile_fail(c, "detect: '%s' is not a metric name", l->arg[i]);
		p->ndetect++;
	}
	return 0;
}

static int parse_error_class(struct profile_ctx *c, const struct profile_line *l,
			     struct profile *p, enum profile_class k)
{
	int i = 1;

	if (p->nerrors[k] == PROFILE_SELECTORS_MAX)
		return profile_fail(c, "more than %d %s lines", PROFILE_SELECTORS_MAX, class_names[k]);
	if (parse_sel_args(c, l, &i, &p->errors[k][p->nerrors[k]]) != 0)
		return -1;
	p->nerrors[k]++;
	return expect_end(c, l, i);
}

static int parse_name_line(struct profile_ctx *c, const struct profile_line *l, struct profile *p)
{
	const char *s;

	if (c->named)
		return profile_fail(c, "a second profile line");
	if (l->n != 2)
		return profile_fail(c, "profile: expected one name");
	for (s = l->arg[1]; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return profile_fail(c, "profile: a name is lower-case letters, digits, - and _");
	}
	c->named = true;
	return copy_word(c, p->name, sizeof(p->name), l->arg[1], "the profile name");
}

static int profile_line(struct profile_ctx *c, const struct profile_line *l, struct profile *p)
{
	const char *kw = l->arg[0];
	int i = 1;

	if (!c->named && strcmp(kw, "profile") != 0)
		return profile_fail(c, "expected 'profile NAME' first");
	if (strcmp(kw, "profile") == 0)
		return parse_name_line(c, l, p);
	if (strcmp(kw, "title") == 0)
		return l->n < 2 ? profile_fail(c, "title: expected text")
				: copy_word(c, p->title, sizeof(p->title), l->rest1, "the title");
	if (strcmp(kw, "rows") == 0)
		return parse_rows(c, l, p);
	if (strcmp(kw, "detect") == 0)
		return parse_detect(c, l, p);
	if (strcmp(kw, "latency") == 0)
		return parse_latency(c, l, p);
	if (strcmp(kw, "max") == 0)
		return parse_max(c, l, p);
	if (strcmp(kw, "breaker") == 0)
		return parse_breaker(c, l, p);
	if (strcmp(kw, "requests") == 0 || strcmp(kw, "failed") == 0) {
		bool *has = kw[0] == 'r' ? &p->has_requests : &p->has_failed;

		if (*has)
			return profile_fail(c, "a second %s line", kw);
		*has = true;
		return parse_sel_args(c, l, &i, kw[0] == 'r' ? &p->requests : &p->failed) != 0
			       ? -1 : expect_end(c, l, i);
	}
	for (int k = 0; k < PROFILE_CLASSES; k++) {
		if (strcmp(kw, class_names[k]) == 0)
			return parse_error_class(c, l, p, (enum profile_class)k);
	}
	return profile_fail(c, "unknown keyword '%s'", kw);
}

int profile_parse(const char *text, size_t len, const char *origin, struct profile *out,
		  char *err, size_t errlen)
{
	struct profile_ctx c = { .origin = origin, .err = err, .errlen = errlen };
	struct profile_line *l = xmalloc(sizeof(*l));
	const char *p = text, *end = text + len;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl != NULL ? nl : end) - p);

		c.lineno++;
		rc = profile_split(&c, p, n, l);
		if (rc == 0 && l->n > 0)
			rc = profile_line(&c, l, out);
		p = nl != NULL ? nl + 1 : end;
	}
	free(l);
	if (rc != 0)
		return -1;
	c.lineno++;
	if (!c.named)
		return profile_fail(&c, "no 'profile NAME' line");
	if (out->row_label[0] == '\0')
		return profile_fail(&c, "no 'rows LABEL' line");
	if (!out->has_requests && out->latency == PROFILE_LATENCY_NONE)
		return profile_fail(&c, "neither a requests nor a latency line");
	return 0;
}

const struct profile_builtin *profile_builtin_find(const char *name)
{
	for (const struct profile_builtin *b = profile_builtins; b->name != NULL; b++) {
		if (strcmp(b->name, name) == 0)
			return b;
	}
	return NULL;
}

int profile_load(const char *spec, struct profile *out, char *err, size_t errlen)
{
	const struct profile_builtin *b = profile_builtin_find(spec);
	char origin[PROFILE_NAME_LEN + 16], names[512] = "";
	struct cfgfile f;
	struct stat st;
	int rc;

	if (b != NULL && strchr(spec, '/') == NULL) {
		str_printf(origin, sizeof(origin), "%s.profile", b->name);
		return profile_parse(b->text, strlen(b->text), origin, out, err, errlen);
	}
	/* Looked at, not opened: opening a FIFO to see whether it exists would wait for a writer. */
	if (strchr(spec, '/') == NULL && stat(spec, &st) != 0) {
		for (b = profile_builtins; b->name != NULL; b++) {
			size_t at = strlen(names);

			str_printf(names + at, sizeof(names) - at, "%s%s", at > 0 ? " " : "", b->name);
		}
		str_printf(err, errlen, "unknown profile '%s' (built in: %s auto; or a file)", spec,
			   names);
		return -1;
	}
	/* Like every settings file: never blocking, capped, no NUL (cfgfile.h). */
	if (cfgfile_open(&f, spec, PROFILE_FILE_MAX, err, errlen) != 0)
		return -1;
	rc = profile_parse(f.text, f.len, spec, out, err, errlen);
	cfgfile_close(&f);
	return rc;
}
