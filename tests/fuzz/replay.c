/*
 * libFuzzer target for the replay source: the input is a recording. It is
 * written to a temporary file, opened at speed 0 and played to the end,
 * with seeks (back, forward, next transition) chosen by the input's own
 * bytes between passes, so the line reader, the parser, the offset index
 * and the seek paths all see hostile data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source/source.h"

#define FUZZ_MAX_PASSES 20000
#define FUZZ_MAX_SEEKS 64

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

/* One pass of the loop; returns 1 once the source has said SOURCE_END. */
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
	struct replay_options o = { .path = path, .speed = 0 };
	struct source *src;
	int seeks = 0;

	fuzz_write(data, size, path);
	src = source_replay_new(&o, err, sizeof(err));
	unlink(path);
	if (src == NULL)
		return 0;
	for (int i = 0; i < FUZZ_MAX_PASSES; i++) {
		int ended = fuzz_pass(src, i);
		uint8_t op = size > 0 ? data[(size_t)i % size] : 0;

		source_describe(src, desc, sizeof(desc));
		if (ended && seeks >= FUZZ_MAX_SEEKS)
			break;
		if (seeks < FUZZ_MAX_SEEKS && op % 4 != 0) {
			seeks++;
			source_seek(src, op % 4 == 1 ? SOURCE_SEEK_BACK
				    : op % 4 == 2 ? SOURCE_SEEK_FORWARD : SOURCE_SEEK_NEXT_TRANSITION);
		} else if (ended) {
			break;
		}
	}
	source_free(src);
	return 0;
}
