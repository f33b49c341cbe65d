/*
 * Signed tree heads (treehead.c): the signature binds every field under
 * its own domain tag; consistency between two heads accepts exactly the
 * heads of one append-only log (equal sizes with equal roots, or a valid
 * RFC 9162 proof) and refuses forks, rollbacks, other instances and bad
 * proofs; inclusion accepts exactly the entries of the tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "merkle.h"
#include "merkle_mem.h"
#include "treehead.h"

#define H MERKLE_HASH_BYTES
#define LEAVES 40
#define INSTANCE "0123456789abcdef0123456789abcdef"

struct fixture {
	uint8_t pk[TREEHEAD_PK_BYTES];
	uint8_t sk[TREEHEAD_SK_BYTES];
	struct merkle_mem *mem;
	struct merkle_source src;
};

/* Leaf ${i}'s input: a few bytes that differ per leaf. */
static size_t
leaf(uint8_t buf[16], size_t i)
{

	(void)snprintf((char *)buf, 16, "leaf %zu", i);
	return (strlen((char *)buf));
}

static int
setup(void **state)
{
	struct fixture *f;
	uint8_t seed[crypto_sign_SEEDBYTES], buf[16];
	size_t i;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	memset(seed, 0x42, sizeof(seed));
	if (crypto_sign_seed_keypair(f->pk, f->sk, seed) != 0)
		return (-1);
	if ((f->mem = merkle_mem_new(LEAVES)) == NULL)
		return (-1);
	for (i = 0; i < LEAVES; i++)
		if (merkle_mem_append(f->mem, buf, leaf(buf, i)) != 0)
			return (-1);
	merkle_mem_source(f->mem, &f->src);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	merkle_mem_free(f->mem);
	free(f);
	return (0);
}

/* A signed head of the fixture's tree at ${size}, time ${ts}. */
static struct treehead
head(struct fixture *f, uint64_t size, uint64_t ts)
{
	struct treehead th;

	memset(&th, 0, sizeof(th));
	memcpy(th.instance_id, INSTANCE, sizeof(INSTANCE));
	th.size = size;
	th.timestamp = ts;
	assert_int_equal(merkle_root(&f->src, size, th.root), 0);
	assert_int_equal(treehead_sign(&th, f->sk), 0);
	return (th);
}

static void
test_signed_head_verifies(void **state)
{
	struct fixture *f = *state;
	struct treehead th;
	uint64_t n;

	for (n = 0; n <= LEAVES; n++) {
		th = head(f, n, 1000 + n);
		assert_int_equal(treehead_verify(&th, f->pk), 0);
	}
}

static void
test_signature_is_tagged_ed25519_over_the_statement(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 5, 0x0102030405060708ull);
	uint8_t m[1 + 20 + 4 + 32 + 8 + 8 + H];
	size_t o = 0;

	m[o++] = 20;
	memcpy(m + o, "dissent/tree-head/v1", 20);
	o += 20;
	m[o++] = 0;
	m[o++] = 0;
	m[o++] = 0;
	m[o++] = 32;
	memcpy(m + o, INSTANCE, 32);
	o += 32;
	memcpy(m + o, "\0\0\0\0\0\0\0\5", 8);
	o += 8;
	memcpy(m + o, "\1\2\3\4\5\6\7\10", 8);
	o += 8;
	memcpy(m + o, th.root, H);
	o += H;
	assert_int_equal(o, sizeof(m));
	assert_int_equal(
	    crypto_sign_verify_detached(th.sig, m, sizeof(m), f->pk), 0);
}

static void
test_verify_refuses_any_altered_field(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 7, 1000), bad;
	size_t i;

	bad = th;
	bad.instance_id[0] ^= 1;
	assert_int_equal(treehead_verify(&bad, f->pk), -1);
	bad = th;
	bad.size = 8;
	assert_int_equal(treehead_verify(&bad, f->pk), -1);
	bad = th;
	bad.timestamp = 1001;
	assert_int_equal(treehead_verify(&bad, f->pk), -1);
	for (i = 0; i < H; i++) {
		bad = th;
		bad.root[i] ^= 0x80;
		assert_int_equal(treehead_verify(&bad, f->pk), -1);
	}
	for (i = 0; i < TREEHEAD_SIG_BYTES; i++) {
		bad = th;
		bad.sig[i] ^= 0x01;
		assert_int_equal(treehead_verify(&bad, f->pk), -1);
	}
}

static void
test_verify_refuses_another_key(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 3, 1000);
	uint8_t pk[TREEHEAD_PK_BYTES], sk[TREEHEAD_SK_BYTES];

	crypto_sign_keypair(pk, sk);
	assert_int_equal(treehead_verify(&th, pk), -1);
}

