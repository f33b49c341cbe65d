#ifndef ROUTES_H_
#define ROUTES_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "account.h"
#include "chanlog.h"
#include "config.h"
#include "custody.h"
#include "direvent.h"
#include "http.h"
#include "instance.h"
#include "jsonin.h"
#include "keys.h"
#include "lockout.h"
#include "router.h"
#include "store.h"

/*
 * The API's routes (docs/API.md): the table and what every handler is
 * given.  Handlers parse nothing themselves (the body arrives checked and
 * decoded in ctx->body), call libdissent for every rule and the store for
 * every read and write, and leave exactly one reply in ctx->req.  A
 * handler whose checks fail replies before it writes anything, and every
 * write of more than one row is one store transaction, so a refused request
 * changes nothing.  A directory change appends its channel log event in
 * the same transaction, and is answered once a signed tree head covers
 * that event (routes_log_wait()).
 */
struct route_ctx {
	/*
	 * What handlers may use.  There is deliberately no handle on memo
	 * content here.  Routes that will carry memo data (texts, grants,
	 * signer lists, access records) are declared ACCESS_CONTENT, which the
	 * dispatcher already refuses to admins; in addition they must obtain
	 * their content-store handle only through one function taking this
	 * context (e.g. content_open(ctx)) that itself checks
	 * access_allowed(ctx->me->roles, ACCESS_CONTENT) and returns NULL for
	 * an admin session.  So even a route declared with the wrong class
	 * cannot hand content to an admin: the capability is never in an admin
	 * handler's reach.
	 */
	struct store *store;
	const struct instance *inst;
	const struct config *cfg;
	const struct account_policy *policy;
	struct lockout *unknown_handles; /* lock of handles without account */
	struct http_request *req;
	int64_t now;                           /* Unix seconds */
	const struct store_member *me;         /* the caller; NULL if public */
	const struct store_session *session;   /* NULL if public */
	const char *params[ROUTER_PARAMS_MAX]; /* captured path segments */
	void *body;                            /* the route's body struct */
};

/* Shared body pieces (docs/API.md, "Objects"). */
struct routes_keys_in {
	uint8_t sign_pk[KEYS_SIGN_PK_BYTES];
	uint8_t box_pk[KEYS_BOX_PK_BYTES];
	uint8_t ring_pk[KEYS_RING_PK_BYTES];
};

struct routes_pop_in {
	uint8_t sig[KEYS_SIG_BYTES];
	uint8_t ring_proof[KEYS_RING_PROOF_BYTES];
};

struct routes_custody_in {
	uint8_t salt[CUSTODY_SALT_BYTES];
	int64_t opslimit;
	int64_t memlimit;
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	uint8_t wrapped_seed[CUSTODY_WRAPPED_BYTES];
};

struct routes_recovery_in {
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	uint8_t wrapped_seed[CUSTODY_WRAPPED_BYTES];
};

extern const struct jsonin_spec routes_keys_spec;
extern const struct jsonin_spec routes_pop_spec;
extern const struct jsonin_spec routes_custody_spec;
extern const struct jsonin_spec routes_recovery_spec;
/* A body that may be absent or "{}" and nothing else. */
extern const struct jsonin_spec routes_empty_spec;

/* The route table. */
extern const struct route routes_table[];
extern const size_t routes_count;

/**
 * routes_member_json(m):
 * Return the public directory entry of ${m} (docs/API.md, "Member"), or
 * NULL if out of memory.
 */
json_t *routes_member_json(const struct store_member *m);

/**
 * routes_reply_member(ctx, status, m):
 * Reply ${status} with {"member": ${m}}.
 */
void routes_reply_member(
    struct route_ctx *ctx, unsigned int status, const struct store_member *m);

/**
 * routes_internal(ctx, what):
 * Log the failure ${what} and reply 500.
 */
void routes_internal(struct route_ctx *ctx, const char *what);

