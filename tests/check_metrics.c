/*
 * Tests for the metrics snapshot and its JSON form: what is accepted, what is
 * rejected and with which message, and that serialising then parsing gives
 * back the same snapshot.
 *
 * Most rejection cases start from the design.md sample, change one member
 * (given as a path such as "latency.p95") and expect one exact message, both
 * through metrics_from_cjson and through metrics_parse on the printed text.
 */
#include "metrics.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "util.h"

static const char design_sample[] =
	"{\n"
	"  \"latency\": {\"p50\": 45.2, \"p90\": 89.3, \"p95\": 125.7, \"p99\": 234.1,\n"
	"              \"max\": 456.2, \"min\": 3.1, \"avg\": 67.8, \"count\": 1250},\n"
	"  \"throughput\": {\"requestsPerSecond\": 156.3, \"requestsPerMinute\": 9378.0},\n"
	"  \"errorRates\": {\"circuitBreakerTrips\": 0, \"rateLimitViolations\": 2,\n"
	"                 \"timeouts\": 1, \"failures\": 3},\n"
	"  \"circuitBreakerStatus\": {\"state\": \"closed\", \"isHealthy\": true,\n"
	"                 \"failureRate\": 0.002, \"avgResponseTime\": 67.8,\n"
	"                 \"recommendation\": \"Service healthy\"}\n"
	"}\n";

/* Every wire field: 3 top-level, 9 latency, 2 throughput, 5 errors, 6 breaker, 4 requests. */
#define FIELD_TOTAL 29

static int parse_text(const char *text, struct metrics_snapshot *s, char *err)
{
	return metrics_parse(text, strlen(text), s, err, METRICS_ERR_LEN);
}

static void parse_ok(const char *text, struct metrics_snapshot *s)
{
	char err[METRICS_ERR_LEN] = "";

	ck_assert_msg(parse_text(text, s, err) == 0, "parse failed: %s", err);
}

/* Find the parent object of a path "a" or "a.b", creating "a" if needed. */
static cJSON *path_parent(cJSON *root, const char *path, const char **key)
{
	const char *dot = strchr(path, '.');
	char group[64];
	cJSON *obj;

	if (dot == NULL) {
		*key = path;
		return root;
	}
	ck_assert_uint_lt((size_t)(dot - path), sizeof(group));
	memcpy(group, path, (size_t)(dot - path));
	group[dot - path] = '\0';
	*key = dot + 1;
	obj = cJSON_GetObjectItemCaseSensitive(root, group);
	if (obj == NULL)
		obj = cJSON_AddObjectToObject(root, group);
	ck_assert_ptr_nonnull(obj);
	return obj;
}

/* The design sample with path set to the JSON text value (NULL: removed). */
static cJSON *sample_mutated(const char *path, const char *value)
{
	cJSON *root = cJSON_Parse(design_sample);
	const char *key;
	cJSON *parent;

	ck_assert_ptr_nonnull(root);
	parent = path_parent(root, path, &key);
	cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
	if (value != NULL) {
		cJSON *item = cJSON_Parse(value);

		ck_assert_msg(item != NULL, "bad test value %s", value);
		cJSON_AddItemToObject(parent, key, item);
	}
	return root;
}

static const cJSON *path_find(const cJSON *root, const char *path)
{
	const char *dot = strchr(path, '.');
	char group[64];

	if (dot == NULL)
		return cJSON_GetObjectItemCaseSensitive(root, path);
	memcpy(group, path, (size_t)(dot - path));
	group[dot - path] = '\0';
	return cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, group), dot + 1);
}

struct reject_case {
	const char *path;
	const char *value;	/* JSON text; NULL removes the member */
	const char *error;
};

