/*
 * Scenario files: JSON -> struct scenario, with a located one-line error
 * for anything wrong ("FILE: phases[1].users: must be at least 1").
 * Unknown fields are errors here (unlike the metrics wire format): a typo in
 * a scenario should not silently run something else.
 */
#include "sim/scenario.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgfile.h"
#include "sanitize.h"
#include "sim/tracker.h"
#include "util.h"

#define PATH_LEN 96

struct parse {
	const char *label;
	char *err;
	size_t errlen;
};

static int fail(struct parse *p, const char *prefix, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct parse *p, const char *prefix, const char *key, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* With no key the message begins with the field name itself ("p99_ms: ..."). */
	str_printf(p->err, p->errlen, "%s: %s%s%s%s", p->label, prefix, key,
		   *key != '\0' ? ": " : "", msg);
	return -1;
}

static int check_fields(struct parse *p, const cJSON *obj, const char *prefix,
			const char *const *allowed)
{
	for (const cJSON *c = obj->child; c != NULL; c = c->next) {
		int known = 0;

		for (const char *const *a = allowed; *a != NULL && !known; a++)
			known = strcmp(c->string, *a) == 0;
		if (!known)
			return fail(p, prefix, c->string, "unknown field");
	}
	return 0;
}

/*
 * Read number field key of obj into *out if present. Returns 1 if read, 0 if
 * absent, -1 (error filled) if it is not a number or outside [lo, hi].
 */
static int num_field(struct parse *p, const cJSON *obj, const char *prefix, const char *key,
		     double lo, double hi, bool integer, double *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	double v;

	if (it == NULL)
		return 0;
	if (!cJSON_IsNumber(it))
		return fail(p, prefix, key, "expected a number");
	v = it->valuedouble;
	if (integer && v != floor(v))
		return fail(p, prefix, key, "expected a whole number");
	if (lo >= 0.0 && v < 0.0)
		return fail(p, prefix, key, "must not be negative");
	if (v < lo)
		return fail(p, prefix, key, "must be at least %g", lo);
	if (v > hi)
		return fail(p, prefix, key, "must be at most %g", hi);
	*out = v;
	return 1;
}

static int ms_field(struct parse *p, const cJSON *obj, const char *prefix, const char *key,
		    double lo_ms, int64_t *out_us)
{
	double v;
	int rc = num_field(p, obj, prefix, key, lo_ms, 3600000.0, false, &v);

	if (rc == 1)
		*out_us = llround(v * 1000.0);
	return rc;
}

static int u32_field(struct parse *p, const cJSON *obj, const char *prefix, const char *key,
		     double lo, double hi, uint32_t *out)
{
	double v;
	int rc = num_field(p, obj, prefix, key, lo, hi, true, &v);

	if (rc == 1)
		*out = (uint32_t)v;
	return rc;
}

static int object_member(struct parse *p, const cJSON *obj, const char *prefix, const char *key,
			 const cJSON **out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (it == NULL)
		return 0;
	if (!cJSON_IsObject(it))
		return fail(p, prefix, key, "expected an object");
	*out = it;
	return 1;
}

static int string_field(struct parse *p, const cJSON *obj, const char *prefix, const char *key,
			char *out, size_t outlen)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (it == NULL)
		return 0;
	if (!cJSON_IsString(it))
		return fail(p, prefix, key, "expected a string");
	if (strlen(it->valuestring) >= outlen)
		return fail(p, prefix, key, "longer than %zu characters", outlen - 1);
	/* Names from a scenario file reach the header, notices and recordings: through the funnel. */
	if (out != NULL)
		sanitize_copy(out, outlen, it->valuestring, 0);
	return 1;
}

/*
 * The "backend" member of obj, if any, over what *cfg holds (so an
 * upstream's backend starts from the top-level one); prefix locates it
 * ("" or "upstreams[2].").
 */
static int parse_backend(struct parse *p, const cJSON *obj, const char *prefix,
			 struct backend_config *cfg)
{
	static const char *const fields[] = {
		"median_ms", "p99_ms", "concurrency", "timeout_ms", NULL,
	};
	char sub[PATH_LEN];
	const char *msg;
	const cJSON *o;
	int rc;

