/*
 * gen_vectors_memo: write tests/vectors/memo.json, the known-answer vectors
 * of a memo's cryptography and formats (docs/PROTOCOL.md, "Memos"): memo
 * ids, markings and topics; content encodings with their version hashes and
 * content boxes; encodings to refuse; reply boxes and their hashes; named
 * signatures; signer records sealed to a roster key; records to refuse;
 * grants of a memo's keys to the channel key; duplicate tags; package
 * hashes over named records and anonymous signatures.  It uses libdissent
 * itself and cross-checks each value against the library's refusals and round
 * trips.  tests/unit/test_vectors_memo.c checks the file on every build; the
 * browser implementation is held to the same file.
 *
 * Regenerate only when a format deliberately changes (and then bump the
 * version of the affected domain tags).  CMake does not build this
 * program; from the repository root:
 *
 *   cc -std=c17 -D_DEFAULT_SOURCE -I src/lib -o /tmp/gen_vectors_memo \
 *       tests/vectors/gen_vectors_memo.c src/lib/aead.c src/lib/binenc.c \
 *       src/lib/dhash.c src/lib/directory.c src/lib/grant.c \
 *       src/lib/keys.c src/lib/memo.c \
 *       $(pkg-config --cflags --libs libsodium jansson)
 *   /tmp/gen_vectors_memo tests/vectors
 *
 * Every input is fixed (keys, nonces, and the ephemeral keys of the sealed
 * records and grants, which production draws at random) and Ed25519
 * signing is deterministic, so running it twice writes identical files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "aead.h"
#include "binenc.h"
#include "grant.h"
#include "keys.h"
#include "memo.h"

#define MEMO_A "d_5e1f0c2a9b8d7e6f40312233"
#define MEMO_B "d_0000000000000000000000ff"
#define SIGNER_A "m_00112233445566778899aabb"
#define SIGNER_B "m_ffeeddccbbaa998877665544"
#define CONTENT_CASES 3
#define SIGNATURE_CASES 3

static const char *outdir;

static void
die(const char *what)
{

	fprintf(stderr, "gen_vectors_memo: %s\n", what);
	exit(1);
}

static void
check(int ok, const char *what)
{

	if (!ok)
		die(what);
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

/* A JSON string of the lowercase hex of ${bin}. */
static json_t *
hex_string(const uint8_t *bin, size_t len)
{
	json_t *s;
	char *hex;

	if ((hex = malloc(2 * len + 1)) == NULL)
		die("out of memory");
	sodium_bin2hex(hex, 2 * len + 1, bin, len);
	check((s = json_string(hex)) != NULL, "json");
	free(hex);
	return (s);
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

/* Fill ${out} with ${start}, ${start} + ${step}, .... */
static void
pattern(uint8_t *out, size_t n, uint8_t start, uint8_t step)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(start + step * i);
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
gen_syntax(json_t *root)
{
	static const char *valid_ids[] = {MEMO_A, MEMO_B};
	static const char *invalid_ids[] = {"d_5e1f0c2a9b8d7e6f4031223",
	    "d_5e1f0c2a9b8d7e6f403122334", "d_5E1F0C2A9B8D7E6F40312233",
	    "m_5e1f0c2a9b8d7e6f40312233", "d_5e1f0c2a9b8d7e6f4031223g", ""};
	static const char *valid_topics[] = {"policy", "a", "human-rights-2",
	    "abcdefghijklmnopqrstuvwxyz012345"};
	static const char *invalid_topics[] = {"", "2policy", "-policy",
	    "Policy", "pol icy", "pol_icy",
	    "abcdefghijklmnopqrstuvwxyz0123456"};
	static const char *invalid_markings[] = {
	    "", "secret", "TOP_SECRET", "SECRET ", "RESTRICTED"};
	json_t *ids = json_object(), *topics = json_object();
	json_t *marks = json_object(), *a, *c;
	size_t i;
	int level;

	a = json_array();
	for (i = 0; i < sizeof(valid_ids) / sizeof(valid_ids[0]); i++) {
		check(memo_id_valid(valid_ids[i]), "valid id");
		append(a, json_string(valid_ids[i]));
	}
	json_object_set_new(ids, "valid", a);
	a = json_array();
	for (i = 0; i < sizeof(invalid_ids) / sizeof(invalid_ids[0]); i++) {
		check(!memo_id_valid(invalid_ids[i]), "invalid id");
		append(a, json_string(invalid_ids[i]));
	}
	json_object_set_new(ids, "invalid", a);
	json_object_set_new(root, "memo_ids", ids);

	a = json_array();
	for (level = 0; memo_marking_name(level) != NULL; level++) {
		c = json_object();
		set_str(c, "name", memo_marking_name(level));
		set_int(c, "level", level);
		append(a, c);
	}
	json_object_set_new(marks, "known", a);
	a = json_array();
	for (i = 0; i < sizeof(invalid_markings) / sizeof(invalid_markings[0]);
	     i++) {
		check(memo_marking_level(invalid_markings[i]) == -1, "marking");
		append(a, json_string(invalid_markings[i]));
	}
	json_object_set_new(marks, "unknown", a);
	json_object_set_new(root, "markings", marks);

	a = json_array();
	for (i = 0; i < sizeof(valid_topics) / sizeof(valid_topics[0]); i++) {
		check(memo_topic_valid(valid_topics[i]), "valid topic");
		append(a, json_string(valid_topics[i]));
	}
	json_object_set_new(topics, "valid", a);
	a = json_array();
	for (i = 0; i < sizeof(invalid_topics) / sizeof(invalid_topics[0]);
	     i++) {
		check(!memo_topic_valid(invalid_topics[i]), "invalid topic");
		append(a, json_string(invalid_topics[i]));
	}
	json_object_set_new(topics, "invalid", a);
	json_object_set_new(root, "topics", topics);
}

/* The contents of the content cases. */
static void
contents(struct memo_content c[CONTENT_CASES], const char *ids[CONTENT_CASES],
    uint32_t versions[CONTENT_CASES])
{

	memset(c, 0, CONTENT_CASES * sizeof(*c));
	ids[0] = MEMO_A;
	versions[0] = 1;
	memcpy(c[0].topic, "policy", 7);
	memcpy(c[0].marking, "SBU", 4);
	c[0].title = "Reconsider the visa interview backlog";
	c[0].summary =
	    "Waiting times harm the mission; we propose two changes.";
	c[0].body = "# Dissent\n\nThe backlog is **14 months**.\r\n\n"
		    "- caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\n"
		    "\t- indented\n";
	c[0].alternatives = "1. Hire.\n2. Triage.";
	/* The next version of the same memo: optional fields empty. */
	ids[1] = MEMO_A;
	versions[1] = 2;
	memcpy(c[1].topic, "policy", 7);
	memcpy(c[1].marking, "CONFIDENTIAL", 13);
	c[1].title = "Reconsider the visa interview backlog (revised)";
	c[1].summary = "";
	c[1].body = "Revised body.";
	c[1].alternatives = "";
	ids[2] = MEMO_B;
	versions[2] = 1;
	memcpy(c[2].topic, "human-rights-2", 15);
	memcpy(c[2].marking, "TOP SECRET", 11);
	c[2].title = "\xd0\x9c\xd0\xb5\xd0\xbc\xd0\xbe \xe6\x96\x87";
	c[2].summary = "s";
	c[2].body = "b";
	c[2].alternatives = "a";
}

/* binenc(str tag, str memo_id, u32 version): a content box's AD. */
static size_t
content_ad(uint8_t *ad, size_t cap, const char *memo_id, uint32_t version)
{
	struct binenc e;
	size_t len;

	binenc_init(&e, ad, cap);
	binenc_str(&e, "dissent/memo-content/v1");
	binenc_str(&e, memo_id);
	binenc_u32(&e, version);
	check(binenc_finish(&e, &len) == 0, "content ad");
	return (len);
}

/* Content encodings and version hashes of ${hashes} for later sections. */
static void
gen_contents(json_t *root, const uint8_t key[MEMO_KEY_BYTES],
    uint8_t hashes[CONTENT_CASES][MEMO_HASH_BYTES])
{
	struct memo_content c[CONTENT_CASES], back;
	const char *ids[CONTENT_CASES];
	uint32_t versions[CONTENT_CASES];
	uint8_t prev[MEMO_HASH_BYTES], nonce[AEAD_NONCE_BYTES], ad[128];
	uint8_t rsk[32], rpk[MEMO_ROSTER_PK_BYTES];
	uint8_t *enc, *box, *opened;
	size_t len, adlen, olen, i;
	json_t *arr = json_array(), *o;

	contents(c, ids, versions);
	for (i = 0; i < CONTENT_CASES; i++) {
		/*
		 * The memo's roster key: memo A's is the one the records
		 * are sealed to (gen_records), memo B has its own.
		 */
		pattern(rsk, sizeof(rsk),
		    strcmp(ids[i], MEMO_A) == 0 ? 0xa0 : 0xc0, 1);
		check(crypto_scalarmult_base(rpk, rsk) == 0, "roster pk");
		check(memo_content_encode(&c[i], &enc, &len) == 0, "encode");
		check(memo_content_decode(&back, enc, len) == 0, "decode");
		memo_content_free(&back);
		if (versions[i] == 1)
			memset(prev, 0, sizeof(prev));
		else
			memcpy(prev, hashes[i - 1], sizeof(prev));
		check(memo_version_hash(hashes[i], ids[i], versions[i], prev,
			  rpk, enc, len) == 0,
		    "version hash");
		pattern(nonce, sizeof(nonce), (uint8_t)(0x60 + 0x20 * i), 1);
		adlen = content_ad(ad, sizeof(ad), ids[i], versions[i]);
		check((box = malloc(len + AEAD_OVERHEAD)) != NULL, "memory");
		check(aead_seal_with_nonce(
			  box, enc, len, ad, adlen, key, nonce) == 0,
		    "seal");
		check(memo_content_open(&opened, &olen, box,
			  len + AEAD_OVERHEAD, ids[i], versions[i], key) == 0,
		    "content open");
		check(olen == len && memcmp(opened, enc, len) == 0, "opened");

		o = json_object();
		set_str(o, "memo_id", ids[i]);
		set_int(o, "version", versions[i]);
		set_str(o, "topic", c[i].topic);
		set_str(o, "marking", c[i].marking);
		set_str(o, "title", c[i].title);
		set_str(o, "summary", c[i].summary);
		set_str(o, "body", c[i].body);
		set_str(o, "alternatives", c[i].alternatives);
		set_hex(o, "encoding_hex", enc, len);
		set_hex(o, "prev_hex", prev, sizeof(prev));
		set_hex(o, "roster_pk_hex", rpk, sizeof(rpk));
		set_hex(o, "version_hash_hex", hashes[i], MEMO_HASH_BYTES);
		set_hex(o, "nonce_hex", nonce, sizeof(nonce));
		set_hex(o, "ad_hex", ad, adlen);
		set_hex(o, "box_hex", box, len + AEAD_OVERHEAD);
		append(arr, o);
		free(opened);
		free(box);
		free(enc);
	}
	json_object_set_new(root, "contents", arr);
}

/* An invalid content encoding: fields by hand, then extra bytes. */
struct invalid_content {
	const char *reason;
	uint8_t format;
	const char *f[6];
	size_t n[6];  /* 0: strlen() of the field */
	size_t cut;   /* bytes removed from the end */
	size_t extra; /* zero bytes appended */
};

static const struct invalid_content invalid_contents[] = {
    {"unknown format version 2", 2, {"policy", "SBU", "T", "", "B", ""}, {0}, 0,
	0},
    {"format version 0", 0, {"policy", "SBU", "T", "", "B", ""}, {0}, 0, 0},
    {"truncated by one byte", 1, {"policy", "SBU", "T", "", "B", ""}, {0}, 1,
	0},
    {"truncated inside the last length", 1, {"policy", "SBU", "T", "", "B", ""},
	{0}, 3, 0},
    {"one byte left over", 1, {"policy", "SBU", "T", "", "B", ""}, {0}, 0, 1},
    {"empty title", 1, {"policy", "SBU", "", "", "B", ""}, {0}, 0, 0},
    {"empty body", 1, {"policy", "SBU", "T", "", "", ""}, {0}, 0, 0},
    {"title with a line feed", 1, {"policy", "SBU", "T\nT", "", "B", ""}, {0},
	0, 0},
    {"title with a tab", 1, {"policy", "SBU", "T\tT", "", "B", ""}, {0}, 0, 0},
    {"summary with ESC", 1, {"policy", "SBU", "T", "\x1b", "B", ""}, {0}, 0, 0},
    {"body with DEL", 1, {"policy", "SBU", "T", "", "B\x7f", ""}, {0}, 0, 0},
    {"alternatives with the C1 control U+0085", 1,
	{"policy", "SBU", "T", "", "B", "\xc2\x85"}, {0}, 0, 0},
    {"body with a NUL byte", 1, {"policy", "SBU", "T", "", "B\0B", ""},
	{0, 0, 0, 0, 3, 0}, 0, 0},
    {"body with an overlong encoding of /", 1,
	{"policy", "SBU", "T", "", "\xc0\xaf", ""}, {0}, 0, 0},
    {"body with the surrogate U+D800", 1,
	{"policy", "SBU", "T", "", "\xed\xa0\x80", ""}, {0}, 0, 0},
    {"body with U+110000", 1,
	{"policy", "SBU", "T", "", "\xf4\x90\x80\x80", ""}, {0}, 0, 0},
    {"body with a cut sequence", 1, {"policy", "SBU", "T", "", "\xe2\x9c", ""},
	{0}, 0, 0},
    {"body with a stray continuation byte", 1,
	{"policy", "SBU", "T", "", "\x80", ""}, {0}, 0, 0},
    {"unknown marking", 1, {"policy", "secret", "T", "", "B", ""}, {0}, 0, 0},
    {"topic starting with a digit", 1, {"2policy", "SBU", "T", "", "B", ""},
	{0}, 0, 0},
    {"empty topic", 1, {"", "SBU", "T", "", "B", ""}, {0}, 0, 0},
    {"title of 301 bytes", 1,
	{"policy", "SBU",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "", "B", ""},
	{0}, 0, 0},
    {"topic of 33 bytes", 1,
	{"abcdefghijklmnopqrstuvwxyz0123456", "SBU", "T", "", "B", ""}, {0}, 0,
	0},
};

static void
gen_invalid_contents(json_t *root)
{
	const struct invalid_content *ic;
	struct memo_content c;
	uint8_t buf[1024];
	struct binenc e;
	size_t i, j, n, len;
	json_t *arr = json_array(), *o;

	for (i = 0; i < sizeof(invalid_contents) / sizeof(invalid_contents[0]);
	     i++) {
		ic = &invalid_contents[i];
		binenc_init(&e, buf, sizeof(buf));
		binenc_u8(&e, ic->format);
		for (j = 0; j < 6; j++) {
			n = ic->n[j] != 0 ? ic->n[j] : strlen(ic->f[j]);
			binenc_var(&e, (const uint8_t *)ic->f[j], n);
		}
		for (j = 0; j < ic->extra; j++)
			binenc_u8(&e, 0);
		check(binenc_finish(&e, &len) == 0, "invalid encoding");
		check(ic->cut < len, "cut");
		len -= ic->cut;
		check(memo_content_decode(&c, buf, len) == -1, ic->reason);
		o = json_object();
		set_str(o, "reason", ic->reason);
		set_hex(o, "encoding_hex", buf, len);
		append(arr, o);
	}
	json_object_set_new(root, "invalid_contents", arr);
}

static void
gen_replies(json_t *root, const uint8_t key[MEMO_KEY_BYTES])
{
	static const struct {
		uint8_t kind;
		uint32_t n;
		const char *text;
	} cases[] = {
	    {MEMO_REPLY_KIND_REPLY, 1,
		"Thank you for the memo.\n\nWe will act on option 2."},
	    {MEMO_REPLY_KIND_REDIRECT, 2,
		"Out of scope: please raise this with the \xe2\x80\x9cOIG\xe2"
		"\x80\x9d."},
	    {MEMO_REPLY_KIND_OUTCOME, 3,
		"Held; next steps agreed.\t\xe2\x9c\x93"},
	};
	uint8_t ad[128], m[256], box[256 + AEAD_OVERHEAD], nonce[24];
	uint8_t h[MEMO_HASH_BYTES];
	struct binenc e;
	size_t i, adlen, mlen;
	json_t *arr = json_array(), *o;
	char *text;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		binenc_init(&e, ad, sizeof(ad));
		binenc_str(&e, "dissent/memo-reply/v1");
		binenc_str(&e, MEMO_A);
		binenc_u8(&e, cases[i].kind);
		binenc_u32(&e, cases[i].n);
		check(binenc_finish(&e, &adlen) == 0, "reply ad");
		binenc_init(&e, m, sizeof(m));
		binenc_str(&e, cases[i].text);
		check(binenc_finish(&e, &mlen) == 0, "reply plaintext");
		pattern(nonce, sizeof(nonce), (uint8_t)(0x10 + 0x30 * i), 3);
		check(aead_seal_with_nonce(
			  box, m, mlen, ad, adlen, key, nonce) == 0,
		    "reply seal");
		check(memo_reply_open(&text, box, mlen + AEAD_OVERHEAD, MEMO_A,
			  cases[i].kind, cases[i].n, key) == 0,
		    "reply open");
		check(strcmp(text, cases[i].text) == 0, "reply text");
		free(text);
		memo_box_hash(h, box, mlen + AEAD_OVERHEAD);
		o = json_object();
		set_str(o, "memo_id", MEMO_A);
		set_int(o, "kind", cases[i].kind);
		set_int(o, "n", cases[i].n);
		set_str(o, "text", cases[i].text);
		set_hex(o, "plaintext_hex", m, mlen);
		set_hex(o, "nonce_hex", nonce, sizeof(nonce));
		set_hex(o, "ad_hex", ad, adlen);
		set_hex(o, "box_hex", box, mlen + AEAD_OVERHEAD);
		set_hex(o, "box_hash_hex", h, sizeof(h));
		append(arr, o);
	}
	json_object_set_new(root, "replies", arr);
}