/**
 * routes_store_error(ctx, rc, what):
 * Reply to the store result ${rc}: 404 for STORE_NOTFOUND, 409 for
 * STORE_CONFLICT, else 500 (logged with ${what}).
 */
void routes_store_error(struct route_ctx *ctx, int rc, const char *what);

/**
 * routes_find_member(ctx, key, m):
 * Look up the member named by the path segment ${key}: an id if it starts
 * with "m_", else a handle.  Return a STORE_* code (STORE_NOTFOUND also for
 * a malformed key).
 */
int routes_find_member(
    struct route_ctx *ctx, const char *key, struct store_member *m);

/**
 * routes_member_reload(ctx, m):
 * Read ${m} again from the store (after a change).  Return 0, or -1 after
 * replying 500.
 */
int routes_member_reload(struct route_ctx *ctx, struct store_member *m);

/**
 * routes_custody_build(c, pw, rec):
 * Fill the stored custody ${c} from the password part ${pw} and the
 * recovery part ${rec} (NULL: leave ${c}'s recovery part as it is).
 */
void routes_custody_build(struct store_custody *c,
    const struct routes_custody_in *pw, const struct routes_recovery_in *rec);

/**
 * routes_kdf_acceptable(ctx, pw):
 * Return 1 if the KDF cost in ${pw} is within the server's bounds, else 0
 * after replying 400.
 */
int routes_kdf_acceptable(
    struct route_ctx *ctx, const struct routes_custody_in *pw);

/**
 * routes_keys_public(out, in):
 * Copy the decoded keys ${in} into ${out}.
 */
void routes_keys_public(
    struct keys_public *out, const struct routes_keys_in *in);

/**
 * routes_pop(out, in):
 * Copy the decoded proof of possession ${in} into ${out}.
 */
void routes_pop(struct keys_pop *out, const struct routes_pop_in *in);

/* How long a directory change waits for a tree head covering its event. */
#define ROUTES_LOG_WAIT_MS 10000

/**
 * routes_log_append(ctx, ev, index):
 * Append ${ev} to the channel log inside the caller's store transaction,
 * storing its index in ${index}.  Return 0, or -1 (the caller rolls back
 * and replies with routes_internal()).
 */
int routes_log_append(struct route_ctx *ctx, const struct event *ev,
    uint64_t *index) __attribute__((warn_unused_result));

/**
 * routes_log_wait(ctx, index):
 * After the commit of a change logged at ${index}, wait until a signed tree
 * head covers it (at most ROUTES_LOG_WAIT_MS; a timeout is logged, the
 * change stands and the head follows).
 */
void routes_log_wait(struct route_ctx *ctx, uint64_t index);

/**
 * routes_b64(out, cap, in, len):
 * Encode ${in} as base64url into ${out}, which must have room
 * (B64_ENCODED_LEN(${len})); abort otherwise, a programming error.
 */
void routes_b64(char *out, size_t cap, const uint8_t *in, size_t len);

/* Handlers (one file per resource). */
/**
 * routes_health_get(ctx):
 * GET /api/v1/health: {"status":"ok","version","schema"}.
 */
void routes_health_get(struct route_ctx *ctx);

/**
 * routes_health_instance(ctx):
 * GET /api/v1/instance: the instance's public description.
 */
void routes_health_instance(struct route_ctx *ctx);

extern const struct jsonin_spec routes_enroll_lookup_spec;
extern const struct jsonin_spec routes_enroll_complete_spec;

/**
 * routes_enroll_lookup(ctx):
 * POST /api/v1/enroll/lookup: the pending member an enrollment code
 * belongs to.
 */
void routes_enroll_lookup(struct route_ctx *ctx);

/**
 * routes_enroll_complete(ctx):
 * POST /api/v1/enroll: register a pending member's first keys and custody,
 * consuming the code.
 */
void routes_enroll_complete(struct route_ctx *ctx);

