/*
 * Reading recordings (see record/writer.h for what a line holds): a line
 * reader that streams a file in chunks and cuts it into bounded lines, and
 * the parser of one line into a record. Playback (clock, seeking, speed)
 * lives in the replay source; this module only reads.
 */
#ifndef RT_RECORD_READER_H
#define RT_RECORD_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "metrics.h"
#include "record/stream.h"

/* A snapshot may be METRICS_JSON_MAX bytes; the envelope ("t", "source") adds a little. */
#define RECORD_LINE_MAX (METRICS_JSON_MAX + 64 * 1024)
/* Longest event object kept, as compact JSON with its NUL. */
#define RECORD_EVENT_MAX 512
/* A bare snapshot line without "timestamp" comes this long after the line before. */
#define RECORD_BARE_GAP_MS 1000

/* Streams a recording (record/stream.h) in fixed chunks; never holds more than one chunk. */
struct line_reader {
	struct rstream *s;
	char *chunk;		/* LINE_READER_CHUNK bytes */
	size_t pos, len;	/* unread bytes are chunk[pos..len) */
	int64_t chunk_off;	/* stream offset of chunk[0] */
	bool eof;
	bool follow;		/* the end of the file is a pause: a line it ends inside is waited for */
	bool resume;		/* LINE_AGAIN left a line half read: resume_total bytes of it ... */
	size_t resume_total;	/* ... are in the caller's buffer (more than its cap: a long line) */
	int64_t resume_off;	/* ... and it began here */
};

/*
 * LINE_AGAIN: nothing more yet (a pipe, or a followed file that has not
 * grown); the same call later goes on where this one stopped.
 */
enum line_status { LINE_OK, LINE_LONG, LINE_EOF, LINE_IOERR, LINE_AGAIN };

/* Where a line lies in the file. */
struct line_span {
	size_t len;		/* bytes stored, without the newline (or a trailing CR) */
	int64_t off, end;	/* byte range in the file, newline included */
	bool terminated;	/* false: the file ends inside this line */
};

/* Read s from its current offset. The reader does not own s. */
void line_reader_init(struct line_reader *rd, struct rstream *s);
void line_reader_free(struct line_reader *rd);
/*
 * Continue at offset off. Returns rstream_seek's answer: 0 there, 1 back
 * at offset 0 instead (read forward), -1 not possible (the reader is
 * where it was).
 */
int line_reader_seek(struct line_reader *rd, int64_t off);
/*
 * Read the next line into buf (cap bytes at most, NUL-terminated, without
 * its newline). A longer line is consumed to its end but not stored, and
 * reported as LINE_LONG; LINE_EOF when nothing is left, LINE_IOERR when
 * the stream failed (rstream_error says why), LINE_AGAIN when the rest has
 * not arrived yet: call again later with the same buf and cap, which hold
 * the part read so far. With follow set, the end of the file is LINE_AGAIN
 * too, so a line it ends inside is finished when the writer finishes it.
 */
enum line_status line_reader_next(struct line_reader *rd, char *buf, size_t cap,
				  struct line_span *ln);

/* Whether the line holds only blanks (skipped, never counted as bad). */
bool record_line_blank(const char *s, size_t len);

enum record_kind { RECORD_SNAPSHOT, RECORD_EVENT };

struct record {
	enum record_kind kind;
	int64_t t;		/* ms since the epoch */
	int64_t off, line;	/* where it was read; the caller fills these */
	struct metrics_snapshot snap;		/* RECORD_SNAPSHOT */
	char event[RECORD_EVENT_MAX];		/* RECORD_EVENT: the event object as compact JSON */
};

/*
 * Parse one recording line (len bytes, NUL-terminated at len) into *rec:
 * {"t":..,"metrics":{..}}, {"t":..,"event":{..}} or a bare snapshot, whose
 * time is its "timestamp", else prev_t + RECORD_BARE_GAP_MS. *rec is
 * overwritten, so it must own nothing (fresh, zeroed, or after
 * record_free). Returns 0, and the caller owns rec->snap's rows until
 * record_free; or -1 with a one-line message naming the field or column in
 * msg, *rec then owning nothing and otherwise unspecified.
 */
int record_parse_line(const char *buf, size_t len, int64_t prev_t, struct record *rec,
		      char *msg, size_t msglen);

/* Release what a parsed record owns (its snapshot's rows); a zeroed record is fine. */
void record_free(struct record *rec);

/*
 * The lean reader of a line, for reading whole recordings fast: the same
 * as record_parse_line for the snapshot lines it is sure of, without a
 * JSON tree (see metrics_scan). Returns 0 with *rec filled (the caller
 * owns rec->snap's rows), or 1 when the line is anything else (an event,
 * a bad line, unusual JSON): rec->snap then owns nothing, and
 * record_parse_line decides.
 */
int record_skim_line(const char *buf, size_t len, int64_t prev_t, struct record *rec);

#endif
