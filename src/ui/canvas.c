/*
 * The canvas: cells, text, boxes and charts; see canvas.h. Every glyph is one
 * column wide by construction (canvas_text replaces anything else), which is
 * what lets the backend copy cell x to screen column x.
 */
#include "ui/canvas.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

struct canvas *canvas_new(int w, int h)
{
	struct canvas *c = xcalloc(1, sizeof(*c));

	canvas_resize(c, w, h);
	return c;
}

void canvas_free(struct canvas *c)
{
	if (c == NULL)
		return;
	free(c->cells);
	free(c);
}

void canvas_resize(struct canvas *c, int w, int h)
{
	c->w = clampi(w, 1, CANVAS_MAX_W);
	c->h = clampi(h, 1, CANVAS_MAX_H);
	free(c->cells);
	c->cells = xcalloc((size_t)c->w * (size_t)c->h, sizeof(*c->cells));
	canvas_clear(c);
}

static struct cell *cell_at(struct canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

static void cell_set(struct cell *k, const char *glyph, size_t len, enum canvas_role role,
		     unsigned attr)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->glyph, glyph, len);
	k->role = (unsigned char)role;
	k->attr = (unsigned char)attr;
}

/* A cell of one ASCII byte; the rest of the glyph is zero, as cell_equal wants. */
static struct cell cell_ascii(char ch, enum canvas_role role, unsigned attr)
{
	return (struct cell){ .glyph = { ch }, .role = (unsigned char)role, .attr = (unsigned char)attr };
}

/* Every frame starts here: one blank row, then copies of it. */
void canvas_clear(struct canvas *c)
{
	struct cell blank = cell_ascii(' ', ROLE_NORMAL, ATTR_NONE);
	size_t w = (size_t)c->w;

	for (size_t i = 0; i < w; i++)
		c->cells[i] = blank;
	for (int y = 1; y < c->h; y++)
		memcpy(&c->cells[(size_t)y * w], c->cells, w * sizeof(*c->cells));
}

const struct cell *canvas_cell(const struct canvas *c, int x, int y)
{
	return cell_at((struct canvas *)c, x, y);
}

_Static_assert(sizeof(struct cell) == CANVAS_GLYPH + 3, "cell_equal compares bytes: no padding");

/*
 * Byte for byte: cell_set zeroes a cell before writing it, so the bytes
 * after a glyph's NUL are always 0, and a cell has no padding.
 */
bool cell_equal(const struct cell *a, const struct cell *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/*
 * Code points we trust to take exactly one column on a terminal: Latin,
 * Greek, Cyrillic and friends, general punctuation, arrows, maths, box
 * drawing, block elements and geometric shapes. Anything else (CJK, emoji,
 * combining marks, zero-width characters) would shift the columns after it.
 */
static bool codepoint_narrow(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7f)
		return true;
	if (cp >= 0xa0 && cp < 0x300)
		return true;
	if (cp >= 0x370 && cp < 0x1100)
		return true;
	if (cp >= 0x2010 && cp < 0x2028)
		return true;
	return cp >= 0x2030 && cp < 0x2c00 && !(cp >= 0x2060 && cp < 0x2070);
}

/* The next glyph of text as it will be stored: its bytes in out, returns bytes consumed. */
static size_t glyph_next(const char *text, char out[CANVAS_GLYPH], size_t *outlen)
{
	uint32_t cp;
	size_t n;

	/* Printable ASCII, most of what the panels write, is itself. */
	if ((unsigned char)text[0] >= 0x20 && (unsigned char)text[0] < 0x7f) {
		out[0] = text[0];
		*outlen = 1;
		return 1;
	}
	n = utf8_decode(text, UTF8_MAX, &cp);

	/* A byte that is not UTF-8, or a glyph of unknown width: store '?', not its bytes. */
	if (n == 0 || !codepoint_narrow(cp)) {
		out[0] = '?';
		*outlen = 1;
		return n == 0 ? 1 : n;
	}
	memcpy(out, text, n);
	*outlen = n;
	return n;
}

int canvas_text_width(const char *text)
{
	int cols = 0;
	char g[CANVAS_GLYPH];
	size_t gl;

	while (*text != '\0') {
		if ((unsigned char)*text >= 0x20 && (unsigned char)*text < 0x7f)
			text++;
		else
			text += glyph_next(text, g, &gl);
		cols++;
	}
	return cols;
}

