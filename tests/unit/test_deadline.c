/*
 * Deadline profiles (deadline.h): the due dates of state-dissent and
 * eu-whistleblowing, and when a deadline counts as missed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"
#include "deadline.h"

/* The Unix time of the UTC date and time given (timegm, not our code). */
static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return ((int64_t)timegm(&tm));
}

/* Calendars shared by the tests. */
static int
setup(void **state)
{
	struct calendar **cals;
	static struct calendar *c[2];

	if ((c[0] = calendar_new("America/New_York", NULL, 0)) == NULL ||
	    (c[1] = calendar_new("Europe/Brussels", NULL, 0)) == NULL)
		return (-1);
	cals = c;
	*state = cals;
	return (0);
}

static int
teardown(void **state)
{
	struct calendar **c = *state;

	calendar_free(c[0]);
	calendar_free(c[1]);
	return (0);
}

#define NEW_YORK(state) (((struct calendar **)*(state))[0])
#define BRUSSELS(state) (((struct calendar **)*(state))[1])

static void
test_profile_names_round_trip(void **state)
{

	(void)state;
	assert_int_equal(
	    deadline_profile_parse("state-dissent"), DEADLINE_STATE_DISSENT);
	assert_int_equal(deadline_profile_parse("eu-whistleblowing"),
	    DEADLINE_EU_WHISTLEBLOWING);
	assert_string_equal(
	    deadline_profile_name(DEADLINE_STATE_DISSENT), "state-dissent");
	assert_string_equal(deadline_profile_name(DEADLINE_EU_WHISTLEBLOWING),
	    "eu-whistleblowing");
}

static void
test_profile_parse_refuses_unknown_names(void **state)
{

	(void)state;
	assert_int_equal(deadline_profile_parse("State-Dissent"), -1);
	assert_int_equal(deadline_profile_parse("state-dissent "), -1);
	assert_int_equal(deadline_profile_parse(""), -1);
	assert_int_equal(deadline_profile_parse(NULL), -1);
	assert_null(deadline_profile_name((enum deadline_profile)2));
	assert_null(deadline_profile_name((enum deadline_profile) - 1));
}

static void
test_state_ack_is_due_two_working_days_after_submission(void **state)
{
	struct deadline_dues d;

	/* Wednesday before Thanksgiving 2025, 15:00 EST. */
	assert_int_equal(deadline_compute(&d, DEADLINE_STATE_DISSENT,
			     NEW_YORK(state), utc(2025, 11, 26, 20, 0, 0), 0),
	    0);
	/* Friday the 28th, then Monday December 1, 23:59:59 EST. */
	assert_int_equal(d.ack_due, utc(2025, 12, 2, 4, 59, 59));
}

static void
test_state_reply_and_escalation_count_from_the_acknowledgement(void **state)
{
	struct deadline_dues d;

	/* Acknowledged Friday 2025-11-28, 10:00 EST. */
	assert_int_equal(
	    deadline_compute(&d, DEADLINE_STATE_DISSENT, NEW_YORK(state),
		utc(2025, 11, 26, 20, 0, 0), utc(2025, 11, 28, 15, 0, 0)),
	    0);
	assert_int_equal(d.ack_due, utc(2025, 12, 2, 4, 59, 59));
	/* 30 working days skipping Christmas and New Year's Day. */
	assert_int_equal(d.reply_due, utc(2026, 1, 14, 4, 59, 59));
	/* 60 skipping also King's and Washington's Birthdays. */
	assert_int_equal(d.escalate_at, utc(2026, 2, 27, 4, 59, 59));
}

static void
test_state_unacknowledged_counts_from_the_ack_deadline(void **state)
{
	struct deadline_dues d;

	assert_int_equal(deadline_compute(&d, DEADLINE_STATE_DISSENT,
			     NEW_YORK(state), utc(2025, 11, 26, 20, 0, 0), 0),
	    0);
	/* 30 and 60 working days after Monday December 1. */
	assert_int_equal(d.reply_due, utc(2026, 1, 15, 4, 59, 59));
	assert_int_equal(d.escalate_at, utc(2026, 2, 28, 4, 59, 59));
}

