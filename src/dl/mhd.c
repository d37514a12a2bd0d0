/* libmicrohttpd's table (see dl/mhd.h), filled the first time it is asked for. */
#include "config.h"

#include "dl/mhd.h"

#include <stddef.h>

#include "dl/dl.h"

#define DL_MHD_SYM(n) { "MHD_" #n, offsetof(struct dl_mhd, n) },
static const struct dl_sym mhd_syms[] = { DL_MHD_FUNCS(DL_MHD_SYM) };
#undef DL_MHD_SYM

static const struct dl_lib mhd_lib = {
	.what = "libmicrohttpd", .soname = RT_MHD_SONAME, .package = RT_MHD_PACKAGE,
	.syms = mhd_syms, .nsyms = sizeof(mhd_syms) / sizeof(mhd_syms[0]),
};

/*
 * Process-wide by nature: a loaded library is the process's. Filled once,
 * on the thread that starts the server (serve's loop), read-only after.
 */
static struct dl_mhd mhd_table;
static struct dl_once mhd_once = { &mhd_lib, &mhd_table, sizeof(mhd_table), false };

int dl_mhd_load(char *err, size_t errlen)
{
	return dl_once_load(&mhd_once, err, errlen);
}

const struct dl_mhd *dl_mhd(void)
{
	return dl_once_table(&mhd_once);
}
