/*
 * Sealed grants (docs/PROTOCOL.md, "Sealed grant").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "binenc.h"
#include "grant.h"
#include "keys.h"

#define PURPOSE "memo-key"
#define CONTEXT "memo-0001"

static void
derive(struct keys_secret *ks, uint8_t fill)
{
	uint8_t seed[KEYS_SEED_BYTES];

	memset(seed, fill, sizeof(seed));
	assert_int_equal(keys_derive(ks, seed), 0);
}

static void
seal_sample(uint8_t out[GRANT_SEALED_MAX], size_t *outlen,
    uint8_t key[GRANT_KEY_BYTES], const struct keys_secret *to)
{

	randombytes_buf(key, GRANT_KEY_BYTES);
	assert_int_equal(
	    grant_seal(out, outlen, key, PURPOSE, CONTEXT, to->pub.box_pk), 0);
}

/* Seal a hand-made plaintext, to test what grant_open() accepts. */
static size_t
seal_raw(uint8_t out[GRANT_SEALED_MAX], const char *tag, const char *purpose,
    const char *context, const uint8_t *key, size_t keylen,
    const uint8_t *extra, size_t extralen, const struct keys_secret *to)
{
	uint8_t m[GRANT_SEALED_MAX];
	struct binenc e;
	size_t mlen;

	binenc_init(&e, m, sizeof(m));
	binenc_str(&e, tag);
	binenc_str(&e, purpose);
	binenc_str(&e, context);
	binenc_fixed(&e, key, keylen);
	binenc_fixed(&e, extra, extralen);
	assert_int_equal(binenc_finish(&e, &mlen), 0);
	assert_int_equal(crypto_box_seal(out, m, mlen, to->pub.box_pk), 0);
	return (mlen + crypto_box_SEALBYTES);
}

static void
test_grant_round_trips(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	seal_sample(sealed, &len, key, &ks);
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, CONTEXT, &ks), 0);
	assert_memory_equal(out, key, 32);
}

static void
test_grant_round_trips_empty_context(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	randombytes_buf(key, sizeof(key));
	assert_int_equal(
	    grant_seal(sealed, &len, key, "channel-key", "", ks.pub.box_pk), 0);
	assert_int_equal(
	    grant_open(out, sealed, len, "channel-key", "", &ks), 0);
	assert_memory_equal(out, key, 32);
}

/* The sealed plaintext is str(tag) || str(purpose) || str(context) || key. */
static void
test_grant_plaintext_has_documented_layout(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], m[GRANT_SEALED_MAX];
	uint8_t want[GRANT_SEALED_MAX];
	struct binenc e;
	size_t len, wantlen;

	(void)state;
	derive(&ks, 1);
	seal_sample(sealed, &len, key, &ks);
	binenc_init(&e, want, sizeof(want));
	binenc_str(&e, "dissent/grant/v1");
	binenc_str(&e, PURPOSE);
	binenc_str(&e, CONTEXT);
	binenc_fixed(&e, key, 32);
	assert_int_equal(binenc_finish(&e, &wantlen), 0);
	assert_int_equal(len, wantlen + crypto_box_SEALBYTES);
	assert_int_equal(
	    crypto_box_seal_open(m, sealed, len, ks.pub.box_pk, ks.box_sk), 0);
	assert_memory_equal(m, want, wantlen);
}

static void
test_grant_seal_is_randomised(void **state)
{
	struct keys_secret ks;
	uint8_t a[GRANT_SEALED_MAX], b[GRANT_SEALED_MAX], key[32];
	size_t alen, blen;

	(void)state;
	derive(&ks, 1);
	seal_sample(a, &alen, key, &ks);
	assert_int_equal(
	    grant_seal(b, &blen, key, PURPOSE, CONTEXT, ks.pub.box_pk), 0);
	assert_int_equal(alen, blen);
	assert_memory_not_equal(a, b, alen);
}

static void
test_grant_open_refuses_other_recipient(void **state)
{
	struct keys_secret ks, other;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	derive(&other, 2);
	seal_sample(sealed, &len, key, &ks);
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, CONTEXT, &other), -1);
}

static void
test_grant_open_refuses_wrong_purpose(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	seal_sample(sealed, &len, key, &ks);
	assert_int_equal(
	    grant_open(out, sealed, len, "channel-key", CONTEXT, &ks), -1);
	assert_int_equal(
	    grant_open(out, sealed, len, "memo-ke", CONTEXT, &ks), -1);
	assert_int_equal(
	    grant_open(out, sealed, len, "memo-keys", CONTEXT, &ks), -1);
}

static void
test_grant_open_refuses_wrong_context(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	seal_sample(sealed, &len, key, &ks);
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, "memo-0002", &ks), -1);
	assert_int_equal(grant_open(out, sealed, len, PURPOSE, "", &ks), -1);
}

/* Purpose and context are separate fields: moving bytes between fails. */
static void
test_grant_open_refuses_shifted_field_boundary(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	randombytes_buf(key, sizeof(key));
	assert_int_equal(
	    grant_seal(sealed, &len, key, "ab", "c", ks.pub.box_pk), 0);
	assert_int_equal(grant_open(out, sealed, len, "a", "bc", &ks), -1);
}

