#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "account.h"
#include "aead.h"
#include "b64.h"
#include "dhash.h"

/* Domain tags (docs/PROTOCOL.md, "Server-side tokens"). */
#define TAG_SESSION "dissent/session-token/v1"
#define TAG_ENROLL "dissent/enrollment-code/v1"
#define TAG_DECOY_SALT "dissent/decoy-salt/v1"
#define TAG_DECOY_VERIFIER "dissent/decoy-verifier/v1"
#define TAG_TOTP_KEY "dissent/totp-key/v1"

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Number of base32 characters of an enrollment code (no separators). */
#define CODE_CHARS 32
#define CODE_GROUP 4

/*
 * Keyed BLAKE2b of u8(len(tag)) || tag || msg under ${key}: the same domain
 * separation as dhash(), with a key.
 */
static void
keyed_hash(uint8_t *out, size_t outlen, const uint8_t *key, size_t keylen,
    const char *tag, const uint8_t *msg, size_t msglen)
{
	crypto_generichash_state st;
	uint8_t taglen = (uint8_t)strlen(tag);

	/* Only called with constant valid lengths, so this cannot fail. */
	(void)crypto_generichash_init(&st, key, keylen, outlen);
	(void)crypto_generichash_update(&st, &taglen, 1);
	(void)crypto_generichash_update(&st, (const uint8_t *)tag, taglen);
	(void)crypto_generichash_update(&st, msg, msglen);
	(void)crypto_generichash_final(&st, out, outlen);
	sodium_memzero(&st, sizeof(st));
}

/**
 * account_token_new(token, hash):
 * Make a new random session token, NUL-terminated in ${token}, and store
 * the hash the server keeps for it in ${hash}.
 */
void
account_token_new(
    char token[ACCOUNT_TOKEN_LEN + 1], uint8_t hash[ACCOUNT_HASH_BYTES])
{
	uint8_t raw[ACCOUNT_TOKEN_BYTES];
	char enc[B64_ENCODED_LEN(ACCOUNT_TOKEN_BYTES)];

	randombytes_buf(raw, sizeof(raw));
	if (b64_encode(enc, sizeof(enc), raw, sizeof(raw)) != 0 ||
	    strlen(enc) != ACCOUNT_TOKEN_LEN ||
	    dhash(hash, TAG_SESSION, raw, sizeof(raw)) != 0) {
		/* Cannot happen with these constant sizes; fail closed. */
		abort();
	}
	memcpy(token, enc, ACCOUNT_TOKEN_LEN + 1);
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(enc, sizeof(enc));
}

/**
 * account_token_hash(hash, token):
 * Compute the stored hash of the session token ${token}.  Return 0, or -1
 * if ${token} is not the base64url encoding of exactly
 * ACCOUNT_TOKEN_BYTES bytes.
 */
int
account_token_hash(uint8_t hash[ACCOUNT_HASH_BYTES], const char *token)
{
	uint8_t raw[ACCOUNT_TOKEN_BYTES];

	if (strlen(token) != ACCOUNT_TOKEN_LEN)
		return (-1);
	if (b64_decode_exact(raw, sizeof(raw), token) != 0)
		return (-1);
	if (dhash(hash, TAG_SESSION, raw, sizeof(raw)) != 0) {
		sodium_memzero(raw, sizeof(raw));
		return (-1);
	}
	sodium_memzero(raw, sizeof(raw));
	return (0);
}

/**
 * account_base32_encode(out, cap, in, inlen):
 * Write the RFC 4648 base32 encoding of ${in} (uppercase, no padding),
 * NUL-terminated, into ${out} of ${cap} >= ACCOUNT_BASE32_LEN(inlen) bytes.
 * Return 0, or -1 if it does not fit.
 */
int
account_base32_encode(char *out, size_t cap, const uint8_t *in, size_t inlen)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t i, o = 0;

	if (inlen > (SIZE_MAX - 4) / 8 || cap < ACCOUNT_BASE32_LEN(inlen))
		return (-1);
	for (i = 0; i < inlen; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = base32_alphabet[(acc >> bits) & 0x1f];
		}
	}
	if (bits > 0)
		out[o++] = base32_alphabet[(acc << (5 - bits)) & 0x1f];
	out[o] = '\0';
	return (0);
}

/* Value of the base32 character ${c} (either case), or -1. */
static int
base32_value(char c)
{

	if (c >= 'a' && c <= 'z')
		return (c - 'a');
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= '2' && c <= '7')
		return (c - '2' + 26);
	return (-1);
}

