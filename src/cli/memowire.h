#ifndef MEMOWIRE_H_
#define MEMOWIRE_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "event.h"
#include "grant.h"
#include "keys.h"
#include "memo.h"
#include "treehead.h"

/*
 * The client side of memo cryptography over the API (docs/API.md,
 * "Memos"): base64url of large boxes, opening one's grants (directly, or
 * through the channel key for the channel's staff), sealing and opening
 * versions with their content-addressed hash and its chain, checking
 * signer records against the signer's published keys, replies and
 * complaints, the channel key checked against the log entry that
 * publishes it, and the offline verification of receipts.  Nothing here
 * talks to the network: the commands fetch, these functions check.  All
 * cryptography is libdissent's (memo.h, grant.h, aead.h, treehead.h).
 *
 * Functions that check what a server sent return 0, MEMOWIRE_EBAD when
 * the input is malformed (a field missing, of the wrong type or length),
 * or MEMOWIRE_EINTEGRITY when it is well formed but a cryptographic check
 * fails (a box that does not open, a hash that does not match, a
 * signature or proof that does not verify).
 */
#define MEMOWIRE_EBAD (-1)
#define MEMOWIRE_EINTEGRITY (-2)

/* Largest binary value carried as base64url in one JSON string. */
#define MEMOWIRE_B64_MAX (1024u * 1024u)

/* Room for a message about a failed check, with its NUL. */
#define MEMOWIRE_ERR_MAX 256

/* Grant purposes beyond the memo's own (memo.h), and their contexts. */
#define MEMOWIRE_GRANT_CHANNEL "channel-key" /* context: the instance id */
#define MEMOWIRE_GRANT_COMPLAINT "complaint-key"
#define MEMOWIRE_COMPLAINT_CONTEXT "complaint"

/* Associated data tag of a complaint's box. */
#define MEMOWIRE_COMPLAINT_TAG "dissent/complaint/v1"
/* Longest complaint text, and the longest box of one. */
#define MEMOWIRE_COMPLAINT_MAX (64u * 1024u)

/* A memo's keys as one member holds them; wipe with memowire_keys_wipe(). */
struct memowire_keys {
	uint8_t key[MEMO_KEY_BYTES];
	uint8_t roster_sk[MEMO_ROSTER_SK_BYTES];
	int have_key;
	int have_roster;
	int via_channel; /* opened through the channel key */
};

/* What the client reads of a Memo object. */
struct memowire_memo {
	char id[MEMO_ID_LEN + 1];
	char state[16];
	char topic[MEMO_TOPIC_MAX + 1];
	char marking[MEMO_MARKING_MAX + 1];
	uint32_t version;
	uint8_t version_hash[MEMO_HASH_BYTES];
	uint8_t roster_pk[MEMO_ROSTER_PK_BYTES];
	int show_signers;
	int signers_may_invite;
};

/* A verified receipt. */
struct memowire_receipt {
	char memo_id[MEMO_ID_LEN + 1];
	uint64_t index;
	struct treehead head;
	struct event ev;
};

/**
 * memowire_b64(bytes, n):
 * Return a JSON string holding the base64url of the ${n} bytes of
 * ${bytes} (at most MEMOWIRE_B64_MAX), or NULL.
 */
json_t *memowire_b64(const uint8_t *bytes, size_t n);

/**
 * memowire_get_b64(obj, key, out, len, max):
 * Decode the base64url string ${key} of ${obj} (at most ${max} bytes, and
 * at least one) into a new malloc'd buffer ${out} of ${len} bytes.
 * Return 0 or -1.
 */
int memowire_get_b64(const json_t *obj, const char *key, uint8_t **out,
    size_t *len, size_t max) __attribute__((warn_unused_result));

/**
 * memowire_get_grant(obj, key, sealed, len):
 * Decode the sealed grant ${key} of ${obj} into ${sealed} and its length
 * into ${len}.  Return 0, 1 if the field is absent or null, or -1 if it
 * is malformed.
 */
int memowire_get_grant(const json_t *obj, const char *key,
    uint8_t sealed[GRANT_SEALED_MAX], size_t *len)
    __attribute__((warn_unused_result));

/**
 * memowire_grant_json(key, purpose, context, box_pk):
 * Seal ${key} to ${box_pk} for ${purpose} and ${context} (grant_seal())
 * and return it as a JSON string, or NULL.
 */
json_t *memowire_grant_json(const uint8_t key[GRANT_KEY_BYTES],
    const char *purpose, const char *context,
    const uint8_t box_pk[KEYS_BOX_PK_BYTES]);

/**
 * memowire_memo_parse(obj, m):
 * Read the Memo object ${obj} into ${m}.  Return 0, or -1 (${m} zeroed)
 * if a field it needs is missing or malformed.
 */
int memowire_memo_parse(const json_t *obj, struct memowire_memo *m)
    __attribute__((warn_unused_result));

