/*
 * Tracker tests. Percentiles are checked against a brute-force sort of the
 * same window (a copy kept here) within the stated 0.05 %; time is advanced
 * by hand.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "sim/tracker.h"

#define SEC 1000000LL		/* microseconds */
#define REL_ERR 0.0005		/* the header's bound: 0.05 % */

/* splitmix64: a small fixed-seed PRNG so the data is the same on every run. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double rng_unit(uint64_t *state)
{
	return ((double)(rng_next(state) >> 11) + 0.5) / 9007199254740992.0;
}

static double rng_normal(uint64_t *state)
{
	double u1 = rng_unit(state), u2 = rng_unit(state);

	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

enum dist { DIST_UNIFORM, DIST_LOGNORMAL, DIST_HEAVY, DIST_SMALL };

static int64_t draw(enum dist d, uint64_t *state)
{
	switch (d) {
	case DIST_UNIFORM:	/* 0 .. 500 ms */
		return (int64_t)(rng_next(state) % 500001);
	case DIST_LOGNORMAL:	/* median 45 ms, P99 around 460 ms */
		return (int64_t)(45000.0 * exp(1.0 * rng_normal(state)));
	case DIST_HEAVY: {	/* Pareto, alpha 0.6: a few reach past the 1 h range */
		double x = 1000.0 / pow(rng_unit(state), 1.0 / 0.6);

		return x > 1e12 ? (int64_t)1e12 : (int64_t)x;
	}
	case DIST_SMALL:	/* 0 .. 3000 us: across the exact/log boundary */
		return (int64_t)(rng_next(state) % 3001);
	}
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t clamp_ref(int64_t v)
{
	return v < 0 ? 0 : v > TRACKER_MAX_LATENCY_US ? TRACKER_MAX_LATENCY_US : v;
}

static void assert_close(const char *what, double got, double exact)
{
	ck_assert_msg(fabs(got - exact) <= REL_ERR * exact,
		      "%s: got %.3f, exact %.3f (error %.5f %%)", what, got, exact,
		      exact > 0 ? 100.0 * fabs(got - exact) / exact : 0.0);
}

/* Compare the tracker with a sorted copy of the reference window ref[0..n). */
static void check_against(const struct tracker *t, const int64_t *ref, size_t n)
{
	static const struct { unsigned permille; const char *name; } ps[] = {
		{ 500, "p50" }, { 900, "p90" }, { 950, "p95" }, { 990, "p99" }, { 999, "p999" },
	};
	int64_t *sorted = malloc(n * sizeof(*sorted));
	struct tracker_stats st;
	double got[5];
	long double sum = 0;

	ck_assert_ptr_nonnull(sorted);
	memcpy(sorted, ref, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_i64);
	tracker_stats(t, &st);
	ck_assert_uint_eq(st.count, n);
	got[0] = st.p50;
	got[1] = st.p90;
	got[2] = st.p95;
	got[3] = st.p99;
	got[4] = st.p999;
	for (size_t i = 0; i < 5; i++) {
		/* Nearest rank by the definition: smallest k with k >= n * p. */
		size_t k = 1;

		while ((double)k < (double)n * ps[i].permille / 1000.0 - 1e-9)
			k++;
		assert_close(ps[i].name, got[i], (double)sorted[k - 1]);
	}
	assert_close("min", st.min, (double)sorted[0]);
	assert_close("max", st.max, (double)sorted[n - 1]);
	for (size_t i = 0; i < n; i++)
		sum += sorted[i];
	ck_assert_msg(fabsl((long double)st.avg - sum / n) <= 1e-9L * (sum / n) + 1e-9L,
		      "avg: got %f, exact %Lf", st.avg, sum / n);
	free(sorted);
}

