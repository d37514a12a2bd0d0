/* Key handling for the screen; see input.h. */
#include "ui/input.h"

#include <stddef.h>

#include "ui/keys.h"

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

/*
 * Typing a filter: the keys are text, but for those that end it, erase,
 * move the selection or repaint.
 */
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

/* The list's bindings (KEY_MODE_ROWS); NONE when the key changed nothing. */
static enum ui_action list_action(struct list *l, const struct key_binding *k, int key)
{
	switch (k->action) {
	case UI_ACT_SELECT:
		return list_move(l, select_delta(key)) ? UI_ACT_SELECT : UI_ACT_NONE;
	case UI_ACT_ZOOM:
		return list_zoom(l) ? UI_ACT_ZOOM : UI_ACT_NONE;
	case UI_ACT_BACK:
		return list_escape(l) ? UI_ACT_BACK : UI_ACT_NONE;
	case UI_ACT_SORT:
		if (key == UI_KEY_BTAB || key == 'O')
			list_sort_reverse(l);
		else
			list_sort_next(l);
		return UI_ACT_SORT;
	case UI_ACT_FILTER:
		list_filter_start(l);
		return UI_ACT_FILTER;
	default:
		return k->action;
	}
}

enum ui_action ui_state_key(struct ui_state *st, int key)
{
	const struct key_binding *k;

	if (key == UI_KEY_RESIZE)
		return UI_ACT_REDRAW;
	if (st->help) {
		st->help = false;
		return UI_ACT_REDRAW;
	}
	if (st->list.editing)
		return filter_key(&st->list, key);
	k = keys_find(key, st->modes);
	/* The list's keys, without rows, do nothing (and need no excuse). */
	if (k == NULL ||
	    (!keys_apply(k, st->modes) && (k->modes & (KEY_MODE_ROWS | KEY_MODE_DRILLED))))
		return UI_ACT_NONE;
	switch (k->action) {
	case UI_ACT_PAUSE:
		st->paused = !st->paused;
		break;
	case UI_ACT_INTERVAL:
		return set_interval(st, key == '+' || key == '=' ? 1 : -1);
	case UI_ACT_SPEED_DOWN:
		return key == '>' || key == '.' ? UI_ACT_SPEED_UP : UI_ACT_SPEED_DOWN;
	case UI_ACT_FAULT_FAILURE:
		return key == 't' || key == 'T' ? UI_ACT_FAULT_TIMEOUTS : UI_ACT_FAULT_FAILURE;
	case UI_ACT_FAULT_LATENCY:
		return key == 's' || key == 'S' ? UI_ACT_FAULT_SURGE : UI_ACT_FAULT_LATENCY;
	case UI_ACT_BREAKER_OPEN:
		return key == 'c' || key == 'C' ? UI_ACT_BREAKER_CLOSE
		       : key == 'a' || key == 'A' ? UI_ACT_BREAKER_AUTO
		       : key == '0' ? UI_ACT_FAULTS_CLEAR : UI_ACT_BREAKER_OPEN;
	case UI_ACT_HELP:
		st->help = true;
		return UI_ACT_REDRAW;
	case UI_ACT_SEEK_BACK:
		return key == ']' || key == UI_KEY_RIGHT ? UI_ACT_SEEK_FORWARD : UI_ACT_SEEK_BACK;
	case UI_ACT_SEEK_START:
		return key == UI_KEY_END || key == 'G' ? UI_ACT_SEEK_END : UI_ACT_SEEK_START;
	case UI_ACT_EVENTS:
		st->events = !st->events;
		break;
	case UI_ACT_EVENTS_SCROLL:
		/* Scrolling shows the log; newer than the newest is the newest. */
		st->events = true;
		if (key == '{')
			st->events_back += UI_EVENTS_STEP;
		else
			st->events_back = st->events_back > UI_EVENTS_STEP ? st->events_back - UI_EVENTS_STEP : 0;
		break;
	case UI_ACT_SELECT:
	case UI_ACT_ZOOM:
	case UI_ACT_BACK:
	case UI_ACT_SORT:
	case UI_ACT_FILTER:
		return list_action(&st->list, k, key);
	case UI_ACT_UP:
		/* In a fleet's instance: the list's own undo first, then out of it. */
		return list_escape(&st->list) ? UI_ACT_BACK : UI_ACT_UP;
	default:
		break;
	}
	return k->action;
}
