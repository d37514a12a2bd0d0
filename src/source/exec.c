/*
 * The "exec" source: every interval, run a command with /bin/sh -c and read
 * one metrics snapshot from its standard output: the wire JSON, or
 * Prometheus text through a router profile (source/prom.h), told apart by
 * the content unless --input says.
 *
 * The child runs in a process group of its own with stdin on /dev/null and
 * stdout and stderr on two non-blocking pipes that the event loop polls.
 * Stdout (capped at max_body) is the snapshot; stderr is kept (first line,
 * capped) for the error message, so a failing command never scribbles over
 * the screen. A run ends when stdout reaches end of file and the child has
 * been reaped, or early when the output goes over the cap or the run goes
 * past the timeout: then the whole process group is killed with SIGKILL.
 * The child is reaped with WNOHANG from step(), polled every
 * EXEC_REAP_POLL_MS, so the loop never blocks and no zombie is left.
 */
#include "source/source.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sanitize.h"
#include "source/prom.h"
#include "util.h"

#define EXEC_REAP_POLL_MS 10
#define EXEC_STDERR_MAX 256
#define EXEC_DESCRIBE_MAX 48
#define EXEC_READ_CHUNK 65536

/* Why a run was cut short, if it was. */
enum exec_cut { CUT_NONE, CUT_TIMEOUT, CUT_OVERSIZE };

struct exec_source {
	char *command;
	int64_t interval_ms, timeout_ms;
	size_t max_body;
	bool paused;

	pid_t pid;		/* -1 when no run is in progress */
	int out_fd, err_fd;	/* -1 once at end of file or closed */
	int status;		/* wait status, valid once reaped */
	bool reaped;
	enum exec_cut cut;
	int64_t started_ms, next_run_ms;
	struct metrics_snapshot snap;	/* the last parsed output, lent in events */
	enum source_input input;
	struct prom_reader *prom;	/* Prometheus text: the profile and the scrape before */

	char *out;		/* stdout so far, NUL-terminated */
	size_t out_len, out_cap;
	char errtext[EXEC_STDERR_MAX];
	size_t err_len;
};

