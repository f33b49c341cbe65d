#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "log.h"
#include "routes.h"

/* Shared body pieces (docs/API.md, "Objects"). */
static const struct jsonin_field keys_fields[] = {
    {.name = "sign_pk",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = KEYS_SIGN_PK_BYTES,
	JSONIN_AT(struct routes_keys_in, sign_pk)},
    {.name = "box_pk",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = KEYS_BOX_PK_BYTES,
	JSONIN_AT(struct routes_keys_in, box_pk)},
    {.name = "ring_pk",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = KEYS_RING_PK_BYTES,
	JSONIN_AT(struct routes_keys_in, ring_pk)},
};
const struct jsonin_spec routes_keys_spec =
    JSONIN_SPEC(struct routes_keys_in, keys_fields);

static const struct jsonin_field pop_fields[] = {
    {.name = "sig",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = KEYS_SIG_BYTES,
	JSONIN_AT(struct routes_pop_in, sig)},
    {.name = "ring_proof",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = KEYS_RING_PROOF_BYTES,
	JSONIN_AT(struct routes_pop_in, ring_proof)},
};
const struct jsonin_spec routes_pop_spec =
    JSONIN_SPEC(struct routes_pop_in, pop_fields);

/*
 * The KDF cost is range-checked loosely here (it must fit the types);
 * custody_kdf_check() applies the server's real bounds in the handler, so
 * the client learns which bound it missed.
 */
static const struct jsonin_field custody_fields[] = {
    {.name = "salt",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_SALT_BYTES,
	JSONIN_AT(struct routes_custody_in, salt)},
    {.name = "opslimit",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 1,
	.imax = UINT32_MAX,
	JSONIN_AT(struct routes_custody_in, opslimit)},
    {.name = "memlimit",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 1,
	.imax = (int64_t)1 << 40,
	JSONIN_AT(struct routes_custody_in, memlimit)},
    {.name = "auth_key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_KEY_BYTES,
	JSONIN_AT(struct routes_custody_in, auth_key)},
    {.name = "wrapped_seed",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_WRAPPED_BYTES,
	JSONIN_AT(struct routes_custody_in, wrapped_seed)},
};
const struct jsonin_spec routes_custody_spec =
    JSONIN_SPEC(struct routes_custody_in, custody_fields);

static const struct jsonin_field recovery_fields[] = {
    {.name = "auth_key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_KEY_BYTES,
	JSONIN_AT(struct routes_recovery_in, auth_key)},
    {.name = "wrapped_seed",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_WRAPPED_BYTES,
	JSONIN_AT(struct routes_recovery_in, wrapped_seed)},
};
const struct jsonin_spec routes_recovery_spec =
    JSONIN_SPEC(struct routes_recovery_in, recovery_fields);

/* An output struct for bodies without fields. */
struct empty_in {
	int unused;
};
const struct jsonin_spec routes_empty_spec = {NULL, 0, sizeof(struct empty_in)};

#define P ACCESS_PUBLIC
#define S ACCESS_SESSION
#define A ACCESS_ADMIN
#define RL ROUTE_RATE_LIMITED
#define Q ROUTE_QUERY

/*
 * The table (docs/API.md, "Endpoints").  Order matters only where
 * patterns overlap: ".../signatures/mine" comes before the
 * ".../signatures/{tag}" it would also match; elsewhere literal segments
 * never collide with ids.
 */
/* Routes whose body carries memo ciphertext or a ring signature. */
#define L ROUTE_LARGE_BODY

