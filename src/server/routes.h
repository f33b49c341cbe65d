#ifndef ROUTES_H_
#define ROUTES_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "account.h"
#include "chanlog.h"
#include "config.h"
#include "calendar.h"
#include "custody.h"
#include "deadline.h"
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
	const struct calendar *cal;            /* the instance's calendar */
	enum deadline_profile profile;         /* the deadline profile */
	const uint8_t *signer_tag_key;         /* MEMO_KEY_BYTES, for tags */
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

/**
 * routes_parse_u64(s, min, max, out):
 * Parse ${s} as a strict decimal integer from ${min} to ${max}: digits
 * only, no sign, no leading zero (but "0"), at most 19 digits.  Return 0
 * and the value in ${out}, or -1 (${out} untouched).
 */
int routes_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
    __attribute__((warn_unused_result));

/**
 * routes_query_allowed(ctx, allowed, n):
 * Refuse (400 unknown_field) query parameters other than the ${n}
 * ${allowed} ones, or one given twice.  Return 0, or -1 after replying.
 */
int routes_query_allowed(struct route_ctx *ctx, const char *const *allowed,
    size_t n) __attribute__((warn_unused_result));

/**
 * routes_query_u64(ctx, name, required, min, max, out):
 * Read the query parameter ${name} as an integer from ${min} to ${max}
 * into ${out}; if it is absent, leave ${out} as it is unless ${required}.
 * Return 0, or -1 after replying 400 (missing_field or invalid_field).
 */
int routes_query_u64(struct route_ctx *ctx, const char *name, int required,
    uint64_t min, uint64_t max, uint64_t *out)
    __attribute__((warn_unused_result));

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

/* Memos (routes_memos.c; docs/API.md, "Memos"). */
extern const struct jsonin_spec routes_memos_create_spec;
extern const struct jsonin_spec routes_memos_version_spec;
extern const struct jsonin_spec routes_memos_settings_spec;
extern const struct jsonin_spec routes_memos_submit_spec;

/**
 * routes_memos_create(ctx):
 * POST /api/v1/memos: a new memo in draft with its first version and the
 * creator's own grants; the creator is its drafter.
 */
void routes_memos_create(struct route_ctx *ctx);

/**
 * routes_memos_list(ctx):
 * GET /api/v1/memos: the memos the caller has a stored relation to, newest
 * first.
 */
void routes_memos_list(struct route_ctx *ctx);

/**
 * routes_memos_get(ctx):
 * GET /api/v1/memos/{id}: one memo.
 */
void routes_memos_get(struct route_ctx *ctx);

/**
 * routes_memos_version_add(ctx):
 * POST /api/v1/memos/{id}/versions: a new version from a drafter, making
 * every earlier signature stale.
 */
void routes_memos_version_add(struct route_ctx *ctx);

/**
 * routes_memos_versions(ctx):
 * GET /api/v1/memos/{id}/versions: every version's number, hash, author
 * and time, oldest first.
 */
void routes_memos_versions(struct route_ctx *ctx);

/**
 * routes_memos_version_get(ctx):
 * GET /api/v1/memos/{id}/versions/{n}: one version's box, after recording
 * the access in the log.
 */
void routes_memos_version_get(struct route_ctx *ctx);

/**
 * routes_memos_grants(ctx):
 * GET /api/v1/memos/{id}/grants: the caller's own sealed grants (and, for
 * a coordinator after submission, the channel's and the caller's sealed
 * channel key), after recording the access in the log.
 */
void routes_memos_grants(struct route_ctx *ctx);

/**
 * routes_memos_open(ctx):
 * POST /api/v1/memos/{id}/open: open a draft for signatures, pinning its
 * ring snapshot for anonymous ones.
 */
void routes_memos_open(struct route_ctx *ctx);

/**
 * routes_memos_settings(ctx):
 * PUT /api/v1/memos/{id}/settings: whether signers see each other's names
 * and may invite signers, while the memo is drafted.
 */
void routes_memos_settings(struct route_ctx *ctx);

/**
 * routes_memos_submit(ctx):
 * POST /api/v1/memos/{id}/submit: freeze the current version and its
 * signatures, grant the memo to the channel, start the deadlines, log it
 * and answer with the receipt.
 */
