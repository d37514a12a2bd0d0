/* Check suite for src/formats/profile.c: the profile file format, matchers, PromQL text. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "formats/profile.h"

static struct profile prof;

static int parse(const char *text, char *err, size_t errlen)
{
	return profile_parse(text, strlen(text), "t.profile", &prof, err, errlen);
}

START_TEST(test_builtins_parse)
{
	char err[PROFILE_ERR_LEN];
	int n = 0;

	for (const struct profile_builtin *b = profile_builtins; b->name != NULL; b++, n++) {
		ck_assert_msg(profile_load(b->name, &prof, err, sizeof(err)) == 0, "%s", err);
		ck_assert_str_eq(prof.name, b->name);
		ck_assert(prof.row_label[0] != '\0');
		ck_assert_int_ge(prof.ndetect, 1);
		ck_assert(prof.has_requests);
	}
	ck_assert_int_eq(n, 8);
	ck_assert_ptr_nonnull(profile_builtin_find("haproxy"));
	ck_assert_ptr_null(profile_builtin_find("nginx"));
}
END_TEST

START_TEST(test_envoy_fields)
{
	char err[PROFILE_ERR_LEN];

	ck_assert_int_eq(profile_load("envoy", &prof, err, sizeof(err)), 0);
	ck_assert_str_eq(prof.row_label, "envoy_cluster_name");
	ck_assert_str_eq(prof.row_noun, "cluster");
	ck_assert_int_eq(prof.latency, PROFILE_LATENCY_HISTOGRAM);
	ck_assert_str_eq(prof.latency_sel.metric, "envoy_cluster_upstream_rq_time");
	ck_assert(prof.latency_unit_ms == 1.0);
	ck_assert_str_eq(prof.requests.metric, "envoy_cluster_upstream_rq_total");
	ck_assert_int_eq(prof.nerrors[PROFILE_FAILURES], 1);
	ck_assert_str_eq(prof.errors[PROFILE_FAILURES][0].m[0].label, "envoy_response_code_class");
	ck_assert_str_eq(prof.errors[PROFILE_FAILURES][0].m[0].value, "5");
	ck_assert_int_eq(prof.nbreakers, 2);
	ck_assert_int_eq(prof.breakers[0].mode, PROFILE_BREAKER_VALUE);
	ck_assert_int_eq(prof.breakers[1].maps[1].cmp, PROFILE_CMP_GT);
	ck_assert_int_eq(prof.breakers[1].maps[1].state, BREAKER_HALF_OPEN);
}
END_TEST

static const char good[] =
	"# a comment\n"
	"profile mine\n"
	"title My router  (v2)\n"
	"rows svc   upstream # trailing comment\n"
	"latency summary lat_seconds{job=\"x\",path!~\"/health|/ready\",} s\n"
	"max lat_max_ms ms\n"
	"requests reqs_total\n"
	"failed reqs_total{code=~\"5..\"}\n"
	"failures reqs_total{code=~\"5..\"}\n"
	"failures conn_errors_total row=backend\n"
	"breaker state{kind=\"a b\"} label state ok=closed \"weird=val\"=half-open down=open\n"
	"breaker up value min <1=open 1=closed\n";

START_TEST(test_parse_good)
{
	char err[PROFILE_ERR_LEN] = "";

	ck_assert_msg(parse(good, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(prof.name, "mine");
	ck_assert_str_eq(prof.title, "My router  (v2)");
	ck_assert_str_eq(prof.row_noun, "upstream");
	ck_assert_int_eq(prof.latency, PROFILE_LATENCY_SUMMARY);
	ck_assert(prof.latency_unit_ms == 1000.0);
	ck_assert_int_eq(prof.latency_sel.nmatchers, 2);
	ck_assert_int_eq(prof.latency_sel.m[1].op, PROFILE_NRE);
	ck_assert(prof.has_max && prof.max_unit_ms == 1.0);
	ck_assert(prof.has_failed);
	ck_assert_int_eq(prof.nerrors[PROFILE_FAILURES], 2);
	ck_assert_str_eq(prof.errors[PROFILE_FAILURES][1].row_label, "backend");
	ck_assert_int_eq(prof.breakers[0].mode, PROFILE_BREAKER_LABEL);
	ck_assert_str_eq(prof.breakers[0].sel.m[0].value, "a b");
	ck_assert_str_eq(prof.breakers[0].maps[1].text, "weird=val");
	ck_assert_int_eq(prof.breakers[1].agg, PROFILE_AGG_MIN);
	ck_assert_int_eq(prof.breakers[1].maps[0].cmp, PROFILE_CMP_LT);
}
END_TEST

/* A bad profile is one located error. */
static const struct {
	const char *text, *message;
} bad[] = {
	{ "rows x\n", "t.profile:1: expected 'profile NAME' first" },
	{ "profile Big\n", "t.profile:1: profile: a name is lower-case letters, digits, - and _" },
	{ "profile a\nrows\n", "t.profile:2: rows: expected a label name" },
	{ "profile a\nrows x\nrequests\n", "t.profile:3: requests: expected a metric selector" },
	{ "profile a\nrows x\nrequests 9x\n", "t.profile:3: expected a metric name, got '9x'" },
	{ "profile a\nrows x\nrequests r{a=\"1\"\n",
	  "t.profile:3: expected ',' or '}' in the selector of r" },
	{ "profile a\nrows x\nrequests r{a~\"1\"}\n",
	  "t.profile:3: expected =, !=, =~ or !~ after label a" },
	{ "profile a\nrows x\nrequests r{a=1}\n",
	  "t.profile:3: expected a quoted value (at most 95 bytes) for label a" },
	{ "profile a\nrows x\nrequests r{a=~\"(5|4)..\"}\n",
	  "t.profile:3: regular expression \"(5|4)..\" for label a uses more than characters, \\, ., |, *, + and ?" },
	{ "profile a\nrows x\nrequests r extra\n", "t.profile:3: requests: unexpected 'extra'" },
	{ "profile a\nrows x\nlatency histogram h\n",
	  "t.profile:3: latency: expected a unit (s, ms or us) after the selector" },
	{ "profile a\nrows x\nlatency histogram h minutes\n",
	  "t.profile:3: unknown unit 'minutes' (s, ms or us)" },
	{ "profile a\nrows x\nlatency median h s\n",
	  "t.profile:3: latency: expected histogram, summary or average" },
	{ "profile a\nrows x\nrequests r\nbreaker b\n",
	  "t.profile:4: breaker: expected 'value' or 'label' after the selector" },
	{ "profile a\nrows x\nrequests r\nbreaker b value\n",
	  "t.profile:4: breaker: expected mappings such as 0=closed 1=open" },
	{ "profile a\nrows x\nrequests r\nbreaker b value 1=shut\n",
	  "t.profile:4: breaker: unknown state 'shut' (closed, half-open or open)" },
	{ "profile a\nrows x\nrequests r\nbreaker b value x=open\n",
	  "t.profile:4: breaker: 'x' is not a number (or >N, <N)" },
	{ "profile a\nrows x\nrequests r\nwhatever r\n", "t.profile:4: unknown keyword 'whatever'" },
	{ "profile a\nrows x\nrequests r\nrequests s\n", "t.profile:4: a second requests line" },
	{ "profile a\nrows x\ntitle \"open\n", "t.profile:3: a quote is not closed" },
	{ "profile a\nrequests r\n", "t.profile:3: no 'rows LABEL' line" },
	{ "profile a\nrows x\n", "t.profile:3: neither a requests nor a latency line" },
	{ "", "t.profile:1: no 'profile NAME' line" },
};

