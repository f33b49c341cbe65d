#include <assert.h>
#include <string.h>

#include <sodium.h>

#include "merkle.h"

/* Domain prefixes of RFC 9162 §2.1.1: leaves and interior nodes differ. */
#define LEAF_PREFIX 0x00
#define NODE_PREFIX 0x01

/* SHA-256(0x01 || left || right); out may alias left or right. */
static void
hash_children(uint8_t out[MERKLE_HASH_BYTES],
    const uint8_t left[MERKLE_HASH_BYTES],
    const uint8_t right[MERKLE_HASH_BYTES])
{
	uint8_t buf[1 + 2 * MERKLE_HASH_BYTES];

	/* One buffer: a single SHA-256 call, and aliasing is safe. */
	buf[0] = NODE_PREFIX;
	memcpy(buf + 1, left, MERKLE_HASH_BYTES);
	memcpy(buf + 1 + MERKLE_HASH_BYTES, right, MERKLE_HASH_BYTES);
	(void)crypto_hash_sha256(out, buf, sizeof(buf));
}

/* Largest power of two strictly smaller than m (m >= 2): the RFC's k. */
static uint64_t
split_point(uint64_t m)
{

	assert(m >= 2);
	return ((uint64_t)1 << (63 - __builtin_clzll(m - 1)));
}

static int
source_ok(const struct merkle_source *src)
{

	return (src != NULL && src->node != NULL);
}

/*
 * Write MTH(D[lo:hi]) into out, for lo < hi and lo a multiple of the
 * smallest power of two >= hi - lo.  Every range the RFC's recursions visit
 * has that shape, and so does the decomposition of such a range into
 * perfect subtrees: blocks of the sizes of the set bits of hi - lo, largest
 * first.  MTH splits off the largest block and recurses on the rest, so it
 * is the right fold H(B1, H(B2, ... Bm)); we fold from the right, reading
 * one node per block.
 */
static int
range_hash(const struct merkle_source *src, uint64_t lo, uint64_t hi,
    uint8_t out[MERKLE_HASH_BYTES])
{
	uint8_t block[MERKLE_HASH_BYTES];
	unsigned int level;
	int first = 1;

	assert(lo < hi);
	while (hi > lo) {
		/* The rightmost block is the lowest set bit of hi - lo. */
		level = (unsigned int)__builtin_ctzll(hi - lo);
		hi -= (uint64_t)1 << level;
		assert((hi & (((uint64_t)1 << level) - 1)) == 0);
		if (first) {
			if (src->node(src->ctx, level, hi >> level, out) != 0)
				return (-1);
			first = 0;
			continue;
		}
		if (src->node(src->ctx, level, hi >> level, block) != 0)
			return (-1);
		hash_children(out, block, out);
	}
	return (0);
}

/*
 * Copy the n hashes of tmp, collected from the root down, into proof in the
 * RFC's order (from the leaf up), or fail if they do not fit.
 */
static int
emit_reversed(const uint8_t tmp[][MERKLE_HASH_BYTES], size_t n, uint8_t *proof,
    size_t max_hashes, size_t *nhashes)
{
	size_t i;

	if (n > max_hashes)
		return (-1);
	for (i = 0; i < n; i++)
		memcpy(proof + i * MERKLE_HASH_BYTES, tmp[n - 1 - i],
		    MERKLE_HASH_BYTES);
	*nhashes = n;
	return (0);
}

/*
 * The number of hashes in an inclusion proof for index in a tree of size
 * leaves (index < size): the iterations the loop of RFC 9162 §2.1.3.2 makes
 * before sn reaches 0.
 */
static size_t
inclusion_length(uint64_t index, uint64_t size)
{
	uint64_t fn = index, sn = size - 1;
	size_t n = 0;

	while (sn != 0) {
		if ((fn & 1) == 0 && fn == sn) {
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		}
		fn >>= 1;
		sn >>= 1;
		n++;
	}
	return (n);
}

/*
 * The number of hashes in a consistency proof between sizes size1 and size2
 * (0 < size1 < size2), following RFC 9162 §2.1.4.2: one starting hash, one
 * per iteration of its loop until sn reaches 0, less the starting hash when
 * the verifier supplies it (size1 a power of two).
 */
