/*
 * Batch output: --batch prints one line per interval, --once one evaluation,
 * in text, json, csv, nagios or openmetrics format. Never touches terminal modes.
 */
#ifndef RT_OUTPUT_H
#define RT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "monitor.h"

enum output_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_NAGIOS, FORMAT_OPENMETRICS };

/* "text", "json", "csv", "nagios" -> format; returns 0 or -1. */
int output_format_parse(const char *name, enum output_format *out);

/*
 * Write one record for the monitor's newest snapshot and evaluation, and
 * flush it. Returns 0, or -1 with errno set when out could not take it.
 */
int output_write(FILE *out, enum output_format fmt, const struct monitor *m, bool first);

/*
 * After the last record: what closes the output (OpenMetrics' "# EOF"), if
 * anything. Returns 0, or -1 with errno set as output_write.
 */
int output_finish(FILE *out, enum output_format fmt);

/*
 * What --once prints: for text a short multi-line report, for the other
 * formats the same record as output_write() (with the csv header).
 */
int output_write_once(FILE *out, enum output_format fmt, const struct monitor *m);
/*
 * Standard output could not be written (errnum from output_write): say so
 * on err, "routertop: cannot write standard output: REASON", except for
 * EPIPE (the reader went away on purpose), and return the exit status, 3.
 */
int output_write_failed(FILE *err, int errnum);

/*
 * A demo's caption (an event log entry of kind EVLOG_CAPTION) as batch
 * output, between the snapshot lines: text "# +5.2s chapter 2/9 Title:
 * text", json {"t":5200,"caption":{...}}; other formats print nothing.
 */
void output_write_caption(FILE *out, enum output_format fmt, const struct monitor *m,
			  const struct eventlog_entry *e);

struct cJSON;
/*
 * A json record: root printed on one line of out, then deleted (root is
 * the caller's until this call, never after). Text from outside in root
 * must be clean already (sanitize_cjson, or sanitised on the way in): this
 * prints as is. fatal() when out of memory; a write error is left to
 * ferror(out), as fprintf leaves it.
 */
void output_json_line(FILE *out, struct cJSON *root);

struct batch_options {
	enum output_format format;
	bool once;			/* one evaluation, then exit */
	const struct target_set *targets;
	struct recorder *rec;		/* NULL: not recording */
	FILE *out, *err;		/* NULL: stdout, stderr */
	bool recap;			/* at the end, the recap (recap.h): targets met and missed */
};

/*
 * Run src until it ends (or after the first snapshot or fault with once),
 * printing to stdout (captions too, in text and json); faults go to stderr
 * as one line each. SIGINT and
 * SIGTERM stop it cleanly. Returns the exit status: with once, that of the
 * evaluation (0 OK, 1 WARN, 2 FAIL, 3 UNKNOWN or unreachable); otherwise
 * that of the last evaluation.
 */
int batch_run(struct source *src, const struct batch_options *o);

#endif
