#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "aead.h"
#include "b64.h"
#include "binenc.h"
#include "event.h"
#include "grant.h"
#include "keys.h"
#include "logwire.h"
#include "memo.h"
#include "memowire.h"
#include "merkle.h"
#include "ring.h"
#include "treehead.h"
#include "wire.h"

/* Room for binenc(str MEMOWIRE_COMPLAINT_TAG). */
#define COMPLAINT_AD_MAX 64

/* Copy the string ${key} of ${obj} (1..cap-1 bytes) into ${out}. */
static int
get_string(const json_t *obj, const char *key, char *out, size_t cap)
{
	const char *s;
	size_t len;

	if ((s = json_string_value(json_object_get(obj, key))) == NULL)
		return (-1);
	len = strlen(s);
	if (len == 0 || len >= cap)
		return (-1);
	memcpy(out, s, len + 1);
	return (0);
}

/* Read the integer ${key} of ${obj}, 0..UINT32_MAX, into ${out}. */
static int
get_u32(const json_t *obj, const char *key, uint32_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > (json_int_t)UINT32_MAX)
		return (-1);
	*out = (uint32_t)json_integer_value(v);
	return (0);
}

/**
 * memowire_b64(bytes, n):
 * Return a JSON string holding the base64url of the ${n} bytes of
 * ${bytes} (at most MEMOWIRE_B64_MAX), or NULL.
 */
json_t *
memowire_b64(const uint8_t *bytes, size_t n)
{
	char *text;
	size_t cap;
	json_t *s = NULL;

	if (n > MEMOWIRE_B64_MAX)
		return (NULL);
	cap = B64_ENCODED_LEN(n);
	if ((text = malloc(cap)) == NULL)
		return (NULL);
	if (b64_encode(text, cap, bytes, n) == 0)
		s = json_string(text);
	sodium_memzero(text, cap);
	free(text);
	return (s);
}

/**
 * memowire_get_b64(obj, key, out, len, max):
 * Decode the base64url string ${key} of ${obj} (at most ${max} bytes, and
 * at least one) into a new malloc'd buffer ${out} of ${len} bytes.
 * Return 0 or -1.
 */
int
memowire_get_b64(
    const json_t *obj, const char *key, uint8_t **out, size_t *len, size_t max)
{
	const char *s;
	size_t slen, cap;
	uint8_t *buf;

	*out = NULL;
	*len = 0;
	if ((s = json_string_value(json_object_get(obj, key))) == NULL)
		return (-1);
	slen = strlen(s);
	if (max > MEMOWIRE_B64_MAX || slen == 0 ||
	    slen > B64_ENCODED_LEN(max) - 1)
		return (-1);
	/* Three bytes for every four characters, at most. */
	cap = slen / 4 * 3 + 3;
	if ((buf = malloc(cap)) == NULL)
		return (-1);
	if (b64_decode(buf, cap, len, s) != 0 || *len == 0 || *len > max) {
		free(buf);
		*len = 0;
		return (-1);
	}
	*out = buf;
	return (0);
}

/**
 * memowire_get_grant(obj, key, sealed, len):
 * Decode the sealed grant ${key} of ${obj} into ${sealed} and its length
 * into ${len}.  Return 0, 1 if the field is absent or null, or -1 if it
 * is malformed.
 */
int
memowire_get_grant(const json_t *obj, const char *key,
    uint8_t sealed[GRANT_SEALED_MAX], size_t *len)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	*len = 0;
	if (v == NULL || json_is_null(v))
		return (1);
	if ((s = json_string_value(v)) == NULL ||
	    strlen(s) > B64_ENCODED_LEN(GRANT_SEALED_MAX) ||
	    b64_decode(sealed, GRANT_SEALED_MAX, len, s) != 0 || *len == 0)
		return (-1);
	return (0);
}

/**
 * memowire_grant_json(key, purpose, context, box_pk):
 * Seal ${key} to ${box_pk} for ${purpose} and ${context} (grant_seal())
 * and return it as a JSON string, or NULL.
 */
