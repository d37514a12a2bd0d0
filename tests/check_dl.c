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
#include "dl/zlib.h"
#include "dl/zstd.h"

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

/* Loaded once: a failure leaves the table empty and is tried again; a success is kept. */
START_TEST(test_once)
{
	static const struct dl_lib missing = {
		.what = "libnothere", .soname = "libnothere.so.9", .package = "libnothere9",
		.syms = curl_two, .nsyms = 1,
	};
	static const struct dl_lib curl = {
		.what = "libcurl", .soname = RT_CURL_SONAME, .package = RT_CURL_PACKAGE,
		.syms = curl_two, .nsyms = 1,
	};
	struct two_funcs t = { 0 }, u = { 0 };
	struct dl_once bad = { &missing, &t, sizeof(t), false };
	struct dl_once good = { &curl, &u, sizeof(u), false };
	char err[512] = "";

	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(dl_once_load(&bad, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "install libnothere9") != NULL, "%s", err);
		ck_assert(!bad.loaded && t.first == NULL);
	}
	ck_assert_int_eq(dl_once_load(&good, err, sizeof(err)), 0);
	ck_assert(good.loaded);
	ck_assert_ptr_nonnull((void *)(size_t)u.first);
	ck_assert_ptr_eq(dl_once_table(&good), &u);
	/* Filled already: not looked up again. */
	u.first = NULL;
	ck_assert_int_eq(dl_once_load(&good, err, sizeof(err)), 0);
	ck_assert_ptr_null((void *)(size_t)u.first);
}
END_TEST

/* The SONAME configure found is what the package name is made from. */
START_TEST(test_package_names)
{
	ck_assert_str_eq(RT_CURL_PACKAGE, "libcurl4");
	ck_assert_str_eq(RT_MHD_PACKAGE, "libmicrohttpd12");
	ck_assert(strncmp(RT_CURL_SONAME, "libcurl.so.", 11) == 0);
	ck_assert(strncmp(RT_MHD_SONAME, "libmicrohttpd.so.", 17) == 0);
	/* zlib's package is not named after its SONAME (libz.so.1). */
	ck_assert_str_eq(RT_ZLIB_PACKAGE, "zlib1g");
	ck_assert_str_eq(RT_ZSTD_PACKAGE, "libzstd1");
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

/* Decompress a gzip stream and a zstd frame through the tables, as the reader does. */
START_TEST(test_zlib_zstd_calls)
{
	/* "hi\n" gzipped (gzip -n) and compressed by zstd (zstd -c). */
	static unsigned char gz[] = {
		0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0xc8, 0xe4, 0x02,
		0x00, 0x7a, 0x7a, 0x6f, 0xed, 0x03, 0x00, 0x00, 0x00,
	};
	static unsigned char zst[] = {
		0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58, 0x19, 0x00, 0x00, 0x68, 0x69, 0x0a, 0x34, 0x3d,
		0x50, 0x92,
	};
	char out[16] = "", err[512];
	z_stream z;
	ZSTD_DCtx *zd;
	ZSTD_inBuffer ib = { zst, sizeof(zst), 0 };
	ZSTD_outBuffer ob = { out, sizeof(out), 0 };
	size_t r;

	ck_assert_int_eq(dl_zlib_load(err, sizeof(err)), 0);
	ck_assert_int_eq(dl_zstd_load(err, sizeof(err)), 0);
	ck_assert(zlibVersion()[0] == ZLIB_VERSION[0]);
	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = gz;
	z.avail_in = sizeof(gz);
	z.next_out = (unsigned char *)out;
	z.avail_out = sizeof(out) - 1;
	ck_assert_int_eq(inflate(&z, Z_NO_FLUSH), Z_STREAM_END);
	ck_assert_str_eq(out, "hi\n");
	ck_assert_int_eq(inflateEnd(&z), Z_OK);

	memset(out, 0, sizeof(out));
	zd = ZSTD_createDCtx();
	ck_assert_ptr_nonnull(zd);
	r = ZSTD_decompressStream(zd, &ob, &ib);
	ck_assert_msg(!ZSTD_isError(r), "%s", ZSTD_getErrorName(r));
	ck_assert_uint_eq(ob.pos, 3);
	ck_assert(memcmp(out, "hi\n", 3) == 0);
	ZSTD_freeDCtx(zd);
}
END_TEST

static Suite *dl_suite(void)
{
	Suite *s = suite_create("dl");
	TCase *tc = tcase_create("load");

	tcase_add_test(tc, test_missing_library);
	tcase_add_test(tc, test_missing_function);
	tcase_add_test(tc, test_one_function);
	tcase_add_test(tc, test_once);
	tcase_add_test(tc, test_package_names);
	tcase_add_test(tc, test_curl_calls);
	tcase_add_test(tc, test_mhd_calls);
	tcase_add_test(tc, test_zlib_zstd_calls);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(dl_suite());
}