static const struct {
	size_t window;
	enum dist dist;
	size_t samples;
} random_cases[] = {
	{ 1, DIST_LOGNORMAL, 50 },
	{ 7, DIST_UNIFORM, 100 },
	{ 100, DIST_UNIFORM, 1000 },
	{ 100, DIST_LOGNORMAL, 1000 },
	{ 1000, DIST_HEAVY, 5000 },
	{ 1000, DIST_SMALL, 5000 },
	{ 10000, DIST_LOGNORMAL, 30000 },
	{ 10000, DIST_HEAVY, 30000 },
	{ 10000, DIST_UNIFORM, 25000 },
	{ 100000, DIST_LOGNORMAL, 250000 },
};

/* Feed random data and compare at several points, before and after the window fills. */
START_TEST(test_random_vs_sort)
{
	size_t window = random_cases[_i].window, total = random_cases[_i].samples;
	size_t step = total / 7 + 1;
	struct tracker *t = tracker_new(window);
	int64_t *ref = malloc(window * sizeof(*ref));
	uint64_t state = 42 + (uint64_t)_i;
	size_t pos = 0, len = 0;

	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_nonnull(ref);
	for (size_t i = 1; i <= total; i++) {
		int64_t v = draw(random_cases[_i].dist, &state);

		tracker_record(t, (int64_t)i * 1000, v);
		ref[pos] = clamp_ref(v);
		pos = (pos + 1) % window;
		if (len < window)
			len++;
		if (i % step == 0 || i == total)
			check_against(t, ref, len);
	}
	free(ref);
	tracker_free(t);
}
END_TEST

/* Ascending values through a window of 3: the oldest leaves first. */
START_TEST(test_eviction_order)
{
	struct tracker *t = tracker_new(3);
	struct tracker_stats st;

	for (int64_t v = 1; v <= 10; v++) {
		tracker_record(t, v * SEC, v * 100);
		tracker_stats(t, &st);
		ck_assert_uint_eq(st.count, v < 3 ? (uint64_t)v : 3);
		ck_assert_double_eq(st.max, (double)(v * 100));
		ck_assert_double_eq(st.min, (double)((v > 3 ? v - 2 : 1) * 100));
		ck_assert_double_eq(st.avg, (double)((v > 3 ? v - 1 : (v + 1) / 2.0) * 100));
	}
	/* Descending from here: the large ones leave one by one. */
	tracker_record(t, 11 * SEC, 5);
	tracker_stats(t, &st);
	ck_assert_double_eq(st.max, 1000);
	ck_assert_double_eq(st.min, 5);
	tracker_record(t, 12 * SEC, 4);
	tracker_stats(t, &st);
	ck_assert_double_eq(st.max, 1000);
	tracker_record(t, 13 * SEC, 3);
	tracker_stats(t, &st);
	ck_assert_double_eq(st.max, 5);
	ck_assert_double_eq(st.min, 3);
	ck_assert_double_eq(st.p50, 4);
	tracker_free(t);
}
END_TEST

static void assert_all_nan(const struct tracker_stats *st)
{
	ck_assert_uint_eq(st->count, 0);
	ck_assert(isnan(st->p50) && isnan(st->p90) && isnan(st->p95));
	ck_assert(isnan(st->p99) && isnan(st->p999));
	ck_assert(isnan(st->min) && isnan(st->max) && isnan(st->avg));
}

START_TEST(test_empty)
{
	struct tracker *t = tracker_new(TRACKER_DEFAULT_WINDOW);
	struct tracker_stats st;

	memset(&st, 0, sizeof(st));
	st.count = 99;
	tracker_stats(t, &st);
	assert_all_nan(&st);
	ck_assert_double_eq(tracker_throughput(t, 0), 0.0);
	ck_assert_double_eq(tracker_throughput(t, 500 * SEC), 0.0);
	tracker_free(t);
}
END_TEST

static void assert_all_stats(const struct tracker_stats *st, double v)
{
	ck_assert_double_eq(st->p50, v);
	ck_assert_double_eq(st->p90, v);
	ck_assert_double_eq(st->p95, v);
	ck_assert_double_eq(st->p99, v);
	ck_assert_double_eq(st->p999, v);
	ck_assert_double_eq(st->min, v);
	ck_assert_double_eq(st->max, v);
}

