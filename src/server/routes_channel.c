#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "access.h"
#include "b64.h"
#include "event.h"
#include "lifecycle.h"
#include "log.h"
#include "memo.h"
#include "memoctx.h"
#include "notify.h"
#include "routes.h"

/*
 * The channel's workflow (docs/API.md, "Channel"): the channel key, the
 * coordinators' inbox, and what the channel does to a submitted memo
 * (acknowledge, redirect, assign, distribute, reply, close).  Who may act
 * is access.h's decision and whether the state allows it lifecycle.h's,
 * both asked through memoctx; every change is one store transaction that
 * appends its channel log event, and is answered with the receipt of that
 * event.  The server never holds the channel's secret key: coordinators
 * keep it sealed to themselves, and every grant is sealed by a client.
 */

/* Longest base64url text of a sealed grant, and of a note's box. */
#define GRANT_B64_MAX MEMOCTX_SEALED_TEXT_MAX
#define NOTE_B64_MAX MEMOCTX_B64_LEN(MEMO_REPLY_BOX_MAX)
/* A member id, or a handle, in a body. */
#define MEMBER_KEY_MAX DIRECTORY_HANDLE_MAX
/* Most recipients of one distribution request. */
#define DISTRIBUTE_MAX 16
/* The standard list: configured principals plus one agency head. */
#define STANDARD_MAX (CONFIG_PRINCIPALS_MAX + 1)
/*
 * Inbox pages: most memos one reply holds (also the default), and the
 * furthest offset, which bounds the keys one request keeps in memory.
 */
#define INBOX_LIMIT_MAX 500
#define INBOX_OFFSET_MAX 10000

/* No event was logged (an index never reached). */
#define NO_EVENT UINT64_MAX

struct key_in {
	uint8_t pk[KEYS_BOX_PK_BYTES];
	char grant[GRANT_B64_MAX + 1];
};

static const struct jsonin_field key_fields[] = {
    {.name = "pk",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = KEYS_BOX_PK_BYTES,
	JSONIN_AT(struct key_in, pk)},
    {.name = "grant",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = GRANT_B64_MAX,
	JSONIN_AT(struct key_in, grant)},
};
const struct jsonin_spec routes_channel_key_spec =
    JSONIN_SPEC(struct key_in, key_fields);

/* A member and a sealed grant for it (channel grants, assignment). */
struct grant_in {
	char member[MEMBER_KEY_MAX + 1];
	char grant[GRANT_B64_MAX + 1];
};

static const struct jsonin_field grant_fields[] = {
    {.name = "member",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMBER_KEY_MAX,
	JSONIN_AT(struct grant_in, member)},
    {.name = "grant",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = GRANT_B64_MAX,
	JSONIN_AT(struct grant_in, grant)},
};
const struct jsonin_spec routes_channel_grant_spec =
    JSONIN_SPEC(struct grant_in, grant_fields);
const struct jsonin_spec routes_channel_assign_spec =
    JSONIN_SPEC(struct grant_in, grant_fields);

/* A reply or a redirection note: its number and its box. */
struct note_in {
	int64_t n;
	char box[NOTE_B64_MAX + 1];
};

static const struct jsonin_field note_fields[] = {
    {.name = "n",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 1,
	.imax = UINT32_MAX,
	JSONIN_AT(struct note_in, n)},
    {.name = "box",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = NOTE_B64_MAX,
	JSONIN_AT(struct note_in, box)},
};
const struct jsonin_spec routes_channel_note_spec =
    JSONIN_SPEC(struct note_in, note_fields);

struct recipient_in {
	char member[MEMBER_KEY_MAX + 1];
	char key[GRANT_B64_MAX + 1];
	char roster[GRANT_B64_MAX + 1];
};

static const struct jsonin_field recipient_fields[] = {
    {.name = "member",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMBER_KEY_MAX,
	JSONIN_AT(struct recipient_in, member)},
    {.name = "key",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = GRANT_B64_MAX,
	JSONIN_AT(struct recipient_in, key)},
    {.name = "roster",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = GRANT_B64_MAX,
	JSONIN_AT(struct recipient_in, roster)},
};
static const struct jsonin_spec recipient_spec =
    JSONIN_SPEC(struct recipient_in, recipient_fields);

struct distribute_in {
	struct recipient_in recipients[DISTRIBUTE_MAX];
	size_t nrecipients;
};

static const struct jsonin_field distribute_fields[] = {
    {.name = "recipients",
	.type = JSONIN_OBJECTS,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DISTRIBUTE_MAX,
	.sub = &recipient_spec,
	JSONIN_AT(struct distribute_in, recipients),
	JSONIN_COUNT(struct distribute_in, nrecipients)},
};
const struct jsonin_spec routes_channel_distribute_spec =
    JSONIN_SPEC(struct distribute_in, distribute_fields);

/* Order members by handle. */
static int
by_handle(const void *a, const void *b)
{
	const struct store_member *x = a, *y = b;

	return (strcmp(x->handle, y->handle));
}

/**
 * routes_channel_role_members(ctx, role, ms, n):
 * Store in a malloc'd ${ms} (free()) the ${n} active members holding the
 * ROLE_* ${role}, ordered by handle.  Return 0, or -1 (logged) on a store
 * failure or more than ROUTES_CHANNEL_ROLE_MAX of them.
 */
int
routes_channel_role_members(struct route_ctx *ctx, unsigned int role,
    struct store_member **ms, size_t *n)
{
	int rc;

	if ((rc = store_member_list_role(ctx->store, role, ms, n)) !=
	    STORE_OK) {
		if (rc == STORE_CONFLICT)
			log_msg(LOG_ERROR,
			    "too many members hold one channel role");
		return (-1);
	}
	if (*n > ROUTES_CHANNEL_ROLE_MAX) {
		log_msg(LOG_ERROR, "too many members hold one channel role");
		free(*ms);
		*ms = NULL;
		*n = 0;
		return (-1);
	}
	if (*n > 1)
		qsort(*ms, *n, sizeof(**ms), by_handle);
	return (0);
}

/* Order member ids. */
static int
by_member_id(const void *a, const void *b)
{

	return (strcmp(a, b));
}

/*
 * Inside the caller's transaction, queue one notification of ${kind} for
 * every member holding any of the stored relations ${rel} (ACCESS_REL_*
 * bits) on ${memo_id}: once each, however many of them it holds.  Return
 * 0, or -1.
 */
static int
notify_related(
    struct route_ctx *ctx, const char *memo_id, unsigned int rel, int kind)
{
	char(*all)[DIRECTORY_MEMBER_ID_LEN + 1] = NULL;
	char(*grown)[DIRECTORY_MEMBER_ID_LEN + 1];
	char(*ids)[DIRECTORY_MEMBER_ID_LEN + 1];
	unsigned int bit;
	size_t n, i, nall = 0;
	int rc = -1;

