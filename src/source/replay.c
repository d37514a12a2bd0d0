/*
 * The replay source: plays a recording (JSONL, see record/writer.h) back
 * through the source interface, on the recording's own clock. Reading lines
 * and parsing them is record/reader.c's; this file keeps only playback.
 *
 * The file is streamed, never loaded. What stays in memory is one line, one
 * parsed record of lookahead, and an index of the byte offsets of
 * the good snapshot lines seen so far, so stepping back can re-read a line.
 * The index costs a little over 8 bytes a snapshot: the line number and time
 * are kept only at every REPLAY_CHECKPOINT-th entry, and stepping back to a
 * snapshot in between re-reads the few lines from the checkpoint before it
 * (a bare line's time depends on the lines before it), emitting nothing.
 *
 * Time: the replay clock is "recorded ms since the epoch". It is anchored at
 * (anchor_mono, anchor_rec) and runs at speed recorded ms per monotonic ms;
 * paused, at speed 0 (as fast as possible) or after the end it stands still.
 * A record is due when the replay clock reaches its "t". Seeking, speed 0 and
 * a recording whose times go backwards move the anchor to the emitted
 * record's time, so the clock always says when the snapshot on screen was
 * taken, plus whatever has elapsed since at the current speed.
 *
 * Bounded work per pass of the loop: at most REPLAY_PASS_LINES lines are read
 * before step() returns 0 (next_wakeup then asks to be called at once), so a
 * region of bad lines or a long fast-forward never stalls key handling.
 *
 * Inputs (record/stream.h): plain, gzip or zstd, a file, a pipe or a FIFO.
 * Reading never blocks: when a pipe has nothing yet, or a followed file
 * has not grown, step() returns 0 and the loop waits on the pipe's
 * descriptor or a REPLAY_WAIT_MS timer. A pipe keeps the last REPLAY_RING
 * bytes read, so stepping back works within them; a compressed file that
 * steps back further reads again from its start, silently, within the
 * same per-pass budget. With --follow the recording is played as fast as
 * possible up to its end, then each new line when it is written (what came
 * while it waited, at once).
 */
#include "source/source.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "record/reader.h"
#include "record/stream.h"
#include "sanitize.h"
#include "util.h"

/* Bad lines reported one by one; the rest are only counted in describe(). */
#define REPLAY_ERRORS_SHOWN 5
#define REPLAY_PASS_LINES 1000
/* Snapshots looked at to guess the recording interval. */
#define REPLAY_PRESCAN_SNAPS 9
#define REPLAY_PRESCAN_LINES 64
#define REPLAY_CHECKPOINT 64
/* The replay clock never runs past this (year 33658), whatever the speed. */
#define REPLAY_T_MAX 1e15
/* What a pipe or compressed file keeps for stepping back (more than the longest line). */
#define REPLAY_RING ((size_t)8 << 20)
/* How often a followed file (or a FIFO without writer) is looked at again. */
#define REPLAY_WAIT_MS 250

/* Where reading starts again when stepping back: the line number and time of an index entry. */
struct checkpoint {
	int64_t line, t;
};

/* FF_END: read to the end without emitting, then emit the last snapshot (End). */
enum ff_mode { FF_NONE, FF_ONE, FF_TRANSITION, FF_END };

enum fill_result { FILL_RECORD, FILL_ERROR, FILL_EOF, FILL_BUDGET, FILL_WAIT };

struct replay {
	char path[256];		/* sanitised, for messages */
	const char *name;	/* basename of path, for the header */
	struct rstream *in;
	struct line_reader rd;
	bool follow, catching_up;	/* --follow; before the first wait at the end */
	bool waiting;		/* the last read found nothing yet */
	bool clock_known;	/* a good record has been read (prescan or play) */
	size_t ring;		/* what the stream keeps for stepping back */
	char *buf;		/* one line, line_max + 1 bytes */
	size_t line_max;
	int64_t line_no;	/* number of the next line to read, from 1 */
	int64_t seen_end;	/* bytes read at least once: bad lines before it are counted already */
	int64_t prev_t;		/* time of the previous good record, for bare lines */

	struct record ahead;
	bool have_ahead, eof, end_sent, ended;

