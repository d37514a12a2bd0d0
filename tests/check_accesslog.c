/*
 * Access-log formats: the compiler, the parser and the mapping. Fixture
 * lines are written from the formats' own documentation: nginx's
 * log_format and ngx_http_upstream_module variables, Envoy's default
 * access-log format and its example line, HAProxy's httplog example
 * (configuration manual, 8.2.3) and its termination states (8.5).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"
#include "formats/accesslog.h"
#include "formats/alog_value.h"

#define NO ALOG_NO_DURATION
#define NT ALOG_NO_TIME
#define S(sec) ((int64_t)(sec) * 1000000)

struct fixture {
	const char *format;
	const char *line;
	int64_t time_us, request_us, upstream_us;
	int status;
	enum alog_outcome outcome;
	const char *upstream, *host, *path_row, *status_row;
};

static const struct fixture fixtures[] = {
	/* nginx-timed: combined + $request_time $upstream_response_time $upstream_addr. */
	{ "nginx-timed",
	  "192.0.2.10 - - [10/Oct/2000:13:55:36 -0700] \"GET /api/users?id=1 HTTP/1.1\" 200 2326 \"-\" "
	  "\"curl/8.0\" 0.123 0.120 127.0.0.1:8081",
	  S(971211336), 123000, 120000, 200, ALOG_OK, "127.0.0.1:8081", "(none)", "/api", "200" },
	/* Two servers tried, then an internal redirect to another group (nginx's lists). */
	{ "nginx-timed",
	  "192.0.2.10 - alice [10/Oct/2000:13:55:37 -0700] \"POST /api/orders HTTP/1.1\" 502 157 "
	  "\"https://example.com/\" \"Mozilla/5.0 (X11; Linux x86_64)\" 0.050 0.010, 0.020 : 0.005 "
	  "10.0.0.1:80, 10.0.0.2:80 : 10.0.1.1:80",
	  S(971211337), 50000, 35000, 502, ALOG_FAILURE, "10.0.1.1:80", "(none)", "/api", "502" },
	/* Served by nginx itself: no upstream ("-" for both). */
	{ "nginx-timed",
	  "192.0.2.10 - - [10/Oct/2000:13:55:38 -0700] \"GET /static/a.css HTTP/1.1\" 304 0 \"-\" \"-\" 0.000 - -",
	  S(971211338), 0, NO, 304, ALOG_OK, "(none)", "(none)", "/static", "304" },
	/* A TLS hello on the plain port: nginx logs it escaped with 400; a line, not a bad one. */
	{ "nginx-timed",
	  "192.0.2.11 - - [10/Oct/2000:13:55:39 +0000] \"\\x16\\x03\\x01\\x00\" 400 157 \"-\" \"-\" 0.001 - -",
	  S(971186139), 1000, NO, 400, ALOG_OK, "(none)", "(none)", "(none)", "400" },
	{ "nginx-timed",
	  "192.0.2.12 - - [10/Oct/2000:13:55:40 -0700] \"GET /v1/chat HTTP/1.1\" 504 0 \"-\" \"-\" 60.001 60.000 127.0.0.1:8082",
	  S(971211340), 60001000, 60000000, 504, ALOG_TIMEOUT, "127.0.0.1:8082", "(none)", "/v1", "504" },
	{ "nginx-timed",
	  "192.0.2.12 - - [10/Oct/2000:13:55:41 -0700] \"GET / HTTP/1.1\" 429 0 \"-\" \"-\" 0.000 - -",
	  S(971211341), 0, NO, 429, ALOG_RATE_LIMITED, "(none)", "(none)", "/", "429" },
	/* Any format of the user's, with $time_iso8601, $host, $msec and an unknown variable. */
	{ "$time_iso8601 $host \"$request\" $status $request_time \"$upstream_addr\" $upstream_status $http_x_tenant",
	  "2024-03-01T10:00:00+00:00 api.example.com \"GET /v2/items/7 HTTP/2.0\" 200 0.250 \"127.0.0.1:9000\" 200 acme",
	  S(1709287200), 250000, NO, 200, ALOG_OK, "127.0.0.1:9000", "api.example.com", "/v2", "200" },
	{ "$msec $status $upstream_response_time",
	  "1709287200.123 503 0.100, 0.200",
	  S(1709287200) + 123000, NO, 300000, 503, ALOG_FAILURE, "(none)", "(none)", "(none)", "503" },
	/* ${name} braces, $request unquoted, $upstream_status when there is no $status. */
	{ "[${time_local}] $request ${upstream_status} $upstream_addr",
	  "[29/Feb/2024:23:59:59 +0000] GET /health HTTP/1.1 502, 200 10.0.0.1:80, 10.0.0.2:80",
	  S(1709251199), NO, NO, 200, ALOG_OK, "10.0.0.2:80", "(none)", "/health", "200" },
	/* Envoy's default format: the example line of its documentation. Time = start + duration. */
	{ "envoy",
	  "[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 204 - 154 0 226 100 \"10.0.35.28\" "
	  "\"nsq2http\" \"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2\" \"locations\" \"tcp://10.0.2.1:80\"",
	  S(1460751420) + 310000 + 226000, 226000, 100000, 204, ALOG_OK, "tcp://10.0.2.1:80", "locations",
	  "/api", "204" },
	{ "envoy",
	  "[2016-04-15T20:17:00.000Z] \"GET /slow HTTP/1.1\" 504 UT 0 24 15000 - \"-\" \"curl/7.88\" "
	  "\"a1\" \"api\" \"10.0.2.2:80\"",
	  S(1460751420) + 15000000, 15000000, NO, 504, ALOG_TIMEOUT, "10.0.2.2:80", "api", "/slow", "504" },
	{ "envoy",
	  "[2016-04-15T20:17:01.000Z] \"GET /x HTTP/1.1\" 503 UO 0 81 0 - \"-\" \"curl/7.88\" \"a2\" \"api\" \"-\"",
	  S(1460751421), 0, NO, 503, ALOG_REJECTED, "(none)", "api", "/x", "503" },
	{ "envoy",
	  "[2016-04-15T20:17:02.000Z] \"GET /x HTTP/1.1\" 429 RL 0 18 1 - \"-\" \"curl/7.88\" \"a3\" \"api\" \"-\"",
	  S(1460751422) + 1000, 1000, NO, 429, ALOG_RATE_LIMITED, "(none)", "api", "/x", "429" },
	{ "envoy",
	  "[2016-04-15T20:17:03.000Z] \"GET /x HTTP/1.1\" 503 UF,URX 0 91 30 - \"-\" \"curl/7.88\" \"a4\" \"api\" \"10.0.2.3:80\"",
	  S(1460751423) + 30000, 30000, NO, 503, ALOG_FAILURE, "10.0.2.3:80", "api", "/x", "503" },
	/* A user's Envoy format with the cluster: rows by cluster, not host. */
	{ "%START_TIME% %RESPONSE_CODE% %DURATION% %UPSTREAM_CLUSTER% %UPSTREAM_HOST%",
	  "2016-04-15T20:17:04.000Z 200 5 chat 10.0.3.1:80",
	  S(1460751424) + 5000, 5000, NO, 200, ALOG_OK, "chat", "(none)", "(none)", "200" },
	{ "%START_TIME(%s.%3f)% %RESPONSE_CODE% %DURATION%",
	  "1460751424.500 200 5",
	  S(1460751424) + 505000, 5000, NO, 200, ALOG_OK, "(none)", "(none)", "(none)", "200" },
	/* HAProxy's httplog example (manual 8.2.3), syslog header and captures included. */
	{ "haproxy",
	  "Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in "
	  "static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} \"GET /index.html HTTP/1.1\"",
	  S(1233922454) + 655000 + 109000, 109000, 69000, 200, ALOG_OK, "static", "(none)", "/index.html", "200" },
	/* Without captures and without a syslog header (log stdout format raw). */
	{ "haproxy",
	  "10.0.1.2:33318 [06/Feb/2009:12:14:15.000] http-in static/srv2 0/0/1/-1/30001 504 194 - - sH-- "
	  "1/1/1/1/0 0/0 \"GET /slow/report HTTP/1.1\"",
	  S(1233922455) + 30001000, 30001000, NO, 504, ALOG_TIMEOUT, "static", "(none)", "/slow", "504" },
	/* Expired in the queue: HAProxy's 503 with sQ, a breaker-like rejection. */
	{ "haproxy",
	  "haproxy[14389]: 10.0.1.3:40000 [06/Feb/2009:12:14:16.000] http-in static/<NOSRV> 0/10000/-1/-1/10000 "
	  "503 212 - - sQ-- 5/5/5/0/0 0/12 \"GET / HTTP/1.1\"",
	  S(1233922466), 10000000, NO, 503, ALOG_REJECTED, "static", "(none)", "/", "503" },
	{ "haproxy",
	  "10.0.1.4:40001 [06/Feb/2009:12:14:17.000] http-in api/srv1 0/0/0/12/+13 429 90 - - PR-- 1/1/0/0/0 0/0 "
	  "{h} \"POST /v1/a HTTP/1.1\"",
	  S(1233922457) + 13000, 13000, 12000, 429, ALOG_RATE_LIMITED, "api", "(none)", "/v1", "429" },
	/* JSON lines with the default field map (nginx escape=json names), nested values skipped. */
	{ "json",
	  "{\"time_iso8601\":\"2024-03-01T10:00:00+00:00\",\"status\":200,\"request_time\":\"0.250\","
	  "\"upstream_addr\":\"127.0.0.1:9000\",\"host\":\"a\\u0041b\",\"request\":\"GET /v1/x HTTP/1.1\","
	  "\"extra\":{\"a\":[1,2,{\"b\":\"}\"}]}}",
	  S(1709287200), 250000, NO, 200, ALOG_OK, "127.0.0.1:9000", "aAb", "/v1", "200" },
	{ "json",
	  "{ \"start_time\": \"2016-04-15T20:17:00.310Z\", \"response_code\": 503, \"response_flags\": \"UO\", "
	  "\"duration\": 2, \"upstream_cluster\": \"chat\", \"path\": \"/v1/chat\", \"x\": null }",
	  S(1460751420) + 312000, 2000, NO, 503, ALOG_REJECTED, "chat", "(none)", "/v1", "503" },
	{ "json:status=code,request_time=rt,upstream_addr=be",
	  "{\"code\":\"502\",\"rt\":1.5,\"be\":\"x:1\",\"status\":\"200\"}",
	  NT, 1500000, NO, 502, ALOG_FAILURE, "x:1", "(none)", "(none)", "502" },
	/* A whole pasted nginx directive. */
	{ "log_format timed escape=default '$remote_addr [$time_local] '\n  '\"$request\" $status $request_time';",
	  "10.0.0.1 [10/Oct/2000:13:55:36 -0700] \"GET /a/b HTTP/1.1\" 200 0.002",
	  S(971211336), 2000, NO, 200, ALOG_OK, "(none)", "(none)", "/a", "200" },
};

