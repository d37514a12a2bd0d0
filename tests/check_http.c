/*
 * The HTTP source against a loopback fault server: each fault is reported
 * with its message and the source recovers; the loop never blocks; the
 * header file is sent; the backoff schedule and the fault messages as
 * plain functions.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_run.h"
#include "fault_http.h"
#include "sanitize.h"
#include "source/source.h"
#include "source/http.h"
#include "util.h"

#define INTERVAL_MS 100
#define TIMEOUT_MS 700
#define DRIVE_LIMIT_MS 8000

struct rig {
	struct fault_server *fs;
	struct source *src;
	char url[128];
};

static struct source *rig_source(const char *url, const char *header_file, bool insecure)
{
	struct http_options o = {
		.url = url, .interval_ms = INTERVAL_MS, .timeout_ms = TIMEOUT_MS,
		.header_file = header_file, .insecure = insecure, .max_body = 1 << 20,
	};
	char err[256] = "";
	struct source *src = source_http_new(&o, err, sizeof(err));

	ck_assert_msg(src != NULL, "source_http_new: %s", err);
	return src;
}

static void rig_start(struct rig *r, const char *header_file)
{
	r->fs = fault_server_start(-1);
	ck_assert_ptr_nonnull(r->fs);
	fault_server_set_slow_ms(r->fs, 2000);
	snprintf(r->url, sizeof(r->url), "http://127.0.0.1:%u/metrics", fault_server_port(r->fs));
	r->src = rig_source(r->url, header_file, false);
}

static void rig_stop(struct rig *r)
{
	source_free(r->src);
	fault_server_stop(r->fs);
}

/* Run the loop until the source reports an event; fail after a time limit. */
static void drive(struct source *src, struct source_event *ev)
{
	int64_t end = clock_monotonic_ms() + DRIVE_LIMIT_MS;

	while (clock_monotonic_ms() < end) {
		source_wait(src, -1, 200);
		if (source_step(src, clock_monotonic_ms(), ev) == 1)
			return;
	}
	ck_abort_msg("no event within %d ms", DRIVE_LIMIT_MS);
}

