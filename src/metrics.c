/*
 * The metrics snapshot and its JSON form (see metrics.h).
 */
#include "metrics.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "sanitize.h"
#include "util.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write the error message (if the caller gave a buffer) and return -1. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const double metrics_hist_bounds_ms[METRICS_HIST_BOUNDS] = {
	1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
};

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
	s->scrape.up = -1;
	s->timestamp_ms = METRICS_NONE;
	s->active_users = METRICS_NONE;
	s->uptime_s = NAN;
}

void metrics_clear(struct metrics_snapshot *s)
{
	struct metrics_row *rows = s->rows;
	size_t cap = s->rows_cap;

	metrics_init(s);
	s->rows = rows;
	s->rows_cap = cap;
}

void metrics_free(struct metrics_snapshot *s)
{
	free(s->rows);
	s->rows = NULL;
	s->nrows = s->rows_cap = 0;
}

/*
 * A row's own snapshot never has rows, so rows copy with memcpy and free
 * with one free(): nothing below a row is heap memory.
 */
void metrics_copy(struct metrics_snapshot *dst, const struct metrics_snapshot *src)
{
	struct metrics_row *rows = dst->rows;
	size_t cap = dst->rows_cap;

	if (dst == src)
		return;
	if (src->nrows > cap) {
		free(rows);
		rows = xmalloc(src->nrows * sizeof(*rows));
		cap = src->nrows;
	}
	*dst = *src;
	dst->rows = rows;
	dst->rows_cap = cap;
	if (src->nrows > 0)
		memcpy(rows, src->rows, src->nrows * sizeof(*rows));
}

void metrics_move(struct metrics_snapshot *dst, struct metrics_snapshot *src)
{
	if (dst == src)
		return;
	metrics_free(dst);
	*dst = *src;
	src->rows = NULL;
	src->nrows = src->rows_cap = 0;
}

struct metrics_row *metrics_row_add(struct metrics_snapshot *s, const char *name)
{
	struct metrics_row *row;

	if (s->nrows >= METRICS_ROWS_MAX)
		return NULL;
	if (s->nrows == s->rows_cap) {
		size_t cap = s->rows_cap < 8 ? 8 : s->rows_cap * 2;

		if (cap > METRICS_ROWS_MAX)
			cap = METRICS_ROWS_MAX;
		s->rows = xrealloc(s->rows, cap * sizeof(*s->rows));
		s->rows_cap = cap;
	}
	row = &s->rows[s->nrows++];
	metrics_copy_text(row->name, sizeof(row->name), name != NULL ? name : "");
	metrics_init(&row->snap);
	return row;
}

ptrdiff_t metrics_row_index(const struct metrics_snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (strcmp(s->rows[i].name, name) == 0)
			return (ptrdiff_t)i;
	return -1;
}

size_t metrics_rows_open(const struct metrics_snapshot *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nrows; i++)
		n += s->rows[i].snap.breaker.state == BREAKER_OPEN;
	return n;
}

struct name_ref {
	const char *name;
	size_t index;
};

static int name_ref_cmp(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return (x->index > y->index) - (x->index < y->index);
}

int metrics_rows_check(const struct metrics_snapshot *s, char *err, size_t errlen)
{
	struct name_ref *refs;
	size_t dup = SIZE_MAX, first = 0;

	for (size_t i = 0; i < s->nrows; i++)
		if (s->rows[i].name[0] == '\0')
			return fail(err, errlen, "upstreams[%zu].name: empty", i);
	if (s->nrows < 2)
		return 0;
	/* Sorted by name then position, a repeat sits right after its first use. */
	refs = xmalloc(s->nrows * sizeof(*refs));
	for (size_t i = 0; i < s->nrows; i++)
		refs[i] = (struct name_ref){ s->rows[i].name, i };
	qsort(refs, s->nrows, sizeof(*refs), name_ref_cmp);
	for (size_t i = 1; i < s->nrows; i++) {
		/* Report the repeat that comes first in the input. */
		if (strcmp(refs[i].name, refs[i - 1].name) == 0 && refs[i].index < dup) {
			dup = refs[i].index;
			first = refs[i - 1].index;
		}
	}
	free(refs);
	if (dup == SIZE_MAX)
		return 0;
	return fail(err, errlen, "upstreams[%zu].name: duplicate \"%s\" (as upstreams[%zu])", dup,
		    s->rows[dup].name, first);
}

/*
 * The derived aggregate (see metrics.h). Sums and extremes are strict: one
 * unknown term makes the result unknown. A row that served nothing (count
 * or rate 0) adds nothing to a weighted average, whatever its average says.
 */
static int64_t sum_count(int64_t acc, int64_t v)
{
	return acc < 0 || v < 0 ? METRICS_NONE : acc + v;
}

struct weighted {
	double sum, weight;
	bool unknown;
};

static void weighted_add(struct weighted *w, double value, double weight)
{
	if (weight == 0)
		return;
	if (isnan(value) || isnan(weight) || weight < 0) {
		w->unknown = true;
		return;
	}
	w->sum += value * weight;
	w->weight += weight;
}

static double weighted_mean(const struct weighted *w)
{
	return w->unknown || w->weight <= 0 ? NAN : w->sum / w->weight;
}

