#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "args.h"
#include "cli.h"
#include "cmd_enroll.h"
#include "cmd_member.h"
#include "custody.h"
#include "directory.h"
#include "keys.h"
#include "output.h"
#include "secret_input.h"
#include "wire.h"

/* Longest enrollment code sent (the server's own limit). */
#define ENROLL_CODE_MAX 64

/**
 * cmd_enroll_recovery(c, res, code, path):
 * Show a new recovery code once: written to ${path} already if not NULL
 * (then only say where), else the code alone on stdout with a "write this
 * down" notice on stderr.  In JSON mode add "recovery_code" or
 * "recovery_code_file" to the result ${res}.  Return 0, or -1 if out of
 * memory.
 */
int
cmd_enroll_recovery(
    struct cli *c, json_t *res, const char *code, const char *path)
{

	if (path != NULL) {
		output_note(&c->out,
		    "Your new recovery code is in %s.  Keep "
		    "it offline and safe: it is the only way back in if you "
		    "forget your password, and it is not stored anywhere "
		    "else.\n",
		    path);
		return (json_object_set_new(
		    res, "recovery_code_file", json_string(path)));
	}
	output_note(&c->out,
	    "\nWRITE THIS DOWN: your recovery code is shown "
	    "only this once.  Keep it offline and safe: it is the only way "
	    "back in if you forget your password.\n\n");
	output_text(&c->out, "%s\n", code);
	if (!c->out.json)
		output_note(&c->out, "\n");
	return (json_object_set_new(res, "recovery_code", json_string(code)));
}

/* Say who the enrollment code belongs to. */
static void
show_lookup(struct cli *c, const json_t *member)
{
	char h[80], n[160], o[48], roles[128];

	cmd_member_roles(member, roles, sizeof(roles));
	output_note(&c->out,
	    "Enrolling as %s (%s), organisation %s, roles "
	    "%s.\n",
	    output_clean(h, sizeof(h),
		json_string_value(json_object_get(member, "handle"))),
	    output_clean(n, sizeof(n),
		json_string_value(json_object_get(member, "display_name"))),
	    output_clean(o, sizeof(o),
		json_string_value(json_object_get(member, "org"))),
	    output_clean(roles, sizeof(roles), roles));
}

