/*
 * HAProxy's `option httplog` line, as its configuration manual (section
 * 8.2.3) lays it out:
 *
 *   haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in \
 *     static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} \
 *     {} "GET /index.html HTTP/1.1"
 *
 * client:port [accept date] frontend backend/server TR/Tw/Tc/Tr/Ta status
 * bytes cookie cookie termination_state conns queues {captured request
 * headers} {captured response headers} "request". Whatever comes before the
 * client (a syslog header, or nothing with `log stdout format raw`) is
 * skipped: the line is anchored on the accept date. The header captures
 * appear only when configured, so they are optional. A leading '+' on Ta or
 * on the byte count (option logasap) is accepted; HAProxy 1.x's Tq/Tw/Tc/
 * Tr/Tt has the same shape. The accept date has no zone: it is local time.
 */
#include <string.h>

#include "formats/accesslog.h"
#include "formats/alog_impl.h"

#define NOT_FOUND ((size_t)-1)
#define TIMERS 5

/* The '[' of "[dd/Mon/yyyy:" after a space: where the httplog fields are anchored. */
static size_t find_date(const char *line, size_t len)
{
	for (size_t i = 1; i + 13 < len; i++) {
		const char *p = memchr(line + i, '[', len - i);

		if (p == NULL)
			return NOT_FOUND;
		i = (size_t)(p - line);
		if (i + 13 < len && line[i - 1] == ' ' && line[i + 3] == '/' && line[i + 7] == '/' &&
		    line[i + 12] == ':')
			return i;
	}
	return NOT_FOUND;
}

/* The next space-separated word after *pos (which must be at a space). */
static int next_word(const char *line, size_t len, size_t *pos, const char **w, size_t *wlen)
{
	const char *sp;
	size_t start;

	if (*pos >= len || line[*pos] != ' ')
		return -1;
	start = *pos + 1;
	sp = start < len ? memchr(line + start, ' ', len - start) : NULL;
	*pos = sp != NULL ? (size_t)(sp - line) : len;
	*w = line + start;
	*wlen = *pos - start;
	return *wlen > 0 ? 0 : -1;
}

/* "-1", "+109", "30": a timer in ms (-1 stays -1). */
static int timer(const char *s, size_t n, int64_t *ms)
{
	int64_t v = 0;

	if (n == 2 && s[0] == '-' && s[1] == '1') {
		*ms = -1;
		return 0;
	}
	if (n > 0 && s[0] == '+') {
		s++;
		n--;
	}
	if (n == 0 || n > 12)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*ms = v;
	return 0;
}

static int timers(const char *s, size_t n, int64_t t[TIMERS])
{
	size_t i = 0;

	for (int k = 0; k < TIMERS; k++) {
		const char *slash = memchr(s + i, '/', n - i);
		size_t e = slash != NULL ? (size_t)(slash - s) : n;

		if ((slash == NULL) != (k == TIMERS - 1) || timer(s + i, e - i, &t[k]) < 0)
			return -1;
		i = e + 1;
	}
	return 0;
}

/* sC, sH, sD: a server-side timeout; sQ: expired in the queue. */
static void termination_state(const char *s, size_t n, struct alog_record *rec)
{
	if (n < 2 || s[0] != 's')
		return;
	if (s[1] == 'Q')
		rec->flags |= ALOG_FLAG_OVERFLOW;
	else if (s[1] == 'C' || s[1] == 'H' || s[1] == 'D')
		rec->flags |= ALOG_FLAG_TIMEOUT;
}

static void set_text(struct alog_text *t, const char *s, size_t n)
{
	t->s = s;
	t->len = n;
}

/* After the queues: optional {captures}, then the quoted request. */
static void request_part(const char *line, size_t len, size_t pos, struct alog_record *rec)
{
	for (int k = 0; k < 2 && pos + 1 < len && line[pos] == ' ' && line[pos + 1] == '{'; k++) {
		const char *close = memchr(line + pos, '}', len - pos);

		if (close == NULL)
			return;
		pos = (size_t)(close - line) + 1;
	}
	if (pos + 1 < len && line[pos] == ' ' && line[pos + 1] == '"') {
		const char *req = line + pos + 2, *sp = memchr(req, ' ', len - pos - 2), *end;

		if (sp == NULL)
			return;
		sp++;
		end = memchr(sp, ' ', len - (size_t)(sp - line));
		if (end == NULL)
			end = memchr(sp, '"', len - (size_t)(sp - line));
		if (end == NULL)
			end = line + len;
		if (end > sp)
			set_text(&rec->path, sp, (size_t)(end - sp));
	}
}

static void group_of(const struct alog_format *f, const char *client, size_t clen, const char *fe,
		     size_t felen, const char *be, size_t belen, const char *srv, size_t srvlen,
		     struct alog_record *rec)
{
	switch (f->hgroup) {
	case ALOG_HG_FRONTEND:
		set_text(&rec->group, fe, felen);
		break;
	case ALOG_HG_BACKEND:
		set_text(&rec->group, be, belen);
		break;
	case ALOG_HG_SERVER:
		set_text(&rec->group, srv, srvlen);
		break;
	case ALOG_HG_CLIENT:
		while (clen > 0 && client[clen - 1] != ':')
			clen--;
		if (clen > 1)
			set_text(&rec->group, client, clen - 1);
		break;
	case ALOG_HG_NONE:
		break;
	}
}

int alog_parse_haproxy(struct alog_format *f, const char *line, size_t len,
		       struct alog_record *rec, const char **why, size_t *column)
{
	const char *w[10], *client, *close, *slash;
	size_t wl[10], b = find_date(line, len), cstart, pos;
	int64_t t[TIMERS];

	if (b == NOT_FOUND) {
		*why = "no [accept date] of an httplog line";
		return -1;
	}
	for (cstart = b - 1; cstart > 0 && line[cstart - 1] != ' ';)
		cstart--;
	client = line + cstart;
	close = memchr(line + b, ']', len - b);
	*column = b;
	if (close == NULL || alogv_time_haproxy(line + b + 1, (size_t)(close - line) - b - 1, &f->tz,
						&rec->time_us) < 0) {
		*why = "the accept date is not dd/Mon/yyyy:hh:mm:ss.mmm";
		return -1;
	}
	rec->time_is_start = true;
	pos = (size_t)(close - line) + 1;
	for (int k = 0; k < 10; k++) {
		*column = pos;
		if (next_word(line, len, &pos, &w[k], &wl[k]) < 0) {
			*why = "an httplog line has 10 fields after the date";
			return -1;
		}
	}
	slash = memchr(w[1], '/', wl[1]);
	if (slash == NULL) {
		*why = "expected backend/server";
		return -1;
	}
	if (timers(w[2], wl[2], t) < 0) {
		*why = "expected five timers TR/Tw/Tc/Tr/Ta";
		return -1;
	}
	if (!(wl[3] == 2 && w[3][0] == '-' && w[3][1] == '1') && alogv_status(w[3], wl[3], &rec->status) != 0) {
		*why = "the status is not a number";
		return -1;
	}
	if (t[4] >= 0)
		rec->request_us = t[4] * 1000;
	if (t[3] >= 0)
		rec->upstream_us = t[3] * 1000;
	termination_state(w[7], wl[7], rec);
	set_text(&rec->upstream_name, w[1], (size_t)(slash - w[1]));
	group_of(f, client, b - 1 - cstart, w[0], wl[0], w[1], (size_t)(slash - w[1]), slash + 1,
		 wl[1] - (size_t)(slash - w[1]) - 1, rec);
	request_part(line, len, pos, rec);
	return 0;
}
