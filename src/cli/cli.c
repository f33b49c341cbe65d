#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "args.h"
#include "b64.h"
#include "cli.h"
#include "cmd_auth.h"
#include "cmd_channel.h"
#include "cmd_complaint.h"
#include "cmd_enroll.h"
#include "cmd_key.h"
#include "cmd_log.h"
#include "cmd_meeting.h"
#include "cmd_member.h"
#include "cmd_memo.h"
#include "cmd_org.h"
#include "cmd_receipt.h"
#include "cmd_server.h"
#include "cmd_stats.h"
#include "custody.h"
#include "directory.h"
#include "exitcode.h"
#include "home.h"
#include "httpc.h"
#include "output.h"
#include "secret_input.h"
#include "serverpin.h"
#include "wire.h"

/* Room for a message built here. */
#define MSG_MAX 512

/* Width help text keeps within. */
#define HELP_WIDTH 79

/* Every noun, in the order `dissent --help` lists them. */
static const struct cli_noun *const nouns[] = {
    &cmd_server_noun,
    &cmd_enroll_noun,
    &cmd_auth_login_noun,
    &cmd_auth_logout_noun,
    &cmd_auth_whoami_noun,
    &cmd_auth_password_noun,
    &cmd_auth_recover_noun,
    &cmd_auth_totp_noun,
    &cmd_org_noun,
    &cmd_member_noun,
    &cmd_key_noun,
    &cmd_log_noun,
    &cmd_log_audit_noun,
    &cmd_memo_noun,
    &cmd_channel_noun,
    &cmd_meeting_noun,
    &cmd_complaint_noun,
    &cmd_stats_noun,
    &cmd_receipt_noun,
};
#define NNOUNS (sizeof(nouns) / sizeof(nouns[0]))

static const char global_help[] =
    "Global options (before or after the command):\n"
    "  --server URL     the server (default: the one chosen with\n"
    "                   `dissent server set URL`)\n"
    "  --home DIR       the state directory (default: $DISSENT_HOME, else\n"
    "                   $XDG_CONFIG_HOME/dissent, else ~/.config/dissent)\n"
    "  --ca-file FILE   trust the CA certificates in FILE for https\n"
    "  --insecure-http  allow a plain http:// server that is not on this\n"
    "                   machine (secrets then cross the network in clear)\n"
    "  --json           machine output: one JSON object on stdout\n"
    "  -h, --help       help, for any noun or command\n"
    "  --version        print the version\n";

static const char exit_help[] =
    "Secrets (passwords, codes) are never taken on the command line: they\n"
    "are asked on the terminal, or read one line each from the file\n"
    "descriptor given with --password-fd, --code-fd, --recovery-fd or\n"
    "--totp-fd.\n"
    "\n"
    "Exit codes: 0 done, 1 error, 2 usage, 3 authentication needed or\n"
    "failed, 4 forbidden or suspended, 5 not found, 6 conflict, 7 cannot\n"
    "reach the server (or TLS failure), 8 rate limited, 9 integrity\n"
    "failure (server key changed, keys do not match, keys not in the\n"
    "log, log rolled back or forked, audit failed).\n";

/* Print the top-level help to ${f}. */
static void
help_top(FILE *f)
{
	const struct cli_noun *n;
	char name[64];
	size_t i, j;

	fprintf(f, "usage: dissent [options] <command> [arguments]\n\n"
		   "dissent is the command-line client of a dissent channel "
		   "server.\n\nCommands:\n");
	for (i = 0; i < NNOUNS; i++) {
		n = nouns[i];
		for (j = 0; j < n->ncommands; j++) {
			(void)snprintf(name, sizeof(name), "%s%s%s", n->name,
			    n->commands[j].verb != NULL ? " " : "",
			    n->commands[j].verb != NULL ? n->commands[j].verb
							: "");
			fprintf(
			    f, "  %-18s %s\n", name, n->commands[j].summary);
		}
	}
	fprintf(f,
	    "\n%s\n%s\nRun `dissent <command> --help' for a "
	    "command's arguments.\n",
	    global_help, exit_help);
}

