/*
 * The timeline (see timeline.h): a summary fed line by line, whose answer
 * for each snapshot (summary_step) marks the bin the line falls in. A bin
 * is a stretch of the file's stored bytes: for a compressed file the
 * decoder's place, which runs a little ahead of the line, enough for a bar
 * a few hundred cells wide.
 */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "record/reader.h"
#include "record/stream.h"
#include "summary.h"
#include "util.h"

/*
 * The bins as read: raw[i] covers text offsets [i * width, (i + 1) * width).
 * A plain file's width is fixed by its size; a compressed file's length is
 * not known, so its width starts small and doubles (neighbours merged)
 * whenever the text outgrows the bins: memory stays TIMELINE_BINS bytes.
 */
struct timeline {
	struct rstream *in;
	struct line_reader rd;
	char *buf;
	struct summary sum;
	bool done;
	int64_t size;		/* the stored file's size */
	int64_t width, hi;	/* text bytes per raw bin; text read so far */
	uint8_t raw[TIMELINE_BINS];
};

struct timeline *timeline_open(const char *path, const struct target_set *ts, bool follow,
			       char *err, size_t errlen)
{
	struct rstream_options so = { .ring_bytes = 0, .follow = follow };
	struct timeline *tl;
	struct rstream *in;
	int64_t done, size;

	if (strcmp(path, "-") == 0) {
		str_printf(err, errlen, "standard input has no end to scan to");
		return NULL;
	}
	in = rstream_open(path, &so, err, errlen);
	if (in == NULL)
		return NULL;
	rstream_progress(in, &done, &size);
	if (rstream_is_pipe(in) || size <= 0) {
		str_printf(err, errlen, "a pipe has no end to scan to");
		rstream_close(in);
		return NULL;
	}
	tl = xcalloc(1, sizeof(*tl));
	tl->in = in;
	tl->size = size;
	/* A plain file's bins fit it from the start; a compressed one's grow from small ones. */
	tl->width = 64;
	if (rstream_codec(in) == RSTREAM_PLAIN && size > TIMELINE_BINS * 64)
		tl->width = (size + TIMELINE_BINS - 1) / TIMELINE_BINS;
	tl->buf = xmalloc(RECORD_LINE_MAX + 1);
	line_reader_init(&tl->rd, in);
	tl->rd.follow = follow;
	summary_init(&tl->sum, path, ts);
	return tl;
}

void timeline_free(struct timeline *tl)
{
	if (tl == NULL)
		return;
	line_reader_free(&tl->rd);
	rstream_close(tl->in);
	summary_free(&tl->sum);
	free(tl->buf);
	free(tl);
}

static void timeline_mark(struct timeline *tl, int64_t off, uint8_t bits)
{
	while (off >= tl->width * TIMELINE_BINS) {
		for (size_t i = 0; i < TIMELINE_BINS / 2; i++)
			tl->raw[i] = tl->raw[2 * i] | tl->raw[2 * i + 1];
		memset(tl->raw + TIMELINE_BINS / 2, 0, TIMELINE_BINS / 2);
		tl->width *= 2;
	}
	tl->raw[off / tl->width] |= bits;
}

bool timeline_step(struct timeline *tl, int max_lines)
{
	struct line_span ln;

	for (int n = 0; n < max_lines && !tl->done; n++) {
		enum line_status st = line_reader_next(&tl->rd, tl->buf, RECORD_LINE_MAX, &ln);
		struct summary_step step = { STATUS_OK, false };
		uint8_t bits = TIMELINE_SCANNED;

		if (st == LINE_AGAIN)
			return false;	/* following: more when the file grows */
		if (st == LINE_EOF || st == LINE_IOERR) {
			/* A read error ends the bar where it is; the replay itself reports it. */
			tl->done = true;
			break;
		}
		if (st != LINE_LONG && summary_line(&tl->sum, tl->buf, ln.len, &step) == 1) {
			if (step.worst == STATUS_FAIL)
				bits |= TIMELINE_FAIL;
			else if (step.worst == STATUS_WARN)
				bits |= TIMELINE_WARN;
			if (step.transition)
				bits |= TIMELINE_TRANSITION;
		}
		/* A status across the line's whole stretch; a transition is a moment, at its start. */
		timeline_mark(tl, ln.off, bits);
		bits &= (uint8_t)~TIMELINE_TRANSITION;
		for (int64_t at = (ln.off / tl->width + 1) * tl->width; at < ln.end; at += tl->width)
			timeline_mark(tl, at, bits);
		tl->hi = ln.end;
	}
	return !tl->done;
}

int64_t timeline_render(const struct timeline *tl, uint8_t out[TIMELINE_BINS], bool *exact)
{
	int64_t total = tl->hi, done, size;

	*exact = tl->done || rstream_codec(tl->in) == RSTREAM_PLAIN;
	if (rstream_codec(tl->in) == RSTREAM_PLAIN) {
		/* A followed file grows: its size now. */
		rstream_progress(tl->in, &done, &size);
		total = size > tl->hi ? size : tl->hi;
	} else if (!tl->done) {
		/* The text so far, over the share of the stored file it came from. */
		rstream_progress(tl->in, &done, &size);
		if (done > 0 && size > done)
			total = (int64_t)((double)tl->hi * (double)size / (double)done);
	}
	if (total <= 0)
		total = 1;
	for (size_t j = 0; j < TIMELINE_BINS; j++) {
		int64_t from = (int64_t)j * total / TIMELINE_BINS;
		int64_t to = (int64_t)(j + 1) * total / TIMELINE_BINS;
		uint8_t bits = 0;

		if (to <= from)
			to = from + 1;
		for (int64_t i = from / tl->width; i <= (to - 1) / tl->width && i < TIMELINE_BINS; i++)
			bits |= tl->raw[i];
		/* Read past it, it holds no line: read all the same. */
		if (to <= tl->hi || tl->done)
			bits |= TIMELINE_SCANNED;
		out[j] = bits;
	}
	return total;
}
