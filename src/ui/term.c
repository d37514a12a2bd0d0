/*
 * The terminal backend (see term.h). Curses sets the terminal up (modes,
 * keypad, alternate screen, colours), reads the keys and gives the
 * terminal back; the frames themselves are written here, from the
 * canvas's own diff, with the terminal's terminfo strings.
 *
 * Curses' windows: it keeps three the size of the screen (stdscr, curscr,
 * newscr: 28 bytes a cell, about 400 KB at 120x40, half of the screen's
 * private memory) that no frame goes through. So curses is told the
 * screen is one cell, by LINES and COLUMNS, which it reads first; the
 * user's values go back at once, and the real size is read here from the
 * same sources in curses' order (term_size). Resizes arrive through our
 * own SIGWINCH handler, installed before curses starts so that curses,
 * which follows only a default one, leaves it alone and never grows its
 * windows back.
 *
 * Why not through curses' refresh: the canvas already knows which cells
 * changed since the last frame, and curses would find them again (a
 * second copy of the screen, a hash of every line, a search for scrolled
 * lines) and then price every cursor move several ways, formatting each
 * candidate escape sequence to measure it. With a line chart moving half
 * a cell per snapshot that was three quarters of a frame's cost. Here a
 * frame is: skip each unchanged row with one memcmp; in the others, for
 * each changed cell, a cursor move when it does not follow the last one,
 * the cell's look when it differs from the last one's, and its bytes, all
 * into one buffer, written once.
 *
 * Every escape sequence comes from terminfo, looked up once when the
 * terminal opens: a look (a role and attributes) is set the way curses
 * sets it, with set_attributes (or exit_attribute_mode and the enter_*
 * strings) followed by the role's colour; cursor moves are
 * cursor_address, formatted here when it is the ANSI one (checked
 * against tiparm on a few positions), else by tiparm. A terminal without
 * cursor_address cannot show the dashboard: the open fails and says so.
 *
 * Colour pairs: one per canvas role, from the basic eight colours only,
 * so every colour terminal shows the same screen. Without colour each
 * role gets an attribute instead (bold, dim, reverse), never a colour
 * escape.
 *
 * Themes: the default maps OK/WARN/FAIL to green/yellow/red (the breaker's
 * closed/half-open/open alike); "cb" (colour-blind friendly) maps them to
 * blue/yellow/magenta, the basic colours furthest apart for red-green
 * colour blindness.
 */
#include "ui/term.h"

#include <curses.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui/input.h"
#include "utf8.h"
#include "util.h"

struct role_style {
	short fg;		/* -1: the terminal's default colour */
	attr_t color_attr;	/* added when drawing in colour */
	attr_t mono_attr;	/* used instead without colour */
};

/* A look: a role, the canvas attribute bits, and the alternate character set (borders). */
#define LOOK_ATTRS 8	/* ATTR_BOLD | ATTR_REVERSE | ATTR_UNDERLINE: 0..7 */
#define LOOK_COUNT (ROLE_COUNT * LOOK_ATTRS * 2)
#define LOOK_NONE (-1)	/* the terminal's look is not known */

static int look_index(unsigned role, unsigned attr, bool acs)
{
	return (int)(((role < ROLE_COUNT ? role : ROLE_NORMAL) * LOOK_ATTRS + (attr & 7)) * 2 + acs);
}

/* A string from terminfo, kept in the term's arena: offset and length. */
struct seq {
	size_t off, len;
};

/* How a border cell is written when not as its UTF-8 glyph: one byte, in the alternate set or not. */
struct line_out {
	char ch;
	bool acs;
};

/* Cells compared at once along a changed row. */
#define DIFF_BLOCK 8

/* Bounds on writing a frame to a terminal that will not take it (EAGAIN, EINTR). */
#define WRITE_TRIES 1000
#define WRITE_WAIT_MS 100

struct term {
	SCREEN *screen;
	struct sigaction old_winch;	/* SIGWINCH's handler before ours */
	int fd;			/* where frames are written: the curses screen's output */
	bool color, utf8;
	bool lines_utf8;	/* borders as their Unicode glyphs, else through line[] */
	struct role_style styles[ROLE_COUNT];
	struct canvas *prev;	/* what the screen shows now; NULL: unknown */
	size_t drawn;

