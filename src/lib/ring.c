#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "memo.h"
#include "ring.h"

/*
 * The scheme (docs/PROTOCOL.md, "Anonymous co-signatures"), for a ring
 * P_0 .. P_{n-1}, the signer at position p with secret x (P_p = x*G), memo
 * id m, binding b and tree size t:
 *
 *   D   = dhash("dissent/ring-digest/v1", u64 t || u32 n || P_0 || ...)
 *   Hp  = from_hash(BLAKE2b-64(u8 len || "dissent/ring-tag-base/v1" ||
 *         str m))
 *   I   = x * Hp
 *   c(L, R) = reduce(BLAKE2b-64(u8 len || "dissent/ring-challenge/v1" ||
 *         str m || D || b || I || L || R))
 *   k_j = reduce(BLAKE2b-64(key = seed, u8 len || "dissent/ring-nonce/v1" ||
 *         x || str m || D || b || u32 j)),  j = 0 .. n-1
 *
 * Signing: s_j = k_j for j != p; c_{p+1} = c(k_p*G, k_p*Hp); for the
 * others in ring order c_{i+1} = c(s_i*G + c_i*P_i, s_i*Hp + c_i*I);
 * finally s_p = k_p - c_p*x, so that the verifier's walk from c_0 around
 * the whole ring comes back to c_0.
 */
#define TAG_DIGEST "dissent/ring-digest/v1"
#define TAG_BASE "dissent/ring-tag-base/v1"
#define TAG_CHALLENGE "dissent/ring-challenge/v1"
#define TAG_NONCE "dissent/ring-nonce/v1"
#define TAG_WITHDRAWAL "dissent/ring-withdrawal/v1"

#define SC crypto_core_ristretto255_SCALARBYTES
#define PT crypto_core_ristretto255_BYTES
#define WIDE crypto_core_ristretto255_HASHBYTES

/* The group order L, little-endian. */
static const uint8_t group_order[SC] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63,
    0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x10};

/* The ChaCha20 stream ring_choose_subset_with_seed() draws from. */
struct drbg {
	uint8_t key[crypto_stream_chacha20_KEYBYTES];
	uint8_t buf[64];
	uint64_t block;
	size_t pos;
};

/* One eligible key and its index, for sorting. */
struct keyed {
	uint8_t pk[RING_PK_BYTES];
	size_t idx;
};

/*
 * Return 0 if the 32-byte little-endian ${s} is below L, else -1, by a
 * comparison whose time does not depend on ${s} (libsodium's own check is
 * not exported): from the top byte down, remember whether the first byte
 * that differs from L is smaller.
 */
static int
scalar_is_canonical(const uint8_t s[SC])
{
	unsigned int lt = 0, eq = 1;
	size_t i = SC;

	do {
		i--;
		lt |= (((unsigned int)s[i] - group_order[i]) >> 8) & eq;
		eq &= (((unsigned int)(s[i] ^ group_order[i])) - 1) >> 8;
	} while (i != 0);
	return (lt != 0 ? 0 : -1);
}

/* Copy ${src} to ${dst} (32 bytes) iff ${a} == ${b}, without branching. */
static void
cmov32(uint8_t dst[32], const uint8_t src[32], size_t a, size_t b)
{
	uint64_t d = (uint64_t)a ^ (uint64_t)b;
	uint8_t mask;
	size_t i;

	/* (d | -d) has its top bit set exactly when d != 0. */
	mask = (uint8_t)(((d | (0 - d)) >> 63) - 1);
	for (i = 0; i < 32; i++)
		dst[i] ^= (uint8_t)((dst[i] ^ src[i]) & mask);
}

/* Feed u8(len(tag)) || tag into ${st}. */
static void
hash_tag(crypto_generichash_state *st, const char *tag)
{
	uint8_t taglen = (uint8_t)strlen(tag);

	(void)crypto_generichash_update(st, &taglen, 1);
	(void)crypto_generichash_update(st, (const uint8_t *)tag, taglen);
}