START_TEST(test_one_sample)
{
	struct tracker *t = tracker_new(100);
	struct tracker_stats st;

	tracker_record(t, SEC, 1234);
	tracker_stats(t, &st);
	ck_assert_uint_eq(st.count, 1);
	assert_all_stats(&st, 1234);	/* below 2048 us: exact */
	ck_assert_double_eq(st.avg, 1234);
	tracker_free(t);
}
END_TEST

START_TEST(test_all_equal)
{
	struct tracker *t = tracker_new(1000);
	struct tracker_stats st;

	for (int i = 0; i < 5000; i++)
		tracker_record(t, i, 777);
	tracker_stats(t, &st);
	ck_assert_uint_eq(st.count, 1000);
	assert_all_stats(&st, 777);
	ck_assert_double_eq(st.avg, 777);

	/* Above 2048 us: one bucket's midpoint, within the bound, the same for all. */
	for (int i = 0; i < 1000; i++)
		tracker_record(t, 5000 + i, 45000);
	tracker_stats(t, &st);
	assert_close("p50", st.p50, 45000);
	assert_all_stats(&st, st.p50);
	ck_assert_double_eq(st.avg, 45000);
	tracker_free(t);
}
END_TEST

START_TEST(test_zero_and_negative)
{
	struct tracker *t = tracker_new(10);
	struct tracker_stats st;

	tracker_record(t, 1, 0);
	tracker_record(t, 2, -5);	/* counts as 0 */
	tracker_record(t, 3, INT64_MIN);
	tracker_stats(t, &st);
	ck_assert_uint_eq(st.count, 3);
	assert_all_stats(&st, 0);
	ck_assert_double_eq(st.avg, 0);
	tracker_record(t, 4, 1);
	tracker_stats(t, &st);
	ck_assert_double_eq(st.max, 1);
	ck_assert_double_eq(st.avg, 0.25);
	tracker_free(t);
}
END_TEST

START_TEST(test_above_range)
{
	struct tracker *t = tracker_new(10);
	struct tracker_stats st;

	tracker_record(t, 1, TRACKER_MAX_LATENCY_US + 1);
	tracker_record(t, 2, 5000LL * 1000 * 1000);
	tracker_record(t, 3, INT64_MAX);
	tracker_stats(t, &st);
	ck_assert_uint_eq(st.count, 3);
	assert_close("p50", st.p50, (double)TRACKER_MAX_LATENCY_US);
	assert_all_stats(&st, st.p50);
	ck_assert_double_eq(st.avg, (double)TRACKER_MAX_LATENCY_US);	/* clamped, exactly */
	tracker_record(t, 4, TRACKER_MAX_LATENCY_US);	/* the largest kept: same bucket */
	tracker_stats(t, &st);
	assert_all_stats(&st, st.p50);
	tracker_free(t);
}
END_TEST

START_TEST(test_window_one)
{
	struct tracker *t = tracker_new(1);
	struct tracker_stats st;
	static const int64_t vals[] = { 5, 2000, 0, 1500, 7 };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		tracker_record(t, (int64_t)i, vals[i]);
		tracker_stats(t, &st);
		ck_assert_uint_eq(st.count, 1);
		assert_all_stats(&st, (double)vals[i]);
		ck_assert_double_eq(st.avg, (double)vals[i]);
	}
	tracker_free(t);
}
END_TEST

START_TEST(test_new_bounds)
{
	struct tracker *t;

	ck_assert_ptr_null(tracker_new(0));
	ck_assert_ptr_null(tracker_new((size_t)TRACKER_MAX_WINDOW + 1));
	ck_assert_ptr_null(tracker_new(SIZE_MAX));
	t = tracker_new(TRACKER_MAX_WINDOW);
	ck_assert_ptr_nonnull(t);
	tracker_record(t, 0, 10);
	tracker_record(t, 1, 30);
	{
		struct tracker_stats st;

		tracker_stats(t, &st);
		ck_assert_uint_eq(st.count, 2);
		ck_assert_double_eq(st.p50, 10);
		ck_assert_double_eq(st.p90, 30);
	}
	tracker_free(t);
	tracker_free(NULL);
}
END_TEST

