/* Check suite for the canvas: text, clipping, sanitising, boxes, charts, rows. */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "ui/canvas.h"
#include "ui/term.h"

/*
 * ncurses keeps the "pre-screen" it allocates for a terminal type it then
 * rejects; that is the library's, not ours, so LeakSanitizer is told to
 * ignore it (the hook is only read in sanitizer builds).
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:new_prescr\n";
}

static char *row(const struct canvas *c, int y)
{
	static char buf[4096];

	canvas_row(c, y, buf, sizeof(buf));
	return buf;
}

START_TEST(test_new_is_blank)
{
	struct canvas *c = canvas_new(10, 3);

	ck_assert_int_eq(c->w, 10);
	ck_assert_int_eq(c->h, 3);
	ck_assert_str_eq(row(c, 0), "          ");
	ck_assert_int_eq(canvas_cell(c, 9, 2)->role, ROLE_NORMAL);
	ck_assert_ptr_null(canvas_cell(c, 10, 0));
	ck_assert_ptr_null(canvas_cell(c, 0, 3));
	ck_assert_ptr_null(canvas_cell(c, -1, 0));
	canvas_free(c);
}
END_TEST

START_TEST(test_size_clamped)
{
	struct canvas *c = canvas_new(0, -5);

	ck_assert_int_eq(c->w, 1);
	ck_assert_int_eq(c->h, 1);
	canvas_resize(c, CANVAS_MAX_W + 50, CANVAS_MAX_H + 1);
	ck_assert_int_eq(c->w, CANVAS_MAX_W);
	ck_assert_int_eq(c->h, CANVAS_MAX_H);
	canvas_free(c);
	canvas_free(NULL);
}
END_TEST

START_TEST(test_text_and_roles)
{
	struct canvas *c = canvas_new(12, 2);
	int n = canvas_text(c, 2, 1, CANVAS_TO_EDGE, ROLE_WARN, ATTR_BOLD, "P95 é");

	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(row(c, 1), "  P95 é     ");
	ck_assert_int_eq(canvas_cell(c, 2, 1)->role, ROLE_WARN);
	ck_assert_int_eq(canvas_cell(c, 2, 1)->attr, ATTR_BOLD);
	ck_assert_int_eq(canvas_cell(c, 7, 1)->role, ROLE_NORMAL);
	canvas_free(c);
}
END_TEST

START_TEST(test_text_clipped)
{
	struct canvas *c = canvas_new(8, 1);

	/* maxw limits, the edge clips, and the full width is still reported. */
	ck_assert_int_eq(canvas_text(c, 0, 0, 3, ROLE_NORMAL, 0, "abcdef"), 6);
	ck_assert_str_eq(row(c, 0), "abc     ");
	ck_assert_int_eq(canvas_text(c, 5, 0, CANVAS_TO_EDGE, ROLE_NORMAL, 0, "xyzw"), 4);
	ck_assert_str_eq(row(c, 0), "abc  xyz");
	canvas_text(c, -2, 0, CANVAS_TO_EDGE, ROLE_NORMAL, 0, "12345");
	ck_assert_str_eq(row(c, 0), "345  xyz");
	/* A width that ran out (0 or negative) writes nothing. */
	ck_assert_int_eq(canvas_text(c, 0, 0, 0, ROLE_NORMAL, 0, "zz"), 2);
	ck_assert_int_eq(canvas_text(c, 0, 0, -3, ROLE_NORMAL, 0, "zz"), 2);
	ck_assert_str_eq(row(c, 0), "345  xyz");
	canvas_text(c, 0, 5, CANVAS_TO_EDGE, ROLE_NORMAL, 0, "off the canvas");
	canvas_free(c);
}
END_TEST

static const struct {
	const char *in, *out;
} sanitise_cases[] = {
	{ "a\tb", "a?b" },
	{ "a\x1b[31mb", "a?[31mb" },
	{ "\xff", "?" },
	{ "\xc3", "?" },		/* truncated sequence */
	{ "\xc0\xaf", "??" },		/* overlong '/': each byte is bad (Unicode's maximal subparts) */
	{ "\xe4\xb8\xad", "?" },	/* CJK: two columns wide */
	{ "e\xcc\x81", "e?" },		/* combining accent */
	{ "\xe2\x80\x8b", "?" },	/* zero-width space */
	{ "█▁→●─", "█▁→●─" },
	{ "\xed\xa0\x80", "???" },	/* UTF-16 surrogate: three bad bytes */
};

START_TEST(test_text_sanitised)
{
	struct canvas *c = canvas_new(10, 1);
	char want[64];

	canvas_text(c, 0, 0, CANVAS_TO_EDGE, ROLE_NORMAL, 0, sanitise_cases[_i].in);
	snprintf(want, sizeof(want), "%s", sanitise_cases[_i].out);
	while (canvas_text_width(want) < 10)
		strcat(want, " ");
	ck_assert_str_eq(row(c, 0), want);
	ck_assert_int_eq(canvas_text_width(sanitise_cases[_i].in),
			 canvas_text_width(sanitise_cases[_i].out));
	canvas_free(c);
}
END_TEST

