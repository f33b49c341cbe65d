/*
 * Known-answer vectors of memos (tests/vectors/memo.json, made by
 * tests/vectors/gen_vectors_memo.c): every encoding, hash, associated data,
 * box, transcript, signature, sealed record, grant and tag is recomputed
 * from its inputs, and every invalid case is checked to be refused, so any
 * altered value fails.  The browser implementation is held to the same
 * file.
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

#include "aead.h"
#include "binenc.h"
#include "grant.h"
#include "keys.h"
#include "memo.h"

#define HEX_MAX 4096
/* Most signatures or records the file may hold. */
#define CASES_MAX 16
/* Longest anonymous signature of a package vector. */
#define ANON_SIG_MAX 256

/* A sealed signer record, as memo_package_hash() takes them. */
typedef const uint8_t record[MEMO_RECORD_SEALED_BYTES];

static json_t *
load(void)
{
	char path[4096];
	json_error_t err;
	json_t *root;

	assert_true((size_t)snprintf(path, sizeof(path), "%s/memo.json",
			VECTORS_DIR) < sizeof(path));
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	return (root);
}

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
	char again[2 * HEX_MAX + 1];
	size_t len;

	assert_true(strlen(hex) <= 2 * cap);
	assert_int_equal(
	    sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &len, NULL), 0);
	assert_int_equal(strlen(hex), 2 * len);
	sodium_bin2hex(again, sizeof(again), out, len);
	assert_string_equal(again, hex);
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
	char hex[2 * HEX_MAX + 1];

	assert_true(len <= HEX_MAX);
	sodium_bin2hex(hex, sizeof(hex), bin, len);
	assert_string_equal(str_of(o, key), hex);
}

/* Copy the string ${key} of ${o} into ${out} of ${cap} bytes. */
static void
copy_str(const json_t *o, const char *key, char *out, size_t cap)
{
	const char *s = str_of(o, key);

	assert_true(strlen(s) < cap);
	memcpy(out, s, strlen(s) + 1);
}

/*
 * crypto_box_seal() with the ephemeral key pair of ${eseed}: epk ||
 * crypto_box_easy(m, BLAKE2b-192(epk || pk), pk, esk), as libsodium seals.
 */
static void
seal_fixed(uint8_t *out, const uint8_t *m, size_t mlen, const uint8_t pk[32],
    const uint8_t eseed[32])
{
	crypto_generichash_state st;
	uint8_t epk[32], esk[32], nonce[24];

	assert_int_equal(crypto_box_seed_keypair(epk, esk, eseed), 0);
	assert_int_equal(crypto_generichash_init(&st, NULL, 0, 24), 0);
	assert_int_equal(crypto_generichash_update(&st, epk, 32), 0);
	assert_int_equal(crypto_generichash_update(&st, pk, 32), 0);
	assert_int_equal(crypto_generichash_final(&st, nonce, 24), 0);
	memcpy(out, epk, 32);
	assert_int_equal(crypto_box_easy(out + 32, m, mlen, nonce, pk, esk), 0);
}

static void
test_vectors_memo_syntax(void **state)
{
	json_t *root = load(), *o, *v;
	size_t i;
	int levels = 0;

	(void)state;
	o = member(root, "memo_ids");
	json_array_foreach(arr_of(o, "valid"), i, v)
	    assert_true(memo_id_valid(json_string_value(v)));
	json_array_foreach(arr_of(o, "invalid"), i, v)
	{
		assert_true(json_is_string(v));
		assert_false(memo_id_valid(json_string_value(v)));
	}
	o = member(root, "markings");
	json_array_foreach(arr_of(o, "known"), i, v)
	{
		assert_int_equal(int_of(v, "level"), (json_int_t)i);
		assert_int_equal(memo_marking_level(str_of(v, "name")), i);
		assert_string_equal(
		    memo_marking_name((int)i), str_of(v, "name"));
		levels++;
	}
	/* Every marking the library knows is in the file. */
	assert_null(memo_marking_name(levels));
	json_array_foreach(arr_of(o, "unknown"), i, v)
	{
		assert_true(json_is_string(v));
		assert_int_equal(memo_marking_level(json_string_value(v)), -1);
	}
	o = member(root, "topics");
	json_array_foreach(arr_of(o, "valid"), i, v)
	    assert_true(memo_topic_valid(json_string_value(v)));
	json_array_foreach(arr_of(o, "invalid"), i, v)
	{
		assert_true(json_is_string(v));
		assert_false(memo_topic_valid(json_string_value(v)));
	}
	json_decref(root);
}

