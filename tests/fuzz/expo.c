/*
 * libFuzzer target for the Prometheus/OpenMetrics text parser and the
 * router profiles applied to it (tests/fuzz/fuzz.mk builds and runs it).
 *
 * Beyond "does not crash": a refused body has a one-line message; every
 * kept error is one line; what parses re-serialises (expo_to_text) to text
 * that parses without an error to the same series; and the percentiles of
 * every histogram, whether taken straight from the series or from a
 * profile's rows, never decrease as the quantile grows.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/expo.h"
#include "formats/promql.h"
#include "formats/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_one_line(const char *s)
{
	if (s == NULL || s[0] == '\0')
		abort();
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

static bool same_number(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static void check_same_series(const struct expo *a, const struct expo *b)
{
	if (expo_series_count(a) != expo_series_count(b) || expo_error_count(b) != 0)
		abort();
	for (size_t i = 0; i < expo_series_count(a); i++) {
		const struct expo_series *x = expo_series_at(a, i), *y = expo_series_at(b, i);
		size_t nx, ny;
		const struct expo_label *lx = expo_labels(a, x->labels, &nx);
		const struct expo_label *ly = expo_labels(b, y->labels, &ny);

		if (strcmp(expo_name(a, x->name), expo_name(b, y->name)) != 0 ||
		    strcmp(expo_family_at(a, x->family)->name, expo_family_at(b, y->family)->name) != 0 ||
		    expo_family_at(a, x->family)->type != expo_family_at(b, y->family)->type ||
		    x->bound_kind != y->bound_kind ||
		    (x->bound_kind != EXPO_BOUND_NONE && x->bound != y->bound) ||
		    !same_number(x->value, y->value) || x->timestamp_ms != y->timestamp_ms || nx != ny)
			abort();
		for (size_t j = 0; j < nx; j++) {
			if (strcmp(lx[j].name, ly[j].name) != 0 || strcmp(lx[j].value, ly[j].value) != 0)
				abort();
		}
	}
}

/* The quantiles of one histogram, in increasing q, must not decrease. */
static void check_ordered(const struct promql_bucket *b, size_t n)
{
	static const double qs[] = { 0, 0.5, 0.9, 0.95, 0.99, 0.999, 1 };
	struct promql_bucket *c;
	double last = -INFINITY;

	if (n == 0)
		return;
	c = malloc(n * sizeof(*c));

	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		double v;

		memcpy(c, b, n * sizeof(*c));
		v = promql_histogram_quantile(qs[i], c, n, NULL);
		if (isnan(v))
			continue;
		if (v < last)
			abort();
		last = v;
	}
	free(c);
}

/* Every bucket series of one name and label set, as one histogram. */
static void check_series_histograms(const struct expo *e)
{
	size_t n = expo_series_count(e);
	struct promql_bucket *b = malloc((n + 1) * sizeof(*b));

	for (size_t i = 0; i < n; i++) {
		const struct expo_series *s = expo_series_at(e, i);
		size_t nb = 0;
		bool first = true;

		if (s->bound_kind != EXPO_BOUND_LE)
			continue;
		for (size_t j = 0; j < n; j++) {
			const struct expo_series *t = expo_series_at(e, j);

			if (t->bound_kind != EXPO_BOUND_LE || t->name != s->name || t->labels != s->labels)
				continue;
			if (j < i)
				first = false;
			b[nb++] = (struct promql_bucket){ t->bound, t->value };
		}
		if (first)
			check_ordered(b, nb);
	}
	free(b);
}

static void check_profiles(const struct expo *e)
{
	struct router_scrape s;
	struct profile p;
	char err[256];

	router_scrape_init(&s);
	for (const struct profile_builtin *pb = profile_builtins; pb->name != NULL; pb++) {
		if (profile_load(pb->name, &p, err, sizeof(err)) != 0)
			abort();
		if (router_read(&s, &p, NULL, e, err, sizeof(err)) != 0) {
			check_one_line(err);
			continue;
		}
		for (size_t i = 0; i < s.nrows; i++) {
			if (s.rows[i].name == NULL || s.rows[i].name[0] == '\0')
				abort();
			check_ordered(s.rows[i].buckets, s.rows[i].nbuckets);
		}
	}
	if (router_detect(e, &p, err, sizeof(err)) != 0)
		check_one_line(err);
	router_scrape_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct expo *e = expo_new(), *back = expo_new();
	struct expo_options big = { .line_max = EXPO_LINE_HARD_MAX };
	char err[256] = "";
	size_t len;
	char *text;

	if (expo_parse(e, (const char *)data, size, NULL, err, sizeof(err)) != 0) {
		check_one_line(err);
		expo_free(e);
		expo_free(back);
		return 0;
	}
	for (size_t i = 0; i < expo_error_count(e) && i < EXPO_ERRORS_KEPT; i++)
		check_one_line(expo_error_at(e, i));
	text = expo_to_text(e, &len);
	if (expo_parse(back, text, len, &big, err, sizeof(err)) != 0)
		abort();
	check_same_series(e, back);
	free(text);
	if (expo_series_count(e) <= 2000)
		check_series_histograms(e);
	check_profiles(e);
	expo_free(e);
	expo_free(back);
	return 0;
}
