#ifndef CMD_CHANNEL_H_
#define CMD_CHANNEL_H_

#include "cli.h"

/*
 * `dissent channel init|grant|inbox|ack|redirect|assign|distribute|
 * approve|reply|close` (docs/CLI.md, "The channel"): the coordinators'
 * work on submitted memos, reading them through the channel key.
 */
extern const struct cli_noun cmd_channel_noun;

#endif /* !CMD_CHANNEL_H_ */
