#ifndef AUDIT_H_
#define AUDIT_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "event.h"
#include "merkle.h"

/*
 * What `dissent audit` knows of a channel log: the tree of the entries it
 * has checked and the directory's timeline rebuilt from their events.
 *
 * The tree is kept as its right edge only: for each set bit k of the size
 * n, the perfect-subtree node (k, n / 2^k - 1) of merkle.h.  That is at
 * most 64 hashes, yet it is all that merkle_append_nodes() reads to extend
 * the tree and all that merkle_root() reads to compute its root, so an
 * audit can resume where the last one stopped without the old entries.
 *
 * The timeline holds every organisation and every member with its
 * organisation, roles, eligibility, status and key epoch, and counts the
 * events by type.  Each event must follow the directory's rules from the
 * state before it (audit_append()).  The whole state is saved as JSON
 * between audits.
 */

/* Most members (and, separately, organisations) a timeline holds. */
#define AUDIT_MEMBERS_MAX ((size_t)1 << 22)

/* Room for an error message. */
#define AUDIT_ERR_MAX 256

/* Member statuses in the timeline. */
#define AUDIT_PENDING 0
#define AUDIT_ACTIVE 1
#define AUDIT_SUSPENDED 2

struct audit;

/* Members by status, and organisations. */
struct audit_census {
	size_t orgs;
	size_t members;
	size_t pending;
	size_t active;
	size_t suspended;
};

/**
 * audit_new():
 * Return the state of an empty log (size 0, no directory), or NULL if out
 * of memory.
 */
struct audit *audit_new(void);

/**
 * audit_free(a):
 * Free ${a}; do nothing if ${a} is NULL.
 */
void audit_free(struct audit *a);

/**
 * audit_size(a):
 * Return the number of entries ${a} has checked.
 */
uint64_t audit_size(const struct audit *a);

/**
 * audit_root(a, root):
 * Write the root of the tree of the entries ${a} has checked into ${root}.
 * Return 0, or -1 if the state is inconsistent.
 */
int audit_root(const struct audit *a, uint8_t root[MERKLE_HASH_BYTES])
    __attribute__((warn_unused_result));

/**
 * audit_append(a, leaf, len, ev, err, errcap):
 * Check the next entry, whose leaf input is the ${len} bytes at ${leaf}:
 * it must decode strictly as an event (written to ${ev}) that follows the
 * directory's rules; then add it to the tree and the timeline.  Return 0,
 * or -1 with a message in ${err} (naming the entry's index), ${a} then
 * unchanged.  The rules: an organisation or member is created once; a
 * member's organisation exists; every other event names a known member;
 * enrollment is of a pending member at epoch 1; a rotation is of an active
 * member to the next epoch; suspension is of a member not suspended;
 * reinstatement is of a suspended member (who becomes active, or pending
 * if never enrolled).
 */
int audit_append(struct audit *a, const uint8_t *leaf, size_t len,
    struct event *ev, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * audit_count(a, type):
 * Return the number of events of ${type} ${a} has checked.
 */
uint64_t audit_count(const struct audit *a, uint16_t type);

/**
 * audit_census(a, census):
 * Count ${a}'s organisations and its members by status into ${census}.
 */
void audit_census(const struct audit *a, struct audit_census *census);

/**
 * audit_json(a):
 * Return ${a} as a JSON object that audit_from_json() reads back, or NULL
 * if out of memory.
 */
json_t *audit_json(const struct audit *a);

/**
 * audit_from_json(obj, err, errcap):
 * Return the state saved as ${obj} by audit_json(), or NULL with a message
 * in ${err} if it is malformed or breaks the timeline's invariants.  The
 * caller checks audit_root() against the signed head it saved with it.
 */
struct audit *audit_from_json(const json_t *obj, char *err, size_t errcap);

#endif /* !AUDIT_H_ */