static void derive_latency(struct metrics_snapshot *s)
{
	struct metrics_latency *l = &s->latency;
	struct weighted avg = { 0 };
	double lo = HUGE_VAL, hi = -HUGE_VAL;
	bool unknown_extreme = false;

	l->count = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct metrics_latency *r = &s->rows[i].snap.latency;

		l->count = sum_count(l->count, r->count);
		weighted_add(&avg, r->avg, r->count < 0 ? NAN : (double)r->count);
		if (r->count == 0)
			continue;
		if (isnan(r->min) || isnan(r->max))
			unknown_extreme = true;
		lo = fmin(lo, r->min);
		hi = fmax(hi, r->max);
	}
	l->avg = weighted_mean(&avg);
	l->min = unknown_extreme || isinf(lo) ? NAN : lo;
	l->max = unknown_extreme || isinf(hi) ? NAN : hi;
	l->p50 = l->p90 = l->p95 = l->p99 = l->p999 = NAN;
	s->percentiles = METRICS_PCT_UNSAID;
	s->latency_hist.known = false;
}

static void derive_counters(struct metrics_snapshot *s)
{
	struct metrics_errors *e = &s->errors;
	struct metrics_requests *q = &s->requests;

	s->throughput.per_second = s->throughput.per_minute = 0;
	*e = (struct metrics_errors){ 0 };
	*q = (struct metrics_requests){ 0 };
	for (size_t i = 0; i < s->nrows; i++) {
		const struct metrics_snapshot *r = &s->rows[i].snap;

		s->throughput.per_second += r->throughput.per_second;
		s->throughput.per_minute += r->throughput.per_minute;
		e->breaker_trips = sum_count(e->breaker_trips, r->errors.breaker_trips);
		e->rate_limited = sum_count(e->rate_limited, r->errors.rate_limited);
		e->timeouts = sum_count(e->timeouts, r->errors.timeouts);
		e->failures = sum_count(e->failures, r->errors.failures);
		e->validation = sum_count(e->validation, r->errors.validation);
		q->total = sum_count(q->total, r->requests.total);
		q->succeeded = sum_count(q->succeeded, r->requests.succeeded);
		q->failed = sum_count(q->failed, r->requests.failed);
		q->pending = sum_count(q->pending, r->requests.pending);
	}
}

static void derive_breaker(struct metrics_snapshot *s)
{
	struct metrics_breaker *b = &s->breaker;
	struct weighted rate = { 0 }, response = { 0 };
	size_t open = metrics_rows_open(s);
	bool all_healthy = true, unhealthy = open > 0;

	b->state = BREAKER_UNKNOWN;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct metrics_snapshot *r = &s->rows[i].snap;

		/* The enum runs unknown < closed < half-open < open: worse is greater. */
		if (r->breaker.state > b->state)
			b->state = r->breaker.state;
		unhealthy |= r->breaker.healthy == 0;
		all_healthy &= r->breaker.healthy == 1;
		weighted_add(&rate, r->breaker.failure_rate, r->throughput.per_second);
		weighted_add(&response, r->breaker.avg_response_ms,
			     r->latency.count < 0 ? NAN : (double)r->latency.count);
	}
	b->state_since_ms = b->state == BREAKER_UNKNOWN ? METRICS_NONE : 0;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct metrics_breaker *r = &s->rows[i].snap.breaker;

		if (r->state != b->state)
			continue;
		if (r->state_since_ms < 0 || b->state_since_ms < 0)
			b->state_since_ms = METRICS_NONE;
		else if (r->state_since_ms > b->state_since_ms)
			b->state_since_ms = r->state_since_ms;
	}
	b->healthy = unhealthy ? 0 : (all_healthy ? 1 : -1);
	b->failure_rate = weighted_mean(&rate);
	b->avg_response_ms = weighted_mean(&response);
	if (open > 0)
		snprintf(b->recommendation, sizeof(b->recommendation), "%zu of %zu rows open", open,
			 s->nrows);
	else
		b->recommendation[0] = '\0';
}

void metrics_aggregate_derive(struct metrics_snapshot *s)
{
	struct metrics_snapshot blank;

	if (s->nrows == 0) {
		metrics_init(&blank);
		s->latency = blank.latency;
		s->throughput = blank.throughput;
		s->errors = blank.errors;
		s->breaker = blank.breaker;
		s->requests = blank.requests;
		return;
	}
	derive_latency(s);
	derive_counters(s);
	derive_breaker(s);
}

bool metrics_latency_known(const struct metrics_latency *l)
{
	if (l->count == 0)
		return false;
	return !(l->p50 == 0.0 && l->p90 == 0.0 && l->p95 == 0.0 && l->p99 == 0.0);
}

void metrics_latency_mask(struct metrics_latency *l)
{
	if (metrics_latency_known(l))
		return;
	l->p50 = l->p90 = l->p95 = l->p99 = l->p999 = NAN;
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

	/* Fold case so halfOpen, HALF-OPEN and Half_Open meet their lowercase forms. */
	for (const char *p = text; *p != '\0'; p++) {
		if (n + 1 >= sizeof(folded))
			return -1;
		folded[n++] = (char)tolower((unsigned char)*p);
	}
	folded[n] = '\0';
	if (strcmp(folded, "closed") == 0)
		*out = BREAKER_CLOSED;
	else if (strcmp(folded, "open") == 0)
		*out = BREAKER_OPEN;
	else if (strcmp(folded, "half-open") == 0 || strcmp(folded, "half_open") == 0 ||
		 strcmp(folded, "halfopen") == 0)
		*out = BREAKER_HALF_OPEN;
	else
		return -1;
	return 0;
}

/*
 * JSON <-> snapshot. One table describes every wire field: its enclosing
 * object, its key, what kind of value it holds and where it lives in the
 * struct. Parsing, serialising and comparing all walk the same table, so the
 * three cannot drift apart and parse(serialize(s)) == s holds by construction.
 */

