/*
 * Prometheus text for the http and exec sources: parse, apply the profile,
 * and make the snapshot from this scrape and the one before (see prom.h).
 *
 * The reader keeps one parsed exposition (reused: no allocation once it has
 * grown) and two scrapes, the newer and the older, swapped after each read.
 * The snapshot arithmetic (prom_snapshot) is pure: it reads two scrapes and
 * writes a snapshot, so tests and the benchmark drive it directly.
 */
#include "config.h"

#include "source/prom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/expo.h"
#include "formats/promql.h"
#include "util.h"

/* Counters above this do not survive the wire JSON (METRICS_VALUE_MAX there). */
#define PROM_COUNTER_MAX 1e15

struct prom_reader {
	struct expo *expo;
	struct router_scrape cur, prev;
	bool have_prev;
	int64_t prev_ms;
	struct profile profile;
	bool have_profile;
	char by[PROFILE_NAME_LEN];
	bool has_by;
	size_t bad_lines;
	char first_bad[EXPO_ERR_LEN];
};

/* The whole router's histogram: the rows' bucket increases added up by bound. */
struct prom_merge {
	struct promql_bucket *b;
	size_t n, cap;
	struct promql_bucket *tmp;	/* one row's increase */
	size_t tmp_cap;
	double dreq, dfailed;		/* the rows' increases, for the router's failure rate */
	bool req_unknown;
};

