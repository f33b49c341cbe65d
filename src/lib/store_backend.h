#ifndef STORE_BACKEND_H_
#define STORE_BACKEND_H_

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * Internal to the store: what a storage backend provides.  store.c owns the
 * public functions, the per-handle lock, transactions and argument checks,
 * and calls one of these tables; each backend file (store_sqlite.c, later
 * store_postgresql.c) holds all of its queries.  Callers of the store never
 * include this header.
 *
 * Every operation is called with the handle's lock held and ${db} being
 * the value the backend's open() returned.  Arguments were already checked
 * by store.c (strings are NUL-terminated and fit their limits, enums are in
 * range).  The operations marked "in a transaction" issue several
 * statements: store.c calls them inside a transaction or savepoint and
 * undoes everything when they fail.  An operation returns a STORE_* code
 * and reports a STORE_ERR once through store_log(); STORE_NOTFOUND and
 * STORE_CONFLICT are answers, not errors, and are not reported.  Outputs
 * are only meaningful on STORE_OK.
 *
 * Schema versions are numbered alike in every backend: version N of one
 * holds the same tables as version N of another.
 */
struct store_backend {
	/* URL scheme that selects this backend ("sqlite"). */
	const char *scheme;
	/* Newest schema version this backend can create. */
	int schema_latest;

	/* Open or create ${path}, migrate it, return 0 and the handle, or -1.
	 */
	int (*open)(void **db, const char *path, int64_t now);
	void (*close)(void *db);
	int (*schema_version)(void *db, int *version);

	/* Transactions (0/-1), and savepoints nested inside one. */
	int (*txn_begin)(void *db, int write);
	int (*txn_commit)(void *db);
	void (*txn_rollback)(void *db);
	/* 1 if a transaction is open (it may have been lost to an error). */
	int (*txn_active)(void *db);
	int (*savepoint)(void *db);
	int (*savepoint_release)(void *db);
	void (*savepoint_rollback)(void *db);

	int (*meta_get)(void *db, const char *key, char *value, size_t cap);
	int (*meta_set)(void *db, const char *key, const char *value);

	int (*org_insert)(void *db, const struct store_org *org);
	int (*org_get)(void *db, const char *id, struct store_org *org);
	/* In a transaction. */
	int (*org_list)(void *db, struct store_org **orgs, size_t *n);

	int (*member_insert)(void *db, const struct store_member *m);
	int (*member_get)(void *db, const char *id, struct store_member *m);
	int (*member_get_by_handle)(
	    void *db, const char *handle, struct store_member *m);
	/* In a transaction. */
	int (*member_list)(void *db, const char *org_id, size_t offset,
	    size_t limit, struct store_member **ms, size_t *n, size_t *total);
	/*
	 * In a transaction; STORE_CONFLICT if more than
	 * STORE_ROLE_MEMBERS_MAX qualify.
	 */
	int (*member_list_role)(
	    void *db, unsigned int roles, struct store_member **ms, size_t *n);
	int (*member_set_roles)(void *db, const char *id, unsigned int roles);
	int (*member_set_eligible)(void *db, const char *id, int eligible);
	int (*member_set_display_name)(
	    void *db, const char *id, const char *name);
	/* In a transaction. */
	int (*member_set_status)(void *db, const char *id, int status);
	/* In a transaction. */
	int (*member_activate)(void *db, const char *id,
	    const struct keys_public *keys, const struct store_custody *c,
	    int64_t now);
	/* In a transaction. */
	int (*member_rotate_keys)(void *db, const char *id, uint32_t epoch,
	    const struct keys_public *keys, const struct store_custody *c,
	    int64_t now);
	/* In a transaction. */
	int (*key_history)(void *db, const char *id,
	    struct store_key_record **recs, size_t *n);

	int (*custody_get)(void *db, const char *id, struct store_custody *c);
	int (*custody_set)(
	    void *db, const char *id, const struct store_custody *c);

	int (*login_get)(void *db, const char *id, struct store_login *l);
	int (*login_set)(void *db, const char *id, const struct store_login *l);

	/* In a transaction. */
	int (*enrollment_put)(void *db, const uint8_t *code_hash,
	    const char *member_id, int64_t expires_at);
	int (*enrollment_get)(void *db, const uint8_t *code_hash,
	    char *member_id, int64_t *expires_at);
	int (*enrollment_delete_member)(void *db, const char *member_id);

