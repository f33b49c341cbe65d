/*
 * Known-answer vectors of the linkable ring signatures
 * (tests/vectors/ring.json, made by tests/vectors/gen_vectors_ring.c):
 * member keys, tag bases, tags, digests, bindings and signatures are
 * recomputed from their inputs, every nonce and challenge is recomputed
 * here from the formulas of docs/PROTOCOL.md with libsodium alone, and every
 * invalid case is checked to be refused, so any altered value fails.  The
 * browser implementation is held to the same file.
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

#include "keys.h"
#include "ring.h"

/* Largest ring and signature in the file. */
#define NMAX 16
#define SIG_MAX (RING_SIG_BYTES(NMAX) + 1)
#define MEMBERS_MAX 16

static json_t *root;
static uint8_t member_sk[MEMBERS_MAX][32], member_pk[MEMBERS_MAX][32];
static size_t nmembers;

static json_t *
member(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		fail_msg("vector field \"%s\" missing", key);
	return (v);
}

static const char *
str_of(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_string(v));
	return (json_string_value(v));
}

static json_int_t
int_of(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_integer(v));
	assert_true(json_integer_value(v) >= 0);
	return (json_integer_value(v));
}

/* A non-empty array, so a file emptied of its cases fails. */
static json_t *
arr_of(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_array(v));
	assert_true(json_array_size(v) > 0);
	return (v);
}

/* Decode the lowercase hex string ${hex}; return its length. */
static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	char *again;
	size_t len;

	assert_true(strlen(hex) <= 2 * cap);
	assert_int_equal(
	    sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &len, NULL), 0);
	assert_int_equal(strlen(hex), 2 * len);
	assert_non_null(again = malloc(2 * len + 1));
	sodium_bin2hex(again, 2 * len + 1, out, len);
	assert_string_equal(again, hex);
	free(again);
	return (len);
}

static size_t
hex_of(const json_t *o, const char *key, uint8_t *out, size_t cap)
{

	return (unhex(str_of(o, key), out, cap));
}

static void
hex_exact(const json_t *o, const char *key, uint8_t *out, size_t n)
{

	assert_int_equal(hex_of(o, key, out, n), n);
}

/* The field ${key} must be exactly the lowercase hex of ${bin}. */
static void
assert_hex_field(
    const json_t *o, const char *key, const uint8_t *bin, size_t len)
{
	char *hex;

	assert_non_null(hex = malloc(2 * len + 1));
	sodium_bin2hex(hex, 2 * len + 1, bin, len);
	assert_string_equal(str_of(o, key), hex);
	free(hex);
}

/* The formulas, with libsodium alone. */

static void
raw_tag(crypto_generichash_state *st, const char *tag)
{
	uint8_t len = (uint8_t)strlen(tag);

	crypto_generichash_update(st, &len, 1);
	crypto_generichash_update(st, (const uint8_t *)tag, len);
}

static void
raw_u32(crypto_generichash_state *st, uint32_t v)
{
	uint8_t be[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v};

	crypto_generichash_update(st, be, 4);
}

static void
raw_str(crypto_generichash_state *st, const char *s)
{

	raw_u32(st, (uint32_t)strlen(s));
	crypto_generichash_update(st, (const uint8_t *)s, strlen(s));
}

static void
raw_base(uint8_t wide[64], uint8_t base[32], const char *memo_id)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, 64);
	raw_tag(&st, "dissent/ring-tag-base/v1");
	raw_str(&st, memo_id);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_from_hash(base, wide);
}

static void
raw_challenge(uint8_t c[32], const char *memo_id, const uint8_t d[32],
    const uint8_t b[33], const uint8_t tag[32], const uint8_t L[32],
    const uint8_t R[32])
{
	crypto_generichash_state st;
	uint8_t wide[64];

	crypto_generichash_init(&st, NULL, 0, 64);
	raw_tag(&st, "dissent/ring-challenge/v1");
	raw_str(&st, memo_id);
	crypto_generichash_update(&st, d, 32);
	crypto_generichash_update(&st, b, 33);
	crypto_generichash_update(&st, tag, 32);
	crypto_generichash_update(&st, L, 32);
	crypto_generichash_update(&st, R, 32);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_scalar_reduce(c, wide);
}

