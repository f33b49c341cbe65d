#ifndef CMD_MEMO_H_
#define CMD_MEMO_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cli.h"
#include "directory.h"
#include "keys.h"
#include "memowire.h"

/*
 * `dissent memo ...` (docs/CLI.md, "Memos"), and what the channel,
 * meeting and complaint commands share with it: reading texts from files
 * or an editor, fetching a memo and opening one's keys for it, checking a
 * member's keys against the log before sealing anything to them, and
 * checking receipts with the pinned server key.
 */

/* `dissent memo new|edit|show|...`. */
extern const struct cli_noun cmd_memo_noun;

/**
 * cmd_memo_id(c, id):
 * Check that ${id} is a memo id.  Return CLI_PROCEED or a usage error.
 */
int cmd_memo_id(struct cli *c, const char *id)
    __attribute__((warn_unused_result));

/**
 * cmd_memo_call(c, method, path, body, out):
 * As cli_call(), accepting any 2xx status with a body.
 */
int cmd_memo_call(struct cli *c, const char *method, const char *path,
    const json_t *body, json_t **out) __attribute__((warn_unused_result));

/**
 * cmd_memo_read_text(c, path, max, what, out):
 * Read the text file ${path} ("-": standard input) of 1..${max} bytes
 * into a new NUL-terminated malloc'd ${out} (wipe and free it with
 * cmd_memo_text_free()); ${what} names it in messages.  Return
 * CLI_PROCEED or a usage error (unreadable, empty, too long, a NUL byte).
 */
int cmd_memo_read_text(struct cli *c, const char *path, size_t max,
    const char *what, char **out) __attribute__((warn_unused_result));

/**
 * cmd_memo_text_free(text):
 * Wipe and free ${text}.  NULL is a no-op.
 */
void cmd_memo_text_free(char *text);

/**
 * cmd_memo_confirm(c, question):
 * Ask "${question} [y/N]" on the terminal.  Return CLI_PROCEED for yes,
 * else an exit code (no terminal: a usage error naming --yes).
 */
int cmd_memo_confirm(struct cli *c, const char *question)
    __attribute__((warn_unused_result));

/**
 * cmd_memo_open_version(c, m, key, n, content, hash):
 * Fetch version ${n} of memo ${m} and the list of versions, decrypt it
 * with ${key} into ${content} (free it with memo_content_free()) and
 * check its hash and its place in the chain; store its hash in ${hash}.
 * Return CLI_PROCEED or an exit code (CLI_EXIT_INTEGRITY if a check
 * fails).
 */
int cmd_memo_open_version(struct cli *c, const struct memowire_memo *m,
    const uint8_t key[MEMO_KEY_BYTES], uint32_t n, struct memo_content *content,
    uint8_t hash[MEMO_HASH_BYTES]) __attribute__((warn_unused_result));

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
int cmd_memo_verify_record(struct cli *c, const struct memowire_memo *m,
    const json_t *versions, uint32_t version, const struct memo_signature *s,
    json_t **row) __attribute__((warn_unused_result));

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
int cmd_memo_check_record(struct cli *c, const struct memowire_memo *m,
    const struct memowire_keys *k, const json_t *versions, const json_t *e,
    const json_t *rows, json_t **row, char *why, size_t whycap)
    __attribute__((warn_unused_result));

/**
 * cmd_memo_own_keys(c, ks):
 * Derive the session member's keys into ${ks} (wipe with keys_wipe()).
 * Return CLI_PROCEED or an exit code.
 */
int cmd_memo_own_keys(struct cli *c, struct keys_secret *ks)
    __attribute__((warn_unused_result));

/**
 * cmd_memo_fetch(c, id, body, m):
 * GET /memos/${id} into ${body} (the caller frees it) and parse its memo
 * into ${m}.  Return CLI_PROCEED or an exit code.
 */
int cmd_memo_fetch(struct cli *c, const char *id, json_t **body,
    struct memowire_memo *m) __attribute__((warn_unused_result));

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
int cmd_memo_channel_pk(struct cli *c, uint8_t pk[KEYS_BOX_PK_BYTES])
    __attribute__((warn_unused_result));

