/*
 * Fuzz target: parsing a recovery code typed by a person (or sent by an
 * attacker).  Parsing must never crash, and any code that parses must yield
 * the same keys when parsed again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "custody.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char code[256];
	uint8_t a1[CUSTODY_KEY_BYTES], w1[CUSTODY_KEY_BYTES];
	uint8_t a2[CUSTODY_KEY_BYTES], w2[CUSTODY_KEY_BYTES];

	if (sodium_init() < 0)
		abort();
	if (size >= sizeof(code))
		return (0);
	memcpy(code, data, size);
	code[size] = '\0';
	if (custody_recovery_keys(a1, w1, code) != 0)
		return (0);
	if (custody_recovery_keys(a2, w2, code) != 0)
		abort();
	if (memcmp(a1, a2, sizeof(a1)) != 0 || memcmp(w1, w2, sizeof(w1)) != 0)
		abort();
	return (0);
}
