#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "binenc.h"
#include "keys.h"
#include "merkle.h"
#include "treehead.h"

/* Domain tag of the signed statement (docs/PROTOCOL.md, "Domain tags"). */
#define TAG_TREE_HEAD "dissent/tree-head/v1"

/* str(instance_id) || u64(size) || u64(timestamp) || root. */
#define STATEMENT_MAX (4 + TREEHEAD_INSTANCE_ID_MAX + 8 + 8 + MERKLE_HASH_BYTES)

/*
 * Is ${id} (a field of TREEHEAD_INSTANCE_ID_MAX + 1 bytes) 1 to
 * TREEHEAD_INSTANCE_ID_MAX bytes of printable ASCII other than space,
 * NUL-terminated?  Printable so that it can be shown and compared as text.
 */
static int
instance_id_valid(const char id[TREEHEAD_INSTANCE_ID_MAX + 1])
{
	size_t i;

	for (i = 0; i <= TREEHEAD_INSTANCE_ID_MAX; i++) {
		if (id[i] == '\0')
			return (i > 0);
		if (id[i] < 0x21 || id[i] > 0x7e)
			return (0);
	}
	return (0);
}

/* Write the signed statement of ${th} into ${buf}; 0, or -1 if invalid. */
static int
statement(uint8_t buf[STATEMENT_MAX], size_t *len, const struct treehead *th)
{
	struct binenc e;

	if (!instance_id_valid(th->instance_id) || th->size > MERKLE_MAX_SIZE)
		return (-1);
	binenc_init(&e, buf, STATEMENT_MAX);
	binenc_str(&e, th->instance_id);
	binenc_u64(&e, th->size);
	binenc_u64(&e, th->timestamp);
	binenc_fixed(&e, th->root, MERKLE_HASH_BYTES);
	return (binenc_finish(&e, len));
}

/**
 * treehead_sign(th, sk):
 * Sign ${th}'s instance id, size, timestamp and root with the Ed25519
 * secret key ${sk} (libsodium's 64-byte form), writing ${th}->sig.
 * Return 0, or -1 (sig zeroed) if a field is invalid.
 */
int
treehead_sign(struct treehead *th, const uint8_t sk[TREEHEAD_SK_BYTES])
{
	uint8_t stmt[STATEMENT_MAX];
	struct keys_secret ks;
	size_t len;
	int rc;

	if (th == NULL)
		return (-1);
	if (sk == NULL || statement(stmt, &len, th) != 0) {
		sodium_memzero(th->sig, sizeof(th->sig));
		return (-1);
	}
	/* keys_sign() is the one place the tag-prefixed construction lives. */
	memset(&ks, 0, sizeof(ks));
	memcpy(ks.sign_sk, sk, TREEHEAD_SK_BYTES);
	rc = keys_sign(th->sig, &ks, TAG_TREE_HEAD, stmt, len);
	keys_wipe(&ks);
	if (rc != 0) {
		sodium_memzero(th->sig, sizeof(th->sig));
		return (-1);
	}
	return (0);
}

/**
 * treehead_verify(th, pk):
 * Return 0 if ${th}->sig is the server ${pk}'s signature over ${th}, and
 * the size is at most MERKLE_MAX_SIZE, else -1.
 */
int
treehead_verify(const struct treehead *th, const uint8_t pk[TREEHEAD_PK_BYTES])
{
	uint8_t stmt[STATEMENT_MAX];
	size_t len;

	if (th == NULL || pk == NULL || statement(stmt, &len, th) != 0)
		return (-1);
	return (keys_verify(th->sig, pk, TAG_TREE_HEAD, stmt, len));
}

/**
 * treehead_check_consistency(old, new, proof, nhashes):
 * Given two tree heads already verified with treehead_verify() for the same
 * instance, check that ${new} extends ${old}: same instance id; new size at
 * least old size; equal roots when the sizes are equal; otherwise the RFC
 * 9162 consistency proof ${proof} (${nhashes} hashes) from old to new
 * verifies; an old size of 0 needs no proof.  A newer head with a smaller
 * size, or an older timestamp with a larger size, is a fork or a rollback.
 * Return 0 if consistent, else -1.
 */
int
treehead_check_consistency(const struct treehead *old,
    const struct treehead *new, const uint8_t *proof, size_t nhashes)
{
	uint8_t empty[MERKLE_HASH_BYTES];

	if (old == NULL || new == NULL)
		return (-1);
	if (!instance_id_valid(old->instance_id) ||
	    !instance_id_valid(new->instance_id) ||
	    strcmp(old->instance_id, new->instance_id) != 0)
		return (-1);
	if (new->size < old->size || new->size > MERKLE_MAX_SIZE)
		return (-1);
	if (new->size == old->size) {
		/* The same tree, whenever it was signed; nothing to prove. */
		if (nhashes != 0)
			return (-1);
		return (
		    sodium_memcmp(old->root, new->root, MERKLE_HASH_BYTES) == 0
			? 0
			: -1);
	}
	/* The log grew, so its head cannot be older than the old one. */
	if (new->timestamp < old->timestamp)
		return (-1);
	if (old->size == 0) {
		/* Every tree extends the empty one, whose root is fixed. */
		if (nhashes != 0 || merkle_empty_root(empty) != 0)
			return (-1);
		return (sodium_memcmp(old->root, empty, MERKLE_HASH_BYTES) == 0
			    ? 0
			    : -1);
	}
	return (merkle_consistency_verify(
	    old->size, new->size, old->root, new->root, proof, nhashes));
}

/**
 * treehead_check_inclusion(th, leaf, len, index, proof, nhashes):
 * Return 0 if the leaf input ${leaf} (${len} bytes) is entry ${index} of the
 * tree ${th} (already verified) according to the RFC 9162 inclusion proof
 * ${proof}, else -1.
 */
int
treehead_check_inclusion(const struct treehead *th, const uint8_t *leaf,
    size_t len, uint64_t index, const uint8_t *proof, size_t nhashes)
{
	uint8_t lh[MERKLE_HASH_BYTES];

	if (th == NULL || (leaf == NULL && len > 0) ||
	    (proof == NULL && nhashes > 0))
		return (-1);
	if (merkle_leaf_hash(lh, leaf, len) != 0)
		return (-1);
	return (merkle_inclusion_verify(
	    lh, index, th->size, proof, nhashes, th->root));
}
