#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "direvent.h"
#include "instance.h"
#include "log.h"

#define PATH_CAP 1100

static void seterr(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format an error message into ${err}. */
static void
seterr(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (errcap == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

/* Write "dir/name" into ${out}; 0 or -1 if too long. */
static int
path_join(char out[PATH_CAP], const char *dir, const char *name)
{
	int len = snprintf(out, PATH_CAP, "%s/%s", dir, name);

	return (len < 0 || len >= PATH_CAP ? -1 : 0);
}

/* Write all of ${buf} to ${fd}; 0 or -1. */
static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len > 0) {
		if ((w = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += w;
		len -= (size_t)w;
	}
	return (0);
}

/* Create ${path} (0600, must not exist) holding ${data}, durably. */
static int
write_new_file(const char *path, const uint8_t *data, size_t len)
{
	int fd;

	if ((fd = open(path,
		 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) <
	    0)
		return (-1);
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		return (-1);
	}
	if (close(fd) != 0) {
		unlink(path);
		return (-1);
	}
	return (0);
}

/* Read ${path}, which must hold exactly ${len} bytes, into ${buf}. */
static int
read_exact_file(
    const char *path, uint8_t *buf, size_t len, char *err, size_t errcap)
{
	struct stat st;
	size_t off = 0;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size != (off_t)len) {
		seterr(err, errcap, "%s: not a %zu-byte file", path, len);
		goto err1;
	}
	if (st.st_mode & 077) {
		struct log_field f[1] = {LOG_STR("file", path)};

		log_fields(LOG_WARN,
		    "secret file readable by others (chmod "
		    "600 it)",
		    f, 1);
	}
	while (off < len) {
		if ((r = read(fd, buf + off, len - off)) < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			seterr(err, errcap, "%s: short read", path);
			goto err1;
		}
		off += (size_t)r;
	}
	close(fd);
	return (0);

err1:
	sodium_memzero(buf, len);
	close(fd);
	return (-1);
}

/* fsync a directory so that the names created in it are durable. */
static int
fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/* Return 1 if ${path} exists (even as a dangling link), else 0. */
static int
exists(const char *path)
{
	struct stat st;

	return (lstat(path, &st) == 0);
}

/* Remove what instance_init() may have created in ${dir}. */
static void
remove_instance_files(const char *dir)
{
	static const char *const names[] = {INSTANCE_KEY_FILE,
	    INSTANCE_SECRET_FILE, INSTANCE_DB_FILE, INSTANCE_DB_FILE "-wal",
	    INSTANCE_DB_FILE "-shm", INSTANCE_DB_FILE "-journal"};
	char path[PATH_CAP];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (path_join(path, dir, names[i]) == 0)
			(void)unlink(path);
}

/*
 * Fill the settings, organisation, admin and code of a new store, and log
 * the organisation and the admin in the channel log (signed with ${sk}).
 */
static int
init_store(struct store *s, const struct instance_init_args *a, int64_t now,
    const uint8_t sk[crypto_sign_SECRETKEYBYTES], const char *sign_pk_b64,
    char code[ACCOUNT_CODE_LEN + 1], int64_t *expires_at)
{
	struct chanlog *cl = NULL;
	struct event ev[2];
	char err[CHANLOG_ERR_MAX];
	uint64_t index;
	uint8_t idraw[INSTANCE_ID_LEN / 2];
	char id[INSTANCE_ID_LEN + 1], created[32];
	uint8_t hash[ACCOUNT_HASH_BYTES];
	struct store_org org;
	struct store_member m;

	randombytes_buf(idraw, sizeof(idraw));
	sodium_bin2hex(id, sizeof(id), idraw, sizeof(idraw));
	(void)snprintf(created, sizeof(created), "%lld", (long long)now);

	memset(&org, 0, sizeof(org));
	memcpy(org.id, a->channel_org, strlen(a->channel_org) + 1);
	memcpy(org.name, a->channel_org_name, strlen(a->channel_org_name) + 1);
	org.created_at = now;

	memset(&m, 0, sizeof(m));
	directory_member_id_new(m.id);
	memcpy(m.handle, a->admin_handle, strlen(a->admin_handle) + 1);
	memcpy(m.display_name, a->admin_name, strlen(a->admin_name) + 1);
	memcpy(m.org_id, a->channel_org, strlen(a->channel_org) + 1);
	m.roles = ROLE_ADMIN;
	m.eligible = 0;
	m.status = STORE_MEMBER_PENDING;
	m.created_at = now;

	account_code_new(code, hash);
	*expires_at = now + a->enrollment_ttl;

	if (store_begin(s) != 0)
		return (-1);
	if (store_meta_set(s, "instance_id", id) != STORE_OK ||
	    store_meta_set(s, "instance_name",
		a->instance_name != NULL ? a->instance_name
					 : a->channel_org_name) != STORE_OK ||
	    store_meta_set(s, "channel_org", a->channel_org) != STORE_OK ||
	    store_meta_set(s, "created_at", created) != STORE_OK ||
	    store_meta_set(s, "server_sign_pk", sign_pk_b64) != STORE_OK ||
	    store_org_insert(s, &org) != STORE_OK ||
	    store_member_insert(s, &m) != STORE_OK ||
	    store_enrollment_put(s, hash, m.id, *expires_at) != STORE_OK)
		goto err1;
	/* The directory's first two changes are its first two events. */
	if (chanlog_open(&cl, s, id, sk, err, sizeof(err)) != 0) {
		struct log_field f[1] = {LOG_STR("error", err)};

		log_fields(LOG_ERROR, "cannot open the channel log", f, 1);
		goto err1;
	}
	direvent_org_created(&ev[0], now, org.id);
	direvent_member_created(&ev[1], now, &m);
	if (chanlog_append_batch(cl, ev, 2, &index) != CHANLOG_OK)
		goto err1;
	chanlog_free(cl);
	cl = NULL;
	if (store_commit(s) != 0)
		goto err1;
	return (0);

err1:
	chanlog_free(cl);
	store_rollback(s);
	sodium_memzero(code, ACCOUNT_CODE_LEN + 1);
	return (-1);
}

/**
 * instance_init(a, now, code, expires_at, err, errcap):
 * Create a new instance in ${a}->data_dir at time ${now}: the directory
 * (0700), the store with the instance's settings, the channel organisation
 * and the pending admin, the server key and secret (0600).  The admin's
 * enrollment code is written to ${a}->code_file (created 0600, must not
 * exist) if given, and in every case stored in ${code} with its expiry in
 * ${expires_at}.  Refuse a directory that already holds an instance.  On
 * failure nothing created is left behind.  Return 0, or -1 with a message
 * in ${err}.
 */
int
instance_init(const struct instance_init_args *a, int64_t now,
    char code[ACCOUNT_CODE_LEN + 1], int64_t *expires_at, char *err,
    size_t errcap)
{
	char keypath[PATH_CAP], secpath[PATH_CAP], dbpath[PATH_CAP],
	    url[PATH_CAP + 8];
	uint8_t seed[INSTANCE_SIGN_SEED_BYTES],
	    secret[ACCOUNT_SERVER_SECRET_BYTES];
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char pk_b64[B64_ENCODED_LEN(crypto_sign_PUBLICKEYBYTES)];
	char line[ACCOUNT_CODE_LEN + 2];
	struct store *s = NULL;
	struct stat st;
	int created_dir = 0, code_fd = -1, code_created = 0;

	if (!directory_org_id_valid(a->channel_org)) {
		seterr(err, errcap,
		    "--channel-org: not a valid organisation id "
		    "(a-z, 0-9 and '-', starting with a letter, at most %d)",
		    DIRECTORY_ORG_ID_MAX);
		goto err0;
	}
	if (!directory_name_valid(
		a->channel_org_name, DIRECTORY_ORG_NAME_MAX)) {
		seterr(err, errcap, "--channel-org-name: not a valid name");
		goto err0;
	}
	if (!directory_handle_valid(a->admin_handle)) {
		seterr(err, errcap, "--admin-handle: not a valid handle");
		goto err0;
	}
	if (!directory_name_valid(a->admin_name, DIRECTORY_DISPLAY_NAME_MAX)) {
		seterr(err, errcap, "--admin-name: not a valid name");
		goto err0;
	}
	if (a->instance_name != NULL &&
	    !directory_name_valid(a->instance_name, INSTANCE_NAME_MAX)) {
		seterr(err, errcap, "--instance-name: not a valid name");
		goto err0;
	}
	if (path_join(keypath, a->data_dir, INSTANCE_KEY_FILE) != 0 ||
	    path_join(secpath, a->data_dir, INSTANCE_SECRET_FILE) != 0 ||
	    path_join(dbpath, a->data_dir, INSTANCE_DB_FILE) != 0) {
		seterr(err, errcap, "data directory path too long");
		goto err0;
	}
	(void)snprintf(url, sizeof(url), "sqlite:%s", dbpath);

	if (stat(a->data_dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			seterr(
			    err, errcap, "%s is not a directory", a->data_dir);
			goto err0;
		}
		if (exists(keypath) || exists(secpath) || exists(dbpath)) {
			seterr(err, errcap, "%s already holds an instance",
			    a->data_dir);
			goto err0;
		}
	} else if (errno == ENOENT) {
		if (mkdir(a->data_dir, 0700) != 0) {
			seterr(err, errcap, "cannot create %s: %s", a->data_dir,
			    strerror(errno));
			goto err0;
		}
		created_dir = 1;
	} else {
		seterr(err, errcap, "%s: %s", a->data_dir, strerror(errno));
		goto err0;
	}

	/* Claim the code file first: a code that cannot be saved is lost. */
	if (a->code_file != NULL &&
	    (code_fd = open(a->code_file,
		 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) <
		0) {
		seterr(err, errcap, "%s: %s", a->code_file, strerror(errno));
		goto err1;
	}
	code_created = (code_fd >= 0);

	randombytes_buf(seed, sizeof(seed));
	randombytes_buf(secret, sizeof(secret));
	if (crypto_sign_seed_keypair(pk, sk, seed) != 0 ||
	    b64_encode(pk_b64, sizeof(pk_b64), pk, sizeof(pk)) != 0) {
		seterr(err, errcap, "cannot derive the server key");
		goto err2;
	}
	if (write_new_file(keypath, seed, sizeof(seed)) != 0 ||
	    write_new_file(secpath, secret, sizeof(secret)) != 0) {
		seterr(err, errcap, "cannot write the server key files: %s",
		    strerror(errno));
		goto err2;
	}
	if (store_open(&s, url, now) != 0) {
		seterr(err, errcap, "cannot create the database %s", dbpath);
		goto err2;
	}
	if (init_store(s, a, now, sk, pk_b64, code, expires_at) != 0) {
		seterr(err, errcap, "cannot initialise the database");
		goto err3;
	}
	store_free(s);
	s = NULL;

	if (code_fd >= 0) {
		(void)snprintf(line, sizeof(line), "%s\n", code);
		if (write_all(code_fd, line, strlen(line)) != 0 ||
		    fsync(code_fd) != 0 || close(code_fd) != 0) {
			code_fd = -1;
			seterr(err, errcap, "%s: cannot write the code",
			    a->code_file);
			goto err2;
		}
		code_fd = -1;
		sodium_memzero(line, sizeof(line));
	}
	if (fsync_dir(a->data_dir) != 0) {
		seterr(err, errcap, "%s: cannot sync: %s", a->data_dir,
		    strerror(errno));
		goto err2;
	}
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(secret, sizeof(secret));
	return (0);

err3:
	store_free(s);
err2:
	remove_instance_files(a->data_dir);
err1:
	if (code_fd >= 0)
		close(code_fd);
	/* Only a code file this call created is removed. */
	if (code_created)
		(void)unlink(a->code_file);
	if (created_dir)
		(void)rmdir(a->data_dir);
err0:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(code, ACCOUNT_CODE_LEN + 1);
	return (-1);
}

/* Read the meta value ${key} into ${out}; 0 or -1 with a message. */
static int
meta_required(struct store *s, const char *key, char *out, size_t cap,
    char *err, size_t errcap)
{

	if (store_meta_get(s, key, out, cap) != STORE_OK) {
		seterr(err, errcap, "the database has no %s: not an instance",
		    key);
		return (-1);
	}
	return (0);
}

/* Append the ${n} (at most CHANLOG_BATCH_MAX) events ${evs}; 0 or -1. */
static int
flush(struct chanlog *cl, const struct event *evs, size_t n)
{
	uint64_t first;

	if (n == 0)
		return (0);
	return (
	    chanlog_append_batch(cl, evs, n, &first) == CHANLOG_OK ? 0 : -1);
}

/*
 * Log the events of one member ${m}: its creation, every key epoch of its
 * history and a suspension.  Return 0 or -1.
 */
static int
backfill_member(struct instance *inst, const struct store_member *m,
    int64_t now, struct event *evs)
{
	struct store_key_record *recs = NULL;
	size_t n = 0, i, k = 0;
	int rc = -1;

	if (store_key_history(inst->store, m->id, &recs, &n) != STORE_OK)
		return (-1);
	/* A history longer than a batch is logged in pieces. */
	direvent_member_created(&evs[k++], now, m);
	for (i = 0; i < n; i++) {
		if (k == CHANLOG_BATCH_MAX) {
			if (flush(inst->log, evs, k) != 0)
				goto done;
			k = 0;
		}
		direvent_keys(
		    &evs[k++], now, m->id, recs[i].epoch, &recs[i].keys);
	}
	if (m->status == STORE_MEMBER_SUSPENDED) {
		if (k == CHANLOG_BATCH_MAX) {
			if (flush(inst->log, evs, k) != 0)
				goto done;
			k = 0;
		}
		direvent_status(&evs[k++], now, m->id, 1);
	}
	rc = flush(inst->log, evs, k);
done:
	free(recs);
	return (rc);
}

/*
 * A database created before the channel log existed (schema 1) has a
 * directory but an empty log: log the directory as it stands at ${now}, in
 * one transaction, so that every key has its event and the log can be
 * audited from its first entry.  Past roles, eligibility changes and
 * reinstatements are not known any more; only the current state is
 * logged.  Nothing to do for a log that has entries or heads.
 */
static int
log_backfill(struct instance *inst, int64_t now)
{
	struct store_log_head h;
	struct store_member *ms = NULL;
	struct store_org *orgs = NULL;
	struct event *evs;
	size_t norgs = 0, n = 0, total = 0, offset, i, k;
	uint64_t size;
	int rc;

	if (store_log_size(inst->store, &size) != STORE_OK)
		return (-1);
	if (size > 0)
		return (0);
	if ((rc = store_log_head_latest(inst->store, &h)) != STORE_NOTFOUND)
		return (rc == STORE_OK ? 0 : -1);
	if ((evs = calloc(CHANLOG_BATCH_MAX, sizeof(*evs))) == NULL)
		return (-1);
	if (store_begin(inst->store) != 0)
		goto err1;
	if (store_org_list(inst->store, &orgs, &norgs) != STORE_OK)
		goto err2;
	for (i = 0, k = 0; i < norgs; i++) {
		if (k == CHANLOG_BATCH_MAX) {
			if (flush(inst->log, evs, k) != 0)
				goto err2;
			k = 0;
		}
		direvent_org_created(&evs[k++], now, orgs[i].id);
	}
	if (flush(inst->log, evs, k) != 0)
		goto err2;
	for (offset = 0;; offset += n) {
		free(ms);
		ms = NULL;
		if (store_member_list(inst->store, NULL, offset, 500, &ms, &n,
			&total) != STORE_OK)
			goto err2;
		if (n == 0)
			break;
		for (i = 0; i < n; i++)
			if (backfill_member(inst, &ms[i], now, evs) != 0)
				goto err2;
	}
	if (store_commit(inst->store) != 0)
		goto err2;
	if (norgs > 0) {
		struct log_field f[1] = {LOG_INT("members", (int64_t)total)};

		log_fields(LOG_INFO,
		    "recorded the existing directory in the channel log", f, 1);
	}
	free(ms);
	free(orgs);
	free(evs);
	return (0);

err2:
	store_rollback(inst->store);
err1:
	free(ms);
	free(orgs);
	free(evs);
	return (-1);
}

/**
 * instance_open(inst, data_dir, now, err, errcap):
 * Open the instance in ${data_dir} at time ${now}: the store (applying
 * migrations), the server secret and key (checked against the recorded
 * public key) and the settings.  Return 0 and the instance in ${inst}, or
 * -1 with a message in ${err}.
 */
int
instance_open(struct instance **instp, const char *data_dir, int64_t now,
    char *err, size_t errcap)
{
	struct instance *inst;
	char keypath[PATH_CAP], secpath[PATH_CAP], dbpath[PATH_CAP],
	    url[PATH_CAP + 8];
	char value[STORE_META_VALUE_MAX + 1];
	uint8_t seed[INSTANCE_SIGN_SEED_BYTES];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	char msg[CHANLOG_ERR_MAX];
	char *end;
	size_t len;

	if (path_join(keypath, data_dir, INSTANCE_KEY_FILE) != 0 ||
	    path_join(secpath, data_dir, INSTANCE_SECRET_FILE) != 0 ||
	    path_join(dbpath, data_dir, INSTANCE_DB_FILE) != 0) {
		seterr(err, errcap, "data directory path too long");
		goto err0;
	}
	(void)snprintf(url, sizeof(url), "sqlite:%s", dbpath);
	/* store_open() would create a missing database: check first. */
	if (!exists(dbpath)) {
		seterr(err, errcap, "%s holds no instance (run dissentd init)",
		    data_dir);
		goto err0;
	}
	if ((inst = calloc(1, sizeof(*inst))) == NULL) {
		seterr(err, errcap, "out of memory");
		goto err0;
	}
	if (read_exact_file(
		secpath, inst->secret, sizeof(inst->secret), err, errcap) != 0)
		goto err1;
	if (read_exact_file(keypath, seed, sizeof(seed), err, errcap) != 0)
		goto err1;
	if (crypto_sign_seed_keypair(inst->sign_pk, sk, seed) != 0 ||
	    b64_encode(inst->sign_pk_b64, sizeof(inst->sign_pk_b64),
		inst->sign_pk, sizeof(inst->sign_pk)) != 0) {
		seterr(err, errcap, "cannot derive the server key");
		goto err2;
	}
	sodium_memzero(seed, sizeof(seed));

	if (store_open(&inst->store, url, now) != 0) {
		seterr(err, errcap, "cannot open the database %s", dbpath);
		goto err2;
	}
	if (store_schema_version(inst->store, &inst->schema) != 0) {
		seterr(err, errcap, "cannot read the schema version");
		goto err2;
	}
	if (meta_required(inst->store, "server_sign_pk", value, sizeof(value),
		err, errcap) != 0)
		goto err2;
	if (strcmp(value, inst->sign_pk_b64) != 0) {
		seterr(err, errcap,
		    "%s does not match the database's "
		    "server_sign_pk",
		    keypath);
		goto err2;
	}
	if (meta_required(inst->store, "instance_id", inst->id,
		sizeof(inst->id), err, errcap) != 0 ||
	    meta_required(inst->store, "instance_name", inst->name,
		sizeof(inst->name), err, errcap) != 0 ||
	    meta_required(inst->store, "channel_org", inst->channel_org,
		sizeof(inst->channel_org), err, errcap) != 0 ||
	    meta_required(inst->store, "created_at", value, sizeof(value), err,
		errcap) != 0)
		goto err2;
	errno = 0;
	inst->created_at = strtoll(value, &end, 10);
	if (errno != 0 || *end != '\0' || end == value) {
		seterr(err, errcap, "bad created_at in the database");
		goto err2;
	}
	len = strlen(inst->id);
	if (len != INSTANCE_ID_LEN) {
		seterr(err, errcap, "bad instance_id in the database");
		goto err2;
	}
	if (chanlog_open(
		&inst->log, inst->store, inst->id, sk, msg, sizeof(msg)) != 0) {
		seterr(err, errcap, "the channel log in %s: %s", dbpath, msg);
		goto err2;
	}
	sodium_memzero(sk, sizeof(sk));
	if (log_backfill(inst, now) != 0) {
		seterr(err, errcap,
		    "cannot record the existing directory in the channel log");
		goto err1;
	}
	*instp = inst;
	return (0);

err2:
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
err1:
	instance_free(inst);
err0:
	return (-1);
}

/**
 * instance_free(inst):
 * Close the store, wipe the secret and free ${inst}.  NULL is a no-op.
 */
void
instance_free(struct instance *inst)
{

	if (inst == NULL)
		return;
	chanlog_free(inst->log);
	store_free(inst->store);
	sodium_memzero(inst->secret, sizeof(inst->secret));
	free(inst);
}
