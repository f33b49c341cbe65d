/*
 * gen_vectors: write the known-answer vectors in tests/vectors (one JSON
 * file per module) from fixed inputs, using libdissent itself.  The
 * browser implementation (libsodium.js) is held to these files, and
 * tests/unit/test_vectors.c checks them against the C code on every build.
 *
 * Regenerate only when a format deliberately changes (and then bump the
 * version in the affected domain tags).  CMake does not build this
 * program; from the repository root:
 *
 *   cc -std=c17 -D_DEFAULT_SOURCE -I src/lib -o /tmp/gen_vectors \
 *       tests/vectors/gen_vectors.c src/lib/aead.c src/lib/b64.c \
 *       src/lib/binenc.c src/lib/custody.c src/lib/dhash.c \
 *       src/lib/grant.c src/lib/keys.c src/lib/totp.c \
 *       $(pkg-config --cflags --libs libsodium gnutls jansson)
 *   /tmp/gen_vectors tests/vectors
 *
 * Every input is fixed (seeds, salts, nonces, and the ephemeral key of the
 * sealed grants), so running it twice writes identical files.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "aead.h"
#include "b64.h"
#include "binenc.h"
#include "custody.h"
#include "dhash.h"
#include "grant.h"
#include "keys.h"
#include "totp.h"

static const char *outdir;

static void
die(const char *what)
{

	fprintf(stderr, "gen_vectors: %s\n", what);
	exit(1);
}

static void
check(int ok, const char *what)
{

	if (!ok)
		die(what);
}

/* Fill ${buf} with start, start+step, ... (mod 256). */
static void
pattern(uint8_t *buf, size_t len, uint8_t start, uint8_t step)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(start + step * i);
}

static void
set_hex(json_t *o, const char *key, const uint8_t *bin, size_t len)
{
	char *hex;

	if ((hex = malloc(2 * len + 1)) == NULL)
		die("out of memory");
	sodium_bin2hex(hex, 2 * len + 1, bin, len);
	check(json_object_set_new(o, key, json_string(hex)) == 0, "json");
	free(hex);
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
write_file(const char *name, json_t *root)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", outdir, name) >=
	    sizeof(path))
		die("path too long");
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) !=
	    0)
		die("cannot write a vector file");
	/* json_dump_file() does not end the file with a newline. */
	{
		FILE *f = fopen(path, "a");

		check(f != NULL && fputc('\n', f) != EOF && fclose(f) == 0,
		    "cannot finish a vector file");
	}
	json_decref(root);
}

static json_t *
new_file(const char *description)
{
	json_t *root = json_object();

	set_str(root, "description", description);
	return (root);
}

static void
gen_dhash(void)
{
	json_t *root = new_file(
	    "dhash(tag, msg) = BLAKE2b-256(u8(len(tag)) "
	    "|| tag || msg); docs/PROTOCOL.md \"Domain-separated hash\". "
	    "Binary values are lowercase hex.");
	json_t *cases = json_array();
	static const char *tags[] = {
	    "dissent/test/v1",
	    "dissent/version/v1",
	    "dissent/0123456789abcdef0123456789abcdef0123456789abcdef/v1tag",
	};
	uint8_t msg[100], h[DHASH_BYTES];
	size_t lens[] = {5, 0, 100};
	size_t i;
	json_t *c;

	for (i = 0; i < 3; i++) {
		if (i == 0)
			memcpy(msg, "hello", 5);
		else
			pattern(msg, sizeof(msg), 0, 1);
		check(dhash(h, tags[i], msg, lens[i]) == 0, "dhash");
		c = json_object();
		set_str(c, "tag", tags[i]);
		set_hex(c, "msg_hex", msg, lens[i]);
		set_hex(c, "hash_hex", h, sizeof(h));
		json_array_append_new(cases, c);
	}
	json_object_set_new(root, "cases", cases);
	write_file("dhash.json", root);
}

/* Append a field description to ${fields} and the field to ${e}. */
static void
field_int(json_t *fields, struct binenc *e, const char *type, uint64_t v)
{
	json_t *f = json_object();
	char dec[32];

	set_str(f, "type", type);
	if (strcmp(type, "u8") == 0) {
		binenc_u8(e, (uint8_t)v);
		set_int(f, "value", (long long)v);
	} else if (strcmp(type, "u32") == 0) {
		binenc_u32(e, (uint32_t)v);
		set_int(f, "value", (long long)v);
	} else {
		/* Decimal text: JavaScript numbers cannot hold every u64. */
		binenc_u64(e, v);
		snprintf(dec, sizeof(dec), "%llu", (unsigned long long)v);
		set_str(f, "value", dec);
	}
	json_array_append_new(fields, f);
}

