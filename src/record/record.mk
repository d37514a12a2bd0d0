# Build fragment; see Makefile.am.
# Recordings: the writer (--record) and the reader (lines, parser) side by side.
src_libroutertop_a_SOURCES += src/record/writer.c src/record/writer.h \
	src/record/reader.c src/record/reader.h src/record/stream.c src/record/stream.h

check_PROGRAMS += tests/check_record
TESTS += tests/check_record
tests_check_record_SOURCES = tests/check_record.c tests/check_run.h

check_PROGRAMS += tests/check_stream
TESTS += tests/check_stream
tests_check_stream_SOURCES = tests/check_stream.c tests/check_run.h
# The test compresses its own data; the reader under test loads the libraries itself.
tests_check_stream_LDADD = $(LDADD) $(ZLIB_LIBS) $(ZSTD_LIBS)

check_PROGRAMS += tests/check_skim
TESTS += tests/check_skim
tests_check_skim_SOURCES = tests/check_skim.c tests/check_run.h

# The fuzz target for the decompressing reader and the line reader.
FUZZ_TARGETS += tests/fuzz/stream
tests_fuzz_stream_LDADD = $(FUZZ_LDADD)

# The fuzz target for the lean reader: it agrees with the full one.
FUZZ_TARGETS += tests/fuzz/skim
tests_fuzz_skim_LDADD = $(FUZZ_LDADD)

TESTS += tests/e2e_record_torn.sh
EXTRA_DIST += tests/e2e_record_torn.sh

# Recordings that ship (data/README says how each was made).
recordingsdir = $(pkgdatadir)/recordings
dist_recordings_DATA = data/recordings/calm-hour.jsonl.zst data/recordings/incident.jsonl.gz \
	data/recordings/calm-hour.scenario.json
dist_pkgdata_DATA = data/README

TESTS += tests/e2e_recordings.sh
EXTRA_DIST += tests/e2e_recordings.sh