START_TEST(test_right_aligned)
{
	struct canvas *c = canvas_new(10, 1);
	int x = canvas_text_right(c, 10, 0, ROLE_OK, 0, "1,250");

	ck_assert_int_eq(x, 5);
	ck_assert_str_eq(row(c, 0), "     1,250");
	ck_assert_int_eq(canvas_cell(c, 9, 0)->role, ROLE_OK);
	canvas_printf(c, 0, 0, 4, ROLE_NORMAL, 0, "%d%%", 42);
	ck_assert_str_eq(row(c, 0), "42%  1,250");
	canvas_free(c);
}
END_TEST

START_TEST(test_box)
{
	struct canvas *c = canvas_new(16, 4);

	canvas_box(c, 0, 0, 16, 4, ROLE_BORDER, "Errors", ROLE_TITLE);
	ck_assert_str_eq(row(c, 0), "┌ Errors ──────┐");
	ck_assert_str_eq(row(c, 1), "│              │");
	ck_assert_str_eq(row(c, 3), "└──────────────┘");
	ck_assert_int_eq(canvas_cell(c, 0, 0)->line, LINE_UL);
	ck_assert_int_eq(canvas_cell(c, 15, 3)->line, LINE_LR);
	ck_assert_int_eq(canvas_cell(c, 0, 2)->line, LINE_V);
	ck_assert_int_eq(canvas_cell(c, 5, 3)->line, LINE_H);
	ck_assert_int_eq(canvas_cell(c, 2, 0)->role, ROLE_TITLE);
	ck_assert_int_eq(canvas_cell(c, 2, 0)->line, LINE_NONE);
	ck_assert_int_eq(canvas_cell(c, 0, 0)->role, ROLE_BORDER);
	canvas_free(c);
}
END_TEST

START_TEST(test_box_long_title_clipped)
{
	struct canvas *c = canvas_new(10, 3);

	canvas_box(c, 0, 0, 10, 3, ROLE_BORDER, "Circuit breaker", ROLE_TITLE);
	/* Cut, the title still ends with a space before the line. */
	ck_assert_str_eq(row(c, 0), "┌ Circ ──┐");
	ck_assert_int_eq(canvas_cell(c, 6, 0)->role, ROLE_BORDER);
	/* A title that just fits, and one a column shorter: a space, then the line. */
	canvas_box(c, 0, 0, 10, 3, ROLE_BORDER, "Errs", ROLE_TITLE);
	ck_assert_str_eq(row(c, 0), "┌ Errs ──┐");
	canvas_box(c, 0, 0, 10, 3, ROLE_BORDER, "Err", ROLE_TITLE);
	ck_assert_str_eq(row(c, 0), "┌ Err ───┐");
	canvas_free(c);
	/* A box inside a wider canvas: the cut title's space stays inside the box. */
	c = canvas_new(30, 3);
	canvas_box(c, 0, 0, 10, 3, ROLE_BORDER, "Circuit breaker", ROLE_TITLE);
	ck_assert_str_eq(row(c, 0), "┌ Circ ──┐                    ");
	canvas_free(c);
}
END_TEST

START_TEST(test_sparkline_utf8)
{
	struct canvas *c = canvas_new(10, 1);
	double v[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, NAN };

	canvas_chart(c, 0, 0, 10, 1, v, 10, 8, true, ROLE_CHART);
	/* A known zero still shows the lowest block; NAN is a gap. */
	ck_assert_str_eq(row(c, 0), "▁▁▂▃▄▅▆▇█ ");
	ck_assert_int_eq(canvas_cell(c, 3, 0)->role, ROLE_CHART);
	canvas_free(c);
}
END_TEST

START_TEST(test_sparkline_ascii)
{
	struct canvas *c = canvas_new(10, 1);
	double v[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, NAN };

	canvas_chart(c, 0, 0, 10, 1, v, 10, 8, false, ROLE_CHART);
	ck_assert_str_eq(row(c, 0), "..,-~=+*# ");
	canvas_free(c);
}
END_TEST

START_TEST(test_chart_scrolls_and_aligns)
{
	struct canvas *c = canvas_new(4, 1);
	double v[] = { 8, 8, 8, 0, 4, 8 };

	/* Only the newest w values show. */
	canvas_chart(c, 0, 0, 4, 1, v, 6, 8, true, ROLE_CHART);
	ck_assert_str_eq(row(c, 0), "█▁▄█");
	/* Fewer values than columns are right-aligned. */
	canvas_chart(c, 0, 0, 4, 1, v + 4, 2, 8, true, ROLE_CHART);
	ck_assert_str_eq(row(c, 0), "  ▄█");
	canvas_chart(c, 0, 0, 4, 1, v, 0, 8, true, ROLE_CHART);
	ck_assert_str_eq(row(c, 0), "    ");
	canvas_free(c);
}
END_TEST

START_TEST(test_chart_rows)
{
	struct canvas *c = canvas_new(3, 2);
	double v[] = { 2, 12, 16 };

	canvas_chart(c, 0, 0, 3, 2, v, 3, 16, true, ROLE_CHART);
	ck_assert_str_eq(row(c, 0), " ▄█");
	ck_assert_str_eq(row(c, 1), "▂██");
	canvas_free(c);
}
END_TEST

