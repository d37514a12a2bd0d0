/*
 * History: a ring of the latest snapshots plus what only several snapshots
 * can tell (see history.h).
 *
 * The ring is an array written round-robin; head is the slot the next push
 * fills, so the newest entry sits just before it. Breaker transitions are
 * derived on push and kept apart from the ring, so a transition stays known
 * after the snapshots around it have fallen out. The current outage (the
 * breaker left closed and has not come back) is tracked on push too, because
 * its start may be older than anything the transition list still holds.
 */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define TIME_NONE INT64_MIN

struct history {
	struct history_entry *ring;
	size_t capacity, len, head;

	struct breaker_transition trans[HISTORY_TRANSITIONS];
	size_t ntrans;

	enum breaker_state last_state;	/* newest known state, UNKNOWN before any */
	int64_t outage_start_ms;	/* when the breaker opened, TIME_NONE if closed or unknown */
	bool outage_start_exact;	/* false when it is only a lower bound of the outage */
	double last_recovery_s;		/* NAN until an open -> closed recovery is seen */
	bool reported;			/* the source reports transitions itself */
};

struct history *history_new(size_t capacity)
{
	struct history *h = xcalloc(1, sizeof(*h));

	if (capacity < 2)
		capacity = 2;
	h->ring = xcalloc(capacity, sizeof(*h->ring));
	h->capacity = capacity;
	history_clear(h);
	return h;
}

void history_free(struct history *h)
{
	if (h == NULL)
		return;
	free(h->ring);
	free(h);
}

void history_clear(struct history *h)
{
	h->len = 0;
	h->head = 0;
	h->ntrans = 0;
	h->last_state = BREAKER_UNKNOWN;
	h->outage_start_ms = TIME_NONE;
	h->outage_start_exact = false;
	h->last_recovery_s = NAN;
	h->reported = false;
}

size_t history_rewind(struct history *h, int64_t at_ms)
{
	size_t dropped;

	struct history_entry *keep = xcalloc(h->len, sizeof(*keep));
	size_t n = 0;

	/* Oldest first, so pushing them again rebuilds transitions and outages in order. */
	for (size_t i = h->len; i-- > 0;) {
		const struct history_entry *e = history_get(h, i);

		if (e->at_ms < at_ms)
			keep[n++] = *e;
	}
	dropped = h->len - n;
	history_clear(h);
	for (size_t i = 0; i < n; i++)
		history_push(h, &keep[i].snap, keep[i].at_ms);
	free(keep);
	return dropped;
}

size_t history_len(const struct history *h)
{
	return h->len;
}

const struct history_entry *history_get(const struct history *h, size_t i)
{
	if (i >= h->len)
		return NULL;
	return &h->ring[(h->head + h->capacity - 1 - i) % h->capacity];
}

static void transition_add(struct history *h, int64_t at_ms, enum breaker_state from,
			   enum breaker_state to)
{
	if (h->ntrans == HISTORY_TRANSITIONS) {
		memmove(&h->trans[0], &h->trans[1], (HISTORY_TRANSITIONS - 1) * sizeof(h->trans[0]));
		h->ntrans--;
	}
	h->trans[h->ntrans++] = (struct breaker_transition){ .at_ms = at_ms, .from = from, .to = to };
}

/*
 * When the snapshot's state began: stateSinceMs is more exact than the
 * arrival time, but it can never place the change before the previous
 * snapshot, which still showed the old state.
 */
static int64_t state_start_ms(const struct history *h, const struct metrics_snapshot *s,
			      int64_t at_ms)
{
	int64_t start = at_ms;
	const struct history_entry *prev = history_get(h, 0);

	if (s->breaker.state_since_ms >= 0)
		start = at_ms - s->breaker.state_since_ms;
	if (prev != NULL && prev->snap.breaker.state == h->last_state && start < prev->at_ms)
		start = prev->at_ms;
	return start;
}

/*
 * The first known state tells when an outage began only through
 * stateSinceMs of an open breaker; a half-open one has been out at least
 * since it went half-open, which is a lower bound.
 */