/* Print the help of the noun ${n} (with several verbs) to ${f}. */
static void
help_noun(FILE *f, const struct cli_noun *n)
{
	size_t j;

	fprintf(f,
	    "usage: dissent %s <command> [arguments]\n\n%s\n\n"
	    "Commands:\n",
	    n->name, n->summary);
	for (j = 0; j < n->ncommands; j++)
		fprintf(f, "  %-12s %s\n", n->commands[j].verb,
		    n->commands[j].summary);
	fprintf(f,
	    "\nRun `dissent %s <command> --help' for a command's "
	    "arguments.\n",
	    n->name);
}

/*
 * Print the synopsis ${syn} after ${lead} ("usage: dissent member create"),
 * wrapped before a top-level "[" or "--" so that lines stay within
 * HELP_WIDTH, continuing under the first argument.
 */
static void
print_synopsis(FILE *f, const char *lead, const char *syn)
{
	size_t indent = strlen(lead) + 1, col, len;
	const char *p = syn, *q;
	int depth;

	fputs(lead, f);
	col = indent - 1;
	while (*p != '\0') {
		/* The next unit: up to a space at bracket depth 0. */
		for (q = p, depth = 0; *q != '\0'; q++) {
			if (*q == '[')
				depth++;
			else if (*q == ']')
				depth--;
			else if (*q == ' ' && depth == 0 &&
				 (q[1] == '[' || q[1] == '-'))
				break;
		}
		len = (size_t)(q - p);
		if (col > indent - 1 && col + 1 + len > HELP_WIDTH) {
			fprintf(f, "\n%*s", (int)(indent - 1), "");
			col = indent - 1;
		}
		fprintf(f, " %.*s", (int)len, p);
		col += 1 + len;
		p = *q == ' ' ? q + 1 : q;
	}
	fputc('\n', f);
}

/* Print the help of the command ${cmd} of ${n} to ${f}. */
static void
help_command(FILE *f, const struct cli_noun *n, const struct cli_command *cmd)
{
	char lead[64];

	(void)snprintf(lead, sizeof(lead), "usage: dissent %s%s%s", n->name,
	    cmd->verb != NULL ? " " : "", cmd->verb != NULL ? cmd->verb : "");
	print_synopsis(f, lead, cmd->synopsis);
	fprintf(f, "\n%s\n", cmd->summary);
	if (cmd->options != NULL)
		fprintf(f, "\nOptions:\n%s", cmd->options);
	fprintf(f, "\nGlobal options: --server URL, --home DIR, --ca-file "
		   "FILE, --json\n(see `dissent --help').\n");
}

/* The name of the current command for messages: "member create". */
static void
command_name(const struct cli *c, char *out, size_t cap)
{

	if (c->noun == NULL)
		(void)snprintf(out, cap, "dissent");
	else if (c->cmd == NULL || c->cmd->verb == NULL)
		(void)snprintf(out, cap, "dissent %s", c->noun->name);
	else
		(void)snprintf(
		    out, cap, "dissent %s %s", c->noun->name, c->cmd->verb);
}

/**
 * cli_fail(c, status, code, fmt, ...):
 * Report an error with the machine-readable ${code} and return ${status}.
 */
int
cli_fail(struct cli *c, int status, const char *code, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return (output_error(&c->out, status, code, "%s", msg));
}

/**
 * cli_usage(c, fmt, ...):
 * Report a usage error for the current command, with a pointer to its
 * help, and return CLI_EXIT_USAGE.
 */
int
cli_usage(struct cli *c, const char *fmt, ...)
{
	char msg[MSG_MAX], name[64];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)output_error(&c->out, CLI_EXIT_USAGE, "usage", "%s", msg);
	if (!c->out.json) {
		command_name(c, name, sizeof(name));
		fprintf(c->out.err, "Try `%s --help'.\n", name);
	}
	return (CLI_EXIT_USAGE);
}

/* Find the noun named ${name}, or NULL. */
static const struct cli_noun *
find_noun(const char *name)
{
	size_t i;

	for (i = 0; i < NNOUNS; i++)
		if (strcmp(nouns[i]->name, name) == 0)
			return (nouns[i]);
	return (NULL);
}

/* Find the verb ${verb} of ${n}, or NULL. */
static const struct cli_command *
find_verb(const struct cli_noun *n, const char *verb)
{
	size_t j;

	for (j = 0; j < n->ncommands; j++)
		if (n->commands[j].verb != NULL &&
		    strcmp(n->commands[j].verb, verb) == 0)
			return (&n->commands[j]);
	return (NULL);
}

