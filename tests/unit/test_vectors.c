/*
 * Known-answer vectors (the JSON files in tests/vectors, made by
 * tests/vectors/gen_vectors.c): every value in every file is recomputed
 * from its inputs, or checked to be refused, so any altered vector fails.
 * The browser implementation is held to the same files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
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

#define HEX_MAX 1024

static json_t *
load(const char *name)
{
	char path[4096];
	json_error_t err;
	json_t *root;

	assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", VECTORS_DIR,
			name) < sizeof(path));
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	return (root);
}

static json_t *
member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		fail_msg("vector field \"%s\" missing", key);
	return (v);
}

static const char *
str_of(json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_string(v));
	return (json_string_value(v));
}

static json_int_t
int_of(json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_integer(v));
	return (json_integer_value(v));
}

/* A non-empty array, so a file emptied of its cases fails. */
static json_t *
arr_of(json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_array(v));
	assert_true(json_array_size(v) > 0);
	return (v);
}

/* Decode the lowercase hex field ${key} into ${out}; return its length. */
static size_t
hex_of(json_t *o, const char *key, uint8_t *out, size_t cap)
{
	const char *hex = str_of(o, key);
	char again[2 * HEX_MAX + 1];
	size_t len;

	assert_true(strlen(hex) <= 2 * cap);
	assert_int_equal(
	    sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &len, NULL), 0);
	assert_int_equal(strlen(hex), 2 * len);
	/* Lowercase only: the files are compared byte for byte elsewhere. */
	sodium_bin2hex(again, sizeof(again), out, len);
	assert_string_equal(again, hex);
	return (len);
}

static void
hex_exact(json_t *o, const char *key, uint8_t *out, size_t n)
{

	assert_int_equal(hex_of(o, key, out, n), n);
}

/* The field ${key} must be exactly the lowercase hex of ${bin}. */
static void
assert_hex_field(json_t *o, const char *key, const uint8_t *bin, size_t len)
{
	char hex[2 * HEX_MAX + 1];

	assert_true(len <= HEX_MAX);
	sodium_bin2hex(hex, sizeof(hex), bin, len);
	assert_string_equal(str_of(o, key), hex);
}

static void
test_vectors_dhash(void **state)
{
	json_t *root = load("dhash.json"), *c;
	uint8_t msg[HEX_MAX], h[DHASH_BYTES];
	size_t i, len;

	(void)state;
	json_array_foreach(arr_of(root, "cases"), i, c)
	{
		len = hex_of(c, "msg_hex", msg, sizeof(msg));
		assert_int_equal(dhash(h, str_of(c, "tag"), msg, len), 0);
		assert_hex_field(c, "hash_hex", h, sizeof(h));
	}
	json_decref(root);
}