static void
test_state_late_acknowledgement_does_not_extend_the_reply(void **state)
{
	struct deadline_dues none, late, due;
	int64_t sub = utc(2025, 11, 26, 20, 0, 0);

	assert_int_equal(deadline_compute(&none, DEADLINE_STATE_DISSENT,
			     NEW_YORK(state), sub, 0),
	    0);
	assert_int_equal(deadline_compute(&late, DEADLINE_STATE_DISSENT,
			     NEW_YORK(state), sub, utc(2025, 12, 10, 15, 0, 0)),
	    0);
	assert_memory_equal(&none, &late, sizeof(none));
	/* Acknowledged in the deadline's last second: on time. */
	assert_int_equal(deadline_compute(&due, DEADLINE_STATE_DISSENT,
			     NEW_YORK(state), sub, none.ack_due),
	    0);
	assert_int_equal(due.reply_due, none.reply_due);
	assert_int_equal(
	    deadline_missed(&due, DEADLINE_ACK, none.ack_due, none.ack_due), 0);
}

static void
test_eu_ack_is_due_seven_calendar_days_after_submission(void **state)
{
	struct deadline_dues d;

	/* Wednesday 2026-03-25, 11:00 CET; summer time starts the 29th. */
	assert_int_equal(deadline_compute(&d, DEADLINE_EU_WHISTLEBLOWING,
			     BRUSSELS(state), utc(2026, 3, 25, 10, 0, 0), 0),
	    0);
	assert_int_equal(d.ack_due, utc(2026, 4, 1, 21, 59, 59));
}

static void
test_eu_feedback_is_due_three_months_after_acknowledgement(void **state)
{
	struct deadline_dues d;

	assert_int_equal(
	    deadline_compute(&d, DEADLINE_EU_WHISTLEBLOWING, BRUSSELS(state),
		utc(2026, 3, 25, 10, 0, 0), utc(2026, 3, 27, 9, 0, 0)),
	    0);
	assert_int_equal(d.reply_due, utc(2026, 6, 27, 21, 59, 59));
	assert_int_equal(d.escalate_at, d.reply_due);
}

static void
test_eu_feedback_without_ack_counts_from_day_seven(void **state)
{
	struct deadline_dues d;

	assert_int_equal(deadline_compute(&d, DEADLINE_EU_WHISTLEBLOWING,
			     BRUSSELS(state), utc(2026, 3, 25, 10, 0, 0), 0),
	    0);
	assert_int_equal(d.reply_due, utc(2026, 7, 1, 21, 59, 59));
	/* From November 30, three months end on the last of February. */
	assert_int_equal(deadline_compute(&d, DEADLINE_EU_WHISTLEBLOWING,
			     BRUSSELS(state), utc(2026, 11, 23, 10, 0, 0), 0),
	    0);
	assert_int_equal(d.ack_due, utc(2026, 11, 30, 22, 59, 59));
	assert_int_equal(d.reply_due, utc(2027, 2, 28, 22, 59, 59));
}

static void
test_compute_refuses_bad_inputs_and_leaves_dues_alone(void **state)
{
	struct deadline_dues d, orig;
	int64_t sub = utc(2026, 3, 25, 10, 0, 0);

	memset(&d, 0x5a, sizeof(d));
	orig = d;
	assert_int_equal(deadline_compute(&d, DEADLINE_STATE_DISSENT,
			     NEW_YORK(state), sub, sub - 1),
	    -1);
	assert_int_equal(deadline_compute(&d, DEADLINE_STATE_DISSENT,
			     NEW_YORK(state), -1, 0),
	    -1);
	assert_int_equal(
	    deadline_compute(&d, DEADLINE_STATE_DISSENT, NULL, sub, 0), -1);
	assert_int_equal(deadline_compute(&d, (enum deadline_profile)2,
			     NEW_YORK(state), sub, 0),
	    -1);
	assert_int_equal(deadline_compute(&d, DEADLINE_EU_WHISTLEBLOWING,
			     BRUSSELS(state), INT64_MAX, 0),
	    -1);
	assert_int_equal(deadline_compute(NULL, DEADLINE_STATE_DISSENT,
			     NEW_YORK(state), sub, 0),
	    -1);
	assert_memory_equal(&d, &orig, sizeof(d));
}

