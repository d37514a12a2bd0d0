/*
 * Token-bucket rate limiter in integer arithmetic, so it is exact and the
 * same everywhere. Like curl's lib/ratelimit it takes `now` from the caller
 * (virtual microseconds) and never reads a clock, so tests advance time by
 * hand.
 */
#ifndef RT_SIM_LIMITER_H
#define RT_SIM_LIMITER_H

#include <stdbool.h>
#include <stdint.h>

#define LIMITER_MAX_RATE 1e9	/* tokens per second */
#define LIMITER_MAX_BURST 1000000000u

struct limiter {
	uint64_t rate_milli;	/* tokens per second x 1000; 0 = unlimited */
	uint64_t capacity;	/* burst in units (1 token = LIMITER_UNIT) */
	uint64_t tokens;	/* units available */
	int64_t last_us;	/* time tokens was last brought up to date */
};

/*
 * rate: tokens per second (0 = no limit, fractions to 0.001 kept); burst:
 * bucket size in tokens (at least 1 when rate > 0). The bucket starts full
 * at now_us. Returns 0, or -1 if rate or burst is out of range.
 */
int limiter_init(struct limiter *l, double rate, uint32_t burst, int64_t now_us);
/* Take one token at now_us: true if the request may pass, false = rejected. */
bool limiter_take(struct limiter *l, int64_t now_us);
/* Whole tokens available at now_us (refills first). */
uint64_t limiter_tokens(struct limiter *l, int64_t now_us);

#endif
