/*
 * A router profile applied to one parsed exposition: the router's rows
 * (one per value of the row label) with their cumulative counters, merged
 * histogram buckets, summary quantiles, gauges and breaker state, as they
 * stood at that scrape. Rates and percentiles over an interval come from
 * two consecutive scrapes (router_snapshot in source code that has both).
 *
 * Everything a router does not expose stays unknown (NAN, or
 * BREAKER_UNKNOWN), never 0. Latencies are converted to milliseconds here,
 * bucket bounds included. Row names are the label values as the router
 * wrote them: outside text, to be sanitised before any sink.
 */
#ifndef RT_FORMATS_ROUTER_H
#define RT_FORMATS_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/expo.h"
#include "formats/profile.h"
#include "formats/promql.h"
#include "metrics.h"

#define ROUTER_QUANTILES 5	/* p50 p90 p95 p99 p999 */
#define ROUTER_WORD_LEN 32
/* Most rows one scrape yields; more is an error (as in a snapshot). */
#define ROUTER_ROWS_MAX METRICS_ROWS_MAX
/* Most distinct bucket bounds one row's histogram may have. */
#define ROUTER_BUCKETS_MAX 256

extern const double router_quantiles[ROUTER_QUANTILES];	/* 0.5 0.9 0.95 0.99 0.999 */

struct router_row {
	char *name;			/* the row label's value, owned by the scrape */
	double requests;		/* cumulative; NAN when not exposed */
	double failed;			/* cumulative failed requests; NAN when not exposed */
	double errors[PROFILE_CLASSES];	/* cumulative; NAN when not exposed */
	double lat_sum_ms, lat_count;	/* the histogram's or summary's _sum and _count */
	struct promql_bucket *buckets;	/* cumulative, le in ms, sorted; nbuckets 0: none */
	size_t nbuckets, buckets_cap;
	double quantile_ms[ROUTER_QUANTILES];	/* a summary's, as given; NAN when absent */
	double avg_ms;			/* an average gauge (latency average); NAN when absent */
	double max_ms;			/* a max gauge; NAN when absent */
	enum breaker_state breaker;
	/* The router's own word for the state when it differs from the state's
	 * name ("forced_open", "DOWN"); "" when it does not. */
	char breaker_word[ROUTER_WORD_LEN];
	/* Scratch while reading; meaningless after router_read returns. */
	size_t name_off;
	unsigned quantile_seen, quantile_clash;	/* bit i: quantile i seen, seen twice */
	int avg_seen;
	bool buckets_over;
	double agg;
	int agg_n;
};

struct router_scrape {
	struct router_row *rows;	/* in the order the exposition first named them */
	size_t nrows, rows_cap;
	uint32_t *slots;		/* hash of row names -> index + 1 */
	size_t slots_cap;
	/* Which parts of the profile the exposition had (for "n/a" and "missing"). */
	bool has_requests, has_latency, has_buckets;
};

/* Prepare an empty scrape (all zero is fine too); router_scrape_free releases it. */
void router_scrape_init(struct router_scrape *s);
void router_scrape_free(struct router_scrape *s);
/* Exchange two scrapes (the newer becomes the older without copying). */
void router_scrape_swap(struct router_scrape *a, struct router_scrape *b);

/*
 * Apply profile p to exposition e, filling *out (reused: its memory is kept
 * from scrape to scrape). row_label overrides the profile's row label when
 * not NULL ("--by"); selectors with a row label of their own are then left
 * out. Returns 0, or -1 with a one-line message in err when the exposition
 * has none of the profile's families (naming what was missing) or more
 * than ROUTER_ROWS_MAX rows.
 */
int router_read(struct router_scrape *out, const struct profile *p, const char *row_label,
		const struct expo *e, char *err, size_t errlen);

/*
 * The first built-in profile (in profile_builtins order) whose `detect`
 * metrics are all in e, loaded into *out. Returns 0, or -1 with a message
 * naming the profiles tried when none fits.
 */
int router_detect(const struct expo *e, struct profile *out, char *err, size_t errlen);

/* The row named name, or NULL (a hash lookup). */
const struct router_row *router_row_find(const struct router_scrape *s, const char *name);

#endif
