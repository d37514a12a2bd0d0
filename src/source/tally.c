/*
 * Tally (see tally.h). Rows are found by an open-addressing hash of their
 * key, so a line costs one hash of a short string and two tracker records.
 */
#include "source/tally.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "sim/tracker.h"
#include "util.h"

#define SLOTS (TALLY_ROWS_MAX * 4)	/* a power of two, mostly empty */

/* A time window's (time, latency) pairs: a ring that grows to TALLY_TIME_WINDOW_MAX. */
struct twin {
	int64_t *t;
	uint32_t *lat;
	size_t cap, head, len;
	bool dirty;		/* changed since the tracker was refilled */
};

struct row {
	char key[METRICS_NAME_LEN];	/* as in the log, for matching */
	size_t len;
	char name[METRICS_NAME_LEN];	/* as shown: sanitised, unique */
	struct tracker *tr;
	struct twin tw;
	enum breaker_state state;
	int64_t state_since_us;
	/* When the current run of failures began, and when the last success ended one (or the first request). */
	int64_t failing_since_us, ok_since_us;
	bool failing, seen;
	uint64_t seen_total, seen_failed;	/* counters at the last snapshot */
	double failure_rate;
};

struct tally {
	struct tally_options o;
	size_t tracker_window;
	struct row all;
	struct row *rows[TALLY_ROWS_MAX + 1];	/* + TALLY_OTHER */
	size_t nrows;
	uint16_t slot[SLOTS];	/* row index + 1; 0: empty */
	struct row *other;
	int64_t newest_us;	/* the newest completion seen, for expiring time windows */
};

