# Build fragment; see Makefile.am.
# The screen: canvas (cells), panels (view -> canvas), view (monitor -> view),
# input (keys -> actions), term (the only ncurses file), ui (the loop).
src_libroutertop_a_SOURCES += src/ui/canvas.c src/ui/canvas.h \
	src/ui/panels.c src/ui/panels.h src/ui/input.c src/ui/input.h \
	src/ui/jump.c src/ui/jump.h \
	src/ui/view.c src/ui/view.h src/ui/term.c src/ui/term.h src/ui/ui.c src/ui/ui.h

check_PROGRAMS += tests/check_canvas tests/check_panels
TESTS += tests/check_canvas tests/check_panels
tests_check_canvas_SOURCES = tests/check_canvas.c tests/check_run.h
tests_check_panels_SOURCES = tests/check_panels.c tests/check_run.h

TESTS += tests/e2e_ui.sh
BENCH_SHELL += bench/screen.sh
EXTRA_DIST += tests/e2e_ui.sh bench/screen.sh
