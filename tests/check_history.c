/* Check suite for the snapshot history: ring, deltas, error rate, breaker transitions, series. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_run.h"
#include "history.h"
#include "metrics.h"

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static struct metrics_snapshot snap_with_p95(double p95)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	s.latency.p95 = p95;
	return s;
}

static struct metrics_snapshot snap_breaker(enum breaker_state st, int64_t since_ms)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	s.breaker.state = st;
	s.breaker.state_since_ms = since_ms;
	return s;
}

static void push_breaker(struct history *h, enum breaker_state st, int64_t since_ms, int64_t at_ms)
{
	struct metrics_snapshot s = snap_breaker(st, since_ms);

	history_push(h, &s, at_ms);
}

/* The newest two snapshots whole, newest first; the series as long as the capacity. */
START_TEST(test_ring_order_and_capacity)
{
	struct history *h = history_new(3);
	double p95[8];

	ck_assert_uint_eq(history_len(h), 0);
	ck_assert_ptr_null(history_get(h, 0));
	for (int i = 1; i <= 5; i++) {
		struct metrics_snapshot s = snap_with_p95(i);

		history_push(h, &s, i * 1000);
	}
	ck_assert_uint_eq(history_len(h), 2);
	ck_assert_double_eq(history_get(h, 0)->snap.latency.p95, 5);
	ck_assert_int_eq(history_get(h, 0)->at_ms, 5000);
	ck_assert_double_eq(history_get(h, 1)->snap.latency.p95, 4);
	ck_assert_ptr_null(history_get(h, 2));
	ck_assert_uint_eq(history_series(h, HF_P95, p95, 8), 3);
	ck_assert_double_eq(p95[0], 3);
	ck_assert_double_eq(p95[2], 5);
	history_free(h);
}
END_TEST

START_TEST(test_capacity_below_two_is_raised)
{
	struct history *h = history_new(0);

	for (int i = 0; i < 4; i++) {
		struct metrics_snapshot s = snap_with_p95(i);

		history_push(h, &s, i);
	}
	ck_assert_uint_eq(history_len(h), 2);
	ck_assert_double_eq(history_get(h, 1)->snap.latency.p95, 2);
	history_free(h);
}
END_TEST

START_TEST(test_clear_forgets_everything)
{
	struct history *h = history_new(4);
	struct breaker_transition tr[4];

	push_breaker(h, BREAKER_CLOSED, METRICS_NONE, 0);
	push_breaker(h, BREAKER_OPEN, METRICS_NONE, 1000);
	push_breaker(h, BREAKER_CLOSED, METRICS_NONE, 3000);
	ck_assert(!isnan(history_last_recovery_s(h)));
	history_clear(h);
	ck_assert_uint_eq(history_len(h), 0);
	ck_assert_ptr_null(history_get(h, 0));
	ck_assert_uint_eq(history_transitions(h, tr, 4), 0);
	ck_assert(isnan(history_last_recovery_s(h)));
	ck_assert(isnan(history_state_age_s(h, 5000)));
	/* The state before the clear is forgotten too: the next one is a first sighting. */
	push_breaker(h, BREAKER_OPEN, METRICS_NONE, 6000);
	ck_assert_uint_eq(history_transitions(h, tr, 4), 0);
	history_free(h);
}
END_TEST

/* One delta case: the failures counter (and requests) before and after. */
static const struct {
	const char *name;
	int64_t old_fail, new_fail;
	int64_t old_total, new_total;
	int64_t want_fail, want_total;
	bool want_reset;
} delta_cases[] = {
	{ "growth", 3, 7, 100, 150, 4, 50, false },
	{ "no change", 3, 3, 100, 100, 0, 0, false },
	{ "counter went down", 9, 2, 100, 150, 2, 50, true },
	{ "requests went down", 3, 4, 500, 20, 1, 20, true },
	{ "older unknown", METRICS_NONE, 7, METRICS_NONE, 150, 0, METRICS_NONE, false },
	{ "newer unknown", 3, METRICS_NONE, 100, METRICS_NONE, 0, METRICS_NONE, false },
};

START_TEST(test_deltas_table)
{
	struct history *h = history_new(4);
	struct metrics_snapshot a, b;
	struct counter_deltas d;

	metrics_init(&a);
	metrics_init(&b);
	a.errors.failures = delta_cases[_i].old_fail;
	b.errors.failures = delta_cases[_i].new_fail;
	a.requests.total = delta_cases[_i].old_total;
	b.requests.total = delta_cases[_i].new_total;
	history_push(h, &a, 1000);
	history_push(h, &b, 3500);
	history_deltas(h, &d);
	ck_assert_msg(d.failures == delta_cases[_i].want_fail, "%s: failures %lld",
		      delta_cases[_i].name, (long long)d.failures);
	ck_assert_msg(d.requests_total == delta_cases[_i].want_total, "%s: total %lld",
		      delta_cases[_i].name, (long long)d.requests_total);
	ck_assert_msg(d.reset == delta_cases[_i].want_reset, "%s: reset", delta_cases[_i].name);
	ck_assert_int_eq(d.span_ms, 2500);
	/* Counters that neither snapshot knows stay at zero, requests.failed at NONE. */
	ck_assert_int_eq(d.breaker_trips, 0);
	ck_assert_int_eq(d.requests_failed, METRICS_NONE);
	history_free(h);
}
END_TEST