/* Feed str(s) (u32 length, then the bytes) into ${st}. */
static void
hash_str(crypto_generichash_state *st, const char *s)
{
	size_t len = strlen(s);
	uint8_t be[4];

	be[0] = (uint8_t)(len >> 24);
	be[1] = (uint8_t)(len >> 16);
	be[2] = (uint8_t)(len >> 8);
	be[3] = (uint8_t)len;
	(void)crypto_generichash_update(st, be, sizeof(be));
	(void)crypto_generichash_update(st, (const uint8_t *)s, len);
}

/* Finish ${st} (a 64-byte BLAKE2b) into a scalar. */
static void
hash_final_scalar(uint8_t out[SC], crypto_generichash_state *st)
{
	uint8_t wide[WIDE];

	(void)crypto_generichash_final(st, wide, sizeof(wide));
	crypto_core_ristretto255_scalar_reduce(out, wide);
	sodium_memzero(wide, sizeof(wide));
}

/* Hp: the memo's base point for linking tags. */
static void
tag_base(uint8_t hp[PT], const char *memo_id)
{
	crypto_generichash_state st;
	uint8_t wide[WIDE];

	/* Constant valid lengths: the generichash calls cannot fail. */
	(void)crypto_generichash_init(&st, NULL, 0, sizeof(wide));
	hash_tag(&st, TAG_BASE);
	hash_str(&st, memo_id);
	(void)crypto_generichash_final(&st, wide, sizeof(wide));
	crypto_core_ristretto255_from_hash(hp, wide);
}

/* Return 0 if ${binding} has a known kind, else -1. */
static int
binding_check(const uint8_t binding[RING_BINDING_BYTES])
{

	if (binding == NULL)
		return (-1);
	if (binding[0] != RING_BIND_VERSION &&
	    binding[0] != RING_BIND_WITHDRAWAL)
		return (-1);
	return (0);
}

static int
pk_cmp(const void *a, const void *b)
{

	return (memcmp(a, b, RING_PK_BYTES));
}

/*
 * Return 0 if the ${n} keys of ${ring} are canonical ristretto255
 * encodings other than the identity and no two are equal, else -1.
 */
static int
ring_check(const uint8_t (*ring)[RING_PK_BYTES], size_t n)
{
	uint8_t(*sorted)[RING_PK_BYTES];
	size_t i;
	int rc = -1;

	if (ring == NULL || n < RING_MIN || n > RING_N_LIMIT)
		return (-1);
	for (i = 0; i < n; i++) {
		if (crypto_core_ristretto255_is_valid_point(ring[i]) != 1 ||
		    sodium_is_zero(ring[i], RING_PK_BYTES))
			return (-1);
	}

	/* Encodings are canonical: equal points have equal bytes. */
	if ((sorted = malloc(n * RING_PK_BYTES)) == NULL)
		return (-1);
	memcpy(sorted, ring, n * RING_PK_BYTES);
	qsort(sorted, n, RING_PK_BYTES, pk_cmp);
	for (i = 1; i < n; i++) {
		if (memcmp(sorted[i - 1], sorted[i], RING_PK_BYTES) == 0)
			goto done;
	}
	rc = 0;
done:
	free(sorted);
	return (rc);
}

/* The state of the challenge hash up to and including the tag I. */
static void
challenge_prefix(crypto_generichash_state *st, const char *memo_id,
    const uint8_t digest[RING_DIGEST_BYTES],
    const uint8_t binding[RING_BINDING_BYTES], const uint8_t tag[PT])
{

	(void)crypto_generichash_init(st, NULL, 0, WIDE);
	hash_tag(st, TAG_CHALLENGE);
	hash_str(st, memo_id);
	(void)crypto_generichash_update(st, digest, RING_DIGEST_BYTES);
	(void)crypto_generichash_update(st, binding, RING_BINDING_BYTES);
	(void)crypto_generichash_update(st, tag, PT);
}

