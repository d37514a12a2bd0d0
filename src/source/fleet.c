/*
 * The "fleet" source: many routers through an existing Prometheus server's
 * HTTP API (or Thanos, Mimir, VictoriaMetrics), one row per instance.
 * Prometheus does the collection; this asks it.
 *
 * Each interval is a round of instant queries (/api/v1/query), all at one
 * evaluation time, built from the router profile (formats/promquery.h): the
 * fleet plan (by instance) and the total plan (the whole), or, drilled into
 * one instance, that instance's own figures and its rows. They run
 * concurrently as easy handles on one multi handle (source/xfer.h), at most
 * FLEET_CONNS connections at a time; the loop never waits on them. When
 * every answer is in, they become one snapshot (fleetsnap.c).
 *
 * Faults are shown, never fatal: a round where every query failed is a
 * SOURCE_ERROR (unreachable, or Prometheus' own error message); a round
 * where some failed, or Prometheus warned or gave a partial result, is a
 * snapshot carrying a warning that names the queries (source.h). A round
 * that failed whole backs off as the http source does.
 *
 * `--profile auto` first asks which of the built-in profiles' families
 * Prometheus has (one query over __name__), and takes the first that fits.
 *
 * Drilling into an instance (the screen's Enter) narrows both plans to it
 * and fills the charts at once: one round of range queries
 * (/api/v1/query_range) over the points the screen holds, handed out one
 * snapshot per step, the first marked restart; then instant rounds again.
 * Those snapshots are aside: shown, never recorded.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/profile.h"
#include "formats/promapi.h"
#include "formats/promquery.h"
#include "sanitize.h"
#include "source/fleet.h"
#include "source/http.h"
#include "source/source.h"
#include "source/xfer.h"
#include "util.h"

#define FLEET_DEFAULT_INTERVAL_MS 5000
#define FLEET_DEFAULT_TIMEOUT_MS 4000
#define FLEET_BODY_DEFAULT ((size_t)16 << 20)
/* Connections to the server at once; more queries wait in curl's queue. */
#define FLEET_CONNS 8
#define FLEET_FILL_MAX 512
#define FLEET_PLANS 3		/* the level's two, and the profile search */
#define FLEET_REQS (2 * PROMQUERY_PLAN_MAX)
#define FLEET_URL_MAX (3 * PROMQUERY_LEN + 1024)
#define FLEET_FAILURES_MAX 1000
#define FLEET_DESC_LEN 256

enum fleet_round { ROUND_NONE, ROUND_DETECT, ROUND_INSTANT, ROUND_RANGE };
enum { PLAN_A, PLAN_B, PLAN_DETECT };

struct fleet_req {
	CURL *easy;
	struct xfer_body body;
	struct promapi_answer ans;
	int plan, q;
	bool busy;
	bool usable;			/* ans has data to use */
	char fault[SOURCE_MSG_LEN];	/* why not, or what Prometheus warned; "" if nothing */
	bool warned;			/* fault is a warning (or a partial result), not a failure */
};

struct fleet {
	char *base;			/* the server's URL, no trailing '/' */
	char shown[XFER_URL_LEN];	/* for messages: no credentials */
	int64_t interval_ms, timeout_ms;
	size_t max_body;
	bool insecure;
	struct curl_slist *headers;

	bool have_profile;
	struct profile profile;
	struct promquery_families fam;
	struct promquery_match match;
	char match_shown[128];
	char by[PROMQUERY_NAME_LEN], window[PROMQUERY_WINDOW_LEN];

	struct xfer_multi xm;
	struct fleet_req reqs[FLEET_REQS];
	struct promquery_plan plans[FLEET_PLANS];
	int req0[FLEET_PLANS];		/* the round's first request of each plan, -1: not in it */

	enum fleet_round round;
	int inflight;
	double round_time;		/* wall seconds: the instant queries' time, a range's end */
	int64_t started_ms, next_ms;
	int failures;
	bool paused;

