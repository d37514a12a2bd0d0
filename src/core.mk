# Build fragment; see Makefile.am.
# Core: shared helpers (allocation, clocks, text), the one UTF-8 decoder and
# the stop signals, plus the command line, which only the program and its
# test compile.
src_libroutertop_a_SOURCES += src/util.c src/util.h src/utf8.c src/utf8.h \
	src/stopsig.c src/stopsig.h

check_PROGRAMS += tests/check_util tests/check_utf8
TESTS += tests/check_util tests/check_utf8
tests_check_util_SOURCES = tests/check_util.c tests/check_run.h
tests_check_utf8_SOURCES = tests/check_utf8.c tests/check_run.h

check_PROGRAMS += tests/check_cli
TESTS += tests/check_cli
tests_check_cli_SOURCES = tests/check_cli.c tests/check_run.h src/cli.c src/cli.h

TESTS += tests/e2e_cli.sh tests/headers.sh
EXTRA_DIST += tests/e2e_cli.sh tests/headers.sh
