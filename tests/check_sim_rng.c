#include <check.h>
#include <math.h>
#include <stdint.h>

#include "check_run.h"
#include "sim/rng.h"

/* PCG32 reference output for seed 42, stream 54 (pcg32-demo from pcg-random.org). */
START_TEST(test_rng_reference)
{
	static const uint32_t expect[6] = {
		0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e,
	};
	struct rng r;

	rng_seed(&r, 42, 54);
	for (int i = 0; i < 6; i++)
		ck_assert_uint_eq(rng_u32(&r), expect[i]);
}
END_TEST

START_TEST(test_rng_same_seed_same_sequence)
{
	struct rng a, b, c;
	int differ = 0;

	rng_seed(&a, 7, 1);
	rng_seed(&b, 7, 1);
	rng_seed(&c, 8, 1);
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rng_u64(&a);

		ck_assert_uint_eq(x, rng_u64(&b));
		differ += x != rng_u64(&c);
	}
	ck_assert_int_gt(differ, 990);
}
END_TEST

START_TEST(test_rng_uniform_range_and_mean)
{
	struct rng r;
	double sum = 0;

	rng_seed(&r, 1, 2);
	for (int i = 0; i < 100000; i++) {
		double u = rng_uniform(&r);

		ck_assert(u >= 0.0 && u < 1.0);
		sum += u;
	}
	ck_assert_double_eq_tol(sum / 100000, 0.5, 0.01);
}
END_TEST

START_TEST(test_rng_below_bounds)
{
	struct rng r;
	int seen[7] = { 0 };

	rng_seed(&r, 3, 3);
	ck_assert_uint_eq(rng_below(&r, 0), 0);
	for (int i = 0; i < 7000; i++)
		seen[rng_below(&r, 7)]++;
	for (int i = 0; i < 7; i++)
		ck_assert_int_gt(seen[i], 800);
}
END_TEST

START_TEST(test_rng_normal_moments)
{
	struct rng r;
	double sum = 0, sq = 0;
	const int n = 200000;

	rng_seed(&r, 11, 0);
	for (int i = 0; i < n; i++) {
		double z = rng_normal(&r);

		sum += z;
		sq += z * z;
	}
	ck_assert_double_eq_tol(sum / n, 0.0, 0.01);
	ck_assert_double_eq_tol(sq / n, 1.0, 0.02);
}
END_TEST

START_TEST(test_rng_exponential_mean)
{
	struct rng r;
	double sum = 0;

	rng_seed(&r, 5, 0);
	for (int i = 0; i < 100000; i++) {
		double x = rng_exponential(&r, 20.0);

		ck_assert(x >= 0.0 && isfinite(x));
		sum += x;
	}
	ck_assert_double_eq_tol(sum / 100000, 20.0, 0.4);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_rng");
	TCase *tc = tcase_create("rng");

	tcase_add_test(tc, test_rng_reference);
	tcase_add_test(tc, test_rng_same_seed_same_sequence);
	tcase_add_test(tc, test_rng_uniform_range_and_mean);
	tcase_add_test(tc, test_rng_below_bounds);
	tcase_add_test(tc, test_rng_normal_moments);
	tcase_add_test(tc, test_rng_exponential_mean);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
