#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "event.h"
#include "log.h"
#include "memo.h"
#include "memoctx.h"
#include "notify.h"
#include "routes.h"

/*
 * Memos (docs/API.md, "Memos"): drafting, versions, grants, settings,
 * submission with its receipt, withdrawal and the access records.  The
 * server sees ciphertext, sealed grants and clear metadata only.
 */

/* A version number in a path: 1 to UINT32_MAX, decimal, no leading zero. */
#define VERSION_DIGITS_MAX 10

struct grants_in {
	char key[MEMOCTX_SEALED_TEXT_MAX + 1];
	char roster[MEMOCTX_SEALED_TEXT_MAX + 1];
};

static const struct jsonin_field grants_fields[] = {
    {.name = "key",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMOCTX_SEALED_TEXT_MAX,
	JSONIN_AT(struct grants_in, key)},
    {.name = "roster",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMOCTX_SEALED_TEXT_MAX,
	JSONIN_AT(struct grants_in, roster)},
};
static const struct jsonin_spec grants_spec =
    JSONIN_SPEC(struct grants_in, grants_fields);

struct first_version_in {
	uint8_t hash[MEMO_HASH_BYTES];
	char box[MEMOCTX_BOX_TEXT_MAX + 1];
};

static const struct jsonin_field first_version_fields[] = {
    {.name = "hash",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = MEMO_HASH_BYTES,
	JSONIN_AT(struct first_version_in, hash)},
    {.name = "box",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMOCTX_BOX_TEXT_MAX,
	JSONIN_AT(struct first_version_in, box)},
};
static const struct jsonin_spec first_version_spec =
    JSONIN_SPEC(struct first_version_in, first_version_fields);

struct create_in {
	char id[MEMO_ID_LEN + 1];
	char topic[MEMO_TOPIC_MAX + 1];
	char marking[MEMO_MARKING_MAX + 1];
	struct jsonin_strings eligible_orgs;
	uint8_t roster_pk[MEMO_ROSTER_PK_BYTES];
	int signers_may_invite;
	struct first_version_in version;
	struct grants_in grants;
};

static const struct jsonin_field create_fields[] = {
    {.name = "id",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMO_ID_LEN,
	JSONIN_AT(struct create_in, id)},
    {.name = "topic",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMO_TOPIC_MAX,
	JSONIN_AT(struct create_in, topic)},
    {.name = "marking",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMO_MARKING_MAX,
	JSONIN_AT(struct create_in, marking)},
    {.name = "eligible_orgs",
	.type = JSONIN_STRINGS,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMO_ORGS_MAX,
	JSONIN_AT(struct create_in, eligible_orgs)},
    {.name = "roster_pk",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = MEMO_ROSTER_PK_BYTES,
	JSONIN_AT(struct create_in, roster_pk)},
    {.name = "signers_may_invite",
	.type = JSONIN_BOOL,
	JSONIN_AT(struct create_in, signers_may_invite)},
    {.name = "version",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &first_version_spec,
	JSONIN_AT(struct create_in, version)},
    {.name = "grants",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &grants_spec,
	JSONIN_AT(struct create_in, grants)},
};
const struct jsonin_spec routes_memos_create_spec =
    JSONIN_SPEC(struct create_in, create_fields);

struct version_in {
	int64_t version;
	uint8_t prev_hash[MEMO_HASH_BYTES];
	uint8_t hash[MEMO_HASH_BYTES];
	char box[MEMOCTX_BOX_TEXT_MAX + 1];
	char topic[MEMO_TOPIC_MAX + 1];
	char marking[MEMO_MARKING_MAX + 1];
};

static const struct jsonin_field version_fields[] = {
    {.name = "version",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 2,
	.imax = UINT32_MAX,
	JSONIN_AT(struct version_in, version)},
    {.name = "prev_hash",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = MEMO_HASH_BYTES,
	JSONIN_AT(struct version_in, prev_hash)},
    {.name = "hash",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = MEMO_HASH_BYTES,
	JSONIN_AT(struct version_in, hash)},
    {.name = "box",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMOCTX_BOX_TEXT_MAX,
	JSONIN_AT(struct version_in, box)},
    {.name = "topic",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMO_TOPIC_MAX,
	JSONIN_AT(struct version_in, topic)},
    {.name = "marking",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMO_MARKING_MAX,
	JSONIN_AT(struct version_in, marking)},
};
const struct jsonin_spec routes_memos_version_spec =
    JSONIN_SPEC(struct version_in, version_fields);

struct settings_in {
	int show_signers;
	int signers_may_invite;
};

static const struct jsonin_field settings_fields[] = {
    {.name = "show_signers",
	.type = JSONIN_BOOL,
	.flags = JSONIN_REQUIRED,
	JSONIN_AT(struct settings_in, show_signers)},
    {.name = "signers_may_invite",
	.type = JSONIN_BOOL,
	.flags = JSONIN_REQUIRED,
	JSONIN_AT(struct settings_in, signers_may_invite)},
};
const struct jsonin_spec routes_memos_settings_spec =
    JSONIN_SPEC(struct settings_in, settings_fields);

