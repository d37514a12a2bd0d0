/*
 * The recorder: an append-only JSONL file (see writer.h). Each line is built
 * in memory and handed to the kernel with one write() on a descriptor opened
 * with O_APPEND, so a line is never interleaved with another writer's and a
 * crash leaves whole lines behind. Nothing is buffered in user space, so
 * every line is "flushed" as soon as the call returns; we do not fsync.
 *
 * A torn line (a write that stopped midway, on a full disk) must not
 * swallow the next record: a file that does not end in a newline when it is
 * opened gets one first, and after a short write the rest of the line is
 * tried once more; if that fails too, the next record starts with a newline
 * of its own, in the same write(). Either way the torn line stays a bad line
 * by itself, which replay skips and counts.
 *
 * Only a regular file is recorded to: opening never blocks (O_NONBLOCK, so
 * a FIFO without a reader is ENXIO at once), and anything else is refused.
 */
#include "record/writer.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sanitize.h"
#include "util.h"

/* An event is a short object from a source; anything bigger is a bug upstream. */
#define RECORD_EVENT_MAX 4096

struct recorder {
	int fd;
	char *path;
	bool torn;		/* the file ends inside a line: start the next with a newline */
};

/*
 * Whether the last byte of the file (size bytes) is a newline; an empty file
 * counts as ending in one. A file we cannot read back (opened write-only) is
 * taken to be torn: a spare newline only makes a blank line, which readers skip.
 */
static bool record_ends_whole(int fd, off_t size, bool readable)
{
	char last;

	if (size == 0)
		return true;
	return readable && pread(fd, &last, 1, size - 1) == 1 && last == '\n';
}

/* Open for append without blocking; read access too when we may, to look at the last byte. */
static int record_open_fd(const char *path, bool *readable)
{
	int flags = O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC;
	int fd = open(path, O_RDWR | flags, 0644);

	*readable = fd >= 0;
	if (fd < 0 && errno == EACCES)
		fd = open(path, O_WRONLY | flags, 0644);
	return fd;
}

struct recorder *recorder_open(const char *path, char *err, size_t errlen)
{
	struct recorder *r;
	struct stat st;
	bool readable;
	int fd;

	if (path == NULL || path[0] == '\0') {
		str_printf(err, errlen, "recording: empty file name");
		return NULL;
	}
	fd = record_open_fd(path, &readable);
	if (fd < 0) {
		str_printf(err, errlen, "cannot open recording %s: %s", path,
			   errno == ENXIO ? "a FIFO with no reader (a recording is a regular file)"
					  : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		str_printf(err, errlen, "cannot open recording %s: not a regular file "
			   "(a recording is appended to a file)", path);
		close(fd);
		return NULL;
	}
	/* Writes to a regular file never block; clear the flag all the same. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	r = xmalloc(sizeof(*r));
	r->fd = fd;
	r->path = xstrdup(path);
	r->torn = !record_ends_whole(fd, st.st_size, readable);
	return r;
}

static ssize_t record_write(int fd, const char *buf, size_t len)
{
	ssize_t n;

	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n;
}

/*
 * Write text plus a newline with one write() (after a newline of its own if
 * the file ends in a torn line). A short write is reported; the rest of the
 * line is tried once, and if it does not go, the next line starts afresh.
 */
static int record_write_line(struct recorder *r, const char *text, char *err, size_t errlen)
{
	size_t len = strlen(text), at = r->torn ? 1 : 0, total = at + len + 1;
	char *line = xmalloc(total + 1);
	ssize_t n;
	int e;

	line[0] = '\n';
	memcpy(line + at, text, len);
	line[at + len] = '\n';
	line[total] = '\0';
	n = record_write(r->fd, line, total);
	e = errno;
	if (n > 0 && (size_t)n < total) {
		ssize_t more = record_write(r->fd, line + n, total - (size_t)n);

		e = errno;
		if (more > 0)
			n += more;
	}
	/* Whatever went out last decides whether the file now ends inside a line. */
	if (n > 0)
		r->torn = line[n - 1] != '\n';
	free(line);
	if (n >= 0 && (size_t)n == total)
		return 0;
	if (n <= 0)
		str_printf(err, errlen, "cannot write recording %s: %s", r->path,
			   n < 0 ? strerror(e) : "nothing written");
	else
		str_printf(err, errlen, "cannot write recording %s: short write, %zd of %zu bytes "
			   "(disk full?); the next line starts afresh", r->path, n, total);
	return -1;
}

/*
 * Print obj as one line and write it; takes ownership of obj. A recording is
 * a sink like the screen: every string in it passes the funnel first.
 */
static int record_write_object(struct recorder *r, cJSON *obj, char *err, size_t errlen)
{
	char *text;
	int rc;

	sanitize_cjson(obj);
	text = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	if (text == NULL)
		fatal("out of memory");
	rc = record_write_line(r, text, err, errlen);
	cJSON_free(text);
	return rc;
}

int recorder_write_snapshot(struct recorder *r, int64_t wall_ms, const char *source,
			    const struct metrics_snapshot *s, char *err, size_t errlen)
{
	cJSON *obj = cJSON_CreateObject(), *metrics = metrics_to_cjson(s);

	if (obj == NULL || metrics == NULL)
		fatal("out of memory");
	cJSON_AddNumberToObject(obj, "t", (double)wall_ms);
	cJSON_AddStringToObject(obj, "source", source != NULL ? source : "unknown");
	cJSON_AddItemToObject(obj, "metrics", metrics);
	return record_write_object(r, obj, err, errlen);
}

int recorder_write_event(struct recorder *r, int64_t wall_ms, const char *event_json,
			 char *err, size_t errlen)
{
	cJSON *obj, *event;

	if (event_json == NULL || strlen(event_json) > RECORD_EVENT_MAX) {
		str_printf(err, errlen, "recording %s: event missing or over %d bytes",
			   r->path, RECORD_EVENT_MAX);
		return -1;
	}
	/* Require the text to end after the object: trailing bytes would be lost silently. */
	event = cJSON_ParseWithOpts(event_json, NULL, 1);
	if (event == NULL || !cJSON_IsObject(event)) {
		cJSON_Delete(event);
		str_printf(err, errlen, "recording %s: event is not a JSON object: %.60s",
			   r->path, event_json);
		return -1;
	}
	obj = cJSON_CreateObject();
	if (obj == NULL)
		fatal("out of memory");
	cJSON_AddNumberToObject(obj, "t", (double)wall_ms);
	cJSON_AddItemToObject(obj, "event", event);
	return record_write_object(r, obj, err, errlen);
}

void recorder_close(struct recorder *r)
{
	if (r == NULL)
		return;
	close(r->fd);
	free(r->path);
	free(r);
}
