#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "b64.h"
#include "calendar.h"
#include "deadline.h"
#include "directory.h"
#include "event.h"
#include "lifecycle.h"
#include "memo.h"
#include "merkle.h"

/* Event types are below this (memo and channel events take 100..199). */
#define TYPES_MAX 200

/* Longest key of a member or organisation: an organisation id. */
#define KEY_MAX DIRECTORY_ORG_ID_MAX

/* A member, or (with only the key used) an organisation. */
struct slot {
	char key[KEY_MAX + 1]; /* "" when free */
	char org[DIRECTORY_ORG_ID_MAX + 1];
	uint32_t roles;
	uint32_t epoch; /* 0 until enrolled */
	uint8_t eligible;
	uint8_t status;
};

/* The first deadline_missed event of one kind of deadline of a memo. */
struct logged {
	uint8_t seen;
	uint8_t problem; /* AUDIT_FINDING_*, never ABSENT */
	uint64_t index;
	int64_t time;
	int64_t due;
	uint64_t problem_index; /* the entry at fault, if a problem */
};

/* A memo's timeline. */
struct memo {
	char key[MEMO_ID_LEN + 1]; /* "" when free */
	uint8_t state;             /* enum memo_state */
	uint8_t acked_by;          /* AUDIT_ACKED_* */
	uint32_t replies;
	uint32_t meetings;
	uint64_t index; /* the submission's entry */
	int64_t submitted_at;
	int64_t acked_at;
	int64_t replied_at;
	int64_t ended_at;
	int64_t due[AUDIT_KINDS];
	struct logged logged[AUDIT_KINDS];
};

/*
 * An open-addressing hash table of at most ${max} slots in use, keyed with
 * SipHash under a random key so that a server cannot choose ids that
 * collide and make the audit quadratic.  Each slot is ${esize} bytes and
 * starts with its NUL-terminated key ("" when free).
 */
struct table {
	unsigned char *slots;
	size_t esize;
	size_t keymax;
	size_t max;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

struct audit {
	uint64_t size;
	int64_t latest;
	/* edge[k]: node (k, size / 2^k - 1) when bit k of size is set. */
	uint8_t edge[MERKLE_MAX_LEVELS][MERKLE_HASH_BYTES];
	uint64_t counts[TYPES_MAX];
	struct table orgs;
	struct table members;
	struct table memos;
	uint8_t hkey[crypto_shorthash_KEYBYTES];
	enum deadline_profile profile;
	const struct calendar *cal;
	struct calendar *own_cal;
};

static const char *const status_names[] = {"pending", "active", "suspended"};
static const char *const acked_names[] = {"none", "ack", "redirect"};
static const char *const due_names[] = {
    "none", "open", "on_time", "late", "overdue", "missed"};
static const char *const finding_names[] = {
    "none", "absent", "not_owed", "wrong_due", "not_missed", "twice"};
#define NAMES(a) (sizeof(a) / sizeof((a)[0]))

/* The key of slot ${i} of ${t}. */
static char *
slot_key(const struct table *t, size_t i)
{

	return ((char *)(t->slots + i * t->esize));
}

/* Set ${t} up, empty, for slots of ${esize} bytes. */
static void
table_init(struct table *t, size_t esize, size_t keymax, size_t max)
{

	memset(t, 0, sizeof(*t));
	t->esize = esize;
	t->keymax = keymax;
	t->max = max;
}

/* The slot index where ${key} starts its probe in ${t}. */
static size_t
probe_start(const struct audit *a, const struct table *t, const char *key)
{
	uint8_t h[crypto_shorthash_BYTES];
	uint64_t v = 0;
	size_t i;

	(void)crypto_shorthash(h, (const uint8_t *)key, strlen(key), a->hkey);
	for (i = 0; i < sizeof(h); i++)
		v = v << 8 | h[i];
	return ((size_t)v & (t->cap - 1));
}

/* Find ${key} in ${t}, or NULL. */
static void *
table_find(const struct audit *a, const struct table *t, const char *key)
{
	size_t i;

	if (t->cap == 0)
		return (NULL);
	for (i = probe_start(a, t, key);; i = (i + 1) & (t->cap - 1)) {
		if (slot_key(t, i)[0] == '\0')
			return (NULL);
		if (strcmp(slot_key(t, i), key) == 0)
			return (slot_key(t, i));
	}
}

/* Put a copy of the slot ${s} into ${t}, which has room and lacks its key. */
static void *
table_place(const struct audit *a, struct table *t, const void *s)
{
	size_t i;

	for (i = probe_start(a, t, s); slot_key(t, i)[0] != '\0';
	     i = (i + 1) & (t->cap - 1))
		;
	memcpy(slot_key(t, i), s, t->esize);
	t->n++;
	return (slot_key(t, i));
}

/* Make room in ${t} for one more slot in use: 0, or -1 if full or OOM. */
static int
table_reserve(const struct audit *a, struct table *t)
{
	unsigned char *old = t->slots;
	size_t oldcap = t->cap, cap, i;

	if (t->n >= t->max)
		return (-1);
	/* Keep the load at most one half. */
	if ((t->n + 1) * 2 <= t->cap)
		return (0);
	cap = t->cap == 0 ? 64 : t->cap * 2;
	if ((t->slots = calloc(cap, t->esize)) == NULL) {
		t->slots = old;
		return (-1);
	}
	t->cap = cap;
	t->n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i * t->esize] != '\0')
			(void)table_place(a, t, old + i * t->esize);
	free(old);
	return (0);
}

/* Insert a zeroed slot for ${key} (not in ${t}); return it, or NULL. */
static void *
table_insert(const struct audit *a, struct table *t, const char *key)
{
	size_t i, len = strlen(key);

	if (len == 0 || len > t->keymax || table_reserve(a, t) != 0)
		return (NULL);
	/* Free slots are all zero bytes: only keys mark them in use. */
	for (i = probe_start(a, t, key); slot_key(t, i)[0] != '\0';
	     i = (i + 1) & (t->cap - 1))
		;
	memcpy(slot_key(t, i), key, len + 1);
	t->n++;
	return (slot_key(t, i));
}

/**
 * audit_new():
 * Return the state of an empty log (size 0, no directory, no memos), with
 * the policy state-dissent in UTC without extra holidays, or NULL if out
 * of memory.
 */
