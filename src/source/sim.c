/*
 * The "sim" source: the simulated router behind the source interface.
 *
 * Virtual time runs at speed x wall time from an anchor (mono, virtual)
 * that is moved on pause, resume and speed changes; speed 0 runs as fast as
 * the CPU allows. Each interval boundary of virtual time yields the notices
 * raised during that interval, then one snapshot. At most one interval is
 * simulated per round of step() calls, and one step() fires at most
 * SIM_STEP_EVENTS events (a few milliseconds of work), so neither a slow
 * machine, a huge speed nor a long interval starves the event loop: the
 * simulation just falls behind, and next_wakeup() says "now" until it has
 * caught up. Keys and signals are seen between steps.
 *
 * Injections (the screen's fault keys) act at the virtual time of the last
 * snapshot, the simulation's "now" between intervals, so the same seed and
 * the same injections at the same virtual times give the same run. Each
 * acts on one upstream (the row named, or the first) through the
 * simulator's operator faults (sim_op_set), which hold through the
 * scenario's phase changes; the simulator keeps them and says what they
 * are (active_faults), this file only steps them.
 *
 * The snapshot an event lends (source.h) is ss->snap, refilled in place at
 * each interval, so a steady run allocates nothing for its rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "sim/sim.h"
#include "source/source.h"
#include "util.h"

#define NOTICE_CAP 1024		/* notices kept per interval; more are counted */
/* Events simulated per step at most: about 2 ms here (make bench: sim_events_per_s). */
#define SIM_STEP_EVENTS 8192

struct notice {
	int64_t at_us;
	char msg[SOURCE_MSG_LEN];
};

struct sim_source {
	struct sim *sim;
	char name[SCENARIO_NAME_LEN];
	uint64_t seed;
	double speed;
	int64_t limit_us;		/* stop here; INT64_MAX: the scenario decides */
	int64_t interval_us;
	bool anchored, paused;
	int64_t anchor_mono, anchor_us;	/* virtual anchor_us at mono anchor_mono */
	int64_t last_us;		/* virtual time of the last snapshot */
	int64_t start_wall_ms;		/* wall clock at start: virtual time 0 in recordings */
	struct notice *notices;
	size_t n_notices, next_notice;
	uint64_t dropped;
	bool snap_ready, end_ready, ended, advanced;
	bool working;			/* an interval is part simulated */
	struct metrics_snapshot snap;		/* lent by the last snapshot event */
};

static void collect_notice(void *ctx, int64_t at_us, const char *json)
{
	struct sim_source *ss = ctx;

	if (ss->n_notices == NOTICE_CAP) {
		ss->dropped++;
		return;
	}
	ss->notices[ss->n_notices].at_us = at_us;
	str_printf(ss->notices[ss->n_notices].msg, SOURCE_MSG_LEN, "%s", json);
	ss->n_notices++;
}

static void anchor(struct sim_source *ss, int64_t mono)
{
	if (!ss->anchored) {
		ss->anchored = true;
		ss->anchor_mono = mono;
		ss->anchor_us = 0;
	}
}

/* Virtual time the wall clock says we should be at. */
static int64_t target_us(struct sim_source *ss, int64_t mono)
{
	double v;

	anchor(ss, mono);
	if (ss->paused || ss->speed == 0)
		return ss->anchor_us;
	v = (double)ss->anchor_us + (double)(mono - ss->anchor_mono) * ss->speed * 1000.0;
	return v >= 9.0e18 ? INT64_MAX : (int64_t)v;
}

static void reanchor(struct sim_source *ss, int64_t mono)
{
	ss->anchor_us = target_us(ss, mono);
	ss->anchor_mono = mono;
}

static int64_t next_boundary(const struct sim_source *ss)
{
	int64_t b = ss->last_us + ss->interval_us;

	return b > ss->limit_us ? ss->limit_us : b;
}

/*
 * Simulate toward the next boundary, SIM_STEP_EVENTS events at most; true
 * once there. A notice past the cap replaces the last one with a count.
 */
