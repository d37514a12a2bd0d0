/* The sanitising funnel; see sanitize.h for what it does and who must use it. */
#include "sanitize.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

#define SANITIZE_LINE_SMALL 1024

/* C0 controls, DEL and C1 controls. */
static bool sanitize_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Explicit bidirectional formatting: embeddings, overrides, isolates and the marks. */
static bool sanitize_is_bidi(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x061c || cp == 0x200e || cp == 0x200f;
}

/*
 * What one character at s (avail bytes left) becomes: *consumed bytes are
 * read and the returned bytes (*outlen of them, 0 to drop) are written.
 */
static const char *sanitize_next(const char *s, size_t avail, unsigned flags,
				 size_t *consumed, size_t *outlen)
{
	uint32_t cp;
	size_t n = utf8_decode(s, avail, &cp);

	if (n == 0) {
		*consumed = *outlen = 1;
		return "?";
	}
	*consumed = n;
	*outlen = n;
	if (sanitize_is_control(cp)) {
		*outlen = 1;
		return " ";
	}
	if (sanitize_is_bidi(cp)) {
		*outlen = 0;
		return "";
	}
	if (cp == '|' && (flags & SANITIZE_PLUGIN)) {
		*outlen = 1;
		return "/";
	}
	return s;
}

size_t sanitize_copy_n(char *dst, size_t size, const char *src, size_t len, unsigned flags)
{
	size_t used = 0, at = 0;

	if (size == 0)
		return 0;
	while (at < len) {
		size_t consumed, outlen;
		const char *put = sanitize_next(src + at, len - at, flags, &consumed, &outlen);

		if (outlen > size - 1 - used)
			break;
		memmove(dst + used, put, outlen);
		used += outlen;
		at += consumed;
	}
	dst[used] = '\0';
	return used;
}

size_t sanitize_copy(char *dst, size_t size, const char *src, unsigned flags)
{
	return sanitize_copy_n(dst, size, src, strlen(src), flags);
}

size_t sanitize_in_place(char *s, unsigned flags)
{
	size_t len = strlen(s);

	/* The output never runs ahead of the input, so one buffer serves both. */
	return sanitize_copy_n(s, len + 1, s, len, flags);
}

bool sanitize_is_clean(const char *s, unsigned flags)
{
	size_t len = strlen(s), at = 0;

	while (at < len) {
		size_t consumed, outlen;
		const char *put = sanitize_next(s + at, len - at, flags, &consumed, &outlen);

		if (put != s + at)
			return false;
		at += consumed;
	}
	return true;
}

void sanitize_cjson(struct cJSON *item)
{
	if (item == NULL)
		return;
	if (item->string != NULL)
		sanitize_in_place(item->string, 0);
	if ((cJSON_IsString(item) || cJSON_IsRaw(item)) && item->valuestring != NULL)
		sanitize_in_place(item->valuestring, 0);
	/* cJSON refuses input nested deeper than CJSON_NESTING_LIMIT, so this recursion is bounded. */
	for (cJSON *child = item->child; child != NULL; child = child->next)
		sanitize_cjson(child);
}

void sanitize_line(FILE *f, unsigned flags, const char *fmt, ...)
{
	char small[SANITIZE_LINE_SMALL], *buf = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		buf = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	sanitize_in_place(buf, flags);
	fputs(buf, f);
	fputc('\n', f);
	if (buf != small)
		free(buf);
}
