/*
 * Opening the store: schema migrations, refusal of databases this binary
 * cannot safely use, and the storage URL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "access.h"
#include "lifecycle.h"
#include "memo.h"
#include "store.h"

#define NOW 1764400000

struct fx {
	char dir[PATH_MAX / 2];
	char path[PATH_MAX];
	char url[PATH_MAX + 8];
};

static struct {
	int count;
	char last[512];
} logged;

static void
capture(void *ctx, const char *msg)
{

	(void)ctx;
	logged.count++;
	(void)snprintf(logged.last, sizeof(logged.last), "%s", msg);
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
	struct fx *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_migr.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return (-1);
	}
	(void)snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	(void)snprintf(f->url, sizeof(f->url), "sqlite:%s", f->path);
	memset(&logged, 0, sizeof(logged));
	store_set_log(capture, NULL);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	remove_db_files(f->path);
	(void)rmdir(f->dir);
	free(f);
	store_set_log(NULL, NULL);
	return (0);
}

/* Run the single-integer query ${sql} on ${path} over a raw connection. */
static int64_t
raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return (v);
}

static void
raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void
test_latest_schema_version_is_positive(void **state)
{

	(void)state;
	assert_true(store_schema_latest() >= 1);
}

static void
test_fresh_database_reaches_the_latest_version(void **state)
{
	struct fx *f = *state;
	struct store *s;
	int v = -1;

	assert_int_equal(store_open(&s, f->url, NOW), 0);
	assert_int_equal(store_schema_version(s, &v), STORE_OK);
	assert_int_equal(v, store_schema_latest());
	store_free(s);
	/* Every step is recorded once, at the time given to store_open(). */
	assert_int_equal(
	    raw_int(f->path, "PRAGMA user_version"), store_schema_latest());
	assert_int_equal(
	    raw_int(f->path, "SELECT count(*) FROM schema_migrations"),
	    store_schema_latest());
	assert_int_equal(
	    raw_int(f->path, "SELECT max(version) FROM schema_migrations"),
	    store_schema_latest());
	assert_int_equal(
	    raw_int(f->path,
		"SELECT count(*) FROM schema_migrations WHERE applied_at <> "
		"1764400000"),
	    0);
}

static void
test_fresh_database_uses_wal_and_is_marked_as_dissent(void **state)
{
	struct fx *f = *state;
	struct store *s;
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(store_open(&s, f->url, NOW), 0);
	store_free(s);
	assert_int_equal(raw_int(f->path, "PRAGMA application_id"), 0x44534e54);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void
test_reopening_is_idempotent(void **state)
{
	struct fx *f = *state;
	struct store *s;
	char v[16];
	int version;

	assert_int_equal(store_open(&s, f->url, NOW), 0);
	assert_int_equal(store_meta_set(s, "k", "kept"), STORE_OK);
	store_free(s);
	assert_int_equal(store_open(&s, f->url, NOW + 100), 0);
	assert_int_equal(store_schema_version(s, &version), STORE_OK);
	assert_int_equal(version, store_schema_latest());
	assert_int_equal(store_meta_get(s, "k", v, sizeof(v)), STORE_OK);
	assert_string_equal(v, "kept");
	store_free(s);
	/* No step was applied again. */
	assert_int_equal(
	    raw_int(f->path, "SELECT count(*) FROM schema_migrations"),
	    store_schema_latest());
	assert_int_equal(
	    raw_int(f->path, "SELECT max(applied_at) FROM schema_migrations"),
	    NOW);
}

static void
test_newer_schema_is_refused_and_left_alone(void **state)
{
	struct fx *f = *state;
	struct store *s;
	char sql[64];

	assert_int_equal(store_open(&s, f->url, NOW), 0);
	store_free(s);
	(void)snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    store_schema_latest() + 1);
	raw_exec(f->path, sql);
	logged.count = 0;
	assert_int_equal(store_open(&s, f->url, NOW), -1);
	assert_null(s);
	assert_int_equal(logged.count, 1);
	assert_non_null(strstr(logged.last, "newer"));
	assert_int_equal(
	    raw_int(f->path, "PRAGMA user_version"), store_schema_latest() + 1);
	assert_int_equal(
	    raw_int(f->path, "SELECT count(*) FROM schema_migrations"),
	    store_schema_latest());
}

static void
test_another_applications_database_is_refused(void **state)
{
	struct fx *f = *state;
	struct store *s;

	raw_exec(f->path, "CREATE TABLE t (x INTEGER); "
			  "PRAGMA application_id = 42");
	assert_int_equal(store_open(&s, f->url, NOW), -1);
	assert_non_null(strstr(logged.last, "not a dissent database"));
	/* Untouched: no migration was applied. */
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 0);
}

