#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "directory.h"
#include "store.h"
#include "store_backend.h"

/*
 * The public side of the store: argument checks, the per-handle lock,
 * transactions, and dispatch to the backend chosen by the URL.
 *
 * Locking: each handle has a recursive mutex.  Every call holds it for its
 * duration; store_begin() keeps holding it until store_commit() or
 * store_rollback(), so calls from the thread that owns the transaction go
 * through (the mutex is recursive) while other threads wait.  Because only
 * the owner can take the mutex while a transaction is open, "in_txn" read
 * under the mutex also means "the calling thread owns it".
 *
 * Operations made of several statements run in their own transaction, or
 * in a savepoint inside the caller's, so that a failure changes nothing
 * even in the middle of a caller's transaction.
 */

struct store {
	const struct store_backend *be;
	void *db;
	pthread_mutex_t lock;
	int in_txn;
};

/* Backends built into this binary. */
static const struct store_backend *const backends[] = {
    &store_sqlite_backend,
};
#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

/* The process-wide log hook. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*log_fn)(void *, const char *);
static void *log_ctx;

/**
 * store_set_log(fn, ctx):
 * Send every store error message to ${fn}(${ctx}, message) from now on, for
 * all handles of the process; NULL restores the default, which writes
 * "store: message" to standard error.  Messages say what failed, never the
 * values involved.
 */
void
store_set_log(void (*fn)(void *ctx, const char *msg), void *ctx)
{

	(void)pthread_mutex_lock(&log_lock);
	log_fn = fn;
	log_ctx = fn != NULL ? ctx : NULL;
	(void)pthread_mutex_unlock(&log_lock);
}

/**
 * store_log(fmt, ...):
 * Report an error message through the hook set by store_set_log().  The
 * message must name what failed, never the values involved.
 */
void
store_log(const char *fmt, ...)
{
	void (*fn)(void *, const char *);
	char msg[512];
	va_list ap;
	void *ctx;

	va_start(ap, fmt);
	/* A longer message is cut short, which is fine for a log line. */
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	(void)pthread_mutex_lock(&log_lock);
	fn = log_fn;
	ctx = log_ctx;
	(void)pthread_mutex_unlock(&log_lock);
	if (fn != NULL)
		fn(ctx, msg);
	else
		(void)fprintf(stderr, "store: %s\n", msg);
}

/* Take ${s}'s mutex.  Return 0 or -1 (reported). */
static int
lock(struct store *s)
{

	if (pthread_mutex_lock(&s->lock) != 0) {
		store_log("cannot take the handle's lock");
		return (-1);
	}
	return (0);
}

static void
unlock(struct store *s)
{

	(void)pthread_mutex_unlock(&s->lock);
}

/*
 * Take ${s}'s mutex for one operation.  Inside an explicit transaction,
 * refuse to go on if the backend lost it to an earlier error (a full disk,
 * an I/O error): the statements would otherwise commit one by one.
 */
static int
enter(struct store *s)
{

	if (lock(s) != 0)
		return (-1);
	if (s->in_txn && !s->be->txn_active(s->db)) {
		store_log("the transaction was abandoned after an earlier "
			  "error; roll it back");
		unlock(s);
		return (-1);
	}
	return (0);
}

/*
 * Open a unit of work for a multi-statement operation (with ${s} entered):
 * a savepoint inside the caller's transaction, else a transaction of its
 * own, taking the write lock at once if ${write}.
 */
static int
unit_begin(struct store *s, int write)
{

	if (s->in_txn)
		return (s->be->savepoint(s->db) == 0 ? STORE_OK : STORE_ERR);
	return (s->be->txn_begin(s->db, write) == 0 ? STORE_OK : STORE_ERR);
}

/* Close the unit of work: keep it if ${rc} is STORE_OK, else undo it. */
static int
unit_end(struct store *s, int rc)
{

	if (s->in_txn) {
		if (rc == STORE_OK && s->be->savepoint_release(s->db) == 0)
			return (STORE_OK);
		s->be->savepoint_rollback(s->db);
	} else {
		if (rc == STORE_OK && s->be->txn_commit(s->db) == 0)
			return (STORE_OK);
		s->be->txn_rollback(s->db);
	}
	return (rc == STORE_OK ? STORE_ERR : rc);
}

