/*
 * The server side of the channel log (chanlog.h) on a SQLite store: the
 * tree built by appends is RFC 9162's (checked against merkle_mem.c for
 * random batches), heads are signed only for what the store holds and
 * extends the last head, proofs verify, the signer thread keeps its
 * interval, and chanlog_open() refuses a log that was altered, rolled back
 * or re-signed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "chanlog.h"
#include "event.h"
#include "merkle.h"
#include "merkle_mem.h"
#include "store.h"
#include "treehead.h"

#define NOW 1764400000
#define INSTANCE "0123456789abcdef0123456789abcdef"
#define MEMBER_A "m_0123456789abcdef01234567"

struct fx {
	char dir[PATH_MAX / 2];
	char path[PATH_MAX];
	struct store *s;
	struct chanlog *cl;
	uint8_t pk[TREEHEAD_PK_BYTES];
	uint8_t sk[TREEHEAD_SK_BYTES];
	char err[CHANLOG_ERR_MAX];
};

/* What the handle reported since the last reset. */
static struct {
	int count;
	char last[CHANLOG_ERR_MAX];
} reported;

static void
report(void *ctx, const char *msg)
{

	(void)ctx;
	reported.count++;
	(void)snprintf(reported.last, sizeof(reported.last), "%s", msg);
}

static void
quiet(void *ctx, const char *msg)
{

	(void)ctx;
	(void)msg;
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
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_chanlog.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return (-1);
	}
	(void)snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	store_set_log(quiet, NULL);
	memset(&reported, 0, sizeof(reported));
	crypto_sign_keypair(f->pk, f->sk);
	if (store_open(&f->s, f->path, NOW) != 0 ||
	    chanlog_open(
		&f->cl, f->s, INSTANCE, f->sk, f->err, sizeof(f->err)) != 0)
		return (-1);
	chanlog_set_report(f->cl, report, NULL);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	chanlog_free(f->cl);
	store_free(f->s);
	remove_db_files(f->path);
	(void)rmdir(f->dir);
	free(f);
	store_set_log(NULL, NULL);
	return (0);
}

static void
raw_exec(struct fx *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Close the handle (keeping the store) and try to open it again. */
static int
reopen(struct fx *f)
{

	chanlog_free(f->cl);
	f->cl = NULL;
	memset(f->err, 0, sizeof(f->err));
	if (chanlog_open(
		&f->cl, f->s, INSTANCE, f->sk, f->err, sizeof(f->err)) != 0)
		return (-1);
	chanlog_set_report(f->cl, report, NULL);
	return (0);
}

/* Event ${i}: a roles change for one of a few members. */
static void
make_event(struct event *ev, uint64_t i)
{

	memset(ev, 0, sizeof(*ev));
	ev->version = EVENT_FORMAT_VERSION;
	ev->type = EVENT_ROLES_CHANGED;
	ev->time = NOW + i;
	(void)snprintf(ev->member_id, sizeof(ev->member_id), "m_%024llx",
	    (unsigned long long)(i % 7));
	ev->roles = (i % 3 == 0) ? 1 : 3;
}

/* Append events [from, to) in one batch, in a transaction. */
static void
append(struct fx *f, uint64_t from, uint64_t to)
{
	struct event evs[CHANLOG_BATCH_MAX];
	uint64_t i, first;

	assert_true(to > from && to - from <= CHANLOG_BATCH_MAX);
	for (i = from; i < to; i++)
		make_event(&evs[i - from], i);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(
	    chanlog_append_batch(f->cl, evs, (size_t)(to - from), &first),
	    CHANLOG_OK);
	assert_int_equal(first, from);
	assert_int_equal(store_commit(f->s), 0);
}

/* Append event ${i} to ${m} as chanlog would encode it. */
static void
mem_append(struct merkle_mem *m, uint64_t i)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev;
	size_t len;

	make_event(&ev, i);
	assert_int_equal(event_encode(buf, sizeof(buf), &len, &ev), 0);
	assert_int_equal(merkle_mem_append(m, buf, len), 0);
}

static void
sign(struct fx *f, uint64_t now, struct treehead *th)
{
	int did;

	assert_int_equal(chanlog_sign(f->cl, now, &did), CHANLOG_OK);
	assert_int_equal(chanlog_latest(f->cl, th), CHANLOG_OK);
}

static uint64_t
log_size(struct fx *f)
{
	uint64_t n;

	assert_int_equal(store_log_size(f->s, &n), STORE_OK);
	return (n);
}

