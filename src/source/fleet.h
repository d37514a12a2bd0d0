/*
 * Internals of the fleet source (source/fleet.c) that its tests and the
 * bench reach directly: a router profile turned into the query builder's
 * families, and the answers of one interval turned into a snapshot
 * (fleetsnap.c). Everything else goes through source_fleet_new().
 *
 * Two levels, each from two plans (formats/promquery.h):
 *   the fleet      rows = instances, from the fleet plan (by BY); the whole
 *                  from the total plan; the whole's breaker is the worst of
 *                  the instances', with how many are open and how many down.
 *   one instance   its own figures from the fleet plan narrowed to it
 *                  (BY="it"); its rows (upstreams) from the rows plan.
 * An instance's breaker is the worst of its rows' (the profile's rules map
 * each series to a state), with how many of them are open. Rows are sorted
 * by name; a label value the funnel had to change, and so might clash with
 * another, gets " #2", " #3" ... so names stay unique.
 */
#ifndef RT_SOURCE_FLEET_H
#define RT_SOURCE_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "formats/profile.h"
#include "formats/promapi.h"
#include "formats/promquery.h"
#include "metrics.h"

/* Copy what the query builder needs of a profile: the layouts match field by field. */
void fleet_families(const struct profile *p, struct promquery_families *out);

/* The answers to one plan, in its order; ans[i] NULL where query i failed. */
struct fleet_answers {
	const struct promquery_plan *plan;
	const struct promapi_answer *const *ans;
};

/*
 * The instances `up` has named since the start, so one that stops being
 * scraped (or leaves Prometheus' targets) stays in the list as down
 * instead of vanishing. Owns its strings; zeroed is empty.
 */
struct fleet_seen {
	char **names;
	size_t n, cap;
	size_t *slots;		/* open addressing: index + 1 into names, 0 free */
	size_t nslots;
};
void fleet_seen_free(struct fleet_seen *s);

/* Scratch reused from one snapshot to the next; zeroed is empty. */
struct fleet_builder {
	const char **keys;	/* open addressing over row keys (label values) */
	int *vals;
	size_t nslots;
	struct fleet_row_scratch *rows;
	size_t rows_cap;
};
void fleet_builder_free(struct fleet_builder *b);

/* What the builders need to know besides the answers. */
struct fleet_view {
	const struct profile *profile;	/* units, breaker rules */
	const char *instance_noun;	/* "instance" (or the --by label) */
	const char *row_noun;		/* the profile's: "upstream", "cluster" */
};

/*
 * The fleet level into out (valid; cleared first): one row per instance
 * of fleet's answers, the whole from total's (either may be NULL: no such
 * answers). at: the time of a range's point (seconds since the epoch), or
 * NAN for instant answers. seen (NULL: none) adds every instance `up`
 * names and keeps those it no longer names as down rows.
 */
void fleet_build_fleet(struct fleet_builder *b, const struct fleet_view *v,
		       const struct fleet_answers *fleet, const struct fleet_answers *total,
		       struct fleet_seen *seen, double at, struct metrics_snapshot *out);

/* One instance into out: its own figures from inst's answers, its rows from rows' answers. */
void fleet_build_instance(struct fleet_builder *b, const struct fleet_view *v,
			  const struct fleet_answers *inst, const struct fleet_answers *rows,
			  double at, struct metrics_snapshot *out);

#endif
