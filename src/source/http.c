/*
 * The "http" source: polls a router's metrics endpoint with the libcurl
 * multi interface, so the one event loop never waits on the network. The
 * answer is the wire JSON or Prometheus text (source/prom.h), told apart by
 * its Content-Type and content; the Accept header asks for what routertop
 * reads, JSON first unless --input prometheus.
 *
 * How it fits the loop is source/xfer.h's: pollfds() hands curl's sockets
 * to source_wait(), next_wakeup() is the next poll or curl's own timer,
 * whichever comes first, and step() drives curl and reads finished
 * transfers. There is at most one transfer at a time and its easy handle
 * is reused, so the connection is kept alive between polls.
 */
#include "config.h"

#include "source/http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgfile.h"
#include "metrics.h"
#include "sanitize.h"
#include "source/prom.h"
#include "source/source.h"
#include "source/xfer.h"
#include "util.h"

/* How much of a redirect target a message quotes. */
#define HTTP_REDIRECT_SHOWN 160
#define HTTP_DEFAULT_INTERVAL_MS 5000
#define HTTP_DEFAULT_TIMEOUT_MS 4000
#define HTTP_FAILURES_MAX 1000

struct http_source {
	char *url;			/* as given, credentials and all */
	char shown_url[XFER_URL_LEN];	/* for messages: no credentials */
	int64_t interval_ms, timeout_ms;
	size_t max_body;
	bool insecure;

	struct xfer_multi xm;
	CURL *easy;
	struct curl_slist *headers;
	struct xfer_body body;		/* what the last poll received */

	bool busy;			/* a transfer is in flight */
	bool paused;
	bool polled;			/* started_ms is set */
	bool pending;			/* ev holds an event not yet returned */
	int64_t started_ms, next_poll_ms;
	int failures;			/* consecutive faults */
	struct source_event ev;

	enum source_input input;
	struct prom_reader *prom;	/* Prometheus text: the profile and the scrape before */
};

int64_t http_backoff_ms(int64_t interval_ms, int failures)
{
	int64_t cap = interval_ms > HTTP_BACKOFF_CAP_MS ? interval_ms : HTTP_BACKOFF_CAP_MS;
	int64_t delay = interval_ms;

	for (int i = 1; i < failures && delay < cap; i++)
		delay *= 2;
	return delay < cap ? delay : cap;
}

int64_t http_next_poll_ms(int64_t started_ms, int64_t done_ms, int64_t interval_ms,
			  int failures)
{
	int64_t next;

	if (failures > 0)
		return done_ms + http_backoff_ms(interval_ms, failures);
	next = started_ms + interval_ms;
	return next > done_ms ? next : done_ms;
}

static void http_connect_message(long os_errno, const char *url, char *buf, size_t len)
{
	if (os_errno == ECONNREFUSED)
		str_printf(buf, len, "connection refused by %s", url);
	else if (os_errno != 0)
		str_printf(buf, len, "cannot connect to %s: %s", url, strerror((int)os_errno));
	else
		str_printf(buf, len, "cannot connect to %s", url);
}

/* HTTP/2 has no reason phrase on the wire; name the common codes ourselves. */
static const char *http_standard_reason(long status)
{
	static const struct {
		long status;
		const char *reason;
	} reasons[] = {
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 408, "Request Timeout" },
		{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
		{ 501, "Not Implemented" }, { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};

	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (reasons[i].status == status)
			return reasons[i].reason;
	}
	return "";
}

/* The outcome with every text in it passed through the funnel. */
struct http_clean {
	char reason[XFER_REASON_LEN], detail[CURL_ERROR_SIZE], url[XFER_URL_LEN];
	char via[HTTP_REDIRECT_SHOWN + 32];	/* " (redirected to TARGET)" or "" */
};

static void http_clean_outcome(const struct http_outcome *o, struct http_clean *c)
{
	char target[HTTP_REDIRECT_SHOWN];

	sanitize_copy(c->reason, sizeof(c->reason), o->reason != NULL ? o->reason : "", 0);
	sanitize_copy(c->detail, sizeof(c->detail), o->detail != NULL ? o->detail : "", 0);
	sanitize_copy(c->url, sizeof(c->url), o->url != NULL ? o->url : "", 0);
	c->via[0] = '\0';
	if (o->redirected != NULL && o->redirected[0] != '\0' &&
	    (o->url == NULL || strcmp(o->redirected, o->url) != 0)) {
		sanitize_copy(target, sizeof(target), o->redirected, 0);
		str_printf(c->via, sizeof(c->via), " (redirected to %s)", target);
	}
}

