/*
 * Prometheus text benchmark, run by `make bench` (bench/README):
 *   expo_parse_mb_per_s   expo_parse on a 10 MB Envoy-like exposition
 *                         (goal: at least 200 MB/s)
 * The exposition is made here (bench/expo_gen.c) the way Envoy's
 * /stats/prometheus writes its cluster statistics: a TYPE line per family,
 * then one line per cluster, histograms with Envoy's default buckets in
 * milliseconds. The parser reuses one struct expo, as a source does from
 * scrape to scrape.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "bench/expo_gen.h"
#include "formats/expo.h"

#define TARGET_BYTES ((size_t)10 << 20)

struct parse_ctx {
	struct expo_gen_text text;
	struct expo *e;
};

static uint64_t run_parse(void *ctx, uint64_t n)
{
	struct parse_ctx *c = ctx;
	char err[256];

	for (uint64_t i = 0; i < n; i++) {
		if (expo_parse(c->e, c->text.text, c->text.len, NULL, err, sizeof(err)) != 0 ||
		    expo_error_count(c->e) != 0)
			return 0;
	}
	return n * c->text.len;
}

int main(void)
{
	struct bench b;
	struct parse_ctx c = { .text = expo_gen_envoy_bytes(TARGET_BYTES, 1), .e = expo_new() };
	struct bench_spec parse = {
		.name = "expo_parse_mb_per_s", .unit = "MB/s", .kind = BENCH_MB_PER_S,
		.run = run_parse, .ctx = &c,
	};

	bench_init(&b, "bench_expo");
	fprintf(stderr, "# bench_expo: %zu bytes, %zu series, %d clusters\n", c.text.len,
		c.text.series, c.text.clusters);
	bench_measure(&b, &parse, NULL);
	expo_free(c.e);
	free(c.text.text);
	return bench_finish(&b);
}
