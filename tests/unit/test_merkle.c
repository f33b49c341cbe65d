/*
 * The RFC 9162 Merkle tree (merkle.c, merkle_mem.c) against a reference
 * implementation written straight from the RFC's recursive definitions
 * (§2.1.1 MTH, §2.1.3.1 PATH, §2.1.4.1 PROOF/SUBPROOF), with its own
 * SHA-256 calls, and against the properties a verifier must have: every
 * honest proof verifies, and every altered byte, index, size or length is
 * refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "merkle.h"
#include "merkle_mem.h"

#define H MERKLE_HASH_BYTES

/*
 * Roots are compared at every size up to ROOT_SIZES; proofs at every
 * (index, size) and (size1, size2) up to PAIR_SIZES, and at the first,
 * middle and last few indexes or old sizes up to ROOT_SIZES.
 */
#define ROOT_SIZES 300
#define PAIR_SIZES 160
/* Each proof byte is altered for trees up to this size. */
#define MUTATE_SIZES 40
/*
 * Proofs for trees up to SHAPE_SIZES are tried at every (index, size) and
 * (size1, size2) up to SHAPE_OTHER_SIZES.
 */
#define SHAPE_SIZES 24
#define SHAPE_OTHER_SIZES 33
/* The large store, and the number of random proofs checked in it. */
#define BIG_SIZE 20000
#define RANDOM_PROOFS 24

/* ---------------------------------------------------------------------- */
/* Reference implementation: RFC 9162 §2.1, recursive, no shortcuts.      */

static void
ref_leaf_hash(uint8_t out[H], const uint8_t *data, size_t len)
{
	uint8_t buf[256];

	assert_true(len < sizeof(buf));
	buf[0] = 0x00;
	if (len > 0)
		memcpy(buf + 1, data, len);
	crypto_hash_sha256(out, buf, len + 1);
}

static void
ref_node_hash(uint8_t out[H], const uint8_t l[H], const uint8_t r[H])
{
	uint8_t buf[1 + 2 * H];

	buf[0] = 0x01;
	memcpy(buf + 1, l, H);
	memcpy(buf + 1 + H, r, H);
	crypto_hash_sha256(out, buf, sizeof(buf));
}

/* The largest power of two smaller than n (n > 1). */
static uint64_t
ref_k(uint64_t n)
{
	uint64_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return (k);
}

/* MTH(D[0:n]) over leaf hashes d (MTH({d0}) is the leaf hash). */
static void
ref_mth(const uint8_t (*d)[H], uint64_t n, uint8_t out[H])
{
	uint8_t l[H], r[H];
	uint64_t k;

	if (n == 0) {
		crypto_hash_sha256(out, (const uint8_t *)"", 0);
		return;
	}
	if (n == 1) {
		memcpy(out, d[0], H);
		return;
	}
	k = ref_k(n);
	ref_mth(d, k, l);
	ref_mth(d + k, n - k, r);
	ref_node_hash(out, l, r);
}

/* PATH(m, D[0:n]) into out; returns its length. */
static size_t
ref_path(uint64_t m, const uint8_t (*d)[H], uint64_t n, uint8_t (*out)[H])
{
	uint64_t k;
	size_t c;

	if (n == 1)
		return (0);
	k = ref_k(n);
	if (m < k) {
		c = ref_path(m, d, k, out);
		ref_mth(d + k, n - k, out[c]);
	} else {
		c = ref_path(m - k, d + k, n - k, out);
		ref_mth(d, k, out[c]);
	}
	return (c + 1);
}

/* SUBPROOF(m, D[0:n], b) into out; returns its length. */
static size_t
ref_subproof(
    uint64_t m, const uint8_t (*d)[H], uint64_t n, int b, uint8_t (*out)[H])
{
	uint64_t k;
	size_t c;

	if (m == n) {
		if (b)
			return (0);
		ref_mth(d, n, out[0]);
		return (1);
	}
	k = ref_k(n);
	if (m <= k) {
		c = ref_subproof(m, d, k, b, out);
		ref_mth(d + k, n - k, out[c]);
	} else {
		c = ref_subproof(m - k, d + k, n - k, 0, out);
		ref_mth(d, k, out[c]);
	}
	return (c + 1);
}

/*
 * The shape of PATH(m, D[n]): which way the recursion turns at each level
 * ('l' into the left part, 'r' into the right), from the root down.  Two
 * proofs with the same shape are checked by the same hash computation, so
 * a verifier accepts a proof for (m, n) at (m', n') exactly when the shapes
 * agree: sizes are bound by the signed tree head, not by the root.
 */
static void
ref_path_shape(uint64_t m, uint64_t n, char *buf, size_t bufsz)
{
	size_t i = 0;
	uint64_t k;

	while (n > 1) {
		assert_true(i + 1 < bufsz);
		k = ref_k(n);
		if (m < k) {
			buf[i++] = 'l';
			n = k;
		} else {
			buf[i++] = 'r';
			m -= k;
			n -= k;
		}
	}
	buf[i] = '\0';
}

/* The shape of PROOF(m, D[n]), with the terminal case last. */
static void
ref_proof_shape(uint64_t m, uint64_t n, char *buf, size_t bufsz)
{
	size_t i = 0;
	int b = 1;
	uint64_t k;

	while (m != n) {
		assert_true(i + 2 < bufsz);
		k = ref_k(n);
		if (m <= k) {
			buf[i++] = 'l';
			n = k;
		} else {
			buf[i++] = 'r';
			m -= k;
			n -= k;
			b = 0;
		}
	}
	buf[i++] = b ? 't' : 'e';
	buf[i] = '\0';
}

/* ---------------------------------------------------------------------- */
/* Fixture: leaf data, reference leaf hashes and a store of BIG_SIZE.      */

static uint8_t (*leaf_hashes)[H]; /* reference leaf hashes, BIG_SIZE */
static uint8_t ref_roots[ROOT_SIZES + 1][H]; /* reference MTH at each size */
static struct merkle_mem *big;
static struct merkle_source big_src;

static size_t
leaf_data(uint64_t i, uint8_t *buf, size_t bufsz)
{
	int n;

	/* Leaves of varying length, including the empty leaf. */
	if (i == 0)
		return (0);
	n = snprintf((char *)buf, bufsz, "dissent test leaf %llu%.*s",
	    (unsigned long long)i, (int)(i % 23), "abcdefghijklmnopqrstuvw");
	assert_true(n > 0 && (size_t)n < bufsz);
	return ((size_t)n);
}

static int
group_setup(void **state)
{
	uint8_t buf[128];
	size_t len;
	uint64_t i;

	(void)state;
	if ((leaf_hashes = calloc(BIG_SIZE, H)) == NULL)
		return (-1);
	if ((big = merkle_mem_new(BIG_SIZE)) == NULL)
		return (-1);
	for (i = 0; i < BIG_SIZE; i++) {
		len = leaf_data(i, buf, sizeof(buf));
		ref_leaf_hash(leaf_hashes[i], buf, len);
		if (merkle_mem_append(big, len ? buf : NULL, len) != 0)
			return (-1);
	}
	merkle_mem_source(big, &big_src);
	for (i = 0; i <= ROOT_SIZES; i++)
		ref_mth((const uint8_t(*)[H])leaf_hashes, i, ref_roots[i]);
	return (0);
}

