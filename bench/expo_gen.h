/*
 * Synthetic expositions for benchmarks: what Envoy's /stats/prometheus
 * writes for its cluster statistics (a TYPE line per family, one line per
 * cluster, histograms in milliseconds with Envoy's default buckets).
 * Deterministic: the same arguments give the same bytes, and a later scrape
 * number gives counters that only grew, as a live Envoy would.
 */
#ifndef RT_BENCH_EXPO_GEN_H
#define RT_BENCH_EXPO_GEN_H

#include <stddef.h>

struct expo_gen_text {
	char *text;	/* malloc'd, NUL-terminated; the caller frees it */
	size_t len;
	size_t series;	/* sample lines written */
	int clusters;
};

/* Scrape number `scrape` (1, 2, ...) of an Envoy with `clusters` clusters. */
struct expo_gen_text expo_gen_envoy(int clusters, int scrape);
/* The same with as many clusters as make about `bytes` bytes. */
struct expo_gen_text expo_gen_envoy_bytes(size_t bytes, int scrape);
/* The same with as many clusters as make about `series` sample lines. */
struct expo_gen_text expo_gen_envoy_series(size_t series, int scrape);

#endif
