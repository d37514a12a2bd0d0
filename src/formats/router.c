/*
 * Applying a router profile to a parsed exposition: each selector of the
 * profile picks its series (by metric name, then label matchers), each
 * series goes to the row its row label names, and the row sums what the
 * profile says to sum. See router.h.
 *
 * Cost: one pass over the series of each metric the profile names, one
 * hash lookup per series for its row; no allocation once the scrape's
 * arrays have grown (rows, their buckets and names are kept for the next
 * scrape).
 */
#include "config.h"

#include "formats/router.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const double router_quantiles[ROUTER_QUANTILES] = { 0.5, 0.9, 0.95, 0.99, 0.999 };

/* What a selector's series feed in a row. */
enum router_feed {
	FEED_REQUESTS, FEED_FAILED, FEED_ERROR, FEED_HISTOGRAM, FEED_SUMMARY, FEED_AVERAGE,
	FEED_MAX, FEED_BREAKER,
};

struct router_ctx {
	struct router_scrape *s;
	const struct expo *e;
	const char *row_label;		/* the effective one */
	bool overridden;		/* --by: skip selectors with a row label of their own */
	char *names;			/* row names, NUL-separated, until the end of the read */
	size_t names_len, names_cap;
	bool matched;			/* any series matched any selector */
	bool too_many;
};

void router_scrape_init(struct router_scrape *s)
{
	memset(s, 0, sizeof(*s));
}

void router_scrape_free(struct router_scrape *s)
{
	for (size_t i = 0; i < s->rows_cap; i++) {
		free(s->rows[i].buckets);
		free(s->rows[i].name);
	}
	free(s->rows);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

void router_scrape_swap(struct router_scrape *a, struct router_scrape *b)
{
	struct router_scrape t = *a;

	*a = *b;
	*b = t;
}

static uint32_t router_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void router_row_reset(struct router_row *r)
{
	struct promql_bucket *b = r->buckets;
	size_t cap = r->buckets_cap;
	char *name = r->name;

	memset(r, 0, sizeof(*r));
	r->buckets = b;
	r->buckets_cap = cap;
	r->name = name;
	r->requests = r->failed = NAN;
	for (int k = 0; k < PROFILE_CLASSES; k++)
		r->errors[k] = NAN;
	r->lat_sum_ms = r->lat_count = r->avg_ms = r->max_ms = NAN;
	for (int q = 0; q < ROUTER_QUANTILES; q++)
		r->quantile_ms[q] = NAN;
	r->breaker = BREAKER_UNKNOWN;
}

static void router_rehash(struct router_ctx *c)
{
	struct router_scrape *s = c->s;
	size_t cap = s->slots_cap != 0 ? s->slots_cap * 2 : 256;

	free(s->slots);
	s->slots = xcalloc(cap, sizeof(*s->slots));
	s->slots_cap = cap;
	for (size_t i = 0; i < s->nrows; i++) {
		size_t j = router_hash(c->names + s->rows[i].name_off) & (cap - 1);

		while (s->slots[j] != 0)
			j = (j + 1) & (cap - 1);
		s->slots[j] = (uint32_t)i + 1;
	}
}

/* The row named name, created when new; NULL past ROUTER_ROWS_MAX. */
static struct router_row *router_row_get(struct router_ctx *c, const char *name)
{
	struct router_scrape *s = c->s;
	size_t n = strlen(name), j;
	struct router_row *r;

	if ((s->nrows + 1) * 2 > s->slots_cap)
		router_rehash(c);
	for (j = router_hash(name) & (s->slots_cap - 1); s->slots[j] != 0;
	     j = (j + 1) & (s->slots_cap - 1)) {
		r = &s->rows[s->slots[j] - 1];
		if (strcmp(c->names + r->name_off, name) == 0)
			return r;
	}
	if (s->nrows == ROUTER_ROWS_MAX) {
		c->too_many = true;
		return NULL;
	}
	if (s->nrows == s->rows_cap) {
		size_t cap = s->rows_cap != 0 ? s->rows_cap * 2 : 16;

		s->rows = xrealloc(s->rows, cap * sizeof(*s->rows));
		memset(s->rows + s->rows_cap, 0, (cap - s->rows_cap) * sizeof(*s->rows));
		s->rows_cap = cap;
	}
	if (c->names_len + n + 1 > c->names_cap) {
		while (c->names_len + n + 1 > c->names_cap)
			c->names_cap = c->names_cap != 0 ? c->names_cap * 2 : 4096;
		c->names = xrealloc(c->names, c->names_cap);
	}
	memcpy(c->names + c->names_len, name, n + 1);
	r = &s->rows[s->nrows];
	router_row_reset(r);
	r->name_off = c->names_len;
	c->names_len += n + 1;
	s->slots[j] = (uint32_t)++s->nrows;
	return r;
}

static bool router_series_matches(const struct expo *e, const struct profile_selector *sel,
				  uint32_t labels)
{
	for (int i = 0; i < sel->nmatchers; i++) {
		if (!profile_match_value(&sel->m[i], expo_label_get(e, labels, sel->m[i].label)))
			return false;
	}
	return true;
}

static double nan_add(double acc, double v)
{
	return isnan(acc) ? v : acc + v;
}

/* Add a cumulative bucket to the row's histogram, merging equal bounds. */
static void router_add_bucket(struct router_row *r, double le, double count)
{
	size_t lo = 0, hi = r->nbuckets;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (r->buckets[mid].le < le)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->nbuckets && r->buckets[lo].le == le) {
		r->buckets[lo].count += count;
		return;
	}
	if (r->nbuckets == ROUTER_BUCKETS_MAX) {
		r->buckets_over = true;
		return;
	}
	if (r->nbuckets == r->buckets_cap) {
		r->buckets_cap = r->buckets_cap != 0 ? r->buckets_cap * 2 : 32;
		r->buckets = xrealloc(r->buckets, r->buckets_cap * sizeof(*r->buckets));
	}
	memmove(r->buckets + lo + 1, r->buckets + lo, (r->nbuckets - lo) * sizeof(*r->buckets));
	r->buckets[lo] = (struct promql_bucket){ .le = le, .count = count };
	r->nbuckets++;
}

