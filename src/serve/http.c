/*
 * The HTTP side of `routertop serve` (see serve.c for the loop): parse the
 * listen address, decide each answer, and run libmicrohttpd in external
 * mode with epoll, so all its sockets sit behind one descriptor the loop can
 * wait on. The newest snapshot is rendered once, when it arrives, to JSON
 * and to the Prometheus texts (serve/promtext.h); each request copies the
 * one its Accept header or ?format= asks for.
 *
 * Slow clients (slowloris): libmicrohttpd's connection timeout only counts
 * silence, so a client sending a byte a second would hold a slot for ever.
 * We bound the time a whole request may take to arrive ourselves. Each
 * connection has a deadline: SERVE_REQUEST_MAX_MS after it opens for its
 * first request to arrive in full, then SERVE_KEEPALIVE_MAX_MS after each
 * answer for that answer to go out and the next request to arrive. A
 * connection past its deadline is shut down (shutdown(2) on its socket;
 * libmicrohttpd then sees the end and closes it). One address may hold at
 * most SERVE_PER_IP_LIMIT of the SERVE_CONN_LIMIT slots, so one slow client
 * with many connections leaves room for everybody else.
 */
#include "serve/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include "dl/mhd.h"
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "serve/promtext.h"
#include "util.h"

#define SERVE_CONN_LIMIT 64
#define SERVE_PER_IP_LIMIT 16
#define SERVE_CONN_TIMEOUT_S 10U
#define SERVE_REQUEST_MAX_MS 5000
#define SERVE_KEEPALIVE_MAX_MS 10000
#define SERVE_CONN_SPARE 8
#define SERVE_BACKLOG 64
#define SERVE_ADDR_LEN 80

/* One open connection and when it must have its request (see the top of the file). */
struct serve_conn {
	bool used, cut;
	int fd;
	int64_t since_ms;	/* opened, or last answered */
	int64_t deadline_ms;
};

struct serve_http {
	struct MHD_Daemon *mhd;
	int mhd_fd;			/* libmicrohttpd's epoll descriptor */
	char url[SERVE_ADDR_LEN + 32];
	char *body[SERVE_FORMATS];	/* newest snapshot, NULL before the first */
	size_t len[SERVE_FORMATS];
	int64_t now_ms;			/* monotonic, as of the last serve_http_run */
	struct serve_conn conns[SERVE_CONN_LIMIT + 8];	/* a little spare: closes may trail opens */
};

static const char serve_not_found[] = "not found\n";
static const char serve_not_allowed[] = "method not allowed\n";
static const char serve_no_snapshot[] = "no snapshot yet\n";
static const char serve_ok[] = "ok\n";
static const char serve_bad_format[] = "bad format: expected json or prometheus\n";

static const char *const serve_types[SERVE_FORMATS] = {
	[SERVE_FORMAT_JSON] = "application/json",
	[SERVE_FORMAT_PROMETHEUS] = "text/plain; version=0.0.4; charset=utf-8",
	[SERVE_FORMAT_OPENMETRICS] = "application/openmetrics-text; version=1.0.0; charset=utf-8",
};

/* Split "HOST:PORT" or "[HOST]:PORT" into its parts; -1 if the shape is wrong. */
static int serve_split_listen(const char *text, char *host, size_t hostlen, const char **port)
{
	const char *colon, *end;

	if (text[0] == '[') {
		end = strchr(text, ']');
		if (end == NULL || end[1] != ':')
			return -1;
		text++;
		colon = end + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL || memchr(text, ':', (size_t)(colon - text)) != NULL)
			return -1;	/* an IPv6 address needs brackets */
		end = colon;
	}
	if (end == text || (size_t)(end - text) >= hostlen)
		return -1;
	memcpy(host, text, (size_t)(end - text));
	host[end - text] = '\0';
	*port = colon + 1;
	return 0;
}

static bool serve_port_ok(const char *port)
{
	size_t n = strlen(port);

	if (n == 0 || n > 5 || strspn(port, "0123456789") != n)
		return false;
	return atol(port) <= 65535;
}

int serve_parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *addrlen,
		       char *err, size_t errlen)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;
	char host[SERVE_ADDR_LEN];
	const char *port;

	if (serve_split_listen(text, host, sizeof(host), &port) != 0 || !serve_port_ok(port)) {
		str_printf(err, errlen, "bad listen address '%s': expected ADDR:PORT, "
			   "e.g. 127.0.0.1:8080 or [::1]:8080", text);
		return -1;
	}
	if (strcmp(host, "localhost") == 0)
		str_printf(host, sizeof(host), "127.0.0.1");
	memset(addr, 0, sizeof(*addr));
	/* inet_pton, not getaddrinfo: no name lookups, and no "1.2.3" shorthand. */
	if (text[0] != '[' && inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)atoi(port));
		*addrlen = sizeof(*sin);
	} else if (text[0] == '[' && inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)atoi(port));
		*addrlen = sizeof(*sin6);
	} else {
		str_printf(err, errlen, "bad listen address '%s': '%s' is not an IP address",
			   text, host);
		return -1;
	}
	return 0;
}

