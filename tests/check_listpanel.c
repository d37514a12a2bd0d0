/*
 * Check suite for the screen with rows: hand-built views with a row list
 * drawn at 80x24, 100x30, 120x40 and 200x60 and read back as text and
 * roles; and view.c filling the list (and the zoom) from a monitor fed
 * data/samples/upstreams.json.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "screen_read.h"
#include "monitor.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/list.h"
#include "ui/listpanel.h"
#include "ui/panels.h"
#include "ui/view.h"

static const struct {
	int w, h;
} sizes[] = { { 80, 24 }, { 100, 30 }, { 120, 40 }, { 200, 60 } };
#define NSIZES ((int)(sizeof(sizes) / sizeof(sizes[0])))

/* The sample's four upstreams, worst first, with their statuses. */
static struct list_row four[4];
static const struct list_row *four_order[4];

static void four_rows(void)
{
	static const struct {
		const char *name;
		enum breaker_state b;
		double age, rps, p50, p95, p99, err;
		enum target_status st;
	} s[] = {
		{ "search", BREAKER_OPEN, 12, 48.0, 31.0, 980.0, 1000, 41.2, STATUS_FAIL },
		{ "chat", BREAKER_CLOSED, 3600, 120.3, 45.2, 125.7, 234.1, 0.2, STATUS_WARN },
		{ "embeddings", BREAKER_HALF_OPEN, 3, 80.1, 12.0, 30.4, 48.0, 0.0, STATUS_OK },
		{ "moderation", BREAKER_UNKNOWN, NAN, 20.0, 8.1, 15.2, 21.0, NAN, STATUS_UNKNOWN },
	};

	for (int i = 0; i < 4; i++) {
		struct list_row *r = &four[i];

		memset(r, 0, sizeof(*r));
		snprintf(r->name, sizeof(r->name), "%s", s[i].name);
		r->breaker = s[i].b;
		r->breaker_age_s = s[i].age;
		r->rps = s[i].rps;
		r->p50 = s[i].p50;
		r->p90 = s[i].p95 * 0.8;
		r->p95 = s[i].p95;
		r->p99 = s[i].p99;
		r->p999 = s[i].p99;
		r->max = s[i].p99 + 1;
		r->avg = s[i].p50;
		r->err_pct = s[i].err;
		r->in_flight = 7;
		r->status = s[i].st;
		r->st_p95 = r->st_p99 = r->st_rps = r->st_err = s[i].st;
		four_order[i] = r;
	}
}

static void base_view(struct view *v, bool utf8)
{
	view_init(v);
	snprintf(v->program, sizeof(v->program), "routertop 0.1.0");
	snprintf(v->source, sizeof(v->source), "exec: cat upstreams.json");
	snprintf(v->clock, sizeof(v->clock), "12:04:31");
	v->interval_ms = 1000;
	v->marker = MARK_LIVE;
	v->utf8 = utf8;
	v->has_data = true;
	v->update_age_s = 0.5;
	v->snap.latency = (struct metrics_latency){ .p50 = 38, .p90 = 120.4, .p95 = 240.3, .p99 = 990,
		.p999 = NAN, .max = 1000, .min = 2.9, .avg = 81.2, .count = 16104 };
	v->snap.breaker.state = BREAKER_OPEN;
}

static void list_view(struct view *v, bool utf8)
{
	base_view(v, utf8);
	four_rows();
	v->list.on = true;
	snprintf(v->list.noun, sizeof(v->list.noun), "upstream");
	v->list.rows = four_order;
	v->list.nrows = v->list.total = 4;
	v->key_modes = KEY_MODE_ROWS;	/* as ui.c sets it for a source with rows */
}

