#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "routes.h"

/*
 * The channel log's read endpoints (docs/API.md, "Log").  Every range is
 * checked against the latest signed tree head, never the raw number of
 * entries: what is served is what some head commits to.
 */

/* Most entries one GET /log/entries returns. */
#define ENTRIES_MAX STORE_LOG_RANGE_MAX

/* The latest signed head into ${th}; 0, or -1 after replying. */
static int
latest(struct route_ctx *ctx, struct treehead *th)
{

	if (chanlog_latest(ctx->inst->log, th) != CHANLOG_OK) {
		http_reply_error(ctx->req, 503, "unavailable",
		    "the log has no signed tree head yet");
		return (-1);
	}
	return (0);
}

/* The JSON of the signed tree head ${th}. */
static json_t *
head_json(const struct treehead *th)
{
	char root[B64_ENCODED_LEN(MERKLE_HASH_BYTES)];
	char sig[B64_ENCODED_LEN(TREEHEAD_SIG_BYTES)];

	routes_b64(root, sizeof(root), th->root, sizeof(th->root));
	routes_b64(sig, sizeof(sig), th->sig, sizeof(th->sig));
	/* Sizes and timestamps are stored as int64: they fit json_int_t. */
	return (json_pack("{s:s,s:I,s:I,s:s,s:s}", "instance_id",
	    th->instance_id, "size", (json_int_t)th->size, "timestamp",
	    (json_int_t)th->timestamp, "root", root, "signature", sig));
}

/* A JSON array of the ${n} hashes of ${proof}, or NULL. */
static json_t *
proof_json(const uint8_t *proof, size_t n)
{
	char h[B64_ENCODED_LEN(MERKLE_HASH_BYTES)];
	json_t *arr;
	size_t i;

	if ((arr = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		routes_b64(h, sizeof(h), proof + i * MERKLE_HASH_BYTES,
		    MERKLE_HASH_BYTES);
		if (json_array_append_new(arr, json_string(h)) != 0) {
			json_decref(arr);
			return (NULL);
		}
	}
	return (arr);
}

/**
 * routes_log_head(ctx):
 * GET /api/v1/log/head: the latest signed tree head.
 */
void
routes_log_head(struct route_ctx *ctx)
{
	struct treehead th;

	if (routes_query_allowed(ctx, NULL, 0) != 0 || latest(ctx, &th) != 0)
		return;
	(void)http_reply_json(ctx->req, 200, head_json(&th));
}

/**
 * routes_log_head_at(ctx):
 * GET /api/v1/log/heads/{size}: the signed tree head of that size.
 */
void
routes_log_head_at(struct route_ctx *ctx)
{
	struct treehead th;
	uint64_t size;
	int rc;

	if (routes_query_allowed(ctx, NULL, 0) != 0)
		return;
	if (routes_parse_u64(ctx->params[0], 0, STORE_LOG_SIZE_MAX, &size) !=
	    0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "the size must be a decimal integer from 0 to %llu",
		    (unsigned long long)STORE_LOG_SIZE_MAX);
		return;
	}
	if ((rc = chanlog_head(ctx->inst->log, size, &th)) ==
	    CHANLOG_NOTFOUND) {
		http_reply_error(ctx->req, 404, "not_found",
		    "no tree head of that size was signed");
		return;
	}
	if (rc != CHANLOG_OK) {
		routes_internal(ctx, "log head");
		return;
	}
	(void)http_reply_json(ctx->req, 200, head_json(&th));
}

/**
 * routes_log_entries(ctx):
 * GET /api/v1/log/entries?start=S&count=N: entries of the signed log.
 */
void
routes_log_entries(struct route_ctx *ctx)
{
	static const char *const allowed[] = {"start", "count"};
	struct store_log_entry *es = NULL;
	struct treehead th;
	uint64_t start, count;
	json_t *arr = NULL, *e;
	char *text = NULL;
	size_t n = 0, i, cap;

	if (routes_query_allowed(ctx, allowed, 2) != 0 ||
	    routes_query_u64(ctx, "start", 1, 0, STORE_LOG_SIZE_MAX, &start) !=
		0 ||
	    routes_query_u64(ctx, "count", 1, 1, ENTRIES_MAX, &count) != 0 ||
	    latest(ctx, &th) != 0)
		return;
	if (start >= th.size) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "query parameter \"start\" must be below the signed log's "
		    "size, %llu",
		    (unsigned long long)th.size);
		return;
	}
	if (count > th.size - start)
		count = th.size - start;
	if (store_log_entries(ctx->store, start, (size_t)count, &es, &n) !=
	    STORE_OK) {
		routes_internal(ctx, "log entries");
		return;
	}
	cap = B64_ENCODED_LEN(STORE_LOG_EVENT_MAX);
	if ((text = malloc(cap)) == NULL || (arr = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		routes_b64(text, cap, es[i].event, es[i].len);
		e = json_pack("{s:I,s:s}", "index", (json_int_t)es[i].index,
		    "event", text);
		if (json_array_append_new(arr, e) != 0)
			goto nomem;
	}
	free(text);
	free(es);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "entries", arr));
	return;

