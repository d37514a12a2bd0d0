/* Configuration files: lines, caps, NUL bytes, and files that are not files. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cfgfile.h"
#include "check_run.h"

static char dir[256], path[512];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "%s/rt_cfg_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
}

static void write_file(const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	fclose(f);
}

START_TEST(test_lines)
{
	static const char text[] = "one\r\n\ntwo\nthree";
	struct cfgfile f;
	char err[256];
	size_t len;
	char *line;

	write_file(text, sizeof(text) - 1);
	ck_assert_int_eq(cfgfile_open(&f, path, 100, err, sizeof(err)), 0);
	ck_assert_str_eq(line = cfgfile_line(&f, &len), "one");
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(cfgfile_line(&f, &len), "");
	ck_assert_str_eq(cfgfile_line(&f, &len), "two");
	ck_assert_str_eq(cfgfile_line(&f, &len), "three");
	ck_assert_uint_eq(f.line, 4);
	ck_assert_ptr_null(cfgfile_line(&f, &len));
	cfgfile_close(&f);
}
END_TEST

START_TEST(test_nul_located)
{
	struct cfgfile f;
	char err[600], want[600];

	write_file("p95=1\nab\0c\n", 11);
	ck_assert_int_eq(cfgfile_open(&f, path, 100, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2:3: NUL byte (not a text file?)", path);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(f.text);
}
END_TEST

START_TEST(test_too_big)
{
	struct cfgfile f;
	char err[600], want[600];

	write_file("0123456789", 10);
	ck_assert_int_eq(cfgfile_open(&f, path, 10, err, sizeof(err)), 0);
	cfgfile_close(&f);
	ck_assert_int_eq(cfgfile_open(&f, path, 9, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: larger than 9 bytes", path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_not_files)
{
	struct cfgfile f;
	char err[600];

	ck_assert_int_eq(cfgfile_open(&f, "/dev/zero", 100, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/dev/zero: a device, not a file to read settings from");
	ck_assert_int_eq(cfgfile_open(&f, dir, 100, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ": a directory, not a file to read settings from"));
	ck_assert_int_eq(cfgfile_open(&f, "/nonexistent/x", 100, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent/x: No such file or directory");
}
END_TEST

/* A FIFO nobody writes to: an error after the wait, never a hang in open(). */
START_TEST(test_fifo_without_writer)
{
	struct cfgfile f;
	char err[600], want[600];

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(cfgfile_open_wait(&f, path, 100, 100, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: a pipe that did not end within 0.1 s (a FIFO nobody writes to?)",
		 path);
	ck_assert_str_eq(err, want);
}
END_TEST

/* A FIFO with a writer is read as a stream; one fed from /dev/zero stops at the first NUL. */
START_TEST(test_fifo_stream)
{
	static const char *const feeds[] = { "p95=1\np99=2\n", NULL };
	struct cfgfile f;
	char err[600];
	size_t len;

	ck_assert_int_eq(mkfifo(path, 0600), 0);
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		int rc, st;

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			int fd = open(path, O_WRONLY);
			char zeros[4096] = { 0 };

			signal(SIGPIPE, SIG_DFL);
			if (feeds[i] != NULL)
				_exit(write(fd, feeds[i], strlen(feeds[i])) < 0);
			for (int k = 0; k < 100000; k++)
				if (write(fd, zeros, sizeof(zeros)) < 0)
					_exit(0);
			_exit(0);
		}
		rc = cfgfile_open_wait(&f, path, 1 << 20, 5000, err, sizeof(err));
		if (feeds[i] != NULL) {
			ck_assert_int_eq(rc, 0);
			ck_assert_str_eq(cfgfile_line(&f, &len), "p95=1");
			ck_assert_str_eq(cfgfile_line(&f, &len), "p99=2");
			cfgfile_close(&f);
		} else {
			ck_assert_int_eq(rc, -1);
			ck_assert_ptr_nonnull(strstr(err, ":1:1: NUL byte"));
		}
		waitpid(pid, &st, 0);
	}
}
END_TEST

static Suite *cfgfile_suite(void)
{
	Suite *s = suite_create("cfgfile");
	TCase *tc = tcase_create("cfgfile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_nul_located);
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_not_files);
	tcase_add_test(tc, test_fifo_without_writer);
	tcase_add_test(tc, test_fifo_stream);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(cfgfile_suite());
}