	bool drilled;
	char drill_key[PROMQUERY_VALUE_LEN];	/* the instance's label value, as Prometheus has it */
	char drill_name[METRICS_NAME_LEN];	/* its row's name */
	bool restart_next;		/* the next snapshot starts a level */
	size_t fill_points;		/* > 0: the next round fills that many points */
	bool filling;
	size_t fill_k, fill_n;
	double fill_start, fill_step;
	int64_t fill_mono;		/* monotonic time of the range's end */

	struct fleet_builder builder;
	struct fleet_seen seen;
	struct source_event ev;
	bool pending;
};

/* ---- plans ---- */

static void fleet_scope(const struct fleet *f, enum promquery_level level,
			struct promquery_scope *s)
{
	memset(s, 0, sizeof(*s));
	s->level = level;
	str_printf(s->by, sizeof(s->by), "%s", f->by);
	str_printf(s->window, sizeof(s->window), "%s", f->window);
	s->match = f->match;
}

/* The two plans of the current level into plans[A] and plans[B]. */
static int fleet_plan(struct fleet *f, char *err, size_t errlen)
{
	struct promquery_scope a, b;

	fleet_scope(f, PROMQUERY_FLEET, &a);
	fleet_scope(f, f->drilled ? PROMQUERY_ROWS : PROMQUERY_TOTAL, &b);
	if (f->drilled &&
	    (promquery_match_add(&a.match, f->by, PROMQUERY_EQ, f->drill_key) != 0 ||
	     promquery_match_add(&b.match, f->by, PROMQUERY_EQ, f->drill_key) != 0)) {
		str_printf(err, errlen, "too many matchers to narrow the queries to one instance");
		return -1;
	}
	if (promquery_plan(&f->fam, &a, &f->plans[PLAN_A], err, errlen) != 0 ||
	    promquery_plan(&f->fam, &b, &f->plans[PLAN_B], err, errlen) != 0)
		return -1;
	return 0;
}

/* The profile search: which of the built-in profiles' families does Prometheus have? */
static void fleet_plan_detect(struct fleet *f)
{
	struct promquery_plan *p = &f->plans[PLAN_DETECT];
	struct promquery_query *q = &p->q[0];
	struct promquery_selector all = { .metric = "", .nmatchers = 1 };
	char names[PROMQUERY_VALUE_LEN] = "", sel[PROMQUERY_LEN];
	size_t at = 0;

	for (const struct profile_builtin *b = profile_builtins; b->name != NULL; b++) {
		struct profile prof;
		char err[PROFILE_ERR_LEN];

		if (profile_parse(b->text, strlen(b->text), b->name, &prof, err, sizeof(err)) != 0)
			continue;
		for (int i = 0; i < prof.ndetect; i++) {
			size_t n = strlen(prof.detect[i]);

			if (at + n + 2 < sizeof(names)) {
				at += (size_t)snprintf(names + at, sizeof(names) - at, "%s%s",
						       at > 0 ? "|" : "", prof.detect[i]);
			}
		}
	}
	str_printf(all.m[0].label, sizeof(all.m[0].label), "__name__");
	all.m[0].op = PROMQUERY_RE;
	str_printf(all.m[0].value, sizeof(all.m[0].value), "%s", names);
	promquery_selector_text(&all, "", &f->match, sel, sizeof(sel));
	memset(p, 0, sizeof(*p));
	p->n = 1;
	str_printf(q->name, sizeof(q->name), "profile search");
	str_printf(q->text, sizeof(q->text), "count by (__name__) (%s)", sel);
}

/* The first built-in profile whose families are all in the search's answer. */
static int fleet_pick_profile(struct fleet *f, const struct promapi_answer *a, char *err,
			      size_t errlen)
{
	for (const struct profile_builtin *b = profile_builtins; b->name != NULL; b++) {
		struct profile prof;
		char perr[PROFILE_ERR_LEN];
		int found = 0;

		if (profile_parse(b->text, strlen(b->text), b->name, &prof, perr, sizeof(perr)) != 0 ||
		    prof.ndetect == 0)
			continue;
		for (int i = 0; i < prof.ndetect; i++) {
			for (size_t k = 0; k < a->nseries; k++) {
				const char *name = promapi_label(a, &a->series[k], "__name__");

				if (name != NULL && strcmp(name, prof.detect[i]) == 0) {
					found++;
					break;
				}
			}
		}
		if (found == prof.ndetect) {
			f->profile = prof;
			f->have_profile = true;
			fleet_families(&f->profile, &f->fam);
			return fleet_plan(f, err, errlen);
		}
	}
	str_printf(err, errlen, "no router profile fits: Prometheus at %s has none of the built-in "
		   "profiles' families%s%s (give --profile)", f->shown, f->match.n > 0 ? " for " : "",
		   f->match_shown);
	return -1;
}

