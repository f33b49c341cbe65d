#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "b64.h"
#include "deadline.h"
#include "directory.h"
#include "event.h"
#include "logwire.h"
#include "memo.h"
#include "merkle.h"
#include "output.h"
#include "treehead.h"

/* Bytes of a hash shown in text (as hex): enough to compare. */
#define HASH_SHOWN 8

/**
 * logwire_u64(obj, key, out):
 * Read the non-negative integer ${key} of ${obj} into ${out}.  Return 0,
 * or -1 if it is missing, not an integer or negative.
 */
int
logwire_u64(const json_t *obj, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return (-1);
	*out = (uint64_t)json_integer_value(v);
	return (0);
}

/* Decode the base64url string ${key} of ${obj}, exactly ${n} bytes. */
static int
get_b64(const json_t *obj, const char *key, uint8_t *out, size_t n)
{
	const char *s;

	if ((s = json_string_value(json_object_get(obj, key))) == NULL)
		return (-1);
	return (b64_decode_exact(out, n, s));
}

/**
 * logwire_head_parse(obj, th):
 * Read the signed tree head ${obj}, {"instance_id", "size", "timestamp",
 * "root", "signature"}, into ${th}.  Return 0, or -1 (${th} zeroed) if a
 * field is missing or malformed.  The signature is not checked.
 */
int
logwire_head_parse(const json_t *obj, struct treehead *th)
{
	const char *id;
	size_t len;

	memset(th, 0, sizeof(*th));
	if (!json_is_object(obj))
		goto err0;
	id = json_string_value(json_object_get(obj, "instance_id"));
	if (id == NULL || (len = strlen(id)) == 0 ||
	    len > TREEHEAD_INSTANCE_ID_MAX)
		goto err0;
	memcpy(th->instance_id, id, len + 1);
	if (logwire_u64(obj, "size", &th->size) != 0 ||
	    th->size > MERKLE_MAX_SIZE ||
	    logwire_u64(obj, "timestamp", &th->timestamp) != 0 ||
	    get_b64(obj, "root", th->root, sizeof(th->root)) != 0 ||
	    get_b64(obj, "signature", th->sig, sizeof(th->sig)) != 0)
		goto err0;
	return (0);

err0:
	memset(th, 0, sizeof(*th));
	return (-1);
}

/* A JSON string of the base64url of ${n} bytes, or NULL. */
static json_t *
b64_string(const uint8_t *bytes, size_t n)
{
	char s[B64_ENCODED_LEN(TREEHEAD_SIG_BYTES)];

	if (n > TREEHEAD_SIG_BYTES || b64_encode(s, sizeof(s), bytes, n) != 0)
		return (NULL);
	return (json_string(s));
}

/**
 * logwire_head_json(th):
 * Return the JSON object of ${th} in the shape logwire_head_parse() reads,
 * or NULL if out of memory.
 */
json_t *
logwire_head_json(const struct treehead *th)
{

	/* "o" steals the strings, and frees them if packing fails. */
	return (json_pack("{s:s,s:I,s:I,s:o,s:o}", "instance_id",
	    th->instance_id, "size", (json_int_t)th->size, "timestamp",
	    (json_int_t)th->timestamp, "root",
	    b64_string(th->root, sizeof(th->root)), "signature",
	    b64_string(th->sig, sizeof(th->sig))));
}

/**
 * logwire_proof_parse(obj, proof, nhashes):
 * Read the "proof" array of ${obj} (at most MERKLE_MAX_PROOF base64url
 * strings of MERKLE_HASH_BYTES bytes each) into ${proof} (room for
 * LOGWIRE_PROOF_BYTES) and its length in hashes into ${nhashes}.  Return
 * 0 or -1.
 */
int
logwire_proof_parse(const json_t *obj, uint8_t *proof, size_t *nhashes)
{
	json_t *arr = json_object_get(obj, "proof"), *h;
	const char *s;
	size_t i;

	*nhashes = 0;
	if (!json_is_array(arr) || json_array_size(arr) > MERKLE_MAX_PROOF)
		return (-1);
	json_array_foreach(arr, i, h)
	{
		if ((s = json_string_value(h)) == NULL ||
		    b64_decode_exact(proof + i * MERKLE_HASH_BYTES,
			MERKLE_HASH_BYTES, s) != 0)
			return (-1);
	}
	*nhashes = json_array_size(arr);
	return (0);
}

/**
 * logwire_entry_parse(obj, index, leaf, len):
 * Read one item of a GET /log/entries answer, {"index", "event"}, into
 * ${index} and the leaf input ${leaf} (room for EVENT_MAX_BYTES), storing
 * its length in ${len}.  Return 0, or -1 if malformed or longer than
 * EVENT_MAX_BYTES.  The event is not decoded.
 */
