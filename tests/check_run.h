/* Shared runner for the Check suites: TAP output comes from CK_TAP_LOG_FILE_NAME. */
#ifndef RT_CHECK_RUN_H
#define RT_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int check_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
