/*
 * Following a file (see follow.h). A follower has one reader for the file
 * its name points at, and during the grace period after a rotation a
 * second one for the file that was renamed away. Each reader has its own
 * buffer, so a line is never glued from two files. A buffer holds a read
 * chunk plus room for one whole line: lines are handed out in place.
 */
#include "source/follow.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/stream.h"
#include "sanitize.h"
#include "util.h"

#define READ_CHUNK (256 * 1024)
#define BUF_CAP (FOLLOW_LINE_MAX + READ_CHUNK)
#define NAME_LEN 256

struct reader {
	int fd;			/* -1: none */
	struct rstream *rs;	/* a pipe, FIFO or socket (plain, gzip or zstd, told by its first
				 * bytes), or a gzip or zstd file read whole: record/stream.h decodes */
	bool pipe;		/* a pipe, FIFO, socket or standard input: poll, end on EOF */
	bool eof;		/* nothing more will come */
	bool discarding;	/* inside a line too long to keep */
	dev_t dev;
	ino_t ino;
	int64_t off;		/* bytes read from fd: a file shorter than this was truncated */
	char *buf;
	size_t start, end;
	int64_t line_no;
	bool numbered;		/* read from its start, so line_no is the line's number */
	int64_t last_data_ms;	/* when it last gave bytes (for retiring a rotated file) */
};

struct follow {
	char *path;		/* NULL: standard input */
	char name[NAME_LEN];
	struct follow_options o;
	struct reader cur, old;
	int64_t next_check_ms;
	char err[FOLLOW_ERR_LEN];
	bool failed;
};

static void reader_reset(struct reader *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

static void reader_close(struct reader *r)
{
	if (r->fd > 0)
		close(r->fd);
	rstream_close(r->rs);	/* standard input stays open */
	free(r->buf);
	reader_reset(r);
}

static bool reader_open(const struct reader *r)
{
	return r->fd >= 0 || r->rs != NULL;
}

static int fail(struct follow *f, const char *what)
{
	str_printf(f->err, sizeof(f->err), "%s: %s", f->name, what);
	f->failed = true;
	return -1;
}

/*
 * Set up r to read path ("-": standard input) through record/stream.h: a
 * pipe, FIFO or socket, whose data may be gzip or zstd as well as text, or
 * a gzip or zstd file. It never blocks, and a FIFO with no writer yet is
 * waited on.
 */
static int reader_stream(struct follow *f, struct reader *r, const char *path, bool pipe)
{
	struct rstream_options ro = { 0 };
	char err[RSTREAM_ERR_LEN + NAME_LEN];

	reader_reset(r);
	r->rs = rstream_open(path, &ro, err, sizeof(err));
	if (r->rs == NULL) {
		str_printf(f->err, sizeof(f->err), "%s", err);
		f->failed = true;
		return -1;
	}
	r->buf = xmalloc(BUF_CAP);
	r->pipe = pipe;
	r->numbered = true;
	return 0;
}

static bool is_stream(const struct stat *st)
{
	return S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode);
}

/* Set up r on the open descriptor fd (regular file or pipe); from_start or its end. */
static int reader_start(struct follow *f, struct reader *r, int fd, bool from_start)
{
	struct stat st;
	unsigned char magic[4];
	ssize_t got;

	if (fstat(fd, &st) != 0) {
		close(fd);
		return fail(f, strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(f, "is a directory");
	}
	reader_reset(r);
	r->fd = fd;
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->buf = xmalloc(BUF_CAP);
	r->pipe = !S_ISREG(st.st_mode);
	r->numbered = true;
	if (r->pipe)
		return 0;
	got = pread(fd, magic, sizeof(magic), 0);
	if ((got >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) ||
	    (got == 4 && memcmp(magic, "\x28\xb5\x2f\xfd", 4) == 0)) {
		/* A gzip or zstd file: a past log, read whole by the stream decoder, as a pipe would be. */
		if (fd != STDIN_FILENO)
			close(fd);
		free(r->buf);
		return reader_stream(f, r, f->path != NULL ? f->path : "-", false);
	}
	if (!from_start) {
		off_t end = lseek(fd, 0, SEEK_END);

		r->off = end > 0 ? (int64_t)end : 0;
		r->numbered = r->off == 0;
	}
	return 0;
}

/* Open the name. 1: opened; 0: it is not there (yet); -1: error. */
static int open_name(struct follow *f, struct reader *r, bool from_start)
{
	struct stat st;
	int fd;

	if (stat(f->path, &st) == 0 && is_stream(&st))
		return reader_stream(f, r, f->path, true) < 0 ? -1 : 1;
	fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && !f->o.once)
			return 0;
		return fail(f, strerror(errno));
	}
	return reader_start(f, r, fd, from_start) < 0 ? -1 : 1;
}

