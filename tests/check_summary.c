/*
 * Check suite for the whole-recording summary (summary.h): time in breaker
 * states, trips and recoveries, target shares, worst percentiles and when,
 * rows, exit status; and summary_run on files (plain, gzip, bad lines).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check_run.h"
#include "compare.h"
#include "summary.h"
#include "timeline.h"
#include "util.h"

#define T0 INT64_C(1764064800000)

static void snap_set(struct metrics_snapshot *s, enum breaker_state st, double p95, double rps)
{
	metrics_init(s);
	s->latency.p50 = 10;
	s->latency.p95 = p95;
	s->latency.p99 = p95 * 2;
	s->latency.count = 100;
	s->throughput.per_second = rps;
	s->breaker.state = st;
	s->breaker.failure_rate = 0;
}

/*
 * Ten snapshots a second apart: closed (0-3), open (4-5), half-open (6),
 * closed (7-9). One trip from +4 s to +7 s; P95 worst (900) at +5 s.
 */
START_TEST(test_router_trip_and_shares)
{
	static const enum breaker_state states[10] = {
		BREAKER_CLOSED, BREAKER_CLOSED, BREAKER_CLOSED, BREAKER_CLOSED, BREAKER_OPEN,
		BREAKER_OPEN, BREAKER_HALF_OPEN, BREAKER_CLOSED, BREAKER_CLOSED, BREAKER_CLOSED,
	};
	static const double p95[10] = { 100, 100, 100, 130, 800, 900, 200, 100, 100, 100 };
	struct target_set ts;
	struct summary s;
	struct metrics_snapshot snap;

	targets_defaults(&ts);
	summary_init(&s, "rec.jsonl", &ts);
	for (int i = 0; i < 10; i++) {
		snap_set(&snap, states[i], p95[i], 150);
		summary_add(&s, &snap, T0 + i * 1000, NULL);
	}
	summary_finish(&s);
	ck_assert_uint_eq(s.snapshots, 10);
	ck_assert_int_eq(s.last_ms - s.first_ms, 9000);
	ck_assert_double_eq(s.router.worst[0], 900);
	ck_assert_int_eq(s.router.worst_at[0], T0 + 5000);
	ck_assert_double_eq(s.router.worst[1], 1800);
	ck_assert_int_eq(s.router.state_ms[BREAKER_CLOSED], 6000);
	ck_assert_int_eq(s.router.state_ms[BREAKER_OPEN], 2000);
	ck_assert_int_eq(s.router.state_ms[BREAKER_HALF_OPEN], 1000);
	ck_assert_uint_eq(s.router.ntrips, 1);
	ck_assert_int_eq(s.router.trips[0].start_ms, T0 + 4000);
	ck_assert_int_eq(s.router.trips[0].end_ms, T0 + 7000);
	ck_assert_int_eq(s.router.trips[0].worst, BREAKER_OPEN);
	/* p95: OK 0-2 (3 s), WARN at 130 (1 s: 120..150 is the warn band), FAIL 4-6 (3 s), OK 7-8 (2 s). */
	ck_assert_int_eq(s.router.status_ms[TARGET_P95][STATUS_OK], 5000);
	ck_assert_int_eq(s.router.status_ms[TARGET_P95][STATUS_WARN], 1000);
	ck_assert_int_eq(s.router.status_ms[TARGET_P95][STATUS_FAIL], 3000);
	ck_assert_int_eq(s.router.worst_status, STATUS_FAIL);
	ck_assert_int_eq(summary_exit_code(&s), 2);
	summary_free(&s);
}
END_TEST

/* A recording that ends with the breaker open lists the trip as not recovered. */
START_TEST(test_trip_open_at_the_end)
{
	struct target_set ts;
	struct summary s;
	struct metrics_snapshot snap;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	targets_defaults(&ts);
	summary_init(&s, "rec.jsonl", &ts);
	for (int i = 0; i < 4; i++) {
		snap_set(&snap, i < 2 ? BREAKER_CLOSED : BREAKER_OPEN, 50, 150);
		summary_add(&s, &snap, T0 + i * 1000, NULL);
	}
	summary_finish(&s);
	ck_assert_uint_eq(s.router.ntrips, 1);
	ck_assert_int_eq(s.router.trips[0].end_ms, -1);
	fp = open_memstream(&text, &len);
	summary_write(fp, FORMAT_TEXT, &s);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(text, "not recovered by the end (1.0s so far)"));
	free(text);
	summary_free(&s);
}
END_TEST

