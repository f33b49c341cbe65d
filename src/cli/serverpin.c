#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "dhash.h"
#include "keys.h"
#include "serverpin.h"

#define TAG_SERVER_FINGERPRINT "dissent/server-fingerprint/v1"
/* Bytes of the hash shown (as 40 hex digits). */
#define FINGERPRINT_BYTES 20

/**
 * serverpin_fingerprint(out, sign_pk):
 * Write the fingerprint of the server key ${sign_pk}: the first 20 bytes
 * of dhash("dissent/server-fingerprint/v1", sign_pk) in lowercase hex,
 * grouped by 4 with spaces, NUL-terminated.
 */
void
serverpin_fingerprint(char out[SERVERPIN_FINGERPRINT_LEN],
    const uint8_t sign_pk[KEYS_SIGN_PK_BYTES])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t h[DHASH_BYTES];
	size_t i, n = 0;

	if (dhash(h, TAG_SERVER_FINGERPRINT, sign_pk, KEYS_SIGN_PK_BYTES) !=
	    0) {
		/* Cannot happen: the tag is a valid constant. */
		out[0] = '\0';
		return;
	}
	for (i = 0; i < FINGERPRINT_BYTES; i++) {
		if (i > 0 && i % 2 == 0)
			out[n++] = ' ';
		out[n++] = hex[h[i] >> 4];
		out[n++] = hex[h[i] & 0x0f];
	}
	out[n] = '\0';
}

/**
 * serverpin_get(config, url, field):
 * Return the string ${field} of ${url}'s pin in ${config}, or NULL.
 */
const char *
serverpin_get(const json_t *config, const char *url, const char *field)
{
	json_t *pin;

	pin = json_object_get(json_object_get(config, "servers"), url);
	return (json_string_value(json_object_get(pin, field)));
}

/**
 * serverpin_check(config, url, sign_pk_b64):
 * Compare the key ${sign_pk_b64} a server at ${url} presents with the one
 * pinned in ${config}.  Return SERVERPIN_MATCH, SERVERPIN_NEW if none is
 * pinned, or SERVERPIN_CHANGED.
 */
int
serverpin_check(const json_t *config, const char *url, const char *sign_pk_b64)
{
	const char *pinned;

	if ((pinned = serverpin_get(config, url, "server_sign_pk")) == NULL)
		return (SERVERPIN_NEW);
	if (strcmp(pinned, sign_pk_b64) != 0)
		return (SERVERPIN_CHANGED);
	return (SERVERPIN_MATCH);
}

/**
 * serverpin_set(config, url, sign_pk_b64, instance_id, name, ca_file):
 * Pin ${sign_pk_b64} for ${url} in ${config}, with the instance's id and
 * name and the CA file to use for it (NULL: none).  Return 0 or -1 (out of
 * memory).
 */
int
serverpin_set(json_t *config, const char *url, const char *sign_pk_b64,
    const char *instance_id, const char *name, const char *ca_file)
{
	json_t *servers, *pin;

	if ((servers = json_object_get(config, "servers")) == NULL ||
	    !json_is_object(servers)) {
		if ((servers = json_object()) == NULL ||
		    json_object_set_new(config, "servers", servers) != 0)
			return (-1);
	}
	pin = json_pack("{s:s,s:s,s:s}", "server_sign_pk", sign_pk_b64,
	    "instance_id", instance_id, "name", name);
	if (pin == NULL)
		return (-1);
	if (ca_file != NULL &&
	    json_object_set_new(pin, "ca_file", json_string(ca_file)) != 0) {
		json_decref(pin);
		return (-1);
	}
	return (json_object_set_new(servers, url, pin));
}
