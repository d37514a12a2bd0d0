/*
 * Check suite for the panels and keys: hand-built views drawn into canvases
 * of 80x24, 120x40 and 200x60, read back as text and roles.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "screen_read.h"
#include "ui/canvas.h"
#include "ui/input.h"
#include "ui/keys.h"
#include "ui/jump.h"
#include "ui/panels.h"
#include "ui/view.h"

static const struct {
	int w, h;
} sizes[] = { { 80, 24 }, { 120, 40 }, { 200, 60 } };
#define NSIZES ((int)(sizeof(sizes) / sizeof(sizes[0])))

static void set_target(struct view *v, enum target_id id, const char *label, const char *unit,
		       bool upper, double limit, double value, enum target_status st)
{
	struct view_target *t = &v->targets[id];

	snprintf(t->label, sizeof(t->label), "%s", label);
	snprintf(t->unit, sizeof(t->unit), "%s", unit);
	t->upper = upper;
	t->limit = limit;
	t->r.value = value;
	t->r.status = st;
}

/* The sketch of design.md as a view. */
static void sample_view(struct view *v, bool utf8)
{
	struct metrics_snapshot *s = &v->snap;

	view_init(v);
	snprintf(v->program, sizeof(v->program), "routertop 0.1.0");
	snprintf(v->source, sizeof(v->source), "sim:steady seed 42 x1");
	snprintf(v->mode, sizeof(v->mode), "sim");
	snprintf(v->clock, sizeof(v->clock), "12:04:31");
	v->interval_ms = 1000;
	v->marker = MARK_LIVE;
	v->utf8 = utf8;
	v->key_modes = KEY_MODE_SPEED | KEY_MODE_INJECT;	/* the simulated router's */
	v->has_data = true;
	s->latency = (struct metrics_latency){ .p50 = 45.2, .p90 = 89.3, .p95 = 125.7, .p99 = 234.1,
		.p999 = NAN, .max = 456.2, .min = 3.1, .avg = 67.8, .count = 1250 };
	s->throughput.per_second = 156.3;
	s->throughput.per_minute = 9378;
	s->errors = (struct metrics_errors){ 20, 2, 10, 3, METRICS_NONE };
	s->breaker.state = BREAKER_CLOSED;
	s->breaker.healthy = 1;
	s->breaker.failure_rate = 0.002;
	s->breaker.avg_response_ms = 67.8;
	snprintf(s->breaker.recommendation, sizeof(s->breaker.recommendation), "Service healthy");
	s->requests.pending = 3;
	s->active_users = 10;
	s->uptime_s = 724;
	v->deltas = (struct counter_deltas){ .timeouts = 1, .span_ms = 1000,
		.requests_total = METRICS_NONE, .requests_failed = METRICS_NONE };
	set_target(v, TARGET_P95, "P95", "ms", true, 150, 125.7, STATUS_WARN);
	set_target(v, TARGET_P99, "P99", "ms", true, 500, 234.1, STATUS_OK);
	set_target(v, TARGET_THROUGHPUT, "Throughput", "req/s", false, 100, 156.3, STATUS_OK);
	set_target(v, TARGET_ERROR_RATE, "Error rate", "%", true, 1, 0.4, STATUS_OK);
	set_target(v, TARGET_RECOVERY, "Recovery", "s", true, 60, 38, STATUS_OK);
	v->overall = STATUS_WARN;
	v->state_age_s = 252;
	v->last_recovery_s = 38;
	v->trans[0] = (struct breaker_transition){ 11000, BREAKER_CLOSED, BREAKER_OPEN };
	v->trans[1] = (struct breaker_transition){ 41000, BREAKER_OPEN, BREAKER_HALF_OPEN };
	v->trans[2] = (struct breaker_transition){ 49000, BREAKER_HALF_OPEN, BREAKER_CLOSED };
	v->ntrans = 3;
	v->src_now_ms = 301000;
	for (size_t i = 0; i < VIEW_SERIES; i++) {
		v->p50[i] = 40 + (double)(i % 7);
		v->p95[i] = 100 + (double)(i % 31);
		v->p99[i] = 200 + (double)(i % 13);
		v->rps[i] = 150 + (double)(i % 20);
		v->series_at[i] = (double)i * 1000;	/* a snapshot a second */
	}
	v->p95_n = v->rps_n = v->at_n = VIEW_SERIES;
	v->snapshots = 700;
	v->update_age_s = 0.4;
}

static struct canvas *draw_sample(int size, bool utf8, struct view *v)
{
	struct canvas *c = canvas_new(sizes[size].w, sizes[size].h);

	sample_view(v, utf8);
	panels_draw(c, v);
	return c;
}

START_TEST(test_every_panel_shown)
{
	struct view v;
	struct canvas *c = draw_sample(_i, true, &v);
	static const char *const want[] = {
		"routertop 0.1.0", "sim:steady seed 42 x1", "12:04:31", "every 1 s", "LIVE",
		"Latency ms · last 1,250", "Throughput", "Circuit breaker", "Errors", "Targets",
		"System", "q quit", "space pause", "e events", "f/t/l/s faults",
		"? help", "156.3 req/s", "9,378 req/min", "CLOSED", "healthy", "for 4m12s", "\"Service healthy\"",
		"failure rate 0.2 %", "avg 67.8 ms", "last recovery 38 s (< 60 s)",
		"breaker trips", "rate limited", "timeouts", "failures", "samples", "1,250",
		"active users", "in flight", "uptime", "12m04s", "400 ms ago", "snapshots",
		"overall", "target (> 100 req/s)", "data 400 ms old",
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(screen_contains(c, want[i]), "%dx%d: '%s' missing", c->w, c->h, want[i]);
	/* The sketch's header does not repeat the kind when describe() starts with it. */
	ck_assert(!screen_contains(c, "[sim]"));
	ck_assert_int_eq(screen_role_of(c, "LIVE"), ROLE_OK);
	ck_assert_int_eq(screen_role_of(c, "CLOSED"), ROLE_BREAKER_CLOSED);
	canvas_free(c);
}
END_TEST

START_TEST(test_latency_highlights)
{
	struct view v;
	struct canvas *c = draw_sample(_i, true, &v);
	int x, y;

	ck_assert(screen_locate(c, "P95  125.7!", &x, &y));
	ck_assert_int_eq(canvas_cell(c, x + 5, y)->role, ROLE_WARN);
	ck_assert_int_eq(canvas_cell(c, x + 5, y)->attr & ATTR_BOLD, ATTR_BOLD);
	ck_assert_int_eq(canvas_cell(c, x + 10, y)->role, ROLE_WARN);
	ck_assert(screen_locate(c, "P99  234.1 ", &x, &y));
	ck_assert_int_eq(canvas_cell(c, x + 5, y)->role, ROLE_OK);
	ck_assert(screen_contains(c, "P50   45.2"));
	ck_assert(screen_contains(c, "max  456.2"));
	canvas_free(c);
}
END_TEST

/* Latencies of a second and more drop the decimals, so a label never touches its value. */
START_TEST(test_latency_large_values_keep_a_space)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);

	sample_view(&v, true);
	v.snap.latency.max = 12345.6;
	v.snap.latency.p999 = 1000.2;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "max  12346"));
	if (c->w >= 120)
		ck_assert(screen_contains(c, "P99.9  1000"));
	canvas_free(c);
}
END_TEST

/* Braille cells (U+2800..U+28FF) on row y between columns x0 and x1, and how many are in role. */
static int braille_cells(const struct canvas *c, int y, int x0, int x1, enum canvas_role role,
			 int *in_role)
{
	int n = 0;

	*in_role = 0;
	for (int x = x0; x < x1; x++) {
		const struct cell *k = canvas_cell(c, x, y);
		const unsigned char *g = (const unsigned char *)k->glyph;

		if (g[0] == 0xe2 && g[1] >= 0xa0 && g[1] <= 0xa3) {
			n++;
			*in_role += k->role == role;
		}
	}
	return n;
}

/* Rows y0 .. y1 - 1 summed. */
static int braille_area(const struct canvas *c, int y0, int y1, int x0, int x1, enum canvas_role role,
			int *in_role)
{
	int n = 0, r, sum = 0;

	for (int y = y0; y < y1; y++) {
		n += braille_cells(c, y, x0, x1, role, &r);
		sum += r;
	}
	*in_role = sum;
	return n;
}

START_TEST(test_charts_grow_with_width)
{
	struct view v;
	int prev = 0;

	for (int i = 0; i < NSIZES; i++) {
		struct canvas *c = draw_sample(i, true, &v);
		int x, y, bottom, n, p95;

		/* The latency chart: from under the P95 line to the box's bottom border. */
		ck_assert(screen_locate(c, "P95  125.7", &x, &y));
		ck_assert(screen_locate_from(c, "└", y, &x, &bottom));
		n = braille_area(c, y + 1, bottom, 0, c->w / 2, ROLE_CHART, &p95);
		ck_assert_msg(n > prev, "%dx%d: chart %d cells, smaller one had %d", c->w, c->h, n, prev);
		ck_assert_msg(p95 > 0, "%dx%d: no P95 line", c->w, c->h);
		prev = n;
		canvas_free(c);
	}
}
END_TEST

/*
 * Scaled to what shows: the latency lines run from P50's lowest (40) to
 * P99's highest (212) with the P95 target (150) inside as a dashed line;
 * throughput from its lowest (150) to its highest (169), stretched down to
 * take in its target (100). The bottom borders say how long a span shows
 * (a sample a second: the chart's dot columns, less one) and what the
 * dashes are; wider screens show longer spans.
 */
