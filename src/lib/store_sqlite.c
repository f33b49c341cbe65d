#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "access.h"
#include "directory.h"
#include "event.h"
#include "lifecycle.h"
#include "memo.h"
#include "ring.h"
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

_Static_assert(MEMO_ID_LEN == 26, "migration 3: memo ids");
_Static_assert(MEMO_TOPIC_MAX == 32 && MEMO_MARKING_MAX == 16,
    "migration 3: memos.topic, memos.marking");
_Static_assert(MEMO_ORGS_MAX == 8 && DIRECTORY_ORG_ID_MAX == 32,
    "migration 3: memos.eligible_orgs (8 ids of 32 and 7 commas: 263)");
_Static_assert(MEMO_HASH_BYTES == 32 && MEMO_ROSTER_PK_BYTES == 32,
    "migration 3: memo hashes and keys");
_Static_assert(MEMO_STATE_DRAFT == 1 && MEMO_STATE_WITHDRAWN == 9,
    "migration 3: memos.state");
_Static_assert(ACCESS_MEMO_SUBMITTED == 1 && ACCESS_MEMO_SHOW_SIGNERS == 2 &&
		   ACCESS_MEMO_SIGNERS_INVITE == 4,
    "migration 3: memos.flags");
_Static_assert(STORE_MISSED_ACK == 1 && STORE_MISSED_REPLY == 2 &&
		   STORE_MISSED_ESCALATION == 4,
    "migration 3: memos.missed");
_Static_assert(ACCESS_REL_DRAFTER == 1 && ACCESS_REL_CODRAFTER == 2 &&
		   ACCESS_REL_INVITEE == 4 && ACCESS_REL_ASSIGNEE == 16 &&
		   ACCESS_REL_PRINCIPAL == 32,
    "migration 3: memo_members.rel");
_Static_assert(STORE_GRANT_MAX == 512, "migration 3: sealed grants");
_Static_assert(
    MEMO_RECORD_SEALED_BYTES == 304, "migration 3: memo_signatures.record");
_Static_assert(EVENT_NONCE_BYTES == 32 && EVENT_ACCESS_REPLIES == 4,
    "migration 3: memo_accesses");
_Static_assert(MEMO_REPLY_KIND_REPLY == 1 && MEMO_REPLY_KIND_OUTCOME == 3,
    "migration 3: memo_replies.kind");
_Static_assert(STORE_DIST_PENDING == 0 && STORE_DIST_DONE == 1,
    "migration 3: memo_distributions.status");
_Static_assert(STORE_MEETING_REQUESTED == 1 && STORE_MEETING_DECLINED == 4,
    "migration 3: meetings.state");

/*
 * Migration 3: memos and the channel's workflow (store.h, "Memos").
 *
 * Variable-length boxes (versions, replies, complaints) are only required
 * to be non-empty here: their maxima are protocol limits (memo.h) that
 * store.c enforces on every write and this file on every read, so raising
 * one needs no migration.
 *
 * No table says who signed.  memo_signatures holds the server's keyed
 * duplicate tag, the version and the sealed record, and nothing else: no
 * member id, no time, and no rowid (WITHOUT ROWID: rows are kept in tag
 * order, and tags are keyed hashes), so not even the order in which
 * signatures arrived is a column.  memo_members holds the relations the
 * workflow needs (drafters, co-drafters, invitees, assignees, principals),
 * never a signer.
 */
static const char migration_3[] =
    "CREATE TABLE memos (\n"
    "  id TEXT NOT NULL PRIMARY KEY CHECK (length(CAST(id AS BLOB)) = 26),\n"
    "  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 9),\n"
    "  topic TEXT NOT NULL\n"
    "    CHECK (length(CAST(topic AS BLOB)) BETWEEN 1 AND 32),\n"
    "  marking TEXT NOT NULL\n"
    "    CHECK (length(CAST(marking AS BLOB)) BETWEEN 1 AND 16),\n"
    "  org_id TEXT NOT NULL REFERENCES orgs(id),\n"
    "  eligible_orgs TEXT NOT NULL\n"
    "    CHECK (length(CAST(eligible_orgs AS BLOB)) BETWEEN 1 AND 263),\n"
    "  roster_pk BLOB NOT NULL CHECK (length(roster_pk) = 32),\n"
    "  flags INTEGER NOT NULL CHECK (flags BETWEEN 0 AND 7),\n"
    "  version INTEGER NOT NULL CHECK (version BETWEEN 1 AND 4294967295),\n"
    "  version_hash BLOB NOT NULL CHECK (length(version_hash) = 32),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  submitted_at INTEGER NOT NULL,\n"
    "  acked_at INTEGER NOT NULL,\n"
    "  replied_at INTEGER NOT NULL,\n"
    "  closed_at INTEGER NOT NULL,\n"
    "  withdrawn_at INTEGER NOT NULL,\n"
    "  ack_due INTEGER NOT NULL,\n"
    "  reply_due INTEGER NOT NULL,\n"
    "  escalate_at INTEGER NOT NULL,\n"
    "  missed INTEGER NOT NULL CHECK (missed BETWEEN 0 AND 7),\n"
    "  named_count INTEGER NOT NULL\n"
    "    CHECK (named_count BETWEEN 0 AND 4294967295),\n"
    "  anon_count INTEGER NOT NULL\n"
    "    CHECK (anon_count BETWEEN 0 AND 4294967295),\n"
    "  package_hash BLOB NOT NULL CHECK (length(package_hash) = 32),\n"
    "  submit_log_index INTEGER NOT NULL CHECK (submit_log_index >= 0),\n"
    "  assignee TEXT REFERENCES members(id),\n"
    "  authors INTEGER NOT NULL CHECK (authors BETWEEN 0 AND 4294967295),\n"
    "  replies INTEGER NOT NULL CHECK (replies BETWEEN 0 AND 4294967295)\n"
    ") STRICT;\n"
    "CREATE INDEX memos_state_due ON memos(state, ack_due, id);\n"
    "CREATE TABLE memo_versions (\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  version INTEGER NOT NULL CHECK (version BETWEEN 1 AND 4294967295),\n"
    "  hash BLOB NOT NULL CHECK (length(hash) = 32),\n"
    "  author TEXT NOT NULL REFERENCES members(id),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  box BLOB NOT NULL CHECK (length(box) >= 1),\n"
    "  PRIMARY KEY (memo_id, version)\n"
    ") STRICT;\n"
    "CREATE TABLE memo_members (\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  rel INTEGER NOT NULL CHECK (rel IN (1, 2, 4, 16, 32)),\n"
    "  member_id TEXT NOT NULL REFERENCES members(id),\n"
    "  by_member TEXT NOT NULL REFERENCES members(id),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY (memo_id, rel, member_id)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX memo_members_member ON memo_members(member_id, memo_id);\n"
    "CREATE TABLE memo_grants (\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  recipient TEXT NOT NULL CHECK (recipient = 'channel' OR\n"
    "    length(CAST(recipient AS BLOB)) = 26),\n"
    "  purpose TEXT NOT NULL CHECK (purpose IN ('memo-key', "
    "'memo-roster')),\n"
    "  sealed BLOB NOT NULL CHECK (length(sealed) BETWEEN 1 AND 512),\n"
    "  held INTEGER NOT NULL CHECK (held IN (0, 1)),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  PRIMARY KEY (memo_id, recipient, purpose)\n"
    ") STRICT;\n"
    "CREATE TABLE memo_signatures (\n"
    "  memo_id TEXT NOT NULL,\n"
    "  tag BLOB NOT NULL CHECK (length(tag) = 32),\n"
    "  version INTEGER NOT NULL CHECK (version BETWEEN 1 AND 4294967295),\n"
    "  record BLOB NOT NULL CHECK (length(record) = 304),\n"
    "  PRIMARY KEY (memo_id, tag),\n"
    "  FOREIGN KEY (memo_id, version)\n"
    "    REFERENCES memo_versions(memo_id, version)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX memo_signatures_version\n"
    "  ON memo_signatures(memo_id, version, tag);\n"
    "CREATE TABLE memo_accesses (\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  member_id TEXT NOT NULL CHECK (member_id = 'channel' OR\n"
    "    length(CAST(member_id AS BLOB)) = 26),\n"
    "  kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 4),\n"
    "  at INTEGER NOT NULL,\n"
    "  nonce BLOB NOT NULL CHECK (length(nonce) = 32),\n"
    "  log_index INTEGER NOT NULL CHECK (log_index >= 0)\n"
    ") STRICT;\n"
    "CREATE INDEX memo_accesses_memo ON memo_accesses(memo_id);\n"
    "CREATE TABLE memo_replies (\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  n INTEGER NOT NULL CHECK (n BETWEEN 1 AND 4294967295),\n"
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),\n"
    "  author TEXT NOT NULL REFERENCES members(id),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  box BLOB NOT NULL CHECK (length(box) >= 1),\n"
    "  PRIMARY KEY (memo_id, n)\n"
    ") STRICT;\n"
    "CREATE TABLE memo_distributions (\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  principal TEXT NOT NULL REFERENCES members(id),\n"
    "  status INTEGER NOT NULL CHECK (status IN (0, 1)),\n"
    "  requested_by TEXT NOT NULL REFERENCES members(id),\n"
    "  approved_by TEXT REFERENCES members(id),\n"
    "  at INTEGER NOT NULL,\n"
    "  PRIMARY KEY (memo_id, principal)\n"
    ") STRICT;\n"
    "CREATE TABLE meetings (\n"
    "  id INTEGER NOT NULL PRIMARY KEY CHECK (id >= 1),\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  principal TEXT NOT NULL REFERENCES members(id),\n"
    "  requested_by TEXT NOT NULL REFERENCES members(id),\n"
    "  state INTEGER NOT NULL CHECK (state BETWEEN 1 AND 4),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  scheduled_at INTEGER NOT NULL,\n"
    "  outcome_n INTEGER NOT NULL\n"
    "    CHECK (outcome_n BETWEEN 0 AND 4294967295)\n"
    ") STRICT;\n"
    "CREATE INDEX meetings_principal ON meetings(principal);\n"
    "CREATE INDEX meetings_requested_by ON meetings(requested_by);\n"
    "CREATE TABLE complaints (\n"
    "  id INTEGER NOT NULL PRIMARY KEY CHECK (id >= 1),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  box BLOB NOT NULL CHECK (length(box) >= 1)\n"
    ") STRICT;\n"
    "CREATE TABLE complaint_readers (\n"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),\n"
    "  reader TEXT NOT NULL REFERENCES members(id),\n"
    "  sealed BLOB NOT NULL CHECK (length(sealed) BETWEEN 1 AND 512),\n"
    "  PRIMARY KEY (complaint_id, reader)\n"
    ") STRICT;\n"
    "CREATE INDEX complaint_readers_reader\n"
    "  ON complaint_readers(reader, complaint_id);\n"
    "CREATE TABLE channel_key (\n"
    "  id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),\n"
    "  pk BLOB NOT NULL CHECK (length(pk) = 32),\n"
    "  log_index INTEGER NOT NULL CHECK (log_index >= 0),\n"
    "  created_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE channel_grants (\n"
    "  member_id TEXT NOT NULL PRIMARY KEY REFERENCES members(id),\n"
    "  sealed BLOB NOT NULL CHECK (length(sealed) BETWEEN 1 AND 512),\n"
    "  created_at INTEGER NOT NULL\n"
    ") STRICT;\n"
    "CREATE TABLE notifications (\n"
    "  id INTEGER NOT NULL PRIMARY KEY CHECK (id >= 1),\n"
    "  recipient TEXT NOT NULL CHECK (recipient = 'webhook' OR\n"
    "    length(CAST(recipient AS BLOB)) = 26),\n"
    "  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 255),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  next_at INTEGER NOT NULL,\n"
    "  attempts INTEGER NOT NULL CHECK (attempts BETWEEN 0 AND 4294967295)\n"
    ") STRICT;\n"
    "CREATE INDEX notifications_next ON notifications(next_at, id);\n";

_Static_assert(RING_PK_BYTES == 32 && RING_TAG_BYTES == 32 &&
		   RING_SCALAR_BYTES == 32 && RING_MIN == 2,
    "migration 4: ring keys, tags, rings and signatures");

/*
 * Migration 4: anonymous co-signatures (store.h, "Anonymous
 * co-signatures").
 *
 * memos.ring_tree_size is the log size at which the memo's ring snapshot
 * was pinned, NULL for a memo without one (opened before this migration,
 * or never opened).  memo_ring_members is the snapshot: directory data,
 * the eligible members and the keys of their current epochs then.
 *
 * memo_anon_signatures holds what verifying an anonymous signature needs
 * and nothing about who made it: the linking tag, the version and its
 * hash, the ring (its keys concatenated) and the signature, whose length
 * follows from the ring's (ring.h: 32 * (n + 2) bytes, n keys of 32).  No
 * member, no time column, and no rowid (WITHOUT ROWID: rows are kept in
 * tag order), so not even the order of arrival is kept.  Rings are at
 * least RING_MIN keys; their maximum is a protocol limit that store.c
 * enforces, as for boxes.
 */