/* Magnitudes above this are not real measurements but garbage or overflow. */
#define METRICS_VALUE_MAX 1e15
/* How much of a rejected input string an error message quotes. */
#define METRICS_QUOTE_LEN 40

enum field_kind {
	FIELD_AMOUNT,	/* double >= 0: latencies, throughput, uptime */
	FIELD_FRACTION,	/* double within 0..1 */
	FIELD_COUNT,	/* whole number >= 0, stored as int64_t */
	FIELD_BOOL,	/* int: 1, 0, -1 unknown */
	FIELD_STATE,	/* enum breaker_state */
	FIELD_PCT,	/* enum metrics_pct_source */
	FIELD_TEXT,	/* char[METRICS_TEXT_LEN], terminal-safe */
};

struct field {
	const char *key;
	enum field_kind kind;
	size_t offset;		/* into struct metrics_snapshot */
};

struct group {
	const char *name;	/* NULL: members of the top-level object */
	int required;
	const struct field *fields;
	size_t nfields;
};

#define SNAP(member) offsetof(struct metrics_snapshot, member)

static const struct field top_fields[] = {
	{ "timestamp", FIELD_COUNT, SNAP(timestamp_ms) },
	{ "activeUsers", FIELD_COUNT, SNAP(active_users) },
	{ "uptimeSeconds", FIELD_AMOUNT, SNAP(uptime_s) },
};

static const struct field latency_fields[] = {
	{ "p50", FIELD_AMOUNT, SNAP(latency.p50) },
	{ "p90", FIELD_AMOUNT, SNAP(latency.p90) },
	{ "p95", FIELD_AMOUNT, SNAP(latency.p95) },
	{ "p99", FIELD_AMOUNT, SNAP(latency.p99) },
	{ "p999", FIELD_AMOUNT, SNAP(latency.p999) },
	{ "max", FIELD_AMOUNT, SNAP(latency.max) },
	{ "min", FIELD_AMOUNT, SNAP(latency.min) },
	{ "avg", FIELD_AMOUNT, SNAP(latency.avg) },
	{ "count", FIELD_COUNT, SNAP(latency.count) },
	{ "percentiles", FIELD_PCT, SNAP(percentiles) },
};

static const struct field throughput_fields[] = {
	{ "requestsPerSecond", FIELD_AMOUNT, SNAP(throughput.per_second) },
	{ "requestsPerMinute", FIELD_AMOUNT, SNAP(throughput.per_minute) },
};

static const struct field error_fields[] = {
	{ "circuitBreakerTrips", FIELD_COUNT, SNAP(errors.breaker_trips) },
	{ "rateLimitViolations", FIELD_COUNT, SNAP(errors.rate_limited) },
	{ "timeouts", FIELD_COUNT, SNAP(errors.timeouts) },
	{ "failures", FIELD_COUNT, SNAP(errors.failures) },
	{ "validationErrors", FIELD_COUNT, SNAP(errors.validation) },
};

static const struct field breaker_fields[] = {
	{ "state", FIELD_STATE, SNAP(breaker.state) },
	{ "isHealthy", FIELD_BOOL, SNAP(breaker.healthy) },
	{ "failureRate", FIELD_FRACTION, SNAP(breaker.failure_rate) },
	{ "avgResponseTime", FIELD_AMOUNT, SNAP(breaker.avg_response_ms) },
	{ "recommendation", FIELD_TEXT, SNAP(breaker.recommendation) },
	{ "stateSinceMs", FIELD_COUNT, SNAP(breaker.state_since_ms) },
};

static const struct field request_fields[] = {
	{ "total", FIELD_COUNT, SNAP(requests.total) },
	{ "succeeded", FIELD_COUNT, SNAP(requests.succeeded) },
	{ "failed", FIELD_COUNT, SNAP(requests.failed) },
	{ "pending", FIELD_COUNT, SNAP(requests.pending) },
};

static const struct field scrape_fields[] = {
	{ "up", FIELD_BOOL, SNAP(scrape.up) },
};

#define GROUP(name, required, fields) \
	{ name, required, fields, sizeof(fields) / sizeof((fields)[0]) }

static const struct group groups[] = {
	GROUP(NULL, 0, top_fields),
	GROUP("latency", 1, latency_fields),
	GROUP("throughput", 1, throughput_fields),
	GROUP("errorRates", 1, error_fields),
	GROUP("circuitBreakerStatus", 1, breaker_fields),
	GROUP("requests", 0, request_fields),
	GROUP("scrape", 0, scrape_fields),
};

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

/* Fields are reached through memcpy so no pointer is ever cast across types. */
static double field_get_double(const struct metrics_snapshot *s, const struct field *f)
{
	double v;

	memcpy(&v, (const char *)s + f->offset, sizeof(v));
	return v;
}

static int64_t field_get_count(const struct metrics_snapshot *s, const struct field *f)
{
	int64_t v;

	memcpy(&v, (const char *)s + f->offset, sizeof(v));
	return v;
}

static int field_get_int(const struct metrics_snapshot *s, const struct field *f)
{
	int v;

	memcpy(&v, (const char *)s + f->offset, sizeof(v));
	return v;
}

static enum breaker_state field_get_state(const struct metrics_snapshot *s, const struct field *f)
{
	enum breaker_state v;

	memcpy(&v, (const char *)s + f->offset, sizeof(v));
	return v;
}

static enum metrics_pct_source field_get_pct(const struct metrics_snapshot *s,
					     const struct field *f)
{
	enum metrics_pct_source v;

	memcpy(&v, (const char *)s + f->offset, sizeof(v));
	return v;
}

