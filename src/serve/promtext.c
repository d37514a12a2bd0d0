/*
 * serve's Prometheus text (see promtext.h). Each family is written series
 * first into a scratch buffer, so a family none of whose series is known
 * gets no HELP/TYPE lines either.
 */
#include "config.h"

#include "serve/promtext.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/expo.h"
#include "util.h"

struct text {
	char *buf;
	size_t len, cap;
};

/* One upstream: its name and its figures. */
struct upstream {
	const char *name;
	const struct metrics_snapshot *snap;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n + 1 > t->cap) {
		while (t->len + n + 1 > t->cap)
			t->cap = t->cap != 0 ? t->cap * 2 : 4096;
		t->buf = xrealloc(t->buf, t->cap);
	}
	memcpy(t->buf + t->len, s, n + 1);
	t->len += n;
}

static void put_number(struct text *t, double v)
{
	char num[EXPO_NUMBER_LEN];

	expo_format_number(num, v);
	put(t, num);
}

/* name{upstream="U"[,extra]} value */
static void put_sample(struct text *t, const char *name, const struct upstream *u,
		       const char *extra, double v)
{
	put(t, name);
	put(t, "{upstream=\"");
	expo_append_escaped(&t->buf, &t->len, &t->cap, u->name, false);
	put(t, "\"");
	if (extra != NULL) {
		put(t, ",");
		put(t, extra);
	}
	put(t, "} ");
	put_number(t, v);
	put(t, "\n");
}

/*
 * The family's HELP and TYPE lines, then its series (from body), when it
 * has any. OpenMetrics names a counter family without its _total.
 */
static void put_family(struct text *out, struct text *body, const char *name, const char *type,
		       const char *help, const char *unit, bool om)
{
	char family[96];
	size_t n = strlen(name);

	if (body->len == 0)
		return;
	str_printf(family, sizeof(family), "%s", name);
	if (om && strcmp(type, "counter") == 0 && n > 6 && strcmp(name + n - 6, "_total") == 0)
		family[n - 6] = '\0';
	put(out, "# HELP ");
	put(out, family);
	put(out, " ");
	put(out, help);
	put(out, "\n# TYPE ");
	put(out, family);
	put(out, " ");
	put(out, type);
	put(out, "\n");
	if (om && unit != NULL) {
		put(out, "# UNIT ");
		put(out, family);
		put(out, " ");
		put(out, unit);
		put(out, "\n");
	}
	put(out, body->buf);
	body->len = 0;
	body->buf[0] = '\0';
}

static void histogram_of(struct text *t, const struct upstream *u)
{
	const struct metrics_histogram *h = &u->snap->latency_hist;
	char le[EXPO_NUMBER_LEN + 8], num[EXPO_NUMBER_LEN];

	if (!h->known)
		return;
	for (int k = 0; k <= METRICS_HIST_BOUNDS; k++) {
		if (k < METRICS_HIST_BOUNDS)
			expo_format_number(num, metrics_hist_bounds_ms[k] / 1000.0);
		str_printf(le, sizeof(le), "le=\"%s\"", k < METRICS_HIST_BOUNDS ? num : "+Inf");
		put_sample(t, "routertop_request_duration_seconds_bucket", u, le, (double)h->count[k]);
	}
	put_sample(t, "routertop_request_duration_seconds_sum", u, NULL, h->sum_ms / 1000.0);
	put_sample(t, "routertop_request_duration_seconds_count", u, NULL,
		   (double)h->count[METRICS_HIST_BOUNDS]);
}

static void counter_of(struct text *t, const char *name, const struct upstream *u,
		       const char *extra, int64_t v)
{
	if (v >= 0)
		put_sample(t, name, u, extra, (double)v);
}

static void errors_of(struct text *t, const struct upstream *u)
{
	const struct metrics_errors *e = &u->snap->errors;
	const struct {
		const char *label;
		int64_t v;
	} classes[] = {
		{ "class=\"timeout\"", e->timeouts }, { "class=\"failure\"", e->failures },
		{ "class=\"rate_limited\"", e->rate_limited }, { "class=\"breaker\"", e->breaker_trips },
		{ "class=\"validation\"", e->validation },
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		counter_of(t, "routertop_errors_total", u, classes[i].label, classes[i].v);
}

static void breaker_of(struct text *t, const struct upstream *u)
{
	static const struct {
		const char *label;
		enum breaker_state state;
	} states[] = {
		{ "state=\"closed\"", BREAKER_CLOSED }, { "state=\"half_open\"", BREAKER_HALF_OPEN },
		{ "state=\"open\"", BREAKER_OPEN },
	};
	enum breaker_state now = u->snap->breaker.state;

	if (now == BREAKER_UNKNOWN)
		return;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		put_sample(t, "routertop_breaker_state", u, states[i].label, states[i].state == now);
}

char *serve_promtext(const struct metrics_snapshot *s, bool om, size_t *len)
{
	struct text out = { 0 }, body = { 0 };
	size_t n = s->nrows > 0 ? s->nrows : 1;
	struct upstream *ups = xmalloc(n * sizeof(*ups));

	put(&out, "");
	put(&body, "");
	for (size_t i = 0; i < n; i++)
		ups[i] = s->nrows > 0 ? (struct upstream){ s->rows[i].name, &s->rows[i].snap }
				      : (struct upstream){ "default", s };
	for (size_t i = 0; i < n; i++)
		histogram_of(&body, &ups[i]);
	put_family(&out, &body, "routertop_request_duration_seconds", "histogram",
		   "Latency of completed requests, per upstream of the simulated router.", "seconds", om);
	for (size_t i = 0; i < n; i++)
		counter_of(&body, "routertop_requests_total", &ups[i], NULL, ups[i].snap->requests.total);
	put_family(&out, &body, "routertop_requests_total", "counter",
		   "Requests routed to the upstream.", NULL, om);
	for (size_t i = 0; i < n; i++)
		counter_of(&body, "routertop_requests_failed_total", &ups[i], NULL,
			   ups[i].snap->requests.failed);
	put_family(&out, &body, "routertop_requests_failed_total", "counter",
		   "Requests routed to the upstream that failed, whatever the cause.", NULL, om);
	for (size_t i = 0; i < n; i++)
		errors_of(&body, &ups[i]);
	put_family(&out, &body, "routertop_errors_total", "counter",
		   "Failed or refused requests by cause: timeout, failure, rate_limited, breaker "
		   "(rejected by an open breaker), validation.", NULL, om);
	for (size_t i = 0; i < n; i++)
		breaker_of(&body, &ups[i]);
	put_family(&out, &body, "routertop_breaker_state", "gauge",
		   "Circuit breaker state of the upstream: 1 for the current one.", NULL, om);
	if (om)
		put(&out, "# EOF\n");
	free(body.buf);
	free(ups);
	*len = out.len;
	return out.buf;
}
