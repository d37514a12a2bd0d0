/*
 * Load generation (see load.h). Each closed-loop user has at most one send
 * scheduled or one request in flight (busy), so a phase change needs no
 * search for stale timers: when a user's send comes up, it checks whether
 * the current phase still wants it.
 */
#include "sim/load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void load_init(struct load *l)
{
	memset(l, 0, sizeof(*l));
	equeue_init(&l->starts);
	l->arrival_us = INT64_MAX;
	l->next_us = INT64_MAX;
	l->exp_steps = xmalloc(LOAD_EXP_STEPS * sizeof(*l->exp_steps));
	for (uint32_t i = 0; i < LOAD_EXP_STEPS; i++)
		l->exp_steps[i] = -log1p(-(double)i / LOAD_EXP_STEPS);
}

void load_free(struct load *l)
{
	free(l->exp_steps);
	equeue_free(&l->starts);
	for (int k = 0; k < LOAD_LANES; k++)
		free(l->lanes[k].buf);
	free(l->users);
	memset(l, 0, sizeof(*l));
}

static void lane_push(struct load_lane *ln, int64_t at_us, uint32_t user)
{
	if (ln->len == ln->cap) {
		size_t cap = ln->cap == 0 ? 64 : ln->cap * 2;
		struct load_lane_item *buf = xmalloc(cap * sizeof(*buf));

		for (size_t k = 0; k < ln->len; k++)
			buf[k] = ln->buf[(ln->head + k) & (ln->cap - 1)];
		free(ln->buf);
		ln->buf = buf;
		ln->cap = cap;
		ln->head = 0;
	}
	ln->buf[(ln->head + ln->len++) & (ln->cap - 1)] = (struct load_lane_item){ at_us, user };
}

static inline int64_t lane_next(const struct load_lane *ln)
{
	return ln->len > 0 ? ln->buf[ln->head].at_us : INT64_MAX;
}

static uint32_t lane_pop(struct load_lane *ln)
{
	uint32_t user = ln->buf[ln->head].user;

	ln->head = (ln->head + 1) & (ln->cap - 1);
	ln->len--;
	return user;
}

/*
 * The next arrival of a Poisson stream: an exponential gap drawn by
 * inversion, -ln(1 - u), interpolated in a table (straight enough between
 * steps that the mean moves by less than 0.01 %) and computed exactly in
 * the last step, where it bends; one draw and no log or division per
 * arrival (the mean gap is worked out once a phase).
 */
static int64_t next_arrival(const struct load *l, struct rng *r, int64_t now_us)
{
	enum { FRAC_BITS = 32 - LOAD_EXP_BITS };
	uint32_t draw = rng_u32(r), step = draw >> FRAC_BITS;
	double x;

	if (step == LOAD_EXP_STEPS - 1) {
		x = -log1p(-((double)draw + 0.5) / 4294967296.0);
	} else {
		double frac = (double)(draw & ((1u << FRAC_BITS) - 1)) / (double)(1u << FRAC_BITS);

		x = l->exp_steps[step] + frac * (l->exp_steps[step + 1] - l->exp_steps[step]);
	}
	return now_us + (int64_t)(x * l->arrival_gap_us + 0.5);
}

/* The earliest of the four timers, kept in next_us: the simulator asks before every event. */
static void next_update(struct load *l)
{
	int64_t t = equeue_next_time(&l->starts), a;

	a = l->arrival_us;
	t = a < t ? a : t;
	a = lane_next(&l->lanes[LOAD_LANE_THINK]);
	t = a < t ? a : t;
	a = lane_next(&l->lanes[LOAD_LANE_DELAYED]);
	l->next_us = a < t ? a : t;
}

static void users_grow(struct load *l, uint32_t n)
{
	if (n <= l->cap)
		return;
	l->users = xrealloc(l->users, n * sizeof(*l->users));
	memset(l->users + l->cap, 0, (n - l->cap) * sizeof(*l->users));
	l->cap = n;
}