/* Rows are summarised one by one; the exit status is the worst of them all. */
START_TEST(test_rows)
{
	struct target_set ts;
	struct summary s;
	struct metrics_snapshot snap;

	targets_defaults(&ts);
	summary_init(&s, "rec.jsonl", &ts);
	for (int i = 0; i < 5; i++) {
		struct metrics_row *a, *b;

		snap_set(&snap, BREAKER_CLOSED, 50, 150);
		/* The order of the rows changes; names find them. */
		a = metrics_row_add(&snap, i % 2 ? "search" : "chat");
		b = metrics_row_add(&snap, i % 2 ? "chat" : "search");
		snap_set(&a->snap, BREAKER_CLOSED, 50, 150);
		snap_set(&b->snap, BREAKER_CLOSED, 50, 150);
		if (strcmp(a->name, "search") == 0)
			a->snap.latency.p95 = 140;
		else
			b->snap.latency.p95 = 140;
		summary_add(&s, &snap, T0 + i * 1000, NULL);
		metrics_free(&snap);
	}
	ck_assert_uint_eq(s.nrows, 2);
	ck_assert_str_eq(s.rows[0]->name, "chat");
	ck_assert_str_eq(s.rows[1]->name, "search");
	ck_assert_uint_eq(s.rows[1]->snapshots, 5);
	ck_assert_int_eq(s.router.worst_status, STATUS_OK);
	ck_assert_int_eq(s.rows[0]->worst_status, STATUS_OK);
	ck_assert_int_eq(s.rows[1]->worst_status, STATUS_WARN);
	ck_assert_double_eq(s.rows[1]->worst[0], 140);
	ck_assert_int_eq(summary_exit_code(&s), 1);
	summary_free(&s);
}
END_TEST

START_TEST(test_nothing_is_unknown)
{
	struct target_set ts;
	struct summary s;

	targets_defaults(&ts);
	summary_init(&s, "rec.jsonl", &ts);
	summary_finish(&s);
	ck_assert_int_eq(summary_exit_code(&s), 3);
	summary_free(&s);
}
END_TEST

static void write_lines(const char *path, bool gz, const char *text)
{
	if (gz) {
		gzFile f = gzopen(path, "wb");

		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(gzputs(f, text), (int)strlen(text));
		ck_assert_int_eq(gzclose(f), Z_OK);
	} else {
		FILE *f = fopen(path, "w");

		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		ck_assert_int_eq(fclose(f), 0);
	}
}

#define LINE(t, state, p95) "{\"t\":" #t ",\"source\":\"sim\",\"metrics\":{\"latency\":{\"p95\":" #p95 \
	",\"p99\":200,\"count\":5},\"throughput\":{\"requestsPerSecond\":150},\"errorRates\":{}," \
	"\"circuitBreakerStatus\":{\"state\":\"" state "\",\"failureRate\":0}}}\n"

/* summary_run on a gzip file: bad lines counted, events counted, json out. */
START_TEST(test_run_on_file)
{
	char path[128], *text = NULL;
	size_t len = 0;
	struct target_set ts;
	FILE *out, *err = fopen("/dev/null", "w");
	int rc;

	str_printf(path, sizeof(path), "/tmp/check_summary.%ld.gz", (long)getpid());
	write_lines(path, true,
		    LINE(1000, "closed", 100)
		    "not json\n"
		    "{\"t\":1500,\"event\":{\"type\":\"breaker\",\"from\":\"closed\",\"to\":\"open\"}}\n"
		    LINE(2000, "open", 400)
		    "\n"
		    LINE(3000, "closed", 100));
	targets_defaults(&ts);
	out = open_memstream(&text, &len);
	rc = summary_run(path, FORMAT_JSON, &ts, out, err);
	fclose(out);
	fclose(err);
	unlink(path);
	ck_assert_int_eq(rc, 2);
	ck_assert_ptr_nonnull(strstr(text, "\"snapshots\":3,\"events\":1,\"badLines\":1"));
	ck_assert_ptr_nonnull(strstr(text, "\"trips\":[{\"start\":2000,\"end\":3000,\"durationMs\":1000"));
	ck_assert_ptr_nonnull(strstr(text, "\"worstP95\":{\"ms\":400,\"t\":2000}"));
	free(text);
}
END_TEST

START_TEST(test_run_missing_file)
{
	struct target_set ts;
	char *text = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&text, &len);

	targets_defaults(&ts);
	ck_assert_int_eq(summary_run("/nonexistent/rec.jsonl", FORMAT_TEXT, &ts, stdout, err), 3);
	fclose(err);
	ck_assert_str_eq(text, "routertop: /nonexistent/rec.jsonl: No such file or directory\n");
	free(text);
}
END_TEST