struct audit *
audit_new(void)
{
	struct audit *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return (NULL);
	if ((a->own_cal = calendar_new("UTC", NULL, 0)) == NULL) {
		free(a);
		return (NULL);
	}
	crypto_shorthash_keygen(a->hkey);
	table_init(&a->orgs, sizeof(struct slot), KEY_MAX, AUDIT_MEMBERS_MAX);
	table_init(&a->members, sizeof(struct slot), DIRECTORY_MEMBER_ID_LEN,
	    AUDIT_MEMBERS_MAX);
	table_init(
	    &a->memos, sizeof(struct memo), MEMO_ID_LEN, AUDIT_MEMOS_MAX);
	a->profile = DEADLINE_STATE_DISSENT;
	a->cal = a->own_cal;
	return (a);
}

/**
 * audit_free(a):
 * Free ${a}; do nothing if ${a} is NULL.
 */
void
audit_free(struct audit *a)
{

	if (a == NULL)
		return;
	free(a->orgs.slots);
	free(a->members.slots);
	free(a->memos.slots);
	calendar_free(a->own_cal);
	free(a);
}

/**
 * audit_set_policy(a, p, cal):
 * Compute the due dates of memos appended from now on under profile ${p}
 * with the calendar ${cal}, which must outlive ${a}.
 */
void
audit_set_policy(
    struct audit *a, enum deadline_profile p, const struct calendar *cal)
{

	a->profile = p;
	a->cal = cal;
}

/**
 * audit_size(a):
 * Return the number of entries ${a} has checked.
 */
uint64_t
audit_size(const struct audit *a)
{

	return (a->size);
}

/**
 * audit_latest_time(a):
 * Return the latest time of the events ${a} has checked (the server's
 * clock at its newest entry), or 0 if none.
 */
int64_t
audit_latest_time(const struct audit *a)
{

	return (a->latest);
}

/* merkle_source over the right edge: only its nodes exist. */
static int
edge_node(void *ctx, unsigned int level, uint64_t index,
    uint8_t out[MERKLE_HASH_BYTES])
{
	const struct audit *a = ctx;

	if (level >= MERKLE_MAX_LEVELS || ((a->size >> level) & 1) == 0 ||
	    index != (a->size >> level) - 1)
		return (-1);
	memcpy(out, a->edge[level], MERKLE_HASH_BYTES);
	return (0);
}

/**
 * audit_root(a, root):
 * Write the root of the tree of the entries ${a} has checked into ${root}.
 * Return 0, or -1 if the state is inconsistent.
 */
int
audit_root(const struct audit *a, uint8_t root[MERKLE_HASH_BYTES])
{
	struct merkle_source src;

	/* merkle_root() only reads; the cast drops const for the callback. */
	src.node = edge_node;
	src.ctx = (void *)(uintptr_t)a;
	return (merkle_root(&src, a->size, root));
}

/*
 * Check directory event ${ev} against the timeline's state before it:
 * return NULL if it follows the rules, else write why into ${why} and
 * return it.
 */
static const char *
directory_rule(
    const struct audit *a, const struct event *ev, char *why, size_t cap)
{
	const struct slot *m = NULL;

	switch (ev->type) {
	case EVENT_ORG_CREATED:
		if (table_find(a, &a->orgs, ev->org_id) != NULL) {
			(void)snprintf(why, cap,
			    "organisation %s is created twice", ev->org_id);
			return (why);
		}
		return (NULL);
	case EVENT_MEMBER_CREATED:
		if (table_find(a, &a->members, ev->member_id) != NULL) {
			(void)snprintf(why, cap, "member %s is created twice",
			    ev->member_id);
			return (why);
		}
		if (table_find(a, &a->orgs, ev->org_id) == NULL) {
			(void)snprintf(why, cap,
			    "member %s is created in unknown organisation %s",
			    ev->member_id, ev->org_id);
			return (why);
		}
		return (NULL);
	default:
		break;
	}
	if ((m = table_find(a, &a->members, ev->member_id)) == NULL) {
		(void)snprintf(
		    why, cap, "it names unknown member %s", ev->member_id);
		return (why);
	}
	switch (ev->type) {
	case EVENT_MEMBER_ENROLLED:
		if (m->epoch != 0)
			(void)snprintf(why, cap,
			    "member %s enrolls again (keys at epoch %u)",
			    ev->member_id, m->epoch);
		else if (m->status != AUDIT_PENDING)
			(void)snprintf(why, cap, "member %s enrolls while %s",
			    ev->member_id, status_names[m->status]);
		else if (ev->epoch != 1)
			(void)snprintf(why, cap,
			    "member %s enrolls at key epoch %u, not 1",
			    ev->member_id, ev->epoch);
		else
			return (NULL);
		return (why);
	case EVENT_KEYS_ROTATED:
		if (m->epoch == 0)
			(void)snprintf(why, cap,
			    "member %s rotates keys without having enrolled",
			    ev->member_id);
		else if (m->status != AUDIT_ACTIVE)
			(void)snprintf(why, cap,
			    "member %s rotates keys while %s", ev->member_id,
			    status_names[m->status]);
		else if (ev->epoch != m->epoch + 1)
			(void)snprintf(why, cap,
			    "member %s rotates keys to epoch %u, but holds "
			    "epoch %u",
			    ev->member_id, ev->epoch, m->epoch);
		else
			return (NULL);
		return (why);
	case EVENT_MEMBER_SUSPENDED:
		if (m->status == AUDIT_SUSPENDED) {
			(void)snprintf(why, cap,
			    "member %s is suspended while suspended",
			    ev->member_id);
			return (why);
		}
		return (NULL);
	case EVENT_MEMBER_REINSTATED:
		if (m->status != AUDIT_SUSPENDED) {
			(void)snprintf(why, cap,
			    "member %s is reinstated while %s", ev->member_id,
			    status_names[m->status]);
			return (why);
		}
		return (NULL);
	default:
		return (NULL);
	}
}

/* The lifecycle action of memo event ${type}, or 0 if it has none. */
static int
memo_action(uint16_t type)
{

	switch (type) {
	case EVENT_MEMO_SUBMITTED:
		return (MEMO_ACT_SUBMIT);
	case EVENT_MEMO_WITHDRAWN:
		return (MEMO_ACT_WITHDRAW);
	case EVENT_MEMO_ACKNOWLEDGED:
		return (MEMO_ACT_ACKNOWLEDGE);
	case EVENT_MEMO_REDIRECTED:
		return (MEMO_ACT_REDIRECT);
	case EVENT_MEMO_ASSIGNED:
		return (MEMO_ACT_ASSIGN);
	case EVENT_MEMO_DISTRIBUTED:
		return (MEMO_ACT_DISTRIBUTE);
	case EVENT_MEMO_REPLIED:
		return (MEMO_ACT_REPLY);
	case EVENT_MEMO_CLOSED:
		return (MEMO_ACT_CLOSE);
	case EVENT_MEETING_REQUESTED:
	case EVENT_MEETING_SCHEDULED:
	case EVENT_MEETING_HELD:
		return (MEMO_ACT_MEETING);
	default:
		return (0);
	}
}