static const char migration_4[] =
    "ALTER TABLE memos ADD COLUMN ring_tree_size INTEGER\n"
    "  CHECK (ring_tree_size IS NULL OR ring_tree_size >= 0);\n"
    "CREATE TABLE memo_ring_members (\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  ring_pk BLOB NOT NULL CHECK (length(ring_pk) = 32),\n"
    "  member_id TEXT NOT NULL,\n"
    "  epoch INTEGER NOT NULL CHECK (epoch BETWEEN 1 AND 4294967295),\n"
    "  sign_pk BLOB NOT NULL CHECK (length(sign_pk) = 32),\n"
    "  box_pk BLOB NOT NULL CHECK (length(box_pk) = 32),\n"
    "  PRIMARY KEY (memo_id, ring_pk),\n"
    "  UNIQUE (memo_id, member_id),\n"
    "  FOREIGN KEY (member_id, epoch)\n"
    "    REFERENCES key_history(member_id, epoch)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE TABLE memo_anon_signatures (\n"
    "  memo_id TEXT NOT NULL,\n"
    "  tag BLOB NOT NULL CHECK (length(tag) = 32),\n"
    "  version INTEGER NOT NULL CHECK (version BETWEEN 1 AND 4294967295),\n"
    "  version_hash BLOB NOT NULL CHECK (length(version_hash) = 32),\n"
    "  ring BLOB NOT NULL\n"
    "    CHECK (length(ring) >= 64 AND length(ring) % 32 = 0),\n"
    "  signature BLOB NOT NULL\n"
    "    CHECK (length(signature) = length(ring) + 64),\n"
    "  PRIMARY KEY (memo_id, tag),\n"
    "  FOREIGN KEY (memo_id, version)\n"
    "    REFERENCES memo_versions(memo_id, version)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX memo_anon_signatures_version\n"
    "  ON memo_anon_signatures(memo_id, version, tag);\n";

/*
 * Migration 5: counters, so that no request counts rows.  memo_counts holds
 * per memo the number of its named signatures over each version (kind 1,
 * sub = version), of its anonymous signatures over each version (kind 2,
 * sub = version) and of its relations of each kind (kind 3, sub = the
 * ACCESS_REL_* bit).  Triggers keep it in the statement (so in the
 * transaction) of every insert, delete or change of those rows; the
 * migration fills it from the rows present.  A counter that falls to 0
 * stays as a row with n = 0.
 */
#define COUNTED(table, k, col)                                                 \
	"CREATE TRIGGER " table "_count_insert AFTER INSERT ON " table         \
	" BEGIN\n"                                                             \
	"  INSERT INTO memo_counts (memo_id, kind, sub, n)\n"                  \
	"  VALUES (new.memo_id, " k ", new." col ", 1)\n"                      \
	"  ON CONFLICT (memo_id, kind, sub) DO UPDATE SET n = n + 1;\n"        \
	"END;\n"                                                               \
	"CREATE TRIGGER " table "_count_delete AFTER DELETE ON " table         \
	" BEGIN\n"                                                             \
	"  UPDATE memo_counts SET n = n - 1 WHERE memo_id = old.memo_id AND\n" \
	"    kind = " k " AND sub = old." col ";\n"                            \
	"END;\n"                                                               \
	"CREATE TRIGGER " table "_count_update AFTER UPDATE OF memo_id, " col  \
	" ON " table " WHEN old.memo_id IS NOT new.memo_id OR old." col        \
	" IS NOT new." col " BEGIN\n"                                          \
	"  UPDATE memo_counts SET n = n - 1 WHERE memo_id = old.memo_id AND\n" \
	"    kind = " k " AND sub = old." col ";\n"                            \
	"  INSERT INTO memo_counts (memo_id, kind, sub, n)\n"                  \
	"  VALUES (new.memo_id, " k ", new." col ", 1)\n"                      \
	"  ON CONFLICT (memo_id, kind, sub) DO UPDATE SET n = n + 1;\n"        \
	"END;\n"                                                               \
	"INSERT INTO memo_counts (memo_id, kind, sub, n)\n"                    \
	"  SELECT memo_id, " k ", " col ", count(*) FROM " table               \
	" GROUP BY memo_id, " col ";\n"
static const char migration_5[] =
    "CREATE TABLE memo_counts (\n"
    "  memo_id TEXT NOT NULL REFERENCES memos(id),\n"
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),\n"
    "  sub INTEGER NOT NULL,\n"
    "  n INTEGER NOT NULL CHECK (n >= 0),\n"
    "  PRIMARY KEY (memo_id, kind, sub)\n"
    ") STRICT, WITHOUT ROWID;\n" COUNTED("memo_signatures", "1", "version")
	COUNTED("memo_anon_signatures", "2", "version")
	    COUNTED("memo_members", "3", "rel");
#undef COUNTED

static const char *const migrations[] = {
    migration_1,
    migration_2,
    migration_3,
    migration_4,
    migration_5,
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
	ST_MEMBER_ROLE_COUNT,
	ST_MEMBER_ROLE_LIST,
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
	ST_MEMO_INSERT,
	ST_MEMO_GET,
	ST_MEMO_VERSION_CHECK,
	ST_MEMO_UPDATE,
	ST_MEMO_COUNT_MEMBER,
	ST_MEMO_LIST_MEMBER,
	ST_MEMO_COUNT_STATES,
	ST_MEMO_LIST_STATES,
	ST_MEMO_COUNT_PAGE,
	ST_MEMO_PAGE,
	ST_REL_GET,
	ST_REL_HAS,
	ST_REL_COUNT,
	ST_REL_INSERT,
	ST_REL_LIST,
	ST_REL_DELETE,
	ST_VERSION_NEXT,
	ST_VERSION_INSERT,
	ST_VERSION_GET,
	ST_VERSION_COUNT,
	ST_VERSION_LIST,
	ST_GRANT_PUT,
	ST_GRANT_GET,
	ST_GRANT_RELEASE,
	ST_GRANT_DELETE,
	ST_SIG_HAS,
	ST_SIG_PUT,
	ST_SIG_GET,
	ST_SIG_DELETE,
	ST_SIG_COUNT_ALL,
	ST_SIG_COUNT_VERSION,
	ST_SIG_LIST_ALL,
	ST_SIG_LIST_VERSION,
	ST_ACCESS_INSERT,
	ST_ACCESS_COUNT,
	ST_ACCESS_LIST,
	ST_REPLY_NEXT,
	ST_REPLY_INSERT,
	ST_REPLY_COUNT,
	ST_REPLY_LIST,
	ST_DIST_HAS,
	ST_DIST_COUNT,
	ST_DIST_PUT,
	ST_DIST_LIST,
	ST_MEETING_INSERT,
	ST_MEETING_GET,
	ST_MEETING_UPDATE,
	ST_MEETING_COUNT_ALL,
	ST_MEETING_COUNT_MEMBER,
	ST_MEETING_LIST_ALL,
	ST_MEETING_LIST_MEMBER,
	ST_COMPLAINT_INSERT,
	ST_COMPLAINT_READER_INSERT,
	ST_COMPLAINT_COUNT,
	ST_COMPLAINT_LIST,
	ST_CHANNEL_KEY_GET,
	ST_CHANNEL_KEY_INSERT,
	ST_CHANNEL_GRANT_PUT,
	ST_CHANNEL_GRANT_GET,
	ST_NOTIFY_INSERT,
	ST_NOTIFY_DUE_COUNT,
	ST_NOTIFY_DUE,
	ST_NOTIFY_DELETE,
	ST_NOTIFY_RETRY,
	ST_RING_TREE_SIZE,
	ST_RING_QUALIFY_COUNT,
	ST_RING_PIN,
	ST_RING_SET_SIZE,
	ST_RING_COUNT,
	ST_RING_LIST,
	ST_RING_HAS,
	ST_ANON_HAS,
	ST_ANON_PUT,
	ST_ANON_GET,
	ST_ANON_DELETE,
	ST_ANON_COUNT_ALL,
	ST_ANON_COUNT_VERSION,
	ST_ANON_PAGE_COUNT,
	ST_ANON_PAGE,
	ST_ANON_PRUNE,
	ST_COUNT
};

#define MEMBER_COLUMNS                                                         \
	"id, handle, display_name, org_id, roles, eligible, status, "          \
	"created_at, key_epoch, sign_pk, box_pk, ring_pk"
#define CUSTODY_COLUMNS                                                        \
	"salt, opslimit, memlimit, verifier, wrapped_seed, "                   \
	"recovery_verifier, recovery_wrapped_seed"
#define MEMO_COLUMNS                                                           \
	"id, state, topic, marking, org_id, eligible_orgs, roster_pk, flags, " \
	"version, version_hash, created_at, submitted_at, acked_at, "          \
	"replied_at, closed_at, withdrawn_at, ack_due, reply_due, "            \
	"escalate_at, missed, named_count, anon_count, package_hash, "         \
	"submit_log_index, assignee, authors, replies"
