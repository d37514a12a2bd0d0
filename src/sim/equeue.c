/*
 * Binary min-heap of events. The key is (time << 16 | insertion order mod
 * 65536), so ordering costs one integer compare, and pop uses the
 * bottom-up method (walk the hole down to a leaf along the smaller child,
 * then sift the last element up), which halves the compares: the heap is
 * the hottest part of the simulator.
 */
#include "sim/equeue.h"

#include <stdlib.h>

#include "util.h"

#define EQUEUE_MIN_CAP 64
#define SEQ_BITS 16

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

static void sift_up(struct equeue_node *h, size_t i, struct equeue_node node)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (h[parent].key <= node.key)
			break;
		h[i] = h[parent];
		i = parent;
	}
	h[i] = node;
}

void equeue_push(struct equeue *q, struct sim_event ev)
{
	int64_t t = ev.at_us < 0 ? 0 : (ev.at_us > EQUEUE_MAX_TIME ? EQUEUE_MAX_TIME : ev.at_us);
	struct equeue_node node = {
		.key = ((uint64_t)t << SEQ_BITS) | (q->next_seq++ & ((1u << SEQ_BITS) - 1)),
		.kind = ev.kind, .arg = ev.arg, .data = ev.data,
	};

	if (q->len == q->cap) {
		q->cap = q->cap < EQUEUE_MIN_CAP ? EQUEUE_MIN_CAP : q->cap * 2;
		q->heap = xrealloc(q->heap, q->cap * sizeof(*q->heap));
	}
	sift_up(q->heap, q->len++, node);
}

int64_t equeue_next_time(const struct equeue *q)
{
	return q->len > 0 ? (int64_t)(q->heap[0].key >> SEQ_BITS) : INT64_MAX;
}

int equeue_pop(struct equeue *q, struct sim_event *out)
{
	struct equeue_node *h = q->heap;
	size_t i = 0, n;

	if (q->len == 0)
		return -1;
	*out = (struct sim_event){
		.at_us = (int64_t)(h[0].key >> SEQ_BITS), .kind = h[0].kind, .arg = h[0].arg,
		.data = h[0].data,
	};
	n = --q->len;
	if (n == 0)
		return 0;
	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= n)
			break;
		/* Branch-free choice of the smaller child: the compare is a coin toss. */
		if (child + 1 < n)
			child += h[child + 1].key < h[child].key;
		h[i] = h[child];
		i = child;
	}
	sift_up(h, i, h[n]);
	return 0;
}