	int64_t *offs;		/* byte offset of each good snapshot line, ascending */
	struct checkpoint *cps;	/* for offs[0], offs[REPLAY_CHECKPOINT], ... */
	size_t nidx, capidx;
	int64_t skip_to;	/* after a step back: records before this offset are re-read silently */
	size_t cur;		/* index position of the last emitted snapshot */
	int64_t cur_line;
	bool have_cur;
	enum breaker_state known_state;	/* last known breaker state emitted */
	int64_t last_emitted_t;

	double speed;
	bool paused, anchored;
	int64_t anchor_mono, anchor_rec, last_mono;

	enum ff_mode ff;
	bool end_pending;	/* FF_END: ahead holds the last snapshot read so far */
	int ff_count;		/* FF_ONE: snapshots still to emit at once */
	enum breaker_state ff_state;
	int pass_lines, pass_snaps;

	int64_t skipped;
	int reported;
};

/* Position of the index entry at byte offset off, or nidx if there is none. */
static size_t index_find(const struct replay *r, int64_t off)
{
	size_t lo = 0, hi = r->nidx;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->offs[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nidx && r->offs[lo] == off ? lo : r->nidx;
}

/*
 * Remember a good snapshot line. A checkpoint line read again after a seek
 * keeps the time it was first given; the lines after it get theirs again
 * by being read in order from it.
 */
static void index_note(struct replay *r, struct record *rec)
{
	size_t at;

	if (r->nidx > 0 && rec->off <= r->offs[r->nidx - 1]) {
		at = index_find(r, rec->off);
		if (at < r->nidx && at % REPLAY_CHECKPOINT == 0)
			rec->t = r->cps[at / REPLAY_CHECKPOINT].t;
		return;
	}
	if (r->nidx == r->capidx) {
		r->capidx = r->capidx ? r->capidx * 2 : 1024;
		r->offs = xrealloc(r->offs, r->capidx * sizeof(*r->offs));
		r->cps = xrealloc(r->cps, (r->capidx / REPLAY_CHECKPOINT + 1) * sizeof(*r->cps));
	}
	if (r->nidx % REPLAY_CHECKPOINT == 0)
		r->cps[r->nidx / REPLAY_CHECKPOINT] = (struct checkpoint){ .line = rec->line, .t = rec->t };
	r->offs[r->nidx++] = rec->off;
}

static int64_t replay_now(struct replay *r, int64_t mono)
{
	double elapsed, ms;

	r->last_mono = mono;
	if (!r->anchored) {
		r->anchor_mono = mono;
		r->anchored = true;
	}
	if (r->paused || r->ended || r->speed == 0)
		return r->anchor_rec;
	elapsed = mono > r->anchor_mono ? (double)(mono - r->anchor_mono) : 0;
	/* The small bias keeps next_wakeup's rounded-up time from landing a hair early. */
	ms = elapsed * r->speed + 1e-6;
	if (ms > REPLAY_T_MAX)
		ms = REPLAY_T_MAX;
	return r->anchor_rec + (int64_t)ms;
}

static void replay_anchor(struct replay *r, int64_t rec_ms, int64_t mono)
{
	r->anchor_rec = rec_ms;
	r->anchor_mono = mono;
	r->anchored = true;
}

static void event_error(struct source_event *ev, int64_t now, const char *fmt_path,
			int64_t line, const char *msg)
{
	memset(ev, 0, sizeof(*ev));
	metrics_init(&ev->snap);
	ev->kind = SOURCE_ERROR;
	ev->at_ms = ev->wall_ms = now;
	if (line > 0)
		str_printf(ev->message, sizeof(ev->message), "%s:%lld: %s", fmt_path,
			   (long long)line, msg);
	else
		str_printf(ev->message, sizeof(ev->message), "%s: %s", fmt_path, msg);
}

/*
 * Count a bad line; returns true when it should also be shown (one of the
 * first few, and not a line already counted before a seek back).
 */
static bool replay_bad_line(struct replay *r, const struct line_span *ln)
{
	if (ln->off < r->seen_end)
		return false;
	r->skipped++;
	return r->reported++ <= REPLAY_ERRORS_SHOWN;
}

static void replay_bad_message(struct replay *r, int64_t line, const char *msg,
			       int64_t now, struct source_event *ev)
{
	if (r->reported <= REPLAY_ERRORS_SHOWN) {
		event_error(ev, now, r->path, line, msg);
		return;
	}
	event_error(ev, now, r->path, line, "more bad lines; from here on they are only counted");
}

/*
 * Parse the line in r->buf into r->ahead. What ahead held is not lent any
 * more: it was handed out before this step, or never handed out at all.
 */
static int replay_parse(struct replay *r, size_t len, char *msg, size_t msglen)
{
	record_free(&r->ahead);
	/* The lean reader for the plain snapshot lines, the full one for the rest. */
	if (record_skim_line(r->buf, len, r->prev_t, &r->ahead) == 0)
		return 0;
	return record_parse_line(r->buf, len, r->prev_t, &r->ahead, msg, msglen);
}

/*
 * Read lines until a good record lands in r->ahead (FILL_RECORD), a bad line
 * should be shown (FILL_ERROR, *ev filled), the file ends (FILL_EOF) or this
 * pass has read its share of lines (FILL_BUDGET).
 */
static enum fill_result replay_fill(struct replay *r, int64_t now, struct source_event *ev)
{
	char msg[SOURCE_MSG_LEN];
	struct line_span ln;

	if (r->eof)
		return FILL_EOF;
	/* Following, what was written while we waited plays at once, as tail -f shows it. */
	if (r->follow && r->waiting)
		r->catching_up = true;
	r->waiting = false;
	while (r->pass_lines < REPLAY_PASS_LINES) {
		enum line_status st = line_reader_next(&r->rd, r->buf, r->line_max, &ln);
		int64_t line = r->line_no;
		bool fresh, show = false;

		if ((st == LINE_AGAIN || st == LINE_EOF) && r->end_pending) {
			/* End: the last snapshot read goes out now; the end (or the wait) comes next. */
			r->end_pending = false;
			r->have_ahead = true;
			return FILL_RECORD;
		}
		if (st == LINE_AGAIN) {
			r->waiting = true;
			r->catching_up = false;
			return FILL_WAIT;
		}
		if (st == LINE_EOF) {
			r->eof = true;
			return FILL_EOF;
		}
		if (st == LINE_IOERR) {
			r->eof = true;
			event_error(ev, now, r->path, 0, rstream_error(r->in));
			return FILL_ERROR;
		}
		fresh = ln.off >= r->seen_end;
		r->pass_lines++;
		r->line_no++;
		if (st == LINE_LONG) {
			show = replay_bad_line(r, &ln);
			str_printf(msg, sizeof(msg), "line longer than %zu bytes, skipped", r->line_max);
		} else if (record_line_blank(r->buf, ln.len)) {
			/* A blank line carries nothing, so it is not counted as bad. */
		} else if (replay_parse(r, ln.len, msg, sizeof(msg)) == 0) {
			r->ahead.off = ln.off;
			r->ahead.line = line;
			if (r->ahead.kind == RECORD_SNAPSHOT)
				index_note(r, &r->ahead);
			r->prev_t = r->ahead.t;
			r->have_ahead = ln.off >= r->skip_to;
			if (r->ff == FF_END && r->have_ahead) {
				/* Kept, not emitted: an event is dropped, a snapshot may be the last. */
				r->end_pending = r->ahead.kind == RECORD_SNAPSHOT;
				r->have_ahead = false;
			}
		} else {
			show = replay_bad_line(r, &ln);
			if (!ln.terminated) {
				size_t n = strlen(msg);

				str_printf(msg + n, sizeof(msg) - n, " (truncated last line)");
			}
		}
		if (fresh && ln.end > r->seen_end)
			r->seen_end = ln.end;
		if (r->have_ahead)
			return FILL_RECORD;
		if (show) {
			replay_bad_message(r, line, msg, now, ev);
			return FILL_ERROR;
		}
	}
	return FILL_BUDGET;
}

static bool replay_due(const struct replay *r, int64_t now)
{
	/* The first record starts the show, wherever the clock was guessed to start. */
	if (r->ff != FF_NONE || r->last_emitted_t == INT64_MIN || r->catching_up)
		return true;
	if (r->paused)
		return false;
	if (r->speed == 0)
		return r->ahead.kind == RECORD_EVENT || r->pass_snaps == 0;
	return r->ahead.t <= now;
}

/* Hand r->ahead out as an event and move the clock if the record was not played in time. */
static void replay_emit(struct replay *r, int64_t mono, struct source_event *ev)
{
	struct record *rec = &r->ahead;
	bool jump = r->ff != FF_NONE || r->speed == 0 || r->last_emitted_t == INT64_MIN ||
		    rec->t < r->last_emitted_t || r->catching_up;

	r->have_ahead = false;
	memset(ev, 0, sizeof(*ev));
	ev->at_ms = ev->wall_ms = rec->t;
	if (rec->kind == RECORD_EVENT) {
		metrics_init(&ev->snap);
		ev->kind = SOURCE_NOTICE;
		_Static_assert(sizeof(ev->message) >= sizeof(rec->event), "an event fits a notice");
		memcpy(ev->message, rec->event, sizeof(rec->event));
	} else {
		enum breaker_state state = rec->snap.breaker.state;

		ev->kind = SOURCE_SNAPSHOT;
		/* Lent: rec->snap is freed when the next line is parsed into it. */
		ev->snap = rec->snap;
		r->cur = index_find(r, rec->off);
		r->have_cur = r->cur < r->nidx;
		r->cur_line = rec->line;
		r->pass_snaps++;
		if (state != BREAKER_UNKNOWN)
			r->known_state = state;
		if (r->ff == FF_END ||
		    (r->ff == FF_ONE && --r->ff_count <= 0) ||
		    (r->ff == FF_TRANSITION && state != BREAKER_UNKNOWN && state != r->ff_state))
			r->ff = FF_NONE;
	}
	if (jump)
		replay_anchor(r, rec->t, mono);
	r->clock_known = true;
	r->last_emitted_t = rec->t;
}

static int replay_pass_end(struct replay *r)
{
	r->pass_lines = 0;
	r->pass_snaps = 0;
	return 0;
}

static int replay_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	struct replay *r = self;
	int64_t now = replay_now(r, mono_ms);

	if (!r->have_ahead) {
		switch (replay_fill(r, now, ev)) {
		case FILL_RECORD:
			break;
		case FILL_ERROR:
			return 1;
		case FILL_BUDGET:
		case FILL_WAIT:
			return replay_pass_end(r);
		case FILL_EOF:
			if (r->end_sent)
				return replay_pass_end(r);
			/* The clock stops at the end: the last snapshot stays as it was, not stale. */
			replay_anchor(r, now, mono_ms);
			r->end_sent = r->ended = true;
			r->ff = FF_NONE;
			memset(ev, 0, sizeof(*ev));
			metrics_init(&ev->snap);
			ev->kind = SOURCE_END;
			ev->at_ms = ev->wall_ms = now;
			return 1;
		}
	}
	if (!replay_due(r, now))
		return replay_pass_end(r);
	replay_emit(r, mono_ms, ev);
	return 1;
}