	for (bit = 1; bit <= ACCESS_REL_PRINCIPAL; bit <<= 1) {
		if ((rel & bit) == 0)
			continue;
		if (store_memo_related(ctx->store, memo_id, bit, &ids, &n) !=
		    STORE_OK)
			goto done;
		if (n > 0) {
			if (n > SIZE_MAX / sizeof(*all) - nall ||
			    (grown = realloc(all, (nall + n) * sizeof(*all))) ==
				NULL) {
				free(ids);
				goto done;
			}
			all = grown;
			memcpy(all + nall, ids, n * sizeof(*all));
			nall += n;
		}
		free(ids);
	}
	if (nall > 1)
		qsort(all, nall, sizeof(*all), by_member_id);
	for (i = 0; i < nall; i++) {
		if (i > 0 && strcmp(all[i], all[i - 1]) == 0)
			continue;
		if (notify_queue(ctx->store, all[i], kind, ctx->now) != 0)
			goto done;
	}
	rc = 0;
done:
	free(all);
	return (rc);
}

/* Start ${ev} as an event of ${type} about ${memo_id} (or none: NULL). */
static void
event_begin(struct event *ev, uint16_t type, const struct route_ctx *ctx,
    const char *memo_id)
{

	memset(ev, 0, sizeof(*ev));
	ev->version = EVENT_FORMAT_VERSION;
	ev->type = type;
	ev->time = ctx->now > 0 ? (uint64_t)ctx->now : 0;
	if (memo_id != NULL)
		memcpy(ev->memo_id, memo_id, sizeof(ev->memo_id));
}

/* Copy the member id ${id} into an event field. */
static void
event_member(char dst[DIRECTORY_MEMBER_ID_LEN + 1], const char *id)
{

	memcpy(dst, id, DIRECTORY_MEMBER_ID_LEN + 1);
}

/*
 * Look up the member named ${key} in body field ${name} and check it is
 * active and not an admin.  Return 0, or -1 after replying (400 for anyone
 * unusable: the field is wrong, whoever it names).
 */
static int
usable_member(struct route_ctx *ctx, const char *name, const char *key,
    struct store_member *m)
{
	int rc;

	if ((rc = routes_find_member(ctx, key, m)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"%s\" names no member", name);
		return (-1);
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "member lookup");
		return (-1);
	}
	if (m->status != STORE_MEMBER_ACTIVE || (m->roles & ROLE_ADMIN)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"%s\" must name an active member who is not an "
		    "admin",
		    name);
		return (-1);
	}
	return (0);
}

/*
 * Begin a transaction and read ${mc}'s memo again: another request may
 * have moved it since memoctx_load() (409 conflict).  Return 0, or -1
 * after replying (no transaction left open).
 */
static int
tx_begin(struct route_ctx *ctx, struct memoctx *mc)
{

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return (-1);
	}
	if (memoctx_recheck(ctx, mc) != 0) {
		store_rollback(ctx->store);
		return (-1);
	}
	return (0);
}

/* Roll back and reply 500 for ${what}; return -1. */
static int
tx_fail(struct route_ctx *ctx, const char *what)
{

	store_rollback(ctx->store);
	routes_internal(ctx, what);
	return (-1);
}

/* Commit the open transaction; 0, or -1 after rolling back and replying. */
static int
tx_commit(struct route_ctx *ctx)
{

	if (store_commit(ctx->store) != 0)
		return (tx_fail(ctx, "commit"));
	return (0);
}

/*
 * Append ${ev} in the open transaction, storing its index in ${index}.
 * Return 0, or -1 after rolling back and replying.
 */
static int
tx_event(struct route_ctx *ctx, const struct event *ev, uint64_t *index)
{

	if (routes_log_append(ctx, ev, index) != 0)
		return (tx_fail(ctx, "log append"));
	return (0);
}

/*
 * Write ${mc}'s memo back, append ${ev}, commit and reply 200 with the
 * memo and the receipt of ${ev}.  The transaction of tx_begin() is open.
 */
static void
tx_finish(struct route_ctx *ctx, struct memoctx *mc, const struct event *ev)
{
	uint64_t index;

	if (store_memo_update(ctx->store, &mc->memo) != STORE_OK) {
		(void)tx_fail(ctx, "memo update");
		return;
	}
	if (tx_event(ctx, ev, &index) != 0 || tx_commit(ctx) != 0)
		return;
	memoctx_reply(ctx, 200, mc, index);
}

/*
 * Load the memo of the path for ${op} and the action ${action}, storing
 * the state it leads to in ${next}.  Return 0, or -1 after replying.
 */
static int
load(struct route_ctx *ctx, enum access_op op, enum memo_action action,
    struct memoctx *mc, enum memo_state *next)
{

	if (memoctx_load(ctx, ctx->params[0], op, mc) != 0)
		return (-1);
	return (memoctx_transition(ctx, mc, action, next));
}

/* The relations a role-only operation is judged by: the caller's roles. */
static unsigned int
role_rel(const struct route_ctx *ctx)
{

	return (access_rel_roles(ctx->me->roles));
}

/* Refuse (403) a caller whose roles do not allow ${op}; 1 if allowed. */
static int
role_allowed(struct route_ctx *ctx, enum access_op op)
{

	if (!access_memo_allowed(op, role_rel(ctx), 0)) {
		http_reply_error(ctx->req, 403, "forbidden",
		    "your role does not allow this");
		return (0);
	}
	return (1);
}

/**
 * routes_channel_get(ctx):
 * GET /api/v1/channel: the channel's public key, the index of the log
 * entry that published it and whether the caller holds it.  Every member
 * may read it: a drafter seals the memo key to it at submission, after
 * checking it against that log entry.
 */
void
routes_channel_get(struct route_ctx *ctx)
{
	uint8_t pk[KEYS_BOX_PK_BYTES], sealed[STORE_GRANT_MAX];
	char pk64[B64_ENCODED_LEN(KEYS_BOX_PK_BYTES)];
	uint64_t log_index = 0;
	int64_t created_at = 0;
	size_t sealedlen;
	int rc, held;

	if (!role_allowed(ctx, ACCESS_OP_CHANNEL_PUBLIC))
		return;
	if ((rc = store_channel_key_get(
		 ctx->store, pk, &log_index, &created_at)) == STORE_NOTFOUND) {
		(void)http_reply_json(ctx->req, 200,
		    json_pack("{s:n,s:I,s:b}", "pk", "created_at",
			(json_int_t)0, "granted", 0));
		return;
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "channel key");
		return;
	}
	rc = store_channel_grant_get(
	    ctx->store, ctx->me->id, sealed, &sealedlen);
	if (rc != STORE_OK && rc != STORE_NOTFOUND) {
		routes_internal(ctx, "channel grant");
		return;
	}
	held = rc == STORE_OK;
	routes_b64(pk64, sizeof(pk64), pk, sizeof(pk));
	/* Log indexes are below STORE_LOG_SIZE_MAX, a json_int_t. */
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:s,s:I,s:I,s:b}", "pk", pk64, "log_index",
		(json_int_t)log_index, "created_at", (json_int_t)created_at,
		"granted", held));
}

