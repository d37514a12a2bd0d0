/*
 * The "tail" source: access logs (nginx, Envoy, HAProxy, JSON lines) read
 * as they grow (follow.h), each line taken apart by its format
 * (formats/accesslog.h) and counted into trackers per row (tally.h).
 *
 * Clock. Rates and windows run on the log's own timestamps, so an old log
 * read whole (--once) gives the rates it had when it was written. The
 * source's clock is the newest timestamp read; once every file has been
 * read to its end, it also runs on with the monotonic clock, so the rates
 * of a router that went quiet fall instead of freezing. A format without
 * timestamps runs on the wall clock while following, and has no rates with
 * --once.
 *
 * Work per step is bounded (TAIL_STEP_LINES), so a backlog of millions of
 * lines never stalls the loop: next_wakeup() says "now" until it is read.
 *
 * Bad lines are counted (the header says how many and where the first
 * was) and never stop the source. While following, every snapshot after
 * one carries a warning with the count and the newest bad line, located,
 * quoted and sanitised ("3 bad lines, last: access.log:17: ..."), so it
 * stays on the screen until a newer one replaces it; each snapshot
 * interval that brought new ones also adds a "badlines" notice to the event
 * log. With --once the first is reported only when no line at all was
 * good, which makes the evaluation UNKNOWN.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/accesslog.h"
#include "record/stream.h"
#include "sanitize.h"
#include "sim/tracker.h"
#include "source/follow.h"
#include "source/source.h"
#include "source/tally.h"
#include "util.h"

#define TAIL_STEP_LINES 20000
#define TAIL_PENDING 4
#define QUOTE_MAX 160
#define NOTICE_TEXT 200
_Static_assert(2 * NOTICE_TEXT + 64 < SOURCE_MSG_LEN, "a badlines notice fits a message");
#define PEEK_BYTES 65536
#define PEEK_LINES 100

/* Tried in this order on the first lines when no --log-format is given. */
static const char *const auto_order[] = { "nginx-timed", "combined", "envoy", "haproxy", "json" };
#define AUTO_COUNT (sizeof(auto_order) / sizeof(auto_order[0]))

struct tail {
	struct tail_options o;
	enum alog_by by;
	enum alog_latency latency;
	struct alog_format *fmt;	/* NULL until the first line picks one of cand[] */
	struct alog_format *cand[AUTO_COUNT];
	char fmt_name[32];
	struct follow *files[TAIL_MAX_FILES];
	bool done[TAIL_MAX_FILES];
	int nfiles, ndone;
	struct tally *tally;
	bool timed;			/* the format has timestamps */
	bool clock_set;
	int64_t clock_us;		/* the log's clock */
	int64_t first_us;		/* the earliest timestamp read, once clock_set */
	int64_t clock_mono;		/* monotonic time of the last step */
	bool caught_up;
	bool read_any;			/* the last step read a line */
	int64_t interval_ms, next_emit_ms;
	uint64_t lines, good, bad;
	char first_bad[SOURCE_MSG_LEN];
	char first_bad_at[80];		/* "access.log:17" when the line's number is known */
	char last_bad[SOURCE_MSG_LEN];	/* the newest bad line, located and quoted like first_bad */
	uint64_t bad_noticed;		/* bad lines when the last "badlines" notice went out */
	bool notice_due;		/* a snapshot went out with new bad lines: its notice follows */
	char pending[TAIL_PENDING][SOURCE_MSG_LEN];
	int npending;
	bool final_sent, end_sent;
	struct metrics_snapshot snap;	/* lent to the consumer until the next step */
	struct alog_record rec;
};

static void queue_error(struct tail *t, const char *msg)
{
	if (t->npending < TAIL_PENDING)
		str_printf(t->pending[t->npending++], SOURCE_MSG_LEN, "%s", msg);
}

/* A path's last component: the header has no room for directories. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/*
 * A bad line: counted; the first is kept for the header and --once, the
 * newest for the warning that following snapshots carry.
 */
