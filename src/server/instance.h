#ifndef INSTANCE_H_
#define INSTANCE_H_

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "b64.h"
#include "chanlog.h"
#include "directory.h"
#include "store.h"

/*
 * A dissent instance's data directory (docs/OPERATIONS.md, "Data
 * directory"):
 *   dissent.db      the SQLite store;
 *   server.key      32-byte Ed25519 seed (0600) for the server's signatures;
 *   server.secret   32 random bytes (0600): decoy salts, TOTP secrets;
 *   dissentd.conf   optional configuration.
 * instance_init() creates one (`dissentd init`); instance_open() loads it.
 * The channel log lives in the store; its tree heads are signed with the
 * server key.
 */

#define INSTANCE_DB_FILE "dissent.db"
#define INSTANCE_KEY_FILE "server.key"
#define INSTANCE_SECRET_FILE "server.secret"
#define INSTANCE_CONF_FILE "dissentd.conf"

/* Instance ids: 16 random bytes in lowercase hex. */
#define INSTANCE_ID_LEN 32
#define INSTANCE_NAME_MAX 128
#define INSTANCE_SIGN_SEED_BYTES 32
#define INSTANCE_SIGN_PK_BYTES 32

struct instance {
	struct store *store;
	struct chanlog *log; /* the channel log, signing with server.key */
	char id[INSTANCE_ID_LEN + 1];
	char name[INSTANCE_NAME_MAX + 1];
	char channel_org[DIRECTORY_ORG_ID_MAX + 1];
	int64_t created_at;
	uint8_t secret[ACCOUNT_SERVER_SECRET_BYTES];
	uint8_t sign_pk[INSTANCE_SIGN_PK_BYTES];
	char sign_pk_b64[B64_ENCODED_LEN(INSTANCE_SIGN_PK_BYTES)];
	int schema;
};

struct instance_init_args {
	const char *data_dir;
	const char *channel_org; /* organisation id */
	const char *channel_org_name;
	const char *admin_handle;
	const char *admin_name;
	const char *instance_name; /* NULL: the channel org's name */
	const char *code_file;     /* NULL: the caller prints the code */
	int64_t enrollment_ttl;
};

/**
 * instance_init(a, now, code, expires_at, err, errcap):
 * Create a new instance in ${a}->data_dir at time ${now}: the directory
 * (0700), the store with the instance's settings, the channel organisation
 * and the pending admin (both logged in the channel log), the server key
 * and secret (0600).  The admin's
 * enrollment code is written to ${a}->code_file (created 0600, must not
 * exist) if given, and in every case stored in ${code} with its expiry in
 * ${expires_at}.  Refuse a directory that already holds an instance.  On
 * failure nothing created is left behind.  Return 0, or -1 with a message
 * in ${err}.
 */
int instance_init(const struct instance_init_args *a, int64_t now,
    char code[ACCOUNT_CODE_LEN + 1], int64_t *expires_at, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * instance_open(inst, data_dir, now, err, errcap):
 * Open the instance in ${data_dir} at time ${now}: the store (applying
 * migrations), the server secret and key (checked against the recorded
 * public key), the settings and the channel log (checked against its latest
 * signed head; a database from before the log gets the events of its
 * current directory).  Return 0 and the instance in ${inst}, or -1 with a
 * message in ${err}.
 */
int instance_open(struct instance **inst, const char *data_dir, int64_t now,
    char *err, size_t errcap) __attribute__((warn_unused_result));

/**
 * instance_free(inst):
 * Close the log and the store, wipe the secret and free ${inst}.  NULL is
 * a no-op.
 */
void instance_free(struct instance *inst);

#endif /* !INSTANCE_H_ */
