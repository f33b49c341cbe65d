/*
 * Strict JSON body parsing (src/server/jsonin.c): what is accepted, and
 * every refusal with its API error code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "jsonin.h"

struct sub_in {
	uint8_t key[4];
	int64_t n;
};

static const struct jsonin_field sub_fields[] = {
    {.name = "key",
	.type = JSONIN_B64,
	.flags = JSONIN_REQUIRED,
	.min = 4,
	JSONIN_AT(struct sub_in, key)},
    {.name = "n",
	.type = JSONIN_INT,
	.imin = 0,
	.imax = 10,
	JSONIN_AT(struct sub_in, n)},
};
static const struct jsonin_spec sub_spec =
    JSONIN_SPEC(struct sub_in, sub_fields);

struct t_in {
	char name[9];
	int flag;
	int has_flag;
	int64_t count;
	uint8_t key[4];
	struct jsonin_strings tags;
	struct sub_in sub;
	int has_sub;
};

static const struct jsonin_field t_fields[] = {
    {.name = "name",
	.type = JSONIN_STRING,
	.flags = JSONIN_REQUIRED,
	.min = 2,
	.max = 8,
	JSONIN_AT(struct t_in, name)},
    {.name = "flag",
	.type = JSONIN_BOOL,
	JSONIN_AT(struct t_in, flag),
	JSONIN_PRESENT(struct t_in, has_flag)},
    {.name = "count",
	.type = JSONIN_INT,
	.imin = -5,
	.imax = 1000,
	JSONIN_AT(struct t_in, count)},
    {.name = "key", .type = JSONIN_B64, .min = 4, JSONIN_AT(struct t_in, key)},
    {.name = "tags",
	.type = JSONIN_STRINGS,
	.min = 1,
	.max = 3,
	JSONIN_AT(struct t_in, tags)},
    {.name = "sub",
	.type = JSONIN_OBJECT,
	.sub = &sub_spec,
	JSONIN_AT(struct t_in, sub),
	JSONIN_PRESENT(struct t_in, has_sub)},
};
static const struct jsonin_spec t_spec = JSONIN_SPEC(struct t_in, t_fields);

static struct t_in out;
static struct jsonin_error e;

/* Parse the NUL-terminated ${s} against t_spec. */
static int
parse(const char *s)
{

	return (jsonin_parse(&t_spec, s, strlen(s), &out, &e));
}

/* Parse ${s}, expect a refusal with ${status}, return the message. */
static const char *
refused(const char *s, enum jsonin_status status)
{

	assert_int_equal(parse(s), -1);
	assert_int_equal(e.status, status);
	return (e.message);
}

static void
test_accepts_every_type(void **state)
{
	(void)state;
	assert_int_equal(
	    parse("{\"name\":\"alice\",\"flag\":true,"
		  "\"count\":-5,\"key\":\"AAECAw\",\"tags\":[\"a\",\"bc\"],"
		  "\"sub\":{\"key\":\"BAUGBw\",\"n\":10}}"),
	    0);
	assert_string_equal(out.name, "alice");
	assert_int_equal(out.flag, 1);
	assert_int_equal(out.has_flag, 1);
	assert_int_equal(out.count, -5);
	assert_memory_equal(out.key, "\x00\x01\x02\x03", 4);
	assert_int_equal(out.tags.n, 2);
	assert_string_equal(out.tags.v[0], "a");
	assert_string_equal(out.tags.v[1], "bc");
	assert_int_equal(out.has_sub, 1);
	assert_memory_equal(out.sub.key, "\x04\x05\x06\x07", 4);
	assert_int_equal(out.sub.n, 10);
	assert_int_equal(e.status, JSONIN_OK);
}

static void
test_absent_optional_fields_are_not_present(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"name\":\"bob\"}"), 0);
	assert_int_equal(out.has_flag, 0);
	assert_int_equal(out.has_sub, 0);
	assert_int_equal(out.count, 0);
}

static void
test_false_is_present(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"name\":\"bob\",\"flag\":false}"), 0);
	assert_int_equal(out.has_flag, 1);
	assert_int_equal(out.flag, 0);
}

