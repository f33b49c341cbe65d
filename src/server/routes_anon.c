#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "lifecycle.h"
#include "memo.h"
#include "memoctx.h"
#include "ring.h"
#include "routes.h"

/*
 * Anonymous co-signatures (docs/API.md, "Anonymous signatures"): the ring
 * snapshot pinned when a memo was opened, and linkable ring signatures
 * (ring.h) posted without a session.  The posting routes are public: they
 * refuse any request that carries a session cookie or an Authorization
 * header, forget the peer's address once the rate limiter has used it, and
 * keep of a signature only what verifying it needs (store.h): the linking
 * tag, the version and its hash, the ring and the signature.  Whether the
 * ring is the memo's, whether the signature verifies and whether its tag
 * is new are checked before anything is written.
 */

/* Longest base64url text of a signature on the largest ring. */
#define SIG_TEXT_MAX MEMOCTX_B64_LEN(RING_SIG_BYTES(CONFIG_RING_MAX_LIMIT))

/*
 * Most bytes of signatures one GET anonymous-signatures reply carries
 * (well under HTTP_REPLY_MAX); "next" names where the following page
 * starts.
 */
#define LIST_REPLY_BUDGET (8u * 1024 * 1024)
/* JSON around one signature besides its ring and signature text. */
#define LIST_ENTRY_OVERHEAD 256

struct anon_sign_in {
	int64_t version;
	uint8_t version_hash[MEMO_HASH_BYTES];
	uint8_t ring[CONFIG_RING_MAX_LIMIT][RING_PK_BYTES];
	size_t nring;
	char signature[SIG_TEXT_MAX + 1];
};

static const struct jsonin_field anon_sign_fields[] = {
    {.name = "version",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 1,
	.imax = UINT32_MAX,
	JSONIN_AT(struct anon_sign_in, version)},
    {.name = "version_hash",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = MEMO_HASH_BYTES,
	JSONIN_AT(struct anon_sign_in, version_hash)},
    {.name = "ring",
	.type = JSONIN_B64S,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = CONFIG_RING_MAX_LIMIT,
	JSONIN_AT(struct anon_sign_in, ring),
	JSONIN_COUNT(struct anon_sign_in, nring)},
    {.name = "signature",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = SIG_TEXT_MAX,
	JSONIN_AT(struct anon_sign_in, signature)},
};
const struct jsonin_spec routes_anon_add_spec =
    JSONIN_SPEC(struct anon_sign_in, anon_sign_fields);

struct anon_withdraw_in {
	uint8_t ring[CONFIG_RING_MAX_LIMIT][RING_PK_BYTES];
	size_t nring;
	char signature[SIG_TEXT_MAX + 1];
};

static const struct jsonin_field anon_withdraw_fields[] = {
    {.name = "ring",
	.type = JSONIN_B64S,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = CONFIG_RING_MAX_LIMIT,
	JSONIN_AT(struct anon_withdraw_in, ring),
	JSONIN_COUNT(struct anon_withdraw_in, nring)},
    {.name = "signature",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = SIG_TEXT_MAX,
	JSONIN_AT(struct anon_withdraw_in, signature)},
};
const struct jsonin_spec routes_anon_withdraw_spec =
    JSONIN_SPEC(struct anon_withdraw_in, anon_withdraw_fields);

/*
 * Refuse a request that names its sender.  Before anything else, forget
 * the peer's address: the rate limiter has used it, and nothing after
 * (the request's log line included) is to know it.  Return 0, or -1 after
 * replying 400 identified_request.
 */
static int
unidentified(struct route_ctx *ctx)
{

	memset(&ctx->req->addr, 0, sizeof(ctx->req->addr));
	if (ctx->req->auth_source != HTTP_AUTH_NONE) {
		http_reply_error(ctx->req, 400, "identified_request",
		    "anonymous signatures must be sent without a session");
		return (-1);
	}
	return (0);
}

/*
 * For a request without a session: load memo ${id} into ${mc}, which must
 * be open and have a ring snapshot, whose log size goes to ${tree_size}.
 * Return 0, or -1 after replying.
 */
