#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "binenc.h"
#include "dhash.h"
#include "keys.h"

/*
 * Key derivation (docs/PROTOCOL.md, "Member keys"): crypto_kdf (BLAKE2b)
 * subkeys of the seed under one context, one subkey id per key.
 */
#define KDF_CONTEXT "dsmember"
#define SUBKEY_SIGN 1
#define SUBKEY_BOX 2
#define SUBKEY_RING 3

/* Domain tags (docs/PROTOCOL.md, "Domain tags"). */
#define TAG_POP "dissent/key-pop/v1"
#define TAG_POP_RING "dissent/key-pop-ring/v1"
#define TAG_POP_NONCE "dissent/key-pop-nonce/v1"
#define TAG_ROTATION "dissent/key-rotation/v1"
#define TAG_FINGERPRINT "dissent/key-fingerprint/v1"

/* Longest tag keys_sign() accepts: the same bound as dhash(). */
#define SIGN_TAG_MAX DHASH_TAG_MAX

/* member id (u32 + bytes), epoch (u32), three 32-byte keys. */
#define TRANSCRIPT_MAX (4 + KEYS_MEMBER_ID_MAX + 4 + 3 * 32)

/* Messages up to this size are prefixed on the stack, not the heap. */
#define SIGN_STACK_MAX 1024

/* Bytes of the fingerprint shown (as 40 hex digits). */
#define FINGERPRINT_BYTES 20

/**
 * keys_seed_new(seed):
 * Fill ${seed} with KEYS_SEED_BYTES random bytes.
 */
void
keys_seed_new(uint8_t seed[KEYS_SEED_BYTES])
{

	randombytes_buf(seed, KEYS_SEED_BYTES);
}

/**
 * keys_derive(ks, seed):
 * Derive every key of ${ks} from ${seed}.  Return 0, or -1 on failure (in
 * which case ${ks} is wiped).
 */
int
keys_derive(struct keys_secret *ks, const uint8_t seed[KEYS_SEED_BYTES])
{
	uint8_t sign_seed[crypto_sign_SEEDBYTES];
	uint8_t wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];

	/* Ed25519: the subkey is the RFC 8032 secret key (seed). */
	if (crypto_kdf_derive_from_key(sign_seed, sizeof(sign_seed),
		SUBKEY_SIGN, KDF_CONTEXT, seed) != 0)
		goto err0;
	if (crypto_sign_seed_keypair(ks->pub.sign_pk, ks->sign_sk, sign_seed) !=
	    0)
		goto err0;

	/* X25519: the subkey is the scalar, clamped by X25519 itself. */
	if (crypto_kdf_derive_from_key(ks->box_sk, KEYS_BOX_SK_BYTES,
		SUBKEY_BOX, KDF_CONTEXT, seed) != 0)
		goto err0;
	if (crypto_scalarmult_base(ks->pub.box_pk, ks->box_sk) != 0)
		goto err0;

	/*
	 * ristretto255: 64 bytes reduced mod L give a scalar with negligible
	 * bias.  A zero scalar (probability about 2^-252) would make the
	 * public key the identity; crypto_scalarmult_ristretto255_base()
	 * refuses that, and so do we.
	 */
	if (crypto_kdf_derive_from_key(
		wide, sizeof(wide), SUBKEY_RING, KDF_CONTEXT, seed) != 0)
		goto err0;
	crypto_core_ristretto255_scalar_reduce(ks->ring_sk, wide);
	if (sodium_is_zero(ks->ring_sk, KEYS_RING_SK_BYTES))
		goto err0;
	if (crypto_scalarmult_ristretto255_base(ks->pub.ring_pk, ks->ring_sk) !=
	    0)
		goto err0;

	sodium_memzero(sign_seed, sizeof(sign_seed));
	sodium_memzero(wide, sizeof(wide));
	return (0);

err0:
	sodium_memzero(sign_seed, sizeof(sign_seed));
	sodium_memzero(wide, sizeof(wide));
	sodium_memzero(ks, sizeof(*ks));
	return (-1);
}

/**
 * keys_wipe(ks):
 * Overwrite the secret keys in ${ks} with zeros.  ${ks} may be NULL.
 */
void
keys_wipe(struct keys_secret *ks)
{

	if (ks == NULL)
		return;
	sodium_memzero(ks, sizeof(*ks));
}