static void router_feed_summary(struct router_row *r, const struct expo_series *x, double unit)
{
	for (int q = 0; q < ROUTER_QUANTILES; q++) {
		if (x->bound != router_quantiles[q])
			continue;
		if (r->quantile_seen & (1u << q))
			r->quantile_clash |= 1u << q;
		r->quantile_seen |= 1u << q;
		r->quantile_ms[q] = x->value * unit;
	}
}

/* One series into its row, as the selector's feed says. */
static void router_feed(struct router_ctx *c, struct router_row *r, const struct expo_series *x,
			enum router_feed feed, int k, double unit)
{
	switch (feed) {
	case FEED_REQUESTS:
		r->requests = nan_add(r->requests, x->value);
		break;
	case FEED_FAILED:
		r->failed = nan_add(r->failed, x->value);
		break;
	case FEED_ERROR:
		r->errors[k] = nan_add(r->errors[k], x->value);
		break;
	case FEED_HISTOGRAM:
	case FEED_SUMMARY:
		break;	/* by suffix, in router_feed_latency */
	case FEED_AVERAGE:
		r->avg_ms = r->avg_seen++ == 0 ? x->value * unit : NAN;
		break;
	case FEED_MAX:
		if (isnan(r->max_ms) || x->value * unit > r->max_ms)
			r->max_ms = x->value * unit;
		break;
	case FEED_BREAKER:
		r->agg_n++;
		r->agg = nan_add(r->agg, x->value);
		(void)c;
		break;
	}
}

/* The row a series belongs to, or NULL (no row label, or too many rows). */
static struct router_row *router_row_of(struct router_ctx *c, const struct profile_selector *sel,
					const struct expo_series *x)
{
	const char *label = sel->row_label[0] != '\0' ? sel->row_label : c->row_label;
	const char *v = expo_label_get(c->e, x->labels, label);

	if (v == NULL || v[0] == '\0')
		return NULL;
	return router_row_get(c, v);
}

