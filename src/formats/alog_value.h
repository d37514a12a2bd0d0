/*
 * Field values of access logs, shared by the template matcher, the HAProxy
 * parser and the JSON scanner: decimal durations, nginx's lists of upstream
 * values ("0.010, 0.020 : 0.005"), status codes and the timestamp shapes
 * routers write. Nothing here allocates or reads a clock.
 *
 * Every parser takes (s, n) and returns 0 with the value, 1 when the field
 * holds nginx's or Envoy's "-" for "not set" (or is empty), or -1 when the
 * text is not of that kind.
 */
#ifndef RT_FORMATS_ALOG_VALUE_H
#define RT_FORMATS_ALOG_VALUE_H

#include <stddef.h>
#include <stdint.h>

/* Units of a duration field: how many microseconds one unit is. */
#define ALOGV_SECONDS 1000000
#define ALOGV_MILLIS 1000

/* Local times without a zone: the epoch of the start of the last hour seen. */
struct alogv_tzcache {
	int64_t key;		/* yyyymmddhh, or -1 for empty */
	int64_t offset_s;	/* local minus UTC, in seconds */
};

/* "0.123" in the given unit -> microseconds (up to 6 decimals kept). */
int alogv_duration(const char *s, size_t n, int64_t unit_us, int64_t *us);
/* A list "a, b : c" of durations summed; "-" items count as nothing. 1 if all are "-". */
int alogv_duration_list(const char *s, size_t n, int64_t unit_us, int64_t *us);
/* The last item of a list "a, b : c" (an address or a status); 1 if it is "-". */
int alogv_list_last(const char *s, size_t n, const char **item, size_t *len);
/* A status code 0..999. */
int alogv_status(const char *s, size_t n, int *status);

/* "10/Oct/2000:13:55:36 -0700" (nginx $time_local). */
int alogv_time_local(const char *s, size_t n, int64_t *us);
/* "2000-10-10T13:55:36-07:00", "2016-04-15T20:17:00.310Z", fractions
 * optional; a time without a zone is local time (tz). */
int alogv_time_iso(const char *s, size_t n, struct alogv_tzcache *tz, int64_t *us);
/* "06/Feb/2009:12:14:14.655" (HAProxy's accept date): local time. */
int alogv_time_haproxy(const char *s, size_t n, struct alogv_tzcache *tz, int64_t *us);
/* Seconds since the epoch with an optional fraction ("1700000000.123", $msec). */
int alogv_time_epoch(const char *s, size_t n, int64_t *us);

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
int64_t alogv_days_from_civil(int64_t y, int m, int d);

#endif
