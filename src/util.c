/* Shared helpers; see util.h for the contracts. */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "sanitize.h"

#define FATAL_MSG_LEN 1024

/* The one piece of process-wide state: who restores the terminal on fatal(). */
static void (*fatal_cleanup)(void);

void fatal_set_cleanup(void (*cleanup)(void))
{
	fatal_cleanup = cleanup;
}

void fatal(const char *fmt, ...)
{
	char msg[FATAL_MSG_LEN];
	va_list ap;

	if (fatal_cleanup != NULL) {
		void (*cleanup)(void) = fatal_cleanup;

		fatal_cleanup = NULL; /* a failure inside cleanup must not loop */
		cleanup();
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* The message may name a file or quote a peer: it leaves through the funnel. */
	sanitize_line(stderr, 0, "routertop: %s", msg);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		fatal("out of memory (%zu x %zu bytes)", count, size);
	return p;
}

void *xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void *xpages_zeroed(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fatal("out of memory (%zu bytes)", n);
	return p;
}

void xpages_free(void *p, size_t n)
{
	if (p != NULL)
		munmap(p, n);
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static int64_t clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_monotonic_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

int64_t clock_wall_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

void str_printf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

int parse_duration_ms(const char *text, int64_t *out_ms)
{
	char *end;
	double v, scale = 1000.0;

	if (text == NULL || *text == '\0')
		return -1;
	errno = 0;
	v = strtod(text, &end);
	if (errno != 0 || end == text || !isfinite(v) || v <= 0)
		return -1;
	if (strcmp(end, "ms") == 0)
		scale = 1.0;
	else if (strcmp(end, "s") == 0 || *end == '\0')
		scale = 1000.0;
	else if (strcmp(end, "m") == 0)
		scale = 60000.0;
	else if (strcmp(end, "h") == 0)
		scale = 3600000.0;
	else
		return -1;
	v *= scale;
	if (v < 1.0 || v > 1e12) /* under a millisecond or over ~30 years */
		return -1;
	*out_ms = (int64_t)llround(v);
	return 0;
}

void format_speed(char *buf, size_t len, double speed)
{
	double inverse = speed > 0 ? 1.0 / speed : 0;

	if (speed <= 0)
		str_printf(buf, len, "max");
	else if (speed < 1 && fabs(inverse - round(inverse)) < 1e-9)
		str_printf(buf, len, "x1/%.0f", inverse);
	else
		str_printf(buf, len, "x%g", speed);
}
