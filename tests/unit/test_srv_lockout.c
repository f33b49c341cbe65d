/*
 * The in-memory lock of handles without an account (src/server/lockout.c):
 * it must behave like a real account's lock, so a 429 reveals nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "lockout.h"

static const struct account_policy policy = {
    .max_failures = 3,
    .lock_seconds = 60,
    .session_ttl = 43200,
    .session_idle_ttl = 1800,
    .enrollment_ttl = 604800,
};

static void
test_unknown_handle_starts_unlocked(void **state)
{
	struct lockout *lo;

	(void)state;
	assert_non_null(lo = lockout_new(64));
	assert_int_equal(lockout_locked(lo, "nobody", 1000), 0);
	lockout_free(lo);
}

static void
test_locks_like_a_real_account(void **state)
{
	struct lockout *lo;
	struct store_login real;
	int i;

	(void)state;
	assert_non_null(lo = lockout_new(64));
	memset(&real, 0, sizeof(real));
	for (i = 0; i < 4; i++) {
		lockout_failed(lo, "nobody", &policy, 1000 + i);
		account_login_failed(&real, &policy, 1000 + i);
		assert_int_equal(lockout_locked(lo, "nobody", 1000 + i),
		    account_login_locked(&real, 1000 + i));
	}
	assert_int_equal(lockout_locked(lo, "nobody", 1003), 120);
	assert_int_equal(lockout_locked(lo, "nobody", 1003 + 120), 0);
	lockout_free(lo);
}

static void
test_handles_are_independent(void **state)
{
	struct lockout *lo;
	int i;

	(void)state;
	assert_non_null(lo = lockout_new(64));
	for (i = 0; i < 3; i++)
		lockout_failed(lo, "nobody", &policy, 1000);
	assert_int_equal(lockout_locked(lo, "nobody", 1000), 60);
	assert_int_equal(lockout_locked(lo, "somebody", 1000), 0);
	lockout_free(lo);
}

static void
test_table_stays_bounded(void **state)
{
	struct lockout *lo;
	char h[32];
	int i;

	(void)state;
	assert_non_null(lo = lockout_new(16));
	for (i = 0; i < 3; i++)
		lockout_failed(lo, "target", &policy, 0);
	for (i = 0; i < 10000; i++) {
		snprintf(h, sizeof(h), "h%d", i);
		lockout_failed(lo, h, &policy, 1);
	}
	/* Whatever was evicted, lookups still work and nothing grew. */
	assert_true(lockout_locked(lo, "target", 1) <= 60);
	lockout_free(lo);
}

static void
test_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	lockout_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unknown_handle_starts_unlocked),
	    cmocka_unit_test(test_locks_like_a_real_account),
	    cmocka_unit_test(test_handles_are_independent),
	    cmocka_unit_test(test_table_stays_bounded),
	    cmocka_unit_test(test_free_of_null_is_a_no_op),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