void routes_memos_submit(struct route_ctx *ctx);

/**
 * routes_memos_receipt(ctx):
 * GET /api/v1/memos/{id}/receipt: the receipt of the memo's submission.
 */
void routes_memos_receipt(struct route_ctx *ctx);

/**
 * routes_memos_withdraw(ctx):
 * POST /api/v1/memos/{id}/withdraw: a drafter withdraws the memo (until
 * it is acknowledged), with a receipt.
 */
void routes_memos_withdraw(struct route_ctx *ctx);

/**
 * routes_memos_accesses(ctx):
 * GET /api/v1/memos/{id}/accesses: every recorded grant and access of the
 * memo, with the nonces that open their log commitments.
 */
void routes_memos_accesses(struct route_ctx *ctx);

/* Invitations (routes_invitations.c; docs/API.md, "Invitations"). */
extern const struct jsonin_spec routes_invitations_create_spec;

/**
 * routes_invitations_create(ctx):
 * POST /api/v1/memos/{id}/invitations: invite a member to sign or to
 * co-draft, recording their relation and grants and notifying them.
 */
void routes_invitations_create(struct route_ctx *ctx);

/**
 * routes_invitations_list(ctx):
 * GET /api/v1/invitations: the open memos the caller was invited to (or
 * co-drafts) whose current version the caller has not signed.
 */
void routes_invitations_list(struct route_ctx *ctx);

/*
 * Most roster grants in one POST /api/v1/memos/{id}/roster-grants: with
 * grants of the usual 80 bytes, 256 of them fit the 64 KiB body limit.
 */
#define ROUTES_ROSTER_GRANTS_MAX 256
extern const struct jsonin_spec routes_invitations_roster_spec;

/**
 * routes_invitations_roster_list(ctx):
 * GET /api/v1/memos/{id}/roster-grants: the invitees of a memo that shows
 * its signers who hold no roster grant (drafters and co-drafters).
 */
void routes_invitations_roster_list(struct route_ctx *ctx);

/**
 * routes_invitations_roster_grant(ctx):
 * POST /api/v1/memos/{id}/roster-grants: record the roster grants a
 * drafter or co-drafter sealed to invitees who hold none, all or nothing,
 * while the memo shows its signers.
 */
void routes_invitations_roster_grant(struct route_ctx *ctx);

/*
 * Anonymous co-signatures (routes_anon.c; docs/API.md, "Anonymous
 * signatures").
 */
extern const struct jsonin_spec routes_anon_add_spec;
extern const struct jsonin_spec routes_anon_withdraw_spec;

/**
 * routes_anon_ring(ctx):
 * GET /api/v1/memos/{id}/ring: the memo's ring snapshot (its log size and
 * members, by ring key) with the configured ring maximum and warning
 * threshold.
 */
void routes_anon_ring(struct route_ctx *ctx);

/**
 * routes_anon_add(ctx):
 * POST /api/v1/memos/{id}/anonymous-signatures: an anonymous signature
 * over the current version, sent without a session, on a ring of the
 * memo's snapshot; one per linking tag, replacing one over an earlier
 * version.
 */
void routes_anon_add(struct route_ctx *ctx);

/**
 * routes_anon_withdraw(ctx):
 * POST /api/v1/memos/{id}/anonymous-signatures/withdraw: withdraw the
 * anonymous signature whose linking tag the posted withdrawal carries,
 * made over the same ring, sent without a session.
 */
void routes_anon_withdraw(struct route_ctx *ctx);

/**
 * routes_anon_list(ctx):
 * GET /api/v1/memos/{id}/anonymous-signatures[?after=TAG]: the snapshot's
 * log size and the memo's anonymous signatures by tag (after submission,
 * the frozen ones), as many as fit one reply; "next" names the tag to ask
 * for the rest after.
 */
void routes_anon_list(struct route_ctx *ctx);

/* Named signatures (routes_signatures.c; docs/API.md, "Signatures"). */
extern const struct jsonin_spec routes_signatures_add_spec;

