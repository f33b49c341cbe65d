/*
 * libFuzzer target: strict JSON body parsing (src/server/jsonin.c) against
 * the specs of real routes, which cover every field type and nesting.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "jsonin.h"
#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct jsonin_spec *const specs[] = {
	    &routes_enroll_complete_spec,
	    &routes_auth_login_spec,
	    &routes_members_create_spec,
	    &routes_members_patch_spec,
	    &routes_keys_rotate_spec,
	    &routes_empty_spec,
	};
	static int ready;
	struct jsonin_error e;
	const struct jsonin_spec *spec;
	void *out;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		jsonin_init();
		ready = 1;
	}
	/* The first byte picks the spec; the rest is the body. */
	if (size < 1 || size - 1 > 64 * 1024)
		return (0);
	spec = specs[data[0] % (sizeof(specs) / sizeof(specs[0]))];
	if ((out = malloc(spec->size)) == NULL)
		return (0);
	if (jsonin_parse(spec, (const char *)data + 1, size - 1, out, &e) !=
	    0) {
		/* A refusal always names its code and leaves out wiped. */
		if (jsonin_status_code(e.status) == NULL ||
		    memchr(e.message, '\0', sizeof(e.message)) == NULL)
			abort();
	}
	free(out);
	return (0);
}
