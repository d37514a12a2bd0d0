/*
 * A recording whose disk is full, for the suites that check a failed write
 * is said and survived (check_monitor, check_output): opened on a regular
 * file whose descriptor then becomes /dev/full (found through
 * /proc/self/fd), as if the disk filled up after the start.
 */
#ifndef RT_TESTS_FULL_RECORDER_H
#define RT_TESTS_FULL_RECORDER_H

#include <stddef.h>

#include "record/writer.h"

/*
 * Open it on a new file under /tmp, whose name goes in path (len bytes);
 * the caller closes the recorder and unlinks path. Fails the test (Check)
 * if any step cannot be done.
 */
struct recorder *full_recorder(char *path, size_t len);

#endif
