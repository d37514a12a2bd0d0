/* From the monitor to the view the panels draw; see view.h. */
#include "ui/view.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "util.h"

_Static_assert(VIEW_RECAP_W == RECAP_LINE && VIEW_RECAP_LINES >= RECAP_LINES,
	       "the view holds every line of a recap");

/* The targets panel's rows: each target's metadata, limit and result from an evaluation. */
static void view_targets(struct view *v, const struct target_limits *lim, const struct evaluation *e,
			 enum target_status overall)
{
	for (int i = 0; i < TARGET_COUNT; i++) {
		struct view_target *t = &v->targets[i];

		str_printf(t->label, sizeof(t->label), "%s", target_label((enum target_id)i));
		str_printf(t->unit, sizeof(t->unit), "%s", target_unit((enum target_id)i));
		t->upper = target_is_upper_bound((enum target_id)i);
		t->limit = lim->limit[i];
		t->r = e->t[i];
	}
	v->overall = overall;
}

static void view_history(struct view *v, const struct history *h, int64_t src_now)
{
	struct breaker_transition all[HISTORY_TRANSITIONS];
	size_t n = history_transitions(h, all, HISTORY_TRANSITIONS);
	size_t first = n > VIEW_TRANSITIONS ? n - VIEW_TRANSITIONS : 0;

	history_deltas(h, &v->deltas);
	v->state_age_s = history_state_age_s(h, src_now);
	v->last_recovery_s = history_last_recovery_s(h);
	v->half_open_in_s = history_half_open_in_s(h, src_now);
	v->outage_s = history_outage_age_s(h, src_now);
	v->ntrans = n - first;
	memcpy(v->trans, all + first, v->ntrans * sizeof(all[0]));
	history_series(h, HF_P50, v->p50, VIEW_SERIES);
	v->p95_n = history_series(h, HF_P95, v->p95, VIEW_SERIES);
	history_series(h, HF_P99, v->p99, VIEW_SERIES);
	v->rps_n = history_series(h, HF_RPS, v->rps, VIEW_SERIES);
	v->at_n = history_series(h, HF_AT, v->series_at, VIEW_SERIES);
}

static enum view_marker view_marker_for(const struct view *v, const struct monitor *m, bool paused)
{
	if (paused)
		return MARK_PAUSED;
	if (m->ended)
		return MARK_ENDED;
	if (!v->has_data)
		return MARK_WAITING;
	if (v->stale)
		return MARK_STALE;
	/* A recording is the past: it plays, it is not live. */
	return v->replay ? MARK_REPLAY : MARK_LIVE;
}

static double age_s(int64_t now, int64_t then)
{
	return then < 0 ? NAN : (double)(now - then) / 1000.0;
}

/*
 * The header clock follows the source's timeline: the last snapshot's wall
 * time plus the time since it on the source's clock. For a live source that
 * is now; for a recording, the recorded time being shown; for a simulation,
 * its start plus virtual time.
 */
static int64_t view_clock_ms(const struct monitor *m, int64_t src_now, int64_t wall_now)
{
	if (m->last_good_at_ms < 0)
		return wall_now;
	return m->last_good_wall_ms + (src_now - m->last_good_at_ms);
}