static bool advance(struct sim_source *ss)
{
	int64_t t;

	ss->working = !sim_run_for(ss->sim, next_boundary(ss), SIM_STEP_EVENTS);
	if (ss->working)
		return false;
	t = sim_now_us(ss->sim);

	if (ss->dropped > 0) {
		struct notice *n = &ss->notices[ss->n_notices - 1];

		n->at_us = t;
		str_printf(n->msg, SOURCE_MSG_LEN, "{\"type\":\"dropped\",\"count\":%llu,\"at_ms\":%lld}",
			   (unsigned long long)ss->dropped + 1, (long long)(t / 1000));
		ss->dropped = 0;
	}
	ss->last_us = t;
	ss->snap_ready = true;
	ss->end_ready = sim_finished(ss->sim) || t >= ss->limit_us;
	ss->advanced = true;
	return true;
}

/*
 * Recordings get the simulation's own timeline (start + virtual time), so a
 * run at --speed max replays with its simulated spacing, not all in one ms.
 */
static void fill(const struct sim_source *ss, struct source_event *ev,
		 enum source_event_kind kind, int64_t at_us)
{
	ev->kind = kind;
	ev->at_ms = at_us / 1000;
	ev->wall_ms = ss->start_wall_ms + at_us / 1000;
	ev->message[0] = '\0';
	metrics_init(&ev->snap);
}

/* Hand out what the last advance produced: notices, the snapshot, the end. */
static int deliver(struct sim_source *ss, struct source_event *ev)
{
	/* An interval part simulated holds its notices back, so the cap stays per interval. */
	if (ss->working)
		return 0;
	if (ss->next_notice < ss->n_notices) {
		struct notice *n = &ss->notices[ss->next_notice++];

		fill(ss, ev, SOURCE_NOTICE, n->at_us);
		str_printf(ev->message, sizeof(ev->message), "%s", n->msg);
		return 1;
	}
	ss->n_notices = ss->next_notice = 0;
	if (ss->snap_ready) {
		ss->snap_ready = false;
		fill(ss, ev, SOURCE_SNAPSHOT, ss->last_us);
		sim_snapshot(ss->sim, &ss->snap);
		ev->snap = ss->snap;
		return 1;
	}
	if (ss->end_ready && !ss->ended) {
		ss->ended = true;
		fill(ss, ev, SOURCE_END, ss->last_us);
		return 1;
	}
	return 0;
}

static int sim_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	struct sim_source *ss = self;

	if (deliver(ss, ev))
		return 1;
	if (ss->ended || ss->advanced) {
		ss->advanced = false;	/* one interval per round of calls */
		return 0;
	}
	if (ss->paused || (ss->speed > 0 && target_us(ss, mono_ms) < next_boundary(ss)))
		return 0;
	if (!advance(ss))
		return 0;	/* the budget ran out: the loop looks at keys and signals first */
	return deliver(ss, ev);
}

static int64_t sim_next_wakeup(void *self, int64_t mono_ms)
{
	struct sim_source *ss = self;
	int64_t behind, wake;
	double wait;

	anchor(ss, mono_ms);
	if (ss->ended || ss->paused)
		return SOURCE_NO_WAKEUP;
	if (ss->speed == 0 || ss->working || ss->snap_ready || ss->end_ready || ss->n_notices > 0)
		return mono_ms;
	behind = next_boundary(ss) - ss->anchor_us;
	wait = ceil((double)behind / (ss->speed * 1000.0));
	/* Speeds are bounded (SOURCE_SPEED_MIN), but a conversion must never overflow. */
	if (!(wait < 1e15))
		return SOURCE_NO_WAKEUP;
	wake = ss->anchor_mono + (int64_t)wait;
	return wake < mono_ms ? mono_ms : wake;
}

static int64_t sim_clock(void *self, int64_t mono_ms)
{
	struct sim_source *ss = self;
	int64_t t;

	if (ss->speed == 0 || ss->ended)
		return ss->last_us / 1000;
	t = target_us(ss, mono_ms);
	return (t > ss->limit_us ? ss->limit_us : t) / 1000;
}

static void sim_describe(void *self, char *buf, size_t len)
{
	struct sim_source *ss = self;
	char speed[32];

	/* The faults in play are the simulator's to say, on a line of their own (sim_active_faults). */
	format_speed(speed, sizeof(speed), ss->speed);
	str_printf(buf, len, "sim:%s seed %llu %s", ss->name, (unsigned long long)ss->seed, speed);
}

