#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "args.h"
#include "cli.h"
#include "cmd_auth.h"
#include "cmd_enroll.h"
#include "cmd_key.h"
#include "cmd_log.h"
#include "custody.h"
#include "directory.h"
#include "home.h"
#include "keys.h"
#include "output.h"
#include "secret_input.h"
#include "wire.h"

#define PATH_CAP 256

/* Read {"epoch","sign_pk","box_pk","ring_pk"} (a keys record). */
static int
parse_record(const json_t *rec, uint32_t *epoch, struct keys_public *pub)
{
	json_t *wrapper;
	int rc;

	/* wire_member_keys() reads the "keys" of a member: wrap it so. */
	if ((wrapper = json_pack("{s:O}", "keys", rec)) == NULL)
		return (-1);
	rc = wire_member_keys(wrapper, epoch, pub);
	json_decref(wrapper);
	return (rc);
}

/* Do the session's seed's keys equal ${pub}? */
static int
session_keys_are(struct cli *c, const struct keys_public *pub)
{
	struct keys_secret ks;
	int same;

	if (keys_derive(&ks, c->session->seed) != 0)
		return (0);
	same = wire_keys_equal(&ks.pub, pub);
	keys_wipe(&ks);
	return (same);
}

/* `dissent key show [ID|HANDLE]` */
static int
key_show(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *ref, *id;
	char path[PATH_CAP], when[OUTPUT_TIME_LEN], line[160], logged[96];
	json_t *body, *cur, *h;
	struct keys_public pub;
	uint32_t epoch;
	size_t npos, i;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 0, 1, &npos)) !=
	    CLI_PROCEED)
		return (rc);
	if (npos == 1 && (rc = cli_member_ref(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	ref = npos == 1 ? pos[0] : c->session->member_id;
	(void)snprintf(path, sizeof(path), "/api/v1/members/%s/keys", ref);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	id = json_string_value(json_object_get(body, "member_id"));
	cur = json_object_get(body, "current");
	if (id == NULL || !directory_member_id_valid(id)) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the server's answer has no valid member id"));
	}

	/* Keys are shown only once the log is seen to publish them. */
	if (json_is_object(cur)) {
		if ((rc = cmd_log_check_keys(c,
			 npos == 1 ? pos[0] : c->session->handle, id, cur,
			 &epoch, &pub)) != CLI_PROCEED) {
			json_decref(body);
			return (rc);
		}
		(void)snprintf(logged, sizeof(logged),
		    "entry %lld, in the signed tree head of size %llu",
		    (long long)json_integer_value(
			json_object_get(cur, "log_index")),
		    (unsigned long long)c->log_head.size);
		if (json_object_set_new(body, "log_verified",
			json_pack("{s:O,s:I}", "index",
			    json_object_get(cur, "log_index"), "tree_size",
			    (json_int_t)c->log_head.size)) != 0) {
			json_decref(body);
			return (cli_fail(
			    c, CLI_EXIT_ERROR, "internal", "out of memory"));
		}
	}

	/* One's own published keys must be the session's. */
	if (strcmp(id, c->session->member_id) == 0 && json_is_object(cur) &&
	    (parse_record(cur, &epoch, &pub) != 0 ||
		!session_keys_are(c, &pub))) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the "
		    "directory's keys for you are not the keys of this "
		    "session (if you rotated them elsewhere, log in again)"));
	}

	output_field(&c->out, "Member", id);
	if (json_is_object(cur)) {
		(void)snprintf(line, sizeof(line), "%lld",
		    (long long)json_integer_value(
			json_object_get(cur, "epoch")));
		output_field(&c->out, "Epoch", line);
		output_field(&c->out, "Fingerprint",
		    json_string_value(json_object_get(cur, "fingerprint")));
		output_field(&c->out, "Signing key",
		    json_string_value(json_object_get(cur, "sign_pk")));
		output_field(&c->out, "Box key",
		    json_string_value(json_object_get(cur, "box_pk")));
		output_field(&c->out, "Ring key",
		    json_string_value(json_object_get(cur, "ring_pk")));
		output_field(&c->out, "In the log", logged);
	} else {
		output_field(&c->out, "Keys", "none (not enrolled)");
	}
	json_array_foreach(json_object_get(body, "history"), i, h)
	{
		output_time(when, (int64_t)json_integer_value(
				      json_object_get(h, "created_at")));
		(void)snprintf(line, sizeof(line), "epoch %lld from %s",
		    (long long)json_integer_value(json_object_get(h, "epoch")),
		    when);
		output_field(&c->out, i == 0 ? "History" : "", line);
	}
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent key rotate` */
static int
key_rotate(struct cli *c, int argc, char **argv)
{
	const char *rec_file = NULL;
	int pw_fd = -1, file_fd = -1, rc;
	uint64_t ops = UINT64_MAX, mem = UINT64_MAX;
	const struct args_spec spec[] = {
	    {"--password-fd", ARGS_FD, &pw_fd},
	    {"--recovery-code-file", ARGS_STRING, &rec_file},
	    {"--kdf-ops", ARGS_U64, &ops},
	    {"--kdf-mem", ARGS_U64, &mem},
	};
	char *pw = NULL, rcode[CUSTODY_RECOVERY_CODE_LEN + 1], err[256];
	uint8_t auth[CUSTODY_KEY_BYTES], wrap[CUSTODY_KEY_BYTES];
	char fp[KEYS_FINGERPRINT_LEN];
	uint8_t seed[KEYS_SEED_BYTES], sig[KEYS_SIG_BYTES];
	struct keys_secret old, ks;
	struct keys_public pub;
	struct keys_pop pop;
	uint32_t epoch, new_epoch;
	json_t *body = NULL, *req = NULL, *res = NULL, *member;
	const char *id;
	size_t npos, pwlen;

	memset(&old, 0, sizeof(old));
	memset(&ks, 0, sizeof(ks));
	memset(rcode, 0, sizeof(rcode));
	memset(seed, 0, sizeof(seed));
	memset(auth, 0, sizeof(auth));
	memset(wrap, 0, sizeof(wrap));
	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_kdf_cost(c, &ops, &mem, ops != UINT64_MAX,
		 mem != UINT64_MAX)) != CLI_PROCEED)
		return (rc);
	id = c->session->member_id;

	/* The current keys must be this session's before they sign. */
	if ((rc = cli_call(c, "GET", "/api/v1/auth/session", NULL, 200,
		 &body)) != CLI_PROCEED)
		goto done;
	member = json_object_get(body, "member");
	if (keys_derive(&old, c->session->seed) != 0) {
		rc = cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot derive keys");
		goto done;
	}
	if (wire_member_keys(member, &epoch, &pub) != 0 ||
	    !wire_keys_equal(&pub, &old.pub) || epoch == UINT32_MAX) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the "
		    "directory's keys for you are not the keys of this "
		    "session (if you rotated them elsewhere, log in again)");
		goto done;
	}
	json_decref(body);
	body = NULL;
	new_epoch = epoch + 1;

	if ((pw = secret_input_alloc()) == NULL)
		goto nomem;
	if ((rc = cli_secret_file_open(c, rec_file, &file_fd)) != CLI_PROCEED)
		goto done;
	/*
	 * The password stays the same: it proves to the server that the
	 * owner, not only a holder of this session, rotates (its current
	 * salt and cost give the proof), and it wraps the new seed under a
	 * fresh salt.
	 */
	if ((rc = cli_read_secret(c, pw_fd, "Password: ", "--password-fd", pw,
		 &pwlen)) != CLI_PROCEED ||
	    (rc = cmd_auth_password_keys(
		 c, c->session->handle, pw, pwlen, auth, wrap)) != CLI_PROCEED)
		goto done;

	keys_seed_new(seed);
	if (keys_derive(&ks, seed) != 0 ||
	    keys_pop_make(&pop, &ks, id, new_epoch) != 0 ||
	    keys_rotation_sign(sig, &old, id, new_epoch, &ks.pub) != 0) {
		rc =
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "cannot make keys");
		goto done;
	}
	if ((req = json_pack("{s:o,s:I,s:o,s:o,s:o,s:o,s:o}", "auth_key",
		 wire_b64(auth, sizeof(auth)), "epoch", (json_int_t)new_epoch,
		 "keys", wire_keys(&ks.pub), "pop", wire_pop(&pop),
		 "rotation_sig", wire_b64(sig, sizeof(sig)), "custody",
		 wire_custody(seed, id, pw, pwlen, ops, mem, NULL), "recovery",
		 wire_recovery(seed, id, rcode))) == NULL)
		goto nomem;
	secret_input_free(pw);
	pw = NULL;
	if (file_fd != -1) {
		rc = cli_secret_file_write(c, rec_file, file_fd, rcode);
		file_fd = -1;
		if (rc != CLI_PROCEED)
			goto done;
	}
	if ((rc = cli_call(c, "POST", "/api/v1/keys/rotate", req, 200,
		 &body)) != CLI_PROCEED) {
		if (rec_file != NULL)
			(void)unlink(rec_file);
		goto done;
	}
	member = json_object_get(body, "member");
	if (wire_member_keys(member, &epoch, &pub) != 0 || epoch != new_epoch ||
	    !wire_keys_equal(&pub, &ks.pub)) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the "
		    "server did not publish the new keys; log in again and "
		    "check `dissent key show'");
		goto done;
	}

	/* From now on this session signs with the new keys. */
	memcpy(c->session->seed, seed, sizeof(seed));
	if (home_session_save(c->home, c->session, err, sizeof(err)) != 0)
		output_note(&c->out,
		    "warning: %s; log in again before using "
		    "the new keys\n",
		    err);

	keys_fingerprint(fp, &ks.pub);
	output_note(&c->out,
	    "Keys rotated to epoch %u (fingerprint %s).  "
	    "Your other sessions have ended and your old recovery code no "
	    "longer works.\n",
	    new_epoch, fp);
	if ((res = json_pack("{s:O}", "member", member)) == NULL ||
	    cmd_enroll_recovery(c, res, rcode, rec_file) != 0)
		goto nomem;
	rc = cli_emit(c, res);
	goto done;

