#ifndef SCHEDULER_H_
#define SCHEDULER_H_

#include <stddef.h>
#include <stdint.h>

#include "chanlog.h"
#include "store.h"

/*
 * The deadline scheduler (SPEC §4, "Deadlines"): a thread that, once at
 * start and then every scheduler_interval_ms, looks at every memo the
 * channel still owes something and marks each deadline that was missed:
 *   acknowledgement  while the memo is submitted, or if it was acknowledged
 *                    (or redirected) after its due time;
 *   reply            while the memo is acknowledged or assigned, or if the
 *                    first reply came after its due time;
 *   escalation       likewise, at the escalation point.
 * Marking a deadline is one store transaction: the memo's missed bit, a
 * deadline_missed event in the channel log (memo id, kind, the due time)
 * and an escalation notification to every active director and
 * coordinator.  The bit is read and set inside that transaction, so a
 * deadline is marked, logged and escalated exactly once however often the
 * pass runs.  Due times are those stored with the memo when it was
 * submitted and acknowledged.
 */

struct scheduler;

/**
 * scheduler_run_once(s, log, now, nmarked):
 * Mark every deadline missed at ${now} in store ${s}, appending the events
 * to ${log}.  Store the number of deadlines marked in ${nmarked} (may be
 * NULL).  A memo whose transaction fails is left for the next pass.
 * Return 0, or -1 if any memo could not be handled (reported).
 */
int scheduler_run_once(struct store *s, struct chanlog *log, int64_t now,
    size_t *nmarked) __attribute__((warn_unused_result));

/**
 * scheduler_start(sc, s, log, interval_ms, now_fn):
 * Start the thread that runs scheduler_run_once() at once and then every
 * ${interval_ms} milliseconds with the time ${now_fn}().  Return 0 and the
 * handle in ${sc}, or -1.
 */
int scheduler_start(struct scheduler **sc, struct store *s, struct chanlog *log,
    unsigned int interval_ms, int64_t (*now_fn)(void))
    __attribute__((warn_unused_result));

/**
 * scheduler_stop(sc):
 * Stop the thread (a pass under way finishes first) and free ${sc}.  NULL
 * is a no-op.
 */
void scheduler_stop(struct scheduler *sc);

#endif /* !SCHEDULER_H_ */