static void
test_verify_refuses_a_shorter_instance_id_with_same_prefix(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 3, 1000);

	/* The length prefix binds where the id ends. */
	th.instance_id[31] = '\0';
	assert_int_equal(treehead_verify(&th, f->pk), -1);
}

static void
test_sign_and_verify_refuse_size_beyond_max(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 3, 1000);

	th.size = MERKLE_MAX_SIZE + 1;
	assert_int_equal(treehead_sign(&th, f->sk), -1);
	assert_true(sodium_is_zero(th.sig, sizeof(th.sig)));
	assert_int_equal(treehead_verify(&th, f->pk), -1);
}

static void
test_sign_refuses_invalid_instance_ids(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 3, 1000);

	th.instance_id[0] = '\0';
	assert_int_equal(treehead_sign(&th, f->sk), -1);
	assert_true(sodium_is_zero(th.sig, sizeof(th.sig)));
	th = head(f, 3, 1000);
	th.instance_id[4] = ' ';
	assert_int_equal(treehead_sign(&th, f->sk), -1);
	th.instance_id[4] = '\n';
	assert_int_equal(treehead_sign(&th, f->sk), -1);
	/* Not NUL-terminated within the field. */
	memset(th.instance_id, 'a', sizeof(th.instance_id));
	assert_int_equal(treehead_sign(&th, f->sk), -1);
	assert_int_equal(treehead_verify(&th, f->pk), -1);
	/* 64 bytes is the longest. */
	memset(th.instance_id, 'a', TREEHEAD_INSTANCE_ID_MAX);
	th.instance_id[TREEHEAD_INSTANCE_ID_MAX] = '\0';
	assert_int_equal(treehead_sign(&th, f->sk), 0);
	assert_int_equal(treehead_verify(&th, f->pk), 0);
}

static void
test_sign_and_verify_refuse_null(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 3, 1000);

	assert_int_equal(treehead_sign(NULL, f->sk), -1);
	assert_int_equal(treehead_sign(&th, NULL), -1);
	assert_int_equal(treehead_verify(NULL, f->pk), -1);
	assert_int_equal(treehead_verify(&th, NULL), -1);
}

/* Fetch the proof from ${a} to ${b} and check it with the heads. */
static int
consistent(
    struct fixture *f, const struct treehead *a, const struct treehead *b)
{
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n = 0;

	if (a->size > 0 && a->size < b->size)
		assert_int_equal(merkle_consistency_proof(&f->src, a->size,
				     b->size, proof, MERKLE_MAX_PROOF, &n),
		    0);
	return (treehead_check_consistency(a, b, proof, n));
}

static void
test_consistency_accepts_every_growth_of_the_log(void **state)
{
	struct fixture *f = *state;
	struct treehead a, b;
	uint64_t m, n;

	for (m = 0; m <= LEAVES; m++)
		for (n = m; n <= LEAVES; n++) {
			a = head(f, m, 1000 + m);
			b = head(f, n, 1000 + n);
			assert_int_equal(consistent(f, &a, &b), 0);
		}
}

static void
test_consistency_of_equal_sizes_needs_equal_roots(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 9, 1000), b = head(f, 9, 2000);

	/* Re-signed later, same tree: consistent. */
	assert_int_equal(treehead_check_consistency(&a, &b, NULL, 0), 0);
	/* Same size, another root: a fork. */
	b.root[0] ^= 1;
	assert_int_equal(treehead_sign(&b, f->sk), 0);
	assert_int_equal(treehead_check_consistency(&a, &b, NULL, 0), -1);
}

static void
test_consistency_of_equal_sizes_refuses_a_proof(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 9, 1000), b = head(f, 9, 1000);
	uint8_t proof[H];

	memcpy(proof, a.root, H);
	assert_int_equal(treehead_check_consistency(&a, &b, proof, 1), -1);
}

static void
test_consistency_refuses_smaller_new_size(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 10, 1000), b = head(f, 9, 2000);

	assert_int_equal(treehead_check_consistency(&a, &b, NULL, 0), -1);
	a = head(f, 1, 1000);
	b = head(f, 0, 2000);
	assert_int_equal(treehead_check_consistency(&a, &b, NULL, 0), -1);
}

static void
test_consistency_refuses_older_timestamp_with_larger_size(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 10, 2000), b = head(f, 20, 1999);

	assert_int_equal(consistent(f, &a, &b), -1);
	/* The same second is fine. */
	b = head(f, 20, 2000);
	assert_int_equal(consistent(f, &a, &b), 0);
	/* And from the empty tree too. */
	a = head(f, 0, 2000);
	b = head(f, 20, 1999);
	assert_int_equal(consistent(f, &a, &b), -1);
}

