/*
 * The view model: fills a struct view (panels.h) from the monitor, the one
 * place where the screen reads the history, the evaluation and the source.
 * All times are passed in, so Check can build a monitor by hand and look at
 * the view it gives.
 */
#ifndef RT_UI_VIEW_H
#define RT_UI_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor.h"
#include "recap.h"
#include "ui/list.h"
#include "ui/panels.h"

struct view_input {
	const char *program;	/* "routertop 0.1.0" */
	bool utf8;
	bool help;		/* the help overlay is open */
	unsigned key_modes;	/* KEY_MODE_* bits (keys.h): which keys the screen offers */
	bool paused;		/* the user paused the source */
	int64_t mono_ms;	/* now, CLOCK_MONOTONIC */
	int64_t wall_ms;	/* now, ms since the epoch, for the header clock */
	const char *notice;	/* a short message for the status line, or NULL */
	const struct timeline *timeline;	/* a recording's timeline, or NULL */
	int width, height;	/* the screen's size, for the list's page */
	/*
	 * The row list: view_update refills it from the newest snapshot's rows
	 * and shows it, and zooms the panels to its selection when it is
	 * zoomed. NULL: the screen has no list.
	 */
	struct list *list;
	bool events;		/* the event log panel is shown */
	const struct recap *recap;	/* the run is over: its recap in a box (NULL: none) */
	size_t events_back;	/* lines it is scrolled back from the newest */
};

/*
 * Fill *v from m as of in->mono_ms (call monitor_update first so the
 * evaluation is current). Unknown values stay unknown (NAN, METRICS_NONE).
 */
void view_update(struct view *v, struct monitor *m, const struct view_input *in);

#endif