static void
test_accepts_multibyte_utf8(void **state)
{
	(void)state;
	/* "é" is 2 bytes: 4 characters, 8 bytes, at the limit. */
	assert_int_equal(
	    parse("{\"name\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}"), 0);
	assert_int_equal(strlen(out.name), 8);
}

static void
test_refuses_duplicate_key(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"name\":\"eve\"}", JSONIN_INVALID_JSON);
	assert_non_null(strstr(e.message, "duplicate"));
}

static void
test_refuses_duplicate_key_in_nested_object(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"sub\":{\"key\":\"AAECAw\",\"key\":"
		"\"AAECAw\"}}",
	    JSONIN_INVALID_JSON);
}

static void
test_refuses_unknown_field_naming_it(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"admin\":true}", JSONIN_UNKNOWN_FIELD);
	assert_non_null(strstr(e.message, "\"admin\""));
}

static void
test_refuses_unknown_nested_field_with_its_path(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"sub\":{\"key\":\"AAECAw\",\"x\":1}}",
	    JSONIN_UNKNOWN_FIELD);
	assert_non_null(strstr(e.message, "\"sub.x\""));
}

static void
test_unknown_field_with_odd_name_is_not_echoed(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"<script>\":1}", JSONIN_UNKNOWN_FIELD);
	assert_null(strstr(e.message, "<script>"));
}

static void
test_refuses_string_of_wrong_type(void **state)
{
	(void)state;
	refused("{\"name\":5}", JSONIN_INVALID_FIELD);
	assert_non_null(strstr(e.message, "\"name\""));
}

static void
test_refuses_bool_of_wrong_type(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"flag\":1}", JSONIN_INVALID_FIELD);
	refused("{\"name\":\"bob\",\"flag\":\"true\"}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_null_for_a_field(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"flag\":null}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_object_of_wrong_type(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"sub\":[]}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_missing_required_field(void **state)
{
	(void)state;
	refused("{\"flag\":true}", JSONIN_MISSING_FIELD);
	assert_non_null(strstr(e.message, "\"name\""));
}

static void
test_refuses_missing_required_nested_field(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"sub\":{\"n\":1}}", JSONIN_MISSING_FIELD);
	assert_non_null(strstr(e.message, "\"sub.key\""));
}

static void
test_refuses_string_too_long_without_echoing_it(void **state)
{
	(void)state;
	refused("{\"name\":\"secretpw9\"}", JSONIN_INVALID_FIELD);
	assert_null(strstr(e.message, "secretpw9"));
}

