#ifndef CMD_MEMBER_H_
#define CMD_MEMBER_H_

#include <jansson.h>

#include "cli.h"

/* `dissent member create|list|show|update|suspend|reinstate|reissue`. */
extern const struct cli_noun cmd_member_noun;

/**
 * cmd_member_print(c, member):
 * In human mode print the Member object ${member} as labelled lines.
 */
void cmd_member_print(struct cli *c, const json_t *member);

/**
 * cmd_member_roles(member, out, cap):
 * Write the roles of ${member} comma-separated into ${out} ("-" if none).
 */
void cmd_member_roles(const json_t *member, char *out, size_t cap);

#endif /* !CMD_MEMBER_H_ */
