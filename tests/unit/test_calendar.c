/*
 * The working-day calendar (calendar.h): US federal holidays with their
 * observed days, working-day arithmetic, and local dates read from TZif
 * files without TZ.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define NY_FILE "/usr/share/zoneinfo/America/New_York"

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

static struct calendar_date
date(int y, int m, int d)
{
	struct calendar_date cd = {y, m, d};

	return (cd);
}

static int
holiday(int y, int m, int d)
{
	struct calendar_date cd = date(y, m, d);

	return (calendar_federal_holiday(&cd, NULL));
}

/* The end of ${d} in ${cal}, asserting success. */
static int64_t
end_of(const struct calendar *cal, int y, int m, int d)
{
	struct calendar_date cd = date(y, m, d);
	int64_t t;

	assert_int_equal(calendar_end_of_day(cal, &cd, &t), 0);
	return (t);
}

/* Assert that ${t} is on the local date y-m-d in ${cal}. */
static void
assert_local_date(const struct calendar *cal, int64_t t, int y, int m, int d)
{
	struct calendar_date cd;

	assert_int_equal(calendar_local_date(cal, t, &cd), 0);
	assert_int_equal(cd.year, y);
	assert_int_equal(cd.month, m);
	assert_int_equal(cd.day, d);
}

/* A path in TMPDIR for ${tag}. */
static const char *
tmp_path(const char *tag)
{
	static char path[512];
	const char *dir = getenv("TMPDIR");
	int len;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	len = snprintf(path, sizeof(path), "%s/test_calendar.%ld.%s", dir,
	    (long)getpid(), tag);
	assert_true(len > 0 && (size_t)len < sizeof(path));
	return (path);
}

