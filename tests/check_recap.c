/* Check suite for the recap: targets met and missed over a run, and the recoveries. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "recap.h"

#define T0 1764000000000LL	/* wall time of the first snapshot */

/* A snapshot at t_ms: the router's P95 and req/s, and a row "search" whose breaker is st. */
static void snap(struct recap *r, int64_t t_ms, double p95, double rps, enum breaker_state st)
{
	struct source_event ev;
	struct metrics_row *row;

	memset(&ev, 0, sizeof(ev));
	ev.kind = SOURCE_SNAPSHOT;
	ev.at_ms = t_ms;
	ev.wall_ms = T0 + t_ms;
	metrics_init(&ev.snap);
	ev.snap.latency = (struct metrics_latency){ .p50 = p95 / 2, .p90 = p95, .p95 = p95, .p99 = p95,
		.max = p95, .min = 1, .avg = p95 / 2, .count = 1000 };
	ev.snap.throughput.per_second = rps;
	ev.snap.throughput.per_minute = rps * 60;
	ev.snap.errors = (struct metrics_errors){ 0, 0, 0, 0, 0 };
	ev.snap.breaker.state = BREAKER_CLOSED;
	ev.snap.breaker.failure_rate = 0;
	row = metrics_row_add(&ev.snap, "search");
	row->snap.latency = ev.snap.latency;
	row->snap.throughput = ev.snap.throughput;
	row->snap.errors = ev.snap.errors;
	row->snap.breaker.state = st;
	row->snap.breaker.failure_rate = 0;
	recap_event(r, &ev);
	metrics_free(&ev.snap);
}

static void notice(struct recap *r, int64_t t_ms, const char *json)
{
	struct source_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = SOURCE_NOTICE;
	ev.at_ms = t_ms;
	ev.wall_ms = T0 + t_ms;
	metrics_init(&ev.snap);
	snprintf(ev.message, sizeof(ev.message), "%s", json);
	recap_event(r, &ev);
}

static const char *find_line(char (*lines)[RECAP_LINE], size_t n, const char *start)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(lines[i], start) != NULL)
			return lines[i];
	return NULL;
}

/*
 * Ten seconds: P95 fine for five, then over its limit for five; req/s above
 * 100 throughout; search out from 3 s to 9.5 s (a row's own notices; the
 * router's derived one is not an outage of its own).
 */
START_TEST(test_met_and_missed)
{
	struct target_set ts;
	struct recap r;
	char lines[RECAP_LINES][RECAP_LINE];
	const char *l;
	size_t n;

	targets_defaults(&ts);
	recap_init(&r, &ts);
	for (int i = 0; i <= 10; i++) {
		enum breaker_state st = i >= 3 && i < 10 ? BREAKER_OPEN : BREAKER_CLOSED;

		if (i == 3) {
			notice(&r, 3000, "{\"type\":\"breaker\",\"row\":\"search\",\"from\":\"closed\",\"to\":\"open\","
					 "\"reason\":\"5 consecutive failures\"}");
			notice(&r, 3000, "{\"type\":\"breaker\",\"from\":\"closed\",\"to\":\"open\",\"derived\":true}");
		}
		if (i == 10)
			notice(&r, 9500, "{\"type\":\"breaker\",\"row\":\"search\",\"from\":\"half-open\","
					 "\"to\":\"closed\",\"reason\":\"3 trial calls succeeded\"}");
		snap(&r, i * 1000, i < 5 ? 100 : 200, 150, st);
	}
	recap_finish(&r);
	recap_finish(&r);	/* idempotent */
	n = recap_lines(&r, lines, RECAP_LINES);
	ck_assert_uint_eq(n, 1 + TARGET_COUNT);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_lt(strlen(lines[i]), 80);
	l = find_line(lines, n, "P95 < 150 ms");
	ck_assert_ptr_nonnull(l);
	ck_assert_msg(strstr(l, "missed: router FAIL 50 %, search FAIL 50 %") != NULL, "%s", l);
	l = find_line(lines, n, "P99 < 500 ms");
	ck_assert_ptr_nonnull(l);
	ck_assert_msg(strstr(l, " met") != NULL, "%s", l);
	l = find_line(lines, n, "Throughput > 100 req/s");
	ck_assert_ptr_nonnull(l);
	ck_assert_msg(strstr(l, " met") != NULL, "%s", l);
	l = find_line(lines, n, "Recovery < 60 s");
	ck_assert_ptr_nonnull(l);
	ck_assert_msg(strstr(l, "met: search out 6.5 s") != NULL, "%s", l);
	ck_assert_msg(strncmp(lines[0], "targets: ", 9) == 0, "%s", lines[0]);
	ck_assert_msg(strstr(lines[0], "1 missed") != NULL, "%s", lines[0]);
	recap_free(&r);
}
END_TEST

