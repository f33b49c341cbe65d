#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "access.h"
#include "directory.h"
#include "event.h"
#include "grant.h"
#include "lifecycle.h"
#include "memo.h"
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

/* A caller of store_group_run() waiting in a group. */
struct group_member {
	int (*fn)(struct store *, void *);
	void *arg;
	int result;
	int done;
	struct group_member *next;
};

struct store {
	const struct store_backend *be;
	void *db;
	pthread_mutex_t lock;
	int in_txn;

	/*
	 * Group commit (store_group_run()): the open group's members, queued
	 * under glock; "leader" is 1 while its first member collects more.
	 * joined wakes the leader, done the members of finished groups.
	 */
	pthread_mutex_t glock;
	pthread_cond_t joined;
	pthread_cond_t done;
	struct group_member *ghead;
	struct group_member **gtail;
	size_t gn;
	uint64_t gjoins;
	int leader;
	unsigned int quiet_us, wait_us;
	size_t max_members;
	int (*commit_hook)(void *);
	void *commit_hook_ctx;
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

/* Set up the group commit state of ${h}.  Return 0 or -1 (reported). */
static int
group_init(struct store *h)
{
	pthread_condattr_t attr;
	int rc;

	if (pthread_condattr_init(&attr) != 0)
		goto err0;
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc != 0 || pthread_mutex_init(&h->glock, NULL) != 0)
		goto err1;
	if (pthread_cond_init(&h->joined, &attr) != 0)
		goto err2;
	if (pthread_cond_init(&h->done, &attr) != 0)
		goto err3;
	(void)pthread_condattr_destroy(&attr);
	h->gtail = &h->ghead;
	h->quiet_us = STORE_GROUP_QUIET_US;
	h->wait_us = STORE_GROUP_WAIT_US;
	h->max_members = STORE_GROUP_MAX;
	return (0);

err3:
	(void)pthread_cond_destroy(&h->joined);
err2:
	(void)pthread_mutex_destroy(&h->glock);
err1:
	(void)pthread_condattr_destroy(&attr);
err0:
	store_log("store_open: cannot create the group commit's lock");
	return (-1);
}

static void
group_destroy(struct store *h)
{

	(void)pthread_cond_destroy(&h->done);
	(void)pthread_cond_destroy(&h->joined);
	(void)pthread_mutex_destroy(&h->glock);
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
	if (group_init(h) != 0)
		goto err2;
	if (be->open(&h->db, path, now) != 0)
		goto err3;
	*s = h;
	return (0);

err3:
	group_destroy(h);
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
	group_destroy(s);
	(void)pthread_mutex_destroy(&s->lock);
	free(s);
}

/* ${t} plus ${us} microseconds. */
static struct timespec
ts_add(struct timespec t, unsigned int us)
{

	t.tv_nsec += (long)(us % 1000000) * 1000;
	t.tv_sec += (time_t)(us / 1000000) + t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return (t);
}

/* 1 if ${a} is before ${b}. */
static int
ts_before(const struct timespec *a, const struct timespec *b)
{

	return (a->tv_sec < b->tv_sec ||
		(a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec));
}

/*
 * As the leader of the open group (glock held): wait until no one joined
 * for the quiet time, the group is full, or the longest wait is over.
 */
static void
group_collect(struct store *s)
{
	struct timespec now, end, quiet;
	uint64_t seen;

	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	end = ts_add(now, s->wait_us);
	while (s->gn < s->max_members) {
		seen = s->gjoins;
		quiet = ts_add(now, s->quiet_us);
		if (ts_before(&end, &quiet))
			quiet = end;
		while (s->gjoins == seen && s->gn < s->max_members &&
		       ts_before(&now, &quiet)) {
			(void)pthread_cond_timedwait(
			    &s->joined, &s->glock, &quiet);
			(void)clock_gettime(CLOCK_MONOTONIC, &now);
		}
		if (s->gjoins == seen || !ts_before(&now, &end))
			break;
	}
}

/*
 * Run the members of ${list} in one transaction, each in a savepoint of its
 * own, and commit: set each one's result.
 */
static void
group_execute(struct store *s, struct group_member *list)
{
	struct group_member *m;
	int rc;

	if (store_begin(s) != 0)
		goto fail;
	for (m = list; m != NULL; m = m->next) {
		if (s->be->savepoint(s->db) != 0)
			goto fail_txn;
		rc = m->fn(s, m->arg);
		if (rc == 0) {
			if (s->be->savepoint_release(s->db) != 0)
				goto fail_txn;
			m->result = 0;
		} else {
			s->be->savepoint_rollback(s->db);
			m->result = 1;
		}
		/* An error that lost the transaction lost the others' too. */
		if (!s->be->txn_active(s->db)) {
			store_log("store_group_run: the transaction was lost");
			goto fail_txn;
		}
	}
	if (s->commit_hook != NULL && s->commit_hook(s->commit_hook_ctx) != 0) {
		store_log("store_group_run: commit refused");
		goto fail_txn;
	}
	if (store_commit(s) != 0)
		goto fail_txn;
	return;

fail_txn:
	store_rollback(s);
fail:
	for (m = list; m != NULL; m = m->next)
		m->result = -1;
}

/**
 * store_group_run(s, fn, arg):
 * Run ${fn}(${s}, ${arg}) in a write transaction shared with the calls of
 * other threads made at about the same time (group commit: one commit, one
 * sync to disk, for the whole group).  ${fn} runs in a savepoint of its own,
 * possibly on another thread (the group's first caller), while the calling
 * thread waits: it may call store functions on ${s} (not store_begin() or
 * store_group_run()) and must neither reply to clients nor depend on the
 * calling thread.  It returns 0 to keep its writes, or nonzero to undo
 * them (only its own).  Return 0 once ${fn} returned 0 and the group's
 * commit is on stable storage; 1 if ${fn} returned nonzero; -1 (reported)
 * if the group could not begin or commit: nothing of ${fn}'s was kept.  The
 * first caller of a group waits for others until none joined for
 * STORE_GROUP_QUIET_US, STORE_GROUP_MAX joined, or STORE_GROUP_WAIT_US
 * passed.  Other calls on ${s} wait while a group runs, as for any
 * transaction.
 */
int
store_group_run(struct store *s, int (*fn)(struct store *, void *), void *arg)
{
	struct group_member me, *list;

	if (s == NULL || fn == NULL) {
		store_log("store_group_run: no handle or function");
		return (-1);
	}
	memset(&me, 0, sizeof(me));
	me.fn = fn;
	me.arg = arg;
	(void)pthread_mutex_lock(&s->glock);
	*s->gtail = &me;
	s->gtail = &me.next;
	s->gn++;
	s->gjoins++;
	if (s->leader) {
		(void)pthread_cond_signal(&s->joined);
		while (!me.done)
			(void)pthread_cond_wait(&s->done, &s->glock);
		(void)pthread_mutex_unlock(&s->glock);
		return (me.result);
	}
	s->leader = 1;
	group_collect(s);
	/* Close the group: whoever joins now leads the next one. */
	list = s->ghead;
	s->ghead = NULL;
	s->gtail = &s->ghead;
	s->gn = 0;
	s->leader = 0;
	(void)pthread_mutex_unlock(&s->glock);

	group_execute(s, list);

	(void)pthread_mutex_lock(&s->glock);
	for (; list != NULL; list = list->next)
		list->done = 1;
	(void)pthread_cond_broadcast(&s->done);
	(void)pthread_mutex_unlock(&s->glock);
	return (me.result);
}

