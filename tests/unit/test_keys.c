/*
 * Member keys (docs/PROTOCOL.md, "Member keys", "Signatures", "Proof of
 * possession", "Key rotation", "Fingerprint").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "binenc.h"
#include "dhash.h"
#include "keys.h"

#define MEMBER "m-0001"
#define OTHER_MEMBER "m-0002"

/* L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const uint8_t group_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63,
    0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x10};

static void
derive(struct keys_secret *ks, uint8_t fill)
{
	uint8_t seed[KEYS_SEED_BYTES];

	memset(seed, fill, sizeof(seed));
	assert_int_equal(keys_derive(ks, seed), 0);
}

static void
hex_to(uint8_t *out, size_t len, const char *hex)
{
	size_t n;

	assert_int_equal(
	    sodium_hex2bin(out, len, hex, strlen(hex), NULL, &n, NULL), 0);
	assert_int_equal(n, len);
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

static void
test_keys_seed_new_gives_distinct_seeds(void **state)
{
	uint8_t a[KEYS_SEED_BYTES], b[KEYS_SEED_BYTES];

	(void)state;
	keys_seed_new(a);
	keys_seed_new(b);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
test_keys_derive_is_deterministic(void **state)
{
	struct keys_secret a, b;

	(void)state;
	derive(&a, 7);
	derive(&b, 7);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void
test_keys_derive_differs_between_seeds(void **state)
{
	struct keys_secret a, b;

	(void)state;
	derive(&a, 7);
	derive(&b, 8);
	assert_memory_not_equal(a.pub.sign_pk, b.pub.sign_pk, 32);
	assert_memory_not_equal(a.pub.box_pk, b.pub.box_pk, 32);
	assert_memory_not_equal(a.pub.ring_pk, b.pub.ring_pk, 32);
}

/* The derivation is exactly the one documented for other implementations. */
static void
test_keys_derive_follows_documented_kdf(void **state)
{
	struct keys_secret ks;
	uint8_t seed[KEYS_SEED_BYTES], sub[32], wide[64], pk[32], sk[64];

	(void)state;
	memset(seed, 7, sizeof(seed));
	assert_int_equal(keys_derive(&ks, seed), 0);

	assert_int_equal(
	    crypto_kdf_derive_from_key(sub, 32, 1, "dsmember", seed), 0);
	assert_int_equal(crypto_sign_seed_keypair(pk, sk, sub), 0);
	assert_memory_equal(ks.pub.sign_pk, pk, 32);
	assert_memory_equal(ks.sign_sk, sk, 64);

	assert_int_equal(
	    crypto_kdf_derive_from_key(sub, 32, 2, "dsmember", seed), 0);
	assert_memory_equal(ks.box_sk, sub, 32);
	assert_int_equal(crypto_scalarmult_base(pk, sub), 0);
	assert_memory_equal(ks.pub.box_pk, pk, 32);

	assert_int_equal(
	    crypto_kdf_derive_from_key(wide, 64, 3, "dsmember", seed), 0);
	crypto_core_ristretto255_scalar_reduce(sub, wide);
	assert_memory_equal(ks.ring_sk, sub, 32);
	assert_int_equal(crypto_scalarmult_ristretto255_base(pk, sub), 0);
	assert_memory_equal(ks.pub.ring_pk, pk, 32);
}

static void
test_keys_derived_public_keys_pass_check(void **state)
{
	struct keys_secret ks;
	int i;

	(void)state;
	for (i = 0; i < 16; i++) {
		derive(&ks, (uint8_t)i);
		assert_int_equal(keys_public_check(&ks.pub), 0);
	}
}

static void
test_keys_wipe_zeroes_everything(void **state)
{
	struct keys_secret ks, zero;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	derive(&ks, 7);
	keys_wipe(&ks);
	assert_memory_equal(&ks, &zero, sizeof(ks));
	keys_wipe(NULL);
}

