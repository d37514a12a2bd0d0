/* The source that never says anything; see quiet.h. */
#include "quiet.h"

#include "util.h"

void bench_quiet_describe(void *self, char *buf, size_t len)
{
	str_printf(buf, len, "%s", (const char *)self);
}

int bench_quiet_step(void *self, int64_t mono_ms, struct source_event *ev)
{
	(void)self;
	(void)mono_ms;
	(void)ev;
	return 0;
}
