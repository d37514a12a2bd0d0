# Envoy cluster statistics as the admin endpoint writes them
# (GET /stats/prometheus; Envoy's "Cluster statistics" reference).
# One row per upstream cluster. upstream_rq_time is a histogram in ms.
profile envoy
title Envoy clusters
detect envoy_cluster_upstream_rq_total
rows envoy_cluster_name cluster
latency histogram envoy_cluster_upstream_rq_time ms
requests envoy_cluster_upstream_rq_total
failures envoy_cluster_upstream_rq_xx{envoy_response_code_class="5"}
timeouts envoy_cluster_upstream_rq_timeout
rate-limited envoy_cluster_ratelimit_over_limit
# Requests failed by the connection-pool and request circuit breakers.
breaker-rejections envoy_cluster_upstream_rq_pending_overflow
# circuit_breakers.default.rq_open is 1 while the request breaker is at
# capacity; hosts ejected by outlier detection leave the cluster degraded.
breaker envoy_cluster_circuit_breakers_default_rq_open value max 0=closed 1=open
breaker envoy_cluster_outlier_detection_ejections_active value max 0=closed >0=half-open
