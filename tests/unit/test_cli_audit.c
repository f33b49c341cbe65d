/*
 * The auditor's state (src/cli/audit.c): the tree kept as its right edge
 * gives the same root as the whole tree at every size, also after being
 * saved and read back; the timeline accepts the directory's lawful
 * histories and refuses, with a message naming the entry, every event
 * that breaks its rules, leaving the state unchanged; a saved state that
 * breaks the timeline's invariants is refused.
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
#include <sodium.h>

#include "audit.h"
#include "directory.h"
#include "event.h"
#include "jsonmem.h"
#include "lifecycle.h"
#include "merkle.h"
#include "merkle_mem.h"

#define H MERKLE_HASH_BYTES
#define ROOT_SIZES 200
#define RESUME_SIZES 60

/* Encode an event of ${type} with the given fields into ${buf}. */
static size_t
encode(uint8_t buf[EVENT_MAX_BYTES], uint16_t type, unsigned int member,
    const char *org, uint32_t roles, uint8_t eligible, uint32_t epoch)
{
	struct event ev;
	size_t len;

	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = type;
	ev.time = 1764400000 + member;
	(void)snprintf(ev.member_id, sizeof(ev.member_id), "m_%024x", member);
	if (org != NULL)
		(void)snprintf(ev.org_id, sizeof(ev.org_id), "%s", org);
	ev.roles = roles;
	ev.eligible = eligible;
	ev.epoch = epoch;
	memset(ev.keys_hash, (int)(epoch + member), sizeof(ev.keys_hash));
	assert_int_equal(event_encode(buf, EVENT_MAX_BYTES, &len, &ev), 0);
	return (len);
}

/*
 * Entry ${i} of a lawful history: an organisation, then for each member
 * creation, enrollment, rotation, suspension, reinstatement, a role change
 * and an eligibility change.
 */
static size_t
lawful(uint8_t buf[EVENT_MAX_BYTES], uint64_t i)
{
	unsigned int m = (unsigned int)((i - 1) / 7);

	if (i == 0)
		return (encode(buf, EVENT_ORG_CREATED, 0, "org", 0, 0, 0));
	switch ((i - 1) % 7) {
	case 0:
		return (encode(
		    buf, EVENT_MEMBER_CREATED, m, "org", ROLE_MEMBER, 1, 0));
	case 1:
		return (encode(buf, EVENT_MEMBER_ENROLLED, m, NULL, 0, 0, 1));
	case 2:
		return (encode(buf, EVENT_KEYS_ROTATED, m, NULL, 0, 0, 2));
	case 3:
		return (encode(buf, EVENT_MEMBER_SUSPENDED, m, NULL, 0, 0, 0));
	case 4:
		return (encode(buf, EVENT_MEMBER_REINSTATED, m, NULL, 0, 0, 0));
	case 5:
		return (encode(buf, EVENT_ROLES_CHANGED, m, NULL,
		    ROLE_MEMBER | ROLE_AUDITOR, 0, 0));
	default:
		return (
		    encode(buf, EVENT_ELIGIBILITY_CHANGED, m, NULL, 0, 0, 0));
	}
}

static void
append_ok(struct audit *a, const uint8_t *buf, size_t len)
{
	char err[AUDIT_ERR_MAX];
	struct event ev;

	if (audit_append(a, buf, len, &ev, err, sizeof(err)) != 0)
		fail_msg("refused: %s", err);
}

/*
 * ${buf} must be refused with a message containing ${why} and the entry's
 * index, and leave ${a} as it was.
 */
static void
assert_refused(struct audit *a, const uint8_t *buf, size_t len, const char *why)
{
	char err[AUDIT_ERR_MAX], idx[32];
	uint8_t before[H], after[H];
	struct event ev;
	uint64_t size = audit_size(a);
	json_t *j1, *j2;

	assert_int_equal(audit_root(a, before), 0);
	assert_non_null(j1 = audit_json(a));
	memset(err, 0, sizeof(err));
	assert_int_equal(audit_append(a, buf, len, &ev, err, sizeof(err)), -1);
	if (strstr(err, why) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err, why);
	(void)snprintf(
	    idx, sizeof(idx), "entry %llu", (unsigned long long)size);
	assert_non_null(strstr(err, idx));
	assert_int_equal(audit_size(a), size);
	assert_int_equal(audit_root(a, after), 0);
	assert_memory_equal(before, after, H);
	assert_non_null(j2 = audit_json(a));
	assert_true(json_equal(j1, j2));
	json_decref(j1);
	json_decref(j2);
}