json_t *
memowire_grant_json(const uint8_t key[GRANT_KEY_BYTES], const char *purpose,
    const char *context, const uint8_t box_pk[KEYS_BOX_PK_BYTES])
{
	uint8_t sealed[GRANT_SEALED_MAX];
	size_t len;

	if (grant_seal(sealed, &len, key, purpose, context, box_pk) != 0)
		return (NULL);
	return (memowire_b64(sealed, len));
}

/**
 * memowire_memo_parse(obj, m):
 * Read the Memo object ${obj} into ${m}.  Return 0, or -1 (${m} zeroed)
 * if a field it needs is missing or malformed.
 */
int
memowire_memo_parse(const json_t *obj, struct memowire_memo *m)
{

	memset(m, 0, sizeof(*m));
	if (!json_is_object(obj) ||
	    get_string(obj, "id", m->id, sizeof(m->id)) != 0 ||
	    !memo_id_valid(m->id) ||
	    get_string(obj, "state", m->state, sizeof(m->state)) != 0 ||
	    get_string(obj, "topic", m->topic, sizeof(m->topic)) != 0 ||
	    get_string(obj, "marking", m->marking, sizeof(m->marking)) != 0 ||
	    get_u32(obj, "version", &m->version) != 0 || m->version == 0 ||
	    wire_get_b64(obj, "version_hash", m->version_hash,
		sizeof(m->version_hash)) != 0 ||
	    wire_get_b64(
		obj, "roster_pk", m->roster_pk, sizeof(m->roster_pk)) != 0)
		goto err0;
	m->show_signers = json_is_true(json_object_get(obj, "show_signers"));
	m->signers_may_invite =
	    json_is_true(json_object_get(obj, "signers_may_invite"));
	return (0);

err0:
	memset(m, 0, sizeof(*m));
	return (-1);
}

/**
 * memowire_roster_check(roster_sk, roster_pk):
 * Check that the roster secret key ${roster_sk} (as a grant gave it) is
 * the one of the memo's roster public key ${roster_pk}: X25519 of the base
 * point.  A member who forwards (to the channel, a principal or a
 * co-drafter) or uses a roster key from a grant checks it first.  Return
 * 0 or MEMOWIRE_EINTEGRITY.
 */
int
memowire_roster_check(const uint8_t roster_sk[MEMO_ROSTER_SK_BYTES],
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES])
{
	uint8_t pk[crypto_scalarmult_BYTES];
	int ret = MEMOWIRE_EINTEGRITY;

	if (crypto_scalarmult_base(pk, roster_sk) == 0 &&
	    sodium_memcmp(pk, roster_pk, sizeof(pk)) == 0)
		ret = 0;
	sodium_memzero(pk, sizeof(pk));
	return (ret);
}

/**
 * memowire_keys_wipe(k):
 * Wipe ${k}.
 */
void
memowire_keys_wipe(struct memowire_keys *k)
{

	sodium_memzero(k, sizeof(*k));
}