static size_t
consistency_length(uint64_t size1, uint64_t size2)
{
	uint64_t fn = size1 - 1, sn = size2 - 1;
	size_t n = 1;

	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	while (sn != 0) {
		if ((fn & 1) == 0 && fn == sn) {
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		}
		fn >>= 1;
		sn >>= 1;
		n++;
	}
	if ((size1 & (size1 - 1)) == 0)
		n--;
	return (n);
}

/**
 * merkle_leaf_hash(out, leaf, len):
 * Write the RFC 9162 leaf hash SHA-256(0x00 || leaf) of the ${len} bytes at
 * ${leaf} (which may be NULL if ${len} is 0) into ${out}.  Return 0 on
 * success or -1 on a NULL argument.
 */
int
merkle_leaf_hash(
    uint8_t out[MERKLE_HASH_BYTES], const uint8_t *leaf, size_t len)
{
	crypto_hash_sha256_state st;
	const uint8_t prefix = LEAF_PREFIX;

	if (out == NULL || (leaf == NULL && len > 0))
		return (-1);
	/* With SHA-256 and in-memory buffers these calls cannot fail. */
	(void)crypto_hash_sha256_init(&st);
	(void)crypto_hash_sha256_update(&st, &prefix, 1);
	if (len > 0)
		(void)crypto_hash_sha256_update(&st, leaf, len);
	(void)crypto_hash_sha256_final(&st, out);
	return (0);
}

/**
 * merkle_node_hash(out, left, right):
 * Write the RFC 9162 interior node hash SHA-256(0x01 || left || right) into
 * ${out}, which may alias ${left} or ${right}.  Return 0 on success or -1 on
 * a NULL argument.
 */
int
merkle_node_hash(uint8_t out[MERKLE_HASH_BYTES],
    const uint8_t left[MERKLE_HASH_BYTES],
    const uint8_t right[MERKLE_HASH_BYTES])
{

	if (out == NULL || left == NULL || right == NULL)
		return (-1);
	hash_children(out, left, right);
	return (0);
}

/**
 * merkle_empty_root(out):
 * Write the root of the empty tree, SHA-256 of the empty string, into
 * ${out}.  Return 0 on success or -1 if ${out} is NULL.
 */
int
merkle_empty_root(uint8_t out[MERKLE_HASH_BYTES])
{

	if (out == NULL)
		return (-1);
	(void)crypto_hash_sha256(out, (const uint8_t *)"", 0);
	return (0);
}

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
int
merkle_append_nodes(const struct merkle_source *src, uint64_t size,
    const uint8_t leaf_hash[MERKLE_HASH_BYTES],
    struct merkle_node out[MERKLE_APPEND_MAX], size_t *count)
{
	uint8_t left[MERKLE_HASH_BYTES];
	uint64_t index = size;
	unsigned int level = 0;
	size_t n = 0;

	if (!source_ok(src) || leaf_hash == NULL || out == NULL ||
	    count == NULL || size >= MERKLE_MAX_SIZE)
		return (-1);

	out[n].level = 0;
	out[n].index = index;
	memcpy(out[n].hash, leaf_hash, MERKLE_HASH_BYTES);
	n++;

	/*
	 * Node (level, index) is complete once its right child is; while the
	 * new node is a right child (odd index), its parent completes too.
	 * index < 2^63 has at most 63 trailing ones, so n stays within
	 * MERKLE_APPEND_MAX.
	 */
	while (index & 1) {
		if (src->node(src->ctx, level, index - 1, left) != 0)
			return (-1);
		assert(n < MERKLE_APPEND_MAX);
		hash_children(out[n].hash, left, out[n - 1].hash);
		index >>= 1;
		level++;
		out[n].level = level;
		out[n].index = index;
		n++;
	}
	*count = n;
	return (0);
}

/**
 * merkle_root(src, size, out):
 * Write MTH(D[0:size]), the root of the first ${size} leaves of the tree
 * whose nodes ${src} holds, into ${out} (the empty root if ${size} is 0).
 * Reads one node per set bit of ${size}.  Return 0 on success or -1 if
 * ${size} > MERKLE_MAX_SIZE, an argument is NULL or the source fails.
 */
