/*
 * Fuzz target: strict decoding of channel log events from untrusted bytes
 * (an auditor decodes every entry a server sends).  Whatever decodes must
 * re-encode to exactly the input: the encoding is canonical, so one event
 * has one leaf input and so one leaf hash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t again[EVENT_MAX_BYTES];
	struct event ev;
	size_t len;

	if (sodium_init() < 0)
		abort();
	if (event_decode(&ev, data, size) != 0)
		return (0);
	if (event_type_name(ev.type) == NULL)
		abort();
	if (event_encode(again, sizeof(again), &len, &ev) != 0)
		abort();
	if (len != size || memcmp(again, data, size) != 0)
		abort();
	return (0);
}
