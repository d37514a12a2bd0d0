/* Reading a drawn canvas back as text (see screen_read.h). */
#include <check.h>
#include <string.h>

#include "screen_read.h"

const char *screen_row(const struct canvas *c, int y)
{
	static char buf[8192];

	canvas_row(c, y, buf, sizeof(buf));
	return buf;
}

int screen_columns(const char *s, size_t bytes)
{
	int n = 0;

	for (size_t i = 0; i < bytes; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

int screen_locate_from(const struct canvas *c, const char *needle, int from, int *x, int *y)
{
	for (int j = from; j < c->h; j++) {
		const char *r = screen_row(c, j), *p = strstr(r, needle);

		if (p != NULL) {
			*x = screen_columns(r, (size_t)(p - r));
			*y = j;
			return 1;
		}
	}
	return 0;
}

int screen_locate(const struct canvas *c, const char *needle, int *x, int *y)
{
	return screen_locate_from(c, needle, 0, x, y);
}

int screen_contains(const struct canvas *c, const char *needle)
{
	int x, y;

	return screen_locate(c, needle, &x, &y);
}

int screen_line_of(const struct canvas *c, const char *needle)
{
	int x, y;

	ck_assert_msg(screen_locate(c, needle, &x, &y), "'%s' not on screen", needle);
	return y;
}

const struct cell *screen_cell_of(const struct canvas *c, const char *needle)
{
	int x, y;

	ck_assert_msg(screen_locate(c, needle, &x, &y), "'%s' not on screen", needle);
	return canvas_cell(c, x, y);
}

enum canvas_role screen_role_of(const struct canvas *c, const char *needle)
{
	return (enum canvas_role)screen_cell_of(c, needle)->role;
}