START_TEST(test_deltas_all_counters)
{
	struct history *h = history_new(4);
	struct metrics_snapshot a, b;
	struct counter_deltas d;

	metrics_init(&a);
	a.errors = (struct metrics_errors){ 1, 2, 3, 4, 5 };
	a.requests = (struct metrics_requests){ 10, 8, 2, 0 };
	b = a;
	b.errors = (struct metrics_errors){ 2, 4, 6, 8, 10 };
	b.requests = (struct metrics_requests){ 30, 25, 5, 0 };
	history_push(h, &a, 0);
	history_push(h, &b, 1000);
	history_deltas(h, &d);
	ck_assert_int_eq(d.breaker_trips, 1);
	ck_assert_int_eq(d.rate_limited, 2);
	ck_assert_int_eq(d.timeouts, 3);
	ck_assert_int_eq(d.failures, 4);
	ck_assert_int_eq(d.validation, 5);
	ck_assert_int_eq(d.requests_total, 20);
	ck_assert_int_eq(d.requests_failed, 3);
	ck_assert(!d.reset);
	history_free(h);
}
END_TEST

START_TEST(test_deltas_fewer_than_two)
{
	struct history *h = history_new(4);
	struct metrics_snapshot a;
	struct counter_deltas d;

	history_deltas(h, &d);
	ck_assert_int_eq(d.span_ms, 0);
	metrics_init(&a);
	a.errors.failures = 5;
	history_push(h, &a, 1000);
	history_deltas(h, &d);
	ck_assert_int_eq(d.failures, 0);
	ck_assert_int_eq(d.span_ms, 0);
	ck_assert(!d.reset);
	ck_assert_int_eq(d.requests_total, METRICS_NONE);
	ck_assert_int_eq(d.requests_failed, METRICS_NONE);
	history_free(h);
}
END_TEST

/* Error rate cases: requests of two snapshots and the newest breaker failure rate. */
static const struct {
	const char *name;
	int64_t old_total, old_failed, new_total, new_failed;
	int64_t old_succeeded, new_succeeded;	/* METRICS_NONE: not reported */
	double failure_rate;
	double want;		/* NAN: expect NAN */
} rate_cases[] = {
	{ "from requests", 100, 1, 300, 5, METRICS_NONE, METRICS_NONE, 0.5, 0.02 },
	{ "no requests arrived", 100, 1, 100, 1, METRICS_NONE, METRICS_NONE, 0.5, 0.5 },
	{ "only newest has requests", METRICS_NONE, METRICS_NONE, 300, 5, METRICS_NONE, METRICS_NONE, 0.25, 0.25 },
	{ "failed unknown", 100, METRICS_NONE, 300, METRICS_NONE, METRICS_NONE, METRICS_NONE, 0.25, 0.25 },
	{ "restart counts from zero", 1000, 50, 200, 10, METRICS_NONE, METRICS_NONE, 0.5, 0.05 },
	/* Pending requests from before failing now: 20 failed, 0 succeeded, 10 arrived. */
	{ "share of finished requests", 100, 1, 110, 21, 90, 90, 0.5, 1.0 },
	{ "finished mix", 100, 1, 200, 11, 90, 170, 0.5, 10.0 / 90.0 },
	{ "never above 100 % without succeeded", 100, 1, 110, 21, METRICS_NONE, METRICS_NONE, 0.5, 1.0 },
	{ "nothing known", METRICS_NONE, METRICS_NONE, METRICS_NONE, METRICS_NONE, METRICS_NONE, METRICS_NONE, NAN, NAN },
};

START_TEST(test_error_rate_table)
{
	struct history *h = history_new(4);
	struct metrics_snapshot a, b;
	double r;

	metrics_init(&a);
	metrics_init(&b);
	a.requests.total = rate_cases[_i].old_total;
	a.requests.failed = rate_cases[_i].old_failed;
	b.requests.total = rate_cases[_i].new_total;
	b.requests.failed = rate_cases[_i].new_failed;
	a.requests.succeeded = rate_cases[_i].old_succeeded;
	b.requests.succeeded = rate_cases[_i].new_succeeded;
	a.breaker.failure_rate = 0.9;	/* never used: only the newest counts */
	b.breaker.failure_rate = rate_cases[_i].failure_rate;
	history_push(h, &a, 0);
	history_push(h, &b, 1000);
	r = history_error_rate(h);
	if (isnan(rate_cases[_i].want))
		ck_assert_msg(isnan(r), "%s: got %g", rate_cases[_i].name, r);
	else
		ck_assert_msg(fabs(r - rate_cases[_i].want) < 1e-12, "%s: got %g",
			      rate_cases[_i].name, r);
	history_free(h);
}
END_TEST

