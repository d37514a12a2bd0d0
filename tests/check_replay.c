/*
 * Check suite for the replay source. Each test writes a recording to a
 * temporary file, opens it with source_replay_new and drives it through the
 * source_* wrappers with monotonic times advanced by hand.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <zlib.h>
#include <zstd.h>

#include "check_run.h"
#include "record/reader.h"
#include "record/writer.h"
#include "source/source.h"
#include "util.h"

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define T0 INT64_C(1764064800000) /* 2025-11-25 10:00:00 UTC */
#define MAX_EVENTS 64
/* The index keeps a checkpoint every 64 snapshots (REPLAY_CHECKPOINT); tests cross several. */
#define REPLAY_CHECKPOINT_GUESS 64

struct rec {
	char path[64];
	FILE *fp;
};

struct evlog {
	int n;
	struct source_event ev[MAX_EVENTS];
};

static void rec_begin(struct rec *r)
{
	int fd;
	const char *dir = getenv("TMPDIR");

	str_printf(r->path, sizeof(r->path), "%s/check_replay.XXXXXX",
		   dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
	fd = mkstemp(r->path);
	ck_assert_int_ge(fd, 0);
	r->fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(r->fp);
}

static void rec_raw(struct rec *r, const char *text)
{
	fputs(text, r->fp);
}

static void snap_json(char *buf, size_t len, const char *state, double p95)
{
	str_printf(buf, len,
		   "{\"latency\":{\"p50\":10,\"p95\":%g,\"p99\":300,\"count\":5},"
		   "\"throughput\":{\"requestsPerSecond\":150},"
		   "\"errorRates\":{\"circuitBreakerTrips\":0,\"rateLimitViolations\":0,"
		   "\"timeouts\":0,\"failures\":0},"
		   "\"circuitBreakerStatus\":{\"state\":\"%s\",\"isHealthy\":true}}",
		   p95, state);
}

/* A recorder line; p95 tags the snapshot so tests can tell which one came out. */
static void rec_snap(struct rec *r, int64_t t, const char *state, double p95)
{
	char snap[512];

	snap_json(snap, sizeof(snap), state, p95);
	fprintf(r->fp, "{\"t\": %lld, \"source\": \"sim\", \"metrics\": %s}\n", (long long)t, snap);
}

static void rec_bare(struct rec *r, const char *state, double p95)
{
	char snap[512];

	snap_json(snap, sizeof(snap), state, p95);
	fprintf(r->fp, "%s\n", snap);
}

static struct source *rec_open(struct rec *r, double speed)
{
	struct replay_options o = { .path = r->path, .speed = speed };
	char err[256] = "";
	struct source *src;

	ck_assert_int_eq(fclose(r->fp), 0);
	r->fp = NULL;
	src = source_replay_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "open failed: %s", err);
	return src;
}

/* The same with a ring of ring bytes for a compressed recording. */
static struct source *rec_open_ring(struct rec *r, double speed, size_t ring)
{
	struct replay_options o = { .path = r->path, .speed = speed, .ring_bytes = ring };
	char err[256] = "";
	struct source *src;

	ck_assert_int_eq(fclose(r->fp), 0);
	r->fp = NULL;
	src = source_replay_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "open failed: %s", err);
	return src;
}

static void rec_done(struct rec *r, struct source *src)
{
	source_free(src);
	unlink(r->path);
}

/* One pass of the loop: step until nothing is pending. Returns how many events came. */
static int pass(struct source *src, int64_t mono, struct evlog *log)
{
	int got = 0;
	struct source_event ev;

	while (source_step(src, mono, &ev) == 1) {
		ck_assert_int_lt(got, 100000);
		if (log->n < MAX_EVENTS)
			log->ev[log->n++] = ev;
		got++;
	}
	return got;
}

/* A recording line whose snapshot has rows a and b, b's breaker in state. */
static void rec_rows(struct rec *r, int64_t t, const char *state, double p95)
{
	char snap[512];

	snap_json(snap, sizeof(snap), "closed", p95);
	snap[strlen(snap) - 1] = '\0';
	fprintf(r->fp, "{\"t\": %lld, \"metrics\": %s,\"upstreams\":[{\"name\":\"a\","
		"\"latency\":{\"p95\":%g}},{\"name\":\"b\",\"circuitBreakerStatus\":"
		"{\"state\":\"%s\"}}]}}\n", (long long)t, snap, p95, state);
}

static struct evlog *log_new(void)
{
	return xcalloc(1, sizeof(struct evlog));
}

static int64_t wakeup(struct source *src, int64_t mono)
{
	return src->ops->next_wakeup(src->self, mono);
}

static void assert_snap(const struct source_event *ev, int64_t at, double p95)
{
	ck_assert_int_eq(ev->kind, SOURCE_SNAPSHOT);
	ck_assert_int_eq(ev->at_ms, at);
	ck_assert_double_eq(ev->snap.latency.p95, p95);
}

START_TEST(test_speed_zero_one_snapshot_per_pass)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_snap(&r, T0 + 60000, "closed", 2);
	rec_snap(&r, T0 + 3600000, "open", 3);
	src = rec_open(&r, 0);
	for (int i = 0; i < 3; i++) {
		int64_t want[] = { T0, T0 + 60000, T0 + 3600000 };

		ck_assert_int_eq(wakeup(src, 100), 100);
		/* The end is found in the same pass as the last snapshot. */
		ck_assert_int_eq(pass(src, 100, log), i < 2 ? 1 : 2);
		assert_snap(&log->ev[i], want[i], i + 1);
		ck_assert_int_eq(source_clock(src, 100), want[i]);
	}
	ck_assert_int_eq(log->ev[3].kind, SOURCE_END);
	ck_assert_int_eq(pass(src, 100, log), 0);
	ck_assert_int_eq(wakeup(src, 100), SOURCE_NO_WAKEUP);
	free(log);
	rec_done(&r, src);
}
END_TEST

/* Gaps of 1 s and 2.5 s in the recording, played at several speeds. */
static const double speeds[] = { 1, 2, 0.5, 4 };