static void
write_file(const char *path, const void *buf, size_t len)
{
	FILE *f;

	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Read the New York TZif file into ${buf}, returning its length. */
static size_t
read_ny(uint8_t *buf, size_t cap)
{
	FILE *f;
	size_t n;

	assert_non_null(f = fopen(NY_FILE, "rb"));
	n = fread(buf, 1, cap, f);
	assert_true(n > 0 && n < cap);
	assert_int_equal(fclose(f), 0);
	return (n);
}

/* Load ${len} bytes of ${buf} as a TZif file; return the calendar. */
static struct calendar *
load_bytes(const void *buf, size_t len, const char *tag)
{
	struct calendar *cal;
	const char *path = tmp_path(tag);

	write_file(path, buf, len);
	cal = calendar_new_from_file(path, NULL, 0);
	assert_int_equal(unlink(path), 0);
	return (cal);
}

static void
put32(uint8_t *p, uint32_t v)
{

	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
get32(const uint8_t *p)
{

	return (((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
		((uint32_t)p[2] << 8) | (uint32_t)p[3]);
}

/*
 * Build in ${out} a version 2 TZif file with no transitions, one time type
 * of offset ${utoff}, ${leaps} (0 or 1) leap-second records and the footer
 * ${footer}.  Return its length.
 */
static size_t
tzif_build_leaps(
    uint8_t *out, size_t cap, int32_t utoff, int leaps, const char *footer)
{
	size_t len = 0, flen = strlen(footer);
	int block;

	assert_true(cap >= 2 * (44 + 10 + 12) + flen + 2);
	for (block = 0; block < 2; block++) {
		memset(out + len, 0, 44);
		memcpy(out + len, "TZif2", 5);
		put32(out + len + 28, (uint32_t)leaps); /* leapcnt */
		put32(out + len + 36, 1);               /* typecnt */
		put32(out + len + 40, 4);               /* charcnt */
		len += 44;
		put32(out + len, (uint32_t)utoff);
		out[len + 4] = 0; /* isdst */
		out[len + 5] = 0; /* desigidx */
		memcpy(out + len + 6, "ZZZ", 4);
		len += 10;
		if (leaps) {
			/* 1972-07-01: one leap second (time, then count). */
			memset(out + len, 0, block == 0 ? 8 : 12);
			if (block == 0) {
				put32(out + len, 78796800);
				put32(out + len + 4, 1);
				len += 8;
			} else {
				put32(out + len + 4, 78796800);
				put32(out + len + 8, 1);
				len += 12;
			}
		}
	}
	out[len++] = '\n';
	memcpy(out + len, footer, flen);
	len += flen;
	out[len++] = '\n';
	return (len);
}

/* As tzif_build_leaps() without leap seconds. */
static size_t
tzif_build(uint8_t *out, size_t cap, int32_t utoff, const char *footer)
{

	return (tzif_build_leaps(out, cap, utoff, 0, footer));
}

/* A calendar from a file with no transitions and the TZ string ${tz}. */
static struct calendar *
load_footer_zone(const char *tz)
{
	uint8_t buf[512];
	size_t len;

	len = tzif_build(buf, sizeof(buf), 0, tz);
	return (load_bytes(buf, len, "footer"));
}

/* The offset of the version 2 header in the TZif data ${buf}. */
static size_t
v2_header_offset(const uint8_t *buf)
{

	return (44 + (size_t)get32(buf + 32) * 5 + (size_t)get32(buf + 36) * 6 +
		get32(buf + 40) + (size_t)get32(buf + 28) * 8 +
		get32(buf + 24) + get32(buf + 20));
}

/* Federal holidays. */

static void
test_holiday_new_years_day_on_saturday_is_observed_the_friday_before(
    void **state)
{
	struct calendar_date d = date(2021, 12, 31);
	const char *name = NULL;

	(void)state;
	assert_int_equal(calendar_federal_holiday(&d, &name), 1);
	assert_string_equal(name, "New Year's Day");
	assert_int_equal(holiday(2022, 1, 1), 0);
	assert_int_equal(holiday(2027, 12, 31), 1);
	assert_int_equal(holiday(2028, 1, 1), 0);
}

static void
test_holiday_on_sunday_is_observed_the_monday_after(void **state)
{
	struct calendar_date d = date(2022, 6, 20);
	const char *name = NULL;

	(void)state;
	assert_int_equal(holiday(2023, 1, 2), 1);
	assert_int_equal(holiday(2023, 1, 1), 0);
	assert_int_equal(calendar_federal_holiday(&d, &name), 1);
	assert_string_equal(name, "Juneteenth National Independence Day");
	assert_int_equal(holiday(2022, 6, 19), 0);
	assert_int_equal(holiday(2022, 12, 26), 1);
}

static void
test_holiday_on_saturday_is_observed_the_friday_before(void **state)
{
	struct calendar_date d = date(2026, 7, 3);
	const char *name = NULL;

	(void)state;
	assert_int_equal(calendar_federal_holiday(&d, &name), 1);
	assert_string_equal(name, "Independence Day");
	assert_int_equal(holiday(2026, 7, 4), 0);
	assert_int_equal(holiday(2023, 11, 10), 1); /* Veterans Day */
	assert_int_equal(holiday(2021, 6, 18), 1);  /* first Juneteenth */
}

static void
test_holiday_weekday_rules_of_2026(void **state)
{
	static const struct {
		int m, d;
		const char *name;
	} want[] = {
	    {1, 1, "New Year's Day"},
	    {1, 19, "Birthday of Martin Luther King, Jr."},
	    {2, 16, "Washington's Birthday"},
	    {5, 25, "Memorial Day"},
	    {6, 19, "Juneteenth National Independence Day"},
	    {7, 3, "Independence Day"},
	    {9, 7, "Labor Day"},
	    {10, 12, "Columbus Day"},
	    {11, 11, "Veterans Day"},
	    {11, 26, "Thanksgiving Day"},
	    {12, 25, "Christmas Day"},
	};
	struct calendar_date d;
	const char *name;
	size_t i;

	(void)state;
	for (i = 0; i < N(want); i++) {
		d = date(2026, want[i].m, want[i].d);
		name = NULL;
		assert_int_equal(calendar_federal_holiday(&d, &name), 1);
		assert_string_equal(name, want[i].name);
	}
	/* Thanksgiving 2025 is the fourth Thursday, not the last. */
	assert_int_equal(holiday(2025, 11, 27), 1);
	assert_int_equal(holiday(2024, 11, 28), 1);
	assert_int_equal(holiday(2024, 11, 21), 0);
}

/* The number of observed holidays in ${y}. */
static int
holidays_in(int y)
{
	struct calendar_date d;
	int m, day, n = 0;

	for (m = 1; m <= 12; m++) {
		for (day = 1; day <= 31; day++) {
			d = date(y, m, day);
			n += calendar_federal_holiday(&d, NULL);
		}
	}
	return (n);
}

static void
test_holiday_count_per_year_follows_the_observed_shifts(void **state)
{

	(void)state;
	assert_int_equal(holidays_in(2026), 11);
	/* 2022-01-01 was observed in 2021; 2028-01-01 is in 2027. */
	assert_int_equal(holidays_in(2021), 12);
	assert_int_equal(holidays_in(2022), 10);
	assert_int_equal(holidays_in(2027), 12);
	/* No Juneteenth before 2021, no King's Birthday before 1986. */
	assert_int_equal(holidays_in(2020), 10);
	assert_int_equal(holidays_in(1985), 9);
}

static void
test_holiday_rules_start_in_their_years(void **state)
{

	(void)state;
	assert_int_equal(holiday(1986, 1, 20), 1); /* first King holiday */
	assert_int_equal(holiday(1985, 1, 21), 0);
	assert_int_equal(holiday(2020, 6, 19), 0);
	assert_int_equal(holiday(1975, 10, 27), 1); /* Veterans Day Monday */
	assert_int_equal(holiday(1975, 11, 11), 0);
	assert_int_equal(holiday(1970, 2, 23), 1); /* Feb 22 1970, Sunday */
}

static void
test_holiday_refuses_invalid_dates(void **state)
{
	struct calendar_date d = date(2026, 2, 30);

	(void)state;
	assert_int_equal(calendar_federal_holiday(&d, NULL), 0);
	assert_int_equal(calendar_federal_holiday(NULL, NULL), 0);
	assert_int_equal(holiday(2026, 13, 25), 0);
}

/* Dates. */

static void
test_date_parse_accepts_real_dates(void **state)
{
	struct calendar_date d;

	(void)state;
	assert_int_equal(calendar_date_parse(&d, "2028-02-29"), 0);
	assert_int_equal(d.year, 2028);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);
	assert_int_equal(calendar_date_parse(&d, "1970-01-01"), 0);
	assert_int_equal(calendar_date_parse(&d, "9999-12-31"), 0);
}

static void
test_date_parse_refuses_malformed_and_unreal_dates(void **state)
{
	static const char *bad[] = {"", "2026-2-01", "2026-02-1", "2026/02/01",
	    "2026-02-011", "2026-02-01 ", " 2026-02-01", "2027-02-29",
	    "2026-04-31", "2026-00-10", "2026-13-01", "2026-01-00",
	    "1969-12-31", "+026-01-01", "2026-0a-01"};
	struct calendar_date d = date(1, 2, 3);
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_int_equal(calendar_date_parse(&d, bad[i]), -1);
	assert_int_equal(d.year, 1); /* untouched */
	assert_int_equal(calendar_date_parse(&d, NULL), -1);
}

/* Time zones. */

static void
test_utc_needs_no_file_and_has_no_offset(void **state)
{
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("UTC", NULL, 0));
	assert_local_date(cal, utc(2026, 3, 8, 23, 59, 59), 2026, 3, 8);
	assert_local_date(cal, utc(2026, 3, 9, 0, 0, 0), 2026, 3, 9);
	assert_int_equal(end_of(cal, 2026, 3, 8), utc(2026, 3, 8, 23, 59, 59));
	calendar_free(cal);
}

static void
test_new_york_dates_follow_daylight_saving_time(void **state)
{
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	/* EST (UTC-5) in winter, EDT (UTC-4) from 2026-03-08 to 11-01. */
	assert_local_date(cal, utc(2026, 1, 15, 4, 59, 59), 2026, 1, 14);
	assert_local_date(cal, utc(2026, 1, 15, 5, 0, 0), 2026, 1, 15);
	assert_local_date(cal, utc(2026, 7, 1, 3, 59, 59), 2026, 6, 30);
	assert_local_date(cal, utc(2026, 7, 1, 4, 0, 0), 2026, 7, 1);
	assert_int_equal(end_of(cal, 2026, 3, 7), utc(2026, 3, 8, 4, 59, 59));
	assert_int_equal(end_of(cal, 2026, 3, 8), utc(2026, 3, 9, 3, 59, 59));
	assert_int_equal(
	    end_of(cal, 2026, 10, 31), utc(2026, 11, 1, 3, 59, 59));
	assert_int_equal(end_of(cal, 2026, 11, 1), utc(2026, 11, 2, 4, 59, 59));
	calendar_free(cal);
}

static void
test_new_york_after_the_last_transition_uses_the_footer_rule(void **state)
{
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	/* Files list transitions to 2037 at most; later years are rules. */
	assert_int_equal(end_of(cal, 2040, 7, 4), utc(2040, 7, 5, 3, 59, 59));
	assert_int_equal(end_of(cal, 2040, 12, 4), utc(2040, 12, 5, 4, 59, 59));
	/* 2040-03-11 (second Sunday) starts EDT at 07:00 UTC. */
	assert_local_date(cal, utc(2040, 3, 11, 4, 30, 0), 2040, 3, 10);
	assert_local_date(cal, utc(2040, 3, 12, 3, 30, 0), 2040, 3, 11);
	calendar_free(cal);
}

static void
test_brussels_dates_follow_european_summer_time(void **state)
{
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("Europe/Brussels", NULL, 0));
	/* CET (UTC+1), CEST (UTC+2) from 2026-03-29 to 2026-10-25. */
	assert_int_equal(
	    end_of(cal, 2026, 3, 28), utc(2026, 3, 28, 22, 59, 59));
	assert_int_equal(
	    end_of(cal, 2026, 3, 29), utc(2026, 3, 29, 21, 59, 59));
	assert_int_equal(
	    end_of(cal, 2026, 10, 25), utc(2026, 10, 25, 22, 59, 59));
	assert_local_date(cal, utc(2026, 6, 30, 22, 0, 0), 2026, 7, 1);
	assert_local_date(cal, utc(2026, 12, 31, 23, 0, 0), 2027, 1, 1);
	assert_int_equal(end_of(cal, 2060, 7, 1), utc(2060, 7, 1, 21, 59, 59));
	calendar_free(cal);
}

static void
test_southern_hemisphere_rule_spans_the_new_year(void **state)
{
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("Australia/Sydney", NULL, 0));
	/* AEDT (UTC+11) in January, AEST (UTC+10) in July, also by rule. */
	assert_int_equal(
	    end_of(cal, 2050, 1, 15), utc(2050, 1, 15, 12, 59, 59));
	assert_int_equal(
	    end_of(cal, 2050, 7, 15), utc(2050, 7, 15, 13, 59, 59));
	assert_int_equal(
	    end_of(cal, 2026, 1, 15), utc(2026, 1, 15, 12, 59, 59));
	calendar_free(cal);
}

