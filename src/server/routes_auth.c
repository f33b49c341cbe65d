#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "b64.h"
#include "log.h"
#include "routes.h"
#include "totp.h"

/* Longest TOTP code text accepted (a valid one has TOTP_DIGITS digits). */
#define TOTP_TEXT_MAX 16
/* Longest otpauth:// URI built. */
#define TOTP_URI_MAX 512

struct params_in {
	char handle[DIRECTORY_HANDLE_MAX + 1];
};

static const struct jsonin_field params_fields[] = {
    {.name = "handle",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_HANDLE_MAX,
	JSONIN_AT(struct params_in, handle)},
};
const struct jsonin_spec routes_auth_params_spec =
    JSONIN_SPEC(struct params_in, params_fields);

struct login_in {
	char handle[DIRECTORY_HANDLE_MAX + 1];
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	char totp[TOTP_TEXT_MAX + 1];
	int has_totp;
};

static const struct jsonin_field login_fields[] = {
    {.name = "handle",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_HANDLE_MAX,
	JSONIN_AT(struct login_in, handle)},
    {.name = "auth_key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_KEY_BYTES,
	JSONIN_AT(struct login_in, auth_key)},
    {.name = "totp",
	.type = JSONIN_STRING,
	.min = 1,
	.max = TOTP_TEXT_MAX,
	JSONIN_AT(struct login_in, totp),
	JSONIN_PRESENT(struct login_in, has_totp)},
};
const struct jsonin_spec routes_auth_login_spec =
    JSONIN_SPEC(struct login_in, login_fields);

struct password_in {
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	struct routes_custody_in custody;
};

static const struct jsonin_field password_fields[] = {
    {.name = "auth_key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_KEY_BYTES,
	JSONIN_AT(struct password_in, auth_key)},
    {.name = "custody",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_custody_spec,
	JSONIN_AT(struct password_in, custody)},
};
const struct jsonin_spec routes_auth_password_spec =
    JSONIN_SPEC(struct password_in, password_fields);

struct recovery_fetch_in {
	char handle[DIRECTORY_HANDLE_MAX + 1];
	uint8_t auth_key[CUSTODY_KEY_BYTES];
};

static const struct jsonin_field recovery_fetch_fields[] = {
    {.name = "handle",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_HANDLE_MAX,
	JSONIN_AT(struct recovery_fetch_in, handle)},
    {.name = "auth_key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_KEY_BYTES,
	JSONIN_AT(struct recovery_fetch_in, auth_key)},
};
const struct jsonin_spec routes_auth_recovery_fetch_spec =
    JSONIN_SPEC(struct recovery_fetch_in, recovery_fetch_fields);

struct recovery_reset_in {
	char handle[DIRECTORY_HANDLE_MAX + 1];
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	struct routes_custody_in custody;
	struct routes_recovery_in recovery;
};

static const struct jsonin_field recovery_reset_fields[] = {
    {.name = "handle",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_HANDLE_MAX,
	JSONIN_AT(struct recovery_reset_in, handle)},
    {.name = "auth_key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_KEY_BYTES,
	JSONIN_AT(struct recovery_reset_in, auth_key)},
    {.name = "custody",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_custody_spec,
	JSONIN_AT(struct recovery_reset_in, custody)},
    {.name = "recovery",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_recovery_spec,
	JSONIN_AT(struct recovery_reset_in, recovery)},
};
const struct jsonin_spec routes_auth_recovery_reset_spec =
    JSONIN_SPEC(struct recovery_reset_in, recovery_reset_fields);

/*
 * TOTP enable and disable take the same body: the current password's
 * authentication key and a code from the authenticator.
 */
struct totp_in {
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	char code[TOTP_TEXT_MAX + 1];
};

static const struct jsonin_field totp_fields[] = {
    {.name = "auth_key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_KEY_BYTES,
	JSONIN_AT(struct totp_in, auth_key)},
    {.name = "code",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = TOTP_TEXT_MAX,
	JSONIN_AT(struct totp_in, code)},
};
const struct jsonin_spec routes_auth_totp_spec =
    JSONIN_SPEC(struct totp_in, totp_fields);

