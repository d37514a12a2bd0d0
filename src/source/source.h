/*
 * One interface, six sources of snapshots: the simulated router ("sim"), a
 * live HTTP endpoint ("http"), a command's output ("exec"), a recording
 * ("replay"), access logs ("tail") and a fleet through a Prometheus server
 * ("fleet"). A source never blocks: the one event loop waits on the file
 * descriptors it lists and wakes it at the time it asks for, then calls
 * step() until no event is pending.
 *
 * Times: "mono" arguments are CLOCK_MONOTONIC milliseconds from the loop.
 * Each event's at_ms is on the source's own clock (virtual time for the
 * simulator, the record's time for replay, monotonic for live sources);
 * clock() says what time it is now on that clock, so staleness is judged
 * on one clock.
 *
 * Memory: an event's snapshot is lent, not given. Its rows (metrics.h)
 * belong to the source and stay valid until the next step() on that source
 * or source_free(), whichever comes first. A consumer reads it in place or
 * keeps a copy (metrics_copy); it never frees or moves it. So a source keeps
 * the snapshot it hands out (parsing or building into it again at its next
 * step, clearing it first with metrics_free or metrics_clear) and frees it
 * when destroyed. The struct source_event itself may be copied by value: a
 * copy is one more borrowed view.
 */
#ifndef RT_SOURCE_SOURCE_H
#define RT_SOURCE_SOURCE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

#define SOURCE_MSG_LEN 512
#define SOURCE_NO_WAKEUP INT64_MAX
/*
 * Bounds the command line and every source keep: a speed or an interval
 * outside them is a mistake (1e-300, 30 years), never a wish. Speed 0
 * ("max") is the one value below SOURCE_SPEED_MIN.
 */
#define SOURCE_SPEED_MIN 0.001
#define SOURCE_SPEED_MAX 1e6
#define SOURCE_INTERVAL_MIN_MS 100
#define SOURCE_INTERVAL_MAX_MS ((int64_t)24 * 3600 * 1000)
#define SOURCE_EXTRA_FDS 4

enum source_event_kind {
	SOURCE_SNAPSHOT,	/* snap holds a new snapshot */
	SOURCE_ERROR,		/* message: a one-line fault (timeout, HTTP 500, bad JSON ...) */
	SOURCE_NOTICE,		/* message: a compact JSON object for the recording, e.g.
				 * {"type":"breaker","from":"closed","to":"open","reason":"5 consecutive failures"} */
	SOURCE_END,		/* the source has nothing more (duration reached, end of file) */
};

struct source_event {
	enum source_event_kind kind;
	int64_t at_ms;		/* on the source's clock */
	int64_t wall_ms;	/* ms since the epoch, for recordings */
	struct metrics_snapshot snap;	/* SOURCE_SNAPSHOT; lent until the next step (see above) */
	/*
	 * For SOURCE_ERROR and SOURCE_NOTICE, as their comments say. For a
	 * SOURCE_SNAPSHOT, "" or a warning: the snapshot came, but part of it
	 * could not be had or its server warned (a fleet's Prometheus faults),
	 * and the message says what.
	 */
	char message[SOURCE_MSG_LEN];
	/* SOURCE_SNAPSHOT only; source_step() clears both before each step. */
	bool restart;		/* it does not continue what came before (another level of a
				 * drill-down): the history starts again with it */
	bool aside;		/* not the source's own stream (a drill-down, or a past filled in
				 * at once): shown, never recorded */
};

enum source_seek {
	SOURCE_SEEK_BACK,		/* re-emit the snapshot before the current one */
	SOURCE_SEEK_FORWARD,		/* emit the next snapshot now */
	SOURCE_SEEK_NEXT_TRANSITION,	/* emit the next snapshot whose breaker state changed */
	SOURCE_SEEK_START,		/* emit the first snapshot again (Home) */
	SOURCE_SEEK_END,		/* read to the end and emit the last snapshot (End) */
};

/* Where a recording is, for the screen's position line and timeline. */
struct source_position {
	int64_t line;		/* line of the snapshot on screen; 0 before the first */
	int64_t off;		/* its offset in the (decompressed) text */
	int64_t done, size;	/* stored bytes read up to it, and the file's size; size -1: a pipe */
	int64_t lines_read;	/* lines read so far */
	bool pipe;		/* stepping back works only within what the pipe kept */
	bool compressed;	/* done is the decoder's place, so the position is approximate */
};