/* The reference root at size n (cached up to ROOT_SIZES). */
static void
ref_root(uint64_t n, uint8_t out[H])
{

	if (n <= ROOT_SIZES)
		memcpy(out, ref_roots[n], H);
	else
		ref_mth((const uint8_t(*)[H])leaf_hashes, n, out);
}

static int
group_teardown(void **state)
{

	(void)state;
	merkle_mem_free(big);
	free(leaf_hashes);
	return (0);
}

/* A source over another that counts reads and refuses incomplete nodes. */
struct counting {
	const struct merkle_source *inner;
	uint64_t size; /* the tree size the caller asked about */
	size_t reads;
	int bad; /* asked for a node not complete at size */
};

static int
counting_node(void *ctx, unsigned int level, uint64_t index, uint8_t out[H])
{
	struct counting *c = ctx;

	c->reads++;
	if (level >= 64 || index >= (c->size >> level)) {
		c->bad = 1;
		return (-1);
	}
	return (c->inner->node(c->inner->ctx, level, index, out));
}

static struct merkle_source
counting_source(
    struct counting *c, const struct merkle_source *inner, uint64_t size)
{
	struct merkle_source s = {counting_node, c};

	c->inner = inner;
	c->size = size;
	c->reads = 0;
	c->bad = 0;
	return (s);
}

static unsigned int
ceil_log2(uint64_t n)
{
	unsigned int l = 0;

	while (l < 64 && ((uint64_t)1 << l) < n)
		l++;
	return (l);
}

/* A fixed-seed generator, so that a failure can be reproduced. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng_next(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return (x);
}

static uint64_t
rng_range(uint64_t lo, uint64_t hi) /* inclusive */
{

	return (lo + rng_next() % (hi - lo + 1));
}

static void
root_at(uint64_t size, uint8_t out[H])
{

	assert_int_equal(merkle_root(&big_src, size, out), 0);
}

/* ---------------------------------------------------------------------- */
/* Hashing.                                                               */

static void
test_leaf_hash_is_sha256_of_zero_prefix_and_data(void **state)
{
	const uint8_t data[] = "some leaf";
	uint8_t got[H], want[H];

	(void)state;
	assert_int_equal(merkle_leaf_hash(got, data, sizeof(data) - 1), 0);
	ref_leaf_hash(want, data, sizeof(data) - 1);
	assert_memory_equal(got, want, H);
}

static void
test_leaf_hash_accepts_empty_leaf_without_buffer(void **state)
{
	uint8_t got[H], want[H];

	(void)state;
	assert_int_equal(merkle_leaf_hash(got, NULL, 0), 0);
	ref_leaf_hash(want, NULL, 0);
	assert_memory_equal(got, want, H);
}

static void
test_node_hash_is_sha256_of_one_prefix_and_children(void **state)
{
	uint8_t l[H], r[H], got[H], want[H];

	(void)state;
	randombytes_buf(l, H);
	randombytes_buf(r, H);
	assert_int_equal(merkle_node_hash(got, l, r), 0);
	ref_node_hash(want, l, r);
	assert_memory_equal(got, want, H);
}

static void
test_node_hash_allows_output_to_alias_an_input(void **state)
{
	uint8_t l[H], r[H], want[H];

	(void)state;
	randombytes_buf(l, H);
	randombytes_buf(r, H);
	ref_node_hash(want, l, r);
	assert_int_equal(merkle_node_hash(l, l, r), 0);
	assert_memory_equal(l, want, H);
}

static void
test_leaf_and_node_hashes_are_domain_separated(void **state)
{
	uint8_t l[H], r[H], pair[2 * H], as_leaf[H], as_node[H];

	(void)state;
	randombytes_buf(l, H);
	randombytes_buf(r, H);
	memcpy(pair, l, H);
	memcpy(pair + H, r, H);
	assert_int_equal(merkle_leaf_hash(as_leaf, pair, sizeof(pair)), 0);
	assert_int_equal(merkle_node_hash(as_node, l, r), 0);
	assert_memory_not_equal(as_leaf, as_node, H);
}

static void
test_empty_root_is_sha256_of_empty_string(void **state)
{
	static const uint8_t want[H] = {0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc,
	    0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27,
	    0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b,
	    0x78, 0x52, 0xb8, 0x55};
	struct merkle_mem *m;
	struct merkle_source src;
	uint8_t got[H];

	(void)state;
	assert_int_equal(merkle_empty_root(got), 0);
	assert_memory_equal(got, want, H);
	assert_non_null(m = merkle_mem_new(1));
	merkle_mem_source(m, &src);
	assert_int_equal(merkle_root(&src, 0, got), 0);
	assert_memory_equal(got, want, H);
	merkle_mem_free(m);
}

static void
test_hash_functions_refuse_null_arguments(void **state)
{
	uint8_t h[H] = {0};

	(void)state;
	assert_int_equal(merkle_leaf_hash(NULL, h, 1), -1);
	assert_int_equal(merkle_leaf_hash(h, NULL, 1), -1);
	assert_int_equal(merkle_node_hash(NULL, h, h), -1);
	assert_int_equal(merkle_node_hash(h, NULL, h), -1);
	assert_int_equal(merkle_node_hash(h, h, NULL), -1);
	assert_int_equal(merkle_empty_root(NULL), -1);
}

/* ---------------------------------------------------------------------- */
/* Agreement with the reference.                                          */

static void
test_root_matches_reference_at_every_size(void **state)
{
	uint8_t got[H], want[H];
	struct counting c;
	struct merkle_source s;
	uint64_t n;

	(void)state;
	for (n = 0; n <= ROOT_SIZES; n++) {
		s = counting_source(&c, &big_src, n);
		assert_int_equal(merkle_root(&s, n, got), 0);
		ref_mth((const uint8_t(*)[H])leaf_hashes, n, want);
		if (memcmp(got, want, H) != 0)
			fail_msg(
			    "root differs at size %llu", (unsigned long long)n);
		/* One node per set bit, all complete at n. */
		assert_false(c.bad);
		assert_int_equal(c.reads, __builtin_popcountll(n));
	}
}

static void
test_root_of_store_with_exactly_n_leaves_matches_reference(void **state)
{
	struct merkle_mem *m;
	struct merkle_source src;
	uint8_t buf[128], got[H], want[H];
	uint64_t n, i;
	size_t len;

	(void)state;
	for (n = 1; n <= 70; n++) {
		assert_non_null(m = merkle_mem_new(n));
		for (i = 0; i < n; i++) {
			len = leaf_data(i, buf, sizeof(buf));
			assert_int_equal(merkle_mem_append(m, buf, len), 0);
		}
		assert_int_equal(merkle_mem_size(m), n);
		merkle_mem_source(m, &src);
		assert_int_equal(merkle_root(&src, n, got), 0);
		ref_mth((const uint8_t(*)[H])leaf_hashes, n, want);
		assert_memory_equal(got, want, H);
		merkle_mem_free(m);
	}
}

static void
test_root_matches_reference_at_random_large_sizes(void **state)
{
	uint8_t got[H], want[H];
	uint64_t n;
	int t;

	(void)state;
	for (t = 0; t < 16; t++) {
		n = rng_range(ROOT_SIZES, BIG_SIZE);
		root_at(n, got);
		ref_mth((const uint8_t(*)[H])leaf_hashes, n, want);
		if (memcmp(got, want, H) != 0)
			fail_msg(
			    "root differs at size %llu", (unsigned long long)n);
	}
	root_at(BIG_SIZE, got);
	ref_mth((const uint8_t(*)[H])leaf_hashes, BIG_SIZE, want);
	assert_memory_equal(got, want, H);
}