static void
test_vectors_memo_contents(void **state)
{
	json_t *root = load(), *c;
	uint8_t key[MEMO_KEY_BYTES], prev[MEMO_HASH_BYTES],
	    last[MEMO_HASH_BYTES];
	uint8_t h[MEMO_HASH_BYTES], nonce[AEAD_NONCE_BYTES], ad[128];
	uint8_t rpk[MEMO_ROSTER_PK_BYTES], rootpk[MEMO_ROSTER_PK_BYTES];
	uint8_t want[HEX_MAX], box[HEX_MAX], *enc, *opened;
	struct memo_content mc, back;
	struct binenc e;
	size_t i, len, wantlen, adlen, olen;
	uint32_t version;
	const char *memo_id;

	(void)state;
	hex_exact(root, "key_hex", key, sizeof(key));
	hex_exact(root, "roster_pk_hex", rootpk, sizeof(rootpk));
	json_array_foreach(arr_of(root, "contents"), i, c)
	{
		memo_id = str_of(c, "memo_id");
		version = (uint32_t)int_of(c, "version");
		memset(&mc, 0, sizeof(mc));
		mc.title = (char *)str_of(c, "title");
		mc.summary = (char *)str_of(c, "summary");
		mc.body = (char *)str_of(c, "body");
		mc.alternatives = (char *)str_of(c, "alternatives");
		copy_str(c, "topic", mc.topic, sizeof(mc.topic));
		copy_str(c, "marking", mc.marking, sizeof(mc.marking));

		/* Encoding, both ways. */
		assert_int_equal(memo_content_encode(&mc, &enc, &len), 0);
		assert_hex_field(c, "encoding_hex", enc, len);
		wantlen = hex_of(c, "encoding_hex", want, sizeof(want));
		assert_int_equal(memo_content_decode(&back, want, wantlen), 0);
		assert_string_equal(back.title, mc.title);
		assert_string_equal(back.summary, mc.summary);
		assert_string_equal(back.body, mc.body);
		assert_string_equal(back.alternatives, mc.alternatives);
		assert_string_equal(back.topic, mc.topic);
		assert_string_equal(back.marking, mc.marking);
		memo_content_free(&back);

		/* Version 1 chains from zeros, later ones from the previous. */
		hex_exact(c, "prev_hex", prev, sizeof(prev));
		if (version == 1)
			memset(last, 0, sizeof(last));
		assert_memory_equal(prev, last, sizeof(prev));
		hex_exact(c, "roster_pk_hex", rpk, sizeof(rpk));
		/* The first memo's roster key is the one records are sealed to.
		 */
		if (strcmp(memo_id,
			str_of(json_array_get(arr_of(root, "contents"), 0),
			    "memo_id")) == 0)
			assert_memory_equal(rpk, rootpk, sizeof(rpk));
		assert_int_equal(
		    memo_version_hash(h, memo_id, version, prev, rpk, enc, len),
		    0);
		assert_hex_field(c, "version_hash_hex", h, sizeof(h));
		memcpy(last, h, sizeof(last));
		/* The hash binds the roster key. */
		rpk[0] ^= 1;
		assert_int_equal(
		    memo_version_hash(h, memo_id, version, prev, rpk, enc, len),
		    0);
		assert_memory_not_equal(h, last, sizeof(h));

		binenc_init(&e, ad, sizeof(ad));
		binenc_str(&e, "dissent/memo-content/v1");
		binenc_str(&e, memo_id);
		binenc_u32(&e, version);
		assert_int_equal(binenc_finish(&e, &adlen), 0);
		assert_hex_field(c, "ad_hex", ad, adlen);
		hex_exact(c, "nonce_hex", nonce, sizeof(nonce));
		assert_true(len + AEAD_OVERHEAD <= sizeof(box));
		assert_int_equal(
		    aead_seal_with_nonce(box, enc, len, ad, adlen, key, nonce),
		    0);
		assert_hex_field(c, "box_hex", box, len + AEAD_OVERHEAD);
		assert_int_equal(
		    memo_content_open(&opened, &olen, box, len + AEAD_OVERHEAD,
			memo_id, version, key),
		    0);
		assert_int_equal(olen, len);
		assert_memory_equal(opened, enc, len);
		free(opened);
		free(enc);
	}
	json_decref(root);
}