START_TEST(test_error_rate_short_history)
{
	struct history *h = history_new(4);
	struct metrics_snapshot a;

	ck_assert(isnan(history_error_rate(h)));
	metrics_init(&a);
	a.requests.total = 100;
	a.requests.failed = 50;
	a.breaker.failure_rate = 0.125;
	history_push(h, &a, 0);
	ck_assert_double_eq(history_error_rate(h), 0.125);
	history_free(h);
}
END_TEST

START_TEST(test_transition_times)
{
	struct history *h = history_new(8);
	struct breaker_transition tr[8];

	push_breaker(h, BREAKER_CLOSED, 50000, 10000);
	push_breaker(h, BREAKER_CLOSED, 55000, 15000);		/* same state: nothing */
	push_breaker(h, BREAKER_OPEN, 2000, 20000);		/* stateSinceMs: at 18000 */
	push_breaker(h, BREAKER_UNKNOWN, METRICS_NONE, 25000);	/* unknown: skipped */
	push_breaker(h, BREAKER_HALF_OPEN, METRICS_NONE, 30000);	/* no since: at arrival */
	push_breaker(h, BREAKER_CLOSED, 60000, 40000);		/* before 30000: clamped */
	ck_assert_uint_eq(history_transitions(h, tr, 8), 3);
	ck_assert_int_eq(tr[0].at_ms, 18000);
	ck_assert_int_eq(tr[0].from, BREAKER_CLOSED);
	ck_assert_int_eq(tr[0].to, BREAKER_OPEN);
	ck_assert_int_eq(tr[1].at_ms, 30000);
	ck_assert_int_eq(tr[1].from, BREAKER_OPEN);
	ck_assert_int_eq(tr[1].to, BREAKER_HALF_OPEN);
	ck_assert_int_eq(tr[2].at_ms, 30000);
	ck_assert_int_eq(tr[2].to, BREAKER_CLOSED);
	history_free(h);
}
END_TEST

/*
 * A step back past both whole entries rebuilds the one before the point
 * from its sample: the next push has its deltas and error rate at once.
 */
START_TEST(test_rewind_keeps_deltas)
{
	struct history *h = history_new(8);
	struct counter_deltas d;

	for (int i = 1; i <= 5; i++) {
		struct metrics_snapshot s;

		metrics_init(&s);
		s.errors.timeouts = 10 * i;
		s.requests.total = 100 * i;
		s.requests.succeeded = 90 * i;
		s.requests.failed = 10 * i;
		history_push(h, &s, i * 1000);
	}
	ck_assert_uint_eq(history_rewind(h, 4000), 2);
	ck_assert_uint_eq(history_len(h), 2);
	ck_assert_int_eq(history_get(h, 0)->at_ms, 3000);
	ck_assert_int_eq(history_get(h, 1)->at_ms, 2000);
	history_deltas(h, &d);
	ck_assert_int_eq(d.timeouts, 10);
	ck_assert_int_eq(d.requests_total, 100);
	ck_assert_int_eq(d.span_ms, 1000);
	ck_assert_double_eq_tol(history_error_rate(h), 0.1, 1e-12);
	history_free(h);
}
END_TEST

/* Rewinding past a recovery forgets it, and the breaker is open again. */
START_TEST(test_rewind_rebuilds_breaker_state)
{
	struct history *h = history_new(8);
	struct breaker_transition tr[4];
	struct metrics_snapshot s;
	static const enum breaker_state seq[] = { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_CLOSED };

	for (int i = 0; i < 3; i++) {
		metrics_init(&s);
		s.breaker.state = seq[i];
		history_push(h, &s, 1000 * (i + 1));
	}
	ck_assert_double_eq_tol(history_last_recovery_s(h), 1.0, 1e-9);
	history_rewind(h, 3000);
	ck_assert_int_eq(history_len(h), 2);
	ck_assert(isnan(history_last_recovery_s(h)));
	ck_assert_uint_eq(history_transitions(h, tr, 4), 1);
	ck_assert_int_eq(tr[0].to, BREAKER_OPEN);
	ck_assert_double_eq_tol(history_outage_age_s(h, 5000), 3.0, 1e-9);
	history_rewind(h, 0);
	ck_assert_int_eq(history_len(h), 0);
	history_free(h);
}
END_TEST

/* Reported transitions are exact: a half-open trial inside one interval shows, and no duplicates. */
START_TEST(test_reported_transitions)
{
	struct history *h = history_new(8);
	struct breaker_transition tr[8];
	struct metrics_snapshot s;

	metrics_init(&s);
	s.breaker.state = BREAKER_CLOSED;
	history_push(h, &s, 1000);
	history_note_transition(h, 1500, BREAKER_CLOSED, BREAKER_OPEN);
	s.breaker.state = BREAKER_OPEN;
	history_push(h, &s, 2000);
	history_note_transition(h, 6500, BREAKER_OPEN, BREAKER_HALF_OPEN);
	history_note_transition(h, 6800, BREAKER_HALF_OPEN, BREAKER_CLOSED);
	s.breaker.state = BREAKER_CLOSED;
	history_push(h, &s, 7000);
	ck_assert_uint_eq(history_transitions(h, tr, 8), 3);
	ck_assert_int_eq(tr[1].to, BREAKER_HALF_OPEN);
	ck_assert_int_eq(tr[1].at_ms, 6500);
	ck_assert_int_eq(tr[2].at_ms, 6800);
	ck_assert_double_eq_tol(history_last_recovery_s(h), 5.3, 1e-9);
	history_free(h);
}
END_TEST