static void
field_bytes(json_t *fields, struct binenc *e, const char *type,
    const uint8_t *p, size_t n)
{
	json_t *f = json_object();

	set_str(f, "type", type);
	set_hex(f, "hex", p, n);
	if (strcmp(type, "fixed") == 0)
		binenc_fixed(e, p, n);
	else
		binenc_var(e, p, n);
	json_array_append_new(fields, f);
}

static void
field_str(json_t *fields, struct binenc *e, const char *s)
{
	json_t *f = json_object();

	set_str(f, "type", "str");
	set_str(f, "value", s);
	binenc_str(e, s);
	json_array_append_new(fields, f);
}

static void
finish_case(json_t *cases, json_t *fields, struct binenc *e)
{
	json_t *c = json_object();
	size_t len;

	check(binenc_finish(e, &len) == 0, "binenc");
	json_object_set_new(c, "fields", fields);
	set_hex(c, "encoding_hex", e->buf, len);
	json_array_append_new(cases, c);
}

static void
gen_binenc(void)
{
	json_t *root = new_file(
	    "Fixed binary encoding: u8/u32/u64 "
	    "big-endian; fixed = raw bytes; var = u32 length || bytes; str = "
	    "var of the UTF-8 bytes. u64 values are decimal strings. "
	    "docs/PROTOCOL.md \"Binary encoding\".");
	json_t *cases = json_array(), *fields;
	uint8_t buf[512], k[32];
	struct binenc e;

	fields = json_array();
	binenc_init(&e, buf, sizeof(buf));
	field_int(fields, &e, "u8", 7);
	field_int(fields, &e, "u32", 0x01020304);
	field_int(fields, &e, "u64", (1ULL << 40) + 5);
	field_bytes(fields, &e, "fixed", (const uint8_t *)"ab", 2);
	field_bytes(fields, &e, "var", (const uint8_t *)"xyz", 3);
	field_str(fields, &e, "hi");
	finish_case(cases, fields, &e);

	fields = json_array();
	binenc_init(&e, buf, sizeof(buf));
	field_int(fields, &e, "u8", 255);
	field_int(fields, &e, "u32", UINT32_MAX);
	field_int(fields, &e, "u64", UINT64_MAX);
	field_bytes(fields, &e, "var", NULL, 0);
	field_str(fields, &e, "");
	finish_case(cases, fields, &e);

	fields = json_array();
	binenc_init(&e, buf, sizeof(buf));
	pattern(k, sizeof(k), 0xa0, 1);
	field_str(fields, &e, "dissent/example/v1");
	field_str(fields, &e, "m\xc3\xa9mo \xe2\x9c\x93");
	field_int(fields, &e, "u32", 1);
	field_bytes(fields, &e, "fixed", k, sizeof(k));
	field_int(fields, &e, "u64", 1700000000ULL);
	finish_case(cases, fields, &e);

	json_object_set_new(root, "cases", cases);
	write_file("binenc.json", root);
}

static void
gen_b64(void)
{
	json_t *root = new_file(
	    "Base64url (RFC 4648 section 5) without "
	    "padding, strict: every string in \"invalid\" must be refused. "
	    "docs/PROTOCOL.md \"Base64url\".");
	json_t *valid = json_array(), *invalid = json_array(), *c;
	static const char *bad[] = {
	    "Zg==",
	    "Zm8=",
	    "Zm9v\n",
	    " Zm9v",
	    "Zm 9v",
	    "Zm9+",
	    "Zm9/",
	    "Zh",
	    "Zm9",
	    "Z",
	    "Zm9vY",
	    "Zm9v*",
	    "AB",
	};
	uint8_t bin[32];
	char enc[B64_ENCODED_LEN(32)];
	size_t lens[] = {0, 1, 2, 3, 4, 5, 32};
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		if (lens[i] < 32)
			memcpy(bin, "foobar", 6);
		else
			pattern(bin, 32, 0xf0, 7);
		check(b64_encode(enc, sizeof(enc), bin, lens[i]) == 0, "b64");
		c = json_object();
		set_hex(c, "hex", bin, lens[i]);
		set_str(c, "b64", enc);
		json_array_append_new(valid, c);
	}
	/* Both characters that differ from the standard alphabet. */
	bin[0] = 0xfb;
	bin[1] = 0xff;
	bin[2] = 0xbf;
	check(b64_encode(enc, sizeof(enc), bin, 3) == 0, "b64");
	c = json_object();
	set_hex(c, "hex", bin, 3);
	set_str(c, "b64", enc);
	json_array_append_new(valid, c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		json_array_append_new(invalid, json_string(bad[i]));
	json_object_set_new(root, "valid", valid);
	json_object_set_new(root, "invalid", invalid);
	write_file("b64.json", root);
}

