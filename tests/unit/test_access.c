/*
 * The access matrix (src/lib/access.c): every role set against every
 * endpoint class.  The admin runs the directory and never reaches content.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>

#include "access.h"
#include "directory.h"

#define M ROLE_MEMBER

static const struct {
	const char *who;
	unsigned int roles;
	int pub, session, admin, content;
} matrix[] = {
    {"no session", ACCESS_NO_SESSION, 1, 0, 0, 0},
    {"member", M, 1, 1, 0, 1},
    {"coordinator", M | ROLE_COORDINATOR, 1, 1, 0, 1},
    {"director", M | ROLE_DIRECTOR, 1, 1, 0, 1},
    {"principal", M | ROLE_PRINCIPAL, 1, 1, 0, 1},
    {"auditor", M | ROLE_AUDITOR, 1, 1, 0, 1},
    {"coordinator+director", M | ROLE_COORDINATOR | ROLE_DIRECTOR, 1, 1, 0, 1},
    {"every non-admin role", ROLE_ALL & ~ROLE_ADMIN, 1, 1, 0, 1},
    {"admin", ROLE_ADMIN, 1, 1, 1, 0},
    /* Role sets the directory never allows fail closed. */
    {"admin+member", ROLE_ADMIN | M, 1, 0, 0, 0},
    {"admin+coordinator", ROLE_ADMIN | M | ROLE_COORDINATOR, 1, 0, 0, 0},
    {"coordinator without member", ROLE_COORDINATOR, 1, 0, 0, 0},
    {"unknown bit", M | 0x40u, 1, 0, 0, 0},
    {"every bit", 0xffffffffu, 1, 0, 0, 0},
};

static void
test_public_is_open_to_everyone(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		assert_int_equal(access_allowed(matrix[i].roles, ACCESS_PUBLIC),
		    matrix[i].pub);
}

static void
test_session_is_any_valid_member_including_admin(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		assert_int_equal(
		    access_allowed(matrix[i].roles, ACCESS_SESSION),
		    matrix[i].session);
}

static void
test_admin_class_is_only_the_admin(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		assert_int_equal(access_allowed(matrix[i].roles, ACCESS_ADMIN),
		    matrix[i].admin);
}

static void
test_content_is_refused_to_the_admin(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		assert_int_equal(
		    access_allowed(matrix[i].roles, ACCESS_CONTENT),
		    matrix[i].content);
	assert_int_equal(access_allowed(ROLE_ADMIN, ACCESS_CONTENT), 0);
}

static void
test_unknown_class_is_refused(void **state)
{
	(void)state;
	assert_int_equal(access_allowed(M, (enum access_class)99), 0);
	assert_int_equal(access_allowed(ROLE_ADMIN, (enum access_class)99), 0);
}

static void
test_class_names(void **state)
{
	(void)state;
	assert_string_equal(access_class_name(ACCESS_PUBLIC), "public");
	assert_string_equal(access_class_name(ACCESS_SESSION), "session");
	assert_string_equal(access_class_name(ACCESS_ADMIN), "admin");
	assert_string_equal(access_class_name(ACCESS_CONTENT), "content");
	assert_string_equal(
	    access_class_name((enum access_class)99), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_public_is_open_to_everyone),
	    cmocka_unit_test(test_session_is_any_valid_member_including_admin),
	    cmocka_unit_test(test_admin_class_is_only_the_admin),
	    cmocka_unit_test(test_content_is_refused_to_the_admin),
	    cmocka_unit_test(test_unknown_class_is_refused),
	    cmocka_unit_test(test_class_names),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
