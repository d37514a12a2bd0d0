/*
 * render_250x80_us: one full frame of the screen at 250x80, drawn into the
 * canvas (panels_draw) and out through the terminal backend's diff
 * (term_draw: escape sequences from terminfo, written once) to /dev/null.
 * Goal: at most 100 us.
 *
 * The views come from the steady simulation (the demo's upstreams and
 * incidents), one snapshot a virtual second after 600 s of warm-up so the
 * charts are full. Successive frames cycle through VIEWS consecutive
 * snapshots, so each frame's diff has what a live frame has to write: new
 * numbers, shifted charts, a new clock. Building the views (the monitor,
 * view_update) is set-up, not timed.
 *
 * The terminal: term_open_files on /dev/null with TERM=xterm-256color and
 * LINES/COLUMNS set, so the backend sees a 250x80 screen and writes every
 * escape sequence and glyph as it would to a tty.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "monitor.h"
#include "source/source.h"
#include "targets.h"
#include "ui/canvas.h"
#include "ui/panels.h"
#include "ui/term.h"
#include "ui/view.h"

#define WIDTH 250
#define HEIGHT 80
#define VIEWS 64
#define WARMUP_SNAPSHOTS 600
#define MAX_EVENTS 100000000

struct render_ctx {
	struct term *term;
	struct canvas *canvas;
	struct view *views;
	unsigned next;
};

static uint64_t run_render(void *ctx, uint64_t n)
{
	struct render_ctx *c = ctx;

	for (uint64_t i = 0; i < n; i++) {
		panels_draw(c->canvas, &c->views[c->next++ % VIEWS]);
		term_draw(c->term, c->canvas);
	}
	return n;
}

static void die(const char *msg)
{
	fprintf(stderr, "bench_render: %s\n", msg);
	exit(1);
}

/* VIEWS views of consecutive snapshots of the steady simulation. */
static struct view *build_views(void)
{
	struct sim_options so = { .scenario = "steady", .seed = 42, .speed = 0, .interval_ms = 1000 };
	struct view *views = calloc(VIEWS, sizeof(*views));
	struct target_set targets;
	struct source_event ev;
	struct monitor mon;
	struct source *src;
	char err[256];
	int snaps = 0;

	if (views == NULL)
		die("out of memory");
	src = source_sim_new(&so, err, sizeof(err));
	if (src == NULL)
		die(err);
	targets_defaults(&targets);
	monitor_init(&mon, src, &targets, NULL, VIEW_SERIES);
	for (long e = 0; e < MAX_EVENTS && snaps < WARMUP_SNAPSHOTS + VIEWS; e++) {
		struct view_input in = {
			.program = PACKAGE_NAME " " PACKAGE_VERSION, .utf8 = true,
			.mono_ms = 1000 * (int64_t)snaps, .wall_ms = 1700000000000 + 1000 * (int64_t)snaps,
		};

		if (source_step(src, in.mono_ms, &ev) != 1)
			continue;
		if (monitor_handle(&mon, &ev) != SOURCE_SNAPSHOT)
			continue;
		if (snaps >= WARMUP_SNAPSHOTS) {
			monitor_update(&mon, in.mono_ms);
			view_update(&views[snaps - WARMUP_SNAPSHOTS], &mon, &in);
		}
		snaps++;
	}
	if (snaps < WARMUP_SNAPSHOTS + VIEWS)
		die("the simulation gave too few snapshots");
	monitor_free(&mon);
	source_free(src);
	return views;
}

int main(void)
{
	struct bench b;
	struct render_ctx c = { 0 };
	struct term_options to = { .color = true, .theme = UI_THEME_DEFAULT, .utf8 = true };
	struct bench_spec s = {
		.name = "render_250x80_us", .unit = "us", .kind = BENCH_US_PER_OP,
		.run = run_render, .ctx = &c,
	};
	FILE *out, *in;
	char err[256];
	int w, h;

	bench_init(&b, "bench_render");
	if (!bench_wanted(&b, s.name))
		return 0;
	/* What the screen runs with: a UTF-8 locale (charts, boxes) and a colour terminal. */
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		die("no C.UTF-8 locale");
	setenv("TERM", "xterm-256color", 1);
	setenv("LINES", "80", 1);
	setenv("COLUMNS", "250", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	if (out == NULL || in == NULL)
		die("cannot open /dev/null");
	c.views = build_views();
	c.term = term_open_files(&to, out, in, err, sizeof(err));
	if (c.term == NULL)
		die(err);
	term_size(c.term, &w, &h);
	if (w != WIDTH || h != HEIGHT) {
		term_close(c.term);
		bench_fail(&b, s.name, "ncurses did not lay out a 250x80 screen");
		return bench_finish(&b);
	}
	c.canvas = canvas_new(WIDTH, HEIGHT);
	bench_measure(&b, &s, NULL);
	fprintf(stderr, "# render: %zu cells written by the last frame\n", term_cells_drawn(c.term));
	term_close(c.term);
	canvas_free(c.canvas);
	free(c.views);
	fclose(out);
	fclose(in);
	return bench_finish(&b);
}