	/* terminfo, looked up once */
	char *arena;
	size_t arena_len, arena_cap;
	struct seq look[LOOK_COUNT];	/* the look from any state */
	struct seq normal;		/* back to no attributes, default colours */
	struct seq clear;		/* clear the screen (empty: none) */
	struct seq am_off, am_on;	/* auto margins off and on again (empty: none) */
	const char *cup;		/* cursor_address */
	bool cup_ansi;			/* it is ESC [ row ; col H, formatted here */
	bool lr_scrolls;		/* writing the bottom-right cell would scroll the screen */
	struct line_out line[LINE_LR + 1];

	/* the frame being written */
	char *buf;
	size_t len, cap;
	int cur_x, cur_y;	/* the terminal's cursor, -1: not known */
	int cur_look;		/* the terminal's look, LOOK_NONE: not known */
	int cols, rows;		/* the terminal's size at this frame */
	int env_cols, env_rows;	/* COLUMNS and LINES as the user set them; 0: unset */
};

/*
 * What a signal handler and term_restore (run by fatal(), with no term at
 * hand) share with the rest; curses' own screen is just as global. One
 * dashboard runs at a time.
 */
static volatile sig_atomic_t term_resized;	/* a SIGWINCH since term_key last said so */
static int term_out_fd = -1;			/* where the open dashboard's frames go */

static void term_on_winch(int sig)
{
	(void)sig;
	term_resized = 1;
}

/* A size from LINES or COLUMNS as curses reads it: a positive number, else 0. */
static int env_size(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	return end != s && *end == '\0' && errno == 0 && v > 0 && v <= SHRT_MAX ? (int)v : 0;
}

/*
 * The screen's size the way curses finds it: LINES and COLUMNS (read once,
 * as curses does, and passed in), else the tty's, else 80x24.
 */
static void screen_size(int fd, int env_cols, int env_rows, int *w, int *h)
{
	struct winsize ws;
	int lines = env_rows, cols = env_cols;

	if ((lines == 0 || cols == 0) && ioctl(fd, TIOCGWINSZ, &ws) == 0) {
		if (lines == 0)
			lines = ws.ws_row;
		if (cols == 0)
			cols = ws.ws_col;
	}
	*h = lines > 0 ? lines : 24;
	*w = cols > 0 ? cols : 80;
}

/* A copy of an environment variable's value, NULL when unset. */
static char *env_keep(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? xstrdup(v) : NULL;
}

/* Put back a value env_keep kept, and free the copy. */
static void env_put_back(const char *name, char *kept)
{
	if (kept != NULL)
		setenv(name, kept, 1);
	else
		unsetenv(name);
	free(kept);
}

/* Curses on out and in, with windows of one cell (see the opening comment). */
static SCREEN *screen_open_small(FILE *out, FILE *in)
{
	char *lines = env_keep("LINES"), *cols = env_keep("COLUMNS");
	SCREEN *sp;

	setenv("LINES", "1", 1);
	setenv("COLUMNS", "1", 1);
	sp = newterm(NULL, out, in);
	env_put_back("LINES", lines);
	env_put_back("COLUMNS", cols);
	return sp;
}

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

/* A terminfo string capability, or NULL when the terminal has none. */
static const char *ti_str(const char *name)
{
	const char *s = tigetstr(name);

	return s == (const char *)-1 ? NULL : s;
}

/* Room for n more bytes in the frame buffer, which grows as needed (never NULL, even for none). */
static char *out_reserve(struct term *t, size_t n)
{
	if (t->len + n > t->cap || t->buf == NULL) {
		if (t->cap == 0)
			t->cap = 4096;
		while (t->len + n > t->cap)
			t->cap *= 2;
		t->buf = xrealloc(t->buf, t->cap);
	}
	return t->buf + t->len;
}

static void out_bytes(struct term *t, const char *s, size_t n)
{
	memcpy(out_reserve(t, n), s, n);
	t->len += n;
}

static void out_seq(struct term *t, struct seq q)
{
	out_bytes(t, t->arena + q.off, q.len);
}

/*
 * Copy the n bytes of s to dst (room for n) without their padding
 * ("$<5>", "$<2*>"): the terminals curses pads for want delays, not
 * bytes, and a pty wants neither. Returns the bytes copied.
 */
static size_t unpad(const char *s, size_t n, char *dst)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '$' && i + 1 < n && s[i + 1] == '<') {
			size_t j = i + 2;

			while (j < n && strchr("0123456789.*/", s[j]) != NULL)
				j++;
			if (j < n && s[j] == '>') {
				i = j;
				continue;
			}
		}
		dst[o++] = s[i];
	}
	return o;
}

