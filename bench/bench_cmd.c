/*
 * The harness for figures measured from the shell (bench/bench.sh wraps it),
 * so commands and peers get the same rounds, warm-up and statistics as the
 * C figures:
 *
 *   bench_cmd time NAME UNIT KIND WORK [-i FILE] -- COMMAND [ARG...]
 *       One operation is one run of COMMAND (stdin from FILE or /dev/null,
 *       stdout to /dev/null, stderr kept); WORK is what one run does (bytes
 *       for mb_per_s, lines, requests...; 1 for a time per run). KIND is
 *       ns, us, ms (time per unit of work), per_s or mb_per_s. The baseline
 *       is the same number of runs of `true`, so the cost of starting a
 *       process is subtracted. A run that exits non-zero fails the figure.
 *   bench_cmd report NAME UNIT VALUE...
 *       Print the median, min and max of per-round values measured by the
 *       caller (at least 5).
 *
 * Exits 0 when the figure was measured, 1 when not, 2 on bad usage.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define MAX_VALUES 101

struct cmd_ctx {
	char **argv;
	const char *input;	/* stdin of each run; NULL: /dev/null */
	uint64_t work;		/* per run */
};

/* Run argv once, stdin from input; returns its exit status, or -1. */
static int spawn_wait(char *const argv[], const char *input)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open(input != NULL ? input : "/dev/null", O_RDONLY);
		int out = open("/dev/null", O_WRONLY);

		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static uint64_t run_cmd(void *ctx, uint64_t n)
{
	struct cmd_ctx *c = ctx;

	for (uint64_t i = 0; i < n; i++) {
		int rc = spawn_wait(c->argv, c->input);

		if (rc != 0) {
			fprintf(stderr, "bench_cmd: %s exited with status %d\n", c->argv[0], rc);
			return 0;
		}
	}
	return n * c->work;
}

static void base_cmd(void *ctx, uint64_t n)
{
	struct cmd_ctx *c = ctx;
	char *true_argv[] = { (char *)"true", NULL };

	for (uint64_t i = 0; i < n; i++)
		spawn_wait(true_argv, c->input);
}

static int parse_kind(const char *s, enum bench_unit *out)
{
	static const struct {
		const char *name;
		enum bench_unit kind;
	} kinds[] = {
		{ "ns", BENCH_NS_PER_OP }, { "us", BENCH_US_PER_OP }, { "ms", BENCH_MS_PER_OP },
		{ "per_s", BENCH_PER_S }, { "mb_per_s", BENCH_MB_PER_S },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(s, kinds[i].name) == 0) {
			*out = kinds[i].kind;
			return 0;
		}
	return -1;
}

static int usage(void)
{
	fputs("usage: bench_cmd time NAME UNIT KIND WORK [-i FILE] -- COMMAND [ARG...]\n"
	      "       bench_cmd report NAME UNIT VALUE...\n", stderr);
	return 2;
}

static int cmd_time(struct bench *b, int argc, char **argv)
{
	struct cmd_ctx c = { 0 };
	struct bench_spec s = { .run = run_cmd, .baseline = base_cmd, .ctx = &c, .wall_clock = true };
	char *end;
	int i = 6;

	if (argc < 8 || parse_kind(argv[4], &s.kind) < 0)
		return usage();
	s.name = argv[2];
	s.unit = argv[3];
	c.work = strtoull(argv[5], &end, 10);
	if (*end != '\0' || c.work == 0)
		return usage();
	if (strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
		c.input = argv[i + 1];
		i += 2;
	}
	if (i >= argc - 1 || strcmp(argv[i], "--") != 0)
		return usage();
	c.argv = argv + i + 1;
	bench_measure(b, &s, NULL);
	return bench_finish(b);
}

static int cmd_report(struct bench *b, int argc, char **argv)
{
	double values[MAX_VALUES];
	size_t n = 0;

	if (argc < 4)
		return usage();
	for (int i = 4; i < argc && n < MAX_VALUES; i++) {
		char *end;

		values[n++] = strtod(argv[i], &end);
		if (end == argv[i] || *end != '\0') {
			fprintf(stderr, "bench_cmd: %s: %s is not a number\n", argv[2], argv[i]);
			return 1;
		}
	}
	bench_report(b, argv[2], argv[3], values, n);
	return bench_finish(b);
}

int main(int argc, char **argv)
{
	struct bench b;

	if (argc < 2)
		return usage();
	bench_init(&b, "bench_cmd");
	if (strcmp(argv[1], "time") == 0)
		return cmd_time(&b, argc, argv);
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(&b, argc, argv);
	return usage();
}
