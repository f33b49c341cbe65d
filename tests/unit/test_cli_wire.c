/*
 * The JSON the client builds for the server (custody, recovery, keys,
 * proofs) and reads back (published keys), and the server key pin.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "b64.h"
#include "custody.h"
#include "jsonmem.h"
#include "keys.h"
#include "serverpin.h"
#include "wire.h"

#define MEMBER_ID "m_0123456789abcdef01234567"
/* The least cost, to keep the test quick. */
#define OPS CUSTODY_OPSLIMIT_MIN
#define MEM CUSTODY_MEMLIMIT_MIN

static void
test_custody_unwraps_with_the_same_password(void **state)
{
	uint8_t seed[KEYS_SEED_BYTES], out[KEYS_SEED_BYTES];
	uint8_t auth[CUSTODY_KEY_BYTES], auth2[CUSTODY_KEY_BYTES];
	uint8_t wrap[CUSTODY_KEY_BYTES], wrapped[CUSTODY_WRAPPED_BYTES];
	struct custody_kdf kdf;
	json_t *c;

	(void)state;
	keys_seed_new(seed);
	assert_non_null(c = wire_custody(seed, MEMBER_ID, "pass phrase 1", 13,
			    OPS, MEM, auth));
	assert_int_equal(
	    json_integer_value(json_object_get(c, "opslimit")), OPS);
	assert_int_equal(
	    json_integer_value(json_object_get(c, "memlimit")), MEM);
	assert_int_equal(
	    wire_get_b64(c, "salt", kdf.salt, sizeof(kdf.salt)), 0);
	kdf.opslimit = OPS;
	kdf.memlimit = MEM;
	assert_int_equal(
	    custody_password_keys(auth2, wrap, "pass phrase 1", 13, &kdf), 0);
	assert_memory_equal(auth, auth2, sizeof(auth));
	assert_int_equal(wire_get_b64(c, "auth_key", auth2, sizeof(auth2)), 0);
	assert_memory_equal(auth, auth2, sizeof(auth));
	assert_int_equal(
	    wire_get_b64(c, "wrapped_seed", wrapped, sizeof(wrapped)), 0);
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, wrap, MEMBER_ID, "password"), 0);
	assert_memory_equal(out, seed, sizeof(seed));
	/* Bound to the member and the purpose. */
	assert_int_equal(custody_unwrap_seed(out, wrapped, wrap,
			     "m_ffffffffffffffffffffffff", "password"),
	    -1);
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, wrap, MEMBER_ID, "recovery"), -1);
	json_decref(c);
}

static void
test_custody_uses_a_new_salt_each_time(void **state)
{
	uint8_t seed[KEYS_SEED_BYTES];
	json_t *a, *b;

	(void)state;
	keys_seed_new(seed);
	assert_non_null(a = wire_custody(seed, MEMBER_ID, "pass phrase 1", 13,
			    OPS, MEM, NULL));
	assert_non_null(b = wire_custody(seed, MEMBER_ID, "pass phrase 1", 13,
			    OPS, MEM, NULL));
	assert_string_not_equal(json_string_value(json_object_get(a, "salt")),
	    json_string_value(json_object_get(b, "salt")));
	json_decref(a);
	json_decref(b);
}

static void
test_recovery_code_unwraps_its_wrapping(void **state)
{
	uint8_t seed[KEYS_SEED_BYTES], out[KEYS_SEED_BYTES];
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	uint8_t sent[CUSTODY_KEY_BYTES], wrapped[CUSTODY_WRAPPED_BYTES];
	char code[CUSTODY_RECOVERY_CODE_LEN + 1];
	json_t *r;

	(void)state;
	keys_seed_new(seed);
	assert_non_null(r = wire_recovery(seed, MEMBER_ID, code));
	assert_int_equal(strlen(code), CUSTODY_RECOVERY_CODE_LEN);
	assert_int_equal(custody_recovery_keys(auth, wrap, code), 0);
	assert_int_equal(wire_get_b64(r, "auth_key", sent, sizeof(sent)), 0);
	assert_memory_equal(sent, auth, sizeof(auth));
	assert_int_equal(
	    wire_get_b64(r, "wrapped_seed", wrapped, sizeof(wrapped)), 0);
	assert_int_equal(
	    custody_unwrap_seed(out, wrapped, wrap, MEMBER_ID, "recovery"), 0);
	assert_memory_equal(out, seed, sizeof(seed));
	json_decref(r);
}

static void
test_keys_and_pop_round_trip_and_verify(void **state)
{
	uint8_t seed[KEYS_SEED_BYTES];
	struct keys_secret ks;
	struct keys_public pub;
	struct keys_pop pop, back;
	json_t *k, *p, *member;
	uint32_t epoch;

	(void)state;
	keys_seed_new(seed);
	assert_int_equal(keys_derive(&ks, seed), 0);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER_ID, 1), 0);
	assert_non_null(k = wire_keys(&ks.pub));
	assert_non_null(p = wire_pop(&pop));
	assert_int_equal(wire_get_b64(p, "sig", back.sig, sizeof(back.sig)), 0);
	assert_int_equal(wire_get_b64(p, "ring_proof", back.ring_proof,
			     sizeof(back.ring_proof)),
	    0);
	json_object_set_new(k, "epoch", json_integer(1));
	member = json_pack("{s:s,s:O}", "id", MEMBER_ID, "keys", k);
	assert_int_equal(wire_member_keys(member, &epoch, &pub), 0);
	assert_int_equal(epoch, 1);
	assert_true(wire_keys_equal(&pub, &ks.pub));
	assert_int_equal(keys_pop_verify(&back, &pub, MEMBER_ID, 1), 0);
	keys_wipe(&ks);
	json_decref(member);
	json_decref(k);
	json_decref(p);
}