struct follow *follow_open(const char *path, const struct follow_options *o, char *err, size_t errlen)
{
	struct follow *f = xcalloc(1, sizeof(*f));

	f->o = *o;
	reader_reset(&f->cur);
	reader_reset(&f->old);
	if (strcmp(path, "-") == 0) {
		struct stat st;

		str_printf(f->name, sizeof(f->name), "stdin");
		if (isatty(STDIN_FILENO)) {
			fail(f, "is a terminal: pipe a log into it");
		} else if (fstat(STDIN_FILENO, &st) == 0 && is_stream(&st)) {
			reader_stream(f, &f->cur, "-", true);
		} else if (reader_start(f, &f->cur, STDIN_FILENO, true) == 0 && f->cur.rs == NULL) {
			f->cur.pipe = true;	/* standard input ends at its end */
		}
	} else {
		sanitize_copy(f->name, sizeof(f->name), path, 0);
		f->path = xstrdup(path);
		open_name(f, &f->cur, o->from_start || o->once);
	}
	if (f->failed) {
		str_printf(err, errlen, "%s", f->err);
		follow_close(f);
		return NULL;
	}
	return f;
}

void follow_close(struct follow *f)
{
	if (f == NULL)
		return;
	reader_close(&f->cur);
	reader_close(&f->old);
	free(f->path);
	free(f);
}

/* Read more into r's buffer. >0: bytes read; 0: none now (or r->eof set); -1: error. */
static ssize_t reader_fill(struct follow *f, struct reader *r, int64_t mono_ms)
{
	size_t room;
	ssize_t n;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	room = BUF_CAP - r->end;
	if (room > READ_CHUNK)
		room = READ_CHUNK;
	if (r->rs != NULL) {
		n = rstream_read(r->rs, r->buf + r->end, room);
		if (n == RSTREAM_AGAIN)
			return 0;
		if (n < 0)
			return fail(f, rstream_error(r->rs));
		if (n == 0)
			r->eof = true;
	} else {
		if (r->pipe) {
			struct pollfd p = { .fd = r->fd, .events = POLLIN };

			if (poll(&p, 1, 0) <= 0)
				return 0;
		}
		n = read(r->fd, r->buf + r->end, room);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : fail(f, strerror(errno));
	}
	if (n == 0 && (r->pipe || f->o.once))
		r->eof = true;
	if (n > 0) {
		r->end += (size_t)n;
		r->off += n;
		r->last_data_ms = mono_ms;
	}
	return n;
}

/* The next line from r's buffer, reading as needed. */
static enum follow_status reader_line(struct follow *f, struct reader *r, int64_t mono_ms,
				      const char **line, size_t *len, bool *too_long)
{
	for (;;) {
		char *s = r->buf + r->start;
		size_t have = r->end - r->start;
		char *nl = memchr(s, '\n', have);
		ssize_t n;

		if (nl != NULL) {
			r->start += (size_t)(nl - s) + 1;
			if (r->discarding) {
				r->discarding = false;
				continue;
			}
			*line = s;
			*len = (size_t)(nl - s);
			*too_long = *len > FOLLOW_LINE_MAX;
			if (*too_long)
				*len = FOLLOW_LINE_MAX;
			r->line_no++;
			return FOLLOW_LINE;
		}
		if (have >= FOLLOW_LINE_MAX || (r->eof && have > 0)) {
			/* Too long (its rest is skipped), or the last line without a newline. */
			bool cut = have >= FOLLOW_LINE_MAX;

			r->start = r->end;
			if (r->discarding) {
				r->discarding = cut;
				continue;
			}
			r->discarding = cut;
			*line = s;
			*len = cut ? FOLLOW_LINE_MAX : have;
			*too_long = cut;
			r->line_no++;
			return FOLLOW_LINE;
		}
		if (r->eof)
			return FOLLOW_END;
		n = reader_fill(f, r, mono_ms);
		if (n < 0)
			return FOLLOW_ERROR;
		if (n == 0 && !r->eof)
			return FOLLOW_AGAIN;
	}
}

/*
 * At the end of the current file: has the name moved to another file
 * (rotation) or has the file shrunk (copytruncate)? Returns true when
 * there may be something new to read.
 */
