# Build fragment; see Makefile.am.
# Evaluation: the snapshot history and the performance targets.
src_libroutertop_a_SOURCES += src/history.c src/targets.c

check_PROGRAMS += tests/check_history tests/check_targets
TESTS += tests/check_history tests/check_targets
tests_check_history_SOURCES = tests/check_history.c tests/check_run.h
tests_check_targets_SOURCES = tests/check_targets.c tests/check_run.h
