#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "aead.h"
#include "args.h"
#include "cli.h"
#include "cmd_channel.h"
#include "cmd_memo.h"
#include "directory.h"
#include "event.h"
#include "grant.h"
#include "keys.h"
#include "memo.h"
#include "memowire.h"
#include "output.h"
#include "zonetime.h"

#define PATH_CAP 256

/* Most recipients one `channel distribute` names. */
#define RECIPIENTS_MAX 16

/* The inbox's pages (docs/API.md, GET /channel/inbox). */
#define INBOX_LIMIT_MAX 500
#define INBOX_OFFSET_MAX 10000

/* Report that we are out of memory. */
static int
nomem(struct cli *c)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
}

/* The integer ${key} of ${obj}, or 0. */
static int64_t
int_of(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return (json_is_integer(v) ? (int64_t)json_integer_value(v) : 0);
}

/* `dissent channel init` */
static int
channel_init(struct cli *c, int argc, char **argv)
{
	uint8_t pk[KEYS_BOX_PK_BYTES], sk[KEYS_BOX_SK_BYTES];
	struct keys_secret ks;
	json_t *req = NULL, *body = NULL;
	size_t npos;
	int rc;

	memset(&ks, 0, sizeof(ks));
	memset(sk, 0, sizeof(sk));
	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_own_keys(c, &ks)) != CLI_PROCEED)
		return (rc);
	/* The channel key is an X25519 pair, as a memo's roster key is. */
	memo_roster_keypair(pk, sk);
	if ((req = json_pack("{s:o,s:o}", "pk", memowire_b64(pk, sizeof(pk)),
		 "grant",
		 memowire_grant_json(sk, MEMOWIRE_GRANT_CHANNEL, c->inst.id,
		     ks.pub.box_pk))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	sodium_memzero(sk, sizeof(sk));
	if ((rc = cmd_memo_call(
		 c, "POST", "/api/v1/channel/key", req, &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out,
	    "The channel key exists; it is sealed to you.  Grant it to the "
	    "other coordinators with `dissent channel grant'.\n");
	rc = cli_emit(c, body);
done:
	sodium_memzero(sk, sizeof(sk));
	keys_wipe(&ks);
	json_decref(body);
	json_decref(req);
	return (rc);
}

/*
 * Open the caller's own grant of the channel's secret key into ${sk}, and
 * check that it is the secret key of the channel's public key ${pk}.
 */
static int
own_channel_key(
    struct cli *c, uint8_t pk[KEYS_BOX_PK_BYTES], uint8_t sk[KEYS_BOX_SK_BYTES])
{
	uint8_t sealed[GRANT_SEALED_MAX], probe[GRANT_KEY_BYTES];
	uint8_t back[GRANT_KEY_BYTES];
	struct keys_secret ks;
	json_t *body;
	size_t len;
	int rc;

	memset(&ks, 0, sizeof(ks));
	if ((rc = cmd_memo_channel_pk(c, pk)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", "/api/v1/channel/grant", NULL, 200,
		 &body)) != CLI_PROCEED)
		return (rc);
	rc = memowire_get_grant(body, "grant", sealed, &len);
	json_decref(body);
	if (rc != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the server's answer to channel/grant is malformed"));
	if ((rc = cmd_memo_own_keys(c, &ks)) != CLI_PROCEED)
		return (rc);
	rc = grant_open(
	    sk, sealed, len, MEMOWIRE_GRANT_CHANNEL, c->inst.id, &ks);
	keys_wipe(&ks);
	if (rc != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_grant",
		    "your grant of the channel key does not open with your "
		    "keys"));
	/* A grant sealed to the public key must open with the secret one. */
	aead_key_new(probe);
	rc = grant_seal(sealed, &len, probe, "channel-check", c->inst.id, pk) !=
		 0 ||
	     grant_open_box(
		 back, sealed, len, "channel-check", c->inst.id, pk, sk) != 0 ||
	     sodium_memcmp(back, probe, sizeof(back)) != 0;
	sodium_memzero(back, sizeof(back));
	if (rc) {
		sodium_memzero(sk, KEYS_BOX_SK_BYTES);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_grant",
		    "your grant of the channel key is not the secret key of "
		    "the channel's public key"));
	}
	return (CLI_PROCEED);
}