static void
test_vectors_binenc(void **state)
{
	json_t *root = load("binenc.json"), *c, *f;
	uint8_t buf[HEX_MAX], want[HEX_MAX], bytes[HEX_MAX], fixed[HEX_MAX];
	struct binenc e;
	struct bindec d;
	size_t i, j, len, wantlen, n, vlen;
	const char *type, *s;
	const uint8_t *p;
	uint8_t u8;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	json_array_foreach(arr_of(root, "cases"), i, c)
	{
		wantlen = hex_of(c, "encoding_hex", want, sizeof(want));
		binenc_init(&e, buf, sizeof(buf));
		bindec_init(&d, want, wantlen);
		json_array_foreach(arr_of(c, "fields"), j, f)
		{
			type = str_of(f, "type");
			if (strcmp(type, "u8") == 0) {
				binenc_u8(&e, (uint8_t)int_of(f, "value"));
				assert_int_equal(bindec_u8(&d, &u8), 0);
				assert_int_equal(u8, int_of(f, "value"));
			} else if (strcmp(type, "u32") == 0) {
				binenc_u32(&e, (uint32_t)int_of(f, "value"));
				assert_int_equal(bindec_u32(&d, &u32), 0);
				assert_int_equal(u32, int_of(f, "value"));
			} else if (strcmp(type, "u64") == 0) {
				u64 = strtoull(str_of(f, "value"), NULL, 10);
				binenc_u64(&e, u64);
				assert_int_equal(bindec_u64(&d, &u64), 0);
				snprintf((char *)bytes, sizeof(bytes), "%llu",
				    (unsigned long long)u64);
				assert_string_equal(
				    (char *)bytes, str_of(f, "value"));
			} else if (strcmp(type, "fixed") == 0) {
				n = hex_of(f, "hex", bytes, sizeof(bytes));
				binenc_fixed(&e, bytes, n);
				assert_int_equal(bindec_fixed(&d, fixed, n), 0);
				assert_memory_equal(fixed, bytes, n);
			} else if (strcmp(type, "var") == 0) {
				n = hex_of(f, "hex", bytes, sizeof(bytes));
				binenc_var(&e, bytes, n);
				assert_int_equal(
				    bindec_var(&d, &p, &vlen, HEX_MAX), 0);
				assert_int_equal(vlen, n);
				assert_memory_equal(p, bytes, n);
			} else if (strcmp(type, "str") == 0) {
				s = str_of(f, "value");
				binenc_str(&e, s);
				assert_int_equal(
				    bindec_var(&d, &p, &vlen, HEX_MAX), 0);
				assert_int_equal(vlen, strlen(s));
				assert_memory_equal(p, s, vlen);
			} else
				fail_msg("unknown field type %s", type);
		}
		assert_int_equal(binenc_finish(&e, &len), 0);
		assert_int_equal(bindec_finish(&d), 0);
		assert_hex_field(c, "encoding_hex", buf, len);
	}
	json_decref(root);
}

static void
test_vectors_b64(void **state)
{
	json_t *root = load("b64.json"), *c, *s;
	uint8_t bin[HEX_MAX], out[HEX_MAX];
	char enc[B64_ENCODED_LEN(HEX_MAX)];
	size_t i, len, outlen;

	(void)state;
	json_array_foreach(arr_of(root, "valid"), i, c)
	{
		len = hex_of(c, "hex", bin, sizeof(bin));
		assert_int_equal(b64_encode(enc, sizeof(enc), bin, len), 0);
		assert_string_equal(enc, str_of(c, "b64"));
		assert_int_equal(
		    b64_decode(out, sizeof(out), &outlen, str_of(c, "b64")), 0);
		assert_int_equal(outlen, len);
		assert_memory_equal(out, bin, len);
	}
	json_array_foreach(arr_of(root, "invalid"), i, s)
	{
		assert_true(json_is_string(s));
		assert_int_equal(
		    b64_decode(out, sizeof(out), &outlen, json_string_value(s)),
		    -1);
	}
	json_decref(root);
}

/* Derive the keys of a vector case and check every published value. */
static void
check_key_case(json_t *c, struct keys_secret *ks)
{
	uint8_t seed[KEYS_SEED_BYTES], sub[64];
	char fp[KEYS_FINGERPRINT_LEN];

	hex_exact(c, "seed_hex", seed, sizeof(seed));
	assert_int_equal(keys_derive(ks, seed), 0);
	assert_int_equal(
	    crypto_kdf_derive_from_key(sub, 32, 1, "dsmember", seed), 0);
	assert_hex_field(c, "sign_seed_hex", sub, 32);
	assert_hex_field(c, "sign_sk_hex", ks->sign_sk, 64);
	assert_hex_field(c, "box_sk_hex", ks->box_sk, 32);
	assert_int_equal(
	    crypto_kdf_derive_from_key(sub, 64, 3, "dsmember", seed), 0);
	assert_hex_field(c, "ring_wide_hex", sub, 64);
	assert_hex_field(c, "ring_sk_hex", ks->ring_sk, 32);
	assert_hex_field(c, "sign_pk_hex", ks->pub.sign_pk, 32);
	assert_hex_field(c, "box_pk_hex", ks->pub.box_pk, 32);
	assert_hex_field(c, "ring_pk_hex", ks->pub.ring_pk, 32);
	keys_fingerprint(fp, &ks->pub);
	assert_string_equal(str_of(c, "fingerprint"), fp);
}

