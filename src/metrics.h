/*
 * The metrics snapshot: what one poll of a router says. This is the wire
 * contract of design.md (the router's performanceMetrics shape) as a plain
 * struct, and its conversion to and from JSON with cJSON.
 *
 * Unknown values are never zero: a missing float is NAN (test with isnan()),
 * a missing count is METRICS_NONE (-1), a missing breaker state is
 * BREAKER_UNKNOWN and a missing flag is -1.
 *
 * Rows. Besides the aggregate (the whole router) a snapshot may hold named
 * rows ("upstreams" on the wire: clusters, backends, breakers, instances),
 * each with the same objects. Rows live in one heap array that the snapshot
 * owns, so a snapshot has an explicit life cycle:
 *
 *   metrics_init()   a fresh snapshot: all unknown, no rows, owns nothing
 *   metrics_row_add() / metrics_parse()   fill it (rows are heap memory)
 *   metrics_copy()   deep copy into another valid snapshot
 *   metrics_move()   hand the rows over without copying
 *   metrics_free()   release the rows; the snapshot stays valid, rowless
 *
 * A plain struct assignment (a = b) makes a borrowed view: a shares b's rows
 * and may be read while b lives, but must never be freed, moved or written
 * through. A snapshot without rows owns nothing, so the seeds' rowless
 * snapshots may be copied by value as before. metrics_free() on a zeroed or
 * metrics_init()'ed snapshot is harmless.
 */
#ifndef RT_METRICS_H
#define RT_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;
struct jscan;

#define METRICS_NONE ((int64_t)-1)
/*
 * Largest JSON text metrics_parse() accepts; bigger input is an error. Room
 * for METRICS_ROWS_MAX rows of about 1 KB of JSON each, so whatever
 * metrics_to_json() writes (a recording line, what serve answers) reads back.
 */
#define METRICS_JSON_MAX ((size_t)8 << 20)
/* What a live source accepts unless told otherwise (--max-body). */
#define METRICS_BODY_DEFAULT ((size_t)1 << 20)
#define METRICS_ERR_LEN 256
#define METRICS_TEXT_LEN 128
/* Most rows a snapshot holds; more on the wire is an error. */
#define METRICS_ROWS_MAX 4096
/* A row's name, with its NUL; longer names are cut (on a UTF-8 boundary). */
#define METRICS_NAME_LEN 128

enum breaker_state {
	BREAKER_UNKNOWN = 0,
	BREAKER_CLOSED,
	BREAKER_HALF_OPEN,
	BREAKER_OPEN,
};

/*
 * How the percentiles were worked out, when the source says (wire:
 * "latency.percentiles"; absent for METRICS_PCT_UNSAID). The screen and the
 * outputs say so, since interpolated and nearest-rank figures differ.
 */
enum metrics_pct_source {
	METRICS_PCT_UNSAID = 0,	/* not said: nearest rank (the simulator) or the router's own */
	METRICS_PCT_BUCKETS,	/* "buckets": PromQL's histogram_quantile over the interval */
	METRICS_PCT_LIFETIME,	/* "buckets-lifetime": the same since the router started (a first scrape) */
	METRICS_PCT_SUMMARY,	/* "summary": the router's summary quantiles, as given */
};

/*
 * Cumulative latency counts at fixed bounds, for a Prometheus histogram
 * (what serve answers to a scraper). Not on the wire: only a source that
 * counts every request (the simulator) fills it; known is false otherwise.
 */
#define METRICS_HIST_BOUNDS 15
extern const double metrics_hist_bounds_ms[METRICS_HIST_BOUNDS];	/* 1 ms .. 60 s */
struct metrics_histogram {
	bool known;
	uint64_t count[METRICS_HIST_BOUNDS + 1];	/* <= each bound; the last is +Inf: all */
	double sum_ms;
};

struct metrics_latency {	/* milliseconds */
	double p50, p90, p95, p99, p999;
	double max, min, avg;
	int64_t count;
};

struct metrics_throughput {
	double per_second;	/* requestsPerSecond */
	double per_minute;	/* requestsPerMinute */
};

struct metrics_errors {		/* cumulative counters */
	int64_t breaker_trips;	/* circuitBreakerTrips */
	int64_t rate_limited;	/* rateLimitViolations */
	int64_t timeouts;
	int64_t failures;
	int64_t validation;	/* validationErrors (optional) */
};

struct metrics_breaker {
	enum breaker_state state;
	int healthy;		/* isHealthy: 1, 0, or -1 unknown */
	double failure_rate;	/* fraction 0..1 */
	double avg_response_ms;	/* avgResponseTime */
	char recommendation[METRICS_TEXT_LEN];	/* "" when absent */
	int64_t state_since_ms;	/* stateSinceMs: time in the current state */
};