static void
test_vectors_memo_invalid_contents(void **state)
{
	json_t *root = load(), *c;
	uint8_t buf[HEX_MAX];
	struct memo_content mc;
	size_t i, len;

	(void)state;
	json_array_foreach(arr_of(root, "invalid_contents"), i, c)
	{
		assert_true(strlen(str_of(c, "reason")) > 0);
		len = hex_of(c, "encoding_hex", buf, sizeof(buf));
		if (memo_content_decode(&mc, buf, len) != -1)
			fail_msg("accepted: %s", str_of(c, "reason"));
	}
	json_decref(root);
}

static void
test_vectors_memo_replies(void **state)
{
	json_t *root = load(), *c;
	uint8_t key[MEMO_KEY_BYTES], nonce[AEAD_NONCE_BYTES], ad[128];
	uint8_t m[HEX_MAX], box[HEX_MAX], h[MEMO_HASH_BYTES];
	struct binenc e;
	size_t i, adlen, mlen;
	const char *memo_id, *text;
	uint8_t kind;
	uint32_t n;
	char *opened;

	(void)state;
	hex_exact(root, "key_hex", key, sizeof(key));
	json_array_foreach(arr_of(root, "replies"), i, c)
	{
		memo_id = str_of(c, "memo_id");
		kind = (uint8_t)int_of(c, "kind");
		n = (uint32_t)int_of(c, "n");
		text = str_of(c, "text");
		binenc_init(&e, ad, sizeof(ad));
		binenc_str(&e, "dissent/memo-reply/v1");
		binenc_str(&e, memo_id);
		binenc_u8(&e, kind);
		binenc_u32(&e, n);
		assert_int_equal(binenc_finish(&e, &adlen), 0);
		assert_hex_field(c, "ad_hex", ad, adlen);
		binenc_init(&e, m, sizeof(m) - AEAD_OVERHEAD);
		binenc_str(&e, text);
		assert_int_equal(binenc_finish(&e, &mlen), 0);
		assert_hex_field(c, "plaintext_hex", m, mlen);
		hex_exact(c, "nonce_hex", nonce, sizeof(nonce));
		assert_int_equal(
		    aead_seal_with_nonce(box, m, mlen, ad, adlen, key, nonce),
		    0);
		assert_hex_field(c, "box_hex", box, mlen + AEAD_OVERHEAD);
		assert_int_equal(
		    memo_reply_open(&opened, box, mlen + AEAD_OVERHEAD, memo_id,
			kind, n, key),
		    0);
		assert_string_equal(opened, text);
		free(opened);
		memo_box_hash(h, box, mlen + AEAD_OVERHEAD);
		assert_hex_field(c, "box_hash_hex", h, sizeof(h));
	}
	json_decref(root);
}

/* The signature fields of ${c}. */
static void
signature_of(const json_t *c, struct memo_signature *s)
{

	memset(s, 0, sizeof(*s));
	copy_str(c, "memo_id", s->memo_id, sizeof(s->memo_id));
	s->version = (uint32_t)int_of(c, "version");
	hex_exact(c, "version_hash_hex", s->version_hash, MEMO_HASH_BYTES);
	copy_str(c, "signer_id", s->signer_id, sizeof(s->signer_id));
	s->key_epoch = (uint32_t)int_of(c, "key_epoch");
	s->time = (uint64_t)int_of(c, "time");
	hex_exact(c, "sig_hex", s->sig, KEYS_SIG_BYTES);
}

