#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "event.h"
#include "lifecycle.h"
#include "memo.h"
#include "memoctx.h"
#include "notify.h"
#include "routes.h"

/*
 * Meetings (docs/API.md, "Meetings"): a drafter of a memo asks a principal
 * the memo was distributed to for a meeting; the principal or a
 * coordinator schedules it and records whether it was held, with an
 * optional note encrypted under the memo key like a reply.  Log events
 * name the memo and the principal, never the drafter who asked.
 */

/* A member id, or a handle, in a body. */
#define MEMBER_KEY_MAX DIRECTORY_HANDLE_MAX
/* Longest base64url text of an outcome note's box. */
#define NOTE_B64_MAX MEMOCTX_B64_LEN(MEMO_REPLY_BOX_MAX)
/* Latest time a meeting may be scheduled for, from now: five years. */
#define SCHEDULE_AHEAD_MAX (5 * 366 * 86400LL)
/* Digits of the largest meeting id (INT64_MAX). */

struct request_in {
	char principal[MEMBER_KEY_MAX + 1];
};

static const struct jsonin_field request_fields[] = {
    {.name = "principal",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = MEMBER_KEY_MAX,
	JSONIN_AT(struct request_in, principal)},
};
const struct jsonin_spec routes_meetings_request_spec =
    JSONIN_SPEC(struct request_in, request_fields);

struct schedule_in {
	int64_t at;
};

static const struct jsonin_field schedule_fields[] = {
    {.name = "at",
	.type = JSONIN_INT,
	.flags = JSONIN_REQUIRED,
	.imin = 1,
	.imax = INT64_MAX,
	JSONIN_AT(struct schedule_in, at)},
};
const struct jsonin_spec routes_meetings_schedule_spec =
    JSONIN_SPEC(struct schedule_in, schedule_fields);

struct outcome_in {
	int held;
	int64_t n;
	int has_n;
	char box[NOTE_B64_MAX + 1];
	int has_box;
};

static const struct jsonin_field outcome_fields[] = {
    {.name = "held",
	.type = JSONIN_BOOL,
	.flags = JSONIN_REQUIRED,
	JSONIN_AT(struct outcome_in, held)},
    {.name = "n",
	.type = JSONIN_INT,
	.imin = 1,
	.imax = UINT32_MAX,
	JSONIN_AT(struct outcome_in, n),
	JSONIN_PRESENT(struct outcome_in, has_n)},
    {.name = "box",
	.type = JSONIN_STRING,
	.min = 1,
	.max = NOTE_B64_MAX,
	JSONIN_AT(struct outcome_in, box),
	JSONIN_PRESENT(struct outcome_in, has_box)},
};
const struct jsonin_spec routes_meetings_outcome_spec =
    JSONIN_SPEC(struct outcome_in, outcome_fields);

/* The name of the meeting state ${state}. */
static const char *
state_name(int state)
{

	switch (state) {
	case STORE_MEETING_REQUESTED:
		return ("requested");
	case STORE_MEETING_SCHEDULED:
		return ("scheduled");
	case STORE_MEETING_HELD:
		return ("held");
	case STORE_MEETING_DECLINED:
		return ("declined");
	default:
		return ("unknown");
	}
}

/* The Meeting object of ${m}, or NULL. */
static json_t *
meeting_json(const struct store_meeting *m)
{

	return (json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:o}", "id",
	    (json_int_t)m->id, "memo", m->memo_id, "principal", m->principal,
	    "requested_by", m->requested_by, "state", state_name(m->state),
	    "created_at", (json_int_t)m->created_at, "scheduled_at",
	    (json_int_t)m->scheduled_at, "outcome",
	    m->outcome_n != 0 ? json_integer((json_int_t)m->outcome_n)
			      : json_null()));
}

/* Reply ${status} with {"meeting": ${m}}. */
static void
reply_meeting(
    struct route_ctx *ctx, unsigned int status, const struct store_meeting *m)
{
	json_t *o;

	if ((o = meeting_json(m)) == NULL) {
		routes_internal(ctx, "out of memory");
		return;
	}
	(void)http_reply_json(
	    ctx->req, status, json_pack("{s:o}", "meeting", o));
}

