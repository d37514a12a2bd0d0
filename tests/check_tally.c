/*
 * Tally: rows of trackers fed by outcomes. Percentiles are checked against
 * exact nearest-rank values within the tracker's stated 0.05 %.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "source/tally.h"

#define S(x) ((int64_t)(x) * 1000000)

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static double nearest_rank_ms(int64_t *v, size_t n, double pct)
{
	size_t rank = (size_t)ceil(pct / 100.0 * (double)n);

	qsort(v, n, sizeof(*v), cmp_i64);
	return (double)v[rank < 1 ? 0 : rank - 1] / 1000.0;
}

static void assert_close(double got, double want)
{
	ck_assert_msg(fabs(got - want) <= want * 0.0005 + 1e-9, "got %.4f, want %.4f", got, want);
}

static const struct metrics_row *row(const struct metrics_snapshot *s, const char *name)
{
	ptrdiff_t i = metrics_row_index(s, name);

	ck_assert_msg(i >= 0, "no row %s", name);
	return &s->rows[i];
}

START_TEST(test_rows_and_counts)
{
	struct tally_options o = { 0 };
	struct tally *t = tally_new(&o);
	struct metrics_snapshot s;
	int64_t lat[3000], lat_a[1000];
	size_t na = 0;

	metrics_init(&s);
	for (int i = 0; i < 3000; i++) {
		const char *key = i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c";
		enum alog_outcome out = i % 3 == 2 ? ALOG_FAILURE : ALOG_OK;

		lat[i] = 1000 + (int64_t)((i * 7919) % 50000);
		if (i % 3 == 0)
			lat_a[na++] = lat[i];
		tally_add(t, key, 1, S(100) + i * 10000, lat[i], out);
	}
	tally_add(t, "a", 1, S(131), -1, ALOG_RATE_LIMITED);
	tally_add(t, "b", 1, S(131), -1, ALOG_REJECTED);
	tally_add(t, "b", 1, S(131), 5000, ALOG_TIMEOUT);
	tally_snapshot(t, S(131), true, &s);
	ck_assert_uint_eq(s.nrows, 3);
	ck_assert_str_eq(s.rows[0].name, "a");
	ck_assert_str_eq(s.rows[2].name, "c");
	ck_assert_int_eq(s.requests.total, 3003);
	ck_assert_int_eq(s.requests.failed, 1003);
	ck_assert_int_eq(s.errors.failures, 1000);
	ck_assert_int_eq(s.errors.rate_limited, 1);
	ck_assert_int_eq(s.errors.breaker_trips, 1);
	ck_assert_int_eq(s.errors.timeouts, 1);
	ck_assert_int_eq(s.errors.validation, METRICS_NONE);
	ck_assert_int_eq(s.latency.count, 3001);	/* the rejected and the rate-limited have none */
	ck_assert_int_eq(row(&s, "a")->snap.requests.total, 1001);
	ck_assert_int_eq(row(&s, "a")->snap.latency.count, 1000);
	assert_close(row(&s, "a")->snap.latency.p50, nearest_rank_ms(lat_a, na, 50));
	assert_close(row(&s, "a")->snap.latency.p95, nearest_rank_ms(lat_a, na, 95));
	assert_close(row(&s, "a")->snap.latency.p99, nearest_rank_ms(lat_a, na, 99));
	{
		int64_t all[3001];

		memcpy(all, lat, sizeof(lat));
		all[3000] = 5000;
		assert_close(s.latency.p99, nearest_rank_ms(all, 3001, 99));
	}
	/* 3001 completions over 31 s of log time. */
	ck_assert(fabs(s.throughput.per_second - 3001.0 / 31.0) < 3001.0 / 31.0 * 0.01);
	ck_assert_int_eq(s.timestamp_ms, 131000);
	metrics_free(&s);
	tally_free(t);
}
END_TEST

