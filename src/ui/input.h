/*
 * Keys: what each key does to the screen's state, apart from the terminal
 * and the source, so Check can press keys. ui.c applies the returned action
 * to the source and the monitor.
 */
#ifndef RT_UI_INPUT_H
#define RT_UI_INPUT_H

#include <stdbool.h>
#include <stdint.h>

/* Key codes beyond plain characters, as the backend reports them. */
#define UI_KEY_RESIZE 0x110000
#define UI_KEY_LEFT 0x110001
#define UI_KEY_RIGHT 0x110002

/* The refresh interval's bounds; + and - step through a fixed ladder between them. */
#define UI_INTERVAL_MIN_MS 250
#define UI_INTERVAL_MAX_MS 60000

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
};

struct ui_state {
	bool paused;
	bool help;		/* the help overlay is open */
	int64_t interval_ms;
};

/*
 * Apply key to st and say what the caller must do. While the help overlay
 * is open any key (but a resize) only closes it.
 */
enum ui_action ui_state_key(struct ui_state *st, int key);

/* The next interval on the ladder up (dir > 0) or down (dir < 0), clamped to the bounds. */
int64_t ui_interval_step(int64_t cur_ms, int dir);

#endif
