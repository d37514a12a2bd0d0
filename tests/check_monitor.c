/* Tests for the monitor: events into history, recording and faults. */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "full_recorder.h"
#include "monitor.h"
#include "record/writer.h"

/* A source whose clock is whatever the test says; it never produces events itself. */
struct fake {
	int64_t now;
};

static int fake_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	(void)self;
	(void)mono_ms;
	(void)ev;
	return 0;
}

static int64_t fake_clock(void *self, int64_t mono_ms)
{
	(void)mono_ms;
	return ((struct fake *)self)->now;
}

static const struct source_ops fake_ops = {
	.name = "fake",
	.step = fake_step,
	.clock = fake_clock,
};

static struct event_fixture {
	struct fake clock;
	struct source *src;
	struct target_set ts;
	struct monitor m;
} fx;

static void setup(void)
{
	fx.clock.now = 1000;
	fx.src = source_new(&fake_ops, &fx.clock, 1000);
	targets_defaults(&fx.ts);
}

static void teardown(void)
{
	source_free(fx.src);
}

static struct source_event snapshot_event(int64_t at_ms, double p95)
{
	struct source_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = SOURCE_SNAPSHOT;
	ev.at_ms = at_ms;
	ev.wall_ms = 1764000000000 + at_ms;
	metrics_init(&ev.snap);
	ev.snap.latency.p95 = p95;
	ev.snap.latency.p99 = 200;
	ev.snap.throughput.per_second = 156.3;
	ev.snap.breaker.state = BREAKER_CLOSED;
	ev.snap.breaker.failure_rate = 0.001;
	return ev;
}

static struct source_event message_event(enum source_event_kind kind, int64_t at_ms, const char *msg)
{
	struct source_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.at_ms = at_ms;
	ev.wall_ms = 1764000000000 + at_ms;
	metrics_init(&ev.snap);
	snprintf(ev.message, sizeof(ev.message), "%s", msg);
	return ev;
}

/*
 * The monitor keeps its own copy of the newest snapshot with its rows (the
 * event's are only lent); the history keeps the aggregate only.
 */
START_TEST(test_latest_keeps_rows)
{
	struct metrics_snapshot lent;
	struct source_event ev = snapshot_event(1000, 10);

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	ck_assert_ptr_null(monitor_latest(&fx.m));
	metrics_init(&lent);
	metrics_row_add(&lent, "chat")->snap.latency.p99 = 42;
	metrics_row_add(&lent, "search");
	ev.snap.rows = lent.rows;
	ev.snap.nrows = lent.nrows;
	monitor_handle(&fx.m, &ev);
	/* The source reuses its rows at its next step. */
	strcpy(lent.rows[0].name, "gone");
	ck_assert_ptr_nonnull(monitor_latest(&fx.m));
	ck_assert_uint_eq(monitor_latest(&fx.m)->nrows, 2);
	ck_assert_str_eq(monitor_latest(&fx.m)->rows[0].name, "chat");
	ck_assert_double_eq(monitor_latest(&fx.m)->rows[0].snap.latency.p99, 42);
	ck_assert_double_eq(monitor_latest(&fx.m)->latency.p95, 10);
	ck_assert_uint_eq(history_get(fx.m.hist, 0)->snap.nrows, 0);
	ck_assert_ptr_null(history_get(fx.m.hist, 0)->snap.rows);
	/* A rowless snapshot after it leaves no rows behind. */
	ev = snapshot_event(2000, 20);
	monitor_handle(&fx.m, &ev);
	ck_assert_uint_eq(monitor_latest(&fx.m)->nrows, 0);
	metrics_free(&lent);
	monitor_free(&fx.m);
}
END_TEST

/* A snapshot event with rows chat (fine) and search (open, P99 1000 ms), lent from held. */
static struct source_event rows_event(struct metrics_snapshot *held, int64_t at_ms)
{
	struct source_event ev = snapshot_event(at_ms, 10);
	struct metrics_row *r;

	metrics_free(held);
	metrics_init(held);
	*held = ev.snap;
	r = metrics_row_add(held, "chat");
	r->snap.latency = (struct metrics_latency){ 20, 30, 40, 50, NAN, 60, 1, 25, 100 };
	r->snap.throughput.per_second = 120;
	r->snap.breaker.state = BREAKER_CLOSED;
	r->snap.breaker.failure_rate = 0;
	r = metrics_row_add(held, "search");
	r->snap.latency = (struct metrics_latency){ 0, 0, 0, 0, NAN, NAN, NAN, NAN, 0 };
	r->snap.throughput.per_second = 48;
	r->snap.breaker.state = BREAKER_OPEN;
	r->snap.breaker.state_since_ms = 3000;
	r->snap.breaker.failure_rate = 0.4;
	ev.snap = *held;
	return ev;
}

