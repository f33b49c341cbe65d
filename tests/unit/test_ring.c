/*
 * Linkable ring signatures (docs/PROTOCOL.md, "Anonymous co-signatures"):
 * round trips, linking tags, every refusal of ring_verify(), ring_sign()'s
 * own refusals, and the ring subset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "ring.h"

#define MEMO "d_00112233445566778899aabb"
#define MEMO2 "d_ffeeddccbbaa998877665544"
#define TREE 42
#define NMAX 128

/* L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t group_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63,
    0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x10};

/* A ring of members with known secret keys. */
struct members {
	size_t n;
	uint8_t sk[NMAX][RING_SK_BYTES];
	uint8_t pk[NMAX][RING_PK_BYTES];
};

static struct members M;

/* Version hashes of two versions of the memo. */
static uint8_t V1[RING_HASH_BYTES], V2[RING_HASH_BYTES];
static uint8_t B1[RING_BINDING_BYTES], B2[RING_BINDING_BYTES];

/* Member i of family ${salt}: a scalar from a hash, and its point. */
static void
member_keys(uint8_t sk[RING_SK_BYTES], uint8_t pk[RING_PK_BYTES], uint8_t salt,
    size_t i)
{
	uint8_t in[9], wide[64];
	size_t j;

	in[0] = salt;
	for (j = 0; j < 8; j++)
		in[1 + j] = (uint8_t)((uint64_t)i >> (8 * j));
	crypto_generichash(wide, sizeof(wide), in, sizeof(in), NULL, 0);
	crypto_core_ristretto255_scalar_reduce(sk, wide);
	assert_int_equal(crypto_scalarmult_ristretto255_base(pk, sk), 0);
}

static void
make_members(struct members *m, size_t n, uint8_t salt)
{
	size_t i;

	assert_true(n <= NMAX);
	m->n = n;
	for (i = 0; i < n; i++)
		member_keys(m->sk[i], m->pk[i], salt, i);
}

static int
setup(void **state)
{

	(void)state;
	memset(V1, 0x11, sizeof(V1));
	memset(V2, 0x22, sizeof(V2));
	ring_binding_version(B1, V1);
	ring_binding_version(B2, V2);
	return (0);
}

/* A malloc'd signature by member ${signer} of the first ${n} of M. */
static uint8_t *
sign_new(size_t n, size_t signer, const char *memo, const uint8_t *binding)
{
	uint8_t *sig;

	assert_non_null(sig = malloc(RING_SIG_BYTES(n)));
	assert_int_equal(
	    ring_sign(sig, RING_SIG_BYTES(n), (const uint8_t(*)[32])M.pk, n,
		signer, M.sk[signer], memo, binding, TREE),
	    0);
	return (sig);
}

static int
verify(const uint8_t *sig, size_t n, const char *memo, const uint8_t *binding)
{

	return (ring_verify(sig, RING_SIG_BYTES(n), (const uint8_t(*)[32])M.pk,
	    n, RING_MAX_DEFAULT, memo, binding, TREE, NULL));
}

/* Little-endian a + b into out (32 bytes); the sum must not overflow. */
static void
add_le(uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
	unsigned int carry = 0, v;
	size_t i;

	for (i = 0; i < 32; i++) {
		v = (unsigned int)a[i] + b[i] + carry;
		out[i] = (uint8_t)v;
		carry = v >> 8;
	}
	assert_int_equal(carry, 0);
}

/* u8(len(tag)) || tag into a BLAKE2b state. */
static void
raw_tag(crypto_generichash_state *st, const char *tag)
{
	uint8_t len = (uint8_t)strlen(tag);

	crypto_generichash_update(st, &len, 1);
	crypto_generichash_update(st, (const uint8_t *)tag, len);
}

static void
raw_str(crypto_generichash_state *st, const char *s)
{
	uint8_t be[4] = {0, 0, 0, (uint8_t)strlen(s)};

	crypto_generichash_update(st, be, 4);
	crypto_generichash_update(st, (const uint8_t *)s, strlen(s));
}

/*
 * A signature made straight from the formulas of docs/PROTOCOL.md with no
 * check of the ring at all, to build signatures that are mathematically
 * valid yet must be refused (a duplicate key, a ring of one).
 */
