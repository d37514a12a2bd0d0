/*
 * The Prometheus HTTP API answer reader. The good answers are written as
 * Prometheus 2.42 writes them (its HTTP API documentation's examples, and
 * what /api/v1/query answered for the fleet test's queries); the bad ones
 * are each one thing wrong, with the message the reader gives.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "formats/promapi.h"

static struct promapi_answer A;

static void setup(void)
{
	promapi_init(&A);
}

static void teardown(void)
{
	promapi_free(&A);
}

static int parse(const char *text, char *err, size_t errlen)
{
	err[0] = '\0';
	return promapi_parse(&A, text, strlen(text), err, errlen);
}

static void parse_ok(const char *text)
{
	char err[256];

	ck_assert_msg(parse(text, err, sizeof(err)) == 0, "%s", err);
}

static const struct promapi_series *series_with(const char *label, const char *value)
{
	for (size_t i = 0; i < A.nseries; i++) {
		const char *v = promapi_label(&A, &A.series[i], label);

		if (v != NULL && strcmp(v, value) == 0)
			return &A.series[i];
	}
	return NULL;
}

START_TEST(test_vector)
{
	const struct promapi_series *s;

	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
		 "{\"metric\":{\"instance\":\"127.0.0.1:9101\",\"job\":\"routers\"},"
		 "\"value\":[1700000000.123,\"12.5\"]},"
		 "{\"metric\":{\"job\":\"routers\",\"instance\":\"127.0.0.1:9102\"},"
		 "\"value\":[1700000000.123,\"NaN\"]},"
		 "{\"metric\":{\"instance\":\"c\"},\"value\":[1700000000.123,\"+Inf\"]},"
		 "{\"metric\":{\"instance\":\"d\"},\"value\":[1700000000.123,\"-Inf\"]},"
		 "{\"metric\":{},\"value\":[1700000000,\"1e-3\"]}]}}");
	ck_assert(A.success);
	ck_assert(A.has_data);
	ck_assert_int_eq(A.type, PROMAPI_VECTOR);
	ck_assert_uint_eq(A.nseries, 5);
	s = series_with("instance", "127.0.0.1:9101");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(promapi_label(&A, s, "job"), "routers");
	ck_assert_ptr_null(promapi_label(&A, s, "upstream"));
	ck_assert_double_eq(promapi_value(&A, s), 12.5);
	ck_assert_double_eq(A.samples[s->sample0].t, 1700000000.123);
	/* Labels that came unsorted are found all the same. */
	s = series_with("instance", "127.0.0.1:9102");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(promapi_label(&A, s, "job"), "routers");
	ck_assert(isnan(promapi_value(&A, s)));
	ck_assert(isinf(promapi_value(&A, series_with("instance", "c"))));
	ck_assert(promapi_value(&A, series_with("instance", "c")) > 0);
	ck_assert(promapi_value(&A, series_with("instance", "d")) < 0);
	ck_assert_uint_eq(A.series[4].nlabels, 0);
	ck_assert_double_eq_tol(promapi_value(&A, &A.series[4]), 0.001, 1e-15);
	ck_assert_uint_eq(A.nwarnings, 0);
}
END_TEST

START_TEST(test_matrix)
{
	const struct promapi_series *s;

	parse_ok("{\n  \"status\" : \"success\",\n  \"data\" : {\n"
		 "    \"resultType\" : \"matrix\",\n    \"result\" : [\n"
		 "      {\"metric\" : {\"__name__\" : \"up\", \"job\" : \"prometheus\","
		 " \"instance\" : \"localhost:9090\"},\n"
		 "       \"values\" : [[1435781430.781, \"1\"], [1435781445.781, \"1\"],"
		 " [1435781460.781, \"0\"]]},\n"
		 "      {\"metric\" : {\"instance\" : \"localhost:9091\"}, \"values\" : []}\n"
		 "    ]\n  }\n}\n");
	ck_assert_int_eq(A.type, PROMAPI_MATRIX);
	ck_assert_uint_eq(A.nseries, 2);
	s = series_with("instance", "localhost:9090");
	ck_assert_str_eq(promapi_label(&A, s, "__name__"), "up");
	ck_assert_uint_eq(s->nsamples, 3);
	ck_assert_double_eq(A.samples[s->sample0 + 1].t, 1435781445.781);
	ck_assert_double_eq(promapi_value(&A, s), 0.0);
	s = series_with("instance", "localhost:9091");
	ck_assert_uint_eq(s->nsamples, 0);
	ck_assert(isnan(promapi_value(&A, s)));
}
END_TEST