/* Start ${ev} as an event of ${type} about meeting ${m}. */
static void
event_begin(struct event *ev, uint16_t type, const struct route_ctx *ctx,
    const struct store_meeting *m)
{

	memset(ev, 0, sizeof(*ev));
	ev->version = EVENT_FORMAT_VERSION;
	ev->type = type;
	ev->time = ctx->now > 0 ? (uint64_t)ctx->now : 0;
	memcpy(ev->memo_id, m->memo_id, sizeof(ev->memo_id));
	memcpy(ev->member_id, m->principal, sizeof(ev->member_id));
}

/*
 * Append ${ev} in the open transaction and commit, storing the event's
 * index in ${index}.  Return 0, or -1 after rolling back and replying.
 */
static int
finish(struct route_ctx *ctx, const struct event *ev, uint64_t *index)
{

	if (routes_log_append(ctx, ev, index) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "log append");
		return (-1);
	}
	if (store_commit(ctx->store) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "commit");
		return (-1);
	}
	routes_log_wait(ctx, *index);
	return (0);
}

/* Is ${m} still open (requested or scheduled)? */
static int
meeting_open(const struct store_meeting *m)
{

	return (m->state == STORE_MEETING_REQUESTED ||
		m->state == STORE_MEETING_SCHEDULED);
}

/*
 * Is there an open meeting on memo ${memo_id} with ${principal} requested
 * by the caller?  Return 1 or 0, or -1 on a store failure.
 */
static int
already_requested(
    struct route_ctx *ctx, const char *memo_id, const char *principal)
{
	struct store_meeting *ms = NULL;
	size_t n = 0, i;
	int found = 0;

	if (store_meeting_list(ctx->store, ctx->me->id, &ms, &n) != STORE_OK)
		return (-1);
	for (i = 0; i < n; i++)
		if (strcmp(ms[i].memo_id, memo_id) == 0 &&
		    strcmp(ms[i].principal, principal) == 0 &&
		    strcmp(ms[i].requested_by, ctx->me->id) == 0 &&
		    meeting_open(&ms[i]))
			found = 1;
	free(ms);
	return (found);
}

/**
 * routes_meetings_request(ctx):
 * POST /api/v1/memos/{id}/meetings: a drafter asks a principal the memo
 * was distributed to for a meeting.
 */
void
routes_meetings_request(struct route_ctx *ctx)
{
	const struct request_in *in = ctx->body;
	struct store_meeting mt;
	struct store_member p;
	struct memoctx mc;
	enum memo_state next;
	struct event ev;
	unsigned int rel;
	uint64_t index;
	int rc;

	if (memoctx_load(ctx, ctx->params[0], ACCESS_OP_MEETING_REQUEST, &mc) !=
		0 ||
	    memoctx_transition(ctx, &mc, MEMO_ACT_MEETING, &next) != 0)
		return;
	memset(&p, 0, sizeof(p));
	if ((rc = routes_find_member(ctx, in->principal, &p)) != STORE_OK &&
	    rc != STORE_NOTFOUND) {
		routes_internal(ctx, "member lookup");
		return;
	}
	rel = 0;
	if (rc == STORE_OK && store_memo_relations(ctx->store, mc.memo.id, p.id,
				  &rel) != STORE_OK) {
		routes_internal(ctx, "memo relations");
		return;
	}
	if ((rel & ACCESS_REL_PRINCIPAL) == 0 ||
	    p.status != STORE_MEMBER_ACTIVE) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"principal\" must name an active principal the "
		    "memo "
		    "was distributed to");
		return;
	}
	if ((rc = already_requested(ctx, mc.memo.id, p.id)) != 0) {
		if (rc < 0)
			routes_internal(ctx, "meeting list");
		else
			http_reply_error(ctx->req, 409, "conflict",
			    "you already asked this principal for a meeting "
			    "on this memo");
		return;
	}
	memset(&mt, 0, sizeof(mt));
	memcpy(mt.memo_id, mc.memo.id, sizeof(mt.memo_id));
	memcpy(mt.principal, p.id, sizeof(mt.principal));
	memcpy(mt.requested_by, ctx->me->id, sizeof(mt.requested_by));
	mt.state = STORE_MEETING_REQUESTED;
	mt.created_at = ctx->now;

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return;
	}
	if (memoctx_recheck(ctx, &mc) != 0) {
		store_rollback(ctx->store);
		return;
	}
	if (store_meeting_insert(ctx->store, &mt) != STORE_OK ||
	    notify_queue(ctx->store, p.id, NOTIFY_NEW_ITEM, ctx->now) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "meeting insert");
		return;
	}
	event_begin(&ev, EVENT_MEETING_REQUESTED, ctx, &mt);
	if (finish(ctx, &ev, &index) != 0)
		return;
	reply_meeting(ctx, 201, &mt);
}