#define MEETING_COLUMNS                                                        \
	"id, memo_id, principal, requested_by, state, created_at, "            \
	"scheduled_at, outcome_n"

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
    /*
     * Role holders are found by a bit test, which no index serves: a scan
     * of the directory, which stays small next to the memos.
     */
    [ST_MEMBER_ROLE_COUNT] = {"member count by role",
	"SELECT count(*) FROM (SELECT 1 FROM members WHERE status = 1 AND "
	"(roles & ?1) != 0 LIMIT ?2)"},
    [ST_MEMBER_ROLE_LIST] = {"member list by role",
	"SELECT " MEMBER_COLUMNS " FROM members WHERE status = 1 AND "
	"(roles & ?1) != 0 ORDER BY id LIMIT ?2"},
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
    [ST_MEMO_INSERT] = {"memo insert",
	"INSERT INTO memos (" MEMO_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	"?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
	"?21, ?22, ?23, ?24, ?25, ?26, ?27)"},
    [ST_MEMO_GET] = {"memo get",
	"SELECT " MEMO_COLUMNS " FROM memos WHERE id = ?1"},
    [ST_MEMO_VERSION_CHECK] = {"memo version check",
	"SELECT v.hash FROM memos m LEFT JOIN memo_versions v "
	"ON v.memo_id = m.id AND v.version = ?2 WHERE m.id = ?1"},
    [ST_MEMO_UPDATE] = {"memo update",
	"UPDATE memos SET state = ?2, topic = ?3, marking = ?4, flags = ?8, "
	"version = ?9, version_hash = ?10, submitted_at = ?12, "
	"acked_at = ?13, replied_at = ?14, closed_at = ?15, "
	"withdrawn_at = ?16, ack_due = ?17, reply_due = ?18, "
	"escalate_at = ?19, missed = ?20, named_count = ?21, "
	"anon_count = ?22, package_hash = ?23, submit_log_index = ?24, "
	"assignee = ?25, authors = ?26, replies = ?27 WHERE id = ?1"},
    [ST_MEMO_COUNT_MEMBER] = {"memo count by member",
	"SELECT count(*) FROM (SELECT 1 FROM memos WHERE id IN "
	"(SELECT memo_id FROM memo_members WHERE member_id = ?1) LIMIT ?2)"},
    [ST_MEMO_LIST_MEMBER] = {"memo list by member",
	"SELECT " MEMO_COLUMNS " FROM memos WHERE id IN "
	"(SELECT memo_id FROM memo_members WHERE member_id = ?1) "
	"ORDER BY created_at DESC, id DESC LIMIT ?2"},
    [ST_MEMO_COUNT_STATES] = {"memo count by state",
	"SELECT count(*) FROM (SELECT 1 FROM memos WHERE state IN "
	"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) LIMIT ?10)"},
    [ST_MEMO_LIST_STATES] = {"memo list by state",
	"SELECT " MEMO_COLUMNS " FROM memos WHERE state IN "
	"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ORDER BY ack_due, id "
	"LIMIT ?10"},
    /* Walks the primary key from the cursor: no sort, however many. */
    [ST_MEMO_COUNT_PAGE] = {"memo page count",
	"SELECT count(*) FROM (SELECT 1 FROM memos WHERE id > ?11 AND "
	"state IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ORDER BY id "
	"LIMIT ?10)"},
    [ST_MEMO_PAGE] = {"memo page",
	"SELECT " MEMO_COLUMNS " FROM memos WHERE id > ?11 AND "
	"state IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ORDER BY id "
	"LIMIT ?10"},
    [ST_REL_GET] = {"memo relations",
	"SELECT rel FROM memo_members WHERE memo_id = ?1 AND member_id = ?2"},
    [ST_REL_HAS] = {"memo relation get",
	"SELECT 1 FROM memo_members WHERE memo_id = ?1 AND rel = ?2 AND "
	"member_id = ?3"},
    [ST_REL_COUNT] = {"memo relation count",
	"SELECT min(coalesce(sum(n), 0), ?3) FROM memo_counts WHERE "
	"memo_id = ?1 AND kind = 3 AND sub = ?2"},
    [ST_REL_INSERT] = {"memo relation insert",
	"INSERT INTO memo_members (memo_id, rel, member_id, by_member, "
	"created_at) VALUES (?1, ?2, ?3, ?4, ?5)"},
    [ST_REL_LIST] = {"memo relation list",
	"SELECT member_id FROM memo_members WHERE memo_id = ?1 AND rel = ?2 "
	"ORDER BY created_at, member_id LIMIT ?3"},
    [ST_REL_DELETE] = {"memo relation delete",
	"DELETE FROM memo_members WHERE memo_id = ?1 AND rel = ?2 AND "
	"member_id = ?3"},
    [ST_VERSION_NEXT] = {"memo version newest",
	"SELECT (SELECT coalesce(max(version), 0) FROM memo_versions "
	"WHERE memo_id = ?1) FROM memos WHERE id = ?1"},
    [ST_VERSION_INSERT] = {"memo version insert",
	"INSERT INTO memo_versions (memo_id, version, hash, author, "
	"created_at, box) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    [ST_VERSION_GET] = {"memo version get",
	"SELECT version, hash, author, created_at, box FROM memo_versions "
	"WHERE memo_id = ?1 AND version = ?2"},
    [ST_VERSION_COUNT] = {"memo version count",
	"SELECT count(*) FROM (SELECT 1 FROM memo_versions WHERE "
	"memo_id = ?1 LIMIT ?2)"},
    [ST_VERSION_LIST] = {"memo version list",
	"SELECT version, hash, author, created_at FROM memo_versions "
	"WHERE memo_id = ?1 ORDER BY version LIMIT ?2"},
    [ST_GRANT_PUT] = {"grant put",
	"INSERT INTO memo_grants (memo_id, recipient, purpose, sealed, held, "
	"created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (memo_id, recipient, purpose) DO UPDATE SET "
	"sealed = excluded.sealed, held = excluded.held, "
	"created_at = excluded.created_at"},
    [ST_GRANT_GET] = {"grant get",
	"SELECT memo_id, recipient, purpose, sealed, held, created_at "
	"FROM memo_grants WHERE memo_id = ?1 AND recipient = ?2 AND "
	"purpose = ?3"},
    [ST_GRANT_RELEASE] = {"grant release",
	"UPDATE memo_grants SET held = 0 WHERE memo_id = ?1 AND "
	"recipient = ?2"},
    [ST_GRANT_DELETE] = {"grant delete",
	"DELETE FROM memo_grants WHERE memo_id = ?1 AND recipient = ?2 AND "
	"purpose = ?3"},
    [ST_SIG_HAS] = {"signature find",
	"SELECT 1 FROM memo_signatures WHERE memo_id = ?1 AND tag = ?2"},
    [ST_SIG_PUT] = {"signature put",
	"INSERT INTO memo_signatures (memo_id, tag, version, record) "
	"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (memo_id, tag) DO UPDATE SET "
	"version = excluded.version, record = excluded.record"},
    [ST_SIG_GET] = {"signature get",
	"SELECT tag, version, record FROM memo_signatures "
	"WHERE memo_id = ?1 AND tag = ?2"},
    [ST_SIG_DELETE] = {"signature delete",
	"DELETE FROM memo_signatures WHERE memo_id = ?1 AND tag = ?2"},
    [ST_SIG_COUNT_ALL] = {"signature count",
	"SELECT coalesce(sum(n), 0) FROM memo_counts WHERE memo_id = ?1 AND "
	"kind = 1"},
    [ST_SIG_COUNT_VERSION] = {"signature count",
	"SELECT coalesce(sum(n), 0) FROM memo_counts WHERE memo_id = ?1 AND "
	"kind = 1 AND sub = ?2"},
    [ST_SIG_LIST_ALL] = {"signature list",
	"SELECT tag, version, record FROM memo_signatures WHERE memo_id = ?1 "
	"ORDER BY tag LIMIT ?2"},
    [ST_SIG_LIST_VERSION] = {"signature list",
	"SELECT tag, version, record FROM memo_signatures WHERE memo_id = ?1 "
	"AND version = ?3 ORDER BY tag LIMIT ?2"},
    [ST_ACCESS_INSERT] = {"access insert",
	"INSERT INTO memo_accesses (memo_id, member_id, kind, at, nonce, "
	"log_index) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    [ST_ACCESS_COUNT] = {"access count",
	"SELECT count(*) FROM (SELECT 1 FROM memo_accesses WHERE "
	"memo_id = ?1 LIMIT ?2)"},
    [ST_ACCESS_LIST] = {"access list",
	"SELECT member_id, kind, at, nonce, log_index FROM "
	"(SELECT rowid AS seq, member_id, kind, at, nonce, log_index "
	"FROM memo_accesses WHERE memo_id = ?1 ORDER BY rowid DESC "
	"LIMIT ?2) ORDER BY seq"},
    [ST_REPLY_NEXT] = {"reply newest",
	"SELECT (SELECT coalesce(max(n), 0) FROM memo_replies "
	"WHERE memo_id = ?1) FROM memos WHERE id = ?1"},
    [ST_REPLY_INSERT] = {"reply insert",
	"INSERT INTO memo_replies (memo_id, n, kind, author, created_at, "
	"box) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    [ST_REPLY_COUNT] = {"reply count",
	"SELECT count(*) FROM (SELECT 1 FROM memo_replies WHERE "
	"memo_id = ?1 LIMIT ?2)"},
    [ST_REPLY_LIST] = {"reply list",
	"SELECT n, kind, author, created_at, box FROM memo_replies "
	"WHERE memo_id = ?1 ORDER BY n LIMIT ?2"},
    [ST_DIST_HAS] = {"distribution find",
	"SELECT 1 FROM memo_distributions WHERE memo_id = ?1 AND "
	"principal = ?2"},
    [ST_DIST_COUNT] = {"distribution count",
	"SELECT count(*) FROM (SELECT 1 FROM memo_distributions WHERE "
	"memo_id = ?1 LIMIT ?2)"},
    [ST_DIST_PUT] = {"distribution put",
	"INSERT INTO memo_distributions (memo_id, principal, status, "
	"requested_by, approved_by, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (memo_id, principal) DO UPDATE SET "
	"status = excluded.status, requested_by = excluded.requested_by, "
	"approved_by = excluded.approved_by, at = excluded.at"},
    [ST_DIST_LIST] = {"distribution list",
	"SELECT principal, status, requested_by, approved_by, at "
	"FROM memo_distributions WHERE memo_id = ?1 ORDER BY at, principal "
	"LIMIT ?2"},
    [ST_MEETING_INSERT] = {"meeting insert",
	"INSERT INTO meetings (memo_id, principal, requested_by, state, "
	"created_at, scheduled_at, outcome_n) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
    [ST_MEETING_GET] = {"meeting get",
	"SELECT " MEETING_COLUMNS " FROM meetings WHERE id = ?1"},
    [ST_MEETING_UPDATE] = {"meeting update",
	"UPDATE meetings SET state = ?2, scheduled_at = ?3, outcome_n = ?4 "
	"WHERE id = ?1"},
    [ST_MEETING_COUNT_ALL] = {"meeting count",
	"SELECT count(*) FROM (SELECT 1 FROM meetings LIMIT ?1)"},
    [ST_MEETING_COUNT_MEMBER] = {"meeting count",
	"SELECT count(*) FROM (SELECT 1 FROM meetings WHERE principal = ?2 "
	"OR requested_by = ?2 LIMIT ?1)"},
    [ST_MEETING_LIST_ALL] = {"meeting list",
	"SELECT " MEETING_COLUMNS " FROM meetings "
	"ORDER BY created_at DESC, id DESC LIMIT ?1"},
    [ST_MEETING_LIST_MEMBER] = {"meeting list",
	"SELECT " MEETING_COLUMNS " FROM meetings WHERE principal = ?2 OR "
	"requested_by = ?2 ORDER BY created_at DESC, id DESC LIMIT ?1"},
    [ST_COMPLAINT_INSERT] = {"complaint insert",
	"INSERT INTO complaints (created_at, box) VALUES (?1, ?2)"},
    [ST_COMPLAINT_READER_INSERT] = {"complaint reader insert",
	"INSERT INTO complaint_readers (complaint_id, reader, sealed) "
	"VALUES (?1, ?2, ?3)"},
    [ST_COMPLAINT_COUNT] = {"complaint count",
	"SELECT count(*) FROM (SELECT 1 FROM complaint_readers WHERE "
	"reader = ?1 LIMIT ?2)"},
    [ST_COMPLAINT_LIST] = {"complaint list",
	"SELECT c.id, c.created_at, c.box, r.sealed FROM complaint_readers r "
	"JOIN complaints c ON c.id = r.complaint_id WHERE r.reader = ?1 "
	"ORDER BY c.created_at DESC, c.id DESC LIMIT ?2"},
    [ST_CHANNEL_KEY_GET] = {"channel key get",
	"SELECT pk, log_index, created_at FROM channel_key WHERE id = 1"},
    [ST_CHANNEL_KEY_INSERT] = {"channel key insert",
	"INSERT INTO channel_key (id, pk, log_index, created_at) "
	"VALUES (1, ?1, ?2, ?3)"},
    [ST_CHANNEL_GRANT_PUT] = {"channel grant put",
	"INSERT INTO channel_grants (member_id, sealed, created_at) "
	"VALUES (?1, ?2, ?3) ON CONFLICT (member_id) DO UPDATE SET "
	"sealed = excluded.sealed, created_at = excluded.created_at"},
    [ST_CHANNEL_GRANT_GET] = {"channel grant get",
	"SELECT sealed FROM channel_grants WHERE member_id = ?1"},
    [ST_NOTIFY_INSERT] = {"notification insert",
	"INSERT INTO notifications (recipient, kind, created_at, next_at, "
	"attempts) VALUES (?1, ?2, ?3, ?4, ?5)"},
    [ST_NOTIFY_DUE_COUNT] = {"notification count",
	"SELECT count(*) FROM (SELECT 1 FROM notifications WHERE "
	"next_at <= ?1 LIMIT ?2)"},
    [ST_NOTIFY_DUE] = {"notification due",
	"SELECT id, recipient, kind, created_at, next_at, attempts "
	"FROM notifications WHERE next_at <= ?1 ORDER BY next_at, id "
	"LIMIT ?2"},
    [ST_NOTIFY_DELETE] = {"notification delete",
	"DELETE FROM notifications WHERE id = ?1"},
    [ST_NOTIFY_RETRY] = {"notification retry",
	"UPDATE notifications SET attempts = min(attempts + 1, 4294967295), "
	"next_at = ?2 WHERE id = ?1"},
    [ST_RING_TREE_SIZE] = {"ring tree size",
	"SELECT ring_tree_size FROM memos WHERE id = ?1"},
    /* The members eligible for the memo ?1 (store_memo_ring_pin()). */
    [ST_RING_QUALIFY_COUNT] = {"ring qualify count",
	"SELECT count(*) FROM (SELECT 1 FROM memos d JOIN members m ON "
	"instr(',' || d.eligible_orgs || ',', ',' || m.org_id || ',') > 0 "
	"WHERE d.id = ?1 AND m.status = 1 AND m.eligible = 1 AND "
	"m.key_epoch >= 1 LIMIT ?2)"},
    [ST_RING_PIN] = {"ring pin",
	"INSERT INTO memo_ring_members (memo_id, ring_pk, member_id, epoch, "
	"sign_pk, box_pk) SELECT d.id, m.ring_pk, m.id, m.key_epoch, "
	"m.sign_pk, m.box_pk FROM memos d JOIN members m ON "
	"instr(',' || d.eligible_orgs || ',', ',' || m.org_id || ',') > 0 "
	"WHERE d.id = ?1 AND m.status = 1 AND m.eligible = 1 AND "
	"m.key_epoch >= 1"},
    [ST_RING_SET_SIZE] = {"ring set tree size",
	"UPDATE memos SET ring_tree_size = ?2 WHERE id = ?1 AND "
	"ring_tree_size IS NULL"},
    [ST_RING_COUNT] = {"ring count",
	"SELECT count(*) FROM (SELECT 1 FROM memo_ring_members WHERE "
	"memo_id = ?1 LIMIT ?2)"},
    [ST_RING_LIST] = {"ring list",
	"SELECT member_id, epoch, sign_pk, box_pk, ring_pk FROM "
	"memo_ring_members WHERE memo_id = ?1 ORDER BY ring_pk LIMIT ?2"},
    [ST_RING_HAS] = {"ring find",
	"SELECT 1 FROM memo_ring_members WHERE memo_id = ?1 AND ring_pk = ?2"},
    [ST_ANON_HAS] = {"anonymous signature find",
	"SELECT 1 FROM memo_anon_signatures WHERE memo_id = ?1 AND tag = ?2"},
    [ST_ANON_PUT] = {"anonymous signature put",
	"INSERT INTO memo_anon_signatures (memo_id, tag, version, "
	"version_hash, ring, signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (memo_id, tag) DO UPDATE SET version = excluded.version, "
	"version_hash = excluded.version_hash, ring = excluded.ring, "
	"signature = excluded.signature"},
    [ST_ANON_GET] = {"anonymous signature get",
	"SELECT tag, version, version_hash, ring, signature FROM "
	"memo_anon_signatures WHERE memo_id = ?1 AND tag = ?2"},
    [ST_ANON_DELETE] = {"anonymous signature delete",
	"DELETE FROM memo_anon_signatures WHERE memo_id = ?1 AND tag = ?2"},
    [ST_ANON_COUNT_ALL] = {"anonymous signature count",
	"SELECT coalesce(sum(n), 0) FROM memo_counts WHERE memo_id = ?1 AND "
	"kind = 2"},
    [ST_ANON_COUNT_VERSION] = {"anonymous signature count",
	"SELECT coalesce(sum(n), 0) FROM memo_counts WHERE memo_id = ?1 AND "
	"kind = 2 AND sub = ?2"},
    [ST_ANON_PAGE_COUNT] = {"anonymous signature page count",
	"SELECT count(*) FROM (SELECT 1 FROM memo_anon_signatures WHERE "
	"memo_id = ?1 AND tag > ?3 LIMIT ?2)"},
    [ST_ANON_PAGE] = {"anonymous signature page",
	"SELECT tag, version, version_hash, ring, signature FROM "
	"memo_anon_signatures WHERE memo_id = ?1 AND tag > ?3 ORDER BY tag "
	"LIMIT ?2"},
    [ST_ANON_PRUNE] = {"anonymous signature prune",
	"DELETE FROM memo_anon_signatures WHERE memo_id = ?1 AND "
	"version != ?2"},
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

static int
sq_member_list_role(
    void *db, unsigned int roles, struct store_member **ms, size_t *n)
{
	struct sq *q = db;
	struct store_member *arr;
	enum stmt cid = ST_MEMBER_ROLE_COUNT, lid = ST_MEMBER_ROLE_LIST;
	size_t all, got = 0;
	int rc = STORE_OK;

	/* Count one past the maximum to tell "too many" from "all". */
	if (bind_int(q->st[cid], 1, roles) != 0 ||
	    bind_int(q->st[cid], 2, STORE_ROLE_MEMBERS_MAX + 1) != 0)
		return (bind_failed(q, cid));
	if ((rc = count(q, cid, &all)) != STORE_OK)
		return (rc);
	if (all > STORE_ROLE_MEMBERS_MAX)
		return (STORE_CONFLICT);
	if (list_alloc((void **)&arr, all, sizeof(*arr), "member list") != 0)
		return (STORE_ERR);
	if (bind_int(q->st[lid], 1, roles) != 0 ||
	    bind_int(q->st[lid], 2, (int64_t)all) != 0) {
		free(arr);
		return (bind_failed(q, lid));
	}
	while (got < all && (rc = next_row(q, lid)) == STORE_OK) {
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
	*ms = arr;
	*n = got;
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

/*
 * Memos.
 */

/* Room for the eligible organisations joined by ',' and a NUL. */
#define ORGS_TEXT_MAX (MEMO_ORGS_MAX * (DIRECTORY_ORG_ID_MAX + 1))
/* Relations memo_members holds (store.c lets no other through). */
#define REL_STORED                                                             \
	(ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER | ACCESS_REL_INVITEE |      \
	    ACCESS_REL_ASSIGNEE | ACCESS_REL_PRINCIPAL)

/*
 * Column readers for variable-length blobs: ${len} receives the length,
 * which must be 1..${max}.  col_box() copies into a malloc'd ${out} (NULL
 * on failure); col_var() into ${buf} of at least ${max} bytes.  Return 0 or
 * -1 (reported).
 */
static int
col_box(
    struct sq *q, enum stmt id, int i, size_t max, uint8_t **out, size_t *len)
{
	sqlite3_stmt *st = q->st[id];
	const void *b;
	size_t n;

	*out = NULL;
	*len = 0;
	if (sqlite3_column_type(st, i) != SQLITE_BLOB)
		return (corrupt(id, st, i));
	b = sqlite3_column_blob(st, i);
	n = (size_t)sqlite3_column_bytes(st, i);
	if (b == NULL || n == 0 || n > max)
		return (corrupt(id, st, i));
	if ((*out = malloc(n)) == NULL) {
		store_log("sqlite: %s: out of memory", stmts[id].what);
		return (-1);
	}
	memcpy(*out, b, n);
	*len = n;
	return (0);
}

static int
col_var(
    struct sq *q, enum stmt id, int i, uint8_t *buf, size_t max, size_t *len)
{
	sqlite3_stmt *st = q->st[id];
	const void *b;
	size_t n;

	if (sqlite3_column_type(st, i) != SQLITE_BLOB)
		return (corrupt(id, st, i));
	b = sqlite3_column_blob(st, i);
	n = (size_t)sqlite3_column_bytes(st, i);
	if (b == NULL || n == 0 || n > max)
		return (corrupt(id, st, i));
	memcpy(buf, b, n);
	*len = n;
	return (0);
}

/* Read a member id (or, if ${word} is not NULL, that word) into ${buf}. */
static int
col_member(struct sq *q, enum stmt id, int i, char *buf, const char *word)
{

	if (col_text(q, id, i, buf, DIRECTORY_MEMBER_ID_LEN + 1) != 0)
		return (-1);
	if (!directory_member_id_valid(buf) &&
	    (word == NULL || strcmp(buf, word) != 0))
		return (corrupt(id, q->st[id], i));
	return (0);
}

/* As col_member(), but NULL reads as "". */
static int
col_member_opt(struct sq *q, enum stmt id, int i, char *buf)
{

	if (sqlite3_column_type(q->st[id], i) == SQLITE_NULL) {
		buf[0] = '\0';
		return (0);
	}
	return (col_member(q, id, i, buf, NULL));
}

/* Bind ${v}, or NULL if it is "". */
static int
bind_text_opt(sqlite3_stmt *st, int i, const char *v)
{

	if (v[0] == '\0')
		return (sqlite3_bind_null(st, i) == SQLITE_OK ? 0 : -1);
	return (bind_text(st, i, v));
}

/* Read a memo id into ${buf} (MEMO_ID_LEN + 1 bytes). */
static int
col_memo_id(struct sq *q, enum stmt id, int i, char *buf)
{

	if (col_text(q, id, i, buf, MEMO_ID_LEN + 1) != 0)
		return (-1);
	if (!memo_id_valid(buf))
		return (corrupt(id, q->st[id], i));
	return (0);
}

/* Join ${m}'s eligible organisations (checked by store.c) with ','. */
static void
orgs_join(const struct store_memo *m, char buf[ORGS_TEXT_MAX])
{
	size_t i, len, used = 0;

	for (i = 0; i < m->neligible_orgs; i++) {
		len = strlen(m->eligible_orgs[i]);
		if (i > 0)
			buf[used++] = ',';
		memcpy(buf + used, m->eligible_orgs[i], len);
		used += len;
	}
	buf[used] = '\0';
}

/*
 * Split the stored list ${text} into ${m}'s eligible organisations:
 * 1..MEMO_ORGS_MAX valid, distinct ids separated by single commas (an
 * organisation id cannot hold one).  Return 0 or -1.
 */
static int
orgs_split(const char *text, struct store_memo *m)
{
	const char *p = text, *comma;
	size_t len, n = 0, j;

	for (;;) {
		if ((comma = strchr(p, ',')) != NULL)
			len = (size_t)(comma - p);
		else
			len = strlen(p);
		if (len == 0 || len > DIRECTORY_ORG_ID_MAX ||
		    n == MEMO_ORGS_MAX)
			return (-1);
		memcpy(m->eligible_orgs[n], p, len);
		m->eligible_orgs[n][len] = '\0';
		if (!directory_org_id_valid(m->eligible_orgs[n]))
			return (-1);
		for (j = 0; j < n; j++)
			if (strcmp(m->eligible_orgs[j], m->eligible_orgs[n]) ==
			    0)
				return (-1);
		n++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	m->neligible_orgs = n;
	return (0);
}

/* Bind ${m} to parameters ?1..?27 of ${st} (MEMO_COLUMNS order). */
static int
bind_memo(sqlite3_stmt *st, const struct store_memo *m, const char *orgs)
{

	/* store.c checked that submit_log_index fits an int64_t. */
	if (bind_text(st, 1, m->id) != 0 || bind_int(st, 2, m->state) != 0 ||
	    bind_text(st, 3, m->topic) != 0 ||
	    bind_text(st, 4, m->marking) != 0 ||
	    bind_text(st, 5, m->org_id) != 0 || bind_text(st, 6, orgs) != 0 ||
	    bind_blob(st, 7, m->roster_pk, sizeof(m->roster_pk)) != 0 ||
	    bind_int(st, 8, m->flags) != 0 ||
	    bind_int(st, 9, m->version) != 0 ||
	    bind_blob(st, 10, m->version_hash, sizeof(m->version_hash)) != 0 ||
	    bind_int(st, 11, m->created_at) != 0 ||
	    bind_int(st, 12, m->submitted_at) != 0 ||
	    bind_int(st, 13, m->acked_at) != 0 ||
	    bind_int(st, 14, m->replied_at) != 0 ||
	    bind_int(st, 15, m->closed_at) != 0 ||
	    bind_int(st, 16, m->withdrawn_at) != 0 ||
	    bind_int(st, 17, m->ack_due) != 0 ||
	    bind_int(st, 18, m->reply_due) != 0 ||
	    bind_int(st, 19, m->escalate_at) != 0 ||
	    bind_int(st, 20, m->missed) != 0 ||
	    bind_int(st, 21, m->named_count) != 0 ||
	    bind_int(st, 22, m->anon_count) != 0 ||
	    bind_blob(st, 23, m->package_hash, sizeof(m->package_hash)) != 0 ||
	    bind_int(st, 24, (int64_t)m->submit_log_index) != 0 ||
	    bind_text_opt(st, 25, m->assignee) != 0 ||
	    bind_int(st, 26, m->authors) != 0 ||
	    bind_int(st, 27, m->replies) != 0)
		return (-1);
	return (0);
}

/* Read the current row of ${sid} (MEMO_COLUMNS) into ${m}, checked. */
static int
read_memo(struct sq *q, enum stmt sid, struct store_memo *m)
{
	sqlite3_stmt *st = q->st[sid];
	char orgs[ORGS_TEXT_MAX];
	int64_t state, flags, version, missed, named, anon, idx, authors,
	    replies;

	memset(m, 0, sizeof(*m));
	if (col_memo_id(q, sid, 0, m->id) != 0 ||
	    col_int(q, sid, 1, MEMO_STATE_DRAFT, MEMO_STATE_WITHDRAWN,
		&state) != 0 ||
	    col_text(q, sid, 2, m->topic, sizeof(m->topic)) != 0 ||
	    col_text(q, sid, 3, m->marking, sizeof(m->marking)) != 0 ||
	    col_text(q, sid, 4, m->org_id, sizeof(m->org_id)) != 0 ||
	    col_text(q, sid, 5, orgs, sizeof(orgs)) != 0 ||
	    col_blob(q, sid, 6, m->roster_pk, sizeof(m->roster_pk)) != 0 ||
	    col_int(q, sid, 7, 0,
		ACCESS_MEMO_SUBMITTED | ACCESS_MEMO_SHOW_SIGNERS |
		    ACCESS_MEMO_SIGNERS_INVITE,
		&flags) != 0 ||
	    col_int(q, sid, 8, 1, UINT32_MAX, &version) != 0 ||
	    col_blob(q, sid, 9, m->version_hash, sizeof(m->version_hash)) !=
		0 ||
	    col_int(q, sid, 10, INT64_MIN, INT64_MAX, &m->created_at) != 0 ||
	    col_int(q, sid, 11, INT64_MIN, INT64_MAX, &m->submitted_at) != 0 ||
	    col_int(q, sid, 12, INT64_MIN, INT64_MAX, &m->acked_at) != 0 ||
	    col_int(q, sid, 13, INT64_MIN, INT64_MAX, &m->replied_at) != 0 ||
	    col_int(q, sid, 14, INT64_MIN, INT64_MAX, &m->closed_at) != 0 ||
	    col_int(q, sid, 15, INT64_MIN, INT64_MAX, &m->withdrawn_at) != 0 ||
	    col_int(q, sid, 16, INT64_MIN, INT64_MAX, &m->ack_due) != 0 ||
	    col_int(q, sid, 17, INT64_MIN, INT64_MAX, &m->reply_due) != 0 ||
	    col_int(q, sid, 18, INT64_MIN, INT64_MAX, &m->escalate_at) != 0 ||
	    col_int(q, sid, 19, 0,
		STORE_MISSED_ACK | STORE_MISSED_REPLY | STORE_MISSED_ESCALATION,
		&missed) != 0 ||
	    col_int(q, sid, 20, 0, UINT32_MAX, &named) != 0 ||
	    col_int(q, sid, 21, 0, UINT32_MAX, &anon) != 0 ||
	    col_blob(q, sid, 22, m->package_hash, sizeof(m->package_hash)) !=
		0 ||
	    col_int(q, sid, 23, 0, INT64_MAX, &idx) != 0 ||
	    col_member_opt(q, sid, 24, m->assignee) != 0 ||
	    col_int(q, sid, 25, 0, UINT32_MAX, &authors) != 0 ||
	    col_int(q, sid, 26, 0, UINT32_MAX, &replies) != 0)
		goto err0;
	/* What the columns' types and lengths cannot say. */
	if (!memo_topic_valid(m->topic)) {
		(void)corrupt(sid, st, 2);
		goto err0;
	}
	if (memo_marking_level(m->marking) < 0) {
		(void)corrupt(sid, st, 3);
		goto err0;
	}
	if (!directory_org_id_valid(m->org_id)) {
		(void)corrupt(sid, st, 4);
		goto err0;
	}
	if (orgs_split(orgs, m) != 0) {
		(void)corrupt(sid, st, 5);
		goto err0;
	}
	m->state = (int)state;
	m->flags = (unsigned int)flags;
	m->version = (uint32_t)version;
	m->missed = (unsigned int)missed;
	m->named_count = (uint32_t)named;
	m->anon_count = (uint32_t)anon;
	m->submit_log_index = (uint64_t)idx;
	m->authors = (uint32_t)authors;
	m->replies = (uint32_t)replies;
	return (0);

err0:
	memset(m, 0, sizeof(*m));
	return (-1);
}

/* Row readers for read_rows(): read the current row of ${sid} into ${p}. */
typedef int (*row_reader)(struct sq *q, enum stmt sid, void *p);

/* A row_reader of memos (MEMO_COLUMNS). */
static int
row_memo(struct sq *q, enum stmt sid, void *p)
{

	return (read_memo(q, sid, p));
}

/*
 * Read the rows of statement ${lid} (bound, at most ${total} of them: the
 * count taken in the same transaction) with ${rd} into a malloc'd array of
 * elements of ${size} bytes, stored in ${out} and ${n} on success.  On
 * failure ${drop} (if not NULL) releases what each element read holds.
 */
static int
read_rows(struct sq *q, enum stmt lid, size_t total, size_t size, row_reader rd,
    void (*drop)(void *), void **out, size_t *n)
{
	uint8_t *arr;
	size_t got = 0, i;
	int rc = STORE_OK;

	if (list_alloc((void **)&arr, total, size, stmts[lid].what) != 0) {
		finish(q, lid);
		return (STORE_ERR);
	}
	while (got < total && (rc = next_row(q, lid)) == STORE_OK) {
		if (rd(q, lid, arr + got * size) != 0) {
			rc = STORE_ERR;
			break;
		}
		got++;
	}
	finish(q, lid);
	if (rc == STORE_ERR) {
		for (i = 0; drop != NULL && i < got; i++)
			drop(arr + i * size);
		free(arr);
		return (STORE_ERR);
	}
	*out = arr;
	*n = got;
	return (STORE_OK);
}

/* Bind ${text} to ?1 and, if ${limit} is not 0, ${limit} to ?2. */
static int
bind_key(struct sq *q, enum stmt sid, const char *text, size_t limit)
{

	if (bind_text(q->st[sid], 1, text) != 0 ||
	    (limit != 0 && bind_int(q->st[sid], 2, (int64_t)limit) != 0))
		return (bind_failed(q, sid));
	return (STORE_OK);
}

/*
 * Count with ${cid} and list with ${lid}, both keyed by ${text} in ?1 and
 * limited by ${limit} in ?2: the usual list of a memo's rows.
 */
static int
list_by_key(struct sq *q, enum stmt cid, enum stmt lid, const char *text,
    size_t limit, size_t size, row_reader rd, void (*drop)(void *), void **out,
    size_t *n)
{
	size_t total;
	int rc;

	if ((rc = bind_key(q, cid, text, limit)) != STORE_OK ||
	    (rc = count(q, cid, &total)) != STORE_OK)
		return (rc);
	if ((rc = bind_key(q, lid, text, limit)) != STORE_OK)
		return (rc);
	return (read_rows(q, lid, total, size, rd, drop, out, n));
}

/* Insert version ${v} of memo ${memo_id}. */
static int
version_insert(
    struct sq *q, const char *memo_id, const struct store_memo_version *v)
{
	sqlite3_stmt *st = q->st[ST_VERSION_INSERT];

	if (bind_text(st, 1, memo_id) != 0 ||
	    bind_int(st, 2, v->version) != 0 ||
	    bind_blob(st, 3, v->hash, sizeof(v->hash)) != 0 ||
	    bind_text(st, 4, v->author) != 0 ||
	    bind_int(st, 5, v->created_at) != 0 ||
	    bind_blob(st, 6, v->box, v->boxlen) != 0)
		return (bind_failed(q, ST_VERSION_INSERT));
	return (run(q, ST_VERSION_INSERT));
}

/* Insert the relation ${rel} of ${member_id} to ${memo_id}. */
static int
relation_insert(struct sq *q, const char *memo_id, unsigned int rel,
    const char *member_id, const char *by, int64_t now)
{
	sqlite3_stmt *st = q->st[ST_REL_INSERT];

	if (bind_text(st, 1, memo_id) != 0 || bind_int(st, 2, rel) != 0 ||
	    bind_text(st, 3, member_id) != 0 || bind_text(st, 4, by) != 0 ||
	    bind_int(st, 5, now) != 0)
		return (bind_failed(q, ST_REL_INSERT));
	return (run(q, ST_REL_INSERT));
}

static int
sq_memo_insert(void *db, const struct store_memo *m,
    const struct store_memo_version *v, const char *drafter)
{
	struct sq *q = db;
	char orgs[ORGS_TEXT_MAX];
	int rc;

	orgs_join(m, orgs);
	if (bind_memo(q->st[ST_MEMO_INSERT], m, orgs) != 0)
		return (bind_failed(q, ST_MEMO_INSERT));
	if ((rc = run(q, ST_MEMO_INSERT)) != STORE_OK ||
	    (rc = version_insert(q, m->id, v)) != STORE_OK)
		return (rc);
	return (relation_insert(
	    q, m->id, ACCESS_REL_DRAFTER, drafter, drafter, m->created_at));
}

static int
sq_memo_get(void *db, const char *id, struct store_memo *m)
{
	struct sq *q = db;
	int rc;

	if (bind_text(q->st[ST_MEMO_GET], 1, id) != 0)
		return (bind_failed(q, ST_MEMO_GET));
	if ((rc = next_row(q, ST_MEMO_GET)) == STORE_OK &&
	    read_memo(q, ST_MEMO_GET, m) != 0)
		rc = STORE_ERR;
	finish(q, ST_MEMO_GET);
	return (rc);
}

static int
sq_memo_update(void *db, const struct store_memo *m)
{
	struct sq *q = db;
	enum stmt sid = ST_MEMO_VERSION_CHECK;
	uint8_t hash[MEMO_HASH_BYTES];
	char orgs[ORGS_TEXT_MAX];
	int rc;

	/* The memo exists and its version is a stored one with that hash. */
	if (bind_text(q->st[sid], 1, m->id) != 0 ||
	    bind_int(q->st[sid], 2, m->version) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK) {
		if (sqlite3_column_type(q->st[sid], 0) == SQLITE_NULL)
			rc = STORE_CONFLICT;
		else if (col_blob(q, sid, 0, hash, sizeof(hash)) != 0)
			rc = STORE_ERR;
		else if (memcmp(hash, m->version_hash, sizeof(hash)) != 0)
			rc = STORE_CONFLICT;
	}
	finish(q, sid);
	if (rc != STORE_OK)
		return (rc);
	orgs_join(m, orgs);
	if (bind_memo(q->st[ST_MEMO_UPDATE], m, orgs) != 0)
		return (bind_failed(q, ST_MEMO_UPDATE));
	return (run_update(q, ST_MEMO_UPDATE));
}

static int
sq_memo_list_member(
    void *db, const char *member_id, struct store_memo **ms, size_t *n)
{

	return (list_by_key(db, ST_MEMO_COUNT_MEMBER, ST_MEMO_LIST_MEMBER,
	    member_id, STORE_MEMO_LIST_MAX, sizeof(**ms), row_memo, NULL,
	    (void **)ms, n));
}

/*
 * Bind the states of ${mask} to ?1..?9 (0, which is no state, for the
 * rest) and ${limit} to ?10.
 */
static int
bind_states(struct sq *q, enum stmt sid, unsigned int mask, size_t limit)
{
	int state, i = 1;

	for (state = MEMO_STATE_DRAFT; state <= MEMO_STATE_WITHDRAWN; state++)
		if ((mask & (1u << state)) != 0 &&
		    bind_int(q->st[sid], i++, state) != 0)
			return (bind_failed(q, sid));
	for (; i <= 9; i++)
		if (bind_int(q->st[sid], i, 0) != 0)
			return (bind_failed(q, sid));
	/* Every limit is at most STORE_MEMO_LIST_MAX. */
	if (bind_int(q->st[sid], 10, (int64_t)limit) != 0)
		return (bind_failed(q, sid));
	return (STORE_OK);
}

static int
sq_memo_list_states(
    void *db, unsigned int mask, struct store_memo **ms, size_t *n)
{
	struct sq *q = db;
	size_t total;
	int rc;

	if ((rc = bind_states(q, ST_MEMO_COUNT_STATES, mask,
		 STORE_MEMO_LIST_MAX)) != STORE_OK ||
	    (rc = count(q, ST_MEMO_COUNT_STATES, &total)) != STORE_OK ||
	    (rc = bind_states(q, ST_MEMO_LIST_STATES, mask,
		 STORE_MEMO_LIST_MAX)) != STORE_OK)
		return (rc);
	return (read_rows(q, ST_MEMO_LIST_STATES, total, sizeof(**ms), row_memo,
	    NULL, (void **)ms, n));
}

static int
sq_memo_page_states(void *db, unsigned int mask, const char *after, size_t max,
    struct store_memo **ms, size_t *n)
{
	struct sq *q = db;
	enum stmt sid;
	size_t total = 0;
	int rc, i;

	for (i = 0; i < 2; i++) {
		sid = i == 0 ? ST_MEMO_COUNT_PAGE : ST_MEMO_PAGE;
		if ((rc = bind_states(q, sid, mask, max)) != STORE_OK)
			return (rc);
		if (bind_text(q->st[sid], 11, after) != 0)
			return (bind_failed(q, sid));
		if (i == 0 && (rc = count(q, sid, &total)) != STORE_OK)
			return (rc);
	}
	return (read_rows(q, ST_MEMO_PAGE, total, sizeof(**ms), row_memo, NULL,
	    (void **)ms, n));
}

static int
sq_memo_relations(
    void *db, const char *memo_id, const char *member_id, unsigned int *rel)
{
	struct sq *q = db;
	enum stmt sid = ST_REL_GET;
	unsigned int bits = 0;
	int64_t r;
	int rc;

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_text(q->st[sid], 2, member_id) != 0)
		return (bind_failed(q, sid));
	while ((rc = next_row(q, sid)) == STORE_OK) {
		if (col_int(q, sid, 0, 1, REL_STORED, &r) != 0) {
			rc = STORE_ERR;
			break;
		}
		/* One kept relation per row: never a signer. */
		if ((r & (r - 1)) != 0 ||
		    ((unsigned int)r & ~REL_STORED) != 0) {
			rc = corrupt(sid, q->st[sid], 0);
			break;
		}
		bits |= (unsigned int)r;
	}
	finish(q, sid);
	if (rc == STORE_ERR)
		return (STORE_ERR);
	*rel = bits;
	return (STORE_OK);
}

static int
sq_memo_relate(void *db, const char *memo_id, const char *member_id,
    unsigned int rel, const char *by, int64_t now)
{
	struct sq *q = db;
	enum stmt sid = ST_REL_HAS;
	size_t have;
	int rc;

	/* Relating again changes nothing, not even who made it or when. */
	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_int(q->st[sid], 2, rel) != 0 ||
	    bind_text(q->st[sid], 3, member_id) != 0)
		return (bind_failed(q, sid));
	rc = next_row(q, sid);
	finish(q, sid);
	if (rc != STORE_NOTFOUND)
		return (rc);
	sid = ST_REL_COUNT;
	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_int(q->st[sid], 2, rel) != 0 ||
	    bind_int(q->st[sid], 3, STORE_RELATED_MAX) != 0)
		return (bind_failed(q, sid));
	if ((rc = count(q, sid, &have)) != STORE_OK)
		return (rc);
	if (have >= STORE_RELATED_MAX)
		return (STORE_CONFLICT);
	return (relation_insert(q, memo_id, rel, member_id, by, now));
}

/* A row_reader of member ids (column 0). */
static int
row_member_id(struct sq *q, enum stmt sid, void *p)
{

	return (col_member(q, sid, 0, p, NULL));
}

static int
sq_memo_related(void *db, const char *memo_id, unsigned int rel,
    char (**ids)[DIRECTORY_MEMBER_ID_LEN + 1], size_t *n)
{
	struct sq *q = db;
	enum stmt sid;
	size_t total = 0;
	int rc, i;

	for (i = 0; i < 2; i++) {
		sid = i == 0 ? ST_REL_COUNT : ST_REL_LIST;
		if (bind_text(q->st[sid], 1, memo_id) != 0 ||
		    bind_int(q->st[sid], 2, rel) != 0 ||
		    bind_int(q->st[sid], 3, STORE_RELATED_MAX) != 0)
			return (bind_failed(q, sid));
		if (i == 0 && (rc = count(q, sid, &total)) != STORE_OK)
			return (rc);
	}
	return (read_rows(q, ST_REL_LIST, total, sizeof(**ids), row_member_id,
	    NULL, (void **)ids, n));
}

static int
sq_memo_unrelate(
    void *db, const char *memo_id, const char *member_id, unsigned int rel)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_REL_DELETE];

	if (bind_text(st, 1, memo_id) != 0 || bind_int(st, 2, rel) != 0 ||
	    bind_text(st, 3, member_id) != 0)
		return (bind_failed(q, ST_REL_DELETE));
	return (run_update(q, ST_REL_DELETE));
}

