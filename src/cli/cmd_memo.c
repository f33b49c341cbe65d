#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "aead.h"
#include "args.h"
#include "b64.h"
#include "cli.h"
#include "cmd_anon.h"
#include "cmd_log.h"
#include "cmd_memo.h"
#include "directory.h"
#include "event.h"
#include "grant.h"
#include "home.h"
#include "jsonmem.h"
#include "keys.h"
#include "logwire.h"
#include "memo.h"
#include "memowire.h"
#include "output.h"
#include "treehead.h"
#include "wire.h"
#include "zonetime.h"

#define PATH_CAP 256
#define MSG_MAX 512

/* Where receipts are kept in the state directory. */
#define RECEIPTS_DIR "receipts"

/* Longest answer read when asking for a confirmation. */
#define CONFIRM_MAX 16

/* Room for a hash in base64url. */
#define HASH_B64 B64_ENCODED_LEN(MEMO_HASH_BYTES)
/* Characters mkstemps() randomises at the end of its template. */
#define TEMPLATE_RANDOM 6

static int logged_event(struct cli *, uint64_t, struct event *, int *);
static int fetch_logged(
    struct cli *, uint64_t, uint8_t *, size_t *, uint8_t *, size_t *);

/* Report that we are out of memory. */
static int
nomem(struct cli *c)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
}

/* Report an answer of the server that does not have the expected shape. */
static int
bad_answer(struct cli *c, const char *what)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
	    "the server's answer to %s is malformed", what));
}

/* A hash as base64url, for display. */
static const char *
hash_text(char out[HASH_B64], const uint8_t h[MEMO_HASH_BYTES])
{

	if (b64_encode(out, HASH_B64, h, MEMO_HASH_BYTES) != 0)
		out[0] = '\0';
	return (out);
}

/**
 * cmd_memo_id(c, id):
 * Check that ${id} is a memo id.  Return CLI_PROCEED or a usage error.
 */
int
cmd_memo_id(struct cli *c, const char *id)
{

	if (memo_id_valid(id))
		return (CLI_PROCEED);
	return (cli_usage(c,
	    "\"%.64s\" is not a memo id (d_ and 24 hex "
	    "digits)",
	    id));
}

/**
 * cmd_memo_call(c, method, path, body, out):
 * As cli_call(), accepting any 2xx status with a body.
 */
int
cmd_memo_call(struct cli *c, const char *method, const char *path,
    const json_t *body, json_t **out)
{
	struct httpc_response r;
	int rc;

	*out = NULL;
	if ((rc = cli_request(c, method, path, body, &r)) != CLI_PROCEED)
		return (rc);
	if (r.status < 200 || r.status >= 300) {
		rc = cli_http_error(c, &r);
		httpc_response_clear(&r);
		return (rc);
	}
	if (r.body == NULL) {
		httpc_response_clear(&r);
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the server's answer has no body"));
	}
	*out = r.body;
	r.body = NULL;
	httpc_response_clear(&r);
	return (CLI_PROCEED);
}

/**
 * cmd_memo_text_free(text):
 * Wipe and free ${text}.  NULL is a no-op.
 */
void
cmd_memo_text_free(char *text)
{

	if (text == NULL)
		return;
	sodium_memzero(text, strlen(text));
	free(text);
}

/* Read all of ${fd} (at most ${max} + 1 bytes) into ${buf}. */
static int
read_all(int fd, char *buf, size_t max, size_t *len)
{
	ssize_t r;

	*len = 0;
	while (*len <= max) {
		r = read(fd, buf + *len, max + 1 - *len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return (-1);
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	return (0);
}

/**
 * cmd_memo_read_text(c, path, max, what, out):
 * Read the text file ${path} ("-": standard input) of 1..${max} bytes
 * into a new NUL-terminated malloc'd ${out} (wipe and free it with
 * cmd_memo_text_free()); ${what} names it in messages.  Return
 * CLI_PROCEED or a usage error (unreadable, empty, too long, a NUL byte).
 */
int
cmd_memo_read_text(
    struct cli *c, const char *path, size_t max, const char *what, char **out)
{
	char *buf;
	size_t len;
	int fd, rc;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (cli_usage(c, "%s: cannot open %.256s: %s", what, path,
		    strerror(errno)));
	if ((buf = malloc(max + 2)) == NULL) {
		if (fd != STDIN_FILENO)
			(void)close(fd);
		return (nomem(c));
	}
	rc = read_all(fd, buf, max, &len);
	if (fd != STDIN_FILENO)
		(void)close(fd);
	if (rc != 0) {
		rc = cli_usage(c, "%s: cannot read %.256s", what, path);
		goto err;
	}
	if (len == 0) {
		rc = cli_usage(c, "%s: %.256s is empty", what, path);
		goto err;
	}
	if (len > max) {
		rc = cli_usage(
		    c, "%s: %.256s is longer than %zu bytes", what, path, max);
		goto err;
	}
	if (memchr(buf, '\0', len) != NULL) {
		rc = cli_usage(c, "%s: %.256s holds a NUL byte", what, path);
		goto err;
	}
	buf[len] = '\0';
	*out = buf;
	return (CLI_PROCEED);

err:
	sodium_memzero(buf, max + 2);
	free(buf);
	return (rc);
}

/* Overwrite the file ${path} (open as ${fd}) with zeros and remove it. */
static void
wipe_file(int fd, const char *path)
{
	static const char zeros[4096];
	struct stat st;
	off_t left;
	size_t n;

	if (fd != -1 && fstat(fd, &st) == 0 && lseek(fd, 0, SEEK_SET) == 0) {
		for (left = st.st_size; left > 0; left -= (off_t)n) {
			n = left < (off_t)sizeof(zeros) ? (size_t)left
							: sizeof(zeros);
			if (write(fd, zeros, n) != (ssize_t)n)
				break;
		}
		(void)fsync(fd);
	}
	if (fd != -1)
		(void)close(fd);
	(void)unlink(path);
}

/*
 * Let the user write a text in $VISUAL, else $EDITOR, else vi: a
 * temporary file (mode 0600, in the state directory) starts with
 * ${initial}; what it holds when the editor exits successfully is the
 * text, stored in ${out}.  The file is wiped and removed either way.
 */
static int
edit_text(struct cli *c, const char *initial, size_t max, const char *what,
    char **out)
{
	char path[HOME_PATH_MAX], cmd[HOME_PATH_MAX], rnd[TEMPLATE_RANDOM + 1];
	const char *editor;
	size_t len = strlen(initial);
	pid_t pid;
	int fd, status, rc, n;

	*out = NULL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return (cli_usage(c,
		    "no %s given: give a file (\"-\" for standard "
		    "input), or run on a terminal to use $EDITOR",
		    what));
	if ((editor = getenv("VISUAL")) == NULL || editor[0] == '\0')
		editor = getenv("EDITOR");
	if (editor == NULL || editor[0] == '\0')
		editor = "vi";
	if ((rc = cli_home(c)) != CLI_PROCEED)
		return (rc);
	/*
	 * The template of mkstemps(): "edit-", six X's that it replaces
	 * with random characters, then the 3-byte suffix ".md".
	 */
	memset(rnd, 'X', TEMPLATE_RANDOM);
	rnd[TEMPLATE_RANDOM] = '\0';
	n = snprintf(path, sizeof(path), "%s/edit-%s.md", c->home, rnd);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    snprintf(cmd, sizeof(cmd), "%s \"$@\"", editor) >= (int)sizeof(cmd))
		return (cli_usage(c, "the state directory's path or $EDITOR "
				     "is too long"));
	/* mkstemps() creates the file 0600, O_EXCL. */
	if ((fd = mkstemps(path, 3)) == -1)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "cannot create a temporary file in %s: %s", c->home,
		    strerror(errno)));
	if (len > 0 && write(fd, initial, len) != (ssize_t)len) {
		wipe_file(fd, path);
		return (cli_fail(
		    c, CLI_EXIT_ERROR, "local_state", "cannot write %s", path));
	}
	if ((pid = fork()) == -1) {
		wipe_file(fd, path);
		return (cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot start the editor"));
	}
	if (pid == 0) {
		(void)close(fd);
		execl("/bin/sh", "sh", "-c", cmd, "dissent-editor", path,
		    (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		wipe_file(fd, path);
		return (cli_usage(c,
		    "the editor (%.64s) failed; nothing was "
		    "changed",
		    editor));
	}
	/* The editor may have replaced the file: read it by name. */
	rc = cmd_memo_read_text(c, path, max, what, out);
	(void)close(fd);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		(void)unlink(path);
	else
		wipe_file(fd, path);
	return (rc);
}

/*
 * Ask "${question} [y/N]" on the terminal.  Return CLI_PROCEED for yes,
 * else an exit code (no terminal: a usage error naming --yes).
 */
static int
confirm(struct cli *c, const char *question)
{
	char line[CONFIRM_MAX + 1];
	size_t len = 0;
	ssize_t r;
	char ch;
	int fd;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return (cli_usage(c, "no terminal to confirm on: give --yes"));
	fprintf(c->out.err, "%s [y/N] ", question);
	(void)fflush(c->out.err);
	for (;;) {
		r = read(fd, &ch, 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r != 1 || ch == '\n')
			break;
		if (len < CONFIRM_MAX)
			line[len++] = ch;
	}
	(void)close(fd);
	line[len] = '\0';
	if (strcmp(line, "y") == 0 || strcmp(line, "yes") == 0 ||
	    strcmp(line, "Y") == 0)
		return (CLI_PROCEED);
	return (cli_fail(c, CLI_EXIT_ERROR, "declined",
	    "not confirmed; "
	    "nothing was done"));
}

/**
 * cmd_memo_confirm(c, question):
 * Ask "${question} [y/N]" on the terminal.  Return CLI_PROCEED for yes,
 * else an exit code (no terminal: a usage error naming --yes).
 */
int
cmd_memo_confirm(struct cli *c, const char *question)
{

	return (confirm(c, question));
}

/**
 * cmd_memo_own_keys(c, ks):
 * Derive the session member's keys into ${ks} (wipe with keys_wipe()).
 * Return CLI_PROCEED or an exit code.
 */
int
cmd_memo_own_keys(struct cli *c, struct keys_secret *ks)
{

	if (keys_derive(ks, c->session->seed) != 0)
		return (cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot derive your keys"));
	return (CLI_PROCEED);
}

/**
 * cmd_memo_fetch(c, id, body, m):
 * GET /memos/${id} into ${body} (the caller frees it) and parse its memo
 * into ${m}.  Return CLI_PROCEED or an exit code.
 */
int
cmd_memo_fetch(
    struct cli *c, const char *id, json_t **body, struct memowire_memo *m)
{
	char path[PATH_CAP];
	int rc;

	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s", id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, body)) != CLI_PROCEED)
		return (rc);
	if (memowire_memo_parse(json_object_get(*body, "memo"), m) != 0 ||
	    strcmp(m->id, id) != 0) {
		json_decref(*body);
		*body = NULL;
		return (bad_answer(c, "memos/{id}"));
	}
	return (CLI_PROCEED);
}

/* Refuse the channel key the server presents: entry ${index}, ${why}. */
static int
channel_key_not_logged(struct cli *c, uint64_t index, const char *why)
{

	return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_not_logged",
	    "the channel key the server presents is not the one the log "
	    "publishes (entry %llu): %s; nothing was sealed to it",
	    (unsigned long long)index, why));
}

/**
 * cmd_memo_channel_pk(c, pk):
 * GET /channel and store the channel's public key in ${pk}, after checking
 * it against the log: its "log_index" entry must be in the run's verified
 * tree head and be the channel_key_created event that publishes the hash
 * of that key.  Return CLI_PROCEED, or an exit code (CLI_EXIT_CONFLICT,
 * code no_channel_key, if the channel has no key yet; CLI_EXIT_INTEGRITY,
 * code key_not_logged, if the log does not publish that key; ${pk} is then
 * zeroed and nothing may be sealed to it).
 */
int
cmd_memo_channel_pk(struct cli *c, uint8_t pk[KEYS_BOX_PK_BYTES])
{
	uint8_t leaf[EVENT_MAX_BYTES], proof[LOGWIRE_PROOF_BYTES];
	char err[MEMOWIRE_ERR_MAX];
	json_t *body, *v;
	uint64_t index = 0;
	size_t len, n;
	int rc;

	memset(pk, 0, KEYS_BOX_PK_BYTES);
	if ((rc = cli_call(c, "GET", "/api/v1/channel", NULL, 200, &body)) !=
	    CLI_PROCEED)
		return (rc);
	v = json_object_get(body, "pk");
	if (v == NULL || json_is_null(v)) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_CONFLICT, "no_channel_key",
		    "the channel has no key yet: a coordinator must run "
		    "`dissent channel init' first"));
	}
	if (json_object_get(body, "log_index") == NULL) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_not_logged",
		    "the server does not say which log entry publishes the "
		    "channel key; nothing is sealed to a key the log does "
		    "not publish"));
	}
	rc = wire_get_b64(body, "pk", pk, KEYS_BOX_PK_BYTES) != 0 ||
	     keys_box_pk_check(pk) != 0 ||
	     logwire_u64(body, "log_index", &index) != 0;
	json_decref(body);
	if (rc) {
		memset(pk, 0, KEYS_BOX_PK_BYTES);
		return (bad_answer(c, "channel"));
	}

	/*
	 * The channel_key_created event publishes the key's hash: check it
	 * in the run's verified tree head before anything is sealed to the
	 * key.  The server answers the key's creation only once a signed
	 * head covers the event, so the entry is normally in the head.
	 */
	if ((rc = cmd_log_check_head(c)) != CLI_PROCEED)
		goto fail;
	if (index >= c->log_head.size) {
		rc = channel_key_not_logged(c, index,
		    "its log entry is beyond the latest tree head the server "
		    "signed (try again once it signs one)");
		goto fail;
	}
	if ((rc = fetch_logged(c, index, leaf, &len, proof, &n)) != CLI_PROCEED)
		goto fail;
	if (memowire_channel_key_check(&c->log_head, index, leaf, len, proof, n,
		pk, err, sizeof(err)) != 0) {
		rc = channel_key_not_logged(c, index, err);
		goto fail;
	}
	return (CLI_PROCEED);

