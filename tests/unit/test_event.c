/*
 * Channel log events (event.c): the fixed encoding of every directory,
 * memo and channel event type, strict decoding (every truncation,
 * extension, unknown value and malformed field refused), the keys hash and
 * the access commitment, and the memo event vectors of event.json.
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

#include "deadline.h"
#include "dhash.h"
#include "directory.h"
#include "event.h"
#include "keys.h"
#include "memo.h"

#define MEMBER "m_0123456789abcdef01234567"
#define MEMBER2 "m_ffeeddccbbaa998877665544"
#define MEMO "d_00112233445566778899aabb"

/* Fill ${p} (32 bytes) with ${start}, ${start} + 1, .... */
static void
fill(uint8_t *p, uint8_t start)
{
	size_t i;

	for (i = 0; i < 32; i++)
		p[i] = (uint8_t)(start + i);
}

/* A valid event of ${type} with every field it carries set. */
static struct event
sample(uint16_t type)
{
	struct event ev;
	size_t i;

	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = type;
	ev.time = 1764400000;
	switch (type) {
	case EVENT_ORG_CREATED:
		memcpy(ev.org_id, "usaid", 6);
		break;
	case EVENT_MEMBER_CREATED:
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		memcpy(ev.org_id, "state", 6);
		ev.roles = ROLE_MEMBER | ROLE_COORDINATOR;
		ev.eligible = 1;
		break;
	case EVENT_MEMBER_ENROLLED:
	case EVENT_KEYS_ROTATED:
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		ev.epoch = type == EVENT_MEMBER_ENROLLED ? 1 : 2;
		for (i = 0; i < EVENT_KEYS_HASH_BYTES; i++)
			ev.keys_hash[i] = (uint8_t)(0xa0 + i);
		break;
	case EVENT_MEMBER_SUSPENDED:
	case EVENT_MEMBER_REINSTATED:
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		break;
	case EVENT_ROLES_CHANGED:
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		ev.roles = ROLE_MEMBER | ROLE_PRINCIPAL;
		break;
	case EVENT_ELIGIBILITY_CHANGED:
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		ev.eligible = 0;
		break;
	case EVENT_MEMO_SUBMITTED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		ev.memo_version = 3;
		fill(ev.hash, 0x10);
		ev.named = 101;
		ev.anonymous = 7;
		fill(ev.package_hash, 0x50);
		break;
	case EVENT_MEMO_WITHDRAWN:
	case EVENT_MEMO_ACKNOWLEDGED:
	case EVENT_MEMO_CLOSED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		break;
	case EVENT_MEMO_REDIRECTED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		fill(ev.hash, 0x20);
		break;
	case EVENT_MEMO_ASSIGNED:
	case EVENT_MEETING_REQUESTED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		break;
	case EVENT_MEMO_DISTRIBUTED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		memcpy(ev.member2_id, MEMBER2, sizeof(MEMBER2));
		break;
	case EVENT_GRANT_CREATED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		ev.kind = EVENT_GRANT_ROSTER;
		fill(ev.commit, 0x30);
		break;
	case EVENT_CONTENT_ACCESSED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		ev.kind = EVENT_ACCESS_SIGNERS;
		fill(ev.commit, 0x40);
		break;
	case EVENT_MEMO_REPLIED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		ev.n = 2;
		fill(ev.hash, 0x60);
		break;
	case EVENT_MEETING_SCHEDULED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		ev.at = 1765000000;
		break;
	case EVENT_MEETING_HELD:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		ev.kind = EVENT_MEETING_OUTCOME_HELD;
		fill(ev.hash, 0x70);
		break;
	case EVENT_COMPLAINT_FILED:
		fill(ev.hash, 0x80);
		break;
	case EVENT_DEADLINE_MISSED:
		memcpy(ev.memo_id, MEMO, sizeof(MEMO));
		ev.kind = DEADLINE_REPLY;
		ev.at = 1764900000;
		break;
	case EVENT_CHANNEL_KEY_CREATED:
		fill(ev.keys_hash, 0x90);
		memcpy(ev.member_id, MEMBER, sizeof(MEMBER));
		break;
	case EVENT_CHANNEL_KEY_GRANTED:
		memcpy(ev.member_id, MEMBER2, sizeof(MEMBER2));
		break;
	default:
		fail_msg("no sample for type %u", type);
	}
	return (ev);
}

static const uint16_t all_types[] = {EVENT_ORG_CREATED, EVENT_MEMBER_CREATED,
    EVENT_MEMBER_ENROLLED, EVENT_KEYS_ROTATED, EVENT_MEMBER_SUSPENDED,
    EVENT_MEMBER_REINSTATED, EVENT_ROLES_CHANGED, EVENT_ELIGIBILITY_CHANGED,
    EVENT_MEMO_SUBMITTED, EVENT_MEMO_WITHDRAWN, EVENT_MEMO_ACKNOWLEDGED,
    EVENT_MEMO_REDIRECTED, EVENT_MEMO_ASSIGNED, EVENT_MEMO_DISTRIBUTED,
    EVENT_GRANT_CREATED, EVENT_CONTENT_ACCESSED, EVENT_MEMO_REPLIED,
    EVENT_MEMO_CLOSED, EVENT_MEETING_REQUESTED, EVENT_MEETING_SCHEDULED,
    EVENT_MEETING_HELD, EVENT_COMPLAINT_FILED, EVENT_DEADLINE_MISSED,
    EVENT_CHANNEL_KEY_CREATED, EVENT_CHANNEL_KEY_GRANTED};
#define NTYPES (sizeof(all_types) / sizeof(all_types[0]))

static size_t
encode(uint8_t *buf, const struct event *ev)
{
	size_t len;

	assert_int_equal(event_encode(buf, EVENT_MAX_BYTES, &len, ev), 0);
	return (len);
}

/* ${ev} must not encode, whatever the room. */
static void
assert_encode_refused(const struct event *ev)
{
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len;

	assert_int_equal(event_encode(buf, sizeof(buf), &len, ev), -1);
}

/* ${buf} must not decode, and the event must come back zeroed. */
static void
assert_decode_refused(const uint8_t *buf, size_t len)
{
	struct event ev, zero;

	memset(&zero, 0, sizeof(zero));
	memset(&ev, 0x5a, sizeof(ev));
	assert_int_equal(event_decode(&ev, buf, len), -1);
	assert_memory_equal(&ev, &zero, sizeof(ev));
}

