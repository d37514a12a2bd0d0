/*
 * libFuzzer target for the lean reader of recording lines (see
 * tests/fuzz/fuzz.mk): record_skim_line builds no JSON tree, so it must
 * never take a line the full reader (record_parse_line) rejects, and what
 * it reads must be exactly what the full reader reads.
 */
#include "record/reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record lean, full;
	char msg[256];
	char *line;
	int lrc, frc;

	/* A line as the line reader hands it out: NUL-terminated, no newline. */
	if (size > RECORD_LINE_MAX || memchr(data, '\n', size) != NULL)
		return 0;
	line = malloc(size + 1);
	if (line == NULL)
		abort();
	memcpy(line, data, size);
	line[size] = '\0';
	lrc = record_skim_line(line, size, 1000, &lean);
	frc = record_parse_line(line, size, 1000, &full, msg, sizeof(msg));
	if (lrc == 0) {
		if (frc != 0 || full.kind != RECORD_SNAPSHOT || lean.t != full.t ||
		    !metrics_equal(&lean.snap, &full.snap))
			abort();
		record_free(&lean);
	} else if (lean.snap.rows != NULL) {
		abort();
	}
	if (frc == 0)
		record_free(&full);
	free(line);
	return 0;
}
