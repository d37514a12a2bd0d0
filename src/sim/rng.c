/*
 * PCG32 (XSH RR 64/32) after M. E. O'Neill, pcg-random.org. Integer only up
 * to rng_uniform(), so the raw sequence is bit-identical everywhere; the
 * normal and exponential deviates use log() and sqrt() from libm.
 */
#include "sim/rng.h"

#include <math.h>

#define PCG_MULT 6364136223846793005ULL

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

uint32_t rng_u32(struct rng *r)
{
	uint64_t old = r->state;
	uint32_t xorshifted, rot;

	r->state = old * PCG_MULT + r->inc;
	xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
	rot = (uint32_t)(old >> 59);
	return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

uint64_t rng_u64(struct rng *r)
{
	uint64_t hi = rng_u32(r);

	return (hi << 32) | rng_u32(r);
}

double rng_uniform(struct rng *r)
{
	return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
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
