/*
 * The simulator's event queue: a priority queue ordered by virtual time.
 * Events due at the same microsecond come out in insertion order (counted
 * modulo 65536, which is plenty for one microsecond); whatever the order,
 * it depends only on the sequence of pushes and pops, so runs repeat.
 *
 * Events due within EQUEUE_WHEEL_US of the latest pop sit in a timing
 * wheel of one-microsecond slots, where a push and a pop cost a few
 * operations; the rest wait in a binary heap. The simulator's completions,
 * a few milliseconds ahead of the event that caused them, nearly all go to
 * the wheel.
 */
#ifndef RT_SIM_EQUEUE_H
#define RT_SIM_EQUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "sim/bitwheel.h"

/* Latest virtual time an event may have: 2^47 us, about 4 years. */
#define EQUEUE_MAX_TIME (((int64_t)1 << 47) - 1)
/* A key is time << EQUEUE_SEQ_BITS | insertion order modulo 2^EQUEUE_SEQ_BITS. */
#define EQUEUE_SEQ_BITS 16
#define EQUEUE_WHEEL_BITS 13
#define EQUEUE_WHEEL_US (1u << EQUEUE_WHEEL_BITS)

struct sim_event {
	int64_t at_us;		/* virtual time the event fires, 0..EQUEUE_MAX_TIME */
	uint32_t kind;		/* meaning is the caller's */
	uint32_t arg;
	int64_t data;
};

struct equeue_node {		/* time and insertion order in one key: one compare */
	uint64_t key;
	uint32_t kind, arg;
	int64_t data;
};

struct equeue_link {		/* a node in a wheel slot's list */
	struct equeue_node node;
	uint32_t next;		/* index in the pool */
};

struct equeue_slot {
	uint32_t first, last;	/* the list of a slot marked in equeue.used */
};

struct equeue {
	/* The heap: events outside the wheel's span. */
	struct equeue_node *heap;
	size_t len, cap;	/* len counts every event, heap_len the heap's */
	size_t heap_len;
	uint64_t next_seq;
	/* The wheel: slot t % EQUEUE_WHEEL_US holds the events due at t, for t in base..base+span-1. */
	int64_t base;			/* the time of the latest pop: no event is earlier */
	int64_t first;			/* the earliest event in the wheel, when wheel_len > 0 */
	size_t wheel_len;
	struct equeue_slot *slots;	/* EQUEUE_WHEEL_US of them once the wheel is used */
	struct bitwheel used;		/* the slots that hold events */
	struct equeue_link *pool;	/* the wheel's nodes, and a free list */
	uint32_t pool_cap, free;
};

void equeue_init(struct equeue *q);
void equeue_free(struct equeue *q);
/*
 * Add an event at at_us; times outside 0..EQUEUE_MAX_TIME are clamped.
 * Grows as needed, never fails.
 */
void equeue_add(struct equeue *q, int64_t at_us, uint32_t kind, uint32_t arg, int64_t data);
/* The same for ev. Inline, so an event built for it never goes through memory. */
static inline void equeue_push(struct equeue *q, struct sim_event ev)
{
	equeue_add(q, ev.at_us, ev.kind, ev.arg, ev.data);
}
/* Time of the earliest event, or INT64_MAX when empty. */
static inline int64_t equeue_next_time(const struct equeue *q)
{
	int64_t t = q->wheel_len > 0 ? q->first : INT64_MAX;

	if (q->heap_len > 0 && (int64_t)(q->heap[0].key >> EQUEUE_SEQ_BITS) < t)
		t = (int64_t)(q->heap[0].key >> EQUEUE_SEQ_BITS);
	return t;
}
/* Remove the earliest event into *out; returns 0, or -1 when empty. */
int equeue_pop(struct equeue *q, struct sim_event *out);
static inline size_t equeue_len(const struct equeue *q) { return q->len; }

#endif
