# Build fragment; see Makefile.am.
# The benchmark harness: bench.c, linked by every bench program through
# BENCH_LDADD, and bench_cmd, which times commands and peers for the shell
# helper bench.sh. bench/README says how to add a figure.
noinst_LIBRARIES += bench/libbench.a
bench_libbench_a_SOURCES = bench/bench.c bench/bench.h bench/quiet.c bench/quiet.h
BENCH_LDADD = bench/libbench.a $(RT_LIBS)

BENCH_HELPERS = bench/bench_cmd
check_PROGRAMS += bench/bench_cmd
bench_bench_cmd_SOURCES = bench/bench_cmd.c
bench_bench_cmd_LDADD = bench/libbench.a -lm

EXTRA_DIST += bench/README bench/bench.sh