fail:
	memset(pk, 0, KEYS_BOX_PK_BYTES);
	return (rc);
}

/**
 * cmd_memo_keys(c, id, k):
 * Fetch the caller's grants for memo ${id} and open them into ${k}
 * (directly, or through the channel key for the channel's staff).
 * Return CLI_PROCEED, CLI_EXIT_FORBIDDEN if the caller holds no key for
 * the memo, or another exit code (CLI_EXIT_INTEGRITY for a grant that
 * does not open); ${k} is wiped on failure.
 */
int
cmd_memo_keys(struct cli *c, const char *id, struct memowire_keys *k)
{
	uint8_t channel_pk[KEYS_BOX_PK_BYTES];
	struct keys_secret ks;
	char path[PATH_CAP];
	json_t *body = NULL, *ch;
	int rc, have_pk = 0;

	memowire_keys_wipe(k);
	memset(&ks, 0, sizeof(ks));
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/grants", id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	ch = json_object_get(body, "channel");
	if (json_is_object(ch) &&
	    (json_object_get(body, "key") == NULL ||
		json_is_null(json_object_get(body, "key")))) {
		if ((rc = cmd_memo_channel_pk(c, channel_pk)) != CLI_PROCEED)
			goto done;
		have_pk = 1;
	}
	if ((rc = cmd_memo_own_keys(c, &ks)) != CLI_PROCEED)
		goto done;
	switch (memowire_grants_open(
	    k, body, id, &ks, have_pk ? channel_pk : NULL, c->inst.id)) {
	case 0:
		rc = CLI_PROCEED;
		break;
	case 1:
		rc = cli_fail(c, CLI_EXIT_FORBIDDEN, "no_key",
		    "you hold no key for memo %s", id);
		break;
	case MEMOWIRE_EINTEGRITY:
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_grant",
		    "a grant the server returned for memo %s does not open "
		    "with your keys for this memo",
		    id);
		break;
	default:
		rc = bad_answer(c, "memos/{id}/grants");
		break;
	}
done:
	keys_wipe(&ks);
	json_decref(body);
	return (rc);
}

/*
 * Refuse the roster key of ${k} unless it is the one of ${m}'s roster_pk:
 * a grant of another key (a drafter's overwritten by a junk one, say)
 * would seal the channel's or a co-drafter's grant to nothing useful.
 */
static int
roster_key_check(
    struct cli *c, const struct memowire_memo *m, const struct memowire_keys *k)
{

	if (!k->have_roster ||
	    memowire_roster_check(k->roster_sk, m->roster_pk) == 0)
		return (CLI_PROCEED);
	return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_grant",
	    "the roster key your grant for memo %s holds is not the memo's "
	    "(its public key differs); nothing was opened or forwarded with it",
	    m->id));
}

/**
 * cmd_memo_keys_checked(c, id, k):
 * As cmd_memo_keys(), then check the keys before they are trusted or
 * forwarded (submission, distribution, invitations): a roster key must be
 * the one of the memo's roster_pk, and the memo key must decrypt the
 * current version (a fetch the server logs).  Return CLI_PROCEED or an exit
 * code (CLI_EXIT_INTEGRITY if a key is not the memo's); ${k} is wiped on
 * failure.
 */
int
cmd_memo_keys_checked(struct cli *c, const char *id, struct memowire_keys *k)
{
	uint8_t hash[MEMO_HASH_BYTES];
	struct memowire_memo m;
	struct memo_content mc;
	json_t *body = NULL;
	int rc;

	if ((rc = cmd_memo_keys(c, id, k)) != CLI_PROCEED)
		return (rc);
	if ((rc = cmd_memo_fetch(c, id, &body, &m)) != CLI_PROCEED ||
	    (rc = roster_key_check(c, &m, k)) != CLI_PROCEED ||
	    (rc = cmd_memo_open_version(c, &m, k->key, m.version, &mc, hash)) !=
		CLI_PROCEED) {
		json_decref(body);
		memowire_keys_wipe(k);
		return (rc);
	}
	memo_content_free(&mc);
	json_decref(body);
	return (CLI_PROCEED);
}

/**
 * cmd_memo_member_id(c, ref, id):
 * Resolve the member ${ref} (an id or handle) to its id in ${id}
 * (GET /members/{ref}).  Return CLI_PROCEED or an exit code.
 */
int
cmd_memo_member_id(
    struct cli *c, const char *ref, char id[DIRECTORY_MEMBER_ID_LEN + 1])
{
	char path[PATH_CAP];
	const char *mid;
	json_t *body;
	int rc;

	if ((rc = cli_member_ref(c, ref)) != CLI_PROCEED)
		return (rc);
	if (directory_member_id_valid(ref)) {
		memcpy(id, ref, DIRECTORY_MEMBER_ID_LEN + 1);
		return (CLI_PROCEED);
	}
	(void)snprintf(path, sizeof(path), "/api/v1/members/%s", ref);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	mid = json_string_value(
	    json_object_get(json_object_get(body, "member"), "id"));
	if (mid == NULL || !directory_member_id_valid(mid)) {
		json_decref(body);
		return (bad_answer(c, "members/{id}"));
	}
	memcpy(id, mid, DIRECTORY_MEMBER_ID_LEN + 1);
	json_decref(body);
	return (CLI_PROCEED);
}

/**
 * cmd_memo_member_keys(c, ref, id, pub):
 * Fetch the current keys of the member ${ref} (an id or handle), check
 * that the log publishes them (cmd_log_check_keys()), and store the
 * member's id in ${id} and the keys in ${pub}.  Return CLI_PROCEED or an
 * exit code (CLI_EXIT_INTEGRITY if the log does not publish them; an
 * error if the member has no keys).
 */
int
cmd_memo_member_keys(struct cli *c, const char *ref,
    char id[DIRECTORY_MEMBER_ID_LEN + 1], struct keys_public *pub)
{
	char path[PATH_CAP], clean[80];
	json_t *body, *cur;
	const char *mid;
	uint32_t epoch;
	int rc;

	if ((rc = cli_member_ref(c, ref)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path), "/api/v1/members/%s/keys", ref);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	mid = json_string_value(json_object_get(body, "member_id"));
	cur = json_object_get(body, "current");
	if (mid == NULL || !directory_member_id_valid(mid)) {
		json_decref(body);
		return (bad_answer(c, "members/{id}/keys"));
	}
	if (!json_is_object(cur)) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_ERROR, "not_enrolled",
		    "%s has no keys (not enrolled)",
		    output_clean(clean, sizeof(clean), ref)));
	}
	memcpy(id, mid, DIRECTORY_MEMBER_ID_LEN + 1);
	rc = cmd_log_check_keys(c, ref, id, cur, &epoch, pub);
	json_decref(body);
	return (rc);
}

/**
 * cmd_memo_receipt_check(c, receipt, memo_id, type, rc):
 * Verify the Receipt ${receipt} the server just returned with the pinned
 * server key: memowire_receipt_verify(), for this instance, for ${memo_id}
 * and of event ${type}.  A head without its instance id gets this
 * instance's (the signature then decides).  Fill ${rc}.  Return
 * CLI_PROCEED or CLI_EXIT_INTEGRITY.
 */
int
cmd_memo_receipt_check(struct cli *c, json_t *receipt, const char *memo_id,
    uint16_t type, struct memowire_receipt *rc)
{
	char err[MEMOWIRE_ERR_MAX];
	json_t *head = json_object_get(receipt, "head");

	if (json_is_object(head) &&
	    json_object_get(head, "instance_id") == NULL &&
	    json_object_set_new(head, "instance_id", json_string(c->inst.id)) !=
		0)
		return (nomem(c));
	if (memowire_receipt_verify(
		receipt, c->inst.sign_pk, rc, err, sizeof(err)) != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
		    "the server's receipt does not verify: %s", err));
	if (strcmp(rc->head.instance_id, c->inst.id) != 0 ||
	    strcmp(rc->memo_id, memo_id) != 0 || rc->ev.type != type)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
		    "the server's receipt is not for this instance, memo %s "
		    "and event %s",
		    memo_id, event_type_name(type)));
	return (CLI_PROCEED);
}

/* Print the summary of the verified receipt ${rc}. */
static void
print_receipt(struct cli *c, const struct memowire_receipt *rc)
{
	char when[OUTPUT_TIME_LEN], line[160], h[HASH_B64];
	const struct event *ev = &rc->ev;

	output_field(&c->out, "Memo", rc->memo_id);
	output_field(&c->out, "Event", event_type_name(ev->type));
	output_time(when, (int64_t)ev->time);
	output_field(&c->out, "Time", when);
	if (ev->type == EVENT_MEMO_SUBMITTED) {
		(void)snprintf(line, sizeof(line), "%u", ev->memo_version);
		output_field(&c->out, "Version", line);
		output_field(&c->out, "Version hash", hash_text(h, ev->hash));
		(void)snprintf(line, sizeof(line), "%u named, %u anonymous",
		    ev->named, ev->anonymous);
		output_field(&c->out, "Signatures", line);
		output_field(
		    &c->out, "Package hash", hash_text(h, ev->package_hash));
	}
	if (ev->member_id[0] != '\0')
		output_field(&c->out, "Member", ev->member_id);
	(void)snprintf(line, sizeof(line),
	    "entry %llu of the tree of size %llu",
	    (unsigned long long)rc->index, (unsigned long long)rc->head.size);
	output_field(&c->out, "Log", line);
	output_field(&c->out, "Instance", rc->head.instance_id);
}

/**
 * cmd_memo_receipt_done(c, body, memo_id, type, what):
 * Check the "receipt" of ${body} (a {"memo", "receipt"} answer) with
 * cmd_memo_receipt_check() for ${memo_id} and ${type}, print "${what}"
 * with the memo's new state and the receipt's log index, add the
 * summary as "verified" to ${body} and emit it.  Return the exit code.
 */
int
cmd_memo_receipt_done(struct cli *c, json_t *body, const char *memo_id,
    uint16_t type, const char *what)
{
	struct memowire_receipt rc;
	char state[32];
	int r;

	if ((r = cmd_memo_receipt_check(c, json_object_get(body, "receipt"),
		 memo_id, type, &rc)) != CLI_PROCEED)
		return (r);
	output_text(&c->out,
	    "%s: memo %s is now %s (log entry %llu, receipt "
	    "verified).\n",
	    what, memo_id,
	    output_clean(state, sizeof(state),
		json_string_value(
		    json_object_get(json_object_get(body, "memo"), "state"))),
	    (unsigned long long)rc.index);
	if (json_object_set_new(body, "verified", memowire_receipt_json(&rc)) !=
	    0)
		return (nomem(c));
	return (cli_emit(c, body));
}

/**
 * cmd_memo_next_n(c, id, n):
 * Store in ${n} the number the memo ${id}'s next reply or note takes: one
 * more than the highest of GET /memos/{id}/replies.  Return CLI_PROCEED
 * or an exit code.
 */
int
cmd_memo_next_n(struct cli *c, const char *id, uint32_t *n)
{
	char path[PATH_CAP];
	json_t *body, *arr, *e, *v;
	uint32_t max = 0;
	size_t i;
	int rc;

	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/replies", id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "replies");
	if (!json_is_array(arr)) {
		json_decref(body);
		return (bad_answer(c, "memos/{id}/replies"));
	}
	json_array_foreach(arr, i, e)
	{
		v = json_object_get(e, "n");
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) >= (json_int_t)UINT32_MAX) {
			json_decref(body);
			return (bad_answer(c, "memos/{id}/replies"));
		}
		if ((uint32_t)json_integer_value(v) > max)
			max = (uint32_t)json_integer_value(v);
	}
	json_decref(body);
	*n = max + 1;
	return (CLI_PROCEED);
}

/* The integer ${key} of ${obj}, or 0. */
static int64_t
int_of(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return (json_is_integer(v) ? (int64_t)json_integer_value(v) : 0);
}

/* Does the string array ${key} of ${obj} hold ${s}? */
static int
has_string(const json_t *obj, const char *key, const char *s)
{
	json_t *arr = json_object_get(obj, key), *e;
	size_t i;

	json_array_foreach(arr, i, e)
	{
		if (json_is_string(e) && strcmp(json_string_value(e), s) == 0)
			return (1);
	}
	return (0);
}

/**
 * cmd_memo_due(memo, due, overdue):
 * Store in ${due} the next due date of the Memo object ${memo} (the
 * acknowledgement's while submitted, the reply's after; 0 if none) and
 * in ${overdue} whether it has passed or is marked missed.
 */
void
cmd_memo_due(const json_t *memo, int64_t *due, int *overdue)
{
	const char *state = json_string_value(json_object_get(memo, "state"));
	const json_t *d = json_object_get(memo, "due");
	const char *kind = NULL;

	*due = 0;
	*overdue = 0;
	if (state == NULL)
		return;
	if (strcmp(state, "submitted") == 0)
		kind = "ack";
	else if (strcmp(state, "acknowledged") == 0 ||
		 strcmp(state, "assigned") == 0)
		kind = "reply";
	if (kind == NULL)
		return;
	*due = int_of(d, kind);
	*overdue = json_is_true(json_object_get(memo, "overdue")) ||
		   has_string(memo, "missed", kind) ||
		   (*due > 0 && (int64_t)time(NULL) > *due);
}

