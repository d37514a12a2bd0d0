/*
 * The "demo" source: the seeds' story on the simulated router, told in
 * chapters (routertop demo). It wraps a sim source running the built-in
 * "demo" scenario and passes its events on, adding a caption notice
 *   {"type":"caption","chapter":5,"chapters":9,"title":"...","text":"..."}
 * where the story moves on: when the scenario's load enters a phase
 * (baseline, concurrent users, burst, failing), when the failing
 * upstream's breaker opens, refuses its first calls, half-opens, reopens
 * and closes, and when the run ends. A caption comes right after the event
 * that caused it, with that event's time, so a recording holds the story
 * and its replay tells it again.
 *
 * Every figure a caption gives is the scenario's (users, requests, the
 * limiter's rate and burst, the failing upstream's name and timeout) or
 * the event's (the breaker's reason, its open timeout, the time it was
 * out), never a copy typed in here.
 *
 * n (next_chapter) runs the simulation as fast as it goes until the next
 * caption, then goes back to the speed (and the pause) it had; paused, it
 * stops right at the caption, so each press is one chapter. The inner
 * source's snapshots are lent through unchanged (source.h): this source
 * keeps nothing of them.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "source/source.h"
#include "util.h"

#define DEMO_SCENARIO "demo"
#define QUEUE_MAX 4

enum chapter {
	CH_NONE, CH_BASELINE, CH_CONCURRENT, CH_BURST, CH_FAILING, CH_OPEN, CH_FAIL_FAST,
	CH_HALF_OPEN, CH_RECOVERED, CH_SUMMARY,
};
#define CHAPTERS CH_SUMMARY

static const char *const chapter_titles[] = {
	[CH_BASELINE] = "Baseline",
	[CH_CONCURRENT] = "Concurrent users",
	[CH_BURST] = "Rate-limit burst",
	[CH_FAILING] = "Failures injected",
	[CH_OPEN] = "The breaker opens",
	[CH_FAIL_FAST] = "Failing fast",
	[CH_HALF_OPEN] = "Half-open probing",
	[CH_RECOVERED] = "Recovery",
	[CH_SUMMARY] = "Summary",
};

/* The phases that start a chapter, by their names in data/scenarios/demo.json. */
static const struct {
	const char *phase;
	enum chapter ch;
} phase_chapters[] = {
	{ "baseline", CH_BASELINE },
	{ "concurrent", CH_CONCURRENT },
	{ "burst", CH_BURST },
	{ "failing", CH_FAILING },
};

struct demo {
	struct source *inner;
	struct scenario *sc;
	uint64_t seed;
	double speed;			/* as the user set it; the inner source runs at 0 while skipping */
	bool paused, skipping, ended;
	bool hold;			/* a skip ended paused: the rest of its interval waits too */
	enum chapter chapter;		/* the last one told */
	char failing[SCENARIO_NAME_LEN];	/* the upstream the story breaks */
	int64_t out_since_ms;		/* its breaker left closed; -1 while it is closed */
	int64_t last_trips;		/* its refused calls in the last snapshot */
	int64_t trips_base;		/* ... when it opened, while its first refusals are awaited; -1 */
	struct source_event queue[QUEUE_MAX];	/* captions (and the end) to hand out next */
	size_t nq, qhead;
};

/* The phase index of the failing chapter and the upstream it breaks: the first with faults of its own. */
static void find_failing(struct demo *d)
{
	for (size_t i = 0; i < d->sc->nupstream_faults; i++) {
		const struct scenario_upstream_faults *uf = &d->sc->upstream_faults[i];

		if (strcmp(d->sc->phases[uf->phase].name, "failing") == 0) {
			str_printf(d->failing, sizeof(d->failing), "%s", d->sc->upstreams[uf->upstream].name);
			return;
		}
	}
	str_printf(d->failing, sizeof(d->failing), "%s", d->sc->upstreams[0].name);
}

static const struct scenario_phase *phase_named(const struct demo *d, const char *name)
{
	for (size_t i = 0; i < d->sc->nphases; i++)
		if (strcmp(d->sc->phases[i].name, name) == 0)
			return &d->sc->phases[i];
	return NULL;
}

/* "5 s", "2.5 s", "500 ms". */
static void fmt_secs(char *buf, size_t len, int64_t ms)
{
	if (ms < 1000)
		str_printf(buf, len, "%lld ms", (long long)ms);
	else if (ms % 1000 == 0)
		str_printf(buf, len, "%lld s", (long long)(ms / 1000));
	else
		str_printf(buf, len, "%.1f s", (double)ms / 1000.0);
}