/* The PoP transcript, as keys.c builds it (for the vector files). */
static size_t
transcript(uint8_t *buf, size_t cap, const char *member_id, uint32_t epoch,
    const struct keys_public *pub)
{
	struct binenc e;
	size_t len;

	binenc_init(&e, buf, cap);
	binenc_str(&e, member_id);
	binenc_u32(&e, epoch);
	binenc_fixed(&e, pub->sign_pk, 32);
	binenc_fixed(&e, pub->box_pk, 32);
	binenc_fixed(&e, pub->ring_pk, 32);
	check(binenc_finish(&e, &len) == 0, "transcript");
	return (len);
}

/* BLAKE2b-512(u8(len(tag)) || tag || a || b || c) mod L, keyed or not. */
static void
tagged_scalar(uint8_t out[32], const uint8_t *key, size_t keylen,
    const char *tag, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, const uint8_t *c, size_t clen)
{
	crypto_generichash_state st;
	uint8_t wide[64], taglen = (uint8_t)strlen(tag);

	crypto_generichash_init(&st, key, keylen, 64);
	crypto_generichash_update(&st, &taglen, 1);
	crypto_generichash_update(&st, (const uint8_t *)tag, taglen);
	crypto_generichash_update(&st, a, alen);
	crypto_generichash_update(&st, b, blen);
	crypto_generichash_update(&st, c, clen);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_scalar_reduce(out, wide);
}

static void
set_pub(json_t *o, const struct keys_public *pub)
{

	set_hex(o, "sign_pk_hex", pub->sign_pk, 32);
	set_hex(o, "box_pk_hex", pub->box_pk, 32);
	set_hex(o, "ring_pk_hex", pub->ring_pk, 32);
}

static json_t *
pop_case(const struct keys_secret *ks, const char *member_id, uint32_t epoch)
{
	json_t *p = json_object();
	struct keys_pop pop;
	uint8_t t[256], r[32], c[32];
	size_t tlen;

	check(keys_pop_make(&pop, ks, member_id, epoch) == 0, "pop");
	check(keys_pop_verify(&pop, &ks->pub, member_id, epoch) == 0, "pop");
	tlen = transcript(t, sizeof(t), member_id, epoch, &ks->pub);
	tagged_scalar(r, ks->ring_sk, 32, "dissent/key-pop-nonce/v1", t, tlen,
	    NULL, 0, NULL, 0);
	tagged_scalar(c, NULL, 0, "dissent/key-pop-ring/v1", pop.ring_proof, 32,
	    ks->pub.ring_pk, 32, t, tlen);
	set_str(p, "member_id", member_id);
	set_int(p, "epoch", epoch);
	set_hex(p, "transcript_hex", t, tlen);
	set_hex(p, "sig_hex", pop.sig, 64);
	set_hex(p, "ring_nonce_hex", r, 32);
	set_hex(p, "ring_challenge_hex", c, 32);
	set_hex(p, "ring_proof_hex", pop.ring_proof, 64);
	return (p);
}

static json_t *
sig_case(const struct keys_secret *ks, const char *tag, const uint8_t *msg,
    size_t msglen)
{
	json_t *s = json_object();
	uint8_t sig[64];

	check(keys_sign(sig, ks, tag, msg, msglen) == 0, "sign");
	set_str(s, "tag", tag);
	set_hex(s, "msg_hex", msg, msglen);
	set_hex(s, "sig_hex", sig, 64);
	return (s);
}

static void
derive_from(
    struct keys_secret *ks, uint8_t seed[32], uint8_t start, uint8_t step)
{

	pattern(seed, 32, start, step);
	check(keys_derive(ks, seed) == 0, "derive");
}