/* A state with org "org" and member 1 created (pending). */
static struct audit *
with_pending_member(void)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a;

	assert_non_null(a = audit_new());
	append_ok(a, buf, encode(buf, EVENT_ORG_CREATED, 0, "org", 0, 0, 0));
	append_ok(a, buf,
	    encode(buf, EVENT_MEMBER_CREATED, 1, "org", ROLE_MEMBER, 1, 0));
	return (a);
}

/* As with_pending_member(), and the member enrolled (active, epoch 1). */
static struct audit *
with_active_member(void)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_pending_member();

	append_ok(a, buf, encode(buf, EVENT_MEMBER_ENROLLED, 1, NULL, 0, 0, 1));
	return (a);
}

static void
test_empty_state_has_the_empty_root(void **state)
{
	struct audit *a;
	uint8_t root[H], empty[H];

	(void)state;
	assert_non_null(a = audit_new());
	assert_int_equal(audit_size(a), 0);
	assert_int_equal(audit_root(a, root), 0);
	assert_int_equal(merkle_empty_root(empty), 0);
	assert_memory_equal(root, empty, H);
	audit_free(a);
}

static void
test_root_matches_the_whole_tree_at_every_size(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES], r1[H], r2[H];
	struct merkle_mem *mem;
	struct merkle_source src;
	struct audit *a;
	uint64_t i;
	size_t len;

	(void)state;
	assert_non_null(a = audit_new());
	assert_non_null(mem = merkle_mem_new(ROOT_SIZES));
	merkle_mem_source(mem, &src);
	for (i = 0; i < ROOT_SIZES; i++) {
		len = lawful(buf, i);
		append_ok(a, buf, len);
		assert_int_equal(merkle_mem_append(mem, buf, len), 0);
		assert_int_equal(audit_size(a), i + 1);
		assert_int_equal(audit_root(a, r1), 0);
		assert_int_equal(merkle_root(&src, i + 1, r2), 0);
		assert_memory_equal(r1, r2, H);
	}
	merkle_mem_free(mem);
	audit_free(a);
}

static void
test_saved_state_resumes_to_the_same_roots(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES], r1[H], r2[H];
	struct merkle_mem *mem;
	struct merkle_source src;
	struct audit *a, *b;
	char err[AUDIT_ERR_MAX];
	uint64_t k, i;
	json_t *j;

	(void)state;
	assert_non_null(mem = merkle_mem_new(RESUME_SIZES));
	merkle_mem_source(mem, &src);
	for (i = 0; i < RESUME_SIZES; i++)
		assert_int_equal(
		    merkle_mem_append(mem, buf, lawful(buf, i)), 0);
	for (k = 0; k <= RESUME_SIZES; k++) {
		assert_non_null(a = audit_new());
		for (i = 0; i < k; i++)
			append_ok(a, buf, lawful(buf, i));
		/* Through text, as it is saved. */
		assert_non_null(j = audit_json(a));
		audit_free(a);
		if ((b = audit_from_json(j, err, sizeof(err))) == NULL)
			fail_msg("size %llu: %s", (unsigned long long)k, err);
		json_decref(j);
		assert_int_equal(audit_size(b), k);
		for (i = k; i < RESUME_SIZES; i++) {
			append_ok(b, buf, lawful(buf, i));
			assert_int_equal(audit_root(b, r1), 0);
			assert_int_equal(merkle_root(&src, i + 1, r2), 0);
			assert_memory_equal(r1, r2, H);
		}
		audit_free(b);
	}
	merkle_mem_free(mem);
}

