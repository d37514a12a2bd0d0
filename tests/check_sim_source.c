#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "metrics.h"
#include "sim/sim.h"
#include "source/source.h"
#include "util.h"

/*
 * The steady scenario as it was before it had upstreams, in the
 * single-backend format that files may still use: the injection tests run
 * on it (one breaker, one backend, messages without an upstream's name),
 * and it proves the old format still runs.
 */
#define LEGACY RT_SRCDIR "/tests/scenario_norows.json"

static struct source *make(const char *scenario, uint64_t seed, double speed, int64_t duration_ms,
			   int64_t interval_ms)
{
	struct sim_options o = { scenario, seed, speed, duration_ms, interval_ms };
	char err[256] = "";
	struct source *src = source_sim_new(&o, err, sizeof(err));

	ck_assert_msg(src != NULL, "%s", err);
	return src;
}

/* One round of step() calls at mono; counts snapshots, returns the last one's at_ms. */
static int64_t round_at(struct source *src, int64_t mono, int *snaps, int *notices, int *ends)
{
	struct source_event *ev = malloc(sizeof(*ev));
	int64_t last = -1;
	int guard = 0;

	while (source_step(src, mono, ev) == 1) {
		ck_assert_int_lt(++guard, 100000);
		if (ev->kind == SOURCE_SNAPSHOT) {
			(*snaps)++;
			last = ev->at_ms;
		} else if (ev->kind == SOURCE_NOTICE) {
			(*notices)++;
			ck_assert_int_eq(ev->message[0], '{');
		} else if (ev->kind == SOURCE_END) {
			(*ends)++;
		}
	}
	free(ev);
	return last;
}

static const struct {
	const char *scenario;
	uint64_t seed;
	double speed;
	const char *text;
} describe_cases[] = {
	{ NULL, 42, 1, "sim:steady seed 42 x1" },
	{ "breaker", 7, 0, "sim:breaker seed 7 max" },
	{ "steady", 42, 0.0625, "sim:steady seed 42 x1/16" },
	{ "baseline", 0, 2.5, "sim:baseline seed 0 x2.5" },
};

START_TEST(test_describe)
{
	struct source *src = make(describe_cases[_i].scenario, describe_cases[_i].seed,
				  describe_cases[_i].speed, 0, 0);
	char buf[128];

	source_describe(src, buf, sizeof(buf));
	ck_assert_str_eq(buf, describe_cases[_i].text);
	ck_assert_int_eq(src->interval_ms, 1000);	/* default */
	source_free(src);
}
END_TEST

START_TEST(test_max_speed_one_interval_per_round)
{
	struct source *src = make("steady", 42, 0, 0, 0);
	int snaps = 0, notices = 0, ends = 0;

	for (int i = 1; i <= 5; i++) {
		ck_assert_int_eq(src->ops->next_wakeup(src->self, 777), 777);
		ck_assert_int_eq(round_at(src, 777, &snaps, &notices, &ends), i * 1000);
		ck_assert_int_eq(snaps, i);
		ck_assert_int_eq(source_clock(src, 777), i * 1000);
	}
	ck_assert_int_ge(notices, 1);	/* the first phase */
	ck_assert_int_eq(ends, 0);
	source_free(src);
}
END_TEST

/*
 * At max speed a long interval is simulated in bounded steps: each returns
 * with nothing to show and asks to be called again at once, so the loop
 * sees keys and signals in between; the snapshot is the same as in one go.
 */
START_TEST(test_max_speed_bounded_steps)
{
	/* An hour, not a day: the same proof in a twentieth of the time (a day
	 * took 8 s of CPU, past a minute on a busy machine). */
	struct source *src = make("steady", 42, 0, 0, 3600 * 1000LL);
	struct source *whole = make("steady", 42, 0, 0, 3600 * 1000LL);
	struct source_event *ev = malloc(sizeof(*ev)), *ev2 = malloc(sizeof(*ev2));
	int steps = 0;

	ck_assert_int_eq(source_step(src, 777, ev), 0);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 777), 777);
	while (++steps < 1000000 && (source_step(src, 777, ev) == 0 || ev->kind != SOURCE_SNAPSHOT))
		;
	ck_assert_int_eq(ev->kind, SOURCE_SNAPSHOT);
	ck_assert_int_eq(ev->at_ms, 3600 * 1000LL);
	/* An hour of the steady scenario is millions of events: hundreds of steps. */
	ck_assert_int_gt(steps, 100);
	/* Chopped or not, the same run: a 5 min interval 12 times gives the same hour. */
	source_set_interval(whole, 300 * 1000);
	for (int i = 0; i < 12; i++)
		while (source_step(whole, 777, ev2) == 0 || ev2->kind != SOURCE_SNAPSHOT)
			;
	ck_assert_int_eq(ev2->at_ms, ev->at_ms);
	ck_assert_int_eq(ev2->snap.errors.failures, ev->snap.errors.failures);
	ck_assert_int_eq(ev2->snap.latency.count, ev->snap.latency.count);
	free(ev);
	free(ev2);
	source_free(src);
	source_free(whole);
}
END_TEST

/* Recordings carry the simulated timeline: one interval apart even at max speed. */
START_TEST(test_wall_time_follows_virtual_time)
{
	struct source *src = make("steady", 42, 0, 0, 0);
	struct source_event ev;
	int64_t first = -1, prev = -1;
	int snaps = 0;

	/* At max speed each round that finds nothing pending advances one interval. */
	for (int i = 0; i < 100 && snaps < 4; i++) {
		if (source_step(src, 777, &ev) != 1 || ev.kind != SOURCE_SNAPSHOT)
			continue;
		if (first < 0)
			first = ev.wall_ms - ev.at_ms;
		else
			ck_assert_int_eq(ev.wall_ms - prev, 1000);
		ck_assert_int_eq(ev.wall_ms - ev.at_ms, first);	/* one fixed start */
		prev = ev.wall_ms;
		snaps++;
	}
	ck_assert_int_eq(snaps, 4);
	source_free(src);
}
END_TEST