/**
 * store_group_tune(s, quiet_us, wait_us, max_members, commit_hook, ctx):
 * Set ${s}'s group commit parameters (see store_group_run(); 0 keeps the
 * current value), and a function called before each group commit that
 * fails the commit, as a refusing disk would, if it returns nonzero (NULL:
 * none).  For tests and measurements; call it before the handle is shared.
 */
void
store_group_tune(struct store *s, unsigned int quiet_us, unsigned int wait_us,
    size_t max_members, int (*commit_hook)(void *), void *ctx)
{

	(void)pthread_mutex_lock(&s->glock);
	if (quiet_us != 0)
		s->quiet_us = quiet_us;
	if (wait_us != 0)
		s->wait_us = wait_us;
	if (max_members != 0)
		s->max_members = max_members;
	s->commit_hook = commit_hook;
	s->commit_hook_ctx = ctx;
	(void)pthread_mutex_unlock(&s->glock);
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
 * store_member_list_role(s, roles, ms, n):
 * The active members holding at least one of the ROLE_* bits of ${roles}
 * (not 0, within ROLE_ALL), ordered by id, in a malloc'd array (free()).
 * STORE_CONFLICT, with nothing returned, if more than
 * STORE_ROLE_MEMBERS_MAX members qualify: no caller acts on a list cut
 * short.
 */
int
store_member_list_role(
    struct store *s, unsigned int roles, struct store_member **ms, size_t *n)
{
	int rc;

	if (ms == NULL || n == NULL)
		return (invalid("store_member_list_role", "output"));
	*ms = NULL;
	*n = 0;
	if (roles == 0 || (roles & ~ROLE_ALL) != 0)
		return (invalid("store_member_list_role", "roles"));
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->member_list_role(s->db, roles, ms, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ms);
		*ms = NULL;
		*n = 0;
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

/*
 * Memos.  Arguments that name something to look up (a memo id, a member
 * id) and cannot be valid make the answer STORE_NOTFOUND, as above; fields
 * of what is written that break their limits are invalid arguments.
 */

_Static_assert(STORE_GRANT_MAX == GRANT_SEALED_MAX, "a sealed grant fits");
_Static_assert(
    sizeof(((struct store_access *)NULL)->nonce) == EVENT_NONCE_BYTES,
    "an access nonce is an event nonce");

/* Relations the store keeps (a signer's never is: only its tag). */
#define REL_STORED                                                             \
	(ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER | ACCESS_REL_INVITEE |      \
	    ACCESS_REL_ASSIGNEE | ACCESS_REL_PRINCIPAL)
#define MEMO_FLAGS_ALL                                                         \
	(ACCESS_MEMO_SUBMITTED | ACCESS_MEMO_SHOW_SIGNERS |                    \
	    ACCESS_MEMO_SIGNERS_INVITE)
#define MISSED_ALL                                                             \
	(STORE_MISSED_ACK | STORE_MISSED_REPLY | STORE_MISSED_ESCALATION)

/* 1 if the array ${buf} of ${size} bytes holds a NUL, else 0. */
static int
terminated(const char *buf, size_t size)
{

	return (memchr(buf, '\0', size) != NULL);
}

/* 1 if ${id} (NULL-safe) is a member id, else 0. */
static int
member_ok(const char *id)
{

	return (id != NULL && directory_member_id_valid(id));
}

/* 1 if the array ${id} holds "" or a member id, else 0. */
static int
member_or_empty(const char *id, size_t size)
{

	return (terminated(id, size) &&
		(id[0] == '\0' || directory_member_id_valid(id)));
}

/* 1 if ${id} (NULL-safe) is a member id or the word ${word}, else 0. */
static int
member_or_word(const char *id, const char *word)
{

	return (fits(id, DIRECTORY_MEMBER_ID_LEN) &&
		(strcmp(id, word) == 0 || directory_member_id_valid(id)));
}

/* 1 if ${rel} is one relation the store keeps, else 0. */
static int
rel_storable(unsigned int rel)
{

	return (
	    rel != 0 && (rel & (rel - 1)) == 0 && (rel & REL_STORED) == rel);
}

/*
 * The name of the first field of memo ${m} that breaks its limits, or NULL
 * if every one is valid.  The id is checked by the caller.
 */
static const char *
memo_bad_field(const struct store_memo *m)
{
	size_t i, j;

	if (m->state < MEMO_STATE_DRAFT || m->state > MEMO_STATE_WITHDRAWN)
		return ("state");
	if (!terminated(m->topic, sizeof(m->topic)) ||
	    !memo_topic_valid(m->topic))
		return ("topic");
	if (!terminated(m->marking, sizeof(m->marking)) ||
	    memo_marking_level(m->marking) < 0)
		return ("marking");
	if (!directory_org_id_valid(m->org_id))
		return ("organisation id");
	if (m->neligible_orgs < 1 || m->neligible_orgs > MEMO_ORGS_MAX)
		return ("number of eligible organisations");
	for (i = 0; i < m->neligible_orgs; i++) {
		if (!directory_org_id_valid(m->eligible_orgs[i]))
			return ("eligible organisation");
		for (j = 0; j < i; j++)
			if (strcmp(m->eligible_orgs[i], m->eligible_orgs[j]) ==
			    0)
				return ("eligible organisations (repeated)");
	}
	if ((m->flags & ~MEMO_FLAGS_ALL) != 0)
		return ("flags");
	if (m->version == 0)
		return ("version");
	if ((m->missed & ~MISSED_ALL) != 0)
		return ("missed marks");
	if (m->submit_log_index > (uint64_t)INT64_MAX)
		return ("submit log index");
	if (!member_or_empty(m->assignee, sizeof(m->assignee)))
		return ("assignee");
	return (NULL);
}

/*
 * The name of the first field of version ${v} (with its box) that breaks
 * its limits, or NULL.
 */
static const char *
version_bad_field(const struct store_memo_version *v)
{

	if (v->version == 0)
		return ("version number");
	if (!terminated(v->author, sizeof(v->author)) ||
	    !directory_member_id_valid(v->author))
		return ("version author");
	if (v->box == NULL || v->boxlen == 0 || v->boxlen > MEMO_BOX_MAX)
		return ("version box (empty or longer than MEMO_BOX_MAX)");
	return (NULL);
}

/* Free the boxes of the ${n} replies ${rs} and the array. */
static void
replies_free(struct store_reply *rs, size_t n)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < n; i++)
		free(rs[i].box);
	free(rs);
}

