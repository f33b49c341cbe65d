/*
 * The storage interface (store.h) on its SQLite backend: every function's
 * answers and refusals, transactions, locking between threads, damaged
 * rows and the database file's mode.  Each test has a fresh database in a
 * directory of its own under $TMPDIR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "directory.h"
#include "store.h"

#define NOW 1764400000

struct fx {
	char dir[PATH_MAX];
	char path[PATH_MAX];
	struct store *s;
};

/* Messages sent through the store's log hook since the last reset. */
static struct {
	int count;
	char last[512];
	char all[4096];
} logged;

static void
capture(void *ctx, const char *msg)
{
	size_t used = strlen(logged.all);

	(void)ctx;
	logged.count++;
	(void)snprintf(logged.last, sizeof(logged.last), "%s", msg);
	(void)snprintf(
	    logged.all + used, sizeof(logged.all) - used, "%s\n", msg);
}

static void
log_reset(void)
{

	memset(&logged, 0, sizeof(logged));
}

static void
path_join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	assert_true(n > 0 && n < PATH_MAX);
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
	(void)snprintf(p, sizeof(p), "%s-journal", path);
	(void)unlink(p);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char url[PATH_MAX + 8];
	struct fx *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return (-1);
	}
	path_join(f->path, f->dir, "store.db");
	(void)snprintf(url, sizeof(url), "sqlite:%s", f->path);
	store_set_log(capture, NULL);
	log_reset();
	if (store_open(&f->s, url, NOW) != 0) {
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

/* Close and reopen the fixture's database. */
static void
reopen(struct fx *f)
{

	store_free(f->s);
	f->s = NULL;
	assert_int_equal(store_open(&f->s, f->path, NOW + 1), 0);
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

/* Fill ${m} as a new pending member ${handle} of ${org}. */
static void
make_member(struct store_member *m, const char *handle, const char *org)
{

	memset(m, 0, sizeof(*m));
	directory_member_id_new(m->id);
	(void)snprintf(m->handle, sizeof(m->handle), "%s", handle);
	(void)snprintf(
	    m->display_name, sizeof(m->display_name), "Name of %s", handle);
	(void)snprintf(m->org_id, sizeof(m->org_id), "%s", org);
	m->roles = ROLE_MEMBER;
	m->eligible = 1;
	m->status = STORE_MEMBER_PENDING;
	m->created_at = NOW;
}

/* Insert a pending member ${handle} of ${org}; its id goes in ${m}. */
static void
add_member(struct store *s, struct store_member *m, const char *handle,
    const char *org)
{

	make_member(m, handle, org);
	assert_int_equal(store_member_insert(s, m), STORE_OK);
}

static void
make_keys(struct keys_public *k)
{

	randombytes_buf(k, sizeof(*k));
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

/* Insert member ${handle} of org "state" and activate it. */
static void
add_active(struct store *s, struct store_member *m, const char *handle,
    struct keys_public *k, struct store_custody *c)
{

	add_member(s, m, handle, "state");
	make_keys(k);
	make_custody(c);
	assert_int_equal(
	    store_member_activate(s, m->id, k, c, NOW + 10), STORE_OK);
}

static void
make_session(
    struct store_session *sess, const char *member_id, int64_t expires_at)
{

	memset(sess, 0, sizeof(*sess));
	randombytes_buf(sess->token_hash, sizeof(sess->token_hash));
	(void)snprintf(
	    sess->member_id, sizeof(sess->member_id), "%s", member_id);
	sess->created_at = NOW;
	sess->last_seen = NOW;
	sess->expires_at = expires_at;
}

/* File and mode. */

static void
test_database_wal_and_shm_files_have_mode_0600(void **state)
{
	struct fx *f = *state;
	char url[PATH_MAX + 8], p[PATH_MAX + 8];
	struct stat sb;
	mode_t old;

	/* A fresh file under a permissive umask still gets 0600. */
	store_free(f->s);
	f->s = NULL;
	remove_db_files(f->path);
	old = umask(0);
	(void)snprintf(url, sizeof(url), "sqlite:%s", f->path);
	assert_int_equal(store_open(&f->s, url, NOW), 0);
	(void)umask(old);
	assert_int_equal(store_meta_set(f->s, "k", "v"), STORE_OK);

	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	(void)snprintf(p, sizeof(p), "%s-wal", f->path);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	(void)snprintf(p, sizeof(p), "%s-shm", f->path);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void
test_plain_path_opens_the_same_database(void **state)
{
	struct fx *f = *state;
	char v[16];

	assert_int_equal(store_meta_set(f->s, "k", "v"), STORE_OK);
	store_free(f->s);
	f->s = NULL;
	assert_int_equal(store_open(&f->s, f->path, NOW), 0);
	assert_int_equal(store_meta_get(f->s, "k", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "v");
}

static void
test_free_null_is_a_no_op(void **state)
{

	(void)state;
	store_free(NULL);
}

/* Meta. */

static void
test_meta_get_unset_is_notfound(void **state)
{
	struct fx *f = *state;
	char v[16] = "junk";

	assert_int_equal(
	    store_meta_get(f->s, "instance_id", v, sizeof(v)), STORE_NOTFOUND);
	assert_string_equal(v, "");
}

static void
test_meta_set_then_get_round_trips(void **state)
{
	struct fx *f = *state;
	char v[STORE_META_VALUE_MAX + 1];

	assert_int_equal(
	    store_meta_set(f->s, "channel_org", "state"), STORE_OK);
	assert_int_equal(
	    store_meta_get(f->s, "channel_org", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "state");
}

static void
test_meta_set_overwrites(void **state)
{
	struct fx *f = *state;
	char v[16];

	assert_int_equal(store_meta_set(f->s, "k", "one"), STORE_OK);
	assert_int_equal(store_meta_set(f->s, "k", "two"), STORE_OK);
	assert_int_equal(store_meta_get(f->s, "k", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "two");
}

static void
test_meta_accepts_empty_and_maximal_values(void **state)
{
	struct fx *f = *state;
	char big[STORE_META_VALUE_MAX + 1], v[STORE_META_VALUE_MAX + 1];

	memset(big, 'x', STORE_META_VALUE_MAX);
	big[STORE_META_VALUE_MAX] = '\0';
	assert_int_equal(store_meta_set(f->s, "big", big), STORE_OK);
	assert_int_equal(store_meta_get(f->s, "big", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, big);
	assert_int_equal(store_meta_set(f->s, "empty", ""), STORE_OK);
	assert_int_equal(store_meta_get(f->s, "empty", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "");
}

static void
test_meta_set_refuses_oversized_key_or_value(void **state)
{
	struct fx *f = *state;
	char key[STORE_META_KEY_MAX + 2], big[STORE_META_VALUE_MAX + 2];

	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(store_meta_set(f->s, key, "v"), STORE_ERR);
	assert_int_equal(store_meta_set(f->s, "", "v"), STORE_ERR);
	assert_int_equal(store_meta_set(f->s, "k", big), STORE_ERR);
	assert_int_equal(
	    store_meta_get(f->s, key, big, sizeof(big)), STORE_NOTFOUND);
}

static void
test_meta_get_refuses_a_buffer_too_small(void **state)
{
	struct fx *f = *state;
	char v[4];

	assert_int_equal(store_meta_set(f->s, "k", "four"), STORE_OK);
	log_reset();
	assert_int_equal(store_meta_get(f->s, "k", v, sizeof(v)), STORE_ERR);
	assert_string_equal(v, "");
	assert_int_equal(logged.count, 1);
	assert_null(strstr(logged.last, "four"));
}

/* Organisations. */

static void
test_org_insert_then_get_round_trips(void **state)
{
	struct fx *f = *state;
	struct store_org org;

	add_org(f->s, "state");
	assert_int_equal(store_org_get(f->s, "state", &org), STORE_OK);
	assert_string_equal(org.id, "state");
	assert_string_equal(org.name, "Org state");
	assert_int_equal(org.created_at, NOW);
}

static void
test_org_insert_duplicate_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_org org;

	add_org(f->s, "state");
	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "state");
	(void)snprintf(org.name, sizeof(org.name), "Another name");
	log_reset();
	assert_int_equal(store_org_insert(f->s, &org), STORE_CONFLICT);
	/* A conflict is an answer, not an error: nothing is logged. */
	assert_int_equal(logged.count, 0);
	assert_int_equal(store_org_get(f->s, "state", &org), STORE_OK);
	assert_string_equal(org.name, "Org state");
}

static void
test_org_get_unknown_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_org org;

	assert_int_equal(store_org_get(f->s, "nowhere", &org), STORE_NOTFOUND);
	assert_int_equal(store_org_get(f->s, "", &org), STORE_NOTFOUND);
}

static void
test_org_insert_refuses_invalid_id_or_name(void **state)
{
	struct fx *f = *state;
	struct store_org org;

	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "Bad Id");
	(void)snprintf(org.name, sizeof(org.name), "Name");
	assert_int_equal(store_org_insert(f->s, &org), STORE_ERR);
	(void)snprintf(org.id, sizeof(org.id), "good");
	(void)snprintf(org.name, sizeof(org.name), " padded");
	assert_int_equal(store_org_insert(f->s, &org), STORE_ERR);
	assert_int_equal(store_org_get(f->s, "good", &org), STORE_NOTFOUND);
}

static void
test_org_list_is_ordered_by_id(void **state)
{
	struct fx *f = *state;
	struct store_org *orgs;
	size_t n;

	assert_int_equal(store_org_list(f->s, &orgs, &n), STORE_OK);
	assert_int_equal(n, 0);
	free(orgs);
	add_org(f->s, "usaid");
	add_org(f->s, "dod");
	add_org(f->s, "state");
	assert_int_equal(store_org_list(f->s, &orgs, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(orgs[0].id, "dod");
	assert_string_equal(orgs[1].id, "state");
	assert_string_equal(orgs[2].id, "usaid");
	assert_string_equal(orgs[2].name, "Org usaid");
	free(orgs);
}

/* Members. */

static void
test_member_insert_then_get_round_trips_as_pending(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	struct keys_public zero;

	add_org(f->s, "state");
	make_member(&m, "alice", "state");
	m.roles = ROLE_MEMBER | ROLE_COORDINATOR;
	m.eligible = 0;
	assert_int_equal(store_member_insert(f->s, &m), STORE_OK);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_string_equal(got.id, m.id);
	assert_string_equal(got.handle, "alice");
	assert_string_equal(got.display_name, "Name of alice");
	assert_string_equal(got.org_id, "state");
	assert_int_equal(got.roles, ROLE_MEMBER | ROLE_COORDINATOR);
	assert_int_equal(got.eligible, 0);
	assert_int_equal(got.status, STORE_MEMBER_PENDING);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.key_epoch, 0);
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&got.keys, &zero, sizeof(zero));
}

static void
test_member_get_by_handle_finds_the_member(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	assert_int_equal(
	    store_member_get_by_handle(f->s, "alice", &got), STORE_OK);
	assert_string_equal(got.id, m.id);
}

static void
test_member_insert_duplicate_handle_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_member a, b, got;

	add_org(f->s, "state");
	add_member(f->s, &a, "alice", "state");
	make_member(&b, "alice", "state");
	assert_int_equal(store_member_insert(f->s, &b), STORE_CONFLICT);
	assert_int_equal(store_member_get(f->s, b.id, &got), STORE_NOTFOUND);
}

static void
test_member_insert_duplicate_id_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_member a, b, got;

	add_org(f->s, "state");
	add_member(f->s, &a, "alice", "state");
	make_member(&b, "bob", "state");
	memcpy(b.id, a.id, sizeof(b.id));
	assert_int_equal(store_member_insert(f->s, &b), STORE_CONFLICT);
	assert_int_equal(
	    store_member_get_by_handle(f->s, "bob", &got), STORE_NOTFOUND);
}

static void
test_member_insert_unknown_org_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;

	make_member(&m, "alice", "nowhere");
	assert_int_equal(store_member_insert(f->s, &m), STORE_NOTFOUND);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_NOTFOUND);
}

static void
test_member_insert_refuses_invalid_fields(void **state)
{
	struct fx *f = *state;
	struct store_member m;

	add_org(f->s, "state");
	make_member(&m, "alice", "state");
	m.roles = ROLE_ADMIN | ROLE_MEMBER;
	assert_int_equal(store_member_insert(f->s, &m), STORE_ERR);
	make_member(&m, "Alice", "state");
	assert_int_equal(store_member_insert(f->s, &m), STORE_ERR);
	make_member(&m, "alice", "state");
	(void)snprintf(m.display_name, sizeof(m.display_name), "a\nb");
	assert_int_equal(store_member_insert(f->s, &m), STORE_ERR);
	make_member(&m, "alice", "state");
	(void)snprintf(m.id, sizeof(m.id), "m_short");
	assert_int_equal(store_member_insert(f->s, &m), STORE_ERR);
	make_member(&m, "alice", "state");
	m.status = STORE_MEMBER_ACTIVE;
	assert_int_equal(store_member_insert(f->s, &m), STORE_ERR);
	make_member(&m, "alice", "state");
	m.key_epoch = 1;
	assert_int_equal(store_member_insert(f->s, &m), STORE_ERR);
	assert_int_equal(
	    store_member_get_by_handle(f->s, "alice", &m), STORE_NOTFOUND);
}

static void
test_member_get_unknown_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	char id[DIRECTORY_MEMBER_ID_LEN + 1];

	directory_member_id_new(id);
	assert_int_equal(store_member_get(f->s, id, &m), STORE_NOTFOUND);
	assert_int_equal(
	    store_member_get(f->s, "not-an-id", &m), STORE_NOTFOUND);
	assert_int_equal(
	    store_member_get_by_handle(f->s, "nobody", &m), STORE_NOTFOUND);
}