/* Which of a member's two verifiers a credential is checked against. */
enum cred_kind { CRED_PASSWORD, CRED_RECOVERY };

/* Outcome of a step run inside a transaction. */
enum step {
	STEP_OK = 0,
	STEP_REFUSED, /* replied; commit what was recorded (failures) */
	STEP_ERROR    /* replied; roll back */
};

/* Commit after a refusal so a recorded failure counts; 500 if it fails. */
static void
finish_refused(struct route_ctx *ctx)
{

	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
	}
}

/* Commit the successful work of a handler; 0, or -1 after replying 500. */
static int
finish_ok(struct route_ctx *ctx)
{

	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		return (-1);
	}
	return (0);
}

/* Reply 429 with Retry-After for an account locked ${secs} more seconds. */
static void
reply_locked(struct route_ctx *ctx, int64_t secs)
{
	char v[24];

	(void)snprintf(v, sizeof(v), "%lld", (long long)secs);
	http_reply_error(ctx->req, 429, "rate_limited",
	    "too many failed attempts; try again later");
	if (http_reply_header(ctx->req, "Retry-After", v) != 0)
		routes_internal(ctx, "Retry-After header");
}

/* Record a failed attempt in ${l} (inside the transaction). */
static enum step
record_failure(
    struct route_ctx *ctx, const char *member_id, struct store_login *l)
{

	account_login_failed(l, ctx->policy, ctx->now);
	if (store_login_set(ctx->store, member_id, l) != STORE_OK) {
		routes_internal(ctx, "login state");
		return (STEP_ERROR);
	}
	return (STEP_OK);
}

/* Read a member's login state; a member without one has the zero state. */
static int
login_get(struct route_ctx *ctx, const char *member_id, struct store_login *l)
{
	int rc;

	memset(l, 0, sizeof(*l));
	rc = store_login_get(ctx->store, member_id, l);
	if (rc == STORE_NOTFOUND) {
		memset(l, 0, sizeof(*l));
		return (STORE_OK);
	}
	return (rc);
}

/*
 * For a handle without an enrolled account: do the work a wrong password
 * costs (a verifier check and one durable write) and refuse alike, so the
 * answer and its timing do not tell who has an account.  Failures are
 * counted in memory and lock the handle like a real account's would.
 */
static enum step
refuse_unknown(struct route_ctx *ctx, const char *handle,
    const uint8_t auth_key[CUSTODY_KEY_BYTES])
{
	uint8_t verifier[CUSTODY_VERIFIER_BYTES];
	uint8_t nonce[16];
	char when[2 * sizeof(nonce) + 1];
	int64_t locked;

	if ((locked = lockout_locked(ctx->unknown_handles, handle, ctx->now)) >
	    0) {
		reply_locked(ctx, locked);
		return (STEP_ERROR); /* nothing to keep */
	}
	account_decoy_verifier(verifier, ctx->inst->secret, handle);
	/* The decoy matches no key anyone knows; the check is for its cost. */
	if (custody_verifier_check(verifier, auth_key) == 0)
		log_msg(LOG_WARN, "a login matched a decoy verifier");
	/*
	 * A real failure always changes its member's login row and so always
	 * commits with a sync.  The decoy write must cost the same: a value
	 * that differs every time (SQLite skips writing an unchanged value,
	 * which made unknown handles measurably faster).
	 */
	randombytes_buf(nonce, sizeof(nonce));
	(void)sodium_bin2hex(when, sizeof(when), nonce, sizeof(nonce));
	if (store_meta_set(ctx->store, "decoy_login", when) != STORE_OK) {
		routes_internal(ctx, "decoy write");
		return (STEP_ERROR);
	}
	lockout_failed(ctx->unknown_handles, handle, ctx->policy, ctx->now);
	http_reply_error(
	    ctx->req, 401, "bad_credentials", "wrong handle or credentials");
	return (STEP_REFUSED);
}

