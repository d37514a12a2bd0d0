/* Check suite for src/formats/expo.c: Prometheus 0.0.4 and OpenMetrics text. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "formats/expo.h"

static struct expo *parse_ok(const char *text)
{
	struct expo *e = expo_new();
	char err[256] = "";

	ck_assert_msg(expo_parse(e, text, strlen(text), NULL, err, sizeof(err)) == 0, "%s", err);
	return e;
}

/* The one series named name whose labels include label=value (NULL: any). */
static const struct expo_series *series_where(const struct expo *e, const char *name,
					      const char *label, const char *value)
{
	size_t n;
	const uint32_t *idx = expo_series_named(e, expo_name_find(e, name), &n);

	for (size_t i = 0; i < n; i++) {
		const struct expo_series *s = expo_series_at(e, idx[i]);
		const char *v = label != NULL ? expo_label_get(e, s->labels, label) : NULL;

		if (label == NULL || (v != NULL && strcmp(v, value) == 0))
			return s;
	}
	return NULL;
}

static const struct expo_series *bucket(const struct expo *e, const char *name, double le)
{
	size_t n;
	const uint32_t *idx = expo_series_named(e, expo_name_find(e, name), &n);

	for (size_t i = 0; i < n; i++) {
		const struct expo_series *s = expo_series_at(e, idx[i]);

		if (s->bound_kind == EXPO_BOUND_LE && s->bound == le)
			return s;
	}
	return NULL;
}

static const char text_004[] =
	"# HELP http_requests_total The total number of HTTP requests.\n"
	"# TYPE http_requests_total counter\n"
	"http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n"
	"http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n"
	"\n"
	"# Escaping in label values:\n"
	"msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n"
	"metric_without_timestamp_and_labels 12.47\n"
	"something_weird{problem=\"division by zero\"} +Inf -3982045\n"
	"# HELP http_request_duration_seconds A histogram of the request duration.\n"
	"# TYPE http_request_duration_seconds histogram\n"
	"http_request_duration_seconds_bucket{le=\"0.05\"} 24054\n"
	"http_request_duration_seconds_bucket{le=\"0.1\"} 33444\n"
	"http_request_duration_seconds_bucket{le=\"0.2\"} 100392\n"
	"http_request_duration_seconds_bucket{le=\"0.5\"} 129389\n"
	"http_request_duration_seconds_bucket{le=\"1\"} 133988\n"
	"http_request_duration_seconds_bucket{le=\"+Inf\"} 144320\n"
	"http_request_duration_seconds_sum 53423\n"
	"http_request_duration_seconds_count 144320\n"
	"# HELP rpc_duration_seconds A summary of the RPC duration in seconds.\n"
	"# TYPE rpc_duration_seconds summary\n"
	"rpc_duration_seconds{quantile=\"0.01\"} 3102\n"
	"rpc_duration_seconds{quantile=\"0.5\"} 4773\n"
	"rpc_duration_seconds{quantile=\"0.99\"} 76656\n"
	"rpc_duration_seconds_sum 1.7560473e+07\n"
	"rpc_duration_seconds_count 2693\n";

