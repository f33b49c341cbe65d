#ifndef SERVERPIN_H_
#define SERVERPIN_H_

#include <stdint.h>

#include <jansson.h>

#include "keys.h"

/*
 * Trust on first use of a server's signing key.  The first time the CLI
 * talks to a server URL it records the server_sign_pk of GET /instance in
 * config.json; afterwards a different key is refused (exit 9) until the
 * user pins the new one with `dissent server set URL`.  config.json holds
 *   {"server": URL, "servers": {URL: {"server_sign_pk", "instance_id",
 *    "name", "ca_file"?, "insecure_http"?}}}
 * ("insecure_http": true once `server set URL --insecure-http` allowed
 * plain http to a host that is not this machine).
 */

/* A server key fingerprint: as keys_fingerprint(), "abcd ef01 ...". */
#define SERVERPIN_FINGERPRINT_LEN KEYS_FINGERPRINT_LEN

#define SERVERPIN_MATCH 0
#define SERVERPIN_NEW 1
#define SERVERPIN_CHANGED (-1)

/**
 * serverpin_fingerprint(out, sign_pk):
 * Write the fingerprint of the server key ${sign_pk}: the first 20 bytes
 * of dhash("dissent/server-fingerprint/v1", sign_pk) in lowercase hex,
 * grouped by 4 with spaces, NUL-terminated.
 */
void serverpin_fingerprint(char out[SERVERPIN_FINGERPRINT_LEN],
    const uint8_t sign_pk[KEYS_SIGN_PK_BYTES]);

/**
 * serverpin_check(config, url, sign_pk_b64):
 * Compare the key ${sign_pk_b64} a server at ${url} presents with the one
 * pinned in ${config}.  Return SERVERPIN_MATCH, SERVERPIN_NEW if none is
 * pinned, or SERVERPIN_CHANGED.
 */
int serverpin_check(
    const json_t *config, const char *url, const char *sign_pk_b64);

/**
 * serverpin_set(config, url, sign_pk_b64, instance_id, name, ca_file):
 * Pin ${sign_pk_b64} for ${url} in ${config}, with the instance's id and
 * name and the CA file to use for it (NULL: none).  Return 0 or -1 (out of
 * memory).
 */
int serverpin_set(json_t *config, const char *url, const char *sign_pk_b64,
    const char *instance_id, const char *name, const char *ca_file)
    __attribute__((warn_unused_result));

/**
 * serverpin_get(config, url, field):
 * Return the string ${field} of ${url}'s pin in ${config}, or NULL.
 */
const char *serverpin_get(
    const json_t *config, const char *url, const char *field);

#endif /* !SERVERPIN_H_ */
