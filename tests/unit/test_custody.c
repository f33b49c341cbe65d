/*
 * Account custody (docs/PROTOCOL.md, "Account custody", "Recovery
 * codes").  Argon2id runs at the least cost a server accepts, to keep the
 * tests fast.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "aead.h"
#include "binenc.h"
#include "custody.h"
#include "dhash.h"

#define MEMBER "m-0001"
#define PASSWORD "correct horse battery staple"
#define PWLEN (sizeof(PASSWORD) - 1)

/* RFC 4648 base32 of the bytes 0x00..0x13 (checked with Python). */
#define CODE_00_13 "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT"

static void
fast_kdf(struct custody_kdf *kdf, uint8_t saltbyte)
{

	memset(kdf->salt, saltbyte, sizeof(kdf->salt));
	kdf->opslimit = CUSTODY_OPSLIMIT_MIN;
	kdf->memlimit = CUSTODY_MEMLIMIT_MIN;
}

static void
test_custody_kdf_new_sets_cost_and_random_salt(void **state)
{
	struct custody_kdf a, b;

	(void)state;
	custody_kdf_new(&a, 4, 32 << 20);
	custody_kdf_new(&b, 4, 32 << 20);
	assert_true(a.opslimit == 4);
	assert_true(a.memlimit == 32 << 20);
	assert_memory_not_equal(a.salt, b.salt, CUSTODY_SALT_BYTES);
}

static void
test_custody_kdf_check_accepts_bounds(void **state)
{
	struct custody_kdf kdf;

	(void)state;
	custody_kdf_new(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN);
	assert_int_equal(
	    custody_kdf_check(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN),
	    0);
	custody_kdf_new(&kdf, CUSTODY_OPSLIMIT_MAX, CUSTODY_MEMLIMIT_MAX);
	assert_int_equal(
	    custody_kdf_check(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN),
	    0);
	custody_kdf_new(
	    &kdf, CUSTODY_OPSLIMIT_DEFAULT, CUSTODY_MEMLIMIT_DEFAULT);
	assert_int_equal(
	    custody_kdf_check(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN),
	    0);
}

static void
test_custody_kdf_check_refuses_cost_below_minimum(void **state)
{
	struct custody_kdf kdf;

	(void)state;
	custody_kdf_new(&kdf, CUSTODY_OPSLIMIT_MIN - 1, CUSTODY_MEMLIMIT_MIN);
	assert_int_equal(
	    custody_kdf_check(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN),
	    -1);
	custody_kdf_new(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN - 1);
	assert_int_equal(
	    custody_kdf_check(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN),
	    -1);
	/* A server configured higher refuses the default minimum. */
	custody_kdf_new(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN);
	assert_int_equal(custody_kdf_check(&kdf, 3, CUSTODY_MEMLIMIT_MIN), -1);
}

static void
test_custody_kdf_check_refuses_cost_above_maximum(void **state)
{
	struct custody_kdf kdf;

	(void)state;
	custody_kdf_new(&kdf, CUSTODY_OPSLIMIT_MAX + 1, CUSTODY_MEMLIMIT_MIN);
	assert_int_equal(
	    custody_kdf_check(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN),
	    -1);
	custody_kdf_new(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MAX + 1);
	assert_int_equal(
	    custody_kdf_check(&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN),
	    -1);
}

/* Whatever minimum a caller passes, Argon2id's own floor still holds. */
static void
test_custody_kdf_check_refuses_zero_cost_even_with_zero_minimum(void **state)
{
	struct custody_kdf kdf;

	(void)state;
	custody_kdf_new(&kdf, 0, CUSTODY_MEMLIMIT_MIN);
	assert_int_equal(custody_kdf_check(&kdf, 0, 0), -1);
	custody_kdf_new(&kdf, CUSTODY_OPSLIMIT_MIN, 1024);
	assert_int_equal(custody_kdf_check(&kdf, 0, 0), -1);
}

