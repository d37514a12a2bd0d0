/*
 * The fleet source: a profile into the query builder's families, answers
 * into snapshots (instances, down ones, names, an instance's own rows, a
 * range's points), and the source itself against a loopback stand-in for
 * Prometheus' HTTP API (tests/prom_stub.c): a round, each kind of fault
 * with its message, the profile search, the drill-down with its fill, and
 * a loop that never waits on a slow answer.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <math.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_run.h"
#include "formats/profile.h"
#include "formats/promapi.h"
#include "formats/promquery.h"
#include "prom_stub.h"
#include "source/fleet.h"
#include "source/source.h"
#include "util.h"

#define TIMEOUT_MS 700
#define DRIVE_LIMIT_MS 8000

static struct profile routertop_profile(void)
{
	struct profile p;
	char err[256];

	ck_assert_msg(profile_load("routertop", &p, err, sizeof(err)) == 0, "%s", err);
	return p;
}

/* The plan the source builds for a level (by instance, 1m, no --match but extra). */
static void plan_for(const struct profile *p, enum promquery_level level, const char *instance,
		     struct promquery_plan *out)
{
	struct promquery_families f;
	struct promquery_scope s = { .level = level, .by = "instance", .window = "1m" };
	char err[256];

	fleet_families(p, &f);
	if (instance != NULL)
		ck_assert_int_eq(promquery_match_add(&s.match, "instance", PROMQUERY_EQ, instance), 0);
	ck_assert_msg(promquery_plan(&f, &s, out, err, sizeof(err)) == 0, "%s", err);
}

/*
 * A vector answer: pairs of a label set (JSON object text) and a value,
 * ending with NULL. The text lives until VEC_TURNS more calls.
 */
#define VEC_TURNS 32
static char *vec(const char *first, ...)
{
	static char buf[VEC_TURNS][4096];
	static int turn;
	char *out = buf[turn++ % VEC_TURNS];
	size_t at = 0;
	va_list ap;
	const char *labels = first;
	bool any = false;

	at += (size_t)snprintf(out, 4096, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
			       "\"result\":[");
	va_start(ap, first);
	while (labels != NULL) {
		const char *value = va_arg(ap, const char *);

		at += (size_t)snprintf(out + at, 4096 - at, "%s{\"metric\":%s,\"value\":[1700000000,\"%s\"]}",
				       any ? "," : "", labels, value);
		any = true;
		labels = va_arg(ap, const char *);
	}
	va_end(ap);
	snprintf(out + at, 4096 - at, "]}}");
	return out;
}

struct canned {
	const char *name;	/* the query's name in the plan */
	const char *json;
};

/* Parse the canned answers of a plan into a[] (NULL where none is given). */
static void answers(const struct promquery_plan *plan, const struct canned *c, size_t n,
		    struct promapi_answer *store, const struct promapi_answer **a)
{
	char err[256];

	for (int i = 0; i < plan->n; i++) {
		a[i] = NULL;
		for (size_t k = 0; k < n; k++) {
			if (strcmp(plan->q[i].name, c[k].name) != 0)
				continue;
			promapi_init(&store[i]);
			ck_assert_msg(promapi_parse(&store[i], c[k].json, strlen(c[k].json), err,
						    sizeof(err)) == 0, "%s: %s", c[k].name, err);
			a[i] = &store[i];
		}
	}
}

static void answers_free(const struct promquery_plan *plan, struct promapi_answer *store,
			 const struct promapi_answer **a)
{
	for (int i = 0; i < plan->n; i++) {
		if (a[i] != NULL)
			promapi_free(&store[i]);
	}
}

static const struct metrics_snapshot *row(const struct metrics_snapshot *s, const char *name)
{
	ptrdiff_t i = metrics_row_index(s, name);

	ck_assert_msg(i >= 0, "no row %s", name);
	return &s->rows[i].snap;
}

#define A(x) "{\"instance\":\"" x "\"}"
#define AU(x, u) "{\"instance\":\"" x "\",\"upstream\":\"" u "\"}"
#define AUS(x, u, st) "{\"instance\":\"" x "\",\"upstream\":\"" u "\",\"state\":\"" st "\"}"

