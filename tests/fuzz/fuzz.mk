# Build fragment; see Makefile.am.
# libFuzzer targets, tmux's way. `./configure --enable-fuzzing` (clang; CC
# defaults to it) compiles everything with coverage and ASan+UBSan, so the
# core library is instrumented, and links only the targets with libFuzzer
# (FUZZING_LIBS = -fsanitize=fuzzer). Each target links the core library:
# it fuzzes the code the program runs, never a copy compiled apart.
#   make fuzz                        builds every target
#   make fuzz-run FUZZ_SECONDS=30    runs each for that long (tests/fuzz/run.sh):
#                                    its seed corpus, its dictionary; a crash
#                                    fails it and prints the reproducer
# Without --enable-fuzzing both say so and fail; `make check` never needs them.
#
# Adding a target NAME is two lines in the fragment of the code it fuzzes
# (src/formats/formats.mk for a parser there):
#   FUZZ_TARGETS += tests/fuzz/NAME
#   tests_fuzz_NAME_LDADD = $(FUZZ_LDADD)
# and, in tests/fuzz/: NAME.c (defines LLVMFuzzerTestOneInput), NAME.dict
# (a libFuzzer dictionary: the format's keywords and punctuation, one quoted
# token per line) and NAME-corpus/ (a few small inputs, good and broken).
# All three reach the tarball through the lines below.
EXTRA_PROGRAMS += $(FUZZ_TARGETS)
EXTRA_DIST += tests/fuzz/fuzz.mk tests/fuzz/run.sh \
	$(FUZZ_TARGETS:=.dict) $(FUZZ_TARGETS:=-corpus)
FUZZ_SECONDS = 30
if FUZZING
fuzz: $(FUZZ_TARGETS)
fuzz-run: fuzz
	$(SHELL) $(srcdir)/tests/fuzz/run.sh $(FUZZ_SECONDS) $(srcdir) $(FUZZ_TARGETS)
else
fuzz fuzz-run:
	@echo "make $@: the fuzz targets need ./configure --enable-fuzzing (clang)" >&2; exit 1
endif
# What fuzz-run found and kept (new inputs, crashes, logs) goes with `make clean`.
clean-local: clean-fuzz-out
clean-fuzz-out:
	rm -rf fuzz-out
.PHONY: fuzz fuzz-run clean-fuzz-out
