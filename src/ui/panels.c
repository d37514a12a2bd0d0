/*
 * The dashboard's panels, drawn from a struct view into a canvas.
 *
 * Layout (80x24 and up): a header row; Latency | Throughput boxes whose
 * charts grow taller with the terminal (up to 10 rows) and longer with its
 * width; Circuit breaker | Errors boxes, which use spare rows for more
 * transitions; Targets | System boxes; a status
 * line (source fault, age of the data); the key help line. Every value that
 * is unknown reads "n/a", and every status has a word or a mark besides its
 * colour role.
 */
#include "ui/panels.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "recap.h"
#include "ui/keys.h"
#include "ui/listpanel.h"
#include "util.h"

#define CHART_MAX_ROWS 10
/* Breaker and Errors boxes at 80x24: room for every counter and two transitions. */
#define MID_ROWS 8
#define LABEL_W 12
/* The Errors box's column heads in its top border (" total " and " last 10 s "), and the second alone. */
#define ERRORS_HEADS_W 20
#define ERRORS_SPAN_HEAD_W 12
/* Least rows of the full panels, and of the short set shown under a long list. */
#define FULL_PANELS_H 21
#define SHORT_PANELS_H 14
/* A list over the full panels shows at least this many rows; else the short set. */
#define LIST_MIN_ROWS_FULL 10
#define HELP_W 56	/* the help overlay's width */

struct rect {
	int x, y, w, h;
};

/* Glyphs that have an ASCII stand-in. */
struct marks {
	const char *dot, *arrow, *sep, *back;
};

static const struct marks marks_utf8 = { "●", "→", "·", "◂" };
static const struct marks marks_ascii = { "*", "->", "-", "<" };

static const struct marks *view_marks(const struct view *v)
{
	return v->utf8 ? &marks_utf8 : &marks_ascii;
}

void view_init(struct view *v)
{
	memset(v, 0, sizeof(*v));
	metrics_init(&v->snap);
	v->marker = MARK_WAITING;
	v->overall = STATUS_UNKNOWN;
	v->cursor = NAN;
	v->state_age_s = NAN;
	v->last_recovery_s = NAN;
	v->half_open_in_s = NAN;
	v->outage_s = NAN;
	v->update_age_s = NAN;
	v->error_age_s = NAN;
	for (int i = 0; i < TARGET_COUNT; i++) {
		v->targets[i].limit = NAN;
		v->targets[i].r.status = STATUS_UNKNOWN;
		v->targets[i].r.value = NAN;
	}
}

enum canvas_role panels_status_role(enum target_status st)
{
	switch (st) {
	case STATUS_OK: return ROLE_OK;
	case STATUS_WARN: return ROLE_WARN;
	case STATUS_FAIL: return ROLE_FAIL;
	case STATUS_UNKNOWN: break;
	}
	return ROLE_UNKNOWN;
}

enum canvas_role panels_breaker_role(enum breaker_state st)
{
	switch (st) {
	case BREAKER_CLOSED: return ROLE_BREAKER_CLOSED;
	case BREAKER_HALF_OPEN: return ROLE_BREAKER_HALF;
	case BREAKER_OPEN: return ROLE_BREAKER_OPEN;
	case BREAKER_UNKNOWN: break;
	}
	return ROLE_UNKNOWN;
}

const char *panels_status_word(enum target_status st)
{
	switch (st) {
	case STATUS_OK: return "OK";
	case STATUS_WARN: return "WARN";
	case STATUS_FAIL: return "FAIL";
	case STATUS_UNKNOWN: break;
	}
	return "n/a";
}

static bool status_missed(enum target_status st)
{
	return st == STATUS_WARN || st == STATUS_FAIL;
}