START_TEST(test_text_004)
{
	struct expo *e = parse_ok(text_004);
	const struct expo_series *s;
	uint32_t f;

	ck_assert_uint_eq(expo_error_count(e), 0);
	ck_assert(!expo_is_openmetrics(e));
	ck_assert_uint_eq(expo_series_count(e), 18);
	s = series_where(e, "http_requests_total", "code", "400");
	ck_assert_ptr_nonnull(s);
	ck_assert(s->value == 3);
	ck_assert_int_eq(s->timestamp_ms, 1395066363000LL);
	ck_assert_str_eq(expo_label_get(e, s->labels, "method"), "post");
	f = expo_family_find(e, "http_requests_total");
	ck_assert_uint_eq(s->family, f);
	ck_assert_int_eq(expo_family_at(e, f)->type, EXPO_COUNTER);
	ck_assert_str_eq(expo_family_at(e, f)->help, "The total number of HTTP requests.");

	s = series_where(e, "msdos_file_access_time_seconds", NULL, NULL);
	ck_assert_str_eq(expo_label_get(e, s->labels, "path"), "C:\\DIR\\FILE.TXT");
	ck_assert_str_eq(expo_label_get(e, s->labels, "error"), "Cannot find file:\n\"FILE.TXT\"");
	ck_assert(s->value == 1.458255915e9);
	s = series_where(e, "something_weird", NULL, NULL);
	ck_assert(isinf(s->value) && s->value > 0);
	ck_assert_int_eq(s->timestamp_ms, -3982045);

	f = expo_family_find(e, "http_request_duration_seconds");
	ck_assert_int_eq(expo_family_at(e, f)->type, EXPO_HISTOGRAM);
	s = bucket(e, "http_request_duration_seconds_bucket", INFINITY);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->family, f);
	ck_assert(s->value == 144320);
	ck_assert_ptr_nonnull(bucket(e, "http_request_duration_seconds_bucket", 0.05));
	ck_assert_uint_eq(series_where(e, "http_request_duration_seconds_sum", NULL, NULL)->family, f);
	/* The bound is not a label: every bucket shares the empty label set. */
	ck_assert_uint_eq(bucket(e, "http_request_duration_seconds_bucket", 0.1)->labels,
			  bucket(e, "http_request_duration_seconds_bucket", 1)->labels);

	f = expo_family_find(e, "rpc_duration_seconds");
	ck_assert_int_eq(expo_family_at(e, f)->type, EXPO_SUMMARY);
	s = series_where(e, "rpc_duration_seconds", NULL, NULL);
	ck_assert_int_eq(s->bound_kind, EXPO_BOUND_QUANTILE);
	ck_assert(s->bound == 0.01);
	ck_assert(series_where(e, "rpc_duration_seconds_sum", NULL, NULL)->value == 1.7560473e7);
	expo_free(e);
}
END_TEST

static const char text_om[] =
	"# TYPE acme_http_router_request_seconds summary\n"
	"# UNIT acme_http_router_request_seconds seconds\n"
	"# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.\n"
	"acme_http_router_request_seconds_sum{path=\"/api/v1\",method=\"GET\"} 9036.32\n"
	"acme_http_router_request_seconds_count{path=\"/api/v1\",method=\"GET\"} 807283.0\n"
	"acme_http_router_request_seconds_created{path=\"/api/v1\",method=\"GET\"} 1605281325.0\n"
	"# TYPE go_goroutines gauge\n"
	"go_goroutines 69\n"
	"# TYPE process_cpu_seconds counter\n"
	"# UNIT process_cpu_seconds seconds\n"
	"process_cpu_seconds_total 4.20072246e+06 1520879607.789\n"
	"# TYPE foo histogram\n"
	"foo_bucket{le=\"0.01\"} 0\n"
	"foo_bucket{le=\"0.1\"} 8 # {trace_id=\"KOO5S4vxi0o\"} 0.067 1520879602.123\n"
	"foo_bucket{le=\"1\"} 11 # {} 0.5\n"
	"foo_bucket{le=\"+Inf\"} 17\n"
	"foo_count 17\n"
	"foo_sum 324789.3\n"
	"foo_created 1520430000.123\n"
	"# TYPE cb stateset\n"
	"cb{cb=\"closed\",name=\"a\"} 0\n"
	"cb{cb=\"open\",name=\"a\"} 1\n"
	"# TYPE build info\n"
	"build_info{version=\"1.2\"} 1\n"
	"# TYPE bar unknown\n"
	"bar NaN\n"
	"# EOF\n";