/* 1 if ${str} is a NUL-terminated string of 1..${max} bytes, else 0. */
static int
fits(const char *str, size_t max)
{
	size_t len;

	if (str == NULL)
		return (0);
	len = strnlen(str, max + 1);
	return (len >= 1 && len <= max);
}

/* Report an invalid argument of ${fn}: ${what}.  Return STORE_ERR. */
static int
invalid(const char *fn, const char *what)
{

	store_log("%s: invalid %s", fn, what);
	return (STORE_ERR);
}

/* Check custody ${c} for ${fn}: its cost must fit the stored integers. */
static int
custody_ok(const char *fn, const struct store_custody *c)
{

	if (c == NULL || c->kdf.opslimit == 0 || c->kdf.memlimit == 0 ||
	    c->kdf.opslimit > INT64_MAX || c->kdf.memlimit > INT64_MAX) {
		(void)invalid(fn, "custody record");
		return (0);
	}
	return (1);
}

/*
 * Find the backend for ${url} and the rest of it in ${path}.  A URL
 * scheme (RFC 3986 §3.1: a letter, then letters, digits, '+', '-' or '.',
 * then ':') selects a backend; anything else is a SQLite file path.
 */
static const struct store_backend *
parse_url(const char *url, const char **path)
{
	size_t n = 0, i;

	if (isalpha((unsigned char)url[0])) {
		n = 1;
		while (isalnum((unsigned char)url[n]) || url[n] == '+' ||
		       url[n] == '-' || url[n] == '.')
			n++;
	}
	if (n == 0 || url[n] != ':') {
		*path = url;
		return (backends[0]);
	}
	for (i = 0; i < NBACKENDS; i++) {
		if (strlen(backends[i]->scheme) == n &&
		    strncasecmp(url, backends[i]->scheme, n) == 0) {
			*path = url + n + 1;
			return (backends[i]);
		}
	}
	/* Print the scheme only: the rest may hold a password. */
	if ((n == 10 && strncasecmp(url, "postgresql", n) == 0) ||
	    (n == 8 && strncasecmp(url, "postgres", n) == 0))
		store_log("the PostgreSQL backend is not built in this version "
			  "of dissent; use sqlite:PATH");
	else
		store_log("unknown storage scheme \"%.*s\"; use sqlite:PATH",
		    n > 32 ? 32 : (int)n, url);
	return (NULL);
}

/**
 * store_open(s, url, now):
 * Open the store named by ${url} ("sqlite:PATH" or a plain PATH to a SQLite
 * file, created if missing) and apply any pending migrations, taking ${now}
 * as the current Unix time for the migration records.  Refuse a database
 * whose schema is newer than this binary knows.  Return 0 and the handle in
 * ${s}, or -1.
 */
int
store_open(struct store **s, const char *url, int64_t now)
{
	const struct store_backend *be;
	pthread_mutexattr_t attr;
	struct store *h;
	const char *path;
	int rc;

	if (s == NULL || url == NULL) {
		store_log("store_open: no URL");
		goto err0;
	}
	*s = NULL;
	if ((be = parse_url(url, &path)) == NULL)
		goto err0;
	if (path[0] == '\0') {
		store_log("store_open: empty database path");
		goto err0;
	}
	/* SQLite's in-memory database would silently lose every write. */
	if (strcmp(path, ":memory:") == 0) {
		store_log("store_open: an in-memory database is not durable");
		goto err0;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		store_log("store_open: out of memory");
		goto err0;
	}
	if (pthread_mutexattr_init(&attr) != 0) {
		store_log("store_open: cannot create the handle's lock");
		goto err1;
	}
	rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	if (rc == 0)
		rc = pthread_mutex_init(&h->lock, &attr);
	(void)pthread_mutexattr_destroy(&attr);
	if (rc != 0) {
		store_log("store_open: cannot create the handle's lock");
		goto err1;
	}
	h->be = be;
	if (be->open(&h->db, path, now) != 0)
		goto err2;
	*s = h;
	return (0);

err2:
	(void)pthread_mutex_destroy(&h->lock);
err1:
	free(h);
err0:
	return (-1);
}