START_TEST(test_fixture)
{
	const struct fixture *fx = &fixtures[_i];
	char err[256], row[64];
	struct alog_format *f = alog_compile(fx->format, NULL, err, sizeof(err));
	struct alog_record rec;
	const char *why = NULL;
	size_t col = 0;

	ck_assert_msg(f != NULL, "compile '%s': %s", fx->format, err);
	ck_assert_msg(alog_parse(f, fx->line, strlen(fx->line), &rec, &why, &col) == 0,
		      "line %d: %s at column %zu", _i, why, col);
	ck_assert_int_eq(rec.time_us, fx->time_us);
	ck_assert_int_eq(rec.request_us, fx->request_us);
	ck_assert_int_eq(rec.upstream_us, fx->upstream_us);
	ck_assert_int_eq(rec.status, fx->status);
	ck_assert_int_eq(alog_outcome(&rec), fx->outcome);
	alog_row_key(&rec, ALOG_BY_UPSTREAM, row, sizeof(row));
	ck_assert_str_eq(row, fx->upstream);
	alog_row_key(&rec, ALOG_BY_HOST, row, sizeof(row));
	ck_assert_str_eq(row, fx->host);
	alog_row_key(&rec, ALOG_BY_PATH, row, sizeof(row));
	ck_assert_str_eq(row, fx->path_row);
	alog_row_key(&rec, ALOG_BY_STATUS, row, sizeof(row));
	ck_assert_str_eq(row, fx->status_row);
	/* A trailing '\r' (a log written on Windows) changes nothing. */
	{
		char buf[1024];
		size_t n = strlen(fx->line);

		memcpy(buf, fx->line, n);
		buf[n] = '\r';
		ck_assert_int_eq(alog_parse(f, buf, n + 1, &rec, &why, &col), 0);
		ck_assert_int_eq(rec.status, fx->status);
	}
	alog_free(f);
}
END_TEST

