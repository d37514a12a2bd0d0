/* Key handling for the screen; see input.h. */
#include "ui/input.h"

#include <stddef.h>

static const int64_t interval_ladder[] = {
	250, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000,
};
#define LADDER_N (sizeof(interval_ladder) / sizeof(interval_ladder[0]))

int64_t ui_interval_step(int64_t cur, int dir)
{
	if (dir > 0) {
		for (size_t i = 0; i < LADDER_N; i++)
			if (interval_ladder[i] > cur)
				return interval_ladder[i];
		return UI_INTERVAL_MAX_MS;
	}
	for (size_t i = LADDER_N; i-- > 0;)
		if (interval_ladder[i] < cur)
			return interval_ladder[i];
	return UI_INTERVAL_MIN_MS;
}

double ui_speed_step(double cur, int dir)
{
	if (dir > 0) {
		if (cur == 0 || cur >= UI_SPEED_MAX)
			return cur;
		return cur * 2 < UI_SPEED_MAX ? cur * 2 : UI_SPEED_MAX;
	}
	if (cur == 0)
		return UI_SPEED_MAX;
	if (cur <= UI_SPEED_MIN)
		return cur;
	return cur / 2 > UI_SPEED_MIN ? cur / 2 : UI_SPEED_MIN;
}

static enum ui_action set_interval(struct ui_state *st, int dir)
{
	int64_t next = ui_interval_step(st->interval_ms, dir);

	if (next == st->interval_ms)
		return UI_ACT_NONE;
	st->interval_ms = next;
	return UI_ACT_INTERVAL;
}

#define CTRL_L 12

/* The selection's move for a key, or 0 for a key that does not move it. */
static int32_t select_delta(int key)
{
	switch (key) {
	case UI_KEY_UP: return -1;
	case UI_KEY_DOWN: return 1;
	case UI_KEY_PGUP: return LIST_PAGE_UP;
	case UI_KEY_PGDN: return LIST_PAGE_DOWN;
	case UI_KEY_HOME: return LIST_HOME;
	case UI_KEY_END: return LIST_END;
	default: return 0;
	}
}

static bool key_is_enter(int key)
{
	return key == '\r' || key == '\n' || key == UI_KEY_ENTER;
}

/* Typing a filter: the keys are text, but for those that end it or move the selection. */
static enum ui_action filter_key(struct list *l, int key)
{
	int32_t d = select_delta(key);

	if (d != 0)
		return list_move(l, d) ? UI_ACT_SELECT : UI_ACT_NONE;
	if (key_is_enter(key)) {
		list_filter_done(l);
		return UI_ACT_FILTER;
	}
	if (key == UI_KEY_ESC) {
		list_filter_clear(l);
		return UI_ACT_FILTER;
	}
	if (key == UI_KEY_BACKSPACE || key == 127 || key == 8)
		return list_filter_erase(l) ? UI_ACT_FILTER : UI_ACT_NONE;
	if (key == CTRL_L)
		return UI_ACT_REDRAW;
	return list_filter_type(l, key) ? UI_ACT_FILTER : UI_ACT_NONE;
}

/* The list's keys; *a is what to do, and false means the key is not the list's. */
static bool list_key(struct list *l, int key, enum ui_action *a)
{
	int32_t d = select_delta(key);

	if (l->editing) {
		*a = filter_key(l, key);
		return true;
	}
	if (d != 0) {
		*a = list_move(l, d) ? UI_ACT_SELECT : UI_ACT_NONE;
	} else if (key_is_enter(key)) {
		*a = list_zoom(l) ? UI_ACT_ZOOM : UI_ACT_NONE;
	} else if (key == UI_KEY_ESC) {
		*a = list_escape(l) ? UI_ACT_BACK : UI_ACT_NONE;
	} else if (key == 'o') {
		list_sort_next(l);
		*a = UI_ACT_SORT;
	} else if (key == 'O') {
		list_sort_reverse(l);
		*a = UI_ACT_SORT;
	} else if (key == '/') {
		list_filter_start(l);
		*a = UI_ACT_FILTER;
	} else {
		return false;
	}
	return true;
}

enum ui_action ui_state_key(struct ui_state *st, int key)
{
	enum ui_action a;

	if (key == UI_KEY_RESIZE)
		return UI_ACT_REDRAW;
	if (st->help) {
		st->help = false;
		return UI_ACT_REDRAW;
	}
	if (st->list.nrows > 0 && list_key(&st->list, key, &a))
		return a;
	switch (key) {
	case 'q':
	case 'Q':
		return UI_ACT_QUIT;
	case ' ':
	case 'p':
	case 'P':
		st->paused = !st->paused;
		return UI_ACT_PAUSE;
	case 'r':
	case 'R':
		return UI_ACT_RESET;
	case '+':
	case '=':
		return set_interval(st, 1);
	case '-':
	case '_':
		return set_interval(st, -1);
	case '?':
	case 'h':
		st->help = true;
		return UI_ACT_REDRAW;
	case '[':
	case UI_KEY_LEFT:
		return UI_ACT_SEEK_BACK;
	case ']':
	case UI_KEY_RIGHT:
		return UI_ACT_SEEK_FORWARD;
	case 'n':
	case 'N':
		return UI_ACT_SEEK_TRANSITION;
	case 'm':
	case 'M':
		return UI_ACT_SEEK_MISS;
	case '<':
	case ',':
		return UI_ACT_SPEED_DOWN;
	case '>':
	case '.':
		return UI_ACT_SPEED_UP;
	case 'f':
	case 'F':
		return UI_ACT_INCIDENT;
	case 'b':
	case 'B':
		return UI_ACT_BREAKER;
	case CTRL_L:	/* repaint, as in every curses program */
		return UI_ACT_REDRAW;
	default:
		return UI_ACT_NONE;
	}
}
