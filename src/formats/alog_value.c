/*
 * Field values of access logs. Hand-written scanners rather than strtod and
 * strptime: they run once or more on every line of logs of millions of
 * lines, and they must reject what does not fit rather than stop early.
 */
#include "formats/alog_value.h"

#include <string.h>
#include <time.h>

#define MAX_INT_DIGITS 12	/* keeps value * unit within int64 */
#define MAX_FRAC_DIGITS 6

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_dash(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '-');
}

int alogv_duration(const char *s, size_t n, int64_t unit_us, int64_t *us)
{
	static const int64_t pow10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
	int64_t ip = 0, frac = 0;
	size_t i = 0;
	int idigits = 0, fdigits = 0, fkept = 0;

	if (is_dash(s, n))
		return 1;
	for (; i < n && is_digit(s[i]); i++) {
		if (++idigits > MAX_INT_DIGITS)
			return -1;
		ip = ip * 10 + (s[i] - '0');
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit(s[i]); i++, fdigits++) {
			if (fkept < MAX_FRAC_DIGITS) {
				frac = frac * 10 + (s[i] - '0');
				fkept++;
			}
		}
	}
	if (i != n || idigits + fdigits == 0)
		return -1;
	*us = ip * unit_us + frac * unit_us / pow10[fkept];
	return 0;
}

/* Item boundaries of nginx lists: ", " between servers, " : " between groups. */
static size_t item_end(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] != ',' && !(s[i] == ' ' && i + 1 < n && s[i + 1] == ':'))
		i++;
	return i;
}

static size_t skip_separator(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ',' || s[i] == ':' || s[i] == ' '))
		i++;
	return i;
}

int alogv_duration_list(const char *s, size_t n, int64_t unit_us, int64_t *us)
{
	int64_t sum = 0;
	int any = 0;
	size_t i = 0;

	if (is_dash(s, n))
		return 1;
	while (i < n) {
		size_t e = item_end(s, n, i);
		int64_t v;
		int rc = alogv_duration(s + i, e - i, unit_us, &v);

		if (rc < 0)
			return -1;
		if (rc == 0) {
			sum += v;
			any = 1;
		}
		if (e == n)
			break;
		i = skip_separator(s, n, e);
		if (i == n)
			return -1;	/* a list never ends in a separator */
	}
	if (!any)
		return 1;
	*us = sum;
	return 0;
}

int alogv_list_last(const char *s, size_t n, const char **item, size_t *len)
{
	size_t start = 0;

	for (size_t i = n; i-- > 1;) {
		if ((s[i] == ' ' && s[i - 1] == ',') || (s[i] == ' ' && s[i - 1] == ':' && i >= 2 && s[i - 2] == ' ')) {
			start = i + 1;
			break;
		}
	}
	if (is_dash(s + start, n - start))
		return 1;
	*item = s + start;
	*len = n - start;
	return 0;
}

int alogv_status(const char *s, size_t n, int *status)
{
	int v = 0;

	if (is_dash(s, n))
		return 1;
	if (n > 3)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*status = v;
	return 0;
}

int64_t alogv_days_from_civil(int64_t y, int m, int d)
{
	/* Howard Hinnant's days_from_civil: eras of 400 years from March 1st. */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* n fixed digits at s; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int month_of(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, s, 3) == 0)
			return i + 1;
	return -1;
}

struct civil {
	int y, mo, d, h, mi, sec;
};

static int civil_ok(const struct civil *c)
{
	return c->y >= 1 && c->mo >= 1 && c->mo <= 12 && c->d >= 1 && c->d <= 31 && c->h >= 0 &&
	       c->h <= 23 && c->mi >= 0 && c->mi <= 59 && c->sec >= 0 && c->sec <= 60;
}

/* Seconds since the epoch of a civil time read as UTC. */
static int64_t civil_utc(const struct civil *c)
{
	return alogv_days_from_civil(c->y, c->mo, c->d) * 86400 + (int64_t)c->h * 3600 + c->mi * 60 + c->sec;
}

