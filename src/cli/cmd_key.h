#ifndef CMD_KEY_H_
#define CMD_KEY_H_

#include "cli.h"

/* `dissent key show|rotate`. */
extern const struct cli_noun cmd_key_noun;

#endif /* !CMD_KEY_H_ */
