/*
 * `compare` (see compare.h). Each side becomes a summary with statistics
 * (summary_set_scope); the router and each row present in either side are
 * compared figure by figure.
 *
 * The change is relative to A, but never to less than a floor per target
 * (1 ms, 1 req/s, 0.1 percentage point, 1 s), so a move from 0 % errors
 * to 0.01 % is not an infinite regression. Worse means higher, except for
 * throughput, where lower is worse. A figure unknown on either side, and a
 * row found on one side only, get no verdict and do not change the exit
 * status (the text says so).
 */
#include "compare.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "summary.h"
#include "util.h"

enum verdict { V_NA, V_BETTER, V_SAME, V_WORSE, V_MUCH_WORSE };

static const char *const verdict_names[] = {
	[V_NA] = "n/a", [V_BETTER] = "better", [V_SAME] = "same",
	[V_WORSE] = "WORSE", [V_MUCH_WORSE] = "MUCH WORSE",
};

/* The smallest base a change is taken relative to, in each target's unit. */
static const double change_floor[TARGET_COUNT] = {
	[TARGET_P95] = 1, [TARGET_P99] = 1, [TARGET_THROUGHPUT] = 1,
	[TARGET_ERROR_RATE] = 0.1, [TARGET_RECOVERY] = 1,
};

/* A duration after the first snapshot; 0 (0s, 0m) is the start. */
static int range_end(const char *text, int64_t *ms)
{
	char *end;

	if (strtod(text, &end) == 0 && end != text && (*end == '\0' || strcmp(end, "s") == 0 ||
						     strcmp(end, "ms") == 0 || strcmp(end, "m") == 0 ||
						     strcmp(end, "h") == 0)) {
		*ms = 0;
		return 0;
	}
	return parse_duration_ms(text, ms);
}

int compare_side_parse(const char *spec, struct compare_side *out, char *err, size_t errlen)
{
	const char *at = strrchr(spec, '@');
	char safe[128];

	memset(out, 0, sizeof(*out));
	out->to_ms = INT64_MAX;
	if (strlen(spec) >= sizeof(out->path)) {
		str_printf(err, errlen, "compare: name too long");
		return -1;
	}
	str_printf(out->path, sizeof(out->path), "%s", spec);
	if (at == NULL || strstr(at, "..") == NULL)
		return 0;
	{
		const char *dots = strstr(at, "..");
		char from[64] = "", to[64] = "";
		size_t fl = (size_t)(dots - at - 1), tl = strlen(dots + 2);

		if (fl >= sizeof(from) || tl >= sizeof(to))
			goto bad;
		memcpy(from, at + 1, fl);
		memcpy(to, dots + 2, tl);
		if ((from[0] != '\0' && range_end(from, &out->from_ms) != 0) ||
		    (to[0] != '\0' && range_end(to, &out->to_ms) != 0) ||
		    out->from_ms >= out->to_ms)
			goto bad;
		out->path[at - spec] = '\0';
		out->ranged = true;
		return 0;
	}
bad:
	sanitize_copy(safe, sizeof(safe), at, 0);
	str_printf(err, errlen, "compare: bad range '%s' (expected @FROM..TO, e.g. @10m..20m)", safe);
	return -1;
}

/* "run.jsonl", "run.jsonl@10m..20m", as given (sanitised). */
static void side_name(char *buf, size_t len, const struct compare_side *s)
{
	char from[32] = "", to[32] = "", path[256];

	sanitize_copy(path, sizeof(path), strcmp(s->path, "-") == 0 ? "stdin" : s->path, 0);
	if (!s->ranged) {
		str_printf(buf, len, "%s", path);
		return;
	}
	if (s->from_ms > 0)
		str_printf(from, sizeof(from), "%.0fs", (double)s->from_ms / 1000.0);
	if (s->to_ms != INT64_MAX)
		str_printf(to, sizeof(to), "%.0fs", (double)s->to_ms / 1000.0);
	str_printf(buf, len, "%s@%s..%s", path, from, to);
}

static int side_read(struct summary *s, const struct compare_side *side, const struct target_set *ts,
		     FILE *err)
{
	char msg[512], name[300];

	side_name(name, sizeof(name), side);
	summary_init(s, name, ts);
	summary_set_scope(s, true, side->from_ms, side->to_ms);
	if (summary_read_path(s, side->path, msg, sizeof(msg)) != 0) {
		sanitize_line(err, 0, "routertop: %s", msg);
		return -1;
	}
	if (s->error[0] != '\0') {
		sanitize_line(err, 0, "routertop: %s: %s", s->source, s->error);
		return -1;
	}
	if (s->snapshots == 0) {
		sanitize_line(err, 0, "routertop: %s: no snapshot%s", s->source,
			      side->ranged ? " in that range" : "");
		return -1;
	}
	return 0;
}