bool http_fault_message(const struct http_outcome *o, char *buf, size_t len)
{
	struct http_clean c;
	const char *what, *reason;

	http_clean_outcome(o, &c);
	what = c.detail[0] != '\0' ? c.detail : curl_easy_strerror(o->code);
	reason = c.reason[0] != '\0' ? c.reason : http_standard_reason(o->status);
	if (o->body_over) {
		str_printf(buf, len, "body over %zu bytes from %s", o->max_body, c.url);
		return true;
	}
	switch (o->code) {
	case CURLE_OK:
		if (o->status >= 200 && o->status < 300)
			return false;
		str_printf(buf, len, "HTTP %ld%s%s from %s%s", o->status,
			   reason[0] != '\0' ? " " : "", reason, c.url, c.via);
		return true;
	case CURLE_COULDNT_RESOLVE_HOST:
		str_printf(buf, len, "name not resolved: %s", c.url);
		return true;
	case CURLE_COULDNT_RESOLVE_PROXY:
		str_printf(buf, len, "proxy name not resolved for %s", c.url);
		return true;
	case CURLE_COULDNT_CONNECT:
		http_connect_message(o->os_errno, c.url, buf, len);
		return true;
	case CURLE_OPERATION_TIMEDOUT:
		str_printf(buf, len, "timeout: no answer within %lld ms from %s",
			   (long long)o->timeout_ms, c.url);
		return true;
	case CURLE_TOO_MANY_REDIRECTS:
		str_printf(buf, len, "too many redirects (more than %ld) from %s",
			   HTTP_MAX_REDIRS, c.url);
		return true;
	case CURLE_PEER_FAILED_VERIFICATION:
		str_printf(buf, len, "TLS certificate not trusted for %s: %s", c.url, what);
		return true;
	case CURLE_OUT_OF_MEMORY:
		/* What libcurl says when a response header line is over its limit (CURL_MAX_HTTP_HEADER). */
		str_printf(buf, len, "response header too large from %s%s", c.url, c.via);
		return true;
	default:
		str_printf(buf, len, "%s from %s%s", what, c.url, c.via);
		return true;
	}
}

/* Trim spaces and tabs from both ends of s in place; returns the new start. */
static char *http_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
			 s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

/* An HTTP header name is a token: visible ASCII minus the separators. */
static bool http_is_token(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s <= ' ' || *s >= 127 || strchr("\"(),/:;<=>?@[\\]{}", *s) != NULL)
			return false;
	}
	return true;
}

/* One line of the header file: 1 if a header was added, 0 if skipped, -1 on error. */
static int http_header_line(char *line, const char *path, int lineno,
			    struct curl_slist **list, int *count, char *err, size_t errlen)
{
	char *text = http_trim(line), *colon, *name, *value, header[HTTP_HEADER_LINE_MAX];
	struct curl_slist *grown;

	if (*text == '\0' || *text == '#')
		return 0;
	colon = strchr(text, ':');
	if (colon == NULL) {
		str_printf(err, errlen, "%s:%d: expected 'Name: value'", path, lineno);
		return -1;
	}
	*colon = '\0';
	name = http_trim(text);
	value = http_trim(colon + 1);
	if (!http_is_token(name)) {
		str_printf(err, errlen, "%s:%d: bad header name '%s'", path, lineno, name);
		return -1;
	}
	if (++*count > HTTP_HEADERS_MAX) {
		str_printf(err, errlen, "%s:%d: more than %d headers", path, lineno,
			   HTTP_HEADERS_MAX);
		return -1;
	}
	str_printf(header, sizeof(header), "%s: %s", name, value);
	grown = curl_slist_append(*list, header);
	if (grown == NULL)
		fatal("out of memory");
	*list = grown;
	return 1;
}

int http_read_header_file(const char *path, struct curl_slist **list, char *err,
			  size_t errlen)
{
	struct cfgfile f;
	char *line;
	size_t len;
	int count = 0, rc = 0;

	if (cfgfile_open(&f, path, HTTP_HEADER_FILE_MAX, err, errlen) != 0)
		return -1;
	while (rc == 0 && (line = cfgfile_line(&f, &len)) != NULL) {
		if (len > HTTP_HEADER_LINE_MAX - 2) {
			str_printf(err, errlen, "%s:%lu: line longer than %d bytes", path, f.line,
				   HTTP_HEADER_LINE_MAX - 2);
			rc = -1;
		} else if (http_header_line(line, path, (int)f.line, list, &count, err, errlen) < 0) {
			rc = -1;
		}
	}
	cfgfile_close(&f);
	return rc;
}

/*
 * Where a redirect led: the URL of the last response when curl followed one,
 * else a Location it did not follow; NULL if none. The peer chose it, so it
 * is only ever shown through the funnel (http_fault_message does that).
 */
static const char *http_redirect_target(struct http_source *h)
{
	char *effective = NULL, *location = NULL;

	curl_easy_getinfo(h->easy, CURLINFO_EFFECTIVE_URL, &effective);
	if (effective != NULL && strcmp(effective, h->url) != 0)
		return effective;
	curl_easy_getinfo(h->easy, CURLINFO_REDIRECT_URL, &location);
	return location;
}

