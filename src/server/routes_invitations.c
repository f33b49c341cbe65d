#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "memo.h"
#include "memoctx.h"
#include "notify.h"
#include "routes.h"

/*
 * Invitations (docs/API.md, "Invitations"): never a public link, always a
 * named member, with the memo key sealed to them by the inviter's client.
 */

struct invite_grants_in {
	char key[MEMOCTX_SEALED_TEXT_MAX + 1];
	char roster[MEMOCTX_SEALED_TEXT_MAX + 1];
	int has_roster;
};

static const struct jsonin_field invite_grants_fields[] = {
    {.name = "key",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMOCTX_SEALED_TEXT_MAX,
	JSONIN_AT(struct invite_grants_in, key)},
    {.name = "roster",
	.type = JSONIN_STRING,
	.min = 1,
	.max = MEMOCTX_SEALED_TEXT_MAX,
	JSONIN_AT(struct invite_grants_in, roster),
	JSONIN_PRESENT(struct invite_grants_in, has_roster)},
};
static const struct jsonin_spec invite_grants_spec =
    JSONIN_SPEC(struct invite_grants_in, invite_grants_fields);

/* "signer" or "codrafter". */
#define AS_MAX 9

struct invite_in {
	char member[DIRECTORY_MEMBER_ID_LEN + 1];
	char as[AS_MAX + 1];
	struct invite_grants_in grants;
};

static const struct jsonin_field invite_fields[] = {
    {.name = "member",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_MEMBER_ID_LEN,
	JSONIN_AT(struct invite_in, member)},
    {.name = "as",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = AS_MAX,
	JSONIN_AT(struct invite_in, as)},
    {.name = "grants",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &invite_grants_spec,
	JSONIN_AT(struct invite_in, grants)},
};
const struct jsonin_spec routes_invitations_create_spec =
    JSONIN_SPEC(struct invite_in, invite_fields);

/*
 * Return 1 if member ${m} may sign memo ${memo}: eligible and of one of its
 * organisations.
 */
static int
may_sign(const struct store_member *m, const struct store_memo *memo)
{
	size_t i;

	if (!m->eligible)
		return (0);
	for (i = 0; i < memo->neligible_orgs && i < MEMO_ORGS_MAX; i++)
		if (strcmp(memo->eligible_orgs[i], m->org_id) == 0)
			return (1);
	return (0);
}

/*
 * Look up the invitee ${id} and check it can be invited to ${memo} (as a
 * signer if ${signer}).  Return 0, or -1 after replying.
 */
static int
invitee_acceptable(struct route_ctx *ctx, const char *id, int signer,
    const struct store_memo *memo, struct store_member *m)
{
	int rc;

	if (!directory_member_id_valid(id) ||
	    (rc = store_member_get(ctx->store, id, m)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"member\" names no member");
		return (-1);
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "member lookup");
		return (-1);
	}
	if (strcmp(m->id, ctx->me->id) == 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"member\": you cannot invite yourself");
		return (-1);
	}
	if (m->status != STORE_MEMBER_ACTIVE || (m->roles & ROLE_ADMIN)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"member\" must name an active member who is not an "
		    "admin");
		return (-1);
	}
	if (signer && !may_sign(m, memo)) {
		http_reply_error(ctx->req, 400, "not_eligible",
		    "the member may not sign this memo: not eligible, or not "
		    "of one of its organisations");
		return (-1);
	}
	return (0);
}

/*
 * Inside the caller's transaction: record the released grant ${sealed}
 * (${len} bytes) of ${purpose} on ${memo_id} to ${member} unless one
 * exists, which an invitation never replaces.  Return 0 or -1.
 */
static int
grant_if_missing(struct route_ctx *ctx, const char *memo_id, const char *member,
    const char *purpose, const uint8_t *sealed, size_t len)
{
	struct store_grant g;
	int rc;

	rc = store_grant_get(ctx->store, memo_id, member, purpose, &g);
	sodium_memzero(&g, sizeof(g));
	if (rc == STORE_OK)
		return (0);
	if (rc != STORE_NOTFOUND)
		return (-1);
	return (memoctx_grant(ctx, memo_id, member, purpose, sealed, len));
}

