/*
 * Check suite for the row list's logic (ui/list.h) and its keys
 * (ui_state_key): sort, filter, a selection that follows its row by name,
 * paging and scrolling, zoom and Esc.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "ui/input.h"
#include "ui/keys.h"
#include "ui/list.h"

struct spec {
	const char *name;
	enum target_status status;
	double p99, rps, err;
	enum breaker_state breaker;
	double age;
};

/* The sample of data/samples/upstreams.json, with statuses. */
static const struct spec four[] = {
	{ "chat", STATUS_WARN, 234.1, 120.3, 0.2, BREAKER_CLOSED, 3600 },
	{ "embeddings", STATUS_OK, 48.0, 80.1, 0.0, BREAKER_CLOSED, 3600 },
	{ "search", STATUS_FAIL, 1000, 48.0, 41.2, BREAKER_OPEN, 12 },
	{ "moderation", STATUS_OK, 21.0, 20.0, 0.0, BREAKER_CLOSED, 3600 },
};

static void fill(struct list *l, const struct spec *s, size_t n)
{
	list_begin(l);
	for (size_t i = 0; i < n; i++) {
		struct list_row *r = list_add(l, s[i].name);

		r->status = s[i].status;
		r->p99 = s[i].p99;
		r->p95 = s[i].p99 * 0.9;
		r->p50 = s[i].p99 / 4;
		r->rps = s[i].rps;
		r->err_pct = s[i].err;
		r->breaker = s[i].breaker;
		r->breaker_age_s = s[i].age;
	}
	list_end(l);
}

/* The shown names joined by spaces. */
static const char *order(const struct list *l)
{
	static char buf[1024];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->nshown; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", i ? " " : "", l->shown[i]->name);
	return buf;
}

static const char *selected(const struct list *l)
{
	const struct list_row *r = list_selected(l);

	return r != NULL ? r->name : "(none)";
}

START_TEST(test_new_row_unknown)
{
	struct list l = { 0 };
	struct list_row *r;

	list_begin(&l);
	r = list_add(&l, "x");
	ck_assert_str_eq(r->name, "x");
	ck_assert(isnan(r->p99) && isnan(r->rps) && isnan(r->err_pct) && isnan(r->breaker_age_s));
	ck_assert_int_eq(r->in_flight, -1);
	ck_assert_int_eq(r->status, STATUS_UNKNOWN);
	ck_assert_int_eq(r->breaker, BREAKER_UNKNOWN);
	list_end(&l);
	list_free(&l);
	ck_assert_ptr_null(l.rows);
}
END_TEST

START_TEST(test_worst_first)
{
	struct list l = { 0 };
	static const struct spec s[] = {
		{ "ok-slow", STATUS_OK, 900, 1, 0, BREAKER_CLOSED, 1 },
		{ "unknown", STATUS_UNKNOWN, 10, 1, 0, BREAKER_CLOSED, 1 },
		{ "warn-fast", STATUS_WARN, 100, 1, 0, BREAKER_CLOSED, 1 },
		{ "fail", STATUS_FAIL, 50, 1, 0, BREAKER_OPEN, 1 },
		{ "warn-nodata", STATUS_WARN, NAN, 1, 0, BREAKER_CLOSED, 1 },
		{ "warn-slow", STATUS_WARN, 400, 1, 0, BREAKER_CLOSED, 1 },
		{ "a-warn-slow", STATUS_WARN, 400, 1, 0, BREAKER_CLOSED, 1 },
	};

	fill(&l, s, sizeof(s) / sizeof(s[0]));
	ck_assert_int_eq(l.sort, LIST_SORT_WORST);
	/* Status first; within a status the slowest P99; n/a last; then the name. */
	ck_assert_str_eq(order(&l), "fail a-warn-slow warn-slow warn-fast warn-nodata unknown ok-slow");
	ck_assert_str_eq(selected(&l), "fail");
	list_sort_reverse(&l);
	ck_assert_str_eq(order(&l), "ok-slow unknown warn-fast a-warn-slow warn-slow warn-nodata fail");
	list_free(&l);
}
END_TEST