	int (*session_put)(void *db, const struct store_session *sess);
	int (*session_get)(
	    void *db, const uint8_t *token_hash, struct store_session *sess);
	int (*session_touch)(
	    void *db, const uint8_t *token_hash, int64_t last_seen);
	int (*session_delete)(void *db, const uint8_t *token_hash);
	int (*session_delete_member)(void *db, const char *member_id);
	int (*session_purge)(void *db, int64_t now);

	/* The channel log.  Sizes and indexes are below STORE_LOG_SIZE_MAX. */
	int (*log_size)(void *db, uint64_t *size);
	/*
	 * In a transaction.  store.c checked that the entries are
	 * consecutive and well-formed and the nodes complete by the end.
	 */
	int (*log_append)(void *db, const struct store_log_entry *entries,
	    size_t n, const struct merkle_node *nodes, size_t nnodes);
	int (*log_node)(
	    void *db, unsigned int level, uint64_t index, uint8_t *hash);
	/* In a transaction; ${count} <= STORE_LOG_RANGE_MAX. */
	int (*log_entries)(void *db, uint64_t start, size_t count,
	    struct store_log_entry **entries, size_t *n);
	int (*log_find)(void *db, const uint8_t *leaf_hash, uint64_t below,
	    uint64_t *index);
	int (*log_head_put)(void *db, const struct store_log_head *head);
	int (*log_head_get)(
	    void *db, uint64_t size, struct store_log_head *head);
	int (*log_head_latest)(void *db, struct store_log_head *head);
	int (*log_key_index)(
	    void *db, const char *member_id, uint32_t epoch, uint64_t *index);

	/*
	 * Memos.  store.c checked every field against its limits (memo ids,
	 * member ids, enums, lengths of boxes and sealed grants, list caps)
	 * and that ${rel} is one storable ACCESS_REL_* bit.  Boxes read are
	 * malloc'd; on failure nothing is left allocated.
	 */
	/* In a transaction. */
	int (*memo_insert)(void *db, const struct store_memo *m,
	    const struct store_memo_version *v, const char *drafter);
	int (*memo_get)(void *db, const char *id, struct store_memo *m);
	/* In a transaction. */
	int (*memo_update)(void *db, const struct store_memo *m);
	/* In a transaction. */
	int (*memo_list_member)(
	    void *db, const char *member_id, struct store_memo **ms, size_t *n);
	/* In a transaction; ${mask} has bit 1 << state for each state. */
	int (*memo_list_states)(
	    void *db, unsigned int mask, struct store_memo **ms, size_t *n);
	/*
	 * In a transaction; ${after} is "" or a memo id, 1 <= ${max} <=
	 * STORE_MEMO_LIST_MAX.
	 */
	int (*memo_page_states)(void *db, unsigned int mask, const char *after,
	    size_t max, struct store_memo **ms, size_t *n);
	int (*memo_relations)(void *db, const char *memo_id,
	    const char *member_id, unsigned int *rel);
	/* In a transaction. */
	int (*memo_relate)(void *db, const char *memo_id, const char *member_id,
	    unsigned int rel, const char *by, int64_t now);
	/* In a transaction. */
	int (*memo_related)(void *db, const char *memo_id, unsigned int rel,
	    char (**ids)[DIRECTORY_MEMBER_ID_LEN + 1], size_t *n);
	int (*memo_unrelate)(void *db, const char *memo_id,
	    const char *member_id, unsigned int rel);
	/* In a transaction. */
	int (*version_put)(
	    void *db, const char *memo_id, const struct store_memo_version *v);
	int (*version_get)(void *db, const char *memo_id, uint32_t version,
	    struct store_memo_version *v);
	/* In a transaction. */
	int (*versions)(void *db, const char *memo_id,
	    struct store_memo_version **vs, size_t *n);
	/* In a transaction. */
	int (*grant_put)(void *db, const struct store_grant *g);
	int (*grant_get)(void *db, const char *memo_id, const char *recipient,
	    const char *purpose, struct store_grant *g);
	int (*grant_release)(
	    void *db, const char *memo_id, const char *recipient);
	int (*grant_delete)(void *db, const char *memo_id,
	    const char *recipient, const char *purpose);
	/* In a transaction. */
	int (*signature_put)(
	    void *db, const char *memo_id, const struct store_signature *sig);
	int (*signature_get)(void *db, const char *memo_id, const uint8_t *tag,
	    struct store_signature *sig);
	int (*signature_delete)(
	    void *db, const char *memo_id, const uint8_t *tag);
	/* In a transaction. */
	int (*signature_list)(void *db, const char *memo_id, uint32_t version,
	    struct store_signature **sigs, size_t *n);
	int (*signature_count)(
	    void *db, const char *memo_id, uint32_t version, uint32_t *n);
	int (*access_put)(
	    void *db, const char *memo_id, const struct store_access *a);
	/* In a transaction. */
	int (*access_list)(
	    void *db, const char *memo_id, struct store_access **as, size_t *n);
	/* In a transaction. */
	int (*reply_put)(
	    void *db, const char *memo_id, const struct store_reply *r);
	/* In a transaction. */
	int (*reply_list)(
	    void *db, const char *memo_id, struct store_reply **rs, size_t *n);
	/* In a transaction. */
	int (*distribution_put)(
	    void *db, const char *memo_id, const struct store_distribution *d);
	/* In a transaction. */
	int (*distribution_list)(void *db, const char *memo_id,
	    struct store_distribution **ds, size_t *n);
	int (*meeting_insert)(void *db, struct store_meeting *m);
	int (*meeting_get)(void *db, int64_t id, struct store_meeting *m);
	int (*meeting_update)(void *db, const struct store_meeting *m);
	/* In a transaction. */
	int (*meeting_list)(void *db, const char *member_id,
	    struct store_meeting **ms, size_t *n);
	/* In a transaction. */
	int (*complaint_insert)(void *db, struct store_complaint *c,
	    const char (*readers)[DIRECTORY_MEMBER_ID_LEN + 1],
	    const uint8_t (*sealed)[STORE_GRANT_MAX], const size_t *sealedlen,
	    size_t n);
	/* In a transaction. */
	int (*complaint_list)(void *db, const char *auditor_id,
	    struct store_complaint **cs, size_t *n);
	int (*channel_key_get)(
	    void *db, uint8_t *pk, uint64_t *log_index, int64_t *created_at);
	int (*channel_key_create)(
	    void *db, const uint8_t *pk, uint64_t log_index, int64_t now);
	/* In a transaction. */
	int (*channel_grant_put)(void *db, const char *member_id,
	    const uint8_t *sealed, size_t sealedlen, int64_t now);
	int (*channel_grant_get)(void *db, const char *member_id,
	    uint8_t *sealed, size_t *sealedlen);
	int (*notification_put)(void *db, const struct store_notification *nt);
	/* In a transaction; 1 <= ${max} <= STORE_MEMO_LIST_MAX. */
	int (*notification_due)(void *db, int64_t now, size_t max,
	    struct store_notification **nts, size_t *n);
	int (*notification_done)(void *db, int64_t id);
	int (*notification_retry)(void *db, int64_t id, int64_t next_at);

