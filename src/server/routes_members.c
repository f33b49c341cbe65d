#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "routes.h"

/* Paging of GET /api/v1/members. */
#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX 500
#define LIST_OFFSET_MAX 1000000000ULL

/* At most one of each role. */
#define ROLES_MAX 6

struct create_in {
	char handle[DIRECTORY_HANDLE_MAX + 1];
	char display_name[DIRECTORY_DISPLAY_NAME_MAX + 1];
	char org[DIRECTORY_ORG_ID_MAX + 1];
	struct jsonin_strings roles;
	int eligible;
};

static const struct jsonin_field create_fields[] = {
    {.name = "handle",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_HANDLE_MAX,
	JSONIN_AT(struct create_in, handle)},
    {.name = "display_name",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_DISPLAY_NAME_MAX,
	JSONIN_AT(struct create_in, display_name)},
    {.name = "org",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_ORG_ID_MAX,
	JSONIN_AT(struct create_in, org)},
    {.name = "roles",
	.type = JSONIN_STRINGS,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = ROLES_MAX,
	JSONIN_AT(struct create_in, roles)},
    {.name = "eligible",
	.type = JSONIN_BOOL,
	.flags = JSONIN_REQUIRED,
	JSONIN_AT(struct create_in, eligible)},
};
const struct jsonin_spec routes_members_create_spec =
    JSONIN_SPEC(struct create_in, create_fields);

struct patch_in {
	struct jsonin_strings roles;
	int has_roles;
	int eligible;
	int has_eligible;
	char display_name[DIRECTORY_DISPLAY_NAME_MAX + 1];
	int has_display_name;
};

static const struct jsonin_field patch_fields[] = {
    {.name = "roles",
	.type = JSONIN_STRINGS,
	.min = 1,
	.max = ROLES_MAX,
	JSONIN_AT(struct patch_in, roles),
	JSONIN_PRESENT(struct patch_in, has_roles)},
    {.name = "eligible",
	.type = JSONIN_BOOL,
	JSONIN_AT(struct patch_in, eligible),
	JSONIN_PRESENT(struct patch_in, has_eligible)},
    {.name = "display_name",
	.type = JSONIN_STRING,
	.min = 1,
	.max = DIRECTORY_DISPLAY_NAME_MAX,
	JSONIN_AT(struct patch_in, display_name),
	JSONIN_PRESENT(struct patch_in, has_display_name)},
};
const struct jsonin_spec routes_members_patch_spec =
    JSONIN_SPEC(struct patch_in, patch_fields);

/*
 * Turn a list of role names into a ROLE_* mask.  Return 0, or -1 after
 * replying 400 for an unknown or repeated name or a set that
 * directory_roles_valid() refuses.
 */
static int
parse_roles(struct route_ctx *ctx, const struct jsonin_strings *names,
    unsigned int *roles)
{
	unsigned int bit, mask = 0;
	size_t i;

	for (i = 0; i < names->n; i++) {
		if ((bit = directory_role_parse(names->v[i])) == 0) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"roles\" holds an unknown role");
			return (-1);
		}
		if (mask & bit) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"roles\" names a role twice");
			return (-1);
		}
		mask |= bit;
	}
	if (!directory_roles_valid(mask)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"roles\" is not an allowed set: admin alone, or "
		    "member with any of coordinator, director, principal, "
		    "auditor");
		return (-1);
	}
	*roles = mask;
	return (0);
}

/* Refuse (400) co-signing eligibility for an admin account. */
static int
eligible_allowed(struct route_ctx *ctx, unsigned int roles, int eligible)
{

	if (eligible && (roles & ROLE_ADMIN)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"eligible\": an admin account never co-signs");
		return (0);
	}
	return (1);
}

/* No event was logged (an index never reached). */
#define NO_EVENT UINT64_MAX

/*
 * Log a change of member ${id}: its roles becoming ${v} if ${which} is 0,
 * its eligibility if 1.  Return a STORE_* code: STORE_ERR if the log
 * refused.
 */
