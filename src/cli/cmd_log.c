#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "args.h"
#include "audit.h"
#include "b64.h"
#include "calendar.h"
#include "cli.h"
#include "cmd_log.h"
#include "event.h"
#include "home.h"
#include "keys.h"
#include "lifecycle.h"
#include "logwire.h"
#include "merkle.h"
#include "output.h"
#include "serverpin.h"
#include "treehead.h"
#include "wire.h"

#define PATH_CAP 256
#define MSG_MAX 512

/* Most entries the server returns per request (docs/API.md). */
#define ENTRIES_PAGE 1000

/* `log entries`: default and largest --count. */
#define ENTRIES_DEFAULT 100
#define ENTRIES_MAX 100000

/*
 * A head lags the append it covers by up to the server's signing interval
 * (200 ms by default): poll this often, for at most this long, before
 * calling an entry missing.
 */
#define HEAD_POLL_MS 200
#define HEAD_WAIT_MS 2000

/* Key changes listed in a human audit report (all of them in JSON). */
#define REPORT_KEY_CHANGES 50

/* Memos listed in a human audit report (all of them in JSON). */
#define REPORT_MEMOS 500

/* Event types are below this (memo and channel events take 100..199). */
#define EVENT_TYPES_MAX 200

/*
 * The deadline scheduler's interval if the server does not publish it, and
 * the bounds it may have (dissentd's scheduler_interval_ms).
 */
#define SCHEDULER_DEFAULT_MS 60000
#define SCHEDULER_MIN_MS 100
#define SCHEDULER_MAX_MS 86400000

/*
 * Seconds beyond one scheduler interval that a missed deadline may go
 * without its deadline_missed event before the audit calls it absent: the
 * time a pass over every open memo, its transaction and the next signed
 * tree head may take.
 */
#define AUDIT_GRACE_SECONDS 60

/* Report an answer of the server that does not have the expected shape. */
static int
bad_answer(struct cli *c, const char *what)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
	    "the server's answer to %s is malformed", what));
}

/* A tree head's root as base64url, for display. */
static void
root_text(char out[B64_ENCODED_LEN(MERKLE_HASH_BYTES)],
    const uint8_t root[MERKLE_HASH_BYTES])
{

	if (b64_encode(out, B64_ENCODED_LEN(MERKLE_HASH_BYTES), root,
		MERKLE_HASH_BYTES) != 0)
		out[0] = '\0';
}

/* Sleep ${ms} milliseconds. */
static void
sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

/*
 * GET /log/head into ${th}, verified: signed by the pinned server key, for
 * the instance the server says it is.
 */
static int
fetch_head(struct cli *c, struct treehead *th)
{
	json_t *body;
	int rc;

	if ((rc = cli_call(c, "GET", "/api/v1/log/head", NULL, 200, &body)) !=
	    CLI_PROCEED)
		return (rc);
	rc = logwire_head_parse(body, th);
	json_decref(body);
	if (rc != 0)
		return (bad_answer(c, "log/head"));
	if (treehead_verify(th, c->inst.sign_pk) != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_tree_head",
		    "the server's signed tree head (size %llu) does not "
		    "verify with its pinned key",
		    (unsigned long long)th->size));
	if (strcmp(th->instance_id, c->inst.id) != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_tree_head",
		    "the server's tree head is for instance %.64s, but the "
		    "server is instance %.64s",
		    th->instance_id, c->inst.id));
	return (CLI_PROCEED);
}

/* GET the consistency proof between sizes ${m} and ${n}. */
static int
fetch_consistency(
    struct cli *c, uint64_t m, uint64_t n, uint8_t *proof, size_t *nhashes)
{
	char path[PATH_CAP];
	json_t *body;
	uint64_t first, second;
	int rc;

	(void)snprintf(path, sizeof(path),
	    "/api/v1/log/consistency?first=%llu&second=%llu",
	    (unsigned long long)m, (unsigned long long)n);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	rc = logwire_u64(body, "first", &first) != 0 ||
	     logwire_u64(body, "second", &second) != 0 || first != m ||
	     second != n || logwire_proof_parse(body, proof, nhashes) != 0;
	json_decref(body);
	if (rc)
		return (bad_answer(c, "log/consistency"));
	return (CLI_PROCEED);
}

/*
 * Check that ${new} (verified) extends ${old} (verified), which was
 * ${how} ("seen", "audited") at ${when}; fetch a consistency proof if
 * needed.  Return CLI_PROCEED, or CLI_EXIT_INTEGRITY after saying that
 * the log may have been rolled back or forked.
 */
static int
check_extends(struct cli *c, const struct treehead *old, int64_t when,
    const char *how, const struct treehead *new)
{
	uint8_t proof[LOGWIRE_PROOF_BYTES];
	char date[OUTPUT_TIME_LEN];
	size_t n = 0;
	int rc;

	/* Only a larger tree that is not a fresh one needs a proof. */
	if (strcmp(old->instance_id, new->instance_id) == 0 &&
	    new->size > old->size && old->size > 0 &&
	    (rc = fetch_consistency(c, old->size, new->size, proof, &n)) !=
		CLI_PROCEED)
		return (rc);
	if (treehead_check_consistency(old, new, proof, n) == 0)
		return (CLI_PROCEED);
	output_time(date, when);
	return (cli_fail(c, CLI_EXIT_INTEGRITY, "log_inconsistent",
	    "the server's log is inconsistent with the tree head %s on %s "
	    "(size %llu; the server now signs size %llu): it may have been "
	    "rolled back or forked",
	    how, date, (unsigned long long)old->size,
	    (unsigned long long)new->size));
}

/*
 * Read the head recorded for this server into ${c}->log_prev.  A head
 * recorded under another server key (the key was pinned anew since) is
 * dropped with a notice.  Return CLI_PROCEED or an exit code.
 */
static int
load_recorded(struct cli *c)
{
	char err[MSG_MAX];
	json_t *rec;
	const char *pk;
	json_int_t seen;
	int rc;

	c->log_had_prev = 0;
	rc = home_record_load(c->home, HOME_LOG_HEADS_FILE, HOME_FILE_MAX,
	    c->server, &rec, err, sizeof(err));
	if (rc < 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	if (rc == 1)
		return (CLI_PROCEED);
	pk = json_string_value(json_object_get(rec, "server_sign_pk"));
	seen = json_integer_value(json_object_get(rec, "seen_at"));
	if (pk == NULL ||
	    logwire_head_parse(json_object_get(rec, "head"), &c->log_prev) !=
		0 ||
	    !json_is_integer(json_object_get(rec, "seen_at"))) {
		json_decref(rec);
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "%s: the record of %s is malformed", HOME_LOG_HEADS_FILE,
		    c->server));
	}
	if (strcmp(pk, c->inst.sign_pk_b64) != 0) {
		json_decref(rec);
		output_note(&c->out,
		    "dissent: the tree head recorded for %s was signed by "
		    "the server key pinned before; recording afresh\n",
		    c->server);
		return (CLI_PROCEED);
	}
	json_decref(rec);
	if (treehead_verify(&c->log_prev, c->inst.sign_pk) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "%s: the tree head recorded for %s does not verify with "
		    "the pinned key; the file was altered",
		    HOME_LOG_HEADS_FILE, c->server));
	c->log_prev_seen = (int64_t)seen;
	c->log_had_prev = 1;
	return (CLI_PROCEED);
}

