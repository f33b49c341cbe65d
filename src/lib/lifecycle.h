#ifndef LIFECYCLE_H_
#define LIFECYCLE_H_

/*
 * A memo's lifecycle (SPEC §4): which state a memo is in and which action
 * moves it where.  Who may act is access.h's business (access_memo_allowed);
 * this module only knows whether an action is legal in a state.
 *
 *   draft --open--> open
 *   draft|open --submit--> submitted
 *   draft|open|submitted --withdraw--> withdrawn          (final)
 *   submitted --acknowledge--> acknowledged
 *   submitted --redirect--> redirected
 *   acknowledged|assigned --assign--> assigned           (re-assign allowed)
 *   acknowledged|assigned|replied --reply--> replied     (follow-ups allowed)
 *   replied|redirected --close--> closed                 (final; never
 *                                    before a reply, whose deadline and
 *                                    escalation would stop)
 *   draft|open: edit (new version), invite, sign, unsign keep the state
 *   acknowledged|assigned|replied: distribute keeps the state
 *   acknowledged|assigned|replied|closed: meeting requests keep the state
 */
enum memo_state {
	MEMO_STATE_DRAFT = 1,
	MEMO_STATE_OPEN = 2,
	MEMO_STATE_SUBMITTED = 3,
	MEMO_STATE_ACKNOWLEDGED = 4,
	MEMO_STATE_REDIRECTED = 5,
	MEMO_STATE_ASSIGNED = 6,
	MEMO_STATE_REPLIED = 7,
	MEMO_STATE_CLOSED = 8,
	MEMO_STATE_WITHDRAWN = 9
};

enum memo_action {
	MEMO_ACT_OPEN = 1,
	MEMO_ACT_EDIT,
	MEMO_ACT_INVITE,
	MEMO_ACT_SIGN,   /* also re-sign */
	MEMO_ACT_UNSIGN, /* a signer withdraws a signature */
	MEMO_ACT_SUBMIT,
	MEMO_ACT_WITHDRAW,
	MEMO_ACT_ACKNOWLEDGE,
	MEMO_ACT_REDIRECT,
	MEMO_ACT_ASSIGN,
	MEMO_ACT_DISTRIBUTE,
	MEMO_ACT_REPLY,
	MEMO_ACT_CLOSE,
	MEMO_ACT_MEETING
};

/**
 * lifecycle_next(state, action, next):
 * If ${action} is legal in ${state}, store the resulting state in ${next}
 * and return 0; else return -1 (${next} untouched).
 */
int lifecycle_next(enum memo_state state, enum memo_action action,
    enum memo_state *next) __attribute__((warn_unused_result));

/**
 * lifecycle_state_name(state), lifecycle_action_name(action):
 * Stable lowercase names ("draft", "acknowledged", ...; "submit", ...), or
 * NULL if unknown.
 */
const char *lifecycle_state_name(enum memo_state state);
const char *lifecycle_action_name(enum memo_action action);

/**
 * lifecycle_state_parse(name):
 * Return the state named ${name}, or 0 if unknown.
 */
int lifecycle_state_parse(const char *name);

/**
 * lifecycle_is_submitted(state):
 * Return 1 if a memo in ${state} has been submitted (submitted and every
 * state after it except withdrawn-before-submission is a matter of the
 * caller: withdrawn returns 0), else 0.
 */
int lifecycle_is_submitted(enum memo_state state);

#endif /* !LIFECYCLE_H_ */