static void
test_batches_build_the_rfc9162_tree(void **state)
{
	struct fx *f = *state;
	uint8_t p1[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	uint8_t p2[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	uint8_t r1[MERKLE_HASH_BYTES], r2[MERKLE_HASH_BYTES];
	struct merkle_source src;
	struct merkle_mem *m;
	uint64_t size = 0, k, i, j, a, b;
	size_t n1, n2;

	assert_non_null(m = merkle_mem_new(5000));
	merkle_mem_source(m, &src);
	/* Random batch sizes, 1 to 300, up to 3000 entries. */
	while (size < 3000) {
		k = 1 + randombytes_uniform(300);
		append(f, size, size + k);
		for (i = size; i < size + k; i++)
			mem_append(m, i);
		size += k;
		assert_int_equal(log_size(f), size);
		/* Every root so far, and some proofs, agree. */
		for (i = size - k + 1; i <= size; i++) {
			assert_int_equal(
			    chanlog_root(f->cl, i, r1), CHANLOG_OK);
			assert_int_equal(merkle_root(&src, i, r2), 0);
			assert_memory_equal(r1, r2, sizeof(r1));
		}
		for (j = 0; j < 10; j++) {
			a = randombytes_uniform((uint32_t)size);
			b = a + 1 + randombytes_uniform((uint32_t)(size - a));
			assert_int_equal(
			    chanlog_inclusion_proof(f->cl, a, b, p1, &n1),
			    CHANLOG_OK);
			assert_int_equal(merkle_inclusion_proof(&src, a, b, p2,
					     MERKLE_MAX_PROOF, &n2),
			    0);
			assert_int_equal(n1, n2);
			assert_memory_equal(p1, p2, n1 * MERKLE_HASH_BYTES);
			assert_int_equal(
			    chanlog_consistency_proof(f->cl, a + 1, b, p1, &n1),
			    CHANLOG_OK);
			assert_int_equal(merkle_consistency_proof(&src, a + 1,
					     b, p2, MERKLE_MAX_PROOF, &n2),
			    0);
			assert_int_equal(n1, n2);
			assert_memory_equal(p1, p2, n1 * MERKLE_HASH_BYTES);
		}
	}
	merkle_mem_free(m);
}

static void
test_single_appends_and_batches_make_the_same_tree(void **state)
{
	struct fx *f = *state;
	uint8_t r1[MERKLE_HASH_BYTES], r2[MERKLE_HASH_BYTES];
	struct merkle_source src;
	struct merkle_mem *m;
	struct event ev;
	uint64_t i, index;

	assert_non_null(m = merkle_mem_new(100));
	merkle_mem_source(m, &src);
	for (i = 0; i < 37; i++) {
		make_event(&ev, i);
		/* Outside an explicit transaction the append commits alone. */
		assert_int_equal(
		    chanlog_append(f->cl, &ev, &index), CHANLOG_OK);
		assert_int_equal(index, i);
		mem_append(m, i);
	}
	assert_int_equal(chanlog_root(f->cl, 37, r1), CHANLOG_OK);
	assert_int_equal(merkle_root(&src, 37, r2), 0);
	assert_memory_equal(r1, r2, sizeof(r1));
	merkle_mem_free(m);
}

static void
test_append_refuses_an_event_that_does_not_encode(void **state)
{
	struct fx *f = *state;
	struct event evs[3];
	uint64_t first;

	make_event(&evs[0], 0);
	make_event(&evs[1], 1);
	make_event(&evs[2], 2);
	evs[1].type = 99; /* unknown */
	assert_int_equal(
	    chanlog_append_batch(f->cl, evs, 3, &first), CHANLOG_ERR);
	assert_int_equal(log_size(f), 0);
	evs[1].type = EVENT_ROLES_CHANGED;
	memcpy(evs[1].member_id, "bob", 4);
	assert_int_equal(chanlog_append(f->cl, &evs[1], &first), CHANLOG_ERR);
	assert_int_equal(
	    chanlog_append_batch(f->cl, evs, 0, &first), CHANLOG_ERR);
	assert_int_equal(
	    chanlog_append_batch(f->cl, evs, CHANLOG_BATCH_MAX + 1, &first),
	    CHANLOG_ERR);
	assert_int_equal(log_size(f), 0);
	assert_true(reported.count > 0);
}

static void
test_a_rolled_back_append_leaves_no_trace(void **state)
{
	struct fx *f = *state;
	uint8_t r1[MERKLE_HASH_BYTES], r2[MERKLE_HASH_BYTES];
	struct merkle_source src;
	struct merkle_mem *m;
	struct event ev;
	uint64_t index, i;

	append(f, 0, 5);
	make_event(&ev, 99);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(chanlog_append(f->cl, &ev, &index), CHANLOG_OK);
	assert_int_equal(index, 5);
	store_rollback(f->s);
	assert_int_equal(log_size(f), 5);
	/* The next append takes the index, and the tree is as if never. */
	append(f, 5, 9);
	assert_non_null(m = merkle_mem_new(16));
	merkle_mem_source(m, &src);
	for (i = 0; i < 9; i++)
		mem_append(m, i);
	assert_int_equal(chanlog_root(f->cl, 9, r1), CHANLOG_OK);
	assert_int_equal(merkle_root(&src, 9, r2), 0);
	assert_memory_equal(r1, r2, sizeof(r1));
	merkle_mem_free(m);
}

static void
test_key_events_record_their_epoch(void **state)
{
	struct fx *f = *state;
	struct store_custody c;
	struct store_member mem;
	struct store_org o;
	struct keys_public k;
	struct event ev;
	uint64_t index, got;

	memset(&o, 0, sizeof(o));
	memcpy(o.id, "state", 6);
	memcpy(o.name, "State", 6);
	assert_int_equal(store_org_insert(f->s, &o), STORE_OK);
	memset(&mem, 0, sizeof(mem));
	memcpy(mem.id, MEMBER_A, sizeof(MEMBER_A));
	memcpy(mem.handle, "alice", 6);
	memcpy(mem.display_name, "Alice", 6);
	memcpy(mem.org_id, "state", 6);
	mem.roles = ROLE_MEMBER;
	assert_int_equal(store_member_insert(f->s, &mem), STORE_OK);
	memset(&c, 0, sizeof(c));
	c.kdf.opslimit = 3;
	c.kdf.memlimit = 1 << 26;
	memset(&k, 9, sizeof(k));
	append(f, 0, 2);

	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = EVENT_MEMBER_ENROLLED;
	ev.time = NOW;
	memcpy(ev.member_id, MEMBER_A, sizeof(MEMBER_A));
	ev.epoch = 1;
	event_keys_hash(ev.keys_hash, &k);
	/* The key history must hold the epoch first. */
	assert_int_equal(chanlog_append(f->cl, &ev, &index), CHANLOG_ERR);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(
	    store_member_activate(f->s, MEMBER_A, &k, &c, NOW), STORE_OK);
	assert_int_equal(chanlog_append(f->cl, &ev, &index), CHANLOG_OK);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(index, 2);
	assert_int_equal(
	    store_log_key_index(f->s, MEMBER_A, 1, &got), STORE_OK);
	assert_int_equal(got, 2);
}

static void
test_the_first_head_is_of_the_empty_tree(void **state)
{
	struct fx *f = *state;
	uint8_t empty[MERKLE_HASH_BYTES];
	struct treehead th;
	int did;

	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_NOTFOUND);
	assert_int_equal(chanlog_sign(f->cl, NOW, &did), CHANLOG_OK);
	assert_int_equal(did, 1);
	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_OK);
	assert_int_equal(th.size, 0);
	assert_int_equal(th.timestamp, NOW);
	assert_string_equal(th.instance_id, INSTANCE);
	assert_int_equal(merkle_empty_root(empty), 0);
	assert_memory_equal(th.root, empty, sizeof(empty));
	assert_int_equal(treehead_verify(&th, f->pk), 0);
}

