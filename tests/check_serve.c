/*
 * The HTTP side of `serve`: listen addresses, the answer to each request,
 * and a live server on loopback spoken to over raw sockets, so what goes
 * on the wire (status, headers, a HEAD without a body) is what is checked.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_run.h"
#include "metrics.h"
#include "serve/http.h"
#include "util.h"

static const struct {
	const char *text;
	int family;
	unsigned port;
} good_listen[] = {
	{ "127.0.0.1:8080", AF_INET, 8080 },
	{ "0.0.0.0:0", AF_INET, 0 },
	{ "localhost:9", AF_INET, 9 },
	{ "[::1]:8080", AF_INET6, 8080 },
	{ "[::]:65535", AF_INET6, 65535 },
};

START_TEST(test_listen_good)
{
	struct sockaddr_storage addr;
	socklen_t len;
	char err[256] = "";
	unsigned port;

	ck_assert_int_eq(serve_parse_listen(good_listen[_i].text, &addr, &len, err, sizeof(err)), 0);
	ck_assert_int_eq(addr.ss_family, good_listen[_i].family);
	if (addr.ss_family == AF_INET)
		port = ntohs(((struct sockaddr_in *)&addr)->sin_port);
	else
		port = ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
	ck_assert_uint_eq(port, good_listen[_i].port);
}
END_TEST

static const char *const bad_listen[] = {
	"8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:80x", "::1:80",
	"[::1]80", "[::1:80", ":8080", "example.com:80", "1.2.3:80", "127.0.0.1:-1",
	"[127.0.0.1]:80", "[]:80", "999.0.0.1:80",
};

START_TEST(test_listen_bad)
{
	struct sockaddr_storage addr;
	socklen_t len;
	char err[256] = "", want[128];

	ck_assert_int_eq(serve_parse_listen(bad_listen[_i], &addr, &len, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "bad listen address '%s'", bad_listen[_i]);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "got '%s'", err);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

static const struct {
	const char *method, *path;
	bool have_json;
	unsigned status;
	const char *type, *body, *allow;
} answers[] = {
	{ "GET", "/metrics", true, 200, "application/json", "{\"x\":1}\n", NULL },
	{ "HEAD", "/metrics", true, 200, "application/json", "{\"x\":1}\n", NULL },
	{ "GET", "/metrics", false, 503, "text/plain", "no snapshot yet\n", NULL },
	{ "POST", "/metrics", true, 405, "text/plain", "method not allowed\n", "GET, HEAD" },
	{ "DELETE", "/healthz", true, 405, "text/plain", "method not allowed\n", "GET, HEAD" },
	{ "GET", "/healthz", false, 200, "text/plain", "ok\n", NULL },
	{ "HEAD", "/healthz", true, 200, "text/plain", "ok\n", NULL },
	{ "GET", "/", true, 404, "text/plain", "not found\n", NULL },
	{ "GET", "/metrics/", true, 404, "text/plain", "not found\n", NULL },
	{ "POST", "/nope", true, 404, "text/plain", "not found\n", NULL },
};

START_TEST(test_answer)
{
	static const char json[] = "{\"x\":1}\n";
	struct serve_reply r;

	serve_answer(answers[_i].method, answers[_i].path, answers[_i].have_json ? json : NULL,
		     sizeof(json) - 1, &r);
	ck_assert_uint_eq(r.status, answers[_i].status);
	ck_assert_str_eq(r.content_type, answers[_i].type);
	ck_assert_uint_eq(r.body_len, strlen(answers[_i].body));
	ck_assert(memcmp(r.body, answers[_i].body, r.body_len) == 0);
	if (answers[_i].allow == NULL)
		ck_assert_ptr_null(r.allow);
	else
		ck_assert_str_eq(r.allow, answers[_i].allow);
}
END_TEST

/* A server driven by its own thread here, the way serve_run's loop drives it. */
struct live {
	struct serve_http *s;
	pthread_t thread;
	atomic_bool stop;
	unsigned port;
};

static void *live_loop(void *arg)
{
	struct live *l = arg;

	while (!atomic_load(&l->stop)) {
		struct pollfd p = { .fd = serve_http_fd(l->s), .events = POLLIN };

		poll(&p, 1, 20);
		serve_http_run(l->s, clock_monotonic_ms());
	}
	return NULL;
}

static void live_start(struct live *l, bool publish)
{
	struct metrics_snapshot snap;
	char err[256] = "", url[128];

	l->s = serve_http_start("127.0.0.1:0", err, sizeof(err));
	ck_assert_msg(l->s != NULL, "serve_http_start: %s", err);
	serve_http_url(l->s, url, sizeof(url));
	ck_assert_int_eq(sscanf(url, "http://127.0.0.1:%u/metrics", &l->port), 1);
	ck_assert_uint_ne(l->port, 0);
	if (publish) {
		metrics_init(&snap);
		snap.latency.p95 = 125.5;
		snap.latency.count = 42;
		snap.throughput.per_second = 156.25;
		snap.throughput.per_minute = 9375;
		snap.errors.breaker_trips = 1;
		snap.errors.rate_limited = 2;
		snap.errors.timeouts = 3;
		snap.errors.failures = 4;
		snap.breaker.state = BREAKER_HALF_OPEN;
		snap.breaker.healthy = 0;
		serve_http_publish(l->s, &snap, 1700000000123);
	}
	atomic_init(&l->stop, false);
	ck_assert_int_eq(pthread_create(&l->thread, NULL, live_loop, l), 0);
}

