#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "deadline.h"
#include "event.h"
#include "log.h"
#include "memo.h"
#include "memoctx.h"
#include "notify.h"

/* The stored relations a Memo object names, in this order. */
static const struct {
	unsigned int bit;
	const char *name;
} relation_names[] = {
    {ACCESS_REL_DRAFTER, "drafter"},
    {ACCESS_REL_CODRAFTER, "codrafter"},
    {ACCESS_REL_INVITEE, "invitee"},
    {ACCESS_REL_SIGNER, "signer"},
    {ACCESS_REL_ASSIGNEE, "assignee"},
    {ACCESS_REL_PRINCIPAL, "principal"},
};

/* Relations that a member holds on a memo by more than a role. */
#define REL_PERSONAL                                                           \
	(ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER | ACCESS_REL_INVITEE |      \
	    ACCESS_REL_SIGNER | ACCESS_REL_ASSIGNEE | ACCESS_REL_PRINCIPAL)

/* Log a failure ${what} of this module on route ${ctx}. */
static void
fail(struct route_ctx *ctx, const char *what)
{
	struct log_field f[2] = {
	    LOG_STR("route", ctx->req->route != NULL ? ctx->req->route : ""),
	    LOG_STR("what", what)};

	log_fields(LOG_ERROR, "memo", f, 2);
}

/*
 * Work out ${mc}'s relations, flags and the caller's signature state from
 * ${mc}->memo.  Return a STORE_* code.
 */
static int
relate(struct route_ctx *ctx, struct memoctx *mc)
{
	uint8_t tag[MEMO_HASH_BYTES];
	struct store_signature sig;
	unsigned int stored = 0;
	int rc;

	mc->rel = 0;
	mc->signed_state = 0;
	if (ctx->signer_tag_key == NULL) {
		fail(ctx, "no signer tag key");
		return (STORE_ERR);
	}
	if ((rc = store_memo_relations(
		 ctx->store, mc->memo.id, ctx->me->id, &stored)) != STORE_OK)
		return (rc);
	memo_signer_tag(tag, ctx->signer_tag_key, mc->memo.id, ctx->me->id);
	rc = store_signature_get(ctx->store, mc->memo.id, tag, &sig);
	if (rc == STORE_OK) {
		stored |= ACCESS_REL_SIGNER;
		mc->signed_state = sig.version == mc->memo.version ? 2 : 1;
	} else if (rc != STORE_NOTFOUND) {
		return (rc);
	}
	mc->rel = (stored & REL_PERSONAL) | access_rel_roles(ctx->me->roles);
	mc->flags = mc->memo.flags &
		    (ACCESS_MEMO_SHOW_SIGNERS | ACCESS_MEMO_SIGNERS_INVITE);
	/* Withdrawn before submission never reached the channel. */
	if (mc->memo.submitted_at != 0)
		mc->flags |= ACCESS_MEMO_SUBMITTED;
	sodium_memzero(&sig, sizeof(sig));
	return (STORE_OK);
}

/**
 * memoctx_load(ctx, id, op, mc):
 * Load memo ${id} for the caller into ${mc}.  Reply 404 if it does not
 * exist or the caller has no relation to it at all (channel roles count as
 * a relation only once the memo was submitted), 403 if the relations do not
 * allow ${op}.  Return 0, or -1 after replying.
 */
int
memoctx_load(struct route_ctx *ctx, const char *id, enum access_op op,
    struct memoctx *mc)
{
	int rc;

