#ifndef MERKLE_H_
#define MERKLE_H_

#include <stddef.h>
#include <stdint.h>

/*
 * The Merkle tree of RFC 9162 (Certificate Transparency v2) §2.1 with
 * SHA-256, computed from stored "perfect subtree" nodes only.
 *
 * Node (level k, index i) is MTH(D[i*2^k : (i+1)*2^k]), the hash of a
 * complete, aligned block of 2^k leaves; it exists once the tree holds
 * (i+1)*2^k leaves and never changes after that.  Level 0 holds the leaf
 * hashes.  Every other hash the RFC defines (the root at any size, the
 * hashes inside inclusion and consistency proofs) is a fold of O(log n) such
 * nodes, so this module never recomputes a tree: an append writes at most
 * 1 + log2(n) nodes and a proof reads O(log n) of them.  Where the nodes live
 * is the caller's business; they are read through a struct merkle_source.
 *
 * Tree sizes are at most MERKLE_MAX_SIZE (2^63) leaves.  That bound keeps
 * every proof within MERKLE_MAX_PROOF hashes and all index arithmetic free
 * of overflow; it is far beyond any real log.
 *
 * Proofs are flat arrays of nhashes * MERKLE_HASH_BYTES bytes, in the order
 * RFC 9162 defines (nearest the leaf, or the old tree, first).
 */

/* Length of every hash in the tree (SHA-256). */
#define MERKLE_HASH_BYTES 32

/* Largest tree size accepted, in leaves. */
#define MERKLE_MAX_SIZE ((uint64_t)1 << 63)

/* Longest inclusion or consistency proof, in hashes. */
#define MERKLE_MAX_PROOF 64

/* Number of node levels a tree of MERKLE_MAX_SIZE leaves has (0..63). */
#define MERKLE_MAX_LEVELS 64

/* Most nodes a single append completes (the leaf and every carry). */
#define MERKLE_APPEND_MAX MERKLE_MAX_LEVELS

/*
 * A perfect-subtree node: the hash of the leaves
 * [index * 2^level, (index + 1) * 2^level).
 */
struct merkle_node {
	unsigned int level;
	uint64_t index;
	uint8_t hash[MERKLE_HASH_BYTES];
};

/*
 * Read access to stored nodes.  node() writes the hash of node (level,
 * index) into out and returns 0, or returns -1 if it cannot (not stored,
 * storage error).  Every function below that takes a source only asks for
 * nodes that are complete at the tree size it was given, so a source that
 * holds the nodes of a larger tree serves every smaller size too.
 */
struct merkle_source {
	int (*node)(void *ctx, unsigned int level, uint64_t index,
	    uint8_t out[MERKLE_HASH_BYTES]);
	void *ctx;
};

/**
 * merkle_leaf_hash(out, leaf, len):
 * Write the RFC 9162 leaf hash SHA-256(0x00 || leaf) of the ${len} bytes at
 * ${leaf} (which may be NULL if ${len} is 0) into ${out}.  Return 0 on
 * success or -1 on a NULL argument.
 */
int merkle_leaf_hash(uint8_t out[MERKLE_HASH_BYTES], const uint8_t *leaf,
    size_t len) __attribute__((warn_unused_result));

/**
 * merkle_node_hash(out, left, right):
 * Write the RFC 9162 interior node hash SHA-256(0x01 || left || right) into
 * ${out}, which may alias ${left} or ${right}.  Return 0 on success or -1 on
 * a NULL argument.
 */
int merkle_node_hash(uint8_t out[MERKLE_HASH_BYTES],
    const uint8_t left[MERKLE_HASH_BYTES],
    const uint8_t right[MERKLE_HASH_BYTES]) __attribute__((warn_unused_result));

/**
 * merkle_empty_root(out):
 * Write the root of the empty tree, SHA-256 of the empty string, into
 * ${out}.  Return 0 on success or -1 if ${out} is NULL.
 */
int merkle_empty_root(uint8_t out[MERKLE_HASH_BYTES])
    __attribute__((warn_unused_result));

/**
 * merkle_append_nodes(src, size, leaf_hash, out, count):
 * Compute the nodes that become complete when the leaf whose leaf hash is
 * ${leaf_hash} is appended to a tree of ${size} leaves (so at index
 * ${size}): the leaf itself at level 0, then one node per carry, lowest
 * level first.  Write them to ${out} and their number (1..MERKLE_APPEND_MAX)
 * to ${count}; the caller stores them.  The left siblings of the carries are
 * read from ${src}, which must hold the nodes of the first ${size} leaves.
 * Return 0 on success or -1 if the tree is full (${size} >= MERKLE_MAX_SIZE),
 * an argument is NULL or the source fails.
 */