/**
 * routes_channel_key(ctx):
 * POST /api/v1/channel/key: record the channel's public key, once, with
 * the creating coordinator's sealed copy of its secret key and the index
 * of the channel_key_created entry that publishes its hash.
 */
void
routes_channel_key(struct route_ctx *ctx)
{
	const struct key_in *in = ctx->body;
	uint8_t sealed[STORE_GRANT_MAX], pk[KEYS_BOX_PK_BYTES];
	char pk64[B64_ENCODED_LEN(KEYS_BOX_PK_BYTES)];
	struct event ev;
	uint64_t index, had;
	int64_t created_at;
	size_t sealedlen;
	int rc;

	if (!role_allowed(ctx, ACCESS_OP_CHANNEL_KEY))
		return;
	if (keys_box_pk_check(in->pk) != 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"pk\" is not a usable X25519 public key");
		return;
	}
	if (memoctx_sealed(ctx, "grant", in->grant, sealed, &sealedlen) != 0)
		return;
	event_begin(&ev, EVENT_CHANNEL_KEY_CREATED, ctx, NULL);
	event_member(ev.member_id, ctx->me->id);
	event_channel_key_hash(ev.keys_hash, in->pk);

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	/*
	 * Refuse a second key before logging anything: the transaction
	 * holds the store, so the key cannot appear between this check and
	 * its creation below, which needs the index of the event.
	 */
	if ((rc = store_channel_key_get(ctx->store, pk, &had, &created_at)) ==
	    STORE_OK) {
		store_rollback(ctx->store);
		http_reply_error(ctx->req, 409, "conflict",
		    "the channel key exists already; ask a coordinator who "
		    "holds it for a grant");
		return;
	}
	if (rc != STORE_NOTFOUND) {
		(void)tx_fail(ctx, "channel key");
		return;
	}
	if (tx_event(ctx, &ev, &index) != 0)
		return;
	if (store_channel_key_create(ctx->store, in->pk, index, ctx->now) !=
	    STORE_OK) {
		(void)tx_fail(ctx, "channel key create");
		return;
	}
	if (store_channel_grant_put(ctx->store, ctx->me->id, sealed, sealedlen,
		ctx->now) != STORE_OK) {
		(void)tx_fail(ctx, "channel grant");
		return;
	}
	if (tx_commit(ctx) != 0)
		return;
	routes_log_wait(ctx, index);
	routes_b64(pk64, sizeof(pk64), in->pk, sizeof(in->pk));
	(void)http_reply_json(ctx->req, 201,
	    json_pack("{s:s,s:I,s:I,s:b}", "pk", pk64, "log_index",
		(json_int_t)index, "created_at", (json_int_t)ctx->now,
		"granted", 1));
}

/**
 * routes_channel_grant(ctx):
 * POST /api/v1/channel/grants: record another coordinator's sealed copy of
 * the channel's secret key.
 */
void
routes_channel_grant(struct route_ctx *ctx)
{
	const struct grant_in *in = ctx->body;
	uint8_t pk[KEYS_BOX_PK_BYTES], sealed[STORE_GRANT_MAX];
	uint8_t mine[STORE_GRANT_MAX];
	struct store_member m;
	struct event ev;
	uint64_t index, key_index;
	int64_t created_at;
	size_t sealedlen, minelen;
	int rc;

	if (!role_allowed(ctx, ACCESS_OP_CHANNEL_KEY))
		return;
	if (usable_member(ctx, "member", in->member, &m) != 0)
		return;
	if ((m.roles & ROLE_COORDINATOR) == 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"member\" must name a coordinator");
		return;
	}
	if (memoctx_sealed(ctx, "grant", in->grant, sealed, &sealedlen) != 0)
		return;
	if ((rc = store_channel_key_get(
		 ctx->store, pk, &key_index, &created_at)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 409, "no_channel_key",
		    "the channel key does not exist yet");
		return;
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "channel key");
		return;
	}
	/* Only a holder of the key can have sealed it to someone else. */
	if ((rc = store_channel_grant_get(
		 ctx->store, ctx->me->id, mine, &minelen)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 403, "forbidden",
		    "you do not hold the channel key");
		return;
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "channel grant");
		return;
	}
	event_begin(&ev, EVENT_CHANNEL_KEY_GRANTED, ctx, NULL);
	event_member(ev.member_id, m.id);
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (store_channel_grant_put(
		ctx->store, m.id, sealed, sealedlen, ctx->now) != STORE_OK) {
		(void)tx_fail(ctx, "channel grant");
		return;
	}
	if (tx_event(ctx, &ev, &index) != 0 || tx_commit(ctx) != 0)
		return;
	routes_log_wait(ctx, index);
	(void)http_reply_json(ctx->req, 201,
	    json_pack("{s:{s:s,s:I}}", "grant", "member", m.id, "created_at",
		(json_int_t)ctx->now));
}

/**
 * routes_channel_grant_get(ctx):
 * GET /api/v1/channel/grant: the caller's own sealed channel secret key.
 */
void
routes_channel_grant_get(struct route_ctx *ctx)
{
	uint8_t sealed[STORE_GRANT_MAX];
	char text[B64_ENCODED_LEN(STORE_GRANT_MAX)];
	size_t sealedlen;
	int rc;

	if (!role_allowed(ctx, ACCESS_OP_CHANNEL_KEY))
		return;
	if ((rc = store_channel_grant_get(
		 ctx->store, ctx->me->id, sealed, &sealedlen)) != STORE_OK) {
		routes_store_error(ctx, rc, "channel grant");
		return;
	}
	routes_b64(text, sizeof(text), sealed, sealedlen);
	(void)http_reply_json(ctx->req, 200, json_pack("{s:s}", "grant", text));
}

/*
 * The next due date of ${m} in the inbox: the acknowledgement's while it is
 * submitted, the reply's while the channel owes one, none (0) once replied
 * or redirected.
 */
static int64_t
next_due(const struct store_memo *m)
{

	switch (m->state) {
	case MEMO_STATE_SUBMITTED:
		return (m->ack_due);
	case MEMO_STATE_ACKNOWLEDGED:
	case MEMO_STATE_ASSIGNED:
		return (m->reply_due);
	default:
		return (0);
	}
}

/* Where a memo falls in the inbox: its next due date (0: none) and id. */
struct inbox_key {
	int64_t due;
	char id[MEMO_ID_LEN + 1];
};

/* The inbox's order: by next due date (none last), then by id. */
static int
inbox_key_cmp(const struct inbox_key *x, const struct inbox_key *y)
{

	if (x->due != y->due) {
		if (x->due == 0)
			return (1);
		if (y->due == 0)
			return (-1);
		return (x->due < y->due ? -1 : 1);
	}
	return (strcmp(x->id, y->id));
}

