/* Configuration files, read whole and without blocking; see cfgfile.h. */
#include "cfgfile.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define CFGFILE_CHUNK 65536

/* What kind of file st is, for a refusal ("a directory"), or NULL if it can be read. */
static const char *cfgfile_refusal(const struct stat *st)
{
	if (S_ISREG(st->st_mode) || S_ISFIFO(st->st_mode))
		return NULL;
	if (S_ISDIR(st->st_mode))
		return "a directory";
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return "a device";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	return "not a regular file";
}

/*
 * Read fd to its end into buf (max + 1 bytes of room, so an oversized file
 * shows). A pipe is waited on with poll() until deadline_ms; a regular file
 * never waits. Returns the bytes read, or -1 with errno set (ETIMEDOUT when
 * a pipe took too long).
 */
static ssize_t cfgfile_slurp(int fd, bool pipe, char *buf, size_t max, int64_t deadline_ms)
{
	size_t got = 0;

	while (got <= max) {
		size_t want = max + 1 - got < CFGFILE_CHUNK ? max + 1 - got : CFGFILE_CHUNK;
		ssize_t n;

		if (pipe) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int64_t left = deadline_ms - clock_monotonic_ms();
			int rc;

			if (left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			rc = poll(&p, 1, (int)left);
			if (rc < 0 && errno != EINTR)
				return -1;
			if (rc <= 0)
				continue;
		}
		n = read(fd, buf + got, want);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
		/* /dev/zero through a pipe: stop at the first NUL, not at the cap. */
		if (memchr(buf + got - (size_t)n, '\0', (size_t)n) != NULL)
			break;
	}
	return (ssize_t)got;
}

/* "PATH:LINE:COLUMN: NUL byte" for the first NUL in text, if there is one. */
static int cfgfile_find_nul(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	const char *nul = memchr(text, '\0', len);
	unsigned long line = 1, column = 1;

	if (nul == NULL)
		return 0;
	for (const char *p = text; p < nul; p++) {
		column++;
		if (*p == '\n') {
			line++;
			column = 1;
		}
	}
	str_printf(err, errlen, "%s:%lu:%lu: NUL byte (not a text file?)", path, line, column);
	return -1;
}

int cfgfile_open(struct cfgfile *f, const char *path, size_t max, char *err, size_t errlen)
{
	return cfgfile_open_wait(f, path, max, CFGFILE_PIPE_WAIT_MS, err, errlen);
}

int cfgfile_open_wait(struct cfgfile *f, const char *path, size_t max, int64_t wait_ms,
		      char *err, size_t errlen)
{
	struct stat st;
	const char *refusal;
	ssize_t n;
	int fd, e;

	memset(f, 0, sizeof(*f));
	/* O_NONBLOCK: opening a FIFO nobody writes to must not wait. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		str_printf(err, errlen, "%s: %s", path, strerror(e));
		errno = e;	/* callers tell a missing file (ENOENT) from the rest */
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		str_printf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	refusal = cfgfile_refusal(&st);
	if (refusal != NULL) {
		str_printf(err, errlen, "%s: %s, not a file to read settings from", path, refusal);
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		str_printf(err, errlen, "%s: larger than %zu bytes", path, max);
		close(fd);
		return -1;
	}
	f->text = xmalloc(max + 2);
	n = cfgfile_slurp(fd, S_ISFIFO(st.st_mode), f->text, max,
			  clock_monotonic_ms() + wait_ms);
	e = errno;
	close(fd);
	if (n < 0) {
		if (e == ETIMEDOUT)
			str_printf(err, errlen, "%s: a pipe that did not end within %g s "
				   "(a FIFO nobody writes to?)", path, (double)wait_ms / 1000.0);
		else
			str_printf(err, errlen, "%s: %s", path, strerror(e));
		cfgfile_close(f);
		return -1;
	}
	f->len = (size_t)n;
	f->text[f->len] = '\0';
	if (cfgfile_find_nul(path, f->text, f->len, err, errlen) != 0) {
		cfgfile_close(f);
		return -1;
	}
	if (f->len > max) {
		str_printf(err, errlen, "%s: larger than %zu bytes", path, max);
		cfgfile_close(f);
		return -1;
	}
	return 0;
}

char *cfgfile_line(struct cfgfile *f, size_t *len)
{
	char *start, *nl;
	size_t n;

	if (f->text == NULL || f->pos >= f->len)
		return NULL;
	start = f->text + f->pos;
	nl = memchr(start, '\n', f->len - f->pos);
	n = nl != NULL ? (size_t)(nl - start) : f->len - f->pos;
	f->pos += n + (nl != NULL);
	if (n > 0 && start[n - 1] == '\r')
		n--;
	start[n] = '\0';
	f->line++;
	*len = n;
	return start;
}

void cfgfile_close(struct cfgfile *f)
{
	free(f->text);
	memset(f, 0, sizeof(*f));
}