static const struct {
	enum list_sort sort;
	const char *label, *natural, *reversed;
} sort_cases[] = {
	{ LIST_SORT_WORST, "worst", "search chat embeddings moderation", "moderation embeddings chat search" },
	{ LIST_SORT_NAME, "name", "chat embeddings moderation search", "search moderation embeddings chat" },
	{ LIST_SORT_BREAKER, "breaker", "search chat embeddings moderation", "chat embeddings moderation search" },
	{ LIST_SORT_RPS, "req/s", "chat embeddings search moderation", "moderation search embeddings chat" },
	{ LIST_SORT_P50, "P50", "search chat embeddings moderation", "moderation embeddings chat search" },
	{ LIST_SORT_P95, "P95", "search chat embeddings moderation", "moderation embeddings chat search" },
	{ LIST_SORT_P99, "P99", "search chat embeddings moderation", "moderation embeddings chat search" },
	{ LIST_SORT_ERR, "err %", "search chat embeddings moderation", "embeddings moderation chat search" },
};

START_TEST(test_sort_columns)
{
	struct list l = { 0 };

	fill(&l, four, 4);
	while (l.sort != sort_cases[_i].sort)
		list_sort_next(&l);
	ck_assert_str_eq(list_sort_label(l.sort), sort_cases[_i].label);
	ck_assert(!l.reverse);
	ck_assert_str_eq(order(&l), sort_cases[_i].natural);
	list_sort_reverse(&l);
	ck_assert(l.reverse);
	ck_assert_str_eq(order(&l), sort_cases[_i].reversed);
	list_free(&l);
}
END_TEST

START_TEST(test_sort_cycle)
{
	struct list l = { 0 };

	fill(&l, four, 4);
	list_sort_reverse(&l);
	for (int i = 1; i <= LIST_SORT_COUNT; i++) {
		list_sort_next(&l);
		ck_assert_int_eq(l.sort, i % LIST_SORT_COUNT);
		/* A new column starts in its natural direction. */
		ck_assert(!l.reverse);
	}
	ck_assert(list_sort_descending(LIST_SORT_WORST));
	ck_assert(!list_sort_descending(LIST_SORT_NAME));
	list_free(&l);
}
END_TEST

START_TEST(test_unknown_last_both_ways)
{
	struct list l = { 0 };
	static const struct spec s[] = {
		{ "b", STATUS_OK, NAN, NAN, NAN, BREAKER_UNKNOWN, NAN },
		{ "a", STATUS_OK, 5, 5, 5, BREAKER_CLOSED, 5 },
		{ "c", STATUS_OK, 9, 9, 9, BREAKER_OPEN, NAN },
	};

	fill(&l, s, 3);
	list_sort_next(&l);	/* name */
	for (int i = LIST_SORT_BREAKER; i < LIST_SORT_COUNT; i++) {
		list_sort_next(&l);
		ck_assert_str_eq(order(&l), "c a b");
		list_sort_reverse(&l);
		ck_assert_msg(strcmp(order(&l), "a c b") == 0, "%s reversed: %s", list_sort_label(l.sort),
			      order(&l));
	}
	list_free(&l);
}
END_TEST

START_TEST(test_equal_rows_keep_order)
{
	struct list l = { 0 };
	static const struct spec s[] = {
		{ "d", STATUS_OK, 1, 1, 0, BREAKER_CLOSED, 1 },
		{ "b", STATUS_OK, 1, 1, 0, BREAKER_CLOSED, 1 },
		{ "c", STATUS_OK, 1, 1, 0, BREAKER_CLOSED, 1 },
		{ "a", STATUS_OK, 1, 1, 0, BREAKER_CLOSED, 1 },
	};

	/* Equal figures: by name, whatever the source's order, so rows never swap between frames. */
	fill(&l, s, 4);
	ck_assert_str_eq(order(&l), "a b c d");
	for (int i = 0; i < LIST_SORT_COUNT; i++) {
		list_sort_next(&l);
		ck_assert_str_eq(order(&l), "a b c d");
	}
	list_free(&l);
}
END_TEST

