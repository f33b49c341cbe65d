#ifndef DIREVENT_H_
#define DIREVENT_H_

#include <stdint.h>

#include "event.h"
#include "keys.h"
#include "store.h"

/*
 * The channel log events of directory changes (event.h, docs/PROTOCOL.md
 * "Log events"): each function fills ${ev} for one change made at ${now}
 * (Unix seconds).  Only ids, roles, flags, epochs and a hash of public keys
 * go into an event: never a name, a handle or a secret.  A field too long
 * for the event is left empty, which event_encode() then refuses.
 */

/**
 * direvent_org_created(ev, now, org_id):
 * The event of creating the organisation ${org_id}.
 */
void direvent_org_created(struct event *ev, int64_t now, const char *org_id);

/**
 * direvent_member_created(ev, now, m):
 * The event of creating the member ${m} (id, organisation, roles and
 * eligibility).
 */
void direvent_member_created(
    struct event *ev, int64_t now, const struct store_member *m);

/**
 * direvent_keys(ev, now, member_id, epoch, keys):
 * The event publishing ${keys} as member ${member_id}'s keys at ${epoch}:
 * member_enrolled for epoch 1, keys_rotated after.
 */
void direvent_keys(struct event *ev, int64_t now, const char *member_id,
    uint32_t epoch, const struct keys_public *keys);

/**
 * direvent_status(ev, now, member_id, suspended):
 * The event of suspending (${suspended} != 0) or reinstating member
 * ${member_id}.
 */
void direvent_status(
    struct event *ev, int64_t now, const char *member_id, int suspended);

/**
 * direvent_roles(ev, now, member_id, roles):
 * The event of giving member ${member_id} the role set ${roles}.
 */
void direvent_roles(
    struct event *ev, int64_t now, const char *member_id, unsigned int roles);

/**
 * direvent_eligibility(ev, now, member_id, eligible):
 * The event of making member ${member_id} eligible to co-sign or not.
 */
void direvent_eligibility(
    struct event *ev, int64_t now, const char *member_id, int eligible);

#endif /* !DIREVENT_H_ */