static int
inbox_cmp(const void *a, const void *b)
{

	return (inbox_key_cmp(a, b));
}

/*
 * The first ${cap} keys of the inbox in inbox order seen so far, kept as a
 * max-heap (the last of them on top), and the count of every memo seen:
 * memory for one page's window whatever the size of the inbox.
 */
struct inbox_window {
	struct inbox_key *keys;
	size_t n;
	size_t cap;
	size_t total;
};

/* Restore the heap order of the ${n} ${h} below position ${i}. */
static void
heap_down(struct inbox_key *h, size_t n, size_t i)
{
	struct inbox_key t;
	size_t c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && inbox_key_cmp(&h[c + 1], &h[c]) > 0)
			c++;
		if (inbox_key_cmp(&h[c], &h[i]) <= 0)
			break;
		t = h[i];
		h[i] = h[c];
		h[c] = t;
		i = c;
	}
}

/* Restore the heap order of ${h} above position ${i}. */
static void
heap_up(struct inbox_key *h, size_t i)
{
	struct inbox_key t;
	size_t p;

	while (i > 0 && inbox_key_cmp(&h[i], &h[p = (i - 1) / 2]) > 0) {
		t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

/* The store_memo_each_state() callback: count ${m}, keep it if early. */
static int
inbox_visit(void *cookie, const struct store_memo *m)
{
	struct inbox_window *w = cookie;
	struct inbox_key k;

	k.due = next_due(m);
	memcpy(k.id, m->id, sizeof(k.id));
	w->total++;
	if (w->n < w->cap) {
		w->keys[w->n] = k;
		heap_up(w->keys, w->n++);
	} else if (w->cap > 0 && inbox_key_cmp(&k, &w->keys[0]) < 0) {
		w->keys[0] = k;
		heap_down(w->keys, w->n, 0);
	}
	return (0);
}

/* The inbox entry of ${m}: its Memo object with "next_due" and "overdue". */
static json_t *
inbox_entry(struct route_ctx *ctx, const struct store_memo *m)
{
	struct memoctx mc;
	json_t *o;
	int64_t due = next_due(m);

	if (memoctx_relate(ctx, m, &mc) != 0 ||
	    (o = memoctx_json(ctx, &mc)) == NULL)
		return (NULL);
	if (json_object_set_new(o, "next_due", json_integer(due)) != 0 ||
	    json_object_set_new(
		o, "overdue", json_boolean(due != 0 && due < ctx->now)) != 0) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/**
 * routes_channel_inbox(ctx):
 * GET /api/v1/channel/inbox?offset=N&limit=N: a page of the memos awaiting
 * the channel, the next due first, with the count of all of them.
 */
void
routes_channel_inbox(struct route_ctx *ctx)
{
	static const char *const allowed[] = {"offset", "limit"};
	static const int states[] = {MEMO_STATE_SUBMITTED,
	    MEMO_STATE_ACKNOWLEDGED, MEMO_STATE_REDIRECTED, MEMO_STATE_ASSIGNED,
	    MEMO_STATE_REPLIED};
	uint64_t offset = 0, limit = INBOX_LIMIT_MAX;
	struct inbox_window w = {NULL, 0, 0, 0};
	struct store_memo m;
	json_t *arr = NULL;
	size_t i;

	if (!role_allowed(ctx, ACCESS_OP_INBOX))
		return;
	if (routes_query_allowed(ctx, allowed, 2) != 0 ||
	    routes_query_u64(ctx, "offset", 0, 0, INBOX_OFFSET_MAX, &offset) !=
		0 ||
	    routes_query_u64(ctx, "limit", 0, 1, INBOX_LIMIT_MAX, &limit) != 0)
		return;
	/* Every inbox memo is seen; only the window up to the page is kept. */
	w.cap = (size_t)(offset + limit);
	if ((w.keys = calloc(w.cap, sizeof(*w.keys))) == NULL)
		goto fail;
	if (store_memo_each_state(ctx->store, states,
		sizeof(states) / sizeof(states[0]), inbox_visit,
		&w) != STORE_OK)
		goto fail;
	if (w.n > 1)
		qsort(w.keys, w.n, sizeof(w.keys[0]), inbox_cmp);
	if ((arr = json_array()) == NULL)
		goto fail;
	for (i = (size_t)offset; i < w.n; i++) {
		/* As it is now, which may be a little later than listed. */
		if (store_memo_get(ctx->store, w.keys[i].id, &m) != STORE_OK ||
		    json_array_append_new(arr, inbox_entry(ctx, &m)) != 0)
			goto fail;
	}
	free(w.keys);
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:o,s:I}", "memos", arr, "total", (json_int_t)w.total));
	return;

fail:
	json_decref(arr);
	free(w.keys);
	routes_internal(ctx, "inbox");
}

/* Add ${m} to the ${n} members of ${list} unless it is there already. */
static void
list_add(struct store_member *list, size_t *n, const struct store_member *m)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(list[i].id, m->id) == 0)
			return;
	list[(*n)++] = *m;
}

/*
 * Resolve the configured name ${key} (a handle or a member id) into ${m}
 * if it names an active principal; a name that does not is logged and
 * skipped.  Return 1 if usable, 0 if not, -1 on a store failure.
 */
static int
configured_principal(
    struct route_ctx *ctx, const char *key, struct store_member *m)
{
	struct log_field f[1] = {LOG_STR("name", key)};
	int rc;

	if ((rc = routes_find_member(ctx, key, m)) != STORE_OK &&
	    rc != STORE_NOTFOUND)
		return (-1);
	if (rc == STORE_NOTFOUND || m->status != STORE_MEMBER_ACTIVE ||
	    (m->roles & ROLE_PRINCIPAL) == 0) {
		log_fields(LOG_WARN,
		    "a configured principal is not an active member with the "
		    "principal role",
		    f, 1);
		return (0);
	}
	return (1);
}

/*
 * The standard distribution list of memo ${memo}: the configured standard
 * principals, plus the head of the memo's agency when that is not the
 * channel's organisation.  Store them in ${list} (STANDARD_MAX entries)
 * and their number in ${n}.  Return 0, or -1 (logged).
 */
static int
standard_list(struct route_ctx *ctx, const struct store_memo *memo,
    struct store_member *list, size_t *n)
{
	struct store_member m;
	size_t i;
	int rc;

