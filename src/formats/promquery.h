/*
 * The PromQL the fleet source sends to a Prometheus server (or Thanos,
 * Mimir, VictoriaMetrics: the same HTTP API). From the metric families of
 * one kind of router (a router profile's) it builds the instant queries of
 * one interval at one of three levels:
 *
 *   fleet  one series per instance:  ... by (BY) ...
 *   total  the whole fleet:          the same without by
 *   rows   one instance's own rows:  ... by (ROW) ... with BY="that instance"
 *
 * and each query says what it fills (a percentile, the request rate, an
 * error class ...). Percentiles are Prometheus' own histogram_quantile over
 * the rate of the buckets, summed per group first, so they are the
 * percentiles of everything the group served (never an average of
 * percentiles):
 *
 *   histogram_quantile(0.95, sum by (le, BY) (rate(X_bucket{MATCH}[WINDOW])))
 *
 * --match (a list of label matchers, "{job=\"edge\"}") is added inside the
 * braces of every selector, after the family's own matchers; label values
 * are always written escaped, so no value can end the string it sits in.
 *
 * The input is a small struct of family names and labels, laid out as the
 * router profiles' (formats/profile.h) so one is filled from the other
 * field by field. Nothing here does I/O or touches the screen.
 */
#ifndef RT_FORMATS_PROMQUERY_H
#define RT_FORMATS_PROMQUERY_H

#include <stdbool.h>
#include <stddef.h>

#define PROMQUERY_NAME_LEN 96		/* metric and label names */
#define PROMQUERY_VALUE_LEN 512		/* a matcher's value (an instance's name, a regex) */
#define PROMQUERY_MATCHERS_MAX 4	/* per family selector */
#define PROMQUERY_MATCH_MAX 16		/* in --match, with room for the rows level's own */
#define PROMQUERY_SELECTORS_MAX 4	/* per error class */
#define PROMQUERY_BREAKERS_MAX 4
#define PROMQUERY_WINDOW_LEN 32
#define PROMQUERY_LEN 4096		/* one query's text, with its terminator */
#define PROMQUERY_PLAN_MAX 48		/* queries in one plan */
#define PROMQUERY_QNAME_LEN 40

enum promquery_op { PROMQUERY_EQ, PROMQUERY_NE, PROMQUERY_RE, PROMQUERY_NRE };	/* = != =~ !~ */

struct promquery_matcher {
	char label[PROMQUERY_NAME_LEN];
	enum promquery_op op;
	char value[PROMQUERY_VALUE_LEN];	/* unescaped; a regex for =~ and !~ */
};

/* A family with its own matchers: `metric{label="v"}`. */
struct promquery_selector {
	char metric[PROMQUERY_NAME_LEN];
	/* The label naming a router's row in this family when it is not the
	 * router's own row label; "" for that one. */
	char row_label[PROMQUERY_NAME_LEN];
	int nmatchers;
	struct promquery_matcher m[PROMQUERY_MATCHERS_MAX];
};

enum promquery_latency {
	PROMQUERY_LATENCY_NONE,
	PROMQUERY_LATENCY_HISTOGRAM,	/* METRIC_bucket{le}, METRIC_sum, METRIC_count */
	PROMQUERY_LATENCY_SUMMARY,	/* METRIC{quantile}, METRIC_sum, METRIC_count */
	PROMQUERY_LATENCY_AVERAGE,	/* a gauge holding an average, per row */
};

/* The error classes, in the order of a profile's. */
enum promquery_class {
	PROMQUERY_TIMEOUTS,
	PROMQUERY_FAILURES,
	PROMQUERY_RATE_LIMITED,
	PROMQUERY_BREAKER_REJECTIONS,
	PROMQUERY_VALIDATION,
	PROMQUERY_CLASSES
};

enum promquery_breaker_mode {
	PROMQUERY_BREAKER_VALUE,	/* the row's value (AGG of its series) decides */
	PROMQUERY_BREAKER_LABEL,	/* the label of the row's non-zero series decides */
};

enum promquery_agg { PROMQUERY_AGG_MAX, PROMQUERY_AGG_MIN, PROMQUERY_AGG_SUM };

struct promquery_breaker {
	struct promquery_selector sel;
	enum promquery_breaker_mode mode;
	enum promquery_agg agg;			/* value mode */
	char label[PROMQUERY_NAME_LEN];		/* label mode */
};

/* Which families make up one kind of router (from its profile). */
struct promquery_families {
	char row_label[PROMQUERY_NAME_LEN];	/* what one of a router's rows is: "upstream" */
	/* A family every router of this kind exposes: which scrape jobs are routers. */
	char detect[PROMQUERY_NAME_LEN];
	enum promquery_latency latency;
	struct promquery_selector latency_sel;
	bool has_max;
	struct promquery_selector max_sel;
	bool has_requests;
	struct promquery_selector requests;
	bool has_failed;
	struct promquery_selector failed;
	int nerrors[PROMQUERY_CLASSES];
	struct promquery_selector errors[PROMQUERY_CLASSES][PROMQUERY_SELECTORS_MAX];
	int nbreakers;
	struct promquery_breaker breakers[PROMQUERY_BREAKERS_MAX];
};

