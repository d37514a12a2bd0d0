#include <check.h>
#include <stdint.h>
#include <string.h>

#include "check_run.h"
#include "utf8.h"

/* One character at the start of bytes (len bytes readable): its length and code point. */
static const struct {
	const char *bytes;
	size_t len;
	size_t n;
	uint32_t cp;
} decode_cases[] = {
	{ "A", 1, 1, 'A' },
	{ "", 1, 1, 0 },				/* NUL is a character */
	{ "\x7f", 1, 1, 0x7f },
	{ "\xc2\x80", 2, 2, 0x80 },			/* smallest two-byte */
	{ "\xc3\xa9", 2, 2, 0xe9 },
	{ "\xdf\xbf", 2, 2, 0x7ff },
	{ "\xe0\xa0\x80", 3, 3, 0x800 },		/* smallest three-byte */
	{ "\xe2\x82\xac", 3, 3, 0x20ac },
	{ "\xed\x9f\xbf", 3, 3, 0xd7ff },		/* just below the surrogates */
	{ "\xee\x80\x80", 3, 3, 0xe000 },		/* just above them */
	{ "\xef\xbf\xbf", 3, 3, 0xffff },
	{ "\xf0\x90\x80\x80", 4, 4, 0x10000 },		/* smallest four-byte */
	{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
	{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },		/* the last code point */
	{ "\xe2\x82\xac", 8, 3, 0x20ac },		/* more room than needed */
	{ "\x80", 1, 1, UTF8_BAD },			/* stray continuation bytes */
	{ "\xbf", 1, 1, UTF8_BAD },
	{ "\xc0\xaf", 2, 1, UTF8_BAD },			/* overlong '/' */
	{ "\xc1\xbf", 2, 1, UTF8_BAD },
	{ "\xe0\x9f\xbf", 3, 1, UTF8_BAD },		/* overlong three-byte */
	{ "\xf0\x8f\xbf\xbf", 4, 1, UTF8_BAD },		/* overlong four-byte */
	{ "\xed\xa0\x80", 3, 1, UTF8_BAD },		/* surrogate U+D800 */
	{ "\xed\xbf\xbf", 3, 1, UTF8_BAD },		/* surrogate U+DFFF */
	{ "\xf4\x90\x80\x80", 4, 1, UTF8_BAD },		/* U+110000 */
	{ "\xf5\x80\x80\x80", 4, 1, UTF8_BAD },
	{ "\xfe", 1, 1, UTF8_BAD },
	{ "\xff", 1, 1, UTF8_BAD },
	{ "\xc3", 2, 1, UTF8_BAD },			/* cut short by the NUL */
	{ "\xe2\x82", 3, 1, UTF8_BAD },
	{ "\xf0\x9f\x98", 4, 1, UTF8_BAD },
	{ "\xc3\xa9", 1, 1, UTF8_BAD },			/* cut short by len */
	{ "\xe2\x82\xac", 2, 1, UTF8_BAD },
	{ "\xf0\x9f\x98\x80", 3, 1, UTF8_BAD },
	{ "\xe2" "A\xac", 3, 1, UTF8_BAD },		/* a byte that does not continue it */
	{ "\xf0\x9f" "A\x80", 4, 1, UTF8_BAD },
};

START_TEST(test_decode)
{
	uint32_t cp = 12345;
	size_t n = utf8_decode(decode_cases[_i].bytes, decode_cases[_i].len, &cp);

	ck_assert_msg(n == decode_cases[_i].n, "case %d: length %zu, want %zu", _i, n, decode_cases[_i].n);
	ck_assert_msg(cp == decode_cases[_i].cp, "case %d: U+%04X, want U+%04X", _i,
		      (unsigned)cp, (unsigned)decode_cases[_i].cp);
}
END_TEST

START_TEST(test_decode_nothing)
{
	uint32_t cp = 7;

	ck_assert_uint_eq(utf8_decode("abc", 0, &cp), 0);
	ck_assert_uint_eq(cp, 7);
}
END_TEST

/* A bad byte is one bad character, and decoding goes on at the next byte. */
START_TEST(test_decode_string)
{
	const char *s = "a\xff\xc3\xa9\xe2\x82" "b\xf0\x9f\x98\x80";
	static const uint32_t want[] = { 'a', UTF8_BAD, 0xe9, UTF8_BAD, UTF8_BAD, 'b', 0x1f600 };
	size_t left = strlen(s), k = 0;

	while (left > 0) {
		uint32_t cp;
		size_t n = utf8_decode(s, left, &cp);

		ck_assert_uint_ge(n, 1);
		ck_assert_uint_lt(k, sizeof(want) / sizeof(want[0]));
		ck_assert_msg(cp == want[k], "character %zu: U+%04X", k, (unsigned)cp);
		s += n;
		left -= n;
		k++;
	}
	ck_assert_uint_eq(k, sizeof(want) / sizeof(want[0]));
}
END_TEST

START_TEST(test_is_control)
{
	static const uint32_t controls[] = { 0, 0x09, 0x1b, 0x1f, 0x7f, 0x80, 0x9b, 0x9f };
	static const uint32_t others[] = { ' ', 'A', '~', 0xa0, 0xe9, 0x20ac, 0x10ffff };

	for (size_t i = 0; i < sizeof(controls) / sizeof(controls[0]); i++)
		ck_assert_msg(utf8_is_control(controls[i]), "U+%04X", (unsigned)controls[i]);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		ck_assert_msg(!utf8_is_control(others[i]), "U+%04X", (unsigned)others[i]);
}
END_TEST

static Suite *utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_decode, 0, (int)(sizeof(decode_cases) / sizeof(decode_cases[0])));
	tcase_add_test(tc, test_decode_nothing);
	tcase_add_test(tc, test_decode_string);
	tcase_add_test(tc, test_is_control);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(utf8_suite());
}
