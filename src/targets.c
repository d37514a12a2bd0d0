/*
 * Performance targets: the set, its text forms (--target KEY=VALUE and the
 * targets file) and evaluation against the history (see targets.h).
 *
 * Evaluation first computes each target's value from the history, then
 * grades it against the limit. Staleness overrides the grade but keeps the
 * value, so a display can still show the last good number marked stale.
 */
#include "targets.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfgfile.h"
#include "history.h"
#include "metrics.h"
#include "util.h"

/* Longest targets-file line accepted, not counting the newline; longest file. */
#define TARGETS_LINE_MAX 1024
#define TARGETS_FILE_MAX ((size_t)1 << 20)

#define KNOWN_KEYS "p95, p99, throughput, error-rate, recovery, warn"

/* A unit suffix a value may carry, and what it multiplies the number by. */
struct unit_suffix {
	const char *text;
	double scale;
};

/* How one key is written and which values it takes. */
struct key_spec {
	const char *key;
	const char *alias;
	int id;			/* a target_id, or KEY_WARN */
	bool zero_ok;		/* 0 is meaningful (no errors at all, no warn band) */
	double max;		/* largest value, after scaling */
	const char *expect;	/* what a good value looks like, for the error */
	struct unit_suffix units[4];
};

#define KEY_WARN (-1)

static const struct key_spec key_specs[] = {
	{ "p95", NULL, TARGET_P95, false, HUGE_VAL, "a number of ms > 0, e.g. 150 or 150ms",
	  { { "ms", 1.0 }, { "s", 1000.0 } } },
	{ "p99", NULL, TARGET_P99, false, HUGE_VAL, "a number of ms > 0, e.g. 500 or 500ms",
	  { { "ms", 1.0 }, { "s", 1000.0 } } },
	{ "throughput", NULL, TARGET_THROUGHPUT, false, HUGE_VAL, "req/s > 0, e.g. 100",
	  { { "req/s", 1.0 }, { "rps", 1.0 }, { "/s", 1.0 } } },
	{ "error-rate", "error_rate", TARGET_ERROR_RATE, true, 100.0, "a percentage 0..100, e.g. 1 or 1%",
	  { { "%", 1.0 } } },
	{ "recovery", NULL, TARGET_RECOVERY, false, HUGE_VAL, "seconds > 0, e.g. 60 or 60s",
	  { { "s", 1.0 }, { "ms", 0.001 }, { "m", 60.0 } } },
	{ "warn", NULL, KEY_WARN, true, 100.0, "a percentage 0..100, e.g. 20 or 20%",
	  { { "%", 1.0 } } },
};

static const struct {
	const char *key, *label, *unit;
	bool upper;
} target_meta[TARGET_COUNT] = {
	[TARGET_P95] = { "p95", "P95", "ms", true },
	[TARGET_P99] = { "p99", "P99", "ms", true },
	[TARGET_THROUGHPUT] = { "throughput", "Throughput", "req/s", false },
	[TARGET_ERROR_RATE] = { "error-rate", "Error rate", "%", true },
	[TARGET_RECOVERY] = { "recovery", "Recovery", "s", true },
};

void targets_defaults(struct target_set *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->limit[TARGET_P95] = 150.0;
	ts->limit[TARGET_P99] = 500.0;
	ts->limit[TARGET_THROUGHPUT] = 100.0;
	ts->limit[TARGET_ERROR_RATE] = 1.0;
	ts->limit[TARGET_RECOVERY] = 60.0;
	ts->warn_band = 0.20;
}

/* Trim leading and trailing whitespace in place; returns the new start. */
static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static const struct key_spec *key_find(const char *key)
{
	for (size_t i = 0; i < sizeof(key_specs) / sizeof(key_specs[0]); i++) {
		const struct key_spec *k = &key_specs[i];

		if (strcasecmp(key, k->key) == 0 || (k->alias != NULL && strcasecmp(key, k->alias) == 0))
			return k;
	}
	return NULL;
}

/* Parse "NUMBER[UNIT]" for key k into *out (scaled to the target's unit). */
static int value_parse(const struct key_spec *k, const char *text, double *out)
{
	char *end;
	double v, scale = 1.0;

	errno = 0;
	v = strtod(text, &end);
	if (end == text || errno == ERANGE)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0') {
		const struct unit_suffix *u = k->units;

		while (u < k->units + 4 && u->text != NULL && strcasecmp(end, u->text) != 0)
			u++;
		if (u == k->units + 4 || u->text == NULL)
			return -1;
		scale = u->scale;
	}
	v *= scale;
	if (!isfinite(v) || v < 0.0 || (v == 0.0 && !k->zero_ok) || v > k->max)
		return -1;
	*out = v;
	return 0;
}

