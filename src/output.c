/*
 * Batch output formats (see output.h): text, json, csv and nagios, each
 * written from a monitor's newest snapshot and evaluation. Times are on the
 * source's clock, counted from the monitor's start, never the wall clock, so
 * a simulated run prints the same bytes every time.
 *
 * Unknown values are n/a in text, null in json, empty in csv and left out of
 * nagios perfdata; never zero.
 *
 * Rows (monitor_rows) follow the router in the snapshot's order: a table
 * under the text line or report, a "rows" array in json, a line per row in
 * csv (the router's line has an empty row column), and in nagios the
 * failing rows in the message and perfdata per row. The status reported
 * everywhere is monitor_status(): the worst of the router and its rows.
 *
 * Every text from outside (a router's words and row names, the source's
 * description with a URL or file name in it) leaves through the sanitising
 * funnel (sanitize.h); the nagios line's text without '|', its perfdata
 * labels quoted as the monitoring-plugin guidelines say.
 */
#include "output.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "openmetrics.h"
#include "util.h"

#define NUM_LEN 32
#define NAGIOS_TEXT_LEN 1024
#define NAGIOS_LABEL_LEN 128
/* Widest name column of the text table; longer names overflow it. */
#define NAME_COL_MAX 24
/* Rows a nagios message names before it only counts the rest. */
#define NAGIOS_ROWS_NAMED 5

void output_json_line(FILE *out, cJSON *root)
{
	char *text = cJSON_PrintUnformatted(root);

	cJSON_Delete(root);
	if (text == NULL)
		fatal("out of memory");
	fprintf(out, "%s\n", text);
	cJSON_free(text);
}

int output_format_parse(const char *name, enum output_format *out)
{
	static const struct {
		const char *name;
		enum output_format fmt;
	} names[] = {
		{ "text", FORMAT_TEXT }, { "json", FORMAT_JSON },
		{ "csv", FORMAT_CSV }, { "nagios", FORMAT_NAGIOS },
		{ "openmetrics", FORMAT_OPENMETRICS },
	};

	if (name == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].fmt;
			return 0;
		}
	}
	return -1;
}

/*
 * A copy of the newest snapshot as it is shown (percentiles without data
 * unknown, never 0), or an all-unknown one if there is none yet.
 */
static const struct metrics_snapshot *output_snap(const struct monitor *m, struct metrics_snapshot *copy,
						  int64_t *t_ms)
{
	const struct history_entry *e = m->hist != NULL ? history_get(m->hist, 0) : NULL;

	if (e == NULL) {
		metrics_init(copy);
		*t_ms = 0;
		return copy;
	}
	*t_ms = e->at_ms - m->start_ms;
	*copy = e->snap;
	metrics_latency_mask(&copy->latency);
	return copy;
}

static double output_error_pct(const struct monitor *m)
{
	double r = m->hist != NULL ? history_error_rate(m->hist) : NAN;

	return isnan(r) ? NAN : r * 100.0;
}

/* How the percentiles were worked out, when the source said so. */
static const char *output_pct_note(enum metrics_pct_source source)
{
	switch (source) {
	case METRICS_PCT_BUCKETS:
		return " (interpolated from buckets)";
	case METRICS_PCT_LIFETIME:
		return " (interpolated from buckets, lifetime)";
	case METRICS_PCT_SUMMARY:
		return " (the router's summary)";
	case METRICS_PCT_UNSAID:
		break;
	}
	return "";
}

/* Human number: one decimal, or three significant digits below 1 (0.032 req/s). */
static const char *fmt_human(char *buf, double v, const char *unknown)
{
	if (isnan(v) || isinf(v))
		str_printf(buf, NUM_LEN, "%s", unknown);
	else if (v == 0.0 || fabs(v) >= 1.0)
		str_printf(buf, NUM_LEN, "%.1f", v);
	else
		str_printf(buf, NUM_LEN, "%.3g", v);
	return buf;
}

