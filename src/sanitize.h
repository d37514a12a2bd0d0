/*
 * The sanitising funnel: the one place that decides what text from outside
 * may be shown or written.
 *
 * Every string that comes from outside routertop passes through it before
 * any sink (the screen, standard output and error in every format, the
 * nagios line, recordings): a router's JSON strings and row names, HTTP
 * reason phrases, header values and redirect targets, libcurl's error
 * buffer (it can echo what the peer sent), a command's stderr, the fields of
 * a recording, names given on the command line and echoed in messages (file
 * names, URLs, --listen values, targets-file values), and whatever a new
 * source brings in: Prometheus label values, access-log fields. A producer
 * that stores outside text copies it with sanitize_copy() (or cleans a
 * buffer of its own with sanitize_in_place()); a sink that prints a
 * message uses sanitize_line(), so a producer that forgot is still caught.
 * Sanitising is idempotent: clean text passes unchanged.
 *
 * What it does to the text:
 *   - C0 controls (tab, newline and ESC among them), DEL and C1 controls
 *     (U+0080..U+009F, where the 8-bit CSI lives) become a space, so an
 *     escape sequence arrives as inert characters and a message stays on
 *     one line;
 *   - bytes that are not well-formed UTF-8 become '?';
 *   - the bidirectional controls (U+202A..U+202E, U+2066..U+2069, and the
 *     marks U+061C, U+200E, U+200F) are dropped, so text cannot reorder
 *     what the screen shows around it;
 *   - with SANITIZE_PLUGIN, '|' becomes '/': in monitoring-plugin output
 *     it starts the performance data, so outside text must not hold one.
 * A copy that must be cut is cut between characters, never inside one.
 */
#ifndef RT_SANITIZE_H
#define RT_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cJSON;

/* Flags for every function below; 0 is the plain funnel. */
#define SANITIZE_PLUGIN 1u	/* also replace '|' (Nagios/monitoring-plugin output) */

/*
 * Copy NUL-terminated src into dst (size bytes, size > 0), sanitised: at
 * most size-1 bytes, always terminated. Returns the bytes written.
 */
size_t sanitize_copy(char *dst, size_t size, const char *src, unsigned flags);
/* The same for len bytes of src that need not be terminated; a NUL in them is a control. */
size_t sanitize_copy_n(char *dst, size_t size, const char *src, size_t len, unsigned flags);
/* Sanitise NUL-terminated s where it lies (the text never grows). Returns its new length. */
size_t sanitize_in_place(char *s, unsigned flags);
/* Whether s would pass unchanged. */
bool sanitize_is_clean(const char *s, unsigned flags);
/*
 * Sanitise every string value and every member name in a parsed JSON tree
 * (NULL is fine), in place: for outside JSON that is kept or printed whole,
 * such as a recorded event.
 */
void sanitize_cjson(struct cJSON *item);
/*
 * Write one line to f: the formatted text through the funnel, then a
 * newline. Everything the text holds is sanitised, the format's own words
 * too, so any newline must come from the caller's next line, not the format.
 */
void sanitize_line(FILE *f, unsigned flags, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
