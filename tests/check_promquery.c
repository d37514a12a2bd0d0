/*
 * The fleet's PromQL: --match parsing, quoting, and the queries of each
 * level, checked as whole texts (what an operator reads in the README is
 * what these tests pin down).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "formats/promquery.h"

static void sel_set(struct promquery_selector *s, const char *metric, const char *label,
		    const char *value)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->metric, sizeof(s->metric), "%s", metric);
	if (label != NULL) {
		snprintf(s->m[0].label, sizeof(s->m[0].label), "%s", label);
		snprintf(s->m[0].value, sizeof(s->m[0].value), "%s", value);
		s->m[0].op = PROMQUERY_EQ;
		s->nmatchers = 1;
	}
}

/* The families of `routertop serve` (data/profiles/routertop.profile). */
static void routertop_families(struct promquery_families *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->row_label, sizeof(f->row_label), "upstream");
	snprintf(f->detect, sizeof(f->detect), "routertop_requests_total");
	f->latency = PROMQUERY_LATENCY_HISTOGRAM;
	sel_set(&f->latency_sel, "routertop_request_duration_seconds", NULL, NULL);
	f->has_requests = true;
	sel_set(&f->requests, "routertop_requests_total", NULL, NULL);
	f->has_failed = true;
	sel_set(&f->failed, "routertop_requests_failed_total", NULL, NULL);
	f->nerrors[PROMQUERY_FAILURES] = 1;
	sel_set(&f->errors[PROMQUERY_FAILURES][0], "routertop_errors_total", "class", "failure");
	f->nerrors[PROMQUERY_TIMEOUTS] = 1;
	sel_set(&f->errors[PROMQUERY_TIMEOUTS][0], "routertop_errors_total", "class", "timeout");
	f->nbreakers = 1;
	sel_set(&f->breakers[0].sel, "routertop_breaker_state", NULL, NULL);
	f->breakers[0].mode = PROMQUERY_BREAKER_LABEL;
	snprintf(f->breakers[0].label, sizeof(f->breakers[0].label), "state");
}

static void scope_set(struct promquery_scope *s, enum promquery_level level, const char *match)
{
	char err[256];

	memset(s, 0, sizeof(*s));
	s->level = level;
	snprintf(s->by, sizeof(s->by), "instance");
	snprintf(s->window, sizeof(s->window), "1m");
	if (match != NULL)
		ck_assert_msg(promquery_match_parse(match, &s->match, err, sizeof(err)) == 0, "%s",
			      err);
}

static const struct promquery_query *find(const struct promquery_plan *p, const char *name)
{
	for (int i = 0; i < p->n; i++) {
		if (strcmp(p->q[i].name, name) == 0)
			return &p->q[i];
	}
	return NULL;
}

static void expect(const struct promquery_plan *p, const char *name, const char *text)
{
	const struct promquery_query *q = find(p, name);

	ck_assert_msg(q != NULL, "no query %s", name);
	ck_assert_str_eq(q->text, text);
}