START_TEST(test_chart_zero_max)
{
	struct canvas *c = canvas_new(3, 1);
	double v[] = { 0, 0, NAN };

	canvas_chart(c, 0, 0, 3, 1, v, 3, 0, true, ROLE_CHART);
	ck_assert_str_eq(row(c, 0), "▁▁ ");
	canvas_free(c);
}
END_TEST

/* A rising line: one value per dot column, lo on the bottom dot row, hi on the top one. */
START_TEST(test_lines_braille_rise)
{
	struct canvas *c = canvas_new(2, 1);
	double v[] = { 0, 1, 2, 3 };
	struct canvas_series s = { .v = v, .n = 4, .role = ROLE_CHART };

	ck_assert_int_eq(canvas_lines(c, 0, 0, 2, 1, &s, 1, 0, 3, true), 4);
	/* Dots 7 and 6 (rows 3 and 2), then 2 and 4 (rows 1 and 0). */
	ck_assert_str_eq(row(c, 0), "⡠⠊");
	ck_assert_int_eq(canvas_cell(c, 1, 0)->role, ROLE_CHART);
	canvas_free(c);
}
END_TEST

/* A jump is joined by a run of dots in the new value's column; a gap (NAN) is not. */
START_TEST(test_lines_braille_run_and_gap)
{
	struct canvas *c = canvas_new(3, 1);
	double v[] = { 0, 3, NAN, 3, 0, 0 };
	struct canvas_series s = { .v = v, .n = 6, .role = ROLE_CHART };

	canvas_lines(c, 0, 0, 3, 1, &s, 1, 0, 3, true);
	/* 0 then 3: the bottom dot, then a column of four; gap, top dot; a run down, bottom dot. */
	/*
	 * 0 then 3: the bottom dot, then the run up (rows 2 and 1) and the top
	 * dot; the gap, then the top dot; the run down from it (the dot it
	 * starts from is the previous column's) and the bottom dot twice.
	 */
	ck_assert_str_eq(row(c, 0), "⡸⠈⣆");
	canvas_free(c);
}
END_TEST

/* Only the newest values that fit show, right-aligned; more rows give more dot rows. */
START_TEST(test_lines_scroll_and_rows)
{
	struct canvas *c = canvas_new(2, 2);
	double v[] = { 7, 7, 7, 0, 7 };
	struct canvas_series s = { .v = v, .n = 2, .role = ROLE_CHART };

	/* Two values in four dot columns: the right cell only. 0 is dot row 7, 7 is row 0. */
	s.v = v + 3;
	canvas_lines(c, 0, 0, 2, 2, &s, 1, 0, 7, true);
	ck_assert_str_eq(row(c, 0), " ⢸");
	ck_assert_str_eq(row(c, 1), " ⡸");
	s.v = v;
	s.n = 5;
	canvas_lines(c, 0, 0, 2, 2, &s, 1, 0, 7, true);
	ck_assert_str_eq(row(c, 0), "⠉⣾");
	ck_assert_str_eq(row(c, 1), " ⡿");
	canvas_free(c);
}
END_TEST

/* A dashed series marks every other cell; the last series drawn owns a shared cell's role. */
START_TEST(test_lines_dashed_and_order)
{
	struct canvas *c = canvas_new(4, 1);
	double t[8], d[] = { 1 };
	struct canvas_series s[2] = {
		{ .v = t, .n = 8, .role = ROLE_TARGET, .dashed = true },
		{ .v = d, .n = 1, .role = ROLE_CHART },
	};

	for (int i = 0; i < 8; i++)
		t[i] = 1;
	canvas_lines(c, 0, 0, 4, 1, s, 1, 0, 2, true);
	ck_assert_str_eq(row(c, 0), "⠒ ⠒ ");
	ck_assert_int_eq(canvas_cell(c, 0, 0)->role, ROLE_TARGET);
	/* The data point lands in the last cell, odd, so it is its own. */
	canvas_lines(c, 0, 0, 4, 1, s, 2, 0, 2, true);
	ck_assert_str_eq(row(c, 0), "⠒ ⠒⠐");
	ck_assert_int_eq(canvas_cell(c, 3, 0)->role, ROLE_CHART);
	d[0] = 2;
	s[1].v = t;
	s[1].n = 8;
	canvas_lines(c, 0, 0, 4, 1, s, 2, 0, 2, true);
	ck_assert_int_eq(canvas_cell(c, 0, 0)->role, ROLE_CHART);
	canvas_free(c);
}
END_TEST

/* ASCII: a mark by its third of the cell, '|' along a run, '-' dashes. */
START_TEST(test_lines_ascii)
{
	struct canvas *c = canvas_new(4, 2);
	double v[] = { 0, 1, 2, NAN }, run[] = { 0, 5 }, t[] = { 2.5, 2.5, 2.5, 2.5 };
	struct canvas_series s = { .v = v, .n = 4, .role = ROLE_CHART };

	ck_assert_int_eq(canvas_lines(c, 0, 0, 4, 1, &s, 1, 0, 2, false), 4);
	ck_assert_str_eq(row(c, 0), "_-' ");
	s = (struct canvas_series){ .v = run, .n = 2, .role = ROLE_CHART };
	canvas_clear(c);
	canvas_lines(c, 0, 0, 2, 2, &s, 1, 0, 5, false);
	ck_assert_str_eq(row(c, 0), " '  ");
	ck_assert_str_eq(row(c, 1), "_|  ");
	s = (struct canvas_series){ .v = t, .n = 4, .role = ROLE_TARGET, .dashed = true };
	canvas_lines(c, 0, 0, 4, 2, &s, 1, 0, 5, false);
	ck_assert_str_eq(row(c, 0), "_ _ ");	/* 2.5 of 5 rounds to the third row of six */
	canvas_free(c);
}
END_TEST