/* "search: " when the scenario has rows to tell apart, else "". */
static void upstream_prefix(const struct sim_source *ss, size_t up, char *buf, size_t len)
{
	if (sim_upstreams(ss->sim) > 1 || strcmp(sim_upstream_name(ss->sim, up), "default") != 0)
		str_printf(buf, len, "%s: ", sim_upstream_name(ss->sim, up));
	else
		buf[0] = '\0';
}

/* The failure rates f steps through, back to none after the last. */
static const double failure_steps[] = { 0, 0.10, 0.50, 1.0 };
#define FAILURE_STEPS (sizeof(failure_steps) / sizeof(failure_steps[0]))

static double failure_next(double cur)
{
	for (size_t i = 0; i + 1 < FAILURE_STEPS; i++)
		if (cur < failure_steps[i + 1] - 1e-9)
			return failure_steps[i + 1];
	return failure_steps[0];
}

/*
 * One key's change to the operator's faults on up, and the screen's
 * account of it: what is on now, and what the same key does next.
 */
static void inject_one(struct sim_source *ss, enum source_inject what, size_t up, char *msg, size_t len)
{
	struct sim_op_faults f = sim_op_faults(ss->sim, up);
	char who[SCENARIO_NAME_LEN + 2];

	upstream_prefix(ss, up, who, sizeof(who));
	switch (what) {
	case SOURCE_INJECT_FAILURE_CYCLE:
		f.failure = failure_next(f.failure);
		str_printf(msg, len, "%sfailure rate %.0f %% (f again: %.0f %%)", who, f.failure * 100,
			   failure_next(f.failure) * 100);
		break;
	case SOURCE_INJECT_TIMEOUTS:
		f.timeouts = !f.timeouts;
		str_printf(msg, len, "%stimeouts %s (t again: %s)", who, f.timeouts ? "on" : "off",
			   f.timeouts ? "off" : "on");
		break;
	case SOURCE_INJECT_LATENCY:
		f.slow = !f.slow;
		str_printf(msg, len, "%slatency spike x%d %s", who, SIM_SLOWDOWN, f.slow ? "on" : "off");
		break;
	case SOURCE_INJECT_SURGE:
		f.surge = !f.surge;
		str_printf(msg, len, "%sload surge x%d %s", who, SIM_SURGE, f.surge ? "on" : "off");
		break;
	case SOURCE_INJECT_BREAKER_OPEN:
		f.breaker = BREAKER_FORCE_OPEN;
		str_printf(msg, len, "%sbreaker forced open: every call refused (a: automatic)", who);
		break;
	case SOURCE_INJECT_BREAKER_CLOSE:
		f.breaker = BREAKER_FORCE_CLOSED;
		str_printf(msg, len, "%sbreaker forced closed: no protection (a: automatic)", who);
		break;
	case SOURCE_INJECT_BREAKER_AUTO:
		f.breaker = BREAKER_FORCE_NONE;
		str_printf(msg, len, "%sbreaker automatic", who);
		break;
	case SOURCE_INJECT_CLEAR:
		break;
	}
	sim_op_set(ss->sim, up, &f);
}

static int sim_inject(void *self, enum source_inject what, const char *row, char *msg, size_t len)
{
	struct sim_source *ss = self;
	ptrdiff_t found = sim_upstream_index(ss->sim, row);

	if ((unsigned)what > SOURCE_INJECT_CLEAR) {
		str_printf(msg, len, "no such injection");
		return -1;
	}
	if (ss->ended || sim_finished(ss->sim) || ss->last_us >= ss->limit_us) {
		str_printf(msg, len, "no faults to inject: the simulation has ended");
		return -1;
	}
	if (what == SOURCE_INJECT_CLEAR) {
		const struct sim_op_faults none = { 0 };
		int n = 0;

		for (size_t i = 0; i < sim_upstreams(ss->sim); i++)
			n += sim_op_set(ss->sim, i, &none);
		str_printf(msg, len, n > 0 ? "every fault cleared: breakers automatic again" : "no faults to clear");
		return 0;
	}
	if (found < 0) {
		char shown[METRICS_NAME_LEN];

		metrics_copy_text(shown, sizeof(shown), row);
		str_printf(msg, len, "no faults to inject: no upstream named %s", shown);
		return -1;
	}
	inject_one(ss, what, (size_t)found, msg, len);
	return 0;
}

