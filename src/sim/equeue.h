/*
 * The simulator's event queue: a binary min-heap ordered by virtual time.
 * Events due at the same microsecond come out in insertion order (counted
 * modulo 65536, which is plenty for one microsecond); whatever the order,
 * it depends only on the sequence of pushes and pops, so runs repeat.
 */
#ifndef RT_SIM_EQUEUE_H
#define RT_SIM_EQUEUE_H

#include <stddef.h>
#include <stdint.h>

/* Latest virtual time an event may have: 2^47 us, about 4 years. */
#define EQUEUE_MAX_TIME (((int64_t)1 << 47) - 1)

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

struct equeue {
	struct equeue_node *heap;
	size_t len, cap;
	uint64_t next_seq;
};

void equeue_init(struct equeue *q);
void equeue_free(struct equeue *q);
/* Add ev; times outside 0..EQUEUE_MAX_TIME are clamped. Grows as needed, never fails. */
void equeue_push(struct equeue *q, struct sim_event ev);
/* Time of the earliest event, or INT64_MAX when empty. */
int64_t equeue_next_time(const struct equeue *q);
/* Remove the earliest event into *out; returns 0, or -1 when empty. */
int equeue_pop(struct equeue *q, struct sim_event *out);
static inline size_t equeue_len(const struct equeue *q) { return q->len; }

#endif