/* Lowest equal to highest: the middle; nothing known, or no room: nothing drawn and no harm. */
START_TEST(test_lines_flat_and_empty)
{
	struct canvas *c = canvas_new(2, 1);
	double v[] = { 5, 5, 5, 5 }, none[] = { NAN, NAN };
	struct canvas_series s = { .v = v, .n = 4, .role = ROLE_CHART };

	canvas_lines(c, 0, 0, 2, 1, &s, 1, 5, 5, true);
	ck_assert_str_eq(row(c, 0), "⠒⠒");
	s = (struct canvas_series){ .v = none, .n = 2, .role = ROLE_CHART };
	canvas_lines(c, 0, 0, 2, 1, &s, 1, 0, 1, true);
	ck_assert_str_eq(row(c, 0), "  ");
	ck_assert_int_eq(canvas_lines(c, 0, 0, 0, 1, &s, 1, 0, 1, true), 0);
	/* Clipped at the canvas's edge. */
	s = (struct canvas_series){ .v = v, .n = 4, .role = ROLE_CHART };
	canvas_lines(c, 1, 0, 2, 1, &s, 1, 0, 10, true);
	ck_assert_str_eq(row(c, 0), " ⠒");
	canvas_free(c);
}
END_TEST

START_TEST(test_row_small_buffer)
{
	struct canvas *c = canvas_new(5, 1);
	char buf[4];

	canvas_text(c, 0, 0, CANVAS_TO_EDGE, ROLE_NORMAL, 0, "█bcde");
	/* Whole glyphs only: "█" is 3 bytes, so just it fits with the NUL. */
	ck_assert_uint_eq(canvas_row(c, 0, buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "█");
	ck_assert_uint_eq(canvas_row(c, 7, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	canvas_free(c);
}
END_TEST

START_TEST(test_cell_equal)
{
	struct canvas *a = canvas_new(3, 1), *b = canvas_new(3, 1);

	ck_assert(cell_equal(canvas_cell(a, 0, 0), canvas_cell(b, 0, 0)));
	canvas_text(a, 0, 0, CANVAS_TO_EDGE, ROLE_OK, 0, "x");
	canvas_text(b, 0, 0, CANVAS_TO_EDGE, ROLE_FAIL, 0, "x");
	ck_assert(!cell_equal(canvas_cell(a, 0, 0), canvas_cell(b, 0, 0)));
	canvas_text(b, 0, 0, CANVAS_TO_EDGE, ROLE_OK, ATTR_BOLD, "x");
	ck_assert(!cell_equal(canvas_cell(a, 0, 0), canvas_cell(b, 0, 0)));
	canvas_text(b, 0, 0, CANVAS_TO_EDGE, ROLE_OK, 0, "x");
	ck_assert(cell_equal(canvas_cell(a, 0, 0), canvas_cell(b, 0, 0)));
	canvas_free(a);
	canvas_free(b);
}
END_TEST

/* Equality is byte for byte: a shorter glyph over a longer one leaves no trace. */
START_TEST(test_cell_equal_after_overwrite)
{
	struct canvas *a = canvas_new(4, 2), *b = canvas_new(4, 2);

	canvas_text(a, 0, 0, CANVAS_TO_EDGE, ROLE_OK, 0, "\xe2\x96\x88");	/* U+2588, 3 bytes */
	canvas_text(a, 0, 0, CANVAS_TO_EDGE, ROLE_OK, 0, "x");
	canvas_text(b, 0, 0, CANVAS_TO_EDGE, ROLE_OK, 0, "x");
	ck_assert(cell_equal(canvas_cell(a, 0, 0), canvas_cell(b, 0, 0)));
	/* A box line and the same glyph as text are different cells. */
	canvas_box(a, 0, 0, 4, 2, ROLE_NORMAL, NULL, ROLE_NORMAL);
	canvas_text(b, 1, 0, CANVAS_TO_EDGE, ROLE_NORMAL, 0, "\xe2\x94\x80");	/* U+2500 */
	ck_assert(!cell_equal(canvas_cell(a, 1, 0), canvas_cell(b, 1, 0)));
	/* Cleared, both are blank again, cell for cell. */
	canvas_clear(a);
	canvas_clear(b);
	for (int y = 0; y < 2; y++)
		for (int x = 0; x < 4; x++) {
			ck_assert(cell_equal(canvas_cell(a, x, y), canvas_cell(b, x, y)));
			ck_assert_str_eq(canvas_cell(a, x, y)->glyph, " ");
			ck_assert_int_eq(canvas_cell(a, x, y)->role, ROLE_NORMAL);
		}
	canvas_free(a);
	canvas_free(b);
}
END_TEST

/*
 * The backend on files instead of a terminal (TERM=xterm, size from LINES
 * and COLUMNS): the first frame writes every cell, later frames only the
 * cells that changed.
 */
static struct term *term_on_null(FILE **out, FILE **in, bool color)
{
	struct term_options o = { .color = color, .theme = UI_THEME_DEFAULT, .utf8 = true };
	char err[128];
	struct term *t;

	setenv("TERM", "xterm", 1);
	setenv("LINES", "24", 1);
	setenv("COLUMNS", "80", 1);
	*out = fopen("/dev/null", "w");
	*in = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(*out);
	ck_assert_ptr_nonnull(*in);
	t = term_open_files(&o, *out, *in, err, sizeof(err));
	ck_assert_msg(t != NULL, "%s", err);
	return t;
}

START_TEST(test_term_draws_only_changes)
{
	FILE *out, *in;
	struct term *t = term_on_null(&out, &in, true);
	struct canvas *c = canvas_new(80, 24);
	int w, h;

	term_size(t, &w, &h);
	ck_assert_int_eq(w, 80);
	ck_assert_int_eq(h, 24);
	canvas_box(c, 0, 0, 80, 24, ROLE_BORDER, "Latency", ROLE_TITLE);
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 80 * 24);
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 0);
	canvas_text(c, 5, 5, CANVAS_TO_EDGE, ROLE_FAIL, ATTR_BOLD, "FAIL");
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 4);
	/* A role change alone is a change. */
	canvas_text(c, 5, 5, CANVAS_TO_EDGE, ROLE_OK, ATTR_BOLD, "F");
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 1);
	term_invalidate(t);
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 80 * 24);
	/* A new size repaints everything. */
	canvas_resize(c, 60, 20);
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 60 * 20);
	/* Past the terminal's edge (a resize it has not read yet) nothing is written. */
	canvas_resize(c, 100, 30);
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 80 * 24);
	ck_assert(term_has_color(t));
	term_close(t);
	canvas_free(c);
	fclose(out);
	fclose(in);
}
END_TEST