/* Record ${th}, verified now, as the last head seen of this server. */
static int
record_head(struct cli *c, const struct treehead *th)
{
	char err[MSG_MAX];
	json_t *rec;
	int rc;

	if ((rec = json_pack("{s:o,s:I,s:s}", "head", logwire_head_json(th),
		 "seen_at", (json_int_t)time(NULL), "server_sign_pk",
		 c->inst.sign_pk_b64)) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = home_record_save(c->home, HOME_LOG_HEADS_FILE, HOME_FILE_MAX,
	    c->server, rec, err, sizeof(err));
	json_decref(rec);
	if (rc != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	return (CLI_PROCEED);
}

/**
 * cmd_log_check_head(c):
 * Once per run: fetch the server's latest signed tree head, verify it with
 * the pinned server key and the instance id, check that it extends the
 * head last recorded for this server in log-heads.json (equal sizes need
 * equal roots; a larger size a valid consistency proof), then keep it as
 * the run's verified head and record it.  Needs the session token set.
 * Return CLI_PROCEED, or an exit code (CLI_EXIT_INTEGRITY for a bad
 * signature, another instance, a rollback or a fork: the recorded head is
 * then kept).
 */
int
cmd_log_check_head(struct cli *c)
{
	struct treehead th;
	int rc;

	if (c->log_checked)
		return (CLI_PROCEED);
	if ((rc = cli_home(c)) != CLI_PROCEED ||
	    (rc = fetch_head(c, &th)) != CLI_PROCEED ||
	    (rc = load_recorded(c)) != CLI_PROCEED)
		return (rc);
	if (c->log_had_prev &&
	    (rc = check_extends(c, &c->log_prev, c->log_prev_seen, "seen",
		 &th)) != CLI_PROCEED)
		return (rc);
	/* The same tree again: nothing new to record (keep it cheap). */
	if (!c->log_had_prev || th.size != c->log_prev.size) {
		if ((rc = record_head(c, &th)) != CLI_PROCEED)
			return (rc);
	}
	c->log_head = th;
	c->log_checked = 1;
	return (CLI_PROCEED);
}

/* Fetch the latest head again and move the run's verified head to it. */
static int
refresh_head(struct cli *c)
{
	struct treehead th;
	int rc;

	if ((rc = fetch_head(c, &th)) != CLI_PROCEED ||
	    (rc = check_extends(c, &c->log_head, (int64_t)time(NULL), "seen",
		 &th)) != CLI_PROCEED)
		return (rc);
	if (th.size != c->log_head.size &&
	    (rc = record_head(c, &th)) != CLI_PROCEED)
		return (rc);
	c->log_head = th;
	return (CLI_PROCEED);
}

/*
 * Wait (polling, at most HEAD_WAIT_MS) until the run's verified head
 * covers entry ${index}.  Return CLI_PROCEED, 0 if it never did, or an
 * exit code.
 */
static int
wait_for_entry(struct cli *c, uint64_t index)
{
	long waited = 0;
	int rc;

	while (index >= c->log_head.size) {
		if (waited >= HEAD_WAIT_MS)
			return (0);
		sleep_ms(HEAD_POLL_MS);
		waited += HEAD_POLL_MS;
		if ((rc = refresh_head(c)) != CLI_PROCEED)
			return (rc);
	}
	return (CLI_PROCEED);
}

/* GET entry ${index}'s leaf input into ${leaf} (EVENT_MAX_BYTES). */
static int
fetch_entry(struct cli *c, uint64_t index, uint8_t *leaf, size_t *len)
{
	char path[PATH_CAP];
	json_t *body, *arr;
	uint64_t got;
	int rc;

	(void)snprintf(path, sizeof(path),
	    "/api/v1/log/entries?start=%llu&count=1",
	    (unsigned long long)index);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "entries");
	rc =
	    !json_is_array(arr) || json_array_size(arr) != 1 ||
	    logwire_entry_parse(json_array_get(arr, 0), &got, leaf, len) != 0 ||
	    got != index;
	json_decref(body);
	if (rc)
		return (bad_answer(c, "log/entries"));
	return (CLI_PROCEED);
}

/* GET the inclusion proof of entry ${index} in the run's head. */
static int
fetch_inclusion(struct cli *c, uint64_t index, uint8_t *proof, size_t *nhashes)
{
	char path[PATH_CAP];
	json_t *body;
	uint64_t i, n;
	int rc;

	(void)snprintf(path, sizeof(path),
	    "/api/v1/log/inclusion?index=%llu&size=%llu",
	    (unsigned long long)index, (unsigned long long)c->log_head.size);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	rc = logwire_u64(body, "index", &i) != 0 ||
	     logwire_u64(body, "size", &n) != 0 || i != index ||
	     n != c->log_head.size ||
	     logwire_proof_parse(body, proof, nhashes) != 0;
	json_decref(body);
	if (rc)
		return (bad_answer(c, "log/inclusion"));
	return (CLI_PROCEED);
}

/* Read a keys record {"epoch","sign_pk","box_pk","ring_pk","log_index"}. */
static int
parse_keys_record(const json_t *rec, uint32_t *epoch, struct keys_public *pub,
    uint64_t *index)
{
	json_t *wrapper;
	int rc;

	/* wire_member_keys() reads the "keys" of a member: wrap it so. */
	if ((wrapper = json_pack("{s:O}", "keys", rec)) == NULL)
		return (-1);
	rc = wire_member_keys(wrapper, epoch, pub);
	json_decref(wrapper);
	if (rc != 0 || logwire_u64(rec, "log_index", index) != 0)
		return (-1);
	return (0);
}

/* Report keys of ${who} that the log does not publish, and why. */
static int
keys_not_logged(struct cli *c, const char *who, const char *why, uint64_t index)
{
	char clean[80];

	return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_not_logged",
	    "the server presented keys for %s that the log does not contain "
	    "(entry %llu %s)",
	    output_clean(clean, sizeof(clean), who), (unsigned long long)index,
	    why));
}

/**
 * cmd_log_check_keys(c, who, member_id, rec, epoch, pub):
 * Read the keys record ${rec} ({"epoch", "sign_pk", "box_pk", "ring_pk",
 * "log_index"}, from GET /members/{id}/keys) of member ${member_id} into
 * ${epoch} and ${pub}, and check that the log publishes them: entry
 * "log_index" must be in the run's verified tree head (waiting up to about
 * 2 s for a head that covers it), its inclusion proof must verify, and it
 * must decode as member_enrolled or keys_rotated for that member and epoch
 * with the keys hash of ${pub}.  ${who} names the member in messages.
 * Return CLI_PROCEED or an exit code (CLI_EXIT_INTEGRITY if the log does
 * not publish these keys).
 */