/* The recovery clock: the time to half-open the source gave, counted down; gone when the breaker leaves open. */
START_TEST(test_half_open_countdown)
{
	struct history *h = history_new(8);
	struct metrics_snapshot s;

	metrics_init(&s);
	s.breaker.state = BREAKER_CLOSED;
	history_push(h, &s, 1000);
	/* Not open: nothing to count down, and a time given now is not kept. */
	history_note_half_open_at(h, NULL, 9000);
	ck_assert(isnan(history_half_open_in_s(h, 1000)));
	history_note_transition(h, 1500, BREAKER_CLOSED, BREAKER_OPEN);
	ck_assert(isnan(history_half_open_in_s(h, 1500)));	/* open, but no time given */
	history_note_half_open_at(h, NULL, 9500);
	ck_assert_double_eq_tol(history_half_open_in_s(h, 1500), 8.0, 1e-9);
	s.breaker.state = BREAKER_OPEN;
	history_push(h, &s, 2000);	/* a snapshot that agrees keeps it */
	ck_assert_double_eq_tol(history_half_open_in_s(h, 6500), 3.0, 1e-9);
	ck_assert_double_eq(history_half_open_in_s(h, 9900), 0.0);	/* due */
	history_note_transition(h, 9500, BREAKER_OPEN, BREAKER_HALF_OPEN);
	ck_assert(isnan(history_half_open_in_s(h, 9500)));
	/* A failed trial reopens it: a new time; a snapshot that saw it half-open ends it too. */
	history_note_transition(h, 9700, BREAKER_HALF_OPEN, BREAKER_OPEN);
	history_note_half_open_at(h, NULL, 17700);
	ck_assert_double_eq_tol(history_half_open_in_s(h, 9700), 8.0, 1e-9);
	s.breaker.state = BREAKER_HALF_OPEN;
	history_push(h, &s, 18000);
	ck_assert(isnan(history_half_open_in_s(h, 18000)));
	history_free(h);
}
END_TEST

/* A row's clock is its own; a row named before its first snapshot gets a history. */
START_TEST(test_half_open_countdown_row)
{
	struct history *h = history_new(8);

	history_note_row_transition(h, "search", 1000, BREAKER_CLOSED, BREAKER_OPEN);
	history_note_half_open_at(h, "search", 6000);
	history_note_half_open_at(h, "chat", 6000);	/* chat is not open */
	history_note_transition(h, 1000, BREAKER_CLOSED, BREAKER_OPEN);
	ck_assert(isnan(history_half_open_in_s(h, 2000)));	/* the router's was not given */
	{
		struct metrics_snapshot s;
		struct metrics_row *r;

		metrics_init(&s);
		s.breaker.state = BREAKER_OPEN;
		r = metrics_row_add(&s, "search");
		r->snap.breaker.state = BREAKER_OPEN;
		r = metrics_row_add(&s, "chat");
		r->snap.breaker.state = BREAKER_CLOSED;
		history_push(h, &s, 2000);
		metrics_free(&s);
	}
	ck_assert_double_eq_tol(history_half_open_in_s(history_row(h, 0), 2000), 4.0, 1e-9);
	ck_assert(isnan(history_half_open_in_s(history_row(h, 1), 2000)));
	history_free(h);
}
END_TEST