enum source_input prom_body_kind(enum source_input forced, const char *content_type, const char *body,
			       size_t len)
{
	if (forced != SOURCE_INPUT_AUTO)
		return forced;
	if (content_type != NULL) {
		if (strncasecmp(content_type, "application/json", 16) == 0)
			return SOURCE_INPUT_JSON;
		if (strncasecmp(content_type, "application/openmetrics-text", 28) == 0)
			return SOURCE_INPUT_PROMETHEUS;
		/* Prometheus' own text says its version; plain text says nothing. */
		if (strncasecmp(content_type, "text/plain", 10) == 0 && strstr(content_type, "version=") != NULL)
			return SOURCE_INPUT_PROMETHEUS;
	}
	for (size_t i = 0; i < len; i++) {
		if (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')
			continue;
		return body[i] == '{' ? SOURCE_INPUT_JSON : SOURCE_INPUT_PROMETHEUS;
	}
	return SOURCE_INPUT_JSON;	/* empty: the JSON parser says what is wrong with it */
}

const char *prom_accept_header(enum source_input input)
{
	switch (input) {
	case SOURCE_INPUT_JSON:
		return "Accept: application/json";
	case SOURCE_INPUT_PROMETHEUS:
		return "Accept: application/openmetrics-text;version=1.0.0,"
		       "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
	case SOURCE_INPUT_AUTO:
		break;
	}
	return "Accept: application/json,application/openmetrics-text;version=1.0.0;q=0.9,"
	       "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
}

int prom_input_parse(const char *text, enum source_input *out)
{
	if (strcmp(text, "auto") == 0)
		*out = SOURCE_INPUT_AUTO;
	else if (strcmp(text, "json") == 0)
		*out = SOURCE_INPUT_JSON;
	else if (strcmp(text, "prometheus") == 0)
		*out = SOURCE_INPUT_PROMETHEUS;
	else
		return -1;
	return 0;
}

struct prom_reader *prom_reader_new(const struct source_text_options *o, char *err, size_t errlen)
{
	struct prom_reader *r = xcalloc(1, sizeof(*r));

	if (o->profile != NULL && strcmp(o->profile, "auto") != 0) {
		if (profile_load(o->profile, &r->profile, err, errlen) != 0) {
			free(r);
			return NULL;
		}
		r->have_profile = true;
	}
	if (o->by != NULL) {
		str_printf(r->by, sizeof(r->by), "%s", o->by);
		r->has_by = true;
	}
	r->expo = expo_new();
	router_scrape_init(&r->cur);
	router_scrape_init(&r->prev);
	return r;
}

void prom_reader_free(struct prom_reader *r)
{
	if (r == NULL)
		return;
	expo_free(r->expo);
	router_scrape_free(&r->cur);
	router_scrape_free(&r->prev);
	free(r);
}

const struct profile *prom_reader_profile(const struct prom_reader *r)
{
	return r->have_profile ? &r->profile : NULL;
}

size_t prom_reader_bad_lines(const struct prom_reader *r, const char **first)
{
	if (first != NULL)
		*first = r->bad_lines > 0 ? r->first_bad : NULL;
	return r->bad_lines;
}

void prom_reader_describe(const struct prom_reader *r, char *buf, size_t len)
{
	const char *by;

	if (!r->have_profile) {
		str_printf(buf, len, "%s", "");
		return;
	}
	by = r->has_by ? r->by : r->profile.row_noun;
	if (r->bad_lines == 0)
		str_printf(buf, len, "%s by %s", r->profile.name, by);
	else
		str_printf(buf, len, "%s by %s, %zu bad line%s", r->profile.name, by, r->bad_lines,
			   r->bad_lines == 1 ? "" : "s");
}

const char *prom_reader_row_noun(const struct prom_reader *r)
{
	if (r == NULL || !r->have_profile)
		return NULL;
	return r->has_by ? r->by : r->profile.row_noun;
}

static enum expo_syntax prom_syntax(const char *content_type)
{
	if (content_type == NULL)
		return EXPO_SYNTAX_AUTO;
	if (strncasecmp(content_type, "application/openmetrics-text", 28) == 0)
		return EXPO_SYNTAX_OPENMETRICS;
	if (strncasecmp(content_type, "text/plain", 10) == 0)
		return EXPO_SYNTAX_TEXT;
	return EXPO_SYNTAX_AUTO;
}

int prom_reader_read(struct prom_reader *r, const char *body, size_t len,
		     const char *content_type, int64_t at_ms, struct metrics_snapshot *snap,
		     char *err, size_t errlen)
{
	struct expo_options eo = { .syntax = prom_syntax(content_type) };
	char why[PROFILE_ERR_LEN];

	if (expo_parse(r->expo, body, len, &eo, why, sizeof(why)) != 0) {
		str_printf(err, errlen, "Prometheus text: %s", why);
		return -1;
	}
	r->bad_lines = expo_error_count(r->expo);
	if (r->bad_lines > 0)
		str_printf(r->first_bad, sizeof(r->first_bad), "%s", expo_error_at(r->expo, 0));
	if (!r->have_profile) {
		if (router_detect(r->expo, &r->profile, err, errlen) != 0)
			return -1;
		r->have_profile = true;
	}
	if (router_read(&r->cur, &r->profile, r->has_by ? r->by : NULL, r->expo, err, errlen) != 0)
		return -1;
	prom_snapshot(&r->profile, r->have_prev ? &r->prev : NULL, r->prev_ms, &r->cur, at_ms, snap);
	router_scrape_swap(&r->cur, &r->prev);
	r->have_prev = true;
	r->prev_ms = at_ms;
	return 0;
}

/* A cumulative counter for the snapshot: unknown when absent, negative or too big to send. */
static int64_t prom_count(double v)
{
	if (isnan(v) || v < 0 || v > PROM_COUNTER_MAX)
		return METRICS_NONE;
	return (int64_t)llround(v);
}

static bool prom_known(double a, double b)
{
	return !isnan(a) && !isnan(b);
}

/* Add one row's bucket increases into the router's histogram, by bound. */
static void merge_add(struct prom_merge *m, const struct promql_bucket *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;

		while (j < m->n && m->b[j].le != b[i].le)
			j++;
		if (j == m->n) {
			if (m->n == m->cap) {
				m->cap = m->cap != 0 ? m->cap * 2 : 32;
				m->b = xrealloc(m->b, m->cap * sizeof(*m->b));
			}
			m->b[m->n++] = (struct promql_bucket){ .le = b[i].le, .count = 0 };
		}
		m->b[j].count += b[i].count;
	}
}

static void set_quantiles(struct metrics_latency *l, const double *q)
{
	l->p50 = q[0];
	l->p90 = q[1];
	l->p95 = q[2];
	l->p99 = q[3];
	l->p999 = q[4];
}

