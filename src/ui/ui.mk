# Build fragment; see Makefile.am.
# The screen: canvas (cells), panels (view -> canvas), view (monitor -> view),
# input (keys -> actions), term (the only ncurses file), ui (the loop);
# list (the row list's sort, filter and selection) and listpanel (list -> canvas).
src_libroutertop_a_SOURCES += src/ui/canvas.c src/ui/canvas.h \
	src/ui/panels.c src/ui/panels.h src/ui/input.c src/ui/input.h \
	src/ui/keys.c src/ui/keys.h \
	src/ui/jump.c src/ui/jump.h src/ui/list.c src/ui/list.h \
	src/ui/listpanel.c src/ui/listpanel.h \
	src/ui/view.c src/ui/view.h src/ui/term.c src/ui/term.h src/ui/ui.c src/ui/ui.h

check_PROGRAMS += tests/check_canvas tests/check_panels tests/check_keys tests/check_list \
	tests/check_listpanel
TESTS += tests/check_canvas tests/check_panels tests/check_keys tests/check_list \
	tests/check_listpanel
tests_check_listpanel_SOURCES = tests/check_listpanel.c tests/check_run.h tests/screen_read.c tests/screen_read.h
tests_check_list_SOURCES = tests/check_list.c tests/check_run.h
tests_check_canvas_SOURCES = tests/check_canvas.c tests/check_run.h
tests_check_panels_SOURCES = tests/check_panels.c tests/check_run.h tests/screen_read.c tests/screen_read.h
tests_check_keys_SOURCES = tests/check_keys.c tests/check_run.h

# The key table for the shell tests; the man page's KEYS section is checked against it.
check_PROGRAMS += tests/keys_dump
tests_keys_dump_SOURCES = tests/keys_dump.c
TESTS += tests/man_keys.sh
EXTRA_DIST += tests/man_keys.sh

# The screen end to end: one script per feature, each in a tmux server of
# its own, sharing tests/e2e_lib.sh (tmux's regress/ style).
E2E_UI = tests/e2e_ui_start.sh tests/e2e_ui_quit.sh tests/e2e_ui_help.sh \
	tests/e2e_ui_pause.sh tests/e2e_ui_interval.sh tests/e2e_ui_resize.sh \
	tests/e2e_ui_color.sh tests/e2e_ui_locale.sh tests/e2e_ui_stale.sh \
	tests/e2e_ui_refuse.sh tests/e2e_ui_speed.sh tests/e2e_ui_inject.sh \
	tests/e2e_ui_replay.sh tests/e2e_ui_signals.sh tests/e2e_ui_jobs.sh tests/e2e_ui_timeline.sh \
	tests/e2e_ui_terms.sh \
	tests/e2e_list_show.sh tests/e2e_list_worst.sh tests/e2e_list_zoom.sh \
	tests/e2e_list_sort.sh tests/e2e_list_filter.sh tests/e2e_list_color.sh \
	tests/e2e_list_inject.sh tests/e2e_ui_events.sh tests/e2e_ui_replay_events.sh tests/e2e_ui_drill.sh \
	tests/e2e_ui_replay_mark.sh
TESTS += $(E2E_UI)
BENCH_SHELL += bench/screen.sh
EXTRA_DIST += $(E2E_UI) tests/e2e_lib.sh tests/scenario_norows.json bench/screen.sh

check_PROGRAMS += bench/bench_render
BENCH_PROGS += bench/bench_render
bench_bench_render_SOURCES = bench/bench_render.c
bench_bench_render_LDADD = $(BENCH_LDADD)

# One frame of the list screen with 1,000 rows: render_list_1000_rows_us.
check_PROGRAMS += bench/bench_list
BENCH_PROGS += bench/bench_list
bench_bench_list_SOURCES = bench/bench_list.c
bench_bench_list_LDADD = $(BENCH_LDADD)
