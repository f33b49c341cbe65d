#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"
#include "routes.h"

struct rotate_in {
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	int64_t epoch;
	struct routes_keys_in keys;
	struct routes_pop_in pop;
	uint8_t rotation_sig[KEYS_SIG_BYTES];
	struct routes_custody_in custody;
	struct routes_recovery_in recovery;
};

static const struct jsonin_field rotate_fields[] = {
    {.name = "auth_key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = CUSTODY_KEY_BYTES,
	JSONIN_AT(struct rotate_in, auth_key)},
    {.name = "epoch",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 2,
	.imax = UINT32_MAX,
	JSONIN_AT(struct rotate_in, epoch)},
    {.name = "keys",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_keys_spec,
	JSONIN_AT(struct rotate_in, keys)},
    {.name = "pop",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_pop_spec,
	JSONIN_AT(struct rotate_in, pop)},
    {.name = "rotation_sig",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = KEYS_SIG_BYTES,
	JSONIN_AT(struct rotate_in, rotation_sig)},
    {.name = "custody",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_custody_spec,
	JSONIN_AT(struct rotate_in, custody)},
    {.name = "recovery",
	.type = JSONIN_OBJECT,
	.flags = JSONIN_REQUIRED,
	.sub = &routes_recovery_spec,
	JSONIN_AT(struct rotate_in, recovery)},
};
const struct jsonin_spec routes_keys_rotate_spec =
    JSONIN_SPEC(struct rotate_in, rotate_fields);

/*
 * {"epoch","sign_pk","box_pk","ring_pk","log_index"} of ${keys} at
 * ${epoch}, published by the log entry ${log_index}.
 */
static json_t *
keys_json(uint32_t epoch, const struct keys_public *keys, uint64_t log_index)
{
	char sign[B64_ENCODED_LEN(KEYS_SIGN_PK_BYTES)];
	char box[B64_ENCODED_LEN(KEYS_BOX_PK_BYTES)];
	char ring[B64_ENCODED_LEN(KEYS_RING_PK_BYTES)];

	routes_b64(sign, sizeof(sign), keys->sign_pk, sizeof(keys->sign_pk));
	routes_b64(box, sizeof(box), keys->box_pk, sizeof(keys->box_pk));
	routes_b64(ring, sizeof(ring), keys->ring_pk, sizeof(keys->ring_pk));
	/* Log indexes are below STORE_LOG_SIZE_MAX, a json_int_t. */
	return (json_pack("{s:I,s:s,s:s,s:s,s:I}", "epoch", (json_int_t)epoch,
	    "sign_pk", sign, "box_pk", box, "ring_pk", ring, "log_index",
	    (json_int_t)log_index));
}

/*
 * Find the log entry that published member ${id}'s keys at ${epoch}.
 * Return 0, or -1 after replying 500: every registered key epoch has its
 * entry, so a missing one means a damaged database.
 */
static int
key_log_index(
    struct route_ctx *ctx, const char *id, uint32_t epoch, uint64_t *index)
{

	if (store_log_key_index(ctx->store, id, epoch, index) != STORE_OK) {
		routes_internal(ctx, "key epoch without its log entry");
		return (-1);
	}
	return (0);
}

/**
 * routes_keys_get(ctx):
 * GET /api/v1/members/{id}/keys: a member's current keys and every epoch
 * ever registered.
 */
void
routes_keys_get(struct route_ctx *ctx)
{
	struct store_key_record *recs = NULL;
	struct store_member m;
	char fp[KEYS_FINGERPRINT_LEN];
	json_t *current, *history, *h;
	uint64_t index;
	size_t n = 0, i;
	int rc;

	if ((rc = routes_find_member(ctx, ctx->params[0], &m)) != STORE_OK) {
		routes_store_error(ctx, rc, "member lookup");
		return;
	}
	if ((rc = store_key_history(ctx->store, m.id, &recs, &n)) != STORE_OK &&
	    rc != STORE_NOTFOUND) {
		routes_internal(ctx, "key history");
		return;
	}
	if (m.key_epoch == 0) {
		current = json_null();
	} else {
		if (key_log_index(ctx, m.id, m.key_epoch, &index) != 0) {
			free(recs);
			return;
		}
		current = keys_json(m.key_epoch, &m.keys, index);
		keys_fingerprint(fp, &m.keys);
		if (current == NULL || json_object_set_new(current,
					   "fingerprint", json_string(fp)) != 0)
			goto nomem;
	}
	if ((history = json_array()) == NULL) {
		json_decref(current);
		goto nomem;
	}
	for (i = 0; i < n; i++) {
		if (key_log_index(ctx, m.id, recs[i].epoch, &index) != 0) {
			json_decref(history);
			json_decref(current);
			free(recs);
			return;
		}
		h = keys_json(recs[i].epoch, &recs[i].keys, index);
		if (h == NULL ||
		    json_object_set_new(h, "created_at",
			json_integer(recs[i].created_at)) != 0 ||
		    json_array_append_new(history, h) != 0) {
			json_decref(h);
			json_decref(history);
			json_decref(current);
			goto nomem;
		}
	}
	free(recs);
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:s,s:o,s:o}", "member_id", m.id, "current", current,
		"history", history));
	return;