static int
load_open(struct route_ctx *ctx, const char *id, struct memoctx *mc,
    uint64_t *tree_size)
{
	const char *state;
	int rc;

	memset(mc, 0, sizeof(*mc));
	if (!memo_id_valid(id) || (rc = store_memo_get(ctx->store, id,
				       &mc->memo)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 404, "not_found", "no such memo");
		return (-1);
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "memo load");
		return (-1);
	}
	if (mc->memo.submitted_at != 0)
		mc->flags |= ACCESS_MEMO_SUBMITTED;
	if (mc->memo.state != MEMO_STATE_OPEN) {
		state = lifecycle_state_name(mc->memo.state);
		http_reply_error(ctx->req, 409, "invalid_state",
		    "a memo that is %s takes no anonymous signatures: only an "
		    "open one does",
		    state != NULL ? state : "in an unknown state");
		return (-1);
	}
	if ((rc = store_memo_ring_tree_size(
		 ctx->store, mc->memo.id, tree_size)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 409, "no_ring",
		    "this memo has no ring snapshot (it was opened before "
		    "anonymous signatures existed): it takes named signatures "
		    "only");
		return (-1);
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "ring snapshot");
		return (-1);
	}
	return (0);
}

/*
 * Check the ring ${ring} of ${n} keys for memo ${memo_id}: RING_MIN to
 * ${max} keys, strictly increasing by their bytes, each the ring key of a
 * member of the memo's snapshot.  Return 0, or -1 after replying 400
 * ring_not_eligible (or 500).
 */
static int
ring_acceptable(struct route_ctx *ctx, const char *memo_id,
    const uint8_t (*ring)[RING_PK_BYTES], size_t n, size_t max)
{
	size_t i;
	int rc;

	if (n < RING_MIN || n > max) {
		http_reply_error(ctx->req, 400, "ring_not_eligible",
		    "a ring has %d to %zu keys", RING_MIN, max);
		return (-1);
	}
	for (i = 1; i < n; i++) {
		if (memcmp(ring[i - 1], ring[i], RING_PK_BYTES) >= 0) {
			http_reply_error(ctx->req, 400, "ring_not_eligible",
			    "the ring's keys must be sorted by their bytes, "
			    "each once");
			return (-1);
		}
	}
	if ((rc = store_memo_ring_holds(ctx->store, memo_id, ring, n)) ==
	    STORE_NOTFOUND) {
		http_reply_error(ctx->req, 400, "ring_not_eligible",
		    "every key of the ring must be the ring key of a member "
		    "eligible for this memo when it was opened");
		return (-1);
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "ring membership");
		return (-1);
	}
	return (0);
}

/*
 * Decode the signature ${text} on a ring of ${n} keys (at most ${max}) into
 * a malloc'd ${sig} of ${len} bytes and read its linking tag into ${tag}.
 * Return 0, or -1 after replying 400 bad_signature (or 500).
 */
static int
sig_decode(struct route_ctx *ctx, const char *text, size_t n, size_t max,
    uint8_t **sig, size_t *len, uint8_t tag[RING_TAG_BYTES])
{
	size_t want = RING_SIG_BYTES(n), got;

	if ((*sig = malloc(want)) == NULL) {
		routes_internal(ctx, "out of memory");
		return (-1);
	}
	if (b64_decode_exact(*sig, want, text) != 0 ||
	    ring_sig_parse(*sig, want, max, &got, tag) != 0 || got != n) {
		free(*sig);
		*sig = NULL;
		http_reply_error(ctx->req, 400, "bad_signature",
		    "field \"signature\" must be the base64url of a ring "
		    "signature on the %zu keys of the ring",
		    n);
		return (-1);
	}
	*len = want;
	return (0);
}

/* Reply ${status} with {"counts": ...} of ${mc}'s memo as it is now. */
static void
reply_counts(
    struct route_ctx *ctx, unsigned int status, struct memoctx *mc, json_t *tag)
{
	char id[MEMO_ID_LEN + 1];
	json_t *c, *o;

	/* The id is copied out: the store fills the memo from the start. */
	memcpy(id, mc->memo.id, sizeof(id));
	if (store_memo_get(ctx->store, id, &mc->memo) != STORE_OK ||
	    (c = memoctx_counts_json(ctx, mc)) == NULL) {
		json_decref(tag);
		routes_internal(ctx, "counts");
		return;
	}
	if (tag != NULL)
		o = json_pack("{s:o,s:o}", "counts", c, "tag", tag);
	else
		o = json_pack("{s:o}", "counts", c);
	(void)http_reply_json(ctx->req, status, o);
}