/*
 * Read with ${sid} (bound to a memo id in ?1) the single value that
 * follows the newest number of its rows into ${next}; STORE_NOTFOUND if
 * the memo does not exist.
 */
static int
next_number(struct sq *q, enum stmt sid, const char *memo_id, uint64_t *next)
{
	int64_t v;
	int rc;

	if (bind_text(q->st[sid], 1, memo_id) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK) {
		if (col_int(q, sid, 0, 0, UINT32_MAX, &v) != 0)
			rc = STORE_ERR;
		else
			*next = (uint64_t)v + 1;
	}
	finish(q, sid);
	return (rc);
}

static int
sq_version_put(
    void *db, const char *memo_id, const struct store_memo_version *v)
{
	struct sq *q = db;
	uint64_t next;
	int rc;

	if ((rc = next_number(q, ST_VERSION_NEXT, memo_id, &next)) != STORE_OK)
		return (rc);
	if (v->version != next || v->version > STORE_VERSIONS_MAX)
		return (STORE_CONFLICT);
	return (version_insert(q, memo_id, v));
}

/* Read the current row of ${sid} (version, hash, author, created_at). */
static int
row_version(struct sq *q, enum stmt sid, void *p)
{
	struct store_memo_version *v = p;
	int64_t version;

	memset(v, 0, sizeof(*v));
	if (col_int(q, sid, 0, 1, UINT32_MAX, &version) != 0 ||
	    col_blob(q, sid, 1, v->hash, sizeof(v->hash)) != 0 ||
	    col_member(q, sid, 2, v->author, NULL) != 0 ||
	    col_int(q, sid, 3, INT64_MIN, INT64_MAX, &v->created_at) != 0)
		return (-1);
	v->version = (uint32_t)version;
	return (0);
}

