/*
 * Circuit breaker state machine (see breaker.h). The sliding window is a
 * ring of the last W outcomes with a running failure count, so recording a
 * call is O(1).
 */
#include "sim/breaker.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void breaker_config_default(struct breaker_config *cfg)
{
	*cfg = (struct breaker_config){
		.failure_threshold = 5,
		.failure_rate = 0.5,
		.window = 20,
		.min_calls = 10,
		.open_timeout_us = 10 * 1000000LL,
		.half_open_calls = 3,
		.success_threshold = 3,
	};
}

const char *breaker_config_check(const struct breaker_config *cfg)
{
	if (cfg->failure_rate < 0.0 || cfg->failure_rate > 1.0 || cfg->failure_rate != cfg->failure_rate)
		return "failure_rate: must be between 0 and 1";
	if (cfg->window < 1 || cfg->window > BREAKER_MAX_WINDOW)
		return "window: must be between 1 and 4096";
	if (cfg->min_calls > cfg->window)
		return "min_calls: must not exceed window";
	if (cfg->open_timeout_us < 1000)
		return "open_ms: must be at least 1";
	if (cfg->half_open_calls < 1)
		return "half_open_calls: must be at least 1";
	if (cfg->success_threshold < 1 || cfg->success_threshold > cfg->half_open_calls)
		return "successes: must be between 1 and half_open_calls";
	return NULL;
}

static void window_clear(struct breaker *b)
{
	b->head = b->filled = b->failures = 0;
	b->consecutive = 0;
}

static void window_push(struct breaker *b, uint8_t failed)
{
	if (b->filled == b->cfg.window)
		b->failures -= b->outcomes[b->head];
	else
		b->filled++;
	b->outcomes[b->head] = failed;
	b->failures += failed;
	b->head = b->head + 1 == b->cfg.window ? 0 : b->head + 1;
}

static void transition(struct breaker *b, enum breaker_state to, int64_t now_us,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void transition(struct breaker *b, enum breaker_state to, int64_t now_us,
		       const char *fmt, ...)
{
	struct breaker_transition t = { .from = b->state, .to = to, .at_us = now_us };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t.reason, sizeof(t.reason), fmt, ap);
	va_end(ap);
	b->state = to;
	b->since_us = now_us;
	b->trials = b->trial_successes = 0;
	if (to == BREAKER_CLOSED)
		window_clear(b);
	if (b->on_transition != NULL)
		b->on_transition(b->ctx, &t);
}

void breaker_init(struct breaker *b, const struct breaker_config *cfg, int64_t now_us,
		  breaker_transition_fn cb, void *ctx)
{
	memset(b, 0, sizeof(*b));
	b->cfg = *cfg;
	b->state = BREAKER_CLOSED;
	b->force = BREAKER_FORCE_NONE;
	b->since_us = now_us;
	b->on_transition = cb;
	b->ctx = ctx;
}

/* "8 s", "2.5 s", "500 ms": the open timeout as the reason for half-opening gives it. */
static void fmt_timeout(char *buf, size_t len, int64_t us)
{
	if (us < 1000000)
		snprintf(buf, len, "%lld ms", (long long)(us / 1000));
	else if (us % 1000000 == 0)
		snprintf(buf, len, "%lld s", (long long)(us / 1000000));
	else
		snprintf(buf, len, "%.1f s", (double)us / 1e6);
}

void breaker_poll(struct breaker *b, int64_t now_us)
{
	char t[32];

	if (b->state == BREAKER_OPEN && b->force == BREAKER_FORCE_NONE &&
	    now_us >= b->since_us + b->cfg.open_timeout_us) {
		fmt_timeout(t, sizeof(t), b->cfg.open_timeout_us);
		transition(b, BREAKER_HALF_OPEN, now_us, "open timeout %s elapsed", t);
	}
}

int64_t breaker_deadline(const struct breaker *b)
{
	if (b->state == BREAKER_OPEN && b->force == BREAKER_FORCE_NONE)
		return b->since_us + b->cfg.open_timeout_us;
	return INT64_MAX;
}

bool breaker_allow(struct breaker *b, int64_t now_us)
{
	breaker_poll(b, now_us);
	switch (b->state) {
	case BREAKER_CLOSED:
		return true;
	case BREAKER_HALF_OPEN:
		if (b->trials < b->cfg.half_open_calls) {
			b->trials++;
			return true;
		}
		return false;
	case BREAKER_OPEN:
	case BREAKER_UNKNOWN:
		break;
	}
	return false;
}

void breaker_record_success(struct breaker *b, int64_t now_us)
{
	if (b->state == BREAKER_CLOSED) {
		b->consecutive = 0;
		window_push(b, 0);
	} else if (b->state == BREAKER_HALF_OPEN) {
		b->trial_successes++;
		if (b->trial_successes >= b->cfg.success_threshold)
			transition(b, BREAKER_CLOSED, now_us, "%u trial call%s succeeded",
				   b->trial_successes, b->trial_successes == 1 ? "" : "s");
	}
	/* Calls admitted before the breaker opened may finish while it is open: ignored. */
}

static bool rate_tripped(const struct breaker *b)
{
	return b->cfg.failure_rate > 0.0 && b->filled >= b->cfg.min_calls && b->filled > 0 &&
	       (double)b->failures >= b->cfg.failure_rate * (double)b->filled;
}

void breaker_record_failure(struct breaker *b, int64_t now_us)
{
	if (b->state == BREAKER_CLOSED) {
		b->consecutive++;
		window_push(b, 1);
		if (b->force == BREAKER_FORCE_CLOSED)
			return;
		if (b->cfg.failure_threshold > 0 && b->consecutive >= b->cfg.failure_threshold)
			transition(b, BREAKER_OPEN, now_us, "%u consecutive failures", b->consecutive);
		else if (rate_tripped(b))
			transition(b, BREAKER_OPEN, now_us, "failure rate %u %% over %u calls",
				   b->failures * 100 / b->filled, b->filled);
	} else if (b->state == BREAKER_HALF_OPEN) {
		transition(b, BREAKER_OPEN, now_us, "trial call failed");
	}
}

void breaker_force_open(struct breaker *b, int64_t now_us)
{
	b->force = BREAKER_FORCE_OPEN;
	transition(b, BREAKER_OPEN, now_us, "forced open");
}

void breaker_force_closed(struct breaker *b, int64_t now_us)
{
	b->force = BREAKER_FORCE_CLOSED;
	transition(b, BREAKER_CLOSED, now_us, "forced closed");
}

void breaker_reset(struct breaker *b, int64_t now_us)
{
	b->force = BREAKER_FORCE_NONE;
	transition(b, BREAKER_CLOSED, now_us, "reset");
}

void breaker_auto(struct breaker *b, int64_t now_us)
{
	if (b->force == BREAKER_FORCE_NONE)
		return;
	b->force = BREAKER_FORCE_NONE;
	/* Left open by the operator, it waits its open timeout from now, as if it had just opened. */
	if (b->state == BREAKER_OPEN)
		b->since_us = now_us;
}

double breaker_failure_rate(const struct breaker *b)
{
	return b->filled > 0 ? (double)b->failures / (double)b->filled : 0.0;
}
