# Core: shared helpers, the source interface, the command line.
src_libroutertop_a_SOURCES += src/util.c src/util.h src/source.c src/source.h \
	src/metrics.h src/history.h src/targets.h src/monitor.h src/record.h \
	src/output.h src/serve.h src/ui/ui.h

check_PROGRAMS += tests/check_util
TESTS += tests/check_util
tests_check_util_SOURCES = tests/check_util.c tests/check_run.h
tests_check_util_CFLAGS = $(TEST_CFLAGS)
tests_check_util_LDADD = $(TEST_LIBS)