static int64_t replay_next_wakeup(void *self, int64_t mono_ms)
{
	struct replay *r = self;
	int64_t now = replay_now(r, mono_ms);
	double wait;

	if (!r->have_ahead && r->waiting)
		return rstream_poll_fd(r->in) >= 0 ? SOURCE_NO_WAKEUP : mono_ms + REPLAY_WAIT_MS;
	if (!r->have_ahead)
		return r->eof && r->end_sent ? SOURCE_NO_WAKEUP : mono_ms;
	if (r->paused && r->ff == FF_NONE && r->last_emitted_t != INT64_MIN)
		return SOURCE_NO_WAKEUP;
	if (r->speed == 0 || replay_due(r, now))
		return mono_ms;
	wait = ceil((double)(r->ahead.t - r->anchor_rec) / r->speed);
	if (wait > 1e15)
		return SOURCE_NO_WAKEUP;
	return r->anchor_mono + (int64_t)wait;
}

static int replay_position(void *self, struct source_position *out)
{
	struct replay *r = self;
	int64_t done, size;

	if (!r->have_cur)
		return -1;
	rstream_progress(r->in, &done, &size);
	out->line = r->cur_line;
	out->off = r->offs[r->cur];
	out->lines_read = r->line_no - 1;
	out->pipe = rstream_is_pipe(r->in);
	out->compressed = rstream_codec(r->in) != RSTREAM_PLAIN;
	out->size = size;
	/* A plain file knows where the snapshot on screen starts; a decoder only where it is. */
	out->done = out->compressed || out->pipe ? done : r->offs[r->cur];
	return 0;
}