/* `dissent channel grant MEMBER` */
static int
channel_grant(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	uint8_t pk[KEYS_BOX_PK_BYTES], sk[KEYS_BOX_SK_BYTES];
	char mid[DIRECTORY_MEMBER_ID_LEN + 1], clean[80];
	struct keys_public pub;
	json_t *req = NULL, *body = NULL;
	size_t npos;
	int rc;

	memset(sk, 0, sizeof(sk));
	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_member_ref(c, pos[0])) != CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if ((rc = cmd_memo_member_keys(c, pos[0], mid, &pub)) != CLI_PROCEED ||
	    (rc = own_channel_key(c, pk, sk)) != CLI_PROCEED)
		goto done;
	if ((req = json_pack("{s:s,s:o}", "member", mid, "grant",
		 memowire_grant_json(sk, MEMOWIRE_GRANT_CHANNEL, c->inst.id,
		     pub.box_pk))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	sodium_memzero(sk, sizeof(sk));
	if ((rc = cmd_memo_call(c, "POST", "/api/v1/channel/grants", req,
		 &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out, "Granted the channel key to %s (%s).\n",
	    output_clean(clean, sizeof(clean), pos[0]), mid);
	rc = cli_emit(c, body);
done:
	sodium_memzero(sk, sizeof(sk));
	json_decref(body);
	json_decref(req);
	return (rc);
}

/* Bad answer from the server to ${what}. */
static int
bad_answer(struct cli *c, const char *what)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
	    "the server's answer to %s is malformed", what));
}

/* Print the inbox page ${arr} (of ${total} memos from ${offset}). */
static void
print_inbox(struct cli *c, const json_t *arr, uint64_t offset, uint64_t total)
{
	char idb[32], st[16], tb[40], when[ZONETIME_LEN], as[32];
	char duehead[CALENDAR_TZ_MAX + 8];
	struct zonetime *zt;
	const json_t *e;
	size_t i, n = json_array_size(arr);
	int64_t due;
	int overdue, w;

	if (total == 0) {
		output_text(&c->out, "The inbox is empty.\n");
		return;
	}
	if (n == 0) {
		output_text(&c->out,
		    "No memos from %llu: the inbox has %llu.\n",
		    (unsigned long long)offset, (unsigned long long)total);
		return;
	}
	/* Without the zone (reported), the dates are UTC and say so. */
	zt = zonetime_new(c->inst.raw);
	w = snprintf(duehead, sizeof(duehead), "DUE (%s)", zonetime_zone(zt));
	if (w < ZONETIME_LEN - 1)
		w = ZONETIME_LEN - 1;
	output_text(&c->out, "%-26s %-12s %-12s %5s  %-*s %s\n", "MEMO",
	    "STATE", "TOPIC", "NAMED", w, duehead, "ASSIGNEE");
	json_array_foreach(arr, i, e)
	{
		cmd_memo_due(e, &due, &overdue);
		if (due > 0)
			zonetime_format(zt, due, when);
		else
			(void)snprintf(when, sizeof(when), "-");
		output_text(&c->out, "%-26s %-12s %-12s %5lld  %-*s %s%s\n",
		    output_clean(idb, sizeof(idb),
			json_string_value(json_object_get(e, "id"))),
		    output_clean(st, sizeof(st),
			json_string_value(json_object_get(e, "state"))),
		    output_clean(tb, sizeof(tb),
			json_string_value(json_object_get(e, "topic"))),
		    (long long)int_of(json_object_get(e, "counts"), "named"), w,
		    when,
		    output_clean(as, sizeof(as),
			json_string_value(json_object_get(e, "assignee"))),
		    overdue ? "  OVERDUE" : "");
	}
	zonetime_free(zt);
	output_text(&c->out, "Memos %llu-%llu of %llu",
	    (unsigned long long)offset + 1, (unsigned long long)(offset + n),
	    (unsigned long long)total);
	if (offset + n < total)
		output_text(&c->out, "; the next page: --offset %llu.\n",
		    (unsigned long long)(offset + n));
	else
		output_text(&c->out, ".\n");
}