/* Label matchers added to every selector (--match). */
struct promquery_match {
	int n;
	struct promquery_matcher m[PROMQUERY_MATCH_MAX];
};

enum promquery_level {
	PROMQUERY_FLEET,	/* by (BY): one series per instance */
	PROMQUERY_TOTAL,	/* no by: the whole fleet */
	PROMQUERY_ROWS,		/* by (ROW): the rows of the instance the match names */
};

struct promquery_scope {
	enum promquery_level level;
	char by[PROMQUERY_NAME_LEN];		/* the instance label: "instance" */
	char window[PROMQUERY_WINDOW_LEN];	/* the rate window: "1m" */
	/* Added to every selector; for PROMQUERY_ROWS it ends with BY="instance". */
	struct promquery_match match;
};

/* What the answer to one query fills. */
enum promquery_what {
	PROMQUERY_UP,		/* 1 when the scrape worked, 0 when it did not */
	PROMQUERY_P50,
	PROMQUERY_P90,
	PROMQUERY_P95,
	PROMQUERY_P99,
	PROMQUERY_AVG,		/* in the latency family's unit */
	PROMQUERY_MAX,		/* in the max family's unit */
	PROMQUERY_RATE,		/* requests per second over the window */
	PROMQUERY_REQUESTS,	/* the request counter (cumulative) */
	PROMQUERY_FAILED,	/* the failed-request counter (cumulative) */
	PROMQUERY_FAILED_RATE,	/* failed requests per second over the window (one
				 * query per failures selector when there is no failed family) */
	PROMQUERY_ERRORS,	/* one selector of error class `index` (cumulative) */
	PROMQUERY_BREAKER,	/* breaker rule `index`: one series per row (and state label) */
};

struct promquery_query {
	enum promquery_what what;
	int index;				/* the class or breaker rule; 0 otherwise */
	char name[PROMQUERY_QNAME_LEN];		/* for messages: "p95", "timeouts", "breaker 2" */
	/* The labels a series of the answer carries: */
	char group[PROMQUERY_NAME_LEN];		/* BY (fleet), ROW (rows), "" (total) */
	char row[PROMQUERY_NAME_LEN];		/* a breaker at the fleet level: its ROW too */
	char label[PROMQUERY_NAME_LEN];		/* a label-mode breaker: its state label */
	char text[PROMQUERY_LEN];
};

struct promquery_plan {
	int n;
	struct promquery_query q[PROMQUERY_PLAN_MAX];
};

/*
 * Parse --match: label matchers as PromQL writes them inside braces,
 * `{job="edge",env=~"prod.*"}`, with or without the braces; values in
 * double or single quotes (Go escapes: \\ \" \' \n \t \r \a \b \f \v, \xHH,
 * \uXXXX, \UXXXXXXXX, \OOO) or backquotes (raw). Appends to *out. Returns 0,
 * or -1 with a message naming the column ("--match: column 7: expected
 * '=', '!=', '=~' or '!~'"); a metric name, __name__, more than
 * PROMQUERY_MATCH_MAX - 1 matchers (one is kept for the rows level) or a
 * value longer than PROMQUERY_VALUE_LEN - 1 bytes is refused.
 */
int promquery_match_parse(const char *text, struct promquery_match *out, char *err, size_t errlen);

/*
 * Append one matcher. Returns 0, or -1 when *m is full or a name or value
 * does not fit (nothing is added then).
 */
int promquery_match_add(struct promquery_match *m, const char *label, enum promquery_op op,
			const char *value);

/* Whether s is a label name PromQL takes: [a-zA-Z_][a-zA-Z0-9_]*, not reserved (__...). */
bool promquery_label_ok(const char *s);

/* Whether s is a PromQL duration such as 30s, 1m, 1h30m (units ms s m h d w y). */
bool promquery_duration_ok(const char *s);

/*
 * Write value as a PromQL string literal, quotes included: `"a\"b"`. Bytes
 * below 0x20 and DEL are written as \xHH. Returns the length it needed,
 * like snprintf; buf (len > 0) is always terminated.
 */
size_t promquery_quote(const char *value, char *buf, size_t len);

/*
 * A selector as PromQL, with the match's matchers added inside the braces
 * after its own, and suffix ("_bucket", may be "") after the metric name:
 * `X_bucket{code="5xx",job="edge"}`. Returns the length it needed; buf
 * (len > 0) is always terminated.
 */
size_t promquery_selector_text(const struct promquery_selector *s, const char *suffix,
			       const struct promquery_match *match, char *buf, size_t len);

/*
 * Build every query of one interval at the scope's level into *out (see the
 * opening comment; which figures each level has is in promquery.c). The
 * scope's by and window must be valid (promquery_label_ok,
 * promquery_duration_ok), and for PROMQUERY_ROWS the families need a row
 * label. Returns 0, or -1 with a one-line message in err (a bad scope, a
 * query longer than PROMQUERY_LEN - 1 bytes).
 */
int promquery_plan(const struct promquery_families *f, const struct promquery_scope *scope,
		   struct promquery_plan *out, char *err, size_t errlen);

/* "p50" ... "breaker": a word for what a query fills. */
const char *promquery_what_name(enum promquery_what what);
/* "timeouts", "failures", "rate-limited", "breaker-rejections", "validation". */
const char *promquery_class_name(enum promquery_class c);

#endif
