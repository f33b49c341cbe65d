#ifndef EVENT_H_
#define EVENT_H_

#include <stddef.h>
#include <stdint.h>

#include "directory.h"
#include "keys.h"

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
#define EVENT_ORG_CREATED 1        /* org_id */
#define EVENT_MEMBER_CREATED 2     /* member_id, org_id, roles u32, eligible u8 */
#define EVENT_MEMBER_ENROLLED 3    /* member_id, epoch u32, keys_hash[32] */
#define EVENT_KEYS_ROTATED 4       /* member_id, epoch u32, keys_hash[32] */
#define EVENT_MEMBER_SUSPENDED 5   /* member_id */
#define EVENT_MEMBER_REINSTATED 6  /* member_id */
#define EVENT_ROLES_CHANGED 7      /* member_id, roles u32 */
#define EVENT_ELIGIBILITY_CHANGED 8 /* member_id, eligible u8 */
/* Memo and channel events take 100..199; they are defined with the memos. */

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
};

/**
 * event_keys_hash(out, pub):
 * The hash of a member's public keys that key events carry:
 * dhash("dissent/event-keys/v1", sign_pk || box_pk || ring_pk).
 */
void event_keys_hash(uint8_t out[EVENT_KEYS_HASH_BYTES],
    const struct keys_public *pub);

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