/* Has "--json" been given anywhere (before "--")?  For early errors. */
static int
prescan_json(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return (0);
		if (strcmp(argv[i], "--json") == 0)
			return (1);
	}
	return (0);
}

/* Set the global string option ${slot} once. */
static int
set_global(
    struct cli *c, const char **slot, const char *name, const char *value)
{

	if (*slot != NULL)
		return (cli_usage(c, "%s given twice", name));
	*slot = value;
	return (CLI_PROCEED);
}

/*
 * Parse the global options at ${argv}[*${i}...] that come before a noun or
 * verb.  Return CLI_PROCEED, or an exit code once help or the version has
 * been printed or a usage error reported.
 */
static int
globals_before(struct cli *c, int argc, char **argv, int *i)
{
	static const char *const names[] = {"--server", "--home", "--ca-file"};
	const char **slots[3];
	const char *a, *v;
	size_t k, nlen;
	int rc;

	slots[0] = &c->server_flag;
	slots[1] = &c->home_flag;
	slots[2] = &c->ca_file_flag;
	while (*i < argc && argv[*i][0] == '-' && argv[*i][1] != '\0') {
		a = argv[*i];
		if (strcmp(a, "--json") == 0) {
			c->json = 1;
			(*i)++;
			continue;
		}
		if (strcmp(a, "--insecure-http") == 0) {
			c->insecure_http = 1;
			(*i)++;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			if (c->noun != NULL)
				help_noun(c->out.out, c->noun);
			else
				help_top(c->out.out);
			return (CLI_EXIT_OK);
		}
		if (strcmp(a, "--version") == 0) {
			fprintf(c->out.out, "dissent %s\n", DISSENT_VERSION);
			return (CLI_EXIT_OK);
		}
		for (k = 0; k < 3; k++) {
			nlen = strlen(names[k]);
			if (strncmp(a, names[k], nlen) == 0 &&
			    (a[nlen] == '\0' || a[nlen] == '='))
				break;
		}
		if (k == 3)
			return (cli_usage(c, "unknown option \"%.64s\"", a));
		if (a[nlen] == '=') {
			v = a + nlen + 1;
		} else {
			if (*i + 1 >= argc)
				return (
				    cli_usage(c, "%s needs a value", names[k]));
			v = argv[++(*i)];
		}
		if ((rc = set_global(c, slots[k], names[k], v)) != CLI_PROCEED)
			return (rc);
		(*i)++;
	}
	return (CLI_PROCEED);
}

/**
 * cli_args(c, argc, argv, spec, nspec, pos, posmin, posmax, npos):
 * Parse a command's arguments: the ${nspec} flags of ${spec} plus the
 * global ones, and ${posmin}..${posmax} positional arguments into ${pos}
 * (count in ${npos}).  Return CLI_PROCEED, 0 after printing the command's
 * help, or CLI_EXIT_USAGE after reporting a usage error.
 */
int
cli_args(struct cli *c, int argc, char **argv, const struct args_spec *spec,
    size_t nspec, const char **pos, size_t posmin, size_t posmax, size_t *npos)
{
	struct args_spec all[ARGS_SPEC_MAX];
	const char *server = NULL, *home = NULL, *ca = NULL;
	char err[MSG_MAX];
	int json = 0, insecure = 0, rc;

	if (nspec + 5 > ARGS_SPEC_MAX)
		return (cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "too many options"));
	if (nspec > 0)
		memcpy(all, spec, nspec * sizeof(spec[0]));
	all[nspec] = (struct args_spec){"--server", ARGS_STRING, &server};
	all[nspec + 1] = (struct args_spec){"--home", ARGS_STRING, &home};
	all[nspec + 2] = (struct args_spec){"--ca-file", ARGS_STRING, &ca};
	all[nspec + 3] = (struct args_spec){"--json", ARGS_FLAG, &json};
	all[nspec + 4] =
	    (struct args_spec){"--insecure-http", ARGS_FLAG, &insecure};
	rc = args_parse(
	    all, nspec + 5, argc, argv, pos, posmax, npos, err, sizeof(err));
	if (json)
		c->json = c->out.json = 1;
	if (insecure)
		c->insecure_http = 1;
	if (rc == ARGS_HELP) {
		help_command(c->out.out, c->noun, c->cmd);
		return (CLI_EXIT_OK);
	}
	if (rc != 0)
		return (cli_usage(c, "%s", err));
	if ((server != NULL && (rc = set_global(c, &c->server_flag, "--server",
				    server)) != CLI_PROCEED) ||
	    (home != NULL && (rc = set_global(c, &c->home_flag, "--home",
				  home)) != CLI_PROCEED) ||
	    (ca != NULL && (rc = set_global(c, &c->ca_file_flag, "--ca-file",
				ca)) != CLI_PROCEED))
		return (rc);
	if (*npos < posmin)
		return (cli_usage(c, "missing argument"));
	return (CLI_PROCEED);
}