static void
test_member_set_roles_eligible_and_name_change_the_member(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	assert_int_equal(
	    store_member_set_roles(f->s, m.id, ROLE_MEMBER | ROLE_AUDITOR),
	    STORE_OK);
	assert_int_equal(store_member_set_eligible(f->s, m.id, 0), STORE_OK);
	assert_int_equal(
	    store_member_set_display_name(f->s, m.id, "Alice B. Adams"),
	    STORE_OK);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.roles, ROLE_MEMBER | ROLE_AUDITOR);
	assert_int_equal(got.eligible, 0);
	assert_string_equal(got.display_name, "Alice B. Adams");
	assert_int_equal(store_member_set_eligible(f->s, m.id, 7), STORE_OK);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.eligible, 1);
}

static void
test_member_setters_on_unknown_member_are_notfound(void **state)
{
	struct fx *f = *state;
	char id[DIRECTORY_MEMBER_ID_LEN + 1];

	directory_member_id_new(id);
	assert_int_equal(
	    store_member_set_roles(f->s, id, ROLE_MEMBER), STORE_NOTFOUND);
	assert_int_equal(
	    store_member_set_eligible(f->s, id, 1), STORE_NOTFOUND);
	assert_int_equal(
	    store_member_set_display_name(f->s, id, "X"), STORE_NOTFOUND);
	assert_int_equal(
	    store_member_set_status(f->s, id, STORE_MEMBER_SUSPENDED),
	    STORE_NOTFOUND);
}

