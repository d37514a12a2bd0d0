/*
 * Snapshots as timestamped OpenMetrics text (--format openmetrics), for
 * `promtool tsdb create-blocks-from openmetrics` and so Prometheus and
 * Grafana. The families are named as `routertop serve` names them
 * (routertop_*, one series per upstream: the snapshot's rows, or its
 * aggregate as upstream "default" when it has none), plus gauges for what
 * a recorded snapshot carries and a scrape does not (percentiles,
 * throughput, the breaker's failure rate):
 *
 *   routertop_request_duration_seconds{upstream}   histogram, buckets 1 ms .. 60 s, when
 *                                                           the source counts requests (sim)
 *   routertop_requests_total{upstream}             counter  requests.total
 *   routertop_requests_failed_total{upstream}      counter  requests.failed
 *   routertop_errors_total{upstream,class}         counter  timeout, failure,
 *                                                           rate_limited, breaker, validation
 *   routertop_breaker_state{upstream,state}        gauge    1 for the state, else 0
 *   routertop_latency_seconds{upstream,percentile} gauge    p50 p90 p95 p99 p999
 *   routertop_throughput_requests_per_second{upstream}  gauge
 *   routertop_breaker_failure_ratio{upstream}      gauge
 *
 * Every sample carries the snapshot's time. What a snapshot does not know
 * is left out, never written as 0. The metadata comes once, first; each
 * snapshot then adds one sample to each series, so the text of a long run
 * is a stream (promtool takes families in any order).
 */
#ifndef RT_OPENMETRICS_H
#define RT_OPENMETRICS_H

#include <stdint.h>
#include <stdio.h>

#include "metrics.h"

/* The HELP, TYPE and UNIT lines of every family. */
void openmetrics_header(FILE *out);
/* One sample per known series of s, timestamped wall_ms (ms since the epoch). */
void openmetrics_snapshot(FILE *out, const struct metrics_snapshot *s, int64_t wall_ms);
/* The closing "# EOF". */
void openmetrics_eof(FILE *out);

#endif
