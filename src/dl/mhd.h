/*
 * libmicrohttpd, loaded on first use (see dl/dl.h for why: its constructor
 * initialises gnutls in every process that links it). Include this instead
 * of <microhttpd.h>: the types and constants are libmicrohttpd's own, and
 * each function routertop calls is a macro over a table filled by dlsym,
 * so a call site reads exactly as it would against the library.
 *
 * The first call loads the library. If it cannot be loaded, that call
 * ends the program through fatal() with a one-line message
 * ("libmicrohttpd not available (...): install libmicrohttpd12"); call
 * dl_mhd_load() first where a recoverable error is wanted.
 *
 * A function not listed in DL_MHD_FUNCS fails to link (the program no
 * longer links -lmicrohttpd): add it to the list and to the macros below.
 */
#ifndef RT_DL_MHD_H
#define RT_DL_MHD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

#define DL_MHD_FUNCS(X) \
	X(start_daemon) X(stop_daemon) X(quiesce_daemon) X(get_daemon_info) X(run) \
	X(run_wait) X(get_timeout) X(get_fdset2) X(get_version) X(is_feature_supported) \
	X(create_response_from_buffer) X(create_response_from_callback) \
	X(add_response_header) X(del_response_header) X(get_response_header) \
	X(set_response_options) X(queue_response) X(destroy_response) \
	X(lookup_connection_value) X(get_connection_values) X(get_connection_info) \
	X(get_reason_phrase_for)

/* One pointer per function, with libmicrohttpd's own prototype. */
struct dl_mhd {
#define DL_MHD_FIELD(n) __typeof__(&MHD_##n) n;
	DL_MHD_FUNCS(DL_MHD_FIELD)
#undef DL_MHD_FIELD
};

/*
 * Load libmicrohttpd if it is not loaded yet. Returns 0, or -1 with a
 * one-line message naming the package to install in err.
 */
int dl_mhd_load(char *err, size_t errlen);
/* The table, loading libmicrohttpd first if needed; fatal() if it cannot be loaded. */
const struct dl_mhd *dl_mhd(void);

#define MHD_start_daemon (dl_mhd()->start_daemon)
#define MHD_stop_daemon (dl_mhd()->stop_daemon)
#define MHD_quiesce_daemon (dl_mhd()->quiesce_daemon)
#define MHD_get_daemon_info (dl_mhd()->get_daemon_info)
#define MHD_run (dl_mhd()->run)
#define MHD_run_wait (dl_mhd()->run_wait)
#define MHD_get_timeout (dl_mhd()->get_timeout)
#define MHD_get_fdset2 (dl_mhd()->get_fdset2)
#define MHD_get_version (dl_mhd()->get_version)
#define MHD_is_feature_supported (dl_mhd()->is_feature_supported)
#define MHD_create_response_from_buffer (dl_mhd()->create_response_from_buffer)
#define MHD_create_response_from_callback (dl_mhd()->create_response_from_callback)
#define MHD_add_response_header (dl_mhd()->add_response_header)
#define MHD_del_response_header (dl_mhd()->del_response_header)
#define MHD_get_response_header (dl_mhd()->get_response_header)
#define MHD_set_response_options (dl_mhd()->set_response_options)
#define MHD_queue_response (dl_mhd()->queue_response)
#define MHD_destroy_response (dl_mhd()->destroy_response)
#define MHD_lookup_connection_value (dl_mhd()->lookup_connection_value)
#define MHD_get_connection_values (dl_mhd()->get_connection_values)
#define MHD_get_connection_info (dl_mhd()->get_connection_info)
#define MHD_get_reason_phrase_for (dl_mhd()->get_reason_phrase_for)

#endif
