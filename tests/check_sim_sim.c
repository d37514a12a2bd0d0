#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "sim/scenario.h"
#include "sim/sim.h"

#define S 1000000LL

struct notices {
	char text[256][256];
	int64_t at[256];
	int n;
};

static void keep_notice(void *ctx, int64_t at_us, const char *json)
{
	struct notices *ns = ctx;

	if (ns->n < 256) {
		ns->at[ns->n] = at_us;
		snprintf(ns->text[ns->n], sizeof(ns->text[0]), "%s", json);
		ns->n++;
	}
}

static struct sim *load(const char *name, uint64_t seed)
{
	struct scenario *sc = malloc(sizeof(*sc));
	char err[256] = "";
	struct sim *s;

	ck_assert_msg(scenario_load(name, sc, err, sizeof(err)) == 0, "%s", err);
	s = sim_new(sc, seed);
	free(sc);
	return s;
}

static struct sim *parse(const char *json, uint64_t seed)
{
	struct scenario *sc = malloc(sizeof(*sc));
	char err[256] = "";
	struct sim *s;

	ck_assert_msg(scenario_parse(json, strlen(json), "t", sc, err, sizeof(err)) == 0, "%s", err);
	s = sim_new(sc, seed);
	free(sc);
	return s;
}

static void check_invariants(const struct metrics_snapshot *m)
{
	ck_assert_int_eq(m->requests.total,
			 m->requests.succeeded + m->requests.failed + m->requests.pending);
	ck_assert_int_eq(m->requests.failed,
			 m->errors.breaker_trips + m->errors.rate_limited + m->errors.timeouts +
				 m->errors.failures + m->errors.validation);
	ck_assert_int_eq(m->timestamp_ms, -1);	/* reproducible: no wall time */
}

START_TEST(test_baseline_sequential)
{
	struct sim *s = load("baseline", 1);
	struct metrics_snapshot m = { 0 };

	/* One user: never more than one request in flight. */
	for (int64_t t = 0; !sim_finished(s); t += 10000) {
		sim_run_until(s, t);
		sim_snapshot(s, &m);
		ck_assert_int_le(m.requests.pending, 1);
		check_invariants(&m);
		ck_assert_int_lt(t, 3600 * S);
	}
	ck_assert_uint_eq(sim_requests(s), 100);
	ck_assert_uint_eq(sim_sessions(s), 1);
	sim_snapshot(s, &m);
	ck_assert_int_eq(m.requests.pending, 0);
	ck_assert_int_eq(m.latency.count, 100);
	ck_assert_int_eq(m.active_users, 0);
	ck_assert(m.latency.p50 > 20 && m.latency.p50 < 90);
	metrics_free(&m);
	sim_free(s);
}
END_TEST

static double concurrent_avg(int concurrency, int64_t *end_us)
{
	char json[512];
	struct metrics_snapshot m = { 0 };
	struct sim *s;

	snprintf(json, sizeof(json),
		 "{\"backend\":{\"median_ms\":45,\"p99_ms\":230,\"concurrency\":%d,\"timeout_ms\":100000},"
		 "\"phases\":[{\"users\":10,\"requests\":100,\"think_ms\":10}]}", concurrency);
	s = parse(json, 3);
	*end_us = sim_run_until(s, 3600 * S);
	ck_assert(sim_finished(s));
	ck_assert_uint_eq(sim_requests(s), 1000);
	ck_assert_uint_eq(sim_sessions(s), 10);
	sim_snapshot(s, &m);
	check_invariants(&m);
	ck_assert_int_eq(m.requests.succeeded, 1000);
	metrics_free(&m);
	sim_free(s);
	return m.latency.avg;
}

START_TEST(test_concurrent_latency_grows_under_load)
{
	int64_t end_wide, end_narrow;
	double wide = concurrent_avg(100, &end_wide);
	double narrow = concurrent_avg(2, &end_narrow);

	/* 10 users on 2 workers queue: latency and run time grow. */
	ck_assert_msg(narrow > 2 * wide, "avg %.1f ms on 2 workers, %.1f on 100", narrow, wide);
	ck_assert_int_gt(end_narrow, end_wide);
}
END_TEST

