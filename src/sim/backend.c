/*
 * Backend model (see backend.h). The log-normal's sigma comes from the
 * ratio of P99 to median: P99 = median * exp(sigma * z99), z99 = 2.3263.
 *
 * Sampling is by inversion: a service time is the log-normal's quantile
 * at a uniform draw u. Between the table's steps the quantile function is
 * nearly straight (interpolating it moves a P99 by far less than a
 * microsecond's worth), so a draw costs no log, exp or sqrt except in the
 * two end steps, where it is computed exactly.
 */
#include "sim/backend.h"

#include <math.h>
#include <stdlib.h>

#include "util.h"

#define Z99 2.3263478740408408
#define WHEEL_MASK (BACKEND_WHEEL_US - 1)

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

/*
 * The standard normal's quantile at p in (0, 1): Acklam's rational
 * approximation (relative error 1.15e-9) with one Halley step on erfc,
 * which brings it to double precision.
 */
static double normal_quantile(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
				    -2.759285104469687e+02, 1.383577518672690e+02,
				    -3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
				    -1.556989798598866e+02, 6.680131188771972e+01,
				    -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
				    -2.400758277161838e+00, -2.549732539343734e+00,
				    4.374664141464968e+00, 2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
				    2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r, x, e, u;

	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p > 1 - 0.02425) {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	e = 0.5 * erfc(-x / sqrt(2)) - p;
	u = e * 2.5066282746310002 * exp(x * x / 2);	/* sqrt(2 pi) */
	return x - u / (1 + x * u / 2);
}

void backend_init(struct backend *b, const struct backend_config *cfg, int64_t now_us)
{
	b->cfg = *cfg;
	backend_set_faults(b, &(struct fault_config){ 0 });
	b->slowdown = 1;
	b->mu = log((double)cfg->median_us);
	b->sigma = log((double)cfg->p99_us / (double)cfg->median_us) / Z99;
	b->quantiles = xmalloc(BACKEND_QUANTILES * sizeof(*b->quantiles));
	b->quantiles[0] = 0;	/* the first step is computed exactly, never read */
	for (uint32_t i = 1; i < BACKEND_QUANTILES; i++)
		b->quantiles[i] = exp(b->mu + b->sigma *
					  normal_quantile((double)i / BACKEND_QUANTILES));
	b->base = now_us;
	b->wheel = xcalloc(BACKEND_WHEEL_US, sizeof(*b->wheel));
	bitwheel_init(&b->wheel_used, BACKEND_WHEEL_US);
	b->wheel_busy = 0;
	b->late = xmalloc(cfg->concurrency * sizeof(*b->late));
	b->late_len = 0;
	b->idle = cfg->concurrency;	/* every worker is idle from the start */
}

void backend_free(struct backend *b)
{
	free(b->late);
	bitwheel_free(&b->wheel_used);
	free(b->wheel);
	free(b->quantiles);
	b->late = NULL;
	b->wheel = NULL;
	b->quantiles = NULL;
}

void backend_set_faults(struct backend *b, const struct fault_config *f)
{
	b->fault_cut[0] = f->failure;
	b->fault_cut[1] = f->failure + f->timeout;
	b->fault_cut[2] = f->failure + f->timeout + f->validation;
}

void backend_set_slowdown(struct backend *b, uint32_t factor)
{
	b->slowdown = factor < 1 ? 1 : factor;
}

/* backend_sample_us, inline in backend_submit. */
static inline int64_t sample_us(const struct backend *b, struct rng *r)
{
	enum { FRAC_BITS = 32 - BACKEND_QUANTILE_BITS };
	uint32_t draw, step;
	double x;

	if (b->sigma == 0.0)
		return b->cfg.median_us;
	draw = rng_u32(r);
	step = draw >> FRAC_BITS;
	if (step == 0 || step == BACKEND_QUANTILES - 1) {
		/* The tails: u in (0, 1) from the whole draw, never 0 or 1. */
		x = exp(b->mu + b->sigma * normal_quantile(((double)draw + 0.5) / 4294967296.0));
	} else {
		double frac = (double)(draw & ((1u << FRAC_BITS) - 1)) / (double)(1u << FRAC_BITS);

		x = b->quantiles[step] + frac * (b->quantiles[step + 1] - b->quantiles[step]);
	}
	if (x >= (double)BACKEND_MAX_LATENCY_US)
		return BACKEND_MAX_LATENCY_US;
	return x < 1.0 ? 1 : (int64_t)(x + 0.5);
}

int64_t backend_sample_us(const struct backend *b, struct rng *r)
{
	return sample_us(b, r);
}

/* The late heap: free times outside the wheel's span. */
static void late_push(struct backend *b, int64_t t)
{
	int64_t *h = b->late;
	size_t i = b->late_len++;

	while (i > 0 && h[(i - 1) / 2] > t) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = t;
}

/* Remove the root, bottom-up: walk the hole to a leaf, then sift the last time up. */
static void late_pop(struct backend *b)
{
	int64_t *h = b->late, t;
	size_t n = --b->late_len, i = 0;

	if (n == 0)
		return;
	t = h[n];
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n)
			c += h[c + 1] < h[c];	/* branch-free: the compare is a coin toss */
		h[i] = h[c];
		i = c;
	}
	while (i > 0 && h[(i - 1) / 2] > t) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = t;
}