/*
 * If memo or channel event ${ev} names a member the directory does not
 * know, write so into ${why} and return it; else NULL.
 */
static const char *
unknown_staff(
    const struct audit *a, const struct event *ev, char *why, size_t cap)
{
	const char *ids[2] = {NULL, NULL};
	size_t i;

	/* A distribution beyond the standard list names its approver. */
	if (ev->type == EVENT_MEMO_DISTRIBUTED && ev->member2_id[0] != '\0')
		ids[1] = ev->member2_id;
	switch (ev->type) {
	case EVENT_MEMO_DISTRIBUTED:
	case EVENT_MEMO_ASSIGNED:
	case EVENT_MEETING_REQUESTED:
	case EVENT_MEETING_SCHEDULED:
	case EVENT_MEETING_HELD:
	case EVENT_CHANNEL_KEY_CREATED:
	case EVENT_CHANNEL_KEY_GRANTED:
		ids[0] = ev->member_id;
		break;
	default:
		break;
	}
	for (i = 0; i < 2; i++) {
		if (ids[i] != NULL &&
		    table_find(a, &a->members, ids[i]) == NULL) {
			(void)snprintf(
			    why, cap, "it names unknown member %s", ids[i]);
			return (why);
		}
	}
	return (NULL);
}

/* The time the action deadline ${kind} of ${m} waits for was done, or 0. */
static int64_t
done_at(const struct memo *m, int kind)
{

	return (kind == DEADLINE_ACK ? m->acked_at : m->replied_at);
}

/* The due times of ${m} as deadline.h has them. */
static void
dues_of(const struct memo *m, struct deadline_dues *d)
{

	d->ack_due = m->due[DEADLINE_ACK - 1];
	d->reply_due = m->due[DEADLINE_REPLY - 1];
	d->escalate_at = m->due[DEADLINE_ESCALATION - 1];
}

/*
 * Return 1 if the scheduler watches deadline ${kind} of ${m} in its
 * present state (scheduler.c): the acknowledgement while the memo is
 * submitted, or answered and not ended; the reply and escalation while it
 * is acknowledged (not redirected) and not ended.
 */
static int
watched(const struct memo *m, int kind)
{
	int open = m->state == MEMO_STATE_ACKNOWLEDGED ||
		   m->state == MEMO_STATE_ASSIGNED ||
		   m->state == MEMO_STATE_REPLIED;

	if (kind == DEADLINE_ACK)
		return (m->state == MEMO_STATE_SUBMITTED ||
			(m->acked_by != AUDIT_ACKED_NONE &&
			    (open || m->state == MEMO_STATE_REDIRECTED)));
	return (m->acked_by == AUDIT_ACKED_ACK && open);
}

/* Judge deadline_missed event ${ev} (entry ${index}) into memo ${m}. */
static void
judge_logged(struct memo *m, const struct event *ev, uint64_t index)
{
	struct logged *l = &m->logged[ev->kind - 1];
	struct deadline_dues d;
	int64_t t = (int64_t)ev->time;

	if (l->seen) {
		if (l->problem == AUDIT_FINDING_NONE) {
			l->problem = AUDIT_FINDING_TWICE;
			l->problem_index = index;
		}
		return;
	}
	l->seen = 1;
	l->index = index;
	l->time = t;
	l->due = (int64_t)ev->at;
	dues_of(m, &d);
	if (!watched(m, ev->kind))
		l->problem = AUDIT_FINDING_NOT_OWED;
	else if (l->due != m->due[ev->kind - 1])
		l->problem = AUDIT_FINDING_WRONG_DUE;
	else if (!deadline_missed(&d, ev->kind, done_at(m, ev->kind), t))
		l->problem = AUDIT_FINDING_NOT_MISSED;
	if (l->problem != AUDIT_FINDING_NONE)
		l->problem_index = index;
}

/* Store in ${m} the due times of its submission and answer times. */
static int
compute_dues(const struct audit *a, struct memo *m)
{
	struct deadline_dues d;

	if (deadline_compute(
		&d, a->profile, a->cal, m->submitted_at, m->acked_at) != 0)
		return (-1);
	m->due[DEADLINE_ACK - 1] = d.ack_due;
	m->due[DEADLINE_REPLY - 1] = d.reply_due;
	m->due[DEADLINE_ESCALATION - 1] = d.escalate_at;
	return (0);
}

/*
 * Check memo or channel event ${ev}, entry ${index}, against the memo's
 * timeline: return NULL if it follows the rules, with the memo's new
 * timeline in ${rec} (and ${fresh} set if the memo is new to the
 * timeline; ${rec} is unused for events of no memo), else write why into
 * ${why} and return it.
 */
static const char *
memo_rule(const struct audit *a, const struct event *ev, uint64_t index,
    struct memo *rec, int *fresh, char *why, size_t cap)
{
	const struct memo *m;
	enum memo_state cur, next;
	int action;
	int64_t t = (int64_t)ev->time;