struct submit_in {
	uint8_t version_hash[MEMO_HASH_BYTES];
	struct grants_in grants;
};

static const struct jsonin_field submit_fields[] = {
    {.name = "version_hash",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = MEMO_HASH_BYTES,
	JSONIN_AT(struct submit_in, version_hash)},
    {.name = "grants",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &grants_spec,
	JSONIN_AT(struct submit_in, grants)},
};
const struct jsonin_spec routes_memos_submit_spec =
    JSONIN_SPEC(struct submit_in, submit_fields);

/* Names of access kinds (0: a grant). */
static const char *const access_kinds[] = {
    "grant", "key", "content", "signers", "replies"};

/* Reply ${status} with {"memo": Memo} of ${mc} as loaded. */
static void
reply_memo(struct route_ctx *ctx, unsigned int status, const struct memoctx *mc)
{
	json_t *o;

	if ((o = memoctx_json(ctx, mc)) == NULL) {
		routes_internal(ctx, "memo object");
		return;
	}
	(void)http_reply_json(ctx->req, status, json_pack("{s:o}", "memo", o));
}

/*
 * Check a memo's clear labels: ${topic} must be one of the instance's
 * topics, ${marking} a known marking the instance is accredited for.
 * Return 0, or -1 after replying 400.
 */
static int
labels_acceptable(struct route_ctx *ctx, const char *topic, const char *marking)
{
	const char *top;
	int level;

	if (!memo_topic_valid(topic) ||
	    !config_topic_allowed(ctx->cfg, topic)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"topic\" is not one of this instance's topics");
		return (-1);
	}
	if ((level = memo_marking_level(marking)) < 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"marking\" must be UNCLASSIFIED, SBU, "
		    "CONFIDENTIAL, SECRET or TOP SECRET");
		return (-1);
	}
	if (level > ctx->cfg->max_marking) {
		top = memo_marking_name(ctx->cfg->max_marking);
		http_reply_error(ctx->req, 400, "marking_not_accredited",
		    "this instance is accredited for markings up to %s only",
		    top != NULL ? top : "UNCLASSIFIED");
		return (-1);
	}
	return (0);
}

/*
 * Copy the organisations ${orgs} into ${m} after checking that each exists
 * and none repeats.  Return 0, or -1 after replying.
 */
static int
eligible_orgs(struct route_ctx *ctx, const struct jsonin_strings *orgs,
    struct store_memo *m)
{
	struct store_org o;
	size_t i, j;
	int rc;

	for (i = 0; i < orgs->n && i < MEMO_ORGS_MAX; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(orgs->v[i], orgs->v[j]) == 0) {
				http_reply_error(ctx->req, 400, "invalid_field",
				    "field \"eligible_orgs\" names an "
				    "organisation twice");
				return (-1);
			}
		}
		if (!directory_org_id_valid(orgs->v[i]) ||
		    (rc = store_org_get(ctx->store, orgs->v[i], &o)) ==
			STORE_NOTFOUND) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"eligible_orgs\" names no organisation "
			    "(item %zu)",
			    i + 1);
			return (-1);
		}
		if (rc != STORE_OK) {
			routes_internal(ctx, "org lookup");
			return (-1);
		}
		memcpy(m->eligible_orgs[i], orgs->v[i], strlen(orgs->v[i]) + 1);
	}
	m->neligible_orgs = i;
	return (0);
}

/* Commit the caller's transaction; 0, or -1 after rolling back and 500. */
static int
commit(struct route_ctx *ctx)
{

	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		return (-1);
	}
	return (0);
}

/**
 * routes_memos_create(ctx):
 * POST /api/v1/memos: a new memo in draft with its first version and the
 * creator's own grants; the creator is its drafter.
 */
