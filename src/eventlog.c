/*
 * The event log (see eventlog.h): a ring of entries, each made from one
 * notice. The notices' shapes are the simulator's (sim.h) and the demo's
 * (source.h: source_demo_new), the same in recordings:
 *
 *   {"type":"breaker","row":"search","from":"closed","to":"open",
 *    "reason":"5 consecutive failures","open_timeout_ms":8000}
 *   {"type":"fault","row":"search","text":"failure rate 50 %"}
 *   {"type":"faults","row":"search","source":"scenario","failure":0.1,"timeout":0.4,...}
 *   {"type":"ratelimit","text":"rate limiter rejecting: 320 req/s over 250"}
 *   {"type":"phase","name":"traffic spike"}
 *   {"type":"caption","chapter":3,"chapters":9,"title":"...","text":"..."}
 *
 * A field missing or of another type is left out of the line, never a
 * fault: a recording may come from an older or newer routertop.
 */
#include "eventlog.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct eventlog {
	struct eventlog_entry *ring;
	size_t cap, len, head;	/* head: the slot the next entry fills */
	uint64_t total;
};

struct eventlog *eventlog_new(size_t cap)
{
	struct eventlog *l = xcalloc(1, sizeof(*l));

	l->cap = cap < 1 ? 1 : cap;
	l->ring = xcalloc(l->cap, sizeof(*l->ring));
	return l;
}

void eventlog_free(struct eventlog *l)
{
	if (l == NULL)
		return;
	free(l->ring);
	free(l);
}

size_t eventlog_len(const struct eventlog *l)
{
	return l->len;
}

const struct eventlog_entry *eventlog_get(const struct eventlog *l, size_t i)
{
	if (i >= l->len)
		return NULL;
	return &l->ring[(l->head + l->cap - 1 - i) % l->cap];
}

uint64_t eventlog_total(const struct eventlog *l)
{
	return l->total;
}

const struct eventlog_entry *eventlog_caption(const struct eventlog *l)
{
	for (size_t i = 0; i < l->len; i++) {
		const struct eventlog_entry *e = eventlog_get(l, i);

		if (e->kind == EVLOG_CAPTION)
			return e;
	}
	return NULL;
}

void eventlog_clear(struct eventlog *l)
{
	l->len = l->head = 0;
}

size_t eventlog_rewind(struct eventlog *l, int64_t at_ms)
{
	size_t dropped = 0;

	/* Entries are in arrival order, which is time order: drop from the newest end. */
	while (l->len > 0 && eventlog_get(l, 0)->at_ms > at_ms) {
		l->head = (l->head + l->cap - 1) % l->cap;
		l->len--;
		dropped++;
	}
	return dropped;
}

static struct eventlog_entry *entry_new(struct eventlog *l, int64_t at_ms, enum eventlog_kind kind)
{
	struct eventlog_entry *e = &l->ring[l->head];

	memset(e, 0, sizeof(*e));
	e->at_ms = at_ms;
	e->kind = kind;
	e->from = e->to = BREAKER_UNKNOWN;
	e->open_timeout_ms = -1;
	l->head = (l->head + 1) % l->cap;
	if (l->len < l->cap)
		l->len++;
	l->total++;
	return e;
}

static const char *str_field(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* A number field, or NAN when it is missing or not a number. */
static double num_field(const cJSON *o, const char *key)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(n) && isfinite(n->valuedouble) ? n->valuedouble : NAN;
}

/* "10 %", "0.2 %": a fraction as a percentage with the digits it needs. */
static void fmt_pct(char *buf, size_t len, double f)
{
	double p = f * 100;

	if (fabs(p - round(p)) < 1e-9)
		str_printf(buf, len, "%.0f %%", p);
	else
		str_printf(buf, len, "%.1f %%", p);
}

/* A scenario's or an operator's faults: "10 % failures, 40 % timeouts" or "none". */
static void faults_text(const cJSON *o, char *buf, size_t len)
{
	static const struct {
		const char *key, *word;
	} kinds[] = { { "failure", "failures" }, { "timeout", "timeouts" }, { "validation", "validation errors" } };
	const char *src = str_field(o, "source"), *phase = str_field(o, "phase");
	size_t used;

	str_printf(buf, len, "faults:");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		double f = num_field(o, kinds[i].key);
		char pct[24];

		if (!(f > 0))
			continue;
		fmt_pct(pct, sizeof(pct), f);
		used = strlen(buf);
		str_printf(buf + used, len - used, "%s %s %s", strcmp(buf, "faults:") == 0 ? "" : ",", pct,
			   kinds[i].word);
	}
	if (strcmp(buf, "faults:") == 0)
		str_printf(buf, len, "faults: none");
	used = strlen(buf);
	if (src != NULL && strcmp(src, "manual") == 0)
		str_printf(buf + used, len - used, " (operator)");
	else if (phase != NULL)
		str_printf(buf + used, len - used, " (phase %s)", phase);
}

