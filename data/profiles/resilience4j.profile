# resilience4j through Micrometer (Spring Boot's /actuator/prometheus).
# One row per circuit breaker. Calls are a Micrometer timer: its buckets
# give percentiles when the service publishes a percentile histogram,
# otherwise latency is the average and the _max gauge.
profile resilience4j
title resilience4j circuit breakers
detect resilience4j_circuitbreaker_state
rows name breaker
latency histogram resilience4j_circuitbreaker_calls_seconds s
max resilience4j_circuitbreaker_calls_seconds_max s
requests resilience4j_circuitbreaker_calls_seconds_count
failures resilience4j_circuitbreaker_calls_seconds_count{kind="failed"}
timeouts resilience4j_timelimiter_calls_total{kind="timeout"}
breaker-rejections resilience4j_circuitbreaker_not_permitted_calls_total
breaker resilience4j_circuitbreaker_state label state closed=closed open=open half_open=half-open forced_open=open disabled=closed metrics_only=closed