/* Nearest rank at the edges: 99.9 % of 1000 is rank 999, of 1001 rank 1000. */
START_TEST(test_rank_edges)
{
	struct tracker *t = tracker_new(2000);
	struct tracker_stats st;

	for (int64_t v = 1; v <= 1000; v++)
		tracker_record(t, v, v);
	tracker_stats(t, &st);
	ck_assert_double_eq(st.p50, 500);
	ck_assert_double_eq(st.p90, 900);
	ck_assert_double_eq(st.p95, 950);
	ck_assert_double_eq(st.p99, 990);
	ck_assert_double_eq(st.p999, 999);
	tracker_record(t, 1001, 1001);
	tracker_stats(t, &st);
	ck_assert_double_eq(st.p50, 501);
	ck_assert_double_eq(st.p999, 1000);
	tracker_free(t);
}
END_TEST

/* One completion a second from t0 + 0 s to t0 + last s. */
static struct tracker *per_second(int64_t t0, int last)
{
	struct tracker *t = tracker_new(100);

	for (int s = 0; s <= last; s++)
		tracker_record(t, t0 + s * SEC, 10);
	return t;
}

START_TEST(test_throughput_first_seconds)
{
	const int64_t t0 = 1000 * SEC;
	struct tracker *t = tracker_new(100);

	for (int i = 0; i < 10; i++)
		tracker_record(t, t0, 10);
	/* Less than a second in: divided by 1 s, the count so far. */
	ck_assert_double_eq(tracker_throughput(t, t0), 10.0);
	ck_assert_double_eq(tracker_throughput(t, t0 + SEC / 2), 10.0);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 2 * SEC), 5.0, 1e-9);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 40 * SEC), 0.25, 1e-9);
	tracker_free(t);
}
END_TEST

START_TEST(test_throughput_before_60)
{
	const int64_t t0 = 1000 * SEC;
	struct tracker *t = per_second(t0, 59);	/* 60 completions */

	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 59 * SEC), 60.0 / 59.0, 1e-9);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 59 * SEC + SEC / 2), 60.0 / 59.5, 1e-9);
	/* Just before 60 s the first completion still counts. */
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 60 * SEC - 1), 60.0 / 59.999999, 1e-9);
	tracker_free(t);
}
END_TEST

START_TEST(test_throughput_at_60)
{
	const int64_t t0 = 1000 * SEC;
	struct tracker *t = per_second(t0, 59);

	/* The window is (now - 60 s, now]: the completion at t0 has just left. */
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 60 * SEC), 59.0 / 60.0, 1e-9);
	tracker_record(t, t0 + 60 * SEC, 10);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 60 * SEC), 1.0, 1e-9);
	tracker_free(t);
}
END_TEST

START_TEST(test_throughput_after_60)
{
	const int64_t t0 = 1000 * SEC;
	struct tracker *t = per_second(t0, 90);

	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 90 * SEC), 1.0, 1e-9);
	/* Ten seconds on with nothing new: completions at t0+31..t0+40 s have left. */
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 100 * SEC), 50.0 / 60.0, 1e-9);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 149 * SEC), 1.0 / 60.0, 1e-9);
	/* Asking does not change the tracker. */
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 90 * SEC), 1.0, 1e-9);
	tracker_free(t);
}
END_TEST