	memset(mc, 0, sizeof(*mc));
	if (!memo_id_valid(id)) {
		http_reply_error(ctx->req, 404, "not_found", "no such memo");
		return (-1);
	}
	if ((rc = store_memo_get(ctx->store, id, &mc->memo)) ==
	    STORE_NOTFOUND) {
		http_reply_error(ctx->req, 404, "not_found", "no such memo");
		return (-1);
	}
	if (rc != STORE_OK || (rc = relate(ctx, mc)) != STORE_OK) {
		routes_internal(ctx, "memo load");
		return (-1);
	}
	/*
	 * Whoever has no relation of their own learns nothing, not even that
	 * the memo exists; the channel's roles relate to it once submitted.
	 */
	if ((mc->rel & REL_PERSONAL) == 0 &&
	    ((mc->flags & ACCESS_MEMO_SUBMITTED) == 0 ||
		!access_memo_allowed(ACCESS_OP_META, mc->rel, mc->flags))) {
		http_reply_error(ctx->req, 404, "not_found", "no such memo");
		return (-1);
	}
	if (!access_memo_allowed(op, mc->rel, mc->flags)) {
		http_reply_error(ctx->req, 403, "forbidden",
		    "your relation to this memo does not allow this");
		return (-1);
	}
	return (0);
}

/**
 * memoctx_relate(ctx, m, mc):
 * Fill ${mc} for the caller from the memo ${m} already read (for lists),
 * without any access decision.  Return 0, or -1 after logging.
 */
int
memoctx_relate(
    struct route_ctx *ctx, const struct store_memo *m, struct memoctx *mc)
{

	memset(mc, 0, sizeof(*mc));
	mc->memo = *m;
	if (relate(ctx, mc) != STORE_OK) {
		fail(ctx, "memo relations");
		return (-1);
	}
	return (0);
}

/**
 * memoctx_same(s, mc):
 * Inside the caller's transaction on ${s}, read the memo again: return
 * STORE_OK with the fresh row in ${mc} if its state, current version and
 * flags are those ${mc} was decided on, STORE_CONFLICT if they changed (a
 * concurrent request won), or STORE_ERR.  Replies and logs nothing (for
 * store_group_run() members, which run on another thread).
 */
int
memoctx_same(struct store *s, struct memoctx *mc)
{
	struct store_memo cur;

	if (store_memo_get(s, mc->memo.id, &cur) != STORE_OK)
		return (STORE_ERR);
	if (cur.state != mc->memo.state || cur.version != mc->memo.version ||
	    cur.flags != mc->memo.flags)
		return (STORE_CONFLICT);
	mc->memo = cur;
	return (STORE_OK);
}

/**
 * memoctx_same_reply(ctx, rc):
 * Reply for memoctx_same()'s answer ${rc} when it is not STORE_OK: 409
 * conflict, or 500 after logging.
 */
void
memoctx_same_reply(struct route_ctx *ctx, int rc)
{

	if (rc == STORE_CONFLICT)
		http_reply_error(ctx->req, 409, "conflict",
		    "the memo changed meanwhile; read it again and retry");
	else
		routes_internal(ctx, "memo recheck");
}

/**
 * memoctx_recheck(ctx, mc):
 * Inside the caller's transaction, read the memo again into ${mc}, or
 * reply 409 conflict if its state, current version or flags changed since
 * ${mc} was loaded (a concurrent request won).  Return 0, or -1 after
 * replying (the caller rolls back).
 */
int
memoctx_recheck(struct route_ctx *ctx, struct memoctx *mc)
{
	int rc;

	if ((rc = memoctx_same(ctx->store, mc)) != STORE_OK) {
		memoctx_same_reply(ctx, rc);
		return (-1);
	}
	return (0);
}

/**
 * memoctx_transition(ctx, mc, action, next):
 * Store in ${next} the state ${action} leads to from ${mc}'s state; reply
 * 409 invalid_state (naming the state) if it is illegal.  Return 0, or -1
 * after replying.
 */
int
memoctx_transition(struct route_ctx *ctx, const struct memoctx *mc,
    enum memo_action action, enum memo_state *next)
{
	const char *state = lifecycle_state_name(mc->memo.state);
	const char *act = lifecycle_action_name(action);

