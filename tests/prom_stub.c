/* A stand-in for Prometheus' HTTP API; see prom_stub.h. */
#include "prom_stub.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define STUB_PARAMS 4

struct stub_entry {
	char *path, *query, *body;
	int status, delay_ms;
};

struct prom_stub {
	struct MHD_Daemon *mhd;
	unsigned port;
	pthread_mutex_t lock;
	atomic_bool stopping;
	struct stub_entry *entries;
	size_t n, cap;
	int default_status;
	char *default_body;
	unsigned requests, ranges;
	char last[STUB_PARAMS][64];
	char auth[128];		/* the last request's Authorization header */
};

static const char *const stub_params[STUB_PARAMS] = { "time", "step", "timeout", "start" };

static const char stub_bad_data[] =
	"{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter "
	"\\\"query\\\": the stub has no answer for this query\"}";

static char *stub_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d == NULL)
		abort();
	memcpy(d, s, n);
	return d;
}

/* Wait ms, or less when the server is stopping, so stopping never hangs on a slow answer. */
static void stub_delay(struct prom_stub *s, int ms)
{
	for (int waited = 0; waited < ms && !atomic_load(&s->stopping); waited += 10) {
		struct timespec ts = { 0, 10 * 1000000L };

		nanosleep(&ts, NULL);
	}
}

static enum MHD_Result stub_queue(struct MHD_Connection *c, int status, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	rc = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result stub_on_request(void *cls, struct MHD_Connection *c, const char *url,
				       const char *method, const char *version,
				       const char *upload_data, size_t *upload_data_size,
				       void **con_cls)
{
	struct prom_stub *s = cls;
	const char *path = strncmp(url, "/api/v1/", 8) == 0 ? url + 8 : "";
	const char *query = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "query");
	char *body;
	int status, delay = 0;
	enum MHD_Result rc;

	(void)method;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	pthread_mutex_lock(&s->lock);
	s->requests++;
	if (strcmp(path, "query_range") == 0)
		s->ranges++;
	for (int i = 0; i < STUB_PARAMS; i++) {
		const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, stub_params[i]);

		snprintf(s->last[i], sizeof(s->last[i]), "%s", v != NULL ? v : "");
	}
	{
		const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");

		snprintf(s->auth, sizeof(s->auth), "%s", auth != NULL ? auth : "");
	}
	status = s->default_status;
	body = stub_strdup(s->default_body != NULL ? s->default_body : stub_bad_data);
	for (size_t i = 0; query != NULL && i < s->n; i++) {
		if (strcmp(s->entries[i].path, path) == 0 && strcmp(s->entries[i].query, query) == 0) {
			free(body);
			body = stub_strdup(s->entries[i].body);
			status = s->entries[i].status;
			delay = s->entries[i].delay_ms;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	stub_delay(s, delay);
	rc = stub_queue(c, status, body);
	free(body);
	return rc;
}

struct prom_stub *prom_stub_start(void)
{
	struct prom_stub *s = calloc(1, sizeof(*s));
	struct sockaddr_in sin = { .sin_family = AF_INET };
	const union MHD_DaemonInfo *info;

	if (s == NULL)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	atomic_init(&s->stopping, false);
	s->default_status = 400;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
				  NULL, NULL, stub_on_request, s, MHD_OPTION_SOCK_ADDR,
				  (struct sockaddr *)&sin, MHD_OPTION_CONNECTION_TIMEOUT, 10U,
				  MHD_OPTION_END);
	if (s->mhd == NULL) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info != NULL ? info->port : 0;
	return s;
}

void prom_stub_clear(struct prom_stub *s)
{
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->n; i++) {
		free(s->entries[i].path);
		free(s->entries[i].query);
		free(s->entries[i].body);
	}
	s->n = 0;
	pthread_mutex_unlock(&s->lock);
}

void prom_stub_stop(struct prom_stub *s)
{
	if (s == NULL)
		return;
	atomic_store(&s->stopping, true);
	MHD_stop_daemon(s->mhd);
	prom_stub_clear(s);
	free(s->entries);
	free(s->default_body);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

unsigned prom_stub_port(const struct prom_stub *s)
{
	return s->port;
}

void prom_stub_set(struct prom_stub *s, const char *path, const char *query, int status,
		   const char *body, int delay_ms)
{
	struct stub_entry *e = NULL;

	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->n && e == NULL; i++) {
		if (strcmp(s->entries[i].path, path) == 0 && strcmp(s->entries[i].query, query) == 0)
			e = &s->entries[i];
	}
	if (e == NULL) {
		if (s->n == s->cap) {
			s->cap = s->cap < 16 ? 16 : s->cap * 2;
			s->entries = realloc(s->entries, s->cap * sizeof(*s->entries));
			if (s->entries == NULL)
				abort();
		}
		e = &s->entries[s->n++];
		e->path = stub_strdup(path);
		e->query = stub_strdup(query);
	} else {
		free(e->body);
	}
	e->body = stub_strdup(body);
	e->status = status;
	e->delay_ms = delay_ms;
	pthread_mutex_unlock(&s->lock);
}

void prom_stub_set_default(struct prom_stub *s, int status, const char *body)
{
	pthread_mutex_lock(&s->lock);
	free(s->default_body);
	s->default_body = body != NULL ? stub_strdup(body) : NULL;
	s->default_status = status;
	pthread_mutex_unlock(&s->lock);
}

unsigned prom_stub_requests(struct prom_stub *s)
{
	unsigned n;

	pthread_mutex_lock(&s->lock);
	n = s->requests;
	pthread_mutex_unlock(&s->lock);
	return n;
}

unsigned prom_stub_range_requests(struct prom_stub *s)
{
	unsigned n;

	pthread_mutex_lock(&s->lock);
	n = s->ranges;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void prom_stub_last_param(struct prom_stub *s, const char *name, char *buf, size_t len)
{
	pthread_mutex_lock(&s->lock);
	snprintf(buf, len, "%s", "");
	for (int i = 0; i < STUB_PARAMS; i++) {
		if (strcmp(stub_params[i], name) == 0)
			snprintf(buf, len, "%s", s->last[i]);
	}
	if (strcmp(name, "Authorization") == 0)
		snprintf(buf, len, "%s", s->auth);
	pthread_mutex_unlock(&s->lock);
}
