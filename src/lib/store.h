#ifndef STORE_H_
#define STORE_H_

#include <stddef.h>
#include <stdint.h>

#include "custody.h"
#include "directory.h"
#include "keys.h"
#include "memo.h"
#include "merkle.h"
#include "ring.h"

/*
 * The storage interface.  Callers never see SQL: every query lives in a
 * backend file (store_sqlite.c; a PostgreSQL backend follows the same
 * interface).  A handle may be used from several threads; calls are
 * serialised inside the handle.  A transaction begun by store_begin() belongs
 * to the calling thread until store_commit() or store_rollback(); other
 * threads' calls wait for it.
 *
 * Durability: store_commit() (and any call made outside an explicit
 * transaction, which commits by itself) returns 0 only once the write is on
 * stable storage.
 *
 * Return values: STORE_OK (0) on success, STORE_NOTFOUND or STORE_CONFLICT
 * where documented, STORE_ERR (-1) on any other failure (already reported
 * once through the log hook).  On failure nothing was changed.
 */
#define STORE_OK 0
#define STORE_ERR (-1)
#define STORE_NOTFOUND 1
#define STORE_CONFLICT 2

/* Member status. */
#define STORE_MEMBER_PENDING 0 /* created, enrollment code not yet used */
#define STORE_MEMBER_ACTIVE 1
#define STORE_MEMBER_SUSPENDED 2

/* Size of an encrypted TOTP secret: nonce || secret(20) || tag. */
#define STORE_TOTP_BOX_BYTES 60
#define STORE_HASH_BYTES 32
#define STORE_META_KEY_MAX 64
#define STORE_META_VALUE_MAX 1024

/* The channel log (store_log_*). */
#define STORE_LOG_EVENT_MAX 4096 /* longest leaf input (EVENT_MAX_BYTES) */
#define STORE_LOG_SIG_BYTES 64   /* Ed25519 signature of a tree head */
#define STORE_LOG_RANGE_MAX 1000 /* most entries one store_log_entries() */
/* Largest log index + 1 (MERKLE_MAX_SIZE fits the stored int64 minus 1). */
#define STORE_LOG_SIZE_MAX ((uint64_t)INT64_MAX)

struct store;

struct store_org {
	char id[DIRECTORY_ORG_ID_MAX + 1];
	char name[DIRECTORY_ORG_NAME_MAX + 1];
	int64_t created_at;
};

struct store_member {
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	char handle[DIRECTORY_HANDLE_MAX + 1];
	char display_name[DIRECTORY_DISPLAY_NAME_MAX + 1];
	char org_id[DIRECTORY_ORG_ID_MAX + 1];
	unsigned int roles; /* ROLE_* mask */
	int eligible;       /* 1 if may co-sign */
	int status;         /* STORE_MEMBER_* */
	int64_t created_at;
	uint32_t key_epoch;      /* 0 while pending */
	struct keys_public keys; /* zero while pending */
};

/* What the server keeps for a member's account custody. */
struct store_custody {
	struct custody_kdf kdf;
	uint8_t verifier[CUSTODY_VERIFIER_BYTES];
	uint8_t wrapped_seed[CUSTODY_WRAPPED_BYTES];
	uint8_t recovery_verifier[CUSTODY_VERIFIER_BYTES];
	uint8_t recovery_wrapped_seed[CUSTODY_WRAPPED_BYTES];
};

/* Login throttling and second factor state of a member. */
struct store_login {
	uint32_t failures;    /* consecutive failed logins */
	int64_t locked_until; /* Unix time; 0 if not locked */
	int totp_enabled;
	int totp_has_secret; /* a secret is set (maybe not yet enabled) */
	uint8_t totp_box[STORE_TOTP_BOX_BYTES];
	int64_t totp_last_step; /* last accepted TOTP step (replay guard) */
};

struct store_session {
	uint8_t token_hash[STORE_HASH_BYTES];
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t created_at;
	int64_t last_seen;
	int64_t expires_at; /* absolute expiry */
};

/* One entry of a member's key history (every epoch ever registered). */
struct store_key_record {
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1];
	uint32_t epoch;
	struct keys_public keys;
	int64_t created_at;
};

/*
 * One entry of the channel log: its index, the RFC 9162 leaf hash of its
 * leaf input and the leaf input itself (an encoded event, 1 to
 * STORE_LOG_EVENT_MAX bytes).  An entry that publishes a member's keys
 * (member_enrolled, keys_rotated) also names the member and key epoch, so
 * that the key history can point at it; key_member is NULL otherwise.
 * The pointers are borrowed, never owned by the struct.
 */
struct store_log_entry {
	uint64_t index;
	uint8_t leaf_hash[MERKLE_HASH_BYTES];
	const uint8_t *event;
	size_t len;
	const char *key_member; /* NULL: not a key event */
	uint32_t key_epoch;
};

/* A signed tree head of the channel log (treehead.h), as stored. */
struct store_log_head {
	uint64_t size;
	uint64_t timestamp;
	uint8_t root[MERKLE_HASH_BYTES];
	uint8_t sig[STORE_LOG_SIG_BYTES];
};

/**
 * store_set_log(fn, ctx):
 * Send every store error message to ${fn}(${ctx}, message) from now on, for
 * all handles of the process; NULL restores the default, which writes
 * "store: message" to standard error.  Messages say what failed, never the
 * values involved.
 */
void store_set_log(void (*fn)(void *ctx, const char *msg), void *ctx);

/**
 * store_open(s, url, now):
 * Open the store named by ${url} ("sqlite:PATH" or a plain PATH to a SQLite
 * file, created if missing) and apply any pending migrations, taking ${now}
 * as the current Unix time for the migration records.  Refuse a database
 * whose schema is newer than this binary knows.  Return 0 and the handle in
 * ${s}, or -1.
 */
int store_open(struct store **s, const char *url, int64_t now)
    __attribute__((warn_unused_result));

