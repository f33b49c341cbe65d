#ifndef CLI_H_
#define CLI_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "args.h"
#include "exitcode.h"
#include "home.h"
#include "httpc.h"
#include "keys.h"
#include "output.h"
#include "treehead.h"

/*
 * The front end shared by every command: `dissent <noun> <verb>` dispatch,
 * global options (--server, --home, --ca-file, --json, --help,
 * --version, accepted before or after the noun and verb), help texts,
 * the connection to the server with its pinned key, the session, and
 * error reporting that maps every failure to an exit code (exitcode.h).
 *
 * Functions returning "CLI_PROCEED or an exit code" have reported any
 * error already; the caller returns the code as it is.
 */

/* Returned to say "go on"; never an exit code. */
#define CLI_PROCEED (-1)

/* Flags of cli_connect(). */
#define CLI_SESSION 0x1 /* the command needs a logged-in session */

/* Longest instance name kept. */
#define CLI_INSTANCE_NAME_MAX 256
#define CLI_INSTANCE_ID_MAX 64

struct cli;

/* One command: a verb of a noun, or a noun that is a command by itself. */
struct cli_command {
	const char *verb; /* NULL if the noun is the whole command */
	int (*run)(struct cli *c, int argc, char **argv);
	const char *synopsis; /* arguments, after "dissent NOUN VERB" */
	const char *summary;  /* one line */
	const char *options;  /* option help, one per line, or NULL */
};

struct cli_noun {
	const char *name;
	const char *summary;
	const struct cli_command *commands;
	size_t ncommands;
};

/* What GET /api/v1/instance said. */
struct cli_instance {
	char id[CLI_INSTANCE_ID_MAX];
	char name[CLI_INSTANCE_NAME_MAX];
	char sign_pk_b64[64];
	uint8_t sign_pk[KEYS_SIGN_PK_BYTES];
	char fingerprint[KEYS_FINGERPRINT_LEN];
	uint64_t kdf_min_ops;
	uint64_t kdf_min_mem;
	json_t *raw;
};

struct cli {
	struct output out;

	/* Global options. */
	const char *server_flag;
	const char *home_flag;
	const char *ca_file_flag;
	int json;
	int insecure_http; /* --insecure-http: allow http:// to any host */

	/* The command being run. */
	const struct cli_noun *noun;
	const struct cli_command *cmd;

	/* State, set up on demand. */
	char home[HOME_PATH_MAX];
	json_t *config;
	char server[HTTPC_URL_MAX];
	/* The CA file in use (absolute if from --ca-file), if has_ca. */
	char ca_file[HOME_PATH_MAX];
	int has_ca;
	struct httpc *http;
	int have_instance;
	struct cli_instance inst;
	struct home_session *session;

	/*
	 * The channel log (cmd_log.c): the tree head verified in this run,
	 * and the one recorded for this server before it, if any.
	 */
	int log_checked;
	struct treehead log_head;
	int log_had_prev;
	struct treehead log_prev;
	int64_t log_prev_seen;
};

/**
 * cli_run(argc, argv, out, err):
 * Run the command line ${argv} (as given to main()), writing results to
 * ${out} and errors and notices to ${err}, and return the exit code.
 */
int cli_run(int argc, char **argv, FILE *out, FILE *err);

/**
 * cli_args(c, argc, argv, spec, nspec, pos, posmin, posmax, npos):
 * Parse a command's arguments: the ${nspec} flags of ${spec} plus the
 * global ones, and ${posmin}..${posmax} positional arguments into ${pos}
 * (count in ${npos}).  Return CLI_PROCEED, 0 after printing the command's
 * help, or CLI_EXIT_USAGE after reporting a usage error.
 */
int cli_args(struct cli *c, int argc, char **argv, const struct args_spec *spec,
    size_t nspec, const char **pos, size_t posmin, size_t posmax, size_t *npos)
    __attribute__((warn_unused_result));

/**
 * cli_usage(c, fmt, ...):
 * Report a usage error for the current command, with a pointer to its
 * help, and return CLI_EXIT_USAGE.
 */
