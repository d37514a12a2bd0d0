#include <check.h>
#include <string.h>

#include "check_run.h"
#include "sim/breaker.h"

#define S 1000000LL	/* one second in microseconds */

struct log {
	struct breaker_transition t[32];
	int n;
};

static void log_transition(void *ctx, const struct breaker_transition *t)
{
	struct log *l = ctx;

	ck_assert_int_lt(l->n, 32);
	l->t[l->n++] = *t;
}

static void setup(struct breaker *b, struct log *l, struct breaker_config *cfg)
{
	memset(l, 0, sizeof(*l));
	breaker_init(b, cfg, 0, log_transition, l);
}

static void expect(const struct log *l, int i, enum breaker_state from, enum breaker_state to,
		   int64_t at, const char *reason)
{
	ck_assert_int_gt(l->n, i);
	ck_assert_int_eq(l->t[i].from, from);
	ck_assert_int_eq(l->t[i].to, to);
	ck_assert_int_eq(l->t[i].at_us, at);
	ck_assert_str_eq(l->t[i].reason, reason);
}

START_TEST(test_opens_after_consecutive_failures)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;

	breaker_config_default(&cfg);
	cfg.failure_rate = 0;
	setup(&b, &l, &cfg);
	for (int i = 0; i < 4; i++) {
		ck_assert(breaker_allow(&b, i));
		breaker_record_failure(&b, i);
	}
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
	/* A success in between starts the count again. */
	breaker_record_success(&b, 4);
	for (int i = 0; i < 4; i++)
		breaker_record_failure(&b, 5 + i);
	ck_assert_int_eq(l.n, 0);
	breaker_record_failure(&b, 9);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	expect(&l, 0, BREAKER_CLOSED, BREAKER_OPEN, 9, "5 consecutive failures");
	ck_assert(!breaker_allow(&b, 10));
}
END_TEST

START_TEST(test_opens_on_failure_rate)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;

	breaker_config_default(&cfg);
	cfg.failure_threshold = 0;
	cfg.window = 10;
	cfg.min_calls = 10;
	cfg.failure_rate = 0.5;
	setup(&b, &l, &cfg);
	/* 4 failures in 9 calls: below the minimum number of calls. */
	for (int i = 0; i < 9; i++) {
		if (i % 2 == 0 && i < 8)
			breaker_record_failure(&b, i);
		else
			breaker_record_success(&b, i);
	}
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
	ck_assert_double_eq_tol(breaker_failure_rate(&b), 4.0 / 9.0, 1e-9);
	breaker_record_failure(&b, 9);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	expect(&l, 0, BREAKER_CLOSED, BREAKER_OPEN, 9, "failure rate 50 % over 10 calls");
}
END_TEST

START_TEST(test_window_slides)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;

	breaker_config_default(&cfg);
	cfg.failure_threshold = 0;
	cfg.window = 4;
	cfg.min_calls = 4;
	cfg.failure_rate = 0.75;
	setup(&b, &l, &cfg);
	breaker_record_failure(&b, 0);
	breaker_record_failure(&b, 1);
	breaker_record_success(&b, 2);
	breaker_record_success(&b, 3);
	breaker_record_success(&b, 4);	/* the first failure leaves the window */
	ck_assert_double_eq_tol(breaker_failure_rate(&b), 0.25, 1e-9);
	breaker_record_failure(&b, 5);
	breaker_record_failure(&b, 6);
	ck_assert_int_eq(b.state, BREAKER_CLOSED);	/* 2 of 4 */
	breaker_record_failure(&b, 7);
	ck_assert_int_eq(b.state, BREAKER_OPEN);	/* 3 of 4 */
}
END_TEST

START_TEST(test_half_open_after_timeout_then_closes)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;

	breaker_config_default(&cfg);
	cfg.half_open_calls = 3;
	cfg.success_threshold = 2;
	setup(&b, &l, &cfg);
	for (int i = 0; i < 5; i++)
		breaker_record_failure(&b, S);
	ck_assert_int_eq(breaker_deadline(&b), 11 * S);
	ck_assert(!breaker_allow(&b, 11 * S - 1));
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	ck_assert(breaker_allow(&b, 11 * S));
	expect(&l, 1, BREAKER_OPEN, BREAKER_HALF_OPEN, 11 * S, "open timeout 10 s elapsed");
	ck_assert_int_eq(breaker_deadline(&b), INT64_MAX);
	/* K = 3 trials are admitted, the fourth is not. */
	ck_assert(breaker_allow(&b, 11 * S));
	ck_assert(breaker_allow(&b, 11 * S));
	ck_assert(!breaker_allow(&b, 11 * S));
	breaker_record_success(&b, 12 * S);
	ck_assert_int_eq(b.state, BREAKER_HALF_OPEN);
	breaker_record_success(&b, 13 * S);
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
	expect(&l, 2, BREAKER_HALF_OPEN, BREAKER_CLOSED, 13 * S, "2 trial calls succeeded");
	ck_assert_double_eq(breaker_failure_rate(&b), 0.0);
	ck_assert_int_eq(b.since_us, 13 * S);
}
END_TEST