START_TEST(test_rows_evaluated)
{
	struct metrics_snapshot held;
	struct source_event ev;
	const struct monitor_row *r;

	metrics_init(&held);
	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	ck_assert_uint_eq(monitor_rows(&fx.m), 0);
	ck_assert_ptr_null(monitor_row(&fx.m, 0));
	ev = rows_event(&held, 1000);
	monitor_handle(&fx.m, &ev);
	fx.clock.now = 1000;
	monitor_update(&fx.m, 0);
	ck_assert_uint_eq(monitor_rows(&fx.m), 2);
	ck_assert_int_eq(monitor_row_find(&fx.m, "search"), 1);
	ck_assert_int_eq(monitor_row_find(&fx.m, "nope"), -1);
	r = monitor_row(&fx.m, 0);
	ck_assert_str_eq(r->name, "chat");
	ck_assert_double_eq(r->p99, 50);
	ck_assert_double_eq(r->rps, 120);
	ck_assert_double_eq(r->error_pct, 0);
	ck_assert_int_eq(r->state, BREAKER_CLOSED);
	ck_assert(isnan(r->state_age_s));
	ck_assert_int_eq(r->status, STATUS_OK);
	ck_assert_str_eq(r->eval.t[TARGET_THROUGHPUT].note, "no target");
	r = monitor_row(&fx.m, 1);
	ck_assert_str_eq(r->name, "search");
	/* All-zero percentiles are no data, never 0. */
	ck_assert(isnan(r->p50) && isnan(r->p95) && isnan(r->p99));
	ck_assert_double_eq_tol(r->error_pct, 40, 1e-9);
	ck_assert_double_eq(r->state_age_s, 3);
	ck_assert_int_eq(r->eval.t[TARGET_ERROR_RATE].status, STATUS_FAIL);
	ck_assert_int_eq(r->status, STATUS_FAIL);
	ck_assert_ptr_eq(r->hist, history_row(fx.m.hist, 1));
	ck_assert_double_eq(r->snap->throughput.per_second, 48);
	/* The router is fine on its own; the whole is as bad as its worst row. */
	ck_assert_int_eq(fx.m.eval.overall, STATUS_OK);
	ck_assert_int_eq(monitor_status(&fx.m), STATUS_FAIL);
	/* Time passes: state ages grow, and without new data the rows go stale. */
	fx.clock.now = 2000;
	monitor_update(&fx.m, 0);
	ck_assert_double_eq(monitor_row(&fx.m, 1)->state_age_s, 4);
	fx.clock.now = 5000;
	monitor_update(&fx.m, 0);
	ck_assert(monitor_row(&fx.m, 1)->eval.stale);
	ck_assert_int_eq(monitor_status(&fx.m), STATUS_UNKNOWN);
	/* A snapshot without rows has none. */
	ev = snapshot_event(6000, 10);
	monitor_handle(&fx.m, &ev);
	ck_assert_uint_eq(monitor_rows(&fx.m), 0);
	metrics_free(&held);
	monitor_free(&fx.m);
}
END_TEST

/* A breaker notice naming a row is that row's transition, not the router's. */
START_TEST(test_row_breaker_notice)
{
	struct metrics_snapshot held;
	struct source_event ev;
	struct breaker_transition tr[4];

	metrics_init(&held);
	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	ev = rows_event(&held, 1000);
	monitor_handle(&fx.m, &ev);
	ev = message_event(SOURCE_NOTICE, 1500,
			   "{\"type\":\"breaker\",\"row\":\"search\",\"from\":\"open\",\"to\":\"half-open\"}");
	monitor_handle(&fx.m, &ev);
	ck_assert_uint_eq(history_transitions(fx.m.hist, tr, 4), 0);
	ck_assert_uint_eq(history_transitions(history_row(fx.m.hist, 1), tr, 4), 1);
	ck_assert_int_eq(tr[0].at_ms, 1500);
	ck_assert_int_eq(tr[0].to, BREAKER_HALF_OPEN);
	ev = message_event(SOURCE_NOTICE, 1600,
			   "{\"type\":\"breaker\",\"from\":\"closed\",\"to\":\"open\"}");
	monitor_handle(&fx.m, &ev);
	ck_assert_uint_eq(history_transitions(fx.m.hist, tr, 4), 1);
	metrics_free(&held);
	monitor_free(&fx.m);
}
END_TEST