static int exec_set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* A pipe whose read end is non-blocking and both ends close on exec. */
static int exec_pipe(int p[2])
{
	if (pipe(p) < 0)
		return -1;
	if (exec_set_flags(p[0]) < 0 || fcntl(p[1], F_SETFD, FD_CLOEXEC) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	return 0;
}

static void exec_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * In the child, between fork and exec: only async-signal-safe calls. Signals
 * the parent catches reset to default at exec by themselves; ignored ones and
 * the mask do not, so reset those the command may rely on.
 */
static _Noreturn void exec_child(const char *command, int devnull, int out_w, int err_w)
{
	sigset_t none;
	struct sigaction dfl;

	setpgid(0, 0);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &dfl, NULL);
	sigaction(SIGINT, &dfl, NULL);
	sigaction(SIGTERM, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
		_exit(127);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

/* Start one run. Returns 0, or -1 with a message in err. */
static int exec_start(struct exec_source *x, int64_t mono_ms, char *err, size_t errlen)
{
	int out[2], errp[2], devnull;
	pid_t pid;

	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0) {
		str_printf(err, errlen, "cannot run command: /dev/null: %s", strerror(errno));
		return -1;
	}
	if (exec_pipe(out) < 0) {
		str_printf(err, errlen, "cannot run command: pipe: %s", strerror(errno));
		close(devnull);
		return -1;
	}
	if (exec_pipe(errp) < 0) {
		str_printf(err, errlen, "cannot run command: pipe: %s", strerror(errno));
		close(devnull);
		close(out[0]);
		close(out[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0)
		exec_child(x->command, devnull, out[1], errp[1]);
	close(devnull);
	close(out[1]);
	close(errp[1]);
	if (pid < 0) {
		str_printf(err, errlen, "cannot run command: fork: %s", strerror(errno));
		close(out[0]);
		close(errp[0]);
		return -1;
	}
	/* Also here, so a kill of the group cannot race the child's own setpgid. */
	setpgid(pid, pid);
	x->pid = pid;
	x->out_fd = out[0];
	x->err_fd = errp[0];
	x->reaped = false;
	x->cut = CUT_NONE;
	x->started_ms = mono_ms;
	x->out_len = 0;
	x->out[0] = '\0';
	x->err_len = 0;
	x->errtext[0] = '\0';
	return 0;
}

static void exec_kill(struct exec_source *x, enum exec_cut why)
{
	if (x->cut == CUT_NONE)
		x->cut = why;
	kill(-x->pid, SIGKILL);
	exec_close(&x->out_fd);
	exec_close(&x->err_fd);
}

/*
 * Read what stdout has. The buffer grows to hold max_body + 1 bytes at most:
 * one byte past the cap is enough to know the output is too big.
 */
static void exec_read_out(struct exec_source *x)
{
	for (;;) {
		size_t room;
		ssize_t n;

		if (x->out_len > x->max_body) {
			exec_kill(x, CUT_OVERSIZE);
			return;
		}
		if (x->out_len + 1 == x->out_cap) {
			x->out_cap = x->out_cap * 2 < x->max_body + 2 ? x->out_cap * 2 : x->max_body + 2;
			x->out = xrealloc(x->out, x->out_cap);
		}
		room = x->out_cap - 1 - x->out_len;
		n = read(x->out_fd, x->out + x->out_len, room < EXEC_READ_CHUNK ? room : EXEC_READ_CHUNK);
		if (n > 0) {
			x->out_len += (size_t)n;
			x->out[x->out_len] = '\0';
		} else if (n == 0 || errno != EINTR) {
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
				exec_close(&x->out_fd);
			return;
		}
	}
}

/* Keep the start of stderr for the message; drain the rest so the child never blocks on it. */
static void exec_read_err(struct exec_source *x)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(x->err_fd, buf, sizeof(buf));

		if (n > 0) {
			size_t take = (size_t)n;

			if (take > sizeof(x->errtext) - 1 - x->err_len)
				take = sizeof(x->errtext) - 1 - x->err_len;
			memcpy(x->errtext + x->err_len, buf, take);
			x->err_len += take;
			x->errtext[x->err_len] = '\0';
		} else if (n == 0 || errno != EINTR) {
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
				exec_close(&x->err_fd);
			return;
		}
	}
}

/*
 * ": first line of stderr", or "" when the command said nothing there. The
 * line ends up on the screen and in messages, so it passes the funnel.
 */
static void exec_stderr_suffix(const struct exec_source *x, char *buf, size_t len)
{
	char line[EXEC_STDERR_MAX], safe[EXEC_STDERR_MAX];
	size_t n = strcspn(x->errtext, "\r\n");

	if (n == 0) {
		buf[0] = '\0';
		return;
	}
	memcpy(line, x->errtext, n);
	line[n] = '\0';
	sanitize_copy(safe, sizeof(safe), line, 0);
	str_printf(buf, len, ": %s", safe);
}

/* The output as JSON or as Prometheus text into x->snap (which owns nothing yet). */
static int exec_parse(struct exec_source *x, int64_t mono_ms, char *err, size_t errlen)
{
	if (prom_body_kind(x->input, NULL, x->out, x->out_len) == SOURCE_INPUT_JSON)
		return metrics_parse(x->out, x->out_len, &x->snap, err, errlen);
	metrics_init(&x->snap);
	return prom_reader_read(x->prom, x->out, x->out_len, NULL, mono_ms, &x->snap, err, errlen);
}

/* Turn a finished run into an event. */
static void exec_finish(struct exec_source *x, int64_t mono_ms, struct source_event *ev)
{
	char tail[EXEC_STDERR_MAX + 4], err[SOURCE_MSG_LEN - 32];

	memset(ev, 0, sizeof(*ev));
	ev->at_ms = mono_ms;
	ev->wall_ms = clock_wall_ms();
	ev->kind = SOURCE_ERROR;
	metrics_free(&x->snap);
	exec_stderr_suffix(x, tail, sizeof(tail));
	if (x->cut == CUT_TIMEOUT)
		str_printf(ev->message, sizeof(ev->message), "command timed out after %g s",
			   (double)x->timeout_ms / 1000.0);
	else if (x->cut == CUT_OVERSIZE)
		str_printf(ev->message, sizeof(ev->message), "command output over %zu bytes",
			   x->max_body);
	else if (WIFSIGNALED(x->status))
		str_printf(ev->message, sizeof(ev->message), "command killed by signal %d%s",
			   WTERMSIG(x->status), tail);
	else if (WIFEXITED(x->status) && WEXITSTATUS(x->status) != 0)
		str_printf(ev->message, sizeof(ev->message), "command exited with status %d%s",
			   WEXITSTATUS(x->status), tail);
	else if (x->out_len == 0)
		str_printf(ev->message, sizeof(ev->message), "command printed nothing%s", tail);
	else if (exec_parse(x, mono_ms, err, sizeof(err)) != 0)
		str_printf(ev->message, sizeof(ev->message), "command output: %s", err);
	else
		ev->kind = SOURCE_SNAPSHOT;
	/* Lent to the caller until the next step (see source.h). */
	if (ev->kind == SOURCE_SNAPSHOT)
		ev->snap = x->snap;
	else
		metrics_init(&ev->snap);
	x->pid = -1;
}

/* Service a run in progress. Returns 1 with *ev filled when it has finished. */
static int exec_service(struct exec_source *x, int64_t mono_ms, struct source_event *ev)
{
	if (x->out_fd >= 0)
		exec_read_out(x);
	if (x->err_fd >= 0)
		exec_read_err(x);
	if (x->cut == CUT_NONE && mono_ms - x->started_ms >= x->timeout_ms)
		exec_kill(x, CUT_TIMEOUT);
	if (!x->reaped) {
		pid_t r;

		do {
			r = waitpid(x->pid, &x->status, WNOHANG);
		} while (r < 0 && errno == EINTR);
		if (r == x->pid || (r < 0 && errno == ECHILD)) {
			x->reaped = true;
			if (r < 0)
				x->status = 0;
		}
	}
	/*
	 * Done when reaped and stdout is at end of file. A grandchild that keeps
	 * stdout open after the shell exits is left to the timeout. Stderr is
	 * read while it lasts but not waited for.
	 */
	if (!x->reaped || x->out_fd >= 0)
		return 0;
	if (x->err_fd >= 0) {
		exec_read_err(x);
		exec_close(&x->err_fd);
	}
	exec_finish(x, mono_ms, ev);
	return 1;
}

static int exec_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	struct exec_source *x = self;

	if (x->pid > 0)
		return exec_service(x, mono_ms, ev);
	if (x->paused || mono_ms < x->next_run_ms)
		return 0;
	/*
	 * Runs keep their rhythm, and one that takes longer than the interval is
	 * followed at once; after a pause (or the first run) count from now.
	 */
	x->next_run_ms += x->interval_ms;
	if (x->next_run_ms <= mono_ms)
		x->next_run_ms = mono_ms + x->interval_ms;
	if (exec_start(x, mono_ms, ev->message, sizeof(ev->message)) != 0) {
		char msg[SOURCE_MSG_LEN];

		str_printf(msg, sizeof(msg), "%s", ev->message);
		memset(ev, 0, sizeof(*ev));
		ev->kind = SOURCE_ERROR;
		ev->at_ms = mono_ms;
		ev->wall_ms = clock_wall_ms();
		metrics_init(&ev->snap);
		str_printf(ev->message, sizeof(ev->message), "%s", msg);
		return 1;
	}
	return 0;
}