static int same_double(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static int field_equal(const struct metrics_snapshot *a, const struct metrics_snapshot *b,
		       const struct field *f)
{
	switch (f->kind) {
	case FIELD_AMOUNT:
	case FIELD_FRACTION:
		return same_double(field_get_double(a, f), field_get_double(b, f));
	case FIELD_COUNT:
		return field_get_count(a, f) == field_get_count(b, f);
	case FIELD_BOOL:
		return field_get_int(a, f) == field_get_int(b, f);
	case FIELD_STATE:
		return field_get_state(a, f) == field_get_state(b, f);
	case FIELD_PCT:
		return field_get_pct(a, f) == field_get_pct(b, f);
	case FIELD_TEXT:
		return strncmp((const char *)a + f->offset, (const char *)b + f->offset,
			       METRICS_TEXT_LEN) == 0;
	}
	return 0;
}

static int groups_equal(const struct metrics_snapshot *a, const struct metrics_snapshot *b,
			size_t first)
{
	for (size_t i = first; i < NGROUPS; i++)
		for (size_t j = 0; j < groups[i].nfields; j++)
			if (!field_equal(a, b, &groups[i].fields[j]))
				return 0;
	return 1;
}

int metrics_equal(const struct metrics_snapshot *a, const struct metrics_snapshot *b)
{
	if (!groups_equal(a, b, 0) || a->nrows != b->nrows)
		return 0;
	/* A row carries only the row objects (group 0 is the snapshot's own). */
	for (size_t i = 0; i < a->nrows; i++)
		if (strcmp(a->rows[i].name, b->rows[i].name) != 0 ||
		    !groups_equal(&a->rows[i].snap, &b->rows[i].snap, 1))
			return 0;
	return 1;
}

static void field_set(struct metrics_snapshot *s, const struct field *f, const void *v, size_t n)
{
	memcpy((char *)s + f->offset, v, n);
}

/* An error located in the raw text: "line L, column C: what" (1-based, bytes). */
static int fail_at(const char *text, const char *pos, const char *what, char *err, size_t errlen)
{
	size_t line = 1, column = 1;

	for (const char *p = text; p < pos; p++) {
		if (*p == '\n') {
			line++;
			column = 1;
		} else {
			column++;
		}
	}
	return fail(err, errlen, "line %zu, column %zu: %s", line, column, what);
}

void metrics_copy_text(char *dst, size_t size, const char *src)
{
	sanitize_copy(dst, size, src, 0);
}

/* "group.key", or "key" at the top level, after prefix ("" or "upstreams[2]."). */
static void field_place(char *buf, size_t len, const char *prefix, const struct group *g,
			const struct field *f)
{
	if (g->name != NULL)
		snprintf(buf, len, "%s%s.%s", prefix, g->name, f->key);
	else
		snprintf(buf, len, "%s%s", prefix, f->key);
}

/* Shortest of %.15g and %.17g that reads back as v, so messages show what was sent. */
static void number_format(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%.15g", v);
	if (isfinite(v) && strtod(buf, NULL) != v)
		snprintf(buf, len, "%.17g", v);
}

/*
 * The value of a JSON number: a parsed one, or one of our own raw number
 * items (see number_create) when a tree from metrics_to_cjson is read back
 * without printing it. Returns 0, or -1 if item is not a number.
 */
static int number_value(const cJSON *item, double *out)
{
	cJSON *parsed;
	int rc = -1;

	if (cJSON_IsNumber(item)) {
		*out = item->valuedouble;
		return 0;
	}
	if (!cJSON_IsRaw(item) || item->valuestring == NULL)
		return -1;
	parsed = cJSON_ParseWithOpts(item->valuestring, NULL, 1);
	if (cJSON_IsNumber(parsed)) {
		*out = parsed->valuedouble;
		rc = 0;
	}
	cJSON_Delete(parsed);
	return rc;
}

/* What is wrong with a number for a field of this kind; the full and the lean reader both ask. */
static const char *number_fault(double v, enum field_kind kind)
{
	if (!isfinite(v) || fabs(v) > METRICS_VALUE_MAX)
		return "is out of range";
	if (kind == FIELD_FRACTION && (v < 0 || v > 1))
		return "is outside 0..1";
	if (v < 0)
		return "is negative";
	if (kind == FIELD_COUNT && v != floor(v))
		return "is not a whole number";
	return NULL;
}

static int read_number(const cJSON *item, const char *place, enum field_kind kind,
		       double *out, char *err, size_t errlen)
{
	char shown[32];
	const char *fault;
	double v;

	if (number_value(item, &v) != 0)
		return fail(err, errlen, "%s: expected number", place);
	fault = number_fault(v, kind);
	if (fault != NULL) {
		number_format(shown, sizeof(shown), v);
		return fail(err, errlen, "%s: %s %s", place, shown, fault);
	}
	*out = v;
	return 0;
}

static int read_state(const cJSON *item, const char *place, enum breaker_state *out,
		      char *err, size_t errlen)
{
	char quoted[METRICS_QUOTE_LEN];

	if (!cJSON_IsString(item))
		return fail(err, errlen, "%s: expected string", place);
	if (breaker_state_parse(item->valuestring, out) == 0)
		return 0;
	/* The rejected text goes into a one-line message: make it short and inert. */
	metrics_copy_text(quoted, sizeof(quoted), item->valuestring);
	return fail(err, errlen, "%s: unknown state \"%s\"", place, quoted);
}

static const char *const pct_names[] = {
	[METRICS_PCT_UNSAID] = "", [METRICS_PCT_BUCKETS] = "buckets",
	[METRICS_PCT_LIFETIME] = "buckets-lifetime", [METRICS_PCT_SUMMARY] = "summary",
};

const char *metrics_pct_source_name(enum metrics_pct_source source)
{
	return (unsigned)source < sizeof(pct_names) / sizeof(pct_names[0]) ? pct_names[source] : "";
}

/* "buckets", "buckets-lifetime" or "summary". Returns 0, or -1 for anything else. */
static int pct_parse(const char *text, enum metrics_pct_source *out)
{
	for (size_t i = 1; i < sizeof(pct_names) / sizeof(pct_names[0]); i++) {
		if (strcmp(text, pct_names[i]) == 0) {
			*out = (enum metrics_pct_source)i;
			return 0;
		}
	}
	return -1;
}

static int read_pct(const cJSON *item, const char *place, enum metrics_pct_source *out,
		    char *err, size_t errlen)
{
	char quoted[METRICS_QUOTE_LEN];

	if (!cJSON_IsString(item))
		return fail(err, errlen, "%s: expected string", place);
	if (pct_parse(item->valuestring, out) == 0)
		return 0;
	metrics_copy_text(quoted, sizeof(quoted), item->valuestring);
	return fail(err, errlen, "%s: unknown method \"%s\" (buckets, buckets-lifetime or summary)",
		    place, quoted);
}

/* Room for "upstreams[4095].circuitBreakerStatus.recommendation". */
#define PLACE_LEN 96

static int read_field(const cJSON *item, const char *prefix, const struct group *g,
		      const struct field *f, struct metrics_snapshot *out, char *err, size_t errlen)
{
	char place[PLACE_LEN];
	char text[METRICS_TEXT_LEN];
	double v;
	int64_t count;
	int flag;
	enum breaker_state state;
	enum metrics_pct_source pct = METRICS_PCT_UNSAID;

	field_place(place, sizeof(place), prefix, g, f);
	switch (f->kind) {
	case FIELD_AMOUNT:
	case FIELD_FRACTION:
		if (read_number(item, place, f->kind, &v, err, errlen) != 0)
			return -1;
		field_set(out, f, &v, sizeof(v));
		return 0;
	case FIELD_COUNT:
		if (read_number(item, place, f->kind, &v, err, errlen) != 0)
			return -1;
		count = (int64_t)v;
		field_set(out, f, &count, sizeof(count));
		return 0;
	case FIELD_BOOL:
		if (!cJSON_IsBool(item))
			return fail(err, errlen, "%s: expected boolean", place);
		flag = cJSON_IsTrue(item) ? 1 : 0;
		field_set(out, f, &flag, sizeof(flag));
		return 0;
	case FIELD_STATE:
		if (read_state(item, place, &state, err, errlen) != 0)
			return -1;
		field_set(out, f, &state, sizeof(state));
		return 0;
	case FIELD_PCT:
		if (read_pct(item, place, &pct, err, errlen) != 0)
			return -1;
		field_set(out, f, &pct, sizeof(pct));
		return 0;
	case FIELD_TEXT:
		if (!cJSON_IsString(item))
			return fail(err, errlen, "%s: expected string", place);
		metrics_copy_text(text, sizeof(text), item->valuestring);
		field_set(out, f, text, sizeof(text));
		return 0;
	}
	return fail(err, errlen, "%s: unhandled field kind", place);
}

/*
 * Read group g of root into out. required: whether a missing object is an
 * error (the aggregate's four, unless it is derived from rows; nothing in
 * a row is required).
 */
static int read_group(const cJSON *root, const char *prefix, const struct group *g, int required,
		      struct metrics_snapshot *out, char *err, size_t errlen)
{
	const cJSON *obj = root;

	if (g->name != NULL) {
		obj = cJSON_GetObjectItemCaseSensitive(root, g->name);
		if (obj == NULL && required)
			return fail(err, errlen, "%s%s: missing object", prefix, g->name);
		if (obj == NULL || (cJSON_IsNull(obj) && !required))
			return 0;
		if (!cJSON_IsObject(obj))
			return fail(err, errlen, "%s%s: expected object", prefix, g->name);
	}
	for (size_t i = 0; i < g->nfields; i++) {
		const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, g->fields[i].key);

		/* Absent or null: the field stays unknown, never zero. */
		if (item == NULL || cJSON_IsNull(item))
			continue;
		if (read_field(item, prefix, g, &g->fields[i], out, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* One element of "upstreams": a named row with the aggregate's objects, all optional. */
static int read_row(const cJSON *item, size_t i, struct metrics_snapshot *out,
		    char *err, size_t errlen)
{
	char prefix[32];
	const cJSON *name;
	struct metrics_row *row;

	snprintf(prefix, sizeof(prefix), "upstreams[%zu].", i);
	if (!cJSON_IsObject(item))
		return fail(err, errlen, "upstreams[%zu]: expected object", i);
	name = cJSON_GetObjectItemCaseSensitive(item, "name");
	if (name == NULL || cJSON_IsNull(name))
		return fail(err, errlen, "%sname: missing", prefix);
	if (!cJSON_IsString(name))
		return fail(err, errlen, "%sname: expected string", prefix);
	if (name->valuestring[0] == '\0')
		return fail(err, errlen, "%sname: empty", prefix);
	row = metrics_row_add(out, name->valuestring);
	/* Only the row objects: timestamp and the like belong to the snapshot. */
	for (size_t g = 1; g < NGROUPS; g++)
		if (read_group(item, prefix, &groups[g], 0, &row->snap, err, errlen) != 0)
			return -1;
	return 0;
}

static int read_rows(const cJSON *arr, struct metrics_snapshot *out, char *err, size_t errlen)
{
	size_t n = 0, i = 0;
	const cJSON *item;

	if (arr == NULL || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return fail(err, errlen, "upstreams: expected array");
	cJSON_ArrayForEach(item, arr)
		n++;
	if (n > METRICS_ROWS_MAX)
		return fail(err, errlen, "upstreams: %zu rows, over the %d-row limit", n,
			    METRICS_ROWS_MAX);
	cJSON_ArrayForEach(item, arr)
		if (read_row(item, i++, out, err, errlen) != 0)
			return -1;
	return metrics_rows_check(out, err, errlen);
}

/* Whether root has rows and none of the aggregate's objects: then the aggregate is derived. */
static int aggregate_absent(const cJSON *root, const cJSON *rows)
{
	if (!cJSON_IsArray(rows) || cJSON_GetArraySize(rows) == 0)
		return 0;
	for (size_t g = 1; g < NGROUPS; g++)
		if (cJSON_GetObjectItemCaseSensitive(root, groups[g].name) != NULL)
			return 0;
	return 1;
}

static int read_snapshot(const cJSON *obj, struct metrics_snapshot *out, char *err, size_t errlen)
{
	const cJSON *rows;
	int derive;

	if (!cJSON_IsObject(obj))
		return fail(err, errlen, "expected a JSON object");
	rows = cJSON_GetObjectItemCaseSensitive(obj, "upstreams");
	derive = aggregate_absent(obj, rows);
	for (size_t i = 0; i < NGROUPS; i++)
		if (read_group(obj, "", &groups[i], groups[i].required && !derive, out,
			       err, errlen) != 0)
			return -1;
	if (read_rows(rows, out, err, errlen) != 0)
		return -1;
	if (derive)
		metrics_aggregate_derive(out);
	return 0;
}

int metrics_from_cjson(const struct cJSON *obj, struct metrics_snapshot *out,
		       char *err, size_t errlen)
{
	metrics_init(out);
	if (read_snapshot(obj, out, err, errlen) == 0)
		return 0;
	/* A failed parse owns nothing, so callers need not clean up after an error. */
	metrics_free(out);
	return -1;
}

static int is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int metrics_parse(const char *json, size_t len, struct metrics_snapshot *out,
		  char *err, size_t errlen)
{
	const char *end = NULL;
	const char *nul;
	cJSON *root;
	int rc;

	metrics_init(out);
	/* Checked before anything reads the body, so a huge one costs nothing. */
	if (len > METRICS_JSON_MAX)
		return fail(err, errlen, "body is %zu bytes, over the %zu-byte limit",
			    len, METRICS_JSON_MAX);
	if (json == NULL || len == 0)
		return fail(err, errlen, "line 1, column 1: invalid JSON (empty input)");
	/* cJSON would stop at a NUL and quietly drop what follows. */
	nul = memchr(json, '\0', len);
	if (nul != NULL)
		return fail_at(json, nul, "NUL byte in the JSON text", err, errlen);
	root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	if (root == NULL) {
		if (end == NULL || end < json || end > json + len)
			end = cJSON_GetErrorPtr();
		if (end == NULL || end < json || end > json + len)
			end = json;
		return fail_at(json, end, "invalid JSON", err, errlen);
	}
	while (end < json + len && is_json_space(*end))
		end++;
	if (end < json + len) {
		cJSON_Delete(root);
		return fail_at(json, end, "unexpected text after the JSON value", err, errlen);
	}
	rc = metrics_from_cjson(root, out, err, errlen);
	cJSON_Delete(root);
	return rc;
}

/* cJSON reports allocation failure as NULL; we treat it as unrecoverable. */
static void check_alloc(const void *p)
{
	if (p == NULL)
		fatal("out of memory building metrics JSON");
}

/*
 * A JSON number that reads back as exactly v. cJSON prints "%.15g" whenever
 * that reads back within an epsilon of the value, which loses the last bits
 * of values such as 0.1 + 0.2; those go out as raw "%.17g" text instead,
 * which always reads back exactly.
 */
static cJSON *number_create(double v)
{
	char buf[32];
	char point = localeconv()->decimal_point[0];

	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) == v)
		return cJSON_CreateNumber(v);
	snprintf(buf, sizeof(buf), "%.17g", v);
	/* printf follows LC_NUMERIC; JSON always wants '.'. */
	for (char *p = buf; *p != '\0'; p++)
		if (*p == point)
			*p = '.';
	return cJSON_CreateRaw(buf);
}

static void add_number(cJSON *obj, const char *key, double v)
{
	cJSON *item = number_create(v);

	check_alloc(item);
	if (!cJSON_AddItemToObject(obj, key, item))
		fatal("out of memory building metrics JSON");
}

/* Add f to obj unless it is unknown; returns 1 if something was written. */
static int write_field(cJSON *obj, const struct metrics_snapshot *s, const struct field *f)
{
	double v;
	int64_t count;
	int flag;
	enum breaker_state state;
	const char *text;

	switch (f->kind) {
	case FIELD_AMOUNT:
	case FIELD_FRACTION:
		v = field_get_double(s, f);
		if (!isfinite(v))
			return 0;
		add_number(obj, f->key, v);
		return 1;
	case FIELD_COUNT:
		count = field_get_count(s, f);
		if (count < 0)
			return 0;
		add_number(obj, f->key, (double)count);
		return 1;
	case FIELD_BOOL:
		flag = field_get_int(s, f);
		if (flag != 0 && flag != 1)
			return 0;
		check_alloc(cJSON_AddBoolToObject(obj, f->key, flag));
		return 1;
	case FIELD_STATE:
		state = field_get_state(s, f);
		if (state == BREAKER_UNKNOWN)
			return 0;
		check_alloc(cJSON_AddStringToObject(obj, f->key, breaker_state_name(state)));
		return 1;
	case FIELD_PCT:
		text = metrics_pct_source_name(field_get_pct(s, f));
		if (text[0] == '\0')
			return 0;
		check_alloc(cJSON_AddStringToObject(obj, f->key, text));
		return 1;
	case FIELD_TEXT:
		text = (const char *)s + f->offset;
		if (text[0] == '\0')
			return 0;
		check_alloc(cJSON_AddStringToObject(obj, f->key, text));
		return 1;
	}
	return 0;
}

/* Write groups first.. of s into root; the required ones even when empty, so the output parses. */
static void write_groups(cJSON *root, const struct metrics_snapshot *s, size_t first)
{
	for (size_t i = first; i < NGROUPS; i++) {
		const struct group *g = &groups[i];
		cJSON *obj = root;
		int written = 0;

		if (g->name != NULL) {
			obj = cJSON_CreateObject();
			check_alloc(obj);
		}
		for (size_t j = 0; j < g->nfields; j++)
			written += write_field(obj, s, &g->fields[j]);
		if (g->name == NULL)
			continue;
		/* Required objects are written even when empty, so the output parses. */
		if (written == 0 && !g->required)
			cJSON_Delete(obj);
		else if (!cJSON_AddItemToObject(root, g->name, obj))
			fatal("out of memory building metrics JSON");
	}
}

static void write_rows(cJSON *root, const struct metrics_snapshot *s)
{
	cJSON *arr;

	if (s->nrows == 0)
		return;
	arr = cJSON_AddArrayToObject(root, "upstreams");
	check_alloc(arr);
	for (size_t i = 0; i < s->nrows; i++) {
		cJSON *row = cJSON_CreateObject();

		check_alloc(row);
		check_alloc(cJSON_AddStringToObject(row, "name", s->rows[i].name));
		write_groups(row, &s->rows[i].snap, 1);
		if (!cJSON_AddItemToArray(arr, row))
			fatal("out of memory building metrics JSON");
	}
}

struct cJSON *metrics_to_cjson(const struct metrics_snapshot *s)
{
	cJSON *root = cJSON_CreateObject();

	check_alloc(root);
	write_groups(root, s, 0);
	write_rows(root, s);
	return root;
}

char *metrics_to_json(const struct metrics_snapshot *s)
{
	cJSON *root = metrics_to_cjson(s);
	char *text = cJSON_PrintUnformatted(root);

	cJSON_Delete(root);
	check_alloc(text);
	return text;
}

/*
 * The lean reader (metrics_scan): the same table and the same checks as
 * metrics_from_cjson, walked over the text itself with jscan instead of
 * over a cJSON tree. It takes only what it is sure of; anything unusual
 * (a check failing, null where an object belongs, a duplicate group,
 * escapes) returns -1 and the caller asks the full reader, which decides
 * and says why. Where both answer, they answer the same: cJSON keeps the
 * first of duplicate keys, and so does this.
 */

/* Longest string value taken here; longer ones go to the full reader. */
#define SCAN_TEXT_MAX 512

static const struct field *scan_field(const struct group *g, const char *key, size_t n)
{
	for (size_t i = 0; i < g->nfields; i++)
		if (jscan_is(key, n, g->fields[i].key))
			return &g->fields[i];
	return NULL;
}

/* One value for field f of s (null leaves it unknown). Returns 0 or -1. */
static int scan_value(struct jscan *c, const struct field *f, struct metrics_snapshot *s)
{
	char ch = jscan_peek(c), text[SCAN_TEXT_MAX + 1];
	const char *str;
	size_t n;
	double v;
	int64_t count;
	int flag;
	enum breaker_state state;
	enum metrics_pct_source pct;

	if (ch == 'n')
		return jscan_skip(c);
	switch (f->kind) {
	case FIELD_AMOUNT:
	case FIELD_FRACTION:
	case FIELD_COUNT:
		if ((ch != '-' && (ch < '0' || ch > '9')) || jscan_number(c, &v) != 0 ||
		    number_fault(v, f->kind) != NULL)
			return -1;
		if (f->kind == FIELD_COUNT) {
			count = (int64_t)v;
			field_set(s, f, &count, sizeof(count));
		} else {
			field_set(s, f, &v, sizeof(v));
		}
		return 0;
	case FIELD_BOOL:
		if (ch != 't' && ch != 'f')
			return -1;
		flag = ch == 't';
		if (jscan_skip(c) != 0)
			return -1;
		field_set(s, f, &flag, sizeof(flag));
		return 0;
	case FIELD_STATE:
	case FIELD_PCT:
	case FIELD_TEXT:
		if (jscan_string(c, &str, &n) != 0 || n > SCAN_TEXT_MAX)
			return -1;
		memcpy(text, str, n);
		text[n] = '\0';
		if (f->kind == FIELD_PCT) {
			if (pct_parse(text, &pct) != 0)
				return -1;
			field_set(s, f, &pct, sizeof(pct));
		} else if (f->kind == FIELD_STATE) {
			if (breaker_state_parse(text, &state) != 0)
				return -1;
			field_set(s, f, &state, sizeof(state));
		} else {
			char safe[METRICS_TEXT_LEN];

			metrics_copy_text(safe, sizeof(safe), text);
			field_set(s, f, safe, sizeof(safe));
		}
		return 0;
	}
	return -1;
}

/* Members of object group g (the cursor at its '{'); seen marks fields already read. */
static int scan_group(struct jscan *c, const struct group *g, struct metrics_snapshot *s)
{
	uint32_t seen = 0;

	if (!jscan_eat(c, '{'))
		return -1;
	if (jscan_eat(c, '}'))
		return 0;
	do {
		const char *key;
		size_t n;
		const struct field *f;

		if (jscan_string(c, &key, &n) != 0 || !jscan_eat(c, ':'))
			return -1;
		f = scan_field(g, key, n);
		if (f == NULL || (seen & (1u << (f - g->fields)))) {
			if (jscan_skip(c) != 0)
				return -1;
			continue;
		}
		seen |= 1u << (f - g->fields);
		if (scan_value(c, f, s) != 0)
			return -1;
	} while (jscan_eat(c, ','));
	return jscan_eat(c, '}') ? 0 : -1;
}

static const struct group *scan_group_named(const char *key, size_t n, size_t *index)
{
	for (size_t g = 1; g < NGROUPS; g++)
		if (jscan_is(key, n, groups[g].name)) {
			*index = g;
			return &groups[g];
		}
	return NULL;
}

/* One element of "upstreams": its name may come after its objects, so they go to a scratch snapshot first. */
static int scan_row(struct jscan *c, struct metrics_snapshot *out)
{
	char name[SCAN_TEXT_MAX + 1];
	bool have_name = false;
	uint32_t seen = 0;
	struct metrics_snapshot scratch;
	struct metrics_row *row;

	metrics_init(&scratch);
	if (!jscan_eat(c, '{') || jscan_eat(c, '}'))
		return -1;
	do {
		const char *key, *str;
		size_t n, len, gi;
		const struct group *g;

		if (jscan_string(c, &key, &n) != 0 || !jscan_eat(c, ':'))
			return -1;
		if (jscan_is(key, n, "name") && !have_name) {
			if (jscan_string(c, &str, &len) != 0 || len == 0 || len > SCAN_TEXT_MAX)
				return -1;
			memcpy(name, str, len);
			name[len] = '\0';
			have_name = true;
			continue;
		}
		g = scan_group_named(key, n, &gi);
		if (g == NULL || (seen & (1u << gi)) || jscan_peek(c) == 'n') {
			if (g != NULL)
				seen |= 1u << gi;
			if (jscan_skip(c) != 0)
				return -1;
			continue;
		}
		seen |= 1u << gi;
		if (scan_group(c, g, &scratch) != 0)
			return -1;
	} while (jscan_eat(c, ','));
	if (!jscan_eat(c, '}') || !have_name)
		return -1;
	row = metrics_row_add(out, name);
	if (row == NULL)
		return -1;
	row->snap = scratch;
	return 0;
}

static int scan_rows(struct jscan *c, struct metrics_snapshot *out)
{
	if (!jscan_eat(c, '['))
		return -1;
	if (jscan_eat(c, ']'))
		return 0;
	do {
		if (scan_row(c, out) != 0)
			return -1;
	} while (jscan_eat(c, ','));
	return jscan_eat(c, ']') ? 0 : -1;
}

int metrics_scan(struct jscan *c, bool bare, struct metrics_snapshot *out)
{
	uint32_t seen = 0, top_seen = 0;
	bool rows_seen = false;
	char err[METRICS_ERR_LEN];

	metrics_init(out);
	if (!jscan_eat(c, '{'))
		return -1;
	if (jscan_eat(c, '}'))
		goto fallback;
	do {
		const char *key;
		size_t n, gi;
		const struct group *g;
		const struct field *f;

		if (jscan_string(c, &key, &n) != 0 || !jscan_eat(c, ':'))
			goto fallback;
		if (bare && (jscan_is(key, n, "t") || jscan_is(key, n, "metrics") ||
			     jscan_is(key, n, "event")))
			goto fallback;
		if (jscan_is(key, n, "upstreams")) {
			/* A second "upstreams", or null: rare, and the full reader's to judge. */
			if (rows_seen || jscan_peek(c) != '[' || scan_rows(c, out) != 0)
				goto fallback;
			rows_seen = true;
			continue;
		}
		g = scan_group_named(key, n, &gi);
		if (g != NULL) {
			if (seen & (1u << gi)) {
				if (jscan_skip(c) != 0)
					goto fallback;
				continue;
			}
			seen |= 1u << gi;
			if (jscan_peek(c) != '{' || scan_group(c, g, out) != 0)
				goto fallback;
			continue;
		}
		f = scan_field(&groups[0], key, n);
		if (f != NULL && !(top_seen & (1u << (f - groups[0].fields)))) {
			top_seen |= 1u << (f - groups[0].fields);
			if (scan_value(c, f, out) != 0)
				goto fallback;
			continue;
		}
		if (jscan_skip(c) != 0)
			goto fallback;
	} while (jscan_eat(c, ','));
	if (!jscan_eat(c, '}'))
		goto fallback;
	if (out->nrows > 0 && seen == 0) {
		metrics_aggregate_derive(out);
	} else {
		for (size_t g = 1; g < NGROUPS; g++)
			if (groups[g].required && !(seen & (1u << g)))
				goto fallback;
	}
	if (out->nrows > 0 && metrics_rows_check(out, err, sizeof(err)) != 0)
		goto fallback;
	return 0;
fallback:
	metrics_free(out);
	return -1;
}