/*
 * Build u8(len(tag)) || tag || msg in ${stack} if it fits, else on the
 * heap; store the buffer in ${out} and its length in ${outlen}.  Return 0,
 * or -1 if the tag is empty or too long or memory runs out.
 */
static int
prefixed(uint8_t **out, size_t *outlen, uint8_t stack[SIGN_STACK_MAX],
    const char *tag, const uint8_t *msg, size_t msglen)
{
	size_t taglen;
	uint8_t *buf;

	if (tag == NULL)
		return (-1);
	taglen = strnlen(tag, SIGN_TAG_MAX + 1);
	if (taglen == 0 || taglen > SIGN_TAG_MAX)
		return (-1);
	if (msglen > SIZE_MAX - 1 - taglen)
		return (-1);
	if (1 + taglen + msglen <= SIGN_STACK_MAX)
		buf = stack;
	else if ((buf = malloc(1 + taglen + msglen)) == NULL)
		return (-1);
	buf[0] = (uint8_t)taglen;
	memcpy(buf + 1, tag, taglen);
	if (msglen > 0)
		memcpy(buf + 1 + taglen, msg, msglen);
	*out = buf;
	*outlen = 1 + taglen + msglen;
	return (0);
}

/**
 * keys_sign(sig, ks, tag, msg, msglen):
 * Ed25519-sign u8(len(tag)) || tag || msg with ${ks}'s signing key.
 * Return 0, or -1 if ${tag} is empty or longer than 64 bytes.
 */
int
keys_sign(uint8_t sig[KEYS_SIG_BYTES], const struct keys_secret *ks,
    const char *tag, const uint8_t *msg, size_t msglen)
{
	uint8_t stack[SIGN_STACK_MAX];
	uint8_t *m;
	size_t mlen;
	int rc;

	if (prefixed(&m, &mlen, stack, tag, msg, msglen) != 0) {
		sodium_memzero(sig, KEYS_SIG_BYTES);
		return (-1);
	}
	rc = crypto_sign_detached(sig, NULL, m, mlen, ks->sign_sk);
	if (m != stack)
		free(m);
	if (rc != 0) {
		sodium_memzero(sig, KEYS_SIG_BYTES);
		return (-1);
	}
	return (0);
}

/**
 * keys_verify(sig, sign_pk, tag, msg, msglen):
 * Verify a signature made by keys_sign().  Return 0 if valid, else -1.
 */
int
keys_verify(const uint8_t sig[KEYS_SIG_BYTES],
    const uint8_t sign_pk[KEYS_SIGN_PK_BYTES], const char *tag,
    const uint8_t *msg, size_t msglen)
{
	uint8_t stack[SIGN_STACK_MAX];
	uint8_t *m;
	size_t mlen;
	int rc;

	if (prefixed(&m, &mlen, stack, tag, msg, msglen) != 0)
		return (-1);
	/*
	 * libsodium refuses non-canonical S, small-order R and small-order
	 * or non-canonical public keys here.
	 */
	rc = crypto_sign_verify_detached(sig, m, mlen, sign_pk);
	if (m != stack)
		free(m);
	return (rc == 0 ? 0 : -1);
}

/*
 * The transcript that a proof of possession and a rotation statement
 * cover: str(member_id) || u32(epoch) || sign_pk || box_pk || ring_pk.
 * Return 0, or -1 if ${member_id} is empty or too long.
 */
static int
transcript(uint8_t buf[TRANSCRIPT_MAX], size_t *len, const char *member_id,
    uint32_t epoch, const struct keys_public *pub)
{
	struct binenc e;
	size_t idlen;

	if (member_id == NULL)
		return (-1);
	idlen = strnlen(member_id, KEYS_MEMBER_ID_MAX + 1);
	if (idlen == 0 || idlen > KEYS_MEMBER_ID_MAX)
		return (-1);
	binenc_init(&e, buf, TRANSCRIPT_MAX);
	binenc_var(&e, (const uint8_t *)member_id, idlen);
	binenc_u32(&e, epoch);
	binenc_fixed(&e, pub->sign_pk, KEYS_SIGN_PK_BYTES);
	binenc_fixed(&e, pub->box_pk, KEYS_BOX_PK_BYTES);
	binenc_fixed(&e, pub->ring_pk, KEYS_RING_PK_BYTES);
	return (binenc_finish(&e, len));
}