static void
test_keys_sign_round_trips(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&ks, 1);
	assert_int_equal(
	    keys_sign(sig, &ks, "dissent/test/v1", (const uint8_t *)"msg", 3),
	    0);
	assert_int_equal(keys_verify(sig, ks.pub.sign_pk, "dissent/test/v1",
			     (const uint8_t *)"msg", 3),
	    0);
}

/* The signed bytes are u8(len(tag)) || tag || msg, plain Ed25519. */
static void
test_keys_sign_signs_length_prefixed_tag_and_message(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];
	const uint8_t m[] = "\x0f"
			    "dissent/test/v1"
			    "msg";

	(void)state;
	derive(&ks, 1);
	assert_int_equal(
	    keys_sign(sig, &ks, "dissent/test/v1", (const uint8_t *)"msg", 3),
	    0);
	assert_int_equal(
	    crypto_sign_verify_detached(sig, m, sizeof(m) - 1, ks.pub.sign_pk),
	    0);
}

static void
test_keys_sign_round_trips_long_message(void **state)
{
	static uint8_t msg[100000];
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	randombytes_buf(msg, sizeof(msg));
	derive(&ks, 1);
	assert_int_equal(
	    keys_sign(sig, &ks, "dissent/test/v1", msg, sizeof(msg)), 0);
	assert_int_equal(keys_verify(sig, ks.pub.sign_pk, "dissent/test/v1",
			     msg, sizeof(msg)),
	    0);
	msg[sizeof(msg) - 1] ^= 1;
	assert_int_equal(keys_verify(sig, ks.pub.sign_pk, "dissent/test/v1",
			     msg, sizeof(msg)),
	    -1);
}

static void
test_keys_verify_refuses_other_tag(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&ks, 1);
	assert_int_equal(
	    keys_sign(sig, &ks, "dissent/test/v1", (const uint8_t *)"msg", 3),
	    0);
	assert_int_equal(keys_verify(sig, ks.pub.sign_pk, "dissent/test/v2",
			     (const uint8_t *)"msg", 3),
	    -1);
}

/* Moving a byte from the message into the tag changes what is signed. */
static void
test_keys_verify_refuses_shifted_tag_boundary(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&ks, 1);
	assert_int_equal(
	    keys_sign(sig, &ks, "dissent/t", (const uint8_t *)"x", 1), 0);
	assert_int_equal(
	    keys_verify(sig, ks.pub.sign_pk, "dissent/tx", NULL, 0), -1);
}

static void
test_keys_verify_refuses_other_message(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&ks, 1);
	assert_int_equal(
	    keys_sign(sig, &ks, "dissent/test/v1", (const uint8_t *)"msg", 3),
	    0);
	assert_int_equal(keys_verify(sig, ks.pub.sign_pk, "dissent/test/v1",
			     (const uint8_t *)"msh", 3),
	    -1);
}

static void
test_keys_verify_refuses_other_key(void **state)
{
	struct keys_secret a, b;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&a, 1);
	derive(&b, 2);
	assert_int_equal(
	    keys_sign(sig, &a, "dissent/test/v1", (const uint8_t *)"msg", 3),
	    0);
	assert_int_equal(keys_verify(sig, b.pub.sign_pk, "dissent/test/v1",
			     (const uint8_t *)"msg", 3),
	    -1);
}

static void
test_keys_verify_refuses_any_altered_signature_byte(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];
	size_t i;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(
	    keys_sign(sig, &ks, "dissent/test/v1", (const uint8_t *)"msg", 3),
	    0);
	for (i = 0; i < sizeof(sig); i++) {
		sig[i] ^= 0x01;
		assert_int_equal(
		    keys_verify(sig, ks.pub.sign_pk, "dissent/test/v1",
			(const uint8_t *)"msg", 3),
		    -1);
		sig[i] ^= 0x01;
	}
}