static void
test_member_enrolled_has_the_documented_layout(void **state)
{
	static const uint8_t want[] = {
	    0x01,                                           /* version */
	    0x00, 0x03,                                     /* type */
	    0x00, 0x00, 0x00, 0x00, 0x69, 0x2a, 0x9b, 0x80, /* time */
	    0x00, 0x00, 0x00, 0x1a,                         /* len(member_id) */
	    'm', '_', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a',
	    'b', 'c', 'd', 'e', 'f', '0', '1', '2', '3', '4', '5', '6', '7',
	    0x00, 0x00, 0x00, 0x01, /* epoch */
	};
	struct event ev = sample(EVENT_MEMBER_ENROLLED);
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len;

	(void)state;
	len = encode(buf, &ev);
	assert_int_equal(len, sizeof(want) + EVENT_KEYS_HASH_BYTES);
	assert_memory_equal(buf, want, sizeof(want));
	assert_memory_equal(
	    buf + sizeof(want), ev.keys_hash, EVENT_KEYS_HASH_BYTES);
}

static void
test_member_created_has_the_documented_layout(void **state)
{
	static const uint8_t want[] = {
	    0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x69, 0x2a, 0x9b, 0x80,
	    0x00, 0x00, 0x00, 0x1a, 'm', '_', '0', '1', '2', '3', '4', '5', '6',
	    '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', '0', '1', '2', '3',
	    '4', '5', '6', '7', 0x00, 0x00, 0x00, 0x05, 's', 't', 'a', 't', 'e',
	    0x00, 0x00, 0x00, 0x03, /* roles */
	    0x01,                   /* eligible */
	};
	struct event ev = sample(EVENT_MEMBER_CREATED);
	uint8_t buf[EVENT_MAX_BYTES];

	(void)state;
	assert_int_equal(encode(buf, &ev), sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_every_type_round_trips(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES], again[EVENT_MAX_BYTES];
	struct event ev, back;
	size_t i, len, len2;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		ev = sample(all_types[i]);
		len = encode(buf, &ev);
		assert_int_equal(event_decode(&back, buf, len), 0);
		assert_memory_equal(&back, &ev, sizeof(ev));
		len2 = encode(again, &back);
		assert_int_equal(len2, len);
		assert_memory_equal(again, buf, len);
	}
}

static void
test_encode_writes_only_the_fields_of_the_type(void **state)
{
	uint8_t a[EVENT_MAX_BYTES], b[EVENT_MAX_BYTES];
	struct event ev, noisy, back;
	size_t len, len2;

	(void)state;
	ev = sample(EVENT_MEMBER_SUSPENDED);
	noisy = ev;
	memcpy(noisy.org_id, "other", 6);
	noisy.roles = ROLE_ALL;
	noisy.epoch = 9;
	noisy.keys_hash[0] = 1;
	len = encode(a, &ev);
	len2 = encode(b, &noisy);
	assert_int_equal(len, len2);
	assert_memory_equal(a, b, len);
	/* And decoding leaves the unused fields empty. */
	assert_int_equal(event_decode(&back, b, len2), 0);
	assert_memory_equal(&back, &ev, sizeof(ev));
}

static void
test_encode_refuses_unknown_type(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);

	(void)state;
	ev.type = 0;
	assert_encode_refused(&ev);
	ev.type = 9;
	assert_encode_refused(&ev);
	ev.type = 99;
	assert_encode_refused(&ev);
	ev.type = 117;
	assert_encode_refused(&ev);
	ev.type = 199;
	assert_encode_refused(&ev);
	ev.type = 0xffff;
	assert_encode_refused(&ev);
}

static void
test_encode_refuses_unknown_version(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);

	(void)state;
	ev.version = 2;
	assert_encode_refused(&ev);
	ev.version = 0;
	assert_encode_refused(&ev);
}

static void
test_encode_refuses_malformed_member_id(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);

	(void)state;
	memcpy(ev.member_id, "m_0123456789ABCDEF01234567", 27);
	assert_encode_refused(&ev);
	memset(ev.member_id, 0, sizeof(ev.member_id));
	assert_encode_refused(&ev);
	/* Not NUL-terminated within the field. */
	memset(ev.member_id, 'a', sizeof(ev.member_id));
	assert_encode_refused(&ev);
}

static void
test_encode_refuses_malformed_org_id(void **state)
{
	struct event ev = sample(EVENT_ORG_CREATED);

	(void)state;
	memcpy(ev.org_id, "Bad_Org", 8);
	assert_encode_refused(&ev);
	ev.org_id[0] = '\0';
	assert_encode_refused(&ev);
}

static void
test_encode_refuses_roles_the_directory_refuses(void **state)
{
	struct event ev = sample(EVENT_ROLES_CHANGED);

	(void)state;
	ev.roles = 0;
	assert_encode_refused(&ev);
	ev.roles = ROLE_ADMIN | ROLE_MEMBER;
	assert_encode_refused(&ev);
	ev.roles = 0x40 | ROLE_MEMBER;
	assert_encode_refused(&ev);
	ev = sample(EVENT_MEMBER_CREATED);
	ev.roles = ROLE_AUDITOR;
	assert_encode_refused(&ev);
}

static void
test_encode_refuses_eligibility_other_than_0_or_1(void **state)
{
	struct event ev = sample(EVENT_ELIGIBILITY_CHANGED);

	(void)state;
	ev.eligible = 2;
	assert_encode_refused(&ev);
}

static void
test_encode_refuses_epoch_0_and_rotation_to_epoch_1(void **state)
{
	struct event ev = sample(EVENT_MEMBER_ENROLLED);

	(void)state;
	ev.epoch = 0;
	assert_encode_refused(&ev);
	ev = sample(EVENT_KEYS_ROTATED);
	ev.epoch = 1;
	assert_encode_refused(&ev);
}

static void
test_encode_refuses_time_beyond_int64(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);

	(void)state;
	ev.time = (uint64_t)INT64_MAX + 1;
	assert_encode_refused(&ev);
}

