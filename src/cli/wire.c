#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "b64.h"
#include "custody.h"
#include "keys.h"
#include "wire.h"

/* Largest binary value wire_b64() encodes. */
#define WIRE_B64_MAX 1024

/**
 * wire_b64(bytes, n):
 * Return a JSON string holding the base64url of the ${n} bytes of ${bytes}
 * (at most 1024), or NULL.
 */
json_t *
wire_b64(const uint8_t *bytes, size_t n)
{
	char text[B64_ENCODED_LEN(WIRE_B64_MAX)];
	json_t *s;

	if (n > WIRE_B64_MAX || b64_encode(text, sizeof(text), bytes, n) != 0)
		return (NULL);
	s = json_string(text);
	sodium_memzero(text, sizeof(text));
	return (s);
}

/* Set ${key} of ${obj} to the base64url of ${bytes}; return 0 or -1. */
static int
set_b64(json_t *obj, const char *key, const uint8_t *bytes, size_t n)
{
	json_t *s;

	if ((s = wire_b64(bytes, n)) == NULL)
		return (-1);
	return (json_object_set_new(obj, key, s));
}

/**
 * wire_keys(pub):
 * Return {"sign_pk","box_pk","ring_pk"} of ${pub}, or NULL.
 */
json_t *
wire_keys(const struct keys_public *pub)
{
	json_t *o;

	if ((o = json_object()) == NULL)
		return (NULL);
	if (set_b64(o, "sign_pk", pub->sign_pk, sizeof(pub->sign_pk)) != 0 ||
	    set_b64(o, "box_pk", pub->box_pk, sizeof(pub->box_pk)) != 0 ||
	    set_b64(o, "ring_pk", pub->ring_pk, sizeof(pub->ring_pk)) != 0) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/**
 * wire_pop(pop):
 * Return {"sig","ring_proof"} of ${pop}, or NULL.
 */
json_t *
wire_pop(const struct keys_pop *pop)
{
	json_t *o;

	if ((o = json_object()) == NULL)
		return (NULL);
	if (set_b64(o, "sig", pop->sig, sizeof(pop->sig)) != 0 ||
	    set_b64(o, "ring_proof", pop->ring_proof,
		sizeof(pop->ring_proof)) != 0) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/**
 * wire_custody(seed, member_id, password, pwlen, opslimit, memlimit,
 *     auth_key):
 * Wrap ${seed} under the password ${password} (${pwlen} bytes) for
 * ${member_id} with a fresh salt and the given Argon2id cost, and return
 * the custody object {"salt","opslimit","memlimit","auth_key",
 * "wrapped_seed"}, or NULL.  If ${auth_key} is not NULL it receives the
 * new authentication key.
 */
json_t *
wire_custody(const uint8_t seed[KEYS_SEED_BYTES], const char *member_id,
    const char *password, size_t pwlen, uint64_t opslimit, uint64_t memlimit,
    uint8_t auth_key[CUSTODY_KEY_BYTES])
{
	struct custody_kdf kdf;
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES];
	json_t *o = NULL;

	custody_kdf_new(&kdf, opslimit, memlimit);
	if (custody_password_keys(auth, wrap, password, pwlen, &kdf) != 0)
		goto done;
	if (custody_wrap_seed(wrapped, seed, wrap, member_id, "password") != 0)
		goto done;
	if ((o = json_pack("{s:I,s:I}", "opslimit", (json_int_t)opslimit,
		 "memlimit", (json_int_t)memlimit)) == NULL)
		goto done;
	if (set_b64(o, "salt", kdf.salt, sizeof(kdf.salt)) != 0 ||
	    set_b64(o, "auth_key", auth, sizeof(auth)) != 0 ||
	    set_b64(o, "wrapped_seed", wrapped, sizeof(wrapped)) != 0) {
		json_decref(o);
		o = NULL;
		goto done;
	}
	if (auth_key != NULL)
		memcpy(auth_key, auth, sizeof(auth));
done:
	sodium_memzero(auth, sizeof(auth));
	sodium_memzero(wrap, sizeof(wrap));
	sodium_memzero(wrapped, sizeof(wrapped));
	return (o);
}

/**
 * wire_recovery(seed, member_id, code):
 * Make a new recovery code (written to ${code}), wrap ${seed} under it for
 * ${member_id} and return the recovery object {"auth_key","wrapped_seed"},
 * or NULL.
 */
json_t *
wire_recovery(const uint8_t seed[KEYS_SEED_BYTES], const char *member_id,
    char code[CUSTODY_RECOVERY_CODE_LEN + 1])
{
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES];
	json_t *o = NULL;

	custody_recovery_new(code);
	if (custody_recovery_keys(auth, wrap, code) != 0)
		goto fail;
	if (custody_wrap_seed(wrapped, seed, wrap, member_id, "recovery") != 0)
		goto fail;
	if ((o = json_object()) == NULL)
		goto fail;
	if (set_b64(o, "auth_key", auth, sizeof(auth)) != 0 ||
	    set_b64(o, "wrapped_seed", wrapped, sizeof(wrapped)) != 0) {
		json_decref(o);
		o = NULL;
		goto fail;
	}
	goto done;

fail:
	sodium_memzero(code, CUSTODY_RECOVERY_CODE_LEN + 1);
done:
	sodium_memzero(auth, sizeof(auth));
	sodium_memzero(wrap, sizeof(wrap));
	sodium_memzero(wrapped, sizeof(wrapped));
	return (o);
}