/* A JSON string of the base64url of the ${n} bytes ${p}, or NULL. */
static json_t *
b64_json(const uint8_t *p, size_t n)
{
	char *text;
	json_t *s;

	if ((text = malloc(B64_ENCODED_LEN(n))) == NULL)
		return (NULL);
	routes_b64(text, B64_ENCODED_LEN(n), p, n);
	s = json_string(text);
	free(text);
	return (s);
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
 * routes_anon_add(ctx):
 * POST /api/v1/memos/{id}/anonymous-signatures: an anonymous signature
 * over the current version, sent without a session, on a ring of the
 * memo's snapshot; one per linking tag, replacing one over an earlier
 * version.
 */
void
routes_anon_add(struct route_ctx *ctx)
{
	struct anon_sign_in *in = ctx->body;
	uint8_t binding[RING_BINDING_BYTES], tag[RING_TAG_BYTES];
	struct store_anon_signature cur, a;
	struct memoctx mc;
	uint64_t tree_size;
	uint8_t *sig = NULL;
	size_t siglen;
	int rc;

	if (unidentified(ctx) != 0 ||
	    load_open(ctx, ctx->params[0], &mc, &tree_size) != 0)
		return;
	if (in->version != (int64_t)mc.memo.version ||
	    sodium_memcmp(
		in->version_hash, mc.memo.version_hash, MEMO_HASH_BYTES) != 0) {
		http_reply_error(ctx->req, 409, "stale_version",
		    "the current version is %lu: sign that one",
		    (unsigned long)mc.memo.version);
		return;
	}
	if (ring_acceptable(ctx, mc.memo.id,
		(const uint8_t(*)[RING_PK_BYTES])in->ring, in->nring,
		ctx->cfg->ring_max) != 0 ||
	    sig_decode(ctx, in->signature, in->nring, ctx->cfg->ring_max, &sig,
		&siglen, tag) != 0)
		return;
	ring_binding_version(binding, mc.memo.version_hash);
	if (ring_verify(sig, siglen, (const uint8_t(*)[RING_PK_BYTES])in->ring,
		in->nring, ctx->cfg->ring_max, mc.memo.id, binding, tree_size,
		NULL) != 0) {
		http_reply_error(ctx->req, 400, "bad_signature",
		    "the signature does not verify for this memo, its current "
		    "version, this ring and the snapshot's tree size");
		goto done;
	}
	memset(&a, 0, sizeof(a));
	memcpy(a.tag, tag, sizeof(a.tag));
	a.version = mc.memo.version;
	memcpy(a.version_hash, mc.memo.version_hash, sizeof(a.version_hash));
	a.ring = in->ring;
	a.nring = in->nring;
	a.sig = sig;
	a.siglen = siglen;

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		goto done;
	}
	rc = store_anon_signature_get(ctx->store, mc.memo.id, tag, &cur);
	if (rc == STORE_OK && cur.version == mc.memo.version) {
		store_anon_signature_clear(&cur);
		store_rollback(ctx->store);
		http_reply_error(ctx->req, 409, "already_signed",
		    "this linking tag has already signed the current version");
		goto done;
	}
	store_anon_signature_clear(&cur);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		store_rollback(ctx->store);
		routes_internal(ctx, "anonymous signature");
		goto done;
	}
	if ((rc = store_anon_signature_put(ctx->store, mc.memo.id, &a)) !=
	    STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_CONFLICT)
			http_reply_error(ctx->req, 409, "conflict",
			    "the memo holds the most anonymous signatures it "
			    "can (%d)",
			    STORE_ANON_SIGNATURES_MAX);
		else
			routes_internal(ctx, "anonymous signature");
		goto done;
	}
	if (commit(ctx) != 0)
		goto done;
	reply_counts(ctx, 201, &mc, b64_json(tag, sizeof(tag)));

done:
	free(sig);
}

/**
 * routes_anon_withdraw(ctx):
 * POST /api/v1/memos/{id}/anonymous-signatures/withdraw: withdraw the
 * anonymous signature whose linking tag the posted withdrawal carries,
 * made over the same ring, sent without a session.
 */