START_TEST(test_duration_ends)
{
	struct source *src = make("steady", 1, 0, 5000, 0);
	int snaps = 0, notices = 0, ends = 0;
	struct source_event ev;

	for (int i = 0; i < 10; i++)
		round_at(src, 0, &snaps, &notices, &ends);
	ck_assert_int_eq(snaps, 5);
	ck_assert_int_eq(ends, 1);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 0), SOURCE_NO_WAKEUP);
	ck_assert_int_eq(source_step(src, 0, &ev), 0);
	ck_assert_int_eq(source_clock(src, 123456), 5000);
	source_free(src);
}
END_TEST

START_TEST(test_finite_scenario_ends)
{
	struct source *src = make("ratelimit", 1, 0, 0, 0);
	int snaps = 0, notices = 0, ends = 0;
	int64_t last = 0;

	for (int i = 0; i < 40; i++) {
		int64_t t = round_at(src, 0, &snaps, &notices, &ends);

		if (t >= 0)
			last = t;
	}
	ck_assert_int_eq(snaps, 20);
	ck_assert_int_eq(last, 20000);
	ck_assert_int_eq(ends, 1);
	source_free(src);
}
END_TEST

/* A scenario that ends between boundaries gets a last snapshot at its end. */
START_TEST(test_end_between_boundaries)
{
	struct source *src = make("baseline", 3, 0, 0, 0);
	struct source_event *ev = malloc(sizeof(*ev));
	int64_t last_snap = -1;
	int ended = 0;

	for (int i = 0; i < 1000 && !ended; i++) {
		while (!ended && source_step(src, 0, ev) == 1) {
			if (ev->kind == SOURCE_SNAPSHOT)
				last_snap = ev->at_ms;
			ended = ev->kind == SOURCE_END;
		}
	}
	ck_assert(ended);
	ck_assert_int_eq(ev->at_ms, last_snap);
	ck_assert_int_ne(last_snap % 1000, 0);
	free(ev);
	source_free(src);
}
END_TEST

START_TEST(test_real_time)
{
	struct source *src = make("steady", 42, 1, 0, 0);
	int snaps = 0, notices = 0, ends = 0;

	ck_assert_int_eq(round_at(src, 1000, &snaps, &notices, &ends), -1);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 1000), 2000);
	ck_assert_int_eq(round_at(src, 1999, &snaps, &notices, &ends), -1);
	ck_assert_int_eq(source_clock(src, 1999), 999);
	ck_assert_int_eq(round_at(src, 2000, &snaps, &notices, &ends), 1000);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 2000), 3000);
	ck_assert_int_eq(source_clock(src, 2500), 1500);
	/* Fall behind by 3 intervals: one per round, wakeup now until caught up. */
	ck_assert_int_eq(round_at(src, 5000, &snaps, &notices, &ends), 2000);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 5000), 5000);
	ck_assert_int_eq(round_at(src, 5000, &snaps, &notices, &ends), 3000);
	ck_assert_int_eq(round_at(src, 5000, &snaps, &notices, &ends), 4000);
	ck_assert_int_eq(round_at(src, 5000, &snaps, &notices, &ends), -1);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 5000), 6000);
	source_free(src);
}
END_TEST

START_TEST(test_pause_and_speed)
{
	struct source *src = make("steady", 42, 2, 0, 0);
	int snaps = 0, notices = 0, ends = 0;
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 0), 500);	/* x2 */
	ck_assert_int_eq(round_at(src, 500, &snaps, &notices, &ends), 1000);
	source_set_paused(src, true, 700);
	ck_assert_int_eq(source_clock(src, 5000), 1400);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 5000), SOURCE_NO_WAKEUP);
	ck_assert_int_eq(round_at(src, 9000, &snaps, &notices, &ends), -1);
	source_set_paused(src, false, 10000);
	ck_assert_int_eq(source_clock(src, 10000), 1400);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 10000), 10300);
	ck_assert_int_eq(source_set_speed(src, 1.0, 10000), 0);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, 10000), 10600);
	ck_assert_int_eq(round_at(src, 10600, &snaps, &notices, &ends), 2000);
	source_free(src);
}
END_TEST

START_TEST(test_set_interval)
{
	struct source *src = make("steady", 42, 0, 0, 0);
	int snaps = 0, notices = 0, ends = 0;

	ck_assert_int_eq(round_at(src, 0, &snaps, &notices, &ends), 1000);
	source_set_interval(src, 250);
	ck_assert_int_eq(src->interval_ms, 250);
	ck_assert_int_eq(round_at(src, 0, &snaps, &notices, &ends), 1250);
	ck_assert_int_eq(round_at(src, 0, &snaps, &notices, &ends), 1500);
	source_free(src);
}
END_TEST