nomem:
	json_decref(arr);
	free(text);
	free(es);
	routes_internal(ctx, "out of memory");
}

/* Reply 200 {key1: a, key2: b, "proof": [...]} with ${n} hashes. */
static void
reply_proof(struct route_ctx *ctx, const char *key1, uint64_t a,
    const char *key2, uint64_t b, const uint8_t *proof, size_t n)
{
	json_t *p;

	if ((p = proof_json(proof, n)) == NULL) {
		routes_internal(ctx, "out of memory");
		return;
	}
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:I,s:I,s:o}", key1, (json_int_t)a, key2, (json_int_t)b,
		"proof", p));
}

/**
 * routes_log_inclusion(ctx):
 * GET /api/v1/log/inclusion?index=I&size=N (or leaf_hash=H&size=N): an
 * inclusion proof.
 */
void
routes_log_inclusion(struct route_ctx *ctx)
{
	static const char *const allowed[] = {"index", "leaf_hash", "size"};
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	uint8_t leaf_hash[MERKLE_HASH_BYTES];
	struct treehead th;
	const char *hv;
	uint64_t index, size;
	size_t nh;
	int rc;

	if (routes_query_allowed(ctx, allowed, 3) != 0)
		return;
	hv = http_query_get(ctx->req, "leaf_hash");
	if (hv != NULL && http_query_get(ctx->req, "index") != NULL) {
		http_reply_error(ctx->req, 400, "bad_request",
		    "give either \"index\" or \"leaf_hash\", not both");
		return;
	}
	if (hv != NULL &&
	    b64_decode_exact(leaf_hash, sizeof(leaf_hash), hv) != 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "query parameter \"leaf_hash\" must be the base64url of "
		    "32 bytes");
		return;
	}
	if ((hv == NULL && routes_query_u64(ctx, "index", 1, 0,
			       STORE_LOG_SIZE_MAX - 1, &index) != 0) ||
	    routes_query_u64(ctx, "size", 1, 1, STORE_LOG_SIZE_MAX, &size) !=
		0 ||
	    latest(ctx, &th) != 0)
		return;
	if (size > th.size) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "query parameter \"size\" must not exceed the signed log's "
		    "size, %llu",
		    (unsigned long long)th.size);
		return;
	}
	if (hv != NULL) {
		rc = store_log_find(ctx->store, leaf_hash, size, &index);
		if (rc == STORE_NOTFOUND) {
			http_reply_error(ctx->req, 404, "not_found",
			    "no entry below that size has this leaf hash");
			return;
		}
		if (rc != STORE_OK) {
			routes_internal(ctx, "log find");
			return;
		}
	} else if (index >= size) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "query parameter \"index\" must be below \"size\"");
		return;
	}
	if (chanlog_inclusion_proof(ctx->inst->log, index, size, proof, &nh) !=
	    CHANLOG_OK) {
		routes_internal(ctx, "inclusion proof");
		return;
	}
	reply_proof(ctx, "index", index, "size", size, proof, nh);
}

/**
 * routes_log_consistency(ctx):
 * GET /api/v1/log/consistency?first=M&second=N: a consistency proof.
 */
void
routes_log_consistency(struct route_ctx *ctx)
{
	static const char *const allowed[] = {"first", "second"};
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct treehead th;
	uint64_t first, second;
	size_t nh;

	if (routes_query_allowed(ctx, allowed, 2) != 0 ||
	    routes_query_u64(ctx, "first", 1, 1, STORE_LOG_SIZE_MAX, &first) !=
		0 ||
	    routes_query_u64(
		ctx, "second", 1, 1, STORE_LOG_SIZE_MAX, &second) != 0 ||
	    latest(ctx, &th) != 0)
		return;
	if (first > second || second > th.size) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "the sizes must satisfy 0 < first <= second <= %llu, the "
		    "signed log's size",
		    (unsigned long long)th.size);
		return;
	}
	if (chanlog_consistency_proof(
		ctx->inst->log, first, second, proof, &nh) != CHANLOG_OK) {
		routes_internal(ctx, "consistency proof");
		return;
	}
	reply_proof(ctx, "first", first, "second", second, proof, nh);
}
