#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "aead.h"
#include "binenc.h"
#include "dhash.h"
#include "directory.h"
#include "keys.h"
#include "memo.h"

/* Domain tags (docs/PROTOCOL.md, "Domain tags"). */
#define TAG_VERSION "dissent/memo-version/v1"
#define TAG_CONTENT "dissent/memo-content/v1"
#define TAG_REPLY "dissent/memo-reply/v1"
#define TAG_BOX "dissent/memo-box/v1"
#define TAG_SIGNATURE "dissent/named-signature/v1"
#define TAG_RECORD "dissent/signer-record/v1"
#define TAG_SIGNER "dissent/signer-tag/v1"
#define TAG_PACKAGE "dissent/memo-package/v2"

/* The version byte that starts an encoded content. */
#define CONTENT_FORMAT 1

/* Random bytes of a memo id, written as 24 hex digits after "d_". */
#define MEMO_ID_RAW_BYTES 12

/* The longest associated data: str(tag) || str(memo_id) || u8 || u32. */
#define AD_MAX (4 + 32 + 4 + MEMO_ID_LEN + 1 + 4)

/* str(memo_id) || version_hash || str(signer_id) || u64(time). */
#define TRANSCRIPT_MAX                                                         \
	(4 + MEMO_ID_LEN + MEMO_HASH_BYTES + 4 + KEYS_MEMBER_ID_MAX + 8)

/* The longest unpadded signer record. */
#define RECORD_USED_MAX                                                        \
	(4 + sizeof(TAG_RECORD) - 1 + 4 + MEMO_ID_LEN + 4 + MEMO_HASH_BYTES +  \
	    4 + KEYS_MEMBER_ID_MAX + 4 + 8 + KEYS_SIG_BYTES)

_Static_assert(MEMO_BOX_OVERHEAD == AEAD_OVERHEAD, "memo box overhead");
_Static_assert(
    MEMO_RECORD_SEALED_BYTES == MEMO_RECORD_PLAIN_BYTES + crypto_box_SEALBYTES,
    "sealed record size");
_Static_assert(RECORD_USED_MAX <= MEMO_RECORD_PLAIN_BYTES,
    "a signer record must fit its padded size");
_Static_assert(MEMO_ROSTER_PK_BYTES == crypto_box_PUBLICKEYBYTES &&
		   MEMO_ROSTER_SK_BYTES == crypto_box_SECRETKEYBYTES,
    "roster keys are X25519 keys");
_Static_assert(MEMO_KEY_BYTES == AEAD_KEY_BYTES, "memo key size");
_Static_assert(MEMO_HASH_BYTES == DHASH_BYTES, "memo hash size");

/* Marking names, indexed by level. */
static const char *const markings[] = {
    "UNCLASSIFIED",
    "SBU",
    "CONFIDENTIAL",
    "SECRET",
    "TOP SECRET",
};
#define NMARKINGS (sizeof(markings) / sizeof(markings[0]))

/*
 * Decode the UTF-8 sequence at ${p} (${left} bytes remain) into ${cp}.
 * Return its length, or 0 if it is not well-formed UTF-8 (RFC 3629 §4): no
 * overlong forms, no surrogates, nothing above U+10FFFF, no stray or
 * missing continuation bytes.
 */
static size_t
utf8_next(const uint8_t *p, size_t left, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return (1);
	} else if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else {
		return (0);
	}
	if (left < len)
		return (0);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (len);
}

/*
 * Return 1 if the ${len} bytes at ${p} are valid UTF-8 without NUL or other
 * control characters (C0, DEL, C1), except tab, line feed and carriage
 * return when ${multiline} is set; else 0.
 */
static int
text_valid(const uint8_t *p, size_t len, int multiline)
{
	size_t i, n;
	uint32_t c;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_next(p + i, len - i, &c)) == 0)
			return (0);
		if (multiline && (c == '\t' || c == '\n' || c == '\r'))
			continue;
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			return (0);
	}
	return (1);
}

/*
 * Return 1 if ${s} is NULL (when ${optional}) or a valid text field of
 * ${min}..${max} bytes (see text_valid()), storing its length in ${len}.
 */
static int
field_valid(const char *s, size_t *len, size_t min, size_t max, int multiline,
    int optional)
{

	if (s == NULL) {
		*len = 0;
		return (optional && min == 0);
	}
	*len = strnlen(s, max + 1);
	if (*len < min || *len > max)
		return (0);
	return (text_valid((const uint8_t *)s, *len, multiline));
}