static const struct {
	const char *format, *line;
} bad_lines[] = {
	{ "nginx-timed", "" },
	{ "nginx-timed", "garbage" },
	{ "nginx-timed", "192.0.2.10 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 2326 \"-\" \"curl\"" },
	{ "nginx-timed", "192.0.2.10 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 2x0 2326 \"-\" \"c\" 0.1 - -" },
	{ "nginx-timed", "192.0.2.10 - - [10/Xyz/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 2326 \"-\" \"c\" 0.1 - -" },
	{ "nginx-timed", "192.0.2.10 - - [10/Oct/2000:25:55:36 -0700] \"GET / HTTP/1.1\" 200 2326 \"-\" \"c\" 0.1 - -" },
	{ "nginx-timed", "192.0.2.10 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 2326 \"-\" \"c\" abc - -" },
	{ "nginx-timed", "192.0.2.10 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 2326 \"-\" \"c\" 0.1 0.1, x -" },
	{ "nginx-timed", "192.0.2.10 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 2326 \"-\" \"unclosed 0.1 - -" },
	{ "$status $request_time", "200 0.1 extra" },
	{ "$status $request_time", "2000 0.1" },
	{ "$status $request_time", "200 -0.1" },
	{ "$status $request_time", "200 1234567890123.0" },
	{ "$msec $status", "abc 200" },
	{ "$time_iso8601 $status", "2024-13-01T10:00:00Z 200" },
	{ "$time_iso8601 $status", "2024-03-01T10:00:00+25:00 200" },
	{ "envoy", "[2016-04-15T20:17:00.310Z] \"POST /a HTTP/2\" 204 - 154 0 2x6 100 \"-\" \"-\" \"-\" \"-\" \"-\"" },
	{ "haproxy", "10.0.1.2:33317 06/Feb/2009:12:14:14.655 http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0" },
	{ "haproxy", "10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ----" },
	{ "haproxy", "10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/109 200 2750 - - ---- 1/1/1/1/0 0/0" },
	{ "haproxy", "10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0" },
	{ "haproxy", "10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/s 10/0/30/69/109 abc 2750 - - -- 1/1/1/1/0 0/0" },
	{ "haproxy", "10.0.1.2:33317 [06/Feb/2009:99:14:14.655] http-in static/s 10/0/30/69/109 200 2750 - - -- 1/1/1/1/0 0/0" },
	{ "json", "" },
	{ "json", "[1,2]" },
	{ "json", "{\"status\":200" },
	{ "json", "{\"status\":\"200}" },
	{ "json", "{\"status\" 200}" },
	{ "json", "{\"status\":\"abc\"}" },
	{ "json", "{\"status\":200} trailing" },
	{ "json", "{\"a\":{\"b\":1}" },
	{ "json", "{status:200}" },
};

