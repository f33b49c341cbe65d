#ifndef CALENDAR_H_
#define CALENDAR_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Working days: Monday to Friday, except US federal holidays (5 U.S.C.
 * 6103, computed by rule for any year, with the observed-day shifts: a
 * holiday on a Saturday is observed on the Friday before, one on a Sunday on
 * the Monday after) and the instance's configured extra dates.  Days are
 * civil dates; a calendar converts Unix times to dates in its time zone (an
 * IANA name such as "America/New_York"), which it reads from the system's
 * zoneinfo files itself, so no process-wide TZ is needed and threads may
 * share a calendar.  The server's scheduler and the CLI's auditor use the
 * same code.
 */
#define CALENDAR_EXTRA_MAX 64 /* configured extra holidays */
#define CALENDAR_TZ_MAX 64    /* a zone name is shorter than this */

/* A civil date. */
struct calendar_date {
	int year;  /* 1970..9999 */
	int month; /* 1..12 */
	int day;   /* 1..31 */
};

struct calendar;

/**
 * calendar_new(tz, extra, nextra):
 * Make a calendar in the time zone ${tz} ("UTC", needing no file, or the
 * name of a file under /usr/share/zoneinfo: 1..CALENDAR_TZ_MAX - 1 of
 * [A-Za-z0-9_+-/], relative, no empty, "." or ".." component) with the
 * ${nextra} (at most CALENDAR_EXTRA_MAX) extra holidays ${extra}.  The file
 * must be TZif version 2 or later (RFC 8536), at most 256 KiB, without leap
 * seconds.  Return the calendar, or NULL (reported on stderr) if the time
 * zone cannot be loaded or an input is invalid.
 */
struct calendar *calendar_new(
    const char *tz, const struct calendar_date *extra, size_t nextra);

/**
 * calendar_new_from_file(path, extra, nextra):
 * As calendar_new() with the time zone read from the TZif file ${path}
 * (tests, and zoneinfo trees outside the system's).
 */
struct calendar *calendar_new_from_file(
    const char *path, const struct calendar_date *extra, size_t nextra);

/**
 * calendar_free(cal):
 * Free ${cal}.  NULL is a no-op.
 */
void calendar_free(struct calendar *cal);

/**
 * calendar_date_parse(d, s):
 * Parse "YYYY-MM-DD" (a real date, years 1970..9999) into ${d}.  Return 0,
 * or -1.
 */
int calendar_date_parse(struct calendar_date *d, const char *s);

/**
 * calendar_federal_holiday(d, name):
 * Return 1 if ${d} is a US federal holiday as observed (storing a short
 * English name such as "Thanksgiving Day" in ${name} if not NULL), else 0.
 * A holiday falling on a Saturday or Sunday counts on its observed Friday
 * or Monday only (so 2022-01-01 gives 0 and 2021-12-31 gives 1).
 */
int calendar_federal_holiday(const struct calendar_date *d, const char **name);

/**
 * calendar_is_working_day(cal, d):
 * Return 1 if ${d} is a working day of ${cal}, else 0.
 */
int calendar_is_working_day(
    const struct calendar *cal, const struct calendar_date *d);

/**
 * calendar_local_date(cal, t, d):
 * Store the civil date in ${cal}'s time zone of the Unix time ${t} in ${d}.
 * Return 0, or -1 if out of range (a local date outside 1970..9999).
 */
int calendar_local_date(
    const struct calendar *cal, int64_t t, struct calendar_date *d);

/**
 * calendar_local_time(cal, t, d, sec):
 * Store the civil date in ${cal}'s time zone of the Unix time ${t} in ${d}
 * and its local time of day, in seconds after midnight (0..86399), in
 * ${sec}.  Return 0, or -1 if out of range (as calendar_local_date()).
 */
int calendar_local_time(const struct calendar *cal, int64_t t,
    struct calendar_date *d, int32_t *sec);

/**
 * calendar_from_local(cal, d, sec, t):
 * Store in ${t} the Unix time whose local time in ${cal}'s time zone is
 * the date ${d} at ${sec} (0..86399) seconds after midnight; when a clock
 * change repeats that local time, the earlier of the two.  Return 0, or -1
 * if an input is invalid or a clock change skips that local time.
 */
int calendar_from_local(const struct calendar *cal,
    const struct calendar_date *d, int32_t sec, int64_t *t);

/**
 * calendar_end_of_day(cal, d, t):
 * Store in ${t} the last second (23:59:59 local) of the date ${d} in
 * ${cal}'s time zone: the latest Unix time whose local time is ${d}
 * 23:59:59, or, if a clock change skips that time, the last second before
 * the skip.  Return 0, or -1.
 */
int calendar_end_of_day(
    const struct calendar *cal, const struct calendar_date *d, int64_t *t);

/**
 * calendar_add_working_days(cal, from, n, due):
 * The deadline that is ${n} (1..36600) working days after the Unix time
 * ${from}: the end (23:59:59 local) of the ${n}th working day strictly
 * after ${from}'s local date.  Return 0, or -1.
 */
int calendar_add_working_days(
    const struct calendar *cal, int64_t from, unsigned int n, int64_t *due);

/**
 * calendar_add_days(cal, from, n, due):
 * As calendar_add_working_days() but counting calendar days.
 */
int calendar_add_days(
    const struct calendar *cal, int64_t from, unsigned int n, int64_t *due);

/**
 * calendar_add_months(cal, from, n, due):
 * The end of the local date ${n} (1..1200) months after ${from}'s local
 * date (the same day of the month, or the month's last day if shorter).
 * Return 0, or -1.
 */
int calendar_add_months(
    const struct calendar *cal, int64_t from, unsigned int n, int64_t *due);

#endif /* !CALENDAR_H_ */