START_TEST(test_throughput_gap)
{
	const int64_t t0 = 1000 * SEC;
	struct tracker *t = per_second(t0, 90);

	ck_assert_double_eq(tracker_throughput(t, t0 + 150 * SEC), 0.0);
	ck_assert_double_eq(tracker_throughput(t, t0 + 151 * SEC), 0.0);
	ck_assert_double_eq(tracker_throughput(t, t0 + 10000 * SEC), 0.0);
	/* A completion after the gap counts alone, over a full 60 s. */
	tracker_record(t, t0 + 200 * SEC, 10);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 200 * SEC), 1.0 / 60.0, 1e-12);
	/* A gap shorter than the window but longer than the head's slot. */
	for (int i = 0; i < 30; i++)
		tracker_record(t, t0 + 230 * SEC, 10);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 230 * SEC), 31.0 / 60.0, 1e-12);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 260 * SEC), 30.0 / 60.0, 1e-12);
	ck_assert_double_eq(tracker_throughput(t, t0 + 290 * SEC), 0.0);
	tracker_free(t);
}
END_TEST

/* The 100 ms slots: within one slot, completions share their fate. */
START_TEST(test_throughput_slots)
{
	struct tracker *t = tracker_new(100);

	tracker_record(t, 5 * SEC + 1000, 10);		/* slot [5.0, 5.1) s */
	tracker_record(t, 5 * SEC + 99999, 10);
	tracker_record(t, 100 * SEC, 10);		/* forces a full 60 s divisor */
	ck_assert_double_eq_tol(tracker_throughput(t, 100 * SEC), 1.0 / 60.0, 1e-12);
	tracker_free(t);

	t = tracker_new(100);
	tracker_record(t, 0, 10);			/* so the divisor is 60 s */
	tracker_record(t, 5 * SEC + 1000, 10);
	tracker_record(t, 5 * SEC + 99999, 10);
	tracker_record(t, 64 * SEC, 10);
	/* At 65 s - 1 us both early ones are inside their slot's 60 s. */
	ck_assert_double_eq_tol(tracker_throughput(t, 65 * SEC - 1), 3.0 / 60.0, 1e-12);
	/* At 65 s the slot's 60 s are over: both leave, though one is 59.9 s old. */
	ck_assert_double_eq_tol(tracker_throughput(t, 65 * SEC), 1.0 / 60.0, 1e-12);
	tracker_free(t);
}
END_TEST

START_TEST(test_throughput_out_of_order)
{
	const int64_t t0 = 1000 * SEC;
	struct tracker *t = tracker_new(100);

	tracker_record(t, t0 + 100 * SEC, 10);
	tracker_record(t, t0 + 90 * SEC, 10);	/* late, but inside the window */
	tracker_record(t, t0 + 30 * SEC, 10);	/* older than the window: not counted */
	tracker_record(t, t0 + 40 * SEC, 10);	/* exactly 60 s older: its slot shares the head's place */
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 100 * SEC), 2.0 / 60.0, 1e-12);
	/* A now before the newest completion is taken as that completion's slot. */
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 95 * SEC), 2.0 / 60.0, 1e-12);
	/* The late one leaves 60 s after its own time. */
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 150 * SEC), 1.0 / 60.0, 1e-12);
	tracker_free(t);
}
END_TEST

/* Negative virtual times work the same (the slots floor, not truncate). */
START_TEST(test_throughput_negative_time)
{
	struct tracker *t = per_second(-30 * SEC, 59);

	ck_assert_double_eq_tol(tracker_throughput(t, 29 * SEC), 60.0 / 59.0, 1e-9);
	ck_assert_double_eq_tol(tracker_throughput(t, 30 * SEC), 59.0 / 60.0, 1e-9);
	tracker_free(t);

	/* -50 ms is in slot [-100 ms, 0), which has left by 59.9 s. */
	t = tracker_new(10);
	tracker_record(t, -50000, 10);
	tracker_record(t, 59900000, 10);
	ck_assert_double_eq_tol(tracker_throughput(t, 59900000), 1.0 / 59.95, 1e-12);
	tracker_free(t);
}
END_TEST

