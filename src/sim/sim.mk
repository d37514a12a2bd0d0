# Build fragment; see Makefile.am.
# The simulated router: engine (rng, event queue), breaker, limiter, backend,
# scenarios and the simulation driver (its source adapter is src/source/sim.c).
src_libroutertop_a_SOURCES += src/sim/rng.c src/sim/rng.h \
	src/sim/bitwheel.c src/sim/bitwheel.h src/sim/equeue.c src/sim/equeue.h \
	src/sim/breaker.c src/sim/breaker.h \
	src/sim/limiter.c src/sim/limiter.h \
	src/sim/backend.c src/sim/backend.h \
	src/sim/scenario.c src/sim/scenario.h \
	src/sim/load.c src/sim/load.h \
	src/sim/sim.c src/sim/sim.h

# The built-in scenarios are the files in data/scenarios, turned into C
# strings at build time: one source of truth, installed as well.
SIM_SCENARIOS = data/scenarios/baseline.json data/scenarios/concurrent.json \
	data/scenarios/ratelimit.json data/scenarios/breaker.json \
	data/scenarios/steady.json data/scenarios/demo.json
dist_scenarios_DATA += $(SIM_SCENARIOS)
nodist_src_libroutertop_a_SOURCES += src/sim/scenarios_embed.c
CLEANFILES += src/sim/scenarios_embed.c
src/sim/scenarios_embed.c: $(SIM_SCENARIOS) $(srcdir)/src/sim/sim.mk $(srcdir)/tools/embed.sh
	$(AM_V_GEN)$(MKDIR_P) src/sim && \
	$(EMBED) sim/scenario.h scenario_builtin .json $(srcdir) $(SIM_SCENARIOS) > $@-t && mv $@-t $@

SIM_CHECKS = tests/check_sim_rng tests/check_sim_bitwheel tests/check_sim_equeue tests/check_sim_breaker tests/check_sim_limiter \
	tests/check_sim_backend tests/check_sim_scenario tests/check_sim_sim \
	tests/check_sim_load
check_PROGRAMS += $(SIM_CHECKS)
TESTS += $(SIM_CHECKS)
tests_check_sim_rng_SOURCES = tests/check_sim_rng.c tests/check_run.h
tests_check_sim_bitwheel_SOURCES = tests/check_sim_bitwheel.c tests/check_run.h
tests_check_sim_equeue_SOURCES = tests/check_sim_equeue.c tests/check_run.h
tests_check_sim_breaker_SOURCES = tests/check_sim_breaker.c tests/check_run.h
tests_check_sim_limiter_SOURCES = tests/check_sim_limiter.c tests/check_run.h
tests_check_sim_backend_SOURCES = tests/check_sim_backend.c tests/check_run.h
tests_check_sim_scenario_SOURCES = tests/check_sim_scenario.c tests/check_run.h
tests_check_sim_sim_SOURCES = tests/check_sim_sim.c tests/check_run.h
tests_check_sim_load_SOURCES = tests/check_sim_load.c tests/check_run.h

# Speed work must not change what the simulator does: known runs hash as before.
TESTS += tests/e2e_sim_golden.sh
EXTRA_DIST += tests/e2e_sim_golden.sh tests/fixtures/sim/golden.sha256 \
	tests/fixtures/sim/dense.json tests/fixtures/sim/saturated.json

check_PROGRAMS += bench/bench_sim
BENCH_PROGS += bench/bench_sim
bench_bench_sim_SOURCES = bench/bench_sim.c
bench_bench_sim_LDADD = $(BENCH_LDADD)
