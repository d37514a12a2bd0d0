/* Shared runner for the Check suites: TAP output comes from CK_TAP_LOG_FILE_NAME. */
#ifndef RT_CHECK_RUN_H
#define RT_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

/*
 * For checks in long loops: each ck_assert_* that passes still reports to
 * the runner, which makes a million checks take seconds (minutes under the
 * sanitizers). This one says only a failure, with both values.
 */
#define check_loop_eq(a, b)                                                             \
	do {                                                                            \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);         \
		if (check_a_ != check_b_)                                               \
			ck_abort_msg("Assertion '%s == %s' failed: %lld != %lld", #a, #b, \
				     check_a_, check_b_);                                \
	} while (0)

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