/* ---- requests ---- */

static void fleet_append_escaped(struct fleet_req *r, char *url, size_t len, const char *text)
{
	char *esc = curl_easy_escape(r->easy, text, 0);
	size_t used = strlen(url);

	if (esc == NULL)
		fatal("out of memory");
	snprintf(url + used, len - used, "%s", esc);
	curl_free(esc);
}

static void fleet_url(struct fleet *f, struct fleet_req *r, const char *query, char *url,
		      size_t len)
{
	size_t used;

	str_printf(url, len, "%s/api/v1/%s?query=", f->base,
		   f->round == ROUND_RANGE ? "query_range" : "query");
	fleet_append_escaped(r, url, len, query);
	used = strlen(url);
	if (f->round == ROUND_RANGE)
		snprintf(url + used, len - used, "&start=%.3f&end=%.3f&step=%.3f&timeout=%lldms",
			 f->fill_start, f->round_time, f->fill_step, (long long)f->timeout_ms);
	else
		snprintf(url + used, len - used, "&time=%.3f&timeout=%lldms", f->round_time,
			 (long long)f->timeout_ms);
}

static void fleet_req_start(struct fleet *f, int plan, int q, int k)
{
	struct fleet_req *r = &f->reqs[k];
	char *url = xmalloc(FLEET_URL_MAX);

	if (r->easy == NULL) {
		r->easy = curl_easy_init();
		if (r->easy == NULL)
			fatal("cannot create a libcurl handle");
		xfer_body_init(&r->body, f->max_body);
	}
	r->plan = plan;
	r->q = q;
	r->usable = r->warned = false;
	r->fault[0] = '\0';
	xfer_body_reset(&r->body);
	fleet_url(f, r, f->plans[plan].q[q].text, url, FLEET_URL_MAX);
	xfer_easy_setup(r->easy, &(struct xfer_easy_options){
		.url = url, .timeout_ms = f->timeout_ms, .headers = f->headers,
		.insecure = f->insecure }, &r->body);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	free(url);	/* curl keeps its own copy of the URL */
	if (curl_multi_add_handle(f->xm.multi, r->easy) != CURLM_OK) {
		str_printf(r->fault, sizeof(r->fault), "cannot start a request to %s", f->shown);
		return;
	}
	r->busy = true;
	f->inflight++;
}

/* An answer in an HTTP error, or Prometheus' own error: its words, and what was kept. */
static void fleet_req_error(struct fleet_req *r, long status)
{
	const struct promapi_answer *a = &r->ans;
	char http[32] = "";

	if (status < 200 || status >= 300)
		str_printf(http, sizeof(http), " (HTTP %ld)", status);
	str_printf(r->fault, sizeof(r->fault), "Prometheus: %s%s%s%s%s", a->error_type,
		   a->error_type[0] != '\0' ? ": " : "", a->error, http,
		   a->has_data ? "; its partial result is shown" : "");
	r->usable = a->has_data;
	r->warned = a->has_data;
}

