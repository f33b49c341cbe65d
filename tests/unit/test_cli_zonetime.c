/*
 * Times as the CLI shows them (src/cli/zonetime.c): in the instance's time
 * zone with its name, due dates with the working days left by the
 * instance's calendar, and local times read back for `meeting schedule`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "jsonmem.h"
#include "zonetime.h"

/* The Unix time of the UTC date and time given (timegm, not our code). */
static int64_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return ((int64_t)timegm(&tm));
}

/* The zonetime of an instance description given as JSON text. */
static struct zonetime *
zt_of(const char *json)
{
	struct zonetime *zt;
	json_t *inst;

	assert_non_null(inst = json_loads(json, 0, NULL));
	zt = zonetime_new(inst);
	json_decref(inst);
	return (zt);
}

/* New York at 10:00 on Monday 2026-11-23 (Thanksgiving is on the 26th). */
#define MONDAY_10 utc(2026, 11, 23, 15, 0, 0)
/* The ends of days in New York in that week (EST, UTC-5). */
#define END_MON utc(2026, 11, 24, 4, 59, 59)
#define END_TUE utc(2026, 11, 25, 4, 59, 59)
#define END_WED utc(2026, 11, 26, 4, 59, 59)
#define END_FRI utc(2026, 11, 28, 4, 59, 59)

static void
test_new_takes_the_instance_zone_and_defaults_to_utc(void **state)
{
	struct zonetime *zt;

	(void)state;
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\"}"));
	assert_string_equal(zonetime_zone(zt), "America/New_York");
	zonetime_free(zt);
	assert_non_null(zt = zt_of("{\"name\":\"x\"}"));
	assert_string_equal(zonetime_zone(zt), "UTC");
	zonetime_free(zt);
	assert_string_equal(zonetime_zone(NULL), "UTC");
	zonetime_free(NULL);
}

static void
test_new_refuses_zones_it_cannot_load(void **state)
{

	(void)state;
	assert_null(zt_of("{\"time_zone\":\"Nowhere/Atlantis\"}"));
	assert_null(zt_of("{\"time_zone\":\"../../etc/passwd\"}"));
	assert_null(zt_of("{\"time_zone\":\"\"}"));
	assert_null(
	    zt_of("{\"time_zone\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}"));
}

static void
test_format_shows_the_local_time_of_the_zone(void **state)
{
	char out[ZONETIME_LEN], zoned[ZONETIME_ZONED_LEN];
	struct zonetime *zt;

	(void)state;
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\"}"));
	/* A deadline: the end of 2 December in New York, 04:59:59 UTC. */
	zonetime_format(zt, utc(2026, 12, 3, 4, 59, 59), out);
	assert_string_equal(out, "2026-12-02 23:59:59");
	zonetime_format(zt, utc(2026, 7, 1, 16, 5, 9), out);
	assert_string_equal(out, "2026-07-01 12:05:09");
	zonetime_format_zoned(zt, utc(2026, 12, 3, 4, 59, 59), zoned);
	assert_string_equal(zoned, "2026-12-02 23:59:59 America/New_York");
	zonetime_free(zt);
}

static void
test_format_without_a_zonetime_is_utc(void **state)
{
	char out[ZONETIME_LEN], zoned[ZONETIME_ZONED_LEN];

	(void)state;
	zonetime_format(NULL, utc(2026, 12, 3, 4, 59, 59), out);
	assert_string_equal(out, "2026-12-03 04:59:59");
	zonetime_format_zoned(NULL, utc(2026, 12, 3, 4, 59, 59), zoned);
	assert_string_equal(zoned, "2026-12-03 04:59:59 UTC");
}

static void
test_format_shows_a_dash_for_times_out_of_range(void **state)
{
	char out[ZONETIME_LEN], zoned[ZONETIME_ZONED_LEN];
	struct zonetime *zt;

	(void)state;
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\"}"));
	zonetime_format(zt, -1, out);
	assert_string_equal(out, "-");
	zonetime_format(zt, INT64_MAX, out);
	assert_string_equal(out, "-");
	zonetime_format(NULL, INT64_MIN, out);
	assert_string_equal(out, "-");
	zonetime_format(NULL, INT64_C(253402300800), out);
	assert_string_equal(out, "-");
	zonetime_format_zoned(zt, -1, zoned);
	assert_string_equal(zoned, "-");
	zonetime_free(zt);
}

static void
test_working_days_skip_weekends_federal_and_instance_holidays(void **state)
{
	struct zonetime *zt;
	unsigned int n = 99;

	(void)state;
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\"}"));
	assert_int_equal(zonetime_working_days(zt, MONDAY_10, END_MON, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(zonetime_working_days(zt, MONDAY_10, END_WED, &n), 0);
	assert_int_equal(n, 2);
	/* Tuesday, Wednesday and Friday: Thursday is Thanksgiving. */
	assert_int_equal(zonetime_working_days(zt, MONDAY_10, END_FRI, &n), 0);
	assert_int_equal(n, 3);
	/* From Friday the 20th to Monday the 23rd: one working day. */
	assert_int_equal(
	    zonetime_working_days(zt, utc(2026, 11, 20, 15, 0, 0), END_MON, &n),
	    0);
	assert_int_equal(n, 1);
	zonetime_free(zt);

	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\","
				   "\"holidays\":[\"2026-11-27\"]}"));
	assert_int_equal(zonetime_working_days(zt, MONDAY_10, END_FRI, &n), 0);
	assert_int_equal(n, 2);
	zonetime_free(zt);
	/* A malformed list of holidays is left out, not half read. */
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\","
				   "\"holidays\":[\"2026-11-27\",\"soon\"]}"));
	assert_int_equal(zonetime_working_days(zt, MONDAY_10, END_FRI, &n), 0);
	assert_int_equal(n, 3);
	zonetime_free(zt);
}