/* "search: failures 50 %, timeouts  chat: latency x10": the upstreams an operator has faults on. */
static void sim_active_faults(void *self, char *buf, size_t len)
{
	struct sim_source *ss = self;
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sim_upstreams(ss->sim) && n + 1 < len; i++) {
		char what[160], who[SCENARIO_NAME_LEN + 2];

		sim_op_describe(ss->sim, i, what, sizeof(what));
		if (what[0] == '\0')
			continue;
		upstream_prefix(ss, i, who, sizeof(who));
		str_printf(buf + n, len - n, "%s%s%s", n > 0 ? "  " : "", who, what);
		n = strlen(buf);
	}
}

static void sim_set_interval(void *self, int64_t interval_ms)
{
	struct sim_source *ss = self;

	if (interval_ms > SOURCE_INTERVAL_MAX_MS)
		interval_ms = SOURCE_INTERVAL_MAX_MS;
	ss->interval_us = (interval_ms < 1 ? 1 : interval_ms) * 1000;
}

static void sim_set_paused(void *self, bool paused, int64_t mono_ms)
{
	struct sim_source *ss = self;

	if (paused == ss->paused)
		return;
	if (ss->anchored)
		reanchor(ss, mono_ms);
	ss->paused = paused;
}

static void sim_set_speed(void *self, double speed, int64_t mono_ms)
{
	struct sim_source *ss = self;

	if (!source_speed_ok(speed))
		return;
	if (ss->anchored)
		reanchor(ss, mono_ms);
	if (ss->speed == 0)
		ss->anchor_us = ss->last_us;	/* max speed kept no wall anchor */
	ss->speed = speed;
}

static void sim_destroy(void *self)
{
	struct sim_source *ss = self;

	sim_free(ss->sim);
	metrics_free(&ss->snap);
	free(ss->notices);
	free(ss);
}

static const struct source_ops sim_ops = {
	.name = "sim",
	.describe = sim_describe,
	.next_wakeup = sim_next_wakeup,
	.step = sim_step,
	.clock = sim_clock,
	.set_interval = sim_set_interval,
	.set_paused = sim_set_paused,
	.set_speed = sim_set_speed,
	.inject = sim_inject,
	.active_faults = sim_active_faults,
	.destroy = sim_destroy,
};

struct source *source_sim_new(const struct sim_options *o, char *err, size_t errlen)
{
	const char *name = o->scenario != NULL ? o->scenario : "steady";
	int64_t interval_ms = o->interval_ms == 0 ? 1000 : o->interval_ms;
	struct scenario *sc;
	struct sim_source *ss;

	if (!source_speed_ok(o->speed)) {
		str_printf(err, errlen, "sim: speed must be from %g to %.0f, or max", SOURCE_SPEED_MIN,
			   SOURCE_SPEED_MAX);
		return NULL;
	}
	if (interval_ms < 1 || o->duration_ms < 0) {
		str_printf(err, errlen, "sim: %s must not be negative",
			   interval_ms < 1 ? "interval" : "duration");
		return NULL;
	}
	if (interval_ms > SOURCE_INTERVAL_MAX_MS) {
		str_printf(err, errlen, "sim: interval must be at most a day");
		return NULL;
	}
	sc = xmalloc(sizeof(*sc));
	if (scenario_load(name, sc, err, errlen) < 0) {
		free(sc);
		return NULL;
	}
	ss = xcalloc(1, sizeof(*ss));
	ss->start_wall_ms = clock_wall_ms();
	ss->sim = sim_new(sc, o->seed);
	str_printf(ss->name, sizeof(ss->name), "%s", sc->name);
	free(sc);
	ss->seed = o->seed;
	ss->speed = o->speed;
	ss->limit_us = o->duration_ms > 0 ? o->duration_ms * 1000 : INT64_MAX;
	ss->interval_us = interval_ms * 1000;
	ss->notices = xmalloc(NOTICE_CAP * sizeof(*ss->notices));
	metrics_init(&ss->snap);
	sim_set_notice(ss->sim, collect_notice, ss);
	return source_new(&sim_ops, ss, interval_ms);
}