/* c(L, R) from the prefix state. */
static void
challenge(uint8_t c[SC], const crypto_generichash_state *prefix,
    const uint8_t L[PT], const uint8_t R[PT])
{
	crypto_generichash_state st = *prefix;

	(void)crypto_generichash_update(&st, L, PT);
	(void)crypto_generichash_update(&st, R, PT);
	hash_final_scalar(c, &st);
}

/*
 * One link of the ring: ${next} = c(s*G + c*P, s*Hp + c*I).  Return 0, or
 * -1 if a product is the identity (libsodium refuses those; an honest
 * signature meets one with negligible probability).
 */
static int
ring_link(uint8_t next[SC], const crypto_generichash_state *prefix,
    const uint8_t s[SC], const uint8_t c[SC], const uint8_t P[PT],
    const uint8_t hp[PT], const uint8_t tag[PT])
{
	uint8_t a[PT], b[PT], L[PT], R[PT];

	if (crypto_scalarmult_ristretto255_base(a, s) != 0 ||
	    crypto_scalarmult_ristretto255(b, c, P) != 0 ||
	    crypto_core_ristretto255_add(L, a, b) != 0)
		return (-1);
	if (crypto_scalarmult_ristretto255(a, s, hp) != 0 ||
	    crypto_scalarmult_ristretto255(b, c, tag) != 0 ||
	    crypto_core_ristretto255_add(R, a, b) != 0)
		return (-1);
	challenge(next, prefix, L, R);
	return (0);
}

/**
 * ring_binding_version(out, version_hash):
 * The binding of a signature on the version whose hash is ${version_hash}:
 * u8(1) || version_hash.
 */
void
ring_binding_version(uint8_t out[RING_BINDING_BYTES],
    const uint8_t version_hash[RING_HASH_BYTES])
{

	out[0] = RING_BIND_VERSION;
	memcpy(out + 1, version_hash, RING_HASH_BYTES);
}

/**
 * ring_binding_withdrawal(out, version_hash, sig, siglen):
 * The binding of a withdrawal of the signature ${sig} (${siglen} bytes)
 * made on the version ${version_hash}: u8(2) ||
 * dhash("dissent/ring-withdrawal/v1", version_hash || sig).  Naming the
 * withdrawn signature keeps a withdrawal from being replayed against a
 * later signature with the same tag.  Return 0, or -1 if ${siglen} is not
 * RING_SIG_BYTES(n) for any RING_MIN <= n <= RING_N_LIMIT.
 */
int
ring_binding_withdrawal(uint8_t out[RING_BINDING_BYTES],
    const uint8_t version_hash[RING_HASH_BYTES], const uint8_t *sig,
    size_t siglen)
{
	crypto_generichash_state st;

	if (sig == NULL || siglen % SC != 0 ||
	    siglen < RING_SIG_BYTES(RING_MIN) || siglen > RING_SIG_BYTES_MAX) {
		memset(out, 0, RING_BINDING_BYTES);
		return (-1);
	}
	/* dhash() over a message assembled in pieces. */
	(void)crypto_generichash_init(&st, NULL, 0, RING_HASH_BYTES);
	hash_tag(&st, TAG_WITHDRAWAL);
	(void)crypto_generichash_update(&st, version_hash, RING_HASH_BYTES);
	(void)crypto_generichash_update(&st, sig, siglen);
	out[0] = RING_BIND_WITHDRAWAL;
	(void)crypto_generichash_final(&st, out + 1, RING_HASH_BYTES);
	return (0);
}

/**
 * ring_digest(digest, ring, n, tree_size):
 * The digest of the ring of ${n} public keys ${ring}, in that order, taken
 * from the directory at log tree size ${tree_size}:
 * dhash("dissent/ring-digest/v1", u64(tree_size) || u32(n) || ring[0] ||
 * ... || ring[n-1]).  Return 0, or -1 if ${n} is outside RING_MIN ..
 * RING_N_LIMIT.
 */
