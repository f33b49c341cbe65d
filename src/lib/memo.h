#ifndef MEMO_H_
#define MEMO_H_

#include <stddef.h>
#include <stdint.h>

#include "keys.h"

/*
 * A memo's cryptography and wire formats (docs/PROTOCOL.md, "Memos"): ids,
 * classification markings, the content of a version and its
 * content-addressed hash, content and reply encryption under the memo key,
 * the named co-signature transcript, the signer record sealed to the memo's
 * roster key, the server's keyed duplicate tag and the submission package
 * hash.  The client and the server use the same functions: the server
 * never sees a memo key, a roster secret key or plaintext.
 */

/* Memo ids: "d_" followed by 24 lowercase hex digits (12 random bytes). */
#define MEMO_ID_LEN 26
#define MEMO_KEY_BYTES 32
#define MEMO_HASH_BYTES 32
#define MEMO_ROSTER_PK_BYTES 32
#define MEMO_ROSTER_SK_BYTES 32
/* Random nonce of an AEAD box (aead.h) plus its tag. */
#define MEMO_BOX_OVERHEAD 40
/* A sealed signer record: crypto_box_seal overhead (48) + the record. */
#define MEMO_RECORD_PLAIN_BYTES 256
#define MEMO_RECORD_SEALED_BYTES (MEMO_RECORD_PLAIN_BYTES + 48)

/* Field limits of a version's content (bytes of UTF-8, no NUL). */
#define MEMO_TITLE_MAX 300
#define MEMO_SUMMARY_MAX 4000
#define MEMO_BODY_MAX (256u * 1024u)
#define MEMO_ALTERNATIVES_MAX (64u * 1024u)
#define MEMO_TOPIC_MAX 32
#define MEMO_MARKING_MAX 16
/* Longest encoded content, and longest box of one version. */
#define MEMO_CONTENT_MAX                                                       \
	(1 + 6 * 4 + MEMO_TOPIC_MAX + MEMO_MARKING_MAX + MEMO_TITLE_MAX +      \
	    MEMO_SUMMARY_MAX + MEMO_BODY_MAX + MEMO_ALTERNATIVES_MAX)
#define MEMO_BOX_MAX (MEMO_CONTENT_MAX + MEMO_BOX_OVERHEAD)
/* Longest reply or redirection note text, and its box. */
#define MEMO_REPLY_MAX (256u * 1024u)
#define MEMO_REPLY_BOX_MAX (4 + MEMO_REPLY_MAX + MEMO_BOX_OVERHEAD)
/* Most organisations a memo may be open to. */
#define MEMO_ORGS_MAX 8

/* Grant purposes (grant.h), each with the memo id as context. */
#define MEMO_GRANT_KEY "memo-key"       /* the memo key */
#define MEMO_GRANT_ROSTER "memo-roster" /* the roster secret key */

/*
 * Classification markings, lowest first.  An instance is accredited up to
 * one of them (config "max_marking") and refuses memos marked above it.
 */
#define MEMO_MARKING_UNCLASSIFIED 0 /* "UNCLASSIFIED" */
#define MEMO_MARKING_SBU 1          /* "SBU": sensitive but unclassified */
#define MEMO_MARKING_CONFIDENTIAL 2 /* "CONFIDENTIAL" */
#define MEMO_MARKING_SECRET 3       /* "SECRET" */
#define MEMO_MARKING_TOP_SECRET 4   /* "TOP SECRET" */

/*
 * The content of one version.  The strings are NUL-terminated and owned by
 * whoever filled the struct (memo_content_decode() allocates them; free
 * with memo_content_free()).
 */
struct memo_content {
	char *title;        /* 1..MEMO_TITLE_MAX */
	char *summary;      /* 0..MEMO_SUMMARY_MAX */
	char *body;         /* 1..MEMO_BODY_MAX, Markdown */
	char *alternatives; /* 0..MEMO_ALTERNATIVES_MAX */
	char topic[MEMO_TOPIC_MAX + 1];
	char marking[MEMO_MARKING_MAX + 1];
};

/**
 * memo_id_new(out):
 * Write a new random memo id into ${out}.
 */
void memo_id_new(char out[MEMO_ID_LEN + 1]);

/**
 * memo_id_valid(id):
 * Return 1 if ${id} has the memo id syntax, else 0.
 */
int memo_id_valid(const char *id);

/**
 * memo_marking_level(name):
 * Return the MEMO_MARKING_* level named ${name} (exact, upper case), or -1.
 */
int memo_marking_level(const char *name);

/**
 * memo_marking_name(level):
 * Return the name of the marking ${level}, or NULL.
 */
const char *memo_marking_name(int level);

