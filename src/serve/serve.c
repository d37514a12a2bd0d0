/*
 * `routertop serve`: the simulated router, headless, with its newest
 * snapshot over HTTP (GET/HEAD /metrics and /healthz).
 *
 * One thread and one loop, like the rest of routertop: libmicrohttpd runs
 * in external mode with epoll, so all its sockets sit behind one epoll
 * descriptor. That descriptor and the stop signals' self-pipe (stopsig.h,
 * the module the batch loop and the screen use) go into an epoll set of our
 * own, which is the extra descriptor source_wait() watches next to the
 * simulator's timers. Since the simulator and the server share
 * the thread, the snapshot needs no lock: it is rendered to JSON once when
 * it arrives and each request copies that text. (A server thread with a
 * mutex would also work, but it would be the only thread in the program and
 * every request would take the lock for nothing.)
 */
#include "serve/serve.h"
#include "serve/http.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "sanitize.h"
#include "stopsig.h"
#include "util.h"

#define SERVE_STEPS_PER_PASS 64	/* events per loop pass, so --speed max still serves */
#define SERVE_URL_LEN 128

/* Our epoll set: the server's own epoll descriptor and the signals' pipe. */
static int serve_wait_set(int mhd_fd, int sigfd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return -1;
	ev.data.fd = mhd_fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, mhd_fd, &ev) != 0)
		goto fail;
	ev.data.fd = sigfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sigfd, &ev) != 0)
		goto fail;
	return ep;
fail:
	close(ep);
	return -1;
}

static void serve_handle(struct serve_http *s, const struct source_event *ev)
{
	if (ev->kind == SOURCE_SNAPSHOT)
		serve_http_publish(s, &ev->snap, ev->wall_ms);
	else if (ev->kind == SOURCE_ERROR)
		sanitize_line(stderr, 0, "routertop: serve: %s", ev->message);
	/* Notices are for recordings; at the end the last snapshot stays served. */
}

static void serve_loop(struct serve_http *s, struct source *src, int wait_fd)
{
	struct source_event ev;

	while (!stopsig_caught()) {
		source_wait(src, wait_fd, serve_http_timeout_ms(s, clock_monotonic_ms()));
		if (stopsig_caught())
			return;
		for (int i = 0; i < SERVE_STEPS_PER_PASS; i++) {
			if (source_step(src, clock_monotonic_ms(), &ev) != 1)
				break;
			serve_handle(s, &ev);
		}
		serve_http_run(s, clock_monotonic_ms());
	}
}

int serve_run(const struct serve_options *o, const struct sim_options *sim)
{
	const char *listen_at = o->listen != NULL ? o->listen : SERVE_DEFAULT_LISTEN;
	char err[SOURCE_MSG_LEN], url[SERVE_URL_LEN];
	struct serve_http *s;
	struct source *src;
	struct stopsig stop;
	int wait_fd;

	src = source_sim_new(sim, err, sizeof(err));
	if (src == NULL) {
		sanitize_line(stderr, 0, "routertop: %s", err);
		return 3;
	}
	s = serve_http_start(listen_at, err, sizeof(err));
	if (s == NULL) {
		sanitize_line(stderr, 0, "routertop: %s", err);
		source_free(src);
		return 3;
	}
	if (stopsig_install(&stop, 0) < 0)
		fatal("serve: cannot watch for signals: %s", strerror(errno));
	wait_fd = serve_wait_set(serve_http_fd(s), stopsig_fd(&stop));
	if (wait_fd < 0)
		fatal("serve: cannot watch for signals: %s", strerror(errno));
	serve_http_url(s, url, sizeof(url));
	printf("listening on %s\n", url);
	fflush(stdout);
	serve_loop(s, src, wait_fd);
	close(wait_fd);
	stopsig_restore(&stop);
	serve_http_stop(s);
	source_free(src);
	return 0;
}