static void
test_encode_refuses_too_small_buffer(void **state)
{
	struct event ev = sample(EVENT_MEMBER_ENROLLED);
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len, n, out;

	(void)state;
	len = encode(buf, &ev);
	for (n = 0; n < len; n++)
		assert_int_equal(event_encode(buf, n, &out, &ev), -1);
	assert_int_equal(event_encode(buf, len, &out, &ev), 0);
	assert_int_equal(out, len);
}

static void
test_decode_refuses_every_truncation(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev;
	size_t i, n, len;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		ev = sample(all_types[i]);
		len = encode(buf, &ev);
		for (n = 0; n < len; n++)
			assert_decode_refused(buf, n);
	}
}

static void
test_decode_refuses_trailing_bytes(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev;
	size_t i, len;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		ev = sample(all_types[i]);
		len = encode(buf, &ev);
		buf[len] = 0;
		assert_decode_refused(buf, len + 1);
	}
}

static void
test_decode_refuses_unknown_version(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len;

	(void)state;
	len = encode(buf, &ev);
	buf[0] = 0;
	assert_decode_refused(buf, len);
	buf[0] = 2;
	assert_decode_refused(buf, len);
}

static void
test_decode_refuses_unknown_type(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len;

	(void)state;
	len = encode(buf, &ev);
	buf[2] = 0;
	assert_decode_refused(buf, len);
	buf[2] = 9;
	assert_decode_refused(buf, len);
	/* The high byte counts: 0x0105 is not 5. */
	buf[1] = 1;
	buf[2] = 5;
	assert_decode_refused(buf, len);
	buf[1] = 0;
	buf[2] = 99;
	assert_decode_refused(buf, len);
	buf[2] = 117;
	assert_decode_refused(buf, len);
	buf[2] = 199;
	assert_decode_refused(buf, len);
	buf[1] = 0xff;
	buf[2] = 0xff;
	assert_decode_refused(buf, len);
}

static void
test_decode_refuses_wrong_member_id_length(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len;

	(void)state;
	len = encode(buf, &ev);
	/* Claim 25 bytes: one byte is left over and the id is short. */
	buf[14] = 25;
	assert_decode_refused(buf, len);
	/* Claim 27 bytes: longer than any member id. */
	buf[14] = 27;
	buf[len] = '0';
	assert_decode_refused(buf, len + 1);
	/* A huge length. */
	buf[11] = 0xff;
	assert_decode_refused(buf, len);
}

static void
test_decode_refuses_malformed_member_id(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len;

	(void)state;
	len = encode(buf, &ev);
	buf[16] = 'X';
	assert_decode_refused(buf, len);
	buf[16] = '\0';
	assert_decode_refused(buf, len);
}

static void
test_decode_refuses_org_id_with_nul_or_bad_characters(void **state)
{
	struct event ev = sample(EVENT_ORG_CREATED);
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len;

	(void)state;
	len = encode(buf, &ev);
	/* "usaid" at offset 15; "us\0id" must not pass as "us". */
	buf[17] = '\0';
	assert_decode_refused(buf, len);
	buf[17] = 'A';
	assert_decode_refused(buf, len);
}

static void
test_decode_refuses_empty_org_id(void **state)
{
	static const uint8_t buf[] = {
	    0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};

	(void)state;
	assert_decode_refused(buf, sizeof(buf));
}

static void
test_decode_refuses_bad_roles_eligibility_and_epoch(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev;
	size_t len;

	(void)state;
	/* roles_changed: roles are the last 4 bytes. */
	ev = sample(EVENT_ROLES_CHANGED);
	len = encode(buf, &ev);
	buf[len - 1] = ROLE_ADMIN | ROLE_MEMBER;
	assert_decode_refused(buf, len);
	buf[len - 1] = 0;
	assert_decode_refused(buf, len);

	/* eligibility_changed: the last byte. */
	ev = sample(EVENT_ELIGIBILITY_CHANGED);
	len = encode(buf, &ev);
	buf[len - 1] = 2;
	assert_decode_refused(buf, len);

	/* keys_rotated: the epoch precedes the 32-byte hash. */
	ev = sample(EVENT_KEYS_ROTATED);
	len = encode(buf, &ev);
	buf[len - EVENT_KEYS_HASH_BYTES - 1] = 1;
	assert_decode_refused(buf, len);
	buf[len - EVENT_KEYS_HASH_BYTES - 1] = 0;
	assert_decode_refused(buf, len);
}

static void
test_decode_refuses_time_beyond_int64(void **state)
{
	struct event ev = sample(EVENT_MEMBER_SUSPENDED);
	uint8_t buf[EVENT_MAX_BYTES];
	size_t len;

	(void)state;
	len = encode(buf, &ev);
	buf[3] = 0x80;
	assert_decode_refused(buf, len);
}

static void
test_decode_refuses_input_beyond_max(void **state)
{
	static uint8_t buf[EVENT_MAX_BYTES + 1];

	(void)state;
	assert_decode_refused(buf, sizeof(buf));
}

static void
test_decode_refuses_null(void **state)
{

	(void)state;
	assert_decode_refused(NULL, 0);
	assert_int_equal(event_decode(NULL, (const uint8_t *)"", 0), -1);
}

static void
test_type_names_are_stable(void **state)
{

	(void)state;
	assert_string_equal(event_type_name(EVENT_ORG_CREATED), "org_created");
	assert_string_equal(
	    event_type_name(EVENT_MEMBER_CREATED), "member_created");
	assert_string_equal(
	    event_type_name(EVENT_MEMBER_ENROLLED), "member_enrolled");
	assert_string_equal(
	    event_type_name(EVENT_KEYS_ROTATED), "keys_rotated");
	assert_string_equal(
	    event_type_name(EVENT_MEMBER_SUSPENDED), "member_suspended");
	assert_string_equal(
	    event_type_name(EVENT_MEMBER_REINSTATED), "member_reinstated");
	assert_string_equal(
	    event_type_name(EVENT_ROLES_CHANGED), "roles_changed");
	assert_string_equal(
	    event_type_name(EVENT_ELIGIBILITY_CHANGED), "eligibility_changed");
	assert_null(event_type_name(0));
	assert_null(event_type_name(9));
	assert_null(event_type_name(99));
	assert_null(event_type_name(117));
	assert_null(event_type_name(0xffff));
}

