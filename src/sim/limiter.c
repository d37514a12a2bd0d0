/*
 * Token bucket. A token is 10^9 units; one microsecond adds rate_milli
 * units (rate tokens/s = rate x 10^3 units/us), so refills are exact.
 */
#include "sim/limiter.h"

#include <math.h>

#define LIMITER_UNIT 1000000000ULL

int limiter_init(struct limiter *l, double rate, uint32_t burst, int64_t now_us)
{
	if (!(rate >= 0.0 && rate <= LIMITER_MAX_RATE))
		return -1;
	if (rate > 0.0 && (burst < 1 || burst > LIMITER_MAX_BURST))
		return -1;
	l->rate_milli = (uint64_t)llround(rate * 1000.0);
	if (rate > 0.0 && l->rate_milli == 0)
		return -1;
	l->capacity = (uint64_t)burst * LIMITER_UNIT;
	l->tokens = l->capacity;
	l->last_us = now_us;
	return 0;
}

static void refill(struct limiter *l, int64_t now_us)
{
	uint64_t elapsed, room;

	if (now_us <= l->last_us)
		return;
	elapsed = (uint64_t)(now_us - l->last_us);
	l->last_us = now_us;
	room = l->capacity - l->tokens;
	/* Compare before multiplying so a long gap cannot overflow. */
	if (elapsed >= room / l->rate_milli + 1)
		l->tokens = l->capacity;
	else
		l->tokens += elapsed * l->rate_milli;
	if (l->tokens > l->capacity)
		l->tokens = l->capacity;
}

bool limiter_take(struct limiter *l, int64_t now_us)
{
	if (l->rate_milli == 0)
		return true;
	refill(l, now_us);
	if (l->tokens < LIMITER_UNIT)
		return false;
	l->tokens -= LIMITER_UNIT;
	return true;
}

uint64_t limiter_tokens(struct limiter *l, int64_t now_us)
{
	if (l->rate_milli == 0)
		return UINT64_MAX;
	refill(l, now_us);
	return l->tokens / LIMITER_UNIT;
}