START_TEST(test_scalar_and_string)
{
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
		 "\"result\":[1435781451.781,\"1\"]}}");
	ck_assert_int_eq(A.type, PROMAPI_SCALAR);
	ck_assert_uint_eq(A.nseries, 1);
	ck_assert_double_eq(promapi_value(&A, &A.series[0]), 1.0);
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"string\","
		 "\"result\":[1435781451.781,\"hello\"]}}");
	ck_assert_int_eq(A.type, PROMAPI_STRING);
	ck_assert_str_eq(promapi_text(&A, A.string_value), "hello");
	ck_assert(isnan(promapi_value(&A, &A.series[0])));
	/* With no resultType the shape tells. */
	parse_ok("{\"status\":\"success\",\"data\":{\"result\":[1,\"NaN\"]}}");
	ck_assert_int_eq(A.type, PROMAPI_SCALAR);
	ck_assert(isnan(promapi_value(&A, &A.series[0])));
}
END_TEST

START_TEST(test_empty)
{
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
	ck_assert_int_eq(A.type, PROMAPI_VECTOR);
	ck_assert_uint_eq(A.nseries, 0);
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":null}}");
	ck_assert_int_eq(A.type, PROMAPI_MATRIX);
	ck_assert_uint_eq(A.nseries, 0);
}
END_TEST

/* Prometheus' own errors are good answers: the type and message are for the user. */
START_TEST(test_error)
{
	parse_ok("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter "
		 "\\\"query\\\": 1:1: parse error: unexpected \\\"}\\\"\"}");
	ck_assert(!A.success);
	ck_assert(!A.has_data);
	ck_assert_str_eq(A.error_type, "bad_data");
	ck_assert_str_eq(A.error, "invalid parameter \"query\": 1:1: parse error: unexpected \"}\"");
	parse_ok("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in "
		 "expression evaluation\"}");
	ck_assert_str_eq(A.error_type, "timeout");
	/* Members in another order, and a partial result along with the error. */
	parse_ok("{\"data\":{\"result\":[{\"value\":[1,\"2\"],\"metric\":{\"instance\":\"a\"}}],"
		 "\"resultType\":\"vector\"},\"error\":\"store unavailable\",\"errorType\":"
		 "\"unavailable\",\"status\":\"error\"}");
	ck_assert(!A.success);
	ck_assert(A.has_data);
	ck_assert_uint_eq(A.nseries, 1);
	ck_assert_double_eq(promapi_value(&A, series_with("instance", "a")), 2.0);
}
END_TEST

START_TEST(test_warnings)
{
	parse_ok("{\"status\":\"success\",\"warnings\":[\"PromQL info: metric might not be a "
		 "counter\",\"partial response: store 10.0.0.1:10901 unavailable\",\"3\",\"4\","
		 "\"5\",\"6\"],\"infos\":[\"a\",\"b\"],\"data\":{\"resultType\":\"vector\","
		 "\"result\":[]}}");
	ck_assert(A.success);
	ck_assert_uint_eq(A.nwarnings, 6);
	ck_assert_str_eq(A.warnings[1], "partial response: store 10.0.0.1:10901 unavailable");
	ck_assert_str_eq(A.warnings[PROMAPI_WARNINGS_KEPT - 1], "4");
	ck_assert_uint_eq(A.ninfos, 2);
	/* The server's messages are stored through the funnel. */
	parse_ok("{\"status\":\"error\",\"errorType\":\"x\\u001b[2J\",\"error\":\"a\\u001b]0;"
		 "title\\u0007b\\nc\",\"warnings\":[\"w\\u202ex\"]}");
	ck_assert_str_eq(A.error_type, "x [2J");
	ck_assert_str_eq(A.error, "a ]0;title b c");
	ck_assert_str_eq(A.warnings[0], "wx");
}
END_TEST