/* A recording stepped back re-sends an earlier snapshot: the later ones leave the history. */
START_TEST(test_snapshot_back_in_time_rewinds)
{
	struct source_event ev;

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	for (int64_t t = 1000; t <= 4000; t += 1000) {
		ev = snapshot_event(t, (double)t / 100);
		monitor_handle(&fx.m, &ev);
	}
	ev = snapshot_event(2000, 20);
	monitor_handle(&fx.m, &ev);
	ck_assert_int_eq(history_len(fx.m.hist), 2);
	ck_assert_uint_eq(fx.m.snapshots, 2);	/* what is on screen, not what was sent */
	ck_assert_int_eq(history_get(fx.m.hist, 0)->at_ms, 2000);
	ck_assert_int_eq(history_get(fx.m.hist, 1)->at_ms, 1000);
	monitor_free(&fx.m);
}
END_TEST

/* The simulator's breaker events become exact transitions in the history. */
START_TEST(test_breaker_notice_is_a_transition)
{
	struct source_event ev = snapshot_event(1000, 10);
	struct breaker_transition tr[4];

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	monitor_handle(&fx.m, &ev);
	ev = message_event(SOURCE_NOTICE, 1400, "{\"type\":\"breaker\",\"from\":\"closed\","
			   "\"to\":\"open\",\"reason\":\"5 consecutive failures\",\"at_ms\":1400}");
	monitor_handle(&fx.m, &ev);
	ev = message_event(SOURCE_NOTICE, 1500, "{\"type\":\"phase\",\"name\":\"x\"}");
	monitor_handle(&fx.m, &ev);
	ev = message_event(SOURCE_NOTICE, 1600, "not json");
	monitor_handle(&fx.m, &ev);
	ck_assert_uint_eq(history_transitions(fx.m.hist, tr, 4), 1);
	ck_assert_int_eq(tr[0].at_ms, 1400);
	ck_assert_int_eq(tr[0].to, BREAKER_OPEN);
	monitor_free(&fx.m);
}
END_TEST

START_TEST(test_init)
{
	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	ck_assert_int_eq(fx.m.last_good_at_ms, -1);
	ck_assert_str_eq(fx.m.last_error, "");
	ck_assert_int_eq(history_len(fx.m.hist), 0);
	ck_assert_int_eq(fx.m.eval.overall, STATUS_UNKNOWN);
	ck_assert_int_eq(fx.m.start_ms, 1000);
	ck_assert(!fx.m.ended);
	monitor_free(&fx.m);
}
END_TEST

/*
 * Notices go into the event log (a row's breaker change with its reason),
 * and an opening with its open timeout starts the row's countdown to
 * half-open; stepping a recording back takes later lines out of the log.
 */
START_TEST(test_notices_logged_and_countdown)
{
	struct source_event ev;
	const struct eventlog_entry *e;

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 8);
	ev = message_event(SOURCE_NOTICE, 1000, "{\"type\":\"phase\",\"name\":\"failing\"}");
	monitor_handle(&fx.m, &ev);
	ev = message_event(SOURCE_NOTICE, 1500,
			   "{\"type\":\"breaker\",\"row\":\"llm\",\"from\":\"closed\",\"to\":\"open\","
			   "\"reason\":\"5 consecutive failures\",\"open_timeout_ms\":5000}");
	monitor_handle(&fx.m, &ev);
	ck_assert_uint_eq(eventlog_len(fx.m.events), 2);
	e = eventlog_get(fx.m.events, 0);
	ck_assert_str_eq(e->row, "llm");
	ck_assert_str_eq(e->text, "5 consecutive failures");
	{
		struct metrics_snapshot *s;

		ev = snapshot_event(2000, 10);
		s = &ev.snap;
		metrics_row_add(s, "llm")->snap.breaker.state = BREAKER_OPEN;
		monitor_handle(&fx.m, &ev);
		metrics_free(s);
	}
	ck_assert_uint_eq(monitor_rows(&fx.m), 1);
	ck_assert_double_eq_tol(history_half_open_in_s(monitor_row(&fx.m, 0)->hist, 4000), 2.5, 1e-9);
	ck_assert(isnan(history_half_open_in_s(fx.m.hist, 4000)));
	/* Back to a snapshot at 1200: the opening at 1500 had not happened yet. */
	ev = snapshot_event(1200, 10);
	monitor_handle(&fx.m, &ev);
	ck_assert_uint_eq(eventlog_len(fx.m.events), 1);
	ck_assert_str_eq(eventlog_get(fx.m.events, 0)->text, "phase: failing");
	monitor_free(&fx.m);
	ck_assert_ptr_null(fx.m.events);
}
END_TEST