void
routes_memos_create(struct route_ctx *ctx)
{
	const struct create_in *in = ctx->body;
	uint8_t key[STORE_GRANT_MAX], roster[STORE_GRANT_MAX];
	struct store_memo_version v;
	struct memoctx mc;
	uint8_t *box = NULL;
	size_t keylen, rosterlen, boxlen;
	int rc;

	memset(&mc, 0, sizeof(mc));
	if (!memo_id_valid(in->id)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"id\" must be \"d_\" and 24 lowercase hex digits");
		return;
	}
	/* Records sealed to a weak key would be open to anyone. */
	if (keys_box_pk_check(in->roster_pk) != 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"roster_pk\" is not a valid X25519 public key");
		return;
	}
	if (labels_acceptable(ctx, in->topic, in->marking) != 0 ||
	    eligible_orgs(ctx, &in->eligible_orgs, &mc.memo) != 0 ||
	    memoctx_sealed(ctx, "grants.key", in->grants.key, key, &keylen) !=
		0 ||
	    memoctx_sealed(ctx, "grants.roster", in->grants.roster, roster,
		&rosterlen) != 0 ||
	    memoctx_box(ctx, "version.box", in->version.box, MEMO_BOX_MAX, &box,
		&boxlen) != 0)
		return;

	memcpy(mc.memo.id, in->id, sizeof(mc.memo.id));
	mc.memo.state = MEMO_STATE_DRAFT;
	memcpy(mc.memo.topic, in->topic, sizeof(mc.memo.topic));
	memcpy(mc.memo.marking, in->marking, sizeof(mc.memo.marking));
	memcpy(mc.memo.org_id, ctx->me->org_id, sizeof(mc.memo.org_id));
	memcpy(mc.memo.roster_pk, in->roster_pk, sizeof(mc.memo.roster_pk));
	mc.memo.flags = in->signers_may_invite ? ACCESS_MEMO_SIGNERS_INVITE : 0;
	mc.memo.version = 1;
	memcpy(mc.memo.version_hash, in->version.hash,
	    sizeof(mc.memo.version_hash));
	mc.memo.created_at = ctx->now;
	mc.memo.authors = 1;
	memset(&v, 0, sizeof(v));
	v.version = 1;
	memcpy(v.hash, in->version.hash, sizeof(v.hash));
	memcpy(v.author, ctx->me->id, sizeof(v.author));
	v.created_at = ctx->now;
	v.box = box;
	v.boxlen = boxlen;

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if ((rc = store_memo_insert(ctx->store, &mc.memo, &v, ctx->me->id)) !=
	    STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_CONFLICT)
			http_reply_error(ctx->req, 409, "conflict",
			    "a memo with this id exists");
		else
			routes_internal(ctx, "memo insert");
		goto done;
	}
	if (memoctx_grant(ctx, mc.memo.id, ctx->me->id, MEMO_GRANT_KEY, key,
		keylen) != 0 ||
	    memoctx_grant(ctx, mc.memo.id, ctx->me->id, MEMO_GRANT_ROSTER,
		roster, rosterlen) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "grants");
		goto done;
	}
	if (commit(ctx) != 0)
		goto done;
	memoctx_reply(ctx, 201, &mc, UINT64_MAX);

done:
	free(box);
}

/**
 * routes_memos_list(ctx):
 * GET /api/v1/memos: the memos the caller has a stored relation to, newest
 * first.
 */
void
routes_memos_list(struct route_ctx *ctx)
{
	struct store_memo *ms = NULL;
	struct memoctx mc;
	json_t *arr, *o;
	size_t n = 0, i;

	if (store_memo_list_member(ctx->store, ctx->me->id, &ms, &n) !=
	    STORE_OK) {
		routes_internal(ctx, "memo list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		if (memoctx_relate(ctx, &ms[i], &mc) != 0 ||
		    (o = memoctx_json(ctx, &mc)) == NULL ||
		    json_array_append_new(arr, o) != 0)
			goto fail;
	}
	free(ms);
	(void)http_reply_json(ctx->req, 200, json_pack("{s:o}", "memos", arr));
	return;

fail:
	json_decref(arr);
	free(ms);
	routes_internal(ctx, "memo list");
}

/**
 * routes_memos_get(ctx):
 * GET /api/v1/memos/{id}: one memo.
 */
void
routes_memos_get(struct route_ctx *ctx)
{
	struct memoctx mc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_META, &mc) != 0)
		return;
	reply_memo(ctx, 200, &mc);
}

/**
 * routes_memos_version_add(ctx):
 * POST /api/v1/memos/{id}/versions: a new version from a drafter, making
 * every earlier signature stale.
 */
void
routes_memos_version_add(struct route_ctx *ctx)
{
	const struct version_in *in = ctx->body;
	struct store_memo_version v;
	struct memoctx mc;
	enum memo_state next;
	uint8_t *box = NULL;
	size_t boxlen;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_EDIT, &mc) != 0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_EDIT, &next) != 0 ||
	    labels_acceptable(ctx, in->topic, in->marking) != 0)
		return;
	if (in->version != (int64_t)mc.memo.version + 1 ||
	    sodium_memcmp(
		in->prev_hash, mc.memo.version_hash, MEMO_HASH_BYTES) != 0) {
		http_reply_error(ctx->req, 409, "stale_version",
		    "the current version is %lu: give version %lu with its "
		    "hash as prev_hash",
		    (unsigned long)mc.memo.version,
		    (unsigned long)mc.memo.version + 1);
		return;
	}
	if (memoctx_box(ctx, "box", in->box, MEMO_BOX_MAX, &box, &boxlen) != 0)
		return;
	memset(&v, 0, sizeof(v));
	v.version = (uint32_t)in->version;
	memcpy(v.hash, in->hash, sizeof(v.hash));
	memcpy(v.author, ctx->me->id, sizeof(v.author));
	v.created_at = ctx->now;
	v.box = box;
	v.boxlen = boxlen;

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		goto done;
	}
	if ((rc = store_memo_version_put(ctx->store, mc.memo.id, &v)) ==
	    STORE_OK) {
		mc.memo.state = next;
		mc.memo.version = v.version;
		memcpy(mc.memo.version_hash, v.hash, sizeof(v.hash));
		memcpy(mc.memo.topic, in->topic, sizeof(mc.memo.topic));
		memcpy(mc.memo.marking, in->marking, sizeof(mc.memo.marking));
		rc = store_memo_update(ctx->store, &mc.memo);
	}
	if (rc != STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_CONFLICT)
			http_reply_error(ctx->req, 409, "stale_version",
			    "another version was added meanwhile");
		else
			routes_internal(ctx, "version add");
		goto done;
	}
	if (commit(ctx) != 0)
		goto done;
	memoctx_reply(ctx, 201, &mc, UINT64_MAX);

