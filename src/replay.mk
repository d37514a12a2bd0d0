# Replay: plays a recording (JSONL) back as a source.
src_libroutertop_a_SOURCES += src/source_replay.c

check_PROGRAMS += tests/check_replay
TESTS += tests/check_replay
tests_check_replay_SOURCES = tests/check_replay.c tests/check_run.h

# libFuzzer target for the replay source (line reader, parser, index, seeks).
# clang only, so never part of `make check`:
# `make fuzz-replay && ./fuzz-replay -max_total_time=60 DIR`.
FUZZ_REPLAY_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
EXTRA_DIST += tests/fuzz_replay.c
CLEANFILES += fuzz-replay
fuzz-replay: $(srcdir)/tests/fuzz_replay.c $(srcdir)/src/source_replay.c $(srcdir)/src/source.c \
		$(srcdir)/src/source.h $(srcdir)/src/metrics.c $(srcdir)/src/metrics.h \
		$(srcdir)/src/util.c $(srcdir)/src/util.h
	clang $(FUZZ_REPLAY_FLAGS) -std=c11 $(DEFS) $(AM_CPPFLAGS) \
		-o $@ $(srcdir)/tests/fuzz_replay.c $(srcdir)/src/source_replay.c \
		$(srcdir)/src/source.c $(srcdir)/src/metrics.c $(srcdir)/src/util.c \
		$(CJSON_LIBS) -lm