static void tail_bad(struct tail *t, struct follow *f, int64_t line_no, const char *why, size_t col,
		     const char *line, size_t len)
{
	char quoted[QUOTE_MAX + 1], where[32] = "";

	t->bad++;
	if (t->o.once && t->first_bad[0] != '\0')
		return;		/* --once reports only the first */
	sanitize_copy_n(quoted, sizeof(quoted), line, len < QUOTE_MAX ? len : QUOTE_MAX, 0);
	if (line_no > 0)
		str_printf(where, sizeof(where), ":%" PRId64, line_no);
	str_printf(t->last_bad, sizeof(t->last_bad), "%s%s: %s%s%s%s (column %zu): \"%s%s\"",
		   follow_name(f), where, t->fmt != NULL ? "not " : "", t->fmt != NULL ? t->fmt_name : "",
		   t->fmt != NULL ? ": " : "", why, col + 1, quoted, len > QUOTE_MAX ? "..." : "");
	if (t->first_bad[0] != '\0')
		return;
	if (line_no > 0)
		str_printf(t->first_bad_at, sizeof(t->first_bad_at), "%s:%" PRId64,
			   base_name(follow_name(f)), line_no);
	str_printf(t->first_bad, sizeof(t->first_bad), "%s", t->last_bad);
}

/* "3 bad lines, last: access.log:17: not nginx-timed: ...": what a following snapshot warns of. */
static void tail_bad_warning(const struct tail *t, char *buf, size_t len)
{
	str_printf(buf, len, "%" PRIu64 " bad line%s, last: %s", t->bad, t->bad == 1 ? "" : "s", t->last_bad);
	sanitize_in_place(buf, 0);	/* a cut may have split a character */
}

/* The tally, once the format (and so whether it has latencies) is known. */
static void tail_start_tally(struct tail *t)
{
	bool no_latency = t->latency == ALOG_LATENCY_UPSTREAM ? !alog_has_upstream_time(t->fmt)
							       : !alog_has_request_time(t->fmt);
	struct tally_options to = { .window = t->o.window, .window_us = t->o.window_ms * 1000,
				    .no_latency = no_latency };

	t->timed = alog_has_time(t->fmt);
	t->tally = tally_new(&to);
	if (t->tally == NULL)
		fatal("tail: tracker window out of range");	/* checked by source_tail_new */
}

/* No --log-format: the first built-in format that takes this line is the log's. */
static int tail_detect(struct tail *t, const char *line, size_t len)
{
	for (size_t i = 0; i < AUTO_COUNT; i++) {
		const char *why;
		size_t col;

		if (t->cand[i] == NULL || alog_parse(t->cand[i], line, len, &t->rec, &why, &col) < 0)
			continue;
		t->fmt = t->cand[i];
		t->cand[i] = NULL;
		str_printf(t->fmt_name, sizeof(t->fmt_name), "%s", auto_order[i]);
		tail_start_tally(t);
		for (size_t j = 0; j < AUTO_COUNT; j++) {
			alog_free(t->cand[j]);
			t->cand[j] = NULL;
		}
		return 0;
	}
	return -1;
}

static void tail_line(struct tail *t, struct follow *f, const char *line, size_t len, bool too_long,
		      int64_t line_no)
{
	char key[METRICS_NAME_LEN];
	const char *why;
	size_t col = 0, klen;
	int64_t at;

	if (len == 0 || (len == 1 && line[0] == '\r'))
		return;		/* a blank line carries nothing */
	t->lines++;
	if (too_long) {
		tail_bad(t, f, line_no, "line longer than 64 KiB", 0, line, len);
		return;
	}
	if (t->fmt == NULL && tail_detect(t, line, len) < 0) {
		tail_bad(t, f, line_no, "none of the built-in formats (nginx-timed, combined, envoy, "
			 "haproxy, json) takes it", 0, line, len);
		return;
	}
	if (alog_parse(t->fmt, line, len, &t->rec, &why, &col) < 0) {
		tail_bad(t, f, line_no, why, col, line, len);
		return;
	}
	t->good++;
	at = t->rec.time_us;
	if (at == ALOG_NO_TIME || !t->timed) {
		at = t->clock_us;
	} else if (!t->clock_set || at > t->clock_us) {
		if (!t->clock_set)
			t->first_us = at;
		t->clock_us = at;
		t->clock_set = true;
	}
	if (t->timed && at < t->first_us)
		t->first_us = at;	/* a log's lines are a little out of order (written as requests end) */
	klen = alog_row_key(&t->rec, t->by, key, sizeof(key));
	tally_add(t->tally, key, klen, at, alog_latency_us(&t->rec, t->latency), alog_outcome(&t->rec));
}