static void
raw_nonce(uint8_t k[32], const uint8_t seed[32], const uint8_t x[32],
    const char *memo_id, const uint8_t d[32], const uint8_t b[33], size_t j)
{
	crypto_generichash_state st;
	uint8_t wide[64];

	crypto_generichash_init(&st, seed, 32, 64);
	raw_tag(&st, "dissent/ring-nonce/v1");
	crypto_generichash_update(&st, x, 32);
	raw_str(&st, memo_id);
	crypto_generichash_update(&st, d, 32);
	crypto_generichash_update(&st, b, 33);
	raw_u32(&st, (uint32_t)j);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_scalar_reduce(k, wide);
}

/* Load the file and derive every member's keys from its seed. */
static int
setup(void **state)
{
	char path[4096];
	json_error_t err;
	struct keys_secret ks;
	uint8_t seed[KEYS_SEED_BYTES];
	json_t *arr, *m;
	size_t i;

	(void)state;
	if ((size_t)snprintf(path, sizeof(path), "%s/ring.json", VECTORS_DIR) >=
	    sizeof(path))
		return (-1);
	if ((root = json_load_file(path, JSON_REJECT_DUPLICATES, &err)) ==
	    NULL) {
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
		return (-1);
	}
	arr = json_object_get(root, "members");
	if (!json_is_array(arr) || json_array_size(arr) < 2 ||
	    json_array_size(arr) > MEMBERS_MAX)
		return (-1);
	json_array_foreach(arr, i, m)
	{
		const char *hex =
		    json_string_value(json_object_get(m, "seed_hex"));
		size_t len;

		if (hex == NULL ||
		    sodium_hex2bin(seed, sizeof(seed), hex, strlen(hex), NULL,
			&len, NULL) != 0 ||
		    len != sizeof(seed))
			return (-1);
		if (keys_derive(&ks, seed) != 0)
			return (-1);
		memcpy(member_sk[i], ks.ring_sk, 32);
		memcpy(member_pk[i], ks.pub.ring_pk, 32);
		keys_wipe(&ks);
	}
	nmembers = json_array_size(arr);
	return (0);
}

static int
teardown(void **state)
{

	(void)state;
	json_decref(root);
	sodium_memzero(member_sk, sizeof(member_sk));
	return (0);
}

static size_t
member_index(const json_t *v)
{
	json_int_t i;

	assert_true(json_is_integer(v));
	i = json_integer_value(v);
	assert_true(i >= 0 && (size_t)i < nmembers);
	return ((size_t)i);
}

static void
test_ring_vectors_members(void **state)
{
	json_t *m;
	size_t i;

	(void)state;
	json_array_foreach(arr_of(root, "members"), i, m)
	{
		assert_hex_field(m, "ring_sk_hex", member_sk[i], 32);
		assert_hex_field(m, "ring_pk_hex", member_pk[i], 32);
	}
}

static void
test_ring_vectors_tag_bases(void **state)
{
	uint8_t wide[64], base[32];
	json_t *c;
	size_t i;

	(void)state;
	json_array_foreach(arr_of(root, "tag_bases"), i, c)
	{
		raw_base(wide, base, str_of(c, "memo_id"));
		assert_hex_field(c, "hash_hex", wide, 64);
		assert_hex_field(c, "point_hex", base, 32);
	}
}

static void
test_ring_vectors_tags(void **state)
{
	uint8_t tag[32], wide[64], base[32], raw[32];
	const char *memo;
	json_t *c;
	size_t i, m;

	(void)state;
	json_array_foreach(arr_of(root, "tags"), i, c)
	{
		m = member_index(member(c, "member"));
		memo = str_of(c, "memo_id");
		assert_int_equal(ring_tag(tag, member_sk[m], memo), 0);
		assert_hex_field(c, "tag_hex", tag, 32);
		raw_base(wide, base, memo);
		assert_int_equal(
		    crypto_scalarmult_ristretto255(raw, member_sk[m], base), 0);
		assert_memory_equal(raw, tag, 32);
	}
}

/* The ring of member indices ${idx}; return its size. */
static size_t
ring_from_indices(uint8_t ring[NMAX][32], const json_t *idx)
{
	json_t *v;
	size_t i;

	assert_true(json_is_array(idx));
	assert_true(json_array_size(idx) >= 2 && json_array_size(idx) <= NMAX);
	json_array_foreach(idx, i, v)
	{
		memcpy(ring[i], member_pk[member_index(v)], 32);
	}
	return (json_array_size(idx));
}

/* The explicit ring keys ${arr}; return its size. */
static size_t
ring_from_hex(uint8_t ring[NMAX][32], const json_t *arr)
{
	json_t *v;
	size_t i;

	assert_true(json_is_array(arr));
	assert_true(json_array_size(arr) >= 1 && json_array_size(arr) <= NMAX);
	json_array_foreach(arr, i, v)
	{
		assert_true(json_is_string(v));
		assert_int_equal(unhex(json_string_value(v), ring[i], 32), 32);
	}
	return (json_array_size(arr));
}

