/*
 * Router profiles: which metric families and labels of a router's
 * Prometheus exposition make up routertop's snapshot. A profile is a small
 * line-based data file (the format is in routertop(1), ROUTER PROFILES);
 * the built-in ones are the files in data/profiles/, compiled in.
 *
 * A profile names, for one kind of router:
 *  - the row label (what one row is: an Envoy cluster, an HAProxy backend);
 *  - the latency: a histogram (PromQL quantiles from its buckets), a
 *    summary (quantiles as given) or an average gauge, and its unit;
 *  - a max-latency gauge, the request counter;
 *  - error classes (timeouts, failures, rate-limited, breaker rejections,
 *    validation), each the sum of one or more selectors, and which requests
 *    count as failed (for the error rate; the failures class by default);
 *  - breaker rules: a value or a label of a series mapped to closed,
 *    half-open or open.
 *
 * Everything is a selector as PromQL writes it, `metric{label="v",
 * label=~"5.."}`, so the fleet source can turn a profile into queries
 * (profile_selector_promql); matching an exposition is profile_match_value.
 * A regular expression (=~, !~) is fully anchored, like PromQL's, and
 * limited to what routertop evaluates itself: literal characters, `\`
 * escapes, `.`, `|` and the repeats `*`, `+`, `?` after one character.
 *
 * The struct holds no pointers: copy it freely.
 */
#ifndef RT_FORMATS_PROFILE_H
#define RT_FORMATS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "metrics.h"

#define PROFILE_NAME_LEN 96		/* metric and label names, profile name */
#define PROFILE_TEXT_LEN 96		/* matcher values, words, title */
#define PROFILE_MATCHERS_MAX 4		/* per selector */
#define PROFILE_SELECTORS_MAX 4		/* per error class */
#define PROFILE_BREAKERS_MAX 4
#define PROFILE_MAPS_MAX 8		/* value or label mappings per breaker rule */
#define PROFILE_DETECT_MAX 4
#define PROFILE_FILE_MAX ((size_t)64 << 10)	/* a bigger profile file is refused */
#define PROFILE_ERR_LEN 256

enum profile_op { PROFILE_EQ, PROFILE_NE, PROFILE_RE, PROFILE_NRE };	/* = != =~ !~ */

struct profile_matcher {
	char label[PROFILE_NAME_LEN];
	enum profile_op op;
	char value[PROFILE_TEXT_LEN];
};

struct profile_selector {
	char metric[PROFILE_NAME_LEN];	/* as written on sample lines */
	/* The label naming the row in this family when it is not the profile's
	 * (`row=LABEL` in the file); "" for the profile's row label. */
	char row_label[PROFILE_NAME_LEN];
	int nmatchers;
	struct profile_matcher m[PROFILE_MATCHERS_MAX];
};

enum profile_latency {
	PROFILE_LATENCY_NONE,
	PROFILE_LATENCY_HISTOGRAM,	/* METRIC_bucket{le}, METRIC_sum, METRIC_count */
	PROFILE_LATENCY_SUMMARY,	/* METRIC{quantile}, METRIC_sum, METRIC_count */
	PROFILE_LATENCY_AVERAGE,	/* a gauge holding an average */
};

enum profile_class {
	PROFILE_TIMEOUTS,
	PROFILE_FAILURES,		/* failed requests too, unless `failed` says otherwise */
	PROFILE_RATE_LIMITED,
	PROFILE_BREAKER_REJECTIONS,	/* rejected by a breaker, or overflow */
	PROFILE_VALIDATION,
	PROFILE_CLASSES
};

enum profile_breaker_mode {
	PROFILE_BREAKER_VALUE,	/* the row's value (max, min or sum of its series) decides */
	PROFILE_BREAKER_LABEL,	/* the label of the row's non-zero series decides (a state set) */
};

enum profile_agg { PROFILE_AGG_MAX, PROFILE_AGG_MIN, PROFILE_AGG_SUM };

