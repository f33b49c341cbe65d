#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "binenc.h"
#include "deadline.h"
#include "dhash.h"
#include "directory.h"
#include "event.h"
#include "keys.h"
#include "memo.h"

/* Domain tags (docs/PROTOCOL.md, "Domain tags"). */
#define TAG_EVENT_KEYS "dissent/event-keys/v1"
#define TAG_ACCESS_COMMIT "dissent/access-commit/v1"
#define TAG_CHANNEL_KEY "dissent/channel-key/v1"

/*
 * Event times are Unix seconds and stored as signed 64-bit integers
 * everywhere; a larger value is malformed.
 */
#define EVENT_TIME_MAX ((uint64_t)INT64_MAX)

/* The fields an event type carries, beyond the common header. */
enum field {
	FLD_END = 0,
	FLD_MEMBER,       /* str(member_id) */
	FLD_ORG,          /* str(org_id) */
	FLD_ROLES,        /* u32 roles */
	FLD_ELIGIBLE,     /* u8 eligible */
	FLD_EPOCH,        /* u32 epoch */
	FLD_KEYS,         /* fixed keys_hash[32] */
	FLD_MEMO,         /* str(memo_id) */
	FLD_MEMBER2,      /* str(member2_id), possibly empty */
	FLD_MEMO_VERSION, /* u32 memo_version */
	FLD_NAMED,        /* u32 named */
	FLD_ANONYMOUS,    /* u32 anonymous */
	FLD_N,            /* u32 n */
	FLD_KIND,         /* u8 kind */
	FLD_AT,           /* u64 at */
	FLD_HASH,         /* fixed hash[32] */
	FLD_PACKAGE,      /* fixed package_hash[32] */
	FLD_COMMIT        /* fixed commit[32] */
};

/* Most fields of one type. */
#define FIELDS_MAX 6

struct event_type {
	const char *name;
	uint16_t type;
	uint8_t kind_max; /* kind is 1..kind_max, for types with FLD_KIND */
	uint8_t fields[FIELDS_MAX + 1]; /* in encoding order, FLD_END last */
};

/*
 * Every event type with its name and fields, in the order event.h lists
 * them, which is the order they are encoded in.
 */
