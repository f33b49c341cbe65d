#ifndef DHASH_H_
#define DHASH_H_

#include <stddef.h>
#include <stdint.h>

/* Length of a domain-separated hash. */
#define DHASH_BYTES 32

/* Longest domain tag accepted by dhash(). */
#define DHASH_TAG_MAX 64

/**
 * dhash(out, tag, msg, msglen):
 * Hash ${msg} (${msglen} bytes, a fixed binary encoding) under the domain
 * ${tag} (a NUL-terminated ASCII string of 1..DHASH_TAG_MAX bytes, e.g.
 * "dissent/version/v1") into ${out}.  The hash is BLAKE2b-256 over
 * u8(len(tag)) || tag || msg, so distinct tags never collide.  Return 0 on
 * success or -1 if ${tag} is empty or too long.
 */
int dhash(uint8_t out[DHASH_BYTES], const char *tag, const uint8_t *msg,
    size_t msglen) __attribute__((warn_unused_result));

#endif /* !DHASH_H_ */
