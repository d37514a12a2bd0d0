/*
 * Check suite for src/formats/promql.c. Every expected value is worked out
 * by hand from PromQL's rules (rank = q x total, linear inside the bucket,
 * the first bucket from 0, a rank in +Inf gives the highest finite bound).
 */
#include <check.h>
#include <math.h>
#include <stddef.h>

#include "check_run.h"
#include "formats/promql.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Buckets 1: 10, 2: 30, 4: 40, +Inf: 40 (cumulative). */
static const struct {
	double q, want;
} quartet_cases[] = {
	{ 0.25, 1.0 },	/* rank 10: all of the first bucket, 0 + 1 x 10/10 */
	{ 0.5, 1.5 },	/* rank 20: 1 + (2 - 1) x (20 - 10)/(30 - 10) */
	{ 0.9, 3.2 },	/* rank 36: 2 + (4 - 2) x (36 - 30)/(40 - 30) */
	{ 0.99, 3.92 },	/* rank 39.6: 2 + 2 x 9.6/10 */
	{ 1.0, 4.0 },
	{ 0.0, 0.0 },	/* rank 0: the first bucket, at its start */
};

START_TEST(test_interpolation)
{
	struct promql_bucket b[] = { { 1, 10 }, { 2, 30 }, { 4, 40 }, { INFINITY, 40 } };
	bool forced = true;
	double got = promql_histogram_quantile(quartet_cases[_i].q, b, N(b), &forced);

	ck_assert_msg(fabs(got - quartet_cases[_i].want) < 1e-12, "q %g: got %.17g want %g",
		      quartet_cases[_i].q, got, quartet_cases[_i].want);
	ck_assert(!forced);
}
END_TEST

/* A rank that falls in the +Inf bucket gives the highest finite bound. */
START_TEST(test_rank_in_inf)
{
	struct promql_bucket b[] = { { 1, 10 }, { 2, 20 }, { INFINITY, 100 } };

	ck_assert(promql_histogram_quantile(0.5, b, N(b), NULL) == 2.0);
	ck_assert(promql_histogram_quantile(0.99, b, N(b), NULL) == 2.0);
	/* rank 15: 1 + 1 x 5/10 */
	ck_assert(promql_histogram_quantile(0.15, b, N(b), NULL) == 1.5);
}
END_TEST

START_TEST(test_single_bucket)
{
	struct promql_bucket only_inf[] = { { INFINITY, 5 } };
	struct promql_bucket one[] = { { 10, 4 }, { INFINITY, 4 } };

	ck_assert(isnan(promql_histogram_quantile(0.5, only_inf, N(only_inf), NULL)));
	/* One finite bucket: rank 2 of 4, 0 + 10 x 2/4 */
	ck_assert(promql_histogram_quantile(0.5, one, N(one), NULL) == 5.0);
	ck_assert(isnan(promql_histogram_quantile(0.5, one, 0, NULL)));
}
END_TEST

START_TEST(test_no_inf_or_no_observations)
{
	struct promql_bucket no_inf[] = { { 1, 10 }, { 2, 20 } };
	struct promql_bucket empty[] = { { 1, 0 }, { 2, 0 }, { INFINITY, 0 } };
	struct promql_bucket negative[] = { { 1, -3 }, { INFINITY, -3 } };
	struct promql_bucket nan_count[] = { { 1, NAN }, { INFINITY, 3 } };

	ck_assert(isnan(promql_histogram_quantile(0.5, no_inf, N(no_inf), NULL)));
	ck_assert(isnan(promql_histogram_quantile(0.5, empty, N(empty), NULL)));
	ck_assert(isnan(promql_histogram_quantile(0.5, negative, N(negative), NULL)));
	ck_assert(isnan(promql_histogram_quantile(0.5, nan_count, N(nan_count), NULL)));
}
END_TEST

