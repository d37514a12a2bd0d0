/* Check suite for the event log: notices become lines; the ring, rewinding, captions. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "eventlog.h"

START_TEST(test_breaker_notice)
{
	struct eventlog *l = eventlog_new(8);
	const struct eventlog_entry *e;
	char line[256];

	ck_assert_int_eq(eventlog_add_notice(l, 12345,
		"{\"type\":\"breaker\",\"row\":\"search\",\"from\":\"closed\",\"to\":\"open\","
		"\"reason\":\"5 consecutive failures\",\"open_timeout_ms\":8000,\"at_ms\":12345}"), 1);
	e = eventlog_get(l, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->kind, EVLOG_BREAKER);
	ck_assert_int_eq(e->at_ms, 12345);
	ck_assert_str_eq(e->row, "search");
	ck_assert_int_eq(e->from, BREAKER_CLOSED);
	ck_assert_int_eq(e->to, BREAKER_OPEN);
	ck_assert_int_eq(e->open_timeout_ms, 8000);
	ck_assert_str_eq(e->text, "5 consecutive failures");
	eventlog_format(e, line, sizeof(line));
	ck_assert_str_eq(line, "search closed -> open: 5 consecutive failures");
	/* The router's own, derived from a row's: already said for the row. */
	ck_assert_int_eq(eventlog_add_notice(l, 12345,
		"{\"type\":\"breaker\",\"from\":\"closed\",\"to\":\"open\",\"derived\":true,"
		"\"reason\":\"search: 5 consecutive failures\"}"), 0);
	ck_assert_uint_eq(eventlog_len(l), 1);
	/* Without a row it is the router's; a half_open spelling is a state too. */
	ck_assert_int_eq(eventlog_add_notice(l, 20000,
		"{\"type\":\"breaker\",\"from\":\"open\",\"to\":\"half_open\",\"reason\":\"open timeout 8 s elapsed\"}"), 1);
	e = eventlog_get(l, 0);
	ck_assert_str_eq(e->row, "");
	ck_assert_int_eq(e->to, BREAKER_HALF_OPEN);
	ck_assert_int_eq(e->open_timeout_ms, -1);
	eventlog_format(e, line, sizeof(line));
	ck_assert_str_eq(line, "router open -> half-open: open timeout 8 s elapsed");
	eventlog_free(l);
}
END_TEST

static const struct {
	const char *json, *row, *text;
	enum eventlog_kind kind;
} lines[] = {
	{ "{\"type\":\"fault\",\"row\":\"chat\",\"text\":\"failure rate 50 %\"}", "chat", "failure rate 50 %",
	  EVLOG_FAULT },
	{ "{\"type\":\"faults\",\"row\":\"search\",\"source\":\"scenario\",\"phase\":\"incident\","
	  "\"failure\":0.1,\"timeout\":0.4,\"validation\":0.002}", "search",
	  "faults: 10 % failures, 40 % timeouts, 0.2 % validation errors (phase incident)", EVLOG_FAULT },
	{ "{\"type\":\"faults\",\"source\":\"manual\",\"failure\":0,\"timeout\":0.4}", "",
	  "faults: 40 % timeouts (operator)", EVLOG_FAULT },
	{ "{\"type\":\"faults\",\"source\":\"scenario\",\"phase\":\"normal\",\"failure\":0}", "",
	  "faults: none (phase normal)", EVLOG_FAULT },
	{ "{\"type\":\"ratelimit\",\"text\":\"rate limiter rejecting\"}", "", "rate limiter rejecting",
	  EVLOG_RATELIMIT },
	{ "{\"type\":\"phase\",\"name\":\"traffic spike\",\"index\":1}", "", "phase: traffic spike",
	  EVLOG_PHASE },
	{ "{\"type\":\"dropped\",\"count\":1025}", "", "1025 notices in one interval: the rest were dropped",
	  EVLOG_OTHER },
	{ "{\"type\":\"deploy\",\"version\":\"1.2\"}", "", "event: deploy", EVLOG_OTHER },
	{ "{\"type\":\"deploy\",\"text\":\"v1.2 rolled out\"}", "", "v1.2 rolled out", EVLOG_OTHER },
	/* Fields of another type are left out, never a fault. */
	{ "{\"type\":\"breaker\",\"row\":7,\"from\":1,\"to\":\"open\",\"reason\":[]}", "", "", EVLOG_BREAKER },
	{ "{\"type\":\"phase\"}", "", "phase: n/a", EVLOG_PHASE },
};

START_TEST(test_notice_lines)
{
	struct eventlog *l = eventlog_new(4);
	const struct eventlog_entry *e;

	ck_assert_int_eq(eventlog_add_notice(l, 5, lines[_i].json), 1);
	e = eventlog_get(l, 0);
	ck_assert_int_eq(e->kind, lines[_i].kind);
	ck_assert_str_eq(e->row, lines[_i].row);
	ck_assert_str_eq(e->text, lines[_i].text);
	eventlog_free(l);
}
END_TEST

