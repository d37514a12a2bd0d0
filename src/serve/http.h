/*
 * The HTTP side of `routertop serve`: the listen address, the answer to
 * each request, and libmicrohttpd in external mode. serve.c drives these
 * from its one loop; nothing here starts a thread or knows about the loop.
 */
#ifndef RT_SERVE_HTTP_H
#define RT_SERVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "metrics.h"

/*
 * Parse "ADDR:PORT" (IPv4, "[IPv6]:PORT", or "localhost:PORT") into *addr.
 * Returns 0, or -1 with a one-line message in err.
 */
int serve_parse_listen(const char *text, struct sockaddr_storage *addr, socklen_t *addrlen,
		       char *err, size_t errlen);

/* What GET /metrics answers with: the wire JSON or Prometheus text. */
enum serve_format {
	SERVE_FORMAT_JSON,
	SERVE_FORMAT_PROMETHEUS,	/* text/plain; version=0.0.4 */
	SERVE_FORMAT_OPENMETRICS,	/* application/openmetrics-text; version=1.0.0 */
	SERVE_FORMATS
};

/*
 * Content negotiation for /metrics. format is the ?format= value (NULL:
 * none): "json" or "prometheus" forces one (OpenMetrics when the Accept
 * header rates it above the 0.0.4 text). Otherwise the Accept header
 * (NULL: none) decides by quality, the most specific media range counting:
 * application/json, application/openmetrics-text, text/plain; a plain
 * request (no Accept, or * / * alone) and ties get JSON. Returns 0, or -1
 * for a format= value it does not know.
 */
int serve_negotiate(const char *accept, const char *format, enum serve_format *out);

/* The newest snapshot in each format; NULL before the first. */
struct serve_bodies {
	const char *body[SERVE_FORMATS];
	size_t len[SERVE_FORMATS];
};

/* What the server answers to one request (no I/O; see serve_answer). */
struct serve_reply {
	unsigned status;		/* 200, 400, 404, 405, 503 */
	const char *content_type;
	const char *body;		/* for HEAD the same; the server drops it */
	size_t body_len;
	const char *allow;		/* Allow header for 405, else NULL */
	bool vary;			/* the answer depends on Accept: say so (Vary) */
};

/*
 * Decide the answer to METHOD PATH with its Accept header and ?format=
 * value (either may be NULL), given the newest snapshot's bodies.
 */
void serve_answer(const char *method, const char *path, const char *accept, const char *format,
		  const struct serve_bodies *b, struct serve_reply *r);

struct serve_http;

/*
 * Listen on text ("ADDR:PORT") and start libmicrohttpd in external mode.
 * Returns NULL with a one-line message in err (bad address, port in use).
 */
struct serve_http *serve_http_start(const char *text, char *err, size_t errlen);
void serve_http_stop(struct serve_http *s);	/* NULL is fine */
/* "http://ADDR:PORT/metrics" with the port actually bound. */
void serve_http_url(const struct serve_http *s, char *buf, size_t len);
/* A descriptor that turns readable when the server has work; run it then. */
int serve_http_fd(const struct serve_http *s);
/*
 * Milliseconds from now_ms (monotonic) until the server must run anyway
 * (connection timeouts, a slow request's deadline), -1: none.
 */
int64_t serve_http_timeout_ms(struct serve_http *s, int64_t now_ms);
/*
 * Accept, read and answer whatever is ready at now_ms (monotonic); cut off
 * connections whose request did not arrive in full in time. Never blocks.
 */
void serve_http_run(struct serve_http *s, int64_t now_ms);
/*
 * Make snap the answer to /metrics: the JSON (stamped with wall_ms as
 * "timestamp") and the Prometheus texts (serve/promtext.h).
 */
void serve_http_publish(struct serve_http *s, const struct metrics_snapshot *snap,
			int64_t wall_ms);

#endif