/*
 * The body as JSON or Prometheus text into snap (which owns nothing yet).
 * The Content-Type is the server's word, so it is only compared, never shown.
 */
static int http_parse(struct http_source *h, int64_t now, struct metrics_snapshot *snap,
		      char *err, size_t errlen)
{
	const char *body = h->body.data != NULL ? h->body.data : "";
	char *type = NULL;

	curl_easy_getinfo(h->easy, CURLINFO_CONTENT_TYPE, &type);
	if (prom_body_kind(h->input, type, body, h->body.len) == SOURCE_INPUT_JSON)
		return metrics_parse(body, h->body.len, snap, err, errlen);
	metrics_init(snap);
	return prom_reader_read(h->prom, body, h->body.len, type, now, snap, err, errlen);
}

/* Turn a finished transfer into the pending event and schedule the next poll. */
static void http_finish(struct http_source *h, CURLcode code, int64_t now)
{
	struct source_event *ev = &h->ev;
	struct http_outcome o = {
		.code = code, .body_over = h->body.over, .reason = h->body.reason,
		.detail = h->body.errbuf, .url = h->shown_url, .timeout_ms = h->timeout_ms,
		.max_body = h->max_body,
	};
	char perr[SOURCE_MSG_LEN - 16];
	bool fault;

	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &o.status);
	curl_easy_getinfo(h->easy, CURLINFO_OS_ERRNO, &o.os_errno);
	o.redirected = http_redirect_target(h);
	curl_multi_remove_handle(h->xm.multi, h->easy);
	h->busy = false;

	ev->at_ms = now;
	ev->wall_ms = clock_wall_ms();
	ev->message[0] = '\0';
	/* The snapshot lent out last time (see source.h) is no longer anyone's. */
	metrics_free(&ev->snap);
	fault = http_fault_message(&o, ev->message, sizeof(ev->message));
	if (!fault && http_parse(h, now, &ev->snap, perr, sizeof(perr)) != 0) {
		str_printf(ev->message, sizeof(ev->message), "bad metrics: %s", perr);
		fault = true;
	}
	if (fault) {
		metrics_init(&ev->snap);
		ev->kind = SOURCE_ERROR;
		if (h->failures < HTTP_FAILURES_MAX)
			h->failures++;
	} else {
		ev->kind = SOURCE_SNAPSHOT;
		h->failures = 0;
	}
	h->next_poll_ms = http_next_poll_ms(h->started_ms, now, h->interval_ms, h->failures);
	h->pending = true;
}

static void http_collect(struct http_source *h, int64_t now)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(h->xm.multi, &left)) != NULL) {
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == h->easy)
			http_finish(h, msg->data.result, now);
	}
}

static void http_start(struct http_source *h, int64_t now)
{
	CURLMcode rc;

	xfer_body_reset(&h->body);
	h->started_ms = now;
	h->polled = true;
	rc = curl_multi_add_handle(h->xm.multi, h->easy);
	if (rc != CURLM_OK) {
		h->ev.kind = SOURCE_ERROR;
		h->ev.at_ms = now;
		h->ev.wall_ms = clock_wall_ms();
		metrics_free(&h->ev.snap);
		metrics_init(&h->ev.snap);
		str_printf(h->ev.message, sizeof(h->ev.message), "cannot start a request to %s: %s",
			   h->shown_url, curl_multi_strerror(rc));
		if (h->failures < HTTP_FAILURES_MAX)
			h->failures++;
		h->next_poll_ms = http_next_poll_ms(now, now, h->interval_ms, h->failures);
		h->pending = true;
		return;
	}
	h->busy = true;
	/* Adding the handle set a zero timer; firing it starts the transfer. */
	xfer_multi_kick(&h->xm);
}

static int http_step(void *self, int64_t now, struct source_event *ev)
{
	struct http_source *h = self;

	if (h->busy) {
		xfer_multi_drive(&h->xm);
		http_collect(h, now);
	}
	if (!h->busy && !h->pending && !h->paused && now >= h->next_poll_ms) {
		http_start(h, now);
		if (h->busy)
			http_collect(h, now);
	}
	if (!h->pending)
		return 0;
	/* A shallow copy: the rows stay h->ev's, lent until the next step. */
	*ev = h->ev;
	h->pending = false;
	return 1;
}

static int http_pollfds(void *self, struct pollfd *fds, int max)
{
	struct http_source *h = self;

	return xfer_multi_pollfds(&h->xm, fds, max);
}

