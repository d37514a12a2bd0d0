/*
 * Tests for the exec source with real commands. The loop is driven the way
 * the program drives it (source_wait, then source_step until 0); waits are
 * for real processes to exit and every one is bounded.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "source/source.h"
#include "util.h"

#define WAIT_LIMIT_MS 15000

static const char snapshot_json[] =
	"{\"latency\":{\"p50\":45.2,\"p90\":89.3,\"p95\":125.7,\"p99\":234.1,\"count\":1250},"
	"\"throughput\":{\"requestsPerSecond\":0.032,\"requestsPerMinute\":1.9},"
	"\"errorRates\":{\"circuitBreakerTrips\":20,\"rateLimitViolations\":2,\"timeouts\":1,\"failures\":3},"
	"\"circuitBreakerStatus\":{\"state\":\"open\",\"isHealthy\":false,\"failureRate\":1,"
	"\"avgResponseTime\":67.8,\"recommendation\":\"Service degraded\"}}\n";

static struct source *exec_new(const char *command, int64_t timeout_ms, size_t max_body)
{
	struct exec_options o = { .command = command, .interval_ms = 60000,
				  .timeout_ms = timeout_ms, .max_body = max_body };
	char err[256] = "";
	struct source *src = source_exec_new(&o, err, sizeof(err));

	ck_assert_msg(src != NULL, "%s", err);
	return src;
}

/* Run the loop until the source reports an event; fail after WAIT_LIMIT_MS. */
static void next_event(struct source *src, struct source_event *ev)
{
	int64_t deadline = clock_monotonic_ms() + WAIT_LIMIT_MS;

	for (;;) {
		if (source_step(src, clock_monotonic_ms(), ev) == 1)
			return;
		ck_assert_msg(clock_monotonic_ms() < deadline, "no event within %d ms", WAIT_LIMIT_MS);
		source_wait(src, -1, 100);
	}
}