	rc = object_member(p, obj, prefix, "backend", &o);
	if (rc <= 0)
		return rc;
	str_printf(sub, sizeof(sub), "%sbackend.", prefix);
	if (check_fields(p, o, sub, fields) < 0 ||
	    ms_field(p, o, sub, "median_ms", 0.001, &cfg->median_us) < 0 ||
	    ms_field(p, o, sub, "p99_ms", 0.001, &cfg->p99_us) < 0 ||
	    u32_field(p, o, sub, "concurrency", 1, BACKEND_MAX_CONCURRENCY, &cfg->concurrency) < 0 ||
	    ms_field(p, o, sub, "timeout_ms", 0.001, &cfg->timeout_us) < 0)
		return -1;
	msg = backend_config_check(cfg);
	return msg != NULL ? fail(p, sub, "", "%s", msg) : 0;
}

/* The "breaker" member of obj, if any, over what *b holds (as parse_backend). */
static int parse_breaker(struct parse *p, const cJSON *obj, const char *prefix,
			 struct breaker_config *b)
{
	static const char *const fields[] = {
		"failures", "failure_rate", "window", "min_calls", "open_ms",
		"half_open_calls", "successes", NULL,
	};
	char sub[PATH_LEN];
	const char *msg;
	const cJSON *o;
	int rc;

	rc = object_member(p, obj, prefix, "breaker", &o);
	if (rc <= 0)
		return rc;
	str_printf(sub, sizeof(sub), "%sbreaker.", prefix);
	if (check_fields(p, o, sub, fields) < 0 ||
	    u32_field(p, o, sub, "failures", 0, 1000000, &b->failure_threshold) < 0 ||
	    num_field(p, o, sub, "failure_rate", 0, 1, false, &b->failure_rate) < 0 ||
	    u32_field(p, o, sub, "window", 1, BREAKER_MAX_WINDOW, &b->window) < 0 ||
	    u32_field(p, o, sub, "min_calls", 0, BREAKER_MAX_WINDOW, &b->min_calls) < 0 ||
	    ms_field(p, o, sub, "open_ms", 1, &b->open_timeout_us) < 0 ||
	    u32_field(p, o, sub, "half_open_calls", 1, 1000000, &b->half_open_calls) < 0 ||
	    u32_field(p, o, sub, "successes", 1, 1000000, &b->success_threshold) < 0)
		return -1;
	msg = breaker_config_check(b);
	return msg != NULL ? fail(p, sub, "", "%s", msg) : 0;
}

/* Index of the upstream named name, or -1. */
static ptrdiff_t upstream_find(const struct scenario *sc, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(sc->upstreams[i].name, name) == 0)
			return (ptrdiff_t)i;
	return -1;
}

static int parse_upstream(struct parse *p, const cJSON *o, size_t i, struct scenario *sc)
{
	static const char *const fields[] = { "name", "weight", "backend", "breaker", NULL };
	struct scenario_upstream *u = &sc->upstreams[i];
	char prefix[PATH_LEN], where[PATH_LEN];
	double weight = 1.0;
	ptrdiff_t dup;
	int rc;

	str_printf(where, sizeof(where), "upstreams[%zu]", i);
	str_printf(prefix, sizeof(prefix), "%s.", where);
	if (!cJSON_IsObject(o))
		return fail(p, "", where, "expected an object");
	u->backend = sc->backend;
	u->breaker = sc->breaker;
	if (check_fields(p, o, prefix, fields) < 0)
		return -1;
	rc = string_field(p, o, prefix, "name", u->name, sizeof(u->name));
	if (rc < 0)
		return -1;
	if (rc == 0)
		return fail(p, prefix, "name", "required");
	if (u->name[0] == '\0')
		return fail(p, prefix, "name", "must not be empty");
	dup = upstream_find(sc, i, u->name);
	if (dup >= 0)
		return fail(p, prefix, "name", "\"%s\" is upstreams[%td] already", u->name, dup);
	if (num_field(p, o, prefix, "weight", 0.001, 1e6, false, &weight) < 0 ||
	    parse_backend(p, o, prefix, &u->backend) < 0 ||
	    parse_breaker(p, o, prefix, &u->breaker) < 0)
		return -1;
	u->weight = weight;
	return 0;
}