static void
test_vectors_keys_derivation(void **state)
{
	json_t *root = load("keys.json"), *c;
	struct keys_secret ks;
	size_t i;

	(void)state;
	json_array_foreach(arr_of(root, "cases"), i, c) check_key_case(c, &ks);
	keys_wipe(&ks);
	json_decref(root);
}

static void
test_vectors_keys_signatures(void **state)
{
	json_t *root = load("keys.json"), *c, *s;
	struct keys_secret ks;
	uint8_t msg[HEX_MAX], sig[KEYS_SIG_BYTES], want[KEYS_SIG_BYTES];
	size_t i, j, len;

	(void)state;
	json_array_foreach(arr_of(root, "cases"), i, c)
	{
		check_key_case(c, &ks);
		json_array_foreach(arr_of(c, "signatures"), j, s)
		{
			len = hex_of(s, "msg_hex", msg, sizeof(msg));
			hex_exact(s, "sig_hex", want, sizeof(want));
			/* Ed25519 is deterministic: the same bytes again. */
			assert_int_equal(
			    keys_sign(sig, &ks, str_of(s, "tag"), msg, len), 0);
			assert_hex_field(s, "sig_hex", sig, sizeof(sig));
			assert_int_equal(keys_verify(want, ks.pub.sign_pk,
					     str_of(s, "tag"), msg, len),
			    0);
		}
	}
	keys_wipe(&ks);
	json_decref(root);
}

/* BLAKE2b-512(u8(len(tag)) || tag || a || b || c) mod L, keyed or not. */
static void
tagged_scalar(uint8_t out[32], const uint8_t *key, size_t keylen,
    const char *tag, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, const uint8_t *c, size_t clen)
{
	crypto_generichash_state st;
	uint8_t wide[64], taglen = (uint8_t)strlen(tag);

	assert_int_equal(crypto_generichash_init(&st, key, keylen, 64), 0);
	crypto_generichash_update(&st, &taglen, 1);
	crypto_generichash_update(&st, (const uint8_t *)tag, taglen);
	crypto_generichash_update(&st, a, alen);
	crypto_generichash_update(&st, b, blen);
	crypto_generichash_update(&st, c, clen);
	crypto_generichash_final(&st, wide, 64);
	crypto_core_ristretto255_scalar_reduce(out, wide);
}

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
	assert_int_equal(binenc_finish(&e, &len), 0);
	return (len);
}

static void
test_vectors_keys_pops(void **state)
{
	json_t *root = load("keys.json"), *c, *p;
	struct keys_secret ks;
	struct keys_pop pop, want;
	uint8_t t[256], r[32], ch[32], rG[32];
	const char *id;
	uint32_t epoch;
	size_t i, j, tlen;

	(void)state;
	json_array_foreach(arr_of(root, "cases"), i, c)
	{
		check_key_case(c, &ks);
		json_array_foreach(arr_of(c, "pops"), j, p)
		{
			id = str_of(p, "member_id");
			epoch = (uint32_t)int_of(p, "epoch");
			tlen = transcript(t, sizeof(t), id, epoch, &ks.pub);
			assert_hex_field(p, "transcript_hex", t, tlen);

			/* The documented nonce and challenge derivations. */
			tagged_scalar(r, ks.ring_sk, 32,
			    "dissent/key-pop-nonce/v1", t, tlen, NULL, 0, NULL,
			    0);
			assert_hex_field(p, "ring_nonce_hex", r, 32);
			hex_exact(p, "sig_hex", want.sig, 64);
			hex_exact(p, "ring_proof_hex", want.ring_proof, 64);
			assert_int_equal(
			    crypto_scalarmult_ristretto255_base(rG, r), 0);
			assert_memory_equal(rG, want.ring_proof, 32);
			tagged_scalar(ch, NULL, 0, "dissent/key-pop-ring/v1",
			    want.ring_proof, 32, ks.pub.ring_pk, 32, t, tlen);
			assert_hex_field(p, "ring_challenge_hex", ch, 32);

			/* The library makes the same proof, and accepts it. */
			assert_int_equal(
			    keys_pop_make(&pop, &ks, id, epoch), 0);
			assert_hex_field(p, "sig_hex", pop.sig, 64);
			assert_hex_field(
			    p, "ring_proof_hex", pop.ring_proof, 64);
			assert_int_equal(
			    keys_pop_verify(&want, &ks.pub, id, epoch), 0);
		}
	}
	keys_wipe(&ks);
	json_decref(root);
}