int
cmd_log_check_keys(struct cli *c, const char *who, const char *member_id,
    const json_t *rec, uint32_t *epoch, struct keys_public *pub)
{
	uint8_t leaf[EVENT_MAX_BYTES], proof[LOGWIRE_PROOF_BYTES];
	uint8_t hash[EVENT_KEYS_HASH_BYTES];
	struct event ev;
	uint64_t index;
	size_t len, n;
	int rc;

	if (parse_keys_record(rec, epoch, pub, &index) != 0)
		return (bad_answer(c, "members/{id}/keys"));
	if ((rc = cmd_log_check_head(c)) != CLI_PROCEED)
		return (rc);
	if ((rc = wait_for_entry(c, index)) != CLI_PROCEED) {
		if (rc != 0)
			return (rc);
		return (keys_not_logged(c, who,
		    "is beyond every tree head the server signs", index));
	}
	if ((rc = fetch_entry(c, index, leaf, &len)) != CLI_PROCEED ||
	    (rc = fetch_inclusion(c, index, proof, &n)) != CLI_PROCEED)
		return (rc);
	if (treehead_check_inclusion(
		&c->log_head, leaf, len, index, proof, n) != 0)
		return (keys_not_logged(
		    c, who, "is not in the signed tree head", index));
	if (event_decode(&ev, leaf, len) != 0)
		return (keys_not_logged(
		    c, who, "is not a well-formed event", index));
	event_keys_hash(hash, pub);
	if ((ev.type != EVENT_MEMBER_ENROLLED &&
		ev.type != EVENT_KEYS_ROTATED) ||
	    strcmp(ev.member_id, member_id) != 0 || ev.epoch != *epoch)
		return (keys_not_logged(c, who,
		    "publishes no keys of this member at this epoch", index));
	if (sodium_memcmp(hash, ev.keys_hash, sizeof(hash)) != 0)
		return (keys_not_logged(
		    c, who, "publishes other keys at this epoch", index));
	return (CLI_PROCEED);
}

/* Print ${th} as fields. */
static void
print_head(struct cli *c, const char *label, const struct treehead *th)
{
	char root[B64_ENCODED_LEN(MERKLE_HASH_BYTES)], when[OUTPUT_TIME_LEN];
	char line[128];

	(void)snprintf(
	    line, sizeof(line), "%llu entries", (unsigned long long)th->size);
	output_field(&c->out, label, line);
	output_time(when, (int64_t)th->timestamp);
	output_field(&c->out, "Signed", when);
	root_text(root, th->root);
	output_field(&c->out, "Root", root);
}

/* {"head":…,"seen_at":…} of the head recorded before this run, or null. */
static json_t *
previous_json(const struct cli *c)
{

	if (!c->log_had_prev)
		return (json_null());
	return (json_pack("{s:o,s:I}", "head", logwire_head_json(&c->log_prev),
	    "seen_at", (json_int_t)c->log_prev_seen));
}

/* `dissent log head` */
static int
log_head(struct cli *c, int argc, char **argv)
{
	json_t *res;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	output_field(&c->out, "Server", c->server);
	output_field(&c->out, "Instance", c->inst.id);
	print_head(c, "Tree size", &c->log_head);
	output_field(
	    &c->out, "Signature", "verified with the pinned server key");
	output_field(&c->out, "Server key", c->inst.fingerprint);
	if ((res = json_pack("{s:s,s:o,s:o}", "server", c->server, "head",
		 logwire_head_json(&c->log_head), "previous",
		 previous_json(c))) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = cli_emit(c, res);
	json_decref(res);
	return (rc);
}

/*
 * GET entries [${start}, ${start} + ${count}) (${count} at most
 * ENTRIES_PAGE, all below the run's head) into the JSON array ${out}.
 */
static int
fetch_page(struct cli *c, uint64_t start, uint64_t count, json_t **out)
{
	char path[PATH_CAP];
	json_t *body, *arr;
	int rc;

	*out = NULL;
	(void)snprintf(path, sizeof(path),
	    "/api/v1/log/entries?start=%llu&count=%llu",
	    (unsigned long long)start, (unsigned long long)count);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "entries");
	if (!json_is_array(arr)) {
		json_decref(body);
		return (bad_answer(c, "log/entries"));
	}
	/* The head is signed, so the server must have all its entries. */
	if (json_array_size(arr) != count) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "log_inconsistent",
		    "the server returned %zu of the entries %llu to %llu of "
		    "its signed tree head (size %llu)",
		    json_array_size(arr), (unsigned long long)start,
		    (unsigned long long)(start + count - 1),
		    (unsigned long long)c->log_head.size));
	}
	*out = json_incref(arr);
	json_decref(body);
	return (CLI_PROCEED);
}

/* Read item ${i} of a page that starts at ${start}: leaf and index. */
static int
page_entry(struct cli *c, const json_t *page, size_t i, uint64_t start,
    uint8_t *leaf, size_t *len)
{
	uint64_t index;

	if (logwire_entry_parse(json_array_get(page, i), &index, leaf, len) !=
	    0)
		return (bad_answer(c, "log/entries"));
	if (index != start + i)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "log_inconsistent",
		    "the server returned entry %llu in the place of entry "
		    "%llu",
		    (unsigned long long)index,
		    (unsigned long long)(start + i)));
	return (CLI_PROCEED);
}

/* `dissent log entries [--start N] [--count N]` */
static int
log_entries(struct cli *c, int argc, char **argv)
{
	uint64_t start = 0, count = ENTRIES_DEFAULT, end, at, n;
	const struct args_spec spec[] = {
	    {"--start", ARGS_U64, &start},
	    {"--count", ARGS_U64, &count},
	};
	char when[OUTPUT_TIME_LEN], text[LOGWIRE_EVENT_TEXT_MAX];
	uint8_t leaf[EVENT_MAX_BYTES];
	json_t *page = NULL, *all = NULL, *res = NULL, *item;
	struct event ev;
	size_t npos, i, len;
	int rc;

	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED)
		return (rc);
	if (count < 1 || count > ENTRIES_MAX)
		return (
		    cli_usage(c, "--count must be from 1 to %d", ENTRIES_MAX));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	end = start < c->log_head.size
		  ? (count < c->log_head.size - start ? start + count
						      : c->log_head.size)
		  : start;
	if ((all = json_array()) == NULL)
		goto nomem;
	for (at = start; at < end; at += n) {
		n = end - at < ENTRIES_PAGE ? end - at : ENTRIES_PAGE;
		json_decref(page);
		if ((rc = fetch_page(c, at, n, &page)) != CLI_PROCEED)
			goto done;
		for (i = 0; i < n; i++) {
			if ((rc = page_entry(c, page, i, at, leaf, &len)) !=
			    CLI_PROCEED)
				goto done;
			if (event_decode(&ev, leaf, len) != 0) {
				rc =
				    cli_fail(c, CLI_EXIT_INTEGRITY, "bad_event",
					"entry %llu is not a well-formed event",
					(unsigned long long)(at + i));
				goto done;
			}
			output_time(when, (int64_t)ev.time);
			logwire_event_text(text, &ev);
			output_text(&c->out, "%-6llu %s  %-19s %s\n",
			    (unsigned long long)(at + i), when,
			    event_type_name(ev.type), text);
			if (c->json &&
			    ((item = logwire_event_json(at + i, &ev)) == NULL ||
				json_array_append_new(all, item) != 0))
				goto nomem;
		}
	}
	if (start >= c->log_head.size)
		output_note(&c->out,
		    "No entries from %llu: the log has %llu.\n",
		    (unsigned long long)start,
		    (unsigned long long)c->log_head.size);
	if ((res = json_pack("{s:O,s:I}", "entries", all, "tree_size",
		 (json_int_t)c->log_head.size)) == NULL)
		goto nomem;
	rc = cli_emit(c, res);
	goto done;

