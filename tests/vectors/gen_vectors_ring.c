/*
 * gen_vectors_ring: write tests/vectors/ring.json, the known-answer
 * vectors of the linkable ring signatures (docs/PROTOCOL.md, "Anonymous
 * co-signatures"): member ring keys, the memos' tag bases, linking tags,
 * ring digests, bindings, signatures with every nonce and challenge, and
 * signatures to refuse.  tests/unit/test_vectors_ring.c checks them on
 * every build; the browser implementation is held to the same file.
 *
 * The signatures are computed twice, by a reference signer written here
 * from the formulas alone (no checks) and by ring_sign_with_seed(), and the
 * program stops unless both agree byte for byte.  The reference signer
 * also makes the signatures that are valid by the equations yet must be
 * refused (a duplicate ring key, a ring of one, an unknown binding kind).
 *
 * Regenerate only when the format deliberately changes (and then bump the
 * version of the ring domain tags).  CMake does not build this program;
 * from the repository root:
 *
 *   cc -std=c17 -D_DEFAULT_SOURCE -I src/lib -o /tmp/gen_vectors_ring \
 *       tests/vectors/gen_vectors_ring.c src/lib/ring.c src/lib/memo.c \
 *       src/lib/aead.c src/lib/binenc.c src/lib/dhash.c \
 *       src/lib/directory.c src/lib/keys.c \
 *       $(pkg-config --cflags --libs libsodium jansson)
 *   /tmp/gen_vectors_ring tests/vectors
 *
 * Every input, including the signing seeds, is fixed, so running it twice
 * writes identical files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "keys.h"
#include "ring.h"

#define NMEMBERS 6
#define NMAX 8
#define MEMO_A "d_0000000000000000000000ff"
#define MEMO_B "d_5e1f0c2a9b8d7e6f40312233"

static const char *outdir;

/* The members: keys derived from the seeds a0 a0 ..., a1 a1 ..., .... */
static uint8_t seeds[NMEMBERS][KEYS_SEED_BYTES];
static uint8_t sks[NMEMBERS][32];
static uint8_t pks[NMEMBERS][32];

/* Two version hashes: 00 01 .. 1f and ff fe .. e0. */
static uint8_t v1[32], v2[32];

/* L, little-endian. */
static const uint8_t group_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63,
    0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x10};

/* One signature: its inputs and what the reference signer computed. */
struct sigcase {
	const char *memo_id;
	uint64_t tree_size;
	size_t n;
	size_t ring[NMAX]; /* member indices */
	size_t signer;     /* position in the ring */
	uint8_t binding[RING_BINDING_BYTES];
	uint8_t seed[32];
	/* Outputs. */
	uint8_t digest[32], base[32], tag[32];
	uint8_t nonces[NMAX][32], challenges[NMAX][32];
	uint8_t sig[RING_SIG_BYTES(NMAX)];
};

static void
die(const char *what)
{

	fprintf(stderr, "gen_vectors_ring: %s\n", what);
	exit(1);
}

static void
check(int ok, const char *what)
{

	if (!ok)
		die(what);
}

static json_t *
hex_string(const uint8_t *bin, size_t len)
{
	char *hex;
	json_t *s;

	if ((hex = malloc(2 * len + 1)) == NULL)
		die("out of memory");
	sodium_bin2hex(hex, 2 * len + 1, bin, len);
	check((s = json_string(hex)) != NULL, "json");
	free(hex);
	return (s);
}

static void
set_hex(json_t *o, const char *key, const uint8_t *bin, size_t len)
{

	check(json_object_set_new(o, key, hex_string(bin, len)) == 0, "json");
}

static void
set_str(json_t *o, const char *key, const char *s)
{

	check(json_object_set_new(o, key, json_string(s)) == 0, "json");
}

static void
set_int(json_t *o, const char *key, long long v)
{

	check(json_object_set_new(o, key, json_integer(v)) == 0, "json");
}

static void
append(json_t *arr, json_t *v)
{

	check(v != NULL && json_array_append_new(arr, v) == 0, "json");
}