/* No child of ours is left, running or zombie. */
static void assert_no_children(void)
{
	errno = 0;
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

/* Open descriptors of this process, to catch a pipe left open. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

static void expect_error(const char *command, int64_t timeout_ms, size_t max_body, const char *want)
{
	int fds = count_fds();
	struct source *src = exec_new(command, timeout_ms, max_body);
	struct source_event ev;

	next_event(src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_msg(strcmp(ev.message, want) == 0, "'%s' gave '%s', want '%s'", command, ev.message, want);
	ck_assert(strchr(ev.message, '\n') == NULL);
	assert_no_children();
	ck_assert_int_eq(count_fds(), fds);
	source_free(src);
	ck_assert_int_eq(count_fds(), fds);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_cat_snapshot)
{
	char dir[] = "/tmp/rt-exec-XXXXXX", path[128], cmd[256];
	struct source *src;
	struct source_event ev;
	int64_t before = clock_monotonic_ms();

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snap.json", dir);
	write_file(path, snapshot_json);
	snprintf(cmd, sizeof(cmd), "cat '%s'", path);
	src = exec_new(cmd, 4000, 0);
	next_event(src, &ev);
	ck_assert_msg(ev.kind == SOURCE_SNAPSHOT, "got %d: %s", ev.kind, ev.message);
	ck_assert(ev.snap.latency.p95 == 125.7);
	ck_assert(ev.snap.throughput.per_second == 0.032);
	ck_assert_int_eq(ev.snap.errors.breaker_trips, 20);
	ck_assert_int_eq(ev.snap.breaker.state, BREAKER_OPEN);
	ck_assert_int_ge(ev.at_ms, before);
	ck_assert_int_le(ev.at_ms, clock_monotonic_ms());
	ck_assert_int_gt(ev.wall_ms, 1600000000000);
	/* The next run waits for the interval. */
	ck_assert_int_eq(source_step(src, clock_monotonic_ms(), &ev), 0);
	ck_assert_int_ge(src->ops->next_wakeup(src->self, clock_monotonic_ms()), before + 60000);
	assert_no_children();
	source_free(src);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Output that arrives in pieces, with a pause between them, is put together. */
START_TEST(test_output_in_pieces)
{
	char dir[] = "/tmp/rt-exec-XXXXXX", path[128], cmd[384];
	struct source *src;
	struct source_event ev;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/snap.json", dir);
	write_file(path, snapshot_json);
	snprintf(cmd, sizeof(cmd), "head -c 100 '%s'; sleep 0.2; tail -c +101 '%s'", path, path);
	src = exec_new(cmd, 4000, 0);
	next_event(src, &ev);
	ck_assert_msg(ev.kind == SOURCE_SNAPSHOT, "got %d: %s", ev.kind, ev.message);
	ck_assert(ev.snap.latency.p99 == 234.1);
	source_free(src);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_seed_sample)
{
	char path[512], cmd[600];
	struct source *src;
	struct source_event ev;

	snprintf(path, sizeof(path), "%s/data/samples/seed-open-breaker.json", RT_SRCDIR);
	snprintf(cmd, sizeof(cmd), "cat '%s'", path);
	src = exec_new(cmd, 4000, 0);
	next_event(src, &ev);
	ck_assert_msg(ev.kind == SOURCE_SNAPSHOT, "got %d: %s", ev.kind, ev.message);
	ck_assert_int_eq(ev.snap.breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(ev.snap.breaker.healthy, 0);
	ck_assert_int_eq(ev.snap.errors.breaker_trips, 20);
	ck_assert_int_eq(ev.snap.errors.timeouts, 10);
	ck_assert(ev.snap.throughput.per_second == 0.032);
	ck_assert(isnan(ev.snap.latency.avg));
	source_free(src);
}
END_TEST

/*
 * Rows come through, each run's snapshot replacing the last (lent until the
 * next step, see source.h), and a failed run after them leaks nothing.
 */
START_TEST(test_rows_sample)
{
	char cmd[600];
	struct exec_options o = { .command = cmd, .interval_ms = 10, .timeout_ms = 4000 };
	char err[256] = "";
	struct source *src;
	struct source_event ev;

	snprintf(cmd, sizeof(cmd), "test -e stop || cat '%s/data/samples/upstreams.json'", RT_SRCDIR);
	src = source_exec_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	for (int run = 0; run < 2; run++) {
		next_event(src, &ev);
		ck_assert_msg(ev.kind == SOURCE_SNAPSHOT, "got %d: %s", ev.kind, ev.message);
		ck_assert_uint_eq(ev.snap.nrows, 4);
		ck_assert_str_eq(ev.snap.rows[2].name, "search");
		ck_assert_int_eq(ev.snap.rows[2].snap.breaker.state, BREAKER_OPEN);
	}
	source_free(src);

	snprintf(cmd, sizeof(cmd), "cat '%s/data/samples/upstreams.json'; echo x", RT_SRCDIR);
	src = source_exec_new(&o, err, sizeof(err));
	ck_assert_msg(src != NULL, "%s", err);
	next_event(src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_uint_eq(ev.snap.nrows, 0);
	source_free(src);
}
END_TEST

static const struct {
	const char *command;
	int64_t timeout_ms;
	size_t max_body;
	const char *want;
} failures[] = {
	{ "false", 20000, 0, "command exited with status 1" },
	{ "echo oops >&2; exit 2", 20000, 0, "command exited with status 2: oops" },
	{ "printf 'bad\\033[2Jterm\\nsecond line' >&2; exit 3", 20000, 0, "command exited with status 3: bad [2Jterm" },
	{ "no-such-command-rt", 20000, 0, "command exited with status 127: sh: 1: no-such-command-rt: not found" },
	{ "kill -9 $$", 20000, 0, "command killed by signal 9" },
	{ "true", 20000, 0, "command printed nothing" },
	{ "sleep 10", 200, 0, "command timed out after 0.2 s" },
	{ "yes | head -c 5000000", 20000, 0, "command output over 1048576 bytes" },
	{ "printf 12345678901", 20000, 10, "command output over 10 bytes" },
	/* A background child holding stdout open is cut off by the timeout. */
	{ "sleep 10 & echo '{}'", 300, 0, "command timed out after 0.3 s" },
	/* Stdout closed early while the command goes on: reaped by polling, then cut off. */
	{ "exec >&-; sleep 10", 300, 0, "command timed out after 0.3 s" },
};

START_TEST(test_failures)
{
	int64_t start = clock_monotonic_ms();

	expect_error(failures[_i].command, failures[_i].timeout_ms, failures[_i].max_body, failures[_i].want);
	/*
	 * Reported when it happened: long before the 20 s timeout of the
	 * commands that end on their own, and before the 10 s sleeps of those
	 * cut off by a short one. The bound leaves a busy machine seconds.
	 */
	ck_assert_int_lt(clock_monotonic_ms() - start, 8000);
}
END_TEST

/* Garbage gets the parser's own message, after a prefix that says where it came from. */
START_TEST(test_garbage)
{
	struct source *src = exec_new("echo garbage", 4000, 0);
	struct source_event ev;

	next_event(src, &ev);
	ck_assert_int_eq(ev.kind, SOURCE_ERROR);
	ck_assert_msg(strncmp(ev.message, "command output: ", 16) == 0 && strlen(ev.message) > 16,
		      "got '%s'", ev.message);
	source_free(src);
}
END_TEST

/* The timeout kills the whole process group: a grandchild does not survive. */
START_TEST(test_timeout_kills_group)
{
	char pidfile[] = "/tmp/rt-exec-pid-XXXXXX", cmd[256], stat[64];
	int fd = mkstemp(pidfile);
	long pid = 0;
	FILE *f;
	struct source *src;
	struct source_event ev;
	int64_t deadline;

	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "sleep 30 & echo $! > '%s'; wait", pidfile);
	src = exec_new(cmd, 300, 0);
	next_event(src, &ev);
	ck_assert_str_eq(ev.message, "command timed out after 0.3 s");
	f = fopen(pidfile, "r");
	ck_assert(f != NULL && fscanf(f, "%ld", &pid) == 1);
	fclose(f);
	/* The orphan is reaped by init; until then it may show as a zombie, never as running. */
	snprintf(stat, sizeof(stat), "/proc/%ld/stat", pid);
	/* Far less than its 30 s sleep, far more than a busy machine needs to deliver a kill. */
	deadline = clock_monotonic_ms() + 10000;
	for (;;) {
		char state = 'Z';

		f = fopen(stat, "r");
		if (f == NULL)
			break;
		ck_assert_int_eq(fscanf(f, "%*d %*s %c", &state), 1);
		fclose(f);
		if (state == 'Z')
			break;
		ck_assert_msg(clock_monotonic_ms() < deadline, "grandchild %ld still %c", pid, state);
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
	source_free(src);
	unlink(pidfile);
}
END_TEST

/* Destroying the source in the middle of a run leaves no child behind. */
START_TEST(test_destroy_while_running)
{
	struct source *src = exec_new("sleep 10", 60000, 0);
	struct source_event ev;

	ck_assert_int_eq(source_step(src, clock_monotonic_ms(), &ev), 0);
	ck_assert_int_eq(src->ops->pollfds(src->self, (struct pollfd[4]){ { 0 } }, 4), 2);
	source_free(src);
	assert_no_children();
}
END_TEST

START_TEST(test_first_run_at_once_and_pause)
{
	struct source *src = exec_new("true", 4000, 0);
	struct source_event ev;
	int64_t now = clock_monotonic_ms();

	ck_assert_int_le(src->ops->next_wakeup(src->self, now), now);
	source_set_paused(src, true, now);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, now), SOURCE_NO_WAKEUP);
	ck_assert_int_eq(source_step(src, now, &ev), 0);
	ck_assert_int_eq(src->ops->pollfds(src->self, (struct pollfd[4]){ { 0 } }, 4), 0);
	source_set_paused(src, false, now);
	next_event(src, &ev);
	ck_assert_str_eq(ev.message, "command printed nothing");
	ck_assert_int_eq(source_clock(src, 12345), 12345);
	source_free(src);
}
END_TEST

START_TEST(test_interval_change)
{
	struct source *src = exec_new("true", 4000, 0);
	struct source_event ev;
	int64_t start = clock_monotonic_ms(), wake;

	next_event(src, &ev);
	wake = src->ops->next_wakeup(src->self, clock_monotonic_ms());
	ck_assert_int_ge(wake, start + 60000);
	source_set_interval(src, 1000);
	ck_assert_int_eq(src->ops->next_wakeup(src->self, clock_monotonic_ms()), wake - 59000);
	ck_assert_int_eq(src->interval_ms, 1000);
	source_free(src);
}
END_TEST

static const struct {
	const char *command, *want;
} describes[] = {
	{ "cat /tmp/x.json", "exec: cat /tmp/x.json" },
	{ "curl -s localhost:8080/metrics\n| jq .", "exec: curl -s localhost:8080/metrics | jq ." },
	{ "curl -s http://router.example.com:8080/api/performance/metrics", "exec: curl -s http://router.example.com:8080/api/pe..." },
	{ "echo \x1b[2J; cat x", "exec: echo  [2J; cat x" },
	/* 44 ASCII bytes, then a 2-byte letter that does not fit before the cut. */
	{ "echo 123456789012345678901234567890123456789\xc3\xa9\xc3\xa9\xc3\xa9", "exec: echo 123456789012345678901234567890123456789..." },
};

START_TEST(test_describe)
{
	struct source *src = exec_new(describes[_i].command, 4000, 0);
	char buf[128];

	source_describe(src, buf, sizeof(buf));
	ck_assert_str_eq(buf, describes[_i].want);
	source_free(src);
}
END_TEST

static const struct {
	const char *command;
	int64_t interval_ms, timeout_ms;
	const char *want;
} bad_options[] = {
	{ NULL, 1000, 1000, "exec: empty command" },
	{ "", 1000, 1000, "exec: empty command" },
	{ "  \t", 1000, 1000, "exec: empty command" },
	{ "true", 0, 1000, "exec: interval and timeout must be positive" },
	{ "true", 1000, -5, "exec: interval and timeout must be positive" },
};

START_TEST(test_bad_options)
{
	struct exec_options o = { .command = bad_options[_i].command, .interval_ms = bad_options[_i].interval_ms,
				  .timeout_ms = bad_options[_i].timeout_ms };
	char err[256] = "";

	ck_assert_ptr_null(source_exec_new(&o, err, sizeof(err)));
	ck_assert_str_eq(err, bad_options[_i].want);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("exec");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_cat_snapshot);
	tcase_add_test(tc, test_output_in_pieces);
	tcase_add_test(tc, test_seed_sample);
	tcase_add_test(tc, test_rows_sample);
	tcase_add_loop_test(tc, test_failures, 0, N(failures));
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_timeout_kills_group);
	tcase_add_test(tc, test_destroy_while_running);
	tcase_add_test(tc, test_first_run_at_once_and_pause);
	tcase_add_test(tc, test_interval_change);
	tcase_add_loop_test(tc, test_describe, 0, N(describes));
	tcase_add_loop_test(tc, test_bad_options, 0, N(bad_options));
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
