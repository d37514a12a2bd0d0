/*
 * The ncurses backend: the only code that talks to curses. It opens the
 * terminal, maps canvas roles to colours (or, without colour, to
 * attributes), copies a canvas to the screen touching only the cells that
 * changed since the previous frame, and reads keys without blocking.
 */
#ifndef RT_UI_TERM_H
#define RT_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ui/canvas.h"
#include "ui/ui.h"

struct term_options {
	bool color;		/* colour wanted (no --no-color, no NO_COLOR); the terminal may still lack it */
	enum ui_theme theme;
	bool utf8;		/* the locale is UTF-8; otherwise non-ASCII glyphs show as '?' */
};

struct term;

/*
 * Take over the terminal on stdin/stdout (raw keys, no echo, hidden cursor,
 * alternate screen). Returns NULL with a one-line message in err when the
 * terminal cannot be used (unknown TERM and the like).
 */
struct term *term_open(const struct term_options *o, char *err, size_t errlen);
/* The same on other streams (tests drive it with files instead of a terminal). */
struct term *term_open_files(const struct term_options *o, FILE *out, FILE *in, char *err,
			     size_t errlen);
/* Restore the terminal and free t (NULL is fine). */
void term_close(struct term *t);
/* Restore the terminal if curses is active; safe to call at any time (fatal() cleanup). */
void term_restore(void);
/*
 * Job control: give the terminal back (cooked, normal screen, cursor shown)
 * before the process stops, and take it back afterwards, repainting every
 * cell. term_resume also mends a terminal a shell put back to cooked mode
 * while we were stopped by SIGSTOP, without term_suspend first.
 */
void term_suspend(struct term *t);
void term_resume(struct term *t);

/* The screen's current size. */
void term_size(const struct term *t, int *w, int *h);
/* The next key, UI_KEY_RESIZE after a resize, or -1 when no key is waiting. */
int term_key(struct term *t);
/* Show c; only cells that differ from the previous frame are written. */
void term_draw(struct term *t, const struct canvas *c);
/* Forget the previous frame, so the next draw repaints every cell. */
void term_invalidate(struct term *t);
/* Whether the screen shows colours (false for monochrome terminals and when not wanted). */
bool term_has_color(const struct term *t);
/* Cells written to the screen by the last term_draw (for tests and benchmarks). */
size_t term_cells_drawn(const struct term *t);

#endif
