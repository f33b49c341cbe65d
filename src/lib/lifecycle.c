#include <stddef.h>
#include <string.h>

#include "lifecycle.h"

/* The bit of ${s} in a set of states. */
#define S(s) (1u << (s))

/* "Keep the state" as the target of a transition. */
#define SAME 0

/*
 * Every action with the states it is legal in and the state it leads to:
 * the table of lifecycle.h, one row per action.
 */
static const struct {
	enum memo_action action;
	const char *name;
	unsigned int from;
	int to;
} actions[] = {
    {MEMO_ACT_OPEN, "open", S(MEMO_STATE_DRAFT), MEMO_STATE_OPEN},
    {MEMO_ACT_EDIT, "edit", S(MEMO_STATE_DRAFT) | S(MEMO_STATE_OPEN), SAME},
    {MEMO_ACT_INVITE, "invite", S(MEMO_STATE_DRAFT) | S(MEMO_STATE_OPEN), SAME},
    {MEMO_ACT_SIGN, "sign", S(MEMO_STATE_DRAFT) | S(MEMO_STATE_OPEN), SAME},
    {MEMO_ACT_UNSIGN, "unsign", S(MEMO_STATE_DRAFT) | S(MEMO_STATE_OPEN), SAME},
    {MEMO_ACT_SUBMIT, "submit", S(MEMO_STATE_DRAFT) | S(MEMO_STATE_OPEN),
	MEMO_STATE_SUBMITTED},
    {MEMO_ACT_WITHDRAW, "withdraw",
	S(MEMO_STATE_DRAFT) | S(MEMO_STATE_OPEN) | S(MEMO_STATE_SUBMITTED),
	MEMO_STATE_WITHDRAWN},
    {MEMO_ACT_ACKNOWLEDGE, "acknowledge", S(MEMO_STATE_SUBMITTED),
	MEMO_STATE_ACKNOWLEDGED},
    {MEMO_ACT_REDIRECT, "redirect", S(MEMO_STATE_SUBMITTED),
	MEMO_STATE_REDIRECTED},
    {MEMO_ACT_ASSIGN, "assign",
	S(MEMO_STATE_ACKNOWLEDGED) | S(MEMO_STATE_ASSIGNED),
	MEMO_STATE_ASSIGNED},
    {MEMO_ACT_DISTRIBUTE, "distribute",
	S(MEMO_STATE_ACKNOWLEDGED) | S(MEMO_STATE_ASSIGNED) |
	    S(MEMO_STATE_REPLIED),
	SAME},
    {MEMO_ACT_REPLY, "reply",
	S(MEMO_STATE_ACKNOWLEDGED) | S(MEMO_STATE_ASSIGNED) |
	    S(MEMO_STATE_REPLIED),
	MEMO_STATE_REPLIED},
    /* Not before a reply: closing stops the reply deadline's clock. */
    {MEMO_ACT_CLOSE, "close", S(MEMO_STATE_REPLIED) | S(MEMO_STATE_REDIRECTED),
	MEMO_STATE_CLOSED},
    {MEMO_ACT_MEETING, "meeting",
	S(MEMO_STATE_ACKNOWLEDGED) | S(MEMO_STATE_ASSIGNED) |
	    S(MEMO_STATE_REPLIED) | S(MEMO_STATE_CLOSED),
	SAME},
};
#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

static const struct {
	enum memo_state state;
	const char *name;
} states[] = {
    {MEMO_STATE_DRAFT, "draft"},
    {MEMO_STATE_OPEN, "open"},
    {MEMO_STATE_SUBMITTED, "submitted"},
    {MEMO_STATE_ACKNOWLEDGED, "acknowledged"},
    {MEMO_STATE_REDIRECTED, "redirected"},
    {MEMO_STATE_ASSIGNED, "assigned"},
    {MEMO_STATE_REPLIED, "replied"},
    {MEMO_STATE_CLOSED, "closed"},
    {MEMO_STATE_WITHDRAWN, "withdrawn"},
};
#define NSTATES (sizeof(states) / sizeof(states[0]))

/* Is ${state} one of the states above? */
static int
state_known(enum memo_state state)
{
	size_t i;

	for (i = 0; i < NSTATES; i++)
		if (states[i].state == state)
			return (1);
	return (0);
}

/**
 * lifecycle_next(state, action, next):
 * If ${action} is legal in ${state}, store the resulting state in ${next}
 * and return 0; else return -1 (${next} untouched).
 */
int
lifecycle_next(
    enum memo_state state, enum memo_action action, enum memo_state *next)
{
	size_t i;

	/* Also keeps the shift below within the width of an unsigned int. */
	if (!state_known(state))
		return (-1);
	for (i = 0; i < NACTIONS; i++) {
		if (actions[i].action != action)
			continue;
		if ((actions[i].from & S(state)) == 0)
			return (-1);
		*next = actions[i].to == SAME ? state
					      : (enum memo_state)actions[i].to;
		return (0);
	}

	/* An unknown action. */
	return (-1);
}

/**
 * lifecycle_state_name(state), lifecycle_action_name(action):
 * Stable lowercase names ("draft", "acknowledged", ...; "submit", ...), or
 * NULL if unknown.
 */
const char *
lifecycle_state_name(enum memo_state state)
{
	size_t i;

	for (i = 0; i < NSTATES; i++)
		if (states[i].state == state)
			return (states[i].name);
	return (NULL);
}

const char *
lifecycle_action_name(enum memo_action action)
{
	size_t i;

	for (i = 0; i < NACTIONS; i++)
		if (actions[i].action == action)
			return (actions[i].name);
	return (NULL);
}

/**
 * lifecycle_state_parse(name):
 * Return the state named ${name}, or 0 if unknown.
 */
int
lifecycle_state_parse(const char *name)
{
	size_t i;

	if (name == NULL)
		return (0);
	for (i = 0; i < NSTATES; i++)
		if (strcmp(states[i].name, name) == 0)
			return ((int)states[i].state);
	return (0);
}

/**
 * lifecycle_is_submitted(state):
 * Return 1 if a memo in ${state} has been submitted (submitted and every
 * state after it except withdrawn-before-submission is a matter of the
 * caller: withdrawn returns 0), else 0.
 */
int
lifecycle_is_submitted(enum memo_state state)
{

	switch (state) {
	case MEMO_STATE_SUBMITTED:
	case MEMO_STATE_ACKNOWLEDGED:
	case MEMO_STATE_REDIRECTED:
	case MEMO_STATE_ASSIGNED:
	case MEMO_STATE_REPLIED:
	case MEMO_STATE_CLOSED:
		return (1);
	case MEMO_STATE_DRAFT:
	case MEMO_STATE_OPEN:
	case MEMO_STATE_WITHDRAWN:
		break;
	}
	return (0);
}