/* The diff skips unchanged rows whole; changes at either end of a row still count. */
START_TEST(test_term_rows_and_edges)
{
	FILE *out, *in;
	struct term *t = term_on_null(&out, &in, true);
	struct canvas *c = canvas_new(80, 24);

	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 80 * 24);
	canvas_text(c, 0, 0, CANVAS_TO_EDGE, ROLE_OK, 0, "a");
	canvas_text(c, 79, 0, CANVAS_TO_EDGE, ROLE_OK, 0, "b");
	canvas_text(c, 0, 23, CANVAS_TO_EDGE, ROLE_OK, 0, "c");
	canvas_text(c, 79, 23, CANVAS_TO_EDGE, ROLE_OK, 0, "d");
	canvas_text(c, 0, 11, CANVAS_TO_EDGE, ROLE_OK, 0, "e");	/* alone in its row */
	canvas_text(c, 79, 12, CANVAS_TO_EDGE, ROLE_OK, 0, "f");	/* alone in its row */
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 6);
	/* Back to blank: the same six cells, and only they, are written again. */
	canvas_clear(c);
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 6);
	term_draw(t, c);
	ck_assert_uint_eq(term_cells_drawn(t), 0);
	term_close(t);
	canvas_free(c);
	fclose(out);
	fclose(in);
}
END_TEST

START_TEST(test_term_no_color)
{
	FILE *out, *in;
	struct term *t = term_on_null(&out, &in, false);

	ck_assert(!term_has_color(t));
	ck_assert_int_eq(term_key(t), -1);
	term_close(t);
	term_restore();	/* harmless after close */
	fclose(out);
	fclose(in);
}
END_TEST

/*
 * A model terminal for the backend's bytes: what a stream of the escape
 * sequences terminfo gives xterm, ansi and vt52 leaves on a screen.
 * Enough of ECMA-48 and the VT52 for what curses sends when it starts
 * and what term_draw sends: cursor addressing, clearing, SGR, the DEC
 * graphics set, auto margins with and without the pending wrap.
 */
#define VT_W 80
#define VT_H 24

struct vt_look {
	bool bold, dim, ul, rev;
	int fg;			/* -1: default */
};

struct vt_cell {
	char glyph[8];
	struct vt_look look;
};

struct vt {
	int x, y;
	bool am, xenl, pending, acs;
	struct vt_look look;
	struct vt_cell cell[VT_H][VT_W];
	int scrolled;		/* lines pushed off the top */
	off_t read;		/* bytes of the output file taken in */
};

static const struct vt_look vt_plain = { false, false, false, false, -1 };

static void vt_blank(struct vt_cell *k)
{
	strcpy(k->glyph, " ");
	k->look = vt_plain;
}

static void vt_clear(struct vt *v, int from_y, int from_x)
{
	for (int y = from_y; y < VT_H; y++)
		for (int x = y == from_y ? from_x : 0; x < VT_W; x++)
			vt_blank(&v->cell[y][x]);
}

static void vt_init(struct vt *v, bool am, bool xenl)
{
	memset(v, 0, sizeof(*v));
	v->am = am;
	v->xenl = xenl;
	v->look = vt_plain;
	vt_clear(v, 0, 0);
}

