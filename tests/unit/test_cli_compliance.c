/*
 * The auditor's memo deadlines (src/cli/audit.c, audit_compliance()):
 * synthetic event streams with known outcomes under both profiles, with
 * the worked examples of docs/PROTOCOL.md ("Deadline profiles"): on time,
 * late, open past due, missed by a memo that ended, a late
 * acknowledgement that does not move the later deadlines, and every
 * disagreement between the deadline_missed events the server logged and
 * the deadlines the audit computes (absent, not owed, wrong due time, not
 * missed, logged twice).  The memo timelines also survive a saved state
 * and an incremental audit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "audit.h"
#include "calendar.h"
#include "deadline.h"
#include "directory.h"
#include "event.h"
#include "lifecycle.h"

/* docs/PROTOCOL.md, `state-dissent` in America/New_York. */
#define SD_SUBMIT 1764187200LL     /* Wed 2025-11-26 15:00 EST */
#define SD_ACK_DUE 1764651599LL    /* Mon 2025-12-01 23:59:59 EST */
#define SD_ACK 1764342000LL        /* Fri 2025-11-28 10:00 EST */
#define SD_LATE_ACK 1764774000LL   /* Wed 2025-12-03 10:00 EST */
#define SD_REPLY_DUE 1768366799LL  /* 2026-01-13 23:59:59, acked 11-28 */
#define SD_ESC 1772168399LL        /* 2026-02-26 23:59:59, acked 11-28 */
#define SD_REPLY_DUE0 1768453199LL /* 2026-01-14 23:59:59, no timely ack */
#define SD_ESC0 1772254799LL       /* 2026-02-27 23:59:59, no timely ack */
#define SD_REPLY 1767625200LL      /* 2026-01-05 10:00 EST */

/* docs/PROTOCOL.md, `eu-whistleblowing` in Europe/Brussels. */
#define EU_SUBMIT 1774432800LL     /* 2026-03-25 11:00 CET */
#define EU_ACK_DUE 1775080799LL    /* 2026-04-01 23:59:59 CEST */
#define EU_ACK 1774602000LL        /* 2026-03-27 10:00 CET */
#define EU_LATE_ACK 1775203200LL   /* 2026-04-03 10:00 CEST */
#define EU_REPLY_DUE 1782597599LL  /* 2026-06-27 23:59:59 CEST */
#define EU_REPLY_DUE0 1782943199LL /* 2026-07-01 23:59:59 CEST */

/* The scheduler's interval plus the grace, as the CLI would give it. */
#define SLACK 120

#define COORD 1 /* member m_..01: a coordinator */
#define PRIN 2  /* member m_..02: a principal */

#define ACK (DEADLINE_ACK - 1)
#define REPLY (DEADLINE_REPLY - 1)
#define ESC (DEADLINE_ESCALATION - 1)

struct world {
	struct calendar *cal;
	struct audit *a;
};

/* The id of memo ${n}. */
static void
memo_id(char out[MEMO_ID_LEN + 1], unsigned int n)
{

	(void)snprintf(out, MEMO_ID_LEN + 1, "d_%024x", n);
}

/* An event of ${type} at ${t} about memo ${n} (0: none), blank otherwise. */
static void
event_of(struct event *ev, uint16_t type, int64_t t, unsigned int n)
{

	memset(ev, 0, sizeof(*ev));
	ev->version = EVENT_FORMAT_VERSION;
	ev->type = type;
	ev->time = (uint64_t)t;
	if (n != 0)
		memo_id(ev->memo_id, n);
}