START_TEST(test_filter)
{
	struct list l = { 0 };

	ck_assert(list_filter_matches("", "anything"));
	ck_assert(list_filter_matches("SEA", "search"));
	ck_assert(list_filter_matches("rch", "search"));
	ck_assert(!list_filter_matches("searches", "search"));
	ck_assert(!list_filter_matches("x", ""));
	fill(&l, four, 4);
	list_filter_start(&l);
	ck_assert(l.editing);
	ck_assert(list_filter_type(&l, 'e'));
	ck_assert_str_eq(order(&l), "search embeddings moderation");
	ck_assert(list_filter_type(&l, 'm'));
	ck_assert_str_eq(l.filter, "em");
	ck_assert_str_eq(order(&l), "embeddings");
	ck_assert_str_eq(selected(&l), "embeddings");
	ck_assert(list_filter_type(&l, 'x'));
	ck_assert_uint_eq(l.nshown, 0);
	ck_assert_ptr_null(list_selected(&l));
	ck_assert(!list_zoom(&l));
	ck_assert(list_filter_erase(&l));
	ck_assert_str_eq(order(&l), "embeddings");
	list_filter_done(&l);
	ck_assert(!l.editing);
	ck_assert_str_eq(l.filter, "em");
	/* A new snapshot is filtered too. */
	fill(&l, four, 4);
	ck_assert_str_eq(order(&l), "embeddings");
	/* Clearing it brings every row back, the selection on its row. */
	ck_assert(list_escape(&l));
	ck_assert_str_eq(l.filter, "");
	ck_assert_str_eq(order(&l), "search chat embeddings moderation");
	ck_assert_str_eq(selected(&l), "embeddings");
	ck_assert(!list_escape(&l));
	list_free(&l);
}
END_TEST

START_TEST(test_filter_text)
{
	struct list l = { 0 };
	int n = 0;

	fill(&l, four, 4);
	ck_assert(!list_filter_erase(&l));
	ck_assert(!list_filter_type(&l, '\t'));
	ck_assert(!list_filter_type(&l, 0x7f));
	ck_assert(!list_filter_type(&l, 0x110003));	/* an arrow key's code */
	/* UTF-8 typed byte by byte; Backspace takes the whole character. */
	ck_assert(list_filter_type(&l, 'a'));
	ck_assert(list_filter_type(&l, 0xc3));
	ck_assert(list_filter_type(&l, 0xa9));
	ck_assert_str_eq(l.filter, "a\xc3\xa9");
	ck_assert(list_filter_erase(&l));
	ck_assert_str_eq(l.filter, "a");
	while (list_filter_type(&l, 'z'))
		n++;
	ck_assert_int_eq(n, LIST_FILTER_LEN - 2);
	ck_assert_uint_eq(strlen(l.filter), LIST_FILTER_LEN - 1);
	list_filter_clear(&l);
	ck_assert_str_eq(l.filter, "");
	ck_assert_uint_eq(l.nshown, 4);
	list_free(&l);
}
END_TEST

START_TEST(test_selection_follows_its_row)
{
	struct list l = { 0 };
	struct spec s[4];

	memcpy(s, four, sizeof(s));
	fill(&l, s, 4);
	ck_assert_str_eq(order(&l), "search chat embeddings moderation");
	ck_assert(list_move(&l, 1));
	ck_assert_str_eq(selected(&l), "chat");
	ck_assert_uint_eq(l.sel, 1);
	/* chat recovers and embeddings turns worse: chat moves down, the selection with it. */
	s[0].status = STATUS_OK;
	s[1].status = STATUS_FAIL;
	fill(&l, s, 4);
	ck_assert_str_eq(order(&l), "search embeddings chat moderation");
	ck_assert_str_eq(selected(&l), "chat");
	ck_assert_uint_eq(l.sel, 2);
	/* A new sort order too. */
	list_sort_next(&l);
	ck_assert_str_eq(order(&l), "chat embeddings moderation search");
	ck_assert_uint_eq(l.sel, 0);
	ck_assert_str_eq(selected(&l), "chat");
	list_free(&l);
}
END_TEST

