#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "args.h"
#include "b64.h"
#include "cli.h"
#include "cmd_auth.h"
#include "cmd_enroll.h"
#include "cmd_log.h"
#include "cmd_member.h"
#include "custody.h"
#include "directory.h"
#include "home.h"
#include "keys.h"
#include "output.h"
#include "secret_input.h"
#include "wire.h"

/* TOTP codes: RFC 6238 allows 6 to 8 digits; the server uses 6. */
#define TOTP_DIGITS_MIN 6
#define TOTP_DIGITS_MAX 8

/**
 * cmd_auth_password_keys(c, handle, pw, pwlen, auth, wrap):
 * Ask the server for ${handle}'s password salt and cost and derive the
 * authentication and wrapping keys of ${pw}.  A cost outside the range a
 * client accepts is an integrity failure: a server asking for a cheap
 * derivation would make the authentication key it receives easy to
 * brute-force into the password.  Return CLI_PROCEED or an exit status.
 */
int
cmd_auth_password_keys(struct cli *c, const char *handle, const char *pw,
    size_t pwlen, uint8_t auth[CUSTODY_KEY_BYTES],
    uint8_t wrap[CUSTODY_KEY_BYTES])
{
	struct custody_kdf kdf;
	json_t *req, *body, *ops, *mem;
	int rc;

	if ((req = json_pack("{s:s}", "handle", handle)) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = cli_call(c, "POST", "/api/v1/auth/params", req, 200, &body);
	json_decref(req);
	if (rc != CLI_PROCEED)
		return (rc);
	ops = json_object_get(body, "opslimit");
	mem = json_object_get(body, "memlimit");
	if (wire_get_b64(body, "salt", kdf.salt, sizeof(kdf.salt)) != 0 ||
	    !json_is_integer(ops) || !json_is_integer(mem) ||
	    json_integer_value(ops) < 0 || json_integer_value(mem) < 0) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "malformed answer to auth/params"));
	}
	kdf.opslimit = (uint64_t)json_integer_value(ops);
	kdf.memlimit = (uint64_t)json_integer_value(mem);
	json_decref(body);
	if (custody_kdf_check(
		&kdf, CUSTODY_OPSLIMIT_MIN, CUSTODY_MEMLIMIT_MIN) != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_kdf",
		    "the server "
		    "asks for a password hashing cost outside the safe range "
		    "(%llu passes, %llu bytes)",
		    (unsigned long long)kdf.opslimit,
		    (unsigned long long)kdf.memlimit));
	if (custody_password_keys(auth, wrap, pw, pwlen, &kdf) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "internal",
		    "cannot hash "
		    "the password (out of memory?)"));
	return (CLI_PROCEED);
}

/* Read a TOTP code and check it is 6 to 8 digits (spaces dropped). */
static int
read_totp(struct cli *c, int fd, char *buf, size_t *len)
{
	size_t i, n = 0;
	int rc;

	if ((rc = cli_read_secret(
		 c, fd, "TOTP code: ", "--totp-fd", buf, len)) != CLI_PROCEED)
		return (rc);
	for (i = 0; i < *len; i++) {
		if (buf[i] == ' ')
			continue;
		if (buf[i] < '0' || buf[i] > '9' || n >= TOTP_DIGITS_MAX) {
			sodium_memzero(buf, SECRET_INPUT_CAP);
			return (cli_usage(
			    c, "a TOTP code is %d digits", TOTP_DIGITS_MIN));
		}
		buf[n++] = buf[i];
	}
	buf[n] = '\0';
	*len = n;
	if (n < TOTP_DIGITS_MIN)
		return (
		    cli_usage(c, "a TOTP code is %d digits", TOTP_DIGITS_MIN));
	return (CLI_PROCEED);
}

/* Set ${key} of ${obj} to the base64url of a 32-byte key. */
static int
set_key(json_t *obj, const char *key, const uint8_t k[CUSTODY_KEY_BYTES])
{

	return (json_object_set_new(obj, key, wire_b64(k, CUSTODY_KEY_BYTES)));
}

/* End the session ${token} on the server, ignoring the outcome. */
static void
discard_token(struct cli *c, const char *token)
{
	struct httpc_response r;
	char err[256];

	if (httpc_set_token(c->http, token) != 0)
		return;
	if (httpc_request(c->http, "POST", "/api/v1/auth/logout", NULL, &r, err,
		sizeof(err)) == 0)
		httpc_response_clear(&r);
	/* Clearing the token cannot fail. */
	if (httpc_set_token(c->http, NULL) != 0)
		return;
}

