/*
 * The monitor ties a source's events to what every front end needs: the
 * history, the evaluation against targets, the recording, and the last
 * fault. Batch output and the screen both drive one; neither duplicates this.
 *
 * Rows: when the newest snapshot has rows, each is evaluated too (its own
 * history, targets_evaluate_row) and the overall status is the worst of the
 * router and its rows. monitor_rows() and monitor_row() give a front end
 * everything a list of rows shows, in the snapshot's order (a list sorts
 * for itself); the panels for one row read its eval, snap and hist.
 */
#ifndef RT_MONITOR_H
#define RT_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eventlog.h"
#include "history.h"
#include "source/source.h"
#include "targets.h"

struct recorder;

/*
 * One row as a list shows it. Pointers stay valid until the next
 * monitor_handle() of a snapshot, monitor_update() or monitor_free().
 */
struct monitor_row {
	const char *name;			/* unique in the snapshot, terminal-safe */
	const struct metrics_snapshot *snap;	/* its newest values, as sent */
	const struct history *hist;		/* its history (see history.h: row histories) */
	struct evaluation eval;			/* against its targets (targets_evaluate_row) */
	/* The list's columns; NAN when unknown (percentiles without data too). */
	enum breaker_state state;
	double state_age_s;			/* time in that state */
	double rps, p50, p95, p99;
	double error_pct;			/* of the last interval, as history_error_rate */
	enum target_status status;		/* eval.overall */
	bool down;				/* eval.down: its collector cannot reach it */
};

struct monitor {
	struct source *src;
	const struct target_set *targets;
	struct recorder *rec;		/* NULL: not recording */
	struct history *hist;
	struct eventlog *events;	/* the source's notices as lines (eventlog.h) */
	struct evaluation eval;		/* as of the last monitor_update() */
	char last_error[SOURCE_MSG_LEN];	/* "" when the last poll succeeded */
	int64_t last_error_at_ms;	/* source clock */
	int64_t last_good_at_ms;	/* source clock; -1 before the first snapshot */
	int64_t last_good_wall_ms;	/* its wall_ms (recorded time for replay, start + virtual time for sim) */
	uint64_t snapshots, errors;	/* counts since start; stepping a recording back takes snapshots back */
	bool ended;			/* the source sent SOURCE_END */
	struct metrics_snapshot latest;	/* the newest snapshot, rows included; owned */
	bool have_latest;
	struct monitor_row *rows;	/* one per row of latest, in its order */
	size_t nrows, rows_cap;
	int64_t start_ms;		/* source clock at monitor_init() (or at the first record, when
					 * the clock was not known then): batch lines count from here */
	bool start_known;
};

/* Set up *m; history keeps history_capacity snapshots. rec may be NULL. */
void monitor_init(struct monitor *m, struct source *src, const struct target_set *targets,
		  struct recorder *rec, size_t history_capacity);
void monitor_free(struct monitor *m);

/*
 * Handle one event from the source: push snapshots into the history, write
 * them (and notices) to the recording, remember faults, log notices in
 * events (a breaker's into the history too, with when it half-opens when
 * the notice says). Returns the event kind so the caller can react (print
 * a batch line, mark the screen dirty).
 */
enum source_event_kind monitor_handle(struct monitor *m, const struct source_event *ev);

/* Re-evaluate targets at mono_ms (stale data turns UNKNOWN), the rows' too. */
void monitor_update(struct monitor *m, int64_t mono_ms);

/*
 * The status of the whole: the worst of eval.overall (the router's own
 * targets) and every row's. What exit statuses and "overall" report.
 */
enum target_status monitor_status(const struct monitor *m);

/* Rows of the newest snapshot (0 without rows), and row i of them, or NULL past the end. */
size_t monitor_rows(const struct monitor *m);
const struct monitor_row *monitor_row(const struct monitor *m, size_t i);
/* Position of the row named name, or -1: how a selection follows its row when the list changes. */
ptrdiff_t monitor_row_find(const struct monitor *m, const char *name);

/*
 * The newest snapshot with its rows, or NULL before the first. It belongs
 * to the monitor and stays valid until the next monitor_handle() of a
 * snapshot or monitor_free().
 */
const struct metrics_snapshot *monitor_latest(const struct monitor *m);

#endif
