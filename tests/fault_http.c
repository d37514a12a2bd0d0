/* The fault-answering test server; see fault_http.h. */
#include "fault_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define FAULT_TEXT_LEN 128
#define FAULT_REQUEST_MAX 16384
#define FAULT_JSON_LEN 4096

struct fault_server {
	struct MHD_Daemon *mhd;		/* NULL in hostile mode */
	pthread_t raw_thread;		/* hostile mode: the accept loop */
	int raw_fd;			/* hostile mode: the listening socket */
	unsigned port;
	atomic_bool stopping;
	pthread_mutex_t lock;	/* guards everything below */
	enum fault_kind kind;
	enum fault_kind seq[FAULT_SEQ_MAX];
	int seq_len, seq_at;
	int slow_ms;
	char need_name[FAULT_TEXT_LEN], need_value[FAULT_TEXT_LEN];
	unsigned requests;
	char agent[FAULT_TEXT_LEN], encoding[FAULT_TEXT_LEN];
	FILE *log;
};

static const char *const fault_names[FAULT_KINDS] = {
	[FAULT_GOOD] = "good", [FAULT_SLOW] = "slow", [FAULT_500] = "500",
	[FAULT_404] = "404", [FAULT_GARBAGE] = "garbage", [FAULT_TRUNCATED] = "truncated",
	[FAULT_HUGE] = "huge", [FAULT_REDIRECT_LOOP] = "redirect", [FAULT_REFUSED] = "refused",
	[FAULT_HOSTILE_JSON] = "hostile-json", [FAULT_HOSTILE_STATE] = "hostile-state",
	[FAULT_HOSTILE_REASON] = "hostile-reason", [FAULT_HOSTILE_HEADER] = "hostile-header",
	[FAULT_HOSTILE_REDIRECT] = "hostile-redirect", [FAULT_HOSTILE_BIG_HEADER] = "hostile-big-header",
	[FAULT_HOSTILE_PROM] = "hostile-prom",
};

const char *fault_kind_name(enum fault_kind kind)
{
	return kind < FAULT_KINDS ? fault_names[kind] : "?";
}

int fault_kind_parse(const char *name, enum fault_kind *out)
{
	for (int k = 0; k < FAULT_KINDS; k++) {
		if (strcmp(name, fault_names[k]) == 0) {
			*out = (enum fault_kind)k;
			return 0;
		}
	}
	return -1;
}

/*
 * A snapshot whose counters grow with n, so each answer differs; state and
 * recommendation as given (JSON string content); with a row name, one row.
 */
static int fault_json(char *buf, size_t len, unsigned n, const char *state, const char *recommendation,
		      const char *row)
{
	static const char objects[] =
		"\"latency\":{\"p50\":45.2,\"p90\":89.3,\"p95\":125.7,\"p99\":234.1,"
		"\"max\":456.2,\"min\":3.1,\"avg\":67.8,\"count\":%u},"
		"\"throughput\":{\"requestsPerSecond\":156.3,\"requestsPerMinute\":9378.0},"
		"\"errorRates\":{\"circuitBreakerTrips\":0,\"rateLimitViolations\":2,"
		"\"timeouts\":1,\"failures\":%u},"
		"\"circuitBreakerStatus\":{\"state\":\"%s\",\"isHealthy\":true,"
		"\"failureRate\":0.002,\"avgResponseTime\":67.8,"
		"\"recommendation\":\"%s\"}";
	int at = snprintf(buf, len, "{");

	at += snprintf(buf + at, len - (size_t)at, objects, 1000 + n, n, state, recommendation);
	if (row != NULL) {
		at += snprintf(buf + at, len - (size_t)at, ",\"upstreams\":[{\"name\":\"%s\",", row);
		at += snprintf(buf + at, len - (size_t)at, objects, 1000 + n, n, "closed", "");
		at += snprintf(buf + at, len - (size_t)at, "}]");
	}
	return at + snprintf(buf + at, len - (size_t)at, "}\n");
}