int canvas_text(struct canvas *c, int x, int y, int maxw, enum canvas_role role,
		unsigned attr, const char *text)
{
	int cols = 0;
	char g[CANVAS_GLYPH];
	size_t gl;
	/* Columns x + cols that land on the canvas: from lo, before hi. */
	long lo = x < 0 ? -(long)x : 0, hi = (long)c->w - x;
	struct cell *row;

	if (maxw < hi)
		hi = maxw;
	if (y < 0 || y >= c->h)
		hi = 0;
	row = &c->cells[(size_t)(y >= 0 && y < c->h ? y : 0) * (size_t)c->w];
	while (*text != '\0') {
		text += glyph_next(text, g, &gl);
		if (cols >= lo && cols < hi) {
			struct cell *k = &row[(long)x + cols];

			*k = cell_ascii(g[0], role, attr);
			if (gl > 1)
				memcpy(k->glyph, g, gl);
		}
		cols++;
	}
	return cols;
}

int canvas_printf(struct canvas *c, int x, int y, int maxw, enum canvas_role role,
		  unsigned attr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return canvas_text(c, x, y, maxw, role, attr, buf);
}

int canvas_text_right(struct canvas *c, int right_x, int y, enum canvas_role role,
		      unsigned attr, const char *text)
{
	int x = right_x - canvas_text_width(text);

	canvas_text(c, x, y, right_x - x, role, attr, text);
	return x;
}

/* Clip the rectangle to the canvas; false when nothing of it is left. */
static bool clip(const struct canvas *c, int *x, int *y, int *w, int *h)
{
	int x1 = *x + *w, y1 = *y + *h;

	*x = clampi(*x, 0, c->w);
	*y = clampi(*y, 0, c->h);
	*w = clampi(x1, 0, c->w) - *x;
	*h = clampi(y1, 0, c->h) - *y;
	return *w > 0 && *h > 0;
}

void canvas_fill(struct canvas *c, int x, int y, int w, int h, enum canvas_role role)
{
	struct cell blank = cell_ascii(' ', role, ATTR_NONE);

	if ((long)x + w > INT_MAX || (long)y + h > INT_MAX || !clip(c, &x, &y, &w, &h))
		return;
	for (int j = y; j < y + h; j++) {
		struct cell *k = &c->cells[(size_t)j * (size_t)c->w + (size_t)x];

		for (int i = 0; i < w; i++)
			k[i] = blank;
	}
}

/* A border cell of a line kind, its glyph the Unicode one. */
static struct cell line_cell(enum canvas_line line, enum canvas_role role)
{
	const char *g = canvas_line_glyph(line);
	struct cell k = cell_ascii(' ', role, ATTR_NONE);

	memcpy(k.glyph, g, strlen(g));
	k.line = (unsigned char)line;
	return k;
}

static void line_set(struct canvas *c, int x, int y, enum canvas_line line, enum canvas_role role)
{
	struct cell *k = cell_at(c, x, y);

	if (k != NULL)
		*k = line_cell(line, role);
}

/* A run of one line kind along row y from x, n cells (clipped). */
static void line_run(struct canvas *c, int x, int y, int n, struct cell k)
{
	int h = 1;

	if (n <= 0 || !clip(c, &x, &y, &n, &h))
		return;
	for (struct cell *p = &c->cells[(size_t)y * (size_t)c->w + (size_t)x], *e = p + n; p < e; p++)
		*p = k;
}

void canvas_box(struct canvas *c, int x, int y, int w, int h, enum canvas_role border,
		const char *title, enum canvas_role title_role)
{
	struct cell hline = line_cell(LINE_H, border), vline = line_cell(LINE_V, border);

	if (w < 2 || h < 2)
		return;
	line_run(c, x + 1, y, w - 2, hline);
	line_run(c, x + 1, y + h - 1, w - 2, hline);
	for (int j = y + 1; j < y + h - 1; j++) {
		struct cell *k = cell_at(c, x, j);

		if (k != NULL)
			*k = vline;
		k = cell_at(c, x + w - 1, j);
		if (k != NULL)
			*k = vline;
	}
	line_set(c, x, y, LINE_UL, border);
	line_set(c, x + w - 1, y, LINE_UR, border);
	line_set(c, x, y + h - 1, LINE_LL, border);
	line_set(c, x + w - 1, y + h - 1, LINE_LR, border);
	/* " title " after the corner, cut so that its last space and two dashes always show. */
	if (title != NULL && w > 6) {
		int n;

		canvas_text(c, x + 1, y, 1, border, ATTR_NONE, " ");
		n = canvas_text(c, x + 2, y, w - 6, title_role, ATTR_BOLD, title);
		canvas_text(c, x + 2 + (n < w - 6 ? n : w - 6), y, 1, border, ATTR_NONE, " ");
	}
}

static const char *const blocks_utf8[9] = {
	" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█",
};
static const char blocks_ascii[9] = " .,-~=+*#";

/* Eighths of the chart's height that v fills: 1 .. 8*h for any known value. */
static int chart_level(double v, double max, int h)
{
	int top = 8 * h, l;

	if (isnan(v))
		return 0;
	if (!(max > 0) || v <= 0)
		return 1;
	l = (int)lround(v / max * top);
	return clampi(l, 1, top);
}