/*
 * Operator actions for demonstrations (the screen's fault keys); only the
 * simulated router takes them. Each acts on one upstream, but CLEAR, which
 * acts on all of them.
 */
enum source_inject {
	SOURCE_INJECT_FAILURE_CYCLE,	/* failure rate 0 -> 10 -> 50 -> 100 % -> 0 */
	SOURCE_INJECT_TIMEOUTS,		/* timeouts on or off */
	SOURCE_INJECT_LATENCY,		/* latency spike x10 on or off */
	SOURCE_INJECT_SURGE,		/* load surge x5 on or off (it meets the rate limiter) */
	SOURCE_INJECT_BREAKER_OPEN,	/* breaker forced open */
	SOURCE_INJECT_BREAKER_CLOSE,	/* breaker forced closed */
	SOURCE_INJECT_BREAKER_AUTO,	/* breaker automatic again */
	SOURCE_INJECT_CLEAR,		/* every fault off, every breaker automatic, on every upstream */
};

struct source_ops {
	const char *name;	/* "sim", "http", "exec", "replay", "tail" */
	/* One line for the screen header, e.g. "sim:steady seed 42 x1". */
	void (*describe)(void *self, char *buf, size_t len);
	/* Add the descriptors to wait on to fds (at most max); return how many. */
	int (*pollfds)(void *self, struct pollfd *fds, int max);
	/* Monotonic time at which step() must run next, or SOURCE_NO_WAKEUP. */
	int64_t (*next_wakeup)(void *self, int64_t mono_ms);
	/*
	 * Do what is due (read ready descriptors, start a poll, advance the
	 * simulation) and report the next pending event: returns 1 with *ev
	 * filled (call again), 0 when nothing is pending. Never blocks.
	 */
	int (*step)(void *self, int64_t mono_ms, struct source_event *ev);
	/* Now, on the source's clock. Optional: NULL for a live source, whose clock is mono_ms. */
	int64_t (*clock)(void *self, int64_t mono_ms);
	/* Optional: false while the clock is not known yet (a piped recording before its first line). */
	bool (*clock_known)(void *self);
	/*
	 * Optional: where the source's clock started, asked once it is known
	 * (at_ms: the first event's time, the answer when this is NULL).
	 */
	int64_t (*clock_start)(void *self, int64_t at_ms);
	/* Optional (may be NULL): change the interval, pause or resume at mono_ms. */
	void (*set_interval)(void *self, int64_t interval_ms);
	void (*set_paused)(void *self, bool paused, int64_t mono_ms);
	void (*destroy)(void *self);
	/* Optional, for recordings: move within them and change the playback speed. */
	int (*seek)(void *self, enum source_seek where);
	/* Optional, for recordings: where the snapshot on screen is. 0, or -1 before it is known. */
	int (*position)(void *self, struct source_position *out);
	void (*set_speed)(void *self, double speed, int64_t mono_ms);
	/*
	 * Optional, for demonstrations: cause an incident now, on the row
	 * (upstream) named row, or on the first when row is NULL. 0, or -1
	 * when it cannot (an unknown row among them); either way msg holds the
	 * line the screen shows (what happened and what the next one does, or
	 * why nothing did).
	 */
	int (*inject)(void *self, enum source_inject what, const char *row, char *msg, size_t len);
	/*
	 * Optional: what one of the snapshot's rows is, a lower-case noun in
	 * the singular ("upstream", "cluster", "backend", "breaker",
	 * "instance"); the screen's list heads its names with it. NULL, or a
	 * NULL answer, means "upstream". The string outlives the source.
	 */
	const char *(*row_noun)(void *self);
	/*
	 * Optional, for sources that take injections: the faults in play now,
	 * by upstream, in one line ("search: failures 50 %, timeouts"); ""
	 * when none. The source owns the fact; the screen shows its words.
	 */
	void (*active_faults)(void *self, char *buf, size_t len);
	/*
	 * Optional: show one of the snapshot's rows as a whole of its own,
	 * with its own rows (a fleet's instance and its upstreams), or with
	 * row NULL the top level again. points: how many snapshots the screen's
	 * charts hold, which the source fills from the past at once when it
	 * can. The snapshots of the other level follow, the first with restart
	 * set. Returns 0, or -1 with msg (len bytes) saying why not.
	 */
	int (*drill)(void *self, const char *row, size_t points, char *msg, size_t len);
	/* Optional: the row drilled into (its name in the snapshot), or NULL at the top level. */
	const char *(*drilled)(void *self);
	/*
	 * Optional, for a guided demo (source_demo_new): run on to its next
	 * chapter now. 0, or -1 when there is none; either way msg holds the
	 * line the screen shows.
	 */
	int (*next_chapter)(void *self, int64_t mono_ms, char *msg, size_t len);
};

