/*
 * A loopback HTTP server for tests that answers /metrics with a chosen
 * fault: good JSON, slow past the client's timeout, HTTP 500 or 404,
 * garbage, truncated JSON, a 5 MB body, a redirect loop. It runs in
 * libmicrohttpd's own threads (one per connection, so a slow answer holds
 * up nobody else). Used in-process by check_http and as the standalone
 * program fault_server for the end-to-end test.
 */
#ifndef RT_FAULT_HTTP_H
#define RT_FAULT_HTTP_H

#include <stdbool.h>
#include <stdio.h>

enum fault_kind {
	FAULT_GOOD,
	FAULT_SLOW,		/* good JSON, after slow_ms */
	FAULT_500,
	FAULT_404,
	FAULT_GARBAGE,
	FAULT_TRUNCATED,
	FAULT_HUGE,		/* 5 MB of whitespace */
	FAULT_REDIRECT_LOOP,	/* /metrics -> /loop -> /loop ... */
	FAULT_REFUSED,		/* only in a standalone sequence: not listening yet */
	FAULT_KINDS
};

#define FAULT_HUGE_BYTES ((size_t)5 << 20)
#define FAULT_SEQ_MAX 64

struct fault_server;

/*
 * Start on listen_fd (a listening socket; -1: bind 127.0.0.1 port 0).
 * Returns NULL if the daemon cannot start. Every /metrics request gets
 * FAULT_GOOD until told otherwise.
 */
struct fault_server *fault_server_start(int listen_fd);
void fault_server_stop(struct fault_server *fs);	/* NULL is fine */
unsigned fault_server_port(const struct fault_server *fs);

/* Answer every /metrics request with kind from now on. */
void fault_server_set(struct fault_server *fs, enum fault_kind kind);
/* Answer the next n /metrics requests with seq[0..n-1] in turn, then FAULT_GOOD. */
void fault_server_set_sequence(struct fault_server *fs, const enum fault_kind *seq, int n);
void fault_server_set_slow_ms(struct fault_server *fs, int slow_ms);
/* Answer 401 unless the request carries this header with this value. */
void fault_server_require_header(struct fault_server *fs, const char *name, const char *value);
/* Write "served KIND" for each /metrics answer to log (NULL: no log). */
void fault_server_set_log(struct fault_server *fs, FILE *log);

/* /metrics requests answered so far; User-Agent and Accept-Encoding of the last one. */
unsigned fault_server_requests(struct fault_server *fs);
void fault_server_last_agent(struct fault_server *fs, char *buf, size_t len);
void fault_server_last_encoding(struct fault_server *fs, char *buf, size_t len);

const char *fault_kind_name(enum fault_kind kind);
int fault_kind_parse(const char *name, enum fault_kind *out);

#endif