/* How specifically a media range (type/subtype, lower case) names type: 3, 2 (x/ *), 1 (* / *), 0. */
static int serve_range_match(const char *range, size_t n, const char *type)
{
	const char *slash = strchr(type, '/');

	if (n == strlen(type) && strncasecmp(range, type, n) == 0)
		return 3;
	if (n == (size_t)(slash - type) + 2 && strncasecmp(range, type, (size_t)(slash - type) + 1) == 0 &&
	    range[n - 1] == '*')
		return 2;
	return n == 3 && strncmp(range, "*/*", 3) == 0 ? 1 : 0;
}

/* The q= of one media range's parameters (1 when absent, 0 when unreadable). */
static double serve_range_q(const char *params, const char *end)
{
	for (const char *p = params; p < end; p++) {
		char *stop;
		double q;

		if (*p != ';')
			continue;
		while (p + 1 < end && (p[1] == ' ' || p[1] == '\t'))
			p++;
		if (end - p > 2 && (p[1] == 'q' || p[1] == 'Q') && p[2] == '=') {
			q = strtod(p + 3, &stop);
			return stop > p + 3 && q >= 0 && q <= 1 ? q : 0;
		}
	}
	return 1;
}

/* The quality the Accept header gives each format (its most specific range counts). */
static void serve_accept_q(const char *accept, double q[SERVE_FORMATS])
{
	static const char *const types[SERVE_FORMATS] = {
		"application/json", "text/plain", "application/openmetrics-text",
	};
	int spec[SERVE_FORMATS] = { 0 };
	const char *p = accept;

	for (int f = 0; f < SERVE_FORMATS; f++)
		q[f] = 0;
	while (*p != '\0') {
		const char *end = strchr(p, ','), *semi;
		size_t n;

		if (end == NULL)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		semi = memchr(p, ';', (size_t)(end - p));
		n = (size_t)((semi != NULL ? semi : end) - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		for (int f = 0; f < SERVE_FORMATS; f++) {
			int m = serve_range_match(p, n, types[f]);
			double rq = serve_range_q(p + n, end);

			if (m > spec[f] || (m == spec[f] && m > 0 && rq > q[f])) {
				spec[f] = m;
				q[f] = rq;
			}
		}
		p = *end == ',' ? end + 1 : end;
	}
}

int serve_negotiate(const char *accept, const char *format, enum serve_format *out)
{
	double q[SERVE_FORMATS];
	int best = SERVE_FORMAT_JSON;

	serve_accept_q(accept != NULL ? accept : "", q);
	if (format != NULL) {
		if (strcmp(format, "json") == 0)
			*out = SERVE_FORMAT_JSON;
		else if (strcmp(format, "prometheus") == 0)
			*out = q[SERVE_FORMAT_OPENMETRICS] > q[SERVE_FORMAT_PROMETHEUS]
				       ? SERVE_FORMAT_OPENMETRICS : SERVE_FORMAT_PROMETHEUS;
		else
			return -1;
		return 0;
	}
	/* Ties keep the earlier: JSON, then the 0.0.4 text, then OpenMetrics. */
	for (int f = 1; f < SERVE_FORMATS; f++) {
		if (q[f] > q[best])
			best = f;
	}
	*out = (enum serve_format)best;
	return 0;
}

void serve_answer(const char *method, const char *path, const char *accept, const char *format,
		  const struct serve_bodies *b, struct serve_reply *r)
{
	bool metrics = strcmp(path, "/metrics") == 0;
	enum serve_format f = SERVE_FORMAT_JSON;

	*r = (struct serve_reply){ .status = 404, .content_type = "text/plain",
				   .body = serve_not_found, .body_len = sizeof(serve_not_found) - 1 };
	if (!metrics && strcmp(path, "/healthz") != 0)
		return;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		r->status = 405;
		r->body = serve_not_allowed;
		r->body_len = sizeof(serve_not_allowed) - 1;
		r->allow = "GET, HEAD";
	} else if (!metrics) {
		r->status = 200;
		r->body = serve_ok;
		r->body_len = sizeof(serve_ok) - 1;
	} else if (serve_negotiate(accept, format, &f) != 0) {
		r->status = 400;
		r->body = serve_bad_format;
		r->body_len = sizeof(serve_bad_format) - 1;
	} else if (b->body[f] == NULL) {
		r->status = 503;
		r->body = serve_no_snapshot;
		r->body_len = sizeof(serve_no_snapshot) - 1;
		r->vary = true;
	} else {
		r->status = 200;
		r->content_type = serve_types[f];
		r->body = b->body[f];
		r->body_len = b->len[f];
		r->vary = true;
	}
}