/* A terminfo string without its padding into the frame (NULL: nothing). */
static void out_unpadded(struct term *t, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	t->len += unpad(s, n, out_reserve(t, n));
}

/* Keep s (a tiparm result or a plain capability; NULL is empty) in the arena, unpadded. */
static struct seq arena_add(struct term *t, const char *s)
{
	struct seq q = { t->arena_len, 0 };
	size_t n = s != NULL ? strlen(s) : 0;

	if (t->arena_len + n > t->arena_cap || t->arena == NULL) {
		if (t->arena_cap == 0)
			t->arena_cap = 4096;
		while (t->arena_len + n > t->arena_cap)
			t->arena_cap *= 2;
		t->arena = xrealloc(t->arena, t->arena_cap);
	}
	q.len = unpad(s, n, t->arena + t->arena_len);
	t->arena_len += q.len;
	return q;
}

/* The canvas attribute bits and a role's style as curses attributes. */
static attr_t look_attr(const struct term *t, unsigned role, unsigned attr)
{
	const struct role_style *s = &t->styles[role];
	attr_t a = t->color ? s->color_attr : s->mono_attr;

	if (attr & ATTR_BOLD)
		a |= A_BOLD;
	if (attr & ATTR_REVERSE)
		a |= A_REVERSE;
	if (attr & ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	return a;
}

/*
 * no_color_video: the attributes a terminal cannot show together with
 * colour, which curses leaves out of coloured cells; reverse stays (curses
 * would swap the colours instead, and our pairs have a default background).
 */
static attr_t ncv_mask(void)
{
	int ncv = tigetnum("ncv");
	attr_t m = 0;

	if (ncv <= 0)
		return 0;
	if (ncv & 1)
		m |= A_STANDOUT;
	if (ncv & 2)
		m |= A_UNDERLINE;
	if (ncv & 16)
		m |= A_DIM;
	if (ncv & 32)
		m |= A_BOLD;
	if (ncv & 256)
		m |= A_ALTCHARSET;
	return m;
}

/* A colour through setaf/setab, or setf/setb (which number the colours BGR). */
static void colour_seq(char *buf, size_t len, const char *af, const char *f, short c)
{
	short bgr = (short)(((c & 1) << 2) | (c & 2) | ((c & 4) >> 2));

	buf[0] = '\0';
	if (c < 0)
		return;
	if (af != NULL)
		str_printf(buf, len, "%s", tiparm(af, (int)c));
	else if (f != NULL)
		str_printf(buf, len, "%s", tiparm(f, (int)bgr));
}

/*
 * The bytes that set look (role, attr, acs) from any state, as curses sets
 * it: every attribute reset and the wanted ones set (set_attributes, or
 * exit_attribute_mode and the enter_* strings), then the colours (a reset
 * puts the default colours back, as curses also assumes).
 */
static struct seq look_seq(struct term *t, unsigned role, unsigned attr, bool acs, short bg,
			   attr_t ncv)
{
	attr_t a = look_attr(t, role, attr) | (acs ? A_ALTCHARSET : 0);
	short fg = t->color ? t->styles[role].fg : -1;
	const char *sgr = ti_str("sgr");
	char s[512], fgs[64], bgs[64];

	if (t->color)
		a &= ~ncv;
	if (sgr != NULL) {
		str_printf(s, sizeof(s), "%s",
			   tiparm(sgr, 0, (a & A_UNDERLINE) != 0, (a & A_REVERSE) != 0, 0,
				  (a & A_DIM) != 0, (a & A_BOLD) != 0, 0, 0, (a & A_ALTCHARSET) != 0));
	} else {
		/* Out of the alternate set too: not every exit_attribute_mode leaves it (vt52 has none). */
		const char *parts[] = {
			ti_str("sgr0"),
			(a & A_ALTCHARSET) ? NULL : ti_str("rmacs"),
			(a & A_UNDERLINE) ? ti_str("smul") : NULL,
			(a & A_REVERSE) ? ti_str("rev") : NULL,
			(a & A_DIM) ? ti_str("dim") : NULL,
			(a & A_BOLD) ? ti_str("bold") : NULL,
			(a & A_ALTCHARSET) ? ti_str("smacs") : NULL,
		};
		s[0] = '\0';
		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			if (parts[i] != NULL)
				str_printf(s + strlen(s), sizeof(s) - strlen(s), "%s", parts[i]);
	}
	if (t->color) {
		colour_seq(fgs, sizeof(fgs), ti_str("setaf"), ti_str("setf"), fg);
		colour_seq(bgs, sizeof(bgs), ti_str("setab"), ti_str("setb"), bg);
		str_printf(s + strlen(s), sizeof(s) - strlen(s), "%s%s", fgs, bgs);
	}
	return arena_add(t, s);
}

/* "ESC [ row ; col H" for the 0-based (y, x), into buf; returns its length. */
static size_t cup_ansi(char *buf, int y, int x)
{
	size_t n = 0;
	int v[2] = { y + 1, x + 1 };

	buf[n++] = '\033';
	buf[n++] = '[';
	for (int i = 0; i < 2; i++) {
		char d[12];
		int k = 0;

		do
			d[k++] = (char)('0' + v[i] % 10);
		while ((v[i] /= 10) > 0);
		while (k > 0)
			buf[n++] = d[--k];
		buf[n++] = i == 0 ? ';' : 'H';
	}
	return n;
}

/* Whether cursor_address is the ANSI sequence, checked on positions near and far. */
static bool cup_is_ansi(const char *cup)
{
	static const int probes[][2] = { { 0, 0 }, { 4, 7 }, { 23, 79 }, { 99, 249 }, { 499, 999 } };

	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		char want[32], got[64];
		size_t glen;
		size_t n = cup_ansi(want, probes[i][0], probes[i][1]);
		const char *s = tiparm(cup, probes[i][0], probes[i][1]);

		if (s == NULL || strlen(s) >= sizeof(got))
			return false;
		glen = unpad(s, strlen(s), got);
		if (glen != n || memcmp(got, want, n) != 0)
			return false;
	}
	return true;
}

