# The ingress-nginx controller's metrics (port 10254, /metrics). One row
# per Ingress. nginx's limit_req answers 503 unless limit-req-status-code
# says 429; only 429s count as rate-limited here.
profile ingress-nginx
title ingress-nginx ingresses
detect nginx_ingress_controller_requests
rows ingress ingress
latency histogram nginx_ingress_controller_request_duration_seconds s
requests nginx_ingress_controller_requests
failures nginx_ingress_controller_requests{status=~"5.."}
timeouts nginx_ingress_controller_requests{status="504"}
rate-limited nginx_ingress_controller_requests{status="429"}