/* One file's share of this step's lines. Returns true when it has more to give now. */
static bool tail_read_file(struct tail *t, int i, int64_t mono_ms, int quota)
{
	struct follow *f = t->files[i];

	for (int n = 0; n < quota; n++) {
		const char *line;
		size_t len;
		bool too_long;
		int64_t line_no;

		switch (follow_next_line(f, mono_ms, &line, &len, &too_long, &line_no)) {
		case FOLLOW_LINE:
			tail_line(t, f, line, len, too_long, line_no);
			break;
		case FOLLOW_AGAIN:
			return false;
		case FOLLOW_ERROR:
			/* A file that failed is over, like one that ended. */
			queue_error(t, follow_error(f));
			/* fall through */
		case FOLLOW_END:
			t->done[i] = true;
			t->ndone++;
			return false;
		}
	}
	return true;
}

static void tail_read(struct tail *t, int64_t mono_ms)
{
	int active = t->nfiles - t->ndone;
	bool more = false;
	uint64_t before = t->lines;

	t->read_any = false;
	if (active == 0)
		return;
	for (int i = 0; i < t->nfiles; i++)
		if (!t->done[i] && tail_read_file(t, i, mono_ms, TAIL_STEP_LINES / active))
			more = true;
	t->caught_up = !more;
	t->read_any = t->lines != before;
}

/*
 * Move the clock: on with the monotonic clock while caught up and quiet (a
 * step that read lines has its time from them), or with the wall clock for
 * a log without timestamps.
 */
static void tail_tick(struct tail *t, int64_t mono_ms)
{
	if (t->fmt != NULL && !t->timed && !t->o.once) {
		t->clock_us = clock_wall_ms() * 1000;
		t->clock_set = true;
	} else if (t->clock_set && t->caught_up && !t->read_any && !t->o.once && mono_ms > t->clock_mono) {
		t->clock_us += (mono_ms - t->clock_mono) * 1000;
	}
	t->clock_mono = mono_ms;
}

/*
 * Before the first timestamp: the wall clock while following (a live log's
 * times are near it); 0 with --once, where the log may be of any day and
 * its start could not be peeked at (standard input).
 */
static int64_t tail_now_us(const struct tail *t)
{
	if (t->clock_set)
		return t->clock_us;
	return t->o.once ? 0 : clock_wall_ms() * 1000;
}

static int tail_snapshot(struct tail *t, struct source_event *ev)
{
	int64_t now = tail_now_us(t);

	if (t->tally != NULL)
		tally_snapshot(t->tally, now, t->timed || !t->o.once, &t->snap);
	else
		metrics_clear(&t->snap);	/* no line read yet */
	ev->kind = SOURCE_SNAPSHOT;
	ev->at_ms = now / 1000;
	ev->wall_ms = now / 1000;
	ev->snap = t->snap;
	ev->message[0] = '\0';
	if (!t->o.once && t->bad > 0) {
		tail_bad_warning(t, ev->message, sizeof(ev->message));
		t->notice_due = t->bad != t->bad_noticed;
	}
	return 1;
}

static int tail_event(struct source_event *ev, enum source_event_kind kind, int64_t at_ms, const char *msg)
{
	ev->kind = kind;
	ev->at_ms = at_ms;
	ev->wall_ms = at_ms;
	metrics_init(&ev->snap);
	str_printf(ev->message, sizeof(ev->message), "%s", msg);
	return 1;
}

