/*
 * A recording as a stream of bytes, whatever it is stored as: a plain file,
 * a gzip or zstd file (told by its first bytes, not its name), a pipe, a
 * FIFO or standard input ("-"). Reading never blocks: a pipe with nothing
 * to read yet says RSTREAM_AGAIN, and the caller waits in its poll loop.
 *
 * Offsets are those of the decompressed text. A plain regular file seeks
 * anywhere. Everything else keeps the last bytes it produced in a ring
 * (ring_bytes at open), so a reader can go back within what it has read; a
 * compressed regular file can also start again from its beginning, which
 * rstream_seek reports so the caller reads forward from offset 0.
 */
#ifndef RT_RECORD_STREAM_H
#define RT_RECORD_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RSTREAM_ERR_LEN 256
/* What rstream_read returns when a pipe has nothing yet (not an error, not the end). */
#define RSTREAM_AGAIN ((ssize_t)-2)

enum rstream_codec { RSTREAM_PLAIN, RSTREAM_GZIP, RSTREAM_ZSTD };

struct rstream_options {
	size_t ring_bytes;	/* bytes kept for going back; 0: none (forward only) */
	bool follow;		/* the file may still grow: its end is a pause, not the end */
};

struct rstream;

/*
 * Open path ("-": standard input) without blocking, even on a FIFO with no
 * writer yet. Refuses, with a one-line message in err naming the file,
 * what is not a recording: a directory, a terminal, a device, an empty
 * regular file. The codec is found from the first bytes as they arrive.
 */
struct rstream *rstream_open(const char *path, const struct rstream_options *o,
			     char *err, size_t errlen);
void rstream_close(struct rstream *s);	/* NULL is fine; never closes standard input */

/*
 * Read up to n decompressed bytes at the current offset. Returns how many
 * (> 0), 0 at the end (with follow: for now), RSTREAM_AGAIN when a pipe has
 * nothing yet, or -1 with rstream_error() set: a read error, corrupt or
 * truncated compressed data. After -1 every read returns -1.
 */
ssize_t rstream_read(struct rstream *s, void *buf, size_t n);

/*
 * Continue at decompressed offset off. Returns 0 when the next read starts
 * there; 1 when the stream went back to offset 0 instead (a compressed file
 * gone past what its ring keeps: the caller reads forward); -1 when it
 * cannot (a pipe, before what is kept; or ahead of what was read).
 */
int rstream_seek(struct rstream *s, int64_t off);

/* The offset of the next read. */
int64_t rstream_tell(const struct rstream *s);
/* The lowest offset rstream_seek reaches without starting again (0 for seekable files). */
int64_t rstream_floor(const struct rstream *s);
/* Whether offsets before rstream_floor can be reached (by starting again from 0). */
bool rstream_rewindable(const struct rstream *s);

/*
 * How far through the file the stream has read, as stored bytes read and the
 * file's size; *size is -1 for a pipe (no end is known).
 */
void rstream_progress(const struct rstream *s, int64_t *done, int64_t *size);

/* The descriptor to poll for more data, or -1 when a timer should be used (files, a FIFO without writer). */
int rstream_poll_fd(const struct rstream *s);
/* Whether this is a pipe, FIFO or socket (no size, no going back before the ring). */
bool rstream_is_pipe(const struct rstream *s);
/* The codec, once known (RSTREAM_PLAIN until the first bytes are in). */
enum rstream_codec rstream_codec(const struct rstream *s);
/* "plain", "gzip", "zstd". */
const char *rstream_codec_name(enum rstream_codec c);
/* The message of the last -1 (without the file's name), "" before any. */
const char *rstream_error(const struct rstream *s);

#endif
