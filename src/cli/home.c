#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "b64.h"
#include "directory.h"
#include "home.h"
#include "jsonmem.h"
#include "keys.h"

/* Zeros written per call when wiping a file. */
#define WIPE_CHUNK 4096

/* Write "${dir}/${name}" into ${out}; return 0 or -1 if too long. */
static int
join(char out[HOME_PATH_MAX], const char *dir, const char *name, char *err,
    size_t errcap)
{
	int n;

	n = snprintf(out, HOME_PATH_MAX, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= HOME_PATH_MAX) {
		(void)snprintf(err, errcap, "path too long: %.64s...", dir);
		return (-1);
	}
	return (0);
}

/**
 * home_resolve(out, cap, flag, err, errcap):
 * Write the state directory's path into ${out}: ${flag} if not NULL, else
 * $DISSENT_HOME, else $XDG_CONFIG_HOME/dissent, else $HOME/.config/dissent
 * (empty variables count as unset).  Return 0, or -1 with a message in
 * ${err} if none applies or the path is too long.
 */
int
home_resolve(char *out, size_t cap, const char *flag, char *err, size_t errcap)
{
	const char *v;
	int n;

	if (flag != NULL && flag[0] != '\0')
		n = snprintf(out, cap, "%s", flag);
	else if ((v = getenv("DISSENT_HOME")) != NULL && v[0] != '\0')
		n = snprintf(out, cap, "%s", v);
	else if ((v = getenv("XDG_CONFIG_HOME")) != NULL && v[0] != '\0')
		n = snprintf(out, cap, "%s/dissent", v);
	else if ((v = getenv("HOME")) != NULL && v[0] != '\0')
		n = snprintf(out, cap, "%s/.config/dissent", v);
	else {
		(void)snprintf(err, errcap,
		    "no state directory: set "
		    "DISSENT_HOME or HOME, or give --home DIR");
		return (-1);
	}
	if (n < 0 || (size_t)n >= cap) {
		(void)snprintf(err, errcap,
		    "the state directory's path is too "
		    "long");
		return (-1);
	}
	/* Drop trailing slashes (but keep "/"). */
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	return (0);
}

/**
 * home_prepare(dir, err, errcap):
 * Create ${dir} (and missing parents) with mode 0700 if needed, then check
 * that it is a directory owned by this user and closed to others.  Return
 * 0, or -1 with a message in ${err}.
 */
int
home_prepare(const char *dir, char *err, size_t errcap)
{
	char path[HOME_PATH_MAX];
	struct stat st;
	size_t i, len = strlen(dir);

	if (len == 0 || len >= sizeof(path)) {
		(void)snprintf(err, errcap, "bad state directory path");
		return (-1);
	}
	memcpy(path, dir, len + 1);
	/* Each missing ancestor, then the directory itself. */
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			(void)snprintf(err, errcap, "cannot create %s: %s",
			    path, strerror(errno));
			return (-1);
		}
		path[i] = i < len ? '/' : '\0';
	}
	if (lstat(dir, &st) != 0) {
		(void)snprintf(
		    err, errcap, "cannot examine %s: %s", dir, strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(st.st_mode)) {
		(void)snprintf(err, errcap, "%s is not a directory", dir);
		return (-1);
	}
	if (st.st_uid != geteuid()) {
		(void)snprintf(err, errcap, "%s belongs to another user", dir);
		return (-1);
	}
	if ((st.st_mode & 077) != 0) {
		(void)snprintf(err, errcap,
		    "%s is open to other users (mode "
		    "%03o); run: chmod 700 %s",
		    dir, (unsigned int)(st.st_mode & 0777), dir);
		return (-1);
	}
	return (0);
}

/**
 * home_data_free(data):
 * Wipe and free a buffer from home_read_file().  ${data} may be NULL.
 */
void
home_data_free(char *data)
{

	sodium_free(data);
}

/*
 * Read ${dir}/${name} (a regular file owned by this user, closed to
 * others, at most ${max} bytes) into a new NUL-terminated buffer: guarded
 * (sodium_malloc) if ${guarded}, else from malloc().  Return 0, 1 if the
 * file does not exist, or -1 with a message in ${err}.
 */
