/*
 * Matching a line against a compiled format: the template matcher, the
 * step that turns one field's text into the record (shared with the HAProxy
 * and JSON parsers), and the checks every parsed line gets afterwards.
 *
 * A field ends before its terminator, the first byte of the text that
 * follows it in the format. Three kinds of field may hold that byte when it
 * is a space: $time_local holds one ("10/Oct/2000:13:55:36 -0700"), an
 * unquoted $request two ("GET / HTTP/1.1"), and nginx's upstream lists as
 * many as they have items ("0.010, 0.020 : 0.005"). A field between quotes
 * ends at the closing quote; a backslash escapes the byte after it, as
 * nginx's escape=json and Envoy write them.
 */
#include <string.h>

#include "formats/accesslog.h"
#include "formats/alog_impl.h"

#define NOT_FOUND ((size_t)-1)

static size_t next_space(const char *line, size_t len, size_t from)
{
	const char *p = from < len ? memchr(line + from, ' ', len - from) : NULL;

	return p != NULL ? (size_t)(p - line) : NOT_FOUND;
}

static size_t field_end(const struct alog_token *t, const char *line, size_t len, size_t pos)
{
	const char *p;
	size_t e;
	int extra;

	if (t->quoted) {
		/* memchr for the quote, then an even run of backslashes before it means it is not escaped. */
		for (size_t i = pos; i < len;) {
			const char *q = memchr(line + i, '"', len - i);
			size_t bs = 0;

			if (q == NULL)
				break;
			e = (size_t)(q - line);
			while (e - bs > pos && line[e - bs - 1] == '\\')
				bs++;
			if (bs % 2 == 0)
				return e;
			i = e + 1;
		}
		return NOT_FOUND;
	}
	if (t->term == 0)
		return len;
	p = memchr(line + pos, t->term, len - pos);
	if (p == NULL || t->term != ' ')
		return p != NULL ? (size_t)(p - line) : NOT_FOUND;
	e = (size_t)(p - line);
	extra = t->kind == ALOG_K_TIME_LOCAL ? 1 : t->kind == ALOG_K_REQUEST ? 2 : 0;
	while (extra-- > 0 && e != NOT_FOUND)
		e = next_space(line, len, e + 1);
	while (t->list && e != NOT_FOUND) {
		if (e > pos && line[e - 1] == ',')
			e = next_space(line, len, e + 1);
		else if (e + 2 < len && line[e + 1] == ':' && line[e + 2] == ' ')
			e = next_space(line, len, e + 3);
		else
			break;
	}
	return e;
}

static int parse_template(struct alog_format *f, const char *line, size_t len,
			  struct alog_record *rec, const char **why, size_t *column)
{
	size_t pos = 0;

	for (int i = 0; i < f->ntok; i++) {
		const struct alog_token *t = &f->tok[i];
		size_t e;

		*column = pos;
		if (t->kind == ALOG_K_LITERAL) {
			if (len - pos < t->len || memcmp(line + pos, t->lit, t->len) != 0) {
				*why = "the text between fields differs from the format";
				return -1;
			}
			pos += t->len;
			continue;
		}
		e = field_end(t, line, len, pos);
		if (e == NOT_FOUND) {
			*why = t->quoted ? "a quoted field has no closing quote" : "a field has no end";
			return -1;
		}
		if (alog_apply(f, t->kind, t->group, line + pos, e - pos, rec, why) < 0)
			return -1;
		pos = e;
	}
	*column = pos;
	if (pos != len) {
		*why = "text after the end of the format";
		return -1;
	}
	return 0;
}

static void set_text(struct alog_text *t, const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '-'))
		return;
	t->s = s;
	t->len = n;
}

/* "GET /path HTTP/1.1": the path. Anything else (a TLS probe nginx answered with 400) has none. */
static void request_path(const char *s, size_t n, struct alog_record *rec)
{
	const char *sp = memchr(s, ' ', n), *end;

	if (sp == NULL)
		return;
	sp++;
	end = memchr(sp, ' ', n - (size_t)(sp - s));
	set_text(&rec->path, sp, end != NULL ? (size_t)(end - sp) : n - (size_t)(sp - s));
}

/* Envoy response flags, comma-separated ("UT", "UO,URX", "-"). */
static void response_flags(const char *s, size_t n, struct alog_record *rec)
{
	size_t i = 0;

	while (i < n) {
		const char *comma = memchr(s + i, ',', n - i);
		size_t e = comma != NULL ? (size_t)(comma - s) : n, len = e - i;

		if (len == 2 && s[i] == 'U' && s[i + 1] == 'T')
			rec->flags |= ALOG_FLAG_TIMEOUT;
		else if (len == 2 && s[i] == 'U' && s[i + 1] == 'O')
			rec->flags |= ALOG_FLAG_OVERFLOW;
		else if (len == 2 && s[i] == 'R' && s[i + 1] == 'L')
			rec->flags |= ALOG_FLAG_RATE_LIMITED;
		i = e + 1;
	}
}