static void
test_append_stores_every_perfect_subtree_node(void **state)
{
	uint8_t got[H], want[H];
	unsigned int level;
	uint64_t index, width;

	(void)state;
	/* Node (k, i) is MTH of leaves [i*2^k, (i+1)*2^k), for all of them. */
	for (level = 0; level < 10; level++) {
		width = (uint64_t)1 << level;
		for (index = 0; (index + 1) * width <= 1024; index++) {
			assert_int_equal(
			    big_src.node(big_src.ctx, level, index, got), 0);
			ref_mth(
			    (const uint8_t(*)[H])(leaf_hashes + index * width),
			    width, want);
			assert_memory_equal(got, want, H);
		}
	}
}

static void
test_append_nodes_returns_leaf_then_each_carry(void **state)
{
	struct merkle_node nodes[MERKLE_APPEND_MAX];
	struct counting c;
	struct merkle_source s;
	uint8_t want[H];
	uint64_t size, width;
	size_t n, i;

	(void)state;
	for (size = 0; size < 600; size++) {
		s = counting_source(&c, &big_src, size);
		assert_int_equal(
		    merkle_append_nodes(&s, size, leaf_hashes[size], nodes, &n),
		    0);
		/* The leaf plus one node per trailing one bit of size. */
		assert_int_equal(n, 1 + __builtin_ctzll(~size));
		assert_int_equal(c.reads, n - 1);
		assert_false(c.bad);
		for (i = 0; i < n; i++) {
			width = (uint64_t)1 << i;
			assert_int_equal(nodes[i].level, i);
			assert_int_equal(nodes[i].index, size >> i);
			ref_mth((const uint8_t(*)[H])(
				    leaf_hashes + (size >> i) * width),
			    width, want);
			assert_memory_equal(nodes[i].hash, want, H);
		}
	}
}

static void
check_inclusion_against_reference(uint64_t index, uint64_t size)
{
	uint8_t got[MERKLE_MAX_PROOF * H], want[MERKLE_MAX_PROOF][H];
	uint8_t root[H];
	struct counting c;
	struct merkle_source s;
	size_t n, wn;

	s = counting_source(&c, &big_src, size);
	assert_int_equal(
	    merkle_inclusion_proof(&s, index, size, got, MERKLE_MAX_PROOF, &n),
	    0);
	wn = ref_path(index, (const uint8_t(*)[H])leaf_hashes, size, want);
	if (n != wn || memcmp(got, want, n * H) != 0)
		fail_msg("inclusion proof differs at index %llu size %llu",
		    (unsigned long long)index, (unsigned long long)size);
	assert_false(c.bad);
	if (c.reads > 2 * (size_t)ceil_log2(size))
		fail_msg("%zu reads for index %llu size %llu", c.reads,
		    (unsigned long long)index, (unsigned long long)size);
	ref_root(size, root);
	if (merkle_inclusion_verify(
		leaf_hashes[index], index, size, got, n, root) != 0)
		fail_msg("inclusion proof refused at index %llu size %llu",
		    (unsigned long long)index, (unsigned long long)size);
}

static void
test_inclusion_proof_matches_reference_for_every_index_and_size(void **state)
{
	uint64_t size, index;

	(void)state;
	for (size = 1; size <= PAIR_SIZES; size++)
		for (index = 0; index < size; index++)
			check_inclusion_against_reference(index, size);
	for (; size <= ROOT_SIZES; size++) {
		for (index = 0; index < 3; index++) {
			check_inclusion_against_reference(index, size);
			check_inclusion_against_reference(
			    size / 2 + index, size);
			check_inclusion_against_reference(
			    size - 1 - index, size);
		}
	}
}

static void
test_inclusion_proof_matches_reference_at_random_large_sizes(void **state)
{
	uint64_t size;
	int t;

	(void)state;
	for (t = 0; t < RANDOM_PROOFS; t++) {
		size = rng_range(ROOT_SIZES, BIG_SIZE);
		check_inclusion_against_reference(rng_range(0, size - 1), size);
	}
	check_inclusion_against_reference(0, BIG_SIZE);
	check_inclusion_against_reference(BIG_SIZE - 1, BIG_SIZE);
	check_inclusion_against_reference(16383, 16385);
	check_inclusion_against_reference(16384, 16385);
}

static void
check_consistency_against_reference(uint64_t size1, uint64_t size2)
{
	uint8_t got[MERKLE_MAX_PROOF * H], want[MERKLE_MAX_PROOF][H];
	uint8_t root1[H], root2[H];
	struct counting c;
	struct merkle_source s;
	size_t n, wn;

	s = counting_source(&c, &big_src, size2);
	assert_int_equal(merkle_consistency_proof(
			     &s, size1, size2, got, MERKLE_MAX_PROOF, &n),
	    0);
	wn = ref_subproof(
	    size1, (const uint8_t(*)[H])leaf_hashes, size2, 1, want);
	if (n != wn || memcmp(got, want, n * H) != 0)
		fail_msg("consistency proof differs at %llu -> %llu",
		    (unsigned long long)size1, (unsigned long long)size2);
	assert_false(c.bad);
	if (c.reads > 2 * (size_t)ceil_log2(size2) + 1)
		fail_msg("%zu reads for %llu -> %llu", c.reads,
		    (unsigned long long)size1, (unsigned long long)size2);
	ref_root(size1, root1);
	ref_root(size2, root2);
	if (merkle_consistency_verify(size1, size2, root1, root2, got, n) != 0)
		fail_msg("consistency proof refused at %llu -> %llu",
		    (unsigned long long)size1, (unsigned long long)size2);
}

static void
test_consistency_proof_matches_reference_for_every_pair_of_sizes(void **state)
{
	uint64_t size1, size2;

	(void)state;
	for (size2 = 1; size2 <= PAIR_SIZES; size2++)
		for (size1 = 1; size1 <= size2; size1++)
			check_consistency_against_reference(size1, size2);
	for (; size2 <= ROOT_SIZES; size2++) {
		for (size1 = 1; size1 <= 3; size1++) {
			check_consistency_against_reference(size1, size2);
			check_consistency_against_reference(
			    size2 / 2 + size1, size2);
			check_consistency_against_reference(
			    size2 + 1 - size1, size2);
		}
	}
}

static void
test_consistency_proof_matches_reference_at_random_large_sizes(void **state)
{
	uint64_t size2;
	int t;

	(void)state;
	for (t = 0; t < RANDOM_PROOFS; t++) {
		size2 = rng_range(ROOT_SIZES, BIG_SIZE);
		check_consistency_against_reference(rng_range(1, size2), size2);
	}
	check_consistency_against_reference(1, BIG_SIZE);
	check_consistency_against_reference(BIG_SIZE - 1, BIG_SIZE);
	check_consistency_against_reference(16384, BIG_SIZE);
	check_consistency_against_reference(16385, BIG_SIZE);
}