/* Return 1 if ${s} holds a NUL within its ${cap} bytes, else 0. */
static int
terminated(const char *s, size_t cap)
{

	return (memchr(s, '\0', cap) != NULL);
}

/*
 * Incremental hashing of the binary encoding, for values that are too large
 * to copy or that must be hashed without a chance of failure.
 */
static void
h_fixed(crypto_generichash_state *st, const uint8_t *p, size_t n)
{

	if (n > 0)
		(void)crypto_generichash_update(st, p, n);
}

static void
h_u32(crypto_generichash_state *st, uint32_t v)
{
	uint8_t b[4];
	struct binenc e;
	size_t len;

	binenc_init(&e, b, sizeof(b));
	binenc_u32(&e, v);
	if (binenc_finish(&e, &len) == 0)
		h_fixed(st, b, len);
}

/* var(p, n); ${n} is below 2^32 (every caller bounds it). */
static void
h_var(crypto_generichash_state *st, const uint8_t *p, size_t n)
{

	h_u32(st, (uint32_t)n);
	h_fixed(st, p, n);
}

static void
h_str(crypto_generichash_state *st, const char *s)
{

	h_var(st, (const uint8_t *)s, strlen(s));
}

/*
 * Start the hash dhash(${tag}, msg) (dhash.h: BLAKE2b-256 over u8(len(tag))
 * || tag || msg), to be fed msg in parts and finished with h_final().
 * ${tag} is one of the constant tags above.
 */
static void
dh_init(crypto_generichash_state *st, const char *tag)
{
	uint8_t taglen = (uint8_t)strlen(tag);

	(void)crypto_generichash_init(st, NULL, 0, MEMO_HASH_BYTES);
	h_fixed(st, &taglen, 1);
	h_fixed(st, (const uint8_t *)tag, taglen);
}

static void
h_final(crypto_generichash_state *st, uint8_t out[MEMO_HASH_BYTES])
{

	(void)crypto_generichash_final(st, out, MEMO_HASH_BYTES);
	sodium_memzero(st, sizeof(*st));
}

/**
 * memo_id_new(out):
 * Write a new random memo id into ${out}.
 */
void
memo_id_new(char out[MEMO_ID_LEN + 1])
{
	uint8_t raw[MEMO_ID_RAW_BYTES];

	randombytes_buf(raw, sizeof(raw));
	out[0] = 'd';
	out[1] = '_';
	/* sodium_bin2hex() writes lowercase digits and the NUL. */
	(void)sodium_bin2hex(out + 2, MEMO_ID_LEN - 1, raw, sizeof(raw));
}

/**
 * memo_id_valid(id):
 * Return 1 if ${id} has the memo id syntax, else 0.
 */
int
memo_id_valid(const char *id)
{
	size_t i;

	if (id == NULL || strnlen(id, MEMO_ID_LEN + 1) != MEMO_ID_LEN)
		return (0);
	if (id[0] != 'd' || id[1] != '_')
		return (0);
	for (i = 2; i < MEMO_ID_LEN; i++) {
		if (!((id[i] >= '0' && id[i] <= '9') ||
			(id[i] >= 'a' && id[i] <= 'f')))
			return (0);
	}
	return (1);
}

/**
 * memo_marking_level(name):
 * Return the MEMO_MARKING_* level named ${name} (exact, upper case), or -1.
 */