struct figure {
	enum target_id id;
	bool worst;		/* the worst value, else the median */
	double a, b, change;	/* change: a fraction of A (or of the floor); NAN when unknown */
	enum verdict v;
};

/*
 * A figure of one side. A recovery time where the breaker never tripped
 * is 0 s, so a trip that A did not have counts against B.
 */
static double stat_of(const struct summary_subject *j, enum target_id id, bool worst)
{
	if (j == NULL || j->stats == NULL)
		return NAN;
	if (id == TARGET_RECOVERY && j->stats[id].n == 0 && j->ntrips == 0)
		return 0;
	return worst ? j->stats[id].worst : summary_hist_median(&j->stats[id]);
}

static void figure_judge(struct figure *f, double tolerance)
{
	double base, worse;

	if (isnan(f->a) || isnan(f->b)) {
		f->change = NAN;
		f->v = V_NA;
		return;
	}
	base = fabs(f->a) > change_floor[f->id] ? fabs(f->a) : change_floor[f->id];
	f->change = (f->b - f->a) / base;
	worse = target_is_upper_bound(f->id) ? f->change : -f->change;
	if (worse > 2 * tolerance + 1e-12)
		f->v = V_MUCH_WORSE;
	else if (worse > tolerance + 1e-12)
		f->v = V_WORSE;
	else if (worse < -tolerance - 1e-12)
		f->v = V_BETTER;
	else
		f->v = V_SAME;
}

/* Both sides' figures for one subject (either may be NULL: the row is on one side only). */
static size_t subject_figures(const struct summary_subject *a, const struct summary_subject *b,
			      double tolerance, struct figure out[2 * TARGET_COUNT])
{
	size_t n = 0;

	for (int i = 0; i < TARGET_COUNT; i++)
		for (int w = 0; w < 2; w++) {
			struct figure *f = &out[n++];

			f->id = (enum target_id)i;
			f->worst = w == 1;
			f->a = stat_of(a, f->id, f->worst);
			f->b = stat_of(b, f->id, f->worst);
			figure_judge(f, tolerance);
		}
	return n;
}

static const struct summary_subject *find_row(const struct summary *s, const char *name)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (strcmp(s->rows[i]->name, name) == 0)
			return s->rows[i];
	return NULL;
}

struct pair {
	const char *name;		/* "" for the router */
	const struct summary_subject *a, *b;
};

/* The router, then A's rows in order, then the rows only B has. */
static size_t pairs_make(const struct summary *a, const struct summary *b, struct pair **out)
{
	struct pair *p = xcalloc(1 + a->nrows + b->nrows, sizeof(*p));
	size_t n = 0;

	p[n++] = (struct pair){ "", &a->router, &b->router };
	for (size_t i = 0; i < a->nrows; i++)
		p[n++] = (struct pair){ a->rows[i]->name, a->rows[i], find_row(b, a->rows[i]->name) };
	for (size_t i = 0; i < b->nrows; i++)
		if (find_row(a, b->rows[i]->name) == NULL)
			p[n++] = (struct pair){ b->rows[i]->name, NULL, b->rows[i] };
	*out = p;
	return n;
}

static int exit_of(enum verdict worst)
{
	return worst == V_MUCH_WORSE ? 2 : worst == V_WORSE ? 1 : 0;
}

static void fmt_value(char *buf, size_t len, double v, enum target_id id)
{
	if (isnan(v))
		str_printf(buf, len, "n/a");
	else if (id == TARGET_RECOVERY && v == 0)
		str_printf(buf, len, "no trip");
	else
		str_printf(buf, len, "%.1f %s", v, target_unit(id));
}

static void text_pair(FILE *out, const struct pair *p, double tolerance, enum verdict *worst)
{
	struct figure f[2 * TARGET_COUNT];
	size_t n = subject_figures(p->a, p->b, tolerance, f);

	fprintf(out, "\n%s%s%s\n", p->name[0] ? "row " : "router", p->name,
		p->a == NULL ? "  (only in B)" : p->b == NULL ? "  (only in A)" : "");
	fprintf(out, "  %-18s %14s %14s %10s  %s\n", "", "A", "B", "change", "verdict");
	for (size_t i = 0; i < n; i++) {
		char label[32], a[32], b[32], ch[32];

		str_printf(label, sizeof(label), "%s %s", target_key(f[i].id), f[i].worst ? "worst" : "median");
		fmt_value(a, sizeof(a), f[i].a, f[i].id);
		fmt_value(b, sizeof(b), f[i].b, f[i].id);
		if (isnan(f[i].change))
			str_printf(ch, sizeof(ch), "n/a");
		else
			str_printf(ch, sizeof(ch), "%+.1f %%", f[i].change * 100);
		fprintf(out, "  %-18s %14s %14s %10s  %s\n", label, a, b, ch, verdict_names[f[i].v]);
		if (f[i].v > *worst)
			*worst = f[i].v;
	}
}

