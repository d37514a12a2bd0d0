/*
 * The summary of a whole recording (see summary.h). Each subject (the
 * router, each row) keeps a two-entry history, enough for counter deltas
 * and breaker transitions, and is evaluated against the targets at every
 * one of its snapshots, exactly as the screen would at that moment. The
 * time from one snapshot to the next is credited to what the first one
 * showed: its breaker state, each target's status, the overall status.
 *
 * Trips: a breaker that leaves closed (for open or half-open) starts a
 * trip, and is back when it is closed again; the trip's duration is the
 * time between the two snapshots that saw it, so it is as exact as the
 * recording's interval.
 */
#include "summary.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "record/reader.h"
#include "record/stream.h"
#include "sanitize.h"
#include "stopsig.h"
#include "util.h"

#define SUMMARY_WAIT_MS 250
#define HIST_MIN 1e-3
#define HIST_GROWTH 1.02

static void hist_add(struct summary_hist *h, double v)
{
	if (isnan(v))
		return;
	if (h->n == 0 || v < h->lo)
		h->lo = v;
	if (h->n == 0 || v > h->hi)
		h->hi = v;
	h->n++;
	if (v <= 0) {
		h->zero++;
	} else {
		double i = floor(log(v / HIST_MIN) / log(HIST_GROWTH));

		if (h->bins == NULL)
			h->bins = xcalloc(SUMMARY_HIST_BINS, sizeof(*h->bins));
		h->bins[i < 0 ? 0 : i >= SUMMARY_HIST_BINS ? SUMMARY_HIST_BINS - 1 : (size_t)i]++;
	}
}

double summary_hist_median(const struct summary_hist *h)
{
	uint64_t want, seen;

	if (h == NULL || h->n == 0)
		return NAN;
	want = (h->n - 1) / 2;
	if (want < h->zero)
		return 0;
	seen = h->zero;
	for (size_t i = 0; i < SUMMARY_HIST_BINS; i++) {
		seen += h->bins[i];
		if (seen > want) {
			double v = HIST_MIN * pow(HIST_GROWTH, (double)i + 0.5);

			return v < h->lo ? h->lo : v > h->hi ? h->hi : v;
		}
	}
	return NAN;
}

/* One value of target id: into its histogram, and the worst so far (lowest for throughput). */
static void subject_stat(struct summary_subject *j, enum target_id id, double v)
{
	struct summary_hist *h;

	if (j->stats == NULL || isnan(v))
		return;
	h = &j->stats[id];
	hist_add(h, v);
	if (isnan(h->worst) || (target_is_upper_bound(id) ? v > h->worst : v < h->worst))
		h->worst = v;
}

static void subject_init(struct summary_subject *j, const char *name)
{
	memset(j, 0, sizeof(*j));
	str_printf(j->name, sizeof(j->name), "%s", name);
	j->worst[0] = j->worst[1] = NAN;
	j->first_ms = j->last_ms = -1;
	j->worst_status = STATUS_OK;
	j->hist = history_new(2);
}

static void subject_free(struct summary_subject *j)
{
	history_free(j->hist);
	if (j->stats != NULL)
		for (int i = 0; i < TARGET_COUNT; i++)
			free(j->stats[i].bins);
	free(j->stats);
}

static void subject_want_stats(struct summary_subject *j, bool want)
{
	if (!want || j->stats != NULL)
		return;
	j->stats = xcalloc(TARGET_COUNT, sizeof(*j->stats));
	for (int i = 0; i < TARGET_COUNT; i++)
		j->stats[i].worst = NAN;
}

void summary_init(struct summary *s, const char *source, const struct target_set *ts)
{
	memset(s, 0, sizeof(*s));
	sanitize_copy(s->source, sizeof(s->source), source, 0);
	s->targets = ts;
	s->first_ms = s->last_ms = -1;
	s->origin_ms = -1;
	s->from_ms = 0;
	s->to_ms = INT64_MAX;
	s->scratch = xcalloc(1, sizeof(*s->scratch));
	subject_init(&s->router, "");
}

void summary_set_scope(struct summary *s, bool want_stats, int64_t from_ms, int64_t to_ms)
{
	s->want_stats = want_stats;
	s->from_ms = from_ms;
	s->to_ms = to_ms;
	subject_want_stats(&s->router, want_stats);
}