static const struct event_type types[] = {
    {"org_created", EVENT_ORG_CREATED, 0, {FLD_ORG}},
    {"member_created", EVENT_MEMBER_CREATED, 0,
	{FLD_MEMBER, FLD_ORG, FLD_ROLES, FLD_ELIGIBLE}},
    {"member_enrolled", EVENT_MEMBER_ENROLLED, 0,
	{FLD_MEMBER, FLD_EPOCH, FLD_KEYS}},
    {"keys_rotated", EVENT_KEYS_ROTATED, 0, {FLD_MEMBER, FLD_EPOCH, FLD_KEYS}},
    {"member_suspended", EVENT_MEMBER_SUSPENDED, 0, {FLD_MEMBER}},
    {"member_reinstated", EVENT_MEMBER_REINSTATED, 0, {FLD_MEMBER}},
    {"roles_changed", EVENT_ROLES_CHANGED, 0, {FLD_MEMBER, FLD_ROLES}},
    {"eligibility_changed", EVENT_ELIGIBILITY_CHANGED, 0,
	{FLD_MEMBER, FLD_ELIGIBLE}},
    {"memo_submitted", EVENT_MEMO_SUBMITTED, 0,
	{FLD_MEMO, FLD_MEMO_VERSION, FLD_HASH, FLD_NAMED, FLD_ANONYMOUS,
	    FLD_PACKAGE}},
    {"memo_withdrawn", EVENT_MEMO_WITHDRAWN, 0, {FLD_MEMO}},
    {"memo_acknowledged", EVENT_MEMO_ACKNOWLEDGED, 0, {FLD_MEMO}},
    {"memo_redirected", EVENT_MEMO_REDIRECTED, 0, {FLD_MEMO, FLD_HASH}},
    {"memo_assigned", EVENT_MEMO_ASSIGNED, 0, {FLD_MEMO, FLD_MEMBER}},
    {"memo_distributed", EVENT_MEMO_DISTRIBUTED, 0,
	{FLD_MEMO, FLD_MEMBER, FLD_MEMBER2}},
    {"grant_created", EVENT_GRANT_CREATED, EVENT_GRANT_ROSTER,
	{FLD_MEMO, FLD_KIND, FLD_COMMIT}},
    {"content_accessed", EVENT_CONTENT_ACCESSED, EVENT_ACCESS_REPLIES,
	{FLD_MEMO, FLD_KIND, FLD_COMMIT}},
    {"memo_replied", EVENT_MEMO_REPLIED, 0, {FLD_MEMO, FLD_N, FLD_HASH}},
    {"memo_closed", EVENT_MEMO_CLOSED, 0, {FLD_MEMO}},
    {"meeting_requested", EVENT_MEETING_REQUESTED, 0, {FLD_MEMO, FLD_MEMBER}},
    {"meeting_scheduled", EVENT_MEETING_SCHEDULED, 0,
	{FLD_MEMO, FLD_MEMBER, FLD_AT}},
    {"meeting_held", EVENT_MEETING_HELD, EVENT_MEETING_OUTCOME_DECLINED,
	{FLD_MEMO, FLD_MEMBER, FLD_KIND, FLD_HASH}},
    {"complaint_filed", EVENT_COMPLAINT_FILED, 0, {FLD_HASH}},
    {"deadline_missed", EVENT_DEADLINE_MISSED, DEADLINE_ESCALATION,
	{FLD_MEMO, FLD_KIND, FLD_AT}},
    {"channel_key_created", EVENT_CHANNEL_KEY_CREATED, 0,
	{FLD_KEYS, FLD_MEMBER}},
    {"channel_key_granted", EVENT_CHANNEL_KEY_GRANTED, 0, {FLD_MEMBER}},
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

/* Find the description of ${type}, or NULL. */
static const struct event_type *
find_type(uint16_t type)
{
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (types[i].type == type)
			return (&types[i]);
	return (NULL);
}

/* Is the string field ${s} of ${size} bytes NUL-terminated? */
static int
terminated(const char *s, size_t size)
{

	return (memchr(s, '\0', size) != NULL);
}

/*
 * Is the field ${f} of ${ev} (of type ${t}) well-formed?  A key epoch is
 * at least 1, and a rotation's at least 2 (the first keys are epoch 1);
 * roles are a combination the directory allows; eligibility is 0 or 1; a
 * memo version and a reply number count from 1; a kind is one of its
 * type's; a time is 1..2^63-1.
 */
static int
field_valid(const struct event_type *t, enum field f, const struct event *ev)
{

	switch (f) {
	case FLD_MEMBER:
		return (terminated(ev->member_id, sizeof(ev->member_id)) &&
			directory_member_id_valid(ev->member_id));
	case FLD_ORG:
		return (terminated(ev->org_id, sizeof(ev->org_id)) &&
			directory_org_id_valid(ev->org_id));
	case FLD_ROLES:
		return (directory_roles_valid(ev->roles));
	case FLD_ELIGIBLE:
		return (ev->eligible <= 1);
	case FLD_EPOCH:
		return (ev->epoch >= 1 &&
			(t->type != EVENT_KEYS_ROTATED || ev->epoch >= 2));
	case FLD_MEMO:
		return (terminated(ev->memo_id, sizeof(ev->memo_id)) &&
			memo_id_valid(ev->memo_id));
	case FLD_MEMBER2:
		return (terminated(ev->member2_id, sizeof(ev->member2_id)) &&
			(ev->member2_id[0] == '\0' ||
			    directory_member_id_valid(ev->member2_id)));
	case FLD_MEMO_VERSION:
		return (ev->memo_version >= 1);
	case FLD_N:
		return (ev->n >= 1);
	case FLD_KIND:
		return (ev->kind >= 1 && ev->kind <= t->kind_max);
	case FLD_AT:
		return (ev->at >= 1 && ev->at <= EVENT_TIME_MAX);
	case FLD_END:
	case FLD_KEYS:
	case FLD_NAMED:
	case FLD_ANONYMOUS:
	case FLD_HASH:
	case FLD_PACKAGE:
	case FLD_COMMIT:
		break;
	}
	return (1);
}

/* Is every field that ${t} carries well-formed in ${ev}? */
static int
fields_valid(const struct event_type *t, const struct event *ev)
{
	size_t i;

	if (ev->time > EVENT_TIME_MAX)
		return (0);
	for (i = 0; t->fields[i] != FLD_END; i++)
		if (!field_valid(t, (enum field)t->fields[i], ev))
			return (0);
	return (1);
}

/**
 * event_access_commit(out, nonce, member_id):
 * The commitment to ${member_id} that grant and access events carry:
 * dhash("dissent/access-commit/v1", nonce || str member_id).  ${member_id}
 * is a member id, or "channel" for a grant to the channel key: at most
 * DIRECTORY_MEMBER_ID_LEN bytes (a longer one is the caller's bug: abort).
 */
void
event_access_commit(uint8_t out[EVENT_COMMIT_BYTES],
    const uint8_t nonce[EVENT_NONCE_BYTES], const char *member_id)
{
	uint8_t m[EVENT_NONCE_BYTES + 4 + DIRECTORY_MEMBER_ID_LEN];
	struct binenc e;
	size_t len;

	if (member_id == NULL ||
	    strnlen(member_id, DIRECTORY_MEMBER_ID_LEN + 1) >
		DIRECTORY_MEMBER_ID_LEN)
		abort();
	binenc_init(&e, m, sizeof(m));
	binenc_fixed(&e, nonce, EVENT_NONCE_BYTES);
	binenc_str(&e, member_id);
	/* The string fits, and the tag is a constant valid one. */
	if (binenc_finish(&e, &len) != 0 ||
	    dhash(out, TAG_ACCESS_COMMIT, m, len) != 0)
		abort();
}

/**
 * event_keys_hash(out, pub):
 * The hash of a member's public keys that key events carry:
 * dhash("dissent/event-keys/v1", sign_pk || box_pk || ring_pk).
 */
void
event_keys_hash(
    uint8_t out[EVENT_KEYS_HASH_BYTES], const struct keys_public *pub)
{
	uint8_t m[KEYS_SIGN_PK_BYTES + KEYS_BOX_PK_BYTES + KEYS_RING_PK_BYTES];

	memcpy(m, pub->sign_pk, KEYS_SIGN_PK_BYTES);
	memcpy(m + KEYS_SIGN_PK_BYTES, pub->box_pk, KEYS_BOX_PK_BYTES);
	memcpy(m + KEYS_SIGN_PK_BYTES + KEYS_BOX_PK_BYTES, pub->ring_pk,
	    KEYS_RING_PK_BYTES);
	/* A constant valid tag: dhash() cannot fail. */
	if (dhash(out, TAG_EVENT_KEYS, m, sizeof(m)) != 0)
		abort();
}

/**
 * event_channel_key_hash(out, pk):
 * The hash of the channel's X25519 public key ${pk} that a
 * channel_key_created event carries as its keys_hash:
 * dhash("dissent/channel-key/v1", pk).
 */
void
event_channel_key_hash(
    uint8_t out[EVENT_KEYS_HASH_BYTES], const uint8_t pk[KEYS_BOX_PK_BYTES])
{

	/* A constant valid tag: dhash() cannot fail. */
	if (dhash(out, TAG_CHANNEL_KEY, pk, KEYS_BOX_PK_BYTES) != 0)
		abort();
}

/* Append the field ${f} of ${ev} to ${e}. */
static void
encode_field(struct binenc *e, enum field f, const struct event *ev)
{

	switch (f) {
	case FLD_MEMBER:
		binenc_str(e, ev->member_id);
		break;
	case FLD_ORG:
		binenc_str(e, ev->org_id);
		break;
	case FLD_ROLES:
		binenc_u32(e, ev->roles);
		break;
	case FLD_ELIGIBLE:
		binenc_u8(e, ev->eligible);
		break;
	case FLD_EPOCH:
		binenc_u32(e, ev->epoch);
		break;
	case FLD_KEYS:
		binenc_fixed(e, ev->keys_hash, EVENT_KEYS_HASH_BYTES);
		break;
	case FLD_MEMO:
		binenc_str(e, ev->memo_id);
		break;
	case FLD_MEMBER2:
		binenc_str(e, ev->member2_id);
		break;
		break;
	case FLD_MEMO_VERSION:
		binenc_u32(e, ev->memo_version);
		break;
	case FLD_NAMED:
		binenc_u32(e, ev->named);
		break;
	case FLD_ANONYMOUS:
		binenc_u32(e, ev->anonymous);
		break;
	case FLD_N:
		binenc_u32(e, ev->n);
		break;
	case FLD_KIND:
		binenc_u8(e, ev->kind);
		break;
	case FLD_AT:
		binenc_u64(e, ev->at);
		break;
	case FLD_HASH:
		binenc_fixed(e, ev->hash, MEMO_HASH_BYTES);
		break;
	case FLD_PACKAGE:
		binenc_fixed(e, ev->package_hash, MEMO_HASH_BYTES);
		break;
	case FLD_COMMIT:
		binenc_fixed(e, ev->commit, EVENT_COMMIT_BYTES);
		break;
	case FLD_END:
		break;
	}
}

/**
 * event_encode(buf, cap, len, ev):
 * Encode ${ev} (whose type decides which fields are written) into ${buf} of
 * ${cap} bytes, storing the length in ${len}.  Return 0, or -1 if the type
 * is unknown, a field is invalid for its type (e.g. a malformed member id)
 * or the buffer is too small.
 */
int
event_encode(uint8_t *buf, size_t cap, size_t *len, const struct event *ev)
{
	const struct event_type *t;
	struct binenc e;
	size_t i;

	if (buf == NULL || len == NULL || ev == NULL)
		return (-1);
	if (ev->version != EVENT_FORMAT_VERSION ||
	    (t = find_type(ev->type)) == NULL || !fields_valid(t, ev))
		return (-1);
	binenc_init(&e, buf, cap);
	binenc_u8(&e, ev->version);
	/* binenc has no u16: two big-endian bytes. */
	binenc_u8(&e, (uint8_t)(ev->type >> 8));
	binenc_u8(&e, (uint8_t)(ev->type & 0xff));
	binenc_u64(&e, ev->time);
	for (i = 0; t->fields[i] != FLD_END; i++)
		encode_field(&e, (enum field)t->fields[i], ev);
	if (binenc_finish(&e, len) != 0 || *len > EVENT_MAX_BYTES)
		return (-1);
	return (0);
}

/*
 * Read a str() of at most ${max} bytes into ${out} (${max} + 1 bytes),
 * NUL-terminated.  An embedded NUL is left for the validity check, which
 * refuses it.
 */
static int
read_str(struct bindec *d, char *out, size_t max)
{
	const uint8_t *p;
	size_t n;

	if (bindec_var(d, &p, &n, max) != 0)
		return (-1);
	if (n > 0)
		memcpy(out, p, n);
	out[n] = '\0';
	if (memchr(p, '\0', n) != NULL)
		return (-1);
	return (0);
}

/* Read the field ${f} of ${ev} from ${d}; 0 or -1. */
static int
decode_field(struct bindec *d, enum field f, struct event *ev)
{

	switch (f) {
	case FLD_MEMBER:
		return (read_str(d, ev->member_id, DIRECTORY_MEMBER_ID_LEN));
	case FLD_ORG:
		return (read_str(d, ev->org_id, DIRECTORY_ORG_ID_MAX));
	case FLD_ROLES:
		return (bindec_u32(d, &ev->roles));
	case FLD_ELIGIBLE:
		return (bindec_u8(d, &ev->eligible));
	case FLD_EPOCH:
		return (bindec_u32(d, &ev->epoch));
	case FLD_KEYS:
		return (bindec_fixed(d, ev->keys_hash, EVENT_KEYS_HASH_BYTES));
	case FLD_MEMO:
		return (read_str(d, ev->memo_id, MEMO_ID_LEN));
	case FLD_MEMBER2:
		return (read_str(d, ev->member2_id, DIRECTORY_MEMBER_ID_LEN));
	case FLD_MEMO_VERSION:
		return (bindec_u32(d, &ev->memo_version));
	case FLD_NAMED:
		return (bindec_u32(d, &ev->named));
	case FLD_ANONYMOUS:
		return (bindec_u32(d, &ev->anonymous));
	case FLD_N:
		return (bindec_u32(d, &ev->n));
	case FLD_KIND:
		return (bindec_u8(d, &ev->kind));
	case FLD_AT:
		return (bindec_u64(d, &ev->at));
	case FLD_HASH:
		return (bindec_fixed(d, ev->hash, MEMO_HASH_BYTES));
	case FLD_PACKAGE:
		return (bindec_fixed(d, ev->package_hash, MEMO_HASH_BYTES));
	case FLD_COMMIT:
		return (bindec_fixed(d, ev->commit, EVENT_COMMIT_BYTES));
	case FLD_END:
		break;
	}
	return (-1);
}

/**
 * event_decode(ev, buf, len):
 * Parse the ${len} bytes at ${buf} strictly: known version and type, every
 * field well-formed, nothing left over.  Return 0, or -1 (and ${ev} zeroed).
 */
int
event_decode(struct event *ev, const uint8_t *buf, size_t len)
{
	const struct event_type *t;
	struct bindec d;
	uint8_t hi, lo;
	size_t i;

	if (ev == NULL)
		return (-1);
	memset(ev, 0, sizeof(*ev));
	if (buf == NULL || len > EVENT_MAX_BYTES)
		goto err0;
	bindec_init(&d, buf, len);
	if (bindec_u8(&d, &ev->version) != 0 ||
	    ev->version != EVENT_FORMAT_VERSION)
		goto err0;
	if (bindec_u8(&d, &hi) != 0 || bindec_u8(&d, &lo) != 0)
		goto err0;
	ev->type = (uint16_t)((unsigned int)hi << 8 | lo);
	if ((t = find_type(ev->type)) == NULL)
		goto err0;
	if (bindec_u64(&d, &ev->time) != 0)
		goto err0;
	for (i = 0; t->fields[i] != FLD_END; i++)
		if (decode_field(&d, (enum field)t->fields[i], ev) != 0)
			goto err0;
	if (bindec_finish(&d) != 0 || !fields_valid(t, ev))
		goto err0;
	return (0);

err0:
	memset(ev, 0, sizeof(*ev));
	return (-1);
}

/**
 * event_type_name(type):
 * Return a stable lowercase name for ${type} ("member_enrolled", ...), or
 * NULL if unknown.
 */
const char *
event_type_name(uint16_t type)
{
	const struct event_type *t;

	if ((t = find_type(type)) == NULL)
		return (NULL);
	return (t->name);
}