nomem:
	free(recs);
	routes_internal(ctx, "out of memory");
}

/**
 * routes_keys_rotate(ctx):
 * POST /api/v1/keys/rotate: given the password's authentication key,
 * replace the caller's keys with the next epoch's, signed by the current
 * signing key, with custody of the new seed; every other session ends.
 */
void
routes_keys_rotate(struct route_ctx *ctx)
{
	const struct rotate_in *in = ctx->body;
	const struct store_member *me = ctx->me;
	struct store_member m;
	struct store_custody c, old;
	struct store_login l;
	struct store_session cur;
	struct keys_public pub;
	struct keys_pop pop;
	struct event ev;
	uint32_t epoch;
	uint64_t index;
	int rc;

	if (me->key_epoch == 0 || in->epoch != (int64_t)me->key_epoch + 1) {
		http_reply_error(ctx->req, 409, "conflict",
		    "epoch must be the current key epoch + 1");
		return;
	}
	epoch = (uint32_t)in->epoch;
	if (!routes_kdf_acceptable(ctx, &in->custody))
		return;
	routes_keys_public(&pub, &in->keys);
	routes_pop(&pop, &in->pop);
	if (keys_pop_verify(&pop, &pub, me->id, epoch) != 0) {
		http_reply_error(ctx->req, 400, "bad_request",
		    "the proof of possession does not verify for this member "
		    "at this epoch");
		return;
	}
	if (keys_rotation_verify(
		in->rotation_sig, me->keys.sign_pk, me->id, epoch, &pub) != 0) {
		http_reply_error(ctx->req, 400, "bad_request",
		    "rotation_sig does not verify under the current signing "
		    "key");
		return;
	}
	memset(&c, 0, sizeof(c));
	memset(&old, 0, sizeof(old));
	memset(&l, 0, sizeof(l));
	memset(&cur, 0, sizeof(cur));
	routes_custody_build(&c, &in->custody, &in->recovery);
	direvent_keys(&ev, ctx->now, me->id, epoch, &pub);
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	/*
	 * Rotation replaces the password and recovery custody: without the
	 * current password, a stolen session token and seed would take the
	 * account over for good.  And it is what an owner runs after a
	 * compromise, so every other session ends with it.
	 */
	switch (routes_auth_reauth(ctx, in->auth_key, &old, &l, &cur)) {
	case ROUTES_AUTH_OK:
		break;
	case ROUTES_AUTH_REFUSED:
		if (store_commit(ctx->store) != 0) {
			store_rollback(ctx->store);
			routes_internal(ctx, "commit");
		}
		goto done;
	default:
		store_rollback(ctx->store);
		goto done;
	}
	rc = store_member_rotate_keys(
	    ctx->store, me->id, epoch, &pub, &c, ctx->now);
	if (rc == STORE_OK && routes_auth_end_other_sessions(ctx, &cur) != 0) {
		store_rollback(ctx->store);
		goto done;
	}
	if (rc == STORE_OK && account_login_succeeded(&l) &&
	    store_login_set(ctx->store, me->id, &l) != STORE_OK)
		rc = STORE_ERR;
	if (rc == STORE_OK && routes_log_append(ctx, &ev, &index) != 0)
		rc = STORE_ERR;
	if (rc != STORE_OK) {
		store_rollback(ctx->store);
		routes_store_error(ctx, rc, "key rotation");
		goto done;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		goto done;
	}
	routes_log_wait(ctx, index);
	if (store_member_get(ctx->store, me->id, &m) != STORE_OK) {
		routes_internal(ctx, "member reload");
		goto done;
	}
	routes_reply_member(ctx, 200, &m);

done:
	sodium_memzero(&c, sizeof(c));
	sodium_memzero(&old, sizeof(old));
	sodium_memzero(&l, sizeof(l));
	sodium_memzero(&cur, sizeof(cur));
}