void load_start_phase(struct load *l, const struct scenario_phase *ph, int64_t now_us,
		      struct rng *r)
{
	/* The think time changes with the phase: lanes would lose their order. */
	for (int k = 0; k < LOAD_LANES; k++)
		while (l->lanes[k].len > 0) {
			int64_t at = lane_next(&l->lanes[k]);

			equeue_push(&l->starts, (struct sim_event){ .at_us = at,
								    .arg = lane_pop(&l->lanes[k]) });
		}
	l->ph = ph;
	users_grow(l, ph->users);
	l->want = ph->users;
	l->done = 0;
	for (uint32_t i = 0; i < l->want; i++) {
		struct load_user *u = &l->users[i];

		u->sent = 0;
		u->finished = 0;
		if (u->busy)
			continue;
		u->busy = 1;
		equeue_push(&l->starts, (struct sim_event){
			.at_us = now_us + (int64_t)(rng_uniform(r) * (double)ph->think_us), .arg = i });
	}
	l->arrival_gap_us = ph->rate > 0 ? 1e6 / ph->rate : 0;
	l->arrival_us = ph->rate > 0 ? next_arrival(l, r, now_us) : INT64_MAX;
	next_update(l);
}

/* A user's send came up: it sends if the phase still wants it. */
static uint32_t user_send(struct load *l, uint32_t i, bool *first)
{
	struct load_user *u = &l->users[i];

	if (i >= l->want || u->finished) {
		u->busy = 0;	/* retired */
		return LOAD_NONE;
	}
	u->sent++;
	*first = !u->has_session;
	u->has_session = 1;
	return i;		/* still busy: its request is in flight */
}

/* The send due at now_us, taken off its timer. */
static uint32_t take_due(struct load *l, int64_t now_us, struct rng *r, bool *first)
{
	struct sim_event ev;

	*first = false;
	/* Fixed order on ties, so runs repeat: starts, arrivals, think lane, delayed lane. */
	if (equeue_next_time(&l->starts) == now_us) {
		equeue_pop(&l->starts, &ev);
		return user_send(l, ev.arg, first);
	}
	if (l->arrival_us == now_us) {
		l->arrival_us = next_arrival(l, r, now_us);
		l->in_flight_anon++;
		*first = true;
		return LOAD_ANON;
	}
	if (lane_next(&l->lanes[LOAD_LANE_THINK]) == now_us)
		return user_send(l, lane_pop(&l->lanes[LOAD_LANE_THINK]), first);
	if (lane_next(&l->lanes[LOAD_LANE_DELAYED]) == now_us)
		return user_send(l, lane_pop(&l->lanes[LOAD_LANE_DELAYED]), first);
	return LOAD_NONE;
}

uint32_t load_pop(struct load *l, int64_t now_us, struct rng *r, bool *first)
{
	uint32_t user = take_due(l, now_us, r, first);

	next_update(l);
	return user;
}

bool load_answered(struct load *l, uint32_t user, int64_t now_us, int64_t delay_us)
{
	struct load_user *u;
	int64_t at;

	if (user == LOAD_ANON) {
		l->in_flight_anon--;
		return false;
	}
	u = &l->users[user];
	if (user >= l->want || u->finished) {
		u->busy = 0;
		return false;
	}
	if (l->ph->requests > 0 && u->sent >= l->ph->requests) {
		u->busy = 0;
		u->finished = 1;
		return ++l->done == l->want;
	}
	at = now_us + delay_us + l->ph->think_us;
	lane_push(&l->lanes[delay_us == 0 ? LOAD_LANE_THINK : LOAD_LANE_DELAYED], at, user);
	if (at < l->next_us)
		l->next_us = at;
	return false;
}

uint64_t load_active(const struct load *l)
{
	return (uint64_t)(l->want - l->done) + l->in_flight_anon;
}