/* Reply 201 with the Invitation of ${m} to ${memo_id}. */
static void
reply_invitation(
    struct route_ctx *ctx, const char *memo_id, const char *m, int signer)
{

	(void)http_reply_json(ctx->req, 201,
	    json_pack("{s:{s:s,s:s,s:s}}", "invitation", "memo", memo_id,
		"member", m, "as", signer ? "signer" : "codrafter"));
}

/**
 * routes_invitations_create(ctx):
 * POST /api/v1/memos/{id}/invitations: invite a member to sign or to
 * co-draft, recording their relation and grants and notifying them.  A
 * member who drafts, co-drafts or was invited already keeps their grants:
 * only an invitee invited again as a co-drafter (by a drafter) changes,
 * gaining the relation and a roster grant if they had none.
 */
void
routes_invitations_create(struct route_ctx *ctx)
{
	const struct invite_in *in = ctx->body;
	uint8_t key[STORE_GRANT_MAX], roster[STORE_GRANT_MAX];
	struct store_member m;
	struct memoctx mc;
	enum memo_state next;
	unsigned int rel;
	size_t keylen, rosterlen = 0;
	int signer;

	if (strcmp(in->as, "signer") == 0)
		signer = 1;
	else if (strcmp(in->as, "codrafter") == 0)
		signer = 0;
	else {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"as\" must be \"signer\" or \"codrafter\"");
		return;
	}
	if (memoctx_load(ctx, ctx->params[0],
		signer ? ACCESS_OP_INVITE_SIGNER : ACCESS_OP_INVITE_CODRAFTER,
		&mc) != 0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_INVITE, &next) != 0 ||
	    invitee_acceptable(ctx, in->member, signer, &mc.memo, &m) != 0)
		return;
	/* The roster key opens signer records: co-drafters, or all signers
	 * when the drafters show names. */
	if (!signer && !in->grants.has_roster) {
		http_reply_error(ctx->req, 400, "missing_field",
		    "field \"grants.roster\" is required for a co-drafter");
		return;
	}
	if (signer && in->grants.has_roster &&
	    !(mc.memo.flags & ACCESS_MEMO_SHOW_SIGNERS)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"grants.roster\": signers of this memo do not see "
		    "each other's names");
		return;
	}
	if (memoctx_sealed(ctx, "grants.key", in->grants.key, key, &keylen) !=
		0 ||
	    (in->grants.has_roster &&
		memoctx_sealed(ctx, "grants.roster", in->grants.roster, roster,
		    &rosterlen) != 0))
		return;

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		return;
	}
	if (store_memo_relations(ctx->store, mc.memo.id, m.id, &rel) !=
	    STORE_OK)
		goto fail;
	/*
	 * Nothing to add for a member who drafts, or who was invited and is
	 * not being made a co-drafter.  A drafter is told so; a signer who
	 * may invite gets the answer of any invitation, which therefore does
	 * not tell who drafts or who was invited.
	 */
	if ((rel & (ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER)) ||
	    ((rel & ACCESS_REL_INVITEE) && signer)) {
		store_rollback(ctx->store);
		if (mc.rel & (ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER))
			http_reply_error(ctx->req, 409, "already_invited",
			    "the member already drafts this memo or was "
			    "invited to it; their grants stay as they are");
		else
			reply_invitation(ctx, mc.memo.id, m.id, signer);
		goto done;
	}
	/* A new co-drafter is one more author (statistics suppress by it). */
	if (!signer) {
		mc.memo.authors++;
		if (store_memo_update(ctx->store, &mc.memo) != STORE_OK)
			goto fail;
	}
	if (store_memo_relate(ctx->store, mc.memo.id, m.id,
		signer ? ACCESS_REL_INVITEE : ACCESS_REL_CODRAFTER, ctx->me->id,
		ctx->now) != STORE_OK ||
	    grant_if_missing(
		ctx, mc.memo.id, m.id, MEMO_GRANT_KEY, key, keylen) != 0 ||
	    (rosterlen > 0 && grant_if_missing(ctx, mc.memo.id, m.id,
				  MEMO_GRANT_ROSTER, roster, rosterlen) != 0) ||
	    notify_queue(ctx->store, m.id, NOTIFY_NEW_ITEM, ctx->now) != 0)
		goto fail;
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		goto done;
	}
	reply_invitation(ctx, mc.memo.id, m.id, signer);
	goto done;