static const struct reject_case reject_cases[] = {
	{ "latency", NULL, "latency: missing object" },
	{ "throughput", NULL, "throughput: missing object" },
	{ "errorRates", NULL, "errorRates: missing object" },
	{ "circuitBreakerStatus", NULL, "circuitBreakerStatus: missing object" },
	{ "latency", "[1, 2]", "latency: expected object" },
	{ "latency", "null", "latency: expected object" },
	{ "throughput", "\"fast\"", "throughput: expected object" },
	{ "errorRates", "5", "errorRates: expected object" },
	{ "circuitBreakerStatus", "true", "circuitBreakerStatus: expected object" },
	{ "requests", "3", "requests: expected object" },
	{ "requests", "[]", "requests: expected object" },
	{ "latency.p95", "\"fast\"", "latency.p95: expected number" },
	{ "latency.count", "true", "latency.count: expected number" },
	{ "throughput.requestsPerSecond", "{}", "throughput.requestsPerSecond: expected number" },
	{ "errorRates.failures", "\"3\"", "errorRates.failures: expected number" },
	{ "errorRates.validationErrors", "false", "errorRates.validationErrors: expected number" },
	{ "circuitBreakerStatus.state", "1", "circuitBreakerStatus.state: expected string" },
	{ "circuitBreakerStatus.state", "[\"open\"]", "circuitBreakerStatus.state: expected string" },
	{ "circuitBreakerStatus.isHealthy", "\"yes\"", "circuitBreakerStatus.isHealthy: expected boolean" },
	{ "circuitBreakerStatus.isHealthy", "1", "circuitBreakerStatus.isHealthy: expected boolean" },
	{ "circuitBreakerStatus.recommendation", "[]", "circuitBreakerStatus.recommendation: expected string" },
	{ "circuitBreakerStatus.failureRate", "\"0.1\"", "circuitBreakerStatus.failureRate: expected number" },
	{ "timestamp", "\"now\"", "timestamp: expected number" },
	{ "requests.total", "\"many\"", "requests.total: expected number" },
	{ "errorRates.timeouts", "-3", "errorRates.timeouts: -3 is negative" },
	{ "errorRates.circuitBreakerTrips", "-1", "errorRates.circuitBreakerTrips: -1 is negative" },
	{ "requests.pending", "-1", "requests.pending: -1 is negative" },
	{ "activeUsers", "-7", "activeUsers: -7 is negative" },
	{ "circuitBreakerStatus.stateSinceMs", "-5", "circuitBreakerStatus.stateSinceMs: -5 is negative" },
	{ "latency.count", "2.5", "latency.count: 2.5 is not a whole number" },
	{ "activeUsers", "0.5", "activeUsers: 0.5 is not a whole number" },
	{ "timestamp", "1755565795196.5", "timestamp: 1755565795196.5 is not a whole number" },
	{ "circuitBreakerStatus.stateSinceMs", "1000.25",
	  "circuitBreakerStatus.stateSinceMs: 1000.25 is not a whole number" },
	{ "latency.p99", "1e308", "latency.p99: 1e+308 is out of range" },
	{ "latency.p99", "-1e308", "latency.p99: -1e+308 is out of range" },
	{ "latency.count", "1e16", "latency.count: 1e+16 is out of range" },
	{ "timestamp", "1000000000000001", "timestamp: 1000000000000001 is out of range" },
	{ "latency.p50", "-1", "latency.p50: -1 is negative" },
	{ "latency.p99", "-1e15", "latency.p99: -1e+15 is negative" },
	{ "latency.avg", "-0.5", "latency.avg: -0.5 is negative" },
	{ "throughput.requestsPerMinute", "-10", "throughput.requestsPerMinute: -10 is negative" },
	{ "circuitBreakerStatus.avgResponseTime", "-1e-9",
	  "circuitBreakerStatus.avgResponseTime: -1e-09 is negative" },
	{ "uptimeSeconds", "-1", "uptimeSeconds: -1 is negative" },
	{ "circuitBreakerStatus.failureRate", "1.5", "circuitBreakerStatus.failureRate: 1.5 is outside 0..1" },
	{ "circuitBreakerStatus.failureRate", "-0.1", "circuitBreakerStatus.failureRate: -0.1 is outside 0..1" },
	{ "circuitBreakerStatus.state", "\"foo\"", "circuitBreakerStatus.state: unknown state \"foo\"" },
	{ "circuitBreakerStatus.state", "\"\"", "circuitBreakerStatus.state: unknown state \"\"" },
	{ "circuitBreakerStatus.state", "\"half open\"",
	  "circuitBreakerStatus.state: unknown state \"half open\"" },
	{ "circuitBreakerStatus.state", "\"half--open\"",
	  "circuitBreakerStatus.state: unknown state \"half--open\"" },
	/* The rejected text is quoted inert: no escape sequence, no line break. */
	{ "circuitBreakerStatus.state", "\"\\u001b[2J\\nopen\"",
	  "circuitBreakerStatus.state: unknown state \" [2J open\"" },
	{ "circuitBreakerStatus.state", "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
	  "circuitBreakerStatus.state: unknown state \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"" },
};

static void assert_one_line(const char *err)
{
	ck_assert_msg(strchr(err, '\n') == NULL && strchr(err, '\r') == NULL,
		      "error is not one line: %s", err);
}

START_TEST(test_reject_member)
{
	const struct reject_case *c = &reject_cases[_i];
	cJSON *root = sample_mutated(c->path, c->value);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";
	char *text;

	ck_assert_int_eq(metrics_from_cjson(root, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, c->error);
	assert_one_line(err);

	text = cJSON_Print(root);
	err[0] = '\0';
	ck_assert_int_eq(parse_text(text, &s, err), -1);
	ck_assert_str_eq(err, c->error);
	free(text);
	cJSON_Delete(root);
}
END_TEST

enum accept_result {
	ACCEPT_UNKNOWN,		/* the field stays unknown and is left out */
	ACCEPT_KNOWN,		/* the value is kept and serialised back unchanged */
	ACCEPT_IGNORED,		/* not one of ours: dropped */
};

struct accept_case {
	const char *path;
	const char *value;
	enum accept_result result;
};

static const struct accept_case accept_cases[] = {
	{ "circuitBreakerStatus.failureRate", "0", ACCEPT_KNOWN },
	{ "circuitBreakerStatus.failureRate", "1", ACCEPT_KNOWN },
	{ "circuitBreakerStatus.failureRate", "1.0", ACCEPT_KNOWN },
	{ "latency.count", "0", ACCEPT_KNOWN },
	{ "latency.count", "30.0", ACCEPT_KNOWN },
	{ "latency.count", "3e1", ACCEPT_KNOWN },
	{ "latency.count", "1e15", ACCEPT_KNOWN },
	{ "latency.p99", "1e15", ACCEPT_KNOWN },
	{ "latency.p50", "0.000001", ACCEPT_KNOWN },
	{ "latency.p50", "-0", ACCEPT_KNOWN },
	{ "timestamp", "1755565795196", ACCEPT_KNOWN },
	{ "activeUsers", "0", ACCEPT_KNOWN },
	{ "uptimeSeconds", "0.5", ACCEPT_KNOWN },
	{ "circuitBreakerStatus.isHealthy", "false", ACCEPT_KNOWN },
	{ "circuitBreakerStatus.recommendation", "\"Check the backend\"", ACCEPT_KNOWN },
	{ "circuitBreakerStatus.stateSinceMs", "0", ACCEPT_KNOWN },
	{ "errorRates.validationErrors", "4", ACCEPT_KNOWN },
	{ "requests.total", "12", ACCEPT_KNOWN },
	/* JSON null is unknown, the same as a missing member. */
	{ "latency.p95", "null", ACCEPT_UNKNOWN },
	{ "latency.count", "null", ACCEPT_UNKNOWN },
	{ "throughput.requestsPerSecond", "null", ACCEPT_UNKNOWN },
	{ "errorRates.timeouts", "null", ACCEPT_UNKNOWN },
	{ "circuitBreakerStatus.state", "null", ACCEPT_UNKNOWN },
	{ "circuitBreakerStatus.isHealthy", "null", ACCEPT_UNKNOWN },
	{ "circuitBreakerStatus.failureRate", "null", ACCEPT_UNKNOWN },
	{ "circuitBreakerStatus.recommendation", "null", ACCEPT_UNKNOWN },
	{ "circuitBreakerStatus.recommendation", "\"\"", ACCEPT_UNKNOWN },
	{ "requests", "null", ACCEPT_UNKNOWN },
	{ "requests.pending", "null", ACCEPT_UNKNOWN },
	{ "timestamp", "null", ACCEPT_UNKNOWN },
	{ "uptimeSeconds", "null", ACCEPT_UNKNOWN },
	/* Members we do not know are ignored, whatever their type. */
	{ "latency.p75", "\"whatever\"", ACCEPT_IGNORED },
	{ "errorRates.other", "-5", ACCEPT_IGNORED },
	{ "circuitBreakerStatus.extra", "{\"nested\": [1, null]}", ACCEPT_IGNORED },
	{ "extra", "[1, 2, 3]", ACCEPT_IGNORED },
};

START_TEST(test_accept_member)
{
	const struct accept_case *c = &accept_cases[_i];
	cJSON *root = sample_mutated(c->path, c->value);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";
	const cJSON *in = path_find(root, c->path);
	const cJSON *out;
	cJSON *back;

	ck_assert_msg(metrics_from_cjson(root, &s, err, sizeof(err)) == 0, "%s", err);
	back = metrics_to_cjson(&s);
	out = path_find(back, c->path);
	if (c->result == ACCEPT_KNOWN)
		ck_assert_msg(out != NULL && cJSON_Compare(in, out, 1),
			      "%s=%s did not come back", c->path, c->value);
	else
		ck_assert_msg(out == NULL, "%s=%s should be left out", c->path, c->value);
	if (c->result == ACCEPT_IGNORED) {
		struct metrics_snapshot plain;

		parse_ok(design_sample, &plain);
		ck_assert(metrics_equal(&s, &plain));
	}
	cJSON_Delete(back);
	cJSON_Delete(root);
}
END_TEST

struct text_case {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *error;
};

static const struct text_case text_cases[] = {
	{ "not json", 0, "line 1, column 1: invalid JSON" },
	{ "", 0, "line 1, column 1: invalid JSON (empty input)" },
	{ "   \n\t ", 0, "line 2, column 2: invalid JSON" },
	{ "{\"latency\": {\"p50\": NaN}}", 0, "line 1, column 21: invalid JSON" },
	{ "{\"latency\": {\"p50\": nan}}", 0, "line 1, column 21: invalid JSON" },
	{ "{\"latency\": {\"p50\": Infinity}}", 0, "line 1, column 21: invalid JSON" },
	{ "{\"latency\": {\"p50\": 1,}}", 0, "line 1, column 24: invalid JSON" },
	{ "{\"latency\": {\"p99\": 1e999}}", 0, "latency.p99: inf is out of range" },
	{ "{\"latency\": ", 0, "line 1, column 12: invalid JSON" },
	{ "{\n  \"latency\": {\n    \"p50\": ,\n", 0, "line 3, column 12: invalid JSON" },
	{ "{'latency': {}}", 0, "line 1, column 3: invalid JSON" },
	{ "[1, 2]", 0, "expected a JSON object" },
	{ "42", 0, "expected a JSON object" },
	{ "null", 0, "expected a JSON object" },
	{ "\"latency\"", 0, "expected a JSON object" },
	{ "{} x", 0, "line 1, column 4: unexpected text after the JSON value" },
	{ "{}\n{}", 0, "line 2, column 1: unexpected text after the JSON value" },
	{ "{\"a\": 1}\0{", 10, "line 1, column 9: NUL byte in the JSON text" },
	{ "{\"a\": \"x\0y\"}", 12, "line 1, column 9: NUL byte in the JSON text" },
	{ "{}\r\n\t ", 0, "latency: missing object" },
	{ "\xef\xbb\xbf{}", 0, "latency: missing object" },
};

START_TEST(test_reject_text)
{
	const struct text_case *c = &text_cases[_i];
	size_t len = c->len != 0 ? c->len : strlen(c->text);
	char *copy = xmalloc(len + 1);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	/* An exact-size buffer: any read past len is caught by the sanitizers. */
	memcpy(copy, c->text, len);
	ck_assert_int_eq(metrics_parse(len > 0 ? copy : NULL, len, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, c->error);
	assert_one_line(err);
	free(copy);
}
END_TEST

START_TEST(test_truncated)
{
	size_t full = strlen(design_sample);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN];

	/* Every proper prefix of a valid document is an error with a location. */
	for (size_t len = 1; len + 2 < full; len++) {
		char *copy = xmalloc(len);

		memcpy(copy, design_sample, len);
		err[0] = '\0';
		ck_assert_int_eq(metrics_parse(copy, len, &s, err, sizeof(err)), -1);
		ck_assert_msg(strncmp(err, "line ", 5) == 0 && strstr(err, "invalid JSON") != NULL,
			      "prefix %zu: %s", len, err);
		free(copy);
	}
	ck_assert_int_eq(metrics_parse(design_sample, 100, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "line 3, column 30: invalid JSON");
}
END_TEST

START_TEST(test_not_nul_terminated)
{
	size_t len = strlen(design_sample);
	char *copy = xmalloc(len);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	memcpy(copy, design_sample, len);
	ck_assert_msg(metrics_parse(copy, len, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(s.latency.count, 1250);
	free(copy);
}
END_TEST

START_TEST(test_design_sample)
{
	struct metrics_snapshot s;

	parse_ok(design_sample, &s);
	ck_assert_double_eq(s.latency.p50, 45.2);
	ck_assert_double_eq(s.latency.p90, 89.3);
	ck_assert_double_eq(s.latency.p95, 125.7);
	ck_assert_double_eq(s.latency.p99, 234.1);
	ck_assert_double_eq(s.latency.max, 456.2);
	ck_assert_double_eq(s.latency.min, 3.1);
	ck_assert_double_eq(s.latency.avg, 67.8);
	ck_assert_int_eq(s.latency.count, 1250);
	ck_assert_double_eq(s.throughput.per_second, 156.3);
	ck_assert_double_eq(s.throughput.per_minute, 9378.0);
	ck_assert_int_eq(s.errors.breaker_trips, 0);
	ck_assert_int_eq(s.errors.rate_limited, 2);
	ck_assert_int_eq(s.errors.timeouts, 1);
	ck_assert_int_eq(s.errors.failures, 3);
	ck_assert_int_eq(s.breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(s.breaker.healthy, 1);
	ck_assert_double_eq(s.breaker.failure_rate, 0.002);
	ck_assert_double_eq(s.breaker.avg_response_ms, 67.8);
	ck_assert_str_eq(s.breaker.recommendation, "Service healthy");
	/* Optional members the sample lacks stay unknown, not zero. */
	ck_assert(isnan(s.latency.p999));
	ck_assert_int_eq(s.errors.validation, METRICS_NONE);
	ck_assert_int_eq(s.breaker.state_since_ms, METRICS_NONE);
	ck_assert_int_eq(s.requests.total, METRICS_NONE);
	ck_assert_int_eq(s.requests.pending, METRICS_NONE);
	ck_assert_int_eq(s.timestamp_ms, METRICS_NONE);
	ck_assert_int_eq(s.active_users, METRICS_NONE);
	ck_assert(isnan(s.uptime_s));
}
END_TEST

START_TEST(test_empty_objects_unknown)
{
	struct metrics_snapshot s, unknown;

	parse_ok("{\"latency\": {}, \"throughput\": {}, \"errorRates\": {},"
		 " \"circuitBreakerStatus\": {}, \"requests\": {}}", &s);
	metrics_init(&unknown);
	ck_assert(metrics_equal(&s, &unknown));
	ck_assert(isnan(s.latency.p95));
	ck_assert_int_eq(s.latency.count, METRICS_NONE);
	ck_assert_int_eq(s.errors.failures, METRICS_NONE);
	ck_assert_int_eq(s.breaker.state, BREAKER_UNKNOWN);
	ck_assert_int_eq(s.breaker.healthy, -1);
	ck_assert_str_eq(s.breaker.recommendation, "");
}
END_TEST

struct state_case {
	const char *text;
	enum breaker_state state;
};

static const struct state_case state_cases[] = {
	{ "half-open", BREAKER_HALF_OPEN },
	{ "half_open", BREAKER_HALF_OPEN },
	{ "halfOpen", BREAKER_HALF_OPEN },
	{ "HALF-OPEN", BREAKER_HALF_OPEN },
	{ "Half_Open", BREAKER_HALF_OPEN },
	{ "HALFOPEN", BREAKER_HALF_OPEN },
	{ "closed", BREAKER_CLOSED },
	{ "CLOSED", BREAKER_CLOSED },
	{ "open", BREAKER_OPEN },
	{ "Open", BREAKER_OPEN },
};

START_TEST(test_state_spelling)
{
	const struct state_case *c = &state_cases[_i];
	char value[64];
	cJSON *root;
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	snprintf(value, sizeof(value), "\"%s\"", c->text);
	root = sample_mutated("circuitBreakerStatus.state", value);
	ck_assert_msg(metrics_from_cjson(root, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(s.breaker.state, c->state);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_body_too_large)
{
	size_t len = (size_t)10 << 20;
	char *big = xmalloc(len);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	memset(big, '[', len);
	ck_assert_int_eq(metrics_parse(big, len, &s, err, sizeof(err)), -1);
	/* Refused on its size alone (a parse would say what is wrong with the JSON). */
	ck_assert_str_eq(err, "body is 10485760 bytes, over the 8388608-byte limit");
	free(big);
}
END_TEST

START_TEST(test_body_at_limit)
{
	size_t sample = strlen(design_sample);
	char *body = xmalloc(METRICS_JSON_MAX + 1);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	/* Exactly the limit (the sample padded with spaces) is fine; one more is not. */
	memcpy(body, design_sample, sample);
	memset(body + sample, ' ', METRICS_JSON_MAX + 1 - sample);
	ck_assert_msg(metrics_parse(body, METRICS_JSON_MAX, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(metrics_parse(body, METRICS_JSON_MAX + 1, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "body is 8388609 bytes, over the 8388608-byte limit");
	free(body);
}
END_TEST

START_TEST(test_small_error_buffer)
{
	char err[8 + 8];
	struct metrics_snapshot s;

	memset(err, 'Z', sizeof(err));
	ck_assert_int_eq(metrics_parse("[]", 2, &s, err, 8), -1);
	ck_assert_str_eq(err, "expecte");
	ck_assert_int_eq(err[8], 'Z');
	ck_assert_int_eq(metrics_parse("[]", 2, &s, NULL, 0), -1);
	ck_assert_int_eq(metrics_from_cjson(NULL, &s, err, sizeof(err)), -1);
}
END_TEST

/* Parse the design sample with its recommendation replaced by raw JSON string text. */
static void parse_recommendation(const char *raw, struct metrics_snapshot *s)
{
	char *text = xmalloc(strlen(design_sample) + strlen(raw) + 1);
	const char *at = strstr(design_sample, "Service healthy");
	size_t head = (size_t)(at - design_sample);

	memcpy(text, design_sample, head);
	strcpy(text + head, raw);
	strcat(text, at + strlen("Service healthy"));
	parse_ok(text, s);
	free(text);
}

struct rec_case {
	const char *raw;	/* as it appears between the JSON quotes */
	const char *shown;
};

static const struct rec_case rec_cases[] = {
	{ "a\\tb", "a b" },
	{ "\\u001b[31mred\\u001b[0m", " [31mred [0m" },
	{ "bell\\u0007\\u007f", "bell  " },
	{ "line\\nbreak\\r", "line break " },
	{ "csi\\u009b2J", "csi 2J" },
	{ "caf\\u00e9 \xe2\x82\xac ok", "caf\xc3\xa9 \xe2\x82\xac ok" },
	{ "nul\\u0000tail", "nul" },
	{ "bad \xff\xfe.", "bad ??." },
	{ "overlong \xc0\xaf", "overlong ??" },
	{ "surrogate \xed\xa0\x80", "surrogate ???" },
	{ "cut \xe2\x82", "cut ??" },
	{ "emoji \xf0\x9f\x98\x80", "emoji \xf0\x9f\x98\x80" },
};

START_TEST(test_recommendation_controls)
{
	const struct rec_case *c = &rec_cases[_i];
	struct metrics_snapshot s;

	parse_recommendation(c->raw, &s);
	ck_assert_str_eq(s.breaker.recommendation, c->shown);
}
END_TEST

struct cut_case {
	size_t prefix;		/* this many 'a' bytes ... */
	const char *tail;	/* ... then this UTF-8 character */
	size_t kept;		/* bytes expected in the result */
};

static const struct cut_case cut_cases[] = {
	{ 125, "\xc3\xa9", 127 },
	{ 126, "\xc3\xa9", 126 },
	{ 124, "\xe2\x82\xac", 127 },
	{ 125, "\xe2\x82\xac", 125 },
	{ 126, "\xe2\x82\xac", 126 },
	{ 123, "\xf0\x9f\x98\x80", 127 },
	{ 124, "\xf0\x9f\x98\x80", 124 },
	{ 126, "\xf0\x9f\x98\x80", 126 },
	{ 200, "", 127 },
};

START_TEST(test_recommendation_cut)
{
	const struct cut_case *c = &cut_cases[_i];
	char raw[256], expect[256];
	struct metrics_snapshot s;

	memset(raw, 'a', c->prefix);
	strcpy(raw + c->prefix, c->tail);
	strcpy(expect, raw);
	expect[c->kept] = '\0';
	parse_recommendation(raw, &s);
	ck_assert_uint_eq(strlen(s.breaker.recommendation), c->kept);
	ck_assert_str_eq(s.breaker.recommendation, expect);
}
END_TEST

START_TEST(test_copy_text_sizes)
{
	char dst[4] = "xyz";

	metrics_copy_text(dst, 1, "abc");
	ck_assert_str_eq(dst, "");
	metrics_copy_text(dst, 2, "\xc3\xa9");
	ck_assert_str_eq(dst, "");
	metrics_copy_text(dst, 3, "\xc3\xa9");
	ck_assert_str_eq(dst, "\xc3\xa9");
	metrics_copy_text(dst, sizeof(dst), "\x1b\x7f\xff");
	ck_assert_str_eq(dst, "  ?");
}
END_TEST

static void snapshot_unknown(struct metrics_snapshot *s)
{
	metrics_init(s);
}

/* Every field set, with doubles that do not print short. */
static void snapshot_full(struct metrics_snapshot *s)
{
	metrics_init(s);
	s->latency = (struct metrics_latency){
		.p50 = 0.1 + 0.2, .p90 = 1.0 / 3.0, .p95 = 125.7, .p99 = 234.10000000000002,
		.p999 = 5e-324, .max = 1e15, .min = 0.0, .avg = 67.123456789012345,
		.count = 999999999999999,
	};
	s->throughput = (struct metrics_throughput){ .per_second = 2.0 / 3.0, .per_minute = 40.0 };
	s->errors = (struct metrics_errors){
		.breaker_trips = 20, .rate_limited = 0, .timeouts = 10,
		.failures = 1000000000000000, .validation = 3,
	};
	s->breaker.state = BREAKER_HALF_OPEN;
	s->breaker.healthy = 0;
	s->breaker.failure_rate = 1.0 / 7.0;
	s->breaker.avg_response_ms = 1e-7;
	strcpy(s->breaker.recommendation, "Probe \xe2\x80\x94 \"trial\" calls\\");
	s->breaker.state_since_ms = 4294967296;
	s->requests = (struct metrics_requests){
		.total = 30, .succeeded = 0, .failed = 5, .pending = 25,
	};
	s->timestamp_ms = 1755565795196;
	s->active_users = 2147483648;
	s->uptime_s = 724.25;
}

static void snapshot_design(struct metrics_snapshot *s)
{
	parse_ok(design_sample, s);
}

/* Some fields of an optional object known, the rest not. */
static void snapshot_partial(struct metrics_snapshot *s)
{
	metrics_init(s);
	s->latency.p99 = 500.0;
	s->throughput.per_minute = 0.0;
	s->errors.timeouts = 0;
	s->breaker.state = BREAKER_OPEN;
	s->breaker.healthy = 1;
	s->requests.pending = 7;
	s->uptime_s = 0.0;
}

static void (*const snapshot_makers[])(struct metrics_snapshot *) = {
	snapshot_unknown, snapshot_full, snapshot_design, snapshot_partial,
};

START_TEST(test_round_trip)
{
	struct metrics_snapshot s, back;
	char err[METRICS_ERR_LEN] = "";
	char *text;
	cJSON *obj;

	snapshot_makers[_i](&s);
	text = metrics_to_json(&s);
	ck_assert_ptr_null(strchr(text, '\n'));
	ck_assert_msg(parse_text(text, &back, err) == 0, "%s: %s", text, err);
	ck_assert_msg(metrics_equal(&s, &back), "round trip changed %s", text);
	free(text);

	obj = metrics_to_cjson(&s);
	ck_assert_int_eq(metrics_from_cjson(obj, &back, err, sizeof(err)), 0);
	ck_assert(metrics_equal(&s, &back));
	cJSON_Delete(obj);
}
END_TEST

START_TEST(test_unknown_left_out)
{
	struct metrics_snapshot s;
	char *text;

	metrics_init(&s);
	text = metrics_to_json(&s);
	ck_assert_str_eq(text, "{\"latency\":{},\"throughput\":{},\"errorRates\":{},"
			       "\"circuitBreakerStatus\":{}}");
	free(text);

	snapshot_partial(&s);
	text = metrics_to_json(&s);
	ck_assert_str_eq(text, "{\"uptimeSeconds\":0,\"latency\":{\"p99\":500},"
			       "\"throughput\":{\"requestsPerMinute\":0},"
			       "\"errorRates\":{\"timeouts\":0},"
			       "\"circuitBreakerStatus\":{\"state\":\"open\",\"isHealthy\":true},"
			       "\"requests\":{\"pending\":7}}");
	free(text);
}
END_TEST

static int count_leaves(const cJSON *obj)
{
	int n = 0;

	for (const cJSON *it = obj->child; it != NULL; it = it->next)
		n += cJSON_IsObject(it) ? count_leaves(it) : 1;
	return n;
}

START_TEST(test_every_field_counts)
{
	struct metrics_snapshot full, back;
	char paths[FIELD_TOTAL][64];
	char err[METRICS_ERR_LEN] = "";
	cJSON *obj;
	int n = 0;

	/*
	 * Dropping any one member of a full snapshot must give an unequal one,
	 * so metrics_equal (and with it the round-trip test) sees every field.
	 */
	snapshot_full(&full);
	obj = metrics_to_cjson(&full);
	ck_assert_int_eq(count_leaves(obj), FIELD_TOTAL);
	for (const cJSON *it = obj->child; it != NULL; it = it->next) {
		if (!cJSON_IsObject(it)) {
			snprintf(paths[n++], sizeof(paths[0]), "%s", it->string);
			continue;
		}
		for (const cJSON *leaf = it->child; leaf != NULL; leaf = leaf->next)
			snprintf(paths[n++], sizeof(paths[0]), "%s.%s", it->string, leaf->string);
	}
	for (int i = 0; i < n; i++) {
		cJSON *copy = cJSON_Duplicate(obj, 1);
		const char *key;
		cJSON *parent = path_parent(copy, paths[i], &key);

		cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
		ck_assert_int_eq(metrics_from_cjson(copy, &back, err, sizeof(err)), 0);
		ck_assert_msg(!metrics_equal(&full, &back), "%s is not compared", paths[i]);
		cJSON_Delete(copy);
	}
	cJSON_Delete(obj);
}
END_TEST

static char *file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = xmalloc(METRICS_JSON_MAX + 1);

	ck_assert_msg(f != NULL, "cannot open %s", path);
	*len = fread(buf, 1, METRICS_JSON_MAX + 1, f);
	ck_assert(!ferror(f));
	fclose(f);
	return buf;
}

START_TEST(test_sample_seed)
{
	size_t len;
	char *text = file_read(RT_SRCDIR "/data/samples/seed-open-breaker.json", &len);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	ck_assert_msg(metrics_parse(text, len, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(s.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(s.breaker.healthy, 0);
	ck_assert_double_eq(s.breaker.failure_rate, 1.0);
	ck_assert_str_eq(s.breaker.recommendation, "Service unavailable - failing fast");
	ck_assert_int_eq(s.latency.count, 30);
	ck_assert_double_eq(s.latency.p99, 0.0);
	ck_assert_double_eq(s.throughput.per_second, 0.032);
	ck_assert_double_eq(s.throughput.per_minute, 1.956);
	ck_assert_int_eq(s.errors.breaker_trips, 20);
	ck_assert_int_eq(s.errors.timeouts, 10);
	ck_assert_int_eq(s.errors.failures, 0);
	/* The seeds' sample has no max/min/avg: unknown, not zero. */
	ck_assert(isnan(s.latency.max) && isnan(s.latency.min) && isnan(s.latency.avg));
	ck_assert(isnan(s.breaker.avg_response_ms));
	free(text);
}
END_TEST

START_TEST(test_sample_healthy)
{
	size_t len;
	char *text = file_read(RT_SRCDIR "/data/samples/healthy.json", &len);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";
	cJSON *obj;

	ck_assert_msg(metrics_parse(text, len, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(s.breaker.state, BREAKER_CLOSED);
	ck_assert_double_eq(s.latency.p95, 125.7);
	ck_assert_int_eq(s.requests.total, 1250);
	/* Every field, optional ones included, is present. */
	obj = metrics_to_cjson(&s);
	ck_assert_int_eq(count_leaves(obj), FIELD_TOTAL);
	cJSON_Delete(obj);
	free(text);
}
END_TEST

/*
 * Rows ("upstreams"). Rejections put one "upstreams" value into the design
 * sample and expect one exact, located message.
 */
struct row_case {
	const char *rows;	/* JSON text of "upstreams" */
	const char *error;
};

static const struct row_case row_reject_cases[] = {
	{ "5", "upstreams: expected array" },
	{ "{\"name\":\"a\"}", "upstreams: expected array" },
	{ "[5]", "upstreams[0]: expected object" },
	{ "[{\"name\":\"a\"},{\"latency\":{}}]", "upstreams[1].name: missing" },
	{ "[{\"name\":\"a\"},{\"name\":null}]", "upstreams[1].name: missing" },
	{ "[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":7}]", "upstreams[2].name: expected string" },
	{ "[{\"name\":[\"a\"]}]", "upstreams[0].name: expected string" },
	{ "[{\"name\":\"\"}]", "upstreams[0].name: empty" },
	{ "[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"a\"}]",
	  "upstreams[2].name: duplicate \"a\" (as upstreams[0])" },
	{ "[{\"name\":\"b\"},{\"name\":\"a\"},{\"name\":\"a\"},{\"name\":\"b\"}]",
	  "upstreams[2].name: duplicate \"a\" (as upstreams[1])" },
	/* Names are compared as shown: a bell and a space look the same. */
	{ "[{\"name\":\"x\\u0007\"},{\"name\":\"x \"}]",
	  "upstreams[1].name: duplicate \"x \" (as upstreams[0])" },
	{ "[{\"name\":\"a\",\"latency\":[]}]", "upstreams[0].latency: expected object" },
	{ "[{\"name\":\"a\",\"requests\":7}]", "upstreams[0].requests: expected object" },
	{ "[{\"name\":\"a\",\"latency\":{\"p95\":\"x\"}}]",
	  "upstreams[0].latency.p95: expected number" },
	{ "[{\"name\":\"a\"},{\"name\":\"b\",\"circuitBreakerStatus\":{\"state\":\"shut\"}}]",
	  "upstreams[1].circuitBreakerStatus.state: unknown state \"shut\"" },
	{ "[{\"name\":\"a\",\"requests\":{\"total\":-1}}]", "upstreams[0].requests.total: -1 is negative" },
	{ "[{\"name\":\"a\",\"errorRates\":{\"timeouts\":1.5}}]",
	  "upstreams[0].errorRates.timeouts: 1.5 is not a whole number" },
};

START_TEST(test_rows_reject)
{
	const struct row_case *c = &row_reject_cases[_i];
	cJSON *root = sample_mutated("upstreams", c->rows);
	char *text = cJSON_PrintUnformatted(root);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	ck_assert_int_eq(metrics_from_cjson(root, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, c->error);
	/* A failed parse owns nothing. */
	ck_assert_ptr_null(s.rows);
	ck_assert_int_eq(parse_text(text, &s, err), -1);
	ck_assert_str_eq(err, c->error);
	free(text);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_rows_parse)
{
	cJSON *root = sample_mutated("upstreams",
		"[{\"name\":\"chat\",\"latency\":{\"p95\":125.7,\"count\":10},"
		"\"requests\":{\"total\":40,\"failed\":1},\"ignored\":true},"
		"{\"name\":\"search\",\"circuitBreakerStatus\":{\"state\":\"OPEN\","
		"\"recommendation\":\"x\\u001by\"},\"timestamp\":5}]");
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	ck_assert_msg(metrics_from_cjson(root, &s, err, sizeof(err)) == 0, "%s", err);
	/* The aggregate is the router's own, untouched by the rows. */
	ck_assert_double_eq(s.latency.p95, 125.7);
	ck_assert_double_eq(s.throughput.per_second, 156.3);
	ck_assert_uint_eq(s.nrows, 2);
	ck_assert_str_eq(s.rows[0].name, "chat");
	ck_assert_double_eq(s.rows[0].snap.latency.p95, 125.7);
	ck_assert_int_eq(s.rows[0].snap.latency.count, 10);
	ck_assert(isnan(s.rows[0].snap.latency.p99));
	ck_assert_int_eq(s.rows[0].snap.requests.total, 40);
	ck_assert_int_eq(s.rows[0].snap.requests.succeeded, METRICS_NONE);
	ck_assert(isnan(s.rows[0].snap.throughput.per_second));
	ck_assert_int_eq(s.rows[0].snap.breaker.state, BREAKER_UNKNOWN);
	ck_assert_str_eq(s.rows[1].name, "search");
	ck_assert_int_eq(s.rows[1].snap.breaker.state, BREAKER_OPEN);
	ck_assert_str_eq(s.rows[1].snap.breaker.recommendation, "x y");
	/* A row's timestamp is not read: it belongs to the snapshot. */
	ck_assert_int_eq(s.rows[1].snap.timestamp_ms, METRICS_NONE);
	ck_assert_ptr_null(s.rows[1].snap.rows);
	ck_assert_int_eq(metrics_row_index(&s, "search"), 1);
	ck_assert_int_eq(metrics_row_index(&s, "nope"), -1);
	ck_assert_uint_eq(metrics_rows_open(&s), 1);
	metrics_free(&s);
	cJSON_Delete(root);
}
END_TEST

START_TEST(test_rows_none)
{
	struct metrics_snapshot s;

	/* null and [] are no rows, as is leaving the member out. */
	const char *values[] = { "null", "[]" };

	for (size_t i = 0; i < 2; i++) {
		cJSON *root = sample_mutated("upstreams", values[i]);
		char err[METRICS_ERR_LEN] = "";

		ck_assert_msg(metrics_from_cjson(root, &s, err, sizeof(err)) == 0, "%s", err);
		ck_assert_uint_eq(s.nrows, 0);
		ck_assert_ptr_null(s.rows);
		cJSON_Delete(root);
	}
}
END_TEST

/* A "upstreams" array of n rows with names r0, r1, ... and nothing else. */
static char *rows_json(size_t n)
{
	size_t cap = 64 + n * 24, len = 0;
	char *text = xmalloc(cap);

	len += (size_t)snprintf(text, cap, "{\"upstreams\":[");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s{\"name\":\"r%zu\"}",
					i > 0 ? "," : "", i);
	snprintf(text + len, cap - len, "]}");
	return text;
}

START_TEST(test_rows_cap)
{
	char *at_cap = rows_json(METRICS_ROWS_MAX), *over = rows_json(METRICS_ROWS_MAX + 1);
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	ck_assert_msg(parse_text(at_cap, &s, err) == 0, "%s", err);
	ck_assert_uint_eq(s.nrows, METRICS_ROWS_MAX);
	ck_assert_str_eq(s.rows[METRICS_ROWS_MAX - 1].name, "r4095");
	/* Building past the cap is refused the same way. */
	ck_assert_ptr_null(metrics_row_add(&s, "one more"));
	ck_assert_uint_eq(s.nrows, METRICS_ROWS_MAX);
	metrics_free(&s);

	ck_assert_int_eq(parse_text(over, &s, err), -1);
	ck_assert_str_eq(err, "upstreams: 4097 rows, over the 4096-row limit");
	free(at_cap);
	free(over);
}
END_TEST

START_TEST(test_rows_names)
{
	struct metrics_snapshot s;
	char longname[300];
	struct metrics_row *r;
	char err[METRICS_ERR_LEN] = "";

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	metrics_init(&s);
	r = metrics_row_add(&s, "a\x1b[2Jb\xff");
	ck_assert_str_eq(r->name, "a [2Jb?");
	r = metrics_row_add(&s, longname);
	ck_assert_uint_eq(strlen(r->name), METRICS_NAME_LEN - 1);
	ck_assert_int_eq(metrics_rows_check(&s, err, sizeof(err)), 0);
	metrics_row_add(&s, "");
	ck_assert_int_eq(metrics_rows_check(&s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "upstreams[2].name: empty");
	metrics_free(&s);
}
END_TEST

/* The design sample's values on a row, and a row with little known. */
static void snapshot_rows(struct metrics_snapshot *s)
{
	struct metrics_snapshot full;
	struct metrics_row *r;

	snapshot_full(s);
	snapshot_full(&full);
	r = metrics_row_add(s, "chat");
	r->snap = full;
	r->snap.timestamp_ms = METRICS_NONE;
	r->snap.active_users = METRICS_NONE;
	r->snap.uptime_s = NAN;
	r = metrics_row_add(s, "search \xe2\x80\x94 eu");
	r->snap.breaker.state = BREAKER_OPEN;
	r->snap.latency.p99 = 0.1 + 0.2;
	metrics_row_add(s, "empty");
}

START_TEST(test_rows_round_trip)
{
	struct metrics_snapshot s, back, other;
	char err[METRICS_ERR_LEN] = "";
	char *text;

	snapshot_rows(&s);
	text = metrics_to_json(&s);
	ck_assert_ptr_null(strchr(text, '\n'));
	ck_assert_msg(parse_text(text, &back, err) == 0, "%s: %s", text, err);
	ck_assert_msg(metrics_equal(&s, &back), "round trip changed %s", text);
	ck_assert_uint_eq(back.nrows, 3);
	free(text);

	/* metrics_equal sees a row's name, a row's value and the number of rows. */
	metrics_init(&other);
	metrics_copy(&other, &back);
	ck_assert(metrics_equal(&s, &other));
	strcpy(other.rows[2].name, "Empty");
	ck_assert(!metrics_equal(&s, &other));
	metrics_copy(&other, &back);
	other.rows[1].snap.breaker.state = BREAKER_HALF_OPEN;
	ck_assert(!metrics_equal(&s, &other));
	metrics_copy(&other, &back);
	other.nrows = 2;
	ck_assert(!metrics_equal(&s, &other));
	metrics_free(&other);
	metrics_free(&back);
	metrics_free(&s);
}
END_TEST

START_TEST(test_rows_json_shape)
{
	struct metrics_snapshot s;
	char *text;

	metrics_init(&s);
	metrics_row_add(&s, "a")->snap.latency.p95 = 12.5;
	metrics_row_add(&s, "b")->snap.requests.total = 3;
	text = metrics_to_json(&s);
	/* Rows come last, each with the required objects; no rows, no member. */
	ck_assert_str_eq(text, "{\"latency\":{},\"throughput\":{},\"errorRates\":{},"
			       "\"circuitBreakerStatus\":{},\"upstreams\":["
			       "{\"name\":\"a\",\"latency\":{\"p95\":12.5},\"throughput\":{},"
			       "\"errorRates\":{},\"circuitBreakerStatus\":{}},"
			       "{\"name\":\"b\",\"latency\":{},\"throughput\":{},"
			       "\"errorRates\":{},\"circuitBreakerStatus\":{},"
			       "\"requests\":{\"total\":3}}]}");
	free(text);
	metrics_free(&s);
}
END_TEST

START_TEST(test_rows_ownership)
{
	struct metrics_snapshot a, b, c;
	struct metrics_row *r;

	metrics_init(&a);
	metrics_init(&b);
	metrics_init(&c);
	for (int i = 0; i < 20; i++) {
		char name[16];

		snprintf(name, sizeof(name), "row%d", i);
		r = metrics_row_add(&a, name);
		r->snap.latency.p99 = i;
	}
	a.latency.p50 = 7;
	/* A deep copy: changing the original leaves it alone. */
	metrics_copy(&b, &a);
	a.rows[3].snap.latency.p99 = 1000;
	ck_assert_double_eq(b.rows[3].snap.latency.p99, 3);
	ck_assert_double_eq(b.latency.p50, 7);
	ck_assert_ptr_ne(a.rows, b.rows);
	/* Copying a smaller snapshot keeps the storage; onto itself is nothing. */
	metrics_init(&c);
	metrics_row_add(&c, "only");
	{
		struct metrics_row *before = b.rows;

		metrics_copy(&b, &c);
		ck_assert_ptr_eq(b.rows, before);
		ck_assert_uint_eq(b.nrows, 1);
		metrics_copy(&b, &b);
		ck_assert_str_eq(b.rows[0].name, "only");
	}
	/* A move hands the rows over; the source keeps its aggregate. */
	metrics_move(&c, &a);
	ck_assert_uint_eq(c.nrows, 20);
	ck_assert_double_eq(c.rows[3].snap.latency.p99, 1000);
	ck_assert_ptr_null(a.rows);
	ck_assert_uint_eq(a.nrows, 0);
	ck_assert_double_eq(a.latency.p50, 7);
	/* Clear forgets everything but keeps room for as many rows. */
	{
		struct metrics_row *before = c.rows;
		size_t cap = c.rows_cap;

		metrics_clear(&c);
		ck_assert_uint_eq(c.nrows, 0);
		ck_assert(isnan(c.latency.p50));
		ck_assert_ptr_eq(c.rows, before);
		ck_assert_uint_eq(c.rows_cap, cap);
		for (int i = 0; i < 20; i++)
			ck_assert_ptr_nonnull(metrics_row_add(&c, "x"));
		ck_assert_ptr_eq(c.rows, before);
	}
	metrics_free(&a);
	metrics_free(&b);
	metrics_free(&c);
	metrics_free(&c);
}
END_TEST

START_TEST(test_rows_derive_wire)
{
	static const char text[] =
		"{\"timestamp\":1000,\"upstreams\":["
		"{\"name\":\"chat\",\"latency\":{\"p50\":40,\"p95\":120,\"p99\":200,\"min\":3,"
		"\"max\":450,\"avg\":60,\"count\":300},"
		"\"throughput\":{\"requestsPerSecond\":120.5,\"requestsPerMinute\":7230},"
		"\"errorRates\":{\"circuitBreakerTrips\":0,\"rateLimitViolations\":2,"
		"\"timeouts\":1,\"failures\":3},"
		"\"circuitBreakerStatus\":{\"state\":\"closed\",\"isHealthy\":true,"
		"\"failureRate\":0.01,\"avgResponseTime\":60,\"stateSinceMs\":90000},"
		"\"requests\":{\"total\":300,\"succeeded\":296,\"failed\":3,\"pending\":1}},"
		"{\"name\":\"search\",\"latency\":{\"p50\":30,\"p95\":980,\"p99\":1000,\"min\":4,"
		"\"max\":1000,\"avg\":300,\"count\":100},"
		"\"throughput\":{\"requestsPerSecond\":40,\"requestsPerMinute\":2400},"
		"\"errorRates\":{\"circuitBreakerTrips\":57,\"rateLimitViolations\":0,"
		"\"timeouts\":30,\"failures\":9},"
		"\"circuitBreakerStatus\":{\"state\":\"open\",\"isHealthy\":false,"
		"\"failureRate\":0.4,\"avgResponseTime\":300,\"stateSinceMs\":12000},"
		"\"requests\":{\"total\":100,\"succeeded\":91,\"failed\":9,\"pending\":0}},"
		"{\"name\":\"idle\",\"latency\":{\"count\":0},"
		"\"throughput\":{\"requestsPerSecond\":0,\"requestsPerMinute\":0},"
		"\"errorRates\":{\"circuitBreakerTrips\":0,\"rateLimitViolations\":0,"
		"\"timeouts\":0,\"failures\":0},"
		"\"circuitBreakerStatus\":{\"state\":\"closed\",\"isHealthy\":true,"
		"\"failureRate\":0},"
		"\"requests\":{\"total\":0,\"succeeded\":0,\"failed\":0,\"pending\":0}}]}";
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	ck_assert_msg(parse_text(text, &s, err) == 0, "%s", err);
	ck_assert_uint_eq(s.nrows, 3);
	ck_assert_int_eq(s.timestamp_ms, 1000);
	/* Counts and rates summed. */
	ck_assert_int_eq(s.latency.count, 400);
	ck_assert_double_eq_tol(s.throughput.per_second, 160.5, 1e-9);
	ck_assert_double_eq_tol(s.throughput.per_minute, 9630, 1e-9);
	ck_assert_int_eq(s.errors.breaker_trips, 57);
	ck_assert_int_eq(s.errors.rate_limited, 2);
	ck_assert_int_eq(s.errors.timeouts, 31);
	ck_assert_int_eq(s.errors.failures, 12);
	ck_assert_int_eq(s.errors.validation, METRICS_NONE);
	ck_assert_int_eq(s.requests.total, 400);
	ck_assert_int_eq(s.requests.succeeded, 387);
	ck_assert_int_eq(s.requests.failed, 12);
	ck_assert_int_eq(s.requests.pending, 1);
	/* Never an average of percentiles. */
	ck_assert(isnan(s.latency.p50) && isnan(s.latency.p90) && isnan(s.latency.p95));
	ck_assert(isnan(s.latency.p99) && isnan(s.latency.p999));
	/* Extremes, and means weighted by what each row served (idle adds nothing). */
	ck_assert_double_eq(s.latency.min, 3);
	ck_assert_double_eq(s.latency.max, 1000);
	ck_assert_double_eq_tol(s.latency.avg, (60.0 * 300 + 300.0 * 100) / 400, 1e-9);
	ck_assert_double_eq_tol(s.breaker.avg_response_ms, (60.0 * 300 + 300.0 * 100) / 400, 1e-9);
	ck_assert_double_eq_tol(s.breaker.failure_rate, (0.01 * 120.5 + 0.4 * 40) / 160.5, 1e-12);
	/* The worst row's breaker, and how many are open. */
	ck_assert_int_eq(s.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(s.breaker.state_since_ms, 12000);
	ck_assert_int_eq(s.breaker.healthy, 0);
	ck_assert_str_eq(s.breaker.recommendation, "1 of 3 rows open");
	metrics_free(&s);
}
END_TEST

START_TEST(test_rows_derive_unknown)
{
	struct metrics_snapshot s;
	struct metrics_row *r;

	metrics_init(&s);
	r = metrics_row_add(&s, "a");
	r->snap.throughput.per_second = 10;
	r->snap.errors.failures = 2;
	r->snap.breaker.state = BREAKER_HALF_OPEN;
	r->snap.breaker.healthy = 1;
	r->snap.breaker.state_since_ms = 500;
	r->snap.latency.count = 5;
	r->snap.latency.min = 1;
	r->snap.latency.max = 9;
	r = metrics_row_add(&s, "b");
	r->snap.errors.failures = 3;
	r->snap.breaker.state = BREAKER_CLOSED;
	r->snap.breaker.healthy = 1;
	r->snap.latency.count = 2;
	metrics_aggregate_derive(&s);
	/* One unknown term makes a sum (and an extreme) unknown, never partial. */
	ck_assert(isnan(s.throughput.per_second));
	ck_assert_int_eq(s.errors.failures, 5);
	ck_assert_int_eq(s.errors.timeouts, METRICS_NONE);
	ck_assert_int_eq(s.latency.count, 7);
	ck_assert(isnan(s.latency.min) && isnan(s.latency.max) && isnan(s.latency.avg));
	ck_assert_int_eq(s.breaker.state, BREAKER_HALF_OPEN);
	ck_assert_int_eq(s.breaker.state_since_ms, 500);
	ck_assert_int_eq(s.breaker.healthy, 1);
	ck_assert_str_eq(s.breaker.recommendation, "");
	ck_assert(isnan(s.breaker.failure_rate));
	/* Without rows the aggregate is all unknown. */
	s.nrows = 0;
	metrics_aggregate_derive(&s);
	ck_assert_int_eq(s.errors.failures, METRICS_NONE);
	ck_assert_int_eq(s.breaker.state, BREAKER_UNKNOWN);
	metrics_free(&s);
}
END_TEST

START_TEST(test_rows_partial_aggregate)
{
	struct metrics_snapshot s;
	char err[METRICS_ERR_LEN] = "";

	/* Some aggregate objects but not all: the router reports one, so all four are required. */
	ck_assert_int_eq(parse_text("{\"latency\":{},\"upstreams\":[{\"name\":\"a\"}]}", &s, err), -1);
	ck_assert_str_eq(err, "throughput: missing object");
	ck_assert_int_eq(parse_text("{\"requests\":{},\"upstreams\":[{\"name\":\"a\"}]}", &s, err), -1);
	ck_assert_str_eq(err, "latency: missing object");
	/* No rows and no aggregate is the old error. */
	ck_assert_int_eq(parse_text("{\"upstreams\":[]}", &s, err), -1);
	ck_assert_str_eq(err, "latency: missing object");
}
END_TEST

START_TEST(test_sample_upstreams)
{
	size_t len;
	char *text = file_read(RT_SRCDIR "/data/samples/upstreams.json", &len);
	struct metrics_snapshot s, back;
	char err[METRICS_ERR_LEN] = "";
	char *json;

	ck_assert_msg(metrics_parse(text, len, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s.nrows, 4);
	ck_assert_str_eq(s.rows[2].name, "search");
	ck_assert_int_eq(s.rows[2].snap.breaker.state, BREAKER_OPEN);
	ck_assert_uint_eq(metrics_rows_open(&s), 1);
	ck_assert_int_eq(s.breaker.state, BREAKER_OPEN);
	/* The router's totals agree with its rows. */
	metrics_init(&back);
	metrics_copy(&back, &s);
	metrics_aggregate_derive(&back);
	ck_assert_int_eq(back.requests.total, s.requests.total);
	ck_assert_int_eq(back.errors.breaker_trips, s.errors.breaker_trips);
	ck_assert_double_eq_tol(back.throughput.per_second, s.throughput.per_second, 1e-9);
	metrics_free(&back);
	json = metrics_to_json(&s);
	ck_assert_int_eq(parse_text(json, &back, err), 0);
	ck_assert(metrics_equal(&s, &back));
	free(json);
	metrics_free(&back);
	metrics_free(&s);
	free(text);
}
END_TEST

#define LOOP(tc, fn, table) \
	tcase_add_loop_test(tc, fn, 0, (int)(sizeof(table) / sizeof((table)[0])))

static Suite *metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *parse = tcase_create("parse");
	TCase *text = tcase_create("text");
	TCase *serial = tcase_create("serialise");
	TCase *samples = tcase_create("samples");
	TCase *rows = tcase_create("rows");

	LOOP(parse, test_reject_member, reject_cases);
	LOOP(parse, test_accept_member, accept_cases);
	LOOP(parse, test_reject_text, text_cases);
	LOOP(parse, test_state_spelling, state_cases);
	tcase_add_test(parse, test_truncated);
	tcase_add_test(parse, test_not_nul_terminated);
	tcase_add_test(parse, test_design_sample);
	tcase_add_test(parse, test_empty_objects_unknown);
	tcase_add_test(parse, test_body_too_large);
	tcase_add_test(parse, test_body_at_limit);
	tcase_add_test(parse, test_small_error_buffer);
	suite_add_tcase(s, parse);

	LOOP(text, test_recommendation_controls, rec_cases);
	LOOP(text, test_recommendation_cut, cut_cases);
	tcase_add_test(text, test_copy_text_sizes);
	suite_add_tcase(s, text);

	LOOP(serial, test_round_trip, snapshot_makers);
	tcase_add_test(serial, test_unknown_left_out);
	tcase_add_test(serial, test_every_field_counts);
	suite_add_tcase(s, serial);

	tcase_add_test(samples, test_sample_seed);
	tcase_add_test(samples, test_sample_healthy);
	tcase_add_test(samples, test_sample_upstreams);
	suite_add_tcase(s, samples);

	LOOP(rows, test_rows_reject, row_reject_cases);
	tcase_add_test(rows, test_rows_parse);
	tcase_add_test(rows, test_rows_none);
	tcase_add_test(rows, test_rows_cap);
	tcase_add_test(rows, test_rows_names);
	tcase_add_test(rows, test_rows_round_trip);
	tcase_add_test(rows, test_rows_json_shape);
	tcase_add_test(rows, test_rows_ownership);
	tcase_add_test(rows, test_rows_derive_wire);
	tcase_add_test(rows, test_rows_derive_unknown);
	tcase_add_test(rows, test_rows_partial_aggregate);
	suite_add_tcase(s, rows);
	return s;
}

int main(void)
{
	return check_run_suite(metrics_suite());
}