START_TEST(test_breaker_notices)
{
	struct source *src = make("breaker", 42, 0, 0, 0);
	struct source_event *ev = malloc(sizeof(*ev));
	int opened = 0, closed = 0, faults = 0, guard = 0;
	bool ended = false;

	while (!ended && ++guard < 10000) {
		while (source_step(src, 0, ev) == 1) {
			if (ev->kind == SOURCE_END)
				ended = true;
			if (ev->kind != SOURCE_NOTICE)
				continue;
			static const char want[] = "{\"type\":\"breaker\",\"row\":\"llm\",\"from\":\"closed\","
				"\"to\":\"open\",\"reason\":\"5 consecutive failures\",\"open_timeout_ms\":5000,\"at_ms\":";

			if (strncmp(ev->message, want, sizeof(want) - 1) == 0) {
				char tail[32];

				snprintf(tail, sizeof(tail), "\"at_ms\":%lld}", (long long)ev->at_ms);
				ck_assert_ptr_nonnull(strstr(ev->message, tail));
				opened++;
			}
			closed += strstr(ev->message, "\"to\":\"closed\"") != NULL;
			faults += strstr(ev->message, "\"type\":\"faults\"") != NULL;
		}
	}
	ck_assert(ended);
	ck_assert_int_eq(opened, 1);
	ck_assert_int_eq(closed, 2);	/* llm's, and the router's (its worst upstream) */
	ck_assert_int_eq(faults, 2);	/* failing phase on, recovery off */
	free(ev);
	source_free(src);
}
END_TEST

/* The same seed gives byte-identical snapshot JSON, interval by interval. */
START_TEST(test_same_seed_same_json)
{
	struct source *a = make("steady", 42, 0, 150000, 0), *b = make("steady", 42, 0, 150000, 0);
	struct source *c = make("steady", 43, 0, 150000, 0);
	struct source_event *ea = malloc(sizeof(*ea)), *eb = malloc(sizeof(*eb));
	int compared = 0, differ = 0;

	for (;;) {
		int ra = source_step(a, 0, ea), rb = source_step(b, 0, eb), rc;

		ck_assert_int_eq(ra, rb);
		if (ra == 0) {
			if (ea->kind == SOURCE_END)
				break;
			continue;
		}
		ck_assert_int_eq(ea->kind, eb->kind);
		ck_assert_int_eq(ea->at_ms, eb->at_ms);
		if (ea->kind == SOURCE_SNAPSHOT) {
			char *ja = metrics_to_json(&ea->snap), *jb = metrics_to_json(&eb->snap);

			ck_assert_str_eq(ja, jb);
			ck_assert_ptr_null(strstr(ja, "timestamp"));
			compared++;
			/* Across round ends (step returning 0) to c's next snapshot. */
			for (int spins = 0; spins < 3; spins++) {
				rc = source_step(c, 0, eb);
				if (rc == 1 && eb->kind == SOURCE_SNAPSHOT)
					break;
				if (rc == 1)
					spins--;
			}
			if (rc == 1) {
				char *jc = metrics_to_json(&eb->snap);

				differ += strcmp(ja, jc) != 0;
				free(jc);
			}
			free(ja);
			free(jb);
		} else if (ea->kind == SOURCE_NOTICE) {
			ck_assert_str_eq(ea->message, eb->message);
		}
	}
	ck_assert_int_eq(compared, 150);
	ck_assert_int_gt(differ, 100);
	free(ea);
	free(eb);
	source_free(a);
	source_free(b);
	source_free(c);
}
END_TEST

/* A flood of notices in one interval is capped, the excess counted in the last one. */
START_TEST(test_notice_cap)
{
	struct source *src = make("steady", 42, 0, 0, 5 * 3600 * 1000LL);
	struct source_event *ev = malloc(sizeof(*ev));
	int notices = 0;
	char last[SOURCE_MSG_LEN] = "";
	bool snap = false;

	/* Five hours take many bounded steps; the notices come with the snapshot. */
	for (int guard = 0; guard < 1000000 && !snap; guard++) {
		if (source_step(src, 0, ev) != 1)
			continue;
		snap = ev->kind == SOURCE_SNAPSHOT;
		if (ev->kind == SOURCE_NOTICE) {
			notices++;
			memcpy(last, ev->message, sizeof(last));
		}
	}
	ck_assert(snap);
	ck_assert_int_eq(notices, 1024);
	ck_assert_int_eq(strncmp(last, "{\"type\":\"dropped\",\"count\":", 26), 0);
	ck_assert_ptr_nonnull(strstr(last, "\"at_ms\":18000000}"));
	free(ev);
	source_free(src);
}
END_TEST

static const struct {
	const char *scenario;
	double speed;
	int64_t duration_ms, interval_ms;
	const char *err;
} bad[] = {
	{ NULL, -1, 0, 0, "sim: speed must be from 0.001 to 1000000, or max" },
	{ NULL, NAN, 0, 0, "sim: speed must be from 0.001 to 1000000, or max" },
	{ NULL, 1e-300, 0, 0, "sim: speed must be from 0.001 to 1000000, or max" },
	{ NULL, 1, 0, 25 * 3600 * 1000LL, "sim: interval must be at most a day" },
	{ NULL, 1, -5, 0, "sim: duration must not be negative" },
	{ NULL, 1, 0, -5, "sim: interval must not be negative" },
	{ "/nonexistent/s.json", 1, 0, 0, "/nonexistent/s.json: No such file or directory" },
};

START_TEST(test_bad_options)
{
	struct sim_options o = { bad[_i].scenario, 1, bad[_i].speed, bad[_i].duration_ms,
				 bad[_i].interval_ms };
	char err[256] = "";

	ck_assert_ptr_null(source_sim_new(&o, err, sizeof(err)));
	ck_assert_str_eq(err, bad[_i].err);
}
END_TEST


