/*
 * The row list's logic; see list.h. Sorting is a merge sort of pointers
 * (stable, and it takes the sort as an argument, which qsort cannot
 * without a GNU extension or global state); every order ends with the
 * name, so equal rows never swap places between two frames.
 */
#include "ui/list.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct list_order {
	enum list_sort sort;
	bool reverse;
};

void list_free(struct list *l)
{
	free(l->rows);
	free(l->shown);
	l->rows = NULL;
	l->shown = NULL;
	l->nrows = l->rows_cap = l->nshown = l->shown_cap = 0;
}

void list_begin(struct list *l)
{
	l->nrows = 0;
	l->nshown = 0;
}

struct list_row *list_add(struct list *l, const char *name)
{
	struct list_row *r;

	if (l->nrows == l->rows_cap) {
		size_t cap = l->rows_cap < 16 ? 16 : l->rows_cap * 2;

		l->rows = xrealloc(l->rows, cap * sizeof(*l->rows));
		l->rows_cap = cap;
	}
	r = &l->rows[l->nrows++];
	memset(r, 0, sizeof(*r));
	/* Not str_printf: a list of 1,000 rows is refilled every frame. */
	strncpy(r->name, name, sizeof(r->name) - 1);
	r->breaker = BREAKER_UNKNOWN;
	r->breaker_age_s = r->rps = r->p50 = r->p90 = r->p95 = r->p99 = NAN;
	r->p999 = r->max = r->avg = r->err_pct = NAN;
	r->in_flight = METRICS_NONE;
	r->status = r->st_rps = r->st_p95 = r->st_p99 = r->st_err = STATUS_UNKNOWN;
	return r;
}

/* Worse first: FAIL, WARN, UNKNOWN, OK (the order of the overall status). */
static int status_rank(enum target_status st)
{
	switch (st) {
	case STATUS_FAIL: return 3;
	case STATUS_WARN: return 2;
	case STATUS_UNKNOWN: return 1;
	case STATUS_OK: break;
	}
	return 0;
}

/* Open first; an unknown state sorts after every known one. */
static int breaker_rank(enum breaker_state st)
{
	switch (st) {
	case BREAKER_OPEN: return 3;
	case BREAKER_HALF_OPEN: return 2;
	case BREAKER_CLOSED: return 1;
	case BREAKER_UNKNOWN: break;
	}
	return 0;
}

/*
 * Larger first when desc. An unknown value sorts after every known one in
 * both directions: n/a is never the worst nor the best.
 */
static int cmp_num(double a, double b, bool desc)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	if (a == b)
		return 0;
	return (a > b) == desc ? -1 : 1;
}

static int cmp_rank(int a, int b, bool desc)
{
	if (a == b)
		return 0;
	return (a > b) == desc ? -1 : 1;
}

bool list_sort_descending(enum list_sort s)
{
	return s != LIST_SORT_NAME;
}

static int cmp_rows(const struct list_row *a, const struct list_row *b, const struct list_order *o)
{
	bool desc = list_sort_descending(o->sort) != o->reverse;
	int c = 0;

	switch (o->sort) {
	case LIST_SORT_WORST:
		/* A router that is down heads the list: the worst news a fleet has. */
		c = cmp_rank(a->down ? 4 : status_rank(a->status), b->down ? 4 : status_rank(b->status),
			     desc);
		if (c == 0)
			c = cmp_num(a->p99, b->p99, desc);
		break;
	case LIST_SORT_NAME:
		c = strcmp(a->name, b->name);
		return desc ? -c : c;
	case LIST_SORT_BREAKER:
		/* Unknown last, like n/a numbers. */
		if ((a->breaker == BREAKER_UNKNOWN) != (b->breaker == BREAKER_UNKNOWN))
			return a->breaker == BREAKER_UNKNOWN ? 1 : -1;
		c = cmp_rank(breaker_rank(a->breaker), breaker_rank(b->breaker), desc);
		if (c == 0)
			c = cmp_num(a->breaker_age_s, b->breaker_age_s, desc);
		break;
	case LIST_SORT_RPS: c = cmp_num(a->rps, b->rps, desc); break;
	case LIST_SORT_P50: c = cmp_num(a->p50, b->p50, desc); break;
	case LIST_SORT_P95: c = cmp_num(a->p95, b->p95, desc); break;
	case LIST_SORT_P99: c = cmp_num(a->p99, b->p99, desc); break;
	case LIST_SORT_ERR: c = cmp_num(a->err_pct, b->err_pct, desc); break;
	case LIST_SORT_COUNT: break;
	}
	return c != 0 ? c : strcmp(a->name, b->name);
}

/* Stable merge sort of v[0..n) with tmp of n slots. */
static void sort_rows(const struct list_row **v, const struct list_row **tmp, size_t n,
		      const struct list_order *o)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	sort_rows(v, tmp, mid, o);
	sort_rows(v + mid, tmp, n - mid, o);
	while (i < mid && j < n)
		tmp[k++] = cmp_rows(v[j], v[i], o) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	/* What is left of the right half is already in place. */
	memcpy(v, tmp, k * sizeof(*v));
}

