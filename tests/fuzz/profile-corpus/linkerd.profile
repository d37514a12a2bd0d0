# The Linkerd proxy's metrics (port 4191, /metrics), outbound traffic.
# One row per destination service. Linkerd breaks circuits per endpoint
# (failure accrual): endpoints it took out are "pending" in
# outbound_http_balancer_endpoints, which names the service backend_name.
profile linkerd
title Linkerd outbound traffic
detect request_total response_latency_ms_bucket
rows dst_service service
latency histogram response_latency_ms{direction="outbound"} ms
requests request_total{direction="outbound"}
failures response_total{direction="outbound",classification="failure"}
breaker outbound_http_balancer_endpoints{endpoint_state="ready"} row=backend_name value sum 0=open >0=closed
breaker outbound_http_balancer_endpoints{endpoint_state="pending"} row=backend_name value sum 0=closed >0=half-open
