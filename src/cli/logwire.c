#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "b64.h"
#include "directory.h"
#include "event.h"
#include "logwire.h"
#include "merkle.h"
#include "treehead.h"

/* Bytes of the keys hash shown in text (as hex): enough to compare. */
#define KEYS_HASH_SHOWN 8

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
 * logwire_event_json(index, ev):
 * Return {"index", "type", "time", and the fields ${ev}'s type carries:
 * "member_id", "org_id", "roles" (names), "eligible", "epoch",
 * "keys_hash"}, or NULL if out of memory.
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
		break;
	}
	if (bad) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/**
 * logwire_event_text(buf, ev):
 * Write a one-line description of the fields of ${ev} ("m_... org state
 * roles member,coordinator eligible yes") into ${buf}
 * (LOGWIRE_EVENT_TEXT_MAX bytes).
 */
void
logwire_event_text(char buf[LOGWIRE_EVENT_TEXT_MAX], const struct event *ev)
{
	char roles[DIRECTORY_ROLES_STR_MAX + 1];
	char hex[2 * KEYS_HASH_SHOWN + 1];

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
		sodium_bin2hex(
		    hex, sizeof(hex), ev->keys_hash, KEYS_HASH_SHOWN);
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
	default:
		(void)snprintf(
		    buf, LOGWIRE_EVENT_TEXT_MAX, "%s", ev->member_id);
		break;
	}
}
