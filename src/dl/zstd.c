/* libzstd's table (see dl/zstd.h), filled the first time it is asked for. */
#include "config.h"

#include "dl/zstd.h"

#include <stddef.h>

#include "dl/dl.h"

#define DL_ZSTD_SYM(n) { "ZSTD_" #n, offsetof(struct dl_zstd, n) },
static const struct dl_sym zstd_syms[] = { DL_ZSTD_FUNCS(DL_ZSTD_SYM) };
#undef DL_ZSTD_SYM

static const struct dl_lib zstd_lib = {
	.what = "libzstd", .soname = RT_ZSTD_SONAME, .package = RT_ZSTD_PACKAGE,
	.syms = zstd_syms, .nsyms = sizeof(zstd_syms) / sizeof(zstd_syms[0]),
};

/*
 * Process-wide by nature: a loaded library is the process's. Filled once,
 * on the thread that opens a zstd recording, read-only after.
 */
static struct dl_zstd zstd_table;
static struct dl_once zstd_once = { &zstd_lib, &zstd_table, sizeof(zstd_table), false };

int dl_zstd_load(char *err, size_t errlen)
{
	return dl_once_load(&zstd_once, err, errlen);
}

const struct dl_zstd *dl_zstd(void)
{
	return dl_once_table(&zstd_once);
}