START_TEST(test_bad_line)
{
	char err[256];
	struct alog_format *f = alog_compile(bad_lines[_i].format, NULL, err, sizeof(err));
	struct alog_record rec;
	const char *why = NULL;
	size_t col = 99999;
	const char *line = bad_lines[_i].line;

	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_msg(alog_parse(f, line, strlen(line), &rec, &why, &col) == -1, "bad line %d parsed", _i);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(col <= strlen(line), "column %zu past the line", col);
	alog_free(f);
}
END_TEST

static const struct {
	const char *spec, *group, *message;
} bad_formats[] = {
	{ "", NULL, "no $variable" },
	{ "just text", NULL, "no $variable" },
	{ "$status$request_time", NULL, "$request_time follows another variable" },
	{ "%RESPONSE_CODE%%DURATION%", NULL, "%DURATION% follows another command" },
	{ "${status", NULL, "unclosed ${" },
	{ "json:foo=bar", NULL, "unknown field 'foo'" },
	{ "json:status", NULL, "expected FIELD=KEY" },
	{ "json:status=", NULL, "json field map" },
	{ "nginx-timed", "http_x_tenant", "no field 'http_x_tenant'" },
	{ "haproxy", "tenant", "frontend, backend, server, client" },
	{ "log_format x '$status", NULL, "unclosed quote" },
	{ "log_format x 'no vars';", NULL, "no $variable" },
};

