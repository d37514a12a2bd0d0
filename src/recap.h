/*
 * The recap: the closing summary of a run (routertop demo's last chapter),
 * which targets were met and which missed, and how long each breaker took
 * to recover. Fed the same events as the monitor: snapshots go into a
 * summary (summary.h: each target's time in each status, for the router
 * and every row), breaker notices give exact outages (from leaving closed
 * to closing again, on the source's clock, as the history measures a
 * recovery). recap_lines() says it in a few lines for the screen and for
 * batch output; nothing here draws or reads a clock.
 */
#ifndef RT_RECAP_H
#define RT_RECAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"
#include "source/source.h"
#include "summary.h"
#include "targets.h"

#define RECAP_OUTAGES 32
/* A target's line: two spaces, its head padded to this, a space, its verdict (met, missed, no data). */
#define RECAP_HEAD_W 22
#define RECAP_LINE 96
/* Lines recap_lines gives at most: a head, one per target, one per outage listed. */
#define RECAP_LINES (2 + TARGET_COUNT + 6)

struct recap_outage {
	char row[METRICS_NAME_LEN];	/* "" for the router */
	int64_t start_ms, end_ms;	/* source clock; end_ms -1: still out */
};

struct recap {
	struct summary sum;
	const struct target_set *targets;
	struct recap_outage out[RECAP_OUTAGES];
	size_t nout;			/* listed; more are counted in dropped */
	size_t dropped;
	bool rows;			/* a breaker notice named a row: the router's own are derived */
	int64_t last_ms;		/* the newest event's time */
	bool finished;
};

/* Start an empty recap against ts (kept, not copied). */
void recap_init(struct recap *r, const struct target_set *ts);
void recap_free(struct recap *r);

/* Take one event of the source (snapshots and breaker notices count; the rest is ignored). */
void recap_event(struct recap *r, const struct source_event *ev);

/* The run is over: close what is open at the last event. Idempotent. */
void recap_finish(struct recap *r);

/*
 * The recap as lines of at most RECAP_LINE - 1 columns, e.g.
 *   "targets: 3 met, 2 missed (% of the time in FAIL, WARN)"
 *   "  P95 < 150 ms           met"
 *   "  Throughput > 100 req/s missed: router FAIL 41 %"
 *   "  Recovery < 60 s        met: search out 11.2 s"
 * Fills at most max lines; returns how many.
 */
size_t recap_lines(const struct recap *r, char (*lines)[RECAP_LINE], size_t max);

/* Batch output: text as "# " lines, json as one {"summary":{...}} object on a line. */
void recap_write(FILE *out, enum output_format fmt, const struct recap *r);

#endif
