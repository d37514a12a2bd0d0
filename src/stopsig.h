/*
 * SIGINT and SIGTERM as a request to stop: the handler sets a flag and
 * writes a byte to a self-pipe, so a loop sleeping in poll() on that pipe
 * wakes even when the signal lands just before the call. Handlers go in
 * without SA_RESTART, so poll() also returns EINTR. One owner at a time.
 */
#ifndef RT_STOPSIG_H
#define RT_STOPSIG_H

#include <signal.h>
#include <stdbool.h>

struct stopsig {
	int pipe[2];		/* read end, write end */
	struct sigaction old_int, old_term;
};

/* Install the handlers. Returns 0, or -1 with errno set (no pipe). */
int stopsig_install(struct stopsig *s);
/* Whether SIGINT or SIGTERM arrived since stopsig_install(). */
bool stopsig_caught(void);
/* The descriptor to poll: readable once a signal arrived. */
int stopsig_fd(const struct stopsig *s);
/* Put the previous handlers back and close the pipe. */
void stopsig_restore(struct stopsig *s);

#endif
