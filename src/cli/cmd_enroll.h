#ifndef CMD_ENROLL_H_
#define CMD_ENROLL_H_

#include <jansson.h>

#include "cli.h"

/* `dissent enroll`. */
extern const struct cli_noun cmd_enroll_noun;

/**
 * cmd_enroll_recovery(c, res, code, path):
 * Show a new recovery code once: written to ${path} already if not NULL
 * (then only say where), else the code alone on stdout with a "write this
 * down" notice on stderr.  In JSON mode add "recovery_code" or
 * "recovery_code_file" to the result ${res}.  Return 0, or -1 if out of
 * memory.
 */
int cmd_enroll_recovery(struct cli *c, json_t *res, const char *code,
    const char *path) __attribute__((warn_unused_result));

#endif /* !CMD_ENROLL_H_ */