static void
test_proofs_at_smaller_size_ignore_later_leaves(void **state)
{
	uint8_t a[MERKLE_MAX_PROOF * H], b[MERKLE_MAX_PROOF * H];
	struct merkle_mem *m;
	struct merkle_source src;
	uint8_t buf[128];
	size_t na, nb, len;
	uint64_t i;

	(void)state;
	/* A store of exactly 100 leaves and the big store agree at 100. */
	assert_non_null(m = merkle_mem_new(100));
	for (i = 0; i < 100; i++) {
		len = leaf_data(i, buf, sizeof(buf));
		assert_int_equal(merkle_mem_append(m, buf, len), 0);
	}
	merkle_mem_source(m, &src);
	for (i = 0; i < 100; i++) {
		assert_int_equal(merkle_inclusion_proof(
				     &src, i, 100, a, MERKLE_MAX_PROOF, &na),
		    0);
		assert_int_equal(merkle_inclusion_proof(&big_src, i, 100, b,
				     MERKLE_MAX_PROOF, &nb),
		    0);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na * H);
		assert_int_equal(merkle_consistency_proof(&src, i + 1, 100, a,
				     MERKLE_MAX_PROOF, &na),
		    0);
		assert_int_equal(merkle_consistency_proof(&big_src, i + 1, 100,
				     b, MERKLE_MAX_PROOF, &nb),
		    0);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na * H);
	}
	merkle_mem_free(m);
}

/* ---------------------------------------------------------------------- */
/* Verification is strict.                                                */

static void
test_inclusion_verify_refuses_any_altered_byte(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H], root[H], leaf[H];
	uint64_t size, index;
	size_t n, j;

	(void)state;
	for (size = 1; size <= MUTATE_SIZES; size++) {
		root_at(size, root);
		for (index = 0; index < size; index++) {
			assert_int_equal(merkle_inclusion_proof(&big_src, index,
					     size, proof, MERKLE_MAX_PROOF, &n),
			    0);
			memcpy(leaf, leaf_hashes[index], H);
			for (j = 0; j < n * H; j++) {
				proof[j] ^= (uint8_t)(1 << (j % 8));
				assert_int_equal(
				    merkle_inclusion_verify(
					leaf, index, size, proof, n, root),
				    -1);
				proof[j] ^= (uint8_t)(1 << (j % 8));
			}
			for (j = 0; j < H; j++) {
				root[j] ^= 0x80;
				assert_int_equal(
				    merkle_inclusion_verify(
					leaf, index, size, proof, n, root),
				    -1);
				root[j] ^= 0x80;
				leaf[j] ^= 0x01;
				assert_int_equal(
				    merkle_inclusion_verify(
					leaf, index, size, proof, n, root),
				    -1);
				leaf[j] ^= 0x01;
			}
			/* Restored, it verifies again. */
			assert_int_equal(merkle_inclusion_verify(
					     leaf, index, size, proof, n, root),
			    0);
		}
	}
}

static void
test_inclusion_verify_refuses_truncated_or_extended_proof(void **state)
{
	uint8_t proof[(MERKLE_MAX_PROOF + 1) * H];
	uint8_t longer[(MERKLE_MAX_PROOF + 1) * H];
	uint8_t root[H];
	uint64_t size, index;
	size_t n;

	(void)state;
	for (size = 1; size <= MUTATE_SIZES; size++) {
		root_at(size, root);
		for (index = 0; index < size; index++) {
			assert_int_equal(merkle_inclusion_proof(&big_src, index,
					     size, proof, MERKLE_MAX_PROOF, &n),
			    0);
			if (n > 0) {
				/* Last hash dropped, first hash dropped. */
				assert_int_equal(
				    merkle_inclusion_verify(leaf_hashes[index],
					index, size, proof, n - 1, root),
				    -1);
				assert_int_equal(
				    merkle_inclusion_verify(leaf_hashes[index],
					index, size, proof + H, n - 1, root),
				    -1);
			}
			/* The root, or a copy of a hash, appended. */
			memcpy(longer, proof, n * H);
			memcpy(longer + n * H, root, H);
			assert_int_equal(
			    merkle_inclusion_verify(leaf_hashes[index], index,
				size, longer, n + 1, root),
			    -1);
			memcpy(longer + n * H, n ? proof : root, H);
			assert_int_equal(
			    merkle_inclusion_verify(leaf_hashes[index], index,
				size, longer, n + 1, root),
			    -1);
			/* The leaf hash prepended. */
			memcpy(longer, leaf_hashes[index], H);
			memcpy(longer + H, proof, n * H);
			assert_int_equal(
			    merkle_inclusion_verify(leaf_hashes[index], index,
				size, longer, n + 1, root),
			    -1);
		}
	}
}

static void
test_inclusion_verify_accepts_other_index_or_size_only_of_same_shape(
    void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H], root[H];
	char shape[80], other[80];
	uint64_t size, index, size2, index2;
	size_t n;
	int ok;

	(void)state;
	for (size = 1; size <= SHAPE_SIZES; size++) {
		root_at(size, root);
		for (index = 0; index < size; index++) {
			assert_int_equal(merkle_inclusion_proof(&big_src, index,
					     size, proof, MERKLE_MAX_PROOF, &n),
			    0);
			ref_path_shape(index, size, shape, sizeof(shape));
			for (size2 = 0; size2 <= SHAPE_OTHER_SIZES; size2++) {
				for (index2 = 0; index2 <= size2 + 1;
				     index2++) {
					ok = merkle_inclusion_verify(
						 leaf_hashes[index], index2,
						 size2, proof, n, root) == 0;
					if (index2 >= size2) {
						assert_false(ok);
						continue;
					}
					ref_path_shape(index2, size2, other,
					    sizeof(other));
					if (ok != (strcmp(shape, other) == 0))
						fail_msg("proof for %llu/%llu "
							 "%s at %llu/%llu",
						    (unsigned long long)index,
						    (unsigned long long)size,
						    ok ? "accepted" : "refused",
						    (unsigned long long)index2,
						    (unsigned long long)size2);
				}
			}
		}
	}
}

static void
test_inclusion_verify_refuses_proof_against_root_of_other_size(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H], root2[H];
	uint64_t size, index, size2;
	size_t n;

	(void)state;
	/* A signed tree head binds (size, root); no other head accepts. */
	for (size = 1; size <= MUTATE_SIZES; size++) {
		for (index = 0; index < size; index++) {
			assert_int_equal(merkle_inclusion_proof(&big_src, index,
					     size, proof, MERKLE_MAX_PROOF, &n),
			    0);
			for (size2 = index + 1;
			     size2 <= (uint64_t)2 * MUTATE_SIZES; size2++) {
				if (size2 == size)
					continue;
				root_at(size2, root2);
				assert_int_equal(
				    merkle_inclusion_verify(leaf_hashes[index],
					index, size2, proof, n, root2),
				    -1);
			}
		}
	}
}