/* The declared upstreams, or the one named "default" of the single-backend format. */
static int parse_upstreams(struct parse *p, const cJSON *root, struct scenario *sc)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "upstreams");
	size_t i = 0;

	if (arr == NULL) {
		sc->nupstreams = 1;
		sc->rows = false;
		sc->upstreams[0] = (struct scenario_upstream){
			.name = "default", .weight = 1.0, .backend = sc->backend, .breaker = sc->breaker,
		};
		return 0;
	}
	if (!cJSON_IsArray(arr))
		return fail(p, "", "upstreams", "expected an array");
	if (cJSON_GetArraySize(arr) < 1)
		return fail(p, "", "upstreams", "must hold at least 1 upstream");
	if (cJSON_GetArraySize(arr) > SCENARIO_MAX_UPSTREAMS)
		return fail(p, "", "upstreams", "at most %d upstreams", SCENARIO_MAX_UPSTREAMS);
	for (const cJSON *o = arr->child; o != NULL; o = o->next, i++)
		if (parse_upstream(p, o, i, sc) < 0)
			return -1;
	sc->nupstreams = i;
	sc->rows = true;
	return 0;
}

static int parse_limiter(struct parse *p, const cJSON *root, struct scenario *sc)
{
	static const char *const fields[] = { "rate", "burst", NULL };
	const cJSON *o;
	int has_burst, rc;

	rc = object_member(p, root, "", "limiter", &o);
	if (rc <= 0)
		return rc;
	if (check_fields(p, o, "limiter.", fields) < 0 ||
	    num_field(p, o, "limiter.", "rate", 0, 1e9, false, &sc->limit_rate) < 0)
		return -1;
	has_burst = u32_field(p, o, "limiter.", "burst", 1, 1e9, &sc->limit_burst);
	if (has_burst < 0)
		return -1;
	if (sc->limit_rate > 0 && sc->limit_rate < 0.001)
		return fail(p, "limiter.", "rate", "must be 0 (no limit) or at least 0.001");
	/* Without a burst the bucket holds one second of tokens. */
	if (has_burst == 0)
		sc->limit_burst = sc->limit_rate < 1 ? 1 : (uint32_t)ceil(sc->limit_rate);
	return 0;
}

/* The fields of a faults object o (located by sub, "phases[3].faults."), over *f. */
static int parse_fault_fields(struct parse *p, const cJSON *o, const char *sub,
			      struct fault_config *f)
{
	static const char *const fields[] = { "failure", "timeout", "validation", NULL };
	const char *msg;

	if (check_fields(p, o, sub, fields) < 0 ||
	    num_field(p, o, sub, "failure", 0, 1, false, &f->failure) < 0 ||
	    num_field(p, o, sub, "timeout", 0, 1, false, &f->timeout) < 0 ||
	    num_field(p, o, sub, "validation", 0, 1, false, &f->validation) < 0)
		return -1;
	msg = fault_config_check(f);
	return msg != NULL ? fail(p, sub, "", "%s", msg) : 0;
}

static int parse_faults(struct parse *p, const cJSON *ph, const char *prefix,
			struct fault_config *f)
{
	char sub[PATH_LEN];
	const cJSON *o;
	int rc = object_member(p, ph, prefix, "faults", &o);

	if (rc <= 0)
		return rc;
	str_printf(sub, sizeof(sub), "%sfaults.", prefix);
	return parse_fault_fields(p, o, sub, f);
}

