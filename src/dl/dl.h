/*
 * Libraries loaded on first use. The screen on the simulator, replay and
 * batch runs never speak HTTP, yet linking libcurl and libmicrohttpd maps
 * them and all they pull in (a TLS stack, gnutls whose constructor runs at
 * load, p11-kit, krb5, ...) into every run: megabytes of resident memory
 * for nothing; zlib and libzstd serve only compressed recordings. So, as
 * systemd does for its optional libraries, routertop dlopen()s them the
 * first time a mode calls them: dl/curl.h, dl/mhd.h, dl/zlib.h and
 * dl/zstd.h keep the call sites unchanged (each library function is a
 * macro over a table of pointers filled by dlsym), and this file holds
 * what they share.
 *
 * The SONAMEs are found by configure (the ones the build was linked
 * against would record), so the library loaded is the one the headers
 * describe.
 */
#ifndef RT_DL_H
#define RT_DL_H

#include <stdbool.h>
#include <stddef.h>

/* One function to look up: its name, and where its pointer goes in the table. */
struct dl_sym {
	const char *name;
	size_t offset;
};

/* A library: what to call it in messages, its SONAME, the package that ships it. */
struct dl_lib {
	const char *what;	/* "libcurl" */
	const char *soname;	/* "libcurl.so.4" */
	const char *package;	/* "libcurl4" */
	const struct dl_sym *syms;
	size_t nsyms;
};

/*
 * Open lib and store the address of each of its functions in table (at
 * each dl_sym's offset). Returns 0; or -1, with table unchanged and a
 * one-line message such as "libcurl not available (libcurl.so.4: cannot
 * open shared object file: No such file or directory): install libcurl4"
 * in err. The library stays loaded for the life of the process.
 */
int dl_load(const struct dl_lib *lib, void *table, size_t table_size, char *err, size_t errlen);

/*
 * A library's table, filled once for the process: what dl/curl.c and its
 * siblings keep, one each (a loaded library is the process's by nature).
 */
struct dl_once {
	const struct dl_lib *lib;
	void *table;
	size_t table_size;
	bool loaded;		/* table filled; read-only from then on */
};

/*
 * dl_load() into o's table unless it is filled already. Returns 0, or -1
 * with dl_load()'s message in err (and a later call tries again).
 */
int dl_once_load(struct dl_once *o, char *err, size_t errlen);
/* o's table, loaded first if need be; fatal() with the message if it cannot be. */
const void *dl_once_table(struct dl_once *o);

#endif
