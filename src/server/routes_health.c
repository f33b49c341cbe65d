#include <stdio.h>

#include "routes.h"

/**
 * routes_health_get(ctx):
 * GET /api/v1/health: {"status":"ok","version","schema"}.
 */
void
routes_health_get(struct route_ctx *ctx)
{

	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:s,s:s,s:i}", "status", "ok", "version",
		DISSENT_VERSION, "schema", ctx->inst->schema));
}

/* The configured extra holidays of ${c} as ["YYYY-MM-DD", ...], or NULL. */
static json_t *
holidays_json(const struct config *c)
{
	char d[16];
	json_t *arr;
	size_t i;

	if ((arr = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < c->nholidays; i++) {
		(void)snprintf(d, sizeof(d), "%04d-%02d-%02d",
		    c->holidays[i].year, c->holidays[i].month,
		    c->holidays[i].day);
		if (json_array_append_new(arr, json_string(d)) != 0) {
			json_decref(arr);
			return (NULL);
		}
	}
	return (arr);
}

/* The instance's topics as a JSON array, or NULL if out of memory. */
static json_t *
topics_json(const struct config *c)
{
	json_t *arr;
	size_t i;

	if ((arr = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < c->ntopics; i++) {
		if (json_array_append_new(arr, json_string(c->topics[i])) !=
		    0) {
			json_decref(arr);
			return (NULL);
		}
	}
	return (arr);
}

/**
 * routes_health_instance(ctx):
 * GET /api/v1/instance: the instance's public description.
 */
void
routes_health_instance(struct route_ctx *ctx)
{
	const struct config *c = ctx->cfg;

	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:I,s:{s:I,s:I}}",
		"instance_id", ctx->inst->id, "name",
		c->instance_name[0] != '\0' ? c->instance_name
					    : ctx->inst->name,
		"server_sign_pk", ctx->inst->sign_pk_b64, "channel_org",
		ctx->inst->channel_org, "policy_profile",
		config_profile_name(c->policy_profile), "time_zone",
		c->time_zone, "holidays", holidays_json(c), "topics",
		topics_json(c), "max_marking",
		memo_marking_name(c->max_marking), "scheduler_interval_ms",
		(json_int_t)c->scheduler_interval_ms, "kdf_min", "opslimit",
		(json_int_t)c->kdf_min_opslimit, "memlimit",
		(json_int_t)c->kdf_min_memlimit));
}