/* The targets of the row named name (shown as metrics_copy_text shows it), made if new; NULL when full. */
static struct target_row *row_targets(struct target_set *ts, const char *name)
{
	char shown[METRICS_NAME_LEN];
	struct target_row *r;

	metrics_copy_text(shown, sizeof(shown), name);
	for (size_t i = 0; i < ts->nrows; i++)
		if (strcmp(ts->rows[i].row, shown) == 0)
			return &ts->rows[i];
	if (ts->nrows == TARGETS_ROWS_MAX)
		return NULL;
	r = &ts->rows[ts->nrows++];
	memcpy(r->row, shown, sizeof(shown));
	for (int i = 0; i < TARGET_COUNT; i++)
		r->limit[i] = NAN;
	r->warn_band = NAN;
	return r;
}

/* Split "ROW:KEY" at its last ':' into *row (NULL if there is none) and the key. */
static char *key_split(char *key, char **row, char *err, size_t errlen)
{
	char *colon = strrchr(key, ':');

	*row = NULL;
	if (colon == NULL)
		return key;
	*colon = '\0';
	*row = trim(key);
	if (**row == '\0') {
		str_printf(err, errlen, "missing row name before ':%s'", trim(colon + 1));
		return NULL;
	}
	return trim(colon + 1);
}

int targets_set(struct target_set *ts, const char *assignment, char *err, size_t errlen)
{
	char buf[TARGETS_LINE_MAX + 1];
	char *eq, *key, *value, *row;
	const struct key_spec *k;
	struct target_row *rt = NULL;
	double v;

	if (strlen(assignment) > TARGETS_LINE_MAX) {
		str_printf(err, errlen, "target setting too long (over %d bytes)", TARGETS_LINE_MAX);
		return -1;
	}
	strcpy(buf, assignment);
	eq = strchr(buf, '=');
	if (eq == NULL) {
		str_printf(err, errlen, "missing '=' in \"%s\"", trim(buf));
		return -1;
	}
	*eq = '\0';
	value = trim(eq + 1);
	key = key_split(trim(buf), &row, err, errlen);
	if (key == NULL)
		return -1;
	k = key_find(key);
	if (k == NULL) {
		str_printf(err, errlen, "unknown target key \"%s\" (known: " KNOWN_KEYS ")", key);
		return -1;
	}
	if (value_parse(k, value, &v) != 0) {
		str_printf(err, errlen, "%s%s%s: bad value \"%s\" (expected %s)", row != NULL ? row : "",
			   row != NULL ? ":" : "", k->key, value, k->expect);
		return -1;
	}
	if (row != NULL) {
		rt = row_targets(ts, row);
		if (rt == NULL) {
			str_printf(err, errlen, "%s: too many rows with targets (at most %d)", row,
				   TARGETS_ROWS_MAX);
			return -1;
		}
	}
	if (k->id == KEY_WARN)
		*(rt != NULL ? &rt->warn_band : &ts->warn_band) = v / 100.0;
	else
		*(rt != NULL ? &rt->limit[k->id] : &ts->limit[k->id]) = v;
	return 0;
}

void targets_limits(const struct target_set *ts, const char *row, struct target_limits *out)
{
	const struct target_row *rt = NULL;

	memcpy(out->limit, ts->limit, sizeof(out->limit));
	out->warn_band = ts->warn_band;
	if (row == NULL)
		return;
	/* Throughput is the router's: a row has none unless one is set for it. */
	out->limit[TARGET_THROUGHPUT] = NAN;
	for (size_t i = 0; i < ts->nrows && rt == NULL; i++)
		if (strcmp(ts->rows[i].row, row) == 0)
			rt = &ts->rows[i];
	if (rt == NULL)
		return;
	for (int i = 0; i < TARGET_COUNT; i++)
		if (!isnan(rt->limit[i]))
			out->limit[i] = rt->limit[i];
	if (!isnan(rt->warn_band))
		out->warn_band = rt->warn_band;
}