static void live_stop(struct live *l)
{
	atomic_store(&l->stop, true);
	pthread_join(l->thread, NULL);
	serve_http_stop(l->s);
}

/* Send one HTTP/1.0 request and read the whole answer (the server closes). */
static size_t raw_request(unsigned port, const char *request, char *buf, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct timeval tv = { .tv_sec = 5 };
	size_t got = 0;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(write(fd, request, strlen(request)), (ssize_t)strlen(request));
	while (got + 1 < len && (n = read(fd, buf + got, len - got - 1)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fd);
	return got;
}

static const char *body_of(const char *answer)
{
	const char *p = strstr(answer, "\r\n\r\n");

	ck_assert_ptr_nonnull(p);
	return p + 4;
}

START_TEST(test_live_metrics)
{
	struct metrics_snapshot back;
	struct live l;
	char buf[8192], err[METRICS_ERR_LEN] = "";
	const char *body;

	live_start(&l, true);
	raw_request(l.port, "GET /metrics HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "HTTP/1.0 200 OK\r\n", 17) == 0 ||
		      strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0, "got %s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "Content-Type: application/json\r\n"));
	body = body_of(buf);
	ck_assert_int_eq(metrics_parse(body, strlen(body), &back, err, sizeof(err)), 0);
	ck_assert_int_eq(back.timestamp_ms, 1700000000123);
	ck_assert_int_eq(back.latency.count, 42);
	ck_assert(back.latency.p95 == 125.5);
	ck_assert(isnan(back.latency.p50));
	ck_assert_int_eq(back.errors.failures, 4);
	ck_assert_int_eq(back.breaker.state, BREAKER_HALF_OPEN);
	live_stop(&l);
}
END_TEST

START_TEST(test_live_head_and_errors)
{
	struct live l;
	char buf[8192];

	live_start(&l, true);
	raw_request(l.port, "HEAD /metrics HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " 200 OK\r\n"));
	ck_assert_str_eq(body_of(buf), "");
	raw_request(l.port, "HEAD /healthz HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " 200 OK\r\n"));
	ck_assert_str_eq(body_of(buf), "");
	raw_request(l.port, "GET /healthz HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_str_eq(body_of(buf), "ok\n");
	raw_request(l.port, "POST /metrics HTTP/1.0\r\nContent-Length: 0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " 405 "));
	ck_assert_ptr_nonnull(strstr(buf, "Allow: GET, HEAD\r\n"));
	raw_request(l.port, "GET /nope HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " 404 "));
	live_stop(&l);
}
END_TEST

START_TEST(test_live_before_first_snapshot)
{
	struct live l;
	char buf[4096];

	live_start(&l, false);
	raw_request(l.port, "GET /metrics HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " 503 "));
	ck_assert_ptr_nonnull(strstr(buf, "Retry-After: 1\r\n"));
	raw_request(l.port, "GET /healthz HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " 200 "));
	live_stop(&l);
}
END_TEST

START_TEST(test_busy_port)
{
	struct live l;
	char text[64], err[256] = "", want[128];

	live_start(&l, false);
	snprintf(text, sizeof(text), "127.0.0.1:%u", l.port);
	ck_assert_ptr_null(serve_http_start(text, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot listen on %s: %s", text, strerror(EADDRINUSE));
	ck_assert_str_eq(err, want);
	live_stop(&l);
}
END_TEST

START_TEST(test_ipv6_url)
{
	struct serve_http *s;
	char err[256] = "", url[128];
	unsigned port = 0;

	s = serve_http_start("[::1]:0", err, sizeof(err));
	if (s == NULL && strstr(err, "Cannot assign requested address") != NULL)
		return;	/* no IPv6 loopback in this sandbox */
	ck_assert_msg(s != NULL, "serve_http_start: %s", err);
	serve_http_url(s, url, sizeof(url));
	ck_assert_int_eq(sscanf(url, "http://[::1]:%u/metrics", &port), 1);
	ck_assert_uint_ne(port, 0);
	serve_http_stop(s);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *serve_suite(void)
{
	Suite *s = suite_create("serve");
	TCase *unit = tcase_create("unit");
	TCase *live = tcase_create("live");

	tcase_add_loop_test(unit, test_listen_good, 0, N_OF(good_listen));
	tcase_add_loop_test(unit, test_listen_bad, 0, N_OF(bad_listen));
	tcase_add_loop_test(unit, test_answer, 0, N_OF(answers));
	tcase_set_timeout(live, 20);
	tcase_add_test(live, test_live_metrics);
	tcase_add_test(live, test_live_head_and_errors);
	tcase_add_test(live, test_live_before_first_snapshot);
	tcase_add_test(live, test_busy_port);
	tcase_add_test(live, test_ipv6_url);
	suite_add_tcase(s, unit);
	suite_add_tcase(s, live);
	return s;
}

int main(void)
{
	return check_run_suite(serve_suite());
}
