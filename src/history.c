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
 *
 * Every history, the aggregate's and a row's, is a ring of the newest two
 * entries (full snapshots: deltas and the newest values) plus a compact
 * ring of samples (struct sample) holding the chart series and what
 * rewinding needs to rebuild its breaker history (state, stateSinceMs,
 * time): 40 bytes a snapshot where a full one is 528 (512 of them, the
 * screen's, held 270 KB).
 *
 * Rows: the aggregate's history owns a table of row histories ("slots"),
 * found by name through an index sorted by name, with a fast path for the
 * common case of rows arriving in the same order as last time.
 */
#include "history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define TIME_NONE INT64_MIN

/* Whole entries kept: the newest two, what deltas and the newest values need. */
#define HISTORY_ENTRIES 2

/* The fields the compact ring keeps, in struct sample's v[]. */
enum { SAMPLE_P50, SAMPLE_P95, SAMPLE_P99, SAMPLE_RPS, SAMPLE_ERR, SAMPLE_FIELDS };

/* One sample: 40 bytes. Floats are plenty for charts. */
struct sample {
	int64_t at_ms;
	int64_t since_ms;	/* stateSinceMs, or METRICS_NONE */
	float v[SAMPLE_FIELDS];
	uint8_t state;		/* enum breaker_state */
};

/*
 * The aggregate's counters at each sample: with the sample, what a step back
 * needs to rebuild the entry before the point (deltas, the error rate), so
 * a recording stepped back shows them at once, as when every snapshot was
 * kept whole. Rows go without: 1,000 rows would hold 20 MB of them.
 */
struct sample_counts {
	struct metrics_errors errors;
	struct metrics_requests requests;
	double failure_rate;	/* the breaker's: the error rate's fallback */
};

struct row_slot {
	char name[METRICS_NAME_LEN];
	struct history *h;
	uint64_t last_push;	/* the aggregate's push count when last present */
};

struct history {
	struct history_entry *ring;	/* HISTORY_ENTRIES of them */
	size_t len, head;

	/* The chart series. */
	struct sample *samples;
	struct sample_counts *counts;	/* beside samples[], the aggregate's only; else NULL */
	size_t samples_cap, samples_len, samples_head;

	/* The previous snapshot observed: where a new breaker state can start at the earliest. */
	enum breaker_state prev_state;
	int64_t prev_at_ms;

	struct breaker_transition trans[HISTORY_TRANSITIONS];
	size_t ntrans;

	enum breaker_state last_state;	/* newest known state, UNKNOWN before any */
	int64_t outage_start_ms;	/* when the breaker opened, TIME_NONE if closed or unknown */
	bool outage_start_exact;	/* false when it is only a lower bound of the outage */
	double last_recovery_s;		/* NAN until an open -> closed recovery is seen */
	int64_t half_open_at_ms;	/* when the open breaker half-opens, as the source said; TIME_NONE */
	bool reported;			/* the source reports transitions itself */

	/* Rows (the aggregate's history only). */
	bool is_row;			/* this is a row's history */
	struct row_slot *slots;
	size_t nslots, slots_cap;
	size_t *by_name;		/* slot numbers sorted by name */
	size_t *current;		/* slot of each row of the newest push, in its order */
	size_t ncurrent, current_cap;
	uint64_t pushes;
	size_t row_series;		/* samples per row history */
};

static void push_entry(struct history *h, const struct metrics_snapshot *s, int64_t at_ms);

/* Forget entries, samples and breaker history; rows are the caller's business. */
static void history_reset(struct history *h)
{
	h->len = 0;
	h->head = 0;
	h->samples_len = 0;
	h->samples_head = 0;
	h->ntrans = 0;
	h->prev_state = BREAKER_UNKNOWN;
	h->prev_at_ms = TIME_NONE;
	h->last_state = BREAKER_UNKNOWN;
	h->outage_start_ms = TIME_NONE;
	h->outage_start_exact = false;
	h->last_recovery_s = NAN;
	h->half_open_at_ms = TIME_NONE;
	h->reported = false;
}

/* Two entries and series of series_cap (>= 2) samples. */
static struct history *history_alloc(size_t series_cap)
{
	struct history *h = xcalloc(1, sizeof(*h));

	h->ring = xcalloc(HISTORY_ENTRIES, sizeof(*h->ring));
	h->samples = xcalloc(series_cap, sizeof(*h->samples));
	h->samples_cap = series_cap;
	history_reset(h);
	return h;
}

struct history *history_new(size_t capacity)
{
	struct history *h;

	if (capacity < 2)
		capacity = 2;
	h = history_alloc(capacity);
	h->counts = xcalloc(capacity, sizeof(*h->counts));
	h->row_series = capacity < HISTORY_ROW_SERIES ? capacity : HISTORY_ROW_SERIES;
	return h;
}

static struct history *history_new_row(size_t series_cap)
{
	struct history *h = history_alloc(series_cap);

	h->is_row = true;
	return h;
}

static void rows_free(struct history *h)
{
	for (size_t i = 0; i < h->nslots; i++)
		history_free(h->slots[i].h);
	free(h->slots);
	free(h->by_name);
	free(h->current);
	h->slots = NULL;
	h->by_name = h->current = NULL;
	h->nslots = h->slots_cap = h->ncurrent = h->current_cap = 0;
}

void history_free(struct history *h)
{
	if (h == NULL)
		return;
	rows_free(h);
	free(h->samples);
	free(h->counts);
	free(h->ring);
	free(h);
}

void history_clear(struct history *h)
{
	history_reset(h);
	rows_free(h);
}

static size_t sample_index(const struct history *h, size_t i)
{
	return (h->samples_head + h->samples_cap - 1 - i) % h->samples_cap;
}

static struct sample *sample_get(const struct history *h, size_t i)
{
	return &h->samples[sample_index(h, i)];
}

static void breaker_observe(struct history *h, enum breaker_state st, int64_t since_ms,
			    int64_t at_ms);
static void sample_add(struct history *h, const struct sample *smp, const struct sample_counts *c);

/* An entry rebuilt from a sample and its counters: what deltas and the error rate read. */
static void entry_from_sample(struct history_entry *e, const struct sample *smp,
			      const struct sample_counts *c)
{
	metrics_init(&e->snap);
	e->snap.latency.p50 = smp->v[SAMPLE_P50];
	e->snap.latency.p95 = smp->v[SAMPLE_P95];
	e->snap.latency.p99 = smp->v[SAMPLE_P99];
	e->snap.throughput.per_second = smp->v[SAMPLE_RPS];
	e->snap.breaker.state = (enum breaker_state)smp->state;
	e->snap.breaker.state_since_ms = smp->since_ms;
	e->snap.breaker.failure_rate = c->failure_rate;
	e->snap.errors = c->errors;
	e->snap.requests = c->requests;
	e->at_ms = smp->at_ms;
}

/*
 * The two entries are too few to rebuild from; the samples carry the
 * breaker state over the whole series instead. The newest two samples kept
 * become the entries again: whole where the entry was still held, else (the
 * aggregate) rebuilt from the sample's counters; a row keeps only those held.
 */
static size_t rewind_series(struct history *h, int64_t at_ms)
{
	struct sample *keep = xcalloc(h->samples_len + 1, sizeof(*keep));
	struct sample_counts *counts =
		h->counts != NULL ? xcalloc(h->samples_len + 1, sizeof(*counts)) : NULL;
	struct history_entry held[HISTORY_ENTRIES], entries[HISTORY_ENTRIES];
	size_t n = 0, nheld = 0, nentries = 0, dropped;

	for (size_t i = h->samples_len; i-- > 0;) {
		if (sample_get(h, i)->at_ms >= at_ms)
			continue;
		if (counts != NULL)
			counts[n] = h->counts[sample_index(h, i)];
		keep[n++] = *sample_get(h, i);
	}
	for (size_t i = h->len; i-- > 0;)
		if (history_get(h, i)->at_ms < at_ms)
			held[nheld++] = *history_get(h, i);
	for (size_t i = n > HISTORY_ENTRIES ? n - HISTORY_ENTRIES : 0; i < n; i++) {
		size_t j = 0;

		while (j < nheld && held[j].at_ms != keep[i].at_ms)
			j++;
		if (j < nheld)
			entries[nentries++] = held[j];
		else if (counts != NULL)
			entry_from_sample(&entries[nentries++], &keep[i], &counts[i]);
	}
	dropped = h->samples_len - n;
	history_reset(h);
	for (size_t i = 0; i < n; i++) {
		breaker_observe(h, (enum breaker_state)keep[i].state, keep[i].since_ms, keep[i].at_ms);
		sample_add(h, &keep[i], counts != NULL ? &counts[i] : NULL);
	}
	for (size_t i = 0; i < nentries; i++)
		push_entry(h, &entries[i].snap, entries[i].at_ms);
	free(counts);
	free(keep);
	return dropped;
}

size_t history_rewind(struct history *h, int64_t at_ms)
{
	size_t dropped = rewind_series(h, at_ms);

	if (h->is_row)
		return dropped;
	/* Rows go back with the aggregate; which rows are current the next push says. */
	for (size_t i = 0; i < h->nslots; i++)
		rewind_series(h->slots[i].h, at_ms);
	h->ncurrent = 0;
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
	return &h->ring[(h->head + HISTORY_ENTRIES - 1 - i) % HISTORY_ENTRIES];
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
static int64_t state_start_ms(const struct history *h, int64_t since_ms, int64_t at_ms)
{
	int64_t start = at_ms;

	if (since_ms >= 0)
		start = at_ms - since_ms;
	if (h->prev_at_ms != TIME_NONE && h->prev_state == h->last_state && start < h->prev_at_ms)
		start = h->prev_at_ms;
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
	if (to != BREAKER_OPEN)
		h->half_open_at_ms = TIME_NONE;
	if (from != BREAKER_UNKNOWN) {
		transition_add(h, at_ms, from, to);
		outage_transition(h, to, at_ms);
	} else {
		outage_first_seen(h, to, at_ms, true);
	}
	h->last_state = to;
}

/* Note the breaker state of a snapshot (state, stateSinceMs) that arrived at at_ms. */
static void breaker_observe(struct history *h, enum breaker_state st, int64_t since_ms,
			    int64_t at_ms)
{
	int64_t start;

	if (st != BREAKER_UNKNOWN && st != h->last_state) {
		start = state_start_ms(h, since_ms, at_ms);
		if (h->last_state == BREAKER_UNKNOWN) {
			outage_first_seen(h, st, start, since_ms >= 0);
		} else {
			transition_add(h, start, h->last_state, st);
			outage_transition(h, st, start);
		}
		if (st != BREAKER_OPEN)
			h->half_open_at_ms = TIME_NONE;
		h->last_state = st;
	}
	h->prev_state = st;
	h->prev_at_ms = at_ms;
}

/* Store s (its aggregate: never its rows, which are not ours to keep) as the newest entry. */
static void push_entry(struct history *h, const struct metrics_snapshot *s, int64_t at_ms)
{
	struct history_entry *e = &h->ring[h->head];

	e->snap = *s;
	e->snap.rows = NULL;
	e->snap.nrows = e->snap.rows_cap = 0;
	e->at_ms = at_ms;
	h->head = (h->head + 1) % HISTORY_ENTRIES;
	if (h->len < HISTORY_ENTRIES)
		h->len++;
}

static void sample_add(struct history *h, const struct sample *smp, const struct sample_counts *c)
{
	if (h->counts != NULL && c != NULL)
		h->counts[h->samples_head] = *c;
	h->samples[h->samples_head] = *smp;
	h->samples_head = (h->samples_head + 1) % h->samples_cap;
	if (h->samples_len < h->samples_cap)
		h->samples_len++;
}

static double error_rate_between(const struct history_entry *newer,
				 const struct history_entry *older);

/* The sample of s, the entry just stored. */
static void sample_push(struct history *h, const struct metrics_snapshot *s, int64_t at_ms)
{
	struct sample smp = {
		.at_ms = at_ms, .since_ms = s->breaker.state_since_ms, .state = (uint8_t)s->breaker.state,
	};

	smp.v[SAMPLE_P50] = (float)s->latency.p50;
	smp.v[SAMPLE_P95] = (float)s->latency.p95;
	smp.v[SAMPLE_P99] = (float)s->latency.p99;
	smp.v[SAMPLE_RPS] = (float)s->throughput.per_second;
	smp.v[SAMPLE_ERR] = (float)error_rate_between(history_get(h, 0), history_get(h, 1));
	sample_add(h, &smp, &(struct sample_counts){
		.errors = s->errors, .requests = s->requests, .failure_rate = s->breaker.failure_rate });
}

static void rows_push(struct history *h, const struct metrics_snapshot *s, int64_t at_ms);

void history_push(struct history *h, const struct metrics_snapshot *s, int64_t at_ms)
{
	/* Transitions look at the previous entry, so observe before storing. */
	breaker_observe(h, s->breaker.state, s->breaker.state_since_ms, at_ms);
	push_entry(h, s, at_ms);
	sample_push(h, s, at_ms);
	if (!h->is_row)
		rows_push(h, s, at_ms);
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

double history_half_open_in_s(const struct history *h, int64_t now_ms)
{
	if (h->last_state != BREAKER_OPEN || h->half_open_at_ms == TIME_NONE)
		return NAN;
	return now_ms >= h->half_open_at_ms ? 0.0 : (double)(h->half_open_at_ms - now_ms) / 1000.0;
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
	case HF_AT:
		return (double)e->at_ms;
	}
	return NAN;
}

/* Where field is kept among the samples, or -1. */
static int sample_field(enum history_field field)
{
	switch (field) {
	case HF_P50:
		return SAMPLE_P50;
	case HF_P95:
		return SAMPLE_P95;
	case HF_P99:
		return SAMPLE_P99;
	case HF_RPS:
		return SAMPLE_RPS;
	case HF_ERROR_RATE:
		return SAMPLE_ERR;
	case HF_P90:
	case HF_P999:
	case HF_AVG:
	case HF_MAX:
	case HF_AT:
		break;
	}
	return -1;
}

size_t history_series(const struct history *h, enum history_field field, double *out, size_t max)
{
	int k = sample_field(field);
	size_t n;

	if (k >= 0 || field == HF_AT) {
		n = h->samples_len < max ? h->samples_len : max;
		for (size_t j = 0; j < n; j++) {
			const struct sample *smp = sample_get(h, n - 1 - j);

			out[j] = k >= 0 ? smp->v[k] : (double)smp->at_ms;
		}
		return n;
	}
	n = h->len < max ? h->len : max;
	/* The newest n entries, written oldest first. */
	for (size_t j = 0; j < n; j++)
		out[j] = field_value(h, n - 1 - j, field);
	return n;
}

/*
 * The row table. Slots are found by binary search in by_name; a push whose
 * rows come in the order of the last one never searches.
 */
static int slot_cmp_name(const struct history *h, size_t slot, const char *name)
{
	return strcmp(h->slots[slot].name, name);
}

/* Position in by_name where name is or would go. */
static size_t slot_search(const struct history *h, const char *name, bool *found)
{
	size_t lo = 0, hi = h->nslots;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = slot_cmp_name(h, h->by_name[mid], name);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* Drop the row that left the snapshots longest ago, to make room for a new one. */
static void slot_evict(struct history *h)
{
	size_t victim = SIZE_MAX, pos;
	bool found;

	for (size_t i = 0; i < h->nslots; i++)
		if (h->slots[i].last_push < h->pushes &&
		    (victim == SIZE_MAX || h->slots[i].last_push < h->slots[victim].last_push))
			victim = i;
	if (victim == SIZE_MAX)
		fatal("history: more than %d rows at once", HISTORY_ROWS_KEPT);
	pos = slot_search(h, h->slots[victim].name, &found);
	memmove(&h->by_name[pos], &h->by_name[pos + 1], (h->nslots - pos - 1) * sizeof(size_t));
	history_free(h->slots[victim].h);
	/* The last slot moves into the hole; its references follow it. */
	h->nslots--;
	if (victim == h->nslots)
		return;
	h->slots[victim] = h->slots[h->nslots];
	for (size_t i = 0; i < h->nslots; i++)
		if (h->by_name[i] == h->nslots)
			h->by_name[i] = victim;
	for (size_t i = 0; i < h->current_cap; i++)
		if (h->current[i] == h->nslots)
			h->current[i] = victim;
}

static size_t slot_find_or_add(struct history *h, const char *name)
{
	bool found;
	size_t pos = slot_search(h, name, &found), slot;

	if (found)
		return h->by_name[pos];
	if (h->nslots == HISTORY_ROWS_KEPT) {
		slot_evict(h);
		pos = slot_search(h, name, &found);
	}
	if (h->nslots == h->slots_cap) {
		h->slots_cap = h->slots_cap ? h->slots_cap * 2 : 16;
		h->slots = xrealloc(h->slots, h->slots_cap * sizeof(*h->slots));
		h->by_name = xrealloc(h->by_name, h->slots_cap * sizeof(*h->by_name));
	}
	slot = h->nslots++;
	str_printf(h->slots[slot].name, sizeof(h->slots[slot].name), "%s", name);
	h->slots[slot].h = history_new_row(h->row_series);
	h->slots[slot].last_push = 0;
	memmove(&h->by_name[pos + 1], &h->by_name[pos], (slot - pos) * sizeof(size_t));
	h->by_name[pos] = slot;
	return slot;
}

static void rows_push(struct history *h, const struct metrics_snapshot *s, int64_t at_ms)
{
	h->pushes++;
	if (s->nrows > h->current_cap) {
		h->current = xrealloc(h->current, s->nrows * sizeof(*h->current));
		memset(&h->current[h->current_cap], 0, (s->nrows - h->current_cap) * sizeof(size_t));
		h->current_cap = s->nrows;
	}
	for (size_t i = 0; i < s->nrows; i++) {
		const char *name = s->rows[i].name;
		size_t slot;

		/* Row i of the last push, if it is still there (an eviction may have moved it). */
		if (i < h->ncurrent && h->current[i] < h->nslots &&
		    strcmp(h->slots[h->current[i]].name, name) == 0)
			slot = h->current[i];
		else
			slot = slot_find_or_add(h, name);
		h->current[i] = slot;
		h->slots[slot].last_push = h->pushes;
		history_push(h->slots[slot].h, &s->rows[i].snap, at_ms);
	}
	h->ncurrent = s->nrows;
}

size_t history_rows(const struct history *h)
{
	return h->ncurrent;
}

const char *history_row_name(const struct history *h, size_t i)
{
	return i < h->ncurrent ? h->slots[h->current[i]].name : NULL;
}

const struct history *history_row(const struct history *h, size_t i)
{
	return i < h->ncurrent ? h->slots[h->current[i]].h : NULL;
}

ptrdiff_t history_row_index(const struct history *h, const char *name)
{
	for (size_t i = 0; i < h->ncurrent; i++)
		if (strcmp(h->slots[h->current[i]].name, name) == 0)
			return (ptrdiff_t)i;
	return -1;
}

void history_note_row_transition(struct history *h, const char *row, int64_t at_ms,
				 enum breaker_state from, enum breaker_state to)
{
	char name[METRICS_NAME_LEN];
	size_t slot;

	if (h->is_row)
		return;
	metrics_copy_text(name, sizeof(name), row);
	if (name[0] == '\0')
		return;
	slot = slot_find_or_add(h, name);
	history_note_transition(h->slots[slot].h, at_ms, from, to);
}

void history_note_half_open_at(struct history *h, const char *row, int64_t at_ms)
{
	char name[METRICS_NAME_LEN];

	if (row != NULL) {
		if (h->is_row)
			return;
		metrics_copy_text(name, sizeof(name), row);
		if (name[0] == '\0')
			return;
		h = h->slots[slot_find_or_add(h, name)].h;
	}
	if (h->last_state == BREAKER_OPEN)
		h->half_open_at_ms = at_ms;
}
