/*
 * Tests for batch output: every format against a known monitor (golden
 * strings), unknown values in every format, and batch_run driven by a
 * scripted source for the once, continuous, fault, end and signal cases.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "full_recorder.h"
#include "openmetrics.h"
#include "output.h"
#include "record/writer.h"

#define OUT_MAX 8192

/* --- A scripted source: hands out a fixed list of events, one per step. --- */

/* Pseudo kinds: raise SIGINT instead of an event; a snapshot with the rows of rows_fill(0 or 1). */
enum { SCRIPT_RAISE = 100, SCRIPT_ROWS0, SCRIPT_ROWS1 };

struct script_item {
	int kind;
	int64_t at_ms;
	double p95;		/* NAN: unknown */
	const char *message;
};

struct script {
	const struct script_item *items;
	size_t n, next;
	int64_t now;
	bool idle_step;		/* alternate events with "nothing pending" */
};

static void script_describe(void *self, char *buf, size_t len)
{
	(void)self;
	snprintf(buf, len, "script:test");
}

static void rows_fill(struct metrics_snapshot *s, int k);
static struct metrics_snapshot script_held;	/* what the script lends, as a source does */

static int64_t script_next_wakeup(void *self, int64_t mono_ms)
{
	struct script *sc = self;

	return sc->next < sc->n ? mono_ms : SOURCE_NO_WAKEUP;
}

static void script_snapshot(struct metrics_snapshot *s, double p95)
{
	metrics_init(s);
	s->latency.p50 = 45.2;
	s->latency.p90 = 89.3;
	s->latency.p95 = p95;
	s->latency.p99 = 234.1;
	s->throughput.per_second = 156.3;
	s->errors = (struct metrics_errors){ 0, 2, 1, 3, METRICS_NONE };
	s->breaker.state = BREAKER_CLOSED;
	s->breaker.healthy = 1;
	s->breaker.failure_rate = 0.004;
}

static int script_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	struct script *sc = self;
	const struct script_item *it;

	(void)mono_ms;
	if (sc->next >= sc->n)
		return 0;
	if (sc->idle_step) {
		sc->idle_step = false;
		return 0;
	}
	sc->idle_step = true;
	it = &sc->items[sc->next++];
	if (it->kind == SCRIPT_RAISE) {
		raise(SIGINT);
		return 0;
	}
	memset(ev, 0, sizeof(*ev));
	ev->kind = it->kind >= SCRIPT_ROWS0 ? SOURCE_SNAPSHOT : (enum source_event_kind)it->kind;
	ev->at_ms = it->at_ms;
	ev->wall_ms = 1764000000000 + it->at_ms;
	sc->now = it->at_ms;
	metrics_free(&script_held);
	script_snapshot(&script_held, it->p95);
	if (it->kind >= SCRIPT_ROWS0)
		rows_fill(&script_held, it->kind - SCRIPT_ROWS0);
	ev->snap = script_held;
	if (it->message != NULL)
		snprintf(ev->message, sizeof(ev->message), "%s", it->message);
	return 1;
}

static int64_t script_clock(void *self, int64_t mono_ms)
{
	(void)mono_ms;
	return ((struct script *)self)->now;
}

static const struct source_ops script_ops = {
	.name = "script",
	.describe = script_describe,
	.next_wakeup = script_next_wakeup,
	.step = script_step,
	.clock = script_clock,
};

/* --- A hand-built monitor: history from the real ring, evaluation set by hand. --- */

static struct out_fixture {
	struct script sc;
	struct source *src;
	struct target_set ts;
	struct monitor m;
	char out[OUT_MAX], err[OUT_MAX];
} fx;

static void setup(void)
{
	memset(&fx, 0, sizeof(fx));
	fx.src = source_new(&script_ops, &fx.sc, 1000);
	fx.ts = (struct target_set){ .limit = { 150, 500, 100, 1, 60 }, .warn_band = 0.2 };
	monitor_init(&fx.m, fx.src, &fx.ts, NULL, 10);
}

static void teardown(void)
{
	metrics_free(&script_held);
	monitor_free(&fx.m);
	source_free(fx.src);
}

static void set_result(enum target_id id, enum target_status st, double value, const char *note)
{
	fx.m.eval.t[id] = (struct target_result){ .status = st, .value = value, .note = note };
}

/* The design's example: P95 in the warn band, everything else fine. */
static void known_monitor(void)
{
	struct metrics_snapshot s;

	script_snapshot(&s, 125.7);
	history_push(fx.m.hist, &s, 12000);
	set_result(TARGET_P95, STATUS_WARN, 125.7, NULL);
	set_result(TARGET_P99, STATUS_OK, 234.1, NULL);
	set_result(TARGET_THROUGHPUT, STATUS_OK, 156.3, NULL);
	set_result(TARGET_ERROR_RATE, STATUS_OK, 0.4, NULL);
	set_result(TARGET_RECOVERY, STATUS_OK, 38, NULL);
	fx.m.eval.overall = STATUS_WARN;
}