START_TEST(test_breaker_inferred)
{
	struct tally_options o = { 0 };
	struct tally *t = tally_new(&o);
	struct metrics_snapshot s;

	metrics_init(&s);
	tally_add(t, "bad", 3, S(1), 100, ALOG_FAILURE);
	tally_add(t, "bad", 3, S(1) + 500000, 100, ALOG_TIMEOUT);
	tally_add(t, "ok", 2, S(1), 100, ALOG_OK);
	tally_add(t, "ok", 2, S(1), 100, ALOG_FAILURE);
	tally_snapshot(t, S(2), true, &s);
	ck_assert_int_eq(row(&s, "bad")->snap.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(row(&s, "bad")->snap.breaker.healthy, 0);
	ck_assert_int_eq(row(&s, "ok")->snap.breaker.state, BREAKER_CLOSED);
	ck_assert(fabs(row(&s, "ok")->snap.breaker.failure_rate - 0.5) < 1e-9);
	ck_assert_int_eq(s.breaker.state, BREAKER_OPEN);	/* the worst row */
	ck_assert_str_eq(s.breaker.recommendation, "1 of 2 rows open");
	/* No request: the state holds, and its age grows. */
	tally_snapshot(t, S(5), true, &s);
	ck_assert_int_eq(row(&s, "bad")->snap.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(row(&s, "bad")->snap.breaker.state_since_ms, 4000);	/* since its first failure */
	/* One success closes it. */
	tally_add(t, "bad", 3, S(6), 100, ALOG_OK);
	tally_snapshot(t, S(7), true, &s);
	ck_assert_int_eq(row(&s, "bad")->snap.breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(row(&s, "bad")->snap.breaker.state_since_ms, 1000);	/* since the success */
	ck_assert_int_eq(s.breaker.state, BREAKER_CLOSED);
	metrics_free(&s);
	tally_free(t);
}
END_TEST

START_TEST(test_rows_cap)
{
	struct tally_options o = { 0 };
	struct tally *t = tally_new(&o);
	struct metrics_snapshot s;
	char key[16];

	metrics_init(&s);
	for (int i = 0; i < TALLY_ROWS_MAX + 10; i++) {
		int n = snprintf(key, sizeof(key), "/p%d", i);

		tally_add(t, key, (size_t)n, S(1), 1000, ALOG_OK);
		tally_add(t, key, (size_t)n, S(1), 1000, ALOG_OK);
	}
	tally_snapshot(t, S(2), true, &s);
	ck_assert_uint_eq(s.nrows, TALLY_ROWS_MAX + 1);
	ck_assert_int_eq(row(&s, TALLY_OTHER)->snap.requests.total, 20);
	ck_assert_int_eq(row(&s, "/p0")->snap.requests.total, 2);
	ck_assert_int_eq(s.requests.total, 2 * (TALLY_ROWS_MAX + 10));
	metrics_free(&s);
	tally_free(t);
}
END_TEST

/* Keys that clean up to the same text stay apart, and what is shown is clean. */
START_TEST(test_row_names_sanitised)
{
	struct tally_options o = { 0 };
	struct tally *t = tally_new(&o);
	struct metrics_snapshot s;
	char err[256];

	metrics_init(&s);
	tally_add(t, "a\x1b[31m", 6, S(1), 1000, ALOG_OK);
	tally_add(t, "a\x1b[31m", 6, S(1), 1000, ALOG_OK);
	tally_add(t, "a\x07[31m", 6, S(1), 1000, ALOG_OK);
	tally_snapshot(t, S(2), true, &s);
	ck_assert_uint_eq(s.nrows, 2);
	ck_assert_str_eq(s.rows[0].name, "a [31m");
	ck_assert_str_eq(s.rows[1].name, "a [31m #2");
	ck_assert_int_eq(metrics_rows_check(&s, err, sizeof(err)), 0);
	metrics_free(&s);
	tally_free(t);
}
END_TEST

START_TEST(test_time_window)
{
	struct tally_options o = { .window_us = S(10) };
	struct tally *t = tally_new(&o);
	struct metrics_snapshot s;
	int64_t recent[100];

	metrics_init(&s);
	/* 10 requests a second for 100 s; the slow ones are old. */
	for (int i = 0; i < 1000; i++) {
		int64_t lat = i < 900 ? 900000 : 1000 + i;

		if (i >= 900)
			recent[i - 900] = lat;
		tally_add(t, "x", 1, S(i / 10) + (i % 10) * 100000, lat, ALOG_OK);
	}
	tally_snapshot(t, S(99) + 900000, true, &s);
	ck_assert_int_eq(s.latency.count, 100);
	assert_close(s.latency.p99, nearest_rank_ms(recent, 100, 99));
	assert_close(s.latency.max, 1.999);
	ck_assert(fabs(s.throughput.per_second - 10.0) < 0.2);
	ck_assert_int_eq(s.requests.total, 1000);	/* counters stay cumulative */
	/* Time passes with no request: the window empties. */
	tally_snapshot(t, S(200), true, &s);
	ck_assert_int_eq(s.latency.count, 0);
	metrics_free(&s);
	tally_free(t);
}
END_TEST

START_TEST(test_count_window)
{
	struct tally_options o = { .window = 10 };
	struct tally *t = tally_new(&o);
	struct metrics_snapshot s;

	metrics_init(&s);
	for (int i = 0; i < 100; i++)
		tally_add(t, "x", 1, S(1) + i, i < 90 ? 500000 : 1000, ALOG_OK);
	tally_snapshot(t, S(2), true, &s);
	ck_assert_int_eq(s.latency.count, 10);
	ck_assert(s.latency.max < 1.01);
	metrics_free(&s);
	tally_free(t);
	o.window = 20000000;
	ck_assert_ptr_null(tally_new(&o));
}
END_TEST

START_TEST(test_no_latency_and_no_rates)
{
	struct tally_options o = { .no_latency = true };
	struct tally *t = tally_new(&o);
	struct metrics_snapshot s;

	metrics_init(&s);
	for (int i = 0; i < 50; i++)
		tally_add(t, "x", 1, S(1) + i * 100000, -1, ALOG_OK);
	tally_snapshot(t, S(6), true, &s);
	ck_assert(isnan(s.latency.p50) && isnan(s.latency.p99));
	ck_assert(s.throughput.per_second > 9.0);
	tally_snapshot(t, S(6), false, &s);
	ck_assert(isnan(s.throughput.per_second));
	metrics_free(&s);
	tally_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tally");
	TCase *tc = tcase_create("tally");

	tcase_add_test(tc, test_rows_and_counts);
	tcase_add_test(tc, test_breaker_inferred);
	tcase_add_test(tc, test_rows_cap);
	tcase_add_test(tc, test_row_names_sanitised);
	tcase_add_test(tc, test_time_window);
	tcase_add_test(tc, test_count_window);
	tcase_add_test(tc, test_no_latency_and_no_rates);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