/* The strings of the array ${key} of ${obj}, comma-separated, in ${out}. */
static const char *
list_text(const json_t *obj, const char *key, char *out, size_t cap)
{
	json_t *arr = json_object_get(obj, key), *e;
	size_t i, n = 0;
	int w;

	out[0] = '\0';
	json_array_foreach(arr, i, e)
	{
		if (!json_is_string(e))
			continue;
		w = snprintf(out + n, cap - n, "%s%s", n > 0 ? "," : "",
		    json_string_value(e));
		if (w < 0 || (size_t)w >= cap - n) {
			out[n] = '\0';
			break;
		}
		n += (size_t)w;
	}
	if (n == 0)
		(void)snprintf(out, cap, "-");
	return (out);
}

/*
 * Print the time ${key} of ${obj} as the field ${label}, if set, in the
 * time zone of ${zt}.
 */
static void
print_time_field(struct cli *c, const struct zonetime *zt, const char *label,
    const json_t *obj, const char *key)
{
	char when[ZONETIME_ZONED_LEN];
	int64_t t = int_of(obj, key);

	if (t <= 0)
		return;
	zonetime_format_zoned(zt, t, when);
	output_field(&c->out, label, when);
}

/*
 * Print the due date ${key} of the memo's "due" as ${label}, in the time
 * zone of ${zt}; the one the channel owes next with the working days left.
 */
static void
print_due(struct cli *c, const struct zonetime *zt, const char *label,
    const json_t *memo, const char *key)
{
	char when[ZONETIME_DUE_LEN], line[ZONETIME_DUE_LEN + 16];
	int64_t t = int_of(json_object_get(memo, "due"), key), next;
	int overdue, missed = has_string(memo, "missed", key);

	if (t <= 0)
		return;
	cmd_memo_due(memo, &next, &overdue);
	if (t == next && !missed)
		zonetime_due(zt, (int64_t)time(NULL), t, when);
	else
		zonetime_format_zoned(zt, t, when);
	(void)snprintf(
	    line, sizeof(line), "%s%s", when, missed ? " (MISSED)" : "");
	output_field(&c->out, label, line);
}

/**
 * cmd_memo_print(c, memo):
 * In human mode print the Memo object ${memo} as labelled lines: state,
 * topic, marking, version, counts, relations, times and due dates (in the
 * instance's time zone, the next one with the working days left).
 */
void
cmd_memo_print(struct cli *c, const json_t *memo)
{
	char line[256], list[160];
	const json_t *counts = json_object_get(memo, "counts");
	const char *assignee;
	struct zonetime *zt;

	if (c->out.json)
		return;
	output_field(
	    &c->out, "Memo", json_string_value(json_object_get(memo, "id")));
	output_field(&c->out, "State",
	    json_string_value(json_object_get(memo, "state")));
	output_field(&c->out, "Topic",
	    json_string_value(json_object_get(memo, "topic")));
	output_field(&c->out, "Marking",
	    json_string_value(json_object_get(memo, "marking")));
	(void)snprintf(line, sizeof(line), "%s (open to %s)",
	    json_is_string(json_object_get(memo, "org"))
		? json_string_value(json_object_get(memo, "org"))
		: "-",
	    list_text(memo, "eligible_orgs", list, sizeof(list)));
	output_field(&c->out, "Organisation", line);
	(void)snprintf(
	    line, sizeof(line), "%lld", (long long)int_of(memo, "version"));
	output_field(&c->out, "Version", line);
	output_field(&c->out, "Version hash",
	    json_string_value(json_object_get(memo, "version_hash")));
	(void)snprintf(line, sizeof(line),
	    "%lld named (%lld stale), %lld anonymous",
	    (long long)int_of(counts, "named"),
	    (long long)int_of(counts, "named_stale"),
	    (long long)int_of(counts, "anonymous"));
	output_field(&c->out, "Signatures", line);
	output_field(&c->out, "Your signature",
	    json_string_value(json_object_get(memo, "signed")));
	output_field(&c->out, "Relations",
	    list_text(memo, "relations", list, sizeof(list)));
	(void)snprintf(line, sizeof(line), "%s; signers %s invite",
	    json_is_true(json_object_get(memo, "show_signers"))
		? "names shown to signers"
		: "signers see a count",
	    json_is_true(json_object_get(memo, "signers_may_invite"))
		? "may"
		: "may not");
	output_field(&c->out, "Settings", line);
	assignee = json_string_value(json_object_get(memo, "assignee"));
	if (assignee != NULL)
		output_field(&c->out, "Assignee", assignee);
	/* Without the zone (reported), the times are UTC and say so. */
	zt = zonetime_new(c->inst.raw);
	print_time_field(c, zt, "Created", memo, "created_at");
	print_time_field(c, zt, "Submitted", memo, "submitted_at");
	print_time_field(c, zt, "Acknowledged", memo, "acked_at");
	print_time_field(c, zt, "Replied", memo, "replied_at");
	print_time_field(c, zt, "Closed", memo, "closed_at");
	print_time_field(c, zt, "Withdrawn", memo, "withdrawn_at");
	print_due(c, zt, "Ack due", memo, "ack");
	print_due(c, zt, "Reply due", memo, "reply");
	print_due(c, zt, "Escalation", memo, "escalation");
	zonetime_free(zt);
}

/*
 * Fetch version ${n} of memo ${m} and the list of versions, decrypt it
 * with ${key} into ${content} and check its hash and its place in the
 * chain; its hash goes to ${hash}.
 */
static int
open_version(struct cli *c, const struct memowire_memo *m,
    const uint8_t key[MEMO_KEY_BYTES], uint32_t n, struct memo_content *content,
    uint8_t hash[MEMO_HASH_BYTES])
{
	uint8_t prev[MEMO_HASH_BYTES];
	char path[PATH_CAP];
	json_t *ver = NULL, *list = NULL;
	int rc;

	memset(content, 0, sizeof(*content));
	(void)snprintf(
	    path, sizeof(path), "/api/v1/memos/%s/versions/%u", m->id, n);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &ver)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/versions", m->id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &list)) != CLI_PROCEED)
		goto done;
	switch (memowire_version_open(
	    content, hash, prev, ver, m->id, n, m->roster_pk, key)) {
	case 0:
		break;
	case MEMOWIRE_EINTEGRITY:
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "version_mismatch",
		    "version %u of memo %s does not decrypt, or is not the "
		    "text its hash names",
		    n, m->id);
		goto done;
	default:
		rc = bad_answer(c, "memos/{id}/versions/{n}");
		goto done;
	}
	switch (memowire_chain_check(m, list, n, hash, prev)) {
	case 0:
		rc = CLI_PROCEED;
		break;
	case MEMOWIRE_EINTEGRITY:
		memo_content_free(content);
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "version_mismatch",
		    "version %u of memo %s is not in the chain of versions "
		    "the server declares (its hash or its predecessor's "
		    "differ)",
		    n, m->id);
		break;
	default:
		memo_content_free(content);
		rc = bad_answer(c, "memos/{id}/versions");
		break;
	}
done:
	json_decref(ver);
	json_decref(list);
	return (rc);
}

/**
 * cmd_memo_open_version(c, m, key, n, content, hash):
 * Fetch version ${n} of memo ${m} and the list of versions, decrypt it
 * with ${key} into ${content} (free it with memo_content_free()) and
 * check its hash and its place in the chain; store its hash in ${hash}.
 * Return CLI_PROCEED or an exit code (CLI_EXIT_INTEGRITY if a check
 * fails).
 */
int
cmd_memo_open_version(struct cli *c, const struct memowire_memo *m,
    const uint8_t key[MEMO_KEY_BYTES], uint32_t n, struct memo_content *content,
    uint8_t hash[MEMO_HASH_BYTES])
{

	return (open_version(c, m, key, n, content, hash));
}

