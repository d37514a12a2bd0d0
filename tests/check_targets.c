/* Check suite for targets: grading edges, no data and staleness, recovery, overall, parsing, files. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "history.h"
#include "metrics.h"
#include "targets.h"

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NOW 1000000
#define INTERVAL 1000

static struct metrics_snapshot snap_latency(double p95, double p99)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	s.latency.count = 100;
	s.latency.p50 = 1.0;
	s.latency.p90 = 2.0;
	s.latency.p95 = p95;
	s.latency.p99 = p99;
	return s;
}

/* A history of snapshots whose row "r" has the same values as the router. */
static void push_with_row(struct history *h, const struct metrics_snapshot *s, int64_t at_ms)
{
	struct metrics_snapshot both = *s;

	both.rows = NULL;
	both.nrows = both.rows_cap = 0;
	metrics_row_add(&both, "r")->snap = *s;
	history_push(h, &both, at_ms);
	metrics_free(&both);
}

/* How a helper below pushes a snapshot: history_push, or push_with_row. */
typedef void push_fn(struct history *h, const struct metrics_snapshot *s, int64_t at_ms);

static void push_state_by(struct history *h, push_fn *push, enum breaker_state st, int64_t at_ms)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	s.breaker.state = st;
	push(h, &s, at_ms);
}

/* A history whose newest entry (at NOW) gives target id the value v, pushed by push. */
static void history_with_value_by(struct history *h, enum target_id id, double v, push_fn *push)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	switch (id) {
	case TARGET_P95:
		s = snap_latency(v, 1.0);
		break;
	case TARGET_P99:
		s = snap_latency(1.0, v);
		break;
	case TARGET_THROUGHPUT:
		s.throughput.per_second = v;
		break;
	case TARGET_ERROR_RATE:
		s.breaker.failure_rate = v / 100.0;
		break;
	case TARGET_RECOVERY:
		push_state_by(h, push, BREAKER_CLOSED, NOW - 500000);
		push_state_by(h, push, BREAKER_OPEN, NOW - 400000);
		push_state_by(h, push, BREAKER_CLOSED, NOW - 400000 + (int64_t)llround(v * 1000.0));
		s.breaker.state = BREAKER_CLOSED;
		break;
	case TARGET_COUNT:
		break;
	}
	push(h, &s, NOW);
}

static void history_with_value(struct history *h, enum target_id id, double v)
{
	history_with_value_by(h, id, v, history_push);
}

static const struct {
	enum target_id id;
	double value;
	enum target_status want;
} grade_cases[] = {
	/* Upper bounds: limit, warn edge, inside the band, just outside it, far below. */
	{ TARGET_P95, 150.0, STATUS_FAIL }, { TARGET_P95, 151.0, STATUS_FAIL },
	{ TARGET_P95, 120.0, STATUS_WARN }, { TARGET_P95, 149.9, STATUS_WARN },
	{ TARGET_P95, 119.9, STATUS_OK }, { TARGET_P95, 10.0, STATUS_OK },
	{ TARGET_P99, 500.0, STATUS_FAIL }, { TARGET_P99, 400.0, STATUS_WARN },
	{ TARGET_P99, 450.0, STATUS_WARN }, { TARGET_P99, 399.9, STATUS_OK },
	{ TARGET_ERROR_RATE, 1.0, STATUS_FAIL }, { TARGET_ERROR_RATE, 0.8, STATUS_WARN },
	{ TARGET_ERROR_RATE, 0.9, STATUS_WARN }, { TARGET_ERROR_RATE, 0.79, STATUS_OK },
	{ TARGET_ERROR_RATE, 0.0, STATUS_OK }, { TARGET_ERROR_RATE, 100.0, STATUS_FAIL },
	{ TARGET_RECOVERY, 60.0, STATUS_FAIL }, { TARGET_RECOVERY, 48.0, STATUS_WARN },
	{ TARGET_RECOVERY, 55.0, STATUS_WARN }, { TARGET_RECOVERY, 47.9, STATUS_OK },
	/* Lower bound: limit, warn edge, inside, just outside, zero. */
	{ TARGET_THROUGHPUT, 100.0, STATUS_FAIL }, { TARGET_THROUGHPUT, 120.0, STATUS_WARN },
	{ TARGET_THROUGHPUT, 110.0, STATUS_WARN }, { TARGET_THROUGHPUT, 120.1, STATUS_OK },
	{ TARGET_THROUGHPUT, 0.0, STATUS_FAIL }, { TARGET_THROUGHPUT, 5000.0, STATUS_OK },
};

START_TEST(test_grade_edges)
{
	struct target_set ts;
	struct history *h = history_new(8);
	struct evaluation ev;
	const struct target_result *r;

	targets_defaults(&ts);
	history_with_value(h, grade_cases[_i].id, grade_cases[_i].value);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	r = &ev.t[grade_cases[_i].id];
	ck_assert_msg(r->status == grade_cases[_i].want, "%s = %g: got %s, want %s",
		      target_key(grade_cases[_i].id), grade_cases[_i].value,
		      target_status_name(r->status), target_status_name(grade_cases[_i].want));
	ck_assert_double_eq_tol(r->value, grade_cases[_i].value, 1e-9);
	ck_assert_ptr_null(r->note);
	ck_assert(!ev.stale);
	history_free(h);
}
END_TEST