static int exec_pollfds(void *self, struct pollfd *fds, int max)
{
	struct exec_source *x = self;
	int n = 0;

	if (x->out_fd >= 0 && n < max)
		fds[n++] = (struct pollfd){ .fd = x->out_fd, .events = POLLIN };
	if (x->err_fd >= 0 && n < max)
		fds[n++] = (struct pollfd){ .fd = x->err_fd, .events = POLLIN };
	return n;
}

static int64_t exec_next_wakeup(void *self, int64_t mono_ms)
{
	struct exec_source *x = self;

	if (x->pid > 0) {
		/* Output closed but the child not yet reaped: there is no descriptor to wait on. */
		if (x->out_fd < 0)
			return mono_ms + EXEC_REAP_POLL_MS;
		return x->started_ms + x->timeout_ms;
	}
	return x->paused ? SOURCE_NO_WAKEUP : x->next_run_ms;
}

/*
 * "exec: COMMAND", cut to fit a header and safe to draw: control characters
 * become spaces and a cut never splits a UTF-8 sequence.
 */
static void exec_describe(void *self, char *buf, size_t len)
{
	struct exec_source *x = self;
	char cmd[EXEC_DESCRIBE_MAX + 1], prof[PROFILE_NAME_LEN * 2];

	prom_reader_describe(x->prom, prof, sizeof(prof));
	if (strlen(x->command) > EXEC_DESCRIBE_MAX) {
		sanitize_copy(cmd, EXEC_DESCRIBE_MAX - 3 + 1, x->command, 0);
		str_printf(buf, len, "exec: %s...%s%s", cmd, prof[0] != '\0' ? " " : "", prof);
	} else {
		sanitize_copy(cmd, sizeof(cmd), x->command, 0);
		str_printf(buf, len, "exec: %s%s%s", cmd, prof[0] != '\0' ? " " : "", prof);
	}
}