static size_t find_shown(const struct list *l, const char *name)
{
	for (size_t i = 0; i < l->nshown; i++)
		if (strcmp(l->shown[i]->name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* Keep the selection on screen, and no blank rows under the last one. */
static void list_scroll(struct list *l)
{
	size_t page = l->page > 0 ? l->page : 1;

	if (l->nshown == 0) {
		l->top = 0;
		return;
	}
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + page)
		l->top = l->sel - page + 1;
	if (l->top + page > l->nshown)
		l->top = l->nshown > page ? l->nshown - page : 0;
}

/* Point the selection at the row at index i of shown. */
static void list_select_at(struct list *l, size_t i)
{
	l->sel = i;
	str_printf(l->selected, sizeof(l->selected), "%s", l->shown[i]->name);
	list_scroll(l);
}

/*
 * Filter and sort into shown, then put the selection back on its row by
 * name, or at the same position when its row no longer shows. With nothing
 * shown the name is kept, so clearing a filter that hid it finds it again.
 */
static void list_apply(struct list *l)
{
	struct list_order o = { l->sort, l->reverse };
	const struct list_row **tmp;
	size_t at;

	if (l->shown_cap < l->nrows) {
		l->shown = xrealloc(l->shown, 2 * l->nrows * sizeof(*l->shown));
		l->shown_cap = l->nrows;
	}
	l->nshown = 0;
	for (size_t i = 0; i < l->nrows; i++)
		if (list_filter_matches(l->filter, l->rows[i].name))
			l->shown[l->nshown++] = &l->rows[i];
	tmp = l->shown + l->shown_cap;
	sort_rows(l->shown, tmp, l->nshown, &o);
	if (l->nshown == 0) {
		l->sel = 0;
		list_scroll(l);
		return;
	}
	at = l->selected[0] != '\0' ? find_shown(l, l->selected) : 0;
	if (at == SIZE_MAX)
		at = l->sel < l->nshown ? l->sel : l->nshown - 1;
	list_select_at(l, at);
}

void list_end(struct list *l)
{
	list_apply(l);
}

void list_set_page(struct list *l, size_t page)
{
	l->page = page > 0 ? page : 1;
	list_scroll(l);
}

bool list_move(struct list *l, int32_t delta)
{
	size_t page = l->page > 0 ? l->page : 1, to;

	if (l->nshown == 0)
		return false;
	if (delta == LIST_HOME)
		to = 0;
	else if (delta == LIST_END)
		to = l->nshown - 1;
	else if (delta == LIST_PAGE_UP)
		to = l->sel > page ? l->sel - page : 0;
	else if (delta == LIST_PAGE_DOWN)
		to = l->sel + page;
	else if (delta < 0)
		to = l->sel > (size_t)-(int64_t)delta ? l->sel - (size_t)-(int64_t)delta : 0;
	else
		to = l->sel + (size_t)delta;
	if (to >= l->nshown)
		to = l->nshown - 1;
	if (to == l->sel && strcmp(l->selected, l->shown[to]->name) == 0)
		return false;
	list_select_at(l, to);
	return true;
}

void list_sort_next(struct list *l)
{
	l->sort = (enum list_sort)((l->sort + 1) % LIST_SORT_COUNT);
	l->reverse = false;
	list_apply(l);
}

void list_sort_reverse(struct list *l)
{
	l->reverse = !l->reverse;
	list_apply(l);
}

void list_filter_start(struct list *l)
{
	l->editing = true;
}

bool list_filter_type(struct list *l, int byte)
{
	size_t n = strlen(l->filter);

	if (byte < 0x20 || byte == 0x7f || byte > 0xff || n + 1 >= sizeof(l->filter))
		return false;
	l->filter[n] = (char)byte;
	l->filter[n + 1] = '\0';
	list_apply(l);
	return true;
}

bool list_filter_erase(struct list *l)
{
	size_t n = strlen(l->filter);

	if (n == 0)
		return false;
	/* Back over UTF-8 continuation bytes to the start of the character. */
	while (n > 1 && ((unsigned char)l->filter[n - 1] & 0xc0) == 0x80)
		n--;
	l->filter[n - 1] = '\0';
	list_apply(l);
	return true;
}

void list_filter_done(struct list *l)
{
	l->editing = false;
}

void list_filter_clear(struct list *l)
{
	l->editing = false;
	l->filter[0] = '\0';
	list_apply(l);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool list_filter_matches(const char *filter, const char *name)
{
	size_t fl = strlen(filter);

	for (const char *p = name;; p++) {
		size_t i = 0;

		while (i < fl && p[i] != '\0' && lower(p[i]) == lower(filter[i]))
			i++;
		if (i == fl)
			return true;
		if (*p == '\0')
			return false;
	}
}

bool list_zoom(struct list *l)
{
	if (l->nshown == 0)
		return false;
	l->zoomed = true;
	return true;
}

bool list_escape(struct list *l)
{
	if (l->zoomed) {
		l->zoomed = false;
		return true;
	}
	if (l->filter[0] != '\0') {
		list_filter_clear(l);
		return true;
	}
	return false;
}

const struct list_row *list_selected(const struct list *l)
{
	return l->nshown > 0 ? l->shown[l->sel] : NULL;
}

const char *list_sort_label(enum list_sort s)
{
	static const char *const labels[LIST_SORT_COUNT] = {
		[LIST_SORT_WORST] = "worst", [LIST_SORT_NAME] = "name",
		[LIST_SORT_BREAKER] = "breaker", [LIST_SORT_RPS] = "req/s",
		[LIST_SORT_P50] = "P50", [LIST_SORT_P95] = "P95", [LIST_SORT_P99] = "P99",
		[LIST_SORT_ERR] = "err %",
	};

	return (unsigned)s < LIST_SORT_COUNT ? labels[s] : "";
}