/* Queue the caption of chapter ch at at_ms (the time of what caused it). */
static void caption(struct demo *d, enum chapter ch, int64_t at_ms, int64_t wall_ms, const char *text)
{
	struct source_event *ev;
	cJSON *o;
	char *json;

	if (d->nq == QUEUE_MAX)
		return;
	ev = &d->queue[(d->qhead + d->nq++) % QUEUE_MAX];
	memset(ev, 0, sizeof(*ev));
	metrics_init(&ev->snap);
	ev->kind = SOURCE_NOTICE;
	ev->at_ms = at_ms;
	ev->wall_ms = wall_ms;
	o = cJSON_CreateObject();
	if (o == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(o, "type", "caption");
	cJSON_AddNumberToObject(o, "chapter", ch);
	cJSON_AddNumberToObject(o, "chapters", CHAPTERS);
	cJSON_AddStringToObject(o, "title", chapter_titles[ch]);
	cJSON_AddStringToObject(o, "text", text);
	cJSON_AddNumberToObject(o, "at_ms", (double)at_ms);
	json = cJSON_PrintUnformatted(o);
	if (json == NULL)
		fatal("out of memory");
	str_printf(ev->message, sizeof(ev->message), "%s", json);
	cJSON_free(json);
	cJSON_Delete(o);
	d->chapter = ch;
}

static void phase_caption(struct demo *d, const char *name, const struct source_event *ev)
{
	const struct scenario_phase *ph = phase_named(d, name);
	char text[SOURCE_MSG_LEN];
	enum chapter ch = CH_NONE;

	for (size_t i = 0; i < sizeof(phase_chapters) / sizeof(phase_chapters[0]); i++)
		if (strcmp(phase_chapters[i].phase, name) == 0)
			ch = phase_chapters[i].ch;
	if (ch == CH_NONE || ph == NULL)
		return;
	switch (ch) {
	case CH_BASELINE:
		str_printf(text, sizeof(text),
			   "One user sends %u requests one after another: latency with nothing else going "
			   "on. One user is far from the 100 req/s target.",
			   ph->requests);
		break;
	case CH_CONCURRENT:
		str_printf(text, sizeof(text),
			   "%u users send %u requests each at once: requests queue for the workers, P95 "
			   "and P99 grow, throughput passes 100 req/s.",
			   ph->users, ph->requests);
		break;
	case CH_BURST:
		str_printf(text, sizeof(text),
			   "%.0f more requests a second: the rate limiter (%.0f/s, burst %u) rejects at "
			   "once what it cannot take.",
			   ph->rate, d->sc->limit_rate, d->sc->limit_burst);
		break;
	default: {
		char t[24];
		ptrdiff_t up = -1;

		for (size_t i = 0; i < d->sc->nupstreams; i++)
			if (strcmp(d->sc->upstreams[i].name, d->failing) == 0)
				up = (ptrdiff_t)i;
		fmt_secs(t, sizeof(t), up >= 0 ? d->sc->upstreams[up].backend.timeout_us / 1000 : 0);
		str_printf(text, sizeof(text),
			   "%s stops answering: each call to it times out after %s, and its breaker counts "
			   "the failures.", d->failing, t);
		break;
	}
	}
	caption(d, ch, ev->at_ms, ev->wall_ms, text);
}

/* The failing upstream's breaker moved: the story's chapters 5, 7 and 8. */
static void breaker_caption(struct demo *d, const cJSON *o, const struct source_event *ev)
{
	const char *from = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "from"));
	const char *to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "to"));
	const char *reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "reason"));
	const cJSON *timeout = cJSON_GetObjectItemCaseSensitive(o, "open_timeout_ms");
	char text[SOURCE_MSG_LEN], t[24];

	if (from == NULL || to == NULL)
		return;
	if (reason == NULL)
		reason = "n/a";
	fmt_secs(t, sizeof(t), cJSON_IsNumber(timeout) ? (int64_t)timeout->valuedouble
						       : d->sc->upstreams[0].breaker.open_timeout_us / 1000);
	if (strcmp(to, "open") == 0 && strcmp(from, "closed") == 0) {
		d->out_since_ms = ev->at_ms;
		d->trips_base = d->last_trips;
		str_printf(text, sizeof(text),
			   "%s: %s's breaker opened. For %s no call reaches it: nobody waits out a "
			   "timeout.", reason, d->failing, t);
		caption(d, CH_OPEN, ev->at_ms, ev->wall_ms, text);
	} else if (strcmp(to, "open") == 0) {
		str_printf(text, sizeof(text),
			   "%s: %s is still down, so the breaker opened again for %s. The recovery clock "
			   "runs on.", reason, d->failing, t);
		caption(d, CH_HALF_OPEN, ev->at_ms, ev->wall_ms, text);
	} else if (strcmp(to, "half-open") == 0) {
		str_printf(text, sizeof(text),
			   "%s: half-open, a few trial calls go through to find out whether %s answers "
			   "again.", reason, d->failing);
		caption(d, CH_HALF_OPEN, ev->at_ms, ev->wall_ms, text);
	} else if (strcmp(to, "closed") == 0 && d->out_since_ms >= 0) {
		fmt_secs(t, sizeof(t), ev->at_ms - d->out_since_ms);
		str_printf(text, sizeof(text),
			   "%s: the breaker closed, %s takes traffic again. It was out for %s; the target "
			   "is under 60 s.", reason, d->failing, t);
		d->out_since_ms = -1;
		caption(d, CH_RECOVERED, ev->at_ms, ev->wall_ms, text);
	}
}

