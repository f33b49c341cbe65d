#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "store_backend.h"

/*
 * The SQLite backend: every SQL statement of the store lives in this file.
 *
 * One connection per handle, opened without SQLite's own mutex since
 * store.c serialises every call.  Settings (https://sqlite.org/pragma.html):
 * WAL journal with synchronous=FULL, so a transaction is on stable storage
 * once COMMIT returns; foreign_keys=ON; secure_delete=ON, so deleted rows
 * (sessions, codes, old custody) are overwritten with zeros rather than
 * left in free pages; a busy timeout for other processes' locks.
 */

/* PRAGMA application_id: "DSNT", marking the file as a dissent database. */
#define APPLICATION_ID 0x44534e54
#define BUSY_TIMEOUT_MS 5000

/*
 * Migrations, oldest first: migrations[i] takes the schema from version i
 * to version i + 1.  A migration is never edited once released: a change is
 * a new step.  Types and constraints are kept to what PostgreSQL also has
 * (INTEGER, TEXT, BLOB as BYTEA, CHECK, FOREIGN KEY) so its schema mirrors
 * this one; STRICT (SQLite >= 3.37) makes SQLite enforce the column types,
 * and length(CAST(x AS BLOB)) counts bytes (octet_length() in PostgreSQL).
 */
_Static_assert(DIRECTORY_ORG_ID_MAX == 32, "migration 1: orgs.id");
_Static_assert(DIRECTORY_ORG_NAME_MAX == 128, "migration 1: orgs.name");
_Static_assert(DIRECTORY_MEMBER_ID_LEN == 26, "migration 1: members.id");
_Static_assert(DIRECTORY_HANDLE_MAX == 64, "migration 1: members.handle");
_Static_assert(DIRECTORY_DISPLAY_NAME_MAX == 128, "migration 1: names");
_Static_assert(ROLE_ALL == 63, "migration 1: members.roles");
_Static_assert(STORE_MEMBER_PENDING == 0 && STORE_MEMBER_ACTIVE == 1 &&
		   STORE_MEMBER_SUSPENDED == 2,
    "migration 1: members.status");
_Static_assert(KEYS_SIGN_PK_BYTES == 32 && KEYS_BOX_PK_BYTES == 32 &&
		   KEYS_RING_PK_BYTES == 32,
    "migration 1: public keys");
_Static_assert(CUSTODY_SALT_BYTES == 16 && CUSTODY_VERIFIER_BYTES == 32 &&
		   CUSTODY_WRAPPED_BYTES == 72,
    "migration 1: custody");
_Static_assert(STORE_TOTP_BOX_BYTES == 60, "migration 1: login_state");
_Static_assert(STORE_HASH_BYTES == 32, "migration 1: hashes");
_Static_assert(STORE_META_KEY_MAX == 64 && STORE_META_VALUE_MAX == 1024,
    "migration 1: meta");

static const char migration_1[] =
    "PRAGMA application_id = 1146310228;\n"
    "CREATE TABLE schema_migrations (\n"
    "  version INTEGER NOT NULL PRIMARY KEY CHECK (version >= 1),\n"
    "  applied_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE meta (\n"
    "  key TEXT NOT NULL PRIMARY KEY\n"
    "    CHECK (length(CAST(key AS BLOB)) BETWEEN 1 AND 64),\n"
    "  value TEXT NOT NULL CHECK (length(CAST(value AS BLOB)) <= 1024)\n"
    ") STRICT;\n"
    "CREATE TABLE orgs (\n"
    "  id TEXT NOT NULL PRIMARY KEY\n"
    "    CHECK (length(CAST(id AS BLOB)) BETWEEN 1 AND 32),\n"
    "  name TEXT NOT NULL\n"
    "    CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 128),\n"
    "  created_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE members (\n"
    "  id TEXT NOT NULL PRIMARY KEY CHECK (length(CAST(id AS BLOB)) = 26),\n"
    "  handle TEXT NOT NULL UNIQUE\n"
    "    CHECK (length(CAST(handle AS BLOB)) BETWEEN 1 AND 64),\n"
    "  display_name TEXT NOT NULL\n"
    "    CHECK (length(CAST(display_name AS BLOB)) BETWEEN 1 AND 128),\n"
    "  org_id TEXT NOT NULL REFERENCES orgs(id),\n"
    "  roles INTEGER NOT NULL CHECK (roles BETWEEN 1 AND 63),\n"
    "  eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),\n"
    "  status INTEGER NOT NULL CHECK (status IN (0, 1, 2)),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  key_epoch INTEGER NOT NULL\n"
    "    CHECK (key_epoch BETWEEN 0 AND 4294967295),\n"
    "  sign_pk BLOB,\n"
    "  box_pk BLOB,\n"
    "  ring_pk BLOB,\n"
    /* Never enrolled: no keys, pending or suspended; else all three keys. */
    "  CONSTRAINT members_keys_match_status CHECK (\n"
    "    (key_epoch = 0 AND status IN (0, 2) AND sign_pk IS NULL AND\n"
    "     box_pk IS NULL AND ring_pk IS NULL) OR\n"
    "    (key_epoch >= 1 AND status IN (1, 2) AND length(sign_pk) = 32 AND\n"
    "     length(box_pk) = 32 AND length(ring_pk) = 32))\n"
    ") STRICT;\n"
    "CREATE INDEX members_org_handle ON members(org_id, handle);\n"
    "CREATE TABLE custody (\n"
    "  member_id TEXT NOT NULL PRIMARY KEY\n"
    "    REFERENCES members(id) ON DELETE CASCADE,\n"
    "  salt BLOB NOT NULL CHECK (length(salt) = 16),\n"
    "  opslimit INTEGER NOT NULL CHECK (opslimit >= 1),\n"
    "  memlimit INTEGER NOT NULL CHECK (memlimit >= 1),\n"
    "  verifier BLOB NOT NULL CHECK (length(verifier) = 32),\n"
    "  wrapped_seed BLOB NOT NULL CHECK (length(wrapped_seed) = 72),\n"
    "  recovery_verifier BLOB NOT NULL\n"
    "    CHECK (length(recovery_verifier) = 32),\n"
    "  recovery_wrapped_seed BLOB NOT NULL\n"
    "    CHECK (length(recovery_wrapped_seed) = 72)\n"
    ") STRICT;\n"
    "CREATE TABLE login_state (\n"
    "  member_id TEXT NOT NULL PRIMARY KEY\n"
    "    REFERENCES members(id) ON DELETE CASCADE,\n"
    "  failures INTEGER NOT NULL CHECK (failures BETWEEN 0 AND 4294967295),\n"
    "  locked_until INTEGER NOT NULL,\n"
    "  totp_enabled INTEGER NOT NULL CHECK (totp_enabled IN (0, 1)),\n"
    "  totp_box BLOB CHECK (totp_box IS NULL OR length(totp_box) = 60),\n"
    "  totp_last_step INTEGER NOT NULL,\n"
    "  CONSTRAINT login_state_totp_needs_secret\n"
    "    CHECK (totp_enabled = 0 OR totp_box IS NOT NULL)\n"
    ") STRICT;\n"
    "CREATE TABLE key_history (\n"
    "  member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,\n"
    "  epoch INTEGER NOT NULL CHECK (epoch BETWEEN 1 AND 4294967295),\n"
    "  sign_pk BLOB NOT NULL CHECK (length(sign_pk) = 32),\n"
    "  box_pk BLOB NOT NULL CHECK (length(box_pk) = 32),\n"
    "  ring_pk BLOB NOT NULL CHECK (length(ring_pk) = 32),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY (member_id, epoch)\n"
    ") STRICT;\n"
    "CREATE TABLE enrollment_codes (\n"
    "  code_hash BLOB NOT NULL PRIMARY KEY CHECK (length(code_hash) = 32),\n"
    "  member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,\n"
    "  expires_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX enrollment_codes_member ON enrollment_codes(member_id);\n"
    "CREATE TABLE sessions (\n"
    "  token_hash BLOB NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),\n"
    "  member_id TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  last_seen INTEGER NOT NULL,\n"
    "  expires_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE INDEX sessions_member ON sessions(member_id);\n"
    "CREATE INDEX sessions_expires ON sessions(expires_at);\n";

_Static_assert(STORE_LOG_EVENT_MAX == 4096, "migration 2: log_entries.event");
_Static_assert(MERKLE_HASH_BYTES == 32, "migration 2: log hashes");
_Static_assert(STORE_LOG_SIG_BYTES == 64, "migration 2: log_heads.signature");
_Static_assert(MERKLE_MAX_LEVELS == 64, "migration 2: log_nodes.level");
_Static_assert(STORE_LOG_SIZE_MAX >> 12 < (uint64_t)INT64_MAX,
    "migration 2: log bucket numbers");

/*
 * Migration 2: the channel log (store.h, "The channel log").  Level-0 nodes
 * are not repeated in log_nodes: they are the entries' leaf hashes.
 *
 * The leaf hash index is not UNIQUE: two equal events (the same change
 * twice in one second) have equal leaf hashes.  It is partitioned into
 * buckets of 2^12 consecutive entries (its first column is idx >> 12):
 * hashes are random, so a plain index on them takes every append to a
 * random page, and a batch of appends dirties (and writes to the WAL) one
 * page per entry once the index outgrows the cache, which made appends
 * five times slower at 10^6 entries.  Bucketed, a batch dirties the few
 * pages of the current bucket; a lookup by hash seeks once per bucket
 * (about 2,500 seeks at 10^7 entries), which the rare lookups can afford.
 *
 * Nothing here guards the log against edits; the Merkle tree and the
 * signed heads make them evident.
 */