/* Apply one line of a targets file; a comment or blank line is skipped. */
static int file_line(struct target_set *ts, char *line, char *msg, size_t msglen)
{
	char *hash = strchr(line, '#');

	if (hash != NULL)
		*hash = '\0';
	line = trim(line);
	if (*line == '\0')
		return 0;
	return targets_set(ts, line, msg, msglen);
}

int targets_load_file(struct target_set *ts, const char *path, char *err, size_t errlen)
{
	char msg[TARGETS_LINE_MAX + 128];
	struct target_set work = *ts;	/* applied only when the whole file is good */
	struct cfgfile f;
	char *line;
	size_t len;

	if (cfgfile_open(&f, path, TARGETS_FILE_MAX, err, errlen) != 0)
		return -1;
	while ((line = cfgfile_line(&f, &len)) != NULL) {
		if (len > TARGETS_LINE_MAX) {
			str_printf(err, errlen, "%s:%lu: line too long (over %d bytes)", path, f.line,
				   TARGETS_LINE_MAX);
			cfgfile_close(&f);
			return -1;
		}
		if (file_line(&work, line, msg, sizeof(msg)) != 0) {
			str_printf(err, errlen, "%s:%lu: %s", path, f.line, msg);
			cfgfile_close(&f);
			return -1;
		}
	}
	cfgfile_close(&f);
	*ts = work;
	return 0;
}

/*
 * Grade a value against a limit. Edges are inclusive; the warn edge gets a
 * hair of tolerance so that "exactly at the edge" survives rounding of
 * limit * (1 - band). A limit of 0 on an upper bound means "none at all".
 */
static enum target_status grade(double value, double limit, double band, bool upper)
{
	double tol = 1e-9 * fabs(limit);

	if (upper) {
		if (limit == 0.0)
			return value > 0.0 ? STATUS_FAIL : STATUS_OK;
		if (value >= limit)
			return STATUS_FAIL;
		return value >= limit * (1.0 - band) - tol ? STATUS_WARN : STATUS_OK;
	}
	if (value <= limit)
		return STATUS_FAIL;
	return value <= limit * (1.0 + band) + tol ? STATUS_WARN : STATUS_OK;
}

static void result_value(const struct target_limits *ts, enum target_id id, double value,
			 struct target_result *r)
{
	r->value = value;
	if (isnan(ts->limit[id])) {
		r->status = STATUS_OK;
		r->note = "no target";
		return;
	}
	if (isnan(value)) {
		r->status = STATUS_UNKNOWN;
		r->note = "no data";
		return;
	}
	r->status = grade(value, ts->limit[id], ts->warn_band, target_is_upper_bound(id));
	r->note = NULL;
}


/*
 * Recovery: an outage already longer than the limit fails it; otherwise the
 * last observed recovery counts; a running outage with no recovery seen is
 * graded by its age so far (a lower bound when its start was not seen); a
 * closed breaker that never tripped is fine.
 */
static void evaluate_recovery(const struct target_limits *ts, const struct history *h,
			      int64_t now_ms, struct target_result *r)
{
	enum breaker_state st = history_get(h, 0)->snap.breaker.state;
	double age = history_outage_age_s(h, now_ms);
	double last = history_last_recovery_s(h);
	bool out = st == BREAKER_OPEN || st == BREAKER_HALF_OPEN;

	if (out && !isnan(age) && age >= ts->limit[TARGET_RECOVERY]) {
		result_value(ts, TARGET_RECOVERY, age, r);
		return;
	}
	if (!isnan(last)) {
		result_value(ts, TARGET_RECOVERY, last, r);
		return;
	}
	if (out && !isnan(age)) {
		result_value(ts, TARGET_RECOVERY, age, r);
		/*
		 * An outage whose start was not seen has only a lower bound for its
		 * age: that can prove WARN or FAIL, never OK.
		 */
		if (r->status == STATUS_OK && !history_outage_start_known(h)) {
			r->status = STATUS_UNKNOWN;
			r->value = NAN;
			r->note = "outage start unknown";
		}
		return;
	}
	if (st == BREAKER_CLOSED) {
		*r = (struct target_result){ .status = STATUS_OK, .value = NAN, .note = "no trips" };
		return;
	}
	result_value(ts, TARGET_RECOVERY, NAN, r);
}

static enum target_status overall_of(const struct evaluation *ev)
{
	bool warn = false, unknown = false;

