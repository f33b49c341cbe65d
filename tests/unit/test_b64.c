/*
 * Strict base64url without padding (RFC 4648 §5; docs/PROTOCOL.md,
 * "Base64url").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "b64.h"

/* RFC 4648 §10 test vectors, with the padding left off. */
static const struct {
	const char *bin;
	const char *b64;
} rfc4648[] = {
    {"", ""},
    {"f", "Zg"},
    {"fo", "Zm8"},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg"},
    {"fooba", "Zm9vYmE"},
    {"foobar", "Zm9vYmFy"},
};

static void
test_b64_encodes_rfc4648_vectors_without_padding(void **state)
{
	char out[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		assert_int_equal(b64_encode(out, sizeof(out),
				     (const uint8_t *)rfc4648[i].bin,
				     strlen(rfc4648[i].bin)),
		    0);
		assert_string_equal(out, rfc4648[i].b64);
	}
}

static void
test_b64_decodes_rfc4648_vectors(void **state)
{
	uint8_t out[16];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(rfc4648) / sizeof(rfc4648[0]); i++) {
		assert_int_equal(
		    b64_decode(out, sizeof(out), &len, rfc4648[i].b64), 0);
		assert_int_equal(len, strlen(rfc4648[i].bin));
		assert_memory_equal(out, rfc4648[i].bin, len);
	}
}

static void
test_b64_uses_url_safe_alphabet(void **state)
{
	const uint8_t in[] = {0xfb, 0xff};
	char out[8];

	(void)state;
	assert_int_equal(b64_encode(out, sizeof(out), in, sizeof(in)), 0);
	assert_string_equal(out, "-_8");
}

static void
test_b64_round_trips_every_length_up_to_64(void **state)
{
	uint8_t in[64], back[64];
	char enc[B64_ENCODED_LEN(64)];
	size_t n, len;

	(void)state;
	for (n = 0; n <= sizeof(in); n++) {
		randombytes_buf(in, n);
		assert_int_equal(b64_encode(enc, sizeof(enc), in, n), 0);
		assert_int_equal(b64_decode(back, sizeof(back), &len, enc), 0);
		assert_int_equal(len, n);
		assert_memory_equal(back, in, n);
	}
}

static void
test_b64_encode_fits_in_encoded_len(void **state)
{
	uint8_t in[5] = {1, 2, 3, 4, 5};
	char out[B64_ENCODED_LEN(5)];

	(void)state;
	assert_int_equal(b64_encode(out, sizeof(out), in, sizeof(in)), 0);
	/* The exact need (7 characters and the NUL) also suffices. */
	assert_int_equal(b64_encode(out, 8, in, sizeof(in)), 0);
	assert_string_equal(out, "AQIDBAU");
}

static void
test_b64_encode_refuses_too_small_buffer(void **state)
{
	uint8_t in[5] = {1, 2, 3, 4, 5};
	char out[8];

	(void)state;
	assert_int_equal(b64_encode(out, 7, in, sizeof(in)), -1);
	assert_int_equal(b64_encode(out, 0, in, 0), -1);
}

static void
assert_refused(const char *in)
{
	uint8_t out[32];
	size_t len;

	assert_int_equal(b64_decode(out, sizeof(out), &len, in), -1);
}

static void
test_b64_decode_refuses_padding(void **state)
{

	(void)state;
	assert_refused("Zg==");
	assert_refused("Zm8=");
	assert_refused("Zg=");
}

static void
test_b64_decode_refuses_whitespace(void **state)
{

	(void)state;
	assert_refused("Zm 9v");
	assert_refused("Zm9v\n");
	assert_refused(" Zm9v");
	assert_refused("Zm9v\t");
}

static void
test_b64_decode_refuses_standard_alphabet(void **state)
{

	(void)state;
	assert_refused("-_8+");
	assert_refused("+_8");
	assert_refused("/w");
}