/* `dissent enroll` */
static int
enroll_run(struct cli *c, int argc, char **argv)
{
	int code_fd = -1, pw_fd = -1, file_fd = -1, rc;
	const char *rec_file = NULL, *member_id, *handle;
	uint64_t ops = UINT64_MAX, mem = UINT64_MAX;
	const struct args_spec spec[] = {
	    {"--code-fd", ARGS_FD, &code_fd},
	    {"--password-fd", ARGS_FD, &pw_fd},
	    {"--recovery-code-file", ARGS_STRING, &rec_file},
	    {"--kdf-ops", ARGS_U64, &ops},
	    {"--kdf-mem", ARGS_U64, &mem},
	};
	char *code = NULL, *pw = NULL;
	char rcode[CUSTODY_RECOVERY_CODE_LEN + 1];
	uint8_t seed[KEYS_SEED_BYTES];
	struct keys_secret ks;
	struct keys_public pub;
	struct keys_pop pop;
	uint32_t epoch;
	json_t *req = NULL, *found = NULL, *body = NULL, *res = NULL;
	json_t *member;
	size_t npos, codelen, pwlen;

	memset(rcode, 0, sizeof(rcode));
	memset(&ks, 0, sizeof(ks));
	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, 0)) != CLI_PROCEED ||
	    (rc = cli_kdf_cost(c, &ops, &mem, ops != UINT64_MAX,
		 mem != UINT64_MAX)) != CLI_PROCEED)
		return (rc);
	if ((code = secret_input_alloc()) == NULL ||
	    (pw = secret_input_alloc()) == NULL) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
		goto done;
	}
	if ((rc = cli_secret_file_open(c, rec_file, &file_fd)) != CLI_PROCEED)
		goto done;

	/* Whose code is it? */
	if ((rc = cli_read_secret(c, code_fd, "Enrollment code: ", "--code-fd",
		 code, &codelen)) != CLI_PROCEED)
		goto done;
	if (codelen > ENROLL_CODE_MAX) {
		rc = cli_usage(c, "that is not an enrollment code");
		goto done;
	}
	if ((req = json_pack("{s:s}", "code", code)) == NULL)
		goto nomem;
	if ((rc = cli_call(c, "POST", "/api/v1/enroll/lookup", req, 200,
		 &found)) != CLI_PROCEED)
		goto done;
	json_decref(req);
	req = NULL;
	member = json_object_get(found, "member");
	member_id = json_string_value(json_object_get(member, "id"));
	handle = json_string_value(json_object_get(member, "handle"));
	if (member_id == NULL || !directory_member_id_valid(member_id) ||
	    handle == NULL || !directory_handle_valid(handle)) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the server's answer has no valid member");
		goto done;
	}
	show_lookup(c, member);

	if ((rc = cli_read_new_password(
		 c, pw_fd, "New password: ", pw, &pwlen)) != CLI_PROCEED)
		goto done;

	/* Keys at epoch 1, custody under the password and recovery code. */
	keys_seed_new(seed);
	if (keys_derive(&ks, seed) != 0 ||
	    keys_pop_make(&pop, &ks, member_id, 1) != 0) {
		rc =
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "cannot make keys");
		goto done;
	}
	if ((req = json_pack("{s:s,s:o,s:o,s:o,s:o}", "code", code, "keys",
		 wire_keys(&ks.pub), "pop", wire_pop(&pop), "custody",
		 wire_custody(seed, member_id, pw, pwlen, ops, mem, NULL),
		 "recovery", wire_recovery(seed, member_id, rcode))) == NULL)
		goto nomem;
	secret_input_free(pw);
	pw = NULL;
	if (file_fd != -1) {
		rc = cli_secret_file_write(c, rec_file, file_fd, rcode);
		file_fd = -1;
		if (rc != CLI_PROCEED)
			goto done;
	}

	if ((rc = cli_call(c, "POST", "/api/v1/enroll", req, 201, &body)) !=
	    CLI_PROCEED) {
		if (rec_file != NULL)
			(void)unlink(rec_file);
		goto done;
	}
	member = json_object_get(body, "member");
	if (wire_member_keys(member, &epoch, &pub) != 0 || epoch != 1 ||
	    !wire_keys_equal(&pub, &ks.pub)) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the "
		    "server published keys for %s that are not the ones "
		    "just made",
		    handle);
		goto done;
	}

	if ((res = json_pack("{s:O}", "member", member)) == NULL ||
	    cmd_enroll_recovery(c, res, rcode, rec_file) != 0)
		goto nomem;
	output_note(&c->out,
	    "Enrolled as %s.  Now run: dissent login "
	    "--handle %s\n",
	    handle, handle);
	rc = cli_emit(c, res);
	goto done;

nomem:
	rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
done:
	home_secret_file_abandon(file_fd, rec_file);
	json_decref(res);
	json_decref(body);
	json_decref(found);
	json_decref(req);
	secret_input_free(code);
	secret_input_free(pw);
	keys_wipe(&ks);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(rcode, sizeof(rcode));
	return (rc);
}

static const struct cli_command commands[] = {
    {NULL, enroll_run,
	"[--code-fd N] [--password-fd N] [--recovery-code-file PATH] "
	"[--kdf-ops N --kdf-mem BYTES]",
	"Enroll with a code: make keys, set a password.",
	"  --code-fd N               read the enrollment code from file "
	"descriptor N\n"
	"  --password-fd N           read the new password from file "
	"descriptor N\n"
	"                            (else both are asked on the "
	"terminal)\n"
	"  --recovery-code-file PATH write the recovery code to PATH "
	"(created, mode\n"
	"                            0600, never overwritten) instead "
	"of printing it\n"
	"  --kdf-ops N               Argon2id passes (default 3, at "
	"least the server's\n"
	"                            minimum)\n"
	"  --kdf-mem BYTES           Argon2id memory (default 64 MiB, "
	"at least the\n"
	"                            server's minimum)\n"
	"A new password needs at least 10 characters.  This does not log "
	"you in.\n"},
};

const struct cli_noun cmd_enroll_noun = {
    "enroll", "Enroll with an enrollment code.", commands, 1};