/**
 * cli_home(c):
 * Resolve and prepare the state directory and load config.json (once).
 * Return CLI_PROCEED or an exit code.
 */
int
cli_home(struct cli *c)
{
	char err[MSG_MAX];

	if (c->config != NULL)
		return (CLI_PROCEED);
	if (home_resolve(
		c->home, sizeof(c->home), c->home_flag, err, sizeof(err)) != 0)
		return (cli_usage(c, "%s", err));
	if (home_prepare(c->home, err, sizeof(err)) != 0 ||
	    (c->config = home_config_load(c->home, err, sizeof(err))) == NULL)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	return (CLI_PROCEED);
}

/**
 * cli_save_config(c):
 * Write ${c}'s config back to config.json.  Return CLI_PROCEED or an exit
 * code.
 */
int
cli_save_config(struct cli *c)
{
	char err[MSG_MAX];

	if (home_config_save(c->home, c->config, err, sizeof(err)) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	return (CLI_PROCEED);
}

/**
 * cli_open(c, url):
 * Prepare an HTTP client for ${url} (NULL: --server, else the configured
 * default server), trusting --ca-file, else the CA file pinned for that
 * server.  Return CLI_PROCEED or an exit code.
 */
int
cli_open(struct cli *c, const char *url)
{
	const char *ca;
	char err[MSG_MAX];
	size_t len;
	int rc;

	if ((rc = cli_home(c)) != CLI_PROCEED)
		return (rc);
	if (url == NULL)
		url = c->server_flag;
	if (url == NULL)
		url = json_string_value(json_object_get(c->config, "server"));
	if (url == NULL)
		return (cli_usage(c, "no server chosen: run `dissent server "
				     "set URL' or give --server URL"));
	if (!httpc_url_valid(url))
		return (cli_usage(c,
		    "\"%.128s\" is not a server URL (want "
		    "http://HOST[:PORT] or https://HOST[:PORT])",
		    url));
	len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	memcpy(c->server, url, len);
	c->server[len] = '\0';
	/*
	 * Over plain http, a network attacker reads password authentication
	 * keys, session tokens and recovery keys: only this machine, or an
	 * explicit choice (the flag, or one remembered by `server set`).
	 */
	if (httpc_url_cleartext(c->server) && !c->insecure_http &&
	    !json_is_true(json_object_get(
		json_object_get(
		    json_object_get(c->config, "servers"), c->server),
		"insecure_http")))
		return (cli_usage(c,
		    "refusing plain http:// to %.128s, which is not this "
		    "machine: passwords' keys and session tokens would cross "
		    "the network unencrypted.  Use https://, or give "
		    "--insecure-http if you really mean it",
		    c->server));

	/* The pin keeps an absolute path, valid from any directory. */
	if ((ca = c->ca_file_flag) != NULL)
		ca = realpath(ca, c->ca_file) != NULL ? c->ca_file : ca;
	else
		ca = serverpin_get(c->config, c->server, "ca_file");
	if (ca != NULL && ca != c->ca_file) {
		if (strlen(ca) >= sizeof(c->ca_file))
			return (cli_usage(c, "the CA file's path is too long"));
		memmove(c->ca_file, ca, strlen(ca) + 1);
	}
	c->has_ca = ca != NULL;
	httpc_free(c->http);
	if ((c->http = httpc_new(c->server, ca, err, sizeof(err))) == NULL)
		return (cli_fail(c, CLI_EXIT_ERROR, "internal", "%s", err));
	return (CLI_PROCEED);
}

/**
 * cli_request(c, method, path, body, r):
 * Send a request to the connected server.  Return CLI_PROCEED when an
 * answer arrived (whatever its status; see ${r}), else report the failure
 * and return its exit code.
 */
int
cli_request(struct cli *c, const char *method, const char *path,
    const json_t *body, struct httpc_response *r)
{
	char err[MSG_MAX];
	int rc;

	rc = httpc_request(c->http, method, path, body, r, err, sizeof(err));
	if (rc == HTTPC_ENET)
		return (cli_fail(c, CLI_EXIT_NETWORK, "network", "%s", err));
	if (rc != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response", "%s", err));
	return (CLI_PROCEED);
}

/**
 * cli_session_drop(c):
 * Wipe and remove the local session file.  Return CLI_PROCEED or an exit
 * code.
 */
int
cli_session_drop(struct cli *c)
{
	char err[MSG_MAX];
	int rc;

	if ((rc = cli_home(c)) != CLI_PROCEED)
		return (rc);
	if (home_remove_file(c->home, HOME_SESSION_FILE, err, sizeof(err)) < 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	if (c->session != NULL)
		sodium_memzero(c->session, sizeof(*c->session));
	return (CLI_PROCEED);
}

/**
 * cli_http_error(c, r):
 * Report the error answer ${r} and return its exit code.  A 401
 * "unauthenticated" also removes the local session, which is dead.
 */
int
cli_http_error(struct cli *c, const struct httpc_response *r)
{
	int status = httpc_status_exit(r->status);

	if (r->status >= 300 && r->status < 400)
		return (cli_fail(c, CLI_EXIT_ERROR, r->code,
		    "the server "
		    "answered with a redirect (HTTP %ld); check the server "
		    "URL",
		    r->status));
	if (r->status == 401 && strcmp(r->code, "unauthenticated") == 0 &&
	    c->session != NULL && c->session->token[0] != '\0') {
		/* Best effort: the error below is what matters. */
		(void)cli_session_drop(c);
		return (cli_fail(c, status, r->code,
		    "%s; log in again "
		    "(`dissent login --handle H')",
		    r->message));
	}
	if (r->status == 429 && r->retry_after >= 0)
		return (cli_fail(c, status, r->code, "%s (retry in %ld s)",
		    r->message, r->retry_after));
	return (cli_fail(c, status, r->code, "%s", r->message));
}

/**
 * cli_call(c, method, path, body, want, out):
 * Send a request and expect the status ${want}: return CLI_PROCEED with
 * the body in ${out} (NULL for 204; the caller owns it), or report the
 * error and return its exit code.
 */
int
cli_call(struct cli *c, const char *method, const char *path,
    const json_t *body, long want, json_t **out)
{
	struct httpc_response r;
	int rc;

	*out = NULL;
	if ((rc = cli_request(c, method, path, body, &r)) != CLI_PROCEED)
		return (rc);
	if (r.status != want) {
		if (r.status >= 300)
			rc = cli_http_error(c, &r);
		else
			rc = cli_fail(c, CLI_EXIT_ERROR, "bad_response",
			    "unexpected HTTP status %ld from the server",
			    r.status);
		httpc_response_clear(&r);
		return (rc);
	}
	if (want != 204 && r.body == NULL) {
		httpc_response_clear(&r);
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the server's answer has no body"));
	}
	*out = r.body;
	r.body = NULL;
	httpc_response_clear(&r);
	return (CLI_PROCEED);
}

/* Copy the string ${key} of ${obj} into ${out}; 0 or -1. */
static int
copy_string(const json_t *obj, const char *key, char *out, size_t cap)
{
	const char *v;
	size_t len;

	if ((v = json_string_value(json_object_get(obj, key))) == NULL)
		return (-1);
	len = strlen(v);
	if (len >= cap)
		return (-1);
	memcpy(out, v, len + 1);
	return (0);
}

/* Read a positive integer ${key} of ${obj}; 0 or -1. */
static int
get_u64(const json_t *obj, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return (-1);
	*out = (uint64_t)json_integer_value(v);
	return (0);
}

/**
 * cli_fetch_instance(c):
 * GET /api/v1/instance from the opened server into ${c}->inst.  Return
 * CLI_PROCEED or an exit code.
 */
int
cli_fetch_instance(struct cli *c)
{
	struct cli_instance *in = &c->inst;
	json_t *body, *kdf;
	int rc;

	if ((rc = cli_call(c, "GET", "/api/v1/instance", NULL, 200, &body)) !=
	    CLI_PROCEED)
		return (rc);
	kdf = json_object_get(body, "kdf_min");
	if (copy_string(body, "instance_id", in->id, sizeof(in->id)) != 0 ||
	    copy_string(body, "name", in->name, sizeof(in->name)) != 0 ||
	    copy_string(body, "server_sign_pk", in->sign_pk_b64,
		sizeof(in->sign_pk_b64)) != 0 ||
	    wire_get_b64(body, "server_sign_pk", in->sign_pk,
		sizeof(in->sign_pk)) != 0 ||
	    get_u64(kdf, "opslimit", &in->kdf_min_ops) != 0 ||
	    get_u64(kdf, "memlimit", &in->kdf_min_mem) != 0) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "%s does "
		    "not look like a dissent server (bad /api/v1/instance)",
		    c->server));
	}
	serverpin_fingerprint(in->fingerprint, in->sign_pk);
	json_decref(in->raw);
	in->raw = body;
	c->have_instance = 1;
	return (CLI_PROCEED);
}