/* S + L satisfies the verification equation but is not canonical. */
static void
test_keys_verify_refuses_non_canonical_s(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&ks, 1);
	assert_int_equal(
	    keys_sign(sig, &ks, "dissent/test/v1", (const uint8_t *)"msg", 3),
	    0);
	add_le(sig + 32, sig + 32, group_order);
	assert_int_equal(keys_verify(sig, ks.pub.sign_pk, "dissent/test/v1",
			     (const uint8_t *)"msg", 3),
	    -1);
}

static void
test_keys_sign_accepts_tag_of_64_bytes(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];
	char tag[65];

	(void)state;
	derive(&ks, 1);
	memset(tag, 't', 64);
	tag[64] = '\0';
	assert_int_equal(keys_sign(sig, &ks, tag, NULL, 0), 0);
	assert_int_equal(keys_verify(sig, ks.pub.sign_pk, tag, NULL, 0), 0);
}

static void
test_keys_sign_refuses_tag_longer_than_64_bytes(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];
	char tag[66];

	(void)state;
	derive(&ks, 1);
	memset(tag, 't', 65);
	tag[65] = '\0';
	assert_int_equal(keys_sign(sig, &ks, tag, NULL, 0), -1);
	assert_int_equal(keys_verify(sig, ks.pub.sign_pk, tag, NULL, 0), -1);
}

static void
test_keys_sign_refuses_empty_tag(void **state)
{
	struct keys_secret ks;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_sign(sig, &ks, "", (const uint8_t *)"m", 1), -1);
	assert_int_equal(
	    keys_verify(sig, ks.pub.sign_pk, "", (const uint8_t *)"m", 1), -1);
}

static void
test_keys_pop_round_trips(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), 0);
}

static void
test_keys_pop_is_deterministic(void **state)
{
	struct keys_secret ks;
	struct keys_pop a, b;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&a, &ks, MEMBER, 3), 0);
	assert_int_equal(keys_pop_make(&b, &ks, MEMBER, 3), 0);
	assert_memory_equal(&a, &b, sizeof(a));
}

/* The Ed25519 part signs the documented transcript under its tag. */
static void
test_keys_pop_signature_covers_documented_transcript(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;
	uint8_t t[256];
	struct binenc e;
	size_t tlen;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 5), 0);
	binenc_init(&e, t, sizeof(t));
	binenc_str(&e, MEMBER);
	binenc_u32(&e, 5);
	binenc_fixed(&e, ks.pub.sign_pk, 32);
	binenc_fixed(&e, ks.pub.box_pk, 32);
	binenc_fixed(&e, ks.pub.ring_pk, 32);
	assert_int_equal(binenc_finish(&e, &tlen), 0);
	assert_int_equal(
	    keys_verify(pop.sig, ks.pub.sign_pk, "dissent/key-pop/v1", t, tlen),
	    0);
}

static void
test_keys_pop_refuses_wrong_member(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, OTHER_MEMBER, 1), -1);
}

static void
test_keys_pop_refuses_wrong_epoch(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 2), -1);
}

static void
test_keys_pop_refuses_epoch_zero(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop, zero;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 0), -1);
	assert_memory_equal(&pop, &zero, sizeof(pop));
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 0), -1);
}

static void
test_keys_pop_refuses_member_id_longer_than_max(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;
	char id[KEYS_MEMBER_ID_MAX + 2];

	(void)state;
	derive(&ks, 1);
	memset(id, 'm', KEYS_MEMBER_ID_MAX + 1);
	id[KEYS_MEMBER_ID_MAX + 1] = '\0';
	assert_int_equal(keys_pop_make(&pop, &ks, id, 1), -1);
	id[KEYS_MEMBER_ID_MAX] = '\0';
	assert_int_equal(keys_pop_make(&pop, &ks, id, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, id, 1), 0);
}

static void
test_keys_pop_refuses_empty_member_id(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, "", 1), -1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, "", 1), -1);
}

static void
test_keys_pop_refuses_another_members_keys(void **state)
{
	struct keys_secret a, b;
	struct keys_pop pop;

	(void)state;
	derive(&a, 1);
	derive(&b, 2);
	assert_int_equal(keys_pop_make(&pop, &a, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &b.pub, MEMBER, 1), -1);
}

