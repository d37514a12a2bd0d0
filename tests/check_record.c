/* Tests for the JSONL recorder: append-only, whole lines, clear errors. */
#include <check.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "record/writer.h"

#define LINE_MAX_LEN 8192

/* A fresh temporary file holding text; returns its path (static buffer per call site). */
static void make_file(char *path, size_t len, const char *text)
{
	int fd;
	FILE *f;

	snprintf(path, len, "/tmp/rt-record-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Read every line of path into lines (at most max); returns how many. */
static int read_lines(const char *path, char lines[][LINE_MAX_LEN], int max)
{
	FILE *f = fopen(path, "r");
	int n = 0;

	ck_assert_ptr_nonnull(f);
	while (n < max && fgets(lines[n], LINE_MAX_LEN, f) != NULL) {
		size_t l = strlen(lines[n]);

		ck_assert_msg(l > 0 && lines[n][l - 1] == '\n', "line %d is not whole", n);
		lines[n][l - 1] = '\0';
		n++;
	}
	fclose(f);
	return n;
}

static void sample_snapshot(struct metrics_snapshot *s)
{
	metrics_init(s);
	s->latency.p95 = 125.7;
	s->latency.p99 = 234.1;
	s->throughput.per_second = 156.3;
	s->breaker.state = BREAKER_CLOSED;
}

START_TEST(test_append_keeps_old_lines)
{
	char path[64], err[256], lines[8][LINE_MAX_LEN];
	struct metrics_snapshot s;
	struct recorder *r;
	cJSON *obj;

	make_file(path, sizeof(path), "{\"old\":1}\n{\"old\":2}\n");
	sample_snapshot(&s);
	r = recorder_open(path, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(recorder_write_snapshot(r, 1764000000123, "sim", &s, err, sizeof(err)), 0);
	ck_assert_int_eq(recorder_write_event(r, 1764000000456,
					      "{\"type\":\"breaker\",\"from\":\"closed\",\"to\":\"open\"}",
					      err, sizeof(err)), 0);
	recorder_close(r);

	/* A second session appends after the first. */
	r = recorder_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(recorder_write_snapshot(r, 1764000001123, "exec", &s, err, sizeof(err)), 0);
	recorder_close(r);

	ck_assert_int_eq(read_lines(path, lines, 8), 5);
	ck_assert_str_eq(lines[0], "{\"old\":1}");
	ck_assert_str_eq(lines[1], "{\"old\":2}");
	for (int i = 2; i < 5; i++) {
		obj = cJSON_Parse(lines[i]);
		ck_assert_msg(obj != NULL, "line %d does not parse: %s", i, lines[i]);
		ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(obj, "t")));
		cJSON_Delete(obj);
	}

	obj = cJSON_Parse(lines[2]);
	ck_assert(cJSON_GetObjectItem(obj, "t")->valuedouble == 1764000000123.0);
	ck_assert_str_eq(cJSON_GetObjectItem(obj, "source")->valuestring, "sim");
	ck_assert(cJSON_IsObject(cJSON_GetObjectItem(obj, "metrics")));
	ck_assert(strstr(lines[2], "\"t\":1764000000123,") != NULL);
	cJSON_Delete(obj);

	obj = cJSON_Parse(lines[3]);
	ck_assert(cJSON_GetObjectItem(obj, "t")->valuedouble == 1764000000456.0);
	ck_assert_ptr_null(cJSON_GetObjectItem(obj, "metrics"));
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(obj, "event"), "to")->valuestring, "open");
	cJSON_Delete(obj);

	obj = cJSON_Parse(lines[4]);
	ck_assert_str_eq(cJSON_GetObjectItem(obj, "source")->valuestring, "exec");
	cJSON_Delete(obj);
	unlink(path);
}
END_TEST