static void
test_sign_does_nothing_until_the_log_grows(void **state)
{
	struct fx *f = *state;
	struct treehead th;
	int did;

	append(f, 0, 3);
	sign(f, NOW, &th);
	assert_int_equal(th.size, 3);
	assert_int_equal(chanlog_sign(f->cl, NOW + 1, &did), CHANLOG_OK);
	assert_int_equal(did, 0);
	append(f, 3, 4);
	assert_int_equal(chanlog_sign(f->cl, NOW + 2, &did), CHANLOG_OK);
	assert_int_equal(did, 1);
	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_OK);
	assert_int_equal(th.size, 4);
	assert_int_equal(th.timestamp, NOW + 2);
}

static void
test_every_head_is_kept_and_they_are_consistent(void **state)
{
	struct fx *f = *state;
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct treehead heads[6], got;
	size_t nh, i;

	sign(f, NOW, &heads[0]);
	for (i = 1; i < 6; i++) {
		append(f, (i - 1) * 7, i * 7);
		sign(f, NOW + i, &heads[i]);
	}
	for (i = 0; i < 6; i++) {
		assert_int_equal(
		    chanlog_head(f->cl, heads[i].size, &got), CHANLOG_OK);
		assert_memory_equal(&got, &heads[i], sizeof(got));
		assert_int_equal(treehead_verify(&got, f->pk), 0);
	}
	assert_int_equal(chanlog_head(f->cl, 8, &got), CHANLOG_NOTFOUND);
	for (i = 1; i < 5; i++) {
		assert_int_equal(chanlog_consistency_proof(f->cl, heads[i].size,
				     heads[5].size, proof, &nh),
		    CHANLOG_OK);
		assert_int_equal(
		    treehead_check_consistency(&heads[i], &heads[5], proof, nh),
		    0);
	}
	assert_int_equal(
	    treehead_check_consistency(&heads[0], &heads[5], NULL, 0), 0);
}