int
memo_marking_level(const char *name)
{
	size_t i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < NMARKINGS; i++) {
		if (strcmp(name, markings[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

/**
 * memo_marking_name(level):
 * Return the name of the marking ${level}, or NULL.
 */
const char *
memo_marking_name(int level)
{

	if (level < 0 || (size_t)level >= NMARKINGS)
		return (NULL);
	return (markings[level]);
}

/**
 * memo_topic_valid(topic):
 * Return 1 if ${topic} is 1..MEMO_TOPIC_MAX of [a-z0-9-] starting with a
 * letter, else 0.  (Topics are coarse categories chosen from the instance's
 * configured list; they stay in the clear for statistics.)
 */
int
memo_topic_valid(const char *topic)
{
	size_t len, i;

	if (topic == NULL)
		return (0);
	len = strnlen(topic, MEMO_TOPIC_MAX + 1);
	if (len == 0 || len > MEMO_TOPIC_MAX)
		return (0);
	if (topic[0] < 'a' || topic[0] > 'z')
		return (0);
	for (i = 1; i < len; i++) {
		if (!((topic[i] >= 'a' && topic[i] <= 'z') ||
			(topic[i] >= '0' && topic[i] <= '9') ||
			topic[i] == '-'))
			return (0);
	}
	return (1);
}

/**
 * memo_content_check(c):
 * Return 1 if every field of ${c} is present where required, within its
 * limit, valid UTF-8 without NUL or control characters other than tab and
 * line breaks (title: none at all), with a valid topic and a known marking;
 * else 0.  A NULL summary or alternatives counts as empty.
 */
int
memo_content_check(const struct memo_content *c)
{
	size_t len;

	if (c == NULL)
		return (0);
	if (!field_valid(c->title, &len, 1, MEMO_TITLE_MAX, 0, 0) ||
	    !field_valid(c->summary, &len, 0, MEMO_SUMMARY_MAX, 1, 1) ||
	    !field_valid(c->body, &len, 1, MEMO_BODY_MAX, 1, 0) ||
	    !field_valid(c->alternatives, &len, 0, MEMO_ALTERNATIVES_MAX, 1, 1))
		return (0);
	if (!terminated(c->topic, sizeof(c->topic)) ||
	    !memo_topic_valid(c->topic))
		return (0);
	if (!terminated(c->marking, sizeof(c->marking)) ||
	    memo_marking_level(c->marking) < 0)
		return (0);
	return (1);
}

/**
 * memo_content_encode(c, out, len):
 * Encode the checked content ${c} (docs/PROTOCOL.md, "Memo content") into a
 * malloc'd buffer ${out} of ${len} bytes.  Return 0, or -1 if ${c} fails
 * memo_content_check() or memory runs out.
 */
int
memo_content_encode(const struct memo_content *c, uint8_t **out, size_t *len)
{
	const char *summary, *alternatives;
	struct binenc e;
	uint8_t *buf;
	size_t cap;

	if (!memo_content_check(c))
		goto err0;
	summary = c->summary != NULL ? c->summary : "";
	alternatives = c->alternatives != NULL ? c->alternatives : "";

	/* Checked lengths: the sum is at most MEMO_CONTENT_MAX. */
	cap = 1 + 6 * 4 + strlen(c->topic) + strlen(c->marking) +
	      strlen(c->title) + strlen(summary) + strlen(c->body) +
	      strlen(alternatives);
	if ((buf = malloc(cap)) == NULL)
		goto err0;
	binenc_init(&e, buf, cap);
	binenc_u8(&e, CONTENT_FORMAT);
	binenc_str(&e, c->topic);
	binenc_str(&e, c->marking);
	binenc_str(&e, c->title);
	binenc_str(&e, summary);
	binenc_str(&e, c->body);
	binenc_str(&e, alternatives);
	if (binenc_finish(&e, len) != 0 || *len != cap)
		goto err1;
	*out = buf;
	return (0);

err1:
	sodium_memzero(buf, cap);
	free(buf);
err0:
	*out = NULL;
	*len = 0;
	return (-1);
}

/*
 * Copy the ${n} bytes at ${p} into a new NUL-terminated string.  Return it,
 * or NULL if memory runs out.
 */
static char *
dup_bytes(const uint8_t *p, size_t n)
{
	char *s;

	if ((s = malloc(n + 1)) == NULL)
		return (NULL);
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return (s);
}

/**
 * memo_content_decode(c, buf, len):
 * Parse the encoded content ${buf} strictly (format, limits, UTF-8, nothing
 * left over) into ${c}.  Return 0, or -1 (${c} left empty).
 */
int
memo_content_decode(struct memo_content *c, const uint8_t *buf, size_t len)
{
	struct bindec d;
	const uint8_t *f[6];
	size_t n[6], i;
	uint8_t version;
	static const size_t max[6] = {MEMO_TOPIC_MAX, MEMO_MARKING_MAX,
	    MEMO_TITLE_MAX, MEMO_SUMMARY_MAX, MEMO_BODY_MAX,
	    MEMO_ALTERNATIVES_MAX};

	memset(c, 0, sizeof(*c));
	if (buf == NULL || len > MEMO_CONTENT_MAX)
		goto err0;

	/* Every length is checked against its limit before any copy. */
	bindec_init(&d, buf, len);
	if (bindec_u8(&d, &version) != 0 || version != CONTENT_FORMAT)
		goto err0;
	for (i = 0; i < 6; i++) {
		if (bindec_var(&d, &f[i], &n[i], max[i]) != 0)
			goto err0;
		/* A NUL would cut the string short. */
		if (n[i] > 0 && memchr(f[i], '\0', n[i]) != NULL)
			goto err0;
	}
	if (bindec_finish(&d) != 0)
		goto err0;

	memcpy(c->topic, f[0], n[0]);
	c->topic[n[0]] = '\0';
	memcpy(c->marking, f[1], n[1]);
	c->marking[n[1]] = '\0';
	if ((c->title = dup_bytes(f[2], n[2])) == NULL ||
	    (c->summary = dup_bytes(f[3], n[3])) == NULL ||
	    (c->body = dup_bytes(f[4], n[4])) == NULL ||
	    (c->alternatives = dup_bytes(f[5], n[5])) == NULL)
		goto err1;
	if (!memo_content_check(c))
		goto err1;
	return (0);

err1:
	memo_content_free(c);
err0:
	memset(c, 0, sizeof(*c));
	return (-1);
}

/* Wipe and free the string ${s}. */
static void
free_text(char *s)
{

	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

/**
 * memo_content_free(c):
 * Wipe and free the strings of ${c} (not ${c} itself).  NULL is a no-op.
 */
void
memo_content_free(struct memo_content *c)
{

	if (c == NULL)
		return;
	free_text(c->title);
	free_text(c->summary);
	free_text(c->body);
	free_text(c->alternatives);
	sodium_memzero(c, sizeof(*c));
}

/**
 * memo_version_hash(out, memo_id, version, prev, roster_pk, content, len):
 * The content-addressed hash of version ${version} (>= 1) of memo
 * ${memo_id} whose roster public key is ${roster_pk}, whose encoded content
 * is ${content} (${len} bytes, at most MEMO_CONTENT_MAX) and whose previous
 * version's hash is ${prev} (32 zero bytes for version 1):
 * dhash("dissent/memo-version/v1", str memo_id || u32 version || prev[32]
 * || roster_pk[32] || var content).  Binding the roster key lets a signer
 * check that the key it seals its record to is the one the drafter chose.
 * Return 0, or -1 on a malformed id, version 0 or oversized content.
 */
int
memo_version_hash(uint8_t out[MEMO_HASH_BYTES], const char *memo_id,
    uint32_t version, const uint8_t prev[MEMO_HASH_BYTES],
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES], const uint8_t *content,
    size_t len)
{
	crypto_generichash_state st;

	if (!memo_id_valid(memo_id) || version == 0 || len > MEMO_CONTENT_MAX ||
	    (content == NULL && len > 0)) {
		memset(out, 0, MEMO_HASH_BYTES);
		return (-1);
	}
	/* Hashed in parts: the content need not be copied. */
	dh_init(&st, TAG_VERSION);
	h_str(&st, memo_id);
	h_u32(&st, version);
	h_fixed(&st, prev, MEMO_HASH_BYTES);
	h_fixed(&st, roster_pk, MEMO_ROSTER_PK_BYTES);
	h_var(&st, content, len);
	h_final(&st, out);
	return (0);
}

/*
 * The associated data of a content box: str(tag) || str(memo_id) || u32
 * version.  Return 0, or -1 on a malformed id or version 0.
 */
static int
content_ad(
    uint8_t ad[AD_MAX], size_t *adlen, const char *memo_id, uint32_t version)
{
	struct binenc e;

	if (!memo_id_valid(memo_id) || version == 0)
		return (-1);
	binenc_init(&e, ad, AD_MAX);
	binenc_str(&e, TAG_CONTENT);
	binenc_str(&e, memo_id);
	binenc_u32(&e, version);
	return (binenc_finish(&e, adlen));
}

/**
 * memo_content_seal(box, boxlen, content, len, memo_id, version, key):
 * Encrypt the encoded content ${content} (1..MEMO_CONTENT_MAX bytes) of
 * version ${version} under the memo key ${key} with associated data
 * binenc(str "dissent/memo-content/v1", str memo_id, u32 version) into a
 * malloc'd ${box} of ${boxlen} bytes (nonce || ciphertext || tag).  Return
 * 0, or -1.
 */
int
memo_content_seal(uint8_t **box, size_t *boxlen, const uint8_t *content,
    size_t len, const char *memo_id, uint32_t version,
    const uint8_t key[MEMO_KEY_BYTES])
{
	uint8_t ad[AD_MAX];
	size_t adlen;
	uint8_t *b;

	if (content == NULL || len == 0 || len > MEMO_CONTENT_MAX)
		goto err0;
	if (content_ad(ad, &adlen, memo_id, version) != 0)
		goto err0;
	if ((b = malloc(len + MEMO_BOX_OVERHEAD)) == NULL)
		goto err0;
	if (aead_seal(b, content, len, ad, adlen, key) != 0)
		goto err1;
	*box = b;
	*boxlen = len + MEMO_BOX_OVERHEAD;
	return (0);

err1:
	free(b);
err0:
	*box = NULL;
	*boxlen = 0;
	return (-1);
}

/**
 * memo_content_open(content, len, box, boxlen, memo_id, version, key):
 * Decrypt a box made by memo_content_seal() into a malloc'd ${content} of
 * ${len} bytes.  Return 0, or -1 if it fails to authenticate for that memo
 * and version (nothing allocated).
 */
int
memo_content_open(uint8_t **content, size_t *len, const uint8_t *box,
    size_t boxlen, const char *memo_id, uint32_t version,
    const uint8_t key[MEMO_KEY_BYTES])
{
	uint8_t ad[AD_MAX];
	size_t adlen;
	uint8_t *m;

	if (box == NULL || boxlen <= MEMO_BOX_OVERHEAD || boxlen > MEMO_BOX_MAX)
		goto err0;
	if (content_ad(ad, &adlen, memo_id, version) != 0)
		goto err0;
	if ((m = malloc(boxlen - MEMO_BOX_OVERHEAD)) == NULL)
		goto err0;
	/* aead_open() wipes ${m} when the box does not authenticate. */
	if (aead_open(m, box, boxlen, ad, adlen, key) != 0)
		goto err1;
	*content = m;
	*len = boxlen - MEMO_BOX_OVERHEAD;
	return (0);

err1:
	free(m);
err0:
	*content = NULL;
	*len = 0;
	return (-1);
}

/*
 * The associated data of a reply box: str(tag) || str(memo_id) || u8 kind
 * || u32 n.  Return 0, or -1 on a malformed id, an unknown kind or n = 0.
 */
static int
reply_ad(uint8_t ad[AD_MAX], size_t *adlen, const char *memo_id, uint8_t kind,
    uint32_t n)
{
	struct binenc e;

	if (!memo_id_valid(memo_id) || n == 0)
		return (-1);
	if (kind != MEMO_REPLY_KIND_REPLY && kind != MEMO_REPLY_KIND_REDIRECT &&
	    kind != MEMO_REPLY_KIND_OUTCOME)
		return (-1);
	binenc_init(&e, ad, AD_MAX);
	binenc_str(&e, TAG_REPLY);
	binenc_str(&e, memo_id);
	binenc_u8(&e, kind);
	binenc_u32(&e, n);
	return (binenc_finish(&e, adlen));
}

/**
 * memo_reply_seal(box, boxlen, text, memo_id, kind, n, key):
 * Encrypt the NUL-terminated UTF-8 ${text} (1..MEMO_REPLY_MAX bytes, no
 * control characters other than tab and line breaks), encoded as
 * str(text), into a malloc'd ${box}.  Return 0, or -1.
 */
int
memo_reply_seal(uint8_t **box, size_t *boxlen, const char *text,
    const char *memo_id, uint8_t kind, uint32_t n,
    const uint8_t key[MEMO_KEY_BYTES])
{
	uint8_t ad[AD_MAX];
	size_t adlen, tlen, mlen;
	struct binenc e;
	uint8_t *m, *b;

	if (!field_valid(text, &tlen, 1, MEMO_REPLY_MAX, 1, 0))
		goto err0;
	if (reply_ad(ad, &adlen, memo_id, kind, n) != 0)
		goto err0;
	mlen = 4 + tlen;
	if ((m = malloc(mlen)) == NULL)
		goto err0;
	binenc_init(&e, m, mlen);
	binenc_var(&e, (const uint8_t *)text, tlen);
	if (binenc_finish(&e, &mlen) != 0)
		goto err1;
	if ((b = malloc(mlen + MEMO_BOX_OVERHEAD)) == NULL)
		goto err1;
	if (aead_seal(b, m, mlen, ad, adlen, key) != 0)
		goto err2;
	sodium_memzero(m, mlen);
	free(m);
	*box = b;
	*boxlen = mlen + MEMO_BOX_OVERHEAD;
	return (0);

err2:
	free(b);
err1:
	sodium_memzero(m, 4 + tlen);
	free(m);
err0:
	*box = NULL;
	*boxlen = 0;
	return (-1);
}

/**
 * memo_reply_open(text, box, boxlen, memo_id, kind, n, key):
 * Decrypt a box made by memo_reply_seal() into a malloc'd NUL-terminated
 * ${text}, checked as valid UTF-8 of the allowed length.  Return 0, or -1.
 */
int
memo_reply_open(char **text, const uint8_t *box, size_t boxlen,
    const char *memo_id, uint8_t kind, uint32_t n,
    const uint8_t key[MEMO_KEY_BYTES])
{
	uint8_t ad[AD_MAX];
	size_t adlen, mlen, tlen;
	struct bindec d;
	const uint8_t *t;
	uint8_t *m;
	char *s;

	if (box == NULL || boxlen < MEMO_BOX_OVERHEAD + 4 + 1 ||
	    boxlen > MEMO_REPLY_BOX_MAX)
		goto err0;
	if (reply_ad(ad, &adlen, memo_id, kind, n) != 0)
		goto err0;
	mlen = boxlen - MEMO_BOX_OVERHEAD;
	if ((m = malloc(mlen)) == NULL)
		goto err0;
	if (aead_open(m, box, boxlen, ad, adlen, key) != 0)
		goto err1;
	bindec_init(&d, m, mlen);
	if (bindec_var(&d, &t, &tlen, MEMO_REPLY_MAX) != 0 ||
	    bindec_finish(&d) != 0 || tlen == 0)
		goto err1;
	if (memchr(t, '\0', tlen) != NULL || !text_valid(t, tlen, 1))
		goto err1;
	if ((s = dup_bytes(t, tlen)) == NULL)
		goto err1;
	sodium_memzero(m, mlen);
	free(m);
	*text = s;
	return (0);

err1:
	sodium_memzero(m, mlen);
	free(m);
err0:
	*text = NULL;
	return (-1);
}

/**
 * memo_box_hash(out, box, boxlen):
 * dhash("dissent/memo-box/v1", box): the hash of a reply's box that its log
 * event carries (anyone can recompute it from the stored box).
 */
void
memo_box_hash(uint8_t out[MEMO_HASH_BYTES], const uint8_t *box, size_t boxlen)
{

	/* A constant valid tag: dhash() cannot fail. */
	if (dhash(out, TAG_BOX, box, boxlen) != 0)
		memset(out, 0, MEMO_HASH_BYTES);
}

/*
 * Return 1 if the ids, version and signer of ${s} are well formed: a memo
 * id, version >= 1, a member id as the signer; else 0.
 */
static int
signature_fields_valid(const struct memo_signature *s)
{

	if (!terminated(s->memo_id, sizeof(s->memo_id)) ||
	    !memo_id_valid(s->memo_id))
		return (0);
	if (!terminated(s->signer_id, sizeof(s->signer_id)) ||
	    !directory_member_id_valid(s->signer_id))
		return (0);
	return (s->version >= 1);
}

/*
 * The named-signature transcript of ${s}: str(memo_id) || version_hash ||
 * str(signer_id) || u64(time).  Return 0, or -1 on a malformed field.
 */
static int
transcript(
    uint8_t t[TRANSCRIPT_MAX], size_t *tlen, const struct memo_signature *s)
{
	struct binenc e;

	if (!signature_fields_valid(s))
		return (-1);
	binenc_init(&e, t, TRANSCRIPT_MAX);
	binenc_str(&e, s->memo_id);
	binenc_fixed(&e, s->version_hash, MEMO_HASH_BYTES);
	binenc_str(&e, s->signer_id);
	binenc_u64(&e, s->time);
	return (binenc_finish(&e, tlen));
}

/**
 * memo_signature_sign(s, ks):
 * Fill ${s}->sig with sign(sign_sk, "dissent/named-signature/v1", T)
 * (keys_sign()) of ${s}'s transcript T.  Return 0, or -1 on a malformed
 * field (memo id, version 0, signer id that is not a member id).
 */
int
memo_signature_sign(struct memo_signature *s, const struct keys_secret *ks)
{
	uint8_t t[TRANSCRIPT_MAX];
	size_t tlen;

	if (transcript(t, &tlen, s) != 0) {
		memset(s->sig, 0, sizeof(s->sig));
		return (-1);
	}
	return (keys_sign(s->sig, ks, TAG_SIGNATURE, t, tlen));
}

/**
 * memo_signature_verify(s, sign_pk):
 * Return 0 if ${s}->sig is a valid signature of ${s}'s transcript under
 * ${sign_pk}, else -1.
 */
int
memo_signature_verify(
    const struct memo_signature *s, const uint8_t sign_pk[KEYS_SIGN_PK_BYTES])
{
	uint8_t t[TRANSCRIPT_MAX];
	size_t tlen;

	if (transcript(t, &tlen, s) != 0)
		return (-1);
	return (keys_verify(s->sig, sign_pk, TAG_SIGNATURE, t, tlen));
}

/**
 * memo_record_seal(out, s, roster_pk):
 * Seal the whole signature ${s} (the signer record: binenc(str
 * "dissent/signer-record/v1", str memo_id, u32 version, version_hash, str
 * signer_id, u32 key_epoch, u64 time, sig) padded with zeros to
 * MEMO_RECORD_PLAIN_BYTES) to the memo's roster public key with
 * crypto_box_seal.  Every sealed record has the same size.  Return 0, or -1
 * on a malformed field (as memo_signature_sign(), or key epoch 0) or a
 * roster key that fails keys_box_pk_check().
 */
int
memo_record_seal(uint8_t out[MEMO_RECORD_SEALED_BYTES],
    const struct memo_signature *s,
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES])
{
	uint8_t m[MEMO_RECORD_PLAIN_BYTES];
	struct binenc e;
	size_t len;

	if (!signature_fields_valid(s) || s->key_epoch == 0)
		goto err0;
	/* A small-order key would let anyone open the record. */
	if (keys_box_pk_check(roster_pk) != 0)
		goto err0;
	memset(m, 0, sizeof(m));
	binenc_init(&e, m, sizeof(m));
	binenc_str(&e, TAG_RECORD);
	binenc_str(&e, s->memo_id);
	binenc_u32(&e, s->version);
	binenc_fixed(&e, s->version_hash, MEMO_HASH_BYTES);
	binenc_str(&e, s->signer_id);
	binenc_u32(&e, s->key_epoch);
	binenc_u64(&e, s->time);
	binenc_fixed(&e, s->sig, KEYS_SIG_BYTES);
	if (binenc_finish(&e, &len) != 0)
		goto err1;
	if (crypto_box_seal(out, m, sizeof(m), roster_pk) != 0)
		goto err1;
	sodium_memzero(m, sizeof(m));
	return (0);

err1:
	sodium_memzero(m, sizeof(m));
err0:
	memset(out, 0, MEMO_RECORD_SEALED_BYTES);
	return (-1);
}

/*
 * Read a str field of at most ${max} bytes from ${d} into the buffer ${out}
 * of ${max} + 1 bytes.  Return 0, or -1 on truncation, an oversized field
 * or a NUL inside it.
 */
static int
read_str(struct bindec *d, char *out, size_t max)
{
	const uint8_t *p;
	size_t n;

	if (bindec_var(d, &p, &n, max) != 0)
		return (-1);
	if (n > 0 && memchr(p, '\0', n) != NULL)
		return (-1);
	memcpy(out, p, n);
	out[n] = '\0';
	return (0);
}

/**
 * memo_record_open(s, sealed, roster_pk, roster_sk):
 * Open a sealed signer record and parse it strictly into ${s} (the
 * signature is not verified: the caller checks it against the signer's
 * published keys).  Return 0, or -1 (${s} zeroed).
 */
int
memo_record_open(struct memo_signature *s,
    const uint8_t sealed[MEMO_RECORD_SEALED_BYTES],
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES],
    const uint8_t roster_sk[MEMO_ROSTER_SK_BYTES])
{
	uint8_t m[MEMO_RECORD_PLAIN_BYTES];
	char tag[sizeof(TAG_RECORD)];
	struct bindec d;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (crypto_box_seal_open(
		m, sealed, MEMO_RECORD_SEALED_BYTES, roster_pk, roster_sk) != 0)
		goto err0;

	bindec_init(&d, m, sizeof(m));
	if (read_str(&d, tag, sizeof(tag) - 1) != 0 ||
	    strcmp(tag, TAG_RECORD) != 0)
		goto err1;
	if (read_str(&d, s->memo_id, MEMO_ID_LEN) != 0 ||
	    bindec_u32(&d, &s->version) != 0 ||
	    bindec_fixed(&d, s->version_hash, MEMO_HASH_BYTES) != 0 ||
	    read_str(&d, s->signer_id, KEYS_MEMBER_ID_MAX) != 0 ||
	    bindec_u32(&d, &s->key_epoch) != 0 ||
	    bindec_u64(&d, &s->time) != 0 ||
	    bindec_fixed(&d, s->sig, KEYS_SIG_BYTES) != 0)
		goto err1;
	if (!signature_fields_valid(s) || s->key_epoch == 0)
		goto err1;

	/* Only zeros may follow the record. */
	for (i = d.pos; i < sizeof(m); i++) {
		if (m[i] != 0)
			goto err1;
	}
	sodium_memzero(m, sizeof(m));
	return (0);

err1:
	sodium_memzero(m, sizeof(m));
err0:
	sodium_memzero(s, sizeof(*s));
	return (-1);
}

/**
 * memo_roster_keypair(pk, sk):
 * Make a fresh roster key pair (X25519) for a new memo.
 */
void
memo_roster_keypair(
    uint8_t pk[MEMO_ROSTER_PK_BYTES], uint8_t sk[MEMO_ROSTER_SK_BYTES])
{

	/* With the system's randomness this cannot fail. */
	(void)crypto_box_keypair(pk, sk);
}

/**
 * memo_signer_tag(out, key, memo_id, signer_id):
 * The server's duplicate tag of a named signer on a memo: keyed BLAKE2b-256
 * under the server's secret tag key ${key} of binenc(str
 * "dissent/signer-tag/v1", str memo_id, str signer_id).  Without ${key}
 * (which never enters the database) a tag says nothing about who signed.
 */
void
memo_signer_tag(uint8_t out[MEMO_HASH_BYTES], const uint8_t key[MEMO_KEY_BYTES],
    const char *memo_id, const char *signer_id)
{
	crypto_generichash_state st;

	(void)crypto_generichash_init(
	    &st, key, MEMO_KEY_BYTES, MEMO_HASH_BYTES);
	h_str(&st, TAG_SIGNER);
	h_str(&st, memo_id);
	h_str(&st, signer_id);
	h_final(&st, out);
}

/**
 * memo_package_hash(out, memo_id, version_hash, records, n, anon, m):
 * The hash of what a submission froze: dhash("dissent/memo-package/v2",
 * str memo_id || version_hash || u32 n || each of the ${n} sealed records
 * ${records} in the order given || u32 m || var of each of the ${m}
 * anonymous signatures ${anon} in the order given).  Servers give records
 * sorted by their duplicate tag and anonymous signatures by their linking
 * tag.  ${records} (or ${anon}) may be NULL when ${n} (or ${m}) is 0.
 */
void
memo_package_hash(uint8_t out[MEMO_HASH_BYTES], const char *memo_id,
    const uint8_t version_hash[MEMO_HASH_BYTES],
    const uint8_t (*records)[MEMO_RECORD_SEALED_BYTES], size_t n,
    const struct memo_anon_ref *anon, size_t m)
{
	crypto_generichash_state st;
	size_t i;

	assert(n <= UINT32_MAX && m <= UINT32_MAX);
	/* Hashed in parts, so any number of records needs no allocation. */
	dh_init(&st, TAG_PACKAGE);
	h_str(&st, memo_id);
	h_fixed(&st, version_hash, MEMO_HASH_BYTES);
	h_u32(&st, (uint32_t)n);
	for (i = 0; i < n; i++)
		h_fixed(&st, records[i], MEMO_RECORD_SEALED_BYTES);
	h_u32(&st, (uint32_t)m);
	for (i = 0; i < m; i++) {
		assert(anon[i].len <= UINT32_MAX);
		h_var(&st, anon[i].sig, anon[i].len);
	}
	h_final(&st, out);
}
