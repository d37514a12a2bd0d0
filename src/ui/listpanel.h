/*
 * The row list drawn into the canvas: a line of column heads, then one line
 * per row from the view's scroll position. Which columns show depends on
 * the width: name, breaker and time in its state, req/s, P50, P95, P99,
 * error % and status always; P90, max, avg, in flight and P99.9 as the
 * width allows, and the name column takes what is left (up to its longest
 * name).
 */
#ifndef RT_UI_LISTPANEL_H
#define RT_UI_LISTPANEL_H

#include "ui/canvas.h"
#include "ui/panels.h"

/*
 * Draw v->list into rows y .. y + h - 1 of c (h >= 2): the heads on row y,
 * then up to h - 1 rows starting at v->list.top. The selected row is marked
 * and shown in reverse; each status has its word besides its colour.
 */
void listpanel_draw(struct canvas *c, const struct view *v, int y, int h);

/*
 * A time in a state in at most 5 columns (up to 270,000 years): "0s",
 * "42s", "4m12s", "42m", "3h05m", "13h", "2d04h", "12d", "31y"; "" when unknown.
 */
void listpanel_fmt_age(char *buf, size_t len, double seconds);

#endif
