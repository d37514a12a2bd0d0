/*
 * The Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text:
 * bytes in, a table of series out. Nothing here draws or prints; label
 * values and HELP text are outside text and must pass the sanitiser before
 * any sink.
 *
 * What one parse produces:
 *  - families: one per metric family, from `# TYPE`/`# HELP`/`# UNIT` lines
 *    or, for a sample without them, an untyped family named as the sample;
 *  - series: one per sample line, with the metric name as written on that
 *    line (name id), its family, its label set (id) and, for a histogram
 *    bucket or a summary quantile, the `le` or `quantile` value as a number
 *    (so "1", "1.0" and "1e0" are one bucket) kept apart from the labels;
 *  - label sets, interned: two lines with the same labels (in any order)
 *    share one id, so grouping by labels is comparing integers.
 *
 * Lenient where routers differ, strict where numbers would be wrong: a bad
 * line is a located error ("line 4312: expected a value after the labels")
 * that skips that line and is counted, and the rest is used; a body over
 * its cap or more series than the cap fail the whole parse.
 *
 * A struct expo is reused from scrape to scrape: each parse starts afresh
 * but keeps the memory, so a steady scrape allocates nothing.
 */
#ifndef RT_FORMATS_EXPO_H
#define RT_FORMATS_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Default caps; struct expo_options may lower or raise them. */
#define EXPO_BODY_MAX ((size_t)64 << 20)
#define EXPO_LINE_MAX ((size_t)64 << 10)
#define EXPO_LINE_HARD_MAX ((size_t)1 << 20)	/* no option goes above this */
#define EXPO_SERIES_MAX ((size_t)1000000)
#define EXPO_LABELS_MAX 128			/* labels on one line */
#define EXPO_ERRORS_KEPT 8			/* messages kept; all are counted */
#define EXPO_ERR_LEN 160

#define EXPO_NONE UINT32_MAX			/* "no such id" */
#define EXPO_NO_TIMESTAMP INT64_MIN

enum expo_type {
	EXPO_UNTYPED = 0,	/* "untyped" (0.0.4), "unknown" (OpenMetrics), or no TYPE line */
	EXPO_COUNTER,
	EXPO_GAUGE,
	EXPO_HISTOGRAM,
	EXPO_GAUGE_HISTOGRAM,
	EXPO_SUMMARY,
	EXPO_STATESET,
	EXPO_INFO,
};

/* Which text: timestamps are milliseconds in 0.0.4 and seconds in OpenMetrics. */
enum expo_syntax {
	EXPO_SYNTAX_AUTO = 0,	/* OpenMetrics when the body ends with `# EOF`, else 0.0.4 */
	EXPO_SYNTAX_TEXT,	/* text/plain; version=0.0.4 */
	EXPO_SYNTAX_OPENMETRICS,	/* application/openmetrics-text */
};

/* Which label of a series expo_series.bound came from. */
enum expo_bound {
	EXPO_BOUND_NONE = 0,
	EXPO_BOUND_LE,		/* a histogram bucket's upper bound */
	EXPO_BOUND_QUANTILE,	/* a summary's quantile */
};

struct expo_options {
	enum expo_syntax syntax;
	size_t body_max;	/* 0: EXPO_BODY_MAX */
	size_t line_max;	/* 0: EXPO_LINE_MAX; at most EXPO_LINE_HARD_MAX */
	size_t series_max;	/* 0: EXPO_SERIES_MAX */
};

struct expo_label {
	const char *name;	/* NUL-terminated; valid until the next parse */
	const char *value;	/* unescaped, NUL-terminated, never contains NUL */
};

struct expo_family {
	const char *name;
	const char *help;	/* unescaped; "" when there was no HELP line */
	const char *unit;	/* OpenMetrics UNIT; "" when absent */
	enum expo_type type;
	bool typed;		/* a TYPE line named it */
};