	if (lifecycle_next(mc->memo.state, action, next) != 0) {
		http_reply_error(ctx->req, 409, "invalid_state",
		    "a memo that is %s cannot be given this action (%s)",
		    state != NULL ? state : "in an unknown state",
		    act != NULL ? act : "unknown");
		return (-1);
	}
	return (0);
}

/* A JSON string of the base64url of ${n} (at most 64) bytes ${p}. */
static json_t *
b64_json(const uint8_t *p, size_t n)
{
	char buf[B64_ENCODED_LEN(64)];

	routes_b64(buf, sizeof(buf), p, n);
	return (json_string(buf));
}

/**
 * memoctx_counts_json(ctx, mc):
 * The "counts" object of ${mc} ({"named","named_stale","anonymous",
 * "anonymous_stale"}: signatures over the current version and over earlier
 * ones; after submission the frozen counts), or NULL if the store fails or
 * memory runs out (after logging).
 */
json_t *
memoctx_counts_json(struct route_ctx *ctx, const struct memoctx *mc)
{
	const struct store_memo *m = &mc->memo;
	uint32_t current, all, anon, anon_all;

	if (mc->flags & ACCESS_MEMO_SUBMITTED)
		return (json_pack("{s:I,s:I,s:I,s:I}", "named",
		    (json_int_t)m->named_count, "named_stale", (json_int_t)0,
		    "anonymous", (json_int_t)m->anon_count, "anonymous_stale",
		    (json_int_t)0));
	if (store_signature_count(ctx->store, m->id, m->version, &current) !=
		STORE_OK ||
	    store_signature_count(ctx->store, m->id, 0, &all) != STORE_OK ||
	    store_anon_signature_count(ctx->store, m->id, m->version, &anon) !=
		STORE_OK ||
	    store_anon_signature_count(ctx->store, m->id, 0, &anon_all) !=
		STORE_OK) {
		fail(ctx, "signature count");
		return (NULL);
	}
	return (json_pack("{s:I,s:I,s:I,s:I}", "named", (json_int_t)current,
	    "named_stale", (json_int_t)(all >= current ? all - current : 0),
	    "anonymous", (json_int_t)anon, "anonymous_stale",
	    (json_int_t)(anon_all >= anon ? anon_all - anon : 0)));
}

