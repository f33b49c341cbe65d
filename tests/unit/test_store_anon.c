/*
 * The anonymous co-signature part of the storage interface (store.h,
 * "Anonymous co-signatures") on its SQLite backend: ring snapshots pinned
 * from the directory, anonymous signature rows, their limits and
 * refusals, damaged rows, and what the schema cannot hold (who signed, or
 * when).  Each test has a fresh database in a directory of its own under
 * $TMPDIR.
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

#include "access.h"
#include "directory.h"
#include "lifecycle.h"
#include "memo.h"
#include "ring.h"
#include "store.h"

#define NOW 1764400000
#define NMEMBERS 8

typedef char member_id[DIRECTORY_MEMBER_ID_LEN + 1];

/*
 * Members: 0-3 of "state", active and eligible; 4 of "usaid", active and
 * eligible; 5 of "state", pending; 6 of "state", active but not eligible;
 * 7 of "state", suspended.  The memo is of "state" and "usaid"; the other
 * memo of "other" (nobody qualifies).
 */
struct fx {
	char dir[PATH_MAX / 2];
	char path[PATH_MAX];
	struct store *s;
	member_id id[NMEMBERS];
	struct keys_public keys[NMEMBERS];
	struct store_memo memo, other;
	uint8_t box[64];
};

static struct {
	int count;
	char all[4096];
} logged;

static void
capture(void *ctx, const char *msg)
{
	size_t used = strlen(logged.all);

	(void)ctx;
	logged.count++;
	(void)snprintf(
	    logged.all + used, sizeof(logged.all) - used, "%s\n", msg);
}

static void
add_org(struct store *s, const char *id)
{
	struct store_org org;

	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "%s", id);
	(void)snprintf(org.name, sizeof(org.name), "Org %s", id);
	org.created_at = NOW;
	assert_int_equal(store_org_insert(s, &org), STORE_OK);
}

static void
make_custody(struct store_custody *c)
{

	memset(c, 0, sizeof(*c));
	randombytes_buf(c->kdf.salt, sizeof(c->kdf.salt));
	c->kdf.opslimit = 3;
	c->kdf.memlimit = 64ULL * 1024 * 1024;
	randombytes_buf(c->verifier, sizeof(c->verifier));
	randombytes_buf(c->wrapped_seed, sizeof(c->wrapped_seed));
	randombytes_buf(c->recovery_verifier, sizeof(c->recovery_verifier));
	randombytes_buf(
	    c->recovery_wrapped_seed, sizeof(c->recovery_wrapped_seed));
}

/* Member ${i}: insert it, and unless ${pending} activate it. */
static void
add_member(struct fx *f, size_t i, const char *org, int eligible, int pending)
{
	struct store_custody c;
	struct store_member m;

	memset(&m, 0, sizeof(m));
	directory_member_id_new(m.id);
	(void)snprintf(m.handle, sizeof(m.handle), "member%zu", i);
	(void)snprintf(m.display_name, sizeof(m.display_name), "M %zu", i);
	(void)snprintf(m.org_id, sizeof(m.org_id), "%s", org);
	m.roles = ROLE_MEMBER;
	m.eligible = eligible;
	m.created_at = NOW;
	assert_int_equal(store_member_insert(f->s, &m), STORE_OK);
	memcpy(f->id[i], m.id, sizeof(m.id));
	randombytes_buf(&f->keys[i], sizeof(f->keys[i]));
	if (pending)
		return;
	make_custody(&c);
	assert_int_equal(
	    store_member_activate(f->s, m.id, &f->keys[i], &c, NOW), STORE_OK);
}