static void
test_keys_pop_refuses_each_key_swapped_for_another(void **state)
{
	struct keys_secret a, b;
	struct keys_public pub;
	struct keys_pop pop;

	(void)state;
	derive(&a, 1);
	derive(&b, 2);
	assert_int_equal(keys_pop_make(&pop, &a, MEMBER, 1), 0);

	pub = a.pub;
	memcpy(pub.sign_pk, b.pub.sign_pk, 32);
	assert_int_equal(keys_pop_verify(&pop, &pub, MEMBER, 1), -1);
	pub = a.pub;
	memcpy(pub.box_pk, b.pub.box_pk, 32);
	assert_int_equal(keys_pop_verify(&pop, &pub, MEMBER, 1), -1);
	pub = a.pub;
	memcpy(pub.ring_pk, b.pub.ring_pk, 32);
	assert_int_equal(keys_pop_verify(&pop, &pub, MEMBER, 1), -1);
}

/* Keys in the wrong slots (box key as ring key, ...) are refused. */
static void
test_keys_pop_refuses_keys_in_swapped_slots(void **state)
{
	struct keys_secret a;
	struct keys_public pub;
	struct keys_pop pop;

	(void)state;
	derive(&a, 1);
	assert_int_equal(keys_pop_make(&pop, &a, MEMBER, 1), 0);
	pub = a.pub;
	memcpy(pub.box_pk, a.pub.ring_pk, 32);
	memcpy(pub.ring_pk, a.pub.box_pk, 32);
	assert_int_equal(keys_pop_verify(&pop, &pub, MEMBER, 1), -1);
	pub = a.pub;
	memcpy(pub.sign_pk, a.pub.ring_pk, 32);
	memcpy(pub.ring_pk, a.pub.sign_pk, 32);
	assert_int_equal(keys_pop_verify(&pop, &pub, MEMBER, 1), -1);
}

/*
 * Someone who signs with their own Ed25519 key but claims another
 * member's ring key cannot prove knowledge of its scalar.
 */
static void
test_keys_pop_refuses_ring_key_not_held(void **state)
{
	struct keys_secret a, b, hybrid;
	struct keys_pop pop;

	(void)state;
	derive(&a, 1);
	derive(&b, 2);
	hybrid = a;
	memcpy(hybrid.pub.ring_pk, b.pub.ring_pk, 32);
	assert_int_equal(keys_pop_make(&pop, &hybrid, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &hybrid.pub, MEMBER, 1), -1);
}

static void
test_keys_pop_refuses_any_altered_byte(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;
	uint8_t *p = (uint8_t *)&pop;
	size_t i;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	for (i = 0; i < sizeof(pop); i++) {
		p[i] ^= 0x04;
		assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), -1);
		p[i] ^= 0x04;
	}
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), 0);
}

static void
test_keys_pop_refuses_altered_public_key_byte(void **state)
{
	struct keys_secret ks;
	struct keys_public pub;
	struct keys_pop pop;
	uint8_t *p = (uint8_t *)&pub;
	size_t i;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	for (i = 0; i < sizeof(pub); i++) {
		pub = ks.pub;
		p[i] ^= 0x01;
		assert_int_equal(keys_pop_verify(&pop, &pub, MEMBER, 1), -1);
	}
}

/* s + L passes the group equation; only the canonical check stops it. */
static void
test_keys_pop_refuses_ring_proof_s_plus_l(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;
	uint8_t *s;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	s = pop.ring_proof + 32;
	add_le(s, s, group_order);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), -1);
}

/* Scalar multiplication ignores bit 255, so s + 2^255 must be refused. */
static void
test_keys_pop_refuses_ring_proof_s_with_high_bit_set(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	pop.ring_proof[63] |= 0x80;
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), -1);
}

static void
test_keys_pop_refuses_ring_proof_s_equal_to_l(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	memcpy(pop.ring_proof + 32, group_order, 32);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), -1);
}