START_TEST(test_transitions_keep_the_last)
{
	struct history *h = history_new(2);
	struct breaker_transition tr[HISTORY_TRANSITIONS + 4];
	size_t n;

	/* 1 first sighting + HISTORY_TRANSITIONS + 3 changes. */
	for (int i = 0; i < HISTORY_TRANSITIONS + 4; i++)
		push_breaker(h, i % 2 ? BREAKER_OPEN : BREAKER_CLOSED, METRICS_NONE, i * 1000);
	n = history_transitions(h, tr, HISTORY_TRANSITIONS + 4);
	ck_assert_uint_eq(n, HISTORY_TRANSITIONS);
	ck_assert_int_eq(tr[0].at_ms, 4000);
	ck_assert_int_eq(tr[n - 1].at_ms, (HISTORY_TRANSITIONS + 3) * 1000);
	/* A smaller buffer gets the newest ones, still oldest first. */
	n = history_transitions(h, tr, 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(tr[0].at_ms, (HISTORY_TRANSITIONS + 2) * 1000);
	ck_assert_int_eq(tr[1].at_ms, (HISTORY_TRANSITIONS + 3) * 1000);
	history_free(h);
}
END_TEST

/* Recovery cases: a sequence of breaker states (UNKNOWN ends it), one per second. */
static const struct {
	const char *name;
	enum breaker_state seq[8];
	int64_t first_since;	/* stateSinceMs of the first snapshot */
	double want;		/* NAN: none */
} recovery_cases[] = {
	{ "open, half-open, closed", { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_OPEN,
	  BREAKER_HALF_OPEN, BREAKER_CLOSED }, METRICS_NONE, 3.0 },
	{ "open straight to closed", { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_CLOSED },
	  METRICS_NONE, 1.0 },
	{ "failed trial does not restart", { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN,
	  BREAKER_OPEN, BREAKER_HALF_OPEN, BREAKER_CLOSED }, METRICS_NONE, 4.0 },
	{ "latest of two outages", { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_OPEN, BREAKER_OPEN,
	  BREAKER_CLOSED, BREAKER_OPEN, BREAKER_CLOSED }, METRICS_NONE, 1.0 },
	{ "still open", { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN }, METRICS_NONE, NAN },
	{ "never tripped", { BREAKER_CLOSED, BREAKER_CLOSED }, METRICS_NONE, NAN },
	{ "first seen open, start known", { BREAKER_OPEN, BREAKER_CLOSED }, 7000, 8.0 },
	{ "first seen open, start unknown", { BREAKER_OPEN, BREAKER_CLOSED }, METRICS_NONE, NAN },
	{ "first seen half-open", { BREAKER_HALF_OPEN, BREAKER_CLOSED }, 500, NAN },
};

START_TEST(test_recovery_table)
{
	struct history *h = history_new(3);
	double r;

	for (int k = 0; k < 8 && recovery_cases[_i].seq[k] != BREAKER_UNKNOWN; k++)
		push_breaker(h, recovery_cases[_i].seq[k],
			     k == 0 ? recovery_cases[_i].first_since : METRICS_NONE, k * 1000);
	r = history_last_recovery_s(h);
	if (isnan(recovery_cases[_i].want))
		ck_assert_msg(isnan(r), "%s: got %g", recovery_cases[_i].name, r);
	else
		ck_assert_msg(fabs(r - recovery_cases[_i].want) < 1e-9, "%s: got %g",
			      recovery_cases[_i].name, r);
	history_free(h);
}
END_TEST

START_TEST(test_recovery_survives_ring_and_later_trip)
{
	struct history *h = history_new(2);

	push_breaker(h, BREAKER_CLOSED, METRICS_NONE, 0);
	push_breaker(h, BREAKER_OPEN, METRICS_NONE, 10000);
	push_breaker(h, BREAKER_CLOSED, METRICS_NONE, 52000);
	for (int i = 0; i < 5; i++)
		push_breaker(h, BREAKER_CLOSED, METRICS_NONE, 60000 + i * 1000);
	push_breaker(h, BREAKER_OPEN, METRICS_NONE, 70000);
	ck_assert_double_eq_tol(history_last_recovery_s(h), 42.0, 1e-9);
	history_free(h);
}
END_TEST

START_TEST(test_state_age)
{
	struct history *h = history_new(4);

	ck_assert(isnan(history_state_age_s(h, 1000)));
	push_breaker(h, BREAKER_UNKNOWN, METRICS_NONE, 1000);
	ck_assert(isnan(history_state_age_s(h, 2000)));
	push_breaker(h, BREAKER_CLOSED, METRICS_NONE, 2000);
	ck_assert(isnan(history_state_age_s(h, 3000)));
	/* Not observed: stateSinceMs plus the time since that snapshot. */
	push_breaker(h, BREAKER_CLOSED, 30000, 4000);
	ck_assert_double_eq_tol(history_state_age_s(h, 6500), 32.5, 1e-9);
	/* Observed: the transition's time wins. */
	push_breaker(h, BREAKER_OPEN, METRICS_NONE, 8000);
	push_breaker(h, BREAKER_OPEN, 99000, 9000);
	ck_assert_double_eq_tol(history_state_age_s(h, 11000), 3.0, 1e-9);
	history_free(h);
}
END_TEST

START_TEST(test_outage_age)
{
	struct history *h = history_new(4);

	ck_assert(isnan(history_outage_age_s(h, 0)));
	push_breaker(h, BREAKER_CLOSED, METRICS_NONE, 0);
	ck_assert(isnan(history_outage_age_s(h, 1000)));
	push_breaker(h, BREAKER_OPEN, 500, 10000);
	ck_assert_double_eq_tol(history_outage_age_s(h, 12000), 2.5, 1e-9);
	/* Half-open still counts from when it opened. */
	push_breaker(h, BREAKER_HALF_OPEN, METRICS_NONE, 40000);
	ck_assert_double_eq_tol(history_outage_age_s(h, 70000), 60.5, 1e-9);
	push_breaker(h, BREAKER_CLOSED, METRICS_NONE, 80000);
	ck_assert(isnan(history_outage_age_s(h, 90000)));
	history_clear(h);
	/* First seen open without a start: a lower bound from the first sighting. */
	push_breaker(h, BREAKER_OPEN, METRICS_NONE, 100000);
	ck_assert_double_eq_tol(history_outage_age_s(h, 103000), 3.0, 1e-9);
	history_free(h);
}
END_TEST

START_TEST(test_series_latency)
{
	struct history *h = history_new(4);
	double out[8];
	size_t n;

	for (int i = 1; i <= 5; i++) {
		struct metrics_snapshot s = snap_with_p95(i == 4 ? NAN : i * 10.0);

		s.throughput.per_second = i;
		history_push(h, &s, i * 1000);
	}
	n = history_series(h, HF_P95, out, 8);
	ck_assert_uint_eq(n, 4);
	ck_assert_double_eq(out[0], 20.0);
	ck_assert_double_eq(out[1], 30.0);
	ck_assert(isnan(out[2]));
	ck_assert_double_eq(out[3], 50.0);
	/* A short buffer gets the newest values, oldest first. */
	n = history_series(h, HF_RPS, out, 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_double_eq(out[0], 4.0);
	ck_assert_double_eq(out[1], 5.0);
	/* A field the series do not keep: the newest two entries' values. */
	n = history_series(h, HF_MAX, out, 8);
	ck_assert_uint_eq(n, 2);
	ck_assert(isnan(out[0]));
	history_free(h);
}
END_TEST

/* HF_AT: when each value was taken, for a chart's time span; a row's series has them too. */
START_TEST(test_series_times)
{
	struct history *h = history_new(4);
	double at[8];

	for (int i = 1; i <= 6; i++) {
		struct metrics_snapshot s;

		metrics_init(&s);
		metrics_row_add(&s, "a")->snap.latency.p95 = i;
		history_push(h, &s, i * 1000);
		metrics_free(&s);
	}
	ck_assert_uint_eq(history_series(h, HF_AT, at, 8), 4);
	ck_assert_double_eq(at[0], 3000);
	ck_assert_double_eq(at[3], 6000);
	ck_assert_uint_eq(history_series(history_row(h, 0), HF_AT, at, 8), 4);
	ck_assert_double_eq(at[0], 3000);
	ck_assert_double_eq(at[3], 6000);
	history_free(h);
}
END_TEST

START_TEST(test_series_error_rate)
{
	struct history *h = history_new(8);
	const int64_t total[] = { 100, 200, 200, 300 };
	const int64_t failed[] = { 0, 10, 10, 40 };
	double out[8];

	for (int i = 0; i < 4; i++) {
		struct metrics_snapshot s;

		metrics_init(&s);
		s.requests.total = total[i];
		s.requests.failed = failed[i];
		s.breaker.failure_rate = 0.5 + i;
		history_push(h, &s, i * 1000);
	}
	ck_assert_uint_eq(history_series(h, HF_ERROR_RATE, out, 8), 4);
	ck_assert_double_eq(out[0], 0.5);	/* no predecessor: breaker rate */
	/* Series are floats: 7 digits. */
	ck_assert_double_eq_tol(out[1], 0.1, 1e-7);
	ck_assert_double_eq(out[2], 2.5);	/* no requests arrived: breaker rate */
	ck_assert_double_eq_tol(out[3], 0.3, 1e-7);
	history_free(h);
}
END_TEST

/* --- Rows --- */

/* Push a snapshot whose rows are named by the letters of names, each with p95 = base + position. */
static void push_rows(struct history *h, const char *names, double base, int64_t at_ms)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	for (const char *p = names; *p != '\0'; p++) {
		char name[2] = { *p, '\0' };

		metrics_row_add(&s, name)->snap.latency.p95 = base + (double)(p - names);
	}
	history_push(h, &s, at_ms);
	metrics_free(&s);
}

static const struct history *row_named(const struct history *h, const char *name)
{
	ptrdiff_t i = history_row_index(h, name);

	return i < 0 ? NULL : history_row(h, (size_t)i);
}

START_TEST(test_rows_follow_names)
{
	struct history *h = history_new(8);
	double out[8];

	ck_assert_uint_eq(history_rows(h), 0);
	ck_assert_ptr_null(history_row(h, 0));
	push_rows(h, "abc", 10, 1000);
	push_rows(h, "ca", 20, 2000);
	push_rows(h, "bac", 30, 3000);
	/* The rows of the newest push, in its order. */
	ck_assert_uint_eq(history_rows(h), 3);
	ck_assert_str_eq(history_row_name(h, 0), "b");
	ck_assert_str_eq(history_row_name(h, 2), "c");
	ck_assert_ptr_null(history_row_name(h, 3));
	ck_assert_int_eq(history_row_index(h, "c"), 2);
	ck_assert_int_eq(history_row_index(h, "z"), -1);
	/* Each row's history is its own, matched by name whatever the order. */
	ck_assert_uint_eq(history_series(row_named(h, "a"), HF_P95, out, 8), 3);
	ck_assert_double_eq(out[0], 10);
	ck_assert_double_eq(out[1], 21);
	ck_assert_double_eq(out[2], 31);
	/* b left and came back: two samples, its history kept. */
	ck_assert_uint_eq(history_series(row_named(h, "b"), HF_P95, out, 8), 2);
	ck_assert_double_eq(out[0], 11);
	ck_assert_double_eq(out[1], 30);
	ck_assert_int_eq(history_get(row_named(h, "b"), 1)->at_ms, 1000);
	ck_assert_uint_eq(history_series(row_named(h, "c"), HF_P95, out, 8), 3);
	ck_assert_double_eq(out[1], 20);
	/* A row history keeps two entries; the router's ring is rowless. */
	ck_assert_uint_eq(history_len(row_named(h, "a")), 2);
	ck_assert_ptr_null(history_get(row_named(h, "a"), 2));
	ck_assert_uint_eq(history_get(h, 0)->snap.nrows, 0);
	/* A push without rows has none. */
	push_rows(h, "", 0, 4000);
	ck_assert_uint_eq(history_rows(h), 0);
	history_free(h);
}
END_TEST

START_TEST(test_rows_deltas_and_error_rate)
{
	struct history *h = history_new(8);
	struct counter_deltas d;
	double out[8];

	for (int i = 0; i < 3; i++) {
		struct metrics_snapshot s;
		struct metrics_row *r;

		metrics_init(&s);
		r = metrics_row_add(&s, "search");
		r->snap.errors = (struct metrics_errors){ 5 * i, 0, 2 * i, 3 * i, METRICS_NONE };
		r->snap.requests = (struct metrics_requests){ 100 * i, 90 * i, 10 * i, 0 };
		r->snap.throughput.per_second = 100;
		metrics_row_add(&s, "chat")->snap.breaker.failure_rate = 0.25;
		history_push(h, &s, 1000 * i);
		metrics_free(&s);
	}
	history_deltas(row_named(h, "search"), &d);
	ck_assert_int_eq(d.breaker_trips, 5);
	ck_assert_int_eq(d.timeouts, 2);
	ck_assert_int_eq(d.failures, 3);
	ck_assert_int_eq(d.requests_total, 100);
	ck_assert_int_eq(d.requests_failed, 10);
	ck_assert_int_eq(d.span_ms, 1000);
	ck_assert(!d.reset);
	ck_assert_double_eq_tol(history_error_rate(row_named(h, "search")), 0.1, 1e-12);
	ck_assert_double_eq(history_error_rate(row_named(h, "chat")), 0.25);
	/* The error rate series comes from the same deltas, one per push. */
	ck_assert_uint_eq(history_series(row_named(h, "search"), HF_ERROR_RATE, out, 8), 3);
	ck_assert(isnan(out[0]));
	ck_assert_double_eq_tol(out[1], 0.1, 1e-7);
	ck_assert_double_eq_tol(out[2], 0.1, 1e-7);
	ck_assert_uint_eq(history_series(row_named(h, "search"), HF_RPS, out, 8), 3);
	ck_assert_double_eq(out[2], 100);
	/* Fields a row does not chart: only the two entries it keeps. */
	ck_assert_uint_eq(history_series(row_named(h, "search"), HF_MAX, out, 8), 2);
	history_free(h);
}
END_TEST

START_TEST(test_rows_series_capacity)
{
	struct history *small = history_new(5), *big = history_new(1000);
	double *out = malloc(1000 * sizeof(*out));

	for (int i = 0; i < 300; i++) {
		push_rows(small, "a", i, i * 1000);
		push_rows(big, "a", i, i * 1000);
	}
	/* As long as the router's ring, but never over HISTORY_ROW_SERIES samples. */
	ck_assert_uint_eq(history_series(history_row(small, 0), HF_P95, out, 1000), 5);
	ck_assert_double_eq(out[4], 299);
	ck_assert_uint_eq(history_series(history_row(big, 0), HF_P95, out, 1000), HISTORY_ROW_SERIES);
	ck_assert_double_eq(out[0], 300 - HISTORY_ROW_SERIES);
	ck_assert_double_eq(out[HISTORY_ROW_SERIES - 1], 299);
	free(out);
	history_free(small);
	history_free(big);
}
END_TEST

/* Push a snapshot with one row "r" in breaker state st. */
static void push_row_breaker(struct history *h, enum breaker_state st, int64_t at_ms)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	s.breaker.state = BREAKER_CLOSED;
	metrics_row_add(&s, "r")->snap.breaker.state = st;
	history_push(h, &s, at_ms);
	metrics_free(&s);
}

