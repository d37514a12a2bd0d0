/*
 * histogram_quantile and counter increases as PromQL computes them; see
 * promql.h for the rules and promql/quantile.go in Prometheus for their
 * origin. Everything here is pure arithmetic on caller-owned arrays.
 */
#include "config.h"

#include "formats/promql.h"

#include <math.h>
#include <stdlib.h>

#define PROMQL_PRECISION 1e-12

static int bucket_cmp(const void *pa, const void *pb)
{
	const struct promql_bucket *a = pa, *b = pb;

	return (a->le > b->le) - (a->le < b->le);
}

size_t promql_buckets_normalise(struct promql_bucket *b, size_t n)
{
	size_t out = 0;

	if (n == 0)
		return 0;
	qsort(b, n, sizeof(*b), bucket_cmp);
	for (size_t i = 1; i < n; i++) {
		if (b[i].le == b[out].le)
			b[out].count += b[i].count;
		else
			b[++out] = b[i];
	}
	return out + 1;
}

/* Counts that differ by float noise only are made equal (Prometheus' correctPrecisionErrors). */
static void promql_fix_precision(struct promql_bucket *b, size_t n)
{
	double prev = b[0].count;

	for (size_t i = 1; i < n; i++) {
		double delta = fabs(b[i].count - prev);

		if (delta == 0)
			continue;
		if (delta / b[i].count <= PROMQL_PRECISION)
			b[i].count = prev;
		else
			prev = b[i].count;
	}
}

static bool promql_force_monotonic(struct promql_bucket *b, size_t n)
{
	double max = b[0].count;
	bool forced = false;

	for (size_t i = 1; i < n; i++) {
		if (b[i].count > max) {
			max = b[i].count;
		} else if (b[i].count < max) {
			b[i].count = max;
			forced = true;
		}
	}
	return forced;
}

/*
 * Sort, merge, fix precision and force monotonic; returns the buckets left,
 * or 0 when they cannot give a quantile (no +Inf, fewer than two, a count
 * not finite, no observations).
 */
static size_t promql_prepare(struct promql_bucket *b, size_t n, bool *forced)
{
	bool f;

	n = promql_buckets_normalise(b, n);
	if (n < 2 || !isinf(b[n - 1].le) || b[n - 1].le < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(b[i].count))
			return 0;
	}
	promql_fix_precision(b, n);
	f = promql_force_monotonic(b, n);
	if (forced != NULL)
		*forced = f;
	return b[n - 1].count > 0 ? n : 0;
}

/* The quantile of prepared buckets (see promql_prepare). */
static double promql_quantile_of(double q, const struct promql_bucket *b, size_t n)
{
	double rank, start = 0, count, v;
	size_t i;

	if (isnan(q))
		return NAN;
	if (q < 0)
		return -INFINITY;
	if (q > 1)
		return INFINITY;
	if (n == 0)
		return NAN;
	rank = q * b[n - 1].count;
	/* The first bucket (of all but +Inf) whose count reaches the rank. */
	for (i = 0; i < n - 1 && b[i].count < rank; i++)
		;
	if (i == n - 1)
		return b[n - 2].le;
	if (i == 0 && b[0].le <= 0)
		return b[0].le;
	count = b[i].count;
	if (i > 0) {
		start = b[i - 1].le;
		count -= b[i - 1].count;
		rank -= b[i - 1].count;
	}
	v = start + (b[i].le - start) * (rank / count);
	/*
	 * Rounding can carry the interpolation a hair past the bucket's bound
	 * (0.001 + 0.009 * 1 is 0.010000000000000002), which would put a lower
	 * quantile above a higher one that lands on the bound itself.
	 */
	return v > b[i].le ? b[i].le : v;
}

double promql_histogram_quantile(double q, struct promql_bucket *b, size_t n, bool *forced)
{
	if (forced != NULL)
		*forced = false;
	/* PromQL answers for q before it looks at the buckets. */
	if (isnan(q) || q < 0 || q > 1)
		return promql_quantile_of(q, b, 0);
	return promql_quantile_of(q, b, promql_prepare(b, n, forced));
}

void promql_histogram_quantiles(const double *qs, size_t nq, struct promql_bucket *b, size_t n,
				double *out)
{
	n = promql_prepare(b, n, NULL);
	for (size_t i = 0; i < nq; i++)
		out[i] = promql_quantile_of(qs[i], b, n);
}

double promql_counter_increase(double prev, double cur)
{
	return cur < prev ? cur : cur - prev;
}

enum promql_basis promql_histogram_increase(const struct promql_bucket *prev, size_t nprev,
					    const struct promql_bucket *cur, size_t ncur,
					    struct promql_bucket *out)
{
	enum promql_basis basis = PROMQL_INTERVAL;

	if (prev == NULL) {
		basis = PROMQL_LIFETIME;
	} else if (nprev != ncur) {
		basis = PROMQL_RESET;
	} else {
		for (size_t i = 0; i < ncur; i++) {
			if (prev[i].le != cur[i].le || cur[i].count < prev[i].count) {
				basis = PROMQL_RESET;
				break;
			}
		}
	}
	for (size_t i = 0; i < ncur; i++) {
		out[i].le = cur[i].le;
		out[i].count = basis == PROMQL_INTERVAL ? cur[i].count - prev[i].count : cur[i].count;
	}
	return basis;
}