	*fresh = 0;
	if (unknown_staff(a, ev, why, cap) != NULL)
		return (why);
	action = memo_action(ev->type);
	if (action == 0 && ev->type != EVENT_DEADLINE_MISSED)
		return (NULL);
	if ((m = table_find(a, &a->memos, ev->memo_id)) != NULL)
		*rec = *m;
	else {
		memset(rec, 0, sizeof(*rec));
		memcpy(rec->key, ev->memo_id, sizeof(rec->key));
	}
	if (ev->type == EVENT_DEADLINE_MISSED) {
		if (m == NULL || m->submitted_at == 0) {
			(void)snprintf(why, cap,
			    "memo %s misses a deadline, but was never "
			    "submitted",
			    ev->memo_id);
			return (why);
		}
		judge_logged(rec, ev, index);
		return (NULL);
	}
	/* A memo the log has not shown yet is a draft. */
	cur = m != NULL ? (enum memo_state)m->state : MEMO_STATE_OPEN;
	if (lifecycle_next(cur, (enum memo_action)action, &next) != 0) {
		if (m == NULL)
			(void)snprintf(why, cap,
			    "memo %s: %s before it was submitted", ev->memo_id,
			    lifecycle_action_name((enum memo_action)action));
		else
			(void)snprintf(why, cap, "memo %s: %s while %s",
			    ev->memo_id,
			    lifecycle_action_name((enum memo_action)action),
			    lifecycle_state_name(cur));
		return (why);
	}
	rec->state = (uint8_t)next;
	*fresh = m == NULL;
	switch (ev->type) {
	case EVENT_MEMO_SUBMITTED:
		rec->index = index;
		rec->submitted_at = t;
		if (compute_dues(a, rec) != 0) {
			(void)snprintf(why, cap,
			    "memo %s: no deadlines can be computed for a "
			    "submission at %lld",
			    ev->memo_id, (long long)t);
			return (why);
		}
		break;
	case EVENT_MEMO_WITHDRAWN:
	case EVENT_MEMO_CLOSED:
		rec->ended_at = t;
		break;
	case EVENT_MEMO_ACKNOWLEDGED:
	case EVENT_MEMO_REDIRECTED:
		if (t < rec->submitted_at) {
			(void)snprintf(why, cap,
			    "memo %s is answered at %lld, before its "
			    "submission at %lld",
			    ev->memo_id, (long long)t,
			    (long long)rec->submitted_at);
			return (why);
		}
		rec->acked_at = t;
		rec->acked_by = ev->type == EVENT_MEMO_ACKNOWLEDGED
				    ? AUDIT_ACKED_ACK
				    : AUDIT_ACKED_REDIRECT;
		if (compute_dues(a, rec) != 0) {
			(void)snprintf(why, cap,
			    "memo %s: no deadlines can be computed for an "
			    "answer at %lld",
			    ev->memo_id, (long long)t);
			return (why);
		}
		break;
	case EVENT_MEMO_REPLIED:
		if (rec->replies == UINT32_MAX) {
			(void)snprintf(why, cap, "memo %s has too many replies",
			    ev->memo_id);
			return (why);
		}
		rec->replies++;
		if (rec->replied_at == 0)
			rec->replied_at = t;
		break;
	case EVENT_MEETING_REQUESTED:
		if (rec->meetings == UINT32_MAX) {
			(void)snprintf(why, cap,
			    "memo %s has too many meetings", ev->memo_id);
			return (why);
		}
		rec->meetings++;
		break;
	default:
		break;
	}
	return (NULL);
}

/*
 * Check ${ev}, entry ${index}, against the timelines' state before it:
 * return NULL if it follows the rules (with the memo's new timeline in
 * ${rec}, as memo_rule()), else write why into ${why} and return it.
 */
static const char *
rule_broken(const struct audit *a, const struct event *ev, uint64_t index,
    struct memo *rec, int *fresh, char *why, size_t cap)
{

	*fresh = 0;
	if (ev->type >= EVENT_MEMO_SUBMITTED)
		return (memo_rule(a, ev, index, rec, fresh, why, cap));
	return (directory_rule(a, ev, why, cap));
}

/*
 * Apply ${ev}, which follows the rules, to the timelines (${rec} and
 * ${fresh} from rule_broken()); 0 or -1 (OOM, or a table full).
 */
static int
apply(
    struct audit *a, const struct event *ev, const struct memo *rec, int fresh)
{
	struct slot *m;
	struct memo *mm;

	if (ev->type >= EVENT_MEMO_SUBMITTED) {
		if (memo_action(ev->type) == 0 &&
		    ev->type != EVENT_DEADLINE_MISSED)
			return (0);
		if (fresh)
			mm = table_insert(a, &a->memos, rec->key);
		else
			mm = table_find(a, &a->memos, rec->key);
		if (mm == NULL)
			return (-1);
		*mm = *rec;
		return (0);
	}
	switch (ev->type) {
	case EVENT_ORG_CREATED:
		return (table_insert(a, &a->orgs, ev->org_id) != NULL ? 0 : -1);
	case EVENT_MEMBER_CREATED:
		if ((m = table_insert(a, &a->members, ev->member_id)) == NULL)
			return (-1);
		memcpy(m->org, ev->org_id, sizeof(m->org));
		m->roles = ev->roles;
		m->eligible = ev->eligible;
		m->status = AUDIT_PENDING;
		return (0);
	default:
		break;
	}
	m = table_find(a, &a->members, ev->member_id);
	switch (ev->type) {
	case EVENT_MEMBER_ENROLLED:
		m->status = AUDIT_ACTIVE;
		m->epoch = ev->epoch;
		break;
	case EVENT_KEYS_ROTATED:
		m->epoch = ev->epoch;
		break;
	case EVENT_MEMBER_SUSPENDED:
		m->status = AUDIT_SUSPENDED;
		break;
	case EVENT_MEMBER_REINSTATED:
		m->status = m->epoch > 0 ? AUDIT_ACTIVE : AUDIT_PENDING;
		break;
	case EVENT_ROLES_CHANGED:
		m->roles = ev->roles;
		break;
	case EVENT_ELIGIBILITY_CHANGED:
		m->eligible = ev->eligible;
		break;
	default:
		break;
	}
	return (0);
}

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
int
audit_append(struct audit *a, const uint8_t *leaf, size_t len, struct event *ev,
    char *err, size_t errcap)
{
	struct merkle_node nodes[MERKLE_APPEND_MAX];
	uint8_t lh[MERKLE_HASH_BYTES];
	struct merkle_source src;
	char why[AUDIT_ERR_MAX];
	struct memo rec;
	size_t n, i;
	int fresh;

	if (a->size >= MERKLE_MAX_SIZE) {
		(void)snprintf(err, errcap, "the log is full");
		return (-1);
	}
	if (event_decode(ev, leaf, len) != 0) {
		(void)snprintf(err, errcap,
		    "entry %llu is not a well-formed event",
		    (unsigned long long)a->size);
		return (-1);
	}
	if (rule_broken(a, ev, a->size, &rec, &fresh, why, sizeof(why)) !=
	    NULL) {
		(void)snprintf(err, errcap, "entry %llu (%s): %s",
		    (unsigned long long)a->size, event_type_name(ev->type),
		    why);
		return (-1);
	}
	src.node = edge_node;
	src.ctx = a;
	if (merkle_leaf_hash(lh, leaf, len) != 0 ||
	    merkle_append_nodes(&src, a->size, lh, nodes, &n) != 0) {
		(void)snprintf(err, errcap,
		    "entry %llu: the audit state's tree is inconsistent",
		    (unsigned long long)a->size);
		return (-1);
	}
	if (apply(a, ev, &rec, fresh) != 0) {
		(void)snprintf(err, errcap,
		    "entry %llu: out of memory, or more than %zu members, "
		    "organisations or %zu memos",
		    (unsigned long long)a->size, (size_t)AUDIT_MEMBERS_MAX,
		    (size_t)AUDIT_MEMOS_MAX);
		return (-1);
	}
	for (i = 0; i < n; i++)
		memcpy(
		    a->edge[nodes[i].level], nodes[i].hash, MERKLE_HASH_BYTES);
	a->size++;
	a->counts[ev->type]++;
	if ((int64_t)ev->time > a->latest)
		a->latest = (int64_t)ev->time;
	return (0);
}