/* Open the channel's grants of ${grants} into ${k}; as grants_open(). */
static int
open_via_channel(struct memowire_keys *k, const json_t *grants,
    const char *memo_id, const struct keys_secret *ks,
    const uint8_t channel_pk[KEYS_BOX_PK_BYTES], const char *instance_id)
{
	uint8_t sealed[GRANT_SEALED_MAX], channel_sk[KEYS_BOX_SK_BYTES];
	const json_t *ch = json_object_get(grants, "channel");
	size_t len;
	int rc;

	if (ch == NULL || json_is_null(ch))
		return (1);
	if (!json_is_object(ch))
		return (MEMOWIRE_EBAD);
	if ((rc = memowire_get_grant(grants, "channel_key", sealed, &len)) != 0)
		return (rc == 1 ? 1 : MEMOWIRE_EBAD);
	if (grant_open(channel_sk, sealed, len, MEMOWIRE_GRANT_CHANNEL,
		instance_id, ks) != 0)
		return (MEMOWIRE_EINTEGRITY);
	rc = MEMOWIRE_EBAD;
	if (memowire_get_grant(ch, "key", sealed, &len) != 0)
		goto done;
	rc = MEMOWIRE_EINTEGRITY;
	if (grant_open_box(k->key, sealed, len, MEMO_GRANT_KEY, memo_id,
		channel_pk, channel_sk) != 0)
		goto done;
	k->have_key = 1;
	switch (memowire_get_grant(ch, "roster", sealed, &len)) {
	case 0:
		if (grant_open_box(k->roster_sk, sealed, len, MEMO_GRANT_ROSTER,
			memo_id, channel_pk, channel_sk) != 0)
			goto done;
		k->have_roster = 1;
		break;
	case 1:
		break;
	default:
		rc = MEMOWIRE_EBAD;
		goto done;
	}
	k->via_channel = 1;
	rc = 0;
done:
	sodium_memzero(channel_sk, sizeof(channel_sk));
	return (rc);
}

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
int
memowire_grants_open(struct memowire_keys *k, const json_t *grants,
    const char *memo_id, const struct keys_secret *ks,
    const uint8_t *channel_pk, const char *instance_id)
{
	uint8_t sealed[GRANT_SEALED_MAX];
	size_t len;
	int rc;

	memowire_keys_wipe(k);
	if (!json_is_object(grants) || !memo_id_valid(memo_id))
		return (MEMOWIRE_EBAD);
	switch (memowire_get_grant(grants, "key", sealed, &len)) {
	case 0:
		if (grant_open(k->key, sealed, len, MEMO_GRANT_KEY, memo_id,
			ks) != 0) {
			rc = MEMOWIRE_EINTEGRITY;
			goto err0;
		}
		k->have_key = 1;
		break;
	case 1:
		if (channel_pk == NULL || instance_id == NULL)
			return (1);
		if ((rc = open_via_channel(
			 k, grants, memo_id, ks, channel_pk, instance_id)) != 0)
			goto err0;
		return (0);
	default:
		return (MEMOWIRE_EBAD);
	}
	switch (memowire_get_grant(grants, "roster", sealed, &len)) {
	case 0:
		if (grant_open(k->roster_sk, sealed, len, MEMO_GRANT_ROSTER,
			memo_id, ks) != 0) {
			rc = MEMOWIRE_EINTEGRITY;
			goto err0;
		}
		k->have_roster = 1;
		break;
	case 1:
		break;
	default:
		rc = MEMOWIRE_EBAD;
		goto err0;
	}
	return (0);

err0:
	memowire_keys_wipe(k);
	return (rc);
}

/**
 * memowire_version_seal(c, memo_id, version, prev, roster_pk, key, hash):
 * Encode the content ${c}, compute its version hash for ${memo_id} at
 * ${version} after ${prev} with the memo's roster key ${roster_pk} into
 * ${hash}, encrypt it under ${key} and return {"hash", "box"}, or NULL
 * (content refused by memo_content_check(), or out of memory).
 */