extern const struct jsonin_spec routes_auth_params_spec;
extern const struct jsonin_spec routes_auth_login_spec;
extern const struct jsonin_spec routes_auth_password_spec;
extern const struct jsonin_spec routes_auth_recovery_fetch_spec;
extern const struct jsonin_spec routes_auth_recovery_reset_spec;
extern const struct jsonin_spec routes_auth_totp_spec;

/**
 * routes_auth_params(ctx):
 * POST /api/v1/auth/params: the KDF salt and cost for a handle (a
 * deterministic decoy for a handle without an enrolled account).
 */
void routes_auth_params(struct route_ctx *ctx);

/**
 * routes_auth_login(ctx):
 * POST /api/v1/auth/login: check the credentials (and TOTP) and open a
 * session.
 */
void routes_auth_login(struct route_ctx *ctx);

/**
 * routes_auth_logout(ctx):
 * POST /api/v1/auth/logout: end the session and clear the cookie.
 */
void routes_auth_logout(struct route_ctx *ctx);

/**
 * routes_auth_session(ctx):
 * GET /api/v1/auth/session: the caller and when the session expires.
 */
void routes_auth_session(struct route_ctx *ctx);

/**
 * routes_auth_password(ctx):
 * POST /api/v1/auth/password: replace the password custody, ending every
 * other session of the member.
 */
void routes_auth_password(struct route_ctx *ctx);

/**
 * routes_auth_recovery_fetch(ctx):
 * POST /api/v1/auth/recovery/fetch: the seed wrapped under the recovery
 * code, for the holder of the code.
 */
void routes_auth_recovery_fetch(struct route_ctx *ctx);

/**
 * routes_auth_recovery_reset(ctx):
 * POST /api/v1/auth/recovery/reset: new password custody and recovery code
 * for the holder of the recovery code; ends every session, clears the
 * lock and turns TOTP off (the recovery code stands in for every factor).
 */
void routes_auth_recovery_reset(struct route_ctx *ctx);

/**
 * routes_auth_totp_setup(ctx):
 * POST /api/v1/auth/totp/setup: a new TOTP secret, stored but not enabled
 * until confirmed with a code.
 */
void routes_auth_totp_setup(struct route_ctx *ctx);

/**
 * routes_auth_totp_enable(ctx):
 * POST /api/v1/auth/totp/enable: given the password's authentication key,
 * confirm the secret from setup with a current code and require TOTP at
 * login from now on.
 */
void routes_auth_totp_enable(struct route_ctx *ctx);

/**
 * routes_auth_totp_disable(ctx):
 * POST /api/v1/auth/totp/disable: turn TOTP off, given the password's
 * authentication key and a current code.
 */
void routes_auth_totp_disable(struct route_ctx *ctx);

/* Outcomes of routes_auth_reauth(). */
#define ROUTES_AUTH_OK 0
#define ROUTES_AUTH_REFUSED 1  /* replied; commit, so the failure counts */
#define ROUTES_AUTH_ERROR (-1) /* replied; roll back */

/**
 * routes_auth_reauth(ctx, auth_key, c, l, cur):
 * Inside an open transaction, check the caller's own password ${auth_key}
 * (refused with 429 while locked; a wrong key counts as a failed login and
 * is refused with 401 bad_credentials), then re-read the caller's session
 * into ${cur} and check the member is still active, loading custody ${c}
 * and login state ${l}.  Return ROUTES_AUTH_OK; ROUTES_AUTH_REFUSED after
 * replying (commit: the failure must count); or ROUTES_AUTH_ERROR after
 * replying (roll back).
 */
int routes_auth_reauth(struct route_ctx *ctx,
    const uint8_t auth_key[CUSTODY_KEY_BYTES], struct store_custody *c,
    struct store_login *l, struct store_session *cur)
    __attribute__((warn_unused_result));