/**
 * routes_meetings_list(ctx):
 * GET /api/v1/meetings: the caller's meetings (a coordinator's: all).
 */
void
routes_meetings_list(struct route_ctx *ctx)
{
	struct store_meeting *ms = NULL;
	json_t *arr;
	size_t n = 0, i;
	int all = (ctx->me->roles & ROLE_COORDINATOR) != 0;

	if (store_meeting_list(ctx->store, all ? NULL : ctx->me->id, &ms, &n) !=
	    STORE_OK) {
		routes_internal(ctx, "meeting list");
		return;
	}
	if ((arr = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (json_array_append_new(arr, meeting_json(&ms[i])) != 0) {
			json_decref(arr);
			goto nomem;
		}
	}
	free(ms);
	(void)http_reply_json(
	    ctx->req, 200, json_pack("{s:o}", "meetings", arr));
	return;

nomem:
	free(ms);
	routes_internal(ctx, "out of memory");
}

/*
 * Load the meeting of the path into ${mt} and its memo into ${mc} for the
 * principal of the meeting or a coordinator, and check the memo's state
 * still allows meetings and the meeting is open.  Return 0, or -1 after
 * replying.
 */
static int
load_managed(
    struct route_ctx *ctx, struct store_meeting *mt, struct memoctx *mc)
{
	const char *s = ctx->params[0];
	struct store_memo memo;
	enum memo_state next;
	uint64_t id;
	int rc;

	/* Meeting ids are from 1; anything else names no meeting. */
	if (routes_parse_u64(s, 1, INT64_MAX, &id) != 0)
		goto notfound;
	if ((rc = store_meeting_get(ctx->store, (int64_t)id, mt)) ==
	    STORE_NOTFOUND)
		goto notfound;
	if (rc != STORE_OK) {
		routes_internal(ctx, "meeting lookup");
		return (-1);
	}
	/*
	 * Whoever may not see the memo is told what a meeting that does not
	 * exist tells: nothing else differs between the two.
	 */
	if ((rc = store_memo_get(ctx->store, mt->memo_id, &memo)) != STORE_OK ||
	    memoctx_relate(ctx, &memo, mc) != 0) {
		routes_internal(ctx, "meeting's memo");
		return (-1);
	}
	if (!access_memo_allowed(ACCESS_OP_META, mc->rel, mc->flags))
		goto notfound;
	if (memoctx_load(ctx, mt->memo_id, ACCESS_OP_MEETING_MANAGE, mc) != 0)
		return (-1);
	/* Another principal of the memo manages only their own meetings. */
	if ((mc->rel & ACCESS_REL_COORDINATOR) == 0 &&
	    strcmp(mt->principal, ctx->me->id) != 0) {
		http_reply_error(ctx->req, 403, "forbidden",
		    "only the meeting's principal or a coordinator manages it");
		return (-1);
	}
	if (memoctx_transition(ctx, mc, MEMO_ACT_MEETING, &next) != 0)
		return (-1);
	if (!meeting_open(mt)) {
		http_reply_error(ctx->req, 409, "invalid_state",
		    "the meeting is %s already", state_name(mt->state));
		return (-1);
	}
	return (0);

notfound:
	http_reply_error(ctx->req, 404, "not_found", "no such meeting");
	return (-1);
}

/*
 * Begin a transaction and read meeting ${mt} and its memo ${mc} again;
 * reply 409 if either changed meanwhile.  Return 0, or -1 after replying
 * (nothing left open).
 */
static int
begin_managed(
    struct route_ctx *ctx, struct store_meeting *mt, struct memoctx *mc)
{
	struct store_meeting cur;

	if (store_begin(ctx->store) != 0) {
		routes_internal(ctx, "begin");
		return (-1);
	}
	if (memoctx_recheck(ctx, mc) != 0) {
		store_rollback(ctx->store);
		return (-1);
	}
	if (store_meeting_get(ctx->store, mt->id, &cur) != STORE_OK) {
		store_rollback(ctx->store);
		routes_internal(ctx, "meeting reload");
		return (-1);
	}
	if (cur.state != mt->state || cur.scheduled_at != mt->scheduled_at) {
		store_rollback(ctx->store);
		http_reply_error(ctx->req, 409, "conflict",
		    "the meeting changed meanwhile; read it again and retry");
		return (-1);
	}
	return (0);
}

/**
 * routes_meetings_schedule(ctx):
 * POST /api/v1/meetings/{mid}/schedule: the principal or a coordinator
 * sets the meeting's time.
 */
void
routes_meetings_schedule(struct route_ctx *ctx)
{
	const struct schedule_in *in = ctx->body;
	struct store_meeting mt;
	struct memoctx mc;
	struct event ev;
	uint64_t index;

	if (load_managed(ctx, &mt, &mc) != 0)
		return;
	if (in->at <= ctx->now || in->at - ctx->now > SCHEDULE_AHEAD_MAX) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "field \"at\" must be in the future, within five years");
		return;
	}
	if (begin_managed(ctx, &mt, &mc) != 0)
		return;
	mt.state = STORE_MEETING_SCHEDULED;
	mt.scheduled_at = in->at;
	if (store_meeting_update(ctx->store, &mt) != STORE_OK ||
	    notify_queue(
		ctx->store, mt.requested_by, NOTIFY_NEW_ITEM, ctx->now) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "meeting update");
		return;
	}
	event_begin(&ev, EVENT_MEETING_SCHEDULED, ctx, &mt);
	ev.at = (uint64_t)in->at;
	if (finish(ctx, &ev, &index) != 0)
		return;
	reply_meeting(ctx, 200, &mt);
}