/* Free the boxes of the ${n} complaints ${cs} and the array. */
static void
complaints_free(struct store_complaint *cs, size_t n)
{
	size_t i;

	if (cs == NULL)
		return;
	for (i = 0; i < n; i++)
		free(cs[i].box);
	sodium_memzero(cs, n * sizeof(*cs));
	free(cs);
}

/**
 * store_memo_insert(s, m, v, drafter):
 * Create memo ${m} with its first version ${v} (version 1, hash
 * ${m}->version_hash, written by ${drafter}) and member ${drafter} as its
 * drafter.  STORE_CONFLICT if the id exists; STORE_NOTFOUND if the
 * organisation, the drafter or the assignee does not exist.
 */
int
store_memo_insert(struct store *s, const struct store_memo *m,
    const struct store_memo_version *v, const char *drafter)
{
	static const char fn[] = "store_memo_insert";
	const char *bad;
	int rc;

	if (m == NULL || v == NULL)
		return (invalid(fn, "argument"));
	if (!terminated(m->id, sizeof(m->id)) || !memo_id_valid(m->id))
		return (invalid(fn, "memo id"));
	if ((bad = memo_bad_field(m)) != NULL ||
	    (bad = version_bad_field(v)) != NULL)
		return (invalid(fn, bad));
	if (m->version != 1 || v->version != 1 ||
	    memcmp(m->version_hash, v->hash, MEMO_HASH_BYTES) != 0)
		return (invalid(fn, "first version (must be 1, of the memo's "
				    "version hash)"));
	if (!member_ok(drafter) || strcmp(v->author, drafter) != 0)
		return (invalid(fn, "drafter (must be the version's author)"));
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->memo_insert(s->db, m, v, drafter));
	unlock(s);
	return (rc);
}