/**
 * routes_auth_end_other_sessions(ctx, cur):
 * Inside an open transaction, end every session of the caller except
 * ${cur} (as re-read by routes_auth_reauth()).  Return 0, or -1 after
 * replying 500.
 */
int routes_auth_end_other_sessions(struct route_ctx *ctx,
    const struct store_session *cur) __attribute__((warn_unused_result));

extern const struct jsonin_spec routes_keys_rotate_spec;

/**
 * routes_keys_get(ctx):
 * GET /api/v1/members/{id}/keys: a member's current keys and every epoch
 * ever registered.
 */
void routes_keys_get(struct route_ctx *ctx);

/**
 * routes_keys_rotate(ctx):
 * POST /api/v1/keys/rotate: given the password's authentication key,
 * replace the caller's keys with the next epoch's, signed by the current
 * signing key, with custody of the new seed; every other session ends.
 */
void routes_keys_rotate(struct route_ctx *ctx);

extern const struct jsonin_spec routes_orgs_create_spec;

/**
 * routes_orgs_list(ctx):
 * GET /api/v1/orgs: every organisation.
 */
void routes_orgs_list(struct route_ctx *ctx);

/**
 * routes_orgs_create(ctx):
 * POST /api/v1/orgs (admin): add an organisation.
 */
void routes_orgs_create(struct route_ctx *ctx);

extern const struct jsonin_spec routes_members_create_spec;
extern const struct jsonin_spec routes_members_patch_spec;

/**
 * routes_members_list(ctx):
 * GET /api/v1/members?org=ID&offset=N&limit=N: a page of the directory.
 */
void routes_members_list(struct route_ctx *ctx);

/**
 * routes_members_get(ctx):
 * GET /api/v1/members/{id-or-handle}: one directory entry.
 */
void routes_members_get(struct route_ctx *ctx);

/**
 * routes_members_create(ctx):
 * POST /api/v1/members (admin): add a pending member and issue its
 * enrollment code.
 */
void routes_members_create(struct route_ctx *ctx);

/**
 * routes_members_patch(ctx):
 * PATCH /api/v1/members/{id} (admin): change roles, eligibility or display
 * name.
 */
void routes_members_patch(struct route_ctx *ctx);

/**
 * routes_members_suspend(ctx):
 * POST /api/v1/members/{id}/suspend (admin): suspend a member, ending its
 * sessions at once.
 */
void routes_members_suspend(struct route_ctx *ctx);

/**
 * routes_members_reinstate(ctx):
 * POST /api/v1/members/{id}/reinstate (admin): lift a suspension; the
 * member is active again, or pending if it never enrolled.
 */
void routes_members_reinstate(struct route_ctx *ctx);

/**
 * routes_members_enrollment(ctx):
 * POST /api/v1/members/{id}/enrollment (admin): a new enrollment code for
 * a pending member, replacing the old one.
 */
void routes_members_enrollment(struct route_ctx *ctx);

/**
 * routes_log_head(ctx):
 * GET /api/v1/log/head: the latest signed tree head.
 */
void routes_log_head(struct route_ctx *ctx);

/**
 * routes_log_head_at(ctx):
 * GET /api/v1/log/heads/{size}: the signed tree head of that size.
 */
void routes_log_head_at(struct route_ctx *ctx);

/**
 * routes_log_entries(ctx):
 * GET /api/v1/log/entries?start=S&count=N: entries of the signed log.
 */
void routes_log_entries(struct route_ctx *ctx);

/**
 * routes_log_inclusion(ctx):
 * GET /api/v1/log/inclusion?index=I&size=N (or leaf_hash=H&size=N): an
 * inclusion proof.
 */
void routes_log_inclusion(struct route_ctx *ctx);

/**
 * routes_log_consistency(ctx):
 * GET /api/v1/log/consistency?first=M&second=N: a consistency proof.
 */
void routes_log_consistency(struct route_ctx *ctx);

#endif /* !ROUTES_H_ */
