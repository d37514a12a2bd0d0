/* Binary min-heap of events keyed on (at_us, seq). */
#include "sim/equeue.h"

#include <stdlib.h>

#include "util.h"

#define EQUEUE_MIN_CAP 64

static inline int event_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->at_us < b->at_us || (a->at_us == b->at_us && a->seq < b->seq);
}

void equeue_init(struct equeue *q)
{
	q->heap = NULL;
	q->len = q->cap = 0;
	q->next_seq = 0;
}

void equeue_free(struct equeue *q)
{
	free(q->heap);
	equeue_init(q);
}

void equeue_push(struct equeue *q, struct sim_event ev)
{
	size_t i;

	if (q->len == q->cap) {
		q->cap = q->cap < EQUEUE_MIN_CAP ? EQUEUE_MIN_CAP : q->cap * 2;
		q->heap = xrealloc(q->heap, q->cap * sizeof(*q->heap));
	}
	ev.seq = q->next_seq++;
	/* Sift up: move parents down until ev's slot is found. */
	i = q->len++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!event_before(&ev, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
		i = parent;
	}
	q->heap[i] = ev;
}

const struct sim_event *equeue_peek(const struct equeue *q)
{
	return q->len > 0 ? &q->heap[0] : NULL;
}

int equeue_pop(struct equeue *q, struct sim_event *out)
{
	struct sim_event last;
	size_t i = 0, n;

	if (q->len == 0)
		return -1;
	*out = q->heap[0];
	n = --q->len;
	if (n == 0)
		return 0;
	last = q->heap[n];
	/* Sift the last element down from the root. */
	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= n)
			break;
		if (child + 1 < n && event_before(&q->heap[child + 1], &q->heap[child]))
			child++;
		if (!event_before(&q->heap[child], &last))
			break;
		q->heap[i] = q->heap[child];
		i = child;
	}
	q->heap[i] = last;
	return 0;
}