int cli_usage(struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * cli_fail(c, status, code, fmt, ...):
 * Report an error with the machine-readable ${code} and return ${status}.
 */
int cli_fail(struct cli *c, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/**
 * cli_home(c):
 * Resolve and prepare the state directory and load config.json (once).
 * Return CLI_PROCEED or an exit code.
 */
int cli_home(struct cli *c) __attribute__((warn_unused_result));

/**
 * cli_save_config(c):
 * Write ${c}'s config back to config.json.  Return CLI_PROCEED or an exit
 * code.
 */
int cli_save_config(struct cli *c) __attribute__((warn_unused_result));

/**
 * cli_open(c, url):
 * Prepare an HTTP client for ${url} (NULL: --server, else the configured
 * default server), trusting --ca-file, else the CA file pinned for that
 * server.  Return CLI_PROCEED or an exit code.
 */
int cli_open(struct cli *c, const char *url)
    __attribute__((warn_unused_result));

/**
 * cli_fetch_instance(c):
 * GET /api/v1/instance from the opened server into ${c}->inst.  Return
 * CLI_PROCEED or an exit code.
 */
int cli_fetch_instance(struct cli *c) __attribute__((warn_unused_result));

/**
 * cli_connect(c, flags):
 * Open the server, fetch its identity and check its key against the pin
 * (pinning it on first use; a changed key is CLI_EXIT_INTEGRITY).  With
 * CLI_SESSION also load the session for this server (CLI_EXIT_AUTH if
 * there is none or it has expired) and check the server's signed tree head
 * against the one recorded before (cmd_log_check_head()).  Return
 * CLI_PROCEED or an exit code.
 */
int cli_connect(struct cli *c, int flags) __attribute__((warn_unused_result));

/**
 * cli_request(c, method, path, body, r):
 * Send a request to the connected server.  Return CLI_PROCEED when an
 * answer arrived (whatever its status; see ${r}), else report the failure
 * and return its exit code.
 */
int cli_request(struct cli *c, const char *method, const char *path,
    const json_t *body, struct httpc_response *r)
    __attribute__((warn_unused_result));

/**
 * cli_http_error(c, r):
 * Report the error answer ${r} and return its exit code.  A 401
 * "unauthenticated" also removes the local session, which is dead.
 */
int cli_http_error(struct cli *c, const struct httpc_response *r);

/**
 * cli_call(c, method, path, body, want, out):
 * Send a request and expect the status ${want}: return CLI_PROCEED with
 * the body in ${out} (NULL for 204; the caller owns it), or report the
 * error and return its exit code.
 */
int cli_call(struct cli *c, const char *method, const char *path,
    const json_t *body, long want, json_t **out)
    __attribute__((warn_unused_result));

/**
 * cli_session_drop(c):
 * Wipe and remove the local session file.  Return CLI_PROCEED or an exit
 * code.
 */
int cli_session_drop(struct cli *c);

/**
 * cli_emit(c, obj):
 * In JSON mode print ${obj} as the command's result.  Return
 * CLI_EXIT_OK, or CLI_EXIT_ERROR if stdout cannot be written.
 */
int cli_emit(struct cli *c, const json_t *obj);

/**
 * cli_member_ref(c, ref):
 * Check that ${ref} is a member id or a handle (so it is safe in a URL
 * path).  Return CLI_PROCEED or a usage error.
 */
int cli_member_ref(struct cli *c, const char *ref)
    __attribute__((warn_unused_result));

/**
 * cli_read_secret(c, fd, prompt, fdflag, buf, len):
 * Read a secret into ${buf} (from secret_input_alloc()) from ${fd} or the
 * terminal.  Return CLI_PROCEED or a usage error.
 */
int cli_read_secret(struct cli *c, int fd, const char *prompt,
    const char *fdflag, char *buf, size_t *len)
    __attribute__((warn_unused_result));

/**
 * cli_read_new_password(c, fd, prompt, buf, len):
 * Read a new password (twice on a terminal, at least
 * SECRET_INPUT_PASSWORD_MIN characters).  Return CLI_PROCEED or a usage
 * error.
 */
int cli_read_new_password(struct cli *c, int fd, const char *prompt, char *buf,
    size_t *len) __attribute__((warn_unused_result));

/**
 * cli_kdf_cost(c, ops, mem, ops_given, mem_given):
 * Choose the Argon2id cost for new custody: --kdf-ops/--kdf-mem when given
 * (they must meet the server's kdf_min), else the client default raised to
 * the server's kdf_min.  Needs cli_connect() first.  Return CLI_PROCEED or
 * a usage error.
 */
int cli_kdf_cost(struct cli *c, uint64_t *ops, uint64_t *mem, int ops_given,
    int mem_given) __attribute__((warn_unused_result));

/**
 * cli_secret_file_open(c, path, fd):
 * If ${path} is not NULL create it now (O_EXCL, 0600) for a secret written
 * later, storing the descriptor in ${fd}; else set ${fd} to -1.  Return
 * CLI_PROCEED or a usage error (e.g. the file exists).
 */
int cli_secret_file_open(struct cli *c, const char *path, int *fd)
    __attribute__((warn_unused_result));

/**
 * cli_secret_file_write(c, path, fd, secret):
 * Write ${secret} and a newline to ${fd} (from cli_secret_file_open() of
 * ${path}), sync and close it.  Return CLI_PROCEED or an exit code (the
 * file is then removed).
 */
int cli_secret_file_write(struct cli *c, const char *path, int fd,
    const char *secret) __attribute__((warn_unused_result));

/**
 * cli_free(c):
 * Release everything ${c} holds, wiping the session.
 */
void cli_free(struct cli *c);

#endif /* !CLI_H_ */
