#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "access.h"
#include "lifecycle.h"
#include "log.h"
#include "stats.h"
#include "routes.h"

/*
 * Statistics (docs/API.md, "Statistics"): every memo that reached the
 * channel, grouped by period and topic by stats.h, which withholds any
 * cell describing fewer than STATS_MIN_AUTHORS distinct authors.  Authors
 * are counted by a hash of their member ids that never leaves this
 * function.
 */

/* The period names, indexed by enum stats_period. */
static const char *const period_names[] = {"month", "quarter", "year"};

/*
 * Most memos one request counts: the statistics hold one struct stats_memo
 * (about 1 KiB) per memo in memory.  Beyond it the request fails (500)
 * rather than answer with figures that leave memos out.
 */
#define STATS_MEMOS_MAX 100000

/* The memos gathered so far (store_memo_each_state()). */
struct gather {
	struct route_ctx *ctx;
	struct stats_memo *sms;
	size_t n;
	size_t cap;
};

/*
 * Fill ${sm} from memo ${m}: its times, deadlines, topic and the hashes of
 * its drafters' and co-drafters' ids.  Return 0, or -1.
 */
static int
stats_record(
    struct route_ctx *ctx, const struct store_memo *m, struct stats_memo *sm)
{
	static const unsigned int rels[] = {
	    ACCESS_REL_DRAFTER, ACCESS_REL_CODRAFTER};
	char(*ids)[DIRECTORY_MEMBER_ID_LEN + 1];
	size_t n, i, r;

	memset(sm, 0, sizeof(*sm));
	memcpy(sm->topic, m->topic, sizeof(sm->topic));
	sm->submitted_at = m->submitted_at;
	sm->acked_at = m->acked_at;
	sm->ack_due = m->ack_due;
	sm->replied_at = m->replied_at;
	sm->reply_due = m->reply_due;
	for (r = 0; r < sizeof(rels) / sizeof(rels[0]); r++) {
		if (store_memo_related(ctx->store, m->id, rels[r], &ids, &n) !=
		    STORE_OK)
			return (-1);
		for (i = 0; i < n && sm->nauthors < STATS_AUTHORS_MAX; i++)
			crypto_generichash(sm->authors[sm->nauthors++],
			    sizeof(sm->authors[0]), (const uint8_t *)ids[i],
			    strlen(ids[i]), NULL, 0);
		free(ids);
	}
	return (0);
}

/* The store_memo_each_state() callback: add ${m} to the gathering. */
static int
gather_memo(void *cookie, const struct store_memo *m)
{
	struct gather *g = cookie;
	struct stats_memo *p;
	size_t cap;

	if (g->n == g->cap) {
		if (g->cap == STATS_MEMOS_MAX) {
			log_msg(LOG_ERROR, "statistics: more memos than "
					   "STATS_MEMOS_MAX");
			return (-1);
		}
		cap = g->cap == 0 ? 64 : g->cap * 2;
		if (cap > STATS_MEMOS_MAX)
			cap = STATS_MEMOS_MAX;
		if ((p = calloc(cap, sizeof(*p))) == NULL)
			return (-1);
		/* Copied, not realloc()ed, so that the old copy is wiped. */
		if (g->n > 0) {
			memcpy(p, g->sms, g->n * sizeof(*p));
			sodium_memzero(g->sms, g->n * sizeof(*p));
		}
		free(g->sms);
		g->sms = p;
		g->cap = cap;
	}
	if (stats_record(g->ctx, m, &g->sms[g->n]) != 0)
		return (-1);
	g->n++;
	return (0);
}

/* A figure that may be absent (negative): the number, or null. */
static json_t *
maybe_int(int64_t v)
{

	return (v < 0 ? json_null() : json_integer((json_int_t)v));
}

static json_t *
maybe_real(double v)
{

	return (v < 0 ? json_null() : json_real(v));
}

/* The JSON of cell ${c}, or NULL. */
static json_t *
cell_json(const struct stats_cell *c)
{

	if (c->suppressed)
		return (json_pack("{s:s,s:s,s:b,s:n,s:n,s:n,s:n,s:n,s:n,s:n}",
		    "period", c->period, "topic", c->topic, "suppressed", 1,
		    "memos", "acknowledged", "ack_median_seconds",
		    "ack_on_time", "replied", "reply_median_seconds",
		    "reply_on_time"));
	return (json_pack("{s:s,s:s,s:b,s:I,s:I,s:o,s:o,s:I,s:o,s:o}", "period",
	    c->period, "topic", c->topic, "suppressed", 0, "memos",
	    (json_int_t)c->memos, "acknowledged", (json_int_t)c->acknowledged,
	    "ack_median_seconds", maybe_int(c->ack_median), "ack_on_time",
	    maybe_real(c->ack_on_time), "replied", (json_int_t)c->replied,
	    "reply_median_seconds", maybe_int(c->reply_median), "reply_on_time",
	    maybe_real(c->reply_on_time)));
}

/**
 * routes_stats_get(ctx):
 * GET /api/v1/stats?period=month|quarter|year: the channel's statistics,
 * with small cells suppressed.
 */
void
routes_stats_get(struct route_ctx *ctx)
{
	static const char *const allowed[] = {"period"};
	static const int states[] = {MEMO_STATE_SUBMITTED,
	    MEMO_STATE_ACKNOWLEDGED, MEMO_STATE_REDIRECTED, MEMO_STATE_ASSIGNED,
	    MEMO_STATE_REPLIED, MEMO_STATE_CLOSED};
	struct gather g = {ctx, NULL, 0, 0};
	struct stats_cell *cells = NULL;
	const char *v;
	char bad[40];
	json_t *arr = NULL;
	size_t ncells = 0, i;
	int period = STATS_MONTH;

	if (!access_memo_allowed(
		ACCESS_OP_STATS, access_rel_roles(ctx->me->roles), 0)) {
		http_reply_error(ctx->req, 403, "forbidden",
		    "your role does not allow this");
		return;
	}
	if (http_query_check(ctx->req, allowed, 1, bad, sizeof(bad)) != 0) {
		http_reply_error(ctx->req, 400, "unknown_field",
		    "unknown or repeated query parameter \"%s\"", bad);
		return;
	}
	if ((v = http_query_get(ctx->req, "period")) != NULL &&
	    (period = stats_period_parse(v)) < 0) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "query parameter \"period\" must be month, quarter or "
		    "year");
		return;
	}
	if (ctx->cal == NULL) {
		routes_internal(ctx, "no calendar");
		return;
	}
	/* Every memo that reached the channel, a page at a time. */
	if (store_memo_each_state(ctx->store, states,
		sizeof(states) / sizeof(states[0]), gather_memo,
		&g) != STORE_OK)
		goto fail;
	if (stats_compute(&cells, &ncells, g.sms, g.n,
		(enum stats_period)period, ctx->cal) != 0)
		goto fail;
	if ((arr = json_array()) == NULL)
		goto fail;
	for (i = 0; i < ncells; i++)
		if (json_array_append_new(arr, cell_json(&cells[i])) != 0)
			goto fail;
	(void)http_reply_json(ctx->req, 200,
	    json_pack("{s:s,s:i,s:O}", "period", period_names[period],
		"min_authors", STATS_MIN_AUTHORS, "cells", arr));
	json_decref(arr);
	arr = NULL;
	goto done;

fail:
	routes_internal(ctx, "statistics");
done:
	json_decref(arr);
	free(cells);
	if (g.sms != NULL)
		sodium_memzero(g.sms, g.cap * sizeof(*g.sms));
	free(g.sms);
}