int
ring_digest(uint8_t digest[RING_DIGEST_BYTES],
    const uint8_t (*ring)[RING_PK_BYTES], size_t n, uint64_t tree_size)
{
	crypto_generichash_state st;
	uint8_t be[12];
	size_t i;

	if (ring == NULL || n < RING_MIN || n > RING_N_LIMIT) {
		memset(digest, 0, RING_DIGEST_BYTES);
		return (-1);
	}
	for (i = 0; i < 8; i++)
		be[i] = (uint8_t)(tree_size >> (56 - 8 * i));
	for (i = 0; i < 4; i++)
		be[8 + i] = (uint8_t)((uint32_t)n >> (24 - 8 * i));
	(void)crypto_generichash_init(&st, NULL, 0, RING_DIGEST_BYTES);
	hash_tag(&st, TAG_DIGEST);
	(void)crypto_generichash_update(&st, be, sizeof(be));
	(void)crypto_generichash_update(&st, ring[0], n * RING_PK_BYTES);
	(void)crypto_generichash_final(&st, digest, RING_DIGEST_BYTES);
	return (0);
}

/**
 * ring_tag(tag, sk, memo_id):
 * The linking tag of the ring secret key ${sk} on memo ${memo_id}: the one
 * every signature by ${sk} on that memo carries.  Return 0, or -1 if
 * ${memo_id} is not a memo id or ${sk} is not a canonical non-zero scalar.
 */
int
ring_tag(uint8_t tag[RING_TAG_BYTES], const uint8_t sk[RING_SK_BYTES],
    const char *memo_id)
{
	uint8_t hp[PT];

	if (!memo_id_valid(memo_id) || scalar_is_canonical(sk) != 0 ||
	    sodium_is_zero(sk, RING_SK_BYTES))
		goto err0;
	tag_base(hp, memo_id);
	if (crypto_scalarmult_ristretto255(tag, sk, hp) != 0)
		goto err0;
	return (0);

err0:
	memset(tag, 0, RING_TAG_BYTES);
	return (-1);
}

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
int
ring_sign(uint8_t *sig, size_t siglen, const uint8_t (*ring)[RING_PK_BYTES],
    size_t n, size_t signer, const uint8_t sk[RING_SK_BYTES],
    const char *memo_id, const uint8_t binding[RING_BINDING_BYTES],
    uint64_t tree_size)
{
	uint8_t seed[RING_SEED_BYTES];
	int rc;

	/*
	 * A fresh seed makes every signature unlinkable to the others by its
	 * scalars; the nonces also hash the key and message, so a failing
	 * random generator still never reuses a nonce across messages.
	 */
	randombytes_buf(seed, sizeof(seed));
	rc = ring_sign_with_seed(sig, siglen, ring, n, signer, sk, memo_id,
	    binding, tree_size, seed);
	sodium_memzero(seed, sizeof(seed));
	return (rc);
}

/**
 * ring_sign_with_seed(sig, siglen, ring, n, signer, sk, memo_id, binding,
 *     tree_size, seed):
 * As ring_sign(), with every random scalar derived from ${seed} (and the
 * secret key and message) instead of from a fresh random seed.  For
 * known-answer vectors and tests only: production code uses ring_sign().
 */