START_TEST(test_half_open_failure_reopens)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;

	breaker_config_default(&cfg);
	setup(&b, &l, &cfg);
	for (int i = 0; i < 5; i++)
		breaker_record_failure(&b, 0);
	breaker_poll(&b, 10 * S);
	ck_assert_int_eq(b.state, BREAKER_HALF_OPEN);
	ck_assert(breaker_allow(&b, 10 * S));
	breaker_record_success(&b, 10 * S + 1);
	breaker_record_failure(&b, 10 * S + 2);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	expect(&l, 2, BREAKER_HALF_OPEN, BREAKER_OPEN, 10 * S + 2, "trial call failed");
	/* The open timeout counts from the reopening. */
	ck_assert_int_eq(breaker_deadline(&b), 20 * S + 2);
}
END_TEST

START_TEST(test_outcomes_while_open_ignored)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;

	breaker_config_default(&cfg);
	setup(&b, &l, &cfg);
	for (int i = 0; i < 5; i++)
		breaker_record_failure(&b, 0);
	breaker_record_success(&b, 1);
	breaker_record_failure(&b, 2);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	ck_assert_int_eq(l.n, 1);
}
END_TEST

START_TEST(test_force_open_closed_reset)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;

	breaker_config_default(&cfg);
	setup(&b, &l, &cfg);
	breaker_force_open(&b, 5);
	expect(&l, 0, BREAKER_CLOSED, BREAKER_OPEN, 5, "forced open");
	/* Forced open never times out into half-open. */
	ck_assert(!breaker_allow(&b, 1000 * S));
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	ck_assert_int_eq(breaker_deadline(&b), INT64_MAX);
	breaker_force_closed(&b, 6);
	expect(&l, 1, BREAKER_OPEN, BREAKER_CLOSED, 6, "forced closed");
	/* Forced closed never trips. */
	for (int i = 0; i < 100; i++)
		breaker_record_failure(&b, 7);
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
	ck_assert(breaker_allow(&b, 8));
	ck_assert_double_eq(breaker_failure_rate(&b), 1.0);
	breaker_reset(&b, 9);
	expect(&l, 2, BREAKER_CLOSED, BREAKER_CLOSED, 9, "reset");
	ck_assert_double_eq(breaker_failure_rate(&b), 0.0);
	for (int i = 0; i < 5; i++)
		breaker_record_failure(&b, 10);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	breaker_reset(&b, 11);
	expect(&l, 4, BREAKER_OPEN, BREAKER_CLOSED, 11, "reset");
	ck_assert(breaker_allow(&b, 12));
}
END_TEST

/*
 * Back to automatic (the a key): forced open, the breaker waits its open
 * timeout from then and half-opens; forced closed, it stays closed and
 * trips on the next failures; no transition is reported for either.
 */
START_TEST(test_force_then_automatic)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;

	breaker_config_default(&cfg);
	setup(&b, &l, &cfg);
	breaker_auto(&b, 1);	/* already automatic: nothing */
	ck_assert_int_eq(l.n, 0);
	breaker_force_open(&b, 5 * S);
	breaker_auto(&b, 20 * S);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	ck_assert_int_eq(breaker_deadline(&b), 30 * S);
	ck_assert(!breaker_allow(&b, 30 * S - 1));
	ck_assert(breaker_allow(&b, 30 * S));
	expect(&l, 1, BREAKER_OPEN, BREAKER_HALF_OPEN, 30 * S, "open timeout 10 s elapsed");
	for (int i = 0; i < 3; i++)
		breaker_record_success(&b, 31 * S);
	expect(&l, 2, BREAKER_HALF_OPEN, BREAKER_CLOSED, 31 * S, "3 trial calls succeeded");
	breaker_force_closed(&b, 32 * S);
	for (int i = 0; i < 10; i++)
		breaker_record_failure(&b, 33 * S);
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
	breaker_auto(&b, 34 * S);
	ck_assert_int_eq(l.n, 4);	/* the forced closing only */
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
	breaker_record_failure(&b, 35 * S);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	ck_assert_str_eq(l.t[4].reason, "11 consecutive failures");
}
END_TEST

