/*
 * The simulator's event queue: a binary min-heap ordered by virtual time,
 * ties broken by insertion order so a run never depends on heap layout.
 */
#ifndef RT_SIM_EQUEUE_H
#define RT_SIM_EQUEUE_H

#include <stddef.h>
#include <stdint.h>

struct sim_event {
	int64_t at_us;		/* virtual time the event fires */
	uint64_t seq;		/* insertion order, set by equeue_push */
	uint32_t kind;		/* meaning is the caller's */
	uint32_t arg;
	int64_t data;
};

struct equeue {
	struct sim_event *heap;
	size_t len, cap;
	uint64_t next_seq;
};

void equeue_init(struct equeue *q);
void equeue_free(struct equeue *q);
/* Add ev (its seq is overwritten); grows as needed, never fails. */
void equeue_push(struct equeue *q, struct sim_event ev);
/* The earliest event, or NULL when empty; valid until the next push or pop. */
const struct sim_event *equeue_peek(const struct equeue *q);
/* Remove the earliest event into *out; returns 0, or -1 when empty. */
int equeue_pop(struct equeue *q, struct sim_event *out);
static inline size_t equeue_len(const struct equeue *q) { return q->len; }

#endif
