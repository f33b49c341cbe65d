#ifndef CMD_LOG_H_
#define CMD_LOG_H_

#include <stdint.h>

#include <jansson.h>

#include "cli.h"
#include "keys.h"

/*
 * The channel log on the client (docs/CLI.md, "The channel log"): the
 * tree-head check every command with a session makes, the key transparency
 * check of keys the client uses or shows, and the `log` and `audit`
 * commands.
 */

/* `dissent log head|entries|verify`. */
extern const struct cli_noun cmd_log_noun;

/* `dissent audit`. */
extern const struct cli_noun cmd_log_audit_noun;

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
int cmd_log_check_head(struct cli *c) __attribute__((warn_unused_result));

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
int cmd_log_check_keys(struct cli *c, const char *who, const char *member_id,
    const json_t *rec, uint32_t *epoch, struct keys_public *pub)
    __attribute__((warn_unused_result));

#endif /* !CMD_LOG_H_ */