START_TEST(test_list_shown)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);
	int heads;

	list_view(&v, true);
	panels_draw(c, &v);
	heads = screen_line_of(c, "UPSTREAM");
	ck_assert_int_eq(heads, 1);
	for (const char *const *t = (const char *const[]){ "BREAKER", "req/s", "P50", "P95", "P99",
							     "err %", "▼STATUS", NULL }; *t; t++)
		ck_assert_msg(strstr(screen_row(c, heads), *t) != NULL, "head '%s' missing: %s", *t, screen_row(c, heads));
	/* Worst first as given, the selection marked and in reverse. */
	ck_assert_int_eq(screen_line_of(c, "▸search"), 2);
	ck_assert(screen_cell_of(c, "search")->attr & ATTR_REVERSE);
	ck_assert(!(screen_cell_of(c, "chat")->attr & ATTR_REVERSE));
	ck_assert_int_eq(screen_line_of(c, " chat"), 3);
	ck_assert_int_eq(screen_line_of(c, " embeddings"), 4);
	ck_assert_int_eq(screen_line_of(c, " moderation"), 5);
	/* Each status and breaker state has its word besides its colour. */
	ck_assert(strstr(screen_row(c, 2), "● OPEN") && strstr(screen_row(c, 2), "12s") && strstr(screen_row(c, 2), "FAIL"));
	ck_assert(strstr(screen_row(c, 3), "● CLOSED") && strstr(screen_row(c, 3), "1h00m") && strstr(screen_row(c, 3), "WARN"));
	ck_assert(strstr(screen_row(c, 4), "● HALF-OPEN") && strstr(screen_row(c, 4), "3s") && strstr(screen_row(c, 4), " OK"));
	ck_assert(strstr(screen_row(c, 5), "n/a"));
	ck_assert_int_eq(screen_cell_of(c, "WARN")->role, ROLE_WARN);
	ck_assert_int_eq(screen_cell_of(c, " OK")[1].role, ROLE_OK);
	ck_assert_int_eq(screen_cell_of(c, "HALF-OPEN")->role, ROLE_BREAKER_HALF);
	ck_assert_int_eq(screen_cell_of(c, "CLOSED")->role, ROLE_BREAKER_CLOSED);
	/* Figures with the decimals the panels give them: whole ms from 1000 up, error rates with two. */
	ck_assert(strstr(screen_row(c, 2), "980.0") && strstr(screen_row(c, 2), " 1000 ") &&
		  !strstr(screen_row(c, 2), "1000.0") && strstr(screen_row(c, 2), "41.20"));
	ck_assert(strstr(screen_row(c, 3), "120.3") && strstr(screen_row(c, 3), "234.1") &&
		  strstr(screen_row(c, 3), "0.20"));
	ck_assert_int_eq(screen_cell_of(c, "234.1")->role, ROLE_WARN);
	/* The panels under it still show P95, P99, the breaker and the targets. */
	ck_assert(screen_contains(c, "Latency ms"));
	ck_assert(screen_contains(c, "P95  240.3"));
	ck_assert(screen_contains(c, "P99  990.0"));
	ck_assert(screen_contains(c, "Circuit breaker"));
	ck_assert(screen_contains(c, "Targets"));
	ck_assert(screen_contains(c, "overall"));
	ck_assert(screen_contains(c, "upstream 1 of 4"));
	/* Nothing runs past the right edge's blank column on the list's lines. */
	for (int y = 1; y <= 5; y++)
		ck_assert_str_eq(canvas_cell(c, c->w - 1, y)->glyph, " ");
	canvas_free(c);
}
END_TEST

/* How many of the 1,000 rows show, and whether the full panels fit under them. */
static const struct {
	int w, h;
	size_t total, page;
	bool full;
} height_cases[] = {
	{ 80, 24, 1000, 6, false },
	{ 80, 24, 4, 4, false },
	{ 80, 24, 1, 1, false },
	{ 80, 30, 1000, 12, false },
	{ 80, 34, 1000, 16, false },
	{ 80, 35, 1000, 10, true },
	{ 120, 40, 1000, 15, true },
	{ 120, 40, 4, 4, true },
	{ 200, 60, 1000, 35, true },
	{ 200, 60, 30, 30, true },
	{ 200, 60, 0, 1, true },
};