START_TEST(test_fleet_level)
{
	struct promquery_families f;
	struct promquery_scope s;
	struct promquery_plan *p = malloc(sizeof(*p));
	char err[256];

	routertop_families(&f);
	scope_set(&s, PROMQUERY_FLEET, "{job=\"edge\"}");
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), 0);
	expect(p, "up", "max by (instance) (up{job=\"edge\"})");
	expect(p, "p50", "histogram_quantile(0.5, sum by (le, instance) "
	       "(rate(routertop_request_duration_seconds_bucket{job=\"edge\"}[1m])))");
	expect(p, "p95", "histogram_quantile(0.95, sum by (le, instance) "
	       "(rate(routertop_request_duration_seconds_bucket{job=\"edge\"}[1m])))");
	expect(p, "p99", "histogram_quantile(0.99, sum by (le, instance) "
	       "(rate(routertop_request_duration_seconds_bucket{job=\"edge\"}[1m])))");
	expect(p, "avg", "sum by (instance) (rate(routertop_request_duration_seconds_sum"
	       "{job=\"edge\"}[1m])) / sum by (instance) "
	       "(rate(routertop_request_duration_seconds_count{job=\"edge\"}[1m]))");
	expect(p, "rate", "sum by (instance) (rate(routertop_requests_total{job=\"edge\"}[1m]))");
	expect(p, "requests", "sum by (instance) (routertop_requests_total{job=\"edge\"})");
	expect(p, "failed", "sum by (instance) (routertop_requests_failed_total{job=\"edge\"})");
	expect(p, "failed rate",
	       "sum by (instance) (rate(routertop_requests_failed_total{job=\"edge\"}[1m]))");
	/* The family's own matcher first, then --match's. */
	expect(p, "timeouts",
	       "sum by (instance) (routertop_errors_total{class=\"timeout\",job=\"edge\"})");
	expect(p, "failures",
	       "sum by (instance) (routertop_errors_total{class=\"failure\",job=\"edge\"})");
	expect(p, "breaker", "max by (instance, upstream, state) "
	       "(routertop_breaker_state{job=\"edge\"}) != 0");
	ck_assert_str_eq(find(p, "breaker")->group, "instance");
	ck_assert_str_eq(find(p, "breaker")->row, "upstream");
	ck_assert_str_eq(find(p, "breaker")->label, "state");
	ck_assert_int_eq(find(p, "timeouts")->what, PROMQUERY_ERRORS);
	ck_assert_int_eq(find(p, "timeouts")->index, PROMQUERY_TIMEOUTS);
	ck_assert_ptr_null(find(p, "max"));
	ck_assert_int_eq(p->n, 13);
	free(p);
}
END_TEST

START_TEST(test_total_level)
{
	struct promquery_families f;
	struct promquery_scope s;
	struct promquery_plan *p = malloc(sizeof(*p));
	char err[256];

	routertop_families(&f);
	scope_set(&s, PROMQUERY_TOTAL, "{job=\"edge\"}");
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), 0);
	expect(p, "p95", "histogram_quantile(0.95, sum by (le) "
	       "(rate(routertop_request_duration_seconds_bucket{job=\"edge\"}[1m])))");
	expect(p, "rate", "sum(rate(routertop_requests_total{job=\"edge\"}[1m]))");
	expect(p, "requests", "sum(routertop_requests_total{job=\"edge\"})");
	ck_assert_str_eq(find(p, "rate")->group, "");
	/* The fleet's breaker and up come from its instances. */
	ck_assert_ptr_null(find(p, "up"));
	ck_assert_ptr_null(find(p, "breaker"));
	free(p);
}
END_TEST

START_TEST(test_rows_level)
{
	struct promquery_families f;
	struct promquery_scope s;
	struct promquery_plan *p = malloc(sizeof(*p));
	char err[256];

	routertop_families(&f);
	scope_set(&s, PROMQUERY_ROWS, "{job=\"edge\"}");
	ck_assert_int_eq(promquery_match_add(&s.match, "instance", PROMQUERY_EQ, "10.0.0.1:9090"), 0);
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), 0);
	expect(p, "p99", "histogram_quantile(0.99, sum by (le, upstream) "
	       "(rate(routertop_request_duration_seconds_bucket{job=\"edge\",instance=\"10.0.0.1:9090\"}[1m])))");
	expect(p, "rate", "sum by (upstream) "
	       "(rate(routertop_requests_total{job=\"edge\",instance=\"10.0.0.1:9090\"}[1m]))");
	expect(p, "breaker", "max by (upstream, state) "
	       "(routertop_breaker_state{job=\"edge\",instance=\"10.0.0.1:9090\"}) != 0");
	ck_assert_str_eq(find(p, "breaker")->group, "upstream");
	ck_assert_str_eq(find(p, "breaker")->row, "");
	ck_assert_ptr_null(find(p, "up"));
	free(p);
}
END_TEST

