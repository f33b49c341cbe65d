/*
 * The Merkle tree (merkle.c) against published known answers.
 *
 * tests/vectors/merkle.json holds the test data of the Certificate
 * Transparency reference implementation as kept in
 * github.com/transparency-dev/merkle (testonly/constants.go,
 * testonly/reference_test.go and proof/verify_test.go; the same data is in
 * the certificate-transparency C++ merkle tree tests): eight leaves, every
 * perfect-subtree node hash, the roots of sizes 0..8, and inclusion and
 * consistency proofs.  Only the data was transcribed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "merkle.h"
#include "merkle_mem.h"

#define H MERKLE_HASH_BYTES
#define NLEAVES ((size_t)8)
#define MAX_CASES 16

struct proof_case {
	uint64_t a, b; /* index and size, or size1 and size2 */
	uint8_t path[MERKLE_MAX_PROOF * H];
	size_t n;
};

static struct {
	uint8_t leaf[NLEAVES][32];
	size_t leaf_len[NLEAVES];
	uint8_t nodes[4][NLEAVES][H]; /* nodes[k][i], i < 8 >> k */
	uint8_t roots[NLEAVES + 1][H];
	struct proof_case incl[MAX_CASES];
	size_t nincl;
	struct proof_case cons[MAX_CASES];
	size_t ncons;
} v;

static int
hex(const json_t *j, uint8_t *out, size_t max, size_t *len)
{
	const char *s = json_string_value(j);

	if (s == NULL)
		return (-1);
	return (sodium_hex2bin(out, max, s, strlen(s), NULL, len, NULL));
}

static int
hash(const json_t *j, uint8_t out[H])
{
	size_t len;

	if (hex(j, out, H, &len) != 0 || len != H)
		return (-1);
	return (0);
}

static int
load_cases(const json_t *arr, const char *ka, const char *kb,
    struct proof_case *cases, size_t *ncases)
{
	const json_t *c, *p;
	size_t i, j;

	if (!json_is_array(arr) || json_array_size(arr) > MAX_CASES)
		return (-1);
	json_array_foreach(arr, i, c)
	{
		if (!json_is_integer(json_object_get(c, ka)) ||
		    !json_is_integer(json_object_get(c, kb)))
			return (-1);
		cases[i].a =
		    (uint64_t)json_integer_value(json_object_get(c, ka));
		cases[i].b =
		    (uint64_t)json_integer_value(json_object_get(c, kb));
		p = json_object_get(c, "path");
		if (!json_is_array(p) || json_array_size(p) > MERKLE_MAX_PROOF)
			return (-1);
		cases[i].n = json_array_size(p);
		for (j = 0; j < cases[i].n; j++)
			if (hash(json_array_get(p, j), cases[i].path + j * H))
				return (-1);
	}
	*ncases = json_array_size(arr);
	return (0);
}

static int
group_setup(void **state)
{
	json_error_t jerr;
	json_t *root, *a, *level;
	size_t i, k;
	int rc = -1;

	(void)state;
	root = json_load_file(VECTORS_DIR "/merkle.json", 0, &jerr);
	if (root == NULL) {
		fprintf(stderr, "merkle.json: %s\n", jerr.text);
		return (-1);
	}
	a = json_object_get(root, "leaves");
	if (json_array_size(a) != NLEAVES)
		goto done;
	for (i = 0; i < NLEAVES; i++)
		if (hex(json_array_get(a, i), v.leaf[i], sizeof(v.leaf[i]),
			&v.leaf_len[i]) != 0)
			goto done;
	a = json_object_get(root, "nodes");
	if (json_array_size(a) != 4)
		goto done;
	for (k = 0; k < 4; k++) {
		level = json_array_get(a, k);
		if (json_array_size(level) != (NLEAVES >> k))
			goto done;
		for (i = 0; i < (NLEAVES >> k); i++)
			if (hash(json_array_get(level, i), v.nodes[k][i]) != 0)
				goto done;
	}
	a = json_object_get(root, "roots");
	if (json_array_size(a) != NLEAVES + 1)
		goto done;
	for (i = 0; i <= NLEAVES; i++)
		if (hash(json_array_get(a, i), v.roots[i]) != 0)
			goto done;
	if (load_cases(json_object_get(root, "inclusion"), "index", "size",
		v.incl, &v.nincl) != 0 ||
	    load_cases(json_object_get(root, "consistency"), "size1", "size2",
		v.cons, &v.ncons) != 0)
		goto done;
	rc = (v.nincl > 0 && v.ncons > 0) ? 0 : -1;
done:
	json_decref(root);
	return (rc);
}

/* A store holding the first n vector leaves. */
static struct merkle_mem *
store_of(size_t n)
{
	struct merkle_mem *m;
	size_t i;

	assert_non_null(m = merkle_mem_new(NLEAVES));
	for (i = 0; i < n; i++)
		assert_int_equal(
		    merkle_mem_append(m, v.leaf[i], v.leaf_len[i]), 0);
	return (m);
}

static void
test_leaf_hashes_match_vectors(void **state)
{
	uint8_t got[H];
	size_t i;

	(void)state;
	for (i = 0; i < NLEAVES; i++) {
		assert_int_equal(
		    merkle_leaf_hash(got, v.leaf[i], v.leaf_len[i]), 0);
		assert_memory_equal(got, v.nodes[0][i], H);
	}
}

static void
test_node_hashes_match_vectors(void **state)
{
	uint8_t got[H];
	size_t k, i;

	(void)state;
	for (k = 1; k < 4; k++) {
		for (i = 0; i < (NLEAVES >> k); i++) {
			assert_int_equal(
			    merkle_node_hash(got, v.nodes[k - 1][2 * i],
				v.nodes[k - 1][2 * i + 1]),
			    0);
			assert_memory_equal(got, v.nodes[k][i], H);
		}
	}
}

