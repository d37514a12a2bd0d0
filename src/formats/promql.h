/*
 * Numbers the way Prometheus computes them, for a dashboard that reads the
 * exposition itself instead of asking a Prometheus server: the quantile of
 * a classic histogram (PromQL's histogram_quantile), and the increase of a
 * counter or a histogram between two consecutive scrapes.
 *
 * Semantics follow promql/quantile.go: buckets sorted by upper bound and
 * bounds that are equal merged; counts within 1e-12 of each other made
 * equal and then forced monotonic; the rank is q times the +Inf bucket's
 * count; the quantile is interpolated linearly inside its bucket, the first
 * bucket from 0 (or, when its bound is 0 or less, that bound); a rank in the
 * +Inf bucket gives the highest finite bound. No +Inf bucket, fewer than two
 * buckets or no observations give NaN (shown as n/a).
 */
#ifndef RT_FORMATS_PROMQL_H
#define RT_FORMATS_PROMQL_H

#include <stdbool.h>
#include <stddef.h>

struct promql_bucket {
	double le;	/* upper bound, +Inf for the last */
	double count;	/* cumulative: observations <= le */
};

/*
 * histogram_quantile(q, buckets). Sorts and edits b in place (merging equal
 * bounds, forcing monotonic counts). Returns NaN for q NaN, -Inf for q < 0,
 * +Inf for q > 1, and NaN when the buckets cannot give a quantile (see
 * above); also NaN when a count is not finite or the total is below 0, which
 * PromQL would turn into nonsense. *forced (may be NULL) is set when counts
 * had to be forced monotonic.
 */
double promql_histogram_quantile(double q, struct promql_bucket *b, size_t n, bool *forced);

/*
 * Several quantiles of one histogram at once (the buckets are normalised
 * once): out[i] = histogram_quantile(qs[i], b). Edits b like the above.
 */
void promql_histogram_quantiles(const double *qs, size_t nq, struct promql_bucket *b, size_t n,
				double *out);

/* How an increase between two scrapes was worked out. */
enum promql_basis {
	PROMQL_INTERVAL,	/* newer minus older: what happened between the scrapes */
	PROMQL_RESET,		/* a count went down (a restart): the newer scrape alone */
	PROMQL_LIFETIME,	/* no older scrape: everything since the router started */
};

/* A counter's increase: cur - prev, or cur after a reset (cur < prev). */
double promql_counter_increase(double prev, double cur);

/*
 * The histogram of what was observed between two scrapes, into out (room
 * for ncur buckets). prev may be NULL (first scrape: LIFETIME). Both are
 * cumulative and sorted by le (as promql_histogram_quantile leaves them).
 * A reset, or buckets that do not line up (a bucket added or removed), uses
 * the newer scrape alone (RESET); an interval with no observations gives
 * all-zero counts, whose quantiles are NaN.
 */
enum promql_basis promql_histogram_increase(const struct promql_bucket *prev, size_t nprev,
					    const struct promql_bucket *cur, size_t ncur,
					    struct promql_bucket *out);

/* Sort buckets by le and merge equal bounds by adding their counts; returns the new count. */
size_t promql_buckets_normalise(struct promql_bucket *b, size_t n);

#endif