static void
test_member_setters_refuse_invalid_values(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	assert_int_equal(
	    store_member_set_roles(f->s, m.id, ROLE_COORDINATOR), STORE_ERR);
	assert_int_equal(store_member_set_roles(f->s, m.id, 0), STORE_ERR);
	assert_int_equal(
	    store_member_set_display_name(f->s, m.id, ""), STORE_ERR);
	assert_int_equal(store_member_set_status(f->s, m.id, 3), STORE_ERR);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.roles, ROLE_MEMBER);
	assert_string_equal(got.display_name, "Name of alice");
	assert_int_equal(got.status, STORE_MEMBER_PENDING);
}

static void
test_member_set_status_suspends_and_reinstates(void **state)
{
	struct fx *f = *state;
	struct store_member m, p, got;
	struct keys_public k;
	struct store_custody c;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	assert_int_equal(
	    store_member_set_status(f->s, m.id, STORE_MEMBER_SUSPENDED),
	    STORE_OK);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.status, STORE_MEMBER_SUSPENDED);
	assert_int_equal(got.key_epoch, 1);
	assert_int_equal(
	    store_member_set_status(f->s, m.id, STORE_MEMBER_ACTIVE), STORE_OK);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.status, STORE_MEMBER_ACTIVE);

	/* A member that never enrolled goes back to pending. */
	add_member(f->s, &p, "bob", "state");
	assert_int_equal(
	    store_member_set_status(f->s, p.id, STORE_MEMBER_SUSPENDED),
	    STORE_OK);
	assert_int_equal(
	    store_member_set_status(f->s, p.id, STORE_MEMBER_PENDING),
	    STORE_OK);
	assert_int_equal(store_member_get(f->s, p.id, &got), STORE_OK);
	assert_int_equal(got.status, STORE_MEMBER_PENDING);
}

static void
test_member_set_status_refuses_to_skip_or_undo_activation(void **state)
{
	struct fx *f = *state;
	struct store_member m, p, got;
	struct keys_public k;
	struct store_custody c;

	add_org(f->s, "state");
	add_member(f->s, &p, "bob", "state");
	assert_int_equal(
	    store_member_set_status(f->s, p.id, STORE_MEMBER_ACTIVE),
	    STORE_CONFLICT);
	assert_int_equal(store_member_get(f->s, p.id, &got), STORE_OK);
	assert_int_equal(got.status, STORE_MEMBER_PENDING);

	add_active(f->s, &m, "alice", &k, &c);
	assert_int_equal(
	    store_member_set_status(f->s, m.id, STORE_MEMBER_PENDING),
	    STORE_CONFLICT);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.status, STORE_MEMBER_ACTIVE);
}

