/*
 * dhash(): BLAKE2b-256 over u8(len(tag)) || tag || msg (docs/PROTOCOL.md,
 * "Domain-separated hash").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "dhash.h"

static void
assert_hex(const uint8_t *bin, size_t len, const char *hex)
{
	char buf[2 * 64 + 1];

	assert_true(len <= 64);
	sodium_bin2hex(buf, sizeof(buf), bin, len);
	assert_string_equal(buf, hex);
}

/* Expected values computed independently with Python's hashlib.blake2b. */
static void
test_dhash_known_answer(void **state)
{
	uint8_t h[DHASH_BYTES];

	(void)state;
	assert_int_equal(
	    dhash(h, "dissent/test/v1", (const uint8_t *)"hello", 5), 0);
	assert_hex(h, sizeof(h),
	    "f21cacc23d20907af2889412dcdc2477a2f5828e69837ce15b3009c2020e1fee");
}

static void
test_dhash_of_empty_message_is_hash_of_tag_alone(void **state)
{
	uint8_t h[DHASH_BYTES];

	(void)state;
	assert_int_equal(dhash(h, "dissent/test/v1", NULL, 0), 0);
	assert_hex(h, sizeof(h),
	    "2a5654062adf65f90d1dc7cd2dfb112fe390391c317a44c2c31ad4db982d11a0");
}

static void
test_dhash_equals_blake2b_of_length_prefixed_tag_and_message(void **state)
{
	const char *tag = "dissent/version/v1";
	const uint8_t msg[] = {0, 1, 2, 3, 0xff};
	uint8_t in[1 + 18 + sizeof(msg)];
	uint8_t want[DHASH_BYTES], got[DHASH_BYTES];

	(void)state;
	in[0] = 18;
	memcpy(in + 1, tag, 18);
	memcpy(in + 19, msg, sizeof(msg));
	assert_int_equal(
	    crypto_generichash(want, sizeof(want), in, sizeof(in), NULL, 0), 0);
	assert_int_equal(dhash(got, tag, msg, sizeof(msg)), 0);
	assert_memory_equal(got, want, sizeof(want));
}

static void
test_dhash_differs_between_tags(void **state)
{
	uint8_t a[DHASH_BYTES], b[DHASH_BYTES];

	(void)state;
	assert_int_equal(dhash(a, "dissent/a/v1", (const uint8_t *)"m", 1), 0);
	assert_int_equal(dhash(b, "dissent/b/v1", (const uint8_t *)"m", 1), 0);
	assert_memory_not_equal(a, b, sizeof(a));
}

/* Moving bytes between tag and message must change the hash. */
static void
test_dhash_boundary_between_tag_and_message_is_unambiguous(void **state)
{
	uint8_t a[DHASH_BYTES], b[DHASH_BYTES];

	(void)state;
	assert_int_equal(dhash(a, "ab", (const uint8_t *)"c", 1), 0);
	assert_int_equal(dhash(b, "a", (const uint8_t *)"bc", 2), 0);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
test_dhash_accepts_tag_of_max_length(void **state)
{
	char tag[DHASH_TAG_MAX + 1];
	uint8_t h[DHASH_BYTES];

	(void)state;
	memset(tag, 't', DHASH_TAG_MAX);
	tag[DHASH_TAG_MAX] = '\0';
	assert_int_equal(dhash(h, tag, NULL, 0), 0);
}

static void
test_dhash_refuses_tag_longer_than_max(void **state)
{
	char tag[DHASH_TAG_MAX + 2];
	uint8_t h[DHASH_BYTES];

	(void)state;
	memset(tag, 't', DHASH_TAG_MAX + 1);
	tag[DHASH_TAG_MAX + 1] = '\0';
	assert_int_equal(dhash(h, tag, NULL, 0), -1);
}

static void
test_dhash_refuses_empty_tag(void **state)
{
	uint8_t h[DHASH_BYTES];

	(void)state;
	assert_int_equal(dhash(h, "", (const uint8_t *)"m", 1), -1);
}

static void
test_dhash_refuses_null_tag(void **state)
{
	uint8_t h[DHASH_BYTES];

	(void)state;
	assert_int_equal(dhash(h, NULL, (const uint8_t *)"m", 1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dhash_known_answer),
	    cmocka_unit_test(test_dhash_of_empty_message_is_hash_of_tag_alone),
	    cmocka_unit_test(
		test_dhash_equals_blake2b_of_length_prefixed_tag_and_message),
	    cmocka_unit_test(test_dhash_differs_between_tags),
	    cmocka_unit_test(
		test_dhash_boundary_between_tag_and_message_is_unambiguous),
	    cmocka_unit_test(test_dhash_accepts_tag_of_max_length),
	    cmocka_unit_test(test_dhash_refuses_tag_longer_than_max),
	    cmocka_unit_test(test_dhash_refuses_empty_tag),
	    cmocka_unit_test(test_dhash_refuses_null_tag),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