/**
 * memo_topic_valid(topic):
 * Return 1 if ${topic} is 1..MEMO_TOPIC_MAX of [a-z0-9-] starting with a
 * letter, else 0.  (Topics are coarse categories chosen from the instance's
 * configured list; they stay in the clear for statistics.)
 */
int memo_topic_valid(const char *topic);

/**
 * memo_content_check(c):
 * Return 1 if every field of ${c} is present where required, within its
 * limit, valid UTF-8 without NUL or control characters other than tab and
 * line breaks (title: none at all), with a valid topic and a known marking;
 * else 0.  A NULL summary or alternatives counts as empty.
 */
int memo_content_check(const struct memo_content *c);

/**
 * memo_content_encode(c, out, len):
 * Encode the checked content ${c} (docs/PROTOCOL.md, "Memo content") into a
 * malloc'd buffer ${out} of ${len} bytes.  Return 0, or -1 if ${c} fails
 * memo_content_check() or memory runs out.
 */
int memo_content_encode(const struct memo_content *c, uint8_t **out,
    size_t *len) __attribute__((warn_unused_result));

/**
 * memo_content_decode(c, buf, len):
 * Parse the encoded content ${buf} strictly (format, limits, UTF-8, nothing
 * left over) into ${c}.  Return 0, or -1 (${c} left empty).
 */
int memo_content_decode(struct memo_content *c, const uint8_t *buf, size_t len)
    __attribute__((warn_unused_result));

/**
 * memo_content_free(c):
 * Wipe and free the strings of ${c} (not ${c} itself).  NULL is a no-op.
 */
void memo_content_free(struct memo_content *c);

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
int memo_version_hash(uint8_t out[MEMO_HASH_BYTES], const char *memo_id,
    uint32_t version, const uint8_t prev[MEMO_HASH_BYTES],
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES], const uint8_t *content,
    size_t len) __attribute__((warn_unused_result));

/**
 * memo_content_seal(box, boxlen, content, len, memo_id, version, key):
 * Encrypt the encoded content ${content} (1..MEMO_CONTENT_MAX bytes) of
 * version ${version} under the memo key ${key} with associated data
 * binenc(str "dissent/memo-content/v1", str memo_id, u32 version) into a
 * malloc'd ${box} of ${boxlen} bytes (nonce || ciphertext || tag).  Return
 * 0, or -1.
 */
int memo_content_seal(uint8_t **box, size_t *boxlen, const uint8_t *content,
    size_t len, const char *memo_id, uint32_t version,
    const uint8_t key[MEMO_KEY_BYTES]) __attribute__((warn_unused_result));

/**
 * memo_content_open(content, len, box, boxlen, memo_id, version, key):
 * Decrypt a box made by memo_content_seal() into a malloc'd ${content} of
 * ${len} bytes.  Return 0, or -1 if it fails to authenticate for that memo
 * and version (nothing allocated).
 */
int memo_content_open(uint8_t **content, size_t *len, const uint8_t *box,
    size_t boxlen, const char *memo_id, uint32_t version,
    const uint8_t key[MEMO_KEY_BYTES]) __attribute__((warn_unused_result));

/*
 * Replies, redirection notes and meeting outcomes: the text, encoded as
 * binenc str(text), encrypted under the memo key with associated data
 * binenc(str "dissent/memo-reply/v1", str memo_id, u8 kind, u32 n) where
 * ${n} numbers the memo's replies and notes from 1.
 */
#define MEMO_REPLY_KIND_REPLY 1
#define MEMO_REPLY_KIND_REDIRECT 2
#define MEMO_REPLY_KIND_OUTCOME 3 /* a meeting's outcome */

/**
 * memo_reply_seal(box, boxlen, text, memo_id, kind, n, key):
 * Encrypt the NUL-terminated UTF-8 ${text} (1..MEMO_REPLY_MAX bytes, no
 * control characters other than tab and line breaks), encoded as
 * str(text), into a malloc'd ${box}.  Return 0, or -1.
 */
int memo_reply_seal(uint8_t **box, size_t *boxlen, const char *text,
    const char *memo_id, uint8_t kind, uint32_t n,
    const uint8_t key[MEMO_KEY_BYTES]) __attribute__((warn_unused_result));

/**
 * memo_reply_open(text, box, boxlen, memo_id, kind, n, key):
 * Decrypt a box made by memo_reply_seal() into a malloc'd NUL-terminated
 * ${text}, checked as valid UTF-8 of the allowed length.  Return 0, or -1.
 */
int memo_reply_open(char **text, const uint8_t *box, size_t boxlen,
    const char *memo_id, uint8_t kind, uint32_t n,
    const uint8_t key[MEMO_KEY_BYTES]) __attribute__((warn_unused_result));