/**
 * routes_signatures_add(ctx):
 * POST /api/v1/memos/{id}/signatures: the caller's named signature over
 * the current version, verified against the directory; one per member,
 * replacing one over an earlier version.
 */
void routes_signatures_add(struct route_ctx *ctx);

/**
 * routes_signatures_remove(ctx):
 * DELETE /api/v1/memos/{id}/signatures/mine: the caller withdraws their
 * signature before submission.
 */
void routes_signatures_remove(struct route_ctx *ctx);

/**
 * routes_signatures_strike(ctx):
 * DELETE /api/v1/memos/{id}/signatures/{tag}: a drafter strikes the named
 * signature whose tag is given (base64url), before submission: the way
 * to remove a record that does not verify.
 */
void routes_signatures_strike(struct route_ctx *ctx);

/**
 * routes_signatures_list(ctx):
 * GET /api/v1/memos/{id}/signatures: the counts, and to those who may see
 * signers the sealed records ordered by tag, each with its tag for the
 * drafters (after recording the access).
 */
void routes_signatures_list(struct route_ctx *ctx);

/* The channel's workflow (routes_channel.c; docs/API.md, "Channel"). */
extern const struct jsonin_spec routes_channel_key_spec;
extern const struct jsonin_spec routes_channel_grant_spec;
extern const struct jsonin_spec routes_channel_note_spec;
extern const struct jsonin_spec routes_channel_assign_spec;
extern const struct jsonin_spec routes_channel_distribute_spec;

/* Most members routes_channel_role_members() returns. */
#define ROUTES_CHANNEL_ROLE_MAX 64

/**
 * routes_channel_role_members(ctx, role, ms, n):
 * Store in a malloc'd ${ms} (free()) the ${n} active members holding the
 * ROLE_* ${role}, ordered by handle.  Return 0, or -1 (logged) on a store
 * failure or more than ROUTES_CHANNEL_ROLE_MAX of them.
 */
int routes_channel_role_members(struct route_ctx *ctx, unsigned int role,
    struct store_member **ms, size_t *n) __attribute__((warn_unused_result));

/**
 * routes_channel_note(ctx, m, kind, n, box, boxlen):
 * Inside the open transaction, store the encrypted note ${box} (${boxlen}
 * bytes) of MEMO_REPLY_KIND_* ${kind} by the caller as number ${n} of memo
 * ${m}, counting it in ${m} (the caller writes ${m} back).  Return 0, or
 * -1 after rolling back and replying (409 conflict if the number is
 * taken).
 */
int routes_channel_note(struct route_ctx *ctx, struct store_memo *m, int kind,
    uint32_t n, uint8_t *box, size_t boxlen)
    __attribute__((warn_unused_result));

/**
 * routes_channel_get(ctx):
 * GET /api/v1/channel: the channel's public key and whether the caller
 * holds it.
 */
void routes_channel_get(struct route_ctx *ctx);

/**
 * routes_channel_key(ctx):
 * POST /api/v1/channel/key: record the channel's public key, once, with
 * the creating coordinator's sealed copy of its secret key.
 */
void routes_channel_key(struct route_ctx *ctx);

/**
 * routes_channel_grant(ctx):
 * POST /api/v1/channel/grants: record another coordinator's sealed copy of
 * the channel's secret key.
 */
void routes_channel_grant(struct route_ctx *ctx);

/**
 * routes_channel_grant_get(ctx):
 * GET /api/v1/channel/grant: the caller's own sealed channel secret key.
 */
void routes_channel_grant_get(struct route_ctx *ctx);

/**
 * routes_channel_inbox(ctx):
 * GET /api/v1/channel/inbox?offset=N&limit=N: a page of the memos awaiting
 * the channel, the next due first, with the count of all of them.
 */
void routes_channel_inbox(struct route_ctx *ctx);

/**
 * routes_channel_standard(ctx):
 * GET /api/v1/standard-principals?memo=ID: the standard distribution list
 * of a memo.
 */
void routes_channel_standard(struct route_ctx *ctx);

/**
 * routes_channel_ack(ctx):
 * POST /api/v1/memos/{id}/ack: acknowledge a submitted memo.
 */