START_TEST(test_rows_by_height)
{
	static struct list_row rows[1000];
	static const struct list_row *order[1000];
	struct view v;
	size_t total = height_cases[_i].total, page = height_cases[_i].page;
	struct canvas *c = canvas_new(height_cases[_i].w, height_cases[_i].h);
	char name[48];

	base_view(&v, true);
	for (size_t i = 0; i < total; i++) {
		memset(&rows[i], 0, sizeof(rows[i]));
		snprintf(rows[i].name, sizeof(rows[i].name), "row%04zu", i);
		rows[i].p99 = NAN;
		order[i] = &rows[i];
	}
	v.list.on = true;
	snprintf(v.list.noun, sizeof(v.list.noun), "cluster");
	v.list.rows = order;
	v.list.nrows = v.list.total = total;
	v.list.sel = total > 0 ? total - 1 : 0;
	v.list.top = total > page ? total - page : 0;
	ck_assert_uint_eq(panels_list_page(c->w, c->h, total, false), page);
	panels_draw(c, &v);
	ck_assert_int_eq(screen_line_of(c, "CLUSTER"), 1);
	if (total > 0) {
		/* The last page: its first row right under the heads, the last row and the selection last. */
		snprintf(name, sizeof(name), "%srow%04zu", page > 1 ? " " : "▸", total - page);
		ck_assert_int_eq(screen_line_of(c, name), 2);
		snprintf(name, sizeof(name), "▸row%04zu", total - 1);
		ck_assert_int_eq(screen_line_of(c, name), 1 + (int)page);
		if (total > page) {
			snprintf(name, sizeof(name), "row%04zu", total - page - 1);
			ck_assert(!screen_contains(c, name));
		}
	} else {
		ck_assert(screen_contains(c, "no clusters in this snapshot"));
	}
	/* The panels start right under the list, and take the rest of the screen. */
	ck_assert_int_eq(screen_line_of(c, "Latency ms"), 2 + (int)page);
	ck_assert_int_eq(screen_contains(c, "System"), height_cases[_i].full);
	ck_assert_int_eq(screen_contains(c, "Throughput"), height_cases[_i].full);
	ck_assert(screen_contains(c, "P99"));
	ck_assert(screen_contains(c, "Circuit breaker"));
	ck_assert(screen_contains(c, "Targets"));
	ck_assert(strstr(screen_row(c, c->h - 2), "│") == NULL);
	canvas_free(c);
}
END_TEST

START_TEST(test_columns_by_width)
{
	static const struct {
		int w;
		const char *shown[6], *hidden[6];
	} cases[] = {
		{ 80, { "P50", "P95", "P99", "err %", NULL }, { "P90", " max", " avg", "in flight", "P99.9", NULL } },
		{ 100, { "P90", " max", NULL }, { " avg", "in flight", "P99.9", NULL } },
		{ 120, { "P90", " max", " avg", "in flight", "P99.9", NULL }, { NULL } },
	};
	struct view v;

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct canvas *c = canvas_new(cases[k].w, 30);
		const char *heads;

		list_view(&v, true);
		panels_draw(c, &v);
		heads = screen_row(c, 1);
		for (int i = 0; cases[k].shown[i] != NULL; i++)
			ck_assert_msg(strstr(heads, cases[k].shown[i]) != NULL, "%d: '%s' missing: %s",
				      cases[k].w, cases[k].shown[i], heads);
		for (int i = 0; cases[k].hidden[i] != NULL; i++)
			ck_assert_msg(strstr(heads, cases[k].hidden[i]) == NULL, "%d: '%s' shown: %s",
				      cases[k].w, cases[k].hidden[i], heads);
		/* Every head is over its values: P99's last column over search's 1000. */
		ck_assert_int_eq(screen_columns(screen_row(c, 1), (size_t)(strstr(screen_row(c, 1), "P99") - screen_row(c, 1))) + 2,
				 screen_columns(screen_row(c, 2), (size_t)(strstr(screen_row(c, 2), "1000") - screen_row(c, 2))) + 3);
		canvas_free(c);
	}
}
END_TEST

START_TEST(test_long_names)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);

	list_view(&v, true);
	snprintf(four[1].name, sizeof(four[1].name), "a-very-long-upstream-name-from-a-mesh.svc.cluster.local");
	panels_draw(c, &v);
	/* Cut, and marked as cut; the columns after it stay in place. */
	ck_assert(screen_contains(c, " a-very-long-up… "));
	ck_assert(strstr(screen_row(c, 3), "● CLOSED") != NULL);
	ck_assert_int_eq(screen_columns(screen_row(c, 3), (size_t)(strstr(screen_row(c, 3), "●") - screen_row(c, 3))),
			 screen_columns(screen_row(c, 2), (size_t)(strstr(screen_row(c, 2), "●") - screen_row(c, 2))));
	canvas_free(c);
	/* Wider: the name column grows to show it whole. */
	c = canvas_new(200, 60);
	panels_draw(c, &v);
	ck_assert(screen_contains(c, " a-very-long-upstream-name-from-a-mesh.svc.cluster.local "));
	canvas_free(c);
}
END_TEST

