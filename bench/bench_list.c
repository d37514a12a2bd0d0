/*
 * One full frame of the screen with the row list, as the loop draws it
 * minus the terminal: view_update (the list refilled from a snapshot of
 * 1,000 rows, filtered, sorted worst first, the selection found again by
 * name) and panels_draw into a 200x60 canvas. Goal: at most 1,000 us.
 * Prints `render_list_1000_rows_us` (bench/bench_list).
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "monitor.h"
#include "quiet.h"
#include "ui/canvas.h"
#include "ui/list.h"
#include "ui/panels.h"
#include "ui/view.h"
#include "util.h"

#define ROWS 1000

static const struct source_ops quiet_ops = {
	.name = "bench", .describe = bench_quiet_describe, .step = bench_quiet_step,
};
static char quiet_title[] = "bench: 1,000 rows";

struct render_ctx {
	struct monitor *m;
	struct list list;
	struct view view;
	struct canvas *c;
	struct view_input in;
};

/* A snapshot of ROWS upstreams with varied figures (a fixed pseudo-random walk). */
static void make_snapshot(struct metrics_snapshot *s)
{
	uint32_t x = 12345;

	metrics_init(s);
	for (int i = 0; i < ROWS; i++) {
		char name[32];
		struct metrics_row *r;
		double p50;

		x = x * 1103515245u + 12345u;
		str_printf(name, sizeof(name), "svc-%04d.mesh.local", i);
		r = metrics_row_add(s, name);
		p50 = 5 + (double)(x >> 16 & 0xff);
		r->snap.latency = (struct metrics_latency){ .p50 = p50, .p90 = p50 * 2, .p95 = p50 * 3,
			.p99 = p50 * 5, .p999 = p50 * 8, .max = p50 * 9, .min = 1, .avg = p50 * 1.2,
			.count = 1000 };
		r->snap.throughput.per_second = (double)(x >> 8 & 0x3ff) / 3;
		r->snap.throughput.per_minute = r->snap.throughput.per_second * 60;
		r->snap.errors = (struct metrics_errors){ 0, 1, 2, 3, METRICS_NONE };
		r->snap.breaker.state = (x >> 24) % 16 == 0 ? BREAKER_OPEN : BREAKER_CLOSED;
		r->snap.breaker.failure_rate = (double)(x >> 4 & 0xff) / 2550;
		r->snap.breaker.state_since_ms = (int64_t)(x >> 12 & 0xfffff);
		r->snap.requests = (struct metrics_requests){ 1000, 990, 10, (int64_t)(x & 0x1f) };
	}
	metrics_aggregate_derive(s);
}

static uint64_t run_render(void *ctx, uint64_t n)
{
	struct render_ctx *r = ctx;

	for (uint64_t i = 0; i < n; i++) {
		view_update(&r->view, r->m, &r->in);
		panels_draw(r->c, &r->view);
	}
	/* A frame without the list measures something else: no figure. */
	return r->view.list.on && r->view.list.total == ROWS ? n : 0;
}

int main(void)
{
	struct bench b;
	static struct monitor m;
	static struct render_ctx r;
	struct target_set ts;
	struct source *src;
	struct source_event ev = { .kind = SOURCE_SNAPSHOT, .at_ms = 1000, .wall_ms = 1000 };
	struct bench_spec spec = {
		.name = "render_list_1000_rows_us", .unit = "us", .kind = BENCH_US_PER_OP,
		.run = run_render, .ctx = &r,
	};

	bench_init(&b, "bench_list");
	if (!bench_wanted(&b, spec.name))
		return 0;
	targets_defaults(&ts);
	src = source_new(&quiet_ops, quiet_title, 1000);
	monitor_init(&m, src, &ts, NULL, VIEW_SERIES);
	make_snapshot(&ev.snap);
	monitor_handle(&m, &ev);
	metrics_free(&ev.snap);
	monitor_update(&m, 1500);
	r.m = &m;
	r.c = canvas_new(200, 60);
	r.in = (struct view_input){ .program = "routertop bench", .utf8 = true, .mono_ms = 1500,
		.wall_ms = 1500, .width = 200, .height = 60, .list = &r.list };
	/* The selection in the middle of the list, so it is looked up, not found first. */
	view_update(&r.view, &m, &r.in);
	list_move(&r.list, ROWS / 2);
	bench_measure(&b, &spec, NULL);
	canvas_free(r.c);
	list_free(&r.list);
	monitor_free(&m);
	source_free(src);
	return bench_finish(&b);
}