START_TEST(test_rows_transitions_and_rewind)
{
	struct history *h = history_new(16);
	struct breaker_transition tr[8];
	const struct history *r;

	push_row_breaker(h, BREAKER_CLOSED, 1000);
	push_row_breaker(h, BREAKER_OPEN, 2000);
	push_row_breaker(h, BREAKER_HALF_OPEN, 7000);
	push_row_breaker(h, BREAKER_CLOSED, 8000);
	r = history_row(h, 0);
	ck_assert_uint_eq(history_transitions(r, tr, 8), 3);
	ck_assert_int_eq(tr[0].from, BREAKER_CLOSED);
	ck_assert_int_eq(tr[0].to, BREAKER_OPEN);
	ck_assert_int_eq(tr[0].at_ms, 2000);
	ck_assert_double_eq(history_last_recovery_s(r), 6.0);
	/* The router's own breaker never moved. */
	ck_assert_uint_eq(history_transitions(h, tr, 8), 0);
	/* Step back to before the recovery: the row is open again, recovery unseen. */
	ck_assert_uint_eq(history_rewind(h, 7000), 2);
	ck_assert_uint_eq(history_rows(h), 0);
	push_row_breaker(h, BREAKER_HALF_OPEN, 7000);
	r = history_row(h, 0);
	ck_assert_uint_eq(history_transitions(r, tr, 8), 2);
	ck_assert_int_eq(tr[1].to, BREAKER_HALF_OPEN);
	ck_assert(isnan(history_last_recovery_s(r)));
	ck_assert_double_eq_tol(history_outage_age_s(r, 9000), 7.0, 1e-9);
	ck_assert(history_outage_start_known(r));
	/* Its two entries were both after the point stepped back to: deltas start again. */
	ck_assert_uint_eq(history_len(r), 1);
	history_free(h);
}
END_TEST