void routes_channel_ack(struct route_ctx *ctx);

/**
 * routes_channel_redirect(ctx):
 * POST /api/v1/memos/{id}/redirect: refuse a submitted memo as out of
 * scope with an encrypted note saying where to go instead.
 */
void routes_channel_redirect(struct route_ctx *ctx);

/**
 * routes_channel_assign(ctx):
 * POST /api/v1/memos/{id}/assign: give the memo to a colleague of the
 * channel's organisation to draft the reply, with the memo key only,
 * taking it from the previous assignee.
 */
void routes_channel_assign(struct route_ctx *ctx);

/**
 * routes_channel_distribute(ctx):
 * POST /api/v1/memos/{id}/distribute: distribute the memo to principals,
 * at once to those on the standard list, pending the director's approval
 * for others.
 */
void routes_channel_distribute(struct route_ctx *ctx);

/**
 * routes_channel_distributions(ctx):
 * GET /api/v1/memos/{id}/distributions: the memo's distributions.
 */
void routes_channel_distributions(struct route_ctx *ctx);

/**
 * routes_channel_approve(ctx):
 * POST /api/v1/memos/{id}/distributions/{member}/approve: the director
 * approves a pending distribution, releasing its grants.
 */
void routes_channel_approve(struct route_ctx *ctx);

/**
 * routes_channel_reply(ctx):
 * POST /api/v1/memos/{id}/replies: add the channel's encrypted reply.
 */
void routes_channel_reply(struct route_ctx *ctx);

/**
 * routes_channel_replies(ctx):
 * GET /api/v1/memos/{id}/replies: the memo's replies, redirection notes and
 * meeting outcomes, recording the access first.
 */
void routes_channel_replies(struct route_ctx *ctx);

/**
 * routes_channel_close(ctx):
 * POST /api/v1/memos/{id}/close: close the memo.
 */
void routes_channel_close(struct route_ctx *ctx);

/* Meetings (routes_meetings.c; docs/API.md, "Meetings"). */
extern const struct jsonin_spec routes_meetings_request_spec;
extern const struct jsonin_spec routes_meetings_schedule_spec;
extern const struct jsonin_spec routes_meetings_outcome_spec;

/**
 * routes_meetings_request(ctx):
 * POST /api/v1/memos/{id}/meetings: a drafter asks a principal the memo
 * was distributed to for a meeting.
 */
void routes_meetings_request(struct route_ctx *ctx);

/**
 * routes_meetings_list(ctx):
 * GET /api/v1/meetings: the caller's meetings (a coordinator's: all).
 */
void routes_meetings_list(struct route_ctx *ctx);

/**
 * routes_meetings_schedule(ctx):
 * POST /api/v1/meetings/{mid}/schedule: the principal or a coordinator
 * sets the meeting's time.
 */
void routes_meetings_schedule(struct route_ctx *ctx);

/**
 * routes_meetings_outcome(ctx):
 * POST /api/v1/meetings/{mid}/outcome: the principal or a coordinator
 * records whether the meeting was held, with an optional encrypted note.
 */
void routes_meetings_outcome(struct route_ctx *ctx);

/* Reprisal complaints (routes_complaints.c; docs/API.md, "Complaints"). */
extern const struct jsonin_spec routes_complaints_file_spec;

/**
 * routes_complaints_auditors(ctx):
 * GET /api/v1/auditors: the active auditors with their keys.
 */
void routes_complaints_auditors(struct route_ctx *ctx);

/**
 * routes_complaints_file(ctx):
 * POST /api/v1/complaints: file an encrypted complaint readable by the
 * auditors only, without recording who filed it.
 */
void routes_complaints_file(struct route_ctx *ctx);

/**
 * routes_complaints_list(ctx):
 * GET /api/v1/complaints: the complaints, each with the caller's sealed
 * key.
 */
void routes_complaints_list(struct route_ctx *ctx);

/**
 * routes_stats_get(ctx):
 * GET /api/v1/stats?period=month|quarter|year: the channel's statistics,
 * with small cells suppressed.
 */
void routes_stats_get(struct route_ctx *ctx);

#endif /* !ROUTES_H_ */
