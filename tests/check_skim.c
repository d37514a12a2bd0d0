/*
 * Check suite for the lean readers (jscan, metrics_scan, record_skim_line):
 * wherever the lean reader answers, it answers exactly as the full reader
 * (record_parse_line) does; the lines the recorder writes take the lean
 * way; anything unusual is left to the full reader.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "jscan.h"
#include "record/reader.h"
#include "util.h"

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define T0 1764064800000LL

#define AGG "\"latency\":{\"p50\":45.2,\"p90\":89.3,\"p95\":125.7,\"p99\":234.1,\"max\":456.2," \
	"\"min\":3.1,\"avg\":67.80000000000001,\"count\":1250},\"throughput\":{\"requestsPerSecond\":156.3," \
	"\"requestsPerMinute\":9378.0},\"errorRates\":{\"circuitBreakerTrips\":0,\"rateLimitViolations\":2," \
	"\"timeouts\":1,\"failures\":3},\"circuitBreakerStatus\":{\"state\":\"closed\",\"isHealthy\":true," \
	"\"failureRate\":0.002,\"avgResponseTime\":67.8,\"recommendation\":\"Service healthy\"}"
#define ROWS "\"upstreams\":[{\"name\":\"chat\",\"latency\":{\"p95\":120,\"p99\":200.5}," \
	"\"circuitBreakerStatus\":{\"state\":\"open\"}},{\"latency\":null,\"name\":\"search\"," \
	"\"requests\":{\"total\":10,\"failed\":1}}]"

/* Lines the lean reader must take. */
static const char *const lean_lines[] = {
	"{\"t\":1764064800000,\"source\":\"sim\",\"metrics\":{" AGG "}}",
	"{\"t\": 1764064800000.7, \"source\": \"sim\", \"metrics\": {" AGG ", " ROWS "}}  ",
	"{" AGG ",\"timestamp\":1764064801000}",
	"{" AGG "}",
	"{\"t\":5,\"metrics\":{" ROWS "}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"latency\":{\"p95\":-1},\"unknown\":[1,{\"a\":\"\\u00e9\"}]}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"requests\":{\"total\":1e3,\"failed\":0.0}}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"activeUsers\":null,\"uptimeSeconds\":12.5}}",
};

/* Lines the full reader decides (good or bad); the lean one must step aside or agree. */
static const char *const other_lines[] = {
	"{\"t\":5,\"metrics\":{\"requests\":null," AGG ",\"activeUsers\":null,\"uptimeSeconds\":12.5}}",
	"{\"t\":5,\"event\":{\"type\":\"breaker\",\"from\":\"closed\",\"to\":\"open\"}}",
	"{\"t\":5,\"metrics\":{" AGG "},\"event\":{}}",
	"{\"t\":-5,\"metrics\":{" AGG "}}",
	"{\"metrics\":{" AGG "}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"latency\":{\"p95\":-1}}}",
	"{\"t\":5,\"metrics\":{\"latency\":{\"p95\":-1}," AGG "}}",
	"{\"t\":5,\"metrics\":{\"errorRates\":{\"failures\":1.5}," AGG "}}",
	"{\"t\":5,\"metrics\":{\"circuitBreakerStatus\":{\"failureRate\":1.5}," AGG "}}",
	"{\"t\":5,\"metrics\":{\"circuitBreakerStatus\":{\"state\":\"HALF_open\"}," AGG "}}",
	"{\"t\":5,\"metrics\":{\"circuitBreakerStatus\":{\"state\":\"weird\"}," AGG "}}",
	"{\"t\":5,\"metrics\":{\"circuitBreakerStatus\":{\"recommendation\":\"a\\nb\"}," AGG "}}",
	"{\"t\":5,\"metrics\":{\"latency\":{\"p95\":1e16}," AGG "}}",
	"{\"t\":5,\"metrics\":{\"latency\":\"x\"," AGG "}}",
	"{\"t\":5,\"metrics\":{\"throughput\":{}}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"upstreams\":[{\"name\":\"a\"},{\"name\":\"a\"}]}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"upstreams\":[{\"name\":\"\"}]}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"upstreams\":[{\"latency\":{}}]}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"upstreams\":null}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"upstreams\":[]}}",
	"{\"t\":5,\"metrics\":{" AGG ",\"upstreams\":[{\"name\":\"\\u202eevil\"}]}}",
	"{\"t\":5,\"metrics\":{" AGG "}} x",
	"{\"t\":5,\"metrics\":{" AGG "}",
	"{\"t\":5,\"metrics\":{" AGG ",}}",
	"{\"t\":05,\"metrics\":{" AGG "}}",
	"{" AGG ",\"t\":5}",
	"[1,2]",
	"",
	"{}",
	"{\"t\":5,\"t\":\"x\",\"metrics\":{" AGG ",\"latency\":{\"p95\":1},\"timestamp\":3,\"timestamp\":-1}}",
};