/* The signatures of the file and their signers' signing keys. */
static size_t
load_signatures(const json_t *root, struct memo_signature s[CASES_MAX],
    uint8_t pk[CASES_MAX][KEYS_SIGN_PK_BYTES])
{
	json_t *c;
	size_t i;

	json_array_foreach(arr_of(root, "signatures"), i, c)
	{
		assert_true(i < CASES_MAX);
		signature_of(c, &s[i]);
		hex_exact(c, "sign_pk_hex", pk[i], KEYS_SIGN_PK_BYTES);
	}
	return (json_array_size(member(root, "signatures")));
}

static void
test_vectors_memo_signatures(void **state)
{
	json_t *root = load(), *c;
	uint8_t seed[KEYS_SEED_BYTES], t[256];
	struct memo_signature s, o;
	struct keys_secret ks;
	struct binenc e;
	size_t i, tlen;

	(void)state;
	json_array_foreach(arr_of(root, "signatures"), i, c)
	{
		signature_of(c, &s);
		hex_exact(c, "signer_seed_hex", seed, sizeof(seed));
		assert_int_equal(keys_derive(&ks, seed), 0);
		assert_hex_field(
		    c, "sign_pk_hex", ks.pub.sign_pk, KEYS_SIGN_PK_BYTES);
		binenc_init(&e, t, sizeof(t));
		binenc_str(&e, s.memo_id);
		binenc_fixed(&e, s.version_hash, MEMO_HASH_BYTES);
		binenc_str(&e, s.signer_id);
		binenc_u64(&e, s.time);
		assert_int_equal(binenc_finish(&e, &tlen), 0);
		assert_hex_field(c, "transcript_hex", t, tlen);
		assert_int_equal(keys_verify(s.sig, ks.pub.sign_pk,
				     "dissent/named-signature/v1", t, tlen),
		    0);
		o = s;
		memset(o.sig, 0, sizeof(o.sig));
		assert_int_equal(memo_signature_sign(&o, &ks), 0);
		assert_hex_field(c, "sig_hex", o.sig, KEYS_SIG_BYTES);
		assert_int_equal(memo_signature_verify(&s, ks.pub.sign_pk), 0);
		keys_wipe(&ks);
	}
	json_decref(root);
}

/* The padded record plaintext of ${s}. */
static void
record_plain(uint8_t m[MEMO_RECORD_PLAIN_BYTES], const struct memo_signature *s)
{
	struct binenc e;
	size_t len;

	memset(m, 0, MEMO_RECORD_PLAIN_BYTES);
	binenc_init(&e, m, MEMO_RECORD_PLAIN_BYTES);
	binenc_str(&e, "dissent/signer-record/v1");
	binenc_str(&e, s->memo_id);
	binenc_u32(&e, s->version);
	binenc_fixed(&e, s->version_hash, MEMO_HASH_BYTES);
	binenc_str(&e, s->signer_id);
	binenc_u32(&e, s->key_epoch);
	binenc_u64(&e, s->time);
	binenc_fixed(&e, s->sig, KEYS_SIG_BYTES);
	assert_int_equal(binenc_finish(&e, &len), 0);
}

static void
test_vectors_memo_records(void **state)
{
	json_t *root = load(), *c;
	struct memo_signature sigs[CASES_MAX], s, back;
	uint8_t pks[CASES_MAX][KEYS_SIGN_PK_BYTES];
	uint8_t sk[32], pk[32], derived[32], eseed[32];
	uint8_t m[MEMO_RECORD_PLAIN_BYTES], sealed[MEMO_RECORD_SEALED_BYTES];
	uint8_t given[MEMO_RECORD_SEALED_BYTES];
	size_t i, nsigs, which;

	(void)state;
	nsigs = load_signatures(root, sigs, pks);
	hex_exact(root, "roster_sk_hex", sk, sizeof(sk));
	hex_exact(root, "roster_pk_hex", pk, sizeof(pk));
	assert_int_equal(crypto_scalarmult_base(derived, sk), 0);
	assert_memory_equal(derived, pk, sizeof(pk));
	json_array_foreach(arr_of(root, "records"), i, c)
	{
		which = (size_t)int_of(c, "signature");
		assert_true(which < nsigs);
		signature_of(c, &s);
		assert_memory_equal(&s, &sigs[which], sizeof(s));
		record_plain(m, &s);
		assert_hex_field(c, "plaintext_hex", m, sizeof(m));
		hex_exact(c, "ephemeral_seed_hex", eseed, sizeof(eseed));
		seal_fixed(sealed, m, sizeof(m), pk, eseed);
		assert_hex_field(c, "sealed_hex", sealed, sizeof(sealed));
		hex_exact(c, "sealed_hex", given, sizeof(given));
		assert_int_equal(memo_record_open(&back, given, pk, sk), 0);
		assert_memory_equal(&back, &s, sizeof(s));
		assert_int_equal(memo_signature_verify(&back, pks[which]), 0);
	}
	json_decref(root);
}