START_TEST(test_timed_playback)
{
	double speed = speeds[_i];
	int64_t m0 = 5000, due1 = m0 + (int64_t)(1000 / speed),
		due2 = due1 + (int64_t)(2500 / speed);
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_snap(&r, T0 + 1000, "closed", 2);
	rec_snap(&r, T0 + 3500, "closed", 3);
	src = rec_open(&r, speed);
	ck_assert_int_eq(pass(src, m0, log), 1);
	assert_snap(&log->ev[0], T0, 1);
	ck_assert_int_eq(source_clock(src, m0), T0);
	ck_assert_int_eq(wakeup(src, m0), due1);
	ck_assert_int_eq(pass(src, due1 - 1, log), 0);
	ck_assert_int_eq(source_clock(src, due1 - 1), T0 + 1000 - (int64_t)ceil(speed));
	ck_assert_int_eq(pass(src, due1, log), 1);
	assert_snap(&log->ev[1], T0 + 1000, 2);
	ck_assert_int_eq(wakeup(src, due1), due2);
	/* A late loop gets the due snapshot, not a burst of what is not due yet. */
	ck_assert_int_eq(pass(src, due2 + 10, log), 2);
	assert_snap(&log->ev[2], T0 + 3500, 3);
	ck_assert_int_eq(log->ev[3].kind, SOURCE_END);
	/* At the end the clock stops, so the last snapshot does not go stale. */
	ck_assert_int_eq(source_clock(src, due2 + 100000), source_clock(src, due2 + 10));
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_interval_is_median_gap)
{
	static const struct {
		int n;
		int64_t gaps[8];
		int64_t want;
	} cases[] = {
		{ 0, { 0 }, 1000 },
		{ 1, { 2000 }, 2000 },
		{ 4, { 5000, 5000, 60000, 5000 }, 5000 },
		{ 3, { 250, 250, 250 }, 250 },
	};
	struct rec r;
	struct source *src;
	int64_t t = T0;

	for (int c = 0; c < N_ELEMS(cases); c++) {
		rec_begin(&r);
		rec_snap(&r, t, "closed", 0);
		for (int i = 0; i < cases[c].n; i++) {
			t += cases[c].gaps[i];
			rec_snap(&r, t, "closed", 0);
		}
		src = rec_open(&r, 1);
		ck_assert_msg(src->interval_ms == cases[c].want, "case %d: interval %lld", c,
			      (long long)src->interval_ms);
		rec_done(&r, src);
	}
}
END_TEST

/* Each bad line, the message it must produce, located at line 2. */
static const struct {
	const char *line;
	const char *message;
} bad_lines[] = {
	{ "not json at all", ":2: not JSON (column 1)" },
	{ "{\"t\": 5, \"metrics\": {", ":2: not JSON" },
	{ "[1, 2, 3]", ":2: not a JSON object" },
	{ "42", ":2: not a JSON object" },
	{ "{\"t\": 1} {\"t\": 2}", ":2: text after the JSON value (column 10)" },
	{ "{\"metrics\": {}}", ":2: t: missing" },
	{ "{\"t\": \"soon\", \"event\": {}}", ":2: t: expected ms since the epoch" },
	{ "{\"t\": -5, \"event\": {}}", ":2: t: expected ms since the epoch" },
	{ "{\"t\": 5, \"metrics\": 7}", ":2: metrics: expected object" },
	{ "{\"t\": 5, \"metrics\": {\"latency\": {}}}", ":2: metrics.throughput: missing object" },
	{ "{\"t\": 5, \"event\": \"trip\"}", ":2: event: expected object" },
	{ "{\"t\": 5, \"source\": \"sim\"}", ":2: has \"t\" but neither" },
	{ "{\"latency\": {}, \"throughput\": {}}", ":2: errorRates: missing object" },
	{ "{\"hello\": 1}", ":2: latency: missing object" },
};

