/*
 * A small seedable PRNG of our own (PCG32, O'Neill's pcg32_random_r), so a
 * seed gives the same run on every machine and libc. Never use rand().
 */
#ifndef RT_SIM_RNG_H
#define RT_SIM_RNG_H

#include <stdint.h>

struct rng {
	uint64_t state;
	uint64_t inc;
	double spare;		/* second normal deviate of the last polar pair */
	int has_spare;
};

/* Seed the generator; stream selects one of 2^63 independent sequences. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint32_t rng_u32(struct rng *r);
uint64_t rng_u64(struct rng *r);
/* Uniform in [0, 1), 53 bits. */
double rng_uniform(struct rng *r);
/* Uniform integer in [0, bound) without modulo bias; bound 0 returns 0. */
uint32_t rng_below(struct rng *r, uint32_t bound);
/* Standard normal deviate (Marsaglia's polar method). */
double rng_normal(struct rng *r);
/* Exponential deviate with the given mean. */
double rng_exponential(struct rng *r, double mean);

#endif