/* Append ${ev}; it must be accepted. */
static void
append_ok(struct audit *a, const struct event *ev)
{
	uint8_t buf[EVENT_MAX_BYTES];
	char err[AUDIT_ERR_MAX];
	struct event out;
	size_t len;

	assert_int_equal(event_encode(buf, sizeof(buf), &len, ev), 0);
	if (audit_append(a, buf, len, &out, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
}

/* Append a directory event of ${type} for member ${m} of org "state". */
static void
directory(struct audit *a, uint16_t type, unsigned int m, uint32_t roles)
{
	struct event ev;

	event_of(&ev, type, 1764000000, 0);
	if (type != EVENT_ORG_CREATED)
		(void)snprintf(
		    ev.member_id, sizeof(ev.member_id), "m_%024x", m);
	if (type == EVENT_ORG_CREATED || type == EVENT_MEMBER_CREATED)
		memcpy(ev.org_id, "state", 6);
	ev.roles = roles;
	ev.eligible = 1;
	ev.epoch = 1;
	append_ok(a, &ev);
}

/* A world with profile ${p} in zone ${tz} and the channel's staff. */
static struct world *
world_new(enum deadline_profile p, const char *tz)
{
	struct world *w;

	assert_non_null(w = calloc(1, sizeof(*w)));
	assert_non_null(w->cal = calendar_new(tz, NULL, 0));
	assert_non_null(w->a = audit_new());
	audit_set_policy(w->a, p, w->cal);
	directory(w->a, EVENT_ORG_CREATED, 0, 0);
	directory(
	    w->a, EVENT_MEMBER_CREATED, COORD, ROLE_MEMBER | ROLE_COORDINATOR);
	directory(w->a, EVENT_MEMBER_ENROLLED, COORD, 0);
	directory(
	    w->a, EVENT_MEMBER_CREATED, PRIN, ROLE_MEMBER | ROLE_PRINCIPAL);
	directory(w->a, EVENT_MEMBER_ENROLLED, PRIN, 0);
	return (w);
}

static struct world *
state_dissent(void)
{

	return (world_new(DEADLINE_STATE_DISSENT, "America/New_York"));
}

static struct world *
eu(void)
{

	return (world_new(DEADLINE_EU_WHISTLEBLOWING, "Europe/Brussels"));
}

static void
world_free(struct world *w)
{

	audit_free(w->a);
	calendar_free(w->cal);
	free(w);
}

/* Memo ${n} submitted at ${t}. */
static void
submit(struct world *w, unsigned int n, int64_t t)
{
	struct event ev;

	event_of(&ev, EVENT_MEMO_SUBMITTED, t, n);
	ev.memo_version = 1;
	ev.named = 3;
	append_ok(w->a, &ev);
}

/* Memo event ${type} of memo ${n} at ${t}. */
static void
act(struct world *w, uint16_t type, unsigned int n, int64_t t)
{
	struct event ev;

	event_of(&ev, type, t, n);
	if (type == EVENT_MEMO_REPLIED)
		ev.n = 1;
	if (type == EVENT_MEMO_ASSIGNED || type == EVENT_MEETING_REQUESTED)
		(void)snprintf(
		    ev.member_id, sizeof(ev.member_id), "m_%024x", PRIN);
	append_ok(w->a, &ev);
}

/* The scheduler's deadline_missed of ${kind} of memo ${n}, due ${at}. */
static void
missed(struct world *w, unsigned int n, int kind, int64_t at, int64_t t)
{
	struct event ev;

	event_of(&ev, EVENT_DEADLINE_MISSED, t, n);
	ev.kind = (uint8_t)kind;
	ev.at = (uint64_t)at;
	append_ok(w->a, &ev);
}

/* The report of memo ${n} at ${now} (which must exist) into ${r}. */
static void
report(const struct world *w, unsigned int n, int64_t now,
    struct audit_memo_report *r)
{
	struct audit_memo_report *rs;
	char id[MEMO_ID_LEN + 1];
	size_t count, i;

	memo_id(id, n);
	assert_int_equal(audit_compliance(w->a, now, SLACK, &rs, &count), 0);
	for (i = 0; i < count; i++)
		if (strcmp(rs[i].id, id) == 0)
			break;
	if (i == count)
		fail_msg("no report of memo %u", n);
	*r = rs[i];
	free(rs);
}

/* Deadline ${d} must have ${status} and ${finding}. */
static void
assert_deadline(const struct audit_deadline *d, int status, int finding)
{

	if (d->status != status || d->finding != finding)
		fail_msg("status %s, finding %s; expected %s, %s",
		    audit_due_status_name(d->status),
		    audit_finding_name(d->finding),
		    audit_due_status_name(status), audit_finding_name(finding));
}

static void
test_state_dissent_on_time_throughout(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, SD_ACK);
	act(w, EVENT_MEMO_ASSIGNED, 1, SD_ACK + 60);
	act(w, EVENT_MEMO_REPLIED, 1, SD_REPLY);
	act(w, EVENT_MEMO_CLOSED, 1, SD_REPLY + 60);
	report(w, 1, SD_ESC0 + 86400, &r);
	assert_int_equal(r.d[ACK].due, SD_ACK_DUE);
	assert_int_equal(r.d[REPLY].due, SD_REPLY_DUE);
	assert_int_equal(r.d[ESC].due, SD_ESC);
	assert_deadline(&r.d[ACK], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[ESC], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	assert_int_equal(r.state, MEMO_STATE_CLOSED);
	assert_int_equal(r.acked_by, AUDIT_ACKED_ACK);
	assert_int_equal(r.acked_at, SD_ACK);
	assert_int_equal(r.replied_at, SD_REPLY);
	assert_int_equal(r.replies, 1);
	world_free(w);
}

static void
test_state_dissent_late_ack_does_not_move_later_deadlines(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	missed(w, 1, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 30);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, SD_LATE_ACK);
	report(w, 1, SD_LATE_ACK + 60, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_LATE, AUDIT_FINDING_NONE);
	/* From the acknowledgement deadline, not the late acknowledgement. */
	assert_int_equal(r.d[REPLY].due, SD_REPLY_DUE0);
	assert_int_equal(r.d[ESC].due, SD_ESC0);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OPEN, AUDIT_FINDING_NONE);
	assert_int_equal(r.d[ACK].logged, 1);
	assert_int_equal(r.d[ACK].logged_due, SD_ACK_DUE);
	world_free(w);
}