int
ring_sign_with_seed(uint8_t *sig, size_t siglen,
    const uint8_t (*ring)[RING_PK_BYTES], size_t n, size_t signer,
    const uint8_t sk[RING_SK_BYTES], const char *memo_id,
    const uint8_t binding[RING_BINDING_BYTES], uint64_t tree_size,
    const uint8_t seed[RING_SEED_BYTES])
{
	crypto_generichash_state nst, st, cst;
	uint8_t digest[RING_DIGEST_BYTES], hp[PT], pk[PT], mine[PT];
	uint8_t alpha[SC], k[SC], c[SC], next[SC], cx[SC], sp[SC];
	uint8_t L[PT], R[PT], jbe[4];
	uint8_t *c0, *s, *tag;
	size_t i, j;

	if (sig == NULL)
		return (-1);
	if (n < RING_MIN || n > RING_N_LIMIT || siglen != RING_SIG_BYTES(n))
		goto err0;
	c0 = sig;
	s = sig + SC;
	tag = sig + SC + n * SC;
	if (signer >= n || !memo_id_valid(memo_id) ||
	    binding_check(binding) != 0 || ring_check(ring, n) != 0)
		goto err0;

	/* The key must be the signer's: read every slot, keep one. */
	if (scalar_is_canonical(sk) != 0 || sodium_is_zero(sk, RING_SK_BYTES))
		goto err0;
	if (crypto_scalarmult_ristretto255_base(pk, sk) != 0)
		goto err0;
	memset(mine, 0, sizeof(mine));
	for (i = 0; i < n; i++)
		cmov32(mine, ring[i], i, signer);
	if (sodium_memcmp(pk, mine, PT) != 0)
		goto err0;

	if (ring_digest(digest, ring, n, tree_size) != 0)
		goto err0;
	tag_base(hp, memo_id);
	if (crypto_scalarmult_ristretto255(tag, sk, hp) != 0)
		goto err1;

	/* k_j for every position; s_j = k_j except at the signer's. */
	(void)crypto_generichash_init(&nst, seed, RING_SEED_BYTES, WIDE);
	hash_tag(&nst, TAG_NONCE);
	(void)crypto_generichash_update(&nst, sk, RING_SK_BYTES);
	hash_str(&nst, memo_id);
	(void)crypto_generichash_update(&nst, digest, sizeof(digest));
	(void)crypto_generichash_update(&nst, binding, RING_BINDING_BYTES);
	memset(alpha, 0, sizeof(alpha));
	for (j = 0; j < n; j++) {
		jbe[0] = (uint8_t)((uint32_t)j >> 24);
		jbe[1] = (uint8_t)((uint32_t)j >> 16);
		jbe[2] = (uint8_t)((uint32_t)j >> 8);
		jbe[3] = (uint8_t)j;
		st = nst;
		(void)crypto_generichash_update(&st, jbe, sizeof(jbe));
		hash_final_scalar(k, &st);
		memcpy(s + j * SC, k, SC);
		cmov32(alpha, k, j, signer);
	}

	/* The signer's link: c_{p+1} = c(alpha*G, alpha*Hp). */
	challenge_prefix(&cst, memo_id, digest, binding, tag);
	if (crypto_scalarmult_ristretto255_base(L, alpha) != 0 ||
	    crypto_scalarmult_ristretto255(R, alpha, hp) != 0)
		goto err1;
	challenge(c, &cst, L, R);

	/*
	 * Walk the rest of the ring from p+1; ${c} is c_i on entry to each
	 * step.  c_0 is kept by a branch-free copy at every step.
	 */
	memset(c0, 0, SC);
	for (j = 1; j <= n; j++) {
		i = (signer + j) % n;
		cmov32(c0, c, i, 0);
		if (j == n)
			break;
		if (ring_link(next, &cst, s + i * SC, c, ring[i], hp, tag) != 0)
			goto err1;
		memcpy(c, next, SC);
	}

	/* Close the ring: s_p = alpha - c_p * x, written branch-free. */
	crypto_core_ristretto255_scalar_mul(cx, c, sk);
	crypto_core_ristretto255_scalar_sub(sp, alpha, cx);
	for (j = 0; j < n; j++)
		cmov32(s + j * SC, sp, j, signer);

	sodium_memzero(&nst, sizeof(nst));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(alpha, sizeof(alpha));
	sodium_memzero(k, sizeof(k));
	sodium_memzero(cx, sizeof(cx));
	sodium_memzero(sp, sizeof(sp));
	return (0);

err1:
	sodium_memzero(&nst, sizeof(nst));
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(alpha, sizeof(alpha));
	sodium_memzero(k, sizeof(k));
	sodium_memzero(cx, sizeof(cx));
	sodium_memzero(sp, sizeof(sp));
err0:
	sodium_memzero(sig, siglen);
	return (-1);
}