const struct route routes_table[] = {
    {ROUTER_GET, "/api/v1/health", P, 0, NULL, routes_health_get},
    {ROUTER_GET, "/api/v1/instance", P, 0, NULL, routes_health_instance},

    {ROUTER_POST, "/api/v1/enroll/lookup", P, RL, &routes_enroll_lookup_spec,
	routes_enroll_lookup},
    {ROUTER_POST, "/api/v1/enroll", P, RL, &routes_enroll_complete_spec,
	routes_enroll_complete},

    {ROUTER_POST, "/api/v1/auth/params", P, RL, &routes_auth_params_spec,
	routes_auth_params},
    {ROUTER_POST, "/api/v1/auth/login", P, RL, &routes_auth_login_spec,
	routes_auth_login},
    {ROUTER_POST, "/api/v1/auth/logout", S, 0, &routes_empty_spec,
	routes_auth_logout},
    {ROUTER_GET, "/api/v1/auth/session", S, 0, NULL, routes_auth_session},
    {ROUTER_POST, "/api/v1/auth/password", S, 0, &routes_auth_password_spec,
	routes_auth_password},
    {ROUTER_POST, "/api/v1/auth/recovery/fetch", P, RL,
	&routes_auth_recovery_fetch_spec, routes_auth_recovery_fetch},
    {ROUTER_POST, "/api/v1/auth/recovery/reset", P, RL,
	&routes_auth_recovery_reset_spec, routes_auth_recovery_reset},
    {ROUTER_POST, "/api/v1/auth/totp/setup", S, 0, &routes_empty_spec,
	routes_auth_totp_setup},
    {ROUTER_POST, "/api/v1/auth/totp/enable", S, 0, &routes_auth_totp_spec,
	routes_auth_totp_enable},
    {ROUTER_POST, "/api/v1/auth/totp/disable", S, 0, &routes_auth_totp_spec,
	routes_auth_totp_disable},

    {ROUTER_GET, "/api/v1/members/{id}/keys", S, 0, NULL, routes_keys_get},
    {ROUTER_POST, "/api/v1/keys/rotate", S, 0, &routes_keys_rotate_spec,
	routes_keys_rotate},

    {ROUTER_GET, "/api/v1/orgs", S, 0, NULL, routes_orgs_list},
    {ROUTER_POST, "/api/v1/orgs", A, 0, &routes_orgs_create_spec,
	routes_orgs_create},

    {ROUTER_GET, "/api/v1/members", S, Q, NULL, routes_members_list},
    {ROUTER_POST, "/api/v1/members", A, 0, &routes_members_create_spec,
	routes_members_create},
    {ROUTER_GET, "/api/v1/members/{id}", S, 0, NULL, routes_members_get},
    {ROUTER_PATCH, "/api/v1/members/{id}", A, 0, &routes_members_patch_spec,
	routes_members_patch},
    {ROUTER_POST, "/api/v1/members/{id}/suspend", A, 0, &routes_empty_spec,
	routes_members_suspend},
    {ROUTER_POST, "/api/v1/members/{id}/reinstate", A, 0, &routes_empty_spec,
	routes_members_reinstate},
    {ROUTER_POST, "/api/v1/members/{id}/enrollment", A, 0, &routes_empty_spec,
	routes_members_enrollment},

    {ROUTER_GET, "/api/v1/log/head", S, 0, NULL, routes_log_head},
    {ROUTER_GET, "/api/v1/log/heads/{size}", S, 0, NULL, routes_log_head_at},
    {ROUTER_GET, "/api/v1/log/entries", S, Q, NULL, routes_log_entries},
    {ROUTER_GET, "/api/v1/log/inclusion", S, Q, NULL, routes_log_inclusion},
    {ROUTER_GET, "/api/v1/log/consistency", S, Q, NULL, routes_log_consistency},

    /* Memos, invitations and signatures: never an admin. */
    {ROUTER_GET, "/api/v1/memos", ACCESS_CONTENT, 0, NULL, routes_memos_list},
    {ROUTER_POST, "/api/v1/memos", ACCESS_CONTENT, L, &routes_memos_create_spec,
	routes_memos_create},
    {ROUTER_GET, "/api/v1/memos/{id}", ACCESS_CONTENT, 0, NULL,
	routes_memos_get},
    {ROUTER_GET, "/api/v1/memos/{id}/versions", ACCESS_CONTENT, 0, NULL,
	routes_memos_versions},
    {ROUTER_POST, "/api/v1/memos/{id}/versions", ACCESS_CONTENT, L,
	&routes_memos_version_spec, routes_memos_version_add},
    {ROUTER_GET, "/api/v1/memos/{id}/versions/{n}", ACCESS_CONTENT, 0, NULL,
	routes_memos_version_get},
    {ROUTER_GET, "/api/v1/memos/{id}/grants", ACCESS_CONTENT, 0, NULL,
	routes_memos_grants},
    {ROUTER_POST, "/api/v1/memos/{id}/open", ACCESS_CONTENT, 0,
	&routes_empty_spec, routes_memos_open},
    {ROUTER_PUT, "/api/v1/memos/{id}/settings", ACCESS_CONTENT, 0,
	&routes_memos_settings_spec, routes_memos_settings},
    {ROUTER_POST, "/api/v1/memos/{id}/invitations", ACCESS_CONTENT, 0,
	&routes_invitations_create_spec, routes_invitations_create},
    {ROUTER_GET, "/api/v1/invitations", ACCESS_CONTENT, 0, NULL,
	routes_invitations_list},
    {ROUTER_GET, "/api/v1/memos/{id}/roster-grants", ACCESS_CONTENT, 0, NULL,
	routes_invitations_roster_list},
    {ROUTER_POST, "/api/v1/memos/{id}/roster-grants", ACCESS_CONTENT, 0,
	&routes_invitations_roster_spec, routes_invitations_roster_grant},
    {ROUTER_GET, "/api/v1/memos/{id}/signatures", ACCESS_CONTENT, 0, NULL,
	routes_signatures_list},
    {ROUTER_POST, "/api/v1/memos/{id}/signatures", ACCESS_CONTENT, 0,
	&routes_signatures_add_spec, routes_signatures_add},
    {ROUTER_DELETE, "/api/v1/memos/{id}/signatures/mine", ACCESS_CONTENT, 0,
	&routes_empty_spec, routes_signatures_remove},
    /* After ".../mine", which no tag (43 characters) can be. */
    {ROUTER_DELETE, "/api/v1/memos/{id}/signatures/{tag}", ACCESS_CONTENT, 0,
	&routes_empty_spec, routes_signatures_strike},
    {ROUTER_GET, "/api/v1/memos/{id}/ring", ACCESS_CONTENT, 0, NULL,
	routes_anon_ring},
    {ROUTER_GET, "/api/v1/memos/{id}/anonymous-signatures", ACCESS_CONTENT, Q,
	NULL, routes_anon_list},
    /* Anonymous: public, refusing sessions (routes_anon.c). */
    {ROUTER_POST, "/api/v1/memos/{id}/anonymous-signatures", P, RL | L,
	&routes_anon_add_spec, routes_anon_add},
    {ROUTER_POST, "/api/v1/memos/{id}/anonymous-signatures/withdraw", P, RL | L,
	&routes_anon_withdraw_spec, routes_anon_withdraw},
    {ROUTER_POST, "/api/v1/memos/{id}/submit", ACCESS_CONTENT, 0,
	&routes_memos_submit_spec, routes_memos_submit},
    {ROUTER_GET, "/api/v1/memos/{id}/receipt", ACCESS_CONTENT, 0, NULL,
	routes_memos_receipt},
    {ROUTER_POST, "/api/v1/memos/{id}/withdraw", ACCESS_CONTENT, 0,
	&routes_empty_spec, routes_memos_withdraw},
    {ROUTER_GET, "/api/v1/memos/{id}/accesses", ACCESS_CONTENT, 0, NULL,
	routes_memos_accesses},

    /* The channel's workflow, meetings, complaints, statistics. */
    {ROUTER_GET, "/api/v1/channel", ACCESS_CONTENT, 0, NULL,
	routes_channel_get},
    {ROUTER_POST, "/api/v1/channel/key", ACCESS_CONTENT, 0,
	&routes_channel_key_spec, routes_channel_key},
    {ROUTER_POST, "/api/v1/channel/grants", ACCESS_CONTENT, 0,
	&routes_channel_grant_spec, routes_channel_grant},
    {ROUTER_GET, "/api/v1/channel/grant", ACCESS_CONTENT, 0, NULL,
	routes_channel_grant_get},
    {ROUTER_GET, "/api/v1/channel/inbox", ACCESS_CONTENT, Q, NULL,
	routes_channel_inbox},
    {ROUTER_GET, "/api/v1/standard-principals", ACCESS_CONTENT, Q, NULL,
	routes_channel_standard},
    {ROUTER_POST, "/api/v1/memos/{id}/ack", ACCESS_CONTENT, 0,
	&routes_empty_spec, routes_channel_ack},
    {ROUTER_POST, "/api/v1/memos/{id}/redirect", ACCESS_CONTENT, L,
	&routes_channel_note_spec, routes_channel_redirect},
    {ROUTER_POST, "/api/v1/memos/{id}/assign", ACCESS_CONTENT, 0,
	&routes_channel_assign_spec, routes_channel_assign},
    {ROUTER_POST, "/api/v1/memos/{id}/distribute", ACCESS_CONTENT, L,
	&routes_channel_distribute_spec, routes_channel_distribute},
    {ROUTER_GET, "/api/v1/memos/{id}/distributions", ACCESS_CONTENT, 0, NULL,
	routes_channel_distributions},
    {ROUTER_POST, "/api/v1/memos/{id}/distributions/{member}/approve",
	ACCESS_CONTENT, 0, &routes_empty_spec, routes_channel_approve},
    {ROUTER_POST, "/api/v1/memos/{id}/replies", ACCESS_CONTENT, L,
	&routes_channel_note_spec, routes_channel_reply},
    {ROUTER_GET, "/api/v1/memos/{id}/replies", ACCESS_CONTENT, 0, NULL,
	routes_channel_replies},
    {ROUTER_POST, "/api/v1/memos/{id}/close", ACCESS_CONTENT, 0,
	&routes_empty_spec, routes_channel_close},
    {ROUTER_POST, "/api/v1/memos/{id}/meetings", ACCESS_CONTENT, 0,
	&routes_meetings_request_spec, routes_meetings_request},
    {ROUTER_GET, "/api/v1/meetings", ACCESS_CONTENT, 0, NULL,
	routes_meetings_list},
    {ROUTER_POST, "/api/v1/meetings/{mid}/schedule", ACCESS_CONTENT, 0,
	&routes_meetings_schedule_spec, routes_meetings_schedule},
    {ROUTER_POST, "/api/v1/meetings/{mid}/outcome", ACCESS_CONTENT, L,
	&routes_meetings_outcome_spec, routes_meetings_outcome},
    {ROUTER_GET, "/api/v1/auditors", ACCESS_CONTENT, 0, NULL,
	routes_complaints_auditors},
    {ROUTER_POST, "/api/v1/complaints", ACCESS_CONTENT, L,
	&routes_complaints_file_spec, routes_complaints_file},
    {ROUTER_GET, "/api/v1/complaints", ACCESS_CONTENT, 0, NULL,
	routes_complaints_list},
    {ROUTER_GET, "/api/v1/stats", ACCESS_CONTENT, Q, NULL, routes_stats_get},
};
const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);

