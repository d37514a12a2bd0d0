/* Check suite for the demo source: the seeds' story in chapters, n, pause, determinism. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "source/source.h"
#include "util.h"

static struct source *make(uint64_t seed, double speed)
{
	struct demo_options o = { .seed = seed, .speed = speed, .interval_ms = 1000 };
	char err[256] = "";
	struct source *src = source_demo_new(&o, err, sizeof(err));

	ck_assert_msg(src != NULL, "%s", err);
	return src;
}

/* A caption's chapter, or 0 for any other event. */
static int chapter_of(const struct source_event *ev)
{
	cJSON *o;
	int ch = 0;

	if (ev->kind != SOURCE_NOTICE || strncmp(ev->message, "{\"type\":\"caption\",", 18) != 0)
		return 0;
	o = cJSON_Parse(ev->message);
	ch = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "chapter"));
	ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "chapters")), 9);
	ck_assert_ptr_nonnull(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "title")));
	ck_assert_ptr_nonnull(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "text")));
	cJSON_Delete(o);
	return ch;
}

/* The whole story at max speed: every event, one line each, and the chapters in the order told. */
struct story {
	char *text;
	size_t len, cap;
	int chapters[32], n;
	int64_t at[32];
	int64_t open_ms, half_ms, closed_ms;	/* the failing upstream's first transitions */
	int ends;
};

static void story_add(struct story *st, const char *line)
{
	size_t n = strlen(line);

	if (st->len + n + 2 > st->cap) {
		st->cap = (st->cap + n + 2) * 2;
		st->text = xrealloc(st->text, st->cap);
	}
	memcpy(st->text + st->len, line, n);
	st->len += n;
	st->text[st->len++] = '\n';
	st->text[st->len] = '\0';
}

static void run_story(uint64_t seed, struct story *st)
{
	struct source *src = make(seed, 0);
	struct source_event *ev = malloc(sizeof(*ev));
	int guard = 0;

	memset(st, 0, sizeof(*st));
	st->open_ms = st->half_ms = st->closed_ms = -1;
	while (st->ends == 0 && ++guard < 1000000) {
		int ch;

		if (source_step(src, 0, ev) == 0)
			continue;
		if (ev->kind == SOURCE_END) {
			st->ends++;
			continue;
		}
		if (ev->kind == SOURCE_SNAPSHOT) {
			char *j = metrics_to_json(&ev->snap);

			story_add(st, j);
			free(j);
			continue;
		}
		story_add(st, ev->message);
		ch = chapter_of(ev);
		if (ch > 0 && st->n < 32) {
			st->at[st->n] = ev->at_ms;
			st->chapters[st->n++] = ch;
		}
		if (strstr(ev->message, "\"type\":\"breaker\",\"row\":\"search\"") == NULL)
			continue;
		if (st->open_ms < 0 && strstr(ev->message, "\"to\":\"open\""))
			st->open_ms = ev->at_ms;
		if (st->half_ms < 0 && strstr(ev->message, "\"to\":\"half-open\""))
			st->half_ms = ev->at_ms;
		if (strstr(ev->message, "\"to\":\"closed\""))
			st->closed_ms = ev->at_ms;
	}
	free(ev);
	source_free(src);
}

/*
 * Every chapter is told, in order (a failed trial tells chapter 7 again),
 * each at the time of what caused it: the opening, the first half-open,
 * the closing; the summary last, just before the end.
 */
START_TEST(test_chapters_in_order)
{
	struct story st;
	int next = 1;

	run_story(42, &st);
	ck_assert_int_eq(st.ends, 1);
	for (int i = 0; i < st.n; i++) {
		ck_assert_msg(st.chapters[i] == next || st.chapters[i] == next - 1,
			      "caption %d is chapter %d after %d", i, st.chapters[i], next - 1);
		if (st.chapters[i] == next)
			next++;
	}
	ck_assert_int_eq(next, 10);
	ck_assert_int_eq(st.chapters[0], 1);
	ck_assert_int_eq(st.at[0], 0);
	ck_assert_int_eq(st.chapters[st.n - 1], 9);
	ck_assert_int_ge(st.open_ms, 0);
	for (int i = 0; i < st.n; i++) {
		if (st.chapters[i] == 5)
			ck_assert_int_eq(st.at[i], st.open_ms);
		if (st.chapters[i] == 6)
			ck_assert_int_gt(st.at[i], st.open_ms);
		if (st.chapters[i] == 8)
			ck_assert_int_eq(st.at[i], st.closed_ms);
	}
	/* The first half-open is the open timeout after the opening, as the scenario sets it. */
	ck_assert_int_eq(st.half_ms - st.open_ms, 5000);
	ck_assert_ptr_nonnull(strstr(st.text, "\"title\":\"The breaker opens\",\"text\":\"5 consecutive failures: "
					      "search's breaker opened. For 5 s no call reaches it"));
	ck_assert_ptr_nonnull(strstr(st.text, "\\\"Service temporarily unavailable\\\""));
	free(st.text);
}
END_TEST

/* The same seed tells the same story, byte for byte; another seed another one. */
START_TEST(test_deterministic)
{
	struct story a, b, c;

	run_story(42, &a);
	run_story(42, &b);
	run_story(7, &c);
	ck_assert_str_eq(a.text, b.text);
	ck_assert_str_ne(a.text, c.text);
	ck_assert_int_eq(c.chapters[c.n - 1], 9);
	free(a.text);
	free(b.text);
	free(c.text);
}
END_TEST