static void
test_ack_open_past_due_needs_its_event_after_the_slack(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	/* Missed for exactly the slack: the scheduler may not have run. */
	report(w, 1, SD_ACK_DUE + 1 + SLACK, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NONE);
	/* Past the slack: the event must be there. */
	report(w, 1, SD_ACK_DUE + 2 + SLACK, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OVERDUE, AUDIT_FINDING_ABSENT);
	/* No reply is due before the acknowledgement deadline passes. */
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OPEN, AUDIT_FINDING_NONE);
	missed(w, 1, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 5);
	report(w, 1, SD_ACK_DUE + 86400, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NONE);
	assert_int_equal(r.d[ACK].logged_time, SD_ACK_DUE + 5);
	world_free(w);
}

static void
test_open_before_the_due_time(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	report(w, 1, SD_ACK_DUE, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OPEN, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OPEN, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[ESC], AUDIT_DUE_OPEN, AUDIT_FINDING_NONE);
	world_free(w);
}

static void
test_reply_overdue_then_late_with_its_events(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, SD_ACK);
	report(w, 1, SD_REPLY_DUE + 3600, &r);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OVERDUE, AUDIT_FINDING_ABSENT);
	assert_deadline(&r.d[ESC], AUDIT_DUE_OPEN, AUDIT_FINDING_NONE);
	missed(w, 1, DEADLINE_REPLY, SD_REPLY_DUE, SD_REPLY_DUE + 10);
	report(w, 1, SD_REPLY_DUE + 3600, &r);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NONE);
	/* The reply comes after the escalation point too. */
	missed(w, 1, DEADLINE_ESCALATION, SD_ESC, SD_ESC + 10);
	act(w, EVENT_MEMO_REPLIED, 1, SD_ESC + 7200);
	report(w, 1, SD_ESC + 86400, &r);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_LATE, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[ESC], AUDIT_DUE_LATE, AUDIT_FINDING_NONE);
	assert_int_equal(r.d[REPLY].done_at, SD_ESC + 7200);
	world_free(w);
}

