/*
 * The canvas: a grid of cells that panels draw into and the terminal backend
 * copies to the screen. A cell holds one UTF-8 glyph of one column, a colour
 * role (what the cell means, not which colour it gets: the backend maps roles
 * to colours or attributes per theme) and attributes. Border cells also carry
 * a line kind so the backend can draw them with the terminal's own
 * line-drawing characters. Nothing here knows about ncurses, so Check can
 * render whole screens and read them back as text.
 */
#ifndef RT_UI_CANVAS_H
#define RT_UI_CANVAS_H

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum canvas_role {
	ROLE_NORMAL = 0,
	ROLE_DIM,
	ROLE_TITLE,
	ROLE_BORDER,
	ROLE_OK,
	ROLE_WARN,
	ROLE_FAIL,
	ROLE_UNKNOWN,
	ROLE_BREAKER_CLOSED,
	ROLE_BREAKER_HALF,
	ROLE_BREAKER_OPEN,
	ROLE_STALE,
	ROLE_PAUSED,
	ROLE_CHART,		/* a chart's main series (P95, req/s) */
	ROLE_CHART2,		/* a second series (P50) */
	ROLE_CHART3,		/* a third series (P99) */
	ROLE_TARGET,		/* a target drawn as a line in a chart */
	ROLE_COUNT
};

enum canvas_attr {
	ATTR_NONE = 0,
	ATTR_BOLD = 1,
	ATTR_REVERSE = 2,
	ATTR_UNDERLINE = 4,
};

/* Box-drawing cells; the backend draws them with ACS/WACS characters. */
enum canvas_line {
	LINE_NONE = 0,
	LINE_H, LINE_V, LINE_UL, LINE_UR, LINE_LL, LINE_LR,
};

/* The largest canvas we allocate; bigger terminals are clipped to it. */
#define CANVAS_MAX_W 1000
#define CANVAS_MAX_H 500
#define CANVAS_GLYPH 5		/* one UTF-8 code point and its NUL */
/* A text width limit meaning "up to the canvas's right edge". */
#define CANVAS_TO_EDGE INT_MAX

struct cell {
	char glyph[CANVAS_GLYPH];
	unsigned char role;	/* enum canvas_role */
	unsigned char attr;	/* enum canvas_attr bits */
	unsigned char line;	/* enum canvas_line */
};

struct canvas {
	int w, h;
	struct cell *cells;	/* w * h, row-major */
};

/* A blank canvas of w x h (clamped to 1..CANVAS_MAX_*). Never returns NULL. */
struct canvas *canvas_new(int w, int h);
void canvas_free(struct canvas *c);	/* NULL is fine */
/* Change the size; the content becomes blank. */
void canvas_resize(struct canvas *c, int w, int h);
/* Every cell a blank ROLE_NORMAL space. */
void canvas_clear(struct canvas *c);

/* The cell at (x, y), or NULL outside the canvas. */
const struct cell *canvas_cell(const struct canvas *c, int x, int y);
/* Whether two cells show the same thing (glyph, role, attributes, line). */
bool cell_equal(const struct cell *a, const struct cell *b);

/*
 * Write UTF-8 text at (x, y), at most maxw columns (CANVAS_TO_EDGE: no
 * limit; 0 or less: nothing, so a computed width that runs out is safe),
 * clipped to the canvas. Control characters, invalid UTF-8 and glyphs
 * that are not one column wide become '?', so outside text can never break
 * the layout. Returns the number of columns the text takes (even the part
 * that was clipped), so callers can lay out what follows.
 */
int canvas_text(struct canvas *c, int x, int y, int maxw, enum canvas_role role,
		unsigned attr, const char *text);
/* The same with printf formatting (the result is capped at 512 bytes). */
int canvas_printf(struct canvas *c, int x, int y, int maxw, enum canvas_role role,
		  unsigned attr, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Text that ends just before column right_x (right-aligned); returns its start column. */
int canvas_text_right(struct canvas *c, int right_x, int y, enum canvas_role role,
		      unsigned attr, const char *text);
/* Columns the text would take on the canvas. */
int canvas_text_width(const char *text);

/* Fill a rectangle with blanks of role. */
void canvas_fill(struct canvas *c, int x, int y, int w, int h, enum canvas_role role);

/*
 * A box with its border on the rectangle's edge (w, h >= 2) and, if title is
 * not NULL and w > 6, " title " set into the top edge two columns in: the
 * title cut to w - 6 columns, so a space always parts it from the line.
 */
void canvas_box(struct canvas *c, int x, int y, int w, int h, enum canvas_role border,
		const char *title, enum canvas_role title_role);

/*
 * A bar chart w columns wide and h rows high at (x, y) of the last w of the
 * n values (older ones scroll off the left; fewer than w are right-aligned),
 * scaled so that max fills the height. One row is a sparkline. NAN values
 * are gaps; any known value, even 0, shows at least the lowest block so a
 * known zero differs from unknown. utf8 selects block elements (▁..█),
 * otherwise ASCII (".,-~=+*#").
 */
void canvas_chart(struct canvas *c, int x, int y, int w, int h, const double *v, size_t n,
		  double max, bool utf8, enum canvas_role role);

/* One line of a line chart: n values, oldest first; NAN is a gap. */
struct canvas_series {
	const double *v;
	size_t n;
	enum canvas_role role;
	bool dashed;		/* drawn in dashes: a target, not data */
};

/* Dots a chart cell holds across and down: braille in UTF-8, one glyph in ASCII. */
#define CANVAS_DOTS_X(utf8) ((utf8) ? 2 : 1)
#define CANVAS_DOTS_Y(utf8) ((utf8) ? 4 : 3)

/*
 * A line chart w columns wide and h rows high at (x, y), as btop and bottom
 * draw them: each series' newest w * CANVAS_DOTS_X values, one per dot
 * column, right-aligned (the newest at the right edge), lo on the bottom
 * dot row and hi on the top one (values beyond are held at the edge), and
 * consecutive values joined by a vertical run of dots so the line never
 * breaks. UTF-8 draws braille cells of 2 x 4 dots (U+2800..U+28FF); ASCII
 * one mark per cell, '_', '-' or '\'' by its third of the cell and '|'
 * along a run, a dashed series '-' in every other column. A cell takes the
 * role of the last series that marked it, so later series lie on top.
 * The rectangle is blanked first. Returns how many values fit a line
 * (w * CANVAS_DOTS_X), so a caller can say what span it shows.
 */
int canvas_lines(struct canvas *c, int x, int y, int w, int h, const struct canvas_series *s,
		 size_t ns, double lo, double hi, bool utf8);

/*
 * Copy row y as UTF-8 into buf (len bytes, always terminated); border cells
 * are shown as Unicode box characters. Returns the bytes written.
 */
size_t canvas_row(const struct canvas *c, int y, char *buf, size_t len);

/* The glyph a border cell shows as text: "─", "│", "┌" ... ("" for LINE_NONE). */
const char *canvas_line_glyph(enum canvas_line line);

#endif
