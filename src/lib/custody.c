#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "aead.h"
#include "binenc.h"
#include "custody.h"
#include "dhash.h"

/*
 * Password keys (docs/PROTOCOL.md, "Account custody"): crypto_kdf subkeys
 * of the Argon2id output under a context distinct from the member keys'.
 */
#define KDF_CONTEXT "dscustdy"
#define SUBKEY_AUTH 1
#define SUBKEY_WRAP 2

/* Domain tags (docs/PROTOCOL.md, "Domain tags"). */
#define TAG_VERIFIER "dissent/auth-verifier/v1"
#define TAG_WRAP "dissent/seed-wrap/v1"
#define TAG_RECOVERY_AUTH "dissent/recovery-auth/v1"
#define TAG_RECOVERY_WRAP "dissent/recovery-wrap/v1"

/* The two purposes a seed is wrapped for. */
#define PURPOSE_PASSWORD "password"
#define PURPOSE_RECOVERY "recovery"
#define PURPOSE_MAX 8

/* Associated data: str(tag) || str(member_id) || str(purpose). */
#define WRAP_AD_MAX                                                            \
	(4 + sizeof(TAG_WRAP) - 1 + 4 + KEYS_MEMBER_ID_MAX + 4 + PURPOSE_MAX)

/* Recovery codes: 32 base32 characters, shown in groups of 4. */
#define RECOVERY_CHARS 32
#define RECOVERY_GROUP 4

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * custody_kdf_new(kdf, opslimit, memlimit):
 * Fill ${kdf} with a fresh random salt and the given cost.
 */
void
custody_kdf_new(struct custody_kdf *kdf, uint64_t opslimit, uint64_t memlimit)
{

	randombytes_buf(kdf->salt, CUSTODY_SALT_BYTES);
	kdf->opslimit = opslimit;
	kdf->memlimit = memlimit;
}

/*
 * Return 0 if ${ops}/${mem} lie between ${min_ops}/${min_mem} (raised to
 * what Argon2id itself requires) and CUSTODY_OPSLIMIT_MAX/MEMLIMIT_MAX.
 */
static int
cost_in_range(uint64_t ops, uint64_t mem, uint64_t min_ops, uint64_t min_mem)
{

	if (min_ops < crypto_pwhash_argon2id_OPSLIMIT_MIN)
		min_ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
	if (min_mem < crypto_pwhash_argon2id_MEMLIMIT_MIN)
		min_mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
	if (ops < min_ops || ops > CUSTODY_OPSLIMIT_MAX)
		return (-1);
	if (mem < min_mem || mem > CUSTODY_MEMLIMIT_MAX)
		return (-1);
	return (0);
}

/**
 * custody_kdf_check(kdf, min_ops, min_mem):
 * Return 0 if ${kdf}'s cost is at least ${min_ops}/${min_mem} and at most
 * CUSTODY_OPSLIMIT_MAX/CUSTODY_MEMLIMIT_MAX, else -1.
 */
int
custody_kdf_check(
    const struct custody_kdf *kdf, uint64_t min_ops, uint64_t min_mem)
{

	return (cost_in_range(kdf->opslimit, kdf->memlimit, min_ops, min_mem));
}

/**
 * custody_password_keys(auth_key, wrap_key, password, pwlen, kdf):
 * Run Argon2id over ${password} (${pwlen} bytes, 1..CUSTODY_PASSWORD_MAX)
 * with ${kdf} and derive the authentication and wrapping keys.  Return 0, or
 * -1 (keys wiped) on bad length or out of memory.
 */
int
custody_password_keys(uint8_t auth_key[CUSTODY_KEY_BYTES],
    uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *password, size_t pwlen,
    const struct custody_kdf *kdf)
{
	uint8_t master[crypto_kdf_KEYBYTES];

	if (password == NULL || pwlen == 0 || pwlen > CUSTODY_PASSWORD_MAX)
		goto err0;
	/* Whatever the caller's policy, never run beyond the hard bounds. */
	if (cost_in_range(kdf->opslimit, kdf->memlimit, 0, 0) != 0)
		goto err0;
	if (crypto_pwhash(master, sizeof(master), password, pwlen, kdf->salt,
		kdf->opslimit, (size_t)kdf->memlimit,
		crypto_pwhash_ALG_ARGON2ID13) != 0)
		goto err1;
	if (crypto_kdf_derive_from_key(auth_key, CUSTODY_KEY_BYTES, SUBKEY_AUTH,
		KDF_CONTEXT, master) != 0)
		goto err1;
	if (crypto_kdf_derive_from_key(wrap_key, CUSTODY_KEY_BYTES, SUBKEY_WRAP,
		KDF_CONTEXT, master) != 0)
		goto err1;
	sodium_memzero(master, sizeof(master));
	return (0);

err1:
	sodium_memzero(master, sizeof(master));
err0:
	sodium_memzero(auth_key, CUSTODY_KEY_BYTES);
	sodium_memzero(wrap_key, CUSTODY_KEY_BYTES);
	return (-1);
}