/* s (n bytes) into buf as snprintf would put it: cut to len - 1 bytes, always terminated. */
static void fmt_copy(char *buf, size_t len, const char *s, size_t n)
{
	if (len == 0)
		return;
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Decimal digits of n into buf (room for 21), at least min_digits of them; returns the count. */
static size_t fmt_digits(char *buf, uint64_t n, int min_digits)
{
	char d[24];
	size_t k = 0, o = 0;

	do
		d[k++] = (char)('0' + n % 10);
	while ((n /= 10) > 0 || (int)k < min_digits);
	while (k > 0)
		buf[o++] = d[--k];
	return o;
}

/*
 * printf's "%.*f" of a finite v with 0..3 decimals and |v| < 1e9, without
 * printf when the rounding is clear: |v| * 10^decimals differs from the
 * exact product by less than 1e-6, so where its fraction is further than
 * that from a half it rounds as the exact value does. Nearer a half, and
 * outside those bounds, printf rounds the exact binary value itself.
 */
static void fmt_fixed(char *buf, size_t len, double v, int decimals)
{
	static const double scale[] = { 1, 10, 100, 1000 };
	double x = fabs(v) * (decimals >= 0 && decimals <= 3 ? scale[decimals] : 1), frac;
	uint64_t n, unit;
	char out[48];
	size_t o = 0;

	if (decimals < 0 || decimals > 3 || !(fabs(v) < 1e9)) {
		str_printf(buf, len, "%.*f", decimals, v);
		return;
	}
	n = (uint64_t)x;
	frac = x - (double)n;
	if (fabs(frac - 0.5) < 1e-6) {
		str_printf(buf, len, "%.*f", decimals, v);
		return;
	}
	if (frac > 0.5)
		n++;
	unit = (uint64_t)scale[decimals];
	/* printf keeps the sign of a negative value that rounds to zero: "-0.0". */
	if (signbit(v))
		out[o++] = '-';
	o += fmt_digits(out + o, n / unit, 1);
	if (decimals > 0) {
		out[o++] = '.';
		o += fmt_digits(out + o, n % unit, decimals);
	}
	fmt_copy(buf, len, out, o);
}

void panels_fmt_num(char *buf, size_t len, double v, int decimals)
{
	if (isnan(v) || isinf(v))
		str_printf(buf, len, "n/a");
	else if (fabs(v) >= 100000)
		str_printf(buf, len, "%.0f", v);
	else
		fmt_fixed(buf, len, v, decimals);
}

/* "<a><n>" pieces of a duration: n with at least min digits, then the unit. */
static size_t fmt_part(char *out, uint64_t n, int min, const char *unit)
{
	size_t o = fmt_digits(out, n, min), u = strlen(unit);

	memcpy(out + o, unit, u);
	return o + u;
}

void panels_fmt_duration(char *buf, size_t len, double s)
{
	char out[64];
	size_t o = 0;
	long long t;

	if (isnan(s) || isinf(s) || s < 0) {
		str_printf(buf, len, "n/a");
		return;
	}
	if (s < 10) {
		/* "850 ms", "1.5 s" */
		const char *unit = s < 1 ? " ms" : " s";

		fmt_fixed(out, sizeof(out) - 4, s < 1 ? s * 1000 : s, s < 1 ? 0 : 1);
		o = strlen(out);
		memcpy(out + o, unit, strlen(unit));
		fmt_copy(buf, len, out, o + strlen(unit));
		return;
	}
	t = (long long)s;
	if (t < 60) {
		o = fmt_part(out, (uint64_t)t, 1, " s");
	} else if (t < 3600) {
		o = fmt_part(out, (uint64_t)(t / 60), 1, "m");
		o += fmt_part(out + o, (uint64_t)(t % 60), 2, "s");
	} else if (t < 86400) {
		o = fmt_part(out, (uint64_t)(t / 3600), 1, "h");
		o += fmt_part(out + o, (uint64_t)(t % 3600 / 60), 2, "m");
	} else {
		o = fmt_part(out, (uint64_t)(t / 86400), 1, "d");
		o += fmt_part(out + o, (uint64_t)(t % 86400 / 3600), 2, "h");
	}
	fmt_copy(buf, len, out, o);
}

void panels_fmt_count(char *buf, size_t len, int64_t v)
{
	char digits[32], out[48];
	size_t n, o = 0;

	if (v < 0) {
		str_printf(buf, len, "n/a");
		return;
	}
	n = fmt_digits(digits, (uint64_t)v, 1);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	fmt_copy(buf, len, out, o);
}

size_t panels_cut_bytes(const char *text, int cols)
{
	size_t i = 0;

	for (; text[i] != '\0'; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80 && cols-- == 0)
			break;
	return i;
}

int panels_ms_decimals(double v)
{
	return fabs(v) >= 1000 ? 0 : 1;
}

/*
 * A target's value as the panel that shows the same figure shows it, so
 * it reads the same in both: latency as the Latency panel (ms_decimals),
 * req/s as Throughput (one decimal), the error rate as Errors (two), the
 * recovery time as the breaker's clock (a tenth below 10 s, whole seconds
 * from there, not rounded up: the clock says 16 s until 17 s).
 */
static void fmt_target_value(char *buf, size_t len, enum target_id id, double v)
{
	switch (id) {
	case TARGET_P95:
	case TARGET_P99:
		panels_fmt_num(buf, len, v, panels_ms_decimals(v));
		return;
	case TARGET_ERROR_RATE:
		panels_fmt_num(buf, len, v, PANELS_PCT_DECIMALS);
		return;
	case TARGET_RECOVERY:
		panels_fmt_num(buf, len, v >= 10 ? floor(v) : v, v >= 10 ? 0 : 1);
		return;
	case TARGET_THROUGHPUT:
	case TARGET_COUNT:
		break;
	}
	panels_fmt_num(buf, len, v, 1);
}

/* A compact number for chart scales: "131", "7.2", "0.55", "1.2k", "3.4M". */
static void fmt_scale(char *buf, size_t len, double v)
{
	char out[48];
	size_t o;

	if (isnan(v)) {
		str_printf(buf, len, "n/a");
		return;
	}
	/* Below 10, a tenth from 1 up ("7.2..8.0", not "7.2..8"); two figures under 1. */
	if (v < 1) {
		str_printf(buf, len, "%.2g", v);
		return;
	}
	if (v < 10) {
		panels_fmt_num(buf, len, v, 1);
		return;
	}
	fmt_fixed(out, sizeof(out) - 2, v >= 1e6 ? v / 1e6 : v >= 1e4 ? v / 1e3 : v, v >= 1e4 ? 1 : 0);
	o = strlen(out);
	if (v >= 1e4)
		out[o++] = v >= 1e6 ? 'M' : 'k';
	fmt_copy(buf, len, out, o);
}

/* Longest zoomed row name in a panel title, in columns; longer ones are cut. */
#define ZOOM_NAME_W 20
/* A name cut shorter than this leaves the title alone rather than show a stub. */
#define ZOOM_NAME_MIN 6

/*
 * The title of a box of w columns whose top border keeps reserved columns
 * for other things: zoomed to a row, "name · text", the name cut to fit.
 */
static void panel_title(const struct view *v, char *buf, size_t len, const char *text, int w,
			int reserved)
{
	int room = w - 6 - reserved - canvas_text_width(text) - 3;
	int nw = canvas_text_width(v->zoom);

	if (room > ZOOM_NAME_W)
		room = ZOOM_NAME_W;
	if (v->zoom[0] == '\0' || room < ZOOM_NAME_MIN)
		str_printf(buf, len, "%s", text);
	else if (nw <= room)
		str_printf(buf, len, "%s %s %s", v->zoom, view_marks(v)->sep, text);
	else
		str_printf(buf, len, "%.*s%s %s %s", (int)panels_cut_bytes(v->zoom, room - 1), v->zoom,
			   v->utf8 ? "…" : "~", view_marks(v)->sep, text);
}

/* Whether panel_title names the zoomed row in a box of w columns with reserved columns. */
static bool panel_title_named(const struct view *v, const char *text, int w, int reserved)
{
	return v->zoom[0] != '\0' && w - 6 - reserved - canvas_text_width(text) - 3 >= ZOOM_NAME_MIN;
}

/*
 * A boxed panel with its title and, when the data is stale, a STALE tag
 * after it. Zoomed to a row, the title starts with the row's name.
 * reserved: columns at the right of the top border that the panel uses.
 */
static void panel_box(struct canvas *c, const struct view *v, struct rect r, const char *text,
		      int reserved)
{
	bool stale = v->stale;
	char title[METRICS_NAME_LEN + 96];
	int tx;

	panel_title(v, title, sizeof(title), text, r.w, reserved);
	canvas_box(c, r.x, r.y, r.w, r.h, stale ? ROLE_STALE : ROLE_BORDER, title, ROLE_TITLE);
	if (!stale)
		return;
	tx = r.x + 3 + canvas_text_width(title);
	if (tx + 7 < r.x + r.w - 1) {
		canvas_text(c, tx, r.y, 5, ROLE_STALE, ATTR_BOLD | ATTR_REVERSE, "STALE");
		canvas_text(c, tx + 5, r.y, 1, ROLE_STALE, ATTR_NONE, " ");
	}
}

/*
 * The range of the known values among the last n of each data series;
 * false (lo and hi untouched) when none is known. A comparison with NAN
 * is false, and fabs(x) <= DBL_MAX leaves out NAN and both infinities.
 */
static bool series_range(const struct canvas_series *s, size_t ns, size_t n, double *lo, double *hi)
{
	double l = INFINITY, h = -INFINITY;

	for (size_t k = 0; k < ns; k++) {
		if (s[k].dashed)
			continue;
		for (size_t i = s[k].n > n ? s[k].n - n : 0; i < s[k].n; i++) {
			double x = s[k].v[i];

			if (!(fabs(x) <= DBL_MAX))
				continue;
			if (x < l)
				l = x;
			if (x > h)
				h = x;
		}
	}
	if (!(l <= h))
		return false;
	*lo = l;
	*hi = h;
	return true;
}

/* "2m08s" of history: from the oldest of the last n samples to the newest. */
static void series_span(const struct view *v, size_t n, char *buf, size_t len)
{
	size_t m = n < v->at_n ? n : v->at_n;

	if (m < 2 || isnan(v->series_at[v->at_n - m]) || isnan(v->series_at[v->at_n - 1])) {
		str_printf(buf, len, "n/a");
		return;
	}
	panels_fmt_duration(buf, len, (v->series_at[v->at_n - 1] - v->series_at[v->at_n - m]) / 1000.0);
}

/*
 * A line chart in r (btop's braille, or ASCII): the data series scaled to
 * what shows of them, the lowest value on the bottom row and the highest on
 * the top one, labelled at the right ("131" over "12"; "12..131" on a
 * one-row chart). target (NAN: none) is a dashed line when it lies within
 * twice the range, which then stretches to take it in; else the bottom
 * border says it is above or below. The bottom border (row border_y) says
 * how much time the chart spans and what the dashes are.
 */
static void draw_lines(struct canvas *c, const struct view *v, struct rect r, int border_y,
		       const struct canvas_series *data, size_t nd, double target)
{
	struct canvas_series s[4];
	double line[VIEW_SERIES];	/* the target, once per dot column */
	char hi_s[24], lo_s[24], gutter[56], span[24], tl[64], lim[24];
	double lo = 0, hi = 0;
	int gw, cw, dx = CANVAS_DOTS_X(v->utf8);
	size_t shown, ns = 0;
	bool known, on_chart = false;

	if (r.w < 12 || r.h < 1 || nd > 3)
		return;
	/* The gutter's width is taken from the widest labels the values could need. */
	known = series_range(data, nd, VIEW_SERIES, &lo, &hi);
	fmt_scale(hi_s, sizeof(hi_s), known ? hi : NAN);
	fmt_scale(lo_s, sizeof(lo_s), known ? lo : NAN);
	gw = 1 + (r.h >= 2 || !known ? (int)(strlen(hi_s) > strlen(lo_s) ? strlen(hi_s) : strlen(lo_s))
				     : (int)(strlen(lo_s) + 2 + strlen(hi_s)));
	cw = r.w - gw;
	if (cw < 4)
		return;
	shown = (size_t)cw * (size_t)dx;
	known = series_range(data, nd, shown, &lo, &hi);
	if (known && !isnan(target) && target <= 2 * hi && target >= lo / 2) {
		size_t m = shown < VIEW_SERIES ? shown : VIEW_SERIES;

		on_chart = true;
		lo = fmin(lo, target);
		hi = fmax(hi, target);
		for (size_t i = 0; i < m; i++)
			line[i] = target;
		/* First, so the data is drawn over it. */
		s[ns++] = (struct canvas_series){ .v = line, .n = m, .role = ROLE_TARGET, .dashed = true };
	}
	for (size_t i = 0; i < nd; i++)
		s[ns++] = data[i];
	canvas_lines(c, r.x, r.y, cw, r.h, s, ns, lo, hi, v->utf8);
	fmt_scale(hi_s, sizeof(hi_s), known ? hi : NAN);
	fmt_scale(lo_s, sizeof(lo_s), known ? lo : NAN);
	if (!known) {
		canvas_text_right(c, r.x + r.w, r.y, ROLE_UNKNOWN, ATTR_NONE, hi_s);
	} else if (r.h >= 2) {
		canvas_text_right(c, r.x + r.w, r.y, ROLE_DIM, ATTR_NONE, hi_s);
		canvas_text_right(c, r.x + r.w, r.y + r.h - 1, ROLE_DIM, ATTR_NONE, lo_s);
	} else {
		str_printf(gutter, sizeof(gutter), "%s..%s", lo_s, hi_s);
		canvas_text_right(c, r.x + r.w, r.y, ROLE_DIM, ATTR_NONE, gutter);
	}
	series_span(v, shown, span, sizeof(span));
	canvas_printf(c, r.x, border_y, cw, ROLE_DIM, ATTR_NONE, " %s %s ", view_marks(v)->back, span);
	if (isnan(target))
		return;
	panels_fmt_num(lim, sizeof(lim), target, target == floor(target) ? 0 : 1);
	if (on_chart)
		str_printf(tl, sizeof(tl), " %s target %s ", v->utf8 ? "╌╌" : "- -", lim);
	else
		str_printf(tl, sizeof(tl), " target %s %s ", lim, known && target > hi ? "above" : "below");
	canvas_text_right(c, r.x + r.w, border_y, ROLE_DIM, ATTR_NONE, tl);
}

/*
 * One "P95  125.7!" cell, value right-aligned at x + width (labels get
 * width - 6 columns): the value in its status role when it has a target,
 * "!" when that target is missed. A label in a chart series' role is the
 * chart's legend.
 */
static void draw_latency_value(struct canvas *c, int x, int y, int width, const char *label,
			       enum canvas_role label_role, double value, const struct view_target *t)
{
	char num[24];
	enum canvas_role role = ROLE_NORMAL;
	unsigned attr = ATTR_NONE;

	/* Whole milliseconds from 1000 up keep a space between label and value. */
	panels_fmt_num(num, sizeof(num), value, panels_ms_decimals(value));
	if (t != NULL) {
		role = panels_status_role(t->r.status);
		attr = ATTR_BOLD;
	}
	canvas_text(c, x, y, width - 6, label_role, ATTR_NONE, label);
	canvas_text_right(c, x + width, y, isnan(value) ? ROLE_UNKNOWN : role, attr, num);
	if (t != NULL && status_missed(t->r.status))
		canvas_text(c, x + width, y, 1, role, ATTR_BOLD, "!");
}

static void draw_latency(struct canvas *c, const struct view *v, struct rect r)
{
	const struct metrics_latency *l = &v->snap.latency;
	char title[64], count[24];
	int x = r.x + 2, y = r.y + 1;
	const struct canvas_series lines[] = {
		{ .v = v->p50, .n = v->p95_n, .role = ROLE_CHART2 },
		{ .v = v->p99, .n = v->p95_n, .role = ROLE_CHART3 },
		{ .v = v->p95, .n = v->p95_n, .role = ROLE_CHART },	/* the target's: on top */
	};

	panels_fmt_count(count, sizeof(count), l->count);
	/* Interpolated percentiles differ from nearest-rank ones: say which these are. */
	if (v->snap.percentiles == METRICS_PCT_BUCKETS)
		str_printf(title, sizeof(title), "Latency ms %s from buckets", view_marks(v)->sep);
	else if (v->snap.percentiles == METRICS_PCT_LIFETIME)
		str_printf(title, sizeof(title), "Latency ms %s buckets, lifetime", view_marks(v)->sep);
	else if (v->snap.percentiles == METRICS_PCT_SUMMARY)
		str_printf(title, sizeof(title), "Latency ms %s router summary", view_marks(v)->sep);
	else
		str_printf(title, sizeof(title), "Latency ms %s last %s", view_marks(v)->sep, count);
	/* Zoomed, the row's name comes before the count; a count that would be cut goes whole. */
	if ((l->count < 0 && v->snap.percentiles == METRICS_PCT_UNSAID) ||
	    (v->zoom[0] != '\0' ? canvas_text_width(v->zoom) + 3 : 0) + canvas_text_width(title) > r.w - 6)
		str_printf(title, sizeof(title), "Latency ms");
	panel_box(c, v, r, title, 0);
	draw_latency_value(c, x, y, 10, "P50", ROLE_CHART2, l->p50, NULL);
	draw_latency_value(c, x + 12, y, 10, "P90", ROLE_DIM, l->p90, NULL);
	draw_latency_value(c, x + 24, y, 10, "avg", ROLE_DIM, l->avg, NULL);
	draw_latency_value(c, x, y + 1, 10, "P95", ROLE_CHART, l->p95, &v->targets[TARGET_P95]);
	draw_latency_value(c, x + 12, y + 1, 10, "P99", ROLE_CHART3, l->p99, &v->targets[TARGET_P99]);
	draw_latency_value(c, x + 24, y + 1, 10, "max", ROLE_DIM, l->max, NULL);
	if (r.w >= 56) {
		draw_latency_value(c, x + 36, y, 11, "min", ROLE_DIM, l->min, NULL);
		draw_latency_value(c, x + 36, y + 1, 11, "P99.9", ROLE_DIM, l->p999, NULL);
	}
	draw_lines(c, v, (struct rect){ x, y + 2, r.w - 4, r.h - 4 }, r.y + r.h - 1, lines, 3,
		   v->targets[TARGET_P95].limit);
}

/* "target > 100 req/s      OK" on row y between x and right. */
static void draw_target_line(struct canvas *c, const struct view *v, int x, int y, int right,
			     const char *lead, enum target_id id)
{
	const struct view_target *t = &v->targets[id];
	char lim[24];
	enum canvas_role role = panels_status_role(t->r.status);

	/* No limit (a row's throughput unless one is set for it): nothing to grade. */
	if (isnan(t->limit)) {
		canvas_printf(c, x, y, right - x, ROLE_DIM, ATTR_NONE, "%s(no target)", lead);
		return;
	}
	panels_fmt_num(lim, sizeof(lim), t->limit, t->limit == floor(t->limit) ? 0 : 1);
	canvas_printf(c, x, y, right - x, ROLE_DIM, ATTR_NONE, "%s(%s %s %s)", lead,
		      t->upper ? "<" : ">", lim, t->unit);
	canvas_text_right(c, right, y, role, ATTR_BOLD, panels_status_word(t->r.status));
}

static void draw_throughput(struct canvas *c, const struct view *v, struct rect r)
{
	const struct view_target *t = &v->targets[TARGET_THROUGHPUT];
	char rps[24], rpm[24];
	int x = r.x + 2, right = r.x + r.w - 2, n;
	enum canvas_role role = panels_status_role(t->r.status);
	const struct canvas_series rps_line = { .v = v->rps, .n = v->rps_n, .role = ROLE_CHART };

	panel_box(c, v, r, "Throughput", 0);
	panels_fmt_num(rps, sizeof(rps), v->snap.throughput.per_second, 1);
	if (isnan(v->snap.throughput.per_minute))
		panels_fmt_num(rpm, sizeof(rpm), NAN, 0);
	else	/* a count-like figure: thousands separators, as the design sketch */
		panels_fmt_count(rpm, sizeof(rpm), llround(v->snap.throughput.per_minute));
	n = canvas_text(c, x, r.y + 1, CANVAS_TO_EDGE, isnan(v->snap.throughput.per_second) ? ROLE_UNKNOWN : role,
			ATTR_BOLD, rps);
	canvas_text(c, x + n, r.y + 1, CANVAS_TO_EDGE, ROLE_NORMAL, ATTR_NONE, " req/s");
	if (status_missed(t->r.status))
		canvas_text(c, x + n + 7, r.y + 1, 1, role, ATTR_BOLD, "!");
	canvas_text_right(c, right - 8, r.y + 1, ROLE_NORMAL, ATTR_NONE, rpm);
	canvas_text_right(c, right, r.y + 1, ROLE_NORMAL, ATTR_NONE, " req/min");
	draw_lines(c, v, (struct rect){ x, r.y + 2, r.w - 4, r.h - 4 }, r.y + r.h - 1, &rps_line, 1, t->limit);
	draw_target_line(c, v, x, r.y + r.h - 2, right, "target ", TARGET_THROUGHPUT);
}

static void upper_name(char *buf, size_t len, enum breaker_state st)
{
	size_t i;

	str_printf(buf, len, "%s", breaker_state_name(st));
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] = (char)(buf[i] - 'a' + 'A');
}

