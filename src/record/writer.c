/*
 * The recorder: an append-only JSONL file (see writer.h). Each line is built
 * in memory and handed to the kernel with one write() on a descriptor opened
 * with O_APPEND, so a line is never interleaved with another writer's and a
 * crash leaves whole lines behind. Nothing is buffered in user space, so
 * every line is "flushed" as soon as the call returns; we do not fsync.
 */
#include "record/writer.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sanitize.h"
#include "util.h"

/* An event is a short object from a source; anything bigger is a bug upstream. */
#define RECORD_EVENT_MAX 4096

struct recorder {
	int fd;
	char *path;
};

struct recorder *recorder_open(const char *path, char *err, size_t errlen)
{
	struct recorder *r;
	int fd;

	if (path == NULL || path[0] == '\0') {
		str_printf(err, errlen, "recording: empty file name");
		return NULL;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		str_printf(err, errlen, "cannot open recording %s: %s", path, strerror(errno));
		return NULL;
	}
	r = xmalloc(sizeof(*r));
	r->fd = fd;
	r->path = xstrdup(path);
	return r;
}

/* Write text plus a newline with one write(); a short write is an error, not retried piecemeal. */
static int record_write_line(struct recorder *r, const char *text, char *err, size_t errlen)
{
	size_t len = strlen(text);
	char *line = xmalloc(len + 2);
	ssize_t n;

	memcpy(line, text, len);
	line[len] = '\n';
	line[len + 1] = '\0';
	do {
		n = write(r->fd, line, len + 1);
	} while (n < 0 && errno == EINTR);
	free(line);
	if (n < 0) {
		str_printf(err, errlen, "cannot write recording %s: %s", r->path, strerror(errno));
		return -1;
	}
	if ((size_t)n != len + 1) {
		/* A regular file only writes short when the disk fills up. */
		str_printf(err, errlen, "cannot write recording %s: short write (disk full?)", r->path);
		return -1;
	}
	return 0;
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