START_TEST(test_chart_labels)
{
	struct view v;
	struct canvas *c = draw_sample(_i, true, &v);
	int x, y, n, t, bottom;

	if (c->h == 24) {
		ck_assert(screen_contains(c, " 40..212 "));
		ck_assert(screen_contains(c, " 100..169 "));
		/* 36 columns less the labels' 8: 28 cells, 56 samples, 55 s. */
		ck_assert(screen_contains(c, "◂ 55 s "));
	} else {
		ck_assert(screen_contains(c, " 212 "));
		ck_assert(screen_contains(c, " 40 "));
		ck_assert(screen_contains(c, " 169 "));
		ck_assert(screen_contains(c, " 100 "));
	}
	if (c->w == 120)
		ck_assert(screen_contains(c, "◂ 1m43s "));	/* 56 columns less 4: 104 samples */
	ck_assert(screen_contains(c, "╌╌ target 150 "));
	ck_assert(screen_contains(c, "╌╌ target 100 "));
	ck_assert(screen_locate(c, "P95  125.7", &x, &y));
	ck_assert(screen_locate_from(c, "└", y, &x, &bottom));
	n = braille_area(c, y + 1, bottom, 0, c->w / 2, ROLE_TARGET, &t);
	ck_assert(n > 0);
	/* A one-row chart has the data over every dash; taller ones show dashes of their own. */
	ck_assert_msg(c->h == 24 || t > 0, "%dx%d: no target dashes", c->w, c->h);
	ck_assert_int_eq(screen_role_of(c, "P50 "), ROLE_CHART2);	/* the legend */
	ck_assert_int_eq(screen_role_of(c, "P99 "), ROLE_CHART3);
	canvas_free(c);
}
END_TEST

/* A target far from the data stays off the chart, which keeps its resolution; the border says where it is. */
START_TEST(test_chart_target_off_range)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	int x, y, t;

	sample_view(&v, true);
	v.targets[TARGET_P95].limit = 5000;
	v.targets[TARGET_THROUGHPUT].limit = 20;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "target 5000 above"));
	ck_assert(screen_contains(c, "target 20 below"));
	ck_assert(!screen_contains(c, "╌╌ target"));
	ck_assert(screen_locate(c, "P95  125.7", &x, &y));
	braille_area(c, y + 1, c->h, 0, c->w, ROLE_TARGET, &t);
	ck_assert_int_eq(t, 0);
	canvas_free(c);
}
END_TEST

/* A flat series (lowest = highest) is a line across the middle, labelled with its one value. */
START_TEST(test_chart_flat)
{
	struct view v;
	struct canvas *c = canvas_new(120, 40);
	int x, y, n, r;

	sample_view(&v, true);
	for (size_t i = 0; i < VIEW_SERIES; i++)
		v.rps[i] = 150;
	v.targets[TARGET_THROUGHPUT].limit = NAN;
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "Throughput", &x, &y));
	n = braille_area(c, y + 2, y + 12, c->w / 2, c->w, ROLE_CHART, &r);
	ck_assert_int_gt(n, 50);
	ck_assert_int_eq(n, r);
	ck_assert(!screen_contains(c, "target 100"));
	canvas_free(c);
}
END_TEST

START_TEST(test_boxes_closed)
{
	struct view v;
	struct canvas *c = draw_sample(_i, true, &v);
	int lw = c->w / 2;

	/* Every box border sits where the layout puts it, nothing overwrote it. */
	ck_assert_int_eq(canvas_cell(c, 0, 1)->line, LINE_UL);
	ck_assert_int_eq(canvas_cell(c, lw - 1, 1)->line, LINE_UR);
	ck_assert_int_eq(canvas_cell(c, lw, 1)->line, LINE_UL);
	ck_assert_int_eq(canvas_cell(c, c->w - 1, 1)->line, LINE_UR);
	/* Down to the bottom of the Targets and System boxes; spare rows follow. */
	for (int y = 2; canvas_cell(c, 0, y)->line != LINE_NONE; y++) {
		int l = canvas_cell(c, 0, y)->line, r = canvas_cell(c, c->w - 1, y)->line;

		ck_assert_msg(l == LINE_V || l == LINE_UL || l == LINE_LL, "%dx%d row %d: %s", c->w,
			      c->h, y, screen_row(c, y));
		ck_assert_msg(r == LINE_V || r == LINE_UR || r == LINE_LR, "%dx%d row %d: %s", c->w,
			      c->h, y, screen_row(c, y));
		l = canvas_cell(c, lw - 1, y)->line;
		ck_assert_msg(l == LINE_V || l == LINE_UR || l == LINE_LR, "%dx%d row %d: %s", c->w,
			      c->h, y, screen_row(c, y));
	}
	canvas_free(c);
}
END_TEST

START_TEST(test_targets_panel)
{
	struct view v;
	struct canvas *c = draw_sample(_i, true, &v);
	int x, y, tx, ty;

	ck_assert(screen_locate(c, "┌ Targets", &tx, &ty));
	ck_assert(screen_locate_from(c, "P95", ty + 1, &x, &y));
	ck_assert_int_eq(y, ty + 1);
	ck_assert_msg(strstr(screen_row(c, y), "125.7! ms    < 150") != NULL, "%s", screen_row(c, y));
	ck_assert(strstr(screen_row(c, y), "WARN") != NULL);
	ck_assert_int_eq(screen_role_of(c, "WARN"), ROLE_WARN);
	ck_assert(strstr(screen_row(c, y + 2), "Throughput") != NULL);
	ck_assert(strstr(screen_row(c, y + 2), "156.3  req/s > 100") != NULL);
	ck_assert(strstr(screen_row(c, y + 4), "Recovery") != NULL);
	ck_assert(strstr(screen_row(c, y + 5), "overall") != NULL);
	ck_assert(strstr(screen_row(c, y + 5), "WARN") != NULL);
	canvas_free(c);
}
END_TEST

static const struct {
	enum target_status st;
	const char *word;
	enum canvas_role role;
} status_cases[] = {
	{ STATUS_OK, "OK", ROLE_OK },
	{ STATUS_WARN, "WARN", ROLE_WARN },
	{ STATUS_FAIL, "FAIL", ROLE_FAIL },
	{ STATUS_UNKNOWN, "n/a", ROLE_UNKNOWN },
};

START_TEST(test_status_words)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	int x, y, tx, ty;
	char *r;

	sample_view(&v, true);
	v.targets[TARGET_P99].r.status = status_cases[_i].st;
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "┌ Targets", &tx, &ty));
	r = strstr(screen_row(c, ty + 2), status_cases[_i].word);
	ck_assert_msg(r != NULL, "%s", screen_row(c, ty + 2));
	x = screen_columns(screen_row(c, ty + 2), (size_t)(r - screen_row(c, ty + 2)));
	ck_assert_int_eq(canvas_cell(c, x, ty + 2)->role, status_cases[_i].role);
	/* A missed value carries a mark besides its colour. */
	ck_assert_int_eq(strstr(screen_row(c, ty + 2), "234.1!") != NULL,
			 status_cases[_i].st == STATUS_WARN || status_cases[_i].st == STATUS_FAIL);
	ck_assert(screen_locate(c, "P99  234.1", &x, &y));
	ck_assert_int_eq(canvas_cell(c, x + 5, y)->role, status_cases[_i].role);
	ck_assert_int_eq(panels_status_role(status_cases[_i].st), status_cases[_i].role);
	canvas_free(c);
}
END_TEST

START_TEST(test_unknown_is_na)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	int x, at;

	view_init(&v);
	v.interval_ms = 5000;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "WAITING"));
	ck_assert(screen_contains(c, "P50    n/a"));
	ck_assert(screen_contains(c, "n/a req/s"));
	ck_assert(screen_contains(c, "n/a req/min"));
	ck_assert(screen_contains(c, "waiting for the first snapshot"));
	ck_assert(screen_contains(c, "every 5 s"));
	/* Nothing unknown may read as zero. */
	for (int y = 0; y < c->h; y++) {
		ck_assert_msg(strstr(screen_row(c, y), "0.0") == NULL, "row %d: %s", y, screen_row(c, y));
		ck_assert_msg(strstr(screen_row(c, y), "+0") == NULL, "row %d: %s", y, screen_row(c, y));
	}
	ck_assert(screen_locate(c, "P50    n/a", &x, &at));
	ck_assert_int_eq(canvas_cell(c, x + 7, at)->role, ROLE_UNKNOWN);
	ck_assert(screen_contains(c, "< n/a "));	/* view_init's screen is ASCII */
	ck_assert(!screen_contains(c, "n/a..n/a"));
	canvas_free(c);
}
END_TEST

START_TEST(test_stale_marked)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	int x, y;

	sample_view(&v, true);
	v.stale = true;
	v.marker = MARK_STALE;
	v.update_age_s = 12;
	panels_draw(c, &v);
	ck_assert_int_eq(screen_role_of(c, "STALE"), ROLE_STALE);
	ck_assert(screen_locate(c, "STALE", &x, &y));
	ck_assert_int_eq(y, 0);
	ck_assert(screen_contains(c, "Latency ms · last 1,250 STALE"));
	ck_assert(screen_contains(c, "Throughput STALE"));
	ck_assert(screen_contains(c, "Circuit breaker STALE"));
	ck_assert(screen_contains(c, "System STALE"));
	ck_assert(screen_contains(c, "STALE: showing the last good data, 12 s old"));
	/* The last good values stay on the screen. */
	ck_assert(screen_contains(c, "125.7"));
	canvas_free(c);
}
END_TEST

START_TEST(test_long_source_clipped)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);

	sample_view(&v, true);
	memset(v.source, 'x', sizeof(v.source) - 1);
	v.source[sizeof(v.source) - 1] = '\0';
	snprintf(v.mode, sizeof(v.mode), "http");
	panels_draw(c, &v);
	/* The clock, interval and marker keep their places. */
	ck_assert_msg(strstr(screen_row(c, 0), "xxx 12:04:31  every 1 s   LIVE ") != NULL, "%s", screen_row(c, 0));
	ck_assert(strstr(screen_row(c, 0), "[http]") == NULL);
	canvas_free(c);
}
END_TEST

START_TEST(test_paused_marker)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	int x, y;

	sample_view(&v, true);
	v.marker = MARK_PAUSED;
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "PAUSED", &x, &y));
	ck_assert_int_eq(y, 0);
	ck_assert_int_eq(canvas_cell(c, x, y)->role, ROLE_PAUSED);
	ck_assert(canvas_cell(c, x, y)->attr & ATTR_REVERSE);
	ck_assert(!screen_contains(c, "LIVE"));
	canvas_free(c);
}
END_TEST

START_TEST(test_source_error_line)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	int x, y;

	sample_view(&v, true);
	snprintf(v.last_error, sizeof(v.last_error), "HTTP 500 from http://127.0.0.1:9/metrics");
	v.error_age_s = 2;
	v.update_age_s = 65;
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "! HTTP 500 from http://127.0.0.1:9/metrics  (2.0 s ago; data 1m05s old)", &x, &y));
	ck_assert_int_eq(y, c->h - 2);
	ck_assert_int_eq(canvas_cell(c, x, y)->role, ROLE_FAIL);
	canvas_free(c);
}
END_TEST