/* Insert the memo ${m} of ${orgs} (comma-free ids, ${n} of them). */
static void
add_memo(struct fx *f, struct store_memo *m, const char *const *orgs, size_t n)
{
	struct store_memo_version v;
	size_t i;

	memset(m, 0, sizeof(*m));
	memset(&v, 0, sizeof(v));
	memo_id_new(m->id);
	m->state = MEMO_STATE_DRAFT;
	(void)snprintf(m->topic, sizeof(m->topic), "policy");
	(void)snprintf(m->marking, sizeof(m->marking), "SBU");
	(void)snprintf(m->org_id, sizeof(m->org_id), "state");
	for (i = 0; i < n; i++)
		(void)snprintf(m->eligible_orgs[i], sizeof(m->eligible_orgs[i]),
		    "%s", orgs[i]);
	m->neligible_orgs = n;
	randombytes_buf(m->roster_pk, sizeof(m->roster_pk));
	m->version = 1;
	randombytes_buf(m->version_hash, sizeof(m->version_hash));
	m->created_at = NOW;
	v.version = 1;
	memcpy(v.hash, m->version_hash, sizeof(v.hash));
	memcpy(v.author, f->id[0], sizeof(v.author));
	v.created_at = NOW;
	v.box = f->box;
	v.boxlen = sizeof(f->box);
	assert_int_equal(store_memo_insert(f->s, m, &v, f->id[0]), STORE_OK);
}

/* Add version 2 of ${f}'s memo (its hash into the memo). */
static void
add_version(struct fx *f)
{
	struct store_memo_version v;

	memset(&v, 0, sizeof(v));
	v.version = 2;
	randombytes_buf(v.hash, sizeof(v.hash));
	memcpy(v.author, f->id[0], sizeof(v.author));
	v.created_at = NOW + 1;
	v.box = f->box;
	v.boxlen = sizeof(f->box);
	assert_int_equal(
	    store_memo_version_put(f->s, f->memo.id, &v), STORE_OK);
	f->memo.version = 2;
	memcpy(f->memo.version_hash, v.hash, sizeof(v.hash));
	assert_int_equal(store_memo_update(f->s, &f->memo), STORE_OK);
}

static int
setup(void **state)
{
	static const char *const orgs[] = {"state", "usaid"};
	static const char *const other[] = {"other"};
	const char *tmp = getenv("TMPDIR");
	struct fx *f;
	size_t i;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_anon.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return (-1);
	}
	(void)snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	if (store_open(&f->s, f->path, NOW) != 0) {
		(void)rmdir(f->dir);
		free(f);
		return (-1);
	}
	store_set_log(capture, NULL);
	memset(&logged, 0, sizeof(logged));
	add_org(f->s, "state");
	add_org(f->s, "usaid");
	add_org(f->s, "other");
	for (i = 0; i < 4; i++)
		add_member(f, i, "state", 1, 0);
	add_member(f, 4, "usaid", 1, 0);
	add_member(f, 5, "state", 1, 1);
	add_member(f, 6, "state", 0, 0);
	add_member(f, 7, "state", 1, 0);
	assert_int_equal(
	    store_member_set_status(f->s, f->id[7], STORE_MEMBER_SUSPENDED),
	    STORE_OK);
	add_memo(f, &f->memo, orgs, 2);
	add_memo(f, &f->other, other, 1);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[PATH_MAX + 16];

	store_free(f->s);
	store_set_log(NULL, NULL);
	(void)unlink(f->path);
	(void)snprintf(p, sizeof(p), "%s-wal", f->path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", f->path);
	(void)unlink(p);
	(void)rmdir(f->dir);
	free(f);
	return (0);
}

/* Run ${sql} on ${f}'s database over a raw connection. */
static void
raw_exec(struct fx *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The single integer ${sql} returns on ${f}'s database. */
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

/* 1 if ${sql} prepares on ${f}'s database. */
static int
raw_prepares(struct fx *f, const char *sql)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	int rc;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	(void)sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return (rc == SQLITE_OK);
}

/* The index in ${f} of the member ${id}, or NMEMBERS. */
static size_t
member_index(const struct fx *f, const char *id)
{
	size_t i;

	for (i = 0; i < NMEMBERS; i++)
		if (strcmp(f->id[i], id) == 0)
			break;
	return (i);
}

