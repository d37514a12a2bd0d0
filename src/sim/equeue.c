/*
 * Event queue: a timing wheel in front of a binary heap.
 *
 * The wheel has a slot per microsecond over EQUEUE_WHEEL_US microseconds
 * from base, the time of the latest pop, which no event in the wheel
 * precedes (a push earlier than that goes to the heap). A slot is a list
 * of nodes (in a pool with a free list, so live nodes stay close together)
 * in key order: pushes come in insertion order, so a push appends, except
 * when the insertion counter wrapped since the slot's last push, which
 * walks the list. A bit per slot marks those that hold events
 * (bitwheel.h), so finding the next one after a pop reads a few words of
 * bitmap however far it is; first is the earliest, kept for
 * equeue_next_time.
 *
 * The heap takes what the wheel's span does not cover: events earlier than
 * base or too far after it. Its key is (time << 16 | insertion order mod
 * 65536), so ordering costs one integer compare, and pop uses the
 * bottom-up method (walk the hole down to a leaf along the smaller child,
 * then sift the last element up), which halves the compares. A pop takes
 * the smaller key of the wheel's first event and the heap's top, so the
 * order is exactly that of the keys, wherever each event waits.
 */
#include "sim/equeue.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define EQUEUE_MIN_CAP 64
#define SEQ_BITS EQUEUE_SEQ_BITS
#define WHEEL_MASK (EQUEUE_WHEEL_US - 1)
#define NIL UINT32_MAX

void equeue_init(struct equeue *q)
{
	*q = (struct equeue){ .free = NIL };
}

void equeue_free(struct equeue *q)
{
	free(q->heap);
	free(q->slots);
	bitwheel_free(&q->used);
	free(q->pool);
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

static void heap_push(struct equeue *q, const struct equeue_node *node)
{
	if (q->heap_len == q->cap) {
		q->cap = q->cap < EQUEUE_MIN_CAP ? EQUEUE_MIN_CAP : q->cap * 2;
		q->heap = xrealloc(q->heap, q->cap * sizeof(*q->heap));
	}
	sift_up(q->heap, q->heap_len++, *node);
}

static void heap_pop(struct equeue *q, struct equeue_node *out)
{
	struct equeue_node *h = q->heap;
	size_t i = 0, n;

	*out = h[0];
	n = --q->heap_len;
	if (n == 0)
		return;
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
}

static uint32_t link_new(struct equeue *q, const struct equeue_node *node)
{
	uint32_t i = q->free;

	if (i == NIL) {
		uint32_t cap = q->pool_cap == 0 ? EQUEUE_MIN_CAP : q->pool_cap * 2;

		q->pool = xrealloc(q->pool, cap * sizeof(*q->pool));
		for (uint32_t k = q->pool_cap; k < cap; k++)
			q->pool[k].next = k + 1 < cap ? k + 1 : NIL;
		i = q->pool_cap;
		q->pool_cap = cap;
	}
	q->free = q->pool[i].next;
	q->pool[i].node = *node;
	q->pool[i].next = NIL;
	return i;
}

/* Into the list of the slot of time t, in key order. */
static void wheel_add(struct equeue *q, int64_t t, const struct equeue_node *node)
{
	size_t s = (size_t)t & WHEEL_MASK;
	struct equeue_slot *sl = &q->slots[s];
	uint32_t i = link_new(q, node);

	q->wheel_len++;
	if (!bitwheel_test(&q->used, s)) {
		bitwheel_set(&q->used, s);
		sl->first = sl->last = i;
	} else if (q->pool[sl->last].node.key <= node->key) {
		q->pool[sl->last].next = i;
		sl->last = i;
	} else if (node->key < q->pool[sl->first].node.key) {
		/* The insertion counter wrapped since this slot's last push. */
		q->pool[i].next = sl->first;
		sl->first = i;
	} else {
		uint32_t at = sl->first;

		while (q->pool[q->pool[at].next].node.key <= node->key)
			at = q->pool[at].next;
		q->pool[i].next = q->pool[at].next;
		q->pool[at].next = i;
	}
}

/* The time of the first slot at or after time from's that holds events; the wheel is not empty. */
static int64_t wheel_next(struct equeue *q, int64_t from)
{
	size_t s = bitwheel_next(&q->used, (size_t)from & WHEEL_MASK);

	return from + (int64_t)((s - ((size_t)from & WHEEL_MASK)) & WHEEL_MASK);
}

static void wheel_pop(struct equeue *q, struct equeue_node *out)
{
	size_t s = (size_t)q->first & WHEEL_MASK;
	struct equeue_slot *sl = &q->slots[s];
	uint32_t i = sl->first;

	*out = q->pool[i].node;
	q->wheel_len--;
	if (i != sl->last) {
		sl->first = q->pool[i].next;
	} else {
		bitwheel_clear(&q->used, s);
		if (q->wheel_len > 0)
			q->first = wheel_next(q, q->first);
	}
	q->pool[i].next = q->free;
	q->free = i;
}

void equeue_add(struct equeue *q, int64_t at_us, uint32_t kind, uint32_t arg, int64_t data)
{
	int64_t t = at_us < 0 ? 0 : (at_us > EQUEUE_MAX_TIME ? EQUEUE_MAX_TIME : at_us);
	struct equeue_node node = {
		.key = ((uint64_t)t << SEQ_BITS) | (q->next_seq++ & ((1u << SEQ_BITS) - 1)),
		.kind = kind, .arg = arg, .data = data,
	};

	q->len++;
	if (t < q->base || t - q->base >= EQUEUE_WHEEL_US) {
		heap_push(q, &node);
		return;
	}
	if (q->slots == NULL) {
		q->slots = xmalloc(EQUEUE_WHEEL_US * sizeof(*q->slots));
		bitwheel_init(&q->used, EQUEUE_WHEEL_US);
	}
	if (q->wheel_len == 0 || t < q->first)
		q->first = t;
	wheel_add(q, t, &node);
}

int equeue_pop(struct equeue *q, struct sim_event *out)
{
	struct equeue_node node;

	if (q->len == 0)
		return -1;
	q->len--;
	if (q->wheel_len > 0 &&
	    (q->heap_len == 0 || q->pool[q->slots[q->first & WHEEL_MASK].first].node.key < q->heap[0].key))
		wheel_pop(q, &node);
	else
		heap_pop(q, &node);
	/* Every event left is due at or after this one's time (pushes earlier than base go to the heap). */
	if ((int64_t)(node.key >> SEQ_BITS) > q->base)
		q->base = (int64_t)(node.key >> SEQ_BITS);
	*out = (struct sim_event){
		.at_us = (int64_t)(node.key >> SEQ_BITS), .kind = node.kind, .arg = node.arg,
		.data = node.data,
	};
	return 0;
}