/*
 * "● OPEN for 12 s, half-open in 3.0 s" when the source said when an open
 * breaker half-opens (the recovery clock); else the state, its health and
 * how long it has been in it.
 */
static void draw_breaker_state(struct canvas *c, const struct view *v, int x, int y, int right)
{
	const struct metrics_breaker *b = &v->snap.breaker;
	enum canvas_role role = panels_breaker_role(b->state);
	char name[24], age[24], in[24];
	const char *health = b->healthy == 1 ? "healthy" : (b->healthy == 0 ? "unhealthy" : "health n/a");
	int n;

	upper_name(name, sizeof(name), b->state);
	if (b->state == BREAKER_UNKNOWN)
		str_printf(name, sizeof(name), "n/a");
	n = canvas_text(c, x, y, 2, role, ATTR_BOLD, view_marks(v)->dot);
	n += canvas_text(c, x + n, y, 1, ROLE_NORMAL, ATTR_NONE, " ");
	panels_fmt_duration(age, sizeof(age), v->state_age_s);
	if (b->state == BREAKER_OPEN && !isnan(v->half_open_in_s)) {
		n += canvas_text(c, x + n, y, 10, role, ATTR_BOLD, name);
		n += canvas_printf(c, x + n, y, right - x - n, ROLE_DIM, ATTR_NONE, " for %s, ", age);
		panels_fmt_duration(in, sizeof(in), v->half_open_in_s);
		canvas_printf(c, x + n, y, right - x - n, ROLE_BREAKER_HALF, ATTR_BOLD, "half-open in %s", in);
		return;
	}
	canvas_text(c, x + n, y, 10, role, ATTR_BOLD, name);
	canvas_text(c, x + 12, y, 12, b->healthy == 0 ? ROLE_FAIL : ROLE_NORMAL, ATTR_NONE, health);
	canvas_printf(c, right - 12, y, 12, ROLE_DIM, ATTR_NONE, "for %s", age);
}