START_TEST(test_concurrent_builtin)
{
	struct sim *s = load("concurrent", 9);
	struct metrics_snapshot m = { 0 };

	sim_run_until(s, 600 * S);
	ck_assert(sim_finished(s));
	ck_assert_uint_eq(sim_requests(s), 1000);
	sim_snapshot(s, &m);
	check_invariants(&m);
	metrics_free(&m);
	sim_free(s);
}
END_TEST

START_TEST(test_ratelimit_rejects)
{
	struct sim *s = load("ratelimit", 5);
	struct metrics_snapshot m = { 0 };

	sim_run_until(s, 5 * S);
	sim_snapshot(s, &m);
	ck_assert_int_eq(m.errors.rate_limited, 0);	/* warm-up is under the limit */
	sim_run_until(s, 15 * S);
	sim_snapshot(s, &m);
	/* 400/s for 10 s against 100/s (+20 burst): about 3,000 rejected. */
	ck_assert_int_gt(m.errors.rate_limited, 2500);
	ck_assert_int_lt(m.errors.rate_limited, 3500);
	check_invariants(&m);
	sim_run_until(s, 3600 * S);
	ck_assert(sim_finished(s));
	ck_assert_int_eq(sim_now_us(s), 20 * S);
	metrics_free(&m);
	sim_free(s);
}
END_TEST