/* What a notice of type says, into e. */
static void entry_fill(struct eventlog_entry *e, const cJSON *o, const char *type)
{
	char buf[EVENTLOG_TEXT * 2];
	const char *text = str_field(o, "text");
	double n;

	if (strcmp(type, "breaker") == 0) {
		const char *from = str_field(o, "from"), *to = str_field(o, "to");

		e->kind = EVLOG_BREAKER;
		if (from == NULL || to == NULL || breaker_state_parse(from, &e->from) != 0 ||
		    breaker_state_parse(to, &e->to) != 0)
			e->from = e->to = BREAKER_UNKNOWN;
		n = num_field(o, "open_timeout_ms");
		if (n >= 0 && n < 1e15)
			e->open_timeout_ms = (int64_t)n;
		text = str_field(o, "reason");
	} else if (strcmp(type, "fault") == 0) {
		e->kind = EVLOG_FAULT;
	} else if (strcmp(type, "faults") == 0) {
		e->kind = EVLOG_FAULT;
		faults_text(o, buf, sizeof(buf));
		text = buf;
	} else if (strcmp(type, "ratelimit") == 0) {
		e->kind = EVLOG_RATELIMIT;
	} else if (strcmp(type, "phase") == 0) {
		const char *name = str_field(o, "name");

		e->kind = EVLOG_PHASE;
		str_printf(buf, sizeof(buf), "phase: %s", name != NULL ? name : "n/a");
		text = buf;
	} else if (strcmp(type, "caption") == 0) {
		const char *title = str_field(o, "title");
		double ch = num_field(o, "chapter"), of = num_field(o, "chapters");

		e->kind = EVLOG_CAPTION;
		e->chapter = ch >= 1 && ch < 1000 ? (int)ch : 0;
		e->chapters = of >= 1 && of < 1000 ? (int)of : 0;
		if (text != NULL)
			metrics_copy_text(e->detail, sizeof(e->detail), text);
		text = title;
	} else if (strcmp(type, "dropped") == 0) {
		n = num_field(o, "count");
		e->kind = EVLOG_OTHER;
		str_printf(buf, sizeof(buf), "%.0f notices in one interval: the rest were dropped",
			   n >= 0 ? n : 0);
		text = buf;
	} else {
		e->kind = EVLOG_OTHER;
		if (text == NULL) {
			str_printf(buf, sizeof(buf), "event: %s", type);
			text = buf;
		}
	}
	metrics_copy_text(e->text, sizeof(e->text), text != NULL ? text : "");
}

int eventlog_add_notice(struct eventlog *l, int64_t at_ms, const char *json)
{
	cJSON *o = cJSON_Parse(json);
	const char *type = str_field(o, "type"), *row = str_field(o, "row");
	const cJSON *derived = cJSON_GetObjectItemCaseSensitive(o, "derived");
	struct eventlog_entry tmp, *e;

	if (!cJSON_IsObject(o) || type == NULL) {
		cJSON_Delete(o);
		return -1;
	}
	if (cJSON_IsTrue(derived)) {
		cJSON_Delete(o);
		return 0;
	}
	memset(&tmp, 0, sizeof(tmp));
	tmp.open_timeout_ms = -1;
	entry_fill(&tmp, o, type);
	if (row != NULL)
		metrics_copy_text(tmp.row, sizeof(tmp.row), row);
	cJSON_Delete(o);
	e = entry_new(l, at_ms, tmp.kind);
	tmp.at_ms = at_ms;
	*e = tmp;
	return 1;
}

void eventlog_format(const struct eventlog_entry *e, char *buf, size_t len)
{
	const char *row = e->row[0] != '\0' ? e->row : "router";

	switch (e->kind) {
	case EVLOG_BREAKER:
		str_printf(buf, len, "%s %s -> %s: %s", row, breaker_state_name(e->from),
			   breaker_state_name(e->to), e->text);
		break;
	case EVLOG_CAPTION:
		if (e->chapters > 0)
			str_printf(buf, len, "chapter %d/%d %s: %s", e->chapter, e->chapters, e->text, e->detail);
		else
			str_printf(buf, len, "%s: %s", e->text, e->detail);
		break;
	case EVLOG_FAULT:
	case EVLOG_RATELIMIT:
	case EVLOG_PHASE:
	case EVLOG_OTHER:
		if (e->row[0] != '\0')
			str_printf(buf, len, "%s %s", e->row, e->text);
		else
			str_printf(buf, len, "%s", e->text);
		break;
	}
}