static void exec_set_interval(void *self, int64_t interval_ms)
{
	struct exec_source *x = self;

	if (interval_ms <= 0)
		return;
	x->next_run_ms += interval_ms - x->interval_ms;
	x->interval_ms = interval_ms;
}

static void exec_set_paused(void *self, bool paused, int64_t mono_ms)
{
	struct exec_source *x = self;

	(void)mono_ms;
	x->paused = paused;
}

static void exec_destroy(void *self)
{
	struct exec_source *x = self;

	if (x->pid > 0) {
		/* After SIGKILL the wait is short; blocking here at exit is fine. */
		kill(-x->pid, SIGKILL);
		while (waitpid(x->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	exec_close(&x->out_fd);
	exec_close(&x->err_fd);
	metrics_free(&x->snap);
	prom_reader_free(x->prom);
	free(x->out);
	free(x->command);
	free(x);
}

/* What a row is: the Prometheus profile's noun (or --by); the wire JSON's rows are upstreams. */
static const char *exec_row_noun(void *self)
{
	return prom_reader_row_noun(((struct exec_source *)self)->prom);
}

static const struct source_ops exec_ops = {
	.name = "exec",
	.describe = exec_describe,
	.pollfds = exec_pollfds,
	.next_wakeup = exec_next_wakeup,
	.step = exec_step,
	.set_interval = exec_set_interval,
	.set_paused = exec_set_paused,
	.destroy = exec_destroy,
	.row_noun = exec_row_noun,
};

struct source *source_exec_new(const struct exec_options *o, char *err, size_t errlen)
{
	struct exec_source *x;

	if (o->command == NULL || o->command[strspn(o->command, " \t\n")] == '\0') {
		str_printf(err, errlen, "exec: empty command");
		return NULL;
	}
	if (o->interval_ms <= 0 || o->timeout_ms <= 0) {
		str_printf(err, errlen, "exec: interval and timeout must be positive");
		return NULL;
	}
	x = xcalloc(1, sizeof(*x));
	x->prom = prom_reader_new(&o->text, err, errlen);
	if (x->prom == NULL) {
		free(x);
		return NULL;
	}
	x->input = o->text.input;
	x->command = xstrdup(o->command);
	x->interval_ms = o->interval_ms;
	x->timeout_ms = o->timeout_ms;
	/* The parsers take no more than EXPO_BODY_MAX, so a larger cap buys nothing. */
	x->max_body = o->max_body > 0 ? o->max_body : METRICS_BODY_DEFAULT;
	if (x->max_body > EXPO_BODY_MAX)
		x->max_body = EXPO_BODY_MAX;
	x->pid = -1;
	x->out_fd = -1;
	x->err_fd = -1;
	x->out_cap = 4096 < x->max_body + 2 ? 4096 : x->max_body + 2;
	x->out = xmalloc(x->out_cap);
	x->out[0] = '\0';
	/* The first run is due at once: next_run_ms 0 is in the past on any monotonic clock. */
	x->next_run_ms = INT64_MIN / 2;
	return source_new(&exec_ops, x, o->interval_ms);
}
