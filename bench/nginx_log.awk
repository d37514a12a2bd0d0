# A synthetic nginx access log in the nginx-timed format (combined plus
# $request_time $upstream_response_time $upstream_addr), for the tail
# benchmark: `awk -v lines=N -f nginx_log.awk > access.log`. Deterministic
# (fixed seed), 500 requests a second of log time, 40 paths, 4 upstreams,
# 0.5 % of 5xx, latencies of 5 ms plus an exponential of mean 30 ms, so a
# whole-log evaluation meets the default targets (exit status 0).
BEGIN {
	srand(42)
	if (lines == "")
		lines = 1000000
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", mon, " ")
	for (i = 0; i < 40; i++)
		path[i] = sprintf("/api/v%d/%s/%d", i % 3 + 1, (i % 2 ? "users" : "orders"), i)
	agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
	for (n = 0; n < lines; n++) {
		s = int(n / 500)
		sec = s % 60; min = int(s / 60) % 60; hour = 10 + int(s / 3600)
		day = 1 + int(hour / 24); hour = hour % 24
		rt = 0.005 - 0.030 * log(1 - rand())
		status = rand() < 0.005 ? 502 : (rand() < 0.05 ? 404 : 200)
		printf "10.%d.%d.%d - - [%02d/%s/2024:%02d:%02d:%02d +0000] \"GET %s HTTP/1.1\" %d %d \"https://example.com/\" \"%s\" %.3f %.3f 10.0.0.%d:8080\n", \
			n % 7, n % 13, n % 250, day, mon[3], hour, min, sec, path[n % 40], status, \
			200 + n % 5000, agent, rt + 0.001, rt, n % 4 + 1
	}
}