/* Parse --orgs into a JSON array; NULL: the caller's own organisation. */
static int
parse_orgs(struct cli *c, const char *list, json_t **out)
{
	char org[DIRECTORY_ORG_ID_MAX + 1];
	const char *p = list, *end;
	json_t *arr, *body, *e;
	size_t len, i;
	const char *own;
	int rc;

	if ((arr = json_array()) == NULL)
		return (nomem(c));
	if (list == NULL) {
		if ((rc = cli_call(c, "GET", "/api/v1/auth/session", NULL, 200,
			 &body)) != CLI_PROCEED) {
			json_decref(arr);
			return (rc);
		}
		own = json_string_value(
		    json_object_get(json_object_get(body, "member"), "org"));
		rc = own == NULL || !directory_org_id_valid(own) ||
		     json_array_append_new(arr, json_string(own)) != 0;
		json_decref(body);
		if (rc) {
			json_decref(arr);
			return (bad_answer(c, "auth/session"));
		}
		*out = arr;
		return (CLI_PROCEED);
	}
	for (;;) {
		end = strchr(p, ',');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 0 || len > DIRECTORY_ORG_ID_MAX)
			goto bad;
		memcpy(org, p, len);
		org[len] = '\0';
		if (!directory_org_id_valid(org) ||
		    json_array_size(arr) >= MEMO_ORGS_MAX)
			goto bad;
		json_array_foreach(arr, i, e)
		{
			if (strcmp(json_string_value(e), org) == 0)
				goto bad;
		}
		if (json_array_append_new(arr, json_string(org)) != 0) {
			json_decref(arr);
			return (nomem(c));
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	*out = arr;
	return (CLI_PROCEED);

bad:
	json_decref(arr);
	return (cli_usage(c,
	    "--orgs takes 1-%d distinct organisation ids, "
	    "comma-separated",
	    MEMO_ORGS_MAX));
}

/* The flags that give a version's fields. */
struct fields {
	const char *title;
	const char *title_file;
	const char *summary_file;
	const char *body_file;
	const char *alt_file;
	const char *topic;
	const char *marking;
};

/* Check the flags of ${f} before anything is read or sent. */
static int
check_fields(struct cli *c, const struct fields *f)
{
	int stdin_uses = 0;

	if (f->title != NULL && f->title_file != NULL)
		return (cli_usage(c, "give --title or --title-file, not both"));
	if (f->title != NULL &&
	    (f->title[0] == '\0' || strlen(f->title) > MEMO_TITLE_MAX))
		return (
		    cli_usage(c, "--title: 1-%d bytes", (int)MEMO_TITLE_MAX));
	if (f->topic != NULL && !memo_topic_valid(f->topic))
		return (cli_usage(c,
		    "--topic: 1-%d of a-z 0-9 -, starting with a letter",
		    MEMO_TOPIC_MAX));
	if (f->marking != NULL && memo_marking_level(f->marking) < 0)
		return (cli_usage(c,
		    "--marking: UNCLASSIFIED, SBU, CONFIDENTIAL, SECRET or "
		    "TOP SECRET"));
	stdin_uses += f->title_file != NULL && strcmp(f->title_file, "-") == 0;
	stdin_uses +=
	    f->summary_file != NULL && strcmp(f->summary_file, "-") == 0;
	stdin_uses += f->body_file != NULL && strcmp(f->body_file, "-") == 0;
	stdin_uses += f->alt_file != NULL && strcmp(f->alt_file, "-") == 0;
	if (stdin_uses > 1)
		return (cli_usage(c, "only one of the files may be \"-\""));
	return (CLI_PROCEED);
}

/* Replace *${slot} with the text read from ${path}. */
static int
replace_text(
    struct cli *c, char **slot, const char *path, size_t max, const char *what)
{
	char *t;
	int rc;

	if ((rc = cmd_memo_read_text(c, path, max, what, &t)) != CLI_PROCEED)
		return (rc);
	cmd_memo_text_free(*slot);
	*slot = t;
	return (CLI_PROCEED);
}

/* Copy ${s} into a new malloc'd *${slot}, wiping what was there. */
static int
replace_string(struct cli *c, char **slot, const char *s)
{
	char *t;

	if ((t = strdup(s)) == NULL)
		return (nomem(c));
	cmd_memo_text_free(*slot);
	*slot = t;
	return (CLI_PROCEED);
}

/*
 * Apply the flags ${f} to ${mc}; a title from a file loses one trailing
 * newline.  With ${edit_body}, the body comes from the editor (starting
 * from the current body).
 */
static int
apply_fields(struct cli *c, const struct fields *f, struct memo_content *mc,
    int edit_body)
{
	size_t len;
	int rc;

	if (f->title != NULL &&
	    (rc = replace_string(c, &mc->title, f->title)) != CLI_PROCEED)
		return (rc);
	if (f->title_file != NULL) {
		if ((rc = replace_text(c, &mc->title, f->title_file,
			 MEMO_TITLE_MAX + 1, "--title-file")) != CLI_PROCEED)
			return (rc);
		len = strlen(mc->title);
		if (len > 0 && mc->title[len - 1] == '\n')
			mc->title[len - 1] = '\0';
	}
	if (f->summary_file != NULL &&
	    (rc = replace_text(c, &mc->summary, f->summary_file,
		 MEMO_SUMMARY_MAX, "--summary-file")) != CLI_PROCEED)
		return (rc);
	if (f->alt_file != NULL &&
	    (rc = replace_text(c, &mc->alternatives, f->alt_file,
		 MEMO_ALTERNATIVES_MAX, "--alternatives-file")) != CLI_PROCEED)
		return (rc);
	if (f->body_file != NULL &&
	    (rc = replace_text(c, &mc->body, f->body_file, MEMO_BODY_MAX,
		 "--body-file")) != CLI_PROCEED)
		return (rc);
	if (edit_body) {
		char *t;

		if ((rc = edit_text(c, mc->body != NULL ? mc->body : "",
			 MEMO_BODY_MAX, "body", &t)) != CLI_PROCEED)
			return (rc);
		cmd_memo_text_free(mc->body);
		mc->body = t;
	}
	if (f->topic != NULL)
		(void)snprintf(mc->topic, sizeof(mc->topic), "%s", f->topic);
	if (f->marking != NULL)
		(void)snprintf(
		    mc->marking, sizeof(mc->marking), "%s", f->marking);
	/* Optional fields are empty strings, never absent. */
	if (mc->summary == NULL &&
	    (rc = replace_string(c, &mc->summary, "")) != CLI_PROCEED)
		return (rc);
	if (mc->alternatives == NULL &&
	    (rc = replace_string(c, &mc->alternatives, "")) != CLI_PROCEED)
		return (rc);
	if (!memo_content_check(mc))
		return (cli_usage(c,
		    "the memo's text is refused: a title (one line, 1-%d "
		    "bytes) and a body are required, and every field must "
		    "be UTF-8 within its limit, without control characters "
		    "other than tabs and line breaks",
		    (int)MEMO_TITLE_MAX));
	return (CLI_PROCEED);
}

/* `dissent memo new` */
static int
memo_new(struct cli *c, int argc, char **argv)
{
	struct fields f;
	const char *orgs = NULL;
	int may_invite = 0, rc;
	const struct args_spec spec[] = {
	    {"--title", ARGS_STRING, &f.title},
	    {"--title-file", ARGS_STRING, &f.title_file},
	    {"--summary-file", ARGS_STRING, &f.summary_file},
	    {"--body-file", ARGS_STRING, &f.body_file},
	    {"--alternatives-file", ARGS_STRING, &f.alt_file},
	    {"--topic", ARGS_STRING, &f.topic},
	    {"--marking", ARGS_STRING, &f.marking},
	    {"--orgs", ARGS_STRING, &orgs},
	    {"--signers-may-invite", ARGS_FLAG, &may_invite},
	};
	uint8_t key[MEMO_KEY_BYTES], rpk[MEMO_ROSTER_PK_BYTES];
	uint8_t rsk[MEMO_ROSTER_SK_BYTES], hash[MEMO_HASH_BYTES];
	uint8_t zero[MEMO_HASH_BYTES];
	char id[MEMO_ID_LEN + 1], h[HASH_B64];
	struct memo_content mc;
	struct keys_secret ks;
	json_t *arr = NULL, *ver = NULL, *req = NULL, *body = NULL;
	size_t npos;

	memset(&f, 0, sizeof(f));
	memset(&mc, 0, sizeof(mc));
	memset(&ks, 0, sizeof(ks));
	memset(key, 0, sizeof(key));
	memset(rsk, 0, sizeof(rsk));
	memset(zero, 0, sizeof(zero));
	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 NULL, 0, 0, &npos)) != CLI_PROCEED ||
	    (rc = check_fields(c, &f)) != CLI_PROCEED)
		return (rc);
	if ((f.title == NULL && f.title_file == NULL) || f.topic == NULL ||
	    f.marking == NULL)
		return (cli_usage(c, "--title (or --title-file), --topic and "
				     "--marking are required"));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = parse_orgs(c, orgs, &arr)) != CLI_PROCEED)
		return (rc);
	if ((rc = apply_fields(c, &f, &mc, f.body_file == NULL)) != CLI_PROCEED)
		goto done;
	if ((rc = cmd_memo_own_keys(c, &ks)) != CLI_PROCEED)
		goto done;

	memo_id_new(id);
	aead_key_new(key);
	memo_roster_keypair(rpk, rsk);
	if ((ver = memowire_version_seal(&mc, id, 1, zero, rpk, key, hash)) ==
	    NULL) {
		rc = cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot encrypt the memo");
		goto done;
	}
	if ((req = json_pack("{s:s,s:s,s:s,s:O,s:o,s:b,s:O,s:{s:o,s:o}}", "id",
		 id, "topic", mc.topic, "marking", mc.marking, "eligible_orgs",
		 arr, "roster_pk", memowire_b64(rpk, sizeof(rpk)),
		 "signers_may_invite", may_invite, "version", ver, "grants",
		 "key",
		 memowire_grant_json(key, MEMO_GRANT_KEY, id, ks.pub.box_pk),
		 "roster",
		 memowire_grant_json(
		     rsk, MEMO_GRANT_ROSTER, id, ks.pub.box_pk))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	if ((rc = cli_call(c, "POST", "/api/v1/memos", req, 201, &body)) !=
	    CLI_PROCEED)
		goto done;
	output_note(&c->out,
	    "Created memo %s: a draft at version 1 (hash %s).\n", id,
	    hash_text(h, hash));
	output_text(&c->out, "%s\n", id);
	rc = cli_emit(c, body);
done:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(rsk, sizeof(rsk));
	keys_wipe(&ks);
	memo_content_free(&mc);
	json_decref(body);
	json_decref(req);
	json_decref(ver);
	json_decref(arr);
	return (rc);
}

/* `dissent memo edit ID` */
static int
memo_edit(struct cli *c, int argc, char **argv)
{
	struct fields f;
	const char *pos[1];
	const struct args_spec spec[] = {
	    {"--title", ARGS_STRING, &f.title},
	    {"--title-file", ARGS_STRING, &f.title_file},
	    {"--summary-file", ARGS_STRING, &f.summary_file},
	    {"--body-file", ARGS_STRING, &f.body_file},
	    {"--alternatives-file", ARGS_STRING, &f.alt_file},
	    {"--topic", ARGS_STRING, &f.topic},
	    {"--marking", ARGS_STRING, &f.marking},
	};
	uint8_t hash[MEMO_HASH_BYTES], newhash[MEMO_HASH_BYTES];
	char h[HASH_B64], path[PATH_CAP];
	struct memowire_keys k;
	struct memowire_memo m;
	struct memo_content mc;
	json_t *mbody = NULL, *ver = NULL, *body = NULL;
	size_t npos;
	int rc, any;

	memset(&f, 0, sizeof(f));
	memset(&mc, 0, sizeof(mc));
	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, spec, sizeof(spec) / sizeof(spec[0]),
		 pos, 1, 1, &npos)) != CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED ||
	    (rc = check_fields(c, &f)) != CLI_PROCEED)
		return (rc);
	any = f.title != NULL || f.title_file != NULL ||
	      f.summary_file != NULL || f.body_file != NULL ||
	      f.alt_file != NULL || f.topic != NULL || f.marking != NULL;
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	if (m.version == UINT32_MAX) {
		rc = bad_answer(c, "memos/{id}");
		goto done;
	}
	if ((rc = cmd_memo_keys(c, m.id, &k)) != CLI_PROCEED ||
	    (rc = open_version(c, &m, k.key, m.version, &mc, hash)) !=
		CLI_PROCEED ||
	    (rc = apply_fields(c, &f, &mc, !any)) != CLI_PROCEED)
		goto done;
	if ((ver = memowire_version_seal(&mc, m.id, m.version + 1, hash,
		 m.roster_pk, k.key, newhash)) == NULL) {
		rc = cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot encrypt the memo");
		goto done;
	}
	if (json_object_set_new(
		ver, "version", json_integer((json_int_t)m.version + 1)) != 0 ||
	    json_object_set_new(
		ver, "prev_hash", memowire_b64(hash, sizeof(hash))) != 0 ||
	    json_object_set_new(ver, "topic", json_string(mc.topic)) != 0 ||
	    json_object_set_new(ver, "marking", json_string(mc.marking)) != 0) {
		rc = nomem(c);
		goto done;
	}
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/versions", m.id);
	if ((rc = cli_call(c, "POST", path, ver, 201, &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out,
	    "Memo %s is at version %u (hash %s); earlier signatures are "
	    "stale until signed again.\n",
	    m.id, m.version + 1, hash_text(h, newhash));
	rc = cli_emit(c, body);
done:
	memowire_keys_wipe(&k);
	memo_content_free(&mc);
	json_decref(body);
	json_decref(ver);
	json_decref(mbody);
	return (rc);
}

/* Print a field of a version's text, with a heading, in human mode. */
static void
print_text(struct cli *c, const char *heading, const char *text)
{
	const char *p;
	char ch;

	if (text == NULL || text[0] == '\0')
		return;
	output_text(&c->out, "\n== %s ==\n", heading);
	/* Control characters other than tab and newline become '?'. */
	for (p = text; *p != '\0'; p++) {
		ch = *p;
		if (((unsigned char)ch < 0x20 && ch != '\t' && ch != '\n') ||
		    ch == 0x7f)
			ch = '?';
		output_text(&c->out, "%c", ch);
	}
	if (p > text && p[-1] != '\n')
		output_text(&c->out, "\n");
}

/* `dissent memo show ID [--version N]` */
static int
memo_show(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	uint64_t want = 0;
	const struct args_spec spec[] = {
	    {"--version", ARGS_U64, &want},
	};
	uint8_t hash[MEMO_HASH_BYTES];
	char h[HASH_B64], line[64];
	struct memowire_keys k;
	struct memowire_memo m;
	struct memo_content mc;
	json_t *mbody = NULL, *res = NULL;
	uint32_t n;
	size_t npos;
	int rc;

	memset(&mc, 0, sizeof(mc));
	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if (want > UINT32_MAX)
		return (cli_usage(c, "--version: no such version"));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	n = want != 0 ? (uint32_t)want : m.version;
	if (n > m.version) {
		rc = cli_fail(c, CLI_EXIT_NOTFOUND, "not_found",
		    "memo %s has %u versions", m.id, m.version);
		goto done;
	}
	if ((rc = cmd_memo_keys(c, m.id, &k)) != CLI_PROCEED ||
	    (rc = open_version(c, &m, k.key, n, &mc, hash)) != CLI_PROCEED)
		goto done;
	cmd_memo_print(c, json_object_get(mbody, "memo"));
	(void)snprintf(line, sizeof(line), "%u%s", n,
	    n == m.version ? " (current)" : " (earlier)");
	output_field(&c->out, "Shown version", line);
	output_field(&c->out, "Checked hash", hash_text(h, hash));
	output_field(&c->out, "Title", mc.title);
	print_text(c, "Summary", mc.summary);
	print_text(c, "Body", mc.body);
	print_text(c, "Recommended alternatives", mc.alternatives);
	if (c->out.json &&
	    (res = json_pack("{s:O,s:{s:I,s:o,s:b,s:s,s:s,s:s,s:s,s:s,s:s}}",
		 "memo", json_object_get(mbody, "memo"), "version", "version",
		 (json_int_t)n, "hash", memowire_b64(hash, sizeof(hash)),
		 "verified", 1, "title", mc.title, "summary", mc.summary,
		 "body", mc.body, "alternatives", mc.alternatives, "topic",
		 mc.topic, "marking", mc.marking)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	rc = cli_emit(c, res);
done:
	memowire_keys_wipe(&k);
	memo_content_free(&mc);
	json_decref(res);
	json_decref(mbody);
	return (rc);
}

/* `dissent memo versions ID` */
static int
memo_versions(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	char path[PATH_CAP], when[OUTPUT_TIME_LEN], a[40], h[64];
	json_t *body, *e;
	size_t npos, i;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/versions", pos[0]);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	output_text(&c->out, "%-7s %-44s %-26s %s\n", "VERSION", "HASH",
	    "AUTHOR", "CREATED");
	json_array_foreach(json_object_get(body, "versions"), i, e)
	{
		output_time(when, int_of(e, "created_at"));
		output_text(&c->out, "%-7lld %-44s %-26s %s\n",
		    (long long)int_of(e, "version"),
		    output_clean(h, sizeof(h),
			json_string_value(json_object_get(e, "hash"))),
		    output_clean(a, sizeof(a),
			json_string_value(json_object_get(e, "author"))),
		    when);
	}
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent memo invite ID MEMBER [--as signer|codrafter]` */
static int
memo_invite(struct cli *c, int argc, char **argv)
{
	const char *pos[2], *as = "signer";
	const struct args_spec spec[] = {
	    {"--as", ARGS_STRING, &as},
	};
	char path[PATH_CAP], mid[DIRECTORY_MEMBER_ID_LEN + 1], clean[80];
	struct memowire_keys k;
	struct memowire_memo m;
	struct keys_public pub;
	json_t *mbody = NULL, *grants = NULL, *req = NULL, *body = NULL;
	size_t npos;
	int rc, codrafter, roster;

	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 2, 2, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED ||
	    (rc = cli_member_ref(c, pos[1])) != CLI_PROCEED)
		return (rc);
	if (strcmp(as, "signer") != 0 && strcmp(as, "codrafter") != 0)
		return (cli_usage(c, "--as takes signer or codrafter"));
	codrafter = strcmp(as, "codrafter") == 0;
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	if ((rc = cmd_memo_keys_checked(c, m.id, &k)) != CLI_PROCEED ||
	    (rc = cmd_memo_member_keys(c, pos[1], mid, &pub)) != CLI_PROCEED)
		goto done;
	/* Co-drafters see the signers; so do signers when names are shown. */
	roster = codrafter || m.show_signers;
	if (roster && !k.have_roster) {
		rc = cli_fail(c, CLI_EXIT_FORBIDDEN, "no_key",
		    "you hold no roster key for memo %s, which a %s needs",
		    m.id, codrafter ? "co-drafter" : "signer who sees names");
		goto done;
	}
	if ((grants = json_pack("{s:o}", "key",
		 memowire_grant_json(
		     k.key, MEMO_GRANT_KEY, m.id, pub.box_pk))) == NULL ||
	    (roster && json_object_set_new(grants, "roster",
			   memowire_grant_json(k.roster_sk, MEMO_GRANT_ROSTER,
			       m.id, pub.box_pk)) != 0) ||
	    (req = json_pack("{s:s,s:s,s:O}", "member", mid, "as", as, "grants",
		 grants)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	(void)snprintf(
	    path, sizeof(path), "/api/v1/memos/%s/invitations", m.id);
	if ((rc = cli_call(c, "POST", path, req, 201, &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out, "Invited %s (%s) to memo %s as %s.\n",
	    output_clean(clean, sizeof(clean), pos[1]), mid, m.id, as);
	rc = cli_emit(c, body);
done:
	memowire_keys_wipe(&k);
	json_decref(body);
	json_decref(req);
	json_decref(grants);
	json_decref(mbody);
	return (rc);
}

/*
 * The session member's current key epoch, from the directory, whose keys
 * must be ${ks}'s.
 */
static int
own_epoch(struct cli *c, const struct keys_secret *ks, uint32_t *epoch)
{
	struct keys_public pub;
	char path[PATH_CAP];
	json_t *body, *w;
	int rc;

	(void)snprintf(path, sizeof(path), "/api/v1/members/%s/keys",
	    c->session->member_id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	w = json_pack("{s:O}", "keys", json_object_get(body, "current"));
	rc = w == NULL || wire_member_keys(w, epoch, &pub) != 0;
	json_decref(w);
	json_decref(body);
	if (rc)
		return (bad_answer(c, "members/{id}/keys"));
	if (!wire_keys_equal(&pub, &ks->pub))
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "key_mismatch",
		    "the directory's keys for you are not the keys of this "
		    "session (if you rotated them elsewhere, log in again)"));
	return (CLI_PROCEED);
}

/* `dissent memo sign ID [--anonymous] [--yes]` */
static int
memo_sign(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	int yes = 0, anonymous = 0, rc;
	const struct args_spec spec[] = {
	    {"--yes", ARGS_FLAG, &yes},
	    {"--anonymous", ARGS_FLAG, &anonymous},
	};
	uint8_t hash[MEMO_HASH_BYTES], rec[MEMO_RECORD_SEALED_BYTES];
	char path[PATH_CAP], h[HASH_B64], title[MEMO_TITLE_MAX + 1];
	char question[MEMO_TITLE_MAX + 128];
	struct memo_signature s;
	struct memowire_keys k;
	struct memowire_memo m;
	struct memo_content mc;
	struct keys_secret ks;
	json_t *mbody = NULL, *req = NULL, *body = NULL, *counts;
	size_t npos;

	memset(&mc, 0, sizeof(mc));
	memset(&k, 0, sizeof(k));
	memset(&ks, 0, sizeof(ks));
	memset(&s, 0, sizeof(s));
	if ((rc = cli_args(c, argc, argv, spec, 2, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if (anonymous)
		return (cmd_anon_sign(c, pos[0], yes));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	if ((rc = cmd_memo_keys(c, m.id, &k)) != CLI_PROCEED ||
	    (rc = open_version(c, &m, k.key, m.version, &mc, hash)) !=
		CLI_PROCEED)
		goto done;
	output_clean(title, sizeof(title), mc.title);
	output_note(&c->out,
	    "Memo     %s\nTitle    %s\nVersion  %u (hash %s)\n", m.id, title,
	    m.version, hash_text(h, hash));
	if (!yes) {
		(void)snprintf(question, sizeof(question),
		    "Sign version %u of \"%s\" with your name?", m.version,
		    title);
		if ((rc = confirm(c, question)) != CLI_PROCEED)
			goto done;
	}
	if ((rc = cmd_memo_own_keys(c, &ks)) != CLI_PROCEED ||
	    (rc = own_epoch(c, &ks, &s.key_epoch)) != CLI_PROCEED)
		goto done;
	memcpy(s.memo_id, m.id, sizeof(s.memo_id));
	s.version = m.version;
	memcpy(s.version_hash, hash, sizeof(hash));
	(void)snprintf(
	    s.signer_id, sizeof(s.signer_id), "%s", c->session->member_id);
	s.time = (uint64_t)time(NULL);
	if (memo_signature_sign(&s, &ks) != 0 ||
	    memo_record_seal(rec, &s, m.roster_pk) != 0) {
		rc = cli_fail(
		    c, CLI_EXIT_ERROR, "internal", "cannot make the signature");
		goto done;
	}
	if ((req = json_pack("{s:I,s:o,s:I,s:o,s:o}", "version",
		 (json_int_t)m.version, "version_hash",
		 memowire_b64(hash, sizeof(hash)), "time", (json_int_t)s.time,
		 "sig", memowire_b64(s.sig, sizeof(s.sig)), "record",
		 memowire_b64(rec, sizeof(rec)))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/signatures", m.id);
	if ((rc = cli_call(c, "POST", path, req, 201, &body)) != CLI_PROCEED)
		goto done;
	counts = json_object_get(body, "counts");
	output_text(&c->out,
	    "Signed version %u of memo %s; it has %lld named signatures.\n",
	    m.version, m.id, (long long)int_of(counts, "named"));
	rc = cli_emit(c, body);
done:
	keys_wipe(&ks);
	memowire_keys_wipe(&k);
	memo_content_free(&mc);
	sodium_memzero(&s, sizeof(s));
	json_decref(body);
	json_decref(req);
	json_decref(mbody);
	return (rc);
}

/* `dissent memo unsign ID [--anonymous]` */
static int
memo_unsign(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	int anonymous = 0, rc;
	const struct args_spec spec[] = {
	    {"--anonymous", ARGS_FLAG, &anonymous},
	};
	char path[PATH_CAP];
	json_t *body;
	size_t npos;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if (anonymous)
		return (cmd_anon_unsign(c, pos[0]));
	(void)snprintf(
	    path, sizeof(path), "/api/v1/memos/%s/signatures/mine", pos[0]);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "DELETE", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	output_text(&c->out,
	    "Your signature on memo %s is withdrawn; it has %lld named "
	    "signatures.\n",
	    pos[0],
	    (long long)int_of(json_object_get(body, "counts"), "named"));
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* Write the receipt ${r} of memo ${id} to receipts/ID.json in the home. */
static int
save_receipt(
    struct cli *c, const char *id, const json_t *r, char *where, size_t cap)
{
	char dir[HOME_PATH_MAX], name[MEMO_ID_LEN + 8], err[MSG_MAX];
	char *text;
	int n;

	n = snprintf(dir, sizeof(dir), "%s/%s", c->home, RECEIPTS_DIR);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "the state directory's path is too long"));
	(void)snprintf(name, sizeof(name), "%s.json", id);
	if (home_prepare(dir, err, sizeof(err)) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	if ((text = json_dumps(r, JSON_COMPACT)) == NULL)
		return (nomem(c));
	n = home_write_file(dir, name, text, strlen(text), err, sizeof(err));
	jsonmem_free_text(text);
	if (n != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	(void)snprintf(where, cap, "%s/%s", dir, name);
	return (CLI_PROCEED);
}

/* Write ${r} to ${path}, opened as ${fd} by home_secret_file_open(). */
static int
write_receipt_file(struct cli *c, const char *path, int fd, const json_t *r)
{
	char err[MSG_MAX], *text;
	size_t len;
	int rc;

	if ((text = json_dumps(r, JSON_COMPACT)) == NULL) {
		home_secret_file_abandon(fd, path);
		return (nomem(c));
	}
	len = strlen(text);
	rc = home_secret_file_finish(fd, path, text, len, err, sizeof(err));
	jsonmem_free_text(text);
	if (rc != 0) {
		(void)unlink(path);
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	}
	return (CLI_PROCEED);
}

/* `dissent memo submit ID [--receipt-out FILE] [--yes]` */
static int
memo_submit(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *out = NULL;
	int yes = 0, fd = -1, rc;
	const struct args_spec spec[] = {
	    {"--receipt-out", ARGS_STRING, &out},
	    {"--yes", ARGS_FLAG, &yes},
	};
	uint8_t hash[MEMO_HASH_BYTES], cpk[KEYS_BOX_PK_BYTES];
	char path[PATH_CAP], h[HASH_B64], title[MEMO_TITLE_MAX + 1];
	char question[MEMO_TITLE_MAX + 160], where[HOME_PATH_MAX + 64];
	char err[MSG_MAX];
	struct memowire_receipt rc_;
	struct memowire_keys k;
	struct memowire_memo m;
	struct memo_content mc;
	json_t *mbody = NULL, *req = NULL, *body = NULL, *receipt, *counts;
	size_t npos;

	memset(&mc, 0, sizeof(mc));
	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, spec, 2, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	if ((rc = cmd_memo_keys(c, m.id, &k)) != CLI_PROCEED ||
	    (rc = open_version(c, &m, k.key, m.version, &mc, hash)) !=
		CLI_PROCEED)
		goto done;
	if (!k.have_roster) {
		rc = cli_fail(c, CLI_EXIT_FORBIDDEN, "no_key",
		    "you hold no roster key for memo %s: only its drafters "
		    "submit it",
		    m.id);
		goto done;
	}
	/* The memo key decrypted the version; the roster key is checked. */
	if ((rc = roster_key_check(c, &m, &k)) != CLI_PROCEED ||
	    (rc = cmd_memo_channel_pk(c, cpk)) != CLI_PROCEED)
		goto done;
	counts = json_object_get(json_object_get(mbody, "memo"), "counts");
	output_clean(title, sizeof(title), mc.title);
	output_note(&c->out,
	    "Memo        %s\nTitle       %s\nVersion     %u (hash %s)\n"
	    "Signatures  %lld current, %lld stale (stale ones are dropped)\n",
	    m.id, title, m.version, hash_text(h, hash),
	    (long long)int_of(counts, "named"),
	    (long long)int_of(counts, "named_stale"));
	if (!yes) {
		(void)snprintf(question, sizeof(question),
		    "Submit \"%s\" to the channel?  This freezes the text and "
		    "the signatures.",
		    title);
		if ((rc = confirm(c, question)) != CLI_PROCEED)
			goto done;
	}
	if (out != NULL &&
	    (fd = home_secret_file_open(out, err, sizeof(err))) == -1) {
		rc = cli_usage(c, "--receipt-out: %s", err);
		goto done;
	}
	if ((req = json_pack("{s:o,s:{s:o,s:o}}", "version_hash",
		 memowire_b64(hash, sizeof(hash)), "grants", "key",
		 memowire_grant_json(k.key, MEMO_GRANT_KEY, m.id, cpk),
		 "roster",
		 memowire_grant_json(
		     k.roster_sk, MEMO_GRANT_ROSTER, m.id, cpk))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	memowire_keys_wipe(&k);
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/submit", m.id);
	if ((rc = cli_call(c, "POST", path, req, 200, &body)) != CLI_PROCEED)
		goto done;
	receipt = json_object_get(body, "receipt");
	if ((rc = cmd_memo_receipt_check(
		 c, receipt, m.id, EVENT_MEMO_SUBMITTED, &rc_)) != CLI_PROCEED)
		goto done;
	if (rc_.ev.memo_version != m.version ||
	    sodium_memcmp(rc_.ev.hash, hash, sizeof(hash)) != 0) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_receipt",
		    "the receipt is for another version than the one "
		    "submitted");
		goto done;
	}
	if ((rc = save_receipt(c, m.id, receipt, where, sizeof(where))) !=
	    CLI_PROCEED)
		goto done;
	if (fd != -1) {
		rc = write_receipt_file(c, out, fd, receipt);
		fd = -1;
		if (rc != CLI_PROCEED)
			goto done;
	}
	output_text(
	    &c->out, "Submitted memo %s; the receipt verifies.\n", m.id);
	print_receipt(c, &rc_);
	output_field(&c->out, "Receipt", out != NULL ? out : where);
	if (json_object_set_new(
		body, "verified", memowire_receipt_json(&rc_)) != 0 ||
	    json_object_set_new(body, "receipt_file",
		json_string(out != NULL ? out : where)) != 0) {
		rc = nomem(c);
		goto done;
	}
	rc = cli_emit(c, body);
done:
	home_secret_file_abandon(fd, out);
	memowire_keys_wipe(&k);
	memo_content_free(&mc);
	json_decref(body);
	json_decref(req);
	json_decref(mbody);
	return (rc);
}

/* `dissent memo withdraw ID [--yes]` */
static int
memo_withdraw(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	int yes = 0, rc;
	const struct args_spec spec[] = {
	    {"--yes", ARGS_FLAG, &yes},
	};
	char path[PATH_CAP], question[128];
	json_t *body;
	size_t npos;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if (!yes) {
		(void)snprintf(question, sizeof(question),
		    "Withdraw memo %s for good?", pos[0]);
		if ((rc = confirm(c, question)) != CLI_PROCEED)
			return (rc);
	}
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/withdraw", pos[0]);
	if ((rc = cli_call(c, "POST", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	rc = cmd_memo_receipt_done(
	    c, body, pos[0], EVENT_MEMO_WITHDRAWN, "Withdrawn");
	json_decref(body);
	return (rc);
}

/* `dissent memo status ID` */
static int
memo_status(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	struct memowire_memo m;
	json_t *body;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &body, &m)) != CLI_PROCEED)
		return (rc);
	cmd_memo_print(c, json_object_get(body, "memo"));
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent memo receipt ID [--out FILE]` */
static int
memo_receipt(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *out = NULL;
	const struct args_spec spec[] = {
	    {"--out", ARGS_STRING, &out},
	};
	char path[PATH_CAP], err[MSG_MAX];
	struct memowire_receipt rc_;
	json_t *body = NULL, *res = NULL;
	size_t npos;
	int rc, fd = -1;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if (out != NULL &&
	    (fd = home_secret_file_open(out, err, sizeof(err))) == -1)
		return (cli_usage(c, "--out: %s", err));
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/receipt", pos[0]);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED ||
	    (rc = cmd_memo_receipt_check(
		 c, body, pos[0], EVENT_MEMO_SUBMITTED, &rc_)) != CLI_PROCEED)
		goto done;
	if (fd != -1) {
		rc = write_receipt_file(c, out, fd, body);
		fd = -1;
		if (rc != CLI_PROCEED)
			goto done;
	}
	output_text(&c->out, "The receipt of memo %s verifies.\n", pos[0]);
	print_receipt(c, &rc_);
	if ((res = json_pack("{s:O,s:o}", "receipt", body, "verified",
		 memowire_receipt_json(&rc_))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	rc = cli_emit(c, res);
done:
	home_secret_file_abandon(fd, out);
	json_decref(res);
	json_decref(body);
	return (rc);
}

/* The kind of access ${name} as an EVENT_ACCESS_* number, 0 for grants. */
static int
access_kind(const char *name)
{

	if (name == NULL)
		return (-1);
	if (strcmp(name, "key") == 0)
		return (EVENT_ACCESS_KEY);
	if (strcmp(name, "content") == 0)
		return (EVENT_ACCESS_CONTENT);
	if (strcmp(name, "signers") == 0)
		return (EVENT_ACCESS_SIGNERS);
	if (strcmp(name, "replies") == 0)
		return (EVENT_ACCESS_REPLIES);
	if (strcmp(name, "grant") == 0)
		return (0);
	return (-1);
}

/*
 * Fetch log entry ${index} and its inclusion proof in the run's verified
 * tree head, check the proof and decode the entry into ${ev}.  Set
 * ${covered} to 0 (and do nothing else) if the head does not cover the
 * entry yet.  Return CLI_PROCEED or an exit code (CLI_EXIT_INTEGRITY if
 * the entry is not in the signed tree or is not a well-formed event).
 */
static int
logged_event(struct cli *c, uint64_t index, struct event *ev, int *covered)
{
	uint8_t leaf[EVENT_MAX_BYTES], proof[LOGWIRE_PROOF_BYTES];
	size_t len, n;
	int rc;

	*covered = index < c->log_head.size;
	if (!*covered)
		return (CLI_PROCEED);
	if ((rc = fetch_logged(c, index, leaf, &len, proof, &n)) != CLI_PROCEED)
		return (rc);
	if (treehead_check_inclusion(
		&c->log_head, leaf, len, index, proof, n) != 0 ||
	    event_decode(ev, leaf, len) != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "log_inconsistent",
		    "log entry %llu is not in the signed tree head, or is not "
		    "a well-formed event",
		    (unsigned long long)index));
	return (CLI_PROCEED);
}

/*
 * Fetch the leaf input of log entry ${index} (below the run's verified
 * tree head) into ${leaf} (EVENT_MAX_BYTES) of ${len} bytes, and its
 * inclusion proof in that head into ${proof} (LOGWIRE_PROOF_BYTES) of
 * ${n} hashes; nothing is checked but their form.  Return CLI_PROCEED or
 * an exit code.
 */
static int
fetch_logged(struct cli *c, uint64_t index, uint8_t *leaf, size_t *len,
    uint8_t *proof, size_t *n)
{
	char path[PATH_CAP];
	json_t *body, *arr;
	uint64_t got, size;
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
	(void)snprintf(path, sizeof(path),
	    "/api/v1/log/inclusion?index=%llu&size=%llu",
	    (unsigned long long)index, (unsigned long long)c->log_head.size);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	rc = logwire_u64(body, "index", &got) != 0 || got != index ||
	     logwire_u64(body, "size", &size) != 0 ||
	     size != c->log_head.size ||
	     logwire_proof_parse(body, proof, n) != 0;
	json_decref(body);
	if (rc)
		return (bad_answer(c, "log/inclusion"));
	return (CLI_PROCEED);
}

/*
 * Check the access ${a} of memo ${id} against the log: its entry must be
 * in the run's verified tree head and carry the commitment to its member
 * and nonce.  A record of the drafting side shown to an auditor has
 * neither (both null): its entry must then be of the memo and the kind
 * only.  Store in ${state} "verified", "withheld" (checked without the
 * member) or "pending" (not yet in the signed head).  Return CLI_PROCEED
 * or an exit code.
 */
static int
verify_access(
    struct cli *c, const char *id, const json_t *a, const char **state)
{
	uint8_t nonce[EVENT_NONCE_BYTES], commit[EVENT_COMMIT_BYTES];
	const char *member;
	struct event ev;
	uint64_t index;
	int kind, rc, covered, withheld;

	member = json_string_value(json_object_get(a, "member"));
	kind = access_kind(json_string_value(json_object_get(a, "kind")));
	withheld = json_is_null(json_object_get(a, "member")) &&
		   json_is_null(json_object_get(a, "nonce"));
	/* Grants to the channel name it in place of a member. */
	if ((member == NULL && !withheld) || kind < 0 ||
	    (member != NULL && !directory_member_id_valid(member) &&
		(kind != 0 || strcmp(member, "channel") != 0)) ||
	    (!withheld &&
		wire_get_b64(a, "nonce", nonce, sizeof(nonce)) != 0) ||
	    logwire_u64(a, "log_index", &index) != 0)
		return (bad_answer(c, "memos/{id}/accesses"));
	if ((rc = logged_event(c, index, &ev, &covered)) != CLI_PROCEED)
		return (rc);
	if (!covered) {
		*state = "pending";
		return (CLI_PROCEED);
	}
	if (!withheld)
		event_access_commit(commit, nonce, member);
	if (strcmp(ev.memo_id, id) != 0 ||
	    (kind == 0 ? ev.type != EVENT_GRANT_CREATED
		       : (ev.type != EVENT_CONTENT_ACCESSED ||
			     ev.kind != (uint8_t)kind)) ||
	    (!withheld &&
		sodium_memcmp(commit, ev.commit, sizeof(commit)) != 0))
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "access_not_logged",
		    "the access by %s at log entry %llu is not what the log "
		    "holds there",
		    withheld ? "a drafter or signer" : member,
		    (unsigned long long)index));
	*state = withheld ? "withheld" : "verified";
	return (CLI_PROCEED);
}

/* `dissent memo accesses ID [--verify]` */
static int
memo_accesses(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *state, *member;
	int verify = 0, rc;
	const struct args_spec spec[] = {
	    {"--verify", ARGS_FLAG, &verify},
	};
	char path[PATH_CAP], when[OUTPUT_TIME_LEN], mb[40], kb[16];
	json_t *body, *arr, *a;
	size_t npos, i;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/accesses", pos[0]);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "accesses");
	output_text(&c->out, "%-26s %-8s %-23s %-8s%s\n", "MEMBER", "KIND",
	    "AT", "LOG", verify ? " CHECK" : "");
	json_array_foreach(arr, i, a)
	{
		state = "";
		if (verify &&
		    (rc = verify_access(c, pos[0], a, &state)) != CLI_PROCEED)
			goto done;
		if (verify && json_object_set_new((json_t *)a, "log_check",
				  json_string(state)) != 0) {
			rc = nomem(c);
			goto done;
		}
		output_time(when, int_of(a, "at"));
		/* Null: a drafter's or signer's record, shown to an auditor. */
		member = json_string_value(json_object_get(a, "member"));
		output_text(&c->out, "%-26s %-8s %-23s %-8lld%s%s\n",
		    output_clean(mb, sizeof(mb),
			member != NULL ? member : "(drafting side)"),
		    output_clean(kb, sizeof(kb),
			json_string_value(json_object_get(a, "kind"))),
		    when, (long long)int_of(a, "log_index"), verify ? " " : "",
		    state);
	}
	rc = cli_emit(c, body);
done:
	json_decref(body);
	return (rc);
}

/* What one verified signer record says, for printing. */
struct signer_row {
	struct memo_signature s;
	int current;
};

/*
 * GET ${path} expecting 200 into ${out}; a 404 is no failure: ${out} is
 * then NULL.  Return CLI_PROCEED or an exit code.
 */
static int
get_or_absent(struct cli *c, const char *path, json_t **out)
{
	struct httpc_response r;
	int rc;

	*out = NULL;
	if ((rc = cli_request(c, "GET", path, NULL, &r)) != CLI_PROCEED)
		return (rc);
	if (r.status == 200 && r.body != NULL) {
		*out = r.body;
		r.body = NULL;
	} else if (r.status != 404)
		rc = r.status == 200 ? bad_answer(c, path)
				     : cli_http_error(c, &r);
	httpc_response_clear(&r);
	return (rc);
}

/*
 * Verify the opened record ${s} (declared at ${version}) of memo ${m}
 * with ${versions}: fields, then the signature under the signer's keys at
 * its epoch, which the log must publish; then describe the signer into
 * ${row} (a JSON object).  A record that does not verify leaves ${row}
 * NULL with the reason in ${why}: it is the record's fault, and one bad
 * record must not hide the others.  Return CLI_PROCEED or an exit code
 * (the server's or the log's fault).
 */
static int
verify_record(struct cli *c, const struct memowire_memo *m,
    const json_t *versions, uint32_t version, const struct memo_signature *s,
    json_t **row, char *why, size_t whycap)
{
	uint8_t vh[MEMO_HASH_BYTES];
	struct keys_public pub, logged;
	char path[PATH_CAP];
	const json_t *rec;
	json_t *keys = NULL, *mem = NULL, *member;
	uint32_t epoch;
	int rc;

	*row = NULL;
	why[0] = '\0';
	if (memowire_version_hash_of(versions, version, vh) != 0) {
		(void)snprintf(why, whycap,
		    "it is for version %u, which the memo does not have",
		    version);
		return (CLI_PROCEED);
	}
	if (!directory_member_id_valid(s->signer_id)) {
		(void)snprintf(why, whycap, "it names no valid member");
		return (CLI_PROCEED);
	}
	(void)snprintf(
	    path, sizeof(path), "/api/v1/members/%s/keys", s->signer_id);
	if ((rc = get_or_absent(c, path, &keys)) != CLI_PROCEED)
		return (rc);
	if (keys == NULL) {
		(void)snprintf(why, whycap,
		    "it names %s, who is not in the directory", s->signer_id);
		return (CLI_PROCEED);
	}
	if (memowire_keys_at(keys, s->key_epoch, &pub, &rec) != 0) {
		(void)snprintf(why, whycap,
		    "it is signed by %s at key epoch %u, which the directory "
		    "does not have",
		    s->signer_id, s->key_epoch);
		goto done;
	}
	if ((rc = cmd_log_check_keys(c, s->signer_id, s->signer_id, rec, &epoch,
		 &logged)) != CLI_PROCEED)
		goto done;
	if (epoch != s->key_epoch || !wire_keys_equal(&pub, &logged) ||
	    memowire_record_verify(s, m->id, version, vh, &pub) != 0) {
		(void)snprintf(why, whycap,
		    "the signature of %s does not verify (version %u)",
		    s->signer_id, version);
		goto done;
	}
	(void)snprintf(path, sizeof(path), "/api/v1/members/%s", s->signer_id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &mem)) != CLI_PROCEED)
		goto done;
	member = json_object_get(mem, "member");
	if ((*row = json_pack("{s:s,s:O?,s:O?,s:O?,s:I,s:b,s:I,s:I}", "member",
		 s->signer_id, "handle", json_object_get(member, "handle"),
		 "name", json_object_get(member, "display_name"), "org",
		 json_object_get(member, "org"), "version", (json_int_t)version,
		 "current", version == m->version, "time", (json_int_t)s->time,
		 "key_epoch", (json_int_t)s->key_epoch)) == NULL)
		rc = nomem(c);