json_t *
memowire_version_seal(const struct memo_content *c, const char *memo_id,
    uint32_t version, const uint8_t prev[MEMO_HASH_BYTES],
    const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES],
    const uint8_t key[MEMO_KEY_BYTES], uint8_t hash[MEMO_HASH_BYTES])
{
	uint8_t *enc = NULL, *box = NULL;
	size_t len = 0, boxlen = 0;
	json_t *o = NULL;

	if (memo_content_encode(c, &enc, &len) != 0)
		return (NULL);
	if (memo_version_hash(
		hash, memo_id, version, prev, roster_pk, enc, len) != 0 ||
	    memo_content_seal(&box, &boxlen, enc, len, memo_id, version, key) !=
		0)
		goto done;
	o = json_pack("{s:o,s:o}", "hash", memowire_b64(hash, MEMO_HASH_BYTES),
	    "box", memowire_b64(box, boxlen));
done:
	sodium_memzero(enc, len);
	free(enc);
	free(box);
	return (o);
}

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
int
memowire_version_open(struct memo_content *c, uint8_t hash[MEMO_HASH_BYTES],
    uint8_t prev[MEMO_HASH_BYTES], const json_t *ver, const char *memo_id,
    uint32_t version, const uint8_t roster_pk[MEMO_ROSTER_PK_BYTES],
    const uint8_t key[MEMO_KEY_BYTES])
{
	uint8_t mine[MEMO_HASH_BYTES];
	uint8_t *box = NULL, *enc = NULL;
	size_t boxlen, len = 0;
	uint32_t v;
	int rc = MEMOWIRE_EBAD;

	memset(c, 0, sizeof(*c));
	if (get_u32(ver, "version", &v) != 0 || v != version ||
	    wire_get_b64(ver, "hash", hash, MEMO_HASH_BYTES) != 0 ||
	    wire_get_b64(ver, "prev_hash", prev, MEMO_HASH_BYTES) != 0 ||
	    memowire_get_b64(ver, "box", &box, &boxlen, MEMO_BOX_MAX) != 0)
		goto done;
	rc = MEMOWIRE_EINTEGRITY;
	if (memo_content_open(&enc, &len, box, boxlen, memo_id, version, key) !=
	    0)
		goto done;
	if (memo_content_decode(c, enc, len) != 0)
		goto done;
	if (memo_version_hash(
		mine, memo_id, version, prev, roster_pk, enc, len) != 0 ||
	    sodium_memcmp(mine, hash, sizeof(mine)) != 0) {
		memo_content_free(c);
		goto done;
	}
	rc = 0;
done:
	if (enc != NULL) {
		sodium_memzero(enc, len);
		free(enc);
	}
	free(box);
	return (rc);
}

/**
 * memowire_version_hash_of(versions, version, hash):
 * Store in ${hash} the hash that ${versions} (GET /memos/{id}/versions)
 * gives for ${version}.  Return 0, or -1 if it gives none or a malformed
 * one.
 */
int
memowire_version_hash_of(
    const json_t *versions, uint32_t version, uint8_t hash[MEMO_HASH_BYTES])
{
	json_t *arr = json_object_get(versions, "versions"), *e;
	uint32_t v;
	size_t i;

	json_array_foreach(arr, i, e)
	{
		if (get_u32(e, "version", &v) == 0 && v == version)
			return (wire_get_b64(e, "hash", hash, MEMO_HASH_BYTES));
	}
	return (-1);
}

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
int
memowire_chain_check(const struct memowire_memo *m, const json_t *versions,
    uint32_t version, const uint8_t hash[MEMO_HASH_BYTES],
    const uint8_t prev[MEMO_HASH_BYTES])
{
	uint8_t h[MEMO_HASH_BYTES], before[MEMO_HASH_BYTES];
	json_t *arr = json_object_get(versions, "versions"), *e;
	uint32_t v;
	size_t i;

	if (!json_is_array(arr) || version == 0 || version > m->version)
		return (MEMOWIRE_EBAD);
	if (json_array_size(arr) != m->version)
		return (MEMOWIRE_EINTEGRITY);
	memset(before, 0, sizeof(before));
	json_array_foreach(arr, i, e)
	{
		if (get_u32(e, "version", &v) != 0 ||
		    wire_get_b64(e, "hash", h, sizeof(h)) != 0)
			return (MEMOWIRE_EBAD);
		if (v != i + 1)
			return (MEMOWIRE_EINTEGRITY);
		if (v == version &&
		    (sodium_memcmp(h, hash, sizeof(h)) != 0 ||
			sodium_memcmp(before, prev, sizeof(before)) != 0))
			return (MEMOWIRE_EINTEGRITY);
		if (v == m->version &&
		    sodium_memcmp(h, m->version_hash, sizeof(h)) != 0)
			return (MEMOWIRE_EINTEGRITY);
		memcpy(before, h, sizeof(before));
	}
	return (0);
}

