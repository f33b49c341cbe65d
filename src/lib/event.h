#ifndef EVENT_H_
#define EVENT_H_

#include <stddef.h>
#include <stdint.h>

#include "directory.h"
#include "keys.h"
#include "memo.h"

/*
 * Channel log events (docs/PROTOCOL.md, "Log events").  Each event is one
 * leaf of the channel's Merkle log; its leaf input is the fixed binary
 * encoding produced by event_encode():
 *
 *   u8  format version (EVENT_FORMAT_VERSION)
 *   u16 type (EVENT_*)
 *   u64 time (Unix seconds, the server's clock at append)
 *   ... the type's fields, in the order given below, with the binenc rules
 *       (strings and variable bytes as u32 length + bytes).
 *
 * Events never carry plaintext memo content, names, handles or the identity
 * of a signer.  Directory events carry member ids (the directory is not
 * secret inside the organisation) and a hash of public keys.
 */
#define EVENT_FORMAT_VERSION 1
/* Largest encoded event accepted anywhere. */
#define EVENT_MAX_BYTES 4096

/* Directory and key transparency events (1..99). */
#define EVENT_ORG_CREATED 1      /* org_id */
#define EVENT_MEMBER_CREATED 2   /* member_id, org_id, roles u32, eligible u8 */
#define EVENT_MEMBER_ENROLLED 3  /* member_id, epoch u32, keys_hash[32] */
#define EVENT_KEYS_ROTATED 4     /* member_id, epoch u32, keys_hash[32] */
#define EVENT_MEMBER_SUSPENDED 5 /* member_id */
#define EVENT_MEMBER_REINSTATED 6   /* member_id */
#define EVENT_ROLES_CHANGED 7       /* member_id, roles u32 */
#define EVENT_ELIGIBILITY_CHANGED 8 /* member_id, eligible u8 */
/*
 * Memo and channel events (100..199).  They name a memo by its random id
 * and channel staff (assignees, principals) by member id, but never a
 * drafter, an invitee or a signer: where an event concerns such a member
 * (a grant, an access), it carries a commitment
 * dhash("dissent/access-commit/v1", nonce[32] || str member_id) whose nonce
 * the server keeps with the access record and shows only to the memo's
 * drafters and auditors, who can then check it against the log.
 */
/*
 * Their fields, in encoding order:
 *   memo_submitted       memo_id, memo_version u32, hash (the version
 *                        hash), named u32, anonymous u32, package_hash
 *                        (no organisation and no topic: they could point
 *                        at the drafter)
 *   memo_withdrawn       memo_id
 *   memo_acknowledged    memo_id
 *   memo_redirected      memo_id, hash (the note box's hash)
 *   memo_assigned        memo_id, member_id (the assignee)
 *   memo_distributed     memo_id, member_id (the principal), member2_id
 *                        (the approving director, or "")
 *   grant_created        memo_id, kind u8 (EVENT_GRANT_*), commit
 *   content_accessed     memo_id, kind u8 (EVENT_ACCESS_*), commit
 *   memo_replied         memo_id, n u32, hash (the reply box's hash)
 *   memo_closed          memo_id
 *   meeting_requested    memo_id, member_id (the principal)
 *   meeting_scheduled    memo_id, member_id, at u64
 *   meeting_held         memo_id, member_id, kind u8
 *                        (EVENT_MEETING_OUTCOME_*), hash (the outcome
 *                        box's hash, or zeros)
 *   complaint_filed      hash (the complaint box's hash)
 *   deadline_missed      memo_id, kind u8 (DEADLINE_*), at u64 (the due
 *                        time)
 *   channel_key_created  keys_hash (event_channel_key_hash() of the
 *                        channel public key), member_id (the creator)
 *   channel_key_granted  member_id (the coordinator)
 */
#define EVENT_MEMO_SUBMITTED 100
#define EVENT_MEMO_WITHDRAWN 101
#define EVENT_MEMO_ACKNOWLEDGED 102
#define EVENT_MEMO_REDIRECTED 103
#define EVENT_MEMO_ASSIGNED 104
#define EVENT_MEMO_DISTRIBUTED 105
#define EVENT_GRANT_CREATED 106
#define EVENT_CONTENT_ACCESSED 107
#define EVENT_MEMO_REPLIED 108
#define EVENT_MEMO_CLOSED 109
#define EVENT_MEETING_REQUESTED 110
#define EVENT_MEETING_SCHEDULED 111
#define EVENT_MEETING_HELD 112
#define EVENT_COMPLAINT_FILED 113
#define EVENT_DEADLINE_MISSED 114
#define EVENT_CHANNEL_KEY_CREATED 115
#define EVENT_CHANNEL_KEY_GRANTED 116