static void draw_transition(struct canvas *c, const struct view *v, int x, int y, int w,
			    const struct breaker_transition *t)
{
	char ago[24];

	panels_fmt_duration(ago, sizeof(ago), (double)(v->src_now_ms - t->at_ms) / 1000.0);
	int n = canvas_text(c, x, y, w, panels_breaker_role(t->from), ATTR_NONE,
			    breaker_state_name(t->from));
	n += canvas_text(c, x + n, y, w - n, ROLE_DIM, ATTR_NONE, view_marks(v)->arrow);
	n += canvas_text(c, x + n, y, w - n, panels_breaker_role(t->to), ATTR_NONE,
			 breaker_state_name(t->to));
	canvas_printf(c, x + n, y, w - n, ROLE_DIM, ATTR_NONE, " %s ago", ago);
}

/*
 * While the breaker is out (open or half-open): how long since it left
 * closed against the recovery target, the clock still running; FAIL once
 * it has run past the target, since it can no longer recover in time.
 */
static void draw_recovery_clock(struct canvas *c, const struct view *v, int x, int y, int right)
{
	const struct view_target *t = &v->targets[TARGET_RECOVERY];
	char out[24], lim[24];
	bool late = !isnan(t->limit) && v->outage_s > t->limit;

	panels_fmt_duration(out, sizeof(out), v->outage_s);
	if (isnan(t->limit)) {
		canvas_printf(c, x, y, right - x, ROLE_WARN, ATTR_NONE, "recovering: out %s", out);
		return;
	}
	panels_fmt_num(lim, sizeof(lim), t->limit, t->limit == floor(t->limit) ? 0 : 1);
	canvas_printf(c, x, y, right - x, late ? ROLE_FAIL : ROLE_WARN, ATTR_NONE, "recovering: out %s (< %s s)",
		      out, lim);
	canvas_text_right(c, right, y, late ? ROLE_FAIL : ROLE_WARN, ATTR_BOLD, late ? "FAIL" : "...");
}

static void draw_breaker(struct canvas *c, const struct view *v, struct rect r)
{
	const struct metrics_breaker *b = &v->snap.breaker;
	int x = r.x + 2, right = r.x + r.w - 2, w = r.w - 4, y = r.y + 1;
	/*
	 * Between the failure rate and the recovery line: the recommendation
	 * and transitions; a short box (the list's screen) keeps one
	 * transition and drops the recommendation.
	 */
	int spare = r.h - 5, rows = spare >= 2 ? spare - 1 : spare;
	char fr[24], avg[24], rec[24], lead[64];
	size_t first;

	panel_box(c, v, r, "Circuit breaker", 0);
	draw_breaker_state(c, v, x, y++, right);
	panels_fmt_num(fr, sizeof(fr), b->failure_rate * 100, 1);
	panels_fmt_num(avg, sizeof(avg), b->avg_response_ms, 1);
	canvas_printf(c, x, y++, w, ROLE_NORMAL, ATTR_NONE, "failure rate %s %%   avg %s ms", fr, avg);
	if (spare >= 2 && b->recommendation[0] != '\0')
		canvas_printf(c, x, y++, w, ROLE_NORMAL, ATTR_NONE, "\"%s\"", b->recommendation);
	else if (spare >= 2)
		canvas_text(c, x, y++, w, ROLE_UNKNOWN, ATTR_NONE, "recommendation n/a");
	if (v->ntrans == 0)
		canvas_text(c, x, y, w, ROLE_DIM, ATTR_NONE, "no transitions seen");
	first = v->ntrans > (size_t)rows ? v->ntrans - (size_t)rows : 0;
	for (size_t i = first; i < v->ntrans; i++)
		draw_transition(c, v, x, y + (int)(i - first), w, &v->trans[i]);
	y += rows;
	if (!isnan(v->outage_s)) {
		draw_recovery_clock(c, v, x, y, right);
		return;
	}
	panels_fmt_duration(rec, sizeof(rec), v->last_recovery_s);
	str_printf(lead, sizeof(lead), "last recovery %s ", rec);
	draw_target_line(c, v, x, y, right, lead, TARGET_RECOVERY);
}

static void draw_counter(struct canvas *c, int x, int y, int right, const char *label,
			 int64_t total, int64_t delta, const struct counter_deltas *d)
{
	char tot[32], del[32];

	panels_fmt_count(tot, sizeof(tot), total);
	if (total < 0 || d->span_ms <= 0)
		str_printf(del, sizeof(del), "n/a");
	else if (d->reset)
		str_printf(del, sizeof(del), "reset");
	else
		str_printf(del, sizeof(del), "+%lld", (long long)delta);
	canvas_text(c, x, y, LABEL_W + 2, ROLE_NORMAL, ATTR_NONE, label);
	canvas_text_right(c, right - 12, y, total < 0 ? ROLE_UNKNOWN : ROLE_NORMAL, ATTR_NONE, tot);
	canvas_text(c, right - 10, y, 10, delta > 0 && !d->reset ? ROLE_WARN : ROLE_DIM, ATTR_NONE, del);
}

