/*
 * The access matrix (src/lib/access.c): every role set against every
 * endpoint class, and every memo operation against every relation and
 * every combination of memo flags.  The admin runs the directory and never
 * reaches content, grants or signers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "access.h"
#include "directory.h"

#define M ROLE_MEMBER

static const struct {
	const char *who;
	unsigned int roles;
	int pub, session, admin, content;
} matrix[] = {
    {"no session", ACCESS_NO_SESSION, 1, 0, 0, 0},
    {"member", M, 1, 1, 0, 1},
    {"coordinator", M | ROLE_COORDINATOR, 1, 1, 0, 1},
    {"director", M | ROLE_DIRECTOR, 1, 1, 0, 1},
    {"principal", M | ROLE_PRINCIPAL, 1, 1, 0, 1},
    {"auditor", M | ROLE_AUDITOR, 1, 1, 0, 1},
    {"coordinator+director", M | ROLE_COORDINATOR | ROLE_DIRECTOR, 1, 1, 0, 1},
    {"every non-admin role", ROLE_ALL & ~ROLE_ADMIN, 1, 1, 0, 1},
    {"admin", ROLE_ADMIN, 1, 1, 1, 0},
    /* Role sets the directory never allows fail closed. */
    {"admin+member", ROLE_ADMIN | M, 1, 0, 0, 0},
    {"admin+coordinator", ROLE_ADMIN | M | ROLE_COORDINATOR, 1, 0, 0, 0},
    {"coordinator without member", ROLE_COORDINATOR, 1, 0, 0, 0},
    {"unknown bit", M | 0x40u, 1, 0, 0, 0},
    {"every bit", 0xffffffffu, 1, 0, 0, 0},
};

static void
test_public_is_open_to_everyone(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		assert_int_equal(access_allowed(matrix[i].roles, ACCESS_PUBLIC),
		    matrix[i].pub);
}

static void
test_session_is_any_valid_member_including_admin(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		assert_int_equal(
		    access_allowed(matrix[i].roles, ACCESS_SESSION),
		    matrix[i].session);
}

static void
test_admin_class_is_only_the_admin(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		assert_int_equal(access_allowed(matrix[i].roles, ACCESS_ADMIN),
		    matrix[i].admin);
}

static void
test_content_is_refused_to_the_admin(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++)
		assert_int_equal(
		    access_allowed(matrix[i].roles, ACCESS_CONTENT),
		    matrix[i].content);
	assert_int_equal(access_allowed(ROLE_ADMIN, ACCESS_CONTENT), 0);
}

static void
test_unknown_class_is_refused(void **state)
{
	(void)state;
	assert_int_equal(access_allowed(M, (enum access_class)99), 0);
	assert_int_equal(access_allowed(ROLE_ADMIN, (enum access_class)99), 0);
}

static void
test_class_names(void **state)
{
	(void)state;
	assert_string_equal(access_class_name(ACCESS_PUBLIC), "public");
	assert_string_equal(access_class_name(ACCESS_SESSION), "session");
	assert_string_equal(access_class_name(ACCESS_ADMIN), "admin");
	assert_string_equal(access_class_name(ACCESS_CONTENT), "content");
	assert_string_equal(
	    access_class_name((enum access_class)99), "unknown");
}

/*
 * The memo matrix.  Columns, one relation each: drafter, codrafter,
 * invitee, signer, assignee, principal (distributed to), then the role
 * bits member, coordinator, director, principal role, auditor, admin.
 * A cell says for which memo flags the operation is allowed:
 *   Y always   . never   S only once submitted
 *   I only when signers may invite   V only when signers are shown
 */
static const unsigned int cols[] = {ACCESS_REL_DRAFTER, ACCESS_REL_CODRAFTER,
    ACCESS_REL_INVITEE, ACCESS_REL_SIGNER, ACCESS_REL_ASSIGNEE,
    ACCESS_REL_PRINCIPAL, ACCESS_REL_MEMBER, ACCESS_REL_COORDINATOR,
    ACCESS_REL_DIRECTOR, ACCESS_REL_PRINCIPAL_ROLE, ACCESS_REL_AUDITOR,
    ACCESS_REL_ADMIN};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))