START_TEST(test_escapes_and_unknown)
{
	const struct promapi_series *s;

	parse_ok("{\"status\":\"success\",\"extra\":{\"x\":[1,2,{\"y\":null}],\"z\":true},"
		 "\"data\":{\"resultType\":\"vector\",\"stats\":{\"timings\":{}},\"result\":["
		 "{\"metric\":{\"instance\":\"caf\\u00e9 \\\"q\\\" \\ud83d\\ude00 \\ud800 \\u0000 "
		 "\\/\\\\\"},\"value\":[1,\"5\"]},"
		 "{\"metric\":{\"instance\":\"h\"},\"histogram\":[1,{\"count\":\"2\",\"sum\":\"3\","
		 "\"buckets\":[[0,\"0\",\"1\",\"2\"]]}]}]}}");
	ck_assert_uint_eq(A.nseries, 2);
	ck_assert_str_eq(promapi_label(&A, &A.series[0], "instance"),
			 "caf\xc3\xa9 \"q\" \xf0\x9f\x98\x80 \xef\xbf\xbd \xef\xbf\xbd /\\");
	/* A native histogram is no sample value. */
	s = series_with("instance", "h");
	ck_assert_uint_eq(s->nsamples, 0);
	ck_assert(isnan(promapi_value(&A, s)));
	/* A sample value may come as a JSON number, and times in exponent form. */
	parse_ok("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
		 "{\"metric\":{},\"value\":[1.7e9,3.25]}]}}");
	ck_assert_double_eq(A.samples[0].t, 1.7e9);
	ck_assert_double_eq(A.samples[0].v, 3.25);
}
END_TEST

/* A long label value is cut between characters; one over the label cap is an error. */
START_TEST(test_caps)
{
	size_t big = PROMAPI_TEXT_MAX + 100, at = 0;
	char *text = malloc(big + 4096), err[256];
	const char *v;

	at += (size_t)sprintf(text, "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":"
			      "{\"i\":\"x");
	for (size_t i = 0; i < (big - 1) / 2; i++) {
		text[at++] = '\xc3';
		text[at++] = '\xa9';
	}
	at += (size_t)sprintf(text + at, "\"},\"value\":[1,\"1\"]}]}}");
	ck_assert_int_eq(promapi_parse(&A, text, at, err, sizeof(err)), 0);
	v = promapi_label(&A, &A.series[0], "i");
	ck_assert_uint_eq(strlen(v), PROMAPI_TEXT_MAX - 1);	/* "x" and whole é's */
	ck_assert_int_eq((unsigned char)v[strlen(v) - 1], 0xa9);

	at = (size_t)sprintf(text, "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{");
	for (int i = 0; i <= PROMAPI_LABELS_MAX; i++)
		at += (size_t)sprintf(text + at, "%s\"l%03d\":\"v\"", i ? "," : "", i);
	at += (size_t)sprintf(text + at, "},\"value\":[1,\"1\"]}]}}");
	ck_assert_int_eq(promapi_parse(&A, text, at, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "data.result[0].metric: more than 128 labels") != NULL, "%s", err);
	ck_assert_uint_eq(A.nseries, 0);
	free(text);
}
END_TEST

START_TEST(test_series_cap)
{
	static const char head[] = "{\"status\":\"success\",\"data\":{\"result\":[";
	static const char one[] = "{\"metric\":{},\"value\":[1,\"1\"]},";
	size_t n = PROMAPI_SERIES_MAX + 1, at = 0;
	char *text = malloc(sizeof(head) + n * (sizeof(one) - 1) + 16), err[256];

	memcpy(text, head, sizeof(head) - 1);
	at = sizeof(head) - 1;
	for (size_t i = 0; i < n; i++) {
		memcpy(text + at, one, sizeof(one) - 1);
		at += sizeof(one) - 1;
	}
	at--;	/* the last comma */
	memcpy(text + at, "]}}", 3);
	at += 3;
	ck_assert_int_eq(promapi_parse(&A, text, at, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "more than 200000 series") != NULL, "%s", err);
	/* One fewer is fine. */
	at -= 3 + (sizeof(one) - 1);
	memcpy(text + at, "]}}", 3);
	at += 3;
	ck_assert_int_eq(promapi_parse(&A, text, at, err, sizeof(err)), 0);
	ck_assert_uint_eq(A.nseries, PROMAPI_SERIES_MAX);
	free(text);
}
END_TEST

struct bad {
	const char *text, *err;
};