/* Load the session for the opened server into ${c}->session. */
static int
load_session(struct cli *c)
{
	char err[MSG_MAX];
	int rc;

	if (c->session == NULL && (c->session = home_session_new()) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = home_session_load(c->home, c->session, err, sizeof(err));
	if (rc < 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	if (rc == 1 || strcmp(c->session->server, c->server) != 0) {
		sodium_memzero(c->session, sizeof(*c->session));
		return (cli_fail(c, CLI_EXIT_AUTH, "not_logged_in",
		    "not logged in to %s: run `dissent login --handle H'",
		    c->server));
	}
	if (c->session->expires_at <= (int64_t)time(NULL)) {
		(void)cli_session_drop(c);
		return (cli_fail(c, CLI_EXIT_AUTH, "not_logged_in",
		    "the session has expired: log in again"));
	}
	if (httpc_set_token(c->http, c->session->token) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "the session token in %s is malformed", HOME_SESSION_FILE));
	return (CLI_PROCEED);
}

/**
 * cli_connect(c, flags):
 * Open the server, fetch its identity and check its key against the pin
 * (pinning it on first use; a changed key is CLI_EXIT_INTEGRITY).  With
 * CLI_SESSION also load the session for this server (CLI_EXIT_AUTH if
 * there is none or it has expired) and check the server's signed tree head
 * against the one recorded before (cmd_log_check_head()).  Return
 * CLI_PROCEED or an exit code.
 */
int
cli_connect(struct cli *c, int flags)
{
	char pinned_fp[KEYS_FINGERPRINT_LEN];
	uint8_t pinned[KEYS_SIGN_PK_BYTES];
	const char *old;
	int rc;

	if ((rc = cli_open(c, NULL)) != CLI_PROCEED ||
	    (rc = cli_fetch_instance(c)) != CLI_PROCEED)
		return (rc);
	switch (serverpin_check(c->config, c->server, c->inst.sign_pk_b64)) {
	case SERVERPIN_MATCH:
		break;
	case SERVERPIN_NEW:
		if (serverpin_set(c->config, c->server, c->inst.sign_pk_b64,
			c->inst.id, c->inst.name,
			c->has_ca ? c->ca_file : NULL) != 0)
			return (cli_fail(
			    c, CLI_EXIT_ERROR, "internal", "out of memory"));
		if ((rc = cli_save_config(c)) != CLI_PROCEED)
			return (rc);
		output_note(&c->out,
		    "dissent: trusting the key of %s on "
		    "first use (fingerprint %s)\n",
		    c->server, c->inst.fingerprint);
		break;
	default:
		old = serverpin_get(c->config, c->server, "server_sign_pk");
		if (old != NULL &&
		    b64_decode_exact(pinned, sizeof(pinned), old) == 0)
			serverpin_fingerprint(pinned_fp, pinned);
		else
			(void)snprintf(pinned_fp, sizeof(pinned_fp), "?");
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "server_key_changed",
		    "the signing key of %s has CHANGED (pinned %s, now %s); "
		    "if the operator confirms the new key, run `dissent "
		    "server set %s'",
		    c->server, pinned_fp, c->inst.fingerprint, c->server));
	}
	if (flags & CLI_SESSION) {
		if ((rc = load_session(c)) != CLI_PROCEED)
			return (rc);
		/* Every use of a session checks the server's log. */
		return (cmd_log_check_head(c));
	}
	return (CLI_PROCEED);
}