START_TEST(test_selection_row_gone)
{
	struct list l = { 0 };

	fill(&l, four, 4);
	ck_assert(list_move(&l, 2));
	ck_assert_str_eq(selected(&l), "embeddings");
	/* embeddings leaves the snapshot: the selection stays at its place. */
	fill(&l, (const struct spec[]){ four[0], four[2], four[3] }, 3);
	ck_assert_str_eq(order(&l), "search chat moderation");
	ck_assert_uint_eq(l.sel, 2);
	ck_assert_str_eq(selected(&l), "moderation");
	/* The last rows go: the selection stays on the last one there is. */
	fill(&l, four, 1);
	ck_assert_str_eq(selected(&l), "chat");
	/* No rows at all, then rows again. */
	fill(&l, four, 0);
	ck_assert_ptr_null(list_selected(&l));
	ck_assert(!list_move(&l, 1));
	fill(&l, four, 4);
	ck_assert_str_eq(selected(&l), "chat");
	list_free(&l);
}
END_TEST

/* n rows named r000 .. r(n-1), worst first in name order. */
static void fill_many(struct list *l, int n)
{
	list_begin(l);
	for (int i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "r%03d", i);
		list_add(l, name)->p99 = 1000 - i;
	}
	list_end(l);
}

START_TEST(test_paging)
{
	struct list l = { 0 };

	fill_many(&l, 100);
	list_set_page(&l, 10);
	ck_assert_str_eq(selected(&l), "r000");
	ck_assert(!list_move(&l, -1));
	ck_assert(!list_move(&l, LIST_HOME));
	ck_assert(list_move(&l, LIST_PAGE_DOWN));
	ck_assert_uint_eq(l.sel, 10);
	ck_assert_uint_eq(l.top, 1);	/* the selection is the last row on screen */
	ck_assert(list_move(&l, LIST_PAGE_DOWN));
	ck_assert_uint_eq(l.sel, 20);
	ck_assert_uint_eq(l.top, 11);
	ck_assert(list_move(&l, LIST_PAGE_UP));
	ck_assert_uint_eq(l.sel, 10);
	ck_assert_uint_eq(l.top, 10);
	ck_assert(list_move(&l, 3));
	ck_assert_uint_eq(l.sel, 13);
	ck_assert_uint_eq(l.top, 10);
	ck_assert(list_move(&l, LIST_END));
	ck_assert_uint_eq(l.sel, 99);
	ck_assert_uint_eq(l.top, 90);
	ck_assert(!list_move(&l, 1));
	ck_assert(!list_move(&l, LIST_PAGE_DOWN));
	ck_assert(list_move(&l, LIST_PAGE_UP));
	ck_assert_uint_eq(l.sel, 89);
	ck_assert_uint_eq(l.top, 89);
	ck_assert(list_move(&l, LIST_HOME));
	ck_assert_uint_eq(l.sel, 0);
	ck_assert_uint_eq(l.top, 0);
	ck_assert(list_move(&l, 5));
	ck_assert(list_move(&l, LIST_PAGE_UP));
	ck_assert_uint_eq(l.sel, 0);
	ck_assert_str_eq(selected(&l), "r000");
	list_free(&l);
}
END_TEST

START_TEST(test_scroll_follows_selection)
{
	struct list l = { 0 };

	fill_many(&l, 100);
	list_set_page(&l, 10);
	ck_assert(list_move(&l, 50));
	ck_assert_uint_eq(l.top, 41);
	/* Reversed, r050 is at 49: still on screen, the screen moves with it. */
	list_sort_reverse(&l);
	ck_assert_uint_eq(l.sel, 49);
	ck_assert(l.top <= 49 && 49 < l.top + 10);
	/* A taller screen shows more rows, and never blank ones under the last. */
	ck_assert(list_move(&l, LIST_END));
	list_set_page(&l, 30);
	ck_assert_uint_eq(l.top, 70);
	/* The list shrinks under the scroll: no blank rows either. */
	fill_many(&l, 40);
	ck_assert_uint_eq(l.nshown, 40);
	ck_assert_uint_eq(l.top, 10);
	ck_assert(l.sel >= l.top && l.sel < l.top + 30);
	/* A page taller than the list. */
	list_set_page(&l, 60);
	ck_assert_uint_eq(l.top, 0);
	list_set_page(&l, 0);
	ck_assert_uint_eq(l.page, 1);
	ck_assert_uint_eq(l.top, l.sel);
	list_free(&l);
}
END_TEST

