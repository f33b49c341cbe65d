/*
 * The JSON of the channel log on the client (src/cli/logwire.c): tree
 * heads read and written in one shape, proofs and entries read with exact
 * lengths and bounds, events shown with the fields of their type.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "b64.h"
#include "deadline.h"
#include "directory.h"
#include "event.h"
#include "jsonmem.h"
#include "logwire.h"
#include "merkle.h"
#include "treehead.h"

#define MEMBER "m_0123456789abcdef01234567"

static struct treehead
sample_head(void)
{
	struct treehead th;

	memset(&th, 0, sizeof(th));
	memcpy(th.instance_id, "0123456789abcdef0123456789abcdef", 33);
	th.size = 42;
	th.timestamp = 1764400000;
	memset(th.root, 0xab, sizeof(th.root));
	memset(th.sig, 0xcd, sizeof(th.sig));
	return (th);
}

/* The b64 of ${n} bytes of ${v}, as a JSON string. */
static json_t *
b64_of(uint8_t v, size_t n)
{
	uint8_t buf[128];
	char s[B64_ENCODED_LEN(128)];

	memset(buf, v, n);
	assert_int_equal(b64_encode(s, sizeof(s), buf, n), 0);
	return (json_string(s));
}

static void
test_head_round_trips(void **state)
{
	struct treehead th = sample_head(), back;
	json_t *j;

	(void)state;
	assert_non_null(j = logwire_head_json(&th));
	assert_int_equal(logwire_head_parse(j, &back), 0);
	assert_memory_equal(&back, &th, sizeof(th));
	assert_int_equal(json_integer_value(json_object_get(j, "size")), 42);
	json_decref(j);
}

/* The sample head's JSON with ${key} set to ${v} (NULL: removed). */
static void
assert_head_refused(const char *key, json_t *v)
{
	struct treehead th = sample_head(), back;
	json_t *j;

	assert_non_null(j = logwire_head_json(&th));
	if (v == NULL)
		json_object_del(j, key);
	else
		json_object_set_new(j, key, v);
	memset(&back, 0x11, sizeof(back));
	assert_int_equal(logwire_head_parse(j, &back), -1);
	assert_true(sodium_is_zero((uint8_t *)&back, sizeof(back)));
	json_decref(j);
}

static void
test_head_refuses_missing_or_malformed_fields(void **state)
{
	char longid[TREEHEAD_INSTANCE_ID_MAX + 2];

	(void)state;
	assert_head_refused("instance_id", NULL);
	assert_head_refused("instance_id", json_string(""));
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_head_refused("instance_id", json_string(longid));
	assert_head_refused("size", NULL);
	assert_head_refused("size", json_integer(-1));
	assert_head_refused("size", json_string("42"));
	assert_head_refused("timestamp", json_integer(-5));
	assert_head_refused("root", b64_of(1, 31));
	assert_head_refused("root", b64_of(1, 33));
	assert_head_refused("root", json_string("not base64!"));
	assert_head_refused("signature", b64_of(1, 63));
	assert_head_refused("signature", NULL);
}

static void
test_head_refuses_non_objects(void **state)
{
	struct treehead th;
	json_t *j = json_array();

	(void)state;
	assert_int_equal(logwire_head_parse(j, &th), -1);
	assert_int_equal(logwire_head_parse(NULL, &th), -1);
	json_decref(j);
}