static void draw_errors(struct canvas *c, const struct view *v, struct rect r)
{
	const struct metrics_errors *e = &v->snap.errors;
	const struct counter_deltas *d = &v->deltas;
	const struct view_target *t = &v->targets[TARGET_ERROR_RATE];
	int x = r.x + 2, right = r.x + r.w - 2, y = r.y + 1;
	char span[24], head[40], rate[24], lead[48];

	/*
	 * Zoomed, the title names the row like every other panel's; where the
	 * name and both column heads do not fit, the totals' head goes (a
	 * count after its label reads as the total) and the deltas' stays.
	 */
	bool total_head = !panel_title_named(v, "Errors", r.w, ERRORS_SPAN_HEAD_W) ||
			  panel_title_named(v, "Errors", r.w, ERRORS_HEADS_W);

	panel_box(c, v, r, "Errors", total_head ? ERRORS_HEADS_W : ERRORS_SPAN_HEAD_W);
	if (d->span_ms > 0) {
		panels_fmt_duration(span, sizeof(span), (double)d->span_ms / 1000.0);
		str_printf(head, sizeof(head), " last %s ", span);
	} else {
		str_printf(head, sizeof(head), " last n/a ");
	}
	if (!v->stale) {
		/* Column heads in the top border, over the totals and the deltas. */
		if (total_head)
			canvas_text_right(c, right - 11, r.y, ROLE_DIM, ATTR_NONE, " total ");
		canvas_text(c, right - 11, r.y, ERRORS_SPAN_HEAD_W, ROLE_DIM, ATTR_NONE, head);
	}
	draw_counter(c, x, y++, right, "breaker trips", e->breaker_trips, d->breaker_trips, d);
	draw_counter(c, x, y++, right, "rate limited", e->rate_limited, d->rate_limited, d);
	draw_counter(c, x, y++, right, "timeouts", e->timeouts, d->timeouts, d);
	draw_counter(c, x, y++, right, "failures", e->failures, d->failures, d);
	draw_counter(c, x, y, right, "validation", e->validation, d->validation, d);
	fmt_target_value(rate, sizeof(rate), TARGET_ERROR_RATE, t->r.value);
	str_printf(lead, sizeof(lead), "error rate %s%s %s ", rate, isnan(t->r.value) ? "" : " %",
		   status_missed(t->r.status) ? "!" : "");
	draw_target_line(c, v, x, r.y + r.h - 2, right, lead, TARGET_ERROR_RATE);
}

static void draw_targets(struct canvas *c, const struct view *v, struct rect r)
{
	int x = r.x + 2, right = r.x + r.w - 2, y = r.y + 1;

	panel_box(c, v, r, "Targets", 0);
	for (int i = 0; i < TARGET_COUNT && y < r.y + r.h - 2; i++, y++) {
		const struct view_target *t = &v->targets[i];
		bool none = isnan(t->limit);	/* no target: the value alone, ungraded */
		enum canvas_role role = none ? ROLE_NORMAL : panels_status_role(t->r.status);
		char val[24], lim[24];

		fmt_target_value(val, sizeof(val), (enum target_id)i, t->r.value);
		panels_fmt_num(lim, sizeof(lim), t->limit, t->limit == floor(t->limit) ? 0 : 1);
		canvas_text(c, x, y, 10, ROLE_NORMAL, ATTR_NONE, t->label);
		canvas_text_right(c, x + 17, y, isnan(t->r.value) ? ROLE_UNKNOWN : role, ATTR_BOLD, val);
		if (!none && status_missed(t->r.status))
			canvas_text(c, x + 17, y, 1, role, ATTR_BOLD, "!");
		canvas_text(c, x + 19, y, 5, ROLE_DIM, ATTR_NONE, t->unit);
		if (none) {
			canvas_text(c, x + 25, y, right - (x + 25), ROLE_DIM, ATTR_NONE, "no target");
			continue;
		}
		canvas_printf(c, x + 25, y, right - 5 - (x + 25), ROLE_DIM, ATTR_NONE, "%s %s",
			      t->upper ? "<" : ">", lim);
		canvas_text_right(c, right, y, role, ATTR_BOLD, panels_status_word(t->r.status));
	}
	canvas_text(c, x, r.y + r.h - 2, LABEL_W, ROLE_NORMAL, ATTR_BOLD, "overall");
	canvas_text_right(c, right, r.y + r.h - 2, panels_status_role(v->overall), ATTR_BOLD | ATTR_REVERSE,
			  panels_status_word(v->overall));
}

static void system_line(struct canvas *c, struct rect r, int row, const char *label, const char *value,
			bool known)
{
	canvas_text(c, r.x + 2, r.y + 1 + row, LABEL_W + 2, ROLE_NORMAL, ATTR_NONE, label);
	canvas_text_right(c, r.x + r.w - 2, r.y + 1 + row, known ? ROLE_NORMAL : ROLE_UNKNOWN,
			  ATTR_NONE, value);
}

static void draw_system(struct canvas *c, const struct view *v, struct rect r)
{
	const struct metrics_snapshot *s = &v->snap;
	char buf[48];

	panel_box(c, v, r, "System", 0);
	panels_fmt_count(buf, sizeof(buf), s->latency.count);
	system_line(c, r, 0, "samples", buf, s->latency.count >= 0);
	panels_fmt_count(buf, sizeof(buf), (int64_t)v->snapshots);
	system_line(c, r, 1, "snapshots", buf, true);
	panels_fmt_count(buf, sizeof(buf), s->active_users);
	system_line(c, r, 2, "active users", buf, s->active_users >= 0);
	panels_fmt_count(buf, sizeof(buf), s->requests.pending);
	system_line(c, r, 3, "in flight", buf, s->requests.pending >= 0);
	panels_fmt_duration(buf, sizeof(buf), s->uptime_s);
	system_line(c, r, 4, "uptime", buf, !isnan(s->uptime_s));
	if (isnan(v->update_age_s)) {
		system_line(c, r, 5, "last update", "n/a", false);
	} else {
		char age[24];

		panels_fmt_duration(age, sizeof(age), v->update_age_s);
		str_printf(buf, sizeof(buf), "%s ago", age);
		system_line(c, r, 5, "last update", buf, true);
	}
}

static const char *marker_word(enum view_marker m)
{
	switch (m) {
	case MARK_LIVE: return "LIVE";
	case MARK_WAITING: return "WAITING";
	case MARK_STALE: return "STALE";
	case MARK_ENDED: return "ENDED";
	case MARK_PAUSED: return "PAUSED";
	case MARK_REPLAY: return "REPLAY";
	}
	return "";
}

static enum canvas_role marker_role(enum view_marker m)
{
	switch (m) {
	case MARK_LIVE: return ROLE_OK;
	case MARK_STALE: return ROLE_STALE;
	case MARK_PAUSED: return ROLE_PAUSED;
	case MARK_REPLAY: return ROLE_TITLE;
	case MARK_WAITING:
	case MARK_ENDED: break;
	}
	return ROLE_UNKNOWN;
}

static void draw_header(struct canvas *c, const struct view *v)
{
	char every[24], right[64];
	int n, rx;

	str_printf(every, sizeof(every), "%g s", (double)v->interval_ms / 1000.0);
	str_printf(right, sizeof(right), "%s  every %s  ", v->clock, every);
	rx = c->w - 1 - canvas_text_width(marker_word(v->marker)) - 2;
	canvas_text(c, rx, 0, CANVAS_TO_EDGE, marker_role(v->marker), ATTR_BOLD | ATTR_REVERSE, " ");
	canvas_text(c, rx + 1, 0, CANVAS_TO_EDGE, marker_role(v->marker), ATTR_BOLD | ATTR_REVERSE,
		    marker_word(v->marker));
	canvas_text(c, c->w - 2, 0, 1, marker_role(v->marker), ATTR_BOLD | ATTR_REVERSE, " ");
	rx = canvas_text_right(c, rx, 0, ROLE_NORMAL, ATTR_NONE, right);
	n = canvas_text(c, 0, 0, rx, ROLE_TITLE, ATTR_BOLD, v->program);
	n += 2;
	n += canvas_text(c, n, 0, rx - n - 1, ROLE_NORMAL, ATTR_BOLD, v->source);
	if (v->mode[0] != '\0' && strncmp(v->source, v->mode, strlen(v->mode)) != 0)
		canvas_printf(c, n + 2, 0, rx - n - 3, ROLE_DIM, ATTR_NONE, "[%s]", v->mode);
}

/*
 * "   upstream 3 of 40", or "   2 of 40 upstreams match /sea"; zoomed, how
 * to go back after it; "" without a list.
 */
static void list_position(const struct view *v, char *buf, size_t len)
{
	const struct view_list *l = &v->list;
	const char *zoomed = v->zoom[0] != '\0' ? ", zoomed (Esc: the whole router)" : "";

	if (!l->on)
		str_printf(buf, len, "%s", "");
	else if (l->filter[0] != '\0')
		str_printf(buf, len, "   %zu of %zu %ss match /%s%s", l->nrows, l->total, l->noun, l->filter,
			   zoomed);
	else
		str_printf(buf, len, "   %s %zu of %zu%s", l->noun, l->sel + 1, l->total, zoomed);
}