static void
test_consistency_verify_refuses_any_altered_byte(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H], root1[H], root2[H];
	uint64_t size1, size2;
	size_t n, j;

	(void)state;
	for (size2 = 2; size2 <= MUTATE_SIZES; size2++) {
		root_at(size2, root2);
		for (size1 = 1; size1 < size2; size1++) {
			root_at(size1, root1);
			assert_int_equal(
			    merkle_consistency_proof(&big_src, size1, size2,
				proof, MERKLE_MAX_PROOF, &n),
			    0);
			for (j = 0; j < n * H; j++) {
				proof[j] ^= (uint8_t)(1 << (j % 8));
				assert_int_equal(
				    merkle_consistency_verify(
					size1, size2, root1, root2, proof, n),
				    -1);
				proof[j] ^= (uint8_t)(1 << (j % 8));
			}
			for (j = 0; j < H; j++) {
				root1[j] ^= 0x04;
				assert_int_equal(
				    merkle_consistency_verify(
					size1, size2, root1, root2, proof, n),
				    -1);
				root1[j] ^= 0x04;
				root2[j] ^= 0x20;
				assert_int_equal(
				    merkle_consistency_verify(
					size1, size2, root1, root2, proof, n),
				    -1);
				root2[j] ^= 0x20;
			}
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root2, root1, proof, n),
			    -1);
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root1, root2, proof, n),
			    0);
		}
	}
}

static void
test_consistency_verify_refuses_truncated_or_extended_proof(void **state)
{
	uint8_t proof[(MERKLE_MAX_PROOF + 1) * H];
	uint8_t longer[(MERKLE_MAX_PROOF + 1) * H];
	uint8_t root1[H], root2[H];
	uint64_t size1, size2;
	size_t n;

	(void)state;
	for (size2 = 2; size2 <= MUTATE_SIZES; size2++) {
		root_at(size2, root2);
		for (size1 = 1; size1 < size2; size1++) {
			root_at(size1, root1);
			assert_int_equal(
			    merkle_consistency_proof(&big_src, size1, size2,
				proof, MERKLE_MAX_PROOF, &n),
			    0);
			assert_true(n > 0);
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root1, root2, proof, 0),
			    -1);
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root1, root2, proof, n - 1),
			    -1);
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root1, root2, proof + H, n - 1),
			    -1);
			/* root1, root2 or proof[0] appended or prepended. */
			memcpy(longer, proof, n * H);
			memcpy(longer + n * H, root1, H);
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root1, root2, longer, n + 1),
			    -1);
			memcpy(longer + n * H, root2, H);
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root1, root2, longer, n + 1),
			    -1);
			memcpy(longer + H, proof, n * H);
			memcpy(longer, root1, H);
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root1, root2, longer, n + 1),
			    -1);
			memcpy(longer, proof, H);
			assert_int_equal(merkle_consistency_verify(size1, size2,
					     root1, root2, longer, n + 1),
			    -1);
		}
	}
}

static void
test_consistency_verify_accepts_other_sizes_only_of_same_shape(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H], root1[H], root2[H];
	char shape[80], other[80];
	uint64_t size1, size2, o1, o2;
	size_t n;
	int ok;

	(void)state;
	for (size2 = 2; size2 <= SHAPE_SIZES; size2++) {
		root_at(size2, root2);
		for (size1 = 1; size1 < size2; size1++) {
			root_at(size1, root1);
			assert_int_equal(
			    merkle_consistency_proof(&big_src, size1, size2,
				proof, MERKLE_MAX_PROOF, &n),
			    0);
			ref_proof_shape(size1, size2, shape, sizeof(shape));
			for (o2 = 0; o2 <= SHAPE_OTHER_SIZES; o2++) {
				for (o1 = 0; o1 <= o2 + 1; o1++) {
					ok = merkle_consistency_verify(o1, o2,
						 root1, root2, proof, n) == 0;
					/* o1 == o2 needs an empty proof. */
					if (o1 == 0 || o1 >= o2) {
						assert_false(ok);
						continue;
					}
					ref_proof_shape(
					    o1, o2, other, sizeof(other));
					if (ok != (strcmp(shape, other) == 0))
						fail_msg("proof %llu->%llu %s "
							 "at %llu->%llu",
						    (unsigned long long)size1,
						    (unsigned long long)size2,
						    ok ? "accepted" : "refused",
						    (unsigned long long)o1,
						    (unsigned long long)o2);
				}
			}
		}
	}
}

static void
test_consistency_verify_refuses_proof_against_roots_of_other_sizes(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H], root1[H], root2[H];
	uint64_t size1, size2, o1, o2;
	size_t n;

	(void)state;
	for (size2 = 2; size2 <= SHAPE_SIZES; size2++) {
		for (size1 = 1; size1 < size2; size1++) {
			assert_int_equal(
			    merkle_consistency_proof(&big_src, size1, size2,
				proof, MERKLE_MAX_PROOF, &n),
			    0);
			for (o2 = 2; o2 <= SHAPE_OTHER_SIZES; o2++) {
				root_at(o2, root2);
				for (o1 = 1; o1 < o2; o1++) {
					if (o1 == size1 && o2 == size2)
						continue;
					root_at(o1, root1);
					assert_int_equal(
					    merkle_consistency_verify(
						o1, o2, root1, root2, proof, n),
					    -1);
				}
			}
		}
	}
}

static void
test_consistency_verify_of_equal_sizes_needs_equal_roots_and_no_proof(
    void **state)
{
	uint8_t root[H], other[H];

	(void)state;
	root_at(7, root);
	root_at(8, other);
	assert_int_equal(
	    merkle_consistency_verify(7, 7, root, root, NULL, 0), 0);
	assert_int_equal(
	    merkle_consistency_verify(7, 7, root, other, NULL, 0), -1);
	assert_int_equal(
	    merkle_consistency_verify(7, 7, root, root, root, 1), -1);
}

static void
test_consistency_verify_refuses_empty_old_tree(void **state)
{
	uint8_t empty[H], root[H];

	(void)state;
	assert_int_equal(merkle_empty_root(empty), 0);
	root_at(5, root);
	assert_int_equal(
	    merkle_consistency_verify(0, 0, empty, empty, NULL, 0), -1);
	assert_int_equal(
	    merkle_consistency_verify(0, 5, empty, root, NULL, 0), -1);
}

static void
test_consistency_verify_refuses_shrinking_tree(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H], root1[H], root2[H];
	size_t n;

	(void)state;
	assert_int_equal(merkle_consistency_proof(
			     &big_src, 3, 7, proof, MERKLE_MAX_PROOF, &n),
	    0);
	root_at(3, root1);
	root_at(7, root2);
	assert_int_equal(
	    merkle_consistency_verify(7, 3, root2, root1, proof, n), -1);
	assert_int_equal(
	    merkle_consistency_verify(7, 3, root1, root2, proof, n), -1);
}

/* Place n hashes so that they end exactly where an unmapped page begins. */
struct guarded {
	uint8_t *map;
	size_t mapsz;
	uint8_t *at;
};

static void
guard_proof(struct guarded *g, const uint8_t *proof, size_t n)
{
	long page = sysconf(_SC_PAGESIZE);

	assert_true(page > 0 && (size_t)page >= (size_t)MERKLE_MAX_PROOF * H);
	g->mapsz = 2 * (size_t)page;
	g->map = mmap(NULL, g->mapsz, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map + page, (size_t)page, PROT_NONE), 0);
	g->at = g->map + page - n * H;
	memcpy(g->at, proof, n * H);
}

static void
unguard(struct guarded *g)
{

	assert_int_equal(munmap(g->map, g->mapsz), 0);
}

