/*
 * What the CLI prints: errors once, in the right place for the mode; one
 * JSON object per command in JSON mode; server text cleaned of terminal
 * control sequences.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "exitcode.h"
#include "jsonmem.h"
#include "output.h"

struct captured {
	struct output o;
	FILE *out;
	FILE *err;
	char outbuf[4096];
	char errbuf[4096];
};

static void
capture_start(struct captured *c, int json)
{

	assert_non_null(c->out = tmpfile());
	assert_non_null(c->err = tmpfile());
	output_init(&c->o, json, c->out, c->err);
}

static void
capture_end(struct captured *c)
{
	size_t n;

	fflush(c->out);
	fflush(c->err);
	rewind(c->out);
	rewind(c->err);
	n = fread(c->outbuf, 1, sizeof(c->outbuf) - 1, c->out);
	c->outbuf[n] = '\0';
	n = fread(c->errbuf, 1, sizeof(c->errbuf) - 1, c->err);
	c->errbuf[n] = '\0';
	fclose(c->out);
	fclose(c->err);
}

static void
test_error_in_human_mode_goes_to_stderr_with_code(void **state)
{
	struct captured c;

	(void)state;
	capture_start(&c, 0);
	assert_int_equal(output_error(&c.o, CLI_EXIT_CONFLICT, "conflict",
			     "handle %s exists", "alice"),
	    CLI_EXIT_CONFLICT);
	capture_end(&c);
	assert_string_equal(c.errbuf, "error: handle alice exists "
				      "(conflict)\n");
	assert_string_equal(c.outbuf, "");
}

static void
test_error_in_json_mode_is_one_object_on_stdout(void **state)
{
	struct captured c;
	json_t *obj;

	(void)state;
	capture_start(&c, 1);
	assert_int_equal(output_error(&c.o, CLI_EXIT_AUTH, "bad_credentials",
			     "wrong \"password\""),
	    CLI_EXIT_AUTH);
	capture_end(&c);
	assert_string_equal(c.errbuf, "");
	assert_non_null(obj = json_loads(c.outbuf, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(obj, "error"), "code")),
	    "bad_credentials");
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(obj, "error"), "message")),
	    "wrong \"password\"");
	/* Exactly one line. */
	assert_non_null(strchr(c.outbuf, '\n'));
	assert_string_equal(strchr(c.outbuf, '\n'), "\n");
	json_decref(obj);
}

static void
test_json_result_is_one_compact_line(void **state)
{
	struct captured c;
	json_t *obj = json_pack("{s:s,s:b}", "handle", "admin", "ok", 1);

	(void)state;
	capture_start(&c, 1);
	assert_int_equal(output_json(&c.o, obj), 0);
	output_text(&c.o, "human text %d\n", 1);
	capture_end(&c);
	assert_string_equal(c.outbuf, "{\"handle\":\"admin\",\"ok\":true}\n");
	json_decref(obj);
}

static void
test_human_mode_prints_text_not_json(void **state)
{
	struct captured c;
	json_t *obj = json_pack("{s:s}", "a", "b");

	(void)state;
	capture_start(&c, 0);
	assert_int_equal(output_json(&c.o, obj), 0);
	output_field(&c.o, "Handle", "alice");
	output_field(&c.o, "Name", NULL);
	capture_end(&c);
	assert_string_equal(c.outbuf, "Handle          alice\n"
				      "Name            -\n");
	json_decref(obj);
}

static void
test_notes_go_to_stderr_in_both_modes(void **state)
{
	struct captured c;

	(void)state;
	capture_start(&c, 1);
	output_note(&c.o, "write this down\n");
	capture_end(&c);
	assert_string_equal(c.errbuf, "write this down\n");
	assert_string_equal(c.outbuf, "");
}

static void
test_clean_replaces_control_characters(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(
	    output_clean(buf, sizeof(buf), "a\x1b[31mred\x07\n\x7f"),
	    "a?[31mred???");
	/* U+009B (CSI as a C1 control) in UTF-8. */
	assert_string_equal(
	    output_clean(buf, sizeof(buf), "x\xc2\x9by"), "x?y");
	/* Bytes that are not UTF-8. */
	assert_string_equal(
	    output_clean(buf, sizeof(buf), "\x9b\xff\xc0\x80"), "????");
}

static void
test_clean_keeps_valid_utf8(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(output_clean(buf, sizeof(buf),
				"Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80"),
	    "Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80");
	assert_string_equal(output_clean(buf, sizeof(buf), NULL), "-");
}

static void
test_clean_cuts_without_splitting_a_character(void **state)
{
	char buf[5];

	(void)state;
	/* "ab" + 3-byte euro sign = 5 bytes; only 4 fit. */
	assert_string_equal(
	    output_clean(buf, sizeof(buf), "ab\xe2\x82\xac"), "ab");
	assert_string_equal(output_clean(buf, sizeof(buf), "abcdefgh"), "abcd");
}

static void
test_time_is_utc(void **state)
{
	char t[OUTPUT_TIME_LEN];

	(void)state;
	output_time(t, 0);
	assert_string_equal(t, "1970-01-01 00:00:00 UTC");
	output_time(t, 1764400000);
	assert_string_equal(t, "2025-11-29 07:06:40 UTC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_error_in_human_mode_goes_to_stderr_with_code),
	    cmocka_unit_test(test_error_in_json_mode_is_one_object_on_stdout),
	    cmocka_unit_test(test_json_result_is_one_compact_line),
	    cmocka_unit_test(test_human_mode_prints_text_not_json),
	    cmocka_unit_test(test_notes_go_to_stderr_in_both_modes),
	    cmocka_unit_test(test_clean_replaces_control_characters),
	    cmocka_unit_test(test_clean_keeps_valid_utf8),
	    cmocka_unit_test(test_clean_cuts_without_splitting_a_character),
	    cmocka_unit_test(test_time_is_utc),
	};

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