/* While a filter is typed, the status line says how it works and what it matches. */
static void draw_filter_prompt(struct canvas *c, const struct view *v, int y)
{
	const struct view_list *l = &v->list;
	int n;

	n = canvas_printf(c, 1, y, c->w - 2, ROLE_TITLE, ATTR_BOLD, "filter /%s", l->filter);
	canvas_printf(c, 1 + n, y, c->w - 2 - n, ROLE_NORMAL, ATTR_NONE,
		      ": %zu of %zu %ss match   Enter keeps it, Esc clears it", l->nrows, l->total, l->noun);
}

static void draw_status(struct canvas *c, const struct view *v, int y)
{
	char age[24], eage[24];

	panels_fmt_duration(age, sizeof(age), v->update_age_s);
	if (v->list.on && v->list.editing) {
		draw_filter_prompt(c, v, y);
	} else if (v->notice[0] != '\0') {
		canvas_text(c, 1, y, c->w - 2, ROLE_WARN, ATTR_BOLD, v->notice);
	} else if (v->last_error[0] != '\0') {
		/*
		 * The message first, where the eye lands; the ages after it keep
		 * their room, so a long message is clipped, never the ages.
		 */
		char tail[64];
		int n, room, len;

		panels_fmt_duration(eage, sizeof(eage), v->error_age_s);
		if (v->has_data)
			str_printf(tail, sizeof(tail), "  (%s ago; data %s old)", eage, age);
		else
			str_printf(tail, sizeof(tail), "  (%s ago; no data yet)", eage);
		n = canvas_text(c, 1, y, 2, ROLE_FAIL, ATTR_BOLD, "! ");
		room = c->w - 2 - n - (int)strlen(tail);
		len = canvas_text(c, 1 + n, y, room, ROLE_FAIL, ATTR_BOLD, v->last_error);
		n += len < room ? len : room;	/* canvas_text counts clipped columns too */
		canvas_text(c, 1 + n, y, c->w - 2 - n, ROLE_FAIL, ATTR_NONE, tail);
	} else if (!v->has_data) {
		canvas_text(c, 1, y, c->w - 2, ROLE_UNKNOWN, ATTR_NONE, "waiting for the first snapshot");
	} else if (v->stale) {
		canvas_printf(c, 1, y, c->w - 2, ROLE_STALE, ATTR_BOLD,
			      "STALE: showing the last good data, %s old", age);
	} else {
		char where[LIST_FILTER_LEN + 96];

		list_position(v, where, sizeof(where));
		canvas_printf(c, 1, y, c->w - 2, ROLE_DIM, ATTR_NONE, "data %s old%s", age, where);
	}
}

/*
 * The key line: the table's entries that apply to the source now, the
 * list's first, as many as the width holds (keys_line).
 */
static void draw_keys(struct canvas *c, int y, unsigned modes)
{
	const struct key_binding *shown[KEYS_LINE_MAX];
	size_t n = keys_line(modes, c->w, shown, KEYS_LINE_MAX);
	int x = 1;

	for (size_t i = 0; i < n; i++) {
		x += canvas_text(c, x, y, CANVAS_TO_EDGE, ROLE_TITLE, ATTR_BOLD, shown[i]->brief_keys);
		x += canvas_printf(c, x, y, CANVAS_TO_EDGE, ROLE_DIM, ATTR_NONE, " %s  ", shown[i]->brief);
	}
}

/*
 * The help overlay: every key that applies to the source now, from the
 * table. On a screen too short for it the box loses its inner margins,
 * then the blank line before "any key closes this help".
 */
static void draw_help(struct canvas *c, unsigned modes)
{
	char line[HELP_W];
	int n = 0, w = HELP_W, h, x, y, i = 0, pad = 1, blank = 1;

	for (const struct key_binding *k = keys_table; k->name != NULL; k++)
		if (keys_apply(k, modes) && !keys_shadowed(k, modes))
			n += k->help_more != NULL ? 2 : 1;
	if (n + 2 + 4 > c->h)
		pad = 0;
	if (n + 2 + 2 > c->h)
		blank = 0;
	h = n + blank + 1 + 2 + 2 * pad;
	x = (c->w - w) / 2;
	y = (c->h - h) / 2;
	canvas_fill(c, x, y, w, h, ROLE_NORMAL);
	canvas_box(c, x, y, w, h, ROLE_TITLE, "Keys", ROLE_TITLE);
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		if (!keys_apply(k, modes) || keys_shadowed(k, modes))
			continue;
		keys_help_line(k, false, line, sizeof(line));
		canvas_text(c, x + 3, y + 1 + pad + i++, w - 6, ROLE_NORMAL, ATTR_NONE, line);
		if (k->help_more == NULL)
			continue;
		keys_help_line(k, true, line, sizeof(line));
		canvas_text(c, x + 3, y + 1 + pad + i++, w - 6, ROLE_NORMAL, ATTR_NONE, line);
	}
	canvas_text(c, x + 3, y + 1 + pad + i + blank, w - 6, ROLE_NORMAL, ATTR_NONE,
		    "any key closes this help");
}

/*
 * The recap at the end of a demo, in a box over the panels: the head line,
 * then a line per target with its verdict in its colour (and a word, met
 * or missed, for those without colour).
 */
/* Where a recap line's verdict ("met", "missed", "no data") starts, after its head; NULL if none. */
static const char *recap_verdict(const char *line, bool *missed)
{
	static const char *const words[] = { " met", " missed", " no data" };
	size_t from = strlen(line) < 2 + RECAP_HEAD_W ? strlen(line) : 2 + RECAP_HEAD_W;
	const char *best = NULL;

	*missed = false;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *p = strstr(line + from, words[i]);

		if (p != NULL && (best == NULL || p < best)) {
			best = p;
			*missed = i == 1;
		}
	}
	return best;
}

static void draw_recap(struct canvas *c, const struct view *v)
{
	int w = c->w - 4 < 84 ? c->w - 4 : 84, h = (int)v->nrecap + 5, x = (c->w - w) / 2, y;

	if (h > c->h - 2)
		h = c->h - 2;
	y = (c->h - h) / 2;
	canvas_fill(c, x, y, w, h, ROLE_NORMAL);
	canvas_box(c, x, y, w, h, ROLE_TITLE, "Summary", ROLE_TITLE);
	for (size_t i = 0; i < v->nrecap && (int)i < h - 4; i++) {
		const char *line = v->recap[i], *verdict, *colon;
		int ly = y + 2 + (int)i, vx, vw;
		bool missed;

		verdict = i == 0 ? NULL : recap_verdict(line, &missed);
		canvas_text(c, x + 2, ly, w - 4, i == 0 ? ROLE_TITLE : ROLE_NORMAL,
			    i == 0 ? ATTR_BOLD : ATTR_NONE, line);
		if (verdict == NULL)
			continue;
		/* The verdict word again, in its colour. */
		vx = x + 2 + canvas_text_width(line) - canvas_text_width(verdict) + 1;
		colon = strchr(verdict, ':');
		vw = colon != NULL ? (int)(colon - verdict) - 1 : canvas_text_width(verdict + 1);
		canvas_printf(c, vx, ly, vw < x + w - 2 - vx ? vw : x + w - 2 - vx,
			      missed ? ROLE_FAIL : strncmp(verdict, " no data", 8) == 0 ? ROLE_UNKNOWN : ROLE_OK,
			      ATTR_BOLD, "%s", verdict + 1);
	}
	canvas_text(c, x + 2, y + h - 2, w - 4, ROLE_DIM, ATTR_NONE, "q quits; any other key puts this away");
}

static void draw_too_small(struct canvas *c)
{
	char msg[96], need[48];

	str_printf(need, sizeof(need), "need %dx%d, have %dx%d", PANELS_MIN_W, PANELS_MIN_H, c->w, c->h);
	str_printf(msg, sizeof(msg), "terminal too small: %s", need);
	if (canvas_text_width(msg) <= c->w) {
		canvas_text(c, (c->w - canvas_text_width(msg)) / 2, c->h / 2, CANVAS_TO_EDGE, ROLE_WARN, ATTR_BOLD, msg);
		return;
	}
	canvas_text(c, (c->w - 19) / 2, c->h / 2 - 1, CANVAS_TO_EDGE, ROLE_WARN, ATTR_BOLD, "terminal too small:");
	canvas_text(c, (c->w - canvas_text_width(need)) / 2, c->h / 2, CANVAS_TO_EDGE, ROLE_WARN, ATTR_BOLD, need);
}