/**
 * cli_emit(c, obj):
 * In JSON mode print ${obj} as the command's result.  Return
 * CLI_EXIT_OK, or CLI_EXIT_ERROR if stdout cannot be written.
 */
int
cli_emit(struct cli *c, const json_t *obj)
{

	if (output_json(&c->out, obj) != 0) {
		fprintf(c->out.err, "error: cannot write the result\n");
		return (CLI_EXIT_ERROR);
	}
	return (CLI_EXIT_OK);
}

/**
 * cli_member_ref(c, ref):
 * Check that ${ref} is a member id or a handle (so it is safe in a URL
 * path).  Return CLI_PROCEED or a usage error.
 */
int
cli_member_ref(struct cli *c, const char *ref)
{

	if (directory_member_id_valid(ref) || directory_handle_valid(ref))
		return (CLI_PROCEED);
	return (
	    cli_usage(c, "\"%.64s\" is neither a member id nor a handle", ref));
}

/**
 * cli_read_secret(c, fd, prompt, fdflag, buf, len):
 * Read a secret into ${buf} (from secret_input_alloc()) from ${fd} or the
 * terminal.  Return CLI_PROCEED or a usage error.
 */
int
cli_read_secret(struct cli *c, int fd, const char *prompt, const char *fdflag,
    char *buf, size_t *len)
{
	char err[MSG_MAX];

	if (secret_input_get(fd, prompt, fdflag, buf, len, err, sizeof(err)) !=
	    0)
		return (cli_usage(c, "%s", err));
	return (CLI_PROCEED);
}