static void
test_member_keys_refuses_missing_or_malformed(void **state)
{
#define Z43 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	static const char *const bad[] = {
	    "{\"keys\":null}",
	    "{}",
	    "{\"keys\":{\"epoch\":0,\"sign_pk\":\"" Z43 "\","
	    "\"box_pk\":\"" Z43 "\",\"ring_pk\":\"" Z43 "\"}}",
	    "{\"keys\":{\"epoch\":1,\"sign_pk\":\"AAAA\","
	    "\"box_pk\":\"" Z43 "\",\"ring_pk\":\"" Z43 "\"}}",
	    "{\"keys\":{\"epoch\":\"1\",\"sign_pk\":\"" Z43 "\","
	    "\"box_pk\":\"" Z43 "\",\"ring_pk\":\"" Z43 "\"}}",
	    "{\"keys\":{\"epoch\":1,\"sign_pk\":\"" Z43 "\","
	    "\"box_pk\":\"" Z43 "\"}}",
	};
#undef Z43
	struct keys_public pub;
	uint32_t epoch;
	json_t *m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(m = json_loads(bad[i], 0, NULL));
		assert_int_equal(wire_member_keys(m, &epoch, &pub), -1);
		json_decref(m);
	}
}

static void
test_keys_equal_detects_any_difference(void **state)
{
	struct keys_public a, b;

	(void)state;
	randombytes_buf(&a, sizeof(a));
	b = a;
	assert_true(wire_keys_equal(&a, &b));
	b.ring_pk[31] ^= 1;
	assert_false(wire_keys_equal(&a, &b));
	b = a;
	b.box_pk[0] ^= 0x80;
	assert_false(wire_keys_equal(&a, &b));
	b = a;
	b.sign_pk[5] ^= 4;
	assert_false(wire_keys_equal(&a, &b));
}

static void
test_pin_is_new_then_matches_then_refuses_change(void **state)
{
	json_t *config = json_object();

	(void)state;
	assert_int_equal(
	    serverpin_check(config, "http://a", "KEY1"), SERVERPIN_NEW);
	assert_int_equal(
	    serverpin_set(config, "http://a", "KEY1", "inst", "Name", NULL), 0);
	assert_int_equal(
	    serverpin_check(config, "http://a", "KEY1"), SERVERPIN_MATCH);
	assert_int_equal(
	    serverpin_check(config, "http://a", "KEY2"), SERVERPIN_CHANGED);
	/* Pins are per server URL. */
	assert_int_equal(
	    serverpin_check(config, "http://b", "KEY2"), SERVERPIN_NEW);
	assert_null(serverpin_get(config, "http://a", "ca_file"));
	assert_int_equal(serverpin_set(config, "http://a", "KEY2", "inst",
			     "Name", "/etc/ca.pem"),
	    0);
	assert_int_equal(
	    serverpin_check(config, "http://a", "KEY2"), SERVERPIN_MATCH);
	assert_string_equal(
	    serverpin_get(config, "http://a", "ca_file"), "/etc/ca.pem");
	json_decref(config);
}

static void
test_server_fingerprint_is_grouped_hex(void **state)
{
	uint8_t pk[KEYS_SIGN_PK_BYTES], pk2[KEYS_SIGN_PK_BYTES];
	char fp[SERVERPIN_FINGERPRINT_LEN], fp2[SERVERPIN_FINGERPRINT_LEN];
	size_t i;

	(void)state;
	memset(pk, 7, sizeof(pk));
	serverpin_fingerprint(fp, pk);
	assert_int_equal(strlen(fp), 49);
	for (i = 0; i < 49; i++) {
		if (i % 5 == 4)
			assert_int_equal(fp[i], ' ');
		else
			assert_non_null(strchr("0123456789abcdef", fp[i]));
	}
	memcpy(pk2, pk, sizeof(pk));
	pk2[0] ^= 1;
	serverpin_fingerprint(fp2, pk2);
	assert_string_not_equal(fp, fp2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_custody_unwraps_with_the_same_password),
	    cmocka_unit_test(test_custody_uses_a_new_salt_each_time),
	    cmocka_unit_test(test_recovery_code_unwraps_its_wrapping),
	    cmocka_unit_test(test_keys_and_pop_round_trip_and_verify),
	    cmocka_unit_test(test_member_keys_refuses_missing_or_malformed),
	    cmocka_unit_test(test_keys_equal_detects_any_difference),
	    cmocka_unit_test(test_pin_is_new_then_matches_then_refuses_change),
	    cmocka_unit_test(test_server_fingerprint_is_grouped_hex),
	};

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
