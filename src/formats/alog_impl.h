/*
 * Inside the access-log formats: the compiled form shared by the compiler
 * (accesslog.c), the template matcher, the HAProxy parser (alog_haproxy.c)
 * and the JSON scanner (alog_json.c). Not for use outside src/formats/.
 */
#ifndef RT_FORMATS_ALOG_IMPL_H
#define RT_FORMATS_ALOG_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "formats/accesslog.h"
#include "formats/alog_value.h"

#define ALOG_MAX_TOKENS 128
#define ALOG_MAX_JSON_KEYS 32
#define ALOG_KEY_MAX 64

/* What a field means; every parser turns a field's text into the record with alog_apply. */
enum alog_kind {
	ALOG_K_LITERAL,		/* template text between fields */
	ALOG_K_SKIP,		/* any other variable */
	ALOG_K_TIME_LOCAL,	/* $time_local */
	ALOG_K_TIME_ISO,	/* $time_iso8601 */
	ALOG_K_TIME_ISO_START,	/* Envoy %START_TIME%: the request's start */
	ALOG_K_TIME_EPOCH,	/* $msec */
	ALOG_K_TIME_EPOCH_START,	/* %START_TIME(%s.%3f)% */
	ALOG_K_REQUEST,		/* "GET /path HTTP/1.1" */
	ALOG_K_PATH,		/* $request_uri, Envoy's path */
	ALOG_K_STATUS,
	ALOG_K_REQUEST_S,	/* $request_time, seconds */
	ALOG_K_REQUEST_MS,	/* %DURATION%, milliseconds */
	ALOG_K_UPSTREAM_S,	/* $upstream_response_time: a list, seconds */
	ALOG_K_UPSTREAM_MS,	/* x-envoy-upstream-service-time, milliseconds */
	ALOG_K_UPSTREAM_ADDR,	/* $upstream_addr (a list), %UPSTREAM_HOST% */
	ALOG_K_UPSTREAM_NAME,	/* %UPSTREAM_CLUSTER%, $proxy_host, HAProxy's backend */
	ALOG_K_UPSTREAM_STATUS,	/* $upstream_status: a list */
	ALOG_K_HOST,
	ALOG_K_FLAGS,		/* %RESPONSE_FLAGS% */
};

struct alog_token {
	enum alog_kind kind;
	const char *lit;	/* literal text (in the format's own buffer) */
	size_t len;
	char term;		/* a field ends before this byte; 0: at the end of the line */
	bool quoted;		/* between '"'s: ends at the closing quote, escapes skipped */
	bool list;		/* may be an nginx list "a, b : c" */
	bool group;		/* also the field rows are grouped by */
};

struct alog_json_key {
	char key[ALOG_KEY_MAX];
	size_t len;
	enum alog_kind kind;
	bool group;
};

enum alog_syntax { ALOG_SYNTAX_TEMPLATE, ALOG_SYNTAX_HAPROXY, ALOG_SYNTAX_JSON };

/* HAProxy fields a group may name. */
enum alog_haproxy_group { ALOG_HG_NONE, ALOG_HG_FRONTEND, ALOG_HG_BACKEND, ALOG_HG_SERVER, ALOG_HG_CLIENT };

struct alog_format {
	enum alog_syntax syntax;
	struct alog_token tok[ALOG_MAX_TOKENS];
	int ntok;
	struct alog_json_key keys[ALOG_MAX_JSON_KEYS];
	int nkeys;
	enum alog_haproxy_group hgroup;
	unsigned have;		/* 1u << kind for every kind present */
	struct alogv_tzcache tz;
	char text[ALOG_FORMAT_MAX + 1];	/* the literals */
	size_t text_used;
};

/*
 * Put one field's text into rec as kind says (and into rec->group when
 * group). Returns 0, or -1 with *why set when the text is not of that kind.
 */
int alog_apply(struct alog_format *f, enum alog_kind kind, bool group, const char *s, size_t n,
	       struct alog_record *rec, const char **why);

/* The parsers behind alog_parse for the non-template syntaxes; same contract. */
int alog_parse_haproxy(struct alog_format *f, const char *line, size_t len,
		       struct alog_record *rec, const char **why, size_t *column);
int alog_parse_json(struct alog_format *f, const char *line, size_t len,
		    struct alog_record *rec, const char **why, size_t *column);

/* The kind a JSON field map's name stands for (nginx and Envoy names); -1 if none. */
int alog_kind_of_name(const char *name, size_t len);

#endif