	*n = 0;
	for (i = 0;
	     i < ctx->cfg->nstandard_principals && i < CONFIG_PRINCIPALS_MAX;
	     i++) {
		if ((rc = configured_principal(
			 ctx, ctx->cfg->standard_principals[i], &m)) < 0)
			return (-1);
		if (rc == 1)
			list_add(list, n, &m);
	}
	if (strcmp(memo->org_id, ctx->inst->channel_org) == 0)
		return (0);
	for (i = 0; i < ctx->cfg->nagency_heads && i < CONFIG_AGENCY_HEADS_MAX;
	     i++) {
		if (strcmp(ctx->cfg->agency_heads[i].org, memo->org_id) != 0)
			continue;
		if ((rc = configured_principal(
			 ctx, ctx->cfg->agency_heads[i].member, &m)) < 0)
			return (-1);
		if (rc == 1)
			list_add(list, n, &m);
		break;
	}
	return (0);
}

/* Is member ${id} among the ${n} of ${list}? */
static int
list_has(const struct store_member *list, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].id, id) == 0)
			return (1);
	return (0);
}

/**
 * routes_channel_standard(ctx):
 * GET /api/v1/standard-principals?memo=ID: the standard distribution list
 * of a memo.
 */
void
routes_channel_standard(struct route_ctx *ctx)
{
	static const char *const allowed[] = {"memo"};
	struct store_member list[STANDARD_MAX];
	struct memoctx mc;
	const char *id;
	char bad[40];
	json_t *arr;
	size_t n, i;

	if (http_query_check(ctx->req, allowed, 1, bad, sizeof(bad)) != 0) {
		http_reply_error(ctx->req, 400, "unknown_field",
		    "unknown or repeated query parameter \"%s\"", bad);
		return;
	}
	if ((id = http_query_get(ctx->req, "memo")) == NULL) {
		http_reply_error(ctx->req, 400, "missing_field",
		    "query parameter \"memo\" is required");
		return;
	}
	if (!role_allowed(ctx, ACCESS_OP_INBOX) ||
	    memoctx_load(ctx, id, ACCESS_OP_META, &mc) != 0)
		return;
	if (standard_list(ctx, &mc.memo, list, &n) != 0) {
		routes_internal(ctx, "standard list");
		return;
	}
	if ((arr = json_array()) == NULL) {
		routes_internal(ctx, "out of memory");
		return;
	}
	for (i = 0; i < n; i++) {
		if (json_array_append_new(arr, routes_member_json(&list[i])) !=
		    0) {
			json_decref(arr);
			routes_internal(ctx, "out of memory");
			return;
		}
	}
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "members", arr));
}

/**
 * routes_channel_ack(ctx):
 * POST /api/v1/memos/{id}/ack: acknowledge a submitted memo.
 */
void
routes_channel_ack(struct route_ctx *ctx)
{
	struct memoctx mc;
	enum memo_state next;
	struct event ev;

	if (load(ctx, ACCESS_OP_ACKNOWLEDGE, MEMO_ACT_ACKNOWLEDGE, &mc,
		&next) != 0 ||
	    tx_begin(ctx, &mc) != 0)
		return;
	mc.memo.state = (int)next;
	mc.memo.acked_at = ctx->now;
	if (memoctx_deadlines(ctx, &mc.memo) != 0) {
		(void)tx_fail(ctx, "deadlines");
		return;
	}
	event_begin(&ev, EVENT_MEMO_ACKNOWLEDGED, ctx, mc.memo.id);
	tx_finish(ctx, &mc, &ev);
}

/*
 * Check that the note number ${n} is the memo's next (its replies + 1).
 * Return 1, or 0 after replying 409 conflict.
 */
static int
note_number_ok(struct route_ctx *ctx, const struct store_memo *m, int64_t n)
{

	if ((uint64_t)n != (uint64_t)m->replies + 1) {
		http_reply_error(ctx->req, 409, "conflict",
		    "field \"n\" must be the memo's next note number, %llu",
		    (unsigned long long)m->replies + 1);
		return (0);
	}
	return (1);
}

/**
 * routes_channel_note(ctx, m, kind, n, box, boxlen):
 * Inside the open transaction, store the encrypted note ${box} (${boxlen}
 * bytes) of MEMO_REPLY_KIND_* ${kind} by the caller as number ${n} of memo
 * ${m}, counting it in ${m} (the caller writes ${m} back).  Return 0, or
 * -1 after rolling back and replying (409 conflict if the number is
 * taken).
 */
int
routes_channel_note(struct route_ctx *ctx, struct store_memo *m, int kind,
    uint32_t n, uint8_t *box, size_t boxlen)
{
	struct store_reply r;
	int rc;

	if (!note_number_ok(ctx, m, n)) {
		store_rollback(ctx->store);
		return (-1);
	}
	memset(&r, 0, sizeof(r));
	r.n = n;
	r.kind = kind;
	event_member(r.author, ctx->me->id);
	r.created_at = ctx->now;
	r.box = box;
	r.boxlen = boxlen;
	if ((rc = store_reply_put(ctx->store, m->id, &r)) == STORE_CONFLICT) {
		store_rollback(ctx->store);
		http_reply_error(ctx->req, 409, "conflict",
		    "another note took this number; fetch the memo again");
		return (-1);
	}
	if (rc != STORE_OK)
		return (tx_fail(ctx, "reply put"));
	m->replies = n;
	return (0);
}

/*
 * POST redirect and replies: a note of ${kind} through ${action} with the
 * event ${type}.
 */
static void
add_note(struct route_ctx *ctx, enum access_op op, enum memo_action action,
    int kind, uint16_t type)
{
	const struct note_in *in = ctx->body;
	struct memoctx mc;
	enum memo_state next;
	struct event ev;
	uint8_t *box = NULL;
	size_t boxlen;

	if (load(ctx, op, action, &mc, &next) != 0 ||
	    !note_number_ok(ctx, &mc.memo, in->n) ||
	    memoctx_box(
		ctx, "box", in->box, MEMO_REPLY_BOX_MAX, &box, &boxlen) != 0 ||
	    tx_begin(ctx, &mc) != 0)
		goto done;
	if (routes_channel_note(
		ctx, &mc.memo, kind, (uint32_t)in->n, box, boxlen) != 0)
		goto done;
	mc.memo.state = (int)next;
	event_begin(&ev, type, ctx, mc.memo.id);
	memo_box_hash(ev.hash, box, boxlen);
	if (action == MEMO_ACT_REDIRECT) {
		/* A redirection answers the submission: it counts as one. */
		mc.memo.acked_at = ctx->now;
		if (memoctx_deadlines(ctx, &mc.memo) != 0) {
			(void)tx_fail(ctx, "deadlines");
			goto done;
		}
	} else {
		ev.n = (uint32_t)in->n;
		if (mc.memo.replied_at == 0)
			mc.memo.replied_at = ctx->now;
	}
	/*
	 * The drafters and every invitee learn that there is an answer.  The
	 * signers are not known to the server (their records are sealed to
	 * the roster key), but each was invited: telling all invitees alike
	 * reaches them without saying who signed.  They read the answer with
	 * the memo key.
	 */
	if (notify_related(ctx, mc.memo.id,
		ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER | ACCESS_REL_INVITEE,
		NOTIFY_REPLY) != 0) {
		(void)tx_fail(ctx, "notify");
		goto done;
	}
	tx_finish(ctx, &mc, &ev);

done:
	free(box);
}