/* At 80 columns a long message is clipped, the ages are not; before any data there is no age. */
START_TEST(test_source_error_line_long)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);

	sample_view(&v, true);
	snprintf(v.last_error, sizeof(v.last_error), "command output: line 1, column 1: invalid JSON "
		 "in a message that goes on and on past the edge");
	v.error_age_s = 2;
	v.update_age_s = 65;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "! command output: line 1, column 1: invalid"));
	ck_assert(screen_contains(c, "(2.0 s ago; data 1m05s old)"));
	v.has_data = false;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "(2.0 s ago; no data yet)"));
	canvas_free(c);
}
END_TEST

START_TEST(test_notice_line)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	int x, y;

	sample_view(&v, true);
	snprintf(v.last_error, sizeof(v.last_error), "timeout");
	snprintf(v.notice, sizeof(v.notice), "cannot step: only recordings can be stepped through");
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "cannot step: only recordings", &x, &y));
	ck_assert_int_eq(y, c->h - 2);
	ck_assert_int_eq(canvas_cell(c, x, y)->role, ROLE_WARN);
	canvas_free(c);
}
END_TEST

/*
 * A recording's timeline bar and position line, at each size: the bar on the
 * row above the status line, the first half read (a FAIL, then a breaker
 * transition), the second still blank, the screen's mark a quarter in; the
 * position right-aligned on the status line; a notice takes its place.
 */
START_TEST(test_timeline_and_position)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	const char *bar;
	int x, y, w = sizes[_i].w - 2;

	sample_view(&v, false);
	v.replay = v.has_timeline = true;
	v.cursor = 0.25;
	snprintf(v.position, sizeof(v.position), "2026-11-27 10:04:31  line 1,234  25%%");
	for (size_t i = 0; i < TIMELINE_BINS / 2; i++)
		v.timeline[i] = TIMELINE_SCANNED;
	v.timeline[TIMELINE_BINS / 8] |= TIMELINE_FAIL;
	v.timeline[TIMELINE_BINS * 3 / 8] |= TIMELINE_TRANSITION;
	panels_draw(c, &v);
	bar = screen_row(c, c->h - 3);
	ck_assert_ptr_nonnull(strchr(bar, '#'));
	ck_assert_ptr_nonnull(strchr(bar, '|'));
	ck_assert_ptr_nonnull(strchr(bar, '^'));
	ck_assert_int_le(abs(screen_columns(bar, (size_t)(strchr(bar, '#') - bar)) - (1 + w / 8)), 1);
	ck_assert_int_eq(screen_columns(bar, (size_t)(strchr(bar, '^') - bar)), 1 + (int)(0.25 * (w - 1) + 0.5));
	ck_assert_int_lt(strchr(bar, '^') - bar, strchr(bar, '|') - bar);
	/* Unread: blank; read and calm: a plain line. */
	ck_assert_int_eq(bar[1 + w - 2], ' ');
	ck_assert_int_eq(bar[1 + 2], '-');
	ck_assert(screen_locate(c, "line 1,234  25%", &x, &y));
	ck_assert_int_eq(y, c->h - 2);
	ck_assert_int_eq(x + (int)strlen("line 1,234  25%"), c->w - 2);
	snprintf(v.notice, sizeof(v.notice), "cannot step back: at the first snapshot");
	panels_draw(c, &v);
	ck_assert(!screen_locate(c, "line 1,234", &x, &y));
	canvas_free(c);
}
END_TEST

static const struct {
	enum breaker_state st;
	const char *word;
	enum canvas_role role;
} breaker_cases[] = {
	{ BREAKER_CLOSED, "● CLOSED", ROLE_BREAKER_CLOSED },
	{ BREAKER_HALF_OPEN, "● HALF-OPEN", ROLE_BREAKER_HALF },
	{ BREAKER_OPEN, "● OPEN", ROLE_BREAKER_OPEN },
	{ BREAKER_UNKNOWN, "● n/a", ROLE_UNKNOWN },
};

START_TEST(test_breaker_states)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);

	sample_view(&v, true);
	v.snap.breaker.state = breaker_cases[_i].st;
	panels_draw(c, &v);
	ck_assert_msg(screen_contains(c, breaker_cases[_i].word), "'%s' missing", breaker_cases[_i].word);
	ck_assert_int_eq(screen_role_of(c, breaker_cases[_i].word), breaker_cases[_i].role);
	ck_assert_int_eq(panels_breaker_role(breaker_cases[_i].st), breaker_cases[_i].role);
	canvas_free(c);
}
END_TEST

/* The recovery clock: an open breaker counts down to half-open, and the outage runs against the target. */
START_TEST(test_recovery_clock)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);

	sample_view(&v, true);
	v.snap.breaker.state = BREAKER_OPEN;
	v.state_age_s = 5;
	v.half_open_in_s = 3;
	v.outage_s = 5;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "● OPEN for 5.0 s, half-open in 3.0 s"));
	ck_assert_int_eq(screen_role_of(c, "half-open in 3.0 s"), ROLE_BREAKER_HALF);
	ck_assert(screen_contains(c, "recovering: out 5.0 s (< 60 s)"));
	ck_assert_int_eq(screen_role_of(c, "recovering:"), ROLE_WARN);
	ck_assert(!screen_contains(c, "last recovery"));
	/* Half-open: no countdown; past the target, the clock says FAIL. */
	v.snap.breaker.state = BREAKER_HALF_OPEN;
	v.half_open_in_s = NAN;
	v.outage_s = 75;
	panels_draw(c, &v);
	ck_assert(!screen_contains(c, "half-open in"));
	ck_assert(screen_contains(c, "recovering: out 1m15s (< 60 s)"));
	ck_assert_int_eq(screen_role_of(c, "recovering:"), ROLE_FAIL);
	ck_assert_int_eq(screen_role_of(c, "FAIL"), ROLE_FAIL);
	/* Closed again: the measured recovery against the target. */
	v.snap.breaker.state = BREAKER_CLOSED;
	v.outage_s = NAN;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "last recovery 38 s (< 60 s)"));
	canvas_free(c);
}
END_TEST

static void add_event(struct view *v, int64_t at_ms, enum eventlog_kind kind, const char *row,
		      enum breaker_state from, enum breaker_state to, const char *text)
{
	/* The view points into the log; here the log is this array. */
	static struct eventlog_entry log[VIEW_EVENTS];
	struct eventlog_entry *e = &log[v->events.n];

	v->events.lines[v->events.n++] = e;

	memset(e, 0, sizeof(*e));
	e->at_ms = at_ms;
	e->kind = kind;
	e->from = from;
	e->to = to;
	snprintf(e->row, sizeof(e->row), "%s", row);
	snprintf(e->text, sizeof(e->text), "%s", text);
	v->events.total = v->events.n;
}

/* The event log takes the bottom panels' place, newest line last, each with its time, row and reason. */
START_TEST(test_event_log_panel)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	int x, y, ly;

	sample_view(&v, true);
	v.events.on = true;
	v.events.start_ms = 1000;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "┌ Event log"));
	ck_assert(screen_contains(c, "no events yet"));
	ck_assert(!screen_contains(c, "┌ Targets"));
	ck_assert(!screen_contains(c, "┌ System"));
	add_event(&v, 61000, EVLOG_FAULT, "search", BREAKER_UNKNOWN, BREAKER_UNKNOWN, "failure rate 50 %");
	add_event(&v, 62000, EVLOG_BREAKER, "search", BREAKER_CLOSED, BREAKER_OPEN, "5 consecutive failures");
	add_event(&v, 70000, EVLOG_BREAKER, "search", BREAKER_OPEN, BREAKER_HALF_OPEN,
		  "open timeout 8 s elapsed");
	add_event(&v, 70100, EVLOG_PHASE, "", BREAKER_UNKNOWN, BREAKER_UNKNOWN, "phase: normal");
	panels_draw(c, &v);
	ck_assert(screen_contains(c, " 4 events "));
	ck_assert(screen_contains(c, "1:00.0 search failure rate 50 %"));
	ck_assert(screen_contains(c, "1:01.0 search closed→open  5 consecutive failures"));
	ck_assert(screen_contains(c, "1:09.0 search open→half-open  open timeout 8 s elapsed"));
	ck_assert(screen_contains(c, "1:09.1        phase: normal"));
	ck_assert(screen_locate(c, "1:01.0 search closed→open", &x, &y));
	ck_assert_int_eq(canvas_cell(c, x + 14, y)->role, ROLE_BREAKER_CLOSED);
	ck_assert_int_eq(canvas_cell(c, x + 21, y)->role, ROLE_BREAKER_OPEN);
	ck_assert_int_eq(screen_role_of(c, "failure rate 50 %"), ROLE_WARN);
	/* Newest at the bottom. */
	ck_assert(screen_locate(c, "phase: normal", &x, &ly));
	ck_assert_int_gt(ly, y);
	/* Scrolled back: the border says so. */
	v.events.back = 5;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, " 5 newer below: } "));
	canvas_free(c);
}
END_TEST

/* A log longer than the box shows its newest lines; the rows keep a column as wide as the widest name. */
START_TEST(test_event_log_newest_fit)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	char text[32];

	sample_view(&v, true);
	v.events.on = true;
	for (int i = 0; i < 30; i++) {
		snprintf(text, sizeof(text), "line %d", i);
		add_event(&v, i * 1000, EVLOG_OTHER, i % 2 ? "a-long-row-name-cut-here" : "", BREAKER_UNKNOWN,
			  BREAKER_UNKNOWN, text);
	}
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "line 29"));
	ck_assert(!screen_contains(c, "line 0 "));
	ck_assert(screen_contains(c, "a-long-row-name- line 29"));
	canvas_free(c);
}
END_TEST