static void outage_first_seen(struct history *h, enum breaker_state st, int64_t start,
			      bool since_known)
{
	if (st == BREAKER_CLOSED)
		return;
	h->outage_start_ms = start;
	h->outage_start_exact = since_known && st == BREAKER_OPEN;
}

/*
 * One outage runs from leaving closed to coming back: a half-open trial that
 * fails and reopens the breaker does not end it.
 */
static void outage_transition(struct history *h, enum breaker_state to, int64_t at)
{
	if (to == BREAKER_CLOSED) {
		if (h->outage_start_ms != TIME_NONE && h->outage_start_exact)
			h->last_recovery_s = (double)(at - h->outage_start_ms) / 1000.0;
		h->outage_start_ms = TIME_NONE;
		h->outage_start_exact = false;
	} else if (h->outage_start_ms == TIME_NONE) {
		h->outage_start_ms = at;
		h->outage_start_exact = to == BREAKER_OPEN;
	}
}

void history_note_transition(struct history *h, int64_t at_ms, enum breaker_state from,
			     enum breaker_state to)
{
	if (from == to || to == BREAKER_UNKNOWN)
		return;
	h->reported = true;
	if (from != BREAKER_UNKNOWN) {
		transition_add(h, at_ms, from, to);
		outage_transition(h, to, at_ms);
	} else {
		outage_first_seen(h, to, at_ms, true);
	}
	h->last_state = to;
}

static void breaker_observe(struct history *h, const struct metrics_snapshot *s, int64_t at_ms)
{
	enum breaker_state st = s->breaker.state;
	int64_t start;

	if (st == BREAKER_UNKNOWN || st == h->last_state)
		return;
	start = state_start_ms(h, s, at_ms);
	if (h->last_state == BREAKER_UNKNOWN) {
		outage_first_seen(h, st, start, s->breaker.state_since_ms >= 0);
	} else {
		transition_add(h, start, h->last_state, st);
		outage_transition(h, st, start);
	}
	h->last_state = st;
}

void history_push(struct history *h, const struct metrics_snapshot *s, int64_t at_ms)
{
	/* Transitions look at the previous entry, so observe before storing. */
	breaker_observe(h, s, at_ms);
	h->ring[h->head] = (struct history_entry){ .snap = *s, .at_ms = at_ms };
	/* The entry must not share s's rows, which are not ours to keep. */
	h->ring[h->head].snap.rows = NULL;
	h->ring[h->head].snap.nrows = h->ring[h->head].snap.rows_cap = 0;
	h->head = (h->head + 1) % h->capacity;
	if (h->len < h->capacity)
		h->len++;
}

/* A cumulative counter's change; a drop means a restart, counted from zero. */
static int64_t counter_delta(int64_t newer, int64_t older, bool *reset)
{
	if (newer < 0 || older < 0)
		return 0;
	if (newer < older) {
		*reset = true;
		return newer;
	}
	return newer - older;
}

static int64_t request_delta(int64_t newer, int64_t older, bool *reset)
{
	if (newer < 0 || older < 0)
		return METRICS_NONE;
	return counter_delta(newer, older, reset);
}

static void deltas_between(const struct history_entry *n, const struct history_entry *o,
			   struct counter_deltas *out)
{
	const struct metrics_errors *ne = &n->snap.errors, *oe = &o->snap.errors;
	bool reset = false;

	out->breaker_trips = counter_delta(ne->breaker_trips, oe->breaker_trips, &reset);
	out->rate_limited = counter_delta(ne->rate_limited, oe->rate_limited, &reset);
	out->timeouts = counter_delta(ne->timeouts, oe->timeouts, &reset);
	out->failures = counter_delta(ne->failures, oe->failures, &reset);
	out->validation = counter_delta(ne->validation, oe->validation, &reset);
	out->requests_total = request_delta(n->snap.requests.total, o->snap.requests.total, &reset);
	out->requests_failed = request_delta(n->snap.requests.failed, o->snap.requests.failed, &reset);
	out->reset = reset;
	out->span_ms = n->at_ms - o->at_ms;
}

