/*
 * Tracker figures (src/sim/tracker.h), on log-normal latencies (median
 * 45 ms, P99 about 460 ms) drawn beforehand so only the tracker is timed:
 *   tracker_record_ns        one tracker_record into a full window of
 *                            10,000, eviction included (goal: at most 6 ns)
 *   tracker_pset_10000_us    one tracker_stats (P50..P99.9, min, max, avg)
 *   tracker_pset_1000000_us  the same over a window of a million
 *                            (goal for both: under 1 us)
 * Between two tracker_stats calls the window moves by PSET_RECORDS_BETWEEN
 * records, so no call sees the counters the previous one left in cache; the
 * baseline is the same loop without tracker_stats, so the records are not
 * counted.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "sim/tracker.h"

#define SAMPLES (1u << 20)		/* pre-drawn latencies, reused cyclically */
#define PSET_RECORDS_BETWEEN 64u

struct tracker_ctx {
	const int64_t *lat;
	struct tracker *t;
	uint64_t now;			/* virtual microseconds: one completion each */
};

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

/* A tracker whose window is full, so every record evicts. */
static void ctx_open(struct tracker_ctx *c, const int64_t *lat, size_t window)
{
	c->lat = lat;
	c->now = 0;
	c->t = tracker_new(window);
	if (c->t == NULL) {
		fprintf(stderr, "bench_tracker: tracker_new(%zu) failed\n", window);
		exit(1);
	}
	for (size_t i = 0; i < window; i++, c->now++)
		tracker_record(c->t, (int64_t)c->now, lat[c->now & (SAMPLES - 1)]);
}

static uint64_t run_record(void *ctx, uint64_t n)
{
	struct tracker_ctx *c = ctx;
	uint64_t now = c->now;

	for (uint64_t i = 0; i < n; i++, now++)
		tracker_record(c->t, (int64_t)now, c->lat[now & (SAMPLES - 1)]);
	c->now = now;
	bench_consume(tracker_throughput(c->t, (int64_t)now));
	return n;
}

/* The record loop's own cost: the same reads of the latencies, no tracker. */
static void base_record(void *ctx, uint64_t n)
{
	struct tracker_ctx *c = ctx;
	int64_t acc = 0;

	for (uint64_t i = 0, now = c->now; i < n; i++, now++) {
		acc += c->lat[now & (SAMPLES - 1)];
		BENCH_BARRIER();
	}
	bench_consume((double)acc);
}

static void pset_records(struct tracker_ctx *c)
{
	for (unsigned r = 0; r < PSET_RECORDS_BETWEEN; r++, c->now++)
		tracker_record(c->t, (int64_t)c->now, c->lat[c->now & (SAMPLES - 1)]);
}

static uint64_t run_pset(void *ctx, uint64_t n)
{
	struct tracker_ctx *c = ctx;
	struct tracker_stats st;
	double acc = 0;

	for (uint64_t i = 0; i < n; i++) {
		pset_records(c);
		tracker_stats(c->t, &st);
		acc += st.p50 + st.p90 + st.p95 + st.p99 + st.p999 + st.min + st.max + st.avg;
	}
	bench_consume(acc);
	return n;
}

static void base_pset(void *ctx, uint64_t n)
{
	struct tracker_ctx *c = ctx;

	for (uint64_t i = 0; i < n; i++) {
		pset_records(c);
		BENCH_BARRIER();
	}
}

static void measure_pset(struct bench *b, const char *name, const int64_t *lat, size_t window)
{
	struct tracker_ctx c;
	struct bench_spec s = {
		.name = name, .unit = "us", .kind = BENCH_US_PER_OP,
		.run = run_pset, .baseline = base_pset, .ctx = &c,
	};

	if (!bench_wanted(b, name))
		return;
	ctx_open(&c, lat, window);
	bench_measure(b, &s, NULL);
	tracker_free(c.t);
}

int main(void)
{
	struct bench b;
	struct tracker_ctx c;
	int64_t *lat = draw_latencies();
	struct bench_spec rec = {
		.name = "tracker_record_ns", .unit = "ns", .kind = BENCH_NS_PER_OP,
		.run = run_record, .baseline = base_record, .ctx = &c,
	};

	bench_init(&b, "bench_tracker");
	if (bench_wanted(&b, rec.name)) {
		ctx_open(&c, lat, TRACKER_DEFAULT_WINDOW);
		bench_measure(&b, &rec, NULL);
		tracker_free(c.t);
	}
	measure_pset(&b, "tracker_pset_10000_us", lat, 10000);
	measure_pset(&b, "tracker_pset_1000000_us", lat, 1000000);
	free(lat);
	return bench_finish(&b);
}