static void
test_member_list_pages_in_handle_order_with_total(void **state)
{
	static const char *handles[] = {
	    "erin", "bob", "dave", "alice", "carol"};
	struct fx *f = *state;
	struct store_member m, *ms;
	size_t i, n, total;

	add_org(f->s, "state");
	for (i = 0; i < 5; i++)
		add_member(f->s, &m, handles[i], "state");
	assert_int_equal(
	    store_member_list(f->s, NULL, 0, 2, &ms, &n, &total), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 5);
	assert_string_equal(ms[0].handle, "alice");
	assert_string_equal(ms[1].handle, "bob");
	free(ms);
	assert_int_equal(
	    store_member_list(f->s, NULL, 2, 2, &ms, &n, &total), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ms[0].handle, "carol");
	assert_string_equal(ms[1].handle, "dave");
	free(ms);
	assert_int_equal(
	    store_member_list(f->s, NULL, 4, 2, &ms, &n, &total), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(total, 5);
	assert_string_equal(ms[0].handle, "erin");
	free(ms);
}

static void
test_member_list_beyond_the_end_is_empty_with_total(void **state)
{
	struct fx *f = *state;
	struct store_member m, *ms;
	size_t n, total;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	assert_int_equal(
	    store_member_list(f->s, NULL, 5, 10, &ms, &n, &total), STORE_OK);
	assert_int_equal(n, 0);
	assert_null(ms);
	assert_int_equal(total, 1);
	assert_int_equal(
	    store_member_list(f->s, NULL, 0, 0, &ms, &n, &total), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 1);
	/* A huge limit or offset allocates only for what exists. */
	assert_int_equal(
	    store_member_list(f->s, NULL, 0, SIZE_MAX, &ms, &n, &total),
	    STORE_OK);
	assert_int_equal(n, 1);
	free(ms);
	assert_int_equal(
	    store_member_list(f->s, NULL, SIZE_MAX, SIZE_MAX, &ms, &n, &total),
	    STORE_OK);
	assert_int_equal(n, 0);
}

static void
test_member_list_filters_by_org(void **state)
{
	struct fx *f = *state;
	struct store_member m, *ms;
	size_t n, total;

	add_org(f->s, "state");
	add_org(f->s, "usaid");
	add_member(f->s, &m, "alice", "state");
	add_member(f->s, &m, "bob", "usaid");
	add_member(f->s, &m, "carol", "state");
	add_member(f->s, &m, "dave", "usaid");
	add_member(f->s, &m, "erin", "usaid");
	assert_int_equal(
	    store_member_list(f->s, "usaid", 1, 10, &ms, &n, &total), STORE_OK);
	assert_int_equal(total, 3);
	assert_int_equal(n, 2);
	assert_string_equal(ms[0].handle, "dave");
	assert_string_equal(ms[1].handle, "erin");
	assert_string_equal(ms[1].org_id, "usaid");
	free(ms);
	assert_int_equal(
	    store_member_list(f->s, "nowhere", 0, 10, &ms, &n, &total),
	    STORE_OK);
	assert_int_equal(total, 0);
	assert_int_equal(n, 0);
}

/* Activation and rotation. */

static void
test_activate_sets_keys_custody_login_and_history(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	struct keys_public k;
	struct store_custody c, gc;
	struct store_login l;
	struct store_key_record *recs;
	size_t n;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.status, STORE_MEMBER_ACTIVE);
	assert_int_equal(got.key_epoch, 1);
	assert_memory_equal(&got.keys, &k, sizeof(k));
	assert_int_equal(store_custody_get(f->s, m.id, &gc), STORE_OK);
	assert_memory_equal(&gc, &c, sizeof(c));
	assert_int_equal(store_login_get(f->s, m.id, &l), STORE_OK);
	assert_int_equal(l.failures, 0);
	assert_int_equal(l.locked_until, 0);
	assert_int_equal(l.totp_enabled, 0);
	assert_int_equal(l.totp_has_secret, 0);
	assert_int_equal(l.totp_last_step, 0);
	assert_int_equal(store_key_history(f->s, m.id, &recs, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(recs[0].member_id, m.id);
	assert_int_equal(recs[0].epoch, 1);
	assert_memory_equal(&recs[0].keys, &k, sizeof(k));
	assert_int_equal(recs[0].created_at, NOW + 10);
	free(recs);
}

static void
test_activate_deletes_the_members_enrollment_codes(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct keys_public k;
	struct store_custody c;
	uint8_t hash[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t exp;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(
	    store_enrollment_put(f->s, hash, m.id, NOW + 100), STORE_OK);
	make_keys(&k);
	make_custody(&c);
	assert_int_equal(
	    store_member_activate(f->s, m.id, &k, &c, NOW), STORE_OK);
	assert_int_equal(
	    store_enrollment_get(f->s, hash, id, &exp), STORE_NOTFOUND);
}

static void
test_activate_twice_is_conflict_and_keeps_the_first_keys(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	struct keys_public k, k2;
	struct store_custody c, c2, gc;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	make_keys(&k2);
	make_custody(&c2);
	assert_int_equal(
	    store_member_activate(f->s, m.id, &k2, &c2, NOW), STORE_CONFLICT);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_memory_equal(&got.keys, &k, sizeof(k));
	assert_int_equal(store_custody_get(f->s, m.id, &gc), STORE_OK);
	assert_memory_equal(&gc, &c, sizeof(c));
}

static void
test_activate_unknown_member_is_notfound(void **state)
{
	struct fx *f = *state;
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	struct keys_public k;
	struct store_custody c;

	directory_member_id_new(id);
	make_keys(&k);
	make_custody(&c);
	assert_int_equal(
	    store_member_activate(f->s, id, &k, &c, NOW), STORE_NOTFOUND);
}

static void
test_activate_suspended_member_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	struct keys_public k;
	struct store_custody c;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	assert_int_equal(
	    store_member_set_status(f->s, m.id, STORE_MEMBER_SUSPENDED),
	    STORE_OK);
	make_keys(&k);
	make_custody(&c);
	assert_int_equal(
	    store_member_activate(f->s, m.id, &k, &c, NOW), STORE_CONFLICT);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.key_epoch, 0);
}

static void
test_activate_refuses_custody_with_zero_cost(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	struct keys_public k;
	struct store_custody c;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	make_keys(&k);
	make_custody(&c);
	c.kdf.opslimit = 0;
	assert_int_equal(
	    store_member_activate(f->s, m.id, &k, &c, NOW), STORE_ERR);
	make_custody(&c);
	c.kdf.memlimit = UINT64_MAX;
	assert_int_equal(
	    store_member_activate(f->s, m.id, &k, &c, NOW), STORE_ERR);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.status, STORE_MEMBER_PENDING);
}

static void
test_rotate_keys_advances_epoch_custody_and_history(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	struct keys_public k1, k2, k3;
	struct store_custody c1, c2, c3, gc;
	struct store_key_record *recs;
	size_t n;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k1, &c1);
	make_keys(&k2);
	make_custody(&c2);
	assert_int_equal(
	    store_member_rotate_keys(f->s, m.id, 2, &k2, &c2, NOW + 20),
	    STORE_OK);
	make_keys(&k3);
	make_custody(&c3);
	assert_int_equal(
	    store_member_rotate_keys(f->s, m.id, 3, &k3, &c3, NOW + 30),
	    STORE_OK);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.key_epoch, 3);
	assert_int_equal(got.status, STORE_MEMBER_ACTIVE);
	assert_memory_equal(&got.keys, &k3, sizeof(k3));
	assert_int_equal(store_custody_get(f->s, m.id, &gc), STORE_OK);
	assert_memory_equal(&gc, &c3, sizeof(c3));
	assert_int_equal(store_key_history(f->s, m.id, &recs, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(recs[0].epoch, 1);
	assert_memory_equal(&recs[0].keys, &k1, sizeof(k1));
	assert_int_equal(recs[1].epoch, 2);
	assert_memory_equal(&recs[1].keys, &k2, sizeof(k2));
	assert_int_equal(recs[1].created_at, NOW + 20);
	assert_int_equal(recs[2].epoch, 3);
	assert_memory_equal(&recs[2].keys, &k3, sizeof(k3));
	free(recs);
}

static void
test_rotate_keys_wrong_epoch_is_conflict_changing_nothing(void **state)
{
	static const uint32_t wrong[] = {0, 1, 3, UINT32_MAX};
	struct fx *f = *state;
	struct store_member m, got;
	struct keys_public k, k2;
	struct store_custody c, c2, gc;
	struct store_key_record *recs;
	size_t i, n;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	make_keys(&k2);
	make_custody(&c2);
	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		assert_int_equal(store_member_rotate_keys(
				     f->s, m.id, wrong[i], &k2, &c2, NOW),
		    STORE_CONFLICT);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.key_epoch, 1);
	assert_memory_equal(&got.keys, &k, sizeof(k));
	assert_int_equal(store_custody_get(f->s, m.id, &gc), STORE_OK);
	assert_memory_equal(&gc, &c, sizeof(c));
	assert_int_equal(store_key_history(f->s, m.id, &recs, &n), STORE_OK);
	assert_int_equal(n, 1);
	free(recs);
}

static void
test_rotate_keys_of_pending_or_suspended_member_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_member m, p;
	struct keys_public k, k2;
	struct store_custody c, c2;

	add_org(f->s, "state");
	add_member(f->s, &p, "bob", "state");
	make_keys(&k2);
	make_custody(&c2);
	assert_int_equal(store_member_rotate_keys(f->s, p.id, 1, &k2, &c2, NOW),
	    STORE_CONFLICT);
	add_active(f->s, &m, "alice", &k, &c);
	assert_int_equal(
	    store_member_set_status(f->s, m.id, STORE_MEMBER_SUSPENDED),
	    STORE_OK);
	assert_int_equal(store_member_rotate_keys(f->s, m.id, 2, &k2, &c2, NOW),
	    STORE_CONFLICT);
}

