/*
 * Configuration files (a targets file, a scenario, a header file, and any
 * file a new option reads the same way, such as a router profile): read
 * whole, capped, and never blocking.
 *
 * A regular file is read at once. A pipe (a FIFO, or bash's <(...)) is read
 * as a stream that must end within CFGFILE_PIPE_WAIT_MS, so a FIFO nobody
 * writes to is an error instead of a hang: it is opened without blocking
 * and waited on with poll(). Anything else (a directory, /dev/zero, a
 * terminal, a socket) is refused. A file over its cap is refused, and a NUL
 * byte anywhere is an error located as "PATH:LINE:COLUMN: NUL byte" (a NUL
 * would silently end a line for the C string functions that parse it).
 * Messages name the file as given; they reach stderr through the funnel.
 */
#ifndef RT_CFGFILE_H
#define RT_CFGFILE_H

#include <stddef.h>
#include <stdint.h>

#define CFGFILE_PIPE_WAIT_MS 5000

struct cfgfile {
	char *text;		/* the whole file, NUL-terminated */
	size_t len;		/* bytes before that NUL */
	size_t pos;		/* where the next line starts */
	unsigned long line;	/* number of the line last returned, from 1 */
};

/*
 * Read path (at most max bytes) into f. Returns 0, or -1 with a one-line
 * message in err (f then holds nothing to free); when the file cannot be
 * opened, errno still says why.
 */
int cfgfile_open(struct cfgfile *f, const char *path, size_t max, char *err, size_t errlen);
/* The same, waiting at most wait_ms for a pipe to end (tests take a short wait). */
int cfgfile_open_wait(struct cfgfile *f, const char *path, size_t max, int64_t wait_ms,
		      char *err, size_t errlen);
/*
 * The next line, without its newline (or CR LF), NUL-terminated in place,
 * with its length in *len; NULL after the last. f->line is its number.
 */
char *cfgfile_line(struct cfgfile *f, size_t *len);
void cfgfile_close(struct cfgfile *f);

#endif