static int replay_pollfds(void *self, struct pollfd *fds, int max)
{
	struct replay *r = self;
	int fd = rstream_poll_fd(r->in);

	if (!r->waiting || fd < 0 || max < 1)
		return 0;
	fds[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	return 1;
}

static int64_t replay_clock(void *self, int64_t mono_ms)
{
	return replay_now(self, mono_ms);
}

static bool replay_clock_known(void *self)
{
	const struct replay *r = self;

	return r->clock_known;
}

/*
 * Start reading again at the checkpoint at or before index entry i; the
 * lines before entry i are read again silently, so the next record handed
 * out is that snapshot. A compressed file may have to start again from
 * its first line. Returns 0, or -1 when the stream no longer has the
 * checkpoint (a pipe keeps only its last REPLAY_RING bytes).
 */
static int replay_reposition(struct replay *r, size_t i)
{
	size_t c = i - i % REPLAY_CHECKPOINT;
	int rc = line_reader_seek(&r->rd, r->offs[c]);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		r->line_no = 1;
		r->prev_t = 0;
	} else {
		r->line_no = r->cps[c / REPLAY_CHECKPOINT].line;
	}
	r->skip_to = r->offs[i];
	r->have_ahead = r->eof = r->end_sent = r->ended = r->waiting = false;
	return 0;
}