static bool check_name(struct follow *f, int64_t mono_ms)
{
	struct stat st;

	if (stat(f->path, &st) != 0)
		return false;	/* renamed away, not created again yet: keep reading the old one */
	if (st.st_dev != f->cur.dev || st.st_ino != f->cur.ino) {
		reader_close(&f->old);
		f->old = f->cur;
		f->old.last_data_ms = mono_ms;
		reader_reset(&f->cur);
		return open_name(f, &f->cur, true) > 0;
	}
	if (S_ISREG(st.st_mode) && st.st_size < f->cur.off) {
		lseek(f->cur.fd, 0, SEEK_SET);
		f->cur.off = 0;
		f->cur.start = f->cur.end = 0;
		f->cur.discarding = false;
		f->cur.line_no = 0;
		f->cur.numbered = true;
		return true;
	}
	return false;
}

static enum follow_status old_line(struct follow *f, int64_t mono_ms, const char **line, size_t *len,
				   bool *too_long, int64_t *line_no)
{
	enum follow_status st = reader_line(f, &f->old, mono_ms, line, len, too_long);

	if (st == FOLLOW_LINE) {
		*line_no = f->old.numbered ? f->old.line_no : 0;
		return st;
	}
	if (st == FOLLOW_ERROR)
		return st;
	if (mono_ms - f->old.last_data_ms >= FOLLOW_RETIRE_MS)
		reader_close(&f->old);
	return FOLLOW_AGAIN;
}

enum follow_status follow_next_line(struct follow *f, int64_t mono_ms, const char **line, size_t *len,
				    bool *too_long, int64_t *line_no)
{
	if (f->failed)
		return FOLLOW_ERROR;
	if (reader_open(&f->old)) {
		enum follow_status st = old_line(f, mono_ms, line, len, too_long, line_no);

		if (st != FOLLOW_AGAIN)
			return st;
	}
	for (int pass = 0; pass < 2; pass++) {
		enum follow_status st;

		if (!reader_open(&f->cur)) {
			/* Waiting for the name to appear; when it does, from its start. */
			if (mono_ms < f->next_check_ms)
				return FOLLOW_AGAIN;
			f->next_check_ms = mono_ms + FOLLOW_CHECK_MS;
			if (open_name(f, &f->cur, true) <= 0)
				return f->failed ? FOLLOW_ERROR : FOLLOW_AGAIN;
		}
		st = reader_line(f, &f->cur, mono_ms, line, len, too_long);
		if (st == FOLLOW_LINE)
			*line_no = f->cur.numbered ? f->cur.line_no : 0;
		if (st == FOLLOW_END && f->cur.rs != NULL && f->cur.pipe && f->path != NULL && !f->o.once) {
			/* A FIFO's writer closed it: wait for the next one, as for a name not there. */
			reader_close(&f->cur);
			f->next_check_ms = mono_ms;
			continue;
		}
		/* Nothing to poll (a FIFO with no writer yet): look again after a while. */
		if (st == FOLLOW_AGAIN && f->cur.rs != NULL && rstream_poll_fd(f->cur.rs) < 0)
			f->next_check_ms = mono_ms + FOLLOW_CHECK_MS;
		if (st != FOLLOW_AGAIN || f->cur.pipe || f->cur.rs != NULL || f->path == NULL)
			return st;
		if (mono_ms < f->next_check_ms)
			return FOLLOW_AGAIN;
		f->next_check_ms = mono_ms + FOLLOW_CHECK_MS;
		if (!check_name(f, mono_ms))
			return f->failed ? FOLLOW_ERROR : FOLLOW_AGAIN;
	}
	return FOLLOW_AGAIN;
}

int follow_pollfd(const struct follow *f)
{
	if (f->failed || !f->cur.pipe || f->cur.eof)
		return -1;
	return f->cur.rs != NULL ? rstream_poll_fd(f->cur.rs) : f->cur.fd;
}

int64_t follow_next_check(const struct follow *f)
{
	int64_t t = follow_pollfd(f) >= 0 ? INT64_MAX : f->next_check_ms;

	if (reader_open(&f->old) && f->old.last_data_ms + FOLLOW_RETIRE_MS < t)
		t = f->old.last_data_ms + FOLLOW_RETIRE_MS;
	return t;
}

const char *follow_name(const struct follow *f)
{
	return f->name;
}

const char *follow_error(const struct follow *f)
{
	return f->err;
}

bool follow_present(const struct follow *f)
{
	/* A FIFO with no writer yet has nothing to poll: it is waited for as a missing file is. */
	if (f->cur.rs != NULL && f->cur.pipe && f->path != NULL)
		return rstream_poll_fd(f->cur.rs) >= 0;
	return reader_open(&f->cur);
}