	for (int i = 0; i < TARGET_COUNT; i++) {
		switch (ev->t[i].status) {
		case STATUS_FAIL:
			return STATUS_FAIL;
		case STATUS_WARN:
			warn = true;
			break;
		case STATUS_UNKNOWN:
			unknown = true;
			break;
		case STATUS_OK:
			break;
		}
	}
	if (warn)
		return STATUS_WARN;
	return unknown ? STATUS_UNKNOWN : STATUS_OK;
}

static void mark_all(struct evaluation *out, const char *note)
{
	for (int i = 0; i < TARGET_COUNT; i++) {
		/* No target stays no target, whatever the data. */
		if (isnan(out->limits.limit[i]))
			continue;
		out->t[i].status = STATUS_UNKNOWN;
		out->t[i].note = note;
	}
}

static void evaluate_limits(const struct target_limits *ts, const struct history *h,
			    int64_t now_ms, int64_t interval_ms, struct evaluation *out)
{
	const struct history_entry *e = history_get(h, 0);
	const struct metrics_latency *l;

	memset(out, 0, sizeof(*out));
	out->limits = *ts;
	for (int i = 0; i < TARGET_COUNT; i++)
		out->t[i].value = NAN;
	if (e == NULL) {
		for (int i = 0; i < TARGET_COUNT; i++)
			result_value(ts, (enum target_id)i, NAN, &out->t[i]);
		out->overall = STATUS_UNKNOWN;
		return;
	}
	l = &e->snap.latency;
	result_value(ts, TARGET_P95, metrics_latency_known(l) ? l->p95 : NAN, &out->t[TARGET_P95]);
	result_value(ts, TARGET_P99, metrics_latency_known(l) ? l->p99 : NAN, &out->t[TARGET_P99]);
	result_value(ts, TARGET_THROUGHPUT, e->snap.throughput.per_second,
		     &out->t[TARGET_THROUGHPUT]);
	result_value(ts, TARGET_ERROR_RATE, history_error_rate(h) * 100.0,
		     &out->t[TARGET_ERROR_RATE]);
	evaluate_recovery(ts, h, now_ms, &out->t[TARGET_RECOVERY]);
	if (interval_ms > 0 && now_ms - e->at_ms > 2 * interval_ms) {
		out->stale = true;
		mark_all(out, "stale");
	}
	/* Figures of a router its collector cannot reach are the last it had, not now's. */
	if (e->snap.scrape.up == 0) {
		out->down = true;
		mark_all(out, "down");
	}
	out->overall = overall_of(out);
}

void targets_evaluate(const struct target_set *ts, const struct history *h,
		      int64_t now_ms, int64_t interval_ms, struct evaluation *out)
{
	struct target_limits lim;

	targets_limits(ts, NULL, &lim);
	evaluate_limits(&lim, h, now_ms, interval_ms, out);
}

void targets_evaluate_row(const struct target_set *ts, const char *row, const struct history *h,
			  int64_t now_ms, int64_t interval_ms, struct evaluation *out)
{
	struct target_limits lim;

	targets_limits(ts, row, &lim);
	evaluate_limits(&lim, h, now_ms, interval_ms, out);
}

enum target_status target_status_worst(enum target_status a, enum target_status b)
{
	static const int rank[] = {
		[STATUS_OK] = 0, [STATUS_UNKNOWN] = 1, [STATUS_WARN] = 2, [STATUS_FAIL] = 3,
	};

	return rank[a] >= rank[b] ? a : b;
}

const char *target_key(enum target_id id)
{
	return id < TARGET_COUNT ? target_meta[id].key : "?";
}

const char *target_label(enum target_id id)
{
	return id < TARGET_COUNT ? target_meta[id].label : "?";
}

const char *target_unit(enum target_id id)
{
	return id < TARGET_COUNT ? target_meta[id].unit : "";
}

bool target_is_upper_bound(enum target_id id)
{
	return id < TARGET_COUNT ? target_meta[id].upper : true;
}

const char *target_status_name(enum target_status st)
{
	switch (st) {
	case STATUS_OK:
		return "OK";
	case STATUS_WARN:
		return "WARN";
	case STATUS_FAIL:
		return "FAIL";
	case STATUS_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

int target_status_exit_code(enum target_status st)
{
	switch (st) {
	case STATUS_OK:
		return 0;
	case STATUS_WARN:
		return 1;
	case STATUS_FAIL:
		return 2;
	case STATUS_UNKNOWN:
		break;
	}
	return 3;
}