/* What one finished transfer came to: a usable answer, a warning, or a fault. */
static void fleet_req_done(struct fleet *f, struct fleet_req *r, CURLcode code)
{
	struct http_outcome o = {
		.code = code, .body_over = r->body.over, .reason = r->body.reason,
		.detail = r->body.errbuf, .url = f->shown, .timeout_ms = f->timeout_ms,
		.max_body = f->max_body,
	};
	char perr[PROMAPI_MSG_LEN];
	bool parsed;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &o.status);
	curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &o.os_errno);
	curl_multi_remove_handle(f->xm.multi, r->easy);
	r->busy = false;
	f->inflight--;
	/* Prometheus answers its errors (400, 422, 503) in JSON: its words beat the status line. */
	parsed = code == CURLE_OK && !r->body.over && r->body.len > 0 &&
		 promapi_parse(&r->ans, r->body.data, r->body.len, perr, sizeof(perr)) == 0;
	if (parsed && !r->ans.success) {
		fleet_req_error(r, o.status);
	} else if (parsed && o.status >= 200 && o.status < 300) {
		r->usable = true;
		if (r->ans.nwarnings > 0) {
			str_printf(r->fault, sizeof(r->fault), "Prometheus warned: %s%s", r->ans.warnings[0],
				   r->ans.nwarnings > 1 ? " (and more)" : "");
			r->warned = true;
		}
	} else if (!http_fault_message(&o, r->fault, sizeof(r->fault))) {
		/* A 2xx answer that is not the API's. */
		str_printf(r->fault, sizeof(r->fault), "not a Prometheus API answer from %s: %s",
			   f->shown, perr);
	}
}

/* ---- rounds ---- */

static void fleet_round_start(struct fleet *f, int64_t now)
{
	int k = 0;

	f->round = !f->have_profile ? ROUND_DETECT : f->fill_points > 0 ? ROUND_RANGE : ROUND_INSTANT;
	f->round_time = (double)clock_wall_ms() / 1000.0;
	f->started_ms = now;
	f->inflight = 0;
	for (int p = 0; p < FLEET_PLANS; p++)
		f->req0[p] = -1;
	if (f->round == ROUND_RANGE) {
		double step = (double)f->interval_ms / 1000.0;

		f->fill_step = step < 1.0 ? 1.0 : step;
		f->fill_n = f->fill_points;
		f->fill_start = f->round_time - f->fill_step * (double)(f->fill_n - 1);
		f->fill_mono = now;
	}
	for (int p = 0; p < FLEET_PLANS; p++) {
		bool in = f->round == ROUND_DETECT ? p == PLAN_DETECT :
			  p == PLAN_DETECT ? false :
			  /* A fill of the whole fleet leaves its instances out: thousands of them. */
			  !(f->round == ROUND_RANGE && !f->drilled && p == PLAN_A);

		if (!in)
			continue;
		f->req0[p] = k;
		for (int q = 0; q < f->plans[p].n && k < FLEET_REQS; q++)
			fleet_req_start(f, p, q, k++);
	}
	xfer_multi_kick(&f->xm);
}

/*
 * The round's faults in one line: the first failure (or warning) with its
 * query's name, and how many more there were. Empty when there were none.
 */
static void fleet_round_faults(struct fleet *f, char *buf, size_t len, int *failed, int *total)
{
	int faults = 0, shown = -1;

	*failed = *total = 0;
	for (int p = 0; p < FLEET_PLANS; p++) {
		if (f->req0[p] < 0)
			continue;
		for (int q = 0; q < f->plans[p].n; q++) {
			const struct fleet_req *r = &f->reqs[f->req0[p] + q];

			(*total)++;
			if (!r->usable)
				(*failed)++;
			if (r->fault[0] == '\0')
				continue;
			/* A failure is news before a warning. */
			if (shown < 0 || (!r->usable && f->reqs[shown].usable))
				shown = f->req0[p] + q;
			faults++;
		}
	}
	buf[0] = '\0';
	if (shown < 0)
		return;
	if (faults > 1)
		str_printf(buf, len, "query %s: %s (and %d more %s)",
			   f->plans[f->reqs[shown].plan].q[f->reqs[shown].q].name, f->reqs[shown].fault,
			   faults - 1, faults > 2 ? "queries" : "query");
	else
		str_printf(buf, len, "query %s: %s", f->plans[f->reqs[shown].plan].q[f->reqs[shown].q].name,
			   f->reqs[shown].fault);
}

/* The round's answers to plan p for the builders; NULL when p was not in it. */
static const struct fleet_answers *fleet_answers_of(struct fleet *f, int p,
						    const struct promapi_answer **ans,
						    struct fleet_answers *out)
{
	if (f->req0[p] < 0)
		return NULL;
	for (int q = 0; q < f->plans[p].n; q++) {
		const struct fleet_req *r = &f->reqs[f->req0[p] + q];

		ans[q] = r->usable ? &r->ans : NULL;
	}
	*out = (struct fleet_answers){ &f->plans[p], ans };
	return out;
}

