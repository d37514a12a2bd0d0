/*
 * Recordings as byte streams (see stream.h). Raw bytes come from the
 * descriptor into a small input buffer; the first bytes decide the codec
 * (gzip 1f 8b, zstd 28 b5 2f fd, else plain text). Plain regular files are
 * read and seeked directly. Every other stream hands out what its decoder
 * or pipe produced and keeps the last ring_bytes of it, so going back
 * within that is a copy; a compressed regular file that goes back further
 * starts its decoder again from the first byte.
 *
 * Nothing here blocks: descriptors that can block (pipes, FIFOs, standard
 * input) are non-blocking, and a FIFO opened before its writer reads as
 * "nothing yet" rather than as its end.
 */
#include "record/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dl/zlib.h"
#include "dl/zstd.h"
#include "sanitize.h"
#include "util.h"

#define RSTREAM_IN_CAP (64 * 1024)
#define RSTREAM_NAME_LEN 160

struct rstream {
	int fd;
	bool own_fd;
	int saved_flags;	/* standard input's flags, restored at close; -1: untouched */
	char name[RSTREAM_NAME_LEN];	/* sanitised, for messages */
	bool regular, pipe, named_fifo, follow;
	int64_t file_size;

	enum rstream_codec codec;
	bool detected, got_data;
	unsigned char *in;	/* raw bytes in[in_pos..in_len) not yet decoded */
	size_t in_pos, in_len;
	int64_t raw_read;	/* stored bytes read from fd so far */

	z_stream z;
	bool z_ready, z_mid;
	ZSTD_DCtx *zd;
	bool zd_mid;
	bool pending;		/* the decoder filled the last output: it may hold more */

	unsigned char *ring;	/* decompressed bytes [hi - min(hi, ring_cap), hi) at offset % ring_cap */
	size_t ring_cap;
	int64_t hi;		/* decompressed bytes produced so far */
	int64_t cur;		/* offset of the next read */

	bool failed;
	char err[RSTREAM_ERR_LEN];
};

static void rs_fail(struct rstream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rs_fail(struct rstream *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	s->failed = true;
}

/* Plain regular files are read straight into the caller's buffer and seeked with lseek. */
static bool rs_direct(const struct rstream *s)
{
	return s->regular && s->detected && s->codec == RSTREAM_PLAIN;
}

/*
 * Read more raw bytes after those not yet used. Returns 1 with more, 0 at
 * the end, RSTREAM_AGAIN when a pipe has nothing yet, -1 on a read error.
 */
static int rs_raw_more(struct rstream *s)
{
	ssize_t n;

	if (s->in_pos > 0) {
		memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
		s->in_len -= s->in_pos;
		s->in_pos = 0;
	}
	if (s->in_len == RSTREAM_IN_CAP)
		return 1;
	do
		n = read(s->fd, s->in + s->in_len, RSTREAM_IN_CAP - s->in_len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (int)RSTREAM_AGAIN;
		rs_fail(s, "%s", strerror(errno));
		return -1;
	}
	if (n == 0)
		/* A FIFO that no writer has written to yet is waiting, not empty. */
		return s->named_fifo && !s->got_data ? (int)RSTREAM_AGAIN : 0;
	s->got_data = true;
	s->raw_read += n;
	s->in_len += (size_t)n;
	return 1;
}

static int rs_codec_init(struct rstream *s)
{
	if (s->codec == RSTREAM_GZIP && !s->z_ready) {
		memset(&s->z, 0, sizeof(s->z));
		/* 15 + 16: a gzip wrapper only, with the largest window. */
		if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
			rs_fail(s, "cannot start gzip decoding");
			return -1;
		}
		s->z_ready = true;
	}
	if (s->codec == RSTREAM_ZSTD && s->zd == NULL) {
		s->zd = ZSTD_createDCtx();
		if (s->zd == NULL)
			fatal("out of memory starting zstd decoding");
	}
	return 0;
}

/*
 * Look at the first bytes. Returns 1 when the codec is known, 0 when the
 * stream ended (or, following, has not begun), RSTREAM_AGAIN or -1.
 */
