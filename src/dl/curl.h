/*
 * libcurl, loaded on first use (see dl/dl.h for why). Include this instead
 * of <curl/curl.h>: the types and constants are libcurl's own, and each
 * function routertop calls is a macro over a table filled by dlsym, so a
 * call site reads exactly as it would against libcurl, e.g.
 * curl_easy_setopt(h, CURLOPT_URL, url).
 *
 * The first call loads the library. If it cannot be loaded, that call
 * ends the program through fatal() with a one-line message ("libcurl not
 * available (...): install libcurl4"); call dl_curl_load() first where a
 * recoverable error is wanted.
 *
 * A libcurl function not listed in DL_CURL_FUNCS fails to link (the program
 * no longer links -lcurl): add it to the list and to the macros below.
 */
#ifndef RT_DL_CURL_H
#define RT_DL_CURL_H

/* libcurl's type-checking macros would call the functions by name, not through the table. */
#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK 1
#endif
#include <curl/curl.h>
#include <stddef.h>

#define DL_CURL_FUNCS(X) \
	X(global_init) X(global_cleanup) X(version) X(version_info) X(free) \
	X(easy_init) X(easy_setopt) X(easy_getinfo) X(easy_perform) X(easy_cleanup) \
	X(easy_reset) X(easy_duphandle) X(easy_strerror) X(easy_escape) X(easy_unescape) \
	X(slist_append) X(slist_free_all) \
	X(multi_init) X(multi_add_handle) X(multi_remove_handle) X(multi_setopt) \
	X(multi_socket_action) X(multi_assign) X(multi_timeout) X(multi_info_read) \
	X(multi_perform) X(multi_poll) X(multi_wait) X(multi_wakeup) X(multi_cleanup) \
	X(multi_strerror) \
	X(url) X(url_dup) X(url_set) X(url_get) X(url_cleanup) X(url_strerror)

/* One pointer per function, with libcurl's own prototype. */
struct dl_curl {
#define DL_CURL_FIELD(n) __typeof__(&curl_##n) n;
	DL_CURL_FUNCS(DL_CURL_FIELD)
#undef DL_CURL_FIELD
};

/*
 * Load libcurl if it is not loaded yet. Returns 0, or -1 with a one-line
 * message naming the package to install in err.
 */
int dl_curl_load(char *err, size_t errlen);
/* The table, loading libcurl first if needed; fatal() if it cannot be loaded. */
const struct dl_curl *dl_curl(void);

#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init (dl_curl()->global_init)
#define curl_global_cleanup (dl_curl()->global_cleanup)
#define curl_version (dl_curl()->version)
#define curl_version_info (dl_curl()->version_info)
#define curl_free (dl_curl()->free)
#define curl_easy_init (dl_curl()->easy_init)
#define curl_easy_setopt (dl_curl()->easy_setopt)
#define curl_easy_getinfo (dl_curl()->easy_getinfo)
#define curl_easy_perform (dl_curl()->easy_perform)
#define curl_easy_cleanup (dl_curl()->easy_cleanup)
#define curl_easy_reset (dl_curl()->easy_reset)
#define curl_easy_duphandle (dl_curl()->easy_duphandle)
#define curl_easy_strerror (dl_curl()->easy_strerror)
#define curl_easy_escape (dl_curl()->easy_escape)
#define curl_easy_unescape (dl_curl()->easy_unescape)
#define curl_slist_append (dl_curl()->slist_append)
#define curl_slist_free_all (dl_curl()->slist_free_all)
#define curl_multi_init (dl_curl()->multi_init)
#define curl_multi_add_handle (dl_curl()->multi_add_handle)
#define curl_multi_remove_handle (dl_curl()->multi_remove_handle)
#define curl_multi_setopt (dl_curl()->multi_setopt)
#define curl_multi_socket_action (dl_curl()->multi_socket_action)
#define curl_multi_assign (dl_curl()->multi_assign)
#define curl_multi_timeout (dl_curl()->multi_timeout)
#define curl_multi_info_read (dl_curl()->multi_info_read)
#define curl_multi_perform (dl_curl()->multi_perform)
#define curl_multi_poll (dl_curl()->multi_poll)
#define curl_multi_wait (dl_curl()->multi_wait)
#define curl_multi_wakeup (dl_curl()->multi_wakeup)
#define curl_multi_cleanup (dl_curl()->multi_cleanup)
#define curl_multi_strerror (dl_curl()->multi_strerror)
#define curl_url (dl_curl()->url)
#define curl_url_dup (dl_curl()->url_dup)
#define curl_url_set (dl_curl()->url_set)
#define curl_url_get (dl_curl()->url_get)
#define curl_url_cleanup (dl_curl()->url_cleanup)
#define curl_url_strerror (dl_curl()->url_strerror)

#endif
