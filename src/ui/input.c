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

enum ui_action ui_state_key(struct ui_state *st, int key)
{
	const struct key_binding *k;

	if (key == UI_KEY_RESIZE)
		return UI_ACT_REDRAW;
	if (st->help) {
		st->help = false;
		return UI_ACT_REDRAW;
	}
	k = keys_find(key, st->modes);
	if (k == NULL)
		return UI_ACT_NONE;
	switch (k->action) {
	case UI_ACT_PAUSE:
		st->paused = !st->paused;
		break;
	case UI_ACT_INTERVAL:
		return set_interval(st, k->step);
	case UI_ACT_HELP:
		st->help = true;
		return UI_ACT_REDRAW;
	default:
		break;
	}
	return k->action;
}