/* Connections opening and closing: each gets a slot with its deadline. */
static void serve_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
				enum MHD_ConnectionNotificationCode toe)
{
	struct serve_http *s = cls;
	const union MHD_ConnectionInfo *info;
	struct serve_conn *slot = NULL;

	if (toe != MHD_CONNECTION_NOTIFY_STARTED) {
		if (*socket_context != NULL)
			((struct serve_conn *)*socket_context)->used = false;
		return;
	}
	*socket_context = NULL;
	info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]) && slot == NULL; i++)
		if (!s->conns[i].used)
			slot = &s->conns[i];
	/* Without a slot the connection keeps libmicrohttpd's own timeout only. */
	if (info == NULL || slot == NULL)
		return;
	*slot = (struct serve_conn){ .used = true, .fd = info->connect_fd, .since_ms = s->now_ms,
				     .deadline_ms = s->now_ms + SERVE_REQUEST_MAX_MS };
	*socket_context = slot;
}

/* A request arrived in full: the connection has until the keep-alive deadline for the next. */
static void serve_request_arrived(struct serve_http *s, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	struct serve_conn *k = info != NULL ? info->socket_context : NULL;

	if (k == NULL)
		return;
	k->since_ms = s->now_ms;
	k->deadline_ms = s->now_ms + SERVE_KEEPALIVE_MAX_MS;
}

static enum MHD_Result serve_on_request(void *cls, struct MHD_Connection *c, const char *url,
					const char *method, const char *version,
					const char *upload, size_t *upload_size, void **state)
{
	struct serve_http *s = cls;
	struct serve_reply r;
	struct MHD_Response *resp;
	enum MHD_Result rc;

	struct serve_bodies b;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	serve_request_arrived(s, c);
	for (int f = 0; f < SERVE_FORMATS; f++) {
		b.body[f] = s->body[f];
		b.len[f] = s->len[f];
	}
	serve_answer(method, url, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT),
		     MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format"), &b, &r);
	/* libmicrohttpd leaves the body out of an answer to HEAD by itself. */
	resp = MHD_create_response_from_buffer(r.body_len, (void *)r.body, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r.allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r.allow);
	if (r.vary)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept");
	if (r.status == 503)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "1");
	rc = MHD_queue_response(c, r.status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* Open, bind and listen; on error say which address and why. */
static int serve_listen_socket(const char *text, const struct sockaddr_storage *addr,
			       socklen_t addrlen, char *err, size_t errlen)
{
	int one = 1, fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0) {
		str_printf(err, errlen, "cannot listen on %s: %s", text, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)addr, addrlen) != 0 ||
	    listen(fd, SERVE_BACKLOG) != 0) {
		str_printf(err, errlen, "cannot listen on %s: %s", text, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The URL of what fd is bound to, with the port the kernel picked for port 0. */
static void serve_bound_url(int fd, char *buf, size_t len)
{
	struct sockaddr_storage addr;
	socklen_t addrlen = sizeof(addr);
	char host[SERVE_ADDR_LEN] = "?", port[16] = "?";

	if (getsockname(fd, (struct sockaddr *)&addr, &addrlen) == 0)
		getnameinfo((struct sockaddr *)&addr, addrlen, host, sizeof(host), port,
			    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV);
	if (addr.ss_family == AF_INET6)
		str_printf(buf, len, "http://[%s]:%s/metrics", host, port);
	else
		str_printf(buf, len, "http://%s:%s/metrics", host, port);
}

struct serve_http *serve_http_start(const char *text, char *err, size_t errlen)
{
	struct sockaddr_storage addr;
	socklen_t addrlen;
	struct serve_http *s;
	const union MHD_DaemonInfo *info;
	int fd;

	if (serve_parse_listen(text, &addr, &addrlen, err, errlen) != 0)
		return NULL;
	fd = serve_listen_socket(text, &addr, addrlen, err, errlen);
	if (fd < 0)
		return NULL;
	s = xcalloc(1, sizeof(*s));
	s->now_ms = clock_monotonic_ms();
	serve_bound_url(fd, s->url, sizeof(s->url));
	s->mhd = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, serve_on_request, s,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONN_LIMIT,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_PER_IP_LIMIT,
				  MHD_OPTION_CONNECTION_TIMEOUT, SERVE_CONN_TIMEOUT_S,
				  MHD_OPTION_NOTIFY_CONNECTION, serve_on_connection, s,
				  MHD_OPTION_END);
	info = s->mhd != NULL ? MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
	if (info == NULL) {
		str_printf(err, errlen, "cannot start the HTTP server on %s", text);
		if (s->mhd != NULL)
			MHD_stop_daemon(s->mhd);
		else
			close(fd);
		free(s);
		return NULL;
	}
	s->mhd_fd = info->epoll_fd;
	return s;
}

void serve_http_stop(struct serve_http *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->mhd);	/* closes the listening socket too */
	for (int f = 0; f < SERVE_FORMATS; f++)
		free(s->body[f]);
	free(s);
}

