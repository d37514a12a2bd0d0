/*
 * Load: who sends requests, and when. Closed-loop virtual users (each
 * sends, waits for the answer, thinks, sends again; a fixed number of
 * requests each or endless) and open-loop arrivals (a Poisson stream at a
 * rate), arranged in the scenario's timed phases.
 *
 * The load is a timer source the simulator merges with its own event heap:
 * load_next_time() says when the next send is due, load_pop() takes it.
 * Sends after a constant think time go to FIFO lanes, which stay in time
 * order while a phase lasts, and the arrivals are a single stream, so most
 * sends never touch a heap. Times are virtual microseconds from the caller.
 */
#ifndef RT_SIM_LOAD_H
#define RT_SIM_LOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/equeue.h"
#include "sim/rng.h"
#include "sim/scenario.h"

#define LOAD_ANON UINT32_MAX		/* an open-loop arrival */
#define LOAD_NONE (UINT32_MAX - 1)	/* a stale send of a retired user: nothing to do */

enum { LOAD_LANE_THINK, LOAD_LANE_DELAYED, LOAD_LANES };

struct load_user {
	uint32_t sent;		/* requests sent in the current phase */
	uint8_t busy;		/* a send is scheduled or a request is in flight */
	uint8_t has_session;
	uint8_t finished;	/* sent all its requests in the current phase */
};

struct load_lane_item {
	int64_t at_us;
	uint32_t user;
};

struct load_lane {		/* ring buffer of sends in time order */
	struct load_lane_item *buf;
	size_t head, len, cap;	/* cap is a power of two */
};

struct load {
	const struct scenario_phase *ph;	/* current phase; NULL before the first */
	struct load_user *users;
	uint32_t cap, want, done;		/* slots, users wanted now, of them finished */
	struct equeue starts;			/* first sends, and sends left by an earlier phase */
	struct load_lane lanes[LOAD_LANES];
	int64_t arrival_us;			/* next open-loop arrival; INT64_MAX: none */
	double arrival_gap_us;			/* their mean gap, 1e6 / the phase's rate */
	int64_t next_us;			/* the earliest send: starts, arrival, lanes */
	uint64_t in_flight_anon;		/* open-loop requests not yet answered */
	double *exp_steps;			/* -ln(1 - i/LOAD_EXP_STEPS), for arrival gaps */
};

/* Steps of the table that draws exponential gaps between arrivals by inversion. */
#define LOAD_EXP_BITS 10
#define LOAD_EXP_STEPS (1u << LOAD_EXP_BITS)

void load_init(struct load *l);
void load_free(struct load *l);

/*
 * Start phase ph (which must outlive its use) at now_us. Users 0..users-1
 * are wanted: those still busy from the last phase carry on, the others
 * start within one think time. Users beyond the count retire when their
 * next send comes up. Arrivals restart at the phase's rate.
 */
void load_start_phase(struct load *l, const struct scenario_phase *ph, int64_t now_us,
		      struct rng *r);

/* When the next send is due; INT64_MAX if none. */
static inline int64_t load_next_time(const struct load *l)
{
	return l->next_us;
}

/*
 * Take the send due at now_us (== load_next_time()). Returns the user who
 * sends a request now, LOAD_ANON for an arrival, or LOAD_NONE. *first is
 * set when this is the sender's first request (a new session).
 */
uint32_t load_pop(struct load *l, int64_t now_us, struct rng *r, bool *first);

/*
 * The request of user (or LOAD_ANON) was answered at now_us; the user
 * hears it delay_us later (0 for a backend answer, else one constant, e.g.
 * a rejection's round trip: the lanes rely on it), then thinks. Returns true when this answer made the last
 * wanted user finish its requests.
 */
bool load_answered(struct load *l, uint32_t user, int64_t now_us, int64_t delay_us);

/* Users the current phase still runs, plus open-loop requests in flight. */
uint64_t load_active(const struct load *l);

#endif
