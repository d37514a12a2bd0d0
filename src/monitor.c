/*
 * The monitor (see monitor.h): one place where a source's events become
 * history, recording lines, the last fault and an evaluation, so the batch
 * output and the screen behave the same.
 */
#include "monitor.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record/writer.h"
#include "util.h"

static void monitor_eval_unknown(struct evaluation *e)
{
	memset(e, 0, sizeof(*e));
	for (int i = 0; i < TARGET_COUNT; i++) {
		e->t[i].status = STATUS_UNKNOWN;
		e->t[i].value = NAN;
		e->t[i].note = "no data";
	}
	e->overall = STATUS_UNKNOWN;
}

void monitor_init(struct monitor *m, struct source *src, const struct target_set *targets,
		  struct recorder *rec, size_t history_capacity)
{
	memset(m, 0, sizeof(*m));
	metrics_init(&m->latest);
	m->src = src;
	m->targets = targets;
	m->rec = rec;
	m->hist = history_new(history_capacity < 2 ? 2 : history_capacity);
	m->events = eventlog_new(EVENTLOG_CAP);
	monitor_eval_unknown(&m->eval);
	m->last_error_at_ms = -1;
	m->last_good_at_ms = -1;
	m->start_ms = source_clock(src, clock_monotonic_ms());
	m->start_known = source_clock_known(src);
}

void monitor_free(struct monitor *m)
{
	history_free(m->hist);
	m->hist = NULL;
	eventlog_free(m->events);
	m->events = NULL;
	metrics_free(&m->latest);
	m->have_latest = false;
	free(m->rows);
	m->rows = NULL;
	m->nrows = m->rows_cap = 0;
}

/* A failed recording write is a fault the user must see, not a reason to stop watching. */
static void monitor_fault(struct monitor *m, const char *msg, int64_t at_ms)
{
	str_printf(m->last_error, sizeof(m->last_error), "%s", msg);
	m->last_error_at_ms = at_ms;
}

/*
 * A breaker event among the notices ({"type":"breaker","from":..,"to":..})
 * goes into the history: the row's when it names one ("row":"search"),
 * else the router's; an opening with "open_timeout_ms" starts the
 * countdown to half-open, and so does a fault notice that carries it (a
 * breaker left open when it went back to automatic).
 */
static void monitor_breaker_notice(struct monitor *m, const struct source_event *ev)
{
	cJSON *o = cJSON_Parse(ev->message);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type"));
	const char *from = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "from"));
	const char *to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "to"));
	const char *row = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "row"));
	const cJSON *timeout = cJSON_GetObjectItemCaseSensitive(o, "open_timeout_ms");
	bool countdown = cJSON_IsNumber(timeout) && timeout->valuedouble >= 0 && timeout->valuedouble < 1e12;
	enum breaker_state f, t;

	if (type != NULL && strcmp(type, "breaker") == 0 && from != NULL && to != NULL &&
	    breaker_state_parse(from, &f) == 0 && breaker_state_parse(to, &t) == 0) {
		if (row != NULL)
			history_note_row_transition(m->hist, row, ev->at_ms, f, t);
		else
			history_note_transition(m->hist, ev->at_ms, f, t);
		if (t == BREAKER_OPEN && countdown)
			history_note_half_open_at(m->hist, row, ev->at_ms + (int64_t)timeout->valuedouble);
	} else if (type != NULL && strcmp(type, "fault") == 0 && countdown) {
		history_note_half_open_at(m->hist, row, ev->at_ms + (int64_t)timeout->valuedouble);
	}
	cJSON_Delete(o);
}

static double masked(const struct metrics_latency *l, double v)
{
	return metrics_latency_known(l) ? v : NAN;
}

/*
 * Rebuild the row list from the newest snapshot and the history's rows (the
 * same rows in the same order: both come from the same push) and evaluate
 * each at now (source clock).
 */