static void
test_grant_open_refuses_any_altered_byte(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len, i;

	(void)state;
	derive(&ks, 1);
	seal_sample(sealed, &len, key, &ks);
	for (i = 0; i < len; i++) {
		sealed[i] ^= 0x08;
		assert_int_equal(
		    grant_open(out, sealed, len, PURPOSE, CONTEXT, &ks), -1);
		sealed[i] ^= 0x08;
	}
}

static void
test_grant_open_refuses_every_truncation(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len, n;

	(void)state;
	derive(&ks, 1);
	seal_sample(sealed, &len, key, &ks);
	for (n = 0; n < len; n++)
		assert_int_equal(
		    grant_open(out, sealed, n, PURPOSE, CONTEXT, &ks), -1);
}

static void
test_grant_open_refuses_appended_byte(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	seal_sample(sealed, &len, key, &ks);
	sealed[len] = 0;
	assert_int_equal(
	    grant_open(out, sealed, len + 1, PURPOSE, CONTEXT, &ks), -1);
}

static void
test_grant_open_refuses_oversized_input(void **state)
{
	struct keys_secret ks;
	static uint8_t big[4096];
	uint8_t out[32];

	(void)state;
	derive(&ks, 1);
	assert_int_equal(
	    grant_open(out, big, sizeof(big), PURPOSE, CONTEXT, &ks), -1);
}

static void
test_grant_open_refuses_trailing_bytes_inside_seal(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	const uint8_t extra[1] = {0};
	size_t len;

	(void)state;
	derive(&ks, 1);
	randombytes_buf(key, sizeof(key));
	len = seal_raw(sealed, "dissent/grant/v1", PURPOSE, CONTEXT, key, 32,
	    extra, 1, &ks);
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, CONTEXT, &ks), -1);
	/* The same construction without the extra byte is accepted. */
	len = seal_raw(sealed, "dissent/grant/v1", PURPOSE, CONTEXT, key, 32,
	    NULL, 0, &ks);
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, CONTEXT, &ks), 0);
	assert_memory_equal(out, key, 32);
}

static void
test_grant_open_refuses_short_key_inside_seal(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	randombytes_buf(key, sizeof(key));
	len = seal_raw(sealed, "dissent/grant/v1", PURPOSE, CONTEXT, key, 31,
	    NULL, 0, &ks);
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, CONTEXT, &ks), -1);
}

static void
test_grant_open_refuses_other_tag_inside_seal(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 1);
	randombytes_buf(key, sizeof(key));
	len = seal_raw(sealed, "dissent/grant/v2", PURPOSE, CONTEXT, key, 32,
	    NULL, 0, &ks);
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, CONTEXT, &ks), -1);
}

static void
test_grant_open_wipes_key_on_failure(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32], zero[32] = {0};
	size_t len;

	(void)state;
	derive(&ks, 1);
	seal_sample(sealed, &len, key, &ks);
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, "other", &ks), -1);
	assert_memory_equal(out, zero, 32);
}

static void
test_grant_seal_refuses_small_order_recipient(void **state)
{
	uint8_t sealed[GRANT_SEALED_MAX], key[32], pk[32];
	size_t len;

	(void)state;
	randombytes_buf(key, sizeof(key));
	memset(pk, 0, sizeof(pk));
	assert_int_equal(
	    grant_seal(sealed, &len, key, PURPOSE, CONTEXT, pk), -1);
	pk[0] = 1;
	assert_int_equal(
	    grant_seal(sealed, &len, key, PURPOSE, CONTEXT, pk), -1);
}

static void
test_grant_seal_refuses_empty_or_long_purpose(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32];
	char purpose[GRANT_PURPOSE_MAX + 2];
	size_t len;

	(void)state;
	derive(&ks, 1);
	randombytes_buf(key, sizeof(key));
	assert_int_equal(
	    grant_seal(sealed, &len, key, "", CONTEXT, ks.pub.box_pk), -1);
	memset(purpose, 'p', GRANT_PURPOSE_MAX + 1);
	purpose[GRANT_PURPOSE_MAX + 1] = '\0';
	assert_int_equal(
	    grant_seal(sealed, &len, key, purpose, CONTEXT, ks.pub.box_pk), -1);
	purpose[GRANT_PURPOSE_MAX] = '\0';
	assert_int_equal(
	    grant_seal(sealed, &len, key, purpose, CONTEXT, ks.pub.box_pk), 0);
}

static void
test_grant_seal_refuses_context_longer_than_max(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	char context[GRANT_CONTEXT_MAX + 2];
	size_t len;

	(void)state;
	derive(&ks, 1);
	randombytes_buf(key, sizeof(key));
	memset(context, 'c', GRANT_CONTEXT_MAX + 1);
	context[GRANT_CONTEXT_MAX + 1] = '\0';
	assert_int_equal(
	    grant_seal(sealed, &len, key, PURPOSE, context, ks.pub.box_pk), -1);
	/* The longest grant still fits GRANT_SEALED_MAX and opens. */
	context[GRANT_CONTEXT_MAX] = '\0';
	assert_int_equal(
	    grant_seal(sealed, &len, key, PURPOSE, context, ks.pub.box_pk), 0);
	assert_true(len <= GRANT_SEALED_MAX);
	assert_int_equal(
	    grant_open(out, sealed, len, PURPOSE, context, &ks), 0);
}

