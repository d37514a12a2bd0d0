/*
 * PromQL for the fleet source (see promquery.h). Which figures each level
 * asks for:
 *
 *   figure        fleet (by BY)   total (no by)   rows (by ROW, BY="x")
 *   up            yes             -               -
 *   p50..p99      histogram       histogram       histogram
 *   avg           hist., summary  hist., summary  hist., summary, average gauge
 *   max           yes             yes             yes
 *   rate, counts  yes             yes             yes
 *   failed rate   yes             yes             yes  (with requests: the error rate)
 *   breakers      by (BY, ROW)    -               by (ROW)
 *
 * A summary's quantiles cannot be combined across series and an average
 * gauge cannot be weighted without its counts, so neither gives figures
 * above one row. The fleet's breaker comes from its instances' rows, so
 * the total level has none; `up` is per instance. Without --match, `up` is
 * narrowed to the scrape jobs that expose the router's families, so the
 * Prometheus server's own job and node exporters are not routers.
 */
#include "formats/promquery.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A bounded writer that counts what it would have needed, like snprintf. */
struct pq_out {
	char *buf;
	size_t len, at;
};

static void pq_put_n(struct pq_out *o, const char *s, size_t n)
{
	if (o->len > 0 && o->at < o->len - 1) {
		size_t room = o->len - 1 - o->at;

		memcpy(o->buf + o->at, s, n < room ? n : room);
		o->buf[o->at + (n < room ? n : room)] = '\0';
	}
	o->at += n;
}

static void pq_put(struct pq_out *o, const char *s)
{
	pq_put_n(o, s, strlen(s));
}

