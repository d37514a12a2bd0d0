/*
 * The batch loop behind --batch and --once (see batch_run in output.h): the
 * same event loop as the screen, minus the terminal. Wait on the source,
 * step it until nothing is pending, feed each event to the monitor and print
 * a record per snapshot.
 *
 * Output that cannot be written (a full disk, /dev/full) ends the run with
 * one clear line and status 3; a reader that went away (EPIPE) ends it
 * quietly.
 *
 * SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGUSR1 stop the loop between events
 * (stopsig.h: the wait watches its self-pipe, so a signal just before
 * poll() still wakes it).
 */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recap.h"
#include "sanitize.h"
#include "stopsig.h"
#include "util.h"

#define BATCH_HISTORY 600

struct batch_ctx {
	const struct batch_options *o;
	FILE *out, *err;
	struct monitor m;
	struct recap *recap;		/* the closing summary (a demo's); NULL: none */
	struct stopsig stop;
	int status;			/* exit status of the last evaluation */
	bool first;			/* no record printed yet (csv header) */
	bool done;
	int write_errno;		/* standard output failed with this; 0 while it works */
	char warned[SOURCE_MSG_LEN];	/* the source's last snapshot warning, "" for none */
};

/* After a write to standard output: a failure ends the run (exit 3), said once at the end. */
static void batch_wrote(struct batch_ctx *c, int rc)
{
	if (rc == 0 || c->write_errno != 0)
		return;
	c->write_errno = errno != 0 ? errno : EIO;
	c->done = true;
}

static void batch_snapshot(struct batch_ctx *c, const struct source_event *ev)
{
	bool own = strcmp(c->m.last_error, ev->message) == 0;

	monitor_update(&c->m, clock_monotonic_ms());
	c->status = target_status_exit_code(monitor_status(&c->m));
	if (c->o->once) {
		batch_wrote(c, output_write_once(c->out, c->o->format, &c->m));
		c->done = true;
	} else {
		batch_wrote(c, output_write(c->out, c->o->format, &c->m, c->first));
	}
	c->first = false;
	/*
	 * What is left after a snapshot is its own warning (a fleet's
	 * Prometheus faults, tail's bad lines) or the recorder failing. A
	 * warning the source repeats unchanged (no new bad line came) is said
	 * once: stderr is a log, the screen is where it stays in view.
	 */
	if (c->m.last_error[0] != '\0' && !(own && strcmp(c->warned, ev->message) == 0)) {
		sanitize_line(c->err, 0, "routertop: %s", c->m.last_error);
		fflush(c->err);
	}
	if (own)
		str_printf(c->warned, sizeof(c->warned), "%s", ev->message);
}

/*
 * A fault is one line on stderr. With --once the run is over (UNKNOWN), and
 * for nagios the reason also goes to stdout: a monitoring system reads only
 * that. The message quotes the peer, so both lines leave through the funnel,
 * the nagios one without '|' (it would start forged performance data).
 */
static void batch_fault(struct batch_ctx *c, const char *msg)
{
	sanitize_line(c->err, 0, "routertop: %s", msg);
	fflush(c->err);
	if (!c->o->once)
		return;
	if (c->o->format == FORMAT_NAGIOS) {
		sanitize_line(c->out, SANITIZE_PLUGIN, "ROUTERTOP UNKNOWN - %s", msg);
		batch_wrote(c, fflush(c->out) == 0 && !ferror(c->out) ? 0 : -1);
	}
	c->status = 3;
	c->done = true;
}

/* A notice that was a caption (the newest line of the event log): printed where it happened. */
static void batch_notice(struct batch_ctx *c, uint64_t logged_before)
{
	const struct eventlog_entry *e = eventlog_get(c->m.events, 0);

	if (eventlog_total(c->m.events) == logged_before || e == NULL || e->kind != EVLOG_CAPTION)
		return;
	errno = 0;
	output_write_caption(c->out, c->o->format, &c->m, e);
	batch_wrote(c, fflush(c->out) == 0 && !ferror(c->out) ? 0 : -1);
}

static void batch_event(struct batch_ctx *c, const struct source_event *ev)
{
	uint64_t logged = eventlog_total(c->m.events);

	if (c->recap != NULL)
		recap_event(c->recap, ev);
	switch (monitor_handle(&c->m, ev)) {
	case SOURCE_SNAPSHOT:
		batch_snapshot(c, ev);
		break;
	case SOURCE_ERROR:
		batch_fault(c, ev->message);
		break;
	case SOURCE_END:
		if (c->m.snapshots == 0)
			batch_fault(c, "the source ended before its first snapshot");
		if (c->recap != NULL && c->m.snapshots > 0 && c->write_errno == 0) {
			recap_finish(c->recap);
			errno = 0;
			recap_write(c->out, c->o->format, c->recap);
			batch_wrote(c, fflush(c->out) == 0 && !ferror(c->out) ? 0 : -1);
		}
		c->done = true;
		break;
	case SOURCE_NOTICE:
		if (!c->o->once)
			batch_notice(c, logged);
		break;
	}
}

int batch_run(struct source *src, const struct batch_options *o)
{
	struct batch_ctx c = { .o = o, .status = 3, .first = true };
	struct target_set defaults;
	const struct target_set *ts = o->targets;
	struct source_event ev;

	c.out = o->out != NULL ? o->out : stdout;
	c.err = o->err != NULL ? o->err : stderr;
	if (ts == NULL) {
		targets_defaults(&defaults);
		ts = &defaults;
	}
	if (stopsig_install(&c.stop, 0) < 0) {
		fprintf(c.err, "routertop: cannot set up signal handling: %s\n", strerror(errno));
		return 3;
	}
	monitor_init(&c.m, src, ts, o->rec, BATCH_HISTORY);
	if (o->recap) {
		c.recap = xmalloc(sizeof(*c.recap));
		recap_init(c.recap, ts);
	}
	while (!c.done && !stopsig_caught()) {
		source_wait(src, stopsig_fd(&c.stop), -1);
		while (!c.done && !stopsig_caught() && source_step(src, clock_monotonic_ms(), &ev) == 1)
			batch_event(&c, &ev);
	}
	if (!o->once && c.write_errno == 0)
		batch_wrote(&c, output_finish(c.out, o->format));
	monitor_free(&c.m);
	if (c.recap != NULL) {
		recap_free(c.recap);
		free(c.recap);
	}
	stopsig_restore(&c.stop);
	if (c.write_errno != 0)
		return output_write_failed(c.err, c.write_errno);
	return c.status;
}