struct source {
	const struct source_ops *ops;
	void *self;
	int64_t interval_ms;	/* current interval between snapshots */
};

/* Thin wrappers over ops, so callers need not test optional members. */
void source_describe(struct source *src, char *buf, size_t len);
int source_step(struct source *src, int64_t mono_ms, struct source_event *ev);
int64_t source_clock(struct source *src, int64_t mono_ms);
/* Whether source_clock means anything yet; true for every source but a recording still to arrive. */
bool source_clock_known(struct source *src);
/* Where the source's clock started, once known late; at_ms, the first event's time, by default. */
int64_t source_clock_start(struct source *src, int64_t at_ms);
void source_set_interval(struct source *src, int64_t interval_ms);
void source_set_paused(struct source *src, bool paused, int64_t mono_ms);
void source_free(struct source *src);	/* NULL is fine */
/* Returns 0 when the source moved, -1 when it cannot (not a recording, or at an end). */
int source_seek(struct source *src, enum source_seek where);
/* Where a recording is; -1 for other sources (and before the first snapshot). */
int source_position(struct source *src, struct source_position *out);
/* Change the playback speed at mono_ms. Returns 0, or -1 when the source has no playback speed. */
int source_set_speed(struct source *src, double speed, int64_t mono_ms);
/*
 * Act on the row named row (the selected upstream), or on the source's
 * first or only one when row is NULL. Returns 0 when the source acted, -1
 * when it takes no injections, has ended or has no such row. Either way
 * msg (len bytes, at least 1) gets one line for the screen: the source's
 * own account of what it did, or why it did nothing.
 */
int source_inject(struct source *src, enum source_inject what, const char *row, char *msg,
		  size_t len);

/* The faults in play (active_faults above) into buf; "" for none and for sources without faults. */
void source_active_faults(struct source *src, char *buf, size_t len);

/* A demo's next chapter (next_chapter above); other sources say they have no chapters. */
int source_next_chapter(struct source *src, int64_t mono_ms, char *msg, size_t len);

/* What a row is, for the list's header: the source's row_noun, else "upstream". */
const char *source_row_noun(const struct source *src);

/*
 * Drill into row (NULL: back to the top level); see source_ops.drill.
 * Returns -1 with msg saying why when the source cannot (most cannot).
 */
int source_drill(struct source *src, const char *row, size_t points, char *msg, size_t len);
/* The row drilled into, or NULL at the top level (and for sources that do not drill). */
const char *source_drilled(const struct source *src);

/*
 * Wait until one of the source's descriptors or extra_fd (-1 for none) is
 * ready, the source's next wakeup is due, or max_wait_ms (-1: no limit) has
 * passed. Returns 1 if extra_fd is readable, 0 otherwise; EINTR returns 0 so
 * the caller can look at signal flags.
 */
int source_wait(struct source *src, int extra_fd, int64_t max_wait_ms);
/*
 * The same with n extra descriptors (n <= SOURCE_EXTRA_FDS): returns a mask
 * with bit i set when extra[i] is readable (or hung up), 0 otherwise.
 */
int source_wait_fds(struct source *src, const int *extra, int n, int64_t max_wait_ms);

/* Whether speed is 0 (as fast as possible) or within SOURCE_SPEED_MIN..MAX. */
bool source_speed_ok(double speed);

/* Wrap an implementation; never returns NULL. */
struct source *source_new(const struct source_ops *ops, void *self, int64_t interval_ms);