START_TEST(test_sort_marks)
{
	static const struct {
		enum list_sort sort;
		bool reverse;
		const char *mark;
	} cases[] = {
		{ LIST_SORT_WORST, false, "▼STATUS" }, { LIST_SORT_WORST, true, "▲STATUS" },
		{ LIST_SORT_NAME, false, "▲UPSTREAM" }, { LIST_SORT_NAME, true, "▼UPSTREAM" },
		{ LIST_SORT_BREAKER, false, "▼BREAKER" }, { LIST_SORT_RPS, false, "▼req/s" },
		{ LIST_SORT_P50, false, "▼P50" }, { LIST_SORT_P95, true, "▲P95" },
		{ LIST_SORT_P99, false, "▼P99" }, { LIST_SORT_ERR, false, "▼err %" },
	};
	struct view v;
	struct canvas *c = canvas_new(80, 24);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		list_view(&v, true);
		v.list.sort = cases[i].sort;
		v.list.reverse = cases[i].reverse;
		panels_draw(c, &v);
		ck_assert_msg(strstr(screen_row(c, 1), cases[i].mark) != NULL, "'%s' missing: %s", cases[i].mark,
			      screen_row(c, 1));
		ck_assert_int_eq(screen_cell_of(c, cases[i].mark)->role, ROLE_TITLE);
		/* One mark only. */
		ck_assert_ptr_null(strstr(strstr(screen_row(c, 1), cases[i].mark) + 3, cases[i].reverse ? "▲" : "▼"));
	}
	canvas_free(c);
}
END_TEST

START_TEST(test_filter_shown)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);

	list_view(&v, true);
	snprintf(v.list.filter, sizeof(v.list.filter), "sea");
	v.list.editing = true;
	v.list.nrows = 1;
	panels_draw(c, &v);
	ck_assert(strstr(screen_row(c, 1), "UPSTREAM /sea ") != NULL);
	ck_assert(screen_cell_of(c, "/sea ")[4].attr & ATTR_REVERSE);	/* the cursor */
	ck_assert(screen_contains(c, "filter /sea: 1 of 4 upstreams match   Enter keeps it, Esc clears it"));
	ck_assert_int_eq(screen_line_of(c, "filter /sea"), c->h - 2);
	/* Kept: no cursor, and the status line counts the matches. */
	v.list.editing = false;
	panels_draw(c, &v);
	ck_assert(strstr(screen_row(c, 1), "UPSTREAM /sea ") != NULL);
	ck_assert(!(screen_cell_of(c, "/sea ")[4].attr & ATTR_REVERSE));
	ck_assert(screen_contains(c, "1 of 4 upstreams match /sea"));
	/* Nothing matches. */
	snprintf(v.list.filter, sizeof(v.list.filter), "xyz");
	v.list.nrows = 0;
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "no upstream matches /xyz (Esc clears the filter)"));
	ck_assert(screen_contains(c, "Latency ms"));
	/* A long filter shows its end, where the typing goes. */
	snprintf(v.list.filter, sizeof(v.list.filter), "abcdefghijklmnopqrstuvwxyz");
	v.list.editing = true;
	panels_draw(c, &v);
	ck_assert(strstr(screen_row(c, 1), "UPSTREAM /…") != NULL);
	ck_assert(strstr(screen_row(c, 1), "xyz ") != NULL);
	canvas_free(c);
}
END_TEST

START_TEST(test_zoom_titles)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);

	list_view(&v, true);
	panels_draw(c, &v);
	ck_assert(!screen_contains(c, "search ·"));
	snprintf(v.zoom, sizeof(v.zoom), "search");
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "┌ search · Latency ms"));
	ck_assert(screen_contains(c, "search · Circuit breaker"));
	ck_assert(screen_contains(c, "search · Targets"));
	/* The whole router's titles are never taken for the row's. */
	ck_assert(!screen_contains(c, "┌ Latency ms"));
	ck_assert(!screen_contains(c, "┌ Targets"));
	snprintf(v.zoom, sizeof(v.zoom), "a-very-long-upstream-name-from-a-mesh");
	panels_draw(c, &v);
	ck_assert(screen_contains(c, "┌ a-very-long-upstrea… · Latency ms"));
	ck_assert(screen_contains(c, "┌ a-very-long-upstrea… · Targets"));
	canvas_free(c);
}
END_TEST

