/*
 * The JSON scanner of the lean readers (see jscan.h). Numbers with at most
 * 15 significant digits and no exponent are converted as m / 10^k, which
 * is exact in both operands and so rounds as strtod does (Clinger's fast
 * path); the rest go through strtod.
 */
#include "jscan.h"

#include <stdlib.h>
#include <string.h>

#define JSCAN_NUMBER_MAX 64

static const double pow10_table[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

void jscan_ws(struct jscan *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

bool jscan_eat(struct jscan *c, char ch)
{
	jscan_ws(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

char jscan_peek(struct jscan *c)
{
	jscan_ws(c);
	return c->p < c->end ? *c->p : '\0';
}

bool jscan_is(const char *s, size_t n, const char *word)
{
	/* No strlen: strncmp stops at word's end, and then it must end where s does. */
	return n > 0 && s[0] == word[0] && strncmp(word, s, n) == 0 && word[n] == '\0';
}

int jscan_string(struct jscan *c, const char **s, size_t *len)
{
	const char *q;

	if (!jscan_eat(c, '"'))
		return -1;
	for (q = c->p; q < c->end; q++) {
		unsigned char ch = (unsigned char)*q;

		if (ch == '"')
			break;
		if (ch == '\\' || ch < 0x20)
			return -1;
	}
	if (q == c->end)
		return -1;
	*s = c->p;
	*len = (size_t)(q - c->p);
	c->p = q + 1;
	return 0;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

int jscan_number(struct jscan *c, double *v)
{
	const char *start, *q;
	unsigned long long m = 0;
	int digits = 0, frac = 0;
	bool neg, simple = true;

	jscan_ws(c);
	start = q = c->p;
	neg = q < c->end && *q == '-';
	if (neg)
		q++;
	if (q == c->end || !is_digit(*q))
		return -1;
	if (*q == '0') {
		q++;
	} else {
		for (; q < c->end && is_digit(*q); q++, digits++)
			m = m * 10 + (unsigned long long)(*q - '0');
	}
	if (q < c->end && *q == '.') {
		q++;
		if (q == c->end || !is_digit(*q))
			return -1;
		for (; q < c->end && is_digit(*q); q++, frac++, digits++)
			m = m * 10 + (unsigned long long)(*q - '0');
	}
	if (q < c->end && (*q == 'e' || *q == 'E')) {
		simple = false;
		q++;
		if (q < c->end && (*q == '+' || *q == '-'))
			q++;
		if (q == c->end || !is_digit(*q))
			return -1;
		while (q < c->end && is_digit(*q))
			q++;
	}
	/* Leading zeros of the fraction count as digits here, which only makes the test stricter. */
	if (simple && digits <= 15 && frac <= 22) {
		*v = (double)m / pow10_table[frac];
		if (neg)
			*v = -*v;
	} else {
		char buf[JSCAN_NUMBER_MAX];
		size_t n = (size_t)(q - start);

		if (n >= sizeof(buf))
			return -1;
		memcpy(buf, start, n);
		buf[n] = '\0';
		*v = strtod(buf, NULL);
	}
	c->p = q;
	return 0;
}

static int jscan_literal(struct jscan *c, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
		return -1;
	c->p += n;
	return 0;
}

/* A string that may hold escapes: checked, not decoded. */
static int jscan_skip_string(struct jscan *c)
{
	c->p++;
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p++;

		if (ch == '"')
			return 0;
		if (ch < 0x20)
			return -1;
		if (ch != '\\')
			continue;
		if (c->p == c->end)
			return -1;
		ch = (unsigned char)*c->p++;
		if (ch == 'u') {
			for (int i = 0; i < 4; i++, c->p++)
				if (c->p == c->end || strchr("0123456789abcdefABCDEF", *c->p) == NULL ||
				    *c->p == '\0')
					return -1;
		} else if (strchr("\"\\/bfnrt", ch) == NULL || ch == '\0') {
			return -1;
		}
	}
	return -1;
}

static int jscan_skip_depth(struct jscan *c, int depth)
{
	double v;
	char ch = jscan_peek(c);

	if (depth > JSCAN_DEPTH)
		return -1;
	switch (ch) {
	case '"':
		return jscan_skip_string(c);
	case '{':
		c->p++;
		if (jscan_eat(c, '}'))
			return 0;
		do {
			if (jscan_peek(c) != '"' || jscan_skip_string(c) != 0 || !jscan_eat(c, ':') ||
			    jscan_skip_depth(c, depth + 1) != 0)
				return -1;
		} while (jscan_eat(c, ','));
		return jscan_eat(c, '}') ? 0 : -1;
	case '[':
		c->p++;
		if (jscan_eat(c, ']'))
			return 0;
		do {
			if (jscan_skip_depth(c, depth + 1) != 0)
				return -1;
		} while (jscan_eat(c, ','));
		return jscan_eat(c, ']') ? 0 : -1;
	case 't':
		return jscan_literal(c, "true");
	case 'f':
		return jscan_literal(c, "false");
	case 'n':
		return jscan_literal(c, "null");
	default:
		return jscan_number(c, &v);
	}
}

int jscan_skip(struct jscan *c)
{
	return jscan_skip_depth(c, 0);
}
