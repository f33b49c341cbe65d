#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "aead.h"
#include "args.h"
#include "audit.h"
#include "cli.h"
#include "cmd_complaint.h"
#include "cmd_log.h"
#include "cmd_memo.h"
#include "directory.h"
#include "event.h"
#include "grant.h"
#include "keys.h"
#include "logwire.h"
#include "memowire.h"
#include "merkle.h"
#include "output.h"

/* Most auditors a complaint is sealed to. */
#define AUDITORS_MAX 64

/*
 * Log entries asked for at once when replaying the log (the server's most),
 * and room for the request's path.
 */
#define LOG_PAGE 1000
#define PATH_CAP 128

/* Report that we are out of memory. */
static int
nomem(struct cli *c)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
}

/*
 * Replay the log up to the run's verified tree head into the new audit
 * state ${a} (audit_free()): its directory timeline is then the one the
 * log shows.  Return CLI_PROCEED or an exit code (CLI_EXIT_INTEGRITY if
 * the entries do not replay or do not hash to the head's root).
 */
static int
replay_log(struct cli *c, struct audit **a)
{
	uint8_t leaf[EVENT_MAX_BYTES], root[MERKLE_HASH_BYTES];
	char path[PATH_CAP], err[AUDIT_ERR_MAX];
	struct event ev;
	json_t *body = NULL, *arr;
	uint64_t at, n, index, end;
	size_t i, len;
	int rc;

	if ((rc = cmd_log_check_head(c)) != CLI_PROCEED)
		return (rc);
	if ((*a = audit_new()) == NULL)
		return (nomem(c));
	end = c->log_head.size;
	for (at = 0; at < end; at += n) {
		n = end - at < LOG_PAGE ? end - at : LOG_PAGE;
		(void)snprintf(path, sizeof(path),
		    "/api/v1/log/entries?start=%llu&count=%llu",
		    (unsigned long long)at, (unsigned long long)n);
		if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) !=
		    CLI_PROCEED)
			goto fail;
		arr = json_object_get(body, "entries");
		if (!json_is_array(arr) || json_array_size(arr) != n) {
			rc = cli_fail(c, CLI_EXIT_ERROR, "bad_response",
			    "the server's log entries are malformed");
			goto fail;
		}
		for (i = 0; i < n; i++) {
			if (logwire_entry_parse(json_array_get(arr, i), &index,
				leaf, &len) != 0 ||
			    index != at + i ||
			    audit_append(
				*a, leaf, len, &ev, err, sizeof(err)) != 0) {
				rc = cli_fail(c, CLI_EXIT_INTEGRITY,
				    "log_inconsistent",
				    "log entry %llu does not replay",
				    (unsigned long long)(at + i));
				goto fail;
			}
		}
		json_decref(body);
		body = NULL;
	}
	if (audit_root(*a, root) != 0 ||
	    sodium_memcmp(root, c->log_head.root, sizeof(root)) != 0) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "log_inconsistent",
		    "the log's entries do not hash to its signed tree head");
		goto fail;
	}
	return (CLI_PROCEED);

fail:
	json_decref(body);
	audit_free(*a);
	*a = NULL;
	return (rc);
}

/*
 * Check that the log shows every member of ${grants} (the auditors a
 * complaint is about to be sealed to) as an active auditor: a server that
 * lists another member among the auditors must not get the complaint
 * read.  Return CLI_PROCEED or an exit code (CLI_EXIT_INTEGRITY).
 */
static int
auditors_logged(struct cli *c, const json_t *grants)
{
	struct audit_member am;
	struct audit *a;
	const char *id;
	const json_t *g;
	size_t i;
	int rc;

	if ((rc = replay_log(c, &a)) != CLI_PROCEED)
		return (rc);
	json_array_foreach(grants, i, g)
	{
		id = json_string_value(json_object_get(g, "member"));
		if (id == NULL || audit_member(a, id, &am) != 0 ||
		    !(am.roles & ROLE_AUDITOR) || am.status != AUDIT_ACTIVE) {
			rc = cli_fail(c, CLI_EXIT_INTEGRITY, "not_an_auditor",
			    "the server lists %s among the auditors, but the "
			    "log does not show that member as an active "
			    "auditor (up to its signed tree head of %llu "
			    "entries); nothing was sealed or sent",
			    id != NULL ? id : "a member",
			    (unsigned long long)c->log_head.size);
			break;
		}
	}
	audit_free(a);
	return (rc);
}

