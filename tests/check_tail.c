/*
 * The tail source: --once over a log, following a growing log, bad lines,
 * format detection, rows by each key, the log's own clock, refusals.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "source/source.h"

#define T0 1709287200	/* 2024-03-01T10:00:00Z */

struct run {
	int snapshots, errors, ends, notices;
	struct metrics_snapshot last;	/* a copy of the last snapshot */
	int64_t last_at_ms;
	char first_error[SOURCE_MSG_LEN];
	char last_warning[SOURCE_MSG_LEN];	/* the last snapshot's message */
	char last_notice[SOURCE_MSG_LEN];
};

static char dir[64], path[128];

static void setup(void)
{
	strcpy(dir, "/tmp/check_tail.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/access.log", dir);
	setenv("TZ", "UTC", 1);
	tzset();
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static void write_file(const char *p, const char *mode, const char *text)
{
	FILE *f = fopen(p, mode);

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* An nginx-timed line at T0 + sec. */
static void timed_line(char *buf, size_t len, int sec, const char *path_part, int status, double rt,
		       const char *upstream)
{
	time_t t = T0 + sec;
	struct tm tm;
	char ts[64];

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%d/%b/%Y:%H:%M:%S +0000", &tm);
	snprintf(buf, len, "10.0.0.1 - - [%s] \"GET %s HTTP/1.1\" %d 10 \"-\" \"curl\" %.3f %.3f %s\n", ts,
		 path_part, status, rt, rt * 0.5, upstream);
}

static void run_init(struct run *r)
{
	memset(r, 0, sizeof(*r));
	metrics_init(&r->last);
}

/* Step at mono until nothing is pending; returns the number of events. */
static int run_steps(struct source *src, int64_t mono, struct run *r)
{
	struct source_event ev;
	int n = 0;

	for (int guard = 0; guard < 100000 && source_step(src, mono, &ev) == 1; guard++) {
		n++;
		switch (ev.kind) {
		case SOURCE_SNAPSHOT:
			r->snapshots++;
			metrics_copy(&r->last, &ev.snap);
			r->last_at_ms = ev.at_ms;
			strcpy(r->last_warning, ev.message);
			break;
		case SOURCE_ERROR:
			if (r->errors++ == 0)
				strcpy(r->first_error, ev.message);
			break;
		case SOURCE_END:
			r->ends++;
			break;
		case SOURCE_NOTICE:
			r->notices++;
			strcpy(r->last_notice, ev.message);
			break;
		}
	}
	return n;
}

/* --once: step until the end (bounded). */
static void run_once(struct source *src, struct run *r)
{
	for (int i = 0; i < 1000 && r->ends == 0; i++)
		run_steps(src, i, r);
	ck_assert_int_eq(r->ends, 1);
}

static const struct metrics_row *row(const struct metrics_snapshot *s, const char *name)
{
	ptrdiff_t i = metrics_row_index(s, name);

	ck_assert_msg(i >= 0, "no row '%s'", name);
	return &s->rows[i];
}

static struct source *open_once(const char *format, const char *by, char *err, size_t errlen)
{
	struct tail_options o = { .paths = { path }, .npaths = 1, .format = format, .by = by, .once = true };

	return source_tail_new(&o, err, errlen);
}

START_TEST(test_once_whole_log)
{
	char line[512], err[256], desc[128];
	struct source *src;
	struct run r;
	FILE *f = fopen(path, "w");

	for (int i = 0; i < 600; i++) {
		const char *up = i % 3 == 0 ? "127.0.0.1:1" : i % 3 == 1 ? "127.0.0.1:2" : "127.0.0.1:3";

		timed_line(line, sizeof(line), i / 10, i % 2 ? "/api/x" : "/web/y", i % 3 == 2 ? 502 : 200,
			   0.001 * (1 + i % 100), up);
		fputs(line, f);
	}
	fclose(f);
	src = open_once("nginx-timed", NULL, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	/* The clock starts at the log's first timestamp, not the wall clock. */
	ck_assert_int_eq(source_clock(src, 0), (int64_t)T0 * 1000);
	run_init(&r);
	run_once(src, &r);
	ck_assert_int_eq(r.snapshots, 1);
	ck_assert_int_eq(r.errors, 0);
	ck_assert_int_eq(r.last.requests.total, 600);
	ck_assert_uint_eq(r.last.nrows, 3);
	ck_assert_int_eq(row(&r.last, "127.0.0.1:3")->snap.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(row(&r.last, "127.0.0.1:1")->snap.breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(row(&r.last, "127.0.0.1:3")->snap.errors.failures, 200);
	ck_assert(fabs(r.last.throughput.per_second - 600.0 / 59.0) < 0.5);
	ck_assert_int_eq(r.last_at_ms, (int64_t)(T0 + 59) * 1000);
	ck_assert(fabs(r.last.latency.p50 - 50.0) < 0.05);
	source_describe(src, desc, sizeof(desc));
	ck_assert_str_eq(desc, "tail:access.log 600 lines (nginx-timed)");
	metrics_free(&r.last);
	source_free(src);
}
END_TEST

START_TEST(test_by_keys)
{
	static const struct {
		const char *by;
		const char *row;
		int64_t total;
		const char *noun;	/* what the screen's list calls a row */
	} cases[] = {
		{ "path", "/api", 2, "path" }, { "status", "502", 1, "status" },
		{ "upstream", "u:1", 2, "upstream" }, { "http_user_agent", "curl", 3, "group" },
		{ "host", "(none)", 3, "host" },
	};
	char a[256], b[256], c[256], all[800], err[256];

	timed_line(a, sizeof(a), 0, "/api/v1", 200, 0.010, "u:1");
	timed_line(b, sizeof(b), 1, "/api/v2?x", 502, 0.020, "u:1");
	timed_line(c, sizeof(c), 2, "/web", 200, 0.030, "u:2");
	snprintf(all, sizeof(all), "%s%s%s", a, b, c);
	write_file(path, "w", all);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct source *src = open_once(NULL, cases[i].by, err, sizeof(err));
		struct run r;

		ck_assert_msg(src != NULL, "%s: %s", cases[i].by, err);
		run_init(&r);
		run_once(src, &r);
		ck_assert_int_eq(row(&r.last, cases[i].row)->snap.requests.total, cases[i].total);
		ck_assert_str_eq(source_row_noun(src), cases[i].noun);
		metrics_free(&r.last);
		source_free(src);
	}
}
END_TEST

START_TEST(test_latency_upstream)
{
	char a[256], err[256];
	struct tail_options o = { .paths = { path }, .npaths = 1, .once = true, .latency_upstream = true };
	struct source *src;
	struct run r;

	timed_line(a, sizeof(a), 0, "/", 200, 0.100, "u:1");
	write_file(path, "w", a);
	src = source_tail_new(&o, err, sizeof(err));
	run_init(&r);
	run_once(src, &r);
	ck_assert(fabs(r.last.latency.p50 - 50.0) < 0.05);	/* the upstream's half */
	metrics_free(&r.last);
	source_free(src);
}
END_TEST

/* Other formats are told from the first lines. */
START_TEST(test_detects_formats)
{
	static const struct {
		const char *text, *name;
	} cases[] = {
		{ "[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 204 - 154 0 226 100 \"10.0.35.28\" "
		  "\"nsq2http\" \"cc21d9b0\" \"locations\" \"tcp://10.0.2.1:80\"\n", "envoy" },
		{ "10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- "
		  "1/1/1/1/0 0/0 \"GET /index.html HTTP/1.1\"\n", "haproxy" },
		{ "{\"time_iso8601\":\"2024-03-01T10:00:00+00:00\",\"status\":200,\"request_time\":0.2}\n", "json" },
		{ "10.0.0.1 - - [01/Mar/2024:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"\n", "combined" },
	};
	char err[256], desc[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct source *src;
		struct run r;

		write_file(path, "w", cases[i].text);
		src = open_once(NULL, NULL, err, sizeof(err));
		run_init(&r);
		run_once(src, &r);
		ck_assert_int_eq(r.snapshots, 1);
		ck_assert_int_eq(r.last.requests.total, 1);
		source_describe(src, desc, sizeof(desc));
		ck_assert_msg(strstr(desc, cases[i].name) != NULL, "%s", desc);
		metrics_free(&r.last);
		source_free(src);
	}
}
END_TEST

/* A bad line is counted and never stops the source; with --once it shows only when nothing was good. */
START_TEST(test_bad_lines_once)
{
	char a[256], all[600], err[256], desc[128];
	struct source *src;
	struct run r;

	timed_line(a, sizeof(a), 0, "/", 200, 0.010, "u:1");
	snprintf(all, sizeof(all), "%sgarbage\n%s", a, a);
	write_file(path, "w", all);
	src = open_once("nginx-timed", NULL, err, sizeof(err));
	run_init(&r);
	run_once(src, &r);
	ck_assert_int_eq(r.errors, 0);
	ck_assert_int_eq(r.last.requests.total, 2);
	source_describe(src, desc, sizeof(desc));
	ck_assert_ptr_nonnull(strstr(desc, "3 lines, 1 bad"));
	metrics_free(&r.last);
	source_free(src);

	write_file(path, "w", "nothing \x1b[2J like a log\n");
	src = open_once("nginx-timed", NULL, err, sizeof(err));
	run_init(&r);
	run_once(src, &r);
	ck_assert_int_eq(r.snapshots, 0);
	ck_assert_int_eq(r.errors, 1);
	ck_assert_ptr_nonnull(strstr(r.first_error, "access.log:1: not nginx-timed: "));
	ck_assert_ptr_nonnull(strstr(r.first_error, "(column 8): \"nothing  [2J like a log\""));
	ck_assert_ptr_null(strchr(r.first_error, '\x1b'));
	source_free(src);
}
END_TEST

/*
 * Following: a snapshot each interval, new lines in the next; a bad line
 * is a warning every later snapshot carries (count and the newest, located
 * and quoted) and one event-log notice for the interval that brought it.
 */
START_TEST(test_follow_growing)
{
	char a[256], err[256];
	struct tail_options o = { .paths = { path }, .npaths = 1, .interval_ms = 1000 };
	struct source *src;
	struct run r;

	timed_line(a, sizeof(a), 0, "/", 200, 0.010, "u:1");
	write_file(path, "w", a);	/* there before: not read */
	src = source_tail_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	run_init(&r);
	run_steps(src, 0, &r);
	ck_assert_int_eq(r.snapshots, 1);
	ck_assert_int_eq(r.last.requests.total, METRICS_NONE);
	run_steps(src, 500, &r);
	ck_assert_int_eq(r.snapshots, 1);	/* not before the interval */
	write_file(path, "a", a);
	write_file(path, "a", "bad \x1b line\n");
	write_file(path, "a", a);
	run_steps(src, 1000, &r);
	ck_assert_int_eq(r.snapshots, 2);
	ck_assert_int_eq(r.errors, 0);
	/* Read from the end of a file, line numbers are unknown: the quote tells which. */
	ck_assert_msg(strstr(r.last_warning, "1 bad line, last: ") == r.last_warning, "%s", r.last_warning);
	ck_assert_ptr_nonnull(strstr(r.last_warning, "access.log: not nginx-timed: "));
	ck_assert_ptr_nonnull(strstr(r.last_warning, "\"bad   line\""));
	ck_assert_int_eq(r.notices, 1);
	ck_assert_ptr_nonnull(strstr(r.last_notice, "\"type\":\"badlines\",\"count\":1,"));
	ck_assert_ptr_nonnull(strstr(r.last_notice, "1 bad line, last: "));
	ck_assert_int_eq(r.last.requests.total, 2);
	ck_assert_int_eq(r.ends, 0);
	/* The next snapshot, with no new bad line, still says so; no second notice. */
	write_file(path, "a", a);
	run_steps(src, 2000, &r);
	ck_assert_int_eq(r.snapshots, 3);
	ck_assert_msg(strstr(r.last_warning, "1 bad line, last: ") == r.last_warning, "%s", r.last_warning);
	ck_assert_int_eq(r.notices, 1);
	/* A newer bad line takes the old one's place, counted, with its own notice. */
	write_file(path, "a", "second \"bad\" \\ line\n");
	run_steps(src, 3000, &r);
	ck_assert_int_eq(r.snapshots, 4);
	ck_assert_msg(strstr(r.last_warning, "2 bad lines, last: ") == r.last_warning, "%s", r.last_warning);
	ck_assert_ptr_nonnull(strstr(r.last_warning, "second \"bad\" \\ line"));
	ck_assert_ptr_null(strstr(r.last_warning, "bad   line"));
	ck_assert_int_eq(r.notices, 2);
	ck_assert_ptr_nonnull(strstr(r.last_notice, "\"count\":2,"));
	ck_assert_int_eq(r.errors, 0);
	/* Caught up and quiet: the log's clock runs on with the monotonic clock. */
	ck_assert_int_eq(source_clock(src, 4000), (int64_t)T0 * 1000 + 1000);
	metrics_free(&r.last);
	source_free(src);
}
END_TEST

START_TEST(test_refusals)
{
	char err[256];
	struct tail_options o = { .paths = { path }, .npaths = 1 };
	struct source *src;

	o.format = "$status$request_time";
	ck_assert_ptr_null(source_tail_new(&o, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "no text between"));
	o.format = "nginx-timed";
	o.by = "http_x_nope";
	ck_assert_ptr_null(source_tail_new(&o, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "http_x_nope"));
	o.by = NULL;
	o.format = NULL;
	o.once = true;
	ck_assert_ptr_null(source_tail_new(&o, err, sizeof(err)));	/* --once and no file */
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	o.once = false;
	o.window = 20000000;
	ck_assert_ptr_null(source_tail_new(&o, err, sizeof(err)));
	o.window = 0;
	o.npaths = 0;
	ck_assert_ptr_null(source_tail_new(&o, err, sizeof(err)));
	/* Following a file that is not there yet is fine: it is waited for. */
	o.npaths = 1;
	src = source_tail_new(&o, err, sizeof(err));
	ck_assert_ptr_nonnull(src);
	{
		char desc[128];

		source_describe(src, desc, sizeof(desc));
		ck_assert_ptr_nonnull(strstr(desc, "(waiting)"));
	}
	source_free(src);
}
END_TEST

/* Several files, one of them gzip, read into the same rows. */
START_TEST(test_several_files)
{
	char a[256], b[256], gz[160], cmd[400], err[256];
	struct tail_options o = { .npaths = 2, .once = true };
	struct source *src;
	struct run r;

	timed_line(a, sizeof(a), 0, "/", 200, 0.010, "u:1");
	timed_line(b, sizeof(b), 5, "/", 200, 0.010, "u:2");
	write_file(path, "w", a);
	snprintf(gz, sizeof(gz), "%s/old.log", dir);
	write_file(gz, "w", b);
	snprintf(cmd, sizeof(cmd), "gzip '%s'", gz);
	ck_assert_int_eq(system(cmd), 0);
	strcat(gz, ".gz");
	o.paths[0] = path;
	o.paths[1] = gz;
	src = source_tail_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	run_init(&r);
	run_once(src, &r);
	ck_assert_int_eq(r.last.requests.total, 2);
	ck_assert_uint_eq(r.last.nrows, 2);
	metrics_free(&r.last);
	source_free(src);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tail");
	TCase *tc = tcase_create("tail");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_once_whole_log);
	tcase_add_test(tc, test_by_keys);
	tcase_add_test(tc, test_latency_upstream);
	tcase_add_test(tc, test_detects_formats);
	tcase_add_test(tc, test_bad_lines_once);
	tcase_add_test(tc, test_follow_growing);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_several_files);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
