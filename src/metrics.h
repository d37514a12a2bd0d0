/*
 * The metrics snapshot: what one poll of a router says. This is the wire
 * contract of design.md (the router's performanceMetrics shape) as a plain
 * struct, and its conversion to and from JSON with cJSON.
 *
 * Unknown values are never zero: a missing float is NAN (test with isnan()),
 * a missing count is METRICS_NONE (-1), a missing breaker state is
 * BREAKER_UNKNOWN and a missing flag is -1.
 */
#ifndef RT_METRICS_H
#define RT_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;

#define METRICS_NONE ((int64_t)-1)
/* Largest JSON text metrics_parse() accepts; bigger input is an error. */
#define METRICS_JSON_MAX ((size_t)1 << 20)
#define METRICS_ERR_LEN 256
#define METRICS_TEXT_LEN 128

enum breaker_state {
	BREAKER_UNKNOWN = 0,
	BREAKER_CLOSED,
	BREAKER_HALF_OPEN,
	BREAKER_OPEN,
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

struct metrics_snapshot {
	struct metrics_latency latency;
	struct metrics_throughput throughput;
	struct metrics_errors errors;
	struct metrics_breaker breaker;
	struct metrics_requests requests;
	int64_t timestamp_ms;	/* "timestamp", ms since the epoch */
	int64_t active_users;	/* "activeUsers" */
	double uptime_s;	/* "uptimeSeconds" */
};

/* Set every field of *s to unknown. */
void metrics_init(struct metrics_snapshot *s);

/*
 * Whether the percentiles carry data. Routers report a count of 0, or (the
 * seeds' router) all-zero percentiles, before any request succeeded.
 */
bool metrics_latency_known(const struct metrics_latency *l);
/* Set the percentiles unknown when they carry no data, so they show as n/a, never 0. */
void metrics_latency_mask(struct metrics_latency *l);

/*
 * Parse JSON text of len bytes (need not be NUL-terminated) into *out.
 * Returns 0 on success. On error returns -1, leaves *out unspecified and
 * writes a one-line message naming the place, e.g.
 * "circuitBreakerStatus.state: expected string", into err.
 */
int metrics_parse(const char *json, size_t len, struct metrics_snapshot *out,
		  char *err, size_t errlen);

/* The same for an already parsed object (a recording's "metrics" member). */
int metrics_from_cjson(const struct cJSON *obj, struct metrics_snapshot *out,
		       char *err, size_t errlen);

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
/* Accepts closed, open, half-open, half_open, halfOpen in any case. Returns 0 or -1. */
int breaker_state_parse(const char *text, enum breaker_state *out);

/*
 * Field-by-field equality of two snapshots; unknown equals unknown (NAN ==
 * NAN here). Returns 1 if equal, 0 if not.
 */
int metrics_equal(const struct metrics_snapshot *a, const struct metrics_snapshot *b);

/*
 * Copy NUL-terminated src into dst (size bytes, size > 0) through the
 * sanitising funnel (sanitize_copy in sanitize.h, which says what it does):
 * every text field of a snapshot, row names included, is stored this way.
 */
void metrics_copy_text(char *dst, size_t size, const char *src);

#endif