static int tail_pending(struct tail *t, struct source_event *ev)
{
	char msg[SOURCE_MSG_LEN];

	str_printf(msg, sizeof(msg), "%s", t->pending[0]);
	memmove(t->pending[0], t->pending[1], (size_t)(t->npending - 1) * SOURCE_MSG_LEN);
	t->npending--;
	return tail_event(ev, SOURCE_ERROR, tail_now_us(t) / 1000, msg);
}

/*
 * The event log's line for the bad lines of the last interval:
 * {"type":"badlines","count":N,"text":"N bad lines, last: ..."}. The text
 * is cut to NOTICE_TEXT bytes: sanitised, it has no control characters, so
 * even if every byte needed an escape the JSON would fit a message.
 */
static int tail_bad_notice(struct tail *t, struct source_event *ev)
{
	char text[NOTICE_TEXT];
	cJSON *o = cJSON_CreateObject();
	char *json;

	t->notice_due = false;
	t->bad_noticed = t->bad;
	tail_bad_warning(t, text, sizeof(text));
	if (o == NULL || cJSON_AddStringToObject(o, "type", "badlines") == NULL ||
	    cJSON_AddNumberToObject(o, "count", (double)t->bad) == NULL ||
	    cJSON_AddStringToObject(o, "text", text) == NULL || (json = cJSON_PrintUnformatted(o)) == NULL)
		fatal("out of memory");
	cJSON_Delete(o);
	tail_event(ev, SOURCE_NOTICE, tail_now_us(t) / 1000, json);
	cJSON_free(json);
	return 1;
}

/* Everything read: the evaluation (or, when no line was good, why not), then the end. */
static int tail_finish(struct tail *t, struct source_event *ev)
{
	if (!t->final_sent) {
		t->final_sent = true;
		if (t->good == 0 && t->bad > 0)
			return tail_event(ev, SOURCE_ERROR, tail_now_us(t) / 1000, t->first_bad);
		return tail_snapshot(t, ev);
	}
	t->end_sent = true;
	return tail_event(ev, SOURCE_END, tail_now_us(t) / 1000, "");
}

static int tail_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	struct tail *t = self;

	if (t->end_sent)
		return 0;
	if (t->notice_due)
		return tail_bad_notice(t, ev);
	if (t->npending > 0)
		return tail_pending(t, ev);
	tail_read(t, mono_ms);
	tail_tick(t, mono_ms);
	if (t->npending > 0)
		return tail_pending(t, ev);
	if (t->ndone == t->nfiles)
		return tail_finish(t, ev);
	if (t->o.once || mono_ms < t->next_emit_ms)
		return 0;
	t->next_emit_ms = mono_ms + t->interval_ms;
	return tail_snapshot(t, ev);
}