START_TEST(test_list_ascii)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);

	list_view(&v, false);
	snprintf(four[1].name, sizeof(four[1].name), "a-very-long-upstream-name");
	panels_draw(c, &v);
	ck_assert(screen_contains(c, ">search"));
	ck_assert(screen_contains(c, "* OPEN"));
	ck_assert(screen_contains(c, "vSTATUS"));
	ck_assert(screen_contains(c, " a-very-long-up~ "));
	ck_assert(screen_contains(c, " Up/Down select  Enter zoom  Tab sort  / filter  q quit"));
	for (int y = 0; y < c->h; y++)
		for (const char *p = screen_row(c, y); *p; p++)
			if ((unsigned char)*p >= 0x80) {
				/* Only border cells (drawn by the terminal's line characters) are not ASCII. */
				ck_assert_msg(strstr(screen_row(c, y), "│") || strstr(screen_row(c, y), "─"),
					      "line %d: %s", y, screen_row(c, y));
				break;
			}
	canvas_free(c);
}
END_TEST

START_TEST(test_noun)
{
	struct view v;
	struct canvas *c = canvas_new(80, 24);

	list_view(&v, true);
	snprintf(v.list.noun, sizeof(v.list.noun), "instance");
	v.list.sel = 2;
	panels_draw(c, &v);
	ck_assert_int_eq(screen_line_of(c, "INSTANCE"), 1);
	ck_assert(screen_contains(c, "instance 3 of 4"));
	ck_assert_int_eq(screen_line_of(c, "▸embeddings"), 4);
	canvas_free(c);
}
END_TEST

START_TEST(test_key_line)
{
	struct view v;
	struct canvas *c = canvas_new(sizes[_i].w, sizes[_i].h);

	list_view(&v, true);
	panels_draw(c, &v);
	ck_assert_int_eq(screen_line_of(c, " Up/Down select  Enter zoom  Tab sort  / filter  q quit  space pause"),
			 c->h - 1);
	ck_assert(screen_contains(c, "? help"));
	/* Zoomed, the status line says how to go back. */
	snprintf(v.zoom, sizeof(v.zoom), "search");
	panels_draw(c, &v);
	ck_assert_int_eq(screen_line_of(c, "upstream 1 of 4, zoomed (Esc: the whole router)"), c->h - 2);
	/* Without rows, today's key line. */
	base_view(&v, true);
	panels_draw(c, &v);
	ck_assert(!screen_contains(c, "select"));
	ck_assert(screen_contains(c, " q quit  space pause  r reset  +/- interval  e events  ? help"));
	canvas_free(c);
}
END_TEST

/* The help overlay lists the list's keys, and fits 80x24 with every other key that applies. */
static const unsigned help_modes[] = {
	KEY_MODE_ROWS, KEY_MODE_ROWS | KEY_MODE_SPEED | KEY_MODE_INJECT,
	KEY_MODE_ROWS | KEY_MODE_STEP | KEY_MODE_SPEED,
};

START_TEST(test_help_with_rows)
{
	static const char *const lines[] = {
		"Up, Down   select the row above or below", "PgUp, PgDn move the selection a screenful",
		"Home, End  select the first or the last row", "Enter      zoom the panels to the selected row",
		"Esc        whole router again; clears a filter", "Tab, S-Tab sort by the next column; S-Tab reverses",
		"/          filter rows by name (Esc clears)", "q          quit", "?          this help",
		"any key closes this help",
	};
	struct view v;
	struct canvas *c = canvas_new(80, 24);
	int top, bottom = -1;

	list_view(&v, true);
	v.key_modes = help_modes[_i];
	v.help = true;
	panels_draw(c, &v);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		/* In a recording Home and End go to its ends: the help says that instead. */
		if ((help_modes[_i] & KEY_MODE_STEP) && strncmp(lines[i], "Home, End", 9) == 0) {
			ck_assert(screen_contains(c, "Home, End  the first or the last snapshot (g, G)"));
			ck_assert(!screen_contains(c, lines[i]));
			continue;
		}
		ck_assert_msg(screen_contains(c, lines[i]), "modes %#x: '%s' missing", help_modes[_i], lines[i]);
	}
	/* The whole box on the screen: its top, every line, its bottom. */
	top = screen_line_of(c, "┌ Keys");
	for (int y = top + 1; y < c->h; y++)
		if (strstr(screen_row(c, y), "└──────") != NULL && canvas_cell(c, 12, y)->line == LINE_LL) {
			bottom = y;
			break;
		}
	ck_assert_msg(bottom > screen_line_of(c, "any key closes"), "modes %#x: no bottom under the help", help_modes[_i]);
	/* Without rows, no list keys. */
	base_view(&v, true);
	v.help = true;
	panels_draw(c, &v);
	ck_assert(!screen_contains(c, "Up, Down"));
	ck_assert(screen_contains(c, "any key closes"));
	canvas_free(c);
}
END_TEST