/* A phase's "upstream_faults": {"search": {"timeout": 0.4}, ...}, into sc's list. */
static int parse_upstream_faults(struct parse *p, const cJSON *ph, const char *prefix,
				 size_t phase, struct scenario *sc)
{
	char sub[PATH_LEN];
	const cJSON *o;
	int rc = object_member(p, ph, prefix, "upstream_faults", &o);

	if (rc <= 0)
		return rc;
	if (!sc->rows)
		return fail(p, prefix, "upstream_faults", "needs upstreams");
	for (const cJSON *c = o->child; c != NULL; c = c->next) {
		ptrdiff_t up = upstream_find(sc, sc->nupstreams, c->string);
		struct scenario_upstream_faults *uf;
		char name[SCENARIO_NAME_LEN];

		/* The key is the file's text, and it goes into a message. */
		sanitize_copy(name, sizeof(name), c->string, 0);
		str_printf(sub, sizeof(sub), "%supstream_faults.", prefix);
		if (up < 0)
			return fail(p, sub, name, "no such upstream");
		if (!cJSON_IsObject(c))
			return fail(p, sub, name, "expected an object");
		if (sc->nupstream_faults == SCENARIO_MAX_UPSTREAM_FAULTS)
			return fail(p, sub, name, "more than %d upstream faults in all",
				    SCENARIO_MAX_UPSTREAM_FAULTS);
		uf = &sc->upstream_faults[sc->nupstream_faults];
		/* Fields not given are the phase's. */
		*uf = (struct scenario_upstream_faults){
			.phase = (uint16_t)phase, .upstream = (uint16_t)up,
			.faults = sc->phases[phase].faults,
		};
		str_printf(sub, sizeof(sub), "%supstream_faults.%s.", prefix, name);
		if (parse_fault_fields(p, c, sub, &uf->faults) < 0)
			return -1;
		sc->nupstream_faults++;
	}
	return 0;
}

static int parse_phase(struct parse *p, const cJSON *ph, size_t i, struct scenario *sc)
{
	static const char *const fields[] = {
		"name", "duration_ms", "users", "requests", "think_ms", "rate", "faults",
		"upstream_faults", NULL,
	};
	struct scenario_phase *out = &sc->phases[i];
	char prefix[PATH_LEN], where[PATH_LEN];
	int has_duration;

	str_printf(where, sizeof(where), "phases[%zu]", i);
	str_printf(prefix, sizeof(prefix), "%s.", where);
	memset(out, 0, sizeof(*out));
	str_printf(out->name, sizeof(out->name), "phase %zu", i + 1);
	if (!cJSON_IsObject(ph))
		return fail(p, "", where, "expected an object");
	if (check_fields(p, ph, prefix, fields) < 0 ||
	    string_field(p, ph, prefix, "name", out->name, sizeof(out->name)) < 0 ||
	    (has_duration = ms_field(p, ph, prefix, "duration_ms", 1, &out->duration_us)) < 0 ||
	    u32_field(p, ph, prefix, "users", 1, SCENARIO_MAX_USERS, &out->users) < 0 ||
	    u32_field(p, ph, prefix, "requests", 0, 1e9, &out->requests) < 0 ||
	    ms_field(p, ph, prefix, "think_ms", 0, &out->think_us) < 0 ||
	    num_field(p, ph, prefix, "rate", 0.001, SCENARIO_MAX_RATE, false, &out->rate) < 0 ||
	    parse_faults(p, ph, prefix, &out->faults) < 0 ||
	    parse_upstream_faults(p, ph, prefix, i, sc) < 0)
		return -1;
	if (has_duration == 0 && (out->users == 0 || out->requests == 0 || out->rate > 0))
		return fail(p, prefix, "duration_ms",
			    "required unless the phase is users with a request count");
	if (out->users == 0 && cJSON_GetObjectItemCaseSensitive(ph, "requests") != NULL)
		return fail(p, prefix, "requests", "needs users");
	return 0;
}

static int parse_phases(struct parse *p, const cJSON *root, struct scenario *sc)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "phases");
	size_t i = 0;

	if (arr == NULL)
		return fail(p, "", "phases", "required");
	if (!cJSON_IsArray(arr))
		return fail(p, "", "phases", "expected an array");
	if (cJSON_GetArraySize(arr) < 1)
		return fail(p, "", "phases", "must hold at least 1 phase");
	if (cJSON_GetArraySize(arr) > SCENARIO_MAX_PHASES)
		return fail(p, "", "phases", "at most %d phases", SCENARIO_MAX_PHASES);
	for (const cJSON *ph = arr->child; ph != NULL; ph = ph->next, i++)
		if (parse_phase(p, ph, i, sc) < 0)
			return -1;
	sc->nphases = i;
	return 0;
}

