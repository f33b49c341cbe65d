#ifndef MEMOCTX_H_
#define MEMOCTX_H_

#include <stdint.h>

#include <jansson.h>

#include "access.h"
#include "lifecycle.h"
#include "routes.h"
#include "store.h"

/*
 * What every memo route does first, in one place: load the memo named in
 * the path, work out the caller's relations to it, ask access.h whether the
 * operation is allowed and lifecycle.h whether the state allows it, and
 * reply with the right refusal otherwise.  Also the memo's JSON (which
 * fields a caller sees depends on the relations), access records with their
 * log events, deadlines, and receipts.
 */
struct memoctx {
	struct store_memo memo;
	unsigned int rel;   /* ACCESS_REL_*: stored relations, signer, roles */
	unsigned int flags; /* ACCESS_MEMO_* */
	int signed_state; /* 0 none, 1 stale, 2 current (caller's signature) */
};

/* Length of the base64url (no padding) of ${n} bytes. */
#define MEMOCTX_B64_LEN(n) ((4 * (size_t)(n) + 2) / 3)
/* Longest text of a sealed grant and of a version's box in a body. */
#define MEMOCTX_SEALED_TEXT_MAX MEMOCTX_B64_LEN(STORE_GRANT_MAX)
#define MEMOCTX_BOX_TEXT_MAX MEMOCTX_B64_LEN(MEMO_BOX_MAX)
/* Shortest sealed grant: crypto_box_seal overhead and a 32-byte key. */
#define MEMOCTX_SEALED_MIN (48 + 32)

/**
 * memoctx_load(ctx, id, op, mc):
 * Load memo ${id} for the caller into ${mc}.  Reply 404 if it does not
 * exist or the caller has no relation to it at all (channel roles count as
 * a relation only once the memo was submitted), 403 if the relations do not
 * allow ${op}.  Return 0, or -1 after replying.
 */
int memoctx_load(struct route_ctx *ctx, const char *id, enum access_op op,
    struct memoctx *mc) __attribute__((warn_unused_result));

/**
 * memoctx_relate(ctx, m, mc):
 * Fill ${mc} for the caller from the memo ${m} already read (for lists),
 * without any access decision.  Return 0, or -1 after logging.
 */
int memoctx_relate(struct route_ctx *ctx, const struct store_memo *m,
    struct memoctx *mc) __attribute__((warn_unused_result));

/**
 * memoctx_same(s, mc):
 * Inside the caller's transaction on ${s}, read the memo again: return
 * STORE_OK with the fresh row in ${mc} if its state, current version and
 * flags are those ${mc} was decided on, STORE_CONFLICT if they changed (a
 * concurrent request won), or STORE_ERR.  Replies and logs nothing (for
 * store_group_run() members, which run on another thread).
 */
int memoctx_same(struct store *s, struct memoctx *mc)
    __attribute__((warn_unused_result));

/**
 * memoctx_same_reply(ctx, rc):
 * Reply for memoctx_same()'s answer ${rc} when it is not STORE_OK: 409
 * conflict, or 500 after logging.
 */
void memoctx_same_reply(struct route_ctx *ctx, int rc);

/**
 * memoctx_recheck(ctx, mc):
 * Inside the caller's transaction, read the memo again into ${mc}, or
 * reply 409 conflict if its state, current version or flags changed since
 * ${mc} was loaded (a concurrent request won).  Return 0, or -1 after
 * replying (the caller rolls back).
 */
int memoctx_recheck(struct route_ctx *ctx, struct memoctx *mc)
    __attribute__((warn_unused_result));

/**
 * memoctx_transition(ctx, mc, action, next):
 * Store in ${next} the state ${action} leads to from ${mc}'s state; reply
 * 409 invalid_state (naming the state) if it is illegal.  Return 0, or -1
 * after replying.
 */
int memoctx_transition(struct route_ctx *ctx, const struct memoctx *mc,
    enum memo_action action, enum memo_state *next)
    __attribute__((warn_unused_result));

/**
 * memoctx_json(ctx, mc):
 * The Memo object (docs/API.md) of ${mc} as the caller may see it, or NULL
 * if out of memory or the store fails (after logging).
 */
json_t *memoctx_json(struct route_ctx *ctx, const struct memoctx *mc);

/**
 * memoctx_counts_json(ctx, mc):
 * The "counts" object of ${mc} ({"named","named_stale","anonymous",
 * "anonymous_stale"}: signatures over the current version and over earlier
 * ones; after submission the frozen counts), or NULL if the store fails or
 * memory runs out (after logging).
 */
