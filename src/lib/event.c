#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "binenc.h"
#include "dhash.h"
#include "directory.h"
#include "event.h"
#include "keys.h"

/* Domain tag of the keys hash (docs/PROTOCOL.md, "Domain tags"). */
#define TAG_EVENT_KEYS "dissent/event-keys/v1"

/*
 * Event times are Unix seconds and stored as signed 64-bit integers
 * everywhere; a larger value is malformed.
 */
#define EVENT_TIME_MAX ((uint64_t)INT64_MAX)

/* What a type carries, beyond the common header. */
#define F_MEMBER 0x01u   /* str(member_id) */
#define F_ORG 0x02u      /* str(org_id) */
#define F_ROLES 0x04u    /* u32 roles */
#define F_ELIGIBLE 0x08u /* u8 eligible */
#define F_EPOCH 0x10u    /* u32 epoch */
#define F_KEYS 0x20u     /* fixed keys_hash[32] */

struct event_type {
	const char *name;
	unsigned int fields;
	uint16_t type;
};

/*
 * Every directory event type with its name and fields.  The fields are
 * always encoded in the order of the F_* bits above (member, org, roles,
 * eligible, epoch, keys hash), which is the order event.h lists them in.
 */
static const struct event_type types[] = {
    {"org_created", F_ORG, EVENT_ORG_CREATED},
    {"member_created", F_MEMBER | F_ORG | F_ROLES | F_ELIGIBLE,
	EVENT_MEMBER_CREATED},
    {"member_enrolled", F_MEMBER | F_EPOCH | F_KEYS, EVENT_MEMBER_ENROLLED},
    {"keys_rotated", F_MEMBER | F_EPOCH | F_KEYS, EVENT_KEYS_ROTATED},
    {"member_suspended", F_MEMBER, EVENT_MEMBER_SUSPENDED},
    {"member_reinstated", F_MEMBER, EVENT_MEMBER_REINSTATED},
    {"roles_changed", F_MEMBER | F_ROLES, EVENT_ROLES_CHANGED},
    {"eligibility_changed", F_MEMBER | F_ELIGIBLE, EVENT_ELIGIBILITY_CHANGED},
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

/*
 * Is every field that ${t} carries well-formed in ${ev}?  A key epoch is
 * at least 1, and a rotation's at least 2 (the first keys are epoch 1);
 * roles are a combination the directory allows; eligibility is 0 or 1.
 */
static int
fields_valid(const struct event_type *t, const struct event *ev)
{

	if (ev->time > EVENT_TIME_MAX)
		return (0);
	if ((t->fields & F_MEMBER) &&
	    (memchr(ev->member_id, '\0', sizeof(ev->member_id)) == NULL ||
		!directory_member_id_valid(ev->member_id)))
		return (0);
	if ((t->fields & F_ORG) &&
	    (memchr(ev->org_id, '\0', sizeof(ev->org_id)) == NULL ||
		!directory_org_id_valid(ev->org_id)))
		return (0);
	if ((t->fields & F_ROLES) && !directory_roles_valid(ev->roles))
		return (0);
	if ((t->fields & F_ELIGIBLE) && ev->eligible > 1)
		return (0);
	if ((t->fields & F_EPOCH) &&
	    (ev->epoch < 1 || (t->type == EVENT_KEYS_ROTATED && ev->epoch < 2)))
		return (0);
	return (1);
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
	if (t->fields & F_MEMBER)
		binenc_str(&e, ev->member_id);
	if (t->fields & F_ORG)
		binenc_str(&e, ev->org_id);
	if (t->fields & F_ROLES)
		binenc_u32(&e, ev->roles);
	if (t->fields & F_ELIGIBLE)
		binenc_u8(&e, ev->eligible);
	if (t->fields & F_EPOCH)
		binenc_u32(&e, ev->epoch);
	if (t->fields & F_KEYS)
		binenc_fixed(&e, ev->keys_hash, EVENT_KEYS_HASH_BYTES);
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
	if ((t->fields & F_MEMBER) &&
	    read_str(&d, ev->member_id, DIRECTORY_MEMBER_ID_LEN) != 0)
		goto err0;
	if ((t->fields & F_ORG) &&
	    read_str(&d, ev->org_id, DIRECTORY_ORG_ID_MAX) != 0)
		goto err0;
	if ((t->fields & F_ROLES) && bindec_u32(&d, &ev->roles) != 0)
		goto err0;
	if ((t->fields & F_ELIGIBLE) && bindec_u8(&d, &ev->eligible) != 0)
		goto err0;
	if ((t->fields & F_EPOCH) && bindec_u32(&d, &ev->epoch) != 0)
		goto err0;
	if ((t->fields & F_KEYS) &&
	    bindec_fixed(&d, ev->keys_hash, EVENT_KEYS_HASH_BYTES) != 0)
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
