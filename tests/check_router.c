/*
 * Check suite for src/formats/router.c: each built-in profile against the
 * fixture exposition written from that router's documentation
 * (tests/fixtures/prom/NAME.prom): --profile auto picks it, and the rows,
 * counters, buckets and breaker states are what the fixture says.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "formats/router.h"

#define U NAN	/* not exposed: unknown */

struct want_row {
	const char *name;
	double requests, failed, timeouts, failures, rate_limited, rejections;
	enum breaker_state breaker;
	const char *word;
	double lat_count;	/* U: no histogram or summary count */
	double max_ms;
};

struct fixture {
	const char *name;
	size_t nrows;
	struct want_row rows[4];
};

static const struct fixture fixtures[] = {
	{ "envoy", 3, {
		{ "backend_a", 1500, 6, 2, 6, 7, 0, BREAKER_CLOSED, "", 1500, U },
		{ "backend_b", 900, 160, 35, 160, 0, 120, BREAKER_OPEN, "", 700, U },
		{ "payments", 312, 10, 0, 10, 0, 0, BREAKER_HALF_OPEN, "", 312, U } } },
	{ "istio", 2, {
		{ "reviews.default.svc.cluster.local", 980, 35, 10, 35, 5, 25, BREAKER_UNKNOWN, "", 980, U },
		{ "ratings.default.svc.cluster.local", 300, 0, 0, 0, 0, 0, BREAKER_UNKNOWN, "", 300, U } } },
	{ "haproxy", 3, {
		{ "ok", 3, 0, U, 0, U, U, BREAKER_CLOSED, "UP", U, 31 },
		{ "bad", 3, 3, U, 3, U, U, BREAKER_CLOSED, "UP", U, 0 },
		{ "down", 3, 3, U, 3, U, U, BREAKER_OPEN, "DOWN", U, 0 } } },
	{ "traefik", 2, {
		{ "whoami@docker", 990, 50, 0, 50, 0, U, BREAKER_OPEN, "", 990, U },
		{ "api@file", 450, 5, 5, 5, 45, U, BREAKER_CLOSED, "", 450, U } } },
	{ "linkerd", 2, {
		{ "emoji-svc", 612, 0, U, 0, U, U, BREAKER_CLOSED, "", 610, U },
		{ "voting-svc", 600, 100, U, 100, U, U, BREAKER_HALF_OPEN, "", 600, U } } },
	{ "ingress-nginx", 2, {
		{ "shop", 1012, 20, 0, 20, 12, U, BREAKER_UNKNOWN, "", 1012, U },
		{ "docs", 103, 3, 3, 3, 0, U, BREAKER_UNKNOWN, "", 103, U } } },
	{ "resilience4j", 3, {
		{ "backendA", 200, 10, 3, 10, U, 0, BREAKER_CLOSED, "", 200, 900 },
		{ "backendB", 0, 0, 0, 0, U, 37, BREAKER_OPEN, "forced_open", 0, 0 },
		{ "backendC", 10, 6, 0, 6, U, 4, BREAKER_HALF_OPEN, "", 10, 2500 } } },
	{ "routertop", 2, {
		{ "chat", 1010, 10, 3, 5, 0, 0, BREAKER_CLOSED, "", 1000, U },
		{ "search", 340, 140, 20, 40, 0, 80, BREAKER_OPEN, "", 200, U } } },
};

static char *read_fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/prom/%s.prom", RT_SRCDIR, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void assert_num(double got, double want, const char *row, const char *what)
{
	if (isnan(want))
		ck_assert_msg(isnan(got), "%s %s: got %g, want unknown", row, what, got);
	else
		ck_assert_msg(fabs(got - want) < 1e-9, "%s %s: got %g, want %g", row, what, got, want);
}

static struct expo *parse_fixture(const char *name)
{
	struct expo *e = expo_new();
	char err[256];
	size_t len;
	char *text = read_fixture(name, &len);