/* Step the source at mono until a caption of chapter want (or past it), at most limit events. */
static int64_t step_to_chapter(struct source *src, int64_t mono, int want, int limit)
{
	struct source_event *ev = malloc(sizeof(*ev));
	int64_t at = -1;

	for (int i = 0; i < limit; i++) {
		if (source_step(src, mono, ev) == 0)
			continue;
		if (chapter_of(ev) >= want) {
			at = ev->at_ms;
			break;
		}
	}
	free(ev);
	return at;
}

/*
 * In real time (x1), n runs the simulation as fast as it goes to the next
 * chapter, at the same wall-clock moment, then the pace is the user's
 * again; paused, it stops paused at the chapter's start.
 */
START_TEST(test_next_chapter)
{
	struct source *src = make(42, 1);
	char msg[SOURCE_MSG_LEN];
	int64_t at;
	struct source_event ev;

	/* The first interval's notices come with its end, a second in. */
	ck_assert_int_eq(step_to_chapter(src, 0, 1, 100), -1);
	ck_assert_int_eq(step_to_chapter(src, 1000, 1, 100), 0);
	/* At x1 nothing more happens at the same moment. */
	ck_assert_int_eq(step_to_chapter(src, 1000, 2, 1000), -1);
	ck_assert_int_eq(source_next_chapter(src, 1000, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "on to chapter 2 of 9: Concurrent users");
	at = step_to_chapter(src, 1000, 2, 100000);
	ck_assert_int_gt(at, 5000);	/* the baseline's 60 requests take their time */
	/* Back at x1: the clock stands at the end of that interval and runs on with the wall clock. */
	ck_assert_int_ge(source_clock(src, 1000), at);
	ck_assert_int_le(source_clock(src, 1000), at + 1000);
	ck_assert_int_eq(source_clock(src, 1500) - source_clock(src, 1000), 500);
	ck_assert_int_eq(step_to_chapter(src, 1500, 3, 1000), -1);
	/* Paused: n still moves on, and the story stays paused there. */
	source_set_paused(src, true, 1500);
	ck_assert_int_eq(source_next_chapter(src, 1500, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "on to chapter 3 of 9: Rate-limit burst");
	ck_assert_int_gt(step_to_chapter(src, 1500, 3, 100000), at);
	while (source_step(src, 1500, &ev) == 1)
		;
	ck_assert_int_eq(step_to_chapter(src, 100000, 4, 1000), -1);	/* paused: nothing at all */
	source_set_paused(src, false, 100000);
	ck_assert_int_eq(source_next_chapter(src, 100000, msg, sizeof(msg)), 0);
	ck_assert_int_gt(step_to_chapter(src, 100000, 4, 100000), 0);
	source_free(src);
}
END_TEST

/*
 * Paused, each n is one caption, even where two chapters fall in one
 * interval of the simulation (the opening, and its first refused calls a
 * moment later): what the interval holds after the caption waits.
 */
START_TEST(test_paused_one_chapter_a_press)
{
	struct source *src = make(42, 1);
	char msg[SOURCE_MSG_LEN];
	int want[] = { 2, 3, 4, 5, 6, 7 };

	ck_assert_int_eq(step_to_chapter(src, 0, 1, 100), -1);
	ck_assert_int_eq(step_to_chapter(src, 1000, 1, 100), 0);
	source_set_paused(src, true, 1000);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct source_event ev;
		int got = 0;

		ck_assert_int_eq(source_next_chapter(src, 1000, msg, sizeof(msg)), 0);
		for (int k = 0; k < 200000 && got == 0; k++)
			if (source_step(src, 1000, &ev) == 1)
				got = chapter_of(&ev);
		ck_assert_int_eq(got, want[i]);
		/* Held there: nothing more, not even the rest of that interval, until the next key. */
		ck_assert_int_eq(source_step(src, 1000, &ev), 0);
		ck_assert_int_eq(step_to_chapter(src, 90000, 1, 1000), -1);
	}
	source_free(src);
}
END_TEST

/* After the summary there is no chapter to go to; the demo takes the simulator's keys. */
START_TEST(test_end_and_keys)
{
	struct source *src = make(42, 0);
	struct source_event ev;
	char msg[SOURCE_MSG_LEN], buf[128];
	int guard = 0, ends = 0;

	ck_assert_int_eq(source_inject(src, SOURCE_INJECT_FAILURE_CYCLE, "chat", msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "chat: failure rate 10 % (f again: 50 %)");
	source_active_faults(src, buf, sizeof(buf));
	ck_assert_str_eq(buf, "chat: failures 10 %");
	source_describe(src, buf, sizeof(buf));
	ck_assert_str_eq(buf, "demo seed 42 max");
	ck_assert_str_eq(source_row_noun(src), "upstream");
	while (ends == 0 && ++guard < 1000000)
		if (source_step(src, 0, &ev) == 1 && ev.kind == SOURCE_END)
			ends++;
	ck_assert_int_eq(ends, 1);
	ck_assert_int_eq(source_step(src, 0, &ev), 0);
	ck_assert_int_eq(source_next_chapter(src, 0, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "the story is over: q quits");
	source_free(src);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("demo");
	TCase *tc = tcase_create("demo");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_chapters_in_order);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_next_chapter);
	tcase_add_test(tc, test_paused_one_chapter_a_press);
	tcase_add_test(tc, test_end_and_keys);
	suite_add_tcase(s, tc);
	return check_run_suite(s);
}