/*
 * A scalar from a 64-byte BLAKE2b output over u8(len(tag)) || tag || parts,
 * keyed with ${key} (${keylen} bytes, or none), reduced mod L.
 */
static void
hash_to_scalar(uint8_t out[crypto_core_ristretto255_SCALARBYTES],
    const uint8_t *key, size_t keylen, const char *tag, const uint8_t *p1,
    size_t n1, const uint8_t *p2, size_t n2, const uint8_t *p3, size_t n3)
{
	crypto_generichash_state st;
	uint8_t wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
	uint8_t taglen = (uint8_t)strlen(tag);

	/* Constant valid lengths: these calls cannot fail. */
	(void)crypto_generichash_init(&st, key, keylen, sizeof(wide));
	(void)crypto_generichash_update(&st, &taglen, 1);
	(void)crypto_generichash_update(&st, (const uint8_t *)tag, taglen);
	if (n1 > 0)
		(void)crypto_generichash_update(&st, p1, n1);
	if (n2 > 0)
		(void)crypto_generichash_update(&st, p2, n2);
	if (n3 > 0)
		(void)crypto_generichash_update(&st, p3, n3);
	(void)crypto_generichash_final(&st, wide, sizeof(wide));
	crypto_core_ristretto255_scalar_reduce(out, wide);
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(wide, sizeof(wide));
}

/* The Schnorr challenge c = H(tag, R, P, transcript) mod L. */
static void
ring_challenge(uint8_t c[crypto_core_ristretto255_SCALARBYTES],
    const uint8_t R[crypto_core_ristretto255_BYTES],
    const uint8_t P[KEYS_RING_PK_BYTES], const uint8_t *t, size_t tlen)
{

	hash_to_scalar(c, NULL, 0, TAG_POP_RING, R,
	    crypto_core_ristretto255_BYTES, P, KEYS_RING_PK_BYTES, t, tlen);
}

/* Return 0 if the 32-byte little-endian ${s} is below L, else -1. */
static int
scalar_is_canonical(const uint8_t s[crypto_core_ristretto255_SCALARBYTES])
{
	uint8_t wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES] = {0};
	uint8_t reduced[crypto_core_ristretto255_SCALARBYTES];

	/* s < L exactly when reducing it mod L leaves it unchanged. */
	memcpy(wide, s, crypto_core_ristretto255_SCALARBYTES);
	crypto_core_ristretto255_scalar_reduce(reduced, wide);
	return (memcmp(reduced, s, sizeof(reduced)) == 0 ? 0 : -1);
}

/**
 * keys_pop_make(pop, ks, member_id, epoch):
 * Prove possession of ${ks} for member ${member_id} at key epoch ${epoch}
 * (1 for the first keys, incremented by each rotation).  Return 0 or -1.
 */
int
keys_pop_make(struct keys_pop *pop, const struct keys_secret *ks,
    const char *member_id, uint32_t epoch)
{
	uint8_t t[TRANSCRIPT_MAX];
	size_t tlen;
	uint8_t r[crypto_core_ristretto255_SCALARBYTES];
	uint8_t c[crypto_core_ristretto255_SCALARBYTES];
	uint8_t cx[crypto_core_ristretto255_SCALARBYTES];
	uint8_t *R = pop->ring_proof;
	uint8_t *s = pop->ring_proof + crypto_core_ristretto255_BYTES;

	if (epoch == 0)
		goto err0;
	if (transcript(t, &tlen, member_id, epoch, &ks->pub) != 0)
		goto err0;

	/* Ed25519 covers the whole transcript, X25519 key included. */
	if (keys_sign(pop->sig, ks, TAG_POP, t, tlen) != 0)
		goto err0;

	/*
	 * Schnorr proof of knowledge of x with P = x*G over the same
	 * transcript.  The nonce r is derived from x and the transcript (as
	 * in RFC 8032), so the proof is deterministic and never reuses r
	 * for a different challenge.
	 */
	hash_to_scalar(r, ks->ring_sk, KEYS_RING_SK_BYTES, TAG_POP_NONCE, t,
	    tlen, NULL, 0, NULL, 0);
	if (crypto_scalarmult_ristretto255_base(R, r) != 0)
		goto err1;
	ring_challenge(c, R, ks->pub.ring_pk, t, tlen);
	crypto_core_ristretto255_scalar_mul(cx, c, ks->ring_sk);
	crypto_core_ristretto255_scalar_add(s, r, cx);

	sodium_memzero(r, sizeof(r));
	sodium_memzero(cx, sizeof(cx));
	return (0);

err1:
	sodium_memzero(r, sizeof(r));
	sodium_memzero(cx, sizeof(cx));
err0:
	sodium_memzero(pop, sizeof(*pop));
	return (-1);
}