static void
test_consistency_refuses_different_instance(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 10, 1000), b = head(f, 20, 1000);

	b.instance_id[0] = 'x';
	assert_int_equal(treehead_sign(&b, f->sk), 0);
	assert_int_equal(consistent(f, &a, &b), -1);
	/* Even for the same tree. */
	b = head(f, 10, 1000);
	b.instance_id[0] = 'x';
	assert_int_equal(treehead_sign(&b, f->sk), 0);
	assert_int_equal(treehead_check_consistency(&a, &b, NULL, 0), -1);
}

static void
test_consistency_refuses_bad_proofs(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 11, 1000), b = head(f, 37, 1001);
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n, i;

	assert_int_equal(merkle_consistency_proof(
			     &f->src, 11, 37, proof, MERKLE_MAX_PROOF, &n),
	    0);
	assert_int_equal(treehead_check_consistency(&a, &b, proof, n), 0);
	for (i = 0; i < n * H; i++) {
		proof[i] ^= 0x04;
		assert_int_equal(
		    treehead_check_consistency(&a, &b, proof, n), -1);
		proof[i] ^= 0x04;
	}
	assert_int_equal(treehead_check_consistency(&a, &b, proof, n - 1), -1);
	assert_int_equal(treehead_check_consistency(&a, &b, NULL, 0), -1);
}

static void
test_consistency_refuses_a_forked_larger_head(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 11, 1000), b = head(f, 37, 1001), fork;
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n;

	assert_int_equal(merkle_consistency_proof(
			     &f->src, 11, 37, proof, MERKLE_MAX_PROOF, &n),
	    0);
	/* A head of the right size whose tree is not the old one's. */
	fork = b;
	fork.root[7] ^= 1;
	assert_int_equal(treehead_sign(&fork, f->sk), 0);
	assert_int_equal(treehead_check_consistency(&a, &fork, proof, n), -1);
	/* Nor is the old head allowed to change under the proof. */
	fork = a;
	fork.root[7] ^= 1;
	assert_int_equal(treehead_sign(&fork, f->sk), 0);
	assert_int_equal(treehead_check_consistency(&fork, &b, proof, n), -1);
}

static void
test_consistency_from_empty_tree_needs_the_empty_root(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 0, 1000), b = head(f, 5, 1000);
	uint8_t proof[H];

	assert_int_equal(treehead_check_consistency(&a, &b, NULL, 0), 0);
	memset(proof, 0, sizeof(proof));
	assert_int_equal(treehead_check_consistency(&a, &b, proof, 1), -1);
	a.root[0] ^= 1;
	assert_int_equal(treehead_sign(&a, f->sk), 0);
	assert_int_equal(treehead_check_consistency(&a, &b, NULL, 0), -1);
}

static void
test_consistency_refuses_null(void **state)
{
	struct fixture *f = *state;
	struct treehead a = head(f, 1, 1000);

	assert_int_equal(treehead_check_consistency(NULL, &a, NULL, 0), -1);
	assert_int_equal(treehead_check_consistency(&a, NULL, NULL, 0), -1);
}

/* Check leaf ${i} in the head ${th} with an honest proof. */
static int
included(struct fixture *f, const struct treehead *th, uint64_t i,
    const uint8_t *data, size_t len)
{
	uint8_t proof[MERKLE_MAX_PROOF * H];
	size_t n;

	assert_int_equal(merkle_inclusion_proof(
			     &f->src, i, th->size, proof, MERKLE_MAX_PROOF, &n),
	    0);
	return (treehead_check_inclusion(th, data, len, i, proof, n));
}

static void
test_inclusion_accepts_every_entry(void **state)
{
	struct fixture *f = *state;
	struct treehead th;
	uint8_t buf[16];
	uint64_t n, i;

	for (n = 1; n <= LEAVES; n++) {
		th = head(f, n, 1000);
		for (i = 0; i < n; i++)
			assert_int_equal(
			    included(f, &th, i, buf, leaf(buf, i)), 0);
	}
}