/* The seeds' open-breaker sample: almost no throughput, every request failing. */
static void critical_monitor(void)
{
	struct metrics_snapshot s;

	script_snapshot(&s, 125.7);
	s.throughput.per_second = 0.032;
	s.breaker.state = BREAKER_OPEN;
	s.breaker.healthy = 0;
	s.breaker.failure_rate = 1.0;
	snprintf(s.breaker.recommendation, sizeof(s.breaker.recommendation), "Service degraded");
	history_push(fx.m.hist, &s, 3000);
	set_result(TARGET_P95, STATUS_WARN, 125.7, NULL);
	set_result(TARGET_P99, STATUS_OK, 234.1, NULL);
	set_result(TARGET_THROUGHPUT, STATUS_FAIL, 0.032, NULL);
	set_result(TARGET_ERROR_RATE, STATUS_FAIL, 100, NULL);
	set_result(TARGET_RECOVERY, STATUS_UNKNOWN, NAN, "no data");
	fx.m.eval.overall = STATUS_FAIL;
}

/* Nothing known at all. */
static void unknown_monitor(void)
{
	struct metrics_snapshot s;

	metrics_init(&s);
	history_push(fx.m.hist, &s, 1500);
	for (int i = 0; i < TARGET_COUNT; i++)
		set_result((enum target_id)i, STATUS_UNKNOWN, NAN, "no data");
	fx.m.eval.overall = STATUS_UNKNOWN;
}

/* A row of the rows monitor, at snapshot k (0 or 1): counters grow between them. */
static void rows_fill(struct metrics_snapshot *s, int k)
{
	struct metrics_row *r;

	r = metrics_row_add(s, "chat");
	r->snap.latency = (struct metrics_latency){ 45.2, 89.3, 125.7, 234.1, NAN, 456.2, 3.1, 67.8, 7218 };
	r->snap.throughput.per_second = 120.3;
	r->snap.breaker.state = BREAKER_CLOSED;
	r->snap.breaker.state_since_ms = 59000 + 1000 * k;
	r->snap.requests = (struct metrics_requests){ 1000 + 100 * k, 999 + 100 * k, 1, 0 };
	r = metrics_row_add(s, "search");
	r->snap.latency = (struct metrics_latency){ 31, 640, 980, 1000, NAN, 1000, 4, 301.5, 2880 };
	r->snap.throughput.per_second = 48;
	r->snap.breaker.state = BREAKER_OPEN;
	r->snap.breaker.state_since_ms = 11000 + 1000 * k;
	r->snap.requests = (struct metrics_requests){ 110 + 48 * k, 100 + 28 * k, 10 + 20 * k, 0 };
	r = metrics_row_add(s, "a,b 'q'=");
	r->snap.latency = (struct metrics_latency){ 5, 8, 10, 20, NAN, 25, 1, 6, 300 };
	r->snap.throughput.per_second = 5;
	r->snap.breaker.state = BREAKER_CLOSED;
	r->snap.requests = (struct metrics_requests){ 50 + 5 * k, 50 + 5 * k, 0, 0 };
}

/*
 * The router fine, one row failing (search: breaker open, P99 1000 ms, 41.7 %
 * errors), one in the warn band (chat: P95 125.7 ms) and one with a name
 * that csv and nagios must quote. Evaluated for real, at 12 s.
 */
static void rows_monitor(void)
{
	for (int k = 0; k < 2; k++) {
		struct source_event ev = { .kind = SOURCE_SNAPSHOT, .at_ms = 11000 + 1000 * k };

		script_snapshot(&ev.snap, 100);
		ev.snap.latency.p99 = 300;
		ev.snap.throughput.per_second = 173.3;
		rows_fill(&ev.snap, k);
		monitor_handle(&fx.m, &ev);
		metrics_free(&ev.snap);
	}
	fx.sc.now = 12000;
	monitor_update(&fx.m, 0);
}

/* Run fn's output into fx.out. */
static const char *capture(enum output_format fmt, bool first, bool once)
{
	FILE *f = tmpfile();
	size_t n;

	ck_assert_ptr_nonnull(f);
	if (once)
		output_write_once(f, fmt, &fx.m);
	else
		output_write(f, fmt, &fx.m, first);
	rewind(f);
	n = fread(fx.out, 1, sizeof(fx.out) - 1, f);
	fx.out[n] = '\0';
	fclose(f);
	return fx.out;
}