static void
test_rotate_keys_of_unknown_member_is_notfound(void **state)
{
	struct fx *f = *state;
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	struct keys_public k;
	struct store_custody c;

	directory_member_id_new(id);
	make_keys(&k);
	make_custody(&c);
	assert_int_equal(
	    store_member_rotate_keys(f->s, id, 2, &k, &c, NOW), STORE_NOTFOUND);
}

static void
test_key_history_of_pending_is_empty_and_of_unknown_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct store_key_record *recs;
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	size_t n;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	assert_int_equal(store_key_history(f->s, m.id, &recs, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_null(recs);
	directory_member_id_new(id);
	assert_int_equal(
	    store_key_history(f->s, id, &recs, &n), STORE_NOTFOUND);
	assert_null(recs);
}

/* Custody. */

static void
test_custody_of_pending_or_unknown_member_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct store_custody c;
	char id[DIRECTORY_MEMBER_ID_LEN + 1];

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	make_custody(&c);
	assert_int_equal(store_custody_get(f->s, m.id, &c), STORE_NOTFOUND);
	make_custody(&c);
	assert_int_equal(store_custody_set(f->s, m.id, &c), STORE_NOTFOUND);
	directory_member_id_new(id);
	assert_int_equal(store_custody_get(f->s, id, &c), STORE_NOTFOUND);
	make_custody(&c);
	assert_int_equal(store_custody_set(f->s, id, &c), STORE_NOTFOUND);
}

static void
test_custody_set_replaces_the_whole_record(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	struct keys_public k;
	struct store_custody c, c2, gc;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	make_custody(&c2);
	c2.kdf.opslimit = 4;
	c2.kdf.memlimit = 128ULL * 1024 * 1024;
	assert_int_equal(store_custody_set(f->s, m.id, &c2), STORE_OK);
	assert_int_equal(store_custody_get(f->s, m.id, &gc), STORE_OK);
	assert_memory_equal(&gc, &c2, sizeof(c2));
	/* The keys are not touched by a custody change. */
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.key_epoch, 1);
	assert_memory_equal(&got.keys, &k, sizeof(k));
}

/* Login state. */

static void
test_login_state_round_trips_with_and_without_totp(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct keys_public k;
	struct store_custody c;
	struct store_login l, got;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	memset(&l, 0, sizeof(l));
	l.failures = 4;
	l.locked_until = NOW + 300;
	l.totp_has_secret = 1;
	randombytes_buf(l.totp_box, sizeof(l.totp_box));
	l.totp_enabled = 1;
	l.totp_last_step = 58813333;
	assert_int_equal(store_login_set(f->s, m.id, &l), STORE_OK);
	assert_int_equal(store_login_get(f->s, m.id, &got), STORE_OK);
	assert_memory_equal(&got, &l, sizeof(l));

	memset(&l, 0, sizeof(l));
	l.failures = 1;
	assert_int_equal(store_login_set(f->s, m.id, &l), STORE_OK);
	assert_int_equal(store_login_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.failures, 1);
	assert_int_equal(got.totp_has_secret, 0);
	assert_int_equal(got.totp_enabled, 0);
}

static void
test_login_state_keeps_a_secret_not_yet_enabled(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct keys_public k;
	struct store_custody c;
	struct store_login l, got;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	memset(&l, 0, sizeof(l));
	l.totp_has_secret = 1;
	randombytes_buf(l.totp_box, sizeof(l.totp_box));
	assert_int_equal(store_login_set(f->s, m.id, &l), STORE_OK);
	assert_int_equal(store_login_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.totp_has_secret, 1);
	assert_int_equal(got.totp_enabled, 0);
	assert_memory_equal(got.totp_box, l.totp_box, sizeof(l.totp_box));
}

static void
test_login_state_of_pending_or_unknown_member_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct store_login l;
	char id[DIRECTORY_MEMBER_ID_LEN + 1];

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	memset(&l, 0, sizeof(l));
	assert_int_equal(store_login_get(f->s, m.id, &l), STORE_NOTFOUND);
	assert_int_equal(store_login_set(f->s, m.id, &l), STORE_NOTFOUND);
	directory_member_id_new(id);
	assert_int_equal(store_login_get(f->s, id, &l), STORE_NOTFOUND);
	assert_int_equal(store_login_set(f->s, id, &l), STORE_NOTFOUND);
}

static void
test_login_set_refuses_totp_enabled_without_secret(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct keys_public k;
	struct store_custody c;
	struct store_login l, got;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	memset(&l, 0, sizeof(l));
	l.totp_enabled = 1;
	l.failures = 9;
	assert_int_equal(store_login_set(f->s, m.id, &l), STORE_ERR);
	assert_int_equal(store_login_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.failures, 0);
}

/* Enrollment codes. */

