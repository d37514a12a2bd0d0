/*
 * Tracker: a sliding window of latencies with cheap percentiles, and a
 * sliding 60 s completion count.
 *
 * Latencies: a ring holds the raw samples of the window (as uint32_t
 * microseconds, after clamping) so the oldest can be evicted. Beside it a
 * log-linear histogram counts the window: values below 2048 get a bucket each,
 * every power of two above gets 1024 buckets, so a bucket is never wider than
 * 1/1024 of its lower bound (HdrHistogram with 3 significant digits). Recording
 * and evicting each touch one bucket and one block counter; blocks of 64
 * buckets let a percentile search skip empty stretches, so a full set of
 * percentiles reads a few hundred counters whatever the window size. A running
 * sum gives the exact average.
 *
 * Throughput: a ring of 600 slots of 100 ms (a page: 10 ms slots took six,
 * and a screen holds five trackers), the slot of the newest
 * completion at its head, and a running total over the ring. The head slot's
 * count is kept apart (head_count) and folded into the ring and the total
 * only when the head moves, so a completion in the head slot bumps one
 * counter, not two.
 *
 * Cost: the usual record (full window, latency in range, completion in the
 * head slot) takes a fast path that calls nothing and so needs no stack
 * frame; it rereads the evicted sample's bucket from its value with a few
 * register operations (bsr, shifts) rather than storing it, which keeps the
 * ring at 4 bytes a sample. Everything else goes through record_slow().
 */
#include "sim/tracker.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define SUB_BITS 10			/* 1024 buckets per power of two */
#define LINEAR_LIMIT (2u << SUB_BITS)	/* below this, a bucket per microsecond */
#define BLOCK_BITS 6			/* 64 buckets per block */
/*
 * The largest sample has 32 bits, so its power of two is split with a shift
 * of 32 - (SUB_BITS + 1); the buckets run up to its index.
 */
#define MAX_SHIFT (32 - (SUB_BITS + 1))
#define BUCKET_COUNT ((MAX_SHIFT << SUB_BITS) + (unsigned)(TRACKER_MAX_LATENCY_US >> MAX_SHIFT) + 1)
#define BLOCK_COUNT ((BUCKET_COUNT + (1u << BLOCK_BITS) - 1) >> BLOCK_BITS)

#define SLOT_US 100000			/* throughput slot: 100 ms */
#define WINDOW_US 60000000		/* throughput window: 60 s */
#define SLOT_COUNT (WINDOW_US / SLOT_US)

_Static_assert(TRACKER_MAX_LATENCY_US >> 31 == 1, "MAX_SHIFT assumes a 32-bit largest sample");
_Static_assert(TRACKER_MAX_WINDOW <= UINT32_MAX, "bucket counts are 32 bits");

/* The percentiles of tracker_stats in tenths of a percent, ascending so one upward scan finds them all. */
static const unsigned pct_permille[] = { 500, 900, 950, 990, 999 };

struct tracker {
	/* What every record touches first, in one cache line: the ring, the sum, the head slot. */
	uint32_t *ring;			/* window samples; ring[pos] is the next to go */
	size_t window, pos, len;
	uint64_t sum;			/* of the samples in the window */
	int64_t head_start_us;		/* start of the head slot (the newest completion's) */
	uint64_t head_width_us;		/* SLOT_US, or 0 before the first completion */
	uint32_t head_count;		/* completions in the head slot, not yet in slots[] */
	/* Samples recorded, modulo 2^32 so the line stays one: tracker_histogram
	 * only needs how many came since its last call, far fewer than that. */
	uint32_t recorded;

	uint32_t blocks[BLOCK_COUNT];	/* sum of each run of 64 buckets */
	uint32_t buckets[BUCKET_COUNT];

	uint32_t slots[SLOT_COUNT];	/* completions per 100 ms, indexed slot % SLOT_COUNT */
	uint64_t slot_total;		/* over the slots[] of the window, head_count aside */
	int64_t head_slot;		/* slot of the newest completion */
	size_t head_index;		/* its place in slots[] */
	int64_t first_us;		/* earliest completion since new or reset */
	bool any;			/* a completion since new or reset */

	uint64_t counters[TRACKER_COUNTER_COUNT];

	/* The lifetime histogram (tracker_histogram): what is counted so far. */
	uint32_t harvested;		/* the value of recorded at the last harvest */
	uint64_t life[METRICS_HIST_BOUNDS + 1];	/* per bound, not cumulative; the last: above all */
	double life_sum_us;

	size_t bytes;			/* of the mapping: this struct, then the ring */
};

