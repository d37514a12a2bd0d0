/*
 * The backend behind the router: log-normal service times set by their
 * median and P99, a concurrency limit with a FIFO queue in front of it (so
 * latency grows under load), a request timeout, and injected faults
 * (processing failure, timeout, validation error), each with its own
 * probability, changeable at any moment.
 *
 * Because the queue is FIFO and a service time is drawn when a request
 * arrives, when each request starts and ends is known on arrival: the
 * backend keeps the times its busy workers become free and a count of the
 * idle ones (an exact G/G/C queue), and backend_submit() returns the
 * outcome and completion time at once. The caller schedules the
 * completion.
 *
 * The free times sit in a wheel of one-microsecond counters over the next
 * BACKEND_WHEEL_US after the latest arrival, so a request's worker costs
 * an increment and, when it is free, a bit found in a bitmap (bitwheel.h);
 * those further ahead (or past 255 in one microsecond) wait in a min-heap.
 */
#ifndef RT_SIM_BACKEND_H
#define RT_SIM_BACKEND_H

#include <stdint.h>

#include "sim/bitwheel.h"
#include "sim/rng.h"

#define BACKEND_MAX_CONCURRENCY 100000
#define BACKEND_MAX_LATENCY_US (3600LL * 1000000)

struct backend_config {
	int64_t median_us, p99_us;	/* service time distribution; p99 >= median >= 1 */
	uint32_t concurrency;		/* workers, 1..BACKEND_MAX_CONCURRENCY */
	int64_t timeout_us;		/* request timeout from arrival, queue wait included */
};

struct fault_config {			/* probabilities per request, sum <= 1 */
	double failure, timeout, validation;
};

enum backend_outcome {
	BACKEND_OK,
	BACKEND_FAILURE,	/* processing failure after the service time */
	BACKEND_TIMEOUT,	/* no answer within timeout_us (slow, queued too long, or injected) */
	BACKEND_VALIDATION,	/* the request was refused as invalid after the service time */
};

struct backend_result {
	enum backend_outcome outcome;
	int64_t done_us;	/* when the caller hears the outcome */
};

struct backend {
	struct backend_config cfg;
	/*
	 * The faults as cumulative probabilities: a uniform draw below
	 * fault_cut[0] is a failure, below [1] a timeout, below [2] a
	 * validation error.
	 */
	double fault_cut[3];
	double mu, sigma;	/* of the service time's log, in microseconds */
	double *quantiles;	/* the service time at i / BACKEND_QUANTILES, for sampling */
	/* Busy workers by when each is free again: every one of them after base. */
	int64_t base;		/* the latest release (an arrival's time) */
	uint8_t *wheel;		/* at t % BACKEND_WHEEL_US: how many are free at t, base < t <= base + span */
	struct bitwheel wheel_used;	/* the counters that are not 0 */
	uint32_t wheel_busy;	/* workers counted in the wheel */
	int64_t *late;		/* min-heap of the others' free times */
	uint32_t late_len;
	uint32_t idle;		/* wheel_busy + late_len + idle = concurrency */
	uint32_t slowdown;	/* service times are multiplied by it: 1, or a latency spike */
};
#define BACKEND_WHEEL_BITS 13
#define BACKEND_WHEEL_US (1u << BACKEND_WHEEL_BITS)

void backend_config_default(struct backend_config *cfg);
/* NULL if cfg is usable, else a static message naming the bad field. */
const char *backend_config_check(const struct backend_config *cfg);
const char *fault_config_check(const struct fault_config *f);

/* cfg must pass backend_config_check; all workers free at now_us, no faults. */
void backend_init(struct backend *b, const struct backend_config *cfg, int64_t now_us);
void backend_free(struct backend *b);
/* f must pass fault_config_check. */
void backend_set_faults(struct backend *b, const struct fault_config *f);
/* A latency spike: from now on every service time is factor (>= 1; 1 ends it) times longer. */
void backend_set_slowdown(struct backend *b, uint32_t factor);
/* A request arrives at now_us (never earlier than the last one): its outcome and when it is known. */
struct backend_result backend_submit(struct backend *b, struct rng *r, int64_t now_us);
/*
 * One service time drawn from the log-normal, in microseconds (>= 1): by
 * its quantile function at one uniform draw, interpolated in a table of
 * BACKEND_QUANTILES steps (computed exactly in the first and last step,
 * where the tails bend), which costs a draw and a few operations.
 */
int64_t backend_sample_us(const struct backend *b, struct rng *r);
#define BACKEND_QUANTILE_BITS 10
#define BACKEND_QUANTILES (1u << BACKEND_QUANTILE_BITS)

#endif
