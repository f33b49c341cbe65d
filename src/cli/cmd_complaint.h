#ifndef CMD_COMPLAINT_H_
#define CMD_COMPLAINT_H_

#include "cli.h"

/*
 * `dissent complaint file|list` (docs/CLI.md, "Reprisal complaints"): a
 * complaint is encrypted under a fresh key sealed to each auditor, so
 * only auditors read it.
 */
extern const struct cli_noun cmd_complaint_noun;

#endif /* !CMD_COMPLAINT_H_ */