static void
test_proof_reads_hashes_in_order(void **state)
{
	uint8_t proof[LOGWIRE_PROOF_BYTES];
	json_t *j;
	size_t n;

	(void)state;
	j = json_pack("{s:[o,o,o]}", "proof", b64_of(1, 32), b64_of(2, 32),
	    b64_of(3, 32));
	assert_int_equal(logwire_proof_parse(j, proof, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(proof[0], 1);
	assert_int_equal(proof[32], 2);
	assert_int_equal(proof[95], 3);
	json_decref(j);
	j = json_pack("{s:[]}", "proof");
	assert_int_equal(logwire_proof_parse(j, proof, &n), 0);
	assert_int_equal(n, 0);
	json_decref(j);
}

static void
test_proof_refuses_wrong_lengths_and_too_many_hashes(void **state)
{
	uint8_t proof[LOGWIRE_PROOF_BYTES];
	json_t *j, *arr;
	size_t n, i;

	(void)state;
	j = json_pack("{s:[o]}", "proof", b64_of(1, 31));
	assert_int_equal(logwire_proof_parse(j, proof, &n), -1);
	json_decref(j);
	j = json_pack("{s:[i]}", "proof", 5);
	assert_int_equal(logwire_proof_parse(j, proof, &n), -1);
	json_decref(j);
	j = json_pack("{s:s}", "proof", "");
	assert_int_equal(logwire_proof_parse(j, proof, &n), -1);
	json_decref(j);
	arr = json_array();
	for (i = 0; i < MERKLE_MAX_PROOF + 1; i++)
		json_array_append_new(arr, b64_of(7, 32));
	j = json_pack("{s:o}", "proof", arr);
	assert_int_equal(logwire_proof_parse(j, proof, &n), -1);
	json_decref(j);
}

static void
test_entry_reads_index_and_leaf(void **state)
{
	uint8_t leaf[EVENT_MAX_BYTES];
	uint64_t index;
	size_t len;
	json_t *j;

	(void)state;
	j = json_pack(
	    "{s:I,s:o}", "index", (json_int_t)7, "event", b64_of(9, 40));
	assert_int_equal(logwire_entry_parse(j, &index, leaf, &len), 0);
	assert_int_equal(index, 7);
	assert_int_equal(len, 40);
	assert_int_equal(leaf[39], 9);
	json_decref(j);
}

static void
test_entry_refuses_oversized_or_malformed_events(void **state)
{
	static uint8_t big[EVENT_MAX_BYTES + 1];
	static char s[B64_ENCODED_LEN(EVENT_MAX_BYTES + 1)];
	uint8_t leaf[EVENT_MAX_BYTES];
	uint64_t index;
	size_t len;
	json_t *j;

	(void)state;
	assert_int_equal(b64_encode(s, sizeof(s), big, sizeof(big)), 0);
	j = json_pack("{s:I,s:s}", "index", (json_int_t)0, "event", s);
	assert_int_equal(logwire_entry_parse(j, &index, leaf, &len), -1);
	json_decref(j);
	j = json_pack("{s:I,s:s}", "index", (json_int_t)0, "event", "A=");
	assert_int_equal(logwire_entry_parse(j, &index, leaf, &len), -1);
	json_decref(j);
	j = json_pack(
	    "{s:I,s:o}", "index", (json_int_t)-1, "event", b64_of(1, 4));
	assert_int_equal(logwire_entry_parse(j, &index, leaf, &len), -1);
	json_decref(j);
	j = json_pack("{s:o}", "event", b64_of(1, 4));
	assert_int_equal(logwire_entry_parse(j, &index, leaf, &len), -1);
	json_decref(j);
}

static void
test_event_json_has_the_fields_of_its_type(void **state)
{
	struct event ev;
	json_t *j, *roles;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = EVENT_MEMBER_CREATED;
	ev.time = 1764400000;
	memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
	memcpy(ev.org_id, "state", 6);
	ev.roles = ROLE_MEMBER | ROLE_AUDITOR;
	ev.eligible = 1;
	assert_non_null(j = logwire_event_json(5, &ev));
	assert_int_equal(json_integer_value(json_object_get(j, "index")), 5);
	assert_string_equal(
	    json_string_value(json_object_get(j, "type")), "member_created");
	assert_string_equal(
	    json_string_value(json_object_get(j, "member_id")), MEMBER);
	assert_string_equal(
	    json_string_value(json_object_get(j, "org_id")), "state");
	roles = json_object_get(j, "roles");
	assert_int_equal(json_array_size(roles), 2);
	assert_string_equal(
	    json_string_value(json_array_get(roles, 1)), "auditor");
	assert_true(json_is_true(json_object_get(j, "eligible")));
	assert_null(json_object_get(j, "epoch"));
	assert_null(json_object_get(j, "keys_hash"));
	json_decref(j);

	ev.type = EVENT_KEYS_ROTATED;
	ev.org_id[0] = '\0';
	ev.epoch = 3;
	memset(ev.keys_hash, 0xff, sizeof(ev.keys_hash));
	assert_non_null(j = logwire_event_json(6, &ev));
	assert_int_equal(json_integer_value(json_object_get(j, "epoch")), 3);
	assert_string_equal(json_string_value(json_object_get(j, "keys_hash")),
	    "__________________________________________8");
	assert_null(json_object_get(j, "org_id"));
	assert_null(json_object_get(j, "roles"));
	json_decref(j);
}

static void
test_event_text_describes_the_fields(void **state)
{
	char text[LOGWIRE_EVENT_TEXT_MAX];
	struct event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.type = EVENT_MEMBER_CREATED;
	memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
	memcpy(ev.org_id, "state", 6);
	ev.roles = ROLE_MEMBER | ROLE_COORDINATOR;
	ev.eligible = 1;
	logwire_event_text(text, &ev);
	assert_string_equal(
	    text, MEMBER " org state roles member,coordinator eligible yes");
	ev.type = EVENT_MEMBER_ENROLLED;
	ev.epoch = 1;
	memset(ev.keys_hash, 0x7c, sizeof(ev.keys_hash));
	logwire_event_text(text, &ev);
	assert_string_equal(text, MEMBER " epoch 1 keys 7c7c7c7c7c7c7c7c");
	ev.type = EVENT_ORG_CREATED;
	logwire_event_text(text, &ev);
	assert_string_equal(text, "org state");
}

#define MEMO "d_00112233445566778899aabb"
#define MEMBER2 "m_fedcba9876543210fedcba98"

/* A memo or channel event of ${type} with every field set. */
static struct event
full_event(uint16_t type)
{
	struct event ev;

	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = type;
	ev.time = 1764400000;
	memcpy(ev.memo_id, MEMO, sizeof(MEMO));
	memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
	memcpy(ev.member2_id, MEMBER2, sizeof(MEMBER2));
	memcpy(ev.org_id, "state", 6);
	ev.memo_version = 2;
	ev.named = 10;
	ev.anonymous = 3;
	ev.n = 1;
	ev.kind = 1;
	ev.at = 1764737999; /* 2025-12-03 04:59:59 UTC */
	memset(ev.hash, 0x1a, sizeof(ev.hash));
	memset(ev.package_hash, 0x2b, sizeof(ev.package_hash));
	memset(ev.commit, 0x3c, sizeof(ev.commit));
	memset(ev.keys_hash, 0x4d, sizeof(ev.keys_hash));
	ev.roles = ROLE_MEMBER;
	ev.eligible = 1;
	ev.epoch = 2;
	return (ev);
}

/* ${ev} as a log entry carries it: encoded, then decoded strictly. */
static struct event
as_logged(const struct event *ev)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event back;
	size_t len;

	assert_int_equal(event_encode(buf, sizeof(buf), &len, ev), 0);
	assert_int_equal(event_decode(&back, buf, len), 0);
	return (back);
}

/* The string ${key} of ${j}, asserting it is one. */
static const char *
jstr(const json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);

	assert_true(json_is_string(v));
	return (json_string_value(v));
}

