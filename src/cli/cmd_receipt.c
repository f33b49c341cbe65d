#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "args.h"
#include "b64.h"
#include "cli.h"
#include "cmd_memo.h"
#include "cmd_receipt.h"
#include "event.h"
#include "memowire.h"
#include "output.h"
#include "serverpin.h"
#include "treehead.h"

/* Largest receipt file read. */
#define RECEIPT_FILE_MAX (64u * 1024u)

/* Room for a hash in base64url. */
#define HASH_B64 B64_ENCODED_LEN(MEMO_HASH_BYTES)

/*
 * The key to trust: --server-key, else the key pinned for --server or the
 * default server; with the pin, its instance id in ${instance}.
 */
static int
trusted_key(struct cli *c, const char *flag, uint8_t pk[TREEHEAD_PK_BYTES],
    const char **instance, const char **url)
{
	const char *pin;
	int rc;

	*instance = NULL;
	*url = NULL;
	if (flag != NULL) {
		if (b64_decode_exact(pk, TREEHEAD_PK_BYTES, flag) != 0)
			return (cli_usage(c, "--server-key takes the server's "
					     "32-byte signing key in "
					     "base64url"));
		return (CLI_PROCEED);
	}
	if ((rc = cli_home(c)) != CLI_PROCEED)
		return (rc);
	if ((*url = c->server_flag) == NULL)
		*url = json_string_value(json_object_get(c->config, "server"));
	if (*url == NULL ||
	    (pin = serverpin_get(c->config, *url, "server_sign_pk")) == NULL)
		return (cli_usage(c,
		    "no server key is pinned%s%s: give "
		    "--server-key B64 or --server URL",
		    *url != NULL ? " for " : "", *url != NULL ? *url : ""));
	if (b64_decode_exact(pk, TREEHEAD_PK_BYTES, pin) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "the key pinned for %s is malformed", *url));
	*instance = serverpin_get(c->config, *url, "instance_id");
	return (CLI_PROCEED);
}

/* `dissent receipt verify FILE [--server-key B64]` */
static int
receipt_verify(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *key = NULL, *instance, *url;
	const struct args_spec spec[] = {
	    {"--server-key", ARGS_STRING, &key},
	};
	uint8_t pk[TREEHEAD_PK_BYTES];
	char err[MEMOWIRE_ERR_MAX], when[OUTPUT_TIME_LEN], line[160];
	char h[HASH_B64], fp[SERVERPIN_FINGERPRINT_LEN];
	struct memowire_receipt rc_;
	const struct event *ev = &rc_.ev;
	json_error_t je;
	json_t *r = NULL, *res = NULL;
	char *text = NULL;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = trusted_key(c, key, pk, &instance, &url)) != CLI_PROCEED ||
	    (rc = cmd_memo_read_text(
		 c, pos[0], RECEIPT_FILE_MAX, "receipt", &text)) != CLI_PROCEED)
		return (rc);
	if ((r = json_loads(text, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
		    "the receipt does not verify: %s is not JSON", pos[0]);
		goto done;
	}
	if (memowire_receipt_verify(r, pk, &rc_, err, sizeof(err)) != 0) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
		    "the receipt does not verify: %s", err);
		goto done;
	}
	if (instance != NULL && strcmp(instance, rc_.head.instance_id) != 0) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
		    "the receipt does not verify: it is for instance %s, but "
		    "the key pinned for %s is instance %s's",
		    rc_.head.instance_id, url, instance);
		goto done;
	}
	serverpin_fingerprint(fp, pk);
	output_text(&c->out, "OK: the receipt verifies.\n");
	output_field(&c->out, "Memo", rc_.memo_id);
	output_field(&c->out, "Event", event_type_name(ev->type));
	if (ev->type == EVENT_MEMO_SUBMITTED) {
		(void)snprintf(line, sizeof(line), "%u", ev->memo_version);
		output_field(&c->out, "Version", line);
		if (b64_encode(h, sizeof(h), ev->hash, sizeof(ev->hash)) == 0)
			output_field(&c->out, "Version hash", h);
		(void)snprintf(line, sizeof(line), "%u named, %u anonymous",
		    ev->named, ev->anonymous);
		output_field(&c->out, "Signatures", line);
	}
	output_time(when, (int64_t)ev->time);
	output_field(&c->out, "Time", when);
	(void)snprintf(
	    line, sizeof(line), "%llu", (unsigned long long)rc_.index);
	output_field(&c->out, "Log index", line);
	(void)snprintf(
	    line, sizeof(line), "%llu", (unsigned long long)rc_.head.size);
	output_field(&c->out, "Tree size", line);
	output_field(&c->out, "Instance", rc_.head.instance_id);
	output_field(&c->out, "Server key", fp);
	if ((res = json_pack("{s:b,s:o}", "ok", 1, "receipt",
		 memowire_receipt_json(&rc_))) == NULL) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
		goto done;
	}
	rc = cli_emit(c, res);
done:
	cmd_memo_text_free(text);
	json_decref(res);
	json_decref(r);
	return (rc);
}

static const struct cli_command commands[] = {
    {"verify", receipt_verify, "FILE [--server-key B64]",
	"Verify a receipt offline.",
	"  --server-key B64   trust this server signing key (base64url); "
	"default: the\n"
	"                     key pinned for --server or the default "
	"server\n"
	"Checks the tree head's signature, the event's inclusion proof and "
	"the\nevent itself, without contacting any server.  Exit 9 if it "
	"does not\nverify.\n"},
};

const struct cli_noun cmd_receipt_noun = {"receipt",
    "Receipts of submission and of the channel's actions.", commands,
    sizeof(commands) / sizeof(commands[0])};