void summary_free(struct summary *s)
{
	subject_free(&s->router);
	for (size_t i = 0; i < s->nrows; i++) {
		subject_free(s->rows[i]);
		free(s->rows[i]);
	}
	free(s->rows);
	free(s->scratch);
	s->scratch = NULL;
	s->rows = NULL;
	s->nrows = 0;
}


static void subject_trip_start(struct summary_subject *j, int64_t t, enum breaker_state st)
{
	if (j->ntrips < SUMMARY_TRIPS_MAX)
		j->trips[j->ntrips] = (struct summary_trip){ .start_ms = t, .end_ms = -1, .worst = st };
	j->ntrips++;
	j->out = true;
	/* A recording that starts with the breaker out does not say how long it was out. */
	j->out_since = j->known_state == BREAKER_UNKNOWN ? -1 : t;
}

static void subject_trip_note(struct summary_subject *j, int64_t t, enum breaker_state st)
{
	struct summary_trip *tr = j->ntrips > 0 && j->ntrips <= SUMMARY_TRIPS_MAX
				  ? &j->trips[j->ntrips - 1] : NULL;

	if (st == BREAKER_CLOSED) {
		if (tr != NULL)
			tr->end_ms = t;
		if (j->out_since >= 0)
			subject_stat(j, TARGET_RECOVERY, (double)(t - j->out_since) / 1000.0);
		j->out = false;
	} else if (tr != NULL && st == BREAKER_OPEN) {
		tr->worst = BREAKER_OPEN;
	}
}

/* One snapshot of one subject at t; what it showed goes into *step. */
static void subject_add(struct summary_subject *j, const struct metrics_snapshot *snap,
			int64_t t, const struct target_set *ts, struct summary_step *step)
{
	const double pct[2] = { snap->latency.p95, snap->latency.p99 };
	enum breaker_state st = snap->breaker.state;
	struct evaluation ev;

	if (j->have_prev && t > j->prev_ms) {
		int64_t d = t - j->prev_ms;

		j->state_ms[j->prev_state] += d;
		for (int i = 0; i < TARGET_COUNT; i++)
			j->status_ms[i][j->prev_eval.t[i].status] += d;
		j->overall_ms[j->prev_eval.overall] += d;
	}
	int64_t interval = j->have_prev && t > j->prev_ms ? t - j->prev_ms : 0;
	/* The router's history keeps no rows: each row is a subject with a history of its own. */
	struct metrics_snapshot agg = *snap;

	agg.rows = NULL;
	agg.nrows = agg.rows_cap = 0;
	history_push(j->hist, &agg, t);
	if (j->name[0] != '\0')
		targets_evaluate_row(ts, j->name, j->hist, t, interval, &ev);
	else
		targets_evaluate(ts, j->hist, t, interval, &ev);
	j->worst_status = target_status_worst(j->worst_status, ev.overall);
	for (int i = 0; i < TARGET_COUNT; i++)
		if (i != TARGET_RECOVERY)
			subject_stat(j, (enum target_id)i, ev.t[i].value);
	step->worst = target_status_worst(step->worst, ev.overall);
	if (st != BREAKER_UNKNOWN && j->known_state != BREAKER_UNKNOWN && st != j->known_state)
		step->transition = true;
	if (metrics_latency_known(&snap->latency))
		for (int i = 0; i < 2; i++)
			if (!isnan(pct[i]) && (isnan(j->worst[i]) || pct[i] > j->worst[i])) {
				j->worst[i] = pct[i];
				j->worst_at[i] = t;
			}
	if (st != BREAKER_UNKNOWN) {
		/* A recording that starts with the breaker out counts it from there. */
		if (!j->out && st != BREAKER_CLOSED)
			subject_trip_start(j, t, st);
		else if (j->out)
			subject_trip_note(j, t, st);
		j->known_state = st;
	}
	if (j->first_ms < 0)
		j->first_ms = t;
	j->last_ms = t;
	j->snapshots++;
	j->prev_ms = t;
	j->prev_state = st;
	j->prev_eval = ev;
	j->have_prev = true;
}