static void
test_event_json_has_the_fields_of_a_submission(void **state)
{
	struct event ev = full_event(EVENT_MEMO_SUBMITTED);
	json_t *j;

	(void)state;
	ev = as_logged(&ev);
	assert_non_null(j = logwire_event_json(7, &ev));
	assert_string_equal(jstr(j, "type"), "memo_submitted");
	assert_string_equal(jstr(j, "memo_id"), MEMO);
	assert_int_equal(
	    json_integer_value(json_object_get(j, "memo_version")), 2);
	assert_string_equal(
	    jstr(j, "hash"), "GhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGho");
	assert_int_equal(json_integer_value(json_object_get(j, "named")), 10);
	assert_int_equal(
	    json_integer_value(json_object_get(j, "anonymous")), 3);
	assert_string_equal(jstr(j, "package_hash"),
	    "KysrKysrKysrKysrKysrKysrKysrKysrKysrKysrKys");
	/* Only the fields the type carries: no organisation, no topic. */
	assert_null(json_object_get(j, "topic"));
	assert_null(json_object_get(j, "org_id"));
	assert_null(json_object_get(j, "member_id"));
	assert_null(json_object_get(j, "commit"));
	assert_null(json_object_get(j, "kind"));
	assert_int_equal(json_object_size(j), 9);
	json_decref(j);
}

