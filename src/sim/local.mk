# Build fragment; see Makefile.am.
# The simulated router: engine (rng, event queue), breaker, limiter, backend,
# load, scenarios, the simulation driver, and its source adapter.
src_libroutertop_a_SOURCES += src/sim/rng.c src/sim/rng.h \
	src/sim/equeue.c src/sim/equeue.h \
	src/sim/breaker.c src/sim/breaker.h \
	src/sim/limiter.c src/sim/limiter.h \
	src/sim/backend.c src/sim/backend.h

SIM_CHECKS = tests/check_sim_rng tests/check_sim_breaker tests/check_sim_limiter \
	tests/check_sim_backend
check_PROGRAMS += $(SIM_CHECKS)
TESTS += $(SIM_CHECKS)
tests_check_sim_rng_SOURCES = tests/check_sim_rng.c tests/check_run.h
tests_check_sim_rng_CFLAGS = $(TEST_CFLAGS)
tests_check_sim_rng_LDADD = $(TEST_LIBS)
tests_check_sim_breaker_SOURCES = tests/check_sim_breaker.c tests/check_run.h
tests_check_sim_breaker_CFLAGS = $(TEST_CFLAGS)
tests_check_sim_breaker_LDADD = $(TEST_LIBS)
tests_check_sim_limiter_SOURCES = tests/check_sim_limiter.c tests/check_run.h
tests_check_sim_limiter_CFLAGS = $(TEST_CFLAGS)
tests_check_sim_limiter_LDADD = $(TEST_LIBS)
tests_check_sim_backend_SOURCES = tests/check_sim_backend.c tests/check_run.h
tests_check_sim_backend_CFLAGS = $(TEST_CFLAGS)
tests_check_sim_backend_LDADD = $(TEST_LIBS)