/**
 * cli_read_new_password(c, fd, prompt, buf, len):
 * Read a new password (twice on a terminal, at least
 * SECRET_INPUT_PASSWORD_MIN characters).  Return CLI_PROCEED or a usage
 * error.
 */
int
cli_read_new_password(
    struct cli *c, int fd, const char *prompt, char *buf, size_t *len)
{
	char err[MSG_MAX];

	if (secret_input_new_password(fd, prompt, buf, len, err, sizeof(err)) !=
	    0)
		return (cli_usage(c, "%s", err));
	return (CLI_PROCEED);
}

/**
 * cli_kdf_cost(c, ops, mem, ops_given, mem_given):
 * Choose the Argon2id cost for new custody: --kdf-ops/--kdf-mem when given
 * (they must meet the server's kdf_min), else the client default raised to
 * the server's kdf_min.  Needs cli_connect() first.  Return CLI_PROCEED or
 * a usage error.
 */
int
cli_kdf_cost(
    struct cli *c, uint64_t *ops, uint64_t *mem, int ops_given, int mem_given)
{
	struct custody_kdf kdf;
	uint64_t min_ops = c->inst.kdf_min_ops, min_mem = c->inst.kdf_min_mem;

	/* Never below the library's floor, whatever the server says. */
	if (min_ops < CUSTODY_OPSLIMIT_MIN)
		min_ops = CUSTODY_OPSLIMIT_MIN;
	if (min_mem < CUSTODY_MEMLIMIT_MIN)
		min_mem = CUSTODY_MEMLIMIT_MIN;
	if (!ops_given)
		*ops = CUSTODY_OPSLIMIT_DEFAULT > min_ops
			   ? CUSTODY_OPSLIMIT_DEFAULT
			   : min_ops;
	if (!mem_given)
		*mem = CUSTODY_MEMLIMIT_DEFAULT > min_mem
			   ? CUSTODY_MEMLIMIT_DEFAULT
			   : min_mem;
	kdf.opslimit = *ops;
	kdf.memlimit = *mem;
	memset(kdf.salt, 0, sizeof(kdf.salt));
	if (custody_kdf_check(&kdf, min_ops, min_mem) != 0)
		return (cli_usage(c,
		    "key derivation cost %llu passes over "
		    "%llu bytes is outside what this server accepts (at least "
		    "%llu passes and %llu bytes; at most %llu and %llu)",
		    (unsigned long long)*ops, (unsigned long long)*mem,
		    (unsigned long long)min_ops, (unsigned long long)min_mem,
		    (unsigned long long)CUSTODY_OPSLIMIT_MAX,
		    (unsigned long long)CUSTODY_MEMLIMIT_MAX));
	return (CLI_PROCEED);
}

