/*
 * Backend model (see backend.h). The log-normal's sigma comes from the
 * ratio of P99 to median: P99 = median * exp(sigma * z99), z99 = 2.3263.
 */
#include "sim/backend.h"

#include <math.h>
#include <stdlib.h>

#include "util.h"

#define Z99 2.3263478740408408

void backend_config_default(struct backend_config *cfg)
{
	*cfg = (struct backend_config){
		.median_us = 40000, .p99_us = 250000, .concurrency = 64, .timeout_us = 2000000,
	};
}

const char *backend_config_check(const struct backend_config *cfg)
{
	if (cfg->median_us < 1 || cfg->median_us > BACKEND_MAX_LATENCY_US)
		return "median_ms: must be between 0.001 and 3600000";
	if (cfg->p99_us < cfg->median_us)
		return "p99_ms: must not be below median_ms";
	if (cfg->p99_us > BACKEND_MAX_LATENCY_US)
		return "p99_ms: must be at most 3600000";
	if (cfg->concurrency < 1 || cfg->concurrency > BACKEND_MAX_CONCURRENCY)
		return "concurrency: must be between 1 and 100000";
	if (cfg->timeout_us < 1 || cfg->timeout_us > BACKEND_MAX_LATENCY_US)
		return "timeout_ms: must be between 0.001 and 3600000";
	return NULL;
}

static int probability_ok(double p)
{
	return p >= 0.0 && p <= 1.0;	/* false for NaN too */
}

const char *fault_config_check(const struct fault_config *f)
{
	if (!probability_ok(f->failure))
		return "failure: must be between 0 and 1";
	if (!probability_ok(f->timeout))
		return "timeout: must be between 0 and 1";
	if (!probability_ok(f->validation))
		return "validation: must be between 0 and 1";
	if (f->failure + f->timeout + f->validation > 1.0 + 1e-12)
		return "failure + timeout + validation: must be at most 1";
	return NULL;
}

void backend_init(struct backend *b, const struct backend_config *cfg, int64_t now_us)
{
	b->cfg = *cfg;
	b->faults = (struct fault_config){ 0 };
	b->mu = log((double)cfg->median_us);
	b->sigma = log((double)cfg->p99_us / (double)cfg->median_us) / Z99;
	b->free_at = xmalloc(cfg->concurrency * sizeof(*b->free_at));
	for (uint32_t i = 0; i < cfg->concurrency; i++)
		b->free_at[i] = now_us;
}

void backend_free(struct backend *b)
{
	free(b->free_at);
	b->free_at = NULL;
}

void backend_set_faults(struct backend *b, const struct fault_config *f)
{
	b->faults = *f;
}

int64_t backend_sample_us(const struct backend *b, struct rng *r)
{
	double x;

	if (b->sigma == 0.0)
		return b->cfg.median_us;
	x = exp(b->mu + b->sigma * rng_normal(r));
	if (x >= (double)BACKEND_MAX_LATENCY_US)
		return BACKEND_MAX_LATENCY_US;
	return x < 1.0 ? 1 : (int64_t)llround(x);
}

/*
 * Replace the earliest free time (the root) with t and restore the heap,
 * bottom-up: walk the hole to a leaf, then sift t up (t is usually late, so
 * it belongs near the bottom and this saves a compare per level).
 */
static void workers_replace_top(struct backend *b, int64_t t)
{
	int64_t *h = b->free_at;
	size_t n = b->cfg.concurrency, i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n)
			c += h[c + 1] < h[c];	/* branch-free: the compare is a coin toss */
		h[i] = h[c];
		i = c;
	}
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (h[parent] <= t)
			break;
		h[i] = h[parent];
		i = parent;
	}
	h[i] = t;
}

static enum backend_outcome roll_fault(const struct backend *b, struct rng *r)
{
	const struct fault_config *f = &b->faults;
	double u;

	if (f->failure == 0.0 && f->timeout == 0.0 && f->validation == 0.0)
		return BACKEND_OK;
	u = rng_uniform(r);
	if (u < f->failure)
		return BACKEND_FAILURE;
	if (u < f->failure + f->timeout)
		return BACKEND_TIMEOUT;
	if (u < f->failure + f->timeout + f->validation)
		return BACKEND_VALIDATION;
	return BACKEND_OK;
}

struct backend_result backend_submit(struct backend *b, struct rng *r, int64_t now_us)
{
	int64_t deadline = now_us + b->cfg.timeout_us;
	int64_t start = b->free_at[0] > now_us ? b->free_at[0] : now_us;
	enum backend_outcome fault;
	int64_t done;

	/* Still queued when the client gives up: it never takes a worker. */
	if (start >= deadline)
		return (struct backend_result){ BACKEND_TIMEOUT, deadline };
	fault = roll_fault(b, r);
	if (fault == BACKEND_TIMEOUT) {
		/* An injected hang holds its worker until the client gives up. */
		workers_replace_top(b, deadline);
		return (struct backend_result){ BACKEND_TIMEOUT, deadline };
	}
	done = start + backend_sample_us(b, r);
	if (done > deadline) {
		workers_replace_top(b, deadline);
		return (struct backend_result){ BACKEND_TIMEOUT, deadline };
	}
	workers_replace_top(b, done);
	return (struct backend_result){ fault, done };
}