/* The array of the names of ${rel}'s personal relations, or NULL. */
static json_t *
relations_json(unsigned int rel)
{
	json_t *arr;
	size_t i;

	if ((arr = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < sizeof(relation_names) / sizeof(relation_names[0]);
	     i++) {
		if ((rel & relation_names[i].bit) == 0)
			continue;
		if (json_array_append_new(
			arr, json_string(relation_names[i].name)) != 0) {
			json_decref(arr);
			return (NULL);
		}
	}
	return (arr);
}

/* The array of ${m}'s missed deadlines, or NULL. */
static json_t *
missed_json(const struct store_memo *m)
{
	json_t *arr;

	if ((arr = json_array()) == NULL)
		return (NULL);
	if (((m->missed & STORE_MISSED_ACK) &&
		json_array_append_new(arr, json_string("ack")) != 0) ||
	    ((m->missed & STORE_MISSED_REPLY) &&
		json_array_append_new(arr, json_string("reply")) != 0) ||
	    ((m->missed & STORE_MISSED_ESCALATION) &&
		json_array_append_new(arr, json_string("escalation")) != 0)) {
		json_decref(arr);
		return (NULL);
	}
	return (arr);
}

/* The array of ${m}'s eligible organisations, or NULL. */
static json_t *
orgs_json(const struct store_memo *m)
{
	json_t *arr;
	size_t i;

	if ((arr = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < m->neligible_orgs && i < MEMO_ORGS_MAX; i++) {
		if (json_array_append_new(
			arr, json_string(m->eligible_orgs[i])) != 0) {
			json_decref(arr);
			return (NULL);
		}
	}
	return (arr);
}

/**
 * memoctx_json(ctx, mc):
 * The Memo object (docs/API.md) of ${mc} as the caller may see it, or NULL
 * if out of memory or the store fails (after logging).
 */
json_t *
memoctx_json(struct route_ctx *ctx, const struct memoctx *mc)
{
	static const char *const signed_names[] = {"none", "stale", "current"};
	const struct store_memo *m = &mc->memo;
	const char *state = lifecycle_state_name(m->state);
	json_t *o, *counts, *assignee;
	int see_assignee;

	if ((counts = memoctx_counts_json(ctx, mc)) == NULL)
		return (NULL);
	/* Who drafts the channel's reply is the channel's business. */
	see_assignee =
	    (mc->rel & (ACCESS_REL_COORDINATOR | ACCESS_REL_DIRECTOR |
			   ACCESS_REL_ASSIGNEE)) != 0;
	assignee = see_assignee && m->assignee[0] != '\0'
		       ? json_string(m->assignee)
		       : json_null();
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:b,s:b,s:I,s:o,"
		      "s:I,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I},s:o,s:o,s:o,"
		      "s:o,s:s}",
	    "id", m->id, "state", state != NULL ? state : "unknown", "topic",
	    m->topic, "marking", m->marking, "org", m->org_id, "eligible_orgs",
	    orgs_json(m), "roster_pk",
	    b64_json(m->roster_pk, sizeof(m->roster_pk)), "show_signers",
	    (m->flags & ACCESS_MEMO_SHOW_SIGNERS) ? 1 : 0, "signers_may_invite",
	    (m->flags & ACCESS_MEMO_SIGNERS_INVITE) ? 1 : 0, "version",
	    (json_int_t)m->version, "version_hash",
	    b64_json(m->version_hash, sizeof(m->version_hash)), "created_at",
	    (json_int_t)m->created_at, "submitted_at",
	    (json_int_t)m->submitted_at, "acked_at", (json_int_t)m->acked_at,
	    "replied_at", (json_int_t)m->replied_at, "closed_at",
	    (json_int_t)m->closed_at, "withdrawn_at",
	    (json_int_t)m->withdrawn_at, "due", "ack", (json_int_t)m->ack_due,
	    "reply", (json_int_t)m->reply_due, "escalation",
	    (json_int_t)m->escalate_at, "missed", missed_json(m), "counts",
	    counts, "relations", relations_json(mc->rel), "assignee", assignee,
	    "signed",
	    signed_names[mc->signed_state >= 0 && mc->signed_state <= 2
			     ? mc->signed_state
			     : 0]);
	/* json_pack steals the "o" references even when it fails. */
	if (o == NULL)
		fail(ctx, "out of memory");
	return (o);
}

/*
 * Append ${ev} (a memo event of ${kind} with a commitment to ${member_id})
 * and record the access ${kind} of ${member_id} with its nonce, inside the
 * caller's transaction.  Return 0 or -1.
 */
static int
committed_event(struct route_ctx *ctx, uint16_t type, const char *memo_id,
    const char *member_id, int event_kind, int access_kind)
{
	uint8_t nonce[EVENT_NONCE_BYTES];
	struct store_access a;
	struct event ev;
	uint64_t index;

	if (strlen(memo_id) > MEMO_ID_LEN ||
	    strlen(member_id) > DIRECTORY_MEMBER_ID_LEN)
		return (-1);
	randombytes_buf(nonce, sizeof(nonce));
	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = type;
	ev.time = ctx->now > 0 ? (uint64_t)ctx->now : 0;
	memcpy(ev.memo_id, memo_id, strlen(memo_id) + 1);
	ev.kind = (uint8_t)event_kind;
	event_access_commit(ev.commit, nonce, member_id);
	if (routes_log_append(ctx, &ev, &index) != 0)
		return (-1);
	memset(&a, 0, sizeof(a));
	memcpy(a.member_id, member_id, strlen(member_id) + 1);
	a.kind = access_kind;
	a.at = ctx->now;
	memcpy(a.nonce, nonce, sizeof(a.nonce));
	a.log_index = index;
	if (store_access_put(ctx->store, memo_id, &a) != STORE_OK)
		return (-1);
	return (0);
}

/**
 * memoctx_access(ctx, memo_id, kind):
 * Inside the caller's store transaction, record that the caller accessed
 * ${memo_id} (EVENT_ACCESS_* ${kind}) with a fresh nonce and append the
 * content_accessed event carrying its commitment.  Return 0, or -1 (the
 * caller rolls back and replies 500).
 */
int
memoctx_access(struct route_ctx *ctx, const char *memo_id, int kind)
{

	return (committed_event(
	    ctx, EVENT_CONTENT_ACCESSED, memo_id, ctx->me->id, kind, kind));
}

/**
 * memoctx_grant_event(ctx, memo_id, recipient, kind):
 * Inside the caller's transaction, append the grant_created event of a
 * grant of ${kind} (EVENT_GRANT_*) to ${recipient} (a member id or
 * "channel"), recording its nonce as an access record of kind 0.  Return 0,
 * or -1.
 */
int
memoctx_grant_event(
    struct route_ctx *ctx, const char *memo_id, const char *recipient, int kind)
{

	return (committed_event(
	    ctx, EVENT_GRANT_CREATED, memo_id, recipient, kind, 0));
}

/**
 * memoctx_grant(ctx, memo_id, recipient, purpose, sealed, len):
 * Inside the caller's transaction, record the released grant ${sealed}
 * (${len} bytes) of ${purpose} (MEMO_GRANT_KEY or MEMO_GRANT_ROSTER) on
 * ${memo_id} to ${recipient} (a member id or STORE_RECIPIENT_CHANNEL),
 * replacing an earlier one, and append its grant_created event.  Return 0,
 * or -1 after logging.
 */
int
memoctx_grant(struct route_ctx *ctx, const char *memo_id, const char *recipient,
    const char *purpose, const uint8_t *sealed, size_t len)
{
	struct store_grant g;
	int kind;

	if (strcmp(purpose, MEMO_GRANT_KEY) == 0)
		kind = EVENT_GRANT_KEY;
	else if (strcmp(purpose, MEMO_GRANT_ROSTER) == 0)
		kind = EVENT_GRANT_ROSTER;
	else
		kind = 0;
	if (kind == 0 || len > sizeof(g.sealed) ||
	    strlen(memo_id) >= sizeof(g.memo_id) ||
	    strlen(recipient) >= sizeof(g.recipient)) {
		fail(ctx, "malformed grant");
		return (-1);
	}
	memset(&g, 0, sizeof(g));
	memcpy(g.memo_id, memo_id, strlen(memo_id) + 1);
	memcpy(g.recipient, recipient, strlen(recipient) + 1);
	memcpy(g.purpose, purpose, strlen(purpose) + 1);
	memcpy(g.sealed, sealed, len);
	g.sealedlen = len;
	g.held = 0;
	g.created_at = ctx->now;
	if (store_grant_put(ctx->store, &g) != STORE_OK ||
	    memoctx_grant_event(ctx, memo_id, recipient, kind) != 0) {
		fail(ctx, "grant");
		return (-1);
	}
	return (0);
}

/**
 * memoctx_notify_role(ctx, role, kind):
 * Inside the caller's transaction, queue a notification of ${kind}
 * (NOTIFY_*) to every active member holding the ROLE_* ${role}.  Return 0,
 * or -1 after logging.
 */
int
memoctx_notify_role(struct route_ctx *ctx, unsigned int role, int kind)
{
	struct store_member *ms;
	size_t n, i;

	if (store_member_list_role(ctx->store, role, &ms, &n) != STORE_OK) {
		fail(ctx, "members of a role");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (notify_queue(ctx->store, ms[i].id, kind, ctx->now) != 0) {
			free(ms);
			fail(ctx, "notification");
			return (-1);
		}
	}
	free(ms);
	return (0);
}

/**
 * memoctx_sealed(ctx, field, text, out, len):
 * Decode the sealed grant ${text} of the body field ${field} into ${out}
 * (STORE_GRANT_MAX bytes), its length into ${len}.  Return 0, or -1 after
 * replying 400 if it is not base64url of MEMOCTX_SEALED_MIN to
 * STORE_GRANT_MAX bytes.
 */
int
memoctx_sealed(struct route_ctx *ctx, const char *field, const char *text,
    uint8_t out[STORE_GRANT_MAX], size_t *len)
{

	if (b64_decode(out, STORE_GRANT_MAX, len, text) != 0 ||
	    *len < MEMOCTX_SEALED_MIN) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"%s\" must be the base64url of a sealed grant of "
		    "%d to %d bytes",
		    field, MEMOCTX_SEALED_MIN, STORE_GRANT_MAX);
		return (-1);
	}
	return (0);
}