static void
test_saved_state_keeps_the_timeline(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	char err[AUDIT_ERR_MAX];
	struct audit *a = with_active_member(), *b;
	json_t *j;

	(void)state;
	assert_non_null(j = audit_json(a));
	assert_non_null(b = audit_from_json(j, err, sizeof(err)));
	json_decref(j);
	/* The member is known, active, at epoch 1, in a known org. */
	assert_refused(b, buf,
	    encode(buf, EVENT_MEMBER_CREATED, 1, "org", ROLE_MEMBER, 1, 0),
	    "created twice");
	assert_refused(b, buf,
	    encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 3), "holds epoch 1");
	assert_refused(b, buf,
	    encode(buf, EVENT_ORG_CREATED, 0, "org", 0, 0, 0), "created twice");
	append_ok(b, buf, encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 2));
	assert_int_equal(audit_count(b, EVENT_KEYS_ROTATED), 1);
	assert_int_equal(audit_count(b, EVENT_MEMBER_CREATED), 1);
	audit_free(a);
	audit_free(b);
}

static void
test_refuses_an_organisation_created_twice(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_pending_member();

	(void)state;
	assert_refused(a, buf,
	    encode(buf, EVENT_ORG_CREATED, 0, "org", 0, 0, 0),
	    "organisation org is created twice");
	audit_free(a);
}

static void
test_refuses_a_member_created_twice(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_pending_member();

	(void)state;
	assert_refused(a, buf,
	    encode(buf, EVENT_MEMBER_CREATED, 1, "org", ROLE_MEMBER, 0, 0),
	    "created twice");
	audit_free(a);
}

static void
test_refuses_a_member_of_an_unknown_organisation(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_pending_member();

	(void)state;
	assert_refused(a, buf,
	    encode(buf, EVENT_MEMBER_CREATED, 2, "other", ROLE_MEMBER, 0, 0),
	    "unknown organisation other");
	audit_free(a);
}

static void
test_refuses_every_event_for_an_unknown_member(void **state)
{
	static const uint16_t types[] = {EVENT_MEMBER_ENROLLED,
	    EVENT_KEYS_ROTATED, EVENT_MEMBER_SUSPENDED, EVENT_MEMBER_REINSTATED,
	    EVENT_ROLES_CHANGED, EVENT_ELIGIBILITY_CHANGED};
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		assert_refused(a, buf,
		    encode(buf, types[i], 9, NULL, ROLE_MEMBER, 0,
			types[i] == EVENT_KEYS_ROTATED ? 2 : 1),
		    "unknown member m_000000000000000000000009");
	audit_free(a);
}

static void
test_refuses_an_enrollment_twice(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();

	(void)state;
	assert_refused(a, buf,
	    encode(buf, EVENT_MEMBER_ENROLLED, 1, NULL, 0, 0, 1),
	    "enrolls again");
	audit_free(a);
}

static void
test_refuses_an_enrollment_at_another_epoch(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_pending_member();

	(void)state;
	assert_refused(a, buf,
	    encode(buf, EVENT_MEMBER_ENROLLED, 1, NULL, 0, 0, 2),
	    "at key epoch 2, not 1");
	audit_free(a);
}

static void
test_refuses_an_enrollment_while_suspended(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_pending_member();

	(void)state;
	append_ok(
	    a, buf, encode(buf, EVENT_MEMBER_SUSPENDED, 1, NULL, 0, 0, 0));
	assert_refused(a, buf,
	    encode(buf, EVENT_MEMBER_ENROLLED, 1, NULL, 0, 0, 1),
	    "enrolls while suspended");
	audit_free(a);
}

static void
test_refuses_a_rotation_before_enrollment(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_pending_member();

	(void)state;
	assert_refused(a, buf,
	    encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 2),
	    "without having enrolled");
	audit_free(a);
}

