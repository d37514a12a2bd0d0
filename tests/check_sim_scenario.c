#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "sim/scenario.h"

#define OK_PHASES "\"phases\":[{\"users\":1,\"requests\":1}]"

static const struct {
	const char *json;
	const char *err;
} bad[] = {
	{ "{\"phases\":[{\"users\":1,\"requests\":1},{\"users\":0,\"requests\":1}]}",
	  "t.json: phases[1].users: must be at least 1" },
	{ "{\"phases\":[{\"users\":1,\"requests\":1,\"userz\":3}]}",
	  "t.json: phases[0].userz: unknown field" },
	{ "{\"bogus\":1," OK_PHASES "}", "t.json: bogus: unknown field" },
	{ "{\"phases\":[{\"rate\":-5,\"duration_ms\":1000}]}",
	  "t.json: phases[0].rate: must not be negative" },
	{ "{\"phases\":[{\"rate\":0,\"duration_ms\":1000}]}",
	  "t.json: phases[0].rate: must be at least 0.001" },
	{ "{\"backend\":{\"median_ms\":50,\"p99_ms\":40}," OK_PHASES "}",
	  "t.json: backend.p99_ms: must not be below median_ms" },
	{ "{\"backend\":{\"concurrency\":0}," OK_PHASES "}",
	  "t.json: backend.concurrency: must be at least 1" },
	{ "{\"backend\":{\"speed\":1}," OK_PHASES "}", "t.json: backend.speed: unknown field" },
	{ "{\"backend\":5," OK_PHASES "}", "t.json: backend: expected an object" },
	{ "{\n  \"phases\": [\n    {\"users\": }\n]}",
	  "t.json: not valid JSON (line 3, column 15)" },
	{ "[1]", "t.json: expected a JSON object" },
	{ "", "t.json: not valid JSON (line 1, column 1)" },
	{ "{}", "t.json: phases: required" },
	{ "{\"phases\":{}}", "t.json: phases: expected an array" },
	{ "{\"phases\":[]}", "t.json: phases: must hold at least 1 phase" },
	{ "{\"phases\":[3]}", "t.json: phases[0]: expected an object" },
	{ "{\"phases\":[{\"users\":2}]}",
	  "t.json: phases[0].duration_ms: required unless the phase is users with a request count" },
	{ "{\"phases\":[{\"duration_ms\":5,\"requests\":3}]}",
	  "t.json: phases[0].requests: needs users" },
	{ "{\"phases\":[{\"users\":1,\"requests\":1,\"faults\":{\"failure\":0.6,\"timeout\":0.6}}]}",
	  "t.json: phases[0].faults.failure + timeout + validation: must be at most 1" },
	{ "{\"phases\":[{\"users\":1,\"requests\":1,\"faults\":{\"timeout\":2}}]}",
	  "t.json: phases[0].faults.timeout: must be at most 1" },
	{ "{\"phases\":[{\"users\":1,\"requests\":1,\"faults\":{\"oops\":0}}]}",
	  "t.json: phases[0].faults.oops: unknown field" },
	{ "{\"phases\":[{\"users\":\"10\",\"requests\":1}]}",
	  "t.json: phases[0].users: expected a number" },
	{ "{\"phases\":[{\"users\":1.5,\"requests\":1}]}",
	  "t.json: phases[0].users: expected a whole number" },
	{ "{\"phases\":[{\"users\":1,\"requests\":1,\"think_ms\":-1}]}",
	  "t.json: phases[0].think_ms: must not be negative" },
	{ "{\"phases\":[{\"users\":1,\"requests\":1,\"name\":7}]}",
	  "t.json: phases[0].name: expected a string" },
	{ "{\"breaker\":{\"half_open_calls\":2,\"successes\":3}," OK_PHASES "}",
	  "t.json: breaker.successes: must be between 1 and half_open_calls" },
	{ "{\"breaker\":{\"failure_rate\":1.5}," OK_PHASES "}",
	  "t.json: breaker.failure_rate: must be at most 1" },
	{ "{\"limiter\":{\"rate\":-1}," OK_PHASES "}", "t.json: limiter.rate: must not be negative" },
	{ "{\"limiter\":{\"rate\":10,\"burst\":0}," OK_PHASES "}",
	  "t.json: limiter.burst: must be at least 1" },
	{ "{\"repeat\":\"yes\"," OK_PHASES "}", "t.json: repeat: expected true or false" },
	{ "{\"window\":0," OK_PHASES "}", "t.json: window: must be at least 1" },
	{ "{\"window\":20000000," OK_PHASES "}", "t.json: window: must be at most 1e+07" },
	{ "{\"name\":\"0123456789012345678901234567890123456789012345678\"," OK_PHASES "}",
	  "t.json: name: longer than 47 characters" },
	/* Upstreams. */
	{ "{\"upstreams\":{}," OK_PHASES "}", "t.json: upstreams: expected an array" },
	{ "{\"upstreams\":[]," OK_PHASES "}", "t.json: upstreams: must hold at least 1 upstream" },
	{ "{\"upstreams\":[3]," OK_PHASES "}", "t.json: upstreams[0]: expected an object" },
	{ "{\"upstreams\":[{\"weight\":1}]," OK_PHASES "}", "t.json: upstreams[0].name: required" },
	{ "{\"upstreams\":[{\"name\":5}]," OK_PHASES "}", "t.json: upstreams[0].name: expected a string" },
	{ "{\"upstreams\":[{\"name\":\"\"}]," OK_PHASES "}",
	  "t.json: upstreams[0].name: must not be empty" },
	{ "{\"upstreams\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"a\"}]," OK_PHASES "}",
	  "t.json: upstreams[2].name: \"a\" is upstreams[0] already" },
	{ "{\"upstreams\":[{\"name\":\"a\",\"weight\":0}]," OK_PHASES "}",
	  "t.json: upstreams[0].weight: must be at least 0.001" },
	{ "{\"upstreams\":[{\"name\":\"a\",\"wieght\":1}]," OK_PHASES "}",
	  "t.json: upstreams[0].wieght: unknown field" },
	{ "{\"upstreams\":[{\"name\":\"a\"},{\"name\":\"b\",\"backend\":{\"p99_ms\":1}}]," OK_PHASES "}",
	  "t.json: upstreams[1].backend.p99_ms: must not be below median_ms" },
	{ "{\"upstreams\":[{\"name\":\"a\",\"breaker\":{\"window\":0}}]," OK_PHASES "}",
	  "t.json: upstreams[0].breaker.window: must be at least 1" },
	{ "{\"phases\":[{\"users\":1,\"requests\":1,\"upstream_faults\":{\"a\":{}}}]}",
	  "t.json: phases[0].upstream_faults: needs upstreams" },
	{ "{\"upstreams\":[{\"name\":\"a\"}],"
	  "\"phases\":[{\"users\":1,\"requests\":1,\"upstream_faults\":{\"b\\u001b\":{}}}]}",
	  "t.json: phases[0].upstream_faults.b : no such upstream" },
	{ "{\"upstreams\":[{\"name\":\"a\"}],"
	  "\"phases\":[{\"users\":1,\"requests\":1,\"upstream_faults\":{\"a\":3}}]}",
	  "t.json: phases[0].upstream_faults.a: expected an object" },
	{ "{\"upstreams\":[{\"name\":\"a\"}],"
	  "\"phases\":[{\"users\":1,\"requests\":1,\"upstream_faults\":{\"a\":{\"timeout\":2}}}]}",
	  "t.json: phases[0].upstream_faults.a.timeout: must be at most 1" },
	{ "{\"upstreams\":[{\"name\":\"a\"}],"
	  "\"phases\":[{\"users\":1,\"requests\":1,\"faults\":{\"failure\":0.5},"
	  "\"upstream_faults\":{\"a\":{\"timeout\":0.6}}}]}",
	  "t.json: phases[0].upstream_faults.a.failure + timeout + validation: must be at most 1" },
};

