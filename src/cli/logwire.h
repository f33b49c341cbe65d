#ifndef LOGWIRE_H_
#define LOGWIRE_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "event.h"
#include "merkle.h"
#include "treehead.h"

/*
 * The JSON of the channel log (docs/API.md, "Log"): signed tree heads,
 * proofs and entries as the server sends them, and the JSON the client
 * shows for events.  Binary values are base64url without padding.  Parsing
 * checks shapes and lengths only: signatures and proofs are checked by the
 * caller with treehead.h.
 */

/* Room for the longest proof. */
#define LOGWIRE_PROOF_BYTES (MERKLE_MAX_PROOF * MERKLE_HASH_BYTES)

/* Longest line logwire_event_text() writes, with its NUL. */
#define LOGWIRE_EVENT_TEXT_MAX 256

/**
 * logwire_head_parse(obj, th):
 * Read the signed tree head ${obj}, {"instance_id", "size", "timestamp",
 * "root", "signature"}, into ${th}.  Return 0, or -1 (${th} zeroed) if a
 * field is missing or malformed.  The signature is not checked.
 */
int logwire_head_parse(const json_t *obj, struct treehead *th)
    __attribute__((warn_unused_result));

/**
 * logwire_head_json(th):
 * Return the JSON object of ${th} in the shape logwire_head_parse() reads,
 * or NULL if out of memory.
 */
json_t *logwire_head_json(const struct treehead *th);

/**
 * logwire_proof_parse(obj, proof, nhashes):
 * Read the "proof" array of ${obj} (at most MERKLE_MAX_PROOF base64url
 * strings of MERKLE_HASH_BYTES bytes each) into ${proof} (room for
 * LOGWIRE_PROOF_BYTES) and its length in hashes into ${nhashes}.  Return
 * 0 or -1.
 */
int logwire_proof_parse(const json_t *obj, uint8_t *proof, size_t *nhashes)
    __attribute__((warn_unused_result));

/**
 * logwire_u64(obj, key, out):
 * Read the non-negative integer ${key} of ${obj} into ${out}.  Return 0,
 * or -1 if it is missing, not an integer or negative.
 */
int logwire_u64(const json_t *obj, const char *key, uint64_t *out)
    __attribute__((warn_unused_result));

/**
 * logwire_entry_parse(obj, index, leaf, len):
 * Read one item of a GET /log/entries answer, {"index", "event"}, into
 * ${index} and the leaf input ${leaf} (room for EVENT_MAX_BYTES), storing
 * its length in ${len}.  Return 0, or -1 if malformed or longer than
 * EVENT_MAX_BYTES.  The event is not decoded.
 */
int logwire_entry_parse(const json_t *obj, uint64_t *index, uint8_t *leaf,
    size_t *len) __attribute__((warn_unused_result));

/**
 * logwire_kind_name(type, kind):
 * Return the name of the kind ${kind} of events of ${type}: "memo-key" or
 * "memo-roster" (grant_created); "key", "content", "signers" or
 * "replies" (content_accessed); "held" or "declined" (meeting_held);
 * "ack", "reply" or "escalation" (deadline_missed).  NULL if ${type}
 * has no kinds or ${kind} is not one of them.
 */
const char *logwire_kind_name(uint16_t type, uint8_t kind);

/**
 * logwire_event_json(index, ev):
 * Return {"index", "type", "time", and the fields ${ev}'s type carries,
 * named as in struct event: "member_id", "org_id", "roles" (names),
 * "eligible", "epoch", "keys_hash", "memo_id", "memo_version", "hash",
 * "named", "anonymous", "package_hash", "member2_id" (null when empty),
 * "n", "kind" (its name, logwire_kind_name()), "at", "commit"},
 * binary values in base64url, or NULL if out of memory.
 */
json_t *logwire_event_json(uint64_t index, const struct event *ev);

/**
 * logwire_event_text(buf, ev):
 * Write a one-line description of the fields of ${ev} into ${buf}
 * (LOGWIRE_EVENT_TEXT_MAX bytes): "m_... org state roles
 * member,coordinator eligible yes", "d_... version 2 hash 1a2b3c4d5e6f7a8b
 * named 10 anonymous 0 package ...", "d_... ack due 2026-12-03 04:59:59
 * UTC", ...  Hashes and commitments show their first
 * 8 bytes in hex ("none" if all zero), kinds their names, times UTC.
 */
void logwire_event_text(
    char buf[LOGWIRE_EVENT_TEXT_MAX], const struct event *ev);

#endif /* !LOGWIRE_H_ */