/* A demo's caption: two rows under the header, the chapter and title first, the text wrapped by words. */
START_TEST(test_caption)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	int x, y;

	sample_view(&v, true);
	v.has_caption = true;
	v.chapter = 5;
	v.chapters = 9;
	snprintf(v.caption_title, sizeof(v.caption_title), "The breaker opens");
	snprintf(v.caption_text, sizeof(v.caption_text),
		 "search failed five times in a row, so its breaker opened: calls to it are refused at once "
		 "instead of waiting for a backend that is not answering.");
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "5/9 The breaker opens", &x, &y));
	ck_assert_int_eq(y, 1);
	ck_assert_int_eq(canvas_cell(c, x, y)->role, ROLE_TITLE);
	ck_assert_int_eq(canvas_cell(c, x, y)->attr & ATTR_REVERSE, ATTR_REVERSE);
	ck_assert(screen_contains(c, "5/9 The breaker opens search failed five times in a row, so its breaker"));
	ck_assert(screen_locate(c, "instead of waiting", &x, &y));
	ck_assert_int_eq(y, 2);
	/* The panels start under it. */
	ck_assert(screen_locate(c, "┌ Latency", &x, &y));
	ck_assert_int_eq(y, 3);
	ck_assert(screen_contains(c, "q quit"));
	/* Too long for two rows: cut with an ellipsis. */
	for (size_t i = strlen(v.caption_text); i < sizeof(v.caption_text) - 8; i += 7)
		memcpy(v.caption_text + i, " words.", 8);
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "…", &x, &y));
	ck_assert_int_eq(y, 2);
	canvas_free(c);
}
END_TEST

/* The faults in play: at the right end of the status line, the source's words, a word besides the colour. */
START_TEST(test_faults_line)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	int x, y;

	sample_view(&v, true);
	panels_draw(c, &v);
	ck_assert(!screen_contains(c, "FAULTS"));
	snprintf(v.faults, sizeof(v.faults), "search: failures 50 %%, timeouts  chat: latency x10");
	snprintf(v.notice, sizeof(v.notice), "chat: latency spike x10 on");
	panels_draw(c, &v);
	/* At 80 columns it is cut to leave the notice whole. */
	ck_assert(screen_locate(c, c->w > 80 ? "FAULTS search: failures 50 %, timeouts  chat: latency x10"
			  : "FAULTS search: failures 50 %, timeouts  chat: la…", &x, &y));
	ck_assert_int_eq(y, c->h - 2);
	ck_assert_str_eq(canvas_cell(c, c->w - 2, y)->glyph, c->w > 80 ? "0" : "…");
	ck_assert_int_eq(canvas_cell(c, x, y)->role, ROLE_FAIL);
	ck_assert_int_eq(canvas_cell(c, x + 8, y)->role, ROLE_WARN);
	ck_assert(screen_contains(c, " chat: latency spike x10 on"));	/* the press's notice still shows */
	/* Too long for the line: cut, never over the status line's first 24 columns. */
	v.notice[0] = '\0';
	memset(v.faults, 'x', sizeof(v.faults) - 1);
	v.faults[sizeof(v.faults) - 1] = '\0';
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "FAULTS xxx", &x, &y));
	ck_assert_int_ge(x, 24);
	ck_assert(screen_contains(c, "x…"));
	canvas_free(c);
}
END_TEST

/* A demo's end: the recap in a box, each verdict in its colour. */
START_TEST(test_recap_box)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	int x, y;

	sample_view(&v, true);
	snprintf(v.recap[0], sizeof(v.recap[0]), "targets: 1 met, 1 missed (%% of the time in FAIL, WARN)");
	snprintf(v.recap[1], sizeof(v.recap[1]), "  %-22s met", "P95 < 150 ms");
	snprintf(v.recap[2], sizeof(v.recap[2]), "  %-22s missed: router FAIL 49 %%", "Throughput > 100 req/s");
	snprintf(v.recap[3], sizeof(v.recap[3]), "  %-22s no data", "Error rate < 1 %");
	v.nrecap = 4;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "┌ Summary"));
	ck_assert_int_eq(screen_role_of(c, "targets: 1 met"), ROLE_TITLE);
	ck_assert(screen_locate(c, "met", &x, &y));
	ck_assert(screen_locate(c, "P95 < 150 ms           met", &x, &y));
	ck_assert_int_eq(canvas_cell(c, x + 23, y)->role, ROLE_OK);
	ck_assert(screen_locate(c, "Throughput > 100 req/s missed: router FAIL 49 %", &x, &y));
	ck_assert_int_eq(canvas_cell(c, x + 23, y)->role, ROLE_FAIL);
	ck_assert_int_eq(canvas_cell(c, x + 30, y)->role, ROLE_NORMAL);	/* the why, plain */
	ck_assert(screen_locate(c, "Error rate < 1 %       no data", &x, &y));
	ck_assert_int_eq(canvas_cell(c, x + 23, y)->role, ROLE_UNKNOWN);
	ck_assert(screen_contains(c, "q quits; any other key puts this away"));
	canvas_free(c);
}
END_TEST

/* With rows, a caption takes two of the list's rows; the list's page says so too. */
START_TEST(test_caption_list_page)
{
	for (size_t total = 1; total < 60; total++) {
		size_t a = panels_list_page(80, 24, total, false), b = panels_list_page(80, 24, total, true);

		ck_assert_uint_ge(b, 1);
		ck_assert_uint_le(b, a);
	}
	ck_assert_uint_eq(panels_list_page(100, 40, 40, true), panels_list_page(100, 38, 40, false));
}
END_TEST

START_TEST(test_transitions_fill_spare_rows)
{
	struct view v;
	struct canvas *small = canvas_new(80, 24), *big = canvas_new(200, 60);

	sample_view(&v, true);
	panels_draw(small, &v);
	panels_draw(big, &v);
	/* 80x24 has room for the newest two transitions, 200x60 for all three. */
	ck_assert(screen_contains(small, "half-open→closed 4m12s ago"));
	ck_assert(screen_contains(small, "open→half-open 4m20s ago"));
	ck_assert(!screen_contains(small, "closed→open"));
	ck_assert(screen_contains(big, "closed→open 4m50s ago"));
	ck_assert(screen_contains(big, "open→half-open 4m20s ago"));
	ck_assert(screen_contains(big, "half-open→closed 4m12s ago"));
	ck_assert(screen_contains(small, "validation"));
	v.ntrans = 0;
	panels_draw(small, &v);
	ck_assert(screen_contains(small, "no transitions seen"));
	canvas_free(small);
	canvas_free(big);
}
END_TEST

START_TEST(test_error_deltas)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	int x, y;

	sample_view(&v, true);
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "─ total  last 1.0 s ┐"));
	ck_assert(screen_locate(c, "timeouts", &x, &y));
	ck_assert_msg(strstr(screen_row(c, y), "10  +1") != NULL, "%s", screen_row(c, y));
	ck_assert(screen_locate(c, "failures", &x, &y));
	ck_assert_msg(strstr(screen_row(c, y), "3  +0") != NULL, "%s", screen_row(c, y));
	ck_assert(screen_contains(c, "error rate 0.40 %  (< 1 %)"));
	v.deltas.reset = true;
	panels_draw(c, &v);
	ck_assert(screen_locate(c, "timeouts", &x, &y));
	ck_assert_msg(strstr(screen_row(c, y), "reset") != NULL, "%s", screen_row(c, y));
	v.deltas.span_ms = 0;
	v.targets[TARGET_ERROR_RATE].r.status = STATUS_FAIL;
	v.targets[TARGET_ERROR_RATE].r.value = 3.5;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "last n/a"));
	ck_assert(screen_locate(c, "timeouts", &x, &y));
	ck_assert_msg(strstr(screen_row(c, y), "10  n/a") != NULL, "%s", screen_row(c, y));
	ck_assert(screen_contains(c, "error rate 3.50 % ! (< 1 %)"));
	canvas_free(c);
}
END_TEST


/* Zoomed to a row, every panel's title names it, the Errors panel's too. */
START_TEST(test_zoomed_titles_name_the_row)
{
	static const char *const panels[] = { "Latency ms", "Throughput", "Circuit breaker",
					      "Errors", "Targets", "System" };
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	char want[64];
	int x, y;

	sample_view(&v, true);
	snprintf(v.zoom, sizeof(v.zoom), "embeddings");
	panels_draw(c, &v);
	for (size_t k = 0; k < sizeof(panels) / sizeof(panels[0]); k++) {
		snprintf(want, sizeof(want), "┌ embeddings · %s ", panels[k]);
		ck_assert_msg(screen_contains(c, want), "%dx%d: no '%s'", c->w, c->h, want);
	}
	/* The deltas keep their head over their column; the totals' goes only where there is no room. */
	ck_assert(screen_locate(c, "embeddings · Errors", &x, &y));
	ck_assert_msg(strstr(screen_row(c, y), " last 1.0 s ┐") != NULL, "%s", screen_row(c, y));
	if (c->w >= 120)
		ck_assert_msg(strstr(screen_row(c, y), " total  last 1.0 s ┐") != NULL, "%s", screen_row(c, y));
	/* A name too long for the room is cut, still before the panel's own title. */
	snprintf(v.zoom, sizeof(v.zoom), "a-very-long-upstream-name-for-one-title");
	panels_draw(c, &v);
	ck_assert_msg(screen_contains(c, v.utf8 ? "… · Errors " : "~ - Errors "), "%dx%d: %s", c->w, c->h,
		      screen_row(c, 8));
	canvas_free(c);
}
END_TEST

/* No text touches a horizontal line: a title always ends with a space before the border. */
static void assert_text_apart_from_lines(const struct canvas *c, const char *what)
{
	for (int y = 0; y < c->h; y++)
		for (int x = 0; x < c->w; x++) {
			if (canvas_cell(c, x, y)->line != LINE_H)
				continue;
			for (int dx = -1; dx <= 1; dx += 2) {
				const struct cell *n = canvas_cell(c, x + dx, y);

				ck_assert_msg(n == NULL || n->line != LINE_NONE || strcmp(n->glyph, " ") == 0,
					      "%s at %dx%d, row %d column %d: %s", what, c->w, c->h, y,
					      x + dx, screen_row(c, y));
			}
		}
}

static const struct {
	const char *zoom;
	long count;
	bool stale;
} title_cases[] = {
	{ "", 1250, false },
	{ "embeddings", 410, false },		/* "embeddings · Latency ms · last 410" just fits at 80 */
	{ "embeddings", 4100, false },
	{ "search-v2", 1234567, true },
	{ "a-very-long-upstream-name-for-one-title", 99999999, false },
	{ "a-very-long-upstream-name-for-one-title", 410, true },
};
#define NTITLES ((int)(sizeof(title_cases) / sizeof(title_cases[0])))