static void
test_refuses_a_rotation_that_is_not_to_the_next_epoch(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();

	(void)state;
	assert_refused(a, buf,
	    encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 3),
	    "rotates keys to epoch 3, but holds epoch 1");
	append_ok(a, buf, encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 2));
	/* The same epoch again is no rotation either. */
	assert_refused(a, buf,
	    encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 2),
	    "rotates keys to epoch 2, but holds epoch 2");
	append_ok(a, buf, encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 3));
	audit_free(a);
}

static void
test_refuses_a_rotation_while_suspended(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();

	(void)state;
	append_ok(
	    a, buf, encode(buf, EVENT_MEMBER_SUSPENDED, 1, NULL, 0, 0, 0));
	assert_refused(a, buf,
	    encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 2),
	    "rotates keys while suspended");
	audit_free(a);
}

static void
test_refuses_a_suspension_twice_and_a_reinstatement_of_the_active(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();

	(void)state;
	assert_refused(a, buf,
	    encode(buf, EVENT_MEMBER_REINSTATED, 1, NULL, 0, 0, 0),
	    "reinstated while active");
	append_ok(
	    a, buf, encode(buf, EVENT_MEMBER_SUSPENDED, 1, NULL, 0, 0, 0));
	assert_refused(a, buf,
	    encode(buf, EVENT_MEMBER_SUSPENDED, 1, NULL, 0, 0, 0),
	    "suspended while suspended");
	audit_free(a);
}

static void
test_reinstatement_returns_a_member_to_its_former_status(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_pending_member();

	(void)state;
	/* Never enrolled: pending again, so it may enroll. */
	append_ok(
	    a, buf, encode(buf, EVENT_MEMBER_SUSPENDED, 1, NULL, 0, 0, 0));
	append_ok(
	    a, buf, encode(buf, EVENT_MEMBER_REINSTATED, 1, NULL, 0, 0, 0));
	assert_refused(a, buf,
	    encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 2),
	    "without having enrolled");
	append_ok(a, buf, encode(buf, EVENT_MEMBER_ENROLLED, 1, NULL, 0, 0, 1));
	/* Enrolled: active again, so it may rotate. */
	append_ok(
	    a, buf, encode(buf, EVENT_MEMBER_SUSPENDED, 1, NULL, 0, 0, 0));
	append_ok(
	    a, buf, encode(buf, EVENT_MEMBER_REINSTATED, 1, NULL, 0, 0, 0));
	append_ok(a, buf, encode(buf, EVENT_KEYS_ROTATED, 1, NULL, 0, 0, 2));
	audit_free(a);
}

static void
test_refuses_a_malformed_event(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();
	size_t len;

	(void)state;
	len = encode(buf, EVENT_MEMBER_SUSPENDED, 1, NULL, 0, 0, 0);
	assert_refused(a, buf, len - 1, "not a well-formed event");
	buf[0] = 2;
	assert_refused(a, buf, len, "not a well-formed event");
	audit_free(a);
}

static void
test_census_counts_members_by_status(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit_census cs;
	struct audit *a = with_active_member();

	(void)state;
	append_ok(a, buf, encode(buf, EVENT_ORG_CREATED, 0, "two", 0, 0, 0));
	append_ok(a, buf,
	    encode(buf, EVENT_MEMBER_CREATED, 2, "two", ROLE_MEMBER, 1, 0));
	append_ok(a, buf,
	    encode(buf, EVENT_MEMBER_CREATED, 3, "two", ROLE_ADMIN, 0, 0));
	append_ok(
	    a, buf, encode(buf, EVENT_MEMBER_SUSPENDED, 3, NULL, 0, 0, 0));
	audit_census(a, &cs);
	assert_int_equal(cs.orgs, 2);
	assert_int_equal(cs.members, 3);
	assert_int_equal(cs.active, 1);
	assert_int_equal(cs.pending, 1);
	assert_int_equal(cs.suspended, 1);
	assert_int_equal(audit_count(a, EVENT_MEMBER_CREATED), 3);
	assert_int_equal(audit_count(a, EVENT_ORG_CREATED), 2);
	assert_int_equal(audit_count(a, 0), 0);
	assert_int_equal(audit_count(a, 60000), 0);
	audit_free(a);
}

