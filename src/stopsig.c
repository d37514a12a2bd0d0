/* Signals as requests to the loop; see stopsig.h. */
#include "stopsig.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* In the order of struct stopsig's arrays; the last two only with STOPSIG_JOB_CONTROL. */
static const int stopsig_signals[STOPSIG_NSIG] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGTSTP, SIGCONT,
};
#define STOPSIG_STOPS 5

/* A signal handler can reach nothing else: these are the process-wide state. */
static volatile sig_atomic_t stop_caught, suspend_pending, continue_pending;
static volatile sig_atomic_t stop_wake_fd = -1;

static void stopsig_on_signal(int sig)
{
	int saved = errno;
	ssize_t r;

	if (sig == SIGTSTP)
		suspend_pending = 1;
	else if (sig == SIGCONT)
		continue_pending = 1;
	else if (stop_caught == 0)
		stop_caught = sig;
	if (stop_wake_fd >= 0) {
		r = write(stop_wake_fd, "x", 1);
		(void)r;
	}
	errno = saved;
}

int stopsig_install(struct stopsig *s, unsigned flags)
{
	int n = (flags & STOPSIG_JOB_CONTROL) ? STOPSIG_NSIG : STOPSIG_STOPS;
	struct sigaction sa;

	memset(s, 0, sizeof(*s));
	if (pipe(s->pipe) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(s->pipe[i], F_SETFL, fcntl(s->pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(s->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	s->flags = flags;
	stop_caught = suspend_pending = continue_pending = 0;
	stop_wake_fd = s->pipe[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stopsig_on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: poll() must return EINTR */
	for (int i = 0; i < n; i++) {
		sigaction(stopsig_signals[i], NULL, &s->old[i]);
		/* Ignored when we started (nohup, a background job): the caller meant it. */
		if (s->old[i].sa_handler == SIG_IGN && stopsig_signals[i] != SIGCONT)
			continue;
		sigaction(stopsig_signals[i], &sa, NULL);
		s->installed[i] = true;
	}
	return 0;
}

bool stopsig_caught(void)
{
	return stop_caught != 0;
}

int stopsig_signal(void)
{
	return stop_caught;
}

int stopsig_fd(const struct stopsig *s)
{
	return s->pipe[0];
}

static void stopsig_drain(struct stopsig *s)
{
	char buf[64];

	while (read(s->pipe[0], buf, sizeof(buf)) > 0)
		;
}

bool stopsig_take_suspend(struct stopsig *s)
{
	if (!suspend_pending)
		return false;
	suspend_pending = 0;
	stopsig_drain(s);
	return true;
}

bool stopsig_take_continue(struct stopsig *s)
{
	if (!continue_pending)
		return false;
	continue_pending = 0;
	stopsig_drain(s);
	return true;
}

void stopsig_suspend(struct stopsig *s)
{
	struct sigaction dfl, ours;

	(void)s;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	/* The default action stops the process here; raise() returns once it is continued. */
	sigaction(SIGTSTP, &dfl, &ours);
	raise(SIGTSTP);
	sigaction(SIGTSTP, &ours, NULL);
}

void stopsig_restore(struct stopsig *s)
{
	for (int i = 0; i < STOPSIG_NSIG; i++)
		if (s->installed[i])
			sigaction(stopsig_signals[i], &s->old[i], NULL);
	stop_wake_fd = -1;
	close(s->pipe[0]);
	close(s->pipe[1]);
}