/* The bucket of an entry: idx >> 12 here, in migration 2 and ST_LOG_FIND. */
#define LOG_BUCKET_SHIFT 12
static const char migration_2[] =
    "CREATE TABLE log_entries (\n"
    "  idx INTEGER NOT NULL PRIMARY KEY CHECK (idx >= 0),\n"
    "  leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),\n"
    "  event BLOB NOT NULL CHECK (length(event) BETWEEN 1 AND 4096)\n"
    ") STRICT;\n"
    "CREATE INDEX log_entries_leaf_hash\n"
    "  ON log_entries(idx >> 12, leaf_hash);\n"
    "CREATE TABLE log_nodes (\n"
    "  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 63),\n"
    "  idx INTEGER NOT NULL CHECK (idx >= 0),\n"
    "  hash BLOB NOT NULL CHECK (length(hash) = 32),\n"
    "  PRIMARY KEY (level, idx)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE log_heads (\n"
    "  size INTEGER NOT NULL PRIMARY KEY CHECK (size >= 0),\n"
    "  timestamp INTEGER NOT NULL CHECK (timestamp >= 0),\n"
    "  root BLOB NOT NULL CHECK (length(root) = 32),\n"
    "  signature BLOB NOT NULL CHECK (length(signature) = 64)\n"
    ") STRICT;\n"
    "CREATE TABLE log_key_events (\n"
    "  member_id TEXT NOT NULL,\n"
    "  epoch INTEGER NOT NULL CHECK (epoch BETWEEN 1 AND 4294967295),\n"
    "  log_index INTEGER NOT NULL UNIQUE REFERENCES log_entries(idx),\n"
    "  PRIMARY KEY (member_id, epoch),\n"
    "  FOREIGN KEY (member_id, epoch)\n"
    "    REFERENCES key_history(member_id, epoch)\n"
    ") STRICT;\n";

static const char *const migrations[] = {
    migration_1,
    migration_2,
};
#define SCHEMA_LATEST ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Every statement, prepared once per handle when it is opened. */
enum stmt {
	ST_BEGIN,
	ST_BEGIN_IMMEDIATE,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_META_GET,
	ST_META_SET,
	ST_ORG_INSERT,
	ST_ORG_GET,
	ST_ORG_COUNT,
	ST_ORG_LIST,
	ST_MEMBER_INSERT,
	ST_MEMBER_GET,
	ST_MEMBER_GET_BY_HANDLE,
	ST_MEMBER_COUNT,
	ST_MEMBER_COUNT_ORG,
	ST_MEMBER_LIST,
	ST_MEMBER_LIST_ORG,
	ST_MEMBER_STATE,
	ST_MEMBER_SET_ROLES,
	ST_MEMBER_SET_ELIGIBLE,
	ST_MEMBER_SET_NAME,
	ST_MEMBER_SET_STATUS,
	ST_MEMBER_SET_KEYS,
	ST_CUSTODY_INSERT,
	ST_CUSTODY_GET,
	ST_CUSTODY_UPDATE,
	ST_LOGIN_INSERT,
	ST_LOGIN_GET,
	ST_LOGIN_UPDATE,
	ST_HISTORY_INSERT,
	ST_HISTORY_COUNT,
	ST_HISTORY_LIST,
	ST_ENROLL_INSERT,
	ST_ENROLL_GET,
	ST_ENROLL_DELETE_MEMBER,
	ST_SESSION_INSERT,
	ST_SESSION_GET,
	ST_SESSION_TOUCH,
	ST_SESSION_DELETE,
	ST_SESSION_DELETE_MEMBER,
	ST_SESSION_PURGE,
	ST_LOG_SIZE,
	ST_LOG_ENTRY_INSERT,
	ST_LOG_NODE_INSERT,
	ST_LOG_KEY_INSERT,
	ST_LOG_LEAF_GET,
	ST_LOG_NODE_GET,
	ST_LOG_RANGE_SIZE,
	ST_LOG_RANGE,
	ST_LOG_FIND,
	ST_LOG_HEAD_INSERT,
	ST_LOG_HEAD_GET,
	ST_LOG_HEAD_LATEST,
	ST_LOG_KEY_GET,
	ST_COUNT
};

#define MEMBER_COLUMNS                                                         \
	"id, handle, display_name, org_id, roles, eligible, status, "          \
	"created_at, key_epoch, sign_pk, box_pk, ring_pk"
#define CUSTODY_COLUMNS                                                        \
	"salt, opslimit, memlimit, verifier, wrapped_seed, "                   \
	"recovery_verifier, recovery_wrapped_seed"

/* Each statement's name in error messages, and its text. */
static const struct {
	const char *what;
	const char *sql;
} stmts[ST_COUNT] = {
    [ST_BEGIN] = {"begin", "BEGIN"},
    [ST_BEGIN_IMMEDIATE] = {"begin", "BEGIN IMMEDIATE"},
    [ST_COMMIT] = {"commit", "COMMIT"},
    [ST_ROLLBACK] = {"rollback", "ROLLBACK"},
    [ST_SAVEPOINT] = {"savepoint", "SAVEPOINT store_op"},
    [ST_RELEASE] = {"release savepoint", "RELEASE store_op"},
    [ST_ROLLBACK_TO] = {"rollback to savepoint", "ROLLBACK TO store_op"},
    [ST_META_GET] = {"meta get", "SELECT value FROM meta WHERE key = ?1"},
    [ST_META_SET] = {"meta set",
	"INSERT INTO meta (key, value) VALUES (?1, ?2) "
	"ON CONFLICT (key) DO UPDATE SET value = excluded.value"},
    [ST_ORG_INSERT] = {"org insert",
	"INSERT INTO orgs (id, name, created_at) VALUES (?1, ?2, ?3)"},
    [ST_ORG_GET] = {"org get",
	"SELECT id, name, created_at FROM orgs WHERE id = ?1"},
    [ST_ORG_COUNT] = {"org count", "SELECT count(*) FROM orgs"},
    [ST_ORG_LIST] = {"org list",
	"SELECT id, name, created_at FROM orgs ORDER BY id"},
    [ST_MEMBER_INSERT] = {"member insert",
	"INSERT INTO members (id, handle, display_name, org_id, roles, "
	"eligible, status, created_at, key_epoch) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, 0)"},
    [ST_MEMBER_GET] = {"member get",
	"SELECT " MEMBER_COLUMNS " FROM members WHERE id = ?1"},
    [ST_MEMBER_GET_BY_HANDLE] = {"member get by handle",
	"SELECT " MEMBER_COLUMNS " FROM members WHERE handle = ?1"},
    [ST_MEMBER_COUNT] = {"member count", "SELECT count(*) FROM members"},
    [ST_MEMBER_COUNT_ORG] = {"member count",
	"SELECT count(*) FROM members WHERE org_id = ?1"},
    [ST_MEMBER_LIST] = {"member list",
	"SELECT " MEMBER_COLUMNS " FROM members ORDER BY handle "
	"LIMIT ?1 OFFSET ?2"},
    [ST_MEMBER_LIST_ORG] = {"member list",
	"SELECT " MEMBER_COLUMNS " FROM members WHERE org_id = ?3 "
	"ORDER BY handle LIMIT ?1 OFFSET ?2"},
    [ST_MEMBER_STATE] = {"member state",
	"SELECT status, key_epoch FROM members WHERE id = ?1"},
    [ST_MEMBER_SET_ROLES] = {"member set roles",
	"UPDATE members SET roles = ?2 WHERE id = ?1"},
    [ST_MEMBER_SET_ELIGIBLE] = {"member set eligible",
	"UPDATE members SET eligible = ?2 WHERE id = ?1"},
    [ST_MEMBER_SET_NAME] = {"member set display name",
	"UPDATE members SET display_name = ?2 WHERE id = ?1"},
    [ST_MEMBER_SET_STATUS] = {"member set status",
	"UPDATE members SET status = ?2 WHERE id = ?1"},
    [ST_MEMBER_SET_KEYS] = {"member set keys",
	"UPDATE members SET status = ?2, key_epoch = ?3, sign_pk = ?4, "
	"box_pk = ?5, ring_pk = ?6 WHERE id = ?1"},
    [ST_CUSTODY_INSERT] = {"custody insert",
	"INSERT INTO custody (member_id, " CUSTODY_COLUMNS ") "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
    [ST_CUSTODY_GET] = {"custody get",
	"SELECT " CUSTODY_COLUMNS " FROM custody WHERE member_id = ?1"},
    [ST_CUSTODY_UPDATE] = {"custody update",
	"UPDATE custody SET salt = ?2, opslimit = ?3, memlimit = ?4, "
	"verifier = ?5, wrapped_seed = ?6, recovery_verifier = ?7, "
	"recovery_wrapped_seed = ?8 WHERE member_id = ?1"},
    [ST_LOGIN_INSERT] = {"login state insert",
	"INSERT INTO login_state (member_id, failures, locked_until, "
	"totp_enabled, totp_box, totp_last_step) "
	"VALUES (?1, 0, 0, 0, NULL, 0)"},
    [ST_LOGIN_GET] = {"login state get",
	"SELECT failures, locked_until, totp_enabled, totp_box, "
	"totp_last_step FROM login_state WHERE member_id = ?1"},
    [ST_LOGIN_UPDATE] = {"login state update",
	"UPDATE login_state SET failures = ?2, locked_until = ?3, "
	"totp_enabled = ?4, totp_box = ?5, totp_last_step = ?6 "
	"WHERE member_id = ?1"},
    [ST_HISTORY_INSERT] = {"key history insert",
	"INSERT INTO key_history (member_id, epoch, sign_pk, box_pk, "
	"ring_pk, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    [ST_HISTORY_COUNT] = {"key history count",
	"SELECT count(*) FROM key_history WHERE member_id = ?1"},
    [ST_HISTORY_LIST] = {"key history list",
	"SELECT member_id, epoch, sign_pk, box_pk, ring_pk, created_at "
	"FROM key_history WHERE member_id = ?1 ORDER BY epoch"},
    [ST_ENROLL_INSERT] = {"enrollment insert",
	"INSERT INTO enrollment_codes (code_hash, member_id, expires_at) "
	"VALUES (?1, ?2, ?3)"},
    [ST_ENROLL_GET] = {"enrollment get",
	"SELECT member_id, expires_at FROM enrollment_codes "
	"WHERE code_hash = ?1"},
    [ST_ENROLL_DELETE_MEMBER] = {"enrollment delete",
	"DELETE FROM enrollment_codes WHERE member_id = ?1"},
    [ST_SESSION_INSERT] = {"session insert",
	"INSERT INTO sessions (token_hash, member_id, created_at, "
	"last_seen, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)"},
    [ST_SESSION_GET] = {"session get",
	"SELECT token_hash, member_id, created_at, last_seen, expires_at "
	"FROM sessions WHERE token_hash = ?1"},
    [ST_SESSION_TOUCH] = {"session touch",
	"UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1"},
    [ST_SESSION_DELETE] = {"session delete",
	"DELETE FROM sessions WHERE token_hash = ?1"},
    [ST_SESSION_DELETE_MEMBER] = {"session delete member",
	"DELETE FROM sessions WHERE member_id = ?1"},
    [ST_SESSION_PURGE] = {"session purge",
	"DELETE FROM sessions WHERE expires_at < ?1"},
    [ST_LOG_SIZE] = {"log size", "SELECT max(idx) FROM log_entries"},
    [ST_LOG_ENTRY_INSERT] = {"log entry insert",
	"INSERT INTO log_entries (idx, leaf_hash, event) VALUES (?1, ?2, ?3)"},
    [ST_LOG_NODE_INSERT] = {"log node insert",
	"INSERT INTO log_nodes (level, idx, hash) VALUES (?1, ?2, ?3)"},
    [ST_LOG_KEY_INSERT] = {"log key insert",
	"INSERT INTO log_key_events (member_id, epoch, log_index) "
	"VALUES (?1, ?2, ?3)"},
    [ST_LOG_LEAF_GET] = {"log leaf get",
	"SELECT leaf_hash FROM log_entries WHERE idx = ?1"},
    [ST_LOG_NODE_GET] = {"log node get",
	"SELECT hash FROM log_nodes WHERE level = ?1 AND idx = ?2"},
    [ST_LOG_RANGE_SIZE] = {"log range size",
	"SELECT count(*), coalesce(sum(length(event)), 0) FROM log_entries "
	"WHERE idx >= ?1 AND idx < ?2"},
    [ST_LOG_RANGE] = {"log range",
	"SELECT idx, leaf_hash, event FROM log_entries "
	"WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"},
    [ST_LOG_FIND] = {"log find",
	"SELECT idx FROM log_entries WHERE idx >> 12 = ?1 AND "
	"leaf_hash = ?2 AND idx < ?3 ORDER BY idx LIMIT 1"},
    [ST_LOG_HEAD_INSERT] = {"log head insert",
	"INSERT INTO log_heads (size, timestamp, root, signature) "
	"VALUES (?1, ?2, ?3, ?4)"},
    [ST_LOG_HEAD_GET] = {"log head get",
	"SELECT size, timestamp, root, signature FROM log_heads "
	"WHERE size = ?1"},
    [ST_LOG_HEAD_LATEST] = {"log head latest",
	"SELECT size, timestamp, root, signature FROM log_heads "
	"ORDER BY size DESC LIMIT 1"},
    [ST_LOG_KEY_GET] = {"log key get", "SELECT log_index FROM log_key_events "
				       "WHERE member_id = ?1 AND epoch = ?2"},
};

/* A handle: the connection and its prepared statements. */
struct sq {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
};

/* Report the connection's last error for ${what}. */
static void
report(struct sq *q, const char *what)
{

	store_log("sqlite: %s: %s", what, sqlite3_errmsg(q->db));
}

/* The name of result column ${i} of ${st}, for messages. */
static const char *
colname(sqlite3_stmt *st, int i)
{
	const char *name = sqlite3_column_name(st, i);

	return (name != NULL ? name : "?");
}

/* Report that column ${i} of a row read by ${id} is damaged. */
static int
corrupt(enum stmt id, sqlite3_stmt *st, int i)
{

	store_log("sqlite: %s: column %s has a wrong type, length or value "
		  "(database damaged?)",
	    stmts[id].what, colname(st, i));
	return (-1);
}

/*
 * Reset statement ${id} and drop its bindings, so that no pointer to a
 * caller's buffer (bound without copying) outlives the call.
 */
static void
finish(struct sq *q, enum stmt id)
{

	(void)sqlite3_reset(q->st[id]);
	(void)sqlite3_clear_bindings(q->st[id]);
}

/* Map a failed step of ${id} returning ${rc} to a STORE_* code. */
static int
step_failed(struct sq *q, enum stmt id, int rc)
{

	switch (rc) {
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_UNIQUE:
		return (STORE_CONFLICT);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		/* Only our inserts refer to rows, and only to existing ones. */
		return (STORE_NOTFOUND);
	default:
		report(q, stmts[id].what);
		return (STORE_ERR);
	}
}

/* Report a binding failure of ${id} and reset it. */
static int
bind_failed(struct sq *q, enum stmt id)
{

	report(q, stmts[id].what);
	finish(q, id);
	return (STORE_ERR);
}

/* Binding helpers: return 0 or -1.  Nothing is copied (SQLITE_STATIC). */
static int
bind_text(sqlite3_stmt *st, int i, const char *v)
{

	return (sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) == SQLITE_OK
		    ? 0
		    : -1);
}

