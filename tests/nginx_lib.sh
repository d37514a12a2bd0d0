# A real nginx for the tail tests (sourced after tests/tap.sh). nginx_start
# writes a configuration into $tmp and starts nginx on loopback ports it
# picks: a front server that writes $tmp/access.log in the nginx-timed
# format and proxies /fast/, /slow/ and /fail/ to three backends of its own
# (return 200; a 24 KB file sent at 16 KB/s; return 500). Every path nginx
# writes (pid, logs, temp files) is inside $tmp, so it runs as root or not.
# The caller's EXIT trap must call nginx_stop.

# The log_format of nginx-timed, as the man page gives it for nginx.conf.
NGINX_TIMED='$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time $upstream_response_time $upstream_addr'

command -v nginx >/dev/null 2>&1 || bail_out "nginx is not installed (tools/install-deps installs nginx-light)"

nginx_conf() { # FRONT FAST SLOW FAIL
	cat <<CONF
worker_processes 2;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events { worker_connections 256; }
http {
	client_body_temp_path $tmp/temp/body;
	proxy_temp_path $tmp/temp/proxy;
	fastcgi_temp_path $tmp/temp/fastcgi;
	uwsgi_temp_path $tmp/temp/uwsgi;
	scgi_temp_path $tmp/temp/scgi;
	access_log off;
	log_format timed '$NGINX_TIMED';
	server { listen 127.0.0.1:$2; location / { return 200 "fast\n"; } }
	server { listen 127.0.0.1:$3; root $tmp/www; limit_rate 16k; }
	server { listen 127.0.0.1:$4; location / { return 500; } }
	server {
		listen 127.0.0.1:$1;
		access_log $tmp/access.log timed;
		location /fast/ { proxy_pass http://127.0.0.1:$2; }
		location /slow/ { proxy_pass http://127.0.0.1:$3; }
		location /fail/ { proxy_pass http://127.0.0.1:$4; }
	}
}
CONF
}

# nginx_start: sets front, fast_port, slow_port, fail_port. Retries other
# ports when one is taken (at most 20 tries).
nginx_start() {
	chmod 755 "$tmp"
	mkdir -p "$tmp/temp" "$tmp/www/slow"
	chmod 777 "$tmp/temp"
	head -c 24576 /dev/zero | tr '\0' 'x' >"$tmp/www/slow/x"
	chmod -R a+rX "$tmp/www"
	try=0
	while [ $try -lt 20 ]; do
		base=$((20000 + ($$ * 13 + try * 167) % 40000))
		front=$base fast_port=$((base + 1)) slow_port=$((base + 2)) fail_port=$((base + 3))
		nginx_conf $front $fast_port $slow_port $fail_port >"$tmp/nginx.conf"
		if nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" 2>>"$tmp/start.err"; then
			return 0
		fi
		try=$((try + 1))
	done
	cat "$tmp/start.err" >&2
	return 1
}

nginx_stop() {
	[ -f "$tmp/nginx.pid" ] && nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" -s stop 2>/dev/null
	# Bounded wait for the master to be gone, so $tmp can be removed.
	i=0
	while [ -f "$tmp/nginx.pid" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

nginx_reopen() {
	nginx -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" -s reopen
}

# load PATH COUNT CONCURRENCY: requests to the front server (tests/http_load).
load() {
	"$RT_BUILDDIR/tests/http_load" "http://127.0.0.1:$front$1" "$2" "$3" >>"$tmp/load.out"
}

# wait_lines FILE N: until FILE has N lines (10 s at most).
wait_lines() {
	i=0
	while [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -lt "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(wc -l <"$1")" -eq "$2" ]
}