static void
write_file(const char *name, json_t *root)
{
	char path[4096];
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", outdir, name) >=
	    sizeof(path))
		die("path too long");
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) !=
	    0)
		die("cannot write a vector file");
	/* json_dump_file() does not end the file with a newline. */
	f = fopen(path, "a");
	check(f != NULL && fputc('\n', f) != EOF && fclose(f) == 0,
	    "cannot finish a vector file");
	json_decref(root);
}

/* Reference code: the formulas of docs/PROTOCOL.md, nothing checked. */

static void
ref_tag(crypto_generichash_state *st, const char *tag)
{
	uint8_t len = (uint8_t)strlen(tag);

	crypto_generichash_update(st, &len, 1);
	crypto_generichash_update(st, (const uint8_t *)tag, len);
}

static void
ref_u32(crypto_generichash_state *st, uint32_t v)
{
	uint8_t be[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v};

	crypto_generichash_update(st, be, 4);
}

static void
ref_str(crypto_generichash_state *st, const char *s)
{

	ref_u32(st, (uint32_t)strlen(s));
	crypto_generichash_update(st, (const uint8_t *)s, strlen(s));
}

/* The 64-byte hash of the tag base and the point it maps to. */
static void
ref_base(uint8_t wide[64], uint8_t base[32], const char *memo_id)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, 64);
	ref_tag(&st, "dissent/ring-tag-base/v1");
	ref_str(&st, memo_id);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_from_hash(base, wide);
}

static void
ref_digest(uint8_t d[32], const uint8_t (*ring)[32], size_t n, uint64_t t)
{
	crypto_generichash_state st;
	uint8_t be[8];
	size_t i;

	for (i = 0; i < 8; i++)
		be[i] = (uint8_t)(t >> (56 - 8 * i));
	crypto_generichash_init(&st, NULL, 0, 32);
	ref_tag(&st, "dissent/ring-digest/v1");
	crypto_generichash_update(&st, be, 8);
	ref_u32(&st, (uint32_t)n);
	crypto_generichash_update(&st, ring[0], 32 * n);
	crypto_generichash_final(&st, d, 32);
}

static void
ref_challenge(uint8_t c[32], const char *memo_id, const uint8_t d[32],
    const uint8_t b[33], const uint8_t tag[32], const uint8_t L[32],
    const uint8_t R[32])
{
	crypto_generichash_state st;
	uint8_t wide[64];

	crypto_generichash_init(&st, NULL, 0, 64);
	ref_tag(&st, "dissent/ring-challenge/v1");
	ref_str(&st, memo_id);
	crypto_generichash_update(&st, d, 32);
	crypto_generichash_update(&st, b, 33);
	crypto_generichash_update(&st, tag, 32);
	crypto_generichash_update(&st, L, 32);
	crypto_generichash_update(&st, R, 32);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_scalar_reduce(c, wide);
}

static void
ref_nonce(uint8_t k[32], const uint8_t seed[32], const uint8_t x[32],
    const char *memo_id, const uint8_t d[32], const uint8_t b[33], size_t j)
{
	crypto_generichash_state st;
	uint8_t wide[64];

	crypto_generichash_init(&st, seed, 32, 64);
	ref_tag(&st, "dissent/ring-nonce/v1");
	crypto_generichash_update(&st, x, 32);
	ref_str(&st, memo_id);
	crypto_generichash_update(&st, d, 32);
	crypto_generichash_update(&st, b, 33);
	ref_u32(&st, (uint32_t)j);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_scalar_reduce(k, wide);
}

/*
 * Sign case ${sc} over the ring of keys ${ring} with the secret ${x}; fill
 * every output of ${sc}.
 */
