# Build fragment; see Makefile.am.
# Core: shared helpers (allocation, clocks, text), the stop signals, the
# UTF-8 decoder and the sanitising funnel every outside text goes through, plus
# the command line, which only the program and its test compile.
src_libroutertop_a_SOURCES += src/util.c src/util.h src/stopsig.c src/stopsig.h \
	src/utf8.c src/utf8.h src/sanitize.c src/sanitize.h src/cfgfile.c src/cfgfile.h

check_PROGRAMS += tests/check_util
TESTS += tests/check_util
tests_check_util_SOURCES = tests/check_util.c tests/check_run.h

check_PROGRAMS += tests/check_cli
TESTS += tests/check_cli
tests_check_cli_SOURCES = tests/check_cli.c tests/check_run.h src/cli.c src/cli.h

TESTS += tests/e2e_cli.sh tests/e2e_rows.sh tests/headers.sh
EXTRA_DIST += tests/e2e_cli.sh tests/e2e_rows.sh tests/headers.sh

check_PROGRAMS += tests/check_sanitize
TESTS += tests/check_sanitize
tests_check_sanitize_SOURCES = tests/check_sanitize.c tests/check_run.h

# The funnel end to end: a hostile router, command, recording and command
# line, each in a script of its own sharing tests/hostile_lib.sh.
E2E_HOSTILE = tests/e2e_hostile_batch.sh tests/e2e_hostile_screen.sh \
	tests/e2e_hostile_exec.sh tests/e2e_hostile_replay.sh tests/e2e_hostile_names.sh \
	tests/e2e_hostile_tail.sh
TESTS += $(E2E_HOSTILE)
EXTRA_DIST += $(E2E_HOSTILE) tests/hostile_lib.sh

check_PROGRAMS += tests/check_cfgfile
TESTS += tests/check_cfgfile
tests_check_cfgfile_SOURCES = tests/check_cfgfile.c tests/check_run.h
TESTS += tests/e2e_config_files.sh
EXTRA_DIST += tests/e2e_config_files.sh
