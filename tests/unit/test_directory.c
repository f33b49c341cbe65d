/*
 * The directory's rules (directory.h): organisation ids, handles, names,
 * member ids and role sets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "directory.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A string of ${n} copies of ${c} (n < 256). */
static const char *
repeat(char c, size_t n)
{
	static char buf[256];

	assert_true(n < sizeof(buf));
	memset(buf, c, n);
	buf[n] = '\0';
	return (buf);
}

static void
test_org_id_accepts_lowercase_letters_digits_and_hyphens(void **state)
{
	static const char *ok[] = {"state", "usaid", "a", "a-1", "x9-y-z"};
	size_t i;

	(void)state;
	for (i = 0; i < N(ok); i++)
		assert_int_equal(directory_org_id_valid(ok[i]), 1);
	assert_int_equal(
	    directory_org_id_valid(repeat('a', DIRECTORY_ORG_ID_MAX)), 1);
}

static void
test_org_id_refuses_bad_syntax(void **state)
{
	static const char *bad[] = {"", "1state", "-state", "State", "st_ate",
	    "st ate", "st.ate", "état"};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_org_id_valid(bad[i]), 0);
	assert_int_equal(directory_org_id_valid(NULL), 0);
}

static void
test_org_id_refuses_more_than_max_bytes(void **state)
{

	(void)state;
	assert_int_equal(
	    directory_org_id_valid(repeat('a', DIRECTORY_ORG_ID_MAX + 1)), 0);
}

static void
test_handle_accepts_allowed_characters(void **state)
{
	static const char *ok[] = {"alice", "1alice", "a.b", "alice@state",
	    "al-ice", "a", "j.doe-2@usaid.gov"};
	size_t i;

	(void)state;
	for (i = 0; i < N(ok); i++)
		assert_int_equal(directory_handle_valid(ok[i]), 1);
	assert_int_equal(
	    directory_handle_valid(repeat('a', DIRECTORY_HANDLE_MAX)), 1);
}

static void
test_handle_refuses_bad_syntax(void **state)
{
	static const char *bad[] = {"", ".alice", "-alice", "@alice", "Alice",
	    "al ice", "al/ice", "al+ice", "zoë"};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_handle_valid(bad[i]), 0);
	assert_int_equal(directory_handle_valid(NULL), 0);
}

static void
test_handle_refuses_underscore_unlike_member_ids(void **state)
{

	(void)state;
	assert_int_equal(directory_handle_valid("al_ice"), 0);
	assert_int_equal(
	    directory_handle_valid("m_0123456789abcdef01234567"), 0);
}

static void
test_handle_refuses_more_than_max_bytes(void **state)
{

	(void)state;
	assert_int_equal(
	    directory_handle_valid(repeat('a', DIRECTORY_HANDLE_MAX + 1)), 0);
}

static void
test_name_accepts_utf8_text(void **state)
{
	static const char *ok[] = {
	    "Alice Adams",
	    "Zo\xc3\xab",               /* Zoë: 2-byte sequence */
	    "\xe6\x9d\x8e\xe9\x9b\xb7", /* 李雷: 3-byte sequences */
	    "A \xf0\x9f\x98\x80 B",     /* U+1F600: 4 bytes */
	    "\xf4\x8f\xbf\xbf",         /* U+10FFFF, the last */
	    "O'Brien-Smith, Jr.",
	    "x",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(ok); i++)
		assert_int_equal(directory_name_valid(ok[i], 128), 1);
}

static void
test_name_refuses_empty_and_null(void **state)
{

	(void)state;
	assert_int_equal(directory_name_valid("", 128), 0);
	assert_int_equal(directory_name_valid(NULL, 128), 0);
}

static void
test_name_length_limit_counts_bytes(void **state)
{

	(void)state;
	assert_int_equal(directory_name_valid(repeat('a', 10), 10), 1);
	assert_int_equal(directory_name_valid(repeat('a', 11), 10), 0);
	/* Three two-byte characters are six bytes. */
	assert_int_equal(
	    directory_name_valid("\xc3\xab\xc3\xab\xc3\xab", 6), 1);
	assert_int_equal(
	    directory_name_valid("\xc3\xab\xc3\xab\xc3\xab", 5), 0);
}

static void
test_name_refuses_control_characters(void **state)
{
	static const char *bad[] = {
	    "a\tb", "a\nb", "a\rb",
	    "\x01"
	    "ab",
	    "a\x1f"
	    "b",
	    "a\x7f"
	    "b", /* DEL */
	    "a\xc2\x80"
	    "b", /* U+0080, first C1 control */
	    "a\xc2\x85"
	    "b", /* U+0085 NEL */
	    "a\xc2\x9f"
	    "b", /* U+009F, last C1 control */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_name_valid(bad[i], 128), 0);
	/* U+00A0 is not a control (only refused at the ends). */
	assert_int_equal(directory_name_valid("a\xc2\xa0"
					      "b",
			     128),
	    1);
}