/* Every series of metric name that sel matches, each with its row. */
typedef void (*router_visit)(struct router_ctx *c, struct router_row *r,
			     const struct expo_series *x, void *arg);

static void router_each(struct router_ctx *c, const struct profile_selector *sel,
			const char *name, router_visit visit, void *arg)
{
	size_t n;
	const uint32_t *idx;

	if (c->overridden && sel->row_label[0] != '\0')
		return;
	idx = expo_series_named(c->e, expo_name_find(c->e, name), &n);
	for (size_t i = 0; i < n; i++) {
		const struct expo_series *x = expo_series_at(c->e, idx[i]);
		struct router_row *r;

		if (!router_series_matches(c->e, sel, x->labels))
			continue;
		c->matched = true;
		r = router_row_of(c, sel, x);
		if (r != NULL)
			visit(c, r, x, arg);
	}
}

struct feed_arg {
	enum router_feed feed;
	int k;
	double unit;
};

static void visit_feed(struct router_ctx *c, struct router_row *r, const struct expo_series *x,
		       void *arg)
{
	const struct feed_arg *a = arg;

	router_feed(c, r, x, a->feed, a->k, a->unit);
}

static void router_select(struct router_ctx *c, const struct profile_selector *sel,
			  enum router_feed feed, int k, double unit)
{
	struct feed_arg a = { feed, k, unit };

	router_each(c, sel, sel->metric, visit_feed, &a);
}

struct latency_arg {
	double unit;
	int part;	/* 0 buckets or quantiles, 1 _sum, 2 _count */
	bool summary;
};

static void visit_latency(struct router_ctx *c, struct router_row *r, const struct expo_series *x,
			  void *arg)
{
	const struct latency_arg *a = arg;

	if (a->part == 1) {
		r->lat_sum_ms = nan_add(r->lat_sum_ms, x->value * a->unit);
	} else if (a->part == 2) {
		r->lat_count = nan_add(r->lat_count, x->value);
	} else if (a->summary && x->bound_kind == EXPO_BOUND_QUANTILE) {
		router_feed_summary(r, x, a->unit);
	} else if (!a->summary && x->bound_kind == EXPO_BOUND_LE) {
		router_add_bucket(r, isinf(x->bound) ? x->bound : x->bound * a->unit, x->value);
		c->s->has_buckets = true;
	}
}

static void router_latency(struct router_ctx *c, const struct profile *p)
{
	const struct profile_selector *sel = &p->latency_sel;
	static const char *const parts[] = { "_bucket", "_sum", "_count" };
	char name[PROFILE_NAME_LEN + 8];
	bool summary = p->latency == PROFILE_LATENCY_SUMMARY;

	if (p->latency == PROFILE_LATENCY_AVERAGE) {
		router_select(c, sel, FEED_AVERAGE, 0, p->latency_unit_ms);
		return;
	}
	for (int part = 0; part < 3; part++) {
		struct latency_arg a = { p->latency_unit_ms, part, summary };

		str_printf(name, sizeof(name), "%s%s", sel->metric, part == 0 && summary ? "" : parts[part]);
		router_each(c, sel, name, visit_latency, &a);
	}
}

/* Worse of two states: open > half-open > closed > unknown. */
static enum breaker_state router_worse(enum breaker_state a, enum breaker_state b)
{
	return a > b ? a : b;
}

static void visit_breaker_label(struct router_ctx *c, struct router_row *r,
				const struct expo_series *x, void *arg)
{
	const struct profile_breaker *b = arg;
	const char *text = expo_label_get(c->e, x->labels, b->label);
	enum breaker_state st, named;

	if (text == NULL || isnan(x->value) || x->value == 0 || !profile_breaker_map_label(b, text, &st))
		return;
	if (router_worse(r->breaker, st) == r->breaker && r->breaker != BREAKER_UNKNOWN)
		return;
	r->breaker = st;
	if (breaker_state_parse(text, &named) == 0 && named == st)
		r->breaker_word[0] = '\0';
	else
		str_printf(r->breaker_word, sizeof(r->breaker_word), "%s", text);
}

