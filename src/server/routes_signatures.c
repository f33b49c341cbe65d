#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "event.h"
#include "memo.h"
#include "memoctx.h"
#include "routes.h"

/*
 * Named co-signatures (docs/API.md, "Signatures").  The server checks a
 * signature against the directory, then keeps only what it needs to refuse
 * a duplicate without knowing who signed: the keyed tag of the signer, the
 * version signed and the record sealed to the memo's roster key.  Nothing
 * about the signer is logged or stored in the clear.
 */

/* How far a signature's time may be from the server's clock. */
#define SIGN_TIME_SKEW 600

struct sign_in {
	int64_t version;
	uint8_t version_hash[MEMO_HASH_BYTES];
	int64_t time;
	uint8_t sig[KEYS_SIG_BYTES];
	uint8_t record[MEMO_RECORD_SEALED_BYTES];
};

static const struct jsonin_field sign_fields[] = {
    {.name = "version",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 1,
	.imax = UINT32_MAX,
	JSONIN_AT(struct sign_in, version)},
    {.name = "version_hash",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = MEMO_HASH_BYTES,
	JSONIN_AT(struct sign_in, version_hash)},
    {.name = "time",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 0,
	.imax = INT64_MAX,
	JSONIN_AT(struct sign_in, time)},
    {.name = "sig",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = KEYS_SIG_BYTES,
	JSONIN_AT(struct sign_in, sig)},
    {.name = "record",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = MEMO_RECORD_SEALED_BYTES,
	JSONIN_AT(struct sign_in, record)},
};
const struct jsonin_spec routes_signatures_add_spec =
    JSONIN_SPEC(struct sign_in, sign_fields);

/* Reply ${status} with {"counts": ...} of the memo ${mc} as it is now. */
/*
 * Reply ${status} with the counts of ${mc}'s memo, whose row was read
 * inside the transaction that just committed (a signature changes no memo
 * row, so it is not read again).
 */
static void
reply_counts(struct route_ctx *ctx, unsigned int status, struct memoctx *mc)
{
	json_t *c;

	if ((c = memoctx_counts_json(ctx, mc)) == NULL) {
		routes_internal(ctx, "counts");
		return;
	}
	(void)http_reply_json(
	    ctx->req, status, json_pack("{s:o}", "counts", c));
}

/*
 * Return 1 if the caller may sign ${memo}: active, eligible and of one of
 * its organisations.
 */
static int
caller_may_sign(struct route_ctx *ctx, const struct store_memo *memo)
{
	const struct store_member *me = ctx->me;
	size_t i;

	if (me->status != STORE_MEMBER_ACTIVE || !me->eligible ||
	    me->key_epoch == 0)
		return (0);
	for (i = 0; i < memo->neligible_orgs && i < MEMO_ORGS_MAX; i++)
		if (strcmp(memo->eligible_orgs[i], me->org_id) == 0)
			return (1);
	return (0);
}

/**
 * routes_signatures_add(ctx):
 * POST /api/v1/memos/{id}/signatures: the caller's named signature over
 * the current version, verified against the directory; one per member,
 * replacing one over an earlier version.
 */
/* What a signature's group member found. */
enum sign_outcome { SIGN_STORED, SIGN_CHANGED, SIGN_ALREADY, SIGN_FAILED };

struct sign_member {
	struct memoctx *mc;
	const struct store_signature *sig;
	enum sign_outcome outcome;
};

/*
 * A store_group_run() member (possibly on another thread): re-read the
 * memo inside the transaction, refuse a second signature over the same
 * version, store the signature.  Return 0 to keep it, 1 to undo.
 */
static int
sign_member(struct store *s, void *p)
{
	struct sign_member *m = p;
	struct store_signature cur;
	int rc;

	if ((rc = memoctx_same(s, m->mc)) != STORE_OK) {
		m->outcome = rc == STORE_CONFLICT ? SIGN_CHANGED : SIGN_FAILED;
		return (1);
	}
	rc = store_signature_get(s, m->mc->memo.id, m->sig->tag, &cur);
	if (rc == STORE_OK && cur.version == m->mc->memo.version) {
		m->outcome = SIGN_ALREADY;
		return (1);
	}
	if ((rc != STORE_OK && rc != STORE_NOTFOUND) ||
	    store_signature_put(s, m->mc->memo.id, m->sig) != STORE_OK) {
		m->outcome = SIGN_FAILED;
		return (1);
	}
	m->outcome = SIGN_STORED;
	return (0);
}

