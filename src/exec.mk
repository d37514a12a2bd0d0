# Build fragment; see Makefile.am.
# Runtime: the monitor, the recorder, batch output and the exec source.
src_libroutertop_a_SOURCES += src/monitor.c src/record.c src/output.c src/batch.c \
	src/source_exec.c

check_PROGRAMS += tests/check_monitor tests/check_output tests/check_record tests/check_exec
TESTS += tests/check_monitor tests/check_output tests/check_record tests/check_exec
tests_check_monitor_SOURCES = tests/check_monitor.c tests/check_run.h
tests_check_output_SOURCES = tests/check_output.c tests/check_run.h
tests_check_record_SOURCES = tests/check_record.c tests/check_run.h
tests_check_exec_SOURCES = tests/check_exec.c tests/check_run.h