static void
test_ring_vectors_digests(void **state)
{
	uint8_t ring[NMAX][32], d[32];
	json_t *c;
	size_t i, n;

	(void)state;
	json_array_foreach(arr_of(root, "digests"), i, c)
	{
		n = ring_from_indices(ring, member(c, "ring"));
		assert_int_equal(ring_digest(d, (const uint8_t(*)[32])ring, n,
				     (uint64_t)int_of(c, "tree_size")),
		    0);
		assert_hex_field(c, "digest_hex", d, 32);
	}
}

static void
test_ring_vectors_bindings(void **state)
{
	uint8_t vh[32], b[RING_BINDING_BYTES], sig[SIG_MAX];
	json_t *c, *first;
	size_t i, len, kinds = 0;

	(void)state;
	first = json_array_get(arr_of(root, "signatures"), 0);
	json_array_foreach(arr_of(root, "bindings"), i, c)
	{
		hex_exact(c, "version_hash_hex", vh, 32);
		switch (int_of(c, "kind")) {
		case RING_BIND_VERSION:
			ring_binding_version(b, vh);
			kinds |= 1;
			break;
		case RING_BIND_WITHDRAWAL:
			len = hex_of(c, "withdrawn_sig_hex", sig, sizeof(sig));
			/* It names the first signature of the file. */
			assert_string_equal(str_of(c, "withdrawn_sig_hex"),
			    str_of(first, "sig_hex"));
			assert_int_equal(
			    ring_binding_withdrawal(b, vh, sig, len), 0);
			kinds |= 2;
			break;
		default:
			fail_msg("unknown binding kind");
		}
		assert_hex_field(c, "binding_hex", b, sizeof(b));
	}
	assert_int_equal(kinds, 3);
}

/* Find the secret key of the member whose public key is ${pk}. */
static const uint8_t *
sk_of(const uint8_t pk[32])
{
	size_t i;

	for (i = 0; i < nmembers; i++)
		if (memcmp(member_pk[i], pk, 32) == 0)
			return (member_sk[i]);
	fail_msg("ring key of no member");
	return (NULL);
}

static void
check_signature(const json_t *c)
{
	uint8_t ring[NMAX][32], hexring[NMAX][32], sig[SIG_MAX], mine[SIG_MAX];
	uint8_t b[RING_BINDING_BYTES], seed[32], d[32], wide[64], base[32];
	uint8_t tag[32], k[32], cur[32], next[32], a[32], q[32], L[32], R[32];
	uint8_t cx[32], sum[32];
	const char *memo = str_of(c, "memo_id");
	uint64_t t = (uint64_t)int_of(c, "tree_size");
	const uint8_t *x, *s;
	json_t *nonces, *chal;
	size_t n, p, i, len;

	n = ring_from_indices(ring, member(c, "ring"));
	assert_int_equal(ring_from_hex(hexring, member(c, "ring_hex")), n);
	assert_memory_equal(ring, hexring, n * 32);
	p = (size_t)int_of(c, "signer");
	assert_true(p < n);
	x = sk_of(ring[p]);
	hex_exact(c, "binding_hex", b, sizeof(b));
	hex_exact(c, "seed_hex", seed, sizeof(seed));
	len = hex_of(c, "sig_hex", sig, sizeof(sig));
	assert_int_equal(len, RING_SIG_BYTES(n));
	s = sig + 32;

	/* The library: same bytes, and they verify against the digest. */
	assert_int_equal(
	    ring_sign_with_seed(mine, len, (const uint8_t(*)[32])ring, n, p, x,
		memo, b, t, seed),
	    0);
	assert_memory_equal(mine, sig, len);
	assert_int_equal(ring_digest(d, (const uint8_t(*)[32])ring, n, t), 0);
	assert_hex_field(c, "digest_hex", d, 32);
	assert_int_equal(ring_verify(sig, len, (const uint8_t(*)[32])ring, n,
			     RING_MAX_DEFAULT, memo, b, t, d),
	    0);

	/* Tag base and tag. */
	raw_base(wide, base, memo);
	assert_hex_field(c, "tag_base_hex", base, 32);
	assert_int_equal(ring_tag(tag, x, memo), 0);
	assert_hex_field(c, "tag_hex", tag, 32);
	assert_memory_equal(sig + len - 32, tag, 32);

	/* Nonces: every s_j but the signer's is k_j. */
	nonces = member(c, "nonces_hex");
	assert_true(json_is_array(nonces) && json_array_size(nonces) == n);
	for (i = 0; i < n; i++) {
		char hex[65];

		raw_nonce(k, seed, x, memo, d, b, i);
		sodium_bin2hex(hex, sizeof(hex), k, 32);
		assert_string_equal(
		    json_string_value(json_array_get(nonces, i)), hex);
		if (i != p)
			assert_memory_equal(s + 32 * i, k, 32);
	}

	/* Challenges: the verifier's walk from c_0, with libsodium alone. */
	chal = member(c, "challenges_hex");
	assert_true(json_is_array(chal) && json_array_size(chal) == n);
	memcpy(cur, sig, 32);
	for (i = 0; i < n; i++) {
		char hex[65];

		sodium_bin2hex(hex, sizeof(hex), cur, 32);
		assert_string_equal(
		    json_string_value(json_array_get(chal, i)), hex);
		if (i == p) {
			/* s_p + c_p * x = k_p closes the ring. */
			raw_nonce(k, seed, x, memo, d, b, p);
			crypto_core_ristretto255_scalar_mul(cx, cur, x);
			crypto_core_ristretto255_scalar_add(
			    sum, s + 32 * p, cx);
			assert_memory_equal(sum, k, 32);
		}
		assert_int_equal(
		    crypto_scalarmult_ristretto255_base(a, s + 32 * i), 0);
		assert_int_equal(
		    crypto_scalarmult_ristretto255(q, cur, ring[i]), 0);
		assert_int_equal(crypto_core_ristretto255_add(L, a, q), 0);
		assert_int_equal(
		    crypto_scalarmult_ristretto255(a, s + 32 * i, base), 0);
		assert_int_equal(
		    crypto_scalarmult_ristretto255(q, cur, tag), 0);
		assert_int_equal(crypto_core_ristretto255_add(R, a, q), 0);
		raw_challenge(next, memo, d, b, tag, L, R);
		memcpy(cur, next, 32);
	}
	assert_memory_equal(cur, sig, 32);
}