/* Machine number: as many digits as it needs, up to six significant. */
static const char *fmt_exact(char *buf, double v)
{
	if (isnan(v) || isinf(v))
		buf[0] = '\0';
	else
		str_printf(buf, NUM_LEN, "%.6g", v);
	return buf;
}

static const char *fmt_count(char *buf, int64_t v, const char *unknown)
{
	if (v < 0)
		str_printf(buf, NUM_LEN, "%s", unknown);
	else
		str_printf(buf, NUM_LEN, "%" PRId64, v);
	return buf;
}

/* Unit with a space before it, except none for "%" written as a suffix. */
static const char *target_unit_sep(enum target_id id)
{
	return strcmp(target_unit(id), "%") == 0 ? "" : " ";
}

/* A value with its unit glued on ("125.7ms"), or a bare "n/a". */
static const char *fmt_with_unit(char *buf, double v, const char *unit)
{
	char num[NUM_LEN];

	if (isnan(v) || isinf(v))
		str_printf(buf, NUM_LEN, "n/a");
	else
		str_printf(buf, NUM_LEN, "%s%s", fmt_human(num, v, "n/a"), unit);
	return buf;
}

/* --batch text: one line per snapshot. */
static void output_text_line(FILE *out, const struct monitor *m)
{
	struct metrics_snapshot copy;
	int64_t t;
	const struct metrics_snapshot *s = output_snap(m, &copy, &t);
	char a[NUM_LEN], b[NUM_LEN], c[NUM_LEN], d[NUM_LEN];

	fprintf(out, "%+.1fs breaker=%s p95=%s p99=%s rps=%s err=%s |",
		(double)t / 1000.0, breaker_state_name(s->breaker.state),
		fmt_with_unit(a, s->latency.p95, "ms"), fmt_with_unit(b, s->latency.p99, "ms"),
		fmt_with_unit(c, s->throughput.per_second, ""),
		fmt_with_unit(d, output_error_pct(m), "%"));
	for (int i = 0; i < TARGET_COUNT; i++)
		fprintf(out, " %s %s", target_key((enum target_id)i),
			target_status_name(m->eval.t[i].status));
	fprintf(out, " => %s\n", target_status_name(monitor_status(m)));
}

/* "12s", "4m12s", "3h05m", or "n/a". */
static const char *fmt_age(char *buf, double s)
{
	long long n;

	if (isnan(s) || s < 0) {
		str_printf(buf, NUM_LEN, "n/a");
		return buf;
	}
	n = (long long)s;
	if (n < 60)
		str_printf(buf, NUM_LEN, "%llds", n);
	else if (n < 3600)
		str_printf(buf, NUM_LEN, "%lldm%02llds", n / 60, n % 60);
	else
		str_printf(buf, NUM_LEN, "%lldh%02lldm", n / 3600, n / 60 % 60);
	return buf;
}

/* The rows under the router, one table line each, in the snapshot's order. */
static void output_rows_table(FILE *out, const struct monitor *m, const char *indent)
{
	size_t n = monitor_rows(m);
	int w = 4;

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(monitor_row(m, i)->name);

		if ((int)len > w)
			w = len > NAME_COL_MAX ? NAME_COL_MAX : (int)len;
	}
	fprintf(out, "%s%-*s  %-9s %6s %8s %8s %8s %8s %6s  %s\n", indent, w, "ROW", "BREAKER", "FOR",
		"REQ/S", "P50", "P95", "P99", "ERR %", "STATUS");
	for (size_t i = 0; i < n; i++) {
		const struct monitor_row *r = monitor_row(m, i);
		char a[NUM_LEN], b[NUM_LEN], c[NUM_LEN], d[NUM_LEN], e[NUM_LEN], f[NUM_LEN];
		char name[METRICS_NAME_LEN];

		sanitize_copy(name, sizeof(name), r->name, 0);
		fprintf(out, "%s%-*s  %-9s %6s %8s %8s %8s %8s %6s  %s\n", indent, w, name,
			breaker_state_name(r->state), fmt_age(a, r->state_age_s),
			fmt_human(b, r->rps, "n/a"), fmt_human(c, r->p50, "n/a"),
			fmt_human(d, r->p95, "n/a"), fmt_human(e, r->p99, "n/a"),
			fmt_human(f, r->error_pct, "n/a"), r->down ? "DOWN" : target_status_name(r->status));
	}
}