START_TEST(test_families)
{
	struct profile p = routertop_profile(), envoy;
	struct promquery_families f;
	char err[256];

	fleet_families(&p, &f);
	ck_assert_str_eq(f.row_label, "upstream");
	ck_assert_str_eq(f.detect, "routertop_requests_total");
	ck_assert_int_eq(f.latency, PROMQUERY_LATENCY_HISTOGRAM);
	ck_assert_str_eq(f.latency_sel.metric, "routertop_request_duration_seconds");
	ck_assert(f.has_requests && f.has_failed);
	ck_assert_str_eq(f.errors[PROMQUERY_TIMEOUTS][0].metric, "routertop_errors_total");
	ck_assert_str_eq(f.errors[PROMQUERY_TIMEOUTS][0].m[0].label, "class");
	ck_assert_str_eq(f.errors[PROMQUERY_TIMEOUTS][0].m[0].value, "timeout");
	ck_assert_int_eq(f.nbreakers, 1);
	ck_assert_int_eq(f.breakers[0].mode, PROMQUERY_BREAKER_LABEL);
	ck_assert_str_eq(f.breakers[0].label, "state");

	ck_assert_msg(profile_load("linkerd", &envoy, err, sizeof(err)) == 0, "%s", err);
	fleet_families(&envoy, &f);
	ck_assert_int_eq(f.nbreakers, 2);
	ck_assert_int_eq(f.breakers[0].mode, PROMQUERY_BREAKER_VALUE);
	ck_assert_int_eq(f.breakers[0].agg, PROMQUERY_AGG_SUM);
	ck_assert_str_eq(f.breakers[0].sel.row_label, "backend_name");
	ck_assert_str_eq(f.breakers[1].sel.m[0].value, "pending");
}
END_TEST

struct built {
	struct profile p;
	struct promquery_plan *fleet, *total;
	struct promapi_answer fs[PROMQUERY_PLAN_MAX], ts[PROMQUERY_PLAN_MAX];
	const struct promapi_answer *fa[PROMQUERY_PLAN_MAX], *ta[PROMQUERY_PLAN_MAX];
	struct fleet_builder b;
	struct fleet_seen seen;
	struct metrics_snapshot snap;
	struct fleet_view v;
};

static struct built *built_new(void)
{
	struct built *x = calloc(1, sizeof(*x));

	x->p = routertop_profile();
	x->fleet = malloc(sizeof(*x->fleet));
	x->total = malloc(sizeof(*x->total));
	plan_for(&x->p, PROMQUERY_FLEET, NULL, x->fleet);
	plan_for(&x->p, PROMQUERY_TOTAL, NULL, x->total);
	metrics_init(&x->snap);
	x->v = (struct fleet_view){ &x->p, "instance", "upstream" };
	return x;
}

static void built_run(struct built *x, const struct canned *fc, size_t nf, const struct canned *tc,
		      size_t nt)
{
	struct fleet_answers fa = { x->fleet, x->fa }, ta = { x->total, x->ta };

	answers(x->fleet, fc, nf, x->fs, x->fa);
	answers(x->total, tc, nt, x->ts, x->ta);
	fleet_build_fleet(&x->b, &x->v, &fa, &ta, &x->seen, NAN, &x->snap);
	answers_free(x->fleet, x->fs, x->fa);
	answers_free(x->total, x->ts, x->ta);
}

static void built_free(struct built *x)
{
	metrics_free(&x->snap);
	fleet_builder_free(&x->b);
	fleet_seen_free(&x->seen);
	free(x->fleet);
	free(x->total);
	free(x);
}