/**
 * memowire_grants_open(k, grants, memo_id, ks, channel_pk, instance_id):
 * Open the caller's keys for memo ${memo_id} from ${grants}, the answer of
 * GET /memos/{id}/grants: "key" and "roster" sealed to ${ks}; failing a
 * "key", the channel's grants ("channel": {"key", "roster"}) opened with
 * the channel's secret key, itself from "channel_key" sealed to ${ks} for
 * ${instance_id}, whose public key is ${channel_pk} (NULL: not known, so
 * no channel path).  Return 0 with ${k} filled (${k}->have_key set), 1 if
 * the answer holds no memo key for the caller, MEMOWIRE_EBAD or
 * MEMOWIRE_EINTEGRITY (a grant that does not open); ${k} is wiped on
 * failure.
 */
int memowire_grants_open(struct memowire_keys *k, const json_t *grants,
    const char *memo_id, const struct keys_secret *ks,
    const uint8_t *channel_pk, const char *instance_id)
    __attribute__((warn_unused_result));

/**
 * memowire_roster_check(roster_sk, roster_pk):
 * Check that the roster secret key ${roster_sk} (as a grant gave it) is
 * the one of the memo's roster public key ${roster_pk}: X25519 of the base
 * point.  A member who forwards (to the channel, a principal or a
 * co-drafter) or uses a roster key from a grant checks it first.  Return
 * 0 or MEMOWIRE_EINTEGRITY.
 */
int memowire_roster_check(const uint8_t roster_sk[MEMO_ROSTER_SK_BYTES],
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES])
    __attribute__((warn_unused_result));

/**
 * memowire_keys_wipe(k):
 * Wipe ${k}.
 */
void memowire_keys_wipe(struct memowire_keys *k);

/**
 * memowire_version_seal(c, memo_id, version, prev, roster_pk, key, hash):
 * Encode the content ${c}, compute its version hash for ${memo_id} at
 * ${version} after ${prev} with the memo's roster key ${roster_pk} into
 * ${hash}, encrypt it under ${key} and return {"hash", "box"}, or NULL
 * (content refused by memo_content_check(), or out of memory).
 */
json_t *memowire_version_seal(const struct memo_content *c, const char *memo_id,
    uint32_t version, const uint8_t prev[MEMO_HASH_BYTES],
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES],
    const uint8_t key[MEMO_KEY_BYTES], uint8_t hash[MEMO_HASH_BYTES]);

/**
 * memowire_version_open(c, hash, prev, ver, memo_id, version, roster_pk,
 *     key):
 * Read ${ver}, the answer of GET /memos/{id}/versions/{n} ({"version",
 * "hash", "prev_hash", "box"}), which must be version ${version} of
 * ${memo_id}; decrypt its box with ${key}, decode the content into ${c}
 * and check that memo_version_hash() of it after "prev_hash" with the
 * roster key ${roster_pk} (the memo object's) is "hash": a roster key
 * other than the one the drafter hashed fails here.  Store the hash and
 * the previous hash in ${hash} and ${prev}.  Return 0, MEMOWIRE_EBAD or
 * MEMOWIRE_EINTEGRITY (${c} left empty).
 */
int memowire_version_open(struct memo_content *c, uint8_t hash[MEMO_HASH_BYTES],
    uint8_t prev[MEMO_HASH_BYTES], const json_t *ver, const char *memo_id,
    uint32_t version, const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES],
    const uint8_t key[MEMO_KEY_BYTES]) __attribute__((warn_unused_result));

/**
 * memowire_chain_check(m, versions, version, hash, prev):
 * Check version ${version} (with ${hash}, after ${prev}, as checked by
 * memowire_version_open()) against the memo ${m} and ${versions}, the
 * answer of GET /memos/{id}/versions: the list must number its versions
 * 1..${m}->version in order; its entry for ${version} must have ${hash}
 * and the one before it ${prev} (32 zero bytes for version 1); and the
 * current version's hash must be ${m}->version_hash.  Return 0,
 * MEMOWIRE_EBAD or MEMOWIRE_EINTEGRITY.
 */
int memowire_chain_check(const struct memowire_memo *m, const json_t *versions,
    uint32_t version, const uint8_t hash[MEMO_HASH_BYTES],
    const uint8_t prev[MEMO_HASH_BYTES]) __attribute__((warn_unused_result));

/**
 * memowire_version_hash_of(versions, version, hash):
 * Store in ${hash} the hash that ${versions} (GET /memos/{id}/versions)
 * gives for ${version}.  Return 0, or -1 if it gives none or a malformed
 * one.
 */
int memowire_version_hash_of(const json_t *versions, uint32_t version,
    uint8_t hash[MEMO_HASH_BYTES]) __attribute__((warn_unused_result));

/**
 * memowire_keys_at(answer, epoch, pub, rec):
 * Find the keys of epoch ${epoch} in ${answer}, the answer of GET
 * /members/{id}/keys ("history", and "current"), store them in ${pub} and
 * the record they came from in ${rec} (borrowed from ${answer}).  Return
 * 0, or -1 if there is no such epoch or it is malformed.
 */