static void
test_empty_root_matches_vector(void **state)
{
	uint8_t got[H];

	(void)state;
	assert_int_equal(merkle_empty_root(got), 0);
	assert_memory_equal(got, v.roots[0], H);
}

static void
test_appends_complete_the_vector_nodes(void **state)
{
	struct merkle_node nodes[MERKLE_APPEND_MAX];
	struct merkle_mem *m;
	struct merkle_source src;
	uint8_t got[H];
	size_t size, n, i;

	(void)state;
	m = store_of(0);
	merkle_mem_source(m, &src);
	for (size = 0; size < NLEAVES; size++) {
		assert_int_equal(merkle_append_nodes(
				     &src, size, v.nodes[0][size], nodes, &n),
		    0);
		for (i = 0; i < n; i++) {
			assert_int_equal(nodes[i].level, i);
			assert_int_equal(nodes[i].index, size >> i);
			assert_memory_equal(
			    nodes[i].hash, v.nodes[i][size >> i], H);
		}
		assert_int_equal(
		    merkle_mem_append(m, v.leaf[size], v.leaf_len[size]), 0);
	}
	/* The store then holds every node of the vectors. */
	for (i = 0; i < 4; i++) {
		for (n = 0; n < (NLEAVES >> i); n++) {
			assert_int_equal(
			    src.node(src.ctx, (unsigned int)i, n, got), 0);
			assert_memory_equal(got, v.nodes[i][n], H);
		}
	}
	merkle_mem_free(m);
}

static void
test_roots_match_vectors_at_every_size(void **state)
{
	struct merkle_mem *all, *m;
	struct merkle_source src_all, src;
	uint8_t got[H];
	size_t size;

	(void)state;
	all = store_of(NLEAVES);
	merkle_mem_source(all, &src_all);
	for (size = 0; size <= NLEAVES; size++) {
		/* From the full tree at an earlier size... */
		assert_int_equal(merkle_root(&src_all, size, got), 0);
		assert_memory_equal(got, v.roots[size], H);
		/* ...and from a tree of exactly that size. */
		m = store_of(size);
		merkle_mem_source(m, &src);
		assert_int_equal(merkle_root(&src, size, got), 0);
		assert_memory_equal(got, v.roots[size], H);
		merkle_mem_free(m);
	}
	merkle_mem_free(all);
}

static void
test_inclusion_proofs_match_vectors(void **state)
{
	uint8_t got[MERKLE_MAX_PROOF * H];
	struct merkle_mem *m;
	struct merkle_source src;
	const struct proof_case *c;
	size_t i, n;

	(void)state;
	m = store_of(NLEAVES);
	merkle_mem_source(m, &src);
	for (i = 0; i < v.nincl; i++) {
		c = &v.incl[i];
		assert_int_equal(merkle_inclusion_proof(&src, c->a, c->b, got,
				     MERKLE_MAX_PROOF, &n),
		    0);
		assert_int_equal(n, c->n);
		assert_memory_equal(got, c->path, n * H);
	}
	merkle_mem_free(m);
}

static void
test_inclusion_vectors_verify(void **state)
{
	const struct proof_case *c;
	size_t i;

	(void)state;
	for (i = 0; i < v.nincl; i++) {
		c = &v.incl[i];
		assert_int_equal(merkle_inclusion_verify(v.nodes[0][c->a], c->a,
				     c->b, c->path, c->n, v.roots[c->b]),
		    0);
		/* The neighbouring leaf is not at that index. */
		assert_int_equal(
		    merkle_inclusion_verify(v.nodes[0][(c->a + 1) % NLEAVES],
			c->a, c->b, c->path, c->n, v.roots[c->b]),
		    -1);
	}
}

static void
test_consistency_proofs_match_vectors(void **state)
{
	uint8_t got[MERKLE_MAX_PROOF * H];
	struct merkle_mem *m;
	struct merkle_source src;
	const struct proof_case *c;
	size_t i, n;

	(void)state;
	m = store_of(NLEAVES);
	merkle_mem_source(m, &src);
	for (i = 0; i < v.ncons; i++) {
		c = &v.cons[i];
		assert_int_equal(merkle_consistency_proof(&src, c->a, c->b, got,
				     MERKLE_MAX_PROOF, &n),
		    0);
		assert_int_equal(n, c->n);
		assert_memory_equal(got, c->path, n * H);
	}
	merkle_mem_free(m);
}

static void
test_consistency_vectors_verify(void **state)
{
	const struct proof_case *c;
	size_t i;

	(void)state;
	for (i = 0; i < v.ncons; i++) {
		c = &v.cons[i];
		assert_int_equal(
		    merkle_consistency_verify(c->a, c->b, v.roots[c->a],
			v.roots[c->b], c->path, c->n),
		    0);
		/* Not against the root of another old size. */
		assert_int_equal(
		    merkle_consistency_verify(c->a, c->b, v.roots[c->a - 1],
			v.roots[c->b], c->path, c->n),
		    -1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_leaf_hashes_match_vectors),
	    cmocka_unit_test(test_node_hashes_match_vectors),
	    cmocka_unit_test(test_empty_root_matches_vector),
	    cmocka_unit_test(test_appends_complete_the_vector_nodes),
	    cmocka_unit_test(test_roots_match_vectors_at_every_size),
	    cmocka_unit_test(test_inclusion_proofs_match_vectors),
	    cmocka_unit_test(test_inclusion_vectors_verify),
	    cmocka_unit_test(test_consistency_proofs_match_vectors),
	    cmocka_unit_test(test_consistency_vectors_verify),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, group_setup, NULL));
}