struct expo_series {
	uint32_t name;		/* metric name as written: expo_name() */
	uint32_t family;	/* expo_family_at() */
	uint32_t labels;	/* label set: expo_labels() (without le or quantile) */
	enum expo_bound bound_kind;
	double bound;		/* the le or quantile value; NAN when bound_kind is NONE */
	double value;		/* NaN, +Inf and -Inf as written */
	int64_t timestamp_ms;	/* EXPO_NO_TIMESTAMP when the line had none */
};

struct expo;

/* A new, empty exposition. Never returns NULL (aborts via fatal() without memory). */
struct expo *expo_new(void);
void expo_free(struct expo *e);	/* NULL is fine */

/*
 * Parse len bytes of text (need not be NUL-terminated) into e, replacing
 * what it held. o may be NULL for the defaults. Returns 0 when the body
 * was read, bad lines included (see expo_error_count). Returns -1 with a
 * one-line message in err when the whole body is refused: over the body
 * cap or over the series cap; e is then empty.
 */
int expo_parse(struct expo *e, const char *text, size_t len, const struct expo_options *o,
	       char *err, size_t errlen);

/* Whether the last parse read OpenMetrics (forced, or a `# EOF` line seen). */
bool expo_is_openmetrics(const struct expo *e);

/* Bad lines of the last parse: how many, and the first EXPO_ERRORS_KEPT messages. */
size_t expo_error_count(const struct expo *e);
const char *expo_error_at(const struct expo *e, size_t i);	/* NULL past the kept ones */

size_t expo_series_count(const struct expo *e);
const struct expo_series *expo_series_at(const struct expo *e, size_t i);

size_t expo_family_count(const struct expo *e);
const struct expo_family *expo_family_at(const struct expo *e, uint32_t id);
/* The family id for a family name, or EXPO_NONE. */
uint32_t expo_family_find(const struct expo *e, const char *name);

/* Metric names as written on sample lines ("foo_bucket", "foo_total"). */
size_t expo_name_count(const struct expo *e);
const char *expo_name(const struct expo *e, uint32_t id);
uint32_t expo_name_find(const struct expo *e, const char *name);	/* or EXPO_NONE */
/*
 * The series (indexes for expo_series_at) whose metric name is id, in the
 * order of the body; *n is set to their count (0 and NULL for EXPO_NONE).
 */
const uint32_t *expo_series_named(const struct expo *e, uint32_t id, size_t *n);

/* A label set's labels, sorted by name; *n is set to their count. */
const struct expo_label *expo_labels(const struct expo *e, uint32_t id, size_t *n);
/* The value of label `name` in label set id, or NULL when it has none. */
const char *expo_label_get(const struct expo *e, uint32_t id, const char *name);
size_t expo_labelset_count(const struct expo *e);

/* "counter", "gauge", "histogram", "gaugehistogram", "summary", "stateset", "info", "untyped". */
const char *expo_type_name(enum expo_type type);

/*
 * Write v as the exposition formats spell it: "NaN", "+Inf", "-Inf", or the
 * shortest "%.*g" that reads back to exactly v, with '.' as the decimal point
 * whatever the locale. buf needs EXPO_NUMBER_LEN bytes.
 */
#define EXPO_NUMBER_LEN 32
void expo_format_number(char buf[EXPO_NUMBER_LEN], double v);

/*
 * Append text to *buf (growing it; *len and *cap track it) with the escapes
 * of a label value (backslash, double quote, newline) or, when help is true,
 * of HELP text (backslash, newline).
 */
void expo_append_escaped(char **buf, size_t *len, size_t *cap, const char *text, bool help);

/*
 * The whole exposition as 0.0.4 text: for each family its HELP and TYPE
 * lines (when it had them) and its series; timestamps in milliseconds.
 * Parsing the result gives the same families and series. The caller frees
 * the result; *len is set to its length (it is also NUL-terminated).
 */
char *expo_to_text(const struct expo *e, size_t *len);

#endif
