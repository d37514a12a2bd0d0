/*
 * Circuit breaker. Closed: calls pass; it opens after N consecutive
 * failures or when the failure rate over a sliding window of the last W
 * calls reaches a threshold (once the window holds a minimum number of
 * calls). Open: calls are rejected until the open timeout has passed, then
 * it is half-open: K trial calls are admitted, M successes close it, any
 * failure reopens it. An operator can force it open or closed, or reset it.
 *
 * Every change of state is reported through the on_transition callback with
 * its virtual time and a reason. All times are virtual microseconds passed
 * in by the caller; the breaker never reads a clock.
 */
#ifndef RT_SIM_BREAKER_H
#define RT_SIM_BREAKER_H

#include <stdbool.h>
#include <stdint.h>

#include "metrics.h"

#define BREAKER_MAX_WINDOW 4096
#define BREAKER_REASON_LEN 64

struct breaker_config {
	uint32_t failure_threshold;	/* N consecutive failures open it; 0 = off */
	double failure_rate;		/* open at this failure fraction (0..1]; 0 = off */
	uint32_t window;		/* calls in the sliding window, 1..BREAKER_MAX_WINDOW */
	uint32_t min_calls;		/* calls needed in the window before the rate counts */
	int64_t open_timeout_us;	/* open -> half-open after this long */
	uint32_t half_open_calls;	/* K trial calls admitted when half-open */
	uint32_t success_threshold;	/* M successes close it; 1..K */
};

enum breaker_force { BREAKER_FORCE_NONE, BREAKER_FORCE_OPEN, BREAKER_FORCE_CLOSED };

struct breaker_transition {
	enum breaker_state from, to;
	int64_t at_us;
	char reason[BREAKER_REASON_LEN];
};

typedef void (*breaker_transition_fn)(void *ctx, const struct breaker_transition *t);

struct breaker {
	struct breaker_config cfg;
	enum breaker_state state;
	enum breaker_force force;
	int64_t since_us;		/* when the current state began */
	uint32_t consecutive;		/* consecutive failures while closed */
	uint32_t trials, trial_successes;	/* half-open bookkeeping */
	uint32_t head, filled, failures;	/* ring position, calls and failures in it */
	breaker_transition_fn on_transition;
	void *ctx;
	/* Last: what every call touches stays together above it. */
	uint8_t outcomes[BREAKER_MAX_WINDOW];	/* ring: 1 = failure */
};

/* Defaults: 5 consecutive failures, 50 % over 20 calls (min 10), 10 s open, 3 trials, 3 successes. */
void breaker_config_default(struct breaker_config *cfg);
/* Returns NULL if cfg is usable, else a static message naming the bad field. */
const char *breaker_config_check(const struct breaker_config *cfg);

/* Start closed at now_us. cb may be NULL. cfg must pass breaker_config_check. */
void breaker_init(struct breaker *b, const struct breaker_config *cfg, int64_t now_us,
		  breaker_transition_fn cb, void *ctx);

/* May a call go through now? Moves open -> half-open when the timeout has passed. */
bool breaker_allow(struct breaker *b, int64_t now_us);
void breaker_record_success(struct breaker *b, int64_t now_us);
void breaker_record_failure(struct breaker *b, int64_t now_us);
/* Apply a due open -> half-open transition without a call. */
void breaker_poll(struct breaker *b, int64_t now_us);
/* When the pending timed transition is due, or INT64_MAX if none. */
int64_t breaker_deadline(const struct breaker *b);

void breaker_force_open(struct breaker *b, int64_t now_us);
void breaker_force_closed(struct breaker *b, int64_t now_us);
/* Back to closed with an empty window; ends any forced mode. */
void breaker_reset(struct breaker *b, int64_t now_us);
/*
 * End a forced mode without a transition: a breaker forced closed stays
 * closed and counts failures from here on; one forced open stays open and
 * half-opens when its open timeout has passed from now (breaker_deadline
 * says when). Nothing happens to an automatic breaker.
 */
void breaker_auto(struct breaker *b, int64_t now_us);

/* Failure fraction over the sliding window; 0 when it is empty. */
double breaker_failure_rate(const struct breaker *b);

#endif