static void
test_late_reply_without_events_is_two_findings(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, SD_ACK);
	act(w, EVENT_MEMO_REPLIED, 1, SD_ESC + 7200);
	report(w, 1, SD_ESC + 7200, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_LATE, AUDIT_FINDING_ABSENT);
	assert_deadline(&r.d[ESC], AUDIT_DUE_LATE, AUDIT_FINDING_ABSENT);
	world_free(w);
}

static void
test_unacknowledged_memo_needs_no_reply_event(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	missed(w, 1, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 5);
	/* Past every due time, never acknowledged. */
	report(w, 1, SD_ESC0 + 86400, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[ESC], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NONE);
	/* Acknowledged at last: from now on the scheduler watches them. */
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, SD_ESC0 + 86400);
	report(w, 1, SD_ESC0 + 86400 + SLACK + 1, &r);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OVERDUE, AUDIT_FINDING_ABSENT);
	assert_deadline(&r.d[ESC], AUDIT_DUE_OVERDUE, AUDIT_FINDING_ABSENT);
	world_free(w);
}

static void
test_redirected_memo_owes_no_reply(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	act(w, EVENT_MEMO_REDIRECTED, 1, SD_ACK);
	report(w, 1, SD_ESC + 86400, &r);
	assert_int_equal(r.acked_by, AUDIT_ACKED_REDIRECT);
	assert_deadline(&r.d[ACK], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_NONE, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[ESC], AUDIT_DUE_NONE, AUDIT_FINDING_NONE);
	/* A reply deadline logged missed for it was not owed. */
	missed(w, 1, DEADLINE_REPLY, SD_REPLY_DUE, SD_REPLY_DUE + 5);
	report(w, 1, SD_ESC + 86400, &r);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_NONE, AUDIT_FINDING_NOT_OWED);
	assert_int_equal(r.d[REPLY].finding_index, audit_size(w->a) - 1);
	world_free(w);
}

static void
test_redirected_late_misses_the_acknowledgement(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	act(w, EVENT_MEMO_REDIRECTED, 1, SD_LATE_ACK);
	act(w, EVENT_MEMO_CLOSED, 1, SD_LATE_ACK + 60);
	report(w, 1, SD_LATE_ACK + 86400, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_LATE, AUDIT_FINDING_ABSENT);
	world_free(w);
}

static void
test_withdrawn_memo_owes_nothing_unless_past_due(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	/* Withdrawn on time: nothing owed, nothing missed. */
	submit(w, 1, SD_SUBMIT);
	act(w, EVENT_MEMO_WITHDRAWN, 1, SD_SUBMIT + 3600);
	report(w, 1, SD_ESC0 + 86400, &r);
	assert_int_equal(r.state, MEMO_STATE_WITHDRAWN);
	assert_int_equal(r.ended_at, SD_SUBMIT + 3600);
	assert_deadline(&r.d[ACK], AUDIT_DUE_NONE, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_NONE, AUDIT_FINDING_NONE);
	/* Withdrawn just past due: missed, the scheduler had no chance. */
	submit(w, 2, SD_SUBMIT);
	act(w, EVENT_MEMO_WITHDRAWN, 2, SD_ACK_DUE + 30);
	report(w, 2, SD_ESC0 + 86400, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_MISSED, AUDIT_FINDING_NONE);
	/* Withdrawn a day past due without the event: absent. */
	submit(w, 3, SD_SUBMIT);
	act(w, EVENT_MEMO_WITHDRAWN, 3, SD_ACK_DUE + 86400);
	report(w, 3, SD_ESC0 + 86400, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_MISSED, AUDIT_FINDING_ABSENT);
	world_free(w);
}

static void
test_closed_after_a_late_reply_keeps_its_deadlines(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	/* Closing needs a reply (no closing away a reply deadline). */
	submit(w, 1, SD_SUBMIT);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, SD_ACK);
	missed(w, 1, DEADLINE_REPLY, SD_REPLY_DUE, SD_REPLY_DUE + 5);
	act(w, EVENT_MEMO_REPLIED, 1, SD_REPLY_DUE + 3600);
	act(w, EVENT_MEMO_CLOSED, 1, SD_REPLY_DUE + 86400);
	report(w, 1, SD_ESC + 86400, &r);
	assert_int_equal(r.state, MEMO_STATE_CLOSED);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_LATE, AUDIT_FINDING_NONE);
	/* Replied before the escalation point. */
	assert_deadline(&r.d[ESC], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	world_free(w);
}

