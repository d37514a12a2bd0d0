/*
 * A file followed like `tail -F`, line by line, without ever blocking.
 *
 * - A regular file is read from its end (or its start with from_start),
 *   then followed as it grows. When its name comes to point at another file
 *   (rotation by rename: mv, then the writer reopens), the new file is read
 *   from its start, and the old one stays open for a grace period, so lines
 *   a writer still adds to it after the rename are not lost. A file that
 *   shrinks (copytruncate) is read again from its start. A name that does
 *   not exist yet is waited for.
 * - A gzip or zstd file (told by its first bytes) is read whole and not
 *   followed: it is a past log.
 * - Standard input ("-"), a pipe or a FIFO is read as data arrives, plain,
 *   gzip or zstd (told by its first bytes; record/stream.h decodes), and
 *   ends when its writer closes it, but for a FIFO named by path: that one
 *   is waited on until a writer comes, and when a writer closes it the
 *   next is waited for, so it ends only with once.
 * - once: read what is there now and end, for an evaluation of the whole
 *   log; a file that does not exist is then an error.
 *
 * Why periodic checks rather than inotify: a followed file at its end is
 * looked at (stat, then read) every FOLLOW_CHECK_MS. That works wherever
 * files do (NFS, container overlays, bind mounts, where inotify sees nothing
 * or too much), needs no watch on the directory to see a rename, and a
 * quarter of a second is well inside a dashboard's refresh. Pipes are
 * waited on with poll(), as data arrives.
 *
 * Lines are returned without their newline; a line longer than
 * FOLLOW_LINE_MAX is returned cut, flagged, and the rest of it skipped.
 */
#ifndef RT_SOURCE_FOLLOW_H
#define RT_SOURCE_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FOLLOW_CHECK_MS 250
/* How long a rotated-away file is still read after it last gave a line. */
#define FOLLOW_RETIRE_MS 2000
#define FOLLOW_LINE_MAX 65536
#define FOLLOW_ERR_LEN 256

struct follow_options {
	bool from_start;	/* read what a regular file already holds first */
	bool once;		/* read what is there and end */
};

enum follow_status {
	FOLLOW_LINE,		/* *line, *len hold the next line */
	FOLLOW_AGAIN,		/* nothing now: wait (pollfd, or until follow_next_check) */
	FOLLOW_END,		/* nothing more, ever (a pipe closed, a gzip file or once at its end) */
	FOLLOW_ERROR,		/* follow_error() says why; the follower has ended */
};

struct follow;

/*
 * Start following path ("-" for standard input). Returns NULL with a
 * one-line message in err for what cannot be followed: a directory, a
 * terminal on standard input, a file missing with once, an unreadable file.
 */
struct follow *follow_open(const char *path, const struct follow_options *o, char *err, size_t errlen);
void follow_close(struct follow *f);	/* NULL is fine; standard input stays open */

/*
 * The next whole line at mono_ms (for the rotation checks). The line points
 * into the follower's buffer and is valid until the next call. *too_long is
 * set when the line was cut at FOLLOW_LINE_MAX. *line_no is its 1-based
 * number in its file, or 0 when that is not known (the file was first read
 * from its end).
 */
enum follow_status follow_next_line(struct follow *f, int64_t mono_ms, const char **line, size_t *len,
				    bool *too_long, int64_t *line_no);

/* The descriptor to poll for input, or -1 when only the timer (follow_next_check) applies. */
int follow_pollfd(const struct follow *f);
/* The monotonic time at which to look again after FOLLOW_AGAIN. */
int64_t follow_next_check(const struct follow *f);
/* The name to show: the path as given, "stdin" for "-". Sanitised. */
const char *follow_name(const struct follow *f);
/* The reason after FOLLOW_ERROR, "" before. */
const char *follow_error(const struct follow *f);
/* Whether the file is there (false while waiting for it to appear). */
bool follow_present(const struct follow *f);

#endif
