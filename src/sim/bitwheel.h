/*
 * Which slots of a timing wheel hold something: a bitmap with a bit per
 * slot and a summary bit per 64-slot word, so the first marked slot at or
 * after any slot (going round the wheel) is found in a few operations
 * however far away it is. The event queue and the backends' workers use
 * it for their one-microsecond slots.
 *
 * Marking a slot marks its word in the summary; unmarking leaves the
 * summary alone (a word empties about as often as a slot does, and an
 * update each time would cost every request), and the search that finds a
 * word empty unmarks it there, once.
 *
 * Inline: the simulator asks it for every request.
 */
#ifndef RT_SIM_BITWHEEL_H
#define RT_SIM_BITWHEEL_H

#include <stddef.h>
#include <stdint.h>

/* A wheel has BITWHEEL_MIN_SLOTS slots or a larger power of two. */
#define BITWHEEL_MIN_SLOTS 4096u

struct bitwheel {
	uint64_t *words;	/* bit s % 64 of words[s / 64]: slot s is marked */
	uint64_t *summary;	/* bit w % 64 of summary[w / 64]: clear only if words[w] is 0 */
	size_t mask;		/* slots - 1 */
};

/* No slot marked. slots: a power of two, at least BITWHEEL_MIN_SLOTS. Never fails. */
void bitwheel_init(struct bitwheel *bw, size_t slots);
void bitwheel_free(struct bitwheel *bw);

static inline int bitwheel_test(const struct bitwheel *bw, size_t s)
{
	return (int)((bw->words[s / 64] >> (s % 64)) & 1);
}

static inline void bitwheel_set(struct bitwheel *bw, size_t s)
{
	bw->words[s / 64] |= 1ull << (s % 64);
	bw->summary[s / 4096] |= 1ull << (s / 64 % 64);
}

/* The summary bit stays: bitwheel_next clears it when it finds the word empty. */
static inline void bitwheel_clear(struct bitwheel *bw, size_t s)
{
	bw->words[s / 64] &= ~(1ull << (s % 64));
}

/*
 * The first marked slot at or after s, going round: at least one slot must
 * be marked. Its distance from s is (result - s) & mask.
 */
static inline size_t bitwheel_next(struct bitwheel *bw, size_t s)
{
	size_t w = s / 64, nsum = (bw->mask + 1) / 4096, j;
	uint64_t bits = bw->words[w] & (~0ull << (s % 64));

	if (bits != 0)
		return w * 64 + (size_t)__builtin_ctzll(bits);
	/* The next word that is not 0, after w; w itself again (its bits below s) at worst. */
	w = (w + 1) & (bw->mask / 64);
	j = w / 64;
	bits = bw->summary[j] & (~0ull << (w % 64));
	for (;;) {
		while (bits == 0) {
			j = j + 1 == nsum ? 0 : j + 1;
			bits = bw->summary[j];
		}
		w = j * 64 + (size_t)__builtin_ctzll(bits);
		if (bw->words[w] != 0)
			return w * 64 + (size_t)__builtin_ctzll(bw->words[w]);
		/* Emptied since it was marked: unmark it on the way. */
		bw->summary[j] &= ~(1ull << (w % 64));
		bits &= bits - 1;
	}
}

/*
 * Unmark the marked slots among the n (at least 1) from s on that lie in
 * s's word, and return them (bit i: slot s + i); *covered is set to how
 * many slots of the n that word held. A caller empties a range a word at
 * a time, and jumps over empty words with bitwheel_next.
 */
static inline uint64_t bitwheel_take(struct bitwheel *bw, size_t s, size_t n, size_t *covered)
{
	size_t off = s % 64, span = n < 64 - off ? n : 64 - off;
	uint64_t mask = (span == 64 ? ~0ull : (1ull << span) - 1) << off;
	uint64_t bits = bw->words[s / 64] & mask;

	bw->words[s / 64] &= ~mask;
	*covered = span;
	return bits >> off;
}

#endif
