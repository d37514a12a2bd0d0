/*
 * One JSON object a line (nginx's escape=json formats, Envoy's json_format),
 * read by a flat scanner rather than a DOM: only the top-level keys in the
 * format's field map are looked at, nested values are skipped, and nothing
 * is allocated. A string with escapes is decoded into the record's scratch
 * buffer (cut to fit); one without points into the line.
 */
#include <string.h>

#include "formats/accesslog.h"
#include "formats/alog_impl.h"

#define MAX_DEPTH 64

struct scan {
	const char *s;
	size_t n, i;
	const char *why;
};

static void skip_ws(struct scan *sc)
{
	while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t'))
		sc->i++;
}

/* At '"': the raw contents up to the closing quote; sc->i after it. */
static int raw_string(struct scan *sc, const char **s, size_t *n, int *escaped)
{
	size_t start = ++sc->i;

	*escaped = 0;
	for (; sc->i < sc->n; sc->i++) {
		if (sc->s[sc->i] == '\\') {
			if (sc->i + 1 == sc->n)
				break;
			*escaped = 1;
			sc->i++;
		} else if (sc->s[sc->i] == '"') {
			*s = sc->s + start;
			*n = sc->i - start;
			sc->i++;
			return 0;
		} else if ((unsigned char)sc->s[sc->i] < 0x20) {
			break;
		}
	}
	sc->why = "a JSON string has no closing quote";
	return -1;
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Decode a JSON string's escapes into the scratch buffer; \u outside ASCII becomes '?'. */
static void unescape(const char *s, size_t n, struct alog_record *rec, const char **out, size_t *outlen)
{
	char *dst = rec->scratch + rec->scratch_used;
	size_t room = ALOG_SCRATCH - rec->scratch_used, o = 0;

	for (size_t i = 0; i < n && o < room; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < n) {
			c = s[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'r')
				c = '\r';
			else if (c == 'b' || c == 'f')
				c = ' ';
			else if (c == 'u' && i + 4 < n) {
				int v = hex4(s + i + 1);

				c = v >= 0x20 && v < 0x7f ? (char)v : '?';
				i += 4;
			}
		}
		dst[o++] = c;
	}
	rec->scratch_used += o;
	*out = dst;
	*outlen = o;
}

/* A value that is not a string: its text up to ',' or '}' (nested values skipped whole). */
static int other_value(struct scan *sc, const char **s, size_t *n)
{
	size_t start = sc->i;
	int depth = 0;

	while (sc->i < sc->n) {
		char c = sc->s[sc->i];
		const char *ignore;
		size_t ilen;
		int esc;

		if (c == '"') {
			if (raw_string(sc, &ignore, &ilen, &esc) < 0)
				return -1;
			continue;
		}
		if (c == '{' || c == '[') {
			if (++depth > MAX_DEPTH)
				break;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				break;
			depth--;
		} else if (c == ',' && depth == 0) {
			break;
		}
		sc->i++;
	}
	if (depth != 0 || sc->i == start) {
		sc->why = "a JSON value is not complete";
		return -1;
	}
	*s = sc->s + start;
	*n = sc->i - start;
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
	return 0;
}

static const struct alog_json_key *find_key(const struct alog_format *f, const char *k, size_t n)
{
	for (int i = 0; i < f->nkeys; i++)
		if (f->keys[i].len == n && memcmp(f->keys[i].key, k, n) == 0)
			return &f->keys[i];
	return NULL;
}

static int member(struct alog_format *f, struct scan *sc, struct alog_record *rec)
{
	const struct alog_json_key *key;
	const char *k, *v;
	size_t klen, vlen;
	int esc, vesc = 0;

	if (sc->i >= sc->n || sc->s[sc->i] != '"') {
		sc->why = "expected a JSON key";
		return -1;
	}
	if (raw_string(sc, &k, &klen, &esc) < 0)
		return -1;
	skip_ws(sc);
	if (sc->i >= sc->n || sc->s[sc->i] != ':') {
		sc->why = "expected ':' after a JSON key";
		return -1;
	}
	sc->i++;
	skip_ws(sc);
	if (sc->i < sc->n && sc->s[sc->i] == '"') {
		if (raw_string(sc, &v, &vlen, &vesc) < 0)
			return -1;
	} else if (other_value(sc, &v, &vlen) < 0) {
		return -1;
	} else if (vlen == 4 && memcmp(v, "null", 4) == 0) {
		v = "-";
		vlen = 1;
	}
	key = find_key(f, k, klen);
	if (key == NULL)
		return 0;
	if (vesc)
		unescape(v, vlen, rec, &v, &vlen);
	return alog_apply(f, key->kind, key->group, v, vlen, rec, &sc->why);
}

int alog_parse_json(struct alog_format *f, const char *line, size_t len,
		    struct alog_record *rec, const char **why, size_t *column)
{
	struct scan sc = { .s = line, .n = len };

	skip_ws(&sc);
	if (sc.i >= sc.n || line[sc.i] != '{') {
		*why = "not a JSON object";
		*column = sc.i;
		return -1;
	}
	sc.i++;
	skip_ws(&sc);
	if (sc.i < sc.n && line[sc.i] == '}') {
		sc.i++;
	} else {
		for (;;) {
			skip_ws(&sc);
			if (member(f, &sc, rec) < 0)
				goto bad;
			skip_ws(&sc);
			if (sc.i < sc.n && line[sc.i] == ',') {
				sc.i++;
				continue;
			}
			if (sc.i < sc.n && line[sc.i] == '}') {
				sc.i++;
				break;
			}
			sc.why = "expected ',' or '}' in a JSON object";
			goto bad;
		}
	}
	skip_ws(&sc);
	if (sc.i == sc.n)
		return 0;
	sc.why = "text after the JSON object";
bad:
	*why = sc.why;
	*column = sc.i;
	return -1;
}