/* What a stretch of simulated time showed: the last snapshot, notices that matter. */
struct seen {
	struct metrics_snapshot last;
	int64_t last_ms;
	int64_t first_open_ms;		/* first snapshot with the breaker open, or -1 */
	int faults, scenario, phases, breakers, ratelimits;
	char breaker[SOURCE_MSG_LEN];	/* the first breaker notice */
	char fault[SOURCE_MSG_LEN];	/* the first operator's fault notice */
	char ratelimit[SOURCE_MSG_LEN];	/* the last rate-limit notice */
	char notices[8][SOURCE_MSG_LEN];	/* the first few, in order */
	int n_notices;
};

/* At max speed: every event until a snapshot at or past until_ms (or the end). */
static void run_to(struct source *src, int64_t until_ms, struct seen *sn)
{
	struct source_event *ev = malloc(sizeof(*ev));
	int guard = 0;

	sn->first_open_ms = -1;
	sn->faults = sn->scenario = sn->phases = sn->n_notices = sn->breakers = sn->ratelimits = 0;
	sn->breaker[0] = sn->fault[0] = sn->ratelimit[0] = '\0';
	sn->last_ms = -1;
	while (sn->last_ms < until_ms && ++guard < 1000000) {
		if (source_step(src, 0, ev) == 0)
			continue;
		if (ev->kind == SOURCE_END)
			break;
		if (ev->kind == SOURCE_SNAPSHOT) {
			/* The aggregate only: the rows are lent until the next step. */
			sn->last = ev->snap;
			sn->last.rows = NULL;
			sn->last.nrows = sn->last.rows_cap = 0;
			sn->last_ms = ev->at_ms;
			if (sn->first_open_ms < 0 && ev->snap.breaker.state == BREAKER_OPEN)
				sn->first_open_ms = ev->at_ms;
			continue;
		}
		if (ev->kind != SOURCE_NOTICE)
			continue;
		if (sn->n_notices < 8)
			memcpy(sn->notices[sn->n_notices++], ev->message, SOURCE_MSG_LEN);
		if (strncmp(ev->message, "{\"type\":\"fault\",", 16) == 0 && sn->faults++ == 0)
			memcpy(sn->fault, ev->message, SOURCE_MSG_LEN);
		if (strncmp(ev->message, "{\"type\":\"faults\",", 17) == 0)
			sn->scenario++;
		sn->phases += strncmp(ev->message, "{\"type\":\"phase\",", 16) == 0;
		if (strncmp(ev->message, "{\"type\":\"ratelimit\",", 20) == 0) {
			sn->ratelimits++;
			memcpy(sn->ratelimit, ev->message, SOURCE_MSG_LEN);
		}
		if (strncmp(ev->message, "{\"type\":\"breaker\",", 18) == 0 && sn->breakers++ == 0)
			memcpy(sn->breaker, ev->message, SOURCE_MSG_LEN);
	}
	ck_assert_int_ge(sn->last_ms, until_ms);
	free(ev);
}

