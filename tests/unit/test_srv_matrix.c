/*
 * Access control as one matrix (issue 3, item 9): every route of
 * routes_table against every relationship a caller can have to a memo,
 * each cell a real request handed to the dispatcher of a real instance,
 * with a body that would succeed for an allowed caller (real keys, real
 * ciphertext, real signatures), and the status compared with the
 * expectation written out in the table below.
 *
 * The table is checked four ways: every route of routes_table has a row
 * and every row names a route (test_every_route_has_a_matrix_row); the
 * rules of SPEC and docs/API.md hold over the table (admin, anonymous,
 * unrelated members, principals without distribution;
 * test_matrix_states_the_rules); the table agrees with what
 * access_memo_allowed() decides for each route's documented operation
 * (test_access_table_agrees_with_the_matrix); and the server answers every
 * cell as the table says (test_every_cell_answers_as_the_matrix_says).
 *
 * Cells that change state run, when allowed, on a target built for that
 * cell alone (a fresh memo in the same state with the same relations, a
 * fresh meeting, a fresh pending member), so that no cell disturbs
 * another.  Routes that change the caller's own account (TOTP, password,
 * key rotation, logout) run last, in an order that keeps each member's
 * session alive until its logout.
 *
 * With DISSENT_MATRIX_MD set to a file name, the matrix is also written
 * there as a Markdown table (docs/parts/w4-matrix.md is made that way).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "access.h"
#include "account.h"
#include "aead.h"
#include "b64.h"
#include "binenc.h"
#include "config.h"
#include "custody.h"
#include "directory.h"
#include "grant.h"
#include "http.h"
#include "instance.h"
#include "jsonin.h"
#include "keys.h"
#include "log.h"
#include "memo.h"
#include "ring.h"
#include "routes.h"
#include "server.h"
#include "totp.h"

/* The relationships: the matrix's columns. */
enum rel {
	R_DRAFTER = 0,
	R_CODRAFTER,
	R_INVITEE,
	R_SIGNER,
	R_UNRELATED,
	R_COORD,
	R_ASSIGNEE,
	R_DIRECTOR,
	R_P1, /* a principal the memo was distributed to */
	R_P2, /* a principal it was not distributed to */
	R_AUDITOR,
	R_ADMIN,
	R_ANON,
	NREL
};

static const char *const rel_names[NREL] = {"drafter", "co-drafter", "invitee",
    "signer", "unrelated member", "coordinator", "assignee", "director",
    "principal (distributed)", "principal (not distributed)", "auditor",
    "admin", "anonymous"};

/* The columns' headings in the Markdown table. */
static const char *const rel_short[NREL] = {"D", "CD", "INV", "SG", "U", "C",
    "AS", "DIR", "P1", "P2", "AUD", "ADM", "ANON"};

/* The ROLE_* set of each relationship's member. */
static const unsigned int rel_roles[NREL] = {ROLE_MEMBER, ROLE_MEMBER,
    ROLE_MEMBER, ROLE_MEMBER, ROLE_MEMBER, ROLE_MEMBER | ROLE_COORDINATOR,
    ROLE_MEMBER, ROLE_MEMBER | ROLE_DIRECTOR, ROLE_MEMBER | ROLE_PRINCIPAL,
    ROLE_MEMBER | ROLE_PRINCIPAL, ROLE_MEMBER | ROLE_AUDITOR, ROLE_ADMIN,
    ACCESS_NO_SESSION};

/*
 * What a cell acts on.  Every memo is drafted by the drafter, co-drafted by
 * the co-drafter, has the invitee and the signer invited as signers and the
 * signer's signature; from T_ASG on it was acknowledged, assigned to the
 * assignee, distributed to principal P1 (on the standard list) and asked
 * for P2 (off the list: pending the director's approval, so P2 holds no
 * relation).
 */
enum target {
	T_NONE = 0,
	T_DRAFT,     /* draft */
	T_OPEN,      /* open, with a signature */
	T_SUB,       /* submitted */
	T_ASG,       /* acknowledged, assigned, distributed: "assigned" */
	T_REP,       /* replied (by the assignee) */
	T_CLO,       /* closed after the reply */
	T_MEETING,   /* the drafter's meeting with P1 on a T_ASG memo */
	T_PENDING,   /* a member pending enrollment, with its code */
	T_SUSPENDED, /* a suspended member */
	T_VICTIM,    /* an enrolled member the directory cells act on */
	NTARGET
};

static const char *const target_names[NTARGET] = {"", "draft", "open",
    "submitted", "assigned", "replied", "closed", "meeting", "pending member",
    "suspended member", "member"};

/* One row: a route, what it acts on, and the status of every column. */
struct row {
	const char *method;
	const char *pattern;
	int target;
	/*
	 * Allowed (2xx) cells run on a fresh target (2: everyone signed; 3:
	 * with an anonymous signature by the extra member).
	 */
	int fresh;
	/*
	 * The operation docs/API.md names for the route (0: the access class
	 * alone decides), a role-only gate checked before the memo is looked
	 * at, and an alternative operation that also allows.
	 */
	enum access_op op, gate, alt;
	/* "200", "409 invalid_state" (allowed), or "401"/"403"/"404". */
	const char *expect[NREL];
	/* Why the row deviates from access.c or the contract ("BUG: ..."). */
	const char *note;
};

#define NONE ((enum access_op)0)
/* Columns: D CD INV SG U C AS DIR P1 P2 AUD ADM ANON. */
#define EVERYONE(s) s, s, s, s, s, s, s, s, s, s, s, s, s
#define SESSION(s) s, s, s, s, s, s, s, s, s, s, s, s, "401"
#define MEMBERS(s) s, s, s, s, s, s, s, s, s, s, s, "403", "401"
#define ADMINS(s)                                                              \
	"403", "403", "403", "403", "403", "403", "403", "403", "403", "403",  \
	    "403", s, "401"
/* Everyone related to a memo from T_ASG on, by relation or channel role. */
#define META_ASG(s) s, s, s, s, "404", s, s, s, s, "404", s, "403", "401"
/* Public, and refusing every session: only the anonymous column is let in. */
#define UNIDENTIFIED(s)                                                        \
	"400 identified_request", "400 identified_request",                    \
	    "400 identified_request", "400 identified_request",                \
	    "400 identified_request", "400 identified_request",                \
	    "400 identified_request", "400 identified_request",                \
	    "400 identified_request", "400 identified_request",                \
	    "400 identified_request", "400 identified_request", s
/* A memo before submission: the drafting relations only. */
#define PRE(d, cd, inv, sg)                                                    \
	d, cd, inv, sg, "404", "404", "404", "404", "404", "404", "404",       \
	    "403", "401"