/**
 * keys_pop_verify(pop, pub, member_id, epoch):
 * Check ${pop} for ${pub}; also refuse public keys that are not canonical
 * encodings, are the identity or are of small order.  Return 0 if valid,
 * else -1.
 */
int
keys_pop_verify(const struct keys_pop *pop, const struct keys_public *pub,
    const char *member_id, uint32_t epoch)
{
	uint8_t t[TRANSCRIPT_MAX];
	size_t tlen;
	uint8_t c[crypto_core_ristretto255_SCALARBYTES];
	uint8_t sG[crypto_core_ristretto255_BYTES];
	uint8_t cP[crypto_core_ristretto255_BYTES];
	uint8_t RcP[crypto_core_ristretto255_BYTES];
	const uint8_t *R = pop->ring_proof;
	const uint8_t *s = pop->ring_proof + crypto_core_ristretto255_BYTES;

	if (epoch == 0)
		return (-1);
	if (keys_public_check(pub) != 0)
		return (-1);
	if (transcript(t, &tlen, member_id, epoch, pub) != 0)
		return (-1);
	if (keys_verify(pop->sig, pub->sign_pk, TAG_POP, t, tlen) != 0)
		return (-1);

	/* R must decode canonically and s must be reduced. */
	if (crypto_core_ristretto255_is_valid_point(R) != 1)
		return (-1);
	if (scalar_is_canonical(s) != 0)
		return (-1);

	/* s*G == R + c*P (both fail on an identity result: refused too). */
	ring_challenge(c, R, pub->ring_pk, t, tlen);
	if (crypto_scalarmult_ristretto255_base(sG, s) != 0)
		return (-1);
	if (crypto_scalarmult_ristretto255(cP, c, pub->ring_pk) != 0)
		return (-1);
	if (crypto_core_ristretto255_add(RcP, R, cP) != 0)
		return (-1);
	/* ristretto255 encodings are canonical: equal points, equal bytes. */
	if (crypto_verify_32(sG, RcP) != 0)
		return (-1);
	return (0);
}

/**
 * keys_rotation_sign(sig, old, member_id, new_epoch, newpub):
 * With the old keys ${old}, sign the statement that ${member_id}'s keys at
 * ${new_epoch} are ${newpub}.  Return 0 or -1.
 */
int
keys_rotation_sign(uint8_t sig[KEYS_SIG_BYTES], const struct keys_secret *old,
    const char *member_id, uint32_t new_epoch, const struct keys_public *newpub)
{
	uint8_t t[TRANSCRIPT_MAX];
	size_t tlen;

	/* A rotation replaces at least the first keys (epoch 1). */
	if (new_epoch < 2 ||
	    transcript(t, &tlen, member_id, new_epoch, newpub) != 0) {
		sodium_memzero(sig, KEYS_SIG_BYTES);
		return (-1);
	}
	return (keys_sign(sig, old, TAG_ROTATION, t, tlen));
}

/**
 * keys_rotation_verify(sig, old_sign_pk, member_id, new_epoch, newpub):
 * Verify a signature made by keys_rotation_sign().  Return 0 or -1.
 */
int
keys_rotation_verify(const uint8_t sig[KEYS_SIG_BYTES],
    const uint8_t old_sign_pk[KEYS_SIGN_PK_BYTES], const char *member_id,
    uint32_t new_epoch, const struct keys_public *newpub)
{
	uint8_t t[TRANSCRIPT_MAX];
	size_t tlen;

	if (new_epoch < 2)
		return (-1);
	if (transcript(t, &tlen, member_id, new_epoch, newpub) != 0)
		return (-1);
	return (keys_verify(sig, old_sign_pk, TAG_ROTATION, t, tlen));
}

