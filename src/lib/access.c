#include <stddef.h>

#include "access.h"
#include "directory.h"

/**
 * access_allowed(roles, cls):
 * Return 1 if a caller holding the ROLE_* mask ${roles} (ACCESS_NO_SESSION
 * when unauthenticated) may use an endpoint of class ${cls}, else 0.
 */
int
access_allowed(unsigned int roles, enum access_class cls)
{

	if (cls == ACCESS_PUBLIC)
		return (1);

	/* Beyond public endpoints, only a well-formed role set counts. */
	if (roles == ACCESS_NO_SESSION || !directory_roles_valid(roles))
		return (0);

	switch (cls) {
	case ACCESS_SESSION:
		return (1);
	case ACCESS_ADMIN:
		return ((roles & ROLE_ADMIN) != 0);
	case ACCESS_CONTENT:
		/* The admin runs the directory and never reaches content. */
		return ((roles & ROLE_ADMIN) == 0);
	case ACCESS_PUBLIC:
		break;
	}

	/* An unknown class is refused. */
	return (0);
}

/**
 * access_class_name(cls):
 * Return a short lowercase name of ${cls} ("public", "session", "admin",
 * "content"), or "unknown".
 */
const char *
access_class_name(enum access_class cls)
{

	switch (cls) {
	case ACCESS_PUBLIC:
		return ("public");
	case ACCESS_SESSION:
		return ("session");
	case ACCESS_ADMIN:
		return ("admin");
	case ACCESS_CONTENT:
		return ("content");
	}
	return ("unknown");
}

/* Stored relations: how a member comes to be part of a memo's audience. */
#define REL_STORED                                                             \
	(ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER | ACCESS_REL_INVITEE |      \
	    ACCESS_REL_SIGNER | ACCESS_REL_ASSIGNEE | ACCESS_REL_PRINCIPAL)
#define REL_DRAFTERS (ACCESS_REL_DRAFTER | ACCESS_REL_CODRAFTER)
#define REL_SIGNING (ACCESS_REL_INVITEE | ACCESS_REL_SIGNER)
/* Every role bit but the admin's. */
#define REL_ROLES                                                              \
	(ACCESS_REL_MEMBER | ACCESS_REL_COORDINATOR | ACCESS_REL_DIRECTOR |    \
	    ACCESS_REL_PRINCIPAL_ROLE | ACCESS_REL_AUDITOR)
#define REL_KNOWN (REL_STORED | REL_ROLES | ACCESS_REL_ADMIN)
#define MEMO_FLAGS_KNOWN                                                       \
	(ACCESS_MEMO_SUBMITTED | ACCESS_MEMO_SHOW_SIGNERS |                    \
	    ACCESS_MEMO_SIGNERS_INVITE)

static const struct {
	unsigned int role;
	unsigned int rel;
} role_rels[] = {
    {ROLE_MEMBER, ACCESS_REL_MEMBER},
    {ROLE_COORDINATOR, ACCESS_REL_COORDINATOR},
    {ROLE_DIRECTOR, ACCESS_REL_DIRECTOR},
    {ROLE_PRINCIPAL, ACCESS_REL_PRINCIPAL_ROLE},
    {ROLE_AUDITOR, ACCESS_REL_AUDITOR},
    {ROLE_ADMIN, ACCESS_REL_ADMIN},
};

static const char *const op_names[] = {
    NULL,
    "meta",
    "content",
    "key",
    "edit",
    "settings",
    "invite_signer",
    "invite_codrafter",
    "open",
    "sign",
    "signers",
    "submit",
    "withdraw",
    "accesses",
    "acknowledge",
    "approve",
    "reply",
    "replies",
    "meeting_request",
    "meeting_manage",
    "channel_key",
    "inbox",
    "stats",
    "complaint_file",
    "complaint_read",
    "channel_public",
};

/**
 * access_rel_roles(roles):
 * Return the ACCESS_REL_* role bits of the ROLE_* mask ${roles} (0 for a
 * role set that directory_roles_valid() refuses, so it reaches nothing).
 */
unsigned int
access_rel_roles(unsigned int roles)
{
	unsigned int rel = 0;
	size_t i;

	if (!directory_roles_valid(roles))
		return (0);
	for (i = 0; i < sizeof(role_rels) / sizeof(role_rels[0]); i++)
		if (roles & role_rels[i].role)
			rel |= role_rels[i].rel;
	return (rel);
}

/**
 * access_memo_allowed(op, rel, flags):
 * Return 1 if a caller with the relations ${rel} may perform ${op} on a
 * memo with the flags ${flags}, else 0.  An admin (ACCESS_REL_ADMIN) is
 * refused every operation; no relations at all (anonymous) likewise, and
 * so are relations or flags with a bit this header does not define.
 */