START_TEST(test_not_a_notice)
{
	struct eventlog *l = eventlog_new(4);

	ck_assert_int_eq(eventlog_add_notice(l, 1, "not json"), -1);
	ck_assert_int_eq(eventlog_add_notice(l, 1, "[1,2]"), -1);
	ck_assert_int_eq(eventlog_add_notice(l, 1, "{\"kind\":\"breaker\"}"), -1);
	ck_assert_int_eq(eventlog_add_notice(l, 1, "{\"type\":3}"), -1);
	ck_assert_int_eq(eventlog_add_notice(l, 1, ""), -1);
	ck_assert_uint_eq(eventlog_len(l), 0);
	ck_assert_ptr_null(eventlog_get(l, 0));
	eventlog_free(l);
}
END_TEST

/* Text from a recording may hold anything: it reaches the log terminal-safe. */
START_TEST(test_hostile_text)
{
	struct eventlog *l = eventlog_new(4);
	const struct eventlog_entry *e;

	ck_assert_int_eq(eventlog_add_notice(l, 1,
		"{\"type\":\"breaker\",\"row\":\"a\\u001b[2Jb\",\"from\":\"closed\",\"to\":\"open\","
		"\"reason\":\"x\\u001b]0;pwned\\u0007y\\r\\nz\"}"), 1);
	e = eventlog_get(l, 0);
	ck_assert_ptr_null(strchr(e->row, '\033'));
	ck_assert_ptr_null(strchr(e->text, '\033'));
	ck_assert_ptr_null(strchr(e->text, '\007'));
	ck_assert_ptr_null(strchr(e->text, '\n'));
	ck_assert_ptr_null(strchr(e->text, '\r'));
	eventlog_free(l);
}
END_TEST

START_TEST(test_ring_and_rewind)
{
	struct eventlog *l = eventlog_new(3);
	char json[64];

	for (int i = 1; i <= 5; i++) {
		snprintf(json, sizeof(json), "{\"type\":\"phase\",\"name\":\"p%d\"}", i);
		ck_assert_int_eq(eventlog_add_notice(l, i * 1000, json), 1);
	}
	ck_assert_uint_eq(eventlog_len(l), 3);
	ck_assert_uint_eq(eventlog_total(l), 5);
	ck_assert_str_eq(eventlog_get(l, 0)->text, "phase: p5");
	ck_assert_str_eq(eventlog_get(l, 2)->text, "phase: p3");
	ck_assert_ptr_null(eventlog_get(l, 3));
	/* Back to the snapshot of 4 s: what came after it goes, what came at it stays. */
	ck_assert_uint_eq(eventlog_rewind(l, 4000), 1);
	ck_assert_str_eq(eventlog_get(l, 0)->text, "phase: p4");
	ck_assert_uint_eq(eventlog_rewind(l, 0), 2);
	ck_assert_uint_eq(eventlog_len(l), 0);
	ck_assert_int_eq(eventlog_add_notice(l, 9000, "{\"type\":\"phase\",\"name\":\"again\"}"), 1);
	ck_assert_str_eq(eventlog_get(l, 0)->text, "phase: again");
	eventlog_clear(l);
	ck_assert_uint_eq(eventlog_len(l), 0);
	eventlog_free(l);
}
END_TEST

START_TEST(test_captions)
{
	struct eventlog *l = eventlog_new(8);
	const struct eventlog_entry *e;
	char line[512];

	ck_assert_ptr_null(eventlog_caption(l));
	eventlog_add_notice(l, 0, "{\"type\":\"caption\",\"chapter\":1,\"chapters\":9,\"title\":\"Baseline\","
			    "\"text\":\"One user sends requests one after another.\"}");
	eventlog_add_notice(l, 10, "{\"type\":\"phase\",\"name\":\"baseline\"}");
	e = eventlog_caption(l);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->chapter, 1);
	ck_assert_int_eq(e->chapters, 9);
	ck_assert_str_eq(e->text, "Baseline");
	ck_assert_str_eq(e->detail, "One user sends requests one after another.");
	eventlog_format(e, line, sizeof(line));
	ck_assert_str_eq(line, "chapter 1/9 Baseline: One user sends requests one after another.");
	eventlog_add_notice(l, 20, "{\"type\":\"caption\",\"chapter\":2,\"chapters\":9,\"title\":\"Load\"}");
	ck_assert_int_eq(eventlog_caption(l)->chapter, 2);
	ck_assert_str_eq(eventlog_caption(l)->detail, "");
	eventlog_free(l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("eventlog");
	TCase *tc = tcase_create("eventlog");

	tcase_add_test(tc, test_breaker_notice);
	tcase_add_loop_test(tc, test_notice_lines, 0, (int)(sizeof(lines) / sizeof(lines[0])));
	tcase_add_test(tc, test_not_a_notice);
	tcase_add_test(tc, test_hostile_text);
	tcase_add_test(tc, test_ring_and_rewind);
	tcase_add_test(tc, test_captions);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
