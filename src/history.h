/*
 * History: the most recent snapshots, each stamped with the time it arrived
 * on the source's clock (virtual time for the simulator, monotonic time for
 * live sources, the record's time for replay), and what can be derived only
 * from several of them: counter deltas and resets, observed circuit breaker
 * transitions, recovery times and chart series. Of the snapshots it keeps
 * the newest two whole (enough for deltas and the newest values); the chart
 * series (P50, P95, P99, req/s, error rate, and the times) live in a compact
 * ring of samples, as many as the capacity.
 *
 * Rows. The entries hold the aggregate only. Each row of the snapshots pushed
 * (matched by name) gets a history of its own, a row history, which
 * answers every question below the same way (targets_evaluate takes one
 * as it takes the aggregate's) but keeps fewer samples: at most
 * HISTORY_ROW_SERIES. A row history costs about 12 KB: 10 KB
 * of series (40 bytes a sample), 0.8 KB for the two entries, 0.4 KB of
 * transitions and the struct; 1,000 rows take about 12 MB, where a ring of
 * 512 full 1,000-row snapshots would take 250 MB. A row that leaves the
 * snapshots keeps its history (it may come back) until rows that left
 * earlier have made room: at most HISTORY_ROWS_KEPT rows are remembered.
 * Rewinding a row history keeps its series and breaker history before the
 * point, but of its two entries only those before it: its deltas may need
 * a snapshot to start again.
 */
#ifndef RT_HISTORY_H
#define RT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

#define HISTORY_TRANSITIONS 16
/* Chart samples a row history keeps (fewer if the history itself keeps fewer). */
#define HISTORY_ROW_SERIES 256
/* Row histories remembered, present and departed. */
#define HISTORY_ROWS_KEPT (METRICS_ROWS_MAX + 512)

struct history_entry {
	struct metrics_snapshot snap;	/* the aggregate only: never has rows */
	int64_t at_ms;		/* arrival time on the source's clock */
};

struct breaker_transition {
	int64_t at_ms;		/* best estimate of when it happened */
	enum breaker_state from, to;
};

/* Per-interval change of each cumulative counter between the last two entries. */
struct counter_deltas {
	int64_t breaker_trips, rate_limited, timeouts, failures, validation;
	int64_t requests_total, requests_failed;	/* METRICS_NONE when absent */
	bool reset;		/* a counter went down: the router restarted */
	int64_t span_ms;	/* time between the two entries; 0 if fewer than two */
};

/* Values a chart can plot, one per entry. */
enum history_field {
	HF_P50, HF_P90, HF_P95, HF_P99, HF_P999, HF_AVG, HF_MAX,
	HF_RPS, HF_ERROR_RATE,
	HF_AT,		/* when the entry arrived (ms, source clock): the series' times */
};

struct history;

/*
 * Series of the last capacity (>= 2) snapshots, and row histories of
 * min(capacity, HISTORY_ROW_SERIES). Never returns NULL.
 */
struct history *history_new(size_t capacity);
void history_free(struct history *h);	/* row histories too; NULL is fine */

/*
 * Append a snapshot that arrived at at_ms; the oldest falls out when full.
 * Only the aggregate is kept (a ring of full copies of a 1,000-row
 * snapshot would hold half a million rows); *s is not retained.
 */
void history_push(struct history *h, const struct metrics_snapshot *s, int64_t at_ms);
/* Forget all snapshots, transitions and rows (the UI's reset key). */
void history_clear(struct history *h);
/*
 * Drop the entries that arrived at or after at_ms, as when a recording is
 * stepped back, and rebuild transitions and outages from those left (what
 * had already fallen out of the ring is forgotten). Returns how many were dropped.
 */
size_t history_rewind(struct history *h, int64_t at_ms);

/* Whole entries held: the newest two at most (history_series has the rest). */
size_t history_len(const struct history *h);
/* Entry i counted back from the newest (0 = newest), or NULL past the end. */
const struct history_entry *history_get(const struct history *h, size_t i);

/* Deltas between the newest two entries; all zero with span_ms 0 if fewer than two. */
void history_deltas(const struct history *h, struct counter_deltas *out);

/*
 * Error rate of the last interval as a fraction: the failed share of the
 * requests that finished, delta(failed)/(delta(failed)+delta(succeeded)), when
 * both entries carry "requests" with those counts; else delta(failed)/delta(total)
 * capped at 1; else the newest breaker failureRate; NAN when none is known.
 */
double history_error_rate(const struct history *h);

/*
 * A transition the source reported itself (the simulator's breaker events),
 * exact where snapshots only sample the state once an interval: a half-open
 * trial shorter than the interval shows too. Snapshots that agree with it
 * add nothing; one that disagrees still adds what it saw.
 */
void history_note_transition(struct history *h, int64_t at_ms, enum breaker_state from,
			     enum breaker_state to);

/* Observed breaker transitions, oldest first; returns how many were copied. */
size_t history_transitions(const struct history *h, struct breaker_transition *out, size_t max);

/* Seconds of the most recent observed open -> closed recovery, NAN if none. */
double history_last_recovery_s(const struct history *h);

/* Seconds the breaker has been in its current state at now_ms, NAN if unknown. */
double history_state_age_s(const struct history *h, int64_t now_ms);

/*
 * Seconds since the breaker left closed, at now_ms, while it is open or
 * half-open (a failed half-open trial does not restart the count); NAN when
 * it is closed or its state or start is unknown. When the start was not
 * observed this is a lower bound (the time the breaker was first seen out).
 */
double history_outage_age_s(const struct history *h, int64_t now_ms);
/* Whether the outage's start was seen (or given by stateSinceMs), so its age is exact, not a lower bound. */
bool history_outage_start_known(const struct history *h);

/*
 * The recovery clock. history_note_half_open_at: the source said the
 * breaker it just reported open (history_note_transition) half-opens at
 * at_ms (its open timeout: a simulator knows it); for the row named row,
 * or the router when row is NULL. Ignored unless that breaker is open; forgotten when it leaves
 * open. history_half_open_in_s: seconds until then at now_ms, 0 once due;
 * NAN when the breaker is not open or the time was never given.
 */
void history_note_half_open_at(struct history *h, const char *row, int64_t at_ms);
double history_half_open_in_s(const struct history *h, int64_t now_ms);

/*
 * Copy up to max values of field, oldest first (unknown values as NAN): a
 * series as long as the capacity of HF_P50, HF_P95, HF_P99, HF_RPS,
 * HF_ERROR_RATE and HF_AT (floats: 7 digits); of the other fields only the
 * newest two values.
 */
size_t history_series(const struct history *h, enum history_field field, double *out, size_t max);

/*
 * Rows of the newest snapshot pushed, in its order (0 when it had none).
 * Row i's name and history stay valid until the next push, rewind or clear.
 */
size_t history_rows(const struct history *h);
const char *history_row_name(const struct history *h, size_t i);
const struct history *history_row(const struct history *h, size_t i);
/* Position among history_rows() of the row named name, or -1. */
ptrdiff_t history_row_index(const struct history *h, const char *name);

/*
 * history_note_transition for the row named row (sanitised like a row name
 * first), whose history is made if it has none yet: a source may report a
 * transition before the first snapshot that carries the row.
 */
void history_note_row_transition(struct history *h, const char *row, int64_t at_ms,
				 enum breaker_state from, enum breaker_state to);

#endif