START_TEST(test_grade_custom_band_and_zero_limit)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct evaluation ev;
	char err[256];

	targets_defaults(&ts);
	ck_assert_int_eq(targets_set(&ts, "warn=0", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "error-rate=0", err, sizeof(err)), 0);
	history_with_value(h, TARGET_P95, 149.0);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	ck_assert_int_eq(ev.t[TARGET_P95].status, STATUS_OK);	/* no band: OK up to the limit */
	/* error-rate=0 allows no errors at all. */
	history_with_value(h, TARGET_ERROR_RATE, 0.0);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	ck_assert_int_eq(ev.t[TARGET_ERROR_RATE].status, STATUS_OK);
	history_with_value(h, TARGET_ERROR_RATE, 0.01);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	ck_assert_int_eq(ev.t[TARGET_ERROR_RATE].status, STATUS_FAIL);
	/* 1.1 * 0.8 rounds above 0.88: the edge must still hold exactly. */
	ck_assert_int_eq(targets_set(&ts, "p95=1.1", err, sizeof(err)), 0);
	history_with_value(h, TARGET_P95, 0.88);
	ck_assert_int_eq(targets_set(&ts, "warn=20", err, sizeof(err)), 0);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	ck_assert_int_eq(ev.t[TARGET_P95].status, STATUS_WARN);
	/* warn=50: P95 WARN from 75 ms. */
	ck_assert_int_eq(targets_set(&ts, "p95=150", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "warn=50%", err, sizeof(err)), 0);
	history_with_value(h, TARGET_P95, 75.0);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	ck_assert_int_eq(ev.t[TARGET_P95].status, STATUS_WARN);
	history_free(h);
}
END_TEST

/* Latency cases: when the percentiles count as data. */
static const struct {
	const char *name;
	int64_t count;
	double p50, p90, p95, p99;
	bool known;
} latency_cases[] = {
	{ "normal", 100, 10, 20, 30, 40, true },
	{ "count zero", 0, 10, 20, 30, 40, false },
	{ "all zero (seeds' router)", 30, 0, 0, 0, 0, false },
	{ "count unknown, values known", METRICS_NONE, 10, 20, 30, 40, true },
	{ "count unknown, all zero", METRICS_NONE, 0, 0, 0, 0, false },
	{ "some zero", 30, 0, 0, 0, 5, true },
	{ "p95 missing", 30, 10, 20, NAN, NAN, false },
};

START_TEST(test_latency_no_data)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct metrics_snapshot s;
	struct evaluation ev;

	targets_defaults(&ts);
	metrics_init(&s);
	s.latency.count = latency_cases[_i].count;
	s.latency.p50 = latency_cases[_i].p50;
	s.latency.p90 = latency_cases[_i].p90;
	s.latency.p95 = latency_cases[_i].p95;
	s.latency.p99 = latency_cases[_i].p99;
	history_push(h, &s, NOW);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	for (int id = TARGET_P95; id <= TARGET_P99; id++) {
		const struct target_result *r = &ev.t[id];

		if (latency_cases[_i].known) {
			ck_assert_msg(r->status == STATUS_OK, "%s: %s", latency_cases[_i].name,
				      target_status_name(r->status));
		} else {
			ck_assert_msg(r->status == STATUS_UNKNOWN, "%s: %s", latency_cases[_i].name,
				      target_status_name(r->status));
			ck_assert_str_eq(r->note, "no data");
			ck_assert(isnan(r->value));
		}
	}
	history_free(h);
}
END_TEST

START_TEST(test_unknown_values_are_no_data)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct metrics_snapshot s;
	struct evaluation ev;

	targets_defaults(&ts);
	metrics_init(&s);
	history_push(h, &s, NOW);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	for (int id = 0; id < TARGET_COUNT; id++) {
		ck_assert_int_eq(ev.t[id].status, STATUS_UNKNOWN);
		ck_assert_str_eq(ev.t[id].note, "no data");
		ck_assert(isnan(ev.t[id].value));
	}
	ck_assert_int_eq(ev.overall, STATUS_UNKNOWN);
	ck_assert(!ev.stale);
	history_free(h);
}
END_TEST

START_TEST(test_empty_history)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct evaluation ev;

	targets_defaults(&ts);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	for (int id = 0; id < TARGET_COUNT; id++) {
		ck_assert_int_eq(ev.t[id].status, STATUS_UNKNOWN);
		ck_assert_str_eq(ev.t[id].note, "no data");
	}
	ck_assert_int_eq(ev.overall, STATUS_UNKNOWN);
	history_free(h);
}
END_TEST

START_TEST(test_stale)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct metrics_snapshot s = snap_latency(10.0, 20.0);
	struct evaluation ev;

	targets_defaults(&ts);
	s.throughput.per_second = 500.0;
	s.breaker.state = BREAKER_CLOSED;
	s.breaker.failure_rate = 0.0;
	history_push(h, &s, NOW);
	/* Exactly two intervals old is still fresh. */
	targets_evaluate(&ts, h, NOW + 2 * INTERVAL, INTERVAL, &ev);
	ck_assert(!ev.stale);
	ck_assert_int_eq(ev.overall, STATUS_OK);
	targets_evaluate(&ts, h, NOW + 2 * INTERVAL + 1, INTERVAL, &ev);
	ck_assert(ev.stale);
	for (int id = 0; id < TARGET_COUNT; id++) {
		ck_assert_int_eq(ev.t[id].status, STATUS_UNKNOWN);
		ck_assert_str_eq(ev.t[id].note, "stale");
	}
	ck_assert_double_eq(ev.t[TARGET_P95].value, 10.0);	/* the last good value stays */
	ck_assert_int_eq(ev.overall, STATUS_UNKNOWN);
	history_free(h);
}
END_TEST

