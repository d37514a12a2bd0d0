/*
 * Seeding and the rarer deviates; the raw draws are inline in rng.h. The
 * normal and exponential deviates use log() and sqrt() from libm.
 */
#include "sim/rng.h"

#include <math.h>

void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	r->state = 0;
	r->inc = (stream << 1) | 1u;
	r->has_spare = 0;
	r->spare = 0.0;
	(void)rng_u32(r);
	r->state += seed;
	(void)rng_u32(r);
}

uint32_t rng_below(struct rng *r, uint32_t bound)
{
	uint32_t threshold, x;

	if (bound == 0)
		return 0;
	/* Reject the low values that would make x % bound biased. */
	threshold = (uint32_t)(-bound) % bound;
	do
		x = rng_u32(r);
	while (x < threshold);
	return x % bound;
}

double rng_normal(struct rng *r)
{
	double u, v, s, f;

	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	do {
		u = 2.0 * rng_uniform(r) - 1.0;
		v = 2.0 * rng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	f = sqrt(-2.0 * log(s) / s);
	r->spare = v * f;
	r->has_spare = 1;
	return u * f;
}

double rng_exponential(struct rng *r, double mean)
{
	/* 1 - u is in (0, 1], so log never sees 0. */
	return -mean * log(1.0 - rng_uniform(r));
}