/* The signatures of the vectors, signed; ${seeds} their signers' seeds. */
static void
signatures(struct memo_signature s[SIGNATURE_CASES],
    uint8_t seeds[SIGNATURE_CASES][KEYS_SEED_BYTES],
    uint8_t hashes[CONTENT_CASES][MEMO_HASH_BYTES])
{
	static const struct {
		const char *memo;
		uint32_t version;
		size_t hash;
		const char *signer;
		uint32_t epoch;
		uint64_t time;
		uint8_t seed;
	} cases[] = {
	    {MEMO_A, 2, 1, SIGNER_A, 1, 1764403600, 0x00},
	    {MEMO_A, 2, 1, SIGNER_B, 3, 1764403601, 0x20},
	    {MEMO_B, 1, 2, SIGNER_A, 1, 1764490000, 0x00},
	};
	struct keys_secret ks;
	size_t i;

	memset(s, 0, SIGNATURE_CASES * sizeof(*s));
	for (i = 0; i < SIGNATURE_CASES; i++) {
		memcpy(s[i].memo_id, cases[i].memo, MEMO_ID_LEN + 1);
		s[i].version = cases[i].version;
		memcpy(
		    s[i].version_hash, hashes[cases[i].hash], MEMO_HASH_BYTES);
		memcpy(s[i].signer_id, cases[i].signer,
		    strlen(cases[i].signer) + 1);
		s[i].key_epoch = cases[i].epoch;
		s[i].time = cases[i].time;
		pattern(seeds[i], KEYS_SEED_BYTES, cases[i].seed, 1);
		check(keys_derive(&ks, seeds[i]) == 0, "keys");
		check(memo_signature_sign(&s[i], &ks) == 0, "sign");
		check(memo_signature_verify(&s[i], ks.pub.sign_pk) == 0,
		    "verify");
		keys_wipe(&ks);
	}
}

