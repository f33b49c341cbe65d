#ifndef WIRE_H_
#define WIRE_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "custody.h"
#include "keys.h"

/*
 * The JSON shapes of docs/API.md that the client builds and reads: keys,
 * proofs of possession, custody and recovery objects, and a member's
 * published keys.  Binary values are base64url without padding.
 */

/**
 * wire_keys(pub):
 * Return {"sign_pk","box_pk","ring_pk"} of ${pub}, or NULL.
 */
json_t *wire_keys(const struct keys_public *pub);

/**
 * wire_pop(pop):
 * Return {"sig","ring_proof"} of ${pop}, or NULL.
 */
json_t *wire_pop(const struct keys_pop *pop);

/**
 * wire_b64(bytes, n):
 * Return a JSON string holding the base64url of the ${n} bytes of ${bytes}
 * (at most 1024), or NULL.
 */
json_t *wire_b64(const uint8_t *bytes, size_t n);

/**
 * wire_custody(seed, member_id, password, pwlen, opslimit, memlimit,
 *     auth_key):
 * Wrap ${seed} under the password ${password} (${pwlen} bytes) for
 * ${member_id} with a fresh salt and the given Argon2id cost, and return
 * the custody object {"salt","opslimit","memlimit","auth_key",
 * "wrapped_seed"}, or NULL.  If ${auth_key} is not NULL it receives the
 * new authentication key.
 */
json_t *wire_custody(const uint8_t seed[KEYS_SEED_BYTES], const char *member_id,
    const char *password, size_t pwlen, uint64_t opslimit, uint64_t memlimit,
    uint8_t auth_key[CUSTODY_KEY_BYTES]);

/**
 * wire_recovery(seed, member_id, code):
 * Make a new recovery code (written to ${code}), wrap ${seed} under it for
 * ${member_id} and return the recovery object {"auth_key","wrapped_seed"},
 * or NULL.
 */
json_t *wire_recovery(const uint8_t seed[KEYS_SEED_BYTES],
    const char *member_id, char code[CUSTODY_RECOVERY_CODE_LEN + 1]);

/**
 * wire_get_b64(obj, key, out, n):
 * Decode the base64url string ${key} of ${obj}, which must hold exactly
 * ${n} bytes, into ${out}.  Return 0 or -1.
 */
int wire_get_b64(const json_t *obj, const char *key, uint8_t *out, size_t n)
    __attribute__((warn_unused_result));

/**
 * wire_member_keys(member, epoch, pub):
 * Read the published keys of the Member object ${member} ("keys":
 * {"epoch","sign_pk","box_pk","ring_pk",...}) into ${epoch} and ${pub}.
 * Return 0, or -1 if it has none or they are malformed.
 */
int wire_member_keys(const json_t *member, uint32_t *epoch,
    struct keys_public *pub) __attribute__((warn_unused_result));

/**
 * wire_keys_equal(a, b):
 * Return 1 if the public keys ${a} and ${b} are the same, else 0.
 */
int wire_keys_equal(const struct keys_public *a, const struct keys_public *b);

#endif /* !WIRE_H_ */