static void
test_name_refuses_bidirectional_controls(void **state)
{
	/* Octal escapes, so no literal needs splitting after a \x escape. */
	static const char *bad[] = {
	    "Alice \342\200\256ecilA", /* U+202E RIGHT-TO-LEFT OVERRIDE */
	    "Alice \342\200\252x",     /* U+202A LEFT-TO-RIGHT EMBEDDING */
	    "Alice \342\201\246x",     /* U+2066 LEFT-TO-RIGHT ISOLATE */
	    "Alice \342\201\251x",     /* U+2069 POP DIRECTIONAL ISOLATE */
	    "Alice \342\200\217x",     /* U+200F RIGHT-TO-LEFT MARK */
	    "Alice \330\234x",          /* U+061C ARABIC LETTER MARK */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_name_valid(bad[i], 128), 0);
	/* Right-to-left letters themselves are names like any other. */
	assert_int_equal(directory_name_valid("\xd7\xa9\xd7\xa8\xd7\x94", 128), 1);
}

static void
test_name_refuses_invisible_characters(void **state)
{
	static const char *bad[] = {
	    "Al\342\200\213ice", /* U+200B ZERO WIDTH SPACE */
	    "Al\342\200\215ice", /* U+200D ZERO WIDTH JOINER */
	    "Al\342\201\240ice", /* U+2060 WORD JOINER */
	    "Al\357\273\277ice", /* U+FEFF BYTE ORDER MARK */
	    "Al\302\255ice",      /* U+00AD SOFT HYPHEN */
	    "Al\363\240\200\201ice", /* U+E0001 LANGUAGE TAG */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_name_valid(bad[i], 128), 0);
}

static void
test_name_refuses_leading_or_trailing_space(void **state)
{
	static const char *bad[] = {
	    " Alice", "Alice ", " ",
	    "\xc2\xa0"
	    "Alice",             /* U+00A0 no-break space */
	    "Alice\xe3\x80\x80", /* U+3000 ideographic space */
	    "\xe2\x80\x83"
	    "Alice", /* U+2003 em space */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_name_valid(bad[i], 128), 0);
	assert_int_equal(directory_name_valid("Alice B. Adams", 128), 1);
}

static void
test_name_refuses_overlong_encodings(void **state)
{
	static const char *bad[] = {
	    "\xc0\xaf",                 /* '/' in two bytes */
	    "\xc1\xbf", "\xe0\x80\xaf", /* '/' in three bytes */
	    "\xe0\x9f\xbf",             /* U+07FF in three bytes */
	    "\xf0\x80\x80\xaf",         /* '/' in four bytes */
	    "\xf0\x8f\xbf\xbf",         /* U+FFFF in four bytes */
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_name_valid(bad[i], 128), 0);
}

static void
test_name_refuses_surrogates(void **state)
{

	(void)state;
	assert_int_equal(directory_name_valid("\xed\xa0\x80", 128), 0);
	assert_int_equal(directory_name_valid("\xed\xbf\xbf", 128), 0);
	/* Just below and above the surrogate range are fine. */
	assert_int_equal(directory_name_valid("\xed\x9f\xbf", 128), 1);
	assert_int_equal(directory_name_valid("\xee\x80\x80", 128), 1);
}

static void
test_name_refuses_code_points_above_10ffff(void **state)
{

	(void)state;
	assert_int_equal(directory_name_valid("\xf4\x90\x80\x80", 128), 0);
	assert_int_equal(directory_name_valid("\xf5\x80\x80\x80", 128), 0);
	assert_int_equal(directory_name_valid("\xf7\xbf\xbf\xbf", 128), 0);
	assert_int_equal(directory_name_valid("\xf8\x88\x80\x80\x80", 128), 0);
	assert_int_equal(directory_name_valid("a\xff"
					      "b",
			     128),
	    0);
}

static void
test_name_refuses_broken_sequences(void **state)
{
	static const char *bad[] = {
	    "\200abc", /* stray continuation byte */
	    "ab\xbf",
	    "ab\xc3", /* truncated at the end */
	    "ab\xe2\x82",
	    "ab\xf0\x9f\x98",
	    "\xc3\x28", /* second byte not a continuation */
	    "\xe2\x28\xa1",
	    "\xf0\x9f\x28\x80",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_name_valid(bad[i], 128), 0);
}

static void
test_name_refuses_a_sequence_cut_by_the_limit(void **state)
{

	(void)state;
	/* "ab" then a two-byte character: 4 bytes, limit 3. */
	assert_int_equal(directory_name_valid("ab\xc3\xab", 3), 0);
}