static void
test_event_for_a_deadline_not_missed_is_a_finding(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	/* Logged at the due second itself: not missed yet. */
	missed(w, 1, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE);
	report(w, 1, SD_ACK_DUE + 60, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NOT_MISSED);
	/* Acknowledged on time, logged missed later anyway. */
	submit(w, 2, SD_SUBMIT);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 2, SD_ACK);
	missed(w, 2, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 60);
	report(w, 2, SD_ACK_DUE + 120, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NOT_MISSED);
	world_free(w);
}

static void
test_event_with_another_due_time_is_a_finding(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	/* As if the server had counted from the late acknowledgement. */
	missed(w, 1, DEADLINE_ACK, SD_ACK_DUE - 86400, SD_ACK_DUE + 60);
	report(w, 1, SD_ACK_DUE + 120, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OVERDUE, AUDIT_FINDING_WRONG_DUE);
	assert_int_equal(r.d[ACK].logged_due, SD_ACK_DUE - 86400);
	world_free(w);
}

static void
test_event_logged_twice_is_a_finding(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;
	uint64_t first;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	missed(w, 1, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 60);
	first = audit_size(w->a) - 1;
	missed(w, 1, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 120);
	report(w, 1, SD_ACK_DUE + 180, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OVERDUE, AUDIT_FINDING_TWICE);
	assert_int_equal(r.d[ACK].logged_index, first);
	assert_int_equal(r.d[ACK].finding_index, first + 1);
	world_free(w);
}

static void
test_reply_event_before_the_acknowledgement_is_not_owed(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, SD_SUBMIT);
	missed(w, 1, DEADLINE_REPLY, SD_REPLY_DUE0, SD_REPLY_DUE0 + 5);
	report(w, 1, SD_REPLY_DUE0 + 60, &r);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NOT_OWED);
	world_free(w);
}

static void
test_eu_on_time_throughout(void **state)
{
	struct world *w = eu();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, EU_SUBMIT);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, EU_ACK);
	act(w, EVENT_MEMO_REPLIED, 1, EU_REPLY_DUE);
	report(w, 1, EU_REPLY_DUE0 + 86400, &r);
	assert_int_equal(r.d[ACK].due, EU_ACK_DUE);
	assert_int_equal(r.d[REPLY].due, EU_REPLY_DUE);
	assert_int_equal(r.d[ESC].due, EU_REPLY_DUE);
	/* A reply within the due second is on time. */
	assert_deadline(&r.d[ACK], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[ESC], AUDIT_DUE_ON_TIME, AUDIT_FINDING_NONE);
	world_free(w);
}

static void
test_eu_late_ack_does_not_move_the_feedback_deadline(void **state)
{
	struct world *w = eu();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, EU_SUBMIT);
	missed(w, 1, DEADLINE_ACK, EU_ACK_DUE, EU_ACK_DUE + 30);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, EU_LATE_ACK);
	report(w, 1, EU_LATE_ACK, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_LATE, AUDIT_FINDING_NONE);
	assert_int_equal(r.d[REPLY].due, EU_REPLY_DUE0);
	assert_int_equal(r.d[ESC].due, EU_REPLY_DUE0);
	/* Feedback late: reply and escalation missed at once. */
	missed(w, 1, DEADLINE_REPLY, EU_REPLY_DUE0, EU_REPLY_DUE0 + 20);
	report(w, 1, EU_REPLY_DUE0 + 3600, &r);
	assert_deadline(&r.d[REPLY], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NONE);
	assert_deadline(&r.d[ESC], AUDIT_DUE_OVERDUE, AUDIT_FINDING_ABSENT);
	missed(w, 1, DEADLINE_ESCALATION, EU_REPLY_DUE0, EU_REPLY_DUE0 + 20);
	report(w, 1, EU_REPLY_DUE0 + 3600, &r);
	assert_deadline(&r.d[ESC], AUDIT_DUE_OVERDUE, AUDIT_FINDING_NONE);
	world_free(w);
}

