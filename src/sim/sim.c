/*
 * The simulation driver (see sim.h). Each closed-loop user has at most one
 * event in the queue at a time (its next send, or its request's
 * completion), so phase changes need no bookkeeping of stale events: when a
 * user's event fires, the user checks whether the current phase still wants
 * it. The backend decides each request's outcome and completion time on
 * arrival, so a request costs one heap push and pop for its completion.
 *
 * The other timers skip the heap, because it is the hottest part of the
 * simulator: open-loop arrivals are one stream (the next arrival time), and
 * a user's next send after a constant think time goes to a FIFO "lane",
 * which stays in time order while the phase (and so the think time) lasts.
 * A new phase moves whatever is left in the lanes to the heap.
 */
#include "sim/sim.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/equeue.h"
#include "sim/limiter.h"
#include "sim/rng.h"
#include "sim/tracker.h"
#include "util.h"

#define ANON_USER UINT32_MAX
/* A rejected request's answer reaches its user after this long (a round trip). */
#define REJECT_US 1000
#define KIND_MASK 0xffu

enum ev_kind { EV_PHASE_END, EV_USER_SEND, EV_COMPLETE, EV_BREAKER };
enum { LANE_THINK, LANE_REJECT, LANE_COUNT };

struct lane_item {
	int64_t at_us;
	uint32_t user;
};

struct lane {			/* ring buffer of sends in time order */
	struct lane_item *buf;
	size_t head, len, cap;	/* cap is a power of two */
};

struct user {
	uint32_t sent;		/* requests sent in the current phase */
	uint8_t pending;	/* has an event in the queue */
	uint8_t has_session;
	uint8_t finished;	/* sent all its requests in the current phase */
};

struct sim {
	struct scenario sc;
	struct rng rng;
	struct equeue q;
	struct breaker br;
	struct limiter lim;
	struct backend be;
	struct tracker *tr;
	int64_t now;
	bool started, finished;
	size_t phase;
	int64_t gen;			/* bumped at every phase start */
	struct user *users;
	uint32_t cap, want, done_users;
	uint64_t pending, open_pending, sessions;
	struct fault_config faults;
	struct lane lanes[LANE_COUNT];
	int64_t arrival_us;		/* next open-loop arrival; INT64_MAX: none */
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

static void set_faults(struct sim *s, const struct fault_config *f)
{
	cJSON *obj;

	if (memcmp(f, &s->faults, sizeof(*f)) == 0)
		return;
	s->faults = *f;
	backend_set_faults(&s->be, f);
	obj = notice_new("faults");
	cJSON_AddStringToObject(obj, "phase", s->sc.phases[s->phase].name);
	cJSON_AddNumberToObject(obj, "failure", f->failure);
	cJSON_AddNumberToObject(obj, "timeout", f->timeout);
	cJSON_AddNumberToObject(obj, "validation", f->validation);
	emit(s, obj);
}

static void lane_push(struct lane *l, int64_t at_us, uint32_t user)
{
	if (l->len == l->cap) {
		size_t cap = l->cap == 0 ? 64 : l->cap * 2;
		struct lane_item *buf = xmalloc(cap * sizeof(*buf));

		for (size_t k = 0; k < l->len; k++)
			buf[k] = l->buf[(l->head + k) & (l->cap - 1)];
		free(l->buf);
		l->buf = buf;
		l->cap = cap;
		l->head = 0;
	}
	l->buf[(l->head + l->len++) & (l->cap - 1)] = (struct lane_item){ at_us, user };
}

static inline int64_t lane_next(const struct lane *l)
{
	return l->len > 0 ? l->buf[l->head].at_us : INT64_MAX;
}

static struct lane_item lane_pop(struct lane *l)
{
	struct lane_item it = l->buf[l->head];

