/*
 * libFuzzer target for the decompressing reader (record/stream.c) and the
 * line reader on top of it. The input is a file's bytes: its first byte
 * picks whether they are taken as they are or given a gzip or zstd magic,
 * so the fuzzer reaches both decoders' headers and their corrupt-data
 * paths; the file is read to its end in lines, with seeks back (ring and
 * restart) chosen by the input's own bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/reader.h"
#include "record/stream.h"

#define FUZZ_MAX_LINES 100000
#define FUZZ_CAP 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_write(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w <= 0)
			abort();
		b += w;
		n -= (size_t)w;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t gz[] = { 0x1f, 0x8b, 0x08, 0x00 }, zs[] = { 0x28, 0xb5, 0x2f, 0xfd };
	char path[] = "/tmp/fuzz_stream.XXXXXX", err[256];
	struct rstream_options o = { .ring_bytes = 8192 };
	struct rstream *s;
	struct line_reader rd;
	struct line_span ln;
	char *buf;
	int fd = mkstemp(path);

	if (fd < 0)
		abort();
	if (size > 0 && data[0] % 3 == 1)
		fuzz_write(fd, gz, sizeof(gz));
	else if (size > 0 && data[0] % 3 == 2)
		fuzz_write(fd, zs, sizeof(zs));
	if (size > 1)
		fuzz_write(fd, data + 1, size - 1);
	close(fd);
	s = rstream_open(path, &o, err, sizeof(err));
	unlink(path);
	if (s == NULL)
		return 0;
	buf = malloc(FUZZ_CAP + 1);
	line_reader_init(&rd, s);
	for (int i = 0; i < FUZZ_MAX_LINES; i++) {
		enum line_status st = line_reader_next(&rd, buf, FUZZ_CAP, &ln);

		if (st == LINE_EOF || st == LINE_IOERR || st == LINE_AGAIN)
			break;
		if (st == LINE_OK && (ln.len > FUZZ_CAP || buf[ln.len] != '\0'))
			abort();
		/* Now and then go back: within the ring, or (compressed) from the start. */
		if (size > 2 && data[(size_t)i % size] == 0x5a && i < 64)
			(void)line_reader_seek(&rd, ln.off > 100 ? ln.off - 100 : 0);
	}
	line_reader_free(&rd);
	rstream_close(s);
	free(buf);
	return 0;
}