static void
raw_sign(uint8_t *sig, const uint8_t (*ring)[32], size_t n, size_t p,
    const uint8_t x[32], const char *memo, const uint8_t binding[33])
{
	crypto_generichash_state st, cst;
	uint8_t d[32], wide[64], hp[32], a[32], b[32], L[32], R[32];
	uint8_t alpha[32], c[32], cx[32];
	uint8_t be[12] = {0, 0, 0, 0, 0, 0, 0, TREE, 0, 0, 0, (uint8_t)n};
	uint8_t *tag = sig + 32 + 32 * n;
	size_t i, j;

	crypto_generichash_init(&st, NULL, 0, 32);
	raw_tag(&st, "dissent/ring-digest/v1");
	crypto_generichash_update(&st, be, sizeof(be));
	crypto_generichash_update(&st, ring[0], 32 * n);
	crypto_generichash_final(&st, d, 32);

	crypto_generichash_init(&st, NULL, 0, 64);
	raw_tag(&st, "dissent/ring-tag-base/v1");
	raw_str(&st, memo);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_from_hash(hp, wide);
	assert_int_equal(crypto_scalarmult_ristretto255(tag, x, hp), 0);

	crypto_generichash_init(&cst, NULL, 0, 64);
	raw_tag(&cst, "dissent/ring-challenge/v1");
	raw_str(&cst, memo);
	crypto_generichash_update(&cst, d, 32);
	crypto_generichash_update(&cst, binding, 33);
	crypto_generichash_update(&cst, tag, 32);

	crypto_core_ristretto255_scalar_random(alpha);
	for (i = 0; i < n; i++)
		crypto_core_ristretto255_scalar_random(sig + 32 + 32 * i);
	assert_int_equal(crypto_scalarmult_ristretto255_base(L, alpha), 0);
	assert_int_equal(crypto_scalarmult_ristretto255(R, alpha, hp), 0);
	for (j = 1; j <= n; j++) {
		st = cst;
		crypto_generichash_update(&st, L, 32);
		crypto_generichash_update(&st, R, 32);
		crypto_generichash_final(&st, wide, 64);
		crypto_core_ristretto255_scalar_reduce(c, wide);
		i = (p + j) % n;
		if (i == 0)
			memcpy(sig, c, 32);
		if (j == n)
			break;
		assert_int_equal(
		    crypto_scalarmult_ristretto255_base(a, sig + 32 + 32 * i),
		    0);
		assert_int_equal(
		    crypto_scalarmult_ristretto255(b, c, ring[i]), 0);
		crypto_core_ristretto255_add(L, a, b);
		assert_int_equal(
		    crypto_scalarmult_ristretto255(a, sig + 32 + 32 * i, hp),
		    0);
		assert_int_equal(crypto_scalarmult_ristretto255(b, c, tag), 0);
		crypto_core_ristretto255_add(R, a, b);
	}
	crypto_core_ristretto255_scalar_mul(cx, c, x);
	crypto_core_ristretto255_scalar_sub(sig + 32 + 32 * p, alpha, cx);
}

static void
round_trip(size_t n, size_t signer)
{
	uint8_t *sig;

	make_members(&M, n, 1);
	sig = sign_new(n, signer, MEMO, B1);
	assert_int_equal(verify(sig, n, MEMO, B1), 0);
	free(sig);
}

static void
test_ring_round_trip_size_2(void **state)
{

	(void)state;
	round_trip(2, 0);
	round_trip(2, 1);
}

static void
test_ring_round_trip_size_3_every_position(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		round_trip(3, i);
}

static void
test_ring_round_trip_size_16(void **state)
{

	(void)state;
	round_trip(16, 0);
	round_trip(16, 7);
	round_trip(16, 15);
}

static void
test_ring_round_trip_size_100(void **state)
{

	(void)state;
	round_trip(100, 57);
	round_trip(100, 99);
}

static void
test_ring_verify_checks_given_digest(void **state)
{
	uint8_t d[RING_DIGEST_BYTES], other[RING_DIGEST_BYTES];
	uint8_t *sig;

	(void)state;
	make_members(&M, 5, 1);
	sig = sign_new(5, 2, MEMO, B1);
	assert_int_equal(
	    ring_digest(d, (const uint8_t(*)[32])M.pk, 5, TREE), 0);
	assert_int_equal(
	    ring_verify(sig, RING_SIG_BYTES(5), (const uint8_t(*)[32])M.pk, 5,
		RING_MAX_DEFAULT, MEMO, B1, TREE, d),
	    0);
	/* The digest of the same keys at another tree size. */
	assert_int_equal(
	    ring_digest(other, (const uint8_t(*)[32])M.pk, 5, TREE + 1), 0);
	assert_memory_not_equal(d, other, sizeof(d));
	assert_int_equal(
	    ring_verify(sig, RING_SIG_BYTES(5), (const uint8_t(*)[32])M.pk, 5,
		RING_MAX_DEFAULT, MEMO, B1, TREE, other),
	    -1);
	free(sig);
}

static void
test_ring_verify_refuses_other_tree_size(void **state)
{
	uint8_t *sig;

	(void)state;
	make_members(&M, 4, 1);
	sig = sign_new(4, 1, MEMO, B1);
	assert_int_equal(
	    ring_verify(sig, RING_SIG_BYTES(4), (const uint8_t(*)[32])M.pk, 4,
		RING_MAX_DEFAULT, MEMO, B1, TREE + 1, NULL),
	    -1);
	free(sig);
}