static void
test_footer_only_zone_matches_the_full_file(void **state)
{
	struct calendar *slim, *fat;
	int64_t t;

	(void)state;
	/* A "slim" file: no transitions, everything from the TZ string. */
	assert_non_null(slim = load_footer_zone("EST5EDT,M3.2.0,M11.1.0"));
	assert_non_null(fat = calendar_new("America/New_York", NULL, 0));
	for (t = utc(2026, 1, 1, 0, 0, 0); t < utc(2028, 1, 1, 0, 0, 0);
	     t += 3 * 3600 + 17) {
		struct calendar_date a, b;

		assert_int_equal(calendar_local_date(slim, t, &a), 0);
		assert_int_equal(calendar_local_date(fat, t, &b), 0);
		assert_memory_equal(&a, &b, sizeof(a));
	}
	assert_int_equal(end_of(slim, 2027, 3, 14), end_of(fat, 2027, 3, 14));
	assert_int_equal(end_of(slim, 2027, 11, 7), end_of(fat, 2027, 11, 7));
	calendar_free(slim);
	calendar_free(fat);
}

static void
test_footer_julian_day_forms_count_february_29_as_specified(void **state)
{
	struct calendar *j, *n;

	(void)state;
	/* J60 is March 1 every year; zero-based 59 is February 29 in 2028. */
	assert_non_null(j = load_footer_zone("AAA0BBB,J60,J300"));
	assert_non_null(n = load_footer_zone("AAA0BBB,59,300"));
	assert_local_date(j, utc(2028, 2, 29, 23, 30, 0), 2028, 2, 29);
	assert_local_date(j, utc(2028, 3, 1, 23, 30, 0), 2028, 3, 2);
	assert_local_date(n, utc(2028, 2, 29, 23, 30, 0), 2028, 3, 1);
	assert_local_date(n, utc(2027, 2, 28, 23, 30, 0), 2027, 2, 28);
	assert_local_date(n, utc(2027, 3, 1, 23, 30, 0), 2027, 3, 2);
	calendar_free(j);
	calendar_free(n);
}