/* Kinds of grant_created and content_accessed events. */
#define EVENT_GRANT_KEY 1      /* the memo key */
#define EVENT_GRANT_ROSTER 2   /* the roster secret key */
#define EVENT_ACCESS_KEY 1     /* a memo key grant was fetched */
#define EVENT_ACCESS_CONTENT 2 /* a version's ciphertext was fetched */
#define EVENT_ACCESS_SIGNERS 3 /* the sealed signer records were fetched */
#define EVENT_ACCESS_REPLIES 4 /* replies were fetched */

/* Kinds of meeting_held events. */
#define EVENT_MEETING_OUTCOME_HELD 1
#define EVENT_MEETING_OUTCOME_DECLINED 2

#define EVENT_COMMIT_BYTES 32
#define EVENT_NONCE_BYTES 32

#define EVENT_KEYS_HASH_BYTES 32

struct event {
	uint8_t version;
	uint16_t type;
	uint64_t time;
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1]; /* "" when unused */
	char org_id[DIRECTORY_ORG_ID_MAX + 1];       /* "" when unused */
	uint32_t roles;
	uint8_t eligible;
	uint32_t epoch;
	uint8_t keys_hash[EVENT_KEYS_HASH_BYTES];
	/* Memo and channel events. */
	char memo_id[MEMO_ID_LEN + 1];                /* "" when unused */
	char member2_id[DIRECTORY_MEMBER_ID_LEN + 1]; /* "" when unused */
	uint32_t memo_version; /* the memo's version (not the format's) */
	uint32_t named;
	uint32_t anonymous;
	uint32_t n;
	uint8_t kind;
	uint64_t at;
	uint8_t hash[MEMO_HASH_BYTES];
	uint8_t package_hash[MEMO_HASH_BYTES];
	uint8_t commit[EVENT_COMMIT_BYTES];
};

/**
 * event_access_commit(out, nonce, member_id):
 * The commitment to ${member_id} that grant and access events carry:
 * dhash("dissent/access-commit/v1", nonce || str member_id).  ${member_id}
 * is a member id, or "channel" for a grant to the channel key: at most
 * DIRECTORY_MEMBER_ID_LEN bytes (a longer one is the caller's bug: abort).
 */
void event_access_commit(uint8_t out[EVENT_COMMIT_BYTES],
    const uint8_t nonce[EVENT_NONCE_BYTES], const char *member_id);

/**
 * event_keys_hash(out, pub):
 * The hash of a member's public keys that key events carry:
 * dhash("dissent/event-keys/v1", sign_pk || box_pk || ring_pk).
 */
void event_keys_hash(
    uint8_t out[EVENT_KEYS_HASH_BYTES], const struct keys_public *pub);

/**
 * event_channel_key_hash(out, pk):
 * The hash of the channel's X25519 public key ${pk} that a
 * channel_key_created event carries as its keys_hash:
 * dhash("dissent/channel-key/v1", pk).
 */
void event_channel_key_hash(
    uint8_t out[EVENT_KEYS_HASH_BYTES], const uint8_t pk[KEYS_BOX_PK_BYTES]);

/**
 * event_encode(buf, cap, len, ev):
 * Encode ${ev} (whose type decides which fields are written) into ${buf} of
 * ${cap} bytes, storing the length in ${len}.  Return 0, or -1 if the type
 * is unknown, a field is invalid for its type (e.g. a malformed member id)
 * or the buffer is too small.
 */
int event_encode(uint8_t *buf, size_t cap, size_t *len, const struct event *ev)
    __attribute__((warn_unused_result));

/**
 * event_decode(ev, buf, len):
 * Parse the ${len} bytes at ${buf} strictly: known version and type, every
 * field well-formed, nothing left over.  Return 0, or -1 (and ${ev} zeroed).
 */
int event_decode(struct event *ev, const uint8_t *buf, size_t len)
    __attribute__((warn_unused_result));

/**
 * event_type_name(type):
 * Return a stable lowercase name for ${type} ("member_enrolled", ...), or
 * NULL if unknown.
 */
const char *event_type_name(uint16_t type);

#endif /* !EVENT_H_ */