START_TEST(test_q_out_of_range)
{
	struct promql_bucket b[] = { { 1, 10 }, { INFINITY, 10 } };

	ck_assert(promql_histogram_quantile(-0.1, b, N(b), NULL) == -INFINITY);
	ck_assert(promql_histogram_quantile(1.1, b, N(b), NULL) == INFINITY);
	ck_assert(isnan(promql_histogram_quantile(NAN, b, N(b), NULL)));
}
END_TEST

/* Counts that go down are forced up to the envelope, and said so. */
START_TEST(test_forced_monotonic)
{
	struct promql_bucket b[] = { { 1, 10 }, { 2, 8 }, { INFINITY, 20 } };
	bool forced = false;

	/* 2 becomes 10; rank 10 is reached in the first bucket: 0 + 1 x 10/10. */
	ck_assert(promql_histogram_quantile(0.5, b, N(b), &forced) == 1.0);
	ck_assert(forced);
}
END_TEST

/* Unsorted input and equal bounds: sorted, and equal bounds added together. */
START_TEST(test_sort_and_merge)
{
	struct promql_bucket b[] = { { INFINITY, 20 }, { 1, 5 }, { 2, 15 }, { 1.0, 5 } };

	/* 1: 10, 2: 15, +Inf: 20; rank 10 ends the first bucket. */
	ck_assert(promql_histogram_quantile(0.5, b, N(b), NULL) == 1.0);
	ck_assert_uint_eq(promql_buckets_normalise(b, N(b)), 3);
}
END_TEST

START_TEST(test_bounds_at_or_below_zero)
{
	struct promql_bucket zero[] = { { 0, 5 }, { 1, 10 }, { INFINITY, 10 } };
	struct promql_bucket neg[] = { { -1, 5 }, { 1, 10 }, { INFINITY, 10 } };

	/* Rank 2 in a first bucket whose bound is 0: that bound. */
	ck_assert(promql_histogram_quantile(0.2, zero, N(zero), NULL) == 0.0);
	/* Rank 7.5: -1 + (1 - -1) x 2.5/5 */
	ck_assert(promql_histogram_quantile(0.75, neg, N(neg), NULL) == 0.0);
	ck_assert(promql_histogram_quantile(0.2, neg, N(neg), NULL) == -1.0);
}
END_TEST

START_TEST(test_counter_increase)
{
	ck_assert(promql_counter_increase(5, 8) == 3);
	ck_assert(promql_counter_increase(5, 5) == 0);
	ck_assert(promql_counter_increase(8, 2) == 2);	/* reset: the newer value alone */
}
END_TEST

START_TEST(test_histogram_interval)
{
	const struct promql_bucket prev[] = { { 1, 5 }, { 2, 10 }, { INFINITY, 10 } };
	const struct promql_bucket cur[] = { { 1, 7 }, { 2, 20 }, { INFINITY, 25 } };
	struct promql_bucket out[3];

	ck_assert_int_eq(promql_histogram_increase(prev, 3, cur, 3, out), PROMQL_INTERVAL);
	ck_assert(out[0].count == 2 && out[1].count == 10 && out[2].count == 15);
	/* Rank 7.5 of 15: 1 + 1 x (7.5 - 2)/(10 - 2) */
	ck_assert(promql_histogram_quantile(0.5, out, 3, NULL) == 1.6875);
}
END_TEST

START_TEST(test_histogram_reset)
{
	const struct promql_bucket prev[] = { { 1, 50 }, { 2, 100 }, { INFINITY, 100 } };
	const struct promql_bucket cur[] = { { 1, 2 }, { 2, 4 }, { INFINITY, 4 } };
	struct promql_bucket out[3];

	ck_assert_int_eq(promql_histogram_increase(prev, 3, cur, 3, out), PROMQL_RESET);
	ck_assert(out[0].count == 2 && out[2].count == 4);
	/* The newer scrape alone: rank 2 of 4 ends the first bucket. */
	ck_assert(promql_histogram_quantile(0.5, out, 3, NULL) == 1.0);
}
END_TEST

