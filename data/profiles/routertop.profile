# What `routertop serve` answers to a Prometheus scraper. One row per
# upstream of the simulated router.
profile routertop
title routertop serve
detect routertop_requests_total
rows upstream upstream
latency histogram routertop_request_duration_seconds s
requests routertop_requests_total
failed routertop_requests_failed_total
failures routertop_errors_total{class="failure"}
timeouts routertop_errors_total{class="timeout"}
rate-limited routertop_errors_total{class="rate_limited"}
breaker-rejections routertop_errors_total{class="breaker"}
validation routertop_errors_total{class="validation"}
breaker routertop_breaker_state label state closed=closed half_open=half-open open=open