/*
 * A new login replaces the local session: end the one it replaces on the
 * server too (best effort), rather than leave it valid until it expires.
 */
static void
end_previous_session(struct cli *c, const char *new_token)
{
	struct home_session *old;
	char err[256];

	if ((old = home_session_new()) == NULL)
		return;
	if (home_session_load(c->home, old, err, sizeof(err)) == 0 &&
	    strcmp(old->server, c->server) == 0 &&
	    strcmp(old->token, new_token) != 0)
		discard_token(c, old->token);
	home_session_free(old);
}

/*
 * Unwrap the seed of a login answer ${body} with ${wrap} and check that it
 * gives the keys the directory publishes for the member; fill ${s}.
 */
static int
login_finish(struct cli *c, const json_t *body,
    const uint8_t wrap[CUSTODY_KEY_BYTES], struct home_session *s)
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES];
	struct keys_secret ks;
	struct keys_public pub;
	const json_t *member = json_object_get(body, "member");
	const char *id, *handle, *token;
	json_t *exp = json_object_get(body, "expires_at");
	uint32_t epoch;
	int rc;

	id = json_string_value(json_object_get(member, "id"));
	handle = json_string_value(json_object_get(member, "handle"));
	token = json_string_value(json_object_get(body, "token"));
	if (id == NULL || !directory_member_id_valid(id) || handle == NULL ||
	    !directory_handle_valid(handle) || token == NULL ||
	    strlen(token) > HOME_TOKEN_MAX || !json_is_integer(exp) ||
	    wire_get_b64(body, "wrapped_seed", wrapped, sizeof(wrapped)) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "malformed answer to auth/login"));
	if (custody_unwrap_seed(s->seed, wrapped, wrap, id, "password") != 0) {
		discard_token(c, token);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "unwrap_failed",
		    "the server accepted the password but returned keys that "
		    "it does not unlock; not logged in"));
	}
	if (keys_derive(&ks, s->seed) != 0) {
		discard_token(c, token);
		return (cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot derive keys"));
	}
	if (wire_member_keys(member, &epoch, &pub) != 0 ||
	    !wire_keys_equal(&pub, &ks.pub)) {
		keys_wipe(&ks);
		discard_token(c, token);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the server returned keys that do not match the "
		    "directory's keys for %s; not logged in",
		    handle));
	}
	keys_wipe(&ks);
	rc = snprintf(s->server, sizeof(s->server), "%s", c->server);
	if (rc < 0 || (size_t)rc >= sizeof(s->server))
		return (cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "server URL too long"));
	memcpy(s->token, token, strlen(token) + 1);
	memcpy(s->member_id, id, strlen(id) + 1);
	memcpy(s->handle, handle, strlen(handle) + 1);
	s->expires_at = (int64_t)json_integer_value(exp);
	return (CLI_PROCEED);
}

/*
 * With the new session in ${s}: check the server's log (its signed tree
 * head against the one recorded before) and that the log publishes the
 * member's current keys, which must be the keys of the unwrapped seed.
 */
static int
login_check_log(struct cli *c, const struct home_session *s)
{
	char path[128];
	struct keys_secret ks;
	struct keys_public pub;
	json_t *body, *cur;
	uint32_t epoch;
	int rc, same;

	if (httpc_set_token(c->http, s->token) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the session token is malformed"));
	if ((rc = cmd_log_check_head(c)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(
	    path, sizeof(path), "/api/v1/members/%s/keys", s->member_id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	cur = json_object_get(body, "current");
	if (!json_is_object(cur)) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the directory publishes no keys for %s; not logged in",
		    s->handle));
	}
	rc = cmd_log_check_keys(c, s->handle, s->member_id, cur, &epoch, &pub);
	json_decref(body);
	if (rc != CLI_PROCEED)
		return (rc);
	if (keys_derive(&ks, s->seed) != 0)
		return (cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot derive keys"));
	same = wire_keys_equal(&ks.pub, &pub);
	keys_wipe(&ks);
	if (!same)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the keys the directory publishes for %s are not the keys "
		    "of your seed; not logged in",
		    s->handle));
	return (CLI_PROCEED);
}