int merkle_append_nodes(const struct merkle_source *src, uint64_t size,
    const uint8_t leaf_hash[MERKLE_HASH_BYTES],
    struct merkle_node out[MERKLE_APPEND_MAX], size_t *count)
    __attribute__((warn_unused_result));

/**
 * merkle_root(src, size, out):
 * Write MTH(D[0:size]), the root of the first ${size} leaves of the tree
 * whose nodes ${src} holds, into ${out} (the empty root if ${size} is 0).
 * Reads one node per set bit of ${size}.  Return 0 on success or -1 if
 * ${size} > MERKLE_MAX_SIZE, an argument is NULL or the source fails.
 */
int merkle_root(const struct merkle_source *src, uint64_t size,
    uint8_t out[MERKLE_HASH_BYTES]) __attribute__((warn_unused_result));

/**
 * merkle_inclusion_proof(src, index, size, proof, max_hashes, nhashes):
 * Write the RFC 9162 §2.1.3.1 inclusion proof PATH(index, D[0:size]) of
 * leaf ${index} in the tree of the first ${size} leaves into ${proof}
 * (room for ${max_hashes} hashes) and its length in hashes to ${nhashes}
 * (0 when ${size} is 1).  Return 0 on success or -1 if ${index} >= ${size},
 * ${size} > MERKLE_MAX_SIZE, the proof does not fit, an argument is NULL or
 * the source fails.
 */
int merkle_inclusion_proof(const struct merkle_source *src, uint64_t index,
    uint64_t size, uint8_t *proof, size_t max_hashes, size_t *nhashes)
    __attribute__((warn_unused_result));

/**
 * merkle_inclusion_verify(leaf_hash, index, size, proof, nhashes, root):
 * Check by the algorithm of RFC 9162 §2.1.3.2 that the ${nhashes}-hash
 * inclusion proof ${proof} shows the leaf with leaf hash ${leaf_hash} at
 * ${index} in a tree of ${size} leaves whose root is ${root}.  Only the
 * ${nhashes} hashes given are read.  Return 0 if it does, or -1 if it does
 * not, if ${index} >= ${size}, ${size} > MERKLE_MAX_SIZE, ${nhashes} is not
 * the length such a proof has, or an argument is NULL.  The root does not
 * commit to the size: the caller must take (size, root) from one signed
 * tree head.
 */
int merkle_inclusion_verify(const uint8_t leaf_hash[MERKLE_HASH_BYTES],
    uint64_t index, uint64_t size, const uint8_t *proof, size_t nhashes,
    const uint8_t root[MERKLE_HASH_BYTES]) __attribute__((warn_unused_result));

/**
 * merkle_consistency_proof(src, size1, size2, proof, max_hashes, nhashes):
 * Write the RFC 9162 §2.1.4.1 consistency proof PROOF(size1, D[0:size2])
 * between the trees of the first ${size1} and ${size2} leaves into ${proof}
 * (room for ${max_hashes} hashes) and its length in hashes to ${nhashes}
 * (0 when ${size1} == ${size2}).  Return 0 on success or -1 if ${size1} is
 * 0 (the empty tree is a prefix of every tree: there is nothing to prove),
 * ${size1} > ${size2}, ${size2} > MERKLE_MAX_SIZE, the proof does not fit,
 * an argument is NULL or the source fails.
 */
int merkle_consistency_proof(const struct merkle_source *src, uint64_t size1,
    uint64_t size2, uint8_t *proof, size_t max_hashes, size_t *nhashes)
    __attribute__((warn_unused_result));

/**
 * merkle_consistency_verify(size1, size2, root1, root2, proof, nhashes):
 * Check by the algorithm of RFC 9162 §2.1.4.2 that the ${nhashes}-hash
 * consistency proof ${proof} shows the tree of ${size1} leaves with root
 * ${root1} to be a prefix of the tree of ${size2} leaves with root ${root2}.
 * When ${size1} == ${size2} the proof must be empty and the roots equal.
 * Only the ${nhashes} hashes given are read.  Return 0 if it does, or -1 if
 * it does not, if ${size1} is 0 or > ${size2}, ${size2} > MERKLE_MAX_SIZE,
 * ${nhashes} is not the length such a proof has, or an argument is NULL.
 * The roots do not commit to the sizes: the caller must take each (size,
 * root) pair from one signed tree head.
 */
int merkle_consistency_verify(uint64_t size1, uint64_t size2,
    const uint8_t root1[MERKLE_HASH_BYTES],
    const uint8_t root2[MERKLE_HASH_BYTES], const uint8_t *proof,
    size_t nhashes) __attribute__((warn_unused_result));

#endif /* !MERKLE_H_ */
