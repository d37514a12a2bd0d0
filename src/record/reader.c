/*
 * Reading recordings: the chunked line reader and the parser of one line.
 * A recording is streamed, never loaded: the reader pulls LINE_READER_CHUNK
 * bytes at a time and cuts them into lines of at most the caller's cap; a
 * longer line is skipped by scanning for its newline without keeping it.
 */
#include "record/reader.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "sanitize.h"
#include "util.h"

#define LINE_READER_CHUNK (64 * 1024)
/* "t" beyond this (year 33658) is garbage, not a time. */
#define RECORD_T_MAX 1e15

void line_reader_init(struct line_reader *rd, struct rstream *s)
{
	memset(rd, 0, sizeof(*rd));
	rd->s = s;
	rd->chunk_off = rstream_tell(s);
	rd->chunk = xmalloc(LINE_READER_CHUNK);
}

void line_reader_free(struct line_reader *rd)
{
	free(rd->chunk);
	rd->chunk = NULL;
}

int line_reader_seek(struct line_reader *rd, int64_t off)
{
	int rc = rstream_seek(rd->s, off);

	if (rc < 0)
		return -1;
	rd->pos = rd->len = 0;
	rd->chunk_off = rstream_tell(rd->s);
	rd->eof = false;
	rd->resume = false;
	return rc;
}

enum fill_rc { FILL_DATA, FILL_END, FILL_WAIT, FILL_FAIL };

/* Refill the chunk from the stream. */
static enum fill_rc reader_fill(struct line_reader *rd)
{
	ssize_t n;

	rd->chunk_off += (int64_t)rd->len;
	rd->pos = rd->len = 0;
	if (rd->eof)
		return FILL_END;
	n = rstream_read(rd->s, rd->chunk, LINE_READER_CHUNK);
	if (n == RSTREAM_AGAIN)
		return FILL_WAIT;
	if (n < 0)
		return FILL_FAIL;
	if (n == 0) {
		if (rd->follow)
			return FILL_WAIT;
		rd->eof = true;
		return FILL_END;
	}
	rd->len = (size_t)n;
	return FILL_DATA;
}

enum line_status line_reader_next(struct line_reader *rd, char *buf, size_t cap,
				  struct line_span *ln)
{
	size_t total = 0;
	bool got = false;

	ln->off = rd->chunk_off + (int64_t)rd->pos;
	if (rd->resume) {
		total = rd->resume_total;
		ln->off = rd->resume_off;
		got = true;
		rd->resume = false;
	}
	ln->terminated = false;
	for (;;) {
		const char *start, *nl;
		size_t n;

		if (rd->pos == rd->len) {
			enum fill_rc rc = reader_fill(rd);

			if (rc == FILL_FAIL)
				return LINE_IOERR;
			if (rc == FILL_WAIT) {
				if (got) {
					rd->resume = true;
					rd->resume_total = total;
					rd->resume_off = ln->off;
				}
				return LINE_AGAIN;
			}
			if (rc == FILL_END)
				break;
		}
		got = true;
		start = rd->chunk + rd->pos;
		nl = memchr(start, '\n', rd->len - rd->pos);
		n = nl != NULL ? (size_t)(nl - start) : rd->len - rd->pos;
		if (total + n <= cap)
			memcpy(buf + total, start, n);
		/* Past cap the count only has to say "too long", so it stops growing there. */
		total = total + n > cap ? cap + 1 : total + n;
		rd->pos += n;
		if (nl != NULL) {
			rd->pos++;
			ln->terminated = true;
			break;
		}
	}
	ln->end = rd->chunk_off + (int64_t)rd->pos;
	if (!got)
		return LINE_EOF;
	if (total > cap)
		return LINE_LONG;
	if (total > 0 && buf[total - 1] == '\r')
		total--;
	buf[total] = '\0';
	ln->len = total;
	return LINE_OK;
}

bool record_line_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static int read_time(const cJSON *item, int64_t *t, char *msg, size_t msglen)
{
	if (item == NULL) {
		str_printf(msg, msglen, "t: missing (ms since the epoch)");
		return -1;
	}
	if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) || item->valuedouble < 0 ||
	    item->valuedouble > RECORD_T_MAX) {
		str_printf(msg, msglen, "t: expected ms since the epoch");
		return -1;
	}
	*t = (int64_t)floor(item->valuedouble);
	return 0;
}

static int parse_event(const cJSON *event, struct record *rec, char *msg, size_t msglen)
{
	char *text;
	size_t n;

	if (!cJSON_IsObject(event)) {
		str_printf(msg, msglen, "event: expected object");
		return -1;
	}
	text = cJSON_PrintUnformatted(event);
	if (text == NULL)
		fatal("out of memory printing a recorded event");
	n = strlen(text);
	/* Cut JSON is not JSON: an event too long for a notice is a bad line. */
	if (n >= sizeof(rec->event)) {
		str_printf(msg, msglen, "event: %zu bytes, over the %zu-byte limit",
			   n, sizeof(rec->event) - 1);
		free(text);
		return -1;
	}
	memcpy(rec->event, text, n + 1);
	free(text);
	rec->kind = RECORD_EVENT;
	return 0;
}

