/* The closing summary of a run; see recap.h. */
#include "recap.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

#include "sanitize.h"
#include "util.h"

/* Subjects named in one target's line at most; the rest are counted. */
#define RECAP_NAMED 2

void recap_init(struct recap *r, const struct target_set *ts)
{
	memset(r, 0, sizeof(*r));
	summary_init(&r->sum, "", ts);
	r->targets = ts;
}

void recap_free(struct recap *r)
{
	summary_free(&r->sum);
}

/* The outage of row still running, or NULL. */
static struct recap_outage *outage_open(struct recap *r, const char *row)
{
	for (size_t i = r->nout; i-- > 0;)
		if (strcmp(r->out[i].row, row) == 0)
			return r->out[i].end_ms < 0 ? &r->out[i] : NULL;
	return NULL;
}

static void recap_breaker(struct recap *r, const struct source_event *ev)
{
	cJSON *o = cJSON_Parse(ev->message);
	const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "type"));
	const char *row = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "row"));
	const char *to = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "to"));
	enum breaker_state st;
	char name[METRICS_NAME_LEN];
	struct recap_outage *out;

	if (type == NULL || strcmp(type, "breaker") != 0 || to == NULL || breaker_state_parse(to, &st) != 0 ||
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "derived"))) {
		cJSON_Delete(o);
		return;
	}
	metrics_copy_text(name, sizeof(name), row != NULL ? row : "");
	cJSON_Delete(o);
	if (name[0] != '\0')
		r->rows = true;
	out = outage_open(r, name);
	if (st == BREAKER_CLOSED && out != NULL) {
		out->end_ms = ev->at_ms;
	} else if (st != BREAKER_CLOSED && out == NULL) {
		if (r->nout == RECAP_OUTAGES) {
			r->dropped++;
			return;
		}
		r->out[r->nout] = (struct recap_outage){ .start_ms = ev->at_ms, .end_ms = -1 };
		str_printf(r->out[r->nout].row, sizeof(r->out[r->nout].row), "%s", name);
		r->nout++;
	}
}

void recap_event(struct recap *r, const struct source_event *ev)
{
	if (ev->kind == SOURCE_SNAPSHOT) {
		summary_add(&r->sum, &ev->snap, ev->wall_ms, NULL);
		r->last_ms = ev->at_ms;
	} else if (ev->kind == SOURCE_NOTICE) {
		recap_breaker(r, ev);
	}
}

void recap_finish(struct recap *r)
{
	if (r->finished)
		return;
	r->finished = true;
	summary_finish(&r->sum);
}

/* What one subject's time under target id was: shares of FAIL and WARN, and whether any was graded. */
struct share {
	const char *name;
	double fail, warn;
	bool graded;
};

static struct share subject_share(const struct recap *r, const struct summary_subject *j,
				  enum target_id id)
{
	struct target_limits lim;
	struct share sh = { .name = j->name[0] != '\0' ? j->name : "router" };
	int64_t span = 0;

	targets_limits(r->targets, j->name[0] != '\0' ? j->name : NULL, &lim);
	for (int st = 0; st < 4; st++)
		span += j->status_ms[id][st];
	/* No limit for this subject (a row's throughput), or no time: nothing graded. */
	if (isnan(lim.limit[id]) || span <= 0 || j->status_ms[id][STATUS_UNKNOWN] == span)
		return sh;
	sh.graded = true;
	sh.fail = (double)j->status_ms[id][STATUS_FAIL] / (double)span;
	sh.warn = (double)j->status_ms[id][STATUS_WARN] / (double)span;
	return sh;
}

/* Every subject's share under id, the router first, then the rows in order; returns how many. */
static size_t shares(const struct recap *r, enum target_id id, struct share *out, size_t max)
{
	size_t n = 0;

	if (max > 0)
		out[n++] = subject_share(r, &r->sum.router, id);
	for (size_t i = 0; i < r->sum.nrows && n < max; i++)
		out[n++] = subject_share(r, r->sum.rows[i], id);
	return n;
}