static void
test_verify_reads_nothing_beyond_the_proof(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H], root1[H], root2[H];
	struct guarded g;
	uint64_t a, b;
	size_t n;

	(void)state;
	/* A read past the last hash would fault on the guard page. */
	for (b = 1; b <= 40; b++) {
		root_at(b, root2);
		for (a = 0; a < b; a++) {
			assert_int_equal(merkle_inclusion_proof(&big_src, a, b,
					     proof, MERKLE_MAX_PROOF, &n),
			    0);
			guard_proof(&g, proof, n);
			assert_int_equal(merkle_inclusion_verify(leaf_hashes[a],
					     a, b, g.at, n, root2),
			    0);
			unguard(&g);
			if (a == 0)
				continue;
			root_at(a, root1);
			assert_int_equal(merkle_consistency_proof(&big_src, a,
					     b, proof, MERKLE_MAX_PROOF, &n),
			    0);
			guard_proof(&g, proof, n);
			assert_int_equal(merkle_consistency_verify(
					     a, b, root1, root2, g.at, n),
			    0);
			unguard(&g);
		}
	}
}

/* ---------------------------------------------------------------------- */
/* Refusals.                                                              */

static void
test_inclusion_proof_refuses_index_not_below_size(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n;

	(void)state;
	assert_int_equal(
	    merkle_inclusion_proof(&big_src, 5, 5, proof, MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(
	    merkle_inclusion_proof(&big_src, 6, 5, proof, MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(
	    merkle_inclusion_proof(&big_src, 0, 0, proof, MERKLE_MAX_PROOF, &n),
	    -1);
}

static void
test_inclusion_proof_refuses_too_small_buffer(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n;

	(void)state;
	/* Index 5 in 8 leaves needs 3 hashes. */
	assert_int_equal(
	    merkle_inclusion_proof(&big_src, 5, 8, proof, 2, &n), -1);
	assert_int_equal(
	    merkle_inclusion_proof(&big_src, 5, 8, NULL, 0, &n), -1);
	assert_int_equal(
	    merkle_inclusion_proof(&big_src, 5, 8, proof, 3, &n), 0);
	assert_int_equal(n, 3);
	/* A one-leaf tree needs none. */
	assert_int_equal(
	    merkle_inclusion_proof(&big_src, 0, 1, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
}

static void
test_inclusion_proof_refuses_size_beyond_the_store(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n;

	(void)state;
	assert_int_equal(merkle_inclusion_proof(&big_src, 0, BIG_SIZE + 1,
			     proof, MERKLE_MAX_PROOF, &n),
	    -1);
}

static void
test_inclusion_verify_refuses_index_not_below_size(void **state)
{
	uint8_t root[H];

	(void)state;
	/* A one-leaf tree's root is its leaf hash and its proof is empty. */
	memcpy(root, leaf_hashes[0], H);
	assert_int_equal(
	    merkle_inclusion_verify(leaf_hashes[0], 0, 1, NULL, 0, root), 0);
	assert_int_equal(
	    merkle_inclusion_verify(leaf_hashes[0], 1, 1, NULL, 0, root), -1);
	assert_int_equal(
	    merkle_inclusion_verify(leaf_hashes[0], 0, 0, NULL, 0, root), -1);
}

static void
test_inclusion_verify_refuses_overlong_proof_length(void **state)
{
	uint8_t proof[(MERKLE_MAX_PROOF + 1) * H], root[H];

	(void)state;
	memset(proof, 0, sizeof(proof));
	root_at(5, root);
	assert_int_equal(merkle_inclusion_verify(leaf_hashes[0], 0, 5, proof,
			     MERKLE_MAX_PROOF + 1, root),
	    -1);
	assert_int_equal(merkle_inclusion_verify(
			     leaf_hashes[0], 0, 5, proof, SIZE_MAX / H, root),
	    -1);
}

static void
test_consistency_proof_refuses_empty_old_tree(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n;

	(void)state;
	assert_int_equal(merkle_consistency_proof(
			     &big_src, 0, 5, proof, MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(merkle_consistency_proof(
			     &big_src, 0, 0, proof, MERKLE_MAX_PROOF, &n),
	    -1);
}

static void
test_consistency_proof_refuses_shrinking_tree(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n;

	(void)state;
	assert_int_equal(merkle_consistency_proof(
			     &big_src, 6, 5, proof, MERKLE_MAX_PROOF, &n),
	    -1);
}

static void
test_consistency_proof_of_equal_sizes_is_empty(void **state)
{
	size_t n = 99;

	(void)state;
	assert_int_equal(
	    merkle_consistency_proof(&big_src, 6, 6, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
}

static void
test_consistency_proof_refuses_too_small_buffer(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n;

	(void)state;
	/* 6 -> 8 needs 3 hashes. */
	assert_int_equal(
	    merkle_consistency_proof(&big_src, 6, 8, proof, 2, &n), -1);
	assert_int_equal(
	    merkle_consistency_proof(&big_src, 6, 8, proof, 3, &n), 0);
	assert_int_equal(n, 3);
}

static void
test_consistency_verify_refuses_overlong_proof_length(void **state)
{
	uint8_t proof[(MERKLE_MAX_PROOF + 1) * H], root1[H], root2[H];

	(void)state;
	memset(proof, 0, sizeof(proof));
	root_at(3, root1);
	root_at(5, root2);
	assert_int_equal(merkle_consistency_verify(
			     3, 5, root1, root2, proof, MERKLE_MAX_PROOF + 1),
	    -1);
	assert_int_equal(
	    merkle_consistency_verify(3, 5, root1, root2, proof, SIZE_MAX / H),
	    -1);
}

static int
failing_node(void *ctx, unsigned int level, uint64_t index, uint8_t out[H])
{

	(void)ctx;
	(void)level;
	(void)index;
	(void)out;
	return (-1);
}

static void
test_source_failure_fails_every_operation(void **state)
{
	struct merkle_source bad = {failing_node, NULL};
	struct merkle_node nodes[MERKLE_APPEND_MAX];
	uint8_t proof[MERKLE_MAX_PROOF * H], root[H];
	size_t n;

	(void)state;
	assert_int_equal(merkle_root(&bad, 3, root), -1);
	assert_int_equal(
	    merkle_inclusion_proof(&bad, 1, 3, proof, MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(
	    merkle_consistency_proof(&bad, 1, 3, proof, MERKLE_MAX_PROOF, &n),
	    -1);
	/* Appending at an odd size needs the left sibling. */
	assert_int_equal(
	    merkle_append_nodes(&bad, 3, leaf_hashes[3], nodes, &n), -1);
	/* At an even size it needs nothing. */
	assert_int_equal(
	    merkle_append_nodes(&bad, 4, leaf_hashes[4], nodes, &n), 0);
	assert_int_equal(n, 1);
}

static void
test_operations_refuse_null_arguments(void **state)
{
	struct merkle_source nofn = {NULL, NULL};
	struct merkle_node nodes[MERKLE_APPEND_MAX];
	uint8_t proof[MERKLE_MAX_PROOF * H], root[H];
	size_t n;

	(void)state;
	root_at(4, root);
	assert_int_equal(merkle_root(NULL, 4, root), -1);
	assert_int_equal(merkle_root(&nofn, 4, root), -1);
	assert_int_equal(merkle_root(&big_src, 4, NULL), -1);
	assert_int_equal(merkle_append_nodes(NULL, 0, root, nodes, &n), -1);
	assert_int_equal(merkle_append_nodes(&big_src, 0, NULL, nodes, &n), -1);
	assert_int_equal(merkle_append_nodes(&big_src, 0, root, NULL, &n), -1);
	assert_int_equal(
	    merkle_append_nodes(&big_src, 0, root, nodes, NULL), -1);
	assert_int_equal(
	    merkle_inclusion_proof(NULL, 0, 4, proof, MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(merkle_inclusion_proof(
			     &big_src, 0, 4, proof, MERKLE_MAX_PROOF, NULL),
	    -1);
	assert_int_equal(
	    merkle_consistency_proof(NULL, 1, 4, proof, MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(merkle_consistency_proof(
			     &big_src, 1, 4, NULL, MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(
	    merkle_inclusion_proof(&big_src, 0, 4, proof, MERKLE_MAX_PROOF, &n),
	    0);
	assert_int_equal(
	    merkle_inclusion_verify(NULL, 0, 4, proof, n, root), -1);
	assert_int_equal(
	    merkle_inclusion_verify(leaf_hashes[0], 0, 4, NULL, n, root), -1);
	assert_int_equal(
	    merkle_inclusion_verify(leaf_hashes[0], 0, 4, proof, n, NULL), -1);
	assert_int_equal(
	    merkle_consistency_verify(1, 4, NULL, root, proof, 2), -1);
	assert_int_equal(
	    merkle_consistency_verify(1, 4, root, NULL, proof, 2), -1);
	assert_int_equal(
	    merkle_consistency_verify(1, 4, root, root, NULL, 2), -1);
}

/* ---------------------------------------------------------------------- */
/* Sizes up to MERKLE_MAX_SIZE, on a tree whose leaves are all equal.     */

/*
 * With every leaf hash equal to Z[0], node (k, i) is Z[k] with Z[k] =
 * H(Z[k-1], Z[k-1]) whatever i is: a consistent tree of any size, whose
 * nodes cost nothing to store.  It exercises the arithmetic at sizes no
 * store could hold; index and shape mutations mean little on it.
 */
static uint8_t uniform[MERKLE_MAX_LEVELS][H];

static int
uniform_node(void *ctx, unsigned int level, uint64_t index, uint8_t out[H])
{

	(void)ctx;
	(void)index;
	if (level >= MERKLE_MAX_LEVELS)
		return (-1);
	memcpy(out, uniform[level], H);
	return (0);
}

static const struct merkle_source uniform_src = {uniform_node, NULL};

static void
make_uniform(void)
{
	unsigned int k;

	ref_leaf_hash(uniform[0], (const uint8_t *)"same", 4);
	for (k = 1; k < MERKLE_MAX_LEVELS; k++)
		ref_node_hash(uniform[k], uniform[k - 1], uniform[k - 1]);
}

static void
test_huge_trees_prove_and_verify_within_proof_bound(void **state)
{
	static const uint64_t top = MERKLE_MAX_SIZE;
	uint8_t proof[MERKLE_MAX_PROOF * H], root1[H], root2[H];
	uint64_t size1, size2, index;
	size_t n;
	int t;

	(void)state;
	make_uniform();
	/* The full tree's root is its single top node. */
	assert_int_equal(merkle_root(&uniform_src, top, root2), 0);
	assert_memory_equal(root2, uniform[63], H);

	assert_int_equal(merkle_inclusion_proof(&uniform_src, top - 1, top,
			     proof, MERKLE_MAX_PROOF, &n),
	    0);
	assert_int_equal(n, 63);
	assert_int_equal(
	    merkle_inclusion_verify(uniform[0], top - 1, top, proof, n, root2),
	    0);

	/* The longest consistency proof: an odd size just below the top. */
	assert_int_equal(merkle_root(&uniform_src, top - 1, root1), 0);
	assert_int_equal(merkle_consistency_proof(&uniform_src, top - 1, top,
			     proof, MERKLE_MAX_PROOF, &n),
	    0);
	assert_int_equal(n, MERKLE_MAX_PROOF);
	assert_int_equal(
	    merkle_consistency_verify(top - 1, top, root1, root2, proof, n), 0);
	assert_int_equal(merkle_consistency_proof(&uniform_src, top - 1, top,
			     proof, MERKLE_MAX_PROOF - 1, &n),
	    -1);

	for (t = 0; t < 200; t++) {
		size2 = rng_range(1, top);
		size1 = rng_range(1, size2);
		index = rng_range(0, size2 - 1);
		assert_int_equal(merkle_root(&uniform_src, size1, root1), 0);
		assert_int_equal(merkle_root(&uniform_src, size2, root2), 0);
		assert_int_equal(merkle_inclusion_proof(&uniform_src, index,
				     size2, proof, MERKLE_MAX_PROOF, &n),
		    0);
		assert_int_equal(merkle_inclusion_verify(
				     uniform[0], index, size2, proof, n, root2),
		    0);
		assert_int_equal(merkle_consistency_proof(&uniform_src, size1,
				     size2, proof, MERKLE_MAX_PROOF, &n),
		    0);
		assert_int_equal(merkle_consistency_verify(
				     size1, size2, root1, root2, proof, n),
		    0);
	}
}

static void
test_sizes_beyond_max_are_refused(void **state)
{
	static const uint64_t over = MERKLE_MAX_SIZE + 1;
	struct merkle_node nodes[MERKLE_APPEND_MAX];
	uint8_t proof[MERKLE_MAX_PROOF * H], root[H];
	size_t n;

	(void)state;
	make_uniform();
	memset(proof, 0, sizeof(proof));
	assert_int_equal(merkle_root(&uniform_src, over, root), -1);
	assert_int_equal(merkle_root(&uniform_src, UINT64_MAX, root), -1);
	assert_int_equal(merkle_inclusion_proof(&uniform_src, 0, over, proof,
			     MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(merkle_consistency_proof(&uniform_src, 1, over, proof,
			     MERKLE_MAX_PROOF, &n),
	    -1);
	assert_int_equal(
	    merkle_inclusion_verify(uniform[0], 0, over, proof, 63, root), -1);
	assert_int_equal(
	    merkle_inclusion_verify(uniform[0], 0, UINT64_MAX, proof, 64, root),
	    -1);
	assert_int_equal(
	    merkle_consistency_verify(1, over, root, root, proof, 64), -1);
	assert_int_equal(
	    merkle_consistency_verify(over, over, root, root, NULL, 0), -1);
	/* The last leaf a tree can take completes 64 nodes; then it is full. */
	assert_int_equal(merkle_append_nodes(&uniform_src, MERKLE_MAX_SIZE - 1,
			     uniform[0], nodes, &n),
	    0);
	assert_int_equal(n, MERKLE_APPEND_MAX);
	assert_int_equal(nodes[63].level, 63);
	assert_int_equal(nodes[63].index, 0);
	assert_memory_equal(nodes[63].hash, uniform[63], H);
	assert_int_equal(merkle_append_nodes(&uniform_src, MERKLE_MAX_SIZE,
			     uniform[0], nodes, &n),
	    -1);
}

/* ---------------------------------------------------------------------- */
/* The in-memory store.                                                   */

static void
test_mem_refuses_leaves_beyond_its_cap(void **state)
{
	struct merkle_mem *m;
	struct merkle_source src;
	uint8_t before[H], after[H];
	int i;

	(void)state;
	assert_non_null(m = merkle_mem_new(5));
	for (i = 0; i < 5; i++)
		assert_int_equal(
		    merkle_mem_append(m, (const uint8_t *)"x", 1), 0);
	merkle_mem_source(m, &src);
	assert_int_equal(merkle_root(&src, 5, before), 0);
	assert_int_equal(merkle_mem_append(m, (const uint8_t *)"x", 1), -1);
	assert_int_equal(merkle_mem_append_hash(m, leaf_hashes[0]), -1);
	assert_int_equal(merkle_mem_size(m), 5);
	assert_int_equal(merkle_root(&src, 5, after), 0);
	assert_memory_equal(before, after, H);
	merkle_mem_free(m);
}

static void
test_mem_memory_stays_within_twice_the_leaf_hashes(void **state)
{
	struct merkle_mem *m;
	uint64_t cap, i;

	(void)state;
	for (cap = 1; cap <= 5000; cap = cap * 3 + 1) {
		assert_non_null(m = merkle_mem_new(cap));
		for (i = 0; i < cap; i++)
			assert_int_equal(
			    merkle_mem_append_hash(m, leaf_hashes[i]), 0);
		assert_true(merkle_mem_bytes(m) <= 2 * cap * H);
		merkle_mem_free(m);
	}
}

static void
test_mem_refuses_bad_caps(void **state)
{

	(void)state;
	assert_null(merkle_mem_new(0));
	assert_null(merkle_mem_new(MERKLE_MAX_SIZE + 1));
	assert_null(merkle_mem_new(UINT64_MAX));
}

static void
test_mem_source_refuses_nodes_not_stored(void **state)
{
	struct merkle_mem *m;
	struct merkle_source src;
	uint8_t out[H];
	int i;

	(void)state;
	assert_non_null(m = merkle_mem_new(10));
	for (i = 0; i < 6; i++)
		assert_int_equal(merkle_mem_append_hash(m, leaf_hashes[i]), 0);
	merkle_mem_source(m, &src);
	assert_int_equal(src.node(src.ctx, 0, 5, out), 0);
	assert_int_equal(src.node(src.ctx, 0, 6, out), -1);
	assert_int_equal(src.node(src.ctx, 1, 2, out), 0);
	assert_int_equal(src.node(src.ctx, 1, 3, out), -1);
	assert_int_equal(src.node(src.ctx, 2, 1, out), -1);
	assert_int_equal(src.node(src.ctx, MERKLE_MAX_LEVELS, 0, out), -1);
	merkle_mem_free(m);
}

static void
test_mem_append_refuses_null_arguments(void **state)
{
	struct merkle_mem *m;

	(void)state;
	assert_non_null(m = merkle_mem_new(10));
	assert_int_equal(merkle_mem_append(NULL, (const uint8_t *)"x", 1), -1);
	assert_int_equal(merkle_mem_append(m, NULL, 1), -1);
	assert_int_equal(merkle_mem_append_hash(NULL, leaf_hashes[0]), -1);
	assert_int_equal(merkle_mem_append_hash(m, NULL), -1);
	assert_int_equal(merkle_mem_size(m), 0);
	merkle_mem_free(m);
}

static void
test_mem_free_accepts_null(void **state)
{

	(void)state;
	merkle_mem_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_leaf_hash_is_sha256_of_zero_prefix_and_data),
	    cmocka_unit_test(test_leaf_hash_accepts_empty_leaf_without_buffer),
	    cmocka_unit_test(
		test_node_hash_is_sha256_of_one_prefix_and_children),
	    cmocka_unit_test(test_node_hash_allows_output_to_alias_an_input),
	    cmocka_unit_test(test_leaf_and_node_hashes_are_domain_separated),
	    cmocka_unit_test(test_empty_root_is_sha256_of_empty_string),
	    cmocka_unit_test(test_hash_functions_refuse_null_arguments),
	    cmocka_unit_test(test_root_matches_reference_at_every_size),
	    cmocka_unit_test(
		test_root_of_store_with_exactly_n_leaves_matches_reference),
	    cmocka_unit_test(test_root_matches_reference_at_random_large_sizes),
	    cmocka_unit_test(test_append_stores_every_perfect_subtree_node),
	    cmocka_unit_test(test_append_nodes_returns_leaf_then_each_carry),
	    cmocka_unit_test(
		test_inclusion_proof_matches_reference_for_every_index_and_size),
	    cmocka_unit_test(
		test_inclusion_proof_matches_reference_at_random_large_sizes),
	    cmocka_unit_test(
		test_consistency_proof_matches_reference_for_every_pair_of_sizes),
	    cmocka_unit_test(
		test_consistency_proof_matches_reference_at_random_large_sizes),
	    cmocka_unit_test(test_proofs_at_smaller_size_ignore_later_leaves),
	    cmocka_unit_test(test_inclusion_verify_refuses_any_altered_byte),
	    cmocka_unit_test(
		test_inclusion_verify_refuses_truncated_or_extended_proof),
	    cmocka_unit_test(
		test_inclusion_verify_accepts_other_index_or_size_only_of_same_shape),
	    cmocka_unit_test(
		test_inclusion_verify_refuses_proof_against_root_of_other_size),
	    cmocka_unit_test(test_consistency_verify_refuses_any_altered_byte),
	    cmocka_unit_test(
		test_consistency_verify_refuses_truncated_or_extended_proof),
	    cmocka_unit_test(
		test_consistency_verify_accepts_other_sizes_only_of_same_shape),
	    cmocka_unit_test(
		test_consistency_verify_refuses_proof_against_roots_of_other_sizes),
	    cmocka_unit_test(
		test_consistency_verify_of_equal_sizes_needs_equal_roots_and_no_proof),
	    cmocka_unit_test(test_consistency_verify_refuses_empty_old_tree),
	    cmocka_unit_test(test_consistency_verify_refuses_shrinking_tree),
	    cmocka_unit_test(test_verify_reads_nothing_beyond_the_proof),
	    cmocka_unit_test(test_inclusion_proof_refuses_index_not_below_size),
	    cmocka_unit_test(test_inclusion_proof_refuses_too_small_buffer),
	    cmocka_unit_test(
		test_inclusion_proof_refuses_size_beyond_the_store),
	    cmocka_unit_test(
		test_inclusion_verify_refuses_index_not_below_size),
	    cmocka_unit_test(
		test_inclusion_verify_refuses_overlong_proof_length),
	    cmocka_unit_test(test_consistency_proof_refuses_empty_old_tree),
	    cmocka_unit_test(test_consistency_proof_refuses_shrinking_tree),
	    cmocka_unit_test(test_consistency_proof_of_equal_sizes_is_empty),
	    cmocka_unit_test(test_consistency_proof_refuses_too_small_buffer),
	    cmocka_unit_test(
		test_consistency_verify_refuses_overlong_proof_length),
	    cmocka_unit_test(test_source_failure_fails_every_operation),
	    cmocka_unit_test(test_operations_refuse_null_arguments),
	    cmocka_unit_test(
		test_huge_trees_prove_and_verify_within_proof_bound),
	    cmocka_unit_test(test_sizes_beyond_max_are_refused),
	    cmocka_unit_test(test_mem_refuses_leaves_beyond_its_cap),
	    cmocka_unit_test(
		test_mem_memory_stays_within_twice_the_leaf_hashes),
	    cmocka_unit_test(test_mem_refuses_bad_caps),
	    cmocka_unit_test(test_mem_source_refuses_nodes_not_stored),
	    cmocka_unit_test(test_mem_append_refuses_null_arguments),
	    cmocka_unit_test(test_mem_free_accepts_null),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, group_setup, group_teardown));
}