START_TEST(test_titles_end_with_a_space)
{
	int size = _i % NSIZES, k = _i / NSIZES % NTITLES;
	bool utf8 = _i / NSIZES / NTITLES == 0;
	struct view v;
	struct canvas *c = canvas_new(sizes[size].w, sizes[size].h);

	sample_view(&v, utf8);
	snprintf(v.zoom, sizeof(v.zoom), "%s", title_cases[k].zoom);
	v.snap.latency.count = title_cases[k].count;
	v.stale = title_cases[k].stale;
	panels_draw(c, &v);
	assert_text_apart_from_lines(c, title_cases[k].zoom);
	if (size == 0 && k == 1 && utf8)
		ck_assert_msg(screen_contains(c, "┌ embeddings · Latency ms · last 410 ──┐"), "%s", screen_row(c, 1));
	canvas_free(c);
}
END_TEST

/* A figure shown in two panels has the same decimals in both. */
START_TEST(test_same_figure_same_decimals)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	int x, y, tx, ty;

	sample_view(&v, true);
	v.snap.latency.p95 = v.targets[TARGET_P95].r.value = 1234.56;
	v.snap.latency.p99 = v.targets[TARGET_P99].r.value = 234.06;
	v.targets[TARGET_ERROR_RATE].r.value = 0.4;
	panels_draw(c, &v);
	/* Latency: a tenth below 1000 ms, whole milliseconds from there. */
	ck_assert(screen_contains(c, "P95   1235!"));
	ck_assert(screen_contains(c, "P99  234.1"));
	ck_assert(screen_locate(c, "Targets", &tx, &ty));
	ck_assert(screen_locate_from(c, "P95 ", ty + 1, &x, &y));
	ck_assert_msg(strstr(screen_row(c, y), "1235! ms") != NULL, "%s", screen_row(c, y));
	ck_assert_msg(strstr(screen_row(c, y + 1), "234.1  ms") != NULL, "%s", screen_row(c, y + 1));
	/* The error rate: two decimals in Errors and in Targets. */
	ck_assert(screen_contains(c, "error rate 0.40 %"));
	ck_assert_msg(strstr(screen_row(c, y + 3), "Error rate   0.40  %") != NULL, "%s", screen_row(c, y + 3));
	canvas_free(c);
}
END_TEST

START_TEST(test_too_small)
{
	static const struct {
		int w, h;
		const char *line1, *line2;
	} cases[] = {
		{ 60, 20, "terminal too small: need 80x24, have 60x20", NULL },
		{ 79, 24, "terminal too small: need 80x24, have 79x24", NULL },
		{ 80, 23, "terminal too small: need 80x24, have 80x23", NULL },
		{ 30, 8, "terminal too small:", "need 80x24, have 30x8" },
	};
	struct view v;
	struct canvas *c = canvas_new(cases[_i].w, cases[_i].h);
	int x, y, lines = 0;

	sample_view(&v, true);
	panels_draw(c, &v);
	ck_assert(screen_locate(c, cases[_i].line1, &x, &y));
	ck_assert_int_eq(y, cases[_i].line2 != NULL ? c->h / 2 - 1 : c->h / 2);
	/* Centred. */
	ck_assert_int_le(abs(x - (c->w - canvas_text_width(cases[_i].line1) - x)), 1);
	if (cases[_i].line2 != NULL)
		ck_assert(screen_contains(c, cases[_i].line2));
	for (int j = 0; j < c->h; j++)
		if (strspn(screen_row(c, j), " ") != strlen(screen_row(c, j)))
			lines++;
	ck_assert_int_eq(lines, cases[_i].line2 != NULL ? 2 : 1);
	canvas_free(c);
}
END_TEST

/* The modes of the sources there are: live, simulation, recording, with rows, and the demo. */
static const unsigned mode_cases[] = {
	0, KEY_MODE_SPEED | KEY_MODE_INJECT, KEY_MODE_STEP | KEY_MODE_SPEED,
	KEY_MODE_ROWS, KEY_MODE_ROWS | KEY_MODE_SPEED | KEY_MODE_INJECT,
	KEY_MODE_DEMO | KEY_MODE_ROWS | KEY_MODE_SPEED | KEY_MODE_INJECT,
};
#define NMODES ((int)(sizeof(mode_cases) / sizeof(mode_cases[0])))

/* The help overlay lists, from the key table, every key that applies and no other. */
START_TEST(test_help_overlay)
{
	unsigned modes = mode_cases[_i % NMODES];
	struct view v;
	struct canvas *c = canvas_new(sizes[_i / NMODES].w, sizes[_i / NMODES].h);
	char line[128];

	sample_view(&v, true);
	v.key_modes = modes;
	panels_draw(c, &v);
	ck_assert(!screen_contains(c, "any key closes"));
	v.help = true;
	panels_draw(c, &v);
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		keys_help_line(k, false, line, sizeof(line));
		/* A row whose every key does something else here (keys_shadowed) is left out. */
		if (keys_apply(k, modes) && !keys_shadowed(k, modes))
			ck_assert_msg(screen_contains(c, line), "modes %#x: '%s' missing", modes, line);
		else if (keys_apply(k, modes))
			ck_assert_msg(!screen_contains(c, line), "modes %#x: '%s' shown though shadowed", modes, line);
		else
			ck_assert_msg(!screen_contains(c, line), "modes %#x: '%s' shown", modes, line);
		if (k->help_more == NULL)
			continue;
		keys_help_line(k, true, line, sizeof(line));
		ck_assert_int_eq(screen_contains(c, line), keys_apply(k, modes) && !keys_shadowed(k, modes));
	}
	ck_assert(screen_contains(c, "any key closes this help"));
	ck_assert(screen_contains(c, "┌ Keys"));
	canvas_free(c);
}
END_TEST

/* The key line shows, from the key table, the keys that apply and no other. */
START_TEST(test_key_line)
{
	unsigned modes = mode_cases[_i];
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	char item[64];

	const struct key_binding *line[KEYS_LINE_MAX];
	size_t n;

	sample_view(&v, true);
	v.key_modes = modes;
	panels_draw(c, &v);
	/* Exactly what keys_line gives for the width, which check_keys tests. */
	n = keys_line(modes, c->w, line, KEYS_LINE_MAX);
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		bool shown = false;

		if (!k->on_key_line)
			continue;
		for (size_t i = 0; i < n; i++)
			shown |= line[i] == k;
		snprintf(item, sizeof(item), "%s %s", k->brief_keys, k->brief);
		ck_assert_msg(screen_contains(c, item) == shown, "modes %#x: '%s'", modes, item);
		ck_assert(!shown || keys_apply(k, modes));
	}
	ck_assert(screen_contains(c, "q quit"));
	ck_assert(screen_contains(c, "? help"));
	canvas_free(c);
}
END_TEST

START_TEST(test_ascii_fallback)
{
	struct view v;
	struct canvas *c = draw_sample(_i, false, &v);

	/* Only border cells (drawn by the backend's line characters) are not ASCII. */
	for (int y = 0; y < c->h; y++)
		for (int x = 0; x < c->w; x++) {
			const struct cell *k = canvas_cell(c, x, y);

			if (k->line == LINE_NONE)
				ck_assert_msg((unsigned char)k->glyph[0] < 0x80, "(%d,%d) '%s' in row %s", x, y,
					      k->glyph, screen_row(c, y));
		}
	ck_assert(screen_contains(c, "* CLOSED"));
	ck_assert(screen_contains(c, "Latency ms - last 1,250"));
	ck_assert(screen_contains(c, "half-open->closed"));
	canvas_free(c);
}
END_TEST

static const struct {
	double v;
	const char *want;
} duration_cases[] = {
	{ 0.4, "400 ms" }, { 1.5, "1.5 s" }, { 42, "42 s" }, { 252, "4m12s" },
	{ 3900, "1h05m" }, { 187200, "2d04h" }, { NAN, "n/a" }, { -1, "n/a" }, { INFINITY, "n/a" },
};

START_TEST(test_fmt_duration)
{
	char buf[32];

	panels_fmt_duration(buf, sizeof(buf), duration_cases[_i].v);
	ck_assert_str_eq(buf, duration_cases[_i].want);
}
END_TEST

START_TEST(test_fmt_numbers)
{
	char buf[32];

	panels_fmt_count(buf, sizeof(buf), 0);
	ck_assert_str_eq(buf, "0");
	panels_fmt_count(buf, sizeof(buf), 999);
	ck_assert_str_eq(buf, "999");
	panels_fmt_count(buf, sizeof(buf), 1250);
	ck_assert_str_eq(buf, "1,250");
	panels_fmt_count(buf, sizeof(buf), 1234567);
	ck_assert_str_eq(buf, "1,234,567");
	panels_fmt_count(buf, sizeof(buf), METRICS_NONE);
	ck_assert_str_eq(buf, "n/a");
	panels_fmt_num(buf, sizeof(buf), 0, 1);
	ck_assert_str_eq(buf, "0.0");
	panels_fmt_num(buf, sizeof(buf), 125.66, 1);
	ck_assert_str_eq(buf, "125.7");
	panels_fmt_num(buf, sizeof(buf), 123456.7, 1);
	ck_assert_str_eq(buf, "123457");
	panels_fmt_num(buf, sizeof(buf), NAN, 1);
	ck_assert_str_eq(buf, "n/a");
}
END_TEST

/*
 * panels_fmt_num writes what printf's "%.*f" writes (it skips printf
 * where the rounding is clear): values near and at halves of the last
 * digit, negative values that round to zero, every magnitude it covers,
 * and a fixed pseudo-random walk over all of them.
 */
START_TEST(test_fmt_num_as_printf)
{
	static const double edges[] = {
		0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.5, 1.5, 2.5, -0.04, -0.05, -0.5, 0.125, 0.375,
		1.0005, 2.675, 1.005, 99999.95, 99999.5, -99999.95, 0.0049999, 0.005, 1e-300, -1e-300,
		12.3456789, 1e-7, 4.35, 8.345, 0.45000000000000001, 1234.5678, 50000.05,
	};
	uint64_t x = 88172645463325252u;

	for (int d = 0; d < 4; d++) {
		for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
			char got[32], want[32];

			panels_fmt_num(got, sizeof(got), edges[i], d);
			snprintf(want, sizeof(want), "%.*f", d, edges[i]);
			ck_assert_msg(strcmp(got, want) == 0, "%.17g, %d decimals: %s, printf %s", edges[i], d,
				      got, want);
		}
		for (int i = 0; i < 200000; i++) {
			char got[32], want[32];
			double v;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* A magnitude from 1e-4 to 1e5, and every fourth value a multiple of half the last digit. */
			v = (double)(x >> 11) / 9007199254740992.0 * pow(10, (double)(x % 10) - 4);
			if (i % 4 == 0)
				v = round(v * pow(10, d) * 2) / 2 / pow(10, d);
			if (x & 0x100)
				v = -v;
			if (fabs(v) >= 100000)
				continue;
			panels_fmt_num(got, sizeof(got), v, d);
			snprintf(want, sizeof(want), "%.*f", d, v);
			ck_assert_msg(strcmp(got, want) == 0, "%.17g, %d decimals: %s, printf %s", v, d, got,
				      want);
		}
	}
}
END_TEST