static int rs_detect(struct rstream *s)
{
	const unsigned char *p;
	size_t avail;

	while (s->in_len - s->in_pos < 4) {
		int rc = rs_raw_more(s);

		if (rc == 0)
			break;
		if (rc != 1)
			return rc;
	}
	avail = s->in_len - s->in_pos;
	p = s->in + s->in_pos;
	if (avail == 0 || (avail < 4 && s->follow))
		return 0;
	if (avail >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		s->codec = RSTREAM_GZIP;
	else if (avail >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		s->codec = RSTREAM_ZSTD;
	else
		s->codec = RSTREAM_PLAIN;
	s->detected = true;
	return rs_codec_init(s) == 0 ? 1 : -1;
}

/* Stored bytes consumed by the decoder, for "corrupt near byte N". */
static long long rs_raw_pos(const struct rstream *s)
{
	return (long long)(s->raw_read - (int64_t)(s->in_len - s->in_pos));
}

/* The end of the raw bytes: fine between members or frames, else truncated (unless following). */
static ssize_t rs_raw_end(struct rstream *s, bool mid, const char *what)
{
	if (mid && !s->follow) {
		rs_fail(s, "%s data ends early (truncated file?)", what);
		return -1;
	}
	return 0;
}

static ssize_t rs_gzip(struct rstream *s, unsigned char *out, size_t n)
{
	for (;;) {
		int ret;
		size_t produced;

		if (s->in_pos == s->in_len && !s->pending) {
			int rc = rs_raw_more(s);

			if (rc == 0)
				return rs_raw_end(s, s->z_mid, "gzip");
			if (rc != 1)
				return rc;
		}
		if (!s->z_mid && s->in_pos < s->in_len) {
			/* A member ended: another may follow (gzip files concatenate). */
			inflateReset(&s->z);
			s->z_mid = true;
		}
		s->z.next_in = s->in + s->in_pos;
		s->z.avail_in = (uInt)(s->in_len - s->in_pos);
		s->z.next_out = out;
		s->z.avail_out = (uInt)n;
		ret = inflate(&s->z, Z_NO_FLUSH);
		s->in_pos = s->in_len - s->z.avail_in;
		produced = n - s->z.avail_out;
		s->pending = produced == n;
		if (ret == Z_STREAM_END) {
			s->z_mid = false;
			s->pending = false;
		} else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			rs_fail(s, "gzip data corrupt near byte %lld (%s)", rs_raw_pos(s),
				s->z.msg != NULL ? s->z.msg : "bad data");
			return -1;
		}
		if (produced > 0)
			return (ssize_t)produced;
		s->pending = false;
	}
}

static ssize_t rs_zstd(struct rstream *s, unsigned char *out, size_t n)
{
	for (;;) {
		ZSTD_inBuffer ib;
		ZSTD_outBuffer ob = { out, n, 0 };
		size_t r;

		if (s->in_pos == s->in_len && !s->pending) {
			int rc = rs_raw_more(s);

			if (rc == 0)
				return rs_raw_end(s, s->zd_mid, "zstd");
			if (rc != 1)
				return rc;
		}
		ib = (ZSTD_inBuffer){ s->in, s->in_len, s->in_pos };
		r = ZSTD_decompressStream(s->zd, &ob, &ib);
		if (ZSTD_isError(r)) {
			s->in_pos = ib.pos;
			rs_fail(s, "zstd data corrupt near byte %lld (%s)", rs_raw_pos(s),
				ZSTD_getErrorName(r));
			return -1;
		}
		/* A call that moved nothing (flushing after a frame ended) says nothing about the next frame. */
		if (ib.pos > s->in_pos || ob.pos > 0)
			s->zd_mid = r != 0;
		s->in_pos = ib.pos;
		s->pending = ob.pos == ob.size;
		if (ob.pos > 0)
			return (ssize_t)ob.pos;
		s->pending = false;
	}
}

static ssize_t rs_plain(struct rstream *s, unsigned char *out, size_t n)
{
	ssize_t got;

	if (s->in_pos == s->in_len) {
		int rc = rs_raw_more(s);

		if (rc != 1)
			return rc;
	}
	got = (ssize_t)(s->in_len - s->in_pos < n ? s->in_len - s->in_pos : n);
	memcpy(out, s->in + s->in_pos, (size_t)got);
	s->in_pos += (size_t)got;
	return got;
}

/* New decompressed bytes from the source. */
static ssize_t rs_produce(struct rstream *s, unsigned char *out, size_t n)
{
	if (!s->detected) {
		int rc = rs_detect(s);

		if (rc != 1)
			return rc;
	}
	switch (s->codec) {
	case RSTREAM_GZIP:
		return rs_gzip(s, out, n);
	case RSTREAM_ZSTD:
		return rs_zstd(s, out, n);
	case RSTREAM_PLAIN:
		break;
	}
	return rs_plain(s, out, n);
}

/* A plain regular file: what is left of the first bytes, then straight from the file. */
static ssize_t rs_read_direct(struct rstream *s, void *buf, size_t n)
{
	ssize_t got;

	if (s->in_pos < s->in_len)
		return rs_plain(s, buf, n);
	do
		got = read(s->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		rs_fail(s, "%s", strerror(errno));
		return -1;
	}
	s->raw_read += got;
	return got;
}

static void rs_ring_put(struct rstream *s, const unsigned char *p, size_t n)
{
	if (s->ring_cap == 0)
		return;
	if (n > s->ring_cap) {
		p += n - s->ring_cap;
		n = s->ring_cap;
	}
	/* Where the bytes go is fixed by their offset; the caller moves hi. */
	size_t at = (size_t)((uint64_t)(s->hi - (int64_t)n) % s->ring_cap);
	size_t first = s->ring_cap - at < n ? s->ring_cap - at : n;

	memcpy(s->ring + at, p, first);
	memcpy(s->ring, p + first, n - first);
}

static size_t rs_ring_get(const struct rstream *s, int64_t off, unsigned char *out, size_t n)
{
	size_t at = (size_t)((uint64_t)off % s->ring_cap);
	size_t first;

	if ((int64_t)n > s->hi - off)
		n = (size_t)(s->hi - off);
	first = s->ring_cap - at < n ? s->ring_cap - at : n;
	memcpy(out, s->ring + at, first);
	memcpy(out + first, s->ring, n - first);
	return n;
}

ssize_t rstream_read(struct rstream *s, void *buf, size_t n)
{
	ssize_t got;

	if (s->failed)
		return -1;
	if (n == 0)
		return 0;
	if (s->cur < s->hi) {
		size_t m = rs_ring_get(s, s->cur, buf, n);

		s->cur += (int64_t)m;
		return (ssize_t)m;
	}
	got = rs_direct(s) ? rs_read_direct(s, buf, n) : rs_produce(s, buf, n);
	if (got <= 0)
		return got;
	if (!rs_direct(s)) {
		/* hi first: rs_ring_put places the bytes ending at hi. */
		s->hi += got;
		rs_ring_put(s, buf, (size_t)got);
	} else {
		s->hi += got;
	}
	s->cur = s->hi;
	return got;
}

int64_t rstream_floor(const struct rstream *s)
{
	if (rs_direct(s))
		return 0;
	return s->hi > (int64_t)s->ring_cap ? s->hi - (int64_t)s->ring_cap : 0;
}

bool rstream_rewindable(const struct rstream *s)
{
	return s->regular;
}

/* Start a compressed regular file again from its first byte. */
static int rs_restart(struct rstream *s)
{
	if (lseek(s->fd, 0, SEEK_SET) < 0) {
		rs_fail(s, "%s", strerror(errno));
		return -1;
	}
	s->in_pos = s->in_len = 0;
	s->raw_read = 0;
	s->z_mid = s->zd_mid = s->pending = false;
	if (s->zd != NULL)
		ZSTD_DCtx_reset(s->zd, ZSTD_reset_session_only);
	s->hi = s->cur = 0;
	return 0;
}

int rstream_seek(struct rstream *s, int64_t off)
{
	if (s->failed || off < 0)
		return -1;
	if (s->regular && (!s->detected || rs_direct(s))) {
		if (lseek(s->fd, (off_t)off, SEEK_SET) < 0)
			return -1;
		s->in_pos = s->in_len = 0;
		s->raw_read = off;
		s->hi = s->cur = off;
		/* Undetected, a seek can only be to 0 (nothing was read); detection starts over. */
		return 0;
	}
	if (off > s->hi)
		return -1;
	if (off >= rstream_floor(s)) {
		s->cur = off;
		return 0;
	}
	if (!s->regular || rs_restart(s) != 0)
		return -1;
	return off == 0 ? 0 : 1;
}

int64_t rstream_tell(const struct rstream *s)
{
	return s->cur;
}

void rstream_progress(const struct rstream *s, int64_t *done, int64_t *size)
{
	if (rs_direct(s)) {
		*done = s->cur;
	} else {
		/* Of a compressed file, how much of it the decoder has taken. */
		*done = (int64_t)rs_raw_pos(s);
	}
	*size = s->regular ? s->file_size : -1;
	if (s->regular && !s->follow)
		return;
	if (s->regular) {
		struct stat st;

		if (fstat(s->fd, &st) == 0)
			*size = (int64_t)st.st_size;
	}
}

int rstream_poll_fd(const struct rstream *s)
{
	/* A FIFO with no writer yet reads as its end over and over: a timer does better. */
	if (!s->pipe || (s->named_fifo && !s->got_data))
		return -1;
	return s->fd;
}

bool rstream_is_pipe(const struct rstream *s)
{
	return s->pipe;
}

enum rstream_codec rstream_codec(const struct rstream *s)
{
	return s->codec;
}

const char *rstream_codec_name(enum rstream_codec c)
{
	switch (c) {
	case RSTREAM_GZIP:
		return "gzip";
	case RSTREAM_ZSTD:
		return "zstd";
	case RSTREAM_PLAIN:
		break;
	}
	return "plain";
}

const char *rstream_error(const struct rstream *s)
{
	return s->err;
}

/* Whether what fd refers to can be read as a recording; fills err when not. */
static int rs_check_kind(struct rstream *s, const struct stat *st, bool is_stdin,
			 char *err, size_t errlen)
{
	if (S_ISDIR(st->st_mode)) {
		str_printf(err, errlen, "%s: is a directory, not a recording", s->name);
		return -1;
	}
	if (S_ISREG(st->st_mode)) {
		if (st->st_size == 0 && !s->follow) {
			str_printf(err, errlen, "%s: empty recording", s->name);
			return -1;
		}
		s->regular = true;
		s->file_size = (int64_t)st->st_size;
		return 0;
	}
	if (S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode)) {
		s->pipe = true;
		s->named_fifo = S_ISFIFO(st->st_mode) && !is_stdin;
		return 0;
	}
	if (isatty(s->fd))
		str_printf(err, errlen, "%s: a terminal, not a recording (pipe one in, or name a file)",
			   s->name);
	else
		str_printf(err, errlen, "%s: a device, not a recording", s->name);
	return -1;
}

