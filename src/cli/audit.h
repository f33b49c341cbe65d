#ifndef AUDIT_H_
#define AUDIT_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "calendar.h"
#include "deadline.h"
#include "directory.h"
#include "event.h"
#include "memo.h"
#include "merkle.h"

/*
 * What `dissent audit` knows of a channel log: the tree of the entries it
 * has checked, the directory's timeline and every memo's timeline rebuilt
 * from their events.
 *
 * The tree is kept as its right edge only: for each set bit k of the size
 * n, the perfect-subtree node (k, n / 2^k - 1) of merkle.h.  That is at
 * most 64 hashes, yet it is all that merkle_append_nodes() reads to extend
 * the tree and all that merkle_root() reads to compute its root, so an
 * audit can resume where the last one stopped without the old entries.
 *
 * The directory's timeline holds every organisation and every member with
 * its organisation, roles, eligibility, status and key epoch.  The memos'
 * timeline holds, for every memo the log shows submitted or withdrawn, a
 * fixed set of fields: its lifecycle state, submission entry, the
 * times of submission, acknowledgement (or redirection), first reply and
 * end (closing or withdrawal), reply and meeting counts, its three due
 * times computed with deadline_compute() under the audit's policy, and
 * for each kind of deadline the first deadline_missed event logged for it
 * with what is wrong with it, if anything.  Events are counted by type.
 * Each event must follow the directory's rules and the memo lifecycle
 * from the state before it (audit_append()).  The whole state is saved as
 * JSON between audits.
 */

/* Most members (and, separately, organisations) a timeline holds. */
#define AUDIT_MEMBERS_MAX ((size_t)1 << 22)

/* Most memos (submitted, or withdrawn as drafts) a timeline holds. */
#define AUDIT_MEMOS_MAX ((size_t)1 << 19)

/* Room for an error message. */
#define AUDIT_ERR_MAX 256

/* Member statuses in the timeline. */
#define AUDIT_PENDING 0
#define AUDIT_ACTIVE 1
#define AUDIT_SUSPENDED 2

/* How a memo was answered: not yet, acknowledged, redirected. */
#define AUDIT_ACKED_NONE 0
#define AUDIT_ACKED_ACK 1
#define AUDIT_ACKED_REDIRECT 2

/* The outcome of one deadline of a memo (audit_compliance()). */
#define AUDIT_DUE_NONE 0    /* nothing is owed */
#define AUDIT_DUE_OPEN 1    /* owed, not yet due */
#define AUDIT_DUE_ON_TIME 2 /* done at or before the due time */
#define AUDIT_DUE_LATE 3    /* done after the due time */
#define AUDIT_DUE_OVERDUE 4 /* not done, past due, still owed */
#define AUDIT_DUE_MISSED 5  /* not done, past due, the memo ended since */

/* What is wrong with a deadline's deadline_missed events, if anything. */
#define AUDIT_FINDING_NONE 0
#define AUDIT_FINDING_ABSENT 1     /* missed, the scheduler had time: none */
#define AUDIT_FINDING_NOT_OWED 2   /* logged while the memo owed nothing */
#define AUDIT_FINDING_WRONG_DUE 3  /* logged with another due time */
#define AUDIT_FINDING_NOT_MISSED 4 /* logged, but not missed at its time */
#define AUDIT_FINDING_TWICE 5      /* logged more than once */

/* Kinds of deadline, indexed by DEADLINE_* - 1. */
#define AUDIT_KINDS 3

struct audit;

/* Members by status, and organisations. */
struct audit_census {
	size_t orgs;
	size_t members;
	size_t pending;
	size_t active;
	size_t suspended;
};

/* What the directory's timeline holds of one member (audit_member()). */
struct audit_member {
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	char org[DIRECTORY_ORG_ID_MAX + 1];
	uint32_t roles;
	uint32_t epoch; /* 0 until enrolled */
	int eligible;
	int status; /* AUDIT_PENDING, AUDIT_ACTIVE or AUDIT_SUSPENDED */
};

/* One deadline of a memo as audit_compliance() judges it. */
struct audit_deadline {
	int64_t due;            /* the due time computed */
	int64_t done_at;        /* the acknowledgement or first reply, or 0 */
	int status;             /* AUDIT_DUE_* */
	int logged;             /* 1 if a deadline_missed event was logged */
	uint64_t logged_index;  /* the first such event: entry, */
	int64_t logged_time;    /* time */
	int64_t logged_due;     /* and the due time it names */
	int finding;            /* AUDIT_FINDING_* */
	uint64_t finding_index; /* the entry at fault (not for ABSENT) */
};

/* A submitted memo's timeline and deadlines. */
struct audit_memo_report {
	char id[MEMO_ID_LEN + 1];
	int state;      /* enum memo_state */
	int acked_by;   /* AUDIT_ACKED_* */
	uint64_t index; /* the submission's entry */
	int64_t submitted_at;
	int64_t acked_at;   /* acknowledgement or redirection, or 0 */
	int64_t replied_at; /* first reply, or 0 */
	int64_t ended_at;   /* closing or withdrawal, or 0 */
	uint32_t replies;
	uint32_t meetings;                    /* meetings requested */
	struct audit_deadline d[AUDIT_KINDS]; /* ack, reply, escalation */
};