static const struct {
	const char *name;
	int rc;
	enum output_format fmt;
} format_names[] = {
	{ "text", 0, FORMAT_TEXT }, { "json", 0, FORMAT_JSON }, { "csv", 0, FORMAT_CSV },
	{ "nagios", 0, FORMAT_NAGIOS }, { "openmetrics", 0, FORMAT_OPENMETRICS },
	{ "", -1, FORMAT_TEXT }, { "TEXT", -1, FORMAT_TEXT },
	{ "xml", -1, FORMAT_TEXT }, { "jsonl", -1, FORMAT_TEXT },
};

START_TEST(test_format_parse)
{
	enum output_format f = FORMAT_NAGIOS;
	int rc = output_format_parse(format_names[_i].name, &f);

	ck_assert_int_eq(rc, format_names[_i].rc);
	if (rc == 0)
		ck_assert_int_eq(f, format_names[_i].fmt);
}
END_TEST

START_TEST(test_text_line)
{
	known_monitor();
	ck_assert_str_eq(capture(FORMAT_TEXT, true, false),
			 "+12.0s breaker=closed p95=125.7ms p99=234.1ms rps=156.3 err=0.4% | "
			 "p95 WARN p99 OK throughput OK error-rate OK recovery OK => WARN\n");
}
END_TEST

START_TEST(test_text_report)
{
	critical_monitor();
	ck_assert_str_eq(capture(FORMAT_TEXT, true, true),
			 "source      script:test  (at +3.0s)\n"
			 "breaker     open, unhealthy, \"Service degraded\"\n"
			 "latency     P50 45.2  P95 125.7  P99 234.1 ms\n"
			 "throughput  0.032 req/s\n"
			 "errors      rate 100.0%, breaker trips 0, rate limited 2, timeouts 1, failures 3\n"
			 "targets\n"
			 "  p95         125.7 ms       < 150 ms       WARN\n"
			 "  p99         234.1 ms       < 500 ms       OK\n"
			 "  throughput  0.032 req/s    > 100 req/s    FAIL\n"
			 "  error-rate  100.0%         < 1%           FAIL\n"
			 "  recovery    n/a            < 60 s         UNKNOWN (no data)\n"
			 "overall     FAIL\n");
}
END_TEST

START_TEST(test_json)
{
	cJSON *o, *t, *p95, *rec;

	known_monitor();
	capture(FORMAT_JSON, true, false);
	ck_assert_ptr_eq(strchr(fx.out, '\n'), fx.out + strlen(fx.out) - 1);
	o = cJSON_Parse(fx.out);
	ck_assert_ptr_nonnull(o);
	ck_assert(cJSON_GetObjectItem(o, "t")->valuedouble == 12000);
	ck_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "metrics"), "latency"),
				      "p95")->valuedouble == 125.7);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "status")->valuestring, "WARN");
	t = cJSON_GetObjectItem(o, "targets");
	ck_assert_int_eq(cJSON_GetArraySize(t), TARGET_COUNT);
	p95 = cJSON_GetObjectItem(t, "p95");
	ck_assert(cJSON_GetObjectItem(p95, "value")->valuedouble == 125.7);
	ck_assert(cJSON_GetObjectItem(p95, "limit")->valuedouble == 150);
	ck_assert_str_eq(cJSON_GetObjectItem(p95, "status")->valuestring, "WARN");
	rec = cJSON_GetObjectItem(t, "recovery");
	ck_assert(cJSON_GetObjectItem(rec, "value")->valuedouble == 38);
	ck_assert(strstr(fx.out, "\"targets\":{\"p95\":{\"value\":125.7,\"limit\":150,\"status\":\"WARN\"},"
			 "\"p99\":{\"value\":234.1,\"limit\":500,\"status\":\"OK\"},") != NULL);
	ck_assert(strstr(fx.out, "},\"status\":\"WARN\"}\n") != NULL);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_csv)
{
	const char *header =
		"t_ms,row,breaker,p50_ms,p90_ms,p95_ms,p99_ms,rps,error_rate_pct,breaker_trips,"
		"rate_limited,timeouts,failures,p95_status,p99_status,throughput_status,"
		"error_rate_status,recovery_status,status\n";
	const char *row = "12000,,closed,45.2,89.3,125.7,234.1,156.3,0.4,0,2,1,3,WARN,OK,OK,OK,OK,WARN\n";
	char want[1024];

	known_monitor();
	snprintf(want, sizeof(want), "%s%s", header, row);
	ck_assert_str_eq(capture(FORMAT_CSV, true, false), want);
	ck_assert_str_eq(capture(FORMAT_CSV, false, false), row);
	ck_assert_str_eq(capture(FORMAT_CSV, false, true), want);
}
END_TEST