fail:
	store_rollback(ctx->store);
	routes_internal(ctx, "invitation");
done:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(roster, sizeof(roster));
}

/**
 * routes_invitations_list(ctx):
 * GET /api/v1/invitations: the open memos the caller was invited to (or
 * co-drafts) whose current version the caller has not signed.
 */
void
routes_invitations_list(struct route_ctx *ctx)
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
		if (ms[i].state != MEMO_STATE_OPEN)
			continue;
		if (memoctx_relate(ctx, &ms[i], &mc) != 0)
			goto fail;
		if (!(mc.rel & (ACCESS_REL_INVITEE | ACCESS_REL_CODRAFTER)) ||
		    mc.signed_state == 2)
			continue;
		if ((o = memoctx_json(ctx, &mc)) == NULL ||
		    json_array_append_new(arr, json_pack("{s:o}", "memo", o)) !=
			0)
			goto fail;
	}
	free(ms);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "invitations", arr));
	return;

fail:
	json_decref(arr);
	free(ms);
	routes_internal(ctx, "invitation list");
}

struct roster_grant_in {
	char member[DIRECTORY_MEMBER_ID_LEN + 1];
	char sealed[MEMOCTX_SEALED_TEXT_MAX + 1];
};

static const struct jsonin_field roster_grant_fields[] = {
    {.name = "member",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_MEMBER_ID_LEN,
	JSONIN_AT(struct roster_grant_in, member)},
    {.name = "sealed",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMOCTX_SEALED_TEXT_MAX,
	JSONIN_AT(struct roster_grant_in, sealed)},
};
static const struct jsonin_spec roster_grant_spec =
    JSONIN_SPEC(struct roster_grant_in, roster_grant_fields);

struct roster_grants_in {
	struct roster_grant_in grants[ROUTES_ROSTER_GRANTS_MAX];
	size_t ngrants;
};

static const struct jsonin_field roster_grants_fields[] = {
    {.name = "grants",
	.type = JSONIN_OBJECTS,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = ROUTES_ROSTER_GRANTS_MAX,
	.sub = &roster_grant_spec,
	JSONIN_AT(struct roster_grants_in, grants),
	JSONIN_COUNT(struct roster_grants_in, ngrants)},
};
const struct jsonin_spec routes_invitations_roster_spec =
    JSONIN_SPEC(struct roster_grants_in, roster_grants_fields);

/*
 * Load memo ${id} for a drafter or co-drafter into ${mc} and check that
 * roster grants may be made: the memo is in draft or open and shows its
 * signers.  Return 0, or -1 after replying.
 */
static int
roster_load(struct route_ctx *ctx, const char *id, struct memoctx *mc)
{
	const char *state;

	if (memoctx_load(ctx, id, ACCESS_OP_SETTINGS, mc) != 0)
		return (-1);
	if (mc->memo.state != MEMO_STATE_DRAFT &&
	    mc->memo.state != MEMO_STATE_OPEN) {
		state = lifecycle_state_name(mc->memo.state);
		http_reply_error(ctx->req, 409, "invalid_state",
		    "roster grants cannot be made to a memo that is %s",
		    state != NULL ? state : "in an unknown state");
		return (-1);
	}
	if (!(mc->memo.flags & ACCESS_MEMO_SHOW_SIGNERS)) {
		http_reply_error(ctx->req, 409, "names_hidden",
		    "signers of this memo do not see each other's names");
		return (-1);
	}
	return (0);
}

/* What roster_state() finds. */
#define ROSTER_NOT_INVITEE 0
#define ROSTER_MISSING 1
#define ROSTER_HELD 2

/*
 * Inside the caller's transaction: store in ${st} whether the member
 * ${member} of ${memo_id} is no invitee (ROSTER_NOT_INVITEE), an invitee
 * holding no roster grant (ROSTER_MISSING) or one holding one
 * (ROSTER_HELD).  Return 0 or -1.
 */
static int
roster_state(
    struct route_ctx *ctx, const char *memo_id, const char *member, int *st)
{
	struct store_grant g;
	unsigned int rel;
	int rc;