static void
test_unmarked_database_with_a_version_is_refused(void **state)
{
	struct fx *f = *state;
	struct store *s;

	raw_exec(f->path, "PRAGMA user_version = 1");
	assert_int_equal(store_open(&s, f->url, NOW), -1);
	assert_non_null(strstr(logged.last, "not a dissent database"));
}

static void
test_a_file_that_is_not_sqlite_is_refused(void **state)
{
	static const char junk[] =
	    "this is not a database, just some text "
	    "long enough to fill a header of one hundred bytes or so......"
	    "..................................................";
	struct fx *f = *state;
	struct store *s;
	int fd;

	fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	assert_int_equal(close(fd), 0);
	logged.count = 0;
	assert_int_equal(store_open(&s, f->url, NOW), -1);
	assert_true(logged.count >= 1);
}

static void
test_postgresql_url_is_refused_without_echoing_it(void **state)
{
	struct store *s;

	(void)state;
	logged.count = 0;
	assert_int_equal(
	    store_open(
		&s, "postgresql://dissent:hunter2@db.example/dissent", NOW),
	    -1);
	assert_int_equal(logged.count, 1);
	assert_non_null(strstr(logged.last, "PostgreSQL"));
	assert_non_null(strstr(logged.last, "not built"));
	assert_null(strstr(logged.last, "hunter2"));
	assert_int_equal(store_open(&s, "postgres://x@y/z", NOW), -1);
	assert_non_null(strstr(logged.last, "not built"));
}

static void
test_unknown_url_scheme_is_refused(void **state)
{
	struct store *s;

	(void)state;
	logged.count = 0;
	assert_int_equal(store_open(&s, "mysql://localhost/dissent", NOW), -1);
	assert_int_equal(logged.count, 1);
	assert_non_null(strstr(logged.last, "unknown storage scheme"));
	assert_int_equal(store_open(&s, "file:/tmp/x.db", NOW), -1);
}

static void
test_empty_and_in_memory_paths_are_refused(void **state)
{
	struct store *s;

	(void)state;
	assert_int_equal(store_open(&s, "sqlite:", NOW), -1);
	assert_int_equal(store_open(&s, "", NOW), -1);
	assert_int_equal(store_open(&s, ":memory:", NOW), -1);
	assert_int_equal(store_open(&s, "sqlite::memory:", NOW), -1);
	assert_int_equal(access(":memory:", F_OK), -1);
}

static void
test_scheme_is_case_insensitive(void **state)
{
	struct fx *f = *state;
	struct store *s;
	char url[PATH_MAX + 8];

	(void)snprintf(url, sizeof(url), "SQLite:%s", f->path);
	assert_int_equal(store_open(&s, url, NOW), 0);
	store_free(s);
}

static void
test_missing_directory_is_an_error(void **state)
{
	struct fx *f = *state;
	struct store *s;
	char url[PATH_MAX + 32];

	(void)snprintf(url, sizeof(url), "sqlite:%s/no/such/dir/x.db", f->dir);
	logged.count = 0;
	assert_int_equal(store_open(&s, url, NOW), -1);
	assert_int_equal(logged.count, 1);
}

static void
test_schema_2_database_gains_the_memo_tables_and_keeps_its_rows(void **state)
{
	struct fx *f = *state;
	struct store *s;
	struct store_org org;
	int v;

	assert_int_equal(store_open(&s, f->url, NOW), 0);
	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "state");
	(void)snprintf(org.name, sizeof(org.name), "State");
	assert_int_equal(store_org_insert(s, &org), STORE_OK);
	store_free(s);
	/* Take the file back to schema 2, as the log release left it. */
	raw_exec(f->path,
	    "DROP TABLE memo_counts; "
	    "DROP TABLE memo_anon_signatures; DROP TABLE memo_ring_members; "
	    "DROP TABLE notifications; DROP TABLE channel_grants; "
	    "DROP TABLE channel_key; DROP TABLE complaint_readers; "
	    "DROP TABLE complaints; DROP TABLE meetings; "
	    "DROP TABLE memo_distributions; DROP TABLE memo_replies; "
	    "DROP TABLE memo_accesses; DROP TABLE memo_signatures; "
	    "DROP TABLE memo_grants; DROP TABLE memo_members; "
	    "DROP TABLE memo_versions; DROP TABLE memos; "
	    "DELETE FROM schema_migrations WHERE version >= 3; "
	    "PRAGMA user_version = 2;");
	assert_int_equal(store_open(&s, f->url, NOW + 5), 0);
	assert_int_equal(store_schema_version(s, &v), STORE_OK);
	assert_int_equal(v, store_schema_latest());
	assert_true(v >= 3);
	assert_int_equal(store_org_get(s, "state", &org), STORE_OK);
	store_free(s);
	assert_int_equal(
	    raw_int(f->path, "SELECT applied_at FROM "
			     "schema_migrations WHERE version = 3"),
	    NOW + 5);
	assert_int_equal(
	    raw_int(f->path,
		"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
		"name IN ('memos', 'memo_versions', 'memo_members', "
		"'memo_grants', 'memo_signatures', 'memo_accesses', "
		"'memo_replies', 'memo_distributions', 'meetings', "
		"'complaints', 'complaint_readers', 'channel_key', "
		"'channel_grants', 'notifications')"),
	    14);
}

