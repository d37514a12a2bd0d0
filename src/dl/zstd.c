/* libzstd's table (see dl/zstd.h), filled the first time it is asked for. */
#include "config.h"

#include "dl/zstd.h"

#include <stdbool.h>
#include <stddef.h>

#include "dl/dl.h"
#include "util.h"

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
static bool zstd_loaded;

int dl_zstd_load(char *err, size_t errlen)
{
	if (zstd_loaded)
		return 0;
	if (dl_load(&zstd_lib, &zstd_table, sizeof(zstd_table), err, errlen) < 0)
		return -1;
	zstd_loaded = true;
	return 0;
}

const struct dl_zstd *dl_zstd(void)
{
	char err[512];

	if (!zstd_loaded && dl_zstd_load(err, sizeof(err)) < 0)
		fatal("%s", err);
	return &zstd_table;
}