START_TEST(test_bad_line_is_skipped_and_located)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	char where[128], desc[256];

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_raw(&r, bad_lines[_i].line);
	rec_raw(&r, "\n");
	rec_snap(&r, T0 + 1000, "closed", 2);
	src = rec_open(&r, 0);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 4);
	assert_snap(&log->ev[0], T0, 1);
	ck_assert_int_eq(log->ev[1].kind, SOURCE_ERROR);
	str_printf(where, sizeof(where), "%s%s", r.path, bad_lines[_i].message);
	ck_assert_msg(strncmp(log->ev[1].message, where, strlen(where)) == 0,
		      "line '%s' gave '%s'", bad_lines[_i].line, log->ev[1].message);
	assert_snap(&log->ev[2], T0 + 1000, 2);
	ck_assert_int_eq(log->ev[3].kind, SOURCE_END);
	source_describe(src, desc, sizeof(desc));
	ck_assert_msg(strstr(desc, " skip 1") != NULL, "describe: %s", desc);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_many_bad_lines_counted_few_shown)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	char desc[256], want[128];
	int errors = 0;

	rec_begin(&r);
	for (int i = 0; i < 2500; i++)
		rec_raw(&r, "garbage\n");
	rec_snap(&r, T0, "closed", 1);
	src = rec_open(&r, 0);
	/* A long run of bad lines is read over several passes, never in one. */
	for (int i = 0; log->n == 0 || log->ev[log->n - 1].kind != SOURCE_END; i++) {
		int before = log->n;

		ck_assert_int_lt(i, 20);
		pass(src, 0, log);
		ck_assert_int_le(log->n - before, 6);
		/* A pass cut short asks to be called again at once. */
		if (log->ev[log->n - 1].kind != SOURCE_END)
			ck_assert_int_eq(wakeup(src, 0), 0);
	}
	ck_assert_int_eq(wakeup(src, 0), SOURCE_NO_WAKEUP);
	for (int i = 0; i < log->n; i++)
		errors += log->ev[i].kind == SOURCE_ERROR;
	ck_assert_int_eq(errors, 6);
	str_printf(want, sizeof(want), "%s:5: not JSON", r.path);
	ck_assert_str_eq(log->ev[4].message, strcat(want, " (column 1)"));
	ck_assert_ptr_nonnull(strstr(log->ev[5].message, ":6: more bad lines"));
	assert_snap(&log->ev[6], T0, 1);
	source_describe(src, desc, sizeof(desc));
	ck_assert_msg(strstr(desc, " skip 2500") != NULL, "describe: %s", desc);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_blank_and_crlf_lines)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	char snap[512], line[700], desc[256];

	rec_begin(&r);
	rec_raw(&r, "\n   \n");
	snap_json(snap, sizeof(snap), "closed", 7);
	str_printf(line, sizeof(line), "{\"t\": %lld, \"metrics\": %s}\r\n", (long long)T0, snap);
	rec_raw(&r, line);
	rec_raw(&r, "\r\n");
	src = rec_open(&r, 0);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 2);
	assert_snap(&log->ev[0], T0, 7);
	ck_assert_int_eq(log->ev[1].kind, SOURCE_END);
	source_describe(src, desc, sizeof(desc));
	ck_assert_msg(strstr(desc, "skip") == NULL, "describe: %s", desc);
	ck_assert_msg(strstr(desc, ":3 ") != NULL, "describe: %s", desc);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_nul_byte_line)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	fwrite("{\"t\": 1, \"event\": {}}\0xx\n", 1, 25, r.fp);
	rec_snap(&r, T0, "closed", 1);
	src = rec_open(&r, 0);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 3);
	ck_assert_int_eq(log->ev[0].kind, SOURCE_ERROR);
	ck_assert_ptr_nonnull(strstr(log->ev[0].message, ":1: NUL byte"));
	assert_snap(&log->ev[1], T0, 1);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_bare_snapshot_lines)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	char snap[512], line[700];

	rec_begin(&r);
	rec_bare(&r, "closed", 1);	/* no time before it: 1 s after the epoch */
	rec_bare(&r, "closed", 2);
	rec_snap(&r, T0, "open", 3);
	rec_bare(&r, "open", 4);	/* 1 s after the previous line */
	snap_json(snap, sizeof(snap), "closed", 5);
	/* A bare line with the optional "timestamp" takes that time. */
	str_printf(line, sizeof(line), "{\"timestamp\": %lld,%s\n", (long long)(T0 + 7777), snap + 1);
	rec_raw(&r, line);
	src = rec_open(&r, 0);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 6);
	assert_snap(&log->ev[0], 1000, 1);
	assert_snap(&log->ev[1], 2000, 2);
	assert_snap(&log->ev[2], T0, 3);
	assert_snap(&log->ev[3], T0 + 1000, 4);
	assert_snap(&log->ev[4], T0 + 7777, 5);
	ck_assert_int_eq(log->ev[4].snap.breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(log->ev[5].kind, SOURCE_END);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_event_lines_become_notices)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	char big[1024];
	int p;

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_raw(&r, "{\"t\": 1764064800500, \"event\": { \"type\": \"breaker\", \"from\": \"closed\","
		    "  \"to\": \"open\", \"reason\": \"5 consecutive failures\" }}\n");
	/* An event whose compact form does not fit a notice is a bad line, not cut JSON. */
	p = snprintf(big, sizeof(big), "{\"t\": %lld, \"event\": {\"note\": \"", (long long)T0 + 600);
	memset(big + p, 'x', sizeof(big) - (size_t)p - 5);
	memcpy(big + sizeof(big) - 5, "\"}}\n", 5);
	rec_raw(&r, big);
	rec_snap(&r, T0 + 1000, "open", 2);
	src = rec_open(&r, 1);
	ck_assert_int_eq(pass(src, 0, log), 1);
	ck_assert_int_eq(wakeup(src, 0), 500);
	ck_assert_int_eq(pass(src, 499, log), 0);
	/* The notice, and the bad line after it as soon as it is read. */
	ck_assert_int_eq(pass(src, 500, log), 2);
	ck_assert_int_eq(log->ev[1].kind, SOURCE_NOTICE);
	ck_assert_int_eq(log->ev[1].at_ms, T0 + 500);
	ck_assert_str_eq(log->ev[1].message,
			 "{\"type\":\"breaker\",\"from\":\"closed\",\"to\":\"open\","
			 "\"reason\":\"5 consecutive failures\"}");
	ck_assert_int_eq(log->ev[2].kind, SOURCE_ERROR);
	ck_assert_ptr_nonnull(strstr(log->ev[2].message, ":3: event: "));
	ck_assert_int_eq(pass(src, 999, log), 0);
	ck_assert_int_eq(pass(src, 1000, log), 2);
	assert_snap(&log->ev[3], T0 + 1000, 2);
	ck_assert_int_eq(log->ev[4].kind, SOURCE_END);
	free(log);
	rec_done(&r, src);
}
END_TEST

/* Rows come back as recorded, also when stepping back re-reads a line. */
START_TEST(test_rows_replayed)
{
	struct rec r;
	struct source *src;
	struct source_event ev;
	int64_t mono = 0;
	int seen = 0;

	rec_begin(&r);
	rec_rows(&r, T0, "closed", 1);
	rec_rows(&r, T0 + 1000, "open", 2);
	rec_rows(&r, T0 + 2000, "half-open", 3);
	src = rec_open(&r, 0);
	/* Each snapshot is looked at at once: its rows are lent until the next step. */
	for (int pass_no = 0; seen < 3; pass_no++) {
		ck_assert_int_lt(pass_no, 10);
		while (source_step(src, mono, &ev) == 1) {
			if (ev.kind != SOURCE_SNAPSHOT)
				continue;
			ck_assert_uint_eq(ev.snap.nrows, 2);
			ck_assert_str_eq(ev.snap.rows[1].name, "b");
			ck_assert_double_eq(ev.snap.rows[0].snap.latency.p95, ++seen);
		}
	}
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), 0);
	for (int tries = 0; tries < 10; tries++)
		if (source_step(src, mono, &ev) == 1 && ev.kind == SOURCE_SNAPSHOT)
			break;
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_uint_eq(ev.snap.nrows, 2);
	ck_assert_int_eq(ev.snap.rows[1].snap.breaker.state, BREAKER_OPEN);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_very_long_line_is_skipped)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	size_t n = RECORD_LINE_MAX + (1u << 20);
	char *huge = xmalloc(n + 1);
	const char *head = "{\"t\": 5, \"event\": {\"x\": \"";

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	/* A megabyte past the limit of a JSON string: valid JSON, just far too long for a line. */
	memset(huge, 'a', n);
	memcpy(huge, head, strlen(head));
	memcpy(huge + n - 4, "\"}}\n", 4);
	fwrite(huge, 1, n, r.fp);
	free(huge);
	rec_snap(&r, T0 + 1000, "closed", 2);
	src = rec_open(&r, 0);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 4);
	ck_assert_int_eq(log->ev[1].kind, SOURCE_ERROR);
	ck_assert_ptr_nonnull(strstr(log->ev[1].message, ":2: line longer than"));
	assert_snap(&log->ev[2], T0 + 1000, 2);
	free(log);
	rec_done(&r, src);
}
END_TEST

