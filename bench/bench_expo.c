/*
 * Prometheus text benchmark, run by `make bench`. Prints one `name value
 * unit` line per measurement:
 *   expo_parse_mb_per_s   expo_parse on a 10 MB Envoy-like exposition
 *                         (goal: at least 200)
 * The exposition is made here the way Envoy's /stats/prometheus writes its
 * cluster statistics: a TYPE line per family, then one line per cluster,
 * histograms with Envoy's default buckets in milliseconds. Each figure is
 * the best of several rounds (the machine is shared).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/expo_gen.h"
#include "formats/expo.h"

#define TARGET_BYTES ((size_t)10 << 20)
#define ROUNDS 7

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	struct expo_gen_text t = expo_gen_envoy_bytes(TARGET_BYTES, 1);
	struct expo *e = expo_new();
	double best = 1e9;
	char err[256];

	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_s(), dt;

		if (expo_parse(e, t.text, t.len, NULL, err, sizeof(err)) != 0 ||
		    expo_error_count(e) != 0) {
			fprintf(stderr, "bench_expo: %s\n",
				expo_error_count(e) != 0 ? expo_error_at(e, 0) : err);
			return 1;
		}
		dt = now_s() - t0;
		if (dt < best)
			best = dt;
	}
	printf("expo_parse_mb_per_s %.0f MB/s\n", (double)t.len / 1e6 / best);
	fprintf(stderr, "bench_expo: %zu bytes, %zu series, %zu label sets\n", t.len,
		expo_series_count(e), expo_labelset_count(e));
	expo_free(e);
	free(t.text);
	return 0;
}