static void fleet_view(const struct fleet *f, struct fleet_view *v)
{
	v->profile = &f->profile;
	v->instance_noun = f->by;
	v->row_noun = f->profile.row_noun[0] != '\0' ? f->profile.row_noun : "upstream";
}

/* The snapshot of the round's answers (at: NAN for instant ones) into f->ev.snap. */
static void fleet_build(struct fleet *f, double at)
{
	const struct promapi_answer *ans_a[PROMQUERY_PLAN_MAX], *ans_b[PROMQUERY_PLAN_MAX];
	struct fleet_answers fa, fb;
	const struct fleet_answers *a = fleet_answers_of(f, PLAN_A, ans_a, &fa);
	const struct fleet_answers *b = fleet_answers_of(f, PLAN_B, ans_b, &fb);
	struct fleet_view v;

	fleet_view(f, &v);
	if (f->drilled)
		fleet_build_instance(&f->builder, &v, a, b, at, &f->ev.snap);
	else
		fleet_build_fleet(&f->builder, &v, a, b, isnan(at) ? &f->seen : NULL, at,
				  &f->ev.snap);
}

static void fleet_event(struct fleet *f, enum source_event_kind kind, int64_t at_ms,
			int64_t wall_ms, const char *msg)
{
	f->ev.kind = kind;
	f->ev.at_ms = at_ms;
	f->ev.wall_ms = wall_ms;
	f->ev.restart = false;
	f->ev.aside = f->drilled;
	str_printf(f->ev.message, sizeof(f->ev.message), "%s", msg);
	if (kind == SOURCE_SNAPSHOT && f->restart_next) {
		f->ev.restart = true;
		f->restart_next = false;
	}
	f->pending = true;
}

static void fleet_fail(struct fleet *f, int64_t now, const char *msg)
{
	metrics_clear(&f->ev.snap);
	fleet_event(f, SOURCE_ERROR, now, clock_wall_ms(), msg);
	if (f->failures < FLEET_FAILURES_MAX)
		f->failures++;
	f->next_ms = http_next_poll_ms(f->started_ms, now, f->interval_ms, f->failures);
}

static void fleet_round_done(struct fleet *f, int64_t now)
{
	char msg[SOURCE_MSG_LEN], err[SOURCE_MSG_LEN];
	int failed, total;
	enum fleet_round round = f->round;

	f->round = ROUND_NONE;
	fleet_round_faults(f, msg, sizeof(msg), &failed, &total);
	if (failed == total) {
		if (round == ROUND_RANGE) {
			/* No past to show: on with the present, the charts fill as it comes. */
			f->fill_points = 0;
			str_printf(err, sizeof(err), "cannot fill the charts: %s", msg);
			metrics_clear(&f->ev.snap);
			fleet_event(f, SOURCE_ERROR, now, clock_wall_ms(), err);
			f->next_ms = now;
			return;
		}
		fleet_fail(f, now, msg[0] != '\0' ? msg : "no answer");
		return;
	}
	f->failures = 0;
	if (round == ROUND_DETECT) {
		if (fleet_pick_profile(f, &f->reqs[f->req0[PLAN_DETECT]].ans, err, sizeof(err)) != 0) {
			f->have_profile = false;
			fleet_fail(f, now, err);
			return;
		}
		f->next_ms = now;	/* the first round at once */
		return;
	}
	if (round == ROUND_RANGE) {
		f->fill_points = 0;
		f->filling = true;
		f->fill_k = 0;
		/* The range's faults are the first point's warning. */
		str_printf(f->ev.message, sizeof(f->ev.message), "%s", msg);
		return;
	}
	fleet_build(f, NAN);
	fleet_event(f, SOURCE_SNAPSHOT, now, clock_wall_ms(), msg);
	f->next_ms = http_next_poll_ms(f->started_ms, now, f->interval_ms, 0);
}