int
logwire_entry_parse(
    const json_t *obj, uint64_t *index, uint8_t *leaf, size_t *len)
{
	const char *s;

	if (logwire_u64(obj, "index", index) != 0 ||
	    (s = json_string_value(json_object_get(obj, "event"))) == NULL ||
	    strlen(s) > B64_ENCODED_LEN(EVENT_MAX_BYTES) ||
	    b64_decode(leaf, EVENT_MAX_BYTES, len, s) != 0)
		return (-1);
	return (0);
}

/* The roles of ${mask} as a JSON array of names, or NULL. */
static json_t *
roles_json(uint32_t mask)
{
	json_t *arr = json_array();
	const char *name;
	unsigned int bit;

	if (arr == NULL)
		return (NULL);
	for (bit = 1; bit <= ROLE_ALL; bit <<= 1) {
		if ((mask & bit) == 0 ||
		    (name = directory_role_name(bit)) == NULL)
			continue;
		if (json_array_append_new(arr, json_string(name)) != 0) {
			json_decref(arr);
			return (NULL);
		}
	}
	return (arr);
}

/**
 * logwire_kind_name(type, kind):
 * Return the name of the kind ${kind} of events of ${type}: "memo-key" or
 * "memo-roster" (grant_created); "key", "content", "signers" or
 * "replies" (content_accessed); "held" or "declined" (meeting_held);
 * "ack", "reply" or "escalation" (deadline_missed).  NULL if ${type}
 * has no kinds or ${kind} is not one of them.
 */
const char *
logwire_kind_name(uint16_t type, uint8_t kind)
{
	static const char *const grant[] = {NULL, "memo-key", "memo-roster"};
	static const char *const access[] = {
	    NULL, "key", "content", "signers", "replies"};
	static const char *const meeting[] = {NULL, "held", "declined"};
	static const char *const deadline[] = {
	    NULL, "ack", "reply", "escalation"};

	switch (type) {
	case EVENT_GRANT_CREATED:
		return (kind <= EVENT_GRANT_ROSTER ? grant[kind] : NULL);
	case EVENT_CONTENT_ACCESSED:
		return (kind <= EVENT_ACCESS_REPLIES ? access[kind] : NULL);
	case EVENT_MEETING_HELD:
		return (kind <= EVENT_MEETING_OUTCOME_DECLINED ? meeting[kind]
							       : NULL);
	case EVENT_DEADLINE_MISSED:
		return (kind <= DEADLINE_ESCALATION ? deadline[kind] : NULL);
	default:
		return (NULL);
	}
}

/* Set the u64 ${v} as ${key} of ${o}.  Return 0, or -1. */
static int
set_u64(json_t *o, const char *key, uint64_t v)
{

	return (json_object_set_new(o, key, json_integer((json_int_t)v)));
}

/* Set the base64url of ${n} bytes at ${p} as ${key} of ${o}. */
static int
set_b64(json_t *o, const char *key, const uint8_t *p, size_t n)
{

	return (json_object_set_new(o, key, b64_string(p, n)));
}

/* Set the name of ${ev}'s kind as "kind" of ${o}. */
static int
set_kind(json_t *o, const struct event *ev)
{
	const char *name = logwire_kind_name(ev->type, ev->kind);

	return (json_object_set_new(
	    o, "kind", json_string(name != NULL ? name : "unknown")));
}

/* Add the fields of the memo or channel event ${ev} to ${o}. */
static int
memo_fields_json(json_t *o, const struct event *ev)
{
	int bad = 0;

	if (ev->memo_id[0] != '\0')
		bad |=
		    json_object_set_new(o, "memo_id", json_string(ev->memo_id));
	switch (ev->type) {
	case EVENT_MEMO_SUBMITTED:
		bad |= set_u64(o, "memo_version", ev->memo_version);
		bad |= set_b64(o, "hash", ev->hash, sizeof(ev->hash));
		bad |= set_u64(o, "named", ev->named);
		bad |= set_u64(o, "anonymous", ev->anonymous);
		bad |= set_b64(o, "package_hash", ev->package_hash,
		    sizeof(ev->package_hash));
		break;
	case EVENT_MEMO_REDIRECTED:
	case EVENT_COMPLAINT_FILED:
		bad |= set_b64(o, "hash", ev->hash, sizeof(ev->hash));
		break;
	case EVENT_MEMO_DISTRIBUTED:
		bad |= json_object_set_new(o, "member2_id",
		    ev->member2_id[0] != '\0' ? json_string(ev->member2_id)
					      : json_null());
		break;
	case EVENT_GRANT_CREATED:
	case EVENT_CONTENT_ACCESSED:
		bad |= set_kind(o, ev);
		bad |= set_b64(o, "commit", ev->commit, sizeof(ev->commit));
		break;
	case EVENT_MEMO_REPLIED:
		bad |= set_u64(o, "n", ev->n);
		bad |= set_b64(o, "hash", ev->hash, sizeof(ev->hash));
		break;
	case EVENT_MEETING_SCHEDULED:
		bad |= set_u64(o, "at", ev->at);
		break;
	case EVENT_MEETING_HELD:
		bad |= set_kind(o, ev);
		bad |= set_b64(o, "hash", ev->hash, sizeof(ev->hash));
		break;
	case EVENT_DEADLINE_MISSED:
		bad |= set_kind(o, ev);
		bad |= set_u64(o, "at", ev->at);
		break;
	case EVENT_CHANNEL_KEY_CREATED:
		bad |= set_b64(
		    o, "keys_hash", ev->keys_hash, sizeof(ev->keys_hash));
		break;
	default:
		break;
	}
	return (bad);
}