done:
	free(box);
}

/**
 * routes_memos_versions(ctx):
 * GET /api/v1/memos/{id}/versions: every version's number, hash and time,
 * oldest first, and its author to the drafters (to anyone else the author
 * would name a drafter).
 */
void
routes_memos_versions(struct route_ctx *ctx)
{
	char hash[B64_ENCODED_LEN(MEMO_HASH_BYTES)];
	struct store_memo_version *vs = NULL;
	struct memoctx mc;
	json_t *arr, *o;
	size_t n = 0, i;
	int drafting;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_META, &mc) != 0)
		return;
	if (store_memo_versions(ctx->store, mc.memo.id, &vs, &n) != STORE_OK) {
		routes_internal(ctx, "version list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto fail;
	drafting = (mc.rel & (ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER)) != 0;
	for (i = 0; i < n; i++) {
		routes_b64(hash, sizeof(hash), vs[i].hash, sizeof(vs[i].hash));
		o = json_pack("{s:I,s:s,s:I}", "version",
		    (json_int_t)vs[i].version, "hash", hash, "created_at",
		    (json_int_t)vs[i].created_at);
		if (o != NULL && drafting &&
		    json_object_set_new(
			o, "author", json_string(vs[i].author)) != 0) {
			json_decref(o);
			goto fail;
		}
		if (json_array_append_new(arr, o) != 0)
			goto fail;
	}
	free(vs);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "versions", arr));
	return;

fail:
	json_decref(arr);
	free(vs);
	routes_internal(ctx, "out of memory");
}

/* Parse a version number from a path; 0 if malformed. */
static uint32_t
path_version(const char *s)
{
	uint64_t v = 0;
	size_t len, i;

	len = strnlen(s, VERSION_DIGITS_MAX + 1);
	if (len == 0 || len > VERSION_DIGITS_MAX || s[0] == '0')
		return (0);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (0);
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return (v > UINT32_MAX ? 0 : (uint32_t)v);
}

/**
 * routes_memos_version_get(ctx):
 * GET /api/v1/memos/{id}/versions/{n}: one version's box, after recording
 * the access in the log.
 */
void
routes_memos_version_get(struct route_ctx *ctx)
{
	char hash[B64_ENCODED_LEN(MEMO_HASH_BYTES)];
	char prev[B64_ENCODED_LEN(MEMO_HASH_BYTES)];
	uint8_t zero[MEMO_HASH_BYTES];
	struct store_memo_version v, *vs = NULL;
	struct memoctx mc;
	char *text = NULL;
	uint32_t n;
	size_t nv = 0, cap;
	int rc;

	memset(&v, 0, sizeof(v));
	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_CONTENT, &mc) != 0)
		return;
	if ((n = path_version(ctx->params[1])) == 0 || n > mc.memo.version) {
		http_reply_error(ctx->req, 404, "not_found", "no such version");
		return;
	}
	if ((rc = store_memo_version_get(ctx->store, mc.memo.id, n, &v)) !=
	    STORE_OK) {
		routes_store_error(ctx, rc, "version read");
		return;
	}
	memset(zero, 0, sizeof(zero));
	routes_b64(prev, sizeof(prev), zero, sizeof(zero));
	if (n > 1) {
		if (store_memo_versions(ctx->store, mc.memo.id, &vs, &nv) !=
			STORE_OK ||
		    nv < n - 1 || vs[n - 2].version != n - 1) {
			routes_internal(ctx, "previous version");
			goto done;
		}
		routes_b64(
		    prev, sizeof(prev), vs[n - 2].hash, sizeof(vs[n - 2].hash));
	}
	routes_b64(hash, sizeof(hash), v.hash, sizeof(v.hash));
	cap = B64_ENCODED_LEN(v.boxlen);
	if ((text = malloc(cap)) == NULL) {
		routes_internal(ctx, "out of memory");
		goto done;
	}
	routes_b64(text, cap, v.box, v.boxlen);

	/* The access is on record before anything is sent. */
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if (memoctx_access(ctx, mc.memo.id, EVENT_ACCESS_CONTENT) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "access record");
		goto done;
	}
	if (commit(ctx) != 0)
		goto done;
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:I,s:s,s:s,s:s}", "version", (json_int_t)n, "hash",
		hash, "prev_hash", prev, "box", text));

done:
	free(text);
	free(vs);
	free(v.box);
}

/*
 * The caller's own released grant of ${purpose} for ${memo_id} (or the
 * channel's if ${recipient} is STORE_RECIPIENT_CHANNEL) as a JSON string,
 * JSON null if there is none; NULL if the store fails.
 */
