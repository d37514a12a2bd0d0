/*
 * The interactive screen's loop (see ui.h). One pass: take what the source
 * has (at most UI_EVENTS_PER_PASS events, so a simulation running as fast as
 * the CPU allows never starves the keys), answer the keys, redraw if
 * anything changed or the clock ticked, then sleep in poll() on the
 * source's descriptors and the terminal until the next of: a key, source
 * I/O, the source's timer, the next second (clocks and ages), a pending
 * frame.
 *
 * While a search for the next target miss (m, jump.h) runs, it takes the
 * source's place in the pass: at most UI_JUMP_SNAPS_PER_PASS snapshots,
 * so the screen keeps drawing and any key stops the search.
 *
 * Signals (stopsig.h) only set a flag and wake poll(), which also watches
 * their self-pipe. A stop signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGUSR1) leaves through the same door as 'q', restoring the terminal.
 * SIGTSTP (Ctrl-Z) gives the terminal back, then stops; SIGCONT, after that
 * or after a SIGSTOP, takes it back and repaints.
 */
#include "ui/ui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "monitor.h"
#include "recap.h"
#include "ui/canvas.h"
#include "ui/input.h"
#include "ui/jump.h"
#include "ui/keys.h"
#include "ui/panels.h"
#include "ui/term.h"
#include "ui/view.h"
#include "timeline.h"
#include "sanitize.h"
#include "stopsig.h"
#include "util.h"

#define UI_EVENTS_PER_PASS 1000
#define UI_TICK_MS 1000
/* Data-driven redraws at most this often; keys and resizes redraw at once. */
#define UI_FRAME_MS 50
#define UI_HISTORY VIEW_SERIES
#define UI_NOTICE_MS 3000
#define UI_JUMP_SNAPS_PER_PASS 200
/* Lines of the timeline's scan per pass: a few milliseconds, so keys stay quick. */
#define UI_SCAN_LINES_PER_PASS 2000

struct ui {
	struct source *src;
	struct monitor mon;
	struct term *term;
	struct canvas *canvas;
	struct view view;
	struct ui_state st;
	bool utf8, quit, dirty, data_dirty, busy;
	struct jump jump;	/* the search for a target miss (m) */
	int64_t last_frame_ms, next_tick_ms;
	char notice[96];
	char reselect[METRICS_NAME_LEN];	/* back out of a drill-down: select this row when it shows */
	int64_t notice_until_ms;
	struct stopsig stop;
	int key_fd;		/* the terminal the keys come from */
	struct timeline *timeline;	/* a recording's timeline, scanned between keys; NULL: none */
	bool following;			/* replay --follow: the timeline grows with the file */
	bool scanning;			/* the timeline has more to read */
	uint64_t events_seen;		/* the event log's total at the last frame */
	struct recap *recap;		/* a demo's closing summary, fed as the monitor is; NULL: none */
	bool recap_hidden;		/* a key put it away */
	int64_t next_scan_frame_ms;	/* the bar is redrawn about twice a second while it fills */
};