START_TEST(test_bad_format)
{
	char err[256] = "";
	struct alog_format *f = alog_compile(bad_formats[_i].spec, bad_formats[_i].group, err, sizeof(err));

	ck_assert_ptr_null(f);
	ck_assert_msg(strstr(err, bad_formats[_i].message) != NULL, "'%s' said '%s'", bad_formats[_i].spec, err);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

START_TEST(test_format_too_long)
{
	char *spec = malloc(ALOG_FORMAT_MAX + 2), err[128];

	memset(spec, 'a', ALOG_FORMAT_MAX + 1);
	memcpy(spec, "$status ", 8);
	spec[ALOG_FORMAT_MAX + 1] = '\0';
	ck_assert_ptr_null(alog_compile(spec, NULL, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "longer"));
	free(spec);
}
END_TEST

START_TEST(test_line_too_long)
{
	struct alog_format *f = alog_compile("$status $http_user_agent", NULL, NULL, 0);
	size_t n = ALOG_LINE_MAX + 1;
	char *line = malloc(n);
	struct alog_record rec;
	const char *why;
	size_t col;

	memset(line, 'a', n);
	memcpy(line, "200 ", 4);
	ck_assert_int_eq(alog_parse(f, line, n, &rec, &why, &col), -1);
	ck_assert_int_eq(alog_parse(f, line, n - 1, &rec, &why, &col), 0);
	free(line);
	alog_free(f);
}
END_TEST

START_TEST(test_group)
{
	static const struct {
		const char *spec, *group, *line, *key;
	} cases[] = {
		{ "$status $http_x_tenant", "http_x_tenant", "200 acme", "acme" },
		{ "$status $http_x_tenant", "$http_x_tenant", "200 -", "(none)" },
		{ "$status \"$upstream_addr\"", "upstream_addr", "200 \"a:1, b:2\"", "a:1, b:2" },
		/* escape=json: an escaped quote does not end the field, an escaped backslash does not escape it. */
		{ "\"$http_user_agent\" $status", "http_user_agent", "\"say \\\"hi\\\" \\\\\" 200",
		  "say \\\"hi\\\" \\\\" },
		{ "%RESPONSE_CODE% %REQ(X-TENANT)%", "REQ(x-tenant)", "200 acme", "acme" },
		{ "json", "tenant", "{\"status\":200,\"tenant\":\"acme\"}", "acme" },
		{ "json", "status", "{\"status\":200}", "200" },
		{ "haproxy", "frontend", "10.0.1.2:1 [06/Feb/2009:12:14:14.655] fe~ be/srv 0/0/0/1/1 200 1 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"", "fe~" },
		{ "haproxy", "server", "10.0.1.2:1 [06/Feb/2009:12:14:14.655] fe be/srv 0/0/0/1/1 200 1 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"", "srv" },
		{ "haproxy", "client", "10.0.1.2:1 [06/Feb/2009:12:14:14.655] fe be/srv 0/0/0/1/1 200 1 - - ---- 1/1/1/1/0 0/0 \"GET / HTTP/1.1\"", "10.0.1.2" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256], key[64];
		struct alog_format *f = alog_compile(cases[i].spec, cases[i].group, err, sizeof(err));
		struct alog_record rec;
		const char *why;
		size_t col;

		ck_assert_msg(f != NULL, "%s", err);
		ck_assert_msg(alog_parse(f, cases[i].line, strlen(cases[i].line), &rec, &why, &col) == 0,
			      "case %zu: %s", i, why);
		alog_row_key(&rec, ALOG_BY_GROUP, key, sizeof(key));
		ck_assert_str_eq(key, cases[i].key);
		alog_free(f);
	}
}
END_TEST

START_TEST(test_has)
{
	struct alog_format *f = alog_compile("combined", NULL, NULL, 0);

	ck_assert(alog_has_time(f));
	ck_assert(!alog_has_request_time(f));
	ck_assert(!alog_has_upstream_time(f));
	alog_free(f);
	f = alog_compile("nginx-timed", NULL, NULL, 0);
	ck_assert(alog_has_request_time(f) && alog_has_upstream_time(f));
	alog_free(f);
	f = alog_compile("$status", NULL, NULL, 0);
	ck_assert(!alog_has_time(f));
	alog_free(f);
	for (int i = 0; alog_builtin_names[i] != NULL; i++) {
		f = alog_compile(alog_builtin_names[i], NULL, NULL, 0);
		ck_assert_msg(f != NULL, "%s", alog_builtin_names[i]);
		ck_assert(alog_has_time(f));
		alog_free(f);
	}
}
END_TEST

START_TEST(test_latency_choice)
{
	struct alog_record rec = { .request_us = 5000, .upstream_us = 3000, .status = 200 };

	ck_assert_int_eq(alog_latency_us(&rec, ALOG_LATENCY_REQUEST), 5000);
	ck_assert_int_eq(alog_latency_us(&rec, ALOG_LATENCY_UPSTREAM), 3000);
	rec.status = 504;
	ck_assert_int_eq(alog_latency_us(&rec, ALOG_LATENCY_REQUEST), 5000);
	rec.status = 429;
	ck_assert_int_eq(alog_latency_us(&rec, ALOG_LATENCY_REQUEST), ALOG_NO_DURATION);
	rec.status = 503;
	rec.flags = ALOG_FLAG_OVERFLOW;
	ck_assert_int_eq(alog_latency_us(&rec, ALOG_LATENCY_REQUEST), ALOG_NO_DURATION);
}
END_TEST

START_TEST(test_outcome_table)
{
	static const struct {
		int status;
		unsigned flags;
		enum alog_outcome o;
	} cases[] = {
		{ 200, 0, ALOG_OK }, { 404, 0, ALOG_OK }, { 0, 0, ALOG_OK }, { 500, 0, ALOG_FAILURE },
		{ 502, 0, ALOG_FAILURE }, { 503, 0, ALOG_FAILURE }, { 504, 0, ALOG_TIMEOUT },
		{ 503, ALOG_FLAG_TIMEOUT, ALOG_TIMEOUT }, { 429, 0, ALOG_RATE_LIMITED },
		{ 200, ALOG_FLAG_RATE_LIMITED, ALOG_RATE_LIMITED }, { 503, ALOG_FLAG_OVERFLOW, ALOG_REJECTED },
		{ 429, ALOG_FLAG_OVERFLOW, ALOG_RATE_LIMITED },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct alog_record rec = { .status = cases[i].status, .flags = cases[i].flags };

		ck_assert_int_eq(alog_outcome(&rec), cases[i].o);
	}
}
END_TEST

START_TEST(test_path_rows)
{
	static const struct {
		const char *path, *row;
	} cases[] = {
		{ "/api/v1/x?y=1", "/api" }, { "/", "/" }, { "/?q", "/" }, { "/favicon.ico", "/favicon.ico" },
		{ "/a#frag", "/a" }, { "http://example.com/b/c", "/b" }, { "https://example.com", "/" },
		{ "*", "*" }, { "/a:b//c", "/a:b" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct alog_record rec = { .path = { cases[i].path, strlen(cases[i].path) } };
		char row[64];

		alog_row_key(&rec, ALOG_BY_PATH, row, sizeof(row));
		ck_assert_str_eq(row, cases[i].row);
	}
}
END_TEST

START_TEST(test_row_key_cut)
{
	struct alog_record rec = { .upstream_addr = { "abcdefgh", 8 } };
	char row[4];

	ck_assert_uint_eq(alog_row_key(&rec, ALOG_BY_UPSTREAM, row, sizeof(row)), 3);
	ck_assert_str_eq(row, "abc");
}
END_TEST

START_TEST(test_by_parse)
{
	enum alog_by by;

	ck_assert_int_eq(alog_by_parse("path", &by), 0);
	ck_assert_int_eq(by, ALOG_BY_PATH);
	ck_assert_int_eq(alog_by_parse("status", &by), 0);
	ck_assert_int_eq(by, ALOG_BY_STATUS);
	ck_assert_int_eq(alog_by_parse("http_x_tenant", &by), -1);
}
END_TEST

START_TEST(test_values)
{
	int64_t us = -7;
	const char *item;
	size_t len;
	int st;

	ck_assert_int_eq(alogv_duration("0.123", 5, ALOGV_SECONDS, &us), 0);
	ck_assert_int_eq(us, 123000);
	ck_assert_int_eq(alogv_duration("12", 2, ALOGV_MILLIS, &us), 0);
	ck_assert_int_eq(us, 12000);
	ck_assert_int_eq(alogv_duration("1.2345678", 9, ALOGV_SECONDS, &us), 0);
	ck_assert_int_eq(us, 1234567);
	ck_assert_int_eq(alogv_duration(".5", 2, ALOGV_SECONDS, &us), 0);
	ck_assert_int_eq(us, 500000);
	ck_assert_int_eq(alogv_duration("-", 1, ALOGV_SECONDS, &us), 1);
	ck_assert_int_eq(alogv_duration(".", 1, ALOGV_SECONDS, &us), -1);
	ck_assert_int_eq(alogv_duration("1e3", 3, ALOGV_SECONDS, &us), -1);
	ck_assert_int_eq(alogv_duration_list("0.010, 0.020 : 0.005", 20, ALOGV_SECONDS, &us), 0);
	ck_assert_int_eq(us, 35000);
	ck_assert_int_eq(alogv_duration_list("-, 0.020", 8, ALOGV_SECONDS, &us), 0);
	ck_assert_int_eq(us, 20000);
	ck_assert_int_eq(alogv_duration_list("-, -", 4, ALOGV_SECONDS, &us), 1);
	ck_assert_int_eq(alogv_duration_list("0.1, ", 5, ALOGV_SECONDS, &us), -1);
	ck_assert_int_eq(alogv_list_last("a:1, b:2 : unix:/s", 18, &item, &len), 0);
	ck_assert_int_eq(len, 7);
	ck_assert(memcmp(item, "unix:/s", 7) == 0);
	ck_assert_int_eq(alogv_list_last("a:1, -", 6, &item, &len), 1);
	ck_assert_int_eq(alogv_status("502", 3, &st), 0);
	ck_assert_int_eq(st, 502);
	ck_assert_int_eq(alogv_status("5020", 4, &st), -1);
	ck_assert_int_eq(alogv_time_local("10/Oct/2000:13:55:36 +0530", 26, &us), 0);
	ck_assert_int_eq(us, S(971186136 - 19800));
	ck_assert_int_eq(alogv_time_epoch("1700000000", 10, &us), 0);
	ck_assert_int_eq(us, S(1700000000));
	ck_assert_int_eq(alogv_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(alogv_days_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(alogv_days_from_civil(2024, 3, 1), 19783);
}
END_TEST

START_TEST(test_iso_shapes)
{
	static const struct {
		const char *text;
		int rc;
		int64_t us;
	} cases[] = {
		{ "2024-03-01T10:00:00Z", 0, S(1709287200) },
		{ "2024-03-01T10:00:00.5Z", 0, S(1709287200) + 500000 },
		{ "2024-03-01T10:00:00.123456789Z", 0, S(1709287200) + 123456 },
		{ "2024-03-01T11:00:00+01:00", 0, S(1709287200) },
		{ "2024-03-01T05:00:00-0500", 0, S(1709287200) },
		{ "2024-03-01 10:00:00Z", 0, S(1709287200) },
		{ "2024-03-01T10:00:00", 0, S(1709287200) },	/* local time; the test runs in UTC */
		{ "2024-03-01T10:00:00X", -1, 0 },
		{ "2024-03-01T10:00", -1, 0 },
		{ "2024-03-01T10:00:00+1", -1, 0 },
		{ "-", 1, 0 },
	};
	struct alogv_tzcache tz = { .key = -1 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t us = 0;
		int rc = alogv_time_iso(cases[i].text, strlen(cases[i].text), &tz, &us);

		ck_assert_msg(rc == cases[i].rc, "'%s' gave %d", cases[i].text, rc);
		if (rc == 0)
			ck_assert_int_eq(us, cases[i].us);
	}
}
END_TEST

/* Zoneless times are local: a different zone moves them, and the hourly cache follows. */
START_TEST(test_local_zone)
{
	struct alogv_tzcache tz = { .key = -1 };
	int64_t a, b;

	setenv("TZ", "UTC-2", 1);
	tzset();
	ck_assert_int_eq(alogv_time_haproxy("06/Feb/2009:12:14:14.655", 24, &tz, &a), 0);
	ck_assert_int_eq(a, S(1233922454 - 7200) + 655000);
	ck_assert_int_eq(alogv_time_haproxy("06/Feb/2009:13:00:00", 20, &tz, &b), 0);
	ck_assert_int_eq(b, S(1233925200 - 7200));
	setenv("TZ", "UTC", 1);
	tzset();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("accesslog");
	TCase *tc = tcase_create("accesslog");

	/* Zoneless times (HAProxy's) are local: pin the zone so fixtures hold anywhere. */
	setenv("TZ", "UTC", 1);
	tzset();
	tcase_add_loop_test(tc, test_fixture, 0, (int)(sizeof(fixtures) / sizeof(fixtures[0])));
	tcase_add_loop_test(tc, test_bad_line, 0, (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	tcase_add_loop_test(tc, test_bad_format, 0, (int)(sizeof(bad_formats) / sizeof(bad_formats[0])));
	tcase_add_test(tc, test_format_too_long);
	tcase_add_test(tc, test_line_too_long);
	tcase_add_test(tc, test_group);
	tcase_add_test(tc, test_has);
	tcase_add_test(tc, test_latency_choice);
	tcase_add_test(tc, test_outcome_table);
	tcase_add_test(tc, test_path_rows);
	tcase_add_test(tc, test_row_key_cut);
	tcase_add_test(tc, test_by_parse);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_iso_shapes);
	tcase_add_test(tc, test_local_zone);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
