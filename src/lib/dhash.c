#include <string.h>

#include <sodium.h>

#include "dhash.h"

/**
 * dhash(out, tag, msg, msglen):
 * Hash ${msg} (${msglen} bytes, a fixed binary encoding) under the domain
 * ${tag} (a NUL-terminated ASCII string of 1..DHASH_TAG_MAX bytes, e.g.
 * "dissent/version/v1") into ${out}.  The hash is BLAKE2b-256 over
 * u8(len(tag)) || tag || msg, so distinct tags never collide.  Return 0 on
 * success or -1 if ${tag} is empty or too long.
 */
int
dhash(uint8_t out[DHASH_BYTES], const char *tag, const uint8_t *msg,
    size_t msglen)
{
	crypto_generichash_state st;
	size_t taglen;
	uint8_t lenbyte;

	if (tag == NULL)
		return (-1);
	taglen = strnlen(tag, DHASH_TAG_MAX + 1);
	if (taglen == 0 || taglen > DHASH_TAG_MAX)
		return (-1);
	lenbyte = (uint8_t)taglen;

	/*
	 * The length prefix makes the tag and the message uniquely
	 * separable: no (tag, msg) pair can share its input with another.
	 * With a fixed 32-byte output and no key these calls cannot fail.
	 */
	(void)crypto_generichash_init(&st, NULL, 0, DHASH_BYTES);
	(void)crypto_generichash_update(&st, &lenbyte, 1);
	(void)crypto_generichash_update(&st, (const uint8_t *)tag, taglen);
	if (msglen > 0)
		(void)crypto_generichash_update(&st, msg, msglen);
	(void)crypto_generichash_final(&st, out, DHASH_BYTES);
	sodium_memzero(&st, sizeof(st));
	return (0);
}