/* A smaller line cap (what the fuzz target sets): a line up to it plays, one past it is skipped. */
START_TEST(test_line_max_option)
{
	struct rec r;
	struct replay_options o = { .speed = 0, .line_max = 60 };
	struct evlog *log = log_new();
	struct source *src;
	char err[256] = "";
	/* 60 bytes, then 61 (the newline is not counted). */
	const char *fits = "{\"t\": 1764064800000, \"event\": {\"type\": \"fault\", \"x\": 12345}}\n";
	const char *over = "{\"t\": 1764064800000, \"event\": {\"type\": \"fault\", \"x\": 123456}}\n";

	ck_assert_uint_eq(strlen(fits), 61);
	rec_begin(&r);
	rec_raw(&r, fits);
	rec_raw(&r, over);
	rec_raw(&r, fits);
	ck_assert_int_eq(fclose(r.fp), 0);
	r.fp = NULL;
	o.path = r.path;
	src = source_replay_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "open failed: %s", err);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 4);
	ck_assert_int_eq(log->ev[0].kind, SOURCE_NOTICE);
	ck_assert_int_eq(log->ev[1].kind, SOURCE_ERROR);
	ck_assert_ptr_nonnull(strstr(log->ev[1].message, ":2: line longer than 60 bytes, skipped"));
	ck_assert_int_eq(log->ev[2].kind, SOURCE_NOTICE);
	ck_assert_int_eq(log->ev[3].kind, SOURCE_END);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_truncated_last_line)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_raw(&r, "{\"t\": 1764064801000, \"source\": \"sim\", \"metrics\": {\"lat");
	src = rec_open(&r, 0);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 3);
	ck_assert_int_eq(log->ev[1].kind, SOURCE_ERROR);
	ck_assert_ptr_nonnull(strstr(log->ev[1].message, ":2: not JSON"));
	ck_assert_ptr_nonnull(strstr(log->ev[1].message, "(truncated last line)"));
	ck_assert_int_eq(log->ev[2].kind, SOURCE_END);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_whole_last_line_without_newline)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	char snap[512], line[700];

	rec_begin(&r);
	snap_json(snap, sizeof(snap), "closed", 9);
	str_printf(line, sizeof(line), "{\"t\": %lld, \"metrics\": %s}", (long long)T0, snap);
	rec_raw(&r, line);
	src = rec_open(&r, 0);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 2);
	assert_snap(&log->ev[0], T0, 9);
	free(log);
	rec_done(&r, src);
}
END_TEST

/* closed, closed, open, open, half-open, closed at 1 s steps; p95 = position. */
static struct source *seek_recording(struct rec *r, double speed)
{
	static const char *states[] = { "closed", "closed", "open", "open", "half-open", "closed" };

	rec_begin(r);
	for (int i = 0; i < N_ELEMS(states); i++) {
		rec_snap(r, T0 + i * 1000, states[i], i + 1);
		if (i == 1)
			rec_raw(r, "{\"t\": 1764064801500, \"event\": {\"type\": \"fault\"}}\n");
	}
	return rec_open(r, speed);
}