static void
test_memo_type_names_are_stable(void **state)
{
	static const struct {
		uint16_t type;
		const char *name;
	} names[] = {
	    {EVENT_MEMO_SUBMITTED, "memo_submitted"},
	    {EVENT_MEMO_WITHDRAWN, "memo_withdrawn"},
	    {EVENT_MEMO_ACKNOWLEDGED, "memo_acknowledged"},
	    {EVENT_MEMO_REDIRECTED, "memo_redirected"},
	    {EVENT_MEMO_ASSIGNED, "memo_assigned"},
	    {EVENT_MEMO_DISTRIBUTED, "memo_distributed"},
	    {EVENT_GRANT_CREATED, "grant_created"},
	    {EVENT_CONTENT_ACCESSED, "content_accessed"},
	    {EVENT_MEMO_REPLIED, "memo_replied"},
	    {EVENT_MEMO_CLOSED, "memo_closed"},
	    {EVENT_MEETING_REQUESTED, "meeting_requested"},
	    {EVENT_MEETING_SCHEDULED, "meeting_scheduled"},
	    {EVENT_MEETING_HELD, "meeting_held"},
	    {EVENT_COMPLAINT_FILED, "complaint_filed"},
	    {EVENT_DEADLINE_MISSED, "deadline_missed"},
	    {EVENT_CHANNEL_KEY_CREATED, "channel_key_created"},
	    {EVENT_CHANNEL_KEY_GRANTED, "channel_key_granted"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(names[i].type, 100 + i);
		assert_string_equal(
		    event_type_name(names[i].type), names[i].name);
	}
}

static void
test_keys_hash_is_the_domain_hash_of_the_three_keys(void **state)
{
	struct keys_public pub;
	uint8_t m[96], want[DHASH_BYTES], got[EVENT_KEYS_HASH_BYTES];
	size_t i;

	(void)state;
	for (i = 0; i < 32; i++) {
		pub.sign_pk[i] = (uint8_t)i;
		pub.box_pk[i] = (uint8_t)(0x40 + i);
		pub.ring_pk[i] = (uint8_t)(0x80 + i);
	}
	memcpy(m, pub.sign_pk, 32);
	memcpy(m + 32, pub.box_pk, 32);
	memcpy(m + 64, pub.ring_pk, 32);
	assert_int_equal(dhash(want, "dissent/event-keys/v1", m, sizeof(m)), 0);
	event_keys_hash(got, &pub);
	assert_memory_equal(got, want, sizeof(want));
}

static void
test_keys_hash_changes_with_any_key(void **state)
{
	struct keys_public pub, other;
	uint8_t a[EVENT_KEYS_HASH_BYTES], b[EVENT_KEYS_HASH_BYTES];

	(void)state;
	memset(&pub, 7, sizeof(pub));
	event_keys_hash(a, &pub);
	other = pub;
	other.sign_pk[31] ^= 1;
	event_keys_hash(b, &other);
	assert_memory_not_equal(a, b, sizeof(a));
	other = pub;
	other.box_pk[0] ^= 1;
	event_keys_hash(b, &other);
	assert_memory_not_equal(a, b, sizeof(a));
	other = pub;
	other.ring_pk[5] ^= 1;
	event_keys_hash(b, &other);
	assert_memory_not_equal(a, b, sizeof(a));
}

/* Append ${n} bytes at ${p} to ${buf} at ${*o}. */
static void
put(uint8_t *buf, size_t *o, const void *p, size_t n)
{

	memcpy(buf + *o, p, n);
	*o += n;
}

/* Append the big-endian ${v} of ${n} bytes. */
static void
put_be(uint8_t *buf, size_t *o, uint64_t v, size_t n)
{

	while (n-- > 0)
		buf[(*o)++] = (uint8_t)(v >> (8 * n));
}

/* Append u32 length and the bytes of ${s}. */
static void
put_str(uint8_t *buf, size_t *o, const char *s)
{

	put_be(buf, o, strlen(s), 4);
	put(buf, o, s, strlen(s));
}

static void
test_memo_submitted_has_the_documented_layout(void **state)
{
	struct event ev = sample(EVENT_MEMO_SUBMITTED);
	uint8_t want[EVENT_MAX_BYTES], buf[EVENT_MAX_BYTES];
	size_t o = 0;

	(void)state;
	put_be(want, &o, 1, 1);
	put_be(want, &o, 100, 2);
	put_be(want, &o, 1764400000, 8);
	put_str(want, &o, MEMO);
	put_be(want, &o, 3, 4);
	put(want, &o, ev.hash, 32);
	put_be(want, &o, 101, 4);
	put_be(want, &o, 7, 4);
	put(want, &o, ev.package_hash, 32);
	assert_int_equal(encode(buf, &ev), o);
	assert_memory_equal(buf, want, o);
	/* The fixed parts, literally. */
	assert_memory_equal(buf,
	    "\x01\x00\x64\x00\x00\x00\x00\x69\x2a\x9b\x80"
	    "\x00\x00\x00\x1a"
	    "d_00112233445566778899aabb"
	    "\x00\x00\x00\x03",
	    45);
}

static void
test_memo_events_have_the_documented_layouts(void **state)
{
	uint8_t want[EVENT_MAX_BYTES], buf[EVENT_MAX_BYTES];
	struct event ev;
	size_t i, o;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		if (all_types[i] < 100 || all_types[i] == EVENT_MEMO_SUBMITTED)
			continue;
		ev = sample(all_types[i]);
		o = 0;
		put_be(want, &o, 1, 1);
		put_be(want, &o, ev.type, 2);
		put_be(want, &o, 1764400000, 8);
		switch (ev.type) {
		case EVENT_MEMO_WITHDRAWN:
		case EVENT_MEMO_ACKNOWLEDGED:
		case EVENT_MEMO_CLOSED:
			put_str(want, &o, MEMO);
			break;
		case EVENT_MEMO_REDIRECTED:
			put_str(want, &o, MEMO);
			put(want, &o, ev.hash, 32);
			break;
		case EVENT_MEMO_ASSIGNED:
		case EVENT_MEETING_REQUESTED:
			put_str(want, &o, MEMO);
			put_str(want, &o, MEMBER);
			break;
		case EVENT_MEMO_DISTRIBUTED:
			put_str(want, &o, MEMO);
			put_str(want, &o, MEMBER);
			put_str(want, &o, MEMBER2);
			break;
		case EVENT_GRANT_CREATED:
		case EVENT_CONTENT_ACCESSED:
			put_str(want, &o, MEMO);
			put_be(want, &o, ev.kind, 1);
			put(want, &o, ev.commit, 32);
			break;
		case EVENT_MEMO_REPLIED:
			put_str(want, &o, MEMO);
			put_be(want, &o, 2, 4);
			put(want, &o, ev.hash, 32);
			break;
		case EVENT_MEETING_SCHEDULED:
			put_str(want, &o, MEMO);
			put_str(want, &o, MEMBER);
			put_be(want, &o, 1765000000, 8);
			break;
		case EVENT_MEETING_HELD:
			put_str(want, &o, MEMO);
			put_str(want, &o, MEMBER);
			put_be(want, &o, 1, 1);
			put(want, &o, ev.hash, 32);
			break;
		case EVENT_COMPLAINT_FILED:
			put(want, &o, ev.hash, 32);
			break;
		case EVENT_DEADLINE_MISSED:
			put_str(want, &o, MEMO);
			put_be(want, &o, DEADLINE_REPLY, 1);
			put_be(want, &o, 1764900000, 8);
			break;
		case EVENT_CHANNEL_KEY_CREATED:
			put(want, &o, ev.keys_hash, 32);
			put_str(want, &o, MEMBER);
			break;
		case EVENT_CHANNEL_KEY_GRANTED:
			put_str(want, &o, MEMBER2);
			break;
		default:
			fail_msg("no layout for type %u", ev.type);
		}
		if (encode(buf, &ev) != o)
			fail_msg("%s: length", event_type_name(ev.type));
		assert_memory_equal(buf, want, o);
	}
}

