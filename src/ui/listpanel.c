/* The row list drawn from the view; see listpanel.h. */
#include "ui/listpanel.h"

#include <math.h>
#include <string.h>

#include "util.h"

enum col_id {
	COL_BREAKER, COL_RPS, COL_P50, COL_P90, COL_P95, COL_P99, COL_P999, COL_MAX, COL_AVG,
	COL_ERR, COL_INFLIGHT, COL_STATUS, COL_N
};

/*
 * Columns after the name, left to right. w includes the gap before the
 * text; prio 0 always shows, others join in the order of prio as the width
 * allows. Numbers are right-aligned, breaker and status left-aligned.
 */
static const struct col {
	const char *title;
	int w;
	int prio;
	bool left;
	enum list_sort sort;	/* LIST_SORT_COUNT: not a sort column */
} cols[COL_N] = {
	[COL_BREAKER] = { "BREAKER", 18, 0, true, LIST_SORT_BREAKER },
	[COL_RPS] = { "req/s", 8, 0, false, LIST_SORT_RPS },
	[COL_P50] = { "P50", 7, 0, false, LIST_SORT_P50 },
	[COL_P90] = { "P90", 7, 1, false, LIST_SORT_COUNT },
	[COL_P95] = { "P95", 7, 0, false, LIST_SORT_P95 },
	[COL_P99] = { "P99", 7, 0, false, LIST_SORT_P99 },
	[COL_P999] = { "P99.9", 8, 5, false, LIST_SORT_COUNT },
	[COL_MAX] = { "max", 7, 2, false, LIST_SORT_COUNT },
	[COL_AVG] = { "avg", 7, 3, false, LIST_SORT_COUNT },
	[COL_ERR] = { "err %", 7, 0, false, LIST_SORT_ERR },
	[COL_INFLIGHT] = { "in flight", 10, 4, false, LIST_SORT_COUNT },
	[COL_STATUS] = { "STATUS", 8, 0, true, LIST_SORT_WORST },
};
#define PRIO_MAX 5
#define MARK_W 1
#define NAME_W_MIN 16
#define NAME_W_MAX 64

struct layout {
	int name_w;		/* the name column, with the gap after it */
	int x[COL_N];		/* start of each column, -1 when it does not show */
	int right;		/* the first column past the last one */
};

static int longest_name(const struct view_list *l)
{
	int m = 0;

	/* A name takes at most as many columns as it has bytes: most need no decoding. */
	for (size_t i = 0; i < l->nrows; i++)
		if (strlen(l->rows[i]->name) > (size_t)m) {
			int n = canvas_text_width(l->rows[i]->name);

			if (n > m)
				m = n;
		}
	return m;
}

static void layout_columns(struct layout *lo, const struct view_list *l, int width)
{
	int fixed = MARK_W, want;
	bool on[COL_N];

	for (int i = 0; i < COL_N; i++) {
		on[i] = cols[i].prio == 0;
		if (on[i])
			fixed += cols[i].w;
	}
	/* Room is width - 1: the last screen column stays blank, as the panels' edge. */
	for (int p = 1; p <= PRIO_MAX; p++)
		for (int i = 0; i < COL_N; i++)
			if (cols[i].prio == p && fixed + cols[i].w + NAME_W_MIN <= width - 1) {
				on[i] = true;
				fixed += cols[i].w;
			}
	lo->name_w = width - 1 - fixed;
	want = longest_name(l) + 1;
	if (want < NAME_W_MIN)
		want = NAME_W_MIN;
	if (want > NAME_W_MAX)
		want = NAME_W_MAX;
	if (lo->name_w > want)
		lo->name_w = want;
	lo->right = MARK_W + lo->name_w;
	for (int i = 0; i < COL_N; i++) {
		lo->x[i] = on[i] ? lo->right : -1;
		if (on[i])
			lo->right += cols[i].w;
	}
}

void listpanel_fmt_age(char *buf, size_t len, double s)
{
	long long t;

	if (isnan(s) || isinf(s) || s < 0) {
		str_printf(buf, len, "%s", "");
		return;
	}
	/* Two units while the larger one is a single digit, then the larger alone. */
	t = (long long)s;
	if (t < 60)
		str_printf(buf, len, "%llds", t);
	else if (t < 600)
		str_printf(buf, len, "%lldm%02llds", t / 60, t % 60);
	else if (t < 3600)
		str_printf(buf, len, "%lldm", t / 60);
	else if (t < 36000)
		str_printf(buf, len, "%lldh%02lldm", t / 3600, t % 3600 / 60);
	else if (t < 86400)
		str_printf(buf, len, "%lldh", t / 3600);
	else if (t < 864000)
		str_printf(buf, len, "%lldd%02lldh", t / 86400, t % 86400 / 3600);
	else if (t < 10000LL * 86400)
		str_printf(buf, len, "%lldd", t / 86400);
	else
		str_printf(buf, len, "%lldy", t / (365LL * 86400));
}