/*
 * Seal ${key} to every auditor of GET /auditors, each checked against the
 * log, as the "grants" array ${grants}.
 */
static int
seal_to_auditors(
    struct cli *c, const uint8_t key[GRANT_KEY_BYTES], json_t *grants)
{
	char mid[DIRECTORY_MEMBER_ID_LEN + 1];
	struct keys_public pub;
	const char *id;
	json_t *body, *arr, *m;
	size_t i;
	int rc;

	if ((rc = cli_call(c, "GET", "/api/v1/auditors", NULL, 200, &body)) !=
	    CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "members");
	if (!json_is_array(arr) || json_array_size(arr) > AUDITORS_MAX) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the server's list of auditors is malformed"));
	}
	json_array_foreach(arr, i, m)
	{
		id = json_string_value(json_object_get(m, "id"));
		if (id == NULL || !directory_member_id_valid(id)) {
			json_decref(body);
			return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
			    "the server's list of auditors is malformed"));
		}
		if ((rc = cmd_memo_member_keys(c, id, mid, &pub)) !=
		    CLI_PROCEED) {
			json_decref(body);
			return (rc);
		}
		if (json_array_append_new(grants,
			json_pack("{s:s,s:o}", "member", mid, "sealed",
			    memowire_grant_json(key, MEMOWIRE_GRANT_COMPLAINT,
				MEMOWIRE_COMPLAINT_CONTEXT, pub.box_pk))) !=
		    0) {
			json_decref(body);
			return (nomem(c));
		}
	}
	json_decref(body);
	if (json_array_size(grants) == 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "no_auditors",
		    "the instance has no enrolled auditor who could read a "
		    "complaint"));
	return (CLI_PROCEED);
}