static int tail_pollfds(void *self, struct pollfd *fds, int max)
{
	struct tail *t = self;
	int n = 0;

	for (int i = 0; i < t->nfiles && n < max; i++) {
		int fd = t->done[i] ? -1 : follow_pollfd(t->files[i]);

		if (fd >= 0)
			fds[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
	}
	return n;
}

static int64_t tail_next_wakeup(void *self, int64_t mono_ms)
{
	struct tail *t = self;
	int64_t wake = t->o.once ? SOURCE_NO_WAKEUP : t->next_emit_ms;

	if (t->end_sent)
		return SOURCE_NO_WAKEUP;
	if (!t->caught_up || t->npending > 0 || t->ndone == t->nfiles)
		return mono_ms;
	for (int i = 0; i < t->nfiles; i++) {
		int64_t check = t->done[i] ? SOURCE_NO_WAKEUP : follow_next_check(t->files[i]);

		if (check < wake)
			wake = check;
	}
	return wake;
}

static int64_t tail_clock(void *self, int64_t mono_ms)
{
	struct tail *t = self;
	int64_t now = tail_now_us(t);

	if (t->clock_set && t->timed && t->caught_up && !t->o.once && mono_ms > t->clock_mono)
		now += (mono_ms - t->clock_mono) * 1000;
	return now / 1000;
}

/*
 * With --once the clock is the log's, which standard input cannot be peeked
 * at for: it is known only from the first line read, and the run's start
 * is the earliest line's time (so "at +" counts the log's span, as for a file).
 * A log without timestamps keeps a clock of 0.
 */
static bool tail_clock_known(void *self)
{
	const struct tail *t = self;

	return t->clock_set || !t->o.once || (t->fmt != NULL && !t->timed);	/* no format yet: not known */
}

static int64_t tail_clock_start(void *self, int64_t at_ms)
{
	const struct tail *t = self;

	return t->clock_set && t->timed ? t->first_us / 1000 : at_ms;
}

/* "1234", "12.3k", "4.5M": short enough for the header. */
static void human_count(char *buf, size_t len, uint64_t n)
{
	if (n < 10000)
		str_printf(buf, len, "%" PRIu64, n);
	else if (n < 1000000)
		str_printf(buf, len, "%.1fk", (double)n / 1e3);
	else
		str_printf(buf, len, "%.1fM", (double)n / 1e6);
}

static void tail_describe(void *self, char *buf, size_t len)
{
	struct tail *t = self;
	char more[16] = "", lines[16], bad[32] = "";
	const char *waiting = follow_present(t->files[0]) ? "" : " (waiting)";

	if (t->nfiles > 1)
		str_printf(more, sizeof(more), "+%d", t->nfiles - 1);
	human_count(lines, sizeof(lines), t->lines);
	if (t->bad > 0) {
		char n[16];

		human_count(n, sizeof(n), t->bad);
		str_printf(bad, sizeof(bad), ", %s bad", n);
	}
	/*
	 * The header cuts from the end, and the bad lines matter more than the
	 * format; where the first bad line is comes last (--once's report has
	 * room for it).
	 */
	str_printf(buf, len, "tail:%s%s%s %s lines%s (%s)%s%s", base_name(follow_name(t->files[0])),
		   more, waiting, lines, bad, t->fmt != NULL ? t->fmt_name : "auto",
		   t->first_bad_at[0] != '\0' ? ", first bad at " : "", t->first_bad_at);
}

static void tail_set_interval(void *self, int64_t interval_ms)
{
	struct tail *t = self;

	t->next_emit_ms += (interval_ms < 1 ? 1 : interval_ms) - t->interval_ms;
	t->interval_ms = interval_ms < 1 ? 1 : interval_ms;
}

static void tail_destroy(void *self)
{
	struct tail *t = self;

	for (int i = 0; i < t->nfiles; i++)
		follow_close(t->files[i]);
	for (size_t i = 0; i < AUTO_COUNT; i++)
		alog_free(t->cand[i]);
	alog_free(t->fmt);
	tally_free(t->tally);
	metrics_free(&t->snap);
	free(t);
}

/* What a row is: what the lines are grouped by (--by). */
static const char *tail_row_noun(void *self)
{
	switch (((struct tail *)self)->by) {
	case ALOG_BY_UPSTREAM: return "upstream";
	case ALOG_BY_HOST: return "host";
	case ALOG_BY_PATH: return "path";
	case ALOG_BY_STATUS: return "status";
	case ALOG_BY_GROUP: break;
	}
	return "group";
}

static const struct source_ops tail_ops = {
	.name = "tail",
	.describe = tail_describe,
	.pollfds = tail_pollfds,
	.next_wakeup = tail_next_wakeup,
	.step = tail_step,
	.clock = tail_clock,
	.clock_known = tail_clock_known,
	.clock_start = tail_clock_start,
	.set_interval = tail_set_interval,
	.destroy = tail_destroy,
	.row_noun = tail_row_noun,
};

/* The format: the one given, or every built-in one to try on the first line. */
static int tail_formats(struct tail *t, const char *group, char *err, size_t errlen)
{
	bool any = false;

	if (t->o.format != NULL) {
		t->fmt = alog_compile(t->o.format, group, err, errlen);
		if (t->fmt == NULL)
			return -1;
		str_printf(t->fmt_name, sizeof(t->fmt_name), "custom");
		for (int i = 0; alog_builtin_names[i] != NULL; i++)
			if (strcmp(t->o.format, alog_builtin_names[i]) == 0)
				str_printf(t->fmt_name, sizeof(t->fmt_name), "%s", alog_builtin_names[i]);
		tail_start_tally(t);
		return 0;
	}
	for (size_t i = 0; i < AUTO_COUNT; i++) {
		t->cand[i] = alog_compile(auto_order[i], group, NULL, 0);
		any = any || t->cand[i] != NULL;
	}
	if (!any) {
		str_printf(err, errlen, "tail: no built-in format has a field '%s' to group by; "
			   "give --log-format", group);
		return -1;
	}
	return 0;
}

/*
 * Reading a file from its start (--once, --from-start), the clock starts at
 * its first timestamp rather than at the wall clock, so times count from
 * the log's beginning. A peek at the first lines (gzip or not), no more.
 */
static void tail_peek_clock(struct tail *t)
{
	struct rstream_options ro = { 0 };
	struct rstream *rs;
	struct stat st;
	char *buf, err[RSTREAM_ERR_LEN];
	int n = 0;

	/* Only a regular file: a peek at a FIFO would wait for its writer and take its lines. */
	if (strcmp(t->o.paths[0], "-") == 0 || stat(t->o.paths[0], &st) != 0 || !S_ISREG(st.st_mode))
		return;
	rs = rstream_open(t->o.paths[0], &ro, err, sizeof(err));	/* plain, gzip or zstd */
	if (rs == NULL)
		return;		/* follow_open says what is wrong with it */
	buf = xmalloc(PEEK_BYTES);
	while (n < PEEK_BYTES) {
		ssize_t got = rstream_read(rs, buf + n, (size_t)(PEEK_BYTES - n));

		if (got <= 0)
			break;
		n += (int)got;
	}
	rstream_close(rs);
	for (int off = 0, lines = 0; n > 0 && off < n && lines < PEEK_LINES && !t->clock_set; lines++) {
		char *nl = memchr(buf + off, '\n', (size_t)(n - off));
		size_t len = nl != NULL ? (size_t)(nl - (buf + off)) : (size_t)(n - off);

		for (size_t i = 0; i < AUTO_COUNT + 1 && !t->clock_set; i++) {
			struct alog_format *f = i == 0 ? t->fmt : t->cand[i - 1];
			const char *why;
			size_t col;

			if (f != NULL && alog_parse(f, buf + off, len, &t->rec, &why, &col) == 0 &&
			    t->rec.time_us != ALOG_NO_TIME) {
				t->clock_us = t->first_us = t->rec.time_us;
				t->clock_set = true;
			}
		}
		off += (int)len + 1;
	}
	free(buf);
}

struct source *source_tail_new(const struct tail_options *o, char *err, size_t errlen)
{
	struct tail *t;
	const char *group = NULL;
	struct follow_options fo = { .from_start = o->from_start, .once = o->once };

	if (o->npaths < 1 || o->npaths > TAIL_MAX_FILES) {
		str_printf(err, errlen, "tail: give 1 to %d files (- for standard input)", TAIL_MAX_FILES);
		return NULL;
	}
	if (o->window > TRACKER_MAX_WINDOW || o->window_ms < 0) {
		str_printf(err, errlen, "tail: a window holds 1 to %d requests", TRACKER_MAX_WINDOW);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->o = *o;
	metrics_init(&t->snap);
	t->latency = o->latency_upstream ? ALOG_LATENCY_UPSTREAM : ALOG_LATENCY_REQUEST;
	t->by = ALOG_BY_UPSTREAM;
	if (o->by != NULL && alog_by_parse(o->by, &t->by) < 0) {
		t->by = ALOG_BY_GROUP;
		group = o->by;
	}
	t->interval_ms = o->interval_ms > 0 ? o->interval_ms : 1000;
	if (tail_formats(t, group, err, errlen) < 0)
		goto fail;
	for (int i = 0; i < o->npaths; i++) {
		t->files[i] = follow_open(o->paths[i], &fo, err, errlen);
		if (t->files[i] == NULL)
			goto fail;
		t->nfiles++;
	}
	if (o->once || o->from_start)
		tail_peek_clock(t);
	return source_new(&tail_ops, t, t->interval_ms);
fail:
	tail_destroy(t);
	return NULL;
}