START_TEST(test_error_rate_percent_from_requests)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct metrics_snapshot s;
	struct evaluation ev;

	targets_defaults(&ts);
	metrics_init(&s);
	s.requests.total = 1000;
	s.requests.failed = 10;
	history_push(h, &s, NOW - 1000);
	s.requests.total = 2000;
	s.requests.failed = 19;
	s.breaker.failure_rate = 0.5;	/* requests win over the breaker */
	history_push(h, &s, NOW);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	ck_assert_double_eq_tol(ev.t[TARGET_ERROR_RATE].value, 0.9, 1e-12);
	ck_assert_int_eq(ev.t[TARGET_ERROR_RATE].status, STATUS_WARN);
	history_free(h);
}
END_TEST

/* Recovery cases: breaker states at given seconds before NOW (UNKNOWN ends the list). */
static const struct {
	const char *name;
	struct {
		enum breaker_state st;
		int ago_s;
	} seq[6];
	enum target_status want;
	double value;		/* NAN: expect NAN */
	const char *note;
} recovery_cases[] = {
	{ "open longer than the limit", { { BREAKER_CLOSED, 100 }, { BREAKER_OPEN, 61 } },
	  STATUS_FAIL, 61.0, NULL },
	{ "half-open, counted from open", { { BREAKER_CLOSED, 100 }, { BREAKER_OPEN, 70 },
	  { BREAKER_HALF_OPEN, 5 } }, STATUS_FAIL, 70.0, NULL },
	{ "open briefly, last recovery good", { { BREAKER_CLOSED, 300 }, { BREAKER_OPEN, 200 },
	  { BREAKER_CLOSED, 190 }, { BREAKER_OPEN, 55 } }, STATUS_OK, 10.0, NULL },
	{ "open in the band, nothing recovered", { { BREAKER_CLOSED, 100 }, { BREAKER_OPEN, 50 } },
	  STATUS_WARN, 50.0, NULL },
	{ "open too long after a good recovery", { { BREAKER_CLOSED, 300 }, { BREAKER_OPEN, 200 },
	  { BREAKER_CLOSED, 190 }, { BREAKER_OPEN, 61 } }, STATUS_FAIL, 61.0, NULL },
	{ "open briefly, nothing recovered", { { BREAKER_CLOSED, 100 }, { BREAKER_OPEN, 10 } },
	  STATUS_OK, 10.0, NULL },
	{ "slow recovery", { { BREAKER_CLOSED, 300 }, { BREAKER_OPEN, 200 },
	  { BREAKER_CLOSED, 130 } }, STATUS_FAIL, 70.0, NULL },
	{ "closed, never tripped", { { BREAKER_CLOSED, 10 } }, STATUS_OK, NAN, "no trips" },
	{ "state unknown", { { BREAKER_UNKNOWN, 0 } }, STATUS_UNKNOWN, NAN, "no data" },
	/* First seen already open: the age is only a lower bound. */
	{ "seen open, start unknown", { { BREAKER_OPEN, 10 } }, STATUS_UNKNOWN, NAN,
	  "outage start unknown" },
	{ "seen open, bound in the band", { { BREAKER_OPEN, 50 } }, STATUS_WARN, 50.0, NULL },
	{ "seen open, bound past the limit", { { BREAKER_OPEN, 61 } }, STATUS_FAIL, 61.0, NULL },
};

START_TEST(test_recovery_table)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct evaluation ev;
	const struct target_result *r;
	int k = 0;

	targets_defaults(&ts);
	do {
		push_state_by(h, history_push, recovery_cases[_i].seq[k].st,
			      NOW - recovery_cases[_i].seq[k].ago_s * 1000);
		k++;
	} while (k < 6 && recovery_cases[_i].seq[k].st != BREAKER_UNKNOWN);
	targets_evaluate(&ts, h, NOW, 0, &ev);
	r = &ev.t[TARGET_RECOVERY];
	ck_assert_msg(r->status == recovery_cases[_i].want, "%s: got %s", recovery_cases[_i].name,
		      target_status_name(r->status));
	if (isnan(recovery_cases[_i].value))
		ck_assert(isnan(r->value));
	else
		ck_assert_double_eq_tol(r->value, recovery_cases[_i].value, 1e-9);
	if (recovery_cases[_i].note == NULL)
		ck_assert_ptr_null(r->note);
	else
		ck_assert_str_eq(r->note, recovery_cases[_i].note);
	history_free(h);
}
END_TEST

/* Overall cases: four statuses of a full evaluation and the expected overall one. */
static const struct {
	double p95, rps, fail_rate;	/* fail_rate NAN: error rate unknown */
	enum target_status want;
} overall_cases[] = {
	{ 10, 500, 0.0, STATUS_OK },
	{ 130, 500, 0.0, STATUS_WARN },
	{ 130, 500, NAN, STATUS_WARN },
	{ 10, 500, NAN, STATUS_UNKNOWN },
	{ 200, 500, NAN, STATUS_FAIL },
	{ 130, 50, 0.0, STATUS_FAIL },
};

