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

#define RNG_PCG_MULT 6364136223846793005ULL

/* Seed the generator; stream selects one of 2^63 independent sequences. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);

/*
 * The draws every simulated request makes are inline: a call costs as
 * much as the draw. PCG32 (XSH RR 64/32) after M. E. O'Neill,
 * pcg-random.org: integer only, so the sequence is bit-identical everywhere.
 */
static inline uint32_t rng_u32(struct rng *r)
{
	uint64_t old = r->state;
	uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27), rot = (uint32_t)(old >> 59);

	r->state = old * RNG_PCG_MULT + r->inc;
	return (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
}

static inline uint64_t rng_u64(struct rng *r)
{
	uint64_t hi = rng_u32(r);

	return (hi << 32) | rng_u32(r);
}

/* Uniform in [0, 1), 53 bits. */
static inline double rng_uniform(struct rng *r)
{
	return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, bound) without modulo bias; bound 0 returns 0. */
uint32_t rng_below(struct rng *r, uint32_t bound);
/* Standard normal deviate (Marsaglia's polar method). */
double rng_normal(struct rng *r);
/* Exponential deviate with the given mean. */
double rng_exponential(struct rng *r, double mean);

#endif