/* `dissent channel inbox [--offset N] [--limit N]` */
static int
channel_inbox(struct cli *c, int argc, char **argv)
{
	uint64_t offset = 0, limit = INBOX_LIMIT_MAX;
	const struct args_spec spec[] = {
	    {"--offset", ARGS_U64, &offset},
	    {"--limit", ARGS_U64, &limit},
	};
	char path[PATH_CAP];
	json_t *body, *arr, *total;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if (limit < 1 || limit > INBOX_LIMIT_MAX)
		return (cli_usage(
		    c, "--limit must be from 1 to %d", INBOX_LIMIT_MAX));
	if (offset > INBOX_OFFSET_MAX)
		return (cli_usage(
		    c, "--offset must be from 0 to %d", INBOX_OFFSET_MAX));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path),
	    "/api/v1/channel/inbox?offset=%llu&limit=%llu",
	    (unsigned long long)offset, (unsigned long long)limit);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "memos");
	total = json_object_get(body, "total");
	if (!json_is_array(arr) || json_array_size(arr) > limit ||
	    !json_is_integer(total) || json_integer_value(total) < 0 ||
	    (json_array_size(arr) > 0 && (uint64_t)json_integer_value(total) <
					     offset + json_array_size(arr))) {
		json_decref(body);
		return (bad_answer(c, "channel/inbox"));
	}
	if (!c->out.json)
		print_inbox(
		    c, arr, offset, (uint64_t)json_integer_value(total));
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* POST /memos/ID/${action} with ${req} and check the receipt of ${type}. */
static int
memo_action(struct cli *c, const char *id, const char *action,
    const json_t *req, uint16_t type, const char *what)
{
	char path[PATH_CAP];
	json_t *body;
	int rc;

	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/%s", id, action);
	if ((rc = cmd_memo_call(c, "POST", path, req, &body)) != CLI_PROCEED)
		return (rc);
	rc = cmd_memo_receipt_done(c, body, id, type, what);
	json_decref(body);
	return (rc);
}

/* A one-memo command with no other argument. */
static int
simple_action(struct cli *c, int argc, char **argv, const char *action,
    uint16_t type, const char *what)
{
	const char *pos[1];
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	return (memo_action(c, pos[0], action, NULL, type, what));
}

/* `dissent channel ack ID` */
static int
channel_ack(struct cli *c, int argc, char **argv)
{

	return (simple_action(
	    c, argc, argv, "ack", EVENT_MEMO_ACKNOWLEDGED, "Acknowledged"));
}

/* `dissent channel close ID` */
static int
channel_close(struct cli *c, int argc, char **argv)
{

	return (
	    simple_action(c, argc, argv, "close", EVENT_MEMO_CLOSED, "Closed"));
}

/*
 * Encrypt the text of ${file} as the memo ${id}'s next note of ${kind}
 * and POST it to ${action}; the receipt must log the box's hash.
 */
