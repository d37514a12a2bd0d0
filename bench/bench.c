/*
 * The benchmark harness (see bench.h). How one figure is measured:
 *
 * 1. Calibration: run the work over n = 1, 2, 4, ... operations until one
 *    call takes at least a twentieth of a round, then scale n so a round
 *    takes round_s (this also warms caches, branch predictors and the CPU's
 *    clock).
 * 2. One warm-up round at that n, not counted.
 * 3. rounds times: time run(n), then baseline(n); the round's figure comes
 *    from the work run() returned and (t_run - t_baseline - one clock read).
 *    Timing the baseline beside each round, rather than once, lets a slow
 *    patch of the machine hit both alike.
 * 4. Print the median, min and max of the rounds' figures.
 */
#include "bench.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLOCK_SAMPLES 1001
#define CALIBRATION_FRACTION 20		/* a calibration call takes round_s / 20 */
#define CALIBRATION_MAX_N (UINT64_C(1) << 40)
#define MAX_ROUNDS 101

static volatile double bench_sink;

void bench_consume(double v)
{
	bench_sink += v;
}

/* Room for need bytes: at least 64 KiB, doubling. */
static void text_grow(struct bench_text *t, size_t need)
{
	size_t cap = t->cap < 65536 ? 65536 : t->cap * 2;

	t->cap = cap > need ? cap : need;
	t->buf = realloc(t->buf, t->cap);
	if (t->buf == NULL) {
		fprintf(stderr, "bench: out of memory for %zu bytes of text\n", t->cap);
		exit(1);
	}
}

void bench_text_printf(struct bench_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->cap == 0)
		text_grow(t, 0);
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			fprintf(stderr, "bench: cannot format \"%s\"\n", fmt);
			exit(1);
		}
		if ((size_t)n < t->cap - t->len)
			break;
		text_grow(t, t->len + (size_t)n + 1);
	}
	t->len += (size_t)n;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_now_s(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

double bench_cpu_s(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of v[0..n-1]; sorts v. */
static double median_sorting(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/*
 * The cost of one clock read: the median gap between two back-to-back reads
 * (so preemption in one sample does not count), in nanoseconds.
 */
static double measure_clock_ns(double (*now)(void))
{
	static double gaps[CLOCK_SAMPLES];

	for (size_t i = 0; i < CLOCK_SAMPLES; i++) {
		double a = now(), c = now();

		gaps[i] = (c - a) * 1e9;
	}
	return median_sorting(gaps, CLOCK_SAMPLES);
}

static int env_int(const char *name, int dflt, int lo, int hi)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return dflt;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "bench: %s=%s ignored (expected %d..%d)\n", name, s, lo, hi);
		return dflt;
	}
	return (int)v;
}

static double env_double(const char *name, double dflt, double lo, double hi)
{
	const char *s = getenv(name);
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return dflt;
	v = strtod(s, &end);
	if (*end != '\0' || !(v >= lo && v <= hi)) {
		fprintf(stderr, "bench: %s=%s ignored (expected %g..%g)\n", name, s, lo, hi);
		return dflt;
	}
	return v;
}

void bench_init(struct bench *b, const char *program)
{
	const char *f = getenv("BENCH_FILTER");

	memset(b, 0, sizeof(*b));
	b->program = program;
	b->filter = f != NULL && *f != '\0' ? f : NULL;
	b->rounds = env_int("BENCH_ROUNDS", BENCH_MIN_ROUNDS, BENCH_MIN_ROUNDS, MAX_ROUNDS);
	b->round_s = env_double("BENCH_ROUND_S", BENCH_MIN_ROUND_S, BENCH_MIN_ROUND_S, 60.0);
	b->cpu_clock_ns = measure_clock_ns(bench_cpu_s);
	b->wall_clock_ns = measure_clock_ns(bench_now_s);
}

bool bench_wanted(const struct bench *b, const char *name)
{
	return b->filter == NULL || strstr(name, b->filter) != NULL;
}

int bench_fail(struct bench *b, const char *name, const char *why)
{
	fprintf(stderr, "%s: %s could not be measured: %s\n", b->program, name, why);
	b->failed++;
	return -1;
}

static void empty_loop(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		BENCH_BARRIER();
}

/* The figure's clock, in seconds: the thread's CPU time unless it asks for the wall. */
static double spec_now(const struct bench_spec *s)
{
	return s->wall_clock ? bench_now_s() : bench_cpu_s();
}

/* Seconds that run(n) takes; *work receives what it returned. */
static double time_run(const struct bench_spec *s, uint64_t n, uint64_t *work)
{
	double t0 = spec_now(s);

	*work = s->run(s->ctx, n);
	return spec_now(s) - t0;
}

