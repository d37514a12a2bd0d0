/*
 * Scenarios: what the simulated router runs, read from JSON (see
 * data/scenarios/ and the man page for the format). The built-in scenarios
 * are those same files, compiled into the program by src/sim/sim.mk
 * (with tools/embed.sh), so data/scenarios/NAME.json is the one source of
 * truth.
 *
 * Upstreams: a scenario may declare the upstreams its router routes to,
 * each with a name, a routing weight and its own backend and breaker
 * (starting from the top-level "backend" and "breaker", which then act as
 * defaults), and a phase may give one upstream faults of its own
 * ("upstream_faults"). A scenario without "upstreams" (the single-backend
 * format) has one upstream named "default" made of its backend and breaker,
 * and its snapshots have no rows.
 */
#ifndef RT_SIM_SCENARIO_H
#define RT_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/backend.h"
#include "sim/breaker.h"

#define SCENARIO_MAX_BYTES ((size_t)64 * 1024)
#define SCENARIO_MAX_PHASES 64
#define SCENARIO_MAX_USERS 100000
#define SCENARIO_MAX_RATE 1000000.0	/* arrivals per second */
#define SCENARIO_NAME_LEN 48
#define SCENARIO_MAX_UPSTREAMS 64
/* Upstream faults of all phases together. */
#define SCENARIO_MAX_UPSTREAM_FAULTS 512

struct scenario_phase {
	char name[SCENARIO_NAME_LEN];
	int64_t duration_us;	/* 0: until every user has sent its requests */
	uint32_t users;		/* closed-loop virtual users; 0 = none */
	uint32_t requests;	/* per user; 0 = endless */
	int64_t think_us;	/* pause between a user's response and next request */
	double rate;		/* open-loop arrivals per second; 0 = none */
	struct fault_config faults;
};

struct scenario_upstream {
	char name[SCENARIO_NAME_LEN];	/* unique, not empty */
	double weight;			/* share of the routed requests, > 0 */
	struct backend_config backend;
	struct breaker_config breaker;
};

/* In phase `phase`, upstream `upstream` has these faults instead of the phase's. */
struct scenario_upstream_faults {
	uint16_t phase, upstream;
	struct fault_config faults;
};

struct scenario {
	char name[SCENARIO_NAME_LEN];
	bool repeat;		/* run the phases again and again (endless) */
	size_t window;		/* tracker window, samples (the router's and each upstream's) */
	struct backend_config backend;	/* the defaults of every upstream */
	struct breaker_config breaker;
	double limit_rate;	/* token bucket, tokens/s; 0 = no limit */
	uint32_t limit_burst;
	struct scenario_phase phases[SCENARIO_MAX_PHASES];
	size_t nphases;
	/* At least one: the declared ones, or "default". */
	struct scenario_upstream upstreams[SCENARIO_MAX_UPSTREAMS];
	size_t nupstreams;
	bool rows;		/* upstreams were declared: snapshots have a row each */
	struct scenario_upstream_faults upstream_faults[SCENARIO_MAX_UPSTREAM_FAULTS];
	size_t nupstream_faults;
};

struct scenario_builtin {
	const char *name;
	const char *json;
};

/* The built-in scenarios, ended by { NULL, NULL } (generated from data/scenarios/). */
extern const struct scenario_builtin scenario_builtins[];

/* JSON text of a built-in scenario, or NULL. */
const char *scenario_builtin_json(const char *name);

/*
 * Parse JSON text of len bytes. label names the text in errors (a file
 * name or a built-in name). Returns 0, or -1 with a located one-line error
 * in err: "FILE: phases[1].users: must be at least 1".
 */
int scenario_parse(const char *text, size_t len, const char *label, struct scenario *out,
		   char *err, size_t errlen);

/* A built-in name, else a path to a file (at most SCENARIO_MAX_BYTES). Same errors. */
int scenario_load(const char *name_or_path, struct scenario *out, char *err, size_t errlen);

/* True when the scenario never ends on its own. */
bool scenario_endless(const struct scenario *sc);

/* The faults upstream has in phase: its own if the phase gives it some, else the phase's. */
const struct fault_config *scenario_faults(const struct scenario *sc, size_t phase, size_t upstream);

#endif
