/*
 * What `routertop serve` answers to a Prometheus scraper: the snapshot as
 * routertop_* metric families, one series per upstream (the snapshot's
 * rows, or its aggregate as upstream "default" when it has none):
 *
 *   routertop_request_duration_seconds  histogram, buckets 1 ms .. 60 s
 *   routertop_requests_total            counter, requests routed
 *   routertop_requests_failed_total     counter, failed whatever the cause
 *   routertop_errors_total{class}       counter: timeout, failure,
 *                                       rate_limited, breaker, validation
 *   routertop_breaker_state{state}      gauge, 1 for the current state of
 *                                       closed, half_open, open
 *
 * What the snapshot does not know is left out, never written as 0. The
 * built-in profile data/profiles/routertop.profile reads exactly this.
 */
#ifndef RT_SERVE_PROMTEXT_H
#define RT_SERVE_PROMTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "metrics.h"

/*
 * The text for s: Prometheus 0.0.4, or OpenMetrics 1.0 (with `# EOF`) when
 * openmetrics is set. The caller frees it; *len is its length. Never NULL.
 */
char *serve_promtext(const struct metrics_snapshot *s, bool openmetrics, size_t *len);

#endif