static int replay_seek(void *self, enum source_seek where)
{
	struct replay *r = self;

	if (where == SOURCE_SEEK_START) {
		if (r->nidx == 0 || replay_reposition(r, 0) != 0)
			return -1;
		r->cur = 0;
		r->end_pending = false;
		r->ff = FF_ONE;
		r->ff_count = 1;
		return 0;
	}
	if (where == SOURCE_SEEK_BACK) {
		if (!r->have_cur || r->cur == 0 || replay_reposition(r, r->cur - 1) != 0)
			return -1;
		r->end_pending = false;
		/* cur moves now, so two presses before the next step go back two. */
		r->cur--;
		r->ff = FF_ONE;
		r->ff_count = 1;
		return 0;
	}
	/* Nothing read ahead and nothing left to read: at the end (SOURCE_END comes or came). */
	if (r->eof && !r->have_ahead)
		return -1;
	if (where == SOURCE_SEEK_END) {
		if (r->have_ahead && r->ahead.kind == RECORD_SNAPSHOT)
			r->end_pending = true;
		r->have_ahead = false;
		r->ff = FF_END;
	} else if (where == SOURCE_SEEK_FORWARD) {
		r->ff_count = r->ff == FF_ONE ? r->ff_count + 1 : 1;
		r->ff = FF_ONE;
	} else {
		r->ff = FF_TRANSITION;
		r->ff_state = r->known_state;
	}
	return 0;
}

/* Freeze the clock at mono; it restarts from there at the next call with a time. */
static void replay_hold(struct replay *r, int64_t mono)
{
	if (r->anchored)
		r->anchor_rec = replay_now(r, mono);
	r->anchored = false;
}

static void replay_set_paused(void *self, bool paused, int64_t mono_ms)
{
	struct replay *r = self;

	if (r->paused == paused)
		return;
	replay_hold(r, mono_ms);
	r->paused = paused;
}

static void replay_set_speed(void *self, double speed, int64_t mono_ms)
{
	struct replay *r = self;

	if (!source_speed_ok(speed) || speed == r->speed)
		return;
	replay_hold(r, mono_ms);
	r->speed = speed;
}

static void replay_describe(void *self, char *buf, size_t len)
{
	struct replay *r = self;
	char speed[32], line[40] = "", skipped[40] = "";

	/* Short, so it fits the header at 80 columns: "replay: rec.jsonl:52 x4 skip 3 end". */
	format_speed(speed, sizeof(speed), r->speed);
	if (r->have_cur)
		str_printf(line, sizeof(line), ":%lld", (long long)r->cur_line);
	if (r->skipped > 0)
		str_printf(skipped, sizeof(skipped), " skip %lld", (long long)r->skipped);
	str_printf(buf, len, "replay: %s%s %s%s%s", r->name, line, speed, skipped,
		   r->ended ? " end" : "");
}

