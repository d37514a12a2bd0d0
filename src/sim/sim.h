/*
 * The simulated router: a discrete-event simulation on a virtual clock in
 * integer microseconds. Load (closed-loop virtual users and open-loop
 * arrivals, in timed phases) sends requests through the router pipeline:
 * session -> rate limiter -> route by weight to an upstream -> its circuit
 * breaker -> its backend -> its tracker and the router's.
 *
 * Upstreams are numbered in the scenario's order; the single-backend
 * format has one, "default". Operator actions take the upstream they act
 * on; with rows (the scenario declared upstreams) notices about one carry
 * "row":NAME, and a change of the worst upstream's breaker state is also
 * reported as the router's own breaker transition (without a row).
 *
 * A run is a pure function of the scenario and the seed: sim_run_until()
 * to the same times gives the same state, however the time is chopped up.
 * The simulator never reads a clock and never includes UI headers.
 */
#ifndef RT_SIM_SIM_H
#define RT_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "sim/backend.h"
#include "sim/breaker.h"
#include "sim/scenario.h"

struct sim;

/*
 * Called for breaker transitions, phase changes and fault changes with a
 * compact JSON object (at most 511 bytes), e.g.
 * {"type":"breaker","from":"closed","to":"open","reason":"5 consecutive failures","at_ms":12345}
 */
typedef void (*sim_notice_fn)(void *ctx, int64_t at_us, const char *json);

/* Copies *sc. Never fails for a scenario that scenario_parse() accepted. */
struct sim *sim_new(const struct scenario *sc, uint64_t seed);
void sim_free(struct sim *s);	/* NULL is fine */
void sim_set_notice(struct sim *s, sim_notice_fn fn, void *ctx);

/* Virtual now, microseconds since the start. */
int64_t sim_now_us(const struct sim *s);

/*
 * Process every event due at or before t_us and move the clock to t_us;
 * stops early, at the moment it finished, if the scenario ends first.
 * Returns the new virtual time. Call sim_start() first (emits the first
 * phase's notices at time 0); sim_run_until() calls it if you did not.
 */
void sim_start(struct sim *s);
int64_t sim_run_until(struct sim *s, int64_t t_us);
/*
 * The same, but firing at most max_events events, so a caller that must
 * look at its keys and signals every few milliseconds can bound the work
 * of one call. Returns true when the clock reached t_us (or the scenario
 * finished), false when the budget ran out first; the clock then stands at
 * the last event fired, and calling again goes on exactly where it stopped.
 */
bool sim_run_for(struct sim *s, int64_t t_us, uint64_t max_events);
/* True once the last phase of a finite scenario has ended. */
bool sim_finished(const struct sim *s);

/*
 * The wire snapshot at the current virtual time; timestamp left unknown.
 * *out must be a valid snapshot (metrics.h): it is cleared and refilled,
 * its row storage reused, and owns its rows afterwards. With rows, each
 * upstream is a row measured by its own tracker; the router's figures are
 * its own tracker's, its breaker the worst upstream's (with how many are
 * open, recovering or degraded as the recommendation). Without rows the
 * breaker is the one upstream's. Not const: it brings the lifetime latency
 * histograms (latency_hist, the router's and each row's, for serve's
 * Prometheus answer) up to date.
 */
void sim_snapshot(struct sim *s, struct metrics_snapshot *out);

/* Upstreams: how many, the name of one (NULL past the end). */
size_t sim_upstreams(const struct sim *s);
const char *sim_upstream_name(const struct sim *s, size_t up);
/* Index of the upstream named name, 0 (the first) for NULL, -1 when there is none. */
ptrdiff_t sim_upstream_index(const struct sim *s, const char *name);

/*
 * Faults on upstream up (an index below sim_upstreams(); others are
 * ignored), now.
 *
 * sim_set_faults gives it the faults a scenario's phase would (f must pass
 * fault_config_check) and emits a "faults" notice if they changed.
 * sim_breaker_force and sim_breaker_reset act on its breaker at once
 * (reset: closed, automatic).
 */
void sim_set_faults(struct sim *s, size_t up, const struct fault_config *f);
void sim_breaker_force(struct sim *s, size_t up, enum breaker_force force);
void sim_breaker_reset(struct sim *s, size_t up);

/* A latency spike multiplies service times by this; a surge multiplies an upstream's load by this. */
#define SIM_SLOWDOWN 10
#define SIM_SURGE 5

/*
 * An operator's faults on one upstream (routertop's fault keys), on top of
 * the phase's, through the scenario's phase changes until changed:
 * processing failures at a rate (the phase's when that is higher),
 * timeouts (half the calls the failures leave get no answer in time),
 * service times SIM_SLOWDOWN times longer, a surge of SIM_SURGE times its
 * share of the router's throughput in extra arrivals sent straight to it
 * (through the router's rate limiter), and its breaker forced open,
 * forced closed or automatic. All zero: none.
 */
struct sim_op_faults {
	double failure;			/* 0..1 */
	bool timeouts, slow, surge;
	enum breaker_force breaker;
};

/* The operator's faults on upstream up (all off for an index past the end). */
struct sim_op_faults sim_op_faults(const struct sim *s, size_t up);
/* Whether f holds any fault. */
bool sim_op_active(const struct sim_op_faults *f);
/*
 * Make f the operator's faults on up, now. Each change is applied and
 * reported by a notice {"type":"fault","row":..,"fault":"failure",
 * "text":"failure rate 50 %"}; back to automatic with the breaker still
 * open it waits its open timeout from now, and the notice says so
 * ("open_timeout_ms"). Returns how many faults changed.
 */
int sim_op_set(struct sim *s, size_t up, const struct sim_op_faults *f);
/* What the operator runs on up, in a few words ("failures 50 %, timeouts, forced open"); "" for none. */
void sim_op_describe(const struct sim *s, size_t up, char *buf, size_t len);

/* Requests that reached the router so far (for benchmarks and tests). */
uint64_t sim_requests(const struct sim *s);
/* Sessions created (one per virtual user's first request and per open-loop arrival). */
uint64_t sim_sessions(const struct sim *s);

#endif
