/*
 * libFuzzer target for the replay source: the input is a recording. It is
 * written to a temporary file, opened at speed 0 and played to the end,
 * with seeks (back, forward, next transition) chosen by the input's own
 * bytes between passes, so the line reader, the parser, the offset index
 * and the seek paths all see hostile data.
 *
 * Lines are capped at FUZZ_LINE_MAX and a compressed input keeps only
 * FUZZ_RING bytes for stepping back, so inputs of fuzzing size reach the
 * too-long-line and decode-again-from-the-start paths (and no input pays
 * for the 8 MB buffers a real recording gets).
 *
 * It stops once the seeks are spent and the source has said SOURCE_END
 * since the last seek it accepted. The source must get there: at speed 0
 * a pass emits at least one record or reads up to the end, so between two
 * accepted seeks it takes at most a pass per line (lines <= size + 1) and
 * two more (the end); more passes than that for every seek is a source
 * that never ends, and aborts.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/source.h"

#define FUZZ_MAX_SEEKS 64
/* More than the corpus' longest line (under 1,900 bytes), less than the fuzzer's inputs. */
#define FUZZ_LINE_MAX 2048
#define FUZZ_RING 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_write(const uint8_t *data, size_t size, char *path)
{
	int fd = mkstemp(path);
	size_t done = 0;

	if (fd < 0)
		abort();
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	close(fd);
	return 0;
}

/* One pass of the loop; returns 1 if the source said SOURCE_END in it. */
static int fuzz_pass(struct source *src, int64_t mono)
{
	struct source_event ev;
	int ended = 0;

	while (source_step(src, mono, &ev) == 1) {
		if (memchr(ev.message, '\0', sizeof(ev.message)) == NULL)
			abort();
		if (ev.kind == SOURCE_END)
			ended = 1;
	}
	return ended;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz_replay.XXXXXX", err[256], desc[256];
	struct replay_options o = { .path = path, .speed = 0, .ring_bytes = FUZZ_RING,
				    .line_max = FUZZ_LINE_MAX };
	struct source *src;
	/* See the opening comment: (seeks + 1) stretches of at most size + 3 passes, and the seeks' own. */
	size_t max_passes = (FUZZ_MAX_SEEKS + 1) * (size + 4);
	int seeks = 0;
	bool at_end = false;

	fuzz_write(data, size, path);
	src = source_replay_new(&o, err, sizeof(err));
	unlink(path);
	if (src == NULL)
		return 0;
	for (size_t i = 0;; i++) {
		uint8_t op = size > 0 ? data[i % size] : 0;

		if (i == max_passes) {
			fprintf(stderr, "replay fuzz: no end after %zu passes and %d seeks\n", i, seeks);
			abort();
		}
		if (fuzz_pass(src, (int64_t)i))
			at_end = true;
		source_describe(src, desc, sizeof(desc));
		if (seeks < FUZZ_MAX_SEEKS && op % 4 != 0) {
			seeks++;
			/* An accepted seek moves back from the end, or on towards it. */
			if (source_seek(src, op % 4 == 1 ? SOURCE_SEEK_BACK
					: op % 4 == 2 ? SOURCE_SEEK_FORWARD
					: SOURCE_SEEK_NEXT_TRANSITION) == 0)
				at_end = false;
		} else if (at_end) {
			break;
		}
	}
	source_free(src);
	return 0;
}