static int64_t http_next_wakeup(void *self, int64_t now)
{
	struct http_source *h = self;
	int64_t t;

	if (h->pending)
		return now;
	if (h->busy) {
		t = xfer_multi_timer(&h->xm, now);
		return t >= 0 ? t : SOURCE_NO_WAKEUP;
	}
	return h->paused ? SOURCE_NO_WAKEUP : h->next_poll_ms;
}

static void http_describe(void *self, char *buf, size_t len)
{
	struct http_source *h = self;
	char prof[PROFILE_NAME_LEN * 2];

	prom_reader_describe(h->prom, prof, sizeof(prof));
	str_printf(buf, len, "%s%s%s%s", h->shown_url, h->insecure ? " (insecure)" : "",
		   prof[0] != '\0' ? " " : "", prof);
}

static void http_set_interval(void *self, int64_t interval_ms)
{
	struct http_source *h = self;

	if (interval_ms <= 0)
		return;
	h->interval_ms = interval_ms;
	/* A backoff in progress keeps its schedule; a steady cadence follows the new interval. */
	if (h->polled && !h->busy && h->failures == 0)
		h->next_poll_ms = h->started_ms + interval_ms;
}

static void http_set_paused(void *self, bool paused, int64_t mono_ms)
{
	struct http_source *h = self;

	(void)mono_ms;
	h->paused = paused;
}

static void http_destroy(void *self)
{
	struct http_source *h = self;

	if (h->xm.multi != NULL && h->easy != NULL && h->busy)
		curl_multi_remove_handle(h->xm.multi, h->easy);
	if (h->easy != NULL)
		curl_easy_cleanup(h->easy);
	xfer_multi_cleanup(&h->xm);
	curl_slist_free_all(h->headers);
	metrics_free(&h->ev.snap);
	prom_reader_free(h->prom);
	xfer_body_free(&h->body);
	free(h->url);
	free(h);
	curl_global_cleanup();
}

/* What a row is: the Prometheus profile's noun (or --by); the wire JSON's rows are upstreams. */
static const char *http_row_noun(void *self)
{
	return prom_reader_row_noun(((struct http_source *)self)->prom);
}

static const struct source_ops http_ops = {
	.name = "http",
	.describe = http_describe,
	.pollfds = http_pollfds,
	.next_wakeup = http_next_wakeup,
	.step = http_step,
	.set_interval = http_set_interval,
	.set_paused = http_set_paused,
	.destroy = http_destroy,
	.row_noun = http_row_noun,
};

/*
 * Ask for what routertop reads, unless the header file says what to accept:
 * JSON first, unless --input prometheus or a --profile asks for Prometheus.
 */
static void http_add_accept(struct http_source *h, const struct source_text_options *o)
{
	struct curl_slist *grown;
	bool profile = o->profile != NULL && strcmp(o->profile, "auto") != 0;
	enum source_input ask = h->input == SOURCE_INPUT_AUTO && profile ? SOURCE_INPUT_PROMETHEUS
									: h->input;

	for (const struct curl_slist *l = h->headers; l != NULL; l = l->next) {
		if (strncasecmp(l->data, "Accept:", 7) == 0)
			return;
	}
	grown = curl_slist_append(h->headers, prom_accept_header(ask));
	if (grown == NULL)
		fatal("out of memory");
	h->headers = grown;
}

struct source *source_http_new(const struct http_options *o, char *err, size_t errlen)
{
	struct http_source *h;

	if (o->url == NULL) {
		str_printf(err, errlen, "watch: no URL given");
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		str_printf(err, errlen, "cannot initialise libcurl");
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->input = o->text.input;
	h->interval_ms = o->interval_ms > 0 ? o->interval_ms : HTTP_DEFAULT_INTERVAL_MS;
	h->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
	h->max_body = o->max_body > 0 ? o->max_body : METRICS_BODY_DEFAULT;
	h->insecure = o->insecure;
	h->url = xstrdup(o->url);
	h->next_poll_ms = INT64_MIN / 2;	/* the first poll is due at once */
	xfer_body_init(&h->body, h->max_body);
	if (xfer_check_url(o->url, h->shown_url, sizeof(h->shown_url), err, errlen) != 0 ||
	    (o->header_file != NULL &&
	     http_read_header_file(o->header_file, &h->headers, err, errlen) != 0) ||
	    (h->prom = prom_reader_new(&o->text, err, errlen)) == NULL) {
		http_destroy(h);
		return NULL;
	}
	http_add_accept(h, &o->text);
	xfer_multi_init(&h->xm, 0);
	h->easy = curl_easy_init();
	if (h->easy == NULL)
		fatal("cannot create a libcurl handle");
	xfer_easy_setup(h->easy, &(struct xfer_easy_options){
		.url = h->url, .timeout_ms = h->timeout_ms, .headers = h->headers,
		.insecure = h->insecure }, &h->body);
	return source_new(&http_ops, h, h->interval_ms);
}