/* The memo types that name a memo. */
static int
has_memo(uint16_t type)
{

	return (type >= 100 && type != EVENT_COMPLAINT_FILED &&
		type != EVENT_CHANNEL_KEY_CREATED &&
		type != EVENT_CHANNEL_KEY_GRANTED);
}

static void
test_encode_refuses_malformed_memo_id(void **state)
{
	static const char *bad[] = {"", "d_00112233445566778899AABB",
	    "e_00112233445566778899aabb", "d-00112233445566778899aabb",
	    "d_00112233445566778899aab", "d_00112233445566778899aabg",
	    "m_00112233445566778899aabb"};
	struct event ev;
	size_t i, k;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		if (!has_memo(all_types[i]))
			continue;
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			ev = sample(all_types[i]);
			memcpy(ev.memo_id, bad[k], strlen(bad[k]) + 1);
			assert_encode_refused(&ev);
		}
		/* Not NUL-terminated within the field. */
		ev = sample(all_types[i]);
		memset(ev.memo_id, 'a', sizeof(ev.memo_id));
		assert_encode_refused(&ev);
	}
}

static void
test_encode_refuses_malformed_member_of_memo_events(void **state)
{
	struct event ev;
	size_t i;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		ev = sample(all_types[i]);
		if (all_types[i] < 100 || ev.member_id[0] == '\0')
			continue;
		ev.member_id[5] = 'X';
		assert_encode_refused(&ev);
		ev.member_id[0] = '\0';
		assert_encode_refused(&ev);
	}
}

static void
test_memo_submitted_refuses_version_zero(void **state)
{
	struct event ev = sample(EVENT_MEMO_SUBMITTED);

	(void)state;
	ev.memo_version = 0;
	assert_encode_refused(&ev);
}

static void
test_memo_submitted_carries_no_organisation_or_topic(void **state)
{
	uint8_t a[EVENT_MAX_BYTES], b[EVENT_MAX_BYTES];
	struct event ev = sample(EVENT_MEMO_SUBMITTED), noisy, back;
	size_t len;

	(void)state;
	noisy = ev;
	memcpy(noisy.org_id, "state", 6);
	len = encode(a, &ev);
	/* Header, memo id, version, hash, named, anonymous, package hash. */
	assert_int_equal(len, 11 + 4 + 26 + 4 + 32 + 4 + 4 + 32);
	assert_int_equal(encode(b, &noisy), len);
	assert_memory_equal(a, b, len);
	assert_int_equal(event_decode(&back, b, len), 0);
	assert_string_equal(back.org_id, "");
}

static void
test_memo_submitted_refuses_the_old_topic_and_org_suffix(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev = sample(EVENT_MEMO_SUBMITTED);
	size_t len;

	(void)state;
	len = encode(buf, &ev);
	put_str(buf, &len, "policy");
	put_str(buf, &len, "state");
	assert_decode_refused(buf, len);
}

static void
test_kinds_outside_their_ranges_are_refused(void **state)
{
	static const struct {
		uint16_t type;
		uint8_t max;
	} kinds[] = {
	    {EVENT_GRANT_CREATED, 2},
	    {EVENT_CONTENT_ACCESSED, 4},
	    {EVENT_MEETING_HELD, 2},
	    {EVENT_DEADLINE_MISSED, 3},
	};
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev, back;
	size_t i, len;
	unsigned int k;

	(void)state;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		for (k = 0; k <= 255; k++) {
			ev = sample(kinds[i].type);
			ev.kind = (uint8_t)k;
			if (k < 1 || k > kinds[i].max) {
				assert_encode_refused(&ev);
				continue;
			}
			len = encode(buf, &ev);
			assert_int_equal(event_decode(&back, buf, len), 0);
			assert_int_equal(back.kind, k);
		}
	}
}

static void
test_distribution_approver_may_be_empty_but_not_malformed(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev, back;
	size_t len;

	(void)state;
	ev = sample(EVENT_MEMO_DISTRIBUTED);
	memset(ev.member2_id, 0, sizeof(ev.member2_id));
	len = encode(buf, &ev);
	assert_int_equal(event_decode(&back, buf, len), 0);
	assert_memory_equal(&back, &ev, sizeof(ev));
	memcpy(ev.member2_id, "m_FFEEDDCCBBAA998877665544", 27);
	assert_encode_refused(&ev);
	memcpy(ev.member2_id, "m_ffeeddccbbaa99887766554", 26);
	assert_encode_refused(&ev);
	memset(ev.member2_id, 'a', sizeof(ev.member2_id));
	assert_encode_refused(&ev);
}