static void
test_enrollment_put_then_get_finds_the_member(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	uint8_t hash[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t exp;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(
	    store_enrollment_put(f->s, hash, m.id, NOW + 3600), STORE_OK);
	assert_int_equal(store_enrollment_get(f->s, hash, id, &exp), STORE_OK);
	assert_string_equal(id, m.id);
	assert_int_equal(exp, NOW + 3600);
}

static void
test_enrollment_get_unknown_is_notfound(void **state)
{
	struct fx *f = *state;
	uint8_t hash[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t exp;

	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(
	    store_enrollment_get(f->s, hash, id, &exp), STORE_NOTFOUND);
}

static void
test_enrollment_put_replaces_the_earlier_code(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	uint8_t h1[STORE_HASH_BYTES], h2[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t exp;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	randombytes_buf(h1, sizeof(h1));
	randombytes_buf(h2, sizeof(h2));
	assert_int_equal(
	    store_enrollment_put(f->s, h1, m.id, NOW + 1), STORE_OK);
	assert_int_equal(
	    store_enrollment_put(f->s, h2, m.id, NOW + 2), STORE_OK);
	assert_int_equal(
	    store_enrollment_get(f->s, h1, id, &exp), STORE_NOTFOUND);
	assert_int_equal(store_enrollment_get(f->s, h2, id, &exp), STORE_OK);
	assert_int_equal(exp, NOW + 2);
}

static void
test_enrollment_put_for_non_pending_member_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct keys_public k;
	struct store_custody c;
	uint8_t hash[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t exp;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(
	    store_enrollment_put(f->s, hash, m.id, NOW), STORE_CONFLICT);
	assert_int_equal(
	    store_enrollment_get(f->s, hash, id, &exp), STORE_NOTFOUND);
}

static void
test_enrollment_put_for_unknown_member_is_notfound(void **state)
{
	struct fx *f = *state;
	uint8_t hash[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];

	randombytes_buf(hash, sizeof(hash));
	directory_member_id_new(id);
	assert_int_equal(
	    store_enrollment_put(f->s, hash, id, NOW), STORE_NOTFOUND);
}

static void
test_enrollment_put_taken_hash_is_conflict_keeping_old_code(void **state)
{
	struct fx *f = *state;
	struct store_member a, b;
	uint8_t ha[STORE_HASH_BYTES], hb[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t exp;

	add_org(f->s, "state");
	add_member(f->s, &a, "alice", "state");
	add_member(f->s, &b, "bob", "state");
	randombytes_buf(ha, sizeof(ha));
	randombytes_buf(hb, sizeof(hb));
	assert_int_equal(store_enrollment_put(f->s, ha, a.id, NOW), STORE_OK);
	assert_int_equal(store_enrollment_put(f->s, hb, b.id, NOW), STORE_OK);
	/* Bob's old code was deleted first, then the insert failed: undone. */
	assert_int_equal(
	    store_enrollment_put(f->s, ha, b.id, NOW), STORE_CONFLICT);
	assert_int_equal(store_enrollment_get(f->s, hb, id, &exp), STORE_OK);
	assert_string_equal(id, b.id);
	assert_int_equal(store_enrollment_get(f->s, ha, id, &exp), STORE_OK);
	assert_string_equal(id, a.id);
}

static void
test_enrollment_delete_member_removes_its_codes_only(void **state)
{
	struct fx *f = *state;
	struct store_member a, b;
	uint8_t ha[STORE_HASH_BYTES], hb[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t exp;

	add_org(f->s, "state");
	add_member(f->s, &a, "alice", "state");
	add_member(f->s, &b, "bob", "state");
	randombytes_buf(ha, sizeof(ha));
	randombytes_buf(hb, sizeof(hb));
	assert_int_equal(store_enrollment_put(f->s, ha, a.id, NOW), STORE_OK);
	assert_int_equal(store_enrollment_put(f->s, hb, b.id, NOW), STORE_OK);
	assert_int_equal(store_enrollment_delete_member(f->s, a.id), STORE_OK);
	assert_int_equal(
	    store_enrollment_get(f->s, ha, id, &exp), STORE_NOTFOUND);
	assert_int_equal(store_enrollment_get(f->s, hb, id, &exp), STORE_OK);
	/* Deleting again, or for a member with no codes, is fine. */
	assert_int_equal(store_enrollment_delete_member(f->s, a.id), STORE_OK);
}

/* Sessions. */

static void
test_session_put_then_get_round_trips(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct store_session sess, got;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	make_session(&sess, m.id, NOW + 3600);
	assert_int_equal(store_session_put(f->s, &sess), STORE_OK);
	assert_int_equal(
	    store_session_get(f->s, sess.token_hash, &got), STORE_OK);
	assert_memory_equal(&got, &sess, sizeof(sess));
}

static void
test_session_put_duplicate_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct store_session sess, got;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	make_session(&sess, m.id, NOW + 3600);
	assert_int_equal(store_session_put(f->s, &sess), STORE_OK);
	sess.expires_at = NOW + 7200;
	assert_int_equal(store_session_put(f->s, &sess), STORE_CONFLICT);
	assert_int_equal(
	    store_session_get(f->s, sess.token_hash, &got), STORE_OK);
	assert_int_equal(got.expires_at, NOW + 3600);
}

static void
test_session_put_for_unknown_member_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_session sess, got;
	char id[DIRECTORY_MEMBER_ID_LEN + 1];

	directory_member_id_new(id);
	make_session(&sess, id, NOW + 3600);
	assert_int_equal(store_session_put(f->s, &sess), STORE_NOTFOUND);
	assert_int_equal(
	    store_session_get(f->s, sess.token_hash, &got), STORE_NOTFOUND);
}

static void
test_session_get_unknown_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_session got;
	uint8_t hash[STORE_HASH_BYTES];

	randombytes_buf(hash, sizeof(hash));
	assert_int_equal(store_session_get(f->s, hash, &got), STORE_NOTFOUND);
}

static void
test_session_touch_updates_last_seen(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct store_session sess, got;
	uint8_t other[STORE_HASH_BYTES];

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	make_session(&sess, m.id, NOW + 3600);
	assert_int_equal(store_session_put(f->s, &sess), STORE_OK);
	assert_int_equal(
	    store_session_touch(f->s, sess.token_hash, NOW + 60), STORE_OK);
	assert_int_equal(
	    store_session_get(f->s, sess.token_hash, &got), STORE_OK);
	assert_int_equal(got.last_seen, NOW + 60);
	assert_int_equal(got.created_at, NOW);
	assert_int_equal(got.expires_at, NOW + 3600);
	randombytes_buf(other, sizeof(other));
	assert_int_equal(store_session_touch(f->s, other, NOW), STORE_NOTFOUND);
}

static void
test_session_delete_ends_it_and_is_idempotent(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct store_session sess, got;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	make_session(&sess, m.id, NOW + 3600);
	assert_int_equal(store_session_put(f->s, &sess), STORE_OK);
	assert_int_equal(store_session_delete(f->s, sess.token_hash), STORE_OK);
	assert_int_equal(
	    store_session_get(f->s, sess.token_hash, &got), STORE_NOTFOUND);
	assert_int_equal(store_session_delete(f->s, sess.token_hash), STORE_OK);
}

static void
test_session_delete_member_ends_only_its_sessions(void **state)
{
	struct fx *f = *state;
	struct store_member a, b;
	struct store_session s1, s2, s3, got;

	add_org(f->s, "state");
	add_member(f->s, &a, "alice", "state");
	add_member(f->s, &b, "bob", "state");
	make_session(&s1, a.id, NOW + 3600);
	make_session(&s2, a.id, NOW + 3600);
	make_session(&s3, b.id, NOW + 3600);
	assert_int_equal(store_session_put(f->s, &s1), STORE_OK);
	assert_int_equal(store_session_put(f->s, &s2), STORE_OK);
	assert_int_equal(store_session_put(f->s, &s3), STORE_OK);
	assert_int_equal(store_session_delete_member(f->s, a.id), STORE_OK);
	assert_int_equal(
	    store_session_get(f->s, s1.token_hash, &got), STORE_NOTFOUND);
	assert_int_equal(
	    store_session_get(f->s, s2.token_hash, &got), STORE_NOTFOUND);
	assert_int_equal(
	    store_session_get(f->s, s3.token_hash, &got), STORE_OK);
}

static void
test_session_purge_removes_only_expired_sessions(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct store_session old, edge, live, got;

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	make_session(&old, m.id, NOW - 1);
	make_session(&edge, m.id, NOW);
	make_session(&live, m.id, NOW + 1);
	assert_int_equal(store_session_put(f->s, &old), STORE_OK);
	assert_int_equal(store_session_put(f->s, &edge), STORE_OK);
	assert_int_equal(store_session_put(f->s, &live), STORE_OK);
	assert_int_equal(store_session_purge(f->s, NOW), STORE_OK);
	assert_int_equal(
	    store_session_get(f->s, old.token_hash, &got), STORE_NOTFOUND);
	/* "Before now": a session expiring exactly now is kept. */
	assert_int_equal(
	    store_session_get(f->s, edge.token_hash, &got), STORE_OK);
	assert_int_equal(
	    store_session_get(f->s, live.token_hash, &got), STORE_OK);
}

/* Transactions. */

static void
test_rollback_leaves_nothing_changed(void **state)
{
	struct fx *f = *state;
	struct store_org org;
	char v[16];

	assert_int_equal(store_meta_set(f->s, "k", "before"), STORE_OK);
	assert_int_equal(store_begin(f->s), 0);
	add_org(f->s, "state");
	assert_int_equal(store_meta_set(f->s, "k", "during"), STORE_OK);
	/* The owner sees its own writes inside the transaction. */
	assert_int_equal(store_org_get(f->s, "state", &org), STORE_OK);
	store_rollback(f->s);
	assert_int_equal(store_org_get(f->s, "state", &org), STORE_NOTFOUND);
	assert_int_equal(store_meta_get(f->s, "k", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "before");
}

static void
test_commit_persists_across_close_and_reopen(void **state)
{
	struct fx *f = *state;
	struct store_org org;
	struct store_member m, got;

	assert_int_equal(store_begin(f->s), 0);
	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	assert_int_equal(store_commit(f->s), 0);
	reopen(f);
	assert_int_equal(store_org_get(f->s, "state", &org), STORE_OK);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_OK);
	assert_string_equal(got.handle, "alice");
}

static void
test_auto_committed_write_persists_across_reopen(void **state)
{
	struct fx *f = *state;
	char v[16];

	assert_int_equal(store_meta_set(f->s, "k", "v"), STORE_OK);
	reopen(f);
	assert_int_equal(store_meta_get(f->s, "k", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "v");
}

static void
test_begin_inside_a_transaction_is_refused(void **state)
{
	struct fx *f = *state;
	struct store_org org;

	assert_int_equal(store_begin(f->s), 0);
	add_org(f->s, "state");
	assert_int_equal(store_begin(f->s), -1);
	/* The first transaction is still open and usable. */
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_org_get(f->s, "state", &org), STORE_OK);
}

static void
test_commit_or_rollback_without_begin_is_refused(void **state)
{
	struct fx *f = *state;

	log_reset();
	assert_int_equal(store_commit(f->s), -1);
	store_rollback(f->s);
	assert_int_equal(logged.count, 2);
	/* The handle still works and is not left locked. */
	assert_int_equal(store_meta_set(f->s, "k", "v"), STORE_OK);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_commit(f->s), 0);
}

static void
test_failed_call_inside_a_transaction_keeps_earlier_writes(void **state)
{
	struct fx *f = *state;
	struct store_member a, b;
	struct store_org org;
	uint8_t ha[STORE_HASH_BYTES], hb[STORE_HASH_BYTES];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t exp;

	add_org(f->s, "state");
	add_member(f->s, &a, "alice", "state");
	add_member(f->s, &b, "bob", "state");
	randombytes_buf(ha, sizeof(ha));
	randombytes_buf(hb, sizeof(hb));
	assert_int_equal(store_enrollment_put(f->s, ha, a.id, NOW), STORE_OK);
	assert_int_equal(store_begin(f->s), 0);
	add_org(f->s, "usaid");
	assert_int_equal(store_enrollment_put(f->s, hb, b.id, NOW), STORE_OK);
	/* Fails after deleting bob's code: only its own part is undone. */
	assert_int_equal(
	    store_enrollment_put(f->s, ha, b.id, NOW), STORE_CONFLICT);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_org_get(f->s, "usaid", &org), STORE_OK);
	assert_int_equal(store_enrollment_get(f->s, hb, id, &exp), STORE_OK);
	assert_string_equal(id, b.id);
}