/* What panels_fmt_duration wrote when it was made of printf calls: the test's oracle. */
static void duration_printf(char *buf, size_t len, double s)
{
	long long t = (long long)s;

	if (s < 1)
		snprintf(buf, len, "%.0f ms", s * 1000);
	else if (s < 10)
		snprintf(buf, len, "%.1f s", s);
	else if (t < 60)
		snprintf(buf, len, "%lld s", t);
	else if (t < 3600)
		snprintf(buf, len, "%lldm%02llds", t / 60, t % 60);
	else if (t < 86400)
		snprintf(buf, len, "%lldh%02lldm", t / 3600, t % 3600 / 60);
	else
		snprintf(buf, len, "%lldd%02lldh", t / 86400, t % 86400 / 3600);
}

START_TEST(test_fmt_duration_as_printf)
{
	uint64_t x = 2463534242u;

	for (int i = 0; i < 200000; i++) {
		char got[32], want[32];
		double s;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* From a millisecond to a year, half of them on a half millisecond or tenth. */
		s = (double)(x >> 11) / 9007199254740992.0 * pow(10, (double)(x % 11) - 3);
		if (i % 2 == 0)
			s = round(s * (s < 1 ? 2000 : 20)) / (s < 1 ? 2000 : 20);
		panels_fmt_duration(got, sizeof(got), s);
		duration_printf(want, sizeof(want), s);
		ck_assert_msg(strcmp(got, want) == 0, "%.17g s: %s, printf %s", s, got, want);
	}
	/* A short buffer gets what snprintf would put in it. */
	{
		char got[4];

		panels_fmt_duration(got, sizeof(got), 4000);
		ck_assert_str_eq(got, "1h0");
	}
}
END_TEST

/* Keys: a sequence typed from the default state and what it leaves. */
static const struct {
	const char *keys;
	enum ui_action last;
	bool paused, help;
	int64_t interval_ms;
} key_cases[] = {
	{ "q", UI_ACT_QUIT, false, false, 1000 },
	{ " ", UI_ACT_PAUSE, true, false, 1000 },
	{ "pp", UI_ACT_PAUSE, false, false, 1000 },
	{ "r", UI_ACT_RESET, false, false, 1000 },
	{ "+", UI_ACT_INTERVAL, false, false, 2000 },
	{ "++++++++", UI_ACT_NONE, false, false, 60000 },
	{ "-", UI_ACT_INTERVAL, false, false, 500 },
	{ "---", UI_ACT_NONE, false, false, 250 },
	{ "?", UI_ACT_REDRAW, false, true, 1000 },
	{ "?q", UI_ACT_REDRAW, false, false, 1000 },	/* q closes help, does not quit */
	{ "?x", UI_ACT_REDRAW, false, false, 1000 },
	{ "x", UI_ACT_NONE, false, false, 1000 },
	{ "?+", UI_ACT_REDRAW, false, false, 1000 },
	{ "[", UI_ACT_SEEK_BACK, false, false, 1000 },
	{ "]", UI_ACT_SEEK_FORWARD, false, false, 1000 },
	{ "n", UI_ACT_SEEK_TRANSITION, false, false, 1000 },
	{ "?n", UI_ACT_REDRAW, false, false, 1000 },
	{ "m", UI_ACT_SEEK_MISS, false, false, 1000 },
	{ "M", UI_ACT_SEEK_MISS, false, false, 1000 },
	{ "?m", UI_ACT_REDRAW, false, false, 1000 },	/* m closes help, does not search */
	{ "<", UI_ACT_SPEED_DOWN, false, false, 1000 },
	{ ",", UI_ACT_SPEED_DOWN, false, false, 1000 },
	{ ">", UI_ACT_SPEED_UP, false, false, 1000 },
	{ ".", UI_ACT_SPEED_UP, false, false, 1000 },
	{ "?>", UI_ACT_REDRAW, false, false, 1000 },
	{ " m", UI_ACT_SEEK_MISS, true, false, 1000 },	/* searching keeps the pause */
	{ "f", UI_ACT_FAULT_FAILURE, false, false, 1000 },
	{ "F", UI_ACT_FAULT_FAILURE, false, false, 1000 },
	{ "ff", UI_ACT_FAULT_FAILURE, false, false, 1000 },	/* the source keeps the state */
	{ "?f", UI_ACT_REDRAW, false, false, 1000 },	/* f closes help, injects nothing */
	{ "t", UI_ACT_FAULT_TIMEOUTS, false, false, 1000 },
	{ "T", UI_ACT_FAULT_TIMEOUTS, false, false, 1000 },
	{ "l", UI_ACT_FAULT_LATENCY, false, false, 1000 },
	{ "s", UI_ACT_FAULT_SURGE, false, false, 1000 },
	{ "S", UI_ACT_FAULT_SURGE, false, false, 1000 },
	{ "o", UI_ACT_BREAKER_OPEN, false, false, 1000 },
	{ "O", UI_ACT_BREAKER_OPEN, false, false, 1000 },
	{ "c", UI_ACT_BREAKER_CLOSE, false, false, 1000 },
	{ "a", UI_ACT_BREAKER_AUTO, false, false, 1000 },
	{ "A", UI_ACT_BREAKER_AUTO, false, false, 1000 },
	{ "0", UI_ACT_FAULTS_CLEAR, false, false, 1000 },
	{ "?0", UI_ACT_REDRAW, false, false, 1000 },
	{ " f", UI_ACT_FAULT_FAILURE, true, false, 1000 },	/* works while paused */
};

START_TEST(test_keys)
{
	struct ui_state st = { .interval_ms = 1000 };
	enum ui_action a = UI_ACT_NONE;

	for (const char *k = key_cases[_i].keys; *k != '\0'; k++)
		a = ui_state_key(&st, *k);
	ck_assert_int_eq(a, key_cases[_i].last);
	ck_assert_int_eq(st.paused, key_cases[_i].paused);
	ck_assert_int_eq(st.help, key_cases[_i].help);
	ck_assert_int_eq(st.interval_ms, key_cases[_i].interval_ms);
}
END_TEST

START_TEST(test_arrow_keys)
{
	struct ui_state st = { .interval_ms = 1000 };

	ck_assert_int_eq(ui_state_key(&st, UI_KEY_LEFT), UI_ACT_SEEK_BACK);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_RIGHT), UI_ACT_SEEK_FORWARD);
}
END_TEST

START_TEST(test_resize_keeps_help)
{
	struct ui_state st = { .interval_ms = 1000, .help = true };

	ck_assert_int_eq(ui_state_key(&st, UI_KEY_RESIZE), UI_ACT_REDRAW);
	ck_assert(st.help);
}
END_TEST

START_TEST(test_interval_ladder)
{
	ck_assert_int_eq(ui_interval_step(5000, 1), 10000);
	ck_assert_int_eq(ui_interval_step(5000, -1), 2000);
	ck_assert_int_eq(ui_interval_step(3000, 1), 5000);	/* off the ladder */
	ck_assert_int_eq(ui_interval_step(3000, -1), 2000);
	ck_assert_int_eq(ui_interval_step(60000, 1), UI_INTERVAL_MAX_MS);
	ck_assert_int_eq(ui_interval_step(250, -1), UI_INTERVAL_MIN_MS);
	ck_assert_int_eq(ui_interval_step(100, -1), UI_INTERVAL_MIN_MS);
	ck_assert_int_eq(ui_interval_step(120000, 1), UI_INTERVAL_MAX_MS);
}
END_TEST

/* < and > from a speed: what they give (equal to cur: nothing changes). */
static const struct {
	double cur;
	int dir;
	double want;
} speed_cases[] = {
	{ 1, 1, 2 }, { 1, -1, 0.5 }, { 2, 1, 4 }, { 4, -1, 2 },
	{ 32, 1, 64 }, { 64, 1, 64 }, { 48, 1, 64 },		/* clamped at x64 */
	{ 100, 1, 100 }, { 100, -1, 50 },			/* past the bound: only back */
	{ 0.125, -1, 0.0625 }, { 0.0625, -1, 0.0625 }, { 0.1, -1, 0.0625 },
	{ 0.01, -1, 0.01 }, { 0.01, 1, 0.02 },
	{ 0, -1, 64 }, { 0, 1, 0 },				/* from max */
	{ 3, -1, 1.5 }, { 3, 1, 6 },
};

START_TEST(test_speed_steps)
{
	double got = ui_speed_step(speed_cases[_i].cur, speed_cases[_i].dir);

	ck_assert_msg(got == speed_cases[_i].want, "%g dir %d: got %g, want %g", speed_cases[_i].cur,
		      speed_cases[_i].dir, got, speed_cases[_i].want);
}
END_TEST

/* From x2: > to x4, then < twice to x1; 1/16 .. 64 every way round. */
START_TEST(test_speed_ladder)
{
	double s = 2;
	int n = 0;

	s = ui_speed_step(s, 1);
	ck_assert(s == 4);
	s = ui_speed_step(ui_speed_step(s, -1), -1);
	ck_assert(s == 1);
	while (ui_speed_step(s, 1) != s && n++ < 100)
		s = ui_speed_step(s, 1);
	ck_assert(s == UI_SPEED_MAX);
	ck_assert_int_eq(n, 6);
	n = 0;
	while (ui_speed_step(s, -1) != s && n++ < 100)
		s = ui_speed_step(s, -1);
	ck_assert(s == UI_SPEED_MIN);
	ck_assert_int_eq(n, 10);
}
END_TEST

/*
 * Jump to the next target miss, on a real recording: p95 100 meets the
 * 150 ms target, 140 is WARN (within 20 %), 500 FAIL.
 */