static void
ref_sign(struct sigcase *sc, const uint8_t (*ring)[32], const uint8_t x[32])
{
	uint8_t wide[64], a[32], b[32], L[32], R[32], c[32], cx[32];
	uint8_t *s = sc->sig + 32;
	size_t n = sc->n, p = sc->signer, i, j;

	ref_digest(sc->digest, ring, n, sc->tree_size);
	ref_base(wide, sc->base, sc->memo_id);
	check(crypto_scalarmult_ristretto255(sc->tag, x, sc->base) == 0, "tag");
	for (j = 0; j < n; j++) {
		ref_nonce(sc->nonces[j], sc->seed, x, sc->memo_id, sc->digest,
		    sc->binding, j);
		memcpy(s + 32 * j, sc->nonces[j], 32);
	}
	check(
	    crypto_scalarmult_ristretto255_base(L, sc->nonces[p]) == 0 &&
		crypto_scalarmult_ristretto255(R, sc->nonces[p], sc->base) == 0,
	    "signer's link");
	for (j = 1; j <= n; j++) {
		i = (p + j) % n;
		ref_challenge(
		    c, sc->memo_id, sc->digest, sc->binding, sc->tag, L, R);
		memcpy(sc->challenges[i], c, 32);
		if (j == n)
			break;
		check(crypto_scalarmult_ristretto255_base(a, s + 32 * i) == 0 &&
			  crypto_scalarmult_ristretto255(b, c, ring[i]) == 0 &&
			  crypto_core_ristretto255_add(L, a, b) == 0 &&
			  crypto_scalarmult_ristretto255(
			      a, s + 32 * i, sc->base) == 0 &&
			  crypto_scalarmult_ristretto255(b, c, sc->tag) == 0 &&
			  crypto_core_ristretto255_add(R, a, b) == 0,
		    "link");
	}
	crypto_core_ristretto255_scalar_mul(cx, sc->challenges[p], x);
	crypto_core_ristretto255_scalar_sub(s + 32 * p, sc->nonces[p], cx);
	memcpy(sc->sig, sc->challenges[0], 32);
	memcpy(s + 32 * n, sc->tag, 32);
}

/* The ring keys of ${sc}. */
static void
ring_of(uint8_t ring[NMAX][32], const struct sigcase *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++)
		memcpy(ring[i], pks[sc->ring[i]], 32);
}

static json_t *
ring_hex(const uint8_t (*ring)[32], size_t n)
{
	json_t *a = json_array();
	size_t i;

	check(a != NULL, "json");
	for (i = 0; i < n; i++)
		append(a, hex_string(ring[i], 32));
	return (a);
}

static json_t *
index_array(const size_t *idx, size_t n)
{
	json_t *a = json_array();
	size_t i;

	check(a != NULL, "json");
	for (i = 0; i < n; i++)
		append(a, json_integer((json_int_t)idx[i]));
	return (a);
}

/* Sign ${sc} both ways, insist they agree, and describe it in JSON. */
static json_t *
sig_case(struct sigcase *sc)
{
	uint8_t ring[NMAX][32], lib[RING_SIG_BYTES(NMAX)];
	const uint8_t *x = sks[sc->ring[sc->signer]];
	json_t *o = json_object(), *a;
	size_t j, len = RING_SIG_BYTES(sc->n);

	ring_of(ring, sc);
	ref_sign(sc, (const uint8_t(*)[32])ring, x);
	check(ring_sign_with_seed(lib, len, (const uint8_t(*)[32])ring, sc->n,
		  sc->signer, x, sc->memo_id, sc->binding, sc->tree_size,
		  sc->seed) == 0,
	    "ring_sign_with_seed");
	check(memcmp(lib, sc->sig, len) == 0,
	    "ring_sign_with_seed differs from the reference signer");
	check(ring_verify(sc->sig, len, (const uint8_t(*)[32])ring, sc->n,
		  RING_MAX_DEFAULT, sc->memo_id, sc->binding, sc->tree_size,
		  sc->digest) == 0,
	    "ring_verify");

	check(o != NULL, "json");
	set_str(o, "memo_id", sc->memo_id);
	set_int(o, "tree_size", (long long)sc->tree_size);
	check(json_object_set_new(o, "ring", index_array(sc->ring, sc->n)) == 0,
	    "json");
	check(json_object_set_new(o, "ring_hex",
		  ring_hex((const uint8_t(*)[32])ring, sc->n)) == 0,
	    "json");
	set_int(o, "signer", (long long)sc->signer);
	set_hex(o, "binding_hex", sc->binding, RING_BINDING_BYTES);
	set_hex(o, "seed_hex", sc->seed, 32);
	set_hex(o, "digest_hex", sc->digest, 32);
	set_hex(o, "tag_base_hex", sc->base, 32);
	set_hex(o, "tag_hex", sc->tag, 32);
	check((a = json_array()) != NULL, "json");
	for (j = 0; j < sc->n; j++)
		append(a, hex_string(sc->nonces[j], 32));
	check(json_object_set_new(o, "nonces_hex", a) == 0, "json");
	check((a = json_array()) != NULL, "json");
	for (j = 0; j < sc->n; j++)
		append(a, hex_string(sc->challenges[j], 32));
	check(json_object_set_new(o, "challenges_hex", a) == 0, "json");
	set_hex(o, "sig_hex", sc->sig, len);
	return (o);
}