/**
 * audit_count(a, type):
 * Return the number of events of ${type} ${a} has checked.
 */
uint64_t
audit_count(const struct audit *a, uint16_t type)
{

	return (type < TYPES_MAX ? a->counts[type] : 0);
}

/**
 * audit_census(a, census):
 * Count ${a}'s organisations and its members by status into ${census}.
 */
void
audit_census(const struct audit *a, struct audit_census *census)
{
	const struct slot *s;
	size_t i;

	memset(census, 0, sizeof(*census));
	census->orgs = a->orgs.n;
	census->members = a->members.n;
	for (i = 0; i < a->members.cap; i++) {
		s = (const struct slot *)slot_key(&a->members, i);
		if (s->key[0] == '\0')
			continue;
		if (s->status == AUDIT_PENDING)
			census->pending++;
		else if (s->status == AUDIT_ACTIVE)
			census->active++;
		else
			census->suspended++;
	}
}

/* Copy the member slot ${s} into ${m}. */
static void
member_of(const struct slot *s, struct audit_member *m)
{

	memset(m, 0, sizeof(*m));
	memcpy(m->id, s->key, sizeof(m->id) - 1);
	memcpy(m->org, s->org, sizeof(m->org));
	m->roles = s->roles;
	m->epoch = s->epoch;
	m->eligible = s->eligible;
	m->status = s->status;
}

/**
 * audit_member(a, id, m):
 * Store in ${m} what ${a}'s directory timeline holds of the member ${id}:
 * organisation, roles, eligibility, status and key epoch after the
 * entries checked so far.  Return 0, or -1 if it holds no such member.
 */
int
audit_member(const struct audit *a, const char *id, struct audit_member *m)
{
	const struct slot *s;

	if (!directory_member_id_valid(id) ||
	    (s = table_find(a, &a->members, id)) == NULL)
		return (-1);
	member_of(s, m);
	return (0);
}

/**
 * audit_member_next(a, pos, m):
 * Walk ${a}'s members in no particular order: starting with *${pos} = 0,
 * each call stores the next member in ${m}, advances *${pos} and returns
 * 1, or returns 0 when none is left.  ${a} must not change meanwhile.
 */
int
audit_member_next(const struct audit *a, size_t *pos, struct audit_member *m)
{
	const struct slot *s;

	for (; *pos < a->members.cap; (*pos)++) {
		s = (const struct slot *)slot_key(&a->members, *pos);
		if (s->key[0] == '\0')
			continue;
		member_of(s, m);
		(*pos)++;
		return (1);
	}
	return (0);
}

/* Judge deadline ${kind} of memo ${m} at ${now} into ${out}. */
static void
judge(const struct memo *m, int kind, int64_t now, int64_t slack,
    struct audit_deadline *out)
{
	const struct logged *l = &m->logged[kind - 1];
	int64_t due = m->due[kind - 1], watch_from, start, end;
	int owed;

	memset(out, 0, sizeof(*out));
	out->due = due;
	out->done_at = done_at(m, kind);
	/* A reply is owed once acknowledged, or while awaiting that. */
	owed = kind == DEADLINE_ACK || m->acked_by == AUDIT_ACKED_ACK ||
	       m->state == MEMO_STATE_SUBMITTED;
	if (!owed)
		out->status = AUDIT_DUE_NONE;
	else if (out->done_at != 0)
		out->status =
		    out->done_at <= due ? AUDIT_DUE_ON_TIME : AUDIT_DUE_LATE;
	else if (m->ended_at != 0)
		out->status =
		    m->ended_at > due ? AUDIT_DUE_MISSED : AUDIT_DUE_NONE;
	else
		out->status = now > due ? AUDIT_DUE_OVERDUE : AUDIT_DUE_OPEN;
	if (l->seen) {
		out->logged = 1;
		out->logged_index = l->index;
		out->logged_time = l->time;
		out->logged_due = l->due;
		out->finding = l->problem;
		out->finding_index = l->problem_index;
		return;
	}
	if (out->status != AUDIT_DUE_LATE && out->status != AUDIT_DUE_OVERDUE &&
	    out->status != AUDIT_DUE_MISSED)
		return;
	/* When the scheduler began to watch the deadline, if ever. */
	if (kind == DEADLINE_ACK)
		watch_from = m->submitted_at;
	else if (m->acked_by == AUDIT_ACKED_ACK)
		watch_from = m->acked_at;
	else
		return;
	start = due + 1 > watch_from ? due + 1 : watch_from;
	end = m->ended_at != 0 ? m->ended_at : now;
	if (end > start && end - start > slack)
		out->finding = AUDIT_FINDING_ABSENT;
}

/* qsort() order of reports: by submission entry. */
static int
by_index(const void *x, const void *y)
{
	const struct audit_memo_report *p = x, *q = y;

	return (p->index < q->index ? -1 : p->index > q->index);
}

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
int
audit_compliance(const struct audit *a, int64_t now, int64_t slack,
    struct audit_memo_report **reports, size_t *n)
{
	struct audit_memo_report *r = NULL, *p;
	const struct memo *m;
	size_t i, count = 0;
	int k;

	*reports = NULL;
	*n = 0;
	for (i = 0; i < a->memos.cap; i++) {
		m = (const struct memo *)slot_key(&a->memos, i);
		if (m->key[0] != '\0' && m->submitted_at != 0)
			count++;
	}
	if (count == 0)
		return (0);
	if ((r = calloc(count, sizeof(*r))) == NULL)
		return (-1);
	for (i = 0, p = r; i < a->memos.cap; i++) {
		m = (const struct memo *)slot_key(&a->memos, i);
		if (m->key[0] == '\0' || m->submitted_at == 0)
			continue;
		memcpy(p->id, m->key, sizeof(p->id));
		p->state = m->state;
		p->acked_by = m->acked_by;
		p->index = m->index;
		p->submitted_at = m->submitted_at;
		p->acked_at = m->acked_at;
		p->replied_at = m->replied_at;
		p->ended_at = m->ended_at;
		p->replies = m->replies;
		p->meetings = m->meetings;
		for (k = DEADLINE_ACK; k <= DEADLINE_ESCALATION; k++)
			judge(m, k, now, slack, &p->d[k - 1]);
		p++;
	}
	qsort(r, count, sizeof(*r), by_index);
	*reports = r;
	*n = count;
	return (0);
}