/* A worker is busy until t (after base). */
static inline void workers_take(struct backend *b, int64_t t)
{
	size_t s = (size_t)t & WHEEL_MASK;

	b->idle--;
	if (t - b->base > BACKEND_WHEEL_US || t <= b->base || b->wheel[s] == UINT8_MAX) {
		late_push(b, t);
		return;
	}
	b->wheel[s]++;
	bitwheel_set(&b->wheel_used, s);
	b->wheel_busy++;
}

/* The workers free in the n wheel slots from slot s on (n <= BACKEND_WHEEL_US) are idle. */
static void wheel_release(struct backend *b, size_t s, size_t n)
{
	while (b->wheel_busy > 0) {
		size_t covered, d;
		uint64_t bits = bitwheel_take(&b->wheel_used, s, n, &covered);

		for (; bits != 0; bits &= bits - 1) {
			size_t k = (s + (size_t)__builtin_ctzll(bits)) & WHEEL_MASK;

			b->idle += b->wheel[k];
			b->wheel_busy -= b->wheel[k];
			b->wheel[k] = 0;
		}
		s = (s + covered) & WHEEL_MASK;
		n -= covered;
		if (n == 0 || b->wheel_busy == 0)
			break;
		/* Straight to the next slot that holds workers, if it is in the range. */
		d = (bitwheel_next(&b->wheel_used, s) - s) & WHEEL_MASK;
		if (d >= n)
			break;
		s = (s + d) & WHEEL_MASK;
		n -= d;
	}
}

/*
 * Workers free by now are idle: which of them is freed first no longer
 * matters to anything arriving from now on. The wheel moves on to now.
 * Until then, idle counts the workers known to be idle, which may be fewer.
 */
static void workers_release(struct backend *b, int64_t now_us)
{
	/*
	 * While a worker is idle the request starts now whoever else is free,
	 * so the wheel is emptied in batches: when every worker is busy, or
	 * when half its span has passed (its slots come round again after the
	 * whole span).
	 */
	if (b->idle > 0 && now_us - b->base < BACKEND_WHEEL_US / 2)
		return;
	if (now_us > b->base) {
		/* Slot base + 1 + d holds the workers free at that time. */
		if (b->wheel_busy > 0)
			wheel_release(b, (size_t)(b->base + 1) & WHEEL_MASK,
				      now_us - b->base < BACKEND_WHEEL_US ? (size_t)(now_us - b->base)
									  : BACKEND_WHEEL_US);
		b->base = now_us;
	}
	while (b->late_len > 0 && b->late[0] <= now_us) {
		late_pop(b);
		b->idle++;
	}
}

/* Every worker is busy: make the first to be free idle, and say when that is. */
static int64_t workers_first_free(struct backend *b)
{
	int64_t t = b->late_len > 0 ? b->late[0] : INT64_MAX;

	if (b->wheel_busy > 0) {
		size_t from = (size_t)(b->base + 1) & WHEEL_MASK;
		size_t s = bitwheel_next(&b->wheel_used, from);
		int64_t tw = b->base + 1 + (int64_t)((s - from) & WHEEL_MASK);

		if (tw < t) {
			if (--b->wheel[s] == 0)
				bitwheel_clear(&b->wheel_used, s);
			b->wheel_busy--;
			b->idle++;
			return tw;
		}
	}
	late_pop(b);
	b->idle++;
	return t;
}

static enum backend_outcome roll_fault(const struct backend *b, struct rng *r)
{
	double u;

	if (b->fault_cut[2] == 0.0)
		return BACKEND_OK;	/* no faults: no draw */
	u = rng_uniform(r);
	if (u < b->fault_cut[0])
		return BACKEND_FAILURE;
	if (u < b->fault_cut[1])
		return BACKEND_TIMEOUT;
	if (u < b->fault_cut[2])
		return BACKEND_VALIDATION;
	return BACKEND_OK;
}

struct backend_result backend_submit(struct backend *b, struct rng *r, int64_t now_us)
{
	int64_t deadline = now_us + b->cfg.timeout_us;
	enum backend_outcome fault;
	int64_t start, done;

	workers_release(b, now_us);
	start = now_us;
	if (b->idle == 0) {
		/* Queued: it starts when the first busy worker is free, and takes it. */
		start = workers_first_free(b);
		if (start >= deadline) {
			/* Still queued when the client gives up: it never takes a worker. */
			workers_take(b, start);	/* which stays busy as it was */
			return (struct backend_result){ BACKEND_TIMEOUT, deadline };
		}
	}
	fault = roll_fault(b, r);
	if (fault == BACKEND_TIMEOUT) {
		/* An injected hang holds its worker until the client gives up. */
		workers_take(b, deadline);
		return (struct backend_result){ BACKEND_TIMEOUT, deadline };
	}
	done = start + sample_us(b, r) * b->slowdown;
	if (done > deadline) {
		workers_take(b, deadline);
		return (struct backend_result){ BACKEND_TIMEOUT, deadline };
	}
	workers_take(b, done);
	return (struct backend_result){ fault, done };
}
