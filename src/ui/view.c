/* From the monitor to the view the panels draw; see view.h. */
#include "ui/view.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "util.h"

static void view_targets(struct view *v, const struct monitor *m)
{
	for (int i = 0; i < TARGET_COUNT; i++) {
		struct view_target *t = &v->targets[i];

		str_printf(t->label, sizeof(t->label), "%s", target_label((enum target_id)i));
		str_printf(t->unit, sizeof(t->unit), "%s", target_unit((enum target_id)i));
		t->upper = target_is_upper_bound((enum target_id)i);
		t->limit = m->targets->limit[i];
		t->r = m->eval.t[i];
	}
	v->overall = monitor_status(m);
}

static void view_history(struct view *v, const struct history *h, int64_t src_now)
{
	struct breaker_transition all[HISTORY_TRANSITIONS];
	size_t n = history_transitions(h, all, HISTORY_TRANSITIONS);
	size_t first = n > VIEW_TRANSITIONS ? n - VIEW_TRANSITIONS : 0;

	history_deltas(h, &v->deltas);
	v->state_age_s = history_state_age_s(h, src_now);
	v->last_recovery_s = history_last_recovery_s(h);
	v->ntrans = n - first;
	memcpy(v->trans, all + first, v->ntrans * sizeof(all[0]));
	v->p95_n = history_series(h, HF_P95, v->p95, VIEW_SERIES);
	v->rps_n = history_series(h, HF_RPS, v->rps, VIEW_SERIES);
}

static enum view_marker view_marker_for(const struct view *v, const struct monitor *m, bool paused)
{
	if (paused)
		return MARK_PAUSED;
	if (m->ended)
		return MARK_ENDED;
	if (!v->has_data)
		return MARK_WAITING;
	return v->stale ? MARK_STALE : MARK_LIVE;
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

void view_update(struct view *v, struct monitor *m, const struct view_input *in)
{
	const struct history_entry *newest = history_get(m->hist, 0);
	int64_t src_now = source_clock(m->src, in->mono_ms);
	time_t wall = (time_t)(view_clock_ms(m, src_now, in->wall_ms) / 1000);
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
	view_targets(v, m);
	view_history(v, m->hist, src_now);
	v->snapshots = m->snapshots;
	v->update_age_s = age_s(src_now, m->last_good_at_ms);
	str_printf(v->last_error, sizeof(v->last_error), "%s", m->last_error);
	v->error_age_s = m->last_error[0] != '\0' ? age_s(src_now, m->last_error_at_ms) : NAN;
	v->marker = view_marker_for(v, m, in->paused);
	if (in->notice != NULL)
		str_printf(v->notice, sizeof(v->notice), "%s", in->notice);
}