static void
test_refuses_string_too_short(void **state)
{
	(void)state;
	refused("{\"name\":\"b\"}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_nul_in_string_naming_the_field(void **state)
{
	(void)state;
	refused("{\"name\":\"bo\\u0000b\"}", JSONIN_INVALID_FIELD);
	assert_non_null(strstr(e.message, "\"name\""));
	refused(
	    "{\"name\":\"bob\",\"tags\":[\"a\\u0000\"]}", JSONIN_INVALID_FIELD);
	refused("{\"name\":\"bob\",\"key\":\"AAECAw\\u0000\"}",
	    JSONIN_INVALID_FIELD);
}

static void
test_refuses_nul_in_a_key(void **state)
{
	(void)state;
	refused(
	    "{\"name\":\"bob\",\"na\\u0000me\":\"x\"}", JSONIN_INVALID_JSON);
}

static void
test_refuses_invalid_utf8(void **state)
{
	(void)state;
	refused("{\"name\":\"b\xff\xfe\"}", JSONIN_INVALID_JSON);
	/* An overlong encoding of '/'. */
	refused("{\"name\":\"b\xc0\xaf\"}", JSONIN_INVALID_JSON);
	/* A lone surrogate escape. */
	refused("{\"name\":\"b\\ud800\"}", JSONIN_INVALID_JSON);
}

static void
test_refuses_integer_above_range(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"count\":1001}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_integer_below_range(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"count\":-6}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_integer_beyond_int64(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"count\":99999999999999999999}",
	    JSONIN_INVALID_FIELD);
	assert_non_null(strstr(e.message, "out of range"));
}

static void
test_refuses_real_where_integer_expected(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"count\":1.0}", JSONIN_INVALID_FIELD);
	refused("{\"name\":\"bob\",\"count\":1e2}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_array_at_top_level(void **state)
{
	(void)state;
	refused("[{\"name\":\"bob\"}]", JSONIN_NOT_OBJECT);
	assert_string_equal(jsonin_status_code(e.status), "invalid_json");
}

static void
test_refuses_scalar_at_top_level(void **state)
{
	(void)state;
	refused("\"bob\"", JSONIN_INVALID_JSON);
	refused("7", JSONIN_INVALID_JSON);
}

static void
test_refuses_trailing_garbage(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\"} x", JSONIN_INVALID_JSON);
	refused("{\"name\":\"bob\"}{}", JSONIN_INVALID_JSON);
}

static void
test_refuses_empty_body(void **state)
{
	(void)state;
	refused("", JSONIN_INVALID_JSON);
}

static void
test_refuses_base64_of_wrong_length(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"key\":\"AAECAwQ\"}", JSONIN_INVALID_FIELD);
	refused("{\"name\":\"bob\",\"key\":\"AAEC\"}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_non_canonical_base64(void **state)
{
	(void)state;
	/* The last character carries non-zero unused bits. */
	refused("{\"name\":\"bob\",\"key\":\"AAECAx\"}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_padded_or_standard_base64(void **state)
{
	(void)state;
	refused(
	    "{\"name\":\"bob\",\"key\":\"AAECAw==\"}", JSONIN_INVALID_FIELD);
	refused("{\"name\":\"bob\",\"key\":\"+/8AAA\"}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_array_too_long(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}",
	    JSONIN_INVALID_FIELD);
}

static void
test_refuses_array_too_short(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"tags\":[]}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_array_items_that_are_not_strings(void **state)
{
	(void)state;
	refused("{\"name\":\"bob\",\"tags\":[\"a\",1]}", JSONIN_INVALID_FIELD);
	refused("{\"name\":\"bob\",\"tags\":[\"\"]}", JSONIN_INVALID_FIELD);
}

static void
test_refuses_deep_nesting(void **state)
{
	char buf[256];
	size_t i, n = 0;

	(void)state;
	n += (size_t)snprintf(buf, sizeof(buf), "{\"name\":");
	for (i = 0; i < JSONIN_DEPTH_MAX; i++)
		buf[n++] = '[';
	for (i = 0; i < JSONIN_DEPTH_MAX; i++)
		buf[n++] = ']';
	buf[n++] = '}';
	buf[n] = '\0';
	refused(buf, JSONIN_INVALID_JSON);
	assert_non_null(strstr(e.message, "deep"));
}

static void
test_depth_check_skips_brackets_in_strings(void **state)
{
	static const char s[] = "{\"a\":\"[[[[\\\"[[\"}";

	(void)state;
	assert_int_equal(jsonin_depth_ok(s, strlen(s), 1), 1);
	assert_int_equal(jsonin_depth_ok("[[]]", 4, 1), 0);
	assert_int_equal(jsonin_depth_ok("[[]]", 4, 2), 1);
}

static void
test_output_is_wiped_on_refusal(void **state)
{
	static const unsigned char zero[sizeof(struct t_in)];

	(void)state;
	memset(&out, 0xaa, sizeof(out));
	refused("{\"name\":\"bob\",\"key\":\"AAECAw\",\"count\":2000}",
	    JSONIN_INVALID_FIELD);
	assert_memory_equal(&out, zero, sizeof(out));
}

static void
test_status_codes_are_the_api_codes(void **state)
{
	(void)state;
	assert_null(jsonin_status_code(JSONIN_OK));
	assert_string_equal(
	    jsonin_status_code(JSONIN_INVALID_JSON), "invalid_json");
	assert_string_equal(
	    jsonin_status_code(JSONIN_UNKNOWN_FIELD), "unknown_field");
	assert_string_equal(
	    jsonin_status_code(JSONIN_INVALID_FIELD), "invalid_field");
	assert_string_equal(
	    jsonin_status_code(JSONIN_MISSING_FIELD), "missing_field");
}

static void
test_spec_valid_accepts_the_test_spec(void **state)
{
	(void)state;
	assert_int_equal(jsonin_spec_valid(&t_spec), 1);
}

static void
test_spec_valid_refuses_string_without_room_for_nul(void **state)
{
	static const struct jsonin_field bad[] = {
	    {.name = "name",
		.type = JSONIN_STRING,
		.min = 1,
		.max = 9,
		JSONIN_AT(struct t_in, name)},
	};
	static const struct jsonin_spec spec = JSONIN_SPEC(struct t_in, bad);

	(void)state;
	assert_int_equal(jsonin_spec_valid(&spec), 0);
}

static void
test_spec_valid_refuses_duplicate_names(void **state)
{
	static const struct jsonin_field bad[] = {
	    {.name = "flag", .type = JSONIN_BOOL, JSONIN_AT(struct t_in, flag)},
	    {.name = "flag",
		.type = JSONIN_BOOL,
		JSONIN_AT(struct t_in, has_flag)},
	};
	static const struct jsonin_spec spec = JSONIN_SPEC(struct t_in, bad);

	(void)state;
	assert_int_equal(jsonin_spec_valid(&spec), 0);
}

static void
test_spec_valid_refuses_b64_size_mismatch(void **state)
{
	static const struct jsonin_field bad[] = {
	    {.name = "key",
		.type = JSONIN_B64,
		.min = 3,
		JSONIN_AT(struct t_in, key)},
	};
	static const struct jsonin_spec spec = JSONIN_SPEC(struct t_in, bad);

	(void)state;
	assert_int_equal(jsonin_spec_valid(&spec), 0);
}

/* A list of 3-byte keys (JSONIN_B64S), 1 to 4 of them. */
struct keys_in {
	uint8_t keys[4][3];
	size_t nkeys;
};

static const struct jsonin_field keys_fields[] = {
    {.name = "keys",
	.type = JSONIN_B64S,
	.flags = JSONIN_REQUIRED,
	.min = 1,
	.max = 4,
	JSONIN_AT(struct keys_in, keys),
	JSONIN_COUNT(struct keys_in, nkeys)},
};
static const struct jsonin_spec keys_spec =
    JSONIN_SPEC(struct keys_in, keys_fields);

/* Parse ${s} against keys_spec into ${k}. */
static int
parse_keys(const char *s, struct keys_in *k)
{

	return (jsonin_parse(&keys_spec, s, strlen(s), k, &e));
}

static void
test_b64_list_decodes_every_item_and_counts_them(void **state)
{
	struct keys_in k;

	(void)state;
	assert_int_equal(jsonin_spec_valid(&keys_spec), 1);
	assert_int_equal(parse_keys("{\"keys\":[\"AAEC\",\"_-_-\"]}", &k), 0);
	assert_int_equal(k.nkeys, 2);
	assert_int_equal(k.keys[0][0], 0);
	assert_int_equal(k.keys[0][2], 2);
	assert_int_equal(k.keys[1][0], 0xff);
	assert_int_equal(k.keys[1][2], 0xfe);
}

static void
test_b64_list_refuses_bad_items_and_sizes_wiping_the_output(void **state)
{
	static const char *const bad[] = {
	    "{\"keys\":[]}",
	    "{\"keys\":[\"AAEC\",\"AAEC\",\"AAEC\",\"AAEC\",\"AAEC\"]}",
	    "{\"keys\":[\"AAECAw\"]}",
	    "{\"keys\":[\"AAE\"]}",
	    "{\"keys\":[\"AAEC\",3]}",
	    "{\"keys\":[\"AAEC\",\"AA=C\"]}",
	    "{\"keys\":[\"AA\\u0000C\"]}",
	    "{\"keys\":\"AAEC\"}",
	};
	struct keys_in k;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&k, 0x55, sizeof(k));
		assert_int_equal(parse_keys(bad[i], &k), -1);
		assert_int_equal(e.status, JSONIN_INVALID_FIELD);
		assert_non_null(strstr(e.message, "\"keys\""));
		assert_int_equal(k.nkeys, 0);
		assert_int_equal(k.keys[0][0], 0);
	}
}

static void
test_spec_valid_refuses_b64_list_without_count_or_whole_items(void **state)
{
	static const struct jsonin_field no_count[] = {
	    {.name = "keys",
		.type = JSONIN_B64S,
		.min = 1,
		.max = 4,
		JSONIN_AT(struct keys_in, keys)},
	};
	static const struct jsonin_field ragged[] = {
	    {.name = "keys",
		.type = JSONIN_B64S,
		.min = 1,
		.max = 5,
		JSONIN_AT(struct keys_in, keys),
		JSONIN_COUNT(struct keys_in, nkeys)},
	};
	static const struct jsonin_spec a =
	    JSONIN_SPEC(struct keys_in, no_count);
	static const struct jsonin_spec b = JSONIN_SPEC(struct keys_in, ragged);

	(void)state;
	assert_int_equal(jsonin_spec_valid(&a), 0);
	assert_int_equal(jsonin_spec_valid(&b), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accepts_every_type),
	    cmocka_unit_test(test_b64_list_decodes_every_item_and_counts_them),
	    cmocka_unit_test(
		test_b64_list_refuses_bad_items_and_sizes_wiping_the_output),
	    cmocka_unit_test(
		test_spec_valid_refuses_b64_list_without_count_or_whole_items),
	    cmocka_unit_test(test_absent_optional_fields_are_not_present),
	    cmocka_unit_test(test_false_is_present),
	    cmocka_unit_test(test_accepts_multibyte_utf8),
	    cmocka_unit_test(test_refuses_duplicate_key),
	    cmocka_unit_test(test_refuses_duplicate_key_in_nested_object),
	    cmocka_unit_test(test_refuses_unknown_field_naming_it),
	    cmocka_unit_test(test_refuses_unknown_nested_field_with_its_path),
	    cmocka_unit_test(test_unknown_field_with_odd_name_is_not_echoed),
	    cmocka_unit_test(test_refuses_string_of_wrong_type),
	    cmocka_unit_test(test_refuses_bool_of_wrong_type),
	    cmocka_unit_test(test_refuses_null_for_a_field),
	    cmocka_unit_test(test_refuses_object_of_wrong_type),
	    cmocka_unit_test(test_refuses_missing_required_field),
	    cmocka_unit_test(test_refuses_missing_required_nested_field),
	    cmocka_unit_test(test_refuses_string_too_long_without_echoing_it),
	    cmocka_unit_test(test_refuses_string_too_short),
	    cmocka_unit_test(test_refuses_nul_in_string_naming_the_field),
	    cmocka_unit_test(test_refuses_nul_in_a_key),
	    cmocka_unit_test(test_refuses_invalid_utf8),
	    cmocka_unit_test(test_refuses_integer_above_range),
	    cmocka_unit_test(test_refuses_integer_below_range),
	    cmocka_unit_test(test_refuses_integer_beyond_int64),
	    cmocka_unit_test(test_refuses_real_where_integer_expected),
	    cmocka_unit_test(test_refuses_array_at_top_level),
	    cmocka_unit_test(test_refuses_scalar_at_top_level),
	    cmocka_unit_test(test_refuses_trailing_garbage),
	    cmocka_unit_test(test_refuses_empty_body),
	    cmocka_unit_test(test_refuses_base64_of_wrong_length),
	    cmocka_unit_test(test_refuses_non_canonical_base64),
	    cmocka_unit_test(test_refuses_padded_or_standard_base64),
	    cmocka_unit_test(test_refuses_array_too_long),
	    cmocka_unit_test(test_refuses_array_too_short),
	    cmocka_unit_test(test_refuses_array_items_that_are_not_strings),
	    cmocka_unit_test(test_refuses_deep_nesting),
	    cmocka_unit_test(test_depth_check_skips_brackets_in_strings),
	    cmocka_unit_test(test_output_is_wiped_on_refusal),
	    cmocka_unit_test(test_status_codes_are_the_api_codes),
	    cmocka_unit_test(test_spec_valid_accepts_the_test_spec),
	    cmocka_unit_test(
		test_spec_valid_refuses_string_without_room_for_nul),
	    cmocka_unit_test(test_spec_valid_refuses_duplicate_names),
	    cmocka_unit_test(test_spec_valid_refuses_b64_size_mismatch),
	};

	if (sodium_init() < 0)
		return (1);
	jsonin_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
