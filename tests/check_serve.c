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
#include "formats/router.h"
#include "serve/http.h"
#include "serve/promtext.h"
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

static const struct serve_bodies test_bodies = {
	.body = { "{\"x\":1}\n", "x 1\n", "x 1\n# EOF\n" }, .len = { 8, 4, 11 },
};

START_TEST(test_answer)
{
	static const struct serve_bodies none = { .body = { NULL } };
	struct serve_reply r;

	serve_answer(answers[_i].method, answers[_i].path, NULL, NULL,
		     answers[_i].have_json ? &test_bodies : &none, &r);
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

/* What Prometheus' own scraper sends (2.42), and what curl and browsers send. */
#define PROM_ACCEPT "application/openmetrics-text;version=1.0.0,application/openmetrics-text;" \
	"version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

static const struct {
	const char *accept, *format;
	int rc;
	enum serve_format want;
} negotiations[] = {
	{ NULL, NULL, 0, SERVE_FORMAT_JSON },
	{ "*/*", NULL, 0, SERVE_FORMAT_JSON },
	{ "application/json", NULL, 0, SERVE_FORMAT_JSON },
	{ PROM_ACCEPT, NULL, 0, SERVE_FORMAT_OPENMETRICS },
	{ "text/plain;version=0.0.4;q=0.9,*/*;q=0.1", NULL, 0, SERVE_FORMAT_PROMETHEUS },
	{ "text/plain", NULL, 0, SERVE_FORMAT_PROMETHEUS },
	{ "application/json;q=0.5, application/openmetrics-text", NULL, 0, SERVE_FORMAT_OPENMETRICS },
	{ "application/openmetrics-text;q=0.2, application/json", NULL, 0, SERVE_FORMAT_JSON },
	{ "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", NULL, 0, SERVE_FORMAT_JSON },
	{ "application/*;q=0.3, text/*;q=0.7", NULL, 0, SERVE_FORMAT_PROMETHEUS },
	{ "APPLICATION/OPENMETRICS-TEXT; VERSION=1.0.0", NULL, 0, SERVE_FORMAT_OPENMETRICS },
	{ "application/openmetrics-text;q=0", NULL, 0, SERVE_FORMAT_JSON },
	{ NULL, "prometheus", 0, SERVE_FORMAT_PROMETHEUS },
	{ PROM_ACCEPT, "prometheus", 0, SERVE_FORMAT_OPENMETRICS },
	{ PROM_ACCEPT, "json", 0, SERVE_FORMAT_JSON },
	{ "application/json", "prometheus", 0, SERVE_FORMAT_PROMETHEUS },
	{ NULL, "xml", -1, SERVE_FORMAT_JSON },
};

START_TEST(test_negotiate)
{
	enum serve_format f = SERVE_FORMAT_JSON;

	ck_assert_int_eq(serve_negotiate(negotiations[_i].accept, negotiations[_i].format, &f),
			 negotiations[_i].rc);
	if (negotiations[_i].rc == 0)
		ck_assert_int_eq(f, negotiations[_i].want);
}
END_TEST

START_TEST(test_answer_formats)
{
	struct serve_reply r;

	serve_answer("GET", "/metrics", PROM_ACCEPT, NULL, &test_bodies, &r);
	ck_assert_uint_eq(r.status, 200);
	ck_assert_str_eq(r.content_type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
	ck_assert_uint_eq(r.body_len, 11);
	ck_assert(r.vary);
	serve_answer("GET", "/metrics", NULL, "prometheus", &test_bodies, &r);
	ck_assert_str_eq(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
	ck_assert(memcmp(r.body, "x 1\n", 4) == 0);
	serve_answer("GET", "/metrics", NULL, "yaml", &test_bodies, &r);
	ck_assert_uint_eq(r.status, 400);
	ck_assert(memcmp(r.body, "bad format: expected json or prometheus\n", r.body_len) == 0);
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

/* A scraper's Accept header gets Prometheus text; ?format= forces it; a bad one is 400. */
START_TEST(test_live_prometheus)
{
	struct live l;
	char buf[8192];

	live_start(&l, true);
	raw_request(l.port, "GET /metrics HTTP/1.0\r\nAccept: " PROM_ACCEPT "\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "Content-Type: application/openmetrics-text; version=1.0.0; "
					  "charset=utf-8\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "Vary: Accept\r\n"));
	ck_assert_ptr_nonnull(strstr(body_of(buf), "routertop_errors_total{upstream=\"default\","
						     "class=\"failure\"} 4\n"));
	ck_assert_ptr_nonnull(strstr(body_of(buf), "routertop_breaker_state{upstream=\"default\","
						     "state=\"half_open\"} 1\n"));
	raw_request(l.port, "GET /metrics?format=prometheus HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	ck_assert_ptr_null(strstr(buf, "# EOF"));
	raw_request(l.port, "GET /metrics?format=json HTTP/1.0\r\nAccept: " PROM_ACCEPT "\r\n\r\n",
		    buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "Content-Type: application/json\r\n"));
	raw_request(l.port, "GET /metrics?format=csv HTTP/1.0\r\n\r\n", buf, sizeof(buf));
	ck_assert_msg(strncmp(buf + 9, "400", 3) == 0, "got %s", buf);
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

/* A snapshot with two upstreams, one with its histogram known, some figures unknown. */
static void two_upstreams(struct metrics_snapshot *snap)
{
	struct metrics_row *r;

	metrics_init(snap);
	r = metrics_row_add(snap, "chat");
	r->snap.requests.total = 1010;
	r->snap.requests.failed = 10;
	r->snap.errors.timeouts = 3;
	r->snap.errors.failures = 5;
	r->snap.errors.rate_limited = 0;
	r->snap.errors.breaker_trips = 0;
	r->snap.errors.validation = 2;
	r->snap.breaker.state = BREAKER_CLOSED;
	r->snap.latency_hist.known = true;
	for (int k = 0; k <= METRICS_HIST_BOUNDS; k++)
		r->snap.latency_hist.count[k] = k < 3 ? 0 : k < 6 ? 500 : 1000;	/* 500 <= 10 ms, all <= 100 ms */
	r->snap.latency_hist.sum_ms = 30000;
	r = metrics_row_add(snap, "se\"arch");
	r->snap.requests.total = 340;
	r->snap.breaker.state = BREAKER_OPEN;
}

/* What serve answers a scraper reads back, through the routertop profile, as it was. */
START_TEST(test_promtext_round_trip)
{
	struct metrics_snapshot snap;
	struct expo *e = expo_new();
	struct router_scrape sc;
	struct profile p;
	char err[256];
	size_t len;
	char *text;
	const struct router_row *chat, *search;

	two_upstreams(&snap);
	text = serve_promtext(&snap, false, &len);
	ck_assert_uint_eq(strlen(text), len);
	ck_assert_int_eq(expo_parse(e, text, len, NULL, err, sizeof(err)), 0);
	ck_assert_msg(expo_error_count(e) == 0, "%s", expo_error_at(e, 0));
	ck_assert_ptr_null(strstr(text, "# EOF"));
	ck_assert_int_eq(router_detect(e, &p, err, sizeof(err)), 0);
	ck_assert_str_eq(p.name, "routertop");
	router_scrape_init(&sc);
	ck_assert_int_eq(router_read(&sc, &p, NULL, e, err, sizeof(err)), 0);
	ck_assert_uint_eq(sc.nrows, 2);
	chat = router_row_find(&sc, "chat");
	ck_assert(chat->requests == 1010 && chat->failed == 10);
	ck_assert(chat->errors[PROFILE_TIMEOUTS] == 3 && chat->errors[PROFILE_VALIDATION] == 2);
	ck_assert_int_eq(chat->breaker, BREAKER_CLOSED);
	ck_assert_uint_eq(chat->nbuckets, METRICS_HIST_BOUNDS + 1);
	ck_assert(chat->buckets[3].le == 10.0 && chat->buckets[3].count == 500);
	ck_assert(chat->lat_count == 1000 && chat->lat_sum_ms == 30000);
	search = router_row_find(&sc, "se\"arch");
	ck_assert_ptr_nonnull(search);
	ck_assert_int_eq(search->breaker, BREAKER_OPEN);
	ck_assert_uint_eq(search->nbuckets, 0);	/* unknown: left out, never 0 */
	ck_assert(isnan(search->failed) || search->failed == 0);
	ck_assert_ptr_null(strstr(text, "upstream=\"se\\\"arch\",class"));
	free(text);
	/* OpenMetrics: counters by family name, the unit, and # EOF at the end. */
	text = serve_promtext(&snap, true, &len);
	ck_assert_int_eq(expo_parse(e, text, len, NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(expo_error_count(e), 0);
	ck_assert(expo_is_openmetrics(e));
	ck_assert_ptr_nonnull(strstr(text, "# TYPE routertop_requests counter\n"));
	ck_assert_ptr_nonnull(strstr(text, "# UNIT routertop_request_duration_seconds seconds\n"));
	ck_assert_uint_eq(expo_family_at(e, expo_series_at(e, expo_series_named(e,
		expo_name_find(e, "routertop_requests_total"), &len)[0])->family)->type, EXPO_COUNTER);
	free(text);
	router_scrape_free(&sc);
	expo_free(e);
	metrics_free(&snap);
}
END_TEST

/* Without rows, the whole router is one upstream named "default". */
START_TEST(test_promtext_no_rows)
{
	struct metrics_snapshot snap;
	size_t len;
	char *text;

	metrics_init(&snap);
	snap.requests.total = 7;
	text = serve_promtext(&snap, false, &len);
	ck_assert_str_eq(text, "# HELP routertop_requests_total Requests routed to the upstream.\n"
			       "# TYPE routertop_requests_total counter\n"
			       "routertop_requests_total{upstream=\"default\"} 7\n");
	free(text);
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
	tcase_add_loop_test(unit, test_negotiate, 0, N_OF(negotiations));
	tcase_add_test(unit, test_answer_formats);
	tcase_add_test(unit, test_promtext_round_trip);
	tcase_add_test(unit, test_promtext_no_rows);
	tcase_set_timeout(live, 20);
	tcase_add_test(live, test_live_metrics);
	tcase_add_test(live, test_live_head_and_errors);
	tcase_add_test(live, test_live_prometheus);
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
