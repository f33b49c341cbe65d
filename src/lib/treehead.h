#ifndef TREEHEAD_H_
#define TREEHEAD_H_

#include <stddef.h>
#include <stdint.h>

#include "merkle.h"

/*
 * Signed tree heads of the channel log (docs/PROTOCOL.md, "Signed tree
 * heads").  The server signs, with its Ed25519 key (server.key), the
 * statement
 *
 *   binenc: str(instance_id) || u64(size) || u64(timestamp) || root[32]
 *
 * under the domain tag "dissent/tree-head/v1", using the keys_sign()
 * construction (Ed25519 over u8(len(tag)) || tag || statement).  Size and
 * root come from one signed statement, so a proof checked against a tree
 * head binds both.
 */
#define TREEHEAD_SIG_BYTES 64
#define TREEHEAD_PK_BYTES 32
#define TREEHEAD_SK_BYTES 64
#define TREEHEAD_INSTANCE_ID_MAX 64

struct treehead {
	char instance_id[TREEHEAD_INSTANCE_ID_MAX + 1];
	uint64_t size;
	uint64_t timestamp;
	uint8_t root[MERKLE_HASH_BYTES];
	uint8_t sig[TREEHEAD_SIG_BYTES];
};

/**
 * treehead_sign(th, sk):
 * Sign ${th}'s instance id, size, timestamp and root with the Ed25519
 * secret key ${sk} (libsodium's 64-byte form), writing ${th}->sig.
 * Return 0, or -1 (sig zeroed) if a field is invalid.
 */
int treehead_sign(struct treehead *th, const uint8_t sk[TREEHEAD_SK_BYTES])
    __attribute__((warn_unused_result));

/**
 * treehead_verify(th, pk):
 * Return 0 if ${th}->sig is the server ${pk}'s signature over ${th}, and
 * the size is at most MERKLE_MAX_SIZE, else -1.
 */
int treehead_verify(const struct treehead *th,
    const uint8_t pk[TREEHEAD_PK_BYTES]) __attribute__((warn_unused_result));

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
int treehead_check_consistency(const struct treehead *old,
    const struct treehead *new, const uint8_t *proof, size_t nhashes)
    __attribute__((warn_unused_result));

/**
 * treehead_check_inclusion(th, leaf, len, index, proof, nhashes):
 * Return 0 if the leaf input ${leaf} (${len} bytes) is entry ${index} of the
 * tree ${th} (already verified) according to the RFC 9162 inclusion proof
 * ${proof}, else -1.
 */
int treehead_check_inclusion(const struct treehead *th, const uint8_t *leaf,
    size_t len, uint64_t index, const uint8_t *proof, size_t nhashes)
    __attribute__((warn_unused_result));

#endif /* !TREEHEAD_H_ */