static void output_text_target(FILE *out, const struct monitor *m, enum target_id id)
{
	const struct target_result *r = &m->eval.t[id];
	const char *unit = target_unit(id), *sep = target_unit_sep(id);
	char v[NUM_LEN + 16], lim[NUM_LEN + 16], num[NUM_LEN];

	if (isnan(r->value))
		str_printf(v, sizeof(v), "n/a");
	else
		str_printf(v, sizeof(v), "%s%s%s", fmt_human(num, r->value, "n/a"), sep, unit);
	str_printf(lim, sizeof(lim), "%s %s%s%s", target_is_upper_bound(id) ? "<" : ">",
		   fmt_exact(num, m->targets->limit[id]), sep, unit);
	fprintf(out, "  %-11s %-14s %-14s %s", target_key(id), v, lim, target_status_name(r->status));
	if (r->status == STATUS_UNKNOWN && r->note != NULL)
		fprintf(out, " (%s)", r->note);
	fputc('\n', out);
}

/* --once text: a short report a person can read at a glance. */
static void output_text_report(FILE *out, const struct monitor *m)
{
	struct metrics_snapshot copy;
	int64_t t;
	const struct metrics_snapshot *s = output_snap(m, &copy, &t);
	char desc[128], rec[METRICS_TEXT_LEN], a[NUM_LEN], b[NUM_LEN], c[NUM_LEN], d[NUM_LEN],
		e[NUM_LEN];

	source_describe(m->src, desc, sizeof(desc));
	sanitize_in_place(desc, 0);
	fprintf(out, "source      %s  (at %+.1fs)\n", desc, (double)t / 1000.0);
	fprintf(out, "breaker     %s", breaker_state_name(s->breaker.state));
	if (s->breaker.healthy >= 0)
		fprintf(out, ", %s", s->breaker.healthy ? "healthy" : "unhealthy");
	if (s->breaker.recommendation[0] != '\0') {
		sanitize_copy(rec, sizeof(rec), s->breaker.recommendation, 0);
		fprintf(out, ", \"%s\"", rec);
	}
	fprintf(out, "\nlatency     P50 %s  P95 %s  P99 %s ms%s\n", fmt_human(a, s->latency.p50, "n/a"),
		fmt_human(b, s->latency.p95, "n/a"), fmt_human(c, s->latency.p99, "n/a"),
		output_pct_note(s->percentiles));
	fprintf(out, "throughput  %s req/s\n", fmt_human(a, s->throughput.per_second, "n/a"));
	fprintf(out, "errors      rate %s, breaker trips %s, rate limited %s, timeouts %s, failures %s\n",
		fmt_with_unit(a, output_error_pct(m), "%"), fmt_count(b, s->errors.breaker_trips, "n/a"),
		fmt_count(c, s->errors.rate_limited, "n/a"), fmt_count(d, s->errors.timeouts, "n/a"),
		fmt_count(e, s->errors.failures, "n/a"));
	fprintf(out, "targets\n");
	for (int i = 0; i < TARGET_COUNT; i++)
		output_text_target(out, m, (enum target_id)i);
	if (monitor_rows(m) > 0) {
		fprintf(out, "router      %s\n", target_status_name(m->eval.overall));
		fprintf(out, "rows        %zu\n", monitor_rows(m));
		output_rows_table(out, m, "  ");
	}
	fprintf(out, "overall     %s\n", target_status_name(monitor_status(m)));
}

static void json_add_number(cJSON *obj, const char *name, double v)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(obj, name);
	else
		cJSON_AddNumberToObject(obj, name, v);
}

