#ifndef CMD_ORG_H_
#define CMD_ORG_H_

#include "cli.h"

/* `dissent org create|list`. */
extern const struct cli_noun cmd_org_noun;

#endif /* !CMD_ORG_H_ */