/**
 * store_free(s):
 * Close ${s}.  NULL is a no-op.
 */
void store_free(struct store *s);

/**
 * store_schema_version(s, version):
 * Store the schema version of the open database in ${version}.
 */
int store_schema_version(struct store *s, int *version);

/**
 * store_schema_latest():
 * Return the newest schema version this binary knows.
 */
int store_schema_latest(void);

/**
 * store_begin(s), store_commit(s), store_rollback(s):
 * Begin a write transaction owned by the calling thread; make it durable; or
 * abandon it.  store_rollback() after a failed store_commit() is allowed and
 * required.
 */
int store_begin(struct store *s) __attribute__((warn_unused_result));
int store_commit(struct store *s) __attribute__((warn_unused_result));
void store_rollback(struct store *s);

/* Group commit: see store_group_run(). */
#define STORE_GROUP_QUIET_US 200
#define STORE_GROUP_WAIT_US 2000
#define STORE_GROUP_MAX 64

/**
 * store_group_run(s, fn, arg):
 * Run ${fn}(${s}, ${arg}) in a write transaction shared with the calls of
 * other threads made at about the same time (group commit: one commit, one
 * sync to disk, for the whole group).  ${fn} runs in a savepoint of its own,
 * possibly on another thread (the group's first caller), while the calling
 * thread waits: it may call store functions on ${s} (not store_begin() or
 * store_group_run()) and must neither reply to clients nor depend on the
 * calling thread.  It returns 0 to keep its writes, or nonzero to undo
 * them (only its own).  Return 0 once ${fn} returned 0 and the group's
 * commit is on stable storage; 1 if ${fn} returned nonzero; -1 (reported)
 * if the group could not begin or commit: nothing of ${fn}'s was kept.  The
 * first caller of a group waits for others until none joined for
 * STORE_GROUP_QUIET_US, STORE_GROUP_MAX joined, or STORE_GROUP_WAIT_US
 * passed.  Other calls on ${s} wait while a group runs, as for any
 * transaction.
 */
int store_group_run(struct store *s, int (*fn)(struct store *, void *),
    void *arg) __attribute__((warn_unused_result));

/**
 * store_group_tune(s, quiet_us, wait_us, max_members, commit_hook, ctx):
 * Set ${s}'s group commit parameters (see store_group_run(); 0 keeps the
 * current value), and a function called before each group commit that
 * fails the commit, as a refusing disk would, if it returns nonzero (NULL:
 * none).  For tests and measurements; call it before the handle is shared.
 */
void store_group_tune(struct store *s, unsigned int quiet_us,
    unsigned int wait_us, size_t max_members, int (*commit_hook)(void *),
    void *ctx);

/**
 * store_meta_get(s, key, value, cap), store_meta_set(s, key, value):
 * Read or write an instance setting (e.g. "instance_id", "channel_org").
 * Get returns STORE_NOTFOUND when unset.
 */
int store_meta_get(struct store *s, const char *key, char *value, size_t cap);
int store_meta_set(struct store *s, const char *key, const char *value);

/* Organisations. */
/** Insert; STORE_CONFLICT if the id exists. */
int store_org_insert(struct store *s, const struct store_org *org);
/** Fetch by id; STORE_NOTFOUND. */
int store_org_get(struct store *s, const char *id, struct store_org *org);
/** All organisations ordered by id, in a malloc'd array (free()). */
int store_org_list(struct store *s, struct store_org **orgs, size_t *n);

/* Members. */
/**
 * Insert a pending member; STORE_CONFLICT if the id or handle exists,
 * STORE_NOTFOUND if its organisation does not.
 */
int store_member_insert(struct store *s, const struct store_member *m);
/** Fetch by id or handle; STORE_NOTFOUND. */
int store_member_get(struct store *s, const char *id, struct store_member *m);
int store_member_get_by_handle(
    struct store *s, const char *handle, struct store_member *m);
/**
 * List members ordered by handle, optionally only those of ${org_id} (NULL
 * for all), skipping ${offset} and returning at most ${limit} in a malloc'd
 * array (free()); ${total} receives the count before paging.
 */
int store_member_list(struct store *s, const char *org_id, size_t offset,
    size_t limit, struct store_member **ms, size_t *n, size_t *total);
/* Most members store_member_list_role() returns. */
#define STORE_ROLE_MEMBERS_MAX 1000
/**
 * store_member_list_role(s, roles, ms, n):
 * The active members holding at least one of the ROLE_* bits of ${roles}
 * (not 0, within ROLE_ALL), ordered by id, in a malloc'd array (free()).
 * STORE_CONFLICT, with nothing returned, if more than
 * STORE_ROLE_MEMBERS_MAX members qualify: no caller acts on a list cut
 * short.
 */
int store_member_list_role(struct store *s, unsigned int roles,
    struct store_member **ms, size_t *n) __attribute__((warn_unused_result));
/**
 * Change roles, eligibility, display name or status; STORE_NOTFOUND.  Only
 * activation makes a member active the first time: a status of ACTIVE for a
 * member that never enrolled, or PENDING for one that did, is
 * STORE_CONFLICT.
 */
int store_member_set_roles(struct store *s, const char *id, unsigned int roles);
int store_member_set_eligible(struct store *s, const char *id, int eligible);
int store_member_set_display_name(
    struct store *s, const char *id, const char *name);
int store_member_set_status(struct store *s, const char *id, int status);
/**
 * Complete enrollment of a pending member: set its first keys (epoch 1) and
 * custody, make it active and add the keys to the key history.
 * STORE_NOTFOUND if no such member, STORE_CONFLICT if it is not pending.
 */
int store_member_activate(struct store *s, const char *id,
    const struct keys_public *keys, const struct store_custody *c, int64_t now);
