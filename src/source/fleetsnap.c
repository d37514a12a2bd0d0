/*
 * The fleet source's answers into snapshots (see fleet.h). Every answer is
 * walked once: each series names its row by a label (the instance, or the
 * instance's row), found through a hash of the label values, and puts its
 * value where the query says (formats/promquery.h: enum promquery_what).
 * Counters stay cumulative, as on the wire; rates and percentiles are
 * Prometheus' own over the rate window.
 */
#include "source/fleet.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "util.h"

/* Counts above this are garbage, not requests (metrics.c takes at most 1e15). */
#define FS_COUNT_MAX 1e15

struct fleet_row_scratch {
	const char *key;	/* the label value the row came from */
	int brk_rows, brk_open, brk_half;	/* breaker series seen, open, half-open */
	double failed_rate;	/* failed requests per second (summed), NAN unknown */
	bool cut;		/* the funnel changed the name: it might clash */
};

void fleet_families(const struct profile *p, struct promquery_families *out)
{
	memset(out, 0, sizeof(*out));
	str_printf(out->row_label, sizeof(out->row_label), "%s", p->row_label);
	if (p->ndetect > 0)
		str_printf(out->detect, sizeof(out->detect), "%s", p->detect[0]);
	out->latency = p->latency == PROFILE_LATENCY_HISTOGRAM ? PROMQUERY_LATENCY_HISTOGRAM :
		       p->latency == PROFILE_LATENCY_SUMMARY ? PROMQUERY_LATENCY_SUMMARY :
		       p->latency == PROFILE_LATENCY_AVERAGE ? PROMQUERY_LATENCY_AVERAGE :
							       PROMQUERY_LATENCY_NONE;
#define FS_SEL(dst, src) do { \
		struct promquery_selector *d_ = (dst); \
		const struct profile_selector *s_ = (src); \
		str_printf(d_->metric, sizeof(d_->metric), "%s", s_->metric); \
		str_printf(d_->row_label, sizeof(d_->row_label), "%s", s_->row_label); \
		d_->nmatchers = s_->nmatchers; \
		for (int i_ = 0; i_ < s_->nmatchers && i_ < PROMQUERY_MATCHERS_MAX; i_++) { \
			str_printf(d_->m[i_].label, sizeof(d_->m[i_].label), "%s", s_->m[i_].label); \
			d_->m[i_].op = (enum promquery_op)s_->m[i_].op; \
			str_printf(d_->m[i_].value, sizeof(d_->m[i_].value), "%s", s_->m[i_].value); \
		} \
	} while (0)
	FS_SEL(&out->latency_sel, &p->latency_sel);
	out->has_max = p->has_max;
	FS_SEL(&out->max_sel, &p->max_sel);
	out->has_requests = p->has_requests;
	FS_SEL(&out->requests, &p->requests);
	out->has_failed = p->has_failed;
	FS_SEL(&out->failed, &p->failed);
	for (int k = 0; k < PROFILE_CLASSES && k < PROMQUERY_CLASSES; k++) {
		out->nerrors[k] = p->nerrors[k];
		for (int i = 0; i < p->nerrors[k] && i < PROMQUERY_SELECTORS_MAX; i++)
			FS_SEL(&out->errors[k][i], &p->errors[k][i]);
	}
	out->nbreakers = p->nbreakers;
	for (int i = 0; i < p->nbreakers && i < PROMQUERY_BREAKERS_MAX; i++) {
		const struct profile_breaker *b = &p->breakers[i];

		FS_SEL(&out->breakers[i].sel, &b->sel);
		out->breakers[i].mode = b->mode == PROFILE_BREAKER_LABEL ? PROMQUERY_BREAKER_LABEL :
									   PROMQUERY_BREAKER_VALUE;
		out->breakers[i].agg = b->agg == PROFILE_AGG_MIN ? PROMQUERY_AGG_MIN :
				       b->agg == PROFILE_AGG_SUM ? PROMQUERY_AGG_SUM : PROMQUERY_AGG_MAX;
		str_printf(out->breakers[i].label, sizeof(out->breakers[i].label), "%s", b->label);
	}
#undef FS_SEL
}

/* ---- string hashing ---- */

static size_t fs_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

static size_t fs_pow2(size_t n)
{
	size_t p = 64;

	while (p < n)
		p *= 2;
	return p;
}

