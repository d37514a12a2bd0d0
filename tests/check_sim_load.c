#include <check.h>
#include <string.h>

#include "check_run.h"
#include "sim/equeue.h"
#include "sim/load.h"

#define MS 1000LL

static struct scenario_phase phase(uint32_t users, uint32_t requests, int64_t think_us, double rate)
{
	struct scenario_phase ph;

	memset(&ph, 0, sizeof(ph));
	ph.users = users;
	ph.requests = requests;
	ph.think_us = think_us;
	ph.rate = rate;
	return ph;
}

START_TEST(test_closed_loop_counts_and_spacing)
{
	struct scenario_phase ph = phase(3, 4, 10 * MS, 0);
	struct load l;
	struct rng r;
	int64_t last[3] = { -1, -1, -1 };
	int sends = 0, firsts = 0, done = 0;

	load_init(&l);
	rng_seed(&r, 1, 0);
	load_start_phase(&l, &ph, 0, &r);
	ck_assert_uint_eq(load_active(&l), 3);
	while (load_next_time(&l) != INT64_MAX) {
		int64_t now = load_next_time(&l);
		bool first;
		uint32_t u = load_pop(&l, now, &r, &first);

		ck_assert_uint_lt(u, 3);
		sends++;
		firsts += first;
		if (last[u] < 0)
			ck_assert_int_le(now, 10 * MS);	/* starts within one think time */
		else
			ck_assert_int_eq(now - last[u], 10 * MS);	/* answered at once, then thinks */
		last[u] = now;
		done += load_answered(&l, u, now, 0);
	}
	ck_assert_int_eq(sends, 12);
	ck_assert_int_eq(firsts, 3);
	ck_assert_int_eq(done, 1);
	ck_assert_uint_eq(load_active(&l), 0);
	load_free(&l);
}
END_TEST

START_TEST(test_rejection_delay)
{
	struct scenario_phase ph = phase(1, 0, 5 * MS, 0);
	struct load l;
	struct rng r;
	bool first;

	load_init(&l);
	rng_seed(&r, 1, 0);
	load_start_phase(&l, &ph, 0, &r);
	int64_t t = load_next_time(&l);

	ck_assert_uint_eq(load_pop(&l, t, &r, &first), 0);
	ck_assert(first);
	ck_assert_int_eq(load_next_time(&l), INT64_MAX);	/* waiting for its answer */
	ck_assert(!load_answered(&l, 0, t + 2 * MS, 1 * MS));
	ck_assert_int_eq(load_next_time(&l), t + 2 * MS + 1 * MS + 5 * MS);
	ck_assert_uint_eq(load_pop(&l, load_next_time(&l), &r, &first), 0);
	ck_assert(!first);
	load_free(&l);
}
END_TEST

START_TEST(test_open_loop_rate)
{
	struct scenario_phase ph = phase(0, 0, 0, 1000);
	struct load l;
	struct rng r;
	int n = 0;

	load_init(&l);
	rng_seed(&r, 7, 0);
	load_start_phase(&l, &ph, 0, &r);
	while (load_next_time(&l) <= 10 * 1000 * MS) {
		bool first;

		ck_assert_uint_eq(load_pop(&l, load_next_time(&l), &r, &first), LOAD_ANON);
		ck_assert(first);
		n++;
	}
	ck_assert_int_gt(n, 9500);
	ck_assert_int_lt(n, 10500);
	ck_assert_uint_eq(load_active(&l), (uint64_t)n);	/* all in flight */
	for (int i = 0; i < n; i++)
		load_answered(&l, LOAD_ANON, 0, 0);
	ck_assert_uint_eq(load_active(&l), 0);
	load_free(&l);
}
END_TEST

/* Run endless users, answering at once, until t; count sends per user. */
static void run_until(struct load *l, struct rng *r, int64_t t, int *per_user, int *none)
{
	while (load_next_time(l) <= t) {
		int64_t now = load_next_time(l);
		bool first;
		uint32_t u = load_pop(l, now, r, &first);

		if (u == LOAD_NONE) {
			(*none)++;
			continue;
		}
		per_user[u]++;
		load_answered(l, u, now, 0);
	}
}