static void
test_grant_open_box_opens_grant_to_raw_key_pair(void **state)
{
	uint8_t pk[KEYS_BOX_PK_BYTES], sk[KEYS_BOX_SK_BYTES];
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	assert_int_equal(crypto_box_keypair(pk, sk), 0);
	randombytes_buf(key, sizeof(key));
	assert_int_equal(
	    grant_seal(sealed, &len, key, "channel-key", "channel", pk), 0);
	assert_int_equal(
	    grant_open_box(out, sealed, len, "channel-key", "channel", pk, sk),
	    0);
	assert_memory_equal(out, key, 32);
}

static void
test_grant_open_box_agrees_with_grant_open(void **state)
{
	struct keys_secret ks;
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	derive(&ks, 3);
	seal_sample(sealed, &len, key, &ks);
	assert_int_equal(grant_open_box(out, sealed, len, PURPOSE, CONTEXT,
			     ks.pub.box_pk, ks.box_sk),
	    0);
	assert_memory_equal(out, key, 32);
	assert_int_equal(grant_open_box(out, sealed, len, PURPOSE, "other",
			     ks.pub.box_pk, ks.box_sk),
	    -1);
}

static void
test_grant_open_box_refuses_other_key_pair(void **state)
{
	uint8_t pk[KEYS_BOX_PK_BYTES], sk[KEYS_BOX_SK_BYTES];
	uint8_t pk2[KEYS_BOX_PK_BYTES], sk2[KEYS_BOX_SK_BYTES];
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32], zero[32] = {0};
	size_t len;

	(void)state;
	assert_int_equal(crypto_box_keypair(pk, sk), 0);
	assert_int_equal(crypto_box_keypair(pk2, sk2), 0);
	randombytes_buf(key, sizeof(key));
	assert_int_equal(
	    grant_seal(sealed, &len, key, "memo-roster", CONTEXT, pk), 0);
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(
	    grant_open_box(out, sealed, len, "memo-roster", CONTEXT, pk2, sk2),
	    -1);
	assert_memory_equal(out, zero, 32);
	/* The right secret key with another public key fails too. */
	assert_int_equal(
	    grant_open_box(out, sealed, len, "memo-roster", CONTEXT, pk2, sk),
	    -1);
}

static void
test_grant_open_box_refuses_wrong_purpose(void **state)
{
	uint8_t pk[KEYS_BOX_PK_BYTES], sk[KEYS_BOX_SK_BYTES];
	uint8_t sealed[GRANT_SEALED_MAX], key[32], out[32];
	size_t len;

	(void)state;
	assert_int_equal(crypto_box_keypair(pk, sk), 0);
	randombytes_buf(key, sizeof(key));
	assert_int_equal(
	    grant_seal(sealed, &len, key, "memo-key", CONTEXT, pk), 0);
	assert_int_equal(
	    grant_open_box(out, sealed, len, "memo-roster", CONTEXT, pk, sk),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grant_round_trips),
	    cmocka_unit_test(test_grant_round_trips_empty_context),
	    cmocka_unit_test(test_grant_plaintext_has_documented_layout),
	    cmocka_unit_test(test_grant_seal_is_randomised),
	    cmocka_unit_test(test_grant_open_refuses_other_recipient),
	    cmocka_unit_test(test_grant_open_refuses_wrong_purpose),
	    cmocka_unit_test(test_grant_open_refuses_wrong_context),
	    cmocka_unit_test(test_grant_open_refuses_shifted_field_boundary),
	    cmocka_unit_test(test_grant_open_refuses_any_altered_byte),
	    cmocka_unit_test(test_grant_open_refuses_every_truncation),
	    cmocka_unit_test(test_grant_open_refuses_appended_byte),
	    cmocka_unit_test(test_grant_open_refuses_oversized_input),
	    cmocka_unit_test(
		test_grant_open_refuses_trailing_bytes_inside_seal),
	    cmocka_unit_test(test_grant_open_refuses_short_key_inside_seal),
	    cmocka_unit_test(test_grant_open_refuses_other_tag_inside_seal),
	    cmocka_unit_test(test_grant_open_wipes_key_on_failure),
	    cmocka_unit_test(test_grant_seal_refuses_small_order_recipient),
	    cmocka_unit_test(test_grant_seal_refuses_empty_or_long_purpose),
	    cmocka_unit_test(test_grant_seal_refuses_context_longer_than_max),
	    cmocka_unit_test(test_grant_open_box_opens_grant_to_raw_key_pair),
	    cmocka_unit_test(test_grant_open_box_agrees_with_grant_open),
	    cmocka_unit_test(test_grant_open_box_refuses_other_key_pair),
	    cmocka_unit_test(test_grant_open_box_refuses_wrong_purpose),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
