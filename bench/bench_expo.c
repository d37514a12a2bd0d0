/*
 * Prometheus text benchmark, run by `make bench` (bench/README):
 *   expo_parse_mb_per_s          expo_parse on a 10 MB Envoy-like exposition
 *                                (goal: at least 200 MB/s)
 *   expo_scrape_to_snapshot_ms   one scrape of 10,000 series to a snapshot with
 *                                rows: parse, the envoy profile, rates and
 *                                percentiles against the scrape before
 *                                (goal: at most 20 ms)
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
#include "metrics.h"
#include "source/prom.h"

#define TARGET_BYTES ((size_t)10 << 20)
#define SNAPSHOT_SERIES 10000

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

/* Two consecutive scrapes of one Envoy, read in turn as a watch would. */
struct scrape_ctx {
	struct expo_gen_text text[2];
	struct prom_reader *r;
	struct metrics_snapshot snap;
	int64_t at_ms;
};

static uint64_t run_scrape(void *ctx, uint64_t n)
{
	struct scrape_ctx *c = ctx;
	char err[512];

	for (uint64_t i = 0; i < n; i++) {
		const struct expo_gen_text *t = &c->text[c->at_ms / 1000 % 2];

		c->at_ms += 1000;
		if (prom_reader_read(c->r, t->text, t->len, "text/plain; version=0.0.4", c->at_ms,
				     &c->snap, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_expo: %s\n", err);
			return 0;
		}
	}
	return n;
}

int main(void)
{
	struct bench b;
	struct parse_ctx c = { .text = expo_gen_envoy_bytes(TARGET_BYTES, 1), .e = expo_new() };
	struct bench_spec parse = {
		.name = "expo_parse_mb_per_s", .unit = "MB/s", .kind = BENCH_MB_PER_S,
		.run = run_parse, .ctx = &c,
	};

	struct source_text_options envoy = { .profile = "envoy" };
	struct scrape_ctx sc = {
		.text = { expo_gen_envoy_series(SNAPSHOT_SERIES, 1), expo_gen_envoy_series(SNAPSHOT_SERIES, 2) },
	};
	struct bench_spec scrape = {
		.name = "expo_scrape_to_snapshot_ms", .unit = "ms", .kind = BENCH_MS_PER_OP,
		.run = run_scrape, .ctx = &sc,
	};
	char err[256];

	bench_init(&b, "bench_expo");
	fprintf(stderr, "# bench_expo: %zu bytes, %zu series, %d clusters\n", c.text.len,
		c.text.series, c.text.clusters);
	bench_measure(&b, &parse, NULL);
	sc.r = prom_reader_new(&envoy, err, sizeof(err));
	if (sc.r == NULL) {
		fprintf(stderr, "bench_expo: %s\n", err);
		return 1;
	}
	metrics_init(&sc.snap);
	fprintf(stderr, "# bench_expo: a scrape of %zu series, %d clusters\n", sc.text[0].series,
		sc.text[0].clusters);
	bench_measure(&b, &scrape, NULL);
	metrics_free(&sc.snap);
	prom_reader_free(sc.r);
	free(sc.text[0].text);
	free(sc.text[1].text);
	expo_free(c.e);
	free(c.text.text);
	return bench_finish(&b);
}