static void
test_free_with_an_open_transaction_rolls_it_back(void **state)
{
	struct fx *f = *state;
	struct store_org org;

	assert_int_equal(store_begin(f->s), 0);
	add_org(f->s, "state");
	reopen(f);
	assert_int_equal(store_org_get(f->s, "state", &org), STORE_NOTFOUND);
}

struct waiter {
	struct store *s;
	atomic_int done;
	int rc;
};

static void *
write_meta(void *arg)
{
	struct waiter *w = arg;

	w->rc = store_meta_set(w->s, "from_thread", "yes");
	atomic_store(&w->done, 1);
	return (NULL);
}

static void
test_other_threads_wait_for_an_open_transaction(void **state)
{
	struct fx *f = *state;
	struct timespec pause = {0, 200 * 1000 * 1000};
	struct waiter w;
	pthread_t t;
	char v[16];

	memset(&w, 0, sizeof(w));
	w.s = f->s;
	atomic_init(&w.done, 0);
	assert_int_equal(store_begin(f->s), 0);
	assert_int_equal(store_meta_set(f->s, "from_owner", "yes"), STORE_OK);
	assert_int_equal(pthread_create(&t, NULL, write_meta, &w), 0);
	(void)nanosleep(&pause, NULL);
	/* The other thread is blocked, and has written nothing. */
	assert_int_equal(atomic_load(&w.done), 0);
	assert_int_equal(
	    store_meta_get(f->s, "from_thread", v, sizeof(v)), STORE_NOTFOUND);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(atomic_load(&w.done), 1);
	assert_int_equal(w.rc, STORE_OK);
	assert_int_equal(
	    store_meta_get(f->s, "from_thread", v, sizeof(v)), STORE_OK);
	assert_int_equal(
	    store_meta_get(f->s, "from_owner", v, sizeof(v)), STORE_OK);
}

/* Damaged rows. */

static void
test_wrong_length_key_blob_on_disk_is_an_error(void **state)
{
	struct fx *f = *state;
	struct store_member m, got, *ms;
	struct keys_public k;
	struct store_custody c;
	char sql[256];
	size_t n, total;

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	(void)snprintf(sql, sizeof(sql),
	    "PRAGMA ignore_check_constraints = "
	    "ON; UPDATE members SET sign_pk = x'00112233' WHERE id = '%s'",
	    m.id);
	raw_exec(f, sql);
	log_reset();
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_ERR);
	assert_int_equal(logged.count, 1);
	assert_non_null(strstr(logged.last, "sign_pk"));
	/* What failed, never the values: no id, handle or bytes. */
	assert_null(strstr(logged.last, m.id));
	assert_null(strstr(logged.last, "alice"));
	assert_null(strstr(logged.last, "00112233"));
	assert_int_equal(
	    store_member_list(f->s, NULL, 0, 10, &ms, &n, &total), STORE_ERR);
	assert_null(ms);
}

