/*
 * Following files like tail -F: start at the end or the start, growth,
 * rotation by rename (with late writes to the old file), copytruncate, a
 * file that appears later, gzip read whole, pipes on standard input (gzip
 * on them too), FIFOs and their writers, long lines. Time is passed in: each test moves "mono" by hand past the check
 * interval, so nothing sleeps.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "check_run.h"
#include "source/follow.h"

struct tmp {
	char dir[64];
	char path[128];
};

static void tmp_make(struct tmp *t)
{
	strcpy(t->dir, "/tmp/check_follow.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/access.log", t->dir);
}

static void tmp_clean(struct tmp *t)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Collect every line available at mono into out ("a|b|c"); returns the last status. */
static enum follow_status drain(struct follow *f, int64_t mono, char *out, size_t outlen)
{
	enum follow_status st;
	const char *line;
	size_t len;
	bool too_long;
	int64_t no;

	out[0] = '\0';
	for (int guard = 0; guard < 100000; guard++) {
		st = follow_next_line(f, mono, &line, &len, &too_long, &no);
		if (st != FOLLOW_LINE)
			return st;
		if (out[0] != '\0')
			strncat(out, "|", outlen - strlen(out) - 1);
		strncat(out, line, len < outlen - strlen(out) - 1 ? len : outlen - strlen(out) - 1);
	}
	ck_abort_msg("drain did not stop");
	return FOLLOW_ERROR;
}

START_TEST(test_from_end_then_growth)
{
	struct tmp t;
	struct follow_options o = { 0 };
	struct follow *f;
	char got[256], err[256];

	tmp_make(&t);
	append(t.path, "old 1\nold 2\n");
	f = follow_open(t.path, &o, err, sizeof(err));
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_AGAIN);
	ck_assert_str_eq(got, "");
	append(t.path, "new 1\nnew 2\npartial");
	ck_assert_int_eq(drain(f, 1, got, sizeof(got)), FOLLOW_AGAIN);
	ck_assert_str_eq(got, "new 1|new 2");
	append(t.path, " end\n");
	drain(f, 2, got, sizeof(got));
	ck_assert_str_eq(got, "partial end");
	ck_assert_int_eq(follow_pollfd(f), -1);
	follow_close(f);
	tmp_clean(&t);
}
END_TEST

START_TEST(test_from_start_and_once)
{
	struct tmp t;
	struct follow_options o = { .from_start = true };
	struct follow *f;
	char got[256], err[256];

	tmp_make(&t);
	append(t.path, "a\n\nb\nlast without newline");
	f = follow_open(t.path, &o, err, sizeof(err));
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_AGAIN);
	ck_assert_str_eq(got, "a||b");
	follow_close(f);
	o.once = true;
	f = follow_open(t.path, &o, err, sizeof(err));
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_END);
	ck_assert_str_eq(got, "a||b|last without newline");
	follow_close(f);
	tmp_clean(&t);
}
END_TEST

/* mv, then the writer reopens: the rest of the old file, late lines in it, then the new one. */
START_TEST(test_rotation_by_rename)
{
	struct tmp t;
	struct follow_options o = { 0 };
	struct follow *f;
	char got[256], err[256], old[160];

	tmp_make(&t);
	append(t.path, "");
	f = follow_open(t.path, &o, err, sizeof(err));
	append(t.path, "1\n2\n");
	drain(f, 0, got, sizeof(got));
	ck_assert_str_eq(got, "1|2");
	snprintf(old, sizeof(old), "%s.1", t.path);
	ck_assert_int_eq(rename(t.path, old), 0);
	append(old, "3\n");	/* still written to the renamed file */
	drain(f, 300, got, sizeof(got));
	ck_assert_str_eq(got, "3");
	append(t.path, "4\n");	/* the writer reopened: a new file */
	append(old, "late\n");	/* a worker that had not reopened yet */
	drain(f, 600, got, sizeof(got));
	ck_assert_str_eq(got, "late|4");
	append(old, "later\n");
	drain(f, 700, got, sizeof(got));
	ck_assert_str_eq(got, "later");
	/* After the grace period the old file is let go. */
	drain(f, 700 + FOLLOW_RETIRE_MS + 1, got, sizeof(got));
	append(old, "too late\n");
	append(t.path, "5\n");
	drain(f, 700 + 2 * FOLLOW_RETIRE_MS, got, sizeof(got));
	ck_assert_str_eq(got, "5");
	follow_close(f);
	tmp_clean(&t);
}
END_TEST