/* "1,234,567" */
static void view_count(char *buf, size_t len, int64_t n)
{
	char digits[32];
	size_t nd, o = 0;

	str_printf(digits, sizeof(digits), "%lld", (long long)n);
	nd = strlen(digits);
	for (size_t i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* A recording's position line and timeline: where the snapshot on screen is. */
static void view_position(struct view *v, struct monitor *m, const struct view_input *in)
{
	struct source_position pos;
	char when[32] = "", line[32], read[32];
	time_t t = (time_t)(m->last_good_wall_ms / 1000);
	struct tm tm;

	v->cursor = NAN;
	if (source_position(m->src, &pos) != 0)
		return;
	v->replay = true;
	if (m->snapshots > 0 && localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	view_count(line, sizeof(line), pos.line);
	if (pos.pipe) {
		view_count(read, sizeof(read), pos.lines_read);
		str_printf(v->position, sizeof(v->position), "%s  line %s of %s read (pipe)", when, line,
			   read);
	} else if (pos.size > 0) {
		bool exact = !pos.compressed;

		/* The timeline knows the text's length (a compressed file's, once it is read through). */
		if (in->timeline != NULL) {
			int64_t total = timeline_render(in->timeline, v->timeline, &exact);

			v->has_timeline = true;
			v->cursor = (double)pos.off / (double)total;
		} else {
			v->cursor = (double)pos.done / (double)pos.size;
		}
		if (v->cursor > 1)
			v->cursor = 1;
		str_printf(v->position, sizeof(v->position), "%s  line %s  %s%.0f%%", when, line,
			   exact ? "" : "~", v->cursor * 100);
	}
}

/* A value's status for its colour: none (plain) where the row has no such target. */
static enum target_status value_status(const struct evaluation *e, enum target_id id)
{
	return isnan(e->limits.limit[id]) ? STATUS_UNKNOWN : e->t[id].status;
}

/* A row's figures for the list: the monitor's columns and evaluation, the rest from its snapshot. */
static void view_row_fill(struct list_row *r, const struct monitor_row *mr)
{
	struct metrics_latency l = mr->snap->latency;

	metrics_latency_mask(&l);
	r->breaker = mr->state;
	r->breaker_age_s = mr->state_age_s;
	r->rps = mr->rps;
	r->p50 = mr->p50;
	r->p90 = l.p90;
	r->p95 = mr->p95;
	r->p99 = mr->p99;
	r->p999 = l.p999;
	r->max = l.max;
	r->avg = l.avg;
	r->err_pct = mr->error_pct;
	r->in_flight = mr->snap->requests.pending;
	r->status = mr->status;
	r->down = mr->down;
	r->st_rps = value_status(&mr->eval, TARGET_THROUGHPUT);
	r->st_p95 = value_status(&mr->eval, TARGET_P95);
	r->st_p99 = value_status(&mr->eval, TARGET_P99);
	r->st_err = value_status(&mr->eval, TARGET_ERROR_RATE);
}

/* Refill the list from the monitor's rows and show it. */
static void view_list(struct view *v, const struct monitor *m, const struct view_input *in,
		      struct list *l)
{
	size_t n = monitor_rows(m);
	struct view_list *vl = &v->list;

	list_begin(l);
	for (size_t i = 0; i < n; i++) {
		const struct monitor_row *mr = monitor_row(m, i);

		view_row_fill(list_add(l, mr->name), mr);
	}
	list_end(l);
	if (n == 0)
		return;
	list_set_page(l, panels_list_page(in->width, in->height, l->nrows, v->has_caption));
	vl->on = true;
	str_printf(vl->noun, sizeof(vl->noun), "%s", source_row_noun(m->src));
	vl->rows = l->shown;
	vl->nrows = l->nshown;
	vl->total = l->nrows;
	vl->sel = l->sel;
	vl->top = l->top;
	vl->sort = l->sort;
	vl->reverse = l->reverse;
	vl->editing = l->editing;
	str_printf(vl->filter, sizeof(vl->filter), "%s", l->filter);
}

/*
 * The router's breaker is its worst row's: open, it half-opens when the
 * first of its open rows does, as far as the rows' own clocks say.
 */
static void view_router_countdown(struct view *v, const struct monitor *m, int64_t src_now)
{
	for (size_t i = 0; i < monitor_rows(m); i++) {
		const struct monitor_row *mr = monitor_row(m, i);
		double in;

		if (mr->state != BREAKER_OPEN)
			continue;
		in = history_half_open_in_s(mr->hist, src_now);
		if (!isnan(in) && (isnan(v->half_open_in_s) || in < v->half_open_in_s))
			v->half_open_in_s = in;
	}
}

/* Zoomed: the panels show the selected row, its own snapshot, history and evaluation. */
static void view_zoom(struct view *v, const struct monitor *m, const struct list *l, int64_t src_now)
{
	const struct list_row *sel = list_selected(l);
	const struct monitor_row *mr;
	ptrdiff_t i;

	if (!l->zoomed || sel == NULL)
		return;
	i = monitor_row_find(m, sel->name);
	if (i < 0)
		return;
	mr = monitor_row(m, (size_t)i);
	str_printf(v->zoom, sizeof(v->zoom), "%s", mr->name);
	v->snap = *mr->snap;	/* a row's snapshot has no rows: a plain copy */
	metrics_latency_mask(&v->snap.latency);
	view_targets(v, &mr->eval.limits, &mr->eval, mr->eval.overall);
	view_history(v, mr->hist, src_now);
}

/* The event log's lines that can show, scrolled in->events_back from the newest, and the newest caption. */
static void view_events(struct view *v, const struct monitor *m, const struct view_input *in)
{
	struct view_events *ve = &v->events;
	const struct eventlog_entry *cap = eventlog_caption(m->events);
	size_t len = eventlog_len(m->events);
	size_t back = in->events_back < len ? in->events_back : (len > 0 ? len - 1 : 0);
	size_t n = len - back < VIEW_EVENTS ? len - back : VIEW_EVENTS;

	ve->on = in->events;
	ve->back = back;
	ve->total = len;
	ve->start_ms = m->start_ms;
	ve->n = n;
	for (size_t i = 0; i < n; i++)
		ve->lines[i] = eventlog_get(m->events, back + n - 1 - i);
	if (cap == NULL)
		return;
	v->has_caption = true;
	v->chapter = cap->chapter;
	v->chapters = cap->chapters;
	str_printf(v->caption_title, sizeof(v->caption_title), "%s", cap->text);
	str_printf(v->caption_text, sizeof(v->caption_text), "%s", cap->detail);
}

void view_update(struct view *v, struct monitor *m, const struct view_input *in)
{
	const struct history_entry *newest = history_get(m->hist, 0);
	int64_t src_now = source_clock(m->src, in->mono_ms);
	time_t wall = (time_t)(view_clock_ms(m, src_now, in->wall_ms) / 1000);
	struct target_limits lim;
	struct tm tm;

	view_init(v);
	str_printf(v->program, sizeof(v->program), "%s", in->program);
	source_describe(m->src, v->source, sizeof(v->source));
	str_printf(v->mode, sizeof(v->mode), "%s", m->src->ops->name);
	if (localtime_r(&wall, &tm) != NULL)
		strftime(v->clock, sizeof(v->clock), "%H:%M:%S", &tm);
	v->interval_ms = m->src->interval_ms;
	v->utf8 = in->utf8;
	v->help = in->help;
	v->key_modes = in->key_modes;
	v->src_now_ms = src_now;
	v->has_data = newest != NULL;
	if (newest != NULL) {
		v->snap = newest->snap;
		metrics_latency_mask(&v->snap.latency);
	}
	v->stale = v->has_data && m->eval.stale;
	targets_limits(m->targets, NULL, &lim);
	view_targets(v, &lim, &m->eval, monitor_status(m));
	view_history(v, m->hist, src_now);
	v->snapshots = m->snapshots;
	v->update_age_s = age_s(src_now, m->last_good_at_ms);
	str_printf(v->last_error, sizeof(v->last_error), "%s", m->last_error);
	v->error_age_s = m->last_error[0] != '\0' ? age_s(src_now, m->last_error_at_ms) : NAN;
	view_events(v, m, in);
	if (v->snap.breaker.state == BREAKER_OPEN && isnan(v->half_open_in_s))
		view_router_countdown(v, m, src_now);
	if (in->recap != NULL)
		v->nrecap = recap_lines(in->recap, v->recap, VIEW_RECAP_LINES);
	if (in->list != NULL) {
		view_list(v, m, in, in->list);
		view_zoom(v, m, in->list, src_now);
	}
	if (in->notice != NULL)
		str_printf(v->notice, sizeof(v->notice), "%s", in->notice);
	source_active_faults(m->src, v->faults, sizeof(v->faults));
	view_position(v, m, in);
	v->marker = view_marker_for(v, m, in->paused);
}