static void router_breaker(struct router_ctx *c, const struct profile_breaker *b)
{
	if (b->mode == PROFILE_BREAKER_LABEL) {
		router_each(c, &b->sel, b->sel.metric, visit_breaker_label, (void *)b);
		return;
	}
	for (size_t i = 0; i < c->s->nrows; i++) {
		c->s->rows[i].agg = NAN;
		c->s->rows[i].agg_n = 0;
	}
	if (b->agg == PROFILE_AGG_SUM) {
		router_select(c, &b->sel, FEED_BREAKER, 0, 1);
	} else {
		/* max or min: keep the extreme instead of the sum. */
		size_t n;
		const uint32_t *idx;

		if (c->overridden && b->sel.row_label[0] != '\0')
			return;
		idx = expo_series_named(c->e, expo_name_find(c->e, b->sel.metric), &n);
		for (size_t i = 0; i < n; i++) {
			const struct expo_series *x = expo_series_at(c->e, idx[i]);
			struct router_row *r;

			if (!router_series_matches(c->e, &b->sel, x->labels) || isnan(x->value))
				continue;
			c->matched = true;
			r = router_row_of(c, &b->sel, x);
			if (r == NULL)
				continue;
			if (r->agg_n++ == 0 || (b->agg == PROFILE_AGG_MAX ? x->value > r->agg : x->value < r->agg))
				r->agg = x->value;
		}
	}
	for (size_t i = 0; i < c->s->nrows; i++) {
		struct router_row *r = &c->s->rows[i];
		enum breaker_state st;

		if (r->agg_n > 0 && !isnan(r->agg) && profile_breaker_map_value(b, r->agg, &st) &&
		    (r->breaker == BREAKER_UNKNOWN || router_worse(r->breaker, st) != r->breaker)) {
			r->breaker = st;
			r->breaker_word[0] = '\0';
		}
	}
}

/* What the profile looked for, for the message when nothing was there. */
static void router_missing(const struct profile *p, char *err, size_t errlen)
{
	char want[256] = "";

	if (p->has_requests)
		str_printf(want, sizeof(want), "%s", p->requests.metric);
	if (p->latency != PROFILE_LATENCY_NONE) {
		size_t at = strlen(want);

		str_printf(want + at, sizeof(want) - at, "%s%s%s", at > 0 ? ", " : "",
			   p->latency_sel.metric,
			   p->latency == PROFILE_LATENCY_HISTOGRAM ? "_bucket" : "");
	}
	str_printf(err, errlen, "none of the %s profile's metrics (%s) in the exposition", p->name,
		   want);
}

/* Whether the exposition has any series of the selector's metric. */
static bool router_exposed(const struct router_ctx *c, const struct profile_selector *sel)
{
	return !(c->overridden && sel->row_label[0] != '\0') &&
	       expo_name_find(c->e, sel->metric) != EXPO_NONE;
}

/*
 * A counter the router exposes but has no series for in a row counted
 * nothing there (Istio, Traefik and others only create the series of a
 * status code once one is seen): 0, not unknown. One it does not expose at
 * all stays unknown.
 */
static void router_zero_exposed(const struct router_ctx *c, const struct profile *p,
				struct router_row *r)
{
	if (p->has_requests && isnan(r->requests) && router_exposed(c, &p->requests))
		r->requests = 0;
	if (p->has_failed && isnan(r->failed) && router_exposed(c, &p->failed))
		r->failed = 0;
	for (int k = 0; k < PROFILE_CLASSES; k++) {
		for (int i = 0; i < p->nerrors[k] && isnan(r->errors[k]); i++) {
			if (router_exposed(c, &p->errors[k][i]))
				r->errors[k] = 0;
		}
	}
}