static int
log_change(struct route_ctx *ctx, struct event *ev, uint64_t *index, int which,
    const char *id, unsigned int v)
{

	if (which == 0)
		direvent_roles(ev, ctx->now, id, v);
	else
		direvent_eligibility(ev, ctx->now, id, (int)v);
	return (routes_log_append(ctx, ev, index) == 0 ? STORE_OK : STORE_ERR);
}

/**
 * routes_members_list(ctx):
 * GET /api/v1/members?org=ID&offset=N&limit=N: a page of the directory.
 */
void
routes_members_list(struct route_ctx *ctx)
{
	static const char *const allowed[] = {"org", "offset", "limit"};
	struct store_member *ms = NULL;
	uint64_t offset = 0, limit = LIST_LIMIT_DEFAULT;
	const char *org;
	json_t *arr;
	size_t n = 0, total = 0, i;

	if (routes_query_allowed(ctx, allowed, 3) != 0)
		return;
	org = http_query_get(ctx->req, "org");
	if (org != NULL && !directory_org_id_valid(org)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "query parameter \"org\" is not an organisation id");
		return;
	}
	if (routes_query_u64(ctx, "offset", 0, 0, LIST_OFFSET_MAX, &offset) !=
		0 ||
	    routes_query_u64(ctx, "limit", 0, 1, LIST_LIMIT_MAX, &limit) != 0)
		return;
	if (store_member_list(ctx->store, org, (size_t)offset, (size_t)limit,
		&ms, &n, &total) != STORE_OK) {
		routes_internal(ctx, "member list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (json_array_append_new(arr, routes_member_json(&ms[i])) !=
		    0) {
			json_decref(arr);
			goto nomem;
		}
	}
	free(ms);
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:o,s:I}", "members", arr, "total", (json_int_t)total));
	return;

nomem:
	free(ms);
	routes_internal(ctx, "out of memory");
}

/**
 * routes_members_get(ctx):
 * GET /api/v1/members/{id-or-handle}: one directory entry.
 */
void
routes_members_get(struct route_ctx *ctx)
{
	struct store_member m;
	int rc;

	if ((rc = routes_find_member(ctx, ctx->params[0], &m)) != STORE_OK) {
		routes_store_error(ctx, rc, "member lookup");
		return;
	}
	routes_reply_member(ctx, 200, &m);
}

/**
 * routes_members_create(ctx):
 * POST /api/v1/members (admin): add a pending member and issue its
 * enrollment code.
 */
void
routes_members_create(struct route_ctx *ctx)
{
	const struct create_in *in = ctx->body;
	char code[ACCOUNT_CODE_LEN + 1];
	uint8_t hash[ACCOUNT_HASH_BYTES];
	struct store_member m;
	struct store_org o;
	struct event ev;
	int64_t expires_at;
	uint64_t index;
	int rc;

	if (!directory_handle_valid(in->handle)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"handle\" must be a-z, 0-9, '.', '@' and '-', "
		    "starting with a letter or digit");
		return;
	}
	if (!directory_name_valid(
		in->display_name, DIRECTORY_DISPLAY_NAME_MAX)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"display_name\" must be UTF-8 without control "
		    "characters or surrounding spaces");
		return;
	}
	memset(&m, 0, sizeof(m));
	if (parse_roles(ctx, &in->roles, &m.roles) != 0 ||
	    !eligible_allowed(ctx, m.roles, in->eligible))
		return;
	if (!directory_org_id_valid(in->org) ||
	    (rc = store_org_get(ctx->store, in->org, &o)) == STORE_NOTFOUND) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"org\" names no organisation");
		return;
	}
	if (rc != STORE_OK) {
		routes_internal(ctx, "org lookup");
		return;
	}
	directory_member_id_new(m.id);
	memcpy(m.handle, in->handle, sizeof(m.handle));
	memcpy(m.display_name, in->display_name, sizeof(m.display_name));
	memcpy(m.org_id, in->org, sizeof(m.org_id));
	m.eligible = in->eligible;
	m.status = STORE_MEMBER_PENDING;
	m.created_at = ctx->now;
	account_code_new(code, hash);
	expires_at = account_enrollment_expires(ctx->policy, ctx->now);

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if ((rc = store_member_insert(ctx->store, &m)) != STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_CONFLICT)
			http_reply_error(ctx->req, 409, "conflict",
			    "a member with this handle exists");
		else
			routes_internal(ctx, "member insert");
		goto done;
	}
	if (store_enrollment_put(ctx->store, hash, m.id, expires_at) !=
	    STORE_OK) {
		store_rollback(ctx->store);
		routes_internal(ctx, "enrollment code");
		goto done;
	}
	direvent_member_created(&ev, ctx->now, &m);
	if (routes_log_append(ctx, &ev, &index) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "log append");
		goto done;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		goto done;
	}
	routes_log_wait(ctx, index);
	(void)http_reply_json(ctx->req, 201,
	    json_pack("{s:o,s:s,s:I}", "member", routes_member_json(&m),
		"enrollment_code", code, "expires_at", (json_int_t)expires_at));