/**
 * memowire_keys_at(answer, epoch, pub, rec):
 * Find the keys of epoch ${epoch} in ${answer}, the answer of GET
 * /members/{id}/keys ("history", and "current"), store them in ${pub} and
 * the record they came from in ${rec} (borrowed from ${answer}).  Return
 * 0, or -1 if there is no such epoch or it is malformed.
 */
int
memowire_keys_at(const json_t *answer, uint32_t epoch, struct keys_public *pub,
    const json_t **rec)
{
	json_t *hist = json_object_get(answer, "history"), *e, *wrapper;
	json_t *cur = json_object_get(answer, "current");
	const json_t *found = NULL;
	uint32_t v, got;
	size_t i;
	int rc;

	json_array_foreach(hist, i, e)
	{
		if (get_u32(e, "epoch", &v) == 0 && v == epoch) {
			found = e;
			break;
		}
	}
	if (found == NULL && json_is_object(cur) &&
	    get_u32(cur, "epoch", &v) == 0 && v == epoch)
		found = cur;
	if (found == NULL)
		return (-1);
	/* wire_member_keys() reads the "keys" of a member: wrap it so. */
	if ((wrapper = json_pack("{s:O}", "keys", found)) == NULL)
		return (-1);
	rc = wire_member_keys(wrapper, &got, pub);
	json_decref(wrapper);
	if (rc != 0 || got != epoch)
		return (-1);
	*rec = found;
	return (0);
}

/**
 * memowire_record_verify(s, memo_id, version, version_hash, pub):
 * Check the opened signer record ${s}: it is for ${memo_id}, at
 * ${version} whose hash is ${version_hash}, and its signature verifies
 * under ${pub}'s signing key.  Return 0 or MEMOWIRE_EINTEGRITY.
 */
int
memowire_record_verify(const struct memo_signature *s, const char *memo_id,
    uint32_t version, const uint8_t version_hash[MEMO_HASH_BYTES],
    const struct keys_public *pub)
{

	if (strcmp(s->memo_id, memo_id) != 0 || s->version != version ||
	    sodium_memcmp(s->version_hash, version_hash, MEMO_HASH_BYTES) !=
		0 ||
	    memo_signature_verify(s, pub->sign_pk) != 0)
		return (MEMOWIRE_EINTEGRITY);
	return (0);
}

/**
 * memowire_records_package(out, memo_id, version_hash, records):
 * As memowire_package() for a memo without anonymous signatures.
 */
int
memowire_records_package(uint8_t out[MEMO_HASH_BYTES], const char *memo_id,
    const uint8_t version_hash[MEMO_HASH_BYTES], const json_t *records)
{

	return (memowire_package(out, memo_id, version_hash, records, NULL));
}

/* An anonymous signature decoded from an answer. */
struct anon_sig {
	uint8_t *sig; /* malloc'd */
	size_t len;
};

/* Free the ${n} signatures of ${as}, then ${as}. */
static void
anon_free(struct anon_sig *as, size_t n)
{
	size_t i;

	for (i = 0; as != NULL && i < n; i++)
		free(as[i].sig);
	free(as);
}

/*
 * Decode the anonymous signatures ${anon} (NULL: none) into ${as} (malloc'd,
 * anon_free()) and ${n}, checking that each carries its "tag".  Return 0
 * or -1 (nothing left allocated).
 */
static int
anon_decode(const json_t *anon, struct anon_sig **as, size_t *n)
{
	uint8_t tag[RING_TAG_BYTES], want[RING_TAG_BYTES];
	json_t *e;
	size_t i, keys;

	*as = NULL;
	*n = 0;
	if (anon == NULL)
		return (0);
	if (!json_is_array(anon) || json_array_size(anon) > UINT32_MAX)
		return (-1);
	if (json_array_size(anon) == 0)
		return (0);
	if ((*as = calloc(json_array_size(anon), sizeof(**as))) == NULL)
		return (-1);
	json_array_foreach(anon, i, e)
	{
		if (memowire_get_b64(e, "signature", &(*as)[i].sig,
			&(*as)[i].len, MEMOWIRE_B64_MAX) != 0)
			goto fail;
		*n = i + 1;
		if (ring_sig_parse((*as)[i].sig, (*as)[i].len, RING_N_LIMIT,
			&keys, tag) != 0 ||
		    wire_get_b64(e, "tag", want, sizeof(want)) != 0 ||
		    sodium_memcmp(tag, want, sizeof(tag)) != 0)
			goto fail;
	}
	return (0);

fail:
	anon_free(*as, json_array_size(anon));
	*as = NULL;
	*n = 0;
	return (-1);
}

