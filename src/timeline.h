/*
 * The timeline of a recording for the replay screen: the whole file cut
 * into TIMELINE_BINS stretches by position (offsets in its text), each marked
 * with what its snapshots showed: a target missed (WARN, FAIL) by the
 * router or any row, a breaker changing state. The file is read by a
 * second, forward-only stream with the summary's lean reader, a bounded
 * slice at a time (timeline_step), so the screen fills it in between keys.
 */
#ifndef RT_TIMELINE_H
#define RT_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "targets.h"

#define TIMELINE_BINS 512

/* Bits of a bin. */
enum {
	TIMELINE_SCANNED = 1,	/* read: a bin without it is still to come */
	TIMELINE_WARN = 2,
	TIMELINE_FAIL = 4,
	TIMELINE_TRANSITION = 8,
};

struct timeline;

/*
 * Start the timeline of the recording at path against ts (kept, not
 * copied). NULL, with a message in err, for what has no end to scan to:
 * standard input, a pipe, a FIFO; or a file that cannot be opened. With
 * follow, the file is still being written: its end is a pause, and
 * timeline_step reads on when it has grown.
 */
struct timeline *timeline_open(const char *path, const struct target_set *ts, bool follow,
			       char *err, size_t errlen);
void timeline_free(struct timeline *tl);	/* NULL is fine */

/*
 * Read at most max_lines more lines. Returns true while there is more to
 * read now (false at the end, or, following, until the file grows).
 */
bool timeline_step(struct timeline *tl, int max_lines);

/*
 * The bins over the whole text, TIMELINE_BINS of them, into out; returns
 * the text's length they span. For a compressed file that length is known
 * only once it has been read to its end (*exact); until then it is
 * estimated from how much of the stored file has been read.
 */
int64_t timeline_render(const struct timeline *tl, uint8_t out[TIMELINE_BINS], bool *exact);

#endif