/*
 * Borders: as their Unicode glyphs where curses would draw them so (a
 * UTF-8 locale on a terminal that shows them); else the terminal's
 * alternate character set, or the ASCII stand-ins curses picks when the
 * terminal has none.
 */
static void lines_init(struct term *t)
{
	const struct {
		enum canvas_line line;
		chtype acs;
		const cchar_t *wacs;
	} map[] = {
		{ LINE_H, ACS_HLINE, WACS_HLINE }, { LINE_V, ACS_VLINE, WACS_VLINE },
		{ LINE_UL, ACS_ULCORNER, WACS_ULCORNER }, { LINE_UR, ACS_URCORNER, WACS_URCORNER },
		{ LINE_LL, ACS_LLCORNER, WACS_LLCORNER }, { LINE_LR, ACS_LRCORNER, WACS_LRCORNER },
	};

	t->lines_utf8 = t->utf8;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		wchar_t wch[CCHARW_MAX + 1];
		attr_t wa = 0;
		short pair;
		chtype v = map[i].acs;

		if (t->utf8 && (getcchar(map[i].wacs, wch, &wa, &pair, NULL) == ERR ||
				(wa & A_ALTCHARSET) || wch[0] < 0x80))
			t->lines_utf8 = false;
		t->line[map[i].line] = (struct line_out){ (char)(v & A_CHARTEXT), (v & A_ALTCHARSET) != 0 };
		if ((unsigned char)t->line[map[i].line].ch < 0x20 || (unsigned char)t->line[map[i].line].ch >= 0x7f)
			t->line[map[i].line] = (struct line_out){ "-|++++"[i], false };
	}
}

/* Everything a frame needs from terminfo; false when the terminal cannot show one. */
static bool strings_init(struct term *t, short bg)
{
	attr_t ncv = t->color ? ncv_mask() : 0;
	int am = tigetflag("am"), xenl = tigetflag("xenl");

	t->cup = ti_str("cup");
	if (t->cup == NULL)
		return false;
	t->cup_ansi = cup_is_ansi(t->cup);
	for (unsigned r = 0; r < ROLE_COUNT; r++)
		for (unsigned a = 0; a < LOOK_ATTRS; a++)
			for (int acs = 0; acs < 2; acs++)
				t->look[look_index(r, a, acs)] = look_seq(t, r, a, acs, bg, ncv);
	t->normal = arena_add(t, ti_str("sgr0"));
	t->clear = arena_add(t, ti_str("clear"));
	t->lr_scrolls = am > 0 && xenl <= 0;
	t->am_off = arena_add(t, ti_str("rmam"));
	t->am_on = arena_add(t, ti_str("smam"));
	lines_init(t);
	return true;
}