/*
 * Inside an open transaction, check ${auth_key} against ${handle}'s
 * password or recovery verifier, loading the member, custody and login
 * state.  A locked account is refused with 429 before any check; a wrong
 * key counts as a failed login; an unknown handle answers like a wrong key.
 * Suspension is not checked here: callers check it only once the
 * credentials are right, so it is no oracle.
 */
static enum step
check_credentials(struct route_ctx *ctx, const char *handle,
    const uint8_t auth_key[CUSTODY_KEY_BYTES], enum cred_kind kind,
    struct store_member *m, struct store_custody *c, struct store_login *l)
{
	int64_t locked;
	int rc;

	if (!directory_handle_valid(handle))
		return (refuse_unknown(ctx, handle, auth_key));
	rc = store_member_get_by_handle(ctx->store, handle, m);
	if (rc == STORE_NOTFOUND ||
	    (rc == STORE_OK && m->status == STORE_MEMBER_PENDING))
		return (refuse_unknown(ctx, handle, auth_key));
	if (rc != STORE_OK)
		goto err;
	if ((rc = store_custody_get(ctx->store, m->id, c)) == STORE_NOTFOUND)
		return (refuse_unknown(ctx, handle, auth_key));
	if (rc != STORE_OK || login_get(ctx, m->id, l) != STORE_OK)
		goto err;
	if ((locked = account_login_locked(l, ctx->now)) > 0) {
		reply_locked(ctx, locked);
		return (STEP_ERROR); /* nothing to keep */
	}
	if (custody_verifier_check(
		kind == CRED_PASSWORD ? c->verifier : c->recovery_verifier,
		auth_key) != 0) {
		if (record_failure(ctx, m->id, l) != STEP_OK)
			return (STEP_ERROR);
		http_reply_error(ctx->req, 401, "bad_credentials",
		    "wrong handle or credentials");
		return (STEP_REFUSED);
	}
	return (STEP_OK);

err:
	routes_internal(ctx, "credential lookup");
	return (STEP_ERROR);
}

/*
 * Check the member's own ${auth_key} (for a session's sensitive changes)
 * inside an open transaction, loading custody and login state; a wrong key
 * counts as a failed login.
 */
static enum step
check_own_password(struct route_ctx *ctx,
    const uint8_t auth_key[CUSTODY_KEY_BYTES], struct store_custody *c,
    struct store_login *l)
{
	int64_t locked;

	if (store_custody_get(ctx->store, ctx->me->id, c) != STORE_OK ||
	    login_get(ctx, ctx->me->id, l) != STORE_OK) {
		routes_internal(ctx, "custody lookup");
		return (STEP_ERROR);
	}
	if ((locked = account_login_locked(l, ctx->now)) > 0) {
		reply_locked(ctx, locked);
		return (STEP_ERROR);
	}
	if (custody_verifier_check(c->verifier, auth_key) != 0) {
		if (record_failure(ctx, ctx->me->id, l) != STEP_OK)
			return (STEP_ERROR);
		http_reply_error(
		    ctx->req, 401, "bad_credentials", "wrong credentials");
		return (STEP_REFUSED);
	}
	return (STEP_OK);
}

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
int
routes_auth_reauth(struct route_ctx *ctx,
    const uint8_t auth_key[CUSTODY_KEY_BYTES], struct store_custody *c,
    struct store_login *l, struct store_session *cur)
{
	struct store_member now;
	enum step st;
	int rc;