enum profile_cmp { PROFILE_CMP_EQ, PROFILE_CMP_GT, PROFILE_CMP_LT };

struct profile_state_map {
	enum profile_cmp cmp;		/* value mode: = > < number */
	double number;
	char text[PROFILE_TEXT_LEN];	/* label mode: the label value */
	enum breaker_state state;
};

struct profile_breaker {
	struct profile_selector sel;
	enum profile_breaker_mode mode;
	enum profile_agg agg;			/* value mode */
	char label[PROFILE_NAME_LEN];		/* label mode */
	int nmaps;
	struct profile_state_map maps[PROFILE_MAPS_MAX];
};

struct profile {
	char name[PROFILE_NAME_LEN];
	char title[PROFILE_TEXT_LEN];		/* "" when the file has none */
	char row_label[PROFILE_NAME_LEN];
	char row_noun[PROFILE_NAME_LEN];	/* what a row is: "cluster", "backend" */
	int ndetect;				/* metric names that must all be present */
	char detect[PROFILE_DETECT_MAX][PROFILE_NAME_LEN];
	enum profile_latency latency;
	struct profile_selector latency_sel;
	double latency_unit_ms;			/* one unit of the metric in ms */
	bool has_max;
	struct profile_selector max_sel;
	double max_unit_ms;
	bool has_requests;
	struct profile_selector requests;
	bool has_failed;			/* else failed = the failures class */
	struct profile_selector failed;
	int nerrors[PROFILE_CLASSES];
	struct profile_selector errors[PROFILE_CLASSES][PROFILE_SELECTORS_MAX];
	int nbreakers;
	struct profile_breaker breakers[PROFILE_BREAKERS_MAX];
};

/* One built-in profile: its name and the text of data/profiles/NAME.profile. */
struct profile_builtin {
	const char *name;
	const char *text;
};
/* In the order `--profile auto` tries them; ends with { NULL, NULL }. */
extern const struct profile_builtin profile_builtins[];

/*
 * Parse a profile's text (len bytes, need not be NUL-terminated). origin
 * names it in messages ("envoy.profile", a path). Returns 0, or -1 with a
 * located one-line message "ORIGIN:LINE: what is wrong" in err.
 */
int profile_parse(const char *text, size_t len, const char *origin, struct profile *out,
		  char *err, size_t errlen);

/*
 * A built-in profile by name, or a profile file when spec contains '/' or
 * names an existing file. Returns 0, or -1 with a message in err (an
 * unknown name lists the built-in ones).
 */
int profile_load(const char *spec, struct profile *out, char *err, size_t errlen);

/* The built-in profile called name, or NULL. */
const struct profile_builtin *profile_builtin_find(const char *name);

/* "timeouts", "failures", "rate-limited", "breaker-rejections", "validation". */
const char *profile_class_name(enum profile_class c);

/*
 * Whether a label's value satisfies a matcher. value NULL means the series
 * has no such label, which PromQL treats as the empty string.
 */
bool profile_match_value(const struct profile_matcher *m, const char *value);

/*
 * The selector as PromQL: `metric{label="v",label=~"5.."}`, with extra (may
 * be NULL or "") added inside the braces, e.g. `job="edge"`. Returns the
 * length it needed, like snprintf; buf is always terminated.
 */
size_t profile_selector_promql(const struct profile_selector *s, const char *extra, char *buf,
			       size_t len);

/*
 * The breaker state a rule maps a value to (value mode) or a label value to
 * (label mode: text), and in label mode the word to show when it differs
 * from the state's own name ("forced_open"). Returns false when no mapping
 * matches.
 */
bool profile_breaker_map_value(const struct profile_breaker *b, double value,
			       enum breaker_state *out);
bool profile_breaker_map_label(const struct profile_breaker *b, const char *text,
			       enum breaker_state *out);

#endif