done:
	json_decref(mem);
	json_decref(keys);
	return (rc);
}

/**
 * cmd_memo_verify_record(c, m, versions, version, s, row):
 * Verify the opened signer record ${s}, declared at ${version}, of memo
 * ${m} with ${versions} (GET /memos/{id}/versions): its version and hash,
 * then its signature under the signer's keys at its key epoch, which the
 * log must publish; describe the signer into the new JSON object ${row}
 * {"member","handle","name","org","version","current","time",
 * "key_epoch"}.  Return CLI_PROCEED or an exit code (CLI_EXIT_INTEGRITY if
 * a check fails).
 */
int
cmd_memo_verify_record(struct cli *c, const struct memowire_memo *m,
    const json_t *versions, uint32_t version, const struct memo_signature *s,
    json_t **row)
{
	char why[MSG_MAX];
	int rc;

	if ((rc = verify_record(c, m, versions, version, s, row, why,
		 sizeof(why))) != CLI_PROCEED)
		return (rc);
	if (*row == NULL)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_record",
		    "a signer record of memo %s does not verify: %s", m->id,
		    why));
	return (CLI_PROCEED);
}

/**
 * cmd_memo_check_record(c, m, k, versions, e, rows, row, why, whycap):
 * Check the signer record ${e} (one of the "records" of GET
 * /memos/{id}/signatures) of memo ${m}: it must open with the roster key
 * of ${k}, name a member none of the verified ${rows} names (one record
 * per signer), and verify as cmd_memo_verify_record() says.  Store the
 * signer's new row in ${row}, or NULL and the reason in ${why} (of
 * ${whycap} bytes) if the record does not verify: one bad record does not
 * stop the others from being listed.  Return CLI_PROCEED (either way) or
 * an exit code for a failure that is not the record's (the network, a
 * malformed answer, keys the log does not publish).
 */