START_TEST(test_openmetrics)
{
	struct expo *e = parse_ok(text_om);
	const struct expo_series *s;
	uint32_t f;

	ck_assert_msg(expo_error_count(e) == 0, "%s", expo_error_at(e, 0));
	ck_assert(expo_is_openmetrics(e));
	f = expo_family_find(e, "acme_http_router_request_seconds");
	ck_assert_str_eq(expo_family_at(e, f)->unit, "seconds");
	s = series_where(e, "acme_http_router_request_seconds_count", "method", "GET");
	ck_assert_uint_eq(s->family, f);
	ck_assert(s->value == 807283.0);
	ck_assert_uint_eq(series_where(e, "acme_http_router_request_seconds_created", NULL, NULL)->family, f);

	/* OpenMetrics timestamps are seconds. */
	s = series_where(e, "process_cpu_seconds_total", NULL, NULL);
	ck_assert_uint_eq(s->family, expo_family_find(e, "process_cpu_seconds"));
	ck_assert_int_eq(s->timestamp_ms, 1520879607789LL);

	/* Exemplars are skipped, the bucket kept. */
	ck_assert(bucket(e, "foo_bucket", 0.1)->value == 8);
	ck_assert(bucket(e, "foo_bucket", 1)->value == 11);
	ck_assert_uint_eq(series_where(e, "foo_created", NULL, NULL)->family, expo_family_find(e, "foo"));

	f = expo_family_find(e, "cb");
	ck_assert_int_eq(expo_family_at(e, f)->type, EXPO_STATESET);
	ck_assert(series_where(e, "cb", "cb", "open")->value == 1);
	ck_assert_int_eq(expo_family_at(e, expo_family_find(e, "build"))->type, EXPO_INFO);
	ck_assert_uint_eq(series_where(e, "build_info", NULL, NULL)->family, expo_family_find(e, "build"));
	ck_assert(isnan(series_where(e, "bar", NULL, NULL)->value));
	ck_assert_int_eq(expo_family_at(e, expo_family_find(e, "bar"))->type, EXPO_UNTYPED);
	expo_free(e);
}
END_TEST

/* "1", "1.0" and "1e0" are one bucket: a second of them is a duplicate. */
START_TEST(test_le_as_number)
{
	struct expo *e = parse_ok("# TYPE h histogram\n"
				  "h_bucket{le=\"1\"} 1\n"
				  "h_bucket{le=\"1.0\"} 2\n"
				  "h_bucket{le=\"1e0\"} 3\n"
				  "h_bucket{le=\"2.50\"} 4\n"
				  "h_bucket{le=\"+inf\"} 5\n");

	ck_assert_uint_eq(expo_series_count(e), 3);
	ck_assert_uint_eq(expo_error_count(e), 2);
	ck_assert_str_eq(expo_error_at(e, 0), "line 3: a second sample of series h_bucket");
	ck_assert_str_eq(expo_error_at(e, 1), "line 4: a second sample of series h_bucket");
	ck_assert(bucket(e, "h_bucket", 1)->value == 1);
	ck_assert(bucket(e, "h_bucket", 2.5)->value == 4);
	ck_assert(bucket(e, "h_bucket", INFINITY)->value == 5);
	expo_free(e);
}
END_TEST

START_TEST(test_specials_and_numbers)
{
	struct expo *e = parse_ok("a NaN\nb +Inf\nc -Inf\nd 1e3\ne -0.5\nf 0x10\n"
				  "g 123456789012345678901234567890\nh 0.1\ni .5\nj 5.\n"
				  "k 1.7976931348623157e308\nl 4.9e-324\n");

	ck_assert_uint_eq(expo_error_count(e), 0);
	ck_assert(isnan(series_where(e, "a", NULL, NULL)->value));
	ck_assert(series_where(e, "b", NULL, NULL)->value == INFINITY);
	ck_assert(series_where(e, "c", NULL, NULL)->value == -INFINITY);
	ck_assert(series_where(e, "d", NULL, NULL)->value == 1000);
	ck_assert(series_where(e, "e", NULL, NULL)->value == -0.5);
	ck_assert(series_where(e, "f", NULL, NULL)->value == 16);
	ck_assert(series_where(e, "g", NULL, NULL)->value == 123456789012345678901234567890.0);
	ck_assert(series_where(e, "h", NULL, NULL)->value == 0.1);
	ck_assert(series_where(e, "i", NULL, NULL)->value == 0.5);
	ck_assert(series_where(e, "j", NULL, NULL)->value == 5);
	ck_assert(series_where(e, "k", NULL, NULL)->value == 1.7976931348623157e308);
	ck_assert(series_where(e, "l", NULL, NULL)->value == 4.9e-324);
	expo_free(e);
}
END_TEST

