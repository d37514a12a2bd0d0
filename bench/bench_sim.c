/*
 * How many simulated requests per second one core pushes through the whole
 * pipeline (load, limiter, routing to 4 upstreams, each one's breaker,
 * backend queue and tracker, and the router's tracker). Goal: at least 5
 * million. Prints `sim_requests_per_s`; one operation of the harness is a
 * millisecond of virtual time, and the work counted is the requests it held.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "util.h"

/*
 * Open-loop arrivals plus busy users against four upstreams with room to
 * spare, so nearly every request goes the whole way (a tripped breaker
 * would make requests cheap and the number meaningless: the summary line
 * shows it).
 */
static const char bench_json[] =
	"{\"name\":\"bench\","
	"\"backend\":{\"median_ms\":1,\"p99_ms\":5,\"concurrency\":800,\"timeout_ms\":200},"
	"\"limiter\":{\"rate\":900000,\"burst\":1000},"
	"\"upstreams\":[{\"name\":\"chat\",\"weight\":4},{\"name\":\"embeddings\",\"weight\":3},"
	"{\"name\":\"search\",\"weight\":2},{\"name\":\"moderation\",\"weight\":1}],"
	"\"phases\":[{\"duration_ms\":3600000,\"users\":200,\"think_ms\":1,\"rate\":500000,"
	"\"faults\":{\"failure\":0.001,\"timeout\":0.0005,\"validation\":0.001}}]}";

struct sim_ctx {
	struct sim *s;
	int64_t vt;		/* virtual microseconds simulated so far */
};

static uint64_t run_sim(void *ctx, uint64_t n)
{
	struct sim_ctx *c = ctx;
	uint64_t before = sim_requests(c->s);

	c->vt += (int64_t)n * 1000;
	sim_run_until(c->s, c->vt);
	if (sim_finished(c->s))
		return 0;	/* the scenario ran out: the figure would be wrong */
	return sim_requests(c->s) - before;
}

int main(void)
{
	static struct scenario sc;
	char err[256];
	struct metrics_snapshot m = { 0 };
	struct bench b;
	struct sim_ctx c = { 0 };
	struct bench_spec spec = {
		.name = "sim_requests_per_s", .unit = "req/s", .kind = BENCH_PER_S,
		.run = run_sim, .ctx = &c,
	};

	bench_init(&b, "bench_sim");
	if (!bench_wanted(&b, spec.name))
		return 0;
	if (scenario_parse(bench_json, strlen(bench_json), "bench", &sc, err, sizeof(err)) < 0)
		fatal("%s", err);
	c.s = sim_new(&sc, 42);
	bench_measure(&b, &spec, NULL);
	sim_snapshot(c.s, &m);
	fprintf(stderr, "# sim: %llu requests (%lld succeeded, %lld rate limited, %lld breaker trips) "
		"in %.0f virtual s\n", (unsigned long long)sim_requests(c.s),
		(long long)m.requests.succeeded, (long long)m.errors.rate_limited,
		(long long)m.errors.breaker_trips, (double)c.vt / 1e6);
	metrics_free(&m);
	sim_free(c.s);
	return bench_finish(&b);
}