static int
post_note(struct cli *c, const char *id, const char *file, uint8_t kind,
    const char *action, uint16_t type, const char *what)
{
	uint8_t bh[MEMO_HASH_BYTES];
	struct memowire_receipt rc_;
	struct memowire_keys k;
	char path[PATH_CAP], *text = NULL;
	uint8_t *box = NULL;
	json_t *req = NULL, *body = NULL;
	size_t boxlen = 0;
	uint32_t n;
	int rc;

	memset(&k, 0, sizeof(k));
	if ((rc = cmd_memo_read_text(
		 c, file, MEMO_REPLY_MAX, "the text", &text)) != CLI_PROCEED)
		return (rc);
	if ((rc = cmd_memo_keys(c, id, &k)) != CLI_PROCEED ||
	    (rc = cmd_memo_next_n(c, id, &n)) != CLI_PROCEED)
		goto done;
	if (memo_reply_seal(&box, &boxlen, text, id, kind, n, k.key) != 0) {
		rc = cli_usage(c,
		    "the text is refused: it must be UTF-8, at "
		    "most %u bytes",
		    (unsigned)MEMO_REPLY_MAX);
		goto done;
	}
	memowire_keys_wipe(&k);
	memo_box_hash(bh, box, boxlen);
	if ((req = json_pack("{s:I,s:o}", "n", (json_int_t)n, "box",
		 memowire_b64(box, boxlen))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/%s", id, action);
	if ((rc = cmd_memo_call(c, "POST", path, req, &body)) != CLI_PROCEED ||
	    (rc = cmd_memo_receipt_check(c, json_object_get(body, "receipt"),
		 id, type, &rc_)) != CLI_PROCEED)
		goto done;
	if (sodium_memcmp(rc_.ev.hash, bh, sizeof(bh)) != 0 ||
	    (type == EVENT_MEMO_REPLIED && rc_.ev.n != n)) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
		    "the receipt logs another text than the one sent");
		goto done;
	}
	rc = cmd_memo_receipt_done(c, body, id, type, what);
done:
	memowire_keys_wipe(&k);
	cmd_memo_text_free(text);
	free(box);
	json_decref(body);
	json_decref(req);
	return (rc);
}

/* `dissent channel redirect ID --note-file FILE` */
static int
channel_redirect(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *file = NULL;
	const struct args_spec spec[] = {
	    {"--note-file", ARGS_STRING, &file},
	};
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if (file == NULL)
		return (cli_usage(c, "--note-file is required: say where to "
				     "go instead"));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	return (post_note(c, pos[0], file, MEMO_REPLY_KIND_REDIRECT, "redirect",
	    EVENT_MEMO_REDIRECTED, "Redirected"));
}

/* `dissent channel reply ID --file FILE` */
static int
channel_reply(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *file = NULL;
	const struct args_spec spec[] = {
	    {"--file", ARGS_STRING, &file},
	};
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if (file == NULL)
		return (cli_usage(c, "--file is required (\"-\" for standard "
				     "input)"));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	return (post_note(c, pos[0], file, MEMO_REPLY_KIND_REPLY, "replies",
	    EVENT_MEMO_REPLIED, "Replied"));
}

/* `dissent channel assign ID MEMBER` */
static int
channel_assign(struct cli *c, int argc, char **argv)
{
	const char *pos[2];
	char mid[DIRECTORY_MEMBER_ID_LEN + 1], path[PATH_CAP];
	struct memowire_receipt rc_;
	struct memowire_keys k;
	struct keys_public pub;
	json_t *req = NULL, *body = NULL;
	size_t npos;
	int rc;

	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 2, 2, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED ||
	    (rc = cli_member_ref(c, pos[1])) != CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if ((rc = cmd_memo_member_keys(c, pos[1], mid, &pub)) != CLI_PROCEED ||
	    (rc = cmd_memo_keys(c, pos[0], &k)) != CLI_PROCEED)
		goto done;
	/* The assignee reads the memo, never the signers: no roster. */
	if ((req = json_pack("{s:s,s:o}", "member", mid, "grant",
		 memowire_grant_json(
		     k.key, MEMO_GRANT_KEY, pos[0], pub.box_pk))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	memowire_keys_wipe(&k);
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/assign", pos[0]);
	if ((rc = cmd_memo_call(c, "POST", path, req, &body)) != CLI_PROCEED ||
	    (rc = cmd_memo_receipt_check(c, json_object_get(body, "receipt"),
		 pos[0], EVENT_MEMO_ASSIGNED, &rc_)) != CLI_PROCEED)
		goto done;
	if (strcmp(rc_.ev.member_id, mid) != 0) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
		    "the receipt logs another assignee");
		goto done;
	}
	rc = cmd_memo_receipt_done(
	    c, body, pos[0], EVENT_MEMO_ASSIGNED, "Assigned");
done:
	memowire_keys_wipe(&k);
	json_decref(body);
	json_decref(req);
	return (rc);
}