static void
test_vectors_keys_rotations(void **state)
{
	json_t *root = load("keys.json"), *r;
	struct keys_secret old, new;
	uint8_t seed[32], t[256], sig[64], want[64];
	const char *id;
	uint32_t epoch;
	size_t i, tlen;

	(void)state;
	json_array_foreach(arr_of(root, "rotations"), i, r)
	{
		hex_exact(r, "old_seed_hex", seed, 32);
		assert_int_equal(keys_derive(&old, seed), 0);
		hex_exact(r, "new_seed_hex", seed, 32);
		assert_int_equal(keys_derive(&new, seed), 0);
		id = str_of(r, "member_id");
		epoch = (uint32_t)int_of(r, "new_epoch");
		tlen = transcript(t, sizeof(t), id, epoch, &new.pub);
		assert_hex_field(r, "statement_hex", t, tlen);
		assert_int_equal(
		    keys_rotation_sign(sig, &old, id, epoch, &new.pub), 0);
		assert_hex_field(r, "sig_hex", sig, 64);
		hex_exact(r, "sig_hex", want, 64);
		assert_int_equal(keys_rotation_verify(want, old.pub.sign_pk, id,
				     epoch, &new.pub),
		    0);
		assert_int_equal(keys_verify(want, old.pub.sign_pk,
				     "dissent/key-rotation/v1", t, tlen),
		    0);
	}
	keys_wipe(&old);
	keys_wipe(&new);
	json_decref(root);
}

static void
test_vectors_keys_invalid_pops_are_refused(void **state)
{
	json_t *root = load("keys.json"), *b;
	struct keys_public pub;
	struct keys_pop pop;
	size_t i;

	(void)state;
	json_array_foreach(arr_of(root, "invalid_pops"), i, b)
	{
		(void)str_of(b, "reason");
		hex_exact(b, "sign_pk_hex", pub.sign_pk, 32);
		hex_exact(b, "box_pk_hex", pub.box_pk, 32);
		hex_exact(b, "ring_pk_hex", pub.ring_pk, 32);
		hex_exact(b, "sig_hex", pop.sig, 64);
		hex_exact(b, "ring_proof_hex", pop.ring_proof, 64);
		if (keys_pop_verify(&pop, &pub, str_of(b, "member_id"),
			(uint32_t)int_of(b, "epoch")) == 0)
			fail_msg(
			    "invalid PoP accepted: %s", str_of(b, "reason"));
	}
	json_decref(root);
}

static void
test_vectors_keys_invalid_box_pks_are_refused(void **state)
{
	json_t *root = load("keys.json"), *s;
	uint8_t pk[32];
	size_t i, len;

	(void)state;
	json_array_foreach(arr_of(root, "invalid_box_pks"), i, s)
	{
		assert_true(json_is_string(s));
		assert_int_equal(
		    sodium_hex2bin(pk, sizeof(pk), json_string_value(s),
			strlen(json_string_value(s)), NULL, &len, NULL),
		    0);
		assert_int_equal(len, 32);
		assert_int_equal(keys_box_pk_check(pk), -1);
	}
	json_decref(root);
}