static void vt_down(struct vt *v)
{
	if (v->y < VT_H - 1) {
		v->y++;
		return;
	}
	memmove(&v->cell[0], &v->cell[1], sizeof(v->cell[0]) * (VT_H - 1));
	for (int x = 0; x < VT_W; x++)
		vt_blank(&v->cell[VT_H - 1][x]);
	v->scrolled++;
}

static void vt_put(struct vt *v, const char *g, size_t n)
{
	static const char *const dec[] = { "q─", "x│", "l┌", "k┐", "m└", "j┘" };
	struct vt_cell *k;

	if (v->pending) {
		v->pending = false;
		v->x = 0;
		vt_down(v);
	}
	k = &v->cell[v->y][v->x];
	memcpy(k->glyph, g, n);
	k->glyph[n] = '\0';
	for (size_t i = 0; v->acs && n == 1 && i < sizeof(dec) / sizeof(dec[0]); i++)
		if (dec[i][0] == g[0])
			strcpy(k->glyph, dec[i] + 1);
	k->look = v->look;
	if (v->x < VT_W - 1)
		v->x++;
	else if (v->am && v->xenl)
		v->pending = true;
	else if (v->am) {
		v->x = 0;
		vt_down(v);
	}
}

static void vt_sgr(struct vt *v, const int *p, int np)
{
	for (int i = 0; i < (np == 0 ? 1 : np); i++) {
		int a = np == 0 ? 0 : p[i];

		if (a == 0)
			v->look = vt_plain;
		else if (a == 1)
			v->look.bold = true;
		else if (a == 2)
			v->look.dim = true;
		else if (a == 4)
			v->look.ul = true;
		else if (a == 7)
			v->look.rev = true;
		else if (a >= 30 && a <= 37)
			v->look.fg = a - 30;
		else if (a == 39)
			v->look.fg = -1;
		else if (a == 38 && i + 2 < np && p[i + 1] == 5)
			v->look.fg = p[i += 2];
		else if (a == 48 && i + 2 < np)
			i += 2;
	}
}

/* An ESC [ sequence at s (after the bracket); returns the bytes it takes. */
static size_t vt_csi(struct vt *v, const char *s, size_t n)
{
	int p[16] = { 0 }, np = 0;
	bool priv = false;
	size_t i = 0;

	if (i < n && s[i] == '?') {
		priv = true;
		i++;
	}
	for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'); i++) {
		if (np == 0)
			np = 1;
		if (s[i] == ';')
			np++;
		else if (np <= 16)
			p[np - 1] = p[np - 1] * 10 + (s[i] - '0');
	}
	ck_assert_msg(i < n, "an escape sequence cut short");
	switch (s[i]) {
	case 'H':
		v->y = (np > 0 && p[0] > 0 ? p[0] : 1) - 1;
		v->x = (np > 1 && p[1] > 0 ? p[1] : 1) - 1;
		v->pending = false;
		break;
	case 'J':
		if (np > 0 && p[0] == 2)
			vt_clear(v, 0, 0);
		else
			vt_clear(v, v->y, v->x);
		break;
	case 'm':
		vt_sgr(v, p, np);
		break;
	case 'h':
	case 'l':
		if (priv && np > 0 && p[0] == 7)
			v->am = s[i] == 'h';
		break;
	case 't': case 'r':
		break;
	default:
		ck_abort_msg("the model has no ESC [ %c", s[i]);
	}
	return i + 1;
}

/* Take in what the backend wrote to its file since the last call. */
static void vt_feed(struct vt *v, FILE *f)
{
	static char buf[1 << 20];
	ssize_t got = pread(fileno(f), buf, sizeof(buf), v->read);
	size_t n, i = 0;

	ck_assert_int_ge(got, 0);
	n = (size_t)got;
	v->read += got;
	while (i < n) {
		unsigned char b = (unsigned char)buf[i];

		if (b == 0x1b) {
			ck_assert_msg(i + 1 < n, "an escape cut short");
			switch (buf[i + 1]) {
			case '[': i += 2 + vt_csi(v, buf + i + 2, n - i - 2); continue;
			case '(': v->acs = buf[i + 2] == '0'; i += 3; continue;
			case 'F': v->acs = true; i += 2; continue;	/* VT52 graphics */
			case 'G': v->acs = false; i += 2; continue;
			case 'Y': v->y = buf[i + 2] - 32; v->x = buf[i + 3] - 32; v->pending = false; i += 4; continue;
			case 'H': v->x = v->y = 0; v->pending = false; i += 2; continue;	/* VT52 home */
			case 'J': vt_clear(v, v->y, v->x); i += 2; continue;	/* VT52 clear to the end */
			case '=': case '>': case '7': case '8': i += 2; continue;
			default: ck_abort_msg("the model has no ESC %c", buf[i + 1]);
			}
		}
		if (b == '\r') {
			v->x = 0;
			v->pending = false;
		} else if (b == '\n') {
			vt_down(v);
		} else if (b == '\b') {
			v->x -= v->x > 0;
		} else if (b == 7) {
			;
		} else {
			size_t len = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;

			ck_assert_msg(b >= 0x20 && i + len <= n, "byte 0x%02x on screen", b);
			vt_put(v, buf + i, len);
			i += len;
			continue;
		}
		i++;
	}
}