static void
test_footer_rule_time_defaults_to_two_o_clock(void **state)
{
	struct calendar *cal;

	(void)state;
	/* Daylight time 23 hours ahead makes the change visible as a date. */
	assert_non_null(cal = load_footer_zone("AAA0BBB-23,M3.2.0,M11.1.0"));
	assert_local_date(cal, utc(2026, 3, 8, 1, 59, 59), 2026, 3, 8);
	assert_local_date(cal, utc(2026, 3, 8, 2, 0, 0), 2026, 3, 9);
	calendar_free(cal);
	/* A negative time: 23:00 on the Saturday before. */
	assert_non_null(cal = load_footer_zone("AAA0BBB-23,M3.2.0/-1,M11.1.0"));
	assert_local_date(cal, utc(2026, 3, 7, 22, 59, 59), 2026, 3, 7);
	assert_local_date(cal, utc(2026, 3, 7, 23, 0, 0), 2026, 3, 8);
	calendar_free(cal);
}

static void
test_footer_daylight_time_all_year(void **state)
{
	struct calendar *cal;

	(void)state;
	/* RFC 8536 §3.3.1's example of permanent daylight time. */
	assert_non_null(cal = load_footer_zone("EST5EDT,0/0,J365/25"));
	assert_local_date(cal, utc(2030, 1, 1, 4, 30, 0), 2030, 1, 1);
	assert_local_date(cal, utc(2030, 7, 1, 3, 30, 0), 2030, 6, 30);
	assert_int_equal(end_of(cal, 2029, 12, 31), utc(2030, 1, 1, 3, 59, 59));
	calendar_free(cal);
}

static void
test_end_of_day_in_a_gap_is_the_last_second_before_it(void **state)
{
	struct calendar *cal;

	(void)state;
	/* Clocks jump from 23:30 to 00:30 on the second Sunday of March. */
	assert_non_null(cal = load_footer_zone("AAA0BBB,M3.2.0/23:30,M11.1.0"));
	assert_int_equal(end_of(cal, 2026, 3, 8), utc(2026, 3, 8, 23, 29, 59));
	assert_int_equal(end_of(cal, 2026, 3, 9), utc(2026, 3, 9, 22, 59, 59));
	calendar_free(cal);
}

static void
test_end_of_day_in_an_overlap_is_the_later_one(void **state)
{
	struct calendar *cal;

	(void)state;
	/* Clocks go back from 24:00 to 23:00 on the first Sunday of Nov. */
	assert_non_null(cal = load_footer_zone("AAA0BBB,M3.2.0,M11.1.0/24"));
	assert_int_equal(
	    end_of(cal, 2026, 11, 1), utc(2026, 11, 1, 23, 59, 59));
	assert_int_equal(
	    end_of(cal, 2026, 10, 31), utc(2026, 10, 31, 22, 59, 59));
	calendar_free(cal);
}

static void
test_new_refuses_bad_zone_names(void **state)
{
	char longname[CALENDAR_TZ_MAX + 1];
	static const char *bad[] = {"", "/etc/passwd", "../../../../etc/passwd",
	    "America/../../etc/passwd", "America/..", "America//New_York",
	    "America/New_York/", "America/New York", "America/New.York",
	    "America/New_York\n", "Nowhere/Atlantis", "America", "utc"};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++)
		assert_null(calendar_new(bad[i], NULL, 0));
	assert_null(calendar_new(NULL, NULL, 0));
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_null(calendar_new(longname, NULL, 0));
}

static void
test_new_refuses_bad_extra_dates(void **state)
{
	struct calendar_date extra[CALENDAR_EXTRA_MAX + 1];
	struct calendar *cal;
	size_t i;

	(void)state;
	for (i = 0; i < N(extra); i++)
		extra[i] = date(2026, 1, 1 + (int)(i % 28));
	assert_null(calendar_new("UTC", extra, CALENDAR_EXTRA_MAX + 1));
	assert_null(calendar_new("UTC", NULL, 1));
	extra[3] = date(2026, 2, 29);
	assert_null(calendar_new("UTC", extra, 4));
	extra[3] = date(1969, 12, 31);
	assert_null(calendar_new("UTC", extra, 4));
	extra[3] = date(2026, 2, 28);
	assert_non_null(cal = calendar_new("UTC", extra, CALENDAR_EXTRA_MAX));
	calendar_free(cal);
}