#undef P
#undef S
#undef A
#undef RL
#undef Q

/**
 * routes_log_append(ctx, ev, index):
 * Append ${ev} to the channel log inside the caller's store transaction,
 * storing its index in ${index}.  Return 0, or -1 (the caller rolls back
 * and replies with routes_internal()).
 */
int
routes_log_append(
    struct route_ctx *ctx, const struct event *ev, uint64_t *index)
{

	return (
	    chanlog_append(ctx->inst->log, ev, index) == CHANLOG_OK ? 0 : -1);
}

/**
 * routes_log_wait(ctx, index):
 * After the commit of a change logged at ${index}, wait until a signed tree
 * head covers it (at most ROUTES_LOG_WAIT_MS; a timeout is logged, the
 * change stands and the head follows).
 */
void
routes_log_wait(struct route_ctx *ctx, uint64_t index)
{
	struct log_field f[1] = {LOG_STR("route", ctx->req->route)};

	if (chanlog_wait_for_head(
		ctx->inst->log, index + 1, ROUTES_LOG_WAIT_MS) != 0)
		log_fields(LOG_WARN,
		    "no signed tree head covers the change yet", f, 1);
}

/**
 * routes_b64(out, cap, in, len):
 * Encode ${in} as base64url into ${out}, which must have room
 * (B64_ENCODED_LEN(${len})); abort otherwise, a programming error.
 */