/* Rows get their names; whatever a row has not seen stays unknown. */
static void router_finish(struct router_ctx *c, const struct profile *p)
{
	for (size_t i = 0; i < c->s->nrows; i++) {
		struct router_row *r = &c->s->rows[i];
		const char *name = c->names + r->name_off;
		size_t n = strlen(name);

		r->name = xrealloc(r->name, n + 1);
		memcpy(r->name, name, n + 1);
		router_zero_exposed(c, p, r);
		if (!p->has_failed)
			r->failed = r->errors[PROFILE_FAILURES];
		for (int q = 0; q < ROUTER_QUANTILES; q++) {
			if (r->quantile_clash & (1u << q))
				r->quantile_ms[q] = NAN;
		}
		if (r->buckets_over)
			r->nbuckets = 0;
	}
}

int router_read(struct router_scrape *out, const struct profile *p, const char *row_label,
		const struct expo *e, char *err, size_t errlen)
{
	struct router_ctx c = {
		.s = out, .e = e, .row_label = row_label != NULL ? row_label : p->row_label,
		.overridden = row_label != NULL,
	};

	out->nrows = 0;
	if (out->slots_cap > 0)
		memset(out->slots, 0, out->slots_cap * sizeof(*out->slots));
	out->has_buckets = false;
	if (p->has_requests)
		router_select(&c, &p->requests, FEED_REQUESTS, 0, 1);
	out->has_requests = c.matched;
	if (p->has_failed)
		router_select(&c, &p->failed, FEED_FAILED, 0, 1);
	for (int k = 0; k < PROFILE_CLASSES; k++) {
		for (int i = 0; i < p->nerrors[k]; i++)
			router_select(&c, &p->errors[k][i], FEED_ERROR, k, 1);
	}
	if (p->latency != PROFILE_LATENCY_NONE) {
		bool before = c.matched;

		c.matched = false;
		router_latency(&c, p);
		out->has_latency = c.matched;
		c.matched = c.matched || before;
	}
	if (p->has_max)
		router_select(&c, &p->max_sel, FEED_MAX, 0, p->max_unit_ms);
	for (int i = 0; i < p->nbreakers; i++)
		router_breaker(&c, &p->breakers[i]);
	router_finish(&c, p);
	free(c.names);
	if (c.too_many) {
		str_printf(err, errlen, "more than %d rows (values of %s)", ROUTER_ROWS_MAX, c.row_label);
		out->nrows = 0;
		memset(out->slots, 0, out->slots_cap * sizeof(*out->slots));
		return -1;
	}
	if (!c.matched) {
		router_missing(p, err, errlen);
		return -1;
	}
	return 0;
}

int router_detect(const struct expo *e, struct profile *out, char *err, size_t errlen)
{
	char tried[512] = "";

	for (const struct profile_builtin *b = profile_builtins; b->name != NULL; b++) {
		char perr[PROFILE_ERR_LEN];
		size_t at = strlen(tried);
		bool all = true;

		if (profile_parse(b->text, strlen(b->text), b->name, out, perr, sizeof(perr)) != 0)
			continue;
		for (int i = 0; i < out->ndetect && all; i++)
			all = expo_name_find(e, out->detect[i]) != EXPO_NONE;
		if (all && out->ndetect > 0)
			return 0;
		str_printf(tried + at, sizeof(tried) - at, "%s%s", at > 0 ? " " : "", b->name);
	}
	str_printf(err, errlen, "no built-in profile fits this exposition (tried %s); "
		   "use --profile FILE", tried);
	return -1;
}

const struct router_row *router_row_find(const struct router_scrape *s, const char *name)
{
	size_t mask = s->slots_cap - 1;

	if (s->slots_cap == 0)
		return NULL;
	for (size_t j = router_hash(name) & mask; s->slots[j] != 0; j = (j + 1) & mask) {
		const struct router_row *r = &s->rows[s->slots[j] - 1];

		if (strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}