/* Percentiles from the row's buckets: the increase since prev, or its whole life. */
static void row_buckets(const struct router_row *pr, const struct router_row *r,
			struct metrics_snapshot *s, struct prom_merge *m)
{
	double q[ROUTER_QUANTILES];
	enum promql_basis basis;
	bool with_prev = pr != NULL && pr->nbuckets > 0;

	if (m->tmp_cap < r->nbuckets) {
		m->tmp_cap = r->nbuckets;
		m->tmp = xrealloc(m->tmp, m->tmp_cap * sizeof(*m->tmp));
	}
	basis = promql_histogram_increase(with_prev ? pr->buckets : NULL, with_prev ? pr->nbuckets : 0,
					  r->buckets, r->nbuckets, m->tmp);
	merge_add(m, m->tmp, r->nbuckets);
	if (s->latency.count < 0 && isinf(m->tmp[r->nbuckets - 1].le))
		s->latency.count = prom_count(m->tmp[r->nbuckets - 1].count);
	promql_histogram_quantiles(router_quantiles, ROUTER_QUANTILES, m->tmp, r->nbuckets, q);
	set_quantiles(&s->latency, q);
	s->percentiles = basis == PROMQL_INTERVAL ? METRICS_PCT_BUCKETS : METRICS_PCT_LIFETIME;
}

/* Latency: count and average from _sum/_count, percentiles from buckets or a summary. */
static void row_latency(const struct profile *p, const struct router_row *pr,
			const struct router_row *r, struct metrics_snapshot *s, struct prom_merge *m)
{
	struct metrics_latency *l = &s->latency;
	double dcount = NAN, dsum = NAN;

	l->max = r->max_ms > 0 ? r->max_ms : NAN;	/* HAProxy says 0 before its first request */
	if (p->latency == PROFILE_LATENCY_AVERAGE) {
		l->avg = r->avg_ms > 0 ? r->avg_ms : NAN;
		return;
	}
	if (!isnan(r->lat_count)) {
		bool interval = pr != NULL && !isnan(pr->lat_count) && r->lat_count >= pr->lat_count;

		dcount = interval ? r->lat_count - pr->lat_count : r->lat_count;
		if (prom_known(r->lat_sum_ms, interval ? pr->lat_sum_ms : 0))
			dsum = interval ? r->lat_sum_ms - pr->lat_sum_ms : r->lat_sum_ms;
		l->count = prom_count(dcount);
	}
	l->avg = dcount > 0 && !isnan(dsum) ? dsum / dcount : NAN;
	if (p->latency == PROFILE_LATENCY_HISTOGRAM && r->nbuckets > 0) {
		row_buckets(pr, r, s, m);
	} else if (p->latency == PROFILE_LATENCY_SUMMARY) {
		set_quantiles(l, r->quantile_ms);
		for (int i = 0; i < ROUTER_QUANTILES; i++) {
			if (!isnan(r->quantile_ms[i]))
				s->percentiles = METRICS_PCT_SUMMARY;
		}
	}
}

/*
 * The failure rate of the interval (failed over requests, both increases),
 * or of the router's life on a first scrape; unknown without requests.
 */
static double row_failure_rate(const struct router_row *pr, const struct router_row *r,
			       struct prom_merge *m)
{
	double dreq, dfail;

	if (!prom_known(r->requests, r->failed)) {
		m->req_unknown = true;
		return NAN;
	}
	if (pr != NULL && prom_known(pr->requests, pr->failed)) {
		dreq = promql_counter_increase(pr->requests, r->requests);
		dfail = promql_counter_increase(pr->failed, r->failed);
	} else {
		dreq = r->requests;
		dfail = r->failed;
	}
	m->dreq += dreq;
	m->dfailed += dfail;
	return dreq > 0 ? fmin(1.0, dfail / dreq) : NAN;
}

static void row_breaker(const struct profile *p, const struct router_row *r, double rate,
			struct metrics_snapshot *s)
{
	struct metrics_breaker *b = &s->breaker;
	char word[ROUTER_WORD_LEN + PROFILE_NAME_LEN + 4];

