#include <check.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check_run.h"
#include "util.h"

static const struct {
	const char *text;
	int rc;
	int64_t ms;
} duration_cases[] = {
	{ "5", 0, 5000 }, { "1.5", 0, 1500 }, { "250ms", 0, 250 }, { "2s", 0, 2000 },
	{ "3m", 0, 180000 }, { "1h", 0, 3600000 }, { "0", -1, 0 }, { "-1", -1, 0 },
	{ "", -1, 0 }, { "abc", -1, 0 }, { "5x", -1, 0 }, { "nan", -1, 0 },
	{ "inf", -1, 0 }, { "0.1ms", -1, 0 }, { "1e300", -1, 0 },
};

START_TEST(test_parse_duration)
{
	int64_t ms = -7;
	int rc = parse_duration_ms(duration_cases[_i].text, &ms);

	ck_assert_msg(rc == duration_cases[_i].rc, "'%s' gave rc %d", duration_cases[_i].text, rc);
	if (rc == 0)
		ck_assert_int_eq(ms, duration_cases[_i].ms);
}
END_TEST

START_TEST(test_str_printf_truncates)
{
	char buf[4];

	str_printf(buf, sizeof(buf), "%s", "abcdef");
	ck_assert_str_eq(buf, "abc");
}
END_TEST

START_TEST(test_format_speed)
{
	static const struct {
		double speed;
		const char *text;
	} cases[] = {
		{ 0, "max" }, { 1, "x1" }, { 2.5, "x2.5" }, { 64, "x64" },
		{ 0.5, "x1/2" }, { 0.0625, "x1/16" }, { 0.3, "x0.3" },
	};
	char buf[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		format_speed(buf, sizeof(buf), cases[i].speed);
		ck_assert_str_eq(buf, cases[i].text);
	}
}
END_TEST

/* The pages of xpages_zeroed stay unbacked until written: only the two written are resident. */
START_TEST(test_pages_resident_when_written)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 64 * page;
	unsigned char *p = xpages_zeroed(n), resident[64];
	size_t count = 0;

	p[0] = 1;
	p[n - 1] = 2;
	ck_assert_int_eq(mincore(p, n, resident), 0);
	for (size_t i = 0; i < 64; i++)
		count += resident[i] & 1;
	ck_assert_uint_eq(count, 2);
	for (size_t i = 1; i < n - 1; i++)
		if (p[i] != 0)
			ck_abort_msg("byte %zu is %u, not zero", i, p[i]);
	xpages_free(p, n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("util");

	tcase_add_loop_test(tc, test_parse_duration, 0,
			    (int)(sizeof(duration_cases) / sizeof(duration_cases[0])));
	tcase_add_test(tc, test_str_printf_truncates);
	tcase_add_test(tc, test_format_speed);
	tcase_add_test(tc, test_pages_resident_when_written);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