void
routes_b64(char *out, size_t cap, const uint8_t *in, size_t len)
{

	if (b64_encode(out, cap, in, len) != 0)
		abort();
}

static const char *const status_names[] = {"pending", "active", "suspended"};

/**
 * routes_member_json(m):
 * Return the public directory entry of ${m} (docs/API.md, "Member"), or
 * NULL if out of memory.
 */
json_t *
routes_member_json(const struct store_member *m)
{
	char sign[B64_ENCODED_LEN(KEYS_SIGN_PK_BYTES)];
	char box[B64_ENCODED_LEN(KEYS_BOX_PK_BYTES)];
	char ring[B64_ENCODED_LEN(KEYS_RING_PK_BYTES)];
	char fp[KEYS_FINGERPRINT_LEN];
	json_t *roles, *keys, *o;
	unsigned int bit;

	if ((roles = json_array()) == NULL)
		return (NULL);
	for (bit = 1; bit <= ROLE_ALL; bit <<= 1) {
		if ((m->roles & bit) == 0 || directory_role_name(bit) == NULL)
			continue;
		if (json_array_append_new(
			roles, json_string(directory_role_name(bit))) != 0) {
			json_decref(roles);
			return (NULL);
		}
	}
	if (m->status == STORE_MEMBER_PENDING || m->key_epoch == 0) {
		keys = json_null();
	} else {
		routes_b64(sign, sizeof(sign), m->keys.sign_pk,
		    sizeof(m->keys.sign_pk));
		routes_b64(
		    box, sizeof(box), m->keys.box_pk, sizeof(m->keys.box_pk));
		routes_b64(ring, sizeof(ring), m->keys.ring_pk,
		    sizeof(m->keys.ring_pk));
		keys_fingerprint(fp, &m->keys);
		keys = json_pack("{s:I,s:s,s:s,s:s,s:s}", "epoch",
		    (json_int_t)m->key_epoch, "sign_pk", sign, "box_pk", box,
		    "ring_pk", ring, "fingerprint", fp);
		if (keys == NULL) {
			json_decref(roles);
			return (NULL);
		}
	}
	o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:b,s:s,s:I,s:o}", "id", m->id,
	    "handle", m->handle, "display_name", m->display_name, "org",
	    m->org_id, "roles", roles, "eligible", m->eligible ? 1 : 0,
	    "status",
	    m->status >= 0 && m->status <= 2 ? status_names[m->status]
					     : "unknown",
	    "created_at", (json_int_t)m->created_at, "keys", keys);
	/* json_pack steals the "o" references even when it fails. */
	return (o);
}

