#ifndef CMD_STATS_H_
#define CMD_STATS_H_

#include "cli.h"

/* `dissent stats [--period month|quarter|year]` (docs/CLI.md). */
extern const struct cli_noun cmd_stats_noun;

#endif /* !CMD_STATS_H_ */