START_TEST(test_no_rows_is_todays_screen)
{
	struct view v;
	struct canvas *a = canvas_new(80, 24), *b = canvas_new(80, 24);

	base_view(&v, true);
	panels_draw(a, &v);
	ck_assert(!screen_contains(a, "UPSTREAM"));
	ck_assert_int_eq(screen_line_of(a, "Latency ms"), 1);
	ck_assert(screen_contains(a, "System"));
	ck_assert(screen_contains(a, "Throughput"));
	/* A list that is not on changes nothing. */
	four_rows();
	v.list.rows = four_order;
	v.list.nrows = 4;
	panels_draw(b, &v);
	for (int y = 0; y < 24; y++)
		ck_assert_str_eq(screen_row(a, y), screen_row(b, y));
	canvas_free(a);
	canvas_free(b);
}
END_TEST

START_TEST(test_fmt_age)
{
	static const struct {
		double s;
		const char *text;
	} cases[] = {
		{ NAN, "" }, { -1, "" }, { 0, "0s" }, { 0.9, "0s" }, { 42, "42s" }, { 59.9, "59s" },
		{ 60, "1m00s" }, { 252, "4m12s" }, { 599, "9m59s" }, { 600, "10m" }, { 3599, "59m" },
		{ 3600, "1h00m" }, { 11100, "3h05m" }, { 35999, "9h59m" }, { 36000, "10h" },
		{ 86399, "23h" }, { 86400, "1d00h" }, { 187200, "2d04h" }, { 864000, "10d" },
		{ 863999999, "9999d" }, { 864000000, "27y" },
	};
	char buf[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		listpanel_fmt_age(buf, sizeof(buf), cases[i].s);
		ck_assert_msg(strcmp(buf, cases[i].text) == 0, "%g: '%s', want '%s'", cases[i].s, buf,
			      cases[i].text);
		ck_assert(strlen(buf) <= 5);
	}
}
END_TEST

/* The view from a monitor, with a source that only names its rows. */

static void quiet_describe(void *self, char *buf, size_t len)
{
	(void)self;
	snprintf(buf, len, "fixture");
}

static int quiet_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	(void)self;
	(void)mono_ms;
	(void)ev;
	return 0;
}

static const char *cluster_noun(void *self)
{
	(void)self;
	return "cluster";
}

static const struct source_ops quiet_ops = { .name = "fake", .describe = quiet_describe, .step = quiet_step };
static const struct source_ops cluster_ops = {
	.name = "fake", .describe = quiet_describe, .step = quiet_step, .row_noun = cluster_noun,
};

struct fixture {
	struct source *src;
	struct target_set ts;
	struct monitor m;
	struct list list;
	struct view v;
	struct view_input in;
};

static void fixture_init(struct fixture *f, const struct source_ops *ops)
{
	memset(f, 0, sizeof(*f));
	targets_defaults(&f->ts);
	f->src = source_new(ops, NULL, 1000);
	monitor_init(&f->m, f->src, &f->ts, NULL, 16);
	f->in = (struct view_input){ .program = "routertop 9.9", .utf8 = true, .width = 80, .height = 24,
		.list = &f->list };
}

/* Feed the monitor a snapshot read from a file of data/samples/. */
static void fixture_feed(struct fixture *f, const char *sample, int64_t at_ms)
{
	char path[512], err[256], *text;
	struct source_event ev = { .kind = SOURCE_SNAPSHOT, .at_ms = at_ms, .wall_ms = at_ms };
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/data/samples/%s", RT_SRCDIR, sample);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	text = malloc((size_t)n);
	ck_assert_int_eq(fread(text, 1, (size_t)n, fp), n);
	fclose(fp);
	ck_assert_msg(metrics_parse(text, (size_t)n, &ev.snap, err, sizeof(err)) == 0, "%s", err);
	free(text);
	monitor_handle(&f->m, &ev);
	metrics_free(&ev.snap);
}

