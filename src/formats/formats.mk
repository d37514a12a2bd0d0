# Build fragment; see Makefile.am.
# Formats: parsers of other people's formats (access logs, Prometheus text,
# ...). They turn bytes from outside into plain structs, never touch the
# screen, cap what they read, and each has a fuzz target.
src_libroutertop_a_SOURCES += src/formats/accesslog.c src/formats/accesslog.h \
	src/formats/alog_impl.h src/formats/alog_match.c src/formats/alog_haproxy.c \
	src/formats/alog_json.c src/formats/alog_map.c \
	src/formats/alog_value.c src/formats/alog_value.h

check_PROGRAMS += tests/check_accesslog
TESTS += tests/check_accesslog
tests_check_accesslog_SOURCES = tests/check_accesslog.c tests/check_run.h

# The fuzz target for the access-log format compiler and line parser.
FUZZ_TARGETS += tests/fuzz/accesslog
tests_fuzz_accesslog_LDADD = $(FUZZ_LDADD)

# The fleet source's side of the Prometheus HTTP API: the PromQL it sends
# (promquery) and the JSON answers it reads (promapi).
src_libroutertop_a_SOURCES += src/formats/promquery.c src/formats/promquery.h \
	src/formats/promapi.c src/formats/promapi.h
check_PROGRAMS += tests/check_promquery tests/check_promapi
TESTS += tests/check_promquery tests/check_promapi
tests_check_promquery_SOURCES = tests/check_promquery.c tests/check_run.h
tests_check_promapi_SOURCES = tests/check_promapi.c tests/check_run.h

# The fuzz target for the API answer reader.
FUZZ_TARGETS += tests/fuzz/promapi
tests_fuzz_promapi_LDADD = $(FUZZ_LDADD)
