/*
 * A JSON scanner for the lean readers (metrics_scan, record_skim_line):
 * it walks JSON text in place, building no tree, and takes only plain
 * strict JSON: strings without escapes or control characters, numbers in
 * JSON's own grammar, nesting at most JSCAN_DEPTH deep. Whatever it does
 * not take (-1 from any call) is left to the full parser (cJSON), which
 * decides; so what the scanner accepts is a subset of what cJSON accepts,
 * with the same values.
 */
#ifndef RT_JSCAN_H
#define RT_JSCAN_H

#include <stdbool.h>
#include <stddef.h>

#define JSCAN_DEPTH 64

struct jscan {
	const char *p, *end;
};

/* Skip JSON whitespace (space, tab, CR, LF). */
void jscan_ws(struct jscan *c);
/* After whitespace: eat ch and return true, or leave the cursor and return false. */
bool jscan_eat(struct jscan *c, char ch);
/* After whitespace: the next byte, or '\0' at the end. */
char jscan_peek(struct jscan *c);

/*
 * A string without escapes or control characters: *s and *len point into
 * the text (not terminated). Returns 0, or -1 (anything else).
 */
int jscan_string(struct jscan *c, const char **s, size_t *len);
/* A number, converted as strtod would. Returns 0 or -1. */
int jscan_number(struct jscan *c, double *v);
/* Skip any one value (checked, escapes allowed in strings). Returns 0 or -1. */
int jscan_skip(struct jscan *c);
/* Whether the n bytes at s are the NUL-terminated word. */
bool jscan_is(const char *s, size_t n, const char *word);

#endif
