/*
 * Panels: the dashboard drawn into a canvas from a struct view, a plain
 * snapshot of everything the screen shows. view.c fills a view from the
 * monitor; panels.c only draws it, so tests can draw hand-built views at any
 * size and read the result back.
 */
#ifndef RT_UI_PANELS_H
#define RT_UI_PANELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eventlog.h"
#include "history.h"
#include "metrics.h"
#include "source/source.h"
#include "targets.h"
#include "timeline.h"
#include "ui/canvas.h"
#include "ui/list.h"

/* Smallest screen the dashboard lays out on; below it a message says so. */
#define PANELS_MIN_W 80
#define PANELS_MIN_H 24
/* Most chart points a view carries (enough for the widest canvas). */
#define VIEW_SERIES 512
#define VIEW_TRANSITIONS 4
/* Event log lines a view carries (enough for the tallest panel). */
#define VIEW_EVENTS 64
/* The recap box at the end of a demo: lines, and columns each. */
#define VIEW_RECAP_LINES 16
#define VIEW_RECAP_W 96
/* Rows a demo's caption takes under the header. */
#define PANELS_CAPTION_ROWS 2

/* The header's marker, most important first when several apply. */
enum view_marker {
	MARK_LIVE = 0,		/* fresh data arriving */
	MARK_WAITING,		/* no snapshot yet */
	MARK_STALE,		/* the newest data is too old; last good values shown */
	MARK_ENDED,		/* the source has nothing more */
	MARK_PAUSED,		/* the user paused the source */
	MARK_REPLAY,		/* a recording plays: past data, never LIVE */
};

struct view_target {
	char label[16];		/* "P95" */
	char unit[16];		/* "ms" */
	bool upper;		/* the value must stay below the limit */
	double limit;
	struct target_result r;
};

#define VIEW_NOUN_LEN 24

/*
 * The row list as the screen shows it (list.h owns the logic): the rows
 * that pass the filter, in order, with the selection and the scroll.
 */
struct view_list {
	bool on;			/* the source has rows: the list is drawn */
	char noun[VIEW_NOUN_LEN];	/* what a row is: "upstream", "cluster", ... */
	const struct list_row *const *rows;	/* the rows that show, in order; borrowed */
	size_t nrows;			/* how many show */
	size_t total;			/* rows in the snapshot */
	size_t sel, top;		/* the selection and the first row on screen, in rows */
	enum list_sort sort;
	bool reverse;
	char filter[LIST_FILTER_LEN];	/* "" for none */
	bool editing;			/* the filter is being typed */
};

/*
 * The event log panel (eventlog.h owns the log): the lines it can show,
 * oldest first, ending back lines before the newest. They point into the
 * log, which holds still from view_update() to panels_draw(): a copy would
 * be 48 KB written each frame.
 */
struct view_events {
	bool on;			/* the panel is shown (e) */
	const struct eventlog_entry *lines[VIEW_EVENTS];
	size_t n;
	size_t back;			/* newer lines scrolled out of sight at the bottom */
	size_t total;			/* lines the log holds */
	int64_t start_ms;		/* times are shown counted from here (source clock) */
};

struct view {
	/* Header. */
	char program[32];	/* "routertop 0.1.0" */
	char source[128];	/* source_describe() */
	char mode[16];		/* the source's kind ("sim", "http", ...) */
	char clock[16];		/* wall clock "12:04:31" */
	int64_t interval_ms;
	enum view_marker marker;
	bool utf8;		/* block sparklines and marks, or ASCII */
	bool help;		/* the help overlay is open */
	unsigned key_modes;	/* KEY_MODE_* bits (keys.h): the key line and help show what applies */

	/* A demo's caption (the newest caption notice): chapter n of m, its title and text. */
	bool has_caption;
	int chapter, chapters;
	char caption_title[EVENTLOG_TEXT];
	char caption_text[EVENTLOG_TEXT * 2];

	/* The row list, when the source has rows. */
	struct view_list list;
	/* The row the panels show ("" for the whole router); its name titles them. */
	char zoom[METRICS_NAME_LEN];