START_TEST(test_copytruncate)
{
	struct tmp t;
	struct follow_options o = { 0 };
	struct follow *f;
	char got[256], err[256];
	int fd;

	tmp_make(&t);
	append(t.path, "");
	f = follow_open(t.path, &o, err, sizeof(err));
	append(t.path, "one\ntwo\n");
	drain(f, 0, got, sizeof(got));
	ck_assert_str_eq(got, "one|two");
	fd = open(t.path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	append(t.path, "x\n");
	drain(f, 300, got, sizeof(got));
	ck_assert_str_eq(got, "x");
	follow_close(f);
	tmp_clean(&t);
}
END_TEST

START_TEST(test_waits_for_file)
{
	struct tmp t;
	struct follow_options o = { 0 };
	struct follow *f;
	char got[256], err[256];

	tmp_make(&t);
	f = follow_open(t.path, &o, err, sizeof(err));
	ck_assert_ptr_nonnull(f);
	ck_assert(!follow_present(f));
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_AGAIN);
	ck_assert_int_eq(follow_next_check(f), FOLLOW_CHECK_MS);
	append(t.path, "first\n");
	drain(f, 100, got, sizeof(got));
	ck_assert_str_eq(got, "");	/* not looked at before the next check */
	drain(f, FOLLOW_CHECK_MS, got, sizeof(got));
	ck_assert_str_eq(got, "first");	/* a file that appears is read from its start */
	ck_assert(follow_present(f));
	follow_close(f);
	tmp_clean(&t);
}
END_TEST

START_TEST(test_refusals)
{
	struct tmp t;
	struct follow_options o = { .once = true };
	char err[256];

	tmp_make(&t);
	ck_assert_ptr_null(follow_open(t.path, &o, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	ck_assert_ptr_null(follow_open(t.dir, &o, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "is a directory"));
	tmp_clean(&t);
}
END_TEST

START_TEST(test_gzip_whole)
{
	struct tmp t;
	struct follow_options o = { 0 };
	struct follow *f;
	char got[256], err[256], gz[160];
	gzFile g;

	tmp_make(&t);
	snprintf(gz, sizeof(gz), "%s/old.log.gz", t.dir);
	g = gzopen(gz, "wb");
	gzputs(g, "g1\ng2\n");
	gzclose(g);
	f = follow_open(gz, &o, err, sizeof(err));	/* not from_start: a past log is read whole anyway */
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_END);
	ck_assert_str_eq(got, "g1|g2");
	follow_close(f);
	/* Truncated gzip data is an error, not a silent end. */
	g = gzopen(gz, "wb");
	for (int i = 0; i < 2000; i++)
		gzprintf(g, "line %d with some text to make the stream longer\n", i);
	gzclose(g);
	ck_assert_int_eq(truncate(gz, 400), 0);
	f = follow_open(gz, &o, err, sizeof(err));
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_ERROR);
	ck_assert_ptr_nonnull(strstr(follow_error(f), "old.log.gz"));
	follow_close(f);
	tmp_clean(&t);
}
END_TEST

START_TEST(test_stdin_pipe)
{
	struct follow_options o = { 0 };
	struct follow *f;
	char got[256], err[256];
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	f = follow_open("-", &o, err, sizeof(err));
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(follow_name(f), "stdin");
	ck_assert_int_eq(follow_pollfd(f), STDIN_FILENO);
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_AGAIN);	/* nothing yet: never blocks */
	ck_assert_int_eq(write(p[1], "p1\np2\np3", 8), 8);
	drain(f, 0, got, sizeof(got));
	ck_assert_str_eq(got, "p1|p2");
	close(p[1]);
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_END);
	ck_assert_str_eq(got, "p3");
	ck_assert_int_eq(follow_pollfd(f), -1);
	follow_close(f);
}
END_TEST

/*
 * A FIFO named by path: no writer yet is a wait (on a timer, nothing to
 * poll), not its end; when a writer closes it, the next one is waited for;
 * with once, the first writer's lines are all.
 */
static int fifo_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK);	/* a reader is there: this does not wait */
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	n = write(fd, text, strlen(text));
	close(fd);
	return (int)n;
}