	l->head = (l->head + 1) & (l->cap - 1);
	l->len--;
	return it;
}

/* Think times change with the phase: move the lanes' sends to the heap. */
static void lanes_flush(struct sim *s)
{
	for (int k = 0; k < LANE_COUNT; k++)
		while (s->lanes[k].len > 0) {
			struct lane_item it = lane_pop(&s->lanes[k]);

			push(s, it.at_us, EV_USER_SEND, it.user, 0);
		}
}

static void user_schedule(struct sim *s, uint32_t i, int64_t at)
{
	s->users[i].pending = 1;
	push(s, at, EV_USER_SEND, i, 0);
}

static void users_grow(struct sim *s, uint32_t n)
{
	if (n <= s->cap)
		return;
	s->users = xrealloc(s->users, n * sizeof(*s->users));
	memset(s->users + s->cap, 0, (n - s->cap) * sizeof(*s->users));
	s->cap = n;
}

static int64_t next_arrival(struct sim *s, double rate)
{
	return s->now + llround(rng_exponential(&s->rng, 1e6 / rate));
}

static void phase_start(struct sim *s, size_t idx)
{
	const struct scenario_phase *ph = &s->sc.phases[idx];
	cJSON *obj = notice_new("phase");

	s->phase = idx;
	s->gen++;
	lanes_flush(s);
	cJSON_AddStringToObject(obj, "name", ph->name);
	cJSON_AddNumberToObject(obj, "index", (double)idx);
	emit(s, obj);
	set_faults(s, &ph->faults);
	users_grow(s, ph->users);
	s->want = ph->users;
	s->done_users = 0;
	/* Users busy from the last phase carry on; idle ones start within one think time. */
	for (uint32_t i = 0; i < s->want; i++) {
		struct user *u = &s->users[i];

		u->sent = 0;
		u->finished = 0;
		if (!u->pending)
			user_schedule(s, i, s->now + (int64_t)(rng_uniform(&s->rng) * (double)ph->think_us));
	}
	s->arrival_us = ph->rate > 0 ? next_arrival(s, ph->rate) : INT64_MAX;
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

/* A closed-loop user heard the answer to its request at now, delay_us ago or now. */
static void user_answered(struct sim *s, uint32_t i, int64_t delay_us)
{
	const struct scenario_phase *ph = &s->sc.phases[s->phase];
	struct user *u = &s->users[i];

	u->pending = 0;
	if (i >= s->want || u->finished)
		return;		/* not wanted by this phase: retire */
	if (ph->requests > 0 && u->sent >= ph->requests) {
		u->finished = 1;
		if (++s->done_users == s->want && ph->duration_us == 0)
			phase_next(s);
		return;
	}
	u->pending = 1;
	lane_push(&s->lanes[delay_us == 0 ? LANE_THINK : LANE_REJECT], s->now + delay_us + ph->think_us, i);
}

static void reject(struct sim *s, uint32_t user, enum tracker_counter why)
{
	tracker_count(s->tr, why);
	tracker_count(s->tr, TRACKER_FAILED);
	if (user != ANON_USER)
		user_answered(s, user, REJECT_US);
}

/* One request through the pipeline: session, limiter, breaker, backend. */
static void request(struct sim *s, uint32_t user)
{
	struct backend_result res;

	tracker_count(s->tr, TRACKER_REQUESTS);
	if (user == ANON_USER) {
		s->sessions++;
	} else if (!s->users[user].has_session) {
		s->users[user].has_session = 1;
		s->sessions++;
	}
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
	if (user == ANON_USER)
		s->open_pending++;
	else
		s->users[user].pending = 1;
	push(s, res.done_us, EV_COMPLETE | ((uint32_t)res.outcome << 8), user, s->now);
}

static void complete(struct sim *s, const struct sim_event *ev)
{
	enum backend_outcome outcome = (enum backend_outcome)(ev->kind >> 8);

	s->pending--;
	if (ev->arg == ANON_USER)
		s->open_pending--;
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
	if (ev->arg != ANON_USER)
		user_answered(s, ev->arg, 0);
}

static void user_send(struct sim *s, uint32_t i)
{
	s->users[i].pending = 0;
	if (i < s->want && !s->users[i].finished) {
		s->users[i].sent++;
		request(s, i);
	}
}

static void arrival(struct sim *s)
{
	s->arrival_us = next_arrival(s, s->sc.phases[s->phase].rate);
	request(s, ANON_USER);
}

static void dispatch(struct sim *s, const struct sim_event *ev)
{
	switch (ev->kind & KIND_MASK) {
	case EV_PHASE_END:
		if (ev->data == s->gen)
			phase_next(s);
		break;
	case EV_USER_SEND:
		user_send(s, ev->arg);
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
	s->arrival_us = INT64_MAX;
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
	for (int k = 0; k < LANE_COUNT; k++)
		free(s->lanes[k].buf);
	free(s->users);
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
 * The next timer due by t_us among heap, arrivals and lanes, fired. Ties go
 * in that fixed order, so runs repeat. Returns false if none is due.
 */
static bool fire_next(struct sim *s, int64_t t_us)
{
	int64_t th = equeue_next_time(&s->q), ta = s->arrival_us;
	int64_t t0 = lane_next(&s->lanes[LANE_THINK]), t1 = lane_next(&s->lanes[LANE_REJECT]);
	int64_t first = th < ta ? th : ta;
	struct sim_event ev;

	first = first < t0 ? first : t0;
	first = first < t1 ? first : t1;
	if (first > t_us)
		return false;
	s->now = first;
	if (th == first) {
		equeue_pop(&s->q, &ev);
		dispatch(s, &ev);
	} else if (ta == first) {
		arrival(s);
	} else if (t0 == first) {
		user_send(s, lane_pop(&s->lanes[LANE_THINK]).user);
	} else {
		user_send(s, lane_pop(&s->lanes[LANE_REJECT]).user);
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

void sim_set_faults(struct sim *s, const struct fault_config *f)
{
	set_faults(s, f);
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

void sim_snapshot(const struct sim *s, struct metrics_snapshot *out)
{
	struct tracker_stats st;
	const struct tracker *t = s->tr;

	metrics_init(out);
	tracker_stats(t, &st);
	out->latency = (struct metrics_latency){
		.p50 = us_to_ms(st.p50), .p90 = us_to_ms(st.p90), .p95 = us_to_ms(st.p95),
		.p99 = us_to_ms(st.p99), .p999 = us_to_ms(st.p999), .max = us_to_ms(st.max),
		.min = us_to_ms(st.min), .avg = us_to_ms(st.avg), .count = (int64_t)st.count,
	};
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
	out->active_users = (int64_t)(s->want - s->done_users + s->open_pending);
	out->uptime_s = (double)s->now / 1e6;
}