static void
test_inclusion_proofs_verify_against_the_signed_head(void **state)
{
	struct fx *f = *state;
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct store_log_entry *es;
	struct treehead th;
	size_t nh, n, i;

	append(f, 0, 300);
	sign(f, NOW, &th);
	assert_int_equal(store_log_entries(f->s, 0, 300, &es, &n), STORE_OK);
	assert_int_equal(n, 300);
	for (i = 0; i < n; i += 13) {
		assert_int_equal(
		    chanlog_inclusion_proof(f->cl, i, th.size, proof, &nh),
		    CHANLOG_OK);
		assert_int_equal(treehead_check_inclusion(
				     &th, es[i].event, es[i].len, i, proof, nh),
		    0);
		/* Not at another index. */
		assert_int_not_equal(treehead_check_inclusion(&th, es[i].event,
					 es[i].len, i + 1, proof, nh),
		    0);
	}
	free(es);
}

static void
test_proofs_refuse_sizes_beyond_the_log(void **state)
{
	struct fx *f = *state;
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	size_t nh;

	append(f, 0, 10);
	assert_int_equal(
	    chanlog_inclusion_proof(f->cl, 3, 11, proof, &nh), CHANLOG_ERR);
	assert_int_equal(
	    chanlog_inclusion_proof(f->cl, 10, 10, proof, &nh), CHANLOG_ERR);
	assert_int_equal(
	    chanlog_consistency_proof(f->cl, 0, 10, proof, &nh), CHANLOG_ERR);
	assert_int_equal(
	    chanlog_consistency_proof(f->cl, 5, 4, proof, &nh), CHANLOG_ERR);
	assert_int_equal(
	    chanlog_consistency_proof(f->cl, 5, 11, proof, &nh), CHANLOG_ERR);
}

static void
test_head_timestamps_never_go_backwards(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	append(f, 0, 1);
	sign(f, NOW, &th);
	append(f, 1, 2);
	/* The clock stepped back: the head keeps the later time. */
	sign(f, NOW - 100, &th);
	assert_int_equal(th.size, 2);
	assert_int_equal(th.timestamp, NOW);
	assert_int_equal(treehead_verify(&th, f->pk), 0);
}

static void
test_open_checks_and_keeps_the_latest_head(void **state)
{
	struct fx *f = *state;
	struct treehead th, got;

	append(f, 0, 21);
	sign(f, NOW, &th);
	append(f, 21, 30);
	assert_int_equal(reopen(f), 0);
	assert_int_equal(chanlog_latest(f->cl, &got), CHANLOG_OK);
	assert_memory_equal(&got, &th, sizeof(th));
}

static void
test_open_refuses_a_log_with_fewer_entries_than_its_head(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	append(f, 0, 20);
	sign(f, NOW, &th);
	/* A database rolled back to a copy taken at 17 entries. */
	raw_exec(f, "DELETE FROM log_entries WHERE idx >= 17");
	assert_int_equal(reopen(f), -1);
	assert_non_null(strstr(f->err, "rolled back"));
	assert_non_null(strstr(f->err, "17"));
}

static void
test_open_refuses_an_altered_node(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	append(f, 0, 20);
	sign(f, NOW, &th);
	/* 20 = 16 + 4: the root reads (4, 0) and (2, 4). */
	raw_exec(f, "UPDATE log_nodes SET hash = zeroblob(32) "
		    "WHERE level = 4 AND idx = 0");
	assert_int_equal(reopen(f), -1);
	assert_non_null(strstr(f->err, "altered"));
}