static json_t *
grant_json(struct route_ctx *ctx, const char *memo_id, const char *recipient,
    const char *purpose)
{
	char text[B64_ENCODED_LEN(STORE_GRANT_MAX)];
	struct store_grant g;
	int rc;

	rc = store_grant_get(ctx->store, memo_id, recipient, purpose, &g);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && g.held))
		return (json_null());
	if (rc != STORE_OK || g.sealedlen > sizeof(g.sealed))
		return (NULL);
	routes_b64(text, sizeof(text), g.sealed, g.sealedlen);
	return (json_string(text));
}

/**
 * routes_memos_grants(ctx):
 * GET /api/v1/memos/{id}/grants: the caller's own sealed grants (and, for
 * a coordinator after submission, the channel's and the caller's sealed
 * channel key), after recording the access in the log.
 */
void
routes_memos_grants(struct route_ctx *ctx)
{
	char text[B64_ENCODED_LEN(STORE_GRANT_MAX)];
	uint8_t sealed[STORE_GRANT_MAX];
	json_t *key = NULL, *roster = NULL, *chkey = NULL, *channel = NULL;
	json_t *ck = NULL, *cr = NULL;
	struct memoctx mc;
	size_t sealedlen;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_KEY, &mc) != 0)
		return;
	if ((key = grant_json(ctx, mc.memo.id, ctx->me->id, MEMO_GRANT_KEY)) ==
		NULL ||
	    (roster = grant_json(
		 ctx, mc.memo.id, ctx->me->id, MEMO_GRANT_ROSTER)) == NULL)
		goto fail;
	chkey = json_null();
	channel = json_null();
	if ((mc.rel & ACCESS_REL_COORDINATOR) &&
	    (mc.flags & ACCESS_MEMO_SUBMITTED)) {
		rc = store_channel_grant_get(
		    ctx->store, ctx->me->id, sealed, &sealedlen);
		if (rc == STORE_OK && sealedlen <= sizeof(sealed)) {
			routes_b64(text, sizeof(text), sealed, sealedlen);
			json_decref(chkey);
			chkey = json_string(text);
		} else if (rc != STORE_NOTFOUND) {
			goto fail;
		}
		if ((ck = grant_json(ctx, mc.memo.id, STORE_RECIPIENT_CHANNEL,
			 MEMO_GRANT_KEY)) == NULL ||
		    (cr = grant_json(ctx, mc.memo.id, STORE_RECIPIENT_CHANNEL,
			 MEMO_GRANT_ROSTER)) == NULL)
			goto fail;
		if (!json_is_null(ck)) {
			json_decref(channel);
			channel =
			    json_pack("{s:O,s:O}", "key", ck, "roster", cr);
		}
		json_decref(ck);
		json_decref(cr);
		ck = cr = NULL;
	}
	sodium_memzero(sealed, sizeof(sealed));
	if (chkey == NULL || channel == NULL)
		goto fail;

	/* The access is on record before anything is sent. */
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if (memoctx_access(ctx, mc.memo.id, EVENT_ACCESS_KEY) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "access record");
		goto done;
	}
	if (commit(ctx) != 0)
		goto done;
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:O,s:O,s:O,s:O}", "key", key, "roster", roster,
		"channel_key", chkey, "channel", channel));
	goto done;

fail:
	routes_internal(ctx, "grants");
done:
	json_decref(key);
	json_decref(roster);
	json_decref(chkey);
	json_decref(channel);
	json_decref(ck);
	json_decref(cr);
}

/*
 * Set ${mc}'s flags to ${flags} in one transaction that first checks
 * nothing changed since it was loaded, then reply 200 with the memo.  Who
 * signed while names were hidden signed under that promise: names are not
 * shown while a named signature (current or stale) exists (409
 * signatures_exist).
 */
static void
change_settings(struct route_ctx *ctx, struct memoctx *mc, unsigned int flags)
{
	uint32_t nsigs;
	int rc;

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_recheck(ctx, mc) != 0) {
		store_rollback(ctx->store);
		return;
	}
	if ((flags & ACCESS_MEMO_SHOW_SIGNERS) &&
	    !(mc->memo.flags & ACCESS_MEMO_SHOW_SIGNERS)) {
		if (store_signature_count(ctx->store, mc->memo.id, 0, &nsigs) !=
		    STORE_OK) {
			store_rollback(ctx->store);
			routes_internal(ctx, "signature count");
			return;
		}
		if (nsigs > 0) {
			store_rollback(ctx->store);
			http_reply_error(ctx->req, 409, "signatures_exist",
			    "names cannot be shown to signers once someone "
			    "signed while they were hidden");
			return;
		}
	}
	mc->memo.flags = flags;
	if ((rc = store_memo_update(ctx->store, &mc->memo)) != STORE_OK) {
		store_rollback(ctx->store);
		routes_store_error(ctx, rc, "memo update");
		return;
	}
	if (commit(ctx) != 0)
		return;
	memoctx_reply(ctx, 200, mc, UINT64_MAX);
}

/*
 * Inside the caller's transaction: pin ${m}'s ring snapshot at the log's
 * current size (store_memo_ring_pin()).  Every directory change appends
 * its log event in the transaction that makes it, so the snapshot is the
 * directory after that many entries.  Return 0 or -1.
 */
