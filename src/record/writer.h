/*
 * Recordings: JSONL, one object a line, opened for append and never
 * truncated; each line is written whole and flushed. record/reader.h reads them.
 *   {"t": <ms since epoch>, "source": "sim", "metrics": {...snapshot...}}
 *   {"t": <ms since epoch>, "event": {...}}
 */
#ifndef RT_RECORD_WRITER_H
#define RT_RECORD_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

struct recorder;

/* Open path for append (created 0644 if missing). NULL with a message in err on failure. */
struct recorder *recorder_open(const char *path, char *err, size_t errlen);
/* Append one line. Return 0, or -1 with a message in err (disk full, ...). */
int recorder_write_snapshot(struct recorder *r, int64_t wall_ms, const char *source,
			    const struct metrics_snapshot *s, char *err, size_t errlen);
int recorder_write_event(struct recorder *r, int64_t wall_ms, const char *event_json,
			 char *err, size_t errlen);
void recorder_close(struct recorder *r);	/* NULL is fine */

#endif
