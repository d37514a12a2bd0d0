# HAProxy's built-in Prometheus exporter (http-request use-service
# prometheus-exporter). One row per backend. HAProxy keeps no latency
# histogram: latency is its average over the last 1024 requests and the
# maximum it saw, so percentiles are n/a. A backend whose servers are all
# down (status DOWN) counts as an open breaker.
profile haproxy
title HAProxy backends (latency: averages only)
detect haproxy_backend_http_requests_total
rows proxy backend
latency average haproxy_backend_total_time_average_seconds s
max haproxy_backend_max_total_time_seconds s
requests haproxy_backend_http_requests_total
failures haproxy_backend_http_responses_total{code="5xx"}
breaker haproxy_backend_status label state UP=closed DOWN=open MAINT=open NOLB=half-open DRAIN=half-open