/**
 * routes_channel_redirect(ctx):
 * POST /api/v1/memos/{id}/redirect: refuse a submitted memo as out of
 * scope with an encrypted note saying where to go instead.
 */
void
routes_channel_redirect(struct route_ctx *ctx)
{

	add_note(ctx, ACCESS_OP_ACKNOWLEDGE, MEMO_ACT_REDIRECT,
	    MEMO_REPLY_KIND_REDIRECT, EVENT_MEMO_REDIRECTED);
}

/**
 * routes_channel_reply(ctx):
 * POST /api/v1/memos/{id}/replies: add the channel's encrypted reply.
 */
void
routes_channel_reply(struct route_ctx *ctx)
{

	add_note(ctx, ACCESS_OP_REPLY, MEMO_ACT_REPLY, MEMO_REPLY_KIND_REPLY,
	    EVENT_MEMO_REPLIED);
}

/*
 * Inside the open transaction, take memo ${memo_id} from each of its
 * assignees but ${keep}: remove the assignee relation and, unless another
 * stored relation (drafter, co-drafter, invitee, principal) still gives
 * the member the memo, delete its grant of the memo key.  Return 0, or -1.
 */
static int
unassign_others(struct route_ctx *ctx, const char *memo_id, const char *keep)
{
	char(*ids)[DIRECTORY_MEMBER_ID_LEN + 1];
	unsigned int rel;
	size_t n, i;
	int rc;

	if (store_memo_related(
		ctx->store, memo_id, ACCESS_REL_ASSIGNEE, &ids, &n) != STORE_OK)
		return (-1);
	for (i = 0; i < n; i++) {
		if (strcmp(ids[i], keep) == 0)
			continue;
		if (store_memo_unrelate(ctx->store, memo_id, ids[i],
			ACCESS_REL_ASSIGNEE) != STORE_OK ||
		    store_memo_relations(ctx->store, memo_id, ids[i], &rel) !=
			STORE_OK)
			goto err;
		if (rel != 0)
			continue;
		rc = store_grant_delete(
		    ctx->store, memo_id, ids[i], MEMO_GRANT_KEY);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			goto err;
	}
	free(ids);
	return (0);

err:
	free(ids);
	return (-1);
}

/**
 * routes_channel_assign(ctx):
 * POST /api/v1/memos/{id}/assign: give the memo to a colleague of the
 * channel's organisation to draft the reply, with the memo key only,
 * taking it from the previous assignee.
 */
void
routes_channel_assign(struct route_ctx *ctx)
{
	const struct grant_in *in = ctx->body;
	uint8_t sealed[STORE_GRANT_MAX];
	struct store_member m;
	struct memoctx mc;
	enum memo_state next;
	struct event ev;
	size_t sealedlen;

	if (load(ctx, ACCESS_OP_ACKNOWLEDGE, MEMO_ACT_ASSIGN, &mc, &next) !=
		0 ||
	    usable_member(ctx, "member", in->member, &m) != 0)
		return;
	if (strcmp(m.org_id, ctx->inst->channel_org) != 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"member\" must name a member of the channel's "
		    "organisation");
		return;
	}
	if (memoctx_sealed(ctx, "grant", in->grant, sealed, &sealedlen) != 0 ||
	    tx_begin(ctx, &mc) != 0)
		return;
	/* The memo key only: an assignee never learns who signed. */
	if (unassign_others(ctx, mc.memo.id, m.id) != 0 ||
	    memoctx_grant(ctx, mc.memo.id, m.id, MEMO_GRANT_KEY, sealed,
		sealedlen) != 0 ||
	    store_memo_relate(ctx->store, mc.memo.id, m.id, ACCESS_REL_ASSIGNEE,
		ctx->me->id, ctx->now) != STORE_OK ||
	    notify_queue(ctx->store, m.id, NOTIFY_NEW_ITEM, ctx->now) != 0) {
		(void)tx_fail(ctx, "assign");
		return;
	}
	mc.memo.state = (int)next;
	event_member(mc.memo.assignee, m.id);
	event_begin(&ev, EVENT_MEMO_ASSIGNED, ctx, mc.memo.id);
	event_member(ev.member_id, m.id);
	tx_finish(ctx, &mc, &ev);
}

/* Find the distribution of ${memo_id} to ${member} into ${d}; STORE_*. */
static int
find_distribution(struct route_ctx *ctx, const char *memo_id,
    const char *member, struct store_distribution *d)
{
	struct store_distribution *ds = NULL;
	size_t n = 0, i;
	int rc = STORE_NOTFOUND;

	if (store_distribution_list(ctx->store, memo_id, &ds, &n) != STORE_OK)
		return (STORE_ERR);
	for (i = 0; i < n; i++) {
		if (strcmp(ds[i].principal, member) == 0) {
			*d = ds[i];
			rc = STORE_OK;
			break;
		}
	}
	free(ds);
	return (rc);
}

/*
 * Inside the open transaction, relate principal ${who} to memo ${memo_id},
 * mark the distribution ${d} done (approved by ${approver}, "" for the
 * standard list), notify the principal and append the distributed event,
 * storing its index in ${index}.  The grants are the caller's.  Return 0,
 * or -1 (the caller rolls back).
 */
static int
distributed(struct route_ctx *ctx, const char *memo_id, const char *who,
    struct store_distribution *d, const char *approver, uint64_t *index)
{
	struct event ev;

	if (store_memo_relate(ctx->store, memo_id, who, ACCESS_REL_PRINCIPAL,
		ctx->me->id, ctx->now) != STORE_OK)
		return (-1);
	d->status = STORE_DIST_DONE;
	(void)snprintf(d->approved_by, sizeof(d->approved_by), "%s", approver);
	d->at = ctx->now;
	if (store_distribution_put(ctx->store, memo_id, d) != STORE_OK ||
	    notify_queue(ctx->store, who, NOTIFY_NEW_ITEM, ctx->now) != 0)
		return (-1);
	event_begin(&ev, EVENT_MEMO_DISTRIBUTED, ctx, memo_id);
	event_member(ev.member_id, who);
	if (approver[0] != '\0')
		event_member(ev.member2_id, approver);
	return (routes_log_append(ctx, &ev, index));
}

/* One checked recipient of a distribution request. */
struct recipient {
	struct store_member m;
	uint8_t key[STORE_GRANT_MAX];
	size_t keylen;
	uint8_t roster[STORE_GRANT_MAX];
	size_t rosterlen;
	int standard;
};

/*
 * Check the recipients of a distribution of ${memo} against the
 * directory, the standard list and earlier distributions, into ${rs}.
 * Return 0, or -1 after replying.
 */