/*
 * Remember the handle and name of the Member object ${m} in ${who}, keyed
 * by its id (the id alone if they are missing).
 */
static int
remember(struct cli *c, json_t *who, const json_t *m)
{
	const char *id = json_string_value(json_object_get(m, "id"));

	if (id == NULL || !directory_member_id_valid(id))
		return (bad_answer(c, "members"));
	if (json_object_set_new(who, id,
		json_pack("{s:O?,s:O?}", "handle", json_object_get(m, "handle"),
		    "name", json_object_get(m, "display_name"))) != 0)
		return (nomem(c));
	return (CLI_PROCEED);
}

/*
 * Add the member ids of the standard list for memo ${id} to ${ids}, and
 * their handles and names to ${who}.
 */
static int
standard_list(struct cli *c, const char *id, json_t *ids, json_t *who)
{
	char path[PATH_CAP];
	const char *mid;
	json_t *body, *e;
	size_t i;
	int rc;

	(void)snprintf(
	    path, sizeof(path), "/api/v1/standard-principals?memo=%s", id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	json_array_foreach(json_object_get(body, "members"), i, e)
	{
		mid = json_string_value(json_object_get(e, "id"));
		if (mid == NULL || !directory_member_id_valid(mid) ||
		    json_array_size(ids) >= RECIPIENTS_MAX) {
			json_decref(body);
			return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
			    "the server's standard list is malformed"));
		}
		if (json_array_append_new(ids, json_string(mid)) != 0) {
			json_decref(body);
			return (nomem(c));
		}
		if ((rc = remember(c, who, e)) != CLI_PROCEED) {
			json_decref(body);
			return (rc);
		}
	}
	json_decref(body);
	if (json_array_size(ids) == 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "no_recipients",
		    "the standard list of principals is empty: name them with "
		    "--to"));
	return (CLI_PROCEED);
}

/* Look the member ${mid} up (GET /members/{id}) into ${who}, once. */
static int
look_up(struct cli *c, const char *mid, json_t *who)
{
	char path[PATH_CAP];
	json_t *body;
	int rc;

	if (json_object_get(who, mid) != NULL)
		return (CLI_PROCEED);
	(void)snprintf(path, sizeof(path), "/api/v1/members/%s", mid);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	rc = remember(c, who, json_object_get(body, "member"));
	json_decref(body);
	return (rc);
}

/* Split the comma-separated members of --to into ${ids}. */
static int
parse_to(struct cli *c, const char *list, json_t *ids)
{
	char ref[DIRECTORY_HANDLE_MAX + 1];
	const char *p = list, *end;
	size_t len;

	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 0 || len > DIRECTORY_HANDLE_MAX ||
		    json_array_size(ids) >= RECIPIENTS_MAX)
			return (cli_usage(c,
			    "--to takes 1-%d member ids or "
			    "handles, comma-separated",
			    RECIPIENTS_MAX));
		memcpy(ref, p, len);
		ref[len] = '\0';
		if (!directory_member_id_valid(ref) &&
		    !directory_handle_valid(ref))
			return (cli_usage(c,
			    "--to: \"%s\" is neither a member "
			    "id nor a handle",
			    ref));
		if (json_array_append_new(ids, json_string(ref)) != 0)
			return (nomem(c));
		if (end == NULL)
			return (CLI_PROCEED);
		p = end + 1;
	}
}

