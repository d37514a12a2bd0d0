# Istio's standard metrics, from a sidecar or a gateway (Envoy's
# /stats/prometheus, or the merged metrics on port 15020). One row per
# destination service. Istio exposes no breaker state: its response flags
# count what circuit breaking (UO), timeouts (UT) and rate limits (RL) did.
profile istio
title Istio services
detect istio_requests_total
rows destination_service service
latency histogram istio_request_duration_milliseconds ms
requests istio_requests_total
failures istio_requests_total{response_code=~"5.."}
timeouts istio_requests_total{response_flags="UT"}
rate-limited istio_requests_total{response_flags="RL"}
breaker-rejections istio_requests_total{response_flags="UO"}