START_TEST(test_nagios_warning)
{
	known_monitor();
	ck_assert_str_eq(capture(FORMAT_NAGIOS, true, false),
			 "ROUTERTOP WARNING - p95 125.7 ms (limit < 150); breaker closed | "
			 "'p95'=125.7ms;120;150 'p99'=234.1ms;400;500 'rps'=156.3;120:;100: "
			 "'error_rate'=0.4%;0.8;1 'recovery'=38s;48;60\n");
}
END_TEST

START_TEST(test_nagios_critical)
{
	critical_monitor();
	ck_assert_str_eq(capture(FORMAT_NAGIOS, true, false),
			 "ROUTERTOP CRITICAL - throughput 0.032 req/s (limit > 100), "
			 "error-rate 100.0% (limit < 1); breaker open | "
			 "'p95'=125.7ms;120;150 'p99'=234.1ms;400;500 'rps'=0.032;120:;100: "
			 "'error_rate'=100%;0.8;1\n");
}
END_TEST

START_TEST(test_nagios_ok)
{
	known_monitor();
	set_result(TARGET_P95, STATUS_OK, 100, NULL);
	fx.m.eval.overall = STATUS_OK;
	ck_assert(strncmp(capture(FORMAT_NAGIOS, true, false),
			  "ROUTERTOP OK - all targets met; breaker closed | 'p95'=100ms;120;150 ", 68) == 0);
}
END_TEST

START_TEST(test_unknown_values)
{
	cJSON *o, *p95;

	unknown_monitor();
	ck_assert_str_eq(capture(FORMAT_TEXT, true, false),
			 "+1.5s breaker=unknown p95=n/a p99=n/a rps=n/a err=n/a | "
			 "p95 UNKNOWN p99 UNKNOWN throughput UNKNOWN error-rate UNKNOWN recovery UNKNOWN"
			 " => UNKNOWN\n");
	capture(FORMAT_TEXT, true, true);
	ck_assert(strstr(fx.out, "latency     P50 n/a  P95 n/a  P99 n/a ms\n") != NULL);
	ck_assert(strstr(fx.out, "  p95         n/a            < 150 ms       UNKNOWN (no data)\n") != NULL);
	ck_assert_str_eq(capture(FORMAT_CSV, false, false),
			 "1500,,,,,,,,,,,,,UNKNOWN,UNKNOWN,UNKNOWN,UNKNOWN,UNKNOWN,UNKNOWN\n");
	ck_assert_str_eq(capture(FORMAT_NAGIOS, false, false),
			 "ROUTERTOP UNKNOWN - p95 n/a (no data), p99 n/a (no data), throughput n/a (no data), "
			 "error-rate n/a (no data), recovery n/a (no data); breaker unknown\n");
	capture(FORMAT_JSON, false, false);
	o = cJSON_Parse(fx.out);
	ck_assert_ptr_nonnull(o);
	p95 = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "targets"), "p95");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(p95, "value")));
	ck_assert_str_eq(cJSON_GetObjectItem(p95, "status")->valuestring, "UNKNOWN");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "status")->valuestring, "UNKNOWN");
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_rows_text)
{
	rows_monitor();
	ck_assert_int_eq(fx.m.eval.overall, STATUS_OK);
	ck_assert_int_eq(monitor_status(&fx.m), STATUS_FAIL);
	ck_assert_str_eq(capture(FORMAT_TEXT, true, false),
			 "+12.0s breaker=closed p95=100.0ms p99=300.0ms rps=173.3 err=0.4% | "
			 "p95 OK p99 OK throughput OK error-rate OK recovery OK => FAIL\n"
			 "  ROW       BREAKER      FOR    REQ/S      P50      P95      P99  ERR %  STATUS\n"
			 "  chat      closed     1m00s    120.3     45.2    125.7    234.1    0.0  WARN\n"
			 "  search    open         12s     48.0     31.0    980.0   1000.0   41.7  FAIL\n"
			 "  a,b 'q'=  closed       n/a      5.0      5.0     10.0     20.0    0.0  OK\n");
	capture(FORMAT_TEXT, true, true);
	ck_assert_msg(strstr(fx.out, "router      OK\nrows        3\n  ROW ") != NULL, "%s", fx.out);
	ck_assert(strstr(fx.out, "  search    open         12s     48.0") != NULL);
	ck_assert(strstr(fx.out, "overall     FAIL\n") != NULL);
}
END_TEST

