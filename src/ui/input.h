/*
 * Keys: what each key does to the screen's state, apart from the terminal
 * and the source, so Check can press keys. Which key does what is the
 * table in keys.h; ui.c applies the returned action to the source and the
 * monitor.
 */
#ifndef RT_UI_INPUT_H
#define RT_UI_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "ui/list.h"

/* Key codes beyond plain characters, as the backend reports them. */
#define UI_KEY_RESIZE 0x110000
#define UI_KEY_LEFT 0x110001
#define UI_KEY_RIGHT 0x110002
#define UI_KEY_UP 0x110003
#define UI_KEY_DOWN 0x110004
#define UI_KEY_PGUP 0x110005
#define UI_KEY_PGDN 0x110006
#define UI_KEY_HOME 0x110007
#define UI_KEY_END 0x110008
#define UI_KEY_ENTER 0x110009	/* the keypad's Enter; Return is '\r' (or '\n') */
#define UI_KEY_BACKSPACE 0x11000a	/* also 127 (DEL) and 8 (Ctrl-H) */
#define UI_KEY_BTAB 0x11000b	/* Shift-Tab (back tab) */
#define UI_KEY_ESC 27

/* The refresh interval's bounds; + and - step through a fixed ladder between them. */
#define UI_INTERVAL_MIN_MS 250
#define UI_INTERVAL_MAX_MS 60000

/* Playback speed bounds for < and >; 0 means as fast as possible ("max"). */
#define UI_SPEED_MIN (1.0 / 16)
#define UI_SPEED_MAX 64.0

enum ui_action {
	UI_ACT_NONE,		/* nothing to do (unbound key) */
	UI_ACT_REDRAW,		/* only the screen changed (help opened/closed, resize) */
	UI_ACT_QUIT,
	UI_ACT_PAUSE,		/* st->paused changed: tell the source */
	UI_ACT_RESET,		/* clear the history */
	UI_ACT_INTERVAL,	/* st->interval_ms changed: tell the source */
	UI_ACT_SEEK_BACK,	/* recordings: the snapshot before the current one */
	UI_ACT_SEEK_FORWARD,	/* recordings: the next snapshot now */
	UI_ACT_SEEK_TRANSITION,	/* recordings: the next breaker transition */
	UI_ACT_SEEK_MISS,	/* recordings: play forward to the next target miss */
	UI_ACT_SEEK_START,	/* recordings: the first snapshot (Home) */
	UI_ACT_SEEK_END,	/* recordings: the last snapshot (End) */
	UI_ACT_SPEED_DOWN,	/* halve the playback speed (see ui_speed_step) */
	UI_ACT_SPEED_UP,	/* double the playback speed */
	/* Simulation: the selected upstream's faults (source_inject); CLEAR: every upstream's. */
	UI_ACT_FAULT_FAILURE,	/* f: failure rate 0 -> 10 -> 50 -> 100 % */
	UI_ACT_FAULT_TIMEOUTS,	/* t: timeouts on or off */
	UI_ACT_FAULT_LATENCY,	/* l: latency spike on or off */
	UI_ACT_FAULT_SURGE,	/* s: load surge on or off */
	UI_ACT_BREAKER_OPEN,	/* o: breaker forced open */
	UI_ACT_BREAKER_CLOSE,	/* c: breaker forced closed */
	UI_ACT_BREAKER_AUTO,	/* a: breaker automatic */
	UI_ACT_FAULTS_CLEAR,	/* 0: every fault off */
	UI_ACT_HELP,		/* the key table's "open the help"; ui_state_key returns REDRAW */
	/* The row list (keys.h: KEY_MODE_ROWS); st->list changed, the screen follows. */
	UI_ACT_SELECT,		/* the selection moved */
	UI_ACT_ZOOM,		/* Enter: the panels show the selected row */
	UI_ACT_BACK,		/* Esc: back to the whole router, or the filter cleared */
	UI_ACT_SORT,		/* Tab: the next sort column; Shift-Tab: the other direction */
	UI_ACT_FILTER,		/* /: the filter is being typed, changed, kept or cleared */
	UI_ACT_EVENTS,		/* e: st->events changed (the event log panel shown or not) */
	UI_ACT_EVENTS_SCROLL,	/* { }: st->events_back changed (the log is shown too) */
	UI_ACT_UP,		/* Esc with nothing else to undo, drilled into a row (a fleet's
				 * instance): back to the top level */
	UI_ACT_CHAPTER,		/* demo: on to the next chapter (source_next_chapter) */
};

/* Lines { and } scroll the event log by. */
#define UI_EVENTS_STEP 5

struct ui_state {
	bool paused;
	bool help;		/* the help overlay is open */
	int64_t interval_ms;
	double speed;		/* playback speed as last set, 0 = max; ui.c keeps it */
	unsigned modes;		/* KEY_MODE_* bits (keys.h) of the source now; ui.c keeps it */
	bool events;		/* the event log panel is shown */
	size_t events_back;	/* it is scrolled back this many lines from the newest; ui.c clamps it */
	/*
	 * The row list; its keys apply while the source has rows
	 * (KEY_MODE_ROWS; view.c fills it). Zeroed is valid; ui.c frees it.
	 */
	struct list list;
};

/*
 * Apply key to st and say what the caller must do, as keys_find(key,
 * st->modes) binds it. While the help overlay is open any key (but a
 * resize) only closes it. While the list's filter is typed (after /),
 * every key but those that move the selection, Ctrl-L, Backspace, Enter
 * (keeps it) and Esc (clears it) types into it.
 */
enum ui_action ui_state_key(struct ui_state *st, int key);

/* The next interval on the ladder up (dir > 0) or down (dir < 0), clamped to the bounds. */
int64_t ui_interval_step(int64_t cur_ms, int dir);

/*
 * The playback speed after < (dir < 0: half) or > (dir > 0: double), kept
 * within UI_SPEED_MIN .. UI_SPEED_MAX; a speed already past a bound only
 * moves back towards it. From max (0), < gives UI_SPEED_MAX and > keeps 0.
 * Returns cur when nothing changes.
 */
double ui_speed_step(double cur, int dir);

#endif