START_TEST(test_overall)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct metrics_snapshot s = snap_latency(overall_cases[_i].p95, 20.0);
	struct evaluation ev;

	targets_defaults(&ts);
	s.throughput.per_second = overall_cases[_i].rps;
	s.breaker.state = BREAKER_CLOSED;
	s.breaker.failure_rate = overall_cases[_i].fail_rate;
	history_push(h, &s, NOW);
	targets_evaluate(&ts, h, NOW, INTERVAL, &ev);
	ck_assert_msg(ev.overall == overall_cases[_i].want, "case %d: got %s", _i,
		      target_status_name(ev.overall));
	history_free(h);
}
END_TEST

START_TEST(test_status_names_and_exit_codes)
{
	ck_assert_str_eq(target_status_name(STATUS_OK), "OK");
	ck_assert_str_eq(target_status_name(STATUS_WARN), "WARN");
	ck_assert_str_eq(target_status_name(STATUS_FAIL), "FAIL");
	ck_assert_str_eq(target_status_name(STATUS_UNKNOWN), "UNKNOWN");
	ck_assert_int_eq(target_status_exit_code(STATUS_OK), 0);
	ck_assert_int_eq(target_status_exit_code(STATUS_WARN), 1);
	ck_assert_int_eq(target_status_exit_code(STATUS_FAIL), 2);
	ck_assert_int_eq(target_status_exit_code(STATUS_UNKNOWN), 3);
}
END_TEST

START_TEST(test_metadata)
{
	static const struct {
		enum target_id id;
		const char *key, *label, *unit;
		bool upper;
	} m[] = {
		{ TARGET_P95, "p95", "P95", "ms", true },
		{ TARGET_P99, "p99", "P99", "ms", true },
		{ TARGET_THROUGHPUT, "throughput", "Throughput", "req/s", false },
		{ TARGET_ERROR_RATE, "error-rate", "Error rate", "%", true },
		{ TARGET_RECOVERY, "recovery", "Recovery", "s", true },
	};

	for (int i = 0; i < N_ELEMS(m); i++) {
		ck_assert_str_eq(target_key(m[i].id), m[i].key);
		ck_assert_str_eq(target_label(m[i].id), m[i].label);
		ck_assert_str_eq(target_unit(m[i].id), m[i].unit);
		ck_assert(target_is_upper_bound(m[i].id) == m[i].upper);
	}
}
END_TEST

START_TEST(test_defaults)
{
	struct target_set ts;

	targets_defaults(&ts);
	ck_assert_double_eq(ts.limit[TARGET_P95], 150.0);
	ck_assert_double_eq(ts.limit[TARGET_P99], 500.0);
	ck_assert_double_eq(ts.limit[TARGET_THROUGHPUT], 100.0);
	ck_assert_double_eq(ts.limit[TARGET_ERROR_RATE], 1.0);
	ck_assert_double_eq(ts.limit[TARGET_RECOVERY], 60.0);
	ck_assert_double_eq(ts.warn_band, 0.20);
}
END_TEST

#define WARN_ID (-1)

/* targets_set cases: the assignment, which field it sets to what, or the error. */
static const struct {
	const char *text;
	int id;			/* a target_id or WARN_ID */
	double want;
	const char *err;	/* NULL: success */
} set_cases[] = {
	{ "p95=120", TARGET_P95, 120.0, NULL },
	{ "p95=120ms", TARGET_P95, 120.0, NULL },
	{ "p95=0.2s", TARGET_P95, 200.0, NULL },
	{ " P95 = 99.5 ", TARGET_P95, 99.5, NULL },
	{ "p99=1e3", TARGET_P99, 1000.0, NULL },
	{ "throughput=250", TARGET_THROUGHPUT, 250.0, NULL },
	{ "throughput=250req/s", TARGET_THROUGHPUT, 250.0, NULL },
	{ "error-rate=0.5", TARGET_ERROR_RATE, 0.5, NULL },
	{ "error_rate=2%", TARGET_ERROR_RATE, 2.0, NULL },
	{ "error-rate=0", TARGET_ERROR_RATE, 0.0, NULL },
	{ "recovery=30", TARGET_RECOVERY, 30.0, NULL },
	{ "recovery=90s", TARGET_RECOVERY, 90.0, NULL },
	{ "recovery=2m", TARGET_RECOVERY, 120.0, NULL },
	{ "recovery=1500ms", TARGET_RECOVERY, 1.5, NULL },
	{ "warn=20", WARN_ID, 0.20, NULL },
	{ "warn=0", WARN_ID, 0.0, NULL },
	{ "warn=100%", WARN_ID, 1.0, NULL },
	{ "p96=120", 0, 0,
	  "unknown target key \"p96\" (known: p95, p99, throughput, error-rate, recovery, warn)" },
	{ "=120", 0, 0,
	  "unknown target key \"\" (known: p95, p99, throughput, error-rate, recovery, warn)" },
	{ "p95", 0, 0, "missing '=' in \"p95\"" },
	{ "", 0, 0, "missing '=' in \"\"" },
	{ "p95=abc", 0, 0, "p95: bad value \"abc\" (expected a number of ms > 0, e.g. 150 or 150ms)" },
	{ "p95=", 0, 0, "p95: bad value \"\" (expected a number of ms > 0, e.g. 150 or 150ms)" },
	{ "p95=0", 0, 0, "p95: bad value \"0\" (expected a number of ms > 0, e.g. 150 or 150ms)" },
	{ "p95=-5", 0, 0, "p95: bad value \"-5\" (expected a number of ms > 0, e.g. 150 or 150ms)" },
	{ "p95=120kg", 0, 0, "p95: bad value \"120kg\" (expected a number of ms > 0, e.g. 150 or 150ms)" },
	{ "p95=nan", 0, 0, "p95: bad value \"nan\" (expected a number of ms > 0, e.g. 150 or 150ms)" },
	{ "p99=inf", 0, 0, "p99: bad value \"inf\" (expected a number of ms > 0, e.g. 500 or 500ms)" },
	{ "p99=1e999", 0, 0, "p99: bad value \"1e999\" (expected a number of ms > 0, e.g. 500 or 500ms)" },
	{ "throughput=0", 0, 0, "throughput: bad value \"0\" (expected req/s > 0, e.g. 100)" },
	{ "throughput=5%", 0, 0, "throughput: bad value \"5%\" (expected req/s > 0, e.g. 100)" },
	{ "error-rate=101", 0, 0,
	  "error-rate: bad value \"101\" (expected a percentage 0..100, e.g. 1 or 1%)" },
	{ "error_rate=-1", 0, 0,
	  "error-rate: bad value \"-1\" (expected a percentage 0..100, e.g. 1 or 1%)" },
	{ "recovery=0s", 0, 0, "recovery: bad value \"0s\" (expected seconds > 0, e.g. 60 or 60s)" },
	{ "warn=101", 0, 0, "warn: bad value \"101\" (expected a percentage 0..100, e.g. 20 or 20%)" },
	{ "warn=-1", 0, 0, "warn: bad value \"-1\" (expected a percentage 0..100, e.g. 20 or 20%)" },
	{ "p95=12=3", 0, 0, "p95: bad value \"12=3\" (expected a number of ms > 0, e.g. 150 or 150ms)" },
};