static void same_as_full(const char *line, bool must_skim)
{
	struct record lean, full;
	char msg[256];
	size_t len = strlen(line);
	int lrc = record_skim_line(line, len, T0, &lean);
	int frc = record_parse_line(line, len, T0, &full, msg, sizeof(msg));

	if (must_skim)
		ck_assert_msg(lrc == 0, "lean reader refused %s", line);
	if (lrc == 0) {
		ck_assert_msg(frc == 0, "lean took a line the full reader rejects (%s): %s", msg, line);
		ck_assert_int_eq(full.kind, RECORD_SNAPSHOT);
		ck_assert_int_eq(lean.t, full.t);
		ck_assert_msg(metrics_equal(&lean.snap, &full.snap), "different snapshot: %s", line);
		record_free(&lean);
	} else {
		ck_assert_ptr_null(lean.snap.rows);
	}
	if (frc == 0)
		record_free(&full);
}

START_TEST(test_lean_lines)
{
	same_as_full(lean_lines[_i], true);
}
END_TEST

START_TEST(test_other_lines)
{
	same_as_full(other_lines[_i], false);
}
END_TEST

/* Every prefix of every line, and every line with each byte changed, agree too. */
START_TEST(test_mutations_agree)
{
	const char *line = lean_lines[_i];
	size_t len = strlen(line);
	char *copy = xmalloc(len + 1);
	static const char subst[] = { '"', '{', '}', ',', ':', '-', '0', 'e', '\\', ' ', 'x', '\x01' };

	for (size_t cut = 0; cut < len; cut++) {
		memcpy(copy, line, cut);
		copy[cut] = '\0';
		same_as_full(copy, false);
	}
	for (size_t i = 0; i < len; i++) {
		for (size_t k = 0; k < sizeof(subst); k++) {
			memcpy(copy, line, len + 1);
			copy[i] = subst[k];
			same_as_full(copy, false);
		}
	}
	free(copy);
}
END_TEST

static const struct {
	const char *text;
	double want;
} numbers[] = {
	{ "0", 0 }, { "-0.5", -0.5 }, { "123.456", 123.456 }, { "38.727846889952154", 38.727846889952154 },
	{ "1e3", 1000 }, { "2.5E-3", 0.0025 }, { "0.1", 0.1 }, { "999999999999999", 999999999999999.0 },
	{ "0.000000000000000000001", 1e-21 }, { "9007199254740993", 9007199254740993.0 },
};

START_TEST(test_numbers_as_strtod)
{
	struct jscan c = { numbers[_i].text, numbers[_i].text + strlen(numbers[_i].text) };
	double v;

	ck_assert_int_eq(jscan_number(&c, &v), 0);
	ck_assert(v == strtod(numbers[_i].text, NULL));
	ck_assert(v == numbers[_i].want);
	ck_assert(c.p == c.end);
}
END_TEST

static const char *const bad_numbers[] = { "-", "01", "1.", ".5", "1e", "+1", "x" };

START_TEST(test_bad_numbers)
{
	struct jscan c = { bad_numbers[_i], bad_numbers[_i] + strlen(bad_numbers[_i]) };
	double v;

	/* "01" scans as 0 with "1" left over: the caller then finds no ',' or '}'. */
	if (jscan_number(&c, &v) == 0)
		ck_assert(c.p != c.end);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("skim");
	TCase *tc = tcase_create("skim");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_lean_lines, 0, N_ELEMS(lean_lines));
	tcase_add_loop_test(tc, test_other_lines, 0, N_ELEMS(other_lines));
	tcase_add_loop_test(tc, test_mutations_agree, 0, N_ELEMS(lean_lines));
	tcase_add_loop_test(tc, test_numbers_as_strtod, 0, N_ELEMS(numbers));
	tcase_add_loop_test(tc, test_bad_numbers, 0, N_ELEMS(bad_numbers));
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