struct rstream *rstream_open(const char *path, const struct rstream_options *o,
			     char *err, size_t errlen)
{
	struct rstream *s;
	struct stat st;
	bool is_stdin = strcmp(path, "-") == 0;
	int flags;

	s = xcalloc(1, sizeof(*s));
	s->saved_flags = -1;
	s->follow = o->follow;
	sanitize_copy(s->name, sizeof(s->name), is_stdin ? "standard input" : path, 0);
	/* O_NONBLOCK: a FIFO without a writer would otherwise hang open() itself. */
	s->fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	s->own_fd = !is_stdin;
	if (s->fd < 0) {
		str_printf(err, errlen, "%s: %s", s->name, strerror(errno));
		free(s);
		return NULL;
	}
	if (fstat(s->fd, &st) != 0) {
		str_printf(err, errlen, "%s: %s", s->name, strerror(errno));
		rstream_close(s);
		return NULL;
	}
	if (rs_check_kind(s, &st, is_stdin, err, errlen) != 0) {
		rstream_close(s);
		return NULL;
	}
	flags = fcntl(s->fd, F_GETFL);
	if (flags >= 0 && s->pipe && !(flags & O_NONBLOCK)) {
		if (is_stdin)
			s->saved_flags = flags;
		(void)fcntl(s->fd, F_SETFL, flags | O_NONBLOCK);
	} else if (flags >= 0 && s->regular && (flags & O_NONBLOCK) && s->own_fd) {
		(void)fcntl(s->fd, F_SETFL, flags & ~O_NONBLOCK);
	}
	if (s->regular) {
		if (lseek(s->fd, 0, SEEK_SET) < 0) {
			str_printf(err, errlen, "%s: %s", s->name, strerror(errno));
			rstream_close(s);
			return NULL;
		}
#ifdef POSIX_FADV_SEQUENTIAL
		(void)posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	}
	s->in = xmalloc(RSTREAM_IN_CAP);
	s->ring_cap = o->ring_bytes;
	if (s->ring_cap > 0)
		s->ring = xmalloc(s->ring_cap);
	return s;
}

void rstream_close(struct rstream *s)
{
	if (s == NULL)
		return;
	if (s->z_ready)
		inflateEnd(&s->z);
	if (s->zd != NULL)	/* libzstd is loaded only once a zstd stream needs it */
		ZSTD_freeDCtx(s->zd);
	if (s->saved_flags >= 0)
		(void)fcntl(s->fd, F_SETFL, s->saved_flags);
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	free(s->in);
	free(s->ring);
	free(s);
}