void fleet_seen_free(struct fleet_seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

static bool fs_seen_has(const struct fleet_seen *s, const char *name)
{
	if (s->nslots == 0)
		return false;
	for (size_t i = fs_hash(name) & (s->nslots - 1);; i = (i + 1) & (s->nslots - 1)) {
		if (s->slots[i] == 0)
			return false;
		if (strcmp(s->names[s->slots[i] - 1], name) == 0)
			return true;
	}
}

static void fs_seen_rehash(struct fleet_seen *s, size_t nslots)
{
	free(s->slots);
	s->slots = xcalloc(nslots, sizeof(*s->slots));
	s->nslots = nslots;
	for (size_t k = 0; k < s->n; k++) {
		size_t i = fs_hash(s->names[k]) & (nslots - 1);

		while (s->slots[i] != 0)
			i = (i + 1) & (nslots - 1);
		s->slots[i] = k + 1;
	}
}

/* Remember name; at most METRICS_ROWS_MAX names are kept (a snapshot holds no more rows). */
static void fs_seen_add(struct fleet_seen *s, const char *name)
{
	if (s->n >= METRICS_ROWS_MAX || fs_seen_has(s, name))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap < 64 ? 64 : s->cap * 2;
		s->names = xrealloc(s->names, s->cap * sizeof(*s->names));
	}
	s->names[s->n++] = xstrdup(name);
	if (s->n * 2 > s->nslots)
		fs_seen_rehash(s, fs_pow2(s->n * 4));
	else {
		size_t i = fs_hash(name) & (s->nslots - 1);

		while (s->slots[i] != 0)
			i = (i + 1) & (s->nslots - 1);
		s->slots[i] = s->n;
	}
}

void fleet_builder_free(struct fleet_builder *b)
{
	free(b->keys);
	free(b->vals);
	free(b->rows);
	memset(b, 0, sizeof(*b));
}

/* Forget the rows of the last snapshot, keeping the memory. */
static void fs_reset(struct fleet_builder *b)
{
	if (b->nslots > 0)
		memset(b->keys, 0, b->nslots * sizeof(*b->keys));
}

static int fs_find(const struct fleet_builder *b, const char *key)
{
	if (b->nslots == 0)
		return -1;
	for (size_t i = fs_hash(key) & (b->nslots - 1);; i = (i + 1) & (b->nslots - 1)) {
		if (b->keys[i] == NULL)
			return -1;
		if (strcmp(b->keys[i], key) == 0)
			return b->vals[i];
	}
}

static void fs_insert(struct fleet_builder *b, const char *key, int val)
{
	size_t i = fs_hash(key) & (b->nslots - 1);

	while (b->keys[i] != NULL)
		i = (i + 1) & (b->nslots - 1);
	b->keys[i] = key;
	b->vals[i] = val;
}

/* Room for n rows: the table at most half full, the scratch as long. */
static void fs_reserve(struct fleet_builder *b, size_t n)
{
	if (n > b->rows_cap) {
		size_t cap = b->rows_cap < 64 ? 64 : b->rows_cap;

		while (cap < n)
			cap *= 2;
		b->rows = xrealloc(b->rows, cap * sizeof(*b->rows));
		b->rows_cap = cap;
	}
	if (n * 2 > b->nslots) {
		const char **old_keys = b->keys;
		int *old_vals = b->vals;
		size_t old = b->nslots;

		b->nslots = fs_pow2(n * 4);
		b->keys = xcalloc(b->nslots, sizeof(*b->keys));
		b->vals = xcalloc(b->nslots, sizeof(*b->vals));
		for (size_t i = 0; i < old; i++) {
			if (old_keys[i] != NULL)
				fs_insert(b, old_keys[i], old_vals[i]);
		}
		free(old_keys);
		free(old_vals);
	}
}

static void fs_scratch_init(struct fleet_row_scratch *x, const char *key)
{
	*x = (struct fleet_row_scratch){ .key = key, .failed_rate = NAN };
}

/* The row for a label value, added (every value unknown) when create; -1 when none. */
static int fs_row(struct fleet_builder *b, struct metrics_snapshot *out, const char *key,
		  bool create)
{
	int r = fs_find(b, key);
	struct metrics_row *row;

	if (r >= 0 || !create)
		return r;
	fs_reserve(b, out->nrows + 1);
	row = metrics_row_add(out, key[0] != '\0' ? key : "(none)");
	if (row == NULL)
		return -1;
	r = (int)(out->nrows - 1);
	fs_scratch_init(&b->rows[r], key);
	b->rows[r].cut = key[0] != '\0' && strcmp(row->name, key) != 0;
	fs_insert(b, key, r);
	return r;
}

/* ---- values ---- */