static void
test_eu_ack_open_past_due(void **state)
{
	struct world *w = eu();
	struct audit_memo_report r;

	(void)state;
	submit(w, 1, EU_SUBMIT);
	report(w, 1, EU_ACK_DUE + 86400, &r);
	assert_deadline(&r.d[ACK], AUDIT_DUE_OVERDUE, AUDIT_FINDING_ABSENT);
	assert_int_equal(r.d[REPLY].due, EU_REPLY_DUE0);
	world_free(w);
}

static void
test_reports_are_in_submission_order_without_drafts(void **state)
{
	struct world *w = state_dissent();
	struct audit_memo_report *rs;
	size_t n, i;

	(void)state;
	assert_int_equal(audit_compliance(w->a, SD_SUBMIT, SLACK, &rs, &n), 0);
	assert_null(rs);
	assert_int_equal(n, 0);
	for (i = 40; i > 0; i--)
		submit(w, (unsigned int)i, SD_SUBMIT + (int64_t)i);
	/* A draft withdrawn before submission owes nothing: not listed. */
	act(w, EVENT_MEMO_WITHDRAWN, 99, SD_SUBMIT + 100);
	assert_int_equal(audit_compliance(w->a, SD_SUBMIT, SLACK, &rs, &n), 0);
	assert_int_equal(n, 40);
	for (i = 1; i < n; i++)
		assert_true(rs[i - 1].index < rs[i].index);
	free(rs);
	world_free(w);
}

/* A world with memos in every outcome, findings included. */
static struct world *
busy_world(void)
{
	struct world *w = state_dissent();

	submit(w, 1, SD_SUBMIT);
	act(w, EVENT_MEMO_ACKNOWLEDGED, 1, SD_ACK);
	act(w, EVENT_MEMO_ASSIGNED, 1, SD_ACK + 10);
	act(w, EVENT_MEETING_REQUESTED, 1, SD_ACK + 20);
	submit(w, 2, SD_SUBMIT);
	missed(w, 2, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 30);
	missed(w, 2, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 40);
	act(w, EVENT_MEMO_REDIRECTED, 2, SD_LATE_ACK);
	act(w, EVENT_MEMO_CLOSED, 2, SD_LATE_ACK + 10);
	submit(w, 3, SD_SUBMIT);
	act(w, EVENT_MEMO_WITHDRAWN, 3, SD_SUBMIT + 10);
	act(w, EVENT_MEMO_WITHDRAWN, 4, SD_SUBMIT + 20);
	act(w, EVENT_MEMO_REPLIED, 1, SD_REPLY_DUE + 3600);
	return (w);
}

/* ${a} and ${b} must judge their memos alike at ${now}. */
static void
assert_same_compliance(
    const struct audit *a, const struct audit *b, int64_t now)
{
	struct audit_memo_report *ra, *rb;
	size_t na, nb;

	assert_int_equal(audit_compliance(a, now, SLACK, &ra, &na), 0);
	assert_int_equal(audit_compliance(b, now, SLACK, &rb, &nb), 0);
	assert_int_equal(na, nb);
	assert_memory_equal(ra, rb, na * sizeof(*ra));
	free(ra);
	free(rb);
}