int
cmd_memo_check_record(struct cli *c, const struct memowire_memo *m,
    const struct memowire_keys *k, const json_t *versions, const json_t *e,
    const json_t *rows, json_t **row, char *why, size_t whycap)
{
	uint8_t sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s;
	const json_t *other;
	uint64_t v64;
	size_t j;
	int rc;

	*row = NULL;
	why[0] = '\0';
	if (wire_get_b64(e, "record", sealed, sizeof(sealed)) != 0 ||
	    logwire_u64(e, "version", &v64) != 0 || v64 == 0 ||
	    v64 > UINT32_MAX)
		return (bad_answer(c, "memos/{id}/signatures"));
	if (memo_record_open(&s, sealed, m->roster_pk, k->roster_sk) != 0) {
		(void)snprintf(
		    why, whycap, "it does not open with the memo's roster key");
		return (CLI_PROCEED);
	}
	json_array_foreach(rows, j, other)
	{
		if (strcmp(json_string_value(json_object_get(other, "member")),
			s.signer_id) == 0) {
			(void)snprintf(why, whycap,
			    "it is a second record of %s", s.signer_id);
			sodium_memzero(&s, sizeof(s));
			return (CLI_PROCEED);
		}
	}
	rc = verify_record(c, m, versions, (uint32_t)v64, &s, row, why, whycap);
	sodium_memzero(&s, sizeof(s));
	return (rc);
}