START_TEST(test_parse_bad)
{
	char err[PROFILE_ERR_LEN] = "";

	ck_assert_int_eq(parse(bad[_i].text, err, sizeof(err)), -1);
	ck_assert_str_eq(err, bad[_i].message);
}
END_TEST

static const struct {
	const char *re, *text;
	bool match;
} regexes[] = {
	{ "5..", "503", true }, { "5..", "50", false }, { "5..", "5031", false },
	{ "5..|429", "429", true }, { "5..|429", "4290", false }, { "", "", true },
	{ "", "x", false }, { "a.*", "a", true }, { "a.*", "abc", true }, { ".*b", "aab", true },
	{ "ab+c", "ac", false }, { "ab+c", "abbc", true }, { "ab?c", "ac", true },
	{ "ab?c", "abbc", false }, { "a\\.b", "a.b", true }, { "a\\.b", "axb", false },
	{ "a\\|b", "a|b", true }, { "x|", "", true }, { "UT|UO", "UO", true },
	{ ".", "\n", false },
};

START_TEST(test_regex)
{
	struct profile_matcher m = { .label = "l", .op = PROFILE_RE };

	snprintf(m.value, sizeof(m.value), "%s", regexes[_i].re);
	ck_assert_msg(profile_match_value(&m, regexes[_i].text) == regexes[_i].match, "%s ~ %s",
		      regexes[_i].re, regexes[_i].text);
	m.op = PROFILE_NRE;
	ck_assert(profile_match_value(&m, regexes[_i].text) != regexes[_i].match);
}
END_TEST