static int
bind_blob(sqlite3_stmt *st, int i, const void *v, size_t n)
{

	/* Every blob of the store has a small fixed size. */
	if (n > INT32_MAX)
		return (-1);
	return (sqlite3_bind_blob(st, i, v, (int)n, SQLITE_STATIC) == SQLITE_OK
		    ? 0
		    : -1);
}

static int
bind_int(sqlite3_stmt *st, int i, int64_t v)
{

	return (sqlite3_bind_int64(st, i, v) == SQLITE_OK ? 0 : -1);
}

/* Run statement ${id}, which returns no rows, and reset it. */
static int
run(struct sq *q, enum stmt id)
{
	int rc;

	rc = sqlite3_step(q->st[id]);
	rc = (rc == SQLITE_DONE) ? STORE_OK : step_failed(q, id, rc);
	finish(q, id);
	return (rc);
}

/* As run(), but STORE_NOTFOUND if no row was changed. */
static int
run_update(struct sq *q, enum stmt id)
{
	int rc;

	if ((rc = run(q, id)) != STORE_OK)
		return (rc);
	return (sqlite3_changes(q->db) > 0 ? STORE_OK : STORE_NOTFOUND);
}

/*
 * Step statement ${id} to its next row: STORE_OK with a row, STORE_NOTFOUND
 * at the end, or STORE_ERR.  The caller calls finish().
 */
static int
next_row(struct sq *q, enum stmt id)
{
	int rc;

	rc = sqlite3_step(q->st[id]);
	if (rc == SQLITE_ROW)
		return (STORE_OK);
	if (rc == SQLITE_DONE)
		return (STORE_NOTFOUND);
	return (step_failed(q, id, rc));
}

/*
 * Column readers for statement ${id}: each checks the type and size of what
 * is on disk before copying, so a damaged row is an error and never an
 * overflow.  Return 0 or -1 (reported).
 */
static int
col_text(struct sq *q, enum stmt id, int i, char *buf, size_t cap)
{
	sqlite3_stmt *st = q->st[id];
	const unsigned char *t;
	size_t len;

	if (sqlite3_column_type(st, i) != SQLITE_TEXT)
		return (corrupt(id, st, i));
	t = sqlite3_column_text(st, i);
	len = (size_t)sqlite3_column_bytes(st, i);
	if (t == NULL || len >= cap || memchr(t, '\0', len) != NULL)
		return (corrupt(id, st, i));
	memcpy(buf, t, len);
	buf[len] = '\0';
	return (0);
}

static int
col_blob(struct sq *q, enum stmt id, int i, uint8_t *buf, size_t len)
{
	sqlite3_stmt *st = q->st[id];
	const void *b;

	if (sqlite3_column_type(st, i) != SQLITE_BLOB)
		return (corrupt(id, st, i));
	b = sqlite3_column_blob(st, i);
	if (b == NULL || (size_t)sqlite3_column_bytes(st, i) != len)
		return (corrupt(id, st, i));
	memcpy(buf, b, len);
	return (0);
}

static int
col_int(struct sq *q, enum stmt id, int i, int64_t min, int64_t max, int64_t *v)
{
	sqlite3_stmt *st = q->st[id];

	if (sqlite3_column_type(st, i) != SQLITE_INTEGER)
		return (corrupt(id, st, i));
	*v = sqlite3_column_int64(st, i);
	if (*v < min || *v > max)
		return (corrupt(id, st, i));
	return (0);
}

static int
col_null(struct sq *q, enum stmt id, int i)
{
	sqlite3_stmt *st = q->st[id];

	if (sqlite3_column_type(st, i) != SQLITE_NULL)
		return (corrupt(id, st, i));
	return (0);
}

/* Run statement ${id}, a single count(*), and store the result in ${n}. */
static int
count(struct sq *q, enum stmt id, size_t *n)
{
	int64_t v;
	int rc;

	if ((rc = next_row(q, id)) == STORE_NOTFOUND) {
		store_log("sqlite: %s: no result", stmts[id].what);
		rc = STORE_ERR;
	}
	if (rc == STORE_OK && col_int(q, id, 0, 0, INT64_MAX, &v) != 0)
		rc = STORE_ERR;
	finish(q, id);
	if (rc == STORE_OK) {
		if ((uint64_t)v > SIZE_MAX) {
			store_log("sqlite: %s: too many rows", stmts[id].what);
			return (STORE_ERR);
		}
		*n = (size_t)v;
	}
	return (rc);
}

/*
 * Allocate an array of ${n} elements of ${size} bytes for a list (NULL and
 * no error when ${n} is 0).  Return 0 or -1.
 */
