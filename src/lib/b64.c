#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"

#define VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

/*
 * Length of the unpadded encoding of ${n} bytes (without the NUL): four
 * characters per three bytes, then two for one leftover byte or three for
 * two (RFC 4648 §3.2 with the padding left off).
 */
static size_t
encoded_chars(size_t n)
{

	return ((n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1));
}

/**
 * b64_encode(out, cap, in, inlen):
 * Encode ${in} into ${out} (${cap} >= B64_ENCODED_LEN(inlen)),
 * NUL-terminated.  Return 0, or -1 if ${cap} is too small.
 */
int
b64_encode(char *out, size_t cap, const uint8_t *in, size_t inlen)
{

	/* Beyond this, 4 * (n / 3) + 4 would overflow. */
	if (inlen > (SIZE_MAX / 4) * 3 - 3)
		return (-1);
	/* sodium_bin2base64() aborts rather than fail on a short buffer. */
	if (cap < encoded_chars(inlen) + 1)
		return (-1);
	(void)sodium_bin2base64(out, cap, in, inlen, VARIANT);
	return (0);
}

/*
 * Return 0 if ${in} (${inlen} characters) is exactly the encoding of
 * ${bin} (${binlen} bytes).  It is compared three bytes (four characters)
 * at a time, so no buffer proportional to the input is needed.
 */
static int
is_canonical(const char *in, size_t inlen, const uint8_t *bin, size_t binlen)
{
	char chunk[B64_ENCODED_LEN(3)];
	size_t i, n, clen;

	if (inlen != encoded_chars(binlen))
		return (-1);
	for (i = 0; i < binlen; i += 3) {
		n = binlen - i < 3 ? binlen - i : 3;
		(void)sodium_bin2base64(
		    chunk, sizeof(chunk), bin + i, n, VARIANT);
		clen = encoded_chars(n);
		if (memcmp(chunk, in + (i / 3) * 4, clen) != 0)
			return (-1);
	}
	return (0);
}

/**
 * b64_decode(out, cap, outlen, in):
 * Decode the NUL-terminated ${in} into ${out} (at most ${cap} bytes) and
 * store the length in ${outlen}.  Return 0, or -1 if ${in} is not strict
 * base64url or does not fit.
 */
int
b64_decode(uint8_t *out, size_t cap, size_t *outlen, const char *in)
{
	size_t inlen = strlen(in);
	size_t binlen;

	/*
	 * No characters are ignored, and a NULL end pointer makes libsodium
	 * refuse anything left over (padding, whitespace, '+', '/').  It also
	 * refuses a lone final character and non-zero trailing bits; the
	 * re-encoding check below holds us to canonical form even so.
	 */
	if (sodium_base642bin(
		out, cap, in, inlen, NULL, &binlen, NULL, VARIANT) != 0)
		goto err0;
	if (is_canonical(in, inlen, out, binlen) != 0)
		goto err0;
	*outlen = binlen;
	return (0);

err0:
	/* The input may have been a secret: leave none of it behind. */
	if (cap > 0)
		sodium_memzero(out, cap);
	return (-1);
}

/**
 * b64_decode_exact(out, n, in):
 * Decode ${in}, which must encode exactly ${n} bytes, into ${out}.
 * Return 0 or -1.
 */
int
b64_decode_exact(uint8_t *out, size_t n, const char *in)
{
	size_t outlen;

	/* Checking the length first avoids a partial decode into ${out}. */
	if (n > (SIZE_MAX / 4) * 3 - 3 || strlen(in) != encoded_chars(n))
		goto err0;
	if (b64_decode(out, n, &outlen, in) != 0)
		goto err0;
	if (outlen != n)
		goto err0;
	return (0);

err0:
	if (n > 0)
		sodium_memzero(out, n);
	return (-1);
}