/**
 * Replace a member's keys with ${keys} at ${epoch} (must be the current
 * epoch + 1, else STORE_CONFLICT) together with the custody that wraps the
 * new seed, and add them to the key history.  STORE_NOTFOUND if no such
 * member, STORE_CONFLICT if it is not active.
 */
int store_member_rotate_keys(struct store *s, const char *id, uint32_t epoch,
    const struct keys_public *keys, const struct store_custody *c, int64_t now);
/**
 * A member's key history, oldest first, in a malloc'd array (free());
 * STORE_NOTFOUND if no such member (a pending one has an empty history).
 */
int store_key_history(
    struct store *s, const char *id, struct store_key_record **recs, size_t *n);

/* Account custody. */
/** Fetch; STORE_NOTFOUND if the member is unknown or still pending. */
int store_custody_get(struct store *s, const char *id, struct store_custody *c);
/**
 * Replace the whole custody record (password change, recovery);
 * STORE_NOTFOUND if the member is unknown or still pending.
 */
int store_custody_set(
    struct store *s, const char *id, const struct store_custody *c);

/*
 * Login state; activation creates the zero state, so both calls return
 * STORE_NOTFOUND for a member that is unknown or still pending.
 */
int store_login_get(struct store *s, const char *id, struct store_login *l);
int store_login_set(
    struct store *s, const char *id, const struct store_login *l);

/* Enrollment codes (only their hash is stored). */
/**
 * Record a code for a pending member, replacing any earlier code.
 * STORE_NOTFOUND if no such member; STORE_CONFLICT if it is not pending or
 * the hash is already taken.
 */
int store_enrollment_put(struct store *s,
    const uint8_t code_hash[STORE_HASH_BYTES], const char *member_id,
    int64_t expires_at);
/** Look a code up; STORE_NOTFOUND if unknown (expiry is the caller's). */
int store_enrollment_get(struct store *s,
    const uint8_t code_hash[STORE_HASH_BYTES],
    char member_id[DIRECTORY_MEMBER_ID_LEN + 1], int64_t *expires_at);
/** Delete every code of a member. */
int store_enrollment_delete_member(struct store *s, const char *member_id);

/* Sessions (only the token's hash is stored). */
/** STORE_CONFLICT if the hash exists, STORE_NOTFOUND if the member does not. */
int store_session_put(struct store *s, const struct store_session *sess);
/** STORE_NOTFOUND if unknown. */
int store_session_get(struct store *s,
    const uint8_t token_hash[STORE_HASH_BYTES], struct store_session *sess);
/** Record activity; STORE_NOTFOUND if unknown. */
int store_session_touch(struct store *s,
    const uint8_t token_hash[STORE_HASH_BYTES], int64_t last_seen);
/** End a session; an unknown one is already ended (STORE_OK). */
int store_session_delete(
    struct store *s, const uint8_t token_hash[STORE_HASH_BYTES]);
/** End every session of a member (suspension, password change). */
int store_session_delete_member(struct store *s, const char *member_id);
/** Remove sessions whose absolute expiry is before ${now}. */
int store_session_purge(struct store *s, int64_t now);

/*
 * The channel log: entries (leaf inputs with their leaf hashes), the
 * perfect-subtree nodes of merkle.h above level 0 (level 0 is the entries'
 * leaf hashes), every signed tree head, and the index of the entry that
 * published each member key epoch.  Nothing is ever changed or deleted: the
 * log only grows.  Integrity is not the store's business (the Merkle tree
 * and the signed heads are); the store keeps the rows it is given.
 */
/**
 * store_log_size(s, size):
 * Store the number of entries of the log (the index of the next one) in
 * ${size}.
 */
int store_log_size(struct store *s, uint64_t *size)
    __attribute__((warn_unused_result));

/**
 * store_log_append(s, entries, n, nodes, nnodes):
 * Append the ${n} (>= 1) ${entries}, whose indexes must run on from the
 * current size, together with the ${nnodes} nodes of level >= 1 that they
 * complete (each must be complete once they are added, and not before), and
 * record the key epoch of every key event.  All or nothing.
 * STORE_CONFLICT if the first index is not the current size, a node exists
 * already or a key epoch already has an entry; STORE_NOTFOUND if a key
 * event names a key epoch that is not in the member's key history.
 */
int store_log_append(struct store *s, const struct store_log_entry *entries,
    size_t n, const struct merkle_node *nodes, size_t nnodes)
    __attribute__((warn_unused_result));

/**
 * store_log_node(s, level, index, hash):
 * Read the node (${level}, ${index}) of the log's tree into ${hash} (level 0
 * is the leaf hash of entry ${index}).  STORE_NOTFOUND if not stored.
 */
int store_log_node(struct store *s, unsigned int level, uint64_t index,
    uint8_t hash[MERKLE_HASH_BYTES]) __attribute__((warn_unused_result));

/**
 * store_log_entries(s, start, count, entries, n):
 * Read the entries ${start} .. ${start} + ${count} - 1 that exist (at most
 * STORE_LOG_RANGE_MAX, else an error), in order, into one malloc'd block
 * ${entries} (free() it; the event pointers point inside it) and their
 * number into ${n} (0 and NULL if none exists).  key_member is NULL in
 * what is read.
 */
int store_log_entries(struct store *s, uint64_t start, size_t count,
    struct store_log_entry **entries, size_t *n)
    __attribute__((warn_unused_result));

/**
 * store_log_find(s, leaf_hash, below, index):
 * Store in ${index} the smallest index below ${below} whose entry has the
 * leaf hash ${leaf_hash}; STORE_NOTFOUND if none.  (Two events can be equal
 * byte for byte, so a leaf hash may occur more than once.)
 */
int store_log_find(struct store *s, const uint8_t leaf_hash[MERKLE_HASH_BYTES],
    uint64_t below, uint64_t *index) __attribute__((warn_unused_result));

/**
 * store_log_head_put(s, head):
 * Record the signed tree head ${head}; STORE_CONFLICT if a head of that
 * size is already recorded.
 */