/* A valid snapshot whose counters grow with n. */
static int fault_good_json(char *buf, size_t len, unsigned n)
{
	return fault_json(buf, len, n, "closed", "Service healthy", NULL);
}

static enum MHD_Result fault_queue(struct MHD_Connection *c, unsigned status,
				   const char *body, size_t len, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static ssize_t fault_huge_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	if (pos >= FAULT_HUGE_BYTES)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (max > FAULT_HUGE_BYTES - pos)
		max = FAULT_HUGE_BYTES - pos;
	memset(buf, ' ', max);
	return (ssize_t)max;
}

static enum MHD_Result fault_redirect(struct MHD_Connection *c)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, "/loop");
	rc = MHD_queue_response(c, MHD_HTTP_FOUND, r);
	MHD_destroy_response(r);
	return rc;
}

/* Sleep in short steps so stopping the server never waits long. */
static void fault_sleep(struct fault_server *fs, int ms)
{
	struct timespec step = { 0, 10 * 1000000L };

	for (int t = 0; t < ms && !atomic_load(&fs->stopping); t += 10)
		nanosleep(&step, NULL);
}

/* The next answer in the sequence, or the standing one; call with the lock held. */
static enum fault_kind fault_take_locked(struct fault_server *fs)
{
	if (fs->seq_at < fs->seq_len)
		return fs->seq[fs->seq_at++];
	return fs->kind;
}

/* Take the next answer for a /metrics request and note who asked. */
static enum fault_kind fault_next(struct fault_server *fs, struct MHD_Connection *c,
				  bool *authorised, unsigned *n, int *slow_ms)
{
	const char *agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
	const char *encoding = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	enum fault_kind kind;

	pthread_mutex_lock(&fs->lock);
	*authorised = true;
	if (fs->need_name[0] != '\0') {
		const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, fs->need_name);

		*authorised = v != NULL && strcmp(v, fs->need_value) == 0;
	}
	kind = fault_take_locked(fs);
	*n = ++fs->requests;
	*slow_ms = fs->slow_ms;
	snprintf(fs->agent, sizeof(fs->agent), "%s", agent != NULL ? agent : "");
	snprintf(fs->encoding, sizeof(fs->encoding), "%s", encoding != NULL ? encoding : "");
	if (fs->log != NULL) {
		fprintf(fs->log, "served %s\n", *authorised ? fault_kind_name(kind) : "401");
		fflush(fs->log);
	}
	pthread_mutex_unlock(&fs->lock);
	return kind;
}

static enum MHD_Result fault_answer(struct fault_server *fs, struct MHD_Connection *c,
				    enum fault_kind kind, unsigned n, int slow_ms)
{
	char json[1024];
	int len = fault_good_json(json, sizeof(json), n);
	struct MHD_Response *r;
	enum MHD_Result rc;

	switch (kind) {
	case FAULT_SLOW:
		fault_sleep(fs, slow_ms);
		break;
	case FAULT_500:
		return fault_queue(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "oops\n", 5, "text/plain");
	case FAULT_404:
		return fault_queue(c, MHD_HTTP_NOT_FOUND, "nothing here\n", 13, "text/plain");
	case FAULT_GARBAGE:
		return fault_queue(c, MHD_HTTP_OK, "<html>this is not json</html>\n", 30,
				   "text/html");
	case FAULT_TRUNCATED:
		return fault_queue(c, MHD_HTTP_OK, json, (size_t)len / 2, "application/json");
	case FAULT_HUGE:
		r = MHD_create_response_from_callback(FAULT_HUGE_BYTES, 64 * 1024,
						      fault_huge_reader, NULL, NULL);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
		rc = MHD_queue_response(c, MHD_HTTP_OK, r);
		MHD_destroy_response(r);
		return rc;
	case FAULT_REDIRECT_LOOP:
		return fault_redirect(c);
	case FAULT_HOSTILE_JSON:
	case FAULT_HOSTILE_STATE:
	case FAULT_HOSTILE_REASON:
	case FAULT_HOSTILE_HEADER:
	case FAULT_HOSTILE_REDIRECT:
	case FAULT_HOSTILE_BIG_HEADER:
	case FAULT_HOSTILE_PROM:
		return fault_queue(c, MHD_HTTP_NOT_IMPLEMENTED, "hostile answers need hostile mode\n",
				   34, "text/plain");
	default:
		break;
	}
	return fault_queue(c, MHD_HTTP_OK, json, (size_t)len, "application/json");
}