void serve_http_url(const struct serve_http *s, char *buf, size_t len)
{
	str_printf(buf, len, "%s", s->url);
}

int serve_http_fd(const struct serve_http *s)
{
	return s->mhd_fd;
}

int64_t serve_http_timeout_ms(struct serve_http *s, int64_t now_ms)
{
	MHD_UNSIGNED_LONG_LONG t;
	int64_t wait = -1;

	if (MHD_get_timeout(s->mhd, &t) == MHD_YES)
		wait = t > (MHD_UNSIGNED_LONG_LONG)INT64_MAX ? INT64_MAX : (int64_t)t;
	for (size_t i = 0; i < sizeof(s->conns) / sizeof(s->conns[0]); i++) {
		const struct serve_conn *k = &s->conns[i];
		int64_t left;

		if (!k->used || k->cut)
			continue;
		left = k->deadline_ms > now_ms ? k->deadline_ms - now_ms : 0;
		if (wait < 0 || left < wait)
			wait = left;
	}
	return wait;
}

static void serve_cut(struct serve_conn *k)
{
	shutdown(k->fd, SHUT_RDWR);
	k->cut = true;
}

/* Cut the connections past their deadline, then the longest waiting while too few slots are free. */
static void serve_cut_slow(struct serve_http *s, int64_t now_ms)
{
	size_t n = sizeof(s->conns) / sizeof(s->conns[0]), open = 0;

	for (size_t i = 0; i < n; i++) {
		struct serve_conn *k = &s->conns[i];

		if (k->used && !k->cut && now_ms >= k->deadline_ms)
			serve_cut(k);
		open += k->used && !k->cut;
	}
	while (open > SERVE_CONN_LIMIT - SERVE_CONN_SPARE) {
		struct serve_conn *oldest = NULL;

		for (size_t i = 0; i < n; i++) {
			struct serve_conn *k = &s->conns[i];

			if (k->used && !k->cut && (oldest == NULL || k->since_ms < oldest->since_ms))
				oldest = k;
		}
		serve_cut(oldest);
		open--;
	}
}

void serve_http_run(struct serve_http *s, int64_t now_ms)
{
	s->now_ms = now_ms;
	serve_cut_slow(s, now_ms);
	MHD_run(s->mhd);
	/* What was just accepted may leave too few slots free; libmicrohttpd sees the cuts next run. */
	serve_cut_slow(s, now_ms);
}

void serve_http_publish(struct serve_http *s, const struct metrics_snapshot *snap,
			int64_t wall_ms)
{
	struct metrics_snapshot stamped = *snap;
	char *json;
	size_t len;

	stamped.timestamp_ms = wall_ms;
	json = metrics_to_json(&stamped);
	if (json == NULL)
		return;
	len = strlen(json);
	for (int f = 0; f < SERVE_FORMATS; f++)
		free(s->body[f]);
	/* One line per answer, as curl users expect; JSON allows the newline. */
	s->body[SERVE_FORMAT_JSON] = xmalloc(len + 2);
	memcpy(s->body[SERVE_FORMAT_JSON], json, len);
	s->body[SERVE_FORMAT_JSON][len] = '\n';
	s->body[SERVE_FORMAT_JSON][len + 1] = '\0';
	s->len[SERVE_FORMAT_JSON] = len + 1;
	free(json);
	s->body[SERVE_FORMAT_PROMETHEUS] = serve_promtext(snap, false, &s->len[SERVE_FORMAT_PROMETHEUS]);
	s->body[SERVE_FORMAT_OPENMETRICS] = serve_promtext(snap, true, &s->len[SERVE_FORMAT_OPENMETRICS]);
}
