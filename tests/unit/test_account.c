/*
 * The server's account rules (src/lib/account.c): tokens, enrollment
 * codes, lockout, session expiry, decoys and TOTP secrets at rest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "account.h"
#include "b64.h"

static const struct account_policy policy = {
    .max_failures = 5,
    .lock_seconds = 60,
    .session_ttl = 43200,
    .session_idle_ttl = 1800,
    .enrollment_ttl = 604800,
};

static const uint8_t secret1[ACCOUNT_SERVER_SECRET_BYTES] = {1};
static const uint8_t secret2[ACCOUNT_SERVER_SECRET_BYTES] = {2};

static void
test_token_is_43_base64url_characters(void **state)
{
	char token[ACCOUNT_TOKEN_LEN + 1];
	uint8_t hash[ACCOUNT_HASH_BYTES];
	size_t i;

	(void)state;
	account_token_new(token, hash);
	assert_int_equal(strlen(token), ACCOUNT_TOKEN_LEN);
	for (i = 0; i < ACCOUNT_TOKEN_LEN; i++)
		assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
				       "nopqrstuvwxyz0123456789-_",
		    token[i]));
}

static void
test_token_hash_is_what_new_returned(void **state)
{
	char token[ACCOUNT_TOKEN_LEN + 1];
	uint8_t h1[ACCOUNT_HASH_BYTES], h2[ACCOUNT_HASH_BYTES];

	(void)state;
	account_token_new(token, h1);
	assert_int_equal(account_token_hash(h2, token), 0);
	assert_memory_equal(h1, h2, sizeof(h1));
}

static void
test_tokens_differ(void **state)
{
	char t1[ACCOUNT_TOKEN_LEN + 1], t2[ACCOUNT_TOKEN_LEN + 1];
	uint8_t h1[ACCOUNT_HASH_BYTES], h2[ACCOUNT_HASH_BYTES];

	(void)state;
	account_token_new(t1, h1);
	account_token_new(t2, h2);
	assert_string_not_equal(t1, t2);
	assert_memory_not_equal(h1, h2, sizeof(h1));
}

static void
test_token_hash_is_not_the_token(void **state)
{
	char token[ACCOUNT_TOKEN_LEN + 1];
	uint8_t raw[ACCOUNT_TOKEN_BYTES + 2], hash[ACCOUNT_HASH_BYTES];
	size_t rawlen;

	(void)state;
	account_token_new(token, hash);
	assert_int_equal(b64_decode(raw, sizeof(raw), &rawlen, token), 0);
	assert_int_equal(rawlen, ACCOUNT_TOKEN_BYTES);
	assert_memory_not_equal(raw, hash, ACCOUNT_HASH_BYTES);
}

static void
test_token_hash_refuses_malformed_tokens(void **state)
{
	char token[ACCOUNT_TOKEN_LEN + 2];
	uint8_t hash[ACCOUNT_HASH_BYTES];

	(void)state;
	account_token_new(token, hash);
	assert_int_equal(account_token_hash(hash, ""), -1);
	/* One character short, one too many, a padded form, a bad alphabet. */
	token[ACCOUNT_TOKEN_LEN - 1] = '\0';
	assert_int_equal(account_token_hash(hash, token), -1);
	memset(token, 'A', ACCOUNT_TOKEN_LEN + 1);
	token[ACCOUNT_TOKEN_LEN + 1] = '\0';
	assert_int_equal(account_token_hash(hash, token), -1);
	token[ACCOUNT_TOKEN_LEN] = '\0';
	token[ACCOUNT_TOKEN_LEN - 1] = '=';
	assert_int_equal(account_token_hash(hash, token), -1);
	token[ACCOUNT_TOKEN_LEN - 1] = '+';
	assert_int_equal(account_token_hash(hash, token), -1);
}

static void
test_base32_matches_rfc4648_vectors(void **state)
{
	/* RFC 4648 §10, without the padding. */
	static const struct {
		const char *in, *out;
	} v[] = {
	    {"", ""},
	    {"f", "MY"},
	    {"fo", "MZXQ"},
	    {"foo", "MZXW6"},
	    {"foob", "MZXW6YQ"},
	    {"fooba", "MZXW6YTB"},
	    {"foobar", "MZXW6YTBOI"},
	};
	char out[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(account_base32_encode(out, sizeof(out),
				     (const uint8_t *)v[i].in, strlen(v[i].in)),
		    0);
		assert_string_equal(out, v[i].out);
	}
}

static void
test_base32_refuses_small_buffer(void **state)
{
	char out[ACCOUNT_BASE32_LEN(6)];

	(void)state;
	assert_int_equal(account_base32_encode(out, sizeof(out) - 1,
			     (const uint8_t *)"foobar", 6),
	    -1);
	assert_int_equal(account_base32_encode(
			     out, sizeof(out), (const uint8_t *)"foobar", 6),
	    0);
}

