/*
 * Check suite for record/stream.c and the line reader on top of it: the
 * same text read back from plain, gzip (one and several members) and zstd
 * (one and several frames) files, told apart by content; corrupt and
 * truncated compressed data as clear errors; going back within the ring
 * and starting a compressed file again; pipes and FIFOs without blocking;
 * a followed file that grows, with a line finished by a later write.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "check_run.h"
#include "record/reader.h"
#include "record/stream.h"
#include "util.h"

#define N_ELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct blob {
	unsigned char *p;
	size_t n;
};

/* Numbered lines of some width, so offsets and order are checkable. */
static struct blob text_lines(int count, int width)
{
	struct blob b = { xmalloc((size_t)count * (size_t)(width + 1)), 0 };

	for (int i = 0; i < count; i++) {
		int n = snprintf((char *)b.p + b.n, (size_t)width + 1, "line %08d ", i);

		memset(b.p + b.n + n, 'a' + i % 26, (size_t)(width - n));
		b.n += (size_t)width;
		b.p[b.n++] = '\n';
	}
	return b;
}

static struct blob gzip_blob(const struct blob *in)
{
	z_stream z;
	struct blob out = { xmalloc(compressBound((uLong)in->n) + 64), 0 };

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = in->p;
	z.avail_in = (uInt)in->n;
	z.next_out = out.p;
	z.avail_out = (uInt)(compressBound((uLong)in->n) + 64);
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	out.n = z.total_out;
	deflateEnd(&z);
	return out;
}

static struct blob zstd_blob(const struct blob *in)
{
	struct blob out = { xmalloc(ZSTD_compressBound(in->n)), 0 };

	out.n = ZSTD_compress(out.p, ZSTD_compressBound(in->n), in->p, in->n, 3);
	ck_assert(!ZSTD_isError(out.n));
	return out;
}

/* in compressed as two members or frames: the first half, then the rest. */
static struct blob two_parts(const struct blob *in, struct blob (*codec)(const struct blob *))
{
	struct blob a = { in->p, in->n / 2 }, b = { in->p + in->n / 2, in->n - in->n / 2 };
	struct blob ca = codec(&a), cb = codec(&b), out;

	out.n = ca.n + cb.n;
	out.p = xmalloc(out.n);
	memcpy(out.p, ca.p, ca.n);
	memcpy(out.p + ca.n, cb.p, cb.n);
	free(ca.p);
	free(cb.p);
	return out;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(p, 1, n, fp), n);
	ck_assert_int_eq(fclose(fp), 0);
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	const char *dir = getenv("TMPDIR");

	str_printf(buf, len, "%s/check_stream.%ld.%s", dir != NULL && strlen(dir) < 60 ? dir : "/tmp",
		   (long)getpid(), name);
}

static struct rstream *open_ok(const char *path, size_t ring, bool follow)
{
	struct rstream_options o = { .ring_bytes = ring, .follow = follow };
	char err[256] = "";
	struct rstream *s = rstream_open(path, &o, err, sizeof(err));

	ck_assert_msg(s != NULL, "open %s: %s", path, err);
	return s;
}

/* Read everything (a bounded number of calls) into a new blob; the last return in *last. */
static struct blob read_all(struct rstream *s, size_t step, ssize_t *last)
{
	struct blob b = { NULL, 0 };
	size_t cap = 0;

	for (int calls = 0; calls < 1000000; calls++) {
		ssize_t n;

		if (b.n + step > cap) {
			cap = (cap + step) * 2;
			b.p = xrealloc(b.p, cap);
		}
		n = rstream_read(s, b.p + b.n, step);
		if (n <= 0) {
			*last = n;
			return b;
		}
		b.n += (size_t)n;
	}
	ck_abort_msg("read_all did not finish");
	return b;
}

enum form { FORM_PLAIN, FORM_GZIP, FORM_ZSTD, FORM_GZIP_2, FORM_ZSTD_2 };

static const struct {
	enum form form;
	enum rstream_codec codec;
} forms[] = {
	{ FORM_PLAIN, RSTREAM_PLAIN }, { FORM_GZIP, RSTREAM_GZIP }, { FORM_ZSTD, RSTREAM_ZSTD },
	{ FORM_GZIP_2, RSTREAM_GZIP }, { FORM_ZSTD_2, RSTREAM_ZSTD },
};

