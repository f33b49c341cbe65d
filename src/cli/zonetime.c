#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "calendar.h"
#include "zonetime.h"

/* The last second of 9999-12-31 UTC. */
#define UNIX_MAX INT64_C(253402300799)

struct zonetime {
	struct calendar *cal;
	char zone[CALENDAR_TZ_MAX];
};

/*
 * Read the "holidays" of ${instance} into ${extra}, storing their number
 * in ${n}; a missing or malformed list gives none.
 */
static void
read_holidays(const json_t *instance,
    struct calendar_date extra[CALENDAR_EXTRA_MAX], size_t *n)
{
	json_t *arr = json_object_get(instance, "holidays"), *d;
	size_t i;

	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) > CALENDAR_EXTRA_MAX)
		return;
	json_array_foreach(arr, i, d)
	{
		if (calendar_date_parse(&extra[i], json_string_value(d)) != 0)
			return;
	}
	*n = json_array_size(arr);
}

/**
 * zonetime_new(instance):
 * Make the zonetime of the instance described by ${instance} (GET
 * /api/v1/instance): its "time_zone" ("UTC" if it names none) and its
 * "holidays" ("YYYY-MM-DD" strings, at most CALENDAR_EXTRA_MAX; a
 * malformed list is ignored).  Return it, or NULL if out of memory or the
 * zone cannot be loaded (reported on stderr).
 */
struct zonetime *
zonetime_new(const json_t *instance)
{
	struct calendar_date extra[CALENDAR_EXTRA_MAX];
	struct zonetime *zt;
	const char *tz;
	size_t n, len;

	tz = json_string_value(json_object_get(instance, "time_zone"));
	if (tz == NULL)
		tz = "UTC";
	read_holidays(instance, extra, &n);
	if ((zt = malloc(sizeof(*zt))) == NULL)
		goto err0;
	/* calendar_new() refuses names of CALENDAR_TZ_MAX bytes or more. */
	if ((zt->cal = calendar_new(tz, extra, n)) == NULL)
		goto err1;
	if ((len = strlen(tz)) >= sizeof(zt->zone))
		goto err2;
	memcpy(zt->zone, tz, len + 1);
	return (zt);

err2:
	calendar_free(zt->cal);
err1:
	free(zt);
err0:
	return (NULL);
}

/**
 * zonetime_free(zt):
 * Free ${zt}.  NULL is a no-op.
 */
void
zonetime_free(struct zonetime *zt)
{

	if (zt == NULL)
		return;
	calendar_free(zt->cal);
	free(zt);
}

/**
 * zonetime_zone(zt):
 * Return the name of ${zt}'s time zone ("UTC" for NULL).
 */
const char *
zonetime_zone(const struct zonetime *zt)
{

	return (zt != NULL ? zt->zone : "UTC");
}

/*
 * Write "YYYY-MM-DD HH:MM:SS" into ${out}; the callers' values are in
 * range, and the modulos tell the compiler so.
 */
static void
put_time(char out[ZONETIME_LEN], int y, int mo, int d, int h, int mi, int s)
{

	(void)snprintf(out, ZONETIME_LEN, "%04u-%02u-%02u %02u:%02u:%02u",
	    (unsigned int)y % 10000, (unsigned int)mo % 100,
	    (unsigned int)d % 100, (unsigned int)h % 100,
	    (unsigned int)mi % 100, (unsigned int)s % 100);
}

/**
 * zonetime_format(zt, t, out):
 * Write the local time of the Unix time ${t} in ${zt}'s zone as
 * "YYYY-MM-DD HH:MM:SS" into ${out}, or "-" if it is outside 1970..9999.
 */