static void
test_code_has_eight_groups_of_four(void **state)
{
	char code[ACCOUNT_CODE_LEN + 1];
	uint8_t hash[ACCOUNT_HASH_BYTES];
	size_t i;

	(void)state;
	account_code_new(code, hash);
	assert_int_equal(strlen(code), ACCOUNT_CODE_LEN);
	for (i = 0; i < ACCOUNT_CODE_LEN; i++) {
		if (i % 5 == 4)
			assert_int_equal(code[i], '-');
		else
			assert_non_null(strchr(
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", code[i]));
	}
}

static void
test_code_hash_is_what_new_returned(void **state)
{
	char code[ACCOUNT_CODE_LEN + 1];
	uint8_t h1[ACCOUNT_HASH_BYTES], h2[ACCOUNT_HASH_BYTES];

	(void)state;
	account_code_new(code, h1);
	assert_int_equal(account_code_hash(h2, code), 0);
	assert_memory_equal(h1, h2, sizeof(h1));
}

static void
test_code_hash_ignores_case_spaces_and_dashes(void **state)
{
	char code[ACCOUNT_CODE_LEN + 1], loose[80];
	uint8_t h1[ACCOUNT_HASH_BYTES], h2[ACCOUNT_HASH_BYTES];
	size_t i, o = 0;

	(void)state;
	account_code_new(code, h1);
	for (i = 0; i < ACCOUNT_CODE_LEN; i++) {
		if (code[i] == '-') {
			loose[o++] = ' ';
			continue;
		}
		loose[o++] = (char)(code[i] >= 'A' && code[i] <= 'Z'
					? code[i] - 'A' + 'a'
					: code[i]);
	}
	loose[o] = '\0';
	assert_int_equal(account_code_hash(h2, loose), 0);
	assert_memory_equal(h1, h2, sizeof(h1));
}

static void
test_code_hash_refuses_malformed_codes(void **state)
{
	uint8_t hash[ACCOUNT_HASH_BYTES];

	(void)state;
	assert_int_equal(account_code_hash(hash, ""), -1);
	/* 31 and 33 characters. */
	assert_int_equal(
	    account_code_hash(hash, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), -1);
	assert_int_equal(
	    account_code_hash(hash, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), -1);
	/* '0', '1', '8' and '_' are not base32. */
	assert_int_equal(
	    account_code_hash(hash, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0"), -1);
	assert_int_equal(
	    account_code_hash(hash, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA8"), -1);
	assert_int_equal(
	    account_code_hash(hash, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_"), -1);
	assert_int_equal(
	    account_code_hash(hash, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 0);
}

static void
test_code_and_token_hashes_are_domain_separated(void **state)
{
	uint8_t raw[32], h1[ACCOUNT_HASH_BYTES], h2[ACCOUNT_HASH_BYTES];
	char b64[B64_ENCODED_LEN(32)];

	(void)state;
	/* An all-zero code and an all-zero token must not hash alike. */
	memset(raw, 0, sizeof(raw));
	assert_int_equal(b64_encode(b64, sizeof(b64), raw, 32), 0);
	assert_int_equal(account_token_hash(h1, b64), 0);
	assert_int_equal(
	    account_code_hash(h2, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 0);
	assert_memory_not_equal(h1, h2, sizeof(h1));
}

static void
test_enrollment_expires_at_its_ttl(void **state)
{
	int64_t exp;

	(void)state;
	exp = account_enrollment_expires(&policy, 1000);
	assert_int_equal(exp, 1000 + 604800);
	assert_int_equal(account_enrollment_expired(exp, exp - 1), 0);
	assert_int_equal(account_enrollment_expired(exp, exp), 1);
	assert_int_equal(account_enrollment_expired(exp, exp + 1), 1);
}

static void
test_failures_below_the_limit_do_not_lock(void **state)
{
	struct store_login l;
	int i;

	(void)state;
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 4; i++)
		account_login_failed(&l, &policy, 1000);
	assert_int_equal(l.failures, 4);
	assert_int_equal(account_login_locked(&l, 1000), 0);
}

static void
test_reaching_the_limit_locks_for_lock_seconds(void **state)
{
	struct store_login l;
	int i;

	(void)state;
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 5; i++)
		account_login_failed(&l, &policy, 1000);
	assert_int_equal(l.locked_until, 1060);
	assert_int_equal(account_login_locked(&l, 1000), 60);
	assert_int_equal(account_login_locked(&l, 1059), 1);
	assert_int_equal(account_login_locked(&l, 1060), 0);
}

static void
test_each_further_failure_doubles_the_lock(void **state)
{
	struct store_login l;
	int i;

	(void)state;
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 5; i++)
		account_login_failed(&l, &policy, 0);
	account_login_failed(&l, &policy, 2000);
	assert_int_equal(l.locked_until, 2000 + 120);
	account_login_failed(&l, &policy, 3000);
	assert_int_equal(l.locked_until, 3000 + 240);
}

static void
test_lock_is_capped_at_an_hour(void **state)
{
	struct store_login l;
	int i;

	(void)state;
	memset(&l, 0, sizeof(l));
	for (i = 0; i < 40; i++)
		account_login_failed(&l, &policy, 0);
	assert_int_equal(l.locked_until, ACCOUNT_LOCK_MAX);
	l.failures = UINT32_MAX;
	account_login_failed(&l, &policy, 10);
	assert_int_equal(l.failures, UINT32_MAX);
	assert_int_equal(l.locked_until, 10 + ACCOUNT_LOCK_MAX);
}

static void
test_success_clears_failures_and_lock(void **state)
{
	struct store_login l;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(account_login_succeeded(&l), 0);
	l.failures = 7;
	l.locked_until = 99;
	l.totp_enabled = 1;
	assert_int_equal(account_login_succeeded(&l), 1);
	assert_int_equal(l.failures, 0);
	assert_int_equal(l.locked_until, 0);
	assert_int_equal(l.totp_enabled, 1);
}

static void
test_session_new_fills_expiry(void **state)
{
	struct store_session s;
	uint8_t hash[ACCOUNT_HASH_BYTES];

	(void)state;
	memset(hash, 7, sizeof(hash));
	assert_int_equal(account_session_new(&s, &policy,
			     "m_0123456789abcdef01234567", hash, 5000),
	    0);
	assert_string_equal(s.member_id, "m_0123456789abcdef01234567");
	assert_memory_equal(s.token_hash, hash, sizeof(hash));
	assert_int_equal(s.created_at, 5000);
	assert_int_equal(s.last_seen, 5000);
	assert_int_equal(s.expires_at, 5000 + 43200);
}

static void
test_session_new_refuses_overlong_member_id(void **state)
{
	struct store_session s;
	uint8_t hash[ACCOUNT_HASH_BYTES] = {0};
	char id[sizeof(s.member_id) + 1];

	(void)state;
	memset(id, 'a', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	assert_int_equal(account_session_new(&s, &policy, id, hash, 0), -1);
}

static void
test_session_expires_absolutely(void **state)
{
	struct store_session s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.expires_at = 10000;
	s.last_seen = 9999;
	assert_int_equal(account_session_valid(&s, &policy, 9999), 1);
	assert_int_equal(account_session_valid(&s, &policy, 10000), 0);
}

static void
test_session_expires_when_idle(void **state)
{
	struct store_session s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.expires_at = 100000;
	s.last_seen = 1000;
	assert_int_equal(account_session_valid(&s, &policy, 1000 + 1799), 1);
	assert_int_equal(account_session_valid(&s, &policy, 1000 + 1800), 0);
}

static void
test_activity_is_recorded_once_a_minute(void **state)
{
	struct store_session s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.last_seen = 1000;
	assert_int_equal(account_session_needs_touch(&s, &policy, 1059), 0);
	assert_int_equal(account_session_needs_touch(&s, &policy, 1060), 1);
}

static void
test_short_idle_timeout_is_recorded_every_second(void **state)
{
	struct account_policy p = policy;
	struct store_session s;

	(void)state;
	p.session_idle_ttl = 2;
	memset(&s, 0, sizeof(s));
	s.last_seen = 1000;
	assert_int_equal(account_session_needs_touch(&s, &p, 1000), 0);
	assert_int_equal(account_session_needs_touch(&s, &p, 1001), 1);
}

static void
test_decoy_salt_is_stable_per_handle(void **state)
{
	uint8_t a[CUSTODY_SALT_BYTES], b[CUSTODY_SALT_BYTES];

	(void)state;
	account_decoy_salt(a, secret1, "nobody");
	account_decoy_salt(b, secret1, "nobody");
	assert_memory_equal(a, b, sizeof(a));
}

static void
test_decoy_salt_differs_per_handle_and_secret(void **state)
{
	uint8_t a[CUSTODY_SALT_BYTES], b[CUSTODY_SALT_BYTES];

	(void)state;
	account_decoy_salt(a, secret1, "nobody");
	account_decoy_salt(b, secret1, "nobody2");
	assert_memory_not_equal(a, b, sizeof(a));
	account_decoy_salt(b, secret2, "nobody");
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
test_decoy_verifier_is_not_the_salt(void **state)
{
	uint8_t salt[CUSTODY_SALT_BYTES], v[CUSTODY_VERIFIER_BYTES];

	(void)state;
	account_decoy_salt(salt, secret1, "nobody");
	account_decoy_verifier(v, secret1, "nobody");
	assert_memory_not_equal(salt, v, sizeof(salt));
}

static void
test_totp_secret_round_trips(void **state)
{
	uint8_t s[TOTP_SECRET_BYTES], back[TOTP_SECRET_BYTES];
	uint8_t box[STORE_TOTP_BOX_BYTES];
	size_t i;

	(void)state;
	memset(s, 0x5a, sizeof(s));
	assert_int_equal(
	    account_totp_seal(box, s, secret1, "m_0123456789abcdef01234567"),
	    0);
	assert_int_equal(
	    account_totp_open(back, box, secret1, "m_0123456789abcdef01234567"),
	    0);
	assert_memory_equal(s, back, sizeof(s));
	/* Not stored in the clear. */
	for (i = 0; i + 8 <= sizeof(box); i++)
		assert_memory_not_equal(box + i, s, 8);
}

static void
test_totp_box_is_bound_to_the_member(void **state)
{
	uint8_t s[TOTP_SECRET_BYTES], back[TOTP_SECRET_BYTES];
	uint8_t box[STORE_TOTP_BOX_BYTES];

	(void)state;
	memset(s, 0x5a, sizeof(s));
	assert_int_equal(
	    account_totp_seal(box, s, secret1, "m_0123456789abcdef01234567"),
	    0);
	memset(back, 0xee, sizeof(back));
	assert_int_equal(
	    account_totp_open(back, box, secret1, "m_0123456789abcdef01234568"),
	    -1);
	assert_memory_not_equal(back, s, sizeof(s));
}

static void
test_totp_box_needs_the_server_secret(void **state)
{
	uint8_t s[TOTP_SECRET_BYTES], back[TOTP_SECRET_BYTES];
	uint8_t box[STORE_TOTP_BOX_BYTES];

	(void)state;
	memset(s, 0x5a, sizeof(s));
	assert_int_equal(account_totp_seal(box, s, secret1, "m_x"), 0);
	assert_int_equal(account_totp_open(back, box, secret2, "m_x"), -1);
}

static void
test_altered_totp_box_is_refused(void **state)
{
	uint8_t s[TOTP_SECRET_BYTES], back[TOTP_SECRET_BYTES];
	uint8_t box[STORE_TOTP_BOX_BYTES];

	(void)state;
	memset(s, 0x5a, sizeof(s));
	assert_int_equal(account_totp_seal(box, s, secret1, "m_x"), 0);
	box[30] ^= 1;
	assert_int_equal(account_totp_open(back, box, secret1, "m_x"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_token_is_43_base64url_characters),
	    cmocka_unit_test(test_token_hash_is_what_new_returned),
	    cmocka_unit_test(test_tokens_differ),
	    cmocka_unit_test(test_token_hash_is_not_the_token),
	    cmocka_unit_test(test_token_hash_refuses_malformed_tokens),
	    cmocka_unit_test(test_base32_matches_rfc4648_vectors),
	    cmocka_unit_test(test_base32_refuses_small_buffer),
	    cmocka_unit_test(test_code_has_eight_groups_of_four),
	    cmocka_unit_test(test_code_hash_is_what_new_returned),
	    cmocka_unit_test(test_code_hash_ignores_case_spaces_and_dashes),
	    cmocka_unit_test(test_code_hash_refuses_malformed_codes),
	    cmocka_unit_test(test_code_and_token_hashes_are_domain_separated),
	    cmocka_unit_test(test_enrollment_expires_at_its_ttl),
	    cmocka_unit_test(test_failures_below_the_limit_do_not_lock),
	    cmocka_unit_test(test_reaching_the_limit_locks_for_lock_seconds),
	    cmocka_unit_test(test_each_further_failure_doubles_the_lock),
	    cmocka_unit_test(test_lock_is_capped_at_an_hour),
	    cmocka_unit_test(test_success_clears_failures_and_lock),
	    cmocka_unit_test(test_session_new_fills_expiry),
	    cmocka_unit_test(test_session_new_refuses_overlong_member_id),
	    cmocka_unit_test(test_session_expires_absolutely),
	    cmocka_unit_test(test_session_expires_when_idle),
	    cmocka_unit_test(test_activity_is_recorded_once_a_minute),
	    cmocka_unit_test(test_short_idle_timeout_is_recorded_every_second),
	    cmocka_unit_test(test_decoy_salt_is_stable_per_handle),
	    cmocka_unit_test(test_decoy_salt_differs_per_handle_and_secret),
	    cmocka_unit_test(test_decoy_verifier_is_not_the_salt),
	    cmocka_unit_test(test_totp_secret_round_trips),
	    cmocka_unit_test(test_totp_box_is_bound_to_the_member),
	    cmocka_unit_test(test_totp_box_needs_the_server_secret),
	    cmocka_unit_test(test_altered_totp_box_is_refused),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