int store_log_head_put(struct store *s, const struct store_log_head *head)
    __attribute__((warn_unused_result));

/**
 * store_log_head_get(s, size, head):
 * Read the recorded head of size ${size}; STORE_NOTFOUND if none.
 */
int store_log_head_get(struct store *s, uint64_t size,
    struct store_log_head *head) __attribute__((warn_unused_result));

/**
 * store_log_head_latest(s, head):
 * Read the recorded head of the largest size; STORE_NOTFOUND if none.
 */
int store_log_head_latest(struct store *s, struct store_log_head *head)
    __attribute__((warn_unused_result));

/**
 * store_log_key_index(s, member_id, epoch, index):
 * Store in ${index} the index of the entry that published the keys of
 * member ${member_id} at ${epoch}; STORE_NOTFOUND if none.
 */
int store_log_key_index(struct store *s, const char *member_id, uint32_t epoch,
    uint64_t *index) __attribute__((warn_unused_result));

/*
 * Memos (migration 3).  What the store keeps of a memo is what the server
 * may know: ids, states, times, clear metadata (topic, marking, eligible
 * organisations), ciphertext boxes, sealed grants, sealed signer records
 * with the server's keyed duplicate tags, and relations of members that
 * the workflow needs (drafters, invitees, assignees, principals).  Never a
 * plaintext, a memo key or a signer's identity.
 */
#define STORE_RECIPIENT_CHANNEL "channel" /* grants sealed to the channel key  \
					   */
#define STORE_RECIPIENT_WEBHOOK "webhook" /* the instance's webhook */
#define STORE_GRANT_MAX 512               /* GRANT_SEALED_MAX */
#define STORE_MEMO_LIST_MAX 1000
/*
 * What one memo may hold: writes beyond these are refused (STORE_CONFLICT),
 * so that every list of a memo's rows fits one allocation.
 */
#define STORE_VERSIONS_MAX 1000      /* versions of a memo */
#define STORE_SIGNATURES_MAX 20000   /* named signatures (all versions) */
#define STORE_RELATED_MAX 20000      /* members of one relation */
#define STORE_REPLIES_MAX 100        /* replies and notes */
#define STORE_DISTRIBUTIONS_MAX 1000 /* principals */
/* Most accesses one store_access_list() returns (the newest). */
#define STORE_ACCESS_LIST_MAX 10000
/* Longest complaint box, and most auditors one complaint is sealed to. */
#define STORE_COMPLAINT_BOX_MAX MEMO_REPLY_BOX_MAX
#define STORE_COMPLAINT_READERS_MAX 1000

/* Missed-deadline marks (store_memo.missed bits). */
#define STORE_MISSED_ACK 0x1u
#define STORE_MISSED_REPLY 0x2u
#define STORE_MISSED_ESCALATION 0x4u

struct store_memo {
	char id[MEMO_ID_LEN + 1];
	int state; /* enum memo_state */
	char topic[MEMO_TOPIC_MAX + 1];
	char marking[MEMO_MARKING_MAX + 1];
	char org_id[DIRECTORY_ORG_ID_MAX + 1]; /* the creator's organisation */
	char eligible_orgs[MEMO_ORGS_MAX][DIRECTORY_ORG_ID_MAX + 1];
	size_t neligible_orgs;
	uint8_t roster_pk[MEMO_ROSTER_PK_BYTES];
	unsigned int flags; /* ACCESS_MEMO_SHOW_SIGNERS | _SIGNERS_INVITE */
	uint32_t version;   /* current version (>= 1) */
	uint8_t version_hash[MEMO_HASH_BYTES];
	int64_t created_at;
	int64_t submitted_at; /* 0 until submitted; likewise below */
	int64_t acked_at;     /* acknowledged or redirected */
	int64_t replied_at;   /* first reply */
	int64_t closed_at;
	int64_t withdrawn_at;
	int64_t ack_due; /* deadlines, set at submission and ack */
	int64_t reply_due;
	int64_t escalate_at;
	unsigned int missed;  /* STORE_MISSED_* already marked */
	uint32_t named_count; /* frozen at submission */
	uint32_t anon_count;
	uint8_t package_hash[MEMO_HASH_BYTES]; /* zero until submitted */
	uint64_t submit_log_index;             /* the memo_submitted event */
	char assignee[DIRECTORY_MEMBER_ID_LEN + 1]; /* "" if none */
	uint32_t authors; /* drafters and co-drafters */
	uint32_t replies; /* replies and notes so far */
};

struct store_memo_version {
	uint32_t version;
	uint8_t hash[MEMO_HASH_BYTES];
	char author[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t created_at;
	uint8_t *box; /* malloc'd by reads (free()); borrowed by writes */
	size_t boxlen;
};

/* A sealed grant of a memo's key or roster key to one recipient. */
struct store_grant {
	char memo_id[MEMO_ID_LEN + 1];
	char recipient[DIRECTORY_MEMBER_ID_LEN + 1]; /* or "channel" */
	char purpose[16]; /* MEMO_GRANT_KEY or MEMO_GRANT_ROSTER */
	uint8_t sealed[STORE_GRANT_MAX];
	size_t sealedlen;
	int held; /* 1: awaits the director's approval */
	int64_t created_at;
};

/* A named signature as stored: the duplicate tag and the sealed record. */
struct store_signature {
	uint8_t tag[MEMO_HASH_BYTES];
	uint32_t version;
	uint8_t record[MEMO_RECORD_SEALED_BYTES];
};

/* One recorded access (or grant) to a memo. */
struct store_access {
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1];
	int kind; /* EVENT_ACCESS_* */
	int64_t at;
	uint8_t nonce[32]; /* EVENT_NONCE_BYTES */
	uint64_t log_index;
};

