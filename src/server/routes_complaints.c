#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "access.h"
#include "b64.h"
#include "event.h"
#include "memo.h"
#include "memoctx.h"
#include "notify.h"
#include "routes.h"

/*
 * Reprisal complaints (docs/API.md, "Complaints"): any member files a
 * complaint encrypted under a fresh key that the member's client seals to
 * every auditor; only auditors read them.  Who filed a complaint is never
 * stored: the complaint row holds the box, its time and one sealed key per
 * auditor, its log event only the hash of the box, and its notifications
 * go to the auditors.
 */

/* Longest complaint box. */
#define COMPLAINT_BOX_MAX STORE_COMPLAINT_BOX_MAX
#define COMPLAINT_B64_MAX MEMOCTX_B64_LEN(COMPLAINT_BOX_MAX)
/* A member id, or a handle, in a body. */
#define MEMBER_KEY_MAX DIRECTORY_HANDLE_MAX

struct reader_in {
	char member[MEMBER_KEY_MAX + 1];
	char sealed[MEMOCTX_SEALED_TEXT_MAX + 1];
};

static const struct jsonin_field reader_fields[] = {
    {.name = "member",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMBER_KEY_MAX,
	JSONIN_AT(struct reader_in, member)},
    {.name = "sealed",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMOCTX_SEALED_TEXT_MAX,
	JSONIN_AT(struct reader_in, sealed)},
};
static const struct jsonin_spec reader_spec =
    JSONIN_SPEC(struct reader_in, reader_fields);

struct file_in {
	char box[COMPLAINT_B64_MAX + 1];
	struct reader_in grants[ROUTES_CHANNEL_ROLE_MAX];
	size_t ngrants;
};

static const struct jsonin_field file_fields[] = {
    {.name = "box",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = COMPLAINT_B64_MAX,
	JSONIN_AT(struct file_in, box)},
    {.name = "grants",
	.type = JSONIN_OBJECTS,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = ROUTES_CHANNEL_ROLE_MAX,
	.sub = &reader_spec,
	JSONIN_AT(struct file_in, grants),
	JSONIN_COUNT(struct file_in, ngrants)},
};
const struct jsonin_spec routes_complaints_file_spec =
    JSONIN_SPEC(struct file_in, file_fields);

/* The keys sealed to each reader of a complaint being filed. */
struct readers {
	char ids[ROUTES_CHANNEL_ROLE_MAX][DIRECTORY_MEMBER_ID_LEN + 1];
	uint8_t sealed[ROUTES_CHANNEL_ROLE_MAX][STORE_GRANT_MAX];
	size_t sealedlen[ROUTES_CHANNEL_ROLE_MAX];
	size_t n;
};

/* Reply 403 unless the caller's roles allow ${op}; 1 if allowed. */
static int
role_allowed(struct route_ctx *ctx, enum access_op op)
{

	if (!access_memo_allowed(op, access_rel_roles(ctx->me->roles), 0)) {
		http_reply_error(ctx->req, 403, "forbidden",
		    "your role does not allow this");
		return (0);
	}
	return (1);
}

/* The index of the auditor named ${key} (id or handle) in ${as}, or -1. */
static long
auditor_index(const struct store_member *as, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(as[i].id, key) == 0 ||
		    strcmp(as[i].handle, key) == 0)
			return ((long)i);
	return (-1);
}

/*
 * Check the grants of ${in} against the ${n} active auditors ${as}: each
 * to an auditor, none twice, every auditor covered; fill ${r}.  Return 0,
 * or -1 after replying.
 */
static int
check_readers(struct route_ctx *ctx, const struct file_in *in,
    const struct store_member *as, size_t n, struct readers *r)
{
	unsigned char seen[ROUTES_CHANNEL_ROLE_MAX];
	size_t i;
	long k;

	if (n == 0) {
		http_reply_error(ctx->req, 409, "no_auditors",
		    "the instance has no active auditor to read a complaint");
		return (-1);
	}
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < in->ngrants; i++) {
		if ((k = auditor_index(as, n, in->grants[i].member)) < 0) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"grants.member\" must name an active "
			    "auditor");
			return (-1);
		}
		if (seen[k]) {
			http_reply_error(ctx->req, 400, "invalid_field",
			    "field \"grants\" names an auditor twice");
			return (-1);
		}
		seen[k] = 1;
		memcpy(r->ids[i], as[k].id, sizeof(r->ids[i]));
		if (memoctx_sealed(ctx, "grants.sealed", in->grants[i].sealed,
			r->sealed[i], &r->sealedlen[i]) != 0)
			return (-1);
	}
	r->n = in->ngrants;
	if (r->n != n) {
		http_reply_error(ctx->req, 409, "conflict",
		    "the grants must cover every active auditor (there are "
		    "%zu); fetch /api/v1/auditors again",
		    n);
		return (-1);
	}
	return (0);
}

