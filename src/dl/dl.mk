# Build fragment; see Makefile.am.
# Libraries loaded on first use (dl.h): libcurl for the HTTP source,
# libmicrohttpd for serve, zlib and libzstd for compressed recordings.
# Their callers include dl/curl.h, dl/mhd.h, dl/zlib.h or dl/zstd.h.
src_libroutertop_a_SOURCES += src/dl/dl.c src/dl/dl.h \
	src/dl/curl.c src/dl/curl.h src/dl/mhd.c src/dl/mhd.h \
	src/dl/zlib.c src/dl/zlib.h src/dl/zstd.c src/dl/zstd.h

check_PROGRAMS += tests/check_dl
TESTS += tests/check_dl
tests_check_dl_SOURCES = tests/check_dl.c tests/check_run.h

TESTS += tests/e2e_libs.sh
EXTRA_DIST += tests/e2e_libs.sh