/* "P95 < 150 ms", "Throughput > 100 req/s": the router's limit. */
static void target_head(const struct recap *r, enum target_id id, char *buf, size_t len)
{
	struct target_limits lim;
	const char *unit = target_unit(id);
	double l;

	targets_limits(r->targets, NULL, &lim);
	l = lim.limit[id];
	if (isnan(l))
		str_printf(buf, len, "%s (no target)", target_label(id));
	else
		str_printf(buf, len, "%s %s %g%s%s", target_label(id), target_is_upper_bound(id) ? "<" : ">", l,
			   strcmp(unit, "%") == 0 ? " " : " ", unit);
}

enum verdict { MET, MISSED, NO_DATA };

/* A target graded over time (all but recovery): met, missed (and by whom), or not graded at all. */
static enum verdict time_verdict(const struct recap *r, enum target_id id, char *why, size_t len)
{
	struct share sh[SUMMARY_ROWS_MAX < 64 ? SUMMARY_ROWS_MAX : 64];
	size_t n = shares(r, id, sh, sizeof(sh) / sizeof(sh[0])), named = 0, more = 0;
	bool graded = false;
	double warn = 0;

	why[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(why);

		if (!sh[i].graded)
			continue;
		graded = true;
		if (sh[i].warn > warn)
			warn = sh[i].warn;
		if (!(sh[i].fail > 0))
			continue;
		if (named == RECAP_NAMED) {
			more++;
			continue;
		}
		str_printf(why + used, len - used, "%s%s FAIL %.0f %%", named > 0 ? ", " : "", sh[i].name,
			   sh[i].fail * 100 < 1 ? 1 : sh[i].fail * 100);
		named++;
	}
	if (!graded)
		return NO_DATA;
	if (named > 0) {
		size_t used = strlen(why);

		if (more > 0)
			str_printf(why + used, len - used, " and %zu more", more);
		used = strlen(why);
		return MISSED;
	}
	if (warn > 0)
		str_printf(why, len, "near the limit, WARN %.0f %%", warn * 100 < 1 ? 1 : warn * 100);
	return MET;
}

/* Seconds an outage lasted, or ran until the run's last event when it never ended. */
static double outage_s(const struct recap *r, const struct recap_outage *o)
{
	return (double)((o->end_ms >= 0 ? o->end_ms : r->last_ms) - o->start_ms) / 1000.0;
}

static double recovery_limit(const struct recap *r, const char *row)
{
	struct target_limits lim;

	targets_limits(r->targets, row[0] != '\0' ? row : NULL, &lim);
	return lim.limit[TARGET_RECOVERY];
}

static bool outage_met(const struct recap *r, const struct recap_outage *o)
{
	double lim = recovery_limit(r, o->row);

	return o->end_ms >= 0 && (isnan(lim) || outage_s(r, o) <= lim);
}

/* The outages that count: a row's, or the router's when no row was named. */
static bool outage_counts(const struct recap *r, const struct recap_outage *o)
{
	return !r->rows || o->row[0] != '\0';
}

static enum verdict recovery_verdict(const struct recap *r, char *why, size_t len)
{
	bool missed = false;
	size_t n = 0;

	why[0] = '\0';
	for (size_t i = 0; i < r->nout; i++) {
		const struct recap_outage *o = &r->out[i];
		size_t used = strlen(why);
		char d[32];

		if (!outage_counts(r, o))
			continue;
		missed |= !outage_met(r, o);
		if (n++ >= RECAP_NAMED)
			continue;
		str_printf(d, sizeof(d), "%.1f s", outage_s(r, o));
		str_printf(why + used, len - used, "%s%s %s %s", n > 1 ? ", " : "",
			   o->row[0] != '\0' ? o->row : "router", o->end_ms >= 0 ? "out" : "still out after", d);
	}
	if (n > RECAP_NAMED) {
		size_t used = strlen(why);

		str_printf(why + used, len - used, " and %zu more", n - RECAP_NAMED);
	}
	if (n == 0) {
		str_printf(why, len, "no breaker opened");
		return MET;
	}
	return missed ? MISSED : MET;
}