/*
 * An anonymous signature row of ${nring} random keys over ${version} with
 * the tag byte ${t} (the rest of the tag zero), into ${a}; the buffers are
 * ${ring} and ${sig}.
 */
static void
make_anon(struct store_anon_signature *a, uint8_t t, uint32_t version,
    const uint8_t hash[MEMO_HASH_BYTES], uint8_t (*ring)[RING_PK_BYTES],
    size_t nring, uint8_t *sig)
{

	memset(a, 0, sizeof(*a));
	a->tag[0] = t;
	a->version = version;
	memcpy(a->version_hash, hash, MEMO_HASH_BYTES);
	randombytes_buf(ring, nring * RING_PK_BYTES);
	randombytes_buf(sig, RING_SIG_BYTES(nring));
	a->ring = ring;
	a->nring = nring;
	a->sig = sig;
	a->siglen = RING_SIG_BYTES(nring);
}

static void
test_pin_takes_the_active_eligible_enrolled_members_of_the_orgs(void **state)
{
	struct fx *f = *state;
	struct store_ring_member *ms;
	uint64_t size;
	size_t n, i, k;

	assert_int_equal(
	    store_memo_ring_pin(f->s, f->memo.id, 17, &n), STORE_OK);
	assert_int_equal(n, 5);
	assert_int_equal(
	    store_memo_ring_tree_size(f->s, f->memo.id, &size), STORE_OK);
	assert_int_equal(size, 17);
	assert_int_equal(
	    store_memo_ring(f->s, f->memo.id, &size, &ms, &n), STORE_OK);
	assert_int_equal(size, 17);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		/* Members 0 to 4 only, with their keys, by ring key. */
		k = member_index(f, ms[i].member_id);
		assert_true(k <= 4);
		assert_int_equal(ms[i].epoch, 1);
		assert_memory_equal(
		    &ms[i].keys, &f->keys[k], sizeof(ms[i].keys));
		if (i > 0)
			assert_true(memcmp(ms[i - 1].keys.ring_pk,
					ms[i].keys.ring_pk, RING_PK_BYTES) < 0);
	}
	free(ms);
}

static void
test_pin_takes_the_current_key_epoch(void **state)
{
	struct fx *f = *state;
	struct store_ring_member *ms;
	struct keys_public k2;
	struct store_custody c;
	uint64_t size;
	size_t n, i, found = 0;

	randombytes_buf(&k2, sizeof(k2));
	make_custody(&c);
	assert_int_equal(
	    store_member_rotate_keys(f->s, f->id[2], 2, &k2, &c, NOW + 1),
	    STORE_OK);
	assert_int_equal(
	    store_memo_ring_pin(f->s, f->memo.id, 3, &n), STORE_OK);
	assert_int_equal(
	    store_memo_ring(f->s, f->memo.id, &size, &ms, &n), STORE_OK);
	for (i = 0; i < n; i++) {
		if (strcmp(ms[i].member_id, f->id[2]) != 0)
			continue;
		found++;
		assert_int_equal(ms[i].epoch, 2);
		assert_memory_equal(&ms[i].keys, &k2, sizeof(k2));
	}
	assert_int_equal(found, 1);
	free(ms);
}

