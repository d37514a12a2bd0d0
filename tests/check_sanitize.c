/* The sanitising funnel and the UTF-8 decoder under it. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "sanitize.h"
#include "utf8.h"

static const struct {
	const char *in, *out;
	unsigned flags;
} cases[] = {
	{ "Service healthy", "Service healthy", 0 },
	{ "caf\xc3\xa9 \xe2\x97\x8f", "caf\xc3\xa9 \xe2\x97\x8f", 0 },	/* é ●: kept */
	{ "a\x1b]0;PWNED\x07z", "a ]0;PWNED z", 0 },		/* OSC: sets the title */
	{ "a\x1b[2J\x1b[31mz", "a [2J [31mz", 0 },		/* CSI */
	{ "tab\there\r\nnext", "tab here  next", 0 },
	{ "del\x7f", "del ", 0 },
	{ "c1\xc2\x9b" "31m\xc2\x9d" "0;x\xc2\x9c", "c1 31m 0;x ", 0 },	/* C1 CSI, OSC, ST */
	{ "raw\x9b" "31m", "raw?31m", 0 },				/* an 8-bit CSI byte alone */
	{ "\xff\xfe", "??", 0 },
	{ "\xc0\xaf", "??", 0 },					/* overlong '/' */
	{ "\xed\xa0\x80", "???", 0 },					/* a surrogate */
	{ "cut\xe2\x80", "cut??", 0 },					/* truncated sequence */
	{ "\xf4\x90\x80\x80", "????", 0 },				/* past U+10FFFF */
	{ "ab\xe2\x80\xae" "cd", "abcd", 0 },				/* U+202E RLO */
	{ "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad" "x", "x", 0 },	/* U+202A..D */
	{ "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9" "y", "y", 0 },	/* U+2066..9 */
	{ "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c" "z", "z", 0 },		/* LRM RLM ALM */
	{ "\xe2\x80\xaf" "nbsp", "\xe2\x80\xaf" "nbsp", 0 },		/* U+202F is not bidi */
	{ "oops | fake_perf=0;1;2", "oops | fake_perf=0;1;2", 0 },
	{ "oops | fake_perf=0;1;2", "oops / fake_perf=0;1;2", SANITIZE_PLUGIN },
	{ "", "", 0 },
};

#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

START_TEST(test_copy)
{
	char out[128];
	size_t n = sanitize_copy(out, sizeof(out), cases[_i].in, cases[_i].flags);

	ck_assert_str_eq(out, cases[_i].out);
	ck_assert_uint_eq(n, strlen(cases[_i].out));
}
END_TEST

START_TEST(test_in_place_and_clean)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s", cases[_i].in);
	ck_assert_uint_eq(sanitize_in_place(buf, cases[_i].flags), strlen(cases[_i].out));
	ck_assert_str_eq(buf, cases[_i].out);
	/* Idempotent: what comes out is clean and passes unchanged. */
	ck_assert(sanitize_is_clean(buf, cases[_i].flags));
	ck_assert_int_eq(sanitize_is_clean(cases[_i].in, cases[_i].flags),
			 strcmp(cases[_i].in, cases[_i].out) == 0);
}
END_TEST

START_TEST(test_cut_between_characters)
{
	char dst[4] = "xyz";

	sanitize_copy(dst, 1, "abc", 0);
	ck_assert_str_eq(dst, "");
	sanitize_copy(dst, 2, "\xc3\xa9", 0);
	ck_assert_str_eq(dst, "");
	sanitize_copy(dst, 3, "\xc3\xa9", 0);
	ck_assert_str_eq(dst, "\xc3\xa9");
	sanitize_copy(dst, sizeof(dst), "\x1b\x7f\xff", 0);
	ck_assert_str_eq(dst, "  ?");
	sanitize_copy(dst, sizeof(dst), "a\xe2\x80\xae\xe2\x97\x8f", 0);
	ck_assert_str_eq(dst, "a");	/* the RLO is dropped; ● does not fit */
	ck_assert_uint_eq(sanitize_copy(dst, 0, "abc", 0), 0);
}
END_TEST