/**
 * store_free(s):
 * Close ${s}.  NULL is a no-op.
 */
void
store_free(struct store *s)
{

	if (s == NULL)
		return;
	/* A transaction left open by its owner is abandoned, not kept. */
	if (s->in_txn) {
		s->be->txn_rollback(s->db);
		s->in_txn = 0;
		unlock(s);
	}
	s->be->close(s->db);
	(void)pthread_mutex_destroy(&s->lock);
	free(s);
}

/**
 * store_schema_version(s, version):
 * Store the schema version of the open database in ${version}.
 */
int
store_schema_version(struct store *s, int *version)
{
	int rc;

	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->schema_version(s->db, version);
	unlock(s);
	return (rc);
}

/**
 * store_schema_latest():
 * Return the newest schema version this binary knows.
 */
int
store_schema_latest(void)
{

	/* Every backend numbers its schema versions alike. */
	return (store_sqlite_backend.schema_latest);
}

/**
 * store_begin(s), store_commit(s), store_rollback(s):
 * Begin a write transaction owned by the calling thread; make it durable; or
 * abandon it.  store_rollback() after a failed store_commit() is allowed and
 * required.
 */
int
store_begin(struct store *s)
{

	if (lock(s) != 0)
		return (-1);
	if (s->in_txn) {
		store_log("store_begin: a transaction is already open");
		goto err1;
	}
	if (s->be->txn_begin(s->db, 1) != 0)
		goto err1;
	/* Keep the mutex until store_commit() or store_rollback(). */
	s->in_txn = 1;
	return (0);

err1:
	unlock(s);
	return (-1);
}

int
store_commit(struct store *s)
{

	if (lock(s) != 0)
		return (-1);
	if (!s->in_txn) {
		store_log("store_commit: no transaction is open");
		unlock(s);
		return (-1);
	}
	if (s->be->txn_commit(s->db) != 0) {
		/* Still owned: the caller must call store_rollback(). */
		unlock(s);
		return (-1);
	}
	s->in_txn = 0;
	unlock(s);
	unlock(s);
	return (0);
}

void
store_rollback(struct store *s)
{

	if (lock(s) != 0)
		return;
	if (!s->in_txn) {
		store_log("store_rollback: no transaction is open");
		unlock(s);
		return;
	}
	s->be->txn_rollback(s->db);
	s->in_txn = 0;
	unlock(s);
	unlock(s);
}

/**
 * store_meta_get(s, key, value, cap), store_meta_set(s, key, value):
 * Read or write an instance setting (e.g. "instance_id", "channel_org").
 * Get returns STORE_NOTFOUND when unset.
 */
int
store_meta_get(struct store *s, const char *key, char *value, size_t cap)
{
	int rc;

	if (value == NULL || cap == 0)
		return (invalid("store_meta_get", "buffer"));
	value[0] = '\0';
	/* A key that could not have been set is simply not set. */
	if (!fits(key, STORE_META_KEY_MAX))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->meta_get(s->db, key, value, cap);
	unlock(s);
	if (rc != STORE_OK)
		value[0] = '\0';
	return (rc);
}

int
store_meta_set(struct store *s, const char *key, const char *value)
{
	int rc;

	if (!fits(key, STORE_META_KEY_MAX))
		return (invalid("store_meta_set", "key"));
	if (value == NULL ||
	    strnlen(value, STORE_META_VALUE_MAX + 1) > STORE_META_VALUE_MAX)
		return (invalid("store_meta_set", "value"));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->meta_set(s->db, key, value);
	unlock(s);
	return (rc);
}

/** Insert; STORE_CONFLICT if the id exists. */
int
store_org_insert(struct store *s, const struct store_org *org)
{
	int rc;

	if (org == NULL || !directory_org_id_valid(org->id))
		return (invalid("store_org_insert", "organisation id"));
	if (!directory_name_valid(org->name, DIRECTORY_ORG_NAME_MAX))
		return (invalid("store_org_insert", "organisation name"));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->org_insert(s->db, org);
	unlock(s);
	return (rc);
}