	st = check_own_password(ctx, auth_key, c, l);
	if (st == STEP_REFUSED)
		return (ROUTES_AUTH_REFUSED);
	if (st == STEP_ERROR)
		return (ROUTES_AUTH_ERROR);
	/*
	 * The session was checked before the transaction began; it may have
	 * ended since (logout, suspension).  Re-read it and the member inside
	 * the transaction, so that a caller deleting the member's sessions and
	 * putting this one back cannot revive a session that was just ended.
	 */
	rc = store_session_get(ctx->store, ctx->session->token_hash, cur);
	if (rc == STORE_OK)
		rc = store_member_get(ctx->store, ctx->me->id, &now);
	if (rc == STORE_NOTFOUND ||
	    (rc == STORE_OK && now.status != STORE_MEMBER_ACTIVE)) {
		http_reply_error(
		    ctx->req, 401, "unauthenticated", "the session has ended");
		return (ROUTES_AUTH_ERROR);
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "session re-check");
		return (ROUTES_AUTH_ERROR);
	}
	return (ROUTES_AUTH_OK);
}

/**
 * routes_auth_end_other_sessions(ctx, cur):
 * Inside an open transaction, end every session of the caller except
 * ${cur} (as re-read by routes_auth_reauth()).  Return 0, or -1 after
 * replying 500.
 */
int
routes_auth_end_other_sessions(
    struct route_ctx *ctx, const struct store_session *cur)
{

	if (store_session_delete_member(ctx->store, ctx->me->id) != STORE_OK ||
	    store_session_put(ctx->store, cur) != STORE_OK) {
		routes_internal(ctx, "session write");
		return (-1);
	}
	return (0);
}

/*
 * Check the TOTP ${code} against the member's stored secret, advancing
 * ${l}'s replay guard on success.  Return 0 if accepted, 1 if wrong, -1 on
 * an internal failure (after replying).
 */
static int
totp_check(struct route_ctx *ctx, const char *member_id, struct store_login *l,
    const char *code)
{
	uint8_t secret[TOTP_SECRET_BYTES];
	int64_t last = l->totp_last_step;
	int rc = 1;

	if (account_totp_open(
		secret, l->totp_box, ctx->inst->secret, member_id) != 0) {
		routes_internal(ctx, "TOTP secret does not open");
		return (-1);
	}
	if (totp_verify(secret, code, ctx->now, &last) == 0) {
		l->totp_last_step = last;
		rc = 0;
	}
	sodium_memzero(secret, sizeof(secret));
	return (rc);
}

/**
 * routes_auth_params(ctx):
 * POST /api/v1/auth/params: the KDF salt and cost for a handle (a
 * deterministic decoy for a handle without an enrolled account).
 */
void
routes_auth_params(struct route_ctx *ctx)
{
	const struct params_in *in = ctx->body;
	char salt[B64_ENCODED_LEN(CUSTODY_SALT_BYTES)];
	struct store_member m;
	struct store_custody c;
	int rc = STORE_NOTFOUND;

	if (directory_handle_valid(in->handle))
		rc = store_member_get_by_handle(ctx->store, in->handle, &m);
	if (rc == STORE_OK && m.status != STORE_MEMBER_PENDING)
		rc = store_custody_get(ctx->store, m.id, &c);
	else if (rc == STORE_OK)
		rc = STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		/* Looks like the default cost a client would have chosen. */
		memset(&c, 0, sizeof(c));
		account_decoy_salt(c.kdf.salt, ctx->inst->secret, in->handle);
		c.kdf.opslimit = CUSTODY_OPSLIMIT_DEFAULT;
		if (c.kdf.opslimit < ctx->cfg->kdf_min_opslimit)
			c.kdf.opslimit = ctx->cfg->kdf_min_opslimit;
		c.kdf.memlimit = CUSTODY_MEMLIMIT_DEFAULT;
		if (c.kdf.memlimit < ctx->cfg->kdf_min_memlimit)
			c.kdf.memlimit = ctx->cfg->kdf_min_memlimit;
	} else if (rc != STORE_OK) {
		routes_internal(ctx, "params lookup");
		return;
	}
	routes_b64(salt, sizeof(salt), c.kdf.salt, sizeof(c.kdf.salt));
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:s,s:I,s:I}", "salt", salt, "opslimit",
		(json_int_t)c.kdf.opslimit, "memlimit",
		(json_int_t)c.kdf.memlimit));
	sodium_memzero(&c, sizeof(c));
}

