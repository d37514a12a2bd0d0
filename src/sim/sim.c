/*
 * The simulation driver (see sim.h). Two timer sources are merged: the
 * load's sends (sim/load.h) and the simulator's own event heap (request
 * completions, phase ends, breakers' open timeouts). The backend decides
 * each request's outcome and completion time on arrival, so a request costs
 * one heap push and pop for its completion and, usually, none for its send.
 *
 * Upstreams: after the router's rate limiter a request is routed by weight
 * (one draw of the generator, none with a single upstream, so the
 * single-backend scenarios run exactly as before) to an upstream with its
 * own breaker, backend and tracker; the router's tracker sees every
 * request. A completion event carries its upstream in its kind.
 *
 * Faults: an upstream's backend runs the faults of the scenario's phase
 * (its own if the phase gives it some) combined with an operator's
 * (sim_op_set): the higher failure rate, timeouts on top, a slowdown, a
 * surge of extra arrivals sent straight to it (after the router's rate
 * limiter), and its breaker forced or automatic. A surge is a Poisson
 * stream of its own on the event heap; turning it off bumps its generation,
 * so the pending arrival is dropped when it comes up.
 *
 * Rate-limit bursts: the first rejection after a quiet second is reported
 * ("ratelimit", "rejecting"), and the burst's end, a second after its last
 * rejection, with how many it rejected ("over").
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
#define OUTCOME_SHIFT 8
#define UPSTREAM_SHIFT 16

/* A rate-limit burst is over when the limiter has rejected nothing for this long. */
#define BURST_QUIET_US 1000000
/* The user of a surge's arrivals: answered to no one. */
#define SURGE_USER (UINT32_MAX - 2)
/* Of the calls a timeouts fault leaves (after failures), the share that hangs. */
#define OP_TIMEOUT_SHARE 0.5

enum ev_kind { EV_PHASE_END, EV_COMPLETE, EV_BREAKER, EV_SURGE, EV_BURST_CHECK };

struct sim;

struct upstream {
	struct sim *sim;
	uint32_t idx;
	const char *name;		/* the scenario's */
	struct backend be;
	struct tracker *tr;
	struct fault_config base;	/* the scenario's phase gives it these */
	struct fault_config faults;	/* what its backend runs: base and op together */
	struct sim_op_faults op;	/* an operator's, on top */
	double surge_rate;		/* extra arrivals a second while op.surge */
	int64_t surge_gen;		/* bumped when a surge ends: its pending arrival is stale */
	uint64_t pending;
	struct breaker br;		/* last: its window's ring is large and seldom read */
};