static void
test_keys_pop_refuses_ring_proof_with_invalid_point(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	memset(pop.ring_proof, 0xff, 32);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), -1);
}

static void
test_keys_pop_refuses_identity_ring_key(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	memset(ks.pub.ring_pk, 0, 32);
	/* A correctly signed proof for the identity: still refused. */
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), -1);
}

static void
test_keys_pop_refuses_small_order_box_key(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	memset(ks.pub.box_pk, 0, 32);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 1), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 1), -1);
}

/* A rotation signature is not accepted where a PoP signature is due. */
static void
test_keys_pop_refuses_rotation_signature(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 2), 0);
	assert_int_equal(
	    keys_rotation_sign(pop.sig, &ks, MEMBER, 2, &ks.pub), 0);
	assert_int_equal(keys_pop_verify(&pop, &ks.pub, MEMBER, 2), -1);
}

static void
test_keys_rotation_round_trips(void **state)
{
	struct keys_secret old, new;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&old, 1);
	derive(&new, 2);
	assert_int_equal(keys_rotation_sign(sig, &old, MEMBER, 2, &new.pub), 0);
	assert_int_equal(
	    keys_rotation_verify(sig, old.pub.sign_pk, MEMBER, 2, &new.pub), 0);
}

static void
test_keys_rotation_refuses_wrong_old_key(void **state)
{
	struct keys_secret old, new;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&old, 1);
	derive(&new, 2);
	assert_int_equal(keys_rotation_sign(sig, &old, MEMBER, 2, &new.pub), 0);
	assert_int_equal(
	    keys_rotation_verify(sig, new.pub.sign_pk, MEMBER, 2, &new.pub),
	    -1);
}

static void
test_keys_rotation_refuses_wrong_member(void **state)
{
	struct keys_secret old, new;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&old, 1);
	derive(&new, 2);
	assert_int_equal(keys_rotation_sign(sig, &old, MEMBER, 2, &new.pub), 0);
	assert_int_equal(keys_rotation_verify(
			     sig, old.pub.sign_pk, OTHER_MEMBER, 2, &new.pub),
	    -1);
}

static void
test_keys_rotation_refuses_wrong_epoch(void **state)
{
	struct keys_secret old, new;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&old, 1);
	derive(&new, 2);
	assert_int_equal(keys_rotation_sign(sig, &old, MEMBER, 2, &new.pub), 0);
	assert_int_equal(
	    keys_rotation_verify(sig, old.pub.sign_pk, MEMBER, 3, &new.pub),
	    -1);
}

static void
test_keys_rotation_refuses_any_altered_new_key_byte(void **state)
{
	struct keys_secret old, new;
	struct keys_public pub;
	uint8_t sig[KEYS_SIG_BYTES];
	uint8_t *p = (uint8_t *)&pub;
	size_t i;

	(void)state;
	derive(&old, 1);
	derive(&new, 2);
	assert_int_equal(keys_rotation_sign(sig, &old, MEMBER, 2, &new.pub), 0);
	for (i = 0; i < sizeof(pub); i++) {
		pub = new.pub;
		p[i] ^= 0x80;
		assert_int_equal(
		    keys_rotation_verify(sig, old.pub.sign_pk, MEMBER, 2, &pub),
		    -1);
	}
}

static void
test_keys_rotation_refuses_epoch_below_two(void **state)
{
	struct keys_secret old, new;
	uint8_t sig[KEYS_SIG_BYTES];

	(void)state;
	derive(&old, 1);
	derive(&new, 2);
	assert_int_equal(
	    keys_rotation_sign(sig, &old, MEMBER, 1, &new.pub), -1);
	assert_int_equal(
	    keys_rotation_sign(sig, &old, MEMBER, 0, &new.pub), -1);
	/* Even a genuine signature over epoch 1 is not a rotation. */
	assert_int_equal(
	    keys_rotation_verify(sig, old.pub.sign_pk, MEMBER, 1, &new.pub),
	    -1);
}