/*
 * Print the distributions of ${body} with the handles and names of ${who}
 * (by member id), and say whether some wait for the director.
 */
static void
print_distributions(struct cli *c, const json_t *body, const json_t *who)
{
	char hb[DIRECTORY_HANDLE_MAX + 1], nb[DIRECTORY_DISPLAY_NAME_MAX + 1];
	char sb[16];
	const json_t *e, *m;
	const char *mid, *status;
	size_t i, pending = 0;

	output_text(&c->out, "%-24s %-32s %s\n", "PRINCIPAL", "NAME", "STATUS");
	json_array_foreach(json_object_get(body, "distributions"), i, e)
	{
		mid = json_string_value(json_object_get(e, "member"));
		status = json_string_value(json_object_get(e, "status"));
		m = mid != NULL ? json_object_get(who, mid) : NULL;
		if (status != NULL && strcmp(status, "pending") == 0)
			pending++;
		output_text(&c->out, "%-24s %-32s %s\n",
		    output_clean(hb, sizeof(hb),
			m != NULL &&
				json_is_string(json_object_get(m, "handle"))
			    ? json_string_value(json_object_get(m, "handle"))
			    : mid),
		    output_clean(nb, sizeof(nb),
			json_string_value(json_object_get(m, "name"))),
		    output_clean(sb, sizeof(sb), status));
	}
	if (pending > 0)
		output_note(&c->out,
		    "%zu recipient%s beyond the standard list wait%s for the "
		    "director's approval (`dissent channel approve').\n",
		    pending, pending == 1 ? "" : "s", pending == 1 ? "s" : "");
}

/* `dissent channel distribute ID [--to MEMBER,...]` */
static int
channel_distribute(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *to = NULL, *ref;
	const struct args_spec spec[] = {
	    {"--to", ARGS_STRING, &to},
	};
	char mid[DIRECTORY_MEMBER_ID_LEN + 1], path[PATH_CAP];
	struct memowire_keys k;
	struct keys_public pub;
	json_t *ids = NULL, *recips = NULL, *req = NULL, *body = NULL, *e;
	json_t *who = NULL;
	size_t npos, i;
	int rc;

	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((ids = json_array()) == NULL || (recips = json_array()) == NULL ||
	    (who = json_object()) == NULL) {
		rc = nomem(c);
		goto done;
	}
	if (to != NULL && (rc = parse_to(c, to, ids)) != CLI_PROCEED)
		goto done;
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		goto done;
	if (to == NULL &&
	    (rc = standard_list(c, pos[0], ids, who)) != CLI_PROCEED)
		goto done;
	if ((rc = cmd_memo_keys_checked(c, pos[0], &k)) != CLI_PROCEED)
		goto done;
	if (!k.have_roster) {
		rc = cli_fail(c, CLI_EXIT_FORBIDDEN, "no_key",
		    "the channel holds no roster key for memo %s", pos[0]);
		goto done;
	}
	/* Principals see the memo and its signers. */
	json_array_foreach(ids, i, e)
	{
		ref = json_string_value(e);
		if ((rc = cmd_memo_member_keys(c, ref, mid, &pub)) !=
			CLI_PROCEED ||
		    (!c->out.json &&
			(rc = look_up(c, mid, who)) != CLI_PROCEED))
			goto done;
		if (json_array_append_new(recips,
			json_pack("{s:s,s:o,s:o}", "member", mid, "key",
			    memowire_grant_json(
				k.key, MEMO_GRANT_KEY, pos[0], pub.box_pk),
			    "roster",
			    memowire_grant_json(k.roster_sk, MEMO_GRANT_ROSTER,
				pos[0], pub.box_pk))) != 0) {
			rc = nomem(c);
			goto done;
		}
	}
	memowire_keys_wipe(&k);
	if ((req = json_pack("{s:O}", "recipients", recips)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	(void)snprintf(
	    path, sizeof(path), "/api/v1/memos/%s/distribute", pos[0]);
	if ((rc = cmd_memo_call(c, "POST", path, req, &body)) != CLI_PROCEED)
		goto done;
	print_distributions(c, body, who);
	rc = cli_emit(c, body);
done:
	memowire_keys_wipe(&k);
	json_decref(who);
	json_decref(body);
	json_decref(req);
	json_decref(recips);
	json_decref(ids);
	return (rc);
}

/* `dissent channel approve ID MEMBER` */
static int
channel_approve(struct cli *c, int argc, char **argv)
{
	const char *pos[2];
	char mid[DIRECTORY_MEMBER_ID_LEN + 1], path[PATH_CAP];
	struct memowire_receipt rc_;
	json_t *body, *receipt;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 2, 2, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_member_id(c, pos[1], mid)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path),
	    "/api/v1/memos/%s/distributions/%s/approve", pos[0], mid);
	if ((rc = cmd_memo_call(c, "POST", path, NULL, &body)) != CLI_PROCEED)
		return (rc);
	/* The approval stands even when the server could not prove it yet. */
	receipt = json_object_get(body, "receipt");
	if (json_is_object(receipt)) {
		if ((rc = cmd_memo_receipt_check(c, receipt, pos[0],
			 EVENT_MEMO_DISTRIBUTED, &rc_)) != CLI_PROCEED)
			goto done;
		if (strcmp(rc_.ev.member_id, mid) != 0) {
			rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
			    "the receipt logs another principal");
			goto done;
		}
		if (json_object_set_new(
			body, "verified", memowire_receipt_json(&rc_)) != 0) {
			rc = nomem(c);
			goto done;
		}
	} else
		output_note(&c->out,
		    "The server gave no receipt yet; `dissent log entries' "
		    "will show the distribution.\n");
	output_text(
	    &c->out, "Approved: memo %s is distributed to %s.\n", pos[0], mid);
	rc = cli_emit(c, body);