struct metrics_requests {	/* optional object "requests" */
	int64_t total, succeeded, failed, pending;
};

/*
 * Optional object "scrape": whether whoever collects the router's metrics
 * reached it. The fleet source fills it from Prometheus' `up` for each
 * instance; a router that stopped answering stays in the list as down
 * instead of vanishing.
 */
struct metrics_scrape {
	int up;			/* "up": 1 reached, 0 down, -1 unknown */
};

struct metrics_row;

struct metrics_snapshot {
	struct metrics_latency latency;
	struct metrics_throughput throughput;
	struct metrics_errors errors;
	struct metrics_breaker breaker;
	struct metrics_requests requests;
	struct metrics_scrape scrape;
	int64_t timestamp_ms;	/* "timestamp", ms since the epoch */
	int64_t active_users;	/* "activeUsers" */
	double uptime_s;	/* "uptimeSeconds" */
	/* Beside the latency object: how its percentiles were worked out
	 * ("latency.percentiles"), and the counts behind them (not on the wire). */
	enum metrics_pct_source percentiles;
	struct metrics_histogram latency_hist;
	/*
	 * Named rows in the order the source gave them, names unique; NULL and
	 * 0 when there are none. Owned by the snapshot (see above); rows_cap
	 * is the allocated length.
	 */
	struct metrics_row *rows;
	size_t nrows, rows_cap;
};

/*
 * One row. Its values are a snapshot of their own, so everything that reads
 * a snapshot (targets, history, outputs) reads a row the same way; that
 * inner snapshot never has rows, and its timestamp, activeUsers and
 * uptimeSeconds stay unknown (they belong to the whole snapshot).
 */
struct metrics_row {
	char name[METRICS_NAME_LEN];	/* terminal-safe (metrics_copy_text) */
	struct metrics_snapshot snap;
};

/*
 * Set every field of *s to unknown, with no rows. *s is overwritten, not
 * freed: call it on a fresh snapshot or one that owns nothing (to empty a
 * snapshot that may own rows, use metrics_clear).
 */
void metrics_init(struct metrics_snapshot *s);

/*
 * Set every field of the valid snapshot *s to unknown and drop its rows,
 * keeping the row storage for reuse: a source that builds a snapshot per
 * interval clears and refills one, with no allocation once it has grown.
 */
void metrics_clear(struct metrics_snapshot *s);

/* Release the rows *s owns; *s stays valid with its aggregate and no rows. */
void metrics_free(struct metrics_snapshot *s);

/*
 * Make *dst a deep copy of *src, rows included. *dst must be valid (from
 * metrics_init, a parse, or a copy): the rows it owned are reused or freed.
 * dst == src does nothing. Aborts via fatal() if memory runs out.
 */
void metrics_copy(struct metrics_snapshot *dst, const struct metrics_snapshot *src);

/*
 * Move *src into the valid snapshot *dst: *dst's own rows are freed and it
 * takes *src's without copying them; *src keeps its aggregate, with no rows.
 */
void metrics_move(struct metrics_snapshot *dst, struct metrics_snapshot *src);

/*
 * Append a row named name (copied through metrics_copy_text, so it is
 * terminal-safe; cut to METRICS_NAME_LEN - 1 bytes) with every value
 * unknown, and return it for the caller to fill. Returns NULL when *s
 * already has METRICS_ROWS_MAX rows. Amortised O(1): names are not checked
 * for uniqueness here (metrics_rows_check does it for the whole snapshot).
 * The pointer is valid until the next row is added or *s is freed; rows
 * are numbered in the order they were added (s->rows[i]).
 */
struct metrics_row *metrics_row_add(struct metrics_snapshot *s, const char *name);

/* Index of the row named name in s->rows, or -1. Linear in the number of rows. */
ptrdiff_t metrics_row_index(const struct metrics_snapshot *s, const char *name);

/*
 * Check that row names are unique and not empty. Returns 0, or -1 with a
 * located message such as upstreams[3].name: duplicate "search" (as
 * upstreams[1]). O(n log n).
 */
int metrics_rows_check(const struct metrics_snapshot *s, char *err, size_t errlen);

/* How many rows have an open breaker. */
size_t metrics_rows_open(const struct metrics_snapshot *s);