static void
test_open_refuses_an_altered_last_leaf(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	/* 21 = 16 + 4 + 1: the last leaf is on the right edge. */
	append(f, 0, 21);
	sign(f, NOW, &th);
	raw_exec(f, "UPDATE log_entries SET leaf_hash = zeroblob(32) "
		    "WHERE idx = 20");
	assert_int_equal(reopen(f), -1);
	assert_non_null(strstr(f->err, "altered"));
}

static void
test_open_refuses_a_missing_node(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	append(f, 0, 20);
	sign(f, NOW, &th);
	raw_exec(f, "DELETE FROM log_nodes WHERE level = 2 AND idx = 4");
	assert_int_equal(reopen(f), -1);
	assert_non_null(strstr(f->err, "missing"));
}

static void
test_open_refuses_a_head_the_key_did_not_sign(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	append(f, 0, 5);
	sign(f, NOW, &th);
	/* A root edited together with the tree would still need the key. */
	raw_exec(f, "UPDATE log_heads SET timestamp = timestamp + 1");
	assert_int_equal(reopen(f), -1);
	assert_non_null(strstr(f->err, "does not verify"));
}

static void
test_open_refuses_another_server_key(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	append(f, 0, 5);
	sign(f, NOW, &th);
	crypto_sign_keypair(f->pk, f->sk);
	assert_int_equal(reopen(f), -1);
	assert_non_null(strstr(f->err, "does not verify"));
}

static void
test_open_accepts_a_log_that_was_never_signed(void **state)
{
	struct fx *f = *state;

	append(f, 0, 5);
	assert_int_equal(reopen(f), 0);
}

static void
test_open_refuses_bad_arguments(void **state)
{
	struct fx *f = *state;
	struct chanlog *cl;
	char id[TREEHEAD_INSTANCE_ID_MAX + 2];

	assert_int_equal(
	    chanlog_open(&cl, f->s, "", f->sk, f->err, sizeof(f->err)), -1);
	memset(id, 'a', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';
	assert_int_equal(
	    chanlog_open(&cl, f->s, id, f->sk, f->err, sizeof(f->err)), -1);
	assert_int_equal(
	    chanlog_open(&cl, NULL, INSTANCE, f->sk, f->err, sizeof(f->err)),
	    -1);
}

static void
test_sign_refuses_a_tree_that_does_not_extend_its_head(void **state)
{
	struct fx *f = *state;
	struct treehead th, after;
	int did;

	append(f, 0, 16);
	sign(f, NOW, &th);
	/* The perfect subtree the head's root is made of, changed behind
	 * the server's back; then the log grows. */
	raw_exec(f, "UPDATE log_nodes SET hash = zeroblob(32) "
		    "WHERE level = 4 AND idx = 0");
	append(f, 16, 17);
	reported.count = 0;
	assert_int_equal(chanlog_sign(f->cl, NOW + 1, &did), CHANLOG_ERR);
	assert_int_equal(did, 0);
	assert_int_equal(reported.count, 1);
	assert_non_null(strstr(reported.last, "does not extend"));
	assert_int_equal(chanlog_latest(f->cl, &after), CHANLOG_OK);
	assert_int_equal(after.size, 16);
}

static void
test_sign_refuses_a_log_that_shrank(void **state)
{
	struct fx *f = *state;
	struct treehead th;
	int did;

	append(f, 0, 8);
	sign(f, NOW, &th);
	raw_exec(f, "DELETE FROM log_entries WHERE idx >= 6");
	assert_int_equal(chanlog_sign(f->cl, NOW + 1, &did), CHANLOG_ERR);
	assert_non_null(strstr(reported.last, "refusing to sign"));
}

/* Milliseconds of CLOCK_MONOTONIC. */
static uint64_t
mono_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static void
test_signer_covers_committed_events_for_waiters(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	assert_int_equal(chanlog_signer_start(f->cl, 10), 0);
	append(f, 0, 3);
	assert_int_equal(chanlog_wait_for_head(f->cl, 3, 5000), 0);
	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_OK);
	assert_true(th.size >= 3);
	assert_int_equal(treehead_verify(&th, f->pk), 0);
	append(f, 3, 4);
	assert_int_equal(chanlog_wait_for_head(f->cl, 4, 5000), 0);
	chanlog_signer_stop(f->cl);
}