/* The row named name: where it was last time (rows keep their order), else a search, else a new one. */
static struct summary_subject *summary_row(struct summary *s, const char *name, size_t hint)
{
	struct summary_subject *j;

	if (hint < s->nrows && strcmp(s->rows[hint]->name, name) == 0)
		return s->rows[hint];
	for (size_t i = 0; i < s->nrows; i++)
		if (strcmp(s->rows[i]->name, name) == 0)
			return s->rows[i];
	if (s->nrows == SUMMARY_ROWS_MAX) {
		s->rows_dropped++;
		return NULL;
	}
	if (s->nrows == s->rows_cap) {
		s->rows_cap = s->rows_cap ? s->rows_cap * 2 : 16;
		s->rows = xrealloc(s->rows, s->rows_cap * sizeof(*s->rows));
	}
	j = xmalloc(sizeof(*j));
	subject_init(j, name);
	subject_want_stats(j, s->want_stats);
	s->rows[s->nrows++] = j;
	return j;
}

void summary_add(struct summary *s, const struct metrics_snapshot *snap, int64_t t_ms,
		 struct summary_step *step)
{
	struct summary_step dummy;

	if (step == NULL)
		step = &dummy;
	step->worst = STATUS_OK;
	step->transition = false;
	if (s->origin_ms < 0)
		s->origin_ms = t_ms;
	if (t_ms - s->origin_ms < s->from_ms || t_ms - s->origin_ms >= s->to_ms)
		return;
	s->snapshots++;
	if (s->first_ms < 0 || t_ms < s->first_ms)
		s->first_ms = t_ms;
	if (t_ms > s->last_ms)
		s->last_ms = t_ms;
	subject_add(&s->router, snap, t_ms, s->targets, step);
	for (size_t i = 0; i < snap->nrows; i++) {
		struct summary_subject *j = summary_row(s, snap->rows[i].name, i);

		if (j != NULL)
			subject_add(j, &snap->rows[i].snap, t_ms, s->targets, step);
	}
}

void summary_finish(struct summary *s)
{
	(void)s;
	/* Open trips stay open (end_ms -1): the recording ended before the breaker closed. */
}

int summary_exit_code(const struct summary *s)
{
	enum target_status worst = s->router.worst_status;

	if (s->snapshots == 0)
		return 3;
	for (size_t i = 0; i < s->nrows; i++)
		worst = target_status_worst(worst, s->rows[i]->worst_status);
	return target_status_exit_code(worst);
}