/* Matching is linear in the text, whatever the pattern. */
START_TEST(test_regex_long_text)
{
	struct profile_matcher m = { .label = "l", .op = PROFILE_RE, .value = ".*.*.*.*.*.*.*.*b" };
	char *text = malloc(1 << 16);

	memset(text, 'a', (1 << 16) - 1);
	text[(1 << 16) - 1] = '\0';
	ck_assert(!profile_match_value(&m, text));
	free(text);
}
END_TEST

START_TEST(test_match_absent_label)
{
	struct profile_matcher eq = { .label = "l", .op = PROFILE_EQ, .value = "" };
	struct profile_matcher ne = { .label = "l", .op = PROFILE_NE, .value = "x" };

	/* PromQL: a missing label equals "". */
	ck_assert(profile_match_value(&eq, NULL));
	ck_assert(profile_match_value(&ne, NULL));
	ck_assert(!profile_match_value(&eq, "v"));
}
END_TEST

START_TEST(test_promql)
{
	char err[PROFILE_ERR_LEN], buf[256];
	size_t n;

	ck_assert_int_eq(parse(good, err, sizeof(err)), 0);
	n = profile_selector_promql(&prof.latency_sel, NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "lat_seconds{job=\"x\",path!~\"/health|/ready\"}");
	ck_assert_uint_eq(n, strlen(buf));
	profile_selector_promql(&prof.requests, "job=\"edge\"", buf, sizeof(buf));
	ck_assert_str_eq(buf, "reqs_total{job=\"edge\"}");
	profile_selector_promql(&prof.breakers[0].sel, "", buf, sizeof(buf));
	ck_assert_str_eq(buf, "state{kind=\"a b\"}");
	/* Too small a buffer: cut, terminated, and the needed length returned. */
	n = profile_selector_promql(&prof.latency_sel, NULL, buf, 8);
	ck_assert_str_eq(buf, "lat_sec");
	ck_assert_uint_eq(n, strlen("lat_seconds{job=\"x\",path!~\"/health|/ready\"}"));
}
END_TEST

START_TEST(test_breaker_maps)
{
	char err[PROFILE_ERR_LEN];
	enum breaker_state st;

	ck_assert_int_eq(parse(good, err, sizeof(err)), 0);
	ck_assert(profile_breaker_map_label(&prof.breakers[0], "down", &st) && st == BREAKER_OPEN);
	ck_assert(profile_breaker_map_label(&prof.breakers[0], "weird=val", &st) &&
		  st == BREAKER_HALF_OPEN);
	ck_assert(!profile_breaker_map_label(&prof.breakers[0], "other", &st));
	ck_assert(profile_breaker_map_value(&prof.breakers[1], 0.5, &st) && st == BREAKER_OPEN);
	ck_assert(profile_breaker_map_value(&prof.breakers[1], 1, &st) && st == BREAKER_CLOSED);
	ck_assert(!profile_breaker_map_value(&prof.breakers[1], 2, &st));
}
END_TEST

START_TEST(test_load_file_and_unknown)
{
	char path[] = "/tmp/check_profile_XXXXXX", err[PROFILE_ERR_LEN];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("profile mine\nrows x\nrequests r\nbogus\n", f);
	fclose(f);
	ck_assert_int_eq(profile_load(path, &prof, err, sizeof(err)), -1);
	ck_assert(strncmp(err, path, strlen(path)) == 0);
	ck_assert_str_eq(err + strlen(path), ":4: unknown keyword 'bogus'");
	f = fopen(path, "w");
	fputs("profile mine\nrows x\nrequests r\n", f);
	fclose(f);
	ck_assert_int_eq(profile_load(path, &prof, err, sizeof(err)), 0);
	ck_assert_str_eq(prof.name, "mine");
	unlink(path);
	ck_assert_int_eq(profile_load("nginx", &prof, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown profile 'nginx' (built in: routertop istio linkerd envoy "
			      "haproxy traefik ingress-nginx resilience4j auto; or a file)");
	ck_assert_int_eq(profile_load("/nonexistent/p.profile", &prof, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent/p.profile: No such file or directory");
}
END_TEST

static Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_builtins_parse);
	tcase_add_test(tc, test_envoy_fields);
	tcase_add_test(tc, test_parse_good);
	tcase_add_loop_test(tc, test_parse_bad, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_loop_test(tc, test_regex, 0, (int)(sizeof(regexes) / sizeof(regexes[0])));
	tcase_add_test(tc, test_regex_long_text);
	tcase_add_test(tc, test_match_absent_label);
	tcase_add_test(tc, test_promql);
	tcase_add_test(tc, test_breaker_maps);
	tcase_add_test(tc, test_load_file_and_unknown);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(profile_suite());
}