static void
test_new_from_file_accepts_an_intact_copy(void **state)
{
	static uint8_t buf[16384];
	struct calendar *cal;
	size_t len;

	(void)state;
	len = read_ny(buf, sizeof(buf));
	assert_non_null(cal = load_bytes(buf, len, "copy"));
	assert_int_equal(end_of(cal, 2026, 3, 8), utc(2026, 3, 9, 3, 59, 59));
	calendar_free(cal);
}

static void
test_new_from_file_refuses_truncated_files(void **state)
{
	static uint8_t buf[16384];
	size_t len, v2, cut[6];
	size_t i;

	(void)state;
	len = read_ny(buf, sizeof(buf));
	v2 = v2_header_offset(buf);
	cut[0] = 0;
	cut[1] = 43;
	cut[2] = v2 + 20;     /* inside the second header */
	cut[3] = v2 + 44 + 8; /* inside the 64-bit data */
	cut[4] = len / 2 + v2 / 2;
	cut[5] = len - 1; /* footer's final newline */
	for (i = 0; i < N(cut); i++)
		assert_null(load_bytes(buf, cut[i], "cut"));
}

/* Load a copy of New York's file after ${edit} changed it at ${off}. */
static struct calendar *
load_edited(size_t off, const uint8_t *edit, size_t elen)
{
	static uint8_t buf[16384];
	size_t len;

	len = read_ny(buf, sizeof(buf));
	assert_true(off + elen <= len);
	memcpy(buf + off, edit, elen);
	return (load_bytes(buf, len, "edit"));
}

static void
test_new_from_file_refuses_bad_headers(void **state)
{
	static uint8_t buf[16384];
	uint8_t big[4] = {0xff, 0xff, 0xff, 0xff}, one[4] = {0, 0, 0, 1};
	uint8_t zero[4] = {0, 0, 0, 0};
	size_t v2;

	(void)state;
	(void)read_ny(buf, sizeof(buf));
	v2 = v2_header_offset(buf);
	assert_null(load_edited(0, (const uint8_t *)"TZjf", 4));
	assert_null(load_edited(4, (const uint8_t *)"1", 1));
	assert_null(load_edited(v2 + 4, (const uint8_t *)"3", 1));
	assert_null(load_edited(v2, (const uint8_t *)"XZif", 4));
	assert_null(load_edited(v2 + 32, big, 4)); /* timecnt */
	assert_null(load_edited(v2 + 36, big, 4)); /* typecnt */
	assert_null(load_edited(v2 + 36, zero, 4));
	assert_null(load_edited(v2 + 40, zero, 4)); /* charcnt */
	assert_null(load_edited(v2 + 28, one, 4));  /* leapcnt */
	assert_null(load_edited(v2 + 20, one, 4));  /* isutcnt */
	assert_null(load_edited(32, big, 4));       /* v1 timecnt */
}

static void
test_new_from_file_refuses_bad_data(void **state)
{
	static uint8_t buf[16384];
	uint8_t t0[8], bad = 0xff, off[4];
	size_t v2, data, timecnt, typecnt;

	(void)state;
	(void)read_ny(buf, sizeof(buf));
	v2 = v2_header_offset(buf);
	timecnt = get32(buf + v2 + 32);
	typecnt = get32(buf + v2 + 36);
	assert_true(timecnt > 2 && typecnt > 1);
	data = v2 + 44;

	/* Transitions out of order. */
	memcpy(t0, buf + data + 8, 8);
	assert_null(load_edited(data, t0, 8));
	/* A transition to a type that does not exist. */
	assert_null(load_edited(data + timecnt * 8, &bad, 1));
	/* A UT offset beyond RFC 8536's range. */
	put32(off, 100000);
	assert_null(load_edited(data + timecnt * 9, off, 4));
	/* A DST flag other than 0 or 1. */
	assert_null(load_edited(data + timecnt * 9 + 4, &bad, 1));
	/* A designation index past the characters. */
	assert_null(load_edited(data + timecnt * 9 + 5, &bad, 1));
}

static void
test_new_from_file_refuses_bad_footers(void **state)
{
	static const char *bad[] = {"EST5EDT,M13.1.0,M11.1.0",
	    "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0",
	    "EST5EDT,J0,M11.1.0", "EST5EDT,366,M11.1.0", "EST5EDT",
	    "EST5EDT,M3.2.0", "EST5EDT,M3.2.0,M11.1.0,", "ES5", "EST25",
	    "EST5EDT,M3.2.0/168,M11.1.0", "<E>5", "EST", "EST5:60",
	    "EST5EDT,M3.2.0,M11.1.0 "};
	struct calendar *cal;
	uint8_t buf[512];
	size_t i, len;

	(void)state;
	for (i = 0; i < N(bad); i++) {
		len = tzif_build(buf, sizeof(buf), 0, bad[i]);
		assert_null(load_bytes(buf, len, "badfooter"));
	}
	/* The builder itself makes loadable files. */
	len = tzif_build(buf, sizeof(buf), 0, "<-03>3");
	assert_non_null(cal = load_bytes(buf, len, "goodfooter"));
	assert_local_date(cal, utc(2026, 1, 1, 2, 59, 59), 2025, 12, 31);
	calendar_free(cal);
	len = tzif_build(buf, sizeof(buf), 0, "<+0330>-3:30");
	assert_non_null(cal = load_bytes(buf, len, "goodfooter"));
	assert_local_date(cal, utc(2025, 12, 31, 20, 30, 0), 2026, 1, 1);
	calendar_free(cal);
}

