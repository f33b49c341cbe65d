/*
 * Fuzz target: strict base64url decoding of untrusted strings.  Whatever
 * decodes must re-encode to exactly the input (the decoder accepts only
 * canonical encodings).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[1024];
	char again[1024];
	uint8_t out[1024];
	size_t outlen;

	if (sodium_init() < 0)
		abort();
	if (size >= sizeof(in))
		return (0);
	memcpy(in, data, size);
	in[size] = '\0';
	if (b64_decode(out, sizeof(out), &outlen, in) != 0)
		return (0);
	if (b64_encode(again, sizeof(again), out, outlen) != 0)
		abort();
	if (strcmp(again, in) != 0)
		abort();
	return (0);
}