static void
test_pin_refusals_change_nothing(void **state)
{
	struct fx *f = *state;
	struct store_ring_member *ms;
	char unknown[MEMO_ID_LEN + 1];
	uint64_t size;
	size_t n;

	/* No snapshot yet. */
	assert_int_equal(
	    store_memo_ring_tree_size(f->s, f->memo.id, &size), STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_ring(f->s, f->memo.id, &size, &ms, &n), STORE_NOTFOUND);
	assert_null(ms);
	/* Unknown memo, or a tree size out of range. */
	memo_id_new(unknown);
	assert_int_equal(
	    store_memo_ring_pin(f->s, unknown, 1, &n), STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_ring_pin(f->s, "not a memo", 1, &n), STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_ring_pin(f->s, f->memo.id, STORE_LOG_SIZE_MAX, &n),
	    STORE_ERR);
	/* Pinned once: a second pin is a conflict and changes nothing. */
	assert_int_equal(
	    store_memo_ring_pin(f->s, f->memo.id, 4, &n), STORE_OK);
	assert_int_equal(
	    store_memo_ring_pin(f->s, f->memo.id, 9, &n), STORE_CONFLICT);
	assert_int_equal(n, 0);
	assert_int_equal(
	    store_memo_ring_tree_size(f->s, f->memo.id, &size), STORE_OK);
	assert_int_equal(size, 4);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM memo_ring_members"), 5);
}

static void
test_pin_of_a_memo_nobody_qualifies_for_is_empty(void **state)
{
	struct fx *f = *state;
	struct store_ring_member *ms;
	uint64_t size;
	size_t n;

	assert_int_equal(
	    store_memo_ring_pin(f->s, f->other.id, 6, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(
	    store_memo_ring(f->s, f->other.id, &size, &ms, &n), STORE_OK);
	assert_int_equal(size, 6);
	assert_int_equal(n, 0);
	free(ms);
}

static void
test_pin_with_two_members_sharing_a_ring_key_is_refused(void **state)
{
	struct fx *f = *state;
	uint64_t size;
	size_t n;

	raw_exec(f, "UPDATE members SET ring_pk = (SELECT ring_pk FROM "
		    "members WHERE handle = 'member0') WHERE handle = "
		    "'member1'");
	assert_int_equal(
	    store_memo_ring_pin(f->s, f->memo.id, 2, &n), STORE_CONFLICT);
	assert_int_equal(
	    store_memo_ring_tree_size(f->s, f->memo.id, &size), STORE_NOTFOUND);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM memo_ring_members"), 0);
}

static void
test_a_rolled_back_pin_leaves_no_snapshot(void **state)
{
	struct fx *f = *state;
	uint64_t size;
	size_t n;

	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(
	    store_memo_ring_pin(f->s, f->memo.id, 2, &n), STORE_OK);
	store_rollback(f->s);
	assert_int_equal(
	    store_memo_ring_tree_size(f->s, f->memo.id, &size), STORE_NOTFOUND);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM memo_ring_members"), 0);
}

static void
test_ring_holds_only_keys_of_the_snapshot(void **state)
{
	struct fx *f = *state;
	uint8_t keys[3][RING_PK_BYTES];
	size_t n;

	memcpy(keys[0], f->keys[0].ring_pk, RING_PK_BYTES);
	memcpy(keys[1], f->keys[4].ring_pk, RING_PK_BYTES);
	memcpy(keys[2], f->keys[6].ring_pk, RING_PK_BYTES);
	/* Before the pin, nothing holds. */
	assert_int_equal(store_memo_ring_holds(f->s, f->memo.id,
			     (const uint8_t(*)[RING_PK_BYTES])keys, 2),
	    STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_ring_pin(f->s, f->memo.id, 2, &n), STORE_OK);
	assert_int_equal(store_memo_ring_holds(f->s, f->memo.id,
			     (const uint8_t(*)[RING_PK_BYTES])keys, 2),
	    STORE_OK);
	/* Member 6 is not eligible: not in the snapshot. */
	assert_int_equal(store_memo_ring_holds(f->s, f->memo.id,
			     (const uint8_t(*)[RING_PK_BYTES])keys, 3),
	    STORE_NOTFOUND);
	/* Another memo's snapshot is another. */
	assert_int_equal(
	    store_memo_ring_pin(f->s, f->other.id, 2, &n), STORE_OK);
	assert_int_equal(store_memo_ring_holds(f->s, f->other.id,
			     (const uint8_t(*)[RING_PK_BYTES])keys, 1),
	    STORE_NOTFOUND);
}

static void
test_anon_put_get_replace_and_delete(void **state)
{
	struct fx *f = *state;
	uint8_t ring[3][RING_PK_BYTES], sig[RING_SIG_BYTES(3)];
	uint8_t ring2[2][RING_PK_BYTES], sig2[RING_SIG_BYTES(2)];
	struct store_anon_signature a, b, back;
	uint32_t c;

	make_anon(&a, 7, 1, f->memo.version_hash, ring, 3, sig);
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_OK);
	assert_int_equal(
	    store_anon_signature_get(f->s, f->memo.id, a.tag, &back), STORE_OK);
	assert_int_equal(back.version, 1);
	assert_memory_equal(back.version_hash, a.version_hash, MEMO_HASH_BYTES);
	assert_int_equal(back.nring, 3);
	assert_memory_equal(back.ring, ring, sizeof(ring));
	assert_int_equal(back.siglen, sizeof(sig));
	assert_memory_equal(back.sig, sig, sizeof(sig));
	store_anon_signature_clear(&back);
	assert_null(back.ring);

	/* The same tag over version 2 replaces it, ring and all. */
	add_version(f);
	make_anon(&b, 7, 2, f->memo.version_hash, ring2, 2, sig2);
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &b), STORE_OK);
	assert_int_equal(
	    store_anon_signature_count(f->s, f->memo.id, 0, &c), STORE_OK);
	assert_int_equal(c, 1);
	assert_int_equal(
	    store_anon_signature_get(f->s, f->memo.id, a.tag, &back), STORE_OK);
	assert_int_equal(back.version, 2);
	assert_int_equal(back.nring, 2);
	assert_memory_equal(back.sig, sig2, sizeof(sig2));
	store_anon_signature_clear(&back);

	assert_int_equal(
	    store_anon_signature_delete(f->s, f->memo.id, a.tag), STORE_OK);
	assert_int_equal(store_anon_signature_delete(f->s, f->memo.id, a.tag),
	    STORE_NOTFOUND);
	assert_int_equal(
	    store_anon_signature_get(f->s, f->memo.id, a.tag, &back),
	    STORE_NOTFOUND);
	assert_null(back.sig);
}

