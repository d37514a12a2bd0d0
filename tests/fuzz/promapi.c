/*
 * libFuzzer target for the fleet's side of the Prometheus HTTP API (see
 * tests/fuzz/fuzz.mk). An input starting with '{' goes to the answer
 * reader (promapi_parse); any other input, after its first byte, is a
 * --match text for promquery_match_parse.
 *
 * Beyond "does not crash": an error is one non-empty terminal-safe line; an
 * accepted answer's offsets, label order and counts hold together and its
 * messages are terminal-safe; an accepted --match renders as a selector
 * that parses back to the same matchers.
 */
#include "formats/promapi.h"
#include "formats/promquery.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text_safe(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
}

static void check_answer(const struct promapi_answer *a)
{
	check_text_safe(a->error_type);
	check_text_safe(a->error);
	for (size_t i = 0; i < a->nwarnings && i < PROMAPI_WARNINGS_KEPT; i++)
		check_text_safe(a->warnings[i]);
	if (a->nseries > PROMAPI_SERIES_MAX || a->nsamples > PROMAPI_SAMPLES_MAX)
		abort();
	for (size_t i = 0; i < a->nseries; i++) {
		const struct promapi_series *s = &a->series[i];

		if ((size_t)s->label0 + s->nlabels > a->nlabels ||
		    (size_t)s->sample0 + s->nsamples > a->nsamples || s->nlabels > PROMAPI_LABELS_MAX)
			abort();
		for (uint32_t k = 0; k < s->nlabels; k++) {
			const struct promapi_label *l = &a->labels[s->label0 + k];
			const char *name = promapi_text(a, l->name);

			if (l->name >= a->text_len || l->value >= a->text_len ||
			    strlen(name) >= PROMAPI_TEXT_MAX)
				abort();
			if (k > 0 && strcmp(promapi_text(a, a->labels[s->label0 + k - 1].name), name) > 0)
				abort();
			if (promapi_label(a, s, name) == NULL)
				abort();
		}
		(void)promapi_value(a, s);
	}
}

static void check_match(const char *text)
{
	struct promquery_match m = { 0 }, back = { 0 };
	struct promquery_selector sel = { .metric = "m" };
	char err[256] = "", buf[PROMQUERY_MATCH_MAX * (PROMQUERY_NAME_LEN + 4 * PROMQUERY_VALUE_LEN + 8) + 8];

	if (promquery_match_parse(text, &m, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || strchr(err, '\n') != NULL || m.n != 0)
			abort();
		return;
	}
	if (promquery_selector_text(&sel, "", &m, buf, sizeof(buf)) >= sizeof(buf))
		abort();
	if (m.n == 0)
		return;
	if (promquery_match_parse(buf + 1, &back, err, sizeof(err)) != 0 || back.n != m.n)
		abort();
	for (int i = 0; i < m.n; i++) {
		if (strcmp(m.m[i].label, back.m[i].label) != 0 || m.m[i].op != back.m[i].op ||
		    strcmp(m.m[i].value, back.m[i].value) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct promapi_answer a;
	char err[256];

	if (size > 0 && data[0] != '{') {
		char *text = malloc(size);

		memcpy(text, data + 1, size - 1);
		text[size - 1] = '\0';
		check_match(text);
		free(text);
		return 0;
	}
	promapi_init(&a);
	err[0] = '\0';
	if (promapi_parse(&a, (const char *)data, size, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || strchr(err, '\n') != NULL || a.nseries != 0)
			abort();
		check_text_safe(err);
	} else {
		check_answer(&a);
	}
	promapi_free(&a);
	return 0;
}