/* Check the wrapped-seed fields of a custody case made with ${wrap}. */
static void
check_wrap(json_t *c, const uint8_t wrap[32])
{
	uint8_t seed[32], nonce[24], out[CUSTODY_WRAPPED_BYTES], back[32];
	uint8_t ad[256];
	const char *id = str_of(c, "member_id");
	const char *purpose = str_of(c, "purpose");
	struct binenc e;
	size_t adlen;

	hex_exact(c, "seed_hex", seed, 32);
	hex_exact(c, "nonce_hex", nonce, 24);
	binenc_init(&e, ad, sizeof(ad));
	binenc_str(&e, "dissent/seed-wrap/v1");
	binenc_str(&e, id);
	binenc_str(&e, purpose);
	assert_int_equal(binenc_finish(&e, &adlen), 0);
	assert_hex_field(c, "ad_hex", ad, adlen);
	assert_int_equal(
	    custody_wrap_seed_with_nonce(out, seed, wrap, id, purpose, nonce),
	    0);
	assert_hex_field(c, "wrapped_hex", out, sizeof(out));
	hex_exact(c, "wrapped_hex", out, sizeof(out));
	assert_int_equal(custody_unwrap_seed(back, out, wrap, id, purpose), 0);
	assert_memory_equal(back, seed, 32);
}

static void
test_vectors_custody_password(void **state)
{
	json_t *root = load("custody.json"), *c;
	struct custody_kdf kdf;
	uint8_t master[32], auth[32], wrap[32], ver[32];
	const char *pw;
	size_t i;

	(void)state;
	json_array_foreach(arr_of(root, "password_cases"), i, c)
	{
		pw = str_of(c, "password");
		hex_exact(c, "salt_hex", kdf.salt, sizeof(kdf.salt));
		kdf.opslimit = (uint64_t)int_of(c, "opslimit");
		kdf.memlimit = (uint64_t)int_of(c, "memlimit");
		/* Argon2id counts whole KiB: the files use no other value. */
		assert_true(kdf.memlimit % 1024 == 0);
		assert_int_equal(
		    crypto_pwhash(master, 32, pw, strlen(pw), kdf.salt,
			kdf.opslimit, (size_t)kdf.memlimit,
			crypto_pwhash_ALG_ARGON2ID13),
		    0);
		assert_hex_field(c, "master_hex", master, 32);
		assert_int_equal(
		    custody_password_keys(auth, wrap, pw, strlen(pw), &kdf), 0);
		assert_hex_field(c, "auth_key_hex", auth, 32);
		assert_hex_field(c, "wrap_key_hex", wrap, 32);
		custody_verifier(ver, auth);
		assert_hex_field(c, "verifier_hex", ver, 32);
		check_wrap(c, wrap);
	}
	json_decref(root);
}

static void
test_vectors_custody_recovery(void **state)
{
	json_t *root = load("custody.json"), *c, *s;
	uint8_t raw[CUSTODY_RECOVERY_RAW_BYTES], auth[32], wrap[32], ver[32];
	uint8_t a2[32], w2[32];
	char code[CUSTODY_RECOVERY_CODE_LEN + 1];
	size_t i, j;

	(void)state;
	json_array_foreach(arr_of(root, "recovery_cases"), i, c)
	{
		hex_exact(c, "raw_hex", raw, sizeof(raw));
		custody_recovery_format(code, raw);
		assert_string_equal(str_of(c, "code"), code);
		assert_int_equal(custody_recovery_keys(auth, wrap, code), 0);
		assert_hex_field(c, "auth_key_hex", auth, 32);
		assert_hex_field(c, "wrap_key_hex", wrap, 32);
		custody_verifier(ver, auth);
		assert_hex_field(c, "verifier_hex", ver, 32);
		json_array_foreach(arr_of(c, "equivalent_codes"), j, s)
		{
			assert_true(json_is_string(s));
			assert_int_equal(
			    custody_recovery_keys(a2, w2, json_string_value(s)),
			    0);
			assert_memory_equal(a2, auth, 32);
			assert_memory_equal(w2, wrap, 32);
		}
		check_wrap(c, wrap);
	}
	json_decref(root);
}

