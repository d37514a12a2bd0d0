# Build fragment; see Makefile.am.
# The model: the metrics snapshot and its JSON, the history of snapshots,
# and the targets they are evaluated against.
src_libroutertop_a_SOURCES += src/metrics.c src/metrics.h src/jscan.c src/jscan.h \
	src/history.c src/history.h src/targets.c src/targets.h \
	src/eventlog.c src/eventlog.h

check_PROGRAMS += tests/check_metrics tests/check_history tests/check_targets tests/check_eventlog
TESTS += tests/check_metrics tests/check_history tests/check_targets tests/check_eventlog
tests_check_eventlog_SOURCES = tests/check_eventlog.c tests/check_run.h
tests_check_metrics_SOURCES = tests/check_metrics.c tests/check_run.h
tests_check_history_SOURCES = tests/check_history.c tests/check_run.h
tests_check_targets_SOURCES = tests/check_targets.c tests/check_run.h

dist_samples_DATA += data/samples/seed-open-breaker.json
dist_samples_DATA += data/samples/healthy.json
dist_samples_DATA += data/samples/upstreams.json

# The fuzz target for metrics_parse (see tests/fuzz/fuzz.mk).
FUZZ_TARGETS += tests/fuzz/metrics
tests_fuzz_metrics_LDADD = $(FUZZ_LDADD)