START_TEST(test_phase_change_retires_and_revives)
{
	struct scenario_phase a = phase(5, 0, 10 * MS, 0), b = phase(2, 0, 10 * MS, 0);
	struct scenario_phase c = phase(4, 0, 20 * MS, 0);
	int per_user[5] = { 0 }, none = 0;
	struct load l;
	struct rng r;

	load_init(&l);
	rng_seed(&r, 3, 0);
	load_start_phase(&l, &a, 0, &r);
	run_until(&l, &r, 1000 * MS, per_user, &none);
	for (int i = 0; i < 5; i++)
		ck_assert_int_ge(per_user[i], 99);
	load_start_phase(&l, &b, 1000 * MS, &r);
	ck_assert_uint_eq(load_active(&l), 2);
	memset(per_user, 0, sizeof(per_user));
	run_until(&l, &r, 2000 * MS, per_user, &none);
	ck_assert_int_eq(none, 3);	/* users 2..4 retire at their next send */
	ck_assert_int_ge(per_user[0], 99);
	ck_assert_int_eq(per_user[2] + per_user[3] + per_user[4], 0);
	/* A bigger phase with a new think time revives idle users. */
	load_start_phase(&l, &c, 2000 * MS, &r);
	memset(per_user, 0, sizeof(per_user));
	run_until(&l, &r, 3000 * MS, per_user, &none);
	for (int i = 0; i < 4; i++)
		ck_assert_int_ge(per_user[i], 49);
	ck_assert_int_le(per_user[0], 51);
	ck_assert_int_eq(per_user[4], 0);
	load_free(&l);
}
END_TEST

/* A user with a request in flight across a phase change is not started twice. */
START_TEST(test_busy_user_not_doubled)
{
	struct scenario_phase a = phase(1, 0, 10 * MS, 0), b = phase(1, 3, 10 * MS, 0);
	struct load l;
	struct rng r;
	bool first;
	int sends = 1;

	load_init(&l);
	rng_seed(&r, 3, 0);
	load_start_phase(&l, &a, 0, &r);
	ck_assert_uint_eq(load_pop(&l, load_next_time(&l), &r, &first), 0);
	load_start_phase(&l, &b, 1 * MS, &r);
	ck_assert_int_eq(load_next_time(&l), INT64_MAX);
	load_answered(&l, 0, 2 * MS, 0);
	while (load_next_time(&l) != INT64_MAX) {
		int64_t now = load_next_time(&l);

		ck_assert_uint_eq(load_pop(&l, now, &r, &first), 0);
		sends++;
		load_answered(&l, 0, now, 0);
	}
	ck_assert_int_eq(sends, 4);	/* the old request, then the new phase's 3 */
	load_free(&l);
}
END_TEST

/* With answers arriving out of order (random latency), sends still come in time order. */
START_TEST(test_time_order_with_latency)
{
	struct scenario_phase ph = phase(50, 0, 3 * MS, 200);
	struct equeue answers;
	struct load l;
	struct rng r;
	int64_t last = 0;
	int sends = 0;

	load_init(&l);
	equeue_init(&answers);
	rng_seed(&r, 5, 0);
	load_start_phase(&l, &ph, 0, &r);
	while (sends < 20000) {
		int64_t tl = load_next_time(&l), ta = equeue_next_time(&answers);
		struct sim_event ev;
		bool first;

		if (ta <= tl) {
			equeue_pop(&answers, &ev);
			load_answered(&l, ev.arg, ev.at_us, ev.data);
			continue;
		}
		ck_assert_int_ge(tl, last);
		last = tl;
		uint32_t u = load_pop(&l, tl, &r, &first);

		ck_assert_uint_ne(u, LOAD_NONE);
		sends++;
		equeue_push(&answers, (struct sim_event){
			.at_us = tl + 1 + rng_below(&r, 50000), .arg = u,
			.data = rng_below(&r, 4) == 0 ? 1 * MS : 0 });
	}
	equeue_free(&answers);
	load_free(&l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_load");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, test_closed_loop_counts_and_spacing);
	tcase_add_test(tc, test_rejection_delay);
	tcase_add_test(tc, test_open_loop_rate);
	tcase_add_test(tc, test_phase_change_retires_and_revives);
	tcase_add_test(tc, test_busy_user_not_doubled);
	tcase_add_test(tc, test_time_order_with_latency);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
