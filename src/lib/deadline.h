#ifndef DEADLINE_H_
#define DEADLINE_H_

#include <stdint.h>

#include "calendar.h"

/*
 * Deadline profiles (SPEC §4):
 *   state-dissent      acknowledge within 2 working days of submission;
 *                      reply target 30 working days after acknowledgement;
 *                      escalation 60 working days after acknowledgement.
 *   eu-whistleblowing  acknowledge within 7 calendar days of submission
 *                      (Directive 2019/1937 art. 9(1)(b)); feedback within 3
 *                      months of acknowledgement, or, without one, of the
 *                      end of the 7 days (art. 9(1)(f)); escalation when
 *                      feedback is late.
 * "n days after" a time ends at 23:59:59 local of the nth (working) day
 * after that time's local date (calendar.h).
 * The server's scheduler and `dissent audit` compute every due date with
 * these functions only.
 */
enum deadline_profile {
	DEADLINE_STATE_DISSENT = 0,
	DEADLINE_EU_WHISTLEBLOWING = 1
};

/* Kinds of deadline, as carried by deadline_missed events. */
#define DEADLINE_ACK 1
#define DEADLINE_REPLY 2
#define DEADLINE_ESCALATION 3

struct deadline_dues {
	int64_t ack_due;     /* acknowledgement due */
	int64_t reply_due;   /* reply (feedback) due */
	int64_t escalate_at; /* escalation point */
};

/**
 * deadline_profile_parse(name):
 * Return the profile named ${name} ("state-dissent", "eu-whistleblowing"),
 * or -1.
 */
int deadline_profile_parse(const char *name);

/**
 * deadline_profile_name(p):
 * Return the name of ${p}, or NULL.
 */
const char *deadline_profile_name(enum deadline_profile p);

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
int deadline_compute(struct deadline_dues *dues, enum deadline_profile p,
    const struct calendar *cal, int64_t submitted_at, int64_t acked_at)
    __attribute__((warn_unused_result));

/**
 * deadline_missed(dues, kind, done_at, now):
 * Return 1 if the deadline ${kind} of ${dues} is missed at ${now}: the
 * action (acknowledgement or reply; for escalation, the reply) happened
 * after the due time, or has not happened (${done_at} == 0) and ${now} is
 * past it.  Else 0 (also for an unknown ${kind}).  An action at the due
 * time itself is on time.
 */
int deadline_missed(
    const struct deadline_dues *dues, int kind, int64_t done_at, int64_t now);

#endif /* !DEADLINE_H_ */