/**
 * custody_verifier(verifier, auth_key):
 * Compute the value the server stores for ${auth_key}.
 */
void
custody_verifier(uint8_t verifier[CUSTODY_VERIFIER_BYTES],
    const uint8_t auth_key[CUSTODY_KEY_BYTES])
{

	/* A constant valid tag: dhash() cannot fail. */
	if (dhash(verifier, TAG_VERIFIER, auth_key, CUSTODY_KEY_BYTES) != 0)
		abort();
}

/**
 * custody_verifier_check(verifier, auth_key):
 * Return 0 if ${auth_key} matches ${verifier} (constant time), else -1.
 */
int
custody_verifier_check(const uint8_t verifier[CUSTODY_VERIFIER_BYTES],
    const uint8_t auth_key[CUSTODY_KEY_BYTES])
{
	uint8_t v[CUSTODY_VERIFIER_BYTES];
	int rc;

	custody_verifier(v, auth_key);
	rc = sodium_memcmp(v, verifier, CUSTODY_VERIFIER_BYTES);
	sodium_memzero(v, sizeof(v));
	return (rc == 0 ? 0 : -1);
}

/*
 * Build the associated data that binds a wrapped seed to ${member_id} and
 * ${purpose}.  Return 0, or -1 if the member id is empty or too long or
 * the purpose is not one of the two known.
 */
static int
wrap_ad(uint8_t ad[WRAP_AD_MAX], size_t *adlen, const char *member_id,
    const char *purpose)
{
	struct binenc e;
	size_t idlen;

	if (member_id == NULL || purpose == NULL)
		return (-1);
	idlen = strnlen(member_id, KEYS_MEMBER_ID_MAX + 1);
	if (idlen == 0 || idlen > KEYS_MEMBER_ID_MAX)
		return (-1);
	if (strcmp(purpose, PURPOSE_PASSWORD) != 0 &&
	    strcmp(purpose, PURPOSE_RECOVERY) != 0)
		return (-1);
	binenc_init(&e, ad, WRAP_AD_MAX);
	binenc_str(&e, TAG_WRAP);
	binenc_var(&e, (const uint8_t *)member_id, idlen);
	binenc_str(&e, purpose);
	return (binenc_finish(&e, adlen));
}

/**
 * custody_wrap_seed(out, seed, wrap_key, member_id, purpose):
 * Encrypt ${seed} under ${wrap_key} with XChaCha20-Poly1305 and a random
 * nonce; the associated data binds ${member_id} and ${purpose}
 * ("password" or "recovery").  Return 0 or -1.
 */
int
custody_wrap_seed(uint8_t out[CUSTODY_WRAPPED_BYTES],
    const uint8_t seed[KEYS_SEED_BYTES],
    const uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *member_id,
    const char *purpose)
{
	uint8_t nonce[CUSTODY_NONCE_BYTES];

	randombytes_buf(nonce, sizeof(nonce));
	return (custody_wrap_seed_with_nonce(
	    out, seed, wrap_key, member_id, purpose, nonce));
}

/**
 * custody_wrap_seed_with_nonce(out, seed, wrap_key, member_id, purpose,
 *     nonce):
 * As custody_wrap_seed(), with the given ${nonce} instead of a random one.
 * For known-answer vectors and tests only: production code uses
 * custody_wrap_seed().
 */
int
custody_wrap_seed_with_nonce(uint8_t out[CUSTODY_WRAPPED_BYTES],
    const uint8_t seed[KEYS_SEED_BYTES],
    const uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *member_id,
    const char *purpose, const uint8_t nonce[CUSTODY_NONCE_BYTES])
{
	uint8_t ad[WRAP_AD_MAX];
	size_t adlen;

	if (wrap_ad(ad, &adlen, member_id, purpose) != 0)
		goto err0;
	if (aead_seal_with_nonce(
		out, seed, KEYS_SEED_BYTES, ad, adlen, wrap_key, nonce) != 0)
		goto err0;
	return (0);

err0:
	sodium_memzero(out, CUSTODY_WRAPPED_BYTES);
	return (-1);
}

/**
 * custody_unwrap_seed(seed, wrapped, wrap_key, member_id, purpose):
 * Reverse custody_wrap_seed().  Return 0, or -1 (seed wiped) if the key,
 * member id or purpose is wrong or the data was altered.
 */
