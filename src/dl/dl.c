/* Loading a library on first use; see dl.h. */
#include "dl/dl.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int dl_load(const struct dl_lib *lib, void *table, size_t table_size, char *err, size_t errlen)
{
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	unsigned char *ptrs;

	if (h == NULL) {
		const char *why = dlerror();

		str_printf(err, errlen, "%s not available (%s): install %s", lib->what,
			   why != NULL ? why : lib->soname, lib->package);
		return -1;
	}
	/* Filled apart and copied at the end, so a missing function leaves the table as it was. */
	ptrs = xcalloc(1, table_size);
	for (size_t i = 0; i < lib->nsyms; i++) {
		void *f;

		dlerror();
		f = dlsym(h, lib->syms[i].name);
		if (f == NULL) {
			str_printf(err, errlen, "%s not available (%s has no %s): install a newer %s",
				   lib->what, lib->soname, lib->syms[i].name, lib->package);
			free(ptrs);
			dlclose(h);
			return -1;
		}
		/* POSIX lets a function's address travel as void * (dlsym's own contract). */
		memcpy((char *)ptrs + lib->syms[i].offset, &f, sizeof(f));
	}
	memcpy(table, ptrs, table_size);
	free(ptrs);
	return 0;
}

int dl_once_load(struct dl_once *o, char *err, size_t errlen)
{
	if (o->loaded)
		return 0;
	if (dl_load(o->lib, o->table, o->table_size, err, errlen) < 0)
		return -1;
	o->loaded = true;
	return 0;
}

const void *dl_once_table(struct dl_once *o)
{
	char err[512];

	if (!o->loaded && dl_once_load(o, err, sizeof(err)) < 0)
		fatal("%s", err);
	return o->table;
}