static short colors_init(const struct term *t)
{
	short bg = COLOR_BLACK;

	start_color();
	if (use_default_colors() == OK)
		bg = -1;
	for (int i = 0; i < ROLE_COUNT; i++)
		init_pair((short)(i + 1), t->styles[i].fg, bg);
	return bg;
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
	struct sigaction winch = { .sa_handler = term_on_winch, .sa_flags = SA_RESTART };
	short bg = -1;

	sigemptyset(&winch.sa_mask);
	sigaction(SIGWINCH, &winch, &t->old_winch);
	term_resized = 0;
	t->screen = screen_open_small(out, in);
	if (t->screen == NULL) {
		str_printf(err, errlen, "cannot use terminal type '%s'; use --batch",
			   name != NULL ? name : "(unset)");
		sigaction(SIGWINCH, &t->old_winch, NULL);
		free(t);
		return NULL;
	}
	set_term(t->screen);
	t->fd = fileno(out);
	term_out_fd = t->fd;
	t->env_cols = env_size("COLUMNS");
	t->env_rows = env_size("LINES");
	role_styles(o->theme, t->styles);
	t->color = o->color && has_colors();
	t->utf8 = o->utf8;
	if (t->color)
		bg = colors_init(t);
	if (!strings_init(t, bg)) {
		str_printf(err, errlen, "terminal type '%s' cannot move the cursor; use --batch",
			   name != NULL ? name : "(unset)");
		endwin();
		delscreen(t->screen);
		sigaction(SIGWINCH, &t->old_winch, NULL);
		term_out_fd = -1;
		free(t->arena);
		free(t);
		return NULL;
	}
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
	/* Curses' own start (alternate screen, keypad mode, a clear screen) goes out before any frame. */
	refresh();
	return t;
}

/*
 * Curses leaves the cursor at the bottom of what it thinks is the screen,
 * one line: the top. A terminal that puts its own screen back on leaving
 * (exit_ca_mode) restores its cursor too; on the others the cursor goes
 * to the bottom line, where the shell's prompt comes next, as curses
 * would have left it with windows of the screen's size.
 */
static void cursor_to_bottom(int fd)
{
	const char *rmcup = tigetstr("rmcup"), *cup = tigetstr("cup");
	const char *seq;
	char buf[64];
	size_t n;
	int w, h;

	if (fd < 0 || (rmcup != NULL && rmcup != (char *)-1 && rmcup[0] != '\0') ||
	    cup == NULL || cup == (char *)-1)
		return;
	screen_size(fd, env_size("COLUMNS"), env_size("LINES"), &w, &h);
	seq = tiparm(cup, h - 1, 0);
	if (seq == NULL || (n = strlen(seq)) > sizeof(buf))
		return;
	n = unpad(seq, n, buf);
	if (write(fd, buf, n) < 0)
		return;	/* nothing more to do for a terminal that is gone */
}

