/*
 * Batch output formats (see output.h): text, json, csv and nagios, each
 * written from a monitor's newest snapshot and evaluation. Times are on the
 * source's clock, counted from the monitor's start, never the wall clock, so
 * a simulated run prints the same bytes every time.
 *
 * Unknown values are n/a in text, null in json, empty in csv and left out of
 * nagios perfdata; never zero.
 *
 * Every text from outside (a router's words, the source's description with
 * a URL or file name in it) leaves through the sanitising funnel
 * (sanitize.h); the nagios line's text without '|', its perfdata labels
 * quoted as the monitoring-plugin guidelines say.
 */
#include "output.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "sanitize.h"
#include "util.h"

#define NUM_LEN 32
#define NAGIOS_TEXT_LEN 1024
#define NAGIOS_LABEL_LEN 128

int output_format_parse(const char *name, enum output_format *out)
{
	static const struct {
		const char *name;
		enum output_format fmt;
	} names[] = {
		{ "text", FORMAT_TEXT }, { "json", FORMAT_JSON },
		{ "csv", FORMAT_CSV }, { "nagios", FORMAT_NAGIOS },
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
	fprintf(out, " => %s\n", target_status_name(m->eval.overall));
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
	fprintf(out, "\nlatency     P50 %s  P95 %s  P99 %s ms\n", fmt_human(a, s->latency.p50, "n/a"),
		fmt_human(b, s->latency.p95, "n/a"), fmt_human(c, s->latency.p99, "n/a"));
	fprintf(out, "throughput  %s req/s\n", fmt_human(a, s->throughput.per_second, "n/a"));
	fprintf(out, "errors      rate %s, breaker trips %s, rate limited %s, timeouts %s, failures %s\n",
		fmt_with_unit(a, output_error_pct(m), "%"), fmt_count(b, s->errors.breaker_trips, "n/a"),
		fmt_count(c, s->errors.rate_limited, "n/a"), fmt_count(d, s->errors.timeouts, "n/a"),
		fmt_count(e, s->errors.failures, "n/a"));
	fprintf(out, "targets\n");
	for (int i = 0; i < TARGET_COUNT; i++)
		output_text_target(out, m, (enum target_id)i);
	fprintf(out, "overall     %s\n", target_status_name(m->eval.overall));
}

static void json_add_number(cJSON *obj, const char *name, double v)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(obj, name);
	else
		cJSON_AddNumberToObject(obj, name, v);
}

static void output_json(FILE *out, const struct monitor *m)
{
	struct metrics_snapshot copy;
	int64_t t;
	const struct metrics_snapshot *s = output_snap(m, &copy, &t);
	cJSON *root = cJSON_CreateObject(), *targets = cJSON_CreateObject(), *metrics = metrics_to_cjson(s);
	char *text;

	if (root == NULL || targets == NULL || metrics == NULL)
		fatal("out of memory");
	cJSON_AddNumberToObject(root, "t", (double)t);
	cJSON_AddItemToObject(root, "metrics", metrics);
	for (int i = 0; i < TARGET_COUNT; i++) {
		cJSON *one = cJSON_CreateObject();

		if (one == NULL)
			fatal("out of memory");
		json_add_number(one, "value", m->eval.t[i].value);
		json_add_number(one, "limit", m->targets->limit[i]);
		cJSON_AddStringToObject(one, "status", target_status_name(m->eval.t[i].status));
		cJSON_AddItemToObject(targets, target_key((enum target_id)i), one);
	}
	cJSON_AddItemToObject(root, "targets", targets);
	cJSON_AddStringToObject(root, "status", target_status_name(m->eval.overall));
	sanitize_cjson(root);
	text = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (text == NULL)
		fatal("out of memory");
	fprintf(out, "%s\n", text);
	cJSON_free(text);
}