static int
pin_ring(struct route_ctx *ctx, const struct store_memo *m)
{
	struct log_field f[1];
	uint64_t size;
	size_t n;
	int rc;

	if (store_log_size(ctx->store, &size) != STORE_OK)
		return (-1);
	if ((rc = store_memo_ring_pin(ctx->store, m->id, size, &n)) ==
	    STORE_CONFLICT) {
		/* The memo takes named signatures only: say so, not why. */
		f[0] = LOG_INT("limit", STORE_RING_SNAPSHOT_MAX);
		log_fields(LOG_WARN,
		    "memo opened without a ring snapshot: too many eligible "
		    "members, or two share a ring key",
		    f, 1);
		return (0);
	}
	return (rc == STORE_OK ? 0 : -1);
}

/**
 * routes_memos_open(ctx):
 * POST /api/v1/memos/{id}/open: open a draft for signatures, pinning its
 * ring snapshot for anonymous ones.
 */
void
routes_memos_open(struct route_ctx *ctx)
{
	struct memoctx mc;
	enum memo_state next;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_OPEN, &mc) != 0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_OPEN, &next) != 0)
		return;
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		return;
	}
	mc.memo.state = next;
	if ((rc = store_memo_update(ctx->store, &mc.memo)) != STORE_OK) {
		store_rollback(ctx->store);
		routes_store_error(ctx, rc, "memo update");
		return;
	}
	if (pin_ring(ctx, &mc.memo) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "ring snapshot");
		return;
	}
	if (commit(ctx) != 0)
		return;
	memoctx_reply(ctx, 200, &mc, UINT64_MAX);
}

/**
 * routes_memos_settings(ctx):
 * PUT /api/v1/memos/{id}/settings: whether signers see each other's names
 * and may invite signers, while the memo is drafted.
 */
void
routes_memos_settings(struct route_ctx *ctx)
{
	const struct settings_in *in = ctx->body;
	const char *state;
	struct memoctx mc;
	unsigned int flags;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_SETTINGS, &mc) != 0)
		return;
	if (mc.memo.state != MEMO_STATE_DRAFT &&
	    mc.memo.state != MEMO_STATE_OPEN) {
		state = lifecycle_state_name(mc.memo.state);
		http_reply_error(ctx->req, 409, "invalid_state",
		    "a memo that is %s has fixed settings",
		    state != NULL ? state : "in an unknown state");
		return;
	}
	flags = mc.memo.flags &
		~(ACCESS_MEMO_SHOW_SIGNERS | ACCESS_MEMO_SIGNERS_INVITE);
	if (in->show_signers)
		flags |= ACCESS_MEMO_SHOW_SIGNERS;
	if (in->signers_may_invite)
		flags |= ACCESS_MEMO_SIGNERS_INVITE;
	change_settings(ctx, &mc, flags);
}

/*
 * Inside the caller's transaction: the anonymous signatures of ${m} over
 * its current version (the others deleted), by tag, into ${as} (malloc'd,
 * store_anon_signatures_free()) and ${n}.  Return 0 or -1.
 */
static int
current_anon(struct route_ctx *ctx, const struct store_memo *m,
    struct store_anon_signature **as, size_t *n)
{
	struct store_anon_signature *page = NULL, *grown;
	const uint8_t *after = NULL;
	size_t np, have = 0, cap = 0;

	*as = NULL;
	*n = 0;
	if (store_anon_signature_prune(ctx->store, m->id, m->version) !=
	    STORE_OK)
		return (-1);
	do {
		if (store_anon_signature_page(ctx->store, m->id, after,
			STORE_ANON_PAGE_MAX, &page, &np) != STORE_OK)
			goto fail;
		if (np > 0 && have + np > cap) {
			cap = have + np > STORE_ANON_SIGNATURES_MAX
				  ? have + np
				  : STORE_ANON_SIGNATURES_MAX;
			if ((grown = realloc(*as, cap * sizeof(**as))) ==
			    NULL) {
				store_anon_signatures_free(page, np);
				goto fail;
			}
			*as = grown;
		}
		/* The rows move; the page's array goes. */
		if (np > 0)
			memcpy(*as + have, page, np * sizeof(*page));
		free(page);
		have += np;
		*n = have;
		if (have > 0)
			after = (*as)[have - 1].tag;
	} while (np == STORE_ANON_PAGE_MAX);
	return (0);

fail:
	store_anon_signatures_free(*as, have);
	*as = NULL;
	*n = 0;
	return (-1);
}

/*
 * Inside the caller's transaction: delete the named and anonymous
 * signatures of ${m} over earlier versions, then freeze their counts and
 * the package hash over the current ones.  Return 0 or -1.
 */