/* {"p95":{"value":..,"limit":..,"status":..},...} for an evaluation against limits. */
static cJSON *json_targets(const struct evaluation *ev, const double *limit)
{
	cJSON *targets = cJSON_CreateObject();

	if (targets == NULL)
		fatal("out of memory");
	for (int i = 0; i < TARGET_COUNT; i++) {
		cJSON *one = cJSON_CreateObject();

		if (one == NULL)
			fatal("out of memory");
		json_add_number(one, "value", ev->t[i].value);
		json_add_number(one, "limit", limit[i]);
		cJSON_AddStringToObject(one, "status", target_status_name(ev->t[i].status));
		cJSON_AddItemToObject(targets, target_key((enum target_id)i), one);
	}
	return targets;
}

/* Each row: its name, its snapshot (percentiles without data left out) and its evaluation. */
static void json_rows(cJSON *root, const struct monitor *m)
{
	cJSON *rows;

	if (monitor_rows(m) == 0)
		return;
	cJSON_AddStringToObject(root, "routerStatus", target_status_name(m->eval.overall));
	rows = cJSON_AddArrayToObject(root, "rows");
	if (rows == NULL)
		fatal("out of memory");
	for (size_t i = 0; i < monitor_rows(m); i++) {
		const struct monitor_row *r = monitor_row(m, i);
		struct metrics_snapshot s = *r->snap;	/* a rowless copy: owns nothing */
		cJSON *one = cJSON_CreateObject();

		if (one == NULL)
			fatal("out of memory");
		metrics_latency_mask(&s.latency);
		cJSON_AddStringToObject(one, "name", r->name);
		cJSON_AddItemToObject(one, "metrics", metrics_to_cjson(&s));
		cJSON_AddItemToObject(one, "targets", json_targets(&r->eval, r->eval.limits.limit));
		cJSON_AddStringToObject(one, "status", target_status_name(r->status));
		cJSON_AddItemToArray(rows, one);
	}
}

static void output_json(FILE *out, const struct monitor *m)
{
	struct metrics_snapshot copy;
	int64_t t;
	const struct metrics_snapshot *s = output_snap(m, &copy, &t);
	cJSON *root = cJSON_CreateObject(), *metrics = metrics_to_cjson(s);

	if (root == NULL || metrics == NULL)
		fatal("out of memory");
	cJSON_AddNumberToObject(root, "t", (double)t);
	cJSON_AddItemToObject(root, "metrics", metrics);
	cJSON_AddItemToObject(root, "targets", json_targets(&m->eval, m->targets->limit));
	cJSON_AddStringToObject(root, "status", target_status_name(monitor_status(m)));
	json_rows(root, m);
	sanitize_cjson(root);
	output_json_line(out, root);
}