START_TEST(test_histogram_first_and_layout)
{
	const struct promql_bucket prev[] = { { 1, 1 }, { INFINITY, 1 } };
	const struct promql_bucket cur[] = { { 1, 2 }, { 2, 4 }, { INFINITY, 4 } };
	const struct promql_bucket moved[] = { { 1.5, 2 }, { INFINITY, 4 } };
	struct promql_bucket out[3];

	ck_assert_int_eq(promql_histogram_increase(NULL, 0, cur, 3, out), PROMQL_LIFETIME);
	ck_assert(out[1].count == 4);
	ck_assert_int_eq(promql_histogram_increase(prev, 2, cur, 3, out), PROMQL_RESET);
	ck_assert_int_eq(promql_histogram_increase(prev, 2, moved, 2, out), PROMQL_RESET);
}
END_TEST

/* Nothing happened between the scrapes: the percentiles are n/a, never 0. */
START_TEST(test_histogram_empty_interval)
{
	const struct promql_bucket same[] = { { 1, 5 }, { 2, 10 }, { INFINITY, 10 } };
	struct promql_bucket out[3];

	ck_assert_int_eq(promql_histogram_increase(same, 3, same, 3, out), PROMQL_INTERVAL);
	ck_assert(isnan(promql_histogram_quantile(0.99, out, 3, NULL)));
}
END_TEST

/* Percentiles never decrease with q, whatever the (finite) counts. */
START_TEST(test_ordered)
{
	struct promql_bucket b[] = { { 0.005, 3 }, { 0.01, 1 }, { 0.1, 7 }, { 1, 7 }, { 10, 30 },
				     { INFINITY, 31 } };
	const double qs[] = { 0.5, 0.9, 0.95, 0.99, 0.999 };
	double last = -INFINITY;

	for (size_t i = 0; i < N(qs); i++) {
		struct promql_bucket c[N(b)];
		double v;

		for (size_t j = 0; j < N(b); j++)
			c[j] = b[j];
		v = promql_histogram_quantile(qs[i], c, N(c), NULL);
		ck_assert(v >= last);
		last = v;
	}
}
END_TEST

/*
 * Found by the fuzz target: 0.001 + 0.009 x 2/2 rounds to 0.010000000000000002,
 * above the bucket's bound 0.01 that a rank in +Inf gives, so the median
 * came out above the 90th percentile. Interpolation stays within its bucket.
 */
START_TEST(test_interpolation_stays_in_bucket)
{
	struct promql_bucket b[] = { { 0.001, 0 }, { 0.01, 2 }, { INFINITY, 4 } };
	struct promql_bucket c[N(b)];
	double median, p90;

	for (size_t j = 0; j < N(b); j++)
		c[j] = b[j];
	median = promql_histogram_quantile(0.5, c, N(c), NULL);
	p90 = promql_histogram_quantile(0.9, b, N(b), NULL);
	ck_assert_msg(median <= 0.01, "median %.17g", median);
	ck_assert(p90 == 0.01);
	ck_assert(median <= p90);
}
END_TEST

static Suite *promql_suite(void)
{
	Suite *s = suite_create("promql");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_interpolation, 0, (int)N(quartet_cases));
	tcase_add_test(tc, test_rank_in_inf);
	tcase_add_test(tc, test_single_bucket);
	tcase_add_test(tc, test_no_inf_or_no_observations);
	tcase_add_test(tc, test_q_out_of_range);
	tcase_add_test(tc, test_forced_monotonic);
	tcase_add_test(tc, test_sort_and_merge);
	tcase_add_test(tc, test_bounds_at_or_below_zero);
	tcase_add_test(tc, test_counter_increase);
	tcase_add_test(tc, test_histogram_interval);
	tcase_add_test(tc, test_histogram_reset);
	tcase_add_test(tc, test_histogram_first_and_layout);
	tcase_add_test(tc, test_histogram_empty_interval);
	tcase_add_test(tc, test_ordered);
	tcase_add_test(tc, test_interpolation_stays_in_bucket);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(promql_suite());
}