static void notice_seen(struct demo *d, const struct source_event *ev)
{
	cJSON *o = cJSON_Parse(ev->message);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type"));
	const char *row = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "row"));
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "name"));

	if (type != NULL && strcmp(type, "phase") == 0 && name != NULL)
		phase_caption(d, name, ev);
	else if (type != NULL && strcmp(type, "breaker") == 0 && row != NULL && strcmp(row, d->failing) == 0)
		breaker_caption(d, o, ev);
	cJSON_Delete(o);
}

/* Once it has opened, the failing upstream's first refused calls are chapter 6. */
static void snapshot_seen(struct demo *d, const struct source_event *ev)
{
	char text[SOURCE_MSG_LEN];
	int64_t trips = -1;

	for (size_t i = 0; i < ev->snap.nrows; i++)
		if (strcmp(ev->snap.rows[i].name, d->failing) == 0)
			trips = ev->snap.rows[i].snap.errors.breaker_trips;
	if (trips < 0)
		return;
	if (d->trips_base >= 0 && trips > d->trips_base) {
		str_printf(text, sizeof(text),
			   "Calls to %s are refused at once: \"Service temporarily unavailable\" (%lld so "
			   "far), answered in a millisecond instead of a timeout.",
			   d->failing, (long long)(trips - d->trips_base));
		d->trips_base = -1;
		caption(d, CH_FAIL_FAST, ev->at_ms, ev->wall_ms, text);
	}
	d->last_trips = trips;
}

/*
 * A caption was queued while skipping: the next chapter is here, back to
 * the user's pace. Paused, the story stops at the caption: what the
 * simulation already has of that interval waits for the next key, so each
 * n shows one chapter.
 */
static void skip_done(struct demo *d, int64_t mono_ms)
{
	if (!d->skipping)
		return;
	d->skipping = false;
	source_set_speed(d->inner, d->speed, mono_ms);
	if (d->paused) {
		source_set_paused(d->inner, true, mono_ms);
		d->hold = true;
	}
}

static int demo_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	struct demo *d = self;
	size_t before;

	if (d->nq > 0) {
		*ev = d->queue[d->qhead];
		d->qhead = (d->qhead + 1) % QUEUE_MAX;
		d->nq--;
		return 1;
	}
	if (d->ended || d->hold)
		return 0;
	if (source_step(d->inner, mono_ms, ev) == 0)
		return 0;
	before = d->nq;
	switch (ev->kind) {
	case SOURCE_NOTICE:
		notice_seen(d, ev);
		break;
	case SOURCE_SNAPSHOT:
		snapshot_seen(d, ev);
		break;
	case SOURCE_END: {
		char text[SOURCE_MSG_LEN];

		/* The caption first, then the end. */
		str_printf(text, sizeof(text),
			   "The story is over: the targets met and missed, and how long %s took to "
			   "recover.", d->failing);
		caption(d, CH_SUMMARY, ev->at_ms, ev->wall_ms, text);
		d->queue[(d->qhead + d->nq++) % QUEUE_MAX] = *ev;
		d->ended = true;
		skip_done(d, mono_ms);
		return demo_step(self, mono_ms, ev);
	}
	case SOURCE_ERROR:
		break;
	}
	if (d->nq > before)
		skip_done(d, mono_ms);
	return 1;
}