static void
test_anon_put_refuses_bad_rows_and_unknown_versions(void **state)
{
	struct fx *f = *state;
	uint8_t ring[2][RING_PK_BYTES], sig[RING_SIG_BYTES(2)];
	struct store_anon_signature a;
	char unknown[MEMO_ID_LEN + 1];

	make_anon(&a, 1, 2, f->memo.version_hash, ring, 2, sig);
	/* Version 2 does not exist yet. */
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_NOTFOUND);
	memo_id_new(unknown);
	a.version = 1;
	assert_int_equal(
	    store_anon_signature_put(f->s, unknown, &a), STORE_NOTFOUND);
	/* A ring of one, a signature of the wrong length, version 0. */
	memset(&logged, 0, sizeof(logged));
	a.nring = 1;
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_ERR);
	a.nring = 2;
	a.siglen--;
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_ERR);
	a.siglen++;
	a.version = 0;
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_ERR);
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, NULL), STORE_ERR);
	assert_int_equal(logged.count, 4);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM memo_anon_signatures"), 0);
}

static void
test_anon_beyond_the_limit_is_conflict_but_replacing_fits(void **state)
{
	struct fx *f = *state;
	uint8_t ring[2][RING_PK_BYTES], sig[RING_SIG_BYTES(2)];
	struct store_anon_signature a;
	uint32_t c;
	size_t i;

	make_anon(&a, 0, 1, f->memo.version_hash, ring, 2, sig);
	assert_int_equal(store_begin(f->s), 0);
	for (i = 0; i < STORE_ANON_SIGNATURES_MAX; i++) {
		a.tag[0] = (uint8_t)(i & 0xff);
		a.tag[1] = (uint8_t)(i >> 8);
		assert_int_equal(
		    store_anon_signature_put(f->s, f->memo.id, &a), STORE_OK);
	}
	assert_int_equal(store_commit(f->s), 0);
	a.tag[2] = 1;
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_CONFLICT);
	a.tag[2] = 0;
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_OK);
	assert_int_equal(
	    store_anon_signature_count(f->s, f->memo.id, 1, &c), STORE_OK);
	assert_int_equal(c, STORE_ANON_SIGNATURES_MAX);
}

