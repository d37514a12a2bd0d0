/*
 * Tracker: what the simulated router measures. A rolling window of the last
 * N request latencies (default 10,000, up to 10,000,000) with nearest-rank
 * percentiles, min, max and average; completions per second over a sliding
 * 60 s; cumulative counters. Recording must cost a few nanoseconds: the
 * simulator pushes millions of requests a second through it.
 *
 * Times are virtual microseconds passed in by the caller; the tracker never
 * reads a clock.
 *
 * Accuracy: percentiles, min and max are within 0.05 % of exact (better than
 * HdrHistogram's 3 significant digits), not exact. Latencies are counted in
 * log-linear buckets: 0..2047 us one bucket per microsecond (so exact), above
 * that 1024 buckets per power of two. A reported value is the midpoint of the
 * bucket holding the nearest-rank sample. The average is exact.
 * Latencies below 0 count as 0 and above TRACKER_MAX_LATENCY_US (1 hour) as
 * 1 hour, in the percentiles and in the average alike.
 *
 * Throughput counts completions in the 60 s that end at now, in 100 ms
 * slots: a completion stops counting when the slot 60 s after its own
 * begins, i.e. between 59.9 s and 60 s after it, so a steady rate reads at
 * most 0.17 % low. Before 60 s have passed since the first
 * completion (since tracker_new or tracker_reset_window) the count is divided
 * by the time since that first completion, but by at least 1 s, so the first
 * second shows the completions so far rather than an inflated rate.
 *
 * Cost: tracker_record is a few nanoseconds, eviction included, at any window
 * size; tracker_stats scans a few hundred counters, whatever the window. A
 * tracker holds 4 bytes per window sample plus about 96 KB of tables in
 * pages of their own, of which only those written become resident: a page
 * per power of two that the latencies span, one for the throughput slots.
 */
#ifndef RT_TRACKER_H
#define RT_TRACKER_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

#define TRACKER_DEFAULT_WINDOW 10000
#define TRACKER_MAX_WINDOW 10000000
/* Largest latency kept apart; larger ones count as this (1 hour). */
#define TRACKER_MAX_LATENCY_US 3600000000LL

enum tracker_counter {
	TRACKER_REQUESTS,	/* every request that reached the router */
	TRACKER_SUCCEEDED,
	TRACKER_FAILED,		/* all failures, whatever the cause */
	TRACKER_TIMEOUTS,
	TRACKER_FAILURES,	/* processing failures */
	TRACKER_VALIDATION,
	TRACKER_RATE_LIMITED,
	TRACKER_BREAKER_TRIPS,	/* requests rejected by an open breaker */
	TRACKER_COUNTER_COUNT
};

struct tracker_stats {		/* microseconds; NAN when the window is empty */
	double p50, p90, p95, p99, p999;
	double min, max, avg;
	uint64_t count;		/* samples in the window */
};

struct tracker;

/* window: 1..TRACKER_MAX_WINDOW samples. Returns NULL if out of range. */
struct tracker *tracker_new(size_t window);
/* Frees the tracker; NULL is allowed. */
void tracker_free(struct tracker *t);

/* A request completed at now_us after latency_us: into the window and the throughput. */
/*
 * The oldest sample leaves once the window is full. Latency is clamped to
 * 0..TRACKER_MAX_LATENCY_US. Completions may arrive out of time order; one
 * older than the throughput window only enters the latency window.
 * Touches no counter: the caller counts outcomes with tracker_count.
 */
void tracker_record(struct tracker *t, int64_t now_us, int64_t latency_us);
/* Adds one to a cumulative counter; a value outside the enum is ignored. */
void tracker_count(struct tracker *t, enum tracker_counter c);
/* The counter's total since tracker_new; 0 for a value outside the enum. */
uint64_t tracker_counter(const struct tracker *t, enum tracker_counter c);

/* Percentiles and the rest over the current window. */
void tracker_stats(const struct tracker *t, struct tracker_stats *out);

/* Completions per second over the last 60 s (or since start, if shorter), at now_us. */
/*
 * 0 before the first completion. A now_us before the 100 ms slot of the newest
 * completion counts as the start of that slot. Does not change the tracker.
 */
double tracker_throughput(const struct tracker *t, int64_t now_us);

/*
 * The cumulative latency histogram at metrics_hist_bounds_ms since
 * tracker_new (a Prometheus histogram: counts and sum only grow), into *out.
 * Counting costs tracker_record nothing: each call counts the latencies
 * recorded since the previous one from the window's ring. That is exact
 * while fewer than a window's worth come between two calls; beyond that the
 * newcomers are counted as the window is distributed (their number and the
 * total stay exact). The simulator calls it once a snapshot.
 */
void tracker_histogram(struct tracker *t, struct metrics_histogram *out);

/* Empty the window and throughput (counters and the histogram stay: they are cumulative). */
void tracker_reset_window(struct tracker *t);

#endif
