/* A recording whose disk is full; see full_recorder.h. */
#include "full_recorder.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct recorder *full_recorder(char *path, size_t len)
{
	struct recorder *rec;
	char err[256], link[64], target[256];
	int fd, full, found = -1;

	snprintf(path, len, "/tmp/rt-full-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	rec = recorder_open(path, err, sizeof(err));
	ck_assert_msg(rec != NULL, "%s", err);
	for (int i = 3; i < 256 && found < 0; i++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", i);
		n = readlink(link, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			if (strcmp(target, path) == 0)
				found = i;
		}
	}
	ck_assert_int_ge(found, 0);
	full = open("/dev/full", O_WRONLY);
	ck_assert_int_ge(full, 0);
	ck_assert_int_eq(dup2(full, found), found);
	close(full);
	return rec;
}
