# Build fragment; see Makefile.am.
# Network: the HTTP source (`watch URL`) and the HTTP server (`serve`).
src_libroutertop_a_SOURCES += src/source_http.c src/source_http.h \
	src/serve.c src/serve_http.c

check_PROGRAMS += tests/check_http tests/check_serve
TESTS += tests/check_http tests/check_serve
tests_check_http_SOURCES = tests/check_http.c tests/check_run.h \
	tests/fault_http.c tests/fault_http.h
tests_check_serve_SOURCES = tests/check_serve.c tests/check_run.h

# Helpers for the end-to-end tests: built by `make check`, not tests themselves.
check_PROGRAMS += tests/fault_server tests/http_probe
tests_fault_server_SOURCES = tests/fault_server.c tests/fault_http.c tests/fault_http.h
tests_fault_server_CFLAGS = $(AM_CFLAGS) -pthread
tests_fault_server_LDADD = $(MHD_LIBS)
tests_fault_server_LDFLAGS = $(AM_LDFLAGS) -pthread
tests_http_probe_SOURCES = tests/http_probe.c
tests_http_probe_LDADD = $(CURL_LIBS)

TESTS += tests/e2e_serve.sh tests/e2e_watch_faults.sh
EXTRA_DIST += tests/e2e_serve.sh tests/e2e_watch_faults.sh