START_TEST(test_set_table)
{
	struct target_set ts, before;
	char err[512] = "";
	int rc;

	targets_defaults(&ts);
	before = ts;
	rc = targets_set(&ts, set_cases[_i].text, err, sizeof(err));
	if (set_cases[_i].err != NULL) {
		ck_assert_msg(rc == -1, "\"%s\" accepted", set_cases[_i].text);
		ck_assert_str_eq(err, set_cases[_i].err);
		ck_assert(memcmp(&ts, &before, sizeof(ts)) == 0);
		return;
	}
	ck_assert_msg(rc == 0, "\"%s\": %s", set_cases[_i].text, err);
	if (set_cases[_i].id == WARN_ID)
		ck_assert_double_eq_tol(ts.warn_band, set_cases[_i].want, 1e-12);
	else
		ck_assert_double_eq_tol(ts.limit[set_cases[_i].id], set_cases[_i].want, 1e-12);
}
END_TEST

START_TEST(test_set_too_long)
{
	struct target_set ts;
	char text[2100], err[256];

	targets_defaults(&ts);
	memset(text, '1', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "p95=", 4);
	ck_assert_int_eq(targets_set(&ts, text, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "target setting too long (over 1024 bytes)");
}
END_TEST

/* A temp file with the given contents; the path buffer receives its name. */
static void temp_file(char *path, size_t len, const char *contents)
{
	int fd;
	size_t n = strlen(contents);

	snprintf(path, len, "%s/rt_targets_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, contents, n), (ssize_t)n);
	close(fd);
}

START_TEST(test_load_file_good)
{
	char path[256], err[512] = "";
	struct target_set ts;

	targets_defaults(&ts);
	temp_file(path, sizeof(path),
		  "# routertop targets\n"
		  "\n"
		  "p95 = 120ms\n"
		  "  p99=400   # tail latency\n"
		  "\tthroughput\t=\t250\r\n"
		  "error-rate = 0.5 %\n"
		  "   # indented comment\n"
		  "recovery = 30s\n"
		  "warn = 10");	/* no final newline */
	ck_assert_msg(targets_load_file(&ts, path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_double_eq(ts.limit[TARGET_P95], 120.0);
	ck_assert_double_eq(ts.limit[TARGET_P99], 400.0);
	ck_assert_double_eq(ts.limit[TARGET_THROUGHPUT], 250.0);
	ck_assert_double_eq(ts.limit[TARGET_ERROR_RATE], 0.5);
	ck_assert_double_eq(ts.limit[TARGET_RECOVERY], 30.0);
	ck_assert_double_eq_tol(ts.warn_band, 0.10, 1e-12);
	unlink(path);
}
END_TEST

/* Bad files: contents and the message after "PATH:". */
static const struct {
	const char *contents;
	const char *err;
} bad_file_cases[] = {
	{ "p95 = 120\n\np96 = 3\n",
	  "3: unknown target key \"p96\" (known: p95, p99, throughput, error-rate, recovery, warn)" },
	{ "# only p95\np95\n", "2: missing '=' in \"p95\"" },
	{ "p99 = lots # comment\n",
	  "1: p99: bad value \"lots\" (expected a number of ms > 0, e.g. 500 or 500ms)" },
	{ "recovery = # nothing\n",
	  "1: recovery: bad value \"\" (expected seconds > 0, e.g. 60 or 60s)" },
};

START_TEST(test_load_file_bad)
{
	char path[256], err[512] = "", want[1024];
	struct target_set ts, before;

	targets_defaults(&ts);
	before = ts;
	temp_file(path, sizeof(path), bad_file_cases[_i].contents);
	ck_assert_int_eq(targets_load_file(&ts, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:%s", path, bad_file_cases[_i].err);
	ck_assert_str_eq(err, want);
	/* Nothing of a bad file is applied, not even its good lines. */
	ck_assert(memcmp(&ts, &before, sizeof(ts)) == 0);
	unlink(path);
}
END_TEST

START_TEST(test_load_file_long_lines)
{
	char path[256], err[512] = "", want[512];
	char *contents = malloc(8192);
	struct target_set ts;

	targets_defaults(&ts);
	/* A line of exactly 1024 bytes is fine (value padded with spaces). */
	strcpy(contents, "p95 = 130");
	memset(contents + 9, ' ', 1024 - 9);
	strcpy(contents + 1024, "\n");
	temp_file(path, sizeof(path), contents);
	ck_assert_msg(targets_load_file(&ts, path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_double_eq(ts.limit[TARGET_P95], 130.0);
	unlink(path);
	/* One more byte on line 2 is an error. */
	strcpy(contents, "p99 = 450\np95 = 130");
	memset(contents + 19, ' ', 1025 - 9);
	strcpy(contents + 19 + 1025 - 9, "\nwarn = 5\n");
	temp_file(path, sizeof(path), contents);
	ck_assert_int_eq(targets_load_file(&ts, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: line too long (over 1024 bytes)", path);
	ck_assert_str_eq(err, want);
	unlink(path);
	/* A very long line, no crash. */
	memset(contents, '#', 8000);
	contents[8000] = '\0';
	temp_file(path, sizeof(path), contents);
	ck_assert_int_eq(targets_load_file(&ts, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1: line too long (over 1024 bytes)", path);
	ck_assert_str_eq(err, want);
	unlink(path);
	free(contents);
}
END_TEST

START_TEST(test_load_file_unreadable)
{
	char dir[256], path[512], err[512] = "", want[600];
	struct target_set ts;

	targets_defaults(&ts);
	snprintf(dir, sizeof(dir), "%s/rt_targets_dir_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	ck_assert_int_eq(targets_load_file(&ts, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);
	/* A directory is refused as a settings file. */
	ck_assert_int_eq(targets_load_file(&ts, dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: a directory, not a file to read settings from", dir);
	ck_assert_str_eq(err, want);
	rmdir(dir);
}
END_TEST

/*
 * Rows. Scoped settings: text, the row and key they land on, the value
 * (WARN_ID for the band), or the error.
 */
static const struct {
	const char *text;
	const char *row;
	int id;
	double want;
	const char *err;
} scoped_cases[] = {
	{ "search:p99=800", "search", TARGET_P99, 800.0, NULL },
	{ " search : p95 = 0.2s ", "search", TARGET_P95, 200.0, NULL },
	{ "search:throughput=50", "search", TARGET_THROUGHPUT, 50.0, NULL },
	{ "search:warn=10", "search", WARN_ID, 0.10, NULL },
	/* The key is after the last colon: instances have ports. */
	{ "10.0.0.1:9090:p99=400", "10.0.0.1:9090", TARGET_P99, 400.0, NULL },
	{ "a b:error-rate=5%", "a b", TARGET_ERROR_RATE, 5.0, NULL },
	/* Names are matched as shown: a control character is a space. */
	{ "x\ty:p95=10", "x y", TARGET_P95, 10.0, NULL },
	{ ":p99=800", NULL, 0, 0, "missing row name before ':p99'" },
	{ " :p99=800", NULL, 0, 0, "missing row name before ':p99'" },
	{ "search:p98=1", NULL, 0, 0,
	  "unknown target key \"p98\" (known: p95, p99, throughput, error-rate, recovery, warn)" },
	{ "search:=1", NULL, 0, 0,
	  "unknown target key \"\" (known: p95, p99, throughput, error-rate, recovery, warn)" },
	{ "search:p99=fast", NULL, 0, 0,
	  "search:p99: bad value \"fast\" (expected a number of ms > 0, e.g. 500 or 500ms)" },
	{ "search:p99", NULL, 0, 0, "missing '=' in \"search:p99\"" },
};

START_TEST(test_scoped_set)
{
	struct target_set ts, before;
	char err[512] = "";
	int rc;

	targets_defaults(&ts);
	before = ts;
	rc = targets_set(&ts, scoped_cases[_i].text, err, sizeof(err));
	if (scoped_cases[_i].err != NULL) {
		ck_assert_msg(rc == -1, "\"%s\" accepted", scoped_cases[_i].text);
		ck_assert_str_eq(err, scoped_cases[_i].err);
		ck_assert(memcmp(&ts, &before, sizeof(ts)) == 0);
		return;
	}
	ck_assert_msg(rc == 0, "\"%s\": %s", scoped_cases[_i].text, err);
	/* The router's targets are untouched. */
	ck_assert(memcmp(ts.limit, before.limit, sizeof(ts.limit)) == 0);
	ck_assert_double_eq(ts.warn_band, before.warn_band);
	ck_assert_uint_eq(ts.nrows, 1);
	ck_assert_str_eq(ts.rows[0].row, scoped_cases[_i].row);
	for (int i = 0; i < TARGET_COUNT; i++) {
		if (i == scoped_cases[_i].id && scoped_cases[_i].id != WARN_ID)
			ck_assert_double_eq_tol(ts.rows[0].limit[i], scoped_cases[_i].want, 1e-12);
		else
			ck_assert(isnan(ts.rows[0].limit[i]));
	}
	if (scoped_cases[_i].id == WARN_ID)
		ck_assert_double_eq_tol(ts.rows[0].warn_band, scoped_cases[_i].want, 1e-12);
	else
		ck_assert(isnan(ts.rows[0].warn_band));
}
END_TEST

START_TEST(test_scoped_limits)
{
	struct target_set ts;
	struct target_limits lim;
	char err[256];

	targets_defaults(&ts);
	ck_assert_int_eq(targets_set(&ts, "p99=450", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "search:p99=800", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "search:p95=300", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "chat:throughput=50", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "search:p99=900", err, sizeof(err)), 0);
	ck_assert_uint_eq(ts.nrows, 2);
	/* The router: its own limits. */
	targets_limits(&ts, NULL, &lim);
	ck_assert_double_eq(lim.limit[TARGET_P99], 450);
	ck_assert_double_eq(lim.limit[TARGET_THROUGHPUT], 100);
	/* A row: the router's, no throughput, then its own (the last setting wins). */
	targets_limits(&ts, "search", &lim);
	ck_assert_double_eq(lim.limit[TARGET_P95], 300);
	ck_assert_double_eq(lim.limit[TARGET_P99], 900);
	ck_assert(isnan(lim.limit[TARGET_THROUGHPUT]));
	ck_assert_double_eq(lim.limit[TARGET_ERROR_RATE], 1);
	ck_assert_double_eq(lim.warn_band, 0.2);
	targets_limits(&ts, "chat", &lim);
	ck_assert_double_eq(lim.limit[TARGET_THROUGHPUT], 50);
	ck_assert_double_eq(lim.limit[TARGET_P99], 450);
	targets_limits(&ts, "other", &lim);
	ck_assert(isnan(lim.limit[TARGET_THROUGHPUT]));
	ck_assert_double_eq(lim.limit[TARGET_P95], 150);
}
END_TEST

START_TEST(test_scoped_too_many)
{
	struct target_set ts;
	char text[64], err[256];

	targets_defaults(&ts);
	for (int i = 0; i < TARGETS_ROWS_MAX; i++) {
		snprintf(text, sizeof(text), "row%d:p99=%d", i, 100 + i);
		ck_assert_int_eq(targets_set(&ts, text, err, sizeof(err)), 0);
	}
	/* An existing row still takes more; a new one is refused. */
	ck_assert_int_eq(targets_set(&ts, "row7:p95=5", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "one-more:p99=1", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "one-more: too many rows with targets (at most 64)");
	ck_assert_uint_eq(ts.nrows, TARGETS_ROWS_MAX);
}
END_TEST

START_TEST(test_scoped_file)
{
	char path[256], err[512] = "", want[600];
	struct target_set ts;

	targets_defaults(&ts);
	temp_file(path, sizeof(path),
		  "p99 = 450\n"
		  "search:p99 = 800ms   # search is slow by design\n"
		  "10.0.0.1:9090 : recovery = 2m\n");
	ck_assert_msg(targets_load_file(&ts, path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_double_eq(ts.limit[TARGET_P99], 450);
	ck_assert_uint_eq(ts.nrows, 2);
	ck_assert_str_eq(ts.rows[0].row, "search");
	ck_assert_double_eq(ts.rows[0].limit[TARGET_P99], 800);
	ck_assert_str_eq(ts.rows[1].row, "10.0.0.1:9090");
	ck_assert_double_eq(ts.rows[1].limit[TARGET_RECOVERY], 120);
	unlink(path);
	temp_file(path, sizeof(path), "search:p99 = 800\n:p95 = 3\n");
	ck_assert_int_eq(targets_load_file(&ts, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: missing row name before ':p95'", path);
	ck_assert_str_eq(err, want);
	unlink(path);
}
END_TEST


/* A row is graded as the router would be, except for throughput (no target unless set). */
START_TEST(test_row_grades_like_router)
{
	struct target_set ts;
	struct history *h = history_new(8);
	struct evaluation agg, row;
	enum target_id id = grade_cases[_i].id;

	targets_defaults(&ts);
	history_with_value_by(h, id, grade_cases[_i].value, push_with_row);
	ck_assert_uint_eq(history_rows(h), 1);
	targets_evaluate(&ts, h, NOW, INTERVAL, &agg);
	targets_evaluate_row(&ts, "r", history_row(h, 0), NOW, INTERVAL, &row);
	ck_assert_int_eq(agg.t[id].status, grade_cases[_i].want);
	ck_assert_double_eq_tol(row.t[id].value, grade_cases[_i].value, 1e-9);
	if (id == TARGET_THROUGHPUT) {
		ck_assert_int_eq(row.t[id].status, STATUS_OK);
		ck_assert_str_eq(row.t[id].note, "no target");
		ck_assert(isnan(row.limits.limit[id]));
	} else {
		ck_assert_int_eq(row.t[id].status, grade_cases[_i].want);
		ck_assert_double_eq(row.limits.limit[id], agg.limits.limit[id]);
	}
	history_free(h);
}
END_TEST

/* Recovery of a row, from its own history: the same answers as the router's. */
START_TEST(test_row_recovery_like_router)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct evaluation agg, row;
	int k = 0;

	targets_defaults(&ts);
	do {
		struct metrics_snapshot s;

		metrics_init(&s);
		s.breaker.state = recovery_cases[_i].seq[k].st;
		push_with_row(h, &s, NOW - recovery_cases[_i].seq[k].ago_s * 1000);
		k++;
	} while (k < 6 && recovery_cases[_i].seq[k].st != BREAKER_UNKNOWN);
	targets_evaluate(&ts, h, NOW, 0, &agg);
	targets_evaluate_row(&ts, "r", history_row(h, 0), NOW, 0, &row);
	ck_assert_int_eq(row.t[TARGET_RECOVERY].status, recovery_cases[_i].want);
	ck_assert_int_eq(row.t[TARGET_RECOVERY].status, agg.t[TARGET_RECOVERY].status);
	if (isnan(recovery_cases[_i].value))
		ck_assert(isnan(row.t[TARGET_RECOVERY].value));
	else
		ck_assert_double_eq_tol(row.t[TARGET_RECOVERY].value, recovery_cases[_i].value, 1e-9);
	history_free(h);
}
END_TEST

START_TEST(test_row_scoped_evaluation)
{
	struct target_set ts;
	struct history *h = history_new(4);
	struct metrics_snapshot s = snap_latency(130, 700);
	struct evaluation ev;
	char err[256];

	targets_defaults(&ts);
	s.throughput.per_second = 40;
	push_with_row(h, &s, NOW);
	targets_evaluate_row(&ts, "r", history_row(h, 0), NOW, INTERVAL, &ev);
	ck_assert_int_eq(ev.t[TARGET_P99].status, STATUS_FAIL);
	ck_assert_int_eq(ev.t[TARGET_P95].status, STATUS_WARN);
	ck_assert_int_eq(ev.overall, STATUS_FAIL);
	ck_assert_int_eq(targets_set(&ts, "r:p99=1s", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "r:throughput=50", err, sizeof(err)), 0);
	targets_evaluate_row(&ts, "r", history_row(h, 0), NOW, INTERVAL, &ev);
	ck_assert_int_eq(ev.t[TARGET_P99].status, STATUS_OK);
	ck_assert_double_eq(ev.limits.limit[TARGET_P99], 1000);
	ck_assert_int_eq(ev.t[TARGET_THROUGHPUT].status, STATUS_FAIL);
	/* Stale data makes targets unknown, but no target stays no target. */
	ck_assert_int_eq(targets_set(&ts, "q:p95=1", err, sizeof(err)), 0);
	targets_evaluate_row(&ts, "q", history_row(h, 0), NOW + 10 * INTERVAL, INTERVAL, &ev);
	ck_assert(ev.stale);
	ck_assert_int_eq(ev.t[TARGET_P95].status, STATUS_UNKNOWN);
	ck_assert_str_eq(ev.t[TARGET_THROUGHPUT].note, "no target");
	history_free(h);
}
END_TEST

START_TEST(test_status_worst)
{
	static const enum target_status order[] = { STATUS_OK, STATUS_UNKNOWN, STATUS_WARN, STATUS_FAIL };

	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			ck_assert_int_eq(target_status_worst(order[a], order[b]), order[a > b ? a : b]);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("targets");
	TCase *eval = tcase_create("evaluate");
	TCase *parse = tcase_create("parse");
	TCase *rows = tcase_create("rows");

	tcase_add_loop_test(eval, test_grade_edges, 0, N_ELEMS(grade_cases));
	tcase_add_test(eval, test_grade_custom_band_and_zero_limit);
	tcase_add_loop_test(eval, test_latency_no_data, 0, N_ELEMS(latency_cases));
	tcase_add_test(eval, test_unknown_values_are_no_data);
	tcase_add_test(eval, test_empty_history);
	tcase_add_test(eval, test_stale);
	tcase_add_test(eval, test_error_rate_percent_from_requests);
	tcase_add_loop_test(eval, test_recovery_table, 0, N_ELEMS(recovery_cases));
	tcase_add_loop_test(eval, test_overall, 0, N_ELEMS(overall_cases));
	tcase_add_test(eval, test_status_names_and_exit_codes);
	tcase_add_test(eval, test_metadata);
	tcase_add_test(parse, test_defaults);
	tcase_add_loop_test(parse, test_set_table, 0, N_ELEMS(set_cases));
	tcase_add_test(parse, test_set_too_long);
	tcase_add_test(parse, test_load_file_good);
	tcase_add_loop_test(parse, test_load_file_bad, 0, N_ELEMS(bad_file_cases));
	tcase_add_test(parse, test_load_file_long_lines);
	tcase_add_test(parse, test_load_file_unreadable);
	tcase_add_loop_test(rows, test_scoped_set, 0, N_ELEMS(scoped_cases));
	tcase_add_test(rows, test_scoped_limits);
	tcase_add_test(rows, test_scoped_too_many);
	tcase_add_test(rows, test_scoped_file);
	tcase_add_loop_test(rows, test_row_grades_like_router, 0, N_ELEMS(grade_cases));
	tcase_add_loop_test(rows, test_row_recovery_like_router, 0, N_ELEMS(recovery_cases));
	tcase_add_test(rows, test_row_scoped_evaluation);
	tcase_add_test(rows, test_status_worst);
	suite_add_tcase(s, eval);
	suite_add_tcase(s, parse);
	suite_add_tcase(s, rows);
	return check_run_suite(s);
}