struct sim {
	struct scenario sc;
	struct rng rng;
	struct equeue q;
	struct limiter lim;
	struct load load;
	struct tracker *tr;		/* the router's: every request */
	struct upstream *ups;
	size_t nups;
	/* Routing: upstream i takes the 32-bit draws below route_cut[i] and not below route_cut[i - 1]. */
	uint64_t *route_cut;
	enum breaker_state agg_state;	/* the router's breaker: the worst upstream's */
	int64_t now;
	bool started, finished;
	size_t phase;
	int64_t gen;			/* bumped at every phase start */
	uint64_t pending, sessions;
	bool burst;			/* the limiter is rejecting a burst */
	int64_t burst_start, burst_last;	/* its first and latest rejection */
	uint64_t burst_rejected;
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

/* A notice of type; about upstream u (its row) when the scenario has rows, else the router. */
static cJSON *notice_new(const struct sim *s, const char *type, const struct upstream *u)
{
	cJSON *obj = cJSON_CreateObject();

	if (obj == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(obj, "type", type);
	if (u != NULL && s->sc.rows)
		cJSON_AddStringToObject(obj, "row", u->name);
	return obj;
}

static void push(struct sim *s, int64_t at, uint32_t kind, uint32_t arg, int64_t data)
{
	equeue_push(&s->q, (struct sim_event){ .at_us = at, .kind = kind, .arg = arg, .data = data });
}

static enum breaker_state worst_state(const struct sim *s)
{
	enum breaker_state st = BREAKER_UNKNOWN;

	/* The enum runs unknown < closed < half-open < open. */
	for (size_t i = 0; i < s->nups; i++)
		if (s->ups[i].br.state > st)
			st = s->ups[i].br.state;
	return st;
}

static void on_transition(void *ctx, const struct breaker_transition *t)
{
	struct upstream *u = ctx;
	struct sim *s = u->sim;
	enum breaker_state agg;
	cJSON *obj = notice_new(s, "breaker", u);

	cJSON_AddStringToObject(obj, "from", breaker_state_name(t->from));
	cJSON_AddStringToObject(obj, "to", breaker_state_name(t->to));
	cJSON_AddStringToObject(obj, "reason", t->reason);
	/* An automatic opening says when it half-opens: the screen counts down to it. */
	if (breaker_deadline(&u->br) != INT64_MAX)
		cJSON_AddNumberToObject(obj, "open_timeout_ms",
					(double)((breaker_deadline(&u->br) - s->now) / 1000));
	emit(s, obj);
	/* Wake at the end of the open timeout, so half-open starts on time. */
	if (breaker_deadline(&u->br) != INT64_MAX)
		push(s, breaker_deadline(&u->br), EV_BREAKER, u->idx, 0);
	/* With rows, the router's breaker is the worst of them: say when that changes. */
	agg = worst_state(s);
	if (s->sc.rows && agg != s->agg_state) {
		char reason[BREAKER_REASON_LEN + SCENARIO_NAME_LEN + 4];

		obj = notice_new(s, "breaker", NULL);
		cJSON_AddStringToObject(obj, "from", breaker_state_name(s->agg_state));
		cJSON_AddStringToObject(obj, "to", breaker_state_name(agg));
		str_printf(reason, sizeof(reason), "%s: %s", u->name, t->reason);
		cJSON_AddStringToObject(obj, "reason", reason);
		/* Said already for the row: an event log need not say it twice. */
		cJSON_AddTrueToObject(obj, "derived");
		emit(s, obj);
	}
	s->agg_state = agg;
}

/*
 * What u's backend runs: the phase's faults and the operator's together.
 * The higher failure rate; timeouts take OP_TIMEOUT_SHARE of the calls the
 * failures leave (or the phase's share, if higher); the phase's validation
 * errors in what remains.
 */
static struct fault_config faults_combined(const struct upstream *u)
{
	struct fault_config f = u->base;

	if (u->op.failure > f.failure)
		f.failure = u->op.failure;
	if (u->op.timeouts && OP_TIMEOUT_SHARE * (1.0 - f.failure) > f.timeout)
		f.timeout = OP_TIMEOUT_SHARE * (1.0 - f.failure);
	if (f.timeout > 1.0 - f.failure)
		f.timeout = 1.0 - f.failure;
	if (f.validation > 1.0 - f.failure - f.timeout)
		f.validation = 1.0 - f.failure - f.timeout;
	if (f.validation < 0)
		f.validation = 0;
	return f;
}

/* The phase gave u faults f: run them (with the operator's) and say so when they changed. */
static void set_faults(struct sim *s, struct upstream *u, const struct fault_config *f)
{
	cJSON *obj;

	if (memcmp(f, &u->base, sizeof(*f)) == 0)
		return;
	u->base = *f;
	u->faults = faults_combined(u);
	backend_set_faults(&u->be, &u->faults);
	obj = notice_new(s, "faults", u);
	cJSON_AddStringToObject(obj, "phase", s->sc.phases[s->phase].name);
	cJSON_AddNumberToObject(obj, "failure", f->failure);
	cJSON_AddNumberToObject(obj, "timeout", f->timeout);
	cJSON_AddNumberToObject(obj, "validation", f->validation);
	emit(s, obj);
}

static void phase_start(struct sim *s, size_t idx)
{
	const struct scenario_phase *ph = &s->sc.phases[idx];
	cJSON *obj = notice_new(s, "phase", NULL);

	s->phase = idx;
	s->gen++;
	cJSON_AddStringToObject(obj, "name", ph->name);
	cJSON_AddNumberToObject(obj, "index", (double)idx);
	emit(s, obj);
	for (size_t i = 0; i < s->nups; i++)
		set_faults(s, &s->ups[i], scenario_faults(&s->sc, idx, i));
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
	if (user == SURGE_USER)
		return;	/* a surge's arrivals wait for nothing */
	if (load_answered(&s->load, user, s->now, delay_us) &&
	    s->sc.phases[s->phase].duration_us == 0)
		phase_next(s);
}

/* Refused before the backend: by the limiter (u NULL, the router's alone) or u's breaker. */
static void reject(struct sim *s, struct upstream *u, uint32_t user, enum tracker_counter why)
{
	tracker_count(s->tr, why);
	tracker_count(s->tr, TRACKER_FAILED);
	if (u != NULL && u->tr != s->tr) {
		tracker_count(u->tr, why);
		tracker_count(u->tr, TRACKER_FAILED);
	}
	answered(s, user, REJECT_US);
}

/*
 * The upstream a request goes to: by weight, with one draw when there is a
 * choice. The cuts ascend, so the upstream's index is how many of them the
 * draw reaches; counting them all spares a mispredicted branch per request.
 */
static struct upstream *route(struct sim *s)
{
	uint64_t draw;
	size_t i = 0;

	if (s->nups == 1)
		return &s->ups[0];
	draw = rng_u32(&s->rng);
	for (size_t k = 0; k + 1 < s->nups; k++)
		i += draw >= s->route_cut[k];
	return &s->ups[i];
}

/* The limiter rejected a request: the first after a quiet spell starts a burst. */
static void burst_note(struct sim *s)
{
	char text[128];
	cJSON *obj;

	s->burst_rejected++;
	s->burst_last = s->now;
	if (s->burst)
		return;
	s->burst = true;
	s->burst_start = s->now;
	s->burst_rejected = 1;
	obj = notice_new(s, "ratelimit", NULL);
	cJSON_AddStringToObject(obj, "state", "rejecting");
	str_printf(text, sizeof(text), "rate limiter rejecting: more than %g req/s (burst %u)",
		   s->sc.limit_rate, s->sc.limit_burst);
	cJSON_AddStringToObject(obj, "text", text);
	emit(s, obj);
	push(s, s->now + BURST_QUIET_US, EV_BURST_CHECK, 0, 0);
}

/* A second after the burst's latest rejection it is over; else look again then. */
static void burst_check(struct sim *s)
{
	char text[128];
	cJSON *obj;

	if (!s->burst)
		return;
	if (s->now < s->burst_last + BURST_QUIET_US) {
		push(s, s->burst_last + BURST_QUIET_US, EV_BURST_CHECK, 0, 0);
		return;
	}
	s->burst = false;
	obj = notice_new(s, "ratelimit", NULL);
	cJSON_AddStringToObject(obj, "state", "over");
	cJSON_AddNumberToObject(obj, "rejected", (double)s->burst_rejected);
	str_printf(text, sizeof(text), "rate-limit burst over: %llu rejected in %.1f s",
		   (unsigned long long)s->burst_rejected, (double)(s->burst_last - s->burst_start) / 1e6);
	cJSON_AddStringToObject(obj, "text", text);
	emit(s, obj);
}

/*
 * One request through the pipeline: session, limiter, route (or straight
 * to to, a surge's upstream), breaker, backend.
 */
static void request_to(struct sim *s, uint32_t user, bool first, struct upstream *to)
{
	struct backend_result res;
	struct upstream *u;

	tracker_count(s->tr, TRACKER_REQUESTS);
	if (first)
		s->sessions++;	/* the session is created on the first request */
	if (!limiter_take(&s->lim, s->now)) {
		burst_note(s);
		reject(s, NULL, user, TRACKER_RATE_LIMITED);
		return;
	}
	u = to != NULL ? to : route(s);
	if (u->tr != s->tr)
		tracker_count(u->tr, TRACKER_REQUESTS);
	if (!breaker_allow(&u->br, s->now)) {
		reject(s, u, user, TRACKER_BREAKER_TRIPS);
		return;
	}
	res = backend_submit(&u->be, &s->rng, s->now);
	s->pending++;
	u->pending++;
	push(s, res.done_us, EV_COMPLETE | ((uint32_t)res.outcome << OUTCOME_SHIFT) |
	     (u->idx << UPSTREAM_SHIFT), user, s->now);
}

static void request(struct sim *s, uint32_t user, bool first)
{
	request_to(s, user, first, NULL);
}

/* The next arrival of u's surge, a Poisson stream at its rate. */
static void surge_schedule(struct sim *s, struct upstream *u)
{
	double gap = -log(1.0 - rng_uniform(&s->rng)) / u->surge_rate;

	push(s, s->now + 1 + (int64_t)(gap * 1e6), EV_SURGE, u->idx, u->surge_gen);
}

/* A surge's arrival (a new session each, as open-loop arrivals are), unless its surge has ended. */
static void surge_arrival(struct sim *s, const struct sim_event *ev)
{
	struct upstream *u = &s->ups[ev->arg];

	if (!u->op.surge || ev->data != u->surge_gen)
		return;
	request_to(s, SURGE_USER, true, u);
	surge_schedule(s, u);
}

/* Count c at the router and at u (once when they share a tracker). */
static void count2(struct sim *s, struct upstream *u, enum tracker_counter c)
{
	tracker_count(s->tr, c);
	if (u->tr != s->tr)
		tracker_count(u->tr, c);
}

static void complete(struct sim *s, const struct sim_event *ev)
{
	enum backend_outcome outcome = (enum backend_outcome)((ev->kind >> OUTCOME_SHIFT) & 0xffu);
	struct upstream *u = &s->ups[ev->kind >> UPSTREAM_SHIFT];
	int64_t latency = s->now - ev->data;

	s->pending--;
	u->pending--;
	tracker_record(s->tr, s->now, latency);
	if (u->tr != s->tr)
		tracker_record(u->tr, s->now, latency);
	switch (outcome) {
	case BACKEND_OK:
		count2(s, u, TRACKER_SUCCEEDED);
		breaker_record_success(&u->br, s->now);
		break;
	case BACKEND_FAILURE:
		count2(s, u, TRACKER_FAILURES);
		count2(s, u, TRACKER_FAILED);
		breaker_record_failure(&u->br, s->now);
		break;
	case BACKEND_TIMEOUT:
		count2(s, u, TRACKER_TIMEOUTS);
		count2(s, u, TRACKER_FAILED);
		breaker_record_failure(&u->br, s->now);
		break;
	case BACKEND_VALIDATION:
		/* The client's fault: the backend answered, so the breaker sees a success. */
		count2(s, u, TRACKER_VALIDATION);
		count2(s, u, TRACKER_FAILED);
		breaker_record_success(&u->br, s->now);
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
		breaker_poll(&s->ups[ev->arg].br, s->now);
		break;
	case EV_SURGE:
		surge_arrival(s, ev);
		break;
	case EV_BURST_CHECK:
		burst_check(s);
		break;
	}
}

static void upstreams_init(struct sim *s)
{
	double total = 0, cum = 0;

	s->nups = s->sc.nupstreams;
	s->ups = xcalloc(s->nups, sizeof(*s->ups));
	s->route_cut = xcalloc(s->nups, sizeof(*s->route_cut));
	for (size_t i = 0; i < s->nups; i++)
		total += s->sc.upstreams[i].weight;
	for (size_t i = 0; i < s->nups; i++) {
		const struct scenario_upstream *su = &s->sc.upstreams[i];
		struct upstream *u = &s->ups[i];

		u->sim = s;
		u->idx = (uint32_t)i;
		u->name = su->name;
		cum += su->weight;
		/* Draws are 32 bits; the last upstream takes whatever rounding left. */
		s->route_cut[i] = i + 1 == s->nups ? UINT64_MAX
						   : (uint64_t)floor(cum / total * 4294967296.0);
		breaker_init(&u->br, &su->breaker, 0, on_transition, u);
		backend_init(&u->be, &su->backend, 0);
		/*
		 * Without rows the one upstream's figures are the router's:
		 * they share a tracker, so each request is measured once.
		 */
		u->tr = s->sc.rows ? tracker_new(s->sc.window) : s->tr;
		if (u->tr == NULL)
			fatal("scenario %s: bad window %zu", s->sc.name, s->sc.window);
	}
	s->agg_state = BREAKER_CLOSED;
}

struct sim *sim_new(const struct scenario *sc, uint64_t seed)
{
	struct sim *s = xcalloc(1, sizeof(*s));

	s->sc = *sc;
	rng_seed(&s->rng, seed, 0x5eed);
	equeue_init(&s->q);
	if (limiter_init(&s->lim, sc->limit_rate, sc->limit_burst, 0) < 0)
		fatal("scenario %s: bad limiter settings", sc->name);
	load_init(&s->load);
	s->tr = tracker_new(sc->window);
	if (s->tr == NULL)
		fatal("scenario %s: bad window %zu", sc->name, sc->window);
	upstreams_init(s);
	return s;
}

void sim_free(struct sim *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nups; i++) {
		if (s->ups[i].tr != s->tr)
			tracker_free(s->ups[i].tr);
		backend_free(&s->ups[i].be);
	}
	free(s->ups);
	free(s->route_cut);
	tracker_free(s->tr);
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

size_t sim_upstreams(const struct sim *s)
{
	return s->nups;
}

const char *sim_upstream_name(const struct sim *s, size_t up)
{
	return up < s->nups ? s->ups[up].name : NULL;
}

ptrdiff_t sim_upstream_index(const struct sim *s, const char *name)
{
	if (name == NULL)
		return 0;
	for (size_t i = 0; i < s->nups; i++)
		if (strcmp(s->ups[i].name, name) == 0)
			return (ptrdiff_t)i;
	return -1;
}

void sim_set_faults(struct sim *s, size_t up, const struct fault_config *f)
{
	if (up < s->nups)
		set_faults(s, &s->ups[up], f);
}

void sim_breaker_force(struct sim *s, size_t up, enum breaker_force force)
{
	struct breaker *br;

	if (up >= s->nups)
		return;
	br = &s->ups[up].br;
	s->ups[up].op.breaker = force;
	if (force == BREAKER_FORCE_OPEN)
		breaker_force_open(br, s->now);
	else if (force == BREAKER_FORCE_CLOSED)
		breaker_force_closed(br, s->now);
	else
		breaker_reset(br, s->now);
}

void sim_breaker_reset(struct sim *s, size_t up)
{
	if (up >= s->nups)
		return;
	s->ups[up].op.breaker = BREAKER_FORCE_NONE;
	breaker_reset(&s->ups[up].br, s->now);
}

struct sim_op_faults sim_op_faults(const struct sim *s, size_t up)
{
	return up < s->nups ? s->ups[up].op : (struct sim_op_faults){ 0 };
}

bool sim_op_active(const struct sim_op_faults *f)
{
	return f->failure > 0 || f->timeouts || f->slow || f->surge || f->breaker != BREAKER_FORCE_NONE;
}

/* A "fault" notice about u: which fault, its words; open_timeout_ms when it starts a countdown. */
static void op_notice(struct sim *s, struct upstream *u, const char *fault, const char *text,
		      int64_t open_timeout_ms)
{
	cJSON *obj = notice_new(s, "fault", u);

	cJSON_AddStringToObject(obj, "fault", fault);
	cJSON_AddStringToObject(obj, "text", text);
	if (open_timeout_ms >= 0)
		cJSON_AddNumberToObject(obj, "open_timeout_ms", (double)open_timeout_ms);
	emit(s, obj);
}

/* The operator's breaker mode for u: forced either way, or automatic again (breaker_auto). */
static void op_breaker(struct sim *s, struct upstream *u, enum breaker_force to)
{
	u->op.breaker = to;
	if (to == BREAKER_FORCE_OPEN) {
		op_notice(s, u, "breaker", "breaker forced open", -1);
		breaker_force_open(&u->br, s->now);
	} else if (to == BREAKER_FORCE_CLOSED) {
		op_notice(s, u, "breaker", "breaker forced closed", -1);
		breaker_force_closed(&u->br, s->now);
	} else {
		breaker_auto(&u->br, s->now);
		if (breaker_deadline(&u->br) == INT64_MAX) {
			op_notice(s, u, "breaker", "breaker automatic again", -1);
			return;
		}
		/* Left open: it waits its open timeout from now, and the screen counts it down. */
		op_notice(s, u, "breaker", "breaker automatic again: open until its timeout",
			  (breaker_deadline(&u->br) - s->now) / 1000);
		push(s, breaker_deadline(&u->br), EV_BREAKER, u->idx, 0);
	}
}

/* A surge of (SIM_SURGE - 1) times u's share of the router's throughput, at least 10 a second. */
static void op_surge(struct sim *s, struct upstream *u, bool on)
{
	char text[96];
	double share = 1.0 / (double)s->nups, total = 0;

	u->op.surge = on;
	if (!on) {
		u->surge_gen++;
		op_notice(s, u, "surge", "load surge off", -1);
		return;
	}
	for (size_t i = 0; i < s->sc.nupstreams; i++)
		total += s->sc.upstreams[i].weight;
	if (total > 0)
		share = s->sc.upstreams[u->idx].weight / total;
	u->surge_rate = (SIM_SURGE - 1) * share * tracker_throughput(s->tr, s->now);
	if (u->surge_rate < 10)
		u->surge_rate = 10;
	str_printf(text, sizeof(text), "load surge x%d on: %.0f more req/s, through the rate limiter",
		   SIM_SURGE, u->surge_rate);
	op_notice(s, u, "surge", text, -1);
	surge_schedule(s, u);
}

int sim_op_set(struct sim *s, size_t up, const struct sim_op_faults *f)
{
	struct upstream *u;
	char text[96];
	int changed = 0;

	if (up >= s->nups)
		return 0;
	u = &s->ups[up];
	sim_start(s);	/* the first phase's notices come first */
	if (f->failure != u->op.failure) {
		u->op.failure = f->failure;
		str_printf(text, sizeof(text), "failure rate %.0f %%%s", f->failure * 100,
			   f->failure > 0 ? "" : " (off)");
		op_notice(s, u, "failure", text, -1);
		changed++;
	}
	if (f->timeouts != u->op.timeouts) {
		u->op.timeouts = f->timeouts;
		str_printf(text, sizeof(text), f->timeouts ? "timeouts on: %.0f %% of the other calls hang" :
			   "timeouts off", OP_TIMEOUT_SHARE * 100);
		op_notice(s, u, "timeouts", text, -1);
		changed++;
	}
	if (f->slow != u->op.slow) {
		u->op.slow = f->slow;
		backend_set_slowdown(&u->be, f->slow ? SIM_SLOWDOWN : 1);
		str_printf(text, sizeof(text), f->slow ? "latency spike on: service times x%d" :
			   "latency spike off", SIM_SLOWDOWN);
		op_notice(s, u, "latency", text, -1);
		changed++;
	}
	if (changed > 0) {
		u->faults = faults_combined(u);
		backend_set_faults(&u->be, &u->faults);
	}
	if (f->surge != u->op.surge) {
		op_surge(s, u, f->surge);
		changed++;
	}
	if (f->breaker != u->op.breaker) {
		op_breaker(s, u, f->breaker);
		changed++;
	}
	return changed;
}

/* Append ", what" (or "what" first) to buf. */
static void describe_add(char *buf, size_t len, const char *what)
{
	size_t n = strlen(buf);

	str_printf(buf + n, len - n, "%s%s", n > 0 ? ", " : "", what);
}

void sim_op_describe(const struct sim *s, size_t up, char *buf, size_t len)
{
	const struct sim_op_faults *f;
	char w[48];

	if (len == 0)
		return;
	buf[0] = '\0';
	if (up >= s->nups)
		return;
	f = &s->ups[up].op;
	if (f->failure > 0) {
		str_printf(w, sizeof(w), "failures %.0f %%", f->failure * 100);
		describe_add(buf, len, w);
	}
	if (f->timeouts)
		describe_add(buf, len, "timeouts");
	if (f->slow) {
		str_printf(w, sizeof(w), "latency x%d", SIM_SLOWDOWN);
		describe_add(buf, len, w);
	}
	if (f->surge) {
		str_printf(w, sizeof(w), "surge x%d", SIM_SURGE);
		describe_add(buf, len, w);
	}
	if (f->breaker != BREAKER_FORCE_NONE)
		describe_add(buf, len, f->breaker == BREAKER_FORCE_OPEN ? "forced open" : "forced closed");
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

static void snapshot_breaker(const struct sim *s, const struct upstream *u, double avg_ms,
			     struct metrics_breaker *b)
{
	double rate = breaker_failure_rate(&u->br);
	bool degraded = rate >= 0.1;
	const char *rec;

	b->state = u->br.state;
	b->failure_rate = rate;
	b->avg_response_ms = avg_ms;
	b->state_since_ms = (s->now - u->br.since_us) / 1000;
	b->healthy = u->br.state == BREAKER_CLOSED && !degraded;
	if (u->br.state == BREAKER_OPEN)
		rec = u->br.force == BREAKER_FORCE_OPEN ? "Service unavailable - forced open"
							: "Service unavailable - failing fast";
	else if (u->br.state == BREAKER_HALF_OPEN)
		rec = "Service recovering - testing";
	else if (u->br.force == BREAKER_FORCE_CLOSED)
		rec = "Breaker forced closed - no protection";
	else
		rec = degraded ? "Service degraded - elevated failures" : "Service healthy";
	str_printf(b->recommendation, sizeof(b->recommendation), "%s", rec);
}

/*
 * Latency (with the lifetime histogram, which tracker_histogram brings up
 * to date: the tracker is not const), throughput, counters and requests of
 * one tracker, the router's or an upstream's.
 */
static void snapshot_tracker(const struct sim *s, struct tracker *t, uint64_t pending,
			     struct metrics_snapshot *out)
{
	struct tracker_stats st;

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
	out->requests = (struct metrics_requests){
		.total = (int64_t)tracker_counter(t, TRACKER_REQUESTS),
		.succeeded = (int64_t)tracker_counter(t, TRACKER_SUCCEEDED),
		.failed = (int64_t)tracker_counter(t, TRACKER_FAILED),
		.pending = (int64_t)pending,
	};
}

/*
 * The router's breaker over its upstreams: the worst one's state (as
 * metrics_aggregate_derive has it) and a recommendation that names the one
 * upstream in trouble ("search: Service unavailable - failing fast") or
 * counts them. With a single upstream it is that upstream's breaker.
 */
static void snapshot_router_breaker(struct metrics_snapshot *out)
{
	size_t open = 0, half = 0, degraded = 0, forced = 0, trouble = 0;
	struct metrics_breaker *b = &out->breaker;

	if (out->nrows == 1) {
		*b = out->rows[0].snap.breaker;
		return;
	}
	for (size_t i = 0; i < out->nrows; i++) {
		const struct metrics_breaker *r = &out->rows[i].snap.breaker;
		bool forced_closed = strcmp(r->recommendation, "Breaker forced closed - no protection") == 0;

		open += r->state == BREAKER_OPEN;
		half += r->state == BREAKER_HALF_OPEN;
		degraded += r->state == BREAKER_CLOSED && r->healthy == 0;
		forced += forced_closed;
		if (r->state != BREAKER_CLOSED || r->healthy == 0 || forced_closed)
			trouble = trouble == 0 ? i + 1 : SIZE_MAX;
	}
	if (trouble != 0 && trouble != SIZE_MAX)
		str_printf(b->recommendation, sizeof(b->recommendation), "%s: %s",
			   out->rows[trouble - 1].name, out->rows[trouble - 1].snap.breaker.recommendation);
	else if (open > 0)
		str_printf(b->recommendation, sizeof(b->recommendation), "%zu of %zu upstreams open",
			   open, out->nrows);
	else if (half > 0)
		str_printf(b->recommendation, sizeof(b->recommendation),
			   "%zu of %zu upstreams recovering", half, out->nrows);
	else if (degraded > 0)
		str_printf(b->recommendation, sizeof(b->recommendation),
			   "%zu of %zu upstreams degraded", degraded, out->nrows);
	else if (forced > 0)
		str_printf(b->recommendation, sizeof(b->recommendation),
			   "%zu of %zu breakers forced closed", forced, out->nrows);
	else
		str_printf(b->recommendation, sizeof(b->recommendation), "Service healthy");
}

void sim_snapshot(struct sim *s, struct metrics_snapshot *out)
{
	metrics_clear(out);
	if (s->sc.rows) {
		for (size_t i = 0; i < s->nups; i++) {
			const struct upstream *u = &s->ups[i];
			struct metrics_row *r = metrics_row_add(out, u->name);

			snapshot_tracker(s, u->tr, u->pending, &r->snap);
			snapshot_breaker(s, u, r->snap.latency.avg, &r->snap.breaker);
		}
		/* The breaker of the whole is derived from the rows; the rest is measured. */
		metrics_aggregate_derive(out);
		snapshot_router_breaker(out);
	} else {
		snapshot_breaker(s, &s->ups[0], NAN, &out->breaker);
	}
	snapshot_tracker(s, s->tr, s->pending, out);
	out->breaker.avg_response_ms = out->latency.avg;
	out->active_users = (int64_t)load_active(&s->load);
	out->uptime_s = (double)s->now / 1e6;
}