/*
 * The timeline bar across row y: each cell is the stretch of the file its
 * bins cover, marked by the most telling thing in it (a breaker changing
 * state, then a FAIL, then a WARN; a plain line where all was well, blank
 * where the file is still being read), and the cell of the snapshot on
 * screen in reverse video. Every mark has its own glyph, not only a colour.
 */
static void draw_timeline(struct canvas *c, const struct view *v, int y)
{
	int x0 = 1, w = c->w - 2, at = -1;

	if (!isnan(v->cursor))
		at = (int)(v->cursor * (w - 1) + 0.5);
	for (int i = 0; i < w; i++) {
		size_t from = (size_t)i * TIMELINE_BINS / (size_t)w;
		size_t to = (size_t)(i + 1) * TIMELINE_BINS / (size_t)w;
		unsigned bits = 0, all = TIMELINE_SCANNED;
		const char *glyph;
		enum canvas_role role;

		if (to <= from)
			to = from + 1;
		for (size_t b = from; b < to && b < TIMELINE_BINS; b++) {
			bits |= v->timeline[b];
			all &= v->timeline[b];
		}
		if (bits & TIMELINE_TRANSITION) {
			glyph = v->utf8 ? "┃" : "|";
			role = ROLE_BREAKER_OPEN;
		} else if (bits & TIMELINE_FAIL) {
			glyph = v->utf8 ? "█" : "#";
			role = ROLE_FAIL;
		} else if (bits & TIMELINE_WARN) {
			glyph = v->utf8 ? "▄" : "+";
			role = ROLE_WARN;
		} else if (all & TIMELINE_SCANNED) {
			glyph = v->utf8 ? "─" : "-";
			role = ROLE_DIM;
		} else {
			glyph = " ";
			role = ROLE_DIM;
		}
		if (i == at) {
			/* Where the screen is: a mark of its own, so it shows without colour too. */
			glyph = v->utf8 ? "▲" : "^";
			role = ROLE_TITLE;
		}
		canvas_text(c, x0 + i, y, 1, role, i == at ? ATTR_REVERSE | ATTR_BOLD : ATTR_NONE, glyph);
	}
}

/*
 * The faults in play, at the right of the status row: always in sight
 * while any is on (the source says which upstream and what), over what the
 * status line says there but a key's notice (what the press did); cut
 * with an ellipsis when long.
 */
static void draw_faults(struct canvas *c, const struct view *v, int y)
{
	char line[sizeof(v->faults) + 16];
	int keep = v->notice[0] != '\0' ? canvas_text_width(v->notice) + 2 : 24, room, w;

	if (v->faults[0] == '\0')
		return;
	room = c->w - 2 - (keep > 24 ? keep : 24);
	if (room < 16)
		room = 16;
	str_printf(line, sizeof(line), " FAULTS %s", v->faults);
	w = canvas_text_width(line);
	if (w > room) {
		str_printf(line, sizeof(line), " FAULTS %.*s%s", (int)panels_cut_bytes(v->faults, room - 9),
			   v->faults, v->utf8 ? "…" : "~");
		w = room;
	}
	/* " FAULTS text" ends a column from the right edge, as the status line starts one in. */
	canvas_fill(c, c->w - 1 - w, y, w + 1, 1, ROLE_NORMAL);
	canvas_text(c, c->w - w, y, 6, ROLE_FAIL, ATTR_BOLD | ATTR_REVERSE, "FAULTS");
	canvas_text(c, c->w - w + 6, y, w - 7, ROLE_WARN, ATTR_BOLD, line + 7);
}

/* The position line on the status row, right-aligned, when nothing more urgent is there. */
static void draw_position(struct canvas *c, const struct view *v, int y)
{
	int w = canvas_text_width(v->position);

	if (!v->replay || v->position[0] == '\0' || v->notice[0] != '\0' || v->last_error[0] != '\0' ||
	    w > c->w - 24)
		return;
	canvas_fill(c, c->w - 2 - w, y, w + 1, 1, ROLE_NORMAL);
	canvas_text_right(c, c->w - 2, y, ROLE_TITLE, ATTR_NONE, v->position);
}

/* "1:23.4" (or "1:02:03" from an hour on) since the log's start; "" for an unknown time. */
static void fmt_elapsed(char *buf, size_t len, int64_t ms)
{
	long long t = (long long)(ms < 0 ? 0 : ms);

	if (t < 3600000)
		str_printf(buf, len, "%lld:%02lld.%lld", t / 60000, t / 1000 % 60, t / 100 % 10);
	else
		str_printf(buf, len, "%lld:%02lld:%02lld", t / 3600000, t / 60000 % 60, t / 1000 % 60);
}

static enum canvas_role event_role(const struct eventlog_entry *e)
{
	switch (e->kind) {
	case EVLOG_FAULT:
	case EVLOG_RATELIMIT:
		return ROLE_WARN;
	case EVLOG_CAPTION:
		return ROLE_TITLE;
	case EVLOG_BREAKER:
		return ROLE_NORMAL;
	case EVLOG_PHASE:
	case EVLOG_OTHER:
		break;
	}
	return ROLE_DIM;
}

/* One line of the log: time, row, and what happened (a breaker's from -> to in their colours, then why). */
static void draw_event(struct canvas *c, const struct view *v, int x, int y, int w, int name_w,
		       const struct eventlog_entry *e)
{
	char when[24];
	int n;

	fmt_elapsed(when, sizeof(when), e->at_ms - v->events.start_ms);
	n = canvas_printf(c, x, y, w, ROLE_DIM, ATTR_NONE, "%8s ", when);
	if (name_w > 0) {
		canvas_text(c, x + n, y, name_w, ROLE_NORMAL, ATTR_BOLD, e->row);
		n += name_w + 1;
	}
	if (e->kind == EVLOG_BREAKER) {
		n += canvas_text(c, x + n, y, w - n, panels_breaker_role(e->from), ATTR_NONE,
				 breaker_state_name(e->from));
		n += canvas_text(c, x + n, y, w - n, ROLE_DIM, ATTR_NONE, view_marks(v)->arrow);
		n += canvas_text(c, x + n, y, w - n, panels_breaker_role(e->to), ATTR_BOLD,
				 breaker_state_name(e->to));
		canvas_printf(c, x + n, y, w - n, ROLE_NORMAL, ATTR_NONE, "  %s", e->text);
		return;
	}
	if (e->kind == EVLOG_CAPTION && e->chapters > 0) {
		canvas_printf(c, x + n, y, w - n, ROLE_TITLE, ATTR_BOLD, "chapter %d/%d: %s", e->chapter,
			      e->chapters, e->text);
		return;
	}
	canvas_text(c, x + n, y, w - n, event_role(e), ATTR_NONE, e->text);
}

/*
 * The event log in r: the newest lines at the bottom, as a log reads;
 * scrolled back ({), the top border says how many newer lines are out of
 * sight. The row names get a column as wide as the widest shown (at most
 * 16), none when no line names a row.
 */
static void draw_events(struct canvas *c, const struct view *v, struct rect r)
{
	const struct view_events *ve = &v->events;
	int rows = r.h - 2, x = r.x + 2, w = r.w - 4, name_w = 0;
	size_t first = ve->n > (size_t)rows ? ve->n - (size_t)rows : 0;
	char head[64];

	canvas_box(c, r.x, r.y, r.w, r.h, ROLE_BORDER, "Event log", ROLE_TITLE);
	if (ve->back > 0)
		str_printf(head, sizeof(head), " %zu newer below: } ", ve->back);
	else
		str_printf(head, sizeof(head), " %zu events ", ve->total);
	canvas_text_right(c, r.x + r.w - 2, r.y, ve->back > 0 ? ROLE_WARN : ROLE_DIM, ATTR_NONE, head);
	if (ve->n == 0) {
		canvas_text(c, x, r.y + 1, w, ROLE_DIM, ATTR_NONE,
			    "no events yet: breaker changes, faults and rate-limit bursts show here");
		return;
	}
	for (size_t i = first; i < ve->n; i++) {
		int nw = canvas_text_width(ve->lines[i]->row);

		if (nw > name_w)
			name_w = nw < 16 ? nw : 16;
	}
	for (size_t i = first; i < ve->n; i++)
		draw_event(c, v, x, r.y + 1 + (int)(i - first), w, name_w, ve->lines[i]);
}