/**
 * routes_meetings_outcome(ctx):
 * POST /api/v1/meetings/{mid}/outcome: the principal or a coordinator
 * records whether the meeting was held, with an optional encrypted note.
 */
void
routes_meetings_outcome(struct route_ctx *ctx)
{
	const struct outcome_in *in = ctx->body;
	struct store_meeting mt;
	struct memoctx mc;
	struct event ev;
	uint64_t index;
	uint8_t *box = NULL;
	size_t boxlen = 0;

	if (in->has_n != in->has_box) {
		http_reply_error(ctx->req, 400, "invalid_field",
		    "fields \"n\" and \"box\" come together");
		return;
	}
	if (in->held && !in->has_box) {
		http_reply_error(ctx->req, 400, "missing_field",
		    "a meeting that was held needs its note: fields \"n\" and "
		    "\"box\"");
		return;
	}
	if (load_managed(ctx, &mt, &mc) != 0)
		return;
	if (in->has_box && memoctx_box(ctx, "box", in->box, MEMO_REPLY_BOX_MAX,
			       &box, &boxlen) != 0)
		return;
	if (begin_managed(ctx, &mt, &mc) != 0)
		goto done;
	event_begin(&ev, EVENT_MEETING_HELD, ctx, &mt);
	ev.kind = in->held ? 1 : 2;
	if (box != NULL) {
		/* The note is numbered among the memo's replies and notes. */
		if (routes_channel_note(ctx, &mc.memo, MEMO_REPLY_KIND_OUTCOME,
			(uint32_t)in->n, box, boxlen) != 0)
			goto done;
		if (store_memo_update(ctx->store, &mc.memo) != STORE_OK) {
			store_rollback(ctx->store);
			routes_internal(ctx, "memo update");
			goto done;
		}
		memo_box_hash(ev.hash, box, boxlen);
		mt.outcome_n = (uint32_t)in->n;
	}
	mt.state = in->held ? STORE_MEETING_HELD : STORE_MEETING_DECLINED;
	if (store_meeting_update(ctx->store, &mt) != STORE_OK ||
	    notify_queue(
		ctx->store, mt.requested_by, NOTIFY_NEW_ITEM, ctx->now) != 0) {
		store_rollback(ctx->store);
		routes_internal(ctx, "meeting update");
		goto done;
	}
	if (finish(ctx, &ev, &index) != 0)
		goto done;
	reply_meeting(ctx, 200, &mt);

done:
	free(box);
}