/** Fetch by id; STORE_NOTFOUND. */
int
store_org_get(struct store *s, const char *id, struct store_org *org)
{
	int rc;

	if (org == NULL)
		return (invalid("store_org_get", "output"));
	memset(org, 0, sizeof(*org));
	if (!fits(id, DIRECTORY_ORG_ID_MAX))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->org_get(s->db, id, org);
	unlock(s);
	if (rc != STORE_OK)
		memset(org, 0, sizeof(*org));
	return (rc);
}

/** All organisations ordered by id, in a malloc'd array (free()). */
int
store_org_list(struct store *s, struct store_org **orgs, size_t *n)
{
	int rc;

	if (orgs == NULL || n == NULL)
		return (invalid("store_org_list", "output"));
	*orgs = NULL;
	*n = 0;
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->org_list(s->db, orgs, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*orgs);
		*orgs = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * Insert a pending member; STORE_CONFLICT if the id or handle exists,
 * STORE_NOTFOUND if its organisation does not.
 */
int
store_member_insert(struct store *s, const struct store_member *m)
{
	static const char fn[] = "store_member_insert";
	struct store_member c;
	int rc;

	if (m == NULL || !directory_member_id_valid(m->id))
		return (invalid(fn, "member id"));
	if (!directory_handle_valid(m->handle))
		return (invalid(fn, "handle"));
	if (!directory_name_valid(m->display_name, DIRECTORY_DISPLAY_NAME_MAX))
		return (invalid(fn, "display name"));
	if (!directory_org_id_valid(m->org_id))
		return (invalid(fn, "organisation id"));
	if (!directory_roles_valid(m->roles))
		return (invalid(fn, "role set"));
	if (m->status != STORE_MEMBER_PENDING || m->key_epoch != 0)
		return (invalid(fn, "status (a new member is pending)"));
	c = *m;
	c.eligible = m->eligible != 0;
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->member_insert(s->db, &c);
	unlock(s);
	return (rc);
}

/** Fetch by id or handle; STORE_NOTFOUND. */
int
store_member_get(struct store *s, const char *id, struct store_member *m)
{
	int rc;

	if (m == NULL)
		return (invalid("store_member_get", "output"));
	memset(m, 0, sizeof(*m));
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->member_get(s->db, id, m);
	unlock(s);
	if (rc != STORE_OK)
		memset(m, 0, sizeof(*m));
	return (rc);
}

int
store_member_get_by_handle(
    struct store *s, const char *handle, struct store_member *m)
{
	int rc;

	if (m == NULL)
		return (invalid("store_member_get_by_handle", "output"));
	memset(m, 0, sizeof(*m));
	if (!fits(handle, DIRECTORY_HANDLE_MAX))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->member_get_by_handle(s->db, handle, m);
	unlock(s);
	if (rc != STORE_OK)
		memset(m, 0, sizeof(*m));
	return (rc);
}

/**
 * List members ordered by handle, optionally only those of ${org_id} (NULL
 * for all), skipping ${offset} and returning at most ${limit} in a malloc'd
 * array (free()); ${total} receives the count before paging.
 */
int
store_member_list(struct store *s, const char *org_id, size_t offset,
    size_t limit, struct store_member **ms, size_t *n, size_t *total)
{
	int rc;

	if (ms == NULL || n == NULL || total == NULL)
		return (invalid("store_member_list", "output"));
	*ms = NULL;
	*n = 0;
	*total = 0;
	/* No organisation has such an id, so none of its members exist. */
	if (org_id != NULL && !fits(org_id, DIRECTORY_ORG_ID_MAX))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->member_list(s->db, org_id, offset,
				     limit, ms, n, total));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ms);
		*ms = NULL;
		*n = 0;
		*total = 0;
	}
	return (rc);
}

/**
 * Change roles, eligibility, display name or status; STORE_NOTFOUND.  Only
 * activation makes a member active the first time: a status of ACTIVE for a
 * member that never enrolled, or PENDING for one that did, is
 * STORE_CONFLICT.
 */