/* An invalid PoP: the keys, transcript inputs and proof, and why. */
static void
bad_pop(json_t *arr, const char *reason, const struct keys_public *pub,
    const char *member_id, uint32_t epoch, const struct keys_pop *pop)
{
	json_t *b = json_object();

	check(keys_pop_verify(pop, pub, member_id, epoch) != 0, reason);
	set_str(b, "reason", reason);
	set_str(b, "member_id", member_id);
	set_int(b, "epoch", epoch);
	set_pub(b, pub);
	set_hex(b, "sig_hex", pop->sig, 64);
	set_hex(b, "ring_proof_hex", pop->ring_proof, 64);
	json_array_append_new(arr, b);
}

static void
gen_keys(void)
{
	json_t *root = new_file(
	    "Member keys from a 32-byte seed, keys_sign "
	    "signatures, proofs of possession, rotation statements; "
	    "\"invalid_pops\" must all be refused and \"invalid_box_pks\" are "
	    "X25519 keys of small order or non-canonical. docs/PROTOCOL.md "
	    "\"Member keys\" and following. Binary values are lowercase hex.");
	json_t *cases = json_array(), *c, *sigs, *pops, *rot, *bad, *bbox;
	static const uint8_t group_order[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a,
	    0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x10};
	static const char *small_box[] = {
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "0100000000000000000000000000000000000000000000000000000000000000",
	    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
	    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	    "f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	};
	struct keys_secret ks[2], hybrid;
	struct keys_public pub;
	struct keys_pop pop, altered;
	uint8_t seed[2][32], sub[64], msg[300], sig[64], t[256];
	char fp[KEYS_FINGERPRINT_LEN];
	size_t i, tlen;
	unsigned int carry, v;
	json_t *r;

	derive_from(&ks[0], seed[0], 0x00, 1);
	derive_from(&ks[1], seed[1], 0xff, 0xff);
	for (i = 0; i < 2; i++) {
		c = json_object();
		set_hex(c, "seed_hex", seed[i], 32);
		check(crypto_kdf_derive_from_key(
			  sub, 32, 1, "dsmember", seed[i]) == 0,
		    "kdf");
		set_hex(c, "sign_seed_hex", sub, 32);
		set_hex(c, "sign_sk_hex", ks[i].sign_sk, 64);
		set_hex(c, "box_sk_hex", ks[i].box_sk, 32);
		check(crypto_kdf_derive_from_key(
			  sub, 64, 3, "dsmember", seed[i]) == 0,
		    "kdf");
		set_hex(c, "ring_wide_hex", sub, 64);
		set_hex(c, "ring_sk_hex", ks[i].ring_sk, 32);
		set_pub(c, &ks[i].pub);
		keys_fingerprint(fp, &ks[i].pub);
		set_str(c, "fingerprint", fp);

		sigs = json_array();
		json_array_append_new(sigs, sig_case(&ks[i], "dissent/test/v1",
						(const uint8_t *)"hello", 5));
		pattern(msg, sizeof(msg), (uint8_t)i, 3);
		json_array_append_new(sigs,
		    sig_case(&ks[i], "dissent/test/v1", msg, sizeof(msg)));
		json_array_append_new(sigs, sig_case(&ks[i], "t", NULL, 0));
		json_object_set_new(c, "signatures", sigs);

		pops = json_array();
		json_array_append_new(pops, pop_case(&ks[i], "m-0001", 1));
		json_array_append_new(
		    pops, pop_case(&ks[i], "member-with-a-longer-id-0002", 7));
		json_object_set_new(c, "pops", pops);
		json_array_append_new(cases, c);
	}
	json_object_set_new(root, "cases", cases);

	/* Rotation from the first keys to the second. */
	rot = json_array();
	r = json_object();
	check(keys_rotation_sign(sig, &ks[0], "m-0001", 2, &ks[1].pub) == 0,
	    "rotation");
	check(keys_rotation_verify(
		  sig, ks[0].pub.sign_pk, "m-0001", 2, &ks[1].pub) == 0,
	    "rotation");
	tlen = transcript(t, sizeof(t), "m-0001", 2, &ks[1].pub);
	set_hex(r, "old_seed_hex", seed[0], 32);
	set_hex(r, "new_seed_hex", seed[1], 32);
	set_str(r, "member_id", "m-0001");
	set_int(r, "new_epoch", 2);
	set_hex(r, "statement_hex", t, tlen);
	set_hex(r, "sig_hex", sig, 64);
	json_array_append_new(rot, r);
	json_object_set_new(root, "rotations", rot);

	/* Invalid proofs of possession, each refused for one reason. */
	bad = json_array();
	check(keys_pop_make(&pop, &ks[0], "m-0001", 1) == 0, "pop");
	bad_pop(bad, "wrong member id", &ks[0].pub, "m-0002", 1, &pop);
	bad_pop(bad, "wrong epoch", &ks[0].pub, "m-0001", 2, &pop);
	bad_pop(bad, "keys of another member", &ks[1].pub, "m-0001", 1, &pop);
	pub = ks[0].pub;
	memcpy(pub.box_pk, ks[0].pub.ring_pk, 32);
	memcpy(pub.ring_pk, ks[0].pub.box_pk, 32);
	bad_pop(bad, "box and ring keys swapped", &pub, "m-0001", 1, &pop);
	altered = pop;
	carry = 0;
	for (i = 0; i < 32; i++) {
		v = (unsigned int)altered.ring_proof[32 + i] + group_order[i] +
		    carry;
		altered.ring_proof[32 + i] = (uint8_t)v;
		carry = v >> 8;
	}
	bad_pop(bad, "ring proof s + L (not reduced)", &ks[0].pub, "m-0001", 1,
	    &altered);
	altered = pop;
	altered.ring_proof[63] |= 0x80;
	bad_pop(bad, "ring proof s with bit 255 set", &ks[0].pub, "m-0001", 1,
	    &altered);
	altered = pop;
	memcpy(altered.ring_proof + 32, group_order, 32);
	bad_pop(bad, "ring proof s = L", &ks[0].pub, "m-0001", 1, &altered);
	altered = pop;
	memset(altered.ring_proof, 0xff, 32);
	bad_pop(bad, "ring proof R not a valid encoding", &ks[0].pub, "m-0001",
	    1, &altered);
	/* Correctly signed, but the ring scalar is not the claimed key's. */
	hybrid = ks[0];
	memcpy(hybrid.pub.ring_pk, ks[1].pub.ring_pk, 32);
	check(keys_pop_make(&altered, &hybrid, "m-0001", 1) == 0, "pop");
	bad_pop(bad, "ring key not held by the signer", &hybrid.pub, "m-0001",
	    1, &altered);
	/* Correctly signed and proven, but an unusable key is claimed. */
	hybrid = ks[0];
	memset(hybrid.pub.ring_pk, 0, 32);
	check(keys_pop_make(&altered, &hybrid, "m-0001", 1) == 0, "pop");
	bad_pop(bad, "identity ring key", &hybrid.pub, "m-0001", 1, &altered);
	hybrid = ks[0];
	memset(hybrid.pub.box_pk, 0, 32);
	hybrid.pub.box_pk[0] = 1;
	check(keys_pop_make(&altered, &hybrid, "m-0001", 1) == 0, "pop");
	bad_pop(bad, "small-order box key", &hybrid.pub, "m-0001", 1, &altered);
	json_object_set_new(root, "invalid_pops", bad);

	bbox = json_array();
	for (i = 0; i < sizeof(small_box) / sizeof(small_box[0]); i++)
		json_array_append_new(bbox, json_string(small_box[i]));
	json_object_set_new(root, "invalid_box_pks", bbox);

	keys_wipe(&ks[0]);
	keys_wipe(&ks[1]);
	keys_wipe(&hybrid);
	write_file("keys.json", root);
}

static size_t
wrap_ad(uint8_t *ad, size_t cap, const char *member_id, const char *purpose)
{
	struct binenc e;
	size_t len;

	binenc_init(&e, ad, cap);
	binenc_str(&e, "dissent/seed-wrap/v1");
	binenc_str(&e, member_id);
	binenc_str(&e, purpose);
	check(binenc_finish(&e, &len) == 0, "ad");
	return (len);
}

static void
wrap_fields(json_t *c, const uint8_t wrap[32], const char *member_id,
    const char *purpose, uint8_t seedstart, uint8_t noncestart)
{
	uint8_t seed[32], nonce[24], ad[128], wrapped[CUSTODY_WRAPPED_BYTES];
	size_t adlen;

	pattern(seed, 32, seedstart, 1);
	pattern(nonce, 24, noncestart, 1);
	check(custody_wrap_seed_with_nonce(
		  wrapped, seed, wrap, member_id, purpose, nonce) == 0,
	    "wrap");
	adlen = wrap_ad(ad, sizeof(ad), member_id, purpose);
	set_str(c, "member_id", member_id);
	set_str(c, "purpose", purpose);
	set_hex(c, "seed_hex", seed, 32);
	set_hex(c, "nonce_hex", nonce, 24);
	set_hex(c, "ad_hex", ad, adlen);
	set_hex(c, "wrapped_hex", wrapped, sizeof(wrapped));
}

static void
gen_custody(void)
{
	json_t *root = new_file(
	    "Account custody: Argon2id password keys, "
	    "verifier, wrapped seed (with a fixed nonce: production nonces "
	    "are random); recovery codes and their keys; "
	    "\"invalid_recovery_codes\" must all be refused. memlimit is in "
	    "bytes. docs/PROTOCOL.md \"Account custody\" and \"Recovery "
	    "codes\". Binary values are lowercase hex.");
	json_t *pw = json_array(), *rc = json_array(), *bad = json_array();
	json_t *c, *eq;
	static const struct {
		const char *password;
		uint64_t ops, mem;
		uint8_t saltstart;
	} pcases[] = {
	    {"correct horse battery staple", 2, 19ULL << 20, 0x10},
	    {"p\xc3\xa4ssw\xc3\xb6rd \xf0\x9f\x97\x9d", 3, 20ULL << 20, 0x80},
	};
	static const char *badcodes[] = {
	    "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQ",
	    "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQTA",
	    "0AAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT",
	    "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQ1",
	    "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B8IB-CEQT",
	    "AAAQ_EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT",
	    "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT========",
	    "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT\n",
	    "",
	};
	struct custody_kdf kdf;
	uint8_t master[32], auth[32], wrap[32], ver[32], raw[20];
	char code[CUSTODY_RECOVERY_CODE_LEN + 1], alt[64];
	size_t i, j, o;

	for (i = 0; i < 2; i++) {
		pattern(kdf.salt, sizeof(kdf.salt), pcases[i].saltstart, 1);
		kdf.opslimit = pcases[i].ops;
		kdf.memlimit = pcases[i].mem;
		check(crypto_pwhash(master, 32, pcases[i].password,
			  strlen(pcases[i].password), kdf.salt, kdf.opslimit,
			  (size_t)kdf.memlimit,
			  crypto_pwhash_ALG_ARGON2ID13) == 0,
		    "argon2id");
		check(custody_password_keys(auth, wrap, pcases[i].password,
			  strlen(pcases[i].password), &kdf) == 0,
		    "password keys");
		custody_verifier(ver, auth);
		c = json_object();
		set_str(c, "password", pcases[i].password);
		set_hex(c, "salt_hex", kdf.salt, sizeof(kdf.salt));
		set_int(c, "opslimit", (long long)kdf.opslimit);
		set_int(c, "memlimit", (long long)kdf.memlimit);
		set_hex(c, "master_hex", master, 32);
		set_hex(c, "auth_key_hex", auth, 32);
		set_hex(c, "wrap_key_hex", wrap, 32);
		set_hex(c, "verifier_hex", ver, 32);
		wrap_fields(c, wrap, i == 0 ? "m-0001" : "m-0002", "password",
		    (uint8_t)(0x40 + i), (uint8_t)(0x60 + i));
		json_array_append_new(pw, c);
	}

	for (i = 0; i < 2; i++) {
		pattern(
		    raw, sizeof(raw), i == 0 ? 0x00 : 0xff, i == 0 ? 1 : 0xf3);
		custody_recovery_format(code, raw);
		check(custody_recovery_keys(auth, wrap, code) == 0, "recovery");
		custody_verifier(ver, auth);
		c = json_object();
		set_hex(c, "raw_hex", raw, sizeof(raw));
		set_str(c, "code", code);
		/* The same code as a person might type it. */
		eq = json_array();
		for (j = 0, o = 0; code[j] != '\0'; j++)
			if (code[j] != '-')
				alt[o++] =
				    (char)(code[j] >= 'A' && code[j] <= 'Z'
					       ? code[j] + 32
					       : code[j]);
		alt[o] = '\0';
		json_array_append_new(eq, json_string(alt));
		for (j = 0, o = 0; code[j] != '\0'; j++)
			alt[o++] = code[j] == '-' ? ' ' : code[j];
		alt[o] = '\0';
		json_array_append_new(eq, json_string(alt));
		json_object_set_new(c, "equivalent_codes", eq);
		set_hex(c, "auth_key_hex", auth, 32);
		set_hex(c, "wrap_key_hex", wrap, 32);
		set_hex(c, "verifier_hex", ver, 32);
		wrap_fields(c, wrap, "m-0001", "recovery", (uint8_t)(0x50 + i),
		    (uint8_t)(0x70 + i));
		json_array_append_new(rc, c);
	}
	for (i = 0; i < sizeof(badcodes) / sizeof(badcodes[0]); i++) {
		check(custody_recovery_keys(auth, wrap, badcodes[i]) != 0,
		    "bad code accepted");
		json_array_append_new(bad, json_string(badcodes[i]));
	}
	json_object_set_new(root, "password_cases", pw);
	json_object_set_new(root, "recovery_cases", rc);
	json_object_set_new(root, "invalid_recovery_codes", bad);
	write_file("custody.json", root);
}

static void
gen_aead(void)
{
	json_t *root = new_file(
	    "AEAD box = nonce (24) || "
	    "XChaCha20-Poly1305-IETF(key, nonce, ad, msg) (ciphertext || tag "
	    "(16)). Fixed nonces here; production nonces are random. "
	    "docs/PROTOCOL.md \"AEAD box\". Binary values are lowercase hex.");
	json_t *cases = json_array(), *c;
	uint8_t key[32], nonce[24], ad[40], msg[100], box[100 + AEAD_OVERHEAD];
	size_t msglens[] = {0, 13, 100}, adlens[] = {0, 9, 40};
	size_t i;

	for (i = 0; i < 3; i++) {
		pattern(key, 32, (uint8_t)(0x80 + i), 1);
		pattern(nonce, 24, (uint8_t)(0x20 + i), 3);
		pattern(ad, sizeof(ad), (uint8_t)i, 5);
		if (i == 1) {
			memcpy(msg, "the memo text", 13);
			memcpy(ad, "memo-1/v2", 9);
		} else
			pattern(msg, sizeof(msg), (uint8_t)(7 * i), 11);
		check(aead_seal_with_nonce(
			  box, msg, msglens[i], ad, adlens[i], key, nonce) == 0,
		    "aead");
		c = json_object();
		set_hex(c, "key_hex", key, 32);
		set_hex(c, "nonce_hex", nonce, 24);
		set_hex(c, "ad_hex", ad, adlens[i]);
		set_hex(c, "msg_hex", msg, msglens[i]);
		set_hex(c, "box_hex", box, msglens[i] + AEAD_OVERHEAD);
		json_array_append_new(cases, c);
	}
	json_object_set_new(root, "cases", cases);
	write_file("aead.json", root);
}

static void
gen_totp(void)
{
	json_t *root = new_file(
	    "TOTP (RFC 6238) with HMAC-SHA1/256/512. "
	    "\"rfc6238\" repeats RFC 6238 Appendix B (8 digits); \"cases\" are "
	    "the 6-digit SHA1 codes dissent uses; \"uri\" is the otpauth URI. "
	    "docs/PROTOCOL.md \"TOTP\".");
	json_t *rfc = json_array(), *cases = json_array(), *c, *u;
	static const int64_t times[] = {
	    59,
	    1111111109,
	    1111111111,
	    1234567890,
	    2000000000,
	    20000000000LL,
	};
	static const char *algs[] = {"SHA1", "SHA256", "SHA512"};
	static const size_t keylens[] = {20, 32, 64};
	static const char key[] =
	    "1234567890123456789012345678901234567890123456789012345678901234";
	uint8_t secret[TOTP_SECRET_BYTES];
	char code[16], uri[256];
	int64_t v;
	size_t i, j;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		for (j = 0; j < 3; j++) {
			v = totp_code((const uint8_t *)key, keylens[j],
			    times[i], 8, algs[j]);
			check(v >= 0, "totp");
			snprintf(code, sizeof(code), "%08lld", (long long)v);
			c = json_object();
			set_str(c, "alg", algs[j]);
			set_hex(
			    c, "secret_hex", (const uint8_t *)key, keylens[j]);
			set_int(c, "time", times[i]);
			set_int(c, "digits", 8);
			set_str(c, "code", code);
			json_array_append_new(rfc, c);
		}
	}
	pattern(secret, sizeof(secret), 0x3c, 0x11);
	for (i = 0; i < 3; i++) {
		/* The last second of a step: one second more is another code.
		 */
		int64_t t = 1700000009LL + (int64_t)i * 12360;

		v = totp_code(secret, sizeof(secret), t, 6, "SHA1");
		check(v >= 0, "totp");
		snprintf(code, sizeof(code), "%06lld", (long long)v);
		c = json_object();
		set_hex(c, "secret_hex", secret, sizeof(secret));
		set_int(c, "time", t);
		set_str(c, "code", code);
		json_array_append_new(cases, c);
	}
	check(totp_uri(uri, sizeof(uri), secret, "Dissent Example",
		  "alice@example.org") == 0,
	    "uri");
	u = json_object();
	set_hex(u, "secret_hex", secret, sizeof(secret));
	set_str(u, "issuer", "Dissent Example");
	set_str(u, "account", "alice@example.org");
	set_str(u, "uri", uri);
	json_object_set_new(root, "rfc6238", rfc);
	json_object_set_new(root, "cases", cases);
	json_object_set_new(root, "uri", u);
	write_file("totp.json", root);
}