static void fixture_view(struct fixture *f, int64_t now_ms)
{
	f->in.mono_ms = now_ms;
	monitor_update(&f->m, now_ms);
	view_update(&f->v, &f->m, &f->in);
}

static void fixture_free(struct fixture *f)
{
	list_free(&f->list);
	monitor_free(&f->m);
	source_free(f->src);
}

START_TEST(test_view_rows)
{
	struct fixture f;
	struct canvas *c = canvas_new(80, 24);
	const struct list_row *r;

	fixture_init(&f, &quiet_ops);
	fixture_view(&f, 0);
	ck_assert(!f.v.list.on);
	fixture_feed(&f, "upstreams.json", 1000);
	fixture_view(&f, 3000);
	ck_assert(f.v.list.on);
	ck_assert_str_eq(f.v.list.noun, "upstream");
	ck_assert_uint_eq(f.v.list.total, 4);
	ck_assert_uint_eq(f.v.list.nrows, 4);
	ck_assert_uint_eq(f.list.page, 4);
	/* Each row evaluated against the router's targets: FAIL, WARN, OK, OK. */
	r = f.v.list.rows[0];
	ck_assert_str_eq(r->name, "search");
	ck_assert_int_eq(r->status, STATUS_FAIL);
	ck_assert_int_eq(r->st_p95, STATUS_FAIL);
	ck_assert_int_eq(r->st_err, STATUS_FAIL);
	/* A row has no throughput target unless one is set for it: no colour. */
	ck_assert_int_eq(r->st_rps, STATUS_UNKNOWN);
	ck_assert_int_eq(f.v.list.rows[1]->status, STATUS_WARN);
	ck_assert_int_eq(f.v.list.rows[2]->status, STATUS_OK);
	ck_assert_int_eq(f.v.list.rows[3]->status, STATUS_OK);
	ck_assert_int_eq(r->breaker, BREAKER_OPEN);
	ck_assert(fabs(r->p95 - 980) < 1e-9 && fabs(r->p99 - 1000) < 1e-9 && fabs(r->rps - 48) < 1e-9);
	ck_assert(fabs(r->err_pct - 41.2) < 1e-9);
	/* stateSinceMs 12 s at the snapshot, 2 s before now. */
	ck_assert(fabs(r->breaker_age_s - 14) < 1e-9);
	ck_assert_str_eq(f.v.list.rows[1]->name, "chat");
	ck_assert_str_eq(f.v.list.rows[2]->name, "embeddings");
	ck_assert_str_eq(f.v.list.rows[3]->name, "moderation");
	ck_assert_str_eq(f.v.zoom, "");
	/* The router's overall status is the worst of it and its rows. */
	ck_assert_int_eq(f.v.overall, STATUS_FAIL);
	/* The panels show the whole router until Enter. */
	ck_assert(fabs(f.v.snap.latency.p95 - 240.3) < 1e-9);
	panels_draw(c, &f.v);
	ck_assert_int_eq(screen_line_of(c, "▸search"), 2);
	ck_assert(strstr(screen_row(c, 2), " FAIL") != NULL);
	ck_assert(strstr(screen_row(c, 3), " WARN") != NULL);
	ck_assert(strstr(screen_row(c, 4), " OK") != NULL);
	ck_assert(screen_contains(c, "┌ Latency ms"));
	canvas_free(c);
	fixture_free(&f);
}
END_TEST