int
store_member_set_roles(struct store *s, const char *id, unsigned int roles)
{
	int rc;

	if (!directory_roles_valid(roles))
		return (invalid("store_member_set_roles", "role set"));
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->member_set_roles(s->db, id, roles);
	unlock(s);
	return (rc);
}

int
store_member_set_eligible(struct store *s, const char *id, int eligible)
{
	int rc;

	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->member_set_eligible(s->db, id, eligible != 0);
	unlock(s);
	return (rc);
}

int
store_member_set_display_name(struct store *s, const char *id, const char *name)
{
	int rc;

	if (!directory_name_valid(name, DIRECTORY_DISPLAY_NAME_MAX))
		return (
		    invalid("store_member_set_display_name", "display name"));
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->member_set_display_name(s->db, id, name);
	unlock(s);
	return (rc);
}

int
store_member_set_status(struct store *s, const char *id, int status)
{
	int rc;

	if (status != STORE_MEMBER_PENDING && status != STORE_MEMBER_ACTIVE &&
	    status != STORE_MEMBER_SUSPENDED)
		return (invalid("store_member_set_status", "status"));
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->member_set_status(s->db, id, status));
	unlock(s);
	return (rc);
}

/**
 * Complete enrollment of a pending member: set its first keys (epoch 1) and
 * custody, make it active and add the keys to the key history.
 * STORE_NOTFOUND if no such member, STORE_CONFLICT if it is not pending.
 */
int
store_member_activate(struct store *s, const char *id,
    const struct keys_public *keys, const struct store_custody *c, int64_t now)
{
	int rc;

	if (keys == NULL)
		return (invalid("store_member_activate", "keys"));
	if (!custody_ok("store_member_activate", c))
		return (STORE_ERR);
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(
		    s, s->be->member_activate(s->db, id, keys, c, now));
	unlock(s);
	return (rc);
}

/**
 * Replace a member's keys with ${keys} at ${epoch} (must be the current
 * epoch + 1, else STORE_CONFLICT) together with the custody that wraps the
 * new seed, and add them to the key history.  STORE_NOTFOUND if no such
 * member, STORE_CONFLICT if it is not active.
 */
int
store_member_rotate_keys(struct store *s, const char *id, uint32_t epoch,
    const struct keys_public *keys, const struct store_custody *c, int64_t now)
{
	int rc;

	if (keys == NULL)
		return (invalid("store_member_rotate_keys", "keys"));
	if (!custody_ok("store_member_rotate_keys", c))
		return (STORE_ERR);
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s,
		    s->be->member_rotate_keys(s->db, id, epoch, keys, c, now));
	unlock(s);
	return (rc);
}

/**
 * A member's key history, oldest first, in a malloc'd array (free());
 * STORE_NOTFOUND if no such member (a pending one has an empty history).
 */
int
store_key_history(
    struct store *s, const char *id, struct store_key_record **recs, size_t *n)
{
	int rc;

	if (recs == NULL || n == NULL)
		return (invalid("store_key_history", "output"));
	*recs = NULL;
	*n = 0;
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->key_history(s->db, id, recs, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*recs);
		*recs = NULL;
		*n = 0;
	}
	return (rc);
}

/** Fetch; STORE_NOTFOUND if the member is unknown or still pending. */
int
store_custody_get(struct store *s, const char *id, struct store_custody *c)
{
	int rc;

	if (c == NULL)
		return (invalid("store_custody_get", "output"));
	sodium_memzero(c, sizeof(*c));
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->custody_get(s->db, id, c);
	unlock(s);
	if (rc != STORE_OK)
		sodium_memzero(c, sizeof(*c));
	return (rc);
}

/**
 * Replace the whole custody record (password change, recovery);
 * STORE_NOTFOUND if the member is unknown or still pending.
 */
int
store_custody_set(
    struct store *s, const char *id, const struct store_custody *c)
{
	int rc;

	if (!custody_ok("store_custody_set", c))
		return (STORE_ERR);
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->custody_set(s->db, id, c);
	unlock(s);
	return (rc);
}

/*
 * Login state; activation creates the zero state, so both calls return
 * STORE_NOTFOUND for a member that is unknown or still pending.
 */