/*
 * After submission: recompute the package hash from ${records} and compare
 * it with the one the memo's receipt logs.  Store "matches" in ${state}.
 */
static int
check_package(struct cli *c, const struct memowire_memo *m,
    const json_t *records, const char **state)
{
	uint8_t ph[MEMO_HASH_BYTES];
	struct memowire_receipt rc_;
	char path[PATH_CAP];
	json_t *body, *anon;
	int rc;

	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/receipt", m->id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	rc = cmd_memo_receipt_check(c, body, m->id, EVENT_MEMO_SUBMITTED, &rc_);
	json_decref(body);
	if (rc != CLI_PROCEED)
		return (rc);
	/* The package also covers the anonymous signatures. */
	if ((rc = cmd_anon_list(c, m->id, &anon)) != CLI_PROCEED)
		return (rc);
	rc = memowire_package(ph, m->id, rc_.ev.hash, records,
	    json_object_get(anon, "signatures"));
	json_decref(anon);
	if (rc != 0)
		return (bad_answer(c, "memos/{id}/signatures"));
	if (sodium_memcmp(ph, rc_.ev.package_hash, sizeof(ph)) != 0 ||
	    json_array_size(records) != rc_.ev.named)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_package",
		    "the signer records are not the ones frozen at "
		    "submission (the package hash in the receipt differs)"));
	*state = "matches the submission receipt";
	return (CLI_PROCEED);
}

/*
 * Print the signer records of ${bad} that do not verify, and how a
 * drafter strikes them, in human mode.
 */
static void
print_bad_records(struct cli *c, const char *id, const json_t *bad)
{
	char tb[64], wb[MSG_MAX];
	const json_t *e;
	size_t i;

	if (json_array_size(bad) == 0)
		return;
	output_text(&c->out,
	    "%zu signer record%s do%s not verify and %s not counted:\n",
	    json_array_size(bad), json_array_size(bad) == 1 ? "" : "s",
	    json_array_size(bad) == 1 ? "es" : "",
	    json_array_size(bad) == 1 ? "is" : "are");
	json_array_foreach(bad, i, e)
	{
		output_text(&c->out, "  record %lld (tag %s): %s\n",
		    (long long)int_of(e, "index"),
		    output_clean(tb, sizeof(tb),
			json_string_value(json_object_get(e, "tag"))),
		    output_clean(wb, sizeof(wb),
			json_string_value(json_object_get(e, "reason"))));
	}
	output_text(&c->out,
	    "A drafter strikes one before submission with `dissent memo "
	    "strike %s TAG'.\n",
	    id);
}

