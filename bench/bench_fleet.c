/*
 * A fleet of 1,000 routers through Prometheus' HTTP API: one interval's
 * answers parsed (promapi_parse, 30 answers for the routertop profile, the
 * breakers' with 5 upstreams an instance), turned into the snapshot
 * (fleet_build_fleet), evaluated (monitor_handle, monitor_update: every
 * row against its targets) and one frame drawn (view_update, panels_draw
 * into a 200x60 canvas, as bench_list). Goal: at most 20 ms.
 * Prints `fleet_1000_rows_frame_ms` (bench/bench_fleet).
 *
 * The answers are served first by a loopback stand-in for Prometheus
 * (tests/prom_stub.c) to the fleet source itself, which must make 1,000
 * rows of them: what is measured is what routertop fleet reads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "formats/profile.h"
#include "formats/promapi.h"
#include "formats/promquery.h"
#include "monitor.h"
#include "prom_stub.h"
#include "quiet.h"
#include "source/fleet.h"
#include "source/source.h"
#include "ui/canvas.h"
#include "ui/list.h"
#include "ui/panels.h"
#include "ui/view.h"
#include "util.h"

#define INSTANCES 1000
#define UPSTREAMS 5
#define FETCH_LIMIT_MS 20000

/* What instance i answers to query q (a fixed pseudo-random spread). */
static double value_of(const struct promquery_query *q, int i)
{
	uint32_t x = (uint32_t)i * 2654435761u;

	switch (q->what) {
	case PROMQUERY_UP:
		return i % 97 == 0 ? 0 : 1;
	case PROMQUERY_P50:
		return 0.01 + (double)(x % 50) / 1000;
	case PROMQUERY_P90:
		return 0.04 + (double)(x % 80) / 1000;
	case PROMQUERY_P95:
		return 0.06 + (double)(x % 150) / 1000;
	case PROMQUERY_P99:
		return 0.1 + (double)(x % 600) / 1000;
	case PROMQUERY_AVG:
		return 0.02 + (double)(x % 30) / 1000;
	case PROMQUERY_RATE:
		return 50 + (double)(x % 400);
	case PROMQUERY_REQUESTS:
		return 1e6 + (double)(x % 100000);
	case PROMQUERY_FAILED:
	case PROMQUERY_ERRORS:
		return (double)(x % 500);
	case PROMQUERY_FAILED_RATE:
		return (double)(x % 7) / 10;
	default:
		return 1;
	}
}

/* The answer to query q of the fleet plan (total false) or the total plan. */
static char *answer(const struct promquery_query *q, bool total)
{
	struct bench_text t = { 0 };

	bench_text_printf(&t, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
			  "\"result\":[");
	if (total) {
		bench_text_printf(&t, "{\"metric\":{},\"value\":[1795000000.5,\"%.17g\"]}",
				  value_of(q, 7) * INSTANCES);
	} else {
		for (int i = 0; i < INSTANCES; i++) {
			if (q->what != PROMQUERY_BREAKER) {
				bench_text_printf(&t, "%s{\"metric\":{\"instance\":\"10.1.%d.%d:9090\"},"
						  "\"value\":[1795000000.5,\"%.17g\"]}", i ? "," : "",
						  i / 250, i % 250, value_of(q, i));
				continue;
			}
			for (int u = 0; u < UPSTREAMS; u++)
				bench_text_printf(&t, "%s{\"metric\":{\"instance\":\"10.1.%d.%d:9090\","
						  "\"state\":\"%s\",\"upstream\":\"svc-%d\"},"
						  "\"value\":[1795000000.5,\"1\"]}",
						  i || u ? "," : "", i / 250, i % 250,
						  (i * UPSTREAMS + u) % 37 == 0 ? "open" : "closed", u);
		}
	}
	bench_text_printf(&t, "]}}");
	return t.buf;
}

struct ctx {
	const struct promquery_plan *plans[2];
	char **bodies[2];
	struct promapi_answer ans[2][PROMQUERY_PLAN_MAX];
	const struct promapi_answer *ptr[2][PROMQUERY_PLAN_MAX];
	struct profile profile;
	struct fleet_builder b;
	struct fleet_seen seen;
	struct metrics_snapshot snap;
	struct monitor m;
	struct list list;
	struct view view;
	struct canvas *c;
	struct view_input in;
	int64_t t;
};

static uint64_t run_frame(void *arg, uint64_t n)
{
	struct ctx *x = arg;
	struct fleet_view v = { &x->profile, "instance", "upstream" };
	char err[256];

	for (uint64_t k = 0; k < n; k++) {
		struct fleet_answers fa = { x->plans[0], x->ptr[0] }, ta = { x->plans[1], x->ptr[1] };
		struct source_event ev = { .kind = SOURCE_SNAPSHOT };

		for (int p = 0; p < 2; p++) {
			for (int i = 0; i < x->plans[p]->n; i++) {
				if (promapi_parse(&x->ans[p][i], x->bodies[p][i], strlen(x->bodies[p][i]),
						  err, sizeof(err)) != 0)
					return 0;
				x->ptr[p][i] = &x->ans[p][i];
			}
		}
		fleet_build_fleet(&x->b, &v, &fa, &ta, &x->seen, NAN, &x->snap);
		x->t += 5000;
		ev.at_ms = ev.wall_ms = x->t;
		ev.snap = x->snap;
		monitor_handle(&x->m, &ev);
		monitor_update(&x->m, x->t);
		x->in.mono_ms = x->in.wall_ms = x->t;
		view_update(&x->view, &x->m, &x->in);
		panels_draw(x->c, &x->view);
	}
	/* A frame without the fleet's list measures something else: no figure. */
	return x->view.list.on && x->view.list.total == INSTANCES ? n : 0;
}

