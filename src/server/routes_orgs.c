#include <stdlib.h>
#include <string.h>

#include "routes.h"

struct create_in {
	char id[DIRECTORY_ORG_ID_MAX + 1];
	char name[DIRECTORY_ORG_NAME_MAX + 1];
};

static const struct jsonin_field create_fields[] = {
    {.name = "id",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_ORG_ID_MAX,
	JSONIN_AT(struct create_in, id)},
    {.name = "name",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = DIRECTORY_ORG_NAME_MAX,
	JSONIN_AT(struct create_in, name)},
};
const struct jsonin_spec routes_orgs_create_spec =
    JSONIN_SPEC(struct create_in, create_fields);

/* {"id","name","created_at"} of ${o}. */
static json_t *
org_json(const struct store_org *o)
{

	return (json_pack("{s:s,s:s,s:I}", "id", o->id, "name", o->name,
	    "created_at", (json_int_t)o->created_at));
}

/**
 * routes_orgs_list(ctx):
 * GET /api/v1/orgs: every organisation.
 */
void
routes_orgs_list(struct route_ctx *ctx)
{
	struct store_org *orgs = NULL;
	json_t *arr;
	size_t n = 0, i;

	if (store_org_list(ctx->store, &orgs, &n) != STORE_OK) {
		routes_internal(ctx, "org list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (json_array_append_new(arr, org_json(&orgs[i])) != 0) {
			json_decref(arr);
			goto nomem;
		}
	}
	free(orgs);
	(void)http_reply_json(ctx->req, 200, json_pack("{s:o}", "orgs", arr));
	return;

nomem:
	free(orgs);
	routes_internal(ctx, "out of memory");
}

/**
 * routes_orgs_create(ctx):
 * POST /api/v1/orgs (admin): add an organisation.
 */
void
routes_orgs_create(struct route_ctx *ctx)
{
	const struct create_in *in = ctx->body;
	struct store_org o;
	struct event ev;
	uint64_t index;
	int rc;

	if (!directory_org_id_valid(in->id)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"id\" must be a-z, 0-9 and '-', starting with a "
		    "letter");
		return;
	}
	if (!directory_name_valid(in->name, DIRECTORY_ORG_NAME_MAX)) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"name\" must be UTF-8 without control characters "
		    "or surrounding spaces");
		return;
	}
	memset(&o, 0, sizeof(o));
	memcpy(o.id, in->id, sizeof(o.id));
	memcpy(o.name, in->name, sizeof(o.name));
	o.created_at = ctx->now;
	direvent_org_created(&ev, ctx->now, o.id);
	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if ((rc = store_org_insert(ctx->store, &o)) != STORE_OK) {
		store_rollback(ctx->store);
		if (rc == STORE_CONFLICT)
			http_reply_error(ctx->req, 409, "conflict",
			    "an organisation with this id exists");
		else
			routes_internal(ctx, "org insert");
		return;
	}
	if (routes_log_append(ctx, &ev, &index) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "log append");
		return;
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		return;
	}
	routes_log_wait(ctx, index);
	(void)http_reply_json(
	    ctx->req, 201, json_pack("{s:o}", "org", org_json(&o)));
}