START_TEST(test_creates_missing_file)
{
	char dir[] = "/tmp/rt-record-dir-XXXXXX", path[128], err[256], lines[2][LINE_MAX_LEN];
	struct metrics_snapshot s;
	struct recorder *r;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/new.jsonl", dir);
	sample_snapshot(&s);
	r = recorder_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(recorder_write_snapshot(r, 5, "sim", &s, err, sizeof(err)), 0);
	recorder_close(r);
	ck_assert_int_eq(read_lines(path, lines, 2), 1);
	ck_assert(strncmp(lines[0], "{\"t\":5,\"source\":\"sim\",\"metrics\":{", 33) == 0);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A pretty-printed event still becomes exactly one line. */
START_TEST(test_event_is_one_line)
{
	char path[64], err[256], lines[4][LINE_MAX_LEN];
	struct recorder *r;

	make_file(path, sizeof(path), "");
	r = recorder_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(recorder_write_event(r, 7, "{\n  \"type\": \"fault\",\n  \"kind\": \"timeout\"\n}",
					      err, sizeof(err)), 0);
	recorder_close(r);
	ck_assert_int_eq(read_lines(path, lines, 4), 1);
	ck_assert_str_eq(lines[0], "{\"t\":7,\"event\":{\"type\":\"fault\",\"kind\":\"timeout\"}}");
	unlink(path);
}
END_TEST

static const char *const bad_events[] = {
	"", "not json", "[1,2]", "\"text\"", "42", "{\"a\":1} trailing", "{\"a\":", "null",
};

START_TEST(test_bad_event_writes_nothing)
{
	char path[64], err[256] = "", lines[4][LINE_MAX_LEN];
	struct recorder *r;

	make_file(path, sizeof(path), "{\"old\":1}\n");
	r = recorder_open(path, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(recorder_write_event(r, 7, bad_events[_i], err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, path) != NULL, "message '%s' does not name the file", err);
	ck_assert(strchr(err, '\n') == NULL);
	recorder_close(r);
	ck_assert_int_eq(read_lines(path, lines, 4), 1);
	unlink(path);
}
END_TEST

START_TEST(test_oversized_event_rejected)
{
	char path[64], err[256] = "", lines[2][LINE_MAX_LEN];
	size_t n = 10000;
	char *big = malloc(n + 1);
	struct recorder *r;

	/* {"x":"aaaa...."} well over the cap */
	memset(big, 'a', n);
	memcpy(big, "{\"x\":\"", 6);
	memcpy(big + n - 2, "\"}", 2);
	big[n] = '\0';
	make_file(path, sizeof(path), "");
	r = recorder_open(path, err, sizeof(err));
	ck_assert_int_eq(recorder_write_event(r, 7, big, err, sizeof(err)), -1);
	recorder_close(r);
	ck_assert_int_eq(read_lines(path, lines, 2), 0);
	free(big);
	unlink(path);
}
END_TEST

/* Paths that cannot be opened for writing, and the errno text we expect. */
static const struct {
	const char *path, *reason;
} bad_paths[] = {
	{ "/nonexistent-dir-rt/x.jsonl", "No such file or directory" },
	{ "/tmp", "Is a directory" },
	{ "", "empty file name" },
};

START_TEST(test_open_errors)
{
	char err[256] = "";
	struct recorder *r = recorder_open(bad_paths[_i].path, err, sizeof(err));

	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err, bad_paths[_i].path) != NULL, "'%s' lacks the path", err);
	ck_assert_msg(strstr(err, bad_paths[_i].reason) != NULL, "'%s' lacks the reason", err);
	ck_assert(strchr(err, '\n') == NULL);
}
END_TEST

/* Devices and FIFOs are refused at once: opening never blocks. */
START_TEST(test_not_regular_refused)
{
	char err[256] = "", fifo[64] = "/tmp/rt-record-fifo-XXXXXX";
	int fd = mkstemp(fifo);

	ck_assert_ptr_null(recorder_open("/dev/full", err, sizeof(err)));
	ck_assert_str_eq(err, "cannot open recording /dev/full: not a regular file "
			 "(a recording is appended to a file)");
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_ptr_null(recorder_open(fifo, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, ": not a regular file (a recording is appended to a file)"));
	unlink(fifo);
}
END_TEST