/* A saved state with one organisation and one active member, size 3. */
static json_t *
saved(void)
{
	struct audit *a = with_active_member();
	json_t *j;

	assert_non_null(j = audit_json(a));
	audit_free(a);
	return (j);
}

/* ${j} must be refused; it is consumed. */
static void
assert_state_refused(json_t *j)
{
	char err[AUDIT_ERR_MAX];

	assert_null(audit_from_json(j, err, sizeof(err)));
	assert_true(strlen(err) > 0);
	json_decref(j);
}

static json_t *
member_of(json_t *j)
{

	return (json_object_get(
	    json_object_get(j, "members"), "m_000000000000000000000001"));
}

static void
test_saved_state_is_read_back(void **state)
{
	char err[AUDIT_ERR_MAX];
	struct audit *a;
	json_t *j = saved();

	(void)state;
	assert_non_null(a = audit_from_json(j, err, sizeof(err)));
	assert_int_equal(audit_size(a), 3);
	audit_free(a);
	json_decref(j);
}

static void
test_saved_state_refuses_counts_that_do_not_add_up(void **state)
{
	json_t *j;

	(void)state;
	j = saved();
	json_object_set_new(
	    json_object_get(j, "counts"), "roles_changed", json_integer(1));
	assert_state_refused(j);
	j = saved();
	json_object_set_new(j, "size", json_integer(4));
	assert_state_refused(j);
	j = saved();
	json_object_set_new(
	    json_object_get(j, "counts"), "memo_submitted", json_integer(1));
	assert_state_refused(j);
	/* A name that is no event type. */
	j = saved();
	json_object_set_new(
	    json_object_get(j, "counts"), "memo_rescinded", json_integer(0));
	assert_state_refused(j);
	j = saved();
	json_object_set_new(j, "size", json_integer(-1));
	assert_state_refused(j);
}

