#include <check.h>

#include "check_run.h"
#include "sim/limiter.h"

#define S 1000000LL

START_TEST(test_burst_then_reject)
{
	struct limiter l;

	ck_assert_int_eq(limiter_init(&l, 10.0, 5, 0), 0);
	for (int i = 0; i < 5; i++)
		ck_assert(limiter_take(&l, 0));
	ck_assert(!limiter_take(&l, 0));
	/* One token every 100 ms: not yet at 99.999 ms, yes at 100 ms. */
	ck_assert(!limiter_take(&l, 99999));
	ck_assert(limiter_take(&l, 100000));
	ck_assert(!limiter_take(&l, 100000));
}
END_TEST

START_TEST(test_refill_caps_at_burst)
{
	struct limiter l;

	ck_assert_int_eq(limiter_init(&l, 1000.0, 3, 0), 0);
	for (int i = 0; i < 3; i++)
		ck_assert(limiter_take(&l, 0));
	ck_assert_uint_eq(limiter_tokens(&l, 3600 * S), 3);
	/* A very long gap must not overflow. */
	ck_assert_uint_eq(limiter_tokens(&l, INT64_MAX / 2), 3);
}
END_TEST

START_TEST(test_sustained_rate)
{
	struct limiter l;
	int passed = 0;

	/* 10,000 attempts spread over 10 s at 50/s with burst 1: 500 pass (+1 for the full start). */
	ck_assert_int_eq(limiter_init(&l, 50.0, 1, 0), 0);
	for (int i = 0; i < 10000; i++)
		passed += limiter_take(&l, (int64_t)i * 1000);
	ck_assert_int_eq(passed, 500);
}
END_TEST

START_TEST(test_fractional_rate)
{
	struct limiter l;

	ck_assert_int_eq(limiter_init(&l, 0.5, 1, 0), 0);
	ck_assert(limiter_take(&l, 0));
	ck_assert(!limiter_take(&l, 1999999));
	ck_assert(limiter_take(&l, 2 * S));
}
END_TEST

START_TEST(test_time_going_back_is_harmless)
{
	struct limiter l;

	ck_assert_int_eq(limiter_init(&l, 1.0, 1, 10 * S), 0);
	ck_assert(limiter_take(&l, 10 * S));
	ck_assert(!limiter_take(&l, 5 * S));
	ck_assert(limiter_take(&l, 11 * S));
}
END_TEST

START_TEST(test_unlimited)
{
	struct limiter l;

	ck_assert_int_eq(limiter_init(&l, 0.0, 0, 0), 0);
	for (int i = 0; i < 1000; i++)
		ck_assert(limiter_take(&l, 0));
}
END_TEST

static const struct {
	double rate;
	uint32_t burst;
} bad[] = {
	{ -1.0, 1 }, { 10.0, 0 }, { 2e9, 1 }, { 0.0001, 1 }, { 10.0, LIMITER_MAX_BURST + 1 },
};

START_TEST(test_bad_settings)
{
	struct limiter l;

	ck_assert_int_eq(limiter_init(&l, bad[_i].rate, bad[_i].burst, 0), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_limiter");
	TCase *tc = tcase_create("limiter");

	tcase_add_test(tc, test_burst_then_reject);
	tcase_add_test(tc, test_refill_caps_at_burst);
	tcase_add_test(tc, test_sustained_rate);
	tcase_add_test(tc, test_fractional_rate);
	tcase_add_test(tc, test_time_going_back_is_harmless);
	tcase_add_test(tc, test_unlimited);
	tcase_add_loop_test(tc, test_bad_settings, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
