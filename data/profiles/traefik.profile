# Traefik's Prometheus metrics (metrics.prometheus with addServicesLabels).
# One row per Traefik service. A service none of whose servers is up
# counts as an open breaker.
profile traefik
title Traefik services
detect traefik_service_requests_total
rows service service
latency histogram traefik_service_request_duration_seconds s
requests traefik_service_requests_total
failures traefik_service_requests_total{code=~"5.."}
timeouts traefik_service_requests_total{code="504"}
rate-limited traefik_service_requests_total{code="429"}
breaker traefik_service_server_up value sum 0=open >0=closed
