/*
 * How many simulated requests per second one core pushes through the whole
 * pipeline (load, limiter, breaker, backend queue, tracker). Goal: at least
 * 5 million. Prints `sim_requests_per_s <v> req/s`.
 */
#include <stdio.h>
#include <string.h>

#include "sim/scenario.h"
#include "sim/sim.h"
#include "util.h"

/*
 * Open-loop arrivals plus busy users against a backend with room to spare,
 * so nearly every request goes the whole way (a tripped breaker would make
 * requests cheap and the number meaningless: the summary line shows it).
 */
static const char bench_json[] =
	"{\"name\":\"bench\","
	"\"backend\":{\"median_ms\":1,\"p99_ms\":5,\"concurrency\":2000,\"timeout_ms\":200},"
	"\"limiter\":{\"rate\":900000,\"burst\":1000},"
	"\"phases\":[{\"duration_ms\":3600000,\"users\":200,\"think_ms\":1,\"rate\":500000,"
	"\"faults\":{\"failure\":0.001,\"timeout\":0.0005,\"validation\":0.001}}]}";

int main(void)
{
	static struct scenario sc;
	char err[256];
	struct metrics_snapshot m;
	struct sim *s;
	int64_t t0, t1, vt = 0;
	uint64_t n;

	if (scenario_parse(bench_json, strlen(bench_json), "bench", &sc, err, sizeof(err)) < 0)
		fatal("%s", err);
	s = sim_new(&sc, 42);
	t0 = clock_monotonic_ms();
	/* Run in one-second slices of virtual time until two seconds of wall time have passed. */
	do {
		vt += 1000000;
		sim_run_until(s, vt);
		t1 = clock_monotonic_ms();
	} while (t1 - t0 < 2000);
	n = sim_requests(s);
	printf("sim_requests_per_s %.0f req/s\n", (double)n * 1000.0 / (double)(t1 - t0));
	sim_snapshot(s, &m);
	printf("# %llu requests (%lld succeeded, %lld rate limited, %lld breaker trips), "
	       "%.0f virtual s in %.2f wall s\n", (unsigned long long)n,
	       (long long)m.requests.succeeded, (long long)m.errors.rate_limited,
	       (long long)m.errors.breaker_trips, (double)vt / 1e6, (double)(t1 - t0) / 1000.0);
	sim_free(s);
	return 0;
}