int
store_login_get(struct store *s, const char *id, struct store_login *l)
{
	int rc;

	if (l == NULL)
		return (invalid("store_login_get", "output"));
	sodium_memzero(l, sizeof(*l));
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->login_get(s->db, id, l);
	unlock(s);
	if (rc != STORE_OK)
		sodium_memzero(l, sizeof(*l));
	return (rc);
}

int
store_login_set(struct store *s, const char *id, const struct store_login *l)
{
	struct store_login c;
	int rc;

	if (l == NULL)
		return (invalid("store_login_set", "login state"));
	/* An enabled second factor without a secret could never be met. */
	if (l->totp_enabled && !l->totp_has_secret)
		return (invalid("store_login_set",
		    "login state (TOTP enabled without a secret)"));
	if (!directory_member_id_valid(id))
		return (STORE_NOTFOUND);
	c = *l;
	c.totp_enabled = l->totp_enabled != 0;
	c.totp_has_secret = l->totp_has_secret != 0;
	if (enter(s) != 0) {
		rc = STORE_ERR;
		goto done;
	}
	rc = s->be->login_set(s->db, id, &c);
	unlock(s);
done:
	sodium_memzero(&c, sizeof(c));
	return (rc);
}

/**
 * Record a code for a pending member, replacing any earlier code.
 * STORE_NOTFOUND if no such member; STORE_CONFLICT if it is not pending or
 * the hash is already taken.
 */