static int
check_recipients(struct route_ctx *ctx, const struct store_memo *memo,
    const struct distribute_in *in, struct recipient *rs)
{
	struct store_member list[STANDARD_MAX];
	struct store_distribution d;
	size_t nlist, i, j;
	int rc;

	if (standard_list(ctx, memo, list, &nlist) != 0) {
		routes_internal(ctx, "standard list");
		return (-1);
	}
	for (i = 0; i < in->nrecipients; i++) {
		const struct recipient_in *ri = &in->recipients[i];

		if (usable_member(
			ctx, "recipients.member", ri->member, &rs[i].m) != 0)
			return (-1);
		if ((rs[i].m.roles & ROLE_PRINCIPAL) == 0) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"recipients.member\" must name a member "
			    "with the principal role");
			return (-1);
		}
		for (j = 0; j < i; j++) {
			if (strcmp(rs[j].m.id, rs[i].m.id) == 0) {
				http_reply_error(ctx->req, 400, "invalid_field",
				    "field \"recipients\" names a member "
				    "twice");
				return (-1);
			}
		}
		if (memoctx_sealed(ctx, "recipients.key", ri->key, rs[i].key,
			&rs[i].keylen) != 0 ||
		    memoctx_sealed(ctx, "recipients.roster", ri->roster,
			rs[i].roster, &rs[i].rosterlen) != 0)
			return (-1);
		rc = find_distribution(ctx, memo->id, rs[i].m.id, &d);
		if (rc == STORE_OK && d.status == STORE_DIST_DONE) {
			http_reply_error(ctx->req, 409, "conflict",
			    "the memo was already distributed to %s",
			    rs[i].m.id);
			return (-1);
		}
		if (rc != STORE_OK && rc != STORE_NOTFOUND) {
			routes_internal(ctx, "distribution list");
			return (-1);
		}
		rs[i].standard = list_has(list, nlist, rs[i].m.id);
	}
	return (0);
}

/* {"member","status","requested_by","approved_by","at"} of ${d}. */
static json_t *
distribution_json(const struct store_distribution *d)
{

	return (json_pack("{s:s,s:s,s:s,s:s?,s:I}", "member", d->principal,
	    "status", d->status == STORE_DIST_DONE ? "distributed" : "pending",
	    "requested_by", d->requested_by, "approved_by",
	    d->approved_by[0] != '\0' ? d->approved_by : NULL, "at",
	    (json_int_t)d->at));
}

/* Put a grant held for the director's approval; a STORE_* code. */
static int
held_grant(struct route_ctx *ctx, const char *memo_id, const char *who,
    const char *purpose, const uint8_t *sealed, size_t sealedlen)
{
	struct store_grant g;

	memset(&g, 0, sizeof(g));
	memcpy(g.memo_id, memo_id, sizeof(g.memo_id));
	event_member(g.recipient, who);
	(void)snprintf(g.purpose, sizeof(g.purpose), "%s", purpose);
	memcpy(g.sealed, sealed, sealedlen);
	g.sealedlen = sealedlen;
	g.held = 1;
	g.created_at = ctx->now;
	return (store_grant_put(ctx->store, &g));
}

/*
 * Inside the open transaction, record recipient ${r} of ${memo_id}: at
 * once if on the standard list (its grants released), else pending with
 * its grants held, counting it in ${npending}.  Store the JSON of the
 * distribution in ${out}.  Return 0, or -1 (the caller rolls back).
 */
static int
record_recipient(struct route_ctx *ctx, const char *memo_id,
    const struct recipient *r, uint64_t *index, size_t *npending, json_t **out)
{
	struct store_distribution d;

	memset(&d, 0, sizeof(d));
	event_member(d.principal, r->m.id);
	event_member(d.requested_by, ctx->me->id);
	d.status = STORE_DIST_PENDING;
	d.at = ctx->now;
	if (r->standard) {
		if (memoctx_grant(ctx, memo_id, r->m.id, MEMO_GRANT_KEY, r->key,
			r->keylen) != 0 ||
		    memoctx_grant(ctx, memo_id, r->m.id, MEMO_GRANT_ROSTER,
			r->roster, r->rosterlen) != 0 ||
		    distributed(ctx, memo_id, r->m.id, &d, "", index) != 0)
			return (-1);
	} else {
		if (held_grant(ctx, memo_id, r->m.id, MEMO_GRANT_KEY, r->key,
			r->keylen) != STORE_OK ||
		    held_grant(ctx, memo_id, r->m.id, MEMO_GRANT_ROSTER,
			r->roster, r->rosterlen) != STORE_OK ||
		    store_distribution_put(ctx->store, memo_id, &d) != STORE_OK)
			return (-1);
		(*npending)++;
	}
	return ((*out = distribution_json(&d)) == NULL ? -1 : 0);
}

/**
 * routes_channel_distribute(ctx):
 * POST /api/v1/memos/{id}/distribute: distribute the memo to principals,
 * at once to those on the standard list, pending the director's approval
 * for others.
 */
void
routes_channel_distribute(struct route_ctx *ctx)
{
	const struct distribute_in *in = ctx->body;
	struct recipient *rs;
	struct memoctx mc;
	enum memo_state next;
	uint64_t index = NO_EVENT;
	json_t *arr = NULL, *o;
	size_t npending = 0, i;

	if ((rs = calloc(DISTRIBUTE_MAX, sizeof(*rs))) == NULL) {
		routes_internal(ctx, "out of memory");
		return;
	}
	if (load(ctx, ACCESS_OP_ACKNOWLEDGE, MEMO_ACT_DISTRIBUTE, &mc, &next) !=
		0 ||
	    check_recipients(ctx, &mc.memo, in, rs) != 0)
		goto done;
	if ((arr = json_array()) == NULL) {
		routes_internal(ctx, "out of memory");
		goto done;
	}
	if (tx_begin(ctx, &mc) != 0)
		goto done;
	for (i = 0; i < in->nrecipients; i++) {
		if (record_recipient(
			ctx, mc.memo.id, &rs[i], &index, &npending, &o) != 0 ||
		    json_array_append_new(arr, o) != 0) {
			(void)tx_fail(ctx, "distribute");
			goto done;
		}
	}
	/* The director learns that a distribution awaits approval. */
	if (npending > 0 &&
	    memoctx_notify_role(ctx, ROLE_DIRECTOR, NOTIFY_NEW_ITEM) != 0) {
		(void)tx_fail(ctx, "notify");
		goto done;
	}
	if (tx_commit(ctx) != 0)
		goto done;
	if (index != NO_EVENT)
		routes_log_wait(ctx, index);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:O}", "distributions", arr));

done:
	json_decref(arr);
	sodium_memzero(rs, DISTRIBUTE_MAX * sizeof(*rs));
	free(rs);
}

/**
 * routes_channel_distributions(ctx):
 * GET /api/v1/memos/{id}/distributions: the memo's distributions.
 */
