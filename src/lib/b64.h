#ifndef B64_H_
#define B64_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Base64url without padding (RFC 4648 §5): how every binary value travels
 * in JSON.  Decoding is strict: no padding, no whitespace, no other
 * alphabet, and non-canonical trailing bits are refused.
 */

/* Length of the encoding of n bytes, plus one for the NUL. */
#define B64_ENCODED_LEN(n) ((((n) + 2) / 3) * 4 + 1)

/**
 * b64_encode(out, cap, in, inlen):
 * Encode ${in} into ${out} (${cap} >= B64_ENCODED_LEN(inlen)),
 * NUL-terminated.  Return 0, or -1 if ${cap} is too small.
 */
int b64_encode(char *out, size_t cap, const uint8_t *in, size_t inlen)
    __attribute__((warn_unused_result));

/**
 * b64_decode(out, cap, outlen, in):
 * Decode the NUL-terminated ${in} into ${out} (at most ${cap} bytes) and
 * store the length in ${outlen}.  Return 0, or -1 if ${in} is not strict
 * base64url or does not fit.
 */
int b64_decode(uint8_t *out, size_t cap, size_t *outlen, const char *in)
    __attribute__((warn_unused_result));

/**
 * b64_decode_exact(out, n, in):
 * Decode ${in}, which must encode exactly ${n} bytes, into ${out}.
 * Return 0 or -1.
 */
int b64_decode_exact(uint8_t *out, size_t n, const char *in)
    __attribute__((warn_unused_result));

#endif /* !B64_H_ */
