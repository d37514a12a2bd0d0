/*
 * The row list's state and logic, apart from drawing and from the monitor:
 * which rows show (the name filter), in what order (the sort column and its
 * direction), which row is selected, which are on screen (the scroll), and
 * whether the panels are zoomed to the selection. view.c fills the rows from
 * a snapshot; listpanel.c draws them; input.c moves the state with keys.
 *
 * The selection is a row's name, not a position: when a new snapshot
 * reorders the rows (a row turns worse and sorts up), the selection goes
 * with its row. When its row is gone (filtered out, or no longer in the
 * snapshot), the selection stays at the same position, on whichever row is
 * there now.
 *
 * A zeroed struct list is a valid empty list, sorted worst first, with no
 * filter and nothing selected; list_free() releases what it grew.
 */
#ifndef RT_UI_LIST_H
#define RT_UI_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "targets.h"

/* The columns the list sorts by, in the order 'o' cycles through them. */
enum list_sort {
	LIST_SORT_WORST = 0,	/* status (DOWN, FAIL, WARN, n/a, OK), then P99 */
	LIST_SORT_NAME,
	LIST_SORT_BREAKER,	/* open, half-open, closed, n/a; longest in its state first */
	LIST_SORT_RPS,
	LIST_SORT_P50,
	LIST_SORT_P95,
	LIST_SORT_P99,
	LIST_SORT_ERR,
	LIST_SORT_COUNT
};

/* Longest filter, in bytes, with its NUL. */
#define LIST_FILTER_LEN 64

/* One row as the list shows and sorts it. Unknown numbers are NAN, unknown counts -1. */
struct list_row {
	char name[METRICS_NAME_LEN];	/* terminal-safe (from the snapshot) */
	enum breaker_state breaker;
	double breaker_age_s;		/* time in that state */
	double rps, p50, p90, p95, p99, p999, max, avg;
	double err_pct;			/* error rate, percent */
	int64_t in_flight;
	enum target_status status;	/* the row's overall status */
	bool down;			/* its collector cannot reach it: shown as DOWN, sorted first */
	/* Per-value statuses, for colour (the word is in status). */
	enum target_status st_rps, st_p95, st_p99, st_err;
};

struct list {
	/* Every row of the snapshot, in the source's order; rows_cap allocated. */
	struct list_row *rows;
	size_t nrows, rows_cap;
	/* The rows that show: filtered and sorted, pointers into rows. */
	const struct list_row **shown;
	size_t nshown, shown_cap;

	enum list_sort sort;
	bool reverse;			/* Shift-Tab: the sort's other direction */
	char filter[LIST_FILTER_LEN];	/* "" shows every row */
	bool editing;			/* '/' was pressed: keys type into the filter */
	bool zoomed;			/* the panels show the selected row */

	char selected[METRICS_NAME_LEN];	/* "" when nothing is selected yet */
	size_t sel;			/* the selection's index in shown (valid when nshown > 0) */
	size_t top;			/* the first shown row on screen */
	size_t page;			/* how many rows the screen has room for (at least 1) */
};

void list_free(struct list *l);

/*
 * Refill: list_begin() forgets the rows (keeping the storage), list_add()
 * appends one with every value unknown for the caller to fill (valid until
 * the next list_add or list_begin), list_end() filters, sorts and puts the
 * selection back on its row. Aborts via fatal() if memory runs out.
 */
void list_begin(struct list *l);
struct list_row *list_add(struct list *l, const char *name);
void list_end(struct list *l);

/* Set how many rows fit on screen (at least 1) and keep the selection in view. */
void list_set_page(struct list *l, size_t page);

/*
 * Move the selection by delta rows (negative: up), clamped to the first and
 * last shown row. LIST_PAGE_UP/DOWN move by a page, LIST_HOME/END go to the
 * ends. Returns true when the selection moved.
 */
#define LIST_PAGE_DOWN (INT32_MAX - 1)
#define LIST_PAGE_UP (-(INT32_MAX - 1))
#define LIST_END INT32_MAX
#define LIST_HOME (-INT32_MAX)
bool list_move(struct list *l, int32_t delta);

/* 'o': the next sort column (wrapping), in its natural direction. */
void list_sort_next(struct list *l);
/* Shift-Tab: reverse the current sort. */
void list_sort_reverse(struct list *l);

/* '/': start typing a filter (the current one is kept and extended). */
void list_filter_start(struct list *l);
/*
 * Add one byte of text to the filter (a printable ASCII character or a byte
 * of a UTF-8 sequence); false when it is full or the byte is a control.
 */
bool list_filter_type(struct list *l, int byte);
/* Backspace: remove the last character (a whole UTF-8 sequence). */
bool list_filter_erase(struct list *l);
/* Enter: stop typing, keep the filter. */
void list_filter_done(struct list *l);
/* Esc while typing: clear the filter and stop typing. */
void list_filter_clear(struct list *l);

/* Whether name matches the filter: a case-insensitive (ASCII) substring; "" matches all. */
bool list_filter_matches(const char *filter, const char *name);

/* Enter: zoom the panels to the selection. False when no row shows (nothing to zoom to). */
bool list_zoom(struct list *l);

/*
 * Esc, when not typing a filter: back from a zoom to the whole router, or,
 * when not zoomed, clear the filter. False when there was nothing to undo.
 */
bool list_escape(struct list *l);

/* The selected row, or NULL when no row shows. */
const struct list_row *list_selected(const struct list *l);

/* Label of a sort column: "worst", "name", "breaker", "req/s", "P50", ... */
const char *list_sort_label(enum list_sort s);

/*
 * Whether a sort puts larger values first in its natural direction
 * (numbers and "worst" do; name does, alphabetically, the other way).
 */
bool list_sort_descending(enum list_sort s);

#endif