/**
 * ring_sig_parse(sig, siglen, max, n, tag):
 * Check the form of the serialised signature ${sig} (${siglen} bytes):
 * its length is RING_SIG_BYTES(n) for some RING_MIN <= n <= ${max} (and
 * RING_N_LIMIT), every scalar is canonical, and the tag is a canonical
 * ristretto255 encoding other than the identity.  Store n in ${n} and the
 * tag in ${tag}.  Return 0, or -1 (nothing stored).  This does not verify
 * the signature.
 */
int
ring_sig_parse(const uint8_t *sig, size_t siglen, size_t max, size_t *n,
    uint8_t tag[RING_TAG_BYTES])
{
	const uint8_t *t;
	size_t m, i;

	if (sig == NULL || siglen % SC != 0 ||
	    siglen < RING_SIG_BYTES(RING_MIN))
		return (-1);
	m = siglen / SC - 2;
	if (m > max || m > RING_N_LIMIT)
		return (-1);

	/* c_0 and s_0 .. s_{m-1} are the first m + 1 scalars. */
	for (i = 0; i <= m; i++) {
		if (scalar_is_canonical(sig + i * SC) != 0)
			return (-1);
	}
	t = sig + (m + 1) * SC;
	if (crypto_core_ristretto255_is_valid_point(t) != 1 ||
	    sodium_is_zero(t, RING_TAG_BYTES))
		return (-1);
	*n = m;
	memcpy(tag, t, RING_TAG_BYTES);
	return (0);
}

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
int
ring_verify(const uint8_t *sig, size_t siglen,
    const uint8_t (*ring)[RING_PK_BYTES], size_t n, size_t max,
    const char *memo_id, const uint8_t binding[RING_BINDING_BYTES],
    uint64_t tree_size, const uint8_t digest[RING_DIGEST_BYTES])
{
	crypto_generichash_state cst;
	uint8_t d[RING_DIGEST_BYTES], hp[PT], tag[RING_TAG_BYTES];
	uint8_t c[SC], next[SC];
	const uint8_t *s;
	size_t m, i;

	if (n < RING_MIN || n > max || n > RING_N_LIMIT)
		return (-1);
	if (ring_sig_parse(sig, siglen, max, &m, tag) != 0 || m != n)
		return (-1);
	if (!memo_id_valid(memo_id) || binding_check(binding) != 0)
		return (-1);
	if (ring_check(ring, n) != 0)
		return (-1);
	if (ring_digest(d, ring, n, tree_size) != 0)
		return (-1);
	if (digest != NULL && crypto_verify_32(d, digest) != 0)
		return (-1);

	tag_base(hp, memo_id);
	challenge_prefix(&cst, memo_id, d, binding, tag);
	s = sig + SC;
	memcpy(c, sig, SC);
	for (i = 0; i < n; i++) {
		if (ring_link(next, &cst, s + i * SC, c, ring[i], hp, tag) != 0)
			return (-1);
		memcpy(c, next, SC);
	}
	/* The walk around the whole ring must come back to c_0. */
	if (crypto_verify_32(c, sig) != 0)
		return (-1);
	return (0);
}

/* Next 64 bits of the stream. */
static uint64_t
drbg_u64(struct drbg *g)
{
	static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES] = {0};
	uint64_t v = 0;
	size_t i;

	if (g->pos + 8 > sizeof(g->buf)) {
		memset(g->buf, 0, sizeof(g->buf));
		(void)crypto_stream_chacha20_xor_ic(
		    g->buf, g->buf, sizeof(g->buf), nonce, g->block, g->key);
		g->block++;
		g->pos = 0;
	}
	for (i = 0; i < 8; i++)
		v |= (uint64_t)g->buf[g->pos + i] << (8 * i);
	g->pos += 8;
	return (v);
}

