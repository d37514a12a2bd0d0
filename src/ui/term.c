/*
 * The ncurses backend (see term.h). Colour pairs are set up once, one per
 * canvas role, from the basic eight colours only, so every colour terminal
 * shows the same screen. Without colour each role gets an attribute instead
 * (bold, dim, reverse), never a colour escape.
 *
 * Themes: the default maps OK/WARN/FAIL to green/yellow/red (the breaker's
 * closed/half-open/open alike); "cb" (colour-blind friendly) maps them to
 * blue/yellow/magenta, the basic colours furthest apart for red-green
 * colour blindness.
 */
#include "ui/term.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/input.h"
#include "utf8.h"
#include "util.h"

struct role_style {
	short fg;		/* -1: the terminal's default colour */
	attr_t color_attr;	/* added when drawing in colour */
	attr_t mono_attr;	/* used instead without colour */
};

struct term {
	SCREEN *screen;
	bool color, utf8;
	struct role_style styles[ROLE_COUNT];
	struct canvas *prev;	/* what the screen shows now; NULL: unknown */
	size_t drawn;
};

/* Indexed by canvas role; the theme only changes the OK/WARN/FAIL family. */
static void role_styles(enum ui_theme theme, struct role_style out[ROLE_COUNT])
{
	short ok = theme == UI_THEME_CB ? COLOR_BLUE : COLOR_GREEN;
	short fail = theme == UI_THEME_CB ? COLOR_MAGENTA : COLOR_RED;

	for (int i = 0; i < ROLE_COUNT; i++)
		out[i] = (struct role_style){ -1, A_NORMAL, A_NORMAL };
	out[ROLE_DIM] = (struct role_style){ -1, A_DIM, A_DIM };
	out[ROLE_TITLE] = (struct role_style){ COLOR_CYAN, A_BOLD, A_BOLD };
	out[ROLE_BORDER] = (struct role_style){ -1, A_NORMAL, A_NORMAL };
	out[ROLE_OK] = (struct role_style){ ok, A_NORMAL, A_NORMAL };
	out[ROLE_WARN] = (struct role_style){ COLOR_YELLOW, A_NORMAL, A_BOLD };
	out[ROLE_FAIL] = (struct role_style){ fail, A_BOLD, A_BOLD | A_UNDERLINE };
	out[ROLE_UNKNOWN] = (struct role_style){ -1, A_DIM, A_DIM };
	out[ROLE_BREAKER_CLOSED] = (struct role_style){ ok, A_NORMAL, A_NORMAL };
	out[ROLE_BREAKER_HALF] = (struct role_style){ COLOR_YELLOW, A_NORMAL, A_BOLD };
	out[ROLE_BREAKER_OPEN] = (struct role_style){ fail, A_BOLD, A_BOLD | A_UNDERLINE };
	out[ROLE_STALE] = (struct role_style){ COLOR_YELLOW, A_NORMAL, A_BOLD };
	out[ROLE_PAUSED] = (struct role_style){ COLOR_CYAN, A_NORMAL, A_BOLD };
	out[ROLE_CHART] = (struct role_style){ COLOR_CYAN, A_NORMAL, A_NORMAL };
	/* Series colours stay clear of the theme's status colours (cb has neither red nor green). */
	out[ROLE_CHART2] = theme == UI_THEME_CB ? (struct role_style){ -1, A_DIM, A_DIM }
						: (struct role_style){ COLOR_BLUE, A_NORMAL, A_DIM };
	out[ROLE_CHART3] = (struct role_style){ theme == UI_THEME_CB ? COLOR_WHITE : COLOR_MAGENTA,
						A_NORMAL, A_NORMAL };
	out[ROLE_TARGET] = (struct role_style){ -1, A_BOLD, A_BOLD };
}

static void colors_init(const struct term *t)
{
	short bg = COLOR_BLACK;

	start_color();
	if (use_default_colors() == OK)
		bg = -1;
	for (int i = 0; i < ROLE_COUNT; i++)
		init_pair((short)(i + 1), t->styles[i].fg, bg);
}