/* `dissent login --handle H` */
static int
login_run(struct cli *c, int argc, char **argv)
{
	const char *handle = NULL;
	int pw_fd = -1, totp_fd = -1, rc, attempt, have_totp = 0;
	const struct args_spec spec[] = {
	    {"--handle", ARGS_STRING, &handle},
	    {"--password-fd", ARGS_FD, &pw_fd},
	    {"--totp-fd", ARGS_FD, &totp_fd},
	};
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	char *pw = NULL, *totp = NULL, when[OUTPUT_TIME_LEN], err[256];
	struct home_session *s = NULL;
	struct httpc_response r;
	json_t *req = NULL, *res = NULL;
	size_t npos, pwlen, totplen;

	memset(&r, 0, sizeof(r));
	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if (handle == NULL)
		return (cli_usage(c, "--handle is required"));
	if (!directory_handle_valid(handle))
		return (cli_usage(c, "\"%.64s\" is not a handle", handle));
	if ((rc = cli_connect(c, 0)) != CLI_PROCEED)
		return (rc);
	if ((pw = secret_input_alloc()) == NULL ||
	    (totp = secret_input_alloc()) == NULL ||
	    (s = home_session_new()) == NULL)
		goto nomem;
	if ((rc = cli_read_secret(c, pw_fd, "Password: ", "--password-fd", pw,
		 &pwlen)) != CLI_PROCEED)
		goto done;
	if (totp_fd >= 0) {
		if ((rc = read_totp(c, totp_fd, totp, &totplen)) != CLI_PROCEED)
			goto done;
		have_totp = 1;
	}
	if ((rc = cmd_auth_password_keys(c, handle, pw, pwlen, auth, wrap)) !=
	    CLI_PROCEED)
		goto done;
	secret_input_free(pw);
	pw = NULL;

	/* A second attempt only if the server asks for a TOTP code. */
	for (attempt = 0; attempt < 2; attempt++) {
		json_decref(req);
		if ((req = json_pack("{s:s}", "handle", handle)) == NULL ||
		    set_key(req, "auth_key", auth) != 0 ||
		    (have_totp && json_object_set_new(
				      req, "totp", json_string(totp)) != 0))
			goto nomem;
		if ((rc = cli_request(c, "POST", "/api/v1/auth/login", req,
			 &r)) != CLI_PROCEED)
			goto done;
		if (r.status == 401 && strcmp(r.code, "totp_required") == 0 &&
		    !have_totp) {
			httpc_response_clear(&r);
			output_note(&c->out, "This account needs a TOTP "
					     "code.\n");
			if ((rc = read_totp(c, -1, totp, &totplen)) !=
			    CLI_PROCEED)
				goto done;
			have_totp = 1;
			continue;
		}
		break;
	}
	if (r.status != 200) {
		rc = r.status >= 300
			 ? cli_http_error(c, &r)
			 : cli_fail(c, CLI_EXIT_ERROR, "bad_response",
			       "unexpected HTTP status "
			       "%ld",
			       r.status);
		goto done;
	}
	if ((rc = login_finish(c, r.body, wrap, s)) != CLI_PROCEED)
		goto done;
	if ((rc = login_check_log(c, s)) != CLI_PROCEED) {
		discard_token(c, s->token);
		goto done;
	}
	if ((rc = cli_home(c)) != CLI_PROCEED)
		goto done;
	end_previous_session(c, s->token);
	if (home_session_save(c->home, s, err, sizeof(err)) != 0) {
		discard_token(c, s->token);
		rc = cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err);
		goto done;
	}
	output_time(when, s->expires_at);
	output_text(&c->out, "Logged in as %s until %s.\n", s->handle, when);
	if ((res = json_pack("{s:O,s:I}", "member",
		 json_object_get(r.body, "member"), "expires_at",
		 (json_int_t)s->expires_at)) == NULL)
		goto nomem;
	rc = cli_emit(c, res);
	goto done;

nomem:
	rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
done:
	httpc_response_clear(&r);
	json_decref(res);
	json_decref(req);
	secret_input_free(pw);
	secret_input_free(totp);
	home_session_free(s);
	sodium_memzero(auth, sizeof(auth));
	sodium_memzero(wrap, sizeof(wrap));
	return (rc);
}