START_TEST(test_seek_back_and_forward)
{
	struct rec r;
	struct source *src = seek_recording(&r, 1);
	struct evlog *log = log_new();
	char desc[256];

	/* Nothing shown yet: nothing to go back to. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), -1);
	ck_assert_int_eq(pass(src, 0, log), 1);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), -1);
	/* Forward: the next snapshot now, and the clock jumps to it. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_FORWARD), 0);
	ck_assert_int_eq(wakeup(src, 10), 10);
	ck_assert_int_eq(pass(src, 10, log), 1);
	assert_snap(&log->ev[1], T0 + 1000, 2);
	ck_assert_int_eq(source_clock(src, 10), T0 + 1000);
	/* Forward again passes the event line on the way. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_FORWARD), 0);
	ck_assert_int_eq(pass(src, 20, log), 2);
	ck_assert_int_eq(log->ev[2].kind, SOURCE_NOTICE);
	assert_snap(&log->ev[3], T0 + 2000, 3);
	/* Back: the previous snapshot again, and play goes on from there. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), 0);
	ck_assert_int_eq(pass(src, 30, log), 1);
	assert_snap(&log->ev[4], T0 + 1000, 2);
	ck_assert_int_eq(source_clock(src, 30), T0 + 1000);
	source_describe(src, desc, sizeof(desc));
	ck_assert_msg(strstr(desc, ":2 ") != NULL, "describe: %s", desc);
	ck_assert_int_eq(wakeup(src, 30), 530);
	ck_assert_int_eq(pass(src, 530, log), 1);
	ck_assert_int_eq(log->ev[5].kind, SOURCE_NOTICE);
	ck_assert_int_eq(pass(src, 1030, log), 1);
	assert_snap(&log->ev[6], T0 + 2000, 3);
	/* Two presses before a step go back two, to the first; no further. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), 0);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), 0);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), -1);
	ck_assert_int_eq(pass(src, 1040, log), 1);
	assert_snap(&log->ev[7], T0, 1);
	/* Two presses forward: two snapshots at once, the event between them too. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_FORWARD), 0);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_FORWARD), 0);
	ck_assert_int_eq(pass(src, 1050, log), 3);
	assert_snap(&log->ev[8], T0 + 1000, 2);
	ck_assert_int_eq(log->ev[9].kind, SOURCE_NOTICE);
	assert_snap(&log->ev[10], T0 + 2000, 3);
	ck_assert_int_eq(log->n, 11);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_seek_at_the_end)
{
	struct rec r;
	struct source *src = seek_recording(&r, 0);
	struct evlog *log = log_new();
	int64_t clock_end;

	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->ev[log->n - 1].kind, SOURCE_END);
	assert_snap(&log->ev[log->n - 2], T0 + 5000, 6);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_FORWARD), -1);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_NEXT_TRANSITION), -1);
	clock_end = source_clock(src, 0);
	ck_assert_int_eq(clock_end, T0 + 5000);
	/* Back from the end works and the replay plays to the end again. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), 0);
	log->n = 0;
	ck_assert_int_eq(pass(src, 0, log), 1);
	assert_snap(&log->ev[0], T0 + 4000, 5);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 3);
	assert_snap(&log->ev[1], T0 + 5000, 6);
	ck_assert_int_eq(log->ev[2].kind, SOURCE_END);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_seek_next_transition)
{
	struct rec r;
	struct source *src = seek_recording(&r, 1);
	struct evlog *log = log_new();

	ck_assert_int_eq(pass(src, 0, log), 1);
	/* closed -> open: the closed one in between and the event come out too. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_NEXT_TRANSITION), 0);
	ck_assert_int_eq(pass(src, 5, log), 3);
	assert_snap(&log->ev[1], T0 + 1000, 2);
	ck_assert_int_eq(log->ev[2].kind, SOURCE_NOTICE);
	assert_snap(&log->ev[3], T0 + 2000, 3);
	ck_assert_int_eq(log->ev[3].snap.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(source_clock(src, 5), T0 + 2000);
	/* Play goes on at speed from the transition. */
	ck_assert_int_eq(wakeup(src, 5), 1005);
	/* open -> half-open, then half-open -> closed. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_NEXT_TRANSITION), 0);
	ck_assert_int_eq(pass(src, 6, log), 2);
	ck_assert_int_eq(log->ev[5].snap.breaker.state, BREAKER_HALF_OPEN);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_NEXT_TRANSITION), 0);
	ck_assert_int_eq(pass(src, 7, log), 2);
	assert_snap(&log->ev[6], T0 + 5000, 6);
	ck_assert_int_eq(log->ev[6].snap.breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(log->ev[7].kind, SOURCE_END);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_NEXT_TRANSITION), -1);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_seek_transition_without_one_runs_to_end)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	for (int i = 0; i < 5; i++)
		rec_snap(&r, T0 + i * 60000, "closed", i);
	src = rec_open(&r, 1);
	ck_assert_int_eq(pass(src, 0, log), 1);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_NEXT_TRANSITION), 0);
	ck_assert_int_eq(pass(src, 1, log), 5);
	ck_assert_int_eq(log->ev[5].kind, SOURCE_END);
	ck_assert_int_eq(source_clock(src, 100000), T0 + 4 * 60000);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_pause_freezes_the_clock)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_snap(&r, T0 + 1000, "closed", 2);
	rec_snap(&r, T0 + 2000, "closed", 3);
	src = rec_open(&r, 1);
	ck_assert_int_eq(pass(src, 0, log), 1);
	ck_assert_int_eq(source_clock(src, 400), T0 + 400);
	source_set_paused(src, true, 400);
	ck_assert_int_eq(source_clock(src, 5000), T0 + 400);
	ck_assert_int_eq(pass(src, 5000, log), 0);
	ck_assert_int_eq(wakeup(src, 5000), SOURCE_NO_WAKEUP);
	/* Stepping works while paused, and the clock stays on the snapshot shown. */
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_FORWARD), 0);
	ck_assert_int_eq(pass(src, 6000, log), 1);
	assert_snap(&log->ev[1], T0 + 1000, 2);
	ck_assert_int_eq(source_clock(src, 9000), T0 + 1000);
	ck_assert_int_eq(wakeup(src, 9000), SOURCE_NO_WAKEUP);
	/* Resumed: the clock runs on from where it stood, not from when it was paused. */
	source_set_paused(src, false, 10000);
	ck_assert_int_eq(source_clock(src, 10000), T0 + 1000);
	ck_assert_int_eq(source_clock(src, 10600), T0 + 1600);
	ck_assert_int_eq(wakeup(src, 10600), 11000);
	ck_assert_int_eq(pass(src, 11000, log), 2);
	assert_snap(&log->ev[2], T0 + 2000, 3);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_set_speed_does_not_jump)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_snap(&r, T0 + 10000, "closed", 2);
	src = rec_open(&r, 1);
	ck_assert_int_eq(pass(src, 1000, log), 1);
	ck_assert_int_eq(source_clock(src, 3000), T0 + 2000);
	ck_assert_int_eq(source_set_speed(src, 4, 3000), 0);
	ck_assert_int_eq(source_clock(src, 3000), T0 + 2000);
	ck_assert_int_eq(source_clock(src, 4000), T0 + 6000);
	ck_assert_int_eq(wakeup(src, 4000), 5000);
	/* Invalid speeds change nothing. */
	ck_assert_int_eq(source_set_speed(src, -1, 4000), 0);
	ck_assert_int_eq(source_set_speed(src, NAN, 4000), 0);
	ck_assert_int_eq(source_clock(src, 4500), T0 + 8000);
	/* Speed 0 from here: the next snapshot at the next pass. */
	ck_assert_int_eq(source_set_speed(src, 0, 4500), 0);
	ck_assert_int_eq(wakeup(src, 4600), 4600);
	ck_assert_int_eq(pass(src, 4600, log), 2);
	assert_snap(&log->ev[1], T0 + 10000, 2);
	ck_assert_int_eq(log->ev[2].kind, SOURCE_END);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_times_going_backwards)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	rec_snap(&r, T0 + 50000, "closed", 1);
	rec_snap(&r, T0, "closed", 2);	/* the recording host's clock was set back */
	rec_snap(&r, T0 + 1000, "closed", 3);
	src = rec_open(&r, 1);
	ck_assert_int_eq(pass(src, 0, log), 2);
	assert_snap(&log->ev[1], T0, 2);
	/* The clock follows the recording back, so pacing holds after the step. */
	ck_assert_int_eq(source_clock(src, 0), T0);
	ck_assert_int_eq(wakeup(src, 0), 1000);
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_describe)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	char desc[256], want[256];
	const char *name;

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_raw(&r, "oops\n");
	rec_snap(&r, T0 + 1000, "closed", 2);
	src = rec_open(&r, 2);
	name = strrchr(r.path, '/') + 1;
	source_describe(src, desc, sizeof(desc));
	str_printf(want, sizeof(want), "replay: %s x2", name);
	ck_assert_str_eq(desc, want);
	ck_assert_int_eq(pass(src, 0, log), 2);
	source_describe(src, desc, sizeof(desc));
	str_printf(want, sizeof(want), "replay: %s:1 x2 skip 1", name);
	ck_assert_str_eq(desc, want);
	source_set_speed(src, 0.5, 0);
	ck_assert_int_eq(source_clock(src, 0), T0);
	ck_assert_int_eq(pass(src, 2000, log), 2);
	source_describe(src, desc, sizeof(desc));
	str_printf(want, sizeof(want), "replay: %s:3 x1/2 skip 1 end", name);
	ck_assert_str_eq(desc, want);
	source_set_speed(src, 0, 2000);
	source_describe(src, desc, sizeof(desc));
	ck_assert_ptr_nonnull(strstr(desc, " max"));
	free(log);
	rec_done(&r, src);
}
END_TEST