static const char *sort_arrow(const struct view *v)
{
	bool desc = list_sort_descending(v->list.sort) != v->list.reverse;

	if (v->utf8)
		return desc ? "▼" : "▲";
	return desc ? "v" : "^";
}

/* The last ncols code points of s (every glyph takes one column on the canvas). */
static const char *tail_cols(const char *s, int ncols)
{
	const char *p = s + strlen(s);

	while (p > s && ncols > 0) {
		p--;
		if (((unsigned char)*p & 0xc0) != 0x80)
			ncols--;
	}
	return p;
}

/* "UPSTREAM", or "UPSTREAM /sea_" with a filter; a long filter shows its end, where the typing is. */
static void draw_name_head(struct canvas *c, const struct view *v, const struct layout *lo, int y)
{
	const struct view_list *l = &v->list;
	enum canvas_role role = l->sort == LIST_SORT_NAME ? ROLE_TITLE : ROLE_NORMAL;
	char noun[VIEW_NOUN_LEN];
	int room = lo->name_w - 1, n, fw;

	str_printf(noun, sizeof(noun), "%s", l->noun);
	for (char *p = noun; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	if (l->sort == LIST_SORT_NAME)
		canvas_text(c, 0, y, MARK_W, role, ATTR_BOLD, sort_arrow(v));
	n = canvas_text(c, MARK_W, y, room, role, ATTR_BOLD, noun);
	if (l->filter[0] == '\0' && !l->editing)
		return;
	n += canvas_text(c, MARK_W + n, y, room - n, ROLE_TITLE, ATTR_BOLD, " /");
	room -= n + (l->editing ? 1 : 0);
	fw = canvas_text_width(l->filter);
	if (fw > room && room > 1) {
		n += canvas_text(c, MARK_W + n, y, 1, ROLE_TITLE, ATTR_BOLD, v->utf8 ? "…" : "~");
		n += canvas_text(c, MARK_W + n, y, room - 1, ROLE_TITLE, ATTR_BOLD,
				 tail_cols(l->filter, room - 1));
	} else {
		n += canvas_text(c, MARK_W + n, y, room, ROLE_TITLE, ATTR_BOLD, l->filter);
	}
	if (l->editing)
		canvas_text(c, MARK_W + n, y, 1, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE, " ");
}

static void draw_heads(struct canvas *c, const struct view *v, const struct layout *lo, int y)
{
	const struct view_list *l = &v->list;

	draw_name_head(c, v, lo, y);
	for (int i = 0; i < COL_N; i++) {
		const struct col *k = &cols[i];
		bool sorted = k->sort == l->sort;
		enum canvas_role role = sorted ? ROLE_TITLE : ROLE_NORMAL;
		int x = lo->x[i];

		if (x < 0)
			continue;
		if (k->left) {
			int tx = x + k->w - (i == COL_STATUS ? 6 : 17);

			if (sorted)
				canvas_text(c, tx - 1, y, 1, role, ATTR_BOLD, sort_arrow(v));
			canvas_text(c, tx, y, k->w, role, ATTR_BOLD, k->title);
		} else {
			int tx = canvas_text_right(c, x + k->w, y, role, ATTR_BOLD, k->title);

			if (sorted)
				canvas_text(c, tx - 1, y, 1, role, ATTR_BOLD, sort_arrow(v));
		}
	}
}

static enum canvas_role value_role(double value, enum target_status st)
{
	if (isnan(value))
		return ROLE_UNKNOWN;
	return st == STATUS_UNKNOWN ? ROLE_NORMAL : panels_status_role(st);
}

static void draw_num(struct canvas *c, const struct layout *lo, enum col_id id, int y, double value,
		     int decimals, enum target_status st, unsigned attr)
{
	char buf[24];

	if (lo->x[id] < 0)
		return;
	panels_fmt_num(buf, sizeof(buf), value, fabs(value) >= 1000 ? 0 : decimals);
	canvas_text_right(c, lo->x[id] + cols[id].w, y, value_role(value, st),
			  attr | (st == STATUS_WARN || st == STATUS_FAIL ? ATTR_BOLD : 0), buf);
}

static void draw_breaker_cell(struct canvas *c, const struct view *v, int x, int y,
			      const struct list_row *r, unsigned attr)
{
	enum canvas_role role = panels_breaker_role(r->breaker);
	char word[16], age[16];

	str_printf(word, sizeof(word), "%s", breaker_state_name(r->breaker));
	for (char *p = word; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	if (r->breaker == BREAKER_UNKNOWN) {
		canvas_text(c, x + 1, y, 3, ROLE_UNKNOWN, attr, "n/a");
		return;
	}
	canvas_text(c, x + 1, y, 1, role, attr | ATTR_BOLD, v->utf8 ? "●" : "*");
	canvas_text(c, x + 3, y, 9, role, attr | ATTR_BOLD, word);
	listpanel_fmt_age(age, sizeof(age), r->breaker_age_s);
	canvas_text_right(c, x + 18, y, ROLE_DIM, attr, age);
}

static void draw_row(struct canvas *c, const struct view *v, const struct layout *lo, int y,
		     const struct list_row *r, bool selected)
{
	unsigned attr = selected ? ATTR_REVERSE : ATTR_NONE;
	char buf[24];
	int n;

	if (selected) {
		canvas_printf(c, 0, y, lo->right, ROLE_NORMAL, ATTR_REVERSE, "%*s", lo->right, "");
		canvas_text(c, 0, y, MARK_W, ROLE_NORMAL, attr | ATTR_BOLD, v->utf8 ? "▸" : ">");
	}
	n = canvas_text(c, MARK_W, y, lo->name_w - 1, ROLE_NORMAL, attr | (selected ? ATTR_BOLD : 0),
			r->name);
	if (n > lo->name_w - 1)	/* a cut name says so */
		canvas_text(c, MARK_W + lo->name_w - 2, y, 1, ROLE_DIM, attr, v->utf8 ? "…" : "~");
	draw_breaker_cell(c, v, lo->x[COL_BREAKER], y, r, attr);
	draw_num(c, lo, COL_RPS, y, r->rps, 1, r->st_rps, attr);
	draw_num(c, lo, COL_P50, y, r->p50, panels_ms_decimals(r->p50), STATUS_UNKNOWN, attr);
	draw_num(c, lo, COL_P90, y, r->p90, panels_ms_decimals(r->p90), STATUS_UNKNOWN, attr);
	draw_num(c, lo, COL_P95, y, r->p95, panels_ms_decimals(r->p95), r->st_p95, attr);
	draw_num(c, lo, COL_P99, y, r->p99, panels_ms_decimals(r->p99), r->st_p99, attr);
	draw_num(c, lo, COL_P999, y, r->p999, panels_ms_decimals(r->p999), STATUS_UNKNOWN, attr);
	draw_num(c, lo, COL_MAX, y, r->max, panels_ms_decimals(r->max), STATUS_UNKNOWN, attr);
	draw_num(c, lo, COL_AVG, y, r->avg, panels_ms_decimals(r->avg), STATUS_UNKNOWN, attr);
	draw_num(c, lo, COL_ERR, y, r->err_pct, PANELS_PCT_DECIMALS, r->st_err, attr);
	if (lo->x[COL_INFLIGHT] >= 0) {
		panels_fmt_count(buf, sizeof(buf), r->in_flight);
		canvas_text_right(c, lo->x[COL_INFLIGHT] + cols[COL_INFLIGHT].w, y,
				  r->in_flight < 0 ? ROLE_UNKNOWN : ROLE_NORMAL, attr, buf);
	}
	canvas_text(c, lo->x[COL_STATUS] + 2, y, 6,
		    panels_status_role(r->down ? STATUS_FAIL : r->status), attr | ATTR_BOLD,
		    r->down ? "DOWN" : panels_status_word(r->status));
}

void listpanel_draw(struct canvas *c, const struct view *v, int y, int h)
{
	const struct view_list *l = &v->list;
	struct layout lo;

	layout_columns(&lo, l, c->w);
	draw_heads(c, v, &lo, y);
	if (l->nrows == 0) {
		char msg[LIST_FILTER_LEN + 64];

		if (l->filter[0] != '\0')
			str_printf(msg, sizeof(msg), "no %s matches /%s (Esc clears the filter)", l->noun, l->filter);
		else
			str_printf(msg, sizeof(msg), "no %ss in this snapshot", l->noun);
		canvas_text(c, MARK_W, y + 1, c->w - 2, ROLE_DIM, ATTR_NONE, msg);
		return;
	}
	for (int j = 1; j < h; j++) {
		size_t i = l->top + (size_t)(j - 1);

		if (i >= l->nrows)
			break;
		draw_row(c, v, &lo, y + j, l->rows[i], i == l->sel);
	}
}