int
merkle_root(const struct merkle_source *src, uint64_t size,
    uint8_t out[MERKLE_HASH_BYTES])
{

	if (!source_ok(src) || out == NULL || size > MERKLE_MAX_SIZE)
		return (-1);
	if (size == 0)
		return (merkle_empty_root(out));
	return (range_hash(src, 0, size, out));
}

/**
 * merkle_inclusion_proof(src, index, size, proof, max_hashes, nhashes):
 * Write the RFC 9162 §2.1.3.1 inclusion proof PATH(index, D[0:size]) of
 * leaf ${index} in the tree of the first ${size} leaves into ${proof}
 * (room for ${max_hashes} hashes) and its length in hashes to ${nhashes}
 * (0 when ${size} is 1).  Return 0 on success or -1 if ${index} >= ${size},
 * ${size} > MERKLE_MAX_SIZE, the proof does not fit, an argument is NULL or
 * the source fails.
 */
int
merkle_inclusion_proof(const struct merkle_source *src, uint64_t index,
    uint64_t size, uint8_t *proof, size_t max_hashes, size_t *nhashes)
{
	uint8_t tmp[MERKLE_MAX_PROOF][MERKLE_HASH_BYTES];
	uint64_t lo = 0, hi = size, k;
	size_t n = 0;

	if (!source_ok(src) || nhashes == NULL ||
	    (proof == NULL && max_hashes > 0) || index >= size ||
	    size > MERKLE_MAX_SIZE)
		return (-1);

	/*
	 * PATH(m, D[lo:hi]) with k the split point is PATH of the half that
	 * holds m, followed by MTH of the other half.  Walk down from the root,
	 * collecting the other halves; the proof lists them bottom up.  A
	 * right half [lo + k, hi) is perfect unless hi is the tree's size; it
	 * is then read as at most log2(size) blocks, and only once, since the
	 * walk then stays inside the perfect left half.
	 */
	while (hi - lo > 1) {
		if (n == MERKLE_MAX_PROOF)
			return (-1);
		k = split_point(hi - lo);
		if (index < lo + k) {
			if (range_hash(src, lo + k, hi, tmp[n]) != 0)
				return (-1);
			hi = lo + k;
		} else {
			if (range_hash(src, lo, lo + k, tmp[n]) != 0)
				return (-1);
			lo += k;
		}
		n++;
	}
	return (emit_reversed((const uint8_t(*)[MERKLE_HASH_BYTES])tmp, n,
	    proof, max_hashes, nhashes));
}

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
int
merkle_inclusion_verify(const uint8_t leaf_hash[MERKLE_HASH_BYTES],
    uint64_t index, uint64_t size, const uint8_t *proof, size_t nhashes,
    const uint8_t root[MERKLE_HASH_BYTES])
{
	uint8_t r[MERKLE_HASH_BYTES];
	const uint8_t *p;
	uint64_t fn, sn;
	size_t i;

	if (leaf_hash == NULL || root == NULL || (proof == NULL && nhashes > 0))
		return (-1);
	if (index >= size || size > MERKLE_MAX_SIZE)
		return (-1);
	/* Refuse a wrong length before hashing anything. */
	if (nhashes != inclusion_length(index, size))
		return (-1);

	fn = index;
	sn = size - 1;
	memcpy(r, leaf_hash, MERKLE_HASH_BYTES);
	for (i = 0; i < nhashes; i++) {
		p = proof + i * MERKLE_HASH_BYTES;
		if (sn == 0)
			return (-1);
		if ((fn & 1) || fn == sn) {
			/* p is a left sibling. */
			hash_children(r, p, r);
			/* A last node with no right sibling moves up as is. */
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			hash_children(r, r, p);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || sodium_memcmp(r, root, MERKLE_HASH_BYTES) != 0)
		return (-1);
	return (0);
}

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
int
merkle_consistency_proof(const struct merkle_source *src, uint64_t size1,
    uint64_t size2, uint8_t *proof, size_t max_hashes, size_t *nhashes)
{
	uint8_t tmp[MERKLE_MAX_PROOF][MERKLE_HASH_BYTES];
	uint64_t lo = 0, hi = size2, k;
	int whole = 1;
	size_t n = 0;

	if (!source_ok(src) || nhashes == NULL ||
	    (proof == NULL && max_hashes > 0) || size1 == 0 || size1 > size2 ||
	    size2 > MERKLE_MAX_SIZE)
		return (-1);

	/*
	 * SUBPROOF(m, D[lo:hi], b), walked down from the root with m = size1
	 * and b = whole.  While lo < size1 < hi: if size1 - lo <= k the old
	 * tree lies in the left half, and the right half's MTH is emitted;
	 * otherwise the left half is shared by both trees, its MTH is
	 * emitted, and the walk continues on the right half with b false.
	 * It ends when hi == size1: D[lo:hi] is then a complete subtree of
	 * the old tree, emitted unless it is the old tree itself (b true).
	 * As in an inclusion proof only the first right half can be
	 * imperfect.
	 */
	while (hi != size1) {
		if (n == MERKLE_MAX_PROOF)
			return (-1);
		k = split_point(hi - lo);
		if (size1 - lo <= k) {
			if (range_hash(src, lo + k, hi, tmp[n]) != 0)
				return (-1);
			hi = lo + k;
		} else {
			if (range_hash(src, lo, lo + k, tmp[n]) != 0)
				return (-1);
			lo += k;
			whole = 0;
		}
		n++;
	}
	if (!whole) {
		if (n == MERKLE_MAX_PROOF)
			return (-1);
		if (range_hash(src, lo, hi, tmp[n]) != 0)
			return (-1);
		n++;
	}
	return (emit_reversed((const uint8_t(*)[MERKLE_HASH_BYTES])tmp, n,
	    proof, max_hashes, nhashes));
}

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
int
merkle_consistency_verify(uint64_t size1, uint64_t size2,
    const uint8_t root1[MERKLE_HASH_BYTES],
    const uint8_t root2[MERKLE_HASH_BYTES], const uint8_t *proof,
    size_t nhashes)
{
	uint8_t fr[MERKLE_HASH_BYTES], sr[MERKLE_HASH_BYTES];
	const uint8_t *c;
	uint64_t fn, sn;
	size_t i, skip;

	if (root1 == NULL || root2 == NULL || (proof == NULL && nhashes > 0))
		return (-1);
	if (size1 == 0 || size1 > size2 || size2 > MERKLE_MAX_SIZE)
		return (-1);
	if (size1 == size2) {
		/* PROOF(m, D[m]) is empty: the trees must be the same one. */
		if (nhashes != 0 ||
		    sodium_memcmp(root1, root2, MERKLE_HASH_BYTES) != 0)
			return (-1);
		return (0);
	}
	/* Step 1: an empty path fails; so does any other wrong length. */
	if (nhashes == 0 || proof == NULL ||
	    nhashes != consistency_length(size1, size2))
		return (-1);

	/*
	 * Step 2: when size1 is a power of two the path starts with root1,
	 * which the prover leaves out.  Rather than copy the proof to
	 * prepend it, start from root1 and read the proof from its start;
	 * otherwise start from proof[0] and read the rest.
	 */
	if ((size1 & (size1 - 1)) == 0) {
		memcpy(fr, root1, MERKLE_HASH_BYTES);
		skip = 0;
	} else {
		memcpy(fr, proof, MERKLE_HASH_BYTES);
		skip = 1;
	}
	memcpy(sr, fr, MERKLE_HASH_BYTES);

	/* Steps 3 and 4. */
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}

	/* Step 6. */
	for (i = skip; i < nhashes; i++) {
		c = proof + i * MERKLE_HASH_BYTES;
		if (sn == 0)
			return (-1);
		if ((fn & 1) || fn == sn) {
			/* c is a left sibling in both trees. */
			hash_children(fr, c, fr);
			hash_children(sr, c, sr);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			/* c exists only in the new tree, to the right. */
			hash_children(sr, sr, c);
		}
		fn >>= 1;
		sn >>= 1;
	}

	/* Step 7. */
	if (sn != 0 || sodium_memcmp(fr, root1, MERKLE_HASH_BYTES) != 0 ||
	    sodium_memcmp(sr, root2, MERKLE_HASH_BYTES) != 0)
		return (-1);
	return (0);
}
