#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "check_run.h"
#include "sim/equeue.h"
#include "sim/rng.h"

START_TEST(test_equeue_orders_by_time_then_insertion)
{
	struct equeue q;
	struct sim_event ev;
	static const int64_t times[] = { 50, 10, 30, 10, 70, 30, 0, 10 };
	int64_t last_t = -1;
	uint32_t last_arg = 0;

	equeue_init(&q);
	ck_assert_int_eq(equeue_next_time(&q), INT64_MAX);
	ck_assert_int_eq(equeue_pop(&q, &ev), -1);
	for (unsigned i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		equeue_push(&q, (struct sim_event){ .at_us = times[i], .arg = i, .data = -times[i] });
	ck_assert_uint_eq(equeue_len(&q), 8);
	ck_assert_int_eq(equeue_next_time(&q), 0);
	while (equeue_pop(&q, &ev) == 0) {
		ck_assert_int_ge(ev.at_us, last_t);
		ck_assert_int_eq(ev.data, -ev.at_us);
		ck_assert_int_eq(ev.at_us, times[ev.arg]);
		if (ev.at_us == last_t)
			ck_assert_uint_gt(ev.arg, last_arg);	/* insertion order */
		last_t = ev.at_us;
		last_arg = ev.arg;
	}
	ck_assert_int_eq(last_t, 70);
	equeue_free(&q);
}
END_TEST

START_TEST(test_equeue_clamps_time)
{
	struct equeue q;
	struct sim_event ev;

	equeue_init(&q);
	equeue_push(&q, (struct sim_event){ .at_us = INT64_MAX });
	equeue_push(&q, (struct sim_event){ .at_us = -5 });
	ck_assert_int_eq(equeue_pop(&q, &ev), 0);
	ck_assert_int_eq(ev.at_us, 0);
	ck_assert_int_eq(equeue_pop(&q, &ev), 0);
	ck_assert_int_eq(ev.at_us, EQUEUE_MAX_TIME);
	equeue_free(&q);
}
END_TEST

START_TEST(test_equeue_random_heap)
{
	struct equeue q;
	struct rng r;
	struct sim_event ev;
	int64_t last = -1;
	size_t n = 0;

	equeue_init(&q);
	rng_seed(&r, 99, 0);
	/* Interleave pushes and pops, as the simulator does. */
	for (int i = 0; i < 20000; i++) {
		equeue_push(&q, (struct sim_event){ .at_us = last + 1 + rng_below(&r, 1000) });
		if (i % 3 == 2) {
			ck_assert_int_eq(equeue_pop(&q, &ev), 0);
			ck_assert_int_ge(ev.at_us, last);
			last = ev.at_us;
			n++;
		}
	}
	while (equeue_pop(&q, &ev) == 0) {
		ck_assert_int_ge(ev.at_us, last);
		last = ev.at_us;
		n++;
	}
	ck_assert_uint_eq(n, 20000);
	equeue_free(&q);
}
END_TEST

/*
 * The reference: the earliest key, time << 16 | insertion number mod 65536,
 * by a linear search. Keys are distinct in these runs.
 */
struct ref_event {
	uint64_t key;
	uint32_t arg;
};

static size_t ref_min(const struct ref_event *ev, size_t n)
{
	size_t best = 0;

	for (size_t i = 1; i < n; i++)
		if (ev[i].key < ev[best].key)
			best = i;
	return best;
}

/*
 * Random pushes and pops against the reference: times near the latest pop
 * (the wheel), at either end of the wheel's span, far after it or before
 * it (the heap), bursts in one microsecond across the insertion counter's
 * wrap, and a drained queue.
 */
static void run_against_reference(uint64_t seed, int64_t spread)
{
	enum { N = 200000, CAP = 2048 };
	struct ref_event *ref = malloc(CAP * sizeof(*ref));
	struct equeue q;
	struct rng r;
	size_t n = 0;
	int64_t now = 0;
	uint32_t pushed = 0;

	equeue_init(&q);
	rng_seed(&r, seed, 7);
	for (int step = 0; step < N; step++) {
		uint32_t dice = rng_below(&r, 100);
		struct sim_event ev;

		if (n < CAP && (dice < 55 || n == 0)) {
			int64_t t = now + 1 + (int64_t)rng_below(&r, (uint32_t)spread);
			int burst = 1;

			if (dice < 2)
				t = now + EQUEUE_WHEEL_US + (int64_t)rng_below(&r, 100000);
			else if (dice < 4 && now > 500)
				t = now - (int64_t)rng_below(&r, 500);
			else if (dice < 5)
				burst = 40;
			else if (dice < 7)	/* the ends of the wheel's span */
				t = now + (dice == 5 ? 0 : EQUEUE_WHEEL_US - 1 + (int64_t)rng_below(&r, 2));
			for (int b = 0; b < burst && n < CAP; b++) {
				ref[n].key = ((uint64_t)t << 16) | (pushed & 0xffffu);
				ref[n++].arg = pushed;
				equeue_push(&q, (struct sim_event){ .at_us = t, .arg = pushed++, .data = t });
			}
		} else if (n > 0) {
			size_t k = ref_min(ref, n);

			check_loop_eq(equeue_next_time(&q), (int64_t)(ref[k].key >> 16));
			check_loop_eq(equeue_pop(&q, &ev), 0);
			check_loop_eq(ev.arg, ref[k].arg);
			check_loop_eq(ev.at_us, (int64_t)(ref[k].key >> 16));
			check_loop_eq(ev.data, ev.at_us);
			now = ev.at_us > now ? ev.at_us : now;
			ref[k] = ref[--n];
		}
		check_loop_eq(equeue_len(&q), n);
	}
	ck_assert_uint_gt(pushed, 70000);	/* the insertion counter wrapped */
	equeue_free(&q);
	free(ref);
}

START_TEST(test_equeue_matches_reference_dense)
{
	run_against_reference(1, 300);
}
END_TEST

START_TEST(test_equeue_matches_reference_sparse)
{
	run_against_reference(2, 3 * EQUEUE_WHEEL_US);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_equeue");
	TCase *tc = tcase_create("equeue");

	tcase_add_test(tc, test_equeue_orders_by_time_then_insertion);
	tcase_add_test(tc, test_equeue_random_heap);
	tcase_add_test(tc, test_equeue_clamps_time);
	tcase_add_test(tc, test_equeue_matches_reference_dense);
	tcase_add_test(tc, test_equeue_matches_reference_sparse);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