START_TEST(test_copy_n_counts_bytes)
{
	char dst[16];

	/* A NUL inside counted bytes is a control; the copy stops at len. */
	sanitize_copy_n(dst, sizeof(dst), "a\0b|cdef", 4, SANITIZE_PLUGIN);
	ck_assert_str_eq(dst, "a b/");
	/* A sequence cut by len is bad bytes, never read past len. */
	sanitize_copy_n(dst, sizeof(dst), "x\xc3\xa9", 2, 0);
	ck_assert_str_eq(dst, "x?");
}
END_TEST

START_TEST(test_cjson_tree)
{
	cJSON *o = cJSON_Parse("{\"k\\u001b\":\"v\\u009b\",\"a\":[\"\\u202e x\",{\"n\":\"\\u001b]0;t\\u0007\"}],"
			       "\"num\":5}");
	char *text;

	ck_assert_ptr_nonnull(o);
	sanitize_cjson(o);
	text = cJSON_PrintUnformatted(o);
	ck_assert_str_eq(text, "{\"k \":\"v \",\"a\":[\" x\",{\"n\":\" ]0;t \"}],\"num\":5}");
	cJSON_free(text);
	cJSON_Delete(o);
	sanitize_cjson(NULL);
}
END_TEST

START_TEST(test_line)
{
	FILE *f = tmpfile();
	char buf[4096], big[3000];

	ck_assert_ptr_nonnull(f);
	sanitize_line(f, 0, "routertop: %s: %s", "\x1b]0;PWNED\x07" "file", "No such file");
	memset(big, 'x', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\x1b';
	big[sizeof(big) - 1] = '\0';
	sanitize_line(f, SANITIZE_PLUGIN, "%s|", big);
	rewind(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_str_eq(buf, "routertop:  ]0;PWNED file: No such file\n");
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_uint_eq(strlen(buf), sizeof(big) + 1);	/* 2998 x, a space, "/", the newline */
	ck_assert_str_eq(buf + sizeof(big) - 3, "x /\n");
	ck_assert_ptr_null(fgets(buf, sizeof(buf), f));
	fclose(f);
}
END_TEST

static const struct {
	const char *in;
	size_t avail, len;
	uint32_t cp;
} decode_cases[] = {
	{ "A", 4, 1, 'A' },
	{ "\xc3\xa9", 4, 2, 0xe9 },
	{ "\xe2\x97\x8f", 4, 3, 0x25cf },
	{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
	{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
	{ "\xc3\xa9", 1, 0, 0 },	/* cut by avail */
	{ "\xe2\x97\x8f", 2, 0, 0 },
	{ "A", 0, 0, 0 },
	{ "\x80", 4, 0, 0 },
	{ "\xc1\xbf", 4, 0, 0 },	/* overlong */
	{ "\xe0\x9f\xbf", 4, 0, 0 },	/* overlong */
	{ "\xed\xa0\x80", 4, 0, 0 },	/* surrogate */
	{ "\xf4\x90\x80\x80", 4, 0, 0 },
	{ "\xf5\x80\x80\x80", 4, 0, 0 },
	{ "\xe2\x97", 4, 0, 0 },	/* NUL after two bytes: stops there */
};

START_TEST(test_decode)
{
	uint32_t cp = 7;

	ck_assert_uint_eq(utf8_decode(decode_cases[_i].in, decode_cases[_i].avail, &cp),
			  decode_cases[_i].len);
	ck_assert_uint_eq(cp, decode_cases[_i].cp);
}
END_TEST

static Suite *sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc = tcase_create("sanitize");

	tcase_add_loop_test(tc, test_copy, 0, NCASES);
	tcase_add_loop_test(tc, test_in_place_and_clean, 0, NCASES);
	tcase_add_test(tc, test_cut_between_characters);
	tcase_add_test(tc, test_copy_n_counts_bytes);
	tcase_add_test(tc, test_cjson_tree);
	tcase_add_test(tc, test_line);
	tcase_add_loop_test(tc, test_decode, 0,
			    (int)(sizeof(decode_cases) / sizeof(decode_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(sanitize_suite());
}