nomem:
	rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
done:
	json_decref(res);
	json_decref(all);
	json_decref(page);
	return (rc);
}

/* `dissent log verify` */
static int
log_verify(struct cli *c, int argc, char **argv)
{
	char seen[OUTPUT_TIME_LEN];
	json_t *res;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if (c->log_had_prev) {
		output_time(seen, c->log_prev_seen);
		output_text(&c->out,
		    "OK: the log of %s (size %llu) extends the tree head "
		    "seen on %s (size %llu).\n",
		    c->server, (unsigned long long)c->log_head.size, seen,
		    (unsigned long long)c->log_prev.size);
	} else
		output_text(&c->out,
		    "OK: no tree head was recorded for %s before; recorded "
		    "size %llu.\n",
		    c->server, (unsigned long long)c->log_head.size);
	if ((res = json_pack("{s:b,s:s,s:o,s:o}", "ok", 1, "server", c->server,
		 "head", logwire_head_json(&c->log_head), "previous",
		 previous_json(c))) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = cli_emit(c, res);
	json_decref(res);
	return (rc);
}

/* Where the audit state lives: --state FILE, else audit.json. */
struct audit_place {
	char dir[HOME_PATH_MAX];
	char name[HOME_PATH_MAX];
};

/* The last audit of this server, read back and checked. */
struct audit_prev {
	int have;
	struct treehead head;
	int64_t audited_at;
	struct audit *a;
	json_t *policy; /* the settings it used, or NULL */
};

/* The instance's deadline settings, as GET /instance publishes them. */
struct audit_policy {
	enum deadline_profile profile;
	uint64_t interval_ms;
	struct calendar *cal;
	json_t *json; /* {"policy_profile","time_zone","holidays",...} */
};

/* Report a saved audit state that cannot be used. */
static int
bad_state(struct cli *c, const struct audit_place *p, const char *why)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
	    "%s/%s: the audit state of %s %s", p->dir, p->name, c->server,
	    why));
}

/* Report an instance description that lacks what an audit needs. */
static int
bad_policy(struct cli *c, const char *what)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
	    "the server's /api/v1/instance gives no valid %s: the deadlines "
	    "cannot be audited",
	    what));
}

/*
 * Read the instance's deadline settings from its description into ${pol}
 * and make its calendar: "policy_profile", "time_zone", "holidays" (at
 * most CALENDAR_EXTRA_MAX dates; none if absent) and
 * "scheduler_interval_ms" (SCHEDULER_DEFAULT_MS if absent).
 */