static void
test_b64_decode_refuses_other_characters(void **state)
{

	(void)state;
	assert_refused("Zm9*");
	assert_refused("Zm9.");
	assert_refused("Zm\x80v");
}

/* "Zh" decodes to 'f' with non-zero leftover bits: only "Zg" encodes it. */
static void
test_b64_decode_refuses_non_canonical_trailing_bits(void **state)
{

	(void)state;
	assert_refused("Zh");
	assert_refused("Zm9");
	assert_refused("AB");
	assert_refused("AAB");
}

static void
test_b64_decode_refuses_impossible_length(void **state)
{

	(void)state;
	assert_refused("Z");
	assert_refused("Zm9vY");
}

static void
test_b64_decode_refuses_output_that_does_not_fit(void **state)
{
	uint8_t out[5];
	size_t len;

	(void)state;
	assert_int_equal(b64_decode(out, sizeof(out), &len, "Zm9vYmFy"), -1);
	assert_int_equal(b64_decode(out, sizeof(out), &len, "Zm9vYmE"), 0);
	assert_int_equal(len, 5);
}

static void
test_b64_decode_wipes_output_on_failure(void **state)
{
	uint8_t out[8], zero[8] = {0};
	size_t len;

	(void)state;
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(b64_decode(out, sizeof(out), &len, "Zm9vYm*y"), -1);
	assert_memory_equal(out, zero, sizeof(out));
}

static void
test_b64_decode_exact_accepts_exact_length(void **state)
{
	uint8_t out[3];

	(void)state;
	assert_int_equal(b64_decode_exact(out, 3, "Zm9v"), 0);
	assert_memory_equal(out, "foo", 3);
}

static void
test_b64_decode_exact_refuses_shorter_input(void **state)
{
	uint8_t out[4], zero[4] = {0};

	(void)state;
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(b64_decode_exact(out, 4, "Zm9v"), -1);
	assert_memory_equal(out, zero, sizeof(out));
}

static void
test_b64_decode_exact_refuses_longer_input(void **state)
{
	uint8_t out[3];

	(void)state;
	assert_int_equal(b64_decode_exact(out, 3, "Zm9vYg"), -1);
}

static void
test_b64_decode_exact_refuses_non_canonical_input(void **state)
{
	uint8_t out[1];

	(void)state;
	assert_int_equal(b64_decode_exact(out, 1, "Zh"), -1);
	assert_int_equal(b64_decode_exact(out, 1, "Zg=="), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_b64_encodes_rfc4648_vectors_without_padding),
	    cmocka_unit_test(test_b64_decodes_rfc4648_vectors),
	    cmocka_unit_test(test_b64_uses_url_safe_alphabet),
	    cmocka_unit_test(test_b64_round_trips_every_length_up_to_64),
	    cmocka_unit_test(test_b64_encode_fits_in_encoded_len),
	    cmocka_unit_test(test_b64_encode_refuses_too_small_buffer),
	    cmocka_unit_test(test_b64_decode_refuses_padding),
	    cmocka_unit_test(test_b64_decode_refuses_whitespace),
	    cmocka_unit_test(test_b64_decode_refuses_standard_alphabet),
	    cmocka_unit_test(test_b64_decode_refuses_other_characters),
	    cmocka_unit_test(
		test_b64_decode_refuses_non_canonical_trailing_bits),
	    cmocka_unit_test(test_b64_decode_refuses_impossible_length),
	    cmocka_unit_test(test_b64_decode_refuses_output_that_does_not_fit),
	    cmocka_unit_test(test_b64_decode_wipes_output_on_failure),
	    cmocka_unit_test(test_b64_decode_exact_accepts_exact_length),
	    cmocka_unit_test(test_b64_decode_exact_refuses_shorter_input),
	    cmocka_unit_test(test_b64_decode_exact_refuses_longer_input),
	    cmocka_unit_test(test_b64_decode_exact_refuses_non_canonical_input),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