int
store_enrollment_put(struct store *s, const uint8_t code_hash[STORE_HASH_BYTES],
    const char *member_id, int64_t expires_at)
{
	int rc;

	if (code_hash == NULL)
		return (invalid("store_enrollment_put", "code hash"));
	if (!directory_member_id_valid(member_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->enrollment_put(
				     s->db, code_hash, member_id, expires_at));
	unlock(s);
	return (rc);
}

/** Look a code up; STORE_NOTFOUND if unknown (expiry is the caller's). */
int
store_enrollment_get(struct store *s, const uint8_t code_hash[STORE_HASH_BYTES],
    char member_id[DIRECTORY_MEMBER_ID_LEN + 1], int64_t *expires_at)
{
	int rc;

	if (code_hash == NULL || member_id == NULL || expires_at == NULL)
		return (invalid("store_enrollment_get", "argument"));
	member_id[0] = '\0';
	*expires_at = 0;
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->enrollment_get(s->db, code_hash, member_id, expires_at);
	unlock(s);
	if (rc != STORE_OK) {
		member_id[0] = '\0';
		*expires_at = 0;
	}
	return (rc);
}

/** Delete every code of a member. */
int
store_enrollment_delete_member(struct store *s, const char *member_id)
{
	int rc;

	/* A member that cannot exist has no codes: nothing to delete. */
	if (!directory_member_id_valid(member_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->enrollment_delete_member(s->db, member_id);
	unlock(s);
	return (rc);
}

/** STORE_CONFLICT if the hash exists, STORE_NOTFOUND if the member does not. */
int
store_session_put(struct store *s, const struct store_session *sess)
{
	int rc;

	if (sess == NULL)
		return (invalid("store_session_put", "session"));
	if (!directory_member_id_valid(sess->member_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->session_put(s->db, sess);
	unlock(s);
	return (rc);
}

/** STORE_NOTFOUND if unknown. */
int
store_session_get(struct store *s, const uint8_t token_hash[STORE_HASH_BYTES],
    struct store_session *sess)
{
	int rc;

	if (token_hash == NULL || sess == NULL)
		return (invalid("store_session_get", "argument"));
	memset(sess, 0, sizeof(*sess));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->session_get(s->db, token_hash, sess);
	unlock(s);
	if (rc != STORE_OK)
		memset(sess, 0, sizeof(*sess));
	return (rc);
}

/** Record activity; STORE_NOTFOUND if unknown. */
int
store_session_touch(struct store *s, const uint8_t token_hash[STORE_HASH_BYTES],
    int64_t last_seen)
{
	int rc;

	if (token_hash == NULL)
		return (invalid("store_session_touch", "token hash"));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->session_touch(s->db, token_hash, last_seen);
	unlock(s);
	return (rc);
}

/** End a session; an unknown one is already ended (STORE_OK). */
int
store_session_delete(
    struct store *s, const uint8_t token_hash[STORE_HASH_BYTES])
{
	int rc;

	if (token_hash == NULL)
		return (invalid("store_session_delete", "token hash"));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->session_delete(s->db, token_hash);
	unlock(s);
	return (rc);
}

/** End every session of a member (suspension, password change). */
int
store_session_delete_member(struct store *s, const char *member_id)
{
	int rc;

	/* A member that cannot exist has no sessions. */
	if (!directory_member_id_valid(member_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->session_delete_member(s->db, member_id);
	unlock(s);
	return (rc);
}

/** Remove sessions whose absolute expiry is before ${now}. */
int
store_session_purge(struct store *s, int64_t now)
{
	int rc;

	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->session_purge(s->db, now);
	unlock(s);
	return (rc);
}

/**
 * store_log_size(s, size):
 * Store the number of entries of the log (the index of the next one) in
 * ${size}.
 */
int
store_log_size(struct store *s, uint64_t *size)
{
	int rc;

	if (size == NULL)
		return (invalid("store_log_size", "output"));
	*size = 0;
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->log_size(s->db, size);
	unlock(s);
	if (rc != STORE_OK)
		*size = 0;
	return (rc);
}

/* 1 if the log entry ${e} is well-formed at index ${index}, else 0. */
static int
log_entry_ok(const struct store_log_entry *e, uint64_t index)
{

	if (e->index != index || e->event == NULL || e->len == 0 ||
	    e->len > STORE_LOG_EVENT_MAX)
		return (0);
	if (e->key_member != NULL &&
	    (!directory_member_id_valid(e->key_member) || e->key_epoch == 0))
		return (0);
	return (1);
}

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
int
store_log_append(struct store *s, const struct store_log_entry *entries,
    size_t n, const struct merkle_node *nodes, size_t nnodes)
{
	static const char fn[] = "store_log_append";
	uint64_t first, end;
	size_t i;
	int rc;

	if (entries == NULL || n == 0 || (nodes == NULL && nnodes > 0))
		return (invalid(fn, "argument"));
	first = entries[0].index;
	if (first >= STORE_LOG_SIZE_MAX || n > STORE_LOG_SIZE_MAX - first)
		return (invalid(fn, "index"));
	end = first + n;
	for (i = 0; i < n; i++)
		if (!log_entry_ok(&entries[i], first + i))
			return (invalid(fn, "entry"));
	/*
	 * A node (l, j) covers leaves [j * 2^l, (j + 1) * 2^l): it becomes
	 * complete with this batch iff first < (j + 1) * 2^l <= end.
	 */
	for (i = 0; i < nnodes; i++) {
		if (nodes[i].level < 1 || nodes[i].level >= MERKLE_MAX_LEVELS ||
		    nodes[i].index >= (end >> nodes[i].level) ||
		    nodes[i].index < (first >> nodes[i].level))
			return (invalid(fn, "node"));
	}
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(
		    s, s->be->log_append(s->db, entries, n, nodes, nnodes));
	unlock(s);
	return (rc);
}

/**
 * store_log_node(s, level, index, hash):
 * Read the node (${level}, ${index}) of the log's tree into ${hash} (level 0
 * is the leaf hash of entry ${index}).  STORE_NOTFOUND if not stored.
 */
int
store_log_node(struct store *s, unsigned int level, uint64_t index,
    uint8_t hash[MERKLE_HASH_BYTES])
{
	int rc;

	if (hash == NULL)
		return (invalid("store_log_node", "output"));
	if (level >= MERKLE_MAX_LEVELS || index >= STORE_LOG_SIZE_MAX)
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->log_node(s->db, level, index, hash);
	unlock(s);
	return (rc);
}

/**
 * store_log_entries(s, start, count, entries, n):
 * Read the entries ${start} .. ${start} + ${count} - 1 that exist (at most
 * STORE_LOG_RANGE_MAX, else an error), in order, into one malloc'd block
 * ${entries} (free() it; the event pointers point inside it) and their
 * number into ${n} (0 and NULL if none exists).  key_member is NULL in
 * what is read.
 */
int
store_log_entries(struct store *s, uint64_t start, size_t count,
    struct store_log_entry **entries, size_t *n)
{
	int rc;

	if (entries == NULL || n == NULL)
		return (invalid("store_log_entries", "output"));
	*entries = NULL;
	*n = 0;
	if (count > STORE_LOG_RANGE_MAX)
		return (invalid("store_log_entries", "count"));
	if (count == 0 || start >= STORE_LOG_SIZE_MAX)
		return (STORE_OK);
	/* Keep start + count within the stored integers. */
	if (count > STORE_LOG_SIZE_MAX - start)
		count = (size_t)(STORE_LOG_SIZE_MAX - start);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->log_entries(s->db, start, count, entries, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*entries);
		*entries = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * store_log_find(s, leaf_hash, below, index):
 * Store in ${index} the smallest index below ${below} whose entry has the
 * leaf hash ${leaf_hash}; STORE_NOTFOUND if none.  (Two events can be equal
 * byte for byte, so a leaf hash may occur more than once.)
 */
int
store_log_find(struct store *s, const uint8_t leaf_hash[MERKLE_HASH_BYTES],
    uint64_t below, uint64_t *index)
{
	int rc;

	if (leaf_hash == NULL || index == NULL)
		return (invalid("store_log_find", "argument"));
	*index = 0;
	if (below == 0)
		return (STORE_NOTFOUND);
	if (below > STORE_LOG_SIZE_MAX)
		below = STORE_LOG_SIZE_MAX;
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->log_find(s->db, leaf_hash, below, index);
	unlock(s);
	if (rc != STORE_OK)
		*index = 0;
	return (rc);
}

/**
 * store_log_head_put(s, head):
 * Record the signed tree head ${head}; STORE_CONFLICT if a head of that
 * size is already recorded.
 */
int
store_log_head_put(struct store *s, const struct store_log_head *head)
{
	int rc;

	if (head == NULL || head->size > STORE_LOG_SIZE_MAX ||
	    head->timestamp > (uint64_t)INT64_MAX)
		return (invalid("store_log_head_put", "tree head"));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->log_head_put(s->db, head);
	unlock(s);
	return (rc);
}

/**
 * store_log_head_get(s, size, head):
 * Read the recorded head of size ${size}; STORE_NOTFOUND if none.
 */
int
store_log_head_get(struct store *s, uint64_t size, struct store_log_head *head)
{
	int rc;

	if (head == NULL)
		return (invalid("store_log_head_get", "output"));
	memset(head, 0, sizeof(*head));
	if (size > STORE_LOG_SIZE_MAX)
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->log_head_get(s->db, size, head);
	unlock(s);
	if (rc != STORE_OK)
		memset(head, 0, sizeof(*head));
	return (rc);
}

/**
 * store_log_head_latest(s, head):
 * Read the recorded head of the largest size; STORE_NOTFOUND if none.
 */
int
store_log_head_latest(struct store *s, struct store_log_head *head)
{
	int rc;

	if (head == NULL)
		return (invalid("store_log_head_latest", "output"));
	memset(head, 0, sizeof(*head));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->log_head_latest(s->db, head);
	unlock(s);
	if (rc != STORE_OK)
		memset(head, 0, sizeof(*head));
	return (rc);
}

/**
 * store_log_key_index(s, member_id, epoch, index):
 * Store in ${index} the index of the entry that published the keys of
 * member ${member_id} at ${epoch}; STORE_NOTFOUND if none.
 */
int
store_log_key_index(
    struct store *s, const char *member_id, uint32_t epoch, uint64_t *index)
{
	int rc;

	if (index == NULL)
		return (invalid("store_log_key_index", "output"));
	*index = 0;
	if (!directory_member_id_valid(member_id) || epoch == 0)
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->log_key_index(s->db, member_id, epoch, index);
	unlock(s);
	if (rc != STORE_OK)
		*index = 0;
	return (rc);
}