/**
 * routes_reply_member(ctx, status, m):
 * Reply ${status} with {"member": ${m}}.
 */
void
routes_reply_member(
    struct route_ctx *ctx, unsigned int status, const struct store_member *m)
{

	(void)http_reply_json(ctx->req, status,
	    json_pack("{s:o}", "member", routes_member_json(m)));
}

/**
 * routes_internal(ctx, what):
 * Log the failure ${what} and reply 500.
 */
void
routes_internal(struct route_ctx *ctx, const char *what)
{
	struct log_field f[2] = {
	    LOG_STR("route", ctx->req->route), LOG_STR("what", what)};

	log_fields(LOG_ERROR, "internal error", f, 2);
	http_reply_error(ctx->req, 500, "internal", "internal error");
}

/**
 * routes_store_error(ctx, rc, what):
 * Reply to the store result ${rc}: 404 for STORE_NOTFOUND, 409 for
 * STORE_CONFLICT, else 500 (logged with ${what}).
 */
void
routes_store_error(struct route_ctx *ctx, int rc, const char *what)
{

	if (rc == STORE_NOTFOUND)
		http_reply_error(ctx->req, 404, "not_found", "not found");
	else if (rc == STORE_CONFLICT)
		http_reply_error(ctx->req, 409, "conflict",
		    "conflicts with the current state");
	else
		routes_internal(ctx, what);
}

/**
 * routes_find_member(ctx, key, m):
 * Look up the member named by the path segment ${key}: an id if it starts
 * with "m_", else a handle.  Return a STORE_* code (STORE_NOTFOUND also for
 * a malformed key).
 */
int
routes_find_member(
    struct route_ctx *ctx, const char *key, struct store_member *m)
{

	/* Handles cannot contain '_', so the two forms never collide. */
	if (strncmp(key, "m_", 2) == 0) {
		if (!directory_member_id_valid(key))
			return (STORE_NOTFOUND);
		return (store_member_get(ctx->store, key, m));
	}
	if (!directory_handle_valid(key))
		return (STORE_NOTFOUND);
	return (store_member_get_by_handle(ctx->store, key, m));
}

/**
 * routes_member_reload(ctx, m):
 * Read ${m} again from the store (after a change).  Return 0, or -1 after
 * replying 500.
 */
int
routes_member_reload(struct route_ctx *ctx, struct store_member *m)
{
	char id[DIRECTORY_MEMBER_ID_LEN + 1];

	/* The id is copied out: the store fills ${m} from the start. */
	memcpy(id, m->id, sizeof(id));
	if (store_member_get(ctx->store, id, m) != STORE_OK) {
		routes_internal(ctx, "member reload");
		return (-1);
	}
	return (0);
}

/**
 * routes_custody_build(c, pw, rec):
 * Fill the stored custody ${c} from the password part ${pw} and the
 * recovery part ${rec} (NULL: leave ${c}'s recovery part as it is).
 */
