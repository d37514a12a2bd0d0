# Replay: plays a recording (JSONL) back as a source.
src_libroutertop_a_SOURCES += src/source_replay.c

check_PROGRAMS += tests/check_replay
TESTS += tests/check_replay
tests_check_replay_SOURCES = tests/check_replay.c tests/check_run.h
tests_check_replay_CFLAGS = $(TEST_CFLAGS)
tests_check_replay_LDADD = $(TEST_LIBS)