/**
 * audit_due_status_name(status), audit_finding_name(finding):
 * The stable lowercase name of an AUDIT_DUE_* ("none", "open", "on_time",
 * "late", "overdue", "missed") or AUDIT_FINDING_* ("none", "absent",
 * "not_owed", "wrong_due", "not_missed", "twice") value, or NULL.
 */
const char *
audit_due_status_name(int status)
{

	if (status < 0 || (size_t)status >= NAMES(due_names))
		return (NULL);
	return (due_names[status]);
}

const char *
audit_finding_name(int finding)
{

	if (finding < 0 || (size_t)finding >= NAMES(finding_names))
		return (NULL);
	return (finding_names[finding]);
}

/* Append the base64url of ${hash} to ${arr}; 0 or -1. */
static int
append_hash(json_t *arr, const uint8_t hash[MERKLE_HASH_BYTES])
{
	char s[B64_ENCODED_LEN(MERKLE_HASH_BYTES)];

	if (b64_encode(s, sizeof(s), hash, MERKLE_HASH_BYTES) != 0)
		return (-1);
	return (json_array_append_new(arr, json_string(s)));
}

/* The JSON of member ${m}, or NULL. */
static json_t *
member_json(const struct slot *m)
{

	return (json_pack("{s:s,s:I,s:b,s:s,s:I}", "org", m->org, "roles",
	    (json_int_t)m->roles, "eligible", m->eligible, "status",
	    status_names[m->status], "epoch", (json_int_t)m->epoch));
}

/* The JSON of ${l}: null, or {"index","time","due","problem"[, ...]}. */
static json_t *
logged_json(const struct logged *l)
{

	if (!l->seen)
		return (json_null());
	return (json_pack("{s:I,s:I,s:I,s:s,s:I}", "index",
	    (json_int_t)l->index, "time", (json_int_t)l->time, "due",
	    (json_int_t)l->due, "problem", finding_names[l->problem],
	    "problem_index", (json_int_t)l->problem_index));
}

/* The JSON of memo ${m}, or NULL. */
static json_t *
memo_json(const struct memo *m)
{

	return (json_pack("{s:s,s:I,s:I,s:I,s:s,s:I,s:I,s:I,s:I,"
			  "s:[I,I,I],s:[o,o,o]}",
	    "state", lifecycle_state_name((enum memo_state)m->state), "index",
	    (json_int_t)m->index, "submitted_at", (json_int_t)m->submitted_at,
	    "acked_at", (json_int_t)m->acked_at, "acked_by",
	    acked_names[m->acked_by], "replied_at", (json_int_t)m->replied_at,
	    "ended_at", (json_int_t)m->ended_at, "replies",
	    (json_int_t)m->replies, "meetings", (json_int_t)m->meetings, "due",
	    (json_int_t)m->due[0], (json_int_t)m->due[1], (json_int_t)m->due[2],
	    "logged", logged_json(&m->logged[0]), logged_json(&m->logged[1]),
	    logged_json(&m->logged[2])));
}

/**
 * audit_json(a):
 * Return ${a} as a JSON object that audit_from_json() reads back, or NULL
 * if out of memory.
 */
json_t *
audit_json(const struct audit *a)
{
	json_t *o, *edge, *counts, *orgs, *members, *memos;
	const struct slot *s;
	const struct memo *m;
	const char *name;
	unsigned int k;
	size_t i;

	if ((o = json_object()) == NULL)
		return (NULL);
	if (json_object_set_new(o, "size", json_integer((json_int_t)a->size)) !=
		0 ||
	    json_object_set_new(
		o, "latest_time", json_integer((json_int_t)a->latest)) != 0 ||
	    json_object_set_new(o, "edge", edge = json_array()) != 0 ||
	    json_object_set_new(o, "counts", counts = json_object()) != 0 ||
	    json_object_set_new(o, "orgs", orgs = json_array()) != 0 ||
	    json_object_set_new(o, "members", members = json_object()) != 0 ||
	    json_object_set_new(o, "memos", memos = json_object()) != 0)
		goto err0;
	/* The edge from the highest level down: the order of the root. */
	for (k = MERKLE_MAX_LEVELS; k-- > 0;)
		if (((a->size >> k) & 1) && append_hash(edge, a->edge[k]) != 0)
			goto err0;
	for (i = 0; i < TYPES_MAX; i++) {
		if ((name = event_type_name((uint16_t)i)) == NULL)
			continue;
		if (json_object_set_new(counts, name,
			json_integer((json_int_t)a->counts[i])) != 0)
			goto err0;
	}
	for (i = 0; i < a->orgs.cap; i++)
		if (slot_key(&a->orgs, i)[0] != '\0' &&
		    json_array_append_new(
			orgs, json_string(slot_key(&a->orgs, i))) != 0)
			goto err0;
	for (i = 0; i < a->members.cap; i++) {
		s = (const struct slot *)slot_key(&a->members, i);
		if (s->key[0] != '\0' &&
		    json_object_set_new(members, s->key, member_json(s)) != 0)
			goto err0;
	}
	for (i = 0; i < a->memos.cap; i++) {
		m = (const struct memo *)slot_key(&a->memos, i);
		if (m->key[0] != '\0' &&
		    json_object_set_new(memos, m->key, memo_json(m)) != 0)
			goto err0;
	}
	return (o);

err0:
	json_decref(o);
	return (NULL);
}

/* Read the edge array ${edge} for ${a}->size into ${a}; 0 or -1. */
static int
edge_from_json(struct audit *a, const json_t *edge)
{
	const char *s;
	unsigned int k;
	size_t i = 0;

	if (!json_is_array(edge))
		return (-1);
	for (k = MERKLE_MAX_LEVELS; k-- > 0;) {
		if (((a->size >> k) & 1) == 0)
			continue;
		if ((s = json_string_value(json_array_get(edge, i++))) ==
			NULL ||
		    b64_decode_exact(a->edge[k], MERKLE_HASH_BYTES, s) != 0)
			return (-1);
	}
	return (i == json_array_size(edge) ? 0 : -1);
}