static enum MHD_Result fault_on_request(void *cls, struct MHD_Connection *c, const char *url,
					const char *method, const char *version,
					const char *upload, size_t *upload_size, void **state)
{
	struct fault_server *fs = cls;
	enum fault_kind kind;
	bool authorised;
	unsigned n;
	int slow_ms;

	(void)method;
	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	if (strcmp(url, "/loop") == 0)
		return fault_redirect(c);
	kind = fault_next(fs, c, &authorised, &n, &slow_ms);
	if (!authorised)
		return fault_queue(c, MHD_HTTP_UNAUTHORIZED, "who are you?\n", 13, "text/plain");
	return fault_answer(fs, c, kind, n, slow_ms);
}

static struct MHD_Daemon *fault_daemon(struct fault_server *fs, int listen_fd)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (listen_fd >= 0)
		return MHD_start_daemon(flags, 0, NULL, NULL, fault_on_request, fs,
					MHD_OPTION_LISTEN_SOCKET, listen_fd,
					MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_END);
	return MHD_start_daemon(flags, 0, NULL, NULL, fault_on_request, fs,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
				MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_END);
}

struct fault_server *fault_server_start(int listen_fd)
{
	struct fault_server *fs = calloc(1, sizeof(*fs));
	const union MHD_DaemonInfo *info;

	if (fs == NULL)
		return NULL;
	pthread_mutex_init(&fs->lock, NULL);
	atomic_init(&fs->stopping, false);
	fs->slow_ms = 3000;
	fs->raw_fd = -1;
	fs->mhd = fault_daemon(fs, listen_fd);
	if (fs->mhd == NULL) {
		pthread_mutex_destroy(&fs->lock);
		free(fs);
		return NULL;
	}
	info = MHD_get_daemon_info(fs->mhd, MHD_DAEMON_INFO_BIND_PORT);
	fs->port = info != NULL ? info->port : 0;
	return fs;
}

void fault_server_stop(struct fault_server *fs)
{
	if (fs == NULL)
		return;
	atomic_store(&fs->stopping, true);
	if (fs->mhd != NULL) {
		MHD_stop_daemon(fs->mhd);
	} else {
		pthread_join(fs->raw_thread, NULL);
		close(fs->raw_fd);
	}
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}

unsigned fault_server_port(const struct fault_server *fs)
{
	return fs->port;
}

void fault_server_set(struct fault_server *fs, enum fault_kind kind)
{
	pthread_mutex_lock(&fs->lock);
	fs->kind = kind;
	fs->seq_len = fs->seq_at = 0;
	pthread_mutex_unlock(&fs->lock);
}

void fault_server_set_sequence(struct fault_server *fs, const enum fault_kind *seq, int n)
{
	pthread_mutex_lock(&fs->lock);
	fs->seq_len = n < FAULT_SEQ_MAX ? n : FAULT_SEQ_MAX;
	memcpy(fs->seq, seq, (size_t)fs->seq_len * sizeof(*seq));
	fs->seq_at = 0;
	fs->kind = FAULT_GOOD;
	pthread_mutex_unlock(&fs->lock);
}

void fault_server_set_slow_ms(struct fault_server *fs, int slow_ms)
{
	pthread_mutex_lock(&fs->lock);
	fs->slow_ms = slow_ms;
	pthread_mutex_unlock(&fs->lock);
}

