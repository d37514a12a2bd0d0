/* `routertop serve`: the simulated router's metrics over HTTP. */
#ifndef RT_SERVE_H
#define RT_SERVE_H

#include "source.h"

struct serve_options {
	const char *listen;	/* "ADDR:PORT"; port 0 picks a free port and prints it */
};

/* Serve GET/HEAD /metrics and /healthz until SIGINT/SIGTERM. Returns the exit status. */
int serve_run(const struct serve_options *o, const struct sim_options *sim);

#endif