/**
 * logwire_event_json(index, ev):
 * Return {"index", "type", "time", and the fields ${ev}'s type carries,
 * named as in struct event: "member_id", "org_id", "roles" (names),
 * "eligible", "epoch", "keys_hash", "memo_id", "memo_version", "hash",
 * "named", "anonymous", "package_hash", "member2_id" (null when empty),
 * "n", "kind" (its name, logwire_kind_name()), "at", "commit"},
 * binary values in base64url, or NULL if out of memory.
 */
json_t *
logwire_event_json(uint64_t index, const struct event *ev)
{
	const char *name = event_type_name(ev->type);
	json_t *o;
	int bad = 0;

	if ((o = json_pack("{s:I,s:s,s:I}", "index", (json_int_t)index, "type",
		 name != NULL ? name : "unknown", "time",
		 (json_int_t)ev->time)) == NULL)
		return (NULL);
	if (ev->member_id[0] != '\0')
		bad |= json_object_set_new(
		    o, "member_id", json_string(ev->member_id));
	if (ev->org_id[0] != '\0')
		bad |=
		    json_object_set_new(o, "org_id", json_string(ev->org_id));
	switch (ev->type) {
	case EVENT_MEMBER_CREATED:
		bad |= json_object_set_new(o, "roles", roles_json(ev->roles));
		bad |= json_object_set_new(
		    o, "eligible", json_boolean(ev->eligible));
		break;
	case EVENT_ROLES_CHANGED:
		bad |= json_object_set_new(o, "roles", roles_json(ev->roles));
		break;
	case EVENT_ELIGIBILITY_CHANGED:
		bad |= json_object_set_new(
		    o, "eligible", json_boolean(ev->eligible));
		break;
	case EVENT_MEMBER_ENROLLED:
	case EVENT_KEYS_ROTATED:
		bad |= json_object_set_new(
		    o, "epoch", json_integer((json_int_t)ev->epoch));
		bad |= json_object_set_new(o, "keys_hash",
		    b64_string(ev->keys_hash, sizeof(ev->keys_hash)));
		break;
	default:
		bad |= memo_fields_json(o, ev);
		break;
	}
	if (bad) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/* The first HASH_SHOWN bytes of ${h} in hex, or "none" if all zero. */
static const char *
hash_hex(char out[2 * HASH_SHOWN + 1], const uint8_t *h, size_t n)
{
	static const uint8_t zero[MEMO_HASH_BYTES];

	if (n <= sizeof(zero) && sodium_memcmp(h, zero, n) == 0)
		return ("none");
	return (sodium_bin2hex(out, 2 * HASH_SHOWN + 1, h, HASH_SHOWN));
}

/* The name of ${ev}'s kind, or "unknown". */
static const char *
kind_text(const struct event *ev)
{
	const char *name = logwire_kind_name(ev->type, ev->kind);

	return (name != NULL ? name : "unknown");
}

/* Write the one-line description of the memo or channel event ${ev}. */
static void
memo_event_text(char buf[LOGWIRE_EVENT_TEXT_MAX], const struct event *ev)
{
	char h1[2 * HASH_SHOWN + 1], h2[2 * HASH_SHOWN + 1];
	char at[OUTPUT_TIME_LEN];

	switch (ev->type) {
	case EVENT_MEMO_SUBMITTED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX,
		    "%s version %u hash %s named %u anonymous %u package %s",
		    ev->memo_id, ev->memo_version,
		    hash_hex(h1, ev->hash, sizeof(ev->hash)), ev->named,
		    ev->anonymous,
		    hash_hex(h2, ev->package_hash, sizeof(ev->package_hash)));
		break;
	case EVENT_MEMO_REDIRECTED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "%s note %s",
		    ev->memo_id, hash_hex(h1, ev->hash, sizeof(ev->hash)));
		break;
	case EVENT_MEMO_ASSIGNED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "%s assignee %s",
		    ev->memo_id, ev->member_id);
		break;
	case EVENT_MEMO_DISTRIBUTED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX,
		    "%s principal %s approved by %s", ev->memo_id,
		    ev->member_id,
		    ev->member2_id[0] != '\0' ? ev->member2_id
					      : "none (standard list)");
		break;
	case EVENT_GRANT_CREATED:
	case EVENT_CONTENT_ACCESSED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX,
		    "%s kind %s commit %s", ev->memo_id, kind_text(ev),
		    hash_hex(h1, ev->commit, sizeof(ev->commit)));
		break;
	case EVENT_MEMO_REPLIED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX,
		    "%s reply %u hash %s", ev->memo_id, ev->n,
		    hash_hex(h1, ev->hash, sizeof(ev->hash)));
		break;
	case EVENT_MEETING_REQUESTED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "%s principal %s",
		    ev->memo_id, ev->member_id);
		break;
	case EVENT_MEETING_SCHEDULED:
		output_time(at, (int64_t)ev->at);
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX,
		    "%s principal %s at %s", ev->memo_id, ev->member_id, at);
		break;
	case EVENT_MEETING_HELD:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX,
		    "%s principal %s outcome %s note %s", ev->memo_id,
		    ev->member_id, kind_text(ev),
		    hash_hex(h1, ev->hash, sizeof(ev->hash)));
		break;
	case EVENT_COMPLAINT_FILED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "hash %s",
		    hash_hex(h1, ev->hash, sizeof(ev->hash)));
		break;
	case EVENT_DEADLINE_MISSED:
		output_time(at, (int64_t)ev->at);
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "%s %s due %s",
		    ev->memo_id, kind_text(ev), at);
		break;
	case EVENT_CHANNEL_KEY_CREATED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "%s key %s",
		    ev->member_id,
		    hash_hex(h1, ev->keys_hash, sizeof(ev->keys_hash)));
		break;
	case EVENT_CHANNEL_KEY_GRANTED:
		(void)snprintf(
		    buf, LOGWIRE_EVENT_TEXT_MAX, "%s", ev->member_id);
		break;
	default:
		/* withdrawn, acknowledged, closed: the memo alone. */
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "%s", ev->memo_id);
		break;
	}
}