/* `dissent logout` */
static int
logout_run(struct cli *c, int argc, char **argv)
{
	struct httpc_response r;
	char err[256];
	json_t *res;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_home(c)) != CLI_PROCEED)
		return (rc);
	if ((c->session = home_session_new()) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = home_session_load(c->home, c->session, err, sizeof(err));
	if (rc == 1) {
		output_text(&c->out, "Not logged in.\n");
		res = json_pack("{s:b}", "logged_out", 0);
		rc = cli_emit(c, res);
		json_decref(res);
		return (rc);
	}
	if (rc < 0) {
		/* Unreadable: remove it anyway, it may hold a seed. */
		(void)cli_session_drop(c);
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "%s; "
		    "removed it",
		    err));
	}
	/* The session belongs to its server, whatever the default is. */
	if ((rc = cli_open(c, c->session->server)) != CLI_PROCEED)
		return (rc);
	if (httpc_set_token(c->http, c->session->token) != 0)
		c->session->token[0] = '\0';
	/* The local copy goes first: it holds the seed. */
	if ((rc = cli_session_drop(c)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_request(c, "POST", "/api/v1/auth/logout", NULL, &r)) !=
	    CLI_PROCEED)
		return (rc);
	if (r.status != 204 && r.status != 401) {
		rc = cli_http_error(c, &r);
		httpc_response_clear(&r);
		return (rc);
	}
	httpc_response_clear(&r);
	output_text(&c->out, "Logged out.\n");
	res = json_pack("{s:b}", "logged_out", 1);
	rc = cli_emit(c, res);
	json_decref(res);
	return (rc);
}

