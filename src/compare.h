/*
 * `routertop compare A B`: two recordings, or two time ranges of one
 * (FILE@FROM..TO), side by side, as a regression gate for load tests in
 * CI. For the router and every row, each target's median and worst value
 * (P95, P99, throughput, error rate, recovery time) in A and in B, the
 * change, and a verdict: better, same (within the tolerance), worse, or
 * much worse (beyond twice the tolerance). Each side is read by the
 * summary's lean reader (summary.h).
 */
#ifndef RT_COMPARE_H
#define RT_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"
#include "targets.h"

/* A side: a file ("-" is standard input) and the stretch of it to take. */
struct compare_side {
	char path[4096];
	int64_t from_ms, to_ms;	/* after the first snapshot; 0 and INT64_MAX: all of it */
	bool ranged;
};

/*
 * Parse "FILE" or "FILE@FROM..TO" (FROM and TO durations after the first
 * snapshot, e.g. 10m..20m; either may be left out). A name with an '@'
 * that is not followed by a range is taken whole. Returns 0, or -1 with a
 * message in err.
 */
int compare_side_parse(const char *spec, struct compare_side *out, char *err, size_t errlen);

/*
 * Compare A with B against ts, print to out as text or json, and return
 * the exit status: 0 when B is nowhere worse than A by more than
 * tolerance (a fraction, 0.10 = 10 %), 1 when it is worse but within
 * twice the tolerance, 2 beyond that, 3 when a side cannot be read or has
 * no snapshot (message on err).
 */
int compare_run(const struct compare_side *a, const struct compare_side *b, double tolerance,
		enum output_format fmt, const struct target_set *ts, FILE *out, FILE *err);

#endif