static void
signature_fields(json_t *o, const struct memo_signature *s)
{

	set_str(o, "memo_id", s->memo_id);
	set_int(o, "version", s->version);
	set_hex(o, "version_hash_hex", s->version_hash, MEMO_HASH_BYTES);
	set_str(o, "signer_id", s->signer_id);
	set_int(o, "key_epoch", s->key_epoch);
	set_int(o, "time", (long long)s->time);
	set_hex(o, "sig_hex", s->sig, KEYS_SIG_BYTES);
}

static void
gen_signatures(json_t *root, const struct memo_signature *s,
    uint8_t seeds[SIGNATURE_CASES][KEYS_SEED_BYTES])
{
	struct keys_secret ks;
	uint8_t t[256];
	struct binenc e;
	size_t i, tlen;
	json_t *arr = json_array(), *o;

	for (i = 0; i < SIGNATURE_CASES; i++) {
		check(keys_derive(&ks, seeds[i]) == 0, "keys");
		binenc_init(&e, t, sizeof(t));
		binenc_str(&e, s[i].memo_id);
		binenc_fixed(&e, s[i].version_hash, MEMO_HASH_BYTES);
		binenc_str(&e, s[i].signer_id);
		binenc_u64(&e, s[i].time);
		check(binenc_finish(&e, &tlen) == 0, "transcript");
		check(keys_verify(s[i].sig, ks.pub.sign_pk,
			  "dissent/named-signature/v1", t, tlen) == 0,
		    "transcript signature");
		o = json_object();
		set_hex(o, "signer_seed_hex", seeds[i], KEYS_SEED_BYTES);
		set_hex(o, "sign_pk_hex", ks.pub.sign_pk, KEYS_SIGN_PK_BYTES);
		signature_fields(o, &s[i]);
		set_hex(o, "transcript_hex", t, tlen);
		append(arr, o);
		keys_wipe(&ks);
	}
	json_object_set_new(root, "signatures", arr);
}