/* SQL taking a database of schema 5 or later back to schema 4. */
#define DROP_COUNTERS                                                          \
	"DROP TABLE memo_counts; "                                             \
	"DROP TRIGGER memo_signatures_count_insert; "                          \
	"DROP TRIGGER memo_signatures_count_delete; "                          \
	"DROP TRIGGER memo_signatures_count_update; "                          \
	"DROP TRIGGER memo_anon_signatures_count_insert; "                     \
	"DROP TRIGGER memo_anon_signatures_count_delete; "                     \
	"DROP TRIGGER memo_anon_signatures_count_update; "                     \
	"DROP TRIGGER memo_members_count_insert; "                             \
	"DROP TRIGGER memo_members_count_delete; "                             \
	"DROP TRIGGER memo_members_count_update; "

static void
test_schema_3_database_gains_the_anonymous_tables_and_keeps_its_memos(
    void **state)
{
	struct fx *f = *state;
	static uint8_t box[48];
	struct store_memo_version v;
	struct store_member m;
	struct store_memo memo, back;
	struct store_org org;
	struct store *s;
	uint64_t size;
	int v4;

	assert_int_equal(store_open(&s, f->url, NOW), 0);
	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "state");
	(void)snprintf(org.name, sizeof(org.name), "State");
	assert_int_equal(store_org_insert(s, &org), STORE_OK);
	memset(&m, 0, sizeof(m));
	directory_member_id_new(m.id);
	(void)snprintf(m.handle, sizeof(m.handle), "alice");
	(void)snprintf(m.display_name, sizeof(m.display_name), "Alice");
	(void)snprintf(m.org_id, sizeof(m.org_id), "state");
	m.roles = ROLE_MEMBER;
	m.eligible = 1;
	assert_int_equal(store_member_insert(s, &m), STORE_OK);
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
	memset(memo.version_hash, 7, sizeof(memo.version_hash));
	v.version = 1;
	memcpy(v.hash, memo.version_hash, sizeof(v.hash));
	memcpy(v.author, m.id, sizeof(v.author));
	v.box = box;
	v.boxlen = sizeof(box);
	assert_int_equal(store_memo_insert(s, &memo, &v, m.id), STORE_OK);
	store_free(s);
	/* Take the file back to schema 3, as the memo release left it. */
	raw_exec(f->path, DROP_COUNTERS
	    "DROP TABLE memo_anon_signatures; DROP TABLE memo_ring_members; "
	    "ALTER TABLE memos DROP COLUMN ring_tree_size; "
	    "DELETE FROM schema_migrations WHERE version >= 4; "
	    "PRAGMA user_version = 3;");
	assert_int_equal(store_open(&s, f->url, NOW + 5), 0);
	assert_int_equal(store_schema_version(s, &v4), STORE_OK);
	assert_int_equal(v4, store_schema_latest());
	assert_true(v4 >= 4);
	/* The memo is there, opened before snapshots: it has none. */
	assert_int_equal(store_memo_get(s, memo.id, &back), STORE_OK);
	assert_int_equal(back.state, MEMO_STATE_OPEN);
	assert_int_equal(
	    store_memo_ring_tree_size(s, memo.id, &size), STORE_NOTFOUND);
	store_free(s);
	assert_int_equal(
	    raw_int(f->path, "SELECT applied_at FROM "
			     "schema_migrations WHERE version = 4"),
	    NOW + 5);
	assert_int_equal(
	    raw_int(f->path,
		"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
		"name IN ('memo_ring_members', 'memo_anon_signatures')"),
	    2);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM memos WHERE "
					  "ring_tree_size IS NULL"),
	    1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_latest_schema_version_is_positive),
	    T(test_schema_3_database_gains_the_anonymous_tables_and_keeps_its_memos),
	    T(test_fresh_database_reaches_the_latest_version),
	    T(test_fresh_database_uses_wal_and_is_marked_as_dissent),
	    T(test_reopening_is_idempotent),
	    T(test_newer_schema_is_refused_and_left_alone),
	    T(test_another_applications_database_is_refused),
	    T(test_unmarked_database_with_a_version_is_refused),
	    T(test_a_file_that_is_not_sqlite_is_refused),
	    T(test_postgresql_url_is_refused_without_echoing_it),
	    T(test_unknown_url_scheme_is_refused),
	    T(test_empty_and_in_memory_paths_are_refused),
	    T(test_scheme_is_case_insensitive),
	    T(test_missing_directory_is_an_error),
	    T(test_schema_2_database_gains_the_memo_tables_and_keeps_its_rows),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