	/*
	 * Anonymous co-signatures.  store.c checked the tree size, ring sizes
	 * and signature lengths; rings and signatures read are malloc'd.
	 */
	/* In a transaction. */
	int (*ring_pin)(
	    void *db, const char *memo_id, uint64_t tree_size, size_t *n);
	int (*ring_tree_size)(void *db, const char *memo_id, uint64_t *size);
	/* In a transaction. */
	int (*ring_list)(void *db, const char *memo_id, uint64_t *tree_size,
	    struct store_ring_member **ms, size_t *n);
	/* In a transaction. */
	int (*ring_holds)(void *db, const char *memo_id,
	    const uint8_t (*keys)[RING_PK_BYTES], size_t n);
	/* In a transaction. */
	int (*anon_put)(void *db, const char *memo_id,
	    const struct store_anon_signature *a);
	int (*anon_get)(void *db, const char *memo_id, const uint8_t *tag,
	    struct store_anon_signature *a);
	int (*anon_delete)(void *db, const char *memo_id, const uint8_t *tag);
	/* In a transaction; ${after} NULL or RING_TAG_BYTES bytes. */
	int (*anon_page)(void *db, const char *memo_id, const uint8_t *after,
	    size_t max, struct store_anon_signature **as, size_t *n);
	int (*anon_count)(
	    void *db, const char *memo_id, uint32_t version, uint32_t *n);
	int (*anon_prune)(void *db, const char *memo_id, uint32_t version);
};

/* The SQLite backend (store_sqlite.c). */
extern const struct store_backend store_sqlite_backend;

/**
 * store_log(fmt, ...):
 * Report an error message through the hook set by store_set_log().  The
 * message must name what failed, never the values involved.
 */
void store_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* !STORE_BACKEND_H_ */
