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

# libFuzzer target for the access-log format compiler and line parser.
# clang only, so never part of `make check`:
# `make fuzz-accesslog && ./fuzz-accesslog -max_total_time=60 DIR`.
FUZZ_ACCESSLOG_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_ACCESSLOG_SRCS = $(srcdir)/tests/fuzz_accesslog.c $(srcdir)/src/formats/accesslog.c \
	$(srcdir)/src/formats/alog_match.c $(srcdir)/src/formats/alog_haproxy.c \
	$(srcdir)/src/formats/alog_json.c $(srcdir)/src/formats/alog_map.c \
	$(srcdir)/src/formats/alog_value.c $(srcdir)/src/util.c
EXTRA_DIST += tests/fuzz_accesslog.c
CLEANFILES += fuzz-accesslog
fuzz-accesslog: $(FUZZ_ACCESSLOG_SRCS) $(srcdir)/src/formats/accesslog.h \
		$(srcdir)/src/formats/alog_impl.h $(srcdir)/src/formats/alog_value.h
	clang $(FUZZ_ACCESSLOG_FLAGS) -std=c11 $(DEFS) $(AM_CPPFLAGS) -o $@ $(FUZZ_ACCESSLOG_SRCS) -lm