/**
 * keys_box_pk_check(box_pk):
 * Return 0 if ${box_pk} is a canonical X25519 public key (top bit clear,
 * below 2^255 - 19) that is not of small order, else -1.
 */
int
keys_box_pk_check(const uint8_t box_pk[KEYS_BOX_PK_BYTES])
{
	/*
	 * Any scalar will do: X25519 clamps it to a multiple of 8 below
	 * 2^255, which maps every point of order dividing 8 (on the curve or
	 * its twist) to u = 0, and no other point, since a point of larger
	 * order would need a multiple of 8*L, which exceeds 2^255.
	 */
	static const uint8_t probe[crypto_scalarmult_SCALARBYTES] = {0x64, 0x69,
	    0x73, 0x73, 0x65, 0x6e, 0x74, 0x2f, 0x73, 0x6d, 0x61, 0x6c, 0x6c,
	    0x2d, 0x6f, 0x72, 0x64, 0x65, 0x72, 0x2f, 0x70, 0x72, 0x6f, 0x62,
	    0x65, 0x2f, 0x76, 0x31, 0x00, 0x00, 0x00, 0x00};
	uint8_t q[crypto_scalarmult_BYTES];
	size_t i;
	int rc;

	/* Canonical: u < p = 2^255 - 19, which also clears the top bit. */
	if (box_pk[31] > 0x7f)
		return (-1);
	if (box_pk[31] == 0x7f && box_pk[0] >= 0xed) {
		for (i = 1; i < 31; i++)
			if (box_pk[i] != 0xff)
				break;
		if (i == 31)
			return (-1);
	}

	/* libsodium also returns -1 itself for an all-zero result. */
	rc = crypto_scalarmult(q, probe, box_pk);
	if (rc != 0 || sodium_is_zero(q, sizeof(q)))
		return (-1);
	return (0);
}

/**
 * keys_public_check(pub):
 * Return 0 if every key of ${pub} is a canonical encoding of a usable
 * public key: sign_pk a point of Ed25519's prime-order subgroup, box_pk an
 * X25519 key that is not of small order, ring_pk a ristretto255 point other
 * than the identity.  Else return -1.
 */
int
keys_public_check(const struct keys_public *pub)
{

	/* Canonical, on the curve, not small order, in the main subgroup. */
	if (crypto_core_ed25519_is_valid_point(pub->sign_pk) != 1)
		return (-1);
	if (keys_box_pk_check(pub->box_pk) != 0)
		return (-1);
	/* The identity's only encoding is all zeros (and is "valid"). */
	if (crypto_core_ristretto255_is_valid_point(pub->ring_pk) != 1 ||
	    sodium_is_zero(pub->ring_pk, KEYS_RING_PK_BYTES))
		return (-1);
	return (0);
}

/**
 * keys_fingerprint(out, pub):
 * A short human-comparable fingerprint of ${pub}: the first 20 bytes of
 * dhash("dissent/key-fingerprint/v1", sign_pk || box_pk || ring_pk) in
 * lowercase hex, grouped by 4 with spaces ("abcd ef01 ..."), NUL-terminated
 * in ${out}.
 */
void
keys_fingerprint(char out[KEYS_FINGERPRINT_LEN], const struct keys_public *pub)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t m[KEYS_SIGN_PK_BYTES + KEYS_BOX_PK_BYTES + KEYS_RING_PK_BYTES];
	uint8_t h[DHASH_BYTES];
	size_t i, o = 0;

	memcpy(m, pub->sign_pk, KEYS_SIGN_PK_BYTES);
	memcpy(m + KEYS_SIGN_PK_BYTES, pub->box_pk, KEYS_BOX_PK_BYTES);
	memcpy(m + KEYS_SIGN_PK_BYTES + KEYS_BOX_PK_BYTES, pub->ring_pk,
	    KEYS_RING_PK_BYTES);
	/* A constant valid tag: dhash() cannot fail. */
	if (dhash(h, TAG_FINGERPRINT, m, sizeof(m)) != 0)
		abort();
	/* Two hex digits per byte, a space before every even byte but 0. */
	for (i = 0; i < FINGERPRINT_BYTES; i++) {
		if (i > 0 && i % 2 == 0)
			out[o++] = ' ';
		out[o++] = hex[h[i] >> 4];
		out[o++] = hex[h[i] & 0x0f];
	}
	out[o] = '\0';
}