static int
sq_version_get(void *db, const char *memo_id, uint32_t version,
    struct store_memo_version *v)
{
	struct sq *q = db;
	enum stmt sid = ST_VERSION_GET;
	int rc;

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_int(q->st[sid], 2, version) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK &&
	    (row_version(q, sid, v) != 0 ||
		col_box(q, sid, 4, MEMO_BOX_MAX, &v->box, &v->boxlen) != 0))
		rc = STORE_ERR;
	finish(q, sid);
	return (rc);
}

static int
sq_versions(
    void *db, const char *memo_id, struct store_memo_version **vs, size_t *n)
{

	return (list_by_key(db, ST_VERSION_COUNT, ST_VERSION_LIST, memo_id,
	    STORE_VERSIONS_MAX, sizeof(**vs), row_version, NULL, (void **)vs,
	    n));
}

static int
sq_grant_put(void *db, const struct store_grant *g)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_GRANT_PUT];
	uint32_t epoch;
	int status, rc;

	/* The recipient is a member, or the channel. */
	if (strcmp(g->recipient, STORE_RECIPIENT_CHANNEL) != 0 &&
	    (rc = member_state(q, g->recipient, &status, &epoch)) != STORE_OK)
		return (rc);
	if (bind_text(st, 1, g->memo_id) != 0 ||
	    bind_text(st, 2, g->recipient) != 0 ||
	    bind_text(st, 3, g->purpose) != 0 ||
	    bind_blob(st, 4, g->sealed, g->sealedlen) != 0 ||
	    bind_int(st, 5, g->held) != 0 ||
	    bind_int(st, 6, g->created_at) != 0)
		return (bind_failed(q, ST_GRANT_PUT));
	return (run(q, ST_GRANT_PUT));
}