nomem:
	rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
done:
	home_secret_file_abandon(file_fd, rec_file);
	json_decref(res);
	json_decref(req);
	json_decref(body);
	secret_input_free(pw);
	keys_wipe(&old);
	keys_wipe(&ks);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(rcode, sizeof(rcode));
	sodium_memzero(auth, sizeof(auth));
	sodium_memzero(wrap, sizeof(wrap));
	return (rc);
}

static const struct cli_command commands[] = {
    {"show", key_show, "[ID|HANDLE]",
	"Show published keys and history (yours by default).",
	"  ID|HANDLE   whose keys (default: yours, which are also checked "
	"against\n"
	"              this session's keys)\n"
	"The current keys are shown only if the channel log publishes them "
	"(exit 9\notherwise).\n"},
    {"rotate", key_rotate,
	"[--password-fd N] [--recovery-code-file PATH] "
	"[--kdf-ops N --kdf-mem BYTES]",
	"Replace your keys at the next epoch.",
	"  --password-fd N           read your current password from file "
	"descriptor N\n"
	"  --recovery-code-file PATH write the new recovery code to PATH "
	"(created,\n"
	"                            mode 0600) instead of printing it\n"
	"  --kdf-ops N, --kdf-mem BYTES   Argon2id cost, as for enroll\n"
	"The new keys are signed by the old ones.  Your password stays the "
	"same: it\nproves the rotation is yours and protects the new keys.  "
	"Your other sessions\nend, and you get a new recovery code.\n"},
};

const struct cli_noun cmd_key_noun = {"key",
    "Your keys and other members' published keys.", commands,
    sizeof(commands) / sizeof(commands[0])};