#define FLAGS_ALL                                                              \
	(ACCESS_MEMO_SUBMITTED | ACCESS_MEMO_SHOW_SIGNERS |                    \
	    ACCESS_MEMO_SIGNERS_INVITE)

static const struct {
	enum access_op op;
	const char *cells;
} memo_matrix[] = {
    /*                           DCISAP mcdpaX */
    {ACCESS_OP_META, /*         */ "YYYYYY.SS.S."},
    {ACCESS_OP_CONTENT, /*      */ "YYYYYY.S...."},
    {ACCESS_OP_KEY, /*          */ "YYYYYY.S...."},
    {ACCESS_OP_EDIT, /*         */ "YY.........."},
    {ACCESS_OP_SETTINGS, /*     */ "YY.........."},
    {ACCESS_OP_INVITE_SIGNER, /**/ "YYII........"},
    {ACCESS_OP_INVITE_CODRAFTER, "YY.........."},
    {ACCESS_OP_OPEN, /*         */ "YY.........."},
    {ACCESS_OP_SIGN, /*         */ "YYY........."},
    {ACCESS_OP_SIGNERS, /*      */ "YYVV.Y.S...."},
    {ACCESS_OP_SUBMIT, /*       */ "YY.........."},
    {ACCESS_OP_WITHDRAW, /*     */ "YY.........."},
    {ACCESS_OP_ACCESSES, /*     */ "YY........S."},
    {ACCESS_OP_ACKNOWLEDGE, /*  */ ".......S...."},
    {ACCESS_OP_APPROVE, /*      */ "........S..."},
    {ACCESS_OP_REPLY, /*        */ "....S..S...."},
    {ACCESS_OP_REPLIES, /*      */ "YYYYYY.S...."},
    {ACCESS_OP_MEETING_REQUEST, "SS.........."},
    {ACCESS_OP_MEETING_MANAGE, ".....S.S...."},
    {ACCESS_OP_CHANNEL_KEY, /*  */ ".......Y...."},
    {ACCESS_OP_INBOX, /*        */ ".......YY..."},
    {ACCESS_OP_STATS, /*        */ ".......YY.Y."},
    {ACCESS_OP_COMPLAINT_FILE, "......YYYYY."},
    {ACCESS_OP_COMPLAINT_READ, "..........Y."},
    {ACCESS_OP_CHANNEL_PUBLIC, "......YYYYY."},
};
#define NOPS (sizeof(memo_matrix) / sizeof(memo_matrix[0]))

/* What the cell ${c} allows under the memo flags ${flags}. */
static int
cell_allows(char c, unsigned int flags)
{

	switch (c) {
	case 'Y':
		return (1);
	case '.':
		return (0);
	case 'S':
		return ((flags & ACCESS_MEMO_SUBMITTED) != 0);
	case 'I':
		return ((flags & ACCESS_MEMO_SIGNERS_INVITE) != 0);
	case 'V':
		return ((flags & ACCESS_MEMO_SHOW_SIGNERS) != 0);
	default:
		fail_msg("bad cell '%c'", c);
	}
	return (0);
}

/* The expected answer for the relations ${rel} (no admin bit). */
static int
expected(size_t row, unsigned int rel, unsigned int flags)
{
	size_t k;

	for (k = 0; k < NCOLS; k++)
		if ((rel & cols[k]) &&
		    cell_allows(memo_matrix[row].cells[k], flags))
			return (1);
	return (0);
}

static void
test_memo_matrix_covers_every_operation(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(NOPS, ACCESS_OP_LAST);
	for (i = 0; i < NOPS; i++) {
		assert_int_equal(memo_matrix[i].op, i + 1);
		assert_int_equal(strlen(memo_matrix[i].cells), NCOLS);
	}
}