START_TEST(test_bad_scenario)
{
	struct scenario *sc = malloc(sizeof(*sc));
	char err[256] = "";

	ck_assert_int_eq(scenario_parse(bad[_i].json, strlen(bad[_i].json), "t.json", sc, err,
					sizeof(err)), -1);
	ck_assert_str_eq(err, bad[_i].err);
	free(sc);
}
END_TEST

START_TEST(test_too_big)
{
	struct scenario *sc = malloc(sizeof(*sc));
	size_t n = SCENARIO_MAX_BYTES + 1;
	char *text = malloc(n);
	char err[256];

	memset(text, ' ', n);
	ck_assert_int_eq(scenario_parse(text, n, "big.json", sc, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "big.json: larger than 65536 bytes");
	free(text);
	free(sc);
}
END_TEST

static const char *const builtin_names[] = { "baseline", "concurrent", "ratelimit", "breaker", "steady" };

/* The compiled-in copy must be the file in data/scenarios, byte for byte. */
START_TEST(test_builtin_matches_file)
{
	char path[512], *text;
	const char *json = scenario_builtin_json(builtin_names[_i]);
	FILE *f;
	long n;

	ck_assert_ptr_nonnull(json);
	snprintf(path, sizeof(path), "%s/data/scenarios/%s.json", RT_SRCDIR, builtin_names[_i]);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	ck_assert_str_eq(json, text);
	free(text);
}
END_TEST

START_TEST(test_builtin_parses)
{
	struct scenario *sc = malloc(sizeof(*sc));
	char err[256] = "";

	ck_assert_msg(scenario_load(builtin_names[_i], sc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(sc->name, builtin_names[_i]);
	ck_assert_uint_ge(sc->nphases, 1);
	ck_assert(scenario_endless(sc) == (strcmp(builtin_names[_i], "steady") == 0));
	free(sc);
}
END_TEST

START_TEST(test_values)
{
	static const char json[] =
		"{\"repeat\":true,\"window\":500,"
		"\"backend\":{\"median_ms\":10.5,\"p99_ms\":100,\"concurrency\":3,\"timeout_ms\":800},"
		"\"breaker\":{\"failures\":7,\"open_ms\":1500,\"half_open_calls\":4,\"successes\":2},"
		"\"limiter\":{\"rate\":20.5},"
		"\"phases\":[{\"name\":\"a\",\"users\":4,\"requests\":9,\"think_ms\":25},"
		"{\"duration_ms\":2000,\"rate\":50,\"faults\":{\"failure\":0.1,\"timeout\":0.2,\"validation\":0.3}}]}";
	struct scenario *sc = malloc(sizeof(*sc));
	char err[256] = "";

	ck_assert_msg(scenario_parse(json, strlen(json), "dir/my.json", sc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(sc->name, "my");
	ck_assert(sc->repeat);
	ck_assert_uint_eq(sc->window, 500);
	ck_assert_int_eq(sc->backend.median_us, 10500);
	ck_assert_int_eq(sc->backend.p99_us, 100000);
	ck_assert_uint_eq(sc->backend.concurrency, 3);
	ck_assert_int_eq(sc->backend.timeout_us, 800000);
	ck_assert_uint_eq(sc->breaker.failure_threshold, 7);
	ck_assert_int_eq(sc->breaker.open_timeout_us, 1500000);
	ck_assert_uint_eq(sc->breaker.half_open_calls, 4);
	ck_assert_uint_eq(sc->breaker.success_threshold, 2);
	ck_assert_uint_eq(sc->breaker.window, 20);	/* default kept */
	ck_assert_double_eq(sc->limit_rate, 20.5);
	ck_assert_uint_eq(sc->limit_burst, 21);		/* one second's worth */
	ck_assert_uint_eq(sc->nphases, 2);
	ck_assert_str_eq(sc->phases[0].name, "a");
	ck_assert_uint_eq(sc->phases[0].users, 4);
	ck_assert_uint_eq(sc->phases[0].requests, 9);
	ck_assert_int_eq(sc->phases[0].think_us, 25000);
	ck_assert_int_eq(sc->phases[0].duration_us, 0);
	ck_assert_str_eq(sc->phases[1].name, "phase 2");
	ck_assert_double_eq(sc->phases[1].rate, 50);
	ck_assert_double_eq(sc->phases[1].faults.validation, 0.3);
	free(sc);
}
END_TEST

/* Upstreams start from the top-level backend and breaker; phases may give one its own faults. */
START_TEST(test_upstreams)
{
	static const char json[] =
		"{\"backend\":{\"median_ms\":20,\"p99_ms\":100,\"concurrency\":5,\"timeout_ms\":900},"
		"\"breaker\":{\"failures\":7},"
		"\"upstreams\":[{\"name\":\"chat\",\"weight\":3,\"backend\":{\"median_ms\":40}},"
		"{\"name\":\"search\",\"breaker\":{\"open_ms\":2500}}],"
		"\"phases\":[{\"duration_ms\":1000,\"users\":1,\"faults\":{\"failure\":0.01}},"
		"{\"duration_ms\":1000,\"users\":1,\"faults\":{\"failure\":0.02},"
		"\"upstream_faults\":{\"search\":{\"timeout\":0.4}}}]}";
	struct scenario *sc = malloc(sizeof(*sc));
	char err[256] = "";

	ck_assert_msg(scenario_parse(json, strlen(json), "u.json", sc, err, sizeof(err)) == 0, "%s", err);
	ck_assert(sc->rows);
	ck_assert_uint_eq(sc->nupstreams, 2);
	ck_assert_str_eq(sc->upstreams[0].name, "chat");
	ck_assert_double_eq(sc->upstreams[0].weight, 3);
	ck_assert_int_eq(sc->upstreams[0].backend.median_us, 40000);
	ck_assert_int_eq(sc->upstreams[0].backend.p99_us, 100000);	/* the top level's */
	ck_assert_uint_eq(sc->upstreams[0].backend.concurrency, 5);
	ck_assert_uint_eq(sc->upstreams[0].breaker.failure_threshold, 7);
	ck_assert_double_eq(sc->upstreams[1].weight, 1);		/* default */
	ck_assert_int_eq(sc->upstreams[1].backend.median_us, 20000);
	ck_assert_int_eq(sc->upstreams[1].breaker.open_timeout_us, 2500000);
	ck_assert_uint_eq(sc->upstreams[1].breaker.failure_threshold, 7);
	/* Phase 1: search has its own faults, over the phase's; chat the phase's. */
	ck_assert_double_eq(scenario_faults(sc, 0, 1)->failure, 0.01);
	ck_assert_double_eq(scenario_faults(sc, 1, 0)->failure, 0.02);
	ck_assert_double_eq(scenario_faults(sc, 1, 0)->timeout, 0);
	ck_assert_double_eq(scenario_faults(sc, 1, 1)->failure, 0.02);
	ck_assert_double_eq(scenario_faults(sc, 1, 1)->timeout, 0.4);
	free(sc);
}
END_TEST

/* The single-backend format: one upstream named default, made of the top level; no rows. */
START_TEST(test_single_backend_format)
{
	struct scenario *sc = malloc(sizeof(*sc));
	char err[256] = "";

	ck_assert_msg(scenario_load("ratelimit", sc, err, sizeof(err)) == 0, "%s", err);
	ck_assert(!sc->rows);
	ck_assert_uint_eq(sc->nupstreams, 1);
	ck_assert_str_eq(sc->upstreams[0].name, "default");
	ck_assert_int_eq(sc->upstreams[0].backend.median_us, sc->backend.median_us);
	ck_assert_uint_eq(sc->upstreams[0].backend.concurrency, 128);
	ck_assert_int_eq(memcmp(&sc->upstreams[0].breaker, &sc->breaker, sizeof(sc->breaker)), 0);
	ck_assert_ptr_eq(scenario_faults(sc, 1, 0), &sc->phases[1].faults);
	free(sc);
}
END_TEST

START_TEST(test_load_file_and_missing)
{
	struct scenario *sc = malloc(sizeof(*sc));
	char path[] = "/tmp/check_sim_scenarioXXXXXX", err[256] = "";
	static const char json[] = "{" OK_PHASES "}";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, json, strlen(json)), (int)strlen(json));
	close(fd);
	ck_assert_msg(scenario_load(path, sc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(sc->nphases, 1);
	unlink(path);
	ck_assert_int_eq(scenario_load(path, sc, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ": No such file or directory"));
	ck_assert_int_eq(strncmp(err, path, strlen(path)), 0);
	ck_assert_int_eq(scenario_load("nosuch", sc, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "nosuch: No such file or directory (built-in scenarios: "
			      "baseline concurrent ratelimit breaker steady demo)");
	free(sc);
}
END_TEST

START_TEST(test_big_file)
{
	struct scenario *sc = malloc(sizeof(*sc));
	char path[] = "/tmp/check_sim_scenarioXXXXXX", err[256] = "";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	for (int i = 0; i < 70000; i++)
		fputc(' ', f);
	fclose(f);
	ck_assert_int_eq(scenario_load(path, sc, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ": larger than 65536 bytes"));
	unlink(path);
	free(sc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_scenario");
	TCase *tc = tcase_create("scenario");

	tcase_add_loop_test(tc, test_bad_scenario, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_too_big);
	tcase_add_loop_test(tc, test_builtin_matches_file, 0, 5);
	tcase_add_loop_test(tc, test_builtin_parses, 0, 5);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_upstreams);
	tcase_add_test(tc, test_single_backend_format);
	tcase_add_test(tc, test_load_file_and_missing);
	tcase_add_test(tc, test_big_file);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