static int
list_alloc(void **p, size_t n, size_t size, const char *what)
{

	*p = NULL;
	if (n == 0)
		return (0);
	if (n > SIZE_MAX / size || (*p = calloc(n, size)) == NULL) {
		store_log("sqlite: %s: out of memory", what);
		return (-1);
	}
	return (0);
}

/* Run a single PRAGMA (or query) ${sql} returning an integer. */
static int
query_int(struct sq *q, const char *sql, int64_t *v)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
		report(q, sql);
		return (-1);
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		report(q, sql);
		goto err1;
	}
	if (sqlite3_column_type(st, 0) != SQLITE_INTEGER) {
		store_log("sqlite: %s: not an integer", sql);
		goto err1;
	}
	*v = sqlite3_column_int64(st, 0);
	(void)sqlite3_finalize(st);
	return (0);

err1:
	(void)sqlite3_finalize(st);
	return (-1);
}

/* Run ${sql}, one or more statements without results. */
static int
exec(struct sq *q, const char *sql, const char *what)
{

	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		report(q, what);
		return (-1);
	}
	return (0);
}

/*
 * Create ${path} with mode 0600 if it does not exist, before SQLite opens
 * it: SQLite gives the -wal and -shm files the mode of the database, so
 * none of them is ever readable by others.  A new file and its directory
 * entry are made durable at once.
 */
static int
create_file(const char *path)
{
	const char *slash;
	char *dir;
	size_t dlen;
	int fd, dfd;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return (0);
		store_log(
		    "sqlite: cannot create %s: %s", path, strerror(errno));
		return (-1);
	}
	if (fsync(fd) != 0) {
		store_log("sqlite: cannot sync %s: %s", path, strerror(errno));
		(void)close(fd);
		return (-1);
	}
	if (close(fd) != 0) {
		store_log("sqlite: cannot close %s: %s", path, strerror(errno));
		return (-1);
	}

	/* The directory that holds the new entry. */
	if ((slash = strrchr(path, '/')) == NULL) {
		dir = strdup(".");
	} else {
		dlen = (slash == path) ? 1 : (size_t)(slash - path);
		if ((dir = malloc(dlen + 1)) != NULL) {
			memcpy(dir, path, dlen);
			dir[dlen] = '\0';
		}
	}
	if (dir == NULL) {
		store_log("sqlite: out of memory");
		return (-1);
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		store_log("sqlite: cannot open directory %s: %s", dir,
		    strerror(errno));
		goto err1;
	}
	/* Some file systems cannot sync a directory (EINVAL): nothing to do. */
	if (fsync(dfd) != 0 && errno != EINVAL) {
		store_log("sqlite: cannot sync directory %s: %s", dir,
		    strerror(errno));
		(void)close(dfd);
		goto err1;
	}
	(void)close(dfd);
	free(dir);
	return (0);

err1:
	free(dir);
	return (-1);
}

/*
 * Refuse, before anything is written, a file that is another application's
 * database or whose schema is newer than this binary knows.
 */
static int
check_identity(struct sq *q)
{
	int64_t app, version;

	if (query_int(q, "PRAGMA application_id", &app) != 0 ||
	    query_int(q, "PRAGMA user_version", &version) != 0)
		return (-1);
	if (version > SCHEMA_LATEST) {
		store_log("sqlite: the database has schema version %lld, newer "
			  "than this binary's %d: use a newer dissent",
		    (long long)version, SCHEMA_LATEST);
		return (-1);
	}
	if (version < 0 ||
	    (app != APPLICATION_ID && (app != 0 || version != 0))) {
		store_log("sqlite: the file is not a dissent database");
		return (-1);
	}
	return (0);
}

/*
 * Apply the migrations the database lacks, each in its own transaction
 * that also records it in schema_migrations (applied at ${now}) and in
 * PRAGMA user_version.  The version is read again under the write lock, so
 * two processes opening one file at once do not both migrate.
 */
static int
migrate(struct sq *q, int64_t now)
{
	sqlite3_stmt *st;
	char sql[64];
	int64_t v;

	for (;;) {
		if (exec(q, "BEGIN IMMEDIATE", "migration begin") != 0)
			return (-1);
		if (check_identity(q) != 0 ||
		    query_int(q, "PRAGMA user_version", &v) != 0)
			goto err1;
		if (v == SCHEMA_LATEST)
			break;
		if (exec(q, migrations[v], "migration") != 0)
			goto err1;
		if (sqlite3_prepare_v2(q->db,
			"INSERT INTO schema_migrations "
			"(version, applied_at) VALUES (?1, ?2)",
			-1, &st, NULL) != SQLITE_OK) {
			report(q, "migration record");
			goto err1;
		}
		if (bind_int(st, 1, v + 1) != 0 || bind_int(st, 2, now) != 0 ||
		    sqlite3_step(st) != SQLITE_DONE) {
			report(q, "migration record");
			(void)sqlite3_finalize(st);
			goto err1;
		}
		(void)sqlite3_finalize(st);
		(void)snprintf(sql, sizeof(sql), "PRAGMA user_version = %lld",
		    (long long)v + 1);
		if (exec(q, sql, "migration version") != 0 ||
		    exec(q, "COMMIT", "migration commit") != 0)
			goto err1;
	}
	if (exec(q, "COMMIT", "migration commit") != 0)
		goto err1;
	return (0);

err1:
	if (!sqlite3_get_autocommit(q->db))
		(void)sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return (-1);
}

/* Set the connection's pragmas (see the top of this file). */
static int
configure(struct sq *q)
{
	const unsigned char *mode;
	sqlite3_stmt *st;
	int64_t fk;
	int ok;

	if (exec(q,
		"PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; "
		"PRAGMA trusted_schema = OFF",
		"pragmas") != 0)
		return (-1);
	/* A library built without foreign keys would ignore the pragma. */
	if (query_int(q, "PRAGMA foreign_keys", &fk) != 0)
		return (-1);
	if (fk != 1) {
		store_log("sqlite: foreign keys are not supported");
		return (-1);
	}
	/* journal_mode answers with the mode in force. */
	if (sqlite3_prepare_v2(q->db, "PRAGMA journal_mode = WAL", -1, &st,
		NULL) != SQLITE_OK) {
		report(q, "journal mode");
		return (-1);
	}
	ok = sqlite3_step(st) == SQLITE_ROW &&
	     (mode = sqlite3_column_text(st, 0)) != NULL &&
	     strcmp((const char *)mode, "wal") == 0;
	(void)sqlite3_finalize(st);
	if (!ok) {
		store_log("sqlite: cannot enable the WAL journal mode");
		return (-1);
	}
	/* In WAL mode, FULL syncs the WAL at every commit. */
	return (exec(q, "PRAGMA synchronous = FULL", "synchronous"));
}

static void
sq_close(void *db)
{
	struct sq *q = db;
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		(void)sqlite3_finalize(q->st[i]);
	if (q->db != NULL) {
		/* Keep the query planner's statistics fresh (cheap). */
		(void)sqlite3_exec(q->db, "PRAGMA optimize", NULL, NULL, NULL);
		if (sqlite3_close(q->db) != SQLITE_OK)
			report(q, "close");
	}
	free(q);
}

static int
sq_open(void **dbp, const char *path, int64_t now)
{
	struct sq *q;
	size_t i;
	int rc;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		store_log("sqlite: out of memory");
		return (-1);
	}
	if (create_file(path) != 0)
		goto err1;
	/* No SQLITE_OPEN_CREATE: create_file() made the file with its mode. */
	rc = sqlite3_open_v2(
	    path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		store_log("sqlite: cannot open %s: %s", path,
		    q->db != NULL ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
		goto err1;
	}
	(void)sqlite3_extended_result_codes(q->db, 1);
	(void)sqlite3_busy_timeout(q->db, BUSY_TIMEOUT_MS);
	if (check_identity(q) != 0 || configure(q) != 0 || migrate(q, now) != 0)
		goto err1;
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(q->db, stmts[i].sql, -1,
			SQLITE_PREPARE_PERSISTENT, &q->st[i],
			NULL) != SQLITE_OK) {
			report(q, stmts[i].what);
			goto err1;
		}
	}
	*dbp = q;
	return (0);

err1:
	sq_close(q);
	return (-1);
}

static int
sq_schema_version(void *db, int *version)
{
	int64_t v;

	if (query_int(db, "PRAGMA user_version", &v) != 0)
		return (STORE_ERR);
	if (v < 0 || v > INT32_MAX) {
		store_log("sqlite: schema version out of range");
		return (STORE_ERR);
	}
	*version = (int)v;
	return (STORE_OK);
}

static int
sq_txn_begin(void *db, int write)
{

	return (run(db, write ? ST_BEGIN_IMMEDIATE : ST_BEGIN) == STORE_OK
		    ? 0
		    : -1);
}

static int
sq_txn_commit(void *db)
{

	return (run(db, ST_COMMIT) == STORE_OK ? 0 : -1);
}

static int
sq_txn_active(void *db)
{
	struct sq *q = db;

	return (!sqlite3_get_autocommit(q->db));
}

static void
sq_txn_rollback(void *db)
{

	/* An I/O error or a full disk may have rolled it back already. */
	if (sq_txn_active(db))
		(void)run(db, ST_ROLLBACK);
}

static int
sq_savepoint(void *db)
{

	return (run(db, ST_SAVEPOINT) == STORE_OK ? 0 : -1);
}

static int
sq_savepoint_release(void *db)
{

	return (run(db, ST_RELEASE) == STORE_OK ? 0 : -1);
}

static void
sq_savepoint_rollback(void *db)
{

	/* If the whole transaction was lost, so is the savepoint. */
	if (sq_txn_active(db) && run(db, ST_ROLLBACK_TO) == STORE_OK)
		(void)run(db, ST_RELEASE);
}