/**
 * memowire_package(out, memo_id, version_hash, records, anon):
 * Recompute the submission's package hash (memo_package_hash()) from
 * ${records}, the "records" array of GET /memos/{id}/signatures, and
 * ${anon}, the "signatures" of GET /memos/{id}/anonymous-signatures (every
 * page, in order; NULL: none), each in the server's order.  Return 0, or
 * -1 if a record or signature is malformed or an anonymous signature's
 * "tag" is not the one it carries.
 */
int
memowire_package(uint8_t out[MEMO_HASH_BYTES], const char *memo_id,
    const uint8_t version_hash[MEMO_HASH_BYTES], const json_t *records,
    const json_t *anon)
{
	uint8_t(*recs)[MEMO_RECORD_SEALED_BYTES] = NULL;
	struct memo_anon_ref *refs = NULL;
	struct anon_sig *as = NULL;
	json_t *e;
	size_t i, n, m = 0;
	int ret = -1;

	if (!json_is_array(records))
		return (-1);
	n = json_array_size(records);
	if (n > UINT32_MAX)
		return (-1);
	if (n > 0) {
		if (n > SIZE_MAX / sizeof(*recs) ||
		    (recs = malloc(n * sizeof(*recs))) == NULL)
			return (-1);
		json_array_foreach(records, i, e)
		{
			if (wire_get_b64(e, "record", recs[i],
				MEMO_RECORD_SEALED_BYTES) != 0)
				goto done;
		}
	}
	if (anon_decode(anon, &as, &m) != 0)
		goto done;
	if (m > 0 && (refs = calloc(m, sizeof(*refs))) == NULL)
		goto done;
	for (i = 0; i < m; i++) {
		refs[i].sig = as[i].sig;
		refs[i].len = as[i].len;
	}
	memo_package_hash(out, memo_id, version_hash,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])recs, n, refs, m);
	ret = 0;

done:
	free(refs);
	anon_free(as, m);
	free(recs);
	return (ret);
}

/* The associated data of a complaint's box, into ${ad}. */
static int
complaint_ad(uint8_t ad[COMPLAINT_AD_MAX], size_t *len)
{
	struct binenc e;

	binenc_init(&e, ad, COMPLAINT_AD_MAX);
	binenc_str(&e, MEMOWIRE_COMPLAINT_TAG);
	return (binenc_finish(&e, len));
}

/**
 * memowire_complaint_seal(box, boxlen, text, key):
 * Encrypt the NUL-terminated ${text} (1..MEMOWIRE_COMPLAINT_MAX bytes)
 * under ${key} with associated data binenc(str "dissent/complaint/v1")
 * into a malloc'd ${box} of ${boxlen} bytes.  Return 0 or -1.
 */
int
memowire_complaint_seal(uint8_t **box, size_t *boxlen, const char *text,
    const uint8_t key[GRANT_KEY_BYTES])
{
	uint8_t ad[COMPLAINT_AD_MAX];
	size_t adlen, len = strlen(text);

	*box = NULL;
	*boxlen = 0;
	if (len == 0 || len > MEMOWIRE_COMPLAINT_MAX ||
	    complaint_ad(ad, &adlen) != 0)
		return (-1);
	if ((*box = malloc(len + AEAD_OVERHEAD)) == NULL)
		return (-1);
	if (aead_seal(*box, (const uint8_t *)text, len, ad, adlen, key) != 0) {
		free(*box);
		*box = NULL;
		return (-1);
	}
	*boxlen = len + AEAD_OVERHEAD;
	return (0);
}