/* One point of a fill: the range's answers at its time, dated in the past. */
static void fleet_fill_next(struct fleet *f, int64_t now)
{
	double t = f->fill_start + f->fill_step * (double)f->fill_k;
	char msg[SOURCE_MSG_LEN];
	int64_t back_ms = (int64_t)llround((f->round_time - t) * 1000.0);

	str_printf(msg, sizeof(msg), "%s", f->fill_k == 0 ? f->ev.message : "");
	fleet_build(f, t);
	fleet_event(f, SOURCE_SNAPSHOT, f->fill_mono - back_ms, (int64_t)llround(t * 1000.0), msg);
	if (++f->fill_k >= f->fill_n) {
		f->filling = false;
		f->next_ms = now;	/* and the present at once */
	}
}

static void fleet_collect(struct fleet *f, int64_t now)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(f->xm.multi, &left)) != NULL) {
		struct fleet_req *r;
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		r = (struct fleet_req *)(void *)priv;
		if (r != NULL && r->busy)
			fleet_req_done(f, r, msg->data.result);
	}
	if (f->round != ROUND_NONE && f->inflight == 0)
		fleet_round_done(f, now);
}

/* Drop the round in flight (a drill-down changed what to ask). */
static void fleet_cancel(struct fleet *f)
{
	for (int k = 0; k < FLEET_REQS; k++) {
		if (f->reqs[k].busy) {
			curl_multi_remove_handle(f->xm.multi, f->reqs[k].easy);
			f->reqs[k].busy = false;
		}
	}
	f->inflight = 0;
	f->round = ROUND_NONE;
	f->filling = false;
	f->pending = false;
}

static int fleet_step(void *self, int64_t now, struct source_event *ev)
{
	struct fleet *f = self;

	if (f->round != ROUND_NONE) {
		xfer_multi_drive(&f->xm);
		fleet_collect(f, now);
	}
	if (!f->pending && f->filling)
		fleet_fill_next(f, now);
	if (!f->pending && f->round == ROUND_NONE && !f->filling && !f->paused &&
	    now >= f->next_ms) {
		fleet_round_start(f, now);
		fleet_collect(f, now);
	}
	if (!f->pending)
		return 0;
	/* A shallow copy: the rows stay f->ev's, lent until the next step. */
	*ev = f->ev;
	f->pending = false;
	return 1;
}

static int fleet_pollfds(void *self, struct pollfd *fds, int max)
{
	struct fleet *f = self;

	return xfer_multi_pollfds(&f->xm, fds, max);
}

static int64_t fleet_next_wakeup(void *self, int64_t now)
{
	struct fleet *f = self;
	int64_t t;

	if (f->pending || f->filling)
		return now;
	if (f->round != ROUND_NONE) {
		t = xfer_multi_timer(&f->xm, now);
		return t >= 0 ? t : SOURCE_NO_WAKEUP;
	}
	return f->paused ? SOURCE_NO_WAKEUP : f->next_ms;
}

static void fleet_describe(void *self, char *buf, size_t len)
{
	struct fleet *f = self;
	char name[METRICS_NAME_LEN + 8];

	if (f->drilled)
		str_printf(name, sizeof(name), ": %s", f->drill_name);
	else
		name[0] = '\0';
	str_printf(buf, len, "%s%s %s by %s%s%s%s", f->shown, f->insecure ? " (insecure)" : "",
		   f->have_profile ? f->profile.name : "(profile?)", f->by,
		   f->match.n > 0 ? " " : "", f->match_shown, name);
}

static const char *fleet_row_noun(void *self)
{
	struct fleet *f = self;

	if (!f->drilled)
		return f->by;
	return f->profile.row_noun[0] != '\0' ? f->profile.row_noun : "upstream";
}

static void fleet_set_interval(void *self, int64_t interval_ms)
{
	struct fleet *f = self;

	if (interval_ms <= 0)
		return;
	f->interval_ms = interval_ms;
	if (f->round == ROUND_NONE && f->failures == 0 && f->started_ms != 0)
		f->next_ms = f->started_ms + interval_ms;
}

static void fleet_set_paused(void *self, bool paused, int64_t mono_ms)
{
	struct fleet *f = self;

	(void)mono_ms;
	f->paused = paused;
}