static struct blob encode(enum form f, const struct blob *text)
{
	struct blob copy;

	switch (f) {
	case FORM_GZIP:
		return gzip_blob(text);
	case FORM_ZSTD:
		return zstd_blob(text);
	case FORM_GZIP_2:
		return two_parts(text, gzip_blob);
	case FORM_ZSTD_2:
		return two_parts(text, zstd_blob);
	case FORM_PLAIN:
		break;
	}
	copy.n = text->n;
	copy.p = xmalloc(copy.n);
	memcpy(copy.p, text->p, copy.n);
	return copy;
}

/* Every form reads back as the same text, whatever the file is called (always ".jsonl" here). */
START_TEST(test_forms_read_back)
{
	struct blob text = text_lines(20000, 60), enc = encode(forms[_i].form, &text), got;
	char path[128];
	struct rstream *s;
	ssize_t last = 1;

	tmp_path(path, sizeof(path), "rec.jsonl");
	write_file(path, enc.p, enc.n);
	s = open_ok(path, 0, false);
	got = read_all(s, 4000, &last);
	ck_assert_int_eq(last, 0);
	ck_assert_int_eq(rstream_codec(s), forms[_i].codec);
	ck_assert_uint_eq(got.n, text.n);
	ck_assert(memcmp(got.p, text.p, text.n) == 0);
	rstream_close(s);
	unlink(path);
	free(text.p);
	free(enc.p);
	free(got.p);
}
END_TEST

static const struct {
	enum form form;
	const char *damage;	/* "flip" bytes in the middle, or "cut" the end off */
	const char *want;
} broken[] = {
	{ FORM_GZIP, "flip", "gzip data corrupt near byte " },
	{ FORM_GZIP, "cut", "gzip data ends early (truncated file?)" },
	{ FORM_ZSTD, "flip", "zstd data corrupt near byte " },
	{ FORM_ZSTD, "cut", "zstd data ends early (truncated file?)" },
	{ FORM_GZIP, "tail", "gzip data corrupt near byte " },
};

/* Damaged compressed data: a clear message, -1 from then on, never a crash or a loop. */
START_TEST(test_damaged_compressed_data)
{
	struct blob text = text_lines(5000, 60), enc = encode(broken[_i].form, &text), got;
	char path[128];
	struct rstream *s;
	ssize_t last = 1;
	unsigned char one;

	if (strcmp(broken[_i].damage, "flip") == 0) {
		for (size_t i = enc.n / 2; i < enc.n / 2 + 64; i++)
			enc.p[i] ^= 0x5a;
	} else if (strcmp(broken[_i].damage, "cut") == 0) {
		enc.n = enc.n * 2 / 3;
	} else {
		/* Garbage after a whole member is not another member. */
		enc.p = xrealloc(enc.p, enc.n + 16);
		memset(enc.p + enc.n, 'x', 16);
		enc.n += 16;
	}
	tmp_path(path, sizeof(path), "bad.jsonl.gz");
	write_file(path, enc.p, enc.n);
	s = open_ok(path, 0, false);
	got = read_all(s, 4096, &last);
	ck_assert_int_eq(last, -1);
	ck_assert_msg(strstr(rstream_error(s), broken[_i].want) != NULL, "error: %s", rstream_error(s));
	ck_assert_int_eq(rstream_read(s, &one, 1), -1);
	/* Cut short, what came out is the text's beginning (a flip may garble a block before its check fails). */
	if (strcmp(broken[_i].damage, "cut") == 0)
		ck_assert(got.n < text.n && memcmp(got.p, text.p, got.n) == 0);
	rstream_close(s);
	unlink(path);
	free(text.p);
	free(enc.p);
	free(got.p);
}
END_TEST