static int
sq_meta_get(void *db, const char *key, char *value, size_t cap)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_META_GET];
	int rc;

	if (bind_text(st, 1, key) != 0)
		return (bind_failed(q, ST_META_GET));
	if ((rc = next_row(q, ST_META_GET)) == STORE_OK) {
		if (sqlite3_column_type(st, 0) == SQLITE_TEXT &&
		    (size_t)sqlite3_column_bytes(st, 0) >= cap) {
			store_log("sqlite: meta get: the value does not fit "
				  "the caller's buffer");
			rc = STORE_ERR;
		} else if (col_text(q, ST_META_GET, 0, value, cap) != 0) {
			rc = STORE_ERR;
		}
	}
	finish(q, ST_META_GET);
	return (rc);
}

static int
sq_meta_set(void *db, const char *key, const char *value)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_META_SET];

	if (bind_text(st, 1, key) != 0 || bind_text(st, 2, value) != 0)
		return (bind_failed(q, ST_META_SET));
	return (run(q, ST_META_SET));
}

static int
sq_org_insert(void *db, const struct store_org *org)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_ORG_INSERT];

	if (bind_text(st, 1, org->id) != 0 ||
	    bind_text(st, 2, org->name) != 0 ||
	    bind_int(st, 3, org->created_at) != 0)
		return (bind_failed(q, ST_ORG_INSERT));
	return (run(q, ST_ORG_INSERT));
}

/* Read the current row of ${id} (id, name, created_at) into ${org}. */
static int
read_org(struct sq *q, enum stmt id, struct store_org *org)
{

	memset(org, 0, sizeof(*org));
	if (col_text(q, id, 0, org->id, sizeof(org->id)) != 0 ||
	    col_text(q, id, 1, org->name, sizeof(org->name)) != 0 ||
	    col_int(q, id, 2, INT64_MIN, INT64_MAX, &org->created_at) != 0)
		return (-1);
	return (0);
}

static int
sq_org_get(void *db, const char *id, struct store_org *org)
{
	struct sq *q = db;
	int rc;

	if (bind_text(q->st[ST_ORG_GET], 1, id) != 0)
		return (bind_failed(q, ST_ORG_GET));
	if ((rc = next_row(q, ST_ORG_GET)) == STORE_OK &&
	    read_org(q, ST_ORG_GET, org) != 0)
		rc = STORE_ERR;
	finish(q, ST_ORG_GET);
	return (rc);
}

static int
sq_org_list(void *db, struct store_org **orgs, size_t *n)
{
	struct sq *q = db;
	struct store_org *arr;
	size_t total, got = 0;
	int rc;

	if ((rc = count(q, ST_ORG_COUNT, &total)) != STORE_OK)
		return (rc);
	if (list_alloc((void **)&arr, total, sizeof(*arr), "org list") != 0)
		return (STORE_ERR);
	/* The count and the rows come from one transaction: they agree. */
	while (got < total && (rc = next_row(q, ST_ORG_LIST)) == STORE_OK) {
		if (read_org(q, ST_ORG_LIST, &arr[got]) != 0) {
			rc = STORE_ERR;
			break;
		}
		got++;
	}
	finish(q, ST_ORG_LIST);
	if (rc == STORE_ERR) {
		free(arr);
		return (STORE_ERR);
	}
	*orgs = arr;
	*n = got;
	return (STORE_OK);
}

static int
sq_member_insert(void *db, const struct store_member *m)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_MEMBER_INSERT];

	if (bind_text(st, 1, m->id) != 0 || bind_text(st, 2, m->handle) != 0 ||
	    bind_text(st, 3, m->display_name) != 0 ||
	    bind_text(st, 4, m->org_id) != 0 ||
	    bind_int(st, 5, m->roles) != 0 ||
	    bind_int(st, 6, m->eligible) != 0 ||
	    bind_int(st, 7, m->created_at) != 0)
		return (bind_failed(q, ST_MEMBER_INSERT));
	return (run(q, ST_MEMBER_INSERT));
}

/* Read the current row of ${id} (MEMBER_COLUMNS) into ${m}. */
static int
read_member(struct sq *q, enum stmt id, struct store_member *m)
{
	int64_t roles, eligible, status, epoch;

	memset(m, 0, sizeof(*m));
	if (col_text(q, id, 0, m->id, sizeof(m->id)) != 0 ||
	    col_text(q, id, 1, m->handle, sizeof(m->handle)) != 0 ||
	    col_text(q, id, 2, m->display_name, sizeof(m->display_name)) != 0 ||
	    col_text(q, id, 3, m->org_id, sizeof(m->org_id)) != 0 ||
	    col_int(q, id, 4, 1, ROLE_ALL, &roles) != 0 ||
	    col_int(q, id, 5, 0, 1, &eligible) != 0 ||
	    col_int(q, id, 6, STORE_MEMBER_PENDING, STORE_MEMBER_SUSPENDED,
		&status) != 0 ||
	    col_int(q, id, 7, INT64_MIN, INT64_MAX, &m->created_at) != 0 ||
	    col_int(q, id, 8, 0, UINT32_MAX, &epoch) != 0)
		goto err0;
	m->roles = (unsigned int)roles;
	m->eligible = (int)eligible;
	m->status = (int)status;
	m->key_epoch = (uint32_t)epoch;
	if (epoch == 0) {
		if (col_null(q, id, 9) != 0 || col_null(q, id, 10) != 0 ||
		    col_null(q, id, 11) != 0)
			goto err0;
	} else {
		if (col_blob(q, id, 9, m->keys.sign_pk,
			sizeof(m->keys.sign_pk)) != 0 ||
		    col_blob(q, id, 10, m->keys.box_pk,
			sizeof(m->keys.box_pk)) != 0 ||
		    col_blob(q, id, 11, m->keys.ring_pk,
			sizeof(m->keys.ring_pk)) != 0)
			goto err0;
	}
	return (0);

err0:
	memset(m, 0, sizeof(*m));
	return (-1);
}

/* Fetch one member with statement ${id} bound to ${key}. */
static int
member_fetch(
    struct sq *q, enum stmt id, const char *key, struct store_member *m)
{
	int rc;

	if (bind_text(q->st[id], 1, key) != 0)
		return (bind_failed(q, id));
	if ((rc = next_row(q, id)) == STORE_OK && read_member(q, id, m) != 0)
		rc = STORE_ERR;
	finish(q, id);
	return (rc);
}

static int
sq_member_get(void *db, const char *id, struct store_member *m)
{

	return (member_fetch(db, ST_MEMBER_GET, id, m));
}

static int
sq_member_get_by_handle(void *db, const char *handle, struct store_member *m)
{

	return (member_fetch(db, ST_MEMBER_GET_BY_HANDLE, handle, m));
}

static int
sq_member_list(void *db, const char *org_id, size_t offset, size_t limit,
    struct store_member **ms, size_t *n, size_t *total)
{
	struct sq *q = db;
	struct store_member *arr;
	enum stmt cid = org_id != NULL ? ST_MEMBER_COUNT_ORG : ST_MEMBER_COUNT;
	enum stmt lid = org_id != NULL ? ST_MEMBER_LIST_ORG : ST_MEMBER_LIST;
	size_t all, want, got = 0;
	int rc;

	if (org_id != NULL && bind_text(q->st[cid], 1, org_id) != 0)
		return (bind_failed(q, cid));
	if ((rc = count(q, cid, &all)) != STORE_OK)
		return (rc);
	/* Allocate for what exists, however large ${limit} is. */
	want = offset < all ? all - offset : 0;
	if (want > limit)
		want = limit;
	if (list_alloc((void **)&arr, want, sizeof(*arr), "member list") != 0)
		return (STORE_ERR);
	if (want > 0) {
		/* offset < all <= INT64_MAX, and want <= all. */
		if (bind_int(q->st[lid], 1, (int64_t)want) != 0 ||
		    bind_int(q->st[lid], 2, (int64_t)offset) != 0 ||
		    (org_id != NULL && bind_text(q->st[lid], 3, org_id) != 0)) {
			free(arr);
			return (bind_failed(q, lid));
		}
		while (got < want && (rc = next_row(q, lid)) == STORE_OK) {
			if (read_member(q, lid, &arr[got]) != 0) {
				rc = STORE_ERR;
				break;
			}
			got++;
		}
		finish(q, lid);
		if (rc == STORE_ERR) {
			free(arr);
			return (STORE_ERR);
		}
	}
	*ms = arr;
	*n = got;
	*total = all;
	return (STORE_OK);
}

/* Update member ${id} with statement ${sid} setting the integer ${v}. */
static int
member_set_int(struct sq *q, enum stmt sid, const char *id, int64_t v)
{
	sqlite3_stmt *st = q->st[sid];

	if (bind_text(st, 1, id) != 0 || bind_int(st, 2, v) != 0)
		return (bind_failed(q, sid));
	return (run_update(q, sid));
}

static int
sq_member_set_roles(void *db, const char *id, unsigned int roles)
{

	return (member_set_int(db, ST_MEMBER_SET_ROLES, id, roles));
}

static int
sq_member_set_eligible(void *db, const char *id, int eligible)
{

	return (member_set_int(db, ST_MEMBER_SET_ELIGIBLE, id, eligible));
}

static int
sq_member_set_display_name(void *db, const char *id, const char *name)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_MEMBER_SET_NAME];

	if (bind_text(st, 1, id) != 0 || bind_text(st, 2, name) != 0)
		return (bind_failed(q, ST_MEMBER_SET_NAME));
	return (run_update(q, ST_MEMBER_SET_NAME));
}