/* Constructors. Each returns NULL and a one-line message in err on bad options. */
struct sim_options {
	const char *scenario;	/* built-in name or a scenario file; default "steady" */
	uint64_t seed;
	double speed;		/* virtual seconds per wall second; 0 = as fast as the CPU allows */
	int64_t duration_ms;	/* virtual time to run; 0 = the scenario's own length (endless for steady) */
	int64_t interval_ms;	/* virtual time between snapshots */
};
struct source *source_sim_new(const struct sim_options *o, char *err, size_t errlen);

/*
 * How the http and exec sources read what they get: the wire JSON or
 * Prometheus text (source/prom.h), told apart by Content-Type and content
 * unless --input says; Prometheus text goes through a router profile.
 */
enum source_input { SOURCE_INPUT_AUTO, SOURCE_INPUT_JSON, SOURCE_INPUT_PROMETHEUS };
struct source_text_options {
	enum source_input input;	/* --input */
	const char *profile;		/* --profile: a name, a file, or NULL / "auto" */
	const char *by;			/* --by: another row label, or NULL */
};

/*
 * routertop demo: the seeds' story on the simulated router (the built-in
 * "demo" scenario), told in chapters by caption notices
 * ({"type":"caption","chapter":N,"chapters":M,"title":...,"text":...}).
 * See src/source/demo.c.
 */
struct demo_options {
	uint64_t seed;
	double speed;		/* as sim_options */
	int64_t interval_ms;
};
struct source *source_demo_new(const struct demo_options *o, char *err, size_t errlen);

struct http_options {
	const char *url;
	int64_t interval_ms, timeout_ms;
	const char *header_file;	/* NULL: no extra headers */
	bool insecure;
	size_t max_body;
	struct source_text_options text;
};
struct source *source_http_new(const struct http_options *o, char *err, size_t errlen);

struct exec_options {
	const char *command;	/* run with /bin/sh -c */
	int64_t interval_ms, timeout_ms;
	size_t max_body;
	struct source_text_options text;
};
struct source *source_exec_new(const struct exec_options *o, char *err, size_t errlen);

struct replay_options {
	const char *path;	/* a recording (JSONL; plain, gzip or zstd); "-": standard input */
	double speed;		/* recorded seconds per wall second; 0 = as fast as possible */
	bool follow;		/* the file is still being written: wait at its end, like tail -f */
	size_t ring_bytes;	/* kept for stepping back in a pipe or compressed file; 0: the default */
	size_t line_max;	/* longer lines are skipped as bad; 0: RECORD_LINE_MAX (tests set less) */
};
struct source *source_replay_new(const struct replay_options *o, char *err, size_t errlen);

struct fleet_options {
	const char *url;	/* a Prometheus server (or Thanos, Mimir ...): http://HOST:9090[/PREFIX] */
	const char *profile;	/* a built-in name, a profile file, or NULL / "auto": ask Prometheus */
	const char *match;	/* --match: label matchers added to every selector; NULL: none */
	const char *by;		/* the label naming an instance; NULL: "instance" */
	const char *window;	/* the rate window, a PromQL duration; NULL: "1m" */
	int64_t interval_ms, timeout_ms;
	const char *header_file;	/* NULL: no extra headers */
	bool insecure;
	size_t max_body;	/* per answer; 0: 16 MiB */
};
struct source *source_fleet_new(const struct fleet_options *o, char *err, size_t errlen);

#define TAIL_MAX_FILES 16
struct tail_options {
	const char *paths[TAIL_MAX_FILES];	/* "-": standard input */
	int npaths;
	const char *format;	/* --log-format: a built-in name or a format text; NULL: detect */
	const char *by;		/* upstream (NULL), host, path, status, or a field of the format */
	bool latency_upstream;	/* the upstream's time rather than the whole request's */
	bool from_start;	/* read what the files hold first */
	bool once;		/* read what is there, one snapshot, end */
	size_t window;		/* latencies per tracker; 0: 10,000 */
	int64_t window_ms;	/* > 0: a window of log time instead */
	int64_t interval_ms;	/* between snapshots; 0: 1 s */
};
struct source *source_tail_new(const struct tail_options *o, char *err, size_t errlen);

#endif