static void
test_saved_state_refuses_a_wrong_edge(void **state)
{
	json_t *j;

	(void)state;
	/* Size 3 has two edge nodes. */
	j = saved();
	assert_int_equal(json_array_size(json_object_get(j, "edge")), 2);
	json_array_remove(json_object_get(j, "edge"), 1);
	assert_state_refused(j);
	j = saved();
	json_array_append_new(json_object_get(j, "edge"),
	    json_string("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	assert_state_refused(j);
	j = saved();
	json_array_set_new(json_object_get(j, "edge"), 0, json_string("AAAA"));
	assert_state_refused(j);
}

static void
test_saved_state_refuses_a_broken_timeline(void **state)
{
	json_t *j;

	(void)state;
	j = saved();
	json_object_set_new(member_of(j), "org", json_string("nowhere"));
	assert_state_refused(j);
	j = saved();
	json_object_set_new(member_of(j), "epoch", json_integer(0));
	assert_state_refused(j);
	j = saved();
	json_object_set_new(member_of(j), "status", json_string("pending"));
	assert_state_refused(j);
	j = saved();
	json_object_set_new(member_of(j), "status", json_string("gone"));
	assert_state_refused(j);
	j = saved();
	json_object_set_new(
	    member_of(j), "roles", json_integer(ROLE_ADMIN | ROLE_MEMBER));
	assert_state_refused(j);
	j = saved();
	json_array_append_new(json_object_get(j, "orgs"), json_string("org"));
	assert_state_refused(j);
	/* A member that no member_created event accounts for. */
	j = saved();
	json_object_set(json_object_get(j, "members"),
	    "m_000000000000000000000002", member_of(j));
	assert_state_refused(j);
	j = saved();
	json_object_set(
	    json_object_get(j, "members"), "not-an-id", member_of(j));
	assert_state_refused(j);
}

static void
test_memo_events_are_accepted_as_entries(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES], r1[H], r2[H];
	char err[AUDIT_ERR_MAX];
	struct merkle_mem *mem;
	struct merkle_source src;
	struct audit *a = with_active_member(), *b;
	struct audit_census cs;
	struct event ev;
	size_t len, i;
	json_t *j;

	(void)state;
	/* Entries 0..2 as with_active_member() made them. */
	assert_non_null(mem = merkle_mem_new(8));
	merkle_mem_source(mem, &src);
	assert_int_equal(merkle_mem_append(mem, buf,
			     encode(buf, EVENT_ORG_CREATED, 0, "org", 0, 0, 0)),
	    0);
	assert_int_equal(
	    merkle_mem_append(mem, buf,
		encode(buf, EVENT_MEMBER_CREATED, 1, "org", ROLE_MEMBER, 1, 0)),
	    0);
	assert_int_equal(
	    merkle_mem_append(
		mem, buf, encode(buf, EVENT_MEMBER_ENROLLED, 1, NULL, 0, 0, 1)),
	    0);
	/* A memo submitted, then withdrawn, naming no member at all. */
	for (i = 0; i < 2; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.version = EVENT_FORMAT_VERSION;
		ev.type = i == 0 ? EVENT_MEMO_SUBMITTED : EVENT_MEMO_WITHDRAWN;
		ev.time = 1764500000 + i;
		memcpy(ev.memo_id, "d_00112233445566778899aabb", 27);
		ev.memo_version = 1;
		assert_int_equal(event_encode(buf, sizeof(buf), &len, &ev), 0);
		append_ok(a, buf, len);
		assert_int_equal(merkle_mem_append(mem, buf, len), 0);
	}
	assert_int_equal(audit_size(a), 5);
	assert_int_equal(audit_count(a, EVENT_MEMO_SUBMITTED), 1);
	assert_int_equal(audit_count(a, EVENT_MEMO_WITHDRAWN), 1);
	assert_int_equal(audit_root(a, r1), 0);
	assert_int_equal(merkle_root(&src, 5, r2), 0);
	assert_memory_equal(r1, r2, H);
	/* The directory is untouched. */
	audit_census(a, &cs);
	assert_int_equal(cs.orgs, 1);
	assert_int_equal(cs.members, 1);
	assert_int_equal(cs.active, 1);
	/* And the state saves and reads back with its counts. */
	assert_non_null(j = audit_json(a));
	if ((b = audit_from_json(j, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_int_equal(audit_count(b, EVENT_MEMO_SUBMITTED), 1);
	assert_int_equal(audit_root(b, r2), 0);
	assert_memory_equal(r1, r2, H);
	json_decref(j);
	audit_free(b);
	merkle_mem_free(mem);
	audit_free(a);
}

#define MEMO_A "d_00112233445566778899aabb"
#define MEMO_T 1764500000

/*
 * Encode memo or channel event ${type} of memo MEMO_A at MEMO_T + ${dt},
 * naming member ${member} (0: none) where the type names one.
 */
static size_t
memo_event(uint8_t buf[EVENT_MAX_BYTES], uint16_t type, int64_t dt,
    unsigned int member)
{
	struct event ev;
	size_t len;

	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = type;
	ev.time = (uint64_t)(MEMO_T + dt);
	memcpy(ev.memo_id, MEMO_A, sizeof(ev.memo_id));
	if (member != 0)
		(void)snprintf(
		    ev.member_id, sizeof(ev.member_id), "m_%024x", member);
	ev.memo_version = 1;
	ev.n = 1;
	ev.kind = 1;
	ev.at = MEMO_T + 1;
	assert_int_equal(event_encode(buf, EVENT_MAX_BYTES, &len, &ev), 0);
	return (len);
}

static void
test_accepts_a_memo_s_lawful_life(void **state)
{
	static const uint16_t life[] = {EVENT_GRANT_CREATED,
	    EVENT_CONTENT_ACCESSED, EVENT_MEMO_SUBMITTED,
	    EVENT_MEMO_ACKNOWLEDGED, EVENT_MEMO_ASSIGNED, EVENT_MEMO_ASSIGNED,
	    EVENT_MEMO_DISTRIBUTED, EVENT_MEETING_REQUESTED,
	    EVENT_MEETING_SCHEDULED, EVENT_MEETING_HELD, EVENT_MEMO_REPLIED,
	    EVENT_MEMO_REPLIED, EVENT_MEMO_DISTRIBUTED, EVENT_MEMO_CLOSED,
	    EVENT_MEETING_REQUESTED, EVENT_COMPLAINT_FILED,
	    EVENT_CHANNEL_KEY_CREATED, EVENT_CHANNEL_KEY_GRANTED};
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit_memo_report *r;
	struct audit *a = with_active_member();
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(life) / sizeof(life[0]); i++)
		append_ok(a, buf, memo_event(buf, life[i], (int64_t)i, 1));
	assert_int_equal(audit_compliance(a, MEMO_T + 100, 60, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].state, MEMO_STATE_CLOSED);
	assert_int_equal(r[0].submitted_at, MEMO_T + 2);
	assert_int_equal(r[0].acked_at, MEMO_T + 3);
	assert_int_equal(r[0].replied_at, MEMO_T + 10);
	assert_int_equal(r[0].ended_at, MEMO_T + 13);
	assert_int_equal(r[0].replies, 2);
	assert_int_equal(r[0].meetings, 2);
	assert_int_equal(r[0].index, 5);
	assert_int_equal(audit_latest_time(a), MEMO_T + 17);
	free(r);
	audit_free(a);
}

/* A state with member 1 active and MEMO_A submitted at MEMO_T. */
static struct audit *
with_submitted_memo(void)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();

	append_ok(a, buf, memo_event(buf, EVENT_MEMO_SUBMITTED, 0, 0));
	return (a);
}

static void
test_refuses_memo_events_before_the_submission(void **state)
{
	static const uint16_t types[] = {EVENT_MEMO_ACKNOWLEDGED,
	    EVENT_MEMO_REDIRECTED, EVENT_MEMO_ASSIGNED, EVENT_MEMO_DISTRIBUTED,
	    EVENT_MEMO_REPLIED, EVENT_MEMO_CLOSED, EVENT_MEETING_REQUESTED};
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		assert_refused(a, buf, memo_event(buf, types[i], 1, 1),
		    "before it was submitted");
	assert_refused(a, buf, memo_event(buf, EVENT_DEADLINE_MISSED, 9, 0),
	    "misses a deadline, but was never submitted");
	/* Grants and accesses concern drafts too. */
	append_ok(a, buf, memo_event(buf, EVENT_GRANT_CREATED, 0, 0));
	audit_free(a);
}

static void
test_refuses_memo_events_the_lifecycle_forbids(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_submitted_memo();

	(void)state;
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_SUBMITTED, 1, 0),
	    "memo " MEMO_A ": submit while submitted");
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_REPLIED, 1, 0),
	    "reply while submitted");
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_CLOSED, 1, 0),
	    "close while submitted");
	append_ok(a, buf, memo_event(buf, EVENT_MEMO_REDIRECTED, 1, 0));
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_ACKNOWLEDGED, 2, 0),
	    "acknowledge while redirected");
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_ASSIGNED, 2, 1),
	    "assign while redirected");
	append_ok(a, buf, memo_event(buf, EVENT_MEMO_CLOSED, 2, 0));
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_WITHDRAWN, 3, 0),
	    "withdraw while closed");
	audit_free(a);
}