	/* Data: the newest snapshot (the last good one when stale), or the zoomed row's. */
	bool has_data;
	bool stale;
	struct metrics_snapshot snap;
	struct counter_deltas deltas;
	struct view_target targets[TARGET_COUNT];
	enum target_status overall;
	double state_age_s;		/* time in the breaker's state, NAN unknown */
	double last_recovery_s;		/* NAN when none observed */
	double half_open_in_s;		/* an open breaker's countdown to half-open; NAN unknown */
	double outage_s;		/* open or half-open: time since it left closed; NAN closed or unknown */
	struct breaker_transition trans[VIEW_TRANSITIONS];	/* newest last */
	size_t ntrans;
	int64_t src_now_ms;		/* now on the source's clock, for transition ages */
	/* Chart series, oldest first: P50, P95 and P99 (p95_n values each), req/s, and when each was taken. */
	double p50[VIEW_SERIES], p95[VIEW_SERIES], p99[VIEW_SERIES], rps[VIEW_SERIES];
	double series_at[VIEW_SERIES];	/* ms on the source's clock; the charts' time span */
	size_t p95_n, rps_n, at_n;

	/* System and status. */
	uint64_t snapshots;
	double update_age_s;		/* since the last good snapshot, NAN before one */
	char last_error[SOURCE_MSG_LEN];	/* "" when the last poll succeeded */
	double error_age_s;		/* since last_error, NAN when none */
	char notice[128];		/* answer to a key that could not act, "" for none */
	char faults[256];		/* the faults in play, in the source's words; "" for none */

	/* The event log panel. */
	struct view_events events;

	/* A demo's end: the recap (targets met and missed, recoveries) in a box over the panels. */
	char recap[VIEW_RECAP_LINES][VIEW_RECAP_W];
	size_t nrecap;

	/* Recordings: the position line and the timeline bar. */
	bool replay;			/* the source said where it is (source_position) */
	char position[96];		/* "2026-11-27 10:04:31  line 1,234  37%" */
	bool has_timeline;
	uint8_t timeline[TIMELINE_BINS];	/* TIMELINE_* bits (timeline.h) */
	double cursor;			/* 0..1: the snapshot on screen within the file; NAN unknown */
};

/* A view with nothing known: every value unknown, marker WAITING. */
void view_init(struct view *v);

/*
 * Draw the whole screen for v into c (its size is the terminal's). Below
 * PANELS_MIN_W x PANELS_MIN_H the screen says so instead; the help overlay
 * is drawn on top when v->help is set.
 */
void panels_draw(struct canvas *c, const struct view *v);

/*
 * How many rows of the list the screen shows at w x h for a snapshot of
 * total rows (at least 1: a list with no rows says so on its one row),
 * with a caption (PANELS_CAPTION_ROWS) under the header or not. The list's
 * scroll (list_set_page) and panels_draw() agree through it.
 */
size_t panels_list_page(int w, int h, size_t total, bool caption);

/* Role for a target status and for a breaker state (used by the panels and tests). */
enum canvas_role panels_status_role(enum target_status st);
enum canvas_role panels_breaker_role(enum breaker_state st);

/* Bytes of text that make its first cols columns (never cutting a UTF-8 sequence). */
size_t panels_cut_bytes(const char *text, int cols);

/* The word shown with a status: "OK", "WARN", "FAIL"; UNKNOWN reads n/a like every unknown value. */
const char *panels_status_word(enum target_status st);

/*
 * Number formatting shared by the panels: "n/a" for NAN, fixed decimals
 * otherwise; durations as "850 ms", "42 s", "4m12s", "3h05m", "2d04h".
 */
void panels_fmt_num(char *buf, size_t len, double v, int decimals);
/*
 * The decimals of a figure that shows in more than one place (the list and
 * the panels), so it reads the same in each: milliseconds with one, whole
 * from 1000 up (where a label and its value would touch); error rates two.
 */
int panels_ms_decimals(double v);
#define PANELS_PCT_DECIMALS 2
void panels_fmt_duration(char *buf, size_t len, double seconds);
void panels_fmt_count(char *buf, size_t len, int64_t v);	/* "1,250"; "n/a" if < 0 */

#endif