json_t *memoctx_counts_json(struct route_ctx *ctx, const struct memoctx *mc);

/**
 * memoctx_access(ctx, memo_id, kind):
 * Inside the caller's store transaction, record that the caller accessed
 * ${memo_id} (EVENT_ACCESS_* ${kind}) with a fresh nonce and append the
 * content_accessed event carrying its commitment.  Return 0, or -1 (the
 * caller rolls back and replies 500).
 */
int memoctx_access(struct route_ctx *ctx, const char *memo_id, int kind)
    __attribute__((warn_unused_result));

/**
 * memoctx_grant_event(ctx, memo_id, recipient, kind):
 * Inside the caller's transaction, append the grant_created event of a
 * grant of ${kind} (EVENT_GRANT_*) to ${recipient} (a member id or
 * "channel"), recording its nonce as an access record of kind 0.  Return 0,
 * or -1.
 */
int memoctx_grant_event(struct route_ctx *ctx, const char *memo_id,
    const char *recipient, int kind) __attribute__((warn_unused_result));

/**
 * memoctx_notify_role(ctx, role, kind):
 * Inside the caller's transaction, queue a notification of ${kind}
 * (NOTIFY_*) to every active member holding the ROLE_* ${role}.  Return 0,
 * or -1 after logging.
 */
int memoctx_notify_role(struct route_ctx *ctx, unsigned int role, int kind)
    __attribute__((warn_unused_result));

/**
 * memoctx_sealed(ctx, field, text, out, len):
 * Decode the sealed grant ${text} of the body field ${field} into ${out}
 * (STORE_GRANT_MAX bytes), its length into ${len}.  Return 0, or -1 after
 * replying 400 if it is not base64url of MEMOCTX_SEALED_MIN to
 * STORE_GRANT_MAX bytes.
 */
int memoctx_sealed(struct route_ctx *ctx, const char *field, const char *text,
    uint8_t out[STORE_GRANT_MAX], size_t *len)
    __attribute__((warn_unused_result));

/**
 * memoctx_box(ctx, field, text, max, box, len):
 * Decode the ciphertext box ${text} of the body field ${field} into a
 * malloc'd ${box} of ${len} bytes.  Return 0, or -1 after replying 400 if
 * it is not base64url of more than MEMO_BOX_OVERHEAD and at most ${max}
 * bytes (or 500 if memory runs out).
 */
int memoctx_box(struct route_ctx *ctx, const char *field, const char *text,
    size_t max, uint8_t **box, size_t *len) __attribute__((warn_unused_result));

/**
 * memoctx_grant(ctx, memo_id, recipient, purpose, sealed, len):
 * Inside the caller's transaction, record the released grant ${sealed}
 * (${len} bytes) of ${purpose} (MEMO_GRANT_KEY or MEMO_GRANT_ROSTER) on
 * ${memo_id} to ${recipient} (a member id or STORE_RECIPIENT_CHANNEL),
 * replacing an earlier one, and append its grant_created event.  Return 0,
 * or -1 after logging.
 */
int memoctx_grant(struct route_ctx *ctx, const char *memo_id,
    const char *recipient, const char *purpose, const uint8_t *sealed,
    size_t len) __attribute__((warn_unused_result));

/**
 * memoctx_deadlines(ctx, m):
 * Recompute ${m}'s due dates from its submission and acknowledgement times
 * under the instance's profile and calendar.  Return 0, or -1.
 */
int memoctx_deadlines(struct route_ctx *ctx, struct store_memo *m)
    __attribute__((warn_unused_result));

/**
 * memoctx_receipt(ctx, index):
 * After the commit of a change logged at ${index}: wait for a signed tree
 * head covering it and return the Receipt object (docs/API.md) proving the
 * entry, or NULL after logging (the caller replies 500 or omits it).
 */
json_t *memoctx_receipt(struct route_ctx *ctx, uint64_t index);

/**
 * memoctx_reply(ctx, status, mc, index):
 * Reload the memo and reply ${status} with {"memo": Memo, "receipt":
 * Receipt of ${index}} (no receipt if ${index} is UINT64_MAX).
 */
void memoctx_reply(struct route_ctx *ctx, unsigned int status,
    struct memoctx *mc, uint64_t index);

#endif /* !MEMOCTX_H_ */