static int
sq_grant_get(void *db, const char *memo_id, const char *recipient,
    const char *purpose, struct store_grant *g)
{
	struct sq *q = db;
	enum stmt sid = ST_GRANT_GET;
	int64_t held;
	int rc;

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_text(q->st[sid], 2, recipient) != 0 ||
	    bind_text(q->st[sid], 3, purpose) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK) {
		if (col_memo_id(q, sid, 0, g->memo_id) != 0 ||
		    col_member(q, sid, 1, g->recipient,
			STORE_RECIPIENT_CHANNEL) != 0 ||
		    col_text(q, sid, 2, g->purpose, sizeof(g->purpose)) != 0 ||
		    col_var(q, sid, 3, g->sealed, sizeof(g->sealed),
			&g->sealedlen) != 0 ||
		    col_int(q, sid, 4, 0, 1, &held) != 0 ||
		    col_int(q, sid, 5, INT64_MIN, INT64_MAX, &g->created_at) !=
			0)
			rc = STORE_ERR;
		else
			g->held = (int)held;
	}
	finish(q, sid);
	return (rc);
}

static int
sq_grant_release(void *db, const char *memo_id, const char *recipient)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_GRANT_RELEASE];

	if (bind_text(st, 1, memo_id) != 0 || bind_text(st, 2, recipient) != 0)
		return (bind_failed(q, ST_GRANT_RELEASE));
	return (run_update(q, ST_GRANT_RELEASE));
}

static int
sq_grant_delete(
    void *db, const char *memo_id, const char *recipient, const char *purpose)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_GRANT_DELETE];

	if (bind_text(st, 1, memo_id) != 0 ||
	    bind_text(st, 2, recipient) != 0 || bind_text(st, 3, purpose) != 0)
		return (bind_failed(q, ST_GRANT_DELETE));
	return (run_update(q, ST_GRANT_DELETE));
}

/* Bind the memo id ${memo_id} and the tag ${tag} to ?1 and ?2 of ${sid}. */
static int
bind_tag(struct sq *q, enum stmt sid, const char *memo_id, const uint8_t *tag)
{

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_blob(q->st[sid], 2, tag, MEMO_HASH_BYTES) != 0)
		return (bind_failed(q, sid));
	return (STORE_OK);
}

/* Count ${memo_id}'s signatures over ${version} (0: all) into ${n}. */
static int
signatures_count(struct sq *q, const char *memo_id, uint32_t version, size_t *n)
{
	enum stmt sid = version == 0 ? ST_SIG_COUNT_ALL : ST_SIG_COUNT_VERSION;

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    (version != 0 && bind_int(q->st[sid], 2, version) != 0))
		return (bind_failed(q, sid));
	return (count(q, sid, n));
}

static int
sq_signature_put(
    void *db, const char *memo_id, const struct store_signature *sig)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_SIG_PUT];
	size_t have;
	int rc;

	/* A new tag must fit; replacing one (a re-signature) always does. */
	if ((rc = bind_tag(q, ST_SIG_HAS, memo_id, sig->tag)) != STORE_OK)
		return (rc);
	rc = next_row(q, ST_SIG_HAS);
	finish(q, ST_SIG_HAS);
	if (rc == STORE_NOTFOUND) {
		if ((rc = signatures_count(q, memo_id, 0, &have)) != STORE_OK)
			return (rc);
		if (have >= STORE_SIGNATURES_MAX)
			return (STORE_CONFLICT);
	} else if (rc != STORE_OK) {
		return (rc);
	}
	if (bind_text(st, 1, memo_id) != 0 ||
	    bind_blob(st, 2, sig->tag, sizeof(sig->tag)) != 0 ||
	    bind_int(st, 3, sig->version) != 0 ||
	    bind_blob(st, 4, sig->record, sizeof(sig->record)) != 0)
		return (bind_failed(q, ST_SIG_PUT));
	return (run(q, ST_SIG_PUT));
}

/* Read the current row of ${sid} (tag, version, record). */
static int
row_signature(struct sq *q, enum stmt sid, void *p)
{
	struct store_signature *sig = p;
	int64_t version;

	if (col_blob(q, sid, 0, sig->tag, sizeof(sig->tag)) != 0 ||
	    col_int(q, sid, 1, 1, UINT32_MAX, &version) != 0 ||
	    col_blob(q, sid, 2, sig->record, sizeof(sig->record)) != 0)
		return (-1);
	sig->version = (uint32_t)version;
	return (0);
}

static int
sq_signature_get(void *db, const char *memo_id, const uint8_t *tag,
    struct store_signature *sig)
{
	struct sq *q = db;
	int rc;

	if ((rc = bind_tag(q, ST_SIG_GET, memo_id, tag)) != STORE_OK)
		return (rc);
	if ((rc = next_row(q, ST_SIG_GET)) == STORE_OK &&
	    row_signature(q, ST_SIG_GET, sig) != 0)
		rc = STORE_ERR;
	finish(q, ST_SIG_GET);
	return (rc);
}

static int
sq_signature_delete(void *db, const char *memo_id, const uint8_t *tag)
{
	struct sq *q = db;
	int rc;

	if ((rc = bind_tag(q, ST_SIG_DELETE, memo_id, tag)) != STORE_OK)
		return (rc);
	return (run_update(q, ST_SIG_DELETE));
}

static int
sq_signature_list(void *db, const char *memo_id, uint32_t version,
    struct store_signature **sigs, size_t *n)
{
	struct sq *q = db;
	enum stmt sid = version == 0 ? ST_SIG_LIST_ALL : ST_SIG_LIST_VERSION;
	size_t total;
	int rc;

	if ((rc = signatures_count(q, memo_id, version, &total)) != STORE_OK)
		return (rc);
	if (total > STORE_SIGNATURES_MAX)
		total = STORE_SIGNATURES_MAX;
	if ((rc = bind_key(q, sid, memo_id, STORE_SIGNATURES_MAX)) != STORE_OK)
		return (rc);
	if (version != 0 && bind_int(q->st[sid], 3, version) != 0)
		return (bind_failed(q, sid));
	return (read_rows(q, sid, total, sizeof(**sigs), row_signature, NULL,
	    (void **)sigs, n));
}

static int
sq_signature_count(void *db, const char *memo_id, uint32_t version, uint32_t *n)
{
	size_t v;
	int rc;

	if ((rc = signatures_count(db, memo_id, version, &v)) != STORE_OK)
		return (rc);
	if (v > UINT32_MAX) {
		store_log("sqlite: signature count: too many rows");
		return (STORE_ERR);
	}
	*n = (uint32_t)v;
	return (STORE_OK);
}

static int
sq_access_put(void *db, const char *memo_id, const struct store_access *a)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_ACCESS_INSERT];

	/* store.c checked that the log index fits an int64_t. */
	if (bind_text(st, 1, memo_id) != 0 ||
	    bind_text(st, 2, a->member_id) != 0 ||
	    bind_int(st, 3, a->kind) != 0 || bind_int(st, 4, a->at) != 0 ||
	    bind_blob(st, 5, a->nonce, sizeof(a->nonce)) != 0 ||
	    bind_int(st, 6, (int64_t)a->log_index) != 0)
		return (bind_failed(q, ST_ACCESS_INSERT));
	return (run(q, ST_ACCESS_INSERT));
}

/* Read the current row of ${sid} (member, kind, at, nonce, log index). */
static int
row_access(struct sq *q, enum stmt sid, void *p)
{
	struct store_access *a = p;
	int64_t kind, idx;

	if (col_member(q, sid, 0, a->member_id, STORE_RECIPIENT_CHANNEL) != 0 ||
	    col_int(q, sid, 1, 0, EVENT_ACCESS_REPLIES, &kind) != 0 ||
	    col_int(q, sid, 2, INT64_MIN, INT64_MAX, &a->at) != 0 ||
	    col_blob(q, sid, 3, a->nonce, sizeof(a->nonce)) != 0 ||
	    col_int(q, sid, 4, 0, INT64_MAX, &idx) != 0)
		return (-1);
	a->kind = (int)kind;
	a->log_index = (uint64_t)idx;
	return (0);
}

static int
sq_access_list(
    void *db, const char *memo_id, struct store_access **as, size_t *n)
{

	return (list_by_key(db, ST_ACCESS_COUNT, ST_ACCESS_LIST, memo_id,
	    STORE_ACCESS_LIST_MAX, sizeof(**as), row_access, NULL, (void **)as,
	    n));
}

static int
sq_reply_put(void *db, const char *memo_id, const struct store_reply *r)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_REPLY_INSERT];
	uint64_t next;
	int rc;

	if ((rc = next_number(q, ST_REPLY_NEXT, memo_id, &next)) != STORE_OK)
		return (rc);
	if (r->n != next || r->n > STORE_REPLIES_MAX)
		return (STORE_CONFLICT);
	if (bind_text(st, 1, memo_id) != 0 || bind_int(st, 2, r->n) != 0 ||
	    bind_int(st, 3, r->kind) != 0 || bind_text(st, 4, r->author) != 0 ||
	    bind_int(st, 5, r->created_at) != 0 ||
	    bind_blob(st, 6, r->box, r->boxlen) != 0)
		return (bind_failed(q, ST_REPLY_INSERT));
	return (run(q, ST_REPLY_INSERT));
}

/* Read the current row of ${sid} (n, kind, author, created_at, box). */
static int
row_reply(struct sq *q, enum stmt sid, void *p)
{
	struct store_reply *r = p;
	int64_t n, kind;

	if (col_int(q, sid, 0, 1, UINT32_MAX, &n) != 0 ||
	    col_int(q, sid, 1, MEMO_REPLY_KIND_REPLY, MEMO_REPLY_KIND_OUTCOME,
		&kind) != 0 ||
	    col_member(q, sid, 2, r->author, NULL) != 0 ||
	    col_int(q, sid, 3, INT64_MIN, INT64_MAX, &r->created_at) != 0 ||
	    col_box(q, sid, 4, MEMO_REPLY_BOX_MAX, &r->box, &r->boxlen) != 0)
		return (-1);
	r->n = (uint32_t)n;
	r->kind = (int)kind;
	return (0);
}

/* Free what row_reply() allocated. */
static void
drop_reply(void *p)
{
	struct store_reply *r = p;

	free(r->box);
	r->box = NULL;
}

static int
sq_reply_list(void *db, const char *memo_id, struct store_reply **rs, size_t *n)
{

	return (list_by_key(db, ST_REPLY_COUNT, ST_REPLY_LIST, memo_id,
	    STORE_REPLIES_MAX, sizeof(**rs), row_reply, drop_reply, (void **)rs,
	    n));
}

static int
sq_distribution_put(
    void *db, const char *memo_id, const struct store_distribution *d)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_DIST_PUT];
	size_t have;
	int rc;

	/* A new principal must fit; updating one always does. */
	if (bind_text(q->st[ST_DIST_HAS], 1, memo_id) != 0 ||
	    bind_text(q->st[ST_DIST_HAS], 2, d->principal) != 0)
		return (bind_failed(q, ST_DIST_HAS));
	rc = next_row(q, ST_DIST_HAS);
	finish(q, ST_DIST_HAS);
	if (rc == STORE_NOTFOUND) {
		if ((rc = bind_key(q, ST_DIST_COUNT, memo_id,
			 STORE_DISTRIBUTIONS_MAX)) != STORE_OK ||
		    (rc = count(q, ST_DIST_COUNT, &have)) != STORE_OK)
			return (rc);
		if (have >= STORE_DISTRIBUTIONS_MAX)
			return (STORE_CONFLICT);
	} else if (rc != STORE_OK) {
		return (rc);
	}
	if (bind_text(st, 1, memo_id) != 0 ||
	    bind_text(st, 2, d->principal) != 0 ||
	    bind_int(st, 3, d->status) != 0 ||
	    bind_text(st, 4, d->requested_by) != 0 ||
	    bind_text_opt(st, 5, d->approved_by) != 0 ||
	    bind_int(st, 6, d->at) != 0)
		return (bind_failed(q, ST_DIST_PUT));
	return (run(q, ST_DIST_PUT));
}

