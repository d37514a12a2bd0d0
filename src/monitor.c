/*
 * The monitor (see monitor.h): one place where a source's events become
 * history, recording lines, the last fault and an evaluation, so the batch
 * output and the screen behave the same.
 */
#include "monitor.h"

#include <cjson/cJSON.h>
#include <math.h>
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
	monitor_eval_unknown(&m->eval);
	m->last_error_at_ms = -1;
	m->last_good_at_ms = -1;
	m->start_ms = source_clock(src, clock_monotonic_ms());
}

void monitor_free(struct monitor *m)
{
	history_free(m->hist);
	m->hist = NULL;
	metrics_free(&m->latest);
	m->have_latest = false;
}

/* A failed recording write is a fault the user must see, not a reason to stop watching. */
static void monitor_fault(struct monitor *m, const char *msg, int64_t at_ms)
{
	str_printf(m->last_error, sizeof(m->last_error), "%s", msg);
	m->last_error_at_ms = at_ms;
}

/* A breaker event among the notices ({"type":"breaker","from":..,"to":..}) goes into the history. */
static void monitor_breaker_notice(struct monitor *m, const struct source_event *ev)
{
	cJSON *o = cJSON_Parse(ev->message);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type"));
	const char *from = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "from"));
	const char *to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "to"));
	enum breaker_state f, t;

	if (type != NULL && strcmp(type, "breaker") == 0 && from != NULL && to != NULL &&
	    breaker_state_parse(from, &f) == 0 && breaker_state_parse(to, &t) == 0)
		history_note_transition(m->hist, ev->at_ms, f, t);
	cJSON_Delete(o);
}

enum source_event_kind monitor_handle(struct monitor *m, const struct source_event *ev)
{
	char err[SOURCE_MSG_LEN];

	switch (ev->kind) {
	case SOURCE_SNAPSHOT:
		/* A recording stepped back: what came after this snapshot has not happened yet. */
		if (history_len(m->hist) > 0 && ev->at_ms < history_get(m->hist, 0)->at_ms)
			m->snapshots -= history_rewind(m->hist, ev->at_ms);
		history_push(m->hist, &ev->snap, ev->at_ms);
		/* The event's snapshot is only lent until the source's next step. */
		metrics_copy(&m->latest, &ev->snap);
		m->have_latest = true;
		m->snapshots++;
		m->last_good_at_ms = ev->at_ms;
		m->last_good_wall_ms = ev->wall_ms;
		m->last_error[0] = '\0';
		if (m->rec != NULL && recorder_write_snapshot(m->rec, ev->wall_ms, m->src->ops->name,
							      &ev->snap, err, sizeof(err)) != 0)
			monitor_fault(m, err, ev->at_ms);
		break;
	case SOURCE_NOTICE:
		monitor_breaker_notice(m, ev);
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
	targets_evaluate(m->targets, m->hist, source_clock(m->src, mono_ms),
			 m->src->interval_ms, &m->eval);
}

const struct metrics_snapshot *monitor_latest(const struct monitor *m)
{
	return m->have_latest ? &m->latest : NULL;
}
