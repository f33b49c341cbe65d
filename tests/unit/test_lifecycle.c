/*
 * A memo's lifecycle (src/lib/lifecycle.c): every (state, action) pair
 * against the transition table of lifecycle.h, written out again here so
 * that any change to the code shows as a failing cell; names and parsing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lifecycle.h"

/* Short names for the table. */
#define DR MEMO_STATE_DRAFT
#define OP MEMO_STATE_OPEN
#define SU MEMO_STATE_SUBMITTED
#define AK MEMO_STATE_ACKNOWLEDGED
#define RD MEMO_STATE_REDIRECTED
#define AS MEMO_STATE_ASSIGNED
#define RP MEMO_STATE_REPLIED
#define CL MEMO_STATE_CLOSED
#define WD MEMO_STATE_WITHDRAWN
/* Refused. */
#define NO 0

#define NSTATES 9
#define NACTIONS 14

/*
 * want[state - 1][action - 1]: the state after the action, or NO.
 * Columns: open, edit, invite, sign, unsign, submit, withdraw,
 * acknowledge, redirect, assign, distribute, reply, close, meeting.
 */
static const int want[NSTATES][NACTIONS] = {
    /*        op  ed  in  si  un  sb  wd  ak  rd  as  di  rp  cl  me */
    /* DR */ {OP, DR, DR, DR, DR, SU, WD, NO, NO, NO, NO, NO, NO, NO},
    /* OP */ {NO, OP, OP, OP, OP, SU, WD, NO, NO, NO, NO, NO, NO, NO},
    /* SU */ {NO, NO, NO, NO, NO, NO, WD, AK, RD, NO, NO, NO, NO, NO},
    /* AK */ {NO, NO, NO, NO, NO, NO, NO, NO, NO, AS, AK, RP, NO, AK},
    /* RD */ {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, CL, NO},
    /* AS */ {NO, NO, NO, NO, NO, NO, NO, NO, NO, AS, AS, RP, NO, AS},
    /* RP */ {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, RP, RP, CL, RP},
    /* CL */ {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, CL},
    /* WD */ {NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO, NO},
};

static void
test_every_state_and_action_follows_the_table(void **state)
{
	enum memo_state next;
	int s, a, expect, legal = 0;

	(void)state;
	for (s = 1; s <= NSTATES; s++) {
		for (a = 1; a <= NACTIONS; a++) {
			expect = want[s - 1][a - 1];
			/* A refusal leaves ${next} alone. */
			next = (enum memo_state)77;
			if (expect == NO) {
				if (lifecycle_next((enum memo_state)s,
					(enum memo_action)a, &next) != -1)
					fail_msg("%s in %s: allowed",
					    lifecycle_action_name(
						(enum memo_action)a),
					    lifecycle_state_name(
						(enum memo_state)s));
				assert_int_equal(next, 77);
				continue;
			}
			if (lifecycle_next((enum memo_state)s,
				(enum memo_action)a, &next) != 0)
				fail_msg("%s in %s: refused",
				    lifecycle_action_name((enum memo_action)a),
				    lifecycle_state_name((enum memo_state)s));
			assert_int_equal(next, expect);
			legal++;
		}
	}
	/* The table above is not empty by accident. */
	assert_int_equal(legal, 30);
}

static void
test_unknown_states_and_actions_are_refused(void **state)
{
	static const int bad_states[] = {0, NSTATES + 1, 31, 32, 1000, -1};
	static const int bad_actions[] = {0, NACTIONS + 1, 31, 32, 1000, -1};
	enum memo_state next = (enum memo_state)77;
	size_t i;
	int a, s;

	(void)state;
	for (i = 0; i < sizeof(bad_states) / sizeof(bad_states[0]); i++)
		for (a = 0; a <= NACTIONS + 1; a++)
			assert_int_equal(
			    lifecycle_next((enum memo_state)bad_states[i],
				(enum memo_action)a, &next),
			    -1);
	for (i = 0; i < sizeof(bad_actions) / sizeof(bad_actions[0]); i++)
		for (s = 1; s <= NSTATES; s++)
			assert_int_equal(
			    lifecycle_next((enum memo_state)s,
				(enum memo_action)bad_actions[i], &next),
			    -1);
	assert_int_equal(next, 77);
}