START_TEST(test_open_errors)
{
	struct replay_options o = { .path = "/nonexistent/rec.jsonl", .speed = 1 };
	char err[256], dir[64], empty[64];
	int fd;

	ck_assert_ptr_null(source_replay_new(&o, err, sizeof(err)));
	ck_assert_str_eq(err, "/nonexistent/rec.jsonl: No such file or directory");
	str_printf(dir, sizeof(dir), "/tmp/check_replay_dir.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	o.path = dir;
	ck_assert_ptr_null(source_replay_new(&o, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, ": is a directory, not a recording"));
	rmdir(dir);
	str_printf(empty, sizeof(empty), "/tmp/check_replay_empty.XXXXXX");
	fd = mkstemp(empty);
	ck_assert_int_ge(fd, 0);
	close(fd);
	o.path = empty;
	ck_assert_ptr_null(source_replay_new(&o, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, ": empty recording"));
	o.speed = -1;
	ck_assert_ptr_null(source_replay_new(&o, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "--speed"));
	unlink(empty);
	o.path = "/dev/null";
	o.speed = 1;
	ck_assert_ptr_null(source_replay_new(&o, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "/dev/null: a device, not a recording"));
	o.path = "";
	ck_assert_ptr_null(source_replay_new(&o, err, sizeof(err)));
}
END_TEST

/*
 * Stepping back all the way through a long mixed recording (bare lines whose
 * time depends on the lines before them, events, bad lines) gives back each
 * snapshot exactly as it came the first time, with its line number, across
 * the index's checkpoints.
 */
/* The same recording plain, gzip with a small ring (stepping back starts it again), zstd. */
static const char *const long_forms[] = { "plain", "gzip", "zstd" };

static void rec_compress(struct rec *r, const char *form)
{
	FILE *fp;
	char *data;
	long n;
	int fd;

	if (strcmp(form, "plain") == 0)
		return;
	fp = fopen(r->path, "rb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	data = xmalloc((size_t)n);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	if (strcmp(form, "gzip") == 0) {
		gzFile gz = gzopen(r->path, "wb");

		ck_assert_ptr_nonnull(gz);
		ck_assert_int_eq(gzwrite(gz, data, (unsigned)n), (int)n);
		ck_assert_int_eq(gzclose(gz), Z_OK);
	} else {
		size_t cap = ZSTD_compressBound((size_t)n), got;
		char *z = xmalloc(cap);

		got = ZSTD_compress(z, cap, data, (size_t)n, 3);
		ck_assert(!ZSTD_isError(got));
		fd = open(r->path, O_WRONLY | O_TRUNC);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, z, got), (ssize_t)got);
		close(fd);
		free(z);
	}
	free(data);
}

START_TEST(test_seek_back_through_long_recording)
{
	enum { LINES = 300, MAXS = LINES };
	struct rec r;
	struct source *src;
	struct source_event ev, snap;
	int64_t t[MAXS];
	double p95[MAXS];
	char desc[MAXS][128], now[128];
	int n = 0, back = 0;

	rec_begin(&r);
	for (int i = 1; i <= LINES; i++) {
		if (i % 7 == 0)
			fprintf(r.fp, "{\"t\": %lld, \"event\": {\"i\": %d}}\n", (long long)(T0 + i), i);
		else if (i % 11 == 0)
			rec_raw(&r, "{broken\n");
		else if (i % 3 == 0)
			rec_snap(&r, T0 + i * 1000, "closed", i);
		else
			rec_bare(&r, "open", i);
	}
	ck_assert_int_eq(fflush(r.fp), 0);
	rec_compress(&r, long_forms[_i]);
	src = rec_open_ring(&r, 0, 4096);
	/* At speed 0 a pass ends after each snapshot: the second call starts the next pass. */
	while (source_step(src, 0, &ev) == 1 || source_step(src, 0, &ev) == 1) {
		if (ev.kind == SOURCE_END)
			break;
		if (ev.kind != SOURCE_SNAPSHOT)
			continue;
		ck_assert_int_lt(n, MAXS);
		t[n] = ev.at_ms;
		p95[n] = ev.snap.latency.p95;
		source_describe(src, desc[n], sizeof(desc[n]));
		n++;
	}
	ck_assert_int_gt(n, 3 * REPLAY_CHECKPOINT_GUESS);
	for (int k = n - 2; k >= 0; k--) {
		int got = 0;

		ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), 0);
		/* Events after it come in the same pass at speed 0; nothing is an error again. */
		while (source_step(src, 0, &ev) == 1) {
			ck_assert_int_ne(ev.kind, SOURCE_ERROR);
			if (ev.kind == SOURCE_SNAPSHOT) {
				snap = ev;
				got++;
			}
		}
		ck_assert_int_eq(got, 1);
		ck_assert_msg(snap.at_ms == t[k] && snap.snap.latency.p95 == p95[k],
			      "back to %d: t %lld p95 %g, want t %lld p95 %g", k,
			      (long long)snap.at_ms, snap.snap.latency.p95, (long long)t[k], p95[k]);
		/* The same line number; the skipped count has grown since. */
		source_describe(src, now, sizeof(now));
		*strstr(now, " max") = '\0';
		*strstr(desc[k], " max") = '\0';
		ck_assert_str_eq(now, desc[k]);
		back++;
	}
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), -1);
	ck_assert_int_eq(back, n - 1);
	rec_done(&r, src);
}
END_TEST

/*
 * A recording on standard input: nothing there yet is no event and no end
 * (and the loop is asked to wait on the pipe); lines come as they are
 * written; stepping back works within the ring and is refused before it.
 */