START_TEST(test_counters)
{
	struct tracker *t = tracker_new(10);

	for (int c = 0; c < TRACKER_COUNTER_COUNT; c++)
		ck_assert_uint_eq(tracker_counter(t, (enum tracker_counter)c), 0);
	for (int c = 0; c < TRACKER_COUNTER_COUNT; c++)
		for (int i = 0; i <= c; i++)
			tracker_count(t, (enum tracker_counter)c);
	for (int c = 0; c < TRACKER_COUNTER_COUNT; c++)
		ck_assert_uint_eq(tracker_counter(t, (enum tracker_counter)c), (uint64_t)c + 1);
	/* Recording a latency touches no counter: the caller counts outcomes. */
	tracker_record(t, 0, 10);
	ck_assert_uint_eq(tracker_counter(t, TRACKER_REQUESTS), 1);
	/* Out-of-range counters are ignored and read as 0. */
	tracker_count(t, TRACKER_COUNTER_COUNT);
	tracker_count(t, (enum tracker_counter)-1);
	ck_assert_uint_eq(tracker_counter(t, TRACKER_COUNTER_COUNT), 0);
	ck_assert_uint_eq(tracker_counter(t, (enum tracker_counter)-1), 0);
	for (int c = 0; c < TRACKER_COUNTER_COUNT; c++)
		ck_assert_uint_eq(tracker_counter(t, (enum tracker_counter)c), (uint64_t)c + 1);
	tracker_free(t);
}
END_TEST

START_TEST(test_reset_window)
{
	const int64_t t0 = 1000 * SEC;
	struct tracker *t = per_second(t0, 90);
	struct tracker_stats st;

	tracker_count(t, TRACKER_TIMEOUTS);
	tracker_count(t, TRACKER_TIMEOUTS);
	tracker_reset_window(t);
	tracker_stats(t, &st);
	assert_all_nan(&st);
	ck_assert_double_eq(tracker_throughput(t, t0 + 90 * SEC), 0.0);
	ck_assert_uint_eq(tracker_counter(t, TRACKER_TIMEOUTS), 2);

	/* Afterwards the window fills and the first seconds start again. */
	tracker_record(t, t0 + 91 * SEC, 3000);
	tracker_record(t, t0 + 91 * SEC, 1000);
	tracker_stats(t, &st);
	ck_assert_uint_eq(st.count, 2);
	ck_assert_double_eq(st.min, 1000);
	ck_assert_double_eq(st.p50, 1000);
	ck_assert_double_eq(st.avg, 2000);
	ck_assert_double_eq(tracker_throughput(t, t0 + 91 * SEC), 2.0);
	ck_assert_double_eq_tol(tracker_throughput(t, t0 + 95 * SEC), 0.5, 1e-12);
	/* Eviction still works from the restarted ring (window 100). */
	for (int i = 0; i < 100; i++)
		tracker_record(t, t0 + 96 * SEC, 50);
	tracker_stats(t, &st);
	ck_assert_uint_eq(st.count, 100);
	ck_assert_double_eq(st.max, 50);
	tracker_free(t);
}
END_TEST

/*
 * A plain model of the throughput window (design in tracker.h): the slot of
 * every completion it accepted, the newest slot, and the first time.
 */
#define REF_SLOT_US 100000
#define REF_SLOTS 600
#define REF_MAX 20000

struct ref_throughput {
	int64_t slots[REF_MAX];
	size_t n;
	bool any;
	int64_t head, first_us;
};

static int64_t floor_slot(int64_t us)
{
	return us / REF_SLOT_US - (us % REF_SLOT_US < 0);
}

static void ref_record(struct ref_throughput *r, int64_t now_us)
{
	int64_t slot = floor_slot(now_us);

	if (!r->any) {
		r->any = true;
		r->first_us = now_us;
		r->head = slot;
	} else if (now_us < r->first_us) {
		r->first_us = now_us;
	}
	if (slot > r->head)
		r->head = slot;
	else if (slot <= r->head - REF_SLOTS)
		return;
	ck_assert_uint_lt(r->n, REF_MAX);
	r->slots[r->n++] = slot;
}