	b->state = r->breaker;
	b->healthy = r->breaker == BREAKER_UNKNOWN ? -1 : r->breaker != BREAKER_OPEN;
	b->failure_rate = rate;
	b->avg_response_ms = s->latency.avg;
	/* The router's own word for the state (DOWN, forced_open) is kept for display. */
	if (r->breaker_word[0] != '\0') {
		str_printf(word, sizeof(word), "%s (%s)", r->breaker_word, p->name);
		metrics_copy_text(b->recommendation, sizeof(b->recommendation), word);
	}
}

static void prom_row(const struct profile *p, const struct router_row *pr, int64_t dt_ms,
		     const struct router_row *r, struct metrics_snapshot *s, struct prom_merge *m)
{
	double rate;

	s->requests.total = prom_count(r->requests);
	s->requests.failed = prom_count(r->failed);
	s->errors.timeouts = prom_count(r->errors[PROFILE_TIMEOUTS]);
	s->errors.failures = prom_count(r->errors[PROFILE_FAILURES]);
	s->errors.rate_limited = prom_count(r->errors[PROFILE_RATE_LIMITED]);
	s->errors.breaker_trips = prom_count(r->errors[PROFILE_BREAKER_REJECTIONS]);
	s->errors.validation = prom_count(r->errors[PROFILE_VALIDATION]);
	if (pr != NULL && dt_ms > 0 && prom_known(pr->requests, r->requests)) {
		s->throughput.per_second =
			promql_counter_increase(pr->requests, r->requests) * 1000.0 / (double)dt_ms;
		s->throughput.per_minute = s->throughput.per_second * 60.0;
	}
	row_latency(p, pr, r, s, m);
	rate = row_failure_rate(pr, r, m);
	row_breaker(p, r, rate, s);
}

/*
 * Row names are label values made terminal-safe and cut to fit; two that
 * become the same get " #2", " #3" ... so names stay unique.
 */
static struct metrics_row *prom_add_row(struct metrics_snapshot *out, const char *name)
{
	struct metrics_row *row = metrics_row_add(out, name);
	char unique[METRICS_NAME_LEN];

	/* The router's names are unique: only a name the copy changed can clash. */
	if (row == NULL || strcmp(row->name, name) == 0 ||
	    metrics_row_index(out, row->name) == (ptrdiff_t)(out->nrows - 1))
		return row;
	for (int k = 2; metrics_row_index(out, row->name) != (ptrdiff_t)(out->nrows - 1); k++) {
		str_printf(unique, sizeof(unique), "%.*s #%d", METRICS_NAME_LEN - 16, name, k);
		metrics_copy_text(row->name, sizeof(row->name), unique);
	}
	return row;
}

void prom_snapshot(const struct profile *p, const struct router_scrape *prev, int64_t prev_ms,
		   const struct router_scrape *cur, int64_t cur_ms, struct metrics_snapshot *out)
{
	struct prom_merge m = { 0 };
	double q[ROUTER_QUANTILES];
	int64_t dt_ms = cur_ms - prev_ms;

	metrics_clear(out);
	for (size_t i = 0; i < cur->nrows; i++) {
		const struct router_row *r = &cur->rows[i];
		const struct router_row *pr = prev != NULL ? router_row_find(prev, r->name) : NULL;
		struct metrics_row *row = prom_add_row(out, r->name);

		if (row == NULL)
			break;
		prom_row(p, pr, prev != NULL ? dt_ms : 0, r, &row->snap, &m);
	}
	metrics_aggregate_derive(out);
	if (m.n > 0) {
		promql_histogram_quantiles(router_quantiles, ROUTER_QUANTILES, m.b, m.n, q);
		set_quantiles(&out->latency, q);
		out->percentiles = prev != NULL ? METRICS_PCT_BUCKETS : METRICS_PCT_LIFETIME;
	}
	out->breaker.failure_rate = !m.req_unknown && m.dreq > 0 ? fmin(1.0, m.dfailed / m.dreq) : NAN;
	free(m.b);
	free(m.tmp);
}