done:
	sodium_memzero(code, sizeof(code));
}

/**
 * routes_members_patch(ctx):
 * PATCH /api/v1/members/{id} (admin): change roles, eligibility or display
 * name.
 */
void
routes_members_patch(struct route_ctx *ctx)
{
	const struct patch_in *in = ctx->body;
	struct store_member m, cur;
	struct event ev;
	unsigned int roles;
	uint64_t index = NO_EVENT;
	int eligible, rc;

	if (!in->has_roles && !in->has_eligible && !in->has_display_name) {
		http_reply_error(ctx->req, 400, "bad_request",
		    "nothing to change: give roles, eligible or display_name");
		return;
	}
	if ((rc = routes_find_member(ctx, ctx->params[0], &m)) != STORE_OK) {
		routes_store_error(ctx, rc, "member lookup");
		return;
	}
	roles = m.roles;
	if (in->has_roles) {
		if (parse_roles(ctx, &in->roles, &roles) != 0)
			return;
		/*
		 * An account that may have held memo grants must never become
		 * an admin, and an admin's account never gains content roles:
		 * make a new account instead.
		 */
		if ((roles & ROLE_ADMIN) != (m.roles & ROLE_ADMIN)) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"roles\": an account cannot move into or "
			    "out of the admin role; create a new account");
			return;
		}
	}
	eligible = in->has_eligible ? in->eligible : m.eligible;
	if (!eligible_allowed(ctx, roles, eligible))
		return;
	if (in->has_display_name && !directory_name_valid(in->display_name,
					DIRECTORY_DISPLAY_NAME_MAX)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"display_name\" must be UTF-8 without control "
		    "characters or surrounding spaces");
		return;
	}

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	/*
	 * What the change is, and so what is logged, is decided against the
	 * member as it stands inside the transaction.
	 */
	rc = store_member_get(ctx->store, m.id, &cur);
	if (rc == STORE_OK && in->has_roles && roles != cur.roles)
		rc = log_change(ctx, &ev, &index, 0, m.id, roles);
	if (rc == STORE_OK && in->has_roles)
		rc = store_member_set_roles(ctx->store, m.id, roles);
	if (rc == STORE_OK && in->has_eligible &&
	    (eligible != 0) != (cur.eligible != 0))
		rc = log_change(ctx, &ev, &index, 1, m.id, eligible != 0);
	if (rc == STORE_OK && in->has_eligible)
		rc = store_member_set_eligible(ctx->store, m.id, eligible);
	if (rc == STORE_OK && in->has_display_name)
		rc = store_member_set_display_name(
		    ctx->store, m.id, in->display_name);
	if (rc != STORE_OK) {
		store_rollback(ctx->store);
		routes_store_error(ctx, rc, "member update");
		return;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		return;
	}
	if (index != NO_EVENT)
		routes_log_wait(ctx, index);
	if (routes_member_reload(ctx, &m) != 0)
		return;
	routes_reply_member(ctx, 200, &m);
}

/*
 * Set ${m}'s status to ${status} and, when suspending, end its sessions and
 * void its enrollment codes, all in one transaction; then reply with the
 * member.
 */