static void
test_member_id_new_is_valid_lowercase_hex(void **state)
{
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	size_t i;

	(void)state;
	directory_member_id_new(id);
	assert_int_equal(strlen(id), DIRECTORY_MEMBER_ID_LEN);
	assert_memory_equal(id, "m_", 2);
	for (i = 2; i < DIRECTORY_MEMBER_ID_LEN; i++)
		assert_non_null(strchr("0123456789abcdef", id[i]));
	assert_int_equal(directory_member_id_valid(id), 1);
}

static void
test_member_id_new_differs_each_time(void **state)
{
	char a[DIRECTORY_MEMBER_ID_LEN + 1], b[DIRECTORY_MEMBER_ID_LEN + 1];

	(void)state;
	directory_member_id_new(a);
	directory_member_id_new(b);
	assert_string_not_equal(a, b);
}

static void
test_member_id_valid_refuses_bad_syntax(void **state)
{
	static const char *bad[] = {
	    "",
	    "m_0123456789abcdef0123456",   /* 23 digits */
	    "m_0123456789abcdef012345678", /* 25 digits */
	    "m_0123456789ABCDEF01234567",  /* uppercase */
	    "m_0123456789abcdef0123456g",
	    "x_0123456789abcdef01234567",
	    "m-0123456789abcdef01234567",
	    "M_0123456789abcdef01234567",
	    "alice",
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(directory_member_id_valid(bad[i]), 0);
	assert_int_equal(directory_member_id_valid(NULL), 0);
	assert_int_equal(
	    directory_member_id_valid("m_0123456789abcdef01234567"), 1);
}

static void
test_role_parse_knows_every_role(void **state)
{

	(void)state;
	assert_int_equal(directory_role_parse("member"), ROLE_MEMBER);
	assert_int_equal(directory_role_parse("coordinator"), ROLE_COORDINATOR);
	assert_int_equal(directory_role_parse("director"), ROLE_DIRECTOR);
	assert_int_equal(directory_role_parse("principal"), ROLE_PRINCIPAL);
	assert_int_equal(directory_role_parse("auditor"), ROLE_AUDITOR);
	assert_int_equal(directory_role_parse("admin"), ROLE_ADMIN);
}

static void
test_role_parse_refuses_unknown_names(void **state)
{

	(void)state;
	assert_int_equal(directory_role_parse("Admin"), 0);
	assert_int_equal(directory_role_parse("members"), 0);
	assert_int_equal(directory_role_parse(""), 0);
	assert_int_equal(directory_role_parse("member,admin"), 0);
	assert_int_equal(directory_role_parse(NULL), 0);
}

static void
test_role_name_round_trips_every_bit(void **state)
{
	unsigned int bit;

	(void)state;
	for (bit = 1; bit <= ROLE_ADMIN; bit <<= 1) {
		assert_non_null(directory_role_name(bit));
		assert_int_equal(
		    directory_role_parse(directory_role_name(bit)), bit);
	}
}

static void
test_role_name_refuses_zero_several_and_unknown_bits(void **state)
{

	(void)state;
	assert_null(directory_role_name(0));
	assert_null(directory_role_name(ROLE_MEMBER | ROLE_AUDITOR));
	assert_null(directory_role_name(0x40));
}

static void
test_roles_format_writes_names_in_bit_order(void **state)
{
	char out[DIRECTORY_ROLES_STR_MAX];

	(void)state;
	assert_int_equal(directory_roles_format(
			     out, sizeof(out), ROLE_COORDINATOR | ROLE_MEMBER),
	    0);
	assert_string_equal(out, "member,coordinator");
	assert_int_equal(
	    directory_roles_format(out, sizeof(out), ROLE_ADMIN), 0);
	assert_string_equal(out, "admin");
	assert_int_equal(directory_roles_format(out, sizeof(out), 0), 0);
	assert_string_equal(out, "");
}

static void
test_roles_format_fits_every_role_in_max(void **state)
{
	char out[DIRECTORY_ROLES_STR_MAX];

	(void)state;
	assert_int_equal(directory_roles_format(out, sizeof(out), ROLE_ALL), 0);
	assert_string_equal(
	    out, "member,coordinator,director,principal,auditor,admin");
}

static void
test_roles_format_refuses_a_short_buffer(void **state)
{
	char out[32];

	(void)state;
	/* "member,auditor" is 14 characters and needs 15 bytes. */
	assert_int_equal(
	    directory_roles_format(out, 15, ROLE_MEMBER | ROLE_AUDITOR), 0);
	assert_string_equal(out, "member,auditor");
	assert_int_equal(
	    directory_roles_format(out, 14, ROLE_MEMBER | ROLE_AUDITOR), -1);
	assert_string_equal(out, "");
	assert_int_equal(directory_roles_format(out, 0, ROLE_MEMBER), -1);
}

static void
test_roles_format_refuses_unknown_bits(void **state)
{
	char out[DIRECTORY_ROLES_STR_MAX];

	(void)state;
	assert_int_equal(
	    directory_roles_format(out, sizeof(out), ROLE_MEMBER | 0x40), -1);
}

static void
test_roles_valid_accepts_admin_alone(void **state)
{

	(void)state;
	assert_int_equal(directory_roles_valid(ROLE_ADMIN), 1);
}

static void
test_roles_valid_refuses_admin_with_any_other_role(void **state)
{
	unsigned int other;

	(void)state;
	for (other = ROLE_MEMBER; other < ROLE_ADMIN; other <<= 1)
		assert_int_equal(directory_roles_valid(ROLE_ADMIN | other), 0);
	assert_int_equal(directory_roles_valid(ROLE_ALL), 0);
}

static void
test_roles_valid_refuses_a_role_without_member(void **state)
{

	(void)state;
	assert_int_equal(directory_roles_valid(ROLE_COORDINATOR), 0);
	assert_int_equal(directory_roles_valid(ROLE_AUDITOR), 0);
	assert_int_equal(
	    directory_roles_valid(ROLE_PRINCIPAL | ROLE_DIRECTOR), 0);
}

static void
test_roles_valid_accepts_every_non_admin_set_with_member(void **state)
{
	unsigned int roles;

	(void)state;
	for (roles = 0; roles < ROLE_ADMIN; roles++) {
		if (roles & ROLE_MEMBER)
			assert_int_equal(directory_roles_valid(roles), 1);
	}
}

static void
test_roles_valid_refuses_empty_and_unknown_bits(void **state)
{

	(void)state;
	assert_int_equal(directory_roles_valid(0), 0);
	assert_int_equal(directory_roles_valid(0x40), 0);
	assert_int_equal(directory_roles_valid(ROLE_MEMBER | 0x40), 0);
	assert_int_equal(directory_roles_valid(ROLE_MEMBER | 0x80000000u), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		test_org_id_accepts_lowercase_letters_digits_and_hyphens),
	    cmocka_unit_test(test_org_id_refuses_bad_syntax),
	    cmocka_unit_test(test_org_id_refuses_more_than_max_bytes),
	    cmocka_unit_test(test_handle_accepts_allowed_characters),
	    cmocka_unit_test(test_handle_refuses_bad_syntax),
	    cmocka_unit_test(test_handle_refuses_underscore_unlike_member_ids),
	    cmocka_unit_test(test_handle_refuses_more_than_max_bytes),
	    cmocka_unit_test(test_name_accepts_utf8_text),
	    cmocka_unit_test(test_name_refuses_empty_and_null),
	    cmocka_unit_test(test_name_length_limit_counts_bytes),
	    cmocka_unit_test(test_name_refuses_control_characters),
	    cmocka_unit_test(test_name_refuses_bidirectional_controls),
	    cmocka_unit_test(test_name_refuses_invisible_characters),
	    cmocka_unit_test(test_name_refuses_leading_or_trailing_space),
	    cmocka_unit_test(test_name_refuses_overlong_encodings),
	    cmocka_unit_test(test_name_refuses_surrogates),
	    cmocka_unit_test(test_name_refuses_code_points_above_10ffff),
	    cmocka_unit_test(test_name_refuses_broken_sequences),
	    cmocka_unit_test(test_name_refuses_a_sequence_cut_by_the_limit),
	    cmocka_unit_test(test_member_id_new_is_valid_lowercase_hex),
	    cmocka_unit_test(test_member_id_new_differs_each_time),
	    cmocka_unit_test(test_member_id_valid_refuses_bad_syntax),
	    cmocka_unit_test(test_role_parse_knows_every_role),
	    cmocka_unit_test(test_role_parse_refuses_unknown_names),
	    cmocka_unit_test(test_role_name_round_trips_every_bit),
	    cmocka_unit_test(
		test_role_name_refuses_zero_several_and_unknown_bits),
	    cmocka_unit_test(test_roles_format_writes_names_in_bit_order),
	    cmocka_unit_test(test_roles_format_fits_every_role_in_max),
	    cmocka_unit_test(test_roles_format_refuses_a_short_buffer),
	    cmocka_unit_test(test_roles_format_refuses_unknown_bits),
	    cmocka_unit_test(test_roles_valid_accepts_admin_alone),
	    cmocka_unit_test(
		test_roles_valid_refuses_admin_with_any_other_role),
	    cmocka_unit_test(test_roles_valid_refuses_a_role_without_member),
	    cmocka_unit_test(
		test_roles_valid_accepts_every_non_admin_set_with_member),
	    cmocka_unit_test(test_roles_valid_refuses_empty_and_unknown_bits),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