struct store_reply {
	uint32_t n; /* 1, 2, ... per memo */
	int kind;   /* MEMO_REPLY_KIND_* */
	char author[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t created_at;
	uint8_t *box; /* malloc'd by reads; borrowed by writes */
	size_t boxlen;
};

/* Distribution to a principal. */
#define STORE_DIST_PENDING 0 /* awaits the director's approval */
#define STORE_DIST_DONE 1
struct store_distribution {
	char principal[DIRECTORY_MEMBER_ID_LEN + 1];
	int status; /* STORE_DIST_* */
	char requested_by[DIRECTORY_MEMBER_ID_LEN + 1];
	char approved_by[DIRECTORY_MEMBER_ID_LEN + 1]; /* "" if standard */
	int64_t at;
};

#define STORE_MEETING_REQUESTED 1
#define STORE_MEETING_SCHEDULED 2
#define STORE_MEETING_HELD 3
#define STORE_MEETING_DECLINED 4
struct store_meeting {
	int64_t id;
	char memo_id[MEMO_ID_LEN + 1];
	char principal[DIRECTORY_MEMBER_ID_LEN + 1];
	char requested_by[DIRECTORY_MEMBER_ID_LEN + 1];
	int state; /* STORE_MEETING_* */
	int64_t created_at;
	int64_t scheduled_at; /* 0 until scheduled */
	uint32_t outcome_n;   /* reply number of the outcome note, 0 */
};

struct store_complaint {
	int64_t id;
	int64_t created_at;
	uint8_t *box; /* malloc'd by reads; borrowed by writes */
	size_t boxlen;
	uint8_t sealed[STORE_GRANT_MAX]; /* the key, sealed to the reader */
	size_t sealedlen;
};

/* Queued notifications (content-free). */
struct store_notification {
	int64_t id;
	char recipient[DIRECTORY_MEMBER_ID_LEN + 1]; /* or "webhook" */
	int kind; /* NOTIFY_* of the server (1..255) */
	int64_t created_at;
	int64_t next_at; /* next attempt */
	uint32_t attempts;
};

/**
 * store_memo_insert(s, m, v, drafter):
 * Create memo ${m} with its first version ${v} (version 1, hash
 * ${m}->version_hash, written by ${drafter}) and member ${drafter} as its
 * drafter.  STORE_CONFLICT if the id exists; STORE_NOTFOUND if the
 * organisation, the drafter or the assignee does not exist.
 */
int store_memo_insert(struct store *s, const struct store_memo *m,
    const struct store_memo_version *v, const char *drafter)
    __attribute__((warn_unused_result));

/** Fetch by id; STORE_NOTFOUND. */
int store_memo_get(struct store *s, const char *id, struct store_memo *m)
    __attribute__((warn_unused_result));

/**
 * store_memo_update(s, m):
 * Write back every mutable field of ${m} (state, topic, marking, flags,
 * current version and hash, times, deadlines, missed marks, counts, package
 * hash, submit log index, assignee, authors, replies).  STORE_NOTFOUND if
 * the memo or the assignee does not exist; STORE_CONFLICT if the version
 * and hash are not those of a stored version of the memo.
 */
int store_memo_update(struct store *s, const struct store_memo *m)
    __attribute__((warn_unused_result));

/**
 * store_memo_list_member(s, member_id, ms, n):
 * Every memo to which ${member_id} has a stored relation, newest first, at
 * most STORE_MEMO_LIST_MAX, in a malloc'd array (free()).
 */
int store_memo_list_member(struct store *s, const char *member_id,
    struct store_memo **ms, size_t *n) __attribute__((warn_unused_result));

/**
 * store_memo_list_states(s, states, nstates, ms, n):
 * Every memo whose state is one of the ${nstates} ${states}, ordered by
 * ack_due then id, at most (the first) STORE_MEMO_LIST_MAX, in a malloc'd
 * array (free()).  Whoever must see every such memo pages through them
 * with store_memo_page_states() or store_memo_each_state() instead.
 */
int store_memo_list_states(struct store *s, const int *states, size_t nstates,
    struct store_memo **ms, size_t *n) __attribute__((warn_unused_result));

/**
 * store_memo_page_states(s, states, nstates, after, max, ms, n):
 * At most ${max} (1 to STORE_MEMO_LIST_MAX) memos whose state is one of the
 * ${nstates} ${states} and whose id sorts after ${after} (NULL or "": from
 * the first; else a memo id), ordered by id, in a malloc'd array (free()).
 * The id of the last memo of one page is ${after} of the next; a page of
 * fewer than ${max} memos is the last.
 */
int store_memo_page_states(struct store *s, const int *states, size_t nstates,
    const char *after, size_t max, struct store_memo **ms, size_t *n)
    __attribute__((warn_unused_result));

/**
 * store_memo_each_state(s, states, nstates, fn, ctx):
 * Call ${fn}(${ctx}, m) for every memo whose state is one of the ${nstates}
 * ${states}, in id order, reading them a page of STORE_MEMO_LIST_MAX at a
 * time (store_memo_page_states()), so that memory stays bounded however
 * many there are.  The handle is not held while ${fn} runs: it may use the
 * store, transactions included.  A memo is seen as it was when its page
 * was read.  Return STORE_OK once every memo was visited, or STORE_ERR if
 * a page cannot be read (reported) or as soon as ${fn} returns non-zero
 * (${fn} reports its own failures).
 */
int store_memo_each_state(struct store *s, const int *states, size_t nstates,
    int (*fn)(void *ctx, const struct store_memo *m), void *ctx)
    __attribute__((warn_unused_result));

/**
 * store_memo_relations(s, memo_id, member_id, rel):
 * Store the ACCESS_REL_* bits of the relations stored for ${member_id} on
 * ${memo_id} (0 if none) in ${rel}.
 */
int store_memo_relations(struct store *s, const char *memo_id,
    const char *member_id, unsigned int *rel)
    __attribute__((warn_unused_result));

/**
 * store_memo_relate(s, memo_id, member_id, rel, by, now):
 * Add the relation ${rel} (one ACCESS_REL_* bit: drafter, co-drafter,
 * invitee, assignee or principal; a signer is never stored) of
 * ${member_id} to ${memo_id}, made by ${by}; adding one that exists is
 * STORE_OK.  STORE_NOTFOUND if the memo or a member does not exist;
 * STORE_CONFLICT if the memo has STORE_RELATED_MAX members of ${rel}.
 */
int store_memo_relate(struct store *s, const char *memo_id,
    const char *member_id, unsigned int rel, const char *by, int64_t now)
    __attribute__((warn_unused_result));

/**
 * store_memo_related(s, memo_id, rel, ids, n):
 * The member ids holding relation ${rel} on ${memo_id}, in the order they
 * were related, in a malloc'd array (free()).
 */
int store_memo_related(struct store *s, const char *memo_id, unsigned int rel,
    char (**ids)[DIRECTORY_MEMBER_ID_LEN + 1], size_t *n)
    __attribute__((warn_unused_result));

/**
 * store_memo_unrelate(s, memo_id, member_id, rel):
 * Remove the relation ${rel} (one storable ACCESS_REL_* bit, as for
 * store_memo_relate()) of ${member_id} to ${memo_id}.  STORE_NOTFOUND if
 * it is not stored.
 */
int store_memo_unrelate(struct store *s, const char *memo_id,
    const char *member_id, unsigned int rel)
    __attribute__((warn_unused_result));

/**
 * store_memo_version_put(s, memo_id, v):
 * Add version ${v} (its number must be the current version + 1, i.e. follow
 * the newest stored version, and at most STORE_VERSIONS_MAX, else
 * STORE_CONFLICT).  The caller updates the memo's current version.
 * STORE_NOTFOUND if the memo or the author does not exist.
 */
int store_memo_version_put(struct store *s, const char *memo_id,
    const struct store_memo_version *v) __attribute__((warn_unused_result));

/**
 * store_memo_version_get(s, memo_id, version, v):
 * Read version ${version} with its box (free(v->box)); STORE_NOTFOUND.
 */
int store_memo_version_get(struct store *s, const char *memo_id,
    uint32_t version, struct store_memo_version *v)
    __attribute__((warn_unused_result));

/**
 * store_memo_versions(s, memo_id, vs, n):
 * Every version of ${memo_id} without boxes (box NULL), oldest first, in a
 * malloc'd array (free()).
 */
int store_memo_versions(struct store *s, const char *memo_id,
    struct store_memo_version **vs, size_t *n)
    __attribute__((warn_unused_result));

/**
 * store_grant_put(s, g):
 * Record grant ${g}, replacing one of the same memo, recipient and purpose.
 * STORE_NOTFOUND if the memo or the recipient member does not exist.
 */
int store_grant_put(struct store *s, const struct store_grant *g)
    __attribute__((warn_unused_result));

/**
 * store_grant_get(s, memo_id, recipient, purpose, g):
 * Read one grant; STORE_NOTFOUND.
 */
int store_grant_get(struct store *s, const char *memo_id, const char *recipient,
    const char *purpose, struct store_grant *g)
    __attribute__((warn_unused_result));

/**
 * store_grant_release(s, memo_id, recipient):
 * Clear the held flag of ${recipient}'s grants on ${memo_id};
 * STORE_NOTFOUND if there are none.
 */
int store_grant_release(struct store *s, const char *memo_id,
    const char *recipient) __attribute__((warn_unused_result));

/**
 * store_grant_delete(s, memo_id, recipient, purpose):
 * Delete ${recipient}'s grant of ${purpose} on ${memo_id}; STORE_NOTFOUND
 * if there is none.
 */
int store_grant_delete(struct store *s, const char *memo_id,
    const char *recipient, const char *purpose)
    __attribute__((warn_unused_result));

/**
 * store_signature_put(s, memo_id, sig):
 * Record or replace (same tag) a signature.  STORE_NOTFOUND if the memo has
 * no such version; STORE_CONFLICT if the tag is new and the memo already
 * holds STORE_SIGNATURES_MAX signatures.
 */
int store_signature_put(struct store *s, const char *memo_id,
    const struct store_signature *sig) __attribute__((warn_unused_result));

/**
 * store_signature_get(s, memo_id, tag, sig):
 * Read the signature with ${tag}; STORE_NOTFOUND.
 */
int store_signature_get(struct store *s, const char *memo_id,
    const uint8_t tag[MEMO_HASH_BYTES], struct store_signature *sig)
    __attribute__((warn_unused_result));

/**
 * store_signature_delete(s, memo_id, tag):
 * Remove the signature with ${tag}; STORE_NOTFOUND if none.
 */
int store_signature_delete(struct store *s, const char *memo_id,
    const uint8_t tag[MEMO_HASH_BYTES]) __attribute__((warn_unused_result));

/**
 * store_signature_list(s, memo_id, version, sigs, n):
 * The signatures of ${memo_id} (only those over ${version} if it is not 0),
 * ordered by tag, in a malloc'd array (free()).
 */
int store_signature_list(struct store *s, const char *memo_id, uint32_t version,
    struct store_signature **sigs, size_t *n)
    __attribute__((warn_unused_result));

/**
 * store_signature_count(s, memo_id, version, n):
 * Count the signatures over ${version} (0: all).
 */
int store_signature_count(struct store *s, const char *memo_id,
    uint32_t version, uint32_t *n) __attribute__((warn_unused_result));

/**
 * store_access_put(s, memo_id, a), store_access_list(s, memo_id, as, n):
 * Record an access (kind 0 for a grant; member id or "channel");
 * STORE_NOTFOUND if the memo does not exist.  List a memo's accesses, the
 * newest STORE_ACCESS_LIST_MAX of them, oldest first (malloc'd).
 */
int store_access_put(struct store *s, const char *memo_id,
    const struct store_access *a) __attribute__((warn_unused_result));
int store_access_list(struct store *s, const char *memo_id,
    struct store_access **as, size_t *n) __attribute__((warn_unused_result));

/**
 * store_reply_put(s, memo_id, r), store_reply_list(s, memo_id, rs, n):
 * Record reply ${r} (its number must be the number of replies stored for
 * the memo + 1, and at most STORE_REPLIES_MAX, else STORE_CONFLICT;
 * STORE_NOTFOUND if the memo or the author does not exist); list a memo's
 * replies with their boxes, oldest first (free each box, then the array).
 */
int store_reply_put(struct store *s, const char *memo_id,
    const struct store_reply *r) __attribute__((warn_unused_result));
int store_reply_list(struct store *s, const char *memo_id,
    struct store_reply **rs, size_t *n) __attribute__((warn_unused_result));

/**
 * store_distribution_put(s, memo_id, d), store_distribution_list(...):
 * Record or update (same principal) a distribution (STORE_NOTFOUND if the
 * memo or a member does not exist; STORE_CONFLICT if the principal is new
 * and the memo has STORE_DISTRIBUTIONS_MAX); list them by time (that of
 * the request, or of the approval once approved), malloc'd.
 */
int store_distribution_put(struct store *s, const char *memo_id,
    const struct store_distribution *d) __attribute__((warn_unused_result));
int store_distribution_list(struct store *s, const char *memo_id,
    struct store_distribution **ds, size_t *n)
    __attribute__((warn_unused_result));

/**
 * Meetings: insert (id assigned, stored back in ${m}->id; STORE_NOTFOUND if
 * the memo or a member does not exist), get, update (state, scheduled_at,
 * outcome_n; STORE_NOTFOUND), and list those of a member (as requester or
 * principal; NULL member: all), newest first, at most STORE_MEMO_LIST_MAX
 * (malloc'd).
 */
int store_meeting_insert(struct store *s, struct store_meeting *m)
    __attribute__((warn_unused_result));
int store_meeting_get(struct store *s, int64_t id, struct store_meeting *m)
    __attribute__((warn_unused_result));
int store_meeting_update(struct store *s, const struct store_meeting *m)
    __attribute__((warn_unused_result));
int store_meeting_list(struct store *s, const char *member_id,
    struct store_meeting **ms, size_t *n) __attribute__((warn_unused_result));

/**
 * Complaints: insert the box (at most STORE_COMPLAINT_BOX_MAX bytes) with
 * one sealed key per auditor (${readers} and ${sealed}/${sealedlen}, ${n}
 * of each, 1..STORE_COMPLAINT_READERS_MAX distinct readers; id stored back;
 * STORE_NOTFOUND if a reader does not exist); list those readable by
 * ${auditor_id}, newest first, at most STORE_MEMO_LIST_MAX, each with that
 * auditor's sealed key and the box (free each box, then the array).
 */
int store_complaint_insert(struct store *s, struct store_complaint *c,
    const char (*readers)[DIRECTORY_MEMBER_ID_LEN + 1],
    const uint8_t (*sealed)[STORE_GRANT_MAX], const size_t *sealedlen, size_t n)
    __attribute__((warn_unused_result));
int store_complaint_list(struct store *s, const char *auditor_id,
    struct store_complaint **cs, size_t *n) __attribute__((warn_unused_result));

/**
 * The channel key: its public key with the index of the channel log entry
 * (channel_key_created) that published it, below STORE_LOG_SIZE_MAX
 * (STORE_NOTFOUND until created; creating a second is STORE_CONFLICT) and
 * each coordinator's sealed copy of its secret key (put replaces;
 * STORE_NOTFOUND if the channel key or the member does not exist; get:
 * STORE_NOTFOUND if none).
 */
int store_channel_key_get(struct store *s, uint8_t pk[KEYS_BOX_PK_BYTES],
    uint64_t *log_index, int64_t *created_at)
    __attribute__((warn_unused_result));
int store_channel_key_create(struct store *s,
    const uint8_t pk[KEYS_BOX_PK_BYTES], uint64_t log_index, int64_t now)
    __attribute__((warn_unused_result));
int store_channel_grant_put(struct store *s, const char *member_id,
    const uint8_t *sealed, size_t sealedlen, int64_t now)
    __attribute__((warn_unused_result));
int store_channel_grant_get(struct store *s, const char *member_id,
    uint8_t sealed[STORE_GRANT_MAX], size_t *sealedlen)
    __attribute__((warn_unused_result));

/**
 * Notifications: queue one (its id is assigned); take up to ${max} (at most
 * STORE_MEMO_LIST_MAX) due at ${now} (next attempt at or before ${now},
 * ordered by next attempt then id, malloc'd); mark one sent (deleted) or
 * failed (attempts + 1, next attempt at ${next_at}); STORE_NOTFOUND if the
 * id is unknown.
 */
int store_notification_put(struct store *s, const struct store_notification *nt)
    __attribute__((warn_unused_result));
int store_notification_due(struct store *s, int64_t now, size_t max,
    struct store_notification **nts, size_t *n)
    __attribute__((warn_unused_result));
int store_notification_done(struct store *s, int64_t id)
    __attribute__((warn_unused_result));
int store_notification_retry(struct store *s, int64_t id, int64_t next_at)
    __attribute__((warn_unused_result));

/*
 * Anonymous co-signatures (migration 4).  A memo's ring snapshot is pinned
 * when it is opened: the members then eligible to sign it, with the keys
 * of their current epochs, and the log's size at that moment.  An
 * anonymous signature row holds the linking tag, the version signed and
 * its hash, the ring and the signature (ring.h), and nothing else: no
 * member, no time, no address, and no rowid (rows are kept in tag order).
 */
#define STORE_RING_SNAPSHOT_MAX 65536  /* members of one ring snapshot */
#define STORE_ANON_SIGNATURES_MAX 2000 /* anonymous signatures of a memo */
#define STORE_ANON_PAGE_MAX 64         /* rows of one page */

/* A member of a memo's ring snapshot. */
struct store_ring_member {
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1];
	uint32_t epoch;
	struct keys_public keys;
};

