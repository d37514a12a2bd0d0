# Build fragment; see Makefile.am.
# The front ends' common part: the monitor (source -> history, evaluation,
# recording) and batch output in every format.
src_libroutertop_a_SOURCES += src/monitor.c src/monitor.h \
	src/output.c src/output.h src/batch.c src/summary.c src/summary.h src/timeline.c src/timeline.h \
	src/recap.c src/recap.h \
	src/compare.c src/compare.h src/openmetrics.c src/openmetrics.h

check_PROGRAMS += tests/check_monitor tests/check_output tests/check_recap
TESTS += tests/check_monitor tests/check_output tests/check_recap
tests_check_recap_SOURCES = tests/check_recap.c tests/check_run.h
tests_check_monitor_SOURCES = tests/check_monitor.c tests/check_run.h \
	tests/full_recorder.c tests/full_recorder.h
tests_check_output_SOURCES = tests/check_output.c tests/check_run.h \
	tests/full_recorder.c tests/full_recorder.h

check_PROGRAMS += tests/check_summary
TESTS += tests/check_summary
tests_check_summary_SOURCES = tests/check_summary.c tests/check_run.h
# The test gzips its own recordings; the reader loads zlib itself (src/dl/).
tests_check_summary_LDADD = $(LDADD) $(ZLIB_LIBS)

BENCH_SHELL += bench/replay.sh
EXTRA_DIST += bench/replay.sh

TESTS += tests/e2e_replay_summary.sh
EXTRA_DIST += tests/e2e_replay_summary.sh

TESTS += tests/e2e_compare.sh
EXTRA_DIST += tests/e2e_compare.sh

TESTS += tests/e2e_openmetrics.sh
EXTRA_DIST += tests/e2e_openmetrics.sh

TESTS += tests/e2e_output_lost.sh
EXTRA_DIST += tests/e2e_output_lost.sh