/* "1h02m03s", "4m05s", "12.5s", "250ms". */
static void fmt_duration(char *buf, size_t len, int64_t ms)
{
	int64_t s = ms / 1000;

	if (ms < 1000)
		str_printf(buf, len, "%" PRId64 "ms", ms);
	else if (ms < 60000)
		str_printf(buf, len, "%.1fs", (double)ms / 1000.0);
	else if (s < 3600)
		str_printf(buf, len, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
	else
		str_printf(buf, len, "%" PRId64 "h%02" PRId64 "m%02" PRId64 "s", s / 3600, s / 60 % 60,
			   s % 60);
}

/* ISO 8601 in UTC, to the second: 2026-11-27T10:04:31Z. */
static void fmt_time(char *buf, size_t len, int64_t ms)
{
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;

	if (gmtime_r(&secs, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		str_printf(buf, len, "%" PRId64, ms);
}

static double share(int64_t part, int64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

static int64_t subject_span(const struct summary_subject *j)
{
	return j->last_ms > j->first_ms ? j->last_ms - j->first_ms : 0;
}

static void text_trips(FILE *out, const struct summary_subject *j, int64_t start)
{
	char a[32], b[32], d[32];
	size_t shown = j->ntrips < SUMMARY_TRIPS_MAX ? j->ntrips : SUMMARY_TRIPS_MAX;

	fprintf(out, "  trips       %zu\n", j->ntrips);
	for (size_t i = 0; i < shown; i++) {
		const struct summary_trip *tr = &j->trips[i];

		fmt_duration(a, sizeof(a), tr->start_ms - start);
		if (tr->end_ms >= 0) {
			fmt_duration(b, sizeof(b), tr->end_ms - start);
			fmt_duration(d, sizeof(d), tr->end_ms - tr->start_ms);
			fprintf(out, "    +%-9s %-9s recovered at +%s after %s\n", a,
				breaker_state_name(tr->worst), b, d);
		} else {
			fmt_duration(d, sizeof(d), j->last_ms - tr->start_ms);
			fprintf(out, "    +%-9s %-9s not recovered by the end (%s so far)\n", a,
				breaker_state_name(tr->worst), d);
		}
	}
	if (j->ntrips > shown)
		fprintf(out, "    ... %zu more\n", j->ntrips - shown);
}

static void text_subject(FILE *out, const struct summary_subject *j, int64_t start)
{
	static const enum breaker_state states[] = { BREAKER_CLOSED, BREAKER_HALF_OPEN, BREAKER_OPEN,
						     BREAKER_UNKNOWN };
	int64_t span = subject_span(j);
	char a[32], b[32];

	fprintf(out, "%s%s  (%" PRIu64 " snapshots)\n", j->name[0] ? "row " : "router", j->name,
		j->snapshots);
	for (int i = 0; i < 2; i++) {
		fprintf(out, "  worst %s   ", i == 0 ? "P95" : "P99");
		if (isnan(j->worst[i])) {
			fputs("n/a\n", out);
			continue;
		}
		fmt_duration(a, sizeof(a), j->worst_at[i] - start);
		fmt_time(b, sizeof(b), j->worst_at[i]);
		fprintf(out, "%.1f ms at +%s (%s)\n", j->worst[i], a, b);
	}
	fputs("  breaker    ", out);
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (j->state_ms[states[i]] == 0 && states[i] == BREAKER_UNKNOWN)
			continue;
		fmt_duration(a, sizeof(a), j->state_ms[states[i]]);
		fprintf(out, " %s %s (%.1f %%)", breaker_state_name(states[i]), a,
			share(j->state_ms[states[i]], span));
	}
	fputc('\n', out);
	text_trips(out, j, start);
	fprintf(out, "  %-12s %7s %7s %7s %7s\n", "targets", "OK", "WARN", "FAIL", "UNKN");
	for (int t = 0; t < TARGET_COUNT; t++) {
		fprintf(out, "    %-10s", target_key((enum target_id)t));
		for (int st = 0; st < 4; st++)
			fprintf(out, " %6.1f%%", share(j->status_ms[t][st], span));
		fputc('\n', out);
	}
	fprintf(out, "    %-10s", "overall");
	for (int st = 0; st < 4; st++)
		fprintf(out, " %6.1f%%", share(j->overall_ms[st], span));
	fprintf(out, "\n  worst       %s\n", target_status_name(j->worst_status));
}

static void summary_text(FILE *out, const struct summary *s)
{
	char a[32], b[32], d[32];

	fprintf(out, "recording   %s\n", s->source);
	if (s->snapshots > 0) {
		fmt_time(a, sizeof(a), s->first_ms);
		fmt_time(b, sizeof(b), s->last_ms);
		fmt_duration(d, sizeof(d), s->last_ms - s->first_ms);
		fprintf(out, "span        %s .. %s (%s)\n", a, b, d);
	}
	fprintf(out, "lines       %" PRIu64 ": %" PRIu64 " snapshots, %" PRIu64 " events, %" PRIu64
		" bad\n", s->lines, s->snapshots, s->events, s->bad_lines);
	if (s->error[0] != '\0')
		fprintf(out, "read error  %s\n", s->error);
	if (s->snapshots == 0) {
		fputs("overall     UNKNOWN (no snapshot)\n", out);
		return;
	}
	text_subject(out, &s->router, s->first_ms);
	for (size_t i = 0; i < s->nrows; i++)
		text_subject(out, s->rows[i], s->first_ms);
	if (s->rows_dropped > 0)
		fprintf(out, "(%zu more rows not summarised: over %d)\n", s->rows_dropped, SUMMARY_ROWS_MAX);
	fprintf(out, "overall     %s\n", target_status_name(
		(enum target_status[]){ STATUS_OK, STATUS_WARN, STATUS_FAIL, STATUS_UNKNOWN }
		[summary_exit_code(s)]));
}

static cJSON *json_obj(void)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		fatal("out of memory");
	return o;
}

static void json_num(cJSON *o, const char *k, double v)
{
	if (isnan(v) || isinf(v))
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, v);
}

static cJSON *json_shares(const int64_t ms[4], int64_t span)
{
	cJSON *o = json_obj();

	for (int st = 0; st < 4; st++)
		json_num(o, target_status_name((enum target_status)st), share(ms[st], span));
	return o;
}

static cJSON *json_subject(const struct summary_subject *j)
{
	static const enum breaker_state states[] = { BREAKER_CLOSED, BREAKER_HALF_OPEN, BREAKER_OPEN,
						     BREAKER_UNKNOWN };
	cJSON *o = json_obj(), *st = json_obj(), *tg = json_obj(), *trips = cJSON_CreateArray();
	int64_t span = subject_span(j);

	if (trips == NULL)
		fatal("out of memory");
	if (j->name[0] != '\0')
		cJSON_AddStringToObject(o, "name", j->name);
	cJSON_AddNumberToObject(o, "snapshots", (double)j->snapshots);
	for (int i = 0; i < 2; i++) {
		cJSON *w = json_obj();

		json_num(w, "ms", j->worst[i]);
		json_num(w, "t", isnan(j->worst[i]) ? NAN : (double)j->worst_at[i]);
		cJSON_AddItemToObject(o, i == 0 ? "worstP95" : "worstP99", w);
	}
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		cJSON_AddNumberToObject(st, breaker_state_name(states[i]), (double)j->state_ms[states[i]]);
	cJSON_AddItemToObject(o, "breakerMs", st);
	for (size_t i = 0; i < j->ntrips && i < SUMMARY_TRIPS_MAX; i++) {
		const struct summary_trip *tr = &j->trips[i];
		cJSON *one = json_obj();

		cJSON_AddNumberToObject(one, "start", (double)tr->start_ms);
		json_num(one, "end", tr->end_ms >= 0 ? (double)tr->end_ms : NAN);
		json_num(one, "durationMs", tr->end_ms >= 0 ? (double)(tr->end_ms - tr->start_ms) : NAN);
		cJSON_AddStringToObject(one, "worst", breaker_state_name(tr->worst));
		cJSON_AddItemToArray(trips, one);
	}
	cJSON_AddNumberToObject(o, "tripCount", (double)j->ntrips);
	cJSON_AddItemToObject(o, "trips", trips);
	for (int t = 0; t < TARGET_COUNT; t++)
		cJSON_AddItemToObject(tg, target_key((enum target_id)t), json_shares(j->status_ms[t], span));
	cJSON_AddItemToObject(tg, "overall", json_shares(j->overall_ms, span));
	cJSON_AddItemToObject(o, "targetsPct", tg);
	cJSON_AddStringToObject(o, "worst", target_status_name(j->worst_status));
	return o;
}

static void summary_json(FILE *out, const struct summary *s)
{
	cJSON *root = json_obj(), *rows = cJSON_CreateArray();

	if (rows == NULL)
		fatal("out of memory");
	cJSON_AddStringToObject(root, "recording", s->source);
	json_num(root, "start", s->snapshots > 0 ? (double)s->first_ms : NAN);
	json_num(root, "end", s->snapshots > 0 ? (double)s->last_ms : NAN);
	cJSON_AddNumberToObject(root, "lines", (double)s->lines);
	cJSON_AddNumberToObject(root, "snapshots", (double)s->snapshots);
	cJSON_AddNumberToObject(root, "events", (double)s->events);
	cJSON_AddNumberToObject(root, "badLines", (double)s->bad_lines);
	if (s->error[0] != '\0')
		cJSON_AddStringToObject(root, "error", s->error);
	if (s->snapshots > 0) {
		cJSON_AddItemToObject(root, "router", json_subject(&s->router));
		for (size_t i = 0; i < s->nrows; i++)
			cJSON_AddItemToArray(rows, json_subject(s->rows[i]));
	}
	cJSON_AddItemToObject(root, "rows", rows);
	cJSON_AddNumberToObject(root, "rowsNotSummarised", (double)s->rows_dropped);
	cJSON_AddStringToObject(root, "status", target_status_name(
		(enum target_status[]){ STATUS_OK, STATUS_WARN, STATUS_FAIL, STATUS_UNKNOWN }
		[summary_exit_code(s)]));
	output_json_line(out, root);
}

void summary_write(FILE *out, enum output_format fmt, const struct summary *s)
{
	if (fmt == FORMAT_JSON)
		summary_json(out, s);
	else
		summary_text(out, s);
	fflush(out);
}

/* Wait for more of a pipe (or a FIFO's writer); false when a stop signal came. */
static bool summary_wait(struct rstream *in, const struct stopsig *stop)
{
	struct pollfd fds[2];
	nfds_t n = 0;

	fds[n++] = (struct pollfd){ .fd = stopsig_fd(stop), .events = POLLIN };
	if (rstream_poll_fd(in) >= 0)
		fds[n++] = (struct pollfd){ .fd = rstream_poll_fd(in), .events = POLLIN };
	(void)poll(fds, n, n == 2 ? -1 : SUMMARY_WAIT_MS);
	return !stopsig_caught();
}

/* One line: the lean reader first, the full one for what it leaves. */
int summary_line(struct summary *s, const char *buf, size_t len, struct summary_step *step)
{
	struct record *rec = s->scratch;
	char msg[256];
	int took = 0;

	s->lines++;
	if (record_line_blank(buf, len))
		return 0;
	if (record_skim_line(buf, len, s->prev_t, rec) != 0 &&
	    record_parse_line(buf, len, s->prev_t, rec, msg, sizeof(msg)) != 0) {
		s->bad_lines++;
		return 0;
	}
	s->prev_t = rec->t;
	if (rec->kind == RECORD_EVENT) {
		s->events++;
	} else {
		summary_add(s, &rec->snap, rec->t, step);
		took = 1;
	}
	record_free(rec);
	return took;
}

static void summary_read(struct summary *s, struct rstream *in, const struct stopsig *stop)
{
	struct line_reader rd;
	struct line_span ln;
	char *buf = xmalloc(RECORD_LINE_MAX + 1);

	line_reader_init(&rd, in);
	for (;;) {
		enum line_status st = line_reader_next(&rd, buf, RECORD_LINE_MAX, &ln);

		if (st == LINE_EOF)
			break;
		if (st == LINE_IOERR) {
			str_printf(s->error, sizeof(s->error), "%s", rstream_error(in));
			break;
		}
		if (st == LINE_AGAIN) {
			if (!summary_wait(in, stop))
				break;
			continue;
		}
		if (st == LINE_LONG) {
			s->lines++;
			s->bad_lines++;
		} else {
			summary_line(s, buf, ln.len, NULL);
		}
	}
	line_reader_free(&rd);
	free(buf);
}

int summary_read_path(struct summary *s, const char *path, char *err, size_t errlen)
{
	struct rstream_options so = { .ring_bytes = 0 };
	struct stopsig stop;
	struct rstream *in;

	in = rstream_open(path, &so, err, errlen);
	if (in == NULL)
		return -1;
	if (stopsig_install(&stop, 0) < 0) {
		str_printf(err, errlen, "cannot set up signal handling: %s", strerror(errno));
		rstream_close(in);
		return -1;
	}
	summary_read(s, in, &stop);
	summary_finish(s);
	rstream_close(in);
	stopsig_restore(&stop);
	return 0;
}

int summary_run(const char *path, enum output_format fmt, const struct target_set *ts,
		FILE *out, FILE *err)
{
	struct summary s;
	char msg[512];
	int rc, werr;

	summary_init(&s, strcmp(path, "-") == 0 ? "stdin" : path, ts);
	if (summary_read_path(&s, path, msg, sizeof(msg)) != 0) {
		sanitize_line(err, 0, "routertop: %s", msg);
		summary_free(&s);
		return 3;
	}
	errno = 0;	/* a write that fails inside leaves its reason here */
	summary_write(out, fmt, &s);
	rc = summary_exit_code(&s);
	werr = fflush(out) != 0 ? errno : ferror(out) ? (errno != 0 ? errno : EIO) : 0;
	if (werr != 0)
		rc = output_write_failed(err, werr);
	if (s.error[0] != '\0') {
		sanitize_line(err, 0, "routertop: %s: %s", s.source, s.error);
		rc = 3;
	}
	summary_free(&s);
	return rc;
}