/**
 * audit_new():
 * Return the state of an empty log (size 0, no directory, no memos), with
 * the policy state-dissent in UTC without extra holidays, or NULL if out
 * of memory.
 */
struct audit *audit_new(void);

/**
 * audit_free(a):
 * Free ${a}; do nothing if ${a} is NULL.
 */
void audit_free(struct audit *a);

/**
 * audit_set_policy(a, p, cal):
 * Compute the due dates of memos appended from now on under profile ${p}
 * with the calendar ${cal}, which must outlive ${a}.
 */
void audit_set_policy(
    struct audit *a, enum deadline_profile p, const struct calendar *cal);

/**
 * audit_size(a):
 * Return the number of entries ${a} has checked.
 */
uint64_t audit_size(const struct audit *a);

/**
 * audit_latest_time(a):
 * Return the latest time of the events ${a} has checked (the server's
 * clock at its newest entry), or 0 if none.
 */
int64_t audit_latest_time(const struct audit *a);

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
 * directory's rules and the memo lifecycle; then add it to the tree and
 * the timelines.  Return 0, or -1 with a message in ${err} (naming the
 * entry's index), ${a} then unchanged.  The directory's rules: an
 * organisation or member is created once; a member's organisation exists;
 * every other directory event, and every member a memo or channel event
 * names, is a known member; enrollment is of a pending member at epoch 1;
 * a rotation is of an active member to the next epoch; suspension is of a
 * member not suspended; reinstatement is of a suspended member (who
 * becomes active, or pending if never enrolled).  The memo rules: a memo
 * is submitted once, unless withdrawn before;
 * withdrawal, acknowledgement, redirection, assignment, distribution,
 * replies, closing and meetings are legal in the memo's state
 * (lifecycle_next(); a memo the log has not shown is a draft); a
 * deadline_missed event is of a submitted memo; an acknowledgement or
 * redirection is not before the submission, and the due times can be
 * computed.  A deadline_missed event that does not match the deadline the
 * audit computes is not refused but recorded as a finding.
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
 * audit_member(a, id, m):
 * Store in ${m} what ${a}'s directory timeline holds of the member ${id}:
 * organisation, roles, eligibility, status and key epoch after the
 * entries checked so far.  Return 0, or -1 if it holds no such member.
 */
int audit_member(const struct audit *a, const char *id, struct audit_member *m)
    __attribute__((warn_unused_result));

/**
 * audit_member_next(a, pos, m):
 * Walk ${a}'s members in no particular order: starting with *${pos} = 0,
 * each call stores the next member in ${m}, advances *${pos} and returns
 * 1, or returns 0 when none is left.  ${a} must not change meanwhile.
 */
int audit_member_next(
    const struct audit *a, size_t *pos, struct audit_member *m);

/**
 * audit_compliance(a, now, slack, reports, n):
 * Judge every submitted memo of ${a} at the time ${now}: store a newly
 * allocated array of their reports, in the order of submission, in
 * ${reports} and their number in ${n} (NULL and 0 if none).  A deadline
 * is missed when its action came after the due time, or has not come and
 * ${now} (or, for a memo that ended, its end) is past it.  Its
 * deadline_missed event is required once the scheduler watched the missed
 * deadline for more than ${slack} seconds: the acknowledgement deadline
 * from the submission, the reply and escalation deadlines from the
 * acknowledgement (not a redirection), until the memo ended; without the
 * event the deadline has the finding AUDIT_FINDING_ABSENT.  Return 0, or
 * -1 if out of memory.
 */
int audit_compliance(const struct audit *a, int64_t now, int64_t slack,
    struct audit_memo_report **reports, size_t *n)
    __attribute__((warn_unused_result));

/**
 * audit_due_status_name(status), audit_finding_name(finding):
 * The stable lowercase name of an AUDIT_DUE_* ("none", "open", "on_time",
 * "late", "overdue", "missed") or AUDIT_FINDING_* ("none", "absent",
 * "not_owed", "wrong_due", "not_missed", "twice") value, or NULL.
 */
const char *audit_due_status_name(int status);
const char *audit_finding_name(int finding);

/**
 * audit_json(a):
 * Return ${a} as a JSON object that audit_from_json() reads back, or NULL
 * if out of memory.
 */
json_t *audit_json(const struct audit *a);

/**
 * audit_from_json(obj, err, errcap):
 * Return the state saved as ${obj} by audit_json(), or NULL with a message
 * in ${err} if it is malformed or breaks the timelines' invariants.  The
 * policy is audit_new()'s until audit_set_policy().  The caller checks
 * audit_root() against the signed head it saved with it.
 */
struct audit *audit_from_json(const json_t *obj, char *err, size_t errcap);

#endif /* !AUDIT_H_ */