done:
	json_decref(body);
	return (rc);
}

static const struct cli_command commands[] = {
    {"init", channel_init, "", "Create the channel key (a coordinator, once).",
	NULL},
    {"grant", channel_grant, "ID|HANDLE",
	"Grant the channel key to another coordinator.",
	"The member's keys are checked against the log first.\n"},
    {"inbox", channel_inbox, "[--offset N] [--limit N]",
	"Submitted memos, by due date, overdue ones marked.",
	"  --offset N   skip the first N memos (0-10000; default 0)\n"
	"  --limit N    show at most N memos (1-500; default 500)\n"
	"Due dates are shown in the instance's time zone.\n"},
    {"ack", channel_ack, "ID", "Acknowledge a submitted memo.", NULL},
    {"redirect", channel_redirect, "ID --note-file FILE",
	"Redirect a memo as out of scope, saying where to go.",
	"  --note-file FILE   the note (encrypted for the drafters and "
	"signers;\n"
	"                     \"-\" for standard input)\n"},
    {"assign", channel_assign, "ID ID|HANDLE",
	"Assign a colleague to draft the reply.", NULL},
    {"distribute", channel_distribute, "ID [--to ID|HANDLE,...]",
	"Distribute to principals (default: the standard list).",
	"  --to M,...   these principals instead of the standard list; "
	"those not on\n"
	"               it wait for the director's approval\n"},
    {"approve", channel_approve, "ID ID|HANDLE",
	"Approve a distribution off the standard list (director).", NULL},
    {"reply", channel_reply, "ID --file FILE",
	"Reply, encrypted for the drafters and signers.",
	"  --file FILE   the reply (\"-\" for standard input)\n"},
    {"close", channel_close, "ID", "Close a memo.", NULL},
};

const struct cli_noun cmd_channel_noun = {"channel",
    "The channel's work on submitted memos (coordinators).", commands,
    sizeof(commands) / sizeof(commands[0])};