/* A compressed file goes back within its ring, and before it starts again from 0. */
START_TEST(test_compressed_seek)
{
	struct blob text = text_lines(4000, 100), enc = encode(forms[_i + 1].form, &text);
	char path[128], buf[100];
	struct rstream *s;
	ssize_t last;
	struct blob got;

	tmp_path(path, sizeof(path), "seek.jsonl");
	write_file(path, enc.p, enc.n);
	s = open_ok(path, 64 * 1024, false);
	got = read_all(s, 3000, &last);
	ck_assert_uint_eq(got.n, text.n);
	ck_assert_int_eq(rstream_floor(s), (int64_t)text.n - 64 * 1024);
	ck_assert_int_eq(rstream_seek(s, (int64_t)text.n - 1000), 0);
	ck_assert_int_eq(rstream_read(s, buf, 100), 100);
	ck_assert(memcmp(buf, text.p + text.n - 1000, 100) == 0);
	ck_assert_int_eq(rstream_seek(s, 5000), 1);
	ck_assert_int_eq(rstream_tell(s), 0);
	ck_assert_int_eq(rstream_read(s, buf, 100), 100);
	ck_assert(memcmp(buf, text.p, 100) == 0);
	ck_assert_int_eq(rstream_seek(s, (int64_t)text.n + 1), -1);
	rstream_close(s);
	unlink(path);
	free(text.p);
	free(enc.p);
	free(got.p);
}
END_TEST

/* A pipe: nothing yet is RSTREAM_AGAIN at once; going back works within the ring only. */
START_TEST(test_pipe_never_blocks)
{
	int p[2], saved = dup(STDIN_FILENO);
	struct blob text = text_lines(3000, 100);
	struct rstream *s;
	char buf[256];
	size_t sent = 0;
	int64_t got = 0;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	s = open_ok("-", 32 * 1024, false);
	ck_assert(rstream_is_pipe(s));
	ck_assert_int_eq(rstream_read(s, buf, sizeof(buf)), RSTREAM_AGAIN);
	ck_assert_int_eq(rstream_poll_fd(s), STDIN_FILENO);
	/* Feed the pipe in pieces; every read answers at once. */
	for (int round = 0; round < 100000 && got < (int64_t)text.n; round++) {
		ssize_t n;

		if (sent < text.n) {
			size_t piece = text.n - sent < 4096 ? text.n - sent : 4096;

			ck_assert_int_eq(write(p[1], text.p + sent, piece), (ssize_t)piece);
			sent += piece;
		}
		while ((n = rstream_read(s, buf, sizeof(buf))) > 0) {
			ck_assert(memcmp(buf, text.p + got, (size_t)n) == 0);
			got += n;
		}
		ck_assert_int_eq(n, RSTREAM_AGAIN);
	}
	ck_assert_int_eq(got, (int64_t)text.n);
	ck_assert_int_eq(rstream_seek(s, got - 1000), 0);
	ck_assert_int_eq(rstream_read(s, buf, 100), 100);
	ck_assert(memcmp(buf, text.p + got - 1000, 100) == 0);
	ck_assert_int_eq(rstream_seek(s, 0), -1);
	close(p[1]);
	ck_assert_int_eq(rstream_seek(s, got), 0);
	ck_assert_int_eq(rstream_read(s, buf, sizeof(buf)), 0);
	rstream_close(s);
	ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	free(text.p);
}
END_TEST

/* A FIFO with no writer opens at once and waits; a writer's gzip data then reads as text. */
START_TEST(test_fifo_without_writer)
{
	struct blob text = text_lines(200, 50), enc = gzip_blob(&text), got = { NULL, 0 };
	char path[128], buf[1024];
	struct rstream *s;
	int w;

	tmp_path(path, sizeof(path), "fifo");
	unlink(path);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	s = open_ok(path, 1 << 20, false);
	ck_assert_int_eq(rstream_read(s, buf, sizeof(buf)), RSTREAM_AGAIN);
	ck_assert_int_eq(rstream_poll_fd(s), -1);
	w = open(path, O_WRONLY | O_NONBLOCK);
	ck_assert_int_ge(w, 0);
	ck_assert_int_eq(write(w, enc.p, enc.n), (ssize_t)enc.n);
	close(w);
	got.p = xmalloc(text.n + 1);
	for (int calls = 0; calls < 10000; calls++) {
		ssize_t n = rstream_read(s, buf, sizeof(buf));

		ck_assert_int_ne(n, -1);
		if (n == 0)
			break;
		ck_assert_int_gt(n, 0);
		ck_assert_uint_le(got.n + (size_t)n, text.n);
		memcpy(got.p + got.n, buf, (size_t)n);
		got.n += (size_t)n;
	}
	ck_assert_uint_eq(got.n, text.n);
	ck_assert(memcmp(got.p, text.p, text.n) == 0);
	ck_assert_int_eq(rstream_codec(s), RSTREAM_GZIP);
	rstream_close(s);
	unlink(path);
	free(text.p);
	free(enc.p);
	free(got.p);
}
END_TEST