/**
 * memowire_complaint_open(text, box, boxlen, key):
 * Decrypt a box made by memowire_complaint_seal() into a malloc'd
 * NUL-terminated ${text} without NUL bytes inside.  Return 0 or -1.
 */
int
memowire_complaint_open(char **text, const uint8_t *box, size_t boxlen,
    const uint8_t key[GRANT_KEY_BYTES])
{
	uint8_t ad[COMPLAINT_AD_MAX];
	size_t adlen, len;
	char *t;

	*text = NULL;
	if (boxlen <= AEAD_OVERHEAD ||
	    boxlen - AEAD_OVERHEAD > MEMOWIRE_COMPLAINT_MAX ||
	    complaint_ad(ad, &adlen) != 0)
		return (-1);
	len = boxlen - AEAD_OVERHEAD;
	if ((t = malloc(len + 1)) == NULL)
		return (-1);
	if (aead_open((uint8_t *)t, box, boxlen, ad, adlen, key) != 0 ||
	    memchr(t, '\0', len) != NULL) {
		sodium_memzero(t, len + 1);
		free(t);
		return (-1);
	}
	t[len] = '\0';
	*text = t;
	return (0);
}

/* Set ${err} and return MEMOWIRE_EINTEGRITY. */
static int
refuse(char *err, size_t errcap, const char *why)
{

	(void)snprintf(err, errcap, "%s", why);
	return (MEMOWIRE_EINTEGRITY);
}

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
int
memowire_receipt_verify(const json_t *r,
    const uint8_t server_pk[TREEHEAD_PK_BYTES], struct memowire_receipt *rc,
    char *err, size_t errcap)
{
	uint8_t leaf[EVENT_MAX_BYTES], proof[LOGWIRE_PROOF_BYTES];
	uint8_t pk[TREEHEAD_PK_BYTES];
	const char *s;
	size_t len, n;

	memset(rc, 0, sizeof(*rc));
	if (!json_is_object(r))
		return (
		    refuse(err, errcap, "the receipt is not a JSON object"));
	if (get_string(r, "memo", rc->memo_id, sizeof(rc->memo_id)) != 0 ||
	    !memo_id_valid(rc->memo_id))
		return (refuse(err, errcap, "the receipt names no valid memo"));
	if (logwire_u64(r, "index", &rc->index) != 0)
		return (refuse(err, errcap, "the receipt has no log index"));
	if (logwire_head_parse(json_object_get(r, "head"), &rc->head) != 0)
		return (refuse(err, errcap,
		    "the receipt's tree head is malformed (it needs "
		    "instance_id, size, timestamp, root and signature)"));
	if (logwire_proof_parse(r, proof, &n) != 0)
		return (refuse(
		    err, errcap, "the receipt's inclusion proof is malformed"));
	if ((s = json_string_value(json_object_get(r, "event"))) == NULL ||
	    strlen(s) > B64_ENCODED_LEN(EVENT_MAX_BYTES) ||
	    b64_decode(leaf, sizeof(leaf), &len, s) != 0)
		return (
		    refuse(err, errcap, "the receipt's event is malformed"));
	if (json_object_get(r, "server_sign_pk") != NULL &&
	    (wire_get_b64(r, "server_sign_pk", pk, sizeof(pk)) != 0 ||
		sodium_memcmp(pk, server_pk, sizeof(pk)) != 0))
		return (refuse(err, errcap,
		    "the receipt was issued under another server key than the "
		    "trusted one (wrong key)"));
	if (treehead_verify(&rc->head, server_pk) != 0)
		return (refuse(err, errcap,
		    "the receipt's tree head signature does not verify with "
		    "the trusted server key (bad signature)"));
	if (treehead_check_inclusion(
		&rc->head, leaf, len, rc->index, proof, n) != 0)
		return (refuse(err, errcap,
		    "the receipt's event is not at its index in the signed "
		    "tree (the inclusion proof fails)"));
	if (event_decode(&rc->ev, leaf, len) != 0)
		return (refuse(err, errcap,
		    "the receipt's event is not a well-formed event"));
	if (rc->ev.type < EVENT_MEMO_SUBMITTED || rc->ev.memo_id[0] == '\0')
		return (refuse(err, errcap,
		    "the receipt's event is not a memo "
		    "event"));
	if (strcmp(rc->ev.memo_id, rc->memo_id) != 0)
		return (refuse(err, errcap,
		    "the receipt's event is about another memo than the one "
		    "it names"));
	return (0);
}

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
int
memowire_channel_key_check(const struct treehead *head, uint64_t index,
    const uint8_t *leaf, size_t len, const uint8_t *proof, size_t nhashes,
    const uint8_t pk[KEYS_BOX_PK_BYTES], char *err, size_t errcap)
{
	uint8_t hash[EVENT_KEYS_HASH_BYTES];
	struct event ev;

	if (index >= head->size)
		return (refuse(err, errcap,
		    "its log entry is beyond the verified tree head"));
	if (treehead_check_inclusion(head, leaf, len, index, proof, nhashes) !=
	    0)
		return (refuse(err, errcap,
		    "its log entry is not in the signed tree (the inclusion "
		    "proof fails)"));
	if (event_decode(&ev, leaf, len) != 0)
		return (refuse(
		    err, errcap, "its log entry is not a well-formed event"));
	if (ev.type != EVENT_CHANNEL_KEY_CREATED)
		return (refuse(err, errcap,
		    "its log entry is not a channel_key_created event"));
	event_channel_key_hash(hash, pk);
	if (sodium_memcmp(hash, ev.keys_hash, sizeof(hash)) != 0)
		return (refuse(err, errcap,
		    "its log entry publishes another channel key"));
	return (0);
}