/* Read member ${id}'s status and key epoch; STORE_NOTFOUND if unknown. */
static int
member_state(struct sq *q, const char *id, int *status, uint32_t *epoch)
{
	int64_t s, e;
	int rc;

	if (bind_text(q->st[ST_MEMBER_STATE], 1, id) != 0)
		return (bind_failed(q, ST_MEMBER_STATE));
	if ((rc = next_row(q, ST_MEMBER_STATE)) == STORE_OK) {
		if (col_int(q, ST_MEMBER_STATE, 0, STORE_MEMBER_PENDING,
			STORE_MEMBER_SUSPENDED, &s) != 0 ||
		    col_int(q, ST_MEMBER_STATE, 1, 0, UINT32_MAX, &e) != 0) {
			rc = STORE_ERR;
		} else {
			*status = (int)s;
			*epoch = (uint32_t)e;
		}
	}
	finish(q, ST_MEMBER_STATE);
	return (rc);
}

static int
sq_member_set_status(void *db, const char *id, int status)
{
	struct sq *q = db;
	uint32_t epoch;
	int cur, rc;

	if ((rc = member_state(q, id, &cur, &epoch)) != STORE_OK)
		return (rc);
	/* Active means enrolled; pending means never enrolled. */
	if ((status == STORE_MEMBER_ACTIVE && epoch == 0) ||
	    (status == STORE_MEMBER_PENDING && epoch != 0))
		return (STORE_CONFLICT);
	return (member_set_int(q, ST_MEMBER_SET_STATUS, id, status));
}

/* Set member ${id}'s status, key epoch and public keys. */
static int
member_set_keys(struct sq *q, const char *id, int status, uint32_t epoch,
    const struct keys_public *keys)
{
	sqlite3_stmt *st = q->st[ST_MEMBER_SET_KEYS];

	if (bind_text(st, 1, id) != 0 || bind_int(st, 2, status) != 0 ||
	    bind_int(st, 3, epoch) != 0 ||
	    bind_blob(st, 4, keys->sign_pk, sizeof(keys->sign_pk)) != 0 ||
	    bind_blob(st, 5, keys->box_pk, sizeof(keys->box_pk)) != 0 ||
	    bind_blob(st, 6, keys->ring_pk, sizeof(keys->ring_pk)) != 0)
		return (bind_failed(q, ST_MEMBER_SET_KEYS));
	return (run_update(q, ST_MEMBER_SET_KEYS));
}

/* Insert or update (statement ${sid}) member ${id}'s custody ${c}. */
static int
custody_write(
    struct sq *q, enum stmt sid, const char *id, const struct store_custody *c)
{
	sqlite3_stmt *st = q->st[sid];

	/* store.c checked that both limits fit an int64_t. */
	if (bind_text(st, 1, id) != 0 ||
	    bind_blob(st, 2, c->kdf.salt, sizeof(c->kdf.salt)) != 0 ||
	    bind_int(st, 3, (int64_t)c->kdf.opslimit) != 0 ||
	    bind_int(st, 4, (int64_t)c->kdf.memlimit) != 0 ||
	    bind_blob(st, 5, c->verifier, sizeof(c->verifier)) != 0 ||
	    bind_blob(st, 6, c->wrapped_seed, sizeof(c->wrapped_seed)) != 0 ||
	    bind_blob(st, 7, c->recovery_verifier,
		sizeof(c->recovery_verifier)) != 0 ||
	    bind_blob(st, 8, c->recovery_wrapped_seed,
		sizeof(c->recovery_wrapped_seed)) != 0)
		return (bind_failed(q, sid));
	return (sid == ST_CUSTODY_UPDATE ? run_update(q, sid) : run(q, sid));
}

/* Append ${keys} at ${epoch} to member ${id}'s key history. */
static int
history_append(struct sq *q, const char *id, uint32_t epoch,
    const struct keys_public *keys, int64_t now)
{
	sqlite3_stmt *st = q->st[ST_HISTORY_INSERT];

	if (bind_text(st, 1, id) != 0 || bind_int(st, 2, epoch) != 0 ||
	    bind_blob(st, 3, keys->sign_pk, sizeof(keys->sign_pk)) != 0 ||
	    bind_blob(st, 4, keys->box_pk, sizeof(keys->box_pk)) != 0 ||
	    bind_blob(st, 5, keys->ring_pk, sizeof(keys->ring_pk)) != 0 ||
	    bind_int(st, 6, now) != 0)
		return (bind_failed(q, ST_HISTORY_INSERT));
	return (run(q, ST_HISTORY_INSERT));
}

/* Run statement ${sid} bound to the member id ${id} only. */
static int
run_for_member(struct sq *q, enum stmt sid, const char *id)
{

	if (bind_text(q->st[sid], 1, id) != 0)
		return (bind_failed(q, sid));
	return (run(q, sid));
}

static int
sq_member_activate(void *db, const char *id, const struct keys_public *keys,
    const struct store_custody *c, int64_t now)
{
	struct sq *q = db;
	uint32_t epoch;
	int status, rc;

	if ((rc = member_state(q, id, &status, &epoch)) != STORE_OK)
		return (rc);
	if (status != STORE_MEMBER_PENDING)
		return (STORE_CONFLICT);
	if ((rc = member_set_keys(q, id, STORE_MEMBER_ACTIVE, 1, keys)) !=
		STORE_OK ||
	    (rc = custody_write(q, ST_CUSTODY_INSERT, id, c)) != STORE_OK ||
	    (rc = run_for_member(q, ST_LOGIN_INSERT, id)) != STORE_OK ||
	    (rc = history_append(q, id, 1, keys, now)) != STORE_OK ||
	    (rc = run_for_member(q, ST_ENROLL_DELETE_MEMBER, id)) != STORE_OK)
		return (rc);
	return (STORE_OK);
}

static int
sq_member_rotate_keys(void *db, const char *id, uint32_t epoch,
    const struct keys_public *keys, const struct store_custody *c, int64_t now)
{
	struct sq *q = db;
	uint32_t cur;
	int status, rc;

	if ((rc = member_state(q, id, &status, &cur)) != STORE_OK)
		return (rc);
	if (status != STORE_MEMBER_ACTIVE ||
	    (uint64_t)epoch != (uint64_t)cur + 1)
		return (STORE_CONFLICT);
	if ((rc = member_set_keys(q, id, STORE_MEMBER_ACTIVE, epoch, keys)) !=
	    STORE_OK)
		return (rc);
	if ((rc = custody_write(q, ST_CUSTODY_UPDATE, id, c)) ==
	    STORE_NOTFOUND) {
		store_log("sqlite: key rotation: an active member has no "
			  "custody record (database damaged?)");
		return (STORE_ERR);
	}
	if (rc != STORE_OK)
		return (rc);
	return (history_append(q, id, epoch, keys, now));
}

static int
sq_key_history(
    void *db, const char *id, struct store_key_record **recs, size_t *n)
{
	struct sq *q = db;
	struct store_key_record *arr, *r;
	size_t total, got = 0;
	uint32_t epoch;
	int64_t e;
	int status, rc;

	if ((rc = member_state(q, id, &status, &epoch)) != STORE_OK)
		return (rc);
	if (bind_text(q->st[ST_HISTORY_COUNT], 1, id) != 0)
		return (bind_failed(q, ST_HISTORY_COUNT));
	if ((rc = count(q, ST_HISTORY_COUNT, &total)) != STORE_OK)
		return (rc);
	if (list_alloc((void **)&arr, total, sizeof(*arr), "key history") != 0)
		return (STORE_ERR);
	if (bind_text(q->st[ST_HISTORY_LIST], 1, id) != 0) {
		free(arr);
		return (bind_failed(q, ST_HISTORY_LIST));
	}
	while (got < total && (rc = next_row(q, ST_HISTORY_LIST)) == STORE_OK) {
		r = &arr[got];
		if (col_text(q, ST_HISTORY_LIST, 0, r->member_id,
			sizeof(r->member_id)) != 0 ||
		    col_int(q, ST_HISTORY_LIST, 1, 1, UINT32_MAX, &e) != 0 ||
		    col_blob(q, ST_HISTORY_LIST, 2, r->keys.sign_pk,
			sizeof(r->keys.sign_pk)) != 0 ||
		    col_blob(q, ST_HISTORY_LIST, 3, r->keys.box_pk,
			sizeof(r->keys.box_pk)) != 0 ||
		    col_blob(q, ST_HISTORY_LIST, 4, r->keys.ring_pk,
			sizeof(r->keys.ring_pk)) != 0 ||
		    col_int(q, ST_HISTORY_LIST, 5, INT64_MIN, INT64_MAX,
			&r->created_at) != 0) {
			rc = STORE_ERR;
			break;
		}
		r->epoch = (uint32_t)e;
		got++;
	}
	finish(q, ST_HISTORY_LIST);
	if (rc == STORE_ERR) {
		free(arr);
		return (STORE_ERR);
	}
	*recs = arr;
	*n = got;
	return (STORE_OK);
}

static int
sq_custody_get(void *db, const char *id, struct store_custody *c)
{
	struct sq *q = db;
	enum stmt sid = ST_CUSTODY_GET;
	int64_t ops, mem;
	int rc;

	if (bind_text(q->st[sid], 1, id) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK) {
		if (col_blob(q, sid, 0, c->kdf.salt, sizeof(c->kdf.salt)) !=
			0 ||
		    col_int(q, sid, 1, 1, INT64_MAX, &ops) != 0 ||
		    col_int(q, sid, 2, 1, INT64_MAX, &mem) != 0 ||
		    col_blob(q, sid, 3, c->verifier, sizeof(c->verifier)) !=
			0 ||
		    col_blob(q, sid, 4, c->wrapped_seed,
			sizeof(c->wrapped_seed)) != 0 ||
		    col_blob(q, sid, 5, c->recovery_verifier,
			sizeof(c->recovery_verifier)) != 0 ||
		    col_blob(q, sid, 6, c->recovery_wrapped_seed,
			sizeof(c->recovery_wrapped_seed)) != 0) {
			rc = STORE_ERR;
		} else {
			c->kdf.opslimit = (uint64_t)ops;
			c->kdf.memlimit = (uint64_t)mem;
		}
	}
	finish(q, sid);
	return (rc);
}

