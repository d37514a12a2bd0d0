/*
 * Reading a drawn canvas back as a user reads the screen, for the suites
 * that draw panels (check_panels, check_listpanel): rows as UTF-8 text,
 * where a text first shows, and the cell and role under it.
 */
#ifndef RT_TESTS_SCREEN_READ_H
#define RT_TESTS_SCREEN_READ_H

#include <stddef.h>

#include "ui/canvas.h"

/* Row y as text; the buffer is static, good until the next call. */
const char *screen_row(const struct canvas *c, int y);
/* Columns (code points) in the first bytes of s. */
int screen_columns(const char *s, size_t bytes);
/* The first needle at or below row from: 1 with its column and row in *x, *y; else 0. */
int screen_locate_from(const struct canvas *c, const char *needle, int from, int *x, int *y);
int screen_locate(const struct canvas *c, const char *needle, int *x, int *y);
int screen_contains(const struct canvas *c, const char *needle);
/* The row, cell and role where needle first shows; the test fails (Check) when it does not. */
int screen_line_of(const struct canvas *c, const char *needle);
const struct cell *screen_cell_of(const struct canvas *c, const char *needle);
enum canvas_role screen_role_of(const struct canvas *c, const char *needle);

#endif