static void
test_missed_when_done_after_the_due_time(void **state)
{
	struct deadline_dues d = {1000, 2000, 3000};

	(void)state;
	assert_int_equal(deadline_missed(&d, DEADLINE_ACK, 1000, 5000), 0);
	assert_int_equal(deadline_missed(&d, DEADLINE_ACK, 1001, 1001), 1);
	assert_int_equal(deadline_missed(&d, DEADLINE_REPLY, 2000, 9000), 0);
	assert_int_equal(deadline_missed(&d, DEADLINE_REPLY, 2001, 9000), 1);
}

static void
test_missed_when_not_done_and_now_is_past_the_due_time(void **state)
{
	struct deadline_dues d = {1000, 2000, 3000};

	(void)state;
	assert_int_equal(deadline_missed(&d, DEADLINE_ACK, 0, 1000), 0);
	assert_int_equal(deadline_missed(&d, DEADLINE_ACK, 0, 1001), 1);
	assert_int_equal(deadline_missed(&d, DEADLINE_REPLY, 0, 2000), 0);
	assert_int_equal(deadline_missed(&d, DEADLINE_REPLY, 0, 2001), 1);
}

static void
test_missed_escalation_is_judged_by_the_reply(void **state)
{
	struct deadline_dues d = {1000, 2000, 3000};

	(void)state;
	/* A reply late for its target but before escalation. */
	assert_int_equal(deadline_missed(&d, DEADLINE_REPLY, 2500, 9000), 1);
	assert_int_equal(
	    deadline_missed(&d, DEADLINE_ESCALATION, 2500, 9000), 0);
	assert_int_equal(
	    deadline_missed(&d, DEADLINE_ESCALATION, 3001, 9000), 1);
	assert_int_equal(deadline_missed(&d, DEADLINE_ESCALATION, 0, 3000), 0);
	assert_int_equal(deadline_missed(&d, DEADLINE_ESCALATION, 0, 3001), 1);
}

static void
test_missed_unknown_kind_is_never_missed(void **state)
{
	struct deadline_dues d = {1000, 2000, 3000};

	(void)state;
	assert_int_equal(deadline_missed(&d, 0, 0, 9000), 0);
	assert_int_equal(deadline_missed(&d, 4, 0, 9000), 0);
	assert_int_equal(deadline_missed(NULL, DEADLINE_ACK, 0, 9000), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_profile_names_round_trip),
	    cmocka_unit_test(test_profile_parse_refuses_unknown_names),
	    cmocka_unit_test(
		test_state_ack_is_due_two_working_days_after_submission),
	    cmocka_unit_test(
		test_state_reply_and_escalation_count_from_the_acknowledgement),
	    cmocka_unit_test(
		test_state_unacknowledged_counts_from_the_ack_deadline),
	    cmocka_unit_test(
		test_state_late_acknowledgement_does_not_extend_the_reply),
	    cmocka_unit_test(
		test_eu_ack_is_due_seven_calendar_days_after_submission),
	    cmocka_unit_test(
		test_eu_feedback_is_due_three_months_after_acknowledgement),
	    cmocka_unit_test(
		test_eu_feedback_without_ack_counts_from_day_seven),
	    cmocka_unit_test(
		test_compute_refuses_bad_inputs_and_leaves_dues_alone),
	    cmocka_unit_test(test_missed_when_done_after_the_due_time),
	    cmocka_unit_test(
		test_missed_when_not_done_and_now_is_past_the_due_time),
	    cmocka_unit_test(test_missed_escalation_is_judged_by_the_reply),
	    cmocka_unit_test(test_missed_unknown_kind_is_never_missed),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