static int
read_private(const char *dir, const char *name, size_t max, int guarded,
    char **data, size_t *len, char *err, size_t errcap)
{
	char path[HOME_PATH_MAX];
	struct stat st;
	size_t size, got = 0;
	ssize_t r;
	char *buf;
	int fd;

	*data = NULL;
	*len = 0;
	if (join(path, dir, name, err, errcap) != 0)
		goto err0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return (1);
		(void)snprintf(
		    err, errcap, "cannot open %s: %s", path, strerror(errno));
		goto err0;
	}
	if (fstat(fd, &st) != 0) {
		(void)snprintf(err, errcap, "cannot examine %s: %s", path,
		    strerror(errno));
		goto err1;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		(void)snprintf(err, errcap,
		    "%s is not a private file of this "
		    "user (want mode 0600)",
		    path);
		goto err1;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > max) {
		(void)snprintf(err, errcap, "%s is too large", path);
		goto err1;
	}
	size = (size_t)st.st_size;
	buf = guarded ? sodium_malloc(size + 1) : malloc(size + 1);
	if (buf == NULL) {
		(void)snprintf(err, errcap, "out of memory");
		goto err1;
	}
	while (got < size) {
		r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			(void)snprintf(err, errcap, "cannot read %s: %s", path,
			    r < 0 ? strerror(errno) : "file shrank");
			goto err2;
		}
		got += (size_t)r;
	}
	buf[size] = '\0';
	(void)close(fd);
	*data = buf;
	*len = size;
	return (0);

err2:
	if (guarded)
		sodium_free(buf);
	else
		free(buf);
err1:
	(void)close(fd);
err0:
	return (-1);
}

/**
 * home_read_file(dir, name, data, len, err, errcap):
 * Read ${dir}/${name} (a regular file owned by this user, closed to others,
 * at most HOME_FILE_MAX bytes) into a new NUL-terminated guarded buffer
 * ${data} (free it with home_data_free()) of ${len} bytes.  Return 0, 1 if
 * the file does not exist, or -1 with a message in ${err}.
 */
int
home_read_file(const char *dir, const char *name, char **data, size_t *len,
    char *err, size_t errcap)
{

	return (
	    read_private(dir, name, HOME_FILE_MAX, 1, data, len, err, errcap));
}

/* Write all ${len} bytes of ${data} to ${fd}; return 0 or -1 (errno). */
static int
write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;
	ssize_t r;

	while (len > 0) {
		r = write(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return (-1);
		}
		p += r;
		len -= (size_t)r;
	}
	return (0);
}

/* Sync the directory ${dir} so a rename or unlink in it is durable. */
static int
sync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return (-1);
	rc = fsync(fd);
	(void)close(fd);
	return (rc);
}

/**
 * home_write_file(dir, name, data, len, err, errcap):
 * Replace ${dir}/${name} atomically with the ${len} bytes of ${data}, mode
 * 0600.  Return 0, or -1 with a message in ${err} (the old file is then
 * unchanged).
 */
