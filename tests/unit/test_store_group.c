/*
 * Group commit (store.h, store_group_run()) on the SQLite backend: many
 * threads writing named signatures at once share transactions; every
 * acknowledged write is stored, a refused commit fails and stores every
 * member of its group, a member that undoes its work undoes only its own,
 * and ordinary transactions interleave with groups.  Each test has a fresh
 * database in a directory of its own under $TMPDIR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "access.h"
#include "directory.h"
#include "lifecycle.h"
#include "memo.h"
#include "store.h"

#define NOW 1764400000
#define THREADS 12
#define PER_THREAD 40

struct fx {
	char dir[PATH_MAX];
	char path[PATH_MAX];
	struct store *s;
	char memo_id[MEMO_ID_LEN + 1];
	uint8_t box[64];
	/* Commits seen by the hook, and whether it refuses them. */
	pthread_mutex_t lock;
	int commits;
	int refuse;
};

/* One thread's work: PER_THREAD signatures, each a group member. */
struct worker {
	struct fx *f;
	int index;
	/* Members with an odd number undo their write (fn returns 1). */
	int odd_fail;
	/* Use store_begin()/store_commit() instead of a group. */
	int plain;
	struct store_signature sig[PER_THREAD];
	int result[PER_THREAD];
};

struct member_arg {
	struct fx *f;
	const struct store_signature *sig;
	int undo;
};

static void
quiet(void *ctx, const char *msg)
{

	(void)ctx;
	(void)msg;
}

static int
hook(void *ctx)
{
	struct fx *f = ctx;
	int refuse;

	(void)pthread_mutex_lock(&f->lock);
	f->commits++;
	refuse = f->refuse;
	(void)pthread_mutex_unlock(&f->lock);
	return (refuse);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct store_memo_version v;
	struct store_member m;
	struct store_memo memo;
	struct store_org org;
	struct fx *f;
	int n;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_group.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return (-1);
	}
	n = snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	if (n < 0 || (size_t)n >= sizeof(f->path) ||
	    store_open(&f->s, f->path, NOW) != 0) {
		(void)rmdir(f->dir);
		free(f);
		return (-1);
	}
	(void)pthread_mutex_init(&f->lock, NULL);
	store_set_log(quiet, NULL);
	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "state");
	(void)snprintf(org.name, sizeof(org.name), "State");
	assert_int_equal(store_org_insert(f->s, &org), STORE_OK);
	memset(&m, 0, sizeof(m));
	directory_member_id_new(m.id);
	(void)snprintf(m.handle, sizeof(m.handle), "alice");
	(void)snprintf(m.display_name, sizeof(m.display_name), "Alice");
	(void)snprintf(m.org_id, sizeof(m.org_id), "state");
	m.roles = ROLE_MEMBER;
	m.eligible = 1;
	assert_int_equal(store_member_insert(f->s, &m), STORE_OK);
	memset(&memo, 0, sizeof(memo));
	memset(&v, 0, sizeof(v));
	memo_id_new(memo.id);
	memo.state = MEMO_STATE_OPEN;
	(void)snprintf(memo.topic, sizeof(memo.topic), "policy");
	(void)snprintf(memo.marking, sizeof(memo.marking), "SBU");
	(void)snprintf(memo.org_id, sizeof(memo.org_id), "state");
	(void)snprintf(
	    memo.eligible_orgs[0], sizeof(memo.eligible_orgs[0]), "state");
	memo.neligible_orgs = 1;
	memo.version = 1;
	randombytes_buf(memo.version_hash, sizeof(memo.version_hash));
	memo.created_at = NOW;
	v.version = 1;
	memcpy(v.hash, memo.version_hash, sizeof(v.hash));
	memcpy(v.author, m.id, sizeof(v.author));
	v.created_at = NOW;
	v.box = f->box;
	v.boxlen = sizeof(f->box);
	assert_int_equal(store_memo_insert(f->s, &memo, &v, m.id), STORE_OK);
	memcpy(f->memo_id, memo.id, sizeof(f->memo_id));
	/* A wide window, so that the threads below do form groups. */
	store_group_tune(f->s, 3000, 20000, 16, hook, f);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char p[PATH_MAX + 8];

	store_free(f->s);
	(void)unlink(f->path);
	(void)snprintf(p, sizeof(p), "%s-wal", f->path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", f->path);
	(void)unlink(p);
	(void)rmdir(f->dir);
	(void)pthread_mutex_destroy(&f->lock);
	free(f);
	store_set_log(NULL, NULL);
	return (0);
}

/* A group member: store one signature, then keep it or undo it. */
static int
member(struct store *s, void *p)
{
	struct member_arg *a = p;

	if (store_signature_put(s, a->f->memo_id, a->sig) != STORE_OK)
		return (-1);
	return (a->undo);
}

static void *
work(void *p)
{
	struct worker *w = p;
	struct member_arg a;
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		randombytes_buf(w->sig[i].tag, sizeof(w->sig[i].tag));
		w->sig[i].version = 1;
		randombytes_buf(w->sig[i].record, sizeof(w->sig[i].record));
		a.f = w->f;
		a.sig = &w->sig[i];
		a.undo = w->odd_fail && (i % 2) == 1;
		if (w->plain) {
			if (store_begin(w->f->s) != 0) {
				w->result[i] = -1;
				continue;
			}
			if (store_signature_put(w->f->s, w->f->memo_id,
				&w->sig[i]) != STORE_OK ||
			    store_commit(w->f->s) != 0) {
				store_rollback(w->f->s);
				w->result[i] = -1;
				continue;
			}
			w->result[i] = 0;
		} else {
			w->result[i] = store_group_run(w->f->s, member, &a);
		}
	}
	return (NULL);
}