static void
test_vectors_custody_invalid_codes_are_refused(void **state)
{
	json_t *root = load("custody.json"), *s;
	uint8_t auth[32], wrap[32];
	size_t i;

	(void)state;
	json_array_foreach(arr_of(root, "invalid_recovery_codes"), i, s)
	{
		assert_true(json_is_string(s));
		assert_int_equal(
		    custody_recovery_keys(auth, wrap, json_string_value(s)),
		    -1);
	}
	json_decref(root);
}

static void
test_vectors_aead(void **state)
{
	json_t *root = load("aead.json"), *c;
	uint8_t key[32], nonce[24], ad[HEX_MAX], msg[HEX_MAX];
	uint8_t box[HEX_MAX + AEAD_OVERHEAD], back[HEX_MAX];
	size_t i, adlen, msglen, boxlen;

	(void)state;
	json_array_foreach(arr_of(root, "cases"), i, c)
	{
		hex_exact(c, "key_hex", key, 32);
		hex_exact(c, "nonce_hex", nonce, 24);
		adlen = hex_of(c, "ad_hex", ad, sizeof(ad));
		msglen = hex_of(c, "msg_hex", msg, sizeof(msg));
		assert_int_equal(aead_seal_with_nonce(
				     box, msg, msglen, ad, adlen, key, nonce),
		    0);
		assert_hex_field(c, "box_hex", box, msglen + AEAD_OVERHEAD);
		boxlen = hex_of(c, "box_hex", box, sizeof(box));
		assert_int_equal(
		    aead_open(back, box, boxlen, ad, adlen, key), 0);
		assert_memory_equal(back, msg, msglen);
	}
	json_decref(root);
}

/* RFC 6238 Appendix B: times, and for each the SHA1/SHA256/SHA512 codes. */
static const int64_t rfc6238_times[] = {
    59,
    1111111109,
    1111111111,
    1234567890,
    2000000000,
    20000000000LL,
};
static const char *rfc6238_algs[] = {"SHA1", "SHA256", "SHA512"};
static const char *rfc6238_codes[] = {
    "94287082",
    "46119246",
    "90693936",
    "07081804",
    "68084774",
    "25091201",
    "14050471",
    "67062674",
    "99943326",
    "89005924",
    "91819424",
    "93441116",
    "69279037",
    "90698825",
    "38618901",
    "65353130",
    "77737706",
    "47863826",
};

static void
test_vectors_totp(void **state)
{
	json_t *root = load("totp.json"), *c, *u;
	uint8_t secret[64];
	char code[16], uri[512];
	int64_t v, last;
	size_t i, len;
	int digits;

	(void)state;
	/* The file repeats RFC 6238 Appendix B row by row. */
	assert_int_equal(json_array_size(arr_of(root, "rfc6238")), 18);
	json_array_foreach(arr_of(root, "rfc6238"), i, c)
	{
		assert_true(int_of(c, "time") == rfc6238_times[i / 3]);
		assert_string_equal(str_of(c, "alg"), rfc6238_algs[i % 3]);
		assert_string_equal(str_of(c, "code"), rfc6238_codes[i]);
		len = hex_of(c, "secret_hex", secret, sizeof(secret));
		digits = (int)int_of(c, "digits");
		v = totp_code(
		    secret, len, int_of(c, "time"), digits, str_of(c, "alg"));
		assert_true(v >= 0);
		snprintf(code, sizeof(code), "%0*lld", digits, (long long)v);
		assert_string_equal(str_of(c, "code"), code);
	}
	json_array_foreach(arr_of(root, "cases"), i, c)
	{
		hex_exact(c, "secret_hex", secret, TOTP_SECRET_BYTES);
		v = totp_code(
		    secret, TOTP_SECRET_BYTES, int_of(c, "time"), 6, "SHA1");
		snprintf(code, sizeof(code), "%06lld", (long long)v);
		assert_string_equal(str_of(c, "code"), code);
		last = -1;
		assert_int_equal(totp_verify(secret, str_of(c, "code"),
				     int_of(c, "time"), &last),
		    0);
	}
	u = member(root, "uri");
	hex_exact(u, "secret_hex", secret, TOTP_SECRET_BYTES);
	assert_int_equal(totp_uri(uri, sizeof(uri), secret, str_of(u, "issuer"),
			     str_of(u, "account")),
	    0);
	assert_string_equal(str_of(u, "uri"), uri);
	json_decref(root);
}

