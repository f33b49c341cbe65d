#ifndef CMD_SERVER_H_
#define CMD_SERVER_H_

#include "cli.h"

/* `dissent server set|show|health`. */
extern const struct cli_noun cmd_server_noun;

#endif /* !CMD_SERVER_H_ */