/* Read the current row of ${sid} (principal, status, by, approver, at). */
static int
row_distribution(struct sq *q, enum stmt sid, void *p)
{
	struct store_distribution *d = p;
	int64_t status;

	if (col_member(q, sid, 0, d->principal, NULL) != 0 ||
	    col_int(q, sid, 1, STORE_DIST_PENDING, STORE_DIST_DONE, &status) !=
		0 ||
	    col_member(q, sid, 2, d->requested_by, NULL) != 0 ||
	    col_member_opt(q, sid, 3, d->approved_by) != 0 ||
	    col_int(q, sid, 4, INT64_MIN, INT64_MAX, &d->at) != 0)
		return (-1);
	d->status = (int)status;
	return (0);
}

static int
sq_distribution_list(
    void *db, const char *memo_id, struct store_distribution **ds, size_t *n)
{

	return (list_by_key(db, ST_DIST_COUNT, ST_DIST_LIST, memo_id,
	    STORE_DISTRIBUTIONS_MAX, sizeof(**ds), row_distribution, NULL,
	    (void **)ds, n));
}

static int
sq_meeting_insert(void *db, struct store_meeting *m)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_MEETING_INSERT];
	int rc;

	if (bind_text(st, 1, m->memo_id) != 0 ||
	    bind_text(st, 2, m->principal) != 0 ||
	    bind_text(st, 3, m->requested_by) != 0 ||
	    bind_int(st, 4, m->state) != 0 ||
	    bind_int(st, 5, m->created_at) != 0 ||
	    bind_int(st, 6, m->scheduled_at) != 0 ||
	    bind_int(st, 7, m->outcome_n) != 0)
		return (bind_failed(q, ST_MEETING_INSERT));
	if ((rc = run(q, ST_MEETING_INSERT)) == STORE_OK)
		m->id = sqlite3_last_insert_rowid(q->db);
	return (rc);
}

/* Read the current row of ${sid} (MEETING_COLUMNS). */
static int
row_meeting(struct sq *q, enum stmt sid, void *p)
{
	struct store_meeting *m = p;
	int64_t state, outcome;

	memset(m, 0, sizeof(*m));
	if (col_int(q, sid, 0, 1, INT64_MAX, &m->id) != 0 ||
	    col_memo_id(q, sid, 1, m->memo_id) != 0 ||
	    col_member(q, sid, 2, m->principal, NULL) != 0 ||
	    col_member(q, sid, 3, m->requested_by, NULL) != 0 ||
	    col_int(q, sid, 4, STORE_MEETING_REQUESTED, STORE_MEETING_DECLINED,
		&state) != 0 ||
	    col_int(q, sid, 5, INT64_MIN, INT64_MAX, &m->created_at) != 0 ||
	    col_int(q, sid, 6, INT64_MIN, INT64_MAX, &m->scheduled_at) != 0 ||
	    col_int(q, sid, 7, 0, UINT32_MAX, &outcome) != 0)
		return (-1);
	m->state = (int)state;
	m->outcome_n = (uint32_t)outcome;
	return (0);
}

static int
sq_meeting_get(void *db, int64_t id, struct store_meeting *m)
{
	struct sq *q = db;
	int rc;

	if (bind_int(q->st[ST_MEETING_GET], 1, id) != 0)
		return (bind_failed(q, ST_MEETING_GET));
	if ((rc = next_row(q, ST_MEETING_GET)) == STORE_OK &&
	    row_meeting(q, ST_MEETING_GET, m) != 0)
		rc = STORE_ERR;
	finish(q, ST_MEETING_GET);
	return (rc);
}

static int
sq_meeting_update(void *db, const struct store_meeting *m)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_MEETING_UPDATE];

	if (bind_int(st, 1, m->id) != 0 || bind_int(st, 2, m->state) != 0 ||
	    bind_int(st, 3, m->scheduled_at) != 0 ||
	    bind_int(st, 4, m->outcome_n) != 0)
		return (bind_failed(q, ST_MEETING_UPDATE));
	return (run_update(q, ST_MEETING_UPDATE));
}

static int
sq_meeting_list(
    void *db, const char *member_id, struct store_meeting **ms, size_t *n)
{
	struct sq *q = db;
	enum stmt cid, lid, sid;
	size_t total = 0;
	int rc, i;

	cid =
	    member_id != NULL ? ST_MEETING_COUNT_MEMBER : ST_MEETING_COUNT_ALL;
	lid = member_id != NULL ? ST_MEETING_LIST_MEMBER : ST_MEETING_LIST_ALL;
	for (i = 0; i < 2; i++) {
		sid = i == 0 ? cid : lid;
		if (bind_int(q->st[sid], 1, STORE_MEMO_LIST_MAX) != 0 ||
		    (member_id != NULL &&
			bind_text(q->st[sid], 2, member_id) != 0))
			return (bind_failed(q, sid));
		if (i == 0 && (rc = count(q, sid, &total)) != STORE_OK)
			return (rc);
	}
	return (read_rows(
	    q, lid, total, sizeof(**ms), row_meeting, NULL, (void **)ms, n));
}

static int
sq_complaint_insert(void *db, struct store_complaint *c,
    const char (*readers)[DIRECTORY_MEMBER_ID_LEN + 1],
    const uint8_t (*sealed)[STORE_GRANT_MAX], const size_t *sealedlen, size_t n)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_COMPLAINT_INSERT];
	int64_t id;
	size_t i;
	int rc;

	if (bind_int(st, 1, c->created_at) != 0 ||
	    bind_blob(st, 2, c->box, c->boxlen) != 0)
		return (bind_failed(q, ST_COMPLAINT_INSERT));
	if ((rc = run(q, ST_COMPLAINT_INSERT)) != STORE_OK)
		return (rc);
	id = sqlite3_last_insert_rowid(q->db);
	st = q->st[ST_COMPLAINT_READER_INSERT];
	for (i = 0; i < n; i++) {
		if (bind_int(st, 1, id) != 0 ||
		    bind_text(st, 2, readers[i]) != 0 ||
		    bind_blob(st, 3, sealed[i], sealedlen[i]) != 0)
			return (bind_failed(q, ST_COMPLAINT_READER_INSERT));
		if ((rc = run(q, ST_COMPLAINT_READER_INSERT)) != STORE_OK)
			return (rc);
	}
	c->id = id;
	return (STORE_OK);
}

/* Read the current row of ${sid} (id, created_at, box, sealed key). */
static int
row_complaint(struct sq *q, enum stmt sid, void *p)
{
	struct store_complaint *c = p;

	memset(c, 0, sizeof(*c));
	if (col_int(q, sid, 0, 1, INT64_MAX, &c->id) != 0 ||
	    col_int(q, sid, 1, INT64_MIN, INT64_MAX, &c->created_at) != 0 ||
	    col_var(q, sid, 3, c->sealed, sizeof(c->sealed), &c->sealedlen) !=
		0 ||
	    col_box(q, sid, 2, STORE_COMPLAINT_BOX_MAX, &c->box, &c->boxlen) !=
		0)
		return (-1);
	return (0);
}

/* Free what row_complaint() allocated. */
static void
drop_complaint(void *p)
{
	struct store_complaint *c = p;

	free(c->box);
	c->box = NULL;
}

static int
sq_complaint_list(
    void *db, const char *auditor_id, struct store_complaint **cs, size_t *n)
{

	return (list_by_key(db, ST_COMPLAINT_COUNT, ST_COMPLAINT_LIST,
	    auditor_id, STORE_MEMO_LIST_MAX, sizeof(**cs), row_complaint,
	    drop_complaint, (void **)cs, n));
}

static int
sq_channel_key_get(
    void *db, uint8_t *pk, uint64_t *log_index, int64_t *created_at)
{
	struct sq *q = db;
	enum stmt sid = ST_CHANNEL_KEY_GET;
	int64_t idx;
	int rc;

	if ((rc = next_row(q, sid)) == STORE_OK &&
	    (col_blob(q, sid, 0, pk, KEYS_BOX_PK_BYTES) != 0 ||
		col_int(q, sid, 1, 0, LOG_INDEX_MAX, &idx) != 0 ||
		col_int(q, sid, 2, INT64_MIN, INT64_MAX, created_at) != 0))
		rc = STORE_ERR;
	finish(q, sid);
	if (rc == STORE_OK)
		*log_index = (uint64_t)idx;
	return (rc);
}

static int
sq_channel_key_create(
    void *db, const uint8_t *pk, uint64_t log_index, int64_t now)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_CHANNEL_KEY_INSERT];

	/* store.c checked that log_index is below STORE_LOG_SIZE_MAX. */
	if (bind_blob(st, 1, pk, KEYS_BOX_PK_BYTES) != 0 ||
	    bind_int(st, 2, (int64_t)log_index) != 0 ||
	    bind_int(st, 3, now) != 0)
		return (bind_failed(q, ST_CHANNEL_KEY_INSERT));
	return (run(q, ST_CHANNEL_KEY_INSERT));
}

static int
sq_channel_grant_put(void *db, const char *member_id, const uint8_t *sealed,
    size_t sealedlen, int64_t now)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_CHANNEL_GRANT_PUT];
	uint8_t pk[KEYS_BOX_PK_BYTES];
	uint64_t log_index;
	int64_t created_at;
	int rc;

	/* No grant of a key that does not exist. */
	if ((rc = sq_channel_key_get(q, pk, &log_index, &created_at)) !=
	    STORE_OK)
		return (rc);
	if (bind_text(st, 1, member_id) != 0 ||
	    bind_blob(st, 2, sealed, sealedlen) != 0 ||
	    bind_int(st, 3, now) != 0)
		return (bind_failed(q, ST_CHANNEL_GRANT_PUT));
	return (run(q, ST_CHANNEL_GRANT_PUT));
}

static int
sq_channel_grant_get(
    void *db, const char *member_id, uint8_t *sealed, size_t *sealedlen)
{
	struct sq *q = db;
	enum stmt sid = ST_CHANNEL_GRANT_GET;
	int rc;

	if (bind_text(q->st[sid], 1, member_id) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK &&
	    col_var(q, sid, 0, sealed, STORE_GRANT_MAX, sealedlen) != 0)
		rc = STORE_ERR;
	finish(q, sid);
	return (rc);
}

static int
sq_notification_put(void *db, const struct store_notification *nt)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_NOTIFY_INSERT];

	if (bind_text(st, 1, nt->recipient) != 0 ||
	    bind_int(st, 2, nt->kind) != 0 ||
	    bind_int(st, 3, nt->created_at) != 0 ||
	    bind_int(st, 4, nt->next_at) != 0 ||
	    bind_int(st, 5, nt->attempts) != 0)
		return (bind_failed(q, ST_NOTIFY_INSERT));
	return (run(q, ST_NOTIFY_INSERT));
}

/* Read the current row of ${sid} (id, recipient, kind, times, attempts). */
static int
row_notification(struct sq *q, enum stmt sid, void *p)
{
	struct store_notification *nt = p;
	int64_t kind, attempts;

	if (col_int(q, sid, 0, 1, INT64_MAX, &nt->id) != 0 ||
	    col_member(q, sid, 1, nt->recipient, STORE_RECIPIENT_WEBHOOK) !=
		0 ||
	    col_int(q, sid, 2, 1, 255, &kind) != 0 ||
	    col_int(q, sid, 3, INT64_MIN, INT64_MAX, &nt->created_at) != 0 ||
	    col_int(q, sid, 4, INT64_MIN, INT64_MAX, &nt->next_at) != 0 ||
	    col_int(q, sid, 5, 0, UINT32_MAX, &attempts) != 0)
		return (-1);
	nt->kind = (int)kind;
	nt->attempts = (uint32_t)attempts;
	return (0);
}

static int
sq_notification_due(void *db, int64_t now, size_t max,
    struct store_notification **nts, size_t *n)
{
	struct sq *q = db;
	enum stmt sid;
	size_t total = 0;
	int rc, i;

	for (i = 0; i < 2; i++) {
		sid = i == 0 ? ST_NOTIFY_DUE_COUNT : ST_NOTIFY_DUE;
		if (bind_int(q->st[sid], 1, now) != 0 ||
		    bind_int(q->st[sid], 2, (int64_t)max) != 0)
			return (bind_failed(q, sid));
		if (i == 0 && (rc = count(q, sid, &total)) != STORE_OK)
			return (rc);
	}
	return (read_rows(q, ST_NOTIFY_DUE, total, sizeof(**nts),
	    row_notification, NULL, (void **)nts, n));
}

static int
sq_notification_done(void *db, int64_t id)
{
	struct sq *q = db;

	if (bind_int(q->st[ST_NOTIFY_DELETE], 1, id) != 0)
		return (bind_failed(q, ST_NOTIFY_DELETE));
	return (run_update(q, ST_NOTIFY_DELETE));
}

static int
sq_notification_retry(void *db, int64_t id, int64_t next_at)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_NOTIFY_RETRY];

	if (bind_int(st, 1, id) != 0 || bind_int(st, 2, next_at) != 0)
		return (bind_failed(q, ST_NOTIFY_RETRY));
	return (run_update(q, ST_NOTIFY_RETRY));
}

/* Read the ring tree size of memo ${memo_id}: NOTFOUND if no such memo. */
static int
ring_tree_size_get(
    struct sq *q, const char *memo_id, int *pinned, uint64_t *size)
{
	enum stmt sid = ST_RING_TREE_SIZE;
	int64_t v;
	int rc;