START_TEST(test_pipe_input)
{
	int p[2], saved = dup(STDIN_FILENO);
	struct replay_options o = { .path = "-", .speed = 0, .ring_bytes = 65536 };
	struct source *src;
	struct source_event ev;
	struct pollfd fds[2];
	char err[256] = "", line[600], snap[512];
	int snaps = 0, backs = 0;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	src = source_replay_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_int_eq(source_step(src, 0, &ev), 0);
	ck_assert_int_eq(src->ops->pollfds(src->self, fds, 2), 1);
	ck_assert_int_eq(fds[0].fd, STDIN_FILENO);
	ck_assert_int_eq(wakeup(src, 0), SOURCE_NO_WAKEUP);
	for (int i = 0; i < 400; i++) {
		snap_json(snap, sizeof(snap), "closed", i);
		str_printf(line, sizeof(line), "{\"t\": %lld, \"metrics\": %s}\n",
			   (long long)(T0 + i * 1000), snap);
		ck_assert_int_eq(write(p[1], line, strlen(line)), (ssize_t)strlen(line));
		for (int k = 0; k < 10 && source_step(src, 0, &ev) == 1; k++) {
			ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
			ck_assert_double_eq(ev.snap.latency.p95, snaps);
			snaps++;
		}
	}
	ck_assert_int_eq(snaps, 400);
	/* About 65536 / 330 lines stay in the ring: stepping back stops within them. */
	while (source_seek(src, SOURCE_SEEK_BACK) == 0 && backs < 400) {
		int tries = 0;

		backs++;
		/* A pass may end on its line budget before the snapshot is reached again. */
		while (source_step(src, 0, &ev) == 0)
			ck_assert_int_lt(++tries, 3);
		ck_assert_double_eq(ev.snap.latency.p95, 399 - backs);
	}
	ck_assert_int_gt(backs, 100);
	ck_assert_int_lt(backs, 250);
	close(p[1]);
	ev.kind = SOURCE_NOTICE;
	for (int passes = 0; passes < 1000 && ev.kind != SOURCE_END; passes++)
		while (source_step(src, 0, &ev) == 1 && ev.kind != SOURCE_END)
			;
	ck_assert_int_eq(ev.kind, SOURCE_END);
	source_free(src);
	ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}
END_TEST

/* --follow: the end of the file is a wait on a timer, not SOURCE_END; new lines play. */
START_TEST(test_follow_waits_for_lines)
{
	struct rec r;
	struct replay_options o = { .speed = 1, .follow = true };
	struct source *src;
	struct source_event ev;
	char err[256] = "";
	FILE *fp;
	int got = 0;

	rec_begin(&r);
	for (int i = 0; i < 5; i++)
		rec_snap(&r, T0 + i * 1000, "closed", i);
	ck_assert_int_eq(fclose(r.fp), 0);
	o.path = r.path;
	src = source_replay_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	/* What is there plays at once, whatever the speed. */
	while (source_step(src, 100, &ev) == 1) {
		ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
		got++;
	}
	ck_assert_int_eq(got, 5);
	ck_assert_int_eq(wakeup(src, 100), 100 + 250);
	fp = fopen(r.path, "a");
	ck_assert_ptr_nonnull(fp);
	r.fp = fp;
	rec_snap(&r, T0 + 5000, "open", 5);
	ck_assert_int_eq(fclose(fp), 0);
	/* A second later on the recording's clock, the new line is due. */
	ck_assert_int_eq(source_step(src, 1200, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_SNAPSHOT);
	ck_assert_int_eq(ev.snap.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(source_step(src, 1200, &ev), 0);
	source_free(src);
	unlink(r.path);
}
END_TEST

/*
 * End reads to the end without handing out what is in between, then the
 * last snapshot and the end; Home the first again. The position follows.
 */
START_TEST(test_seek_home_end)
{
	struct rec r;
	struct source *src;
	struct source_event ev;
	struct source_position pos;
	int got = 0;

	rec_begin(&r);
	for (int i = 0; i < 300; i++) {
		rec_snap(&r, T0 + i * 1000, "closed", i);
		if (i % 50 == 0)
			fprintf(r.fp, "{\"t\": %lld, \"event\": {\"i\": %d}}\n", (long long)(T0 + i * 1000), i);
	}
	src = rec_open(&r, 1);
	ck_assert_int_eq(source_position(src, &pos), -1);
	ck_assert_int_eq(source_step(src, 0, &ev), 1);
	assert_snap(&ev, T0, 0);
	ck_assert_int_eq(source_position(src, &pos), 0);
	ck_assert_int_eq(pos.line, 1);
	ck_assert_int_eq(pos.off, 0);
	ck_assert(!pos.pipe && !pos.compressed && pos.size > 0);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_END), 0);
	/* Passes end on their line budget; only the last snapshot comes out, then the end. */
	for (int pass = 0; pass < 10 && got == 0; pass++)
		while (source_step(src, 0, &ev) == 1) {
			ck_assert_int_ne(ev.kind, SOURCE_NOTICE);
			assert_snap(&ev, T0 + 299000, 299);
			got++;
			break;
		}
	ck_assert_int_eq(got, 1);
	ck_assert_int_eq(source_step(src, 0, &ev), 1);
	ck_assert_int_eq(ev.kind, SOURCE_END);
	ck_assert_int_eq(source_position(src, &pos), 0);
	ck_assert_int_eq(pos.line, 306);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_END), -1);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_START), 0);
	ck_assert_int_eq(source_step(src, 0, &ev), 1);
	assert_snap(&ev, T0, 0);
	ck_assert_int_eq(source_position(src, &pos), 0);
	ck_assert_int_eq(pos.line, 1);
	rec_done(&r, src);
}
END_TEST

/* A bad line read again after stepping back is neither counted nor shown again. */
START_TEST(test_bad_line_counted_once_across_seek)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();
	char desc[256];

	rec_begin(&r);
	rec_snap(&r, T0, "closed", 1);
	rec_raw(&r, "bad\n");
	rec_snap(&r, T0 + 1000, "closed", 2);
	rec_snap(&r, T0 + 2000, "closed", 3);
	src = rec_open(&r, 0);
	ck_assert_int_eq(pass(src, 0, log), 2);
	ck_assert_int_eq(log->ev[1].kind, SOURCE_ERROR);
	ck_assert_int_eq(pass(src, 0, log), 1);
	assert_snap(&log->ev[2], T0 + 1000, 2);
	ck_assert_int_eq(source_seek(src, SOURCE_SEEK_BACK), 0);
	ck_assert_int_eq(pass(src, 0, log), 1);
	assert_snap(&log->ev[3], T0, 1);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 7);
	assert_snap(&log->ev[4], T0 + 1000, 2);
	assert_snap(&log->ev[5], T0 + 2000, 3);
	ck_assert_int_eq(log->ev[6].kind, SOURCE_END);
	source_describe(src, desc, sizeof(desc));
	ck_assert_msg(strstr(desc, " skip 1 end") != NULL, "describe: %s", desc);
	free(log);
	rec_done(&r, src);
}
END_TEST

