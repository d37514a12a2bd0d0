/*
 * The summary of a whole recording (replay FILE --once): its time span,
 * snapshot count and bad lines, and for the router and every row the worst
 * P95 and P99 and when, the time in each breaker state, each trip and its
 * recovery, and each target's share of the time OK, WARN, FAIL and
 * UNKNOWN. Read in one pass by the lean reader (record_skim_line), with the
 * full one for what it leaves; memory does not grow with the recording.
 */
#ifndef RT_SUMMARY_H
#define RT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics.h"
#include "record/reader.h"
#include "output.h"
#include "targets.h"

/* Rows summarised at most (more distinct names are counted, not kept), trips listed per subject. */
#define SUMMARY_ROWS_MAX 4096
#define SUMMARY_TRIPS_MAX 32

/*
 * The values of one target over a recording, for `compare`: a histogram
 * (2 % wide buckets from 0.001 up, zeros apart) for the median, and the
 * worst value (the highest, or for throughput the lowest).
 */
#define SUMMARY_HIST_BINS 1400
struct summary_hist {
	uint64_t n, zero;
	uint32_t *bins;		/* SUMMARY_HIST_BINS, allocated on the first value above 0 */
	double worst;		/* NAN before the first value */
	double lo, hi;		/* the values' range, so a median is never outside it */
};

/* The median to about 1 % (the bucket's middle), NAN when there are no values. */
double summary_hist_median(const struct summary_hist *h);

struct summary_trip {
	int64_t start_ms, end_ms;	/* end_ms -1: still out at the end of the recording */
	enum breaker_state worst;	/* open, or half-open only */
};

/* What is known of the router (the aggregate) or of one row over the whole recording. */
struct summary_subject {
	char name[METRICS_NAME_LEN];	/* "" for the router */
	uint64_t snapshots;
	int64_t first_ms, last_ms;
	double worst[2];		/* P95, P99 in ms; NAN when never known */
	int64_t worst_at[2];
	int64_t state_ms[4];		/* by enum breaker_state */
	int64_t status_ms[TARGET_COUNT][4];	/* by enum target_status */
	int64_t overall_ms[4];
	enum target_status worst_status;	/* FAIL > WARN > UNKNOWN > OK */
	size_t ntrips;			/* trips seen; the first SUMMARY_TRIPS_MAX are listed */
	struct summary_trip trips[SUMMARY_TRIPS_MAX];
	struct summary_hist *stats;	/* TARGET_COUNT of them when the summary wants stats, else NULL */
	/* Running state. */
	struct history *hist;
	bool have_prev, out;
	int64_t out_since;		/* when the breaker left closed; -1 unknown */
	int64_t prev_ms;
	enum breaker_state prev_state, known_state;
	struct evaluation prev_eval;
};

struct summary {
	char source[160];		/* the file's name, sanitised */
	uint64_t lines, snapshots, events, bad_lines;
	int64_t first_ms, last_ms;	/* -1 before the first snapshot */
	struct summary_subject router;
	struct summary_subject **rows;	/* in order of first appearance */
	size_t nrows, rows_cap, rows_dropped;
	const struct target_set *targets;
	char error[256];		/* a read error that ended the summary early; "" if none */
	int64_t prev_t;			/* time of the last good record, for bare lines */
	bool want_stats;		/* keep summary_hist for every target of every subject */
	int64_t origin_ms;		/* the first snapshot's time, -1 before it */
	int64_t from_ms, to_ms;		/* only snapshots this long after the first: [from, to) */
	struct record *scratch;		/* the line being read */
};

/* Start an empty summary of the recording named source against ts (kept, not copied). */
void summary_init(struct summary *s, const char *source, const struct target_set *ts);

/*
 * For `compare`: keep each target's values (want_stats) and take only the
 * snapshots from_ms to to_ms after the first one (INT64_MAX: to the end).
 */
void summary_set_scope(struct summary *s, bool want_stats, int64_t from_ms, int64_t to_ms);

/*
 * Read the recording at path to its end into s (set up by summary_init).
 * Returns 0, or -1 when it cannot be opened (message in err); a read error
 * later ends the reading early and is left in s->error.
 */
int summary_read_path(struct summary *s, const char *path, char *err, size_t errlen);
void summary_free(struct summary *s);

/* What one snapshot showed (for a timeline): the worst status of the router and its rows, and whether a breaker changed state. */
struct summary_step {
	enum target_status worst;
	bool transition;
};

/* Take one good snapshot recorded at t_ms (ms since the epoch); step (may be NULL) gets what it showed. */
void summary_add(struct summary *s, const struct metrics_snapshot *snap, int64_t t_ms,
		 struct summary_step *step);

/*
 * Take one line of a recording (len bytes, NUL-terminated): counted, and
 * a snapshot is added (summary_add, step filled when not NULL). Returns 1
 * for a snapshot, 0 for anything else (blank, event, bad line).
 */
int summary_line(struct summary *s, const char *buf, size_t len, struct summary_step *step);

/* Close open trips at the last snapshot; call once after the last summary_add. */
void summary_finish(struct summary *s);

/* The worst status of the router and every row, as an exit status (3 when nothing was seen). */
int summary_exit_code(const struct summary *s);

/* Print it as text or json (other formats: text). */
void summary_write(FILE *out, enum output_format fmt, const struct summary *s);

/*
 * Read the recording at path ("-": standard input; plain, gzip or zstd)
 * to its end and print its summary to out. Returns the exit status:
 * summary_exit_code, or 3 with a one-line message on err when the file
 * cannot be read (a bad line is counted, not fatal).
 */
int summary_run(const char *path, enum output_format fmt, const struct target_set *ts,
		FILE *out, FILE *err);

#endif