/* The record plaintext of ${s} with ${tag}, padded with zeros. */
static void
record_plain(uint8_t m[MEMO_RECORD_PLAIN_BYTES], const struct memo_signature *s,
    const char *tag)
{
	struct binenc e;
	size_t len;

	memset(m, 0, MEMO_RECORD_PLAIN_BYTES);
	binenc_init(&e, m, MEMO_RECORD_PLAIN_BYTES);
	binenc_str(&e, tag);
	binenc_str(&e, s->memo_id);
	binenc_u32(&e, s->version);
	binenc_fixed(&e, s->version_hash, MEMO_HASH_BYTES);
	binenc_str(&e, s->signer_id);
	binenc_u32(&e, s->key_epoch);
	binenc_u64(&e, s->time);
	binenc_fixed(&e, s->sig, KEYS_SIG_BYTES);
	check(binenc_finish(&e, &len) == 0, "record");
}

static void
gen_records(json_t *root, const struct memo_signature *s,
    uint8_t sealed[SIGNATURE_CASES][MEMO_RECORD_SEALED_BYTES])
{
	uint8_t sk[32], pk[32], eseed[32], m[MEMO_RECORD_PLAIN_BYTES];
	uint8_t bad[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature back, o;
	size_t i;
	json_t *arr = json_array(), *inv = json_array(), *c;

	pattern(sk, sizeof(sk), 0xa0, 1);
	check(crypto_scalarmult_base(pk, sk) == 0, "roster pk");
	set_hex(root, "roster_sk_hex", sk, sizeof(sk));
	set_hex(root, "roster_pk_hex", pk, sizeof(pk));
	for (i = 0; i < SIGNATURE_CASES; i++) {
		record_plain(m, &s[i], "dissent/signer-record/v1");
		pattern(eseed, sizeof(eseed), (uint8_t)(0x30 + i), 5);
		check(seal_fixed(sealed[i], m, sizeof(m), pk, eseed) ==
			  MEMO_RECORD_SEALED_BYTES,
		    "record size");
		check(memo_record_open(&back, sealed[i], pk, sk) == 0,
		    "record open");
		check(memcmp(&back, &s[i], sizeof(back)) == 0, "record fields");
		c = json_object();
		set_int(c, "signature", (long long)i);
		signature_fields(c, &s[i]);
		set_hex(c, "plaintext_hex", m, sizeof(m));
		set_hex(c, "ephemeral_seed_hex", eseed, sizeof(eseed));
		set_hex(c, "sealed_hex", sealed[i], MEMO_RECORD_SEALED_BYTES);
		append(arr, c);
	}
	json_object_set_new(root, "records", arr);

	/* Records that open but must be refused. */
	for (i = 0; i < 5; i++) {
		const char *reason;

		o = s[0];
		record_plain(m, &o, "dissent/signer-record/v1");
		switch (i) {
		case 0:
			reason = "a nonzero byte in the padding";
			m[MEMO_RECORD_PLAIN_BYTES - 1] = 1;
			break;
		case 1:
			reason = "another tag (dissent/signer-record/v2)";
			record_plain(m, &o, "dissent/signer-record/v2");
			break;
		case 2:
			reason = "key epoch 0";
			o.key_epoch = 0;
			record_plain(m, &o, "dissent/signer-record/v1");
			break;
		case 3:
			reason = "version 0";
			o.version = 0;
			record_plain(m, &o, "dissent/signer-record/v1");
			break;
		default:
			reason = "a signer id that is not a member id";
			memcpy(o.signer_id, "m_00112233445566778899aabB", 27);
			record_plain(m, &o, "dissent/signer-record/v1");
			break;
		}
		pattern(eseed, sizeof(eseed), (uint8_t)(0x90 + i), 7);
		seal_fixed(bad, m, sizeof(m), pk, eseed);
		check(memo_record_open(&back, bad, pk, sk) == -1, reason);
		c = json_object();
		set_str(c, "reason", reason);
		set_hex(c, "plaintext_hex", m, sizeof(m));
		set_hex(c, "ephemeral_seed_hex", eseed, sizeof(eseed));
		set_hex(c, "sealed_hex", bad, sizeof(bad));
		append(inv, c);
	}
	json_object_set_new(root, "invalid_records", inv);
}

/* The memo key and roster secret key granted to the channel key. */
static void
gen_grants(json_t *root, const uint8_t key[MEMO_KEY_BYTES])
{
	uint8_t cseed[32], cpk[32], csk[32], rsk[32], eseed[32];
	uint8_t m[GRANT_SEALED_MAX], sealed[GRANT_SEALED_MAX], out[32];
	struct binenc e;
	size_t i, mlen, slen;
	json_t *arr = json_array(), *c;
	const char *purpose;
	const uint8_t *k;

	pattern(cseed, sizeof(cseed), 0xc0, 1);
	check(crypto_box_seed_keypair(cpk, csk, cseed) == 0, "channel key");
	pattern(rsk, sizeof(rsk), 0xa0, 1);
	set_hex(root, "channel_seed_hex", cseed, sizeof(cseed));
	set_hex(root, "channel_pk_hex", cpk, sizeof(cpk));
	set_hex(root, "channel_sk_hex", csk, sizeof(csk));
	for (i = 0; i < 2; i++) {
		purpose = i == 0 ? MEMO_GRANT_KEY : MEMO_GRANT_ROSTER;
		k = i == 0 ? key : rsk;
		binenc_init(&e, m, sizeof(m));
		binenc_str(&e, "dissent/grant/v1");
		binenc_str(&e, purpose);
		binenc_str(&e, MEMO_A);
		binenc_fixed(&e, k, 32);
		check(binenc_finish(&e, &mlen) == 0, "grant plaintext");
		pattern(eseed, sizeof(eseed), (uint8_t)(0x70 + i), 9);
		slen = seal_fixed(sealed, m, mlen, cpk, eseed);
		check(grant_open_box(
			  out, sealed, slen, purpose, MEMO_A, cpk, csk) == 0,
		    "grant open");
		check(memcmp(out, k, 32) == 0, "granted key");
		c = json_object();
		set_str(c, "purpose", purpose);
		set_str(c, "context", MEMO_A);
		set_hex(c, "key_hex", k, 32);
		set_hex(c, "plaintext_hex", m, mlen);
		set_hex(c, "ephemeral_seed_hex", eseed, sizeof(eseed));
		set_hex(c, "sealed_hex", sealed, slen);
		append(arr, c);
	}
	json_object_set_new(root, "channel_grants", arr);
}

static void
gen_tags(json_t *root)
{
	static const char *pairs[][2] = {
	    {MEMO_A, SIGNER_A}, {MEMO_A, SIGNER_B}, {MEMO_B, SIGNER_A}};
	uint8_t key[32], tag[32], m[128];
	struct binenc e;
	size_t i, mlen;
	json_t *arr = json_array(), *c;

	pattern(key, sizeof(key), 0xe0, 1);
	set_hex(root, "tag_key_hex", key, sizeof(key));
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		binenc_init(&e, m, sizeof(m));
		binenc_str(&e, "dissent/signer-tag/v1");
		binenc_str(&e, pairs[i][0]);
		binenc_str(&e, pairs[i][1]);
		check(binenc_finish(&e, &mlen) == 0, "tag message");
		memo_signer_tag(tag, key, pairs[i][0], pairs[i][1]);
		c = json_object();
		set_str(c, "memo_id", pairs[i][0]);
		set_str(c, "signer_id", pairs[i][1]);
		set_hex(c, "message_hex", m, mlen);
		set_hex(c, "tag_hex", tag, sizeof(tag));
		append(arr, c);
	}
	json_object_set_new(root, "signer_tags", arr);
}