static void
test_event_json_names_kinds_and_gives_times_and_commitments(void **state)
{
	struct event ev;
	json_t *j;

	(void)state;
	ev = full_event(EVENT_DEADLINE_MISSED);
	ev.kind = DEADLINE_REPLY;
	ev = as_logged(&ev);
	assert_non_null(j = logwire_event_json(8, &ev));
	assert_string_equal(jstr(j, "kind"), "reply");
	assert_int_equal(
	    json_integer_value(json_object_get(j, "at")), 1764737999);
	assert_string_equal(jstr(j, "memo_id"), MEMO);
	json_decref(j);

	ev = full_event(EVENT_GRANT_CREATED);
	ev.kind = EVENT_GRANT_ROSTER;
	ev = as_logged(&ev);
	assert_non_null(j = logwire_event_json(9, &ev));
	assert_string_equal(jstr(j, "kind"), "memo-roster");
	assert_string_equal(
	    jstr(j, "commit"), "PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw");
	json_decref(j);

	ev = full_event(EVENT_MEMO_DISTRIBUTED);
	ev = as_logged(&ev);
	assert_non_null(j = logwire_event_json(10, &ev));
	assert_string_equal(jstr(j, "member_id"), MEMBER);
	assert_string_equal(jstr(j, "member2_id"), MEMBER2);
	json_decref(j);
	ev.member2_id[0] = '\0';
	assert_non_null(j = logwire_event_json(10, &ev));
	assert_true(json_is_null(json_object_get(j, "member2_id")));
	json_decref(j);
}

/* Every type, and how many keys its JSON has: 3 common ones + its fields. */
static const struct {
	uint16_t type;
	size_t nkeys;
} every_type[] = {
    {EVENT_ORG_CREATED, 4},
    {EVENT_MEMBER_CREATED, 7},
    {EVENT_MEMBER_ENROLLED, 6},
    {EVENT_KEYS_ROTATED, 6},
    {EVENT_MEMBER_SUSPENDED, 4},
    {EVENT_MEMBER_REINSTATED, 4},
    {EVENT_ROLES_CHANGED, 5},
    {EVENT_ELIGIBILITY_CHANGED, 5},
    {EVENT_MEMO_SUBMITTED, 9},
    {EVENT_MEMO_WITHDRAWN, 4},
    {EVENT_MEMO_ACKNOWLEDGED, 4},
    {EVENT_MEMO_REDIRECTED, 5},
    {EVENT_MEMO_ASSIGNED, 5},
    {EVENT_MEMO_DISTRIBUTED, 6},
    {EVENT_GRANT_CREATED, 6},
    {EVENT_CONTENT_ACCESSED, 6},
    {EVENT_MEMO_REPLIED, 6},
    {EVENT_MEMO_CLOSED, 4},
    {EVENT_MEETING_REQUESTED, 5},
    {EVENT_MEETING_SCHEDULED, 6},
    {EVENT_MEETING_HELD, 7},
    {EVENT_COMPLAINT_FILED, 4},
    {EVENT_DEADLINE_MISSED, 6},
    {EVENT_CHANNEL_KEY_CREATED, 5},
    {EVENT_CHANNEL_KEY_GRANTED, 4},
};

static void
test_event_json_and_text_cover_every_type(void **state)
{
	char text[LOGWIRE_EVENT_TEXT_MAX], dump[1024];
	struct event ev;
	json_t *j;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(every_type) / sizeof(every_type[0]); i++) {
		ev = full_event(every_type[i].type);
		ev = as_logged(&ev);
		assert_non_null(j = logwire_event_json(i, &ev));
		len = json_dumpb(j, dump, sizeof(dump) - 1, JSON_COMPACT);
		assert_true(len > 0 && len < sizeof(dump));
		dump[len] = '\0';
		if (json_object_size(j) != every_type[i].nkeys)
			fprintf(stderr, "%s\n", dump);
		assert_int_equal(json_object_size(j), every_type[i].nkeys);
		assert_string_equal(jstr(j, "type"), event_type_name(ev.type));
		assert_null(strstr(dump, "unknown"));
		json_decref(j);
		logwire_event_text(text, &ev);
		assert_true(strlen(text) > 0);
		assert_null(strstr(text, "unknown"));
	}
}