START_TEST(test_build_fleet)
{
	struct built *x = built_new();
	const struct canned fc[] = {
		{ "up", vec(A("b"), "1", A("a"), "1", A("c"), "0", NULL) },
		{ "p95", vec(A("a"), "0.1", A("b"), "0.25", A("c"), "NaN", NULL) },
		{ "avg", vec(A("a"), "0.02", NULL) },
		{ "rate", vec(A("a"), "10", A("b"), "20", NULL) },
		{ "requests", vec(A("a"), "100", A("b"), "200", NULL) },
		{ "failed", vec(A("a"), "1", A("b"), "50", NULL) },
		{ "failed rate", vec(A("a"), "0.1", A("b"), "10", NULL) },
		{ "timeouts", vec(A("a"), "2", NULL) },
		{ "failures", vec(A("a"), "1", A("b"), "40", NULL) },
		{ "breaker", vec(AUS("a", "chat", "closed"), "1", AUS("a", "search", "closed"), "1",
				 AUS("b", "chat", "open"), "1", AUS("b", "search", "half_open"), "1",
				 NULL) },
	};
	const struct canned tc[] = {
		{ "p95", vec("{}", "0.2", NULL) },
		{ "rate", vec("{}", "30", NULL) },
		{ "requests", vec("{}", "300", NULL) },
		{ "failed rate", vec("{}", "10.1", NULL) },
	};
	const struct metrics_snapshot *a, *b, *c;

	built_run(x, fc, sizeof(fc) / sizeof(fc[0]), tc, sizeof(tc) / sizeof(tc[0]));
	ck_assert_uint_eq(x->snap.nrows, 3);
	/* Sorted by name, whatever order the answers came in. */
	ck_assert_str_eq(x->snap.rows[0].name, "a");
	ck_assert_str_eq(x->snap.rows[2].name, "c");
	a = row(&x->snap, "a");
	ck_assert_double_eq_tol(a->latency.p95, 100.0, 1e-9);	/* seconds into ms */
	ck_assert_double_eq_tol(a->latency.avg, 20.0, 1e-9);
	ck_assert(isnan(a->latency.p50));			/* not asked: unknown, never 0 */
	ck_assert_double_eq(a->throughput.per_second, 10.0);
	ck_assert_double_eq(a->throughput.per_minute, 600.0);
	ck_assert_int_eq(a->requests.total, 100);
	ck_assert_int_eq(a->requests.failed, 1);
	ck_assert_double_eq_tol(a->breaker.failure_rate, 0.01, 1e-12);
	ck_assert_int_eq(a->errors.timeouts, 2);
	ck_assert_int_eq(a->errors.failures, 1);
	ck_assert_int_eq(a->errors.rate_limited, METRICS_NONE);
	ck_assert_int_eq(a->breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(a->breaker.healthy, 1);
	ck_assert_str_eq(a->breaker.recommendation, "");
	ck_assert_int_eq(a->scrape.up, 1);
	b = row(&x->snap, "b");
	ck_assert_int_eq(b->breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(b->breaker.healthy, 0);
	ck_assert_str_eq(b->breaker.recommendation, "1 of 2 upstreams open, 1 half-open");
	ck_assert_double_eq_tol(b->breaker.failure_rate, 0.5, 1e-12);
	c = row(&x->snap, "c");
	ck_assert_int_eq(c->scrape.up, 0);
	ck_assert(isnan(c->latency.p95));
	ck_assert_int_eq(c->breaker.healthy, 0);
	ck_assert_str_eq(c->breaker.recommendation, "down: Prometheus cannot scrape it");
	/* The whole: Prometheus' own figures, the worst instance's breaker. */
	ck_assert_double_eq_tol(x->snap.latency.p95, 200.0, 1e-9);
	ck_assert_double_eq(x->snap.throughput.per_second, 30.0);
	ck_assert_int_eq(x->snap.requests.total, 300);
	ck_assert_double_eq_tol(x->snap.breaker.failure_rate, 10.1 / 30.0, 1e-12);
	ck_assert_int_eq(x->snap.breaker.state, BREAKER_OPEN);
	ck_assert_str_eq(x->snap.breaker.recommendation, "1 of 3 instances open, 1 down");
	ck_assert_int_eq(x->snap.scrape.up, -1);
	built_free(x);
}
END_TEST

/* An instance `up` no longer names stays, down; when `up` itself failed, nobody is down. */
START_TEST(test_seen_down)
{
	struct built *x = built_new();
	const struct canned both[] = { { "up", vec(A("a"), "1", A("b"), "1", NULL) } };
	const struct canned one[] = { { "up", vec(A("a"), "1", NULL) },
				      { "rate", vec(A("a"), "5", NULL) } };
	const struct canned none[] = { { "rate", vec(A("a"), "5", NULL) } };

	built_run(x, both, 1, NULL, 0);
	ck_assert_uint_eq(x->snap.nrows, 2);
	built_run(x, one, 2, NULL, 0);
	ck_assert_uint_eq(x->snap.nrows, 2);
	ck_assert_int_eq(row(&x->snap, "a")->scrape.up, 1);
	ck_assert_int_eq(row(&x->snap, "b")->scrape.up, 0);
	ck_assert_str_eq(x->snap.breaker.recommendation, "1 of 2 instances down");
	built_run(x, none, 1, NULL, 0);
	ck_assert_uint_eq(x->snap.nrows, 1);
	ck_assert_int_eq(row(&x->snap, "a")->scrape.up, -1);
	built_free(x);
}
END_TEST

/* Label values through the funnel: escape sequences go, clashes get numbers, no label is (none). */
START_TEST(test_names)
{
	struct built *x = built_new();
	const struct canned fc[] = {
		{ "up", vec("{\"instance\":\"x\\u001b[31m\"}", "1", "{\"instance\":\"x [31m\"}", "1",
			    "{\"job\":\"j\"}", "1", NULL) },
	};

	built_run(x, fc, 1, NULL, 0);
	ck_assert_uint_eq(x->snap.nrows, 3);
	ck_assert_int_ge(metrics_row_index(&x->snap, "(none)"), 0);
	ck_assert_int_ge(metrics_row_index(&x->snap, "x [31m"), 0);
	ck_assert_int_ge(metrics_row_index(&x->snap, "x [31m #2"), 0);
	{
		char err[256];

		ck_assert_int_eq(metrics_rows_check(&x->snap, err, sizeof(err)), 0);
	}
	built_free(x);
}
END_TEST

START_TEST(test_build_instance)
{
	struct profile p = routertop_profile();
	struct promquery_plan *inst = malloc(sizeof(*inst)), *rows = malloc(sizeof(*rows));
	struct promapi_answer is[PROMQUERY_PLAN_MAX], rs[PROMQUERY_PLAN_MAX];
	const struct promapi_answer *ia[PROMQUERY_PLAN_MAX], *ra[PROMQUERY_PLAN_MAX];
	const struct canned ic[] = {
		{ "up", vec(A("b"), "1", NULL) },
		{ "p99", vec(A("b"), "0.5", NULL) },
		{ "breaker", vec(AUS("b", "chat", "open"), "1", AUS("b", "search", "closed"), "1",
				 NULL) },
	};
	const struct canned rc[] = {
		{ "p99", vec("{\"upstream\":\"chat\"}", "0.9", "{\"upstream\":\"search\"}", "0.1",
			     NULL) },
		{ "rate", vec("{\"upstream\":\"chat\"}", "3", NULL) },
		{ "breaker", vec("{\"upstream\":\"chat\",\"state\":\"open\"}", "1",
				 "{\"upstream\":\"search\",\"state\":\"closed\"}", "1", NULL) },
	};
	struct fleet_builder b = { 0 };
	struct fleet_view v = { &p, "instance", "upstream" };
	struct metrics_snapshot s;
	struct fleet_answers fa, fr;

	plan_for(&p, PROMQUERY_FLEET, "b", inst);
	plan_for(&p, PROMQUERY_ROWS, "b", rows);
	answers(inst, ic, 3, is, ia);
	answers(rows, rc, 3, rs, ra);
	fa = (struct fleet_answers){ inst, ia };
	fr = (struct fleet_answers){ rows, ra };
	metrics_init(&s);
	fleet_build_instance(&b, &v, &fa, &fr, NAN, &s);
	ck_assert_int_eq(s.scrape.up, 1);
	ck_assert_double_eq_tol(s.latency.p99, 500.0, 1e-9);
	ck_assert_int_eq(s.breaker.state, BREAKER_OPEN);
	ck_assert_str_eq(s.breaker.recommendation, "1 of 2 upstreams open");
	ck_assert_uint_eq(s.nrows, 2);
	ck_assert_int_eq(row(&s, "chat")->breaker.state, BREAKER_OPEN);
	ck_assert_double_eq_tol(row(&s, "chat")->latency.p99, 900.0, 1e-9);
	ck_assert_double_eq(row(&s, "chat")->throughput.per_second, 3.0);
	ck_assert_int_eq(row(&s, "search")->breaker.state, BREAKER_CLOSED);
	ck_assert_str_eq(row(&s, "chat")->breaker.recommendation, "");
	answers_free(inst, is, ia);
	answers_free(rows, rs, ra);
	metrics_free(&s);
	fleet_builder_free(&b);
	free(inst);
	free(rows);
}
END_TEST

/* A range's point: each series' sample at that time, unknown where it has none. */
START_TEST(test_range_point)
{
	struct profile p = routertop_profile();
	struct promquery_plan *total = malloc(sizeof(*total));
	struct promapi_answer store[PROMQUERY_PLAN_MAX];
	const struct promapi_answer *a[PROMQUERY_PLAN_MAX];
	const struct canned tc[] = {
		{ "rate", "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
			  "{\"metric\":{},\"values\":[[100,\"1\"],[105,\"2\"],[115,\"4\"]]}]}}" },
	};
	struct fleet_builder b = { 0 };
	struct fleet_view v = { &p, "instance", "upstream" };
	struct metrics_snapshot s;
	struct fleet_answers ta;

	plan_for(&p, PROMQUERY_TOTAL, NULL, total);
	answers(total, tc, 1, store, a);
	ta = (struct fleet_answers){ total, a };
	metrics_init(&s);
	fleet_build_fleet(&b, &v, NULL, &ta, NULL, 105.0, &s);
	ck_assert_double_eq(s.throughput.per_second, 2.0);
	fleet_build_fleet(&b, &v, NULL, &ta, NULL, 115.0, &s);
	ck_assert_double_eq(s.throughput.per_second, 4.0);
	fleet_build_fleet(&b, &v, NULL, &ta, NULL, 110.0, &s);
	ck_assert(isnan(s.throughput.per_second));
	ck_assert_uint_eq(s.nrows, 0);
	answers_free(total, store, a);
	metrics_free(&s);
	fleet_builder_free(&b);
	free(total);
}
END_TEST

/* ---- the source against the stand-in ---- */

struct rig {
	struct prom_stub *stub;
	struct source *src;
	struct profile p;
	struct promquery_plan *fleet, *total;
	char url[96];
};

/* Answers to the fleet and total plans of two instances, a healthy one and a failing one. */
static void rig_answers(struct rig *r, const struct promquery_plan *fleet,
			const struct promquery_plan *total)
{
	for (int i = 0; i < fleet->n; i++) {
		const char *json = vec(A("a:1"), "1", A("b:2"), "1", NULL);

		if (fleet->q[i].what == PROMQUERY_BREAKER)
			json = vec(AUS("a:1", "default", "closed"), "1", AUS("b:2", "default", "open"),
				   "1", NULL);
		prom_stub_set(r->stub, "query", fleet->q[i].text, 200, json, 0);
	}
	for (int i = 0; i < total->n; i++)
		prom_stub_set(r->stub, "query", total->q[i].text, 200, vec("{}", "2", NULL), 0);
}

static struct rig *rig_new(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	r->stub = prom_stub_start();
	ck_assert_ptr_nonnull(r->stub);
	snprintf(r->url, sizeof(r->url), "http://127.0.0.1:%u/", prom_stub_port(r->stub));
	r->p = routertop_profile();
	r->fleet = malloc(sizeof(*r->fleet));
	r->total = malloc(sizeof(*r->total));
	plan_for(&r->p, PROMQUERY_FLEET, NULL, r->fleet);
	plan_for(&r->p, PROMQUERY_TOTAL, NULL, r->total);
	rig_answers(r, r->fleet, r->total);
	return r;
}

static struct source *rig_source(struct rig *r, const char *profile)
{
	struct fleet_options o = {
		.url = r->url, .profile = profile, .interval_ms = 200, .timeout_ms = TIMEOUT_MS,
	};
	char err[256] = "";

	r->src = source_fleet_new(&o, err, sizeof(err));
	ck_assert_msg(r->src != NULL, "%s", err);
	return r->src;
}

static void rig_free(struct rig *r)
{
	source_free(r->src);
	prom_stub_stop(r->stub);
	free(r->fleet);
	free(r->total);
	free(r);
}

/* Step the source until it has an event, waiting on it as the loop does; 0 after the limit. */
static int drive(struct source *src, struct source_event *ev)
{
	int64_t end = clock_monotonic_ms() + DRIVE_LIMIT_MS;

	while (clock_monotonic_ms() < end) {
		if (source_step(src, clock_monotonic_ms(), ev) == 1)
			return 1;
		source_wait(src, -1, 100);
	}
	return 0;
}

START_TEST(test_source_round)
{
	struct rig *r = rig_new();
	struct source_event ev;
	char buf[64], desc[256];

	rig_source(r, "routertop");
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_msg(ev.kind == SOURCE_SNAPSHOT, "%s", ev.message);
	ck_assert_str_eq(ev.message, "");
	ck_assert(!ev.restart && !ev.aside);
	ck_assert_uint_eq(ev.snap.nrows, 2);
	ck_assert_int_eq(row(&ev.snap, "b:2")->breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(row(&ev.snap, "a:1")->breaker.state, BREAKER_CLOSED);
	ck_assert_double_eq(ev.snap.throughput.per_second, 2.0);
	/* Every query of the round, at one evaluation time, with the timeout. */
	ck_assert_uint_eq(prom_stub_requests(r->stub), (unsigned)(r->fleet->n + r->total->n));
	prom_stub_last_param(r->stub, "timeout", buf, sizeof(buf));
	ck_assert_str_eq(buf, "700ms");
	prom_stub_last_param(r->stub, "time", buf, sizeof(buf));
	ck_assert_msg(strchr(buf, '.') != NULL && atof(buf) > 1.6e9, "time=%s", buf);
	source_describe(r->src, desc, sizeof(desc));
	ck_assert_msg(strstr(desc, "routertop by instance") != NULL, "%s", desc);
	ck_assert_str_eq(source_row_noun(r->src), "instance");
	/* And the next round, an interval later. */
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	rig_free(r);
}
END_TEST

/* Nothing listening: one fault for the round, naming the server, never a crash. */
START_TEST(test_source_unreachable)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct fleet_options o = { .profile = "routertop", .interval_ms = 200, .timeout_ms = 700 };
	char url[64], err[256];
	struct source *src;
	struct source_event ev;

	/* Bound but not listening: it refuses, and nobody else can take it meanwhile. */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", ntohs(sin.sin_port));
	o.url = url;
	src = source_fleet_new(&o, err, sizeof(err));
	ck_assert_ptr_nonnull(src);
	ck_assert_int_eq(drive(src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_msg(strstr(ev.message, "connection refused by http://127.0.0.1:") != NULL &&
		      strstr(ev.message, "more queries)") != NULL, "%s", ev.message);
	ck_assert_msg(strncmp(ev.message, "query up: ", 10) == 0, "%s", ev.message);
	source_free(src);
	close(fd);
}
END_TEST

/* Prometheus' own errors: its message, for one query (a warning) or all of them (a fault). */
START_TEST(test_source_prometheus_error)
{
	struct rig *r = rig_new();
	struct source_event ev;
	const char *err400 = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse "
			     "error: unexpected \\\"}\\\"\"}";

	for (int i = 0; i < r->fleet->n; i++) {
		if (r->fleet->q[i].what == PROMQUERY_P95)
			prom_stub_set(r->stub, "query", r->fleet->q[i].text, 400, err400, 0);
	}
	rig_source(r, "routertop");
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_str_eq(ev.message, "query p95: Prometheus: bad_data: 1:5: parse error: "
			 "unexpected \"}\" (HTTP 400)");
	ck_assert(isnan(row(&ev.snap, "a:1")->latency.p95));
	ck_assert_double_eq(row(&ev.snap, "a:1")->throughput.per_second, 1.0);
	/* Every query refused: a fault with Prometheus' words. */
	prom_stub_clear(r->stub);
	prom_stub_set_default(r->stub, 503, "{\"status\":\"error\",\"errorType\":\"unavailable\","
			      "\"error\":\"TSDB not ready\"}");
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_msg(strstr(ev.message, "Prometheus: unavailable: TSDB not ready (HTTP 503)") !=
		      NULL, "%s", ev.message);
	rig_free(r);
}
END_TEST

/* A query slower than --timeout is named; the rest of the round is shown. */
START_TEST(test_source_timeout)
{
	struct rig *r = rig_new();
	struct source_event ev;

	for (int i = 0; i < r->fleet->n; i++) {
		if (r->fleet->q[i].what == PROMQUERY_P99)
			prom_stub_set(r->stub, "query", r->fleet->q[i].text, 200,
				      vec(A("a:1"), "0.1", NULL), 3000);
	}
	rig_source(r, "routertop");
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_msg(strncmp(ev.message, "query p99: timeout: no answer within 700 ms from http://",
			      56) == 0, "%s", ev.message);
	ck_assert(isnan(row(&ev.snap, "a:1")->latency.p99));
	ck_assert_uint_eq(ev.snap.nrows, 2);
	rig_free(r);
}
END_TEST

/* Warnings and partial results are shown with the data they came with. */
START_TEST(test_source_warnings)
{
	struct rig *r = rig_new();
	struct source_event ev;

	for (int i = 0; i < r->total->n; i++) {
		if (r->total->q[i].what == PROMQUERY_RATE)
			prom_stub_set(r->stub, "query", r->total->q[i].text, 200,
				      "{\"status\":\"success\",\"warnings\":[\"partial response: store "
				      "10.0.0.1:10901 unavailable\"],\"data\":{\"resultType\":\"vector\","
				      "\"result\":[{\"metric\":{},\"value\":[1,\"7\"]}]}}", 0);
	}
	rig_source(r, "routertop");
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_str_eq(ev.message, "query rate: Prometheus warned: partial response: store "
			 "10.0.0.1:10901 unavailable");
	ck_assert_double_eq(ev.snap.throughput.per_second, 7.0);
	/* An error that brings data: the data is used and the error said. */
	for (int i = 0; i < r->total->n; i++) {
		if (r->total->q[i].what == PROMQUERY_RATE)
			prom_stub_set(r->stub, "query", r->total->q[i].text, 200,
				      "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"2 of 3 "
				      "stores failed\",\"data\":{\"resultType\":\"vector\",\"result\":"
				      "[{\"metric\":{},\"value\":[1,\"8\"]}]}}", 0);
	}
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_str_eq(ev.message, "query rate: Prometheus: execution: 2 of 3 stores failed; its "
			 "partial result is shown");
	ck_assert_double_eq(ev.snap.throughput.per_second, 8.0);
	rig_free(r);
}
END_TEST

/* Something else answering: a web page, not the API. */
START_TEST(test_source_not_api)
{
	struct rig *r = rig_new();
	struct source_event ev;

	prom_stub_clear(r->stub);
	prom_stub_set_default(r->stub, 200, "<html>Grafana</html>");
	rig_source(r, "routertop");
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_msg(strstr(ev.message, ": not a Prometheus API answer from http://127.0.0.1:") !=
		      NULL && strstr(ev.message, "byte 0: expected a JSON object") != NULL, "%s",
		      ev.message);
	rig_free(r);
}
END_TEST

/* --profile auto: one search over the built-in profiles' families, then the rounds. */
START_TEST(test_source_auto)
{
	struct rig *r = rig_new();
	struct source_event ev;
	char desc[256];
	const char *found = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
			    "{\"metric\":{\"__name__\":\"routertop_requests_total\"},\"value\":[1,\"3\"]},"
			    "{\"metric\":{\"__name__\":\"node_cpu_seconds_total\"},\"value\":[1,\"9\"]}]}}";

	/* The search's text is the source's own; answer whatever is not in the table with it. */
	prom_stub_set_default(r->stub, 200, found);
	rig_source(r, NULL);
	source_describe(r->src, desc, sizeof(desc));
	ck_assert_msg(strstr(desc, "(profile?)") != NULL, "%s", desc);
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_msg(ev.kind == SOURCE_SNAPSHOT, "%s", ev.message);
	ck_assert_uint_eq(ev.snap.nrows, 2);
	source_describe(r->src, desc, sizeof(desc));
	ck_assert_msg(strstr(desc, "routertop by instance") != NULL, "%s", desc);
	rig_free(r);

	/* No profile's families there: a fault that says so, and what to do. */
	r = rig_new();
	prom_stub_set_default(r->stub, 200, vec("{\"__name__\":\"node_cpu_seconds_total\"}", "1",
						NULL));
	rig_source(r, "auto");
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_msg(strstr(ev.message, "no router profile fits") != NULL &&
		      strstr(ev.message, "(give --profile)") != NULL, "%s", ev.message);
	rig_free(r);
}
END_TEST

/* Enter on an instance: a fill of its past (restart, aside), then its present; Esc: the fleet. */
START_TEST(test_source_drill)
{
	struct rig *r = rig_new();
	struct promquery_plan *inst = malloc(sizeof(*inst)), *rows = malloc(sizeof(*rows));
	struct source_event ev;
	char msg[256], buf[64];
	const char *range = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";
	int64_t first_at;

	plan_for(&r->p, PROMQUERY_FLEET, "b:2", inst);
	plan_for(&r->p, PROMQUERY_ROWS, "b:2", rows);
	for (int i = 0; i < rows->n; i++)
		prom_stub_set(r->stub, "query", rows->q[i].text, 200,
			      vec("{\"upstream\":\"chat\",\"state\":\"open\"}", "1", NULL), 0);
	for (int i = 0; i < inst->n; i++)
		prom_stub_set(r->stub, "query", inst->q[i].text, 200,
			      vec(AUS("b:2", "chat", "open"), "1", NULL), 0);
	/* The ranges: empty matrices (points with no data are unknown, still points). */
	prom_stub_set_default(r->stub, 200, range);
	rig_source(r, "routertop");
	/* Nothing to drill into before the first round says which instances there are. */
	ck_assert_int_eq(source_drill(r->src, "b:2", 3, msg, sizeof(msg)), -1);
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_int_eq(source_drill(r->src, "b:2", 3, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "instance b:2: its upstreams; its charts come from Prometheus");
	ck_assert_str_eq(source_drilled(r->src), "b:2");
	ck_assert_str_eq(source_row_noun(r->src), "upstream");
	for (int k = 0; k < 3; k++) {
		ck_assert_int_eq(drive(r->src, &ev), 1);
		ck_assert_msg(ev.kind == SOURCE_SNAPSHOT, "%s", ev.message);
		ck_assert(ev.aside);
		ck_assert(ev.restart == (k == 0));
		if (k == 0)
			first_at = ev.at_ms;
		else
			ck_assert_int_eq(ev.at_ms - first_at, 1000 * k);	/* a step apart */
	}
	ck_assert_uint_eq(prom_stub_range_requests(r->stub), (unsigned)(inst->n + rows->n));
	prom_stub_last_param(r->stub, "step", buf, sizeof(buf));
	ck_assert_str_eq(buf, "1.000");	/* the interval, at least a second */
	/* Then the instance now: its own figures and its upstreams. */
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert(ev.aside && !ev.restart);
	ck_assert_uint_eq(ev.snap.nrows, 1);
	ck_assert_str_eq(ev.snap.rows[0].name, "chat");
	ck_assert_int_eq(ev.snap.breaker.state, BREAKER_OPEN);
	/* Already in it; back out; and back out again is refused. */
	ck_assert_int_eq(source_drill(r->src, "a:1", 3, msg, sizeof(msg)), -1);
	ck_assert_int_eq(source_drill(r->src, NULL, 0, msg, sizeof(msg)), 0);
	ck_assert_ptr_null(source_drilled(r->src));
	ck_assert_int_eq(drive(r->src, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert(ev.restart && !ev.aside);
	ck_assert_uint_eq(ev.snap.nrows, 2);
	ck_assert_int_eq(source_drill(r->src, NULL, 0, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "already the whole fleet");
	ck_assert_int_eq(source_drill(r->src, "nobody", 3, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "cannot tell which instance 'nobody' is: its name was changed to "
			 "show it");
	free(inst);
	free(rows);
	rig_free(r);
}
END_TEST

/* A slow answer never holds the loop: each step returns at once while it is awaited. */
START_TEST(test_source_never_waits)
{
	struct rig *r = rig_new();
	struct source_event ev;
	int64_t start = clock_monotonic_ms(), worst = 0;
	int steps = 0, got = 0;

	for (int i = 0; i < r->fleet->n; i++)
		prom_stub_set(r->stub, "query", r->fleet->q[i].text, 200, vec(A("a:1"), "1", NULL),
			      600);
	rig_source(r, "routertop");
	while (!got && clock_monotonic_ms() - start < DRIVE_LIMIT_MS) {
		int64_t t0 = clock_monotonic_ms();

		got = source_step(r->src, t0, &ev);
		if (clock_monotonic_ms() - t0 > worst)
			worst = clock_monotonic_ms() - t0;
		steps++;
		source_wait(r->src, -1, 20);
	}
	ck_assert_int_eq(got, 1);
	/*
	 * The answers took 600 ms; a step that waited on them would take as
	 * long (or the 700 ms timeout). Half that is the bound, and only a few
	 * steps are asked for, so a busy machine's scheduling does not fail it.
	 */
	ck_assert_int_ge(clock_monotonic_ms() - start, 550);
	ck_assert_msg(worst < TIMEOUT_MS / 2, "a step took %lld ms", (long long)worst);
	ck_assert_int_ge(steps, 3);
	rig_free(r);
}
END_TEST

/* The header file's headers go with every query. */
START_TEST(test_source_headers)
{
	struct rig *r = rig_new();
	struct fleet_options o = { .url = r->url, .profile = "routertop", .interval_ms = 200,
				   .timeout_ms = TIMEOUT_MS };
	char path[] = "/tmp/fleet-headers-XXXXXX", err[256], buf[128];
	struct source_event ev;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(write(fd, "# a token\nAuthorization: Bearer s3cret\n", 39), 0);
	close(fd);
	o.header_file = path;
	r->src = source_fleet_new(&o, err, sizeof(err));
	ck_assert_msg(r->src != NULL, "%s", err);
	ck_assert_int_eq(drive(r->src, &ev), 1);
	prom_stub_last_param(r->stub, "Authorization", buf, sizeof(buf));
	ck_assert_str_eq(buf, "Bearer s3cret");
	unlink(path);
	rig_free(r);
}
END_TEST

struct bad_option {
	struct fleet_options o;
	const char *err;
};

static const struct bad_option bad_options[] = {
	{ { .url = "ftp://x" }, "bad URL 'ftp://x': only http:// and https:// are supported" },
	{ { .url = "http://p:9090/?x=1" }, "bad Prometheus URL 'http://p:9090/?x=1': give the "
	  "server's address, such as http://prometheus:9090, without a query" },
	{ { .url = "http://p:9090", .by = "in-stance" }, "--by: 'in-stance' is not a label name" },
	{ { .url = "http://p:9090", .window = "1 minute" },
	  "--window: '1 minute' is not a duration such as 1m or 90s" },
	{ { .url = "http://p:9090", .match = "up{job=\"x\"}" }, "--match: column 1: a metric name: "
	  "--match takes label matchers only, such as {job=\"edge\"}" },
	{ { .url = "http://p:9090", .profile = "nginx-plus" }, NULL },
	{ { .url = "http://p:9090", .header_file = "/nonexistent/headers" },
	  "/nonexistent/headers: No such file or directory" },
	{ { .url = NULL }, "fleet: no Prometheus URL given" },
};

START_TEST(test_bad_options)
{
	const struct bad_option *b = &bad_options[_i];
	char err[512] = "";
	struct source *src = source_fleet_new(&b->o, err, sizeof(err));

	ck_assert_ptr_null(src);
	if (b->err != NULL)
		ck_assert_str_eq(err, b->err);
	else
		ck_assert_msg(strstr(err, "nginx-plus") != NULL, "%s", err);
}
END_TEST

static Suite *fleet_suite(void)
{
	Suite *s = suite_create("fleet");
	TCase *tc = tcase_create("build");
	TCase *src = tcase_create("source");

	tcase_add_test(tc, test_families);
	tcase_add_test(tc, test_build_fleet);
	tcase_add_test(tc, test_seen_down);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_build_instance);
	tcase_add_test(tc, test_range_point);
	suite_add_tcase(s, tc);
	tcase_set_timeout(src, 30);
	tcase_add_test(src, test_source_round);
	tcase_add_test(src, test_source_unreachable);
	tcase_add_test(src, test_source_prometheus_error);
	tcase_add_test(src, test_source_timeout);
	tcase_add_test(src, test_source_warnings);
	tcase_add_test(src, test_source_not_api);
	tcase_add_test(src, test_source_auto);
	tcase_add_test(src, test_source_drill);
	tcase_add_test(src, test_source_never_waits);
	tcase_add_test(src, test_source_headers);
	tcase_add_loop_test(src, test_bad_options, 0, sizeof(bad_options) / sizeof(bad_options[0]));
	suite_add_tcase(s, src);
	return s;
}

int main(void)
{
	return check_run_suite(fleet_suite());
}