/* A breaker still out at the end misses the recovery target; one out longer than the target too. */
START_TEST(test_recovery_missed)
{
	struct target_set ts;
	struct recap r;
	char lines[RECAP_LINES][RECAP_LINE], err[128];
	const char *l;
	size_t n;

	targets_defaults(&ts);
	ck_assert_int_eq(targets_set(&ts, "search:recovery=5", err, sizeof(err)), 0);
	recap_init(&r, &ts);
	snap(&r, 0, 100, 150, BREAKER_CLOSED);
	notice(&r, 1000, "{\"type\":\"breaker\",\"row\":\"search\",\"from\":\"closed\",\"to\":\"open\"}");
	notice(&r, 8000, "{\"type\":\"breaker\",\"row\":\"search\",\"from\":\"half-open\",\"to\":\"closed\"}");
	snap(&r, 9000, 100, 150, BREAKER_CLOSED);
	recap_finish(&r);
	n = recap_lines(&r, lines, RECAP_LINES);
	l = find_line(lines, n, "Recovery");
	ck_assert_msg(l != NULL && strstr(l, "missed: search out 7.0 s") != NULL, "%s", l ? l : "none");
	recap_free(&r);

	recap_init(&r, &ts);
	snap(&r, 0, 100, 150, BREAKER_CLOSED);
	notice(&r, 1000, "{\"type\":\"breaker\",\"row\":\"search\",\"from\":\"closed\",\"to\":\"open\"}");
	snap(&r, 3000, 100, 150, BREAKER_OPEN);
	recap_finish(&r);
	n = recap_lines(&r, lines, RECAP_LINES);
	l = find_line(lines, n, "Recovery");
	ck_assert_msg(l != NULL && strstr(l, "missed: search still out after 2.0 s") != NULL, "%s",
		      l ? l : "none");
	recap_free(&r);
}
END_TEST

/* Nothing seen: no data; no outage: the recovery target has nothing to miss. */
START_TEST(test_empty_and_no_outage)
{
	struct target_set ts;
	struct recap r;
	char lines[RECAP_LINES][RECAP_LINE];
	const char *l;
	size_t n;

	targets_defaults(&ts);
	recap_init(&r, &ts);
	recap_finish(&r);
	n = recap_lines(&r, lines, RECAP_LINES);
	l = find_line(lines, n, "P95 < 150 ms");
	ck_assert_msg(l != NULL && strstr(l, "no data") != NULL, "%s", l ? l : "none");
	l = find_line(lines, n, "Recovery");
	ck_assert_msg(l != NULL && strstr(l, "met: no breaker opened") != NULL, "%s", l ? l : "none");
	ck_assert_uint_eq(recap_lines(&r, lines, 2), 2);
	ck_assert_uint_eq(recap_lines(&r, lines, 0), 0);
	recap_free(&r);
}
END_TEST

/* Batch output: text as comment lines, json as one object; row names through the funnel. */
START_TEST(test_write)
{
	struct target_set ts;
	struct recap r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	targets_defaults(&ts);
	recap_init(&r, &ts);
	snap(&r, 0, 100, 150, BREAKER_CLOSED);
	notice(&r, 500, "{\"type\":\"breaker\",\"row\":\"se\\u001b[2Jarch\",\"from\":\"closed\",\"to\":\"open\"}");
	notice(&r, 1500, "{\"type\":\"breaker\",\"row\":\"se\\u001b[2Jarch\",\"from\":\"half-open\",\"to\":\"closed\"}");
	snap(&r, 2000, 100, 150, BREAKER_CLOSED);
	recap_finish(&r);
	f = open_memstream(&buf, &len);
	recap_write(f, FORMAT_TEXT, &r);
	fclose(f);
	ck_assert_msg(strncmp(buf, "# targets: ", 11) == 0, "%s", buf);
	ck_assert_ptr_null(strchr(buf, '\033'));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	recap_write(f, FORMAT_JSON, &r);
	fclose(f);
	{
		static const char head[] = "{\"summary\":{\"targets\":[{\"target\":\"p95\",\"limit\":150,\"verdict\":\"met\"";

		ck_assert_msg(strncmp(buf, head, sizeof(head) - 1) == 0, "%s", buf);
	}
	ck_assert_ptr_nonnull(strstr(buf, "\"seconds\":1,\"recovered\":true,\"met\":true"));
	ck_assert_ptr_null(strchr(buf, '\033'));
	ck_assert_int_eq(buf[len - 1], '\n');
	free(buf);
	recap_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("recap");
	TCase *tc = tcase_create("recap");

	tcase_add_test(tc, test_met_and_missed);
	tcase_add_test(tc, test_recovery_missed);
	tcase_add_test(tc, test_empty_and_no_outage);
	tcase_add_test(tc, test_write);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