static void
test_signer_keeps_its_interval(void **state)
{
	struct fx *f = *state;
	uint64_t t0, t1;

	assert_int_equal(chanlog_signer_start(f->cl, 300), 0);
	append(f, 0, 1);
	assert_int_equal(chanlog_wait_for_head(f->cl, 1, 5000), 0);
	t0 = mono_ms();
	append(f, 1, 2);
	assert_int_equal(chanlog_wait_for_head(f->cl, 2, 5000), 0);
	t1 = mono_ms();
	/* The next head came no sooner than the interval allowed. */
	assert_true(t1 - t0 >= 250);
	chanlog_signer_stop(f->cl);
}

static void
test_wait_times_out_for_a_size_never_reached(void **state)
{
	struct fx *f = *state;
	uint64_t t0;

	assert_int_equal(chanlog_signer_start(f->cl, 10), 0);
	append(f, 0, 2);
	t0 = mono_ms();
	assert_int_equal(chanlog_wait_for_head(f->cl, 3, 100), -1);
	assert_true(mono_ms() - t0 >= 90);
	chanlog_signer_stop(f->cl);
}

static void
test_wait_without_a_signer_signs_at_once(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	append(f, 0, 5);
	assert_int_equal(chanlog_wait_for_head(f->cl, 5, 0), 0);
	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_OK);
	assert_int_equal(th.size, 5);
	assert_int_equal(chanlog_wait_for_head(f->cl, 6, 0), -1);
}

static void
test_stopping_the_signer_covers_what_was_committed(void **state)
{
	struct fx *f = *state;
	struct treehead th;

	/* A long interval: only the stop can sign the second head. */
	assert_int_equal(chanlog_signer_start(f->cl, CHANLOG_INTERVAL_MAX), 0);
	assert_int_equal(chanlog_wait_for_head(f->cl, 0, 5000), 0);
	append(f, 0, 4);
	chanlog_signer_stop(f->cl);
	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_OK);
	assert_int_equal(th.size, 4);
	/* Stopping twice is harmless. */
	chanlog_signer_stop(f->cl);
}

static void
test_signer_refuses_a_bad_interval_or_a_second_start(void **state)
{
	struct fx *f = *state;

	assert_int_equal(chanlog_signer_start(f->cl, 0), -1);
	assert_int_equal(
	    chanlog_signer_start(f->cl, CHANLOG_INTERVAL_MAX + 1), -1);
	assert_int_equal(chanlog_signer_start(f->cl, 50), 0);
	assert_int_equal(chanlog_signer_start(f->cl, 50), -1);
	chanlog_signer_stop(f->cl);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_batches_build_the_rfc9162_tree),
	    T(test_single_appends_and_batches_make_the_same_tree),
	    T(test_append_refuses_an_event_that_does_not_encode),
	    T(test_a_rolled_back_append_leaves_no_trace),
	    T(test_key_events_record_their_epoch),
	    T(test_the_first_head_is_of_the_empty_tree),
	    T(test_sign_does_nothing_until_the_log_grows),
	    T(test_every_head_is_kept_and_they_are_consistent),
	    T(test_inclusion_proofs_verify_against_the_signed_head),
	    T(test_proofs_refuse_sizes_beyond_the_log),
	    T(test_head_timestamps_never_go_backwards),
	    T(test_open_checks_and_keeps_the_latest_head),
	    T(test_open_refuses_a_log_with_fewer_entries_than_its_head),
	    T(test_open_refuses_an_altered_node),
	    T(test_open_refuses_an_altered_last_leaf),
	    T(test_open_refuses_a_missing_node),
	    T(test_open_refuses_a_head_the_key_did_not_sign),
	    T(test_open_refuses_another_server_key),
	    T(test_open_accepts_a_log_that_was_never_signed),
	    T(test_open_refuses_bad_arguments),
	    T(test_sign_refuses_a_tree_that_does_not_extend_its_head),
	    T(test_sign_refuses_a_log_that_shrank),
	    T(test_signer_covers_committed_events_for_waiters),
	    T(test_signer_keeps_its_interval),
	    T(test_wait_times_out_for_a_size_never_reached),
	    T(test_wait_without_a_signer_signs_at_once),
	    T(test_stopping_the_signer_covers_what_was_committed),
	    T(test_signer_refuses_a_bad_interval_or_a_second_start),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