static void
test_event_text_describes_memo_events(void **state)
{
	char text[LOGWIRE_EVENT_TEXT_MAX];
	struct event ev;

	(void)state;
	ev = full_event(EVENT_MEMO_SUBMITTED);
	ev = as_logged(&ev);
	logwire_event_text(text, &ev);
	assert_string_equal(text,
	    MEMO " version 2 hash 1a1a1a1a1a1a1a1a named 10 anonymous 3 "
		 "package 2b2b2b2b2b2b2b2b");
	ev = full_event(EVENT_DEADLINE_MISSED);
	ev.kind = DEADLINE_ACK;
	logwire_event_text(text, &ev);
	assert_string_equal(text, MEMO " ack due 2025-12-03 04:59:59 UTC");
	ev = full_event(EVENT_CONTENT_ACCESSED);
	ev.kind = EVENT_ACCESS_SIGNERS;
	logwire_event_text(text, &ev);
	assert_string_equal(text, MEMO " kind signers commit 3c3c3c3c3c3c3c3c");
	ev = full_event(EVENT_MEMO_DISTRIBUTED);
	logwire_event_text(text, &ev);
	assert_string_equal(
	    text, MEMO " principal " MEMBER " approved by " MEMBER2);
	ev.member2_id[0] = '\0';
	logwire_event_text(text, &ev);
	assert_string_equal(text,
	    MEMO " principal " MEMBER " approved by none (standard list)");
	ev = full_event(EVENT_MEETING_HELD);
	ev.kind = EVENT_MEETING_OUTCOME_DECLINED;
	memset(ev.hash, 0, sizeof(ev.hash));
	logwire_event_text(text, &ev);
	assert_string_equal(
	    text, MEMO " principal " MEMBER " outcome declined note none");
	ev = full_event(EVENT_MEMO_REPLIED);
	logwire_event_text(text, &ev);
	assert_string_equal(text, MEMO " reply 1 hash 1a1a1a1a1a1a1a1a");
	ev = full_event(EVENT_CHANNEL_KEY_CREATED);
	logwire_event_text(text, &ev);
	assert_string_equal(text, MEMBER " key 4d4d4d4d4d4d4d4d");
	ev = full_event(EVENT_MEMO_CLOSED);
	logwire_event_text(text, &ev);
	assert_string_equal(text, MEMO);
}

static void
test_kind_names_cover_every_kind_and_refuse_others(void **state)
{

	(void)state;
	assert_string_equal(
	    logwire_kind_name(EVENT_GRANT_CREATED, EVENT_GRANT_KEY),
	    "memo-key");
	assert_string_equal(
	    logwire_kind_name(EVENT_CONTENT_ACCESSED, EVENT_ACCESS_KEY), "key");
	assert_string_equal(
	    logwire_kind_name(EVENT_CONTENT_ACCESSED, EVENT_ACCESS_CONTENT),
	    "content");
	assert_string_equal(
	    logwire_kind_name(EVENT_CONTENT_ACCESSED, EVENT_ACCESS_REPLIES),
	    "replies");
	assert_string_equal(
	    logwire_kind_name(EVENT_MEETING_HELD, EVENT_MEETING_OUTCOME_HELD),
	    "held");
	assert_string_equal(
	    logwire_kind_name(EVENT_DEADLINE_MISSED, DEADLINE_ESCALATION),
	    "escalation");
	assert_null(logwire_kind_name(EVENT_GRANT_CREATED, 0));
	assert_null(logwire_kind_name(EVENT_GRANT_CREATED, 3));
	assert_null(logwire_kind_name(EVENT_CONTENT_ACCESSED, 5));
	assert_null(logwire_kind_name(EVENT_MEETING_HELD, 3));
	assert_null(logwire_kind_name(EVENT_DEADLINE_MISSED, 4));
	assert_null(logwire_kind_name(EVENT_MEMO_CLOSED, 1));
	assert_null(logwire_kind_name(EVENT_MEMBER_CREATED, 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_head_round_trips),
	    cmocka_unit_test(test_head_refuses_missing_or_malformed_fields),
	    cmocka_unit_test(test_head_refuses_non_objects),
	    cmocka_unit_test(test_proof_reads_hashes_in_order),
	    cmocka_unit_test(
		test_proof_refuses_wrong_lengths_and_too_many_hashes),
	    cmocka_unit_test(test_entry_reads_index_and_leaf),
	    cmocka_unit_test(test_entry_refuses_oversized_or_malformed_events),
	    cmocka_unit_test(test_event_json_has_the_fields_of_its_type),
	    cmocka_unit_test(test_event_text_describes_the_fields),
	    cmocka_unit_test(test_event_json_has_the_fields_of_a_submission),
	    cmocka_unit_test(
		test_event_json_names_kinds_and_gives_times_and_commitments),
	    cmocka_unit_test(test_event_json_and_text_cover_every_type),
	    cmocka_unit_test(test_event_text_describes_memo_events),
	    cmocka_unit_test(
		test_kind_names_cover_every_kind_and_refuse_others),
	};

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