void
routes_signatures_add(struct route_ctx *ctx)
{
	const struct sign_in *in = ctx->body;
	struct store_signature sig;
	struct memo_signature s;
	struct sign_member member;
	struct memoctx mc;
	enum memo_state next;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_SIGN, &mc) != 0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_SIGN, &next) != 0)
		return;
	if (in->version != (int64_t)mc.memo.version ||
	    sodium_memcmp(
		in->version_hash, mc.memo.version_hash, MEMO_HASH_BYTES) != 0) {
		http_reply_error(ctx->req, 409, "stale_version",
		    "the current version is %lu: sign that one",
		    (unsigned long)mc.memo.version);
		return;
	}
	if (in->time < ctx->now - SIGN_TIME_SKEW ||
	    in->time > ctx->now + SIGN_TIME_SKEW) {
		http_reply_error(ctx->req, 400, "bad_time",
		    "the signature's time must be within %d seconds of the "
		    "server's clock",
		    SIGN_TIME_SKEW);
		return;
	}
	if (!caller_may_sign(ctx, &mc.memo)) {
		http_reply_error(ctx->req, 403, "not_eligible",
		    "you may not sign this memo: not eligible, or not of one "
		    "of its organisations");
		return;
	}
	memset(&s, 0, sizeof(s));
	memcpy(s.memo_id, mc.memo.id, sizeof(s.memo_id));
	s.version = mc.memo.version;
	memcpy(s.version_hash, mc.memo.version_hash, sizeof(s.version_hash));
	memcpy(s.signer_id, ctx->me->id, strlen(ctx->me->id) + 1);
	s.key_epoch = ctx->me->key_epoch;
	s.time = (uint64_t)in->time;
	memcpy(s.sig, in->sig, sizeof(s.sig));
	if (memo_signature_verify(&s, ctx->me->keys.sign_pk) != 0) {
		http_reply_error(ctx->req, 400, "bad_signature",
		    "the signature does not verify under your current signing "
		    "key for this memo, version, member and time");
		goto done;
	}
	memset(&sig, 0, sizeof(sig));
	memo_signer_tag(sig.tag, ctx->signer_tag_key, mc.memo.id, ctx->me->id);
	sig.version = mc.memo.version;
	memcpy(sig.record, in->record, sizeof(sig.record));

	/*
	 * Group commit: concurrent signatures share one transaction and one
	 * sync to disk; nothing is answered before that commit is durable.
	 */
	member.mc = &mc;
	member.sig = &sig;
	member.outcome = SIGN_FAILED;
	if ((rc = store_group_run(ctx->store, sign_member, &member)) < 0) {
		routes_internal(ctx, "commit");
		goto done;
	}
	if (rc == 0) {
		reply_counts(ctx, 201, &mc);
		goto done;
	}
	switch (member.outcome) {
	case SIGN_CHANGED:
		memoctx_same_reply(ctx, STORE_CONFLICT);
		break;
	case SIGN_ALREADY:
		http_reply_error(ctx->req, 409, "already_signed",
		    "you have already signed the current version");
		break;
	case SIGN_STORED:
	case SIGN_FAILED:
		routes_internal(ctx, "signature");
		break;
	}

done:
	sodium_memzero(&s, sizeof(s));
}

/**
 * routes_signatures_remove(ctx):
 * DELETE /api/v1/memos/{id}/signatures/mine: the caller withdraws their
 * signature before submission.
 */