static double time_baseline(const struct bench_spec *s, uint64_t n)
{
	double t0 = spec_now(s);

	if (s->baseline != NULL)
		s->baseline(s->ctx, n);
	else
		empty_loop(n);
	return spec_now(s) - t0;
}

/* The n that makes one run last about round_s; 0 if the work reports none. */
static uint64_t calibrate(const struct bench *b, const struct bench_spec *s)
{
	double target = b->round_s / CALIBRATION_FRACTION;
	uint64_t n = 1, work;
	double t;

	for (;;) {
		t = time_run(s, n, &work);
		if (work == 0)
			return 0;
		if (t >= target || n >= CALIBRATION_MAX_N)
			break;
		/* Grow fast while the call is far too short to time, then in one step. */
		if (t < target / 100)
			n *= 16;
		else
			n = (uint64_t)ceil((double)n * target / t * 1.1);
	}
	n = (uint64_t)ceil((double)n * b->round_s / t * 1.05);
	return n > 0 ? n : 1;
}

static double figure_of(enum bench_unit kind, uint64_t work, double seconds)
{
	double w = (double)work;

	switch (kind) {
	case BENCH_NS_PER_OP: return seconds * 1e9 / w;
	case BENCH_US_PER_OP: return seconds * 1e6 / w;
	case BENCH_MS_PER_OP: return seconds * 1e3 / w;
	case BENCH_PER_S: return w / seconds;
	case BENCH_MB_PER_S: return w / seconds / 1e6;
	}
	return NAN;
}

/* Enough digits to compare runs, not so many that the noise looks like data. */
static void print_value(double v)
{
	double a = fabs(v);

	if (a >= 1000)
		printf("%.0f", v);
	else if (a >= 100)
		printf("%.1f", v);
	else if (a >= 10)
		printf("%.2f", v);
	else
		printf("%.3f", v);
}

static void print_line(const char *name, const char *unit, const struct bench_stats *st)
{
	printf("%s ", name);
	print_value(st->median);
	printf(" %s ", unit);
	print_value(st->min);
	putchar(' ');
	print_value(st->max);
	putchar('\n');
	fflush(stdout);
}

int bench_report(struct bench *b, const char *name, const char *unit, const double *values,
		 size_t count)
{
	double sorted[MAX_ROUNDS];
	struct bench_stats st;

	if (!bench_wanted(b, name))
		return 0;
	if (count < BENCH_MIN_ROUNDS || count > MAX_ROUNDS)
		return bench_fail(b, name, "wrong number of rounds");
	for (size_t i = 0; i < count; i++) {
		if (!isfinite(values[i]))
			return bench_fail(b, name, "a round has no value");
		sorted[i] = values[i];
	}
	st.median = median_sorting(sorted, count);
	st.min = sorted[0];
	st.max = sorted[count - 1];
	print_line(name, unit, &st);
	b->measured++;
	return 0;
}

int bench_measure(struct bench *b, const struct bench_spec *s, struct bench_stats *out)
{
	double figures[MAX_ROUNDS], base_ns = 0;
	double clock_ns;
	uint64_t n, work;
	struct bench_stats st;

	if (!bench_wanted(b, s->name))
		return 0;
	clock_ns = s->wall_clock ? b->wall_clock_ns : b->cpu_clock_ns;
	n = calibrate(b, s);
	if (n == 0)
		return bench_fail(b, s->name, "the work reported nothing done");
	if (time_run(s, n, &work) <= 0 || work == 0)	/* warm-up round */
		return bench_fail(b, s->name, "the warm-up round did nothing");
	for (int r = 0; r < b->rounds; r++) {
		double t = time_run(s, n, &work), base = time_baseline(s, n);
		double net = t - base - clock_ns * 1e-9;

		if (work == 0)
			return bench_fail(b, s->name, "a round reported nothing done");
		if (net <= 0 || net < t * 0.01)
			return bench_fail(b, s->name, "the loop costs as much as the work");
		figures[r] = figure_of(s->kind, work, net);
		base_ns += base * 1e9 / (double)n;
	}
	fprintf(stderr, "# %s: %d rounds of %llu ops, baseline %.3g ns/op, %s clock %.3g ns\n",
		s->name, b->rounds, (unsigned long long)n, base_ns / b->rounds,
		s->wall_clock ? "wall" : "cpu", clock_ns);
	st.median = median_sorting(figures, (size_t)b->rounds);
	st.min = figures[0];
	st.max = figures[b->rounds - 1];
	print_line(s->name, s->unit, &st);
	b->measured++;
	if (out != NULL)
		*out = st;
	return 0;
}

int bench_finish(const struct bench *b)
{
	if (b->failed > 0) {
		fprintf(stderr, "%s: %d figure(s) could not be measured\n", b->program, b->failed);
		return 1;
	}
	return 0;
}
