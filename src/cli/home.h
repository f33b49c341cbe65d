#ifndef HOME_H_
#define HOME_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "directory.h"
#include "keys.h"

/*
 * The client's state directory (--home, else $DISSENT_HOME, else
 * $XDG_CONFIG_HOME/dissent, else ~/.config/dissent), mode 0700, holding:
 *   config.json   the default server and, per server, the pinned signing
 *                 key (trust on first use);
 *   session.json  the current session: server, token, expiry, member id,
 *                 handle and the member's unwrapped seed.  Mode 0600;
 *                 overwritten with zeros and unlinked at logout.
 *   log-heads.json  per server, the last signed tree head of its channel
 *                 log that the client verified (cmd_log.c);
 *   audit.json    per server, the state of the last `dissent audit`.
 * Files are replaced atomically (temporary file created with O_EXCL 0600,
 * fsync, rename, fsync of the directory), and refused when they or the
 * directory are open to other users.
 */

#define HOME_PATH_MAX 4096
#define HOME_URL_MAX 1024
#define HOME_TOKEN_MAX 128
/* Largest state file read. */
#define HOME_FILE_MAX (1024 * 1024)

#define HOME_CONFIG_FILE "config.json"
#define HOME_SESSION_FILE "session.json"
#define HOME_LOG_HEADS_FILE "log-heads.json"
#define HOME_AUDIT_FILE "audit.json"
/*
 * Largest audit state read: it holds the rebuilt directory (about 100
 * bytes a member), so it may be far larger than the other files.
 */
#define HOME_AUDIT_FILE_MAX ((size_t)256 * 1024 * 1024)

/* The session kept between commands; from home_session_new(). */
struct home_session {
	char server[HOME_URL_MAX];
	char token[HOME_TOKEN_MAX + 1];
	int64_t expires_at;
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1];
	char handle[DIRECTORY_HANDLE_MAX + 1];
	uint8_t seed[KEYS_SEED_BYTES];
};

/**
 * home_resolve(out, cap, flag, err, errcap):
 * Write the state directory's path into ${out}: ${flag} if not NULL, else
 * $DISSENT_HOME, else $XDG_CONFIG_HOME/dissent, else $HOME/.config/dissent
 * (empty variables count as unset).  Return 0, or -1 with a message in
 * ${err} if none applies or the path is too long.
 */
