/*
 * The simulation driver (see sim.h). Two timer sources are merged: the
 * load's sends (sim/load.h) and the simulator's own event heap (request
 * completions, phase ends, the breaker's open timeout). The backend decides
 * each request's outcome and completion time on arrival, so a request costs
 * one heap push and pop for its completion and, usually, none for its send.
 */
#include "sim/sim.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/equeue.h"
#include "sim/limiter.h"
#include "sim/load.h"
#include "sim/rng.h"
#include "sim/tracker.h"
#include "util.h"

/* A rejected request's answer reaches its user after this long (a round trip). */
#define REJECT_US 1000
#define KIND_MASK 0xffu

enum ev_kind { EV_PHASE_END, EV_COMPLETE, EV_BREAKER };

struct sim {
	struct scenario sc;
	struct rng rng;
	struct equeue q;
	struct breaker br;
	struct limiter lim;
	struct backend be;
	struct load load;
	struct tracker *tr;
	int64_t now;
	bool started, finished;
	size_t phase;
	int64_t gen;			/* bumped at every phase start */
	uint64_t pending, sessions;
	struct fault_config faults;
	bool overridden;		/* an operator's faults hold over the phases' */
	sim_notice_fn notice;
	void *notice_ctx;
};

static void emit(struct sim *s, cJSON *obj)
{
	char *text;

	cJSON_AddNumberToObject(obj, "at_ms", (double)(s->now / 1000));
	text = cJSON_PrintUnformatted(obj);
	if (text == NULL)
		fatal("out of memory");
	if (s->notice != NULL)
		s->notice(s->notice_ctx, s->now, text);
	cJSON_free(text);
	cJSON_Delete(obj);
}