/* What the recorder writes, replay gives back: same snapshots, times and events. */
START_TEST(test_recorder_round_trip)
{
	struct rec r;
	struct source *src;
	struct recorder *w;
	struct evlog *log = log_new();
	struct metrics_snapshot snaps[3];
	const char *event = "{\"type\":\"breaker\",\"from\":\"closed\",\"to\":\"open\"}";
	char err[256];

	rec_begin(&r);
	fclose(r.fp);
	w = recorder_open(r.path, err, sizeof(err));
	ck_assert_msg(w != NULL, "%s", err);
	for (int i = 0; i < 3; i++) {
		metrics_init(&snaps[i]);
		snaps[i].latency.p95 = 100.25 + i;
		snaps[i].latency.count = 1000 + i;
		snaps[i].throughput.per_second = 150.5;
		snaps[i].errors.breaker_trips = i;
		snaps[i].breaker.state = i == 2 ? BREAKER_OPEN : BREAKER_CLOSED;
		str_printf(snaps[i].breaker.recommendation, METRICS_TEXT_LEN, "note %d", i);
		ck_assert_int_eq(recorder_write_snapshot(w, T0 + i * 5000, "sim", &snaps[i],
							 err, sizeof(err)), 0);
		if (i == 1)
			ck_assert_int_eq(recorder_write_event(w, T0 + 7000, event, err, sizeof(err)), 0);
	}
	recorder_close(w);
	r.fp = fopen(r.path, "a");
	src = rec_open(&r, 0);
	ck_assert_int_eq(src->interval_ms, 5000);
	while (pass(src, 0, log) > 0)
		;
	ck_assert_int_eq(log->n, 5);
	for (int i = 0, e = 0; i < 3; i++, e++) {
		if (i == 2) {
			ck_assert_int_eq(log->ev[e].kind, SOURCE_NOTICE);
			ck_assert_int_eq(log->ev[e].at_ms, T0 + 7000);
			ck_assert_str_eq(log->ev[e].message, event);
			e++;
		}
		ck_assert_int_eq(log->ev[e].kind, SOURCE_SNAPSHOT);
		ck_assert_int_eq(log->ev[e].at_ms, T0 + i * 5000);
		ck_assert_int_eq(log->ev[e].wall_ms, T0 + i * 5000);
		ck_assert_msg(metrics_equal(&log->ev[e].snap, &snaps[i]), "snapshot %d differs", i);
	}
	ck_assert_int_eq(log->ev[4].kind, SOURCE_END);
	free(log);
	rec_done(&r, src);
}
END_TEST

/* A file of only bad lines opens, reports, and ends. */
START_TEST(test_no_good_line)
{
	struct rec r;
	struct source *src;
	struct evlog *log = log_new();

	rec_begin(&r);
	rec_raw(&r, "nope\n");
	src = rec_open(&r, 1);
	ck_assert_int_eq(src->interval_ms, 1000);
	ck_assert_int_eq(pass(src, 0, log), 2);
	ck_assert_int_eq(log->ev[0].kind, SOURCE_ERROR);
	ck_assert_int_eq(log->ev[1].kind, SOURCE_END);
	ck_assert_int_eq(wakeup(src, 0), SOURCE_NO_WAKEUP);
	free(log);
	rec_done(&r, src);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("replay");
	TCase *play = tcase_create("play");
	TCase *lines = tcase_create("lines");
	TCase *seek = tcase_create("seek");

	/* Stepping back through a compressed file reads it again from its start: slow under the sanitizers. */
	tcase_set_timeout(seek, 120);

	tcase_add_test(play, test_speed_zero_one_snapshot_per_pass);
	tcase_add_loop_test(play, test_timed_playback, 0, N_ELEMS(speeds));
	tcase_add_test(play, test_interval_is_median_gap);
	tcase_add_test(play, test_pause_freezes_the_clock);
	tcase_add_test(play, test_set_speed_does_not_jump);
	tcase_add_test(play, test_times_going_backwards);
	tcase_add_test(play, test_describe);
	tcase_add_test(play, test_open_errors);
	tcase_add_test(play, test_no_good_line);
	tcase_add_test(play, test_recorder_round_trip);
	tcase_add_loop_test(lines, test_bad_line_is_skipped_and_located, 0, N_ELEMS(bad_lines));
	tcase_add_test(lines, test_many_bad_lines_counted_few_shown);
	tcase_add_test(lines, test_blank_and_crlf_lines);
	tcase_add_test(lines, test_nul_byte_line);
	tcase_add_test(lines, test_bare_snapshot_lines);
	tcase_add_test(lines, test_event_lines_become_notices);
	tcase_add_test(lines, test_very_long_line_is_skipped);
	tcase_add_test(lines, test_line_max_option);
	tcase_add_test(lines, test_rows_replayed);
	tcase_add_test(lines, test_truncated_last_line);
	tcase_add_test(lines, test_whole_last_line_without_newline);
	tcase_add_test(seek, test_seek_back_and_forward);
	tcase_add_test(seek, test_seek_at_the_end);
	tcase_add_test(seek, test_seek_next_transition);
	tcase_add_test(seek, test_seek_transition_without_one_runs_to_end);
	tcase_add_test(seek, test_bad_line_counted_once_across_seek);
	tcase_add_test(seek, test_pipe_input);
	tcase_add_test(seek, test_seek_home_end);
	tcase_add_test(play, test_follow_waits_for_lines);
	tcase_add_loop_test(seek, test_seek_back_through_long_recording, 0, N_ELEMS(long_forms));
	suite_add_tcase(s, play);
	suite_add_tcase(s, lines);
	suite_add_tcase(s, seek);
	return check_run_suite(s);
}