/* The fleet source itself against the stand-in: does it make 1,000 rows of these answers? */
static int fetch_check(struct prom_stub *stub, char *why, size_t len)
{
	struct fleet_options o = { .profile = "routertop", .interval_ms = 5000, .timeout_ms = 10000 };
	char url[64], err[256];
	struct source *src;
	struct source_event ev;
	int64_t end = clock_monotonic_ms() + FETCH_LIMIT_MS;
	int rc = -1;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u", prom_stub_port(stub));
	o.url = url;
	src = source_fleet_new(&o, err, sizeof(err));
	if (src == NULL) {
		snprintf(why, len, "%s", err);
		return -1;
	}
	snprintf(why, len, "no answer from the stand-in within %d s", FETCH_LIMIT_MS / 1000);
	while (clock_monotonic_ms() < end) {
		if (source_step(src, clock_monotonic_ms(), &ev) == 1) {
			if (ev.kind == SOURCE_SNAPSHOT && ev.snap.nrows == INSTANCES && ev.message[0] == '\0')
				rc = 0;
			else
				snprintf(why, len, "the fleet made %zu rows: %.120s", ev.snap.nrows, ev.message);
			break;
		}
		source_wait(src, -1, 100);
	}
	source_free(src);
	return rc;
}

static const struct source_ops quiet_ops = {
	.name = "fleet", .describe = bench_quiet_describe, .step = bench_quiet_step,
};
static char quiet_title[] = "http://prometheus:9090 routertop by instance";

int main(void)
{
	struct bench b;
	static struct ctx x;
	static struct promquery_plan plans[2];
	struct target_set ts;
	struct source *src;
	struct prom_stub *stub;
	struct promquery_families f;
	char err[256];
	struct bench_spec spec = {
		.name = "fleet_1000_rows_frame_ms", .unit = "ms", .kind = BENCH_MS_PER_OP,
		.run = run_frame, .ctx = &x,
	};
	int rc;

	bench_init(&b, "bench_fleet");
	if (!bench_wanted(&b, spec.name))
		return 0;
	if (profile_load("routertop", &x.profile, err, sizeof(err)) != 0)
		return bench_fail(&b, spec.name, err), bench_finish(&b);
	fleet_families(&x.profile, &f);
	stub = prom_stub_start();
	if (stub == NULL)
		return bench_fail(&b, spec.name, "cannot start the loopback stand-in"), bench_finish(&b);
	for (int p = 0; p < 2; p++) {
		struct promquery_scope s = { .level = p == 0 ? PROMQUERY_FLEET : PROMQUERY_TOTAL,
					     .by = "instance", .window = "1m" };

		if (promquery_plan(&f, &s, &plans[p], err, sizeof(err)) != 0)
			return bench_fail(&b, spec.name, err), bench_finish(&b);
		x.plans[p] = &plans[p];
		x.bodies[p] = xcalloc((size_t)plans[p].n, sizeof(char *));
		for (int i = 0; i < plans[p].n; i++) {
			x.bodies[p][i] = answer(&plans[p].q[i], p == 1);
			prom_stub_set(stub, "query", plans[p].q[i].text, 200, x.bodies[p][i], 0);
		}
	}
	rc = fetch_check(stub, err, sizeof(err));
	prom_stub_stop(stub);
	if (rc != 0)
		return bench_fail(&b, spec.name, err), bench_finish(&b);
	targets_defaults(&ts);
	src = source_new(&quiet_ops, quiet_title, 5000);
	monitor_init(&x.m, src, &ts, NULL, VIEW_SERIES);
	metrics_init(&x.snap);
	x.c = canvas_new(200, 60);
	x.t = 1000;
	x.in = (struct view_input){ .program = "routertop bench", .utf8 = true, .width = 200,
		.height = 60, .list = &x.list };
	bench_measure(&b, &spec, NULL);
	for (int p = 0; p < 2; p++) {
		for (int i = 0; i < plans[p].n; i++) {
			promapi_free(&x.ans[p][i]);
			free(x.bodies[p][i]);
		}
		free(x.bodies[p]);
	}
	canvas_free(x.c);
	list_free(&x.list);
	monitor_free(&x.m);
	metrics_free(&x.snap);
	fleet_builder_free(&x.b);
	fleet_seen_free(&x.seen);
	source_free(src);
	return bench_finish(&b);
}
