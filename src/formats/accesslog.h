/*
 * Access-log formats: a compiler for the format a router writes its access
 * log in, a parser that takes one line apart with it, and the mapping from a
 * parsed line to what the tracker counts (an outcome, a latency, a row).
 *
 * A format is one of:
 *   - nginx's own log_format text ("$remote_addr [$time_local] ..."), or a
 *     whole pasted `log_format NAME '...' '...';` directive;
 *   - an Envoy format string ("[%START_TIME%] %RESPONSE_CODE% ...");
 *   - a built-in name: combined, nginx-timed, envoy, haproxy, json;
 *   - "json:FIELD=KEY,..." (one JSON object a line, with a field map).
 * Any variable or command the compiler does not know is a field to skip, or
 * the field to group rows by when it is named by `group`.
 *
 * Parsing a line allocates nothing: the record points into the line (or into
 * its own scratch buffer for unescaped JSON strings), so it is valid until
 * the line's buffer changes. A line that does not fit is an error with a
 * reason and a column, never a crash. Times become microseconds since the
 * epoch; durations become microseconds.
 */
#ifndef RT_FORMATS_ACCESSLOG_H
#define RT_FORMATS_ACCESSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest format text or log line taken; longer lines are bad lines. */
#define ALOG_FORMAT_MAX 4096
#define ALOG_LINE_MAX 65536
/* Unescaped JSON strings go here; a string that does not fit is cut. */
#define ALOG_SCRATCH 1024
#define ALOG_NO_TIME INT64_MIN
#define ALOG_NO_DURATION ((int64_t)-1)

/* Response flags (Envoy's %RESPONSE_FLAGS%, HAProxy's termination state). */
enum {
	ALOG_FLAG_TIMEOUT = 1u << 0,	/* Envoy UT; HAProxy sC, sH, sD */
	ALOG_FLAG_OVERFLOW = 1u << 1,	/* Envoy UO; HAProxy sQ (queue timeout) */
	ALOG_FLAG_RATE_LIMITED = 1u << 2,	/* Envoy RL */
};

struct alog_text {
	const char *s;
	size_t len;		/* 0: the line has no such field, or it was "-" */
};

struct alog_record {
	int64_t time_us;	/* completion, us since the epoch; ALOG_NO_TIME */
	int64_t request_us;	/* the whole request; ALOG_NO_DURATION */
	int64_t upstream_us;	/* summed over the upstreams tried; ALOG_NO_DURATION */
	int status;		/* 0 when unknown (or Envoy's "no response") */
	int upstream_status;	/* the last upstream's; 0 when unknown */
	unsigned flags;		/* ALOG_FLAG_* */
	bool time_is_start;	/* time_us is the start (Envoy, HAProxy): no duration to add */
	struct alog_text upstream_name;	/* cluster, backend or upstream block */
	struct alog_text upstream_addr;	/* the last upstream server tried */
	struct alog_text host;
	struct alog_text path;	/* the request's path, query and all */
	struct alog_text group;	/* the field named by alog_compile's group */
	char scratch[ALOG_SCRATCH];
	size_t scratch_used;
};

struct alog_format;

/*
 * Compile a format (see the opening comment). group names a variable
 * ("http_x_tenant" or "$http_x_tenant", an Envoy command such as
 * "REQ(X-TENANT)", or a JSON key) whose value lands in record.group; NULL for
 * none. Returns NULL with a one-line message in err when the text is not a
 * format this compiler understands or group is not in it. Free with
 * alog_free().
 */
struct alog_format *alog_compile(const char *spec, const char *group, char *err, size_t errlen);
void alog_free(struct alog_format *f);	/* NULL is fine */

/* The built-in names, NULL-terminated, for help texts. */
extern const char *const alog_builtin_names[];

/* Whether the format has a time, a request time, an upstream time. */
bool alog_has_time(const struct alog_format *f);
bool alog_has_request_time(const struct alog_format *f);
bool alog_has_upstream_time(const struct alog_format *f);

/*
 * Take one line (without its newline; a trailing '\r' is ignored) apart
 * into rec. Returns 0, or -1 when the line does not fit the format: then
 * *why is a static reason ("expected '['", "status: not a number") and
 * *column the 0-based byte where it stopped. rec is overwritten either way.
 * The format keeps a one-hour cache for local times without a zone, so it
 * is not to be shared between threads.
 */
int alog_parse(struct alog_format *f, const char *line, size_t len,
	       struct alog_record *rec, const char **why, size_t *column);

/* How a request ended, as the tracker counts it. */
enum alog_outcome {
	ALOG_OK,		/* below 500 and none of the below */
	ALOG_TIMEOUT,		/* 504, Envoy UT, HAProxy sC/sH/sD */
	ALOG_FAILURE,		/* any other 5xx */
	ALOG_RATE_LIMITED,	/* 429, Envoy RL */
	ALOG_REJECTED,		/* breaker or overflow: Envoy UO, HAProxy sQ */
};

enum alog_latency {
	ALOG_LATENCY_REQUEST,	/* the whole request, as the client saw it */
	ALOG_LATENCY_UPSTREAM,	/* the time spent with upstreams */
};

enum alog_by {
	ALOG_BY_UPSTREAM,
	ALOG_BY_HOST,
	ALOG_BY_PATH,		/* the first path segment: "/api/v1?x" -> "/api" */
	ALOG_BY_STATUS,
	ALOG_BY_GROUP,		/* the field named at compile time */
};

/* The outcome of a parsed request. */
enum alog_outcome alog_outcome(const struct alog_record *rec);

/*
 * The latency to record for rec in microseconds, or ALOG_NO_DURATION when the
 * line has none of that kind or the request never reached the point where
 * latency means something (rate-limited and rejected requests, like the
 * simulator's).
 */
int64_t alog_latency_us(const struct alog_record *rec, enum alog_latency which);

/*
 * The row rec belongs to, written into buf (NUL-terminated, cut to len):
 * "(none)" when the line has no such field. Returns the length written.
 */
size_t alog_row_key(const struct alog_record *rec, enum alog_by by, char *buf, size_t len);

/* "upstream", "host", "path", "status": 0 with *by set, or -1. */
int alog_by_parse(const char *text, enum alog_by *by);

#endif