static void
test_anon_pages_run_in_tag_order_from_a_cursor(void **state)
{
	struct fx *f = *state;
	uint8_t ring[2][RING_PK_BYTES], sig[RING_SIG_BYTES(2)];
	struct store_anon_signature a, *as;
	uint8_t cursor[RING_TAG_BYTES];
	size_t n, i, total = 0;
	int t;

	make_anon(&a, 0, 1, f->memo.version_hash, ring, 2, sig);
	/* Tags 0xc8 down to 1, put in descending order. */
	for (t = 200; t >= 1; t--) {
		a.tag[0] = (uint8_t)t;
		assert_int_equal(
		    store_anon_signature_put(f->s, f->memo.id, &a), STORE_OK);
	}
	assert_int_equal(store_anon_signature_page(f->s, f->memo.id, NULL,
			     STORE_ANON_PAGE_MAX, &as, &n),
	    STORE_OK);
	for (;;) {
		for (i = 0; i < n; i++) {
			total++;
			assert_int_equal(as[i].tag[0], total);
			assert_int_equal(as[i].nring, 2);
		}
		if (n < STORE_ANON_PAGE_MAX) {
			store_anon_signatures_free(as, n);
			break;
		}
		memcpy(cursor, as[n - 1].tag, sizeof(cursor));
		store_anon_signatures_free(as, n);
		assert_int_equal(store_anon_signature_page(f->s, f->memo.id,
				     cursor, STORE_ANON_PAGE_MAX, &as, &n),
		    STORE_OK);
	}
	assert_int_equal(total, 200);
	/* Page sizes out of range are refused. */
	assert_int_equal(
	    store_anon_signature_page(f->s, f->memo.id, NULL, 0, &as, &n),
	    STORE_ERR);
	assert_int_equal(store_anon_signature_page(f->s, f->memo.id, NULL,
			     STORE_ANON_PAGE_MAX + 1, &as, &n),
	    STORE_ERR);
	store_anon_signatures_free(NULL, 0);
}

static void
test_anon_counts_by_version_and_prune_keeps_the_current(void **state)
{
	struct fx *f = *state;
	uint8_t ring[2][RING_PK_BYTES], sig[RING_SIG_BYTES(2)];
	uint8_t v1[MEMO_HASH_BYTES];
	struct store_anon_signature a;
	uint32_t c;

	memcpy(v1, f->memo.version_hash, sizeof(v1));
	make_anon(&a, 1, 1, v1, ring, 2, sig);
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_OK);
	a.tag[0] = 2;
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_OK);
	add_version(f);
	a.tag[0] = 3;
	a.version = 2;
	memcpy(a.version_hash, f->memo.version_hash, MEMO_HASH_BYTES);
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_OK);
	assert_int_equal(
	    store_anon_signature_count(f->s, f->memo.id, 2, &c), STORE_OK);
	assert_int_equal(c, 1);
	assert_int_equal(
	    store_anon_signature_count(f->s, f->memo.id, 1, &c), STORE_OK);
	assert_int_equal(c, 2);
	assert_int_equal(
	    store_anon_signature_count(f->s, f->memo.id, 0, &c), STORE_OK);
	assert_int_equal(c, 3);
	assert_int_equal(
	    store_anon_signature_prune(f->s, f->memo.id, 2), STORE_OK);
	assert_int_equal(
	    store_anon_signature_count(f->s, f->memo.id, 0, &c), STORE_OK);
	assert_int_equal(c, 1);
	assert_int_equal(
	    store_anon_signature_count(f->s, f->memo.id, 2, &c), STORE_OK);
	assert_int_equal(c, 1);
}