/**
 * memo_box_hash(out, box, boxlen):
 * dhash("dissent/memo-box/v1", box): the hash of a reply's box that its log
 * event carries (anyone can recompute it from the stored box).
 */
void memo_box_hash(
    uint8_t out[MEMO_HASH_BYTES], const uint8_t *box, size_t boxlen);

/*
 * A named co-signature.  Its transcript is T = binenc(str memo_id,
 * version_hash[32], str signer_id, u64 time) and its signature
 * sign(sign_sk, "dissent/named-signature/v1", T) as keys_sign() makes it
 * (Ed25519 over u8(len(tag)) || tag || T).  The version hash binds the
 * version; the key epoch says which of the signer's keys to verify with.
 * The signer id is a member id (directory_member_id_valid()).
 */
struct memo_signature {
	char memo_id[MEMO_ID_LEN + 1];
	uint32_t version;
	uint8_t version_hash[MEMO_HASH_BYTES];
	char signer_id[KEYS_MEMBER_ID_MAX + 1];
	uint32_t key_epoch; /* the signer's key epoch that signed */
	uint64_t time;      /* Unix seconds, the signer's clock */
	uint8_t sig[KEYS_SIG_BYTES];
};

/**
 * memo_signature_sign(s, ks):
 * Fill ${s}->sig with sign(sign_sk, "dissent/named-signature/v1", T)
 * (keys_sign()) of ${s}'s transcript T.  Return 0, or -1 on a malformed
 * field (memo id, version 0, signer id that is not a member id).
 */
int memo_signature_sign(struct memo_signature *s, const struct keys_secret *ks)
    __attribute__((warn_unused_result));

/**
 * memo_signature_verify(s, sign_pk):
 * Return 0 if ${s}->sig is a valid signature of ${s}'s transcript under
 * ${sign_pk}, else -1.
 */
int memo_signature_verify(
    const struct memo_signature *s, const uint8_t sign_pk[KEYS_SIGN_PK_BYTES])
    __attribute__((warn_unused_result));

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
int memo_record_seal(uint8_t out[MEMO_RECORD_SEALED_BYTES],
    const struct memo_signature *s,
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES])
    __attribute__((warn_unused_result));

/**
 * memo_record_open(s, sealed, roster_pk, roster_sk):
 * Open a sealed signer record and parse it strictly into ${s} (the
 * signature is not verified: the caller checks it against the signer's
 * published keys).  Return 0, or -1 (${s} zeroed).
 */
int memo_record_open(struct memo_signature *s,
    const uint8_t sealed[MEMO_RECORD_SEALED_BYTES],
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES],
    const uint8_t roster_sk[MEMO_ROSTER_SK_BYTES])
    __attribute__((warn_unused_result));

/**
 * memo_roster_keypair(pk, sk):
 * Make a fresh roster key pair (X25519) for a new memo.
 */
void memo_roster_keypair(
    uint8_t pk[MEMO_ROSTER_PK_BYTES], uint8_t sk[MEMO_ROSTER_SK_BYTES]);

/**
 * memo_signer_tag(out, key, memo_id, signer_id):
 * The server's duplicate tag of a named signer on a memo: keyed BLAKE2b-256
 * under the server's secret tag key ${key} of binenc(str
 * "dissent/signer-tag/v1", str memo_id, str signer_id).  Without ${key}
 * (which never enters the database) a tag says nothing about who signed.
 */
void memo_signer_tag(uint8_t out[MEMO_HASH_BYTES],
    const uint8_t key[MEMO_KEY_BYTES], const char *memo_id,
    const char *signer_id);

/* One anonymous co-signature (ring.h wire format) of a package. */
struct memo_anon_ref {
	const uint8_t *sig;
	size_t len; /* below 2^32 */
};

/**
 * memo_package_hash(out, memo_id, version_hash, records, n, anon, m):
 * The hash of what a submission froze: dhash("dissent/memo-package/v2",
 * str memo_id || version_hash || u32 n || each of the ${n} sealed records
 * ${records} in the order given || u32 m || var of each of the ${m}
 * anonymous signatures ${anon} in the order given).  Servers give records
 * sorted by their duplicate tag and anonymous signatures by their linking
 * tag.  ${records} (or ${anon}) may be NULL when ${n} (or ${m}) is 0.
 */
void memo_package_hash(uint8_t out[MEMO_HASH_BYTES], const char *memo_id,
    const uint8_t version_hash[MEMO_HASH_BYTES],
    const uint8_t (*records)[MEMO_RECORD_SEALED_BYTES], size_t n,
    const struct memo_anon_ref *anon, size_t m);

#endif /* !MEMO_H_ */
