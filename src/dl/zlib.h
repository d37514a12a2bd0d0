/*
 * zlib, loaded on first use (see dl/dl.h): only a replay of a gzip
 * recording and the tail of a gzip log need it. Include this instead of <zlib.h>; each function
 * routertop calls is a macro over a table filled by dlsym (zlib's own
 * inflateInit2() macro lands on inflateInit2_ here). The first call loads
 * the library, or ends the program through fatal() with a one-line message
 * ("zlib not available (...): install zlib1g").
 *
 * A function not listed in DL_ZLIB_FUNCS fails to link: add it to the list
 * and to the macros below. zlib's names have no common prefix, so the
 * table's fields are the names with p_ in front.
 */
#ifndef RT_DL_ZLIB_H
#define RT_DL_ZLIB_H

#include <stddef.h>
#include <zlib.h>

#define DL_ZLIB_FUNCS(X) \
	X(zlibVersion) X(zError) X(inflateInit_) X(inflateInit2_) X(inflate) X(inflateEnd) \
	X(inflateReset)

/* One pointer per function, with zlib's own prototype. */
struct dl_zlib {
#define DL_ZLIB_FIELD(n) __typeof__(&n) p_##n;
	DL_ZLIB_FUNCS(DL_ZLIB_FIELD)
#undef DL_ZLIB_FIELD
};

/* Load zlib if it is not loaded yet. Returns 0, or -1 with a one-line message in err. */
int dl_zlib_load(char *err, size_t errlen);
/* The table, loading zlib first if needed; fatal() if it cannot be loaded. */
const struct dl_zlib *dl_zlib(void);

#define zlibVersion (dl_zlib()->p_zlibVersion)
#define zError (dl_zlib()->p_zError)
#define inflateInit_ (dl_zlib()->p_inflateInit_)
#define inflateInit2_ (dl_zlib()->p_inflateInit2_)
#define inflate (dl_zlib()->p_inflate)
#define inflateEnd (dl_zlib()->p_inflateEnd)
#define inflateReset (dl_zlib()->p_inflateReset)

#endif