static const char *const refused[][2] = {
	{ "/dev/zero", "/dev/zero: a device, not a recording" },
	{ "/", "/: is a directory, not a recording" },
	{ "/nonexistent/x.jsonl", "/nonexistent/x.jsonl: No such file or directory" },
};

START_TEST(test_refused)
{
	struct rstream_options o = { .ring_bytes = 0 };
	char err[256] = "";

	ck_assert_ptr_null(rstream_open(refused[_i][0], &o, err, sizeof(err)));
	ck_assert_str_eq(err, refused[_i][1]);
}
END_TEST

/* A name with an escape sequence never reaches a message raw. */
START_TEST(test_name_sanitised)
{
	struct rstream_options o = { .ring_bytes = 0 };
	char err[256] = "";

	ck_assert_ptr_null(rstream_open("/nonexistent/\033]0;owned\007.jsonl", &o, err, sizeof(err)));
	ck_assert_ptr_null(strchr(err, '\033'));
	ck_assert_ptr_null(strchr(err, '\007'));
}
END_TEST

/*
 * The line reader on a followed file: the end is LINE_AGAIN, and a line the
 * file ends inside comes out whole once the writer finishes it.
 */
START_TEST(test_follow_torn_line)
{
	char path[128], buf[256];
	struct rstream *s;
	struct line_reader rd;
	struct line_span ln;
	FILE *fp;

	tmp_path(path, sizeof(path), "follow.jsonl");
	write_file(path, "first\nsec", 9);
	s = open_ok(path, 0, true);
	line_reader_init(&rd, s);
	rd.follow = true;
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_OK);
	ck_assert_str_eq(buf, "first");
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_AGAIN);
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_AGAIN);
	fp = fopen(path, "a");
	ck_assert_ptr_nonnull(fp);
	fputs("ond\nthird\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_OK);
	ck_assert_str_eq(buf, "second");
	ck_assert_int_eq(ln.off, 6);
	ck_assert_int_eq(ln.end, 13);
	ck_assert(ln.terminated);
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_OK);
	ck_assert_str_eq(buf, "third");
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_AGAIN);
	line_reader_free(&rd);
	rstream_close(s);
	unlink(path);
}
END_TEST

/* A line too long to keep, arriving through a pipe in pieces, is still one LINE_LONG. */
START_TEST(test_long_line_in_pieces)
{
	int p[2], saved = dup(STDIN_FILENO);
	char buf[64], piece[1000];
	struct rstream *s;
	struct line_reader rd;
	struct line_span ln;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	s = open_ok("-", 1 << 16, false);
	line_reader_init(&rd, s);
	memset(piece, 'x', sizeof(piece));
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(write(p[1], piece, sizeof(piece)), (ssize_t)sizeof(piece));
		ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_AGAIN);
	}
	ck_assert_int_eq(write(p[1], "\nok\n", 4), 4);
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_LONG);
	ck_assert_int_eq(ln.off, 0);
	ck_assert_int_eq(ln.end, 5001);
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_OK);
	ck_assert_str_eq(buf, "ok");
	close(p[1]);
	ck_assert_int_eq(line_reader_next(&rd, buf, sizeof(buf) - 1, &ln), LINE_EOF);
	line_reader_free(&rd);
	rstream_close(s);
	ck_assert_int_eq(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("stream");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_forms_read_back, 0, N_ELEMS(forms));
	tcase_add_loop_test(tc, test_damaged_compressed_data, 0, N_ELEMS(broken));
	tcase_add_loop_test(tc, test_compressed_seek, 0, N_ELEMS(forms) - 1);
	tcase_add_test(tc, test_pipe_never_blocks);
	tcase_add_test(tc, test_fifo_without_writer);
	tcase_add_loop_test(tc, test_refused, 0, N_ELEMS(refused));
	tcase_add_test(tc, test_name_sanitised);
	tcase_add_test(tc, test_follow_torn_line);
	tcase_add_test(tc, test_long_line_in_pieces);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