/* `dissent complaint file --file FILE` */
static int
complaint_file(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	const struct args_spec spec[] = {
	    {"--file", ARGS_STRING, &file},
	};
	uint8_t key[GRANT_KEY_BYTES];
	uint8_t *box = NULL;
	char *text = NULL;
	json_t *grants = NULL, *req = NULL, *body = NULL;
	size_t npos, boxlen = 0;
	int rc;

	memset(key, 0, sizeof(key));
	if ((rc = cli_args(c, argc, argv, spec, 1, NULL, 0, 0, &npos)) !=
	    CLI_PROCEED)
		return (rc);
	if (file == NULL)
		return (cli_usage(c, "--file is required (\"-\" for standard "
				     "input)"));
	if ((rc = cmd_memo_read_text(c, file, MEMOWIRE_COMPLAINT_MAX, "--file",
		 &text)) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		goto done;
	if ((grants = json_array()) == NULL) {
		rc = nomem(c);
		goto done;
	}
	aead_key_new(key);
	if ((rc = seal_to_auditors(c, key, grants)) != CLI_PROCEED ||
	    (rc = auditors_logged(c, grants)) != CLI_PROCEED)
		goto done;
	if (memowire_complaint_seal(&box, &boxlen, text, key) != 0) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "internal",
		    "cannot encrypt the complaint");
		goto done;
	}
	sodium_memzero(key, sizeof(key));
	if ((req = json_pack("{s:o,s:O}", "box", memowire_b64(box, boxlen),
		 "grants", grants)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	if ((rc = cmd_memo_call(c, "POST", "/api/v1/complaints", req, &body)) !=
	    CLI_PROCEED)
		goto done;
	output_text(&c->out,
	    "Complaint filed; it is readable by the %zu auditors only.\n",
	    json_array_size(grants));
	rc = cli_emit(c, body);
done:
	sodium_memzero(key, sizeof(key));
	cmd_memo_text_free(text);
	free(box);
	json_decref(body);
	json_decref(req);
	json_decref(grants);
	return (rc);
}

/* Open one complaint ${e} with ${ks} into ${text}. */
static int
open_complaint(const json_t *e, const struct keys_secret *ks, char **text)
{
	uint8_t sealed[GRANT_SEALED_MAX], key[GRANT_KEY_BYTES];
	uint8_t *box = NULL;
	size_t len, boxlen;
	int rc = MEMOWIRE_EBAD;

	*text = NULL;
	if (memowire_get_grant(e, "sealed", sealed, &len) != 0 ||
	    memowire_get_b64(e, "box", &box, &boxlen,
		MEMOWIRE_COMPLAINT_MAX + AEAD_OVERHEAD) != 0)
		goto done;
	rc = MEMOWIRE_EINTEGRITY;
	if (grant_open(key, sealed, len, MEMOWIRE_GRANT_COMPLAINT,
		MEMOWIRE_COMPLAINT_CONTEXT, ks) != 0)
		goto done;
	if (memowire_complaint_open(text, box, boxlen, key) != 0)
		goto done;
	rc = 0;
done:
	sodium_memzero(key, sizeof(key));
	free(box);
	return (rc);
}

/* `dissent complaint list` */
static int
complaint_list(struct cli *c, int argc, char **argv)
{
	char when[OUTPUT_TIME_LEN];
	struct keys_secret ks;
	json_t *body = NULL, *out = NULL, *res = NULL, *e, *item;
	const char *p;
	char *text = NULL;
	size_t npos, i;
	int rc;

	memset(&ks, 0, sizeof(ks));
	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", "/api/v1/complaints", NULL, 200, &body)) !=
		CLI_PROCEED)
		return (rc);
	if ((rc = cmd_memo_own_keys(c, &ks)) != CLI_PROCEED)
		goto done;
	if ((out = json_array()) == NULL) {
		rc = nomem(c);
		goto done;
	}
	if (json_array_size(json_object_get(body, "complaints")) == 0)
		output_text(&c->out, "No complaints.\n");
	json_array_foreach(json_object_get(body, "complaints"), i, e)
	{
		switch (open_complaint(e, &ks, &text)) {
		case 0:
			break;
		case MEMOWIRE_EINTEGRITY:
			rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_grant",
			    "complaint %lld does not open with your keys",
			    (long long)json_integer_value(
				json_object_get(e, "id")));
			goto done;
		default:
			rc = cli_fail(c, CLI_EXIT_ERROR, "bad_response",
			    "the server's list of complaints is malformed");
			goto done;
		}
		output_time(when, (int64_t)json_integer_value(
				      json_object_get(e, "created_at")));
		output_text(&c->out, "\n== Complaint %lld, filed %s ==\n",
		    (long long)json_integer_value(json_object_get(e, "id")),
		    when);
		for (p = text; *p != '\0'; p++)
			output_text(&c->out, "%c",
			    ((unsigned char)*p < 0x20 && *p != '\n' &&
				*p != '\t') ||
				    *p == 0x7f
				? '?'
				: *p);
		if (p > text && p[-1] != '\n')
			output_text(&c->out, "\n");
		if ((item = json_pack("{s:O?,s:O?,s:s}", "id",
			 json_object_get(e, "id"), "created_at",
			 json_object_get(e, "created_at"), "text", text)) ==
			NULL ||
		    json_array_append_new(out, item) != 0) {
			rc = nomem(c);
			goto done;
		}
		cmd_memo_text_free(text);
		text = NULL;
	}
	if ((res = json_pack("{s:O}", "complaints", out)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	rc = cli_emit(c, res);
done:
	cmd_memo_text_free(text);
	keys_wipe(&ks);
	json_decref(res);
	json_decref(out);
	json_decref(body);
	return (rc);
}

static const struct cli_command commands[] = {
    {"file", complaint_file, "--file FILE",
	"File a reprisal complaint, readable by the auditors only.",
	"  --file FILE   the complaint (\"-\" for standard input)\n"
	"Your identity is not stored with it: say in the text who you are "
	"if you\nwant the auditors to know.\n"},
    {"list", complaint_list, "", "Read the complaints (auditors).", NULL},
};

const struct cli_noun cmd_complaint_noun = {"complaint",
    "Reprisal complaints, for the auditors.", commands,
    sizeof(commands) / sizeof(commands[0])};
