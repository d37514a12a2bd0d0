/*
 * Prometheus text as what the http and exec sources read: each body is
 * parsed (formats/expo), put through a router profile (formats/router) and
 * turned, with the scrape before it, into a snapshot with one row per value
 * of the profile's row label.
 *
 * The numbers are the ones Prometheus would give over the interval between
 * the two scrapes: rates from counter increases over the time between them,
 * percentiles by histogram_quantile over the bucket increases (merged over
 * the rows for the whole router), average latency from the increase of the
 * sum over that of the count. The first scrape has no interval: its
 * percentiles are lifetime ones, marked as such (METRICS_PCT_LIFETIME), its
 * rates unknown and its failure rate the lifetime share of failed requests.
 * Counters stay cumulative, as on the wire.
 */
#ifndef RT_SOURCE_PROM_H
#define RT_SOURCE_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "formats/profile.h"
#include "formats/router.h"
#include "metrics.h"
#include "source/source.h"

/*
 * JSON or Prometheus text: forced when not AUTO; else by Content-Type
 * (content_type may be NULL: a command's output) — application/json is
 * JSON, OpenMetrics or text/plain with a version is Prometheus — and
 * otherwise by content: a body whose first non-blank byte is '{' is JSON.
 */
enum source_input prom_body_kind(enum source_input forced, const char *content_type, const char *body,
			       size_t len);

/* The Accept header line a poll sends for an input mode: what routertop reads, best first. */
const char *prom_accept_header(enum source_input input);

/*
 * Parse "auto", "json" or "prometheus" (--input). Returns 0, or -1 when the
 * text is none of them.
 */
int prom_input_parse(const char *text, enum source_input *out);

struct prom_reader;

/*
 * A reader for one source (o->profile and o->by; o->input is the caller's).
 * A named profile is loaded now: a bad one is a located error in err and
 * NULL is returned. Never NULL otherwise.
 */
struct prom_reader *prom_reader_new(const struct source_text_options *o, char *err, size_t errlen);
void prom_reader_free(struct prom_reader *r);	/* NULL is fine */

/*
 * Read one scrape (len bytes, need not be NUL-terminated; content_type may
 * be NULL) taken at at_ms (monotonic) into *snap, which must be valid
 * (metrics_init'ed or filled before): it is cleared and refilled, reusing
 * its rows' memory. Returns 0, or -1 with a one-line message in err: a
 * body over the cap, no built-in profile fits (auto), or none of the
 * profile's families in it. Bad lines are skipped and counted
 * (prom_reader_bad_lines). A failed read leaves the previous scrape in place
 * for the next interval.
 */
int prom_reader_read(struct prom_reader *r, const char *body, size_t len,
		     const char *content_type, int64_t at_ms, struct metrics_snapshot *snap,
		     char *err, size_t errlen);

/* The profile in use, NULL while auto has not picked one yet. */
const struct profile *prom_reader_profile(const struct prom_reader *r);
/* Bad lines skipped in the last scrape, and the first one's message (NULL if none). */
size_t prom_reader_bad_lines(const struct prom_reader *r, const char **first);
/*
 * For the header: "envoy by cluster" (the profile and what a row is, or the
 * --by label), with ", 3 bad lines" when the last scrape had some. "" while
 * auto has not picked a profile.
 */
void prom_reader_describe(const struct prom_reader *r, char *buf, size_t len);
/*
 * What a row is, for the screen's list (source_row_noun): the --by label,
 * else the profile's noun ("cluster", "backend"); NULL while auto has not
 * picked a profile (or the input is the wire JSON).
 */
const char *prom_reader_row_noun(const struct prom_reader *r);

/*
 * The snapshot of scrape cur taken at cur_ms, with prev (NULL for the first
 * scrape) taken at prev_ms: the arithmetic above, apart from any I/O so it
 * can be tested and measured on its own. *out must be valid; it is cleared.
 */
void prom_snapshot(const struct profile *p, const struct router_scrape *prev, int64_t prev_ms,
		   const struct router_scrape *cur, int64_t cur_ms, struct metrics_snapshot *out);

#endif