static double ref_rate(const struct ref_throughput *r, int64_t now_us)
{
	int64_t now_slot = floor_slot(now_us);
	double count = 0, elapsed;

	if (!r->any)
		return 0;
	if (now_slot < r->head) {
		now_slot = r->head;
		now_us = r->head * REF_SLOT_US;
	}
	if (now_slot - r->head >= REF_SLOTS)
		return 0;
	for (size_t i = 0; i < r->n; i++)
		count += r->slots[i] > now_slot - REF_SLOTS;
	elapsed = (double)(now_us - r->first_us) / 1e6;
	elapsed = elapsed > 60 ? 60 : elapsed < 1 ? 1 : elapsed;
	return count / elapsed;
}

/* The clock: small steps, several to a slot (the fast path), now and then a gap. */
static int64_t next_time(int64_t now, uint64_t *state)
{
	if (rng_next(state) % 1000 < 3)
		return now + (int64_t)(rng_next(state) % (70 * SEC));
	return now + (int64_t)(rng_next(state) % 3000);
}

/* A completion at now mostly; some late ones, up to 70 s (past the window). */
static int64_t completion_time(int64_t now, uint64_t *state)
{
	if (rng_next(state) % 100 < 5)
		return now - (int64_t)(rng_next(state) % (70 * SEC));
	return now;
}

/* In range mostly (the fast path), sometimes below 0 or above the hour. */
static int64_t next_latency(uint64_t *state)
{
	uint64_t r = rng_next(state) % 100;

	if (r < 5)
		return -(int64_t)(rng_next(state) % 100000) - 1;
	if (r < 10)
		return TRACKER_MAX_LATENCY_US + 1 + (int64_t)(rng_next(state) % TRACKER_MAX_LATENCY_US);
	return draw(DIST_LOGNORMAL, state);
}

/*
 * tracker_record has a fast path (full window, latency in range, completion
 * in the newest 100 ms slot) and a slow one for everything else; random
 * mixtures of both, across negative times, must agree with the sorted
 * window and the model of the throughput window.
 */
static const size_t path_windows[] = { 1, 5, 64, 1000 };

START_TEST(test_fast_and_slow_paths)
{
	size_t window = path_windows[_i];
	struct tracker *t = tracker_new(window);
	struct ref_throughput *ref = calloc(1, sizeof(*ref));
	int64_t *win = malloc(window * sizeof(*win));
	uint64_t state = 7 + (uint64_t)_i;
	int64_t now = -2 * SEC;
	size_t pos = 0, len = 0;

	ck_assert_ptr_nonnull(ref);
	ck_assert_ptr_nonnull(win);
	for (int i = 1; i <= 15000; i++) {
		int64_t lat = next_latency(&state), at;

		now = next_time(now, &state);
		at = completion_time(now, &state);
		tracker_record(t, at, lat);
		ref_record(ref, at);
		win[pos] = clamp_ref(lat);
		pos = (pos + 1) % window;
		len += len < window;
		if (i % 1499 == 0) {
			int64_t later = now + (int64_t)(rng_next(&state) % (90 * SEC));

			check_against(t, win, len);
			ck_assert_double_eq_tol(tracker_throughput(t, now), ref_rate(ref, now), 1e-9);
			ck_assert_double_eq_tol(tracker_throughput(t, later), ref_rate(ref, later), 1e-9);
		}
	}
	free(win);
	free(ref);
	tracker_free(t);
}
END_TEST