/* Set ${key} of ${o} to the base64url of the hash ${h}; 0 or -1. */
static int
set_hash(json_t *o, const char *key, const uint8_t h[MEMO_HASH_BYTES])
{

	return (json_object_set_new(o, key, memowire_b64(h, MEMO_HASH_BYTES)));
}

/**
 * memowire_receipt_json(rc):
 * Return the summary of the verified receipt ${rc}: {"memo", "event"
 * (type name), "time", "index", "tree_size", "tree_timestamp",
 * "instance_id", and the fields of its type: "version", "version_hash",
 * "named", "anonymous", "package_hash", "member", "n", "hash"}, or NULL
 * if out of memory.
 */
json_t *
memowire_receipt_json(const struct memowire_receipt *rc)
{
	const struct event *ev = &rc->ev;
	const char *name = event_type_name(ev->type);
	json_t *o;
	int bad = 0;

	if ((o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:s}", "memo", rc->memo_id,
		 "event", name != NULL ? name : "unknown", "time",
		 (json_int_t)ev->time, "index", (json_int_t)rc->index,
		 "tree_size", (json_int_t)rc->head.size, "tree_timestamp",
		 (json_int_t)rc->head.timestamp, "instance_id",
		 rc->head.instance_id)) == NULL)
		return (NULL);
	switch (ev->type) {
	case EVENT_MEMO_SUBMITTED:
		bad |= json_object_set_new(
		    o, "version", json_integer((json_int_t)ev->memo_version));
		bad |= set_hash(o, "version_hash", ev->hash);
		bad |= json_object_set_new(
		    o, "named", json_integer((json_int_t)ev->named));
		bad |= json_object_set_new(
		    o, "anonymous", json_integer((json_int_t)ev->anonymous));
		bad |= set_hash(o, "package_hash", ev->package_hash);
		break;
	case EVENT_MEMO_REDIRECTED:
		bad |= set_hash(o, "hash", ev->hash);
		break;
	case EVENT_MEMO_REPLIED:
		bad |= json_object_set_new(
		    o, "n", json_integer((json_int_t)ev->n));
		bad |= set_hash(o, "hash", ev->hash);
		break;
	default:
		break;
	}
	if (ev->member_id[0] != '\0')
		bad |= json_object_set_new(
		    o, "member", json_string(ev->member_id));
	if (bad) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}
