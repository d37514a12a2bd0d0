/*
 * A loopback HTTP server for tests that answers /metrics with a chosen
 * fault: good JSON, slow past the client's timeout, HTTP 500 or 404,
 * garbage, truncated JSON, a 5 MB body, a redirect loop. It runs in
 * libmicrohttpd's own threads (one per connection, so a slow answer holds
 * up nobody else). Used in-process by check_http and as the standalone
 * program fault_server for the end-to-end test.
 *
 * The hostile mode (fault_server_start_hostile) answers byte for byte from
 * a thread of its own, for what libmicrohttpd will not send: every hostile
 * answer carries FAULT_HOSTILE_TEXT (escape sequences that set the
 * terminal's title and colours, C1 controls, bytes that are not UTF-8, a
 * right-to-left override and a '|' with forged perfdata) on one path to
 * the screen: a JSON string, an unknown breaker state, the reason phrase,
 * header values, a redirect target, a Prometheus label value; and a 1 MB
 * header line.
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
	/* Hostile answers: only a hostile-mode server sends them (others answer 501). */
	FAULT_HOSTILE_JSON,	/* good snapshot; recommendation and a row's name = the hostile text */
	FAULT_HOSTILE_STATE,	/* circuitBreakerStatus.state = the hostile text */
	FAULT_HOSTILE_REASON,	/* "HTTP/1.1 503 <hostile text>" */
	FAULT_HOSTILE_HEADER,	/* good snapshot; Content-Type and X-Hostile carry the text */
	FAULT_HOSTILE_REDIRECT,	/* 302 to /hop<FAULT_HOSTILE_HIGH>, which answers 404 <hostile text> */
	FAULT_HOSTILE_BIG_HEADER,	/* a 1 MB header line */
	FAULT_HOSTILE_PROM,	/* Prometheus text (Envoy's families), a cluster label = the hostile text */
	FAULT_KINDS
};

#define FAULT_HUGE_BYTES ((size_t)5 << 20)
#define FAULT_BIG_HEADER_BYTES ((size_t)1 << 20)
/* The hostile text as raw bytes (it holds no CR, LF or NUL, so it fits a status line). */
#define FAULT_HOSTILE_TEXT "\x1b]0;PWNED\x07\x1b[31mred\x1b[0m\xc2\x9b" "31m\xc2\x9d" "0;PWNED\xc2\x9c" \
	"\xff\xfe\xe2\x80\xae" "desrever\x7f | fake_perf=0;1;2"
/* Its part without C0 controls: a client follows a redirect to it. */
#define FAULT_HOSTILE_HIGH "\xc2\x9b" "31m\xc2\x9d" "0;PWNED\xc2\x9c\xff\xfe\xe2\x80\xae" "desrever|fake_perf=0"
#define FAULT_SEQ_MAX 64

struct fault_server;

/*
 * Start on listen_fd (a listening socket; -1: bind 127.0.0.1 port 0).
 * Returns NULL if the daemon cannot start. Every /metrics request gets
 * FAULT_GOOD until told otherwise.
 */
struct fault_server *fault_server_start(int listen_fd);
/* The same in hostile mode: raw answers from one thread; only good and hostile kinds. */
struct fault_server *fault_server_start_hostile(int listen_fd);
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