static void
test_refuses_closing_before_a_reply(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_submitted_memo();

	(void)state;
	append_ok(a, buf, memo_event(buf, EVENT_MEMO_ACKNOWLEDGED, 1, 0));
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_CLOSED, 2, 0),
	    "close while acknowledged");
	append_ok(a, buf, memo_event(buf, EVENT_MEMO_ASSIGNED, 2, 1));
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_CLOSED, 3, 0),
	    "close while assigned");
	append_ok(a, buf, memo_event(buf, EVENT_MEMO_REPLIED, 3, 1));
	append_ok(a, buf, memo_event(buf, EVENT_MEMO_CLOSED, 4, 0));
	audit_free(a);
}

static void
test_refuses_a_submission_after_a_draft_was_withdrawn(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_active_member();

	(void)state;
	append_ok(a, buf, memo_event(buf, EVENT_MEMO_WITHDRAWN, 0, 0));
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_SUBMITTED, 1, 0),
	    "submit while withdrawn");
	audit_free(a);
}

static void
test_refuses_an_answer_before_the_submission(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_submitted_memo();

	(void)state;
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_ACKNOWLEDGED, -1, 0),
	    "before its submission");
	audit_free(a);
}

static void
test_refuses_memo_events_naming_unknown_members(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct audit *a = with_submitted_memo();
	struct event ev;
	size_t len;

	(void)state;
	append_ok(a, buf, memo_event(buf, EVENT_MEMO_ACKNOWLEDGED, 1, 0));
	assert_refused(a, buf, memo_event(buf, EVENT_MEMO_ASSIGNED, 2, 7),
	    "unknown member m_000000000000000000000007");
	assert_refused(a, buf, memo_event(buf, EVENT_CHANNEL_KEY_GRANTED, 2, 7),
	    "unknown member");
	/* A distribution's approver must be known as well. */
	assert_int_equal(event_decode(&ev, buf,
			     memo_event(buf, EVENT_MEMO_DISTRIBUTED, 2, 1)),
	    0);
	memcpy(ev.member2_id, "m_000000000000000000000008", 27);
	assert_int_equal(event_encode(buf, sizeof(buf), &len, &ev), 0);
	assert_refused(
	    a, buf, len, "unknown member m_000000000000000000000008");
	audit_free(a);
}