/*
 * Derive the aggregate from the rows, for sources that report rows but no
 * whole-router figures (design.md): the latency, throughput, errorRates,
 * circuitBreakerStatus and requests objects are overwritten.
 * - Counters, counts and rates are summed; a sum is unknown when any row's
 *   term is unknown (a partial sum would pass for the whole).
 * - min and max are the extremes; avg and avgResponseTime are averages
 *   weighted by latency.count; failureRate is weighted by requestsPerSecond.
 * - Percentiles are left unknown: percentiles of parts cannot be combined.
 *   A source that has histogram buckets merges them and sets the
 *   percentiles itself after this call.
 * - The breaker is the worst row's state (open > half-open > closed), its
 *   stateSinceMs the longest among the rows in that state, isHealthy false
 *   when any row is open, and the recommendation says how many rows are
 *   open ("2 of 4 rows open").
 * timestamp, activeUsers and uptimeSeconds are left as they were. With no
 * rows the aggregate becomes all unknown.
 */
void metrics_aggregate_derive(struct metrics_snapshot *s);

/*
 * Whether the percentiles carry data. Routers report a count of 0, or (the
 * seeds' router) all-zero percentiles, before any request succeeded.
 */
bool metrics_latency_known(const struct metrics_latency *l);
/* Set the percentiles unknown when they carry no data, so they show as n/a, never 0. */
void metrics_latency_mask(struct metrics_latency *l);

/*
 * Parse JSON text of len bytes (need not be NUL-terminated) into *out.
 * *out is overwritten as by metrics_init, so it must own nothing (fresh, or
 * after metrics_free). Returns 0 on success; the caller then owns *out's
 * rows (metrics_free). On error returns -1 with *out owning nothing and
 * writes a one-line message naming the place, e.g.
 * "circuitBreakerStatus.state: expected string" or
 * "upstreams[2].name: expected string", into err.
 *
 * Rows ("upstreams", an array of at most METRICS_ROWS_MAX objects) each need
 * a unique, non-empty string "name"; their objects are optional. When rows
 * are present and none of the four aggregate objects is, the aggregate is
 * derived from the rows (metrics_aggregate_derive); otherwise the four
 * objects are required as ever.
 */
int metrics_parse(const char *json, size_t len, struct metrics_snapshot *out,
		  char *err, size_t errlen);

/* The same for an already parsed object (a recording's "metrics" member). */
int metrics_from_cjson(const struct cJSON *obj, struct metrics_snapshot *out,
		       char *err, size_t errlen);

/*
 * The lean reader, for reading recordings fast: the snapshot object at the
 * cursor, read in place without a JSON tree. Returns 0 with *out exactly as
 * metrics_from_cjson would fill it (the caller owns its rows), or -1 when
 * the text is anything but plain (an invalid field, escapes, null objects,
 * a missing object...): *out then owns nothing, the cursor is anywhere,
 * and the full reader must decide. bare: a line that is the snapshot
 * itself, where "t", "metrics" and "event" send it to the full reader.
 */
int metrics_scan(struct jscan *c, bool bare, struct metrics_snapshot *out);

/*
 * Build the wire JSON for *s. Unknown fields are left out. The caller owns
 * the result (cJSON_Delete / free). metrics_to_json returns one compact line.
 * Printed output parses back to exactly *s: a double that cJSON would print
 * rounded (it only promises to be within an epsilon) is a raw item (cJSON_IsRaw)
 * holding "%.17g" text, which metrics_from_cjson also reads. Aborts via
 * fatal() if memory runs out.
 */
struct cJSON *metrics_to_cjson(const struct metrics_snapshot *s);
char *metrics_to_json(const struct metrics_snapshot *s);

/* "closed", "half-open", "open" or "unknown". */
const char *breaker_state_name(enum breaker_state state);
/* The wire word for a percentile source ("buckets" ...), "" for METRICS_PCT_UNSAID. */
const char *metrics_pct_source_name(enum metrics_pct_source source);
/* Accepts closed, open, half-open, half_open, halfOpen in any case. Returns 0 or -1. */
int breaker_state_parse(const char *text, enum breaker_state *out);

/*
 * Field-by-field equality of two snapshots, rows included (same names in
 * the same order with equal values); unknown equals unknown (NAN == NAN
 * here). Returns 1 if equal, 0 if not.
 */
int metrics_equal(const struct metrics_snapshot *a, const struct metrics_snapshot *b);

/*
 * Copy NUL-terminated src into dst (size bytes, size > 0) through the
 * sanitising funnel (sanitize_copy in sanitize.h, which says what it does):
 * every text field of a snapshot, row names included, is stored this way.
 */
void metrics_copy_text(char *dst, size_t size, const char *src);

#endif