void term_restore(void)
{
	if (stdscr != NULL && !isendwin()) {
		curs_set(1);
		endwin();
		cursor_to_bottom(term_out_fd);
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
	 * screen and keypad mode; the next frame repaints what the shell
	 * wrote over.
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
	sigaction(SIGWINCH, &t->old_winch, NULL);
	term_out_fd = -1;
	canvas_free(t->prev);
	free(t->arena);
	free(t->buf);
	free(t);
}

void term_size(const struct term *t, int *w, int *h)
{
	screen_size(t->fd, t->env_cols, t->env_rows, w, h);
}

int term_key(struct term *t)
{
	int ch;

	(void)t;
	if (term_resized) {
		term_resized = 0;
		return UI_KEY_RESIZE;
	}
	ch = getch();
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

void term_invalidate(struct term *t)
{
	canvas_free(t->prev);
	t->prev = NULL;
}

static void cursor_to(struct term *t, int x, int y)
{
	char buf[32];

	if (t->cup_ansi)
		out_bytes(t, buf, cup_ansi(buf, y, x));
	else
		out_unpadded(t, tiparm(t->cup, y, x));
	t->cur_x = x;
	t->cur_y = y;
}

/*
 * One cell at (x, y): a cursor move unless the last cell written ends
 * there, its look unless the last cell's was the same, its bytes. The
 * canvas holds one-column glyphs only; outside a UTF-8 locale anything
 * beyond ASCII would print as several cells: '?' instead.
 */
static void cell_out(struct term *t, int x, int y, const struct cell *k)
{
	const char *g = k->glyph;
	size_t n = 1;
	bool acs = false;
	int look;

	if (k->line != LINE_NONE && k->line <= LINE_LR && !t->lines_utf8) {
		g = &t->line[k->line].ch;
		acs = t->line[k->line].acs;
	} else if ((unsigned char)g[0] >= 0x80) {
		uint32_t cp;

		n = t->utf8 ? utf8_decode(g, CANVAS_GLYPH, &cp) : 0;
		if (n == 0) {
			g = "?";
			n = 1;
		}
	} else if ((unsigned char)g[0] < 0x20) {
		g = " ";
	}
	if (x == t->cols - 1 && y == t->rows - 1 && t->lr_scrolls && t->am_off.len == 0)
		return;	/* it would scroll the screen, and nothing can stop that: left as it is */
	if (t->cur_x != x || t->cur_y != y)
		cursor_to(t, x, y);
	look = look_index(k->role, k->attr, acs);
	if (look != t->cur_look) {
		out_seq(t, t->look[look]);
		t->cur_look = look;
	}
	if (x == t->cols - 1 && y == t->rows - 1 && t->lr_scrolls) {
		out_seq(t, t->am_off);
		out_bytes(t, g, n);
		out_seq(t, t->am_on);
	} else {
		out_bytes(t, g, n);
	}
	/* Past the last column the cursor waits to wrap, or has wrapped: not known. */
	t->cur_x = x + 1 < t->cols ? x + 1 : -1;
	t->drawn++;
}

/*
 * Write the frame buffer to the terminal. A terminal that will not take
 * it (an error, or no progress within the bounds) loses the frame, and
 * the next one repaints every cell.
 */
static void frame_flush(struct term *t)
{
	size_t done = 0;
	int tries = 0;

	while (done < t->len && tries < WRITE_TRIES) {
		ssize_t n = write(t->fd, t->buf + done, t->len - done);

		if (n > 0) {
			done += (size_t)n;
			tries = 0;
			continue;
		}
		tries++;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = t->fd, .events = POLLOUT };

			poll(&p, 1, WRITE_WAIT_MS);
		} else if (n == 0 || errno != EINTR) {
			break;
		}
	}
	if (done < t->len)
		term_invalidate(t);
	t->len = 0;
}

/*
 * The diff runs row by row: a row that has not changed since the last frame
 * (most of them) is skipped with one memcmp; in the others, each changed
 * cell is written (cell_out). Cells compare byte for byte (see cell_equal).
 * A new size, or a screen that is not known, clears the screen and writes
 * every cell.
 */
void term_draw(struct term *t, const struct canvas *c)
{
	bool full = t->prev == NULL || t->prev->w != c->w || t->prev->h != c->h;
	size_t w = (size_t)c->w;

	screen_size(t->fd, t->env_cols, t->env_rows, &t->cols, &t->rows);
	t->drawn = 0;
	t->cur_x = t->cur_y = -1;
	t->cur_look = LOOK_NONE;
	if (full) {
		canvas_free(t->prev);
		t->prev = canvas_new(c->w, c->h);
		out_seq(t, t->normal);
		out_seq(t, t->clear);
	}
	/* Cells past the terminal's edge (a resize not yet read) would wrap or scroll: not written. */
	size_t wx = t->cols < c->w ? (size_t)(t->cols > 0 ? t->cols : 0) : w;
	int hy = t->rows < c->h ? t->rows : c->h;

	for (int y = 0; y < hy; y++) {
		const struct cell *row = &c->cells[(size_t)y * w];
		struct cell *shown = &t->prev->cells[(size_t)y * w];

		if (!full && memcmp(row, shown, w * sizeof(*row)) == 0)
			continue;
		for (size_t x = 0; x < wx; x++) {
			/* Unchanged stretches of a changed row go by a block at a time. */
			if (!full && x % DIFF_BLOCK == 0 && x + DIFF_BLOCK <= wx &&
			    memcmp(&row[x], &shown[x], DIFF_BLOCK * sizeof(*row)) == 0) {
				x += DIFF_BLOCK - 1;
				continue;
			}
			if (!full && memcmp(&row[x], &shown[x], sizeof(*row)) == 0)
				continue;
			cell_out(t, (int)x, y, &row[x]);
			shown[x] = row[x];
		}
	}
	/* The terminal is left with no attributes, as curses believes it is. */
	if (t->cur_look != LOOK_NONE)
		out_seq(t, t->normal);
	frame_flush(t);
}

bool term_has_color(const struct term *t)
{
	return t->color;
}

size_t term_cells_drawn(const struct term *t)
{
	return t->drawn;
}
