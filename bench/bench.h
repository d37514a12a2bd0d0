/*
 * The benchmark harness that every bench program links (bench/README says
 * how to add a figure). A figure is one printed line on stdout:
 *
 *     name median unit min max
 *
 * taken over BENCH rounds (at least 5) of at least half a second each,
 * after a calibration and a warm-up round. Each round times the work
 * function over n operations and, right after, a baseline over the same n
 * (the same loop without the measured call, or an empty loop), and
 * subtracts it and the cost of one clock read: what is left is the work
 * alone. min and max beside the median show how noisy the machine was.
 *
 * The clock is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID): the machine
 * is shared, and time the scheduler gives to other programs is not the
 * work's cost. A figure that waits for other processes (bench_cmd's runs of
 * a command) asks for the wall clock instead.
 *
 * A figure that cannot be measured (no work done, or the baseline costs as
 * much as the work) prints a line on stderr and makes bench_finish() return
 * non-zero, so `make bench` fails instead of printing a made-up number.
 *
 * Environment: BENCH_FILTER=TEXT measures only the figures whose name
 * contains TEXT; BENCH_ROUNDS=N (at least 5) and BENCH_ROUND_S=S (at least
 * 0.5) lengthen the run on a noisy machine.
 */
#ifndef RT_BENCH_H
#define RT_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MIN_ROUNDS 5
#define BENCH_MIN_ROUND_S 0.5

/* How the work a round did and the time it took become the printed figure. */
enum bench_unit {
	BENCH_NS_PER_OP,	/* nanoseconds per unit of work */
	BENCH_US_PER_OP,	/* microseconds per unit of work */
	BENCH_MS_PER_OP,	/* milliseconds per unit of work */
	BENCH_PER_S,		/* units of work per second */
	BENCH_MB_PER_S,		/* the work is in bytes: megabytes (10^6) per second */
};

struct bench_spec {
	const char *name;	/* the figure's name, e.g. "tracker_record_ns" */
	const char *unit;	/* printed unit, e.g. "ns", "req/s" */
	enum bench_unit kind;
	/*
	 * Do n operations and return the work done: usually n, or what the
	 * unit counts (bytes for BENCH_MB_PER_S, requests, ...). Returning 0
	 * means the work could not be done.
	 */
	uint64_t (*run)(void *ctx, uint64_t n);
	/*
	 * The same loop over n without the measured work, timed after each
	 * round and subtracted from it. NULL: an empty loop of n passes.
	 */
	void (*baseline)(void *ctx, uint64_t n);
	void *ctx;
	bool wall_clock;	/* time on CLOCK_MONOTONIC, not the thread's CPU time */
};

/* The statistics of one figure, in its printed unit. */
struct bench_stats {
	double median, min, max;
};

/* One bench program's run: its options and whether every figure was measured. */
struct bench {
	const char *program;	/* for messages */
	const char *filter;	/* BENCH_FILTER, or NULL */
	int rounds;
	double round_s;
	double cpu_clock_ns;	/* the cost of one clock read, measured by bench_init */
	double wall_clock_ns;
	int failed;		/* figures that could not be measured */
	int measured;
};

/* Read the environment and measure the clock. program names the bench in messages. */
void bench_init(struct bench *b, const char *program);

/* Whether the figure called name is wanted (BENCH_FILTER). */
bool bench_wanted(const struct bench *b, const char *name);

/*
 * Measure one figure and print its line. Returns 0, or -1 (and counts a
 * failure) when it could not be measured; a figure not wanted by the filter
 * returns 0 without running. out, if not NULL, receives the statistics.
 */
int bench_measure(struct bench *b, const struct bench_spec *s, struct bench_stats *out);

/*
 * Print a figure measured some other way from its per-round values
 * (count of them at least BENCH_MIN_ROUNDS): the median, min and max.
 * Returns 0, or -1 and counts a failure if there are too few values.
 */
int bench_report(struct bench *b, const char *name, const char *unit, const double *values,
		 size_t count);

/* Count a figure as not measured and say why on stderr. Returns -1. */
int bench_fail(struct bench *b, const char *name, const char *why);

/* The exit status: 0 if every wanted figure was measured, else 1. */
int bench_finish(const struct bench *b);

/* Seconds on CLOCK_MONOTONIC, for bench programs that time something themselves. */
double bench_now_s(void);
/* Seconds of CPU time this thread has used. */
double bench_cpu_s(void);

/* Keeps the compiler from dropping a computation whose result is otherwise unused. */
void bench_consume(double v);

/* A text that grows as it is written: the inputs benches make up. */
struct bench_text {
	char *buf;	/* malloc'd, NUL-terminated once written; the caller frees it */
	size_t len, cap;
};

/* Append to t (zeroed to start); out of memory ends the program with a message. */
void bench_text_printf(struct bench_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A compiler barrier: a loop around it is not folded or removed. */
#define BENCH_BARRIER() __asm__ __volatile__("" ::: "memory")

#endif