static cJSON *notice_new(const char *type)
{
	cJSON *obj = cJSON_CreateObject();

	if (obj == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(obj, "type", type);
	return obj;
}

static void push(struct sim *s, int64_t at, uint32_t kind, uint32_t arg, int64_t data)
{
	equeue_push(&s->q, (struct sim_event){ .at_us = at, .kind = kind, .arg = arg, .data = data });
}

static void on_transition(void *ctx, const struct breaker_transition *t)
{
	struct sim *s = ctx;
	cJSON *obj = notice_new("breaker");

	cJSON_AddStringToObject(obj, "from", breaker_state_name(t->from));
	cJSON_AddStringToObject(obj, "to", breaker_state_name(t->to));
	cJSON_AddStringToObject(obj, "reason", t->reason);
	emit(s, obj);
	/* Wake at the end of the open timeout, so half-open starts on time. */
	if (breaker_deadline(&s->br) != INT64_MAX)
		push(s, breaker_deadline(&s->br), EV_BREAKER, 0, 0);
}

/* Apply f and say so; origin (NULL for the phase's own) marks an operator's change. */
static void apply_faults(struct sim *s, const struct fault_config *f, const char *origin)
{
	cJSON *obj;

	s->faults = *f;
	backend_set_faults(&s->be, f);
	obj = notice_new("faults");
	if (origin != NULL)
		cJSON_AddStringToObject(obj, "source", origin);
	cJSON_AddStringToObject(obj, "phase", s->sc.phases[s->phase].name);
	cJSON_AddNumberToObject(obj, "failure", f->failure);
	cJSON_AddNumberToObject(obj, "timeout", f->timeout);
	cJSON_AddNumberToObject(obj, "validation", f->validation);
	emit(s, obj);
}

static void set_faults(struct sim *s, const struct fault_config *f)
{
	if (memcmp(f, &s->faults, sizeof(*f)) != 0)
		apply_faults(s, f, NULL);
}

static void phase_start(struct sim *s, size_t idx)
{
	const struct scenario_phase *ph = &s->sc.phases[idx];
	cJSON *obj = notice_new("phase");

	s->phase = idx;
	s->gen++;
	cJSON_AddStringToObject(obj, "name", ph->name);
	cJSON_AddNumberToObject(obj, "index", (double)idx);
	emit(s, obj);
	if (!s->overridden)
		set_faults(s, &ph->faults);
	load_start_phase(&s->load, ph, s->now, &s->rng);
	if (ph->duration_us > 0)
		push(s, s->now + ph->duration_us, EV_PHASE_END, 0, s->gen);
}

static void phase_next(struct sim *s)
{
	size_t idx = s->phase + 1;

	if (idx == s->sc.nphases) {
		if (!s->sc.repeat) {
			s->finished = true;
			return;
		}
		idx = 0;
	}
	phase_start(s, idx);
}

/* The user heard its answer: a phase that ends when its users are done may end. */
static void answered(struct sim *s, uint32_t user, int64_t delay_us)
{
	if (load_answered(&s->load, user, s->now, delay_us) &&
	    s->sc.phases[s->phase].duration_us == 0)
		phase_next(s);
}

static void reject(struct sim *s, uint32_t user, enum tracker_counter why)
{
	tracker_count(s->tr, why);
	tracker_count(s->tr, TRACKER_FAILED);
	answered(s, user, REJECT_US);
}

/* One request through the pipeline: session, limiter, breaker, backend. */
static void request(struct sim *s, uint32_t user, bool first)
{
	struct backend_result res;

	tracker_count(s->tr, TRACKER_REQUESTS);
	if (first)
		s->sessions++;	/* the session is created on the first request */
	if (!limiter_take(&s->lim, s->now)) {
		reject(s, user, TRACKER_RATE_LIMITED);
		return;
	}
	if (!breaker_allow(&s->br, s->now)) {
		reject(s, user, TRACKER_BREAKER_TRIPS);
		return;
	}
	res = backend_submit(&s->be, &s->rng, s->now);
	s->pending++;
	push(s, res.done_us, EV_COMPLETE | ((uint32_t)res.outcome << 8), user, s->now);
}

static void complete(struct sim *s, const struct sim_event *ev)
{
	enum backend_outcome outcome = (enum backend_outcome)(ev->kind >> 8);

	s->pending--;
	tracker_record(s->tr, s->now, s->now - ev->data);
	switch (outcome) {
	case BACKEND_OK:
		tracker_count(s->tr, TRACKER_SUCCEEDED);
		breaker_record_success(&s->br, s->now);
		break;
	case BACKEND_FAILURE:
		tracker_count(s->tr, TRACKER_FAILURES);
		tracker_count(s->tr, TRACKER_FAILED);
		breaker_record_failure(&s->br, s->now);
		break;
	case BACKEND_TIMEOUT:
		tracker_count(s->tr, TRACKER_TIMEOUTS);
		tracker_count(s->tr, TRACKER_FAILED);
		breaker_record_failure(&s->br, s->now);
		break;
	case BACKEND_VALIDATION:
		/* The client's fault: the backend answered, so the breaker sees a success. */
		tracker_count(s->tr, TRACKER_VALIDATION);
		tracker_count(s->tr, TRACKER_FAILED);
		breaker_record_success(&s->br, s->now);
		break;
	}
	answered(s, ev->arg, 0);
}

static void dispatch(struct sim *s, const struct sim_event *ev)
{
	switch (ev->kind & KIND_MASK) {
	case EV_PHASE_END:
		if (ev->data == s->gen)
			phase_next(s);
		break;
	case EV_COMPLETE:
		complete(s, ev);
		break;
	case EV_BREAKER:
		breaker_poll(&s->br, s->now);
		break;
	}
}

struct sim *sim_new(const struct scenario *sc, uint64_t seed)
{
	struct sim *s = xcalloc(1, sizeof(*s));

	s->sc = *sc;
	rng_seed(&s->rng, seed, 0x5eed);
	equeue_init(&s->q);
	breaker_init(&s->br, &sc->breaker, 0, on_transition, s);
	if (limiter_init(&s->lim, sc->limit_rate, sc->limit_burst, 0) < 0)
		fatal("scenario %s: bad limiter settings", sc->name);
	backend_init(&s->be, &sc->backend, 0);
	load_init(&s->load);
	s->tr = tracker_new(sc->window);
	if (s->tr == NULL)
		fatal("scenario %s: bad window %zu", sc->name, sc->window);
	return s;
}

void sim_free(struct sim *s)
{
	if (s == NULL)
		return;
	tracker_free(s->tr);
	backend_free(&s->be);
	equeue_free(&s->q);
	load_free(&s->load);
	free(s);
}

void sim_set_notice(struct sim *s, sim_notice_fn fn, void *ctx)
{
	s->notice = fn;
	s->notice_ctx = ctx;
}

int64_t sim_now_us(const struct sim *s)
{
	return s->now;
}

bool sim_finished(const struct sim *s)
{
	return s->finished;
}

void sim_start(struct sim *s)
{
	if (s->started)
		return;
	s->started = true;
	phase_start(s, 0);
}

/*
 * Fire the next timer due by t_us, the simulator's own first on a tie, so
 * runs repeat. Returns false if none is due.
 */
static bool fire_next(struct sim *s, int64_t t_us)
{
	int64_t th = equeue_next_time(&s->q), tl = load_next_time(&s->load);
	struct sim_event ev;
	uint32_t user;
	bool first;

	if (th <= tl) {
		if (th > t_us)
			return false;
		s->now = th;
		equeue_pop(&s->q, &ev);
		dispatch(s, &ev);
	} else {
		if (tl > t_us)
			return false;
		s->now = tl;
		user = load_pop(&s->load, tl, &s->rng, &first);
		if (user != LOAD_NONE)
			request(s, user, first);
	}
	return true;
}

int64_t sim_run_until(struct sim *s, int64_t t_us)
{
	sim_start(s);
	while (!s->finished && fire_next(s, t_us))
		;
	if (!s->finished && t_us > s->now)
		s->now = t_us;
	return s->now;
}

bool sim_run_for(struct sim *s, int64_t t_us, uint64_t max_events)
{
	sim_start(s);
	for (uint64_t n = 0; !s->finished; n++) {
		if (n == max_events)
			return false;
		if (!fire_next(s, t_us))
			break;
	}
	if (!s->finished && t_us > s->now)
		s->now = t_us;
	return true;
}

void sim_set_faults(struct sim *s, const struct fault_config *f)
{
	set_faults(s, f);
}

void sim_override_faults(struct sim *s, const struct fault_config *f)
{
	sim_start(s);	/* the first phase's notices come first */
	s->overridden = f != NULL;
	apply_faults(s, f != NULL ? f : &s->sc.phases[s->phase].faults,
		     f != NULL ? "manual" : "scenario");
}

bool sim_faults_overridden(const struct sim *s)
{
	return s->overridden;
}

void sim_breaker_force(struct sim *s, enum breaker_force force)
{
	if (force == BREAKER_FORCE_OPEN)
		breaker_force_open(&s->br, s->now);
	else if (force == BREAKER_FORCE_CLOSED)
		breaker_force_closed(&s->br, s->now);
	else
		breaker_reset(&s->br, s->now);
}

void sim_breaker_reset(struct sim *s)
{
	breaker_reset(&s->br, s->now);
}

uint64_t sim_requests(const struct sim *s)
{
	return tracker_counter(s->tr, TRACKER_REQUESTS);
}

uint64_t sim_sessions(const struct sim *s)
{
	return s->sessions;
}

static double us_to_ms(double us)
{
	return isnan(us) ? NAN : us / 1000.0;
}

static void snapshot_breaker(const struct sim *s, double avg_ms, struct metrics_breaker *b)
{
	double rate = breaker_failure_rate(&s->br);
	bool degraded = rate >= 0.1;
	const char *rec;

	b->state = s->br.state;
	b->failure_rate = rate;
	b->avg_response_ms = avg_ms;
	b->state_since_ms = (s->now - s->br.since_us) / 1000;
	b->healthy = s->br.state == BREAKER_CLOSED && !degraded;
	if (s->br.state == BREAKER_OPEN)
		rec = s->br.force == BREAKER_FORCE_OPEN ? "Service unavailable - forced open"
							: "Service unavailable - failing fast";
	else if (s->br.state == BREAKER_HALF_OPEN)
		rec = "Service recovering - testing";
	else if (s->br.force == BREAKER_FORCE_CLOSED)
		rec = "Breaker forced closed - no protection";
	else
		rec = degraded ? "Service degraded - elevated failures" : "Service healthy";
	str_printf(b->recommendation, sizeof(b->recommendation), "%s", rec);
}

void sim_snapshot(struct sim *s, struct metrics_snapshot *out)
{
	struct tracker_stats st;
	struct tracker *t = s->tr;

	metrics_init(out);
	tracker_stats(t, &st);
	out->latency = (struct metrics_latency){
		.p50 = us_to_ms(st.p50), .p90 = us_to_ms(st.p90), .p95 = us_to_ms(st.p95),
		.p99 = us_to_ms(st.p99), .p999 = us_to_ms(st.p999), .max = us_to_ms(st.max),
		.min = us_to_ms(st.min), .avg = us_to_ms(st.avg), .count = (int64_t)st.count,
	};
	tracker_histogram(t, &out->latency_hist);
	out->throughput.per_second = tracker_throughput(t, s->now);
	out->throughput.per_minute = out->throughput.per_second * 60.0;
	out->errors = (struct metrics_errors){
		.breaker_trips = (int64_t)tracker_counter(t, TRACKER_BREAKER_TRIPS),
		.rate_limited = (int64_t)tracker_counter(t, TRACKER_RATE_LIMITED),
		.timeouts = (int64_t)tracker_counter(t, TRACKER_TIMEOUTS),
		.failures = (int64_t)tracker_counter(t, TRACKER_FAILURES),
		.validation = (int64_t)tracker_counter(t, TRACKER_VALIDATION),
	};
	snapshot_breaker(s, out->latency.avg, &out->breaker);
	out->requests = (struct metrics_requests){
		.total = (int64_t)tracker_counter(t, TRACKER_REQUESTS),
		.succeeded = (int64_t)tracker_counter(t, TRACKER_SUCCEEDED),
		.failed = (int64_t)tracker_counter(t, TRACKER_FAILED),
		.pending = (int64_t)s->pending,
	};
	out->active_users = (int64_t)load_active(&s->load);
	out->uptime_s = (double)s->now / 1e6;
}