/* Read member ${id} = ${o} into ${a}; 0 or -1. */
static int
member_from_json(struct audit *a, const char *id, const json_t *o)
{
	const char *org, *status;
	struct slot *m;
	json_int_t roles, epoch;
	json_t *elig;
	size_t st;

	org = json_string_value(json_object_get(o, "org"));
	status = json_string_value(json_object_get(o, "status"));
	elig = json_object_get(o, "eligible");
	if (!directory_member_id_valid(id) || org == NULL ||
	    table_find(a, &a->orgs, org) == NULL || status == NULL ||
	    !json_is_boolean(elig) ||
	    !json_is_integer(json_object_get(o, "roles")) ||
	    !json_is_integer(json_object_get(o, "epoch")) ||
	    table_find(a, &a->members, id) != NULL)
		return (-1);
	roles = json_integer_value(json_object_get(o, "roles"));
	epoch = json_integer_value(json_object_get(o, "epoch"));
	if (roles < 0 || roles > (json_int_t)UINT32_MAX ||
	    !directory_roles_valid((unsigned int)roles) || epoch < 0 ||
	    epoch > (json_int_t)UINT32_MAX)
		return (-1);
	for (st = 0; st < NAMES(status_names); st++)
		if (strcmp(status, status_names[st]) == 0)
			break;
	/* Active members have enrolled; pending ones have not. */
	if (st == NAMES(status_names) || (st == AUDIT_ACTIVE && epoch == 0) ||
	    (st == AUDIT_PENDING && epoch != 0))
		return (-1);
	if ((m = table_insert(a, &a->members, id)) == NULL)
		return (-1);
	memcpy(m->org, org, strlen(org) + 1);
	m->roles = (uint32_t)roles;
	m->epoch = (uint32_t)epoch;
	m->eligible = json_is_true(elig) ? 1 : 0;
	m->status = (uint8_t)st;
	return (0);
}

/* Read the integer ${v} (0..${max}) into ${out}; 0 or -1. */
static int
int_from_json(const json_t *v, int64_t max, int64_t *out)
{

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max)
		return (-1);
	*out = (int64_t)json_integer_value(v);
	return (0);
}

/* The index of ${s} among the ${n} ${names}, or -1. */
static int
name_index(const char *s, const char *const *names, size_t n)
{
	size_t i;

	if (s == NULL)
		return (-1);
	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return ((int)i);
	return (-1);
}

/* Read ${o} (logged_json() of a memo of ${a}) into ${l}; 0 or -1. */
static int
logged_from_json(const struct audit *a, const json_t *o, struct logged *l)
{
	int64_t index, pindex, time, due;
	int problem;

	memset(l, 0, sizeof(*l));
	if (json_is_null(o))
		return (0);
	problem = name_index(json_string_value(json_object_get(o, "problem")),
	    finding_names, NAMES(finding_names));
	if (!json_is_object(o) || json_object_size(o) != 5 ||
	    int_from_json(json_object_get(o, "index"), INT64_MAX, &index) !=
		0 ||
	    int_from_json(json_object_get(o, "time"), INT64_MAX, &time) != 0 ||
	    int_from_json(json_object_get(o, "due"), INT64_MAX, &due) != 0 ||
	    int_from_json(
		json_object_get(o, "problem_index"), INT64_MAX, &pindex) != 0 ||
	    problem < 0 || problem == AUDIT_FINDING_ABSENT ||
	    (uint64_t)index >= a->size || (uint64_t)pindex >= a->size ||
	    (problem != AUDIT_FINDING_NONE && pindex < index) ||
	    (problem == AUDIT_FINDING_NONE && pindex != 0))
		return (-1);
	l->seen = 1;
	l->problem = (uint8_t)problem;
	l->index = (uint64_t)index;
	l->time = time;
	l->due = due;
	l->problem_index = (uint64_t)pindex;
	return (0);
}

/* Check that the fields of ${m} agree with each other; 0 or -1. */
static int
memo_coherent(const struct memo *m)
{
	int open = m->state == MEMO_STATE_ACKNOWLEDGED ||
		   m->state == MEMO_STATE_ASSIGNED ||
		   m->state == MEMO_STATE_REPLIED;
	int k;

	if (m->submitted_at == 0) {
		/* A draft withdrawn: nothing else happened to it. */
		if (m->state != MEMO_STATE_WITHDRAWN ||
		    m->acked_by != AUDIT_ACKED_NONE || m->acked_at != 0 ||
		    m->replied_at != 0 || m->replies != 0 || m->meetings != 0 ||
		    m->index != 0 || m->ended_at == 0)
			return (-1);
		for (k = 0; k < AUDIT_KINDS; k++)
			if (m->due[k] != 0 || m->logged[k].seen)
				return (-1);
		return (0);
	}
	if ((m->acked_by == AUDIT_ACKED_NONE) != (m->acked_at == 0) ||
	    (m->replied_at == 0) != (m->replies == 0) ||
	    (m->acked_at != 0 && m->acked_at < m->submitted_at))
		return (-1);
	switch (m->state) {
	case MEMO_STATE_SUBMITTED:
		return (m->acked_by == AUDIT_ACKED_NONE && m->ended_at == 0 &&
				m->replies == 0
			    ? 0
			    : -1);
	case MEMO_STATE_REDIRECTED:
		return (m->acked_by == AUDIT_ACKED_REDIRECT &&
				m->ended_at == 0 && m->replies == 0
			    ? 0
			    : -1);
	case MEMO_STATE_CLOSED:
		return (m->acked_by != AUDIT_ACKED_NONE && m->ended_at != 0
			    ? 0
			    : -1);
	case MEMO_STATE_WITHDRAWN:
		return (m->acked_by == AUDIT_ACKED_NONE && m->ended_at != 0 &&
				m->replies == 0
			    ? 0
			    : -1);
	default:
		if (!open || m->acked_by != AUDIT_ACKED_ACK ||
		    m->ended_at != 0 ||
		    (m->state == MEMO_STATE_REPLIED && m->replies == 0))
			return (-1);
		return (0);
	}
}