/* `dissent whoami` */
static int
whoami_run(struct cli *c, int argc, char **argv)
{
	char when[OUTPUT_TIME_LEN];
	struct keys_secret ks;
	struct keys_public pub;
	json_t *body, *member;
	const char *id;
	uint32_t epoch;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_call(c, "GET", "/api/v1/auth/session", NULL, 200,
		 &body)) != CLI_PROCEED)
		return (rc);
	member = json_object_get(body, "member");
	id = json_string_value(json_object_get(member, "id"));
	if (id == NULL || strcmp(id, c->session->member_id) != 0) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "session_mismatch",
		    "the server's session is not for %s",
		    c->session->member_id));
	}
	if (keys_derive(&ks, c->session->seed) != 0) {
		json_decref(body);
		return (cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot derive keys"));
	}
	rc = wire_member_keys(member, &epoch, &pub) != 0 ||
	     !wire_keys_equal(&pub, &ks.pub);
	keys_wipe(&ks);
	if (rc) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the "
		    "directory's keys for you are not the keys of this "
		    "session (if you rotated them elsewhere, log in again)"));
	}
	cmd_member_print(c, member);
	output_time(when,
	    (int64_t)json_integer_value(json_object_get(body, "expires_at")));
	output_field(&c->out, "Session until", when);
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent password change` */
static int
password_change(struct cli *c, int argc, char **argv)
{
	int pw_fd = -1, rc;
	uint64_t ops = UINT64_MAX, mem = UINT64_MAX;
	const struct args_spec spec[] = {
	    {"--password-fd", ARGS_FD, &pw_fd},
	    {"--kdf-ops", ARGS_U64, &ops},
	    {"--kdf-mem", ARGS_U64, &mem},
	};
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	char *cur = NULL, *pw = NULL;
	json_t *req = NULL, *body = NULL, *res;
	size_t npos, curlen, pwlen;

	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_kdf_cost(c, &ops, &mem, ops != UINT64_MAX,
		 mem != UINT64_MAX)) != CLI_PROCEED)
		return (rc);
	if ((cur = secret_input_alloc()) == NULL ||
	    (pw = secret_input_alloc()) == NULL)
		goto nomem;
	if ((rc = cli_read_secret(c, pw_fd, "Current password: ",
		 "--password-fd", cur, &curlen)) != CLI_PROCEED ||
	    (rc = cli_read_new_password(
		 c, pw_fd, "New password: ", pw, &pwlen)) != CLI_PROCEED)
		goto done;
	if ((rc = cmd_auth_password_keys(c, c->session->handle, cur, curlen,
		 auth, wrap)) != CLI_PROCEED)
		goto done;
	/* The same seed, wrapped under the new password with a new salt. */
	if ((req = json_pack("{s:o}", "custody",
		 wire_custody(c->session->seed, c->session->member_id, pw,
		     pwlen, ops, mem, NULL))) == NULL ||
	    set_key(req, "auth_key", auth) != 0)
		goto nomem;
	if ((rc = cli_call(c, "POST", "/api/v1/auth/password", req, 204,
		 &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out, "Password changed; your other sessions have "
			     "ended.\n");
	res = json_pack("{s:b}", "password_changed", 1);
	rc = cli_emit(c, res);
	json_decref(res);
	goto done;

nomem:
	rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
done:
	json_decref(body);
	json_decref(req);
	secret_input_free(cur);
	secret_input_free(pw);
	sodium_memzero(auth, sizeof(auth));
	sodium_memzero(wrap, sizeof(wrap));
	return (rc);
}

/* Drop the local session if it is ${member_id}'s: the server ended it. */
static void
drop_session_of(struct cli *c, const char *member_id)
{
	struct home_session *s;
	char err[256];

	if ((s = home_session_new()) == NULL)
		return;
	if (home_session_load(c->home, s, err, sizeof(err)) == 0 &&
	    strcmp(s->member_id, member_id) == 0 &&
	    home_remove_file(c->home, HOME_SESSION_FILE, err, sizeof(err)) < 0)
		output_note(&c->out, "warning: %s\n", err);
	home_session_free(s);
}

/* `dissent recover --handle H` */
static int
recover_run(struct cli *c, int argc, char **argv)
{
	const char *handle = NULL, *rec_file = NULL, *member_id;
	int rec_fd = -1, pw_fd = -1, file_fd = -1, rc;
	uint64_t ops = UINT64_MAX, mem = UINT64_MAX;
	const struct args_spec spec[] = {
	    {"--handle", ARGS_STRING, &handle},
	    {"--recovery-fd", ARGS_FD, &rec_fd},
	    {"--password-fd", ARGS_FD, &pw_fd},
	    {"--recovery-code-file", ARGS_STRING, &rec_file},
	    {"--kdf-ops", ARGS_U64, &ops},
	    {"--kdf-mem", ARGS_U64, &mem},
	};
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES], seed[KEYS_SEED_BYTES];
	char *code = NULL, *pw = NULL, rcode[CUSTODY_RECOVERY_CODE_LEN + 1];
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	json_t *req = NULL, *body = NULL, *res = NULL;
	size_t npos, codelen, pwlen;

	memset(rcode, 0, sizeof(rcode));
	memset(seed, 0, sizeof(seed));
	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if (handle == NULL)
		return (cli_usage(c, "--handle is required"));
	if (!directory_handle_valid(handle))
		return (cli_usage(c, "\"%.64s\" is not a handle", handle));
	if ((rc = cli_connect(c, 0)) != CLI_PROCEED ||
	    (rc = cli_kdf_cost(c, &ops, &mem, ops != UINT64_MAX,
		 mem != UINT64_MAX)) != CLI_PROCEED)
		return (rc);
	if ((code = secret_input_alloc()) == NULL ||
	    (pw = secret_input_alloc()) == NULL)
		goto nomem;
	if ((rc = cli_secret_file_open(c, rec_file, &file_fd)) != CLI_PROCEED)
		goto done;

	if ((rc = cli_read_secret(c, rec_fd, "Recovery code: ", "--recovery-fd",
		 code, &codelen)) != CLI_PROCEED)
		goto done;
	if (custody_recovery_keys(auth, wrap, code) != 0) {
		rc = cli_usage(c, "that is not a recovery code (8 groups of "
				  "4 letters and digits)");
		goto done;
	}
	if ((req = json_pack("{s:s}", "handle", handle)) == NULL ||
	    set_key(req, "auth_key", auth) != 0)
		goto nomem;
	if ((rc = cli_call(c, "POST", "/api/v1/auth/recovery/fetch", req, 200,
		 &body)) != CLI_PROCEED)
		goto done;
	member_id = json_string_value(json_object_get(body, "member_id"));
	if (member_id == NULL || !directory_member_id_valid(member_id) ||
	    wire_get_b64(
		body, "recovery_wrapped_seed", wrapped, sizeof(wrapped)) != 0) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "malformed answer to auth/recovery/fetch");
		goto done;
	}
	memcpy(id, member_id, DIRECTORY_MEMBER_ID_LEN + 1);
	/*
	 * The wrapping authenticates the seed: only the holder of the
	 * recovery code could have made it, for this member id.
	 */
	if (custody_unwrap_seed(seed, wrapped, wrap, id, "recovery") != 0) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "unwrap_failed",
		    "the "
		    "server accepted the recovery code but returned keys "
		    "that it does not unlock");
		goto done;
	}
	json_decref(body);
	body = NULL;

	if ((rc = cli_read_new_password(
		 c, pw_fd, "New password: ", pw, &pwlen)) != CLI_PROCEED)
		goto done;
	json_decref(req);
	if ((req = json_pack("{s:s,s:o,s:o}", "handle", handle, "custody",
		 wire_custody(seed, id, pw, pwlen, ops, mem, NULL), "recovery",
		 wire_recovery(seed, id, rcode))) == NULL ||
	    set_key(req, "auth_key", auth) != 0)
		goto nomem;
	if (file_fd != -1) {
		rc = cli_secret_file_write(c, rec_file, file_fd, rcode);
		file_fd = -1;
		if (rc != CLI_PROCEED)
			goto done;
	}
	if ((rc = cli_call(c, "POST", "/api/v1/auth/recovery/reset", req, 204,
		 &body)) != CLI_PROCEED) {
		if (rec_file != NULL)
			(void)unlink(rec_file);
		goto done;
	}
	drop_session_of(c, id);

	output_note(&c->out,
	    "Password reset for %s.  All sessions have "
	    "ended and TOTP is off; your old recovery code no longer "
	    "works.\n",
	    handle);
	if ((res = json_pack("{s:s}", "member_id", id)) == NULL ||
	    cmd_enroll_recovery(c, res, rcode, rec_file) != 0)
		goto nomem;
	output_note(&c->out, "Now run: dissent login --handle %s\n", handle);
	rc = cli_emit(c, res);
	goto done;

nomem:
	rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
done:
	home_secret_file_abandon(file_fd, rec_file);
	json_decref(res);
	json_decref(body);
	json_decref(req);
	secret_input_free(code);
	secret_input_free(pw);
	sodium_memzero(auth, sizeof(auth));
	sodium_memzero(wrap, sizeof(wrap));
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(rcode, sizeof(rcode));
	return (rc);
}

/* `dissent totp setup` */
static int
totp_setup(struct cli *c, int argc, char **argv)
{
	json_t *body;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_call(c, "POST", "/api/v1/auth/totp/setup", NULL, 200,
		 &body)) != CLI_PROCEED)
		return (rc);
	output_field(&c->out, "Secret",
	    json_string_value(json_object_get(body, "secret")));
	output_field(
	    &c->out, "URI", json_string_value(json_object_get(body, "uri")));
	output_note(&c->out,
	    "Add this secret (or URI) to your authenticator "
	    "app, then run `dissent totp enable' with a code it shows.\n");
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/*
 * `dissent totp enable` and `dissent totp disable`: both prove the password
 * (a session alone must not change the second factor) and give a current
 * code; ${enable} says which way to switch.
 */
