#ifndef CUSTODY_H_
#define CUSTODY_H_

#include <stddef.h>
#include <stdint.h>

#include "keys.h"

/*
 * Account custody (docs/PROTOCOL.md, "Account custody").  On the client,
 * Argon2id turns the password into 32 bytes from which two keys are derived:
 * the authentication key (sent to the server at login) and the wrapping key
 * (never sent), which encrypts the member's seed.  The server stores only a
 * verifier of the authentication key and the wrapped seed.  A recovery code,
 * shown once, independently wraps the seed a second time.
 */
#define CUSTODY_SALT_BYTES 16
#define CUSTODY_KEY_BYTES 32
#define CUSTODY_VERIFIER_BYTES 32
/* nonce (24) || ciphertext of the seed (32) || tag (16) */
#define CUSTODY_WRAPPED_BYTES 72
#define CUSTODY_NONCE_BYTES 24

/* Default Argon2id cost for clients: 3 passes over 64 MiB. */
#define CUSTODY_OPSLIMIT_DEFAULT 3ULL
#define CUSTODY_MEMLIMIT_DEFAULT (64ULL * 1024 * 1024)
/* Least cost a server accepts unless configured higher: 2 passes, 19 MiB. */
#define CUSTODY_OPSLIMIT_MIN 2ULL
#define CUSTODY_MEMLIMIT_MIN (19ULL * 1024 * 1024)
/* Most cost a server accepts (so a client cannot make others' logins hang). */
#define CUSTODY_OPSLIMIT_MAX 10ULL
#define CUSTODY_MEMLIMIT_MAX (1024ULL * 1024 * 1024)

/* Longest password accepted (bytes). */
#define CUSTODY_PASSWORD_MAX 1024

/*
 * Recovery codes: 20 random bytes in RFC 4648 base32 without padding,
 * 32 characters, shown in 8 groups of 4 separated by '-' (39 characters).
 * Parsing ignores case, spaces and '-'.
 */
#define CUSTODY_RECOVERY_RAW_BYTES 20
#define CUSTODY_RECOVERY_CODE_LEN 39

struct custody_kdf {
	uint8_t salt[CUSTODY_SALT_BYTES];
	uint64_t opslimit;
	uint64_t memlimit;
};

/**
 * custody_kdf_new(kdf, opslimit, memlimit):
 * Fill ${kdf} with a fresh random salt and the given cost.
 */
void custody_kdf_new(struct custody_kdf *kdf, uint64_t opslimit,
    uint64_t memlimit);

/**
 * custody_kdf_check(kdf, min_ops, min_mem):
 * Return 0 if ${kdf}'s cost is at least ${min_ops}/${min_mem} and at most
 * CUSTODY_OPSLIMIT_MAX/CUSTODY_MEMLIMIT_MAX, else -1.
 */
int custody_kdf_check(const struct custody_kdf *kdf, uint64_t min_ops,
    uint64_t min_mem) __attribute__((warn_unused_result));

/**
 * custody_password_keys(auth_key, wrap_key, password, pwlen, kdf):
 * Run Argon2id over ${password} (${pwlen} bytes, 1..CUSTODY_PASSWORD_MAX)
 * with ${kdf} and derive the authentication and wrapping keys.  Return 0, or
 * -1 (keys wiped) on bad length or out of memory.
 */
int custody_password_keys(uint8_t auth_key[CUSTODY_KEY_BYTES],
    uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *password, size_t pwlen,
    const struct custody_kdf *kdf) __attribute__((warn_unused_result));

/**
 * custody_verifier(verifier, auth_key):
 * Compute the value the server stores for ${auth_key}.
 */
void custody_verifier(uint8_t verifier[CUSTODY_VERIFIER_BYTES],
    const uint8_t auth_key[CUSTODY_KEY_BYTES]);

/**
 * custody_verifier_check(verifier, auth_key):
 * Return 0 if ${auth_key} matches ${verifier} (constant time), else -1.
 */
int custody_verifier_check(const uint8_t verifier[CUSTODY_VERIFIER_BYTES],
    const uint8_t auth_key[CUSTODY_KEY_BYTES])
    __attribute__((warn_unused_result));

/**
 * custody_wrap_seed(out, seed, wrap_key, member_id, purpose):
 * Encrypt ${seed} under ${wrap_key} with XChaCha20-Poly1305 and a random
 * nonce; the associated data binds ${member_id} and ${purpose}
 * ("password" or "recovery").  Return 0 or -1.
 */
int custody_wrap_seed(uint8_t out[CUSTODY_WRAPPED_BYTES],
    const uint8_t seed[KEYS_SEED_BYTES],
    const uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *member_id,
    const char *purpose) __attribute__((warn_unused_result));

/**
 * custody_wrap_seed_with_nonce(out, seed, wrap_key, member_id, purpose,
 *     nonce):
 * As custody_wrap_seed(), with the given ${nonce} instead of a random one.
 * For known-answer vectors and tests only: production code uses
 * custody_wrap_seed().
 */
int custody_wrap_seed_with_nonce(uint8_t out[CUSTODY_WRAPPED_BYTES],
    const uint8_t seed[KEYS_SEED_BYTES],
    const uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *member_id,
    const char *purpose, const uint8_t nonce[CUSTODY_NONCE_BYTES])
    __attribute__((warn_unused_result));

/**
 * custody_unwrap_seed(seed, wrapped, wrap_key, member_id, purpose):
 * Reverse custody_wrap_seed().  Return 0, or -1 (seed wiped) if the key,
 * member id or purpose is wrong or the data was altered.
 */
int custody_unwrap_seed(uint8_t seed[KEYS_SEED_BYTES],
    const uint8_t wrapped[CUSTODY_WRAPPED_BYTES],
    const uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *member_id,
    const char *purpose) __attribute__((warn_unused_result));

/**
 * custody_recovery_new(code):
 * Make a new random recovery code, NUL-terminated in ${code}.
 */
void custody_recovery_new(char code[CUSTODY_RECOVERY_CODE_LEN + 1]);

/**
 * custody_recovery_format(code, raw):
 * Write the recovery code that carries the CUSTODY_RECOVERY_RAW_BYTES of
 * ${raw}, NUL-terminated in ${code}.  custody_recovery_new() uses it with
 * random bytes; known-answer vectors and tests use it with fixed ones.
 */
void custody_recovery_format(char code[CUSTODY_RECOVERY_CODE_LEN + 1],
    const uint8_t raw[CUSTODY_RECOVERY_RAW_BYTES]);

/**
 * custody_recovery_keys(auth_key, wrap_key, code):
 * Parse ${code} and derive its authentication and wrapping keys (the code
 * carries 160 random bits, so a fast keyed BLAKE2b derivation suffices).
 * Return 0, or -1 if the code does not parse.
 */
int custody_recovery_keys(uint8_t auth_key[CUSTODY_KEY_BYTES],
    uint8_t wrap_key[CUSTODY_KEY_BYTES], const char *code)
    __attribute__((warn_unused_result));

#endif /* !CUSTODY_H_ */
