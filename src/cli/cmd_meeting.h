#ifndef CMD_MEETING_H_
#define CMD_MEETING_H_

#include "cli.h"

/*
 * `dissent meeting request|list|schedule|outcome` (docs/CLI.md,
 * "Meetings"): drafters ask a principal the memo was distributed to for a
 * meeting; the principal or a coordinator schedules it and records the
 * outcome, whose note is encrypted with the memo key.
 */
extern const struct cli_noun cmd_meeting_noun;

#endif /* !CMD_MEETING_H_ */