int memowire_keys_at(const json_t *answer, uint32_t epoch,
    struct keys_public *pub, const json_t **rec)
    __attribute__((warn_unused_result));

/**
 * memowire_record_verify(s, memo_id, version, version_hash, pub):
 * Check the opened signer record ${s}: it is for ${memo_id}, at
 * ${version} whose hash is ${version_hash}, and its signature verifies
 * under ${pub}'s signing key.  Return 0 or MEMOWIRE_EINTEGRITY.
 */
int memowire_record_verify(const struct memo_signature *s, const char *memo_id,
    uint32_t version, const uint8_t version_hash[MEMO_HASH_BYTES],
    const struct keys_public *pub) __attribute__((warn_unused_result));

/**
 * memowire_records_package(out, memo_id, version_hash, records):
 * As memowire_package() for a memo without anonymous signatures.
 */
int memowire_records_package(uint8_t out[MEMO_HASH_BYTES], const char *memo_id,
    const uint8_t version_hash[MEMO_HASH_BYTES], const json_t *records)
    __attribute__((warn_unused_result));

/**
 * memowire_package(out, memo_id, version_hash, records, anon):
 * Recompute the submission's package hash (memo_package_hash()) from
 * ${records}, the "records" array of GET /memos/{id}/signatures, and
 * ${anon}, the "signatures" of GET /memos/{id}/anonymous-signatures (every
 * page, in order; NULL: none), each in the server's order.  Return 0, or
 * -1 if a record or signature is malformed or an anonymous signature's
 * "tag" is not the one it carries.
 */
int memowire_package(uint8_t out[MEMO_HASH_BYTES], const char *memo_id,
    const uint8_t version_hash[MEMO_HASH_BYTES], const json_t *records,
    const json_t *anon) __attribute__((warn_unused_result));

/**
 * memowire_complaint_seal(box, boxlen, text, key):
 * Encrypt the NUL-terminated ${text} (1..MEMOWIRE_COMPLAINT_MAX bytes)
 * under ${key} with associated data binenc(str "dissent/complaint/v1")
 * into a malloc'd ${box} of ${boxlen} bytes.  Return 0 or -1.
 */
int memowire_complaint_seal(uint8_t **box, size_t *boxlen, const char *text,
    const uint8_t key[GRANT_KEY_BYTES]) __attribute__((warn_unused_result));

/**
 * memowire_complaint_open(text, box, boxlen, key):
 * Decrypt a box made by memowire_complaint_seal() into a malloc'd
 * NUL-terminated ${text} without NUL bytes inside.  Return 0 or -1.
 */
int memowire_complaint_open(char **text, const uint8_t *box, size_t boxlen,
    const uint8_t key[GRANT_KEY_BYTES]) __attribute__((warn_unused_result));

/**
 * memowire_receipt_verify(r, server_pk, rc, err, errcap):
 * Verify the Receipt object ${r} offline: its "head" (a signed tree head
 * with its instance id) is signed by ${server_pk}; "server_sign_pk", if
 * present, is ${server_pk}; "event" (the leaf input) is entry "index" of
 * that tree by the inclusion proof "proof"; it decodes strictly as a memo
 * event of the memo "memo".  Fill ${rc}.  Return 0, or
 * MEMOWIRE_EINTEGRITY with the reason in ${err} (a malformed receipt is
 * one that does not verify).
 */
int memowire_receipt_verify(const json_t *r,
    const uint8_t server_pk[TREEHEAD_PK_BYTES], struct memowire_receipt *rc,
    char *err, size_t errcap) __attribute__((warn_unused_result));

/**
 * memowire_channel_key_check(head, index, leaf, len, proof, nhashes, pk,
 *     err, errcap):
 * Check that the channel public key ${pk} is the one the channel log
 * publishes: ${leaf} (${len} bytes, the leaf input of entry ${index}) must
 * be entry ${index} of the verified tree head ${head} by the inclusion
 * proof ${proof} of ${nhashes} hashes (so ${index} must be below its
 * size), decode strictly as a channel_key_created event, and carry
 * event_channel_key_hash() of ${pk} as its keys hash.  Return 0, or
 * MEMOWIRE_EINTEGRITY with the reason in ${err}.
 */
int memowire_channel_key_check(const struct treehead *head, uint64_t index,
    const uint8_t *leaf, size_t len, const uint8_t *proof, size_t nhashes,
    const uint8_t pk[KEYS_BOX_PK_BYTES], char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * memowire_receipt_json(rc):
 * Return the summary of the verified receipt ${rc}: {"memo", "event"
 * (type name), "time", "index", "tree_size", "tree_timestamp",
 * "instance_id", and the fields of its type: "version", "version_hash",
 * "named", "anonymous", "package_hash", "member", "n", "hash"}, or NULL
 * if out of memory.
 */
json_t *memowire_receipt_json(const struct memowire_receipt *rc);

#endif /* !MEMOWIRE_H_ */