/* Micrometer writes a comma after the last label. */
START_TEST(test_trailing_comma_and_blanks)
{
	struct expo *e = parse_ok("x{name=\"a\",} 1\r\n"
				  "  x { name = \"b\" , kind=\"c\" , } 2\r\n"
				  "x{} 3\n");
	const struct expo_series *s = series_where(e, "x", "name", "b");

	ck_assert_msg(expo_error_count(e) == 0, "%s", expo_error_at(e, 0));
	ck_assert_ptr_nonnull(series_where(e, "x", "name", "a"));
	ck_assert(s->value == 2);
	ck_assert_str_eq(expo_label_get(e, s->labels, "kind"), "c");
	ck_assert_uint_eq(expo_series_count(e), 3);
	expo_free(e);
}
END_TEST

/* Label sets are interned: same labels in another order are one set. */
START_TEST(test_labelsets_interned)
{
	struct expo *e = parse_ok("a{x=\"1\",y=\"2\"} 1\nb{y=\"2\",x=\"1\"} 1\nc{x=\"1\"} 1\n");
	size_t n;
	const struct expo_label *l;

	ck_assert_uint_eq(series_where(e, "a", NULL, NULL)->labels,
			  series_where(e, "b", NULL, NULL)->labels);
	ck_assert_uint_ne(series_where(e, "a", NULL, NULL)->labels,
			  series_where(e, "c", NULL, NULL)->labels);
	ck_assert_uint_eq(expo_labelset_count(e), 2);
	l = expo_labels(e, series_where(e, "b", NULL, NULL)->labels, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(l[0].name, "x");
	ck_assert_str_eq(l[1].name, "y");
	expo_free(e);
}
END_TEST

/* Each bad line is a located error; the lines around it are kept. */
static const struct {
	const char *line;
	const char *message;
} bad_lines[] = {
	{ "m{a=\"1\"}", "line 2: expected a value after the labels" },
	{ "m", "line 2: expected a value after the name" },
	{ "m{a=\"1\"} abc", "line 2: the value is not a number" },
	{ "m{a=1} 1", "line 2: expected a quoted value for label a" },
	{ "m{a=\"1} 1", "line 2: label value without its closing quote" },
	{ "m{a=\"\\x\"} 1", "line 2: bad escape in a label value (\\\\, \\\" and \\n are allowed)" },
	{ "m{a=\"1\",a=\"2\"} 1", "line 2: label a given twice" },
	{ "m{a=\"1\" b=\"2\"} 1", "line 2: expected ',' or '}' after a label value" },
	{ "m{1a=\"1\"} 1", "line 2: expected a label name or '}'" },
	{ "m{a \"1\"} 1", "line 2: expected '=' after label a" },
	{ "m 1 2 3", "line 2: unexpected text after the value" },
	{ "m 1 x", "line 2: expected a timestamp or the end of the line after the value" },
	{ "m 1 NaN", "line 2: expected a timestamp or the end of the line after the value" },
	{ "1m 1", "line 2: expected a metric name" },
	{ "m-x 1", "line 2: unexpected character after the metric name" },
	{ "# TYPE m countr", "line 2: unknown metric type after TYPE m" },
	{ "# TYPE", "line 2: expected a metric name after TYPE" },
	{ "# TYPE z gauge\n# TYPE z counter", "line 3: a second TYPE for z" },
	{ "# HELP z a\n# HELP z b", "line 3: a second HELP for z" },
	{ "# TYPE first gauge", "line 2: TYPE for first after its samples" },
	{ "# TYPE h histogram\nh_bucket{le=\"x\"} 1", "line 3: le is not a number" },
	{ "# TYPE s summary\ns{quantile=\"NaN\"} 1", "line 3: quantile is not a number" },
};

START_TEST(test_bad_line)
{
	char text[512];
	struct expo *e;

	snprintf(text, sizeof(text), "first 1\n%s\nlast 2\n# TYPE ok gauge\nok 3\n",
		 bad_lines[_i].line);
	e = parse_ok(text);
	ck_assert_uint_eq(expo_error_count(e), 1);
	ck_assert_str_eq(expo_error_at(e, 0), bad_lines[_i].message);
	ck_assert_ptr_nonnull(series_where(e, "first", NULL, NULL));
	ck_assert(series_where(e, "last", NULL, NULL)->value == 2);
	ck_assert(series_where(e, "ok", NULL, NULL)->value == 3);
	expo_free(e);
}
END_TEST

/* The line number of an error far down a body. */
START_TEST(test_error_line_number)
{
	size_t cap = 5000 * 32, len = 0;
	char *text = malloc(cap);
	struct expo *e;

	for (int i = 1; i < 4312; i++)
		len += (size_t)snprintf(text + len, cap - len, "m{i=\"%d\"} %d\n", i, i);
	len += (size_t)snprintf(text + len, cap - len, "m{i=\"x\"}\nm{i=\"y\"} 1\n");
	e = parse_ok(text);
	ck_assert_uint_eq(expo_error_count(e), 1);
	ck_assert_str_eq(expo_error_at(e, 0), "line 4312: expected a value after the labels");
	ck_assert_uint_eq(expo_series_count(e), 4312);
	expo_free(e);
	free(text);
}
END_TEST

START_TEST(test_errors_counted_beyond_kept)
{
	char text[4096] = "";
	struct expo *e;

	for (int i = 0; i < 20; i++)
		strcat(text, "bad{\n");
	strcat(text, "good 1\n");
	e = parse_ok(text);
	ck_assert_uint_eq(expo_error_count(e), 20);
	ck_assert_str_eq(expo_error_at(e, EXPO_ERRORS_KEPT - 1), "line 8: expected a label name or '}'");
	ck_assert_ptr_null(expo_error_at(e, EXPO_ERRORS_KEPT));
	ck_assert_uint_eq(expo_series_count(e), 1);
	expo_free(e);
}
END_TEST

START_TEST(test_caps)
{
	struct expo *e = expo_new();
	struct expo_options o = { .body_max = 16 };
	char err[256], line[200];
	const char *text = "a 1\nb 2\nc 3\n";

	ck_assert_int_eq(expo_parse(e, "0123456789abcdefXYZ", 19, &o, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "body of 19 bytes is over the cap of 16");

	o = (struct expo_options){ .series_max = 2 };
	ck_assert_int_eq(expo_parse(e, text, strlen(text), &o, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "line 3: more than 2 series");
	ck_assert_uint_eq(expo_series_count(e), 0);

	o = (struct expo_options){ .line_max = 100 };
	memset(line, 'x', sizeof(line));
	memcpy(line, "a 1\nlong{v=\"", 12);
	memcpy(line + sizeof(line) - 16, "\"} 1\nb 2\n", 10);
	ck_assert_int_eq(expo_parse(e, line, strlen(line), &o, err, sizeof(err)), 0);
	ck_assert_uint_eq(expo_error_count(e), 1);
	ck_assert_str_eq(expo_error_at(e, 0), "line 2: longer than 100 bytes");
	ck_assert_uint_eq(expo_series_count(e), 2);
	expo_free(e);
}
END_TEST

START_TEST(test_eof)
{
	struct expo *e = parse_ok("a 1 5\n# EOF\n");

	ck_assert(expo_is_openmetrics(e));
	ck_assert_int_eq(series_where(e, "a", NULL, NULL)->timestamp_ms, 5000);
	expo_free(e);
	/* Seconds that would overflow as milliseconds: the sample stays, its time goes. */
	e = parse_ok("a 1 9e17\nb 2 5\n# EOF\n");
	ck_assert_uint_eq(expo_error_count(e), 1);
	ck_assert_str_eq(expo_error_at(e, 0), "line 1: timestamp out of range");
	ck_assert_int_eq(series_where(e, "a", NULL, NULL)->timestamp_ms, EXPO_NO_TIMESTAMP);
	ck_assert_int_eq(series_where(e, "b", NULL, NULL)->timestamp_ms, 5000);
	expo_free(e);
	e = parse_ok("a 1\n# EOF\nb 2\n");
	ck_assert_uint_eq(expo_series_count(e), 1);
	ck_assert_uint_eq(expo_error_count(e), 1);
	ck_assert_str_eq(expo_error_at(e, 0), "line 3: text after # EOF");
	expo_free(e);
}
END_TEST

/* The caller may say which text it has (from the Content-Type). */
START_TEST(test_syntax_forced)
{
	struct expo *e = expo_new();
	struct expo_options o = { .syntax = EXPO_SYNTAX_OPENMETRICS };
	char err[64];

	ck_assert_int_eq(expo_parse(e, "a 1 2.5\n", 8, &o, err, sizeof(err)), 0);
	ck_assert_int_eq(expo_series_at(e, 0)->timestamp_ms, 2500);
	o.syntax = EXPO_SYNTAX_TEXT;
	ck_assert_int_eq(expo_parse(e, "a 1 2500\n# EOF\n", 15, &o, err, sizeof(err)), 0);
	ck_assert_int_eq(expo_series_at(e, 0)->timestamp_ms, 2500);
	expo_free(e);
}
END_TEST

/* A reused struct expo forgets the previous body entirely. */
START_TEST(test_reuse)
{
	struct expo *e = parse_ok(text_004);
	char err[64];

	ck_assert_int_eq(expo_parse(e, "z{k=\"v\"} 7\n", 11, NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(expo_series_count(e), 1);
	ck_assert_uint_eq(expo_name_find(e, "http_requests_total"), EXPO_NONE);
	ck_assert_uint_eq(expo_family_find(e, "rpc_duration_seconds"), EXPO_NONE);
	ck_assert(series_where(e, "z", "k", "v")->value == 7);
	ck_assert_int_eq(expo_parse(e, "", 0, NULL, err, sizeof(err)), 0);
	ck_assert_uint_eq(expo_series_count(e), 0);
	expo_free(e);
}
END_TEST

/* Untyped samples keep a non-numeric le as a plain label. */
START_TEST(test_untyped_bounds)
{
	struct expo *e = parse_ok("u_bucket{le=\"0.5\"} 1\nv_bucket{le=\"high\"} 2\nw{quantile=\"0.9\"} 3\n");

	ck_assert_uint_eq(expo_error_count(e), 0);
	ck_assert(bucket(e, "u_bucket", 0.5)->value == 1);
	ck_assert_str_eq(expo_label_get(e, series_where(e, "v_bucket", NULL, NULL)->labels, "le"), "high");
	ck_assert_int_eq(series_where(e, "w", NULL, NULL)->bound_kind, EXPO_BOUND_QUANTILE);
	expo_free(e);
}
END_TEST

static void assert_same_series(const struct expo *a, const struct expo *b)
{
	ck_assert_uint_eq(expo_series_count(a), expo_series_count(b));
	for (size_t i = 0; i < expo_series_count(a); i++) {
		const struct expo_series *x = expo_series_at(a, i), *y = expo_series_at(b, i);
		size_t nx, ny;
		const struct expo_label *lx = expo_labels(a, x->labels, &nx);
		const struct expo_label *ly = expo_labels(b, y->labels, &ny);

		ck_assert_str_eq(expo_name(a, x->name), expo_name(b, y->name));
		ck_assert_str_eq(expo_family_at(a, x->family)->name, expo_family_at(b, y->family)->name);
		ck_assert_int_eq(expo_family_at(a, x->family)->type, expo_family_at(b, y->family)->type);
		ck_assert_int_eq(x->bound_kind, y->bound_kind);
		ck_assert(x->bound_kind == EXPO_BOUND_NONE || x->bound == y->bound);
		ck_assert((isnan(x->value) && isnan(y->value)) || x->value == y->value);
		ck_assert_int_eq(x->timestamp_ms, y->timestamp_ms);
		ck_assert_uint_eq(nx, ny);
		for (size_t j = 0; j < nx; j++) {
			ck_assert_str_eq(lx[j].name, ly[j].name);
			ck_assert_str_eq(lx[j].value, ly[j].value);
		}
	}
}

START_TEST(test_round_trip)
{
	const char *texts[] = { text_004, text_om };

	for (size_t t = 0; t < 2; t++) {
		struct expo *a = parse_ok(texts[t]), *b;
		size_t len;
		char *out = expo_to_text(a, &len);

		ck_assert_uint_eq(strlen(out), len);
		b = parse_ok(out);
		ck_assert_msg(expo_error_count(b) == 0, "%s", expo_error_at(b, 0));
		assert_same_series(a, b);
		free(out);
		expo_free(a);
		expo_free(b);
	}
}
END_TEST

START_TEST(test_format_number)
{
	char buf[EXPO_NUMBER_LEN];

	expo_format_number(buf, 0.1);
	ck_assert_str_eq(buf, "0.1");
	expo_format_number(buf, 1.0 / 3.0);
	ck_assert_str_eq(buf, "0.3333333333333333");
	expo_format_number(buf, INFINITY);
	ck_assert_str_eq(buf, "+Inf");
	expo_format_number(buf, -INFINITY);
	ck_assert_str_eq(buf, "-Inf");
	expo_format_number(buf, NAN);
	ck_assert_str_eq(buf, "NaN");
	expo_format_number(buf, 60);
	ck_assert_str_eq(buf, "60");
}
END_TEST

START_TEST(test_escape)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	expo_append_escaped(&buf, &len, &cap, "a\\b\"c\nd", false);
	ck_assert_str_eq(buf, "a\\\\b\\\"c\\nd");
	len = 0;
	expo_append_escaped(&buf, &len, &cap, "a\\b\"c\nd", true);
	ck_assert_str_eq(buf, "a\\\\b\"c\\nd");
	free(buf);
}
END_TEST

static Suite *expo_suite(void)
{
	Suite *s = suite_create("expo");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_text_004);
	tcase_add_test(tc, test_openmetrics);
	tcase_add_test(tc, test_le_as_number);
	tcase_add_test(tc, test_specials_and_numbers);
	tcase_add_test(tc, test_trailing_comma_and_blanks);
	tcase_add_test(tc, test_labelsets_interned);
	tcase_add_loop_test(tc, test_bad_line, 0, (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	tcase_add_test(tc, test_error_line_number);
	tcase_add_test(tc, test_errors_counted_beyond_kept);
	tcase_add_test(tc, test_caps);
	tcase_add_test(tc, test_eof);
	tcase_add_test(tc, test_syntax_forced);
	tcase_add_test(tc, test_reuse);
	tcase_add_test(tc, test_untyped_bounds);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_format_number);
	tcase_add_test(tc, test_escape);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run_suite(expo_suite());
}