struct term *term_open(const struct term_options *o, char *err, size_t errlen)
{
	return term_open_files(o, stdout, stdin, err, errlen);
}

struct term *term_open_files(const struct term_options *o, FILE *out, FILE *in, char *err,
			     size_t errlen)
{
	struct term *t = xcalloc(1, sizeof(*t));
	const char *name = getenv("TERM");

	t->screen = newterm(NULL, out, in);
	if (t->screen == NULL) {
		str_printf(err, errlen, "cannot use terminal type '%s'; use --batch",
			   name != NULL ? name : "(unset)");
		free(t);
		return NULL;
	}
	set_term(t->screen);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/*
	 * Home and End as VT220-style terminals (tmux, screen, the Linux
	 * console) and rxvt send them, whatever TERM's terminfo says.
	 */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[8~", KEY_END);
	define_key("\033[H", KEY_HOME);
	define_key("\033[F", KEY_END);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	role_styles(o->theme, t->styles);
	t->color = o->color && has_colors();
	if (t->color)
		colors_init(t);
	t->utf8 = o->utf8;
	return t;
}

void term_restore(void)
{
	if (stdscr != NULL && !isendwin()) {
		curs_set(1);
		endwin();
	}
}

void term_suspend(struct term *t)
{
	(void)t;
	term_restore();
	fflush(stdout);
}

void term_resume(struct term *t)
{
	/*
	 * Leave and enter again, whatever state the stop left us in: endwin()
	 * then refresh() puts back the program's tty modes, the alternate
	 * screen and keypad mode, and clearok() repaints what the shell wrote over.
	 */
	if (!isendwin())
		endwin();
	refresh();
	curs_set(0);
	clearok(curscr, TRUE);
	term_invalidate(t);
}

void term_close(struct term *t)
{
	if (t == NULL)
		return;
	term_restore();
	delscreen(t->screen);
	canvas_free(t->prev);
	free(t);
}

void term_size(const struct term *t, int *w, int *h)
{
	(void)t;
	getmaxyx(stdscr, *h, *w);
}

int term_key(struct term *t)
{
	int ch = getch();

	(void)t;
	if (ch == ERR)
		return -1;
	switch (ch) {
	case KEY_RESIZE: return UI_KEY_RESIZE;
	case KEY_LEFT: return UI_KEY_LEFT;
	case KEY_RIGHT: return UI_KEY_RIGHT;
	case KEY_UP: return UI_KEY_UP;
	case KEY_DOWN: return UI_KEY_DOWN;
	case KEY_PPAGE: return UI_KEY_PGUP;
	case KEY_NPAGE: return UI_KEY_PGDN;
	/* VT220-style terminals send Home and End as what xterm's terminfo calls Find and Select. */
	case KEY_HOME: case KEY_FIND: return UI_KEY_HOME;
	case KEY_END: case KEY_SELECT: return UI_KEY_END;
	case KEY_ENTER: return UI_KEY_ENTER;
	case KEY_BACKSPACE: return UI_KEY_BACKSPACE;
	case KEY_BTAB: return UI_KEY_BTAB;
	default: return ch;
	}
}

static attr_t cell_attr(const struct term *t, const struct cell *k)
{
	const struct role_style *s = &t->styles[k->role < ROLE_COUNT ? k->role : ROLE_NORMAL];
	attr_t a = t->color ? s->color_attr | COLOR_PAIR(k->role + 1) : s->mono_attr;

	if (k->attr & ATTR_BOLD)
		a |= A_BOLD;
	if (k->attr & ATTR_REVERSE)
		a |= A_REVERSE;
	if (k->attr & ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	return a;
}

/* WACS in a UTF-8 locale (Unicode box drawing), ACS elsewhere. */
static const cchar_t *line_wchar(enum canvas_line line)
{
	switch (line) {
	case LINE_H: return WACS_HLINE;
	case LINE_V: return WACS_VLINE;
	case LINE_UL: return WACS_ULCORNER;
	case LINE_UR: return WACS_URCORNER;
	case LINE_LL: return WACS_LLCORNER;
	case LINE_LR: return WACS_LRCORNER;
	case LINE_NONE: break;
	}
	return NULL;
}

static chtype line_char(enum canvas_line line)
{
	switch (line) {
	case LINE_H: return ACS_HLINE;
	case LINE_V: return ACS_VLINE;
	case LINE_UL: return ACS_ULCORNER;
	case LINE_UR: return ACS_URCORNER;
	case LINE_LL: return ACS_LLCORNER;
	case LINE_LR: return ACS_LRCORNER;
	case LINE_NONE: break;
	}
	return ' ';
}

/*
 * One glyph, decoded here (utf8.h) rather than by the C library, so that
 * curses gets a character, never bytes. The canvas holds only printable
 * glyphs of one column; outside a UTF-8 locale anything beyond ASCII would
 * print as several cells: '?' instead.
 */
static void glyph_put(const struct term *t, int x, int y, const char *glyph, attr_t a)
{
	uint32_t cp;
	wchar_t wch[2] = { 0, 0 };
	cchar_t wc;

	if (utf8_decode(glyph, CANVAS_GLYPH, &cp) == 0 || (!t->utf8 && cp >= 0x80))
		cp = '?';
	else if (cp < 0x20)
		cp = ' ';
	if (cp < 0x80) {
		mvaddch(y, x, (chtype)cp | a);
		return;
	}
	wch[0] = (wchar_t)cp;
	setcchar(&wc, wch, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
	mvadd_wch(y, x, &wc);
}

static void cell_put(const struct term *t, int x, int y, const struct cell *k)
{
	attr_t a = cell_attr(t, k);

	if (k->line != LINE_NONE && t->utf8) {
		wchar_t wch[CCHARW_MAX + 1];
		attr_t wa;
		short pair;
		cchar_t wc;

		getcchar(line_wchar((enum canvas_line)k->line), wch, &wa, &pair, NULL);
		setcchar(&wc, wch, wa | (a & ~A_COLOR), (short)PAIR_NUMBER(a), NULL);
		mvadd_wch(y, x, &wc);
		return;
	}
	if (k->line != LINE_NONE) {
		mvaddch(y, x, line_char((enum canvas_line)k->line) | a);
		return;
	}
	glyph_put(t, x, y, k->glyph, a);
}

void term_invalidate(struct term *t)
{
	canvas_free(t->prev);
	t->prev = NULL;
}

/*
 * The diff runs row by row: a row that has not changed since the last frame
 * (most of them) is skipped with one memcmp; in the others, each changed
 * cell goes to curses. Cells compare byte for byte (see cell_equal).
 */
void term_draw(struct term *t, const struct canvas *c)
{
	bool full = t->prev == NULL || t->prev->w != c->w || t->prev->h != c->h;
	size_t w = (size_t)c->w;

	if (full) {
		canvas_free(t->prev);
		t->prev = canvas_new(c->w, c->h);
		clearok(stdscr, TRUE);
		erase();
	}
	t->drawn = 0;
	for (int y = 0; y < c->h; y++) {
		const struct cell *row = &c->cells[(size_t)y * w];
		struct cell *shown = &t->prev->cells[(size_t)y * w];

		if (!full && memcmp(row, shown, w * sizeof(*row)) == 0)
			continue;
		for (size_t x = 0; x < w; x++) {
			if (!full && cell_equal(&row[x], &shown[x]))
				continue;
			cell_put(t, (int)x, y, &row[x]);
			shown[x] = row[x];
			t->drawn++;
		}
	}
	refresh();
}

bool term_has_color(const struct term *t)
{
	return t->color;
}

size_t term_cells_drawn(const struct term *t)
{
	return t->drawn;
}