static int demo_next_chapter(void *self, int64_t mono_ms, char *msg, size_t len)
{
	struct demo *d = self;

	if (d->ended || d->chapter == CH_SUMMARY) {
		str_printf(msg, len, "the story is over: q quits");
		return -1;
	}
	if (d->skipping) {
		str_printf(msg, len, "already on the way to chapter %d of %d", d->chapter + 1, CHAPTERS);
		return 0;
	}
	d->skipping = true;
	d->hold = false;
	source_set_speed(d->inner, 0, mono_ms);
	if (d->paused)
		source_set_paused(d->inner, false, mono_ms);
	str_printf(msg, len, "on to chapter %d of %d: %s", d->chapter + 1, CHAPTERS,
		   chapter_titles[d->chapter + 1]);
	return 0;
}

static void demo_describe(void *self, char *buf, size_t len)
{
	struct demo *d = self;
	char inner[256], speed[32];
	const char *rest;

	/* The sim's own words after its scenario and seed: speed, faults in the operator's hands. */
	source_describe(d->inner, inner, sizeof(inner));
	format_speed(speed, sizeof(speed), d->speed);
	rest = strstr(inner, speed);
	rest = rest != NULL ? rest + strlen(speed) : "";
	str_printf(buf, len, "demo seed %llu %s%s%s", (unsigned long long)d->seed, speed,
		   d->skipping ? " >>" : "", rest);
}

static int demo_pollfds(void *self, struct pollfd *fds, int max)
{
	struct demo *d = self;

	return d->inner->ops->pollfds != NULL ? d->inner->ops->pollfds(d->inner->self, fds, max) : 0;
}

static int64_t demo_next_wakeup(void *self, int64_t mono_ms)
{
	struct demo *d = self;

	if (d->nq > 0)
		return mono_ms;
	if (d->ended || d->hold)
		return SOURCE_NO_WAKEUP;
	return d->inner->ops->next_wakeup(d->inner->self, mono_ms);
}

static int64_t demo_clock(void *self, int64_t mono_ms)
{
	struct demo *d = self;

	return source_clock(d->inner, mono_ms);
}

static void demo_set_interval(void *self, int64_t interval_ms)
{
	struct demo *d = self;

	source_set_interval(d->inner, interval_ms);
}

static void demo_set_paused(void *self, bool paused, int64_t mono_ms)
{
	struct demo *d = self;

	d->paused = paused;
	if (!paused)
		d->hold = false;
	/* A skip runs on; it stops paused if the user paused meanwhile. */
	if (!d->skipping)
		source_set_paused(d->inner, paused, mono_ms);
}

static void demo_set_speed(void *self, double speed, int64_t mono_ms)
{
	struct demo *d = self;

	d->speed = speed;
	if (!d->skipping)
		source_set_speed(d->inner, speed, mono_ms);
}

static int demo_inject(void *self, enum source_inject what, const char *row, char *msg, size_t len)
{
	struct demo *d = self;

	return source_inject(d->inner, what, row, msg, len);
}

static void demo_active_faults(void *self, char *buf, size_t len)
{
	struct demo *d = self;

	source_active_faults(d->inner, buf, len);
}

static const char *demo_row_noun(void *self)
{
	struct demo *d = self;

	return source_row_noun(d->inner);
}

static void demo_destroy(void *self)
{
	struct demo *d = self;

	source_free(d->inner);
	free(d->sc);
	free(d);
}

static const struct source_ops demo_ops = {
	.name = "demo",
	.describe = demo_describe,
	.pollfds = demo_pollfds,
	.next_wakeup = demo_next_wakeup,
	.step = demo_step,
	.clock = demo_clock,
	.set_interval = demo_set_interval,
	.set_paused = demo_set_paused,
	.set_speed = demo_set_speed,
	.inject = demo_inject,
	.row_noun = demo_row_noun,
	.active_faults = demo_active_faults,
	.next_chapter = demo_next_chapter,
	.destroy = demo_destroy,
};

struct source *source_demo_new(const struct demo_options *o, char *err, size_t errlen)
{
	struct sim_options so = {
		.scenario = DEMO_SCENARIO, .seed = o->seed, .speed = o->speed,
		.interval_ms = o->interval_ms,
	};
	struct demo *d;
	struct source *inner;
	struct scenario *sc = xmalloc(sizeof(*sc));

	if (scenario_load(DEMO_SCENARIO, sc, err, errlen) < 0) {
		free(sc);
		return NULL;
	}
	inner = source_sim_new(&so, err, errlen);
	if (inner == NULL) {
		free(sc);
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	d->inner = inner;
	d->sc = sc;
	d->seed = o->seed;
	d->speed = o->speed;
	d->out_since_ms = -1;
	d->trips_base = -1;
	find_failing(d);
	return source_new(&demo_ops, d, inner->interval_ms);
}