static void
test_working_days_refuse_the_past_and_the_far_future(void **state)
{
	struct zonetime *zt;
	unsigned int n = 99;

	(void)state;
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\"}"));
	assert_int_equal(zonetime_working_days(zt, END_WED, END_MON, &n), -1);
	assert_int_equal(
	    zonetime_working_days(zt, MONDAY_10, INT64_MAX, &n), -1);
	assert_int_equal(zonetime_working_days(zt, 0, END_MON, &n), -1);
	assert_int_equal(
	    zonetime_working_days(zt, MONDAY_10, utc(2200, 1, 1, 0, 0, 0), &n),
	    -1);
	assert_int_equal(n, 99);
	zonetime_free(zt);
	assert_int_equal(
	    zonetime_working_days(NULL, MONDAY_10, END_WED, &n), -1);
}

static void
test_due_says_how_many_working_days_are_left(void **state)
{
	char out[ZONETIME_DUE_LEN];
	struct zonetime *zt;

	(void)state;
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\"}"));
	zonetime_due(zt, MONDAY_10, END_WED, out);
	assert_string_equal(
	    out, "2026-11-25 23:59:59 America/New_York (in 2 working days)");
	zonetime_due(zt, MONDAY_10, END_TUE, out);
	assert_string_equal(
	    out, "2026-11-24 23:59:59 America/New_York (in 1 working day)");
	zonetime_due(zt, MONDAY_10, END_MON, out);
	assert_string_equal(
	    out, "2026-11-23 23:59:59 America/New_York (today)");
	zonetime_due(zt, END_WED, END_MON, out);
	assert_string_equal(
	    out, "2026-11-23 23:59:59 America/New_York (passed)");
	zonetime_free(zt);
	/* Without the calendar: UTC, and no count. */
	zonetime_due(NULL, MONDAY_10, END_WED, out);
	assert_string_equal(out, "2026-11-26 04:59:59 UTC");
	zonetime_due(NULL, END_WED, END_MON, out);
	assert_string_equal(out, "2026-11-24 04:59:59 UTC (passed)");
}

static void
test_parse_reads_a_local_time_of_the_zone(void **state)
{
	struct zonetime *zt;
	int64_t t;

	(void)state;
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\"}"));
	assert_int_equal(zonetime_parse(zt, "2026-12-02 14:30", &t), 0);
	assert_int_equal(t, utc(2026, 12, 2, 19, 30, 0));
	assert_int_equal(zonetime_parse(zt, "2026-07-01 00:00", &t), 0);
	assert_int_equal(t, utc(2026, 7, 1, 4, 0, 0));
	/* A repeated hour: the first of the two. */
	assert_int_equal(zonetime_parse(zt, "2026-11-01 01:30", &t), 0);
	assert_int_equal(t, utc(2026, 11, 1, 5, 30, 0));
	zonetime_free(zt);
}

static void
test_parse_refuses_malformed_unreal_and_skipped_times(void **state)
{
	static const char *bad[] = {"", "2026-12-02", "2026-12-02 14:30:00",
	    "2026-12-02T14:30", "2026-12-02 1430 ", "2026-13-02 14:30",
	    "2026-02-29 10:00", "2026-12-02 24:00", "2026-12-02 14:60",
	    "2026-12-02 +4:30", "1969-12-31 23:00", "2026-12-02 14:3a",
	    /* Clocks skip from 02:00 to 03:00 that day in New York. */
	    "2026-03-08 02:30"};
	struct zonetime *zt;
	int64_t t = 42;
	size_t i;

	(void)state;
	assert_non_null(zt = zt_of("{\"time_zone\":\"America/New_York\"}"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(zonetime_parse(zt, bad[i], &t), -1);
	assert_int_equal(zonetime_parse(zt, NULL, &t), -1);
	assert_int_equal(zonetime_parse(NULL, "2026-12-02 14:30", &t), -1);
	assert_int_equal(t, 42);
	zonetime_free(zt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		test_new_takes_the_instance_zone_and_defaults_to_utc),
	    cmocka_unit_test(test_new_refuses_zones_it_cannot_load),
	    cmocka_unit_test(test_format_shows_the_local_time_of_the_zone),
	    cmocka_unit_test(test_format_without_a_zonetime_is_utc),
	    cmocka_unit_test(test_format_shows_a_dash_for_times_out_of_range),
	    cmocka_unit_test(
		test_working_days_skip_weekends_federal_and_instance_holidays),
	    cmocka_unit_test(
		test_working_days_refuse_the_past_and_the_far_future),
	    cmocka_unit_test(test_due_says_how_many_working_days_are_left),
	    cmocka_unit_test(test_parse_reads_a_local_time_of_the_zone),
	    cmocka_unit_test(
		test_parse_refuses_malformed_unreal_and_skipped_times),
	};

	jsonmem_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