START_TEST(test_zoom_and_escape)
{
	struct list l = { 0 };

	ck_assert(!list_zoom(&l));
	fill(&l, four, 4);
	ck_assert(!list_escape(&l));
	ck_assert(list_move(&l, 1));
	ck_assert(list_zoom(&l));
	ck_assert(l.zoomed);
	ck_assert_str_eq(selected(&l), "chat");
	/* Zoomed and filtered: Esc goes back to the whole router first, then clears. */
	list_filter_start(&l);
	list_filter_type(&l, 'c');
	list_filter_done(&l);
	ck_assert(list_escape(&l));
	ck_assert(!l.zoomed);
	ck_assert_str_eq(l.filter, "c");
	ck_assert(list_escape(&l));
	ck_assert_str_eq(l.filter, "");
	ck_assert(!list_escape(&l));
	list_free(&l);
}
END_TEST

/* Keys: the list's, while it has rows; nothing without. */
START_TEST(test_keys_with_rows)
{
	struct ui_state st = { .interval_ms = 1000 };

	ck_assert_int_eq(ui_state_key(&st, UI_KEY_DOWN), UI_ACT_NONE);
	ck_assert_int_eq(ui_state_key(&st, '\t'), UI_ACT_NONE);
	ck_assert_int_eq(ui_state_key(&st, '/'), UI_ACT_NONE);
	ck_assert_int_eq(ui_state_key(&st, '\r'), UI_ACT_NONE);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_ESC), UI_ACT_NONE);
	ck_assert(!st.list.editing);
	fill(&st.list, four, 4);
	st.modes = KEY_MODE_ROWS;	/* as ui.c sets it when the snapshot has rows */
	list_set_page(&st.list, 2);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_UP), UI_ACT_NONE);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_DOWN), UI_ACT_SELECT);
	ck_assert_str_eq(selected(&st.list), "chat");
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_END), UI_ACT_SELECT);
	ck_assert_str_eq(selected(&st.list), "moderation");
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_PGUP), UI_ACT_SELECT);
	ck_assert_str_eq(selected(&st.list), "chat");
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_PGDN), UI_ACT_SELECT);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_HOME), UI_ACT_SELECT);
	ck_assert_str_eq(selected(&st.list), "search");
	ck_assert_int_eq(ui_state_key(&st, '\r'), UI_ACT_ZOOM);
	ck_assert(st.list.zoomed);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_ENTER), UI_ACT_ZOOM);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_ESC), UI_ACT_BACK);
	ck_assert(!st.list.zoomed);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_ESC), UI_ACT_NONE);
	ck_assert_int_eq(ui_state_key(&st, '\t'), UI_ACT_SORT);
	ck_assert_int_eq(st.list.sort, LIST_SORT_NAME);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_BTAB), UI_ACT_SORT);
	ck_assert(st.list.reverse);
	/* Other keys keep their meaning. */
	ck_assert_int_eq(ui_state_key(&st, ' '), UI_ACT_PAUSE);
	ck_assert_int_eq(ui_state_key(&st, 'f'), UI_ACT_FAULT_FAILURE);
	/* Without fault keys o and O sort too; on the simulator o is its breaker's. */
	ck_assert_int_eq(ui_state_key(&st, 'o'), UI_ACT_SORT);
	ck_assert_int_eq(st.list.sort, LIST_SORT_BREAKER);
	ck_assert(!st.list.reverse);
	ck_assert_int_eq(ui_state_key(&st, 'O'), UI_ACT_SORT);
	ck_assert(st.list.reverse);
	st.modes |= KEY_MODE_INJECT;
	ck_assert_int_eq(ui_state_key(&st, 'o'), UI_ACT_BREAKER_OPEN);
	ck_assert_int_eq(st.list.sort, LIST_SORT_BREAKER);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_LEFT), UI_ACT_SEEK_BACK);
	list_free(&st.list);
}
END_TEST

