#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "check_run.h"
#include "sim/backend.h"

#define MS 1000LL

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void make(struct backend *b, int64_t median, int64_t p99, uint32_t conc, int64_t timeout)
{
	struct backend_config cfg = { median, p99, conc, timeout };

	ck_assert_ptr_null(backend_config_check(&cfg));
	backend_init(b, &cfg, 0);
}

START_TEST(test_lognormal_median_and_p99)
{
	enum { N = 200000 };
	int64_t *x = malloc(N * sizeof(*x));
	struct backend b;
	struct rng r;

	make(&b, 40 * MS, 250 * MS, 1, 1000000 * MS);
	rng_seed(&r, 1, 0);
	for (int i = 0; i < N; i++)
		x[i] = backend_sample_us(&b, &r);
	qsort(x, N, sizeof(*x), cmp_i64);
	ck_assert_int_ge(x[0], 1);
	ck_assert_double_eq_tol((double)x[N / 2], 40.0 * MS, 1.0 * MS);
	ck_assert_double_eq_tol((double)x[N * 99 / 100], 250.0 * MS, 10.0 * MS);
	backend_free(&b);
	free(x);
}
END_TEST

START_TEST(test_constant_when_p99_is_median)
{
	struct backend b;
	struct rng r;

	make(&b, 7 * MS, 7 * MS, 1, 1000 * MS);
	rng_seed(&r, 1, 0);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(backend_sample_us(&b, &r), 7 * MS);
	backend_free(&b);
}
END_TEST

START_TEST(test_fifo_queue_grows_latency)
{
	struct backend b;
	struct rng r;
	struct backend_result res;

	/* Two workers, 10 ms each: pairs finish at 10, 20, 30 ms. */
	make(&b, 10 * MS, 10 * MS, 2, 1000 * MS);
	rng_seed(&r, 1, 0);
	for (int i = 0; i < 6; i++) {
		res = backend_submit(&b, &r, 0);
		ck_assert_int_eq(res.outcome, BACKEND_OK);
		ck_assert_int_eq(res.done_us, (i / 2 + 1) * 10 * MS);
	}
	/* Later arrival after the queue drained starts at once. */
	res = backend_submit(&b, &r, 100 * MS);
	ck_assert_int_eq(res.done_us, 110 * MS);
	backend_free(&b);
}
END_TEST

START_TEST(test_timeout_in_queue_and_in_service)
{
	struct backend b;
	struct rng r;
	struct backend_result res;
	static const int64_t done[] = { 10, 20, 25, 25, 35 };
	static const enum backend_outcome out[] = {
		BACKEND_OK, BACKEND_OK, BACKEND_TIMEOUT, BACKEND_TIMEOUT, BACKEND_OK,
	};

	make(&b, 10 * MS, 10 * MS, 1, 25 * MS);
	rng_seed(&r, 1, 0);
	for (int i = 0; i < 4; i++) {
		res = backend_submit(&b, &r, 0);
		ck_assert_int_eq(res.outcome, out[i]);
		ck_assert_int_eq(res.done_us, done[i] * MS);
	}
	/* The request that timed out in service freed its worker at 25 ms; the queued one never took it. */
	res = backend_submit(&b, &r, 0 + 20 * MS);
	ck_assert_int_eq(res.outcome, out[4]);
	ck_assert_int_eq(res.done_us, done[4] * MS);
	backend_free(&b);
}
END_TEST

static const struct {
	struct fault_config f;
	enum backend_outcome outcome;
} all_faults[] = {
	{ { 1, 0, 0 }, BACKEND_FAILURE },
	{ { 0, 1, 0 }, BACKEND_TIMEOUT },
	{ { 0, 0, 1 }, BACKEND_VALIDATION },
	{ { 0, 0, 0 }, BACKEND_OK },
};

START_TEST(test_certain_faults)
{
	struct backend b;
	struct rng r;

	make(&b, 5 * MS, 5 * MS, 1000, 50 * MS);
	rng_seed(&r, 2, 0);
	backend_set_faults(&b, &all_faults[_i].f);
	for (int i = 0; i < 50; i++) {
		struct backend_result res = backend_submit(&b, &r, i * MS);

		ck_assert_int_eq(res.outcome, all_faults[_i].outcome);
		ck_assert_int_eq(res.done_us, i * MS + (res.outcome == BACKEND_TIMEOUT ? 50 : 5) * MS);
	}
	backend_free(&b);
}
END_TEST

START_TEST(test_fault_mix_and_change)
{
	struct backend b;
	struct rng r;
	struct fault_config f = { 0.2, 0.3, 0.1 };
	int n[4] = { 0 };

	make(&b, 1 * MS, 1 * MS, 100000, 10 * MS);
	rng_seed(&r, 3, 0);
	backend_set_faults(&b, &f);
	for (int i = 0; i < 100000; i++)
		n[backend_submit(&b, &r, i).outcome]++;
	ck_assert_double_eq_tol(n[BACKEND_FAILURE] / 1e5, 0.2, 0.01);
	ck_assert_double_eq_tol(n[BACKEND_TIMEOUT] / 1e5, 0.3, 0.01);
	ck_assert_double_eq_tol(n[BACKEND_VALIDATION] / 1e5, 0.1, 0.01);
	f = (struct fault_config){ 0 };
	backend_set_faults(&b, &f);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(backend_submit(&b, &r, 1000000 + i).outcome, BACKEND_OK);
	backend_free(&b);
}
END_TEST

