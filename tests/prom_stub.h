/*
 * A loopback stand-in for a Prometheus server's HTTP API, for the fleet
 * source's tests and bench: /api/v1/query and /api/v1/query_range answer
 * from a table the caller fills, query text by query text (as the query
 * builder writes them), with a status and a body; a query not in the table
 * gets the default answer, which is Prometheus' own 400 bad_data error
 * until told otherwise. An entry may answer slowly (past the client's
 * timeout). libmicrohttpd runs it in its own threads, one per connection.
 */
#ifndef RT_PROM_STUB_H
#define RT_PROM_STUB_H

#include <stddef.h>

struct prom_stub;

/* Start on 127.0.0.1, a port the system picks. NULL if it cannot. */
struct prom_stub *prom_stub_start(void);
void prom_stub_stop(struct prom_stub *s);	/* NULL is fine */
unsigned prom_stub_port(const struct prom_stub *s);

/*
 * Answer query (its text, unescaped) on path ("query" or "query_range")
 * with status and body (copied), after delay_ms. Setting a query again
 * replaces its answer.
 */
void prom_stub_set(struct prom_stub *s, const char *path, const char *query, int status,
		   const char *body, int delay_ms);
/* The answer to every query not in the table; body NULL: Prometheus' 400 bad_data error. */
void prom_stub_set_default(struct prom_stub *s, int status, const char *body);
/* Forget the table (the default stays). */
void prom_stub_clear(struct prom_stub *s);

/* Requests answered so far, and how many of them were range queries. */
unsigned prom_stub_requests(struct prom_stub *s);
unsigned prom_stub_range_requests(struct prom_stub *s);
/*
 * The last request's parameter name ("time", "start", "step", "timeout"),
 * or its Authorization header, into buf; "" if none.
 */
void prom_stub_last_param(struct prom_stub *s, const char *name, char *buf, size_t len);

#endif