/* The seeds' sequence on the breaker drill: 5 timeouts, open, rejections, half-open, closed. */
START_TEST(test_breaker_drill)
{
	struct sim *s = load("breaker", 42);
	struct notices *ns = calloc(1, sizeof(*ns));
	struct metrics_snapshot m = { 0 };
	int64_t open_at = -1, half_at = -1, closed_at = -1;

	sim_set_notice(s, keep_notice, ns);
	sim_run_until(s, 10 * S);
	sim_snapshot(s, &m);
	ck_assert_int_eq(m.breaker.state, BREAKER_CLOSED);
	ck_assert_str_eq(m.breaker.recommendation, "Service healthy");
	ck_assert_int_eq(m.errors.timeouts, 0);
	/* Timeouts take 1 s to show; 2 users: the 5th lands by 13 s. */
	sim_run_until(s, 14 * S);
	sim_snapshot(s, &m);
	ck_assert_int_eq(m.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(m.breaker.healthy, 0);
	ck_assert_str_eq(m.breaker.recommendation, "Service unavailable - failing fast");
	/* The 5th timeout opened it; the other user's request was already in flight. */
	ck_assert_int_ge(m.errors.timeouts, 5);
	ck_assert_int_le(m.errors.timeouts, 6);
	ck_assert_int_gt(m.errors.breaker_trips, 0);
	sim_run_until(s, 3600 * S);
	ck_assert(sim_finished(s));
	for (int i = 0; i < ns->n; i++) {
		/* The router's own (worst upstream) transitions say whose they were. */
		if (strstr(ns->text[i], "\"type\":\"breaker\"") != NULL &&
		    strstr(ns->text[i], "\"row\":") == NULL) {
			ck_assert_ptr_nonnull(strstr(ns->text[i], "\"reason\":\"llm: "));
			ck_assert_ptr_nonnull(strstr(ns->text[i], "\"derived\":true"));
			continue;
		}
		if (strstr(ns->text[i], "\"to\":\"open\"") && open_at < 0) {
			ck_assert_ptr_nonnull(strstr(ns->text[i],
				"{\"type\":\"breaker\",\"row\":\"llm\",\"from\":\"closed\",\"to\":\"open\","
				"\"reason\":\"5 consecutive failures\",\"open_timeout_ms\":5000,\"at_ms\":"));
			open_at = ns->at[i];
		} else if (strstr(ns->text[i], "\"to\":\"half-open\"") && half_at < 0) {
			half_at = ns->at[i];
		} else if (strstr(ns->text[i], "\"to\":\"closed\"")) {
			ck_assert_ptr_nonnull(strstr(ns->text[i], "\"reason\":\"3 trial calls succeeded\""));
			closed_at = ns->at[i];
		}
	}
	ck_assert_int_gt(open_at, 10 * S);
	ck_assert_int_eq(half_at, open_at + 5 * S);	/* exactly the open timeout */
	ck_assert_int_gt(closed_at, 22 * S);		/* only after the failing phase */
	sim_snapshot(s, &m);
	ck_assert_int_eq(m.breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(m.breaker.state_since_ms, (sim_now_us(s) - closed_at) / 1000);
	check_invariants(&m);
	free(ns);
	metrics_free(&m);
	sim_free(s);
}
END_TEST

START_TEST(test_phase_and_fault_notices)
{
	struct sim *s = load("breaker", 1);
	struct notices *ns = calloc(1, sizeof(*ns));

	sim_set_notice(s, keep_notice, ns);
	sim_run_until(s, 10 * S - 1);
	ck_assert_int_eq(ns->n, 1);
	sim_run_until(s, 10 * S);
	ck_assert_int_eq(ns->n, 3);
	ck_assert_str_eq(ns->text[0], "{\"type\":\"phase\",\"name\":\"healthy\",\"index\":0,\"at_ms\":0}");
	ck_assert_str_eq(ns->text[1], "{\"type\":\"phase\",\"name\":\"failing\",\"index\":1,\"at_ms\":10000}");
	ck_assert_str_eq(ns->text[2], "{\"type\":\"faults\",\"row\":\"llm\",\"phase\":\"failing\","
				      "\"failure\":0,\"timeout\":1,\"validation\":0,\"at_ms\":10000}");
	free(ns);
	sim_free(s);
}
END_TEST

START_TEST(test_set_faults_any_moment)
{
	struct sim *s = load("baseline", 1);
	struct notices *ns = calloc(1, sizeof(*ns));
	struct fault_config f = { .failure = 1.0 };
	struct metrics_snapshot m = { 0 };

	sim_set_notice(s, keep_notice, ns);
	sim_run_until(s, 2 * S);
	sim_set_faults(s, 0, &f);
	ck_assert_ptr_nonnull(strstr(ns->text[ns->n - 1], "\"type\":\"faults\""));
	ck_assert_ptr_nonnull(strstr(ns->text[ns->n - 1], "\"failure\":1"));
	sim_run_until(s, 4 * S);
	sim_snapshot(s, &m);
	ck_assert_int_ge(m.errors.failures, 5);
	ck_assert_int_eq(m.breaker.state, BREAKER_OPEN);
	sim_breaker_force(s, 0, BREAKER_FORCE_CLOSED);
	sim_snapshot(s, &m);
	ck_assert_int_eq(m.breaker.state, BREAKER_CLOSED);
	ck_assert_str_eq(m.breaker.recommendation, "Breaker forced closed - no protection");
	sim_breaker_force(s, 0, BREAKER_FORCE_OPEN);
	sim_snapshot(s, &m);
	ck_assert_str_eq(m.breaker.recommendation, "Service unavailable - forced open");
	sim_breaker_reset(s, 0);
	sim_snapshot(s, &m);
	ck_assert_int_eq(m.breaker.state, BREAKER_CLOSED);
	free(ns);
	metrics_free(&m);
	sim_free(s);
}
END_TEST

/*
 * The operator's faults, straight on the simulator: each change is one
 * notice (none for no change, none for an upstream that is not there);
 * they combine with the phase's (the higher failure rate; timeouts from
 * what the failures leave); the simulator says what is on.
 */
START_TEST(test_operator_faults)
{
	struct sim *s = load("baseline", 1);
	struct notices *ns = calloc(1, sizeof(*ns));
	struct sim_op_faults f = { .failure = 0.5, .timeouts = true }, none = { 0 };
	struct fault_config base = { .timeout = 0.8 };
	struct metrics_snapshot m = { 0 };
	char what[128];
	int n;

	sim_set_notice(s, keep_notice, ns);
	sim_run_until(s, 2 * S);
	n = ns->n;
	ck_assert_int_eq(sim_op_set(s, 0, &f), 2);
	ck_assert_int_eq(ns->n, n + 2);
	ck_assert_str_eq(ns->text[n], "{\"type\":\"fault\",\"fault\":\"failure\",\"text\":\"failure rate 50 %\","
				      "\"at_ms\":2000}");
	ck_assert_str_eq(ns->text[n + 1], "{\"type\":\"fault\",\"fault\":\"timeouts\",\"text\":\"timeouts on: "
					  "50 % of the other calls hang\",\"at_ms\":2000}");
	ck_assert_int_eq(sim_op_set(s, 0, &f), 0);
	ck_assert_int_eq(sim_op_set(s, 7, &f), 0);
	ck_assert_int_eq(ns->n, n + 2);
	ck_assert(sim_op_active(&f));
	ck_assert(!sim_op_active(&none));
	ck_assert_int_eq(sim_op_faults(s, 0).timeouts, true);
	ck_assert_int_eq(sim_op_faults(s, 7).timeouts, false);
	sim_op_describe(s, 0, what, sizeof(what));
	ck_assert_str_eq(what, "failures 50 %, timeouts");
	f.slow = f.surge = true;
	f.breaker = BREAKER_FORCE_CLOSED;
	sim_op_set(s, 0, &f);
	sim_op_describe(s, 0, what, sizeof(what));
	ck_assert_str_eq(what, "failures 50 %, timeouts, latency x10, surge x5, forced closed");
	/* Everything fails or hangs now: the breaker, forced closed, lets it all through. */
	sim_run_until(s, 6 * S);
	sim_snapshot(s, &m);
	ck_assert_int_gt(m.errors.failures, 0);
	ck_assert_int_gt(m.errors.timeouts, 0);
	ck_assert_int_eq(m.breaker.state, BREAKER_CLOSED);
	/* A phase's higher timeout share stays: the operator's adds to it, never lowers it. */
	sim_set_faults(s, 0, &base);
	ck_assert_int_eq(sim_op_set(s, 0, &none), 5);
	sim_op_describe(s, 0, what, sizeof(what));
	ck_assert_str_eq(what, "");
	free(ns);
	metrics_free(&m);
	sim_free(s);
}
END_TEST

static int snap_equal(const struct metrics_snapshot *a, const struct metrics_snapshot *b)
{
	const double da[] = { a->latency.p50, a->latency.p90, a->latency.p95, a->latency.p99,
			      a->latency.p999, a->latency.max, a->latency.min, a->latency.avg,
			      a->throughput.per_second, a->throughput.per_minute,
			      a->breaker.failure_rate, a->breaker.avg_response_ms, a->uptime_s };
	const double db[] = { b->latency.p50, b->latency.p90, b->latency.p95, b->latency.p99,
			      b->latency.p999, b->latency.max, b->latency.min, b->latency.avg,
			      b->throughput.per_second, b->throughput.per_minute,
			      b->breaker.failure_rate, b->breaker.avg_response_ms, b->uptime_s };

	return memcmp(da, db, sizeof(da)) == 0 && a->latency.count == b->latency.count &&
	       memcmp(&a->errors, &b->errors, sizeof(a->errors)) == 0 &&
	       memcmp(&a->requests, &b->requests, sizeof(a->requests)) == 0 &&
	       a->breaker.state == b->breaker.state && a->breaker.healthy == b->breaker.healthy &&
	       a->breaker.state_since_ms == b->breaker.state_since_ms &&
	       strcmp(a->breaker.recommendation, b->breaker.recommendation) == 0 &&
	       a->active_users == b->active_users;
}

/* Same seed, same run, however time is chopped; another seed, another run. */
START_TEST(test_deterministic)
{
	struct sim *a = load("steady", 42), *b = load("steady", 42), *c = load("steady", 43);
	struct metrics_snapshot ma = { 0 }, mb = { 0 }, mc = { 0 };
	int differ = 0;

	for (int64_t t = S; t <= 130 * S; t += S) {
		sim_run_until(a, t);
		for (int64_t u = t - S + 7777; u < t; u += 7777)
			sim_run_until(b, u);
		sim_run_until(b, t);
		sim_run_until(c, t);
		sim_snapshot(a, &ma);
		sim_snapshot(b, &mb);
		sim_snapshot(c, &mc);
		ck_assert_msg(snap_equal(&ma, &mb), "runs differ at %lld us", (long long)t);
		differ += !snap_equal(&ma, &mc);
		check_invariants(&ma);
	}
	ck_assert_int_gt(differ, 100);
	sim_free(a);
	sim_free(b);
	metrics_free(&ma);
	metrics_free(&mb);
	metrics_free(&mc);
	sim_free(c);
}
END_TEST

/* The endless demo shows everything within its first two minutes, and keeps going. */
START_TEST(test_steady_shows_everything)
{
	struct sim *s = load("steady", 42);
	struct notices *ns = calloc(1, sizeof(*ns));
	struct metrics_snapshot m = { 0 };
	int opened = 0, closed = 0;

	sim_set_notice(s, keep_notice, ns);
	sim_run_until(s, 30 * S);
	sim_snapshot(s, &m);
	ck_assert_int_eq(m.breaker.state, BREAKER_CLOSED);
	ck_assert(m.throughput.per_second > 100);
	ck_assert(m.latency.p95 > 50 && m.latency.p95 < 120);	/* healthy: under the warn band */
	ck_assert_int_eq(m.active_users, 30);
	ck_assert_double_eq_tol(m.uptime_s, 30.0, 1e-9);
	sim_run_until(s, 125 * S);
	ck_assert(!sim_finished(s));
	sim_snapshot(s, &m);
	for (int i = 0; i < ns->n; i++) {
		opened += strstr(ns->text[i], "\"to\":\"open\"") != NULL;
		closed += strstr(ns->text[i], "\"from\":\"half-open\",\"to\":\"closed\"") != NULL;
	}
	ck_assert_int_ge(opened, 1);
	ck_assert_int_ge(closed, 1);
	ck_assert_int_gt(m.errors.rate_limited, 0);
	ck_assert_int_gt(m.errors.timeouts, 0);
	ck_assert_int_gt(m.errors.failures, 0);
	ck_assert_int_ge(m.errors.validation, 0);
	ck_assert_int_gt(m.errors.breaker_trips, 0);
	ck_assert_int_eq(m.breaker.state, BREAKER_CLOSED);
	check_invariants(&m);
	/* The four upstreams, and only search had an incident. */
	ck_assert_uint_eq(m.nrows, 4);
	ck_assert_str_eq(m.rows[0].name, "chat");
	ck_assert_str_eq(m.rows[2].name, "search");
	for (size_t i = 0; i < m.nrows; i++) {
		const struct metrics_snapshot *r = &m.rows[i].snap;

		check_invariants(r);
		ck_assert_int_eq(r->errors.rate_limited, 0);	/* the limiter is the router's */
		if (i == 2) {
			ck_assert_int_gt(r->errors.breaker_trips, 0);
			ck_assert_int_gt(r->errors.timeouts, 0);
		} else {
			ck_assert_int_eq(r->errors.breaker_trips, 0);
			ck_assert_int_eq(r->errors.timeouts, 0);
		}
	}
	/* Every request is counted by the router and, unless the limiter took it, by one upstream. */
	{
		int64_t routed = 0;

		for (size_t i = 0; i < m.nrows; i++)
			routed += m.rows[i].snap.requests.total;
		ck_assert_int_eq(routed + m.errors.rate_limited, m.requests.total);
	}
	/* Row transitions carry their row, the router's theirs without one. */
	opened = 0;
	for (int i = 0; i < ns->n; i++) {
		static const char row_search[] = "{\"type\":\"breaker\",\"row\":\"search\",";

		opened += strncmp(ns->text[i], row_search, sizeof(row_search) - 1) == 0;
	}
	ck_assert_int_ge(opened, 2);
	metrics_free(&m);
	free(ns);
	sim_free(s);
}
END_TEST

/* Requests are routed by weight, each upstream measured apart; one seed, one run. */
START_TEST(test_routing_by_weight)
{
	static const char json[] =
		"{\"backend\":{\"median_ms\":2,\"p99_ms\":10,\"concurrency\":100,\"timeout_ms\":1000},"
		"\"upstreams\":[{\"name\":\"a\",\"weight\":3},{\"name\":\"b\"},"
		"{\"name\":\"slow\",\"weight\":2,\"backend\":{\"median_ms\":50,\"p99_ms\":60}}],"
		"\"phases\":[{\"duration_ms\":20000,\"rate\":600}]}";
	struct sim *s = parse(json, 11), *again = parse(json, 11);
	struct metrics_snapshot m = { 0 }, m2 = { 0 };
	int64_t total;

	sim_run_until(s, 20 * S);
	sim_run_until(again, 20 * S);
	sim_snapshot(s, &m);
	sim_snapshot(again, &m2);
	ck_assert(snap_equal(&m, &m2));
	ck_assert(metrics_equal(&m, &m2));
	ck_assert_uint_eq(m.nrows, 3);
	total = m.requests.total;
	ck_assert_int_gt(total, 11000);
	/* Shares 3:1:2 of about 12,000 requests, within a few percent. */
	ck_assert_double_eq_tol((double)m.rows[0].snap.requests.total / (double)total, 0.5, 0.02);
	ck_assert_double_eq_tol((double)m.rows[1].snap.requests.total / (double)total, 1.0 / 6, 0.02);
	ck_assert_double_eq_tol((double)m.rows[2].snap.requests.total / (double)total, 1.0 / 3, 0.02);
	/* Each measured apart: the slow one's P50 is its own, the router's is the mix. */
	ck_assert(m.rows[2].snap.latency.p50 > 40 && m.rows[2].snap.latency.p50 < 60);
	ck_assert(m.rows[0].snap.latency.p50 < 5);
	ck_assert(m.latency.p50 < m.rows[2].snap.latency.p50);
	/* The router's window holds the last 10,000 of them; the rows, theirs each. */
	ck_assert_int_eq(m.latency.count, 10000);
	ck_assert_int_eq(m.rows[0].snap.latency.count + m.rows[1].snap.latency.count +
			 m.rows[2].snap.latency.count, m.requests.succeeded);
	ck_assert_str_eq(m.breaker.recommendation, "Service healthy");
	for (size_t i = 0; i < m.nrows; i++)
		check_invariants(&m.rows[i].snap);
	metrics_free(&m);
	metrics_free(&m2);
	sim_free(s);
	sim_free(again);
}
END_TEST

START_TEST(test_open_loop_sessions)
{
	struct sim *s = parse("{\"phases\":[{\"duration_ms\":10000,\"rate\":100}]}", 4);
	struct metrics_snapshot m = { 0 };

	sim_run_until(s, 3600 * S);
	ck_assert(sim_finished(s));
	ck_assert_int_eq(sim_now_us(s), 10 * S);
	/* Poisson arrivals at 100/s for 10 s: about 1,000, one session each. */
	ck_assert_uint_gt(sim_requests(s), 900);
	ck_assert_uint_lt(sim_requests(s), 1100);
	ck_assert_uint_eq(sim_sessions(s), sim_requests(s));
	sim_snapshot(s, &m);
	ck_assert(m.throughput.per_second > 80 && m.throughput.per_second < 120);
	ck_assert_double_eq_tol(m.throughput.per_minute, m.throughput.per_second * 60, 1e-6);
	metrics_free(&m);
	sim_free(s);
}
END_TEST

START_TEST(test_empty_snapshot_unknowns)
{
	struct sim *s = load("baseline", 1);
	struct metrics_snapshot m = { 0 };

	sim_snapshot(s, &m);
	ck_assert(isnan(m.latency.p50));
	ck_assert(isnan(m.breaker.avg_response_ms));
	ck_assert_int_eq(m.latency.count, 0);
	ck_assert_int_eq(m.requests.total, 0);
	ck_assert_int_eq(m.breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(m.breaker.healthy, 1);
	metrics_free(&m);
	sim_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_sim");
	TCase *tc = tcase_create("sim");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_baseline_sequential);
	tcase_add_test(tc, test_concurrent_latency_grows_under_load);
	tcase_add_test(tc, test_concurrent_builtin);
	tcase_add_test(tc, test_ratelimit_rejects);
	tcase_add_test(tc, test_breaker_drill);
	tcase_add_test(tc, test_phase_and_fault_notices);
	tcase_add_test(tc, test_set_faults_any_moment);
	tcase_add_test(tc, test_operator_faults);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_steady_shows_everything);
	tcase_add_test(tc, test_open_loop_sessions);
	tcase_add_test(tc, test_routing_by_weight);
	tcase_add_test(tc, test_empty_snapshot_unknowns);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