/* An anonymous signature as stored. */
struct store_anon_signature {
	uint8_t tag[RING_TAG_BYTES];
	uint32_t version;
	uint8_t version_hash[MEMO_HASH_BYTES];
	/* Malloc'd by reads (store_anon_signatures_free()); borrowed by
	 * writes. */
	uint8_t (*ring)[RING_PK_BYTES]; /* RING_MIN..RING_N_LIMIT keys */
	size_t nring;
	uint8_t *sig; /* RING_SIG_BYTES(nring) bytes */
	size_t siglen;
};

/**
 * store_memo_ring_pin(s, memo_id, tree_size, n):
 * Pin the ring snapshot of ${memo_id} at the log size ${tree_size} (below
 * STORE_LOG_SIZE_MAX): every member that is active, eligible, enrolled and
 * of one of the memo's eligible organisations, with its current key epoch
 * and keys.  Store their number in ${n}.  Call it inside the transaction
 * that read ${tree_size}, so that the snapshot is the directory after
 * that many log entries.  STORE_NOTFOUND if the memo does not exist;
 * STORE_CONFLICT, with nothing written, if it has a snapshot already, more
 * than STORE_RING_SNAPSHOT_MAX members qualify or two share a ring key.
 */
int store_memo_ring_pin(struct store *s, const char *memo_id,
    uint64_t tree_size, size_t *n) __attribute__((warn_unused_result));