int home_resolve(char *out, size_t cap, const char *flag, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * home_prepare(dir, err, errcap):
 * Create ${dir} (and missing parents) with mode 0700 if needed, then check
 * that it is a directory owned by this user and closed to others.  Return
 * 0, or -1 with a message in ${err}.
 */
int home_prepare(const char *dir, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * home_read_file(dir, name, data, len, err, errcap):
 * Read ${dir}/${name} (a regular file owned by this user, closed to others,
 * at most HOME_FILE_MAX bytes) into a new NUL-terminated guarded buffer
 * ${data} (free it with home_data_free()) of ${len} bytes.  Return 0, 1 if
 * the file does not exist, or -1 with a message in ${err}.
 */
int home_read_file(const char *dir, const char *name, char **data, size_t *len,
    char *err, size_t errcap) __attribute__((warn_unused_result));

/**
 * home_data_free(data):
 * Wipe and free a buffer from home_read_file().  ${data} may be NULL.
 */
void home_data_free(char *data);

/**
 * home_write_file(dir, name, data, len, err, errcap):
 * Replace ${dir}/${name} atomically with the ${len} bytes of ${data}, mode
 * 0600.  Return 0, or -1 with a message in ${err} (the old file is then
 * unchanged).
 */
int home_write_file(const char *dir, const char *name, const char *data,
    size_t len, char *err, size_t errcap) __attribute__((warn_unused_result));

/**
 * home_remove_file(dir, name, err, errcap):
 * Overwrite ${dir}/${name} with zeros, sync it and unlink it.  Return 0,
 * 1 if it did not exist, or -1 with a message in ${err}.
 */
int home_remove_file(const char *dir, const char *name, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * home_secret_file_open(path, err, errcap):
 * Create ${path}, which must not exist yet, with mode 0600 for a secret
 * (a recovery or enrollment code) and return its descriptor, or -1 with a
 * message in ${err}.
 */
int home_secret_file_open(const char *path, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * home_secret_file_finish(fd, path, data, len, err, errcap):
 * Write the ${len} bytes of ${data} to ${fd} (from home_secret_file_open()
 * of ${path}), sync and close it.  Return 0, or -1 with a message in
 * ${err} (${fd} is closed either way).
 */
int home_secret_file_finish(int fd, const char *path, const char *data,
    size_t len, char *err, size_t errcap) __attribute__((warn_unused_result));

/**
 * home_secret_file_abandon(fd, path):
 * Close ${fd} and remove ${path}, a file made by home_secret_file_open()
 * that will not be used.  Does nothing if ${fd} is -1.
 */
void home_secret_file_abandon(int fd, const char *path);

/**
 * home_config_load(dir, err, errcap):
 * Return the parsed ${dir}/config.json (an empty object if it does not
 * exist), or NULL with a message in ${err} if it cannot be read or is not
 * a JSON object.
 */
json_t *home_config_load(const char *dir, char *err, size_t errcap);

/**
 * home_config_save(dir, config, err, errcap):
 * Write ${config} to ${dir}/config.json atomically.  Return 0, or -1 with a
 * message in ${err}.
 */
int home_config_save(const char *dir, const json_t *config, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * home_session_new():
 * Return a zeroed, guarded struct home_session, or NULL if out of memory.
 */
struct home_session *home_session_new(void);

/**
 * home_session_free(s):
 * Wipe and free ${s}.  ${s} may be NULL.
 */
void home_session_free(struct home_session *s);

/**
 * home_session_load(dir, s, err, errcap):
 * Read ${dir}/session.json into ${s}.  Return 0, 1 if there is no session
 * file, or -1 with a message in ${err} if it cannot be read or is malformed
 * (${s} is then wiped).
 */
int home_session_load(const char *dir, struct home_session *s, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * home_session_save(dir, s, err, errcap):
 * Write ${s} to ${dir}/session.json atomically, mode 0600.  Return 0, or
 * -1 with a message in ${err}.
 */
int home_session_save(const char *dir, const struct home_session *s, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * home_record_load(dir, name, max, key, rec, err, errcap):
 * Read ${dir}/${name}, a JSON object of records (JSON objects) keyed by
 * ${key} (a server URL), from a private file of at most ${max} bytes, and
 * store a new reference to ${key}'s record in ${rec}.  Return 0, 1 if the
 * file or the record does not exist (${rec} is then NULL), or -1 with a
 * message in ${err}.
 */
int home_record_load(const char *dir, const char *name, size_t max,
    const char *key, json_t **rec, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * home_record_save(dir, name, max, key, rec, err, errcap):
 * Set ${key}'s record in ${dir}/${name} (read as by home_record_load()) to
 * ${rec}, keeping the other records, and replace the file atomically, mode
 * 0600.  Return 0, or -1 with a message in ${err}.
 */
int home_record_save(const char *dir, const char *name, size_t max,
    const char *key, const json_t *rec, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * home_path_split(path, dir, name, err, errcap):
 * Split the file path ${path} into its directory (written to ${dir}, of
 * HOME_PATH_MAX bytes: "." if there is none) and its last component
 * (written to ${name}, of HOME_PATH_MAX bytes).  Return 0, or -1 with a
 * message in ${err} if ${path} is empty, ends with '/' or is too long.
 */
int home_path_split(const char *path, char *dir, char *name, char *err,
    size_t errcap) __attribute__((warn_unused_result));

#endif /* !HOME_H_ */