static int
read_policy(struct cli *c, struct audit_policy *pol)
{
	struct calendar_date extra[CALENDAR_EXTRA_MAX];
	char clean[CALENDAR_TZ_MAX + 8];
	const json_t *raw = c->inst.raw;
	const char *tz;
	json_t *hol, *iv, *d;
	size_t n = 0, i;
	int p;

	memset(pol, 0, sizeof(*pol));
	if ((p = deadline_profile_parse(json_string_value(
		 json_object_get(raw, "policy_profile")))) < 0)
		return (bad_policy(c, "policy_profile"));
	pol->profile = (enum deadline_profile)p;
	if ((tz = json_string_value(json_object_get(raw, "time_zone"))) ==
		NULL ||
	    strlen(tz) == 0 || strlen(tz) >= CALENDAR_TZ_MAX)
		return (bad_policy(c, "time_zone"));
	hol = json_object_get(raw, "holidays");
	if (hol == NULL)
		output_note(&c->out,
		    "dissent: %s does not publish its extra holidays; "
		    "auditing with the federal holidays only\n",
		    c->server);
	else if (!json_is_array(hol) ||
		 json_array_size(hol) > CALENDAR_EXTRA_MAX)
		return (bad_policy(c, "holidays"));
	json_array_foreach(hol, i, d)
	{
		if (!json_is_string(d) ||
		    calendar_date_parse(&extra[n++], json_string_value(d)) != 0)
			return (bad_policy(c, "holidays"));
	}
	pol->interval_ms = SCHEDULER_DEFAULT_MS;
	if ((iv = json_object_get(raw, "scheduler_interval_ms")) != NULL) {
		if (!json_is_integer(iv) ||
		    json_integer_value(iv) < SCHEDULER_MIN_MS ||
		    json_integer_value(iv) > SCHEDULER_MAX_MS)
			return (bad_policy(c, "scheduler_interval_ms"));
		pol->interval_ms = (uint64_t)json_integer_value(iv);
	}
	/* json_pack() takes the copy of the holidays, whatever the outcome. */
	if ((pol->json = json_pack("{s:s,s:s,s:o,s:I}", "policy_profile",
		 deadline_profile_name(pol->profile), "time_zone", tz,
		 "holidays", hol != NULL ? json_deep_copy(hol) : json_array(),
		 "scheduler_interval_ms", (json_int_t)pol->interval_ms)) ==
	    NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	if ((pol->cal = calendar_new(tz, extra, n)) == NULL)
		return (cli_fail(c, CLI_EXIT_ERROR, "calendar",
		    "cannot make the calendar of the instance's time zone "
		    "%s (is tzdata installed?)",
		    output_clean(clean, sizeof(clean), tz)));
	return (CLI_PROCEED);
}

/*
 * Return 1 if the settings ${x} and ${y} (audit_policy's JSON) give the
 * same due dates: the same profile, time zone and holidays.
 */
static int
same_deadlines(const json_t *x, const json_t *y)
{
	static const char *const keys[] = {
	    "policy_profile", "time_zone", "holidays"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_equal(json_object_get(x, keys[i]),
			json_object_get(y, keys[i])))
			return (0);
	return (1);
}

/*
 * Load the state of the last audit of this server from ${p} into ${prev}
 * (an empty state if there is none), checking that its head verifies with
 * the pinned key and that its tree has that head's root.
 */
static int
load_audit(struct cli *c, const struct audit_place *p, struct audit_prev *prev)
{
	uint8_t root[MERKLE_HASH_BYTES];
	char err[MSG_MAX];
	json_t *rec = NULL;
	int rc;

	memset(prev, 0, sizeof(*prev));
	rc = home_record_load(p->dir, p->name, HOME_AUDIT_FILE_MAX, c->server,
	    &rec, err, sizeof(err));
	if (rc < 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	if (rc == 1) {
		if ((prev->a = audit_new()) == NULL)
			return (cli_fail(
			    c, CLI_EXIT_ERROR, "internal", "out of memory"));
		return (CLI_PROCEED);
	}
	if (logwire_head_parse(json_object_get(rec, "head"), &prev->head) !=
		0 ||
	    !json_is_integer(json_object_get(rec, "audited_at"))) {
		json_decref(rec);
		return (bad_state(c, p, "is malformed"));
	}
	prev->audited_at =
	    (int64_t)json_integer_value(json_object_get(rec, "audited_at"));
	prev->a =
	    audit_from_json(json_object_get(rec, "state"), err, sizeof(err));
	if ((prev->policy = json_object_get(rec, "policy")) != NULL)
		json_incref(prev->policy);
	json_decref(rec);
	if (prev->a == NULL)
		return (bad_state(c, p, "is malformed"));
	if (treehead_verify(&prev->head, c->inst.sign_pk) != 0 ||
	    strcmp(prev->head.instance_id, c->inst.id) != 0)
		return (bad_state(c, p,
		    "was made under another server key or instance; move it "
		    "away to audit from the start"));
	if (audit_size(prev->a) != prev->head.size ||
	    audit_root(prev->a, root) != 0 ||
	    sodium_memcmp(root, prev->head.root, sizeof(root)) != 0)
		return (bad_state(c, p, "does not match its own tree head"));
	prev->have = 1;
	return (CLI_PROCEED);
}

/* Save ${a} with the head ${th} it was checked against and ${policy}. */
static int
save_audit(struct cli *c, const struct audit_place *p, const struct audit *a,
    const struct treehead *th, json_t *policy)
{
	char err[MSG_MAX];
	json_t *rec;
	int rc;

	if ((rec = json_pack("{s:o,s:I,s:O,s:o}", "head", logwire_head_json(th),
		 "audited_at", (json_int_t)time(NULL), "policy", policy,
		 "state", audit_json(a))) == NULL)
		return (
		    cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
	rc = home_record_save(p->dir, p->name, HOME_AUDIT_FILE_MAX, c->server,
	    rec, err, sizeof(err));
	json_decref(rec);
	if (rc != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	return (CLI_PROCEED);
}

/* What one audit run saw, for its report. */
struct audit_run {
	uint64_t from;
	uint64_t counts[EVENT_TYPES_MAX];
	json_t *key_changes;
};

/* Note ${ev} (entry ${index}) in the run's report; 0 or -1 (OOM). */
static int
note_event(struct audit_run *run, uint64_t index, const struct event *ev)
{

	if (ev->type < EVENT_TYPES_MAX)
		run->counts[ev->type]++;
	if (ev->type != EVENT_MEMBER_ENROLLED && ev->type != EVENT_KEYS_ROTATED)
		return (0);
	return (json_array_append_new(run->key_changes,
	    json_pack("{s:I,s:s,s:I,s:s,s:I}", "index", (json_int_t)index,
		"type", event_type_name(ev->type), "time", (json_int_t)ev->time,
		"member_id", ev->member_id, "epoch", (json_int_t)ev->epoch)));
}

/* Check every entry from the state's size to the run's head into ${a}. */
static int
audit_entries(struct cli *c, struct audit *a, struct audit_run *run)
{
	uint8_t leaf[EVENT_MAX_BYTES], root[MERKLE_HASH_BYTES];
	char err[AUDIT_ERR_MAX];
	struct event ev;
	json_t *page = NULL;
	uint64_t at, n, end = c->log_head.size;
	size_t i, len;
	int rc = CLI_PROCEED;

	for (at = audit_size(a); at < end; at += n) {
		n = end - at < ENTRIES_PAGE ? end - at : ENTRIES_PAGE;
		json_decref(page);
		if ((rc = fetch_page(c, at, n, &page)) != CLI_PROCEED)
			goto done;
		for (i = 0; i < n; i++) {
			if ((rc = page_entry(c, page, i, at, leaf, &len)) !=
			    CLI_PROCEED)
				goto done;
			if (audit_append(a, leaf, len, &ev, err, sizeof(err)) !=
			    0) {
				rc = cli_fail(c, CLI_EXIT_INTEGRITY,
				    "audit_failed", "audit failed: %s", err);
				goto done;
			}
			if (note_event(run, at + i, &ev) != 0) {
				rc = cli_fail(c, CLI_EXIT_ERROR, "internal",
				    "out of memory");
				goto done;
			}
		}
	}
	if (audit_root(a, root) != 0 ||
	    sodium_memcmp(root, c->log_head.root, sizeof(root)) != 0)
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "audit_failed",
		    "audit failed: the entries the server sent do not hash to "
		    "the root of its signed tree head (size %llu): entries "
		    "were "
		    "altered, removed or reordered",
		    (unsigned long long)end);
done:
	json_decref(page);
	return (rc);
}

/* The names of the deadlines, by DEADLINE_* - 1. */
static const char *const deadline_names[AUDIT_KINDS] = {
    "acknowledgement", "reply", "escalation"};

/* A status for the memo table: "on time", "late", ..., "-" for none. */
static const char *
status_text(int status)
{

	switch (status) {
	case AUDIT_DUE_OPEN:
		return ("open");
	case AUDIT_DUE_ON_TIME:
		return ("on time");
	case AUDIT_DUE_LATE:
		return ("late");
	case AUDIT_DUE_OVERDUE:
		return ("overdue");
	case AUDIT_DUE_MISSED:
		return ("missed");
	default:
		return ("-");
	}
}

/* 1 if deadline ${d} was missed (its action late, or never done). */
static int
is_missed(const struct audit_deadline *d)
{

	return (d->status == AUDIT_DUE_LATE || d->status == AUDIT_DUE_OVERDUE ||
		d->status == AUDIT_DUE_MISSED);
}

/* A JSON time: ${t}, or null for 0. */
static json_t *
time_json(int64_t t)
{

	return (t != 0 ? json_integer((json_int_t)t) : json_null());
}

/* Describe finding of deadline ${k} (0-based) of ${r} into ${msg}. */
static void
finding_text(char *msg, size_t cap, const struct audit_memo_report *r, int k)
{
	const struct audit_deadline *d = &r->d[k];
	char due[OUTPUT_TIME_LEN], other[OUTPUT_TIME_LEN];

	output_time(due, d->due);
	switch (d->finding) {
	case AUDIT_FINDING_ABSENT:
		(void)snprintf(msg, cap,
		    "the %s deadline (due %s) was missed, but the log has no "
		    "deadline_missed event for it",
		    deadline_names[k], due);
		break;
	case AUDIT_FINDING_NOT_OWED:
		(void)snprintf(msg, cap,
		    "entry %llu logs the %s deadline missed while the memo "
		    "did not owe it",
		    (unsigned long long)d->finding_index, deadline_names[k]);
		break;
	case AUDIT_FINDING_WRONG_DUE:
		output_time(other, d->logged_due);
		(void)snprintf(msg, cap,
		    "entry %llu logs the %s deadline missed as due %s; the "
		    "audit computes %s",
		    (unsigned long long)d->finding_index, deadline_names[k],
		    other, due);
		break;
	case AUDIT_FINDING_NOT_MISSED:
		output_time(other, d->logged_time);
		(void)snprintf(msg, cap,
		    "entry %llu logs the %s deadline (due %s) missed at %s, "
		    "but it was not missed then",
		    (unsigned long long)d->finding_index, deadline_names[k],
		    due, other);
		break;
	case AUDIT_FINDING_TWICE:
		(void)snprintf(msg, cap,
		    "entry %llu logs the %s deadline missed again (first at "
		    "entry %llu)",
		    (unsigned long long)d->finding_index, deadline_names[k],
		    (unsigned long long)d->logged_index);
		break;
	default:
		msg[0] = '\0';
		break;
	}
}

/* The JSON of deadline ${d}, or NULL. */
static json_t *
deadline_json(const struct audit_deadline *d)
{

	return (json_pack("{s:I,s:o,s:s,s:o,s:o}", "due", (json_int_t)d->due,
	    "done_at", time_json(d->done_at), "status",
	    audit_due_status_name(d->status), "logged",
	    d->logged ? json_pack("{s:I,s:I,s:I}", "index",
			    (json_int_t)d->logged_index, "time",
			    (json_int_t)d->logged_time, "due",
			    (json_int_t)d->logged_due)
		      : json_null(),
	    "finding",
	    d->finding != AUDIT_FINDING_NONE
		? json_string(audit_finding_name(d->finding))
		: json_null()));
}

/* The JSON of memo report ${r}, or NULL. */
static json_t *
memo_report_json(const struct audit_memo_report *r)
{
	static const char *const by[] = {NULL, "acknowledged", "redirected"};

	return (json_pack("{s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:o,s:I,s:I,"
			  "s:o,s:o,s:o,s:b}",
	    "memo_id", r->id, "state",
	    lifecycle_state_name((enum memo_state)r->state), "index",
	    (json_int_t)r->index, "submitted_at", (json_int_t)r->submitted_at,
	    "answered",
	    by[r->acked_by] != NULL ? json_string(by[r->acked_by])
				    : json_null(),
	    "answered_at", time_json(r->acked_at), "replied_at",
	    time_json(r->replied_at), "ended_at", time_json(r->ended_at),
	    "replies", (json_int_t)r->replies, "meetings",
	    (json_int_t)r->meetings, "acknowledgement",
	    deadline_json(&r->d[DEADLINE_ACK - 1]), "reply",
	    deadline_json(&r->d[DEADLINE_REPLY - 1]), "escalation",
	    deadline_json(&r->d[DEADLINE_ESCALATION - 1]), "escalated",
	    is_missed(&r->d[DEADLINE_ESCALATION - 1])));
}

/* What a compliance report adds up to. */
struct compliance {
	struct audit_memo_report *r;
	size_t n;
	int64_t as_of;
	int64_t slack;
	size_t by_status[AUDIT_KINDS][AUDIT_DUE_MISSED + 1];
	size_t escalated;
	size_t logged;
	size_t findings;
};

/* Judge the memos of ${a} into ${cp}: 0 or -1 (out of memory). */
static int
compliance_compute(const struct audit *a, const struct audit_policy *pol,
    struct compliance *cp)
{
	size_t i;
	int k;

	memset(cp, 0, sizeof(*cp));
	cp->as_of = audit_latest_time(a);
	cp->slack =
	    (int64_t)((pol->interval_ms + 999) / 1000) + AUDIT_GRACE_SECONDS;
	if (audit_compliance(a, cp->as_of, cp->slack, &cp->r, &cp->n) != 0)
		return (-1);
	for (i = 0; i < cp->n; i++) {
		for (k = 0; k < AUDIT_KINDS; k++) {
			cp->by_status[k][cp->r[i].d[k].status]++;
			cp->logged += cp->r[i].d[k].logged;
			cp->findings +=
			    cp->r[i].d[k].finding != AUDIT_FINDING_NONE;
		}
		cp->escalated +=
		    is_missed(&cp->r[i].d[DEADLINE_ESCALATION - 1]);
	}
	return (0);
}

/* Print one line of counts by status for deadline ${k}. */
static void
print_status_line(struct cli *c, const struct compliance *cp, int k)
{
	const size_t *n = cp->by_status[k];

	output_text(&c->out,
	    "  %-16s %zu on time, %zu late, %zu overdue, %zu missed, %zu "
	    "open\n",
	    k == DEADLINE_ACK - 1 ? "Acknowledgement" : "Reply",
	    n[AUDIT_DUE_ON_TIME], n[AUDIT_DUE_LATE], n[AUDIT_DUE_OVERDUE],
	    n[AUDIT_DUE_MISSED], n[AUDIT_DUE_OPEN]);
}

/*
 * Print the compliance part of the report (only a line saying so if the
 * log has no memo events, ${none}); return its JSON, or NULL.
 */
static json_t *
compliance_report(struct cli *c, const struct audit_policy *pol,
    const struct compliance *cp, int none)
{
	char when[OUTPUT_TIME_LEN], msg[MSG_MAX];
	json_t *memos = NULL, *findings = NULL, *sum = NULL, *o;
	const struct audit_memo_report *r;
	size_t i, k, s;

	output_time(when, cp->as_of);
	if (none)
		output_text(
		    &c->out, "\nMemo compliance: no memo events yet.\n");
	else
		output_text(&c->out,
		    "\nMemo compliance (%s, time zone %s, %zu extra holidays; "
		    "as of "
		    "%s, the newest entry):\n",
		    json_string_value(
			json_object_get(pol->json, "policy_profile")),
		    json_string_value(json_object_get(pol->json, "time_zone")),
		    json_array_size(json_object_get(pol->json, "holidays")),
		    cp->n > 0 ? when : "-");
	if (!none) {
		output_text(&c->out, "  %-16s %zu\n", "Memos submitted", cp->n);
		print_status_line(c, cp, DEADLINE_ACK - 1);
		print_status_line(c, cp, DEADLINE_REPLY - 1);
		output_text(
		    &c->out, "  %-16s %zu\n", "Escalated", cp->escalated);
		output_text(&c->out, "  %-16s %zu logged, %zu findings\n",
		    "Missed deadlines", cp->logged, cp->findings);
	}
	if (cp->n > 0)
		output_text(&c->out, "\n  %-26s %-12s %-9s %-9s %s\n", "Memo",
		    "State", "Ack", "Reply", "Escalated");
	if ((memos = json_array()) == NULL || (findings = json_array()) == NULL)
		goto nomem;
	for (i = 0; i < cp->n; i++) {
		r = &cp->r[i];
		if (i < REPORT_MEMOS)
			output_text(&c->out, "  %-26s %-12s %-9s %-9s %s\n",
			    r->id,
			    lifecycle_state_name((enum memo_state)r->state),
			    status_text(r->d[DEADLINE_ACK - 1].status),
			    status_text(r->d[DEADLINE_REPLY - 1].status),
			    is_missed(&r->d[DEADLINE_ESCALATION - 1]) ? "yes"
								      : "no");
		else if (i == REPORT_MEMOS)
			output_text(&c->out,
			    "  ... and %zu more (see --json)\n", cp->n - i);
		if (json_array_append_new(memos, memo_report_json(r)) != 0)
			goto nomem;
	}
	if (cp->findings > 0)
		output_text(&c->out, "\nFindings:\n");
	for (i = 0; i < cp->n; i++) {
		r = &cp->r[i];
		for (k = 0; k < AUDIT_KINDS; k++) {
			if (r->d[k].finding == AUDIT_FINDING_NONE)
				continue;
			finding_text(msg, sizeof(msg), r, (int)k);
			output_text(&c->out, "  %s: %s\n", r->id, msg);
			if ((o = json_pack("{s:s,s:s,s:s,s:o,s:s}", "memo_id",
				 r->id, "deadline", deadline_names[k],
				 "finding", audit_finding_name(r->d[k].finding),
				 "index",
				 r->d[k].finding == AUDIT_FINDING_ABSENT
				     ? json_null()
				     : json_integer(
					   (json_int_t)r->d[k].finding_index),
				 "message", msg)) == NULL ||
			    json_array_append_new(findings, o) != 0)
				goto nomem;
		}
	}
	if ((sum = json_object()) == NULL)
		goto nomem;
	for (k = 0; k < 2; k++) {
		if ((o = json_object()) == NULL ||
		    json_object_set_new(sum, deadline_names[k], o) != 0)
			goto nomem;
		for (s = 0; s <= AUDIT_DUE_MISSED; s++)
			if (json_object_set_new(o,
				audit_due_status_name((int)s),
				json_integer(
				    (json_int_t)cp->by_status[k][s])) != 0)
				goto nomem;
	}
	return (json_pack("{s:O,s:I,s:I,s:I,s:o,s:I,s:I,s:I,s:o,s:o}", "policy",
	    pol->json, "as_of", (json_int_t)cp->as_of, "slack_seconds",
	    (json_int_t)cp->slack, "memos_submitted", (json_int_t)cp->n,
	    "summary", sum, "escalated", (json_int_t)cp->escalated,
	    "missed_logged", (json_int_t)cp->logged, "finding_count",
	    (json_int_t)cp->findings, "memos", memos, "findings", findings));

nomem:
	json_decref(sum);
	json_decref(memos);
	json_decref(findings);
	return (NULL);
}

/* Print a line of the events table and count it into ${counts}, ${totals}. */
static int
event_row(struct cli *c, const struct audit *a, const struct audit_run *run,
    uint16_t t, json_t *counts, json_t *totals)
{
	const char *name = event_type_name(t);

	output_text(&c->out, "  %-20s %10llu %10llu\n", name,
	    (unsigned long long)run->counts[t],
	    (unsigned long long)audit_count(a, t));
	if (json_object_set_new(
		counts, name, json_integer((json_int_t)run->counts[t])) != 0 ||
	    json_object_set_new(
		totals, name, json_integer((json_int_t)audit_count(a, t))) != 0)
		return (-1);
	return (0);
}

/*
 * Print and emit the report of an audit that found the log consistent.
 * Return CLI_EXIT_OK, CLI_EXIT_FINDINGS if the compliance check has
 * findings, or an exit code.
 */
static int
audit_report(struct cli *c, const struct audit *a,
    const struct audit_prev *prev, const struct audit_run *run,
    const struct audit_policy *pol)
{
	char when[OUTPUT_TIME_LEN], root[B64_ENCODED_LEN(MERKLE_HASH_BYTES)];
	struct audit_census cs;
	struct compliance cp;
	json_t *res = NULL, *counts = NULL, *totals = NULL, *comp = NULL, *k;
	json_t *mcounts = NULL, *mtotals = NULL;
	uint64_t memo_events = 0;
	uint16_t t;
	size_t i;
	int rc;

	memset(&cp, 0, sizeof(cp));
	audit_census(a, &cs);
	root_text(root, c->log_head.root);
	output_text(&c->out, "Audited the log of %s (instance %s).\n",
	    c->server, c->inst.id);
	if (run->from < c->log_head.size)
		output_text(&c->out,
		    "Checked entries %llu to %llu (%llu new); tree size %llu, "
		    "root %s.\n",
		    (unsigned long long)run->from,
		    (unsigned long long)(c->log_head.size - 1),
		    (unsigned long long)(c->log_head.size - run->from),
		    (unsigned long long)c->log_head.size, root);
	else
		output_text(&c->out,
		    "No new entries; tree size %llu, root %s.\n",
		    (unsigned long long)c->log_head.size, root);
	if (prev->have) {
		output_time(when, prev->audited_at);
		output_text(&c->out,
		    "Consistent with the tree head audited on %s (size "
		    "%llu).\n",
		    when, (unsigned long long)prev->head.size);
	} else
		output_text(&c->out, "First audit of this log.\n");
	output_text(
	    &c->out, "\n%-22s %10s %10s\n", "Events", "this audit", "total");
	if ((counts = json_object()) == NULL ||
	    (totals = json_object()) == NULL ||
	    (mcounts = json_object()) == NULL ||
	    (mtotals = json_object()) == NULL)
		goto nomem;
	/* Directory events, then memo and channel events (100 on). */
	for (t = 0; t < EVENT_TYPES_MAX; t++) {
		if (event_type_name(t) == NULL)
			continue;
		if (t == EVENT_MEMO_SUBMITTED)
			output_text(&c->out, "  %s\n", "memo and channel:");
		if (event_row(c, a, run, t,
			t < EVENT_MEMO_SUBMITTED ? counts : mcounts,
			t < EVENT_MEMO_SUBMITTED ? totals : mtotals) != 0)
			goto nomem;
		if (t >= EVENT_MEMO_SUBMITTED)
			memo_events += audit_count(a, t);
	}
	output_text(&c->out, "\nOrganisations  %zu\n", cs.orgs);
	output_text(&c->out,
	    "Members        %zu (%zu active, %zu pending, %zu suspended)\n",
	    cs.members, cs.active, cs.pending, cs.suspended);
	if (json_array_size(run->key_changes) > 0)
		output_text(&c->out, "\nKey changes in this audit:\n");
	json_array_foreach(run->key_changes, i, k)
	{
		if (i == REPORT_KEY_CHANGES) {
			output_text(&c->out,
			    "  ... and %zu more (see --json)\n",
			    json_array_size(run->key_changes) - i);
			break;
		}
		output_time(when,
		    (int64_t)json_integer_value(json_object_get(k, "time")));
		output_text(&c->out, "  #%-6lld %s  %s %s epoch %lld\n",
		    (long long)json_integer_value(json_object_get(k, "index")),
		    when, json_string_value(json_object_get(k, "member_id")),
		    strcmp(json_string_value(json_object_get(k, "type")),
			"member_enrolled") == 0
			? "enrolled at"
			: "rotated to",
		    (long long)json_integer_value(json_object_get(k, "epoch")));
	}
	if (compliance_compute(a, pol, &cp) != 0 ||
	    (comp = compliance_report(c, pol, &cp, memo_events == 0)) == NULL)
		goto nomem;
	if (cp.findings == 0)
		output_text(&c->out, "\nAudit OK.\n");
	else
		output_text(&c->out,
		    "\nThe log is consistent, but its deadlines have %zu "
		    "findings.\n",
		    cp.findings);

	res = json_pack("{s:b,s:s,s:s,s:I,s:s,s:I,s:I,s:o,s:o,s:o,s:o,s:o,"
			"s:I,s:{s:I,s:I,s:I,s:I},s:O,s:I,s:s,s:o}",
	    "ok", cp.findings == 0, "server", c->server, "instance_id",
	    c->inst.id, "tree_size", (json_int_t)c->log_head.size, "root", root,
	    "from", (json_int_t)run->from, "new_entries",
	    (json_int_t)(c->log_head.size - run->from), "previous",
	    prev->have
		? json_pack("{s:I,s:I}", "size", (json_int_t)prev->head.size,
		      "audited_at", (json_int_t)prev->audited_at)
		: json_null(),
	    "counts", counts, "totals", totals, "memo_counts", mcounts,
	    "memo_totals", mtotals, "orgs", (json_int_t)cs.orgs, "members",
	    "total", (json_int_t)cs.members, "active", (json_int_t)cs.active,
	    "pending", (json_int_t)cs.pending, "suspended",
	    (json_int_t)cs.suspended, "key_changes", run->key_changes,
	    "memo_events", (json_int_t)memo_events, "memo_compliance",
	    memo_events == 0   ? "no memo events yet"
	    : cp.findings == 0 ? "consistent"
			       : "findings",
	    "compliance", comp);
	/* json_pack() took the counts and comp, whatever the outcome. */
	counts = totals = mcounts = mtotals = comp = NULL;
	if (res == NULL)
		goto nomem;
	rc = cli_emit(c, res);
	json_decref(res);
	free(cp.r);
	if (rc == CLI_EXIT_OK && cp.findings > 0) {
		if (!c->json)
			(void)output_error(&c->out, CLI_EXIT_FINDINGS,
			    "compliance_findings",
			    "the audit has %zu compliance findings",
			    cp.findings);
		rc = CLI_EXIT_FINDINGS;
	}
	return (rc);

nomem:
	free(cp.r);
	json_decref(counts);
	json_decref(totals);
	json_decref(mcounts);
	json_decref(mtotals);
	json_decref(comp);
	return (cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
}

/* `dissent audit [--state FILE]` */
static int
audit_run(struct cli *c, int argc, char **argv)
{
	const char *state = NULL;
	const struct args_spec spec[] = {
	    {"--state", ARGS_STRING, &state},
	};
	struct audit_place place;
	struct audit_policy pol;
	struct audit_prev prev;
	struct audit_run run;
	char err[MSG_MAX];
	size_t npos;
	int rc;

	memset(&prev, 0, sizeof(prev));
	memset(&run, 0, sizeof(run));
	memset(&pol, 0, sizeof(pol));
	if ((rc = cli_args(c, argc, argv, spec, 1, NULL, 0, 0, &npos)) !=
	    CLI_PROCEED)
		return (rc);
	if (state != NULL && home_path_split(state, place.dir, place.name, err,
				 sizeof(err)) != 0)
		return (cli_usage(c, "--state: %s", err));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = read_policy(c, &pol)) != CLI_PROCEED)
		goto done;
	if (state == NULL) {
		memcpy(place.dir, c->home, sizeof(place.dir));
		(void)snprintf(
		    place.name, sizeof(place.name), "%s", HOME_AUDIT_FILE);
	}
	if ((rc = load_audit(c, &place, &prev)) != CLI_PROCEED)
		goto done;
	if (prev.have && (rc = check_extends(c, &prev.head, prev.audited_at,
			      "audited", &c->log_head)) != CLI_PROCEED)
		goto done;
	if (prev.have && prev.policy != NULL &&
	    !same_deadlines(prev.policy, pol.json))
		output_note(&c->out,
		    "dissent: the instance's deadline settings changed since "
		    "the last audit; memos audited before keep the due dates "
		    "computed then\n");
	audit_set_policy(prev.a, pol.profile, pol.cal);
	run.from = audit_size(prev.a);
	if ((run.key_changes = json_array()) == NULL) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory");
		goto done;
	}
	if ((rc = audit_entries(c, prev.a, &run)) != CLI_PROCEED ||
	    (rc = save_audit(c, &place, prev.a, &c->log_head, pol.json)) !=
		CLI_PROCEED)
		goto done;
	rc = audit_report(c, prev.a, &prev, &run, &pol);
done:
	json_decref(run.key_changes);
	audit_free(prev.a);
	json_decref(prev.policy);
	calendar_free(pol.cal);
	json_decref(pol.json);
	return (rc);
}

static const struct cli_command log_commands[] = {
    {"head", log_head, "", "Show the server's verified signed tree head.",
	"The head is verified with the pinned server key and checked "
	"against the\nlast head recorded for this server, as every "
	"command with a session does.\n"},
    {"entries", log_entries, "[--start N] [--count N]",
	"List the log's entries, decoded.",
	"  --start N   the first entry (default 0)\n"
	"  --count N   how many (default 100, at most 100000)\n"
	"Entries are listed up to the verified tree head; `dissent audit' "
	"checks\nthem against it.\n"},
    {"verify", log_verify, "",
	"Check the server's log against the recorded head.",
	"Prints OK if the server's current tree head extends the one "
	"recorded\nbefore (exit 9 if the log was rolled back or forked).\n"},
};

const struct cli_noun cmd_log_noun = {"log",
    "The channel's public log: signed tree heads and entries.", log_commands,
    sizeof(log_commands) / sizeof(log_commands[0])};

static const struct cli_command audit_commands[] = {
    {NULL, audit_run, "[--state FILE]",
	"Audit the whole channel log and the directory it records.",
	"  --state FILE   keep the audit state in FILE (created, mode "
	"0600) instead\n"
	"                 of audit.json in the state directory\n"
	"Fetches the entries added since the last audit, checks that the "
	"log\nextends the head audited then, recomputes the tree's root, "
	"rebuilds the\ndirectory's and every memo's timeline from the "
	"events, and reports each\nmemo's deadlines under the instance's "
	"policy, time zone and holidays.\nExit 9 on any inconsistency of "
	"the log; exit 10 if its deadline_missed\nevents disagree with the "
	"deadlines the audit computes.\n"},
};

const struct cli_noun cmd_log_audit_noun = {
    "audit", "Audit the channel log.", audit_commands, 1};
