#ifndef ACCESS_H_
#define ACCESS_H_

/*
 * Who may call what: the single place that decides which role set may use
 * which class of endpoint.  Every route of every front end names one class,
 * and the server asks access_allowed() before any handler runs.
 *
 * The rule behind the classes (SPEC: the admin runs the directory and never
 * sees content, grants or signer identities):
 *   ACCESS_PUBLIC   anyone, with or without a session (health, enrollment,
 *                   login);
 *   ACCESS_SESSION  any active member, admin included: the member's own
 *                   account and reads of the public directory;
 *   ACCESS_ADMIN    directory writes: only an admin;
 *   ACCESS_CONTENT  anything that carries memo data (texts, grants, signer
 *                   lists, access records): every member except an admin.
 * A role set that is not an allowed combination (directory_roles_valid())
 * reaches nothing beyond ACCESS_PUBLIC, so a corrupted or forged role mask
 * fails closed.
 */
enum access_class {
	ACCESS_PUBLIC = 0,
	ACCESS_SESSION,
	ACCESS_ADMIN,
	ACCESS_CONTENT
};

/* Role mask meaning "no session". */
#define ACCESS_NO_SESSION 0u

/**
 * access_allowed(roles, cls):
 * Return 1 if a caller holding the ROLE_* mask ${roles} (ACCESS_NO_SESSION
 * when unauthenticated) may use an endpoint of class ${cls}, else 0.
 */
int access_allowed(unsigned int roles, enum access_class cls);

/**
 * access_class_name(cls):
 * Return a short lowercase name of ${cls} ("public", "session", "admin",
 * "content"), or "unknown".
 */
const char *access_class_name(enum access_class cls);

/*
 * Memo and channel operations: who may do what to a memo is decided here
 * alone, from the caller's relations to the memo (ACCESS_REL_* bits, which
 * include the caller's roles) and the memo's flags (ACCESS_MEMO_*).  Whether
 * the memo's state allows the action is lifecycle.h's business; routes ask
 * both.  Operations that concern no memo (the channel key, the inbox,
 * statistics, complaints) take relations made of role bits only.
 */
enum access_op {
	ACCESS_OP_META = 1, /* state, counts, due dates, relations */
	ACCESS_OP_CONTENT,  /* a version's ciphertext */
	ACCESS_OP_KEY,      /* one's own grants for the memo */
	ACCESS_OP_EDIT,     /* add a version */
	ACCESS_OP_SETTINGS, /* show signers, signers may invite */
	ACCESS_OP_INVITE_SIGNER,
	ACCESS_OP_INVITE_CODRAFTER,
	ACCESS_OP_OPEN,
	ACCESS_OP_SIGN,    /* sign, re-sign, withdraw one's signature */
	ACCESS_OP_SIGNERS, /* the sealed signer records */
	ACCESS_OP_SUBMIT,
	ACCESS_OP_WITHDRAW,
	ACCESS_OP_ACCESSES,    /* who accessed the memo and when */
	ACCESS_OP_ACKNOWLEDGE, /* also redirect, assign, distribute, close */
	ACCESS_OP_APPROVE,     /* distribution beyond the standard list */
	ACCESS_OP_REPLY,
	ACCESS_OP_REPLIES, /* read replies and notes */
	ACCESS_OP_MEETING_REQUEST,
	ACCESS_OP_MEETING_MANAGE, /* schedule, record the outcome */
	ACCESS_OP_CHANNEL_KEY,    /* create or grant the channel key */
	ACCESS_OP_INBOX,
	ACCESS_OP_STATS,
	ACCESS_OP_COMPLAINT_FILE,
	ACCESS_OP_COMPLAINT_READ,
	ACCESS_OP_CHANNEL_PUBLIC  /* the channel's public key (to submit) */
};
#define ACCESS_OP_LAST ACCESS_OP_CHANNEL_PUBLIC

/* Relations of a caller to a memo (stored ones, then role bits). */
#define ACCESS_REL_DRAFTER 0x0001u /* created the memo */
#define ACCESS_REL_CODRAFTER 0x0002u
#define ACCESS_REL_INVITEE 0x0004u   /* invited to sign */
#define ACCESS_REL_SIGNER 0x0008u    /* holds a signature, current or stale */
#define ACCESS_REL_ASSIGNEE 0x0010u  /* drafts the channel's reply */
#define ACCESS_REL_PRINCIPAL 0x0020u /* the memo was distributed to them */
#define ACCESS_REL_MEMBER 0x0100u    /* role bits: ROLE_MEMBER, ... */
#define ACCESS_REL_COORDINATOR 0x0200u
#define ACCESS_REL_DIRECTOR 0x0400u
#define ACCESS_REL_PRINCIPAL_ROLE 0x0800u
#define ACCESS_REL_AUDITOR 0x1000u
#define ACCESS_REL_ADMIN 0x2000u

/* Memo flags. */
#define ACCESS_MEMO_SUBMITTED 0x1u      /* it reached the channel */
#define ACCESS_MEMO_SHOW_SIGNERS 0x2u   /* drafters show names to signers */
#define ACCESS_MEMO_SIGNERS_INVITE 0x4u /* signers may invite signers */

/**
 * access_rel_roles(roles):
 * Return the ACCESS_REL_* role bits of the ROLE_* mask ${roles} (0 for a
 * role set that directory_roles_valid() refuses, so it reaches nothing).
 */
unsigned int access_rel_roles(unsigned int roles);

/**
 * access_memo_allowed(op, rel, flags):
 * Return 1 if a caller with the relations ${rel} may perform ${op} on a
 * memo with the flags ${flags}, else 0.  An admin (ACCESS_REL_ADMIN) is
 * refused every operation; no relations at all (anonymous) likewise, and
 * so are relations or flags with a bit this header does not define.
 */
int access_memo_allowed(
    enum access_op op, unsigned int rel, unsigned int flags);

/**
 * access_op_name(op):
 * Return a stable lowercase name of ${op} ("meta", "content", ...), or
 * "unknown".
 */
const char *access_op_name(enum access_op op);

#endif /* !ACCESS_H_ */