/**
 * cmd_memo_keys(c, id, k):
 * Fetch the caller's grants for memo ${id} and open them into ${k}
 * (directly, or through the channel key for the channel's staff).
 * Return CLI_PROCEED, CLI_EXIT_FORBIDDEN if the caller holds no key for
 * the memo, or another exit code (CLI_EXIT_INTEGRITY for a grant that
 * does not open); ${k} is wiped on failure.
 */
int cmd_memo_keys(struct cli *c, const char *id, struct memowire_keys *k)
    __attribute__((warn_unused_result));

/**
 * cmd_memo_keys_checked(c, id, k):
 * As cmd_memo_keys(), then check the keys before they are trusted or
 * forwarded (submission, distribution, invitations): a roster key must be
 * the one of the memo's roster_pk, and the memo key must decrypt the
 * current version (a fetch the server logs).  Return CLI_PROCEED or an exit
 * code (CLI_EXIT_INTEGRITY if a key is not the memo's); ${k} is wiped on
 * failure.
 */
int cmd_memo_keys_checked(struct cli *c, const char *id,
    struct memowire_keys *k) __attribute__((warn_unused_result));

/**
 * cmd_memo_member_id(c, ref, id):
 * Resolve the member ${ref} (an id or handle) to its id in ${id}
 * (GET /members/{ref}).  Return CLI_PROCEED or an exit code.
 */
int cmd_memo_member_id(struct cli *c, const char *ref,
    char id[DIRECTORY_MEMBER_ID_LEN + 1]) __attribute__((warn_unused_result));

/**
 * cmd_memo_member_keys(c, ref, id, pub):
 * Fetch the current keys of the member ${ref} (an id or handle), check
 * that the log publishes them (cmd_log_check_keys()), and store the
 * member's id in ${id} and the keys in ${pub}.  Return CLI_PROCEED or an
 * exit code (CLI_EXIT_INTEGRITY if the log does not publish them; an
 * error if the member has no keys).
 */
int cmd_memo_member_keys(struct cli *c, const char *ref,
    char id[DIRECTORY_MEMBER_ID_LEN + 1], struct keys_public *pub)
    __attribute__((warn_unused_result));

/**
 * cmd_memo_receipt_check(c, receipt, memo_id, type, rc):
 * Verify the Receipt ${receipt} the server just returned with the pinned
 * server key: memowire_receipt_verify(), for this instance, for ${memo_id}
 * and of event ${type}.  A head without its instance id gets this
 * instance's (the signature then decides).  Fill ${rc}.  Return
 * CLI_PROCEED or CLI_EXIT_INTEGRITY.
 */
int cmd_memo_receipt_check(struct cli *c, json_t *receipt, const char *memo_id,
    uint16_t type, struct memowire_receipt *rc)
    __attribute__((warn_unused_result));

/**
 * cmd_memo_receipt_done(c, body, memo_id, type, what):
 * Check the "receipt" of ${body} (a {"memo", "receipt"} answer) with
 * cmd_memo_receipt_check() for ${memo_id} and ${type}, print "${what}"
 * with the memo's new state and the receipt's log index, add the
 * summary as "verified" to ${body} and emit it.  Return the exit code.
 */
int cmd_memo_receipt_done(struct cli *c, json_t *body, const char *memo_id,
    uint16_t type, const char *what);

/**
 * cmd_memo_next_n(c, id, n):
 * Store in ${n} the number the memo ${id}'s next reply or note takes: one
 * more than the highest of GET /memos/{id}/replies.  Return CLI_PROCEED
 * or an exit code.
 */
int cmd_memo_next_n(struct cli *c, const char *id, uint32_t *n)
    __attribute__((warn_unused_result));

/**
 * cmd_memo_print(c, memo):
 * In human mode print the Memo object ${memo} as labelled lines: state,
 * topic, marking, version, counts, relations, times and due dates (in the
 * instance's time zone, the next one with the working days left).
 */
void cmd_memo_print(struct cli *c, const json_t *memo);

/**
 * cmd_memo_due(memo, due, overdue):
 * Store in ${due} the next due date of the Memo object ${memo} (the
 * acknowledgement's while submitted, the reply's after; 0 if none) and
 * in ${overdue} whether it has passed or is marked missed.
 */
void cmd_memo_due(const json_t *memo, int64_t *due, int *overdue);

#endif /* !CMD_MEMO_H_ */
