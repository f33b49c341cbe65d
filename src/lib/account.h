#ifndef ACCOUNT_H_
#define ACCOUNT_H_

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "totp.h"

/*
 * The account rules the server applies (docs/PROTOCOL.md, "Server-side
 * tokens"): session tokens and enrollment codes (only their hashes are
 * stored), the login lockout policy, session expiry, the decoy KDF salt
 * given for unknown handles, and the sealing of TOTP secrets at rest.
 * Everything here is a pure function of its arguments (plus randomness for
 * new tokens and codes), so the rules can be tested without a server.
 */

/* Session tokens: 32 random bytes, base64url without padding. */
#define ACCOUNT_TOKEN_BYTES 32
#define ACCOUNT_TOKEN_LEN 43
#define ACCOUNT_HASH_BYTES 32

/*
 * Enrollment codes: 20 random bytes in RFC 4648 base32 without padding
 * (32 characters), shown in 8 groups of 4 separated by '-' like recovery
 * codes.  Parsing ignores case, spaces and '-'.
 */
#define ACCOUNT_CODE_RAW_BYTES 20
#define ACCOUNT_CODE_LEN 39

/* Length of the base32 encoding (no padding) of n bytes, plus the NUL. */
#define ACCOUNT_BASE32_LEN(n) (((n)*8 + 4) / 5 + 1)

/* The server's own secret (DATA_DIR/server.secret). */
#define ACCOUNT_SERVER_SECRET_BYTES 32

/* Longest lock, whatever the configuration says (seconds). */
#define ACCOUNT_LOCK_MAX 3600
/* last_seen is rewritten at most this often (seconds). */
#define ACCOUNT_TOUCH_MAX 60

/* The configurable part of the rules. */
struct account_policy {
	uint32_t max_failures;    /* consecutive failures before a lock */
	int64_t lock_seconds;     /* first lock; doubles per further failure */
	int64_t session_ttl;      /* absolute session lifetime */
	int64_t session_idle_ttl; /* lifetime without activity */
	int64_t enrollment_ttl;   /* lifetime of an enrollment code */
};

/**
 * account_token_new(token, hash):
 * Make a new random session token, NUL-terminated in ${token}, and store
 * the hash the server keeps for it in ${hash}.
 */
void account_token_new(
    char token[ACCOUNT_TOKEN_LEN + 1], uint8_t hash[ACCOUNT_HASH_BYTES]);

/**
 * account_token_hash(hash, token):
 * Compute the stored hash of the session token ${token}.  Return 0, or -1
 * if ${token} is not the base64url encoding of exactly
 * ACCOUNT_TOKEN_BYTES bytes.
 */
int account_token_hash(uint8_t hash[ACCOUNT_HASH_BYTES], const char *token)
    __attribute__((warn_unused_result));

/**
 * account_code_new(code, hash):
 * Make a new random enrollment code, NUL-terminated in ${code} in its
 * grouped display form, and store the hash the server keeps in ${hash}.
 */
void account_code_new(
    char code[ACCOUNT_CODE_LEN + 1], uint8_t hash[ACCOUNT_HASH_BYTES]);

/**
 * account_code_hash(hash, code):
 * Parse the enrollment code ${code} (case, spaces and '-' ignored) and
 * compute its stored hash.  Return 0, or -1 if it does not parse.
 */
int account_code_hash(uint8_t hash[ACCOUNT_HASH_BYTES], const char *code)
    __attribute__((warn_unused_result));

/**
 * account_base32_encode(out, cap, in, inlen):
 * Write the RFC 4648 base32 encoding of ${in} (uppercase, no padding),
 * NUL-terminated, into ${out} of ${cap} >= ACCOUNT_BASE32_LEN(inlen) bytes.
 * Return 0, or -1 if it does not fit.
 */
int account_base32_encode(char *out, size_t cap, const uint8_t *in,
    size_t inlen) __attribute__((warn_unused_result));

/**
 * account_enrollment_expires(p, now):
 * Return the expiry time of an enrollment code issued at ${now}.
 */