START_TEST(test_good_answer)
{
	struct rig r;
	struct source_event ev;
	char agent[128];

	rig_start(&r, NULL);
	drive(r.src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_int_eq(ev.snap.latency.count, 1001);
	ck_assert_int_eq(ev.snap.errors.failures, 1);
	ck_assert_int_eq(ev.snap.breaker.state, BREAKER_CLOSED);
	ck_assert(ev.at_ms <= source_clock(r.src, clock_monotonic_ms()));
	fault_server_last_agent(r.fs, agent, sizeof(agent));
	ck_assert_str_eq(agent, "routertop/" PACKAGE_VERSION);
	/* Compressed answers are welcome (curl decodes them before the size cap). */
	fault_server_last_encoding(r.fs, agent, sizeof(agent));
	ck_assert_ptr_nonnull(strstr(agent, "gzip"));
	/* And the next poll, an interval later, gets the next answer. */
	drive(r.src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_int_eq(ev.snap.latency.count, 1002);
	rig_stop(&r);
}
END_TEST

/* Pausing stops polling; a new interval takes effect from the last poll's start. */
START_TEST(test_pause_and_interval)
{
	struct rig r;
	struct source_event ev;
	int64_t next, far;

	rig_start(&r, NULL);
	drive(r.src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	source_set_interval(r.src, 300);
	ck_assert_int_eq(r.src->interval_ms, 300);
	next = r.src->ops->next_wakeup(r.src->self, ev.at_ms);
	ck_assert(next > ev.at_ms + 200 && next <= ev.at_ms + 300);
	source_set_paused(r.src, true, ev.at_ms);
	ck_assert_int_eq(r.src->ops->next_wakeup(r.src->self, ev.at_ms), SOURCE_NO_WAKEUP);
	far = ev.at_ms + 60000;
	ck_assert_int_eq(source_step(r.src, far, &ev), 0);
	ck_assert_uint_eq(fault_server_requests(r.fs), 1);
	source_set_paused(r.src, false, far);
	ck_assert_int_eq(r.src->ops->next_wakeup(r.src->self, far), next);
	drive(r.src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_uint_eq(fault_server_requests(r.fs), 2);
	rig_stop(&r);
}
END_TEST

static const struct {
	enum fault_kind kind;
	const char *message;	/* expected start; the URL follows when it ends in "from " */
} fault_cases[] = {
	{ FAULT_500, "HTTP 500 Internal Server Error from " },
	{ FAULT_404, "HTTP 404 Not Found from " },
	{ FAULT_GARBAGE, "bad metrics: " },
	{ FAULT_TRUNCATED, "bad metrics: " },
	{ FAULT_HUGE, "body over 1048576 bytes from " },
	{ FAULT_REDIRECT_LOOP, "too many redirects (more than 3) from " },
	{ FAULT_SLOW, "timeout: no answer within 700 ms from " },
};

/* Each fault is one clear SOURCE_ERROR, and a good answer afterwards is a snapshot again. */
START_TEST(test_fault_then_recovery)
{
	struct rig r;
	struct source_event ev;
	char want[256];

	rig_start(&r, NULL);
	fault_server_set(r.fs, fault_cases[_i].kind);
	snprintf(want, sizeof(want), "%s%s", fault_cases[_i].message,
		 strstr(fault_cases[_i].message, "from ") != NULL ? r.url : "");
	drive(r.src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_msg(strncmp(ev.message, want, strlen(want)) == 0, "got '%s', want '%s'",
		      ev.message, want);
	ck_assert_ptr_null(strchr(ev.message, '\n'));
	/* The same fault again: still one line, and the backoff has doubled. */
	drive(r.src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_int_eq(r.src->ops->next_wakeup(r.src->self, ev.at_ms),
			 ev.at_ms + 2 * INTERVAL_MS);
	fault_server_set(r.fs, FAULT_GOOD);
	drive(r.src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	/* Back to the normal interval after a good answer. */
	ck_assert(r.src->ops->next_wakeup(r.src->self, ev.at_ms) <= ev.at_ms + INTERVAL_MS);
	rig_stop(&r);
}
END_TEST

/* A port that is bound but not listening refuses connections, and nobody else can take it. */
static int refusing_socket(unsigned *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

START_TEST(test_refused_then_recovery)
{
	struct source_event ev;
	struct fault_server *fs;
	unsigned port;
	int fd = refusing_socket(&port);
	char url[128], want[160];
	struct source *src;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/metrics", port);
	src = rig_source(url, NULL, false);
	drive(src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	snprintf(want, sizeof(want), "connection refused by %s", url);
	ck_assert_str_eq(ev.message, want);
	/* The router comes up on the same port: the next poll gets through. */
	ck_assert_int_eq(listen(fd, 8), 0);
	fs = fault_server_start(fd);
	ck_assert_ptr_nonnull(fs);
	drive(src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	source_free(src);
	fault_server_stop(fs);
}
END_TEST

/*
 * While a request hangs, the loop never blocks on it: source_wait returns
 * after about the wait it was given and step at once, time after time,
 * until the request's own timeout ends it. A wait or step that blocked on
 * the request would last that timeout (or the server's 2 s) itself; the
 * bounds are half of it, so a busy machine's scheduling does not fail
 * the test, and the timeout's own error is the sign it ended.
 */
START_TEST(test_loop_never_blocks)
{
	struct rig r;
	struct source_event ev;
	int64_t start, t0, worst_wait = 0, worst_step = 0;
	int steps = 0, got = 0;

	rig_start(&r, NULL);
	fault_server_set(r.fs, FAULT_SLOW);
	start = clock_monotonic_ms();
	ck_assert_int_eq(source_step(r.src, start, &ev), 0);	/* request sent */
	while (got == 0 && clock_monotonic_ms() - start < DRIVE_LIMIT_MS) {
		t0 = clock_monotonic_ms();
		source_wait(r.src, -1, 20);
		if (clock_monotonic_ms() - t0 > worst_wait)
			worst_wait = clock_monotonic_ms() - t0;
		t0 = clock_monotonic_ms();
		got = source_step(r.src, t0, &ev);
		if (clock_monotonic_ms() - t0 > worst_step)
			worst_step = clock_monotonic_ms() - t0;
		steps += got == 0;
	}
	ck_assert_int_eq(got, 1);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_msg(strstr(ev.message, "timeout: no answer within 700 ms") != NULL, "%s", ev.message);
	ck_assert_msg(worst_wait < TIMEOUT_MS / 2, "source_wait took %lld ms", (long long)worst_wait);
	ck_assert_msg(worst_step < TIMEOUT_MS / 2, "a step took %lld ms", (long long)worst_step);
	ck_assert_int_ge(steps, 3);
	rig_stop(&r);
}
END_TEST

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_header_file_sent)
{
	char path[] = "/tmp/rt-headers-XXXXXX";
	struct source_event ev;
	struct rig r;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	write_file(path, "# secrets stay out of ps\n\nAuthorization:  Bearer s3cret \r\nX-Tenant: a\n");
	rig_start(&r, path);
	fault_server_require_header(r.fs, "Authorization", "Bearer s3cret");
	drive(r.src, &ev);
	ck_assert_msg(ev.kind == SOURCE_SNAPSHOT, "got error '%s'", ev.message);
	rig_stop(&r);

	/* Without the file the server says 401: the check above can fail. */
	rig_start(&r, NULL);
	fault_server_require_header(r.fs, "Authorization", "Bearer s3cret");
	drive(r.src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_ptr_nonnull(strstr(ev.message, "HTTP 401"));
	rig_stop(&r);
	unlink(path);
}
END_TEST

static const struct {
	const char *text;	/* NULL: the file does not exist */
	const char *error;	/* expected after the path */
} header_file_cases[] = {
	{ NULL, ": No such file or directory" },
	{ "Accept: application/json\nno colon here\n", ":2: expected 'Name: value'" },
	{ "# ok\n: value\n", ":2: bad header name ''" },
	{ "Bad Name: x\n", ":1: bad header name 'Bad Name'" },
};

START_TEST(test_header_file_errors)
{
	char path[] = "/tmp/rt-headers-XXXXXX", want[256], err[256] = "";
	struct http_options o = { .url = "http://127.0.0.1:1/metrics", .header_file = path };
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	if (header_file_cases[_i].text != NULL)
		write_file(path, header_file_cases[_i].text);
	else
		unlink(path);
	ck_assert_ptr_null(source_http_new(&o, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s%s", path, header_file_cases[_i].error);
	ck_assert_str_eq(err, want);
	unlink(path);
}
END_TEST

START_TEST(test_header_file_limits)
{
	char path[] = "/tmp/rt-headers-XXXXXX", err[256] = "";
	struct curl_slist *list = NULL;
	int fd = mkstemp(path);
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	for (int i = 0; i <= HTTP_HEADERS_MAX; i++)
		fprintf(f, "X-H%d: %d\n", i, i);
	fclose(f);
	ck_assert_int_eq(http_read_header_file(path, &list, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "more than 64 headers"));
	curl_slist_free_all(list);
	list = NULL;

	f = fopen(path, "w");
	for (int i = 0; i < HTTP_HEADER_LINE_MAX + 10; i++)
		fputc('a', f);
	fclose(f);
	ck_assert_int_eq(http_read_header_file(path, &list, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ":1: line longer than"));
	curl_slist_free_all(list);
	unlink(path);
}
END_TEST

static const char *const bad_urls[] = {
	"ftp://127.0.0.1/metrics", "file:///etc/passwd", "127.0.0.1:8080/metrics", "http://",
};

START_TEST(test_bad_url)
{
	struct http_options o = { .url = bad_urls[_i] };
	char err[256] = "";

	ck_assert_ptr_null(source_http_new(&o, err, sizeof(err)));
	ck_assert_msg(strncmp(err, "bad URL '", 9) == 0, "got '%s'", err);
}
END_TEST

START_TEST(test_describe)
{
	struct source *src = rig_source("http://user:pw@127.0.0.1:1/metrics", NULL, true);
	char buf[256];

	source_describe(src, buf, sizeof(buf));
	ck_assert_str_eq(buf, "http://127.0.0.1:1/metrics (insecure)");
	source_free(src);
	src = rig_source("https://example.invalid/m", NULL, false);
	source_describe(src, buf, sizeof(buf));
	ck_assert_str_eq(buf, "https://example.invalid/m");
	source_free(src);
}
END_TEST

START_TEST(test_backoff_schedule)
{
	static const int64_t five[] = { 5000, 5000, 10000, 20000, 30000, 30000, 30000 };
	static const int64_t one[] = { 1000, 1000, 2000, 4000, 8000, 16000, 30000, 30000 };

	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(http_backoff_ms(5000, i), five[i]);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(http_backoff_ms(1000, i), one[i]);
	ck_assert_int_eq(http_backoff_ms(1000, 1000), 30000);
	/* An interval longer than the cap is never shortened by a fault. */
	ck_assert_int_eq(http_backoff_ms(60000, 5), 60000);

	/* Good answers keep the cadence from the start of the poll... */
	ck_assert_int_eq(http_next_poll_ms(10000, 10300, 5000, 0), 15000);
	/* ...but a poll that outlasted the interval is followed at once. */
	ck_assert_int_eq(http_next_poll_ms(10000, 16000, 5000, 0), 16000);
	/* Faults back off from the time the fault was seen. */
	ck_assert_int_eq(http_next_poll_ms(10000, 14000, 5000, 1), 19000);
	ck_assert_int_eq(http_next_poll_ms(10000, 14000, 5000, 2), 24000);
	ck_assert_int_eq(http_next_poll_ms(10000, 14000, 5000, 9), 44000);
}
END_TEST

static const struct {
	CURLcode code;
	long status, os_errno;
	bool body_over;
	const char *reason, *detail;
	bool fault;
	const char *message;
} outcome_cases[] = {
	{ CURLE_OK, 200, 0, false, "OK", "", false, "" },
	{ CURLE_OK, 204, 0, false, "", "", false, "" },
	{ CURLE_OK, 503, 0, false, "Service Unavailable", "", true,
	  "HTTP 503 Service Unavailable from http://r/m" },
	{ CURLE_OK, 500, 0, false, "", "", true, "HTTP 500 Internal Server Error from http://r/m" },
	{ CURLE_OK, 599, 0, false, "", "", true, "HTTP 599 from http://r/m" },
	{ CURLE_OK, 301, 0, false, "Moved Permanently", "", true,
	  "HTTP 301 Moved Permanently from http://r/m" },
	{ CURLE_COULDNT_CONNECT, 0, ECONNREFUSED, false, "", "", true,
	  "connection refused by http://r/m" },
	{ CURLE_COULDNT_CONNECT, 0, EHOSTUNREACH, false, "", "", true,
	  "cannot connect to http://r/m: No route to host" },
	{ CURLE_COULDNT_RESOLVE_HOST, 0, 0, false, "", "Could not resolve host: r", true,
	  "name not resolved: http://r/m" },
	{ CURLE_OPERATION_TIMEDOUT, 0, 0, false, "", "Operation timed out", true,
	  "timeout: no answer within 4000 ms from http://r/m" },
	{ CURLE_TOO_MANY_REDIRECTS, 302, 0, false, "Found", "", true,
	  "too many redirects (more than 3) from http://r/m" },
	{ CURLE_WRITE_ERROR, 200, 0, true, "OK", "", true,
	  "body over 1048576 bytes from http://r/m" },
	{ CURLE_GOT_NOTHING, 0, 0, false, "", "Empty reply from server", true,
	  "Empty reply from server from http://r/m" },
	/* The peer's words pass the funnel; '|' stays (only plugin output replaces it). */
	{ CURLE_OK, 503, 0, false, "\x1b]0;PWNED\x07no\xc2\x9b\xe2\x80\xae|", "", true,
	  "HTTP 503  ]0;PWNED no | from http://r/m" },
	{ CURLE_RECV_ERROR, 0, 0, false, "", "bad \x1b[2J\xff", true, "bad  [2J? from http://r/m" },
	/* libcurl 7.88 says "Out of memory" for a response header line over its limit. */
	{ CURLE_OUT_OF_MEMORY, 0, 0, false, "", "", true, "response header too large from http://r/m" },
};

START_TEST(test_fault_messages)
{
	struct http_outcome o = {
		.code = outcome_cases[_i].code, .status = outcome_cases[_i].status,
		.os_errno = outcome_cases[_i].os_errno, .body_over = outcome_cases[_i].body_over,
		.reason = outcome_cases[_i].reason, .detail = outcome_cases[_i].detail,
		.url = "http://r/m", .timeout_ms = 4000, .max_body = 1 << 20,
	};
	char buf[SOURCE_MSG_LEN] = "";

	ck_assert_int_eq(http_fault_message(&o, buf, sizeof(buf)), outcome_cases[_i].fault);
	ck_assert_str_eq(buf, outcome_cases[_i].message);
}
END_TEST

START_TEST(test_redirect_named)
{
	struct http_outcome o = {
		.code = CURLE_OK, .status = 404, .reason = "Not Found", .detail = "",
		.url = "http://r/m", .redirected = "http://r/x\x1b]0;t\x07", .max_body = 1,
	};
	char buf[SOURCE_MSG_LEN];

	ck_assert(http_fault_message(&o, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "HTTP 404 Not Found from http://r/m (redirected to http://r/x ]0;t )");
	o.redirected = "http://r/m";	/* no redirect: not named */
	ck_assert(http_fault_message(&o, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "HTTP 404 Not Found from http://r/m");
}
END_TEST

static const struct {
	enum fault_kind kind;
	enum source_event_kind event;
	const char *start;	/* of the message, for a fault */
} hostile_cases[] = {
	{ FAULT_HOSTILE_JSON, SOURCE_SNAPSHOT, "" },
	{ FAULT_HOSTILE_STATE, SOURCE_ERROR, "bad metrics: circuitBreakerStatus.state: unknown state" },
	{ FAULT_HOSTILE_REASON, SOURCE_ERROR, "HTTP 503  ]0;PWNED  [31mred" },
	{ FAULT_HOSTILE_HEADER, SOURCE_SNAPSHOT, "" },
	{ FAULT_HOSTILE_REDIRECT, SOURCE_ERROR, "HTTP 404  ]0;PWNED" },
	{ FAULT_HOSTILE_BIG_HEADER, SOURCE_ERROR, "response header too large from " },
	{ FAULT_HOSTILE_PROM, SOURCE_SNAPSHOT, "" },
};

/* Whatever path the hostile text takes, what the source hands on is clean. */
START_TEST(test_hostile_answers)
{
	struct fault_server *fs = fault_server_start_hostile(-1);
	struct source_event ev;
	struct source *src;
	char url[128];

	ck_assert_ptr_nonnull(fs);
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/metrics", fault_server_port(fs));
	src = rig_source(url, NULL, false);
	fault_server_set(fs, hostile_cases[_i].kind);
	drive(src, &ev);
	ck_assert_int_eq(ev.kind, hostile_cases[_i].event);
	ck_assert_msg(strncmp(ev.message, hostile_cases[_i].start, strlen(hostile_cases[_i].start)) == 0,
		      "got '%s'", ev.message);
	ck_assert_msg(sanitize_is_clean(ev.message, 0), "message not clean: '%s'", ev.message);
	ck_assert(sanitize_is_clean(ev.snap.breaker.recommendation, 0));
	for (size_t i = 0; i < ev.snap.nrows; i++)
		ck_assert(sanitize_is_clean(ev.snap.rows[i].name, 0));
	if (hostile_cases[_i].kind == FAULT_HOSTILE_PROM) {
		ck_assert_uint_eq(ev.snap.nrows, 2);
		ck_assert(strstr(ev.snap.rows[0].name, " ]0;PWNED ") != NULL ||
			  strstr(ev.snap.rows[1].name, " ]0;PWNED ") != NULL);
	}
	if (hostile_cases[_i].kind == FAULT_HOSTILE_JSON) {
		ck_assert_str_eq(ev.snap.breaker.recommendation,
				 " ]0;PWNED  [31mred [0m 31m 0;PWNED ??desrever  | fake_perf=0;1;2");
		ck_assert_uint_eq(ev.snap.nrows, 1);
		ck_assert(sanitize_is_clean(ev.snap.rows[0].name, 0));
		ck_assert_ptr_nonnull(strstr(ev.snap.rows[0].name, " ]0;PWNED "));
	}
	if (hostile_cases[_i].kind == FAULT_HOSTILE_REDIRECT)
		ck_assert_ptr_nonnull(strstr(ev.message, "(redirected to http://127.0.0.1:"));
	source_free(src);
	fault_server_stop(fs);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *live = tcase_create("live");
	TCase *unit = tcase_create("unit");

	tcase_set_timeout(live, 30);
	tcase_add_test(live, test_good_answer);
	tcase_add_test(live, test_pause_and_interval);
	tcase_add_loop_test(live, test_fault_then_recovery, 0, N_OF(fault_cases));
	tcase_add_test(live, test_refused_then_recovery);
	tcase_add_test(live, test_loop_never_blocks);
	tcase_add_test(live, test_header_file_sent);
	tcase_add_loop_test(live, test_hostile_answers, 0, N_OF(hostile_cases));
	tcase_add_loop_test(unit, test_header_file_errors, 0, N_OF(header_file_cases));
	tcase_add_test(unit, test_header_file_limits);
	tcase_add_loop_test(unit, test_bad_url, 0, N_OF(bad_urls));
	tcase_add_test(unit, test_describe);
	tcase_add_test(unit, test_backoff_schedule);
	tcase_add_loop_test(unit, test_fault_messages, 0, N_OF(outcome_cases));
	tcase_add_test(unit, test_redirect_named);
	suite_add_tcase(s, live);
	suite_add_tcase(s, unit);
	return s;
}

int main(void)
{
	/* Loopback tests must not wander off through a proxy from the environment. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	return check_run_suite(http_suite());
}