/**
 * logwire_event_text(buf, ev):
 * Write a one-line description of the fields of ${ev} into ${buf}
 * (LOGWIRE_EVENT_TEXT_MAX bytes): "m_... org state roles
 * member,coordinator eligible yes", "d_... version 2 hash 1a2b3c4d5e6f7a8b
 * named 10 anonymous 0 package ...", "d_... ack due 2026-12-03 04:59:59
 * UTC", ...  Hashes and commitments show their first
 * 8 bytes in hex ("none" if all zero), kinds their names, times UTC.
 */
void
logwire_event_text(char buf[LOGWIRE_EVENT_TEXT_MAX], const struct event *ev)
{
	char roles[DIRECTORY_ROLES_STR_MAX + 1];
	char hex[2 * HASH_SHOWN + 1];

	if (directory_roles_format(roles, sizeof(roles), ev->roles) != 0)
		(void)snprintf(roles, sizeof(roles), "0x%x", ev->roles);
	switch (ev->type) {
	case EVENT_ORG_CREATED:
		(void)snprintf(
		    buf, LOGWIRE_EVENT_TEXT_MAX, "org %s", ev->org_id);
		break;
	case EVENT_MEMBER_CREATED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX,
		    "%s org %s roles %s eligible %s", ev->member_id, ev->org_id,
		    roles, ev->eligible ? "yes" : "no");
		break;
	case EVENT_MEMBER_ENROLLED:
	case EVENT_KEYS_ROTATED:
		sodium_bin2hex(hex, sizeof(hex), ev->keys_hash, HASH_SHOWN);
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX,
		    "%s epoch %u keys %s", ev->member_id, ev->epoch, hex);
		break;
	case EVENT_ROLES_CHANGED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "%s roles %s",
		    ev->member_id, roles);
		break;
	case EVENT_ELIGIBILITY_CHANGED:
		(void)snprintf(buf, LOGWIRE_EVENT_TEXT_MAX, "%s eligible %s",
		    ev->member_id, ev->eligible ? "yes" : "no");
		break;
	case EVENT_MEMBER_SUSPENDED:
	case EVENT_MEMBER_REINSTATED:
		(void)snprintf(
		    buf, LOGWIRE_EVENT_TEXT_MAX, "%s", ev->member_id);
		break;
	default:
		memo_event_text(buf, ev);
		break;
	}
}
