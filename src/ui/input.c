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

enum ui_action ui_state_key(struct ui_state *st, int key)
{
	if (key == UI_KEY_RESIZE)
		return UI_ACT_REDRAW;
	if (st->help) {
		st->help = false;
		return UI_ACT_REDRAW;
	}
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
	case 12:	/* Ctrl-L: repaint, as in every curses program */
		return UI_ACT_REDRAW;
	default:
		return UI_ACT_NONE;
	}
}