static void
test_custody_password_keys_follow_documented_derivation(void **state)
{
	struct custody_kdf kdf;
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	uint8_t master[32], want[32];

	(void)state;
	fast_kdf(&kdf, 1);
	assert_int_equal(
	    custody_password_keys(auth, wrap, PASSWORD, PWLEN, &kdf), 0);
	assert_int_equal(
	    crypto_pwhash(master, 32, PASSWORD, PWLEN, kdf.salt, kdf.opslimit,
		(size_t)kdf.memlimit, crypto_pwhash_ALG_ARGON2ID13),
	    0);
	assert_int_equal(
	    crypto_kdf_derive_from_key(want, 32, 1, "dscustdy", master), 0);
	assert_memory_equal(auth, want, 32);
	assert_int_equal(
	    crypto_kdf_derive_from_key(want, 32, 2, "dscustdy", master), 0);
	assert_memory_equal(wrap, want, 32);
	assert_memory_not_equal(auth, wrap, 32);
}

static void
test_custody_password_keys_depend_on_password_and_salt(void **state)
{
	struct custody_kdf kdf;
	uint8_t a1[32], w1[32], a2[32], w2[32];

	(void)state;
	fast_kdf(&kdf, 1);
	assert_int_equal(
	    custody_password_keys(a1, w1, PASSWORD, PWLEN, &kdf), 0);
	assert_int_equal(
	    custody_password_keys(a2, w2, "Correct horse", 13, &kdf), 0);
	assert_memory_not_equal(a1, a2, 32);
	assert_memory_not_equal(w1, w2, 32);
	fast_kdf(&kdf, 2);
	assert_int_equal(
	    custody_password_keys(a2, w2, PASSWORD, PWLEN, &kdf), 0);
	assert_memory_not_equal(a1, a2, 32);
	assert_memory_not_equal(w1, w2, 32);
}

static void
test_custody_password_keys_depend_on_cost(void **state)
{
	struct custody_kdf kdf;
	uint8_t a1[32], w1[32], a2[32], w2[32];

	(void)state;
	fast_kdf(&kdf, 1);
	assert_int_equal(
	    custody_password_keys(a1, w1, PASSWORD, PWLEN, &kdf), 0);
	kdf.opslimit++;
	assert_int_equal(
	    custody_password_keys(a2, w2, PASSWORD, PWLEN, &kdf), 0);
	assert_memory_not_equal(a1, a2, 32);
	kdf.opslimit--;
	kdf.memlimit += 1024 * 1024;
	assert_int_equal(
	    custody_password_keys(a2, w2, PASSWORD, PWLEN, &kdf), 0);
	assert_memory_not_equal(a1, a2, 32);
}

static void
test_custody_password_keys_refuse_empty_password(void **state)
{
	struct custody_kdf kdf;
	uint8_t a[32], w[32], zero[32] = {0};

	(void)state;
	fast_kdf(&kdf, 1);
	memset(a, 0xaa, 32);
	memset(w, 0xaa, 32);
	assert_int_equal(custody_password_keys(a, w, "", 0, &kdf), -1);
	assert_memory_equal(a, zero, 32);
	assert_memory_equal(w, zero, 32);
}

static void
test_custody_password_keys_refuse_password_longer_than_max(void **state)
{
	static char pw[CUSTODY_PASSWORD_MAX + 1];
	struct custody_kdf kdf;
	uint8_t a[32], w[32];

	(void)state;
	fast_kdf(&kdf, 1);
	memset(pw, 'p', sizeof(pw));
	assert_int_equal(custody_password_keys(a, w, pw, sizeof(pw), &kdf), -1);
	assert_int_equal(
	    custody_password_keys(a, w, pw, sizeof(pw) - 1, &kdf), 0);
}

static void
test_custody_password_keys_refuse_cost_beyond_hard_bounds(void **state)
{
	struct custody_kdf kdf;
	uint8_t a[32], w[32], zero[32] = {0};

	(void)state;
	fast_kdf(&kdf, 1);
	kdf.opslimit = CUSTODY_OPSLIMIT_MAX + 1;
	assert_int_equal(
	    custody_password_keys(a, w, PASSWORD, PWLEN, &kdf), -1);
	assert_memory_equal(a, zero, 32);
	fast_kdf(&kdf, 1);
	kdf.memlimit = CUSTODY_MEMLIMIT_MAX + 1;
	assert_int_equal(
	    custody_password_keys(a, w, PASSWORD, PWLEN, &kdf), -1);
	fast_kdf(&kdf, 1);
	kdf.opslimit = 0;
	assert_int_equal(
	    custody_password_keys(a, w, PASSWORD, PWLEN, &kdf), -1);
}