START_TEST(test_rows_reported_transition)
{
	struct history *h = history_new(8);
	struct breaker_transition tr[4];

	/* The source tells of the row before any snapshot carries it. */
	history_note_row_transition(h, "r", 1500, BREAKER_CLOSED, BREAKER_OPEN);
	ck_assert_uint_eq(history_rows(h), 0);
	push_row_breaker(h, BREAKER_OPEN, 2000);
	ck_assert_uint_eq(history_transitions(history_row(h, 0), tr, 4), 1);
	ck_assert_int_eq(tr[0].at_ms, 1500);
	/* A name is matched as shown: the escape is a space. */
	history_note_row_transition(h, "r\x1b", 2500, BREAKER_OPEN, BREAKER_HALF_OPEN);
	history_note_row_transition(h, "r", 2600, BREAKER_HALF_OPEN, BREAKER_CLOSED);
	ck_assert_uint_eq(history_transitions(history_row(h, 0), tr, 4), 2);
	ck_assert_double_eq_tol(history_last_recovery_s(history_row(h, 0)), 1.1, 1e-9);
	ck_assert_uint_eq(history_transitions(h, tr, 4), 0);
	history_free(h);
}
END_TEST

/* Rows that left make room for new ones; the rows of the newest push always stay. */
START_TEST(test_rows_evicted)
{
	struct history *h = history_new(2);
	struct metrics_snapshot s;
	char name[16];

	for (int round = 0; round < 3; round++) {
		metrics_init(&s);
		for (int i = 0; i < METRICS_ROWS_MAX; i++) {
			snprintf(name, sizeof(name), "%c%d", 'a' + round, i);
			metrics_row_add(&s, name)->snap.latency.p95 = round;
		}
		history_push(h, &s, round * 1000);
		metrics_free(&s);
		ck_assert_uint_eq(history_rows(h), METRICS_ROWS_MAX);
		for (int i = 0; i < METRICS_ROWS_MAX; i += 97) {
			snprintf(name, sizeof(name), "%c%d", 'a' + round, i);
			ck_assert_int_eq(history_row_index(h, name), i);
			ck_assert_double_eq(history_get(history_row(h, (size_t)i), 0)->snap.latency.p95, round);
		}
	}
	history_clear(h);
	ck_assert_uint_eq(history_rows(h), 0);
	history_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("history");
	TCase *ring = tcase_create("ring");
	TCase *counters = tcase_create("counters");
	TCase *breaker = tcase_create("breaker");
	TCase *series = tcase_create("series");
	TCase *rows = tcase_create("rows");

	tcase_add_test(ring, test_ring_order_and_capacity);
	tcase_add_test(ring, test_capacity_below_two_is_raised);
	tcase_add_test(ring, test_clear_forgets_everything);
	tcase_add_loop_test(counters, test_deltas_table, 0, N_ELEMS(delta_cases));
	tcase_add_test(counters, test_deltas_all_counters);
	tcase_add_test(counters, test_deltas_fewer_than_two);
	tcase_add_loop_test(counters, test_error_rate_table, 0, N_ELEMS(rate_cases));
	tcase_add_test(counters, test_error_rate_short_history);
	tcase_add_test(breaker, test_transition_times);
	tcase_add_test(breaker, test_transitions_keep_the_last);
	tcase_add_test(breaker, test_reported_transitions);
	tcase_add_test(breaker, test_rewind_rebuilds_breaker_state);
	tcase_add_test(breaker, test_rewind_keeps_deltas);
	tcase_add_loop_test(breaker, test_recovery_table, 0, N_ELEMS(recovery_cases));
	tcase_add_test(breaker, test_recovery_survives_ring_and_later_trip);
	tcase_add_test(breaker, test_state_age);
	tcase_add_test(breaker, test_outage_age);
	tcase_add_test(breaker, test_half_open_countdown);
	tcase_add_test(breaker, test_half_open_countdown_row);
	tcase_add_test(series, test_series_times);
	tcase_add_test(series, test_series_latency);
	tcase_add_test(series, test_series_error_rate);
	suite_add_tcase(s, ring);
	suite_add_tcase(s, counters);
	suite_add_tcase(s, breaker);
	suite_add_tcase(s, series);
	tcase_add_test(rows, test_rows_follow_names);
	tcase_add_test(rows, test_rows_deltas_and_error_rate);
	tcase_add_test(rows, test_rows_series_capacity);
	tcase_add_test(rows, test_rows_transitions_and_rewind);
	tcase_add_test(rows, test_rows_reported_transition);
	tcase_add_test(rows, test_rows_evicted);
	suite_add_tcase(s, rows);
	return check_run_suite(s);
}