void
routes_custody_build(struct store_custody *c,
    const struct routes_custody_in *pw, const struct routes_recovery_in *rec)
{

	memcpy(c->kdf.salt, pw->salt, sizeof(c->kdf.salt));
	c->kdf.opslimit = (uint64_t)pw->opslimit;
	c->kdf.memlimit = (uint64_t)pw->memlimit;
	custody_verifier(c->verifier, pw->auth_key);
	memcpy(c->wrapped_seed, pw->wrapped_seed, sizeof(c->wrapped_seed));
	if (rec != NULL) {
		custody_verifier(c->recovery_verifier, rec->auth_key);
		memcpy(c->recovery_wrapped_seed, rec->wrapped_seed,
		    sizeof(c->recovery_wrapped_seed));
	}
}

/**
 * routes_kdf_acceptable(ctx, pw):
 * Return 1 if the KDF cost in ${pw} is within the server's bounds, else 0
 * after replying 400.
 */
int
routes_kdf_acceptable(struct route_ctx *ctx, const struct routes_custody_in *pw)
{
	struct custody_kdf kdf;

	memcpy(kdf.salt, pw->salt, sizeof(kdf.salt));
	kdf.opslimit = (uint64_t)pw->opslimit;
	kdf.memlimit = (uint64_t)pw->memlimit;
	if (custody_kdf_check(&kdf, ctx->cfg->kdf_min_opslimit,
		ctx->cfg->kdf_min_memlimit) != 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "custody cost must be opslimit %llu..%llu and memlimit "
		    "%llu..%llu",
		    (unsigned long long)ctx->cfg->kdf_min_opslimit,
		    (unsigned long long)CUSTODY_OPSLIMIT_MAX,
		    (unsigned long long)ctx->cfg->kdf_min_memlimit,
		    (unsigned long long)CUSTODY_MEMLIMIT_MAX);
		return (0);
	}
	return (1);
}

/**
 * routes_keys_public(out, in):
 * Copy the decoded keys ${in} into ${out}.
 */
void
routes_keys_public(struct keys_public *out, const struct routes_keys_in *in)
{

	memcpy(out->sign_pk, in->sign_pk, sizeof(out->sign_pk));
	memcpy(out->box_pk, in->box_pk, sizeof(out->box_pk));
	memcpy(out->ring_pk, in->ring_pk, sizeof(out->ring_pk));
}

/**
 * routes_pop(out, in):
 * Copy the decoded proof of possession ${in} into ${out}.
 */
void
routes_pop(struct keys_pop *out, const struct routes_pop_in *in)
{

	memcpy(out->sig, in->sig, sizeof(out->sig));
	memcpy(out->ring_proof, in->ring_proof, sizeof(out->ring_proof));
}

/**
 * routes_parse_u64(s, min, max, out):
 * Parse ${s} as a strict decimal integer from ${min} to ${max}: digits
 * only, no sign, no leading zero (but "0"), at most 19 digits.  Return 0
 * and the value in ${out}, or -1 (${out} untouched).
 */
int
routes_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t len, i;

	len = strnlen(s, 20);
	if (len == 0 || len > 19 || (s[0] == '0' && len > 1))
		return (-1);
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		/* 19 digits stay below 2^64: no overflow. */
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/**
 * routes_query_allowed(ctx, allowed, n):
 * Refuse (400 unknown_field) query parameters other than the ${n}
 * ${allowed} ones, or one given twice.  Return 0, or -1 after replying.
 */
int
routes_query_allowed(
    struct route_ctx *ctx, const char *const *allowed, size_t n)
{
	char bad[40];

	if (http_query_check(ctx->req, allowed, n, bad, sizeof(bad)) != 0) {
		http_reply_error(ctx->req, 400, "unknown_field",
		    "unknown or repeated query parameter \"%s\"", bad);
		return (-1);
	}
	return (0);
}

/**
 * routes_query_u64(ctx, name, required, min, max, out):
 * Read the query parameter ${name} as an integer from ${min} to ${max}
 * into ${out}; if it is absent, leave ${out} as it is unless ${required}.
 * Return 0, or -1 after replying 400 (missing_field or invalid_field).
 */
int
routes_query_u64(struct route_ctx *ctx, const char *name, int required,
    uint64_t min, uint64_t max, uint64_t *out)
{
	const char *v;

	if ((v = http_query_get(ctx->req, name)) == NULL) {
		if (!required)
			return (0);
		http_reply_error(ctx->req, 400, "missing_field",
		    "query parameter \"%s\" is required", name);
		return (-1);
	}
	if (routes_parse_u64(v, min, max, out) != 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "query parameter \"%s\" must be a decimal integer from "
		    "%llu to %llu",
		    name, (unsigned long long)min, (unsigned long long)max);
		return (-1);
	}
	return (0);
}