/* Whether glyphs beyond ASCII can be shown: the locale's codeset is UTF-8. */
static bool ui_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* NO_COLOR (https://no-color.org): set and not empty turns colour off. */
static bool ui_color_wanted(const struct ui_options *o)
{
	const char *nc = getenv("NO_COLOR");

	return !o->no_color && (nc == NULL || nc[0] == '\0');
}

static void ui_pump_source(struct ui *u, int64_t now)
{
	struct source_event ev;
	int n = 0;

	while (n < UI_EVENTS_PER_PASS && source_step(u->src, now, &ev) == 1) {
		if (u->recap != NULL)
			recap_event(u->recap, &ev);
		monitor_handle(&u->mon, &ev);
		n++;
	}
	u->busy = n == UI_EVENTS_PER_PASS;
	if (n > 0)
		u->data_dirty = true;
	/* The row backed out of is selected once the level it belongs to has come. */
	if (n > 0 && u->reselect[0] != '\0' && monitor_row_find(&u->mon, u->reselect) >= 0) {
		str_printf(u->st.list.selected, sizeof(u->st.list.selected), "%s", u->reselect);
		u->reselect[0] = '\0';
	}
}

static void ui_notice(struct ui *u, const char *msg, int64_t now)
{
	str_printf(u->notice, sizeof(u->notice), "%s", msg);
	u->notice_until_ms = now + UI_NOTICE_MS;
}

/* Step through a recording; other sources (and the ends of one) say why nothing moved. */
static void ui_seek(struct ui *u, enum source_seek where, int64_t now)
{
	if (source_seek(u->src, where) == 0)
		return;
	struct source_position pos;
	bool back = where == SOURCE_SEEK_BACK || where == SOURCE_SEEK_START;

	if (u->src->ops->seek == NULL)
		ui_notice(u, "cannot step: only recordings can be stepped through", now);
	else if (back && source_position(u->src, &pos) == 0 && pos.pipe)
		ui_notice(u, "cannot step back: a pipe keeps only the last 8 MiB read", now);
	else if (back)
		ui_notice(u, "cannot step back: at the first snapshot", now);
	else
		ui_notice(u, "cannot step: at the end of the recording", now);
}

/* < and >: the source refuses when it has no speed (live sources); then say so. */
static void ui_speed(struct ui *u, int dir, int64_t now)
{
	double next = ui_speed_step(u->st.speed, dir);

	if (source_set_speed(u->src, next, now) != 0) {
		ui_notice(u, "no speed to change: only simulations and recordings have one", now);
		return;
	}
	u->st.speed = next;
}

/*
 * The fault keys: on the selected upstream (on a source without rows,
 * NULL: its only one; 0 on all of them); the source acts or refuses, and
 * says which in its own words.
 */
static void ui_inject(struct ui *u, enum source_inject what, int64_t now)
{
	const struct list_row *sel = list_selected(&u->st.list);
	char msg[SOURCE_MSG_LEN];

	if (monitor_rows(&u->mon) > 0 && sel == NULL && what != SOURCE_INJECT_CLEAR) {
		ui_notice(u, "no upstream selected: the filter hides every row (Esc clears it)", now);
		return;
	}
	source_inject(u->src, what, monitor_rows(&u->mon) > 0 && sel != NULL ? sel->name : NULL, msg,
		      sizeof(msg));
	ui_notice(u, msg, now);
}

/* m: start the search (see jump.h for where it stops). */
static void ui_jump_start(struct ui *u, int64_t now)
{
	if (jump_start(&u->jump, &u->mon, now) != 0)
		ui_notice(u, "cannot step: only recordings can be stepped through", now);
}

static void ui_jump_pass(struct ui *u, int64_t now)
{
	bool moved;

	u->busy = true;
	switch (jump_pass(&u->jump, &u->mon, now, UI_JUMP_SNAPS_PER_PASS, &moved)) {
	case JUMP_RUNNING:
		break;
	case JUMP_FOUND:
		u->dirty = true;
		break;
	case JUMP_END:
		ui_notice(u, "no target miss ahead: at the end of the recording", now);
		u->dirty = true;
		break;
	}
	if (moved)
		u->data_dirty = true;
}

/*
 * Enter on a source that drills (a fleet): into the selected row, whose own
 * rows the list then shows; the panels show it whole, not zoomed. Other
 * sources, and a fleet already in an instance, zoom as the list says.
 */
static void ui_drill(struct ui *u, int64_t now)
{
	const struct list_row *sel = list_selected(&u->st.list);
	char msg[SOURCE_MSG_LEN];

	if (u->src->ops->drill == NULL || source_drilled(u->src) != NULL || sel == NULL)
		return;
	if (source_drill(u->src, sel->name, UI_HISTORY, msg, sizeof(msg)) == 0) {
		u->reselect[0] = '\0';
		u->st.list.zoomed = false;
		u->st.list.selected[0] = '\0';
		list_filter_clear(&u->st.list);
	}
	ui_notice(u, msg, now);
}

/* Esc with nothing else to undo: out of the row drilled into, selecting it in the list again. */
static void ui_drill_up(struct ui *u, int64_t now)
{
	char msg[SOURCE_MSG_LEN], name[METRICS_NAME_LEN];
	const char *in = source_drilled(u->src);

	if (in == NULL)
		return;
	str_printf(name, sizeof(name), "%s", in);
	if (source_drill(u->src, NULL, UI_HISTORY, msg, sizeof(msg)) == 0) {
		u->st.list.zoomed = false;
		str_printf(u->reselect, sizeof(u->reselect), "%s", name);
	}
	ui_notice(u, msg, now);
}

static void ui_apply(struct ui *u, enum ui_action a, int64_t now)
{
	switch (a) {
	case UI_ACT_QUIT:
		u->quit = true;
		break;
	case UI_ACT_PAUSE:
		source_set_paused(u->src, u->st.paused, now);
		break;
	case UI_ACT_RESET:
		history_clear(u->mon.hist);
		eventlog_clear(u->mon.events);
		u->st.events_back = 0;
		break;
	case UI_ACT_INTERVAL:
		source_set_interval(u->src, u->st.interval_ms);
		break;
	case UI_ACT_REDRAW:
	case UI_ACT_HELP:
		term_invalidate(u->term);
		break;
	case UI_ACT_SEEK_BACK:
		ui_seek(u, SOURCE_SEEK_BACK, now);
		break;
	case UI_ACT_SEEK_FORWARD:
		ui_seek(u, SOURCE_SEEK_FORWARD, now);
		break;
	case UI_ACT_SEEK_START:
		ui_seek(u, SOURCE_SEEK_START, now);
		break;
	case UI_ACT_SEEK_END:
		ui_seek(u, SOURCE_SEEK_END, now);
		break;
	case UI_ACT_SEEK_TRANSITION:
		ui_seek(u, SOURCE_SEEK_NEXT_TRANSITION, now);
		break;
	case UI_ACT_SEEK_MISS:
		ui_jump_start(u, now);
		break;
	case UI_ACT_SPEED_DOWN:
		ui_speed(u, -1, now);
		break;
	case UI_ACT_SPEED_UP:
		ui_speed(u, 1, now);
		break;
	case UI_ACT_FAULT_FAILURE:
		ui_inject(u, SOURCE_INJECT_FAILURE_CYCLE, now);
		break;
	case UI_ACT_FAULT_TIMEOUTS:
		ui_inject(u, SOURCE_INJECT_TIMEOUTS, now);
		break;
	case UI_ACT_FAULT_LATENCY:
		ui_inject(u, SOURCE_INJECT_LATENCY, now);
		break;
	case UI_ACT_FAULT_SURGE:
		ui_inject(u, SOURCE_INJECT_SURGE, now);
		break;
	case UI_ACT_BREAKER_OPEN:
		ui_inject(u, SOURCE_INJECT_BREAKER_OPEN, now);
		break;
	case UI_ACT_BREAKER_CLOSE:
		ui_inject(u, SOURCE_INJECT_BREAKER_CLOSE, now);
		break;
	case UI_ACT_BREAKER_AUTO:
		ui_inject(u, SOURCE_INJECT_BREAKER_AUTO, now);
		break;
	case UI_ACT_FAULTS_CLEAR:
		ui_inject(u, SOURCE_INJECT_CLEAR, now);
		break;
	case UI_ACT_ZOOM:
		ui_drill(u, now);
		break;
	case UI_ACT_UP:
		ui_drill_up(u, now);
		break;
	case UI_ACT_SELECT:
	case UI_ACT_BACK:
	case UI_ACT_SORT:
	case UI_ACT_FILTER:
	case UI_ACT_EVENTS:
		break;	/* the list or the panels changed; the next frame shows it */
	case UI_ACT_CHAPTER: {
		char msg[SOURCE_MSG_LEN];

		source_next_chapter(u->src, now, msg, sizeof(msg));
		ui_notice(u, msg, now);
		break;
	}
	case UI_ACT_EVENTS_SCROLL: {
		size_t len = eventlog_len(u->mon.events);

		/* At least the oldest line stays in sight. */
		if (u->st.events_back >= len)
			u->st.events_back = len > 0 ? len - 1 : 0;
		break;
	}
	case UI_ACT_NONE:
		return;
	}
	u->dirty = true;
}

/* Which keys apply (keys.h): what the source can do, and whether its data has rows. */
static unsigned ui_key_modes(const struct ui *u)
{
	const struct source_ops *ops = u->src->ops;
	const struct metrics_snapshot *latest = monitor_latest(&u->mon);

	return (ops->seek != NULL ? KEY_MODE_STEP : 0u) |
	       (ops->set_speed != NULL ? KEY_MODE_SPEED : 0u) |
	       (ops->inject != NULL ? KEY_MODE_INJECT : 0u) |
	       (ops->next_chapter != NULL ? KEY_MODE_DEMO : 0u) |
	       (latest != NULL && latest->nrows > 0 ? KEY_MODE_ROWS : 0u) |
	       (source_drilled(u->src) != NULL ? KEY_MODE_DRILLED : 0u);
}

/* The demo's recap shows once the story has ended, until a key puts it away. */
static bool ui_recap_shown(const struct ui *u)
{
	return u->recap != NULL && u->mon.ended && !u->recap_hidden;
}

static void ui_pump_keys(struct ui *u, int64_t now)
{
	int key;

	while (!u->quit && (key = term_key(u->term)) >= 0) {
		enum ui_action a;

		u->st.modes = ui_key_modes(u);
		/* The recap at the end: q quits, any other key puts it away. */
		if (ui_recap_shown(u) && key != 'q' && key != 'Q' && key != UI_KEY_RESIZE) {
			u->recap_hidden = true;
			u->dirty = true;
			continue;
		}
		a = ui_state_key(&u->st, key);

		/* Any key stops a search; m only stops it, other keys then do their job. */
		if (u->jump.active && key != UI_KEY_RESIZE) {
			u->jump.active = false;
			ui_notice(u, "search for a target miss stopped", now);
			u->dirty = true;
			if (a == UI_ACT_SEEK_MISS)
				continue;
		}
		ui_apply(u, a, now);
	}
}

static void ui_render(struct ui *u, int64_t now)
{
	struct view_input in = {
		.program = PACKAGE_NAME " " PACKAGE_VERSION,
		.utf8 = u->utf8,
		.help = u->st.help,
		.paused = u->st.paused,
		.mono_ms = now,
		.wall_ms = clock_wall_ms(),
		.notice = now < u->notice_until_ms ? u->notice : NULL,
		.timeline = u->timeline,
	};
	int w, h;

	in.key_modes = u->st.modes = ui_key_modes(u);
	term_size(u->term, &w, &h);
	if (w != u->canvas->w || h != u->canvas->h)
		canvas_resize(u->canvas, w, h);
	in.width = u->canvas->w;
	in.height = u->canvas->h;
	in.list = &u->st.list;
	/* Scrolled back, the lines on screen stay put as new ones arrive. */
	if (u->st.events_back > 0)
		u->st.events_back += (size_t)(eventlog_total(u->mon.events) - u->events_seen);
	u->events_seen = eventlog_total(u->mon.events);
	in.events = u->st.events;
	in.events_back = u->st.events_back;
	if (ui_recap_shown(u)) {
		recap_finish(u->recap);
		in.recap = u->recap;
	}
	monitor_update(&u->mon, now);
	view_update(&u->view, &u->mon, &in);
	panels_draw(u->canvas, &u->view);
	term_draw(u->term, u->canvas);
	u->last_frame_ms = now;
	u->dirty = u->data_dirty = false;
}

/* How long poll() may sleep: until the next tick, or the next frame if data is waiting. */
static int64_t ui_wait_ms(const struct ui *u, int64_t now)
{
	int64_t until = u->next_tick_ms;

	if (u->busy || u->dirty || u->scanning)
		return 0;
	if (u->data_dirty && u->last_frame_ms + UI_FRAME_MS < until)
		until = u->last_frame_ms + UI_FRAME_MS;
	return until > now ? until - now : 0;
}

/* Ctrl-Z and fg, or SIGSTOP and SIGCONT: the terminal is cooked while we are stopped. */
static void ui_job_control(struct ui *u)
{
	if (stopsig_take_suspend(&u->stop)) {
		term_suspend(u->term);
		stopsig_suspend(&u->stop);
	}
	if (stopsig_take_continue(&u->stop)) {
		term_resume(u->term);
		u->dirty = true;
	}
}

/*
 * One slice of the timeline's scan a pass, only while nothing else is
 * pending (keys went first above); the bar is redrawn now and then while
 * it fills, and once when it is complete.
 */
static void ui_scan(struct ui *u, int64_t now)
{
	if (!u->scanning || u->quit)
		return;
	u->scanning = timeline_step(u->timeline, UI_SCAN_LINES_PER_PASS);
	if (!u->scanning || now >= u->next_scan_frame_ms) {
		u->dirty = true;
		u->next_scan_frame_ms = now + 500;
	}
}

static void ui_loop(struct ui *u)
{
	int fds[2] = { u->key_fd, stopsig_fd(&u->stop) };

	while (!u->quit && !stopsig_caught()) {
		int64_t now;

		ui_job_control(u);
		now = clock_monotonic_ms();
		if (u->jump.active)
			ui_jump_pass(u, now);
		else
			ui_pump_source(u, now);
		ui_pump_keys(u, now);
		ui_scan(u, now);
		if (u->quit)
			break;
		now = clock_monotonic_ms();
		if (now >= u->next_tick_ms) {
			u->dirty = true;
			u->next_tick_ms = now - now % UI_TICK_MS + UI_TICK_MS;
			/* A followed recording's timeline reads what was written since, once a second. */
			u->scanning = u->scanning || (u->timeline != NULL && u->following);
		}
		if (u->data_dirty && now - u->last_frame_ms >= UI_FRAME_MS)
			u->dirty = true;
		if (u->dirty)
			ui_render(u, now);
		source_wait_fds(u->src, fds, 2, ui_wait_ms(u, clock_monotonic_ms()));
	}
}

int ui_run(struct source *src, const struct ui_options *o)
{
	struct ui u;
	struct term_options to;
	struct target_set defaults;
	char err[256];
	FILE *keys = stdin;

	/* A recording piped in (replay -) leaves the keys to the terminal itself, as less does. */
	if (isatty(STDOUT_FILENO) && !isatty(STDIN_FILENO))
		keys = fopen("/dev/tty", "r");
	if (keys == NULL || !isatty(fileno(keys)) || !isatty(STDOUT_FILENO)) {
		if (keys != NULL && keys != stdin)
			fclose(keys);
		fputs("routertop: no terminal; use --batch\n", stderr);
		return 3;
	}
	setlocale(LC_ALL, "");
	memset(&u, 0, sizeof(u));
	u.src = src;
	u.utf8 = ui_locale_utf8();
	u.st.interval_ms = src->interval_ms;
	u.st.speed = o->speed;
	u.st.events = o->events;
	to = (struct term_options){ .color = ui_color_wanted(o), .theme = o->theme, .utf8 = u.utf8 };
	/* Our handlers go in before curses starts, so curses leaves them alone. */
	if (stopsig_install(&u.stop, STOPSIG_JOB_CONTROL) < 0) {
		fprintf(stderr, "routertop: cannot set up signal handling: %s\n", strerror(errno));
		return 3;
	}
	u.key_fd = fileno(keys);
	u.term = term_open_files(&to, stdout, keys, err, sizeof(err));
	if (u.term == NULL) {
		if (keys != stdin)
			fclose(keys);
		stopsig_restore(&u.stop);
		sanitize_line(stderr, 0, "routertop: %s", err);
		return 3;
	}
	fatal_set_cleanup(term_restore);
	targets_defaults(&defaults);
	if (o->recap) {
		u.recap = xmalloc(sizeof(*u.recap));
		recap_init(u.recap, o->targets != NULL ? o->targets : &defaults);
	}
	monitor_init(&u.mon, src, o->targets != NULL ? o->targets : &defaults, o->rec, UI_HISTORY);
	u.canvas = canvas_new(PANELS_MIN_W, PANELS_MIN_H);
	if (o->timeline_path != NULL) {
		/* No timeline (a pipe, an unreadable file) is no error: the replay says what is wrong. */
		u.timeline = timeline_open(o->timeline_path, u.mon.targets, o->follow, err, sizeof(err));
		u.scanning = u.timeline != NULL;
		u.following = o->follow;
	}
	u.dirty = true;
	ui_loop(&u);
	fatal_set_cleanup(NULL);
	term_close(u.term);
	if (keys != stdin)
		fclose(keys);
	stopsig_restore(&u.stop);
	canvas_free(u.canvas);
	list_free(&u.st.list);
	monitor_free(&u.mon);
	timeline_free(u.timeline);
	if (u.recap != NULL) {
		recap_free(u.recap);
		free(u.recap);
	}
	return 0;
}