/**
 * routes_auth_login(ctx):
 * POST /api/v1/auth/login: check the credentials (and TOTP) and open a
 * session.
 */
void
routes_auth_login(struct route_ctx *ctx)
{
	const struct login_in *in = ctx->body;
	char token[ACCOUNT_TOKEN_LEN + 1];
	char wrapped[B64_ENCODED_LEN(CUSTODY_WRAPPED_BYTES)];
	char cookie[AUTH_COOKIE_MAX];
	uint8_t hash[ACCOUNT_HASH_BYTES];
	struct store_member m;
	struct store_custody c;
	struct store_login l;
	struct store_session sess;
	enum step st;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&l, 0, sizeof(l));
	memset(token, 0, sizeof(token));
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	st = check_credentials(
	    ctx, in->handle, in->auth_key, CRED_PASSWORD, &m, &c, &l);
	if (st == STEP_REFUSED) {
		finish_refused(ctx);
		goto done;
	}
	if (st == STEP_ERROR)
		goto rollback;

	if (l.totp_enabled) {
		if (!in->has_totp) {
			/* The password was right: not a failure. */
			http_reply_error(ctx->req, 401, "totp_required",
			    "a TOTP code is required");
			goto rollback;
		}
		if ((rc = totp_check(ctx, m.id, &l, in->totp)) < 0)
			goto rollback;
		if (rc > 0) {
			if (record_failure(ctx, m.id, &l) != STEP_OK)
				goto rollback;
			http_reply_error(
			    ctx->req, 401, "bad_totp", "wrong TOTP code");
			finish_refused(ctx);
			goto done;
		}
	}
	if (m.status == STORE_MEMBER_SUSPENDED) {
		http_reply_error(
		    ctx->req, 403, "suspended", "this account is suspended");
		goto rollback;
	}

	(void)account_login_succeeded(&l);
	account_token_new(token, hash);
	if (account_session_new(&sess, ctx->policy, m.id, hash, ctx->now) !=
	    0) {
		routes_internal(ctx, "session");
		goto rollback;
	}
	/* Always stored: the TOTP replay guard may have moved too. */
	if (store_login_set(ctx->store, m.id, &l) != STORE_OK ||
	    store_session_put(ctx->store, &sess) != STORE_OK) {
		routes_internal(ctx, "session write");
		goto rollback;
	}
	if (finish_ok(ctx) != 0)
		goto done;

	routes_b64(
	    wrapped, sizeof(wrapped), c.wrapped_seed, sizeof(c.wrapped_seed));
	if (http_reply_json(ctx->req, 200,
		json_pack("{s:s,s:I,s:o,s:s}", "token", token, "expires_at",
		    (json_int_t)sess.expires_at, "member",
		    routes_member_json(&m), "wrapped_seed", wrapped)) != 0)
		goto done;
	if (auth_cookie(cookie, sizeof(cookie), token, ctx->policy->session_ttl,
		ctx->req->tls) != 0 ||
	    http_reply_header(ctx->req, "Set-Cookie", cookie) != 0)
		routes_internal(ctx, "cookie");
	sodium_memzero(cookie, sizeof(cookie));
	sodium_memzero(wrapped, sizeof(wrapped));
	goto done;

rollback:
	store_rollback(ctx->store);
done:
	sodium_memzero(token, sizeof(token));
	sodium_memzero(&c, sizeof(c));
	sodium_memzero(&l, sizeof(l));
}

/**
 * routes_auth_logout(ctx):
 * POST /api/v1/auth/logout: end the session and clear the cookie.
 */