static void
test_custody_verifier_is_dhash_of_auth_key(void **state)
{
	uint8_t auth[32], v[32], want[32];

	(void)state;
	randombytes_buf(auth, sizeof(auth));
	custody_verifier(v, auth);
	assert_int_equal(dhash(want, "dissent/auth-verifier/v1", auth, 32), 0);
	assert_memory_equal(v, want, 32);
	assert_memory_not_equal(v, auth, 32);
}

static void
test_custody_verifier_check_accepts_matching_key(void **state)
{
	uint8_t auth[32], v[32];

	(void)state;
	randombytes_buf(auth, sizeof(auth));
	custody_verifier(v, auth);
	assert_int_equal(custody_verifier_check(v, auth), 0);
}

static void
test_custody_verifier_check_refuses_other_key(void **state)
{
	uint8_t auth[32], v[32];

	(void)state;
	randombytes_buf(auth, sizeof(auth));
	custody_verifier(v, auth);
	auth[31] ^= 1;
	assert_int_equal(custody_verifier_check(v, auth), -1);
}

static void
test_custody_verifier_check_refuses_altered_verifier(void **state)
{
	uint8_t auth[32], v[32];
	size_t i;

	(void)state;
	randombytes_buf(auth, sizeof(auth));
	custody_verifier(v, auth);
	for (i = 0; i < sizeof(v); i++) {
		v[i] ^= 0x10;
		assert_int_equal(custody_verifier_check(v, auth), -1);
		v[i] ^= 0x10;
	}
}

static void
wrap_sample(uint8_t wrapped[CUSTODY_WRAPPED_BYTES], uint8_t seed[32],
    uint8_t key[32], const char *purpose)
{

	randombytes_buf(seed, 32);
	randombytes_buf(key, 32);
	assert_int_equal(
	    custody_wrap_seed(wrapped, seed, key, MEMBER, purpose), 0);
}

static void
test_custody_unwrap_recovers_seed_for_each_purpose(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32], out[32];

	(void)state;
	wrap_sample(wrapped, seed, key, "password");
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, key, MEMBER, "password"), 0);
	assert_memory_equal(out, seed, 32);
	wrap_sample(wrapped, seed, key, "recovery");
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, key, MEMBER, "recovery"), 0);
	assert_memory_equal(out, seed, 32);
}

static void
test_custody_wrap_uses_a_fresh_nonce_each_time(void **state)
{
	uint8_t a[CUSTODY_WRAPPED_BYTES], b[CUSTODY_WRAPPED_BYTES];
	uint8_t seed[32], key[32];

	(void)state;
	wrap_sample(a, seed, key, "password");
	assert_int_equal(
	    custody_wrap_seed(b, seed, key, MEMBER, "password"), 0);
	assert_memory_not_equal(a, b, CUSTODY_NONCE_BYTES);
}

/* The wrapped seed is an AEAD box whose AD is the documented encoding. */
static void
test_custody_wrap_is_aead_box_with_documented_ad(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32], out[32];
	uint8_t nonce[CUSTODY_NONCE_BYTES], ad[128];
	struct binenc e;
	size_t adlen;

	(void)state;
	randombytes_buf(seed, 32);
	randombytes_buf(key, 32);
	randombytes_buf(nonce, sizeof(nonce));
	assert_int_equal(custody_wrap_seed_with_nonce(
			     wrapped, seed, key, MEMBER, "recovery", nonce),
	    0);
	assert_memory_equal(wrapped, nonce, sizeof(nonce));
	binenc_init(&e, ad, sizeof(ad));
	binenc_str(&e, "dissent/seed-wrap/v1");
	binenc_str(&e, MEMBER);
	binenc_str(&e, "recovery");
	assert_int_equal(binenc_finish(&e, &adlen), 0);
	assert_int_equal(
	    aead_open(out, wrapped, sizeof(wrapped), ad, adlen, key), 0);
	assert_memory_equal(out, seed, 32);
}

static void
test_custody_unwrap_refuses_wrong_key(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32], out[32];

	(void)state;
	wrap_sample(wrapped, seed, key, "password");
	key[0] ^= 1;
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, key, MEMBER, "password"), -1);
}