static void
test_ring_vectors_signatures(void **state)
{
	json_t *c;
	size_t i;

	(void)state;
	json_array_foreach(arr_of(root, "signatures"), i, c) check_signature(c);
}

static void
test_ring_vectors_withdrawal_keeps_the_tag(void **state)
{
	json_t *sigs = arr_of(root, "signatures"), *c;
	uint8_t b[RING_BINDING_BYTES];
	size_t i, found = 0;

	(void)state;
	/* The withdrawal carries the tag of the signature it withdraws. */
	json_array_foreach(sigs, i, c)
	{
		hex_exact(c, "binding_hex", b, sizeof(b));
		if (b[0] != RING_BIND_WITHDRAWAL)
			continue;
		assert_string_equal(str_of(c, "tag_hex"),
		    str_of(json_array_get(sigs, 0), "tag_hex"));
		found++;
	}
	assert_int_equal(found, 1);
}

static void
test_ring_vectors_invalid_refused(void **state)
{
	uint8_t ring[NMAX][32], sig[SIG_MAX], b[RING_BINDING_BYTES];
	json_t *c;
	size_t i, n, len;

	(void)state;
	json_array_foreach(arr_of(root, "invalid"), i, c)
	{
		(void)str_of(c, "reason");
		n = ring_from_hex(ring, member(c, "ring_hex"));
		hex_exact(c, "binding_hex", b, sizeof(b));
		len = hex_of(c, "sig_hex", sig, sizeof(sig));
		if (ring_verify(sig, len, (const uint8_t(*)[32])ring, n,
			(size_t)int_of(c, "max"), str_of(c, "memo_id"), b,
			(uint64_t)int_of(c, "tree_size"), NULL) == 0)
			fail_msg("accepted: %s", str_of(c, "reason"));
	}
	assert_true(json_array_size(member(root, "invalid")) >= 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ring_vectors_members),
	    cmocka_unit_test(test_ring_vectors_tag_bases),
	    cmocka_unit_test(test_ring_vectors_tags),
	    cmocka_unit_test(test_ring_vectors_digests),
	    cmocka_unit_test(test_ring_vectors_bindings),
	    cmocka_unit_test(test_ring_vectors_signatures),
	    cmocka_unit_test(test_ring_vectors_withdrawal_keeps_the_tag),
	    cmocka_unit_test(test_ring_vectors_invalid_refused),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, setup, teardown));
}
