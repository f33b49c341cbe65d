#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "aead.h"

/**
 * aead_key_new(key):
 * Fill ${key} with a fresh random key.
 */
void
aead_key_new(uint8_t key[AEAD_KEY_BYTES])
{

	crypto_aead_xchacha20poly1305_ietf_keygen(key);
}

/**
 * aead_seal(box, msg, msglen, ad, adlen, key):
 * Encrypt ${msg} with associated data ${ad} into ${box}, which must hold
 * ${msglen} + AEAD_OVERHEAD bytes.  Return 0, or -1 if the length would
 * overflow.
 */
int
aead_seal(uint8_t *box, const uint8_t *msg, size_t msglen, const uint8_t *ad,
    size_t adlen, const uint8_t key[AEAD_KEY_BYTES])
{
	uint8_t nonce[AEAD_NONCE_BYTES];

	/* 192 random bits: collisions are negligible for any key's life. */
	randombytes_buf(nonce, sizeof(nonce));
	return (aead_seal_with_nonce(box, msg, msglen, ad, adlen, key, nonce));
}

/**
 * aead_seal_with_nonce(box, msg, msglen, ad, adlen, key, nonce):
 * As aead_seal(), with the given ${nonce} instead of a random one.  For
 * known-answer vectors and tests only: production code uses aead_seal(),
 * since a nonce reused under one key loses confidentiality and
 * authenticity.
 */
int
aead_seal_with_nonce(uint8_t *box, const uint8_t *msg, size_t msglen,
    const uint8_t *ad, size_t adlen, const uint8_t key[AEAD_KEY_BYTES],
    const uint8_t nonce[AEAD_NONCE_BYTES])
{

	if (msglen > SIZE_MAX - AEAD_OVERHEAD ||
	    msglen > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX)
		return (-1);
	memcpy(box, nonce, AEAD_NONCE_BYTES);
	/* The detached form writes ciphertext and tag where we want them. */
	if (crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
		box + AEAD_NONCE_BYTES, box + AEAD_NONCE_BYTES + msglen, NULL,
		msg, msglen, ad, adlen, NULL, nonce, key) != 0) {
		sodium_memzero(box, msglen + AEAD_OVERHEAD);
		return (-1);
	}
	return (0);
}

/**
 * aead_open(msg, box, boxlen, ad, adlen, key):
 * Decrypt and authenticate ${box} into ${msg} (${boxlen} - AEAD_OVERHEAD
 * bytes).  Return 0, or -1 if ${box} is too short or fails to authenticate
 * (in which case ${msg} is wiped).
 */
int
aead_open(uint8_t *msg, const uint8_t *box, size_t boxlen, const uint8_t *ad,
    size_t adlen, const uint8_t key[AEAD_KEY_BYTES])
{
	size_t msglen;

	if (boxlen < AEAD_OVERHEAD)
		return (-1);
	msglen = boxlen - AEAD_OVERHEAD;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(msg, NULL,
		box + AEAD_NONCE_BYTES, msglen, box + AEAD_NONCE_BYTES + msglen,
		ad, adlen, box, key) != 0) {
		if (msglen > 0)
			sodium_memzero(msg, msglen);
		return (-1);
	}
	return (0);
}
