#include <stdint.h>
#include <string.h>

#include "direvent.h"

/* Start ${ev} as an event of ${type} at ${now}. */
static void
begin(struct event *ev, uint16_t type, int64_t now)
{

	memset(ev, 0, sizeof(*ev));
	ev->version = EVENT_FORMAT_VERSION;
	ev->type = type;
	/* The clock is never before 1970 in practice; never wrap. */
	ev->time = now > 0 ? (uint64_t)now : 0;
}

/* Copy ${src} into ${dst} of ${cap} bytes, or leave it empty if too long. */
static void
copy_id(char *dst, size_t cap, const char *src)
{
	size_t len = strnlen(src, cap);

	if (len < cap)
		memcpy(dst, src, len + 1);
}

/**
 * direvent_org_created(ev, now, org_id):
 * The event of creating the organisation ${org_id}.
 */
void
direvent_org_created(struct event *ev, int64_t now, const char *org_id)
{

	begin(ev, EVENT_ORG_CREATED, now);
	copy_id(ev->org_id, sizeof(ev->org_id), org_id);
}

/**
 * direvent_member_created(ev, now, m):
 * The event of creating the member ${m} (id, organisation, roles and
 * eligibility).
 */
void
direvent_member_created(
    struct event *ev, int64_t now, const struct store_member *m)
{

	begin(ev, EVENT_MEMBER_CREATED, now);
	copy_id(ev->member_id, sizeof(ev->member_id), m->id);
	copy_id(ev->org_id, sizeof(ev->org_id), m->org_id);
	ev->roles = m->roles;
	ev->eligible = m->eligible != 0;
}

/**
 * direvent_keys(ev, now, member_id, epoch, keys):
 * The event publishing ${keys} as member ${member_id}'s keys at ${epoch}:
 * member_enrolled for epoch 1, keys_rotated after.
 */
void
direvent_keys(struct event *ev, int64_t now, const char *member_id,
    uint32_t epoch, const struct keys_public *keys)
{

	begin(ev, epoch == 1 ? EVENT_MEMBER_ENROLLED : EVENT_KEYS_ROTATED, now);
	copy_id(ev->member_id, sizeof(ev->member_id), member_id);
	ev->epoch = epoch;
	event_keys_hash(ev->keys_hash, keys);
}

/**
 * direvent_status(ev, now, member_id, suspended):
 * The event of suspending (${suspended} != 0) or reinstating member
 * ${member_id}.
 */
void
direvent_status(
    struct event *ev, int64_t now, const char *member_id, int suspended)
{

	begin(ev, suspended ? EVENT_MEMBER_SUSPENDED : EVENT_MEMBER_REINSTATED,
	    now);
	copy_id(ev->member_id, sizeof(ev->member_id), member_id);
}

/**
 * direvent_roles(ev, now, member_id, roles):
 * The event of giving member ${member_id} the role set ${roles}.
 */
void
direvent_roles(
    struct event *ev, int64_t now, const char *member_id, unsigned int roles)
{

	begin(ev, EVENT_ROLES_CHANGED, now);
	copy_id(ev->member_id, sizeof(ev->member_id), member_id);
	ev->roles = roles;
}

/**
 * direvent_eligibility(ev, now, member_id, eligible):
 * The event of making member ${member_id} eligible to co-sign or not.
 */
void
direvent_eligibility(
    struct event *ev, int64_t now, const char *member_id, int eligible)
{

	begin(ev, EVENT_ELIGIBILITY_CHANGED, now);
	copy_id(ev->member_id, sizeof(ev->member_id), member_id);
	ev->eligible = eligible != 0;
}