void
routes_auth_logout(struct route_ctx *ctx)
{
	char cookie[AUTH_COOKIE_MAX];

	if (store_session_delete(ctx->store, ctx->session->token_hash) !=
	    STORE_OK) {
		routes_internal(ctx, "session delete");
		return;
	}
	http_reply_empty(ctx->req, 204);
	if (auth_cookie_clear(cookie, sizeof(cookie), ctx->req->tls) != 0 ||
	    http_reply_header(ctx->req, "Set-Cookie", cookie) != 0)
		routes_internal(ctx, "cookie");
}

/**
 * routes_auth_session(ctx):
 * GET /api/v1/auth/session: the caller and when the session expires.
 */
void
routes_auth_session(struct route_ctx *ctx)
{

	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:o,s:I}", "member", routes_member_json(ctx->me),
		"expires_at", (json_int_t)ctx->session->expires_at));
}

/**
 * routes_auth_password(ctx):
 * POST /api/v1/auth/password: replace the password custody, ending every
 * other session of the member.
 */
void
routes_auth_password(struct route_ctx *ctx)
{
	const struct password_in *in = ctx->body;
	struct store_custody c;
	struct store_login l;
	struct store_session cur;

	memset(&c, 0, sizeof(c));
	memset(&l, 0, sizeof(l));
	memset(&cur, 0, sizeof(cur));
	if (!routes_kdf_acceptable(ctx, &in->custody))
		return;
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	switch (routes_auth_reauth(ctx, in->auth_key, &c, &l, &cur)) {
	case ROUTES_AUTH_OK:
		break;
	case ROUTES_AUTH_REFUSED:
		finish_refused(ctx);
		goto done;
	default:
		goto rollback;
	}
	/* Same seed, new password: the recovery wrapping stays. */
	routes_custody_build(&c, &in->custody, NULL);
	if (store_custody_set(ctx->store, ctx->me->id, &c) != STORE_OK) {
		routes_internal(ctx, "custody write");
		goto rollback;
	}
	if (routes_auth_end_other_sessions(ctx, &cur) != 0)
		goto rollback;
	if (account_login_succeeded(&l) &&
	    store_login_set(ctx->store, ctx->me->id, &l) != STORE_OK) {
		routes_internal(ctx, "login state");
		goto rollback;
	}
	if (finish_ok(ctx) == 0)
		http_reply_empty(ctx->req, 204);
	goto done;

rollback:
	store_rollback(ctx->store);
done:
	sodium_memzero(&c, sizeof(c));
	sodium_memzero(&l, sizeof(l));
	sodium_memzero(&cur, sizeof(cur));
}

/**
 * routes_auth_recovery_fetch(ctx):
 * POST /api/v1/auth/recovery/fetch: the seed wrapped under the recovery
 * code, for the holder of the code.
 */
void
routes_auth_recovery_fetch(struct route_ctx *ctx)
{
	const struct recovery_fetch_in *in = ctx->body;
	char wrapped[B64_ENCODED_LEN(CUSTODY_WRAPPED_BYTES)];
	struct store_member m;
	struct store_custody c;
	struct store_login l;
	enum step st;

	memset(&c, 0, sizeof(c));
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	st = check_credentials(
	    ctx, in->handle, in->auth_key, CRED_RECOVERY, &m, &c, &l);
	if (st == STEP_REFUSED) {
		finish_refused(ctx);
		goto done;
	}
	/* Nothing to write on success either. */
	store_rollback(ctx->store);
	if (st == STEP_ERROR)
		goto done;
	if (m.status == STORE_MEMBER_SUSPENDED) {
		http_reply_error(
		    ctx->req, 403, "suspended", "this account is suspended");
		goto done;
	}
	routes_b64(wrapped, sizeof(wrapped), c.recovery_wrapped_seed,
	    sizeof(c.recovery_wrapped_seed));
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:s,s:s}", "member_id", m.id, "recovery_wrapped_seed",
		wrapped));
	sodium_memzero(wrapped, sizeof(wrapped));

done:
	sodium_memzero(&c, sizeof(c));
	sodium_memzero(&l, sizeof(l));
}

