/*
 * From a parsed access-log line to what the tracker counts: the outcome
 * (the simulator's classes: timeouts, failures, rate-limit violations,
 * breaker rejections), the latency, and the row the request belongs to.
 * 4xx other than 429 are the client's business, not the router's: they
 * count as succeeded, as they do for Envoy's and HAProxy's own health.
 */
#include <stdio.h>
#include <string.h>

#include "formats/accesslog.h"

enum alog_outcome alog_outcome(const struct alog_record *rec)
{
	if (rec->status == 429 || (rec->flags & ALOG_FLAG_RATE_LIMITED))
		return ALOG_RATE_LIMITED;
	if (rec->flags & ALOG_FLAG_OVERFLOW)
		return ALOG_REJECTED;
	if (rec->status == 504 || (rec->flags & ALOG_FLAG_TIMEOUT))
		return ALOG_TIMEOUT;
	if (rec->status >= 500)
		return ALOG_FAILURE;
	return ALOG_OK;
}

int64_t alog_latency_us(const struct alog_record *rec, enum alog_latency which)
{
	enum alog_outcome o = alog_outcome(rec);

	if (o == ALOG_RATE_LIMITED || o == ALOG_REJECTED)
		return ALOG_NO_DURATION;
	return which == ALOG_LATENCY_UPSTREAM ? rec->upstream_us : rec->request_us;
}

/* "/api/v1/x?y" -> "/api"; "http://h/a/b" -> "/a"; "*" stays. */
static struct alog_text first_segment(struct alog_text p)
{
	const char *s = p.s, *end = p.s + p.len, *scheme = p.len > 3 && p.s[0] != '/' ? memchr(p.s, ':', p.len) : NULL;
	size_t i = 1;

	if (scheme != NULL && end - scheme > 3 && scheme[1] == '/' && scheme[2] == '/') {
		const char *slash = memchr(scheme + 3, '/', (size_t)(end - scheme - 3));

		if (slash == NULL)
			return (struct alog_text){ "/", 1 };
		s = slash;
	}
	if (s[0] != '/')
		i = 0;
	while (s + i < end && s[i] != '/' && s[i] != '?' && s[i] != '#')
		i++;
	return (struct alog_text){ s, i };
}

static size_t put(char *buf, size_t len, const char *s, size_t n)
{
	if (len == 0)
		return 0;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return n;
}

size_t alog_row_key(const struct alog_record *rec, enum alog_by by, char *buf, size_t len)
{
	struct alog_text t = { NULL, 0 };

	switch (by) {
	case ALOG_BY_UPSTREAM:
		t = rec->upstream_name.len > 0 ? rec->upstream_name : rec->upstream_addr;
		break;
	case ALOG_BY_HOST:
		t = rec->host;
		break;
	case ALOG_BY_PATH:
		if (rec->path.len > 0)
			t = first_segment(rec->path);
		break;
	case ALOG_BY_STATUS:
		if (rec->status > 0) {
			int n = snprintf(buf, len, "%d", rec->status);

			return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len > 0 ? len - 1 : 0;
		}
		break;
	case ALOG_BY_GROUP:
		t = rec->group;
		break;
	}
	if (t.len == 0)
		return put(buf, len, "(none)", 6);
	return put(buf, len, t.s, t.len);
}

int alog_by_parse(const char *text, enum alog_by *by)
{
	static const struct {
		const char *name;
		enum alog_by by;
	} names[] = {
		{ "upstream", ALOG_BY_UPSTREAM }, { "host", ALOG_BY_HOST },
		{ "path", ALOG_BY_PATH }, { "status", ALOG_BY_STATUS },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(text, names[i].name) == 0) {
			*by = names[i].by;
			return 0;
		}
	}
	return -1;
}
