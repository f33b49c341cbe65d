#include <string.h>

#include <sodium.h>

#include "routes.h"

/* Longest enrollment code text accepted (grouped, with spaces). */
#define CODE_TEXT_MAX 64

struct lookup_in {
	char code[CODE_TEXT_MAX + 1];
};

static const struct jsonin_field lookup_fields[] = {
    {.name = "code",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = CODE_TEXT_MAX,
	JSONIN_AT(struct lookup_in, code)},
};
const struct jsonin_spec routes_enroll_lookup_spec =
    JSONIN_SPEC(struct lookup_in, lookup_fields);

struct complete_in {
	char code[CODE_TEXT_MAX + 1];
	struct routes_keys_in keys;
	struct routes_pop_in pop;
	struct routes_custody_in custody;
	struct routes_recovery_in recovery;
};

static const struct jsonin_field complete_fields[] = {
    {.name = "code",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = CODE_TEXT_MAX,
	JSONIN_AT(struct complete_in, code)},
    {.name = "keys",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_keys_spec,
	JSONIN_AT(struct complete_in, keys)},
    {.name = "pop",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_pop_spec,
	JSONIN_AT(struct complete_in, pop)},
    {.name = "custody",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_custody_spec,
	JSONIN_AT(struct complete_in, custody)},
    {.name = "recovery",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_recovery_spec,
	JSONIN_AT(struct complete_in, recovery)},
};
const struct jsonin_spec routes_enroll_complete_spec =
    JSONIN_SPEC(struct complete_in, complete_fields);

/*
 * Find the pending member whose enrollment code is ${code} into ${m} (and
 * the code's hash into ${hash}).  Return 0, or -1 after replying: 404 for
 * an unknown code (or one whose member is no longer pending), 410 for an
 * expired one.
 */
static int
find_pending(struct route_ctx *ctx, const char *code,
    uint8_t hash[ACCOUNT_HASH_BYTES], struct store_member *m)
{
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t expires_at;
	int rc;

	if (account_code_hash(hash, code) != 0)
		goto unknown;
	rc = store_enrollment_get(ctx->store, hash, member_id, &expires_at);
	if (rc == STORE_NOTFOUND)
		goto unknown;
	if (rc != STORE_OK) {
		routes_internal(ctx, "enrollment lookup");
		return (-1);
	}
	if (account_enrollment_expired(expires_at, ctx->now)) {
		http_reply_error(ctx->req, 410, "expired",
		    "enrollment code expired; ask an administrator for a new "
		    "one");
		return (-1);
	}
	if ((rc = store_member_get(ctx->store, member_id, m)) == STORE_NOTFOUND)
		goto unknown;
	if (rc != STORE_OK) {
		routes_internal(ctx, "member lookup");
		return (-1);
	}
	if (m->status != STORE_MEMBER_PENDING)
		goto unknown;
	return (0);

unknown:
	http_reply_error(ctx->req, 404, "not_found", "unknown enrollment code");
	return (-1);
}

/**
 * routes_enroll_lookup(ctx):
 * POST /api/v1/enroll/lookup: the pending member an enrollment code
 * belongs to.
 */
void
routes_enroll_lookup(struct route_ctx *ctx)
{
	const struct lookup_in *in = ctx->body;
	uint8_t hash[ACCOUNT_HASH_BYTES];
	struct store_member m;

	if (find_pending(ctx, in->code, hash, &m) != 0)
		return;
	routes_reply_member(ctx, 200, &m);
}

/**
 * routes_enroll_complete(ctx):
 * POST /api/v1/enroll: register a pending member's first keys and custody,
 * consuming the code.
 */
void
routes_enroll_complete(struct route_ctx *ctx)
{
	const struct complete_in *in = ctx->body;
	uint8_t hash[ACCOUNT_HASH_BYTES];
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1];
	struct store_member m;
	struct store_custody c;
	struct keys_public pub;
	struct keys_pop pop;
	struct event ev;
	int64_t expires_at;
	uint64_t index;
	int rc;

	if (find_pending(ctx, in->code, hash, &m) != 0)
		return;
	if (!routes_kdf_acceptable(ctx, &in->custody))
		return;
	routes_keys_public(&pub, &in->keys);
	routes_pop(&pop, &in->pop);
	if (keys_pop_verify(&pop, &pub, m.id, 1) != 0) {
		http_reply_error(ctx->req, 400, "bad_request",
		    "the proof of possession does not verify for this member "
		    "at epoch 1");
		return;
	}
	memset(&c, 0, sizeof(c));
	routes_custody_build(&c, &in->custody, &in->recovery);

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	/* Another request may have used the code since it was checked. */
	rc = store_enrollment_get(ctx->store, hash, member_id, &expires_at);
	if (rc == STORE_OK && strcmp(member_id, m.id) != 0)
		rc = STORE_NOTFOUND;
	if (rc == STORE_OK)
		rc =
		    store_member_activate(ctx->store, m.id, &pub, &c, ctx->now);
	if (rc == STORE_OK)
		rc = store_enrollment_delete_member(ctx->store, m.id);
	if (rc == STORE_OK) {
		direvent_keys(&ev, ctx->now, m.id, 1, &pub);
		if (routes_log_append(ctx, &ev, &index) != 0)
			rc = STORE_ERR;
	}
	if (rc != STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_NOTFOUND || rc == STORE_CONFLICT)
			http_reply_error(ctx->req, 404, "not_found",
			    "unknown enrollment code");
		else
			routes_internal(ctx, "enrollment");
		goto done;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		goto done;
	}
	routes_log_wait(ctx, index);
	if (routes_member_reload(ctx, &m) != 0)
		goto done;
	routes_reply_member(ctx, 201, &m);

done:
	sodium_memzero(&c, sizeof(c));
}