static uint64_t hash_key(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int row_init(struct tally *t, struct row *r)
{
	memset(r, 0, sizeof(*r));
	r->tr = tracker_new(t->tracker_window);
	r->state = BREAKER_UNKNOWN;
	return r->tr != NULL ? 0 : -1;
}

static void row_release(struct row *r)
{
	tracker_free(r->tr);
	free(r->tw.t);
	free(r->tw.lat);
}

struct tally *tally_new(const struct tally_options *o)
{
	struct tally *t = xcalloc(1, sizeof(*t));

	t->o = *o;
	t->tracker_window = o->window_us > 0 ? TALLY_TIME_WINDOW_MAX
			    : o->window > 0 ? o->window : TRACKER_DEFAULT_WINDOW;
	if (row_init(t, &t->all) < 0) {
		free(t);
		return NULL;
	}
	t->newest_us = INT64_MIN;
	return t;
}

void tally_free(struct tally *t)
{
	if (t == NULL)
		return;
	row_release(&t->all);
	for (size_t i = 0; i < t->nrows; i++) {
		row_release(t->rows[i]);
		free(t->rows[i]);
	}
	free(t);
}

size_t tally_rows(const struct tally *t)
{
	return t->nrows;
}

/* The name to show: sanitised, and made unique if two keys clean up alike. */
static void row_name(struct tally *t, struct row *r)
{
	char base[METRICS_NAME_LEN];

	sanitize_copy_n(base, sizeof(base), r->key, r->len, 0);
	str_printf(r->name, sizeof(r->name), "%s", base);
	for (int n = 2;; n++) {
		size_t i = 0;

		while (i < t->nrows && strcmp(t->rows[i]->name, r->name) != 0)
			i++;
		if (i == t->nrows)
			return;
		str_printf(r->name, sizeof(r->name), "%.100s #%d", base, n);
	}
}

static struct row *row_new(struct tally *t, const char *key, size_t len)
{
	struct row *r = xmalloc(sizeof(*r));

	if (row_init(t, r) < 0)
		fatal("tracker for a row: bad window");
	memcpy(r->key, key, len);
	r->key[len] = '\0';
	r->len = len;
	row_name(t, r);
	t->rows[t->nrows++] = r;
	return r;
}

static struct row *row_find(struct tally *t, const char *key, size_t len)
{
	uint64_t h;
	size_t i;

	if (len >= METRICS_NAME_LEN)
		len = METRICS_NAME_LEN - 1;
	h = hash_key(key, len);
	for (i = (size_t)h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		struct row *r;

		if (t->slot[i] == 0)
			break;
		r = t->rows[t->slot[i] - 1];
		if (r->len == len && memcmp(r->key, key, len) == 0)
			return r;
	}
	if (t->nrows < TALLY_ROWS_MAX) {
		struct row *r = row_new(t, key, len);

		t->slot[i] = (uint16_t)t->nrows;
		return r;
	}
	if (t->other == NULL)
		t->other = row_new(t, TALLY_OTHER, strlen(TALLY_OTHER));
	return t->other;
}

static void twin_pop(struct twin *w)
{
	w->head = (w->head + 1) % w->cap;
	w->len--;
	w->dirty = true;
}

static void twin_grow(struct twin *w)
{
	size_t cap = w->cap == 0 ? 1024 : w->cap * 2;
	int64_t *t;
	uint32_t *lat;

	if (cap > TALLY_TIME_WINDOW_MAX)
		cap = TALLY_TIME_WINDOW_MAX;
	t = xmalloc(cap * sizeof(*t));
	lat = xmalloc(cap * sizeof(*lat));
	for (size_t i = 0; i < w->len; i++) {
		t[i] = w->t[(w->head + i) % w->cap];
		lat[i] = w->lat[(w->head + i) % w->cap];
	}
	free(w->t);
	free(w->lat);
	w->t = t;
	w->lat = lat;
	w->cap = cap;
	w->head = 0;
}

/* The window is (now - span, now]: what completed at or before the start leaves. */
static void twin_expire(struct twin *w, int64_t start_us)
{
	while (w->len > 0 && w->t[w->head] <= start_us)
		twin_pop(w);
}

static void twin_add(struct twin *w, int64_t now_us, int64_t latency_us)
{
	if (w->len == w->cap) {
		if (w->cap < TALLY_TIME_WINDOW_MAX)
			twin_grow(w);
		else
			twin_pop(w);
	}
	w->t[(w->head + w->len) % w->cap] = now_us;
	w->lat[(w->head + w->len) % w->cap] = latency_us > UINT32_MAX ? UINT32_MAX : (uint32_t)latency_us;
	w->len++;
	w->dirty = true;
}

/* The tracker holds exactly the window's pairs again. */
static void twin_refill(struct row *r)
{
	struct twin *w = &r->tw;

	if (!w->dirty)
		return;
	tracker_reset_window(r->tr);
	for (size_t i = 0; i < w->len; i++)
		tracker_record(r->tr, w->t[(w->head + i) % w->cap], w->lat[(w->head + i) % w->cap]);
	w->dirty = false;
}

static void count_outcome(struct tracker *tr, enum alog_outcome outcome)
{
	tracker_count(tr, TRACKER_REQUESTS);
	switch (outcome) {
	case ALOG_OK:
		tracker_count(tr, TRACKER_SUCCEEDED);
		return;
	case ALOG_TIMEOUT:
		tracker_count(tr, TRACKER_TIMEOUTS);
		break;
	case ALOG_FAILURE:
		tracker_count(tr, TRACKER_FAILURES);
		break;
	case ALOG_RATE_LIMITED:
		tracker_count(tr, TRACKER_RATE_LIMITED);
		break;
	case ALOG_REJECTED:
		tracker_count(tr, TRACKER_BREAKER_TRIPS);
		break;
	}
	tracker_count(tr, TRACKER_FAILED);
}

/* The runs of failures and successes, so an inferred state knows when it began. */
static void note_run(struct row *r, int64_t now_us, bool ok)
{
	if (!r->seen) {
		r->seen = true;
		r->ok_since_us = now_us;
	}
	if (ok && r->failing)
		r->ok_since_us = now_us;
	else if (!ok && !r->failing)
		r->failing_since_us = now_us;
	r->failing = !ok;
}

static void row_add(struct tally *t, struct row *r, int64_t now_us, int64_t latency_us,
		    enum alog_outcome outcome)
{
	count_outcome(r->tr, outcome);
	note_run(r, now_us, outcome == ALOG_OK);
	if (latency_us < 0 && !t->o.no_latency)
		return;
	if (latency_us < 0)
		latency_us = 0;
	if (t->o.window_us > 0) {
		twin_expire(&r->tw, t->newest_us - t->o.window_us);
		twin_add(&r->tw, now_us, latency_us);
	} else {
		tracker_record(r->tr, now_us, latency_us);
	}
}

void tally_add(struct tally *t, const char *key, size_t len, int64_t now_us, int64_t latency_us,
	       enum alog_outcome outcome)
{
	if (now_us > t->newest_us)
		t->newest_us = now_us;
	row_add(t, &t->all, now_us, latency_us, outcome);
	row_add(t, row_find(t, key, len), now_us, latency_us, outcome);
}

/*
 * Open when every request since the last snapshot failed; closed when one
 * succeeded. An open state dates from the first failure of its run, a
 * closed one from the success that ended the last run of failures.
 */
static void infer_breaker(struct row *r)
{
	uint64_t total = tracker_counter(r->tr, TRACKER_REQUESTS);
	uint64_t failed = tracker_counter(r->tr, TRACKER_FAILED);
	uint64_t dt = total - r->seen_total, df = failed - r->seen_failed;
	enum breaker_state st;

	r->seen_total = total;
	r->seen_failed = failed;
	if (dt == 0)
		return;
	r->failure_rate = (double)df / (double)dt;
	st = df == dt ? BREAKER_OPEN : BREAKER_CLOSED;
	if (st != r->state) {
		r->state = st;
		r->state_since_us = st == BREAKER_OPEN ? r->failing_since_us : r->ok_since_us;
	}
}

static double ms(double us)
{
	return isnan(us) ? NAN : us / 1000.0;
}

static void row_fill(const struct tally *t, struct row *r, int64_t now_us, bool rates,
		     struct metrics_snapshot *s)
{
	struct tracker_stats st;

	if (t->o.window_us > 0) {
		twin_expire(&r->tw, now_us - t->o.window_us);
		twin_refill(r);
	}
	infer_breaker(r);
	tracker_stats(r->tr, &st);
	s->latency = (struct metrics_latency){
		.p50 = ms(st.p50), .p90 = ms(st.p90), .p95 = ms(st.p95), .p99 = ms(st.p99),
		.p999 = ms(st.p999), .max = ms(st.max), .min = ms(st.min), .avg = ms(st.avg),
		.count = (int64_t)st.count,
	};
	if (t->o.no_latency)
		s->latency = (struct metrics_latency){ NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0 };
	s->throughput.per_second = rates ? tracker_throughput(r->tr, now_us) : NAN;
	s->throughput.per_minute = s->throughput.per_second * 60.0;
	s->errors = (struct metrics_errors){
		.breaker_trips = (int64_t)tracker_counter(r->tr, TRACKER_BREAKER_TRIPS),
		.rate_limited = (int64_t)tracker_counter(r->tr, TRACKER_RATE_LIMITED),
		.timeouts = (int64_t)tracker_counter(r->tr, TRACKER_TIMEOUTS),
		.failures = (int64_t)tracker_counter(r->tr, TRACKER_FAILURES),
		.validation = METRICS_NONE,	/* a log cannot tell */
	};
	s->requests = (struct metrics_requests){
		.total = (int64_t)tracker_counter(r->tr, TRACKER_REQUESTS),
		.succeeded = (int64_t)tracker_counter(r->tr, TRACKER_SUCCEEDED),
		.failed = (int64_t)tracker_counter(r->tr, TRACKER_FAILED),
		.pending = METRICS_NONE,
	};
	s->breaker.state = r->state;
	s->breaker.healthy = r->state == BREAKER_UNKNOWN ? -1 : r->state != BREAKER_OPEN;
	s->breaker.failure_rate = r->state == BREAKER_UNKNOWN ? NAN : r->failure_rate;
	s->breaker.avg_response_ms = s->latency.avg;
	s->breaker.state_since_ms = r->state == BREAKER_UNKNOWN ? METRICS_NONE
				    : (now_us - r->state_since_us) / 1000;
}

void tally_snapshot(struct tally *t, int64_t now_us, bool rates, struct metrics_snapshot *snap)
{
	struct metrics_snapshot whole;

	metrics_clear(snap);
	for (size_t i = 0; i < t->nrows; i++) {
		struct metrics_row *mr = metrics_row_add(snap, t->rows[i]->name);

		if (mr == NULL)
			break;
		row_fill(t, t->rows[i], now_us, rates, &mr->snap);
	}
	/* The breaker and its recommendation come from the rows; the rest from the whole. */
	metrics_aggregate_derive(snap);
	metrics_init(&whole);
	row_fill(t, &t->all, now_us, rates, &whole);
	snap->latency = whole.latency;
	snap->throughput = whole.throughput;
	snap->errors = whole.errors;
	snap->requests = whole.requests;
	snap->breaker.avg_response_ms = whole.breaker.avg_response_ms;
	if (t->nrows == 0)
		snap->breaker = whole.breaker;
	snap->timestamp_ms = now_us / 1000;
}
