# Core: shared helpers, the source interface, the command line.
src_libroutertop_a_SOURCES += src/util.c src/util.h src/source.c src/source.h src/stopsig.c src/stopsig.h \
	src/metrics.h src/history.h src/targets.h src/monitor.h src/record.h \
	src/output.h src/serve.h src/ui/ui.h

check_PROGRAMS += tests/check_util
TESTS += tests/check_util
tests_check_util_SOURCES = tests/check_util.c tests/check_run.h

check_PROGRAMS += tests/check_cli
TESTS += tests/check_cli
tests_check_cli_SOURCES = tests/check_cli.c tests/check_run.h src/cli.c src/cli.h

TESTS += tests/e2e_cli.sh
EXTRA_DIST += tests/e2e_cli.sh