/**
 * routes_complaints_auditors(ctx):
 * GET /api/v1/auditors: the active auditors with their keys.
 */
void
routes_complaints_auditors(struct route_ctx *ctx)
{
	struct store_member *as = NULL;
	json_t *arr;
	size_t n = 0, i;

	if (!role_allowed(ctx, ACCESS_OP_COMPLAINT_FILE))
		return;
	if (routes_channel_role_members(ctx, ROLE_AUDITOR, &as, &n) != 0) {
		routes_internal(ctx, "auditors");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (json_array_append_new(arr, routes_member_json(&as[i])) !=
		    0) {
			json_decref(arr);
			goto nomem;
		}
	}
	free(as);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "members", arr));
	return;

nomem:
	free(as);
	routes_internal(ctx, "out of memory");
}

/**
 * routes_complaints_file(ctx):
 * POST /api/v1/complaints: file an encrypted complaint readable by the
 * auditors only, without recording who filed it.
 */
void
routes_complaints_file(struct route_ctx *ctx)
{
	const struct file_in *in = ctx->body;
	struct store_member *as = NULL;
	struct store_complaint c;
	struct readers *r;
	struct event ev;
	uint64_t index;
	uint8_t *box = NULL;
	size_t boxlen, n = 0;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		routes_internal(ctx, "out of memory");
		return;
	}
	if (!role_allowed(ctx, ACCESS_OP_COMPLAINT_FILE) ||
	    memoctx_box(
		ctx, "box", in->box, COMPLAINT_BOX_MAX, &box, &boxlen) != 0)
		goto done;
	if (routes_channel_role_members(ctx, ROLE_AUDITOR, &as, &n) != 0) {
		routes_internal(ctx, "auditors");
		goto done;
	}
	if (check_readers(ctx, in, as, n, r) != 0)
		goto done;
	memset(&c, 0, sizeof(c));
	c.created_at = ctx->now;
	c.box = box;
	c.boxlen = boxlen;
	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = EVENT_COMPLAINT_FILED;
	ev.time = ctx->now > 0 ? (uint64_t)ctx->now : 0;
	memo_box_hash(ev.hash, box, boxlen);

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		goto done;
	}
	if (store_complaint_insert(ctx->store, &c,
		(const char(*)[DIRECTORY_MEMBER_ID_LEN + 1]) r->ids,
		(const uint8_t(*)[STORE_GRANT_MAX])r->sealed, r->sealedlen,
		r->n) != STORE_OK ||
	    memoctx_notify_role(ctx, ROLE_AUDITOR, NOTIFY_COMPLAINT) != 0 ||
	    routes_log_append(ctx, &ev, &index) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "complaint");
		goto done;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		goto done;
	}
	routes_log_wait(ctx, index);
	(void)http_reply_json(ctx->req, 201,
	    json_pack("{s:{s:I,s:I}}", "complaint", "id", (json_int_t)c.id,
		"created_at", (json_int_t)c.created_at));

done:
	free(as);
	free(box);
	sodium_memzero(r, sizeof(*r));
	free(r);
}

/* The JSON of complaint ${c} as its reader sees it, or NULL. */
static json_t *
complaint_json(const struct store_complaint *c)
{
	char sealed[B64_ENCODED_LEN(STORE_GRANT_MAX)];
	size_t cap = B64_ENCODED_LEN(c->boxlen);
	char *text;
	json_t *o;

	if ((text = malloc(cap)) == NULL)
		return (NULL);
	routes_b64(text, cap, c->box, c->boxlen);
	routes_b64(sealed, sizeof(sealed), c->sealed, c->sealedlen);
	o = json_pack("{s:I,s:I,s:s,s:s}", "id", (json_int_t)c->id,
	    "created_at", (json_int_t)c->created_at, "box", text, "sealed",
	    sealed);
	free(text);
	return (o);
}

/**
 * routes_complaints_list(ctx):
 * GET /api/v1/complaints: the complaints, each with the caller's sealed
 * key.
 */
void
routes_complaints_list(struct route_ctx *ctx)
{
	struct store_complaint *cs = NULL;
	json_t *arr = NULL;
	size_t n = 0, i;

	if (!role_allowed(ctx, ACCESS_OP_COMPLAINT_READ))
		return;
	if (store_complaint_list(ctx->store, ctx->me->id, &cs, &n) !=
	    STORE_OK) {
		routes_internal(ctx, "complaint list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto fail;
	for (i = 0; i < n; i++)
		if (json_array_append_new(arr, complaint_json(&cs[i])) != 0)
			goto fail;
	for (i = 0; i < n; i++)
		free(cs[i].box);
	free(cs);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "complaints", arr));
	return;

fail:
	json_decref(arr);
	for (i = 0; i < n; i++)
		free(cs[i].box);
	free(cs);
	routes_internal(ctx, "out of memory");
}