static uint32_t clamp_latency(int64_t latency_us)
{
	if (latency_us < 0)
		return 0;
	if (latency_us > TRACKER_MAX_LATENCY_US)
		return (uint32_t)TRACKER_MAX_LATENCY_US;
	return (uint32_t)latency_us;
}

/*
 * Branch-free: below LINEAR_LIMIT the shift is 0 and the index is the value.
 * msb is the top bit's position (bsr); a value with msb above SUB_BITS keeps
 * its top SUB_BITS + 1 bits.
 */
static inline unsigned bucket_index(uint32_t v)
{
	unsigned msb = 31u ^ (unsigned)__builtin_clz(v | 1u);
	unsigned shift = msb > SUB_BITS ? msb - SUB_BITS : 0;

	return (shift << SUB_BITS) + (v >> shift);
}

/* The midpoint of a bucket: within half a bucket width of every value in it. */
static double bucket_value(unsigned idx)
{
	unsigned shift = idx < LINEAR_LIMIT ? 0 : (idx >> SUB_BITS) - 1;
	uint64_t low = (uint64_t)(idx - (shift << SUB_BITS)) << shift;
	uint64_t width = (uint64_t)1 << shift;

	return (double)low + (double)(width - 1) / 2.0;
}

struct tracker *tracker_new(size_t window)
{
	struct tracker *t;
	size_t bytes;

	if (window < 1 || window > TRACKER_MAX_WINDOW)
		return NULL;
	/*
	 * Pages of its own, the ring after the struct: a window writes a few
	 * pages of the 90 KB of buckets, and only those become resident. The
	 * ring shares the mapping because a leak checker does not look inside
	 * one for pointers: a ring of its own would seem lost at exit.
	 */
	bytes = sizeof(*t) + window * sizeof(*t->ring);
	t = xpages_zeroed(bytes);
	t->ring = (uint32_t *)(t + 1);
	t->window = window;
	t->bytes = bytes;
	return t;
}

void tracker_free(struct tracker *t)
{
	if (t != NULL)
		xpages_free(t, t->bytes);
}

static inline void hist_add(struct tracker *t, uint32_t v)
{
	unsigned idx = bucket_index(v);

	t->buckets[idx]++;
	t->blocks[idx >> BLOCK_BITS]++;
	t->sum += v;
}

static inline void hist_remove(struct tracker *t, uint32_t v)
{
	unsigned idx = bucket_index(v);

	t->buckets[idx]--;
	t->blocks[idx >> BLOCK_BITS]--;
	t->sum -= v;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b < 0) ? q - 1 : q;
}

static size_t slot_index(int64_t slot)
{
	int64_t i = slot % SLOT_COUNT;

	return (size_t)(i < 0 ? i + SLOT_COUNT : i);
}

static void slots_set_head(struct tracker *t, int64_t slot)
{
	t->head_slot = slot;
	t->head_index = slot_index(slot);
	t->head_start_us = slot * SLOT_US;
	t->head_width_us = SLOT_US;
}

/* Move the head to a later slot, emptying the slots that leave the window. */
static void slots_advance(struct tracker *t, int64_t slot)
{
	int64_t gap = slot - t->head_slot;

	if (gap >= SLOT_COUNT) {
		memset(t->slots, 0, sizeof(t->slots));
		t->slot_total = 0;
	} else {
		for (int64_t s = t->head_slot + 1; s <= slot; s++) {
			uint32_t *c = &t->slots[slot_index(s)];

			t->slot_total -= *c;
			*c = 0;
		}
	}
	slots_set_head(t, slot);
}

/* Move the head slot's count, kept apart on the fast path, into slots[] and the total. */
static void slots_flush(struct tracker *t)
{
	t->slots[t->head_index] += t->head_count;
	t->slot_total += t->head_count;
	t->head_count = 0;
}

/*
 * Off the fast path: a new slot, the first completion, or one out of order.
 * Kept out of line so tracker_record needs no stack frame.
 */
__attribute__((noinline)) static void slots_record_slow(struct tracker *t, int64_t now_us)
{
	int64_t slot = floor_div(now_us, SLOT_US);

	slots_flush(t);

	if (!t->any) {
		t->any = true;
		t->first_us = now_us;
		slots_set_head(t, slot);
	} else if (now_us < t->first_us) {
		t->first_us = now_us;
	}
	if (slot > t->head_slot)
		slots_advance(t, slot);
	else if (slot <= t->head_slot - SLOT_COUNT)
		return;		/* older than the window: it never counts */
	t->slots[slot_index(slot)]++;
	t->slot_total++;
}