/* The size of path in bytes. */
static size_t file_bytes(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return (size_t)st.st_size;
}

/* A file left torn by an earlier run: the line is ended first, the record stays whole. */
START_TEST(test_pretorn_file)
{
	char path[64], err[256], lines[4][LINE_MAX_LEN];
	struct metrics_snapshot s;
	struct recorder *r;
	cJSON *obj;

	make_file(path, sizeof(path), "{\"t\":1,\"metrics\":{\"lat");
	sample_snapshot(&s);
	r = recorder_open(path, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_int_eq(recorder_write_snapshot(r, 2, "sim", &s, err, sizeof(err)), 0);
	ck_assert_int_eq(recorder_write_snapshot(r, 3, "sim", &s, err, sizeof(err)), 0);
	recorder_close(r);
	ck_assert_int_eq(read_lines(path, lines, 4), 3);
	ck_assert_str_eq(lines[0], "{\"t\":1,\"metrics\":{\"lat");
	for (int i = 1; i < 3; i++) {
		obj = cJSON_Parse(lines[i]);
		ck_assert_msg(obj != NULL, "line %d does not parse: %s", i, lines[i]);
		cJSON_Delete(obj);
	}
	unlink(path);
}
END_TEST

/*
 * A write that stops midway (here the file size limit, as a full disk would)
 * is reported; the next record, once there is room, starts on a line of its own.
 */
START_TEST(test_short_write_then_whole)
{
	char path[64], err[256], lines[4][LINE_MAX_LEN];
	struct rlimit lim;
	struct metrics_snapshot s;
	struct recorder *r;
	cJSON *obj;

	make_file(path, sizeof(path), "");
	sample_snapshot(&s);
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &lim), 0);
	r = recorder_open(path, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	lim.rlim_cur = 100;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	ck_assert_int_eq(recorder_write_snapshot(r, 2, "sim", &s, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, ": short write, 100 of ") != NULL, "%s", err);
	ck_assert_ptr_nonnull(strstr(err, "(disk full?); the next line starts afresh"));
	ck_assert_uint_eq(file_bytes(path), 100);
	ck_assert_int_eq(recorder_write_snapshot(r, 3, "sim", &s, err, sizeof(err)), -1);
	ck_assert_str_eq(strstr(err, ": File too large"), ": File too large");
	lim.rlim_cur = lim.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	ck_assert_int_eq(recorder_write_snapshot(r, 4, "sim", &s, err, sizeof(err)), 0);
	recorder_close(r);
	ck_assert_int_eq(read_lines(path, lines, 4), 2);
	ck_assert_uint_eq(strlen(lines[0]), 100);
	obj = cJSON_Parse(lines[1]);
	ck_assert_msg(obj != NULL, "the record after the torn line does not parse: %s", lines[1]);
	ck_assert(cJSON_GetObjectItem(obj, "t")->valuedouble == 4.0);
	cJSON_Delete(obj);
	unlink(path);
}
END_TEST

START_TEST(test_close_null)
{
	recorder_close(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, test_append_keeps_old_lines);
	tcase_add_test(tc, test_creates_missing_file);
	tcase_add_test(tc, test_event_is_one_line);
	tcase_add_loop_test(tc, test_bad_event_writes_nothing, 0,
			    (int)(sizeof(bad_events) / sizeof(bad_events[0])));
	tcase_add_test(tc, test_oversized_event_rejected);
	tcase_add_loop_test(tc, test_open_errors, 0, (int)(sizeof(bad_paths) / sizeof(bad_paths[0])));
	tcase_add_test(tc, test_not_regular_refused);
	tcase_add_test(tc, test_pretorn_file);
	tcase_add_test(tc, test_short_write_then_whole);
	tcase_add_test(tc, test_close_null);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
