/*
 * Internals of the HTTP source (source/http.c) that its tests reach
 * directly: the poll schedule with backoff, the fault messages, and the
 * header file reader. Everything else goes through source_http_new().
 */
#ifndef RT_SOURCE_HTTP_H
#define RT_SOURCE_HTTP_H

#include "dl/curl.h"
#include "source/xfer.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Backoff after faults doubles up to this (or the interval, if longer). */
#define HTTP_BACKOFF_CAP_MS 30000
/* The header file: at most this many headers, each line at most this long. */
#define HTTP_HEADERS_MAX 64
#define HTTP_HEADER_LINE_MAX 8192
#define HTTP_HEADER_FILE_MAX ((size_t)HTTP_HEADERS_MAX * HTTP_HEADER_LINE_MAX)
#define HTTP_MAX_REDIRS XFER_MAX_REDIRS	/* the one limit every request has (xfer.h) */

/*
 * Delay before the next poll after `failures` consecutive faults: the
 * interval for 0 or 1, then doubling, capped at HTTP_BACKOFF_CAP_MS (or at
 * the interval when that is longer).
 */
int64_t http_backoff_ms(int64_t interval_ms, int failures);

/*
 * When the next poll starts, for a poll that started at started_ms and
 * finished at done_ms. After a good answer (failures 0) polls keep a steady
 * cadence, started_ms + interval, but never start before done_ms; after a
 * fault the backoff counts from done_ms.
 */
int64_t http_next_poll_ms(int64_t started_ms, int64_t done_ms, int64_t interval_ms,
			  int failures);

/* What one finished transfer came to, as curl reported it. */
struct http_outcome {
	CURLcode code;
	long status;		/* HTTP status of the last response, 0 if none */
	long os_errno;		/* CURLINFO_OS_ERRNO */
	bool body_over;		/* the body grew past max_body and was cut off */
	const char *reason;	/* reason phrase of the last status line, "" if none */
	const char *detail;	/* curl's error buffer, "" if empty */
	const char *url;	/* as shown to the user (no credentials) */
	const char *redirected;	/* where a followed redirect led (the peer's Location), NULL or "" if none */
	int64_t timeout_ms;
	size_t max_body;
};

/*
 * Decide whether an outcome is a fault. Returns true and writes a one-line
 * message such as "HTTP 503 Service Unavailable from URL" into buf if so;
 * returns false for a 2xx answer whose body should be parsed. The peer's
 * words in it (reason, curl's error buffer, the redirect target) and the
 * URL pass the sanitising funnel (sanitize.h) first.
 */
bool http_fault_message(const struct http_outcome *o, char *buf, size_t len);

/*
 * Read request headers ("Name: value" lines, '#' comments and blank lines
 * skipped) from path and append them to *list. Returns 0, or -1 with a
 * message naming FILE:LINE in err; on error *list is left for the caller to
 * free with curl_slist_free_all.
 */
int http_read_header_file(const char *path, struct curl_slist **list, char *err,
			  size_t errlen);

#endif