static void
test_withdrawn_and_closed_are_final(void **state)
{
	enum memo_state next;
	int a;

	(void)state;
	for (a = 1; a <= NACTIONS; a++) {
		assert_int_equal(lifecycle_next(MEMO_STATE_WITHDRAWN,
				     (enum memo_action)a, &next),
		    -1);
		/* A closed memo only takes meeting requests. */
		if (a != MEMO_ACT_MEETING)
			assert_int_equal(lifecycle_next(MEMO_STATE_CLOSED,
					     (enum memo_action)a, &next),
			    -1);
	}
}

static void
test_withdrawal_is_refused_after_acknowledgement(void **state)
{
	enum memo_state next;

	(void)state;
	assert_int_equal(
	    lifecycle_next(MEMO_STATE_SUBMITTED, MEMO_ACT_WITHDRAW, &next), 0);
	assert_int_equal(next, MEMO_STATE_WITHDRAWN);
	assert_int_equal(
	    lifecycle_next(MEMO_STATE_ACKNOWLEDGED, MEMO_ACT_WITHDRAW, &next),
	    -1);
	assert_int_equal(
	    lifecycle_next(MEMO_STATE_REDIRECTED, MEMO_ACT_WITHDRAW, &next),
	    -1);
}

static void
test_state_names_are_stable_and_parse_back(void **state)
{
	static const char *names[NSTATES] = {"draft", "open", "submitted",
	    "acknowledged", "redirected", "assigned", "replied", "closed",
	    "withdrawn"};
	int s;

	(void)state;
	for (s = 1; s <= NSTATES; s++) {
		assert_string_equal(
		    lifecycle_state_name((enum memo_state)s), names[s - 1]);
		assert_int_equal(lifecycle_state_parse(names[s - 1]), s);
	}
	assert_null(lifecycle_state_name((enum memo_state)0));
	assert_null(lifecycle_state_name((enum memo_state)(NSTATES + 1)));
}

static void
test_state_parse_refuses_unknown_names(void **state)
{

	(void)state;
	assert_int_equal(lifecycle_state_parse(""), 0);
	assert_int_equal(lifecycle_state_parse("Draft"), 0);
	assert_int_equal(lifecycle_state_parse("draft "), 0);
	assert_int_equal(lifecycle_state_parse("submit"), 0);
	assert_int_equal(lifecycle_state_parse(NULL), 0);
}

static void
test_action_names_are_stable(void **state)
{
	static const char *names[NACTIONS] = {"open", "edit", "invite", "sign",
	    "unsign", "submit", "withdraw", "acknowledge", "redirect", "assign",
	    "distribute", "reply", "close", "meeting"};
	int a;

	(void)state;
	for (a = 1; a <= NACTIONS; a++)
		assert_string_equal(
		    lifecycle_action_name((enum memo_action)a), names[a - 1]);
	assert_null(lifecycle_action_name((enum memo_action)0));
	assert_null(lifecycle_action_name((enum memo_action)(NACTIONS + 1)));
}

static void
test_is_submitted_from_submission_on_but_not_withdrawn(void **state)
{
	static const int want_submitted[NSTATES] = {0, 0, 1, 1, 1, 1, 1, 1, 0};
	int s;

	(void)state;
	for (s = 1; s <= NSTATES; s++)
		assert_int_equal(lifecycle_is_submitted((enum memo_state)s),
		    want_submitted[s - 1]);
	assert_int_equal(lifecycle_is_submitted((enum memo_state)0), 0);
	assert_int_equal(
	    lifecycle_is_submitted((enum memo_state)(NSTATES + 1)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_state_and_action_follows_the_table),
	    cmocka_unit_test(test_unknown_states_and_actions_are_refused),
	    cmocka_unit_test(test_withdrawn_and_closed_are_final),
	    cmocka_unit_test(test_withdrawal_is_refused_after_acknowledgement),
	    cmocka_unit_test(test_state_names_are_stable_and_parse_back),
	    cmocka_unit_test(test_state_parse_refuses_unknown_names),
	    cmocka_unit_test(test_action_names_are_stable),
	    cmocka_unit_test(
		test_is_submitted_from_submission_on_but_not_withdrawn),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
