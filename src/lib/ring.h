#ifndef RING_H_
#define RING_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Linkable ring signatures (LSAG: Liu, Wei and Wong 2004, in the one-key
 * form of Back's and CryptoNote's MLSAG) over ristretto255, for anonymous
 * co-signatures (docs/PROTOCOL.md, "Anonymous co-signatures").
 *
 * A ring is an ordered list of n distinct member ring public keys
 * (keys.h, ring_pk), 2 <= n <= RING_N_LIMIT, taken from the directory at a
 * log tree size.  A signature proves that the holder of the secret key of
 * one of them signed a binding (a version hash, or a withdrawal) on a
 * memo, without saying which, and carries the linking tag
 * I = x * H(memo id): the same key always gives the same tag on one memo,
 * and unrelated-looking tags on different memos.
 *
 * Wire format of a signature on a ring of n keys, RING_SIG_BYTES(n) bytes:
 *   c_0 (32) || s_0 (32) || ... || s_{n-1} (32) || I (32)
 * with c_0 and every s_i canonical scalars (below the group order) and I a
 * canonical ristretto255 encoding other than the identity.
 */
#define RING_PK_BYTES 32
#define RING_SK_BYTES 32
#define RING_TAG_BYTES 32
#define RING_DIGEST_BYTES 32
#define RING_SCALAR_BYTES 32
#define RING_SEED_BYTES 32
#define RING_HASH_BYTES 32

/* Smallest ring, and the largest any function accepts whatever the max. */
#define RING_MIN 2
#define RING_N_LIMIT 65536
/* The default configured maximum of a ring (larger sets use a subset). */
#define RING_MAX_DEFAULT 1024
/* Largest eligible set ring_choose_subset() draws from. */
#define RING_ELIGIBLE_LIMIT 16777216

/* Bytes of a signature on a ring of ${n} keys. */
#define RING_SIG_BYTES(n) (((size_t)(n) + 2) * RING_SCALAR_BYTES)
#define RING_SIG_BYTES_MAX RING_SIG_BYTES(RING_N_LIMIT)

/*
 * What a signature binds besides memo and ring: u8(kind) || 32 bytes.
 * Kind 1: the version hash of the version signed.  Kind 2: a withdrawal,
 * dhash("dissent/ring-withdrawal/v1", version_hash || withdrawn signature).
 */
#define RING_BINDING_BYTES 33
#define RING_BIND_VERSION 1
#define RING_BIND_WITHDRAWAL 2

/**
 * ring_binding_version(out, version_hash):
 * The binding of a signature on the version whose hash is ${version_hash}:
 * u8(1) || version_hash.
 */
void ring_binding_version(uint8_t out[RING_BINDING_BYTES],
    const uint8_t version_hash[RING_HASH_BYTES]);

/**
 * ring_binding_withdrawal(out, version_hash, sig, siglen):
 * The binding of a withdrawal of the signature ${sig} (${siglen} bytes)
 * made on the version ${version_hash}: u8(2) ||
 * dhash("dissent/ring-withdrawal/v1", version_hash || sig).  Naming the
 * withdrawn signature keeps a withdrawal from being replayed against a
 * later signature with the same tag.  Return 0, or -1 if ${siglen} is not
 * RING_SIG_BYTES(n) for any RING_MIN <= n <= RING_N_LIMIT.
 */
int ring_binding_withdrawal(uint8_t out[RING_BINDING_BYTES],
    const uint8_t version_hash[RING_HASH_BYTES], const uint8_t *sig,
    size_t siglen) __attribute__((warn_unused_result));

/**
 * ring_digest(digest, ring, n, tree_size):
 * The digest of the ring of ${n} public keys ${ring}, in that order, taken
 * from the directory at log tree size ${tree_size}:
 * dhash("dissent/ring-digest/v1", u64(tree_size) || u32(n) || ring[0] ||
 * ... || ring[n-1]).  Return 0, or -1 if ${n} is outside RING_MIN ..
 * RING_N_LIMIT.
 */
int ring_digest(uint8_t digest[RING_DIGEST_BYTES],
    const uint8_t (*ring)[RING_PK_BYTES], size_t n, uint64_t tree_size)
    __attribute__((warn_unused_result));

/**
 * ring_tag(tag, sk, memo_id):
 * The linking tag of the ring secret key ${sk} on memo ${memo_id}: the one
 * every signature by ${sk} on that memo carries.  Return 0, or -1 if
 * ${memo_id} is not a memo id or ${sk} is not a canonical non-zero scalar.
 */
int ring_tag(uint8_t tag[RING_TAG_BYTES], const uint8_t sk[RING_SK_BYTES],
    const char *memo_id) __attribute__((warn_unused_result));