static enum verdict target_verdict(const struct recap *r, enum target_id id, char *why, size_t len)
{
	return id == TARGET_RECOVERY ? recovery_verdict(r, why, len) : time_verdict(r, id, why, len);
}

static const char *verdict_word(enum verdict v)
{
	return v == MET ? "met" : v == MISSED ? "missed" : "no data";
}

size_t recap_lines(const struct recap *r, char (*lines)[RECAP_LINE], size_t max)
{
	size_t n = 0, met = 0, missed = 0;
	char why[RECAP_LINE * 2], head[48];

	if (max == 0)
		return 0;
	n++;	/* the head line, once the count is known */
	for (int i = 0; i < TARGET_COUNT; i++) {
		enum verdict v = target_verdict(r, (enum target_id)i, why, sizeof(why));

		met += v == MET;
		missed += v == MISSED;
		if (n == max)
			continue;
		target_head(r, (enum target_id)i, head, sizeof(head));
		if (why[0] != '\0')
			str_printf(lines[n++], RECAP_LINE, "  %-*s %s: %s", RECAP_HEAD_W, head, verdict_word(v), why);
		else
			str_printf(lines[n++], RECAP_LINE, "  %-*s %s", RECAP_HEAD_W, head, verdict_word(v));
	}
	str_printf(lines[0], RECAP_LINE, "targets: %zu met, %zu missed%s (%% of the time in FAIL, WARN)",
		   met, missed, met + missed < TARGET_COUNT ? ", the rest without data" : "");
	return n;
}

static void recap_json(FILE *out, const struct recap *r)
{
	cJSON *root = cJSON_CreateObject(), *sum = cJSON_AddObjectToObject(root, "summary");
	cJSON *targets = cJSON_AddArrayToObject(sum, "targets");
	cJSON *recs = cJSON_AddArrayToObject(sum, "recoveries");
	struct target_limits lim;
	char why[RECAP_LINE * 2];

	if (root == NULL || sum == NULL || targets == NULL || recs == NULL)
		fatal("out of memory");
	targets_limits(r->targets, NULL, &lim);
	for (int i = 0; i < TARGET_COUNT; i++) {
		cJSON *t = cJSON_CreateObject();
		enum verdict v = target_verdict(r, (enum target_id)i, why, sizeof(why));

		if (t == NULL)
			fatal("out of memory");
		cJSON_AddStringToObject(t, "target", target_key((enum target_id)i));
		if (isnan(lim.limit[i]))
			cJSON_AddNullToObject(t, "limit");
		else
			cJSON_AddNumberToObject(t, "limit", lim.limit[i]);
		cJSON_AddStringToObject(t, "verdict", verdict_word(v));
		cJSON_AddStringToObject(t, "why", why);
		cJSON_AddItemToArray(targets, t);
	}
	for (size_t i = 0; i < r->nout; i++) {
		const struct recap_outage *o = &r->out[i];
		cJSON *j;

		if (!outage_counts(r, o))
			continue;
		j = cJSON_CreateObject();
		if (j == NULL)
			fatal("out of memory");
		cJSON_AddStringToObject(j, "row", o->row);
		cJSON_AddNumberToObject(j, "seconds", round(outage_s(r, o) * 1000) / 1000);
		cJSON_AddBoolToObject(j, "recovered", o->end_ms >= 0);
		cJSON_AddBoolToObject(j, "met", outage_met(r, o));
		cJSON_AddItemToArray(recs, j);
	}
	/* Row names came from outside: the funnel, like every line of batch output. */
	sanitize_cjson(root);
	output_json_line(out, root);
	fflush(out);
}

void recap_write(FILE *out, enum output_format fmt, const struct recap *r)
{
	char lines[RECAP_LINES][RECAP_LINE];
	size_t n;

	if (fmt == FORMAT_JSON) {
		recap_json(out, r);
		return;
	}
	n = recap_lines(r, lines, RECAP_LINES);
	for (size_t i = 0; i < n; i++)
		sanitize_line(out, 0, "# %s", lines[i]);
	fflush(out);
}
