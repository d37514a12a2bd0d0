/*
 * The search for the next target miss in a recording (the m key): play
 * forward one snapshot at a time, each through the monitor as the loop
 * would, until one whose overall status is WARN or FAIL, or the end. The
 * search runs in bounded passes so the loop keeps drawing and reading keys.
 *
 * When the snapshot on screen already misses, the search first leaves that
 * run of misses: it stops at the first miss after a snapshot that met the
 * targets (UNKNOWN counts as not missing).
 */
#ifndef RT_UI_JUMP_H
#define RT_UI_JUMP_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor.h"

enum jump_result {
	JUMP_RUNNING,	/* pass over, nothing found yet: call jump_pass again */
	JUMP_FOUND,	/* the newest snapshot in the history misses */
	JUMP_END,	/* the recording ended first */
};

struct jump {
	bool active;	/* a search is running */
	bool pending;	/* a SOURCE_SEEK_FORWARD was asked, its snapshot not yet seen */
	bool skip;	/* still inside the run of misses the search started in */
};

/*
 * Start a search from what m shows as of mono_ms. Returns 0, or -1 (and
 * nothing starts) when m's source cannot be stepped through.
 */
int jump_start(struct jump *j, struct monitor *m, int64_t mono_ms);

/*
 * Play up to max_snaps snapshots forward (fewer when the source has read
 * its share of lines for one pass) and say where the search stands; FOUND
 * and END end it (j->active false). *moved is set when any event came.
 */
enum jump_result jump_pass(struct jump *j, struct monitor *m, int64_t mono_ms, int max_snaps,
			   bool *moved);

#endif