START_TEST(test_rows_json)
{
	cJSON *o, *rows, *search, *t;

	rows_monitor();
	capture(FORMAT_JSON, true, false);
	o = cJSON_Parse(fx.out);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "status")->valuestring, "FAIL");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "routerStatus")->valuestring, "OK");
	/* The router's metrics are its own; the rows come each with theirs. */
	ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "metrics"), "upstreams"));
	rows = cJSON_GetObjectItem(o, "rows");
	ck_assert_int_eq(cJSON_GetArraySize(rows), 3);
	search = cJSON_GetArrayItem(rows, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(search, "name")->valuestring, "search");
	ck_assert_str_eq(cJSON_GetObjectItem(search, "status")->valuestring, "FAIL");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(search, "metrics"),
				"circuitBreakerStatus"), "state")->valuestring, "open");
	t = cJSON_GetObjectItem(search, "targets");
	ck_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "p99"), "value")->valuedouble == 1000);
	ck_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "p99"), "limit")->valuedouble == 500);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "p99"), "status")->valuestring, "FAIL");
	/* A row has no throughput target unless one is set for it. */
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "throughput"), "limit")));
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "throughput"), "status")->valuestring,
			 "OK");
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_rows_csv)
{
	rows_monitor();
	ck_assert_str_eq(capture(FORMAT_CSV, true, false),
			 "t_ms,row,breaker,p50_ms,p90_ms,p95_ms,p99_ms,rps,error_rate_pct,breaker_trips,"
			 "rate_limited,timeouts,failures,p95_status,p99_status,throughput_status,"
			 "error_rate_status,recovery_status,status\n"
			 "12000,,closed,45.2,89.3,100,300,173.3,0.4,0,2,1,3,OK,OK,OK,OK,OK,FAIL\n"
			 "12000,chat,closed,45.2,89.3,125.7,234.1,120.3,0,,,,,WARN,OK,OK,OK,OK,WARN\n"
			 "12000,search,open,31,640,980,1000,48,41.6667,,,,,FAIL,FAIL,OK,FAIL,OK,FAIL\n"
			 "12000,\"a,b 'q'=\",closed,5,8,10,20,5,0,,,,,OK,OK,OK,OK,OK,OK\n");
}
END_TEST

START_TEST(test_rows_nagios)
{
	rows_monitor();
	ck_assert_str_eq(capture(FORMAT_NAGIOS, true, false),
			 "ROUTERTOP CRITICAL - search p95 980.0 ms (limit < 150), "
			 "search p99 1000.0 ms (limit < 500), search error-rate 41.7% (limit < 1); "
			 "breaker closed | 'p95'=100ms;120;150 'p99'=300ms;400;500 'rps'=173.3;120:;100: "
			 "'error_rate'=0.4%;0.8;1 "
			 "'chat p95'=125.7ms;120;150 'chat p99'=234.1ms;400;500 'chat rps'=120.3 "
			 "'chat error_rate'=0%;0.8;1 "
			 "'search p95'=980ms;120;150 'search p99'=1000ms;400;500 'search rps'=48 "
			 "'search error_rate'=41.6667%;0.8;1 'search recovery'=12s;48;60 "
			 "'a,b ''q''_ p95'=10ms;120;150 'a,b ''q''_ p99'=20ms;400;500 'a,b ''q''_ rps'=5 "
			 "'a,b ''q''_ error_rate'=0%;0.8;1\n");
}
END_TEST

/* Before any snapshot there is still a well-formed record. */
START_TEST(test_no_snapshot_yet)
{
	ck_assert(strncmp(capture(FORMAT_TEXT, true, false), "+0.0s breaker=unknown p95=n/a ", 28) == 0);
	ck_assert(strncmp(capture(FORMAT_NAGIOS, true, false), "ROUTERTOP UNKNOWN - ", 20) == 0);
}
END_TEST

/* --- batch_run --- */

static int run_script_targets(const struct script_item *items, size_t n, enum output_format fmt,
			      bool once, struct recorder *rec, const struct target_set *ts)
{
	FILE *out = tmpfile(), *err = tmpfile();
	struct batch_options o = { .format = fmt, .once = once, .targets = ts, .rec = rec,
				   .out = out, .err = err };
	size_t len;
	int rc;

	ck_assert(out != NULL && err != NULL);
	fx.sc = (struct script){ .items = items, .n = n };
	rc = batch_run(fx.src, &o);
	rewind(out);
	len = fread(fx.out, 1, sizeof(fx.out) - 1, out);
	fx.out[len] = '\0';
	rewind(err);
	len = fread(fx.err, 1, sizeof(fx.err) - 1, err);
	fx.err[len] = '\0';
	fclose(out);
	fclose(err);
	return rc;
}

