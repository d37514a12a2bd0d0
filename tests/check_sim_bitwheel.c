#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "check_run.h"
#include "sim/bitwheel.h"
#include "sim/rng.h"

/*
 * Random marks and unmarks against a plain array of flags: bitwheel_next
 * from random slots, bitwheel_take over random ranges, with the marks
 * dense (many per word) or sparse (words apart, so the summary is used and
 * goes stale).
 */
static void run_against_flags(size_t slots, uint32_t mark_per_mille)
{
	enum { STEPS = 200000 };
	static bool flag[4 * BITWHEEL_MIN_SLOTS];
	struct bitwheel bw;
	struct rng r;
	size_t marked = 0;

	ck_assert_uint_le(slots, sizeof(flag) / sizeof(flag[0]));
	for (size_t s = 0; s < slots; s++)
		flag[s] = false;
	bitwheel_init(&bw, slots);
	rng_seed(&r, slots + mark_per_mille, 1);
	for (int step = 0; step < STEPS; step++) {
		size_t s = rng_below(&r, (uint32_t)slots);
		uint32_t dice = rng_below(&r, 1000);

		if (dice < mark_per_mille) {
			marked += !flag[s];
			flag[s] = true;
			bitwheel_set(&bw, s);
		} else if (dice < 2 * mark_per_mille) {
			marked -= flag[s];
			flag[s] = false;
			bitwheel_clear(&bw, s);
		} else if (dice < 2 * mark_per_mille + 50 && marked > 0) {
			size_t n = 1 + rng_below(&r, dice % 2 ? 64 : (uint32_t)slots), covered;
			uint64_t bits = bitwheel_take(&bw, s, n, &covered);

			check_loop_eq(covered >= 1 && covered <= n && s % 64 + covered <= 64, 1);
			for (size_t i = 0; i < covered; i++) {
				check_loop_eq((bits >> i) & 1, flag[s + i]);
				marked -= flag[s + i];
				flag[s + i] = false;
			}
			check_loop_eq(bits >> (covered - 1) >> 1, 0);
		} else if (marked > 0) {
			size_t want = s;

			while (!flag[want])
				want = (want + 1) % slots;
			check_loop_eq(bitwheel_next(&bw, s), want);
		}
		check_loop_eq(bitwheel_test(&bw, s), flag[s]);
	}
	bitwheel_free(&bw);
}

START_TEST(test_bitwheel_dense)
{
	run_against_flags(BITWHEEL_MIN_SLOTS, 300);
}
END_TEST

START_TEST(test_bitwheel_sparse)
{
	run_against_flags(4 * BITWHEEL_MIN_SLOTS, 2);
}
END_TEST

/* One mark far from where the search starts: found going round, across the summary's words. */
START_TEST(test_bitwheel_goes_round)
{
	struct bitwheel bw;
	size_t slots = 2 * BITWHEEL_MIN_SLOTS;

	bitwheel_init(&bw, slots);
	bitwheel_set(&bw, 5);
	ck_assert_uint_eq(bitwheel_next(&bw, 6), 5);
	ck_assert_uint_eq(bitwheel_next(&bw, slots - 1), 5);
	bitwheel_set(&bw, slots - 70);
	bitwheel_clear(&bw, 5);
	bitwheel_set(&bw, 70);
	ck_assert_uint_eq(bitwheel_next(&bw, 6), 70);
	ck_assert_uint_eq(bitwheel_next(&bw, 71), slots - 70);
	bitwheel_clear(&bw, slots - 70);
	ck_assert_uint_eq(bitwheel_next(&bw, 71), 70);
	bitwheel_free(&bw);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sim_bitwheel");
	TCase *tc = tcase_create("bitwheel");

	tcase_add_test(tc, test_bitwheel_dense);
	tcase_add_test(tc, test_bitwheel_sparse);
	tcase_add_test(tc, test_bitwheel_goes_round);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
