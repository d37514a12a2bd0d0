/*
 * libFuzzer target for metrics_parse (see tests/fuzz/fuzz.mk).
 *
 * Beyond "does not crash": every error must be one non-empty line, and every
 * accepted snapshot must survive metrics_to_json and a second parse
 * unchanged, with terminal-safe text (recommendations, row names).
 */
#include "metrics.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct metrics_snapshot s, back;
	char err[METRICS_ERR_LEN];
	char *json;

	err[0] = '\0';
	if (metrics_parse((const char *)data, size, &s, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
		check_text_safe(err);
		return 0;
	}
	check_text_safe(s.breaker.recommendation);
	for (size_t i = 0; i < s.nrows; i++) {
		check_text_safe(s.rows[i].name);
		check_text_safe(s.rows[i].snap.breaker.recommendation);
	}
	json = metrics_to_json(&s);
	if (metrics_parse(json, strlen(json), &back, err, sizeof(err)) != 0)
		abort();
	if (!metrics_equal(&s, &back))
		abort();
	free(json);
	metrics_free(&s);
	metrics_free(&back);
	return 0;
}