void history_deltas(const struct history *h, struct counter_deltas *out)
{
	memset(out, 0, sizeof(*out));
	out->requests_total = METRICS_NONE;
	out->requests_failed = METRICS_NONE;
	if (h->len < 2)
		return;
	deltas_between(history_get(h, 0), history_get(h, 1), out);
}

/* Error rate of the interval ending at newer; older may be NULL. */
static double error_rate_between(const struct history_entry *newer,
				 const struct history_entry *older)
{
	if (older != NULL) {
		struct counter_deltas d;
		bool reset = false;
		int64_t succeeded;

		deltas_between(newer, older, &d);
		succeeded = request_delta(newer->snap.requests.succeeded,
					  older->snap.requests.succeeded, &reset);
		/*
		 * Requests counted in an earlier interval's total may fail in this
		 * one (pending ones timing out), so failed/total can pass 100 %;
		 * the failed share of the requests that finished here cannot.
		 */
		if (d.requests_failed >= 0 && succeeded >= 0 && d.requests_failed + succeeded > 0)
			return (double)d.requests_failed / (double)(d.requests_failed + succeeded);
		if (d.requests_total > 0 && d.requests_failed >= 0)
			return fmin(1.0, (double)d.requests_failed / (double)d.requests_total);
	}
	return newer->snap.breaker.failure_rate;
}

double history_error_rate(const struct history *h)
{
	if (h->len == 0)
		return NAN;
	return error_rate_between(history_get(h, 0), history_get(h, 1));
}

size_t history_transitions(const struct history *h, struct breaker_transition *out, size_t max)
{
	size_t n = h->ntrans < max ? h->ntrans : max;
	size_t first = h->ntrans - n;	/* the newest n, still oldest first */

	if (n > 0)
		memcpy(out, &h->trans[first], n * sizeof(*out));
	return n;
}

double history_last_recovery_s(const struct history *h)
{
	return h->last_recovery_s;
}

double history_state_age_s(const struct history *h, int64_t now_ms)
{
	const struct history_entry *e;

	if (h->ntrans > 0)
		return (double)(now_ms - h->trans[h->ntrans - 1].at_ms) / 1000.0;
	e = history_get(h, 0);
	if (e == NULL || e->snap.breaker.state == BREAKER_UNKNOWN || e->snap.breaker.state_since_ms < 0)
		return NAN;
	return (double)(e->snap.breaker.state_since_ms + (now_ms - e->at_ms)) / 1000.0;
}

double history_outage_age_s(const struct history *h, int64_t now_ms)
{
	if (h->last_state != BREAKER_OPEN && h->last_state != BREAKER_HALF_OPEN)
		return NAN;
	if (h->outage_start_ms == TIME_NONE)
		return NAN;
	return (double)(now_ms - h->outage_start_ms) / 1000.0;
}

bool history_outage_start_known(const struct history *h)
{
	return h->outage_start_ms != TIME_NONE && h->outage_start_exact;
}

static double field_value(const struct history *h, size_t i, enum history_field field)
{
	const struct history_entry *e = history_get(h, i);
	const struct metrics_latency *l = &e->snap.latency;

	switch (field) {
	case HF_P50:
		return l->p50;
	case HF_P90:
		return l->p90;
	case HF_P95:
		return l->p95;
	case HF_P99:
		return l->p99;
	case HF_P999:
		return l->p999;
	case HF_AVG:
		return l->avg;
	case HF_MAX:
		return l->max;
	case HF_RPS:
		return e->snap.throughput.per_second;
	case HF_ERROR_RATE:
		return error_rate_between(e, history_get(h, i + 1));
	}
	return NAN;
}

size_t history_series(const struct history *h, enum history_field field, double *out, size_t max)
{
	size_t n = h->len < max ? h->len : max;

	/* The newest n entries, written oldest first. */
	for (size_t k = 0; k < n; k++)
		out[k] = field_value(h, n - 1 - k, field);
	return n;
}
