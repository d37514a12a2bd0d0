/* `routertop serve`: the simulated router's metrics over HTTP. */
#ifndef RT_SERVE_SERVE_H
#define RT_SERVE_SERVE_H

#include "source/source.h"

#define SERVE_DEFAULT_LISTEN "127.0.0.1:8080"

struct serve_options {
	const char *listen;	/* "ADDR:PORT"; port 0 picks a free port and prints it */
};

/*
 * Serve GET/HEAD /metrics and /healthz until a stop signal (stopsig.h: SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT, SIGUSR1), driving the
 * simulator and the HTTP side (serve/http.h) from one loop. Returns the
 * exit status.
 */
int serve_run(const struct serve_options *o, const struct sim_options *sim);

#endif
