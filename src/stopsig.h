/*
 * Signals as requests to the one loop (the batch loop, the screen and serve
 * share this module). A handler only records the signal and writes a byte
 * to a self-pipe, so a loop sleeping in poll() on stopsig_fd() wakes even
 * when the signal lands just before the call; handlers go in without
 * SA_RESTART, so poll() also returns EINTR. One owner at a time: handlers
 * can reach nothing but process-wide state.
 *
 * Stop: SIGINT, SIGTERM, SIGHUP (the terminal went away), SIGQUIT (Ctrl-\)
 * and SIGUSR1 ask the loop to end through its normal door, so the screen
 * restores the terminal and a recording is closed whole. A signal the
 * process inherited as ignored (nohup, a background job) stays ignored.
 *
 * Job control, with STOPSIG_JOB_CONTROL (the screen): SIGTSTP (Ctrl-Z) asks
 * the loop to give the terminal back and then stop (stopsig_suspend);
 * SIGCONT, after any stop (Ctrl-Z, or SIGSTOP, which cannot be caught and
 * after which a shell may have put the terminal back to cooked mode), asks
 * it to take the terminal back and redraw. htop and tmux do the same.
 */
#ifndef RT_STOPSIG_H
#define RT_STOPSIG_H

#include <signal.h>
#include <stdbool.h>

#define STOPSIG_JOB_CONTROL 1u	/* also catch SIGTSTP and SIGCONT */
#define STOPSIG_NSIG 7		/* the signals this module may catch */

struct stopsig {
	int pipe[2];		/* read end, write end */
	unsigned flags;
	bool installed[STOPSIG_NSIG];
	struct sigaction old[STOPSIG_NSIG];
};

/* Install the handlers. Returns 0, or -1 with errno set (no pipe). */
int stopsig_install(struct stopsig *s, unsigned flags);
/* Whether a stop signal arrived since stopsig_install(). */
bool stopsig_caught(void);
/* Which one (SIGTERM, SIGHUP, ...), or 0. */
int stopsig_signal(void);
/* The descriptor to poll: readable once a signal arrived. */
int stopsig_fd(const struct stopsig *s);
/*
 * Whether SIGTSTP (or SIGCONT) arrived since the last call; each call
 * clears its request and empties the pipe, so poll() sleeps again.
 */
bool stopsig_take_suspend(struct stopsig *s);
bool stopsig_take_continue(struct stopsig *s);
/*
 * Stop the process as SIGTSTP's default action would, so the shell sees a
 * job stopped by Ctrl-Z; returns once it is continued. Call it after giving
 * the terminal back.
 */
void stopsig_suspend(struct stopsig *s);
/* Put the previous handlers back and close the pipe. */
void stopsig_restore(struct stopsig *s);

#endif