/* An input set to refuse: the ring and signature given explicitly. */
static void
add_invalid(json_t *arr, const char *reason, const char *memo_id,
    uint64_t tree_size, size_t max, const uint8_t (*ring)[32], size_t n,
    const uint8_t binding[RING_BINDING_BYTES], const uint8_t *sig,
    size_t siglen)
{
	json_t *o = json_object();

	check(o != NULL, "json");
	/* Every case must be refused by the library too. */
	check(ring_verify(sig, siglen, ring, n, max, memo_id, binding,
		  tree_size, NULL) != 0,
	    reason);
	set_str(o, "reason", reason);
	set_str(o, "memo_id", memo_id);
	set_int(o, "tree_size", (long long)tree_size);
	set_int(o, "max", (long long)max);
	check(
	    json_object_set_new(o, "ring_hex", ring_hex(ring, n)) == 0, "json");
	set_hex(o, "binding_hex", binding, RING_BINDING_BYTES);
	set_hex(o, "sig_hex", sig, siglen);
	append(arr, o);
}

/* Little-endian a + b into out; the sum must not overflow. */
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
	check(carry == 0, "scalar + L overflows");
}

/* The first member that is not in the ring of ${sc}. */
static size_t
outsider(const struct sigcase *sc)
{
	size_t i, j;

	for (i = 0; i < NMEMBERS; i++) {
		for (j = 0; j < sc->n; j++)
			if (sc->ring[j] == i)
				break;
		if (j == sc->n)
			return (i);
	}
	die("no outsider");
	return (0);
}