static int
freeze_signatures(struct route_ctx *ctx, struct store_memo *m)
{
	uint8_t(*records)[MEMO_RECORD_SEALED_BYTES] = NULL;
	struct store_signature *sigs = NULL;
	struct store_anon_signature *as = NULL;
	struct memo_anon_ref *refs = NULL;
	size_t n = 0, na = 0, i, k;
	int ret = -1;

	if (store_signature_list(ctx->store, m->id, 0, &sigs, &n) != STORE_OK)
		return (-1);
	if (n > SIZE_MAX / sizeof(*records) || n > UINT32_MAX)
		goto done;
	if (n > 0 && (records = malloc(n * sizeof(*records))) == NULL)
		goto done;
	/* Listed by tag, so the kept ones stay in tag order. */
	for (i = k = 0; i < n; i++) {
		if (sigs[i].version != m->version) {
			if (store_signature_delete(
				ctx->store, m->id, sigs[i].tag) != STORE_OK)
				goto done;
			continue;
		}
		memcpy(records[k++], sigs[i].record, MEMO_RECORD_SEALED_BYTES);
	}
	if (current_anon(ctx, m, &as, &na) != 0 || na > UINT32_MAX)
		goto done;
	if (na > 0 && (refs = calloc(na, sizeof(*refs))) == NULL)
		goto done;
	for (i = 0; i < na; i++) {
		refs[i].sig = as[i].sig;
		refs[i].len = as[i].siglen;
	}
	memo_package_hash(m->package_hash, m->id, m->version_hash,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])records, k, refs, na);
	m->named_count = (uint32_t)k;
	m->anon_count = (uint32_t)na;
	ret = 0;

done:
	free(refs);
	store_anon_signatures_free(as, na);
	free(records);
	free(sigs);
	return (ret);
}

/* Append the memo_submitted event of ${m}; 0 or -1. */
static int
log_submitted(
    struct route_ctx *ctx, const struct store_memo *m, uint64_t *index)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = EVENT_MEMO_SUBMITTED;
	ev.time = (uint64_t)m->submitted_at;
	memcpy(ev.memo_id, m->id, sizeof(ev.memo_id));
	ev.memo_version = m->version;
	memcpy(ev.hash, m->version_hash, sizeof(ev.hash));
	ev.named = m->named_count;
	ev.anonymous = m->anon_count;
	memcpy(ev.package_hash, m->package_hash, sizeof(ev.package_hash));
	return (routes_log_append(ctx, &ev, index));
}

/**
 * routes_memos_submit(ctx):
 * POST /api/v1/memos/{id}/submit: freeze the current version and its
 * signatures, grant the memo to the channel, start the deadlines, log it
 * and answer with the receipt.
 */
void
routes_memos_submit(struct route_ctx *ctx)
{
	const struct submit_in *in = ctx->body;
	uint8_t key[STORE_GRANT_MAX], roster[STORE_GRANT_MAX];
	uint8_t chpk[KEYS_BOX_PK_BYTES];
	struct memoctx mc;
	enum memo_state next;
	int64_t created;
	uint64_t index, chindex;
	size_t keylen, rosterlen;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_SUBMIT, &mc) != 0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_SUBMIT, &next) != 0)
		return;
	if (sodium_memcmp(
		in->version_hash, mc.memo.version_hash, MEMO_HASH_BYTES) != 0) {
		http_reply_error(ctx->req, 409, "stale_version",
		    "version_hash is not the hash of the current version, %lu",
		    (unsigned long)mc.memo.version);
		return;
	}
	if (memoctx_sealed(ctx, "grants.key", in->grants.key, key, &keylen) !=
		0 ||
	    memoctx_sealed(ctx, "grants.roster", in->grants.roster, roster,
		&rosterlen) != 0)
		return;
	if ((rc = store_channel_key_get(
		 ctx->store, chpk, &chindex, &created)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 409, "no_channel_key",
		    "the channel has no key yet: a coordinator must create it "
		    "before memos can be submitted");
		return;
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "channel key");
		return;
	}

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		return;
	}
	mc.memo.state = next;
	mc.memo.submitted_at = ctx->now;
	if (freeze_signatures(ctx, &mc.memo) != 0 ||
	    memoctx_deadlines(ctx, &mc.memo) != 0 ||
	    memoctx_grant(ctx, mc.memo.id, STORE_RECIPIENT_CHANNEL,
		MEMO_GRANT_KEY, key, keylen) != 0 ||
	    memoctx_grant(ctx, mc.memo.id, STORE_RECIPIENT_CHANNEL,
		MEMO_GRANT_ROSTER, roster, rosterlen) != 0 ||
	    log_submitted(ctx, &mc.memo, &index) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "submission");
		return;
	}
	mc.memo.submit_log_index = index;
	if (store_memo_update(ctx->store, &mc.memo) != STORE_OK ||
	    memoctx_notify_role(ctx, ROLE_COORDINATOR, NOTIFY_NEW_ITEM) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "submission");
		return;
	}
	if (commit(ctx) != 0)
		return;
	memoctx_reply(ctx, 200, &mc, index);
}

/**
 * routes_memos_receipt(ctx):
 * GET /api/v1/memos/{id}/receipt: the receipt of the memo's submission.
 */
void
routes_memos_receipt(struct route_ctx *ctx)
{
	struct memoctx mc;
	json_t *r;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_META, &mc) != 0)
		return;
	if (mc.memo.submitted_at == 0) {
		http_reply_error(ctx->req, 404, "not_found",
		    "the memo has not been submitted");
		return;
	}
	if ((r = memoctx_receipt(ctx, mc.memo.submit_log_index)) == NULL) {
		routes_internal(ctx, "receipt");
		return;
	}
	(void)http_reply_json(ctx->req, 200, r);
}

