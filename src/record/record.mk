# Build fragment; see Makefile.am.
# Recordings: the writer (--record) and the reader (lines, parser) side by side.
src_libroutertop_a_SOURCES += src/record/writer.c src/record/writer.h \
	src/record/reader.c src/record/reader.h

check_PROGRAMS += tests/check_record
TESTS += tests/check_record
tests_check_record_SOURCES = tests/check_record.c tests/check_run.h