static void
invalid_cases(
    json_t *arr, const struct sigcase *base, const struct sigcase *big)
{
	uint8_t ring[NMAX][32], r2[NMAX][32], sig[RING_SIG_BYTES(NMAX) + 1];
	uint8_t bind[RING_BINDING_BYTES];
	struct sigcase sc;
	size_t n = base->n, len = RING_SIG_BYTES(base->n);
	uint8_t *tag = sig + len - 32;
	const uint8_t(*R)[32] = (const uint8_t(*)[32])ring;
	const uint8_t(*R2)[32] = (const uint8_t(*)[32])r2;
	const char *m = base->memo_id;
	uint64_t t = base->tree_size;

	ring_of(ring, base);

#define RESET() memcpy(sig, base->sig, len)
	RESET();
	add_le(sig + 64, sig + 64, group_order);
	add_invalid(arr, "s_1 + L: a non-canonical scalar, equal mod L", m, t,
	    RING_MAX_DEFAULT, R, n, base->binding, sig, len);
	RESET();
	sig[32 + 31] |= 0x80;
	add_invalid(arr,
	    "s_0 with bit 255 set (scalar multiplication would ignore it)", m,
	    t, RING_MAX_DEFAULT, R, n, base->binding, sig, len);
	RESET();
	add_le(sig, sig, group_order);
	add_invalid(arr, "c_0 + L: a non-canonical scalar", m, t,
	    RING_MAX_DEFAULT, R, n, base->binding, sig, len);
	RESET();
	sig[0] ^= 0x01;
	add_invalid(arr, "c_0 changed", m, t, RING_MAX_DEFAULT, R, n,
	    base->binding, sig, len);
	RESET();
	memset(tag, 0, 32);
	add_invalid(arr, "the tag is the identity", m, t, RING_MAX_DEFAULT, R,
	    n, base->binding, sig, len);
	RESET();
	tag[0] |= 0x01;
	add_invalid(arr, "the tag is not a canonical encoding (odd)", m, t,
	    RING_MAX_DEFAULT, R, n, base->binding, sig, len);
	RESET();
	check(ring_tag(tag, sks[base->ring[(base->signer + 1) % n]], m) == 0,
	    "ring_tag");
	add_invalid(arr, "the tag of another ring member", m, t,
	    RING_MAX_DEFAULT, R, n, base->binding, sig, len);
	RESET();
	add_invalid(arr, "the signature presented for another memo", MEMO_B, t,
	    RING_MAX_DEFAULT, R, n, base->binding, sig, len);
	ring_binding_version(bind, v1);
	add_invalid(arr, "the signature presented for another version", m, t,
	    RING_MAX_DEFAULT, R, n, bind, sig, len);
	memcpy(bind, base->binding, sizeof(bind));
	bind[0] = RING_BIND_WITHDRAWAL;
	add_invalid(arr, "the version binding presented as a withdrawal", m, t,
	    RING_MAX_DEFAULT, R, n, bind, sig, len);
	add_invalid(arr, "another tree size", m, t + 1, RING_MAX_DEFAULT, R, n,
	    base->binding, sig, len);
	memcpy(r2, ring, sizeof(ring));
	memcpy(r2[0], ring[1], 32);
	memcpy(r2[1], ring[0], 32);
	add_invalid(arr, "the ring reordered", m, t, RING_MAX_DEFAULT, R2, n,
	    base->binding, sig, len);
	memcpy(r2, ring, sizeof(ring));
	memcpy(r2[(base->signer + 1) % n], pks[outsider(base)], 32);
	add_invalid(arr, "a non-member in the ring", m, t, RING_MAX_DEFAULT, R2,
	    n, base->binding, sig, len);
	memcpy(r2, ring, sizeof(ring));
	memset(r2[(base->signer + 1) % n], 0, 32);
	add_invalid(arr, "a ring key is the identity", m, t, RING_MAX_DEFAULT,
	    R2, n, base->binding, sig, len);
	memcpy(r2, ring, sizeof(ring));
	r2[(base->signer + 1) % n][0] |= 0x01;
	add_invalid(arr, "a ring key is not a canonical encoding", m, t,
	    RING_MAX_DEFAULT, R2, n, base->binding, sig, len);
	add_invalid(arr, "cut by one scalar", m, t, RING_MAX_DEFAULT, R, n,
	    base->binding, sig, len - 32);
	sig[len] = 0;
	add_invalid(arr, "one byte appended", m, t, RING_MAX_DEFAULT, R, n,
	    base->binding, sig, len + 1);

	/* Valid by the equations, refused by the rules. */
	sc = *base;
	sc.ring[(sc.signer + 1) % n] = sc.ring[(sc.signer + 2) % n];
	ring_of(r2, &sc);
	ref_sign(&sc, R2, sks[sc.ring[sc.signer]]);
	add_invalid(arr,
	    "a duplicate ring key (the signature satisfies the equations)", m,
	    t, RING_MAX_DEFAULT, R2, n, sc.binding, sc.sig, len);
	sc = *base;
	sc.n = 1;
	sc.ring[0] = base->ring[base->signer];
	sc.signer = 0;
	ring_of(r2, &sc);
	ref_sign(&sc, R2, sks[sc.ring[0]]);
	add_invalid(arr,
	    "a ring of one key (the signature satisfies the equations)", m, t,
	    RING_MAX_DEFAULT, R2, 1, sc.binding, sc.sig, RING_SIG_BYTES(1));
	sc = *base;
	sc.binding[0] = 0;
	ref_sign(&sc, R, sks[sc.ring[sc.signer]]);
	add_invalid(arr,
	    "binding kind 0 (the signature satisfies the equations)", m, t,
	    RING_MAX_DEFAULT, R, n, sc.binding, sc.sig, len);

	/* The larger case under a configured maximum below its size. */
	ring_of(r2, big);
	add_invalid(arr, "a ring larger than the configured maximum",
	    big->memo_id, big->tree_size, big->n - 1, R2, big->n, big->binding,
	    big->sig, RING_SIG_BYTES(big->n));
#undef RESET
}

