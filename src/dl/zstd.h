/*
 * libzstd, loaded on first use (see dl/dl.h): only a replay of a zstd
 * recording needs it. Include this instead of <zstd.h>; each function
 * routertop calls is a macro over a table filled by dlsym. The first call
 * loads the library, or ends the program through fatal() with a one-line
 * message ("libzstd not available (...): install libzstd1").
 *
 * A function not listed in DL_ZSTD_FUNCS fails to link: add it to the list
 * and to the macros below.
 */
#ifndef RT_DL_ZSTD_H
#define RT_DL_ZSTD_H

#include <stddef.h>
#include <zstd.h>

#define DL_ZSTD_FUNCS(X) \
	X(versionNumber) X(isError) X(getErrorName) X(createDCtx) X(freeDCtx) \
	X(DCtx_reset) X(decompressStream) X(DStreamInSize) X(DStreamOutSize)

/* One pointer per function, with libzstd's own prototype. */
struct dl_zstd {
#define DL_ZSTD_FIELD(n) __typeof__(&ZSTD_##n) n;
	DL_ZSTD_FUNCS(DL_ZSTD_FIELD)
#undef DL_ZSTD_FIELD
};

/* Load libzstd if it is not loaded yet. Returns 0, or -1 with a one-line message in err. */
int dl_zstd_load(char *err, size_t errlen);
/* The table, loading libzstd first if needed; fatal() if it cannot be loaded. */
const struct dl_zstd *dl_zstd(void);

#define ZSTD_versionNumber (dl_zstd()->versionNumber)
#define ZSTD_isError (dl_zstd()->isError)
#define ZSTD_getErrorName (dl_zstd()->getErrorName)
#define ZSTD_createDCtx (dl_zstd()->createDCtx)
#define ZSTD_freeDCtx (dl_zstd()->freeDCtx)
#define ZSTD_DCtx_reset (dl_zstd()->DCtx_reset)
#define ZSTD_decompressStream (dl_zstd()->decompressStream)
#define ZSTD_DStreamInSize (dl_zstd()->DStreamInSize)
#define ZSTD_DStreamOutSize (dl_zstd()->DStreamOutSize)

#endif