/*
 * Whether now_us falls in the head slot, in one comparison: a time before
 * its start wraps around to a huge unsigned distance. Before the first
 * completion the width is 0, so nothing does.
 */
static inline bool in_head_slot(const struct tracker *t, int64_t now_us)
{
	return (uint64_t)now_us - (uint64_t)t->head_start_us < t->head_width_us;
}

/* Into the window: the oldest sample leaves once it is full. */
static inline void window_add(struct tracker *t, uint32_t v)
{
	t->recorded++;
	if (t->len == t->window)
		hist_remove(t, t->ring[t->pos]);
	else
		t->len++;
	t->ring[t->pos] = v;
	if (++t->pos == t->window)
		t->pos = 0;
	hist_add(t, v);
}

/*
 * Whatever the fast path of tracker_record does not cover: a window not yet
 * full, a latency out of range, a completion outside the head slot.
 */
__attribute__((noinline)) static void record_slow(struct tracker *t, int64_t now_us,
						  int64_t latency_us)
{
	window_add(t, clamp_latency(latency_us));
	if (in_head_slot(t, now_us))
		t->head_count++;
	else
		slots_record_slow(t, now_us);
}

/*
 * The fast path is the usual case of a running simulation: a full window, a
 * latency in range and a completion in the head slot. It calls nothing, so
 * it needs no stack frame and no saved registers, and it reads the evicted
 * sample's bucket from its value with a few register operations.
 */
void tracker_record(struct tracker *t, int64_t now_us, int64_t latency_us)
{
	uint32_t *cell, old, v;
	unsigned o, n;

	if (__builtin_expect(t->len != t->window || (uint64_t)latency_us > TRACKER_MAX_LATENCY_US ||
			     !in_head_slot(t, now_us), 0)) {
		record_slow(t, now_us, latency_us);
		return;
	}
	v = (uint32_t)latency_us;
	t->recorded++;
	cell = &t->ring[t->pos];
	old = *cell;
	*cell = v;
	t->pos = t->pos + 1 == t->window ? 0 : t->pos + 1;
	t->sum += (uint64_t)v - old;
	o = bucket_index(old);
	n = bucket_index(v);
	t->buckets[o]--;
	t->blocks[o >> BLOCK_BITS]--;
	t->buckets[n]++;
	t->blocks[n >> BLOCK_BITS]++;
	t->head_count++;
}

void tracker_count(struct tracker *t, enum tracker_counter c)
{
	if ((unsigned)c < TRACKER_COUNTER_COUNT)
		t->counters[c]++;
}

uint64_t tracker_counter(const struct tracker *t, enum tracker_counter c)
{
	return (unsigned)c < TRACKER_COUNTER_COUNT ? t->counters[c] : 0;
}

/* Index of the first non-empty bucket at or after block b; the window is not empty. */
static unsigned first_bucket_from(const struct tracker *t, unsigned block)
{
	unsigned idx;

	while (t->blocks[block] == 0)
		block++;
	idx = block << BLOCK_BITS;
	while (t->buckets[idx] == 0)
		idx++;
	return idx;
}

static unsigned last_bucket(const struct tracker *t)
{
	unsigned block = BLOCK_COUNT - 1;
	unsigned idx;

	while (t->blocks[block] == 0)
		block--;
	idx = (block << BLOCK_BITS) + (1u << BLOCK_BITS) - 1;
	if (idx >= BUCKET_COUNT)
		idx = BUCKET_COUNT - 1;
	while (t->buckets[idx] == 0)
		idx--;
	return idx;
}

/*
 * Nearest rank: the k-th smallest sample with k = ceil(n * permille / 1000),
 * in integers so 99.9 % of 10,000 is rank 9990, not 9991 by rounding.
 */
static void fill_percentiles(const struct tracker *t, struct tracker_stats *out)
{
	uint64_t below = 0;	/* samples in the blocks before `block` */
	unsigned block = 0;

	double *dst[] = { &out->p50, &out->p90, &out->p95, &out->p99, &out->p999 };

	for (size_t i = 0; i < sizeof(pct_permille) / sizeof(pct_permille[0]); i++) {
		uint64_t rank = ((uint64_t)t->len * pct_permille[i] + 999) / 1000;
		uint64_t seen;
		unsigned idx;

		while (below + t->blocks[block] < rank)
			below += t->blocks[block++];
		seen = below;
		idx = block << BLOCK_BITS;
		while (seen + t->buckets[idx] < rank)
			seen += t->buckets[idx++];
		*dst[i] = bucket_value(idx);
	}
}