void
routes_anon_withdraw(struct route_ctx *ctx)
{
	struct anon_withdraw_in *in = ctx->body;
	uint8_t binding[RING_BINDING_BYTES], tag[RING_TAG_BYTES];
	struct store_anon_signature cur;
	struct memoctx mc;
	uint64_t tree_size;
	uint8_t *sig = NULL;
	size_t siglen;
	int rc;

	memset(&cur, 0, sizeof(cur));
	if (unidentified(ctx) != 0 ||
	    load_open(ctx, ctx->params[0], &mc, &tree_size) != 0)
		return;
	/*
	 * The ring must be that of the signature withdrawn, accepted under
	 * the configuration of its day: only the protocol's limit applies.
	 */
	if (ring_acceptable(ctx, mc.memo.id,
		(const uint8_t(*)[RING_PK_BYTES])in->ring, in->nring,
		CONFIG_RING_MAX_LIMIT) != 0 ||
	    sig_decode(ctx, in->signature, in->nring, CONFIG_RING_MAX_LIMIT,
		&sig, &siglen, tag) != 0)
		return;
	if ((rc = store_anon_signature_get(
		 ctx->store, mc.memo.id, tag, &cur)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 404, "not_found",
		    "no anonymous signature on this memo carries this linking "
		    "tag");
		goto done;
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "anonymous signature");
		goto done;
	}
	if (cur.nring != in->nring ||
	    memcmp(cur.ring, in->ring, in->nring * RING_PK_BYTES) != 0) {
		http_reply_error(ctx->req, 400, "bad_signature",
		    "a withdrawal must be made over the ring of the signature "
		    "it withdraws");
		goto done;
	}
	if (ring_binding_withdrawal(
		binding, cur.version_hash, cur.sig, cur.siglen) != 0) {
		routes_internal(ctx, "withdrawal binding");
		goto done;
	}
	if (ring_verify(sig, siglen, (const uint8_t(*)[RING_PK_BYTES])in->ring,
		in->nring, CONFIG_RING_MAX_LIMIT, mc.memo.id, binding,
		tree_size, NULL) != 0) {
		http_reply_error(ctx->req, 400, "bad_signature",
		    "the withdrawal does not verify for this memo, the "
		    "signature it names, this ring and the snapshot's tree "
		    "size");
		goto done;
	}

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		goto done;
	}
	if ((rc = store_anon_signature_delete(ctx->store, mc.memo.id, tag)) !=
	    STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_NOTFOUND)
			http_reply_error(ctx->req, 404, "not_found",
			    "no anonymous signature on this memo carries this "
			    "linking tag");
		else
			routes_internal(ctx, "anonymous signature delete");
		goto done;
	}
	if (commit(ctx) != 0)
		goto done;
	reply_counts(ctx, 200, &mc, NULL);

done:
	store_anon_signature_clear(&cur);
	free(sig);
}

/* The Member-of-a-ring object of ${m}, or NULL. */
static json_t *
ring_member_json(const struct store_ring_member *m)
{

	return (json_pack("{s:s,s:I,s:o,s:o,s:o}", "member", m->member_id,
	    "epoch", (json_int_t)m->epoch, "sign_pk",
	    b64_json(m->keys.sign_pk, sizeof(m->keys.sign_pk)), "box_pk",
	    b64_json(m->keys.box_pk, sizeof(m->keys.box_pk)), "ring_pk",
	    b64_json(m->keys.ring_pk, sizeof(m->keys.ring_pk))));
}

/**
 * routes_anon_ring(ctx):
 * GET /api/v1/memos/{id}/ring: the memo's ring snapshot (its log size and
 * members, by ring key) with the configured ring maximum and warning
 * threshold.
 */
void
routes_anon_ring(struct route_ctx *ctx)
{
	struct store_ring_member *ms = NULL;
	struct memoctx mc;
	uint64_t tree_size;
	json_t *arr = NULL;
	size_t n = 0, i;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_META, &mc) != 0)
		return;
	if ((rc = store_memo_ring(ctx->store, mc.memo.id, &tree_size, &ms,
		 &n)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 409, "no_ring",
		    "this memo has no ring snapshot: it has not been opened, "
		    "or was opened before anonymous signatures existed");
		return;
	}
	if (rc != STORE_OK || (arr = json_array()) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (json_array_append_new(arr, ring_member_json(&ms[i])) != 0)
			goto fail;
	free(ms);
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:I,s:I,s:I,s:o}", "tree_size", (json_int_t)tree_size,
		"max", (json_int_t)ctx->cfg->ring_max, "min_warn",
		(json_int_t)ctx->cfg->ring_min_warn, "members", arr));
	return;

fail:
	json_decref(arr);
	free(ms);
	routes_internal(ctx, "ring snapshot");
}

