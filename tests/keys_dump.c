/*
 * Prints the key table (src/ui/keys.h) for the shell tests, so they compare
 * the man page and the screen with the table rather than with a copy:
 *   keys_dump man            NAME<TAB>MODES for every key, MODES in the man
 *                            page's words ("" when it applies everywhere)
 *   keys_dump help MODES     the help overlay's lines for MODES (a key that
 *                            does something else there left out)
 *   keys_dump line MODES [W] the key line's entries for MODES on a screen W
 *                            columns wide (80)
 * MODES is "none" or a comma list of step, speed, inject, rows, drilled, demo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/keys.h"

static const struct {
	unsigned bit;
	const char *word, *man;
} mode_words[] = {
	{ KEY_MODE_STEP, "step", "recordings" },
	{ KEY_MODE_SPEED, "speed", "simulations and recordings" },
	{ KEY_MODE_INJECT, "inject", "simulated router" },
	{ KEY_MODE_ROWS, "rows", "sources with rows" },
	{ KEY_MODE_DRILLED, "drilled", "a fleet's instance" },
	{ KEY_MODE_DEMO, "demo", "demo" },
};
#define NWORDS (sizeof(mode_words) / sizeof(mode_words[0]))

static int parse_modes(const char *arg, unsigned *modes)
{
	char buf[128], *save = NULL;

	*modes = 0;
	if (strcmp(arg, "none") == 0)
		return 0;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *w = strtok_r(buf, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < NWORDS && strcmp(w, mode_words[i].word) != 0; i++)
			;
		if (i == NWORDS) {
			fprintf(stderr, "keys_dump: unknown mode '%s'\n", w);
			return -1;
		}
		*modes |= mode_words[i].bit;
	}
	return 0;
}

static void print_man(void)
{
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		const char *sep = "";

		printf("%s\t", k->name);
		for (size_t i = 0; i < NWORDS; i++)
			if (k->modes & mode_words[i].bit) {
				printf("%s%s", sep, mode_words[i].man);
				sep = ", ";
			}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	unsigned modes = 0;
	char line[128];

	if (argc == 2 && strcmp(argv[1], "man") == 0) {
		print_man();
		return 0;
	}
	if (argc < 3 || argc > 4 || parse_modes(argv[2], &modes) != 0) {
		fprintf(stderr, "usage: keys_dump man | help MODES | line MODES [WIDTH]\n");
		return 2;
	}
	if (strcmp(argv[1], "line") == 0) {
		const struct key_binding *shown[KEYS_LINE_MAX];
		size_t n = keys_line(modes, argc == 4 ? atoi(argv[3]) : 80, shown, KEYS_LINE_MAX);

		for (size_t i = 0; i < n; i++)
			printf("%s %s\n", shown[i]->brief_keys, shown[i]->brief);
		return 0;
	}
	for (const struct key_binding *k = keys_table; k->name != NULL; k++) {
		if (!keys_apply(k, modes) || keys_shadowed(k, modes))	/* as the help overlay */
			continue;
		keys_help_line(k, false, line, sizeof(line));
		printf("%s\n", line);
		if (k->help_more != NULL) {
			keys_help_line(k, true, line, sizeof(line));
			printf("%s\n", line);
		}
	}
	return 0;
}
