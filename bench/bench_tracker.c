/*
 * Tracker benchmark, run by `make bench`. Prints one `name value unit` line
 * per measurement:
 *   tracker_record_ns        cost of one tracker_record, eviction included
 *   tracker_pset_10000_us    one tracker_stats (P50..P99.9, min, max, avg)
 *   tracker_pset_1000000_us  the same over a window of a million
 * Latencies are log-normal (median 45 ms, P99 about 460 ms) drawn beforehand,
 * so only the tracker is timed. Each figure is the best of three rounds (the
 * machine is shared); the whole run takes about a second.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/tracker.h"

#define SAMPLES (1u << 20)		/* pre-drawn latencies, reused cyclically */
#define RECORD_ITERS 20000000u
#define ROUNDS 3			/* report the best round: the machine is shared */
#define PSET_ITERS 5000u
#define PSET_RECORDS_BETWEEN 500u	/* the window moves between stats calls */

/* Results land here so the compiler cannot drop the work. */
static volatile double sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double rng_unit(uint64_t *state)
{
	return ((double)(rng_next(state) >> 11) + 0.5) / 9007199254740992.0;
}

static int64_t *draw_latencies(void)
{
	int64_t *lat = malloc(SAMPLES * sizeof(*lat));
	uint64_t state = 42;

	if (lat == NULL) {
		fprintf(stderr, "bench_tracker: out of memory for %u samples\n", SAMPLES);
		exit(1);
	}
	for (size_t i = 0; i < SAMPLES; i++) {
		double u1 = rng_unit(&state), u2 = rng_unit(&state);
		double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);

		lat[i] = (int64_t)(45000.0 * exp(z));
	}
	return lat;
}

static struct tracker *tracker_or_die(size_t window)
{
	struct tracker *t = tracker_new(window);

	if (t == NULL) {
		fprintf(stderr, "bench_tracker: tracker_new(%zu) failed\n", window);
		exit(1);
	}
	return t;
}

/* One completion a microsecond of virtual time: a million requests a second. */
static double bench_record(const int64_t *lat)
{
	struct tracker *t = tracker_or_die(TRACKER_DEFAULT_WINDOW);
	struct tracker_stats st;
	double start, end;

	for (uint32_t i = 0; i < TRACKER_DEFAULT_WINDOW; i++)	/* full: every record evicts */
		tracker_record(t, i, lat[i]);
	start = now_ns();
	for (uint32_t i = 0; i < RECORD_ITERS; i++)
		tracker_record(t, (int64_t)i + TRACKER_DEFAULT_WINDOW, lat[i & (SAMPLES - 1)]);
	end = now_ns();
	tracker_stats(t, &st);
	sink = st.p99 + tracker_throughput(t, (int64_t)RECORD_ITERS + TRACKER_DEFAULT_WINDOW);
	tracker_free(t);
	return (end - start) / RECORD_ITERS;
}

/* Average microseconds per tracker_stats, the window changing between calls. */
static double bench_pset(const int64_t *lat, size_t window)
{
	struct tracker *t = tracker_or_die(window);
	struct tracker_stats st;
	double total = 0, acc = 0;
	uint64_t now = 0;

	for (size_t i = 0; i < window; i++, now++)
		tracker_record(t, (int64_t)now, lat[now & (SAMPLES - 1)]);
	for (uint32_t it = 0; it < PSET_ITERS; it++) {
		double start;

		for (uint32_t r = 0; r < PSET_RECORDS_BETWEEN; r++, now++)
			tracker_record(t, (int64_t)now, lat[now & (SAMPLES - 1)]);
		start = now_ns();
		tracker_stats(t, &st);
		total += now_ns() - start;
		acc += st.p50 + st.p90 + st.p95 + st.p99 + st.p999 + st.min + st.max + st.avg;
	}
	sink = acc;
	tracker_free(t);
	return total / PSET_ITERS / 1000.0;
}

static double best_record(const int64_t *lat)
{
	double best = bench_record(lat);

	for (int r = 1; r < ROUNDS; r++)
		best = fmin(best, bench_record(lat));
	return best;
}

static double best_pset(const int64_t *lat, size_t window)
{
	double best = bench_pset(lat, window);

	for (int r = 1; r < ROUNDS; r++)
		best = fmin(best, bench_pset(lat, window));
	return best;
}

int main(void)
{
	int64_t *lat = draw_latencies();

	printf("tracker_record_ns %.2f ns\n", best_record(lat));
	printf("tracker_pset_10000_us %.3f us\n", best_pset(lat, 10000));
	printf("tracker_pset_1000000_us %.3f us\n", best_pset(lat, 1000000));
	free(lat);
	return 0;
}