/* The JSON of the stored anonymous signature ${a}, or NULL. */
static json_t *
anon_json(const struct store_anon_signature *a)
{
	json_t *ring, *o;
	size_t i;

	if ((ring = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < a->nring; i++) {
		if (json_array_append_new(
			ring, b64_json(a->ring[i], RING_PK_BYTES)) != 0) {
			json_decref(ring);
			return (NULL);
		}
	}
	o = json_pack("{s:I,s:o,s:o,s:o,s:o}", "version",
	    (json_int_t)a->version, "version_hash",
	    b64_json(a->version_hash, sizeof(a->version_hash)), "ring", ring,
	    "signature", b64_json(a->sig, a->siglen), "tag",
	    b64_json(a->tag, sizeof(a->tag)));
	return (o);
}

/*
 * Append to ${arr} the anonymous signatures of ${memo_id} after the tag
 * ${after} (NULL: from the first) up to LIST_REPLY_BUDGET bytes; store in
 * ${next} the tag of the last one appended if more remain, else leave it
 * JSON null.  Return 0, or -1.
 */
static int
list_page(struct route_ctx *ctx, const char *memo_id, const uint8_t *after,
    json_t *arr, json_t **next)
{
	struct store_anon_signature *as = NULL;
	uint8_t cursor[RING_TAG_BYTES];
	const uint8_t *from = after;
	size_t n = 0, i, used = 0, cost;
	json_t *o;

	for (;;) {
		if (store_anon_signature_page(ctx->store, memo_id, from,
			STORE_ANON_PAGE_MAX, &as, &n) != STORE_OK)
			return (-1);
		for (i = 0; i < n; i++) {
			cost =
			    LIST_ENTRY_OVERHEAD +
			    as[i].nring * (MEMOCTX_B64_LEN(RING_PK_BYTES) + 3) +
			    MEMOCTX_B64_LEN(as[i].siglen);
			/* Always at least one, so that every page moves on. */
			if (used > 0 && cost > LIST_REPLY_BUDGET - used) {
				json_decref(*next);
				if ((*next = b64_json(
					 cursor, sizeof(cursor))) == NULL)
					goto fail;
				store_anon_signatures_free(as, n);
				return (0);
			}
			used = cost > LIST_REPLY_BUDGET - used
				   ? LIST_REPLY_BUDGET
				   : used + cost;
			if ((o = anon_json(&as[i])) == NULL ||
			    json_array_append_new(arr, o) != 0)
				goto fail;
			memcpy(cursor, as[i].tag, sizeof(cursor));
		}
		store_anon_signatures_free(as, n);
		as = NULL;
		if (n < STORE_ANON_PAGE_MAX)
			return (0);
		from = cursor;
	}

fail:
	store_anon_signatures_free(as, n);
	return (-1);
}

/**
 * routes_anon_list(ctx):
 * GET /api/v1/memos/{id}/anonymous-signatures[?after=TAG]: the snapshot's
 * log size and the memo's anonymous signatures by tag (after submission,
 * the frozen ones), as many as fit one reply; "next" names the tag to ask
 * for the rest after.
 */
void
routes_anon_list(struct route_ctx *ctx)
{
	static const char *const allowed[] = {"after"};
	uint8_t after[RING_TAG_BYTES];
	struct memoctx mc;
	uint64_t tree_size;
	const char *v;
	char bad[40];
	json_t *arr = NULL, *next = NULL, *size;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_META, &mc) != 0)
		return;
	if (http_query_check(ctx->req, allowed, 1, bad, sizeof(bad)) != 0) {
		http_reply_error(ctx->req, 400, "unknown_field",
		    "unknown or repeated query parameter \"%s\"", bad);
		return;
	}
	if ((v = http_query_get(ctx->req, "after")) != NULL &&
	    b64_decode_exact(after, sizeof(after), v) != 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "query parameter \"after\" must be the base64url of a "
		    "linking tag (%d bytes)",
		    RING_TAG_BYTES);
		return;
	}
	rc = store_memo_ring_tree_size(ctx->store, mc.memo.id, &tree_size);
	if (rc == STORE_OK)
		size = json_integer((json_int_t)tree_size);
	else if (rc == STORE_NOTFOUND)
		size = json_null();
	else
		goto fail;
	if ((arr = json_array()) == NULL || (next = json_null()) == NULL ||
	    list_page(ctx, mc.memo.id, v != NULL ? after : NULL, arr, &next) !=
		0) {
		json_decref(size);
		goto fail;
	}
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:o,s:o,s:o}", "tree_size", size, "signatures", arr,
		"next", next));
	return;

fail:
	json_decref(arr);
	json_decref(next);
	routes_internal(ctx, "anonymous signature list");
}
