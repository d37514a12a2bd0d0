/* libcurl's table (see dl/curl.h), filled the first time it is asked for. */
#include "config.h"

#include "dl/curl.h"

#include <stddef.h>

#include "dl/dl.h"

#define DL_CURL_SYM(n) { "curl_" #n, offsetof(struct dl_curl, n) },
static const struct dl_sym curl_syms[] = { DL_CURL_FUNCS(DL_CURL_SYM) };
#undef DL_CURL_SYM

static const struct dl_lib curl_lib = {
	.what = "libcurl", .soname = RT_CURL_SONAME, .package = RT_CURL_PACKAGE,
	.syms = curl_syms, .nsyms = sizeof(curl_syms) / sizeof(curl_syms[0]),
};

/*
 * Process-wide by nature: a loaded library is the process's. Filled once,
 * on the thread that first speaks HTTP (the event loop's), read-only after.
 */
static struct dl_curl curl_table;
static struct dl_once curl_once = { &curl_lib, &curl_table, sizeof(curl_table), false };

int dl_curl_load(char *err, size_t errlen)
{
	return dl_once_load(&curl_once, err, errlen);
}

const struct dl_curl *dl_curl(void)
{
	return dl_once_table(&curl_once);
}