static void replay_destroy(void *self)
{
	struct replay *r = self;

	if (r == NULL)
		return;
	line_reader_free(&r->rd);
	rstream_close(r->in);
	record_free(&r->ahead);
	free(r->buf);
	free(r->offs);
	free(r->cps);
	free(r);
}

static const struct source_ops replay_ops = {
	.name = "replay",
	.describe = replay_describe,
	.pollfds = replay_pollfds,
	.position = replay_position,
	.next_wakeup = replay_next_wakeup,
	.step = replay_step,
	.clock = replay_clock,
	.clock_known = replay_clock_known,
	.set_paused = replay_set_paused,
	.destroy = replay_destroy,
	.seek = replay_seek,
	.set_speed = replay_set_speed,
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Read the first lines to find where the clock starts and how often the
 * recording took snapshots (the median gap, robust to one pause), then
 * rewind. Bad lines are left for the real pass to report.
 */
static int64_t replay_prescan(struct replay *r)
{
	int64_t times[REPLAY_PRESCAN_SNAPS], gaps[REPLAY_PRESCAN_SNAPS];
	int nt = 0, ng = 0, lines = 0;
	int64_t prev_t = 0, interval = 1000;
	bool have_first = false;
	char msg[SOURCE_MSG_LEN];
	struct record rec;
	struct line_span ln;

	/* Only what is there now, and (for a pipe) only what stays in its ring. */
	while (nt < REPLAY_PRESCAN_SNAPS && lines++ < REPLAY_PRESCAN_LINES &&
	       rstream_tell(r->in) < (int64_t)r->ring / 2) {
		enum line_status st = line_reader_next(&r->rd, r->buf, r->line_max, &ln);

		if (st == LINE_EOF || st == LINE_IOERR || st == LINE_AGAIN)
			break;
		if (st != LINE_OK ||
		    record_parse_line(r->buf, ln.len, prev_t, &rec, msg, sizeof(msg)) != 0)
			continue;
		prev_t = rec.t;
		record_free(&rec);
		if (!have_first) {
			r->anchor_rec = rec.t;
			r->clock_known = have_first = true;
		}
		if (rec.kind == RECORD_SNAPSHOT)
			times[nt++] = rec.t;
	}
	for (int i = 1; i < nt; i++)
		if (times[i] > times[i - 1])
			gaps[ng++] = times[i] - times[i - 1];
	if (ng > 0) {
		qsort(gaps, (size_t)ng, sizeof(gaps[0]), cmp_i64);
		interval = gaps[ng / 2];
	}
	(void)line_reader_seek(&r->rd, 0);
	return interval;
}

struct source *source_replay_new(const struct replay_options *o, char *err, size_t errlen)
{
	struct replay *r;
	const char *slash;
	int64_t interval;
	struct rstream *in;
	struct rstream_options so = { .ring_bytes = o->ring_bytes > 0 ? o->ring_bytes : REPLAY_RING,
				      .follow = o->follow };

	if (o->path == NULL || o->path[0] == '\0') {
		str_printf(err, errlen, "replay: no recording given");
		return NULL;
	}
	if (!source_speed_ok(o->speed)) {
		str_printf(err, errlen, "--speed: expected a number from %g to %.0f, or 0 (as fast as possible)",
			   SOURCE_SPEED_MIN, SOURCE_SPEED_MAX);
		return NULL;
	}
	in = rstream_open(o->path, &so, err, errlen);
	if (in == NULL)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	r->in = in;
	r->ring = so.ring_bytes;
	/* Kept only for messages and the header, so it passes the funnel once, here. */
	sanitize_copy(r->path, sizeof(r->path), strcmp(o->path, "-") == 0 ? "stdin" : o->path, 0);
	slash = strrchr(r->path, '/');
	r->name = slash != NULL && slash[1] != '\0' ? slash + 1 : r->path;
	r->follow = r->catching_up = o->follow;
	line_reader_init(&r->rd, in);
	r->rd.follow = o->follow;
	r->line_max = o->line_max > 0 && o->line_max < RECORD_LINE_MAX ? o->line_max : RECORD_LINE_MAX;
	r->buf = xmalloc(r->line_max + 1);
	r->speed = o->speed;
	r->line_no = 1;
	r->last_emitted_t = INT64_MIN;
	interval = replay_prescan(r);
	return source_new(&replay_ops, r, interval);
}