static void
test_reply_number_counts_from_1(void **state)
{
	struct event ev = sample(EVENT_MEMO_REPLIED);

	(void)state;
	ev.n = 0;
	assert_encode_refused(&ev);
}

static void
test_times_of_meetings_and_deadlines_are_times(void **state)
{
	static const uint16_t with_at[] = {
	    EVENT_MEETING_SCHEDULED, EVENT_DEADLINE_MISSED};
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev, back;
	size_t i, len;

	(void)state;
	for (i = 0; i < 2; i++) {
		ev = sample(with_at[i]);
		ev.at = 0;
		assert_encode_refused(&ev);
		ev.at = (uint64_t)INT64_MAX + 1;
		assert_encode_refused(&ev);
		ev.at = (uint64_t)INT64_MAX;
		len = encode(buf, &ev);
		assert_int_equal(event_decode(&back, buf, len), 0);
		assert_int_equal(back.at, (uint64_t)INT64_MAX);
	}
}

static void
test_memo_encode_writes_only_the_fields_of_the_type(void **state)
{
	uint8_t a[EVENT_MAX_BYTES], b[EVENT_MAX_BYTES];
	struct event ev, noisy, back;
	size_t i, len, len2;

	(void)state;
	for (i = 0; i < NTYPES; i++) {
		if (all_types[i] < 100)
			continue;
		ev = sample(all_types[i]);
		noisy = ev;
		/* Fields that no memo event carries. */
		noisy.roles = ROLE_ALL;
		noisy.eligible = 1;
		noisy.epoch = 9;
		/* And, on types without them, the others. */
		if (ev.org_id[0] == '\0')
			memcpy(noisy.org_id, "other", 6);
		if (ev.memo_id[0] == '\0')
			memcpy(noisy.memo_id, MEMO, sizeof(MEMO));
		if (ev.member2_id[0] == '\0')
			memcpy(noisy.member2_id, MEMBER2, sizeof(MEMBER2));
		if (ev.memo_version == 0)
			noisy.memo_version = 5;
		if (ev.named == 0)
			noisy.named = 5;
		if (ev.n == 0)
			noisy.n = 5;
		if (ev.kind == 0)
			noisy.kind = 1;
		if (ev.at == 0)
			noisy.at = 5;
		if (ev.commit[0] == 0)
			noisy.commit[0] = 1;
		if (ev.package_hash[0] == 0)
			noisy.package_hash[0] = 1;
		len = encode(a, &ev);
		len2 = encode(b, &noisy);
		assert_int_equal(len, len2);
		assert_memory_equal(a, b, len);
		assert_int_equal(event_decode(&back, b, len2), 0);
		assert_memory_equal(&back, &ev, sizeof(ev));
	}
}

static void
test_decode_refuses_malformed_memo_fields(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES];
	struct event ev;
	size_t len;

	(void)state;
	/* content_accessed: memo id at 15..40, kind at 41. */
	ev = sample(EVENT_CONTENT_ACCESSED);
	len = encode(buf, &ev);
	assert_int_equal(buf[41], EVENT_ACCESS_SIGNERS);
	buf[41] = 0;
	assert_decode_refused(buf, len);
	buf[41] = 5;
	assert_decode_refused(buf, len);
	buf[41] = EVENT_ACCESS_SIGNERS;
	buf[20] = 'A';
	assert_decode_refused(buf, len);
	buf[20] = '\0';
	assert_decode_refused(buf, len);
	buf[20] = '3';
	buf[15] = 'm';
	assert_decode_refused(buf, len);
	buf[15] = 'd';
	/* A memo id of 27 bytes. */
	buf[14] = 27;
	buf[len] = 'a';
	assert_decode_refused(buf, len + 1);
	buf[14] = 26;
	assert_int_equal(event_decode(&ev, buf, len), 0);

	/* memo_submitted: a truncated package hash. */
	ev = sample(EVENT_MEMO_SUBMITTED);
	len = encode(buf, &ev);
	assert_decode_refused(buf, len - 1);

	/* memo_replied: n is 0. */
	ev = sample(EVENT_MEMO_REPLIED);
	len = encode(buf, &ev);
	assert_int_equal(buf[44], 2);
	buf[44] = 0;
	assert_decode_refused(buf, len);

	/* meeting_scheduled: at beyond 2^63 - 1, and 0. */
	ev = sample(EVENT_MEETING_SCHEDULED);
	len = encode(buf, &ev);
	buf[len - 8] = 0x80;
	assert_decode_refused(buf, len);
	memset(buf + len - 8, 0, 8);
	assert_decode_refused(buf, len);
}

static void
test_access_commit_is_the_domain_hash_of_nonce_and_member_id(void **state)
{
	uint8_t nonce[EVENT_NONCE_BYTES], m[EVENT_NONCE_BYTES + 4 + 26];
	uint8_t want[DHASH_BYTES], got[EVENT_COMMIT_BYTES];

	(void)state;
	fill(nonce, 0xe0);
	memcpy(m, nonce, EVENT_NONCE_BYTES);
	memcpy(m + EVENT_NONCE_BYTES, "\x00\x00\x00\x1a", 4);
	memcpy(m + EVENT_NONCE_BYTES + 4, MEMBER, 26);
	assert_int_equal(
	    dhash(want, "dissent/access-commit/v1", m, sizeof(m)), 0);
	event_access_commit(got, nonce, MEMBER);
	assert_memory_equal(got, want, sizeof(want));
}

static void
test_access_commit_to_the_channel(void **state)
{
	uint8_t nonce[EVENT_NONCE_BYTES], m[EVENT_NONCE_BYTES + 4 + 7];
	uint8_t want[DHASH_BYTES], got[EVENT_COMMIT_BYTES];

	(void)state;
	fill(nonce, 0x05);
	memcpy(m, nonce, EVENT_NONCE_BYTES);
	memcpy(m + EVENT_NONCE_BYTES,
	    "\x00\x00\x00\x07"
	    "channel",
	    11);
	assert_int_equal(
	    dhash(want, "dissent/access-commit/v1", m, sizeof(m)), 0);
	event_access_commit(got, nonce, "channel");
	assert_memory_equal(got, want, sizeof(want));
}