/**
 * store_memo_ring_tree_size(s, memo_id, tree_size):
 * Store the log size at which ${memo_id}'s ring snapshot was pinned in
 * ${tree_size}; STORE_NOTFOUND if the memo does not exist or has none.
 */
int store_memo_ring_tree_size(struct store *s, const char *memo_id,
    uint64_t *tree_size) __attribute__((warn_unused_result));

/**
 * store_memo_ring(s, memo_id, tree_size, ms, n):
 * ${memo_id}'s ring snapshot: its log size into ${tree_size} and its
 * members ordered by the bytes of their ring keys, in a malloc'd array
 * (free()); STORE_NOTFOUND if the memo does not exist or has none.
 */
int store_memo_ring(struct store *s, const char *memo_id, uint64_t *tree_size,
    struct store_ring_member **ms, size_t *n)
    __attribute__((warn_unused_result));

/**
 * store_memo_ring_holds(s, memo_id, keys, n):
 * STORE_OK if each of the ${n} ring keys ${keys} is the ring key of a
 * member of ${memo_id}'s ring snapshot, STORE_NOTFOUND if one is not (or
 * there is no snapshot).
 */
int store_memo_ring_holds(struct store *s, const char *memo_id,
    const uint8_t (*keys)[RING_PK_BYTES], size_t n)
    __attribute__((warn_unused_result));

