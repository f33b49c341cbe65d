/*
 * XChaCha20-Poly1305 boxes: nonce (24) || ciphertext || tag (16)
 * (docs/PROTOCOL.md, "AEAD box").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "aead.h"

#define MSG "the memo text"
#define MSGLEN (sizeof(MSG) - 1)
#define AD "memo-1/v2"
#define ADLEN (sizeof(AD) - 1)

static void
seal_sample(uint8_t box[MSGLEN + AEAD_OVERHEAD], uint8_t key[AEAD_KEY_BYTES])
{

	aead_key_new(key);
	assert_int_equal(aead_seal(box, (const uint8_t *)MSG, MSGLEN,
			     (const uint8_t *)AD, ADLEN, key),
	    0);
}

static void
test_aead_round_trips(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], box[MSGLEN + AEAD_OVERHEAD];
	uint8_t out[MSGLEN];

	(void)state;
	seal_sample(box, key);
	assert_int_equal(
	    aead_open(out, box, sizeof(box), (const uint8_t *)AD, ADLEN, key),
	    0);
	assert_memory_equal(out, MSG, MSGLEN);
}

static void
test_aead_round_trips_empty_message_and_ad(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], box[AEAD_OVERHEAD];
	uint8_t out[1];

	(void)state;
	aead_key_new(key);
	assert_int_equal(aead_seal(box, NULL, 0, NULL, 0, key), 0);
	assert_int_equal(aead_open(out, box, sizeof(box), NULL, 0, key), 0);
}

static void
test_aead_key_new_gives_distinct_keys(void **state)
{
	uint8_t a[AEAD_KEY_BYTES], b[AEAD_KEY_BYTES];

	(void)state;
	aead_key_new(a);
	aead_key_new(b);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
test_aead_seal_uses_a_fresh_nonce_each_time(void **state)
{
	uint8_t key[AEAD_KEY_BYTES];
	uint8_t a[MSGLEN + AEAD_OVERHEAD], b[MSGLEN + AEAD_OVERHEAD];

	(void)state;
	aead_key_new(key);
	assert_int_equal(
	    aead_seal(a, (const uint8_t *)MSG, MSGLEN, NULL, 0, key), 0);
	assert_int_equal(
	    aead_seal(b, (const uint8_t *)MSG, MSGLEN, NULL, 0, key), 0);
	assert_memory_not_equal(a, b, AEAD_NONCE_BYTES);
}

/* The box is the nonce followed by libsodium's combined output. */
static void
test_aead_box_is_nonce_then_xchacha20poly1305_ietf(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], nonce[AEAD_NONCE_BYTES];
	uint8_t box[MSGLEN + AEAD_OVERHEAD];
	uint8_t want[MSGLEN + AEAD_TAG_BYTES];
	unsigned long long wantlen;

	(void)state;
	aead_key_new(key);
	randombytes_buf(nonce, sizeof(nonce));
	assert_int_equal(aead_seal_with_nonce(box, (const uint8_t *)MSG, MSGLEN,
			     (const uint8_t *)AD, ADLEN, key, nonce),
	    0);
	assert_int_equal(crypto_aead_xchacha20poly1305_ietf_encrypt(want,
			     &wantlen, (const uint8_t *)MSG, MSGLEN,
			     (const uint8_t *)AD, ADLEN, NULL, nonce, key),
	    0);
	assert_int_equal(wantlen, sizeof(want));
	assert_memory_equal(box, nonce, AEAD_NONCE_BYTES);
	assert_memory_equal(box + AEAD_NONCE_BYTES, want, sizeof(want));
}

static void
test_aead_open_refuses_wrong_key(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], other[AEAD_KEY_BYTES];
	uint8_t box[MSGLEN + AEAD_OVERHEAD], out[MSGLEN];

	(void)state;
	seal_sample(box, key);
	aead_key_new(other);
	assert_int_equal(
	    aead_open(out, box, sizeof(box), (const uint8_t *)AD, ADLEN, other),
	    -1);
}

static void
test_aead_open_refuses_wrong_associated_data(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], box[MSGLEN + AEAD_OVERHEAD];
	uint8_t out[MSGLEN];

	(void)state;
	seal_sample(box, key);
	assert_int_equal(aead_open(out, box, sizeof(box),
			     (const uint8_t *)"memo-1/v3", ADLEN, key),
	    -1);
	assert_int_equal(aead_open(out, box, sizeof(box), NULL, 0, key), -1);
}

static void
test_aead_open_refuses_any_altered_byte(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], box[MSGLEN + AEAD_OVERHEAD];
	uint8_t out[MSGLEN];
	size_t i;

	(void)state;
	seal_sample(box, key);
	for (i = 0; i < sizeof(box); i++) {
		box[i] ^= 0x20;
		assert_int_equal(aead_open(out, box, sizeof(box),
				     (const uint8_t *)AD, ADLEN, key),
		    -1);
		box[i] ^= 0x20;
	}
}

static void
test_aead_open_refuses_every_truncation(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], box[MSGLEN + AEAD_OVERHEAD];
	uint8_t out[MSGLEN];
	size_t len;

	(void)state;
	seal_sample(box, key);
	for (len = 0; len < sizeof(box); len++)
		assert_int_equal(
		    aead_open(out, box, len, (const uint8_t *)AD, ADLEN, key),
		    -1);
}

static void
test_aead_open_refuses_appended_byte(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], box[MSGLEN + AEAD_OVERHEAD + 1];
	uint8_t out[MSGLEN + 1];

	(void)state;
	seal_sample(box, key);
	box[sizeof(box) - 1] = 0;
	assert_int_equal(
	    aead_open(out, box, sizeof(box), (const uint8_t *)AD, ADLEN, key),
	    -1);
}

static void
test_aead_open_wipes_output_on_failure(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], box[MSGLEN + AEAD_OVERHEAD];
	uint8_t out[MSGLEN], zero[MSGLEN] = {0};

	(void)state;
	seal_sample(box, key);
	box[AEAD_NONCE_BYTES] ^= 1;
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(
	    aead_open(out, box, sizeof(box), (const uint8_t *)AD, ADLEN, key),
	    -1);
	assert_memory_equal(out, zero, sizeof(out));
}

static void
test_aead_seal_refuses_overflowing_length(void **state)
{
	uint8_t key[AEAD_KEY_BYTES], box[AEAD_OVERHEAD];

	(void)state;
	aead_key_new(key);
	/* Refused before anything is read or written. */
	assert_int_equal(aead_seal(box, box, SIZE_MAX - 8, NULL, 0, key), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_aead_round_trips),
	    cmocka_unit_test(test_aead_round_trips_empty_message_and_ad),
	    cmocka_unit_test(test_aead_key_new_gives_distinct_keys),
	    cmocka_unit_test(test_aead_seal_uses_a_fresh_nonce_each_time),
	    cmocka_unit_test(
		test_aead_box_is_nonce_then_xchacha20poly1305_ietf),
	    cmocka_unit_test(test_aead_open_refuses_wrong_key),
	    cmocka_unit_test(test_aead_open_refuses_wrong_associated_data),
	    cmocka_unit_test(test_aead_open_refuses_any_altered_byte),
	    cmocka_unit_test(test_aead_open_refuses_every_truncation),
	    cmocka_unit_test(test_aead_open_refuses_appended_byte),
	    cmocka_unit_test(test_aead_open_wipes_output_on_failure),
	    cmocka_unit_test(test_aead_seal_refuses_overflowing_length),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