static void output_csv(FILE *out, const struct monitor *m, bool first)
{
	struct metrics_snapshot copy;
	int64_t t;
	const struct metrics_snapshot *s = output_snap(m, &copy, &t);
	const double nums[] = {
		s->latency.p50, s->latency.p90, s->latency.p95, s->latency.p99,
		s->throughput.per_second, output_error_pct(m),
	};
	const int64_t counts[] = {
		s->errors.breaker_trips, s->errors.rate_limited, s->errors.timeouts, s->errors.failures,
	};
	char buf[NUM_LEN];

	if (first) {
		/* Column names are identifiers: no '-' (error-rate's key) in them. */
		_Static_assert(TARGET_COUNT == 5, "the csv header names every target");
		fputs("t_ms,breaker,p50_ms,p90_ms,p95_ms,p99_ms,rps,error_rate_pct,"
		      "breaker_trips,rate_limited,timeouts,failures,p95_status,p99_status,"
		      "throughput_status,error_rate_status,recovery_status,status\n", out);
	}
	fprintf(out, "%" PRId64 ",%s", t, s->breaker.state == BREAKER_UNKNOWN ? "" :
		breaker_state_name(s->breaker.state));
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		fprintf(out, ",%s", fmt_exact(buf, nums[i]));
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		fprintf(out, ",%s", fmt_count(buf, counts[i], ""));
	for (int i = 0; i < TARGET_COUNT; i++)
		fprintf(out, ",%s", target_status_name(m->eval.t[i].status));
	fprintf(out, ",%s\n", target_status_name(m->eval.overall));
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

/* The targets that decided the overall status, e.g. "throughput 0.032 req/s (limit > 100)". */
static void nagios_summary(char *buf, size_t len, const struct monitor *m)
{
	int shown = 0;
	char num[NUM_LEN], lim[NUM_LEN];

	for (int i = 0; i < TARGET_COUNT; i++) {
		const struct target_result *r = &m->eval.t[i];
		enum target_id id = (enum target_id)i;

		if (m->eval.overall == STATUS_OK || r->status != m->eval.overall)
			continue;
		text_append(buf, len, "%s%s ", shown++ ? ", " : "", target_key(id));
		if (isnan(r->value))
			text_append(buf, len, "n/a (%s)", r->note != NULL ? r->note : "no data");
		else
			text_append(buf, len, "%s%s%s (limit %s %s)", fmt_human(num, r->value, "n/a"),
				    target_unit_sep(id), target_unit(id),
				    target_is_upper_bound(id) ? "<" : ">",
				    fmt_exact(lim, m->targets->limit[id]));
	}
	if (shown == 0)
		text_append(buf, len, "%s", m->eval.overall == STATUS_OK ? "all targets met" : "no data");
}

/*
 * A perfdata label as the plugin guidelines write it: in single quotes, a
 * quote inside doubled, no '=' (it ends the label) and nothing the funnel
 * would not pass in plugin output. Row names from routers come through here.
 */
static const char *nagios_label(char *buf, size_t len, const char *text)
{
	char clean[NAGIOS_LABEL_LEN];
	size_t out = 0;

	sanitize_copy(clean, sizeof(clean), text, SANITIZE_PLUGIN);
	buf[out++] = '\'';
	for (const char *p = clean; *p != '\0' && out + 3 < len; p++) {
		if (*p == '\'')
			buf[out++] = '\'';
		buf[out++] = *p == '=' ? '_' : *p;
	}
	buf[out++] = '\'';
	buf[out] = '\0';
	return buf;
}

/*
 * Perfdata with plugin thresholds: warn where the warn band starts, crit at
 * the limit; lower bounds use the "N:" range form (alert below N).
 */
static void nagios_perfdata(FILE *out, const struct monitor *m)
{
	static const struct {
		enum target_id id;
		const char *label, *uom;
	} perf[] = {
		{ TARGET_P95, "p95", "ms" }, { TARGET_P99, "p99", "ms" },
		{ TARGET_THROUGHPUT, "rps", "" }, { TARGET_ERROR_RATE, "error_rate", "%" },
		{ TARGET_RECOVERY, "recovery", "s" },
	};
	const char *sep = " |";

	for (size_t i = 0; i < sizeof(perf) / sizeof(perf[0]); i++) {
		enum target_id id = perf[i].id;
		double v = m->eval.t[id].value, lim = m->targets->limit[id];
		bool upper = target_is_upper_bound(id);
		double warn = upper ? lim * (1.0 - m->targets->warn_band) : lim * (1.0 + m->targets->warn_band);
		char a[NUM_LEN], b[NUM_LEN], c[NUM_LEN], label[NAGIOS_LABEL_LEN + 8];

		if (isnan(v) || isinf(v))
			continue;
		fprintf(out, "%s %s=%s%s;%s%s;%s%s", sep, nagios_label(label, sizeof(label), perf[i].label),
			fmt_exact(a, v), perf[i].uom,
			fmt_exact(b, warn), upper ? "" : ":", fmt_exact(c, lim), upper ? "" : ":");
		sep = "";
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
	fprintf(out, "ROUTERTOP %s - %s", nagios_word(m->eval.overall), text);
	nagios_perfdata(out, m);
	fputc('\n', out);
}

void output_write(FILE *out, enum output_format fmt, const struct monitor *m, bool first)
{
	switch (fmt) {
	case FORMAT_TEXT:
		output_text_line(out, m);
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
	}
	fflush(out);
}

void output_write_once(FILE *out, enum output_format fmt, const struct monitor *m)
{
	if (fmt == FORMAT_TEXT) {
		output_text_report(out, m);
		fflush(out);
	} else {
		output_write(out, fmt, m, true);
	}
}
