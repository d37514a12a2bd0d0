/*
 * http_load: a bounded load for the end-to-end tests, which must not depend
 * on a curl binary or a load tool being installed.
 *
 *   http_load URL COUNT CONCURRENCY
 *
 * Sends COUNT GET requests to URL, at most CONCURRENCY at a time, through
 * libcurl's multi interface, and prints one line per status seen, "status
 * N COUNT", then "done COUNT". Exits 0 when every request had an answer
 * (any status), 1 when one failed, 2 on bad usage. Each request gives up
 * after 10 seconds.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_STATUS 600

static size_t discard(char *data, size_t size, size_t n, void *userp)
{
	(void)data;
	(void)userp;
	return size * n;
}

static CURL *request(const char *url)
{
	CURL *h = curl_easy_init();

	if (h == NULL)
		return NULL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	return h;
}

int main(int argc, char **argv)
{
	static long seen[MAX_STATUS];
	long count, conc, started = 0, done = 0, failed = 0;
	CURLM *m;
	int running = 0;

	if (argc != 4 || (count = strtol(argv[2], NULL, 10)) < 1 || (conc = strtol(argv[3], NULL, 10)) < 1) {
		fputs("usage: http_load URL COUNT CONCURRENCY\n", stderr);
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	while (done < count) {
		CURLMsg *msg;
		int left;

		while (started < count && started - done < conc) {
			CURL *h = request(argv[1]);

			if (h == NULL || curl_multi_add_handle(m, h) != CURLM_OK) {
				fputs("http_load: cannot start a request\n", stderr);
				return 1;
			}
			started++;
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			long status = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			if (msg->data.result == CURLE_OK) {
				curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
				seen[status > 0 && status < MAX_STATUS ? status : 0]++;
			} else {
				fprintf(stderr, "http_load: %s\n", curl_easy_strerror(msg->data.result));
				failed++;
			}
			curl_multi_remove_handle(m, msg->easy_handle);
			curl_easy_cleanup(msg->easy_handle);
			done++;
		}
		if (done < count)
			curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	for (int s = 0; s < MAX_STATUS; s++)
		if (seen[s] > 0)
			printf("status %d %ld\n", s, seen[s]);
	printf("done %ld\n", done);
	curl_multi_cleanup(m);
	curl_global_cleanup();
	return failed == 0 ? 0 : 1;
}
