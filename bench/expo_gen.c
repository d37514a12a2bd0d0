/* Synthetic Envoy expositions for the benchmarks; see expo_gen.h. */
#include "bench/expo_gen.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const char *const gen_counters[] = {
	"upstream_cx_total", "upstream_cx_http1_total", "upstream_cx_http2_total",
	"upstream_cx_connect_fail", "upstream_cx_connect_timeout", "upstream_cx_destroy",
	"upstream_cx_destroy_local", "upstream_cx_destroy_remote", "upstream_cx_rx_bytes_total",
	"upstream_cx_tx_bytes_total", "upstream_cx_overflow", "upstream_rq_total",
	"upstream_rq_completed", "upstream_rq_timeout", "upstream_rq_per_try_timeout",
	"upstream_rq_pending_total", "upstream_rq_pending_overflow",
	"upstream_rq_pending_failure_eject", "upstream_rq_cancelled", "upstream_rq_retry",
	"upstream_rq_retry_success", "upstream_rq_retry_overflow", "upstream_rq_rx_reset",
	"upstream_rq_tx_reset", "lb_healthy_panic", "membership_change", "update_attempt",
	"update_success", "update_failure", "retry_or_shadow_abandoned",
	"outlier_detection_ejections_enforced_total", "outlier_detection_ejections_overflow",
	"outlier_detection_ejections_consecutive_5xx",
};
static const char *const gen_gauges[] = {
	"upstream_cx_active", "upstream_rq_active", "upstream_rq_pending_active",
	"membership_healthy", "membership_total", "max_host_weight",
	"circuit_breakers_default_cx_open", "circuit_breakers_default_rq_open",
	"circuit_breakers_default_rq_pending_open", "circuit_breakers_default_rq_retry_open",
	"circuit_breakers_default_remaining_rq", "outlier_detection_ejections_active",
};
static const char *const gen_histograms[] = {
	"upstream_rq_time", "upstream_cx_connect_ms", "upstream_cx_length_ms",
};
static const char *const gen_buckets[] = {
	"0.5", "1", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000",
	"10000", "30000", "60000", "300000", "600000", "1800000", "3600000", "+Inf",
};
#define NBUCKETS (sizeof(gen_buckets) / sizeof(gen_buckets[0]))

/* A counter of cluster c at scrape s: grows with s, differs by cluster and family. */
static uint64_t gen_count(int c, int f, int s)
{
	uint64_t base = (uint64_t)(c * 7919 + f * 104729) % 100000;

	return base + (uint64_t)s * (uint64_t)(10 + (c + f) % 90);
}

static void gen_cluster_name(char *buf, size_t len, int c)
{
	snprintf(buf, len, "service_%04d.backend.svc.cluster.local", c);
}

struct expo_gen_text expo_gen_envoy(int clusters, int scrape)
{
	struct bench_text b = { 0 };
	size_t series = 0;
	char name[96];
	int f = 0;

	for (size_t i = 0; i < sizeof(gen_counters) / sizeof(gen_counters[0]); i++, f++) {
		bench_text_printf(&b, "# TYPE envoy_cluster_%s counter\n", gen_counters[i]);
		for (int c = 0; c < clusters; c++, series++) {
			gen_cluster_name(name, sizeof(name), c);
			bench_text_printf(&b, "envoy_cluster_%s{envoy_cluster_name=\"%s\"} %llu\n",
					  gen_counters[i], name, (unsigned long long)gen_count(c, f, scrape));
		}
	}
	bench_text_printf(&b, "# TYPE envoy_cluster_upstream_rq_xx counter\n");
	for (int c = 0; c < clusters; c++) {
		gen_cluster_name(name, sizeof(name), c);
		for (int k = 2; k <= 5; k++, series++)
			bench_text_printf(&b, "envoy_cluster_upstream_rq_xx{envoy_response_code_class=\"%d\","
					  "envoy_cluster_name=\"%s\"} %llu\n", k, name,
					  (unsigned long long)gen_count(c, f + k, scrape) / (k == 2 ? 1 : 50));
	}
	for (size_t i = 0; i < sizeof(gen_gauges) / sizeof(gen_gauges[0]); i++, f++) {
		bench_text_printf(&b, "# TYPE envoy_cluster_%s gauge\n", gen_gauges[i]);
		for (int c = 0; c < clusters; c++, series++) {
			gen_cluster_name(name, sizeof(name), c);
			bench_text_printf(&b, "envoy_cluster_%s{envoy_cluster_name=\"%s\"} %d\n", gen_gauges[i],
					  name, (c + f) % 7 == 0 ? 1 : 0);
		}
	}
	for (size_t i = 0; i < sizeof(gen_histograms) / sizeof(gen_histograms[0]); i++, f++) {
		bench_text_printf(&b, "# TYPE envoy_cluster_%s histogram\n", gen_histograms[i]);
		for (int c = 0; c < clusters; c++) {
			uint64_t total = gen_count(c, f, scrape), cum = 0;

			gen_cluster_name(name, sizeof(name), c);
			for (size_t k = 0; k < NBUCKETS; k++, series++) {
				/* About half of what is left falls in each bucket from the fourth on. */
				if (k + 1 == NBUCKETS)
					cum = total;
				else if (k >= 3)
					cum += (total - cum) / 2;
				bench_text_printf(&b, "envoy_cluster_%s_bucket{envoy_cluster_name=\"%s\",le=\"%s\"} %llu\n",
						  gen_histograms[i], name, gen_buckets[k], (unsigned long long)cum);
			}
			bench_text_printf(&b, "envoy_cluster_%s_sum{envoy_cluster_name=\"%s\"} %.1f\n",
					  gen_histograms[i], name, (double)total * 37.5);
			bench_text_printf(&b, "envoy_cluster_%s_count{envoy_cluster_name=\"%s\"} %llu\n",
					  gen_histograms[i], name, (unsigned long long)total);
			series += 2;
		}
	}
	return (struct expo_gen_text){ .text = b.buf, .len = b.len, .series = series,
				       .clusters = clusters };
}

struct expo_gen_text expo_gen_envoy_bytes(size_t bytes, int scrape)
{
	struct expo_gen_text one = expo_gen_envoy(10, scrape);
	int clusters = (int)(bytes / (one.len / 10));

	free(one.text);
	return expo_gen_envoy(clusters > 0 ? clusters : 1, scrape);
}

struct expo_gen_text expo_gen_envoy_series(size_t series, int scrape)
{
	struct expo_gen_text one = expo_gen_envoy(10, scrape);
	int clusters = (int)(series / (one.series / 10));

	free(one.text);
	return expo_gen_envoy(clusters > 0 ? clusters : 1, scrape);
}