static void assert_describe(struct source *src, const char *want)
{
	char buf[128];

	source_describe(src, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

static void assert_faults(struct source *src, const char *want)
{
	char buf[256];

	source_active_faults(src, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

static void inject_ok(struct source *src, enum source_inject what, const char *row, const char *want)
{
	char msg[SOURCE_MSG_LEN];

	ck_assert_int_eq(source_inject(src, what, row, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, want);
}

/*
 * f at the steady load: 10 % trips nothing, 50 % opens the breaker within
 * a second or two (the opening says when it half-opens); 0 clears it, and
 * the breaker half-opens after its timeout and closes.
 */
START_TEST(test_failure_cycle_trips_and_recovers)
{
	struct source *src = make(LEGACY, 42, 0, 0, 0);
	struct seen *sn = malloc(sizeof(*sn));

	run_to(src, 5000, sn);
	ck_assert_int_eq(sn->last.breaker.state, BREAKER_CLOSED);
	assert_faults(src, "");
	inject_ok(src, SOURCE_INJECT_FAILURE_CYCLE, NULL, "failure rate 10 % (f again: 50 %)");
	assert_faults(src, "failures 10 %");
	run_to(src, 8000, sn);
	ck_assert_str_eq(sn->fault, "{\"type\":\"fault\",\"fault\":\"failure\",\"text\":\"failure rate 10 %\","
				    "\"at_ms\":5000}");
	ck_assert_int_eq(sn->first_open_ms, -1);	/* 10 %: degraded, not open */
	ck_assert_int_gt(sn->last.errors.failures, 0);
	inject_ok(src, SOURCE_INJECT_FAILURE_CYCLE, NULL, "failure rate 50 % (f again: 100 %)");
	assert_faults(src, "failures 50 %");
	assert_describe(src, "sim:steady seed 42 max");	/* the faults have a line of their own */
	run_to(src, 12000, sn);
	ck_assert_int_ge(sn->first_open_ms, 8000);
	ck_assert_int_le(sn->first_open_ms, 10000);
	ck_assert_msg(strstr(sn->breaker, "\"to\":\"open\",\"reason\":\"") != NULL &&
		      strstr(sn->breaker, "\"open_timeout_ms\":8000,") != NULL, "%s", sn->breaker);
	inject_ok(src, SOURCE_INJECT_CLEAR, NULL, "every fault cleared: breakers automatic again");
	assert_faults(src, "");
	run_to(src, 13000, sn);
	ck_assert_str_eq(sn->fault, "{\"type\":\"fault\",\"fault\":\"failure\",\"text\":\"failure rate 0 % (off)\","
				    "\"at_ms\":12000}");
	run_to(src, 35000, sn);
	ck_assert_int_eq(sn->last.breaker.state, BREAKER_CLOSED);
	ck_assert_str_eq(sn->last.breaker.recommendation, "Service healthy");
	inject_ok(src, SOURCE_INJECT_CLEAR, NULL, "no faults to clear");
	/* f cycles 0, 10, 50, 100 and back to 0. */
	inject_ok(src, SOURCE_INJECT_FAILURE_CYCLE, NULL, "failure rate 10 % (f again: 50 %)");
	inject_ok(src, SOURCE_INJECT_FAILURE_CYCLE, NULL, "failure rate 50 % (f again: 100 %)");
	inject_ok(src, SOURCE_INJECT_FAILURE_CYCLE, NULL, "failure rate 100 % (f again: 0 %)");
	inject_ok(src, SOURCE_INJECT_FAILURE_CYCLE, NULL, "failure rate 0 % (f again: 10 %)");
	assert_faults(src, "");
	free(sn);
	source_free(src);
}
END_TEST

/* An operator's faults hold through the scenario's phase changes; t toggles timeouts. */
START_TEST(test_faults_hold_across_phases)
{
	struct source *src = make(LEGACY, 42, 0, 0, 0);
	struct seen *sn = malloc(sizeof(*sn));
	int64_t timeouts;

	run_to(src, 38000, sn);
	/* Forced closed, so calls keep reaching the hanging backend. */
	inject_ok(src, SOURCE_INJECT_BREAKER_CLOSE, NULL, "breaker forced closed: no protection (a: automatic)");
	inject_ok(src, SOURCE_INJECT_TIMEOUTS, NULL, "timeouts on (t again: off)");
	assert_faults(src, "timeouts, forced closed");
	run_to(src, 43000, sn);		/* "traffic spike" starts at 40 s */
	ck_assert_int_eq(sn->phases, 1);
	ck_assert_int_eq(sn->faults, 2);
	ck_assert_ptr_nonnull(strstr(sn->fault, "\"text\":\"breaker forced closed\""));
	ck_assert_int_eq(sn->first_open_ms, -1);
	assert_faults(src, "timeouts, forced closed");
	timeouts = sn->last.errors.timeouts;
	ck_assert_int_gt(timeouts, 200);
	run_to(src, 44000, sn);
	ck_assert_int_gt(sn->last.errors.timeouts, timeouts + 100);	/* still hanging */
	inject_ok(src, SOURCE_INJECT_TIMEOUTS, NULL, "timeouts off (t again: on)");
	run_to(src, 46000, sn);
	timeouts = sn->last.errors.timeouts;
	run_to(src, 48000, sn);
	ck_assert_int_lt(sn->last.errors.timeouts - timeouts, 20);
	/* The scenario's own changes go on: its incident starts at 60 s. */
	run_to(src, 61000, sn);
	ck_assert_int_eq(sn->scenario, 1);
	ck_assert_ptr_nonnull(strstr(sn->notices[1], "{\"type\":\"faults\",\"phase\":\"incident\","));
	free(sn);
	source_free(src);
}
END_TEST

/*
 * o, c, a: forced open (every call refused, no timeout), forced closed,
 * automatic; back to automatic while forced open, the breaker stays open,
 * says when it half-opens, and does.
 */
START_TEST(test_breaker_keys)
{
	struct source *src = make(LEGACY, 42, 0, 0, 0);
	struct seen *sn = malloc(sizeof(*sn));
	int64_t trips;

	run_to(src, 3000, sn);
	inject_ok(src, SOURCE_INJECT_BREAKER_OPEN, NULL, "breaker forced open: every call refused (a: automatic)");
	assert_faults(src, "forced open");
	run_to(src, 18000, sn);		/* longer than the 8 s open timeout: forced stays forced */
	ck_assert_ptr_nonnull(strstr(sn->breaker, "\"to\":\"open\",\"reason\":\"forced open\",\"at_ms\":3000}"));
	ck_assert_int_eq(sn->breakers, 1);
	ck_assert_int_eq(sn->last.breaker.state, BREAKER_OPEN);
	ck_assert_str_eq(sn->last.breaker.recommendation, "Service unavailable - forced open");
	trips = sn->last.errors.breaker_trips;
	ck_assert_int_gt(trips, 1000);
	inject_ok(src, SOURCE_INJECT_BREAKER_AUTO, NULL, "breaker automatic");
	assert_faults(src, "");
	run_to(src, 25000, sn);
	ck_assert_str_eq(sn->fault, "{\"type\":\"fault\",\"fault\":\"breaker\",\"text\":\"breaker automatic "
				    "again: open until its timeout\",\"open_timeout_ms\":8000,\"at_ms\":18000}");
	ck_assert_int_eq(sn->breakers, 0);	/* still open: no transition */
	ck_assert_int_eq(sn->last.breaker.state, BREAKER_OPEN);
	run_to(src, 27000, sn);
	ck_assert_ptr_nonnull(strstr(sn->breaker, "\"to\":\"half-open\",\"reason\":\"open timeout 8 s elapsed\","
						  "\"at_ms\":26000}"));
	ck_assert_int_eq(sn->last.breaker.state, BREAKER_CLOSED);
	inject_ok(src, SOURCE_INJECT_BREAKER_CLOSE, NULL, "breaker forced closed: no protection (a: automatic)");
	run_to(src, 28000, sn);
	ck_assert_str_eq(sn->last.breaker.recommendation, "Breaker forced closed - no protection");
	inject_ok(src, SOURCE_INJECT_BREAKER_AUTO, NULL, "breaker automatic");
	run_to(src, 29000, sn);
	ck_assert_str_eq(sn->fault, "{\"type\":\"fault\",\"fault\":\"breaker\",\"text\":\"breaker automatic "
				    "again\",\"at_ms\":28000}");
	ck_assert_int_eq(sn->breakers, 0);
	ck_assert_str_eq(sn->last.breaker.recommendation, "Service healthy");
	free(sn);
	source_free(src);
}
END_TEST

/*
 * l: service times ten times longer. The window of 10,000 samples still
 * holds the fast ones (P50), but P95 grows several times over, and the
 * slowest calls pass the 1 s timeout.
 */
START_TEST(test_latency_spike)
{
	struct source *src = make(LEGACY, 42, 0, 0, 0);
	struct seen *sn = malloc(sizeof(*sn));
	double p95;
	int64_t timeouts;

	run_to(src, 20000, sn);
	p95 = sn->last.latency.p95;
	timeouts = sn->last.errors.timeouts;
	inject_ok(src, SOURCE_INJECT_LATENCY, NULL, "latency spike x10 on");
	assert_faults(src, "latency x10");
	run_to(src, 30000, sn);
	ck_assert_ptr_nonnull(strstr(sn->fault, "\"text\":\"latency spike on: service times x10\""));
	ck_assert_double_gt(sn->last.latency.p95, 3 * p95);
	ck_assert_int_gt(sn->last.errors.timeouts, timeouts);
	inject_ok(src, SOURCE_INJECT_LATENCY, NULL, "latency spike x10 off");
	assert_faults(src, "");
	free(sn);
	source_free(src);
}
END_TEST

/*
 * s: five times the upstream's share of the traffic arrives; the router's
 * rate limiter (250/s) rejects what it cannot take and says so, and says
 * when the burst is over once the surge ends.
 */
START_TEST(test_surge_meets_the_limiter)
{
	struct source *src = make(LEGACY, 42, 0, 0, 0);
	struct seen *sn = malloc(sizeof(*sn));
	int64_t limited;

	run_to(src, 10000, sn);
	limited = sn->last.errors.rate_limited;
	inject_ok(src, SOURCE_INJECT_SURGE, NULL, "load surge x5 on");
	assert_faults(src, "surge x5");
	run_to(src, 20000, sn);
	ck_assert_msg(strstr(sn->fault, "\"fault\":\"surge\",\"text\":\"load surge x5 on: ") != NULL, "%s",
		      sn->fault);
	ck_assert_int_gt(sn->last.errors.rate_limited, limited + 100);
	ck_assert_int_ge(sn->ratelimits, 1);
	ck_assert_msg(strstr(sn->ratelimit, "\"state\":\"rejecting\",\"text\":\"rate limiter rejecting: more than "
					    "250 req/s (burst 50)\"") != NULL, "%s", sn->ratelimit);
	inject_ok(src, SOURCE_INJECT_SURGE, NULL, "load surge x5 off");
	run_to(src, 25000, sn);
	ck_assert_int_eq(sn->ratelimits, 1);
	ck_assert_msg(strstr(sn->ratelimit, "\"state\":\"over\",\"rejected\":") != NULL &&
		      strstr(sn->ratelimit, "\"text\":\"rate-limit burst over: ") != NULL, "%s", sn->ratelimit);
	free(sn);
	source_free(src);
}
END_TEST

/* Record every snapshot's JSON and every notice of a run with injections at fixed times. */
static char *injected_run(uint64_t seed, bool inject)
{
	static const struct {
		int64_t at_ms;
		enum source_inject what;
	} presses[] = {
		{ 4000, SOURCE_INJECT_FAILURE_CYCLE }, { 4000, SOURCE_INJECT_FAILURE_CYCLE },
		{ 6000, SOURCE_INJECT_SURGE }, { 7000, SOURCE_INJECT_LATENCY },
		{ 9000, SOURCE_INJECT_BREAKER_OPEN }, { 11000, SOURCE_INJECT_BREAKER_AUTO },
		{ 13000, SOURCE_INJECT_TIMEOUTS }, { 15000, SOURCE_INJECT_CLEAR },
	};
	char msg[SOURCE_MSG_LEN];
	struct source *src = make(LEGACY, seed, 0, 30000, 0);
	struct source_event *ev = malloc(sizeof(*ev));
	size_t cap = 1 << 20, len = 0;
	char *out = xmalloc(cap);
	int64_t last = 0;
	int guard = 0;

	out[0] = '\0';
	while (++guard < 1000000) {
		if (source_step(src, 0, ev) == 0)
			continue;
		if (ev->kind == SOURCE_END)
			break;
		if (ev->kind == SOURCE_SNAPSHOT) {
			char *j = metrics_to_json(&ev->snap);

			len += (size_t)snprintf(out + len, cap - len, "%s\n", j);
			free(j);
			last = ev->at_ms;
			for (size_t i = 0; inject && i < sizeof(presses) / sizeof(presses[0]); i++)
				if (presses[i].at_ms == last)
					ck_assert_int_eq(source_inject(src, presses[i].what, NULL, msg, sizeof(msg)), 0);
		} else if (ev->kind == SOURCE_NOTICE) {
			len += (size_t)snprintf(out + len, cap - len, "%s\n", ev->message);
		}
		ck_assert_uint_lt(len, cap - 1);
	}
	ck_assert_int_eq(last, 30000);
	free(ev);
	source_free(src);
	return out;
}

START_TEST(test_inject_deterministic)
{
	char *a = injected_run(42, true), *b = injected_run(42, true), *plain = injected_run(42, false);

	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, plain);
	ck_assert_ptr_nonnull(strstr(a, "\"type\":\"fault\",\"fault\":\"surge\""));
	ck_assert_ptr_nonnull(strstr(a, "\"reason\":\"forced open\""));
	ck_assert_ptr_null(strstr(plain, "\"type\":\"fault\""));
	free(a);
	free(b);
	free(plain);
}
END_TEST

/* Once the simulation is over there is nothing to inject into; unknown actions are refused. */
START_TEST(test_inject_refused)
{
	char msg[SOURCE_MSG_LEN];
	struct source *src = make(LEGACY, 42, 0, 3000, 0);
	struct source_event ev;
	int snaps = 0, notices = 0, ends = 0;

	ck_assert_int_eq(source_inject(src, (enum source_inject)99, NULL, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "no such injection");
	for (int i = 0; i < 10; i++)
		round_at(src, 0, &snaps, &notices, &ends);
	ck_assert_int_eq(ends, 1);
	for (int w = SOURCE_INJECT_FAILURE_CYCLE; w <= SOURCE_INJECT_CLEAR; w++) {
		msg[0] = '\0';
		ck_assert_int_eq(source_inject(src, (enum source_inject)w, NULL, msg, sizeof(msg)), -1);
		ck_assert_str_eq(msg, "no faults to inject: the simulation has ended");
	}
	assert_faults(src, "");
	ck_assert_int_eq(source_step(src, 0, &ev), 0);	/* and no notice */
	source_free(src);
}
END_TEST

/* Before the first step: the first phase's notices still come first. */
START_TEST(test_inject_before_start)
{
	struct source *src = make(LEGACY, 42, 0, 0, 0);
	struct seen *sn = malloc(sizeof(*sn));

	inject_ok(src, SOURCE_INJECT_TIMEOUTS, NULL, "timeouts on (t again: off)");
	run_to(src, 3000, sn);
	ck_assert_int_ge(sn->n_notices, 3);
	ck_assert_int_eq(strncmp(sn->notices[0], "{\"type\":\"phase\",", 16), 0);
	ck_assert_int_eq(sn->scenario, 1);
	ck_assert_int_eq(strncmp(sn->notices[2], "{\"type\":\"fault\",\"fault\":\"timeouts\",", 35), 0);
	ck_assert_int_gt(sn->last.errors.timeouts, 0);
	free(sn);
	source_free(src);
}
END_TEST

/*
 * Upstreams of the steady scenario: run to until_ms at max speed, noting
 * every state each row's breaker showed (a bit per state) and the
 * notices that name a row.
 */
struct rows_seen {
	unsigned states[4];		/* chat, embeddings, search, moderation */
	unsigned router;		/* the aggregate's states */
	char router_rec[METRICS_TEXT_LEN];
	int faults_search, row_breakers[4], derived;
	struct metrics_snapshot last;	/* a copy (rows included), owned */
};

static void run_rows(struct source *src, int64_t until_ms, struct rows_seen *rs)
{
	static const char *const names[] = { "chat", "embeddings", "search", "moderation" };
	struct source_event ev;
	int64_t last_ms = -1;

	for (int guard = 0; last_ms < until_ms && guard < 1000000; guard++) {
		if (source_step(src, 0, &ev) == 0)
			continue;
		ck_assert_int_ne(ev.kind, SOURCE_END);
		if (ev.kind == SOURCE_NOTICE) {
			char want[64];

			for (int i = 0; i < 4; i++) {
				str_printf(want, sizeof(want), "{\"type\":\"breaker\",\"row\":\"%s\",", names[i]);
				rs->row_breakers[i] += strncmp(ev.message, want, strlen(want)) == 0;
			}
			rs->faults_search += strncmp(ev.message, "{\"type\":\"fault\",\"row\":\"search\",", 31) == 0;
			rs->derived += strncmp(ev.message, "{\"type\":\"breaker\",\"from\":", 25) == 0 &&
				       strstr(ev.message, "\"derived\":true") != NULL;
			continue;
		}
		if (ev.kind != SOURCE_SNAPSHOT)
			continue;
		last_ms = ev.at_ms;
		ck_assert_uint_eq(ev.snap.nrows, 4);
		for (int i = 0; i < 4; i++) {
			ck_assert_str_eq(ev.snap.rows[i].name, names[i]);
			rs->states[i] |= 1u << ev.snap.rows[i].snap.breaker.state;
		}
		rs->router |= 1u << ev.snap.breaker.state;
		if (ev.snap.breaker.state == BREAKER_OPEN)
			memcpy(rs->router_rec, ev.snap.breaker.recommendation, sizeof(rs->router_rec));
		metrics_copy(&rs->last, &ev.snap);
	}
	ck_assert_int_ge(last_ms, until_ms);
}

#define CLOSED_ONLY (1u << BREAKER_CLOSED)

/*
 * f on one upstream trips that upstream's breaker only; the router shows
 * it as its worst, and says so in a notice marked derived; the faults line
 * names the upstream.
 */
START_TEST(test_upstream_failures)
{
	struct source *src = make("steady", 42, 0, 0, 0);
	struct rows_seen *rs = calloc(1, sizeof(*rs));

	run_rows(src, 5000, rs);
	inject_ok(src, SOURCE_INJECT_FAILURE_CYCLE, "search", "search: failure rate 10 % (f again: 50 %)");
	inject_ok(src, SOURCE_INJECT_FAILURE_CYCLE, "search", "search: failure rate 50 % (f again: 100 %)");
	inject_ok(src, SOURCE_INJECT_TIMEOUTS, "chat", "chat: timeouts on (t again: off)");
	assert_faults(src, "chat: timeouts  search: failures 50 %");
	inject_ok(src, SOURCE_INJECT_TIMEOUTS, "chat", "chat: timeouts off (t again: on)");
	assert_faults(src, "search: failures 50 %");
	run_rows(src, 12000, rs);
	ck_assert_int_eq(rs->faults_search, 2);
	ck_assert(rs->states[2] & (1u << BREAKER_OPEN));
	ck_assert_int_ge(rs->row_breakers[2], 1);
	ck_assert_int_ge(rs->derived, 1);
	for (int i = 1; i < 4; i++) {
		if (i != 2) {
			ck_assert_uint_eq(rs->states[i], CLOSED_ONLY);
			ck_assert_int_eq(rs->row_breakers[i], 0);
		}
	}
	ck_assert(rs->router & (1u << BREAKER_OPEN));
	ck_assert_str_eq(rs->router_rec, "search: Service unavailable - failing fast");
	ck_assert_int_gt(rs->last.rows[2].snap.errors.failures, 0);
	inject_ok(src, SOURCE_INJECT_CLEAR, "chat", "every fault cleared: breakers automatic again");
	assert_faults(src, "");
	metrics_free(&rs->last);
	free(rs);
	source_free(src);
}
END_TEST

/* o on one upstream forces that breaker alone; NULL is the first upstream; a wrong name is refused. */
START_TEST(test_upstream_breaker_and_names)
{
	char msg[SOURCE_MSG_LEN];
	struct source *src = make("steady", 42, 0, 0, 0);
	struct rows_seen *rs = calloc(1, sizeof(*rs));

	run_rows(src, 2000, rs);
	inject_ok(src, SOURCE_INJECT_BREAKER_OPEN, "moderation",
		  "moderation: breaker forced open: every call refused (a: automatic)");
	assert_faults(src, "moderation: forced open");
	run_rows(src, 4000, rs);
	ck_assert_int_eq(rs->last.rows[3].snap.breaker.state, BREAKER_OPEN);
	ck_assert_str_eq(rs->last.rows[3].snap.breaker.recommendation, "Service unavailable - forced open");
	ck_assert_int_eq(rs->last.breaker.state, BREAKER_OPEN);
	ck_assert_str_eq(rs->last.breaker.recommendation,
			 "moderation: Service unavailable - forced open");
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(rs->states[i], CLOSED_ONLY);
	/* No row named: the first upstream. */
	inject_ok(src, SOURCE_INJECT_BREAKER_OPEN, NULL, "chat: breaker forced open: every call refused (a: automatic)");
	run_rows(src, 5000, rs);
	ck_assert_int_eq(rs->last.rows[0].snap.breaker.state, BREAKER_OPEN);
	ck_assert_str_eq(rs->last.breaker.recommendation, "2 of 4 upstreams open");
	assert_faults(src, "chat: forced open  moderation: forced open");
	ck_assert_int_eq(source_inject(src, SOURCE_INJECT_FAILURE_CYCLE, "nope\x1b[2J", msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "no faults to inject: no upstream named nope [2J");
	assert_describe(src, "sim:steady seed 42 max");
	metrics_free(&rs->last);
	free(rs);
	source_free(src);
}
END_TEST

/* Live sources have no inject op: the wrapper says -1 and why; they have no faults to show. */
START_TEST(test_inject_other_sources)
{
	char msg[SOURCE_MSG_LEN], faults[64] = "x";
	struct exec_options eo = { .command = "true", .interval_ms = 1000, .timeout_ms = 1000,
				   .max_body = 4096 };
	static const struct source_ops bare = { .name = "watch" };
	char err[256] = "";
	struct source *ex = source_exec_new(&eo, err, sizeof(err));
	struct source *b = source_new(&bare, NULL, 1000);

	ck_assert_msg(ex != NULL, "%s", err);
	ck_assert_ptr_null(ex->ops->inject);
	ck_assert_int_eq(source_inject(ex, SOURCE_INJECT_FAILURE_CYCLE, NULL, msg, sizeof(msg)), -1);
	ck_assert_int_eq(source_inject(ex, SOURCE_INJECT_CLEAR, NULL, msg, sizeof(msg)), -1);
	ck_assert_int_eq(source_inject(b, SOURCE_INJECT_BREAKER_OPEN, NULL, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "no faults to inject: only the simulated router takes them");
	source_active_faults(b, faults, sizeof(faults));
	ck_assert_str_eq(faults, "");
	source_free(ex);
	source_free(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_source");
	TCase *tc = tcase_create("source");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_describe, 0, (int)(sizeof(describe_cases) / sizeof(describe_cases[0])));
	tcase_add_test(tc, test_max_speed_one_interval_per_round);
	tcase_add_test(tc, test_wall_time_follows_virtual_time);
	tcase_add_test(tc, test_duration_ends);
	tcase_add_test(tc, test_finite_scenario_ends);
	tcase_add_test(tc, test_end_between_boundaries);
	tcase_add_test(tc, test_real_time);
	tcase_add_test(tc, test_pause_and_speed);
	tcase_add_test(tc, test_set_interval);
	tcase_add_test(tc, test_breaker_notices);
	tcase_add_test(tc, test_same_seed_same_json);
	tcase_add_test(tc, test_notice_cap);
	tcase_add_test(tc, test_max_speed_bounded_steps);
	tcase_add_test(tc, test_failure_cycle_trips_and_recovers);
	tcase_add_test(tc, test_faults_hold_across_phases);
	tcase_add_test(tc, test_breaker_keys);
	tcase_add_test(tc, test_latency_spike);
	tcase_add_test(tc, test_surge_meets_the_limiter);
	tcase_add_test(tc, test_inject_deterministic);
	tcase_add_test(tc, test_inject_refused);
	tcase_add_test(tc, test_inject_before_start);
	tcase_add_test(tc, test_inject_other_sources);
	tcase_add_test(tc, test_upstream_failures);
	tcase_add_test(tc, test_upstream_breaker_and_names);
	tcase_add_loop_test(tc, test_bad_options, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