static int
sq_custody_set(void *db, const char *id, const struct store_custody *c)
{

	return (custody_write(db, ST_CUSTODY_UPDATE, id, c));
}

static int
sq_login_get(void *db, const char *id, struct store_login *l)
{
	struct sq *q = db;
	enum stmt sid = ST_LOGIN_GET;
	int64_t failures, enabled;
	int rc;

	if (bind_text(q->st[sid], 1, id) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK) {
		memset(l, 0, sizeof(*l));
		l->totp_has_secret =
		    sqlite3_column_type(q->st[sid], 3) != SQLITE_NULL;
		if (col_int(q, sid, 0, 0, UINT32_MAX, &failures) != 0 ||
		    col_int(q, sid, 1, INT64_MIN, INT64_MAX,
			&l->locked_until) != 0 ||
		    col_int(q, sid, 2, 0, l->totp_has_secret ? 1 : 0,
			&enabled) != 0 ||
		    (l->totp_has_secret && col_blob(q, sid, 3, l->totp_box,
					       sizeof(l->totp_box)) != 0) ||
		    col_int(q, sid, 4, INT64_MIN, INT64_MAX,
			&l->totp_last_step) != 0) {
			rc = STORE_ERR;
		} else {
			l->failures = (uint32_t)failures;
			l->totp_enabled = (int)enabled;
		}
	}
	finish(q, sid);
	return (rc);
}

static int
sq_login_set(void *db, const char *id, const struct store_login *l)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_LOGIN_UPDATE];

	if (bind_text(st, 1, id) != 0 || bind_int(st, 2, l->failures) != 0 ||
	    bind_int(st, 3, l->locked_until) != 0 ||
	    bind_int(st, 4, l->totp_enabled) != 0 ||
	    (l->totp_has_secret
		    ? bind_blob(st, 5, l->totp_box, sizeof(l->totp_box))
		    : (sqlite3_bind_null(st, 5) == SQLITE_OK ? 0 : -1)) != 0 ||
	    bind_int(st, 6, l->totp_last_step) != 0)
		return (bind_failed(q, ST_LOGIN_UPDATE));
	return (run_update(q, ST_LOGIN_UPDATE));
}

static int
sq_enrollment_put(void *db, const uint8_t *code_hash, const char *member_id,
    int64_t expires_at)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_ENROLL_INSERT];
	uint32_t epoch;
	int status, rc;

	if ((rc = member_state(q, member_id, &status, &epoch)) != STORE_OK)
		return (rc);
	if (status != STORE_MEMBER_PENDING)
		return (STORE_CONFLICT);
	if ((rc = run_for_member(q, ST_ENROLL_DELETE_MEMBER, member_id)) !=
	    STORE_OK)
		return (rc);
	if (bind_blob(st, 1, code_hash, STORE_HASH_BYTES) != 0 ||
	    bind_text(st, 2, member_id) != 0 ||
	    bind_int(st, 3, expires_at) != 0)
		return (bind_failed(q, ST_ENROLL_INSERT));
	return (run(q, ST_ENROLL_INSERT));
}

static int
sq_enrollment_get(
    void *db, const uint8_t *code_hash, char *member_id, int64_t *expires_at)
{
	struct sq *q = db;
	enum stmt sid = ST_ENROLL_GET;
	int rc;

	if (bind_blob(q->st[sid], 1, code_hash, STORE_HASH_BYTES) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK &&
	    (col_text(q, sid, 0, member_id, DIRECTORY_MEMBER_ID_LEN + 1) != 0 ||
		col_int(q, sid, 1, INT64_MIN, INT64_MAX, expires_at) != 0))
		rc = STORE_ERR;
	finish(q, sid);
	return (rc);
}

static int
sq_enrollment_delete_member(void *db, const char *member_id)
{

	return (run_for_member(db, ST_ENROLL_DELETE_MEMBER, member_id));
}

static int
sq_session_put(void *db, const struct store_session *sess)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_SESSION_INSERT];

	if (bind_blob(st, 1, sess->token_hash, sizeof(sess->token_hash)) != 0 ||
	    bind_text(st, 2, sess->member_id) != 0 ||
	    bind_int(st, 3, sess->created_at) != 0 ||
	    bind_int(st, 4, sess->last_seen) != 0 ||
	    bind_int(st, 5, sess->expires_at) != 0)
		return (bind_failed(q, ST_SESSION_INSERT));
	return (run(q, ST_SESSION_INSERT));
}

static int
sq_session_get(void *db, const uint8_t *token_hash, struct store_session *sess)
{
	struct sq *q = db;
	enum stmt sid = ST_SESSION_GET;
	int rc;

	if (bind_blob(q->st[sid], 1, token_hash, STORE_HASH_BYTES) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK) {
		memset(sess, 0, sizeof(*sess));
		if (col_blob(q, sid, 0, sess->token_hash,
			sizeof(sess->token_hash)) != 0 ||
		    col_text(q, sid, 1, sess->member_id,
			sizeof(sess->member_id)) != 0 ||
		    col_int(q, sid, 2, INT64_MIN, INT64_MAX,
			&sess->created_at) != 0 ||
		    col_int(q, sid, 3, INT64_MIN, INT64_MAX,
			&sess->last_seen) != 0 ||
		    col_int(q, sid, 4, INT64_MIN, INT64_MAX,
			&sess->expires_at) != 0)
			rc = STORE_ERR;
	}
	finish(q, sid);
	return (rc);
}

static int
sq_session_touch(void *db, const uint8_t *token_hash, int64_t last_seen)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_SESSION_TOUCH];

	if (bind_blob(st, 1, token_hash, STORE_HASH_BYTES) != 0 ||
	    bind_int(st, 2, last_seen) != 0)
		return (bind_failed(q, ST_SESSION_TOUCH));
	return (run_update(q, ST_SESSION_TOUCH));
}

static int
sq_session_delete(void *db, const uint8_t *token_hash)
{
	struct sq *q = db;

	if (bind_blob(
		q->st[ST_SESSION_DELETE], 1, token_hash, STORE_HASH_BYTES) != 0)
		return (bind_failed(q, ST_SESSION_DELETE));
	return (run(q, ST_SESSION_DELETE));
}

static int
sq_session_delete_member(void *db, const char *member_id)
{

	return (run_for_member(db, ST_SESSION_DELETE_MEMBER, member_id));
}

static int
sq_session_purge(void *db, int64_t now)
{
	struct sq *q = db;

	if (bind_int(q->st[ST_SESSION_PURGE], 1, now) != 0)
		return (bind_failed(q, ST_SESSION_PURGE));
	return (run(q, ST_SESSION_PURGE));
}

/* Largest stored log index. */
#define LOG_INDEX_MAX ((int64_t)(STORE_LOG_SIZE_MAX - 1))

static int
sq_log_size(void *db, uint64_t *size)
{
	struct sq *q = db;
	int64_t v;
	int rc;

	if ((rc = next_row(q, ST_LOG_SIZE)) == STORE_NOTFOUND) {
		store_log("sqlite: log size: no result");
		rc = STORE_ERR;
	}
	if (rc == STORE_OK) {
		/* max() of no rows is NULL: an empty log. */
		if (sqlite3_column_type(q->st[ST_LOG_SIZE], 0) == SQLITE_NULL)
			*size = 0;
		else if (col_int(q, ST_LOG_SIZE, 0, 0, LOG_INDEX_MAX, &v) != 0)
			rc = STORE_ERR;
		else
			*size = (uint64_t)v + 1;
	}
	finish(q, ST_LOG_SIZE);
	return (rc);
}

/* Insert the log entry ${e} and, for a key event, its key epoch. */
static int
log_entry_insert(struct sq *q, const struct store_log_entry *e)
{
	sqlite3_stmt *st = q->st[ST_LOG_ENTRY_INSERT];
	int rc;

	/* store.c checked that indexes fit an int64_t. */
	if (bind_int(st, 1, (int64_t)e->index) != 0 ||
	    bind_blob(st, 2, e->leaf_hash, sizeof(e->leaf_hash)) != 0 ||
	    bind_blob(st, 3, e->event, e->len) != 0)
		return (bind_failed(q, ST_LOG_ENTRY_INSERT));
	if ((rc = run(q, ST_LOG_ENTRY_INSERT)) != STORE_OK ||
	    e->key_member == NULL)
		return (rc);
	st = q->st[ST_LOG_KEY_INSERT];
	if (bind_text(st, 1, e->key_member) != 0 ||
	    bind_int(st, 2, e->key_epoch) != 0 ||
	    bind_int(st, 3, (int64_t)e->index) != 0)
		return (bind_failed(q, ST_LOG_KEY_INSERT));
	return (run(q, ST_LOG_KEY_INSERT));
}

static int
sq_log_append(void *db, const struct store_log_entry *entries, size_t n,
    const struct merkle_node *nodes, size_t nnodes)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_LOG_NODE_INSERT];
	uint64_t size;
	size_t i;
	int rc;

	if ((rc = sq_log_size(q, &size)) != STORE_OK)
		return (rc);
	/* Appends only: the next index and nothing else. */
	if (size != entries[0].index)
		return (STORE_CONFLICT);
	for (i = 0; i < n; i++)
		if ((rc = log_entry_insert(q, &entries[i])) != STORE_OK)
			return (rc);
	for (i = 0; i < nnodes; i++) {
		if (bind_int(st, 1, nodes[i].level) != 0 ||
		    bind_int(st, 2, (int64_t)nodes[i].index) != 0 ||
		    bind_blob(st, 3, nodes[i].hash, sizeof(nodes[i].hash)) != 0)
			return (bind_failed(q, ST_LOG_NODE_INSERT));
		if ((rc = run(q, ST_LOG_NODE_INSERT)) != STORE_OK)
			return (rc);
	}
	return (STORE_OK);
}