START_TEST(test_fifo_writers)
{
	struct tmp t;
	struct follow_options o = { 0 }, once = { .once = true };
	struct follow *f;
	char got[256], err[256];

	tmp_make(&t);
	ck_assert_int_eq(mkfifo(t.path, 0600), 0);
	f = follow_open(t.path, &o, err, sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert(!follow_present(f));
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_AGAIN);
	ck_assert_int_eq(follow_pollfd(f), -1);
	ck_assert_int_eq(follow_next_check(f), FOLLOW_CHECK_MS);
	ck_assert_int_eq(fifo_write(t.path, "a\nb\n"), 4);
	ck_assert_int_eq(drain(f, 300, got, sizeof(got)), FOLLOW_AGAIN);	/* not FOLLOW_END */
	ck_assert_str_eq(got, "a|b");
	ck_assert(!follow_present(f));	/* waiting for the next writer */
	ck_assert_int_eq(fifo_write(t.path, "c\n"), 2);
	ck_assert_int_eq(drain(f, 600, got, sizeof(got)), FOLLOW_AGAIN);
	ck_assert_str_eq(got, "c");
	follow_close(f);

	f = follow_open(t.path, &once, err, sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_AGAIN);
	ck_assert_int_eq(fifo_write(t.path, "d\ne"), 3);
	ck_assert_int_eq(drain(f, 300, got, sizeof(got)), FOLLOW_END);
	ck_assert_str_eq(got, "d|e");
	follow_close(f);
	tmp_clean(&t);
}
END_TEST

/*
 * gzip and zstd data on a pipe are told by their first bytes, as in a file;
 * a zstd file is read whole.
 */
START_TEST(test_stdin_gzip)
{
	static const unsigned char hello_gz[] = {	/* printf 'h1\nh2\n' | gzip -c -n */
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x30, 0xe4, 0xca,
		0x30, 0xe2, 0x02, 0x00, 0x31, 0x7a, 0xf8, 0xed, 0x06, 0x00, 0x00, 0x00,
	};
	struct follow_options o = { 0 };
	struct follow *f;
	char got[256], err[256];
	int p[2], saved = dup(STDIN_FILENO);

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	f = follow_open("-", &o, err, sizeof(err));
	ck_assert_msg(f != NULL, "%s", err);
	ck_assert_int_eq(write(p[1], hello_gz, sizeof(hello_gz)), (ssize_t)sizeof(hello_gz));
	close(p[1]);
	ck_assert_int_eq(drain(f, 0, got, sizeof(got)), FOLLOW_END);
	ck_assert_str_eq(got, "h1|h2");
	follow_close(f);
	ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}
END_TEST

START_TEST(test_long_line)
{
	struct tmp t;
	struct follow_options o = { .once = true };
	struct follow *f;
	char err[256];
	const char *line;
	size_t len;
	bool too_long;
	int64_t no;
	FILE *fp;

	tmp_make(&t);
	fp = fopen(t.path, "w");
	fputs("short\n", fp);
	for (int i = 0; i < FOLLOW_LINE_MAX * 3; i++)
		fputc('x', fp);
	fputs("\nafter\n", fp);
	fclose(fp);
	f = follow_open(t.path, &o, err, sizeof(err));
	ck_assert_int_eq(follow_next_line(f, 0, &line, &len, &too_long, &no), FOLLOW_LINE);
	ck_assert(!too_long);
	ck_assert_int_eq(follow_next_line(f, 0, &line, &len, &too_long, &no), FOLLOW_LINE);
	ck_assert(too_long);
	ck_assert_uint_eq(len, FOLLOW_LINE_MAX);
	ck_assert_int_eq(no, 2);
	ck_assert_int_eq(follow_next_line(f, 0, &line, &len, &too_long, &no), FOLLOW_LINE);
	ck_assert(!too_long);
	ck_assert_int_eq(no, 3);
	ck_assert(len == 5 && memcmp(line, "after", 5) == 0);
	ck_assert_int_eq(follow_next_line(f, 0, &line, &len, &too_long, &no), FOLLOW_END);
	follow_close(f);
	tmp_clean(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("follow");
	TCase *tc = tcase_create("follow");

	tcase_add_test(tc, test_from_end_then_growth);
	tcase_add_test(tc, test_from_start_and_once);
	tcase_add_test(tc, test_rotation_by_rename);
	tcase_add_test(tc, test_copytruncate);
	tcase_add_test(tc, test_waits_for_file);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_gzip_whole);
	tcase_add_test(tc, test_stdin_pipe);
	tcase_add_test(tc, test_fifo_writers);
	tcase_add_test(tc, test_stdin_gzip);
	tcase_add_test(tc, test_long_line);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