/**
 * store_anon_signature_put(s, memo_id, a):
 * Record or replace (same tag) an anonymous signature.  STORE_NOTFOUND if
 * the memo has no such version; STORE_CONFLICT if the tag is new and the
 * memo already holds STORE_ANON_SIGNATURES_MAX anonymous signatures.
 */
int store_anon_signature_put(struct store *s, const char *memo_id,
    const struct store_anon_signature *a) __attribute__((warn_unused_result));

/**
 * store_anon_signature_get(s, memo_id, tag, a):
 * Read the anonymous signature with ${tag} into ${a}, whose ring and
 * signature are malloc'd (store_anon_signature_clear()); STORE_NOTFOUND.
 */
int store_anon_signature_get(struct store *s, const char *memo_id,
    const uint8_t tag[RING_TAG_BYTES], struct store_anon_signature *a)
    __attribute__((warn_unused_result));

/**
 * store_anon_signature_delete(s, memo_id, tag):
 * Remove the anonymous signature with ${tag}; STORE_NOTFOUND if none.
 */
int store_anon_signature_delete(struct store *s, const char *memo_id,
    const uint8_t tag[RING_TAG_BYTES]) __attribute__((warn_unused_result));

/**
 * store_anon_signature_page(s, memo_id, after, max, as, n):
 * At most ${max} (1 to STORE_ANON_PAGE_MAX) of ${memo_id}'s anonymous
 * signatures whose tag sorts after ${after} (NULL: from the first), by
 * tag, in a malloc'd array (store_anon_signatures_free()).  A page of
 * fewer than ${max} is the last.
 */
int store_anon_signature_page(struct store *s, const char *memo_id,
    const uint8_t *after, size_t max, struct store_anon_signature **as,
    size_t *n) __attribute__((warn_unused_result));

/**
 * store_anon_signature_count(s, memo_id, version, n):
 * Count the anonymous signatures over ${version} (0: all).
 */
int store_anon_signature_count(struct store *s, const char *memo_id,
    uint32_t version, uint32_t *n) __attribute__((warn_unused_result));

/**
 * store_anon_signature_prune(s, memo_id, version):
 * Delete every anonymous signature of ${memo_id} over a version other than
 * ${version}.
 */
int store_anon_signature_prune(struct store *s, const char *memo_id,
    uint32_t version) __attribute__((warn_unused_result));

/**
 * store_anon_signatures_free(as, n):
 * Free the rings and signatures of the ${n} anonymous signatures ${as},
 * then ${as}.  NULL is a no-op.
 */
void store_anon_signatures_free(struct store_anon_signature *as, size_t n);

/**
 * store_anon_signature_clear(a):
 * Free the ring and signature of the anonymous signature ${a} read by
 * store_anon_signature_get() and zero it.
 */
void store_anon_signature_clear(struct store_anon_signature *a);

#endif /* !STORE_H_ */
