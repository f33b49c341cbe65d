/*
 * The channel log's storage (store.h, store_log_*) on the SQLite backend:
 * appends of entries and nodes, their refusals, key epochs, ranges, lookup
 * by leaf hash, signed heads, and migration 2 of an older database.  The
 * tree math is test_chanlog.c's; here the store only keeps what it is given.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "directory.h"
#include "merkle.h"
#include "store.h"

#define NOW 1764400000

struct fx {
	char dir[PATH_MAX / 2];
	char path[PATH_MAX];
	struct store *s;
};

static int logged;

static void
capture(void *ctx, const char *msg)
{

	(void)ctx;
	(void)msg;
	logged++;
}

static void
remove_db_files(const char *path)
{
	char p[PATH_MAX + 8];

	(void)unlink(path);
	(void)snprintf(p, sizeof(p), "%s-wal", path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", path);
	(void)unlink(p);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct fx *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_store_log.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return (-1);
	}
	(void)snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	logged = 0;
	store_set_log(capture, NULL);
	if (store_open(&f->s, f->path, NOW) != 0) {
		(void)rmdir(f->dir);
		free(f);
		return (-1);
	}
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_free(f->s);
	remove_db_files(f->path);
	(void)rmdir(f->dir);
	free(f);
	store_set_log(NULL, NULL);
	return (0);
}

/* Run ${sql} on the fixture's file over a connection of the test's own. */
static void
raw_exec(struct fx *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static int64_t
raw_int(struct fx *f, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3 *db;
	int64_t v;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	(void)sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return (v);
}

/* Event bytes of entry ${i}: ${len} bytes derived from ${i}. */
static uint8_t evbuf[64][STORE_LOG_EVENT_MAX];

/* Fill ${e} as entry ${i} (event of ${len} bytes, its leaf hash). */
static void
entry(struct store_log_entry *e, uint64_t i, size_t len)
{
	uint8_t *b = evbuf[i % 64];
	size_t j;

	memset(e, 0, sizeof(*e));
	for (j = 0; j < len; j++)
		b[j] = (uint8_t)(i * 7 + j);
	e->index = i;
	e->event = b;
	e->len = len;
	assert_int_equal(merkle_leaf_hash(e->leaf_hash, b, len), 0);
}

static uint64_t
size_of(struct fx *f)
{
	uint64_t n;

	assert_int_equal(store_log_size(f->s, &n), STORE_OK);
	return (n);
}

/*
 * Append entries [from, to) with no nodes, in one call: 40-byte events
 * whose first 8 bytes are the index, so that all differ.
 */
static int
append_range(struct fx *f, uint64_t from, uint64_t to)
{
	struct store_log_entry *es;
	uint8_t *arena, *b;
	uint64_t i;
	int rc;

	assert_non_null(es = calloc(to - from, sizeof(*es)));
	assert_non_null(arena = calloc(to - from, 40));
	for (i = from; i < to; i++) {
		b = arena + (i - from) * 40;
		memset(b, 0x11, 40);
		memcpy(b, &i, sizeof(i));
		es[i - from].index = i;
		es[i - from].event = b;
		es[i - from].len = 40;
		assert_int_equal(
		    merkle_leaf_hash(es[i - from].leaf_hash, b, 40), 0);
	}
	rc = store_log_append(f->s, es, (size_t)(to - from), NULL, 0);
	free(arena);
	free(es);
	return (rc);
}

/* A node (level, index) whose hash is filled with ${b}. */
static struct merkle_node
node(unsigned int level, uint64_t index, uint8_t b)
{
	struct merkle_node n;

	n.level = level;
	n.index = index;
	memset(n.hash, b, sizeof(n.hash));
	return (n);
}

/* An organisation and an enrolled member (key epoch 1) with id ${id}. */
static void
enrolled_member(struct fx *f, const char *id)
{
	struct store_custody c;
	struct store_member m;
	struct store_org o;
	struct keys_public k;

	memset(&o, 0, sizeof(o));
	memcpy(o.id, "state", 6);
	memcpy(o.name, "State", 6);
	(void)store_org_insert(f->s, &o);
	memset(&m, 0, sizeof(m));
	memcpy(m.id, id, DIRECTORY_MEMBER_ID_LEN + 1);
	(void)snprintf(m.handle, sizeof(m.handle), "h%.10s", id + 16);
	memcpy(m.display_name, "Some Body", 10);
	memcpy(m.org_id, "state", 6);
	m.roles = ROLE_MEMBER;
	assert_int_equal(store_member_insert(f->s, &m), STORE_OK);
	memset(&c, 0, sizeof(c));
	c.kdf.opslimit = 3;
	c.kdf.memlimit = 1 << 26;
	memset(&k, 9, sizeof(k));
	assert_int_equal(
	    store_member_activate(f->s, id, &k, &c, NOW), STORE_OK);
}

#define MEMBER_A "m_0123456789abcdef01234567"
#define MEMBER_B "m_fedcba9876543210fedcba98"

static void
test_a_new_log_is_empty(void **state)
{
	struct fx *f = *state;
	struct store_log_head h;
	uint8_t hash[MERKLE_HASH_BYTES];

	assert_int_equal(size_of(f), 0);
	assert_int_equal(store_log_head_latest(f->s, &h), STORE_NOTFOUND);
	assert_int_equal(store_log_node(f->s, 0, 0, hash), STORE_NOTFOUND);
}

static void
test_append_stores_entries_and_nodes(void **state)
{
	struct fx *f = *state;
	struct store_log_entry es[2];
	struct merkle_node n = node(1, 0, 0xab);
	uint8_t hash[MERKLE_HASH_BYTES];

	entry(&es[0], 0, 10);
	entry(&es[1], 1, 20);
	assert_int_equal(store_log_append(f->s, es, 2, &n, 1), STORE_OK);
	assert_int_equal(size_of(f), 2);
	assert_int_equal(store_log_node(f->s, 0, 1, hash), STORE_OK);
	assert_memory_equal(hash, es[1].leaf_hash, sizeof(hash));
	assert_int_equal(store_log_node(f->s, 1, 0, hash), STORE_OK);
	assert_memory_equal(hash, n.hash, sizeof(hash));
	assert_int_equal(store_log_node(f->s, 1, 1, hash), STORE_NOTFOUND);
	assert_int_equal(store_log_node(f->s, 0, 2, hash), STORE_NOTFOUND);
}

static void
test_append_refuses_an_index_that_is_not_the_next(void **state)
{
	struct fx *f = *state;
	struct store_log_entry e;

	entry(&e, 1, 10);
	assert_int_equal(
	    store_log_append(f->s, &e, 1, NULL, 0), STORE_CONFLICT);
	assert_int_equal(append_range(f, 0, 3), STORE_OK);
	/* Neither rewriting an entry nor leaving a gap. */
	entry(&e, 2, 10);
	assert_int_equal(
	    store_log_append(f->s, &e, 1, NULL, 0), STORE_CONFLICT);
	entry(&e, 4, 10);
	assert_int_equal(
	    store_log_append(f->s, &e, 1, NULL, 0), STORE_CONFLICT);
	assert_int_equal(size_of(f), 3);
}

static void
test_append_refuses_malformed_entries(void **state)
{
	struct fx *f = *state;
	struct store_log_entry es[2];

	entry(&es[0], 0, 10);
	entry(&es[1], 2, 10); /* not consecutive */
	assert_int_equal(store_log_append(f->s, es, 2, NULL, 0), STORE_ERR);
	entry(&es[0], 0, 0); /* empty event */
	assert_int_equal(store_log_append(f->s, es, 1, NULL, 0), STORE_ERR);
	entry(&es[0], 0, 10);
	es[0].len = STORE_LOG_EVENT_MAX + 1;
	assert_int_equal(store_log_append(f->s, es, 1, NULL, 0), STORE_ERR);
	entry(&es[0], 0, 10);
	es[0].event = NULL;
	assert_int_equal(store_log_append(f->s, es, 1, NULL, 0), STORE_ERR);
	entry(&es[0], 0, 10);
	es[0].key_member = "not-an-id";
	es[0].key_epoch = 1;
	assert_int_equal(store_log_append(f->s, es, 1, NULL, 0), STORE_ERR);
	es[0].key_member = MEMBER_A;
	es[0].key_epoch = 0;
	assert_int_equal(store_log_append(f->s, es, 1, NULL, 0), STORE_ERR);
	entry(&es[0], STORE_LOG_SIZE_MAX, 10);
	assert_int_equal(store_log_append(f->s, es, 1, NULL, 0), STORE_ERR);
	assert_int_equal(store_log_append(f->s, es, 0, NULL, 0), STORE_ERR);
	assert_int_equal(store_log_append(f->s, NULL, 1, NULL, 0), STORE_ERR);
	assert_int_equal(size_of(f), 0);
	assert_true(logged > 0);
}

static void
test_append_refuses_nodes_the_batch_does_not_complete(void **state)
{
	struct fx *f = *state;
	struct store_log_entry es[2];
	struct merkle_node n;

	assert_int_equal(append_range(f, 0, 2), STORE_OK);
	entry(&es[0], 2, 10);
	entry(&es[1], 3, 10);
	/* Level 0 is the entries' own; levels stop at 63. */
	n = node(0, 2, 1);
	assert_int_equal(store_log_append(f->s, es, 2, &n, 1), STORE_ERR);
	n = node(MERKLE_MAX_LEVELS, 0, 1);
	assert_int_equal(store_log_append(f->s, es, 2, &n, 1), STORE_ERR);
	/* (1, 0) was complete before; (2, 1) is not complete after. */
	n = node(1, 0, 1);
	assert_int_equal(store_log_append(f->s, es, 2, &n, 1), STORE_ERR);
	n = node(2, 1, 1);
	assert_int_equal(store_log_append(f->s, es, 2, &n, 1), STORE_ERR);
	assert_int_equal(store_log_append(f->s, es, 2, NULL, 1), STORE_ERR);
	assert_int_equal(size_of(f), 2);
	/* (1, 1) and (2, 0) are what these two complete. */
	{
		struct merkle_node ok[2] = {node(1, 1, 2), node(2, 0, 3)};

		assert_int_equal(
		    store_log_append(f->s, es, 2, ok, 2), STORE_OK);
	}
	assert_int_equal(size_of(f), 4);
}

static void
test_append_is_all_or_nothing(void **state)
{
	struct fx *f = *state;
	struct store_log_entry es[2];
	struct merkle_node n[2] = {node(1, 0, 1), node(1, 0, 2)};

	entry(&es[0], 0, 10);
	entry(&es[1], 1, 10);
	/* The second node collides with the first: nothing stays. */
	assert_int_equal(store_log_append(f->s, es, 2, n, 2), STORE_CONFLICT);
	assert_int_equal(size_of(f), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM log_nodes"), 0);
}

static void
test_append_rolled_back_with_its_transaction_leaves_nothing(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(append_range(f, 0, 5), STORE_OK);
	assert_int_equal(size_of(f), 5);
	store_rollback(f->s);
	assert_int_equal(size_of(f), 0);
	assert_int_equal(append_range(f, 0, 1), STORE_OK);
}

static void
test_key_event_records_its_epoch(void **state)
{
	struct fx *f = *state;
	struct store_log_entry e;
	uint64_t index;

	enrolled_member(f, MEMBER_A);
	assert_int_equal(append_range(f, 0, 3), STORE_OK);
	entry(&e, 3, 30);
	e.key_member = MEMBER_A;
	e.key_epoch = 1;
	assert_int_equal(store_log_append(f->s, &e, 1, NULL, 0), STORE_OK);
	assert_int_equal(
	    store_log_key_index(f->s, MEMBER_A, 1, &index), STORE_OK);
	assert_int_equal(index, 3);
	assert_int_equal(
	    store_log_key_index(f->s, MEMBER_A, 2, &index), STORE_NOTFOUND);
	assert_int_equal(
	    store_log_key_index(f->s, MEMBER_B, 1, &index), STORE_NOTFOUND);
	assert_int_equal(
	    store_log_key_index(f->s, "bogus", 1, &index), STORE_NOTFOUND);
}

static void
test_key_event_for_an_unregistered_epoch_is_refused(void **state)
{
	struct fx *f = *state;
	struct store_log_entry e;

	enrolled_member(f, MEMBER_A);
	entry(&e, 0, 30);
	e.key_member = MEMBER_A;
	e.key_epoch = 2;
	assert_int_equal(
	    store_log_append(f->s, &e, 1, NULL, 0), STORE_NOTFOUND);
	e.key_member = MEMBER_B;
	e.key_epoch = 1;
	assert_int_equal(
	    store_log_append(f->s, &e, 1, NULL, 0), STORE_NOTFOUND);
	assert_int_equal(size_of(f), 0);
}

static void
test_key_epoch_logged_twice_is_a_conflict(void **state)
{
	struct fx *f = *state;
	struct store_log_entry es[2];

	enrolled_member(f, MEMBER_A);
	entry(&es[0], 0, 30);
	entry(&es[1], 1, 31);
	es[0].key_member = es[1].key_member = MEMBER_A;
	es[0].key_epoch = es[1].key_epoch = 1;
	assert_int_equal(
	    store_log_append(f->s, es, 2, NULL, 0), STORE_CONFLICT);
	assert_int_equal(size_of(f), 0);
}

static void
test_entries_reads_a_range_in_order(void **state)
{
	struct fx *f = *state;
	struct store_log_entry *es;
	uint8_t want[40], hash[MERKLE_HASH_BYTES];
	uint64_t idx;
	size_t n, i;

	assert_int_equal(append_range(f, 0, 10), STORE_OK);
	assert_int_equal(store_log_entries(f->s, 3, 4, &es, &n), STORE_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		memset(want, 0x11, sizeof(want));
		idx = 3 + i;
		memcpy(want, &idx, sizeof(idx));
		assert_int_equal(es[i].index, 3 + i);
		assert_int_equal(es[i].len, 40);
		assert_memory_equal(es[i].event, want, 40);
		assert_int_equal(merkle_leaf_hash(hash, want, 40), 0);
		assert_memory_equal(es[i].leaf_hash, hash, sizeof(hash));
		assert_null(es[i].key_member);
	}
	free(es);
	/* Clipped at the end; nothing beyond it. */
	assert_int_equal(store_log_entries(f->s, 8, 100, &es, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(es[1].index, 9);
	free(es);
	assert_int_equal(store_log_entries(f->s, 10, 5, &es, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_null(es);
	assert_int_equal(
	    store_log_entries(f->s, UINT64_MAX, 5, &es, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void
test_entries_refuses_more_than_the_range_limit(void **state)
{
	struct fx *f = *state;
	struct store_log_entry *es;
	size_t n;

	assert_int_equal(
	    store_log_entries(f->s, 0, STORE_LOG_RANGE_MAX + 1, &es, &n),
	    STORE_ERR);
	assert_null(es);
	assert_int_equal(
	    store_log_entries(f->s, 0, STORE_LOG_RANGE_MAX, &es, &n), STORE_OK);
}

static void
test_find_returns_the_first_index_below_the_bound(void **state)
{
	struct fx *f = *state;
	struct store_log_entry es[3];
	uint8_t other[MERKLE_HASH_BYTES];
	uint64_t index;

	/* Entries 0 and 2 hold the same event, so the same leaf hash. */
	entry(&es[0], 0, 12);
	entry(&es[1], 1, 13);
	entry(&es[2], 64, 12);
	es[2].index = 2;
	assert_int_equal(store_log_append(f->s, es, 3, NULL, 0), STORE_OK);
	assert_int_equal(
	    store_log_find(f->s, es[0].leaf_hash, 3, &index), STORE_OK);
	assert_int_equal(index, 0);
	assert_int_equal(
	    store_log_find(f->s, es[1].leaf_hash, 3, &index), STORE_OK);
	assert_int_equal(index, 1);
	assert_int_equal(
	    store_log_find(f->s, es[1].leaf_hash, 1, &index), STORE_NOTFOUND);
	assert_int_equal(
	    store_log_find(f->s, es[1].leaf_hash, 0, &index), STORE_NOTFOUND);
	memset(other, 0x5a, sizeof(other));
	assert_int_equal(
	    store_log_find(f->s, other, UINT64_MAX, &index), STORE_NOTFOUND);
}

static void
test_find_looks_in_every_bucket(void **state)
{
	struct fx *f = *state;
	struct store_log_entry *es;
	size_t n;
	uint64_t index;

	/* The index is kept in buckets of 4096 entries: cross two. */
	assert_int_equal(append_range(f, 0, 9000), STORE_OK);
	assert_int_equal(store_log_entries(f->s, 8999, 1, &es, &n), STORE_OK);
	assert_int_equal(
	    store_log_find(f->s, es[0].leaf_hash, 9000, &index), STORE_OK);
	assert_int_equal(index, 8999);
	assert_int_equal(store_log_find(f->s, es[0].leaf_hash, 8999, &index),
	    STORE_NOTFOUND);
	free(es);
	assert_int_equal(store_log_entries(f->s, 4096, 1, &es, &n), STORE_OK);
	assert_int_equal(
	    store_log_find(f->s, es[0].leaf_hash, 9000, &index), STORE_OK);
	assert_int_equal(index, 4096);
	free(es);
}

static void
test_heads_are_kept_and_the_latest_is_the_largest(void **state)
{
	struct fx *f = *state;
	struct store_log_head h, got;

	memset(&h, 0, sizeof(h));
	h.size = 5;
	h.timestamp = NOW;
	memset(h.root, 1, sizeof(h.root));
	memset(h.sig, 2, sizeof(h.sig));
	assert_int_equal(store_log_head_put(f->s, &h), STORE_OK);
	h.size = 9;
	h.timestamp = NOW + 1;
	memset(h.root, 3, sizeof(h.root));
	assert_int_equal(store_log_head_put(f->s, &h), STORE_OK);
	h.size = 0;
	assert_int_equal(store_log_head_put(f->s, &h), STORE_OK);

	assert_int_equal(store_log_head_latest(f->s, &got), STORE_OK);
	assert_int_equal(got.size, 9);
	assert_int_equal(got.timestamp, NOW + 1);
	assert_memory_equal(got.root, h.root, sizeof(h.root));
	assert_memory_equal(got.sig, h.sig, sizeof(h.sig));
	assert_int_equal(store_log_head_get(f->s, 5, &got), STORE_OK);
	assert_int_equal(got.timestamp, NOW);
	assert_int_equal(store_log_head_get(f->s, 6, &got), STORE_NOTFOUND);
	assert_int_equal(
	    store_log_head_get(f->s, UINT64_MAX, &got), STORE_NOTFOUND);
}

static void
test_a_head_size_is_signed_once(void **state)
{
	struct fx *f = *state;
	struct store_log_head h, got;

	memset(&h, 0, sizeof(h));
	h.size = 3;
	assert_int_equal(store_log_head_put(f->s, &h), STORE_OK);
	memset(h.root, 7, sizeof(h.root));
	assert_int_equal(store_log_head_put(f->s, &h), STORE_CONFLICT);
	assert_int_equal(store_log_head_get(f->s, 3, &got), STORE_OK);
	assert_int_equal(got.root[0], 0);
}

static void
test_head_put_refuses_values_out_of_range(void **state)
{
	struct fx *f = *state;
	struct store_log_head h;

	memset(&h, 0, sizeof(h));
	h.timestamp = (uint64_t)INT64_MAX + 1;
	assert_int_equal(store_log_head_put(f->s, &h), STORE_ERR);
	h.timestamp = 0;
	h.size = STORE_LOG_SIZE_MAX + 1;
	assert_int_equal(store_log_head_put(f->s, &h), STORE_ERR);
	assert_int_equal(store_log_head_put(f->s, NULL), STORE_ERR);
	assert_int_equal(store_log_head_latest(f->s, &h), STORE_NOTFOUND);
}

static void
test_a_damaged_entry_is_an_error_not_an_overflow(void **state)
{
	struct fx *f = *state;
	struct store_log_entry *es;
	uint8_t hash[MERKLE_HASH_BYTES];
	size_t n;

	assert_int_equal(append_range(f, 0, 2), STORE_OK);
	/* What the schema's CHECK keeps out, a raw edit can still put in. */
	raw_exec(f, "PRAGMA ignore_check_constraints = ON; "
		    "UPDATE log_entries SET leaf_hash = x'00' WHERE idx = 1");
	logged = 0;
	assert_int_equal(store_log_node(f->s, 0, 1, hash), STORE_ERR);
	assert_int_equal(store_log_entries(f->s, 0, 2, &es, &n), STORE_ERR);
	assert_null(es);
	assert_true(logged > 0);
}

static void
test_schema_1_database_gains_the_log_and_keeps_its_rows(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	int v;

	enrolled_member(f, MEMBER_A);
	store_free(f->s);
	f->s = NULL;
	/* Take the file back to schema 1, as a foundation release left it. */
	raw_exec(f, "DROP TABLE memo_counts; "
		    "DROP TABLE log_key_events; DROP TABLE log_heads; "
		    "DROP TABLE log_nodes; DROP TABLE log_entries; "
		    "DROP TABLE memo_anon_signatures; "
		    "DROP TABLE memo_ring_members; "
		    "DROP TABLE notifications; DROP TABLE channel_grants; "
		    "DROP TABLE channel_key; DROP TABLE complaint_readers; "
		    "DROP TABLE complaints; DROP TABLE meetings; "
		    "DROP TABLE memo_distributions; DROP TABLE memo_replies; "
		    "DROP TABLE memo_accesses; DROP TABLE memo_signatures; "
		    "DROP TABLE memo_grants; DROP TABLE memo_members; "
		    "DROP TABLE memo_versions; DROP TABLE memos; "
		    "DELETE FROM schema_migrations WHERE version >= 2; "
		    "PRAGMA user_version = 1;");
	assert_int_equal(store_open(&f->s, f->path, NOW + 5), 0);
	assert_int_equal(store_schema_version(f->s, &v), STORE_OK);
	assert_int_equal(v, store_schema_latest());
	assert_int_equal(raw_int(f, "SELECT applied_at FROM schema_migrations "
				    "WHERE version = 2"),
	    NOW + 5);
	assert_int_equal(store_member_get(f->s, MEMBER_A, &m), STORE_OK);
	assert_int_equal(m.key_epoch, 1);
	assert_int_equal(size_of(f), 0);
	assert_int_equal(append_range(f, 0, 2), STORE_OK);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_a_new_log_is_empty),
	    T(test_append_stores_entries_and_nodes),
	    T(test_append_refuses_an_index_that_is_not_the_next),
	    T(test_append_refuses_malformed_entries),
	    T(test_append_refuses_nodes_the_batch_does_not_complete),
	    T(test_append_is_all_or_nothing),
	    T(test_append_rolled_back_with_its_transaction_leaves_nothing),
	    T(test_key_event_records_its_epoch),
	    T(test_key_event_for_an_unregistered_epoch_is_refused),
	    T(test_key_epoch_logged_twice_is_a_conflict),
	    T(test_entries_reads_a_range_in_order),
	    T(test_entries_refuses_more_than_the_range_limit),
	    T(test_find_returns_the_first_index_below_the_bound),
	    T(test_find_looks_in_every_bucket),
	    T(test_heads_are_kept_and_the_latest_is_the_largest),
	    T(test_a_head_size_is_signed_once),
	    T(test_head_put_refuses_values_out_of_range),
	    T(test_a_damaged_entry_is_an_error_not_an_overflow),
	    T(test_schema_1_database_gains_the_log_and_keeps_its_rows),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
