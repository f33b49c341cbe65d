#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "calendar.h"
#include "deadline.h"

/* Profile parameters (SPEC §4). */
#define STATE_ACK_WORKING_DAYS 2
#define STATE_REPLY_WORKING_DAYS 30
#define STATE_ESCALATION_WORKING_DAYS 60
#define EU_ACK_DAYS 7
#define EU_FEEDBACK_MONTHS 3

static const char *profile_names[] = {
    [DEADLINE_STATE_DISSENT] = "state-dissent",
    [DEADLINE_EU_WHISTLEBLOWING] = "eu-whistleblowing",
};
#define NPROFILES (sizeof(profile_names) / sizeof(profile_names[0]))

/**
 * deadline_profile_parse(name):
 * Return the profile named ${name} ("state-dissent", "eu-whistleblowing"),
 * or -1.
 */
int
deadline_profile_parse(const char *name)
{
	size_t i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < NPROFILES; i++) {
		if (strcmp(name, profile_names[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

/**
 * deadline_profile_name(p):
 * Return the name of ${p}, or NULL.
 */
const char *
deadline_profile_name(enum deadline_profile p)
{

	if ((size_t)p < NPROFILES)
		return (profile_names[p]);
	return (NULL);
}

/**
 * deadline_compute(dues, p, cal, submitted_at, acked_at):
 * Compute the due dates of a memo submitted at ${submitted_at} and
 * acknowledged at ${acked_at} (0 if not yet; else not before
 * ${submitted_at}) under profile ${p} with the calendar ${cal}.  The reply
 * and escalation dates count from the acknowledgement if it was on time,
 * and otherwise (late, or not yet) from the acknowledgement deadline, so a
 * late acknowledgement never extends them.  Every due time is the last
 * second (23:59:59 local) of a day.  Return 0, or -1 (${dues} untouched).
 */
int
deadline_compute(struct deadline_dues *dues, enum deadline_profile p,
    const struct calendar *cal, int64_t submitted_at, int64_t acked_at)
{
	struct deadline_dues d;
	int64_t base;

	if (dues == NULL || cal == NULL || submitted_at < 0 ||
	    (acked_at != 0 && acked_at < submitted_at))
		return (-1);

	switch (p) {
	case DEADLINE_STATE_DISSENT:
		if (calendar_add_working_days(
			cal, submitted_at, STATE_ACK_WORKING_DAYS, &d.ack_due))
			return (-1);
		base = (acked_at != 0 && acked_at <= d.ack_due) ? acked_at
								: d.ack_due;
		if (calendar_add_working_days(
			cal, base, STATE_REPLY_WORKING_DAYS, &d.reply_due) ||
		    calendar_add_working_days(cal, base,
			STATE_ESCALATION_WORKING_DAYS, &d.escalate_at))
			return (-1);
		break;
	case DEADLINE_EU_WHISTLEBLOWING:
		/* Directive (EU) 2019/1937 art. 9(1)(b) and (f). */
		if (calendar_add_days(
			cal, submitted_at, EU_ACK_DAYS, &d.ack_due))
			return (-1);
		base = (acked_at != 0 && acked_at <= d.ack_due) ? acked_at
								: d.ack_due;
		if (calendar_add_months(
			cal, base, EU_FEEDBACK_MONTHS, &d.reply_due))
			return (-1);
		/* Escalation is due as soon as the feedback is late. */
		d.escalate_at = d.reply_due;
		break;
	default:
		return (-1);
	}

	*dues = d;
	return (0);
}

/**
 * deadline_missed(dues, kind, done_at, now):
 * Return 1 if the deadline ${kind} of ${dues} is missed at ${now}: the
 * action (acknowledgement or reply; for escalation, the reply) happened
 * after the due time, or has not happened (${done_at} == 0) and ${now} is
 * past it.  Else 0 (also for an unknown ${kind}).  An action at the due
 * time itself is on time.
 */
int
deadline_missed(
    const struct deadline_dues *dues, int kind, int64_t done_at, int64_t now)
{
	int64_t due;

	if (dues == NULL)
		return (0);
	switch (kind) {
	case DEADLINE_ACK:
		due = dues->ack_due;
		break;
	case DEADLINE_REPLY:
		due = dues->reply_due;
		break;
	case DEADLINE_ESCALATION:
		due = dues->escalate_at;
		break;
	default:
		return (0);
	}
	if (done_at != 0)
		return (done_at > due);
	return (now > due);
}