/* The reason names the open timeout as configured, to the millisecond below a second. */
START_TEST(test_timeout_in_reason)
{
	static const struct {
		int64_t us;
		const char *reason;
	} cases[] = {
		{ 8 * S, "open timeout 8 s elapsed" },
		{ 2500000, "open timeout 2.5 s elapsed" },
		{ 500000, "open timeout 500 ms elapsed" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct breaker_config cfg;
		struct breaker b;
		struct log l;

		breaker_config_default(&cfg);
		cfg.open_timeout_us = cases[i].us;
		setup(&b, &l, &cfg);
		for (int k = 0; k < 5; k++)
			breaker_record_failure(&b, 0);
		breaker_poll(&b, cases[i].us);
		expect(&l, 1, BREAKER_OPEN, BREAKER_HALF_OPEN, cases[i].us, cases[i].reason);
	}
}
END_TEST

/* The seeds' sequence: 5 timeouts, open, rejections, half-open after the timeout, closed. */
START_TEST(test_seed_sequence)
{
	struct breaker_config cfg;
	struct breaker b;
	struct log l;
	int rejected = 0;
	int64_t t = 0;

	breaker_config_default(&cfg);
	setup(&b, &l, &cfg);
	for (int i = 0; i < 5; i++, t += S) {
		ck_assert(breaker_allow(&b, t));
		breaker_record_failure(&b, t);	/* a timeout */
	}
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	for (int i = 0; i < 9; i++, t += S)
		rejected += !breaker_allow(&b, t);
	ck_assert_int_eq(rejected, 9);
	t = 4 * S + cfg.open_timeout_us;
	for (int i = 0; i < 3; i++) {
		ck_assert(breaker_allow(&b, t));
		breaker_record_success(&b, t + 1);
	}
	ck_assert_int_eq(l.n, 3);
	ck_assert_int_eq(l.t[0].to, BREAKER_OPEN);
	ck_assert_int_eq(l.t[1].to, BREAKER_HALF_OPEN);
	ck_assert_int_eq(l.t[1].at_us, 14 * S);
	ck_assert_int_eq(l.t[2].to, BREAKER_CLOSED);
}
END_TEST

static void bad_rate(struct breaker_config *c) { c->failure_rate = 1.5; }
static void bad_window(struct breaker_config *c) { c->window = 0; }
static void big_window(struct breaker_config *c) { c->window = BREAKER_MAX_WINDOW + 1; }
static void bad_min(struct breaker_config *c) { c->min_calls = c->window + 1; }
static void bad_open(struct breaker_config *c) { c->open_timeout_us = 0; }
static void bad_trials(struct breaker_config *c) { c->half_open_calls = 0; }
static void bad_succ(struct breaker_config *c) { c->success_threshold = c->half_open_calls + 1; }

static void (*const tweaks[])(struct breaker_config *) = {
	bad_rate, bad_window, big_window, bad_min, bad_open, bad_trials, bad_succ,
};

START_TEST(test_config_check)
{
	struct breaker_config cfg;

	breaker_config_default(&cfg);
	ck_assert_ptr_null(breaker_config_check(&cfg));
	tweaks[_i](&cfg);
	ck_assert_ptr_nonnull(breaker_config_check(&cfg));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_breaker");
	TCase *tc = tcase_create("breaker");

	tcase_add_test(tc, test_opens_after_consecutive_failures);
	tcase_add_test(tc, test_force_then_automatic);
	tcase_add_test(tc, test_timeout_in_reason);
	tcase_add_test(tc, test_opens_on_failure_rate);
	tcase_add_test(tc, test_window_slides);
	tcase_add_test(tc, test_half_open_after_timeout_then_closes);
	tcase_add_test(tc, test_half_open_failure_reopens);
	tcase_add_test(tc, test_outcomes_while_open_ignored);
	tcase_add_test(tc, test_force_open_closed_reset);
	tcase_add_test(tc, test_seed_sequence);
	tcase_add_loop_test(tc, test_config_check, 0, (int)(sizeof(tweaks) / sizeof(tweaks[0])));
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
