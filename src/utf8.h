/*
 * The one UTF-8 decoder of the program (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF). The sanitising funnel (sanitize.h)
 * and the canvas both read text through it, so they agree on what is
 * well formed.
 */
#ifndef RT_UTF8_H
#define RT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The longest sequence. */
#define UTF8_MAX 4

/*
 * Decode the sequence at s, reading at most avail bytes. Returns its
 * length (1..4) with the code point in *cp, or 0 when s does not start a
 * well-formed sequence (or avail is 0); *cp is then 0. Stops at the first
 * bad byte, so on NUL-terminated text avail may be UTF8_MAX: it never
 * reads past the NUL.
 */
size_t utf8_decode(const char *s, size_t avail, uint32_t *cp);

#endif