START_TEST(test_keys_typing_a_filter)
{
	struct ui_state st = { .interval_ms = 1000, .modes = KEY_MODE_ROWS };

	fill(&st.list, four, 4);
	ck_assert_int_eq(ui_state_key(&st, '/'), UI_ACT_FILTER);
	ck_assert(st.list.editing);
	/* While typing, q and space are text, not quit and pause. */
	ck_assert_int_eq(ui_state_key(&st, 'q'), UI_ACT_FILTER);
	ck_assert_int_eq(ui_state_key(&st, ' '), UI_ACT_FILTER);
	ck_assert_str_eq(st.list.filter, "q ");
	ck_assert(!st.paused);
	ck_assert_uint_eq(st.list.nshown, 0);
	ck_assert_int_eq(ui_state_key(&st, 127), UI_ACT_FILTER);
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_BACKSPACE), UI_ACT_FILTER);
	ck_assert_int_eq(ui_state_key(&st, 8), UI_ACT_NONE);	/* nothing left to erase */
	ck_assert_int_eq(ui_state_key(&st, 'H'), UI_ACT_FILTER);
	ck_assert_str_eq(order(&st.list), "search chat");
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_DOWN), UI_ACT_SELECT);
	ck_assert_str_eq(selected(&st.list), "chat");
	ck_assert_int_eq(ui_state_key(&st, 12), UI_ACT_REDRAW);
	ck_assert_int_eq(ui_state_key(&st, '\r'), UI_ACT_FILTER);
	ck_assert(!st.list.editing);
	ck_assert_str_eq(st.list.filter, "H");
	ck_assert_int_eq(ui_state_key(&st, 'q'), UI_ACT_QUIT);
	/* / again extends the filter; Esc while typing clears it. */
	ck_assert_int_eq(ui_state_key(&st, '/'), UI_ACT_FILTER);
	ck_assert_int_eq(ui_state_key(&st, 'a'), UI_ACT_FILTER);
	ck_assert_str_eq(order(&st.list), "chat");
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_ESC), UI_ACT_FILTER);
	ck_assert(!st.list.editing);
	ck_assert_str_eq(st.list.filter, "");
	ck_assert_uint_eq(st.list.nshown, 4);
	ck_assert_str_eq(selected(&st.list), "chat");
	list_free(&st.list);
}
END_TEST

START_TEST(test_keys_help_first)
{
	struct ui_state st = { .interval_ms = 1000, .modes = KEY_MODE_ROWS };

	fill(&st.list, four, 4);
	ck_assert_int_eq(ui_state_key(&st, '?'), UI_ACT_REDRAW);
	ck_assert(st.help);
	/* The help open, a list key only closes it. */
	ck_assert_int_eq(ui_state_key(&st, UI_KEY_DOWN), UI_ACT_REDRAW);
	ck_assert(!st.help);
	ck_assert_str_eq(selected(&st.list), "search");
	list_free(&st.list);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("list");
	TCase *tc = tcase_create("list");
	TCase *tk = tcase_create("keys");

	tcase_add_test(tc, test_new_row_unknown);
	tcase_add_test(tc, test_worst_first);
	tcase_add_loop_test(tc, test_sort_columns, 0, (int)(sizeof(sort_cases) / sizeof(sort_cases[0])));
	tcase_add_test(tc, test_sort_cycle);
	tcase_add_test(tc, test_unknown_last_both_ways);
	tcase_add_test(tc, test_equal_rows_keep_order);
	tcase_add_test(tc, test_filter);
	tcase_add_test(tc, test_filter_text);
	tcase_add_test(tc, test_selection_follows_its_row);
	tcase_add_test(tc, test_selection_row_gone);
	tcase_add_test(tc, test_paging);
	tcase_add_test(tc, test_scroll_follows_selection);
	tcase_add_test(tc, test_zoom_and_escape);
	tcase_add_test(tk, test_keys_with_rows);
	tcase_add_test(tk, test_keys_typing_a_filter);
	tcase_add_test(tk, test_keys_help_first);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tk);
	return check_run_suite(s);
}
