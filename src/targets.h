/*
 * Performance targets and their evaluation. Defaults come from the seeds:
 * P95 < 150 ms, P99 < 500 ms, throughput > 100 req/s, error rate < 1 %,
 * breaker recovery < 60 s. Each target evaluates to OK, WARN (within the warn
 * band, 20 % of the limit by default, on the approach to the bad side), FAIL,
 * or UNKNOWN (no data, or the newest data is older than two intervals).
 */
#ifndef RT_TARGETS_H
#define RT_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct history;

enum target_status { STATUS_OK = 0, STATUS_WARN, STATUS_FAIL, STATUS_UNKNOWN };

enum target_id {
	TARGET_P95,		/* key "p95", ms, value must stay below */
	TARGET_P99,		/* key "p99", ms, below */
	TARGET_THROUGHPUT,	/* key "throughput", req/s, above */
	TARGET_ERROR_RATE,	/* key "error-rate", percent, below */
	TARGET_RECOVERY,	/* key "recovery", seconds, below */
	TARGET_COUNT
};

struct target_set {
	double limit[TARGET_COUNT];
	double warn_band;	/* key "warn": fraction of the limit, default 0.20 */
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
};

void targets_defaults(struct target_set *ts);

/*
 * Apply one "KEY=VALUE" setting (as given to --target). Returns 0, or -1 with
 * a one-line message in err naming the key or value that is wrong.
 */
int targets_set(struct target_set *ts, const char *assignment, char *err, size_t errlen);

/*
 * Read a targets file: "key = value" lines, blank lines and "#" comments.
 * Returns 0, or -1 with "FILE:LINE: message" in err.
 */
int targets_load_file(struct target_set *ts, const char *path, char *err, size_t errlen);

/* Evaluate every target against the history at now_ms (same clock as the history). */
void targets_evaluate(const struct target_set *ts, const struct history *h,
		      int64_t now_ms, int64_t interval_ms, struct evaluation *out);

/* Metadata for display: key ("p95"), label ("P95"), unit ("ms"), and whether the value must stay below the limit. */
const char *target_key(enum target_id id);
const char *target_label(enum target_id id);
const char *target_unit(enum target_id id);
bool target_is_upper_bound(enum target_id id);

const char *target_status_name(enum target_status st);	/* "OK", "WARN", "FAIL", "UNKNOWN" */
/* Monitoring-plugin exit status: OK 0, WARN 1, FAIL 2, UNKNOWN 3. */
int target_status_exit_code(enum target_status st);

#endif