static void
test_memo_matrix_every_operation_relation_and_flags(void **state)
{
	unsigned int flags;
	size_t i, k;
	int got, want;

	(void)state;
	for (i = 0; i < NOPS; i++)
		for (k = 0; k < NCOLS; k++)
			for (flags = 0; flags <= FLAGS_ALL; flags++) {
				want =
				    cell_allows(memo_matrix[i].cells[k], flags);
				got = access_memo_allowed(
				    memo_matrix[i].op, cols[k], flags);
				if (got != want)
					fail_msg("%s by 0x%04x, flags %u: "
						 "got %d, want %d",
					    access_op_name(memo_matrix[i].op),
					    cols[k], flags, got, want);
			}
}

static void
test_memo_relations_combine_as_a_union(void **state)
{
	unsigned int flags, rel;
	size_t i, j, k;

	(void)state;
	/* Every pair of relations other than the admin's. */
	for (i = 0; i < NOPS; i++)
		for (j = 0; j + 1 < NCOLS; j++)
			for (k = j + 1; k + 1 < NCOLS; k++)
				for (flags = 0; flags <= FLAGS_ALL; flags++) {
					rel = cols[j] | cols[k];
					assert_int_equal(
					    access_memo_allowed(
						memo_matrix[i].op, rel, flags),
					    expected(i, rel, flags));
				}
}

static void
test_memo_admin_with_any_other_bits_is_refused(void **state)
{
	unsigned int flags, sub, rel;
	size_t i, k;

	(void)state;
	/* Every subset of the other relations, with the admin bit. */
	for (sub = 0; sub < (1u << (NCOLS - 1)); sub++) {
		rel = ACCESS_REL_ADMIN;
		for (k = 0; k + 1 < NCOLS; k++)
			if (sub & (1u << k))
				rel |= cols[k];
		for (i = 0; i < NOPS; i++)
			for (flags = 0; flags <= FLAGS_ALL; flags++)
				assert_int_equal(
				    access_memo_allowed(
					memo_matrix[i].op, rel, flags),
				    0);
	}
}

static void
test_memo_anonymous_is_refused(void **state)
{
	unsigned int flags;
	size_t i;

	(void)state;
	for (i = 0; i < NOPS; i++)
		for (flags = 0; flags <= FLAGS_ALL; flags++)
			assert_int_equal(
			    access_memo_allowed(memo_matrix[i].op, 0, flags),
			    0);
}

static void
test_memo_unknown_bits_and_operations_are_refused(void **state)
{
	unsigned int all = 0;
	size_t i, k;

	(void)state;
	for (k = 0; k + 1 < NCOLS; k++)
		all |= cols[k];
	for (i = 0; i < NOPS; i++) {
		/* Allowed with every relation and flag ... */
		if (!access_memo_allowed(memo_matrix[i].op, all, FLAGS_ALL))
			fail_msg("%s refused to every relation",
			    access_op_name(memo_matrix[i].op));
		/* ... but not with a bit nobody defined. */
		assert_int_equal(access_memo_allowed(memo_matrix[i].op,
				     all | 0x4000u, FLAGS_ALL),
		    0);
		assert_int_equal(access_memo_allowed(memo_matrix[i].op,
				     all | 0x80000000u, FLAGS_ALL),
		    0);
		assert_int_equal(access_memo_allowed(
				     memo_matrix[i].op, all, FLAGS_ALL | 0x8u),
		    0);
	}
	assert_int_equal(access_memo_allowed((enum access_op)0, all, 0), 0);
	assert_int_equal(
	    access_memo_allowed(
		(enum access_op)(ACCESS_OP_LAST + 1), all, FLAGS_ALL),
	    0);
}