static int apply_time(struct alog_format *f, enum alog_kind kind, const char *s, size_t n,
		      struct alog_record *rec)
{
	int rc;

	switch (kind) {
	case ALOG_K_TIME_LOCAL:
		rc = alogv_time_local(s, n, &rec->time_us);
		break;
	case ALOG_K_TIME_ISO:
	case ALOG_K_TIME_ISO_START:
		rc = alogv_time_iso(s, n, &f->tz, &rec->time_us);
		break;
	default:
		rc = alogv_time_epoch(s, n, &rec->time_us);
		break;
	}
	if (rc == 0)
		rec->time_is_start = kind == ALOG_K_TIME_ISO_START || kind == ALOG_K_TIME_EPOCH_START;
	return rc;
}

int alog_apply(struct alog_format *f, enum alog_kind kind, bool group, const char *s, size_t n,
	       struct alog_record *rec, const char **why)
{
	const char *item;
	size_t ilen;
	int rc = 0;

	if (group)
		set_text(&rec->group, s, n);
	switch (kind) {
	case ALOG_K_LITERAL:
	case ALOG_K_SKIP:
		break;
	case ALOG_K_TIME_LOCAL:
	case ALOG_K_TIME_ISO:
	case ALOG_K_TIME_ISO_START:
	case ALOG_K_TIME_EPOCH:
	case ALOG_K_TIME_EPOCH_START:
		rc = apply_time(f, kind, s, n, rec);
		*why = "the time is not in the format's shape";
		break;
	case ALOG_K_REQUEST:
		request_path(s, n, rec);
		break;
	case ALOG_K_PATH:
		set_text(&rec->path, s, n);
		break;
	case ALOG_K_STATUS:
		rc = alogv_status(s, n, &rec->status);
		*why = "the status is not a number";
		break;
	case ALOG_K_REQUEST_S:
	case ALOG_K_REQUEST_MS:
		rc = alogv_duration(s, n, kind == ALOG_K_REQUEST_S ? ALOGV_SECONDS : ALOGV_MILLIS,
				    &rec->request_us);
		*why = "the request time is not a number";
		break;
	case ALOG_K_UPSTREAM_S:
	case ALOG_K_UPSTREAM_MS:
		rc = alogv_duration_list(s, n, kind == ALOG_K_UPSTREAM_S ? ALOGV_SECONDS : ALOGV_MILLIS,
					 &rec->upstream_us);
		*why = "the upstream time is not a number or a list of numbers";
		break;
	case ALOG_K_UPSTREAM_ADDR:
		if (alogv_list_last(s, n, &item, &ilen) == 0)
			set_text(&rec->upstream_addr, item, ilen);
		break;
	case ALOG_K_UPSTREAM_NAME:
		set_text(&rec->upstream_name, s, n);
		break;
	case ALOG_K_UPSTREAM_STATUS:
		if (alogv_list_last(s, n, &item, &ilen) == 0)
			rc = alogv_status(item, ilen, &rec->upstream_status);
		*why = "the upstream status is not a number";
		break;
	case ALOG_K_HOST:
		set_text(&rec->host, s, n);
		break;
	case ALOG_K_FLAGS:
		response_flags(s, n, rec);
		break;
	}
	return rc < 0 ? -1 : 0;
}

static void record_reset(struct alog_record *rec)
{
	static const struct alog_text none = { NULL, 0 };

	rec->time_us = ALOG_NO_TIME;
	rec->request_us = ALOG_NO_DURATION;
	rec->upstream_us = ALOG_NO_DURATION;
	rec->status = 0;
	rec->upstream_status = 0;
	rec->flags = 0;
	rec->time_is_start = false;
	rec->upstream_name = rec->upstream_addr = rec->host = rec->path = rec->group = none;
	rec->scratch_used = 0;
}

int alog_parse(struct alog_format *f, const char *line, size_t len,
	       struct alog_record *rec, const char **why, size_t *column)
{
	int rc;

	record_reset(rec);
	*column = 0;
	if (len > ALOG_LINE_MAX) {
		*why = "line longer than 64 KiB";
		return -1;
	}
	if (len > 0 && line[len - 1] == '\r')
		len--;
	switch (f->syntax) {
	case ALOG_SYNTAX_HAPROXY:
		rc = alog_parse_haproxy(f, line, len, rec, why, column);
		break;
	case ALOG_SYNTAX_JSON:
		rc = alog_parse_json(f, line, len, rec, why, column);
		break;
	default:
		rc = parse_template(f, line, len, rec, why, column);
		break;
	}
	if (rc < 0) {
		if (*column > len)
			*column = len;
		return -1;
	}
	if (rec->time_is_start && rec->time_us != ALOG_NO_TIME && rec->request_us != ALOG_NO_DURATION) {
		rec->time_us += rec->request_us;
		rec->time_is_start = false;
	}
	if (!(f->have & 1u << ALOG_K_STATUS))
		rec->status = rec->upstream_status;
	return 0;
}
