# Metrics model: snapshot struct and its JSON form.
src_libroutertop_a_SOURCES += src/metrics.c
