#ifndef GRANT_H_
#define GRANT_H_

#include <stddef.h>
#include <stdint.h>

#include "keys.h"

/*
 * Sealed grants: a 32-byte key (a memo key, the channel key, ...) sealed to
 * one recipient's X25519 public key with crypto_box_seal.  The sealed
 * plaintext is binenc(tag "dissent/grant/v1", purpose, context, key) so a
 * grant opened under the wrong purpose or context is refused.
 */
#define GRANT_KEY_BYTES 32
#define GRANT_PURPOSE_MAX 64
#define GRANT_CONTEXT_MAX 128
/* Upper bound of a sealed grant's size. */
#define GRANT_SEALED_MAX 512

/**
 * grant_seal(out, outlen, key, purpose, context, recipient_box_pk):
 * Seal ${key} for the holder of ${recipient_box_pk}, bound to ${purpose}
 * (e.g. "memo-key") and ${context} (e.g. the memo id), writing at most
 * GRANT_SEALED_MAX bytes to ${out} and the length to ${outlen}.  Return 0,
 * or -1 if a string is too long or the public key is invalid.
 */
int grant_seal(uint8_t out[GRANT_SEALED_MAX], size_t *outlen,
    const uint8_t key[GRANT_KEY_BYTES], const char *purpose,
    const char *context, const uint8_t recipient_box_pk[KEYS_BOX_PK_BYTES])
    __attribute__((warn_unused_result));

/**
 * grant_open(key, sealed, sealedlen, purpose, context, ks):
 * Open a grant sealed to ${ks} and check it was made for ${purpose} and
 * ${context}.  Return 0, or -1 (key wiped) on any failure.
 */
int grant_open(uint8_t key[GRANT_KEY_BYTES], const uint8_t *sealed,
    size_t sealedlen, const char *purpose, const char *context,
    const struct keys_secret *ks) __attribute__((warn_unused_result));

/**
 * grant_open_box(key, sealed, sealedlen, purpose, context, box_pk, box_sk):
 * As grant_open(), for a grant sealed to the X25519 key pair ${box_pk},
 * ${box_sk} rather than to a member's keys (the channel key, a memo's
 * roster key).  Return 0, or -1 (key wiped) on any failure.
 */
int grant_open_box(uint8_t key[GRANT_KEY_BYTES], const uint8_t *sealed,
    size_t sealedlen, const char *purpose, const char *context,
    const uint8_t box_pk[KEYS_BOX_PK_BYTES],
    const uint8_t box_sk[KEYS_BOX_SK_BYTES])
    __attribute__((warn_unused_result));

#endif /* !GRANT_H_ */