static void
test_vectors_memo_invalid_records(void **state)
{
	json_t *root = load(), *c;
	uint8_t sk[32], pk[32], eseed[32];
	uint8_t m[MEMO_RECORD_PLAIN_BYTES], opened[MEMO_RECORD_PLAIN_BYTES];
	uint8_t sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature back;
	size_t i;

	(void)state;
	hex_exact(root, "roster_sk_hex", sk, sizeof(sk));
	hex_exact(root, "roster_pk_hex", pk, sizeof(pk));
	json_array_foreach(arr_of(root, "invalid_records"), i, c)
	{
		assert_true(strlen(str_of(c, "reason")) > 0);
		hex_exact(c, "plaintext_hex", m, sizeof(m));
		hex_exact(c, "ephemeral_seed_hex", eseed, sizeof(eseed));
		seal_fixed(sealed, m, sizeof(m), pk, eseed);
		assert_hex_field(c, "sealed_hex", sealed, sizeof(sealed));
		/* It opens as a box, and is refused as a record. */
		assert_int_equal(crypto_box_seal_open(
				     opened, sealed, sizeof(sealed), pk, sk),
		    0);
		assert_memory_equal(opened, m, sizeof(m));
		if (memo_record_open(&back, sealed, pk, sk) != -1)
			fail_msg("accepted: %s", str_of(c, "reason"));
	}
	json_decref(root);
}

static void
test_vectors_memo_channel_grants(void **state)
{
	json_t *root = load(), *c;
	uint8_t seed[32], pk[32], sk[32], dpk[32], dsk[32], eseed[32];
	uint8_t memo_key[32], roster_sk[32], key[32], out[32];
	uint8_t m[GRANT_SEALED_MAX], sealed[GRANT_SEALED_MAX];
	struct binenc e;
	size_t i, mlen;
	const char *purpose, *context;

	(void)state;
	hex_exact(root, "key_hex", memo_key, sizeof(memo_key));
	hex_exact(root, "roster_sk_hex", roster_sk, sizeof(roster_sk));
	hex_exact(root, "channel_seed_hex", seed, sizeof(seed));
	hex_exact(root, "channel_pk_hex", pk, sizeof(pk));
	hex_exact(root, "channel_sk_hex", sk, sizeof(sk));
	assert_int_equal(crypto_box_seed_keypair(dpk, dsk, seed), 0);
	assert_memory_equal(dpk, pk, 32);
	assert_memory_equal(dsk, sk, 32);
	json_array_foreach(arr_of(root, "channel_grants"), i, c)
	{
		purpose = str_of(c, "purpose");
		context = str_of(c, "context");
		assert_true(memo_id_valid(context));
		hex_exact(c, "key_hex", key, sizeof(key));
		if (strcmp(purpose, MEMO_GRANT_KEY) == 0)
			assert_memory_equal(key, memo_key, 32);
		else if (strcmp(purpose, MEMO_GRANT_ROSTER) == 0)
			assert_memory_equal(key, roster_sk, 32);
		else
			fail_msg("unknown purpose %s", purpose);
		binenc_init(&e, m, sizeof(m));
		binenc_str(&e, "dissent/grant/v1");
		binenc_str(&e, purpose);
		binenc_str(&e, context);
		binenc_fixed(&e, key, sizeof(key));
		assert_int_equal(binenc_finish(&e, &mlen), 0);
		assert_hex_field(c, "plaintext_hex", m, mlen);
		hex_exact(c, "ephemeral_seed_hex", eseed, sizeof(eseed));
		seal_fixed(sealed, m, mlen, pk, eseed);
		assert_hex_field(
		    c, "sealed_hex", sealed, mlen + crypto_box_SEALBYTES);
		assert_int_equal(
		    grant_open_box(out, sealed, mlen + crypto_box_SEALBYTES,
			purpose, context, pk, sk),
		    0);
		assert_memory_equal(out, key, 32);
	}
	json_decref(root);
}