/* Local minus UTC for the hour of c, from mktime once an hour of log. */
static int64_t local_offset(struct alogv_tzcache *tz, const struct civil *c)
{
	int64_t key = (((int64_t)c->y * 100 + c->mo) * 100 + c->d) * 100 + c->h;

	if (tz->key != key) {
		struct tm tm = { .tm_year = c->y - 1900, .tm_mon = c->mo - 1, .tm_mday = c->d,
				 .tm_hour = c->h, .tm_isdst = -1 };
		struct civil hour = *c;
		time_t t = mktime(&tm);

		hour.mi = hour.sec = 0;
		tz->offset_s = t == (time_t)-1 ? 0 : civil_utc(&hour) - (int64_t)t;
		tz->key = key;
	}
	return tz->offset_s;
}

/* ".123" fraction at s (up to n bytes): microseconds and bytes used. */
static size_t fraction_us(const char *s, size_t n, int64_t *us)
{
	int64_t v = 0, scale = 100000;
	size_t i = 1;

	*us = 0;
	if (n < 2 || s[0] != '.' || !is_digit(s[1]))
		return 0;
	for (; i < n && is_digit(s[i]); i++) {
		v += (s[i] - '0') * scale;
		scale /= 10;
	}
	*us = v;
	return i;
}

/* "+0200", "-07:00": seconds east of UTC and bytes used, 0 bytes if none. */
static size_t zone_offset(const char *s, size_t n, int64_t *off)
{
	int sign, h, m;

	if (n < 1 || (s[0] != '+' && s[0] != '-'))
		return 0;
	sign = s[0] == '-' ? -1 : 1;
	if (n == 6 && s[3] == ':') {
		h = digits(s + 1, 2);
		m = digits(s + 4, 2);
	} else if (n == 5) {
		h = digits(s + 1, 2);
		m = digits(s + 3, 2);
	} else {
		return 0;
	}
	if (h < 0 || m < 0 || h > 23 || m > 59)
		return 0;
	*off = sign * (h * 3600 + m * 60);
	return n;
}

/* "dd/Mon/yyyy:hh:mm:ss" at s (20 bytes). */
static int clf_civil(const char *s, struct civil *c)
{
	if (s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':')
		return -1;
	c->d = digits(s, 2);
	c->mo = month_of(s + 3);
	c->y = digits(s + 7, 4);
	c->h = digits(s + 12, 2);
	c->mi = digits(s + 15, 2);
	c->sec = digits(s + 18, 2);
	return civil_ok(c) ? 0 : -1;
}

int alogv_time_local(const char *s, size_t n, int64_t *us)
{
	struct civil c;
	int64_t off;

	if (is_dash(s, n))
		return 1;
	if (n != 26 || s[20] != ' ' || clf_civil(s, &c) < 0 || zone_offset(s + 21, 5, &off) != 5)
		return -1;
	*us = (civil_utc(&c) - off) * 1000000;
	return 0;
}

int alogv_time_haproxy(const char *s, size_t n, struct alogv_tzcache *tz, int64_t *us)
{
	struct civil c;
	int64_t frac = 0;

	if (n < 20 || clf_civil(s, &c) < 0)
		return -1;
	if (n > 20 && fraction_us(s + 20, n - 20, &frac) != n - 20)
		return -1;
	*us = (civil_utc(&c) - local_offset(tz, &c)) * 1000000 + frac;
	return 0;
}

int alogv_time_iso(const char *s, size_t n, struct alogv_tzcache *tz, int64_t *us)
{
	struct civil c;
	int64_t frac = 0, off = 0;
	size_t i = 19;

	if (is_dash(s, n))
		return 1;
	if (n < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	c.y = digits(s, 4);
	c.mo = digits(s + 5, 2);
	c.d = digits(s + 8, 2);
	c.h = digits(s + 11, 2);
	c.mi = digits(s + 14, 2);
	c.sec = digits(s + 17, 2);
	if (!civil_ok(&c))
		return -1;
	i += fraction_us(s + i, n - i, &frac);
	if (i == n) {
		off = local_offset(tz, &c);
	} else if (i + 1 == n && s[i] == 'Z') {
		off = 0;
	} else if (zone_offset(s + i, n - i, &off) != n - i) {
		return -1;
	}
	*us = (civil_utc(&c) - off) * 1000000 + frac;
	return 0;
}

int alogv_time_epoch(const char *s, size_t n, int64_t *us)
{
	return alogv_duration(s, n, ALOGV_SECONDS, us);
}