	*st = ROSTER_NOT_INVITEE;
	if (store_memo_relations(ctx->store, memo_id, member, &rel) != STORE_OK)
		return (-1);
	if (!(rel & ACCESS_REL_INVITEE))
		return (0);
	rc =
	    store_grant_get(ctx->store, memo_id, member, MEMO_GRANT_ROSTER, &g);
	sodium_memzero(&g, sizeof(g));
	if (rc == STORE_NOTFOUND)
		*st = ROSTER_MISSING;
	else if (rc == STORE_OK)
		*st = ROSTER_HELD;
	else
		return (-1);
	return (0);
}

/**
 * routes_invitations_roster_list(ctx):
 * GET /api/v1/memos/{id}/roster-grants: the invitees of a memo that shows
 * its signers who hold no roster grant (drafters and co-drafters).
 */
void
routes_invitations_roster_list(struct route_ctx *ctx)
{
	char(*ids)[DIRECTORY_MEMBER_ID_LEN + 1] = NULL;
	struct memoctx mc;
	json_t *arr = NULL;
	size_t n = 0, i;
	int st;

	if (roster_load(ctx, ctx->params[0], &mc) != 0)
		return;
	if (store_memo_related(ctx->store, mc.memo.id, ACCESS_REL_INVITEE, &ids,
		&n) != STORE_OK) {
		routes_internal(ctx, "invitee list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		if (roster_state(ctx, mc.memo.id, ids[i], &st) != 0)
			goto fail;
		if (st == ROSTER_MISSING &&
		    json_array_append_new(arr, json_string(ids[i])) != 0)
			goto fail;
	}
	free(ids);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "missing", arr));
	return;

fail:
	json_decref(arr);
	free(ids);
	routes_internal(ctx, "roster grants");
}

/**
 * routes_invitations_roster_grant(ctx):
 * POST /api/v1/memos/{id}/roster-grants: record the roster grants a
 * drafter or co-drafter sealed to invitees who hold none, all or nothing,
 * while the memo shows its signers.
 */
void
routes_invitations_roster_grant(struct route_ctx *ctx)
{
	const struct roster_grants_in *in = ctx->body;
	uint8_t sealed[STORE_GRANT_MAX];
	char field[48];
	struct memoctx mc;
	size_t len, i, j;
	int st;

	if (roster_load(ctx, ctx->params[0], &mc) != 0)
		return;
	for (i = 0; i < in->ngrants; i++) {
		if (!directory_member_id_valid(in->grants[i].member)) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"grants[%zu].member\" names no member", i);
			return;
		}
		for (j = 0; j < i; j++)
			if (strcmp(in->grants[j].member,
				in->grants[i].member) == 0) {
				http_reply_error(ctx->req, 400, "invalid_field",
				    "field \"grants[%zu].member\" is named "
				    "twice",
				    i);
				return;
			}
	}
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		return;
	}
	for (i = 0; i < in->ngrants; i++) {
		(void)snprintf(field, sizeof(field), "grants[%zu].sealed", i);
		if (memoctx_sealed(
			ctx, field, in->grants[i].sealed, sealed, &len) != 0)
			goto refused;
		if (roster_state(ctx, mc.memo.id, in->grants[i].member, &st) !=
		    0)
			goto fail;
		if (st == ROSTER_NOT_INVITEE) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"grants[%zu].member\" names no invitee of "
			    "this memo",
			    i);
			goto refused;
		}
		if (st == ROSTER_HELD) {
			http_reply_error(ctx->req, 409, "already_granted",
			    "field \"grants[%zu].member\" names an invitee "
			    "who holds the roster key already; a grant is "
			    "never replaced",
			    i);
			goto refused;
		}
		if (memoctx_grant(ctx, mc.memo.id, in->grants[i].member,
			MEMO_GRANT_ROSTER, sealed, len) != 0)
			goto fail;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		goto done;
	}
	(void)http_reply_json(ctx->req, 201,
	    json_pack("{s:I}", "granted", (json_int_t)in->ngrants));
	goto done;

fail:
	store_rollback(ctx->store);
	routes_internal(ctx, "roster grants");
	goto done;
refused:
	store_rollback(ctx->store);
done:
	sodium_memzero(sealed, sizeof(sealed));
}