static void
gen_packages(json_t *root, const uint8_t vh[MEMO_HASH_BYTES],
    uint8_t sealed[SIGNATURE_CASES][MEMO_RECORD_SEALED_BYTES])
{
	/*
	 * Records 0 and 1 (both on MEMO_A version 2) in both orders, one, and
	 * none; then anonymous signatures: two of them in both orders (a ring
	 * of two and one of three: 128 and 160 bytes, opaque to the hash),
	 * one alone, and one without records.
	 */
	static const struct {
		size_t nrec, order, nanon, anon_order;
	} cases[] = {
	    {2, 0, 0, 0},
	    {2, 1, 0, 0},
	    {1, 0, 0, 0},
	    {0, 0, 0, 0},
	    {2, 0, 2, 0},
	    {2, 0, 2, 1},
	    {1, 0, 1, 0},
	    {0, 0, 1, 1},
	};
	static const size_t orders[][2] = {{0, 1}, {1, 0}};
	static uint8_t recs[2][MEMO_RECORD_SEALED_BYTES];
	static uint8_t sigs[2][160];
	static const size_t siglen[2] = {128, 160};
	struct memo_anon_ref anon[2];
	uint8_t h[MEMO_HASH_BYTES];
	size_t i, j, k;
	json_t *arr = json_array(), *c, *list, *alist;

	pattern(sigs[0], siglen[0], 0x21, 3);
	pattern(sigs[1], siglen[1], 0x85, 11);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		list = json_array();
		for (j = 0; j < cases[i].nrec; j++) {
			memcpy(recs[j], sealed[orders[cases[i].order][j]],
			    MEMO_RECORD_SEALED_BYTES);
			append(list,
			    hex_string(recs[j], MEMO_RECORD_SEALED_BYTES));
		}
		alist = json_array();
		for (j = 0; j < cases[i].nanon; j++) {
			k = orders[cases[i].anon_order][j];
			anon[j].sig = sigs[k];
			anon[j].len = siglen[k];
			append(alist, hex_string(sigs[k], siglen[k]));
		}
		memo_package_hash(h, MEMO_A, vh,
		    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])recs,
		    cases[i].nrec, anon, cases[i].nanon);
		c = json_object();
		set_str(c, "memo_id", MEMO_A);
		set_hex(c, "version_hash_hex", vh, MEMO_HASH_BYTES);
		json_object_set_new(c, "records_hex", list);
		json_object_set_new(c, "anonymous_hex", alist);
		set_hex(c, "package_hash_hex", h, sizeof(h));
		append(arr, c);
	}
	json_object_set_new(root, "packages", arr);
}