/* Parse an enrollment code into its raw bytes; 0 or -1. */
static int
code_parse(uint8_t raw[ACCOUNT_CODE_RAW_BYTES], const char *code)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t nchars = 0, o = 0;
	const char *p;
	int v;

	for (p = code; *p != '\0'; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if ((v = base32_value(*p)) < 0 || nchars == CODE_CHARS)
			goto err0;
		nchars++;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			raw[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* 32 characters carry exactly 160 bits: no leftover bits. */
	if (nchars != CODE_CHARS || o != ACCOUNT_CODE_RAW_BYTES || bits != 0)
		goto err0;
	return (0);

err0:
	sodium_memzero(raw, ACCOUNT_CODE_RAW_BYTES);
	return (-1);
}

/**
 * account_code_new(code, hash):
 * Make a new random enrollment code, NUL-terminated in ${code} in its
 * grouped display form, and store the hash the server keeps in ${hash}.
 */
void
account_code_new(
    char code[ACCOUNT_CODE_LEN + 1], uint8_t hash[ACCOUNT_HASH_BYTES])
{
	uint8_t raw[ACCOUNT_CODE_RAW_BYTES];
	char plain[ACCOUNT_BASE32_LEN(ACCOUNT_CODE_RAW_BYTES)];
	size_t i, o = 0;

	randombytes_buf(raw, sizeof(raw));
	if (account_base32_encode(plain, sizeof(plain), raw, sizeof(raw)) !=
		0 ||
	    dhash(hash, TAG_ENROLL, raw, sizeof(raw)) != 0)
		abort(); /* Constant sizes: cannot happen. */
	for (i = 0; i < CODE_CHARS; i++) {
		if (i > 0 && i % CODE_GROUP == 0)
			code[o++] = '-';
		code[o++] = plain[i];
	}
	code[o] = '\0';
	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(plain, sizeof(plain));
}

/**
 * account_code_hash(hash, code):
 * Parse the enrollment code ${code} (case, spaces and '-' ignored) and
 * compute its stored hash.  Return 0, or -1 if it does not parse.
 */
int
account_code_hash(uint8_t hash[ACCOUNT_HASH_BYTES], const char *code)
{
	uint8_t raw[ACCOUNT_CODE_RAW_BYTES];
	int rc;

	if (code_parse(raw, code) != 0)
		return (-1);
	rc = dhash(hash, TAG_ENROLL, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return (rc == 0 ? 0 : -1);
}

/**
 * account_enrollment_expires(p, now):
 * Return the expiry time of an enrollment code issued at ${now}.
 */
int64_t
account_enrollment_expires(const struct account_policy *p, int64_t now)
{

	return (now + p->enrollment_ttl);
}

/**
 * account_enrollment_expired(expires_at, now):
 * Return 1 if a code expiring at ${expires_at} is no longer valid at
 * ${now}, else 0.
 */
int
account_enrollment_expired(int64_t expires_at, int64_t now)
{

	return (now >= expires_at);
}

/**
 * account_login_locked(l, now):
 * Return the number of seconds (at least 1) ${l}'s account stays locked
 * after ${now}, or 0 if it is not locked.
 */
int64_t
account_login_locked(const struct store_login *l, int64_t now)
{

	if (l->locked_until <= now)
		return (0);
	return (l->locked_until - now);
}

/**
 * account_login_failed(l, p, now):
 * Record one more consecutive failed login at ${now} in ${l}: once the
 * count reaches ${p}->max_failures the account is locked for
 * ${p}->lock_seconds, doubled for each further failure, at most
 * ACCOUNT_LOCK_MAX seconds.
 */
void
account_login_failed(
    struct store_login *l, const struct account_policy *p, int64_t now)
{
	int64_t lock;
	uint32_t extra;

	if (l->failures < UINT32_MAX)
		l->failures++;
	if (p->max_failures == 0 || l->failures < p->max_failures)
		return;

	/* Double per failure beyond the threshold; stop once at the cap. */
	lock = p->lock_seconds > 0 ? p->lock_seconds : 1;
	for (extra = l->failures - p->max_failures; extra > 0; extra--) {
		if (lock >= ACCOUNT_LOCK_MAX)
			break;
		lock *= 2;
	}
	if (lock > ACCOUNT_LOCK_MAX)
		lock = ACCOUNT_LOCK_MAX;
	l->locked_until = now + lock;
}

/**
 * account_login_succeeded(l):
 * Clear ${l}'s failure count and lock.  Return 1 if that changed ${l}
 * (so it needs storing), else 0.
 */
int
account_login_succeeded(struct store_login *l)
{

	if (l->failures == 0 && l->locked_until == 0)
		return (0);
	l->failures = 0;
	l->locked_until = 0;
	return (1);
}

/**
 * account_session_new(sess, p, member_id, token_hash, now):
 * Fill ${sess} for a session of ${member_id} starting at ${now}.  Return 0,
 * or -1 if ${member_id} is too long.
 */
int
account_session_new(struct store_session *sess, const struct account_policy *p,
    const char *member_id, const uint8_t token_hash[ACCOUNT_HASH_BYTES],
    int64_t now)
{
	size_t len = strlen(member_id);

	if (len >= sizeof(sess->member_id))
		return (-1);
	memset(sess, 0, sizeof(*sess));
	memcpy(sess->token_hash, token_hash, ACCOUNT_HASH_BYTES);
	memcpy(sess->member_id, member_id, len + 1);
	sess->created_at = now;
	sess->last_seen = now;
	sess->expires_at = now + p->session_ttl;
	return (0);
}

/**
 * account_session_valid(sess, p, now):
 * Return 1 if ${sess} is still valid at ${now}: before its absolute expiry
 * and less than ${p}->session_idle_ttl seconds after it was last seen;
 * else 0.
 */
int
account_session_valid(const struct store_session *sess,
    const struct account_policy *p, int64_t now)
{

	if (now >= sess->expires_at)
		return (0);
	if (now - sess->last_seen >= p->session_idle_ttl)
		return (0);
	return (1);
}

/**
 * account_session_needs_touch(sess, p, now):
 * Return 1 if ${sess}'s last_seen should be rewritten at ${now}, else 0.
 * Activity is recorded at most every min(ACCOUNT_TOUCH_MAX,
 * session_idle_ttl / 10) seconds, to limit writes.
 */
int
account_session_needs_touch(const struct store_session *sess,
    const struct account_policy *p, int64_t now)
{
	int64_t interval = p->session_idle_ttl / 10;

	if (interval > ACCOUNT_TOUCH_MAX)
		interval = ACCOUNT_TOUCH_MAX;
	/* A short idle timeout is recorded on every new second. */
	if (interval < 1)
		interval = 1;
	return (now - sess->last_seen >= interval);
}

/**
 * account_decoy_salt(salt, secret, handle):
 * Compute the KDF salt answered for a handle that has no account: keyed
 * BLAKE2b of ${handle} under the server secret ${secret}, so the answer is
 * stable and looks like a real salt to anyone without ${secret}.
 */
void
account_decoy_salt(uint8_t salt[CUSTODY_SALT_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES], const char *handle)
{

	keyed_hash(salt, CUSTODY_SALT_BYTES, secret,
	    ACCOUNT_SERVER_SECRET_BYTES, TAG_DECOY_SALT,
	    (const uint8_t *)handle, strlen(handle));
}

/**
 * account_decoy_verifier(verifier, secret, handle):
 * Compute a verifier for a handle that has no account (keyed BLAKE2b under
 * ${secret}), which a login for that handle is checked against so that it
 * costs the same as a wrong password.
 */
void
account_decoy_verifier(uint8_t verifier[CUSTODY_VERIFIER_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES], const char *handle)
{

	keyed_hash(verifier, CUSTODY_VERIFIER_BYTES, secret,
	    ACCOUNT_SERVER_SECRET_BYTES, TAG_DECOY_VERIFIER,
	    (const uint8_t *)handle, strlen(handle));
}

/* The AEAD key for TOTP secrets: dhash of the server secret. */
static int
totp_key(uint8_t key[AEAD_KEY_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES])
{

	return (dhash(key, TAG_TOTP_KEY, secret, ACCOUNT_SERVER_SECRET_BYTES));
}

/**
 * account_totp_seal(box, totp_secret, secret, member_id):
 * Encrypt ${totp_secret} for storage under a key derived from the server
 * secret ${secret}, bound to ${member_id}.  Return 0 or -1.
 */
int
account_totp_seal(uint8_t box[STORE_TOTP_BOX_BYTES],
    const uint8_t totp_secret[TOTP_SECRET_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES], const char *member_id)
{
	uint8_t key[AEAD_KEY_BYTES];
	int rc = -1;

	/* The box layout is fixed by store.h: nonce || secret || tag. */
	_Static_assert(
	    STORE_TOTP_BOX_BYTES == TOTP_SECRET_BYTES + AEAD_OVERHEAD,
	    "TOTP box size");
	if (totp_key(key, secret) != 0)
		goto err0;
	if (aead_seal(box, totp_secret, TOTP_SECRET_BYTES,
		(const uint8_t *)member_id, strlen(member_id), key) != 0)
		goto err0;
	rc = 0;

err0:
	sodium_memzero(key, sizeof(key));
	return (rc);
}

/**
 * account_totp_open(totp_secret, box, secret, member_id):
 * Reverse account_totp_seal().  Return 0, or -1 (${totp_secret} wiped) if
 * the box does not authenticate for ${member_id} under ${secret}.
 */
int
account_totp_open(uint8_t totp_secret[TOTP_SECRET_BYTES],
    const uint8_t box[STORE_TOTP_BOX_BYTES],
    const uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES], const char *member_id)
{
	uint8_t key[AEAD_KEY_BYTES];
	int rc = -1;

	if (totp_key(key, secret) != 0)
		goto err0;
	if (aead_open(totp_secret, box, STORE_TOTP_BOX_BYTES,
		(const uint8_t *)member_id, strlen(member_id), key) != 0)
		goto err0;
	rc = 0;

err0:
	if (rc != 0)
		sodium_memzero(totp_secret, TOTP_SECRET_BYTES);
	sodium_memzero(key, sizeof(key));
	return (rc);
}