static void
test_vectors_memo_signer_tags(void **state)
{
	json_t *root = load(), *c;
	uint8_t key[32], m[256], tag[32], want[32];
	struct binenc e;
	size_t i, mlen;

	(void)state;
	hex_exact(root, "tag_key_hex", key, sizeof(key));
	json_array_foreach(arr_of(root, "signer_tags"), i, c)
	{
		binenc_init(&e, m, sizeof(m));
		binenc_str(&e, "dissent/signer-tag/v1");
		binenc_str(&e, str_of(c, "memo_id"));
		binenc_str(&e, str_of(c, "signer_id"));
		assert_int_equal(binenc_finish(&e, &mlen), 0);
		assert_hex_field(c, "message_hex", m, mlen);
		assert_int_equal(
		    crypto_generichash(want, 32, m, mlen, key, sizeof(key)), 0);
		memo_signer_tag(
		    tag, key, str_of(c, "memo_id"), str_of(c, "signer_id"));
		assert_memory_equal(tag, want, 32);
		assert_hex_field(c, "tag_hex", tag, sizeof(tag));
	}
	json_decref(root);
}

static void
test_vectors_memo_packages(void **state)
{
	static uint8_t recs[CASES_MAX][MEMO_RECORD_SEALED_BYTES];
	static uint8_t sigs[CASES_MAX][ANON_SIG_MAX];
	struct memo_anon_ref anon[CASES_MAX];
	json_t *root = load(), *c, *v, *list;
	uint8_t vh[MEMO_HASH_BYTES], h[MEMO_HASH_BYTES];
	size_t i, j, with_anon = 0;

	(void)state;
	json_array_foreach(arr_of(root, "packages"), i, c)
	{
		hex_exact(c, "version_hash_hex", vh, sizeof(vh));
		list = member(c, "records_hex");
		assert_true(json_is_array(list));
		assert_true(json_array_size(list) <= CASES_MAX);
		json_array_foreach(list, j, v)
		{
			assert_true(json_is_string(v));
			assert_int_equal(unhex(json_string_value(v), recs[j],
					     MEMO_RECORD_SEALED_BYTES),
			    MEMO_RECORD_SEALED_BYTES);
		}
		list = member(c, "anonymous_hex");
		assert_true(json_is_array(list));
		assert_true(json_array_size(list) <= CASES_MAX);
		json_array_foreach(list, j, v)
		{
			assert_true(json_is_string(v));
			anon[j].sig = sigs[j];
			anon[j].len =
			    unhex(json_string_value(v), sigs[j], ANON_SIG_MAX);
		}
		if (json_array_size(list) > 0)
			with_anon++;
		memo_package_hash(h, str_of(c, "memo_id"), vh, (record *)recs,
		    json_array_size(member(c, "records_hex")), anon,
		    json_array_size(list));
		assert_hex_field(c, "package_hash_hex", h, sizeof(h));
	}
	assert_true(with_anon >= 3);
	json_decref(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors_memo_syntax),
	    cmocka_unit_test(test_vectors_memo_contents),
	    cmocka_unit_test(test_vectors_memo_invalid_contents),
	    cmocka_unit_test(test_vectors_memo_replies),
	    cmocka_unit_test(test_vectors_memo_signatures),
	    cmocka_unit_test(test_vectors_memo_records),
	    cmocka_unit_test(test_vectors_memo_invalid_records),
	    cmocka_unit_test(test_vectors_memo_channel_grants),
	    cmocka_unit_test(test_vectors_memo_signer_tags),
	    cmocka_unit_test(test_vectors_memo_packages),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