static void
test_free_accepts_null(void **state)
{

	(void)state;
	audit_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_state_has_the_empty_root),
	    cmocka_unit_test(test_root_matches_the_whole_tree_at_every_size),
	    cmocka_unit_test(test_saved_state_resumes_to_the_same_roots),
	    cmocka_unit_test(test_saved_state_keeps_the_timeline),
	    cmocka_unit_test(test_refuses_an_organisation_created_twice),
	    cmocka_unit_test(test_refuses_a_member_created_twice),
	    cmocka_unit_test(test_refuses_a_member_of_an_unknown_organisation),
	    cmocka_unit_test(test_refuses_every_event_for_an_unknown_member),
	    cmocka_unit_test(test_refuses_an_enrollment_twice),
	    cmocka_unit_test(test_refuses_an_enrollment_at_another_epoch),
	    cmocka_unit_test(test_refuses_an_enrollment_while_suspended),
	    cmocka_unit_test(test_refuses_a_rotation_before_enrollment),
	    cmocka_unit_test(
		test_refuses_a_rotation_that_is_not_to_the_next_epoch),
	    cmocka_unit_test(test_refuses_a_rotation_while_suspended),
	    cmocka_unit_test(
		test_refuses_a_suspension_twice_and_a_reinstatement_of_the_active),
	    cmocka_unit_test(
		test_reinstatement_returns_a_member_to_its_former_status),
	    cmocka_unit_test(test_refuses_a_malformed_event),
	    cmocka_unit_test(test_census_counts_members_by_status),
	    cmocka_unit_test(test_saved_state_is_read_back),
	    cmocka_unit_test(
		test_saved_state_refuses_counts_that_do_not_add_up),
	    cmocka_unit_test(test_saved_state_refuses_a_wrong_edge),
	    cmocka_unit_test(test_saved_state_refuses_a_broken_timeline),
	    cmocka_unit_test(test_memo_events_are_accepted_as_entries),
	    cmocka_unit_test(test_accepts_a_memo_s_lawful_life),
	    cmocka_unit_test(test_refuses_memo_events_before_the_submission),
	    cmocka_unit_test(test_refuses_memo_events_the_lifecycle_forbids),
	    cmocka_unit_test(test_refuses_closing_before_a_reply),
	    cmocka_unit_test(
		test_refuses_a_submission_after_a_draft_was_withdrawn),
	    cmocka_unit_test(test_refuses_an_answer_before_the_submission),
	    cmocka_unit_test(test_refuses_memo_events_naming_unknown_members),
	    cmocka_unit_test(test_free_accepts_null),
	};

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
