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

/* Every frame starts here: one blank cell, copied, rather than cell_set on each. */
void canvas_clear(struct canvas *c)
{
	struct cell blank;
	size_t n = (size_t)c->w * (size_t)c->h;

	cell_set(&blank, " ", 1, ROLE_NORMAL, ATTR_NONE);
	for (size_t i = 0; i < n; i++)
		c->cells[i] = blank;
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
	size_t n = utf8_decode(text, UTF8_MAX, &cp);

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

	while (*text != '\0') {
		struct cell *k;

		text += glyph_next(text, g, &gl);
		k = cols < maxw ? cell_at(c, x + cols, y) : NULL;
		if (k != NULL)
			cell_set(k, g, gl, role, attr);
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

void canvas_fill(struct canvas *c, int x, int y, int w, int h, enum canvas_role role)
{
	for (int j = y; j < y + h; j++)
		for (int i = x; i < x + w; i++) {
			struct cell *k = cell_at(c, i, j);

			if (k != NULL)
				cell_set(k, " ", 1, role, ATTR_NONE);
		}
}

static void line_set(struct canvas *c, int x, int y, enum canvas_line line, enum canvas_role role)
{
	struct cell *k = cell_at(c, x, y);
	const char *g = canvas_line_glyph(line);

	if (k == NULL)
		return;
	cell_set(k, g, strlen(g), role, ATTR_NONE);
	k->line = (unsigned char)line;
}

void canvas_box(struct canvas *c, int x, int y, int w, int h, enum canvas_role border,
		const char *title, enum canvas_role title_role)
{
	if (w < 2 || h < 2)
		return;
	for (int i = x + 1; i < x + w - 1; i++) {
		line_set(c, i, y, LINE_H, border);
		line_set(c, i, y + h - 1, LINE_H, border);
	}
	for (int j = y + 1; j < y + h - 1; j++) {
		line_set(c, x, j, LINE_V, border);
		line_set(c, x + w - 1, j, LINE_V, border);
	}
	line_set(c, x, y, LINE_UL, border);
	line_set(c, x + w - 1, y, LINE_UR, border);
	line_set(c, x, y + h - 1, LINE_LL, border);
	line_set(c, x + w - 1, y + h - 1, LINE_LR, border);
	if (title != NULL && w > 6) {
		int room = w - 4;

		canvas_text(c, x + 1, y, room, border, ATTR_NONE, " ");
		int n = canvas_text(c, x + 2, y, room - 2, title_role, ATTR_BOLD, title);
		if (n < room - 2)
			canvas_text(c, x + 2 + n, y, 1, border, ATTR_NONE, " ");
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

/* The dots a line chart marks: per cell a braille mask (UTF-8) or a glyph (ASCII), and a role. */
struct dots {
	int w, h, dx, dy;	/* cells, and dots per cell */
	bool utf8;
	uint8_t *mark;		/* w * h: braille bits, or an ASCII glyph; 0 for none */
	uint8_t *role;
};

/* Dot row r (0 at the top) of dot column dc: a point's glyph, or '|' on a run. */
static void dots_mark(struct dots *d, int dc, int r, bool run, enum canvas_role role)
{
	int cx = dc / d->dx, cy = r / d->dy;
	size_t i;

	if (cx < 0 || cx >= d->w || cy < 0 || cy >= d->h)
		return;
	i = (size_t)cy * (size_t)d->w + (size_t)cx;
	if (d->utf8)
		d->mark[i] |= braille_bit[dc % 2][r % 4];
	else if (run)
		d->mark[i] = '|';
	else
		d->mark[i] = (uint8_t)"'-_"[r % 3];
	d->role[i] = (uint8_t)role;
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
	return rows - 1 - (int)lround(f * (rows - 1));
}

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
			/* Every other cell: a dash cannot be taken for a series of data. */
			if ((dc / d->dx) % 2 == 0)
				dots_mark(d, dc, r, false, s->role);
			continue;
		}
		/* The run from the previous value, so a jump shows as a line, not two dots. */
		if (prev >= 0 && prev != r)
			for (int k = prev < r ? prev + 1 : prev - 1; k != r; k += prev < r ? 1 : -1)
				dots_mark(d, dc, k, true, s->role);
		dots_mark(d, dc, r, false, s->role);
		prev = r;
	}
}

int canvas_lines(struct canvas *c, int x, int y, int w, int h, const struct canvas_series *s,
		 size_t ns, double lo, double hi, bool utf8)
{
	struct dots d = { .w = w, .h = h, .dx = CANVAS_DOTS_X(utf8), .dy = CANVAS_DOTS_Y(utf8),
			  .utf8 = utf8 };

	if (w <= 0 || h <= 0)
		return 0;
	canvas_fill(c, x, y, w, h, ROLE_NORMAL);
	d.mark = xcalloc((size_t)w * (size_t)h, 1);
	d.role = xcalloc((size_t)w * (size_t)h, 1);
	for (size_t i = 0; i < ns; i++)
		dots_series(&d, &s[i], lo, hi);
	for (int j = 0; j < h; j++)
		for (int i = 0; i < w; i++) {
			size_t at = (size_t)j * (size_t)w + (size_t)i;
			struct cell *k = cell_at(c, x + i, y + j);
			char g[CANVAS_GLYPH];
			uint32_t cp = 0x2800u + d.mark[at];

			if (k == NULL || d.mark[at] == 0)
				continue;
			if (utf8) {
				/* U+2800..U+28FF in UTF-8: three bytes. */
				g[0] = (char)0xe2;
				g[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				g[2] = (char)(0x80 | (cp & 0x3f));
				cell_set(k, g, 3, (enum canvas_role)d.role[at], ATTR_NONE);
			} else {
				g[0] = (char)d.mark[at];
				cell_set(k, g, 1, (enum canvas_role)d.role[at], ATTR_NONE);
			}
		}
	free(d.mark);
	free(d.role);
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
