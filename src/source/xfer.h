/*
 * HTTP transfers for the sources that speak HTTP (http, fleet), on one
 * libcurl multi handle driven by the one event loop, never waiting:
 *
 *   - xfer_multi: the multi handle and the sockets curl wants watched
 *     (CURLMOPT_SOCKETFUNCTION). A source lists them in its pollfds(),
 *     asks xfer_multi_wakeup() for curl's timer in its next_wakeup(), and
 *     calls xfer_multi_drive() in its step(): a zero-timeout poll() says
 *     which sockets are ready and curl_multi_socket_action does the rest.
 *     Finished transfers are then read with curl_multi_info_read.
 *   - xfer_body: what one transfer receives, capped: its body (the
 *     transfer fails once it grows past the cap), the reason phrase of the
 *     last status line and curl's error buffer.
 *   - xfer_easy_setup: the options every routertop request has (http and
 *     https only, at most three redirects, a timeout, compression, the
 *     User-Agent, the header file's headers, TLS verified unless insecure).
 *   - xfer_check_url: an http(s) URL checked, and its form to show (no
 *     credentials, through the sanitising funnel).
 * A source keeps as many easy handles on one xfer_multi as it wants
 * concurrent transfers; the connection cache keeps them alive.
 */
#ifndef RT_SOURCE_XFER_H
#define RT_SOURCE_XFER_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dl/curl.h"

#define XFER_SOCKS_MAX 64
#define XFER_REASON_LEN 64
#define XFER_URL_LEN 512
#define XFER_MAX_REDIRS 3L

struct xfer_sock {
	curl_socket_t fd;
	short events;
};

struct xfer_multi {
	CURLM *multi;
	struct xfer_sock socks[XFER_SOCKS_MAX];
	int nsocks;
};

/*
 * Create the multi handle. max_host_conns > 0 caps the connections to one
 * host (more transfers wait in curl's queue), which also keeps the sockets
 * within XFER_SOCKS_MAX. Aborts via fatal() if libcurl cannot make one.
 * *m must not move afterwards: curl's callback holds its address.
 */
void xfer_multi_init(struct xfer_multi *m, long max_host_conns);
/* Release the multi handle (remove every easy handle from it first). NULL handle is fine. */
void xfer_multi_cleanup(struct xfer_multi *m);

/* Let curl do whatever is ready now: readable or writable sockets, an expired timer. */
void xfer_multi_drive(struct xfer_multi *m);
/* Start what was just added (the zero timer curl_multi_add_handle sets). */
void xfer_multi_kick(struct xfer_multi *m);
/* The sockets to wait on, into fds (at most max); returns how many. */
int xfer_multi_pollfds(const struct xfer_multi *m, struct pollfd *fds, int max);
/* now plus curl's timer, or -1 when curl has none. */
int64_t xfer_multi_timer(struct xfer_multi *m, int64_t now);

struct xfer_body {
	char *data;			/* grows up to max; not terminated */
	size_t len, cap, max;
	bool over;			/* it grew past max and the transfer was cut off */
	char reason[XFER_REASON_LEN];	/* of the last status line, sanitised; "" if none */
	char errbuf[CURL_ERROR_SIZE];	/* curl's words for a failure (raw: sanitise to show) */
};

/* An empty body that will take up to max bytes. */
void xfer_body_init(struct xfer_body *b, size_t max);
/* Forget what the last transfer received (keeping the memory) before the next. */
void xfer_body_reset(struct xfer_body *b);
void xfer_body_free(struct xfer_body *b);

struct xfer_easy_options {
	const char *url;
	int64_t timeout_ms;
	const struct curl_slist *headers;	/* NULL: none; must outlive the handle */
	bool insecure;				/* do not verify the peer's certificate */
};

/* Set up e for one request as the opening comment says; the body and status line go to b. */
void xfer_easy_setup(CURL *e, const struct xfer_easy_options *o, struct xfer_body *b);

/*
 * Check that url is a well-formed http:// or https:// URL. Returns 0 with
 * its form to show in shown (no user or password, sanitised), or -1 with a
 * one-line message in err ("bad URL '...': ...").
 */
int xfer_check_url(const char *url, char *shown, size_t shown_len, char *err, size_t errlen);

#endif