/** Fetch by id; STORE_NOTFOUND. */
int
store_memo_get(struct store *s, const char *id, struct store_memo *m)
{
	int rc;

	if (m == NULL)
		return (invalid("store_memo_get", "output"));
	memset(m, 0, sizeof(*m));
	if (!memo_id_valid(id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->memo_get(s->db, id, m);
	unlock(s);
	if (rc != STORE_OK)
		memset(m, 0, sizeof(*m));
	return (rc);
}

/**
 * store_memo_update(s, m):
 * Write back every mutable field of ${m} (state, topic, marking, flags,
 * current version and hash, times, deadlines, missed marks, counts, package
 * hash, submit log index, assignee, authors, replies).  STORE_NOTFOUND if
 * the memo or the assignee does not exist; STORE_CONFLICT if the version
 * and hash are not those of a stored version of the memo.
 */
int
store_memo_update(struct store *s, const struct store_memo *m)
{
	const char *bad;
	int rc;

	if (m == NULL)
		return (invalid("store_memo_update", "memo"));
	if (!terminated(m->id, sizeof(m->id)) || !memo_id_valid(m->id))
		return (STORE_NOTFOUND);
	if ((bad = memo_bad_field(m)) != NULL)
		return (invalid("store_memo_update", bad));
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->memo_update(s->db, m));
	unlock(s);
	return (rc);
}

/**
 * store_memo_list_member(s, member_id, ms, n):
 * Every memo to which ${member_id} has a stored relation, newest first, at
 * most STORE_MEMO_LIST_MAX, in a malloc'd array (free()).
 */
int
store_memo_list_member(
    struct store *s, const char *member_id, struct store_memo **ms, size_t *n)
{
	int rc;

	if (ms == NULL || n == NULL)
		return (invalid("store_memo_list_member", "output"));
	*ms = NULL;
	*n = 0;
	/* A member that cannot exist has no relations. */
	if (!member_ok(member_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->memo_list_member(s->db, member_id, ms, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ms);
		*ms = NULL;
		*n = 0;
	}
	return (rc);
}

/*
 * Store in ${mask} the bit 1 << state of each of the ${nstates} ${states}
 * for ${fn}.  Return 0, or STORE_ERR (reported) if one is not a state.
 */
static int
states_mask(
    const char *fn, const int *states, size_t nstates, unsigned int *mask)
{
	size_t i;

	*mask = 0;
	if (states == NULL && nstates > 0)
		return (invalid(fn, "states"));
	for (i = 0; i < nstates; i++) {
		if (states[i] < MEMO_STATE_DRAFT ||
		    states[i] > MEMO_STATE_WITHDRAWN)
			return (invalid(fn, "state"));
		*mask |= 1u << states[i];
	}
	return (0);
}

/**
 * store_memo_list_states(s, states, nstates, ms, n):
 * Every memo whose state is one of the ${nstates} ${states}, ordered by
 * ack_due then id, at most (the first) STORE_MEMO_LIST_MAX, in a malloc'd
 * array (free()).  Whoever must see every such memo pages through them
 * with store_memo_page_states() or store_memo_each_state() instead.
 */
int
store_memo_list_states(struct store *s, const int *states, size_t nstates,
    struct store_memo **ms, size_t *n)
{
	unsigned int mask;
	int rc;

	if (ms == NULL || n == NULL)
		return (invalid("store_memo_list_states", "output"));
	*ms = NULL;
	*n = 0;
	if (states_mask("store_memo_list_states", states, nstates, &mask) != 0)
		return (STORE_ERR);
	if (mask == 0)
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->memo_list_states(s->db, mask, ms, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ms);
		*ms = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * store_memo_page_states(s, states, nstates, after, max, ms, n):
 * At most ${max} (1 to STORE_MEMO_LIST_MAX) memos whose state is one of the
 * ${nstates} ${states} and whose id sorts after ${after} (NULL or "": from
 * the first; else a memo id), ordered by id, in a malloc'd array (free()).
 * The id of the last memo of one page is ${after} of the next; a page of
 * fewer than ${max} memos is the last.
 */
int
store_memo_page_states(struct store *s, const int *states, size_t nstates,
    const char *after, size_t max, struct store_memo **ms, size_t *n)
{
	static const char fn[] = "store_memo_page_states";
	unsigned int mask;
	int rc;

	if (ms == NULL || n == NULL)
		return (invalid(fn, "output"));
	*ms = NULL;
	*n = 0;
	if (states_mask(fn, states, nstates, &mask) != 0)
		return (STORE_ERR);
	if (max == 0 || max > STORE_MEMO_LIST_MAX)
		return (invalid(fn, "page size"));
	if (after == NULL)
		after = "";
	else if (after[0] != '\0' && !memo_id_valid(after))
		return (invalid(fn, "cursor (must be \"\" or a memo id)"));
	if (mask == 0)
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->memo_page_states(s->db, mask, after, max, ms, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ms);
		*ms = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * store_memo_each_state(s, states, nstates, fn, ctx):
 * Call ${fn}(${ctx}, m) for every memo whose state is one of the ${nstates}
 * ${states}, in id order, reading them a page of STORE_MEMO_LIST_MAX at a
 * time (store_memo_page_states()), so that memory stays bounded however
 * many there are.  The handle is not held while ${fn} runs: it may use the
 * store, transactions included.  A memo is seen as it was when its page
 * was read.  Return STORE_OK once every memo was visited, or STORE_ERR if
 * a page cannot be read (reported) or as soon as ${fn} returns non-zero
 * (${fn} reports its own failures).
 */
int
store_memo_each_state(struct store *s, const int *states, size_t nstates,
    int (*fn)(void *ctx, const struct store_memo *m), void *ctx)
{
	char after[MEMO_ID_LEN + 1] = "";
	struct store_memo *ms;
	size_t n, i;
	int rc;

	if (fn == NULL)
		return (invalid("store_memo_each_state", "callback"));
	do {
		if ((rc = store_memo_page_states(s, states, nstates, after,
			 STORE_MEMO_LIST_MAX, &ms, &n)) != STORE_OK)
			return (rc);
		for (i = 0; i < n; i++) {
			if (fn(ctx, &ms[i]) != 0) {
				free(ms);
				return (STORE_ERR);
			}
		}
		/* Ids are MEMO_ID_LEN characters (memo_id_valid()). */
		if (n > 0)
			memcpy(after, ms[n - 1].id, sizeof(after));
		free(ms);
	} while (n == STORE_MEMO_LIST_MAX);
	return (STORE_OK);
}

/**
 * store_memo_relations(s, memo_id, member_id, rel):
 * Store the ACCESS_REL_* bits of the relations stored for ${member_id} on
 * ${memo_id} (0 if none) in ${rel}.
 */
int
store_memo_relations(struct store *s, const char *memo_id,
    const char *member_id, unsigned int *rel)
{
	int rc;

	if (rel == NULL)
		return (invalid("store_memo_relations", "output"));
	*rel = 0;
	if (!memo_id_valid(memo_id) || !member_ok(member_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->memo_relations(s->db, memo_id, member_id, rel);
	unlock(s);
	if (rc != STORE_OK)
		*rel = 0;
	return (rc);
}

/**
 * store_memo_relate(s, memo_id, member_id, rel, by, now):
 * Add the relation ${rel} (one ACCESS_REL_* bit: drafter, co-drafter,
 * invitee, assignee or principal; a signer is never stored) of
 * ${member_id} to ${memo_id}, made by ${by}; adding one that exists is
 * STORE_OK.  STORE_NOTFOUND if the memo or a member does not exist;
 * STORE_CONFLICT if the memo has STORE_RELATED_MAX members of ${rel}.
 */
int
store_memo_relate(struct store *s, const char *memo_id, const char *member_id,
    unsigned int rel, const char *by, int64_t now)
{
	int rc;

	if (!rel_storable(rel))
		return (invalid("store_memo_relate", "relation"));
	if (!memo_id_valid(memo_id) || !member_ok(member_id) || !member_ok(by))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->memo_relate(
				     s->db, memo_id, member_id, rel, by, now));
	unlock(s);
	return (rc);
}

/**
 * store_memo_related(s, memo_id, rel, ids, n):
 * The member ids holding relation ${rel} on ${memo_id}, in the order they
 * were related, in a malloc'd array (free()).
 */
int
store_memo_related(struct store *s, const char *memo_id, unsigned int rel,
    char (**ids)[DIRECTORY_MEMBER_ID_LEN + 1], size_t *n)
{
	int rc;

	if (ids == NULL || n == NULL)
		return (invalid("store_memo_related", "output"));
	*ids = NULL;
	*n = 0;
	if (!rel_storable(rel))
		return (invalid("store_memo_related", "relation"));
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->memo_related(s->db, memo_id, rel, ids, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * store_memo_unrelate(s, memo_id, member_id, rel):
 * Remove the relation ${rel} (one storable ACCESS_REL_* bit, as for
 * store_memo_relate()) of ${member_id} to ${memo_id}.  STORE_NOTFOUND if
 * it is not stored.
 */
int
store_memo_unrelate(struct store *s, const char *memo_id, const char *member_id,
    unsigned int rel)
{
	int rc;

	if (!rel_storable(rel))
		return (invalid("store_memo_unrelate", "relation"));
	if (!memo_id_valid(memo_id) || !member_ok(member_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->memo_unrelate(s->db, memo_id, member_id, rel);
	unlock(s);
	return (rc);
}

/**
 * store_memo_version_put(s, memo_id, v):
 * Add version ${v} (its number must be the current version + 1, i.e. follow
 * the newest stored version, and at most STORE_VERSIONS_MAX, else
 * STORE_CONFLICT).  The caller updates the memo's current version.
 * STORE_NOTFOUND if the memo or the author does not exist.
 */
int
store_memo_version_put(
    struct store *s, const char *memo_id, const struct store_memo_version *v)
{
	const char *bad;
	int rc;

	if (v == NULL)
		return (invalid("store_memo_version_put", "version"));
	if ((bad = version_bad_field(v)) != NULL)
		return (invalid("store_memo_version_put", bad));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->version_put(s->db, memo_id, v));
	unlock(s);
	return (rc);
}

/**
 * store_memo_version_get(s, memo_id, version, v):
 * Read version ${version} with its box (free(v->box)); STORE_NOTFOUND.
 */
int
store_memo_version_get(struct store *s, const char *memo_id, uint32_t version,
    struct store_memo_version *v)
{
	int rc;

	if (v == NULL)
		return (invalid("store_memo_version_get", "output"));
	memset(v, 0, sizeof(*v));
	if (!memo_id_valid(memo_id) || version == 0)
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->version_get(s->db, memo_id, version, v);
	unlock(s);
	if (rc != STORE_OK) {
		free(v->box);
		memset(v, 0, sizeof(*v));
	}
	return (rc);
}

/**
 * store_memo_versions(s, memo_id, vs, n):
 * Every version of ${memo_id} without boxes (box NULL), oldest first, in a
 * malloc'd array (free()).
 */
int
store_memo_versions(struct store *s, const char *memo_id,
    struct store_memo_version **vs, size_t *n)
{
	int rc;

	if (vs == NULL || n == NULL)
		return (invalid("store_memo_versions", "output"));
	*vs = NULL;
	*n = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->versions(s->db, memo_id, vs, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*vs);
		*vs = NULL;
		*n = 0;
	}
	return (rc);
}

/*
 * 1 if ${purpose} (NULL-safe) names a memo grant, else 0.  Comparing with
 * the names reads no further than their length, terminated or not.
 */
static int
purpose_ok(const char *purpose)
{

	return (
	    purpose != NULL && (strcmp(purpose, MEMO_GRANT_KEY) == 0 ||
				   strcmp(purpose, MEMO_GRANT_ROSTER) == 0));
}

/**
 * store_grant_put(s, g):
 * Record grant ${g}, replacing one of the same memo, recipient and purpose.
 * STORE_NOTFOUND if the memo or the recipient member does not exist.
 */
int
store_grant_put(struct store *s, const struct store_grant *g)
{
	static const char fn[] = "store_grant_put";
	struct store_grant c;
	int rc;

	if (g == NULL)
		return (invalid(fn, "grant"));
	if (!purpose_ok(g->purpose))
		return (invalid(fn, "purpose"));
	if (g->sealedlen == 0 || g->sealedlen > STORE_GRANT_MAX)
		return (invalid(fn, "sealed grant (empty or longer than "
				    "STORE_GRANT_MAX)"));
	if (!member_or_word(g->recipient, STORE_RECIPIENT_CHANNEL))
		return (invalid(fn, "recipient"));
	if (!terminated(g->memo_id, sizeof(g->memo_id)) ||
	    !memo_id_valid(g->memo_id))
		return (STORE_NOTFOUND);
	c = *g;
	c.held = g->held != 0;
	if (enter(s) != 0) {
		rc = STORE_ERR;
		goto done;
	}
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->grant_put(s->db, &c));
	unlock(s);
done:
	sodium_memzero(&c, sizeof(c));
	return (rc);
}

/**
 * store_grant_get(s, memo_id, recipient, purpose, g):
 * Read one grant; STORE_NOTFOUND.
 */
int
store_grant_get(struct store *s, const char *memo_id, const char *recipient,
    const char *purpose, struct store_grant *g)
{
	int rc;

	if (g == NULL)
		return (invalid("store_grant_get", "output"));
	memset(g, 0, sizeof(*g));
	if (!memo_id_valid(memo_id) ||
	    !member_or_word(recipient, STORE_RECIPIENT_CHANNEL) ||
	    !purpose_ok(purpose))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->grant_get(s->db, memo_id, recipient, purpose, g);
	unlock(s);
	if (rc != STORE_OK)
		sodium_memzero(g, sizeof(*g));
	return (rc);
}

/**
 * store_grant_release(s, memo_id, recipient):
 * Clear the held flag of ${recipient}'s grants on ${memo_id};
 * STORE_NOTFOUND if there are none.
 */
int
store_grant_release(struct store *s, const char *memo_id, const char *recipient)
{
	int rc;

	if (!memo_id_valid(memo_id) ||
	    !member_or_word(recipient, STORE_RECIPIENT_CHANNEL))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->grant_release(s->db, memo_id, recipient);
	unlock(s);
	return (rc);
}

/**
 * store_grant_delete(s, memo_id, recipient, purpose):
 * Delete ${recipient}'s grant of ${purpose} on ${memo_id}; STORE_NOTFOUND
 * if there is none.
 */
int
store_grant_delete(struct store *s, const char *memo_id, const char *recipient,
    const char *purpose)
{
	int rc;

	if (!memo_id_valid(memo_id) ||
	    !member_or_word(recipient, STORE_RECIPIENT_CHANNEL) ||
	    !purpose_ok(purpose))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->grant_delete(s->db, memo_id, recipient, purpose);
	unlock(s);
	return (rc);
}

/**
 * store_signature_put(s, memo_id, sig):
 * Record or replace (same tag) a signature.  STORE_NOTFOUND if the memo has
 * no such version; STORE_CONFLICT if the tag is new and the memo already
 * holds STORE_SIGNATURES_MAX signatures.
 */
int
store_signature_put(
    struct store *s, const char *memo_id, const struct store_signature *sig)
{
	int rc;

	if (sig == NULL || sig->version == 0)
		return (invalid("store_signature_put", "signature"));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->signature_put(s->db, memo_id, sig));
	unlock(s);
	return (rc);
}

/**
 * store_signature_get(s, memo_id, tag, sig):
 * Read the signature with ${tag}; STORE_NOTFOUND.
 */
int
store_signature_get(struct store *s, const char *memo_id,
    const uint8_t tag[MEMO_HASH_BYTES], struct store_signature *sig)
{
	int rc;

	if (tag == NULL || sig == NULL)
		return (invalid("store_signature_get", "argument"));
	memset(sig, 0, sizeof(*sig));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->signature_get(s->db, memo_id, tag, sig);
	unlock(s);
	if (rc != STORE_OK)
		memset(sig, 0, sizeof(*sig));
	return (rc);
}

/**
 * store_signature_delete(s, memo_id, tag):
 * Remove the signature with ${tag}; STORE_NOTFOUND if none.
 */
int
store_signature_delete(
    struct store *s, const char *memo_id, const uint8_t tag[MEMO_HASH_BYTES])
{
	int rc;

	if (tag == NULL)
		return (invalid("store_signature_delete", "tag"));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->signature_delete(s->db, memo_id, tag);
	unlock(s);
	return (rc);
}

/**
 * store_signature_list(s, memo_id, version, sigs, n):
 * The signatures of ${memo_id} (only those over ${version} if it is not 0),
 * ordered by tag, in a malloc'd array (free()).
 */
int
store_signature_list(struct store *s, const char *memo_id, uint32_t version,
    struct store_signature **sigs, size_t *n)
{
	int rc;

	if (sigs == NULL || n == NULL)
		return (invalid("store_signature_list", "output"));
	*sigs = NULL;
	*n = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->signature_list(s->db, memo_id, version, sigs, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*sigs);
		*sigs = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * store_signature_count(s, memo_id, version, n):
 * Count the signatures over ${version} (0: all).
 */
int
store_signature_count(
    struct store *s, const char *memo_id, uint32_t version, uint32_t *n)
{
	int rc;

	if (n == NULL)
		return (invalid("store_signature_count", "output"));
	*n = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->signature_count(s->db, memo_id, version, n);
	unlock(s);
	if (rc != STORE_OK)
		*n = 0;
	return (rc);
}

/**
 * store_access_put(s, memo_id, a), store_access_list(s, memo_id, as, n):
 * Record an access (kind 0 for a grant; member id or "channel");
 * STORE_NOTFOUND if the memo does not exist.  List a memo's accesses, the
 * newest STORE_ACCESS_LIST_MAX of them, oldest first (malloc'd).
 */
int
store_access_put(
    struct store *s, const char *memo_id, const struct store_access *a)
{
	static const char fn[] = "store_access_put";
	int rc;

	if (a == NULL)
		return (invalid(fn, "access"));
	if (!member_or_word(a->member_id, STORE_RECIPIENT_CHANNEL))
		return (invalid(fn, "member id"));
	if (a->kind < 0 || a->kind > EVENT_ACCESS_REPLIES)
		return (invalid(fn, "kind"));
	if (a->log_index >= STORE_LOG_SIZE_MAX)
		return (invalid(fn, "log index"));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->access_put(s->db, memo_id, a);
	unlock(s);
	return (rc);
}

int
store_access_list(
    struct store *s, const char *memo_id, struct store_access **as, size_t *n)
{
	int rc;

	if (as == NULL || n == NULL)
		return (invalid("store_access_list", "output"));
	*as = NULL;
	*n = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->access_list(s->db, memo_id, as, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*as);
		*as = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * store_reply_put(s, memo_id, r), store_reply_list(s, memo_id, rs, n):
 * Record reply ${r} (its number must be the number of replies stored for
 * the memo + 1, and at most STORE_REPLIES_MAX, else STORE_CONFLICT;
 * STORE_NOTFOUND if the memo or the author does not exist); list a memo's
 * replies with their boxes, oldest first (free each box, then the array).
 */
int
store_reply_put(
    struct store *s, const char *memo_id, const struct store_reply *r)
{
	static const char fn[] = "store_reply_put";
	int rc;

	if (r == NULL)
		return (invalid(fn, "reply"));
	if (r->kind < MEMO_REPLY_KIND_REPLY ||
	    r->kind > MEMO_REPLY_KIND_OUTCOME)
		return (invalid(fn, "kind"));
	if (!terminated(r->author, sizeof(r->author)) ||
	    !directory_member_id_valid(r->author))
		return (invalid(fn, "author"));
	if (r->box == NULL || r->boxlen == 0 || r->boxlen > MEMO_REPLY_BOX_MAX)
		return (invalid(
		    fn, "box (empty or longer than MEMO_REPLY_BOX_MAX)"));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->reply_put(s->db, memo_id, r));
	unlock(s);
	return (rc);
}

int
store_reply_list(
    struct store *s, const char *memo_id, struct store_reply **rs, size_t *n)
{
	int rc;

	if (rs == NULL || n == NULL)
		return (invalid("store_reply_list", "output"));
	*rs = NULL;
	*n = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->reply_list(s->db, memo_id, rs, n));
	unlock(s);
	if (rc != STORE_OK) {
		replies_free(*rs, *n);
		*rs = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * store_distribution_put(s, memo_id, d), store_distribution_list(...):
 * Record or update (same principal) a distribution (STORE_NOTFOUND if the
 * memo or a member does not exist; STORE_CONFLICT if the principal is new
 * and the memo has STORE_DISTRIBUTIONS_MAX); list them by time (that of
 * the request, or of the approval once approved), malloc'd.
 */
int
store_distribution_put(
    struct store *s, const char *memo_id, const struct store_distribution *d)
{
	static const char fn[] = "store_distribution_put";
	int rc;

	if (d == NULL)
		return (invalid(fn, "distribution"));
	if (d->status != STORE_DIST_PENDING && d->status != STORE_DIST_DONE)
		return (invalid(fn, "status"));
	if (!member_or_empty(d->approved_by, sizeof(d->approved_by)))
		return (invalid(fn, "approver"));
	if (!memo_id_valid(memo_id) ||
	    !terminated(d->principal, sizeof(d->principal)) ||
	    !directory_member_id_valid(d->principal) ||
	    !terminated(d->requested_by, sizeof(d->requested_by)) ||
	    !directory_member_id_valid(d->requested_by))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->distribution_put(s->db, memo_id, d));
	unlock(s);
	return (rc);
}

int
store_distribution_list(struct store *s, const char *memo_id,
    struct store_distribution **ds, size_t *n)
{
	int rc;

	if (ds == NULL || n == NULL)
		return (invalid("store_distribution_list", "output"));
	*ds = NULL;
	*n = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->distribution_list(s->db, memo_id, ds, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ds);
		*ds = NULL;
		*n = 0;
	}
	return (rc);
}

/* 1 if ${state} is a STORE_MEETING_* state, else 0. */
static int
meeting_state_ok(int state)
{

	return (state >= STORE_MEETING_REQUESTED &&
		state <= STORE_MEETING_DECLINED);
}

/**
 * Meetings: insert (id assigned, stored back in ${m}->id; STORE_NOTFOUND if
 * the memo or a member does not exist), get, update (state, scheduled_at,
 * outcome_n; STORE_NOTFOUND), and list those of a member (as requester or
 * principal; NULL member: all), newest first, at most STORE_MEMO_LIST_MAX
 * (malloc'd).
 */
int
store_meeting_insert(struct store *s, struct store_meeting *m)
{
	int rc;

	if (m == NULL || !meeting_state_ok(m->state))
		return (invalid("store_meeting_insert", "meeting"));
	if (!terminated(m->memo_id, sizeof(m->memo_id)) ||
	    !memo_id_valid(m->memo_id) ||
	    !terminated(m->principal, sizeof(m->principal)) ||
	    !directory_member_id_valid(m->principal) ||
	    !terminated(m->requested_by, sizeof(m->requested_by)) ||
	    !directory_member_id_valid(m->requested_by))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->meeting_insert(s->db, m);
	unlock(s);
	return (rc);
}

int
store_meeting_get(struct store *s, int64_t id, struct store_meeting *m)
{
	int rc;

	if (m == NULL)
		return (invalid("store_meeting_get", "output"));
	memset(m, 0, sizeof(*m));
	if (id < 1)
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->meeting_get(s->db, id, m);
	unlock(s);
	if (rc != STORE_OK)
		memset(m, 0, sizeof(*m));
	return (rc);
}

int
store_meeting_update(struct store *s, const struct store_meeting *m)
{
	int rc;

	if (m == NULL || !meeting_state_ok(m->state))
		return (invalid("store_meeting_update", "meeting"));
	if (m->id < 1)
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->meeting_update(s->db, m);
	unlock(s);
	return (rc);
}

int
store_meeting_list(struct store *s, const char *member_id,
    struct store_meeting **ms, size_t *n)
{
	int rc;

	if (ms == NULL || n == NULL)
		return (invalid("store_meeting_list", "output"));
	*ms = NULL;
	*n = 0;
	if (member_id != NULL && !directory_member_id_valid(member_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->meeting_list(s->db, member_id, ms, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ms);
		*ms = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * Complaints: insert the box (at most STORE_COMPLAINT_BOX_MAX bytes) with
 * one sealed key per auditor (${readers} and ${sealed}/${sealedlen}, ${n}
 * of each, 1..STORE_COMPLAINT_READERS_MAX distinct readers; id stored back;
 * STORE_NOTFOUND if a reader does not exist); list those readable by
 * ${auditor_id}, newest first, at most STORE_MEMO_LIST_MAX, each with that
 * auditor's sealed key and the box (free each box, then the array).
 */
int
store_complaint_insert(struct store *s, struct store_complaint *c,
    const char (*readers)[DIRECTORY_MEMBER_ID_LEN + 1],
    const uint8_t (*sealed)[STORE_GRANT_MAX], const size_t *sealedlen, size_t n)
{
	static const char fn[] = "store_complaint_insert";
	size_t i;
	int rc;

	if (c == NULL || c->box == NULL || c->boxlen == 0 ||
	    c->boxlen > STORE_COMPLAINT_BOX_MAX)
		return (invalid(
		    fn, "box (empty or longer than STORE_COMPLAINT_BOX_MAX)"));
	if (readers == NULL || sealed == NULL || sealedlen == NULL || n == 0 ||
	    n > STORE_COMPLAINT_READERS_MAX)
		return (invalid(fn, "number of readers"));
	for (i = 0; i < n; i++) {
		if (sealedlen[i] == 0 || sealedlen[i] > STORE_GRANT_MAX)
			return (invalid(fn, "sealed key"));
		if (!terminated(readers[i], sizeof(readers[i])) ||
		    !directory_member_id_valid(readers[i]))
			return (STORE_NOTFOUND);
	}
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->complaint_insert(
				     s->db, c, readers, sealed, sealedlen, n));
	unlock(s);
	return (rc);
}

int
store_complaint_list(struct store *s, const char *auditor_id,
    struct store_complaint **cs, size_t *n)
{
	int rc;

	if (cs == NULL || n == NULL)
		return (invalid("store_complaint_list", "output"));
	*cs = NULL;
	*n = 0;
	if (!member_ok(auditor_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->complaint_list(s->db, auditor_id, cs, n));
	unlock(s);
	if (rc != STORE_OK) {
		complaints_free(*cs, *n);
		*cs = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * The channel key: its public key with the index of the channel log entry
 * (channel_key_created) that published it, below STORE_LOG_SIZE_MAX
 * (STORE_NOTFOUND until created; creating a second is STORE_CONFLICT) and
 * each coordinator's sealed copy of its secret key (put replaces;
 * STORE_NOTFOUND if the channel key or the member does not exist; get:
 * STORE_NOTFOUND if none).
 */
int
store_channel_key_get(struct store *s, uint8_t pk[KEYS_BOX_PK_BYTES],
    uint64_t *log_index, int64_t *created_at)
{
	int rc;

	if (pk == NULL || log_index == NULL || created_at == NULL)
		return (invalid("store_channel_key_get", "output"));
	memset(pk, 0, KEYS_BOX_PK_BYTES);
	*log_index = 0;
	*created_at = 0;
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->channel_key_get(s->db, pk, log_index, created_at);
	unlock(s);
	if (rc != STORE_OK) {
		memset(pk, 0, KEYS_BOX_PK_BYTES);
		*log_index = 0;
		*created_at = 0;
	}
	return (rc);
}

int
store_channel_key_create(struct store *s, const uint8_t pk[KEYS_BOX_PK_BYTES],
    uint64_t log_index, int64_t now)
{
	int rc;

	if (pk == NULL)
		return (invalid("store_channel_key_create", "public key"));
	if (log_index >= STORE_LOG_SIZE_MAX)
		return (invalid("store_channel_key_create", "log index"));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->channel_key_create(s->db, pk, log_index, now);
	unlock(s);
	return (rc);
}

int
store_channel_grant_put(struct store *s, const char *member_id,
    const uint8_t *sealed, size_t sealedlen, int64_t now)
{
	int rc;

	if (sealed == NULL || sealedlen == 0 || sealedlen > STORE_GRANT_MAX)
		return (invalid("store_channel_grant_put",
		    "sealed key (empty or longer than STORE_GRANT_MAX)"));
	if (!member_ok(member_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->channel_grant_put(
				     s->db, member_id, sealed, sealedlen, now));
	unlock(s);
	return (rc);
}

int
store_channel_grant_get(struct store *s, const char *member_id,
    uint8_t sealed[STORE_GRANT_MAX], size_t *sealedlen)
{
	int rc;

	if (sealed == NULL || sealedlen == NULL)
		return (invalid("store_channel_grant_get", "output"));
	*sealedlen = 0;
	if (!member_ok(member_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->channel_grant_get(s->db, member_id, sealed, sealedlen);
	unlock(s);
	if (rc != STORE_OK) {
		sodium_memzero(sealed, STORE_GRANT_MAX);
		*sealedlen = 0;
	}
	return (rc);
}

/**
 * Notifications: queue one (its id is assigned); take up to ${max} (at most
 * STORE_MEMO_LIST_MAX) due at ${now} (next attempt at or before ${now},
 * ordered by next attempt then id, malloc'd); mark one sent (deleted) or
 * failed (attempts + 1, next attempt at ${next_at}); STORE_NOTFOUND if the
 * id is unknown.
 */
int
store_notification_put(struct store *s, const struct store_notification *nt)
{
	int rc;

	if (nt == NULL ||
	    !member_or_word(nt->recipient, STORE_RECIPIENT_WEBHOOK))
		return (invalid("store_notification_put", "recipient"));
	if (nt->kind < 1 || nt->kind > 255)
		return (invalid("store_notification_put", "kind"));
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->notification_put(s->db, nt);
	unlock(s);
	return (rc);
}

int
store_notification_due(struct store *s, int64_t now, size_t max,
    struct store_notification **nts, size_t *n)
{
	int rc;

	if (nts == NULL || n == NULL)
		return (invalid("store_notification_due", "output"));
	*nts = NULL;
	*n = 0;
	if (max == 0)
		return (STORE_OK);
	if (max > STORE_MEMO_LIST_MAX)
		max = STORE_MEMO_LIST_MAX;
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->notification_due(s->db, now, max, nts, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*nts);
		*nts = NULL;
		*n = 0;
	}
	return (rc);
}

int
store_notification_done(struct store *s, int64_t id)
{
	int rc;

	if (id < 1)
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->notification_done(s->db, id);
	unlock(s);
	return (rc);
}

int
store_notification_retry(struct store *s, int64_t id, int64_t next_at)
{
	int rc;

	if (id < 1)
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->notification_retry(s->db, id, next_at);
	unlock(s);
	return (rc);
}

/**
 * store_memo_ring_pin(s, memo_id, tree_size, n):
 * Pin the ring snapshot of ${memo_id} at the log size ${tree_size} (below
 * STORE_LOG_SIZE_MAX): every member that is active, eligible, enrolled and
 * of one of the memo's eligible organisations, with its current key epoch
 * and keys.  Store their number in ${n}.  Call it inside the transaction
 * that read ${tree_size}, so that the snapshot is the directory after
 * that many log entries.  STORE_NOTFOUND if the memo does not exist;
 * STORE_CONFLICT, with nothing written, if it has a snapshot already, more
 * than STORE_RING_SNAPSHOT_MAX members qualify or two share a ring key.
 */
int
store_memo_ring_pin(
    struct store *s, const char *memo_id, uint64_t tree_size, size_t *n)
{
	int rc;

	if (n == NULL)
		return (invalid("store_memo_ring_pin", "output"));
	*n = 0;
	if (tree_size >= STORE_LOG_SIZE_MAX)
		return (invalid("store_memo_ring_pin", "tree size"));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->ring_pin(s->db, memo_id, tree_size, n));
	unlock(s);
	if (rc != STORE_OK)
		*n = 0;
	return (rc);
}

/**
 * store_memo_ring_tree_size(s, memo_id, tree_size):
 * Store the log size at which ${memo_id}'s ring snapshot was pinned in
 * ${tree_size}; STORE_NOTFOUND if the memo does not exist or has none.
 */
int
store_memo_ring_tree_size(
    struct store *s, const char *memo_id, uint64_t *tree_size)
{
	int rc;

	if (tree_size == NULL)
		return (invalid("store_memo_ring_tree_size", "output"));
	*tree_size = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->ring_tree_size(s->db, memo_id, tree_size);
	unlock(s);
	if (rc != STORE_OK)
		*tree_size = 0;
	return (rc);
}

/**
 * store_memo_ring(s, memo_id, tree_size, ms, n):
 * ${memo_id}'s ring snapshot: its log size into ${tree_size} and its
 * members ordered by the bytes of their ring keys, in a malloc'd array
 * (free()); STORE_NOTFOUND if the memo does not exist or has none.
 */
int
store_memo_ring(struct store *s, const char *memo_id, uint64_t *tree_size,
    struct store_ring_member **ms, size_t *n)
{
	int rc;

	if (tree_size == NULL || ms == NULL || n == NULL)
		return (invalid("store_memo_ring", "output"));
	*tree_size = 0;
	*ms = NULL;
	*n = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->ring_list(s->db, memo_id, tree_size, ms, n));
	unlock(s);
	if (rc != STORE_OK) {
		free(*ms);
		*ms = NULL;
		*n = 0;
		*tree_size = 0;
	}
	return (rc);
}

/**
 * store_memo_ring_holds(s, memo_id, keys, n):
 * STORE_OK if each of the ${n} ring keys ${keys} is the ring key of a
 * member of ${memo_id}'s ring snapshot, STORE_NOTFOUND if one is not (or
 * there is no snapshot).
 */
int
store_memo_ring_holds(struct store *s, const char *memo_id,
    const uint8_t (*keys)[RING_PK_BYTES], size_t n)
{
	int rc;

	if (keys == NULL && n > 0)
		return (invalid("store_memo_ring_holds", "keys"));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(s, s->be->ring_holds(s->db, memo_id, keys, n));
	unlock(s);
	return (rc);
}

/* 1 if ${a} is an anonymous signature the store can hold, else 0. */
static int
anon_ok(const struct store_anon_signature *a)
{

	return (a != NULL && a->version != 0 && a->ring != NULL &&
		a->sig != NULL && a->nring >= RING_MIN &&
		a->nring <= RING_N_LIMIT &&
		a->siglen == RING_SIG_BYTES(a->nring));
}

/**
 * store_anon_signature_put(s, memo_id, a):
 * Record or replace (same tag) an anonymous signature.  STORE_NOTFOUND if
 * the memo has no such version; STORE_CONFLICT if the tag is new and the
 * memo already holds STORE_ANON_SIGNATURES_MAX anonymous signatures.
 */
int
store_anon_signature_put(
    struct store *s, const char *memo_id, const struct store_anon_signature *a)
{
	int rc;

	if (!anon_ok(a))
		return (invalid("store_anon_signature_put", "signature"));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 1)) == STORE_OK)
		rc = unit_end(s, s->be->anon_put(s->db, memo_id, a));
	unlock(s);
	return (rc);
}

/**
 * store_anon_signature_clear(a):
 * Free the ring and signature of the anonymous signature ${a} read by
 * store_anon_signature_get() and zero it.
 */
void
store_anon_signature_clear(struct store_anon_signature *a)
{

	if (a == NULL)
		return;
	free(a->ring);
	free(a->sig);
	memset(a, 0, sizeof(*a));
}

/**
 * store_anon_signature_get(s, memo_id, tag, a):
 * Read the anonymous signature with ${tag} into ${a}, whose ring and
 * signature are malloc'd (store_anon_signature_clear()); STORE_NOTFOUND.
 */
int
store_anon_signature_get(struct store *s, const char *memo_id,
    const uint8_t tag[RING_TAG_BYTES], struct store_anon_signature *a)
{
	int rc;

	if (tag == NULL || a == NULL)
		return (invalid("store_anon_signature_get", "argument"));
	memset(a, 0, sizeof(*a));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->anon_get(s->db, memo_id, tag, a);
	unlock(s);
	if (rc != STORE_OK)
		store_anon_signature_clear(a);
	return (rc);
}

/**
 * store_anon_signature_delete(s, memo_id, tag):
 * Remove the anonymous signature with ${tag}; STORE_NOTFOUND if none.
 */
int
store_anon_signature_delete(
    struct store *s, const char *memo_id, const uint8_t tag[RING_TAG_BYTES])
{
	int rc;

	if (tag == NULL)
		return (invalid("store_anon_signature_delete", "tag"));
	if (!memo_id_valid(memo_id))
		return (STORE_NOTFOUND);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->anon_delete(s->db, memo_id, tag);
	unlock(s);
	return (rc);
}

/**
 * store_anon_signatures_free(as, n):
 * Free the rings and signatures of the ${n} anonymous signatures ${as},
 * then ${as}.  NULL is a no-op.
 */
void
store_anon_signatures_free(struct store_anon_signature *as, size_t n)
{
	size_t i;

	if (as == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(as[i].ring);
		free(as[i].sig);
	}
	free(as);
}

/**
 * store_anon_signature_page(s, memo_id, after, max, as, n):
 * At most ${max} (1 to STORE_ANON_PAGE_MAX) of ${memo_id}'s anonymous
 * signatures whose tag sorts after ${after} (NULL: from the first), by
 * tag, in a malloc'd array (store_anon_signatures_free()).  A page of
 * fewer than ${max} is the last.
 */
int
store_anon_signature_page(struct store *s, const char *memo_id,
    const uint8_t *after, size_t max, struct store_anon_signature **as,
    size_t *n)
{
	int rc;

	if (as == NULL || n == NULL)
		return (invalid("store_anon_signature_page", "output"));
	*as = NULL;
	*n = 0;
	if (max < 1 || max > STORE_ANON_PAGE_MAX)
		return (invalid("store_anon_signature_page", "page size"));
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	if ((rc = unit_begin(s, 0)) == STORE_OK)
		rc = unit_end(
		    s, s->be->anon_page(s->db, memo_id, after, max, as, n));
	unlock(s);
	if (rc != STORE_OK) {
		store_anon_signatures_free(*as, *n);
		*as = NULL;
		*n = 0;
	}
	return (rc);
}

/**
 * store_anon_signature_count(s, memo_id, version, n):
 * Count the anonymous signatures over ${version} (0: all).
 */
int
store_anon_signature_count(
    struct store *s, const char *memo_id, uint32_t version, uint32_t *n)
{
	int rc;

	if (n == NULL)
		return (invalid("store_anon_signature_count", "output"));
	*n = 0;
	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->anon_count(s->db, memo_id, version, n);
	unlock(s);
	if (rc != STORE_OK)
		*n = 0;
	return (rc);
}

/**
 * store_anon_signature_prune(s, memo_id, version):
 * Delete every anonymous signature of ${memo_id} over a version other than
 * ${version}.
 */
int
store_anon_signature_prune(
    struct store *s, const char *memo_id, uint32_t version)
{
	int rc;

	if (!memo_id_valid(memo_id))
		return (STORE_OK);
	if (enter(s) != 0)
		return (STORE_ERR);
	rc = s->be->anon_prune(s->db, memo_id, version);
	unlock(s);
	return (rc);
}
