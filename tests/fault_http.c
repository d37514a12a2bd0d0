/* The fault-answering test server; see fault_http.h. */
#include "fault_http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define FAULT_TEXT_LEN 128

struct fault_server {
	struct MHD_Daemon *mhd;
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

/* A valid snapshot whose counters grow with n, so each answer differs. */
static int fault_good_json(char *buf, size_t len, unsigned n)
{
	return snprintf(buf, len,
		"{\"latency\":{\"p50\":45.2,\"p90\":89.3,\"p95\":125.7,\"p99\":234.1,"
		"\"max\":456.2,\"min\":3.1,\"avg\":67.8,\"count\":%u},"
		"\"throughput\":{\"requestsPerSecond\":156.3,\"requestsPerMinute\":9378.0},"
		"\"errorRates\":{\"circuitBreakerTrips\":0,\"rateLimitViolations\":2,"
		"\"timeouts\":1,\"failures\":%u},"
		"\"circuitBreakerStatus\":{\"state\":\"closed\",\"isHealthy\":true,"
		"\"failureRate\":0.002,\"avgResponseTime\":67.8,"
		"\"recommendation\":\"Service healthy\"}}\n", 1000 + n, n);
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
	if (fs->seq_at < fs->seq_len)
		kind = fs->seq[fs->seq_at++];
	else
		kind = fs->kind;
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
	MHD_stop_daemon(fs->mhd);
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