int
home_write_file(const char *dir, const char *name, const char *data, size_t len,
    char *err, size_t errcap)
{
	char path[HOME_PATH_MAX], tmpname[128], tmp[HOME_PATH_MAX];
	int fd;

	if (join(path, dir, name, err, errcap) != 0)
		goto err0;
	(void)snprintf(tmpname, sizeof(tmpname), ".%s.%ld.%08x.tmp", name,
	    (long)getpid(), (unsigned int)randombytes_random());
	if (join(tmp, dir, tmpname, err, errcap) != 0)
		goto err0;
	if ((fd = open(tmp,
		 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) ==
	    -1) {
		(void)snprintf(
		    err, errcap, "cannot create %s: %s", tmp, strerror(errno));
		goto err0;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		(void)snprintf(
		    err, errcap, "cannot write %s: %s", tmp, strerror(errno));
		goto err1;
	}
	if (close(fd) != 0) {
		fd = -1;
		(void)snprintf(
		    err, errcap, "cannot write %s: %s", tmp, strerror(errno));
		goto err1;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		(void)snprintf(err, errcap, "cannot replace %s: %s", path,
		    strerror(errno));
		goto err1;
	}
	if (sync_dir(dir) != 0) {
		(void)snprintf(
		    err, errcap, "cannot sync %s: %s", dir, strerror(errno));
		goto err0;
	}
	return (0);

err1:
	if (fd != -1)
		(void)close(fd);
	(void)unlink(tmp);
err0:
	return (-1);
}

/* Overwrite the first ${size} bytes of ${fd} with zeros and sync. */
static int
wipe_fd(int fd, size_t size)
{
	static const uint8_t zeros[WIPE_CHUNK];
	size_t n;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return (-1);
	while (size > 0) {
		n = size < sizeof(zeros) ? size : sizeof(zeros);
		if (write_all(fd, zeros, n) != 0)
			return (-1);
		size -= n;
	}
	return (fsync(fd));
}

/**
 * home_remove_file(dir, name, err, errcap):
 * Overwrite ${dir}/${name} with zeros, sync it and unlink it.  Return 0,
 * 1 if it did not exist, or -1 with a message in ${err}.
 */
int
home_remove_file(const char *dir, const char *name, char *err, size_t errcap)
{
	char path[HOME_PATH_MAX];
	struct stat st;
	int fd;

	if (join(path, dir, name, err, errcap) != 0)
		return (-1);
	if ((fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return (1);
		(void)snprintf(
		    err, errcap, "cannot open %s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    wipe_fd(fd, (size_t)st.st_size) != 0) {
		(void)snprintf(err, errcap, "cannot overwrite %s: %s", path,
		    strerror(errno));
		(void)close(fd);
		return (-1);
	}
	(void)close(fd);
	if (unlink(path) != 0) {
		(void)snprintf(
		    err, errcap, "cannot remove %s: %s", path, strerror(errno));
		return (-1);
	}
	(void)sync_dir(dir);
	return (0);
}

/**
 * home_secret_file_open(path, err, errcap):
 * Create ${path}, which must not exist yet, with mode 0600 for a secret
 * (a recovery or enrollment code) and return its descriptor, or -1 with a
 * message in ${err}.
 */
int
home_secret_file_open(const char *path, char *err, size_t errcap)
{
	int fd;

	if ((fd = open(path,
		 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) ==
	    -1) {
		(void)snprintf(err, errcap, "cannot create %s: %s%s", path,
		    strerror(errno),
		    errno == EEXIST ? " (it is never overwritten)" : "");
		return (-1);
	}
	return (fd);
}

/**
 * home_secret_file_finish(fd, path, data, len, err, errcap):
 * Write the ${len} bytes of ${data} to ${fd} (from home_secret_file_open()
 * of ${path}), sync and close it.  Return 0, or -1 with a message in
 * ${err} (${fd} is closed either way).
 */
int
home_secret_file_finish(int fd, const char *path, const char *data, size_t len,
    char *err, size_t errcap)
{

	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		(void)snprintf(
		    err, errcap, "cannot write %s: %s", path, strerror(errno));
		(void)close(fd);
		return (-1);
	}
	if (close(fd) != 0) {
		(void)snprintf(
		    err, errcap, "cannot write %s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}

/**
 * home_secret_file_abandon(fd, path):
 * Close ${fd} and remove ${path}, a file made by home_secret_file_open()
 * that will not be used.  Does nothing if ${fd} is -1.
 */
void
home_secret_file_abandon(int fd, const char *path)
{

	if (fd == -1)
		return;
	(void)close(fd);
	(void)unlink(path);
}

/* Parse the ${len} bytes of ${data} as a JSON object, or NULL. */
static json_t *
parse_object(
    const char *data, size_t len, const char *what, char *err, size_t errcap)
{
	json_error_t e;
	json_t *obj;

	obj = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
	if (obj == NULL || !json_is_object(obj)) {
		(void)snprintf(err, errcap, "%s is not a JSON object%s%s", what,
		    obj == NULL ? ": " : "", obj == NULL ? e.text : "");
		json_decref(obj);
		return (NULL);
	}
	return (obj);
}

/* Write ${obj} to ${dir}/${name} atomically. */
static int
save_object(const char *dir, const char *name, const json_t *obj, size_t flags,
    char *err, size_t errcap)
{
	char *text;
	size_t len;
	int rc;

	if ((text = json_dumps(obj, flags)) == NULL) {
		(void)snprintf(err, errcap, "out of memory");
		return (-1);
	}
	len = strlen(text);
	rc = home_write_file(dir, name, text, len, err, errcap);
	jsonmem_free_text(text);
	return (rc);
}

/**
 * home_config_load(dir, err, errcap):
 * Return the parsed ${dir}/config.json (an empty object if it does not
 * exist), or NULL with a message in ${err} if it cannot be read or is not
 * a JSON object.
 */
json_t *
home_config_load(const char *dir, char *err, size_t errcap)
{
	json_t *obj;
	char *data;
	size_t len;
	int rc;

	rc = home_read_file(dir, HOME_CONFIG_FILE, &data, &len, err, errcap);
	if (rc == 1)
		return (json_object());
	if (rc != 0)
		return (NULL);
	obj = parse_object(data, len, HOME_CONFIG_FILE, err, errcap);
	home_data_free(data);
	return (obj);
}

/**
 * home_config_save(dir, config, err, errcap):
 * Write ${config} to ${dir}/config.json atomically.  Return 0, or -1 with a
 * message in ${err}.
 */
int
home_config_save(
    const char *dir, const json_t *config, char *err, size_t errcap)
{

	return (save_object(dir, HOME_CONFIG_FILE, config,
	    JSON_INDENT(2) | JSON_SORT_KEYS, err, errcap));
}

/**
 * home_session_new():
 * Return a zeroed, guarded struct home_session, or NULL if out of memory.
 */
struct home_session *
home_session_new(void)
{
	struct home_session *s;

	if ((s = sodium_malloc(sizeof(*s))) == NULL)
		return (NULL);
	sodium_memzero(s, sizeof(*s));
	return (s);
}

/**
 * home_session_free(s):
 * Wipe and free ${s}.  ${s} may be NULL.
 */
void
home_session_free(struct home_session *s)
{

	sodium_free(s);
}

/* Copy the string ${key} of ${obj} into ${out} (1..cap-1 bytes). */
static int
get_string(const json_t *obj, const char *key, char *out, size_t cap)
{
	const char *v;
	size_t len;

	if ((v = json_string_value(json_object_get(obj, key))) == NULL)
		return (-1);
	len = strlen(v);
	if (len == 0 || len >= cap)
		return (-1);
	memcpy(out, v, len + 1);
	return (0);
}

/**
 * home_session_load(dir, s, err, errcap):
 * Read ${dir}/session.json into ${s}.  Return 0, 1 if there is no session
 * file, or -1 with a message in ${err} if it cannot be read or is malformed
 * (${s} is then wiped).
 */
int
home_session_load(
    const char *dir, struct home_session *s, char *err, size_t errcap)
{
	json_t *obj, *exp;
	char *data;
	size_t len;
	int rc;

	rc = home_read_file(dir, HOME_SESSION_FILE, &data, &len, err, errcap);
	if (rc != 0)
		return (rc);
	obj = parse_object(data, len, HOME_SESSION_FILE, err, errcap);
	home_data_free(data);
	if (obj == NULL)
		goto err0;
	exp = json_object_get(obj, "expires_at");
	if (get_string(obj, "server", s->server, sizeof(s->server)) != 0 ||
	    get_string(obj, "token", s->token, sizeof(s->token)) != 0 ||
	    get_string(obj, "member_id", s->member_id, sizeof(s->member_id)) !=
		0 ||
	    !directory_member_id_valid(s->member_id) ||
	    get_string(obj, "handle", s->handle, sizeof(s->handle)) != 0 ||
	    !json_is_integer(exp) ||
	    json_string_value(json_object_get(obj, "seed")) == NULL ||
	    b64_decode_exact(s->seed, sizeof(s->seed),
		json_string_value(json_object_get(obj, "seed"))) != 0) {
		(void)snprintf(err, errcap,
		    "%s is malformed; run dissent "
		    "logout and log in again",
		    HOME_SESSION_FILE);
		json_decref(obj);
		goto err0;
	}
	s->expires_at = (int64_t)json_integer_value(exp);
	json_decref(obj);
	return (0);

err0:
	sodium_memzero(s, sizeof(*s));
	return (-1);
}

/**
 * home_session_save(dir, s, err, errcap):
 * Write ${s} to ${dir}/session.json atomically, mode 0600.  Return 0, or
 * -1 with a message in ${err}.
 */
int
home_session_save(
    const char *dir, const struct home_session *s, char *err, size_t errcap)
{
	char seed[B64_ENCODED_LEN(KEYS_SEED_BYTES)];
	json_t *obj;
	int rc;

	if (b64_encode(seed, sizeof(seed), s->seed, sizeof(s->seed)) != 0) {
		(void)snprintf(err, errcap, "cannot encode the seed");
		return (-1);
	}
	obj = json_pack("{s:s,s:s,s:I,s:s,s:s,s:s}", "server", s->server,
	    "token", s->token, "expires_at", (json_int_t)s->expires_at,
	    "member_id", s->member_id, "handle", s->handle, "seed", seed);
	sodium_memzero(seed, sizeof(seed));
	if (obj == NULL) {
		(void)snprintf(err, errcap, "out of memory");
		return (-1);
	}
	rc = save_object(dir, HOME_SESSION_FILE, obj,
	    JSON_COMPACT | JSON_SORT_KEYS, err, errcap);
	json_decref(obj);
	return (rc);
}

/*
 * Read the records file ${dir}/${name} (at most ${max} bytes) as a JSON
 * object: an empty one if it does not exist.  Return it, or NULL with a
 * message in ${err}.
 */
static json_t *
records_load(
    const char *dir, const char *name, size_t max, char *err, size_t errcap)
{
	json_t *obj;
	char *data;
	size_t len;
	int rc;

	/* Not secret (tree heads, the public directory): plain memory. */
	rc = read_private(dir, name, max, 0, &data, &len, err, errcap);
	if (rc == 1)
		return (json_object());
	if (rc != 0)
		return (NULL);
	obj = parse_object(data, len, name, err, errcap);
	free(data);
	return (obj);
}

/**
 * home_record_load(dir, name, max, key, rec, err, errcap):
 * Read ${dir}/${name}, a JSON object of records (JSON objects) keyed by
 * ${key} (a server URL), from a private file of at most ${max} bytes, and
 * store a new reference to ${key}'s record in ${rec}.  Return 0, 1 if the
 * file or the record does not exist (${rec} is then NULL), or -1 with a
 * message in ${err}.
 */
int
home_record_load(const char *dir, const char *name, size_t max, const char *key,
    json_t **rec, char *err, size_t errcap)
{
	json_t *all, *r;

	*rec = NULL;
	if ((all = records_load(dir, name, max, err, errcap)) == NULL)
		return (-1);
	if ((r = json_object_get(all, key)) == NULL) {
		json_decref(all);
		return (1);
	}
	if (!json_is_object(r)) {
		(void)snprintf(err, errcap,
		    "%s: the record of %.200s is not "
		    "a JSON object",
		    name, key);
		json_decref(all);
		return (-1);
	}
	*rec = json_incref(r);
	json_decref(all);
	return (0);
}

/**
 * home_record_save(dir, name, max, key, rec, err, errcap):
 * Set ${key}'s record in ${dir}/${name} (read as by home_record_load()) to
 * ${rec}, keeping the other records, and replace the file atomically, mode
 * 0600.  Return 0, or -1 with a message in ${err}.
 */
int
home_record_save(const char *dir, const char *name, size_t max, const char *key,
    const json_t *rec, char *err, size_t errcap)
{
	json_t *all;
	int rc;

	if ((all = records_load(dir, name, max, err, errcap)) == NULL)
		return (-1);
	/* json_object_set() takes its own reference. */
	if (json_object_set(all, key, (json_t *)(uintptr_t)rec) != 0) {
		(void)snprintf(err, errcap, "out of memory");
		json_decref(all);
		return (-1);
	}
	rc = save_object(
	    dir, name, all, JSON_COMPACT | JSON_SORT_KEYS, err, errcap);
	json_decref(all);
	return (rc);
}

/**
 * home_path_split(path, dir, name, err, errcap):
 * Split the file path ${path} into its directory (written to ${dir}, of
 * HOME_PATH_MAX bytes: "." if there is none) and its last component
 * (written to ${name}, of HOME_PATH_MAX bytes).  Return 0, or -1 with a
 * message in ${err} if ${path} is empty, ends with '/' or is too long.
 */
int
home_path_split(
    const char *path, char *dir, char *name, char *err, size_t errcap)
{
	const char *slash;
	size_t len = strlen(path), dlen;

	if (len == 0 || len >= HOME_PATH_MAX || path[len - 1] == '/') {
		(void)snprintf(
		    err, errcap, "\"%.64s\" is not a file path", path);
		return (-1);
	}
	if ((slash = strrchr(path, '/')) == NULL) {
		memcpy(dir, ".", 2);
		memcpy(name, path, len + 1);
		return (0);
	}
	/* "/file" lives in "/". */
	dlen = slash == path ? 1 : (size_t)(slash - path);
	memcpy(dir, path, dlen);
	dir[dlen] = '\0';
	memcpy(name, slash + 1, strlen(slash + 1) + 1);
	return (0);
}