static void
test_new_from_file_refuses_leap_second_zones(void **state)
{
	struct calendar *cal;
	uint8_t buf[512];
	size_t len;

	(void)state;
	len = tzif_build_leaps(buf, sizeof(buf), 0, 1, "UTC0");
	assert_null(load_bytes(buf, len, "leaps"));
	len = tzif_build_leaps(buf, sizeof(buf), 0, 0, "UTC0");
	assert_non_null(cal = load_bytes(buf, len, "noleaps"));
	calendar_free(cal);
}

static void
test_new_from_file_refuses_trailing_and_oversized_files(void **state)
{
	static uint8_t buf[300 * 1024];
	size_t len;

	(void)state;
	len = read_ny(buf, sizeof(buf));
	buf[len] = 'x';
	assert_null(load_bytes(buf, len + 1, "trailing"));
	memset(buf + len, '\n', sizeof(buf) - len);
	assert_null(load_bytes(buf, sizeof(buf), "huge"));
}

static void
test_new_from_file_refuses_missing_and_special_files(void **state)
{
	char fifo[512];

	(void)state;
	assert_null(calendar_new_from_file(tmp_path("missing"), NULL, 0));
	(void)snprintf(fifo, sizeof(fifo), "%s", tmp_path("fifo"));
	assert_null(calendar_new_from_file("/usr/share/zoneinfo", NULL, 0));
	assert_null(calendar_new_from_file(NULL, NULL, 0));
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_null(calendar_new_from_file(fifo, NULL, 0));
	assert_int_equal(unlink(fifo), 0);
}

/* Working days. */

static void
test_working_days_skip_weekends_holidays_and_extra_dates(void **state)
{
	struct calendar_date extra = date(2026, 12, 24);
	struct calendar_date d;
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("UTC", &extra, 1));
	d = date(2026, 12, 23);
	assert_int_equal(calendar_is_working_day(cal, &d), 1);
	d = date(2026, 12, 24);
	assert_int_equal(calendar_is_working_day(cal, &d), 0);
	d = date(2026, 12, 25);
	assert_int_equal(calendar_is_working_day(cal, &d), 0);
	d = date(2026, 12, 26);
	assert_int_equal(calendar_is_working_day(cal, &d), 0);
	d = date(2026, 12, 27);
	assert_int_equal(calendar_is_working_day(cal, &d), 0);
	d = date(2026, 12, 28);
	assert_int_equal(calendar_is_working_day(cal, &d), 1);
	d = date(2026, 2, 30);
	assert_int_equal(calendar_is_working_day(cal, &d), 0);
	calendar_free(cal);
}

static void
test_add_working_days_crosses_thanksgiving_and_the_weekend(void **state)
{
	struct calendar *cal;
	int64_t due;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	/* Wednesday 2025-11-26, 15:00 EST: Friday 28 and Monday Dec 1. */
	assert_int_equal(calendar_add_working_days(
			     cal, utc(2025, 11, 26, 20, 0, 0), 2, &due),
	    0);
	assert_int_equal(due, utc(2025, 12, 2, 4, 59, 59));
	/* 22:00 EST on the 26th is already the 27th in UTC. */
	assert_int_equal(
	    calendar_add_working_days(cal, utc(2025, 11, 27, 3, 0, 0), 2, &due),
	    0);
	assert_int_equal(due, utc(2025, 12, 2, 4, 59, 59));
	/* From Friday, one working day is Monday. */
	assert_int_equal(
	    calendar_add_working_days(cal, utc(2026, 1, 9, 15, 0, 0), 1, &due),
	    0);
	assert_int_equal(due, utc(2026, 1, 13, 4, 59, 59));
	calendar_free(cal);
}

static void
test_add_working_days_skips_extra_dates(void **state)
{
	struct calendar_date extra[2] = {{2025, 12, 1}, {2025, 12, 2}};
	struct calendar *cal;
	int64_t due;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", extra, 2));
	assert_int_equal(calendar_add_working_days(
			     cal, utc(2025, 11, 26, 20, 0, 0), 2, &due),
	    0);
	assert_int_equal(due, utc(2025, 12, 4, 4, 59, 59));
	calendar_free(cal);
}

static void
test_add_working_days_counts_thirty_across_the_year_end(void **state)
{
	struct calendar *cal;
	int64_t due;

	(void)state;
	assert_non_null(cal = calendar_new("UTC", NULL, 0));
	/*
	 * From Tuesday 2026-12-01: December has 21 working days after the 1st
	 * (the 25th is Christmas); January 2027 adds Jan 4-8 (New Year's Day
	 * is Friday the 1st) and Jan 11-14 to reach 30.
	 */
	assert_int_equal(calendar_add_working_days(
			     cal, utc(2026, 12, 1, 12, 0, 0), 30, &due),
	    0);
	assert_int_equal(due, utc(2027, 1, 14, 23, 59, 59));
	calendar_free(cal);
}

static void
test_add_days_and_months_end_on_the_local_date(void **state)
{
	struct calendar *cal;
	int64_t due;

	(void)state;
	assert_non_null(cal = calendar_new("Europe/Brussels", NULL, 0));
	assert_int_equal(
	    calendar_add_days(cal, utc(2026, 3, 25, 23, 30, 0), 7, &due), 0);
	/* 00:30 CET on the 26th; the 2nd of April ends at 21:59:59 UTC. */
	assert_int_equal(due, utc(2026, 4, 2, 21, 59, 59));
	assert_int_equal(
	    calendar_add_months(cal, utc(2026, 11, 30, 12, 0, 0), 3, &due), 0);
	assert_int_equal(due, utc(2027, 2, 28, 22, 59, 59));
	assert_int_equal(
	    calendar_add_months(cal, utc(2027, 11, 30, 12, 0, 0), 3, &due), 0);
	assert_int_equal(due, utc(2028, 2, 29, 22, 59, 59));
	assert_int_equal(
	    calendar_add_months(cal, utc(2026, 1, 15, 12, 0, 0), 12, &due), 0);
	assert_int_equal(due, utc(2027, 1, 15, 22, 59, 59));
	calendar_free(cal);
}