static void
test_custody_unwrap_refuses_wrong_member_id(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32], out[32];

	(void)state;
	wrap_sample(wrapped, seed, key, "password");
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, key, "m-0002", "password"), -1);
}

static void
test_custody_unwrap_refuses_wrong_purpose(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32], out[32];

	(void)state;
	wrap_sample(wrapped, seed, key, "password");
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, key, MEMBER, "recovery"), -1);
}

static void
test_custody_unwrap_refuses_any_altered_byte(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32], out[32];
	size_t i;

	(void)state;
	wrap_sample(wrapped, seed, key, "password");
	for (i = 0; i < sizeof(wrapped); i++) {
		wrapped[i] ^= 0x40;
		assert_int_equal(
		    custody_unwrap_seed(out, wrapped, key, MEMBER, "password"),
		    -1);
		wrapped[i] ^= 0x40;
	}
}

static void
test_custody_unwrap_wipes_seed_on_failure(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32], out[32];
	uint8_t zero[32] = {0};

	(void)state;
	wrap_sample(wrapped, seed, key, "password");
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, key, "m-0002", "password"), -1);
	assert_memory_equal(out, zero, 32);
}

static void
test_custody_wrap_refuses_unknown_purpose(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32], out[32];

	(void)state;
	randombytes_buf(seed, 32);
	randombytes_buf(key, 32);
	assert_int_equal(
	    custody_wrap_seed(wrapped, seed, key, MEMBER, "backup"), -1);
	assert_int_equal(custody_wrap_seed(wrapped, seed, key, MEMBER, ""), -1);
	wrap_sample(wrapped, seed, key, "password");
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, key, MEMBER, "passwor"), -1);
}

static void
test_custody_wrap_refuses_bad_member_id(void **state)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[32], key[32];
	char id[KEYS_MEMBER_ID_MAX + 2];

	(void)state;
	randombytes_buf(seed, 32);
	randombytes_buf(key, 32);
	assert_int_equal(
	    custody_wrap_seed(wrapped, seed, key, "", "password"), -1);
	memset(id, 'm', KEYS_MEMBER_ID_MAX + 1);
	id[KEYS_MEMBER_ID_MAX + 1] = '\0';
	assert_int_equal(
	    custody_wrap_seed(wrapped, seed, key, id, "password"), -1);
	id[KEYS_MEMBER_ID_MAX] = '\0';
	assert_int_equal(
	    custody_wrap_seed(wrapped, seed, key, id, "password"), 0);
}

static void
test_custody_password_keys_wrap_and_unwrap_a_seed(void **state)
{
	struct custody_kdf kdf;
	uint8_t auth[32], wrap[32], seed[32], out[32];
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES];

	(void)state;
	fast_kdf(&kdf, 9);
	randombytes_buf(seed, 32);
	assert_int_equal(
	    custody_password_keys(auth, wrap, PASSWORD, PWLEN, &kdf), 0);
	assert_int_equal(
	    custody_wrap_seed(wrapped, seed, wrap, MEMBER, "password"), 0);
	assert_int_equal(
	    custody_password_keys(auth, wrap, PASSWORD, PWLEN, &kdf), 0);
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, wrap, MEMBER, "password"), 0);
	assert_memory_equal(out, seed, 32);
	/* The authentication key does not unwrap it. */
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, auth, MEMBER, "password"), -1);
}