static void
test_inclusion_refuses_another_leaf_or_index(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 21, 1000);
	uint8_t buf[16], proof[MERKLE_MAX_PROOF * H];
	size_t len, n, i;

	len = leaf(buf, 6);
	buf[0] ^= 1;
	assert_int_equal(included(f, &th, 6, buf, len), -1);
	len = leaf(buf, 7);
	assert_int_equal(included(f, &th, 6, buf, len), -1);
	/* The right leaf, with the proof of another index. */
	assert_int_equal(
	    merkle_inclusion_proof(&f->src, 6, 21, proof, MERKLE_MAX_PROOF, &n),
	    0);
	len = leaf(buf, 6);
	assert_int_equal(
	    treehead_check_inclusion(&th, buf, len, 7, proof, n), -1);
	for (i = 0; i < n * H; i++) {
		proof[i] ^= 0x10;
		assert_int_equal(
		    treehead_check_inclusion(&th, buf, len, 6, proof, n), -1);
		proof[i] ^= 0x10;
	}
	assert_int_equal(
	    treehead_check_inclusion(&th, buf, len, 6, proof, n), 0);
}

static void
test_inclusion_refuses_index_not_below_size(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 4, 1000);
	uint8_t buf[16], proof[MERKLE_MAX_PROOF * H];
	size_t n;

	assert_int_equal(
	    merkle_inclusion_proof(&f->src, 3, 4, proof, MERKLE_MAX_PROOF, &n),
	    0);
	assert_int_equal(
	    treehead_check_inclusion(&th, buf, leaf(buf, 4), 4, proof, n), -1);
	th = head(f, 0, 1000);
	assert_int_equal(
	    treehead_check_inclusion(&th, buf, leaf(buf, 0), 0, NULL, 0), -1);
}

static void
test_inclusion_refuses_proof_for_another_size(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 30, 1000);
	uint8_t buf[16], proof[MERKLE_MAX_PROOF * H];
	size_t n;

	/* An honest proof in the tree of 29 does not fit the head of 30. */
	assert_int_equal(merkle_inclusion_proof(
			     &f->src, 28, 29, proof, MERKLE_MAX_PROOF, &n),
	    0);
	assert_int_equal(
	    treehead_check_inclusion(&th, buf, leaf(buf, 28), 28, proof, n),
	    -1);
}

static void
test_inclusion_of_single_entry_tree_needs_no_proof(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 1, 1000);
	uint8_t buf[16];

	assert_int_equal(
	    treehead_check_inclusion(&th, buf, leaf(buf, 0), 0, NULL, 0), 0);
	assert_int_equal(
	    treehead_check_inclusion(&th, buf, leaf(buf, 1), 0, NULL, 0), -1);
}

static void
test_inclusion_refuses_null(void **state)
{
	struct fixture *f = *state;
	struct treehead th = head(f, 2, 1000);
	uint8_t buf[16];

	assert_int_equal(
	    treehead_check_inclusion(NULL, buf, leaf(buf, 0), 0, buf, 0), -1);
	assert_int_equal(treehead_check_inclusion(&th, NULL, 3, 0, buf, 1), -1);
	assert_int_equal(
	    treehead_check_inclusion(&th, buf, leaf(buf, 0), 0, NULL, 1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signed_head_verifies),
	    cmocka_unit_test(
		test_signature_is_tagged_ed25519_over_the_statement),
	    cmocka_unit_test(test_verify_refuses_any_altered_field),
	    cmocka_unit_test(test_verify_refuses_another_key),
	    cmocka_unit_test(
		test_verify_refuses_a_shorter_instance_id_with_same_prefix),
	    cmocka_unit_test(test_sign_and_verify_refuse_size_beyond_max),
	    cmocka_unit_test(test_sign_refuses_invalid_instance_ids),
	    cmocka_unit_test(test_sign_and_verify_refuse_null),
	    cmocka_unit_test(test_consistency_accepts_every_growth_of_the_log),
	    cmocka_unit_test(test_consistency_of_equal_sizes_needs_equal_roots),
	    cmocka_unit_test(test_consistency_of_equal_sizes_refuses_a_proof),
	    cmocka_unit_test(test_consistency_refuses_smaller_new_size),
	    cmocka_unit_test(
		test_consistency_refuses_older_timestamp_with_larger_size),
	    cmocka_unit_test(test_consistency_refuses_different_instance),
	    cmocka_unit_test(test_consistency_refuses_bad_proofs),
	    cmocka_unit_test(test_consistency_refuses_a_forked_larger_head),
	    cmocka_unit_test(
		test_consistency_from_empty_tree_needs_the_empty_root),
	    cmocka_unit_test(test_consistency_refuses_null),
	    cmocka_unit_test(test_inclusion_accepts_every_entry),
	    cmocka_unit_test(test_inclusion_refuses_another_leaf_or_index),
	    cmocka_unit_test(test_inclusion_refuses_index_not_below_size),
	    cmocka_unit_test(test_inclusion_refuses_proof_for_another_size),
	    cmocka_unit_test(
		test_inclusion_of_single_entry_tree_needs_no_proof),
	    cmocka_unit_test(test_inclusion_refuses_null),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, setup, teardown));
}