void canvas_chart(struct canvas *c, int x, int y, int w, int h, const double *v, size_t n,
		  double max, bool utf8, enum canvas_role role)
{
	size_t shown = n < (size_t)(w > 0 ? w : 0) ? n : (size_t)(w > 0 ? w : 0);
	int x0 = x + w - (int)shown;

	canvas_fill(c, x, y, w, h, role);
	for (size_t i = 0; i < shown; i++) {
		int level = chart_level(v[n - shown + i], max, h);

		for (int r = 0; r < h; r++) {
			/* r counts rows up from the bottom of the chart. */
			int fill = clampi(level - 8 * r, 0, 8);
			struct cell *k = cell_at(c, x0 + (int)i, y + h - 1 - r);
			char a[2] = { blocks_ascii[fill], '\0' };
			const char *g = utf8 ? blocks_utf8[fill] : a;

			if (k != NULL)
				cell_set(k, g, strlen(g), role, ATTR_NONE);
		}
	}
}

/* Braille dot bits by dot column (0, 1) and dot row (0 at the top .. 3). */
static const uint8_t braille_bit[2][4] = {
	{ 0x01, 0x02, 0x04, 0x40 },
	{ 0x08, 0x10, 0x20, 0x80 },
};

/* Charts up to this many cells keep their dots on the stack. */
#define DOTS_STACK_CELLS 4096

/* The dots a line chart marks: per cell a braille mask (UTF-8) or a glyph (ASCII), and a role. */
struct dots {
	int w, h, dx, dy;	/* cells, and dots per cell */
	bool utf8;
	uint8_t *mark;		/* w * h: braille bits, or an ASCII glyph; 0 for none */
	uint8_t *role;
};

/* lround for v >= 0, without the call: the integer part is exact below 2^52. */
static long round_nonneg(double v)
{
	long r = (long)v;

	return v - (double)r >= 0.5 ? r + 1 : r;
}

/* ASCII: dot row r (0 at the top) of dot column dc: a point's glyph, or '|' on a run. */
static void dots_mark_ascii(struct dots *d, int dc, int r, bool run, enum canvas_role role)
{
	int cy = r / d->dy;
	size_t i;

	if (dc < 0 || dc >= d->w || cy < 0 || cy >= d->h)
		return;
	i = (size_t)cy * (size_t)d->w + (size_t)dc;
	d->mark[i] = run ? (uint8_t)'|' : (uint8_t)"'-_"[r % 3];
	d->role[i] = (uint8_t)role;
}

/* Braille bits of dot rows from..to (0..3, from <= to) of dot column col, by [col][from][to]. */
static uint8_t braille_span(unsigned col, unsigned from, unsigned to)
{
	uint8_t bits = 0;

	for (unsigned r = from; r <= to; r++)
		bits |= braille_bit[col][r];
	return bits;
}

/*
 * UTF-8: dot rows a..b (0 <= a <= b, within the chart) of dot column dc,
 * a cell at a time: the bits of a run of rows within a cell are one mask,
 * so a long jump costs a step per cell it crosses, not per dot.
 */
static void dots_mark_braille(struct dots *d, int dc, int a, int b, enum canvas_role role)
{
	unsigned col = (unsigned)dc & 1, ua = (unsigned)a, ub = (unsigned)b;
	size_t cx = (size_t)dc / 2, w = (size_t)d->w;

	if (dc < 0 || cx >= w || a < 0 || ub / 4 >= (unsigned)d->h)
		return;
	for (unsigned cy = ua / 4; cy <= ub / 4; cy++) {
		unsigned from = cy * 4 > ua ? 0 : ua - cy * 4, to = cy * 4 + 3 < ub ? 3 : ub - cy * 4;
		size_t i = cy * w + cx;

		d->mark[i] |= from == to ? braille_bit[col][from] : braille_span(col, from, to);
		d->role[i] = (uint8_t)role;
	}
}

/* The dot row (0 at the top) where v sits between lo and hi. */
static int dots_row(const struct dots *d, double v, double lo, double hi)
{
	int rows = d->h * d->dy;
	double f = hi > lo ? (v - lo) / (hi - lo) : 0.5;

	if (!(f >= 0))
		f = 0;
	if (f > 1)
		f = 1;
	return rows - 1 - (int)round_nonneg(f * (rows - 1));
}

/*
 * One series: each value's dot, joined to the previous one by a run of
 * dots so a jump shows as a line, not two dots; a dashed series (a
 * target, not data) only in every other cell.
 */