/* The lifetime histogram: counts at the bounds from 1 ms to 60 s, exact while harvested in time. */
START_TEST(test_histogram_exact)
{
	struct tracker *t = tracker_new(100);
	struct metrics_histogram h;
	const int64_t lat[] = { 500, 1000, 1001, 2000, 2500, 70000000 };

	tracker_histogram(t, &h);
	ck_assert(h.known);
	ck_assert_uint_eq(h.count[METRICS_HIST_BOUNDS], 0);
	for (size_t i = 0; i < sizeof(lat) / sizeof(lat[0]); i++)
		tracker_record(t, (int64_t)i * 1000, lat[i]);
	tracker_histogram(t, &h);
	ck_assert_uint_eq(h.count[0], 2);	/* <= 1 ms: 500 and 1000 us */
	ck_assert_uint_eq(h.count[1], 5);	/* <= 2.5 ms */
	ck_assert_uint_eq(h.count[METRICS_HIST_BOUNDS - 1], 5);	/* <= 60 s */
	ck_assert_uint_eq(h.count[METRICS_HIST_BOUNDS], 6);	/* +Inf: 70 s too */
	ck_assert(h.sum_ms == (500 + 1000 + 1001 + 2000 + 2500 + 70000000) / 1000.0);
	/* A second call counts only what came since; a reset keeps the counts. */
	tracker_record(t, 10000, 30000);
	tracker_reset_window(t);
	tracker_histogram(t, &h);
	ck_assert_uint_eq(h.count[4], 5);	/* <= 25 ms */
	ck_assert_uint_eq(h.count[5], 6);	/* <= 50 ms: the 30 ms one too */
	ck_assert_uint_eq(h.count[METRICS_HIST_BOUNDS], 7);
	tracker_free(t);
}
END_TEST

/* More than a window between two calls: the count stays exact, the spread is the window's. */
START_TEST(test_histogram_overflow)
{
	struct tracker *t = tracker_new(4);
	struct metrics_histogram h;

	for (int i = 0; i < 10; i++)
		tracker_record(t, i * 1000, i < 6 ? 200000 : 3000);	/* window: four of 3 ms */
	tracker_histogram(t, &h);
	ck_assert_uint_eq(h.count[METRICS_HIST_BOUNDS], 10);
	ck_assert_uint_eq(h.count[2], 10);	/* all counted as the window: <= 5 ms */
	ck_assert_uint_eq(h.count[1], 0);
	ck_assert(fabs(h.sum_ms - 30.0) < 1e-9);
	tracker_free(t);
}
END_TEST

static Suite *tracker_suite(void)
{
	Suite *s = suite_create("tracker");
	TCase *tc = tcase_create("window");
	TCase *tp = tcase_create("throughput");
	TCase *tr = tcase_create("random");

	tcase_add_test(tc, test_eviction_order);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_one_sample);
	tcase_add_test(tc, test_all_equal);
	tcase_add_test(tc, test_zero_and_negative);
	tcase_add_test(tc, test_above_range);
	tcase_add_test(tc, test_window_one);
	tcase_add_test(tc, test_new_bounds);
	tcase_add_test(tc, test_rank_edges);
	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_reset_window);
	tcase_add_test(tc, test_histogram_exact);
	tcase_add_test(tc, test_histogram_overflow);
	suite_add_tcase(s, tc);

	tcase_add_test(tp, test_throughput_first_seconds);
	tcase_add_test(tp, test_throughput_before_60);
	tcase_add_test(tp, test_throughput_at_60);
	tcase_add_test(tp, test_throughput_after_60);
	tcase_add_test(tp, test_throughput_gap);
	tcase_add_test(tp, test_throughput_slots);
	tcase_add_test(tp, test_throughput_out_of_order);
	tcase_add_test(tp, test_throughput_negative_time);
	suite_add_tcase(s, tp);

	tcase_add_loop_test(tr, test_random_vs_sort, 0,
			    (int)(sizeof(random_cases) / sizeof(random_cases[0])));
	tcase_add_loop_test(tr, test_fast_and_slow_paths, 0,
			    (int)(sizeof(path_windows) / sizeof(path_windows[0])));
	tcase_set_timeout(tr, 60);
	suite_add_tcase(s, tr);
	return s;
}

int main(void)
{
	return check_run_suite(tracker_suite());
}