void tracker_stats(const struct tracker *t, struct tracker_stats *out)
{
	out->count = t->len;
	if (t->len == 0) {
		out->p50 = out->p90 = out->p95 = out->p99 = out->p999 = NAN;
		out->min = out->max = out->avg = NAN;
		return;
	}
	fill_percentiles(t, out);
	out->min = bucket_value(first_bucket_from(t, 0));
	out->max = bucket_value(last_bucket(t));
	out->avg = (double)t->sum / (double)t->len;
}

/*
 * The running total covers the slots up to the newest completion; at a later
 * now, the slots that have left the window since are subtracted on the fly,
 * leaving the tracker untouched.
 */
double tracker_throughput(const struct tracker *t, int64_t now_us)
{
	int64_t now_slot, gone;
	uint64_t total;
	double elapsed_s;

	if (!t->any)
		return 0.0;
	now_slot = floor_div(now_us, SLOT_US);
	if (now_slot < t->head_slot) {
		now_slot = t->head_slot;
		now_us = t->head_start_us;
	}
	gone = now_slot - t->head_slot;
	if (gone >= SLOT_COUNT)
		return 0.0;
	total = t->slot_total + t->head_count;
	for (int64_t s = t->head_slot + 1 - SLOT_COUNT; s < now_slot + 1 - SLOT_COUNT; s++)
		total -= t->slots[slot_index(s)];
	elapsed_s = (double)(now_us - t->first_us) / 1e6;
	if (elapsed_s > WINDOW_US / 1e6)
		elapsed_s = WINDOW_US / 1e6;
	if (elapsed_s < 1.0)
		elapsed_s = 1.0;
	return (double)total / elapsed_s;
}

/* The histogram bound a latency falls under (METRICS_HIST_BOUNDS: above them all). */
static unsigned life_index(uint32_t v)
{
	unsigned k = 0;

	while (k < METRICS_HIST_BOUNDS && (double)v > metrics_hist_bounds_ms[k] * 1000.0)
		k++;
	return k;
}

/* The window's own distribution over the bounds, from its log-linear buckets. */
static void window_by_bound(const struct tracker *t, uint64_t *by)
{
	for (unsigned idx = 0; idx < BUCKET_COUNT; idx++) {
		if (t->buckets[idx] != 0)
			by[life_index((uint32_t)bucket_value(idx))] += t->buckets[idx];
	}
}

/* Count the latencies recorded since the last harvest into the lifetime histogram. */
static void life_harvest(struct tracker *t)
{
	uint64_t fresh = (uint32_t)(t->recorded - t->harvested);

	if (fresh == 0)
		return;
	if (fresh <= t->len) {
		/* All still in the ring: the newest fresh samples end just before pos. */
		size_t at = (t->pos + t->window - (size_t)fresh % t->window) % t->window;

		for (uint64_t i = 0; i < fresh; i++) {
			uint32_t v = t->ring[at];

			t->life[life_index(v)]++;
			t->life_sum_us += v;
			at = at + 1 == t->window ? 0 : at + 1;
		}
	} else {
		/* More than a window since the last harvest: count them as the window is spread. */
		uint64_t by[METRICS_HIST_BOUNDS + 1] = { 0 }, given = 0;

		window_by_bound(t, by);
		for (unsigned k = 0; k <= METRICS_HIST_BOUNDS; k++) {
			uint64_t n = (uint64_t)((double)fresh * (double)by[k] / (double)t->len);

			t->life[k] += n;
			given += n;
		}
		/* What rounding left goes under the window's average. */
		t->life[life_index((uint32_t)(t->sum / t->len))] += fresh - given;
		t->life_sum_us += (double)t->sum / (double)t->len * (double)fresh;
	}
	t->harvested = t->recorded;
}

void tracker_histogram(struct tracker *t, struct metrics_histogram *out)
{
	uint64_t cum = 0;

	life_harvest(t);
	out->known = true;
	for (unsigned k = 0; k <= METRICS_HIST_BOUNDS; k++) {
		cum += t->life[k];
		out->count[k] = cum;
	}
	out->sum_ms = t->life_sum_us / 1000.0;
}

void tracker_reset_window(struct tracker *t)
{
	/* The histogram is cumulative: count what the ring holds before it goes. */
	life_harvest(t);
	t->pos = 0;
	t->len = 0;
	t->sum = 0;
	memset(t->buckets, 0, sizeof(t->buckets));
	memset(t->blocks, 0, sizeof(t->blocks));
	memset(t->slots, 0, sizeof(t->slots));
	t->slot_total = 0;
	t->head_count = 0;
	t->head_slot = 0;
	t->head_index = 0;
	t->head_start_us = 0;
	t->head_width_us = 0;
	t->first_us = 0;
	t->any = false;
}
