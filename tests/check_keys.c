#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "ui/input.h"
#include "ui/keys.h"

#define ALL_MODES (KEY_MODE_STEP | KEY_MODE_SPEED | KEY_MODE_INJECT | KEY_MODE_ROWS | \
		   KEY_MODE_DRILLED | KEY_MODE_DEMO)

/* Every row is whole, and its help line fits the overlay (56 wide, 3 of margin each side). */
START_TEST(test_table_rows_whole)
{
	char line[128];
	int n = 0;

	for (const struct key_binding *k = keys_table; k->name != NULL; k++, n++) {
		ck_assert_msg(k->codes[0] != 0, "%s: no key code", k->name);
		ck_assert_msg(k->help != NULL && k->help[0] != '\0', "%s: no help", k->name);
		ck_assert_msg(strlen(k->name) <= KEYS_NAME_W, "%s: name too long", k->name);
		ck_assert_msg(k->action != UI_ACT_NONE, "%s: does nothing", k->name);
		ck_assert_msg((k->brief == NULL) == (k->brief_keys == NULL), "%s: half a brief", k->name);
		ck_assert_msg(!k->on_key_line || k->brief != NULL, "%s: key line without a brief", k->name);
		ck_assert_msg((k->modes & ~ALL_MODES) == 0, "%s: unknown mode", k->name);
		keys_help_line(k, false, line, sizeof(line));
		ck_assert_msg(strlen(line) <= 50, "'%s' is wider than the help overlay", line);
		if (k->help_more != NULL) {
			keys_help_line(k, true, line, sizeof(line));
			ck_assert_msg(strlen(line) <= 50, "'%s' is wider than the help overlay", line);
		}
	}
	ck_assert_int_gt(n, 10);
}
END_TEST

/* In any one mode, a key code means one thing. */
START_TEST(test_no_key_bound_twice)
{
	for (unsigned modes = 0; modes <= ALL_MODES; modes++)
		for (const struct key_binding *a = keys_table; a->name != NULL; a++)
			for (const struct key_binding *b = a + 1; b->name != NULL; b++) {
				if (!keys_apply(a, modes) || !keys_apply(b, modes) || a->modes != b->modes)
					continue;
				for (int i = 0; i < KEY_CODES_MAX && a->codes[i] != 0; i++)
					for (int j = 0; j < KEY_CODES_MAX && b->codes[j] != 0; j++)
						ck_assert_msg(a->codes[i] != b->codes[j], "%s and %s share a key",
							      a->name, b->name);
			}
}
END_TEST

static const struct {
	int code;
	unsigned modes;
	enum ui_action action;	/* UI_ACT_NONE: not bound */
} find_cases[] = {
	{ 'q', 0, UI_ACT_QUIT },
	{ 'Q', KEY_MODE_STEP, UI_ACT_QUIT },
	{ ' ', 0, UI_ACT_PAUSE },
	{ '+', 0, UI_ACT_INTERVAL },
	{ UI_KEY_LEFT, KEY_MODE_STEP, UI_ACT_SEEK_BACK },
	{ UI_KEY_LEFT, 0, UI_ACT_SEEK_BACK },		/* does not apply: found, and refused later */
	{ 'f', KEY_MODE_INJECT, UI_ACT_FAULT_FAILURE },
	{ 'f', 0, UI_ACT_FAULT_FAILURE },
	{ 'o', KEY_MODE_INJECT | KEY_MODE_ROWS, UI_ACT_BREAKER_OPEN },	/* the table row of o, c, a, 0 */
	{ '0', KEY_MODE_INJECT, UI_ACT_BREAKER_OPEN },
	{ '\t', KEY_MODE_ROWS | KEY_MODE_INJECT, UI_ACT_SORT },
	/* o sorts a list, but on the simulator its breaker key wins the tie. */
	{ 'o', KEY_MODE_ROWS, UI_ACT_SORT },
	{ 'O', KEY_MODE_ROWS | KEY_MODE_STEP | KEY_MODE_SPEED, UI_ACT_SORT },
	{ 'o', KEY_MODE_ROWS | KEY_MODE_INJECT | KEY_MODE_SPEED, UI_ACT_BREAKER_OPEN },
	{ '{', 0, UI_ACT_EVENTS_SCROLL },
	{ 'e', 0, UI_ACT_EVENTS },
	{ '?', 0, UI_ACT_HELP },
	{ 'h', 0, UI_ACT_HELP },
	{ 12, 0, UI_ACT_REDRAW },
	{ 'x', ALL_MODES, UI_ACT_NONE },
	/* Esc: the list's, or in a fleet's instance (with rows or none) the way out. */
	{ UI_KEY_ESC, KEY_MODE_ROWS, UI_ACT_BACK },
	{ UI_KEY_ESC, KEY_MODE_ROWS | KEY_MODE_DRILLED, UI_ACT_UP },
	{ UI_KEY_ESC, KEY_MODE_DRILLED, UI_ACT_UP },
	{ 0, 0, UI_ACT_NONE },
	{ UI_KEY_RESIZE, 0, UI_ACT_NONE },
};

START_TEST(test_find)
{
	const struct key_binding *k = keys_find(find_cases[_i].code, find_cases[_i].modes);

	if (find_cases[_i].action == UI_ACT_NONE) {
		ck_assert_ptr_null(k);
		return;
	}
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->action, find_cases[_i].action);
}
END_TEST