static void
test_custody_recovery_new_has_display_format(void **state)
{
	char code[CUSTODY_RECOVERY_CODE_LEN + 1];
	size_t i;

	(void)state;
	custody_recovery_new(code);
	assert_int_equal(strlen(code), CUSTODY_RECOVERY_CODE_LEN);
	for (i = 0; i < CUSTODY_RECOVERY_CODE_LEN; i++) {
		if (i % 5 == 4)
			assert_int_equal(code[i], '-');
		else
			assert_non_null(strchr(
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", code[i]));
	}
}

static void
test_custody_recovery_new_gives_distinct_codes(void **state)
{
	char a[CUSTODY_RECOVERY_CODE_LEN + 1], b[CUSTODY_RECOVERY_CODE_LEN + 1];

	(void)state;
	custody_recovery_new(a);
	custody_recovery_new(b);
	assert_string_not_equal(a, b);
}

static void
test_custody_recovery_format_is_grouped_rfc4648_base32(void **state)
{
	char code[CUSTODY_RECOVERY_CODE_LEN + 1];
	uint8_t raw[CUSTODY_RECOVERY_RAW_BYTES];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)i;
	custody_recovery_format(code, raw);
	assert_string_equal(code, CODE_00_13);
}

static void
test_custody_recovery_keys_follow_documented_derivation(void **state)
{
	uint8_t auth[32], wrap[32], raw[20], want[32];
	const char *auth_in = "\x18"
			      "dissent/recovery-auth/v1";
	const char *wrap_in = "\x18"
			      "dissent/recovery-wrap/v1";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)i;
	assert_int_equal(custody_recovery_keys(auth, wrap, CODE_00_13), 0);
	assert_int_equal(
	    crypto_generichash(want, 32, (const uint8_t *)auth_in, 25, raw, 20),
	    0);
	assert_memory_equal(auth, want, 32);
	assert_int_equal(
	    crypto_generichash(want, 32, (const uint8_t *)wrap_in, 25, raw, 20),
	    0);
	assert_memory_equal(wrap, want, 32);
}

static void
assert_same_keys(const char *a, const char *b)
{
	uint8_t a1[32], w1[32], a2[32], w2[32];

	assert_int_equal(custody_recovery_keys(a1, w1, a), 0);
	assert_int_equal(custody_recovery_keys(a2, w2, b), 0);
	assert_memory_equal(a1, a2, 32);
	assert_memory_equal(w1, w2, 32);
}

static void
test_custody_recovery_keys_ignore_case(void **state)
{

	(void)state;
	assert_same_keys(CODE_00_13, "aaaq-eaye-auda-ocaj-bifq-ydio-b4ib-ceqt");
	assert_same_keys(CODE_00_13, "aAaQ-EaYe-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT");
}

static void
test_custody_recovery_keys_ignore_spaces_and_dashes(void **state)
{

	(void)state;
	assert_same_keys(CODE_00_13, "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT");
	assert_same_keys(CODE_00_13, "AAAQ EAYE AUDA OCAJ BIFQ YDIO B4IB CEQT");
	assert_same_keys(
	    CODE_00_13, " -AAA-Q EAYEAUDAOC--AJBIFQYDIOB4IBCEQT- ");
}

static void
assert_code_refused(const char *code)
{
	uint8_t a[32], w[32], zero[32] = {0};

	memset(a, 0xaa, sizeof(a));
	memset(w, 0xaa, sizeof(w));
	assert_int_equal(custody_recovery_keys(a, w, code), -1);
	assert_memory_equal(a, zero, 32);
	assert_memory_equal(w, zero, 32);
}

static void
test_custody_recovery_keys_refuse_wrong_length(void **state)
{

	(void)state;
	assert_code_refused("");
	assert_code_refused("----");
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQ");
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQTA");
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-AAAA");
}

static void
test_custody_recovery_keys_refuse_characters_outside_base32(void **state)
{

	(void)state;
	/* 0, 1, 8 and 9 look like O, I, B and g but are not base32. */
	assert_code_refused("0AAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT");
	assert_code_refused("AAAQ-1AYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT");
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B8IB-CEQT");
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQ9");
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQ=");
	assert_code_refused("AAAQ_EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT");
	assert_code_refused("AAAQ\tEAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT");
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT\n");
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CE\xc3\x89");
}

/* Padding would only appear in a non-canonical, non-multiple-of-8 form. */
static void
test_custody_recovery_keys_refuse_padded_code(void **state)
{

	(void)state;
	assert_code_refused("AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQ=====");
	assert_code_refused("AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT========");
}

static void
test_custody_recovery_keys_refuse_null(void **state)
{

	(void)state;
	assert_code_refused(NULL);
}

static void
test_custody_recovery_keys_round_trip_new_code(void **state)
{
	char code[CUSTODY_RECOVERY_CODE_LEN + 1];
	uint8_t auth[32], wrap[32], seed[32], out[32];
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES];

	(void)state;
	custody_recovery_new(code);
	randombytes_buf(seed, 32);
	assert_int_equal(custody_recovery_keys(auth, wrap, code), 0);
	assert_memory_not_equal(auth, wrap, 32);
	assert_int_equal(
	    custody_wrap_seed(wrapped, seed, wrap, MEMBER, "recovery"), 0);
	assert_int_equal(custody_recovery_keys(auth, wrap, code), 0);
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, wrap, MEMBER, "recovery"), 0);
	assert_memory_equal(out, seed, 32);
}