/*
 * The workers against a reference G/G/C queue (a plain array of the busy
 * workers' free times, searched for the first): arrivals close together,
 * far apart, about half the wheel's span apart (when it is emptied
 * without need) and in one microsecond (bursts of more than a wheel
 * counter holds), with the service times drawn from a second generator
 * on the same seed.
 */
static const struct {
	uint32_t concurrency;
	int64_t median, p99;
	uint32_t gap;		/* arrivals up to this many microseconds apart */
} ref_cases[] = {
	{ 4, 300, 3000, 400 },			/* mostly queued */
	{ 300, 500, 500, 3 },			/* constant: bursts free at one time */
	{ 64, 2000, 9000, 100 },		/* free times past the wheel */
	{ 1000, 100, 20000, 30 },		/* queue timeouts and late workers */
};

START_TEST(test_workers_match_reference)
{
	enum { N = 100000, TIMEOUT = 20 * MS };
	uint32_t conc = ref_cases[_i].concurrency, nbusy = 0;
	int64_t *busy = malloc(conc * sizeof(*busy)), now = 10 * MS;
	struct backend b;
	struct rng r, shadow, dice;

	make(&b, ref_cases[_i].median, ref_cases[_i].p99, conc, TIMEOUT);
	rng_seed(&r, 11 + (uint64_t)_i, 3);
	rng_seed(&shadow, 11 + (uint64_t)_i, 3);
	rng_seed(&dice, 5, 0);
	for (int i = 0; i < N; i++) {
		uint32_t d = rng_below(&dice, 100), first = 0;
		int64_t start, t, expect_done;
		enum backend_outcome expect;
		struct backend_result res;

		if (i % 5000 >= 4700)
			;	/* a burst: 300 in one microsecond */
		else if (d < 1)
			now += 3 * BACKEND_WHEEL_US;
		else if (d < 2)
			now += BACKEND_WHEEL_US / 2 - 1 + rng_below(&dice, 3);
		else
			now += rng_below(&dice, ref_cases[_i].gap);
		res = backend_submit(&b, &r, now);

		for (uint32_t k = 0; k < nbusy;)
			if (busy[k] <= now)
				busy[k] = busy[--nbusy];
			else
				k++;
		for (uint32_t k = 1; k < nbusy; k++)
			if (busy[k] < busy[first])
				first = k;
		start = nbusy < conc ? now : busy[first];
		if (start >= now + TIMEOUT) {
			expect = BACKEND_TIMEOUT;
			expect_done = now + TIMEOUT;
		} else {
			t = start + backend_sample_us(&b, &shadow);
			expect = t > now + TIMEOUT ? BACKEND_TIMEOUT : BACKEND_OK;
			expect_done = t > now + TIMEOUT ? now + TIMEOUT : t;
			if (nbusy < conc)
				busy[nbusy++] = expect_done;
			else
				busy[first] = expect_done;
		}
		check_loop_eq(res.outcome, expect);
		check_loop_eq(res.done_us, expect_done);
	}
	backend_free(&b);
	free(busy);
}
END_TEST

static const struct backend_config bad_backends[] = {
	{ 0, 10, 1, 10 },		/* median 0 */
	{ 100, 99, 1, 1000 },		/* p99 below median */
	{ 100, 200, 0, 1000 },		/* no workers */
	{ 100, 200, BACKEND_MAX_CONCURRENCY + 1, 1000 },
	{ 100, 200, 1, 0 },		/* no timeout */
	{ 100, BACKEND_MAX_LATENCY_US + 1, 1, 1000 },
};

START_TEST(test_bad_backend_config)
{
	ck_assert_ptr_nonnull(backend_config_check(&bad_backends[_i]));
}
END_TEST

static const struct fault_config bad_faults[] = {
	{ -0.1, 0, 0 }, { 0, 1.1, 0 }, { 0, 0, NAN }, { 0.5, 0.5, 0.1 },
};

START_TEST(test_bad_fault_config)
{
	struct fault_config ok = { 0.5, 0.25, 0.25 };

	ck_assert_ptr_null(fault_config_check(&ok));
	ck_assert_ptr_nonnull(fault_config_check(&bad_faults[_i]));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_backend");
	TCase *tc = tcase_create("backend");

	tcase_add_test(tc, test_lognormal_median_and_p99);
	tcase_add_test(tc, test_constant_when_p99_is_median);
	tcase_add_test(tc, test_fifo_queue_grows_latency);
	tcase_add_test(tc, test_timeout_in_queue_and_in_service);
	tcase_add_loop_test(tc, test_certain_faults, 0, 4);
	tcase_add_test(tc, test_fault_mix_and_change);
	tcase_add_loop_test(tc, test_workers_match_reference, 0,
			    (int)(sizeof(ref_cases) / sizeof(ref_cases[0])));
	tcase_add_loop_test(tc, test_bad_backend_config, 0,
			    (int)(sizeof(bad_backends) / sizeof(bad_backends[0])));
	tcase_add_loop_test(tc, test_bad_fault_config, 0,
			    (int)(sizeof(bad_faults) / sizeof(bad_faults[0])));
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
