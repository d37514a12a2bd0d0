/*
 * libFuzzer target for the access-log formats. The input's first byte
 * chooses the format: a built-in one, or (odd bytes) the input's first line
 * as a format text for the compiler, with its second line as the field to
 * group by. Every following line goes through the parser and, when it
 * parses, through the mapping, so both the compiler and the line parser see
 * hostile text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/accesslog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *next_line(const char **p, const char *end, size_t *len)
{
	const char *start = *p, *nl;

	if (start >= end)
		return NULL;
	nl = memchr(start, '\n', (size_t)(end - start));
	*len = (size_t)((nl != NULL ? nl : end) - start);
	*p = nl != NULL ? nl + 1 : end;
	return start;
}

static void check_record(const struct alog_record *rec)
{
	char key[64];

	if (rec->scratch_used > ALOG_SCRATCH)
		abort();
	for (int by = ALOG_BY_UPSTREAM; by <= ALOG_BY_GROUP; by++)
		if (alog_row_key(rec, (enum alog_by)by, key, sizeof(key)) >= sizeof(key))
			abort();
	(void)alog_outcome(rec);
	(void)alog_latency_us(rec, ALOG_LATENCY_REQUEST);
	(void)alog_latency_us(rec, ALOG_LATENCY_UPSTREAM);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const builtin[] = { "nginx-timed", "envoy", "haproxy", "json", "combined",
					       "json:status=s,request_time=t,upstream_addr=u" };
	const char *p = (const char *)data + 1, *end = (const char *)data + size, *line;
	char spec[ALOG_FORMAT_MAX + 1], group[64], err[256];
	struct alog_format *f;
	struct alog_record rec;
	size_t len;

	if (size == 0)
		return 0;
	if (data[0] & 1) {
		line = next_line(&p, end, &len);
		if (line == NULL || len > ALOG_FORMAT_MAX)
			return 0;
		memcpy(spec, line, len);
		spec[len] = '\0';
		line = next_line(&p, end, &len);
		if (line != NULL && len > 0 && len < sizeof(group)) {
			memcpy(group, line, len);
			group[len] = '\0';
		} else {
			group[0] = '\0';
		}
		f = alog_compile(spec, group[0] != '\0' ? group : NULL, err, sizeof(err));
		if (f == NULL) {
			if (memchr(err, '\0', sizeof(err)) == NULL)
				abort();
			return 0;
		}
	} else {
		f = alog_compile(builtin[(data[0] >> 1) % 6], NULL, err, sizeof(err));
		if (f == NULL)
			abort();
	}
	while ((line = next_line(&p, end, &len)) != NULL) {
		const char *why = NULL;
		size_t col = 0;

		if (alog_parse(f, line, len, &rec, &why, &col) == 0)
			check_record(&rec);
		else if (why == NULL || col > len)
			abort();
	}
	alog_free(f);
	return 0;
}