/*
 * crypto_box_seal() with a given ephemeral key pair (from ${eseed}), so the
 * vector file is reproducible: sealed = epk || crypto_box_easy(m, nonce,
 * pk, esk) with nonce = BLAKE2b-192(epk || pk), exactly as libsodium seals.
 */
static size_t
seal_fixed(uint8_t *out, const uint8_t *m, size_t mlen, const uint8_t pk[32],
    const uint8_t eseed[32])
{
	crypto_generichash_state st;
	uint8_t epk[32], esk[32], nonce[24];

	check(crypto_box_seed_keypair(epk, esk, eseed) == 0, "keypair");
	crypto_generichash_init(&st, NULL, 0, 24);
	crypto_generichash_update(&st, epk, 32);
	crypto_generichash_update(&st, pk, 32);
	crypto_generichash_final(&st, nonce, 24);
	memcpy(out, epk, 32);
	check(crypto_box_easy(out + 32, m, mlen, nonce, pk, esk) == 0, "box");
	sodium_memzero(esk, sizeof(esk));
	return (mlen + crypto_box_SEALBYTES);
}

static void
gen_grant(void)
{
	json_t *root = new_file(
	    "Sealed grants: crypto_box_seal to the "
	    "recipient's X25519 key of binenc(str \"dissent/grant/v1\", str "
	    "purpose, str context, key (32)). Sealing is randomised; these "
	    "were made with the given ephemeral seed (crypto_box_seed_keypair) "
	    "so the file is reproducible. Open with the keys derived from "
	    "recipient_seed_hex. docs/PROTOCOL.md \"Sealed grant\".");
	json_t *cases = json_array(), *c;
	static const struct {
		const char *purpose, *context;
	} g[] = {
	    {"memo-key", "memo-0001"},
	    {"channel-key", ""},
	};
	struct keys_secret ks;
	uint8_t seed[32], key[32], eseed[32], m[GRANT_SEALED_MAX];
	uint8_t sealed[GRANT_SEALED_MAX], opened[32];
	struct binenc e;
	size_t i, mlen, slen;

	for (i = 0; i < 2; i++) {
		derive_from(&ks, seed, (uint8_t)(0x30 + i), 5);
		pattern(key, 32, (uint8_t)(0xc0 + i), 1);
		pattern(eseed, 32, (uint8_t)(0xe0 + i), 9);
		binenc_init(&e, m, sizeof(m));
		binenc_str(&e, "dissent/grant/v1");
		binenc_str(&e, g[i].purpose);
		binenc_str(&e, g[i].context);
		binenc_fixed(&e, key, 32);
		check(binenc_finish(&e, &mlen) == 0, "grant");
		slen = seal_fixed(sealed, m, mlen, ks.pub.box_pk, eseed);
		check(grant_open(opened, sealed, slen, g[i].purpose,
			  g[i].context, &ks) == 0,
		    "grant open");
		check(memcmp(opened, key, 32) == 0, "grant key");
		c = json_object();
		set_hex(c, "recipient_seed_hex", seed, 32);
		set_hex(c, "recipient_box_pk_hex", ks.pub.box_pk, 32);
		set_str(c, "purpose", g[i].purpose);
		set_str(c, "context", g[i].context);
		set_hex(c, "key_hex", key, 32);
		set_hex(c, "plaintext_hex", m, mlen);
		set_hex(c, "ephemeral_seed_hex", eseed, 32);
		set_hex(c, "sealed_hex", sealed, slen);
		json_array_append_new(cases, c);
		keys_wipe(&ks);
	}
	json_object_set_new(root, "cases", cases);
	write_file("grant.json", root);
}

int
main(int argc, char *argv[])
{

	if (argc != 2) {
		fprintf(stderr, "usage: gen_vectors DIR\n");
		return (1);
	}
	if (sodium_init() < 0)
		die("sodium_init");
	outdir = argv[1];
	gen_dhash();
	gen_binenc();
	gen_b64();
	gen_keys();
	gen_custody();
	gen_aead();
	gen_totp();
	gen_grant();
	return (0);
}