static int
totp_switch(struct cli *c, int argc, char **argv, int enable)
{
	int pw_fd = -1, totp_fd = -1, rc;
	const struct args_spec spec[] = {
	    {"--password-fd", ARGS_FD, &pw_fd},
	    {"--totp-fd", ARGS_FD, &totp_fd},
	};
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	json_t *req = NULL, *body = NULL, *res;
	char *pw = NULL, *code = NULL;
	size_t npos, pwlen, len;

	if ((rc = cli_args(c, argc, argv, spec, 2, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if ((pw = secret_input_alloc()) == NULL ||
	    (code = secret_input_alloc()) == NULL)
		goto nomem;
	if ((rc = cli_read_secret(c, pw_fd, "Password: ", "--password-fd", pw,
		 &pwlen)) != CLI_PROCEED ||
	    (rc = read_totp(c, totp_fd, code, &len)) != CLI_PROCEED ||
	    (rc = cmd_auth_password_keys(
		 c, c->session->handle, pw, pwlen, auth, wrap)) != CLI_PROCEED)
		goto done;
	if ((req = json_pack("{s:s}", "code", code)) == NULL ||
	    set_key(req, "auth_key", auth) != 0)
		goto nomem;
	if ((rc = cli_call(c, "POST",
		 enable ? "/api/v1/auth/totp/enable" : "/api/v1/auth/totp/disable",
		 req, 204, &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out, enable ?
	    "TOTP is on: logging in now needs a code.\n" : "TOTP is off.\n");
	res = json_pack("{s:b}", "totp_enabled", enable);
	rc = cli_emit(c, res);
	json_decref(res);
	goto done;

nomem:
	rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
done:
	json_decref(req);
	json_decref(body);
	secret_input_free(pw);
	secret_input_free(code);
	sodium_memzero(auth, sizeof(auth));
	sodium_memzero(wrap, sizeof(wrap));
	return (rc);
}

/* `dissent totp enable` */
static int
totp_enable(struct cli *c, int argc, char **argv)
{

	return (totp_switch(c, argc, argv, 1));
}

/* `dissent totp disable` */
static int
totp_disable(struct cli *c, int argc, char **argv)
{

	return (totp_switch(c, argc, argv, 0));
}

static const struct cli_command login_commands[] = {
    {NULL, login_run, "--handle H [--password-fd N] [--totp-fd N]",
	"Log in and unlock your keys.",
	"  --handle H        your handle\n"
	"  --password-fd N   read the password from file descriptor N\n"
	"  --totp-fd N       read a TOTP code from file descriptor N "
	"(else, if the\n"
	"                    account needs one, it is asked on the "
	"terminal)\n"
	"The keys the server returns are checked against the directory "
	"and the\nchannel log (exit 9 if they differ or the log does not "
	"publish them).\nThe session, with your unlocked seed, is kept in "
	"session.json (mode 0600)\nuntil logout.\n"},
};

const struct cli_noun cmd_auth_login_noun = {
    "login", "Log in.", login_commands, 1};

static const struct cli_command logout_commands[] = {
    {NULL, logout_run, "", "End the session and wipe the local session file.",
	"The local session file is wiped even if the server cannot be "
	"reached.\n"},
};

const struct cli_noun cmd_auth_logout_noun = {
    "logout", "Log out.", logout_commands, 1};

static const struct cli_command whoami_commands[] = {
    {NULL, whoami_run, "", "Show who is logged in; check the session's keys.",
	"Exit 9 if the directory's keys for you are not this session's "
	"keys.\n"},
};

const struct cli_noun cmd_auth_whoami_noun = {
    "whoami", "Show who is logged in.", whoami_commands, 1};

static const struct cli_command password_commands[] = {
    {"change", password_change,
	"[--password-fd N] [--kdf-ops N --kdf-mem BYTES]",
	"Change your password (keys unchanged).",
	"  --password-fd N   read the current password, then the new one, "
	"as two\n"
	"                    lines from file descriptor N\n"
	"  --kdf-ops N       Argon2id passes for the new password\n"
	"  --kdf-mem BYTES   Argon2id memory for the new password\n"
	"A new password needs at least 10 characters.  Your other "
	"sessions end.\n"},
};

const struct cli_noun cmd_auth_password_noun = {
    "password", "Your password.", password_commands, 1};

static const struct cli_command recover_commands[] = {
    {NULL, recover_run,
	"--handle H [--recovery-fd N] [--password-fd N] "
	"[--recovery-code-file PATH] [--kdf-ops N --kdf-mem BYTES]",
	"Set a new password with your recovery code.",
	"  --handle H                your handle\n"
	"  --recovery-fd N           read the recovery code from file "
	"descriptor N\n"
	"  --password-fd N           read the new password from file "
	"descriptor N\n"
	"  --recovery-code-file PATH write the NEW recovery code to PATH "
	"(created,\n"
	"                            mode 0600) instead of printing it\n"
	"  --kdf-ops N, --kdf-mem BYTES   Argon2id cost, as for enroll\n"
	"All sessions end and TOTP is turned off.\n"},
};

const struct cli_noun cmd_auth_recover_noun = {"recover",
    "Recover an account with its recovery code.", recover_commands, 1};

static const struct cli_command totp_commands[] = {
    {"setup", totp_setup, "", "Make a TOTP secret (not yet enabled).", NULL},
    {"enable", totp_enable, "[--password-fd N] [--totp-fd N]",
	"Turn TOTP on (password and a current code).",
	"  --password-fd N   read the password from file descriptor N\n"
	"  --totp-fd N       read the code from file descriptor N\n"},
    {"disable", totp_disable, "[--password-fd N] [--totp-fd N]",
	"Turn TOTP off (password and a current code).",
	"  --password-fd N   read the password from file descriptor N\n"
	"  --totp-fd N       read the code from file descriptor N\n"},
};

const struct cli_noun cmd_auth_totp_noun = {"totp",
    "Time-based one-time codes as a second factor.", totp_commands,
    sizeof(totp_commands) / sizeof(totp_commands[0])};
