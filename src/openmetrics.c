/*
 * OpenMetrics export (see openmetrics.h). Label values are escaped as the
 * format says (backslash, double quote, newline); the sanitising funnel has
 * already made them printable. Numbers are printed as short as they can be
 * while reading back exactly.
 */
#include "openmetrics.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct om_family {
	const char *name, *type, *unit, *help;
};

static const struct om_family families[] = {
	{ "routertop_request_duration_seconds", "histogram", "seconds",
	  "Latency of completed requests, per upstream of the simulated router." },
	{ "routertop_requests", "counter", NULL, "Requests routed to the upstream." },
	{ "routertop_requests_failed", "counter", NULL,
	  "Requests routed to the upstream that failed, whatever the cause." },
	{ "routertop_errors", "counter", NULL,
	  "Failed or refused requests by cause: timeout, failure, rate_limited, breaker "
	  "(rejected by an open breaker), validation." },
	{ "routertop_breaker_state", "gauge", NULL,
	  "Circuit breaker state of the upstream: 1 for the current one." },
	{ "routertop_latency_seconds", "gauge", "seconds",
	  "Latency percentile of the upstream as the recording gave it." },
	{ "routertop_throughput_requests_per_second", "gauge", NULL,
	  "Requests per second of the upstream as the recording gave it." },
	{ "routertop_breaker_failure_ratio", "gauge", "ratio",
	  "Failure rate the upstream's circuit breaker reported, 0..1." },
};

void openmetrics_header(FILE *out)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		const struct om_family *f = &families[i];

		fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name, f->type);
		if (f->unit != NULL)
			fprintf(out, "# UNIT %s %s\n", f->name, f->unit);
	}
}

void openmetrics_eof(FILE *out)
{
	fputs("# EOF\n", out);
	fflush(out);
}

static void om_label_value(FILE *out, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', out);
		if (*v == '\n')
			fputs("\\n", out);
		else
			fputc(*v, out);
	}
}

/* The shortest of %.15g and %.17g that reads back as v. */
static const char *om_number(char *buf, double v)
{
	snprintf(buf, 32, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, 32, "%.17g", v);
	return buf;
}

/* name{upstream="U"[,key="value"]} value timestamp */
static void om_sample(FILE *out, const char *name, const char *upstream, const char *key,
		      const char *value, double v, int64_t ms)
{
	char num[32];

	if (isnan(v) || isinf(v))
		return;
	fprintf(out, "%s{upstream=\"", name);
	om_label_value(out, upstream);
	fputc('"', out);
	if (key != NULL)
		fprintf(out, ",%s=\"%s\"", key, value);
	fprintf(out, "} %s %" PRId64 ".%03d\n", om_number(num, v), ms / 1000, (int)(ms % 1000));
}

static void om_count(FILE *out, const char *name, const char *upstream, const char *key,
		     const char *value, int64_t v, int64_t ms)
{
	if (v >= 0)
		om_sample(out, name, upstream, key, value, (double)v, ms);
}

static void om_upstream(FILE *out, const char *u, const struct metrics_snapshot *s, int64_t ms)
{
	static const struct {
		const char *label;
		enum breaker_state state;
	} states[] = {
		{ "closed", BREAKER_CLOSED }, { "half_open", BREAKER_HALF_OPEN }, { "open", BREAKER_OPEN },
	};
	const struct metrics_errors *e = &s->errors;
	const struct {
		const char *label;
		int64_t v;
	} classes[] = {
		{ "timeout", e->timeouts }, { "failure", e->failures }, { "rate_limited", e->rate_limited },
		{ "breaker", e->breaker_trips }, { "validation", e->validation },
	};
	struct metrics_latency l = s->latency;
	const struct {
		const char *label;
		double ms;
	} pct[] = {
		{ "p50", l.p50 }, { "p90", l.p90 }, { "p95", l.p95 }, { "p99", l.p99 }, { "p999", l.p999 },
	};

	if (s->latency_hist.known) {
		const struct metrics_histogram *h = &s->latency_hist;
		char le[32];

		for (int k = 0; k <= METRICS_HIST_BOUNDS; k++) {
			if (k < METRICS_HIST_BOUNDS)
				om_number(le, metrics_hist_bounds_ms[k] / 1000.0);
			om_sample(out, "routertop_request_duration_seconds_bucket", u, "le",
				  k < METRICS_HIST_BOUNDS ? le : "+Inf", (double)h->count[k], ms);
		}
		om_sample(out, "routertop_request_duration_seconds_sum", u, NULL, NULL, h->sum_ms / 1000.0, ms);
		om_sample(out, "routertop_request_duration_seconds_count", u, NULL, NULL,
			  (double)h->count[METRICS_HIST_BOUNDS], ms);
	}
	om_count(out, "routertop_requests_total", u, NULL, NULL, s->requests.total, ms);
	om_count(out, "routertop_requests_failed_total", u, NULL, NULL, s->requests.failed, ms);
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		om_count(out, "routertop_errors_total", u, "class", classes[i].label, classes[i].v, ms);
	if (s->breaker.state != BREAKER_UNKNOWN)
		for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			om_sample(out, "routertop_breaker_state", u, "state", states[i].label,
				  states[i].state == s->breaker.state, ms);
	/* Percentiles without data are unknown, not 0 (metrics_latency_known). */
	if (metrics_latency_known(&l))
		for (size_t i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
			om_sample(out, "routertop_latency_seconds", u, "percentile", pct[i].label,
				  pct[i].ms / 1000.0, ms);
	om_sample(out, "routertop_throughput_requests_per_second", u, NULL, NULL,
		  s->throughput.per_second, ms);
	om_sample(out, "routertop_breaker_failure_ratio", u, NULL, NULL, s->breaker.failure_rate, ms);
}

void openmetrics_snapshot(FILE *out, const struct metrics_snapshot *s, int64_t wall_ms)
{
	if (s->nrows == 0)
		om_upstream(out, "default", s, wall_ms);
	for (size_t i = 0; i < s->nrows; i++)
		om_upstream(out, s->rows[i].name, &s->rows[i].snap, wall_ms);
	fflush(out);
}
