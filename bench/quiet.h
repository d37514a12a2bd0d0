/*
 * A source that never says anything, for the screen benches that hand the
 * monitor their snapshots themselves (bench_list, bench_fleet). A bench
 * names it in its own ops, since the name is the mode the screen shows:
 *
 *     static const struct source_ops quiet_ops = {
 *         .name = "fleet", .describe = bench_quiet_describe,
 *         .step = bench_quiet_step,
 *     };
 *     static char title[] = "http://prometheus:9090 routertop by instance";
 *     src = source_new(&quiet_ops, title, 5000);
 */
#ifndef RT_BENCH_QUIET_H
#define RT_BENCH_QUIET_H

#include <stddef.h>
#include <stdint.h>

#include "source/source.h"

/* self is the title, a string: copied into buf (len bytes, cut to fit). */
void bench_quiet_describe(void *self, char *buf, size_t len);
/* Never an event: returns 0. */
int bench_quiet_step(void *self, int64_t mono_ms, struct source_event *ev);

#endif