#define OK_HEAD "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
static const struct bad bads[] = {
	{ "", "byte 0: expected a JSON object (is this the Prometheus HTTP API?)" },
	{ "<html>Bad Gateway</html>", "byte 0: expected a JSON object (is this the Prometheus HTTP API?)" },
	{ "{}", "byte 2: status: missing (is this the Prometheus HTTP API?)" },
	{ "{\"status\":\"ok\"}", "byte 14: status: expected \"success\" or \"error\"" },
	{ "{\"status\":\"success\"}", "byte 20: data: missing" },
	{ "{\"status\":\"success\",\"data\":{}}", "byte 29: data.result: missing" },
	{ "{\"status\":\"success\",\"data\":[]}", "byte 27: data: expected an object" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[]}}",
	  "byte 63: data.resultType: unknown type \"streams\"" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[1,\"2\"]}}",
	  "byte 67: data.result: expected series for a vector" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[{}]}}",
	  "byte 64: data.result: expected [time, value] for a scalar" },
	{ "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"x\"]}}",
	  "byte 67: data.result[1]: expected a sample value" },
	{ OK_HEAD "{\"metric\":{},\"value\":[1,\"abc\"]}]}}",
	  "byte 89: data.result[0].value[1]: expected a sample value, not a string like that" },
	{ OK_HEAD "{\"metric\":{},\"value\":[1,\"0x10\"]}]}}",
	  "byte 90: data.result[0].value[1]: expected a sample value, not a string like that" },
	{ OK_HEAD "{\"metric\":{},\"value\":[1]}]}}",
	  "byte 83: data.result[0].value: expected [time, value]" },
	{ OK_HEAD "{\"metric\":{},\"value\":[\"1\",\"2\"]}]}}",
	  "byte 82: data.result[0].value: expected a number" },
	{ OK_HEAD "{\"metric\":{\"a\":1},\"value\":[1,\"2\"]}]}}",
	  "byte 75: data.result[0].metric: expected a string" },
	{ OK_HEAD "{\"metric\":[],\"value\":[1,\"2\"]}]}}",
	  "byte 70: data.result[0].metric: expected an object" },
	{ OK_HEAD "{\"metric\":{},\"values\":[[1,\"2\"],]}]}}",
	  "byte 91: data.result[0].values: expected [time, value]" },
	{ OK_HEAD "7]}}", "byte 61: data.result: expected [time, value]" },
	{ OK_HEAD "\"7\"]}}", "byte 60: data.result[0]: expected a series object" },
	{ OK_HEAD "{\"metric\":{}} {}]}}", "byte 74: data.result: expected ',' or ']' after series 1" },
	{ OK_HEAD "]}} x", "byte 64: text after the answer" },
	{ OK_HEAD "]}", "byte 62: expected ',' or '}' after a member" },
	{ "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{\"a\":\"b\n\"}}]}}",
	  "byte 55: data.result[0].metric: a control character in a string" },
	{ "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{\"a\":\"\\x41\"}}]}}",
	  "byte 55: data.result[0].metric: bad escape in a string" },
	{ "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{\"a\":\"\\u12\"}}]}}",
	  "byte 55: data.result[0].metric: bad escape in a string" },
	{ "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{\"a\":\"b", 
	  "byte 55: data.result[0].metric: unterminated string" },
	{ "{\"status\":\"success\",\"x\":tru}", "byte 24: x: expected a JSON value" },
	{ "{\"status\":\"success\",\"x\\u001b[2J\":@}",
	  "byte 33: x [2J: expected a JSON value" },
	{ "{\"status\":\"success\" \"data\":{}}", "byte 20: expected ',' or '}' after a member" },
	{ "{\"status\":\"error\",\"warnings\":\"w\"}", "byte 29: warnings: expected an array" },
	{ "{\"status\":\"error\",\"error\":5}", "byte 26: error: expected a string" },
};

START_TEST(test_bad)
{
	const struct bad *b = &bads[_i];
	char err[256];

	ck_assert_int_eq(parse(b->text, err, sizeof(err)), -1);
	ck_assert_str_eq(err, b->err);
	ck_assert_uint_eq(A.nseries, 0);
	ck_assert(!A.has_data);
}
END_TEST

START_TEST(test_deep)
{
	char text[1024], err[256];
	size_t at = (size_t)sprintf(text, "{\"status\":\"success\",\"x\":");

	for (int i = 0; i < PROMAPI_DEPTH + 1; i++)
		text[at++] = '[';
	for (int i = 0; i < PROMAPI_DEPTH + 1; i++)
		text[at++] = ']';
	text[at++] = '}';
	ck_assert_int_eq(promapi_parse(&A, text, at, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "x: nested more than 64 deep") != NULL, "%s", err);
}
END_TEST