/* Run ${n} workers at once (worker i plain if i < ${plain}). */
static void
run_workers(struct fx *f, struct worker *w, int n, int odd_fail, int plain)
{
	pthread_t t[THREADS];
	int i;

	for (i = 0; i < n; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].f = f;
		w[i].index = i;
		w[i].odd_fail = odd_fail;
		w[i].plain = i < plain;
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < n; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
}

/* Return 1 if ${sig} is stored as written, 0 if it is absent. */
static int
stored(struct fx *f, const struct store_signature *sig)
{
	struct store_signature got;
	int rc;

	rc = store_signature_get(f->s, f->memo_id, sig->tag, &got);
	if (rc == STORE_NOTFOUND)
		return (0);
	assert_int_equal(rc, STORE_OK);
	assert_memory_equal(&got, sig, sizeof(got));
	return (1);
}

static uint32_t
count(struct fx *f)
{
	uint32_t n;

	assert_int_equal(
	    store_signature_count(f->s, f->memo_id, 0, &n), STORE_OK);
	return (n);
}

static void
test_every_acknowledged_member_is_stored_and_groups_share_commits(void **state)
{
	struct fx *f = *state;
	struct worker w[THREADS];
	int i, j;

	run_workers(f, w, THREADS, 0, 0);
	for (i = 0; i < THREADS; i++)
		for (j = 0; j < PER_THREAD; j++) {
			assert_int_equal(w[i].result[j], 0);
			assert_int_equal(stored(f, &w[i].sig[j]), 1);
		}
	assert_int_equal(count(f), THREADS * PER_THREAD);
	/* Fewer commits than members: they were grouped. */
	assert_true(f->commits >= 1);
	assert_true(f->commits < THREADS * PER_THREAD);
}

static void
test_a_refused_commit_fails_every_member_and_stores_none(void **state)
{
	struct fx *f = *state;
	struct worker w[THREADS];
	int i, j;

	f->refuse = 1;
	run_workers(f, w, THREADS, 0, 0);
	for (i = 0; i < THREADS; i++)
		for (j = 0; j < PER_THREAD; j++) {
			assert_int_equal(w[i].result[j], -1);
			assert_int_equal(stored(f, &w[i].sig[j]), 0);
		}
	assert_int_equal(count(f), 0);
	/* The store works again once commits do. */
	f->refuse = 0;
	run_workers(f, w, 2, 0, 0);
	assert_int_equal(count(f), 2 * PER_THREAD);
}

static void
test_a_member_that_undoes_its_work_leaves_the_others_stored(void **state)
{
	struct fx *f = *state;
	struct worker w[THREADS];
	int i, j;

	run_workers(f, w, THREADS, 1, 0);
	for (i = 0; i < THREADS; i++)
		for (j = 0; j < PER_THREAD; j++) {
			assert_int_equal(w[i].result[j], j % 2);
			assert_int_equal(stored(f, &w[i].sig[j]), j % 2 == 0);
		}
	assert_int_equal(count(f), THREADS * PER_THREAD / 2);
}

static void
test_plain_transactions_interleave_with_groups(void **state)
{
	struct fx *f = *state;
	struct worker w[THREADS];
	int i, j;

	run_workers(f, w, THREADS, 0, THREADS / 3);
	for (i = 0; i < THREADS; i++)
		for (j = 0; j < PER_THREAD; j++) {
			assert_int_equal(w[i].result[j], 0);
			assert_int_equal(stored(f, &w[i].sig[j]), 1);
		}
	assert_int_equal(count(f), THREADS * PER_THREAD);
}

static void
test_a_lone_member_commits_by_itself(void **state)
{
	struct fx *f = *state;
	struct store_signature sig;
	struct member_arg a;

	randombytes_buf(sig.tag, sizeof(sig.tag));
	sig.version = 1;
	randombytes_buf(sig.record, sizeof(sig.record));
	a.f = f;
	a.sig = &sig;
	a.undo = 0;
	assert_int_equal(store_group_run(f->s, member, &a), 0);
	assert_int_equal(f->commits, 1);
	assert_int_equal(stored(f, &sig), 1);
	/* A member whose store call fails is undone, and says so. */
	sig.version = 2;
	randombytes_buf(sig.tag, sizeof(sig.tag));
	assert_int_equal(store_group_run(f->s, member, &a), 1);
	assert_int_equal(stored(f, &sig), 0);
	assert_int_equal(store_group_run(NULL, member, &a), -1);
	assert_int_equal(store_group_run(f->s, NULL, &a), -1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_every_acknowledged_member_is_stored_and_groups_share_commits),
	    T(test_a_refused_commit_fails_every_member_and_stores_none),
	    T(test_a_member_that_undoes_its_work_leaves_the_others_stored),
	    T(test_plain_transactions_interleave_with_groups),
	    T(test_a_lone_member_commits_by_itself),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