/* Read memo ${id} = ${o} into ${a}; 0 or -1. */
static int
memo_from_json(struct audit *a, const char *id, const json_t *o)
{
	struct memo m;
	json_t *due, *logged;
	int64_t v[8];
	static const char *const fields[] = {"index", "submitted_at",
	    "acked_at", "replied_at", "ended_at", "replies", "meetings"};
	struct memo *p;
	int st, by;
	size_t i;

	memset(&m, 0, sizeof(m));
	st = lifecycle_state_parse(
	    json_string_value(json_object_get(o, "state")));
	by = name_index(json_string_value(json_object_get(o, "acked_by")),
	    acked_names, NAMES(acked_names));
	due = json_object_get(o, "due");
	logged = json_object_get(o, "logged");
	if (!json_is_object(o) || json_object_size(o) != 11 ||
	    !memo_id_valid(id) || table_find(a, &a->memos, id) != NULL ||
	    st < MEMO_STATE_SUBMITTED || by < 0 || !json_is_array(due) ||
	    json_array_size(due) != AUDIT_KINDS || !json_is_array(logged) ||
	    json_array_size(logged) != AUDIT_KINDS)
		return (-1);
	for (i = 0; i < NAMES(fields); i++)
		if (int_from_json(json_object_get(o, fields[i]),
			i < 5 ? INT64_MAX : (int64_t)UINT32_MAX, &v[i]) != 0)
			return (-1);
	memcpy(m.key, id, MEMO_ID_LEN + 1);
	m.state = (uint8_t)st;
	m.acked_by = (uint8_t)by;
	m.index = (uint64_t)v[0];
	m.submitted_at = v[1];
	m.acked_at = v[2];
	m.replied_at = v[3];
	m.ended_at = v[4];
	m.replies = (uint32_t)v[5];
	m.meetings = (uint32_t)v[6];
	for (i = 0; i < AUDIT_KINDS; i++) {
		if (int_from_json(json_array_get(due, i), INT64_MAX, &v[7]) !=
			0 ||
		    logged_from_json(
			a, json_array_get(logged, i), &m.logged[i]) != 0)
			return (-1);
		m.due[i] = v[7];
	}
	if ((m.submitted_at != 0 && m.index >= a->size) ||
	    memo_coherent(&m) != 0)
		return (-1);
	if ((p = table_insert(a, &a->memos, id)) == NULL)
		return (-1);
	*p = m;
	return (0);
}

/*
 * Check that the memos of ${a} account for its counts of memo events
 * exactly (submissions, withdrawals, answers, closings, replies and
 * meeting requests; no more missed deadlines than logged); 0 or -1.
 */
static int
memos_add_up(const struct audit *a)
{
	uint64_t sub = 0, wd = 0, ack = 0, redir = 0, closed = 0, rep = 0;
	uint64_t meet = 0, missed = 0;
	const struct memo *m;
	size_t i;
	int k;

	for (i = 0; i < a->memos.cap; i++) {
		m = (const struct memo *)slot_key(&a->memos, i);
		if (m->key[0] == '\0')
			continue;
		sub += m->submitted_at != 0;
		wd += m->state == MEMO_STATE_WITHDRAWN;
		ack += m->acked_by == AUDIT_ACKED_ACK;
		redir += m->acked_by == AUDIT_ACKED_REDIRECT;
		closed += m->state == MEMO_STATE_CLOSED;
		rep += m->replies;
		meet += m->meetings;
		for (k = 0; k < AUDIT_KINDS; k++)
			missed += m->logged[k].seen;
	}
	if (sub != a->counts[EVENT_MEMO_SUBMITTED] ||
	    wd != a->counts[EVENT_MEMO_WITHDRAWN] ||
	    ack != a->counts[EVENT_MEMO_ACKNOWLEDGED] ||
	    redir != a->counts[EVENT_MEMO_REDIRECTED] ||
	    closed != a->counts[EVENT_MEMO_CLOSED] ||
	    rep != a->counts[EVENT_MEMO_REPLIED] ||
	    meet != a->counts[EVENT_MEETING_REQUESTED] ||
	    missed > a->counts[EVENT_DEADLINE_MISSED])
		return (-1);
	return (0);
}

/**
 * audit_from_json(obj, err, errcap):
 * Return the state saved as ${obj} by audit_json(), or NULL with a message
 * in ${err} if it is malformed or breaks the timelines' invariants.  The
 * policy is audit_new()'s until audit_set_policy().  The caller checks
 * audit_root() against the signed head it saved with it.
 */
struct audit *
audit_from_json(const json_t *obj, char *err, size_t errcap)
{
	struct audit *a;
	json_t *counts, *v, *m;
	const char *key, *name;
	uint64_t total = 0;
	json_int_t size;
	size_t i;
	int legacy;

	if ((a = audit_new()) == NULL) {
		(void)snprintf(err, errcap, "out of memory");
		return (NULL);
	}
	v = json_object_get(obj, "size");
	if (!json_is_integer(v) || (size = json_integer_value(v)) < 0 ||
	    (uint64_t)size > MERKLE_MAX_SIZE)
		goto bad;
	a->size = (uint64_t)size;
	if (edge_from_json(a, json_object_get(obj, "edge")) != 0)
		goto bad;
	/*
	 * A state saved before memo timelines were kept has neither
	 * "latest_time" nor "memos"; it is read as having no memos, which
	 * memos_add_up() accepts only if it counted no memo events.
	 */
	legacy = json_object_get(obj, "latest_time") == NULL &&
		 json_object_get(obj, "memos") == NULL;
	if (!legacy && int_from_json(json_object_get(obj, "latest_time"),
			   INT64_MAX, &a->latest) != 0)
		goto bad;

	/* Counts of every type, and nothing else, adding up to the size. */
	counts = json_object_get(obj, "counts");
	if (!json_is_object(counts))
		goto bad;
	json_object_foreach(counts, key, v)
	{
		for (i = 0; i < TYPES_MAX; i++)
			if ((name = event_type_name((uint16_t)i)) != NULL &&
			    strcmp(name, key) == 0)
				break;
		if (i == TYPES_MAX || !json_is_integer(v) ||
		    json_integer_value(v) < 0)
			goto bad;
		a->counts[i] = (uint64_t)json_integer_value(v);
		if (a->counts[i] > a->size - total)
			goto bad;
		total += a->counts[i];
	}
	if (total != a->size)
		goto bad;

	v = json_object_get(obj, "orgs");
	if (!json_is_array(v))
		goto bad;
	for (i = 0; i < json_array_size(v); i++) {
		key = json_string_value(json_array_get(v, i));
		if (key == NULL || !directory_org_id_valid(key) ||
		    table_find(a, &a->orgs, key) != NULL ||
		    table_insert(a, &a->orgs, key) == NULL)
			goto bad;
	}
	v = json_object_get(obj, "members");
	if (!json_is_object(v))
		goto bad;
	json_object_foreach(v, key, m)
	{
		if (member_from_json(a, key, m) != 0)
			goto bad;
	}
	/* One creation event per organisation and per member. */
	if (a->orgs.n != a->counts[EVENT_ORG_CREATED] ||
	    a->members.n != a->counts[EVENT_MEMBER_CREATED])
		goto bad;
	v = json_object_get(obj, "memos");
	if (!legacy && !json_is_object(v))
		goto bad;
	json_object_foreach(v, key, m)
	{
		if (memo_from_json(a, key, m) != 0)
			goto bad;
	}
	if (memos_add_up(a) != 0)
		goto bad;
	return (a);

bad:
	(void)snprintf(err, errcap, "the saved audit state is malformed");
	audit_free(a);
	return (NULL);
}
