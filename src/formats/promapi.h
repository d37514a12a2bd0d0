/*
 * Answers of the Prometheus HTTP API (/api/v1/query and /api/v1/query_range;
 * Thanos, Mimir and VictoriaMetrics answer the same), read into plain
 * arrays:
 *
 *   {"status":"success","data":{"resultType":"vector","result":[
 *      {"metric":{"instance":"a:9090"},"value":[1700000000.5,"12.5"]}]},
 *    "warnings":["..."]}
 *   {"status":"error","errorType":"timeout","error":"query timed out ..."}
 *
 * Result types: vector (one sample a series), matrix (many), scalar and
 * string (one pair, kept as one series without labels). Sample values are
 * strings in the API, "NaN", "+Inf" and "-Inf" among them; a JSON number is
 * taken too. Members may come in any order; unknown members and native
 * histograms ("histogram", "histograms") are skipped.
 *
 * An answer with status "error" is still a good answer (0 from
 * promapi_parse): the server's own errorType and message are in it, with
 * whatever data came along (a partial result: has_data). "warnings" (for
 * instance Thanos' partial responses) are kept, the first few of them.
 *
 * Label names and values are kept as the server sent them (escapes
 * decoded), for matching and for building the next query; they are outside
 * text, so anything shown goes through the funnel (metrics_row_add does it
 * for row names). The messages (error, warnings) are stored already
 * sanitised.
 *
 * Sizes are capped: series, samples, labels per series, and text (a longer
 * label name or value is cut). The answer owns its arrays and reuses them
 * from one parse to the next, so a source that parses every interval
 * allocates nothing once they have grown.
 */
#ifndef RT_FORMATS_PROMAPI_H
#define RT_FORMATS_PROMAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROMAPI_SERIES_MAX 200000
#define PROMAPI_SAMPLES_MAX 2000000
#define PROMAPI_LABELS_MAX 128		/* per series */
#define PROMAPI_TEXT_MAX 4096		/* a label name or value; longer is cut */
#define PROMAPI_ARENA_MAX ((size_t)64 << 20)	/* all label text of one answer */
#define PROMAPI_DEPTH 64		/* nesting of skipped values */
#define PROMAPI_WARNINGS_KEPT 4
#define PROMAPI_MSG_LEN 512
#define PROMAPI_TYPE_LEN 64

enum promapi_type {
	PROMAPI_NONE,		/* no data */
	PROMAPI_VECTOR,
	PROMAPI_MATRIX,
	PROMAPI_SCALAR,
	PROMAPI_STRING,
};

struct promapi_label {
	uint32_t name, value;	/* offsets of NUL-terminated text: promapi_text() */
};

struct promapi_sample {
	double t;		/* seconds since the epoch */
	double v;		/* NAN for a string result */
};

struct promapi_series {
	uint32_t label0, nlabels;	/* labels[label0 ..], sorted by name */
	uint32_t sample0, nsamples;	/* samples[sample0 ..], in the order sent */
};

struct promapi_answer {
	bool success;			/* status "success"; else see error_type, error */
	char error_type[PROMAPI_TYPE_LEN];	/* "timeout", "bad_data", ...; sanitised */
	char error[PROMAPI_MSG_LEN];		/* the server's message; sanitised */
	size_t nwarnings;			/* how many the server sent */
	char warnings[PROMAPI_WARNINGS_KEPT][PROMAPI_MSG_LEN];	/* the first ones; sanitised */
	size_t ninfos;				/* "infos" (Prometheus 3), counted */
	bool has_data;			/* a "data" object with a result came */
	enum promapi_type type;
	uint32_t string_value;		/* PROMAPI_STRING: offset of its text */

	struct promapi_series *series;
	size_t nseries, series_cap;
	struct promapi_label *labels;
	size_t nlabels, labels_cap;
	struct promapi_sample *samples;
	size_t nsamples, samples_cap;
	char *text;
	size_t text_len, text_cap;
};

/* A fresh, empty answer that owns nothing. */
void promapi_init(struct promapi_answer *a);
/* Release what *a owns; it stays valid and empty. */
void promapi_free(struct promapi_answer *a);

/*
 * Parse an API answer of len bytes (need not be NUL-terminated) into *a,
 * replacing what it held (its arrays are reused). Returns 0 for a well-formed
 * answer, whatever its status; -1 for anything else, with a located one-line
 * message in err such as "byte 118: data.result[2].value[1]: expected a
 * sample value" (*a is then empty). Aborts via fatal() only when memory runs
 * out below the caps.
 */
int promapi_parse(struct promapi_answer *a, const char *text, size_t len, char *err,
		  size_t errlen);

/* The text at an offset from a label or string_value. */
const char *promapi_text(const struct promapi_answer *a, uint32_t off);

/* The value of label name on series s, or NULL when it has none (binary search). */
const char *promapi_label(const struct promapi_answer *a, const struct promapi_series *s,
			  const char *name);

/* The newest sample's value of series s (a vector's one sample), NAN when it has none. */
double promapi_value(const struct promapi_answer *a, const struct promapi_series *s);

/*
 * Parse a sample value as the API writes it: a decimal number (Go's
 * FormatFloat), "NaN", "+Inf", "-Inf" ("Inf" and any case taken). Returns 0,
 * or -1 when len bytes at s are anything else.
 */
int promapi_number(const char *s, size_t len, double *out);

/* "vector", "matrix", "scalar", "string" or "none". */
const char *promapi_type_name(enum promapi_type t);

#endif