int
main(int argc, char *argv[])
{
	static const char *memos[] = {MEMO_A, MEMO_B};
	static struct sigcase cases[4];
	struct keys_secret ks;
	json_t *root = json_object(), *arr, *o;
	uint8_t wide[64], base[32], tag[32], d[32], b[RING_BINDING_BYTES];
	uint8_t ring[NMAX][32];
	size_t i, j;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_vectors_ring OUTDIR\n");
		return (1);
	}
	outdir = argv[1];
	check(sodium_init() >= 0, "sodium_init");
	check(root != NULL, "json");
	for (i = 0; i < 32; i++) {
		v1[i] = (uint8_t)i;
		v2[i] = (uint8_t)(0xff - i);
	}

	set_str(root, "description",
	    "Linkable ring signatures: docs/PROTOCOL.md \"Anonymous "
	    "co-signatures\".  members: ring keys derived from seeds as in "
	    "keys.json.  tag_bases: BLAKE2b-64 of u8(24) || "
	    "\"dissent/ring-tag-base/v1\" || str(memo_id) and the point "
	    "crypto_core_ristretto255_from_hash() maps it to.  tags: "
	    "ring_sk * tag base.  digests: ring digests of member lists at a "
	    "tree size.  bindings: version and withdrawal bindings.  "
	    "signatures: every input (ring as member indices and keys, signer "
	    "position, binding, signing seed) and every intermediate value "
	    "(digest, tag base, tag, nonces k_j, challenges c_j) of a "
	    "signature c_0 || s_0 .. s_{n-1} || I.  invalid: inputs that "
	    "verification must refuse, with the reason; max is the configured "
	    "maximum ring size.  Binary values are lowercase hex.");

	/* Members. */
	check((arr = json_array()) != NULL, "json");
	for (i = 0; i < NMEMBERS; i++) {
		memset(seeds[i], (int)(0xa0 + i), KEYS_SEED_BYTES);
		check(keys_derive(&ks, seeds[i]) == 0, "keys_derive");
		memcpy(sks[i], ks.ring_sk, 32);
		memcpy(pks[i], ks.pub.ring_pk, 32);
		keys_wipe(&ks);
		check((o = json_object()) != NULL, "json");
		set_hex(o, "seed_hex", seeds[i], KEYS_SEED_BYTES);
		set_hex(o, "ring_sk_hex", sks[i], 32);
		set_hex(o, "ring_pk_hex", pks[i], 32);
		append(arr, o);
	}
	check(json_object_set_new(root, "members", arr) == 0, "json");

	/* Tag bases and tags. */
	check((arr = json_array()) != NULL, "json");
	for (i = 0; i < 2; i++) {
		ref_base(wide, base, memos[i]);
		check((o = json_object()) != NULL, "json");
		set_str(o, "memo_id", memos[i]);
		set_hex(o, "hash_hex", wide, 64);
		set_hex(o, "point_hex", base, 32);
		append(arr, o);
	}
	check(json_object_set_new(root, "tag_bases", arr) == 0, "json");
	check((arr = json_array()) != NULL, "json");
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 2; j++) {
			check(ring_tag(tag, sks[i], memos[j]) == 0, "ring_tag");
			ref_base(wide, base, memos[j]);
			check(crypto_scalarmult_ristretto255(d, sks[i], base) ==
				      0 &&
				  memcmp(d, tag, 32) == 0,
			    "ring_tag differs from the reference");
			check((o = json_object()) != NULL, "json");
			set_int(o, "member", (long long)i);
			set_str(o, "memo_id", memos[j]);
			set_hex(o, "tag_hex", tag, 32);
			append(arr, o);
		}
	}
	check(json_object_set_new(root, "tags", arr) == 0, "json");

	/* Digests. */
	{
		static const size_t lists[3][NMEMBERS] = {
		    {0, 1}, {1, 0}, {5, 4, 3, 2, 1, 0}};
		static const size_t lens[3] = {2, 2, 6};
		static const uint64_t sizes[3] = {1, 1, 1099511627779ULL};

		check((arr = json_array()) != NULL, "json");
		for (i = 0; i < 3; i++) {
			for (j = 0; j < lens[i]; j++)
				memcpy(ring[j], pks[lists[i][j]], 32);
			check(ring_digest(d, (const uint8_t(*)[32])ring,
				  lens[i], sizes[i]) == 0,
			    "ring_digest");
			ref_digest(wide, (const uint8_t(*)[32])ring, lens[i],
			    sizes[i]);
			check(memcmp(wide, d, 32) == 0,
			    "ring_digest differs from the reference");
			check((o = json_object()) != NULL, "json");
			check(json_object_set_new(o, "ring",
				  index_array(lists[i], lens[i])) == 0,
			    "json");
			set_int(o, "tree_size", (long long)sizes[i]);
			set_hex(o, "digest_hex", d, 32);
			append(arr, o);
		}
		check(json_object_set_new(root, "digests", arr) == 0, "json");
	}

	/*
	 * Signatures: a ring of 2; a ring of 3 (the base of the invalid
	 * cases); all 6 members at a tree size above 2^32; and the
	 * withdrawal of the first by the same member on another ring (the
	 * same tag).
	 */
	cases[0] = (struct sigcase){.memo_id = MEMO_A,
	    .tree_size = 1,
	    .n = 2,
	    .ring = {0, 1},
	    .signer = 0};
	ring_binding_version(cases[0].binding, v1);
	cases[1] = (struct sigcase){.memo_id = MEMO_A,
	    .tree_size = 7,
	    .n = 3,
	    .ring = {2, 5, 1},
	    .signer = 2};
	ring_binding_version(cases[1].binding, v2);
	cases[2] = (struct sigcase){.memo_id = MEMO_B,
	    .tree_size = 1099511627779ULL,
	    .n = 6,
	    .ring = {5, 4, 3, 2, 1, 0},
	    .signer = 4};
	ring_binding_version(cases[2].binding, v1);
	for (i = 0; i < 3; i++)
		memset(cases[i].seed, (int)(0x70 + i), 32);
	check((arr = json_array()) != NULL, "json");
	for (i = 0; i < 3; i++)
		append(arr, sig_case(&cases[i]));
	cases[3] = (struct sigcase){.memo_id = MEMO_A,
	    .tree_size = 9,
	    .n = 3,
	    .ring = {3, 0, 4},
	    .signer = 1};
	check(ring_binding_withdrawal(cases[3].binding, v1, cases[0].sig,
		  RING_SIG_BYTES(cases[0].n)) == 0,
	    "ring_binding_withdrawal");
	memset(cases[3].seed, 0x73, 32);
	append(arr, sig_case(&cases[3]));
	check(memcmp(cases[0].tag, cases[3].tag, 32) == 0, "withdrawal tag");
	check(json_object_set_new(root, "signatures", arr) == 0, "json");

	/* Bindings. */
	check((arr = json_array()) != NULL, "json");
	ring_binding_version(b, v1);
	check((o = json_object()) != NULL, "json");
	set_int(o, "kind", RING_BIND_VERSION);
	set_hex(o, "version_hash_hex", v1, 32);
	set_hex(o, "binding_hex", b, sizeof(b));
	append(arr, o);
	check((o = json_object()) != NULL, "json");
	set_int(o, "kind", RING_BIND_WITHDRAWAL);
	set_hex(o, "version_hash_hex", v1, 32);
	set_str(o, "withdrawn", "the signature of signatures[0]");
	set_hex(
	    o, "withdrawn_sig_hex", cases[0].sig, RING_SIG_BYTES(cases[0].n));
	set_hex(o, "binding_hex", cases[3].binding, RING_BINDING_BYTES);
	append(arr, o);
	check(json_object_set_new(root, "bindings", arr) == 0, "json");

	/* Refusals. */
	check((arr = json_array()) != NULL, "json");
	invalid_cases(arr, &cases[1], &cases[2]);
	check(json_object_set_new(root, "invalid", arr) == 0, "json");

	write_file("ring.json", root);
	return (0);
}
