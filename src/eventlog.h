/*
 * The event log: what the source said happened, in its own notices
 * (source.h: SOURCE_NOTICE), newest last: breaker transitions with their
 * reasons, fault changes, rate-limit bursts, phases of a scenario and the
 * chapters of a demo. A simulation's notices and a recording's event
 * lines are the same JSON objects, so a replay shows the log the live run
 * showed. Each entry keeps its time on the source's clock, the row it is
 * about ("" for the router) and one line of terminal-safe text made from
 * the notice; the screen's Event log panel draws them, the batch output of
 * a demo prints its captions.
 *
 * A ring of a fixed number of entries: the oldest fall out. Nothing here
 * reads a clock or draws.
 */
#ifndef RT_EVENTLOG_H
#define RT_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

#define EVENTLOG_CAP 512
#define EVENTLOG_TEXT 200

enum eventlog_kind {
	EVLOG_BREAKER,		/* a breaker changed state: from, to, the reason in text */
	EVLOG_FAULT,		/* an operator's or a scenario's faults changed */
	EVLOG_RATELIMIT,	/* the rate limiter began or stopped rejecting a burst */
	EVLOG_PHASE,		/* the scenario's load moved to another phase */
	EVLOG_CAPTION,		/* a demo's chapter: its title in text, the caption in detail */
	EVLOG_OTHER,		/* a notice of a kind this log does not know: its type */
};

struct eventlog_entry {
	int64_t at_ms;			/* on the source's clock */
	enum eventlog_kind kind;
	enum breaker_state from, to;	/* EVLOG_BREAKER */
	int64_t open_timeout_ms;	/* EVLOG_BREAKER to open: when it half-opens after; -1 unknown */
	int chapter, chapters;		/* EVLOG_CAPTION: n of m; 0 when not given */
	char row[METRICS_NAME_LEN];	/* "" for the router */
	char text[EVENTLOG_TEXT];
	char detail[EVENTLOG_TEXT * 2];	/* EVLOG_CAPTION: what is happening and why; else "" */
};

struct eventlog;

/* An empty log of at most cap (>= 1) entries. Never returns NULL. */
struct eventlog *eventlog_new(size_t cap);
void eventlog_free(struct eventlog *l);	/* NULL is fine */

/*
 * Take one notice (JSON text of at most SOURCE_MSG_LEN bytes) that arrived
 * at at_ms. Returns 1 when it added an entry, 0 when the notice says
 * nothing worth a line (a router-wide breaker change derived from a row's,
 * already logged for the row), -1 when it is not a JSON object with a
 * "type" (nothing is added). Every text taken from it is made
 * terminal-safe first.
 */
int eventlog_add_notice(struct eventlog *l, int64_t at_ms, const char *json);

/* Entries held, and entry i counted back from the newest (0), or NULL past the end. */
size_t eventlog_len(const struct eventlog *l);
const struct eventlog_entry *eventlog_get(const struct eventlog *l, size_t i);
/* Entries ever added, those that fell out included (a scroll position stays put as more come). */
uint64_t eventlog_total(const struct eventlog *l);

/* The newest caption, or NULL when there is none. */
const struct eventlog_entry *eventlog_caption(const struct eventlog *l);

/*
 * Drop the entries later than at_ms (a recording stepped back to a
 * snapshot of at_ms: what came before it, its own interval's notices too,
 * had happened); returns how many.
 */
size_t eventlog_rewind(struct eventlog *l, int64_t at_ms);
void eventlog_clear(struct eventlog *l);

/* "closed", "half-open", "open" joined by an arrow ("closed -> open"): for batch output and tests. */
void eventlog_format(const struct eventlog_entry *e, char *buf, size_t len);

#endif