static const double jump_p95[] = { 100, 100, 500, 140, 100, 100, 140, 100 };
#define JUMP_N ((int)(sizeof(jump_p95) / sizeof(jump_p95[0])))
#define JUMP_T0 INT64_C(1764064800000)

struct jump_fx {
	char path[64];
	struct source *src;
	struct target_set ts;
	struct monitor m;
	struct jump j;
};

static void jump_fx_open(struct jump_fx *f, const double *p95, int n)
{
	const char *dir = getenv("TMPDIR");
	struct replay_options o = { .speed = 1 };
	char err[256] = "";
	FILE *fp;
	int fd;

	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s/check_panels.XXXXXX",
		 dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
	fd = mkstemp(f->path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	for (int i = 0; i < n; i++)
		fprintf(fp, "{\"t\": %lld, \"source\": \"sim\", \"metrics\": "
			"{\"latency\":{\"p50\":10,\"p95\":%g,\"p99\":300,\"count\":5},"
			"\"throughput\":{\"requestsPerSecond\":150},"
			"\"errorRates\":{\"circuitBreakerTrips\":0,\"rateLimitViolations\":0,"
			"\"timeouts\":0,\"failures\":0},"
			"\"circuitBreakerStatus\":{\"state\":\"closed\",\"isHealthy\":true}}}\n",
			(long long)(JUMP_T0 + i * 1000), p95[i]);
	ck_assert_int_eq(fclose(fp), 0);
	o.path = f->path;
	f->src = source_replay_new(&o, err, sizeof(err));
	ck_assert_msg(f->src != NULL, "open failed: %s", err);
	targets_defaults(&f->ts);
	monitor_init(&f->m, f->src, &f->ts, NULL, 64);
}

static void jump_fx_close(struct jump_fx *f)
{
	monitor_free(&f->m);
	source_free(f->src);
	unlink(f->path);
}

/* The p95 of the snapshot on screen: which one the search stopped at. */
static double jump_fx_p95(const struct jump_fx *f)
{
	const struct history_entry *e = history_get(f->m.hist, 0);

	ck_assert_ptr_nonnull(e);
	return e->snap.latency.p95;
}

/* Run a search to its end, one pass after another. */
static enum jump_result jump_fx_run(struct jump_fx *f, int max_snaps, int *passes)
{
	enum jump_result r = JUMP_RUNNING;
	bool moved;

	*passes = 0;
	ck_assert_int_eq(jump_start(&f->j, &f->m, 1000), 0);
	ck_assert(f->j.active);
	while (r == JUMP_RUNNING && *passes < 1000) {
		r = jump_pass(&f->j, &f->m, 1000, max_snaps, &moved);
		(*passes)++;
	}
	ck_assert(!f->j.active);
	return r;
}

START_TEST(test_jump_to_misses)
{
	struct jump_fx f;
	int passes;

	jump_fx_open(&f, jump_p95, JUMP_N);
	source_set_paused(f.src, true, 0);
	/* From nothing on screen: the first miss, the third snapshot (FAIL). */
	ck_assert_int_eq(jump_fx_run(&f, 100, &passes), JUMP_FOUND);
	ck_assert(jump_fx_p95(&f) == 500);
	ck_assert_int_eq(f.m.eval.overall, STATUS_FAIL);
	ck_assert_uint_eq(f.m.snapshots, 3);
	/* On a miss: past the run (500, 140) to the next miss after a good one. */
	ck_assert_int_eq(jump_fx_run(&f, 100, &passes), JUMP_FOUND);
	ck_assert(jump_fx_p95(&f) == 140);
	ck_assert_int_eq(f.m.eval.overall, STATUS_WARN);
	ck_assert_uint_eq(f.m.snapshots, 7);
	/* No miss after the last one: the end. */
	ck_assert_int_eq(jump_fx_run(&f, 100, &passes), JUMP_END);
	ck_assert_uint_eq(f.m.snapshots, JUMP_N);
	ck_assert(f.m.ended);
	/* At the end nothing is left to search. */
	ck_assert_int_eq(jump_fx_run(&f, 100, &passes), JUMP_END);
	ck_assert_int_eq(passes, 1);
	jump_fx_close(&f);
}
END_TEST

/* Passes are bounded: one snapshot per pass takes as many passes as snapshots. */
START_TEST(test_jump_bounded_passes)
{
	struct jump_fx f;
	int passes;

	jump_fx_open(&f, jump_p95, JUMP_N);
	source_set_paused(f.src, true, 0);
	ck_assert_int_eq(jump_fx_run(&f, 1, &passes), JUMP_FOUND);
	ck_assert_int_eq(passes, 3);
	ck_assert_uint_eq(f.m.snapshots, 3);
	ck_assert_int_eq(jump_fx_run(&f, 2, &passes), JUMP_FOUND);
	ck_assert_int_eq(passes, 2);
	ck_assert(jump_fx_p95(&f) == 140);
	jump_fx_close(&f);
}
END_TEST

/* A search that is stopped (a key) leaves the source where it was, and can start again. */
START_TEST(test_jump_stopped_and_restarted)
{
	struct jump_fx f;
	bool moved;
	int passes;

	jump_fx_open(&f, jump_p95, JUMP_N);
	source_set_paused(f.src, true, 0);
	ck_assert_int_eq(jump_start(&f.j, &f.m, 1000), 0);
	ck_assert_int_eq(jump_pass(&f.j, &f.m, 1000, 1, &moved), JUMP_RUNNING);
	ck_assert(moved);
	ck_assert_uint_eq(f.m.snapshots, 1);
	f.j.active = false;	/* what ui.c does on a key */
	ck_assert_int_eq(jump_fx_run(&f, 100, &passes), JUMP_FOUND);
	ck_assert(jump_fx_p95(&f) == 500);
	ck_assert_uint_eq(f.m.snapshots, 3);
	jump_fx_close(&f);
}
END_TEST

/* All misses from the start: the run on screen is skipped to the end. */
START_TEST(test_jump_only_misses)
{
	static const double all_bad[] = { 500, 500, 140 };
	struct jump_fx f;
	int passes;

	jump_fx_open(&f, all_bad, 3);
	source_set_paused(f.src, true, 0);
	ck_assert_int_eq(jump_fx_run(&f, 100, &passes), JUMP_FOUND);
	ck_assert_uint_eq(f.m.snapshots, 1);
	ck_assert_int_eq(jump_fx_run(&f, 100, &passes), JUMP_END);
	ck_assert_uint_eq(f.m.snapshots, 3);
	jump_fx_close(&f);
}
END_TEST

/* Sources without seek (the simulation, live ones) cannot search. */
START_TEST(test_jump_needs_a_recording)
{
	struct sim_options o = { .scenario = "steady", .seed = 1, .speed = 1, .interval_ms = 1000 };
	char err[256] = "";
	struct source *src = source_sim_new(&o, err, sizeof(err));
	struct target_set ts;
	struct monitor m;
	struct jump j = { 0 };

	ck_assert_msg(src != NULL, "%s", err);
	targets_defaults(&ts);
	monitor_init(&m, src, &ts, NULL, 16);
	ck_assert_int_eq(jump_start(&j, &m, 1000), -1);
	ck_assert(!j.active);
	monitor_free(&m);
	source_free(src);
}
END_TEST

/*
 * View model: a monitor built by hand around a real history and target set,
 * and a source whose clock the test sets, so every age is exact.
 */
struct fixed_source {
	int64_t now_ms;		/* the source's clock */
};

static void fixed_describe(void *self, char *buf, size_t len)
{
	(void)self;
	snprintf(buf, len, "fixture:steady x1");
}

static int fixed_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	(void)self;
	(void)mono_ms;
	(void)ev;
	return 0;
}

static int64_t fixed_clock(void *self, int64_t mono_ms)
{
	(void)mono_ms;
	return ((struct fixed_source *)self)->now_ms;
}

static const struct source_ops fixed_ops = {
	.name = "fake",
	.describe = fixed_describe,
	.step = fixed_step,
	.clock = fixed_clock,
};

struct fixture {
	struct fixed_source fs;
	struct target_set ts;
	struct monitor m;
	struct view v;
	struct view_input in;
};

/* The snapshots' wall time: 2020-01-01 00:00:00 UTC, like an old recording. */
#define RECORDED_T0_MS ((int64_t)1577836800 * 1000)

static void fixture_snapshot(struct fixture *f, int64_t at_ms, double p95, double rps,
			     enum breaker_state st, int64_t timeouts)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	s.latency.p50 = 40;
	s.latency.p95 = p95;
	s.latency.p99 = 300;
	s.latency.count = 1000;
	s.throughput.per_second = rps;
	s.throughput.per_minute = rps * 60;
	s.errors = (struct metrics_errors){ 0, 0, timeouts, 0, METRICS_NONE };
	s.breaker.state = st;
	s.breaker.failure_rate = 0.001;
	history_push(f->m.hist, &s, at_ms);
	f->m.snapshots++;
	f->m.last_good_at_ms = at_ms;
	f->m.last_good_wall_ms = RECORDED_T0_MS + at_ms;
}

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	targets_defaults(&f->ts);
	f->m.src = source_new(&fixed_ops, &f->fs, 1000);
	f->m.targets = &f->ts;
	f->m.hist = history_new(64);
	f->m.events = eventlog_new(16);
	f->m.last_good_at_ms = -1;
	f->m.last_error_at_ms = -1;
	f->in = (struct view_input){ .program = "routertop 9.9", .utf8 = true, .mono_ms = 0,
		.wall_ms = (int64_t)3723 * 1000 };
}

static void fixture_update(struct fixture *f, int64_t now_ms)
{
	f->fs.now_ms = now_ms;
	targets_evaluate(&f->ts, f->m.hist, now_ms, f->m.src->interval_ms, &f->m.eval);
	view_update(&f->v, &f->m, &f->in);
}

static void fixture_free(struct fixture *f)
{
	history_free(f->m.hist);
	eventlog_free(f->m.events);
	source_free(f->m.src);
}

static void utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

