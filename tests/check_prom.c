/*
 * Check suite for src/source/prom.c: Prometheus scrapes into snapshots.
 * Every expected number is worked out by hand from the expositions below
 * (the routertop profile: buckets in seconds, so 0.01 is 10 ms).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "source/prom.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

/* Scrape 1 at 0 ms: a has 40 latencies (10 <= 10 ms, 20 more <= 100 ms, 10 more <= 1 s), b 10. */
static const char scrape1[] =
	"# TYPE routertop_request_duration_seconds histogram\n"
	"routertop_request_duration_seconds_bucket{upstream=\"a\",le=\"0.01\"} 10\n"
	"routertop_request_duration_seconds_bucket{upstream=\"a\",le=\"0.1\"} 30\n"
	"routertop_request_duration_seconds_bucket{upstream=\"a\",le=\"1\"} 40\n"
	"routertop_request_duration_seconds_bucket{upstream=\"a\",le=\"+Inf\"} 40\n"
	"routertop_request_duration_seconds_sum{upstream=\"a\"} 2\n"
	"routertop_request_duration_seconds_count{upstream=\"a\"} 40\n"
	"routertop_request_duration_seconds_bucket{upstream=\"b\",le=\"0.01\"} 0\n"
	"routertop_request_duration_seconds_bucket{upstream=\"b\",le=\"0.1\"} 0\n"
	"routertop_request_duration_seconds_bucket{upstream=\"b\",le=\"1\"} 5\n"
	"routertop_request_duration_seconds_bucket{upstream=\"b\",le=\"+Inf\"} 10\n"
	"routertop_request_duration_seconds_sum{upstream=\"b\"} 20\n"
	"routertop_request_duration_seconds_count{upstream=\"b\"} 10\n"
	"# TYPE routertop_requests_total counter\n"
	"routertop_requests_total{upstream=\"a\"} 100\n"
	"routertop_requests_total{upstream=\"b\"} 50\n"
	"# TYPE routertop_requests_failed_total counter\n"
	"routertop_requests_failed_total{upstream=\"a\"} 1\n"
	"routertop_requests_failed_total{upstream=\"b\"} 10\n"
	"# TYPE routertop_errors_total counter\n"
	"routertop_errors_total{upstream=\"a\",class=\"timeout\"} 1\n"
	"routertop_errors_total{upstream=\"b\",class=\"breaker\"} 7\n"
	"# TYPE routertop_breaker_state gauge\n"
	"routertop_breaker_state{upstream=\"a\",state=\"closed\"} 1\n"
	"routertop_breaker_state{upstream=\"a\",state=\"open\"} 0\n"
	"routertop_breaker_state{upstream=\"b\",state=\"closed\"} 0\n"
	"routertop_breaker_state{upstream=\"b\",state=\"open\"} 1\n";

/*
 * Scrape 2 at 10,000 ms: a got 40 more shaped the same (+10, +30, +40, sum
 * +3 s); b restarted (its counters went down): 4 latencies, 2 <= 100 ms.
 */
static const char scrape2[] =
	"routertop_request_duration_seconds_bucket{upstream=\"a\",le=\"0.01\"} 20\n"
	"routertop_request_duration_seconds_bucket{upstream=\"a\",le=\"0.1\"} 60\n"
	"routertop_request_duration_seconds_bucket{upstream=\"a\",le=\"1\"} 80\n"
	"routertop_request_duration_seconds_bucket{upstream=\"a\",le=\"+Inf\"} 80\n"
	"routertop_request_duration_seconds_sum{upstream=\"a\"} 5\n"
	"routertop_request_duration_seconds_count{upstream=\"a\"} 80\n"
	"routertop_request_duration_seconds_bucket{upstream=\"b\",le=\"0.01\"} 0\n"
	"routertop_request_duration_seconds_bucket{upstream=\"b\",le=\"0.1\"} 2\n"
	"routertop_request_duration_seconds_bucket{upstream=\"b\",le=\"1\"} 4\n"
	"routertop_request_duration_seconds_bucket{upstream=\"b\",le=\"+Inf\"} 4\n"
	"routertop_request_duration_seconds_sum{upstream=\"b\"} 1\n"
	"routertop_request_duration_seconds_count{upstream=\"b\"} 4\n"
	"routertop_requests_total{upstream=\"a\"} 300\n"
	"routertop_requests_total{upstream=\"b\"} 8\n"
	"routertop_requests_failed_total{upstream=\"a\"} 11\n"
	"routertop_requests_failed_total{upstream=\"b\"} 4\n"
	"routertop_breaker_state{upstream=\"a\",state=\"closed\"} 1\n"
	"routertop_breaker_state{upstream=\"b\",state=\"closed\"} 1\n";

