#ifndef KEYS_H_
#define KEYS_H_

#include <stddef.h>
#include <stdint.h>

/*
 * A member's keys, all derived from one 32-byte seed (docs/PROTOCOL.md,
 * "Member keys"):
 *   sign: Ed25519, for named co-signatures and proofs of possession;
 *   box:  X25519, to receive sealed grants;
 *   ring: a ristretto255 scalar and its public point, for ring signatures.
 */
#define KEYS_SEED_BYTES 32
#define KEYS_SIGN_PK_BYTES 32
#define KEYS_SIGN_SK_BYTES 64
#define KEYS_BOX_PK_BYTES 32
#define KEYS_BOX_SK_BYTES 32
#define KEYS_RING_PK_BYTES 32
#define KEYS_RING_SK_BYTES 32
#define KEYS_SIG_BYTES 64

/* Schnorr proof of knowledge of the ring scalar: R (32) || s (32). */
#define KEYS_RING_PROOF_BYTES 64

/* Longest member id accepted in key transcripts. */
#define KEYS_MEMBER_ID_MAX 64

struct keys_public {
	uint8_t sign_pk[KEYS_SIGN_PK_BYTES];
	uint8_t box_pk[KEYS_BOX_PK_BYTES];
	uint8_t ring_pk[KEYS_RING_PK_BYTES];
};

/* Secret keys; wipe with keys_wipe() when done. */
struct keys_secret {
	uint8_t sign_sk[KEYS_SIGN_SK_BYTES];
	uint8_t box_sk[KEYS_BOX_SK_BYTES];
	uint8_t ring_sk[KEYS_RING_SK_BYTES];
	struct keys_public pub;
};

/* A proof that one party holds all three secret keys of a keys_public. */
struct keys_pop {
	uint8_t sig[KEYS_SIG_BYTES];
	uint8_t ring_proof[KEYS_RING_PROOF_BYTES];
};

/**
 * keys_seed_new(seed):
 * Fill ${seed} with KEYS_SEED_BYTES random bytes.
 */
void keys_seed_new(uint8_t seed[KEYS_SEED_BYTES]);

/**
 * keys_derive(ks, seed):
 * Derive every key of ${ks} from ${seed}.  Return 0, or -1 on failure (in
 * which case ${ks} is wiped).
 */
int keys_derive(struct keys_secret *ks, const uint8_t seed[KEYS_SEED_BYTES])
    __attribute__((warn_unused_result));

/**
 * keys_wipe(ks):
 * Overwrite the secret keys in ${ks} with zeros.  ${ks} may be NULL.
 */
void keys_wipe(struct keys_secret *ks);

/**
 * keys_sign(sig, ks, tag, msg, msglen):
 * Ed25519-sign u8(len(tag)) || tag || msg with ${ks}'s signing key.
 * Return 0, or -1 if ${tag} is empty or longer than 64 bytes.
 */
int keys_sign(uint8_t sig[KEYS_SIG_BYTES], const struct keys_secret *ks,
    const char *tag, const uint8_t *msg, size_t msglen)
    __attribute__((warn_unused_result));

/**
 * keys_verify(sig, sign_pk, tag, msg, msglen):
 * Verify a signature made by keys_sign().  Return 0 if valid, else -1.
 */
int keys_verify(const uint8_t sig[KEYS_SIG_BYTES],
    const uint8_t sign_pk[KEYS_SIGN_PK_BYTES], const char *tag,
    const uint8_t *msg, size_t msglen) __attribute__((warn_unused_result));

/**
 * keys_pop_make(pop, ks, member_id, epoch):
 * Prove possession of ${ks} for member ${member_id} at key epoch ${epoch}
 * (1 for the first keys, incremented by each rotation).  Return 0 or -1.
 */
int keys_pop_make(struct keys_pop *pop, const struct keys_secret *ks,
    const char *member_id, uint32_t epoch) __attribute__((warn_unused_result));

/**
 * keys_pop_verify(pop, pub, member_id, epoch):
 * Check ${pop} for ${pub}; also refuse public keys that are not canonical
 * encodings, are the identity or are of small order.  Return 0 if valid,
 * else -1.
 */
int keys_pop_verify(const struct keys_pop *pop, const struct keys_public *pub,
    const char *member_id, uint32_t epoch)
    __attribute__((warn_unused_result));

/**
 * keys_rotation_sign(sig, old, member_id, new_epoch, newpub):
 * With the old keys ${old}, sign the statement that ${member_id}'s keys at
 * ${new_epoch} are ${newpub}.  Return 0 or -1.
 */
int keys_rotation_sign(uint8_t sig[KEYS_SIG_BYTES],
    const struct keys_secret *old, const char *member_id, uint32_t new_epoch,
    const struct keys_public *newpub) __attribute__((warn_unused_result));

/**
 * keys_rotation_verify(sig, old_sign_pk, member_id, new_epoch, newpub):
 * Verify a signature made by keys_rotation_sign().  Return 0 or -1.
 */
int keys_rotation_verify(const uint8_t sig[KEYS_SIG_BYTES],
    const uint8_t old_sign_pk[KEYS_SIGN_PK_BYTES], const char *member_id,
    uint32_t new_epoch, const struct keys_public *newpub)
    __attribute__((warn_unused_result));

/**
 * keys_public_check(pub):
 * Return 0 if every key of ${pub} is a canonical encoding of a usable
 * public key: sign_pk a point of Ed25519's prime-order subgroup, box_pk an
 * X25519 key that is not of small order, ring_pk a ristretto255 point other
 * than the identity.  Else return -1.
 */
int keys_public_check(const struct keys_public *pub)
    __attribute__((warn_unused_result));

/**
 * keys_box_pk_check(box_pk):
 * Return 0 if ${box_pk} is a canonical X25519 public key (top bit clear,
 * below 2^255 - 19) that is not of small order, else -1.
 */
int keys_box_pk_check(const uint8_t box_pk[KEYS_BOX_PK_BYTES])
    __attribute__((warn_unused_result));

/**
 * keys_fingerprint(out, pub):
 * A short human-comparable fingerprint of ${pub}: the first 20 bytes of
 * dhash("dissent/key-fingerprint/v1", sign_pk || box_pk || ring_pk) in
 * lowercase hex, grouped by 4 with spaces ("abcd ef01 ..."), NUL-terminated
 * in ${out}.
 */
#define KEYS_FINGERPRINT_LEN 50
void keys_fingerprint(char out[KEYS_FINGERPRINT_LEN],
    const struct keys_public *pub);

#endif /* !KEYS_H_ */