/* The timeline of a recording: bins with the trip's transitions and misses, all read in the end. */
START_TEST(test_timeline)
{
	char path[128];
	struct target_set ts;
	struct timeline *tl;
	uint8_t bins[TIMELINE_BINS];
	char err[256];
	bool exact;
	int steps = 0, fail = 0, trans = 0;
	FILE *fp;

	str_printf(path, sizeof(path), "/tmp/check_timeline.%ld.jsonl", (long)getpid());
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	/* 100 snapshots; the breaker is open from the 60th to the 69th. */
	for (int i = 0; i < 100; i++)
		fprintf(fp, "{\"t\":%d,\"metrics\":{\"latency\":{\"p95\":%d,\"p99\":200,\"count\":5},"
			"\"throughput\":{\"requestsPerSecond\":150},\"errorRates\":{},"
			"\"circuitBreakerStatus\":{\"state\":\"%s\",\"failureRate\":0}}}\n",
			1000 + i * 1000, i >= 60 && i < 70 ? 900 : 50, i >= 60 && i < 70 ? "open" : "closed");
	ck_assert_int_eq(fclose(fp), 0);
	targets_defaults(&ts);
	tl = timeline_open(path, &ts, false, err, sizeof(err));
	ck_assert_msg(tl != NULL, "%s", err);
	while (timeline_step(tl, 7))
		ck_assert_int_lt(++steps, 100);
	ck_assert_int_gt(steps, 10);
	timeline_render(tl, bins, &exact);
	ck_assert(exact);
	for (size_t i = 0; i < TIMELINE_BINS; i++) {
		ck_assert(bins[i] & TIMELINE_SCANNED);
		if (bins[i] & TIMELINE_FAIL) {
			fail++;
			/* The misses lie in the seventh tenth of the file. */
			ck_assert_uint_ge(i, TIMELINE_BINS * 59 / 100);
			ck_assert_uint_le(i, TIMELINE_BINS * 72 / 100);
		}
		if (bins[i] & TIMELINE_TRANSITION) {
			trans++;
			ck_assert_uint_ge(i, TIMELINE_BINS * 59 / 100);
			ck_assert_uint_le(i, TIMELINE_BINS * 72 / 100);
		}
	}
	ck_assert_int_gt(fail, 0);
	/* Two transitions; a bin of the file may reach into a neighbouring bin of the bar. */
	ck_assert_int_ge(trans, 2);
	ck_assert_int_le(trans, 8);
	timeline_free(tl);
	unlink(path);
	ck_assert_ptr_null(timeline_open("-", &ts, false, err, sizeof(err)));
}
END_TEST

static const struct {
	const char *spec, *path;
	int64_t from, to;
	bool ok;
} sides[] = {
	{ "run.jsonl", "run.jsonl", 0, INT64_MAX, true },
	{ "run.jsonl@10m..20m", "run.jsonl", 600000, 1200000, true },
	{ "run.jsonl@..90s", "run.jsonl", 0, 90000, true },
	{ "run.jsonl@0..1h", "run.jsonl", 0, 3600000, true },
	{ "run.jsonl@30s..", "run.jsonl", 30000, INT64_MAX, true },
	{ "me@host.jsonl", "me@host.jsonl", 0, INT64_MAX, true },
	{ "run.jsonl@20m..10m", NULL, 0, 0, false },
	{ "run.jsonl@x..y", NULL, 0, 0, false },
};

START_TEST(test_compare_side_parse)
{
	struct compare_side side;
	char err[256] = "";
	int rc = compare_side_parse(sides[_i].spec, &side, err, sizeof(err));

	if (!sides[_i].ok) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_nonnull(strstr(err, "bad range"));
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(side.path, sides[_i].path);
	ck_assert_int_eq(side.from_ms, sides[_i].from);
	ck_assert_int_eq(side.to_ms, sides[_i].to);
}
END_TEST

/* The median to about 1 %, never outside the values; zeros count; none is NAN. */
START_TEST(test_hist_median)
{
	struct target_set ts;
	struct summary s;
	struct metrics_snapshot snap;
	const struct summary_hist *h;

	targets_defaults(&ts);
	summary_init(&s, "rec.jsonl", &ts);
	summary_set_scope(&s, true, 0, INT64_MAX);
	for (int i = 0; i < 101; i++) {
		snap_set(&snap, BREAKER_CLOSED, 10 + i, 100 + i);
		summary_add(&s, &snap, T0 + i * 1000, NULL);
	}
	h = &s.router.stats[TARGET_P95];
	ck_assert_uint_eq(h->n, 101);
	ck_assert(fabs(summary_hist_median(h) - 60) < 0.6);
	ck_assert_double_eq(h->worst, 110);
	ck_assert_double_eq(s.router.stats[TARGET_THROUGHPUT].worst, 100);
	ck_assert(isnan(summary_hist_median(&s.router.stats[TARGET_RECOVERY])));
	summary_free(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("summary");

	tcase_add_test(tc, test_router_trip_and_shares);
	tcase_add_test(tc, test_trip_open_at_the_end);
	tcase_add_test(tc, test_rows);
	tcase_add_test(tc, test_nothing_is_unknown);
	tcase_add_test(tc, test_run_on_file);
	tcase_add_test(tc, test_run_missing_file);
	tcase_add_test(tc, test_timeline);
	tcase_add_loop_test(tc, test_compare_side_parse, 0, (int)(sizeof(sides) / sizeof(sides[0])));
	tcase_add_test(tc, test_hist_median);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