static void monitor_rows_refresh(struct monitor *m, int64_t now)
{
	size_t n = m->have_latest ? m->latest.nrows : 0;

	if (n != history_rows(m->hist))
		n = 0;
	if (n > m->rows_cap) {
		m->rows = xrealloc(m->rows, n * sizeof(*m->rows));
		m->rows_cap = n;
	}
	m->nrows = n;
	for (size_t i = 0; i < n; i++) {
		struct monitor_row *r = &m->rows[i];
		const struct metrics_snapshot *s = &m->latest.rows[i].snap;
		const struct metrics_latency *l = &s->latency;
		double err;

		r->name = m->latest.rows[i].name;
		r->snap = s;
		r->hist = history_row(m->hist, i);
		targets_evaluate_row(m->targets, r->name, r->hist, now, m->src->interval_ms, &r->eval);
		r->state = s->breaker.state;
		r->state_age_s = history_state_age_s(r->hist, now);
		r->rps = s->throughput.per_second;
		r->p50 = masked(l, l->p50);
		r->p95 = masked(l, l->p95);
		r->p99 = masked(l, l->p99);
		err = history_error_rate(r->hist);
		r->error_pct = isnan(err) ? NAN : err * 100.0;
		r->status = r->eval.overall;
		r->down = r->eval.down;
	}
}

enum source_event_kind monitor_handle(struct monitor *m, const struct source_event *ev)
{
	char err[SOURCE_MSG_LEN];

	if (!m->start_known && (ev->kind == SOURCE_SNAPSHOT || ev->kind == SOURCE_NOTICE)) {
		m->start_ms = source_clock_start(m->src, ev->at_ms);
		m->start_known = true;
	}
	switch (ev->kind) {
	case SOURCE_SNAPSHOT:
		/* Another level of a drill-down: its figures do not continue the old ones. */
		if (ev->restart)
			history_clear(m->hist);
		/* A recording stepped back: what came after this snapshot has not happened yet. */
		if (history_len(m->hist) > 0 && ev->at_ms < history_get(m->hist, 0)->at_ms) {
			m->snapshots -= history_rewind(m->hist, ev->at_ms);
			eventlog_rewind(m->events, ev->at_ms);
		}
		history_push(m->hist, &ev->snap, ev->at_ms);
		/* The event's snapshot is only lent until the source's next step. */
		metrics_copy(&m->latest, &ev->snap);
		m->have_latest = true;
		monitor_rows_refresh(m, ev->at_ms);
		m->snapshots++;
		m->last_good_at_ms = ev->at_ms;
		m->last_good_wall_ms = ev->wall_ms;
		/*
		 * A snapshot clears the last fault, or brings its own warning;
		 * one repeated unchanged keeps the time it first came.
		 */
		if (ev->message[0] != '\0' && strcmp(m->last_error, ev->message) != 0)
			m->last_error_at_ms = ev->at_ms;
		str_printf(m->last_error, sizeof(m->last_error), "%s", ev->message);
		if (m->rec != NULL && !ev->aside && recorder_write_snapshot(m->rec, ev->wall_ms, m->src->ops->name,
							      &ev->snap, err, sizeof(err)) != 0)
			monitor_fault(m, err, ev->at_ms);
		break;
	case SOURCE_NOTICE:
		monitor_breaker_notice(m, ev);
		eventlog_add_notice(m->events, ev->at_ms, ev->message);
		if (m->rec != NULL && recorder_write_event(m->rec, ev->wall_ms, ev->message,
							   err, sizeof(err)) != 0)
			monitor_fault(m, err, ev->at_ms);
		break;
	case SOURCE_ERROR:
		monitor_fault(m, ev->message, ev->at_ms);
		m->errors++;
		break;
	case SOURCE_END:
		m->ended = true;
		break;
	}
	return ev->kind;
}

void monitor_update(struct monitor *m, int64_t mono_ms)
{
	int64_t now = source_clock(m->src, mono_ms);

	targets_evaluate(m->targets, m->hist, now, m->src->interval_ms, &m->eval);
	monitor_rows_refresh(m, now);
}

enum target_status monitor_status(const struct monitor *m)
{
	enum target_status st = m->eval.overall;

	for (size_t i = 0; i < m->nrows; i++)
		st = target_status_worst(st, m->rows[i].status);
	return st;
}

size_t monitor_rows(const struct monitor *m)
{
	return m->nrows;
}

const struct monitor_row *monitor_row(const struct monitor *m, size_t i)
{
	return i < m->nrows ? &m->rows[i] : NULL;
}

ptrdiff_t monitor_row_find(const struct monitor *m, const char *name)
{
	for (size_t i = 0; i < m->nrows; i++)
		if (strcmp(m->rows[i].name, name) == 0)
			return (ptrdiff_t)i;
	return -1;
}

const struct metrics_snapshot *monitor_latest(const struct monitor *m)
{
	return m->have_latest ? &m->latest : NULL;
}