static void
test_access_commit_changes_with_nonce_and_member(void **state)
{
	uint8_t nonce[EVENT_NONCE_BYTES];
	uint8_t a[EVENT_COMMIT_BYTES], b[EVENT_COMMIT_BYTES];

	(void)state;
	fill(nonce, 0);
	event_access_commit(a, nonce, MEMBER);
	event_access_commit(b, nonce, MEMBER2);
	assert_memory_not_equal(a, b, sizeof(a));
	nonce[31] ^= 1;
	event_access_commit(b, nonce, MEMBER);
	assert_memory_not_equal(a, b, sizeof(a));
}

/* A field of a vector case: the string ${key} of ${c}. */
static const char *
vstr(const json_t *c, const char *key)
{
	const char *v = json_string_value(json_object_get(c, key));

	if (v == NULL)
		fail_msg("vector field \"%s\" missing", key);
	return (v);
}

static uint64_t
vint(const json_t *c, const char *key)
{
	json_t *v = json_object_get(c, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		fail_msg("vector field \"%s\" missing", key);
	return ((uint64_t)json_integer_value(v));
}

/* Copy the string ${key} of ${c}, if present, into ${out} of ${cap}. */
static void
vcopy(const json_t *c, const char *key, char *out, size_t cap)
{
	const char *v;

	if (json_object_get(c, key) == NULL)
		return;
	v = vstr(c, key);
	assert_true(strlen(v) < cap);
	memcpy(out, v, strlen(v) + 1);
}

/* Decode the hex ${key} of ${c}, if present, into exactly ${n} bytes. */
static void
vhex(const json_t *c, const char *key, uint8_t *out, size_t n)
{
	const char *v;
	size_t len;

	if (json_object_get(c, key) == NULL)
		return;
	v = vstr(c, key);
	assert_int_equal(strlen(v), 2 * n);
	assert_int_equal(
	    sodium_hex2bin(out, n, v, strlen(v), NULL, &len, NULL), 0);
	assert_int_equal(len, n);
}

static void
test_memo_event_vectors(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES], want[EVENT_MAX_BYTES];
	uint8_t nonce[EVENT_NONCE_BYTES], commit[EVENT_COMMIT_BYTES];
	uint8_t channel_pk[KEYS_BOX_PK_BYTES];
	json_error_t err;
	json_t *root, *cases, *c;
	struct event ev, back;
	size_t i, len, wantlen;
	uint32_t seen = 0;
	const char *hex;

	(void)state;
	root = json_load_file(
	    VECTORS_DIR "/event.json", JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		fail_msg("event.json:%d: %s", err.line, err.text);
	cases = json_object_get(root, "memo_cases");
	assert_true(json_is_array(cases));
	json_array_foreach(cases, i, c)
	{
		memset(&ev, 0, sizeof(ev));
		ev.version = (uint8_t)vint(c, "version");
		ev.type = (uint16_t)vint(c, "type_code");
		ev.time = vint(c, "time");
		assert_non_null(event_type_name(ev.type));
		assert_string_equal(vstr(c, "type"), event_type_name(ev.type));
		vcopy(c, "memo_id", ev.memo_id, sizeof(ev.memo_id));
		vcopy(c, "member_id", ev.member_id, sizeof(ev.member_id));
		vcopy(c, "member2_id", ev.member2_id, sizeof(ev.member2_id));
		vcopy(c, "org_id", ev.org_id, sizeof(ev.org_id));
		if (json_object_get(c, "memo_version") != NULL)
			ev.memo_version = (uint32_t)vint(c, "memo_version");
		if (json_object_get(c, "named") != NULL)
			ev.named = (uint32_t)vint(c, "named");
		if (json_object_get(c, "anonymous") != NULL)
			ev.anonymous = (uint32_t)vint(c, "anonymous");
		if (json_object_get(c, "n") != NULL)
			ev.n = (uint32_t)vint(c, "n");
		if (json_object_get(c, "kind") != NULL)
			ev.kind = (uint8_t)vint(c, "kind");
		if (json_object_get(c, "at") != NULL)
			ev.at = vint(c, "at");
		vhex(c, "hash_hex", ev.hash, sizeof(ev.hash));
		vhex(c, "package_hash_hex", ev.package_hash,
		    sizeof(ev.package_hash));
		vhex(c, "keys_hash_hex", ev.keys_hash, sizeof(ev.keys_hash));
		vhex(c, "commit_hex", ev.commit, sizeof(ev.commit));
		/* The channel key's hash is recomputed from the key. */
		if (json_object_get(c, "channel_pk_hex") != NULL) {
			vhex(c, "channel_pk_hex", channel_pk,
			    sizeof(channel_pk));
			event_channel_key_hash(commit, channel_pk);
			assert_memory_equal(
			    commit, ev.keys_hash, sizeof(commit));
		}
		/* A commitment is recomputed from its nonce and member. */
		if (json_object_get(c, "commit_nonce_hex") != NULL) {
			vhex(c, "commit_nonce_hex", nonce, sizeof(nonce));
			event_access_commit(
			    commit, nonce, vstr(c, "commit_member_id"));
			assert_memory_equal(commit, ev.commit, sizeof(commit));
		}
		assert_int_equal(event_encode(buf, sizeof(buf), &len, &ev), 0);
		hex = vstr(c, "encoding_hex");
		assert_int_equal(strlen(hex), 2 * len);
		assert_int_equal(sodium_hex2bin(want, sizeof(want), hex,
				     strlen(hex), NULL, &wantlen, NULL),
		    0);
		assert_int_equal(wantlen, len);
		assert_memory_equal(buf, want, len);
		assert_int_equal(event_decode(&back, want, wantlen), 0);
		assert_memory_equal(&back, &ev, sizeof(ev));
		assert_true(ev.type >= 100 && ev.type <= 116);
		seen |= (uint32_t)1 << (ev.type - 100);
	}
	/* One case at least for every memo and channel event type. */
	assert_int_equal(seen, 0x1ffffu);
	json_decref(root);
}

static void
test_memo_event_vectors_to_refuse(void **state)
{
	uint8_t buf[EVENT_MAX_BYTES + 1], base[EVENT_MAX_BYTES];
	uint8_t want[EVENT_MAX_BYTES + 1];
	json_error_t err;
	json_t *root, *cases, *c, *from;
	struct event ev;
	size_t i, len, baselen, wantlen, at;
	const char *hex;

	(void)state;
	root = json_load_file(
	    VECTORS_DIR "/event.json", JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		fail_msg("event.json:%d: %s", err.line, err.text);
	cases = json_object_get(root, "memo_invalid");
	assert_true(json_is_array(cases));
	assert_true(json_array_size(cases) > 0);
	json_array_foreach(cases, i, c)
	{
		assert_true(strlen(vstr(c, "reason")) > 0);
		/* Rebuild it from the valid case and the documented edit. */
		from = json_array_get(json_object_get(root, "memo_cases"),
		    (size_t)vint(c, "from_case"));
		assert_non_null(from);
		hex = vstr(from, "encoding_hex");
		assert_int_equal(sodium_hex2bin(base, sizeof(base), hex,
				     strlen(hex), NULL, &baselen, NULL),
		    0);
		len = (size_t)vint(c, "length");
		assert_true(len <= EVENT_MAX_BYTES);
		memset(buf, 0, sizeof(buf));
		memcpy(buf, base, len < baselen ? len : baselen);
		if (json_object_get(c, "offset") != NULL) {
			at = (size_t)vint(c, "offset");
			assert_true(at < len);
			buf[at] = (uint8_t)vint(c, "value");
		}
		hex = vstr(c, "encoding_hex");
		assert_int_equal(sodium_hex2bin(want, sizeof(want), hex,
				     strlen(hex), NULL, &wantlen, NULL),
		    0);
		assert_int_equal(wantlen, len);
		assert_memory_equal(want, buf, len);
		if (event_decode(&ev, buf, len) != -1)
			fail_msg("accepted: %s", vstr(c, "reason"));
	}
	json_decref(root);
}

static void
test_channel_key_hash_is_the_domain_hash_of_the_key(void **state)
{
	uint8_t pk[KEYS_BOX_PK_BYTES], want[DHASH_BYTES];
	uint8_t got[EVENT_KEYS_HASH_BYTES];

	(void)state;
	fill(pk, 0x33);
	assert_int_equal(
	    dhash(want, "dissent/channel-key/v1", pk, sizeof(pk)), 0);
	event_channel_key_hash(got, pk);
	assert_memory_equal(got, want, sizeof(want));
	pk[0] ^= 1;
	event_channel_key_hash(got, pk);
	assert_memory_not_equal(got, want, sizeof(want));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_member_enrolled_has_the_documented_layout),
	    cmocka_unit_test(test_member_created_has_the_documented_layout),
	    cmocka_unit_test(test_every_type_round_trips),
	    cmocka_unit_test(test_encode_writes_only_the_fields_of_the_type),
	    cmocka_unit_test(test_encode_refuses_unknown_type),
	    cmocka_unit_test(test_encode_refuses_unknown_version),
	    cmocka_unit_test(test_encode_refuses_malformed_member_id),
	    cmocka_unit_test(test_encode_refuses_malformed_org_id),
	    cmocka_unit_test(test_encode_refuses_roles_the_directory_refuses),
	    cmocka_unit_test(test_encode_refuses_eligibility_other_than_0_or_1),
	    cmocka_unit_test(
		test_encode_refuses_epoch_0_and_rotation_to_epoch_1),
	    cmocka_unit_test(test_encode_refuses_time_beyond_int64),
	    cmocka_unit_test(test_encode_refuses_too_small_buffer),
	    cmocka_unit_test(test_decode_refuses_every_truncation),
	    cmocka_unit_test(test_decode_refuses_trailing_bytes),
	    cmocka_unit_test(test_decode_refuses_unknown_version),
	    cmocka_unit_test(test_decode_refuses_unknown_type),
	    cmocka_unit_test(test_decode_refuses_wrong_member_id_length),
	    cmocka_unit_test(test_decode_refuses_malformed_member_id),
	    cmocka_unit_test(
		test_decode_refuses_org_id_with_nul_or_bad_characters),
	    cmocka_unit_test(test_decode_refuses_empty_org_id),
	    cmocka_unit_test(
		test_decode_refuses_bad_roles_eligibility_and_epoch),
	    cmocka_unit_test(test_decode_refuses_time_beyond_int64),
	    cmocka_unit_test(test_decode_refuses_input_beyond_max),
	    cmocka_unit_test(test_decode_refuses_null),
	    cmocka_unit_test(test_type_names_are_stable),
	    cmocka_unit_test(
		test_keys_hash_is_the_domain_hash_of_the_three_keys),
	    cmocka_unit_test(test_keys_hash_changes_with_any_key),
	    cmocka_unit_test(test_memo_type_names_are_stable),
	    cmocka_unit_test(test_memo_submitted_has_the_documented_layout),
	    cmocka_unit_test(test_memo_events_have_the_documented_layouts),
	    cmocka_unit_test(test_encode_refuses_malformed_memo_id),
	    cmocka_unit_test(
		test_encode_refuses_malformed_member_of_memo_events),
	    cmocka_unit_test(test_memo_submitted_refuses_version_zero),
	    cmocka_unit_test(
		test_memo_submitted_carries_no_organisation_or_topic),
	    cmocka_unit_test(
		test_memo_submitted_refuses_the_old_topic_and_org_suffix),
	    cmocka_unit_test(test_kinds_outside_their_ranges_are_refused),
	    cmocka_unit_test(
		test_distribution_approver_may_be_empty_but_not_malformed),
	    cmocka_unit_test(test_reply_number_counts_from_1),
	    cmocka_unit_test(test_times_of_meetings_and_deadlines_are_times),
	    cmocka_unit_test(
		test_memo_encode_writes_only_the_fields_of_the_type),
	    cmocka_unit_test(test_decode_refuses_malformed_memo_fields),
	    cmocka_unit_test(
		test_access_commit_is_the_domain_hash_of_nonce_and_member_id),
	    cmocka_unit_test(test_access_commit_to_the_channel),
	    cmocka_unit_test(test_access_commit_changes_with_nonce_and_member),
	    cmocka_unit_test(test_memo_event_vectors),
	    cmocka_unit_test(test_memo_event_vectors_to_refuse),
	    cmocka_unit_test(
		test_channel_key_hash_is_the_domain_hash_of_the_key),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