/* A csv field: as is, or quoted (quotes doubled) when it holds a comma, quote or space. */
static void csv_field(FILE *out, const char *raw)
{
	char text[METRICS_NAME_LEN];

	sanitize_copy(text, sizeof(text), raw, 0);
	if (strpbrk(text, ",\" ") == NULL) {
		fputs(text, out);
		return;
	}
	fputc('"', out);
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

/* One csv line: the router's (row NULL, status the worst of all) or a row's. */
static void csv_line(FILE *out, int64_t t, const char *row, const struct metrics_snapshot *s,
		     double error_pct, const struct evaluation *ev, enum target_status status)
{
	const double nums[] = {
		s->latency.p50, s->latency.p90, s->latency.p95, s->latency.p99,
		s->throughput.per_second, error_pct,
	};
	const int64_t counts[] = {
		s->errors.breaker_trips, s->errors.rate_limited, s->errors.timeouts, s->errors.failures,
	};
	char buf[NUM_LEN];

	fprintf(out, "%" PRId64 ",", t);
	csv_field(out, row != NULL ? row : "");
	fprintf(out, ",%s", s->breaker.state == BREAKER_UNKNOWN ? "" :
		breaker_state_name(s->breaker.state));
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		fprintf(out, ",%s", fmt_exact(buf, nums[i]));
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		fprintf(out, ",%s", fmt_count(buf, counts[i], ""));
	for (int i = 0; i < TARGET_COUNT; i++)
		fprintf(out, ",%s", target_status_name(ev->t[i].status));
	fprintf(out, ",%s\n", target_status_name(status));
}

static void output_csv(FILE *out, const struct monitor *m, bool first)
{
	struct metrics_snapshot copy;
	int64_t t;
	const struct metrics_snapshot *s = output_snap(m, &copy, &t);

	if (first) {
		/* Column names are identifiers: no '-' (error-rate's key) in them. */
		_Static_assert(TARGET_COUNT == 5, "the csv header names every target");
		fputs("t_ms,row,breaker,p50_ms,p90_ms,p95_ms,p99_ms,rps,error_rate_pct,"
		      "breaker_trips,rate_limited,timeouts,failures,p95_status,p99_status,"
		      "throughput_status,error_rate_status,recovery_status,status\n", out);
	}
	csv_line(out, t, NULL, s, output_error_pct(m), &m->eval, monitor_status(m));
	for (size_t i = 0; i < monitor_rows(m); i++) {
		const struct monitor_row *r = monitor_row(m, i);
		struct metrics_snapshot rs = *r->snap;	/* a rowless copy: owns nothing */

		metrics_latency_mask(&rs.latency);
		csv_line(out, t, r->name, &rs, r->error_pct, &r->eval, r->status);
	}
}

static const char *nagios_word(enum target_status st)
{
	switch (st) {
	case STATUS_OK:
		return "OK";
	case STATUS_WARN:
		return "WARNING";
	case STATUS_FAIL:
		return "CRITICAL";
	case STATUS_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

/* Append to the NUL-terminated text in buf (len bytes in all); a cut is harmless here. */
static void text_append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void text_append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/*
 * The targets of one evaluation (the router's, or a row's with its name
 * before each) whose status is st, e.g. "search p99 1000.0 ms (limit < 500)".
 * Returns how many were written after the shown ones before.
 */
static int nagios_targets(char *out, size_t len, const char *row, const struct evaluation *ev,
			  enum target_status st, int shown)
{
	char num[NUM_LEN], lim[NUM_LEN];
	int n = 0;

	for (int i = 0; i < TARGET_COUNT; i++) {
		const struct target_result *r = &ev->t[i];
		enum target_id id = (enum target_id)i;

		if (r->status != st)
			continue;
		text_append(out, len, "%s%s%s%s ", shown + n++ ? ", " : "", row != NULL ? row : "",
			    row != NULL ? " " : "", target_key(id));
		if (isnan(r->value))
			text_append(out, len, "n/a (%s)", r->note != NULL ? r->note : "no data");
		else
			text_append(out, len, "%s%s%s (limit %s %s)", fmt_human(num, r->value, "n/a"),
				    target_unit_sep(id), target_unit(id),
				    target_is_upper_bound(id) ? "<" : ">",
				    fmt_exact(lim, ev->limits.limit[id]));
	}
	return n;
}

/*
 * What decided the status: the router's targets in that state, then those
 * of the first few rows in it (the rest counted), e.g. "throughput 0.032
 * req/s (limit > 100), search p99 1000.0 ms (limit < 500)".
 */
static void nagios_summary(char *out, size_t len, const struct monitor *m)
{
	enum target_status st = monitor_status(m);
	struct evaluation router = m->eval;
	size_t rows_named = 0, rows_more = 0;
	int shown = 0;

	/* The router's limits are the target set's (hand-made evaluations carry none). */
	memcpy(router.limits.limit, m->targets->limit, sizeof(router.limits.limit));
	if (st != STATUS_OK)
		shown += nagios_targets(out, len, NULL, &router, st, shown);
	for (size_t i = 0; st != STATUS_OK && i < monitor_rows(m); i++) {
		const struct monitor_row *r = monitor_row(m, i);

		if (r->status != st)
			continue;
		if (rows_named == NAGIOS_ROWS_NAMED) {
			rows_more++;
			continue;
		}
		rows_named++;
		shown += nagios_targets(out, len, r->name, &r->eval, st, shown);
	}
	if (rows_more > 0)
		text_append(out, len, ", and %zu more row%s", rows_more, rows_more > 1 ? "s" : "");
	if (shown == 0)
		text_append(out, len, "%s", st == STATUS_OK ? "all targets met" : "no data");
}

/*
 * Perfdata with plugin thresholds: warn where the warn band starts, crit at
 * the limit; lower bounds use the "N:" range form (alert below N).
 */
static const struct {
	enum target_id id;
	const char *label, *uom;
} nagios_perf[] = {
	{ TARGET_P95, "p95", "ms" }, { TARGET_P99, "p99", "ms" },
	{ TARGET_THROUGHPUT, "rps", "" }, { TARGET_ERROR_RATE, "error_rate", "%" },
	{ TARGET_RECOVERY, "recovery", "s" },
};

/*
 * A perfdata label as the plugin guidelines write it: in single quotes, a
 * quote inside doubled, no '=' (it ends the label) and nothing the funnel
 * would not pass in plugin output: "'p95'" for the router, "'search p95'"
 * for a row. Row names from routers come through here.
 */
static const char *nagios_label(char *buf, size_t len, const char *row, const char *label)
{
	char clean[NAGIOS_LABEL_LEN], text[NAGIOS_LABEL_LEN + 16];
	size_t out = 0;

	sanitize_copy(clean, sizeof(clean), row != NULL ? row : "", SANITIZE_PLUGIN);
	str_printf(text, sizeof(text), "%s%s%s", clean, row != NULL ? " " : "", label);
	buf[out++] = '\'';
	for (const char *p = text; *p != '\0' && out + 3 < len; p++) {
		if (*p == '\'')
			buf[out++] = '\'';
		buf[out++] = *p == '=' ? '_' : *p;
	}
	buf[out++] = '\'';
	buf[out] = '\0';
	return buf;
}

/* The perfdata of one evaluation; *sep is " |" before the first item, "" after. */
static void nagios_perf_items(FILE *out, const char *row, const struct evaluation *ev,
			      const double *limit, double band, const char **sep)
{
	for (size_t i = 0; i < sizeof(nagios_perf) / sizeof(nagios_perf[0]); i++) {
		enum target_id id = nagios_perf[i].id;
		double v = ev->t[id].value, lim = limit[id];
		bool upper = target_is_upper_bound(id);
		double warn = upper ? lim * (1.0 - band) : lim * (1.0 + band);
		char a[NUM_LEN], b[NUM_LEN], c[NUM_LEN], lab[2 * NAGIOS_LABEL_LEN + 40];

		if (isnan(v) || isinf(v))
			continue;
		fprintf(out, "%s %s=%s%s", *sep, nagios_label(lab, sizeof(lab), row, nagios_perf[i].label),
			fmt_exact(a, v), nagios_perf[i].uom);
		/* No target, no thresholds. */
		if (!isnan(lim))
			fprintf(out, ";%s%s;%s%s", fmt_exact(b, warn), upper ? "" : ":",
				fmt_exact(c, lim), upper ? "" : ":");
		*sep = "";
	}
}

static void nagios_perfdata(FILE *out, const struct monitor *m)
{
	const char *sep = " |";

	nagios_perf_items(out, NULL, &m->eval, m->targets->limit, m->targets->warn_band, &sep);
	for (size_t i = 0; i < monitor_rows(m); i++) {
		const struct monitor_row *r = monitor_row(m, i);

		nagios_perf_items(out, r->name, &r->eval, r->eval.limits.limit,
				  r->eval.limits.warn_band, &sep);
	}
}

static void output_nagios(FILE *out, const struct monitor *m)
{
	struct metrics_snapshot copy;
	int64_t t;
	const struct metrics_snapshot *s = output_snap(m, &copy, &t);
	char text[NAGIOS_TEXT_LEN] = "";

	nagios_summary(text, sizeof(text), m);
	text_append(text, sizeof(text), "; breaker %s", breaker_state_name(s->breaker.state));
	/* Everything before the '|' is text; none of it may hold one. */
	sanitize_in_place(text, SANITIZE_PLUGIN);
	fprintf(out, "ROUTERTOP %s - %s", nagios_word(monitor_status(m)), text);
	nagios_perfdata(out, m);
	fputc('\n', out);
}

/*
 * Flush out: 0, or -1 with errno saying why a write failed (a full disk, a
 * closed pipe). A write that failed earlier, inside a long record, left its
 * errno behind: the writers clear errno before they start.
 */
static int output_flush(FILE *out)
{
	if (fflush(out) != 0)
		return -1;
	if (ferror(out)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

int output_write(FILE *out, enum output_format fmt, const struct monitor *m, bool first)
{
	errno = 0;
	switch (fmt) {
	case FORMAT_TEXT:
		output_text_line(out, m);
		output_rows_table(out, m, "  ");
		break;
	case FORMAT_JSON:
		output_json(out, m);
		break;
	case FORMAT_CSV:
		output_csv(out, m, first);
		break;
	case FORMAT_NAGIOS:
		output_nagios(out, m);
		break;
	case FORMAT_OPENMETRICS:
		if (first)
			openmetrics_header(out);
		if (monitor_latest(m) != NULL)
			openmetrics_snapshot(out, monitor_latest(m), m->last_good_wall_ms);
		break;
	}
	return output_flush(out);
}

int output_finish(FILE *out, enum output_format fmt)
{
	if (fmt != FORMAT_OPENMETRICS)
		return 0;
	errno = 0;
	openmetrics_eof(out);
	return output_flush(out);
}

int output_write_once(FILE *out, enum output_format fmt, const struct monitor *m)
{
	int rc;

	if (fmt != FORMAT_TEXT) {
		rc = output_write(out, fmt, m, true);
		return rc != 0 ? rc : output_finish(out, fmt);
	}
	errno = 0;
	output_text_report(out, m);
	return output_flush(out);
}

int output_write_failed(FILE *err, int errnum)
{
	/* The reader went away (head -1): it chose to stop reading; nothing to say. */
	if (errnum != EPIPE)
		fprintf(err, "routertop: cannot write standard output: %s\n", strerror(errnum));
	return 3;
}

void output_write_caption(FILE *out, enum output_format fmt, const struct monitor *m,
			  const struct eventlog_entry *e)
{
	double t = (double)(e->at_ms - m->start_ms) / 1000.0;

	if (fmt == FORMAT_TEXT) {
		/* The caption's words came with the notice: through the funnel (eventlog keeps them clean too). */
		if (e->chapters > 0)
			sanitize_line(out, 0, "# %+.1fs chapter %d/%d %s: %s", t, e->chapter, e->chapters, e->text,
				      e->detail);
		else
			sanitize_line(out, 0, "# %+.1fs %s: %s", t, e->text, e->detail);
	} else if (fmt == FORMAT_JSON) {
		cJSON *root = cJSON_CreateObject(), *c = cJSON_AddObjectToObject(root, "caption");

		if (root == NULL || c == NULL)
			fatal("out of memory");
		cJSON_AddNumberToObject(root, "t", (double)(e->at_ms - m->start_ms));
		if (e->chapters > 0) {
			cJSON_AddNumberToObject(c, "chapter", e->chapter);
			cJSON_AddNumberToObject(c, "chapters", e->chapters);
		}
		cJSON_AddStringToObject(c, "title", e->text);
		cJSON_AddStringToObject(c, "text", e->detail);
		sanitize_cjson(root);
		output_json_line(out, root);
	}
}