static void
test_memo_admin_alone_reaches_nothing(void **state)
{

	(void)state;
	assert_int_equal(access_memo_allowed(ACCESS_OP_CONTENT,
			     ACCESS_REL_ADMIN, ACCESS_MEMO_SUBMITTED),
	    0);
	assert_int_equal(access_memo_allowed(ACCESS_OP_KEY, ACCESS_REL_ADMIN,
			     ACCESS_MEMO_SUBMITTED),
	    0);
	assert_int_equal(
	    access_memo_allowed(ACCESS_OP_SIGNERS, ACCESS_REL_ADMIN, FLAGS_ALL),
	    0);
	assert_int_equal(
	    access_memo_allowed(ACCESS_OP_META, ACCESS_REL_ADMIN, FLAGS_ALL),
	    0);
}

static void
test_memo_assignee_reads_content_but_never_signers(void **state)
{
	unsigned int flags;

	(void)state;
	for (flags = 0; flags <= FLAGS_ALL; flags++) {
		assert_int_equal(
		    access_memo_allowed(ACCESS_OP_CONTENT,
			ACCESS_REL_ASSIGNEE | ACCESS_REL_MEMBER, flags),
		    1);
		assert_int_equal(
		    access_memo_allowed(ACCESS_OP_SIGNERS,
			ACCESS_REL_ASSIGNEE | ACCESS_REL_MEMBER, flags),
		    0);
	}
}

static void
test_memo_director_and_auditor_read_no_content_without_a_relation(void **state)
{
	unsigned int rel =
	    ACCESS_REL_MEMBER | ACCESS_REL_DIRECTOR | ACCESS_REL_AUDITOR;

	(void)state;
	assert_int_equal(
	    access_memo_allowed(ACCESS_OP_META, rel, ACCESS_MEMO_SUBMITTED), 1);
	assert_int_equal(
	    access_memo_allowed(ACCESS_OP_CONTENT, rel, ACCESS_MEMO_SUBMITTED),
	    0);
	assert_int_equal(
	    access_memo_allowed(ACCESS_OP_KEY, rel, ACCESS_MEMO_SUBMITTED), 0);
	assert_int_equal(
	    access_memo_allowed(ACCESS_OP_SIGNERS, rel, ACCESS_MEMO_SUBMITTED),
	    0);
	/* Once distributed to the director, the relation gives content. */
	assert_int_equal(access_memo_allowed(ACCESS_OP_CONTENT,
			     rel | ACCESS_REL_PRINCIPAL, ACCESS_MEMO_SUBMITTED),
	    1);
}

static void
test_memo_auditor_invitee_reads_no_accesses_before_submission(void **state)
{
	unsigned int rel = ACCESS_REL_MEMBER | ACCESS_REL_AUDITOR |
			   ACCESS_REL_INVITEE | ACCESS_REL_SIGNER;

	(void)state;
	/* Related to a draft as a signer, the auditor is only a signer ... */
	assert_int_equal(
	    access_memo_allowed(ACCESS_OP_ACCESSES, rel,
		ACCESS_MEMO_SHOW_SIGNERS | ACCESS_MEMO_SIGNERS_INVITE),
	    0);
	/* ... and reads the access records once the memo is submitted. */
	assert_int_equal(
	    access_memo_allowed(ACCESS_OP_ACCESSES, rel, ACCESS_MEMO_SUBMITTED),
	    1);
}

static void
test_memo_channel_sees_nothing_before_submission(void **state)
{
	unsigned int rel =
	    ACCESS_REL_MEMBER | ACCESS_REL_COORDINATOR | ACCESS_REL_DIRECTOR;
	size_t i;

	(void)state;
	for (i = 0; i < NOPS; i++) {
		/* Operations that concern no memo do not look at flags. */
		if (memo_matrix[i].op >= ACCESS_OP_CHANNEL_KEY)
			continue;
		assert_int_equal(
		    access_memo_allowed(memo_matrix[i].op, rel,
			ACCESS_MEMO_SHOW_SIGNERS | ACCESS_MEMO_SIGNERS_INVITE),
		    0);
	}
}