	*pinned = 0;
	*size = 0;
	if (bind_text(q->st[sid], 1, memo_id) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK &&
	    sqlite3_column_type(q->st[sid], 0) != SQLITE_NULL) {
		if (col_int(q, sid, 0, 0, INT64_MAX - 1, &v) != 0)
			rc = STORE_ERR;
		else {
			*pinned = 1;
			*size = (uint64_t)v;
		}
	}
	finish(q, sid);
	return (rc);
}

static int
sq_ring_pin(void *db, const char *memo_id, uint64_t tree_size, size_t *n)
{
	struct sq *q = db;
	uint64_t old;
	size_t have;
	int pinned, rc;

	if ((rc = ring_tree_size_get(q, memo_id, &pinned, &old)) != STORE_OK)
		return (rc);
	if (pinned)
		return (STORE_CONFLICT);
	if ((rc = bind_key(q, ST_RING_QUALIFY_COUNT, memo_id,
		 STORE_RING_SNAPSHOT_MAX + 1)) != STORE_OK ||
	    (rc = count(q, ST_RING_QUALIFY_COUNT, &have)) != STORE_OK)
		return (rc);
	if (have > STORE_RING_SNAPSHOT_MAX)
		return (STORE_CONFLICT);
	if (bind_text(q->st[ST_RING_PIN], 1, memo_id) != 0)
		return (bind_failed(q, ST_RING_PIN));
	if ((rc = run(q, ST_RING_PIN)) != STORE_OK)
		return (rc);
	if (sqlite3_changes(q->db) < 0 ||
	    (size_t)sqlite3_changes(q->db) != have) {
		store_log("sqlite: ring pin: the snapshot changed while taken");
		return (STORE_ERR);
	}
	if (bind_text(q->st[ST_RING_SET_SIZE], 1, memo_id) != 0 ||
	    bind_int(q->st[ST_RING_SET_SIZE], 2, (int64_t)tree_size) != 0)
		return (bind_failed(q, ST_RING_SET_SIZE));
	if ((rc = run_update(q, ST_RING_SET_SIZE)) != STORE_OK)
		return (rc == STORE_NOTFOUND ? STORE_CONFLICT : rc);
	*n = have;
	return (STORE_OK);
}

static int
sq_ring_tree_size(void *db, const char *memo_id, uint64_t *size)
{
	int pinned, rc;

	if ((rc = ring_tree_size_get(db, memo_id, &pinned, size)) != STORE_OK)
		return (rc);
	return (pinned ? STORE_OK : STORE_NOTFOUND);
}

/* Read the current row of ${sid} (member, epoch, sign, box, ring keys). */
static int
row_ring_member(struct sq *q, enum stmt sid, void *p)
{
	struct store_ring_member *m = p;
	int64_t epoch;

	if (col_member(q, sid, 0, m->member_id, NULL) != 0 ||
	    col_int(q, sid, 1, 1, UINT32_MAX, &epoch) != 0 ||
	    col_blob(q, sid, 2, m->keys.sign_pk, sizeof(m->keys.sign_pk)) !=
		0 ||
	    col_blob(q, sid, 3, m->keys.box_pk, sizeof(m->keys.box_pk)) != 0 ||
	    col_blob(q, sid, 4, m->keys.ring_pk, sizeof(m->keys.ring_pk)) != 0)
		return (-1);
	m->epoch = (uint32_t)epoch;
	return (0);
}

static int
sq_ring_list(void *db, const char *memo_id, uint64_t *tree_size,
    struct store_ring_member **ms, size_t *n)
{
	int pinned, rc;

	if ((rc = ring_tree_size_get(db, memo_id, &pinned, tree_size)) !=
	    STORE_OK)
		return (rc);
	if (!pinned)
		return (STORE_NOTFOUND);
	return (list_by_key(db, ST_RING_COUNT, ST_RING_LIST, memo_id,
	    STORE_RING_SNAPSHOT_MAX, sizeof(**ms), row_ring_member, NULL,
	    (void **)ms, n));
}

static int
sq_ring_holds(void *db, const char *memo_id,
    const uint8_t (*keys)[RING_PK_BYTES], size_t n)
{
	struct sq *q = db;
	enum stmt sid = ST_RING_HAS;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (bind_text(q->st[sid], 1, memo_id) != 0 ||
		    bind_blob(q->st[sid], 2, keys[i], RING_PK_BYTES) != 0)
			return (bind_failed(q, sid));
		rc = next_row(q, sid);
		finish(q, sid);
		if (rc != STORE_OK)
			return (rc);
	}
	return (STORE_OK);
}

/* Count ${memo_id}'s anonymous signatures over ${version} (0: all). */
static int
anon_count(struct sq *q, const char *memo_id, uint32_t version, size_t *n)
{
	enum stmt sid =
	    version == 0 ? ST_ANON_COUNT_ALL : ST_ANON_COUNT_VERSION;

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    (version != 0 && bind_int(q->st[sid], 2, version) != 0))
		return (bind_failed(q, sid));
	return (count(q, sid, n));
}

static int
sq_anon_put(void *db, const char *memo_id, const struct store_anon_signature *a)
{
	struct sq *q = db;
	sqlite3_stmt *st = q->st[ST_ANON_PUT];
	size_t have;
	int rc;

	/* A new tag must fit; replacing one (a re-signature) always does. */
	if (bind_text(q->st[ST_ANON_HAS], 1, memo_id) != 0 ||
	    bind_blob(q->st[ST_ANON_HAS], 2, a->tag, sizeof(a->tag)) != 0)
		return (bind_failed(q, ST_ANON_HAS));
	rc = next_row(q, ST_ANON_HAS);
	finish(q, ST_ANON_HAS);
	if (rc == STORE_NOTFOUND) {
		if ((rc = anon_count(q, memo_id, 0, &have)) != STORE_OK)
			return (rc);
		if (have >= STORE_ANON_SIGNATURES_MAX)
			return (STORE_CONFLICT);
	} else if (rc != STORE_OK) {
		return (rc);
	}
	if (bind_text(st, 1, memo_id) != 0 ||
	    bind_blob(st, 2, a->tag, sizeof(a->tag)) != 0 ||
	    bind_int(st, 3, a->version) != 0 ||
	    bind_blob(st, 4, a->version_hash, sizeof(a->version_hash)) != 0 ||
	    bind_blob(st, 5, a->ring, a->nring * RING_PK_BYTES) != 0 ||
	    bind_blob(st, 6, a->sig, a->siglen) != 0)
		return (bind_failed(q, ST_ANON_PUT));
	return (run(q, ST_ANON_PUT));
}

/* Read the current row of ${sid} (tag, version, hash, ring, signature). */
static int
row_anon(struct sq *q, enum stmt sid, void *p)
{
	struct store_anon_signature *a = p;
	uint8_t *ring;
	size_t ringlen;
	int64_t version;

	memset(a, 0, sizeof(*a));
	if (col_blob(q, sid, 0, a->tag, sizeof(a->tag)) != 0 ||
	    col_int(q, sid, 1, 1, UINT32_MAX, &version) != 0 ||
	    col_blob(q, sid, 2, a->version_hash, sizeof(a->version_hash)) !=
		0 ||
	    col_box(q, sid, 3, (size_t)RING_N_LIMIT * RING_PK_BYTES, &ring,
		&ringlen) != 0)
		return (-1);
	a->ring = (uint8_t(*)[RING_PK_BYTES])ring;
	a->nring = ringlen / RING_PK_BYTES;
	a->version = (uint32_t)version;
	if (ringlen % RING_PK_BYTES != 0 || a->nring < RING_MIN) {
		free(ring);
		memset(a, 0, sizeof(*a));
		return (corrupt(sid, q->st[sid], 3));
	}
	if (col_box(q, sid, 4, RING_SIG_BYTES(a->nring), &a->sig, &a->siglen) !=
		0 ||
	    a->siglen != RING_SIG_BYTES(a->nring)) {
		if (a->sig != NULL)
			(void)corrupt(sid, q->st[sid], 4);
		free(a->sig);
		free(ring);
		memset(a, 0, sizeof(*a));
		return (-1);
	}
	return (0);
}

/* Free what row_anon() allocated. */
static void
drop_anon(void *p)
{
	struct store_anon_signature *a = p;

	free(a->ring);
	free(a->sig);
	a->ring = NULL;
	a->sig = NULL;
}

static int
sq_anon_get(void *db, const char *memo_id, const uint8_t *tag,
    struct store_anon_signature *a)
{
	struct sq *q = db;
	enum stmt sid = ST_ANON_GET;
	int rc;

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_blob(q->st[sid], 2, tag, RING_TAG_BYTES) != 0)
		return (bind_failed(q, sid));
	if ((rc = next_row(q, sid)) == STORE_OK && row_anon(q, sid, a) != 0)
		rc = STORE_ERR;
	finish(q, sid);
	return (rc);
}

static int
sq_anon_delete(void *db, const char *memo_id, const uint8_t *tag)
{
	struct sq *q = db;
	enum stmt sid = ST_ANON_DELETE;

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_blob(q->st[sid], 2, tag, RING_TAG_BYTES) != 0)
		return (bind_failed(q, sid));
	return (run_update(q, sid));
}

/* Bind memo ?1, page size ?2 and the cursor ?3 (X'' sorts first). */
static int
bind_anon_page(struct sq *q, enum stmt sid, const char *memo_id,
    const uint8_t *after, size_t max)
{
	static const uint8_t none[1];

	if (bind_key(q, sid, memo_id, max) != STORE_OK)
		return (STORE_ERR);
	if (bind_blob(q->st[sid], 3, after != NULL ? after : none,
		after != NULL ? RING_TAG_BYTES : 0) != 0)
		return (bind_failed(q, sid));
	return (STORE_OK);
}

static int
sq_anon_page(void *db, const char *memo_id, const uint8_t *after, size_t max,
    struct store_anon_signature **as, size_t *n)
{
	struct sq *q = db;
	size_t total;
	int rc;

	if ((rc = bind_anon_page(q, ST_ANON_PAGE_COUNT, memo_id, after, max)) !=
		STORE_OK ||
	    (rc = count(q, ST_ANON_PAGE_COUNT, &total)) != STORE_OK)
		return (rc);
	if ((rc = bind_anon_page(q, ST_ANON_PAGE, memo_id, after, max)) !=
	    STORE_OK)
		return (rc);
	return (read_rows(q, ST_ANON_PAGE, total, sizeof(**as), row_anon,
	    drop_anon, (void **)as, n));
}

static int
sq_anon_count(void *db, const char *memo_id, uint32_t version, uint32_t *n)
{
	size_t v;
	int rc;

	if ((rc = anon_count(db, memo_id, version, &v)) != STORE_OK)
		return (rc);
	if (v > UINT32_MAX) {
		store_log("sqlite: anonymous signature count: too many rows");
		return (STORE_ERR);
	}
	*n = (uint32_t)v;
	return (STORE_OK);
}

static int
sq_anon_prune(void *db, const char *memo_id, uint32_t version)
{
	struct sq *q = db;
	enum stmt sid = ST_ANON_PRUNE;

	if (bind_text(q->st[sid], 1, memo_id) != 0 ||
	    bind_int(q->st[sid], 2, version) != 0)
		return (bind_failed(q, sid));
	return (run(q, sid));
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
    .member_list_role = sq_member_list_role,
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
    .memo_insert = sq_memo_insert,
    .memo_get = sq_memo_get,
    .memo_update = sq_memo_update,
    .memo_list_member = sq_memo_list_member,
    .memo_list_states = sq_memo_list_states,
    .memo_page_states = sq_memo_page_states,
    .memo_relations = sq_memo_relations,
    .memo_relate = sq_memo_relate,
    .memo_related = sq_memo_related,
    .memo_unrelate = sq_memo_unrelate,
    .version_put = sq_version_put,
    .version_get = sq_version_get,
    .versions = sq_versions,
    .grant_put = sq_grant_put,
    .grant_get = sq_grant_get,
    .grant_release = sq_grant_release,
    .grant_delete = sq_grant_delete,
    .signature_put = sq_signature_put,
    .signature_get = sq_signature_get,
    .signature_delete = sq_signature_delete,
    .signature_list = sq_signature_list,
    .signature_count = sq_signature_count,
    .access_put = sq_access_put,
    .access_list = sq_access_list,
    .reply_put = sq_reply_put,
    .reply_list = sq_reply_list,
    .distribution_put = sq_distribution_put,
    .distribution_list = sq_distribution_list,
    .meeting_insert = sq_meeting_insert,
    .meeting_get = sq_meeting_get,
    .meeting_update = sq_meeting_update,
    .meeting_list = sq_meeting_list,
    .complaint_insert = sq_complaint_insert,
    .complaint_list = sq_complaint_list,
    .channel_key_get = sq_channel_key_get,
    .channel_key_create = sq_channel_key_create,
    .channel_grant_put = sq_channel_grant_put,
    .channel_grant_get = sq_channel_grant_get,
    .notification_put = sq_notification_put,
    .notification_due = sq_notification_due,
    .notification_done = sq_notification_done,
    .notification_retry = sq_notification_retry,
    .ring_pin = sq_ring_pin,
    .ring_tree_size = sq_ring_tree_size,
    .ring_list = sq_ring_list,
    .ring_holds = sq_ring_holds,
    .anon_put = sq_anon_put,
    .anon_get = sq_anon_get,
    .anon_delete = sq_anon_delete,
    .anon_page = sq_anon_page,
    .anon_count = sq_anon_count,
    .anon_prune = sq_anon_prune,
};