/*
 * The demo's caption under the header: "3/9 Title: text", wrapped at a
 * word over PANELS_CAPTION_ROWS rows, the last cut with an ellipsis if it
 * still does not fit.
 */
static void draw_caption(struct canvas *c, const struct view *v, int y)
{
	char lead[EVENTLOG_TEXT + 32];
	const char *t = v->caption_text;
	int x = 1, w = c->w - 2, n;

	canvas_fill(c, 0, y, c->w, PANELS_CAPTION_ROWS, ROLE_NORMAL);
	if (v->chapters > 0)
		str_printf(lead, sizeof(lead), "%d/%d %s", v->chapter, v->chapters, v->caption_title);
	else
		str_printf(lead, sizeof(lead), "%s", v->caption_title);
	n = canvas_text(c, x, y, w, ROLE_TITLE, ATTR_BOLD | ATTR_REVERSE, lead);
	n += canvas_text(c, x + n, y, w - n, ROLE_NORMAL, ATTR_NONE, " ");
	for (int row = 0; row < PANELS_CAPTION_ROWS && *t != '\0'; row++) {
		int room = w - (row == 0 ? n : 0), cut = 0, cols = 0;
		size_t i = 0, bytes;

		/* The longest run of whole words that fits the room. */
		while (t[i] != '\0' && cols < room) {
			if (t[i] == ' ')
				cut = (int)i;
			if (((unsigned char)t[i] & 0xc0) != 0x80)
				cols++;
			i++;
		}
		if (t[i] == '\0' && cols <= room)
			cut = (int)i;
		else if (cut == 0)
			cut = (int)panels_cut_bytes(t, room);
		bytes = (size_t)cut;
		if (row == PANELS_CAPTION_ROWS - 1 && t[bytes] != '\0') {
			char last[EVENTLOG_TEXT * 2];

			bytes = panels_cut_bytes(t, room - 1);
			str_printf(last, sizeof(last), "%.*s%s", (int)bytes, t, v->utf8 ? "…" : "~");
			canvas_text(c, x + (row == 0 ? n : 0), y + row, room, ROLE_NORMAL, ATTR_NONE, last);
			return;
		}
		canvas_printf(c, x + (row == 0 ? n : 0), y + row, room, ROLE_NORMAL, ATTR_NONE, "%.*s",
			      (int)bytes, t);
		t += bytes;
		while (*t == ' ')
			t++;
	}
}

/*
 * The full set of panels in rows y .. y + hp - 1 (hp >= FULL_PANELS_H): the
 * charts take spare rows first (up to CHART_MAX_ROWS), then the breaker
 * and errors boxes (more transitions). With the event log on, it takes the
 * place of Targets and System, and the rows the other boxes leave.
 */
static void draw_full(struct canvas *c, const struct view *v, int y, int hp)
{
	int lw = c->w / 2, rw = c->w - lw, extra = hp - FULL_PANELS_H, chart_h, mid_extra;

	chart_h = 1 + (extra / 2 < CHART_MAX_ROWS - 1 ? extra / 2 : CHART_MAX_ROWS - 1);
	mid_extra = extra - (chart_h - 1);
	if (mid_extra > VIEW_TRANSITIONS - 2)
		mid_extra = VIEW_TRANSITIONS - 2;
	draw_latency(c, v, (struct rect){ 0, y, lw, 4 + chart_h });
	draw_throughput(c, v, (struct rect){ lw, y, rw, 4 + chart_h });
	y += 4 + chart_h;
	draw_breaker(c, v, (struct rect){ 0, y, lw, MID_ROWS + mid_extra });
	draw_errors(c, v, (struct rect){ lw, y, rw, MID_ROWS + mid_extra });
	y += MID_ROWS + mid_extra;
	if (v->events.on) {
		draw_events(c, v, (struct rect){ 0, y, c->w, hp - (4 + chart_h) - (MID_ROWS + mid_extra) });
		return;
	}
	draw_targets(c, v, (struct rect){ 0, y, lw, 8 });
	draw_system(c, v, (struct rect){ lw, y, rw, 8 });
}

/*
 * The short set under a list that leaves no room for the full one:
 * Latency (P95 and P99) beside the breaker, the targets beside the
 * errors (or the event log across both). The list shows req/s; the status
 * line, the data's age.
 */
static void draw_short(struct canvas *c, const struct view *v, int y, int hp)
{
	int lw = c->w / 2, rw = c->w - lw, top = hp - 8;

	if (top > 4 + CHART_MAX_ROWS)
		top = 4 + CHART_MAX_ROWS;
	draw_latency(c, v, (struct rect){ 0, y, lw, top });
	draw_breaker(c, v, (struct rect){ lw, y, rw, top });
	y += top;
	if (v->events.on) {
		draw_events(c, v, (struct rect){ 0, y, c->w, hp - top });
		return;
	}
	draw_targets(c, v, (struct rect){ 0, y, lw, 8 });
	draw_errors(c, v, (struct rect){ lw, y, rw, 8 });
}

struct rows_layout {
	int list_h;		/* the list with its heads */
	bool full;		/* the full panels, else the short set */
	int panels_h;
};

/*
 * Split the rows between the header (and a caption) and the status line:
 * the list shows every row if the full panels still fit under it; else,
 * when the screen is tall enough, the full panels keep their least height
 * and the list takes the rest (at least 10 rows); else the short panels and
 * at most what is left of the list.
 */
static struct rows_layout rows_layout(int h, size_t total)
{
	int avail = h - 3;	/* header, status line, key line */
	int want = 1 + (total == 0 ? 1 : (total > (size_t)avail ? avail : (int)total));
	struct rows_layout lo;

	if (avail - want >= FULL_PANELS_H) {
		lo = (struct rows_layout){ want, true, avail - want };
	} else if (avail - FULL_PANELS_H >= 1 + LIST_MIN_ROWS_FULL) {
		lo = (struct rows_layout){ avail - FULL_PANELS_H, true, FULL_PANELS_H };
	} else {
		int list_h = want < avail - SHORT_PANELS_H ? want : avail - SHORT_PANELS_H;

		if (list_h < 2)
			list_h = 2;	/* the heads and one row, even under a caption */
		lo = (struct rows_layout){ list_h, false, avail - list_h };
	}
	return lo;
}

size_t panels_list_page(int w, int h, size_t total, bool caption)
{
	(void)w;
	if (h < PANELS_MIN_H)
		h = PANELS_MIN_H;
	return (size_t)(rows_layout(h - (caption ? PANELS_CAPTION_ROWS : 0), total).list_h - 1);
}

void panels_draw(struct canvas *c, const struct view *v)
{
	/* A recording's timeline takes a row of its own where there is one to spare. */
	int tl_rows = v->has_timeline && c->h > PANELS_MIN_H ? 1 : 0;
	int cap = v->has_caption ? PANELS_CAPTION_ROWS : 0, h = c->h - tl_rows - cap, top = 1 + cap;

	canvas_clear(c);
	if (c->w < PANELS_MIN_W || c->h < PANELS_MIN_H) {
		draw_too_small(c);
		return;
	}
	draw_header(c, v);
	if (cap > 0)
		draw_caption(c, v, 1);
	if (v->list.on) {
		struct rows_layout lo = rows_layout(h, v->list.total);

		listpanel_draw(c, v, top, lo.list_h);
		if (lo.full)
			draw_full(c, v, top + lo.list_h, lo.panels_h);
		else
			draw_short(c, v, top + lo.list_h, lo.panels_h);
	} else if (h - 3 >= FULL_PANELS_H) {
		draw_full(c, v, top, h - 3);
	} else {
		draw_short(c, v, top, h - 3);
	}
	draw_status(c, v, c->h - 2);
	draw_position(c, v, c->h - 2);
	draw_faults(c, v, c->h - 2);
	/* At the smallest size the bar lies over the bottom border of the last panels. */
	if (v->has_timeline)
		draw_timeline(c, v, c->h - 3);
	draw_keys(c, c->h - 1, v->key_modes);
	if (v->nrecap > 0)
		draw_recap(c, v);
	if (v->help)
		draw_help(c, v->key_modes);
}
