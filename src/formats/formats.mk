# Build fragment; see Makefile.am.
# Formats: parsers of other people's formats (access logs, Prometheus text,
# ...). They turn bytes from outside into plain structs, never touch the
# screen, cap what they read, and each has a fuzz target.
src_libroutertop_a_SOURCES += src/formats/accesslog.c src/formats/accesslog.h \
	src/formats/alog_impl.h src/formats/alog_match.c src/formats/alog_haproxy.c \
	src/formats/alog_json.c src/formats/alog_map.c \
	src/formats/alog_value.c src/formats/alog_value.h

check_PROGRAMS += tests/check_accesslog
TESTS += tests/check_accesslog
tests_check_accesslog_SOURCES = tests/check_accesslog.c tests/check_run.h

# The fuzz target for the access-log format compiler and line parser.
FUZZ_TARGETS += tests/fuzz/accesslog
tests_fuzz_accesslog_LDADD = $(FUZZ_LDADD)

# The fleet source's side of the Prometheus HTTP API: the PromQL it sends
# (promquery) and the JSON answers it reads (promapi).
src_libroutertop_a_SOURCES += src/formats/promquery.c src/formats/promquery.h \
	src/formats/promapi.c src/formats/promapi.h
check_PROGRAMS += tests/check_promquery tests/check_promapi
TESTS += tests/check_promquery tests/check_promapi
tests_check_promquery_SOURCES = tests/check_promquery.c tests/check_run.h
tests_check_promapi_SOURCES = tests/check_promapi.c tests/check_run.h

# The fuzz target for the API answer reader.
FUZZ_TARGETS += tests/fuzz/promapi
tests_fuzz_promapi_LDADD = $(FUZZ_LDADD)

# The Prometheus and OpenMetrics text (expo), histogram_quantile the PromQL
# way (promql), router profiles (profile) and applying one to an exposition
# (router).
src_libroutertop_a_SOURCES += src/formats/expo.c src/formats/expo.h \
	src/formats/promql.c src/formats/promql.h \
	src/formats/profile.c src/formats/profile.h \
	src/formats/router.c src/formats/router.h

# The built-in router profiles are the files in data/profiles, turned into C
# strings at build time (as the scenarios are) and installed as well. Their
# order is the order `--profile auto` tries them: more specific first (an
# Istio sidecar also exposes Envoy's own statistics).
profilesdir = $(pkgdatadir)/profiles
ROUTER_PROFILES = data/profiles/routertop.profile data/profiles/istio.profile \
	data/profiles/linkerd.profile data/profiles/envoy.profile \
	data/profiles/haproxy.profile data/profiles/traefik.profile \
	data/profiles/ingress-nginx.profile data/profiles/resilience4j.profile
dist_profiles_DATA = $(ROUTER_PROFILES)
nodist_src_libroutertop_a_SOURCES += src/formats/profiles_embed.c
CLEANFILES += src/formats/profiles_embed.c
src/formats/profiles_embed.c: $(ROUTER_PROFILES) $(srcdir)/src/formats/formats.mk $(srcdir)/tools/embed.sh
	$(AM_V_GEN)$(MKDIR_P) src/formats && \
	$(EMBED) formats/profile.h profile_builtin .profile $(srcdir) $(ROUTER_PROFILES) > $@-t && mv $@-t $@

FORMATS_CHECKS = tests/check_expo tests/check_promql tests/check_profile tests/check_router
check_PROGRAMS += $(FORMATS_CHECKS)
TESTS += $(FORMATS_CHECKS)
tests_check_expo_SOURCES = tests/check_expo.c tests/check_run.h
tests_check_promql_SOURCES = tests/check_promql.c tests/check_run.h
tests_check_profile_SOURCES = tests/check_profile.c tests/check_run.h
tests_check_router_SOURCES = tests/check_router.c tests/check_run.h

# An exposition per built-in profile, written from that router's own
# documentation (and, for HAProxy, what 2.6 answers).
EXTRA_DIST += tests/fixtures/prom/envoy.prom tests/fixtures/prom/istio.prom \
	tests/fixtures/prom/haproxy.prom tests/fixtures/prom/traefik.prom \
	tests/fixtures/prom/linkerd.prom tests/fixtures/prom/ingress-nginx.prom \
	tests/fixtures/prom/resilience4j.prom tests/fixtures/prom/routertop.prom

# `make bench`: parse speed on a synthetic 10 MB Envoy exposition.
check_PROGRAMS += bench/bench_expo
BENCH_PROGS += bench/bench_expo
bench_bench_expo_SOURCES = bench/bench_expo.c bench/expo_gen.c bench/expo_gen.h
bench_bench_expo_LDADD = $(BENCH_LDADD)

# Fuzz targets: the Prometheus text parser (with every built-in profile
# applied to what it reads) and the profile format.
FUZZ_TARGETS += tests/fuzz/expo tests/fuzz/profile
tests_fuzz_expo_LDADD = $(FUZZ_LDADD)
tests_fuzz_profile_LDADD = $(FUZZ_LDADD)