static void
test_rel_roles_maps_every_valid_role_set(void **state)
{
	static const struct {
		unsigned int role, rel;
	} bits[] = {
	    {ROLE_MEMBER, ACCESS_REL_MEMBER},
	    {ROLE_COORDINATOR, ACCESS_REL_COORDINATOR},
	    {ROLE_DIRECTOR, ACCESS_REL_DIRECTOR},
	    {ROLE_PRINCIPAL, ACCESS_REL_PRINCIPAL_ROLE},
	    {ROLE_AUDITOR, ACCESS_REL_AUDITOR},
	    {ROLE_ADMIN, ACCESS_REL_ADMIN},
	};
	unsigned int roles, want;
	size_t k;
	int valid = 0;

	(void)state;
	for (roles = 0; roles <= 0xffu; roles++) {
		if (!directory_roles_valid(roles)) {
			assert_int_equal(access_rel_roles(roles), 0);
			continue;
		}
		want = 0;
		for (k = 0; k < sizeof(bits) / sizeof(bits[0]); k++)
			if (roles & bits[k].role)
				want |= bits[k].rel;
		assert_int_equal(access_rel_roles(roles), want);
		valid++;
	}
	/* Member with any of 4 roles (16 sets), and the admin alone. */
	assert_int_equal(valid, 17);
	assert_int_equal(access_rel_roles(ROLE_ADMIN), ACCESS_REL_ADMIN);
	assert_int_equal(access_rel_roles(ROLE_ADMIN | M), 0);
	assert_int_equal(access_rel_roles(0xffffffffu), 0);
}

static void
test_op_names(void **state)
{
	static const char *names[] = {"meta", "content", "key", "edit",
	    "settings", "invite_signer", "invite_codrafter", "open", "sign",
	    "signers", "submit", "withdraw", "accesses", "acknowledge",
	    "approve", "reply", "replies", "meeting_request", "meeting_manage",
	    "channel_key", "inbox", "stats", "complaint_file",
	    "complaint_read", "channel_public"};
	size_t i;

	(void)state;
	assert_int_equal(sizeof(names) / sizeof(names[0]), ACCESS_OP_LAST);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(
		    access_op_name((enum access_op)(i + 1)), names[i]);
	assert_string_equal(access_op_name((enum access_op)0), "unknown");
	assert_string_equal(
	    access_op_name((enum access_op)(ACCESS_OP_LAST + 1)), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_public_is_open_to_everyone),
	    cmocka_unit_test(test_session_is_any_valid_member_including_admin),
	    cmocka_unit_test(test_admin_class_is_only_the_admin),
	    cmocka_unit_test(test_content_is_refused_to_the_admin),
	    cmocka_unit_test(test_unknown_class_is_refused),
	    cmocka_unit_test(test_class_names),
	    cmocka_unit_test(test_memo_matrix_covers_every_operation),
	    cmocka_unit_test(
		test_memo_matrix_every_operation_relation_and_flags),
	    cmocka_unit_test(test_memo_relations_combine_as_a_union),
	    cmocka_unit_test(test_memo_admin_with_any_other_bits_is_refused),
	    cmocka_unit_test(test_memo_anonymous_is_refused),
	    cmocka_unit_test(test_memo_unknown_bits_and_operations_are_refused),
	    cmocka_unit_test(test_memo_admin_alone_reaches_nothing),
	    cmocka_unit_test(
		test_memo_assignee_reads_content_but_never_signers),
	    cmocka_unit_test(
		test_memo_director_and_auditor_read_no_content_without_a_relation),
	    cmocka_unit_test(
		test_memo_auditor_invitee_reads_no_accesses_before_submission),
	    cmocka_unit_test(test_memo_channel_sees_nothing_before_submission),
	    cmocka_unit_test(test_rel_roles_maps_every_valid_role_set),
	    cmocka_unit_test(test_op_names),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