/**
 * routes_memos_withdraw(ctx):
 * POST /api/v1/memos/{id}/withdraw: a drafter withdraws the memo (until
 * it is acknowledged), with a receipt.
 */
void
routes_memos_withdraw(struct route_ctx *ctx)
{
	struct memoctx mc;
	struct event ev;
	enum memo_state next;
	uint64_t index;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_WITHDRAW, &mc) != 0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_WITHDRAW, &next) != 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = EVENT_MEMO_WITHDRAWN;
	ev.time = (uint64_t)ctx->now;
	memcpy(ev.memo_id, mc.memo.id, sizeof(ev.memo_id));

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		return;
	}
	mc.memo.state = next;
	mc.memo.withdrawn_at = ctx->now;
	if (routes_log_append(ctx, &ev, &index) != 0 ||
	    store_memo_update(ctx->store, &mc.memo) != STORE_OK) {
		store_rollback(ctx->store);
		routes_internal(ctx, "withdrawal");
		return;
	}
	if (commit(ctx) != 0)
		return;
	memoctx_reply(ctx, 200, &mc, index);
}

/* Compare two member ids (qsort(), bsearch()). */
static int
member_id_cmp(const void *a, const void *b)
{

	return (strcmp((const char *)a, (const char *)b));
}

/*
 * The members of ${memo_id}'s drafting side (drafters, co-drafters and
 * invitees: every signer is one of them), sorted, into a malloc'd ${ids}
 * of ${n}.  Return 0 or -1.
 */
static int
drafting_side(struct route_ctx *ctx, const char *memo_id,
    char (**ids)[DIRECTORY_MEMBER_ID_LEN + 1], size_t *n)
{
	static const unsigned int rels[] = {
	    ACCESS_REL_DRAFTER, ACCESS_REL_CODRAFTER, ACCESS_REL_INVITEE};
	char(*part)[DIRECTORY_MEMBER_ID_LEN + 1] = NULL;
	char(*all)[DIRECTORY_MEMBER_ID_LEN + 1] = NULL;
	char(*grown)[DIRECTORY_MEMBER_ID_LEN + 1];
	size_t np, i;

	*ids = NULL;
	*n = 0;
	for (i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		if (store_memo_related(
			ctx->store, memo_id, rels[i], &part, &np) != STORE_OK)
			goto fail;
		if (np > 0) {
			if (np > SIZE_MAX / sizeof(*all) - *n ||
			    (grown = realloc(all, (*n + np) * sizeof(*all))) ==
				NULL)
				goto fail;
			all = grown;
			memcpy(all + *n, part, np * sizeof(*all));
			*n += np;
		}
		free(part);
		part = NULL;
	}
	if (*n > 0)
		qsort(all, *n, sizeof(*all), member_id_cmp);
	*ids = all;
	return (0);

fail:
	free(part);
	free(all);
	*n = 0;
	return (-1);
}

/**
 * routes_memos_accesses(ctx):
 * GET /api/v1/memos/{id}/accesses: every recorded grant and access of the
 * memo, with the nonces that open their log commitments; to a caller who
 * is not a drafter (an auditor), those of the drafting side without
 * member or nonce, which would name a drafter or a signer.
 */
void
routes_memos_accesses(struct route_ctx *ctx)
{
	char nonce[B64_ENCODED_LEN(EVENT_NONCE_BYTES)];
	struct store_access *as = NULL;
	char(*side)[DIRECTORY_MEMBER_ID_LEN + 1] = NULL;
	struct memoctx mc;
	json_t *arr = NULL, *o;
	size_t n = 0, nside = 0, i;
	int withheld;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_ACCESSES, &mc) != 0)
		return;
	if (store_access_list(ctx->store, mc.memo.id, &as, &n) != STORE_OK) {
		routes_internal(ctx, "access list");
		return;
	}
	if (!(mc.rel & (ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER)) &&
	    drafting_side(ctx, mc.memo.id, &side, &nside) != 0)
		goto fail;
	if ((arr = json_array()) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		withheld =
		    nside > 0 && bsearch(as[i].member_id, side, nside,
				     sizeof(*side), member_id_cmp) != NULL;
		routes_b64(
		    nonce, sizeof(nonce), as[i].nonce, sizeof(as[i].nonce));
		o = json_pack("{s:s?,s:s,s:I,s:s?,s:I}", "member",
		    withheld ? NULL : as[i].member_id, "kind",
		    as[i].kind >= 0 &&
			    (size_t)as[i].kind <
				sizeof(access_kinds) / sizeof(access_kinds[0])
			? access_kinds[as[i].kind]
			: "unknown",
		    "at", (json_int_t)as[i].at, "nonce",
		    withheld ? NULL : nonce, "log_index",
		    (json_int_t)as[i].log_index);
		if (json_array_append_new(arr, o) != 0)
			goto fail;
	}
	sodium_memzero(nonce, sizeof(nonce));
	free(side);
	free(as);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "accesses", arr));
	return;

fail:
	json_decref(arr);
	free(side);
	free(as);
	routes_internal(ctx, "access list");
}