/**
 * cli_secret_file_open(c, path, fd):
 * If ${path} is not NULL create it now (O_EXCL, 0600) for a secret written
 * later, storing the descriptor in ${fd}; else set ${fd} to -1.  Return
 * CLI_PROCEED or a usage error (e.g. the file exists).
 */
int
cli_secret_file_open(struct cli *c, const char *path, int *fd)
{
	char err[MSG_MAX];

	*fd = -1;
	if (path == NULL)
		return (CLI_PROCEED);
	/* A file that exists already (or a bad path) is the caller's error. */
	if ((*fd = home_secret_file_open(path, err, sizeof(err))) == -1)
		return (cli_usage(c, "%s", err));
	return (CLI_PROCEED);
}

/**
 * cli_secret_file_write(c, path, fd, secret):
 * Write ${secret} and a newline to ${fd} (from cli_secret_file_open() of
 * ${path}), sync and close it.  Return CLI_PROCEED or an exit code (the
 * file is then removed).
 */
int
cli_secret_file_write(
    struct cli *c, const char *path, int fd, const char *secret)
{
	char line[SECRET_INPUT_CAP + 1], err[MSG_MAX];
	size_t len = strlen(secret);
	int rc;

	if (len >= SECRET_INPUT_CAP) {
		home_secret_file_abandon(fd, path);
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "secret too long"));
	}
	memcpy(line, secret, len);
	line[len] = '\n';
	rc = home_secret_file_finish(fd, path, line, len + 1, err, sizeof(err));
	sodium_memzero(line, sizeof(line));
	if (rc != 0) {
		(void)unlink(path);
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	}
	return (CLI_PROCEED);
}

/**
 * cli_free(c):
 * Release everything ${c} holds, wiping the session.
 */
void
cli_free(struct cli *c)
{

	httpc_free(c->http);
	c->http = NULL;
	json_decref(c->config);
	c->config = NULL;
	json_decref(c->inst.raw);
	c->inst.raw = NULL;
	home_session_free(c->session);
	c->session = NULL;
}

/**
 * cli_run(argc, argv, out, err):
 * Run the command line ${argv} (as given to main()), writing results to
 * ${out} and errors and notices to ${err}, and return the exit code.
 */
int
cli_run(int argc, char **argv, FILE *out, FILE *err)
{
	struct cli c;
	const struct cli_noun *n;
	const struct cli_command *cmd;
	int i = 1, rc;

	memset(&c, 0, sizeof(c));
	output_init(&c.out, prescan_json(argc, argv), out, err);

	if ((rc = globals_before(&c, argc, argv, &i)) != CLI_PROCEED)
		goto done;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		help_top(err);
		rc = CLI_EXIT_USAGE;
		goto done;
	}
	if ((n = find_noun(argv[i])) == NULL) {
		rc = cli_usage(&c, "unknown command \"%.64s\"", argv[i]);
		goto done;
	}
	c.noun = n;
	i++;
	if (n->ncommands == 1 && n->commands[0].verb == NULL) {
		cmd = &n->commands[0];
	} else {
		if ((rc = globals_before(&c, argc, argv, &i)) != CLI_PROCEED)
			goto done;
		if (i >= argc) {
			help_noun(err, n);
			rc = CLI_EXIT_USAGE;
			goto done;
		}
		if ((cmd = find_verb(n, argv[i])) == NULL) {
			rc = cli_usage(&c, "unknown command \"%s %.64s\"",
			    n->name, argv[i]);
			goto done;
		}
		i++;
	}
	c.cmd = cmd;
	c.out.json = c.json = c.json || c.out.json;
	rc = cmd->run(&c, argc - i, argv + i);

done:
	cli_free(&c);
	(void)fflush(out);
	return (rc);
}