void
routes_channel_distributions(struct route_ctx *ctx)
{
	struct store_distribution *ds = NULL;
	struct memoctx mc;
	json_t *arr;
	size_t n = 0, i;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_META, &mc) != 0)
		return;
	if (!access_memo_allowed(ACCESS_OP_ACKNOWLEDGE, mc.rel, mc.flags) &&
	    !access_memo_allowed(ACCESS_OP_APPROVE, mc.rel, mc.flags)) {
		http_reply_error(ctx->req, 403, "forbidden",
		    "only the channel's coordinators and director see "
		    "distributions");
		return;
	}
	if (store_distribution_list(ctx->store, mc.memo.id, &ds, &n) !=
	    STORE_OK) {
		routes_internal(ctx, "distribution list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (json_array_append_new(arr, distribution_json(&ds[i])) !=
		    0) {
			json_decref(arr);
			goto nomem;
		}
	}
	free(ds);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "distributions", arr));
	return;

nomem:
	free(ds);
	routes_internal(ctx, "out of memory");
}

/*
 * Inside the open transaction, release the held grants of ${who} on
 * ${memo_id} and append the grant_created event of each.  Return 0, or -1.
 */
static int
release_grants(struct route_ctx *ctx, const char *memo_id, const char *who)
{
	static const struct {
		const char *purpose;
		int kind;
	} purposes[] = {
	    {MEMO_GRANT_KEY, EVENT_GRANT_KEY},
	    {MEMO_GRANT_ROSTER, EVENT_GRANT_ROSTER},
	};
	struct store_grant g;
	size_t i;
	int rc;

	if (store_grant_release(ctx->store, memo_id, who) != STORE_OK)
		return (-1);
	for (i = 0; i < sizeof(purposes) / sizeof(purposes[0]); i++) {
		rc = store_grant_get(
		    ctx->store, memo_id, who, purposes[i].purpose, &g);
		sodium_memzero(&g, sizeof(g));
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK || memoctx_grant_event(ctx, memo_id, who,
					  purposes[i].kind) != 0)
			return (-1);
	}
	return (0);
}

/**
 * routes_channel_approve(ctx):
 * POST /api/v1/memos/{id}/distributions/{member}/approve: the director
 * approves a pending distribution, releasing its grants.
 */
void
routes_channel_approve(struct route_ctx *ctx)
{
	struct store_distribution d;
	struct store_member m;
	struct memoctx mc;
	enum memo_state next;
	uint64_t index;
	json_t *receipt;
	int rc;

	if (load(ctx, ACCESS_OP_APPROVE, MEMO_ACT_DISTRIBUTE, &mc, &next) != 0)
		return;
	if ((rc = routes_find_member(ctx, ctx->params[1], &m)) != STORE_OK) {
		routes_store_error(ctx, rc, "member lookup");
		return;
	}
	if (m.status != STORE_MEMBER_ACTIVE ||
	    (m.roles & ROLE_PRINCIPAL) == 0) {
		http_reply_error(ctx->req, 409, "conflict",
		    "the member is not an active principal");
		return;
	}
	if (tx_begin(ctx, &mc) != 0)
		return;
	if ((rc = find_distribution(ctx, mc.memo.id, m.id, &d)) != STORE_OK) {
		store_rollback(ctx->store);
		routes_store_error(ctx, rc, "distribution list");
		return;
	}
	if (d.status == STORE_DIST_DONE) {
		store_rollback(ctx->store);
		http_reply_error(ctx->req, 409, "conflict",
		    "the distribution was already made");
		return;
	}
	if (release_grants(ctx, mc.memo.id, m.id) != 0 ||
	    distributed(ctx, mc.memo.id, m.id, &d, ctx->me->id, &index) != 0) {
		(void)tx_fail(ctx, "approve");
		return;
	}
	if (tx_commit(ctx) != 0)
		return;
	/* The approval stands; without a receipt now, the log has it. */
	if ((receipt = memoctx_receipt(ctx, index)) == NULL)
		receipt = json_null();
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:o,s:o}", "distribution", distribution_json(&d),
		"receipt", receipt));
}

/* The name of the note kind ${kind}. */
static const char *
note_kind_name(int kind)
{

	switch (kind) {
	case MEMO_REPLY_KIND_REPLY:
		return ("reply");
	case MEMO_REPLY_KIND_REDIRECT:
		return ("redirect");
	case MEMO_REPLY_KIND_OUTCOME:
		return ("outcome");
	default:
		return ("unknown");
	}
}

/* The JSON of reply ${r}, or NULL. */
static json_t *
reply_json(const struct store_reply *r)
{
	size_t cap = B64_ENCODED_LEN(r->boxlen);
	char *text;
	json_t *o;

	if ((text = malloc(cap)) == NULL)
		return (NULL);
	routes_b64(text, cap, r->box, r->boxlen);
	o = json_pack("{s:I,s:s,s:s,s:I,s:s}", "n", (json_int_t)r->n, "kind",
	    note_kind_name(r->kind), "author", r->author, "created_at",
	    (json_int_t)r->created_at, "box", text);
	free(text);
	return (o);
}

/**
 * routes_channel_replies(ctx):
 * GET /api/v1/memos/{id}/replies: the memo's replies, redirection notes and
 * meeting outcomes, recording the access first.
 */
void
routes_channel_replies(struct route_ctx *ctx)
{
	struct store_reply *rs = NULL;
	struct memoctx mc;
	json_t *arr = NULL;
	size_t n = 0, i;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_REPLIES, &mc) != 0)
		return;
	/* The access is on record before anything is handed out. */
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_access(ctx, mc.memo.id, EVENT_ACCESS_REPLIES) != 0) {
		(void)tx_fail(ctx, "access record");
		return;
	}
	if (tx_commit(ctx) != 0)
		return;
	if (store_reply_list(ctx->store, mc.memo.id, &rs, &n) != STORE_OK) {
		routes_internal(ctx, "reply list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (json_array_append_new(arr, reply_json(&rs[i])) != 0)
			goto fail;
	for (i = 0; i < n; i++)
		free(rs[i].box);
	free(rs);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "replies", arr));
	return;

fail:
	json_decref(arr);
	for (i = 0; i < n; i++)
		free(rs[i].box);
	free(rs);
	routes_internal(ctx, "out of memory");
}

/**
 * routes_channel_close(ctx):
 * POST /api/v1/memos/{id}/close: close the memo.
 */
void
routes_channel_close(struct route_ctx *ctx)
{
	struct memoctx mc;
	enum memo_state next;
	struct event ev;

	if (load(ctx, ACCESS_OP_ACKNOWLEDGE, MEMO_ACT_CLOSE, &mc, &next) != 0 ||
	    tx_begin(ctx, &mc) != 0)
		return;
	mc.memo.state = (int)next;
	mc.memo.closed_at = ctx->now;
	event_begin(&ev, EVENT_MEMO_CLOSED, ctx, mc.memo.id);
	tx_finish(ctx, &mc, &ev);
}