/**
 * routes_auth_recovery_reset(ctx):
 * POST /api/v1/auth/recovery/reset: new password custody and recovery code
 * for the holder of the recovery code; ends every session, clears the
 * lock and turns TOTP off (the recovery code stands in for every factor).
 */
void
routes_auth_recovery_reset(struct route_ctx *ctx)
{
	const struct recovery_reset_in *in = ctx->body;
	struct store_member m;
	struct store_custody c;
	struct store_login l;
	enum step st;

	memset(&c, 0, sizeof(c));
	memset(&l, 0, sizeof(l));
	if (!routes_kdf_acceptable(ctx, &in->custody))
		return;
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	st = check_credentials(
	    ctx, in->handle, in->auth_key, CRED_RECOVERY, &m, &c, &l);
	if (st == STEP_REFUSED) {
		finish_refused(ctx);
		goto done;
	}
	if (st == STEP_ERROR)
		goto rollback;
	if (m.status == STORE_MEMBER_SUSPENDED) {
		http_reply_error(
		    ctx->req, 403, "suspended", "this account is suspended");
		goto rollback;
	}
	routes_custody_build(&c, &in->custody, &in->recovery);
	(void)account_login_succeeded(&l);
	l.totp_enabled = 0;
	l.totp_has_secret = 0;
	l.totp_last_step = 0;
	sodium_memzero(l.totp_box, sizeof(l.totp_box));
	if (store_custody_set(ctx->store, m.id, &c) != STORE_OK ||
	    store_login_set(ctx->store, m.id, &l) != STORE_OK ||
	    store_session_delete_member(ctx->store, m.id) != STORE_OK) {
		routes_internal(ctx, "recovery write");
		goto rollback;
	}
	if (finish_ok(ctx) == 0)
		http_reply_empty(ctx->req, 204);
	goto done;

rollback:
	store_rollback(ctx->store);
done:
	sodium_memzero(&c, sizeof(c));
	sodium_memzero(&l, sizeof(l));
}

/**
 * routes_auth_totp_setup(ctx):
 * POST /api/v1/auth/totp/setup: a new TOTP secret, stored but not enabled
 * until confirmed with a code.
 */
void
routes_auth_totp_setup(struct route_ctx *ctx)
{
	uint8_t secret[TOTP_SECRET_BYTES];
	char b32[ACCOUNT_BASE32_LEN(TOTP_SECRET_BYTES)];
	char uri[TOTP_URI_MAX];
	const char *issuer;
	struct store_login l;

	memset(&l, 0, sizeof(l));
	totp_secret_new(secret);
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if (login_get(ctx, ctx->me->id, &l) != STORE_OK) {
		routes_internal(ctx, "login state");
		goto rollback;
	}
	if (l.totp_enabled) {
		http_reply_error(ctx->req, 409, "conflict",
		    "TOTP is already enabled; disable it first");
		goto rollback;
	}
	issuer = ctx->cfg->instance_name[0] != '\0' ? ctx->cfg->instance_name
						    : ctx->inst->name;
	if (account_totp_seal(
		l.totp_box, secret, ctx->inst->secret, ctx->me->id) != 0 ||
	    account_base32_encode(b32, sizeof(b32), secret, sizeof(secret)) !=
		0 ||
	    totp_uri(uri, sizeof(uri), secret, issuer, ctx->me->handle) != 0) {
		routes_internal(ctx, "TOTP secret");
		goto rollback;
	}
	l.totp_has_secret = 1;
	l.totp_last_step = 0;
	if (store_login_set(ctx->store, ctx->me->id, &l) != STORE_OK) {
		routes_internal(ctx, "login state");
		goto rollback;
	}
	if (finish_ok(ctx) == 0)
		(void)http_reply_json(ctx->req, 200,
		    json_pack("{s:s,s:s}", "secret", b32, "uri", uri));
	goto done;

rollback:
	store_rollback(ctx->store);
done:
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(b32, sizeof(b32));
	sodium_memzero(uri, sizeof(uri));
	sodium_memzero(&l, sizeof(l));
}

