/*
 * The metrics snapshot and its JSON form (see metrics.h).
 */
#include "metrics.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

void metrics_init(struct metrics_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->latency = (struct metrics_latency){
		.p50 = NAN, .p90 = NAN, .p95 = NAN, .p99 = NAN, .p999 = NAN,
		.max = NAN, .min = NAN, .avg = NAN, .count = METRICS_NONE,
	};
	s->throughput = (struct metrics_throughput){ .per_second = NAN, .per_minute = NAN };
	s->errors = (struct metrics_errors){
		.breaker_trips = METRICS_NONE, .rate_limited = METRICS_NONE,
		.timeouts = METRICS_NONE, .failures = METRICS_NONE, .validation = METRICS_NONE,
	};
	s->breaker.state = BREAKER_UNKNOWN;
	s->breaker.healthy = -1;
	s->breaker.failure_rate = NAN;
	s->breaker.avg_response_ms = NAN;
	s->breaker.state_since_ms = METRICS_NONE;
	s->requests = (struct metrics_requests){
		.total = METRICS_NONE, .succeeded = METRICS_NONE,
		.failed = METRICS_NONE, .pending = METRICS_NONE,
	};
	s->timestamp_ms = METRICS_NONE;
	s->active_users = METRICS_NONE;
	s->uptime_s = NAN;
}

const char *breaker_state_name(enum breaker_state state)
{
	switch (state) {
	case BREAKER_CLOSED:
		return "closed";
	case BREAKER_HALF_OPEN:
		return "half-open";
	case BREAKER_OPEN:
		return "open";
	case BREAKER_UNKNOWN:
		break;
	}
	return "unknown";
}

int breaker_state_parse(const char *text, enum breaker_state *out)
{
	char folded[16];
	size_t n = 0;

	/* Fold case and drop '-' and '_' so half-open, half_open and halfOpen agree. */
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '-' || *p == '_')
			continue;
		if (n + 1 >= sizeof(folded))
			return -1;
		folded[n++] = (char)tolower((unsigned char)*p);
	}
	folded[n] = '\0';
	if (strcmp(folded, "closed") == 0)
		*out = BREAKER_CLOSED;
	else if (strcmp(folded, "open") == 0)
		*out = BREAKER_OPEN;
	else if (strcmp(folded, "halfopen") == 0)
		*out = BREAKER_HALF_OPEN;
	else
		return -1;
	return 0;
}