static void
test_anon_rows_hold_no_member_time_or_arrival_order(void **state)
{
	struct fx *f = *state;

	/* Exactly these columns; and no rowid, so no insertion order. */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM pragma_table_info("
				    "'memo_anon_signatures')"),
	    6);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM pragma_table_info("
		       "'memo_anon_signatures') WHERE name IN ('memo_id', "
		       "'tag', 'version', 'version_hash', 'ring', "
		       "'signature')"),
	    6);
	assert_true(raw_prepares(f, "SELECT tag FROM memo_anon_signatures"));
	assert_false(raw_prepares(f, "SELECT rowid FROM memo_anon_signatures"));
	/* No column names a member, a session, a time or an address. */
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM pragma_table_info("
		       "'memo_anon_signatures') WHERE name LIKE '%member%' OR "
		       "name LIKE '%session%' OR name LIKE '%time%' OR name "
		       "LIKE '%_at' OR name LIKE '%addr%'"),
	    0);
}

static void
test_a_damaged_anonymous_row_is_an_error(void **state)
{
	struct fx *f = *state;
	uint8_t ring[2][RING_PK_BYTES], sig[RING_SIG_BYTES(2)];
	struct store_anon_signature a, back, *as;
	size_t n;

	make_anon(&a, 9, 1, f->memo.version_hash, ring, 2, sig);
	assert_int_equal(
	    store_anon_signature_put(f->s, f->memo.id, &a), STORE_OK);
	/* A signature one key short of its ring. */
	raw_exec(f, "PRAGMA ignore_check_constraints = ON; "
		    "UPDATE memo_anon_signatures SET signature = "
		    "substr(signature, 1, length(signature) - 32);");
	memset(&logged, 0, sizeof(logged));
	assert_int_equal(
	    store_anon_signature_get(f->s, f->memo.id, a.tag, &back),
	    STORE_ERR);
	assert_null(back.ring);
	assert_int_equal(store_anon_signature_page(f->s, f->memo.id, NULL,
			     STORE_ANON_PAGE_MAX, &as, &n),
	    STORE_ERR);
	assert_null(as);
	assert_true(logged.count >= 2);
	assert_non_null(strstr(logged.all, "signature"));
	/* A ring that is not whole keys. */
	raw_exec(f, "PRAGMA ignore_check_constraints = ON; "
		    "UPDATE memo_anon_signatures SET ring = "
		    "substr(ring, 1, 40), signature = zeroblob(104);");
	assert_int_equal(
	    store_anon_signature_get(f->s, f->memo.id, a.tag, &back),
	    STORE_ERR);
	assert_non_null(strstr(logged.all, "ring"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_pin_takes_the_active_eligible_enrolled_members_of_the_orgs),
	    T(test_pin_takes_the_current_key_epoch),
	    T(test_pin_refusals_change_nothing),
	    T(test_pin_of_a_memo_nobody_qualifies_for_is_empty),
	    T(test_pin_with_two_members_sharing_a_ring_key_is_refused),
	    T(test_a_rolled_back_pin_leaves_no_snapshot),
	    T(test_ring_holds_only_keys_of_the_snapshot),
	    T(test_anon_put_get_replace_and_delete),
	    T(test_anon_put_refuses_bad_rows_and_unknown_versions),
	    T(test_anon_beyond_the_limit_is_conflict_but_replacing_fits),
	    T(test_anon_pages_run_in_tag_order_from_a_cursor),
	    T(test_anon_counts_by_version_and_prune_keeps_the_current),
	    T(test_anon_rows_hold_no_member_time_or_arrival_order),
	    T(test_a_damaged_anonymous_row_is_an_error),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
