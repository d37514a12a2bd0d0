/* The interactive screen: entry point used by main.c. */
#ifndef RT_UI_H
#define RT_UI_H

#include <stdbool.h>

#include "source/source.h"
#include "targets.h"

struct recorder;

enum ui_theme { UI_THEME_DEFAULT, UI_THEME_CB };

struct ui_options {
	const struct target_set *targets;
	struct recorder *rec;	/* NULL: not recording */
	bool no_color;		/* --no-color; NO_COLOR in the environment is honoured too */
	enum ui_theme theme;
	double speed;		/* the source's playback speed at start (sim, replay); 0 = max */
	const char *timeline_path;	/* replay of a file: scanned for the timeline bar; NULL: none */
	bool follow;			/* replay --follow: the file is still being written */
	bool events;			/* the event log panel shown from the start */
	bool recap;			/* a demo: at its end, a box of the targets met and missed (recap.h) */
};

/*
 * Run the dashboard on src until the user quits (returns 0) or SIGINT/SIGTERM
 * (returns 0 after restoring the terminal). Fatal errors restore the terminal
 * before exiting. Returns 3 with a message on stderr when there is no usable
 * terminal.
 */
int ui_run(struct source *src, const struct ui_options *o);

#endif