static void
test_additions_refuse_zero_huge_and_out_of_range(void **state)
{
	struct calendar *cal;
	int64_t due = 42;

	(void)state;
	assert_non_null(cal = calendar_new("UTC", NULL, 0));
	assert_int_equal(calendar_add_working_days(cal, 0, 0, &due), -1);
	assert_int_equal(calendar_add_days(cal, 0, 0, &due), -1);
	assert_int_equal(calendar_add_months(cal, 0, 0, &due), -1);
	assert_int_equal(calendar_add_days(cal, 0, 100000, &due), -1);
	assert_int_equal(calendar_add_months(cal, 0, 5000, &due), -1);
	assert_int_equal(calendar_add_days(cal, -3 * 86400, 1, &due), -1);
	assert_int_equal(
	    calendar_add_days(cal, utc(9999, 12, 30, 0, 0, 0), 2, &due), -1);
	assert_int_equal(
	    calendar_add_months(cal, utc(9999, 11, 30, 0, 0, 0), 2, &due), -1);
	assert_int_equal(
	    calendar_add_working_days(cal, INT64_MAX, 1, &due), -1);
	assert_int_equal(calendar_add_working_days(NULL, 0, 1, &due), -1);
	assert_int_equal(due, 42);
	calendar_free(cal);
}

static void
test_local_date_refuses_out_of_range_times(void **state)
{
	struct calendar_date d;
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	assert_int_equal(calendar_local_date(cal, 0, &d), -1); /* 1969 */
	assert_int_equal(calendar_local_date(cal, INT64_MIN, &d), -1);
	assert_int_equal(calendar_local_date(cal, INT64_MAX, &d), -1);
	assert_local_date(cal, 5 * 3600, 1970, 1, 1);
	calendar_free(cal);
}

/* The Unix time of local y-m-d h:mi:s in ${cal}, asserting success. */
static int64_t
from_local(
    const struct calendar *cal, int y, int m, int d, int h, int mi, int s)
{
	struct calendar_date cd = date(y, m, d);
	int64_t t;

	assert_int_equal(
	    calendar_from_local(cal, &cd, h * 3600 + mi * 60 + s, &t), 0);
	return (t);
}

static void
test_local_time_gives_the_date_and_time_of_day_in_the_zone(void **state)
{
	struct calendar_date d;
	struct calendar *cal;
	int32_t sec;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	/* A deadline at the end of a winter day: 04:59:59 UTC next day. */
	assert_int_equal(
	    calendar_local_time(cal, utc(2026, 12, 3, 4, 59, 59), &d, &sec), 0);
	assert_int_equal(d.year, 2026);
	assert_int_equal(d.month, 12);
	assert_int_equal(d.day, 2);
	assert_int_equal(sec, 86399);
	/* Summer: UTC-4. */
	assert_int_equal(
	    calendar_local_time(cal, utc(2026, 7, 1, 16, 0, 0), &d, &sec), 0);
	assert_int_equal(d.day, 1);
	assert_int_equal(sec, 12 * 3600);
	assert_int_equal(calendar_local_time(cal, 0, &d, &sec), -1);
	calendar_free(cal);
}

static void
test_from_local_inverts_local_time_across_the_year(void **state)
{
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	assert_int_equal(from_local(cal, 2026, 12, 2, 23, 59, 59),
	    utc(2026, 12, 3, 4, 59, 59));
	assert_int_equal(
	    from_local(cal, 2026, 7, 1, 12, 0, 0), utc(2026, 7, 1, 16, 0, 0));
	assert_int_equal(
	    from_local(cal, 2026, 3, 8, 3, 0, 0), utc(2026, 3, 8, 7, 0, 0));
	calendar_free(cal);
	assert_non_null(cal = calendar_new("UTC", NULL, 0));
	assert_int_equal(
	    from_local(cal, 1970, 1, 1, 0, 0, 0), utc(1970, 1, 1, 0, 0, 0));
	assert_int_equal(from_local(cal, 9999, 12, 31, 23, 59, 59),
	    utc(9999, 12, 31, 23, 59, 59));
	calendar_free(cal);
}

static void
test_from_local_refuses_a_time_the_clock_change_skips(void **state)
{
	struct calendar_date d = date(2026, 3, 8);
	struct calendar *cal;
	int64_t t = 42;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	/* 02:00 to 02:59:59 do not exist on 2026-03-08 in New York. */
	assert_int_equal(calendar_from_local(cal, &d, 2 * 3600 + 1800, &t), -1);
	assert_int_equal(calendar_from_local(cal, &d, 2 * 3600, &t), -1);
	assert_int_equal(t, 42);
	assert_int_equal(
	    from_local(cal, 2026, 3, 8, 1, 59, 59), utc(2026, 3, 8, 6, 59, 59));
	calendar_free(cal);
}