START_TEST(test_view_zoom)
{
	struct fixture f;
	struct canvas *c = canvas_new(80, 24);

	fixture_init(&f, &cluster_ops);
	fixture_feed(&f, "upstreams.json", 1000);
	fixture_view(&f, 1000);
	ck_assert_str_eq(f.v.list.noun, "cluster");
	ck_assert(list_move(&f.list, 1));
	ck_assert(list_zoom(&f.list));
	fixture_view(&f, 1000);
	ck_assert_str_eq(f.v.zoom, "chat");
	ck_assert(fabs(f.v.snap.latency.p95 - 125.7) < 1e-9);
	ck_assert(fabs(f.v.snap.throughput.per_second - 120.3) < 1e-9);
	ck_assert_int_eq(f.v.snap.errors.failures, 3);
	ck_assert_int_eq(f.v.snap.breaker.state, BREAKER_CLOSED);
	ck_assert(fabs(f.v.state_age_s - 3600) < 1e-9);
	/* The row's own evaluation and history, not the whole router's. */
	ck_assert_int_eq(f.v.targets[TARGET_P95].r.status, STATUS_WARN);
	ck_assert(fabs(f.v.targets[TARGET_P95].r.value - 125.7) < 1e-9);
	ck_assert_int_eq(f.v.targets[TARGET_P99].r.status, STATUS_OK);
	ck_assert(isnan(f.v.targets[TARGET_THROUGHPUT].limit));
	ck_assert_int_eq(f.v.overall, STATUS_WARN);
	ck_assert_uint_eq(f.v.p95_n, 1);
	ck_assert(fabs(f.v.p95[0] - 125.7) < 1e-3);	/* a row's series keeps floats */
	ck_assert_uint_eq(f.v.ntrans, 0);
	panels_draw(c, &f.v);
	ck_assert(screen_contains(c, "┌ chat · Latency ms · last 7,218"));
	ck_assert(screen_contains(c, "P95  125.7!"));
	ck_assert(screen_contains(c, "Throughput  120.3  req/s no target"));
	ck_assert(screen_contains(c, "chat · Circuit breaker"));
	ck_assert(screen_contains(c, "CLUSTER"));
	/* The selection moves, the zoom with it; Esc goes back to the router. */
	ck_assert(list_move(&f.list, 1));
	fixture_view(&f, 1000);
	ck_assert_str_eq(f.v.zoom, "embeddings");
	ck_assert(list_escape(&f.list));
	fixture_view(&f, 1000);
	ck_assert_str_eq(f.v.zoom, "");
	ck_assert(fabs(f.v.snap.latency.p95 - 240.3) < 1e-9);
	ck_assert_int_eq(f.v.targets[TARGET_P95].r.status, STATUS_FAIL);
	canvas_free(c);
	fixture_free(&f);
}
END_TEST

START_TEST(test_view_without_rows)
{
	struct fixture f;

	fixture_init(&f, &quiet_ops);
	fixture_feed(&f, "healthy.json", 1000);
	fixture_view(&f, 1000);
	ck_assert(!f.v.list.on);
	ck_assert_uint_eq(f.list.nrows, 0);
	/* Rows that go away take the list with them. */
	fixture_feed(&f, "upstreams.json", 2000);
	fixture_view(&f, 2000);
	ck_assert(f.v.list.on);
	fixture_feed(&f, "healthy.json", 3000);
	fixture_view(&f, 3000);
	ck_assert(!f.v.list.on);
	/* No list given: no list, whatever the snapshot. */
	fixture_feed(&f, "upstreams.json", 4000);
	f.in.list = NULL;
	fixture_view(&f, 4000);
	ck_assert(!f.v.list.on);
	fixture_free(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("listpanel");
	TCase *tc = tcase_create("draw");
	TCase *tv = tcase_create("view");

	tcase_add_loop_test(tc, test_list_shown, 0, NSIZES);
	tcase_add_loop_test(tc, test_rows_by_height, 0, (int)(sizeof(height_cases) / sizeof(height_cases[0])));
	tcase_add_test(tc, test_columns_by_width);
	tcase_add_test(tc, test_long_names);
	tcase_add_test(tc, test_sort_marks);
	tcase_add_test(tc, test_filter_shown);
	tcase_add_loop_test(tc, test_zoom_titles, 0, NSIZES);
	tcase_add_test(tc, test_list_ascii);
	tcase_add_test(tc, test_noun);
	tcase_add_loop_test(tc, test_key_line, 0, NSIZES);
	tcase_add_loop_test(tc, test_help_with_rows, 0, (int)(sizeof(help_modes) / sizeof(help_modes[0])));
	tcase_add_test(tc, test_no_rows_is_todays_screen);
	tcase_add_test(tc, test_fmt_age);
	tcase_add_test(tc, test_view_rows);
	tcase_add_test(tv, test_view_zoom);
	tcase_add_test(tv, test_view_without_rows);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tv);
	return check_run_suite(s);
}