/**
 * wire_get_b64(obj, key, out, n):
 * Decode the base64url string ${key} of ${obj}, which must hold exactly
 * ${n} bytes, into ${out}.  Return 0 or -1.
 */
int
wire_get_b64(const json_t *obj, const char *key, uint8_t *out, size_t n)
{
	const char *s;

	if ((s = json_string_value(json_object_get(obj, key))) == NULL)
		return (-1);
	return (b64_decode_exact(out, n, s));
}

/**
 * wire_member_keys(member, epoch, pub):
 * Read the published keys of the Member object ${member} ("keys":
 * {"epoch","sign_pk","box_pk","ring_pk",...}) into ${epoch} and ${pub}.
 * Return 0, or -1 if it has none or they are malformed.
 */
int
wire_member_keys(const json_t *member, uint32_t *epoch, struct keys_public *pub)
{
	json_t *keys, *e;
	json_int_t v;

	keys = json_object_get(member, "keys");
	e = json_object_get(keys, "epoch");
	if (!json_is_object(keys) || !json_is_integer(e))
		return (-1);
	v = json_integer_value(e);
	if (v < 1 || v > (json_int_t)UINT32_MAX)
		return (-1);
	if (wire_get_b64(keys, "sign_pk", pub->sign_pk, sizeof(pub->sign_pk)) !=
		0 ||
	    wire_get_b64(keys, "box_pk", pub->box_pk, sizeof(pub->box_pk)) !=
		0 ||
	    wire_get_b64(keys, "ring_pk", pub->ring_pk, sizeof(pub->ring_pk)) !=
		0)
		return (-1);
	*epoch = (uint32_t)v;
	return (0);
}

/**
 * wire_keys_equal(a, b):
 * Return 1 if the public keys ${a} and ${b} are the same, else 0.
 */
int
wire_keys_equal(const struct keys_public *a, const struct keys_public *b)
{

	return (
	    sodium_memcmp(a->sign_pk, b->sign_pk, sizeof(a->sign_pk)) == 0 &&
	    sodium_memcmp(a->box_pk, b->box_pk, sizeof(a->box_pk)) == 0 &&
	    sodium_memcmp(a->ring_pk, b->ring_pk, sizeof(a->ring_pk)) == 0);
}