/**
 * memoctx_box(ctx, field, text, max, box, len):
 * Decode the ciphertext box ${text} of the body field ${field} into a
 * malloc'd ${box} of ${len} bytes.  Return 0, or -1 after replying 400 if
 * it is not base64url of more than MEMO_BOX_OVERHEAD and at most ${max}
 * bytes (or 500 if memory runs out).
 */
int
memoctx_box(struct route_ctx *ctx, const char *field, const char *text,
    size_t max, uint8_t **box, size_t *len)
{
	size_t tlen = strlen(text);

	*box = NULL;
	if (tlen > MEMOCTX_B64_LEN(max)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"%s\" is larger than %zu bytes", field, max);
		return (-1);
	}
	/* Three bytes per four characters, rounded up: never past ${max}. */
	if ((*box = malloc(tlen / 4 * 3 + 3)) == NULL) {
		routes_internal(ctx, "out of memory");
		return (-1);
	}
	if (b64_decode(*box, tlen / 4 * 3 + 3, len, text) != 0 ||
	    *len <= MEMO_BOX_OVERHEAD || *len > max) {
		free(*box);
		*box = NULL;
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"%s\" must be the base64url of a box of %d to %zu "
		    "bytes",
		    field, MEMO_BOX_OVERHEAD + 1, max);
		return (-1);
	}
	return (0);
}