/* The glyph a canvas cell should show on the model. */
static const char *cell_shows(const struct cell *k)
{
	return k->line != LINE_NONE ? canvas_line_glyph((enum canvas_line)k->line) : k->glyph;
}

/* A pseudo-random step (xorshift), the same run every time. */
static uint32_t rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Change n random cells of c: glyphs of one to three bytes, every role and attribute, small boxes. */
static void scribble(struct canvas *c, uint32_t *x, int n)
{
	static const char *const glyphs[] = { "a", "Z", "7", " ", "%", "\xe2\xa3\xbf", "\xe2\xa0\x81",
					      "\xc3\xa9", "\xe2\x97\x8f", "\xe2\x96\x84" };

	for (int i = 0; i < n; i++) {
		int px = (int)(rnd(x) % (uint32_t)c->w), py = (int)(rnd(x) % (uint32_t)c->h);
		enum canvas_role role = (enum canvas_role)(rnd(x) % ROLE_COUNT);

		if (rnd(x) % 16 == 0)
			canvas_box(c, px, py, 2 + (int)(rnd(x) % 12), 2 + (int)(rnd(x) % 6), role, NULL, ROLE_TITLE);
		else
			canvas_text(c, px, py, 1, role, rnd(x) % 8, glyphs[rnd(x) % 10]);
	}
}

/*
 * The model must show every cell of the canvas (blanks beyond it), and
 * each look (role and attributes) must always come out the same way.
 */
static void expect_screen(const struct vt *v, const struct canvas *c, struct vt_look seen[ROLE_COUNT][8],
			  bool seen_set[ROLE_COUNT][8], bool lr_kept)
{
	for (int y = 0; y < VT_H; y++)
		for (int x = 0; x < VT_W; x++) {
			const struct vt_cell *m = &v->cell[y][x];
			const struct cell *k = canvas_cell(c, x, y);

			if (lr_kept && x == VT_W - 1 && y == VT_H - 1)
				continue;
			if (k == NULL) {
				ck_assert_msg(strcmp(m->glyph, " ") == 0, "(%d,%d) beyond the canvas: '%s'", x, y,
					      m->glyph);
				continue;
			}
			ck_assert_msg(strcmp(m->glyph, cell_shows(k)) == 0, "(%d,%d) shows '%s', not '%s'", x, y,
				      m->glyph, cell_shows(k));
			if (!seen_set[k->role][k->attr]) {
				seen[k->role][k->attr] = m->look;
				seen_set[k->role][k->attr] = true;
			}
			ck_assert_msg(memcmp(&seen[k->role][k->attr], &m->look, sizeof(m->look)) == 0,
				      "(%d,%d): role %d attr %d looks two ways", x, y, k->role, k->attr);
		}
}

static FILE *term_file(const char *type, bool color, bool utf8, struct term **t)
{
	struct term_options o = { .color = color, .theme = UI_THEME_DEFAULT, .utf8 = utf8 };
	FILE *out = tmpfile(), *in = fopen("/dev/null", "r");
	char err[128];

	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(in);
	setenv("TERM", type, 1);
	setenv("LINES", "24", 1);
	setenv("COLUMNS", "80", 1);
	*t = term_open_files(&o, out, in, err, sizeof(err));
	ck_assert_msg(*t != NULL, "%s", err);
	fclose(in);
	return out;
}

/*
 * Frames of random changes, through the backend into the model: after
 * each, the screen is the canvas. Some frames repaint everything (a lost
 * screen, a smaller canvas).
 */
static const struct {
	const char *type;
	bool color, am, xenl;
} model_cases[] = {
	{ "xterm", true, true, true },
	{ "xterm", false, true, true },
	{ "xterm-256color", true, true, true },
	{ "ansi", true, true, false },	/* auto margins without the pending wrap */
	{ "vt52", false, false, false },	/* no ANSI cursor addressing, no attributes */
};

START_TEST(test_term_frames_on_a_model)
{
	struct vt_look seen[ROLE_COUNT][8];
	bool seen_set[ROLE_COUNT][8] = { { false } };
	static struct vt v;
	struct term *t;
	struct canvas *c = canvas_new(VT_W, VT_H);
	uint32_t x = 2463534242u;
	FILE *out;

	setlocale(LC_ALL, "C.UTF-8");
	out = term_file(model_cases[_i].type, model_cases[_i].color, true, &t);
	vt_init(&v, model_cases[_i].am, model_cases[_i].xenl);
	for (int f = 0; f < 60; f++) {
		if (f == 20)
			term_invalidate(t);
		if (f == 30)
			canvas_resize(c, VT_W - 7, VT_H - 3);
		if (f == 40)
			canvas_resize(c, VT_W, VT_H);
		scribble(c, &x, f % 10 == 0 ? 2000 : (int)(rnd(&x) % 120));
		term_draw(t, c);
		vt_feed(&v, out);
		expect_screen(&v, c, seen, seen_set, model_cases[_i].am && !model_cases[_i].xenl);
		ck_assert_int_eq(v.scrolled, 0);
	}
	/* What each look is, where the terminal has colours; mono gets attributes instead. */
	if (seen_set[ROLE_FAIL][0] && model_cases[_i].color && strcmp(model_cases[_i].type, "vt52") != 0) {
		ck_assert_int_eq(seen[ROLE_FAIL][0].fg, 1);	/* red */
		ck_assert(seen[ROLE_FAIL][0].bold);
	} else if (seen_set[ROLE_FAIL][0] && strcmp(model_cases[_i].type, "vt52") != 0) {
		ck_assert_int_eq(seen[ROLE_FAIL][0].fg, -1);
		ck_assert(seen[ROLE_FAIL][0].bold && seen[ROLE_FAIL][0].ul);
	}
	if (seen_set[ROLE_NORMAL][0])
		ck_assert_mem_eq(&seen[ROLE_NORMAL][0], &vt_plain, sizeof(vt_plain));
	if (seen_set[ROLE_NORMAL][ATTR_REVERSE] && strcmp(model_cases[_i].type, "vt52") != 0)
		ck_assert(seen[ROLE_NORMAL][ATTR_REVERSE].rev);
	term_close(t);
	canvas_free(c);
	fclose(out);
}
END_TEST