void fault_server_require_header(struct fault_server *fs, const char *name, const char *value)
{
	pthread_mutex_lock(&fs->lock);
	snprintf(fs->need_name, sizeof(fs->need_name), "%s", name);
	snprintf(fs->need_value, sizeof(fs->need_value), "%s", value);
	pthread_mutex_unlock(&fs->lock);
}

void fault_server_set_log(struct fault_server *fs, FILE *log)
{
	pthread_mutex_lock(&fs->lock);
	fs->log = log;
	pthread_mutex_unlock(&fs->lock);
}

unsigned fault_server_requests(struct fault_server *fs)
{
	unsigned n;

	pthread_mutex_lock(&fs->lock);
	n = fs->requests;
	pthread_mutex_unlock(&fs->lock);
	return n;
}

void fault_server_last_agent(struct fault_server *fs, char *buf, size_t len)
{
	pthread_mutex_lock(&fs->lock);
	snprintf(buf, len, "%s", fs->agent);
	pthread_mutex_unlock(&fs->lock);
}

void fault_server_last_encoding(struct fault_server *fs, char *buf, size_t len)
{
	pthread_mutex_lock(&fs->lock);
	snprintf(buf, len, "%s", fs->encoding);
	pthread_mutex_unlock(&fs->lock);
}

/* --- Hostile mode: raw answers from one thread (see fault_http.h). --- */

/* Write all of buf; a peer that went away is not our problem. */
static void raw_send(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* JSON string content for raw bytes: controls as \u00XX, the rest (bad UTF-8 too) as is. */
static void raw_json_escape(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)in; *p != '\0' && o + 7 < len; p++) {
		if (*p < 0x20)
			o += (size_t)snprintf(out + o, len - o, "\\u%04x", *p);
		else if (*p == '"' || *p == '\\')
			o += (size_t)snprintf(out + o, len - o, "\\%c", *p);
		else
			out[o++] = (char)*p;
	}
	out[o] = '\0';
}

/* A whole response: status line (with its reason), extra header lines, body. */
static void raw_answer(int fd, const char *status, const char *headers, const char *body)
{
	char head[1024];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %s\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n",
			 status, headers, strlen(body));

	raw_send(fd, head, (size_t)n);
	raw_send(fd, body, strlen(body));
}

static void raw_big_header(int fd, const char *json)
{
	static const char start[] = "HTTP/1.1 200 OK\r\nX-Big: ";
	char chunk[4096];
	char tail[256];
	int n;

	memset(chunk, 'a', sizeof(chunk));
	raw_send(fd, start, sizeof(start) - 1);
	for (size_t sent = 0; sent < FAULT_BIG_HEADER_BYTES; sent += sizeof(chunk))
		raw_send(fd, chunk, sizeof(chunk));
	n = snprintf(tail, sizeof(tail), "\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n", strlen(json));
	raw_send(fd, tail, (size_t)n);
	raw_send(fd, json, strlen(json));
}