START_TEST(test_snapshot_then_error_then_snapshot)
{
	struct source_event ev = snapshot_event(2000, 100);

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	ck_assert_int_eq(monitor_handle(&fx.m, &ev), SOURCE_SNAPSHOT);
	ck_assert_int_eq(history_len(fx.m.hist), 1);
	ck_assert_int_eq(history_get(fx.m.hist, 0)->at_ms, 2000);
	ck_assert_int_eq(fx.m.last_good_at_ms, 2000);
	ck_assert_int_eq(fx.m.snapshots, 1);

	ev = message_event(SOURCE_ERROR, 3000, "HTTP 500 from http://x/metrics");
	ck_assert_int_eq(monitor_handle(&fx.m, &ev), SOURCE_ERROR);
	ck_assert_str_eq(fx.m.last_error, "HTTP 500 from http://x/metrics");
	ck_assert_int_eq(fx.m.last_error_at_ms, 3000);
	ck_assert_int_eq(fx.m.errors, 1);
	ck_assert_int_eq(fx.m.last_good_at_ms, 2000);
	ck_assert_int_eq(history_len(fx.m.hist), 1);

	ev = snapshot_event(4000, 110);
	monitor_handle(&fx.m, &ev);
	ck_assert_str_eq(fx.m.last_error, "");
	ck_assert_int_eq(fx.m.last_good_at_ms, 4000);
	ck_assert_int_eq(fx.m.snapshots, 2);
	ck_assert_int_eq(fx.m.errors, 1);
	ck_assert(history_get(fx.m.hist, 0)->snap.latency.p95 == 110);
	monitor_free(&fx.m);
}
END_TEST

/*
 * A snapshot's own warning (tail's bad lines) stays the last fault while
 * snapshots repeat it, dated when it first came; a changed one is dated
 * anew, and a snapshot without one clears it.
 */
START_TEST(test_snapshot_warning_keeps_its_time)
{
	struct source_event ev = snapshot_event(1000, 100);

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	snprintf(ev.message, sizeof(ev.message), "1 bad line, last: a.log:2: x");
	monitor_handle(&fx.m, &ev);
	ev.at_ms = 2000;
	monitor_handle(&fx.m, &ev);
	ck_assert_str_eq(fx.m.last_error, "1 bad line, last: a.log:2: x");
	ck_assert_int_eq(fx.m.last_error_at_ms, 1000);
	ev.at_ms = 3000;
	snprintf(ev.message, sizeof(ev.message), "2 bad lines, last: a.log:7: y");
	monitor_handle(&fx.m, &ev);
	ck_assert_str_eq(fx.m.last_error, "2 bad lines, last: a.log:7: y");
	ck_assert_int_eq(fx.m.last_error_at_ms, 3000);
	ev.at_ms = 4000;
	ev.message[0] = '\0';
	monitor_handle(&fx.m, &ev);
	ck_assert_str_eq(fx.m.last_error, "");
	monitor_free(&fx.m);
}
END_TEST

START_TEST(test_history_capacity)
{
	double at[8];

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 3);
	for (int i = 0; i < 5; i++) {
		struct source_event ev = snapshot_event(1000 * i, 100 + i);

		monitor_handle(&fx.m, &ev);
	}
	ck_assert_uint_eq(history_series(fx.m.hist, HF_AT, at, 8), 3);
	ck_assert_double_eq(at[0], 2000);
	ck_assert_int_eq(fx.m.snapshots, 5);
	monitor_free(&fx.m);
}
END_TEST

START_TEST(test_end_and_notice)
{
	struct source_event ev = message_event(SOURCE_NOTICE, 1, "{\"type\":\"breaker\"}");

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	ck_assert_int_eq(monitor_handle(&fx.m, &ev), SOURCE_NOTICE);
	ck_assert_str_eq(fx.m.last_error, "");
	ck_assert(!fx.m.ended);
	ev = message_event(SOURCE_END, 2, "");
	ck_assert_int_eq(monitor_handle(&fx.m, &ev), SOURCE_END);
	ck_assert(fx.m.ended);
	monitor_free(&fx.m);
}
END_TEST

