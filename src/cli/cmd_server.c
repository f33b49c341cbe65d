#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "b64.h"
#include "cli.h"
#include "cmd_server.h"
#include "home.h"
#include "httpc.h"
#include "output.h"
#include "serverpin.h"

/* `dissent server set URL` */
static int
server_set(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *old;
	json_t *res;
	size_t npos;
	int rc, pin;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
	    CLI_PROCEED)
		return (rc);
	if ((rc = cli_open(c, pos[0])) != CLI_PROCEED ||
	    (rc = cli_fetch_instance(c)) != CLI_PROCEED)
		return (rc);

	pin = serverpin_check(c->config, c->server, c->inst.sign_pk_b64);
	old = serverpin_get(c->config, c->server, "server_sign_pk");
	if (pin == SERVERPIN_CHANGED && old != NULL)
		output_note(&c->out,
		    "warning: the signing key of %s has "
		    "changed; pinning the new key\n",
		    c->server);
	if (serverpin_set(c->config, c->server, c->inst.sign_pk_b64, c->inst.id,
		c->inst.name, c->has_ca ? c->ca_file : NULL) != 0 ||
	    json_object_set_new(c->config, "server", json_string(c->server)) !=
		0)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	/* Remembered per server, and only while the URL is cleartext. */
	if (c->insecure_http && httpc_url_cleartext(c->server) &&
	    json_object_set_new(
		json_object_get(
		    json_object_get(c->config, "servers"), c->server),
		"insecure_http", json_true()) != 0)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	if ((rc = cli_save_config(c)) != CLI_PROCEED)
		return (rc);

	output_field(&c->out, "Server", c->server);
	output_field(&c->out, "Instance", c->inst.name);
	output_field(&c->out, "Instance id", c->inst.id);
	output_field(&c->out, "Fingerprint", c->inst.fingerprint);
	if (c->has_ca)
		output_field(&c->out, "CA file", c->ca_file);
	if (c->insecure_http && httpc_url_cleartext(c->server))
		output_note(&c->out,
		    "warning: plain http:// to another machine is allowed "
		    "for %s from now on; secrets cross the network "
		    "unencrypted\n",
		    c->server);
	if (pin != SERVERPIN_MATCH)
		output_note(&c->out,
		    "Check this fingerprint against the one "
		    "your operator published; the CLI will refuse the server "
		    "if its key ever changes.\n");
	res = json_pack("{s:s,s:O,s:s,s:s}", "server", c->server, "instance",
	    c->inst.raw, "fingerprint", c->inst.fingerprint, "pin",
	    pin == SERVERPIN_NEW     ? "new"
	    : pin == SERVERPIN_MATCH ? "unchanged"
				     : "replaced");
	if (res == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = cli_emit(c, res);
	json_decref(res);
	return (rc);
}

/* `dissent server show`: what is configured, without the network. */
static int
server_show(struct cli *c, int argc, char **argv)
{
	struct home_session *s = NULL;
	const char *url, *pk, *ca;
	char fp[SERVERPIN_FINGERPRINT_LEN], when[OUTPUT_TIME_LEN];
	char err[256], line[256];
	uint8_t raw[KEYS_SIGN_PK_BYTES];
	json_t *res = NULL, *pin, *sess = json_null();
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_home(c)) != CLI_PROCEED)
		return (rc);
	url = c->server_flag != NULL
		  ? c->server_flag
		  : json_string_value(json_object_get(c->config, "server"));
	if (url == NULL)
		return (cli_usage(c, "no server chosen: run `dissent server "
				     "set URL'"));

	pin = json_object_get(json_object_get(c->config, "servers"), url);
	pk = serverpin_get(c->config, url, "server_sign_pk");
	fp[0] = '\0';
	if (pk != NULL && b64_decode_exact(raw, sizeof(raw), pk) == 0)
		serverpin_fingerprint(fp, raw);

	if ((s = home_session_new()) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = home_session_load(c->home, s, err, sizeof(err));
	if (rc < 0) {
		home_session_free(s);
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	}
	if (rc == 0 && strcmp(s->server, url) == 0)
		sess =
		    json_pack("{s:s,s:s,s:I}", "handle", s->handle, "member_id",
			s->member_id, "expires_at", (json_int_t)s->expires_at);

	output_field(&c->out, "Server", url);
	output_field(&c->out, "Instance",
	    pin != NULL ? serverpin_get(c->config, url, "name")
			: "(not contacted yet)");
	output_field(&c->out, "Fingerprint", fp[0] != '\0' ? fp : NULL);
	if ((ca = serverpin_get(c->config, url, "ca_file")) != NULL)
		output_field(&c->out, "CA file", ca);
	if (json_is_true(json_object_get(pin, "insecure_http")))
		output_field(
		    &c->out, "Plain HTTP", "allowed (--insecure-http)");
	if (json_is_object(sess)) {
		output_time(when, s->expires_at);
		(void)snprintf(line, sizeof(line), "%s (%s) until %s",
		    s->handle, s->member_id, when);
		output_field(&c->out, "Session", line);
	} else {
		output_field(&c->out, "Session", "not logged in");
	}
	home_session_free(s);

	if (sess == NULL ||
	    (res = json_pack("{s:s,s:O,s:o,s:o}", "server", url, "pin",
		 pin != NULL ? pin : json_null(), "fingerprint",
		 fp[0] != '\0' ? json_string(fp) : json_null(), "session",
		 sess)) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = cli_emit(c, res);
	json_decref(res);
	return (rc);
}

/* `dissent server health` */
static int
server_health(struct cli *c, int argc, char **argv)
{
	const char *status, *version;
	json_t *body;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_open(c, NULL)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_call(c, "GET", "/api/v1/health", NULL, 200, &body)) !=
	    CLI_PROCEED)
		return (rc);
	status = json_string_value(json_object_get(body, "status"));
	version = json_string_value(json_object_get(body, "version"));
	output_field(&c->out, "Server", c->server);
	output_field(&c->out, "Status", status);
	output_field(&c->out, "Version", version);
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

static const struct cli_command commands[] = {
    {"set", server_set, "URL", "Choose the server and pin its key.",
	"  URL   http://HOST[:PORT] or https://HOST[:PORT]; it becomes "
	"the default\n"
	"        server and its signing key is pinned (replacing any "
	"earlier pin).\n"
	"        With --ca-file the CA file is remembered for this "
	"server.\n"
	"        Plain http:// is refused unless the host is this machine "
	"(127.0.0.0/8,\n"
	"        [::1], localhost) or --insecure-http is given, which is "
	"then\n"
	"        remembered for this server.\n"},
    {"show", server_show, "",
	"Show the server, its pinned key and the session.", NULL},
    {"health", server_health, "", "Ask the server whether it is up.", NULL},
};

const struct cli_noun cmd_server_noun = {"server",
    "The server this client talks to.", commands,
    sizeof(commands) / sizeof(commands[0])};
