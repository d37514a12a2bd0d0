/*
 * Tally: requests read from a log counted the way the simulator counts its
 * own, in trackers (sim/tracker.h): one for the whole router and one per
 * row. It turns them into a snapshot with rows.
 *
 * Windows. By count, each tracker keeps the last `window` latencies. By
 * time, a row keeps the (time, latency) pairs of the last window_us of log
 * time, at most TALLY_TIME_WINDOW_MAX of them (the oldest leave first), and
 * its tracker is refilled from them when a snapshot is taken: the tracker
 * itself only evicts by count. Cost: 12 bytes per request in a time window.
 *
 * Rows. At most TALLY_ROWS_MAX rows are kept apart; requests for further
 * keys are counted in one row named TALLY_OTHER, so a log of random paths
 * cannot use unbounded memory.
 *
 * Breaker. A log has no breaker, so a row's state is inferred from its
 * outcomes between two snapshots: open when every request of the row failed
 * (timeouts, failures, rate limits, rejections), closed when one succeeded,
 * unchanged when it had none. failureRate is that interval's share. The
 * state dates from the log: open since the first failure of the run that
 * opened it, closed since the success that ended the last such run.
 *
 * Times are microseconds on the log's clock, passed in; nothing here reads
 * a clock.
 */
#ifndef RT_SOURCE_TALLY_H
#define RT_SOURCE_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/accesslog.h"
#include "metrics.h"

#define TALLY_ROWS_MAX 64
#define TALLY_OTHER "(other)"
#define TALLY_TIME_WINDOW_MAX 1000000

struct tally_options {
	size_t window;		/* latencies per tracker; 0: TRACKER_DEFAULT_WINDOW */
	int64_t window_us;	/* > 0: a time window instead */
	/*
	 * The log has no latency at all (nginx's combined format): requests
	 * still count in the throughput, and the percentiles are unknown.
	 */
	bool no_latency;
};

struct tally;

/* NULL (with nothing allocated) when window is out of the tracker's range. */
struct tally *tally_new(const struct tally_options *o);
void tally_free(struct tally *t);	/* NULL is fine */

/*
 * Count one request that completed at now_us, in the aggregate and in the
 * row named key (len bytes). latency_us < 0: the request has no latency
 * (it was refused before any work, or the line has none).
 */
void tally_add(struct tally *t, const char *key, size_t len, int64_t now_us, int64_t latency_us,
	       enum alog_outcome outcome);

/*
 * Fill snap (a valid snapshot; cleared first) with the aggregate and the
 * rows, in the order they first appeared, as of now_us. rates: whether
 * throughput can be known (false when the log has no timestamps to measure
 * it on); if not it is unknown. Updates the rows' inferred breaker states.
 */
void tally_snapshot(struct tally *t, int64_t now_us, bool rates, struct metrics_snapshot *snap);

/* Rows kept so far (TALLY_OTHER included once it exists). */
size_t tally_rows(const struct tally *t);

#endif