/* crypto_box_seal() with a given ephemeral seed, as gen_vectors made it. */
static void
seal_fixed(uint8_t *out, const uint8_t *m, size_t mlen, const uint8_t pk[32],
    const uint8_t eseed[32])
{
	crypto_generichash_state st;
	uint8_t epk[32], esk[32], nonce[24];

	assert_int_equal(crypto_box_seed_keypair(epk, esk, eseed), 0);
	crypto_generichash_init(&st, NULL, 0, 24);
	crypto_generichash_update(&st, epk, 32);
	crypto_generichash_update(&st, pk, 32);
	crypto_generichash_final(&st, nonce, 24);
	memcpy(out, epk, 32);
	assert_int_equal(crypto_box_easy(out + 32, m, mlen, nonce, pk, esk), 0);
}

static void
test_vectors_grant(void **state)
{
	json_t *root = load("grant.json"), *c;
	struct keys_secret ks;
	uint8_t seed[32], key[32], eseed[32], m[GRANT_SEALED_MAX];
	uint8_t sealed[GRANT_SEALED_MAX], opened[32];
	const char *purpose, *context;
	struct binenc e;
	size_t i, mlen, slen;

	(void)state;
	json_array_foreach(arr_of(root, "cases"), i, c)
	{
		purpose = str_of(c, "purpose");
		context = str_of(c, "context");
		hex_exact(c, "recipient_seed_hex", seed, 32);
		assert_int_equal(keys_derive(&ks, seed), 0);
		assert_hex_field(c, "recipient_box_pk_hex", ks.pub.box_pk, 32);
		hex_exact(c, "key_hex", key, 32);
		binenc_init(&e, m, sizeof(m));
		binenc_str(&e, "dissent/grant/v1");
		binenc_str(&e, purpose);
		binenc_str(&e, context);
		binenc_fixed(&e, key, 32);
		assert_int_equal(binenc_finish(&e, &mlen), 0);
		assert_hex_field(c, "plaintext_hex", m, mlen);

		/* Opening is what a browser must reproduce. */
		slen = hex_of(c, "sealed_hex", sealed, sizeof(sealed));
		assert_int_equal(
		    grant_open(opened, sealed, slen, purpose, context, &ks), 0);
		assert_memory_equal(opened, key, 32);

		/* And the file is exactly what its ephemeral seed gives. */
		hex_exact(c, "ephemeral_seed_hex", eseed, 32);
		seal_fixed(sealed, m, mlen, ks.pub.box_pk, eseed);
		assert_hex_field(c, "sealed_hex", sealed, slen);
		keys_wipe(&ks);
	}
	json_decref(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors_dhash),
	    cmocka_unit_test(test_vectors_binenc),
	    cmocka_unit_test(test_vectors_b64),
	    cmocka_unit_test(test_vectors_keys_derivation),
	    cmocka_unit_test(test_vectors_keys_signatures),
	    cmocka_unit_test(test_vectors_keys_pops),
	    cmocka_unit_test(test_vectors_keys_rotations),
	    cmocka_unit_test(test_vectors_keys_invalid_pops_are_refused),
	    cmocka_unit_test(test_vectors_keys_invalid_box_pks_are_refused),
	    cmocka_unit_test(test_vectors_custody_password),
	    cmocka_unit_test(test_vectors_custody_recovery),
	    cmocka_unit_test(test_vectors_custody_invalid_codes_are_refused),
	    cmocka_unit_test(test_vectors_aead),
	    cmocka_unit_test(test_vectors_totp),
	    cmocka_unit_test(test_vectors_grant),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