void
routes_signatures_remove(struct route_ctx *ctx)
{
	uint8_t tag[MEMO_HASH_BYTES];
	struct memoctx mc;
	enum memo_state next;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_SIGN, &mc) != 0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_UNSIGN, &next) != 0)
		return;
	memo_signer_tag(tag, ctx->signer_tag_key, mc.memo.id, ctx->me->id);
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		return;
	}
	if ((rc = store_signature_delete(ctx->store, mc.memo.id, tag)) !=
	    STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_NOTFOUND)
			http_reply_error(ctx->req, 404, "not_found",
			    "you have not signed this memo");
		else
			routes_internal(ctx, "signature delete");
		return;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		return;
	}
	reply_counts(ctx, 200, &mc);
}

/**
 * routes_signatures_strike(ctx):
 * DELETE /api/v1/memos/{id}/signatures/{tag}: a drafter strikes the named
 * signature whose tag is given (base64url), before submission: the way
 * to remove a record that does not verify.
 */
void
routes_signatures_strike(struct route_ctx *ctx)
{
	uint8_t tag[MEMO_HASH_BYTES];
	struct memoctx mc;
	enum memo_state next;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_EDIT, &mc) != 0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_UNSIGN, &next) != 0)
		return;
	if (b64_decode_exact(tag, sizeof(tag), ctx->params[1]) != 0) {
		http_reply_error(
		    ctx->req, 404, "not_found", "no such signature");
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
	if ((rc = store_signature_delete(ctx->store, mc.memo.id, tag)) !=
	    STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_NOTFOUND)
			http_reply_error(
			    ctx->req, 404, "not_found", "no such signature");
		else
			routes_internal(ctx, "signature delete");
		return;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		return;
	}
	reply_counts(ctx, 200, &mc);
}

/**
 * routes_signatures_list(ctx):
 * GET /api/v1/memos/{id}/signatures: the counts, and to those who may see
 * signers the sealed records ordered by tag, each with its tag for the
 * drafters (after recording the access).
 */
void
routes_signatures_list(struct route_ctx *ctx)
{
	char rec[B64_ENCODED_LEN(MEMO_RECORD_SEALED_BYTES)];
	char tag[B64_ENCODED_LEN(MEMO_HASH_BYTES)];
	struct store_signature *sigs = NULL;
	struct memoctx mc;
	json_t *counts = NULL, *records = NULL, *o;
	size_t n = 0, i;
	int drafting;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_META, &mc) != 0)
		return;
	if ((counts = memoctx_counts_json(ctx, &mc)) == NULL)
		goto fail;
	if (!access_memo_allowed(ACCESS_OP_SIGNERS, mc.rel, mc.flags)) {
		(void)http_reply_json(ctx->req, 200,
		    json_pack("{s:I,s:o,s:n}", "version",
			(json_int_t)mc.memo.version, "counts", counts,
			"records"));
		return;
	}
	/* After submission only the frozen signatures remain. */
	if (store_signature_list(ctx->store, mc.memo.id, 0, &sigs, &n) !=
		STORE_OK ||
	    (records = json_array()) == NULL)
		goto fail;
	/* A drafter strikes a record by its tag (one that does not open). */
	drafting = (mc.rel & (ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER)) != 0;
	for (i = 0; i < n; i++) {
		routes_b64(
		    rec, sizeof(rec), sigs[i].record, sizeof(sigs[i].record));
		routes_b64(tag, sizeof(tag), sigs[i].tag, sizeof(sigs[i].tag));
		o = json_pack("{s:I,s:s}", "version",
		    (json_int_t)sigs[i].version, "record", rec);
		if (o != NULL && drafting &&
		    json_object_set_new(o, "tag", json_string(tag)) != 0) {
			json_decref(o);
			goto fail;
		}
		if (json_array_append_new(records, o) != 0)
			goto fail;
	}

	/* The access is on record before anything is sent. */
	if (store_begin(ctx->store) != 0)
		goto fail;
	if (memoctx_access(ctx, mc.memo.id, EVENT_ACCESS_SIGNERS) != 0) {
		store_rollback(ctx->store);
		goto fail;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		goto fail;
	}
	free(sigs);
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:I,s:o,s:o}", "version", (json_int_t)mc.memo.version,
		"counts", counts, "records", records));
	return;

fail:
	json_decref(counts);
	json_decref(records);
	free(sigs);
	routes_internal(ctx, "signature list");
}
