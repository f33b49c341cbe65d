/*
 * Channel log events (event.c): the fixed encoding of every directory
 * event type, strict decoding (every truncation, extension, unknown value
 * and malformed field refused), and the keys hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "dhash.h"
#include "directory.h"
#include "event.h"
#include "keys.h"

#define MEMBER "m_0123456789abcdef01234567"

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
	default:
		fail_msg("no sample for type %u", type);
	}
	return (ev);
}

static const uint16_t all_types[] = {EVENT_ORG_CREATED, EVENT_MEMBER_CREATED,
    EVENT_MEMBER_ENROLLED, EVENT_KEYS_ROTATED, EVENT_MEMBER_SUSPENDED,
    EVENT_MEMBER_REINSTATED, EVENT_ROLES_CHANGED, EVENT_ELIGIBILITY_CHANGED};
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
	/* Memo events are not defined yet. */
	ev.type = 100;
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
	buf[2] = 100;
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
	assert_null(event_type_name(100));
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
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
