# Build fragment; see Makefile.am.
# Tracker: the simulated router's latency window, throughput and counters.
src_libroutertop_a_SOURCES += src/sim/tracker.c src/sim/tracker.h

check_PROGRAMS += tests/check_tracker
TESTS += tests/check_tracker
tests_check_tracker_SOURCES = tests/check_tracker.c tests/check_run.h

check_PROGRAMS += bench/bench_tracker
BENCH_PROGS += bench/bench_tracker
bench_bench_tracker_SOURCES = bench/bench_tracker.c
bench_bench_tracker_LDADD = $(BENCH_LDADD)
