/* The UTF-8 decoder; see utf8.h. */
#include "utf8.h"

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;	/* the second byte's range (RFC 3629 table) */
	uint32_t v;
	size_t n;

	if (len == 0)
		return 0;
	*cp = UTF8_BAD;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		v = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		v = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		v = p[0] & 0x07;
	} else {
		return 1;
	}
	if (p[0] == 0xe0)
		lo = 0xa0;	/* else overlong */
	else if (p[0] == 0xed)
		hi = 0x9f;	/* else a surrogate */
	else if (p[0] == 0xf0)
		lo = 0x90;	/* else overlong */
	else if (p[0] == 0xf4)
		hi = 0x8f;	/* else past U+10FFFF */
	if (len < 2 || p[1] < lo || p[1] > hi)
		return 1;
	v = (v << 6) | (p[1] & 0x3f);
	for (size_t i = 2; i < n; i++) {
		if (i >= len || (p[i] & 0xc0) != 0x80)
			return 1;
		v = (v << 6) | (p[i] & 0x3f);
	}
	*cp = v;
	return n;
}

bool utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}