static void
change_status(struct route_ctx *ctx, struct store_member *m, int status)
{
	int suspend = status == STORE_MEMBER_SUSPENDED;
	struct store_member cur;
	struct event ev;
	uint64_t index;
	int rc;

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	/* A concurrent request may have changed the status since. */
	rc = store_member_get(ctx->store, m->id, &cur);
	if (rc == STORE_OK &&
	    (cur.status == STORE_MEMBER_SUSPENDED) == (suspend != 0))
		rc = STORE_CONFLICT;
	if (rc == STORE_OK)
		rc = store_member_set_status(ctx->store, m->id, status);
	if (rc == STORE_OK && suspend)
		rc = store_session_delete_member(ctx->store, m->id);
	if (rc == STORE_OK && suspend)
		rc = store_enrollment_delete_member(ctx->store, m->id);
	if (rc == STORE_OK) {
		direvent_status(&ev, ctx->now, m->id, suspend);
		if (routes_log_append(ctx, &ev, &index) != 0)
			rc = STORE_ERR;
	}
	if (rc != STORE_OK) {
		store_rollback(ctx->store);
		routes_store_error(ctx, rc, "status change");
		return;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		return;
	}
	routes_log_wait(ctx, index);
	if (routes_member_reload(ctx, m) != 0)
		return;
	routes_reply_member(ctx, 200, m);
}

/**
 * routes_members_suspend(ctx):
 * POST /api/v1/members/{id}/suspend (admin): suspend a member, ending its
 * sessions at once.
 */
void
routes_members_suspend(struct route_ctx *ctx)
{
	struct store_member m;
	int rc;

	if ((rc = routes_find_member(ctx, ctx->params[0], &m)) != STORE_OK) {
		routes_store_error(ctx, rc, "member lookup");
		return;
	}
	if (strcmp(m.id, ctx->me->id) == 0) {
		http_reply_error(ctx->req, 409, "conflict",
		    "an admin cannot suspend their own account");
		return;
	}
	if (m.status == STORE_MEMBER_SUSPENDED) {
		http_reply_error(ctx->req, 409, "conflict",
		    "the member is already suspended");
		return;
	}
	change_status(ctx, &m, STORE_MEMBER_SUSPENDED);
}

/**
 * routes_members_reinstate(ctx):
 * POST /api/v1/members/{id}/reinstate (admin): lift a suspension; the
 * member is active again, or pending if it never enrolled.
 */
void
routes_members_reinstate(struct route_ctx *ctx)
{
	struct store_member m;
	int rc;

	if ((rc = routes_find_member(ctx, ctx->params[0], &m)) != STORE_OK) {
		routes_store_error(ctx, rc, "member lookup");
		return;
	}
	if (m.status != STORE_MEMBER_SUSPENDED) {
		http_reply_error(
		    ctx->req, 409, "conflict", "the member is not suspended");
		return;
	}
	change_status(ctx, &m,
	    m.key_epoch > 0 ? STORE_MEMBER_ACTIVE : STORE_MEMBER_PENDING);
}

/**
 * routes_members_enrollment(ctx):
 * POST /api/v1/members/{id}/enrollment (admin): a new enrollment code for
 * a pending member, replacing the old one.
 */
void
routes_members_enrollment(struct route_ctx *ctx)
{
	char code[ACCOUNT_CODE_LEN + 1];
	uint8_t hash[ACCOUNT_HASH_BYTES];
	struct store_member m;
	int64_t expires_at;
	int rc;

	account_code_new(code, hash);
	expires_at = account_enrollment_expires(ctx->policy, ctx->now);
	/* The check and the new code in one transaction: no enrolling between.
	 */
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if ((rc = routes_find_member(ctx, ctx->params[0], &m)) != STORE_OK) {
		store_rollback(ctx->store);
		routes_store_error(ctx, rc, "member lookup");
		goto done;
	}
	if (m.status != STORE_MEMBER_PENDING) {
		store_rollback(ctx->store);
		http_reply_error(ctx->req, 409, "conflict",
		    "the member is not pending enrollment");
		goto done;
	}
	if (store_enrollment_put(ctx->store, hash, m.id, expires_at) !=
	    STORE_OK) {
		store_rollback(ctx->store);
		routes_internal(ctx, "enrollment code");
		goto done;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		goto done;
	}
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:s,s:I}", "enrollment_code", code, "expires_at",
		(json_int_t)expires_at));

done:
	sodium_memzero(code, sizeof(code));
}