void
zonetime_format(const struct zonetime *zt, int64_t t, char out[ZONETIME_LEN])
{
	struct calendar_date d;
	struct tm tm;
	time_t tt;
	int32_t sec;

	if (zt != NULL) {
		if (calendar_local_time(zt->cal, t, &d, &sec) != 0)
			goto none;
		put_time(out, d.year, d.month, d.day, sec / 3600, sec / 60 % 60,
		    sec % 60);
		return;
	}
	tt = (time_t)t;
	if (t < 0 || t > UNIX_MAX || gmtime_r(&tt, &tm) == NULL)
		goto none;
	put_time(out, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return;

none:
	(void)snprintf(out, ZONETIME_LEN, "-");
}

/**
 * zonetime_format_zoned(zt, t, out):
 * As zonetime_format() followed by a space and the zone's name
 * ("2026-12-02 23:59:59 America/New_York").
 */
void
zonetime_format_zoned(
    const struct zonetime *zt, int64_t t, char out[ZONETIME_ZONED_LEN])
{
	char when[ZONETIME_LEN];

	zonetime_format(zt, t, when);
	if (strcmp(when, "-") == 0)
		(void)snprintf(out, ZONETIME_ZONED_LEN, "-");
	else
		(void)snprintf(
		    out, ZONETIME_ZONED_LEN, "%s %s", when, zonetime_zone(zt));
}

/* Is ${a} the same date as ${b}? */
static int
same_date(const struct calendar_date *a, const struct calendar_date *b)
{

	return (a->year == b->year && a->month == b->month && a->day == b->day);
}

/**
 * zonetime_working_days(zt, now, due, n):
 * Store in ${n} the number of working days of ${zt}'s calendar after the
 * local date of ${now} up to and including the local date of ${due} (0 if
 * both fall on the same date).  Return 0, or -1 if ${due} is before
 * ${now}, either is out of range, more than ZONETIME_COUNT_MAX days lie
 * between them, or ${zt} is NULL.
 */
int
zonetime_working_days(
    const struct zonetime *zt, int64_t now, int64_t due, unsigned int *n)
{
	struct calendar_date d, last;
	unsigned int days, count = 0;
	int64_t end;

	if (zt == NULL || due < now ||
	    calendar_local_date(zt->cal, now, &d) != 0 ||
	    calendar_local_date(zt->cal, due, &last) != 0)
		return (-1);

	/* The day after a date is the date of the second after its end. */
	for (days = 0; !same_date(&d, &last); days++) {
		if (days == ZONETIME_COUNT_MAX ||
		    calendar_end_of_day(zt->cal, &d, &end) != 0 ||
		    calendar_local_date(zt->cal, end + 1, &d) != 0)
			return (-1);
		count += (unsigned int)calendar_is_working_day(zt->cal, &d);
	}
	*n = count;
	return (0);
}

/**
 * zonetime_due(zt, now, due, out):
 * Write the due date ${due} for a person at the Unix time ${now} into
 * ${out}: the zoned local time and, in parentheses, "passed" if ${due} is
 * before ${now}, else "today" if it is on the same local date, else "in
 * N working day(s)" (left out for a NULL ${zt}):
 * "2026-12-02 23:59:59 America/New_York (in 2 working days)".
 */
void
zonetime_due(const struct zonetime *zt, int64_t now, int64_t due,
    char out[ZONETIME_DUE_LEN])
{
	char when[ZONETIME_ZONED_LEN];
	struct calendar_date a, b;
	unsigned int n;

	zonetime_format_zoned(zt, due, when);
	if (due < now)
		(void)snprintf(out, ZONETIME_DUE_LEN, "%s (passed)", when);
	else if (zt == NULL || calendar_local_date(zt->cal, now, &a) != 0 ||
		 calendar_local_date(zt->cal, due, &b) != 0 ||
		 zonetime_working_days(zt, now, due, &n) != 0)
		(void)snprintf(out, ZONETIME_DUE_LEN, "%s", when);
	else if (same_date(&a, &b))
		(void)snprintf(out, ZONETIME_DUE_LEN, "%s (today)", when);
	else
		(void)snprintf(out, ZONETIME_DUE_LEN,
		    "%s (in %u working day%s)", when, n, n == 1 ? "" : "s");
}

/* Read the ${n} decimal digits at ${s} into ${v}.  Return 0, or -1. */
static int
digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return (-1);
		*v = *v * 10 + (s[i] - '0');
	}
	return (0);
}

/**
 * zonetime_parse(zt, s, t):
 * Read the local time "YYYY-MM-DD HH:MM" (exactly so; a real date and a
 * time of day 00:00..23:59) in ${zt}'s zone into the Unix time ${t}; when
 * a clock change repeats that time, the earlier.  Return 0, or -1 if
 * ${zt} is NULL, or ${s} is malformed, not a real date and time, or
 * skipped by a clock change.
 */
int
zonetime_parse(const struct zonetime *zt, const char *s, int64_t *t)
{
	struct calendar_date d;
	char date[11];
	int h, m;

	if (zt == NULL || s == NULL || strnlen(s, 17) != 16 || s[10] != ' ' ||
	    s[13] != ':' || digits(s + 11, 2, &h) != 0 ||
	    digits(s + 14, 2, &m) != 0 || h > 23 || m > 59)
		return (-1);
	memcpy(date, s, 10);
	date[10] = '\0';
	if (calendar_date_parse(&d, date) != 0)
		return (-1);
	return (calendar_from_local(zt->cal, &d, h * 3600 + m * 60, t));
}
