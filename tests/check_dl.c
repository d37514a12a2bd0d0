/*
 * Check suite for the libraries loaded on first use (src/dl/): the tables
 * fill from the real libraries, and a library or function that cannot be
 * found gives a one-line message naming the package, leaving the table as
 * it was.
 */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "check_run.h"
#include "dl/curl.h"
#include "dl/dl.h"
#include "dl/mhd.h"

struct two_funcs {
	void (*first)(void);
	void (*second)(void);
};

static const struct dl_sym curl_two[] = {
	{ "curl_version", offsetof(struct two_funcs, first) },
	{ "curl_no_such_function", offsetof(struct two_funcs, second) },
};

START_TEST(test_missing_library)
{
	static const struct dl_lib lib = {
		.what = "libnothere", .soname = "libnothere.so.9", .package = "libnothere9",
		.syms = curl_two, .nsyms = 1,
	};
	struct two_funcs t = { 0 };
	char err[512];

	ck_assert_int_eq(dl_load(&lib, &t, sizeof(t), err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, "libnothere not available (", 26) == 0, "%s", err);
	ck_assert_msg(strstr(err, "libnothere.so.9") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "): install libnothere9") != NULL, "%s", err);
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert(t.first == NULL && t.second == NULL);
}
END_TEST

START_TEST(test_missing_function)
{
	static const struct dl_lib lib = {
		.what = "libcurl", .soname = RT_CURL_SONAME, .package = RT_CURL_PACKAGE,
		.syms = curl_two, .nsyms = 2,
	};
	struct two_funcs t = { 0 };
	char err[512];

	ck_assert_int_eq(dl_load(&lib, &t, sizeof(t), err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "has no curl_no_such_function") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "install a newer " RT_CURL_PACKAGE) != NULL, "%s", err);
	/* The first function was found, but a half-filled table is never kept. */
	ck_assert(t.first == NULL && t.second == NULL);
}
END_TEST

START_TEST(test_one_function)
{
	static const struct dl_lib lib = {
		.what = "libcurl", .soname = RT_CURL_SONAME, .package = RT_CURL_PACKAGE,
		.syms = curl_two, .nsyms = 1,
	};
	struct two_funcs t = { 0 };
	char err[512] = "";

	ck_assert_int_eq(dl_load(&lib, &t, sizeof(t), err, sizeof(err)), 0);
	ck_assert_ptr_nonnull((void *)(size_t)t.first);
	ck_assert_ptr_null((void *)(size_t)t.second);
}
END_TEST

/* The SONAME configure found is what the package name is made from. */
START_TEST(test_package_names)
{
	ck_assert_str_eq(RT_CURL_PACKAGE, "libcurl4");
	ck_assert_str_eq(RT_MHD_PACKAGE, "libmicrohttpd12");
	ck_assert(strncmp(RT_CURL_SONAME, "libcurl.so.", 11) == 0);
	ck_assert(strncmp(RT_MHD_SONAME, "libmicrohttpd.so.", 17) == 0);
}
END_TEST

/* Through the macros, as the HTTP source calls them. */
START_TEST(test_curl_calls)
{
	char err[512];
	struct curl_slist *l = NULL;
	CURLU *u;
	char *host = NULL;

	ck_assert_int_eq(dl_curl_load(err, sizeof(err)), 0);
	ck_assert(strncmp(curl_version(), "libcurl/", 8) == 0);
	l = curl_slist_append(l, "X-A: 1");
	l = curl_slist_append(l, "X-B: 2");
	ck_assert_str_eq(l->next->data, "X-B: 2");
	curl_slist_free_all(l);
	u = curl_url();
	ck_assert_int_eq(curl_url_set(u, CURLUPART_URL, "http://127.0.0.1:8080/metrics", 0), CURLUE_OK);
	ck_assert_int_eq(curl_url_get(u, CURLUPART_HOST, &host, 0), CURLUE_OK);
	ck_assert_str_eq(host, "127.0.0.1");
	curl_free(host);
	curl_url_cleanup(u);
	ck_assert_str_eq(curl_easy_strerror(CURLE_OK), "No error");
}
END_TEST

START_TEST(test_mhd_calls)
{
	char err[512];

	ck_assert_int_eq(dl_mhd_load(err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(MHD_get_version());
	ck_assert_str_eq(MHD_get_reason_phrase_for(404), "Not Found");
	/* Loading twice is a no-op: the same table. */
	ck_assert_int_eq(dl_mhd_load(err, sizeof(err)), 0);
	ck_assert_ptr_eq(dl_mhd(), dl_mhd());
}
END_TEST

static Suite *dl_suite(void)
{
	Suite *s = suite_create("dl");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, test_missing_library);
	tcase_add_test(tc, test_missing_function);
	tcase_add_test(tc, test_one_function);
	tcase_add_test(tc, test_package_names);
	tcase_add_test(tc, test_curl_calls);
	tcase_add_test(tc, test_mhd_calls);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(dl_suite());
}
