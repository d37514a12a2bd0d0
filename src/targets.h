/*
 * Performance targets and their evaluation. Defaults come from the seeds:
 * P95 < 150 ms, P99 < 500 ms, throughput > 100 req/s, error rate < 1 %,
 * breaker recovery < 60 s. Each target evaluates to OK, WARN (within the warn
 * band, 20 % of the limit by default, on the approach to the bad side), FAIL,
 * or UNKNOWN (no data, the newest data is older than two intervals, or the
 * router is down: its collector cannot reach it, scrape.up in metrics.h).
 *
 * Rows (metrics.h) are evaluated one by one against the same targets, with
 * two differences: a target may be set for one row ("search:p99=800"), and
 * throughput, a figure of the whole router, applies to a row only when it is
 * set for that row (else the row's throughput is shown with "no target").
 */
#ifndef RT_TARGETS_H
#define RT_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

struct history;

/* Rows that can have targets of their own. */
#define TARGETS_ROWS_MAX 64

enum target_status { STATUS_OK = 0, STATUS_WARN, STATUS_FAIL, STATUS_UNKNOWN };

enum target_id {
	TARGET_P95,		/* key "p95", ms, value must stay below */
	TARGET_P99,		/* key "p99", ms, below */
	TARGET_THROUGHPUT,	/* key "throughput", req/s, above */
	TARGET_ERROR_RATE,	/* key "error-rate", percent, below */
	TARGET_RECOVERY,	/* key "recovery", seconds, below */
	TARGET_COUNT
};

/* The limits one evaluation uses. A NAN limit is no target: graded OK, note "no target". */
struct target_limits {
	double limit[TARGET_COUNT];
	double warn_band;	/* key "warn": fraction of the limit, default 0.20 */
};

/* Targets set for one row; NAN means as for every row. */
struct target_row {
	char row[METRICS_NAME_LEN];	/* as metrics_copy_text shows it */
	double limit[TARGET_COUNT];
	double warn_band;
};

struct target_set {
	/* The router's (the aggregate's) targets, which rows inherit. */
	double limit[TARGET_COUNT];
	double warn_band;	/* key "warn": fraction of the limit, default 0.20 */
	struct target_row rows[TARGETS_ROWS_MAX];
	size_t nrows;
};

struct target_result {
	enum target_status status;
	double value;		/* in the target's unit; NAN when there is no data */
	const char *note;	/* short reason when UNKNOWN ("no data", "stale"), or NULL */
};

struct evaluation {
	struct target_result t[TARGET_COUNT];
	enum target_status overall;	/* FAIL > WARN > UNKNOWN > OK */
	bool stale;
	bool down;		/* the newest snapshot says its router is down (scrape.up 0) */
	struct target_limits limits;	/* what was evaluated against */
};

void targets_defaults(struct target_set *ts);

/*
 * Apply one "KEY=VALUE" or "ROW:KEY=VALUE" setting (as given to --target).
 * ROW is everything before the last ':' of the key side, so row names may
 * hold colons ("10.0.0.1:9090:p99=400"). Returns 0, or -1 with a one-line
 * message in err naming the key or value that is wrong; at most
 * TARGETS_ROWS_MAX rows may have targets.
 */
int targets_set(struct target_set *ts, const char *assignment, char *err, size_t errlen);

/*
 * Read a targets file: "key = value" and "row:key = value" lines, blank
 * lines and "#" comments. Returns 0, or -1 with "FILE:LINE: message" in err.
 */
int targets_load_file(struct target_set *ts, const char *path, char *err, size_t errlen);

/*
 * The limits for row (NULL: the router itself): the router's, without
 * throughput for a row, overridden by what was set for that row.
 */
void targets_limits(const struct target_set *ts, const char *row, struct target_limits *out);

/* Evaluate every target against the history at now_ms (same clock as the history). */
void targets_evaluate(const struct target_set *ts, const struct history *h,
		      int64_t now_ms, int64_t interval_ms, struct evaluation *out);

/* The same for one row: h is its history (history_row), row its name. */
void targets_evaluate_row(const struct target_set *ts, const char *row, const struct history *h,
			  int64_t now_ms, int64_t interval_ms, struct evaluation *out);

/* The worse of two statuses: FAIL > WARN > UNKNOWN > OK (as an evaluation's overall). */
enum target_status target_status_worst(enum target_status a, enum target_status b);

/* Metadata for display: key ("p95"), label ("P95"), unit ("ms"), and whether the value must stay below the limit. */
const char *target_key(enum target_id id);
const char *target_label(enum target_id id);
const char *target_unit(enum target_id id);
bool target_is_upper_bound(enum target_id id);

const char *target_status_name(enum target_status st);	/* "OK", "WARN", "FAIL", "UNKNOWN" */
/* Monitoring-plugin exit status: OK 0, WARN 1, FAIL 2, UNKNOWN 3. */
int target_status_exit_code(enum target_status st);

#endif
