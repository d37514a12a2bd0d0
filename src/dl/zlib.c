/* zlib's table (see dl/zlib.h), filled the first time it is asked for. */
#include "config.h"

#include "dl/zlib.h"

#include <stddef.h>

#include "dl/dl.h"

#define DL_ZLIB_SYM(n) { #n, offsetof(struct dl_zlib, p_##n) },
static const struct dl_sym zlib_syms[] = { DL_ZLIB_FUNCS(DL_ZLIB_SYM) };
#undef DL_ZLIB_SYM

static const struct dl_lib zlib_lib = {
	.what = "zlib", .soname = RT_ZLIB_SONAME, .package = RT_ZLIB_PACKAGE,
	.syms = zlib_syms, .nsyms = sizeof(zlib_syms) / sizeof(zlib_syms[0]),
};

/*
 * Process-wide by nature: a loaded library is the process's. Filled once,
 * on the thread that opens a gzip recording, read-only after.
 */
static struct dl_zlib zlib_table;
static struct dl_once zlib_once = { &zlib_lib, &zlib_table, sizeof(zlib_table), false };

int dl_zlib_load(char *err, size_t errlen)
{
	return dl_once_load(&zlib_once, err, errlen);
}

const struct dl_zlib *dl_zlib(void)
{
	return dl_once_table(&zlib_once);
}
