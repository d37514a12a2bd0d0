# Build fragment; see Makefile.am.
# The model: the metrics snapshot and its JSON, the history of snapshots,
# and the targets they are evaluated against.
src_libroutertop_a_SOURCES += src/metrics.c src/metrics.h \
	src/history.c src/history.h src/targets.c src/targets.h

check_PROGRAMS += tests/check_metrics tests/check_history tests/check_targets
TESTS += tests/check_metrics tests/check_history tests/check_targets
tests_check_metrics_SOURCES = tests/check_metrics.c tests/check_run.h
tests_check_history_SOURCES = tests/check_history.c tests/check_run.h
tests_check_targets_SOURCES = tests/check_targets.c tests/check_run.h

dist_samples_DATA += data/samples/seed-open-breaker.json
dist_samples_DATA += data/samples/healthy.json
dist_samples_DATA += data/samples/upstreams.json

# libFuzzer target for metrics_parse. clang only, so never part of `make
# check`: `make fuzz-metrics && ./fuzz-metrics -max_total_time=60 DIR`.
FUZZ_METRICS_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
EXTRA_DIST += tests/fuzz_metrics.c
CLEANFILES += fuzz-metrics
fuzz-metrics: $(srcdir)/tests/fuzz_metrics.c $(srcdir)/src/metrics.c $(srcdir)/src/metrics.h \
		$(srcdir)/src/util.c $(srcdir)/src/util.h \
		$(srcdir)/src/sanitize.c $(srcdir)/src/utf8.c
	clang $(FUZZ_METRICS_FLAGS) -std=c11 $(DEFS) $(AM_CPPFLAGS) \
		-o $@ $(srcdir)/tests/fuzz_metrics.c $(srcdir)/src/metrics.c $(srcdir)/src/util.c \
		$(srcdir)/src/sanitize.c $(srcdir)/src/utf8.c \
		$(CJSON_LIBS) -lm