START_TEST(test_records_snapshots_and_notices)
{
	char path[] = "/tmp/rt-monitor-XXXXXX", err[256], line[4096];
	int fd = mkstemp(path), n = 0;
	struct recorder *rec;
	struct source_event ev;
	FILE *f;

	ck_assert_int_ge(fd, 0);
	close(fd);
	rec = recorder_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(rec);
	monitor_init(&fx.m, fx.src, &fx.ts, rec, 10);
	ev = snapshot_event(2000, 100);
	monitor_handle(&fx.m, &ev);
	ev = message_event(SOURCE_NOTICE, 2500, "{\"type\":\"breaker\",\"to\":\"open\"}");
	monitor_handle(&fx.m, &ev);
	ev = message_event(SOURCE_ERROR, 3000, "timeout");
	monitor_handle(&fx.m, &ev);	/* faults are not recorded */
	ck_assert_str_eq(fx.m.last_error, "timeout");
	monitor_free(&fx.m);
	recorder_close(rec);

	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (n == 0)
			ck_assert(strncmp(line, "{\"t\":1764000002000,\"source\":\"fake\",\"metrics\":{", 46) == 0);
		else
			ck_assert_str_eq(line, "{\"t\":1764000002500,\"event\":{\"type\":\"breaker\",\"to\":\"open\"}}\n");
		n++;
	}
	fclose(f);
	ck_assert_int_eq(n, 2);
	unlink(path);
}
END_TEST

/* A full disk turns into last_error; the snapshot still counts. */
START_TEST(test_record_failure_is_a_fault)
{
	char path[64], want[128];
	struct recorder *rec = full_recorder(path, sizeof(path));
	struct source_event ev = snapshot_event(2000, 100);

	monitor_init(&fx.m, fx.src, &fx.ts, rec, 10);
	ck_assert_int_eq(monitor_handle(&fx.m, &ev), SOURCE_SNAPSHOT);
	ck_assert_int_eq(fx.m.snapshots, 1);
	ck_assert_int_eq(history_len(fx.m.hist), 1);
	snprintf(want, sizeof(want), "cannot write recording %s: No space left on device", path);
	ck_assert_str_eq(fx.m.last_error, want);
	ck_assert_int_eq(fx.m.last_error_at_ms, 2000);

	fx.m.last_error[0] = '\0';
	ev = message_event(SOURCE_NOTICE, 2500, "{\"type\":\"x\"}");
	monitor_handle(&fx.m, &ev);
	ck_assert(strstr(fx.m.last_error, path) != NULL);

	fx.m.last_error[0] = '\0';
	ev = message_event(SOURCE_NOTICE, 2600, "not json");
	monitor_handle(&fx.m, &ev);
	ck_assert(strstr(fx.m.last_error, "not a JSON object") != NULL);
	monitor_free(&fx.m);
	recorder_close(rec);
	unlink(path);
}
END_TEST

/*
 * monitor_update evaluates on the source's clock: a loop time far in the
 * future must not make a fresh snapshot stale, and a source clock past two
 * intervals must.
 */
START_TEST(test_update_uses_source_clock)
{
	struct source_event ev = snapshot_event(5000, 130);

	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
	monitor_handle(&fx.m, &ev);
	fx.clock.now = 5000;
	monitor_update(&fx.m, 999999999);
	ck_assert_int_eq(fx.m.eval.t[TARGET_P95].status, STATUS_WARN);
	ck_assert(fabs(fx.m.eval.t[TARGET_P95].value - 130) < 1e-9);
	ck_assert_int_eq(fx.m.eval.t[TARGET_P99].status, STATUS_OK);

	fx.clock.now = 5000 + 10 * fx.src->interval_ms;
	monitor_update(&fx.m, 0);
	ck_assert_int_eq(fx.m.eval.t[TARGET_P95].status, STATUS_UNKNOWN);
	ck_assert(fx.m.eval.stale);
	monitor_free(&fx.m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("monitor");
	TCase *tc = tcase_create("monitor");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_snapshot_back_in_time_rewinds);
	tcase_add_test(tc, test_latest_keeps_rows);
	tcase_add_test(tc, test_rows_evaluated);
	tcase_add_test(tc, test_row_breaker_notice);
	tcase_add_test(tc, test_breaker_notice_is_a_transition);
	tcase_add_test(tc, test_snapshot_then_error_then_snapshot);
	tcase_add_test(tc, test_snapshot_warning_keeps_its_time);
	tcase_add_test(tc, test_notices_logged_and_countdown);
	tcase_add_test(tc, test_history_capacity);
	tcase_add_test(tc, test_end_and_notice);
	tcase_add_test(tc, test_records_snapshots_and_notices);
	tcase_add_test(tc, test_record_failure_is_a_fault);
	tcase_add_test(tc, test_update_uses_source_clock);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
