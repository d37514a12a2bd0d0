/* Stop requests by signal; see stopsig.h. */
#include "stopsig.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* A signal handler can reach nothing else: these two are the process-wide state. */
static volatile sig_atomic_t stop_caught;
static volatile sig_atomic_t stop_wake_fd = -1;

static void stopsig_on_signal(int sig)
{
	int saved = errno;
	ssize_t r;

	(void)sig;
	stop_caught = 1;
	if (stop_wake_fd >= 0) {
		r = write(stop_wake_fd, "x", 1);
		(void)r;
	}
	errno = saved;
}

int stopsig_install(struct stopsig *s)
{
	struct sigaction sa;

	if (pipe(s->pipe) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(s->pipe[i], F_SETFL, fcntl(s->pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(s->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	stop_caught = 0;
	stop_wake_fd = s->pipe[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stopsig_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: poll() must return EINTR */
	sigaction(SIGINT, &sa, &s->old_int);
	sigaction(SIGTERM, &sa, &s->old_term);
	return 0;
}

bool stopsig_caught(void)
{
	return stop_caught != 0;
}

int stopsig_fd(const struct stopsig *s)
{
	return s->pipe[0];
}

void stopsig_restore(struct stopsig *s)
{
	sigaction(SIGINT, &s->old_int, NULL);
	sigaction(SIGTERM, &s->old_term, NULL);
	stop_wake_fd = -1;
	close(s->pipe[0]);
	close(s->pipe[1]);
}
