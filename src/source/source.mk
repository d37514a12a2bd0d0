# Build fragment; see Makefile.am.
# Sources: the one interface (source.h) and one file per source.
src_libroutertop_a_SOURCES += src/source/source.c src/source/source.h \
	src/source/sim.c src/source/http.c src/source/http.h \
	src/source/exec.c src/source/replay.c

check_PROGRAMS += tests/check_exec tests/check_http tests/check_replay tests/check_sim_source
TESTS += tests/check_exec tests/check_http tests/check_replay tests/check_sim_source
tests_check_exec_SOURCES = tests/check_exec.c tests/check_run.h
tests_check_http_SOURCES = tests/check_http.c tests/check_run.h \
	tests/fault_http.c tests/fault_http.h
tests_check_replay_SOURCES = tests/check_replay.c tests/check_run.h
tests_check_sim_source_SOURCES = tests/check_sim_source.c tests/check_run.h

# Helpers for the end-to-end tests: built by `make check`, not tests themselves.
check_PROGRAMS += tests/fault_server tests/http_probe
tests_fault_server_SOURCES = tests/fault_server.c tests/fault_http.c tests/fault_http.h
tests_fault_server_CFLAGS = $(AM_CFLAGS) -pthread
tests_fault_server_LDADD = $(MHD_LIBS)
tests_fault_server_LDFLAGS = $(AM_LDFLAGS) -pthread
tests_http_probe_SOURCES = tests/http_probe.c
tests_http_probe_LDADD = $(CURL_LIBS)

TESTS += tests/e2e_watch_faults.sh
EXTRA_DIST += tests/e2e_watch_faults.sh

TESTS += tests/e2e_replay_inputs.sh
EXTRA_DIST += tests/e2e_replay_inputs.sh

# The fuzz target for the replay source: line reader, parser, index, seeks.
FUZZ_TARGETS += tests/fuzz/replay
tests_fuzz_replay_LDADD = $(FUZZ_LDADD)
