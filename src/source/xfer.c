/* HTTP transfers on one libcurl multi handle; see xfer.h. */
#include "config.h"

#include "source/xfer.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "util.h"

static int xfer_on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct xfer_multi *m = userp;
	int i;

	(void)easy;
	(void)socketp;
	for (i = 0; i < m->nsocks && m->socks[i].fd != fd; i++)
		;
	if (what == CURL_POLL_REMOVE) {
		if (i < m->nsocks)
			m->socks[i] = m->socks[--m->nsocks];
		return 0;
	}
	if (i == m->nsocks) {
		/* Past the cap curl's timer still drives the transfer to a timeout, never a hang. */
		if (m->nsocks == XFER_SOCKS_MAX)
			return 0;
		m->socks[m->nsocks++].fd = fd;
	}
	m->socks[i].events = (short)(((what & CURL_POLL_IN) ? POLLIN : 0) |
				     ((what & CURL_POLL_OUT) ? POLLOUT : 0));
	return 0;
}

void xfer_multi_init(struct xfer_multi *m, long max_host_conns)
{
	memset(m, 0, sizeof(*m));
	m->multi = curl_multi_init();
	if (m->multi == NULL)
		fatal("cannot create a libcurl handle");
	curl_multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, xfer_on_socket);
	curl_multi_setopt(m->multi, CURLMOPT_SOCKETDATA, m);
	if (max_host_conns > 0)
		curl_multi_setopt(m->multi, CURLMOPT_MAX_HOST_CONNECTIONS, max_host_conns);
}

void xfer_multi_cleanup(struct xfer_multi *m)
{
	if (m->multi != NULL)
		curl_multi_cleanup(m->multi);
	m->multi = NULL;
	m->nsocks = 0;
}

static void xfer_action(struct xfer_multi *m, curl_socket_t fd, int mask)
{
	int running;

	curl_multi_socket_action(m->multi, fd, mask, &running);
}

void xfer_multi_kick(struct xfer_multi *m)
{
	xfer_action(m, CURL_SOCKET_TIMEOUT, 0);
}

void xfer_multi_drive(struct xfer_multi *m)
{
	struct pollfd fds[XFER_SOCKS_MAX];
	int n = m->nsocks;
	long t = -1;

	for (int i = 0; i < n; i++)
		fds[i] = (struct pollfd){ .fd = m->socks[i].fd, .events = m->socks[i].events };
	/* Work on a copy: curl's socket callback edits m->socks as we go. */
	if (n > 0 && poll(fds, (nfds_t)n, 0) > 0) {
		for (int i = 0; i < n; i++) {
			short r = fds[i].revents;
			int mask = ((r & (POLLIN | POLLHUP)) ? CURL_CSELECT_IN : 0) |
				   ((r & POLLOUT) ? CURL_CSELECT_OUT : 0) |
				   ((r & (POLLERR | POLLNVAL)) ? CURL_CSELECT_ERR : 0);

			if (mask != 0)
				xfer_action(m, fds[i].fd, mask);
		}
	}
	curl_multi_timeout(m->multi, &t);
	if (t == 0)
		xfer_action(m, CURL_SOCKET_TIMEOUT, 0);
}

int xfer_multi_pollfds(const struct xfer_multi *m, struct pollfd *fds, int max)
{
	int n = 0;

	for (int i = 0; i < m->nsocks && n < max; i++)
		fds[n++] = (struct pollfd){ .fd = m->socks[i].fd, .events = m->socks[i].events };
	return n;
}

int64_t xfer_multi_timer(struct xfer_multi *m, int64_t now)
{
	long t = -1;

	curl_multi_timeout(m->multi, &t);
	return t >= 0 ? now + t : -1;
}

void xfer_body_init(struct xfer_body *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void xfer_body_reset(struct xfer_body *b)
{
	b->len = 0;
	b->over = false;
	b->reason[0] = '\0';
	b->errbuf[0] = '\0';
}

void xfer_body_free(struct xfer_body *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static size_t xfer_on_body(char *data, size_t size, size_t n, void *userp)
{
	struct xfer_body *b = userp;
	size_t len = size * n;

	if (len > b->max - b->len) {
		b->over = true;
		return 0;	/* curl aborts the transfer with CURLE_WRITE_ERROR */
	}
	if (b->len + len > b->cap) {
		size_t cap = b->cap < 4096 ? 4096 : b->cap;

		while (cap < b->len + len)
			cap *= 2;
		if (cap > b->max)
			cap = b->max;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	return len;
}

/* Keep the reason phrase of the last status line ("HTTP/1.1 503 Service Unavailable"). */
static size_t xfer_on_header(char *data, size_t size, size_t n, void *userp)
{
	struct xfer_body *b = userp;
	size_t len = size * n, i = 0, out;

	if (len < 5 || memcmp(data, "HTTP/", 5) != 0)
		return len;
	while (i < len && data[i] != ' ')	/* protocol */
		i++;
	while (i < len && data[i] == ' ')
		i++;
	while (i < len && isdigit((unsigned char)data[i]))	/* status code */
		i++;
	while (i < len && data[i] == ' ')
		i++;
	for (out = i; out < len && data[out] != '\r' && data[out] != '\n'; out++)
		;
	sanitize_copy_n(b->reason, sizeof(b->reason), data + i, out - i, 0);
	return len;
}

void xfer_easy_setup(CURL *e, const struct xfer_easy_options *o, struct xfer_body *b)
{
	curl_easy_setopt(e, CURLOPT_URL, o->url);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, XFER_MAX_REDIRS);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "routertop/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, b->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, xfer_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, xfer_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, b);
	if (o->headers != NULL)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, o->headers);
	if (o->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
}

int xfer_check_url(const char *url, char *shown, size_t shown_len, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *clean = NULL, quoted[XFER_URL_LEN];
	int rc = -1;

	if (u == NULL)
		fatal("out of memory");
	/* The user's own text, echoed: through the funnel like any other. */
	sanitize_copy(quoted, sizeof(quoted), url, 0);
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		str_printf(err, errlen, "bad URL '%s': expected http://HOST[:PORT]/PATH", quoted);
	} else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
		   (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		str_printf(err, errlen, "bad URL '%s': only http:// and https:// are supported",
			   quoted);
	} else {
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		if (curl_url_get(u, CURLUPART_URL, &clean, 0) == CURLUE_OK)
			sanitize_copy(shown, shown_len, clean, 0);
		else
			sanitize_copy(shown, shown_len, url, 0);
		rc = 0;
	}
	curl_free(scheme);
	curl_free(clean);
	curl_url_cleanup(u);
	return rc;
}