/* `dissent memo signers ID [--strict]` */
static int
memo_signers(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *package = NULL;
	int strict = 0, rc;
	const struct args_spec spec[] = {
	    {"--strict", ARGS_FLAG, &strict},
	};
	char path[PATH_CAP], when[OUTPUT_TIME_LEN], hb[72], nb[136], ob[40];
	char why[MSG_MAX];
	struct memowire_keys k;
	struct memowire_memo m;
	json_t *mbody = NULL, *body = NULL, *versions = NULL, *rows = NULL;
	json_t *bad = NULL, *records, *e, *row, *res = NULL, *counts;
	size_t npos, i;

	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/signatures", m.id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		goto done;
	counts = json_object_get(body, "counts");
	records = json_object_get(body, "records");
	if (records == NULL || json_is_null(records)) {
		output_text(&c->out,
		    "Memo %s has %lld named signatures (%lld stale) and %lld "
		    "anonymous; the names are not shown to you.\n",
		    m.id, (long long)int_of(counts, "named"),
		    (long long)int_of(counts, "named_stale"),
		    (long long)int_of(counts, "anonymous"));
		if ((res = json_pack(
			 "{s:O?,s:n}", "counts", counts, "signers")) == NULL) {
			rc = nomem(c);
			goto done;
		}
		rc = cli_emit(c, res);
		goto done;
	}
	if (!json_is_array(records)) {
		rc = bad_answer(c, "memos/{id}/signatures");
		goto done;
	}
	if ((rc = cmd_memo_keys(c, m.id, &k)) != CLI_PROCEED)
		goto done;
	if (!k.have_roster) {
		rc = cli_fail(c, CLI_EXIT_FORBIDDEN, "no_key",
		    "you hold no roster key for memo %s, so its signer "
		    "records cannot be opened",
		    m.id);
		goto done;
	}
	if ((rc = roster_key_check(c, &m, &k)) != CLI_PROCEED)
		goto done;
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/versions", m.id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &versions)) !=
		CLI_PROCEED ||
	    (rows = json_array()) == NULL || (bad = json_array()) == NULL) {
		if (rc == CLI_PROCEED)
			rc = nomem(c);
		goto done;
	}
	/* Every record is checked; one that does not verify is set aside. */
	json_array_foreach(records, i, e)
	{
		if ((rc = cmd_memo_check_record(c, &m, &k, versions, e, rows,
			 &row, why, sizeof(why))) != CLI_PROCEED)
			goto done;
		if (row != NULL ? json_array_append_new(rows, row) != 0
				: json_array_append_new(
				      bad, json_pack("{s:I,s:O?,s:s}", "index",
					       (json_int_t)i + 1, "tag",
					       json_object_get(e, "tag"),
					       "reason", why)) != 0) {
			rc = nomem(c);
			goto done;
		}
	}
	/* The package covers every record, good or bad, as frozen. */
	if (strcmp(m.state, "draft") != 0 && strcmp(m.state, "open") != 0 &&
	    strcmp(m.state, "withdrawn") != 0 &&
	    (rc = check_package(c, &m, records, &package)) != CLI_PROCEED)
		goto done;
	if (strict && json_array_size(bad) > 0) {
		e = json_array_get(bad, 0);
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_record",
		    "%zu signer record(s) of memo %s do not verify; record "
		    "%lld: %s",
		    json_array_size(bad), m.id, (long long)int_of(e, "index"),
		    json_string_value(json_object_get(e, "reason")));
		goto done;
	}
	output_text(&c->out, "%-20s %-28s %-10s %-8s %s\n", "HANDLE", "NAME",
	    "ORG", "VERSION", "SIGNED");
	json_array_foreach(rows, i, row)
	{
		output_time(when, int_of(row, "time"));
		output_text(&c->out, "%-20s %-28s %-10s %-8s %s\n",
		    output_clean(hb, sizeof(hb),
			json_string_value(json_object_get(row, "handle"))),
		    output_clean(nb, sizeof(nb),
			json_string_value(json_object_get(row, "name"))),
		    output_clean(ob, sizeof(ob),
			json_string_value(json_object_get(row, "org"))),
		    json_is_true(json_object_get(row, "current")) ? "current"
								  : "stale",
		    when);
	}
	output_text(&c->out,
	    "%zu named signatures, each verified against the signer's "
	    "published keys%s%s.\n",
	    json_array_size(rows), package != NULL ? "; the list " : "",
	    package != NULL ? package : "");
	print_bad_records(c, m.id, bad);
	if ((res = json_pack("{s:O?,s:O,s:I,s:O,s:s?}", "counts", counts,
		 "signers", rows, "verified", (json_int_t)json_array_size(rows),
		 "bad_records", bad, "package", package)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	rc = cli_emit(c, res);
done:
	memowire_keys_wipe(&k);
	json_decref(res);
	json_decref(bad);
	json_decref(rows);
	json_decref(versions);
	json_decref(body);
	json_decref(mbody);
	return (rc);
}

/* `dissent memo strike ID TAG [--yes]` */
static int
memo_strike(struct cli *c, int argc, char **argv)
{
	const char *pos[2];
	int yes = 0, rc;
	const struct args_spec spec[] = {
	    {"--yes", ARGS_FLAG, &yes},
	};
	uint8_t tag[MEMO_HASH_BYTES];
	char path[PATH_CAP], question[160];
	json_t *body;
	size_t npos;

	if ((rc = cli_args(c, argc, argv, spec, 1, pos, 2, 2, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if (b64_decode_exact(tag, sizeof(tag), pos[1]) != 0)
		return (cli_usage(c,
		    "TAG is the base64url tag `dissent memo signers' shows "
		    "(43 characters)"));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED)
		return (rc);
	if (!yes) {
		(void)snprintf(question, sizeof(question),
		    "Strike signer record %s from memo %s?", pos[1], pos[0]);
		if ((rc = confirm(c, question)) != CLI_PROCEED)
			return (rc);
	}
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/signatures/%s",
	    pos[0], pos[1]);
	if ((rc = cli_call(c, "DELETE", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	output_text(&c->out,
	    "Struck signer record %s from memo %s; it has %lld named "
	    "signatures.\n",
	    pos[1], pos[0],
	    (long long)int_of(json_object_get(body, "counts"), "named"));
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* Parse a yes/no flag value into ${out}. */
static int
yes_no(struct cli *c, const char *flag, const char *v, int *out)
{

	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return (cli_usage(c, "%s takes yes or no", flag));
	return (CLI_PROCEED);
}

/* Most roster grants per POST /memos/{id}/roster-grants (the server's). */
#define ROSTER_BATCH 256

/*
 * POST the roster grants in ${arr} (emptied afterwards) for memo ${m}.
 */
static int
roster_post(struct cli *c, const struct memowire_memo *m, json_t *arr)
{
	char path[PATH_CAP];
	json_t *req, *body = NULL;
	int rc;

	(void)snprintf(
	    path, sizeof(path), "/api/v1/memos/%s/roster-grants", m->id);
	if ((req = json_pack("{s:O}", "grants", arr)) == NULL)
		return (nomem(c));
	rc = cli_call(c, "POST", path, req, 201, &body);
	json_decref(req);
	json_decref(body);
	if (json_array_clear(arr) != 0 && rc == CLI_PROCEED)
		rc = nomem(c);
	return (rc);
}

/*
 * Memo ${m} shows its signers: seal its roster key (checked against its
 * roster_pk) to every invitee who holds none, each invitee's keys checked
 * against the log, and post the grants.  Store their number in ${given}.
 */
static int
roster_to_invitees(struct cli *c, const struct memowire_memo *m, size_t *given)
{
	char path[PATH_CAP], mid[DIRECTORY_MEMBER_ID_LEN + 1];
	struct memowire_keys k;
	struct keys_public pub;
	json_t *body = NULL, *missing, *arr = NULL, *v;
	const char *id;
	size_t i;
	int rc;

	*given = 0;
	memset(&k, 0, sizeof(k));
	(void)snprintf(
	    path, sizeof(path), "/api/v1/memos/%s/roster-grants", m->id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	missing = json_object_get(body, "missing");
	if (!json_is_array(missing)) {
		rc = bad_answer(c, "memos/{id}/roster-grants");
		goto done;
	}
	if (json_array_size(missing) == 0)
		goto done;
	if ((rc = cmd_memo_keys_checked(c, m->id, &k)) != CLI_PROCEED)
		goto done;
	if (!k.have_roster) {
		rc = cli_fail(c, CLI_EXIT_FORBIDDEN, "no_key",
		    "you hold no roster key for memo %s, which its invitees "
		    "now need",
		    m->id);
		goto done;
	}
	if ((arr = json_array()) == NULL) {
		rc = nomem(c);
		goto done;
	}
	json_array_foreach(missing, i, v)
	{
		if ((id = json_string_value(v)) == NULL ||
		    !directory_member_id_valid(id)) {
			rc = bad_answer(c, "memos/{id}/roster-grants");
			goto done;
		}
		if ((rc = cmd_memo_member_keys(c, id, mid, &pub)) !=
		    CLI_PROCEED)
			goto done;
		if (strcmp(mid, id) != 0) {
			rc = bad_answer(c, "members/{id}/keys");
			goto done;
		}
		if (json_array_append_new(arr,
			json_pack("{s:s,s:o}", "member", mid, "sealed",
			    memowire_grant_json(k.roster_sk, MEMO_GRANT_ROSTER,
				m->id, pub.box_pk))) != 0) {
			rc = nomem(c);
			goto done;
		}
		if (json_array_size(arr) == ROSTER_BATCH) {
			if ((rc = roster_post(c, m, arr)) != CLI_PROCEED)
				goto done;
			*given += ROSTER_BATCH;
		}
	}
	if (json_array_size(arr) > 0) {
		i = json_array_size(arr);
		if ((rc = roster_post(c, m, arr)) != CLI_PROCEED)
			goto done;
		*given += i;
	}
done:
	memowire_keys_wipe(&k);
	json_decref(arr);
	json_decref(body);
	return (rc);
}

/* `dissent memo settings ID [--show-signers yes|no] [--signers-may-invite
 * yes|no]` */
static int
memo_settings(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *show = NULL, *invite = NULL;
	const struct args_spec spec[] = {
	    {"--show-signers", ARGS_STRING, &show},
	    {"--signers-may-invite", ARGS_STRING, &invite},
	};
	struct memowire_memo m;
	char path[PATH_CAP];
	json_t *mbody = NULL, *req = NULL, *body = NULL;
	size_t npos, given;
	int rc, s = 0, i = 0;

	if ((rc = cli_args(c, argc, argv, spec, 2, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((show != NULL &&
		(rc = yes_no(c, "--show-signers", show, &s)) != CLI_PROCEED) ||
	    (invite != NULL && (rc = yes_no(c, "--signers-may-invite", invite,
				    &i)) != CLI_PROCEED))
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	if (show == NULL && invite == NULL) {
		cmd_memo_print(c, json_object_get(mbody, "memo"));
		rc = cli_emit(c, mbody);
		goto done;
	}
	if (show == NULL)
		s = m.show_signers;
	if (invite == NULL)
		i = m.signers_may_invite;
	if ((req = json_pack("{s:b,s:b}", "show_signers", s,
		 "signers_may_invite", i)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/settings", m.id);
	if ((rc = cli_call(c, "PUT", path, req, 200, &body)) != CLI_PROCEED)
		goto done;
	output_text(&c->out, "Memo %s: signers %s; signers %s invite others.\n",
	    m.id, s ? "see each other's names" : "see a count only",
	    i ? "may" : "may not");
	/* Invitees from before names were shown need the roster key. */
	if (s) {
		if ((rc = roster_to_invitees(c, &m, &given)) != CLI_PROCEED)
			goto done;
		if (given > 0)
			output_text(&c->out,
			    "Gave the roster key to %zu invitee%s.\n", given,
			    given == 1 ? "" : "s");
		if (json_object_set_new(body, "roster_granted",
			json_integer((json_int_t)given)) != 0) {
			rc = nomem(c);
			goto done;
		}
	}
	rc = cli_emit(c, body);
done:
	json_decref(body);
	json_decref(req);
	json_decref(mbody);
	return (rc);
}

/* `dissent memo open ID` */
static int
memo_open(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	char path[PATH_CAP];
	json_t *body;
	size_t npos;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/open", pos[0]);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "POST", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	output_text(&c->out, "Memo %s is open for signatures.\n", pos[0]);
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/*
 * Print one line of a memo table for the Memo object ${memo}, its due date
 * in the time zone of ${zt}.
 */
static void
print_row(struct cli *c, const struct zonetime *zt, const json_t *memo)
{
	char idb[32], st[16], tb[40], rel[64], due[ZONETIME_LEN];
	char when[ZONETIME_LEN + 10];
	const json_t *counts = json_object_get(memo, "counts");
	int64_t d;
	int overdue;

	cmd_memo_due(memo, &d, &overdue);
	if (d > 0) {
		zonetime_format(zt, d, due);
		(void)snprintf(
		    when, sizeof(when), "%s%s", due, overdue ? " OVERDUE" : "");
	} else
		(void)snprintf(when, sizeof(when), "-");
	output_text(&c->out, "%-26s %-12s %-12s %3lld %5lld  %-20s %s\n",
	    output_clean(idb, sizeof(idb),
		json_string_value(json_object_get(memo, "id"))),
	    output_clean(st, sizeof(st),
		json_string_value(json_object_get(memo, "state"))),
	    output_clean(tb, sizeof(tb),
		json_string_value(json_object_get(memo, "topic"))),
	    (long long)int_of(memo, "version"),
	    (long long)int_of(counts, "named"),
	    list_text(memo, "relations", rel, sizeof(rel)), when);
}

/* Print the header of a memo table, due dates in the zone of ${zt}. */
static void
print_header(struct cli *c, const struct zonetime *zt)
{

	output_text(&c->out, "%-26s %-12s %-12s %3s %5s  %-20s DUE (%s)\n",
	    "MEMO", "STATE", "TOPIC", "VER", "NAMED", "RELATIONS",
	    zonetime_zone(zt));
}

/* `dissent memo list` */
static int
memo_list(struct cli *c, int argc, char **argv)
{
	struct zonetime *zt = NULL;
	json_t *body, *e;
	size_t npos, i;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", "/api/v1/memos", NULL, 200, &body)) !=
		CLI_PROCEED)
		return (rc);
	/* Without the zone (reported), the dates are UTC and say so. */
	if (!c->out.json)
		zt = zonetime_new(c->inst.raw);
	print_header(c, zt);
	json_array_foreach(json_object_get(body, "memos"), i, e)
	    print_row(c, zt, e);
	zonetime_free(zt);
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* `dissent memo invitations` */
static int
memo_invitations(struct cli *c, int argc, char **argv)
{
	struct zonetime *zt = NULL;
	json_t *body, *e, *arr;
	size_t npos, i;
	int rc;

	if ((rc = cli_args(c, argc, argv, NULL, 0, NULL, 0, 0, &npos)) !=
		CLI_PROCEED ||
	    (rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", "/api/v1/invitations", NULL, 200,
		 &body)) != CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "invitations");
	if (!c->out.json && json_array_size(arr) > 0)
		zt = zonetime_new(c->inst.raw);
	if (json_array_size(arr) == 0)
		output_text(&c->out, "Nothing awaits your signature.\n");
	else
		print_header(c, zt);
	json_array_foreach(arr, i, e)
	    print_row(c, zt, json_object_get(e, "memo"));
	zonetime_free(zt);
	rc = cli_emit(c, body);
	json_decref(body);
	return (rc);
}

/* The MEMO_REPLY_KIND_* of the kind name ${name}, or 0. */
static uint8_t
reply_kind(const char *name)
{

	if (name == NULL)
		return (0);
	if (strcmp(name, "reply") == 0)
		return (MEMO_REPLY_KIND_REPLY);
	if (strcmp(name, "redirect") == 0)
		return (MEMO_REPLY_KIND_REDIRECT);
	if (strcmp(name, "outcome") == 0)
		return (MEMO_REPLY_KIND_OUTCOME);
	return (0);
}

/* `dissent memo replies ID` */
static int
memo_replies(struct cli *c, int argc, char **argv)
{
	const char *pos[1], *kname;
	char path[PATH_CAP], when[OUTPUT_TIME_LEN], ab[40], kb[16];
	struct memowire_keys k;
	uint8_t *box = NULL;
	char *text = NULL;
	json_t *body = NULL, *out = NULL, *e, *item;
	size_t npos, i, boxlen;
	uint8_t kind;
	int64_t n;
	int rc;

	memset(&k, 0, sizeof(k));
	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/replies", pos[0]);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	if ((out = json_array()) == NULL) {
		rc = nomem(c);
		goto done;
	}
	if (json_array_size(json_object_get(body, "replies")) == 0)
		output_text(&c->out, "No replies to memo %s yet.\n", pos[0]);
	else if ((rc = cmd_memo_keys(c, pos[0], &k)) != CLI_PROCEED)
		goto done;
	json_array_foreach(json_object_get(body, "replies"), i, e)
	{
		kname = json_string_value(json_object_get(e, "kind"));
		kind = reply_kind(kname);
		n = int_of(e, "n");
		if (kind == 0 || n < 1 || n > (int64_t)UINT32_MAX ||
		    memowire_get_b64(
			e, "box", &box, &boxlen, MEMO_REPLY_BOX_MAX) != 0) {
			rc = bad_answer(c, "memos/{id}/replies");
			goto done;
		}
		if (memo_reply_open(&text, box, boxlen, pos[0], kind,
			(uint32_t)n, k.key) != 0) {
			rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_reply",
			    "reply %lld of memo %s does not decrypt with the "
			    "memo key",
			    (long long)n, pos[0]);
			goto done;
		}
		free(box);
		box = NULL;
		output_time(when, int_of(e, "created_at"));
		output_text(&c->out, "\n#%lld %s by %s, %s\n", (long long)n,
		    output_clean(kb, sizeof(kb), kname),
		    output_clean(ab, sizeof(ab),
			json_string_value(json_object_get(e, "author"))),
		    when);
		print_text(c, "Text", text);
		if ((item = json_pack("{s:I,s:s,s:O?,s:I,s:s}", "n",
			 (json_int_t)n, "kind", kname, "author",
			 json_object_get(e, "author"), "created_at",
			 (json_int_t)int_of(e, "created_at"), "text", text)) ==
			NULL ||
		    json_array_append_new(out, item) != 0) {
			rc = nomem(c);
			goto done;
		}
		cmd_memo_text_free(text);
		text = NULL;
	}
	json_decref(body);
	if ((body = json_pack("{s:O}", "replies", out)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	rc = cli_emit(c, body);
done:
	cmd_memo_text_free(text);
	free(box);
	memowire_keys_wipe(&k);
	json_decref(out);
	json_decref(body);
	return (rc);
}

static const struct cli_command commands[] = {
    {"new", memo_new,
	"--title TEXT|--title-file FILE --topic TOPIC --marking MARKING "
	"[--summary-file FILE] [--body-file FILE] [--alternatives-file FILE] "
	"[--orgs ORG,...] [--signers-may-invite]",
	"Draft a new memo, encrypted on this machine.",
	"  --title TEXT              the title (one line; or --title-file "
	"FILE)\n"
	"  --topic TOPIC             one of the instance's topics (stays in "
	"clear)\n"
	"  --marking MARKING         UNCLASSIFIED, SBU, CONFIDENTIAL, SECRET, "
	"TOP SECRET\n"
	"  --summary-file FILE       the summary\n"
	"  --body-file FILE          the body (Markdown); without it, "
	"$EDITOR on a\n"
	"                            terminal\n"
	"  --alternatives-file FILE  recommended alternatives\n"
	"  --orgs ORG,...            organisations whose members may sign "
	"(default:\n"
	"                            yours)\n"
	"  --signers-may-invite      let signers invite other signers\n"
	"A FILE of \"-\" is standard input.  Prints the new memo's id.\n"},
    {"edit", memo_edit,
	"ID [--title TEXT|--title-file FILE] [--summary-file FILE] "
	"[--body-file FILE] [--alternatives-file FILE] [--topic TOPIC] "
	"[--marking MARKING]",
	"Add a version, replacing the fields given.",
	"Without any field flag the body opens in $EDITOR.  The new version "
	"makes\nevery earlier signature stale until signed again.\n"},
    {"show", memo_show, "ID [--version N]",
	"Decrypt and show a version (the current one by default).",
	"  --version N   show version N\n"
	"The version's hash and its place in the chain are checked (exit 9 "
	"if not).\n"},
    {"versions", memo_versions, "ID", "List a memo's versions.", NULL},
    {"invite", memo_invite, "ID ID|HANDLE [--as signer|codrafter]",
	"Invite a member to sign or to co-draft.",
	"  --as signer|codrafter   the invitation (default: signer)\n"
	"The member's keys are checked against the log first.\n"},
    {"sign", memo_sign, "ID [--anonymous] [--yes]",
	"Sign the current version, with your name or anonymously.",
	"  --anonymous   sign anonymously, as one of the memo's eligible "
	"members\n"
	"                (a linkable ring signature, posted without your "
	"session)\n"
	"  --yes         do not ask for confirmation\n"
	"Anonymously, the eligible set is first checked against the log "
	"(exit 9 if\nit differs) and the signature is kept in "
	"anonymous/ID.json in the state\ndirectory, to re-sign after an edit "
	"or to withdraw it.\n"},
    {"unsign", memo_unsign, "ID [--anonymous]",
	"Withdraw your signature (until "
	"submission).",
	"  --anonymous   withdraw your anonymous signature (from "
	"anonymous/ID.json)\n"},
    {"ring", cmd_anon_ring, "ID",
	"The memo's eligible set for anonymous signatures, verified.",
	"The snapshot is checked against the log (exit 9 if it differs).\n"},
    {"verify", cmd_anon_verify, "ID",
	"Re-verify a memo's signatures, counts and receipt.",
	"Checks the eligible set against the log, every anonymous signature, "
	"every\nnamed record you may see, the counts and, after submission, "
	"the package\nhash against the receipt.  Exit 9 on any failure.\n"},
    {"withdraw", memo_withdraw, "ID [--yes]",
	"Withdraw the memo (until acknowledged).",
	"  --yes   do not ask for confirmation\n"},
    {"submit", memo_submit, "ID [--receipt-out FILE] [--yes]",
	"Submit to the channel; keep the verified receipt.",
	"  --receipt-out FILE   also write the receipt to FILE (created, mode "
	"0600)\n"
	"  --yes                do not ask for confirmation\n"
	"The receipt is kept in receipts/ID.json in the state directory.\n"},
    {"status", memo_status, "ID", "State, counts, relations and due dates.",
	NULL},
    {"receipt", memo_receipt, "ID [--out FILE]",
	"Fetch and verify the submission receipt.",
	"  --out FILE   write the receipt to FILE (created, mode 0600)\n"},
    {"accesses", memo_accesses, "ID [--verify]",
	"Who fetched the memo's key, text, signers or replies.",
	"  --verify   check each access against the log's entry\n"},
    {"signers", memo_signers, "ID [--strict]",
	"The named signers, verified (or only their count).",
	"  --strict   exit 9 if any signer record does not verify\n"
	"Records that do not verify are listed apart (number, tag, reason) "
	"and not\ncounted; exit 9 always if the records are not the ones "
	"the submission\nreceipt's package hash covers.\n"},
    {"strike", memo_strike, "ID TAG [--yes]",
	"Strike a signer record (drafters, until submission).",
	"  --yes   do not ask for confirmation\n"
	"TAG is the record's tag as `dissent memo signers' shows it: the way "
	"to\nremove a record that does not verify before it is frozen.\n"},
    {"settings", memo_settings,
	"ID [--show-signers yes|no] [--signers-may-invite yes|no]",
	"Show or change who sees signers and who may invite.", NULL},
    {"open", memo_open, "ID", "Open a draft for signatures.", NULL},
    {"list", memo_list, "", "The memos you are related to.", NULL},
    {"invitations", memo_invitations, "", "Memos awaiting your signature.",
	NULL},
    {"replies", memo_replies, "ID", "Decrypt the channel's replies and notes.",
	NULL},
};

const struct cli_noun cmd_memo_noun = {"memo",
    "Memos: drafting, co-signing and submitting.", commands,
    sizeof(commands) / sizeof(commands[0])};