int
main(int argc, char *argv[])
{
	uint8_t key[MEMO_KEY_BYTES], hashes[CONTENT_CASES][MEMO_HASH_BYTES];
	uint8_t seeds[SIGNATURE_CASES][KEYS_SEED_BYTES];
	static uint8_t sealed[SIGNATURE_CASES][MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s[SIGNATURE_CASES];
	json_t *root;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_vectors_memo outdir\n");
		return (1);
	}
	outdir = argv[1];
	if (sodium_init() < 0)
		die("sodium_init");

	root = json_object();
	set_str(root, "description",
	    "Memos: docs/PROTOCOL.md \"Memos\".  memo_ids, markings, topics: "
	    "syntax to accept and refuse.  contents: a version's fields, its "
	    "encoding (u8 1, str topic, str marking, str title, str summary, "
	    "str body, str alternatives), its version hash "
	    "dhash(\"dissent/memo-version/v1\", str memo_id || u32 version || "
	    "prev || roster_pk || var encoding) with the memo's roster_pk "
	    "(memo A's is the top-level roster_pk) and its content box under "
	    "key_hex "
	    "(XChaCha20-Poly1305, nonce || ciphertext || tag, with the fixed "
	    "nonce given and AD str(\"dissent/memo-content/v1\") || "
	    "str(memo_id) || u32(version)).  invalid_contents: encodings to "
	    "refuse.  replies: boxes of str(text) under key_hex with AD "
	    "str(\"dissent/memo-reply/v1\") || str(memo_id) || u8(kind) || "
	    "u32(n), and box_hash dhash(\"dissent/memo-box/v1\", box).  "
	    "signatures: sign(sign_sk, \"dissent/named-signature/v1\", "
	    "transcript) for the keys of signer_seed.  records: signer "
	    "records (padded to 256 bytes) sealed to roster_pk with the given "
	    "ephemeral seed (crypto_box_seed_keypair; sealing is randomised in "
	    "use); open with roster_sk.  invalid_records: sealed records that "
	    "open but must be refused.  channel_grants: the memo key and "
	    "roster secret key granted to the channel key (sealed grants as "
	    "in grant.json).  signer_tags: keyed BLAKE2b-256 under tag_key of "
	    "message.  packages: dhash(\"dissent/memo-package/v2\", "
	    "str(memo_id) || version_hash || u32(n) || records || u32(m) || "
	    "var(anonymous signature) for each), records and anonymous "
	    "signatures in the order listed.  Binary values are lowercase "
	    "hex.");
	pattern(key, sizeof(key), 0x40, 1);
	set_hex(root, "key_hex", key, sizeof(key));
	gen_syntax(root);
	gen_contents(root, key, hashes);
	gen_invalid_contents(root);
	gen_replies(root, key);
	signatures(s, seeds, hashes);
	gen_signatures(root, s, seeds);
	gen_records(root, s, sealed);
	gen_grants(root, key);
	gen_tags(root);
	gen_packages(root, hashes[1], sealed);
	write_file("memo.json", root);
	return (0);
}