/**
 * ring_sign(sig, siglen, ring, n, signer, sk, memo_id, binding, tree_size):
 * Sign ${binding} on memo ${memo_id} with the ring secret key ${sk}, whose
 * public key is ${ring}[${signer}], on the ring ${ring} of ${n} keys taken
 * at tree size ${tree_size}, into ${sig} of ${siglen} = RING_SIG_BYTES(n)
 * bytes.  Return 0, or -1 (${sig} zeroed) if the ring is not one that
 * ring_verify() accepts (size, keys, duplicates), ${signer} is out of range,
 * ${sk} does not match ${ring}[${signer}], or the memo id or binding is
 * malformed.  The work done and the memory touched depend on the signer's
 * position only through the order in which the ring is walked.
 */
int ring_sign(uint8_t *sig, size_t siglen, const uint8_t (*ring)[RING_PK_BYTES],
    size_t n, size_t signer, const uint8_t sk[RING_SK_BYTES],
    const char *memo_id, const uint8_t binding[RING_BINDING_BYTES],
    uint64_t tree_size) __attribute__((warn_unused_result));

/**
 * ring_sign_with_seed(sig, siglen, ring, n, signer, sk, memo_id, binding,
 *     tree_size, seed):
 * As ring_sign(), with every random scalar derived from ${seed} (and the
 * secret key and message) instead of from a fresh random seed.  For
 * known-answer vectors and tests only: production code uses ring_sign().
 */
int ring_sign_with_seed(uint8_t *sig, size_t siglen,
    const uint8_t (*ring)[RING_PK_BYTES], size_t n, size_t signer,
    const uint8_t sk[RING_SK_BYTES], const char *memo_id,
    const uint8_t binding[RING_BINDING_BYTES], uint64_t tree_size,
    const uint8_t seed[RING_SEED_BYTES]) __attribute__((warn_unused_result));

/**
 * ring_sig_parse(sig, siglen, max, n, tag):
 * Check the form of the serialised signature ${sig} (${siglen} bytes):
 * its length is RING_SIG_BYTES(n) for some RING_MIN <= n <= ${max} (and
 * RING_N_LIMIT), every scalar is canonical, and the tag is a canonical
 * ristretto255 encoding other than the identity.  Store n in ${n} and the
 * tag in ${tag}.  Return 0, or -1 (nothing stored).  This does not verify
 * the signature.
 */
int ring_sig_parse(const uint8_t *sig, size_t siglen, size_t max, size_t *n,
    uint8_t tag[RING_TAG_BYTES]) __attribute__((warn_unused_result));

/**
 * ring_verify(sig, siglen, ring, n, max, memo_id, binding, tree_size,
 *     digest):
 * Return 0 if ${sig} (${siglen} bytes) is a valid signature of ${binding}
 * on memo ${memo_id} by the ring ${ring} of ${n} keys taken at tree size
 * ${tree_size}, else -1.  Refused: ${n} below RING_MIN or above ${max} (or
 * RING_N_LIMIT); a length other than RING_SIG_BYTES(n); a non-canonical
 * scalar; a tag or ring key that is not a canonical ristretto255 encoding,
 * or is the identity; two equal ring keys; a malformed memo id or binding;
 * and, if ${digest} is not NULL, a ring whose ring_digest() at ${tree_size}
 * differs from ${digest}.
 */
int ring_verify(const uint8_t *sig, size_t siglen,
    const uint8_t (*ring)[RING_PK_BYTES], size_t n, size_t max,
    const char *memo_id, const uint8_t binding[RING_BINDING_BYTES],
    uint64_t tree_size, const uint8_t digest[RING_DIGEST_BYTES])
    __attribute__((warn_unused_result));

/**
 * ring_choose_subset(out, signer_pos, eligible, n, signer, max):
 * Choose the ring for a signer at index ${signer} of the ${n} eligible
 * public keys ${eligible}: all of them if ${n} <= ${max}, else the signer
 * and ${max} - 1 others drawn uniformly at random.  Write the chosen
 * indices into ${out} (min(${n}, ${max}) entries), sorted by the bytes of
 * their public keys, and the signer's place in ${out} into ${signer_pos}.
 * Every subset of that size containing the signer is equally likely, and
 * the order depends only on the keys, so the ring tells nobody more than
 * that the signer is one of its members.  Return 0, or -1 if ${n} is below
 * RING_MIN or above RING_ELIGIBLE_LIMIT, ${max} is below RING_MIN or above
 * RING_N_LIMIT, ${signer} >= ${n}, two eligible keys are equal, or memory
 * runs out.
 */
int ring_choose_subset(size_t *out, size_t *signer_pos,
    const uint8_t (*eligible)[RING_PK_BYTES], size_t n, size_t signer,
    size_t max) __attribute__((warn_unused_result));

/**
 * ring_choose_subset_with_seed(out, signer_pos, eligible, n, signer, max,
 *     seed):
 * As ring_choose_subset(), drawing from a ChaCha20 stream under ${seed}
 * instead of the system's random generator: the same seed and eligible
 * list give the same ring.
 */
int ring_choose_subset_with_seed(size_t *out, size_t *signer_pos,
    const uint8_t (*eligible)[RING_PK_BYTES], size_t n, size_t signer,
    size_t max, const uint8_t seed[RING_SEED_BYTES])
    __attribute__((warn_unused_result));

#endif /* !RING_H_ */