/* A recording line {"t":..., "metrics":{...}} or {"t":..., "event":{...}}. */
static int parse_envelope(const cJSON *root, int64_t t, struct record *rec,
			  char *msg, size_t msglen)
{
	const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(root, "metrics");
	const cJSON *event = cJSON_GetObjectItemCaseSensitive(root, "event");
	char err[METRICS_ERR_LEN];

	rec->t = t;
	if (metrics == NULL)
		return parse_event(event, rec, msg, msglen);
	if (!cJSON_IsObject(metrics)) {
		str_printf(msg, msglen, "metrics: expected object");
		return -1;
	}
	if (metrics_from_cjson(metrics, &rec->snap, err, sizeof(err)) != 0) {
		str_printf(msg, msglen, "metrics.%s", err);
		return -1;
	}
	rec->kind = RECORD_SNAPSHOT;
	return 0;
}

/*
 * A bare snapshot line (the wire JSON itself): its time is its "timestamp"
 * if it has one, else one second after the previous good record.
 */
static int parse_bare(const cJSON *root, int64_t prev_t, struct record *rec,
		      char *msg, size_t msglen)
{
	char err[METRICS_ERR_LEN];

	if (cJSON_GetObjectItemCaseSensitive(root, "t") != NULL) {
		str_printf(msg, msglen, "has \"t\" but neither \"metrics\" nor \"event\"");
		return -1;
	}
	if (metrics_from_cjson(root, &rec->snap, err, sizeof(err)) != 0) {
		str_printf(msg, msglen, "%s", err);
		return -1;
	}
	rec->kind = RECORD_SNAPSHOT;
	rec->t = rec->snap.timestamp_ms != METRICS_NONE ? rec->snap.timestamp_ms
							: prev_t + RECORD_BARE_GAP_MS;
	return 0;
}

int record_parse_line(const char *buf, size_t len, int64_t prev_t, struct record *rec,
		      char *msg, size_t msglen)
{
	const char *end = NULL;
	cJSON *root;
	int rc;

	metrics_init(&rec->snap);
	if (memchr(buf, '\0', len) != NULL) {
		str_printf(msg, msglen, "NUL byte in the line");
		return -1;
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		size_t col = end != NULL && end >= buf && end <= buf + len ? (size_t)(end - buf) : 0;

		str_printf(msg, msglen, "not JSON (column %zu)", col + 1);
		return -1;
	}
	/* Every field of a recording is outside text: the whole line passes the funnel here. */
	sanitize_cjson(root);
	while (end != NULL && end < buf + len && (*end == ' ' || *end == '\t'))
		end++;
	if (end != NULL && end < buf + len) {
		str_printf(msg, msglen, "text after the JSON value (column %zu)",
			   (size_t)(end - buf) + 1);
		rc = -1;
	} else if (!cJSON_IsObject(root)) {
		str_printf(msg, msglen, "not a JSON object");
		rc = -1;
	} else if (cJSON_GetObjectItemCaseSensitive(root, "metrics") != NULL ||
		   cJSON_GetObjectItemCaseSensitive(root, "event") != NULL) {
		int64_t t = 0;

		rc = read_time(cJSON_GetObjectItemCaseSensitive(root, "t"), &t, msg, msglen);
		if (rc == 0)
			rc = parse_envelope(root, t, rec, msg, msglen);
	} else {
		rc = parse_bare(root, prev_t, rec, msg, msglen);
	}
	cJSON_Delete(root);
	return rc;
}


/* The envelope of a recording line, the cursor after its '{': "t", "source", "metrics". */
static int skim_envelope(struct jscan *c, struct record *rec)
{
	bool have_t = false, have_metrics = false;
	double t = 0;

	do {
		const char *key;
		size_t n;

		if (jscan_string(c, &key, &n) != 0 || !jscan_eat(c, ':'))
			return 1;
		if (jscan_is(key, n, "t") && !have_t) {
			if (jscan_number(c, &t) != 0 || !isfinite(t) || t < 0 || t > RECORD_T_MAX)
				return 1;
			have_t = true;
		} else if (jscan_is(key, n, "metrics")) {
			/* A second "metrics", and events (their text is kept as cJSON prints it), go the full way. */
			if (have_metrics || metrics_scan(c, false, &rec->snap) != 0)
				return 1;
			have_metrics = true;
		} else if (jscan_is(key, n, "event") || jscan_skip(c) != 0) {
			return 1;
		}
	} while (jscan_eat(c, ','));
	if (!jscan_eat(c, '}') || !have_t || !have_metrics)
		return 1;
	rec->t = (int64_t)floor(t);
	return 0;
}

int record_skim_line(const char *buf, size_t len, int64_t prev_t, struct record *rec)
{
	struct jscan c = { buf, buf + len }, probe;
	const char *key;
	size_t n;
	int rc;

	metrics_init(&rec->snap);
	if (!jscan_eat(&c, '{'))
		return 1;
	probe = c;
	if (jscan_string(&probe, &key, &n) != 0)
		return 1;
	if (jscan_is(key, n, "t") || jscan_is(key, n, "source") || jscan_is(key, n, "metrics") ||
	    jscan_is(key, n, "event")) {
		rc = skim_envelope(&c, rec);
	} else {
		c.p--;
		rc = metrics_scan(&c, true, &rec->snap) == 0 ? 0 : 1;
		if (rc == 0)
			rec->t = rec->snap.timestamp_ms != METRICS_NONE ? rec->snap.timestamp_ms
									: prev_t + RECORD_BARE_GAP_MS;
	}
	while (rc == 0 && c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
		c.p++;
	if (rc != 0 || c.p != c.end) {
		metrics_free(&rec->snap);
		metrics_init(&rec->snap);
		return 1;
	}
	rec->kind = RECORD_SNAPSHOT;
	return 0;
}

void record_free(struct record *rec)
{
	metrics_free(&rec->snap);
}