/*
 * The bottom-right cell: written where the terminal waits to wrap (xenl)
 * or can turn its margins off; left alone where writing it would scroll
 * the screen. Either way the top row stays where it is.
 */
START_TEST(test_term_corner_never_scrolls)
{
	static struct vt v;
	struct term *t;
	struct canvas *c = canvas_new(VT_W, VT_H);
	bool ansi = _i == 1;
	FILE *out;

	setlocale(LC_ALL, "C.UTF-8");
	out = term_file(ansi ? "ansi" : "xterm", true, true, &t);
	vt_init(&v, true, !ansi);
	canvas_text(c, 0, 0, CANVAS_TO_EDGE, ROLE_TITLE, 0, "top");
	canvas_text(c, VT_W - 2, VT_H - 1, CANVAS_TO_EDGE, ROLE_OK, 0, "yz");
	term_draw(t, c);
	vt_feed(&v, out);
	ck_assert_int_eq(v.scrolled, 0);
	ck_assert_str_eq(v.cell[0][0].glyph, "t");
	ck_assert_str_eq(v.cell[VT_H - 1][VT_W - 2].glyph, "y");
	ck_assert_str_eq(v.cell[VT_H - 1][VT_W - 1].glyph, ansi ? " " : "z");
	term_close(t);
	canvas_free(c);
	fclose(out);
}
END_TEST

/* A terminal that cannot address the cursor cannot show the screen: said, not garbled. */
START_TEST(test_term_needs_cursor_addressing)
{
	struct term_options o = { .color = true };
	char err[128];
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");

	setenv("TERM", "dumb", 1);
	ck_assert_ptr_null(term_open_files(&o, out, in, err, sizeof(err)));
	ck_assert_str_eq(err, "terminal type 'dumb' cannot move the cursor; use --batch");
	fclose(out);
	fclose(in);
}
END_TEST

START_TEST(test_term_unknown_type)
{
	struct term_options o = { .color = true };
	char err[128];
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");

	setenv("TERM", "no-such-terminal-type", 1);
	ck_assert_ptr_null(term_open_files(&o, out, in, err, sizeof(err)));
	ck_assert_str_eq(err, "cannot use terminal type 'no-such-terminal-type'; use --batch");
	fclose(out);
	fclose(in);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("canvas");
	TCase *tc = tcase_create("canvas");
	TCase *tt = tcase_create("term");

	tcase_add_test(tc, test_new_is_blank);
	tcase_add_test(tc, test_size_clamped);
	tcase_add_test(tc, test_text_and_roles);
	tcase_add_test(tc, test_text_clipped);
	tcase_add_loop_test(tc, test_text_sanitised, 0,
			    (int)(sizeof(sanitise_cases) / sizeof(sanitise_cases[0])));
	tcase_add_test(tc, test_right_aligned);
	tcase_add_test(tc, test_box);
	tcase_add_test(tc, test_box_long_title_clipped);
	tcase_add_test(tc, test_sparkline_utf8);
	tcase_add_test(tc, test_sparkline_ascii);
	tcase_add_test(tc, test_chart_scrolls_and_aligns);
	tcase_add_test(tc, test_chart_rows);
	tcase_add_test(tc, test_chart_zero_max);
	tcase_add_test(tc, test_lines_braille_rise);
	tcase_add_test(tc, test_lines_braille_run_and_gap);
	tcase_add_test(tc, test_lines_scroll_and_rows);
	tcase_add_test(tc, test_lines_dashed_and_order);
	tcase_add_test(tc, test_lines_ascii);
	tcase_add_test(tc, test_lines_flat_and_empty);
	tcase_add_test(tc, test_row_small_buffer);
	tcase_add_test(tc, test_cell_equal);
	tcase_add_test(tc, test_cell_equal_after_overwrite);
	tcase_add_test(tt, test_term_draws_only_changes);
	tcase_add_test(tt, test_term_rows_and_edges);
	tcase_add_test(tt, test_term_no_color);
	tcase_add_test(tt, test_term_unknown_type);
	tcase_add_loop_test(tt, test_term_frames_on_a_model, 0, (int)(sizeof(model_cases) / sizeof(model_cases[0])));
	tcase_add_loop_test(tt, test_term_corner_never_scrolls, 0, 2);
	tcase_add_test(tt, test_term_needs_cursor_addressing);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tt);
	return check_run_suite(s);
}
