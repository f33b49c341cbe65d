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
 * topic, marking, version, counts, relations, times and due dates.
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
