# Build fragment; see Makefile.am.
# Sources: the one interface (source.h) and one file per source.
src_libroutertop_a_SOURCES += src/source/source.c src/source/source.h \
	src/source/sim.c src/source/demo.c src/source/http.c src/source/http.h \
	src/source/exec.c src/source/replay.c \
	src/source/tail.c src/source/follow.c src/source/follow.h \
	src/source/tally.c src/source/tally.h \
	src/source/xfer.c src/source/xfer.h \
	src/source/fleet.c src/source/fleetsnap.c src/source/fleet.h

check_PROGRAMS += tests/check_exec tests/check_http tests/check_replay tests/check_sim_source \
	tests/check_follow tests/check_tally tests/check_tail tests/check_demo
TESTS += tests/check_exec tests/check_http tests/check_replay tests/check_sim_source \
	tests/check_follow tests/check_tally tests/check_tail tests/check_demo
tests_check_demo_SOURCES = tests/check_demo.c tests/check_run.h
tests_check_follow_SOURCES = tests/check_follow.c tests/check_run.h
# The test gzips its own logs; the source under test loads zlib itself.
tests_check_follow_LDADD = $(LDADD) $(ZLIB_LIBS)
tests_check_tally_SOURCES = tests/check_tally.c tests/check_run.h
tests_check_tail_SOURCES = tests/check_tail.c tests/check_run.h
tests_check_exec_SOURCES = tests/check_exec.c tests/check_run.h
tests_check_http_SOURCES = tests/check_http.c tests/check_run.h \
	tests/fault_http.c tests/fault_http.h
# The test's own server (fault_http.c) links libmicrohttpd; the source loads libcurl.
tests_check_http_LDADD = $(LDADD) $(MHD_LIBS)
tests_check_replay_SOURCES = tests/check_replay.c tests/check_run.h
# The test compresses its own recordings; the source loads the libraries itself.
tests_check_replay_LDADD = $(LDADD) $(ZLIB_LIBS) $(ZSTD_LIBS)
tests_check_sim_source_SOURCES = tests/check_sim_source.c tests/check_run.h

# Helpers for the end-to-end tests: built by `make check`, not tests themselves.
check_PROGRAMS += tests/fault_server tests/http_probe tests/http_load
tests_fault_server_SOURCES = tests/fault_server.c tests/fault_http.c tests/fault_http.h
tests_fault_server_CFLAGS = $(AM_CFLAGS) -pthread
tests_fault_server_LDADD = $(MHD_LIBS)
tests_fault_server_LDFLAGS = $(AM_LDFLAGS) -pthread
tests_http_probe_SOURCES = tests/http_probe.c
tests_http_probe_LDADD = $(CURL_LIBS)
tests_http_load_SOURCES = tests/http_load.c
tests_http_load_LDADD = $(CURL_LIBS)

# routertop tail against a real nginx (nginx-light), which the tests start themselves.
TESTS += tests/e2e_tail_nginx.sh tests/e2e_tail_rotate.sh tests/e2e_tail_cli.sh tests/e2e_tail_badline.sh tests/e2e_tail_pipes.sh
EXTRA_DIST += tests/e2e_tail_nginx.sh tests/e2e_tail_rotate.sh tests/nginx_lib.sh \
	tests/e2e_tail_cli.sh tests/e2e_tail_badline.sh tests/e2e_tail_pipes.sh tests/tail_envoy.log tests/tail_haproxy.log

TESTS += tests/e2e_watch_faults.sh tests/e2e_sim_stop.sh
EXTRA_DIST += tests/e2e_watch_faults.sh tests/e2e_sim_stop.sh

TESTS += tests/e2e_replay_inputs.sh
EXTRA_DIST += tests/e2e_replay_inputs.sh

# The fuzz target for the replay source: line reader, parser, index, seeks.
FUZZ_TARGETS += tests/fuzz/replay
tests_fuzz_replay_LDADD = $(FUZZ_LDADD)

# `make bench`: routertop tail beside GoAccess on one generated nginx log.
BENCH_SHELL += bench/tail.sh
EXTRA_DIST += bench/tail.sh bench/nginx_log.awk

# Prometheus text for the http and exec sources: a router profile over two
# consecutive scrapes makes a snapshot with rows (prom.c).
src_libroutertop_a_SOURCES += src/source/prom.c src/source/prom.h
check_PROGRAMS += tests/check_prom
TESTS += tests/check_prom
tests_check_prom_SOURCES = tests/check_prom.c tests/check_run.h
# ... and against a real HAProxy 2.6 and its built-in exporter.
TESTS += tests/e2e_haproxy.sh
EXTRA_DIST += tests/e2e_haproxy.sh

# routertop fleet: many routers through a Prometheus server's HTTP API. The
# tests run it against a loopback stand-in for that API (prom_stub.c).
check_PROGRAMS += tests/check_fleet
TESTS += tests/check_fleet
tests_check_fleet_SOURCES = tests/check_fleet.c tests/check_run.h \
	tests/prom_stub.c tests/prom_stub.h
tests_check_fleet_LDADD = $(LDADD) $(MHD_LIBS)
# Against a real Prometheus scraping three routertop serve instances.
TESTS += tests/e2e_fleet_prometheus.sh
EXTRA_DIST += tests/e2e_fleet_prometheus.sh
TESTS += tests/e2e_fleet_cli.sh
EXTRA_DIST += tests/e2e_fleet_cli.sh

# `make bench`: a fleet of 1,000 routers, one interval's answers parsed,
# evaluated and one frame drawn (the answers served first, by the loopback
# stand-in, to the fleet source itself).
check_PROGRAMS += bench/bench_fleet
BENCH_PROGS += bench/bench_fleet
bench_bench_fleet_SOURCES = bench/bench_fleet.c tests/prom_stub.c tests/prom_stub.h
bench_bench_fleet_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
bench_bench_fleet_LDADD = $(BENCH_LDADD) $(MHD_LIBS)

# routertop demo: the story told without a terminal, and on the screen.
TESTS += tests/e2e_demo_batch.sh tests/e2e_demo_screen.sh
EXTRA_DIST += tests/e2e_demo_batch.sh tests/e2e_demo_screen.sh