START_TEST(test_view_waiting)
{
	struct fixture f;
	struct canvas *c = canvas_new(80, 24);

	utc();
	fixture_init(&f);
	fixture_update(&f, 500);
	ck_assert(!f.v.has_data);
	ck_assert_int_eq(f.v.marker, MARK_WAITING);
	ck_assert_str_eq(f.v.source, "fixture:steady x1");
	ck_assert_str_eq(f.v.mode, "fake");
	ck_assert_str_eq(f.v.clock, "01:02:03");
	ck_assert_str_eq(f.v.program, "routertop 9.9");
	ck_assert(isnan(f.v.update_age_s));
	ck_assert(isnan(f.v.snap.latency.p95));
	ck_assert_uint_eq(f.v.p95_n, 0);
	ck_assert_int_eq(f.v.targets[TARGET_P95].r.status, STATUS_UNKNOWN);
	panels_draw(c, &f.v);
	ck_assert(screen_contains(c, "fixture:steady x1  [fake]"));
	ck_assert(screen_contains(c, "WAITING"));
	/* Once data arrives the clock follows the source's timeline, not the wall. */
	fixture_snapshot(&f, 1000, 100, 150, BREAKER_CLOSED, 0);
	fixture_update(&f, 3500);
	ck_assert_str_eq(f.v.clock, "00:00:03");
	canvas_free(c);
	fixture_free(&f);
}
END_TEST

START_TEST(test_view_live)
{
	struct fixture f;
	struct canvas *c = canvas_new(80, 24);

	fixture_init(&f);
	fixture_snapshot(&f, 1000, 100, 150, BREAKER_CLOSED, 1);
	fixture_snapshot(&f, 2000, 110, 160, BREAKER_CLOSED, 3);
	fixture_snapshot(&f, 3000, 130, 170, BREAKER_CLOSED, 4);
	fixture_update(&f, 3400);
	ck_assert(f.v.has_data);
	ck_assert(!f.v.stale);
	ck_assert_int_eq(f.v.marker, MARK_LIVE);
	ck_assert(fabs(f.v.snap.latency.p95 - 130) < 1e-9);
	ck_assert(fabs(f.v.update_age_s - 0.4) < 1e-9);
	ck_assert_int_eq(f.v.interval_ms, 1000);
	ck_assert_uint_eq(f.v.snapshots, 3);
	/* Series come oldest first. */
	ck_assert_uint_eq(f.v.p95_n, 3);
	ck_assert(fabs(f.v.p95[0] - 100) < 1e-9 && fabs(f.v.p95[2] - 130) < 1e-9);
	ck_assert_uint_eq(f.v.rps_n, 3);
	ck_assert(fabs(f.v.rps[2] - 170) < 1e-9);
	ck_assert_int_eq(f.v.deltas.timeouts, 1);
	ck_assert_int_eq(f.v.deltas.span_ms, 1000);
	/* Targets carry their metadata and the evaluation. */
	ck_assert_str_eq(f.v.targets[TARGET_P95].label, target_label(TARGET_P95));
	ck_assert_str_eq(f.v.targets[TARGET_THROUGHPUT].unit, target_unit(TARGET_THROUGHPUT));
	ck_assert(fabs(f.v.targets[TARGET_P95].limit - 150) < 1e-9);
	ck_assert(f.v.targets[TARGET_P95].upper);
	ck_assert(!f.v.targets[TARGET_THROUGHPUT].upper);
	ck_assert_int_eq(f.v.targets[TARGET_P95].r.status, STATUS_WARN);
	ck_assert_int_eq(f.v.overall, f.m.eval.overall);
	panels_draw(c, &f.v);
	ck_assert(screen_contains(c, "P95  130.0!"));
	ck_assert(screen_contains(c, "LIVE"));
	ck_assert(screen_contains(c, "data 400 ms old"));
	canvas_free(c);
	fixture_free(&f);
}
END_TEST

START_TEST(test_view_markers)
{
	struct fixture f;

	fixture_init(&f);
	fixture_snapshot(&f, 1000, 100, 150, BREAKER_CLOSED, 0);
	/* Data older than two intervals is stale: last good values stay, marked. */
	fixture_update(&f, 9000);
	ck_assert(f.v.stale);
	ck_assert_int_eq(f.v.marker, MARK_STALE);
	ck_assert(fabs(f.v.snap.latency.p95 - 100) < 1e-9);
	ck_assert(fabs(f.v.update_age_s - 8) < 1e-9);
	f.m.ended = true;
	fixture_update(&f, 9000);
	ck_assert_int_eq(f.v.marker, MARK_ENDED);
	f.in.paused = true;
	fixture_update(&f, 9000);
	ck_assert_int_eq(f.v.marker, MARK_PAUSED);
	f.in.help = true;
	fixture_update(&f, 9000);
	ck_assert(f.v.help);
	fixture_free(&f);
}
END_TEST

START_TEST(test_view_error_and_transitions)
{
	struct fixture f;
	struct canvas *c = canvas_new(80, 24);

	fixture_init(&f);
	fixture_snapshot(&f, 1000, 100, 150, BREAKER_CLOSED, 0);
	fixture_snapshot(&f, 2000, 100, 150, BREAKER_OPEN, 0);
	fixture_snapshot(&f, 3000, 100, 150, BREAKER_CLOSED, 0);
	snprintf(f.m.last_error, sizeof(f.m.last_error), "connection refused");
	f.m.last_error_at_ms = 3500;
	fixture_update(&f, 4000);
	ck_assert_str_eq(f.v.last_error, "connection refused");
	ck_assert(fabs(f.v.error_age_s - 0.5) < 1e-9);
	ck_assert_uint_eq(f.v.ntrans, 2);
	ck_assert_int_eq(f.v.trans[1].to, BREAKER_CLOSED);
	ck_assert_int_eq(f.v.src_now_ms, 4000);
	ck_assert(!isnan(f.v.last_recovery_s));
	panels_draw(c, &f.v);
	ck_assert(screen_contains(c, "! connection refused  (500 ms ago; data 1.0 s old)"));
	ck_assert(screen_contains(c, "open→closed"));
	/* Reset (the r key) empties the history: back to waiting, nothing invented. */
	history_clear(f.m.hist);
	fixture_update(&f, 4000);
	ck_assert(!f.v.has_data);
	ck_assert_uint_eq(f.v.ntrans, 0);
	ck_assert_uint_eq(f.v.p95_n, 0);
	canvas_free(c);
	fixture_free(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("panels");
	TCase *tc = tcase_create("panels");
	TCase *tk = tcase_create("keys");
	TCase *tv = tcase_create("view");

	tcase_add_loop_test(tc, test_every_panel_shown, 0, NSIZES);
	tcase_add_loop_test(tc, test_latency_large_values_keep_a_space, 0, NSIZES);
	tcase_add_loop_test(tc, test_latency_highlights, 0, NSIZES);
	tcase_add_test(tc, test_charts_grow_with_width);
	tcase_add_loop_test(tc, test_chart_labels, 0, NSIZES);
	tcase_add_loop_test(tc, test_chart_target_off_range, 0, NSIZES);
	tcase_add_test(tc, test_chart_flat);
	tcase_add_loop_test(tc, test_boxes_closed, 0, NSIZES);
	tcase_add_loop_test(tc, test_targets_panel, 0, NSIZES);
	tcase_add_loop_test(tc, test_status_words, 0, 4);
	tcase_add_loop_test(tc, test_unknown_is_na, 0, NSIZES);
	tcase_add_loop_test(tc, test_stale_marked, 0, NSIZES);
	tcase_add_test(tc, test_paused_marker);
	tcase_add_test(tc, test_long_source_clipped);
	tcase_add_loop_test(tc, test_source_error_line, 0, NSIZES);
	tcase_add_test(tc, test_source_error_line_long);
	tcase_add_loop_test(tc, test_breaker_states, 0, 4);
	tcase_add_test(tc, test_notice_line);
	tcase_add_loop_test(tc, test_timeline_and_position, 0, NSIZES);
	tcase_add_test(tc, test_transitions_fill_spare_rows);
	tcase_add_loop_test(tc, test_recovery_clock, 0, NSIZES);
	tcase_add_loop_test(tc, test_event_log_panel, 0, NSIZES);
	tcase_add_test(tc, test_event_log_newest_fit);
	tcase_add_test(tc, test_caption);
	tcase_add_test(tc, test_caption_list_page);
	tcase_add_loop_test(tc, test_faults_line, 0, NSIZES);
	tcase_add_test(tc, test_recap_box);
	tcase_add_test(tc, test_error_deltas);
	tcase_add_loop_test(tc, test_zoomed_titles_name_the_row, 0, NSIZES);
	tcase_add_loop_test(tc, test_titles_end_with_a_space, 0, NSIZES * NTITLES * 2);
	tcase_add_loop_test(tc, test_same_figure_same_decimals, 0, NSIZES);
	tcase_add_loop_test(tc, test_too_small, 0, 4);
	tcase_add_loop_test(tc, test_help_overlay, 0, NSIZES * NMODES);
	tcase_add_loop_test(tc, test_key_line, 0, NMODES);
	tcase_add_loop_test(tc, test_ascii_fallback, 0, NSIZES);
	tcase_add_loop_test(tc, test_fmt_duration, 0,
			    (int)(sizeof(duration_cases) / sizeof(duration_cases[0])));
	tcase_add_test(tc, test_fmt_numbers);
	tcase_add_test(tc, test_fmt_num_as_printf);
	tcase_add_test(tc, test_fmt_duration_as_printf);
	tcase_add_loop_test(tk, test_keys, 0, (int)(sizeof(key_cases) / sizeof(key_cases[0])));
	tcase_add_test(tk, test_resize_keeps_help);
	tcase_add_test(tk, test_arrow_keys);
	tcase_add_test(tk, test_interval_ladder);
	tcase_add_loop_test(tk, test_speed_steps, 0, (int)(sizeof(speed_cases) / sizeof(speed_cases[0])));
	tcase_add_test(tk, test_speed_ladder);
	tcase_add_test(tk, test_jump_to_misses);
	tcase_add_test(tk, test_jump_bounded_passes);
	tcase_add_test(tk, test_jump_stopped_and_restarted);
	tcase_add_test(tk, test_jump_only_misses);
	tcase_add_test(tk, test_jump_needs_a_recording);
	suite_add_tcase(s, tc);
	tcase_add_test(tv, test_view_waiting);
	tcase_add_test(tv, test_view_live);
	tcase_add_test(tv, test_view_markers);
	tcase_add_test(tv, test_view_error_and_transitions);
	suite_add_tcase(s, tk);
	suite_add_tcase(s, tv);
	return check_run_suite(s);
}