/*
 * The instance's label value behind a row name: the names are label values
 * through the funnel, so the one whose copy is the name. The last round's
 * answers and the instances seen are where to look.
 */
static bool fleet_find_key(struct fleet *f, const char *name, char *key, size_t len)
{
	char copy[METRICS_NAME_LEN];

	for (size_t i = 0; i < f->seen.n; i++) {
		metrics_copy_text(copy, sizeof(copy), f->seen.names[i]);
		if (strcmp(copy, name) == 0 && strlen(f->seen.names[i]) < len) {
			str_printf(key, len, "%s", f->seen.names[i]);
			return true;
		}
	}
	if (f->req0[PLAN_A] < 0)
		return false;
	for (int q = 0; q < f->plans[PLAN_A].n; q++) {
		const struct fleet_req *r = &f->reqs[f->req0[PLAN_A] + q];

		for (size_t k = 0; r->usable && k < r->ans.nseries; k++) {
			const char *v = promapi_label(&r->ans, &r->ans.series[k], f->by);

			if (v == NULL)
				continue;
			metrics_copy_text(copy, sizeof(copy), v);
			if (strcmp(copy, name) == 0 && strlen(v) < len) {
				str_printf(key, len, "%s", v);
				return true;
			}
		}
	}
	return false;
}

static int fleet_drill(void *self, const char *row, size_t points, char *msg, size_t len)
{
	struct fleet *f = self;
	char err[SOURCE_MSG_LEN];
	bool was = f->drilled;
	char key[PROMQUERY_VALUE_LEN], name[METRICS_NAME_LEN];

	if (!f->have_profile) {
		str_printf(msg, len, "not yet: the router profile is still being looked for");
		return -1;
	}
	if (row == NULL && !f->drilled) {
		str_printf(msg, len, "already the whole fleet");
		return -1;
	}
	if (row != NULL && f->drilled) {
		str_printf(msg, len, "already in %s %s: Esc goes back to the fleet", f->by,
			   f->drill_name);
		return -1;
	}
	if (row != NULL && !fleet_find_key(f, row, key, sizeof(key))) {
		str_printf(msg, len, "cannot tell which %s '%s' is: its name was changed to show it",
			   f->by, row);
		return -1;
	}
	str_printf(name, sizeof(name), "%s", row != NULL ? row : f->drill_name);
	if (row != NULL) {
		str_printf(f->drill_key, sizeof(f->drill_key), "%s", key);
		str_printf(f->drill_name, sizeof(f->drill_name), "%s", row);
	}
	f->drilled = row != NULL;
	if (fleet_plan(f, err, sizeof(err)) != 0) {
		f->drilled = was;
		fleet_plan(f, msg, len);
		str_printf(msg, len, "cannot show %s %s: %s", f->by, name, err);
		return -1;
	}
	fleet_cancel(f);
	f->restart_next = true;
	f->fill_points = points < FLEET_FILL_MAX ? points : FLEET_FILL_MAX;
	f->next_ms = INT64_MIN / 2;
	if (f->drilled)
		str_printf(msg, len, "%s %s: its %ss; its charts come from Prometheus", f->by, name,
			   fleet_row_noun(f));
	else
		str_printf(msg, len, "the whole fleet again");
	return 0;
}

static const char *fleet_drilled(void *self)
{
	struct fleet *f = self;

	return f->drilled ? f->drill_name : NULL;
}

static void fleet_destroy(void *self)
{
	struct fleet *f = self;

	for (int k = 0; k < FLEET_REQS; k++) {
		struct fleet_req *r = &f->reqs[k];

		if (r->easy != NULL) {
			if (r->busy)
				curl_multi_remove_handle(f->xm.multi, r->easy);
			curl_easy_cleanup(r->easy);
		}
		xfer_body_free(&r->body);
		promapi_free(&r->ans);
	}
	xfer_multi_cleanup(&f->xm);
	curl_slist_free_all(f->headers);
	metrics_free(&f->ev.snap);
	fleet_builder_free(&f->builder);
	fleet_seen_free(&f->seen);
	free(f->base);
	free(f);
	curl_global_cleanup();
}