static void compare_text(FILE *out, const struct summary *a, const struct summary *b,
			 const struct pair *p, size_t np, double tolerance)
{
	enum verdict worst = V_NA;
	static const char *const end[] = {
		"B is no worse than A within the tolerance", "B is worse than A, within twice the tolerance",
		"B is worse than A beyond twice the tolerance",
	};

	fprintf(out, "compare     A %s (%llu snapshots)\n", a->source, (unsigned long long)a->snapshots);
	fprintf(out, "            B %s (%llu snapshots)\n", b->source, (unsigned long long)b->snapshots);
	fprintf(out, "tolerance   %.0f %% (worse beyond it: exit 1; beyond twice it: exit 2)\n",
		tolerance * 100);
	for (size_t i = 0; i < np; i++)
		text_pair(out, &p[i], tolerance, &worst);
	fprintf(out, "\nverdict     %s (exit %d)\n", end[exit_of(worst)], exit_of(worst));
}

static void json_num(cJSON *o, const char *k, double v)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, v);
}

static cJSON *json_pair(const struct pair *p, double tolerance, enum verdict *worst)
{
	struct figure f[2 * TARGET_COUNT];
	size_t n = subject_figures(p->a, p->b, tolerance, f);
	cJSON *o = cJSON_CreateObject(), *figs = cJSON_CreateArray();

	if (o == NULL || figs == NULL)
		fatal("out of memory");
	if (p->name[0] != '\0')
		cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "in", p->a == NULL ? "B" : p->b == NULL ? "A" : "both");
	for (size_t i = 0; i < n; i++) {
		cJSON *one = cJSON_CreateObject();

		if (one == NULL)
			fatal("out of memory");
		cJSON_AddStringToObject(one, "target", target_key(f[i].id));
		cJSON_AddStringToObject(one, "stat", f[i].worst ? "worst" : "median");
		json_num(one, "a", f[i].a);
		json_num(one, "b", f[i].b);
		json_num(one, "changePct", isnan(f[i].change) ? NAN : f[i].change * 100);
		cJSON_AddStringToObject(one, "verdict", verdict_names[f[i].v]);
		cJSON_AddItemToArray(figs, one);
		if (f[i].v > *worst)
			*worst = f[i].v;
	}
	cJSON_AddItemToObject(o, "figures", figs);
	return o;
}

static void compare_json(FILE *out, const struct summary *a, const struct summary *b,
			 const struct pair *p, size_t np, double tolerance)
{
	cJSON *root = cJSON_CreateObject(), *subjects = cJSON_CreateArray();
	enum verdict worst = V_NA;

	if (root == NULL || subjects == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(root, "a", a->source);
	cJSON_AddStringToObject(root, "b", b->source);
	cJSON_AddNumberToObject(root, "aSnapshots", (double)a->snapshots);
	cJSON_AddNumberToObject(root, "bSnapshots", (double)b->snapshots);
	cJSON_AddNumberToObject(root, "tolerancePct", tolerance * 100);
	for (size_t i = 0; i < np; i++)
		cJSON_AddItemToArray(subjects, json_pair(&p[i], tolerance, &worst));
	cJSON_AddItemToObject(root, "subjects", subjects);
	cJSON_AddNumberToObject(root, "exit", exit_of(worst));
	output_json_line(out, root);
}

int compare_run(const struct compare_side *a, const struct compare_side *b, double tolerance,
		enum output_format fmt, const struct target_set *ts, FILE *out, FILE *err)
{
	struct summary sa, sb;
	struct pair *pairs = NULL;
	size_t np;
	int rc = 3;
	enum verdict worst = V_NA;

	if (side_read(&sa, a, ts, err) != 0) {
		summary_free(&sa);
		return 3;
	}
	if (side_read(&sb, b, ts, err) == 0) {
		np = pairs_make(&sa, &sb, &pairs);
		errno = 0;
		if (fmt == FORMAT_JSON)
			compare_json(out, &sa, &sb, pairs, np, tolerance);
		else
			compare_text(out, &sa, &sb, pairs, np, tolerance);
		for (size_t i = 0; i < np; i++) {
			struct figure f[2 * TARGET_COUNT];
			size_t n = subject_figures(pairs[i].a, pairs[i].b, tolerance, f);

			for (size_t k = 0; k < n; k++)
				if (f[k].v > worst)
					worst = f[k].v;
		}
		rc = exit_of(worst);
		/* Lost output is said (a full disk), except a reader that went away. */
		if (fflush(out) != 0 || ferror(out))
			rc = output_write_failed(err, errno != 0 ? errno : EIO);
		free(pairs);
	}
	summary_free(&sa);
	summary_free(&sb);
	return rc;
}
