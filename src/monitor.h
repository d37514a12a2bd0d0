/*
 * The monitor ties a source's events to what every front end needs: the
 * history, the evaluation against targets, the recording, and the last
 * fault. Batch output and the screen both drive one; neither duplicates this.
 */
#ifndef RT_MONITOR_H
#define RT_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "history.h"
#include "source/source.h"
#include "targets.h"

struct recorder;

struct monitor {
	struct source *src;
	const struct target_set *targets;
	struct recorder *rec;		/* NULL: not recording */
	struct history *hist;
	struct evaluation eval;		/* as of the last monitor_update() */
	char last_error[SOURCE_MSG_LEN];	/* "" when the last poll succeeded */
	int64_t last_error_at_ms;	/* source clock */
	int64_t last_good_at_ms;	/* source clock; -1 before the first snapshot */
	int64_t last_good_wall_ms;	/* its wall_ms (recorded time for replay, start + virtual time for sim) */
	uint64_t snapshots, errors;	/* counts since start; stepping a recording back takes snapshots back */
	bool ended;			/* the source sent SOURCE_END */
	struct metrics_snapshot latest;	/* the newest snapshot, rows included; owned */
	bool have_latest;
	int64_t start_ms;		/* source clock at monitor_init(): batch lines count from here */
};

/* Set up *m; history keeps history_capacity snapshots. rec may be NULL. */
void monitor_init(struct monitor *m, struct source *src, const struct target_set *targets,
		  struct recorder *rec, size_t history_capacity);
void monitor_free(struct monitor *m);

/*
 * Handle one event from the source: push snapshots into the history, write
 * them (and notices) to the recording, remember faults. Returns the event
 * kind so the caller can react (print a batch line, mark the screen dirty).
 */
enum source_event_kind monitor_handle(struct monitor *m, const struct source_event *ev);

/* Re-evaluate targets at mono_ms (stale data turns UNKNOWN). */
void monitor_update(struct monitor *m, int64_t mono_ms);

/*
 * The newest snapshot with its rows, or NULL before the first. It belongs
 * to the monitor and stays valid until the next monitor_handle() of a
 * snapshot or monitor_free().
 */
const struct metrics_snapshot *monitor_latest(const struct monitor *m);

#endif
