/*
 * http_probe: one HTTP request for the end-to-end tests, which must not
 * depend on a curl binary being installed.
 *
 *   http_probe METHOD URL [HEADER]
 *
 * HEADER, e.g. "Accept: text/plain", is sent with the request.
 * Prints "status N", "content-type T", "allow A" (if sent), "bytes N",
 * a blank line, then the body. Exits 0 if an answer came (any status),
 * 1 if the request failed, 2 on bad usage. Gives up after 5 seconds.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROBE_BODY_MAX (4 << 20)
#define PROBE_HEADER_LEN 256

struct probe {
	char *body;
	size_t len;
	char allow[PROBE_HEADER_LEN];
};

static size_t probe_body(char *data, size_t size, size_t n, void *userp)
{
	struct probe *p = userp;
	size_t len = size * n;
	char *grown;

	if (p->len + len > PROBE_BODY_MAX)
		return 0;
	grown = realloc(p->body, p->len + len + 1);
	if (grown == NULL)
		return 0;
	p->body = grown;
	memcpy(p->body + p->len, data, len);
	p->len += len;
	p->body[p->len] = '\0';
	return len;
}

static size_t probe_header(char *data, size_t size, size_t n, void *userp)
{
	struct probe *p = userp;
	size_t len = size * n;

	if (len > 6 && strncasecmp(data, "Allow:", 6) == 0) {
		size_t v = 6, end = len;

		while (v < len && data[v] == ' ')
			v++;
		while (end > v && (data[end - 1] == '\r' || data[end - 1] == '\n'))
			end--;
		snprintf(p->allow, sizeof(p->allow), "%.*s", (int)(end - v), data + v);
	}
	return len;
}

int main(int argc, char **argv)
{
	struct probe p = { 0 };
	struct curl_slist *headers = NULL;
	char *type = NULL;
	long status = 0;
	CURLcode rc;
	CURL *e;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: http_probe METHOD URL [HEADER]\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	e = curl_easy_init();
	curl_easy_setopt(e, CURLOPT_URL, argv[2]);
	curl_easy_setopt(e, CURLOPT_PROXY, "");	/* loopback only, whatever the environment says */
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 5000L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	if (strcmp(argv[1], "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(argv[1], "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, argv[1]);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, probe_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, &p);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, probe_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, &p);
	if (argc == 4) {
		headers = curl_slist_append(NULL, argv[3]);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	}
	rc = curl_easy_perform(e);
	if (rc != CURLE_OK) {
		fprintf(stderr, "http_probe: %s %s: %s\n", argv[1], argv[2], curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &type);
		printf("status %ld\ncontent-type %s\n", status, type != NULL ? type : "");
		if (p.allow[0] != '\0')
			printf("allow %s\n", p.allow);
		printf("bytes %zu\n\n", p.len);
		if (p.len > 0)
			fwrite(p.body, 1, p.len, stdout);
	}
	free(p.body);
	curl_slist_free_all(headers);
	curl_easy_cleanup(e);
	curl_global_cleanup();
	return rc == CURLE_OK ? 0 : 1;
}