/* A uniform integer below ${bound} (>= 1), by rejection. */
static uint64_t
drbg_below(struct drbg *g, uint64_t bound)
{
	/* 2^64 mod bound: values below it would bias the remainder. */
	uint64_t min = (0 - bound) % bound;
	uint64_t v;

	do {
		v = drbg_u64(g);
	} while (v < min);
	return (v % bound);
}

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	return (memcmp(x->pk, y->pk, RING_PK_BYTES));
}

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
int
ring_choose_subset(size_t *out, size_t *signer_pos,
    const uint8_t (*eligible)[RING_PK_BYTES], size_t n, size_t signer,
    size_t max)
{
	uint8_t seed[RING_SEED_BYTES];
	int rc;

	randombytes_buf(seed, sizeof(seed));
	rc = ring_choose_subset_with_seed(
	    out, signer_pos, eligible, n, signer, max, seed);
	sodium_memzero(seed, sizeof(seed));
	return (rc);
}

/**
 * ring_choose_subset_with_seed(out, signer_pos, eligible, n, signer, max,
 *     seed):
 * As ring_choose_subset(), drawing from a ChaCha20 stream under ${seed}
 * instead of the system's random generator: the same seed and eligible
 * list give the same ring.
 */
int
ring_choose_subset_with_seed(size_t *out, size_t *signer_pos,
    const uint8_t (*eligible)[RING_PK_BYTES], size_t n, size_t signer,
    size_t max, const uint8_t seed[RING_SEED_BYTES])
{
	struct drbg g;
	struct keyed *sorted = NULL;
	uint8_t *chosen = NULL;
	size_t *others = NULL;
	size_t i, j, o, m, tmp, pos = 0;
	int rc = -1;

	if (out == NULL || signer_pos == NULL || eligible == NULL)
		return (-1);
	if (n < RING_MIN || n > RING_ELIGIBLE_LIMIT || max < RING_MIN ||
	    max > RING_N_LIMIT || signer >= n)
		return (-1);
	m = n < max ? n : max;

	/* The eligible keys in canonical order, checked distinct. */
	if ((sorted = calloc(n, sizeof(*sorted))) == NULL)
		goto done;
	if ((chosen = calloc(n, 1)) == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		memcpy(sorted[i].pk, eligible[i], RING_PK_BYTES);
		sorted[i].idx = i;
	}
	qsort(sorted, n, sizeof(*sorted), keyed_cmp);
	for (i = 1; i < n; i++) {
		if (memcmp(sorted[i - 1].pk, sorted[i].pk, RING_PK_BYTES) == 0)
			goto done;
	}

	if (n <= max) {
		memset(chosen, 1, n);
	} else {
		/*
		 * A partial Fisher-Yates shuffle of the others: after step
		 * k, others[0..k] is a uniform (k+1)-subset, in uniform
		 * order, of everyone but the signer.
		 */
		if ((others = calloc(n - 1, sizeof(*others))) == NULL)
			goto done;
		for (i = 0, o = 0; i < n; i++) {
			if (i != signer)
				others[o++] = i;
		}
		memcpy(g.key, seed, sizeof(g.key));
		g.block = 0;
		g.pos = sizeof(g.buf);
		for (i = 0; i + 1 < m; i++) {
			j = i + (size_t)drbg_below(&g, (uint64_t)(n - 1 - i));
			tmp = others[i];
			others[i] = others[j];
			others[j] = tmp;
			chosen[others[i]] = 1;
		}
		chosen[signer] = 1;
		sodium_memzero(&g, sizeof(g));
	}

	for (i = 0, o = 0; i < n; i++) {
		if (!chosen[sorted[i].idx])
			continue;
		if (sorted[i].idx == signer)
			pos = o;
		out[o++] = sorted[i].idx;
	}
	*signer_pos = pos;
	rc = 0;

done:
	free(others);
	free(chosen);
	free(sorted);
	return (rc);
}