static int parse_top(struct parse *p, const cJSON *root, struct scenario *sc)
{
	static const char *const fields[] = {
		"name", "description", "repeat", "window", "backend", "breaker", "limiter",
		"upstreams", "phases", NULL,
	};
	const cJSON *rep = cJSON_GetObjectItemCaseSensitive(root, "repeat");
	double window = TRACKER_DEFAULT_WINDOW;

	if (check_fields(p, root, "", fields) < 0 ||
	    string_field(p, root, "", "name", sc->name, sizeof(sc->name)) < 0 ||
	    string_field(p, root, "", "description", NULL, 1024) < 0 ||
	    num_field(p, root, "", "window", 1, TRACKER_MAX_WINDOW, true, &window) < 0)
		return -1;
	if (rep != NULL && !cJSON_IsBool(rep))
		return fail(p, "", "repeat", "expected true or false");
	sc->repeat = rep != NULL && cJSON_IsTrue(rep);
	sc->window = (size_t)window;
	if (parse_backend(p, root, "", &sc->backend) < 0 ||
	    parse_breaker(p, root, "", &sc->breaker) < 0 ||
	    parse_limiter(p, root, sc) < 0 || parse_upstreams(p, root, sc) < 0 ||
	    parse_phases(p, root, sc) < 0)
		return -1;
	return 0;
}

/* Line and column (from 1) of offset off in text. */
static void locate(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void default_name(struct scenario *sc, const char *label)
{
	const char *base = strrchr(label, '/');
	size_t n;

	base = base != NULL ? base + 1 : label;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".json") == 0)
		n -= 5;
	sanitize_copy_n(sc->name, sizeof(sc->name), base, n, 0);
}

int scenario_parse(const char *text, size_t len, const char *label, struct scenario *sc,
		   char *err, size_t errlen)
{
	struct parse p = { label, err, errlen };
	const char *end = NULL;
	cJSON *root;
	int rc, line, col;

	memset(sc, 0, sizeof(*sc));
	backend_config_default(&sc->backend);
	breaker_config_default(&sc->breaker);
	if (len > SCENARIO_MAX_BYTES)
		return fail(&p, "", "", "larger than %zu bytes", SCENARIO_MAX_BYTES);
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL) {
		size_t off = end != NULL && end >= text && end <= text + len ? (size_t)(end - text) : 0;

		locate(text, off, &line, &col);
		return fail(&p, "", "", "not valid JSON (line %d, column %d)", line, col);
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return fail(&p, "", "", "expected a JSON object");
	}
	rc = parse_top(&p, root, sc);
	cJSON_Delete(root);
	if (rc == 0 && sc->name[0] == '\0')
		default_name(sc, label);
	return rc;
}

const char *scenario_builtin_json(const char *name)
{
	for (const struct scenario_builtin *b = scenario_builtins; b->name != NULL; b++)
		if (strcmp(b->name, name) == 0)
			return b->json;
	return NULL;
}

int scenario_load(const char *name_or_path, struct scenario *sc, char *err, size_t errlen)
{
	const char *json = scenario_builtin_json(name_or_path);
	struct cfgfile f;
	int rc;

	if (json != NULL)
		return scenario_parse(json, strlen(json), name_or_path, sc, err, errlen);
	errno = 0;
	if (cfgfile_open(&f, name_or_path, SCENARIO_MAX_BYTES, err, errlen) != 0) {
		if (strchr(name_or_path, '/') == NULL && errno == ENOENT) {
			size_t n = strlen(err);

			str_printf(err + n, errlen - n, " (built-in scenarios:");
			for (const struct scenario_builtin *b = scenario_builtins; b->name != NULL; b++) {
				n = strlen(err);
				str_printf(err + n, errlen - n, " %s", b->name);
			}
			n = strlen(err);
			str_printf(err + n, errlen - n, ")");
		}
		return -1;
	}
	rc = scenario_parse(f.text, f.len, name_or_path, sc, err, errlen);
	cfgfile_close(&f);
	return rc;
}

bool scenario_endless(const struct scenario *sc)
{
	return sc->repeat;
}

const struct fault_config *scenario_faults(const struct scenario *sc, size_t phase, size_t upstream)
{
	for (size_t i = 0; i < sc->nupstream_faults; i++)
		if (sc->upstream_faults[i].phase == phase && sc->upstream_faults[i].upstream == upstream)
			return &sc->upstream_faults[i].faults;
	return &sc->phases[phase].faults;
}