static void dots_series(struct dots *d, const struct canvas_series *s, double lo, double hi)
{
	size_t cols = (size_t)(d->w * d->dx), m = s->n < cols ? s->n : cols;
	int prev = -1;

	for (size_t i = 0; i < m; i++) {
		double v = s->v[s->n - m + i];
		int dc = (int)(cols - m + i), r;

		if (isnan(v)) {
			prev = -1;
			continue;
		}
		r = dots_row(d, v, lo, hi);
		if (s->dashed) {
			if ((dc / d->dx) % 2 == 0) {
				if (d->utf8)
					dots_mark_braille(d, dc, r, r, s->role);
				else
					dots_mark_ascii(d, dc, r, false, s->role);
			}
			continue;
		}
		if (d->utf8) {
			/* The run from the previous value and the point itself are one span of dots. */
			if (prev < 0 || prev == r) {
				/* One dot (most of them): dc and r lie within the chart by construction. */
				unsigned ur = (unsigned)r, udc = (unsigned)dc;
				size_t at = (size_t)(ur / 4) * (size_t)d->w + udc / 2;

				d->mark[at] |= braille_bit[udc % 2][ur % 4];
				d->role[at] = (uint8_t)s->role;
			} else if (prev < r)
				dots_mark_braille(d, dc, prev + 1, r, s->role);
			else
				dots_mark_braille(d, dc, r, prev - 1, s->role);
		} else {
			if (prev >= 0 && prev != r)
				for (int k = prev < r ? prev + 1 : prev - 1; k != r; k += prev < r ? 1 : -1)
					dots_mark_ascii(d, dc, k, true, s->role);
			dots_mark_ascii(d, dc, r, false, s->role);
		}
		prev = r;
	}
}

/* The cell a chart's mark shows as: a braille glyph (three bytes of UTF-8) or an ASCII one. */
static struct cell dots_cell(const struct dots *d, size_t at)
{
	struct cell k = cell_ascii((char)d->mark[at], (enum canvas_role)d->role[at], ATTR_NONE);

	if (d->utf8) {
		/* U+2800 + bits: E2 A0|bits>>6 80|bits&3F. */
		k.glyph[0] = (char)0xe2;
		k.glyph[1] = (char)(0xa0 | (d->mark[at] >> 6));
		k.glyph[2] = (char)(0x80 | (d->mark[at] & 0x3f));
	}
	return k;
}

int canvas_lines(struct canvas *c, int x, int y, int w, int h, const struct canvas_series *s,
		 size_t ns, double lo, double hi, bool utf8)
{
	struct dots d = { .w = w, .h = h, .dx = CANVAS_DOTS_X(utf8), .dy = CANVAS_DOTS_Y(utf8),
			  .utf8 = utf8 };
	uint8_t mark[DOTS_STACK_CELLS], role[DOTS_STACK_CELLS];
	struct cell blank = cell_ascii(' ', ROLE_NORMAL, ATTR_NONE);
	size_t cells;
	int cx = x, cy = y, cw = w, ch = h;

	if (w <= 0 || h <= 0)
		return 0;
	cells = (size_t)w * (size_t)h;
	d.mark = cells <= DOTS_STACK_CELLS ? mark : xcalloc(cells, 1);
	d.role = cells <= DOTS_STACK_CELLS ? role : xcalloc(cells, 1);
	if (cells <= DOTS_STACK_CELLS)
		memset(mark, 0, cells);
	for (size_t i = 0; i < ns; i++)
		dots_series(&d, &s[i], lo, hi);
	/* Every cell of the rectangle once: its mark, or a blank. */
	if ((long)x + w <= INT_MAX && (long)y + h <= INT_MAX && clip(c, &cx, &cy, &cw, &ch))
		for (int j = cy; j < cy + ch; j++) {
			struct cell *k = &c->cells[(size_t)j * (size_t)c->w];
			size_t at = (size_t)(j - y) * (size_t)w + (size_t)(cx - x);

			for (int i = cx; i < cx + cw; i++, at++) {
				if (d.mark[at] == 0)
					k[i] = blank;
				else
					k[i] = dots_cell(&d, at);
			}
		}
	if (d.mark != mark) {
		free(d.mark);
		free(d.role);
	}
	return w * d.dx;
}

const char *canvas_line_glyph(enum canvas_line line)
{
	switch (line) {
	case LINE_H: return "─";
	case LINE_V: return "│";
	case LINE_UL: return "┌";
	case LINE_UR: return "┐";
	case LINE_LL: return "└";
	case LINE_LR: return "┘";
	case LINE_NONE: break;
	}
	return "";
}

size_t canvas_row(const struct canvas *c, int y, char *buf, size_t len)
{
	size_t used = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (y < 0 || y >= c->h)
		return 0;
	for (int x = 0; x < c->w; x++) {
		const struct cell *k = canvas_cell(c, x, y);
		size_t gl = strlen(k->glyph);

		if (used + gl + 1 > len)
			break;
		memcpy(buf + used, k->glyph, gl);
		used += gl;
	}
	buf[used] = '\0';
	return used;
}