static const struct source_ops fleet_ops = {
	.name = "fleet",
	.describe = fleet_describe,
	.pollfds = fleet_pollfds,
	.next_wakeup = fleet_next_wakeup,
	.step = fleet_step,
	.set_interval = fleet_set_interval,
	.set_paused = fleet_set_paused,
	.destroy = fleet_destroy,
	.row_noun = fleet_row_noun,
	.drill = fleet_drill,
	.drilled = fleet_drilled,
};

/* The server's URL: http(s), no query or fragment (the API's paths go after it). */
static int fleet_base(struct fleet *f, const char *url, char *err, size_t errlen)
{
	size_t n;

	if (xfer_check_url(url, f->shown, sizeof(f->shown), err, errlen) != 0)
		return -1;
	if (strpbrk(url, "?#") != NULL) {
		str_printf(err, errlen, "bad Prometheus URL '%s': give the server's address, such as "
			   "http://prometheus:9090, without a query", f->shown);
		return -1;
	}
	f->base = xstrdup(url);
	n = strlen(f->base);
	while (n > 0 && f->base[n - 1] == '/')
		f->base[--n] = '\0';
	n = strlen(f->shown);
	while (n > 0 && f->shown[n - 1] == '/')
		f->shown[--n] = '\0';
	return 0;
}

static int fleet_options_read(struct fleet *f, const struct fleet_options *o, char *err,
			      size_t errlen)
{
	const char *by = o->by != NULL ? o->by : "instance";
	const char *window = o->window != NULL ? o->window : "1m";

	if (!promquery_label_ok(by)) {
		sanitize_copy(f->match_shown, sizeof(f->match_shown), by, 0);
		str_printf(err, errlen, "--by: '%s' is not a label name", f->match_shown);
		return -1;
	}
	if (!promquery_duration_ok(window)) {
		sanitize_copy(f->match_shown, sizeof(f->match_shown), window, 0);
		str_printf(err, errlen, "--window: '%s' is not a duration such as 1m or 90s",
			   f->match_shown);
		return -1;
	}
	str_printf(f->by, sizeof(f->by), "%s", by);
	str_printf(f->window, sizeof(f->window), "%s", window);
	f->match_shown[0] = '\0';
	if (o->match != NULL) {
		if (promquery_match_parse(o->match, &f->match, err, errlen) != 0)
			return -1;
		sanitize_copy(f->match_shown, sizeof(f->match_shown), o->match, 0);
	}
	if (o->profile != NULL && strcmp(o->profile, "auto") != 0) {
		if (profile_load(o->profile, &f->profile, err, errlen) != 0)
			return -1;
		f->have_profile = true;
		fleet_families(&f->profile, &f->fam);
		return fleet_plan(f, err, errlen);
	}
	fleet_plan_detect(f);
	return 0;
}

struct source *source_fleet_new(const struct fleet_options *o, char *err, size_t errlen)
{
	struct fleet *f;

	if (o->url == NULL) {
		str_printf(err, errlen, "fleet: no Prometheus URL given");
		return NULL;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		str_printf(err, errlen, "cannot initialise libcurl");
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->interval_ms = o->interval_ms > 0 ? o->interval_ms : FLEET_DEFAULT_INTERVAL_MS;
	f->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : FLEET_DEFAULT_TIMEOUT_MS;
	f->max_body = o->max_body > 0 ? o->max_body : FLEET_BODY_DEFAULT;
	f->insecure = o->insecure;
	f->next_ms = INT64_MIN / 2;	/* the first round is due at once */
	for (int p = 0; p < FLEET_PLANS; p++)
		f->req0[p] = -1;
	metrics_init(&f->ev.snap);
	xfer_multi_init(&f->xm, FLEET_CONNS);
	if (fleet_base(f, o->url, err, errlen) != 0 || fleet_options_read(f, o, err, errlen) != 0 ||
	    (o->header_file != NULL &&
	     http_read_header_file(o->header_file, &f->headers, err, errlen) != 0)) {
		fleet_destroy(f);
		return NULL;
	}
	return source_new(&fleet_ops, f, f->interval_ms);
}