static int run_script(const struct script_item *items, size_t n, enum output_format fmt, bool once,
		      struct recorder *rec)
{
	return run_script_targets(items, n, fmt, once, rec, &fx.ts);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The exit status is the worst of the router and its rows; a row's own targets change it. */
START_TEST(test_batch_rows_status)
{
	static const struct script_item items[] = {
		{ SCRIPT_ROWS0, 1000, 100, NULL },
		{ SCRIPT_ROWS1, 2000, 100, NULL },
		{ SOURCE_END, 3000, NAN, NULL },
	};
	struct target_set ts = fx.ts;
	char err[256];

	ck_assert_int_eq(run_script(items, N(items), FORMAT_NAGIOS, false, NULL), 2);
	ck_assert_int_eq(count_lines(fx.out), 2);
	ck_assert(strncmp(fx.out, "ROUTERTOP CRITICAL - search ", 28) == 0);
	ck_assert_int_eq(targets_set(&ts, "search:p95=2000", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "search:p99 = 2s", err, sizeof(err)), 0);
	ck_assert_int_eq(targets_set(&ts, "search:error-rate=60", err, sizeof(err)), 0);
	/* Now only chat's P95 is in the warn band. */
	ck_assert_int_eq(run_script_targets(items, N(items), FORMAT_NAGIOS, false, NULL, &ts), 1);
	ck_assert_msg(strstr(fx.out, "\nROUTERTOP WARNING - chat p95 125.7 ms (limit < 150); ") != NULL,
		      "%s", fx.out);
	ck_assert(strstr(fx.out, "'search p99'=1000ms;1600;2000 ") != NULL);
}
END_TEST

START_TEST(test_batch_once_fail)
{
	static const struct script_item items[] = {
		{ SOURCE_NOTICE, 500, NAN, "{\"type\":\"breaker\"}" },
		{ SOURCE_SNAPSHOT, 1000, 200, NULL },
		{ SOURCE_SNAPSHOT, 2000, 100, NULL },
		{ SOURCE_END, 3000, NAN, NULL },
	};

	ck_assert_int_eq(run_script(items, N(items), FORMAT_TEXT, true, NULL), 2);
	ck_assert(strstr(fx.out, "  p95         200.0 ms       < 150 ms       FAIL\n") != NULL);
	ck_assert(strstr(fx.out, "overall     FAIL\n") != NULL);
	ck_assert_str_eq(fx.err, "");
	ck_assert_uint_eq(fx.sc.next, 2);	/* stopped after the first snapshot */
}
END_TEST

/* Without targets the defaults apply (P95 < 150 ms); with stricter ones the verdict follows them. */
START_TEST(test_batch_targets)
{
	static const struct script_item items[] = {
		{ SOURCE_SNAPSHOT, 1000, 140, NULL },
	};
	struct target_set strict = fx.ts;

	ck_assert_int_eq(run_script_targets(items, N(items), FORMAT_CSV, true, NULL, NULL), 1);
	ck_assert(strstr(fx.out, ",WARN,") != NULL);
	strict.limit[TARGET_P95] = 100;
	ck_assert_int_eq(run_script_targets(items, N(items), FORMAT_CSV, true, NULL, &strict), 2);
	ck_assert(strstr(fx.out, ",FAIL,") != NULL);
}
END_TEST

START_TEST(test_batch_once_warn_nagios)
{
	static const struct script_item items[] = {
		{ SOURCE_SNAPSHOT, 1000, 130, NULL },
		{ SOURCE_END, 3000, NAN, NULL },
	};

	ck_assert_int_eq(run_script(items, N(items), FORMAT_NAGIOS, true, NULL), 1);
	ck_assert(strncmp(fx.out, "ROUTERTOP WARNING - p95 130.0 ms (limit < 150); breaker closed | ", 65) == 0);
	ck_assert_int_eq(count_lines(fx.out), 1);
}
END_TEST

START_TEST(test_batch_once_fault)
{
	static const struct script_item items[] = {
		{ SOURCE_ERROR, 1000, NAN, "HTTP 500 from http://127.0.0.1:1/metrics" },
		{ SOURCE_SNAPSHOT, 2000, 100, NULL },
	};

	ck_assert_int_eq(run_script(items, N(items), FORMAT_TEXT, true, NULL), 3);
	ck_assert_str_eq(fx.out, "");
	ck_assert_str_eq(fx.err, "routertop: HTTP 500 from http://127.0.0.1:1/metrics\n");
	ck_assert_int_eq(run_script(items, N(items), FORMAT_NAGIOS, true, NULL), 3);
	ck_assert_str_eq(fx.out, "ROUTERTOP UNKNOWN - HTTP 500 from http://127.0.0.1:1/metrics\n");
	ck_assert_str_eq(fx.err, "routertop: HTTP 500 from http://127.0.0.1:1/metrics\n");
}
END_TEST

/* A fault message with a peer's escape sequences and a '|' that would forge perfdata. */
START_TEST(test_batch_hostile_fault)
{
	static const struct script_item items[] = {
		{ SOURCE_ERROR, 1000, NAN, "HTTP 503 \x1b]0;PWNED\x07oops\xc2\x9b | fake_perf=0;1;2" },
	};

	ck_assert_int_eq(run_script(items, N(items), FORMAT_NAGIOS, true, NULL), 3);
	ck_assert_str_eq(fx.out, "ROUTERTOP UNKNOWN - HTTP 503  ]0;PWNED oops  / fake_perf=0;1;2\n");
	ck_assert_str_eq(fx.err, "routertop: HTTP 503  ]0;PWNED oops  | fake_perf=0;1;2\n");
}
END_TEST

/* A recommendation that slipped past the parser still leaves every format clean. */
START_TEST(test_hostile_text_in_every_format)
{
	static const enum output_format fmts[] = { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_NAGIOS };
	struct metrics_snapshot s;

	known_monitor();
	script_snapshot(&s, 125.7);
	snprintf(s.breaker.recommendation, sizeof(s.breaker.recommendation), "%s",
		 "x\x1b[31m\xc2\x9d\xe2\x80\xae|y");
	history_push(fx.m.hist, &s, 13000);
	for (size_t i = 0; i < N(fmts); i++)
		for (int once = 0; once < 2; once++) {
			const char *out = capture(fmts[i], true, once);

			ck_assert_msg(strchr(out, '\x1b') == NULL, "ESC in format %zu", i);
			ck_assert_msg(strstr(out, "\xc2\x9d") == NULL, "C1 in format %zu", i);
			ck_assert_msg(strstr(out, "\xe2\x80\xae") == NULL, "RLO in format %zu", i);
		}
	ck_assert(strstr(capture(FORMAT_TEXT, true, true), "\"x [31m |y\"") != NULL);
}
END_TEST

START_TEST(test_batch_continuous)
{
	static const struct script_item items[] = {
		{ SOURCE_SNAPSHOT, 1000, 200, NULL },
		{ SOURCE_ERROR, 2000, NAN, "command timed out after 4 s" },
		{ SOURCE_NOTICE, 2500, NAN, "{\"type\":\"breaker\"}" },
		{ SOURCE_SNAPSHOT, 3000, 130, NULL },
		{ SOURCE_END, 3000, NAN, NULL },
		{ SOURCE_SNAPSHOT, 4000, 100, NULL },
	};

	ck_assert_int_eq(run_script(items, N(items), FORMAT_TEXT, false, NULL), 1);
	ck_assert_int_eq(count_lines(fx.out), 2);
	ck_assert(strncmp(fx.out, "+1.0s breaker=closed p95=200.0ms ", 33) == 0);
	ck_assert(strstr(fx.out, "\n+3.0s breaker=closed p95=130.0ms ") != NULL);
	ck_assert(strstr(fx.out, "p95 FAIL") != NULL);
	ck_assert_str_eq(fx.err, "routertop: command timed out after 4 s\n");
	ck_assert_uint_eq(fx.sc.next, 5);	/* nothing read after the end */
}
END_TEST

START_TEST(test_batch_same_bytes_twice)
{
	static const struct script_item items[] = {
		{ SOURCE_SNAPSHOT, 1000, 200, NULL },
		{ SOURCE_SNAPSHOT, 2000, 130, NULL },
		{ SOURCE_END, 3000, NAN, NULL },
	};
	char first[OUT_MAX];

	run_script(items, N(items), FORMAT_CSV, false, NULL);
	snprintf(first, sizeof(first), "%s", fx.out);
	ck_assert_int_eq(count_lines(first), 3);	/* header and two rows */
	run_script(items, N(items), FORMAT_CSV, false, NULL);
	ck_assert_str_eq(fx.out, first);
}
END_TEST

START_TEST(test_batch_end_without_snapshot)
{
	static const struct script_item items[] = {
		{ SOURCE_ERROR, 1000, NAN, "connection refused" },
		{ SOURCE_END, 2000, NAN, NULL },
	};

	ck_assert_int_eq(run_script(items, N(items), FORMAT_JSON, false, NULL), 3);
	ck_assert_str_eq(fx.out, "");
	ck_assert_str_eq(fx.err, "routertop: connection refused\n"
			 "routertop: the source ended before its first snapshot\n");
	ck_assert_int_eq(run_script(items + 1, 1, FORMAT_JSON, true, NULL), 3);
	ck_assert_str_eq(fx.out, "");
	ck_assert_int_eq(run_script(items + 1, 1, FORMAT_NAGIOS, true, NULL), 3);
	ck_assert_str_eq(fx.out, "ROUTERTOP UNKNOWN - the source ended before its first snapshot\n");
}
END_TEST

START_TEST(test_batch_sigint_stops)
{
	static const struct script_item items[] = {
		{ SOURCE_SNAPSHOT, 1000, 130, NULL },
		{ SCRIPT_RAISE, 0, NAN, NULL },
		{ SOURCE_SNAPSHOT, 2000, 200, NULL },
		{ SOURCE_END, 3000, NAN, NULL },
	};
	struct sigaction before, after;

	sigaction(SIGINT, NULL, &before);
	ck_assert_int_eq(run_script(items, N(items), FORMAT_TEXT, false, NULL), 1);
	ck_assert_int_eq(count_lines(fx.out), 1);
	ck_assert_uint_eq(fx.sc.next, 2);
	/* The caller's disposition is back once batch_run returns. */
	sigaction(SIGINT, NULL, &after);
	ck_assert(after.sa_handler == before.sa_handler);
	ck_assert(after.sa_handler != SIG_IGN);
}
END_TEST

START_TEST(test_batch_record_failure_reported)
{
	static const struct script_item items[] = {
		{ SOURCE_SNAPSHOT, 1000, 130, NULL },
		{ SOURCE_SNAPSHOT, 2000, 130, NULL },
		{ SOURCE_END, 3000, NAN, NULL },
	};
	char path[64], want[256];
	struct recorder *rec = full_recorder(path, sizeof(path));

	ck_assert_int_eq(run_script(items, N(items), FORMAT_TEXT, false, rec), 1);
	ck_assert_int_eq(count_lines(fx.out), 2);
	snprintf(want, sizeof(want), "routertop: cannot write recording %s: No space left on device\n"
		 "routertop: cannot write recording %s: No space left on device\n", path, path);
	ck_assert_str_eq(fx.err, want);
	recorder_close(rec);
	unlink(path);
}
END_TEST

/* OpenMetrics: only what is known, one line a series, the time in seconds with ms. */
START_TEST(test_openmetrics_known_only)
{
	struct metrics_snapshot s;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	metrics_init(&s);
	s.breaker.state = BREAKER_HALF_OPEN;
	s.requests.total = 12;
	openmetrics_snapshot(fp, &s, INT64_C(1764064800123));
	fclose(fp);
	ck_assert_str_eq(text,
			 "routertop_requests_total{upstream=\"default\"} 12 1764064800.123\n"
			 "routertop_breaker_state{upstream=\"default\",state=\"closed\"} 0 1764064800.123\n"
			 "routertop_breaker_state{upstream=\"default\",state=\"half_open\"} 1 1764064800.123\n"
			 "routertop_breaker_state{upstream=\"default\",state=\"open\"} 0 1764064800.123\n");
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("formats"), *tb = tcase_create("batch");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_format_parse, 0, (int)N(format_names));
	tcase_add_test(tc, test_openmetrics_known_only);
	tcase_add_test(tc, test_text_line);
	tcase_add_test(tc, test_text_report);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_csv);
	tcase_add_test(tc, test_nagios_warning);
	tcase_add_test(tc, test_nagios_critical);
	tcase_add_test(tc, test_nagios_ok);
	tcase_add_test(tc, test_unknown_values);
	tcase_add_test(tc, test_no_snapshot_yet);
	tcase_add_test(tc, test_rows_text);
	tcase_add_test(tc, test_rows_json);
	tcase_add_test(tc, test_rows_csv);
	tcase_add_test(tc, test_rows_nagios);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tb, setup, teardown);
	tcase_add_test(tb, test_batch_once_fail);
	tcase_add_test(tb, test_batch_rows_status);
	tcase_add_test(tb, test_batch_targets);
	tcase_add_test(tb, test_batch_once_warn_nagios);
	tcase_add_test(tb, test_batch_hostile_fault);
	tcase_add_test(tb, test_hostile_text_in_every_format);
	tcase_add_test(tb, test_batch_once_fault);
	tcase_add_test(tb, test_batch_continuous);
	tcase_add_test(tb, test_batch_same_bytes_twice);
	tcase_add_test(tb, test_batch_end_without_snapshot);
	tcase_add_test(tb, test_batch_sigint_stops);
	tcase_add_test(tb, test_batch_record_failure_reported);
	suite_add_tcase(s, tb);
	return check_run_suite(s);
}