int64_t account_enrollment_expires(const struct account_policy *p, int64_t now);

/**
 * account_enrollment_expired(expires_at, now):
 * Return 1 if a code expiring at ${expires_at} is no longer valid at
 * ${now}, else 0.
 */
int account_enrollment_expired(int64_t expires_at, int64_t now);

/**
 * account_login_locked(l, now):
 * Return the number of seconds (at least 1) ${l}'s account stays locked
 * after ${now}, or 0 if it is not locked.
 */
int64_t account_login_locked(const struct store_login *l, int64_t now);

/**
 * account_login_failed(l, p, now):
 * Record one more consecutive failed login at ${now} in ${l}: once the
 * count reaches ${p}->max_failures the account is locked for
 * ${p}->lock_seconds, doubled for each further failure, at most
 * ACCOUNT_LOCK_MAX seconds.
 */
void account_login_failed(
    struct store_login *l, const struct account_policy *p, int64_t now);

/**
 * account_login_succeeded(l):
 * Clear ${l}'s failure count and lock.  Return 1 if that changed ${l}
 * (so it needs storing), else 0.
 */
int account_login_succeeded(struct store_login *l);

/**
 * account_session_new(sess, p, member_id, token_hash, now):
 * Fill ${sess} for a session of ${member_id} starting at ${now}.  Return 0,
 * or -1 if ${member_id} is too long.
 */
int account_session_new(struct store_session *sess,
    const struct account_policy *p, const char *member_id,
    const uint8_t token_hash[ACCOUNT_HASH_BYTES], int64_t now)
    __attribute__((warn_unused_result));

/**
 * account_session_valid(sess, p, now):
 * Return 1 if ${sess} is still valid at ${now}: before its absolute expiry
 * and less than ${p}->session_idle_ttl seconds after it was last seen;
 * else 0.
 */
int account_session_valid(const struct store_session *sess,
    const struct account_policy *p, int64_t now);

/**
 * account_session_needs_touch(sess, p, now):
 * Return 1 if ${sess}'s last_seen should be rewritten at ${now}, else 0.
 * Activity is recorded at most every min(ACCOUNT_TOUCH_MAX,
 * session_idle_ttl / 10) seconds, to limit writes.
 */
int account_session_needs_touch(const struct store_session *sess,
    const struct account_policy *p, int64_t now);

/**
 * account_decoy_salt(salt, secret, handle):
 * Compute the KDF salt answered for a handle that has no account: keyed
 * BLAKE2b of ${handle} under the server secret ${secret}, so the answer is
 * stable and looks like a real salt to anyone without ${secret}.
 */
void account_decoy_salt(uint8_t salt[CUSTODY_SALT_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES], const char *handle);

/**
 * account_decoy_verifier(verifier, secret, handle):
 * Compute a verifier for a handle that has no account (keyed BLAKE2b under
 * ${secret}), which a login for that handle is checked against so that it
 * costs the same as a wrong password.
 */
void account_decoy_verifier(uint8_t verifier[CUSTODY_VERIFIER_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES], const char *handle);

/**
 * account_totp_seal(box, totp_secret, secret, member_id):
 * Encrypt ${totp_secret} for storage under a key derived from the server
 * secret ${secret}, bound to ${member_id}.  Return 0 or -1.
 */
int account_totp_seal(uint8_t box[STORE_TOTP_BOX_BYTES],
    const uint8_t totp_secret[TOTP_SECRET_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES], const char *member_id)
    __attribute__((warn_unused_result));

/**
 * account_totp_open(totp_secret, box, secret, member_id):
 * Reverse account_totp_seal().  Return 0, or -1 (${totp_secret} wiped) if
 * the box does not authenticate for ${member_id} under ${secret}.
 */
int account_totp_open(uint8_t totp_secret[TOTP_SECRET_BYTES],
    const uint8_t box[STORE_TOTP_BOX_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES], const char *member_id)
    __attribute__((warn_unused_result));

#endif /* !ACCOUNT_H_ */