int
custody_unwrap_seed(uint8_t seed[KEYS_SEED_BYTES],
    const uint8_t wrapped[CUSTODY_WRAPPED_BYTES],
    const uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *member_id,
    const char *purpose)
{
	uint8_t ad[WRAP_AD_MAX];
	size_t adlen;

	if (wrap_ad(ad, &adlen, member_id, purpose) != 0)
		goto err0;
	if (aead_open(
		seed, wrapped, CUSTODY_WRAPPED_BYTES, ad, adlen, wrap_key) != 0)
		goto err0;
	return (0);

err0:
	sodium_memzero(seed, KEYS_SEED_BYTES);
	return (-1);
}

/**
 * custody_recovery_format(code, raw):
 * Write the recovery code that carries the CUSTODY_RECOVERY_RAW_BYTES of
 * ${raw}, NUL-terminated in ${code}.  custody_recovery_new() uses it with
 * random bytes; known-answer vectors and tests use it with fixed ones.
 */
void
custody_recovery_format(char code[CUSTODY_RECOVERY_CODE_LEN + 1],
    const uint8_t raw[CUSTODY_RECOVERY_RAW_BYTES])
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t i, nchars = 0, o = 0;

	/* RFC 4648 §6: 160 bits are exactly 32 characters, no padding. */
	for (i = 0; i < CUSTODY_RECOVERY_RAW_BYTES; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			if (nchars > 0 && nchars % RECOVERY_GROUP == 0)
				code[o++] = '-';
			code[o++] = base32_alphabet[(acc >> bits) & 0x1f];
			nchars++;
		}
	}
	code[o] = '\0';
	sodium_memzero(&acc, sizeof(acc));
}

/**
 * custody_recovery_new(code):
 * Make a new random recovery code, NUL-terminated in ${code}.
 */
void
custody_recovery_new(char code[CUSTODY_RECOVERY_CODE_LEN + 1])
{
	uint8_t raw[CUSTODY_RECOVERY_RAW_BYTES];

	randombytes_buf(raw, sizeof(raw));
	custody_recovery_format(code, raw);
	sodium_memzero(raw, sizeof(raw));
}

/* Value of the base32 character ${c} in either case, or -1. */
static int
base32_value(char c)
{

	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a');
	if (c >= '2' && c <= '7')
		return (c - '2' + 26);
	return (-1);
}

/*
 * Parse the recovery code ${code} into its raw bytes, ignoring case,
 * spaces and '-'.  Return 0, or -1 (raw wiped) unless exactly 32 base32
 * characters remain.  They carry exactly 160 bits, so every such string is
 * the canonical encoding of its bytes.
 */
static int
recovery_parse(uint8_t raw[CUSTODY_RECOVERY_RAW_BYTES], const char *code)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t nchars = 0, o = 0;
	const char *p;
	int v;

	if (code == NULL)
		goto err0;
	for (p = code; *p != '\0'; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if ((v = base32_value(*p)) < 0 || nchars == RECOVERY_CHARS)
			goto err0;
		nchars++;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			raw[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (nchars != RECOVERY_CHARS || o != CUSTODY_RECOVERY_RAW_BYTES ||
	    bits != 0)
		goto err0;
	sodium_memzero(&acc, sizeof(acc));
	return (0);

err0:
	sodium_memzero(raw, CUSTODY_RECOVERY_RAW_BYTES);
	sodium_memzero(&acc, sizeof(acc));
	return (-1);
}

/* BLAKE2b-256 keyed with the code's bytes, over u8(len(tag)) || tag. */
static void
recovery_subkey(uint8_t out[CUSTODY_KEY_BYTES],
    const uint8_t raw[CUSTODY_RECOVERY_RAW_BYTES], const char *tag)
{
	uint8_t msg[1 + DHASH_TAG_MAX];
	size_t taglen = strlen(tag);

	msg[0] = (uint8_t)taglen;
	memcpy(msg + 1, tag, taglen);
	/* Valid constant lengths (key of 20 bytes): this cannot fail. */
	(void)crypto_generichash(out, CUSTODY_KEY_BYTES, msg, 1 + taglen, raw,
	    CUSTODY_RECOVERY_RAW_BYTES);
}

/**
 * custody_recovery_keys(auth_key, wrap_key, code):
 * Parse ${code} and derive its authentication and wrapping keys (the code
 * carries 160 random bits, so a fast keyed BLAKE2b derivation suffices).
 * Return 0, or -1 if the code does not parse.
 */
int
custody_recovery_keys(uint8_t auth_key[CUSTODY_KEY_BYTES],
    uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *code)
{
	uint8_t raw[CUSTODY_RECOVERY_RAW_BYTES];

	if (recovery_parse(raw, code) != 0) {
		sodium_memzero(auth_key, CUSTODY_KEY_BYTES);
		sodium_memzero(wrap_key, CUSTODY_KEY_BYTES);
		return (-1);
	}
	recovery_subkey(auth_key, raw, TAG_RECOVERY_AUTH);
	recovery_subkey(wrap_key, raw, TAG_RECOVERY_WRAP);
	sodium_memzero(raw, sizeof(raw));
	return (0);
}