static void pq_printf(struct pq_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void pq_printf(struct pq_out *o, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		pq_put_n(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void pq_quote(struct pq_out *o, const char *v)
{
	pq_put(o, "\"");
	for (; *v != '\0'; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '\\' || c == '"') {
			char esc[2] = { '\\', (char)c };

			pq_put_n(o, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			pq_printf(o, "\\x%02x", c);
		} else {
			pq_put_n(o, v, 1);
		}
	}
	pq_put(o, "\"");
}

size_t promquery_quote(const char *value, char *buf, size_t len)
{
	struct pq_out o = { buf, len, 0 };

	if (len > 0)
		buf[0] = '\0';
	pq_quote(&o, value);
	return o.at;
}

static const char *const pq_ops[] = { "=", "!=", "=~", "!~" };

static void pq_matchers(struct pq_out *o, const struct promquery_matcher *m, int n, bool *any)
{
	for (int i = 0; i < n; i++) {
		pq_put(o, *any ? "," : "{");
		pq_put(o, m[i].label);
		pq_put(o, pq_ops[m[i].op]);
		pq_quote(o, m[i].value);
		*any = true;
	}
}

static void pq_selector(struct pq_out *o, const struct promquery_selector *s, const char *suffix,
			const struct promquery_match *match)
{
	bool any = false;

	pq_put(o, s->metric);
	pq_put(o, suffix);
	pq_matchers(o, s->m, s->nmatchers, &any);
	if (match != NULL)
		pq_matchers(o, match->m, match->n, &any);
	if (any)
		pq_put(o, "}");
}

size_t promquery_selector_text(const struct promquery_selector *s, const char *suffix,
			       const struct promquery_match *match, char *buf, size_t len)
{
	struct pq_out o = { buf, len, 0 };

	if (len > 0)
		buf[0] = '\0';
	pq_selector(&o, s, suffix != NULL ? suffix : "", match);
	return o.at;
}

static bool pq_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool pq_name_char(char c)
{
	return pq_name_start(c) || (c >= '0' && c <= '9');
}

bool promquery_label_ok(const char *s)
{
	if (s == NULL || !pq_name_start(s[0]) || strncmp(s, "__", 2) == 0)
		return false;
	for (s++; *s != '\0'; s++) {
		if (!pq_name_char(*s))
			return false;
	}
	return true;
}

bool promquery_duration_ok(const char *s)
{
	static const char *const units[] = { "ms", "s", "m", "h", "d", "w", "y" };
	bool any = false, nonzero = false;

	if (s == NULL || strlen(s) >= PROMQUERY_WINDOW_LEN)
		return false;
	while (*s != '\0') {
		size_t u;

		if (*s < '0' || *s > '9')
			return false;
		for (; *s >= '0' && *s <= '9'; s++)
			nonzero = nonzero || *s != '0';
		for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			size_t n = strlen(units[u]);

			if (strncmp(s, units[u], n) == 0 && !(n == 1 && s[0] == 'm' && s[1] == 's'))
				break;
		}
		if (u == sizeof(units) / sizeof(units[0]))
			return false;
		s += strlen(units[u]);
		any = true;
	}
	return any && nonzero;
}

/* ---- --match ---- */

struct pq_lex {
	const char *text, *p;
	char *err;
	size_t errlen;
};

static int pq_fail(struct pq_lex *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int pq_fail(struct pq_lex *l, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(l->err, l->errlen, "--match: column %zu: %s", (size_t)(l->p - l->text) + 1, what);
	return -1;
}

static void pq_ws(struct pq_lex *l)
{
	while (*l->p == ' ' || *l->p == '\t' || *l->p == '\n' || *l->p == '\r')
		l->p++;
}

static int pq_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append code point cp as UTF-8 to out (at *n, room for cap - 1 bytes). */
static int pq_put_utf8(struct pq_lex *l, uint32_t cp, char *out, size_t *n, size_t cap)
{
	unsigned char b[4];
	size_t k;

	if (cp == 0)
		return pq_fail(l, "a NUL in a value");
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return pq_fail(l, "not a Unicode character: U+%lX", (unsigned long)cp);
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	if (*n + k > cap - 1)
		return pq_fail(l, "a value longer than %zu bytes", cap - 1);
	memcpy(out + *n, b, k);
	*n += k;
	return 0;
}

static int pq_put_byte(struct pq_lex *l, unsigned char c, char *out, size_t *n, size_t cap)
{
	if (c == 0)
		return pq_fail(l, "a NUL in a value");
	if (*n + 1 > cap - 1)
		return pq_fail(l, "a value longer than %zu bytes", cap - 1);
	out[(*n)++] = (char)c;
	return 0;
}

/* The escape after a backslash (l->p is on the character after it). */
static int pq_escape(struct pq_lex *l, char *out, size_t *n, size_t cap)
{
	static const char simple[] = "abfnrtv\\'\"";
	static const char value[] = "\a\b\f\n\r\t\v\\'\"";
	const char *hit = *l->p != '\0' ? strchr(simple, *l->p) : NULL;
	int digits = 0;
	uint32_t cp = 0;

	if (hit != NULL) {
		l->p++;
		return pq_put_byte(l, (unsigned char)value[hit - simple], out, n, cap);
	}
	if (*l->p >= '0' && *l->p <= '7') {
		for (int i = 0; i < 3; i++, l->p++) {
			if (*l->p < '0' || *l->p > '7')
				return pq_fail(l, "expected three octal digits");
			cp = cp * 8 + (uint32_t)(*l->p - '0');
		}
		if (cp > 255)
			return pq_fail(l, "octal escape over \\377");
		return pq_put_byte(l, (unsigned char)cp, out, n, cap);
	}
	switch (*l->p) {
	case 'x':
		digits = 2;
		break;
	case 'u':
		digits = 4;
		break;
	case 'U':
		digits = 8;
		break;
	default:
		if ((unsigned char)*l->p > 0x20 && (unsigned char)*l->p < 0x7f)
			return pq_fail(l, "unknown escape \\%c", *l->p);
		return pq_fail(l, "unknown escape \\ followed by byte 0x%02x", (unsigned char)*l->p);
	}
	l->p++;
	for (int i = 0; i < digits; i++, l->p++) {
		int h = pq_hex(*l->p);

		if (h < 0)
			return pq_fail(l, "expected %d hexadecimal digits", digits);
		cp = cp * 16 + (uint32_t)h;
	}
	if (digits == 2)
		return pq_put_byte(l, (unsigned char)cp, out, n, cap);
	return pq_put_utf8(l, cp, out, n, cap);
}

/* A string literal at l->p into out (cap bytes), unescaped. */
static int pq_string(struct pq_lex *l, char *out, size_t cap)
{
	char quote = *l->p;
	size_t n = 0;

	if (quote != '"' && quote != '\'' && quote != '`')
		return pq_fail(l, "expected a quoted value");
	l->p++;
	while (*l->p != quote) {
		if (*l->p == '\0')
			return pq_fail(l, "unterminated value (no closing %c)", quote);
		if (quote != '`' && *l->p == '\n')
			return pq_fail(l, "a line break in a value");
		if (quote != '`' && *l->p == '\\') {
			l->p++;
			if (pq_escape(l, out, &n, cap) != 0)
				return -1;
			continue;
		}
		if (pq_put_byte(l, (unsigned char)*l->p, out, &n, cap) != 0)
			return -1;
		l->p++;
	}
	l->p++;
	out[n] = '\0';
	return 0;
}

static int pq_op(struct pq_lex *l, enum promquery_op *op)
{
	if (l->p[0] == '=' && l->p[1] == '~') {
		*op = PROMQUERY_RE;
		l->p += 2;
	} else if (l->p[0] == '!' && l->p[1] == '~') {
		*op = PROMQUERY_NRE;
		l->p += 2;
	} else if (l->p[0] == '!' && l->p[1] == '=') {
		*op = PROMQUERY_NE;
		l->p += 2;
	} else if (l->p[0] == '=') {
		*op = PROMQUERY_EQ;
		l->p++;
	} else {
		return pq_fail(l, "expected '=', '!=', '=~' or '!~'");
	}
	return 0;
}

static int pq_matcher(struct pq_lex *l, struct promquery_match *out)
{
	struct promquery_matcher *m;
	const char *start = l->p;
	size_t n;

	if (!pq_name_start(*l->p))
		return pq_fail(l, "expected a label name");
	while (pq_name_char(*l->p))
		l->p++;
	n = (size_t)(l->p - start);
	if (out->n >= PROMQUERY_MATCH_MAX - 1) {
		l->p = start;
		return pq_fail(l, "more than %d matchers", PROMQUERY_MATCH_MAX - 1);
	}
	if (n >= PROMQUERY_NAME_LEN) {
		l->p = start;
		return pq_fail(l, "a label name longer than %d bytes", PROMQUERY_NAME_LEN - 1);
	}
	if (n >= 2 && start[0] == '_' && start[1] == '_') {
		l->p = start;
		return pq_fail(l, "%.*s: label names starting with __ are Prometheus' own", (int)n,
			       start);
	}
	m = &out->m[out->n];
	memcpy(m->label, start, n);
	m->label[n] = '\0';
	pq_ws(l);
	if (pq_op(l, &m->op) != 0)
		return -1;
	pq_ws(l);
	if (pq_string(l, m->value, sizeof(m->value)) != 0)
		return -1;
	out->n++;
	return 0;
}

int promquery_match_parse(const char *text, struct promquery_match *out, char *err, size_t errlen)
{
	struct pq_lex l = { text, text, err, errlen };
	struct promquery_match tmp = *out;
	bool brace;

	pq_ws(&l);
	if (pq_name_start(*l.p)) {
		/* A metric name before the braces, or a bare matcher list? */
		const char *q = l.p;

		while (pq_name_char(*q))
			q++;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '{' || *q == '\0')
			return pq_fail(&l, "a metric name: --match takes label matchers only, "
				       "such as {job=\"edge\"}");
	}
	brace = *l.p == '{';
	if (brace)
		l.p++;
	for (;;) {
		pq_ws(&l);
		if (*l.p == '}' || *l.p == '\0')
			break;
		if (pq_matcher(&l, &tmp) != 0)
			return -1;
		pq_ws(&l);
		if (*l.p == ',')
			l.p++;
		else if (*l.p != '}' && *l.p != '\0')
			return pq_fail(&l, "expected ',' or '}'");
	}
	if (brace && *l.p != '}')
		return pq_fail(&l, "expected '}'");
	if (!brace && *l.p == '}')
		return pq_fail(&l, "a '}' without its '{'");
	if (brace)
		l.p++;
	pq_ws(&l);
	if (*l.p != '\0')
		return pq_fail(&l, "unexpected text after the matchers");
	*out = tmp;
	return 0;
}

int promquery_match_add(struct promquery_match *m, const char *label, enum promquery_op op,
			const char *value)
{
	struct promquery_matcher *one;

	if (m->n >= PROMQUERY_MATCH_MAX || strlen(label) >= PROMQUERY_NAME_LEN ||
	    strlen(value) >= PROMQUERY_VALUE_LEN)
		return -1;
	one = &m->m[m->n++];
	memcpy(one->label, label, strlen(label) + 1);
	one->op = op;
	memcpy(one->value, value, strlen(value) + 1);
	return 0;
}

/* ---- plans ---- */

struct pq_plan_ctx {
	const struct promquery_families *f;
	const struct promquery_scope *s;
	struct promquery_plan *out;
	char *err;
	size_t errlen;
	int failed;
};

/* The label a query groups by at this level for a family: BY, its ROW, or none. */
static const char *pq_group(const struct pq_plan_ctx *c, const struct promquery_selector *sel)
{
	switch (c->s->level) {
	case PROMQUERY_FLEET:
		return c->s->by;
	case PROMQUERY_ROWS:
		return sel->row_label[0] != '\0' ? sel->row_label : c->f->row_label;
	case PROMQUERY_TOTAL:
		break;
	}
	return "";
}

/* "sum by (G) (" or "sum(": an aggregation over the group, with extra labels first. */
static void pq_agg(struct pq_out *o, const char *op, const char *extra, const char *group)
{
	pq_put(o, op);
	if (extra[0] != '\0' || group[0] != '\0') {
		pq_put(o, " by (");
		pq_put(o, extra);
		if (extra[0] != '\0' && group[0] != '\0')
			pq_put(o, ", ");
		pq_put(o, group);
		pq_put(o, ") (");
	} else {
		pq_put(o, "(");
	}
}

/* `OP by (G) (rate(SEL_suffix[W]))` */
static void pq_rate(struct pq_out *o, const char *op, const char *extra, const char *group,
		    const struct promquery_selector *sel, const char *suffix,
		    const struct promquery_match *m, const char *window)
{
	pq_agg(o, op, extra, group);
	pq_put(o, "rate(");
	pq_selector(o, sel, suffix, m);
	pq_printf(o, "[%s]))", window);
}

static struct promquery_query *pq_new(struct pq_plan_ctx *c, enum promquery_what what, int index,
				      const char *name, const char *group)
{
	struct promquery_query *q;

	if (c->failed)
		return NULL;
	if (c->out->n >= PROMQUERY_PLAN_MAX) {
		snprintf(c->err, c->errlen, "more than %d queries", PROMQUERY_PLAN_MAX);
		c->failed = 1;
		return NULL;
	}
	q = &c->out->q[c->out->n];
	memset(q, 0, sizeof(*q));
	q->what = what;
	q->index = index;
	snprintf(q->name, sizeof(q->name), "%s", name);
	snprintf(q->group, sizeof(q->group), "%s", group);
	return q;
}

/* Keep the query written to o, or fail when it did not fit. */
static void pq_keep(struct pq_plan_ctx *c, struct promquery_query *q, const struct pq_out *o)
{
	if (o->at >= sizeof(q->text)) {
		snprintf(c->err, c->errlen, "query %s: longer than %zu bytes", q->name,
			 sizeof(q->text) - 1);
		c->failed = 1;
		return;
	}
	c->out->n++;
}

static void pq_plan_up(struct pq_plan_ctx *c)
{
	const struct promquery_families *f = c->f;
	const char *detect = f->detect[0] != '\0' ? f->detect :
			     f->has_requests ? f->requests.metric : "";
	struct promquery_query *q = pq_new(c, PROMQUERY_UP, 0, "up", c->s->by);
	struct pq_out o;

	if (q == NULL)
		return;
	o = (struct pq_out){ q->text, sizeof(q->text), 0 };
	pq_agg(&o, "max", "", c->s->by);
	if (c->s->match.n > 0 || detect[0] == '\0') {
		struct promquery_selector up = { .metric = "up" };

		pq_selector(&o, &up, "", &c->s->match);
	} else {
		pq_printf(&o, "up and on (job) group by (job) (%s)", detect);
	}
	pq_put(&o, ")");
	pq_keep(c, q, &o);
}

static void pq_plan_latency(struct pq_plan_ctx *c)
{
	static const struct {
		enum promquery_what what;
		const char *q, *name;
	} qs[] = {
		{ PROMQUERY_P50, "0.5", "p50" }, { PROMQUERY_P90, "0.9", "p90" },
		{ PROMQUERY_P95, "0.95", "p95" }, { PROMQUERY_P99, "0.99", "p99" },
	};
	const struct promquery_selector *sel = &c->f->latency_sel;
	const char *g = pq_group(c, sel);
	struct promquery_query *q;
	struct pq_out o;

	if (c->f->latency == PROMQUERY_LATENCY_HISTOGRAM) {
		for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
			if ((q = pq_new(c, qs[i].what, 0, qs[i].name, g)) == NULL)
				return;
			o = (struct pq_out){ q->text, sizeof(q->text), 0 };
			pq_printf(&o, "histogram_quantile(%s, ", qs[i].q);
			pq_rate(&o, "sum", "le", g, sel, "_bucket", &c->s->match, c->s->window);
			pq_put(&o, ")");
			pq_keep(c, q, &o);
		}
	}
	if (c->f->latency == PROMQUERY_LATENCY_HISTOGRAM ||
	    c->f->latency == PROMQUERY_LATENCY_SUMMARY) {
		if ((q = pq_new(c, PROMQUERY_AVG, 0, "avg", g)) == NULL)
			return;
		o = (struct pq_out){ q->text, sizeof(q->text), 0 };
		pq_rate(&o, "sum", "", g, sel, "_sum", &c->s->match, c->s->window);
		pq_put(&o, " / ");
		pq_rate(&o, "sum", "", g, sel, "_count", &c->s->match, c->s->window);
		pq_keep(c, q, &o);
	} else if (c->f->latency == PROMQUERY_LATENCY_AVERAGE && c->s->level == PROMQUERY_ROWS) {
		if ((q = pq_new(c, PROMQUERY_AVG, 0, "avg", g)) == NULL)
			return;
		o = (struct pq_out){ q->text, sizeof(q->text), 0 };
		pq_agg(&o, "avg", "", g);
		pq_selector(&o, sel, "", &c->s->match);
		pq_put(&o, ")");
		pq_keep(c, q, &o);
	}
}

/* `OP by (G) (SEL)`: a counter or gauge summed (or its max) per group. */
static void pq_plan_plain(struct pq_plan_ctx *c, enum promquery_what what, int index,
			  const char *name, const char *op, const struct promquery_selector *sel)
{
	const char *g = pq_group(c, sel);
	struct promquery_query *q = pq_new(c, what, index, name, g);
	struct pq_out o;

	if (q == NULL)
		return;
	o = (struct pq_out){ q->text, sizeof(q->text), 0 };
	pq_agg(&o, op, "", g);
	pq_selector(&o, sel, "", &c->s->match);
	pq_put(&o, ")");
	pq_keep(c, q, &o);
}

static void pq_plan_requests(struct pq_plan_ctx *c)
{
	const struct promquery_selector *sel = &c->f->requests;
	const char *g = pq_group(c, sel);
	struct promquery_query *q;
	struct pq_out o;

	if (!c->f->has_requests)
		return;
	if ((q = pq_new(c, PROMQUERY_RATE, 0, "rate", g)) == NULL)
		return;
	o = (struct pq_out){ q->text, sizeof(q->text), 0 };
	pq_rate(&o, "sum", "", g, sel, "", &c->s->match, c->s->window);
	pq_keep(c, q, &o);
	pq_plan_plain(c, PROMQUERY_REQUESTS, 0, "requests", "sum", sel);
}

/* The failed share needs a rate: of the failed family, else of each failures selector. */
static void pq_plan_failed_rate(struct pq_plan_ctx *c)
{
	const struct promquery_families *f = c->f;
	int n = f->has_failed ? 1 : f->nerrors[PROMQUERY_FAILURES];
	char name[PROMQUERY_QNAME_LEN];

	if (!f->has_requests)
		return;
	for (int i = 0; i < n && i < PROMQUERY_SELECTORS_MAX; i++) {
		const struct promquery_selector *sel = f->has_failed ? &f->failed :
						       &f->errors[PROMQUERY_FAILURES][i];
		const char *g = pq_group(c, sel);
		struct promquery_query *q;
		struct pq_out o;

		if (n > 1)
			snprintf(name, sizeof(name), "failed rate %d", i + 1);
		else
			snprintf(name, sizeof(name), "failed rate");
		if ((q = pq_new(c, PROMQUERY_FAILED_RATE, i, name, g)) == NULL)
			return;
		o = (struct pq_out){ q->text, sizeof(q->text), 0 };
		pq_rate(&o, "sum", "", g, sel, "", &c->s->match, c->s->window);
		pq_keep(c, q, &o);
	}
}

static void pq_plan_errors(struct pq_plan_ctx *c)
{
	char name[PROMQUERY_QNAME_LEN];

	if (c->f->has_failed)
		pq_plan_plain(c, PROMQUERY_FAILED, 0, "failed", "sum", &c->f->failed);
	pq_plan_failed_rate(c);
	for (int k = 0; k < PROMQUERY_CLASSES; k++) {
		int n = c->f->nerrors[k];

		for (int i = 0; i < n && i < PROMQUERY_SELECTORS_MAX; i++) {
			if (n > 1)
				snprintf(name, sizeof(name), "%s %d",
					 promquery_class_name((enum promquery_class)k), i + 1);
			else
				snprintf(name, sizeof(name), "%s",
					 promquery_class_name((enum promquery_class)k));
			pq_plan_plain(c, PROMQUERY_ERRORS, k, name, "sum", &c->f->errors[k][i]);
		}
	}
}

static void pq_plan_breakers(struct pq_plan_ctx *c)
{
	static const char *const aggs[] = { "max", "min", "sum" };
	char name[PROMQUERY_QNAME_LEN], extra[2 * PROMQUERY_NAME_LEN + 4];

	for (int i = 0; i < c->f->nbreakers && i < PROMQUERY_BREAKERS_MAX; i++) {
		const struct promquery_breaker *b = &c->f->breakers[i];
		const char *row = b->sel.row_label[0] != '\0' ? b->sel.row_label : c->f->row_label;
		bool label = b->mode == PROMQUERY_BREAKER_LABEL;
		struct promquery_query *q;
		struct pq_out o;

		if (c->f->nbreakers > 1)
			snprintf(name, sizeof(name), "breaker %d", i + 1);
		else
			snprintf(name, sizeof(name), "breaker");
		if ((q = pq_new(c, PROMQUERY_BREAKER, i, name, pq_group(c, &b->sel))) == NULL)
			return;
		/* At the fleet level each instance's rows, so the worst can be told apart. */
		if (c->s->level == PROMQUERY_FLEET)
			snprintf(q->row, sizeof(q->row), "%s", row);
		if (label)
			snprintf(q->label, sizeof(q->label), "%s", b->label);
		snprintf(extra, sizeof(extra), "%s%s%s", q->row, q->row[0] != '\0' && label ? ", " : "",
			 q->label);
		o = (struct pq_out){ q->text, sizeof(q->text), 0 };
		/* The group last, as the other queries have it: by (BY, ROW[, LABEL]). */
		pq_agg(&o, label ? "max" : aggs[b->agg], q->group, extra);
		pq_selector(&o, &b->sel, "", &c->s->match);
		pq_put(&o, label ? ") != 0" : ")");
		pq_keep(c, q, &o);
	}
}

int promquery_plan(const struct promquery_families *f, const struct promquery_scope *scope,
		   struct promquery_plan *out, char *err, size_t errlen)
{
	struct pq_plan_ctx c = { f, scope, out, err, errlen, 0 };

	out->n = 0;
	if (!promquery_duration_ok(scope->window)) {
		snprintf(err, errlen, "bad rate window '%s': expected a duration such as 1m or 90s",
			 scope->window);
		return -1;
	}
	if (scope->level != PROMQUERY_TOTAL && !promquery_label_ok(scope->by)) {
		snprintf(err, errlen, "bad label name '%s'", scope->by);
		return -1;
	}
	if (scope->level == PROMQUERY_ROWS && !promquery_label_ok(f->row_label)) {
		snprintf(err, errlen, "no row label to group an instance's rows by");
		return -1;
	}
	if (scope->level == PROMQUERY_FLEET)
		pq_plan_up(&c);
	pq_plan_latency(&c);
	if (f->has_max)
		pq_plan_plain(&c, PROMQUERY_MAX, 0, "max", "max", &f->max_sel);
	pq_plan_requests(&c);
	pq_plan_errors(&c);
	if (scope->level != PROMQUERY_TOTAL)
		pq_plan_breakers(&c);
	if (c.failed) {
		out->n = 0;
		return -1;
	}
	return 0;
}

const char *promquery_what_name(enum promquery_what what)
{
	static const char *const names[] = {
		"up", "p50", "p90", "p95", "p99", "avg", "max", "rate", "requests", "failed",
		"failed rate", "errors", "breaker",
	};

	if ((unsigned)what < sizeof(names) / sizeof(names[0]))
		return names[what];
	return "?";
}

const char *promquery_class_name(enum promquery_class c)
{
	static const char *const names[] = {
		"timeouts", "failures", "rate-limited", "breaker-rejections", "validation",
	};

	if ((unsigned)c < sizeof(names) / sizeof(names[0]))
		return names[c];
	return "?";
}