static void
test_wrong_length_custody_blob_on_disk_is_an_error(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct keys_public k;
	struct store_custody c, got;
	char sql[256];

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	(void)snprintf(sql, sizeof(sql),
	    "PRAGMA ignore_check_constraints = "
	    "ON; UPDATE custody SET wrapped_seed = zeroblob(200) "
	    "WHERE member_id = '%s'",
	    m.id);
	raw_exec(f, sql);
	log_reset();
	assert_int_equal(store_custody_get(f->s, m.id, &got), STORE_ERR);
	assert_int_equal(logged.count, 1);
	assert_non_null(strstr(logged.last, "wrapped_seed"));
}

static void
test_overlong_text_on_disk_is_an_error_not_an_overflow(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	char sql[256];

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	(void)snprintf(sql, sizeof(sql),
	    "PRAGMA ignore_check_constraints = "
	    "ON; UPDATE members SET display_name = "
	    "replace(hex(zeroblob(250)), '0', 'x') "
	    "WHERE id = '%s'",
	    m.id);
	raw_exec(f, sql);
	log_reset();
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_ERR);
	assert_int_equal(logged.count, 1);
	assert_string_equal(got.display_name, "");
}

static void
test_out_of_range_status_on_disk_is_an_error(void **state)
{
	struct fx *f = *state;
	struct store_member m, got;
	char sql[256];

	add_org(f->s, "state");
	add_member(f->s, &m, "alice", "state");
	(void)snprintf(sql, sizeof(sql),
	    "PRAGMA ignore_check_constraints = "
	    "ON; UPDATE members SET status = 7 WHERE id = '%s'",
	    m.id);
	raw_exec(f, sql);
	assert_int_equal(store_member_get(f->s, m.id, &got), STORE_ERR);
}

static void
test_wrong_length_totp_box_on_disk_is_an_error(void **state)
{
	struct fx *f = *state;
	struct store_member m;
	struct keys_public k;
	struct store_custody c;
	struct store_login got;
	char sql[256];

	add_org(f->s, "state");
	add_active(f->s, &m, "alice", &k, &c);
	(void)snprintf(sql, sizeof(sql),
	    "PRAGMA ignore_check_constraints = "
	    "ON; UPDATE login_state SET totp_box = zeroblob(61) "
	    "WHERE member_id = '%s'",
	    m.id);
	raw_exec(f, sql);
	assert_int_equal(store_login_get(f->s, m.id, &got), STORE_ERR);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_database_wal_and_shm_files_have_mode_0600),
	    T(test_plain_path_opens_the_same_database),
	    T(test_free_null_is_a_no_op),
	    T(test_meta_get_unset_is_notfound),
	    T(test_meta_set_then_get_round_trips),
	    T(test_meta_set_overwrites),
	    T(test_meta_accepts_empty_and_maximal_values),
	    T(test_meta_set_refuses_oversized_key_or_value),
	    T(test_meta_get_refuses_a_buffer_too_small),
	    T(test_org_insert_then_get_round_trips),
	    T(test_org_insert_duplicate_is_conflict),
	    T(test_org_get_unknown_is_notfound),
	    T(test_org_insert_refuses_invalid_id_or_name),
	    T(test_org_list_is_ordered_by_id),
	    T(test_member_insert_then_get_round_trips_as_pending),
	    T(test_member_get_by_handle_finds_the_member),
	    T(test_member_insert_duplicate_handle_is_conflict),
	    T(test_member_insert_duplicate_id_is_conflict),
	    T(test_member_insert_unknown_org_is_notfound),
	    T(test_member_insert_refuses_invalid_fields),
	    T(test_member_get_unknown_is_notfound),
	    T(test_member_set_roles_eligible_and_name_change_the_member),
	    T(test_member_setters_on_unknown_member_are_notfound),
	    T(test_member_setters_refuse_invalid_values),
	    T(test_member_set_status_suspends_and_reinstates),
	    T(test_member_set_status_refuses_to_skip_or_undo_activation),
	    T(test_member_list_pages_in_handle_order_with_total),
	    T(test_member_list_beyond_the_end_is_empty_with_total),
	    T(test_member_list_filters_by_org),
	    T(test_activate_sets_keys_custody_login_and_history),
	    T(test_activate_deletes_the_members_enrollment_codes),
	    T(test_activate_twice_is_conflict_and_keeps_the_first_keys),
	    T(test_activate_unknown_member_is_notfound),
	    T(test_activate_suspended_member_is_conflict),
	    T(test_activate_refuses_custody_with_zero_cost),
	    T(test_rotate_keys_advances_epoch_custody_and_history),
	    T(test_rotate_keys_wrong_epoch_is_conflict_changing_nothing),
	    T(test_rotate_keys_of_pending_or_suspended_member_is_conflict),
	    T(test_rotate_keys_of_unknown_member_is_notfound),
	    T(test_key_history_of_pending_is_empty_and_of_unknown_is_notfound),
	    T(test_custody_of_pending_or_unknown_member_is_notfound),
	    T(test_custody_set_replaces_the_whole_record),
	    T(test_login_state_round_trips_with_and_without_totp),
	    T(test_login_state_keeps_a_secret_not_yet_enabled),
	    T(test_login_state_of_pending_or_unknown_member_is_notfound),
	    T(test_login_set_refuses_totp_enabled_without_secret),
	    T(test_enrollment_put_then_get_finds_the_member),
	    T(test_enrollment_get_unknown_is_notfound),
	    T(test_enrollment_put_replaces_the_earlier_code),
	    T(test_enrollment_put_for_non_pending_member_is_conflict),
	    T(test_enrollment_put_for_unknown_member_is_notfound),
	    T(test_enrollment_put_taken_hash_is_conflict_keeping_old_code),
	    T(test_enrollment_delete_member_removes_its_codes_only),
	    T(test_session_put_then_get_round_trips),
	    T(test_session_put_duplicate_is_conflict),
	    T(test_session_put_for_unknown_member_is_notfound),
	    T(test_session_get_unknown_is_notfound),
	    T(test_session_touch_updates_last_seen),
	    T(test_session_delete_ends_it_and_is_idempotent),
	    T(test_session_delete_member_ends_only_its_sessions),
	    T(test_session_purge_removes_only_expired_sessions),
	    T(test_rollback_leaves_nothing_changed),
	    T(test_commit_persists_across_close_and_reopen),
	    T(test_auto_committed_write_persists_across_reopen),
	    T(test_begin_inside_a_transaction_is_refused),
	    T(test_commit_or_rollback_without_begin_is_refused),
	    T(test_failed_call_inside_a_transaction_keeps_earlier_writes),
	    T(test_free_with_an_open_transaction_rolls_it_back),
	    T(test_other_threads_wait_for_an_open_transaction),
	    T(test_wrong_length_key_blob_on_disk_is_an_error),
	    T(test_wrong_length_custody_blob_on_disk_is_an_error),
	    T(test_overlong_text_on_disk_is_an_error_not_an_overflow),
	    T(test_out_of_range_status_on_disk_is_an_error),
	    T(test_wrong_length_totp_box_on_disk_is_an_error),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
