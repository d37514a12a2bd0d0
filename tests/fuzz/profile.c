/*
 * libFuzzer target for the router profile format (tests/fuzz/fuzz.mk builds
 * and runs it): profile_parse never crashes, a refused profile has one
 * located, clean line of message, and an accepted one has a name and a row
 * label, and its selectors print as PromQL and match in bounded time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/profile.h"
#include "sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p;
	char err[PROFILE_ERR_LEN] = "", buf[1024];

	if (profile_parse((const char *)data, size, "f.profile", &p, err, sizeof(err)) != 0) {
		if (strncmp(err, "f.profile:", 10) != 0 || !sanitize_is_clean(err, 0))
			abort();
		return 0;
	}
	if (p.row_label[0] == '\0' || p.name[0] == '\0')
		abort();
	for (int k = 0; k < PROFILE_CLASSES; k++) {
		for (int i = 0; i < p.nerrors[k]; i++) {
			const struct profile_selector *s = &p.errors[k][i];

			if (profile_selector_promql(s, "job=\"x\"", buf, sizeof(buf)) < strlen(s->metric))
				abort();
			for (int m = 0; m < s->nmatchers; m++)
				(void)profile_match_value(&s->m[m], "503");
		}
	}
	return 0;
}