	ck_assert_msg(expo_parse(e, text, len, NULL, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(expo_error_count(e) == 0, "%s: %s", name, expo_error_at(e, 0));
	free(text);
	return e;
}

START_TEST(test_fixture)
{
	const struct fixture *fx = &fixtures[_i];
	struct expo *e = parse_fixture(fx->name);
	struct router_scrape s;
	struct profile p;
	char err[256];

	ck_assert_msg(router_detect(e, &p, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(p.name, fx->name);
	router_scrape_init(&s);
	ck_assert_msg(router_read(&s, &p, NULL, e, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s.nrows, fx->nrows);
	for (size_t i = 0; i < fx->nrows; i++) {
		const struct want_row *w = &fx->rows[i];
		const struct router_row *r = &s.rows[i];

		ck_assert_str_eq(r->name, w->name);
		assert_num(r->requests, w->requests, w->name, "requests");
		assert_num(r->failed, w->failed, w->name, "failed");
		assert_num(r->errors[PROFILE_TIMEOUTS], w->timeouts, w->name, "timeouts");
		assert_num(r->errors[PROFILE_FAILURES], w->failures, w->name, "failures");
		assert_num(r->errors[PROFILE_RATE_LIMITED], w->rate_limited, w->name, "rate-limited");
		assert_num(r->errors[PROFILE_BREAKER_REJECTIONS], w->rejections, w->name, "rejections");
		ck_assert_msg(r->breaker == w->breaker, "%s breaker %d", w->name, r->breaker);
		ck_assert_str_eq(r->breaker_word, w->word);
		assert_num(r->lat_count, w->lat_count, w->name, "latency count");
		assert_num(r->max_ms, w->max_ms, w->name, "max");
	}
	router_scrape_free(&s);
	expo_free(e);
}
END_TEST

/* Histogram buckets are merged per row (over other labels), bounds in ms. */
START_TEST(test_buckets_merged_in_ms)
{
	struct expo *e = parse_fixture("resilience4j");
	struct router_scrape s;
	struct profile p;
	char err[256];
	const struct router_row *a;
	struct promql_bucket b[8];
	double p50;

	ck_assert_int_eq(profile_load("resilience4j", &p, err, sizeof(err)), 0);
	router_scrape_init(&s);
	ck_assert_int_eq(router_read(&s, &p, NULL, e, err, sizeof(err)), 0);
	a = router_row_find(&s, "backendA");
	ck_assert_uint_eq(a->nbuckets, 5);
	ck_assert(a->buckets[1].le == 10.0 && a->buckets[1].count == 30);
	ck_assert(a->buckets[3].le == 1000.0 && a->buckets[3].count == 200);
	ck_assert(isinf(a->buckets[4].le) && a->buckets[4].count == 200);
	assert_num(a->lat_sum_ms, 14500, "backendA", "sum");
	/* Lifetime median: rank 100 of 200 in (10, 100]: 10 + 90 x 70/140 */
	memcpy(b, a->buckets, a->nbuckets * sizeof(*b));
	p50 = promql_histogram_quantile(0.5, b, a->nbuckets, NULL);
	ck_assert(fabs(p50 - 55.0) < 1e-9);
	router_scrape_free(&s);
	expo_free(e);
}
END_TEST

START_TEST(test_envoy_percentile)
{
	struct expo *e = parse_fixture("envoy");
	struct router_scrape s;
	struct profile p;
	char err[256];
	const struct router_row *a;
	struct promql_bucket b[32];

	ck_assert_int_eq(profile_load("envoy", &p, err, sizeof(err)), 0);
	router_scrape_init(&s);
	ck_assert_int_eq(router_read(&s, &p, NULL, e, err, sizeof(err)), 0);
	a = router_row_find(&s, "backend_a");
	ck_assert_uint_eq(a->nbuckets, 20);
	memcpy(b, a->buckets, a->nbuckets * sizeof(*b));
	/* Rank 750: 10 + (25 - 10) x (750 - 500)/(1000 - 500) */
	ck_assert(promql_histogram_quantile(0.5, b, a->nbuckets, NULL) == 17.5);
	router_scrape_free(&s);
	expo_free(e);
}
END_TEST

/* --by another label: rows follow it; selectors with their own row label are left out. */
START_TEST(test_by_label)
{
	struct expo *e = parse_fixture("ingress-nginx");
	struct router_scrape s;
	struct profile p;
	char err[256];

	ck_assert_int_eq(profile_load("ingress-nginx", &p, err, sizeof(err)), 0);
	router_scrape_init(&s);
	ck_assert_int_eq(router_read(&s, &p, "host", e, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.nrows, 2);
	ck_assert_str_eq(s.rows[0].name, "shop.example.com");
	assert_num(s.rows[0].requests, 1012, "shop", "requests");
	router_scrape_free(&s);
	expo_free(e);

	e = parse_fixture("linkerd");
	ck_assert_int_eq(profile_load("linkerd", &p, err, sizeof(err)), 0);
	router_scrape_init(&s);
	ck_assert_int_eq(router_read(&s, &p, "dst_deployment", e, err, sizeof(err)), 0);
	ck_assert_uint_eq(s.nrows, 2);
	ck_assert(s.rows[1].breaker == BREAKER_UNKNOWN);	/* its rule names rows by backend_name */
	router_scrape_free(&s);
	expo_free(e);
}
END_TEST

/* An exposition without the profile's families is an error that names them. */
START_TEST(test_missing_families)
{
	struct expo *e = parse_fixture("haproxy");
	struct router_scrape s;
	struct profile p;
	char err[256];

	ck_assert_int_eq(profile_load("envoy", &p, err, sizeof(err)), 0);
	router_scrape_init(&s);
	ck_assert_int_eq(router_read(&s, &p, NULL, e, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "none of the envoy profile's metrics (envoy_cluster_upstream_rq_total, "
			      "envoy_cluster_upstream_rq_time_bucket) in the exposition");
	router_scrape_free(&s);
	ck_assert_int_eq(expo_parse(e, "up 1\n", 5, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq(router_detect(e, &p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "no built-in profile fits this exposition (tried routertop istio linkerd "
			      "envoy haproxy traefik ingress-nginx resilience4j); use --profile FILE");
	expo_free(e);
}
END_TEST

/* The scrape is reused: a second read replaces the first, nothing leaks. */
START_TEST(test_reuse)
{
	struct expo *e = parse_fixture("envoy"), *h = parse_fixture("haproxy");
	struct router_scrape s;
	struct profile pe, ph;
	char err[256];

	ck_assert_int_eq(profile_load("envoy", &pe, err, sizeof(err)), 0);
	ck_assert_int_eq(profile_load("haproxy", &ph, err, sizeof(err)), 0);
	router_scrape_init(&s);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(router_read(&s, &pe, NULL, e, err, sizeof(err)), 0);
		ck_assert_uint_eq(s.nrows, 3);
		ck_assert_int_eq(router_read(&s, &ph, NULL, h, err, sizeof(err)), 0);
		ck_assert_uint_eq(s.nrows, 3);
		ck_assert_str_eq(s.rows[2].name, "down");
		ck_assert_uint_eq(s.rows[0].nbuckets, 0);
	}
	router_scrape_free(&s);
	expo_free(e);
	expo_free(h);
}
END_TEST

static Suite *router_suite(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_fixture, 0, (int)(sizeof(fixtures) / sizeof(fixtures[0])));
	tcase_add_test(tc, test_buckets_merged_in_ms);
	tcase_add_test(tc, test_envoy_percentile);
	tcase_add_test(tc, test_by_label);
	tcase_add_test(tc, test_missing_families);
	tcase_add_test(tc, test_reuse);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(router_suite());
}