/* The value of series s at time at (NAN: its newest sample); false when it has none then. */
static bool fs_sample(const struct promapi_answer *a, const struct promapi_series *s, double at,
		      double *v)
{
	size_t lo = 0, hi = s->nsamples;

	if (s->nsamples == 0)
		return false;
	if (isnan(at)) {
		*v = a->samples[s->sample0 + s->nsamples - 1].v;
		return true;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		double t = a->samples[s->sample0 + mid].t;

		if (fabs(t - at) < 1e-3) {
			*v = a->samples[s->sample0 + mid].v;
			return true;
		}
		if (t < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int64_t fs_count(double v)
{
	if (!isfinite(v) || v < 0 || v > FS_COUNT_MAX)
		return METRICS_NONE;
	return (int64_t)llround(v);
}

/* Add to a cumulative count that several selectors feed. */
static void fs_add_count(int64_t *dst, double v)
{
	int64_t c = fs_count(v);

	if (c == METRICS_NONE)
		return;
	*dst = *dst == METRICS_NONE ? c : *dst + c;
}

static int64_t *fs_class(struct metrics_snapshot *sn, int k)
{
	switch (k) {
	case PROMQUERY_TIMEOUTS:
		return &sn->errors.timeouts;
	case PROMQUERY_FAILURES:
		return &sn->errors.failures;
	case PROMQUERY_RATE_LIMITED:
		return &sn->errors.rate_limited;
	case PROMQUERY_BREAKER_REJECTIONS:
		return &sn->errors.breaker_trips;
	default:
		return &sn->errors.validation;
	}
}

static int fs_state_rank(enum breaker_state s)
{
	switch (s) {
	case BREAKER_OPEN:
		return 3;
	case BREAKER_HALF_OPEN:
		return 2;
	case BREAKER_CLOSED:
		return 1;
	case BREAKER_UNKNOWN:
		break;
	}
	return 0;
}

static void fs_worse(enum breaker_state *dst, enum breaker_state s)
{
	if (fs_state_rank(s) > fs_state_rank(*dst))
		*dst = s;
}

/* One breaker series: its state by the profile's rule, counted for the target. */
static void fs_breaker(const struct fleet_view *v, const struct promquery_query *q,
		       const struct promapi_answer *a, const struct promapi_series *s, double val,
		       struct metrics_snapshot *sn, struct fleet_row_scratch *x)
{
	const struct profile_breaker *rule;
	enum breaker_state st;
	bool ok;

	if (q->index < 0 || q->index >= v->profile->nbreakers || isnan(val))
		return;
	rule = &v->profile->breakers[q->index];
	if (rule->mode == PROFILE_BREAKER_LABEL) {
		const char *word = promapi_label(a, s, q->label);

		if (val == 0 || word == NULL)
			return;
		ok = profile_breaker_map_label(rule, word, &st);
	} else {
		ok = profile_breaker_map_value(rule, val, &st);
	}
	if (!ok)
		return;
	fs_worse(&sn->breaker.state, st);
	x->brk_rows++;
	x->brk_open += st == BREAKER_OPEN;
	x->brk_half += st == BREAKER_HALF_OPEN;
}

static void fs_put(const struct fleet_view *v, const struct promquery_query *q,
		   const struct promapi_answer *a, const struct promapi_series *s, double val,
		   struct metrics_snapshot *sn, struct fleet_row_scratch *x)
{
	const struct profile *p = v->profile;
	double ms = val * p->latency_unit_ms;
	double *pct = NULL;

	switch (q->what) {
	case PROMQUERY_UP:
		if (!isnan(val))
			sn->scrape.up = val >= 1;
		return;
	case PROMQUERY_P50:
		pct = &sn->latency.p50;
		break;
	case PROMQUERY_P90:
		pct = &sn->latency.p90;
		break;
	case PROMQUERY_P95:
		pct = &sn->latency.p95;
		break;
	case PROMQUERY_P99:
		pct = &sn->latency.p99;
		break;
	case PROMQUERY_AVG:
		pct = &sn->latency.avg;
		break;
	case PROMQUERY_MAX:
		pct = &sn->latency.max;
		ms = val * p->max_unit_ms;
		break;
	case PROMQUERY_RATE:
		if (isfinite(val) && val >= 0)
			sn->throughput.per_second = val;
		return;
	case PROMQUERY_REQUESTS:
		fs_add_count(&sn->requests.total, val);
		return;
	case PROMQUERY_FAILED:
		fs_add_count(&sn->requests.failed, val);
		return;
	case PROMQUERY_FAILED_RATE:
		if (isfinite(val) && val >= 0)
			x->failed_rate = isnan(x->failed_rate) ? val : x->failed_rate + val;
		return;
	case PROMQUERY_ERRORS:
		fs_add_count(fs_class(sn, q->index), val);
		return;
	case PROMQUERY_BREAKER:
		fs_breaker(v, q, a, s, val, sn, x);
		return;
	}
	/* A percentile a bucket layout cannot give (no data: NaN, or +Inf) stays unknown. */
	if (pct != NULL && isfinite(ms) && ms >= 0)
		*pct = ms;
}

/*
 * Every series of every answer to its target: a row named by the query's
 * group label (rows true), or the snapshot itself.
 */
static void fs_apply(struct fleet_builder *b, const struct fleet_view *v,
		     const struct fleet_answers *fa, bool rows, double at,
		     struct metrics_snapshot *out, struct fleet_row_scratch *whole)
{
	if (fa == NULL)
		return;
	for (int i = 0; i < fa->plan->n; i++) {
		const struct promquery_query *q = &fa->plan->q[i];
		const struct promapi_answer *a = fa->ans[i];

		if (a == NULL || !a->has_data)
			continue;
		for (size_t k = 0; k < a->nseries; k++) {
			const struct promapi_series *s = &a->series[k];
			struct metrics_snapshot *sn = out;
			struct fleet_row_scratch *x = whole;
			double val;

			if (!fs_sample(a, s, at, &val))
				continue;
			if (rows) {
				const char *key = promapi_label(a, s, q->group);
				int r = fs_row(b, out, key != NULL ? key : "", true);

				if (r < 0)
					continue;
				sn = &out->rows[r].snap;
				x = &b->rows[r];
			}
			fs_put(v, q, a, s, val, sn, x);
		}
	}
}

/*
 * "1 of 3 instances open, 1 half-open, 1 down": the worst news first, then
 * the rest; "" when nothing is open, half-open or down.
 */
static void fs_tally(char *buf, size_t len, const char *noun, int total, int open, int half,
		     int down)
{
	char h[32] = "", d[32] = "";

	buf[0] = '\0';
	if (half > 0 && open > 0)
		str_printf(h, sizeof(h), ", %d half-open", half);
	if (down > 0 && (open > 0 || half > 0))
		str_printf(d, sizeof(d), ", %d down", down);
	if (open > 0)
		str_printf(buf, len, "%d of %d %ss open%s%s", open, total, noun, h, d);
	else if (half > 0)
		str_printf(buf, len, "%d of %d %ss half-open%s", half, total, noun, d);
	else if (down > 0) {
		str_printf(buf, len, "%d of %d %ss down", down, total, noun);
	}
}

/* What can be worked out once everything is in. group_noun: what the target's breakers are. */
static void fs_finish(struct metrics_snapshot *sn, const struct fleet_row_scratch *x,
		      const char *group_noun)
{
	struct metrics_breaker *br = &sn->breaker;
	char text[METRICS_TEXT_LEN];
	double rate = sn->throughput.per_second;

	if (!isnan(rate))
		sn->throughput.per_minute = rate * 60.0;
	if (!isnan(x->failed_rate) && !isnan(rate) && rate > 0)
		br->failure_rate = fmin(1.0, x->failed_rate / rate);
	br->avg_response_ms = sn->latency.avg;
	br->healthy = br->state == BREAKER_UNKNOWN ? -1 : br->state != BREAKER_OPEN;
	if (sn->scrape.up == 0) {
		br->healthy = 0;
		metrics_copy_text(br->recommendation, sizeof(br->recommendation),
				  "down: Prometheus cannot scrape it");
		return;
	}
	if (group_noun == NULL)
		return;
	fs_tally(text, sizeof(text), group_noun, x->brk_rows, x->brk_open, x->brk_half, 0);
	metrics_copy_text(br->recommendation, sizeof(br->recommendation), text);
}

static int fs_cmp_rows(const void *a, const void *b)
{
	return strcmp(((const struct metrics_row *)a)->name, ((const struct metrics_row *)b)->name);
}

/*
 * Sort the rows by name and make names unique: only a name the funnel
 * changed (cut) can clash, and rarely, so the rare case pays.
 */
static void fs_sort(const struct fleet_builder *b, struct metrics_snapshot *out)
{
	bool any_cut = false;

	if (out->nrows == 0)
		return;	/* no rows, no array: qsort must not see a NULL one */
	for (size_t i = 0; i < out->nrows; i++)
		any_cut = any_cut || b->rows[i].cut;
	qsort(out->rows, out->nrows, sizeof(*out->rows), fs_cmp_rows);
	for (int pass = 0; any_cut && pass < 4; pass++) {
		bool clash = false;

		for (size_t i = 1, k = 2; i < out->nrows; i++) {
			char unique[METRICS_NAME_LEN];

			if (strcmp(out->rows[i].name, out->rows[i - 1].name) != 0) {
				k = 2;
				continue;
			}
			str_printf(unique, sizeof(unique), "%.*s #%zu", METRICS_NAME_LEN - 24,
				   out->rows[i].name, k++);
			metrics_copy_text(out->rows[i].name, sizeof(out->rows[i].name), unique);
			clash = true;
		}
		if (!clash)
			break;
		qsort(out->rows, out->nrows, sizeof(*out->rows), fs_cmp_rows);
	}
}

/* The `up` answer of the fleet plan, or NULL when it failed (or the plan has none). */
static const struct promapi_answer *fs_up_answer(const struct fleet_answers *fa)
{
	if (fa == NULL)
		return NULL;
	for (int i = 0; i < fa->plan->n; i++) {
		if (fa->plan->q[i].what == PROMQUERY_UP)
			return fa->ans[i] != NULL && fa->ans[i]->has_data ? fa->ans[i] : NULL;
	}
	return NULL;
}

/*
 * The instances `up` named are remembered; those remembered that it no
 * longer names are down. Only when `up` answered: a failed query says
 * nothing about anyone.
 */
static void fs_seen_update(struct fleet_builder *b, const struct fleet_answers *fa,
			   struct fleet_seen *seen, struct metrics_snapshot *out)
{
	const struct promapi_answer *up = fs_up_answer(fa);
	const char *by = NULL;

	if (seen == NULL || up == NULL)
		return;
	for (int i = 0; i < fa->plan->n; i++) {
		if (fa->plan->q[i].what == PROMQUERY_UP)
			by = fa->plan->q[i].group;
	}
	for (size_t k = 0; k < up->nseries; k++) {
		const char *key = promapi_label(up, &up->series[k], by);

		fs_seen_add(seen, key != NULL ? key : "");
	}
	for (size_t k = 0; k < seen->n; k++) {
		int r = fs_row(b, out, seen->names[k], false);

		if (r < 0)
			r = fs_row(b, out, seen->names[k], true);
		if (r >= 0 && out->rows[r].snap.scrape.up != 1)
			out->rows[r].snap.scrape.up = 0;
	}
}

void fleet_build_fleet(struct fleet_builder *b, const struct fleet_view *v,
		       const struct fleet_answers *fleet, const struct fleet_answers *total,
		       struct fleet_seen *seen, double at, struct metrics_snapshot *out)
{
	struct fleet_row_scratch whole;
	int open = 0, half = 0, down = 0;
	char text[METRICS_TEXT_LEN];

	metrics_clear(out);
	fs_reset(b);
	fs_scratch_init(&whole, "");
	fs_apply(b, v, fleet, true, at, out, &whole);
	fs_seen_update(b, fleet, seen, out);
	fs_apply(b, v, total, false, at, out, &whole);
	for (size_t i = 0; i < out->nrows; i++) {
		struct metrics_snapshot *sn = &out->rows[i].snap;

		fs_finish(sn, &b->rows[i], v->row_noun);
		/* A down instance's breaker is not known now: it counts as down, not open. */
		if (sn->scrape.up == 0) {
			down++;
			continue;
		}
		open += sn->breaker.state == BREAKER_OPEN;
		half += sn->breaker.state == BREAKER_HALF_OPEN;
		fs_worse(&out->breaker.state, sn->breaker.state);
	}
	fs_finish(out, &whole, NULL);
	fs_tally(text, sizeof(text), v->instance_noun, (int)out->nrows, open, half, down);
	metrics_copy_text(out->breaker.recommendation, sizeof(out->breaker.recommendation), text);
	fs_sort(b, out);
}

void fleet_build_instance(struct fleet_builder *b, const struct fleet_view *v,
			  const struct fleet_answers *inst, const struct fleet_answers *rows,
			  double at, struct metrics_snapshot *out)
{
	struct fleet_row_scratch whole;

	metrics_clear(out);
	fs_reset(b);
	fs_scratch_init(&whole, "");
	fs_apply(b, v, inst, false, at, out, &whole);
	fs_apply(b, v, rows, true, at, out, &whole);
	for (size_t i = 0; i < out->nrows; i++)
		fs_finish(&out->rows[i].snap, &b->rows[i], NULL);
	fs_finish(out, &whole, v->row_noun);
	fs_sort(b, out);
}
