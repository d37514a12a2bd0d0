/*
 * Small shared helpers: allocation that never returns NULL, fatal errors
 * that restore the terminal first, clocks, and bounded string formatting.
 */
#ifndef RT_UTIL_H
#define RT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation wrappers: on failure they call fatal(), so they never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/*
 * Zeroed memory of n bytes (n > 0) in pages of its own, for a large table of
 * which a run writes a few pages: calloc may clear, and so make resident, all
 * of a block it recycles, where fresh pages stay unbacked until written.
 * Never NULL; give it back with xpages_free(p, n), n as allocated.
 */
void *xpages_zeroed(size_t n);
void xpages_free(void *p, size_t n);
char *xstrdup(const char *s);

/*
 * Print "routertop: MESSAGE" to stderr and exit with status 3 (UNKNOWN in the
 * monitoring-plugin convention). The cleanup hook, if set, runs first so the
 * terminal is restored before the message is printed.
 */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal_set_cleanup(void (*cleanup)(void));

/* Milliseconds on CLOCK_MONOTONIC (for timers) and since the epoch (for records). */
int64_t clock_monotonic_ms(void);
int64_t clock_wall_ms(void);

/* snprintf into a fixed buffer; never overflows, always terminates. */
void str_printf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * A playback speed for a header: "x1", "x2.5", "x1/16" for a whole fraction,
 * "max" for 0 (as fast as the CPU allows).
 */
void format_speed(char *buf, size_t len, double speed);

/*
 * Parse a duration such as "5", "1.5", "250ms", "2s", "3m", "1h" into
 * milliseconds; a bare number means seconds. Returns 0 on success, -1 if the
 * text is not a positive finite duration.
 */
int parse_duration_ms(const char *text, int64_t *out_ms);

#endif