/**
 * memoctx_deadlines(ctx, m):
 * Recompute ${m}'s due dates from its submission and acknowledgement times
 * under the instance's profile and calendar.  Return 0, or -1.
 */
int
memoctx_deadlines(struct route_ctx *ctx, struct store_memo *m)
{
	struct deadline_dues d;

	if (ctx->cal == NULL) {
		fail(ctx, "no calendar");
		return (-1);
	}
	if (m->submitted_at == 0) {
		m->ack_due = m->reply_due = m->escalate_at = 0;
		return (0);
	}
	if (deadline_compute(&d, ctx->profile, ctx->cal, m->submitted_at,
		m->acked_at) != 0) {
		fail(ctx, "deadline computation");
		return (-1);
	}
	m->ack_due = d.ack_due;
	m->reply_due = d.reply_due;
	m->escalate_at = d.escalate_at;
	return (0);
}

/* The JSON array of the ${n} hashes of ${proof}, or NULL. */
static json_t *
proof_json(const uint8_t *proof, size_t n)
{
	json_t *arr;
	size_t i;

	if ((arr = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (json_array_append_new(
			arr, b64_json(proof + i * MERKLE_HASH_BYTES,
				 MERKLE_HASH_BYTES)) != 0) {
			json_decref(arr);
			return (NULL);
		}
	}
	return (arr);
}

/**
 * memoctx_receipt(ctx, index):
 * After the commit of a change logged at ${index}: wait for a signed tree
 * head covering it and return the Receipt object (docs/API.md) proving the
 * entry, or NULL after logging (the caller replies 500 or omits it).
 */
json_t *
memoctx_receipt(struct route_ctx *ctx, uint64_t index)
{
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct store_log_entry *es = NULL;
	struct treehead th;
	struct event ev;
	char *text = NULL;
	json_t *o = NULL, *p;
	size_t n = 0, nh, cap;

	if (chanlog_wait_for_head(
		ctx->inst->log, index + 1, ROUTES_LOG_WAIT_MS) != 0) {
		fail(ctx, "no signed tree head covers the receipt's event");
		return (NULL);
	}
	if (chanlog_latest(ctx->inst->log, &th) != CHANLOG_OK ||
	    th.size <= index) {
		fail(ctx, "latest tree head");
		return (NULL);
	}
	if (chanlog_inclusion_proof(
		ctx->inst->log, index, th.size, proof, &nh) != CHANLOG_OK) {
		fail(ctx, "inclusion proof");
		return (NULL);
	}
	if (store_log_entries(ctx->store, index, 1, &es, &n) != STORE_OK ||
	    n != 1) {
		fail(ctx, "log entry");
		goto done;
	}
	if (event_decode(&ev, es[0].event, es[0].len) != 0 ||
	    ev.memo_id[0] == '\0') {
		fail(ctx, "the receipt's entry is no memo event");
		goto done;
	}
	cap = B64_ENCODED_LEN(STORE_LOG_EVENT_MAX);
	if ((text = malloc(cap)) == NULL) {
		fail(ctx, "out of memory");
		goto done;
	}
	routes_b64(text, cap, es[0].event, es[0].len);
	if ((p = proof_json(proof, nh)) == NULL) {
		fail(ctx, "out of memory");
		goto done;
	}
	/* Sizes and timestamps are stored as int64: they fit json_int_t. */
	o = json_pack("{s:s,s:s,s:I,s:{s:s,s:I,s:I,s:o,s:o},s:o,s:s}", "memo",
	    ev.memo_id, "event", text, "index", (json_int_t)index, "head",
	    "instance_id", th.instance_id, "size", (json_int_t)th.size,
	    "timestamp", (json_int_t)th.timestamp, "root",
	    b64_json(th.root, sizeof(th.root)), "signature",
	    b64_json(th.sig, sizeof(th.sig)), "proof", p, "server_sign_pk",
	    ctx->inst->sign_pk_b64);
	if (o == NULL)
		fail(ctx, "out of memory");

done:
	free(text);
	free(es);
	return (o);
}

/**
 * memoctx_reply(ctx, status, mc, index):
 * Reload the memo and reply ${status} with {"memo": Memo, "receipt":
 * Receipt of ${index}} (no receipt if ${index} is UINT64_MAX).
 */
void
memoctx_reply(struct route_ctx *ctx, unsigned int status, struct memoctx *mc,
    uint64_t index)
{
	char id[MEMO_ID_LEN + 1];
	json_t *memo, *receipt = NULL;

	/* The id is copied out: the store fills the memo from the start. */
	memcpy(id, mc->memo.id, sizeof(id));
	if (store_memo_get(ctx->store, id, &mc->memo) != STORE_OK ||
	    relate(ctx, mc) != STORE_OK) {
		routes_internal(ctx, "memo reload");
		return;
	}
	if ((memo = memoctx_json(ctx, mc)) == NULL) {
		routes_internal(ctx, "memo object");
		return;
	}
	if (index == UINT64_MAX) {
		(void)http_reply_json(
		    ctx->req, status, json_pack("{s:o}", "memo", memo));
		return;
	}
	/*
	 * The change stands: without a receipt now, the client can fetch
	 * one later (the log has the event either way).
	 */
	if ((receipt = memoctx_receipt(ctx, index)) == NULL)
		receipt = json_null();
	(void)http_reply_json(ctx->req, status,
	    json_pack("{s:o,s:o}", "memo", memo, "receipt", receipt));
}