static struct prom_reader *reader(const char *profile, const char *by)
{
	struct source_text_options o = { .profile = profile, .by = by };
	char err[256];
	struct prom_reader *r = prom_reader_new(&o, err, sizeof(err));

	ck_assert_msg(r != NULL, "%s", err);
	return r;
}

static void read_ok(struct prom_reader *r, const char *text, int64_t at, struct metrics_snapshot *s)
{
	char err[256];

	ck_assert_msg(prom_reader_read(r, text, strlen(text), NULL, at, s, err, sizeof(err)) == 0,
		      "%s", err);
}

static const struct metrics_snapshot *row(const struct metrics_snapshot *s, const char *name)
{
	ptrdiff_t i = metrics_row_index(s, name);

	ck_assert_msg(i >= 0, "no row %s", name);
	return &s->rows[i].snap;
}

/* The first scrape: lifetime percentiles marked so, no rates, lifetime failure rate. */
START_TEST(test_first_scrape)
{
	struct prom_reader *r = reader("auto", NULL);
	struct metrics_snapshot s;
	const struct metrics_snapshot *a, *b;
	char desc[64];

	metrics_init(&s);
	/* Until auto has picked a profile, no noun: the screen says "upstream". */
	ck_assert_ptr_null(prom_reader_row_noun(r));
	read_ok(r, scrape1, 0, &s);
	ck_assert_str_eq(prom_reader_profile(r)->name, "routertop");
	prom_reader_describe(r, desc, sizeof(desc));
	ck_assert_str_eq(desc, "routertop by upstream");
	ck_assert_str_eq(prom_reader_row_noun(r), "upstream");
	ck_assert_uint_eq(s.nrows, 2);
	a = row(&s, "a");
	/* Rank 20 of 40 in (10, 100]: 10 + 90 x (20 - 10)/(30 - 10) */
	ck_assert(NEAR(a->latency.p50, 55.0));
	ck_assert_int_eq(a->percentiles, METRICS_PCT_LIFETIME);
	ck_assert_int_eq(a->latency.count, 40);
	ck_assert(NEAR(a->latency.avg, 50.0));	/* 2 s over 40 */
	ck_assert(isnan(a->throughput.per_second));
	ck_assert(NEAR(a->breaker.failure_rate, 0.01));	/* 1 of 100, since the start */
	ck_assert_int_eq(a->requests.total, 100);
	ck_assert_int_eq(a->errors.timeouts, 1);
	ck_assert_int_eq(a->errors.breaker_trips, 0);	/* exposed, none for a */
	ck_assert_int_eq(a->errors.validation, 0);
	ck_assert_int_eq(a->breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(a->breaker.healthy, 1);
	b = row(&s, "b");
	ck_assert_int_eq(b->breaker.state, BREAKER_OPEN);
	ck_assert_int_eq(b->breaker.healthy, 0);
	ck_assert_int_eq(b->errors.breaker_trips, 7);
	/* Rank 5 of 10 ends (100, 1000]: 100 + 900 x 5/5; rank 9.9 is in +Inf: 1000 */
	ck_assert(NEAR(b->latency.p50, 1000.0));
	ck_assert(NEAR(b->latency.p99, 1000.0));
	/* The whole router: merged buckets 10: 10, 100: 30, 1000: 45, +Inf: 50. */
	ck_assert_int_eq(s.percentiles, METRICS_PCT_LIFETIME);
	ck_assert(NEAR(s.latency.p50, 77.5));	/* rank 25: 10 + 90 x (25 - 10)/(30 - 10) */
	ck_assert_int_eq(s.breaker.state, BREAKER_OPEN);
	ck_assert(NEAR(s.breaker.failure_rate, 11.0 / 150.0));
	metrics_free(&s);
	prom_reader_free(r);
}
END_TEST

START_TEST(test_interval_and_reset)
{
	struct prom_reader *r = reader("routertop", NULL);
	struct metrics_snapshot s;
	const struct metrics_snapshot *a, *b;
	double merged_p50;

	metrics_init(&s);
	read_ok(r, scrape1, 0, &s);
	read_ok(r, scrape2, 10000, &s);
	a = row(&s, "a");
	ck_assert_int_eq(a->percentiles, METRICS_PCT_BUCKETS);
	ck_assert(NEAR(a->latency.p50, 55.0));	/* rank 20 of the 40 new: 10 + 90 x 10/20 */
	ck_assert(NEAR(a->latency.p90, 640.0));	/* rank 36: 100 + 900 x 6/10 */
	ck_assert(NEAR(a->latency.p95, 820.0));	/* rank 38: 100 + 900 x 8/10 */
	ck_assert(NEAR(a->latency.p99, 964.0));	/* rank 39.6: 100 + 900 x 9.6/10 */
	ck_assert(NEAR(a->latency.p999, 996.4));	/* rank 39.96 */
	ck_assert_int_eq(a->latency.count, 40);
	ck_assert(NEAR(a->latency.avg, 75.0));	/* 3 s more over 40 more */
	ck_assert(NEAR(a->throughput.per_second, 20.0));	/* 200 more in 10 s */
	ck_assert(NEAR(a->throughput.per_minute, 1200.0));
	ck_assert(NEAR(a->breaker.failure_rate, 0.05));	/* 10 more failed of 200 */
	ck_assert_int_eq(a->requests.total, 300);	/* counters stay cumulative */
	/* b restarted: the newer scrape alone, marked as not the interval. */
	b = row(&s, "b");
	ck_assert_int_eq(b->percentiles, METRICS_PCT_LIFETIME);
	ck_assert(NEAR(b->latency.p50, 100.0));	/* rank 2 of 4 ends (10, 100] */
	ck_assert(NEAR(b->latency.avg, 250.0));	/* 1 s over 4 */
	ck_assert(NEAR(b->throughput.per_second, 0.8));	/* 8 since the restart, over 10 s */
	ck_assert(NEAR(b->breaker.failure_rate, 0.5));
	ck_assert_int_eq(b->breaker.state, BREAKER_CLOSED);
	ck_assert_int_eq(b->errors.breaker_trips, METRICS_NONE);	/* no longer exposed */
	/* The router: a's increase plus b's new life, 10: 10, 100: 32, 1000: 44, +Inf: 44. */
	merged_p50 = 10.0 + 90.0 * (22.0 - 10.0) / (32.0 - 10.0);
	ck_assert_int_eq(s.percentiles, METRICS_PCT_BUCKETS);
	ck_assert(NEAR(s.latency.p50, merged_p50));
	ck_assert(NEAR(s.throughput.per_second, 20.8));
	ck_assert(NEAR(s.breaker.failure_rate, 14.0 / 208.0));
	metrics_free(&s);
	prom_reader_free(r);
}
END_TEST

/* Nothing happened between two scrapes: no percentiles (n/a, never 0), a rate of 0. */
START_TEST(test_empty_interval)
{
	struct prom_reader *r = reader("routertop", NULL);
	struct metrics_snapshot s;
	const struct metrics_snapshot *a;

	metrics_init(&s);
	read_ok(r, scrape1, 0, &s);
	read_ok(r, scrape1, 5000, &s);
	a = row(&s, "a");
	ck_assert(isnan(a->latency.p50) && isnan(a->latency.p99));
	ck_assert(isnan(a->latency.avg));
	ck_assert_int_eq(a->latency.count, 0);
	ck_assert(!metrics_latency_known(&a->latency));
	ck_assert(a->throughput.per_second == 0.0);
	ck_assert(isnan(a->breaker.failure_rate));
	metrics_free(&s);
	prom_reader_free(r);
}
END_TEST

/* A row that appears in the second scrape has no interval of its own yet. */
START_TEST(test_new_row)
{
	struct prom_reader *r = reader("routertop", NULL);
	struct metrics_snapshot s;
	const struct metrics_snapshot *c;
	char text[sizeof(scrape1) + 256];

	metrics_init(&s);
	read_ok(r, scrape1, 0, &s);
	snprintf(text, sizeof(text), "%s%s", scrape1, "routertop_requests_total{upstream=\"c\"} 9\n");
	read_ok(r, text, 1000, &s);
	ck_assert_uint_eq(s.nrows, 3);
	c = row(&s, "c");
	ck_assert(isnan(c->throughput.per_second));
	ck_assert_int_eq(c->requests.total, 9);
	metrics_free(&s);
	prom_reader_free(r);
}
END_TEST

/* Summaries are read as given; HAProxy's averages and maxima of 0 mean no data. */
START_TEST(test_summary_and_average)
{
	struct prom_reader *r;
	struct metrics_snapshot s;
	char summary_profile[64];
	const char *text =
		"# TYPE lat summary\n"
		"lat{svc=\"x\",quantile=\"0.5\"} 0.02\n"
		"lat{svc=\"x\",quantile=\"0.99\"} 0.5\n"
		"lat_sum{svc=\"x\"} 3\n"
		"lat_count{svc=\"x\"} 100\n";
	FILE *f;

	snprintf(summary_profile, sizeof(summary_profile), "/tmp/check_prom_%d.profile", (int)getpid());
	f = fopen(summary_profile, "w");
	fputs("profile sum\nrows svc\nlatency summary lat s\n", f);
	fclose(f);
	r = reader(summary_profile, NULL);
	metrics_init(&s);
	read_ok(r, text, 0, &s);
	ck_assert_int_eq(row(&s, "x")->percentiles, METRICS_PCT_SUMMARY);
	ck_assert(NEAR(row(&s, "x")->latency.p50, 20.0));
	ck_assert(NEAR(row(&s, "x")->latency.p99, 500.0));
	ck_assert(isnan(row(&s, "x")->latency.p90));
	ck_assert(NEAR(row(&s, "x")->latency.avg, 30.0));
	/* Never merged across rows. */
	ck_assert(isnan(s.latency.p50));
	prom_reader_free(r);
	remove(summary_profile);

	r = reader("haproxy", NULL);
	read_ok(r, "haproxy_backend_http_requests_total{proxy=\"p\"} 5\n"
		   "haproxy_backend_total_time_average_seconds{proxy=\"p\"} 0\n"
		   "haproxy_backend_total_time_average_seconds{proxy=\"q\"} 0.25\n"
		   "haproxy_backend_max_total_time_seconds{proxy=\"p\"} 0\n", 0, &s);
	ck_assert(isnan(row(&s, "p")->latency.avg));
	ck_assert(isnan(row(&s, "p")->latency.max));
	ck_assert(NEAR(row(&s, "q")->latency.avg, 250.0));
	ck_assert(isnan(row(&s, "p")->latency.p50));
	ck_assert_int_eq(row(&s, "p")->percentiles, METRICS_PCT_UNSAID);
	/* The screen's list calls HAProxy's rows backends. */
	ck_assert_str_eq(prom_reader_row_noun(r), "backend");
	metrics_free(&s);
	prom_reader_free(r);
}
END_TEST

/* The router's own word for a state is kept, sanitised, beside the state. */
START_TEST(test_breaker_word)
{
	struct prom_reader *r = reader("resilience4j", NULL);
	struct metrics_snapshot s;

	metrics_init(&s);
	read_ok(r, "resilience4j_circuitbreaker_state{name=\"b\",state=\"forced_open\",} 1.0\n"
		   "resilience4j_circuitbreaker_state{name=\"b\",state=\"closed\",} 0.0\n", 0, &s);
	ck_assert_int_eq(row(&s, "b")->breaker.state, BREAKER_OPEN);
	ck_assert_str_eq(row(&s, "b")->breaker.recommendation, "forced_open (resilience4j)");
	metrics_free(&s);
	prom_reader_free(r);
}
END_TEST

/* Label values are outside text: sanitised, and kept apart when that makes two alike. */
START_TEST(test_row_names)
{
	struct prom_reader *r = reader("routertop", NULL);
	struct metrics_snapshot s;

	metrics_init(&s);
	read_ok(r, "routertop_requests_total{upstream=\"a b\"} 1\n"
		   "routertop_requests_total{upstream=\"a\\nb\"} 2\n"
		   "routertop_requests_total{upstream=\"\x1b[31mred\"} 3\n", 0, &s);
	ck_assert_uint_eq(s.nrows, 3);
	ck_assert_str_eq(s.rows[0].name, "a b");
	ck_assert_str_eq(s.rows[1].name, "a b #2");
	ck_assert_str_eq(s.rows[2].name, " [31mred");
	ck_assert_int_eq(metrics_rows_check(&s, NULL, 0), 0);
	metrics_free(&s);
	prom_reader_free(r);
}
END_TEST

START_TEST(test_errors)
{
	struct prom_reader *r = reader("auto", NULL);
	struct metrics_snapshot s;
	char err[256], desc[64];
	const char *first;
	struct source_text_options bad = { .profile = "nope" };

	metrics_init(&s);
	ck_assert_int_eq(prom_reader_read(r, "up 1\n", 5, NULL, 0, &s, err, sizeof(err)), -1);
	ck_assert(strncmp(err, "no built-in profile fits this exposition", 40) == 0);
	prom_reader_free(r);
	r = reader("envoy", NULL);
	ck_assert_int_eq(prom_reader_read(r, scrape1, strlen(scrape1), NULL, 0, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "none of the envoy profile's metrics (envoy_cluster_upstream_rq_total, "
			      "envoy_cluster_upstream_rq_time_bucket) in the exposition");
	prom_reader_free(r);
	/* Bad lines are skipped and counted; the header says how many. */
	r = reader("routertop", "upstream");
	read_ok(r, "routertop_requests_total{upstream=\"a\"} 1\nbroken{\n", 0, &s);
	ck_assert_uint_eq(prom_reader_bad_lines(r, &first), 1);
	ck_assert_str_eq(first, "line 2: expected a label name or '}'");
	prom_reader_describe(r, desc, sizeof(desc));
	ck_assert_str_eq(desc, "routertop by upstream, 1 bad line");
	prom_reader_free(r);
	ck_assert_ptr_null(prom_reader_new(&bad, err, sizeof(err)));
	ck_assert(strncmp(err, "unknown profile 'nope'", 22) == 0);
	metrics_free(&s);
}
END_TEST

static const struct {
	enum source_input forced;
	const char *type, *body;
	enum source_input want;
} kinds[] = {
	{ SOURCE_INPUT_AUTO, "application/json", "# TYPE x gauge", SOURCE_INPUT_JSON },
	{ SOURCE_INPUT_AUTO, "application/openmetrics-text; version=1.0.0", "{", SOURCE_INPUT_PROMETHEUS },
	{ SOURCE_INPUT_AUTO, "text/plain; version=0.0.4; charset=utf-8", "{", SOURCE_INPUT_PROMETHEUS },
	{ SOURCE_INPUT_AUTO, "text/plain", "  \n{\"latency\":{}}", SOURCE_INPUT_JSON },
	{ SOURCE_INPUT_AUTO, "text/plain", "x 1\n", SOURCE_INPUT_PROMETHEUS },
	{ SOURCE_INPUT_AUTO, NULL, "# HELP x y\n", SOURCE_INPUT_PROMETHEUS },
	{ SOURCE_INPUT_AUTO, NULL, "{}", SOURCE_INPUT_JSON },
	{ SOURCE_INPUT_AUTO, NULL, "", SOURCE_INPUT_JSON },
	{ SOURCE_INPUT_JSON, "text/plain; version=0.0.4", "x 1", SOURCE_INPUT_JSON },
	{ SOURCE_INPUT_PROMETHEUS, "application/json", "{}", SOURCE_INPUT_PROMETHEUS },
};

START_TEST(test_body_kind)
{
	ck_assert_int_eq(prom_body_kind(kinds[_i].forced, kinds[_i].type, kinds[_i].body,
					strlen(kinds[_i].body)),
			 kinds[_i].want);
}
END_TEST

START_TEST(test_accept_and_input)
{
	enum source_input in;

	ck_assert(strncmp(prom_accept_header(SOURCE_INPUT_AUTO), "Accept: application/json,", 25) == 0);
	ck_assert(strstr(prom_accept_header(SOURCE_INPUT_AUTO), "openmetrics") != NULL);
	ck_assert_str_eq(prom_accept_header(SOURCE_INPUT_JSON), "Accept: application/json");
	ck_assert(strncmp(prom_accept_header(SOURCE_INPUT_PROMETHEUS),
			  "Accept: application/openmetrics-text", 36) == 0);
	ck_assert(strstr(prom_accept_header(SOURCE_INPUT_PROMETHEUS), "json") == NULL);
	ck_assert_int_eq(prom_input_parse("prometheus", &in), 0);
	ck_assert_int_eq(in, SOURCE_INPUT_PROMETHEUS);
	ck_assert_int_eq(prom_input_parse("json", &in), 0);
	ck_assert_int_eq(in, SOURCE_INPUT_JSON);
	ck_assert_int_eq(prom_input_parse("auto", &in), 0);
	ck_assert_int_eq(in, SOURCE_INPUT_AUTO);
	ck_assert_int_eq(prom_input_parse("xml", &in), -1);
}
END_TEST

static Suite *prom_suite(void)
{
	Suite *s = suite_create("prom");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_first_scrape);
	tcase_add_test(tc, test_interval_and_reset);
	tcase_add_test(tc, test_empty_interval);
	tcase_add_test(tc, test_new_row);
	tcase_add_test(tc, test_summary_and_average);
	tcase_add_test(tc, test_breaker_word);
	tcase_add_test(tc, test_row_names);
	tcase_add_test(tc, test_errors);
	tcase_add_loop_test(tc, test_body_kind, 0, (int)(sizeof(kinds) / sizeof(kinds[0])));
	tcase_add_test(tc, test_accept_and_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(prom_suite());
}
