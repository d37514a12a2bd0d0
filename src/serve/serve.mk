# Build fragment; see Makefile.am.
# `routertop serve`: the run loop (serve.c), its HTTP side (http.c) and the
# Prometheus text it answers to scrapers (promtext.c).
src_libroutertop_a_SOURCES += src/serve/serve.c src/serve/serve.h \
	src/serve/http.c src/serve/http.h src/serve/promtext.c src/serve/promtext.h

check_PROGRAMS += tests/check_serve
TESTS += tests/check_serve
tests_check_serve_SOURCES = tests/check_serve.c tests/check_run.h

# A slowloris for the end-to-end test: built by `make check`, not a test itself.
check_PROGRAMS += tests/slow_client
tests_slow_client_SOURCES = tests/slow_client.c
tests_slow_client_LDADD =

TESTS += tests/e2e_serve.sh tests/e2e_serve_slowloris.sh tests/e2e_serve_prometheus.sh
EXTRA_DIST += tests/e2e_serve.sh tests/e2e_serve_slowloris.sh tests/e2e_serve_prometheus.sh