static void
test_saved_state_keeps_the_memo_timelines(void **state)
{
	struct world *w = busy_world();
	char err[AUDIT_ERR_MAX];
	struct audit *b;
	json_t *j;

	(void)state;
	assert_non_null(j = audit_json(w->a));
	if ((b = audit_from_json(j, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(audit_latest_time(b), audit_latest_time(w->a));
	assert_same_compliance(w->a, b, SD_ESC + 86400);
	json_decref(j);
	audit_free(b);
	world_free(w);
}

/*
 * Audit busy_world()'s stream in two parts, the state saved and read back
 * in between (after its first or, with ${cut}, second deadline_missed
 * event): the memos must be judged as by one audit of the whole.
 */
static void
incremental_matches_whole(size_t cut)
{
	struct world *whole = busy_world(), *part = state_dissent();
	struct audit *resumed;
	char err[AUDIT_ERR_MAX];
	json_t *j;
	struct world *w2;

	/* Rebuild the busy world's stream, cut after ${cut} memo events. */
	w2 = part;
	submit(w2, 1, SD_SUBMIT);
	act(w2, EVENT_MEMO_ACKNOWLEDGED, 1, SD_ACK);
	act(w2, EVENT_MEMO_ASSIGNED, 1, SD_ACK + 10);
	act(w2, EVENT_MEETING_REQUESTED, 1, SD_ACK + 20);
	submit(w2, 2, SD_SUBMIT);
	missed(w2, 2, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 30);
	if (cut > 0)
		missed(w2, 2, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 40);
	assert_non_null(j = audit_json(w2->a));
	if ((resumed = audit_from_json(j, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	json_decref(j);
	audit_free(w2->a);
	w2->a = resumed;
	audit_set_policy(w2->a, DEADLINE_STATE_DISSENT, w2->cal);
	if (cut == 0)
		missed(w2, 2, DEADLINE_ACK, SD_ACK_DUE, SD_ACK_DUE + 40);
	act(w2, EVENT_MEMO_REDIRECTED, 2, SD_LATE_ACK);
	act(w2, EVENT_MEMO_CLOSED, 2, SD_LATE_ACK + 10);
	submit(w2, 3, SD_SUBMIT);
	act(w2, EVENT_MEMO_WITHDRAWN, 3, SD_SUBMIT + 10);
	act(w2, EVENT_MEMO_WITHDRAWN, 4, SD_SUBMIT + 20);
	act(w2, EVENT_MEMO_REPLIED, 1, SD_REPLY_DUE + 3600);
	assert_same_compliance(whole->a, w2->a, SD_ESC + 86400);
	world_free(whole);
	world_free(w2);
}

static void
test_incremental_audit_matches_a_whole_one(void **state)
{

	(void)state;
	incremental_matches_whole(0);
	incremental_matches_whole(1);
}

/* ${j}'s memo ${n}. */
static json_t *
memo_of(json_t *j, unsigned int n)
{
	char id[MEMO_ID_LEN + 1];

	memo_id(id, n);
	return (json_object_get(json_object_get(j, "memos"), id));
}

/* ${j} must be refused; it is freed. */
static void
assert_state_refused(json_t *j)
{
	char err[AUDIT_ERR_MAX];
	struct audit *b;

	b = audit_from_json(j, err, sizeof(err));
	json_decref(j);
	if (b != NULL) {
		audit_free(b);
		fail_msg("a broken memo timeline was read back");
	}
	assert_non_null(strstr(err, "malformed"));
}

static void
test_saved_state_refuses_broken_memo_timelines(void **state)
{
	struct world *w = busy_world();
	json_t *j;

	(void)state;
	/* Acknowledged yet still in the submitted state. */
	assert_non_null(j = audit_json(w->a));
	json_object_set_new(memo_of(j, 1), "state", json_string("submitted"));
	assert_state_refused(j);
	/* A reply the counts do not account for. */
	assert_non_null(j = audit_json(w->a));
	json_object_set_new(memo_of(j, 1), "replies", json_integer(2));
	assert_state_refused(j);
	/* A memo no event submitted. */
	assert_non_null(j = audit_json(w->a));
	json_object_set(json_object_get(j, "memos"),
	    "d_00000000000000000000abcd", memo_of(j, 1));
	assert_state_refused(j);
	/* A logged event beyond the log. */
	assert_non_null(j = audit_json(w->a));
	json_object_set_new(
	    json_array_get(json_object_get(memo_of(j, 2), "logged"), 0),
	    "index", json_integer(100000));
	assert_state_refused(j);
	/* "absent" is never saved: it is judged at report time. */
	assert_non_null(j = audit_json(w->a));
	json_object_set_new(
	    json_array_get(json_object_get(memo_of(j, 2), "logged"), 0),
	    "problem", json_string("absent"));
	assert_state_refused(j);
	/* An unknown field, an unknown state. */
	assert_non_null(j = audit_json(w->a));
	json_object_set_new(memo_of(j, 1), "extra", json_integer(1));
	assert_state_refused(j);
	assert_non_null(j = audit_json(w->a));
	json_object_set_new(memo_of(j, 1), "state", json_string("lost"));
	assert_state_refused(j);
	/* A draft withdrawn that claims a submission. */
	assert_non_null(j = audit_json(w->a));
	json_object_set_new(memo_of(j, 4), "submitted_at", json_integer(5));
	assert_state_refused(j);
	/* No memos at all, though memo events were counted. */
	assert_non_null(j = audit_json(w->a));
	json_object_del(j, "memos");
	assert_state_refused(j);
	world_free(w);
}

static void
test_saved_state_without_memos_reads_if_it_counted_none(void **state)
{
	struct world *w = state_dissent();
	char err[AUDIT_ERR_MAX];
	struct audit *b;
	json_t *j;

	(void)state;
	/* A state saved before memo timelines were kept. */
	assert_non_null(j = audit_json(w->a));
	json_object_del(j, "memos");
	json_object_del(j, "latest_time");
	if ((b = audit_from_json(j, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(audit_size(b), audit_size(w->a));
	json_decref(j);
	audit_free(b);
	world_free(w);
}

static void
test_names_are_stable(void **state)
{

	(void)state;
	assert_string_equal(audit_due_status_name(AUDIT_DUE_NONE), "none");
	assert_string_equal(
	    audit_due_status_name(AUDIT_DUE_ON_TIME), "on_time");
	assert_string_equal(audit_due_status_name(AUDIT_DUE_MISSED), "missed");
	assert_null(audit_due_status_name(AUDIT_DUE_MISSED + 1));
	assert_null(audit_due_status_name(-1));
	assert_string_equal(audit_finding_name(AUDIT_FINDING_ABSENT), "absent");
	assert_string_equal(audit_finding_name(AUDIT_FINDING_TWICE), "twice");
	assert_null(audit_finding_name(AUDIT_FINDING_TWICE + 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_state_dissent_on_time_throughout),
	    cmocka_unit_test(
		test_state_dissent_late_ack_does_not_move_later_deadlines),
	    cmocka_unit_test(
		test_ack_open_past_due_needs_its_event_after_the_slack),
	    cmocka_unit_test(test_open_before_the_due_time),
	    cmocka_unit_test(test_reply_overdue_then_late_with_its_events),
	    cmocka_unit_test(test_late_reply_without_events_is_two_findings),
	    cmocka_unit_test(test_unacknowledged_memo_needs_no_reply_event),
	    cmocka_unit_test(test_redirected_memo_owes_no_reply),
	    cmocka_unit_test(test_redirected_late_misses_the_acknowledgement),
	    cmocka_unit_test(test_withdrawn_memo_owes_nothing_unless_past_due),
	    cmocka_unit_test(
		test_closed_after_a_late_reply_keeps_its_deadlines),
	    cmocka_unit_test(test_event_for_a_deadline_not_missed_is_a_finding),
	    cmocka_unit_test(test_event_with_another_due_time_is_a_finding),
	    cmocka_unit_test(test_event_logged_twice_is_a_finding),
	    cmocka_unit_test(
		test_reply_event_before_the_acknowledgement_is_not_owed),
	    cmocka_unit_test(test_eu_on_time_throughout),
	    cmocka_unit_test(
		test_eu_late_ack_does_not_move_the_feedback_deadline),
	    cmocka_unit_test(test_eu_ack_open_past_due),
	    cmocka_unit_test(
		test_reports_are_in_submission_order_without_drafts),
	    cmocka_unit_test(test_saved_state_keeps_the_memo_timelines),
	    cmocka_unit_test(test_incremental_audit_matches_a_whole_one),
	    cmocka_unit_test(test_saved_state_refuses_broken_memo_timelines),
	    cmocka_unit_test(
		test_saved_state_without_memos_reads_if_it_counted_none),
	    cmocka_unit_test(test_names_are_stable),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