/* Every cut of a good answer is an error, never a crash or a read past the end. */
START_TEST(test_truncated)
{
	static const char good[] = OK_HEAD "{\"metric\":{\"instance\":\"a\\u00e9\"},"
		"\"value\":[1700000000.5,\"-Inf\"]}],\"x\":[true,false,null,-1.5e3]},"
		"\"warnings\":[\"w\"]}";
	char err[256];

	for (size_t n = 0; n < sizeof(good) - 1; n++) {
		char *copy = malloc(n > 0 ? n : 1);

		memcpy(copy, good, n);
		ck_assert_msg(promapi_parse(&A, copy, n, err, sizeof(err)) == -1, "cut at %zu", n);
		ck_assert_uint_eq(A.nseries, 0);
		free(copy);
	}
	parse_ok(good);
	ck_assert_uint_eq(A.nwarnings, 1);
}
END_TEST

/* A second answer reuses the first one's memory and shows nothing of it. */
START_TEST(test_reuse)
{
	parse_ok(OK_HEAD "{\"metric\":{\"instance\":\"a\"},\"value\":[1,\"1\"]},"
		 "{\"metric\":{\"instance\":\"b\"},\"value\":[1,\"2\"]}]},\"warnings\":[\"w\"]}");
	ck_assert_uint_eq(A.nseries, 2);
	parse_ok("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"slow\"}");
	ck_assert_uint_eq(A.nseries, 0);
	ck_assert_uint_eq(A.nwarnings, 0);
	ck_assert(!A.has_data);
	ck_assert_int_eq(A.type, PROMAPI_NONE);
	parse_ok(OK_HEAD "]}}");
	ck_assert_str_eq(A.error, "");
	ck_assert(A.success);
}
END_TEST

struct number_case {
	const char *text;
	int rc;
	double v;
};

static const struct number_case numbers[] = {
	{ "0", 0, 0.0 }, { "12.5", 0, 12.5 }, { "-3", 0, -3.0 }, { "1e-3", 0, 0.001 },
	{ "2.5E+2", 0, 250.0 }, { "0.000123", 0, 0.000123 },
	{ "123456789012345678901234567890", 0, 123456789012345678901234567890.0 },
	{ "", -1, 0 }, { "abc", -1, 0 }, { "1.", -1, 0 }, { ".5", -1, 0 }, { "+1", -1, 0 },
	{ "0x10", -1, 0 }, { "1e", -1, 0 }, { "1 ", -1, 0 }, { "infinity", -1, 0 }, { "--1", -1, 0 },
};

START_TEST(test_numbers)
{
	const struct number_case *c = &numbers[_i];
	double v = -42;

	ck_assert_int_eq(promapi_number(c->text, strlen(c->text), &v), c->rc);
	if (c->rc == 0)
		ck_assert_double_eq_tol(v, c->v, fabs(c->v) * 1e-15 + 1e-300);
}
END_TEST

START_TEST(test_specials)
{
	double v;

	ck_assert_int_eq(promapi_number("NaN", 3, &v), 0);
	ck_assert(isnan(v));
	ck_assert_int_eq(promapi_number("nan", 3, &v), 0);
	ck_assert(isnan(v));
	ck_assert_int_eq(promapi_number("+Inf", 4, &v), 0);
	ck_assert(isinf(v) && v > 0);
	ck_assert_int_eq(promapi_number("Inf", 3, &v), 0);
	ck_assert(isinf(v) && v > 0);
	ck_assert_int_eq(promapi_number("-Inf", 4, &v), 0);
	ck_assert(isinf(v) && v < 0);
	/* Go writes huge values in full: hundreds of digits. */
	{
		char big[320];

		memset(big, '9', 309);
		big[309] = '\0';
		ck_assert_int_eq(promapi_number(big, 309, &v), 0);
		ck_assert(v > 9.9e307);
	}
	ck_assert_str_eq(promapi_type_name(PROMAPI_MATRIX), "matrix");
	ck_assert_str_eq(promapi_type_name(PROMAPI_NONE), "none");
}
END_TEST

static Suite *promapi_suite(void)
{
	Suite *s = suite_create("promapi");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_vector);
	tcase_add_test(tc, test_matrix);
	tcase_add_test(tc, test_scalar_and_string);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_error);
	tcase_add_test(tc, test_warnings);
	tcase_add_test(tc, test_escapes_and_unknown);
	tcase_add_test(tc, test_caps);
	tcase_add_test(tc, test_series_cap);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bads) / sizeof(bads[0]));
	tcase_add_test(tc, test_deep);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_reuse);
	tcase_add_loop_test(tc, test_numbers, 0, sizeof(numbers) / sizeof(numbers[0]));
	tcase_add_test(tc, test_specials);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(promapi_suite());
}
