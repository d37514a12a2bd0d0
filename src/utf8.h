/*
 * The one UTF-8 decoder of the program (RFC 3629). Everything that looks at
 * the bytes of text as characters goes through it: the metrics' text
 * cleaner, the canvas (glyphs and their widths) and the terminal backend.
 * A well-formed sequence has no overlong form, no UTF-16 surrogate and
 * nothing past U+10FFFF; any other byte is bad on its own, so a run of bad
 * bytes decodes as that many bad characters.
 */
#ifndef RT_UTF8_H
#define RT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest sequence, in bytes. */
#define UTF8_MAX 4
/* What utf8_decode gives for a byte that does not start a well-formed sequence. */
#define UTF8_BAD UINT32_MAX

/*
 * Decode the character at s, of which at most len bytes may be read.
 * Returns the bytes it takes, 1 to 4, with *cp its code point; for a byte
 * that does not start a well-formed sequence (a stray continuation byte,
 * an overlong form, a surrogate, past U+10FFFF, cut short by len or by a
 * byte that does not continue it), returns 1 with *cp = UTF8_BAD. Returns
 * 0 only when len is 0. It never reads past the first byte that breaks a
 * sequence, so a NUL-terminated string may be decoded with len UTF8_MAX.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Whether cp is a control character: C0 (below U+0020), DEL or C1 (U+0080 to U+009F). */
bool utf8_is_control(uint32_t cp);

#endif