static void
test_ring_digest_depends_on_order_and_size(void **state)
{
	uint8_t d1[32], d2[32], d3[32];
	uint8_t swapped[3][32];

	(void)state;
	make_members(&M, 3, 1);
	memcpy(swapped[0], M.pk[1], 32);
	memcpy(swapped[1], M.pk[0], 32);
	memcpy(swapped[2], M.pk[2], 32);
	assert_int_equal(ring_digest(d1, (const uint8_t(*)[32])M.pk, 3, 1), 0);
	assert_int_equal(
	    ring_digest(d2, (const uint8_t(*)[32])swapped, 3, 1), 0);
	assert_int_equal(ring_digest(d3, (const uint8_t(*)[32])M.pk, 2, 1), 0);
	assert_memory_not_equal(d1, d2, 32);
	assert_memory_not_equal(d1, d3, 32);
	assert_int_equal(ring_digest(d1, (const uint8_t(*)[32])M.pk, 1, 1), -1);
	assert_int_equal(
	    ring_digest(d1, (const uint8_t(*)[32])M.pk, RING_N_LIMIT + 1, 1),
	    -1);
}

static void
test_ring_tags_equal_for_one_signer_on_one_memo(void **state)
{
	uint8_t *a, *b, ta[32], tb[32], tk[32];
	size_t n;

	(void)state;
	make_members(&M, 8, 1);
	a = sign_new(8, 3, MEMO, B1);
	/* Another version, and another (smaller) ring: the same tag. */
	b = sign_new(5, 3, MEMO, B2);
	assert_int_equal(ring_sig_parse(a, RING_SIG_BYTES(8), 8, &n, ta), 0);
	assert_int_equal(n, 8);
	assert_int_equal(ring_sig_parse(b, RING_SIG_BYTES(5), 8, &n, tb), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(ta, tb, 32);
	assert_int_equal(ring_tag(tk, M.sk[3], MEMO), 0);
	assert_memory_equal(ta, tk, 32);
	/* Two signatures of the same thing still differ (random scalars). */
	free(b);
	b = sign_new(8, 3, MEMO, B1);
	assert_memory_not_equal(a, b, RING_SIG_BYTES(8) - 32);
	free(a);
	free(b);
}

static void
test_ring_tags_differ_across_memos_and_keys(void **state)
{
	uint8_t t1[32], t2[32], t3[32];

	(void)state;
	make_members(&M, 2, 1);
	assert_int_equal(ring_tag(t1, M.sk[0], MEMO), 0);
	assert_int_equal(ring_tag(t2, M.sk[0], MEMO2), 0);
	assert_int_equal(ring_tag(t3, M.sk[1], MEMO), 0);
	assert_memory_not_equal(t1, t2, 32);
	assert_memory_not_equal(t1, t3, 32);
	/* Neither is the public key. */
	assert_memory_not_equal(t1, M.pk[0], 32);
}

static void
test_ring_tag_refuses_bad_input(void **state)
{
	uint8_t t[32], zero[32] = {0};

	(void)state;
	make_members(&M, 1, 1);
	assert_int_equal(ring_tag(t, M.sk[0], "d_0011"), -1);
	assert_int_equal(ring_tag(t, M.sk[0], NULL), -1);
	assert_int_equal(ring_tag(t, zero, MEMO), -1);
	assert_int_equal(ring_tag(t, group_order, MEMO), -1);
}

static void
test_ring_verify_refuses_replay_to_other_memo(void **state)
{
	uint8_t *sig;

	(void)state;
	make_members(&M, 4, 1);
	sig = sign_new(4, 0, MEMO, B1);
	assert_int_equal(verify(sig, 4, MEMO2, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_replay_to_other_version(void **state)
{
	uint8_t *sig;

	(void)state;
	make_members(&M, 4, 1);
	sig = sign_new(4, 0, MEMO, B1);
	assert_int_equal(verify(sig, 4, MEMO, B2), -1);
	free(sig);
}

static void
test_ring_verify_refuses_signature_as_withdrawal(void **state)
{
	uint8_t w[RING_BINDING_BYTES];
	uint8_t *sig, *wsig;

	(void)state;
	make_members(&M, 4, 1);
	sig = sign_new(4, 2, MEMO, B1);
	assert_int_equal(
	    ring_binding_withdrawal(w, V1, sig, RING_SIG_BYTES(4)), 0);
	assert_int_equal(w[0], RING_BIND_WITHDRAWAL);
	assert_int_equal(verify(sig, 4, MEMO, w), -1);
	/* A real withdrawal verifies, but not as a signature. */
	wsig = sign_new(4, 2, MEMO, w);
	assert_int_equal(verify(wsig, 4, MEMO, w), 0);
	assert_int_equal(verify(wsig, 4, MEMO, B1), -1);
	free(sig);
	free(wsig);
}

static void
test_ring_withdrawal_binding_names_the_signature(void **state)
{
	uint8_t w1[RING_BINDING_BYTES], w2[RING_BINDING_BYTES];
	uint8_t w3[RING_BINDING_BYTES];
	uint8_t *a, *b;

	(void)state;
	make_members(&M, 3, 1);
	a = sign_new(3, 1, MEMO, B1);
	b = sign_new(3, 1, MEMO, B1);
	assert_int_equal(
	    ring_binding_withdrawal(w1, V1, a, RING_SIG_BYTES(3)), 0);
	assert_int_equal(
	    ring_binding_withdrawal(w2, V1, b, RING_SIG_BYTES(3)), 0);
	assert_int_equal(
	    ring_binding_withdrawal(w3, V2, a, RING_SIG_BYTES(3)), 0);
	assert_memory_not_equal(w1, w2, sizeof(w1));
	assert_memory_not_equal(w1, w3, sizeof(w1));
	/* Lengths that are no signature's. */
	assert_int_equal(
	    ring_binding_withdrawal(w1, V1, a, RING_SIG_BYTES(3) - 1), -1);
	assert_int_equal(
	    ring_binding_withdrawal(w1, V1, a, RING_SIG_BYTES(1)), -1);
	assert_int_equal(ring_binding_withdrawal(w1, V1, NULL, 0), -1);
	free(a);
	free(b);
}

static void
test_ring_verify_refuses_unknown_binding_kind(void **state)
{
	uint8_t bad[RING_BINDING_BYTES];
	uint8_t *sig;
	size_t n = 3;

	(void)state;
	make_members(&M, n, 1);
	memcpy(bad, B1, sizeof(bad));
	bad[0] = 0;
	assert_non_null(sig = malloc(RING_SIG_BYTES(n)));
	/* Mathematically valid for the unknown kind, yet refused. */
	raw_sign(sig, (const uint8_t(*)[32])M.pk, n, 0, M.sk[0], MEMO, bad);
	assert_int_equal(verify(sig, n, MEMO, bad), -1);
	bad[0] = 3;
	raw_sign(sig, (const uint8_t(*)[32])M.pk, n, 0, M.sk[0], MEMO, bad);
	assert_int_equal(verify(sig, n, MEMO, bad), -1);
	assert_int_equal(
	    ring_sign(sig, RING_SIG_BYTES(n), (const uint8_t(*)[32])M.pk, n, 0,
		M.sk[0], MEMO, bad, TREE),
	    -1);
	free(sig);
}

static void
test_ring_verify_refuses_malformed_memo_id(void **state)
{
	uint8_t *sig;

	(void)state;
	make_members(&M, 3, 1);
	sig = sign_new(3, 0, MEMO, B1);
	assert_int_equal(verify(sig, 3, "d_00112233445566778899AABB", B1), -1);
	assert_int_equal(verify(sig, 3, NULL, B1), -1);
	free(sig);
}

static void
test_ring_raw_signer_agrees_with_verify(void **state)
{
	uint8_t *sig;
	size_t n = 6;

	(void)state;
	/* So that the refusals below that use raw_sign() can fail. */
	make_members(&M, n, 1);
	assert_non_null(sig = malloc(RING_SIG_BYTES(n)));
	raw_sign(sig, (const uint8_t(*)[32])M.pk, n, 4, M.sk[4], MEMO, B1);
	assert_int_equal(verify(sig, n, MEMO, B1), 0);
	free(sig);
}

static void
test_ring_verify_refuses_every_changed_byte(void **state)
{
	uint8_t *sig;
	size_t i, n = 3;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 1, MEMO, B1);
	for (i = 0; i < RING_SIG_BYTES(n); i++) {
		sig[i] ^= 0x01;
		assert_int_equal(verify(sig, n, MEMO, B1), -1);
		sig[i] ^= 0x81;
		assert_int_equal(verify(sig, n, MEMO, B1), -1);
		sig[i] ^= 0x80;
	}
	assert_int_equal(verify(sig, n, MEMO, B1), 0);
	free(sig);
}

static void
test_ring_verify_refuses_wrong_length(void **state)
{
	uint8_t *sig;
	size_t n = 3;

	(void)state;
	make_members(&M, n + 1, 1);
	assert_non_null(sig = calloc(1, RING_SIG_BYTES(n + 1)));
	assert_int_equal(
	    ring_sign(sig, RING_SIG_BYTES(n), (const uint8_t(*)[32])M.pk, n, 0,
		M.sk[0], MEMO, B1, TREE),
	    0);
	assert_int_equal(
	    ring_verify(sig, RING_SIG_BYTES(n) - 1, (const uint8_t(*)[32])M.pk,
		n, RING_MAX_DEFAULT, MEMO, B1, TREE, NULL),
	    -1);
	assert_int_equal(
	    ring_verify(sig, RING_SIG_BYTES(n) + 32, (const uint8_t(*)[32])M.pk,
		n, RING_MAX_DEFAULT, MEMO, B1, TREE, NULL),
	    -1);
	/* The signature of a ring of 3 presented for a ring of 4. */
	assert_int_equal(verify(sig, n + 1, MEMO, B1), -1);
	assert_int_equal(verify(sig, n, MEMO, B1), 0);
	assert_int_equal(ring_verify(NULL, 0, (const uint8_t(*)[32])M.pk, n,
			     RING_MAX_DEFAULT, MEMO, B1, TREE, NULL),
	    -1);
	free(sig);
}

static void
test_ring_verify_refuses_scalar_plus_order(void **state)
{
	uint8_t *sig;
	size_t n = 3;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 0, MEMO, B1);
	/*
	 * s_1 + L is the same scalar mod L and gives the same points: only
	 * the canonical check refuses it.
	 */
	add_le(sig + 64, sig + 64, group_order);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_scalar_with_top_bit(void **state)
{
	uint8_t *sig;
	size_t n = 3;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 2, MEMO, B1);
	/* libsodium's scalar multiplication ignores bit 255. */
	sig[32 + 31] |= 0x80;
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_c0_plus_order(void **state)
{
	uint8_t *sig;
	size_t n = 3;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 1, MEMO, B1);
	add_le(sig, sig, group_order);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_identity_tag(void **state)
{
	uint8_t *sig;
	size_t m, n = 3;
	uint8_t t[32];

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 1, MEMO, B1);
	memset(sig + RING_SIG_BYTES(n) - 32, 0, 32);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	assert_int_equal(ring_sig_parse(sig, RING_SIG_BYTES(n), 8, &m, t), -1);
	free(sig);
}

static void
test_ring_verify_refuses_non_canonical_tag(void **state)
{
	static const uint8_t p_plus_0[32] = {0xed, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0x7f};
	uint8_t *sig, *tag;
	size_t n = 3;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 1, MEMO, B1);
	tag = sig + RING_SIG_BYTES(n) - 32;
	/* A "negative" field element (odd) is never a canonical encoding. */
	tag[0] |= 0x01;
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	/* p itself: the non-reduced encoding of zero. */
	memcpy(tag, p_plus_0, 32);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_tag_of_other_key(void **state)
{
	uint8_t *sig;
	size_t n = 4;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 1, MEMO, B1);
	assert_int_equal(
	    ring_tag(sig + RING_SIG_BYTES(n) - 32, M.sk[2], MEMO), 0);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_non_member_swapped_in(void **state)
{
	uint8_t sk[32], pk[32];
	uint8_t *sig;
	size_t n = 4;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 1, MEMO, B1);
	member_keys(sk, pk, 9, 0);
	memcpy(M.pk[3], pk, 32);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	/* Nor does swapping the signer's own key out work. */
	make_members(&M, n, 1);
	memcpy(M.pk[1], pk, 32);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_reordered_ring(void **state)
{
	uint8_t tmp[32];
	uint8_t *sig;
	size_t n = 4;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 1, MEMO, B1);
	memcpy(tmp, M.pk[0], 32);
	memcpy(M.pk[0], M.pk[2], 32);
	memcpy(M.pk[2], tmp, 32);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_duplicate_members(void **state)
{
	uint8_t *sig;
	size_t n = 4;

	(void)state;
	make_members(&M, n, 1);
	memcpy(M.pk[3], M.pk[1], 32);
	assert_non_null(sig = malloc(RING_SIG_BYTES(n)));
	/* Valid by the equations: the duplicate check alone refuses. */
	raw_sign(sig, (const uint8_t(*)[32])M.pk, n, 0, M.sk[0], MEMO, B1);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	/* Even when the signer is the duplicated key. */
	raw_sign(sig, (const uint8_t(*)[32])M.pk, n, 1, M.sk[1], MEMO, B1);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_ring_of_one(void **state)
{
	uint8_t sig[RING_SIG_BYTES(1)], t[32];
	size_t m;

	(void)state;
	make_members(&M, 1, 1);
	raw_sign(sig, (const uint8_t(*)[32])M.pk, 1, 0, M.sk[0], MEMO, B1);
	assert_int_equal(verify(sig, 1, MEMO, B1), -1);
	assert_int_equal(ring_sig_parse(sig, sizeof(sig), 8, &m, t), -1);
}

static void
test_ring_verify_refuses_ring_over_max(void **state)
{
	uint8_t *sig;
	size_t m, n = 5;
	uint8_t t[32];

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 4, MEMO, B1);
	assert_int_equal(
	    ring_verify(sig, RING_SIG_BYTES(n), (const uint8_t(*)[32])M.pk, n,
		4, MEMO, B1, TREE, NULL),
	    -1);
	assert_int_equal(
	    ring_verify(sig, RING_SIG_BYTES(n), (const uint8_t(*)[32])M.pk, n,
		5, MEMO, B1, TREE, NULL),
	    0);
	assert_int_equal(ring_sig_parse(sig, RING_SIG_BYTES(n), 4, &m, t), -1);
	free(sig);
}

static void
test_ring_verify_refuses_ring_over_limit(void **state)
{
	uint8_t *big, t[32];
	size_t m;

	(void)state;
	/* Refused before any key or scalar is read. */
	assert_non_null(big = calloc(1, RING_SIG_BYTES(RING_N_LIMIT + 1)));
	assert_int_equal(ring_sig_parse(big, RING_SIG_BYTES(RING_N_LIMIT + 1),
			     SIZE_MAX, &m, t),
	    -1);
	assert_int_equal(ring_verify(big, RING_SIG_BYTES(RING_N_LIMIT + 1),
			     (const uint8_t(*)[32])big, RING_N_LIMIT + 1,
			     SIZE_MAX, MEMO, B1, TREE, NULL),
	    -1);
	free(big);
}

static void
test_ring_verify_refuses_identity_ring_key(void **state)
{
	uint8_t *sig;
	size_t n = 3;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 0, MEMO, B1);
	memset(M.pk[2], 0, 32);
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_verify_refuses_non_canonical_ring_key(void **state)
{
	uint8_t *sig;
	size_t n = 3;

	(void)state;
	make_members(&M, n, 1);
	sig = sign_new(n, 0, MEMO, B1);
	M.pk[1][0] |= 0x01;
	assert_int_equal(verify(sig, n, MEMO, B1), -1);
	free(sig);
}

static void
test_ring_sig_parse_reads_size_and_tag(void **state)
{
	uint8_t *sig, t[32], tk[32];
	size_t m = 0;

	(void)state;
	make_members(&M, 7, 1);
	sig = sign_new(7, 6, MEMO, B1);
	assert_int_equal(ring_sig_parse(sig, RING_SIG_BYTES(7), 7, &m, t), 0);
	assert_int_equal(m, 7);
	assert_int_equal(ring_tag(tk, M.sk[6], MEMO), 0);
	assert_memory_equal(t, tk, 32);
	assert_int_equal(
	    ring_sig_parse(sig, RING_SIG_BYTES(7) - 1, 7, &m, t), -1);
	assert_int_equal(ring_sig_parse(sig, 0, 7, &m, t), -1);
	assert_int_equal(ring_sig_parse(NULL, 96, 7, &m, t), -1);
	free(sig);
}

static void
test_ring_sign_refuses_wrong_key_for_position(void **state)
{
	uint8_t sig[RING_SIG_BYTES(4)];

	(void)state;
	make_members(&M, 4, 1);
	memset(sig, 0xaa, sizeof(sig));
	assert_int_equal(ring_sign(sig, sizeof(sig), (const uint8_t(*)[32])M.pk,
			     4, 1, M.sk[2], MEMO, B1, TREE),
	    -1);
	/* Nothing usable is left behind. */
	assert_true(sodium_is_zero(sig, sizeof(sig)));
}

static void
test_ring_sign_refuses_bad_arguments(void **state)
{
	uint8_t sig[RING_SIG_BYTES(4)];
	uint8_t zero[32] = {0};
	const uint8_t(*ring)[32] = (const uint8_t(*)[32])M.pk;

	(void)state;
	make_members(&M, 4, 1);
	assert_int_equal(
	    ring_sign(sig, sizeof(sig), ring, 4, 4, M.sk[0], MEMO, B1, TREE),
	    -1);
	assert_int_equal(ring_sign(sig, sizeof(sig) - 32, ring, 4, 0, M.sk[0],
			     MEMO, B1, TREE),
	    -1);
	assert_int_equal(ring_sign(sig, RING_SIG_BYTES(1), ring, 1, 0, M.sk[0],
			     MEMO, B1, TREE),
	    -1);
	assert_int_equal(
	    ring_sign(sig, sizeof(sig), ring, 4, 0, M.sk[0], "d_1", B1, TREE),
	    -1);
	assert_int_equal(
	    ring_sign(sig, sizeof(sig), ring, 4, 0, zero, MEMO, B1, TREE), -1);
	assert_int_equal(ring_sign(sig, sizeof(sig), ring, 4, 0, group_order,
			     MEMO, B1, TREE),
	    -1);
	assert_int_equal(
	    ring_sign(NULL, sizeof(sig), ring, 4, 0, M.sk[0], MEMO, B1, TREE),
	    -1);
	/* And a good call with the same ring works. */
	assert_int_equal(
	    ring_sign(sig, sizeof(sig), ring, 4, 0, M.sk[0], MEMO, B1, TREE),
	    0);
}

static void
test_ring_sign_refuses_duplicate_ring(void **state)
{
	uint8_t sig[RING_SIG_BYTES(4)];

	(void)state;
	make_members(&M, 4, 1);
	memcpy(M.pk[2], M.pk[3], 32);
	assert_int_equal(ring_sign(sig, sizeof(sig), (const uint8_t(*)[32])M.pk,
			     4, 0, M.sk[0], MEMO, B1, TREE),
	    -1);
}

static void
test_ring_sign_with_seed_is_deterministic(void **state)
{
	uint8_t a[RING_SIG_BYTES(5)], b[RING_SIG_BYTES(5)];
	uint8_t c[RING_SIG_BYTES(5)], seed[32];
	const uint8_t(*ring)[32] = (const uint8_t(*)[32])M.pk;

	(void)state;
	make_members(&M, 5, 1);
	memset(seed, 7, sizeof(seed));
	assert_int_equal(ring_sign_with_seed(a, sizeof(a), ring, 5, 2, M.sk[2],
			     MEMO, B1, TREE, seed),
	    0);
	assert_int_equal(ring_sign_with_seed(b, sizeof(b), ring, 5, 2, M.sk[2],
			     MEMO, B1, TREE, seed),
	    0);
	assert_memory_equal(a, b, sizeof(a));
	seed[0] ^= 1;
	assert_int_equal(ring_sign_with_seed(c, sizeof(c), ring, 5, 2, M.sk[2],
			     MEMO, B1, TREE, seed),
	    0);
	assert_memory_not_equal(a, c, sizeof(a) - 32);
	assert_memory_equal(a + sizeof(a) - 32, c + sizeof(c) - 32, 32);
	assert_int_equal(verify(a, 5, MEMO, B1), 0);
	assert_int_equal(verify(c, 5, MEMO, B1), 0);
}

/* Check the shape of a chosen ring: size, signer, order, distinctness. */
static void
check_subset(const size_t *out, size_t m, size_t pos, size_t signer,
    const uint8_t (*pks)[32], size_t n)
{
	size_t i;

	assert_true(pos < m);
	assert_int_equal(out[pos], signer);
	for (i = 0; i < m; i++) {
		assert_true(out[i] < n);
		/* Strictly increasing keys: sorted, and no index twice. */
		if (i > 0)
			assert_true(
			    memcmp(pks[out[i - 1]], pks[out[i]], 32) < 0);
	}
}

static void
test_ring_subset_is_whole_set_up_to_max(void **state)
{
	size_t out[10], pos;

	(void)state;
	make_members(&M, 10, 2);
	assert_int_equal(ring_choose_subset(
			     out, &pos, (const uint8_t(*)[32])M.pk, 10, 4, 10),
	    0);
	check_subset(out, 10, pos, 4, (const uint8_t(*)[32])M.pk, 10);
	assert_int_equal(ring_choose_subset(out, &pos,
			     (const uint8_t(*)[32])M.pk, 10, 9, 1024),
	    0);
	check_subset(out, 10, pos, 9, (const uint8_t(*)[32])M.pk, 10);
}

static void
test_ring_subset_has_max_members_with_signer(void **state)
{
	size_t out[16], pos, i;

	(void)state;
	make_members(&M, 100, 2);
	for (i = 0; i < 50; i++) {
		assert_int_equal(ring_choose_subset(out, &pos,
				     (const uint8_t(*)[32])M.pk, 100, i, 16),
		    0);
		check_subset(out, 16, pos, i, (const uint8_t(*)[32])M.pk, 100);
	}
}

static void
test_ring_subset_with_seed_is_deterministic(void **state)
{
	size_t a[8], b[8], c[8], pa, pb, pc;
	uint8_t seed[32] = {1};
	const uint8_t(*pks)[32] = (const uint8_t(*)[32])M.pk;

	(void)state;
	make_members(&M, 60, 2);
	assert_int_equal(
	    ring_choose_subset_with_seed(a, &pa, pks, 60, 3, 8, seed), 0);
	assert_int_equal(
	    ring_choose_subset_with_seed(b, &pb, pks, 60, 3, 8, seed), 0);
	assert_memory_equal(a, b, sizeof(a));
	assert_int_equal(pa, pb);
	seed[0] = 2;
	assert_int_equal(
	    ring_choose_subset_with_seed(c, &pc, pks, 60, 3, 8, seed), 0);
	assert_memory_not_equal(a, c, sizeof(a));
	check_subset(c, 8, pc, 3, pks, 60);
}

/* The member whose key is the median of the first ${n} of ${pks}. */
static size_t
middle_key(const uint8_t (*pks)[32], size_t n)
{
	size_t i, j, rank;

	for (i = 0; i < n; i++) {
		for (rank = 0, j = 0; j < n; j++)
			rank += memcmp(pks[j], pks[i], 32) < 0;
		if (rank == n / 2)
			return (i);
	}
	fail_msg("no median key");
	return (0);
}

static void
test_ring_subset_uses_every_member_and_position(void **state)
{
	enum { N = 40, MAX = 8, DRAWS = 3000 };
	size_t count[N] = {0}, at[MAX] = {0};
	size_t out[MAX], pos, i, j, signer;
	uint8_t seed[32] = {0};
	const uint8_t(*pks)[32] = (const uint8_t(*)[32])M.pk;
	double expect = (double)DRAWS * (MAX - 1) / (N - 1);

	(void)state;
	make_members(&M, N, 2);
	/* A signer whose key is in the middle, so that every place is open. */
	signer = middle_key(pks, N);
	for (i = 0; i < DRAWS; i++) {
		memcpy(seed, &i, sizeof(i));
		assert_int_equal(ring_choose_subset_with_seed(
				     out, &pos, pks, N, signer, MAX, seed),
		    0);
		check_subset(out, MAX, pos, signer, pks, N);
		for (j = 0; j < MAX; j++)
			count[out[j]]++;
		at[pos]++;
	}
	assert_int_equal(count[signer], DRAWS);
	/* Each other member: about 538 times, sd about 21; allow 6 sd. */
	for (j = 0; j < N; j++) {
		if (j == signer)
			continue;
		assert_true(count[j] > expect - 130 && count[j] < expect + 130);
	}
	for (j = 0; j < MAX; j++)
		assert_true(at[j] > 0);
}

static void
test_ring_subset_refuses_bad_arguments(void **state)
{
	size_t out[8], pos;
	const uint8_t(*pks)[32] = (const uint8_t(*)[32])M.pk;

	(void)state;
	make_members(&M, 20, 2);
	assert_int_equal(ring_choose_subset(out, &pos, pks, 1, 0, 8), -1);
	assert_int_equal(ring_choose_subset(out, &pos, pks, 20, 20, 8), -1);
	assert_int_equal(ring_choose_subset(out, &pos, pks, 20, 0, 1), -1);
	assert_int_equal(
	    ring_choose_subset(out, &pos, pks, 20, 0, RING_N_LIMIT + 1), -1);
	assert_int_equal(ring_choose_subset(NULL, &pos, pks, 20, 0, 8), -1);
	memcpy(M.pk[17], M.pk[5], 32);
	assert_int_equal(ring_choose_subset(out, &pos, pks, 20, 0, 8), -1);
}

static void
test_ring_subset_ring_signs_and_verifies(void **state)
{
	size_t out[16], pos, i;
	uint8_t ring[16][32];
	uint8_t sig[RING_SIG_BYTES(16)];

	(void)state;
	make_members(&M, 100, 3);
	assert_int_equal(ring_choose_subset(out, &pos,
			     (const uint8_t(*)[32])M.pk, 100, 61, 16),
	    0);
	for (i = 0; i < 16; i++)
		memcpy(ring[i], M.pk[out[i]], 32);
	assert_int_equal(ring_sign(sig, sizeof(sig), (const uint8_t(*)[32])ring,
			     16, pos, M.sk[61], MEMO, B1, TREE),
	    0);
	assert_int_equal(
	    ring_verify(sig, sizeof(sig), (const uint8_t(*)[32])ring, 16,
		RING_MAX_DEFAULT, MEMO, B1, TREE, NULL),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ring_round_trip_size_2),
	    cmocka_unit_test(test_ring_round_trip_size_3_every_position),
	    cmocka_unit_test(test_ring_round_trip_size_16),
	    cmocka_unit_test(test_ring_round_trip_size_100),
	    cmocka_unit_test(test_ring_verify_checks_given_digest),
	    cmocka_unit_test(test_ring_verify_refuses_other_tree_size),
	    cmocka_unit_test(test_ring_digest_depends_on_order_and_size),
	    cmocka_unit_test(test_ring_tags_equal_for_one_signer_on_one_memo),
	    cmocka_unit_test(test_ring_tags_differ_across_memos_and_keys),
	    cmocka_unit_test(test_ring_tag_refuses_bad_input),
	    cmocka_unit_test(test_ring_verify_refuses_replay_to_other_memo),
	    cmocka_unit_test(test_ring_verify_refuses_replay_to_other_version),
	    cmocka_unit_test(test_ring_verify_refuses_signature_as_withdrawal),
	    cmocka_unit_test(test_ring_withdrawal_binding_names_the_signature),
	    cmocka_unit_test(test_ring_verify_refuses_unknown_binding_kind),
	    cmocka_unit_test(test_ring_verify_refuses_malformed_memo_id),
	    cmocka_unit_test(test_ring_raw_signer_agrees_with_verify),
	    cmocka_unit_test(test_ring_verify_refuses_every_changed_byte),
	    cmocka_unit_test(test_ring_verify_refuses_wrong_length),
	    cmocka_unit_test(test_ring_verify_refuses_scalar_plus_order),
	    cmocka_unit_test(test_ring_verify_refuses_scalar_with_top_bit),
	    cmocka_unit_test(test_ring_verify_refuses_c0_plus_order),
	    cmocka_unit_test(test_ring_verify_refuses_identity_tag),
	    cmocka_unit_test(test_ring_verify_refuses_non_canonical_tag),
	    cmocka_unit_test(test_ring_verify_refuses_tag_of_other_key),
	    cmocka_unit_test(test_ring_verify_refuses_non_member_swapped_in),
	    cmocka_unit_test(test_ring_verify_refuses_reordered_ring),
	    cmocka_unit_test(test_ring_verify_refuses_duplicate_members),
	    cmocka_unit_test(test_ring_verify_refuses_ring_of_one),
	    cmocka_unit_test(test_ring_verify_refuses_ring_over_max),
	    cmocka_unit_test(test_ring_verify_refuses_ring_over_limit),
	    cmocka_unit_test(test_ring_verify_refuses_identity_ring_key),
	    cmocka_unit_test(test_ring_verify_refuses_non_canonical_ring_key),
	    cmocka_unit_test(test_ring_sig_parse_reads_size_and_tag),
	    cmocka_unit_test(test_ring_sign_refuses_wrong_key_for_position),
	    cmocka_unit_test(test_ring_sign_refuses_bad_arguments),
	    cmocka_unit_test(test_ring_sign_refuses_duplicate_ring),
	    cmocka_unit_test(test_ring_sign_with_seed_is_deterministic),
	    cmocka_unit_test(test_ring_subset_is_whole_set_up_to_max),
	    cmocka_unit_test(test_ring_subset_has_max_members_with_signer),
	    cmocka_unit_test(test_ring_subset_with_seed_is_deterministic),
	    cmocka_unit_test(test_ring_subset_uses_every_member_and_position),
	    cmocka_unit_test(test_ring_subset_refuses_bad_arguments),
	    cmocka_unit_test(test_ring_subset_ring_signs_and_verifies),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, setup, NULL));
}