static const struct row rows[] = {
    /* Public. */
    {"GET", "/api/v1/health", T_NONE, 0, NONE, NONE, NONE, {EVERYONE("200")},
	NULL},
    {"GET", "/api/v1/instance", T_NONE, 0, NONE, NONE, NONE, {EVERYONE("200")},
	NULL},
    {"POST", "/api/v1/enroll/lookup", T_PENDING, 0, NONE, NONE, NONE,
	{EVERYONE("200")}, NULL},
    {"POST", "/api/v1/enroll", T_PENDING, 1, NONE, NONE, NONE,
	{EVERYONE("201")}, NULL},
    {"POST", "/api/v1/auth/params", T_VICTIM, 0, NONE, NONE, NONE,
	{EVERYONE("200")}, NULL},
    {"POST", "/api/v1/auth/login", T_VICTIM, 0, NONE, NONE, NONE,
	{EVERYONE("200")}, NULL},
    {"POST", "/api/v1/auth/recovery/fetch", T_VICTIM, 0, NONE, NONE, NONE,
	{EVERYONE("200")}, NULL},
    {"POST", "/api/v1/auth/recovery/reset", T_VICTIM, 0, NONE, NONE, NONE,
	{EVERYONE("204")}, NULL},

    /* The caller's own account (all but the first run after everything). */
    {"GET", "/api/v1/auth/session", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},
    {"POST", "/api/v1/auth/totp/setup", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},
    {"POST", "/api/v1/auth/totp/enable", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("204")}, NULL},
    {"POST", "/api/v1/auth/totp/disable", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("204")}, NULL},
    {"POST", "/api/v1/auth/password", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("204")}, NULL},
    {"POST", "/api/v1/keys/rotate", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},
    {"POST", "/api/v1/auth/logout", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("204")}, NULL},

    /* The directory and the log: reads for every session, writes admin. */
    {"GET", "/api/v1/members/{id}/keys", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},
    {"GET", "/api/v1/orgs", T_NONE, 0, NONE, NONE, NONE, {SESSION("200")},
	NULL},
    {"POST", "/api/v1/orgs", T_NONE, 0, NONE, NONE, NONE, {ADMINS("201")},
	NULL},
    {"GET", "/api/v1/members", T_NONE, 0, NONE, NONE, NONE, {SESSION("200")},
	NULL},
    {"POST", "/api/v1/members", T_NONE, 0, NONE, NONE, NONE, {ADMINS("201")},
	NULL},
    {"GET", "/api/v1/members/{id}", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},
    {"PATCH", "/api/v1/members/{id}", T_VICTIM, 0, NONE, NONE, NONE,
	{ADMINS("200")}, NULL},
    {"POST", "/api/v1/members/{id}/suspend", T_PENDING, 1, NONE, NONE, NONE,
	{ADMINS("200")}, NULL},
    {"POST", "/api/v1/members/{id}/reinstate", T_SUSPENDED, 1, NONE, NONE, NONE,
	{ADMINS("200")}, NULL},
    {"POST", "/api/v1/members/{id}/enrollment", T_PENDING, 1, NONE, NONE, NONE,
	{ADMINS("200")}, NULL},
    {"GET", "/api/v1/log/head", T_NONE, 0, NONE, NONE, NONE, {SESSION("200")},
	NULL},
    {"GET", "/api/v1/log/heads/{size}", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},
    {"GET", "/api/v1/log/entries", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},
    {"GET", "/api/v1/log/inclusion", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},
    {"GET", "/api/v1/log/consistency", T_NONE, 0, NONE, NONE, NONE,
	{SESSION("200")}, NULL},

    /* Memos. */
    {"GET", "/api/v1/memos", T_NONE, 0, NONE, NONE, NONE, {MEMBERS("200")},
	NULL},
    {"POST", "/api/v1/memos", T_NONE, 0, NONE, NONE, NONE, {MEMBERS("201")},
	NULL},
    {"GET", "/api/v1/memos/{id}", T_OPEN, 0, ACCESS_OP_META, NONE, NONE,
	{PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}", T_ASG, 0, ACCESS_OP_META, NONE, NONE,
	{META_ASG("200")}, NULL},
    {"GET", "/api/v1/memos/{id}", T_CLO, 0, ACCESS_OP_META, NONE, NONE,
	{META_ASG("200")}, NULL},
    {"GET", "/api/v1/memos/{id}/versions", T_OPEN, 0, ACCESS_OP_META, NONE,
	NONE, {PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}/versions", T_ASG, 0, ACCESS_OP_META, NONE, NONE,
	{META_ASG("200")}, NULL},
    {"POST", "/api/v1/memos/{id}/versions", T_OPEN, 1, ACCESS_OP_EDIT, NONE,
	NONE, {PRE("201", "201", "403", "403")}, NULL},
    {"POST", "/api/v1/memos/{id}/versions", T_SUB, 0, ACCESS_OP_EDIT, NONE,
	NONE,
	{"409 invalid_state", "409 invalid_state", "403", "403", "404", "403",
	    "404", "403", "404", "404", "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/memos/{id}/versions/{n}", T_OPEN, 0, ACCESS_OP_CONTENT,
	NONE, NONE, {PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}/versions/{n}", T_ASG, 0, ACCESS_OP_CONTENT,
	NONE, NONE,
	{"200", "200", "200", "200", "404", "200", "200", "403", "200", "404",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/memos/{id}/grants", T_OPEN, 0, ACCESS_OP_KEY, NONE, NONE,
	{PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}/grants", T_ASG, 0, ACCESS_OP_KEY, NONE, NONE,
	{"200", "200", "200", "200", "404", "200", "200", "403", "200", "404",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/memos/{id}/grants", T_CLO, 0, ACCESS_OP_KEY, NONE, NONE,
	{"200", "200", "200", "200", "404", "200", "200", "403", "200", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/open", T_DRAFT, 1, ACCESS_OP_OPEN, NONE, NONE,
	{PRE("200", "200", "403", "403")}, NULL},
    {"PUT", "/api/v1/memos/{id}/settings", T_OPEN, 0, ACCESS_OP_SETTINGS, NONE,
	NONE, {PRE("200", "200", "403", "403")}, NULL},
    {"PUT", "/api/v1/memos/{id}/settings", T_SUB, 0, ACCESS_OP_SETTINGS, NONE,
	NONE,
	{"409 invalid_state", "409 invalid_state", "403", "403", "404", "403",
	    "404", "403", "404", "404", "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/invitations", T_OPEN, 1,
	ACCESS_OP_INVITE_SIGNER, NONE, NONE, {PRE("201", "201", "403", "403")},
	NULL},
    {"GET", "/api/v1/invitations", T_NONE, 0, NONE, NONE, NONE,
	{MEMBERS("200")}, NULL},
    /*
     * Every matrix memo holds a named signature, so its names are never
     * shown: drafters get as far as that check (test_srv_memos.c makes
     * the grants).
     */
    {"GET", "/api/v1/memos/{id}/roster-grants", T_OPEN, 0, ACCESS_OP_SETTINGS,
	NONE, NONE, {PRE("409 names_hidden", "409 names_hidden", "403", "403")},
	NULL},
    {"POST", "/api/v1/memos/{id}/roster-grants", T_OPEN, 0, ACCESS_OP_SETTINGS,
	NONE, NONE, {PRE("409 names_hidden", "409 names_hidden", "403", "403")},
	NULL},
    {"POST", "/api/v1/memos/{id}/roster-grants", T_SUB, 0, ACCESS_OP_SETTINGS,
	NONE, NONE,
	{"409 invalid_state", "409 invalid_state", "403", "403", "404", "403",
	    "404", "403", "404", "404", "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/memos/{id}/signatures", T_OPEN, 0, ACCESS_OP_META, NONE,
	NONE, {PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}/signatures", T_ASG, 0, ACCESS_OP_META, NONE,
	NONE, {META_ASG("200")}, NULL},
    {"GET", "/api/v1/memos/{id}/signatures", T_CLO, 0, ACCESS_OP_META, NONE,
	NONE, {META_ASG("200")}, NULL},
    {"POST", "/api/v1/memos/{id}/signatures", T_OPEN, 1, ACCESS_OP_SIGN, NONE,
	NONE, {PRE("201", "201", "201", "409 already_signed")}, NULL},
    {"POST", "/api/v1/memos/{id}/signatures", T_SUB, 0, ACCESS_OP_SIGN, NONE,
	NONE,
	{"409 invalid_state", "409 invalid_state", "409 invalid_state",
	    "409 invalid_state", "404", "403", "404", "403", "404", "404",
	    "403", "403", "401"},
	NULL},
    {"DELETE", "/api/v1/memos/{id}/signatures/mine", T_OPEN, 2, ACCESS_OP_SIGN,
	NONE, NONE, {PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}/ring", T_OPEN, 0, ACCESS_OP_META, NONE, NONE,
	{PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}/ring", T_ASG, 0, ACCESS_OP_META, NONE, NONE,
	{META_ASG("200")}, NULL},
    {"GET", "/api/v1/memos/{id}/anonymous-signatures", T_OPEN, 0,
	ACCESS_OP_META, NONE, NONE, {PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}/anonymous-signatures", T_ASG, 0, ACCESS_OP_META,
	NONE, NONE, {META_ASG("200")}, NULL},
    {"POST", "/api/v1/memos/{id}/anonymous-signatures", T_OPEN, 1, NONE, NONE,
	NONE, {UNIDENTIFIED("201")}, NULL},
    {"POST", "/api/v1/memos/{id}/anonymous-signatures/withdraw", T_OPEN, 3,
	NONE, NONE, NONE, {UNIDENTIFIED("200")}, NULL},
    {"DELETE", "/api/v1/memos/{id}/signatures/{tag}", T_OPEN, 1, ACCESS_OP_EDIT,
	NONE, NONE, {PRE("200", "200", "403", "403")}, NULL},
    {"DELETE", "/api/v1/memos/{id}/signatures/{tag}", T_SUB, 0, ACCESS_OP_EDIT,
	NONE, NONE,
	{"409 invalid_state", "409 invalid_state", "403", "403", "404", "403",
	    "404", "403", "404", "404", "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/submit", T_OPEN, 1, ACCESS_OP_SUBMIT, NONE,
	NONE, {PRE("200", "200", "403", "403")}, NULL},
    {"GET", "/api/v1/memos/{id}/receipt", T_ASG, 0, ACCESS_OP_META, NONE, NONE,
	{META_ASG("200")}, NULL},
    {"POST", "/api/v1/memos/{id}/withdraw", T_SUB, 1, ACCESS_OP_WITHDRAW, NONE,
	NONE,
	{"200", "200", "403", "403", "404", "403", "404", "403", "404", "404",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/memos/{id}/accesses", T_OPEN, 0, ACCESS_OP_ACCESSES, NONE,
	NONE, {PRE("200", "200", "403", "403")}, NULL},
    {"GET", "/api/v1/memos/{id}/accesses", T_ASG, 0, ACCESS_OP_ACCESSES, NONE,
	NONE,
	{"200", "200", "403", "403", "404", "403", "403", "403", "403", "404",
	    "200", "403", "401"},
	NULL},

    /* The channel. */
    {"GET", "/api/v1/channel", T_NONE, 0, ACCESS_OP_CHANNEL_PUBLIC, NONE, NONE,
	{MEMBERS("200")}, NULL},
    {"POST", "/api/v1/channel/key", T_NONE, 0, ACCESS_OP_CHANNEL_KEY, NONE,
	NONE,
	{"403", "403", "403", "403", "403", "409 conflict", "403", "403", "403",
	    "403", "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/channel/grants", T_NONE, 0, ACCESS_OP_CHANNEL_KEY, NONE,
	NONE,
	{"403", "403", "403", "403", "403", "201", "403", "403", "403", "403",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/channel/grant", T_NONE, 0, ACCESS_OP_CHANNEL_KEY, NONE,
	NONE,
	{"403", "403", "403", "403", "403", "200", "403", "403", "403", "403",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/channel/inbox", T_NONE, 0, ACCESS_OP_INBOX, NONE, NONE,
	{"403", "403", "403", "403", "403", "200", "403", "200", "403", "403",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/standard-principals", T_ASG, 0, ACCESS_OP_META,
	ACCESS_OP_INBOX, NONE,
	{"403", "403", "403", "403", "403", "200", "403", "200", "403", "403",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/ack", T_SUB, 1, ACCESS_OP_ACKNOWLEDGE, NONE,
	NONE,
	{"403", "403", "403", "403", "404", "200", "404", "403", "404", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/redirect", T_SUB, 1, ACCESS_OP_ACKNOWLEDGE,
	NONE, NONE,
	{"403", "403", "403", "403", "404", "200", "404", "403", "404", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/assign", T_ASG, 1, ACCESS_OP_ACKNOWLEDGE, NONE,
	NONE,
	{"403", "403", "403", "403", "404", "200", "403", "403", "403", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/distribute", T_ASG, 1, ACCESS_OP_ACKNOWLEDGE,
	NONE, NONE,
	{"403", "403", "403", "403", "404", "200", "403", "403", "403", "404",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/memos/{id}/distributions", T_ASG, 0, ACCESS_OP_ACKNOWLEDGE,
	NONE, ACCESS_OP_APPROVE,
	{"403", "403", "403", "403", "404", "200", "403", "200", "403", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/distributions/{member}/approve", T_ASG, 1,
	ACCESS_OP_APPROVE, NONE, NONE,
	{"403", "403", "403", "403", "404", "403", "403", "200", "403", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/replies", T_ASG, 1, ACCESS_OP_REPLY, NONE,
	NONE,
	{"403", "403", "403", "403", "404", "200", "200", "403", "403", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/replies", T_CLO, 0, ACCESS_OP_REPLY, NONE,
	NONE,
	{"403", "403", "403", "403", "404", "409 invalid_state",
	    "409 invalid_state", "403", "403", "404", "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/memos/{id}/replies", T_OPEN, 0, ACCESS_OP_REPLIES, NONE,
	NONE, {PRE("200", "200", "200", "200")}, NULL},
    {"GET", "/api/v1/memos/{id}/replies", T_REP, 0, ACCESS_OP_REPLIES, NONE,
	NONE,
	{"200", "200", "200", "200", "404", "200", "200", "403", "200", "404",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/memos/{id}/replies", T_CLO, 0, ACCESS_OP_REPLIES, NONE,
	NONE,
	{"200", "200", "200", "200", "404", "200", "200", "403", "200", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/memos/{id}/close", T_REP, 1, ACCESS_OP_ACKNOWLEDGE, NONE,
	NONE,
	{"403", "403", "403", "403", "404", "200", "403", "403", "403", "404",
	    "403", "403", "401"},
	NULL},

    /* Meetings. */
    {"POST", "/api/v1/memos/{id}/meetings", T_ASG, 1, ACCESS_OP_MEETING_REQUEST,
	NONE, NONE,
	{"201", "201", "403", "403", "404", "403", "403", "403", "403", "404",
	    "403", "403", "401"},
	NULL},
    {"GET", "/api/v1/meetings", T_NONE, 0, NONE, NONE, NONE, {MEMBERS("200")},
	NULL},
    {"POST", "/api/v1/meetings/{mid}/schedule", T_MEETING, 0,
	ACCESS_OP_MEETING_MANAGE, NONE, NONE,
	{"403", "403", "403", "403", "404", "200", "403", "403", "200", "404",
	    "403", "403", "401"},
	NULL},
    {"POST", "/api/v1/meetings/{mid}/outcome", T_MEETING, 1,
	ACCESS_OP_MEETING_MANAGE, NONE, NONE,
	{"403", "403", "403", "403", "404", "200", "403", "403", "200", "404",
	    "403", "403", "401"},
	NULL},

    /* Complaints and statistics. */
    {"GET", "/api/v1/auditors", T_NONE, 0, ACCESS_OP_COMPLAINT_FILE, NONE, NONE,
	{MEMBERS("200")}, NULL},
    {"POST", "/api/v1/complaints", T_NONE, 0, ACCESS_OP_COMPLAINT_FILE, NONE,
	NONE, {MEMBERS("201")}, NULL},
    {"GET", "/api/v1/complaints", T_NONE, 0, ACCESS_OP_COMPLAINT_READ, NONE,
	NONE,
	{"403", "403", "403", "403", "403", "403", "403", "403", "403", "403",
	    "200", "403", "401"},
	NULL},
    {"GET", "/api/v1/stats", T_NONE, 0, ACCESS_OP_STATS, NONE, NONE,
	{"403", "403", "403", "403", "403", "200", "403", "200", "403", "403",
	    "200", "403", "401"},
	NULL},
};
#define NROWS (sizeof(rows) / sizeof(rows[0]))

/*
 * Routes that change the caller's own account, in the order their cells
 * run after every other row: each keeps the member's session (the password
 * and the key rotation end only the others), and the logout ends it last.
 */
static const char *const deferred[] = {"/api/v1/auth/totp/setup",
    "/api/v1/auth/totp/enable", "/api/v1/auth/totp/disable",
    "/api/v1/auth/password", "/api/v1/keys/rotate", "/api/v1/auth/logout"};
#define NDEFERRED (sizeof(deferred) / sizeof(deferred[0]))

struct reply {
	unsigned int status;
	json_t *json;
};

struct member {
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	char handle[DIRECTORY_HANDLE_MAX + 1];
	uint8_t seed[KEYS_SEED_BYTES];
	struct keys_secret ks;
	uint32_t epoch;
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	uint8_t recovery_key[CUSTODY_KEY_BYTES];
	uint8_t totp[TOTP_SECRET_BYTES];
	char token[ACCOUNT_TOKEN_LEN + 1];
};

/* What the drafters' clients know of a memo. */
struct memo {
	char id[MEMO_ID_LEN + 1];
	uint8_t key[MEMO_KEY_BYTES];
	uint8_t roster_pk[MEMO_ROSTER_PK_BYTES];
	uint8_t roster_sk[MEMO_ROSTER_SK_BYTES];
	uint32_t version;
	uint8_t hash[MEMO_HASH_BYTES];
	uint32_t notes; /* replies, redirection notes and outcomes so far */
};

/* What one cell acts on. */
struct subject {
	struct memo *m;
	int64_t mid;
	struct member *pm;
	char code[ACCOUNT_CODE_LEN + 1];
	unsigned long long log_size;
};

/* The world every cell runs in. */
struct world {
	char dir[512];
	struct config cfg;
	struct server *sv;
	char instance_id[INSTANCE_ID_LEN + 1];
	uint8_t channel_pk[KEYS_BOX_PK_BYTES];
	uint8_t channel_sk[KEYS_BOX_SK_BYTES];
	struct member mem[NREL]; /* R_ANON's stays empty */
	struct member coord2, extra, victim, pend;
	char pend_code[ACCOUNT_CODE_LEN + 1];
	struct memo memos[T_CLO + 1]; /* the shared memo of each state */
	int64_t meeting;              /* the shared meeting (T_MEETING) */
	unsigned int seeds, uniq;
	size_t mismatches;
};

static struct world w;

/* A JSON string of the base64url of ${n} bytes. */
static json_t *
jb64(const uint8_t *p, size_t n)
{
	size_t cap = B64_ENCODED_LEN(n);
	char *text;
	json_t *s;

	assert_non_null(text = malloc(cap));
	assert_int_equal(b64_encode(text, cap, p, n), 0);
	s = json_string(text);
	free(text);
	return (s);
}

/* Hand one request to the dispatcher; ${body} is stolen (may be NULL). */
static void
call(struct reply *r, const char *method, const char *path, const char *token,
    json_t *body)
{
	static char text[HTTP_BODY_MAX];
	struct http_request req;
	const char *rb;
	size_t len;

	memset(r, 0, sizeof(*r));
	assert_int_equal(http_request_init(&req, method, path), 0);
	if (body != NULL) {
		/* Not json_dumps(): jansson allocates with jsonin's allocator.
		 */
		len = json_dumpb(body, text, sizeof(text), JSON_COMPACT);
		assert_true(len > 0 && len < sizeof(text));
		json_decref(body);
		assert_int_equal(http_request_set_body(&req, text, len), 0);
		req.content_type = HTTP_CT_JSON;
	}
	if (token != NULL) {
		req.auth_source = HTTP_AUTH_BEARER;
		snprintf(req.token, sizeof(req.token), "%s", token);
	}
	server_handle(w.sv, &req);
	r->status = req.status;
	if ((rb = http_reply_body(&req, &len)) != NULL && len > 0)
		assert_non_null(r->json = json_loadb(rb, len, 0, NULL));
	http_request_clear(&req);
}

static void
reply_free(struct reply *r)
{

	json_decref(r->json);
	r->json = NULL;
}

/* The error code of a reply, or "". */
static const char *
error_code(const struct reply *r)
{
	json_t *c = json_object_get(json_object_get(r->json, "error"), "code");

	return (json_is_string(c) ? json_string_value(c) : "");
}

/* Call, expect ${status} (printing the error otherwise), free the reply. */
static void
call_expect(const char *method, const char *path, const char *token,
    json_t *body, unsigned int status)
{
	struct reply r;

	call(&r, method, path, token, body);
	if (r.status != status)
		fprintf(stderr, "%s %s: expected %u, got %u %s\n", method, path,
		    status, r.status, error_code(&r));
	assert_int_equal(r.status, status);
	reply_free(&r);
}

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_non_null(v);
	assert_true(json_is_string(v));
	return (json_string_value(v));
}

static json_int_t
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_non_null(v);
	assert_true(json_is_integer(v));
	return (json_integer_value(v));
}

/* Format a path into a static rotating buffer. */
static const char *path(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static const char *
path(const char *fmt, ...)
{
	static char bufs[4][512];
	static int next;
	char *out = bufs[next++ % 4];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(out, 512, fmt, ap);
	va_end(ap);
	return (out);
}

/* The next of the fixed key seeds. */
static void
next_seed(uint8_t seed[KEYS_SEED_BYTES])
{

	memset(seed, 0x5d, KEYS_SEED_BYTES);
	w.seeds++;
	seed[0] = (uint8_t)(w.seeds & 0xff);
	seed[1] = (uint8_t)(w.seeds >> 8);
}

static json_t *
keys_json(const struct keys_public *pub)
{

	return (json_pack("{s:o,s:o,s:o}", "sign_pk",
	    jb64(pub->sign_pk, KEYS_SIGN_PK_BYTES), "box_pk",
	    jb64(pub->box_pk, KEYS_BOX_PK_BYTES), "ring_pk",
	    jb64(pub->ring_pk, KEYS_RING_PK_BYTES)));
}

static json_t *
pop_json(const struct keys_pop *pop)
{

	return (json_pack("{s:o,s:o}", "sig", jb64(pop->sig, KEYS_SIG_BYTES),
	    "ring_proof", jb64(pop->ring_proof, KEYS_RING_PROOF_BYTES)));
}

/* A custody object for ${auth_key} at an accepted cost. */
static json_t *
custody_json(const uint8_t auth_key[CUSTODY_KEY_BYTES])
{
	uint8_t salt[CUSTODY_SALT_BYTES], wrapped[CUSTODY_WRAPPED_BYTES];

	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(wrapped, sizeof(wrapped));
	return (
	    json_pack("{s:o,s:I,s:I,s:o,s:o}", "salt", jb64(salt, sizeof(salt)),
		"opslimit", (json_int_t)3, "memlimit", (json_int_t)(64LL << 20),
		"auth_key", jb64(auth_key, CUSTODY_KEY_BYTES), "wrapped_seed",
		jb64(wrapped, sizeof(wrapped))));
}

static json_t *
recovery_json(const uint8_t auth_key[CUSTODY_KEY_BYTES])
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES];

	memset(wrapped, 0x77, sizeof(wrapped));
	return (json_pack("{s:o,s:o}", "auth_key",
	    jb64(auth_key, CUSTODY_KEY_BYTES), "wrapped_seed",
	    jb64(wrapped, sizeof(wrapped))));
}

/* The body of POST /enroll for ${m} (keys derived here) with ${code}. */
static json_t *
enroll_body(struct member *m, const char *code)
{
	struct keys_pop pop;

	next_seed(m->seed);
	assert_int_equal(keys_derive(&m->ks, m->seed), 0);
	m->epoch = 1;
	assert_int_equal(keys_pop_make(&pop, &m->ks, m->id, 1), 0);
	randombytes_buf(m->auth_key, sizeof(m->auth_key));
	randombytes_buf(m->recovery_key, sizeof(m->recovery_key));
	return (json_pack("{s:s,s:o,s:o,s:o,s:o}", "code", code, "keys",
	    keys_json(&m->ks.pub), "pop", pop_json(&pop), "custody",
	    custody_json(m->auth_key), "recovery",
	    recovery_json(m->recovery_key)));
}

/* Look ${code} up (filling ${m}'s id and handle). */
static void
lookup(struct member *m, const char *code)
{
	struct reply r;
	json_t *o;

	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	assert_int_equal(r.status, 200);
	o = json_object_get(r.json, "member");
	snprintf(m->id, sizeof(m->id), "%s", str(o, "id"));
	snprintf(m->handle, sizeof(m->handle), "%s", str(o, "handle"));
	reply_free(&r);
}

/* Log ${m} in. */
static void
login(struct member *m)
{
	struct reply r;

	call(&r, "POST", "/api/v1/auth/login", NULL,
	    json_pack("{s:s,s:o}", "handle", m->handle, "auth_key",
		jb64(m->auth_key, CUSTODY_KEY_BYTES)));
	assert_int_equal(r.status, 200);
	snprintf(m->token, sizeof(m->token), "%s", str(r.json, "token"));
	reply_free(&r);
}

/* As the admin, a member of ${org} with ${roles} pending enrollment. */
static void
pending_member(struct member *m, char code[ACCOUNT_CODE_LEN + 1],
    const char *handle, const char *org, const char *roles, int eligible)
{
	char h[DIRECTORY_HANDLE_MAX + 1];
	struct reply r;

	memset(m, 0, sizeof(*m));
	if (handle == NULL) {
		snprintf(h, sizeof(h), "pending%u", ++w.uniq);
		handle = h;
	}
	call(&r, "POST", "/api/v1/members", w.mem[R_ADMIN].token,
	    json_pack("{s:s,s:s,s:s,s:o,s:b}", "handle", handle, "display_name",
		"Some Body", "org", org, "roles", json_loads(roles, 0, NULL),
		"eligible", eligible));
	if (r.status != 201)
		fprintf(stderr, "member %s: %u %s\n", handle, r.status,
		    error_code(&r));
	assert_int_equal(r.status, 201);
	snprintf(
	    code, ACCOUNT_CODE_LEN + 1, "%s", str(r.json, "enrollment_code"));
	snprintf(m->id, sizeof(m->id), "%s",
	    str(json_object_get(r.json, "member"), "id"));
	snprintf(m->handle, sizeof(m->handle), "%s", handle);
	reply_free(&r);
}

/* An enrolled and logged-in member. */
static void
new_member(struct member *m, const char *handle, const char *org,
    const char *roles, int eligible)
{
	char code[ACCOUNT_CODE_LEN + 1];

	pending_member(m, code, handle, org, roles, eligible);
	call_expect("POST", "/api/v1/enroll", NULL, enroll_body(m, code), 201);
	login(m);
}

/* A grant of ${key} for ${purpose} and ${context}, sealed to ${pk}. */
static json_t *
sealed(const uint8_t key[GRANT_KEY_BYTES], const char *purpose,
    const char *context, const uint8_t pk[KEYS_BOX_PK_BYTES])
{
	uint8_t out[GRANT_SEALED_MAX];
	size_t len;

	assert_int_equal(grant_seal(out, &len, key, purpose, context, pk), 0);
	return (jb64(out, len));
}

/*
 * Version ${version} of ${m} following ${prev}: its hash into ${hash} and
 * its box, encrypted under the memo key, as a JSON string.
 */
static json_t *
version_box(const struct memo *m, uint32_t version,
    const uint8_t prev[MEMO_HASH_BYTES], uint8_t hash[MEMO_HASH_BYTES])
{
	struct memo_content c;
	uint8_t *content, *box;
	size_t len, boxlen;
	json_t *o;

	memset(&c, 0, sizeof(c));
	c.title = (char *)"A dissent";
	c.summary = (char *)"";
	c.body = (char *)"The body of the memo.";
	c.alternatives = (char *)"";
	snprintf(c.topic, sizeof(c.topic), "policy");
	snprintf(c.marking, sizeof(c.marking), "SBU");
	assert_int_equal(memo_content_encode(&c, &content, &len), 0);
	assert_int_equal(memo_version_hash(hash, m->id, version, prev,
			     m->roster_pk, content, len),
	    0);
	assert_int_equal(memo_content_seal(&box, &boxlen, content, len, m->id,
			     version, m->key),
	    0);
	o = jb64(box, boxlen);
	free(content);
	free(box);
	return (o);
}

/* The body of POST /memos for a new memo ${m} by ${by}. */
static json_t *
create_body(struct memo *m, const struct member *by)
{
	static const uint8_t zero[MEMO_HASH_BYTES];
	json_t *box;

	memset(m, 0, sizeof(*m));
	memo_id_new(m->id);
	randombytes_buf(m->key, sizeof(m->key));
	memo_roster_keypair(m->roster_pk, m->roster_sk);
	box = version_box(m, 1, zero, m->hash);
	m->version = 1;
	return (json_pack("{s:s,s:s,s:s,s:[s,s],s:o,s:{s:o,s:o},s:{s:o,s:o}}",
	    "id", m->id, "topic", "policy", "marking", "SBU", "eligible_orgs",
	    "state", "usaid", "roster_pk",
	    jb64(m->roster_pk, MEMO_ROSTER_PK_BYTES), "version", "hash",
	    jb64(m->hash, MEMO_HASH_BYTES), "box", box, "grants", "key",
	    sealed(m->key, MEMO_GRANT_KEY, m->id, by->ks.pub.box_pk), "roster",
	    sealed(m->roster_sk, MEMO_GRANT_ROSTER, m->id, by->ks.pub.box_pk)));
}

/* The body of POST versions: the next version of ${m} (${m} unchanged). */
static json_t *
version_body(const struct memo *m)
{
	uint8_t hash[MEMO_HASH_BYTES];
	json_t *box;

	box = version_box(m, m->version + 1, m->hash, hash);
	return (json_pack("{s:I,s:o,s:o,s:o,s:s,s:s}", "version",
	    (json_int_t)m->version + 1, "prev_hash",
	    jb64(m->hash, MEMO_HASH_BYTES), "hash", jb64(hash, MEMO_HASH_BYTES),
	    "box", box, "topic", "policy", "marking", "SBU"));
}

/* The body of an invitation of ${to} to ${m} as ${as}. */
static json_t *
invite_body(const struct memo *m, const struct member *to, const char *as)
{
	json_t *g;

	g = json_pack("{s:o}", "key",
	    sealed(m->key, MEMO_GRANT_KEY, m->id, to->ks.pub.box_pk));
	if (strcmp(as, "codrafter") == 0)
		json_object_set_new(g, "roster",
		    sealed(m->roster_sk, MEMO_GRANT_ROSTER, m->id,
			to->ks.pub.box_pk));
	return (json_pack(
	    "{s:s,s:s,s:o}", "member", to->id, "as", as, "grants", g));
}

/* The body of ${by}'s named signature over ${m}'s current version. */
static json_t *
sign_body(const struct memo *m, const struct member *by)
{
	uint8_t record[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s;
	int64_t t = (int64_t)time(NULL);

	memset(&s, 0, sizeof(s));
	snprintf(s.memo_id, sizeof(s.memo_id), "%s", m->id);
	s.version = m->version;
	memcpy(s.version_hash, m->hash, sizeof(s.version_hash));
	snprintf(s.signer_id, sizeof(s.signer_id), "%s", by->id);
	s.key_epoch = by->epoch;
	s.time = (uint64_t)t;
	assert_int_equal(memo_signature_sign(&s, &by->ks), 0);
	assert_int_equal(memo_record_seal(record, &s, m->roster_pk), 0);
	return (json_pack("{s:I,s:o,s:I,s:o,s:o}", "version",
	    (json_int_t)m->version, "version_hash",
	    jb64(m->hash, MEMO_HASH_BYTES), "time", (json_int_t)t, "sig",
	    jb64(s.sig, sizeof(s.sig)), "record",
	    jb64(record, sizeof(record))));
}

/*
 * The extra member's anonymous signature of ${m}'s current version, on
 * the ring of the extra member and coord2 at the memo's snapshot, with
 * fixed randomness (so that it can be made again to be withdrawn): the
 * body of POST anonymous-signatures, or with ${withdrawal} that of its
 * withdrawal.
 */
static json_t *
anon_body(const struct memo *m, int withdrawal)
{
	static const uint8_t seed[RING_SEED_BYTES] = {0x42};
	uint8_t ring[2][RING_PK_BYTES], t[RING_PK_BYTES];
	uint8_t sig[RING_SIG_BYTES(2)], wsig[RING_SIG_BYTES(2)];
	uint8_t binding[RING_BINDING_BYTES];
	struct reply r;
	uint64_t size;
	size_t pos = 0;

	call(&r, "GET", path("/api/v1/memos/%s/ring", m->id),
	    w.mem[R_DRAFTER].token, NULL);
	assert_int_equal(r.status, 200);
	size = (uint64_t)num(r.json, "tree_size");
	reply_free(&r);
	memcpy(ring[0], w.extra.ks.pub.ring_pk, RING_PK_BYTES);
	memcpy(ring[1], w.coord2.ks.pub.ring_pk, RING_PK_BYTES);
	if (memcmp(ring[0], ring[1], RING_PK_BYTES) > 0) {
		memcpy(t, ring[0], RING_PK_BYTES);
		memcpy(ring[0], ring[1], RING_PK_BYTES);
		memcpy(ring[1], t, RING_PK_BYTES);
		pos = 1;
	}
	ring_binding_version(binding, m->hash);
	assert_int_equal(ring_sign_with_seed(sig, sizeof(sig),
			     (const uint8_t(*)[RING_PK_BYTES])ring, 2, pos,
			     w.extra.ks.ring_sk, m->id, binding, size, seed),
	    0);
	if (!withdrawal)
		return (json_pack("{s:I,s:o,s:[o,o],s:o}", "version",
		    (json_int_t)m->version, "version_hash",
		    jb64(m->hash, MEMO_HASH_BYTES), "ring",
		    jb64(ring[0], RING_PK_BYTES), jb64(ring[1], RING_PK_BYTES),
		    "signature", jb64(sig, sizeof(sig))));
	assert_int_equal(
	    ring_binding_withdrawal(binding, m->hash, sig, sizeof(sig)), 0);
	assert_int_equal(ring_sign_with_seed(wsig, sizeof(wsig),
			     (const uint8_t(*)[RING_PK_BYTES])ring, 2, pos,
			     w.extra.ks.ring_sk, m->id, binding, size, seed),
	    0);
	return (json_pack("{s:[o,o],s:o}", "ring", jb64(ring[0], RING_PK_BYTES),
	    jb64(ring[1], RING_PK_BYTES), "signature",
	    jb64(wsig, sizeof(wsig))));
}

/* Post the extra member's anonymous signature of ${m} (anon_body()). */
static void
post_anon_signature(const struct memo *m)
{

	call_expect("POST",
	    path("/api/v1/memos/%s/anonymous-signatures", m->id), NULL,
	    anon_body(m, 0), 201);
}

/* The body of POST submit of ${m} to the channel's key. */
static json_t *
submit_body(const struct memo *m)
{

	return (json_pack("{s:o,s:{s:o,s:o}}", "version_hash",
	    jb64(m->hash, MEMO_HASH_BYTES), "grants", "key",
	    sealed(m->key, MEMO_GRANT_KEY, m->id, w.channel_pk), "roster",
	    sealed(m->roster_sk, MEMO_GRANT_ROSTER, m->id, w.channel_pk)));
}

/* The body of the next note of ${kind} on ${m}. */
static json_t *
note_body(const struct memo *m, uint8_t kind)
{
	uint8_t *box;
	size_t boxlen;
	json_t *o;

	assert_int_equal(memo_reply_seal(&box, &boxlen, "A note.", m->id, kind,
			     m->notes + 1, m->key),
	    0);
	o = json_pack("{s:I,s:o}", "n", (json_int_t)m->notes + 1, "box",
	    jb64(box, boxlen));
	free(box);
	return (o);
}

/* The body of POST assign of ${m} to the assignee. */
static json_t *
assign_body(const struct memo *m)
{
	const struct member *to = &w.mem[R_ASSIGNEE];

	return (json_pack("{s:s,s:o}", "member", to->id, "grant",
	    sealed(m->key, MEMO_GRANT_KEY, m->id, to->ks.pub.box_pk)));
}

/* A recipient of a distribution of ${m} to ${p}. */
static json_t *
recipient(const struct memo *m, const struct member *p)
{

	return (json_pack("{s:s,s:o,s:o}", "member", p->id, "key",
	    sealed(m->key, MEMO_GRANT_KEY, m->id, p->ks.pub.box_pk), "roster",
	    sealed(m->roster_sk, MEMO_GRANT_ROSTER, m->id, p->ks.pub.box_pk)));
}

/* A complaint sealed to the instance's one auditor. */
static json_t *
complaint_body(void)
{
	static const char text[] = "A reprisal.";
	uint8_t key[AEAD_KEY_BYTES], ad[64], box[sizeof(text) + AEAD_OVERHEAD];
	struct binenc e;
	size_t adlen;

	aead_key_new(key);
	binenc_init(&e, ad, sizeof(ad));
	binenc_str(&e, "dissent/complaint/v1");
	assert_int_equal(binenc_finish(&e, &adlen), 0);
	assert_int_equal(aead_seal(box, (const uint8_t *)text, sizeof(text) - 1,
			     ad, adlen, key),
	    0);
	return (json_pack("{s:o,s:[{s:s,s:o}]}", "box",
	    jb64(box, sizeof(text) - 1 + AEAD_OVERHEAD), "grants", "member",
	    w.mem[R_AUDITOR].id, "sealed",
	    sealed(key, "complaint-key", "complaint",
		w.mem[R_AUDITOR].ks.pub.box_pk)));
}

/* POST ${what} on ${m} as ${by} with ${body}; expect ${status}. */
static void
memo_post(const struct member *by, const struct memo *m, const char *what,
    json_t *body, unsigned int status)
{

	call_expect("POST", path("/api/v1/memos/%s/%s", m->id, what), by->token,
	    body, status);
}

/*
 * Build memo ${m} in the state of ${target} with every relation (see enum
 * target); with ${sign_all}, the drafter, co-drafter and invitee signed
 * too.
 */
static void
build(struct memo *m, int target, int sign_all)
{
	struct member *d = &w.mem[R_DRAFTER];
	struct member *as = &w.mem[R_ASSIGNEE];
	struct member *c = &w.mem[R_COORD];

	call_expect("POST", "/api/v1/memos", d->token, create_body(m, d), 201);
	memo_post(d, m, "invitations",
	    invite_body(m, &w.mem[R_CODRAFTER], "codrafter"), 201);
	memo_post(d, m, "invitations",
	    invite_body(m, &w.mem[R_INVITEE], "signer"), 201);
	memo_post(d, m, "invitations",
	    invite_body(m, &w.mem[R_SIGNER], "signer"), 201);
	if (target != T_DRAFT)
		memo_post(d, m, "open", json_object(), 200);
	memo_post(&w.mem[R_SIGNER], m, "signatures",
	    sign_body(m, &w.mem[R_SIGNER]), 201);
	if (sign_all) {
		memo_post(d, m, "signatures", sign_body(m, d), 201);
		memo_post(&w.mem[R_CODRAFTER], m, "signatures",
		    sign_body(m, &w.mem[R_CODRAFTER]), 201);
		memo_post(&w.mem[R_INVITEE], m, "signatures",
		    sign_body(m, &w.mem[R_INVITEE]), 201);
	}
	if (target < T_SUB)
		return;
	memo_post(d, m, "submit", submit_body(m), 200);
	if (target < T_ASG)
		return;
	memo_post(c, m, "ack", json_object(), 200);
	memo_post(c, m, "assign", assign_body(m), 200);
	memo_post(c, m, "distribute",
	    json_pack("{s:[o,o]}", "recipients", recipient(m, &w.mem[R_P1]),
		recipient(m, &w.mem[R_P2])),
	    200);
	if (target < T_REP)
		return;
	memo_post(as, m, "replies", note_body(m, MEMO_REPLY_KIND_REPLY), 200);
	m->notes++;
	if (target < T_CLO)
		return;
	memo_post(c, m, "close", json_object(), 200);
}

/* The drafter asks P1 for a meeting on ${m}; return its id. */
static int64_t
request_meeting(const struct memo *m)
{
	struct reply r;
	int64_t id;

	call(&r, "POST", path("/api/v1/memos/%s/meetings", m->id),
	    w.mem[R_DRAFTER].token,
	    json_pack("{s:s}", "principal", w.mem[R_P1].id));
	assert_int_equal(r.status, 201);
	id = (int64_t)num(json_object_get(r.json, "meeting"), "id");
	reply_free(&r);
	return (id);
}

static int
setup(void **state)
{
	struct instance_init_args a;
	struct member *admin = &w.mem[R_ADMIN];
	const char *tmp = getenv("TMPDIR");
	char code[ACCOUNT_CODE_LEN + 1], err[256];
	struct reply r;
	int64_t exp;
	size_t len;
	int t;

	(void)state;
	memset(&w, 0, sizeof(w));
	snprintf(w.dir, sizeof(w.dir), "%s/test_srv_matrix.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(w.dir) == NULL)
		return (-1);
	len = strlen(w.dir);
	snprintf(w.dir + len, sizeof(w.dir) - len, "/data");
	memset(&a, 0, sizeof(a));
	a.data_dir = w.dir;
	a.channel_org = "state";
	a.channel_org_name = "Department of State";
	a.admin_handle = "admin";
	a.admin_name = "The Admin";
	a.enrollment_ttl = 604800;
	if (instance_init(
		&a, (int64_t)time(NULL), code, &exp, err, sizeof(err)) != 0) {
		fprintf(stderr, "init: %s\n", err);
		return (-1);
	}
	config_defaults(&w.cfg);
	snprintf(w.cfg.data_dir, sizeof(w.cfg.data_dir), "%s", w.dir);
	w.cfg.rate_limit_per_minute = 0;
	w.cfg.log_level = LOG_ERROR;
	w.cfg.log_head_interval_ms = 10;
	snprintf(w.cfg.standard_principals[0],
	    sizeof(w.cfg.standard_principals[0]), "p1");
	w.cfg.nstandard_principals = 1;
	log_set_level(w.cfg.log_level);
	if (server_new(&w.sv, &w.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "server: %s\n", err);
		return (-1);
	}

	lookup(admin, code);
	call_expect(
	    "POST", "/api/v1/enroll", NULL, enroll_body(admin, code), 201);
	login(admin);
	call(&r, "GET", "/api/v1/instance", NULL, NULL);
	assert_int_equal(r.status, 200);
	snprintf(w.instance_id, sizeof(w.instance_id), "%s",
	    str(r.json, "instance_id"));
	reply_free(&r);
	call_expect("POST", "/api/v1/orgs", admin->token,
	    json_pack("{s:s,s:s}", "id", "usaid", "name", "USAID"), 201);

	new_member(&w.mem[R_DRAFTER], "drafter", "state", "[\"member\"]", 1);
	new_member(
	    &w.mem[R_CODRAFTER], "codrafter", "state", "[\"member\"]", 1);
	new_member(&w.mem[R_INVITEE], "invitee", "state", "[\"member\"]", 1);
	new_member(&w.mem[R_SIGNER], "signer", "usaid", "[\"member\"]", 1);
	new_member(
	    &w.mem[R_UNRELATED], "unrelated", "state", "[\"member\"]", 1);
	new_member(&w.mem[R_COORD], "coord", "state",
	    "[\"member\",\"coordinator\"]", 1);
	new_member(&w.mem[R_ASSIGNEE], "assignee", "state", "[\"member\"]", 1);
	new_member(&w.mem[R_DIRECTOR], "director", "state",
	    "[\"member\",\"director\"]", 1);
	new_member(
	    &w.mem[R_P1], "p1", "state", "[\"member\",\"principal\"]", 1);
	new_member(
	    &w.mem[R_P2], "p2", "state", "[\"member\",\"principal\"]", 1);
	new_member(&w.mem[R_AUDITOR], "auditor", "state",
	    "[\"member\",\"auditor\"]", 1);
	new_member(
	    &w.coord2, "coord2", "state", "[\"member\",\"coordinator\"]", 1);
	new_member(&w.extra, "extra", "state", "[\"member\"]", 1);
	new_member(&w.victim, "victim", "state", "[\"member\"]", 1);
	pending_member(&w.pend, w.pend_code, NULL, "state", "[\"member\"]", 1);

	/* The channel's key, made by the coordinator's client. */
	crypto_box_keypair(w.channel_pk, w.channel_sk);
	call_expect("POST", "/api/v1/channel/key", w.mem[R_COORD].token,
	    json_pack("{s:o,s:o}", "pk", jb64(w.channel_pk, KEYS_BOX_PK_BYTES),
		"grant",
		sealed(w.channel_sk, "channel-key", w.instance_id,
		    w.mem[R_COORD].ks.pub.box_pk)),
	    201);

	for (t = T_DRAFT; t <= T_CLO; t++)
		build(&w.memos[t], t, 0);
	w.meeting = request_meeting(&w.memos[T_ASG]);
	return (0);
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	server_free(w.sv);
	w.sv = NULL;
	*strrchr(w.dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w.dir);
	return (system(cmd) == 0 ? 0 : -1);
}

/* The method name of the ROUTER_* bit ${m}. */
static const char *
method_name(unsigned int m)
{

	switch (m) {
	case ROUTER_GET:
		return ("GET");
	case ROUTER_POST:
		return ("POST");
	case ROUTER_PATCH:
		return ("PATCH");
	case ROUTER_PUT:
		return ("PUT");
	case ROUTER_DELETE:
		return ("DELETE");
	default:
		return ("?");
	}
}

/* The route of routes_table a row tests, or NULL. */
static const struct route *
route_of(const struct row *rw)
{
	size_t i;

	for (i = 0; i < routes_count; i++)
		if (strcmp(method_name(routes_table[i].method), rw->method) ==
			0 &&
		    strcmp(routes_table[i].pattern, rw->pattern) == 0)
			return (&routes_table[i]);
	return (NULL);
}

static int
is(const struct row *rw, const char *method, const char *pattern)
{

	return (strcmp(rw->method, method) == 0 &&
		strcmp(rw->pattern, pattern) == 0);
}

/* The status an expectation names, and its error code (or NULL). */
static unsigned int
expect_status(const char *e, const char **code)
{
	const char *sp = strchr(e, ' ');

	*code = sp != NULL ? sp + 1 : NULL;
	return ((unsigned int)strtoul(e, NULL, 10));
}

/* 1 if the expectation refuses access: 401, 403 or 404. */
static int
refused(const char *e)
{
	const char *code;
	unsigned int s = expect_status(e, &code);

	return (s == 401 || s == 403 || s == 404);
}

static int
is_memo_target(int t)
{

	return (t >= T_DRAFT && t <= T_CLO);
}

/* The memo state a target's memo is in (the meeting's memo: T_ASG). */
static int
memo_state_of(int t)
{

	return (t == T_MEETING ? T_ASG : t);
}

/* The stored relations of ${rel}'s member to every memo in state ${t}. */
static unsigned int
stored_rel(int rel, int t)
{

	switch (rel) {
	case R_DRAFTER:
		return (ACCESS_REL_DRAFTER);
	case R_CODRAFTER:
		return (ACCESS_REL_CODRAFTER);
	case R_INVITEE:
		return (ACCESS_REL_INVITEE);
	case R_SIGNER:
		return (ACCESS_REL_INVITEE | ACCESS_REL_SIGNER);
	case R_ASSIGNEE:
		return (t >= T_ASG ? ACCESS_REL_ASSIGNEE : 0);
	case R_P1:
		return (t >= T_ASG ? ACCESS_REL_PRINCIPAL : 0);
	default:
		return (0);
	}
}

/*
 * What access.c decides for ${rel} on row ${rw}, under the operation
 * docs/API.md names for the route and the rule that whoever has no
 * relation to a memo gets 404: 401, 403, 404, or 200 for "allowed".
 */
static unsigned int
predict(const struct row *rw, int rel)
{
	const struct route *r = route_of(rw);
	unsigned int roles = rel_roles[rel], rel_bits, flags;
	int t = memo_state_of(rw->target);

	if (!access_allowed(roles, r->access))
		return (roles == ACCESS_NO_SESSION ? 401 : 403);
	if (rw->op == NONE)
		return (200);
	rel_bits = access_rel_roles(roles);
	if (rw->gate != NONE && !access_memo_allowed(rw->gate, rel_bits, 0))
		return (403);
	if (!is_memo_target(t))
		return (access_memo_allowed(rw->op, rel_bits, 0) ? 200 : 403);
	rel_bits |= stored_rel(rel, t);
	flags = t >= T_SUB ? ACCESS_MEMO_SUBMITTED : 0;
	if (stored_rel(rel, t) == 0 &&
	    (flags == 0 ||
		!access_memo_allowed(ACCESS_OP_META, rel_bits, flags)))
		return (404);
	if (access_memo_allowed(rw->op, rel_bits, flags) ||
	    (rw->alt != NONE && access_memo_allowed(rw->alt, rel_bits, flags)))
		return (200);
	return (403);
}

/* A row's label: "GET /api/v1/memos/{id} (assigned)". */
static const char *
row_label(const struct row *rw)
{
	static char buf[200];

	if (target_names[rw->target][0] != '\0' &&
	    is_memo_target(memo_state_of(rw->target)))
		snprintf(buf, sizeof(buf), "%s %s (%s)", rw->method,
		    rw->pattern, target_names[rw->target]);
	else
		snprintf(buf, sizeof(buf), "%s %s", rw->method, rw->pattern);
	return (buf);
}

static void
test_every_route_has_a_matrix_row(void **state)
{
	size_t i, j, n, missing = 0;
	int rel;

	(void)state;
	for (i = 0; i < routes_count; i++) {
		for (j = n = 0; j < NROWS; j++)
			if (route_of(&rows[j]) == &routes_table[i])
				n++;
		if (n == 0) {
			fprintf(stderr, "no matrix row for %s %s\n",
			    method_name(routes_table[i].method),
			    routes_table[i].pattern);
			missing++;
		}
	}
	for (j = 0; j < NROWS; j++) {
		if (route_of(&rows[j]) == NULL) {
			fprintf(stderr, "row %s names no route\n",
			    row_label(&rows[j]));
			missing++;
		}
		for (rel = 0; rel < NREL; rel++)
			assert_non_null(rows[j].expect[rel]);
	}
	for (i = 0; i < NDEFERRED; i++) {
		for (j = n = 0; j < NROWS; j++)
			if (strcmp(rows[j].pattern, deferred[i]) == 0)
				n++;
		assert_int_equal(n, 1);
	}
	assert_int_equal(missing, 0);
}

static void
test_matrix_states_the_rules(void **state)
{
	const struct route *r;
	size_t j;
	int rel;

	(void)state;
	for (j = 0; j < NROWS; j++) {
		r = route_of(&rows[j]);
		assert_non_null(r);
		/* Anonymous: 401 on every route that is not public. */
		if (r->access != ACCESS_PUBLIC)
			assert_string_equal(rows[j].expect[R_ANON], "401");
		/* The admin never reaches content, grants or signers. */
		if (r->access == ACCESS_CONTENT)
			assert_string_equal(rows[j].expect[R_ADMIN], "403");
		/* Only an admin writes the directory. */
		if (r->access == ACCESS_ADMIN)
			for (rel = 0; rel < R_ADMIN; rel++)
				assert_string_equal(rows[j].expect[rel], "403");
		/*
		 * A memo (or a meeting on it) does not exist for an unrelated
		 * member nor for a principal it was not distributed to.
		 */
		if (r->access != ACCESS_PUBLIC &&
		    (strncmp(r->pattern, "/api/v1/memos/{id}", 18) == 0 ||
			strncmp(r->pattern, "/api/v1/meetings/{mid}", 22) ==
			    0)) {
			assert_string_equal(rows[j].expect[R_UNRELATED], "404");
			assert_string_equal(rows[j].expect[R_P2], "404");
		}
		/*
		 * Anonymous signatures are posted without a session: whoever
		 * sends one, the answer is the same, and any session is
		 * refused as identifying.
		 */
		if (strstr(r->pattern, "/anonymous-signatures") != NULL &&
		    strcmp(rows[j].method, "POST") == 0) {
			assert_int_equal(r->access, ACCESS_PUBLIC);
			for (rel = 0; rel < R_ANON; rel++)
				assert_string_equal(rows[j].expect[rel],
				    "400 identified_request");
			assert_false(refused(rows[j].expect[R_ANON]));
		}
		/* An assignee never gets more than content: never approves. */
		if (rows[j].op == ACCESS_OP_APPROVE)
			assert_true(refused(rows[j].expect[R_ASSIGNEE]));
		/* An auditor sees accesses and complaints, never content. */
		if (rows[j].op == ACCESS_OP_CONTENT ||
		    rows[j].op == ACCESS_OP_KEY ||
		    rows[j].op == ACCESS_OP_REPLIES)
			assert_true(refused(rows[j].expect[R_AUDITOR]));
		if ((rows[j].op == ACCESS_OP_ACCESSES &&
			memo_state_of(rows[j].target) >= T_SUB) ||
		    rows[j].op == ACCESS_OP_COMPLAINT_READ)
			assert_false(refused(rows[j].expect[R_AUDITOR]));
	}
}

static void
test_access_table_agrees_with_the_matrix(void **state)
{
	const char *code;
	unsigned int want, got;
	size_t j, bad = 0, differ;
	int rel;

	(void)state;
	for (j = 0; j < NROWS; j++) {
		differ = 0;
		for (rel = 0; rel < NREL; rel++) {
			want = predict(&rows[j], rel);
			got = expect_status(rows[j].expect[rel], &code);
			if (!refused(rows[j].expect[rel]))
				got = 200;
			if (want == got)
				continue;
			differ++;
			if (rows[j].note == NULL) {
				fprintf(stderr,
				    "%s as %s: access.c says %u, the matrix "
				    "%s\n",
				    row_label(&rows[j]), rel_names[rel], want,
				    rows[j].expect[rel]);
				bad++;
			}
		}
		/* A row noted as a deviation must still deviate. */
		if (rows[j].note != NULL && differ == 0) {
			fprintf(stderr, "%s: noted as a deviation but agrees\n",
			    row_label(&rows[j]));
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* The current signed log size. */
static unsigned long long
log_size(void)
{
	struct reply r;
	unsigned long long n;

	call(&r, "GET", "/api/v1/log/head", w.extra.token, NULL);
	assert_int_equal(r.status, 200);
	n = (unsigned long long)num(r.json, "size");
	reply_free(&r);
	return (n);
}

/* The subject ${s} of row ${rw}: shared, or built fresh for one cell. */
static void
subject(const struct row *rw, int fresh, struct subject *s)
{
	static struct memo fm;
	static struct member fp;
	char code[ACCOUNT_CODE_LEN + 1];

	memset(s, 0, sizeof(*s));
	s->pm = &w.mem[R_DRAFTER];
	switch (rw->target) {
	case T_NONE:
		break;
	case T_MEETING:
		if (fresh) {
			build(&fm, T_ASG, 0);
			s->m = &fm;
			s->mid = request_meeting(&fm);
		} else {
			s->m = &w.memos[T_ASG];
			s->mid = w.meeting;
		}
		break;
	case T_PENDING:
		if (fresh) {
			pending_member(
			    &fp, s->code, NULL, "state", "[\"member\"]", 1);
			s->pm = &fp;
		} else {
			s->pm = &w.pend;
			memcpy(s->code, w.pend_code, sizeof(s->code));
		}
		break;
	case T_SUSPENDED:
		if (fresh) {
			pending_member(
			    &fp, code, NULL, "state", "[\"member\"]", 1);
			call_expect("POST",
			    path("/api/v1/members/%s/suspend", fp.id),
			    w.mem[R_ADMIN].token, json_object(), 200);
			s->pm = &fp;
		} else {
			s->pm = &w.victim;
		}
		break;
	case T_VICTIM:
		s->pm = &w.victim;
		break;
	default:
		if (fresh) {
			build(&fm, rw->target, rw->fresh == 2);
			s->m = &fm;
			if (rw->fresh == 3)
				post_anon_signature(&fm);
		} else {
			s->m = &w.memos[rw->target];
		}
	}
	if (strncmp(rw->pattern, "/api/v1/log/", 12) == 0)
		s->log_size = log_size();
}

/* The tag of the first signer record of ${m}, as its drafter lists them. */
static const char *
first_tag(const struct memo *m)
{
	static char tag[64];
	struct reply r;

	call(&r, "GET", path("/api/v1/memos/%s/signatures", m->id),
	    w.mem[R_DRAFTER].token, NULL);
	assert_int_equal(r.status, 200);
	snprintf(tag, sizeof(tag), "%s",
	    str(json_array_get(json_object_get(r.json, "records"), 0), "tag"));
	reply_free(&r);
	return (tag);
}

/* The path of row ${rw} on ${s}, with its query. */
static void
expand(const struct row *rw, const struct subject *s, char *out, size_t cap)
{
	const char *p = rw->pattern, *e, *v;
	char digits[24];
	size_t o = 0, len;

	while (*p != '\0') {
		if (*p != '{') {
			assert_true(o + 1 < cap);
			out[o++] = *p++;
			continue;
		}
		assert_non_null(e = strchr(p, '}'));
		if (strncmp(p, "{id}", 4) == 0)
			v = strncmp(rw->pattern, "/api/v1/memos/", 14) == 0
				? s->m->id
				: s->pm->id;
		else if (strncmp(p, "{n}", 3) == 0)
			v = "1";
		else if (strncmp(p, "{member}", 8) == 0)
			v = w.mem[R_P2].id;
		else if (strncmp(p, "{tag}", 5) == 0)
			v = first_tag(s->m);
		else if (strncmp(p, "{mid}", 5) == 0) {
			snprintf(
			    digits, sizeof(digits), "%lld", (long long)s->mid);
			v = digits;
		} else {
			assert_true(strncmp(p, "{size}", 6) == 0);
			snprintf(digits, sizeof(digits), "%llu", s->log_size);
			v = digits;
		}
		len = strlen(v);
		assert_true(o + len < cap);
		memcpy(out + o, v, len);
		o += len;
		p = e + 1;
	}
	out[o] = '\0';
	if (is(rw, "GET", "/api/v1/log/entries"))
		v = "?start=0&count=1";
	else if (is(rw, "GET", "/api/v1/log/inclusion"))
		v = path("?index=0&size=%llu", s->log_size);
	else if (is(rw, "GET", "/api/v1/log/consistency"))
		v = path("?first=1&second=%llu", s->log_size);
	else if (is(rw, "GET", "/api/v1/standard-principals"))
		v = path("?memo=%s", s->m->id);
	else
		v = "";
	assert_true(o + strlen(v) < cap);
	memcpy(out + o, v, strlen(v) + 1);
}

/* The TOTP code of ${secret} at ${t}. */
static json_t *
code_at(const uint8_t secret[TOTP_SECRET_BYTES], int64_t t)
{
	char buf[8];

	snprintf(buf, sizeof(buf), "%06lld",
	    (long long)totp_code(secret, TOTP_SECRET_BYTES, t, 6, "SHA1"));
	return (json_string(buf));
}

/* Decode the base32 TOTP secret of a setup reply into ${out}. */
static void
base32_decode(uint8_t out[TOTP_SECRET_BYTES], const char *s)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t o = 0;

	for (; *s != '\0'; s++) {
		acc = (acc << 5) |
		      (uint32_t)(*s >= 'A' && *s <= 'Z' ? *s - 'A'
							: *s - '2' + 26);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			assert_true(o < TOTP_SECRET_BYTES);
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	assert_int_equal(o, TOTP_SECRET_BYTES);
}

/* The body of POST /keys/rotate from ${m}'s keys to ${next}. */
static json_t *
rotate_body(const struct member *m, struct keys_secret *next)
{
	uint8_t seed[KEYS_SEED_BYTES], sig[KEYS_SIG_BYTES];
	struct keys_pop pop;

	next_seed(seed);
	assert_int_equal(keys_derive(next, seed), 0);
	assert_int_equal(keys_pop_make(&pop, next, m->id, m->epoch + 1), 0);
	assert_int_equal(
	    keys_rotation_sign(sig, &m->ks, m->id, m->epoch + 1, &next->pub),
	    0);
	return (json_pack("{s:o,s:I,s:o,s:o,s:o,s:o,s:o}", "auth_key",
	    jb64(m->auth_key, CUSTODY_KEY_BYTES), "epoch",
	    (json_int_t)m->epoch + 1, "keys", keys_json(&next->pub), "pop",
	    pop_json(&pop), "rotation_sig", jb64(sig, KEYS_SIG_BYTES),
	    "custody", custody_json(m->auth_key), "recovery",
	    recovery_json(m->recovery_key)));
}

/*
 * The body of row ${rw} on ${s} as ${rel} (anonymous bodies are built as
 * for the extra member: they never get past the session check).
 */
static json_t *
body_for(const struct row *rw, const struct subject *s, int rel,
    struct keys_secret *next)
{
	struct member *me = rel == R_ANON ? &w.extra : &w.mem[rel];
	struct member *v = &w.victim;
	static struct member enrollee;
	struct memo scratch;
	uint8_t pk[KEYS_BOX_PK_BYTES], sk[KEYS_BOX_SK_BYTES];
	json_t *o;

	if (strcmp(rw->method, "GET") == 0 || strcmp(rw->method, "DELETE") == 0)
		return (NULL);
	if (is(rw, "POST", "/api/v1/enroll/lookup"))
		return (json_pack("{s:s}", "code", s->code));
	if (is(rw, "POST", "/api/v1/enroll")) {
		memset(&enrollee, 0, sizeof(enrollee));
		memcpy(enrollee.id, s->pm->id, sizeof(enrollee.id));
		return (enroll_body(&enrollee, s->code));
	}
	if (is(rw, "POST", "/api/v1/auth/params"))
		return (json_pack("{s:s}", "handle", v->handle));
	if (is(rw, "POST", "/api/v1/auth/login"))
		return (json_pack("{s:s,s:o}", "handle", v->handle, "auth_key",
		    jb64(v->auth_key, CUSTODY_KEY_BYTES)));
	if (is(rw, "POST", "/api/v1/auth/recovery/fetch"))
		return (json_pack("{s:s,s:o}", "handle", v->handle, "auth_key",
		    jb64(v->recovery_key, CUSTODY_KEY_BYTES)));
	if (is(rw, "POST", "/api/v1/auth/recovery/reset"))
		return (json_pack("{s:s,s:o,s:o,s:o}", "handle", v->handle,
		    "auth_key", jb64(v->recovery_key, CUSTODY_KEY_BYTES),
		    "custody", custody_json(v->auth_key), "recovery",
		    recovery_json(v->recovery_key)));
	if (is(rw, "POST", "/api/v1/auth/totp/enable"))
		return (json_pack("{s:o,s:o}", "auth_key",
		    jb64(me->auth_key, CUSTODY_KEY_BYTES), "code",
		    code_at(me->totp, (int64_t)time(NULL))));
	if (is(rw, "POST", "/api/v1/auth/totp/disable"))
		return (json_pack("{s:o,s:o}", "auth_key",
		    jb64(me->auth_key, CUSTODY_KEY_BYTES), "code",
		    code_at(me->totp, (int64_t)time(NULL) + 30)));
	if (is(rw, "POST", "/api/v1/auth/password"))
		return (json_pack("{s:o,s:o}", "auth_key",
		    jb64(me->auth_key, CUSTODY_KEY_BYTES), "custody",
		    custody_json(me->auth_key)));
	if (is(rw, "POST", "/api/v1/keys/rotate"))
		return (rotate_body(me, next));
	if (is(rw, "POST", "/api/v1/orgs"))
		return (json_pack("{s:s,s:s}", "id", path("org%u", ++w.uniq),
		    "name", "An Organisation"));
	if (is(rw, "POST", "/api/v1/members"))
		return (json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle",
		    path("member%u", ++w.uniq), "display_name", "Some Body",
		    "org", "state", "roles", "member", "eligible", 1));
	if (is(rw, "PATCH", "/api/v1/members/{id}"))
		return (json_pack("{s:s}", "display_name", "Another Name"));
	if (is(rw, "POST", "/api/v1/memos"))
		return (create_body(&scratch, me));
	if (is(rw, "POST", "/api/v1/memos/{id}/versions"))
		return (version_body(s->m));
	if (is(rw, "PUT", "/api/v1/memos/{id}/settings"))
		return (json_pack(
		    "{s:b,s:b}", "show_signers", 0, "signers_may_invite", 0));
	if (is(rw, "POST", "/api/v1/memos/{id}/invitations"))
		return (invite_body(s->m, &w.extra, "signer"));
	if (is(rw, "POST", "/api/v1/memos/{id}/roster-grants"))
		return (json_pack("{s:[{s:s,s:o}]}", "grants", "member",
		    w.mem[R_INVITEE].id, "sealed",
		    sealed(s->m->roster_sk, MEMO_GRANT_ROSTER, s->m->id,
			w.mem[R_INVITEE].ks.pub.box_pk)));
	if (is(rw, "POST", "/api/v1/memos/{id}/signatures"))
		return (sign_body(s->m, me));
	if (is(rw, "POST", "/api/v1/memos/{id}/submit"))
		return (submit_body(s->m));
	if (is(rw, "POST", "/api/v1/memos/{id}/anonymous-signatures"))
		return (anon_body(s->m, 0));
	if (is(rw, "POST", "/api/v1/memos/{id}/anonymous-signatures/withdraw"))
		return (anon_body(s->m, 1));
	if (is(rw, "POST", "/api/v1/channel/key")) {
		crypto_box_keypair(pk, sk);
		o = json_pack("{s:o,s:o}", "pk", jb64(pk, sizeof(pk)), "grant",
		    sealed(
			sk, "channel-key", w.instance_id, me->ks.pub.box_pk));
		sodium_memzero(sk, sizeof(sk));
		return (o);
	}
	if (is(rw, "POST", "/api/v1/channel/grants"))
		return (json_pack("{s:s,s:o}", "member", w.coord2.id, "grant",
		    sealed(w.channel_sk, "channel-key", w.instance_id,
			w.coord2.ks.pub.box_pk)));
	if (is(rw, "POST", "/api/v1/memos/{id}/redirect"))
		return (note_body(s->m, MEMO_REPLY_KIND_REDIRECT));
	if (is(rw, "POST", "/api/v1/memos/{id}/replies"))
		return (note_body(s->m, MEMO_REPLY_KIND_REPLY));
	if (is(rw, "POST", "/api/v1/memos/{id}/assign"))
		return (assign_body(s->m));
	if (is(rw, "POST", "/api/v1/memos/{id}/distribute"))
		return (json_pack(
		    "{s:[o]}", "recipients", recipient(s->m, &w.mem[R_P2])));
	if (is(rw, "POST", "/api/v1/memos/{id}/meetings"))
		return (json_pack("{s:s}", "principal", w.mem[R_P1].id));
	if (is(rw, "POST", "/api/v1/meetings/{mid}/schedule"))
		return (json_pack("{s:I}", "at",
		    (json_int_t)time(NULL) + 86400 + (json_int_t)++w.uniq));
	if (is(rw, "POST", "/api/v1/meetings/{mid}/outcome"))
		return (json_pack("{s:b}", "held", 0));
	if (is(rw, "POST", "/api/v1/complaints"))
		return (complaint_body());
	/* Every other write takes no fields. */
	return (json_object());
}

/* Record a mismatch of row ${rw} as ${rel}. */
static void mismatch(const struct row *rw, int rel, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
mismatch(const struct row *rw, int rel, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "MISMATCH %s as %s: ", row_label(rw), rel_names[rel]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	w.mismatches++;
}

/* 1 if the JSON ${o} is present and not null. */
static int
present(json_t *o)
{

	return (o != NULL && !json_is_null(o));
}

/*
 * 1 if the list ${arr} holds memo ${id} (each entry a Memo object, or an
 * object holding one under ${wrap}).
 */
static int
listed(json_t *arr, const char *wrap, const char *id)
{
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
	{
		if (wrap != NULL)
			e = json_object_get(e, wrap);
		if (strcmp(str(e, "id"), id) == 0)
			return (1);
	}
	return (0);
}

/*
 * Check which of the shared memos the list of an allowed caller's reply
 * holds: those for which ${want} is set.
 */
static void
check_list(const struct row *rw, int rel, json_t *arr, const char *wrap,
    const int want[T_CLO + 1])
{
	int t;

	assert_true(json_is_array(arr));
	for (t = T_DRAFT; t <= T_CLO; t++)
		if (listed(arr, wrap, w.memos[t].id) != want[t])
			mismatch(rw, rel, "the %s memo is %s", target_names[t],
			    want[t] ? "missing" : "listed");
}

/*
 * Check that a memo route's answer to ${rel}, if not a drafter, names no
 * member of the drafting side (drafter, co-drafter, invitee, signer) but
 * the caller: drafters nearly always sign, so naming one names a signer.
 * Meetings (requested by a drafter, shown to the principal and the
 * channel) are not memo routes.
 */
static void
check_drafting_side_hidden(const struct row *rw, int rel, const struct reply *r)
{
	static const int side[] = {R_DRAFTER, R_CODRAFTER, R_INVITEE, R_SIGNER};
	static char text[HTTP_BODY_MAX];
	size_t i, len;

	/*
	 * The ring snapshot is the directory's eligible set, drafters
	 * included: it names everyone who could sign, no one as a signer.
	 */
	if (rel == R_DRAFTER || rel == R_CODRAFTER || r->json == NULL ||
	    is(rw, "GET", "/api/v1/memos/{id}/ring") ||
	    (strncmp(rw->pattern, "/api/v1/memos", 13) != 0 &&
		!is(rw, "GET", "/api/v1/invitations") &&
		!is(rw, "GET", "/api/v1/channel/inbox")))
		return;
	len = json_dumpb(r->json, text, sizeof(text) - 1, JSON_COMPACT);
	assert_true(len > 0 && len < sizeof(text));
	text[len] = '\0';
	for (i = 0; i < sizeof(side) / sizeof(side[0]); i++)
		if (side[i] != rel && strstr(text, w.mem[side[i]].id) != NULL)
			mismatch(rw, rel, "the answer names the %s",
			    rel_names[side[i]]);
}

/*
 * Check what an allowed caller was given, where the matrix promises more
 * than a status: signer records and roster grants to their audience only
 * (never the assignee), the assignee named only to the channel, and lists
 * that name only the memos and meetings the caller is related to.
 */
static void
check_content(const struct row *rw, int rel, const struct reply *r)
{
	int signers = rel == R_DRAFTER || rel == R_CODRAFTER ||
		      rel == R_COORD || rel == R_P1;
	int want[T_CLO + 1], t, found;
	json_t *o;
	size_t i;

	for (t = T_DRAFT; t <= T_CLO; t++) {
		if (is(rw, "GET", "/api/v1/memos"))
			want[t] = stored_rel(rel, t) != 0;
		else if (is(rw, "GET", "/api/v1/invitations"))
			want[t] = t == T_OPEN &&
				  (rel == R_CODRAFTER || rel == R_INVITEE);
		else
			want[t] = t == T_SUB || t == T_ASG || t == T_REP;
	}
	if (is(rw, "GET", "/api/v1/memos")) {
		check_list(
		    rw, rel, json_object_get(r->json, "memos"), NULL, want);
	} else if (is(rw, "GET", "/api/v1/invitations")) {
		check_list(rw, rel, json_object_get(r->json, "invitations"),
		    "memo", want);
	} else if (is(rw, "GET", "/api/v1/channel/inbox")) {
		check_list(
		    rw, rel, json_object_get(r->json, "memos"), NULL, want);
	} else if (is(rw, "GET", "/api/v1/meetings")) {
		found = 0;
		json_array_foreach(json_object_get(r->json, "meetings"), i, o)
		{
			if (num(o, "id") == w.meeting)
				found = 1;
		}
		if (found !=
		    (rel == R_DRAFTER || rel == R_P1 || rel == R_COORD))
			mismatch(rw, rel, "the meeting is %s",
			    found ? "listed" : "missing");
	} else if (is(rw, "GET", "/api/v1/memos/{id}/signatures")) {
		if (present(json_object_get(r->json, "records")) != signers)
			mismatch(rw, rel, "signer records %s",
			    signers ? "withheld" : "given");
		/* The tags, to strike a record by, are for drafters. */
		json_array_foreach(json_object_get(r->json, "records"), i, o)
		{
			if (present(json_object_get(o, "tag")) !=
			    (rel == R_DRAFTER || rel == R_CODRAFTER))
				mismatch(rw, rel, "record tags wrong");
		}
	} else if (is(rw, "GET", "/api/v1/memos/{id}/grants")) {
		if (!present(json_object_get(r->json, "key")) && rel != R_COORD)
			mismatch(rw, rel, "no memo key grant");
		/* The roster key opens the signer records. */
		if (present(json_object_get(r->json, "roster")) !=
		    (signers && rel != R_COORD))
			mismatch(rw, rel, "roster grant %s",
			    signers ? "withheld" : "given");
		if (present(json_object_get(r->json, "channel")) !=
		    (rel == R_COORD))
			mismatch(rw, rel, "channel grants wrong");
	} else if (is(rw, "GET", "/api/v1/memos/{id}/versions")) {
		/* Who wrote a version names a drafter: drafters' business. */
		json_array_foreach(json_object_get(r->json, "versions"), i, o)
		{
			if (present(json_object_get(o, "author")) !=
			    (rel == R_DRAFTER || rel == R_CODRAFTER))
				mismatch(rw, rel, "version %zu's author %s",
				    i + 1,
				    present(json_object_get(o, "author"))
					? "shown"
					: "hidden");
		}
	} else if (is(rw, "GET", "/api/v1/memos/{id}") &&
		   memo_state_of(rw->target) >= T_ASG) {
		o = json_object_get(
		    json_object_get(r->json, "memo"), "assignee");
		if (present(o) !=
		    (rel == R_COORD || rel == R_DIRECTOR || rel == R_ASSIGNEE))
			mismatch(rw, rel, "assignee %s",
			    present(o) ? "shown" : "hidden");
	}
}

/* After an allowed cell: what the caller's client keeps. */
static void
after(const struct row *rw, int rel, const struct reply *r,
    const struct keys_secret *next)
{
	struct member *me = &w.mem[rel];

	if (is(rw, "POST", "/api/v1/auth/totp/setup"))
		base32_decode(me->totp, str(r->json, "secret"));
	else if (is(rw, "POST", "/api/v1/keys/rotate")) {
		me->ks = *next;
		me->epoch++;
	}
}

/* Run every cell of row ${rw}. */
static void
run_row(const struct row *rw)
{
	struct keys_secret next;
	struct subject shared, fresh, *s;
	struct reply r;
	const char *code, *want_code;
	char p[512];
	unsigned int want;
	int rel;

	subject(rw, 0, &shared);
	for (rel = 0; rel < NREL; rel++) {
		want = expect_status(rw->expect[rel], &want_code);
		s = &shared;
		if (rw->fresh && want < 300) {
			subject(rw, 1, &fresh);
			s = &fresh;
		}
		expand(rw, s, p, sizeof(p));
		call(&r, rw->method, p, rel == R_ANON ? NULL : w.mem[rel].token,
		    body_for(rw, s, rel, &next));
		code = error_code(&r);
		if (want_code == NULL && refused(rw->expect[rel]))
			want_code = want == 401   ? "unauthenticated"
				    : want == 403 ? "forbidden"
						  : "not_found";
		if (r.status != want ||
		    (want_code != NULL && strcmp(code, want_code) != 0))
			mismatch(rw, rel, "expected %s, got %u %s",
			    rw->expect[rel], r.status, code);
		else if (want < 300) {
			check_drafting_side_hidden(rw, rel, &r);
			check_content(rw, rel, &r);
			after(rw, rel, &r, &next);
		}
		reply_free(&r);
	}
}

/* The index in deferred[] of ${rw}'s pattern, or NDEFERRED. */
static size_t
deferred_index(const struct row *rw)
{
	size_t i;

	for (i = 0; i < NDEFERRED; i++)
		if (strcmp(rw->pattern, deferred[i]) == 0)
			break;
	return (i);
}

/* Write the matrix as a Markdown table to ${name}. */
static void
write_markdown(const char *name)
{
	FILE *f;
	size_t j;
	int rel;

	assert_non_null(f = fopen(name, "w"));
	fprintf(f, "| endpoint |");
	for (rel = 0; rel < NREL; rel++)
		fprintf(f, " %s |", rel_short[rel]);
	fprintf(f, "\n|---|");
	for (rel = 0; rel < NREL; rel++)
		fprintf(f, "---|");
	fprintf(f, "\n");
	for (j = 0; j < NROWS; j++) {
		fprintf(f, "| `%s %s`", rows[j].method, rows[j].pattern);
		if (is_memo_target(memo_state_of(rows[j].target)))
			fprintf(f, " (%s)", target_names[rows[j].target]);
		fprintf(f, " |");
		for (rel = 0; rel < NREL; rel++)
			fprintf(f, " %s %s |",
			    refused(rows[j].expect[rel]) ? "✗" : "✓",
			    rows[j].expect[rel]);
		fprintf(f, "\n");
	}
	assert_int_equal(fclose(f), 0);
}

static void
test_every_cell_answers_as_the_matrix_says(void **state)
{
	const char *md = getenv("DISSENT_MATRIX_MD");
	size_t i, j;

	(void)state;
	w.mismatches = 0;
	for (j = 0; j < NROWS; j++)
		if (deferred_index(&rows[j]) == NDEFERRED)
			run_row(&rows[j]);
	for (i = 0; i < NDEFERRED; i++)
		for (j = 0; j < NROWS; j++)
			if (deferred_index(&rows[j]) == i)
				run_row(&rows[j]);
	if (md != NULL && md[0] != '\0')
		write_markdown(md);
	assert_int_equal(w.mismatches, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_route_has_a_matrix_row),
	    cmocka_unit_test(test_matrix_states_the_rules),
	    cmocka_unit_test(test_access_table_agrees_with_the_matrix),
	    cmocka_unit_test(test_every_cell_answers_as_the_matrix_says),
	};

	if (sodium_init() < 0)
		return (1);
	jsonin_init();
	return (cmocka_run_group_tests(tests, setup, teardown));
}