/**
 * routes_auth_totp_enable(ctx):
 * POST /api/v1/auth/totp/enable: given the password's authentication key,
 * confirm the secret from setup with a current code and require TOTP at
 * login from now on.
 */
void
routes_auth_totp_enable(struct route_ctx *ctx)
{
	const struct totp_in *in = ctx->body;
	struct store_custody c;
	struct store_login l;
	struct store_session cur;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&l, 0, sizeof(l));
	memset(&cur, 0, sizeof(cur));
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	/*
	 * The password, not only a session: whoever holds a stolen token
	 * must not be able to lock the owner out behind a TOTP secret of
	 * their choosing.
	 */
	switch (routes_auth_reauth(ctx, in->auth_key, &c, &l, &cur)) {
	case ROUTES_AUTH_OK:
		break;
	case ROUTES_AUTH_REFUSED:
		finish_refused(ctx);
		goto done;
	default:
		goto rollback;
	}
	if (!l.totp_has_secret || l.totp_enabled) {
		http_reply_error(ctx->req, 409, "conflict",
		    l.totp_enabled ? "TOTP is already enabled"
				   : "no TOTP secret: call "
				     "/api/v1/auth/totp/setup first");
		goto rollback;
	}
	if ((rc = totp_check(ctx, ctx->me->id, &l, in->code)) < 0)
		goto rollback;
	if (rc > 0) {
		http_reply_error(ctx->req, 401, "bad_totp", "wrong TOTP code");
		goto rollback;
	}
	(void)account_login_succeeded(&l);
	l.totp_enabled = 1;
	if (store_login_set(ctx->store, ctx->me->id, &l) != STORE_OK) {
		routes_internal(ctx, "login state");
		goto rollback;
	}
	if (finish_ok(ctx) == 0)
		http_reply_empty(ctx->req, 204);
	goto done;

rollback:
	store_rollback(ctx->store);
done:
	sodium_memzero(&c, sizeof(c));
	sodium_memzero(&l, sizeof(l));
	sodium_memzero(&cur, sizeof(cur));
}

/**
 * routes_auth_totp_disable(ctx):
 * POST /api/v1/auth/totp/disable: turn TOTP off, given the password's
 * authentication key and a current code.
 */
void
routes_auth_totp_disable(struct route_ctx *ctx)
{
	const struct totp_in *in = ctx->body;
	struct store_custody c;
	struct store_login l;
	enum step st;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(&l, 0, sizeof(l));
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	st = check_own_password(ctx, in->auth_key, &c, &l);
	if (st == STEP_REFUSED) {
		finish_refused(ctx);
		goto done;
	}
	if (st == STEP_ERROR)
		goto rollback;
	if (!l.totp_enabled) {
		http_reply_error(
		    ctx->req, 409, "conflict", "TOTP is not enabled");
		goto rollback;
	}
	if ((rc = totp_check(ctx, ctx->me->id, &l, in->code)) < 0)
		goto rollback;
	if (rc > 0) {
		if (record_failure(ctx, ctx->me->id, &l) != STEP_OK)
			goto rollback;
		http_reply_error(ctx->req, 401, "bad_totp", "wrong TOTP code");
		finish_refused(ctx);
		goto done;
	}
	(void)account_login_succeeded(&l);
	l.totp_enabled = 0;
	l.totp_has_secret = 0;
	l.totp_last_step = 0;
	sodium_memzero(l.totp_box, sizeof(l.totp_box));
	if (store_login_set(ctx->store, ctx->me->id, &l) != STORE_OK) {
		routes_internal(ctx, "login state");
		goto rollback;
	}
	if (finish_ok(ctx) == 0)
		http_reply_empty(ctx->req, 204);
	goto done;

rollback:
	store_rollback(ctx->store);
done:
	sodium_memzero(&c, sizeof(c));
	sodium_memzero(&l, sizeof(l));
}