static void
test_from_local_takes_the_earlier_of_a_repeated_time(void **state)
{
	struct calendar *cal;

	(void)state;
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	/* 01:30 happens twice on 2026-11-01: first in EDT (UTC-4). */
	assert_int_equal(
	    from_local(cal, 2026, 11, 1, 1, 30, 0), utc(2026, 11, 1, 5, 30, 0));
	assert_int_equal(
	    from_local(cal, 2026, 11, 1, 2, 0, 0), utc(2026, 11, 1, 7, 0, 0));
	calendar_free(cal);
}

static void
test_from_local_refuses_invalid_inputs(void **state)
{
	struct calendar_date d = date(2026, 2, 29), ok = date(2026, 2, 28);
	struct calendar_date old = date(1969, 12, 31);
	struct calendar *cal;
	int64_t t;

	(void)state;
	assert_non_null(cal = calendar_new("UTC", NULL, 0));
	assert_int_equal(calendar_from_local(cal, &d, 0, &t), -1);
	assert_int_equal(calendar_from_local(cal, &old, 0, &t), -1);
	assert_int_equal(calendar_from_local(cal, &ok, -1, &t), -1);
	assert_int_equal(calendar_from_local(cal, &ok, 86400, &t), -1);
	assert_int_equal(calendar_from_local(NULL, &ok, 0, &t), -1);
	assert_int_equal(calendar_from_local(cal, NULL, 0, &t), -1);
	assert_int_equal(calendar_from_local(cal, &ok, 0, NULL), -1);
	assert_int_equal(calendar_from_local(cal, &ok, 86399, &t), 0);
	assert_int_equal(t, utc(2026, 2, 28, 23, 59, 59));
	calendar_free(cal);
}

static void
test_free_null_is_a_no_op(void **state)
{

	(void)state;
	calendar_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		test_holiday_new_years_day_on_saturday_is_observed_the_friday_before),
	    cmocka_unit_test(
		test_holiday_on_sunday_is_observed_the_monday_after),
	    cmocka_unit_test(
		test_holiday_on_saturday_is_observed_the_friday_before),
	    cmocka_unit_test(test_holiday_weekday_rules_of_2026),
	    cmocka_unit_test(
		test_holiday_count_per_year_follows_the_observed_shifts),
	    cmocka_unit_test(test_holiday_rules_start_in_their_years),
	    cmocka_unit_test(test_holiday_refuses_invalid_dates),
	    cmocka_unit_test(test_date_parse_accepts_real_dates),
	    cmocka_unit_test(
		test_date_parse_refuses_malformed_and_unreal_dates),
	    cmocka_unit_test(test_utc_needs_no_file_and_has_no_offset),
	    cmocka_unit_test(test_new_york_dates_follow_daylight_saving_time),
	    cmocka_unit_test(
		test_new_york_after_the_last_transition_uses_the_footer_rule),
	    cmocka_unit_test(test_brussels_dates_follow_european_summer_time),
	    cmocka_unit_test(test_southern_hemisphere_rule_spans_the_new_year),
	    cmocka_unit_test(test_footer_only_zone_matches_the_full_file),
	    cmocka_unit_test(
		test_footer_julian_day_forms_count_february_29_as_specified),
	    cmocka_unit_test(test_footer_rule_time_defaults_to_two_o_clock),
	    cmocka_unit_test(test_footer_daylight_time_all_year),
	    cmocka_unit_test(
		test_end_of_day_in_a_gap_is_the_last_second_before_it),
	    cmocka_unit_test(test_end_of_day_in_an_overlap_is_the_later_one),
	    cmocka_unit_test(test_new_refuses_bad_zone_names),
	    cmocka_unit_test(test_new_refuses_bad_extra_dates),
	    cmocka_unit_test(test_new_from_file_accepts_an_intact_copy),
	    cmocka_unit_test(test_new_from_file_refuses_truncated_files),
	    cmocka_unit_test(test_new_from_file_refuses_bad_headers),
	    cmocka_unit_test(test_new_from_file_refuses_bad_data),
	    cmocka_unit_test(test_new_from_file_refuses_bad_footers),
	    cmocka_unit_test(test_new_from_file_refuses_leap_second_zones),
	    cmocka_unit_test(
		test_new_from_file_refuses_trailing_and_oversized_files),
	    cmocka_unit_test(
		test_new_from_file_refuses_missing_and_special_files),
	    cmocka_unit_test(
		test_working_days_skip_weekends_holidays_and_extra_dates),
	    cmocka_unit_test(
		test_add_working_days_crosses_thanksgiving_and_the_weekend),
	    cmocka_unit_test(test_add_working_days_skips_extra_dates),
	    cmocka_unit_test(
		test_add_working_days_counts_thirty_across_the_year_end),
	    cmocka_unit_test(test_add_days_and_months_end_on_the_local_date),
	    cmocka_unit_test(test_additions_refuse_zero_huge_and_out_of_range),
	    cmocka_unit_test(test_local_date_refuses_out_of_range_times),
	    cmocka_unit_test(
		test_local_time_gives_the_date_and_time_of_day_in_the_zone),
	    cmocka_unit_test(
		test_from_local_inverts_local_time_across_the_year),
	    cmocka_unit_test(
		test_from_local_refuses_a_time_the_clock_change_skips),
	    cmocka_unit_test(
		test_from_local_takes_the_earlier_of_a_repeated_time),
	    cmocka_unit_test(test_from_local_refuses_invalid_inputs),
	    cmocka_unit_test(test_free_null_is_a_no_op),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