/* A PoP signature is not accepted as a rotation statement. */
static void
test_keys_rotation_refuses_pop_signature(void **state)
{
	struct keys_secret ks;
	struct keys_pop pop;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_pop_make(&pop, &ks, MEMBER, 2), 0);
	assert_int_equal(
	    keys_rotation_verify(pop.sig, ks.pub.sign_pk, MEMBER, 2, &ks.pub),
	    -1);
}

static void
test_keys_box_pk_check_refuses_small_order_points(void **state)
{
	/* Every u-coordinate of a point of order 1, 2, 4 or 8, and aliases. */
	static const char *small[] = {
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "0100000000000000000000000000000000000000000000000000000000000000",
	    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	};
	uint8_t pk[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++) {
		hex_to(pk, sizeof(pk), small[i]);
		assert_int_equal(keys_box_pk_check(pk), -1);
	}
}

static void
test_keys_box_pk_check_refuses_top_bit_set(void **state)
{
	struct keys_secret ks;

	(void)state;
	derive(&ks, 1);
	assert_int_equal(keys_box_pk_check(ks.pub.box_pk), 0);
	ks.pub.box_pk[31] |= 0x80;
	assert_int_equal(keys_box_pk_check(ks.pub.box_pk), -1);
}

/* p + 9 is the base point's u-coordinate, but not its canonical form. */
static void
test_keys_box_pk_check_refuses_value_at_or_above_p(void **state)
{
	uint8_t pk[32];

	(void)state;
	hex_to(pk, sizeof(pk),
	    "f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	assert_int_equal(keys_box_pk_check(pk), -1);
	memset(pk, 0, sizeof(pk));
	pk[0] = 9;
	assert_int_equal(keys_box_pk_check(pk), 0);
}

static void
test_keys_public_check_refuses_ed25519_identity(void **state)
{
	struct keys_secret ks;

	(void)state;
	derive(&ks, 1);
	memset(ks.pub.sign_pk, 0, 32);
	ks.pub.sign_pk[0] = 1;
	assert_int_equal(keys_public_check(&ks.pub), -1);
}

static void
test_keys_public_check_refuses_small_order_sign_key(void **state)
{
	struct keys_secret ks;

	(void)state;
	derive(&ks, 1);
	/* y = 0: a point of order 4. */
	memset(ks.pub.sign_pk, 0, 32);
	assert_int_equal(keys_public_check(&ks.pub), -1);
	/* y = -1: the point of order 2. */
	hex_to(ks.pub.sign_pk, 32,
	    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	assert_int_equal(keys_public_check(&ks.pub), -1);
}

/* A valid key plus a point of order 2 lies outside the prime subgroup. */
static void
test_keys_public_check_refuses_sign_key_with_torsion(void **state)
{
	struct keys_secret ks;
	uint8_t t2[32];

	(void)state;
	derive(&ks, 1);
	hex_to(t2, sizeof(t2),
	    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	assert_int_equal(
	    crypto_core_ed25519_add(ks.pub.sign_pk, ks.pub.sign_pk, t2), 0);
	assert_int_equal(keys_public_check(&ks.pub), -1);
}

static void
test_keys_public_check_refuses_non_canonical_sign_key(void **state)
{
	struct keys_secret ks;

	(void)state;
	derive(&ks, 1);
	/* x = 0 with the sign bit set: "negative zero". */
	memset(ks.pub.sign_pk, 0, 32);
	ks.pub.sign_pk[0] = 1;
	ks.pub.sign_pk[31] = 0x80;
	assert_int_equal(keys_public_check(&ks.pub), -1);
	/* y = p + 1, an alias of the identity's y = 1. */
	hex_to(ks.pub.sign_pk, 32,
	    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	assert_int_equal(keys_public_check(&ks.pub), -1);
}

static void
test_keys_public_check_refuses_identity_ring_key(void **state)
{
	struct keys_secret ks;

	(void)state;
	derive(&ks, 1);
	memset(ks.pub.ring_pk, 0, 32);
	assert_int_equal(keys_public_check(&ks.pub), -1);
}

static void
test_keys_public_check_refuses_invalid_ring_encoding(void **state)
{
	struct keys_secret ks;

	(void)state;
	derive(&ks, 1);
	memset(ks.pub.ring_pk, 0xff, 32);
	assert_int_equal(keys_public_check(&ks.pub), -1);
	/* An odd field element is a "negative" s: never canonical. */
	memset(ks.pub.ring_pk, 0, 32);
	ks.pub.ring_pk[0] = 1;
	assert_int_equal(keys_public_check(&ks.pub), -1);
}

static void
test_keys_public_check_refuses_small_order_box_key(void **state)
{
	struct keys_secret ks;

	(void)state;
	derive(&ks, 1);
	memset(ks.pub.box_pk, 0, 32);
	ks.pub.box_pk[0] = 1;
	assert_int_equal(keys_public_check(&ks.pub), -1);
}

static void
test_keys_fingerprint_is_grouped_dhash_prefix(void **state)
{
	struct keys_secret ks;
	char fp[KEYS_FINGERPRINT_LEN];
	char want[KEYS_FINGERPRINT_LEN], hex[41];
	uint8_t m[96], h[DHASH_BYTES];
	size_t i, o = 0;

	(void)state;
	derive(&ks, 1);
	keys_fingerprint(fp, &ks.pub);

	memcpy(m, ks.pub.sign_pk, 32);
	memcpy(m + 32, ks.pub.box_pk, 32);
	memcpy(m + 64, ks.pub.ring_pk, 32);
	assert_int_equal(dhash(h, "dissent/key-fingerprint/v1", m, 96), 0);
	sodium_bin2hex(hex, sizeof(hex), h, 20);
	for (i = 0; i < 40; i++) {
		if (i > 0 && i % 4 == 0)
			want[o++] = ' ';
		want[o++] = hex[i];
	}
	want[o] = '\0';
	assert_string_equal(fp, want);
	assert_int_equal(strlen(fp), KEYS_FINGERPRINT_LEN - 1);
}

static void
test_keys_fingerprint_changes_with_each_key(void **state)
{
	struct keys_secret a, b;
	struct keys_public pub;
	char fa[KEYS_FINGERPRINT_LEN], fb[KEYS_FINGERPRINT_LEN];

	(void)state;
	derive(&a, 1);
	derive(&b, 2);
	keys_fingerprint(fa, &a.pub);

	pub = a.pub;
	memcpy(pub.sign_pk, b.pub.sign_pk, 32);
	keys_fingerprint(fb, &pub);
	assert_string_not_equal(fa, fb);
	pub = a.pub;
	memcpy(pub.box_pk, b.pub.box_pk, 32);
	keys_fingerprint(fb, &pub);
	assert_string_not_equal(fa, fb);
	pub = a.pub;
	memcpy(pub.ring_pk, b.pub.ring_pk, 32);
	keys_fingerprint(fb, &pub);
	assert_string_not_equal(fa, fb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys_seed_new_gives_distinct_seeds),
	    cmocka_unit_test(test_keys_derive_is_deterministic),
	    cmocka_unit_test(test_keys_derive_differs_between_seeds),
	    cmocka_unit_test(test_keys_derive_follows_documented_kdf),
	    cmocka_unit_test(test_keys_derived_public_keys_pass_check),
	    cmocka_unit_test(test_keys_wipe_zeroes_everything),
	    cmocka_unit_test(test_keys_sign_round_trips),
	    cmocka_unit_test(
		test_keys_sign_signs_length_prefixed_tag_and_message),
	    cmocka_unit_test(test_keys_sign_round_trips_long_message),
	    cmocka_unit_test(test_keys_verify_refuses_other_tag),
	    cmocka_unit_test(test_keys_verify_refuses_shifted_tag_boundary),
	    cmocka_unit_test(test_keys_verify_refuses_other_message),
	    cmocka_unit_test(test_keys_verify_refuses_other_key),
	    cmocka_unit_test(
		test_keys_verify_refuses_any_altered_signature_byte),
	    cmocka_unit_test(test_keys_verify_refuses_non_canonical_s),
	    cmocka_unit_test(test_keys_sign_accepts_tag_of_64_bytes),
	    cmocka_unit_test(test_keys_sign_refuses_tag_longer_than_64_bytes),
	    cmocka_unit_test(test_keys_sign_refuses_empty_tag),
	    cmocka_unit_test(test_keys_pop_round_trips),
	    cmocka_unit_test(test_keys_pop_is_deterministic),
	    cmocka_unit_test(
		test_keys_pop_signature_covers_documented_transcript),
	    cmocka_unit_test(test_keys_pop_refuses_wrong_member),
	    cmocka_unit_test(test_keys_pop_refuses_wrong_epoch),
	    cmocka_unit_test(test_keys_pop_refuses_epoch_zero),
	    cmocka_unit_test(test_keys_pop_refuses_member_id_longer_than_max),
	    cmocka_unit_test(test_keys_pop_refuses_empty_member_id),
	    cmocka_unit_test(test_keys_pop_refuses_another_members_keys),
	    cmocka_unit_test(
		test_keys_pop_refuses_each_key_swapped_for_another),
	    cmocka_unit_test(test_keys_pop_refuses_keys_in_swapped_slots),
	    cmocka_unit_test(test_keys_pop_refuses_ring_key_not_held),
	    cmocka_unit_test(test_keys_pop_refuses_any_altered_byte),
	    cmocka_unit_test(test_keys_pop_refuses_altered_public_key_byte),
	    cmocka_unit_test(test_keys_pop_refuses_ring_proof_s_plus_l),
	    cmocka_unit_test(
		test_keys_pop_refuses_ring_proof_s_with_high_bit_set),
	    cmocka_unit_test(test_keys_pop_refuses_ring_proof_s_equal_to_l),
	    cmocka_unit_test(
		test_keys_pop_refuses_ring_proof_with_invalid_point),
	    cmocka_unit_test(test_keys_pop_refuses_identity_ring_key),
	    cmocka_unit_test(test_keys_pop_refuses_small_order_box_key),
	    cmocka_unit_test(test_keys_pop_refuses_rotation_signature),
	    cmocka_unit_test(test_keys_rotation_round_trips),
	    cmocka_unit_test(test_keys_rotation_refuses_wrong_old_key),
	    cmocka_unit_test(test_keys_rotation_refuses_wrong_member),
	    cmocka_unit_test(test_keys_rotation_refuses_wrong_epoch),
	    cmocka_unit_test(
		test_keys_rotation_refuses_any_altered_new_key_byte),
	    cmocka_unit_test(test_keys_rotation_refuses_epoch_below_two),
	    cmocka_unit_test(test_keys_rotation_refuses_pop_signature),
	    cmocka_unit_test(test_keys_box_pk_check_refuses_small_order_points),
	    cmocka_unit_test(test_keys_box_pk_check_refuses_top_bit_set),
	    cmocka_unit_test(
		test_keys_box_pk_check_refuses_value_at_or_above_p),
	    cmocka_unit_test(test_keys_public_check_refuses_ed25519_identity),
	    cmocka_unit_test(
		test_keys_public_check_refuses_small_order_sign_key),
	    cmocka_unit_test(
		test_keys_public_check_refuses_sign_key_with_torsion),
	    cmocka_unit_test(
		test_keys_public_check_refuses_non_canonical_sign_key),
	    cmocka_unit_test(test_keys_public_check_refuses_identity_ring_key),
	    cmocka_unit_test(
		test_keys_public_check_refuses_invalid_ring_encoding),
	    cmocka_unit_test(
		test_keys_public_check_refuses_small_order_box_key),
	    cmocka_unit_test(test_keys_fingerprint_is_grouped_dhash_prefix),
	    cmocka_unit_test(test_keys_fingerprint_changes_with_each_key),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