int
access_memo_allowed(enum access_op op, unsigned int rel, unsigned int flags)
{
	/* The channel's staff reach a memo only once it reached them. */
	unsigned int staff = (flags & ACCESS_MEMO_SUBMITTED) ? rel : 0;

	/*
	 * The admin never reaches memo data; anything not understood fails
	 * closed.
	 */
	if (rel == 0 || (rel & ACCESS_REL_ADMIN) || (rel & ~REL_KNOWN) ||
	    (flags & ~MEMO_FLAGS_KNOWN))
		return (0);

	switch (op) {
	case ACCESS_OP_META:
		return ((rel & REL_STORED) ||
			(staff & (ACCESS_REL_COORDINATOR | ACCESS_REL_DIRECTOR |
				     ACCESS_REL_AUDITOR)));
	case ACCESS_OP_CONTENT:
	case ACCESS_OP_KEY:
	case ACCESS_OP_REPLIES:
		/* Director and auditor: no content without a relation. */
		return ((rel & REL_STORED) || (staff & ACCESS_REL_COORDINATOR));
	case ACCESS_OP_EDIT:
	case ACCESS_OP_SETTINGS:
	case ACCESS_OP_OPEN:
	case ACCESS_OP_SUBMIT:
	case ACCESS_OP_WITHDRAW:
	case ACCESS_OP_INVITE_CODRAFTER:
		return ((rel & REL_DRAFTERS) != 0);
	case ACCESS_OP_INVITE_SIGNER:
		return ((rel & REL_DRAFTERS) ||
			((flags & ACCESS_MEMO_SIGNERS_INVITE) &&
			    (rel & REL_SIGNING)));
	case ACCESS_OP_SIGN:
		return ((rel & (REL_DRAFTERS | ACCESS_REL_INVITEE)) != 0);
	case ACCESS_OP_SIGNERS:
		/* Never an assignee as such: the reply needs no signers. */
		return ((rel & (REL_DRAFTERS | ACCESS_REL_PRINCIPAL)) ||
			(staff & ACCESS_REL_COORDINATOR) ||
			((flags & ACCESS_MEMO_SHOW_SIGNERS) &&
			    (rel & REL_SIGNING)));
	case ACCESS_OP_ACCESSES:
		/*
		 * The auditor's role reaches a memo once it is submitted,
		 * whatever relation its holder also has to the draft.
		 */
		return ((rel & REL_DRAFTERS) || (staff & ACCESS_REL_AUDITOR));
	case ACCESS_OP_ACKNOWLEDGE:
		return ((staff & ACCESS_REL_COORDINATOR) != 0);
	case ACCESS_OP_APPROVE:
		return ((staff & ACCESS_REL_DIRECTOR) != 0);
	case ACCESS_OP_REPLY:
		return ((staff & (ACCESS_REL_COORDINATOR |
				     ACCESS_REL_ASSIGNEE)) != 0);
	case ACCESS_OP_MEETING_REQUEST:
		return ((staff & REL_DRAFTERS) != 0);
	case ACCESS_OP_MEETING_MANAGE:
		return ((staff & (ACCESS_REL_PRINCIPAL |
				     ACCESS_REL_COORDINATOR)) != 0);
	case ACCESS_OP_CHANNEL_KEY:
		return ((rel & ACCESS_REL_COORDINATOR) != 0);
	case ACCESS_OP_INBOX:
		return ((rel & (ACCESS_REL_COORDINATOR |
				   ACCESS_REL_DIRECTOR)) != 0);
	case ACCESS_OP_STATS:
		return ((rel & (ACCESS_REL_COORDINATOR | ACCESS_REL_DIRECTOR |
				   ACCESS_REL_AUDITOR)) != 0);
	case ACCESS_OP_COMPLAINT_FILE:
		return ((rel & REL_ROLES) != 0);
	case ACCESS_OP_COMPLAINT_READ:
		return ((rel & ACCESS_REL_AUDITOR) != 0);
	case ACCESS_OP_CHANNEL_PUBLIC:
		return ((rel & REL_ROLES) != 0);
	}

	/* An unknown operation is refused. */
	return (0);
}

/**
 * access_op_name(op):
 * Return a stable lowercase name of ${op} ("meta", "content", ...), or
 * "unknown".
 */
const char *
access_op_name(enum access_op op)
{

	if (op < ACCESS_OP_META || op > ACCESS_OP_LAST)
		return ("unknown");
	return (op_names[op]);
}
