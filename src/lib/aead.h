#ifndef AEAD_H_
#define AEAD_H_

#include <stddef.h>
#include <stdint.h>

/*
 * XChaCha20-Poly1305 (IETF) with a random 24-byte nonce stored in front of
 * the ciphertext: box = nonce (24) || ciphertext || tag (16).
 */
#define AEAD_KEY_BYTES 32
#define AEAD_NONCE_BYTES 24
#define AEAD_TAG_BYTES 16
#define AEAD_OVERHEAD (AEAD_NONCE_BYTES + AEAD_TAG_BYTES)

/**
 * aead_key_new(key):
 * Fill ${key} with a fresh random key.
 */
void aead_key_new(uint8_t key[AEAD_KEY_BYTES]);

/**
 * aead_seal(box, msg, msglen, ad, adlen, key):
 * Encrypt ${msg} with associated data ${ad} into ${box}, which must hold
 * ${msglen} + AEAD_OVERHEAD bytes.  Return 0, or -1 if the length would
 * overflow.
 */
int aead_seal(uint8_t *box, const uint8_t *msg, size_t msglen,
    const uint8_t *ad, size_t adlen, const uint8_t key[AEAD_KEY_BYTES])
    __attribute__((warn_unused_result));

/**
 * aead_seal_with_nonce(box, msg, msglen, ad, adlen, key, nonce):
 * As aead_seal(), with the given ${nonce} instead of a random one.  For
 * known-answer vectors and tests only: production code uses aead_seal(),
 * since a nonce reused under one key loses confidentiality and
 * authenticity.
 */
int aead_seal_with_nonce(uint8_t *box, const uint8_t *msg, size_t msglen,
    const uint8_t *ad, size_t adlen, const uint8_t key[AEAD_KEY_BYTES],
    const uint8_t nonce[AEAD_NONCE_BYTES]) __attribute__((warn_unused_result));

/**
 * aead_open(msg, box, boxlen, ad, adlen, key):
 * Decrypt and authenticate ${box} into ${msg} (${boxlen} - AEAD_OVERHEAD
 * bytes).  Return 0, or -1 if ${box} is too short or fails to authenticate
 * (in which case ${msg} is wiped).
 */
int aead_open(uint8_t *msg, const uint8_t *box, size_t boxlen,
    const uint8_t *ad, size_t adlen, const uint8_t key[AEAD_KEY_BYTES])
    __attribute__((warn_unused_result));

#endif /* !AEAD_H_ */