/* Without --match, `up` is narrowed to the jobs that expose the router's families. */
START_TEST(test_up_without_match)
{
	struct promquery_families f;
	struct promquery_scope s;
	struct promquery_plan *p = malloc(sizeof(*p));
	char err[256];

	routertop_families(&f);
	scope_set(&s, PROMQUERY_FLEET, NULL);
	snprintf(s.by, sizeof(s.by), "pod");
	snprintf(s.window, sizeof(s.window), "5m");
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), 0);
	expect(p, "up", "max by (pod) (up and on (job) group by (job) (routertop_requests_total))");
	expect(p, "rate", "sum by (pod) (rate(routertop_requests_total[5m]))");
	free(p);
}
END_TEST

/* Linkerd's breakers name the row with another label; HAProxy has an average gauge and a max. */
START_TEST(test_other_routers)
{
	struct promquery_families f;
	struct promquery_scope s;
	struct promquery_plan *p = malloc(sizeof(*p));
	char err[256];

	memset(&f, 0, sizeof(f));
	snprintf(f.row_label, sizeof(f.row_label), "dst_service");
	f.nbreakers = 1;
	sel_set(&f.breakers[0].sel, "outbound_http_balancer_endpoints", "endpoint_state", "ready");
	snprintf(f.breakers[0].sel.row_label, sizeof(f.breakers[0].sel.row_label), "backend_name");
	f.breakers[0].mode = PROMQUERY_BREAKER_VALUE;
	f.breakers[0].agg = PROMQUERY_AGG_SUM;
	scope_set(&s, PROMQUERY_FLEET, NULL);
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), 0);
	expect(p, "breaker", "sum by (instance, backend_name) "
	       "(outbound_http_balancer_endpoints{endpoint_state=\"ready\"})");
	/* No detect family and no requests: every `up` there is. */
	expect(p, "up", "max by (instance) (up)");
	scope_set(&s, PROMQUERY_ROWS, NULL);
	ck_assert_int_eq(promquery_match_add(&s.match, "instance", PROMQUERY_EQ, "a"), 0);
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), 0);
	expect(p, "breaker", "sum by (backend_name) "
	       "(outbound_http_balancer_endpoints{endpoint_state=\"ready\",instance=\"a\"})");

	memset(&f, 0, sizeof(f));
	snprintf(f.row_label, sizeof(f.row_label), "proxy");
	f.latency = PROMQUERY_LATENCY_AVERAGE;
	sel_set(&f.latency_sel, "haproxy_backend_total_time_average_seconds", NULL, NULL);
	f.has_max = true;
	sel_set(&f.max_sel, "haproxy_backend_max_total_time_seconds", NULL, NULL);
	f.nerrors[PROMQUERY_FAILURES] = 2;
	sel_set(&f.errors[PROMQUERY_FAILURES][0], "haproxy_backend_http_responses_total", "code",
		"5xx");
	sel_set(&f.errors[PROMQUERY_FAILURES][1], "haproxy_backend_connection_errors_total", NULL,
		NULL);
	f.has_requests = true;
	sel_set(&f.requests, "haproxy_backend_http_requests_total", NULL, NULL);
	scope_set(&s, PROMQUERY_FLEET, "job=\"lb\"");
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), 0);
	/* No failed family: the failed rate is that of each failures selector. */
	ck_assert_ptr_null(find(p, "failed"));
	expect(p, "failed rate 2", "sum by (instance) "
	       "(rate(haproxy_backend_connection_errors_total{job=\"lb\"}[1m]))");
	ck_assert_int_eq(find(p, "failed rate 2")->index, 1);
	/* An average gauge cannot be combined above one row. */
	ck_assert_ptr_null(find(p, "avg"));
	ck_assert_ptr_null(find(p, "p95"));
	expect(p, "max", "max by (instance) (haproxy_backend_max_total_time_seconds{job=\"lb\"})");
	expect(p, "failures 1",
	       "sum by (instance) (haproxy_backend_http_responses_total{code=\"5xx\",job=\"lb\"})");
	expect(p, "failures 2",
	       "sum by (instance) (haproxy_backend_connection_errors_total{job=\"lb\"})");
	ck_assert_int_eq(find(p, "failures 2")->index, PROMQUERY_FAILURES);
	scope_set(&s, PROMQUERY_ROWS, "job=\"lb\"");
	ck_assert_int_eq(promquery_match_add(&s.match, "instance", PROMQUERY_EQ, "lb1"), 0);
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), 0);
	expect(p, "avg", "avg by (proxy) "
	       "(haproxy_backend_total_time_average_seconds{job=\"lb\",instance=\"lb1\"})");
	free(p);
}
END_TEST