static int
sq_log_node(void *db, unsigned int level, uint64_t index, uint8_t *hash)
{
	struct sq *q = db;
	enum stmt sid = level == 0 ? ST_LOG_LEAF_GET : ST_LOG_NODE_GET;
	sqlite3_stmt *st = q->st[sid];
	int rc;

	if (level == 0) {
		if (bind_int(st, 1, (int64_t)index) != 0)
			return (bind_failed(q, sid));
	} else if (bind_int(st, 1, level) != 0 ||
		   bind_int(st, 2, (int64_t)index) != 0) {
		return (bind_failed(q, sid));
	}
	if ((rc = next_row(q, sid)) == STORE_OK &&
	    col_blob(q, sid, 0, hash, MERKLE_HASH_BYTES) != 0)
		rc = STORE_ERR;
	finish(q, sid);
	return (rc);
}

static int
sq_log_entries(void *db, uint64_t start, size_t count,
    struct store_log_entry **entries, size_t *n)
{
	struct sq *q = db;
	struct store_log_entry *arr, *e;
	enum stmt sid = ST_LOG_RANGE_SIZE;
	int64_t rows, bytes, idx;
	uint8_t *arena;
	size_t used = 0, got = 0, len;
	const void *b;
	int rc;

	/* store.c keeps start + count within the stored integers. */
	if (bind_int(q->st[sid], 1, (int64_t)start) != 0 ||
	    bind_int(q->st[sid], 2, (int64_t)(start + count)) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_NOTFOUND) {
		store_log("sqlite: log range size: no result");
		rc = STORE_ERR;
	}
	if (rc == STORE_OK &&
	    (col_int(q, sid, 0, 0, (int64_t)count, &rows) != 0 ||
		col_int(q, sid, 1, 0, rows * STORE_LOG_EVENT_MAX, &bytes) != 0))
		rc = STORE_ERR;
	finish(q, sid);
	if (rc != STORE_OK)
		return (rc);
	if (rows == 0)
		return (STORE_OK);
	/* At most STORE_LOG_RANGE_MAX entries of STORE_LOG_EVENT_MAX bytes. */
	if ((arr = malloc((size_t)rows * sizeof(*arr) + (size_t)bytes)) ==
	    NULL) {
		store_log("sqlite: log range: out of memory");
		return (STORE_ERR);
	}
	arena = (uint8_t *)(arr + rows);

	sid = ST_LOG_RANGE;
	if (bind_int(q->st[sid], 1, (int64_t)start) != 0 ||
	    bind_int(q->st[sid], 2, (int64_t)(start + count)) != 0) {
		free(arr);
		return (bind_failed(q, sid));
	}
	/* The sizes and the rows come from one transaction: they agree. */
	while (got < (size_t)rows && (rc = next_row(q, sid)) == STORE_OK) {
		e = &arr[got];
		memset(e, 0, sizeof(*e));
		if (col_int(q, sid, 0, (int64_t)start,
			(int64_t)(start + count - 1), &idx) != 0 ||
		    col_blob(q, sid, 1, e->leaf_hash, sizeof(e->leaf_hash)) !=
			0) {
			rc = STORE_ERR;
			break;
		}
		if (sqlite3_column_type(q->st[sid], 2) != SQLITE_BLOB ||
		    (b = sqlite3_column_blob(q->st[sid], 2)) == NULL ||
		    (len = (size_t)sqlite3_column_bytes(q->st[sid], 2)) == 0 ||
		    len > STORE_LOG_EVENT_MAX || len > (size_t)bytes - used) {
			rc = corrupt(sid, q->st[sid], 2);
			break;
		}
		memcpy(arena + used, b, len);
		e->index = (uint64_t)idx;
		e->event = arena + used;
		e->len = len;
		used += len;
		got++;
	}
	finish(q, sid);
	if (rc == STORE_ERR) {
		free(arr);
		return (STORE_ERR);
	}
	*entries = arr;
	*n = got;
	return (STORE_OK);
}

static int
sq_log_find(void *db, const uint8_t *leaf_hash, uint64_t below, uint64_t *index)
{
	struct sq *q = db;
	enum stmt sid = ST_LOG_FIND;
	uint64_t b, last, size;
	int64_t v;
	int rc;

	/* Only the buckets that hold entries below the bound. */
	if ((rc = sq_log_size(q, &size)) != STORE_OK)
		return (rc);
	if (below > size)
		below = size;
	if (below == 0)
		return (STORE_NOTFOUND);
	/* One seek per bucket (see migration 2), oldest first. */
	last = (below - 1) >> LOG_BUCKET_SHIFT;
	for (b = 0; b <= last; b++) {
		if (bind_int(q->st[sid], 1, (int64_t)b) != 0 ||
		    bind_blob(q->st[sid], 2, leaf_hash, MERKLE_HASH_BYTES) !=
			0 ||
		    bind_int(q->st[sid], 3, (int64_t)below) != 0)
			return (bind_failed(q, sid));
		if ((rc = next_row(q, sid)) == STORE_OK) {
			if (col_int(q, sid, 0, 0, LOG_INDEX_MAX, &v) != 0)
				rc = STORE_ERR;
			else
				*index = (uint64_t)v;
		}
		finish(q, sid);
		if (rc != STORE_NOTFOUND)
			return (rc);
	}
	return (STORE_NOTFOUND);
}

static int
sq_log_head_put(void *db, const struct store_log_head *h)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_LOG_HEAD_INSERT];

	/* store.c checked that size and timestamp fit an int64_t. */
	if (bind_int(st, 1, (int64_t)h->size) != 0 ||
	    bind_int(st, 2, (int64_t)h->timestamp) != 0 ||
	    bind_blob(st, 3, h->root, sizeof(h->root)) != 0 ||
	    bind_blob(st, 4, h->sig, sizeof(h->sig)) != 0)
		return (bind_failed(q, ST_LOG_HEAD_INSERT));
	return (run(q, ST_LOG_HEAD_INSERT));
}

/* Read the current row of ${sid} (size, timestamp, root, signature). */
static int
read_head(struct sq *q, enum stmt sid, struct store_log_head *h)
{
	int64_t size, ts;

	if (col_int(q, sid, 0, 0, (int64_t)STORE_LOG_SIZE_MAX, &size) != 0 ||
	    col_int(q, sid, 1, 0, INT64_MAX, &ts) != 0 ||
	    col_blob(q, sid, 2, h->root, sizeof(h->root)) != 0 ||
	    col_blob(q, sid, 3, h->sig, sizeof(h->sig)) != 0)
		return (-1);
	h->size = (uint64_t)size;
	h->timestamp = (uint64_t)ts;
	return (0);
}

static int
sq_log_head_get(void *db, uint64_t size, struct store_log_head *h)
{
	struct sq *q = db;
	int rc;

	if (bind_int(q->st[ST_LOG_HEAD_GET], 1, (int64_t)size) != 0)
		return (bind_failed(q, ST_LOG_HEAD_GET));
	if ((rc = next_row(q, ST_LOG_HEAD_GET)) == STORE_OK &&
	    read_head(q, ST_LOG_HEAD_GET, h) != 0)
		rc = STORE_ERR;
	finish(q, ST_LOG_HEAD_GET);
	return (rc);
}

static int
sq_log_head_latest(void *db, struct store_log_head *h)
{
	struct sq *q = db;
	int rc;

	if ((rc = next_row(q, ST_LOG_HEAD_LATEST)) == STORE_OK &&
	    read_head(q, ST_LOG_HEAD_LATEST, h) != 0)
		rc = STORE_ERR;
	finish(q, ST_LOG_HEAD_LATEST);
	return (rc);
}

static int
sq_log_key_index(
    void *db, const char *member_id, uint32_t epoch, uint64_t *index)
{
	struct sq *q = db;
	enum stmt sid = ST_LOG_KEY_GET;
	int64_t v;
	int rc;

	if (bind_text(q->st[sid], 1, member_id) != 0 ||
	    bind_int(q->st[sid], 2, epoch) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK) {
		if (col_int(q, sid, 0, 0, LOG_INDEX_MAX, &v) != 0)
			rc = STORE_ERR;
		else
			*index = (uint64_t)v;
	}
	finish(q, sid);
	return (rc);
}

const struct store_backend store_sqlite_backend = {
    .scheme = "sqlite",
    .schema_latest = SCHEMA_LATEST,
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .txn_begin = sq_txn_begin,
    .txn_commit = sq_txn_commit,
    .txn_rollback = sq_txn_rollback,
    .txn_active = sq_txn_active,
    .savepoint = sq_savepoint,
    .savepoint_release = sq_savepoint_release,
    .savepoint_rollback = sq_savepoint_rollback,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .org_insert = sq_org_insert,
    .org_get = sq_org_get,
    .org_list = sq_org_list,
    .member_insert = sq_member_insert,
    .member_get = sq_member_get,
    .member_get_by_handle = sq_member_get_by_handle,
    .member_list = sq_member_list,
    .member_set_roles = sq_member_set_roles,
    .member_set_eligible = sq_member_set_eligible,
    .member_set_display_name = sq_member_set_display_name,
    .member_set_status = sq_member_set_status,
    .member_activate = sq_member_activate,
    .member_rotate_keys = sq_member_rotate_keys,
    .key_history = sq_key_history,
    .custody_get = sq_custody_get,
    .custody_set = sq_custody_set,
    .login_get = sq_login_get,
    .login_set = sq_login_set,
    .enrollment_put = sq_enrollment_put,
    .enrollment_get = sq_enrollment_get,
    .enrollment_delete_member = sq_enrollment_delete_member,
    .session_put = sq_session_put,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_delete = sq_session_delete,
    .session_delete_member = sq_session_delete_member,
    .session_purge = sq_session_purge,
    .log_size = sq_log_size,
    .log_append = sq_log_append,
    .log_node = sq_log_node,
    .log_entries = sq_log_entries,
    .log_find = sq_log_find,
    .log_head_put = sq_log_head_put,
    .log_head_get = sq_log_head_get,
    .log_head_latest = sq_log_head_latest,
    .log_key_index = sq_log_key_index,
};
