/*
 * The access-log format compiler. A format text becomes a list of tokens:
 * literal text and fields, each field with a kind (what it means), the byte
 * that ends it (the first byte of the next literal) and whether it sits
 * between quotes. nginx's `$variable` and Envoy's `%COMMAND%` syntaxes both
 * compile to that list, so one matcher (alog_match.c) serves both. HAProxy's
 * httplog line has optional parts a template cannot say, so it has its own
 * parser; JSON lines have a key map instead of tokens.
 */
#include "formats/accesslog.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/alog_impl.h"
#include "util.h"

#define COMBINED "$remote_addr - $remote_user [$time_local] \"$request\" " \
	"$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\""

const char *const alog_builtin_names[] = { "combined", "nginx-timed", "envoy", "haproxy", "json", NULL };

static const struct {
	const char *name, *text;
} builtins[] = {
	{ "combined", COMBINED },
	{ "nginx-timed", COMBINED " $request_time $upstream_response_time $upstream_addr" },
	/* Envoy's default format string, as its access-log documentation gives it. */
	{ "envoy", "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" "
	  "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
	  "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
	  "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"" },
};

struct name_kind {
	const char *name;
	enum alog_kind kind;
};

static const struct name_kind nginx_names[] = {
	{ "time_local", ALOG_K_TIME_LOCAL }, { "time_iso8601", ALOG_K_TIME_ISO },
	{ "msec", ALOG_K_TIME_EPOCH }, { "request", ALOG_K_REQUEST },
	{ "request_uri", ALOG_K_PATH }, { "uri", ALOG_K_PATH }, { "document_uri", ALOG_K_PATH },
	{ "status", ALOG_K_STATUS }, { "request_time", ALOG_K_REQUEST_S },
	{ "upstream_response_time", ALOG_K_UPSTREAM_S }, { "upstream_addr", ALOG_K_UPSTREAM_ADDR },
	{ "upstream_status", ALOG_K_UPSTREAM_STATUS }, { "proxy_host", ALOG_K_UPSTREAM_NAME },
	{ "proxy_upstream_name", ALOG_K_UPSTREAM_NAME }, { "host", ALOG_K_HOST },
	{ "http_host", ALOG_K_HOST },
};

/* Compared without case: Envoy's header names are case-insensitive. */
static const struct name_kind envoy_names[] = {
	{ "START_TIME", ALOG_K_TIME_ISO_START }, { "RESPONSE_CODE", ALOG_K_STATUS },
	{ "RESPONSE_FLAGS", ALOG_K_FLAGS }, { "DURATION", ALOG_K_REQUEST_MS },
	{ "RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)", ALOG_K_UPSTREAM_MS },
	{ "REQ(:AUTHORITY)", ALOG_K_HOST }, { "REQ(HOST)", ALOG_K_HOST },
	{ "REQ(X-ENVOY-ORIGINAL-PATH?:PATH)", ALOG_K_PATH }, { "REQ(:PATH)", ALOG_K_PATH },
	{ "UPSTREAM_HOST", ALOG_K_UPSTREAM_ADDR }, { "UPSTREAM_CLUSTER", ALOG_K_UPSTREAM_NAME },
};

/* JSON keys as nginx (escape=json) and Envoy (json_format) logs name them. */
static const struct name_kind json_names[] = {
	{ "time_local", ALOG_K_TIME_LOCAL }, { "time_iso8601", ALOG_K_TIME_ISO },
	{ "time", ALOG_K_TIME_ISO }, { "timestamp", ALOG_K_TIME_ISO }, { "@timestamp", ALOG_K_TIME_ISO },
	{ "msec", ALOG_K_TIME_EPOCH }, { "start_time", ALOG_K_TIME_ISO_START },
	{ "request", ALOG_K_REQUEST }, { "request_uri", ALOG_K_PATH }, { "uri", ALOG_K_PATH },
	{ "path", ALOG_K_PATH }, { "status", ALOG_K_STATUS }, { "response_code", ALOG_K_STATUS },
	{ "request_time", ALOG_K_REQUEST_S }, { "duration", ALOG_K_REQUEST_MS },
	{ "upstream_response_time", ALOG_K_UPSTREAM_S },
	{ "upstream_service_time", ALOG_K_UPSTREAM_MS }, { "upstream_addr", ALOG_K_UPSTREAM_ADDR },
	{ "upstream_host", ALOG_K_UPSTREAM_ADDR }, { "upstream_cluster", ALOG_K_UPSTREAM_NAME },
	{ "proxy_upstream_name", ALOG_K_UPSTREAM_NAME }, { "upstream_status", ALOG_K_UPSTREAM_STATUS },
	{ "host", ALOG_K_HOST }, { "authority", ALOG_K_HOST }, { "response_flags", ALOG_K_FLAGS },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int lookup(const struct name_kind *t, size_t n, const char *name, size_t len, bool nocase)
{
	for (size_t i = 0; i < n; i++) {
		if (strlen(t[i].name) != len)
			continue;
		if (nocase ? strncasecmp(t[i].name, name, len) == 0 : memcmp(t[i].name, name, len) == 0)
			return (int)t[i].kind;
	}
	return -1;
}

int alog_kind_of_name(const char *name, size_t len)
{
	return lookup(json_names, COUNT(json_names), name, len, false);
}

static int fail(char *err, size_t errlen, const char *msg)
{
	str_printf(err, errlen, "%s", msg);
	return -1;
}

static int add_literal(struct alog_format *f, const char *s, size_t n)
{
	struct alog_token *last = f->ntok > 0 ? &f->tok[f->ntok - 1] : NULL;

	if (n == 0)
		return 0;
	if (f->text_used + n > ALOG_FORMAT_MAX)
		return -1;
	memcpy(f->text + f->text_used, s, n);
	if (last != NULL && last->kind == ALOG_K_LITERAL) {
		last->len += n;		/* the text is contiguous: literals are only appended */
	} else {
		if (f->ntok == ALOG_MAX_TOKENS)
			return -1;
		f->tok[f->ntok++] = (struct alog_token){ .kind = ALOG_K_LITERAL,
							 .lit = f->text + f->text_used, .len = n };
	}
	f->text_used += n;
	return 0;
}

static int add_field(struct alog_format *f, enum alog_kind kind, bool list, bool group)
{
	if (f->ntok == ALOG_MAX_TOKENS)
		return -1;
	f->tok[f->ntok++] = (struct alog_token){ .kind = kind, .list = list, .group = group };
	f->have |= 1u << kind;
	if (f->ntok >= 2 && f->tok[f->ntok - 2].kind != ALOG_K_LITERAL)
		return -2;
	return 0;
}

/* Terminators and quoting, once every token is known. */
static void finish_tokens(struct alog_format *f)
{
	for (int i = 0; i < f->ntok; i++) {
		struct alog_token *t = &f->tok[i];
		const struct alog_token *prev = i > 0 ? &f->tok[i - 1] : NULL;
		const struct alog_token *next = i + 1 < f->ntok ? &f->tok[i + 1] : NULL;

		if (t->kind == ALOG_K_LITERAL)
			continue;
		t->term = next != NULL ? next->lit[0] : 0;
		t->quoted = prev != NULL && prev->lit[prev->len - 1] == '"' && t->term == '"';
	}
}

/* nginx variables whose value is a list over the upstreams tried. */
static bool nginx_list_var(const char *name, size_t len)
{
	static const char *const single[] = { "upstream_cache_status", "upstream_http_",
					      "upstream_cookie_", "upstream_trailer_" };

	if (len < 9 || memcmp(name, "upstream_", 9) != 0)
		return false;
	for (size_t i = 0; i < COUNT(single); i++)
		if (len >= strlen(single[i]) && memcmp(name, single[i], strlen(single[i])) == 0)
			return false;
	return true;
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool same_name(const char *a, size_t alen, const char *group, bool nocase)
{
	size_t glen;

	if (group == NULL)
		return false;
	if (group[0] == '$' || group[0] == '%')
		group++;
	glen = strlen(group);
	if (glen > 0 && (group[glen - 1] == '%'))
		glen--;
	return glen == alen && (nocase ? strncasecmp(a, group, alen) == 0 : memcmp(a, group, alen) == 0);
}

static int compile_nginx(struct alog_format *f, const char *s, const char *group, bool *found,
			 char *err, size_t errlen)
{
	size_t i = 0, n = strlen(s);

	while (i < n) {
		size_t start = i, nlen;
		bool braced;
		int kind, rc;

		if (s[i] != '$' || i + 1 >= n || !(name_char(s[i + 1]) || s[i + 1] == '{')) {
			while (i < n && !(s[i] == '$' && i + 1 < n && (name_char(s[i + 1]) || s[i + 1] == '{')))
				i++;
			if (add_literal(f, s + start, i - start) < 0)
				return fail(err, errlen, "format too long");
			continue;
		}
		braced = s[i + 1] == '{';
		start = i + 1 + braced;
		for (i = start; i < n && name_char(s[i]); i++)
			;
		nlen = i - start;
		if (braced) {
			if (i >= n || s[i] != '}' || nlen == 0)
				return fail(err, errlen, "unclosed ${ in the format");
			i++;
		}
		kind = lookup(nginx_names, COUNT(nginx_names), s + start, nlen, false);
		if (same_name(s + start, nlen, group, false))
			*found = true;
		rc = add_field(f, kind < 0 ? ALOG_K_SKIP : (enum alog_kind)kind,
			       nginx_list_var(s + start, nlen), same_name(s + start, nlen, group, false));
		if (rc == -2) {
			str_printf(err, errlen, "$%.*s follows another variable with no text between them",
				   (int)nlen, s + start);
			return -1;
		}
		if (rc < 0)
			return fail(err, errlen, "format has too many fields");
	}
	return 0;
}

/*
 * One Envoy command at s[0] == '%': its length including both '%'s, and the
 * command text (NAME or NAME(ARGS), without ":LENGTH") in *cmd, *clen.
 * 0 when s does not start a command (then '%' is literal text).
 */
static size_t envoy_command(const char *s, size_t n, const char **cmd, size_t *clen)
{
	size_t i = 1;

	while (i < n && (isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
		i++;
	if (i == 1)
		return 0;
	if (i < n && s[i] == '(') {
		const char *close = memchr(s + i, ')', n - i);

		if (close == NULL)
			return 0;
		i = (size_t)(close - s) + 1;
	}
	*cmd = s + 1;
	*clen = i - 1;
	if (i < n && s[i] == ':') {
		size_t d = i + 1;

		while (d < n && isdigit((unsigned char)s[d]))
			d++;
		if (d == i + 1)
			return 0;
		i = d;
	}
	return i < n && s[i] == '%' ? i + 1 : 0;
}

static enum alog_kind envoy_kind(const char *cmd, size_t clen)
{
	int kind = lookup(envoy_names, COUNT(envoy_names), cmd, clen, true);

	/* START_TIME(%s), START_TIME(%s.%3f): seconds since the epoch. */
	if (kind < 0 && clen > 14 && strncasecmp(cmd, "START_TIME(%s", 13) == 0)
		return ALOG_K_TIME_EPOCH_START;
	return kind < 0 ? ALOG_K_SKIP : (enum alog_kind)kind;
}

static int compile_envoy(struct alog_format *f, const char *s, const char *group, bool *found,
			 char *err, size_t errlen)
{
	size_t i = 0, n = strlen(s);

	/* The documented default ends in "\n", written out or as a newline. */
	if (n >= 2 && s[n - 2] == '\\' && s[n - 1] == 'n')
		n -= 2;
	else if (n >= 1 && s[n - 1] == '\n')
		n--;
	while (i < n) {
		const char *cmd;
		size_t clen, used = s[i] == '%' ? envoy_command(s + i, n - i, &cmd, &clen) : 0;
		bool g;
		int rc;

		if (used == 0) {
			size_t start = i++;

			while (i < n && s[i] != '%')
				i++;
			if (add_literal(f, s + start, i - start) < 0)
				return fail(err, errlen, "format too long");
			continue;
		}
		g = same_name(cmd, clen, group, true);
		*found = *found || g;
		rc = add_field(f, envoy_kind(cmd, clen), false, g);
		if (rc == -2) {
			str_printf(err, errlen, "%%%.*s%% follows another command with no text between them",
				   (int)clen, cmd);
			return -1;
		}
		if (rc < 0)
			return fail(err, errlen, "format has too many fields");
		i += used;
	}
	return 0;
}

static int add_key(struct alog_format *f, const char *key, size_t len, enum alog_kind kind, bool group)
{
	struct alog_json_key *k;

	if (len == 0 || len >= ALOG_KEY_MAX || f->nkeys == ALOG_MAX_JSON_KEYS)
		return -1;
	k = &f->keys[f->nkeys++];
	memcpy(k->key, key, len);
	k->key[len] = '\0';
	k->len = len;
	k->kind = kind;
	k->group = group;
	f->have |= 1u << kind;
	return 0;
}

/* "json" or "json:FIELD=KEY,FIELD=KEY". */
static int compile_json(struct alog_format *f, const char *spec, const char *group, char *err, size_t errlen)
{
	const char *p = spec + 4;

	f->syntax = ALOG_SYNTAX_JSON;
	if (*p == '\0') {
		for (size_t i = 0; i < COUNT(json_names); i++)
			add_key(f, json_names[i].name, strlen(json_names[i].name), json_names[i].kind, false);
	} else {
		for (p++; *p != '\0';) {
			const char *eq = strchr(p, '='), *end = strchr(p, ',');
			int kind;

			if (end == NULL)
				end = p + strlen(p);
			if (eq == NULL || eq > end) {
				str_printf(err, errlen, "json field map: expected FIELD=KEY at '%.*s'", (int)(end - p), p);
				return -1;
			}
			kind = alog_kind_of_name(p, (size_t)(eq - p));
			if (kind < 0) {
				str_printf(err, errlen, "json field map: unknown field '%.*s'", (int)(eq - p), p);
				return -1;
			}
			if (add_key(f, eq + 1, (size_t)(end - eq - 1), (enum alog_kind)kind, false) < 0)
				return fail(err, errlen, "json field map: empty, too long or too many keys");
			p = *end == ',' ? end + 1 : end;
		}
	}
	if (group != NULL) {
		size_t glen = strlen(group);

		for (int i = 0; i < f->nkeys; i++) {
			if (f->keys[i].len == glen && memcmp(f->keys[i].key, group, glen) == 0) {
				f->keys[i].group = true;
				return 0;
			}
		}
		if (add_key(f, group, glen, ALOG_K_SKIP, true) < 0)
			return fail(err, errlen, "json field map: group key too long or too many keys");
	}
	return 0;
}

static int compile_haproxy(struct alog_format *f, const char *group, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		enum alog_haproxy_group g;
	} names[] = {
		{ "frontend_name", ALOG_HG_FRONTEND }, { "frontend", ALOG_HG_FRONTEND },
		{ "backend_name", ALOG_HG_BACKEND }, { "backend", ALOG_HG_BACKEND },
		{ "server_name", ALOG_HG_SERVER }, { "server", ALOG_HG_SERVER },
		{ "client_ip", ALOG_HG_CLIENT }, { "client", ALOG_HG_CLIENT },
	};

	f->syntax = ALOG_SYNTAX_HAPROXY;
	f->have = 1u << ALOG_K_TIME_ISO_START | 1u << ALOG_K_STATUS | 1u << ALOG_K_REQUEST_MS |
		  1u << ALOG_K_UPSTREAM_MS | 1u << ALOG_K_UPSTREAM_NAME | 1u << ALOG_K_PATH;
	if (group == NULL)
		return 0;
	for (size_t i = 0; i < COUNT(names); i++) {
		if (strcmp(group, names[i].name) == 0) {
			f->hgroup = names[i].g;
			return 0;
		}
	}
	return fail(err, errlen, "haproxy fields to group by: frontend, backend, server, client");
}

/*
 * A pasted directive: log_format NAME [escape=...] 'part' "part" ...; gives
 * the parts joined, with nginx's backslash escapes undone, in out.
 */
static int directive_text(const char *s, char *out, size_t outlen, char *err, size_t errlen)
{
	size_t o = 0;
	int word = 0;

	while (*s != '\0' && *s != ';') {
		const char *start;

		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0' || *s == ';')
			break;
		start = s;
		if (*s == '\'' || *s == '"') {
			char q = *s++;

			for (; *s != '\0' && *s != q; s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				if (o + 1 >= outlen)
					return fail(err, errlen, "format too long");
				out[o++] = *s;
			}
			if (*s != q)
				return fail(err, errlen, "log_format: unclosed quote");
			s++;
		} else {
			while (*s != '\0' && *s != ';' && !isspace((unsigned char)*s))
				s++;
			/* log_format, the name and escape= are not part of the format. */
			if (word >= 2 && strncmp(start, "escape=", 7) != 0) {
				if (o + (size_t)(s - start) >= outlen)
					return fail(err, errlen, "format too long");
				memcpy(out + o, start, (size_t)(s - start));
				o += (size_t)(s - start);
			}
		}
		word++;
	}
	out[o] = '\0';
	return 0;
}

static bool has_nginx_var(const char *s)
{
	for (; (s = strchr(s, '$')) != NULL; s++)
		if (name_char(s[1]) || s[1] == '{')
			return true;
	return false;
}

static bool has_envoy_command(const char *s)
{
	size_t n = strlen(s);

	for (const char *p = s; (p = strchr(p, '%')) != NULL; p++) {
		const char *cmd;
		size_t clen;

		if (envoy_command(p, n - (size_t)(p - s), &cmd, &clen) > 0)
			return true;
	}
	return false;
}

static int compile_text(struct alog_format *f, const char *spec, const char *group, char *err, size_t errlen)
{
	bool found = group == NULL;
	int rc;

	if (has_nginx_var(spec))
		rc = compile_nginx(f, spec, group, &found, err, errlen);
	else if (has_envoy_command(spec))
		rc = compile_envoy(f, spec, group, &found, err, errlen);
	else
		return fail(err, errlen, "no $variable or %COMMAND% in the format "
			    "(built in: combined, nginx-timed, envoy, haproxy, json)");
	if (rc < 0)
		return -1;
	if (!found) {
		str_printf(err, errlen, "the format has no field '%s' to group by", group);
		return -1;
	}
	finish_tokens(f);
	return 0;
}

struct alog_format *alog_compile(const char *spec, const char *group, char *err, size_t errlen)
{
	struct alog_format *f;
	int rc = -1;

	if (strlen(spec) > ALOG_FORMAT_MAX) {
		fail(err, errlen, "format longer than 4096 bytes");
		return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->tz.key = -1;
	for (size_t i = 0; i < COUNT(builtins); i++)
		if (strcmp(spec, builtins[i].name) == 0)
			spec = builtins[i].text;
	if (strcmp(spec, "haproxy") == 0) {
		rc = compile_haproxy(f, group, err, errlen);
	} else if (strncmp(spec, "json", 4) == 0 && (spec[4] == '\0' || spec[4] == ':')) {
		rc = compile_json(f, spec, group, err, errlen);
	} else if (strncmp(spec, "log_format", 10) == 0 && isspace((unsigned char)spec[10])) {
		char *text = xmalloc(ALOG_FORMAT_MAX + 1);

		rc = directive_text(spec, text, ALOG_FORMAT_MAX + 1, err, errlen);
		if (rc == 0)
			rc = compile_text(f, text, group, err, errlen);
		free(text);
	} else {
		rc = compile_text(f, spec, group, err, errlen);
	}
	if (rc < 0) {
		free(f);
		return NULL;
	}
	return f;
}

void alog_free(struct alog_format *f)
{
	free(f);
}

bool alog_has_time(const struct alog_format *f)
{
	return (f->have & (1u << ALOG_K_TIME_LOCAL | 1u << ALOG_K_TIME_ISO | 1u << ALOG_K_TIME_ISO_START |
			   1u << ALOG_K_TIME_EPOCH | 1u << ALOG_K_TIME_EPOCH_START)) != 0;
}

bool alog_has_request_time(const struct alog_format *f)
{
	return (f->have & (1u << ALOG_K_REQUEST_S | 1u << ALOG_K_REQUEST_MS)) != 0;
}

bool alog_has_upstream_time(const struct alog_format *f)
{
	return (f->have & (1u << ALOG_K_UPSTREAM_S | 1u << ALOG_K_UPSTREAM_MS)) != 0;
}
