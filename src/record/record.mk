# Build fragment; see Makefile.am.
# Recordings: the writer (--record) and the reader (lines, parser) side by side.
src_libroutertop_a_SOURCES += src/record/writer.c src/record/writer.h \
	src/record/reader.c src/record/reader.h src/record/stream.c src/record/stream.h

check_PROGRAMS += tests/check_record
TESTS += tests/check_record
tests_check_record_SOURCES = tests/check_record.c tests/check_run.h

check_PROGRAMS += tests/check_stream
TESTS += tests/check_stream
tests_check_stream_SOURCES = tests/check_stream.c tests/check_run.h

# libFuzzer target for the decompressing reader and the line reader. clang
# only, so never part of `make check`:
# `make fuzz-stream && ./fuzz-stream -max_total_time=60 DIR`.
FUZZ_STREAM_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
EXTRA_DIST += tests/fuzz_stream.c
CLEANFILES += fuzz-stream
fuzz-stream: $(srcdir)/tests/fuzz_stream.c $(srcdir)/src/record/stream.c $(srcdir)/src/record/stream.h \
		$(srcdir)/src/record/reader.c $(srcdir)/src/record/reader.h \
		$(srcdir)/src/metrics.c $(srcdir)/src/metrics.h $(srcdir)/src/util.c $(srcdir)/src/util.h \
		$(srcdir)/src/sanitize.c $(srcdir)/src/utf8.c
	clang $(FUZZ_STREAM_FLAGS) -std=c11 $(DEFS) $(AM_CPPFLAGS) \
		-o $@ $(srcdir)/tests/fuzz_stream.c $(srcdir)/src/record/stream.c \
		$(srcdir)/src/record/reader.c $(srcdir)/src/metrics.c $(srcdir)/src/util.c \
		$(srcdir)/src/sanitize.c $(srcdir)/src/utf8.c \
		$(CJSON_LIBS) $(ZLIB_LIBS) $(ZSTD_LIBS) -lm