/* Whether a binding before k has its brief keys. */
static bool brief_seen(const struct key_binding *k)
{
	for (const struct key_binding *e = keys_table; e != k; e++)
		if (e->brief != NULL && strcmp(e->brief_keys, k->brief_keys) == 0)
			return true;
	return false;
}

/*
 * --help's list: every brief, in table order, wrapped at the width with the
 * indent; keys bound in several modes once, their briefs joined by "or".
 */
START_TEST(test_brief)
{
	char buf[1024], item[KEYS_BRIEF_ITEM];
	size_t n = keys_format_brief(buf, sizeof(buf), 13, 79);
	const char *at = buf;

	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_int_eq(strncmp(buf, "             keys: q quit, space pause, ", 40), 0);
	ck_assert_ptr_nonnull(strstr(buf, " n next transition or next chapter,"));
	ck_assert_ptr_null(strstr(strstr(buf, " n next") + 1, " n next"));
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		const char *p;

		if (k->brief == NULL || brief_seen(k))
			continue;
		keys_brief_item(k, item, sizeof(item));
		p = strstr(at, item);
		ck_assert_msg(p != NULL, "'%s' missing or out of order in:\n%s", item, buf);
		at = p + strlen(item);
	}
	ck_assert_str_eq(at, "\n");
	for (const char *line = buf; *line != '\0'; line = strchr(line, '\n') + 1) {
		ck_assert_int_le(strchr(line, '\n') - line, 79);
		ck_assert_int_eq(strncmp(line, "             ", 13), 0);
		ck_assert(line[13] != ' ');
	}
}
END_TEST

/* A short buffer gets a cut, terminated list and the length it needed. */
START_TEST(test_brief_cut)
{
	char full[1024], buf[20];
	size_t need = keys_format_brief(full, sizeof(full), 2, 40);

	ck_assert_uint_eq(keys_format_brief(buf, sizeof(buf), 2, 40), need);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert_int_eq(strncmp(buf, full, sizeof(buf) - 1), 0);
	ck_assert_uint_eq(keys_format_brief(NULL, 0, 2, 40), need);
}
END_TEST

/* The key line at a width: the list's entries first, and what gives way when it is narrow. */
static const struct {
	unsigned modes;
	int width;
	const char *line;
} line_cases[] = {
	{ 0, 80, "q quit|space pause|r reset|+/- interval|e events|? help" },
	{ KEY_MODE_SPEED | KEY_MODE_INJECT, 80, "q quit|space pause|</> speed|f/t/l/s faults|e events|? help" },
	{ KEY_MODE_SPEED | KEY_MODE_INJECT, 120,
	  "q quit|space pause|r reset|+/- interval|</> speed|f/t/l/s faults|o/c/a/0 breaker|e events|? help" },
	{ KEY_MODE_ROWS, 80, "Up/Down select|Enter zoom|Tab sort|/ filter|q quit|space pause|? help" },
	{ KEY_MODE_ROWS, 200,
	  "Up/Down select|Enter zoom|Tab sort|/ filter|q quit|space pause|r reset|+/- interval|e events|? help" },
	{ KEY_MODE_ROWS | KEY_MODE_SPEED | KEY_MODE_INJECT, 80,
	  "Up/Down select|Enter zoom|Tab sort|/ filter|q quit|f/t/l/s faults|? help" },
	{ KEY_MODE_ROWS | KEY_MODE_SPEED | KEY_MODE_STEP, 80,
	  "Up/Down select|Enter zoom|Tab sort|/ filter|q quit|space pause|? help" },
	{ KEY_MODE_ROWS | KEY_MODE_SPEED | KEY_MODE_INJECT, 20,
	  "Up/Down select|Enter zoom|Tab sort|/ filter|q quit|? help" },
	/* A demo: its n stays, the fault keys give way to it. */
	{ KEY_MODE_DEMO | KEY_MODE_ROWS | KEY_MODE_SPEED | KEY_MODE_INJECT, 80,
	  "Up/Down select|Enter zoom|Tab sort|/ filter|q quit|n next chapter|? help" },
};

START_TEST(test_line)
{
	const struct key_binding *k[KEYS_LINE_MAX];
	size_t n = keys_line(line_cases[_i].modes, line_cases[_i].width, k, KEYS_LINE_MAX);
	char got[512] = "";
	int width = 1;

	for (size_t i = 0; i < n; i++) {
		size_t o = strlen(got);

		snprintf(got + o, sizeof(got) - o, "%s%s %s", i ? "|" : "", k[i]->brief_keys, k[i]->brief);
		width += (i ? 2 : 0) + (int)strlen(k[i]->brief_keys) + 1 + (int)strlen(k[i]->brief);
	}
	ck_assert_str_eq(got, line_cases[_i].line);
	/* It fits, unless even the entries that always stay do not. */
	ck_assert(width <= line_cases[_i].width || line_cases[_i].width < 80);
	/* A short out array gets the first entries. */
	ck_assert_uint_eq(keys_line(line_cases[_i].modes, line_cases[_i].width, k, 2), n < 2 ? n : 2);
}
END_TEST

static Suite *keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_table_rows_whole);
	tcase_add_test(tc, test_no_key_bound_twice);
	tcase_add_loop_test(tc, test_find, 0, (int)(sizeof(find_cases) / sizeof(find_cases[0])));
	tcase_add_test(tc, test_brief);
	tcase_add_test(tc, test_brief_cut);
	tcase_add_loop_test(tc, test_line, 0, (int)(sizeof(line_cases) / sizeof(line_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(keys_suite());
}