static void raw_serve_kind(int fd, enum fault_kind kind, unsigned n)
{
	char esc[512], json[FAULT_JSON_LEN];

	raw_json_escape(FAULT_HOSTILE_TEXT, esc, sizeof(esc));
	fault_good_json(json, sizeof(json), n);
	switch (kind) {
	case FAULT_HOSTILE_JSON:
		fault_json(json, sizeof(json), n, "closed", esc, esc);
		break;
	case FAULT_HOSTILE_STATE:
		fault_json(json, sizeof(json), n, esc, "Service healthy", NULL);
		break;
	case FAULT_HOSTILE_REASON:
		raw_answer(fd, "503 " FAULT_HOSTILE_TEXT, "Content-Type: text/plain\r\n", "oops\n");
		return;
	case FAULT_HOSTILE_HEADER:
		raw_answer(fd, "200 OK", "Content-Type: application/json; " FAULT_HOSTILE_TEXT "\r\n"
			   "X-Hostile: " FAULT_HOSTILE_TEXT "\r\n", json);
		return;
	case FAULT_HOSTILE_REDIRECT:
		raw_answer(fd, "302 Found", "Location: /hop" FAULT_HOSTILE_HIGH "\r\n", "");
		return;
	case FAULT_HOSTILE_BIG_HEADER:
		raw_big_header(fd, json);
		return;
	case FAULT_HOSTILE_PROM:
		/* The label value holds no quote, backslash or newline, so it needs no escaping. */
		snprintf(json, sizeof(json),
			 "# TYPE envoy_cluster_upstream_rq_total counter\n"
			 "envoy_cluster_upstream_rq_total{envoy_cluster_name=\"%s\"} %u\n"
			 "envoy_cluster_upstream_rq_total{envoy_cluster_name=\"plain\"} %u\n",
			 FAULT_HOSTILE_TEXT, 100 + n, 50 + n);
		raw_answer(fd, "200 OK", "Content-Type: text/plain; version=0.0.4\r\n", json);
		return;
	case FAULT_GOOD:
		break;
	default:
		raw_answer(fd, "501 Not Implemented", "Content-Type: text/plain\r\n",
			   "hostile mode sends only good and hostile answers\n");
		return;
	}
	raw_answer(fd, "200 OK", "Content-Type: application/json\r\n", json);
}

/* Read the request head (bounded in size and time) and answer it. */
static void raw_serve(struct fault_server *fs, int fd)
{
	struct timeval tv = { .tv_sec = 2 };
	char req[FAULT_REQUEST_MAX + 1];
	size_t len = 0;
	enum fault_kind kind;
	unsigned n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len < FAULT_REQUEST_MAX) {
		ssize_t r = recv(fd, req + len, FAULT_REQUEST_MAX - len, 0);

		if (r <= 0)
			return;
		len += (size_t)r;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	/* Only /metrics takes from the sequence; where a redirect led answers 404, hostile too. */
	if (strncmp(req, "GET /metrics ", 13) != 0 && strncmp(req, "HEAD /metrics ", 14) != 0) {
		raw_answer(fd, "404 " FAULT_HOSTILE_TEXT, "Content-Type: text/plain\r\n", "gone\n");
		return;
	}
	pthread_mutex_lock(&fs->lock);
	kind = fault_take_locked(fs);
	n = ++fs->requests;
	if (fs->log != NULL) {
		fprintf(fs->log, "served %s\n", fault_kind_name(kind));
		fflush(fs->log);
	}
	pthread_mutex_unlock(&fs->lock);
	raw_serve_kind(fd, kind, n);
}

static void *raw_loop(void *arg)
{
	struct fault_server *fs = arg;

	while (!atomic_load(&fs->stopping)) {
		struct pollfd p = { .fd = fs->raw_fd, .events = POLLIN };
		int fd;

		if (poll(&p, 1, 100) <= 0)
			continue;
		fd = accept(fs->raw_fd, NULL, NULL);
		if (fd < 0)
			continue;
		raw_serve(fs, fd);
		shutdown(fd, SHUT_WR);
		close(fd);
	}
	return NULL;
}

struct fault_server *fault_server_start_hostile(int listen_fd)
{
	struct fault_server *fs = calloc(1, sizeof(*fs));
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);

	if (fs == NULL)
		return NULL;
	pthread_mutex_init(&fs->lock, NULL);
	atomic_init(&fs->stopping, false);
	fs->raw_fd = listen_fd;
	if (listen_fd < 0) {
		fs->raw_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (fs->raw_fd < 0 || bind(fs->raw_fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
		    listen(fs->raw_fd, 16) != 0)
			goto fail;
	}
	if (getsockname(fs->raw_fd, (struct sockaddr *)&sin, &len) != 0 ||
	    pthread_create(&fs->raw_thread, NULL, raw_loop, fs) != 0)
		goto fail;
	fs->port = ntohs(sin.sin_port);
	return fs;
fail:
	if (fs->raw_fd >= 0 && listen_fd < 0)
		close(fs->raw_fd);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
	return NULL;
}