static void
test_custody_recovery_keys_differ_between_codes(void **state)
{
	uint8_t a1[32], w1[32], a2[32], w2[32];

	(void)state;
	assert_int_equal(custody_recovery_keys(a1, w1, CODE_00_13), 0);
	assert_int_equal(custody_recovery_keys(
			     a2, w2, "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQU"),
	    0);
	assert_memory_not_equal(a1, a2, 32);
	assert_memory_not_equal(w1, w2, 32);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_custody_kdf_new_sets_cost_and_random_salt),
	    cmocka_unit_test(test_custody_kdf_check_accepts_bounds),
	    cmocka_unit_test(test_custody_kdf_check_refuses_cost_below_minimum),
	    cmocka_unit_test(test_custody_kdf_check_refuses_cost_above_maximum),
	    cmocka_unit_test(
		test_custody_kdf_check_refuses_zero_cost_even_with_zero_minimum),
	    cmocka_unit_test(
		test_custody_password_keys_follow_documented_derivation),
	    cmocka_unit_test(
		test_custody_password_keys_depend_on_password_and_salt),
	    cmocka_unit_test(test_custody_password_keys_depend_on_cost),
	    cmocka_unit_test(test_custody_password_keys_refuse_empty_password),
	    cmocka_unit_test(
		test_custody_password_keys_refuse_password_longer_than_max),
	    cmocka_unit_test(
		test_custody_password_keys_refuse_cost_beyond_hard_bounds),
	    cmocka_unit_test(test_custody_verifier_is_dhash_of_auth_key),
	    cmocka_unit_test(test_custody_verifier_check_accepts_matching_key),
	    cmocka_unit_test(test_custody_verifier_check_refuses_other_key),
	    cmocka_unit_test(
		test_custody_verifier_check_refuses_altered_verifier),
	    cmocka_unit_test(
		test_custody_unwrap_recovers_seed_for_each_purpose),
	    cmocka_unit_test(test_custody_wrap_uses_a_fresh_nonce_each_time),
	    cmocka_unit_test(test_custody_wrap_is_aead_box_with_documented_ad),
	    cmocka_unit_test(test_custody_unwrap_refuses_wrong_key),
	    cmocka_unit_test(test_custody_unwrap_refuses_wrong_member_id),
	    cmocka_unit_test(test_custody_unwrap_refuses_wrong_purpose),
	    cmocka_unit_test(test_custody_unwrap_refuses_any_altered_byte),
	    cmocka_unit_test(test_custody_unwrap_wipes_seed_on_failure),
	    cmocka_unit_test(test_custody_wrap_refuses_unknown_purpose),
	    cmocka_unit_test(test_custody_wrap_refuses_bad_member_id),
	    cmocka_unit_test(test_custody_password_keys_wrap_and_unwrap_a_seed),
	    cmocka_unit_test(test_custody_recovery_new_has_display_format),
	    cmocka_unit_test(test_custody_recovery_new_gives_distinct_codes),
	    cmocka_unit_test(
		test_custody_recovery_format_is_grouped_rfc4648_base32),
	    cmocka_unit_test(
		test_custody_recovery_keys_follow_documented_derivation),
	    cmocka_unit_test(test_custody_recovery_keys_ignore_case),
	    cmocka_unit_test(
		test_custody_recovery_keys_ignore_spaces_and_dashes),
	    cmocka_unit_test(test_custody_recovery_keys_refuse_wrong_length),
	    cmocka_unit_test(
		test_custody_recovery_keys_refuse_characters_outside_base32),
	    cmocka_unit_test(test_custody_recovery_keys_refuse_padded_code),
	    cmocka_unit_test(test_custody_recovery_keys_refuse_null),
	    cmocka_unit_test(test_custody_recovery_keys_round_trip_new_code),
	    cmocka_unit_test(test_custody_recovery_keys_differ_between_codes),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