START_TEST(test_bad_scope)
{
	struct promquery_families f;
	struct promquery_scope s;
	struct promquery_plan *p = malloc(sizeof(*p));
	char err[256];

	routertop_families(&f);
	scope_set(&s, PROMQUERY_FLEET, NULL);
	snprintf(s.window, sizeof(s.window), "1 minute");
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "bad rate window '1 minute': expected a duration such as 1m or 90s");
	scope_set(&s, PROMQUERY_FLEET, NULL);
	snprintf(s.by, sizeof(s.by), "in-stance");
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "bad label name 'in-stance'");
	scope_set(&s, PROMQUERY_ROWS, NULL);
	f.row_label[0] = '\0';
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "no row label to group an instance's rows by");
	free(p);
}
END_TEST

/* Fifteen long values make every selector longer than a query may be. */
START_TEST(test_too_long)
{
	struct promquery_families f;
	struct promquery_scope s;
	struct promquery_plan *p = malloc(sizeof(*p));
	char err[256], value[PROMQUERY_VALUE_LEN];

	routertop_families(&f);
	scope_set(&s, PROMQUERY_FLEET, NULL);
	memset(value, 'v', sizeof(value) - 1);
	value[sizeof(value) - 1] = '\0';
	for (int i = 0; i < PROMQUERY_MATCH_MAX - 1; i++)
		ck_assert_int_eq(promquery_match_add(&s.match, "env", PROMQUERY_NE, value), 0);
	ck_assert_int_eq(promquery_plan(&f, &s, p, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "query up: longer than 4095 bytes");
	ck_assert_int_eq(p->n, 0);
	free(p);
}
END_TEST

struct match_case {
	const char *text;
	int n;
	const char *label, *value;	/* of the last matcher */
	enum promquery_op op;
};

static const struct match_case good_matches[] = {
	{ "{job=\"edge\"}", 1, "job", "edge", PROMQUERY_EQ },
	{ "job=\"edge\"", 1, "job", "edge", PROMQUERY_EQ },
	{ "  { job = \"edge\" , env =~ 'prod.*' , }  ", 2, "env", "prod.*", PROMQUERY_RE },
	{ "{a!=\"x\",b!~`raw\\d+`}", 2, "b", "raw\\d+", PROMQUERY_NRE },
	{ "{a=\"q\\\"uote\\\\back\\nline\"}", 1, "a", "q\"uote\\back\nline", PROMQUERY_EQ },
	{ "{a=\"\\u00e9\\x41\\101\\U0001F600\"}", 1, "a", "\xc3\xa9" "AA\xf0\x9f\x98\x80",
	  PROMQUERY_EQ },
	{ "{a='it\\'s'}", 1, "a", "it's", PROMQUERY_EQ },
	{ "{}", 0, NULL, NULL, PROMQUERY_EQ },
	{ "", 0, NULL, NULL, PROMQUERY_EQ },
};

START_TEST(test_match_good)
{
	const struct match_case *c = &good_matches[_i];
	struct promquery_match m = { 0 };
	char err[256] = "";

	ck_assert_msg(promquery_match_parse(c->text, &m, err, sizeof(err)) == 0, "%s: %s", c->text,
		      err);
	ck_assert_int_eq(m.n, c->n);
	if (c->n > 0) {
		ck_assert_str_eq(m.m[c->n - 1].label, c->label);
		ck_assert_str_eq(m.m[c->n - 1].value, c->value);
		ck_assert_int_eq(m.m[c->n - 1].op, c->op);
	}
}
END_TEST

struct bad_case {
	const char *text, *err;
};

static const struct bad_case bad_matches[] = {
	{ "up{job=\"x\"}", "--match: column 1: a metric name: --match takes label matchers only, "
	  "such as {job=\"edge\"}" },
	{ "{__name__=\"up\"}", "--match: column 2: __name__: label names starting with __ are "
	  "Prometheus' own" },
	{ "{job:\"x\"}", "--match: column 5: expected '=', '!=', '=~' or '!~'" },
	{ "{job=edge}", "--match: column 6: expected a quoted value" },
	{ "{job=\"edge}", "--match: column 12: unterminated value (no closing \")" },
	{ "{job=\"a\\qb\"}", "--match: column 9: unknown escape \\q" },
	{ "{job=\"a\\x4\"}", "--match: column 11: expected 2 hexadecimal digits" },
	{ "{job=\"a\\x00\"}", "--match: column 12: a NUL in a value" },
	{ "{job=\"a\\ud800\"}", "--match: column 14: not a Unicode character: U+D800" },
	{ "{job=\"a\" env=\"b\"}", "--match: column 10: expected ',' or '}'" },
	{ "{job=\"a\"", "--match: column 9: expected '}'" },
	{ "job=\"a\"}", "--match: column 8: a '}' without its '{'" },
	{ "{job=\"a\"} x", "--match: column 11: unexpected text after the matchers" },
	{ "{9job=\"a\"}", "--match: column 2: expected a label name" },
	{ "{a=\"line\nbreak\"}", "--match: column 9: a line break in a value" },
	{ "{a=\"x\\\nb\"}", "--match: column 7: unknown escape \\ followed by byte 0x0a" },
};

START_TEST(test_match_bad)
{
	const struct bad_case *c = &bad_matches[_i];
	struct promquery_match m = { 0 };
	char err[256] = "";

	ck_assert_int_eq(promquery_match_parse(c->text, &m, err, sizeof(err)), -1);
	ck_assert_str_eq(err, c->err);
	ck_assert_int_eq(m.n, 0);	/* a bad --match adds nothing */
}
END_TEST

START_TEST(test_match_caps)
{
	struct promquery_match m = { 0 };
	char text[8192], err[256];
	size_t at = 0;

	at += (size_t)snprintf(text + at, sizeof(text) - at, "{");
	for (int i = 0; i < PROMQUERY_MATCH_MAX; i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at, "l%d=\"v\",", i);
	snprintf(text + at, sizeof(text) - at, "}");
	ck_assert_int_eq(promquery_match_parse(text, &m, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--match: column 112: more than 15 matchers");

	/* A value one byte over the cap. */
	memset(text, 0, sizeof(text));
	memcpy(text, "{a=\"", 4);
	memset(text + 4, 'x', PROMQUERY_VALUE_LEN);
	memcpy(text + 4 + PROMQUERY_VALUE_LEN, "\"}", 2);
	ck_assert_int_eq(promquery_match_parse(text, &m, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--match: column 516: a value longer than 511 bytes");
	/* And one at the cap is fine. */
	text[4 + PROMQUERY_VALUE_LEN - 1] = '"';
	text[4 + PROMQUERY_VALUE_LEN] = '}';
	text[4 + PROMQUERY_VALUE_LEN + 1] = '\0';
	ck_assert_int_eq(promquery_match_parse(text, &m, err, sizeof(err)), 0);
	ck_assert_uint_eq(strlen(m.m[0].value), PROMQUERY_VALUE_LEN - 1);

	m.n = PROMQUERY_MATCH_MAX;
	ck_assert_int_eq(promquery_match_add(&m, "a", PROMQUERY_EQ, "b"), -1);
}
END_TEST

/* Whatever a value holds, quoting it and parsing it back gives it again. */
START_TEST(test_quote_round_trip)
{
	static const char *const values[] = {
		"plain", "a\"b", "back\\slash", "new\nline", "tab\there", "esc\x1b[31m",
		"del\x7f", "caf\xc3\xa9", "\"}) or vector(1) #", "",
	};
	char quoted[1024], text[1100], err[256];

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		struct promquery_match m = { 0 };
		size_t n = promquery_quote(values[i], quoted, sizeof(quoted));

		ck_assert_uint_eq(n, strlen(quoted));
		for (const char *q = quoted; *q != '\0'; q++)
			ck_assert_msg((unsigned char)*q >= 0x20 && *q != 0x7f, "raw control in %s",
				      quoted);
		snprintf(text, sizeof(text), "{x=%s}", quoted);
		ck_assert_msg(promquery_match_parse(text, &m, err, sizeof(err)) == 0, "%s: %s", text,
			      err);
		ck_assert_str_eq(m.m[0].value, values[i]);
	}
	ck_assert_uint_eq(promquery_quote("a\"b", quoted, sizeof(quoted)), 6);
	ck_assert_str_eq(quoted, "\"a\\\"b\"");
	/* Cut short, still terminated, and the length it needed. */
	ck_assert_uint_eq(promquery_quote("abcdef", quoted, 4), 8);
	ck_assert_str_eq(quoted, "\"ab");
}
END_TEST

START_TEST(test_selector_text)
{
	struct promquery_selector s;
	struct promquery_match m = { 0 };
	char buf[256], err[256];

	sel_set(&s, "x", "code", "5xx");
	ck_assert_int_eq(promquery_match_parse("{env!=\"dev\"}", &m, err, sizeof(err)), 0);
	promquery_selector_text(&s, "_bucket", &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "x_bucket{code=\"5xx\",env!=\"dev\"}");
	sel_set(&s, "x", NULL, NULL);
	promquery_selector_text(&s, NULL, NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "x");
}
END_TEST

START_TEST(test_names_and_durations)
{
	static const char *const good_d[] = { "1m", "30s", "250ms", "1h30m", "2d", "1w", "1y" };
	static const char *const bad_d[] = { "", "m", "1", "1 m", "1M", "0s", "0m0s", "-1m",
					     "1.5m", "1mm" };
	static const char *const good_l[] = { "instance", "_x", "Job_2" };
	static const char *const bad_l[] = { "", "2x", "a-b", "__name__", "a.b", "a b" };

	for (size_t i = 0; i < sizeof(good_d) / sizeof(good_d[0]); i++)
		ck_assert_msg(promquery_duration_ok(good_d[i]), "%s", good_d[i]);
	for (size_t i = 0; i < sizeof(bad_d) / sizeof(bad_d[0]); i++)
		ck_assert_msg(!promquery_duration_ok(bad_d[i]), "%s", bad_d[i]);
	for (size_t i = 0; i < sizeof(good_l) / sizeof(good_l[0]); i++)
		ck_assert_msg(promquery_label_ok(good_l[i]), "%s", good_l[i]);
	for (size_t i = 0; i < sizeof(bad_l) / sizeof(bad_l[0]); i++)
		ck_assert_msg(!promquery_label_ok(bad_l[i]), "%s", bad_l[i]);
	ck_assert(!promquery_label_ok(NULL));
	ck_assert_str_eq(promquery_class_name(PROMQUERY_BREAKER_REJECTIONS), "breaker-rejections");
	ck_assert_str_eq(promquery_what_name(PROMQUERY_P95), "p95");
}
END_TEST

static Suite *promquery_suite(void)
{
	Suite *s = suite_create("promquery");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fleet_level);
	tcase_add_test(tc, test_total_level);
	tcase_add_test(tc, test_rows_level);
	tcase_add_test(tc, test_up_without_match);
	tcase_add_test(tc, test_other_routers);
	tcase_add_test(tc, test_bad_scope);
	tcase_add_test(tc, test_too_long);
	tcase_add_loop_test(tc, test_match_good, 0, sizeof(good_matches) / sizeof(good_matches[0]));
	tcase_add_loop_test(tc, test_match_bad, 0, sizeof(bad_matches) / sizeof(bad_matches[0]));
	tcase_add_test(tc, test_match_caps);
	tcase_add_test(tc, test_quote_round_trip);
	tcase_add_test(tc, test_selector_text);
	tcase_add_test(tc, test_names_and_durations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(promquery_suite());
}
