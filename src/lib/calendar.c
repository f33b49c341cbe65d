/*
 * Working-day calendar: US federal holidays computed by rule, and civil dates
 * in an IANA time zone read from the system's TZif files (RFC 8536) by this
 * file itself, so the process-wide TZ and localtime() are never involved and
 * a calendar, once made, is immutable and may be shared between threads.
 *
 * Holiday sources:
 *  - 5 U.S.C. 6103(a): the legal public holidays and their dates.
 *  - Pub. L. 90-363 (Uniform Monday Holiday Act, effective 1971): Washington's
 *    Birthday, Memorial Day, Columbus Day and (1971-1977) Veterans Day on
 *    Mondays; Pub. L. 94-97 returned Veterans Day to November 11 from 1978.
 *  - Pub. L. 98-144: Birthday of Martin Luther King, Jr., from 1986.
 *  - Pub. L. 117-17: Juneteenth National Independence Day, from 2021.
 *  - 5 U.S.C. 6103(b) and Executive Order 11582 (36 FR 2957, 1971) §3, as
 *    applied by OPM ("Federal Holidays", opm.gov): for employees working
 *    Monday to Friday a holiday on a Saturday is observed on the Friday
 *    before, and one on a Sunday on the Monday after.  New Year's Day on a
 *    Saturday is thus observed on December 31 of the previous year.
 * Inauguration Day (5 U.S.C. 6103(c)) applies only in the Washington area
 * and one-off closures are ordered case by case; both belong in the
 * instance's extra dates.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"

#define ZONEINFO_DIR "/usr/share/zoneinfo"

/* Limits on what a TZif file may contain before it is refused. */
#define TZIF_FILE_MAX (256 * 1024)
#define TZIF_TRANS_MAX 8192
#define TZIF_TYPES_MAX 256 /* transition types are one byte */
#define TZIF_FOOTER_MAX 128
#define TZIF_HEADER_BYTES 44

/* RFC 8536 §3.2: UT offsets outside this range are refused. */
#define UTOFF_MIN (-89999)
#define UTOFF_MAX 93599

#define DAY_SECONDS 86400

/* Unix times accepted: local dates 1970-01-01 .. 9999-12-31, with margin. */
#define TIME_MIN (-2 * (int64_t)DAY_SECONDS)
#define TIME_MAX (INT64_C(253402300799) + 2 * (int64_t)DAY_SECONDS)

/* Longest additions accepted. */
#define ADD_DAYS_MAX 36600
#define ADD_MONTHS_MAX 1200

/* One date rule of a POSIX TZ string. */
struct tzrule {
	char kind;    /* 'J' (1..365, no Feb 29), 'N' (0..365), 'M' */
	int day;      /* J and N forms */
	int month;    /* M form: 1..12 */
	int week;     /* M form: 1..5 (5: last) */
	int weekday;  /* M form: 0 (Sunday)..6 */
	int32_t secs; /* local time of day of the change, -167h..167h */
};

/* A POSIX TZ string (RFC 8536 §3.3), offsets as seconds east of UTC. */
struct posixtz {
	int32_t std_utoff;
	int hasdst;
	int32_t dst_utoff;
	struct tzrule start; /* into daylight time, given in standard time */
	struct tzrule end;   /* out of it, given in daylight time */
};

struct calendar {
	struct calendar_date extra[CALENDAR_EXTRA_MAX];
	size_t nextra;
	int64_t *trans;     /* transition times, strictly ascending */
	uint8_t *transtype; /* the type taking effect at each */
	size_t ntrans;
	int32_t
	    utoff[TZIF_TYPES_MAX]; /* of each type; type 0 before trans[0] */
	size_t ntypes;
	int hasfooter; /* the footer rules instants after the last transition */
	struct posixtz footer;
};

/* A federal holiday rule (5 U.S.C. 6103(a)) and the years it applies. */
enum holiday_kind { FIXED, NTH_WEEKDAY, LAST_WEEKDAY };
static const struct {
	const char *name;
	int from, to; /* years */
	enum holiday_kind kind;
	int month;
	int n;       /* FIXED: day of month; NTH_WEEKDAY: which one */
	int weekday; /* 0 (Sunday)..6 */
} holidays[] = {
    {"New Year's Day", 1970, 9999, FIXED, 1, 1, 0},
    {"Birthday of Martin Luther King, Jr.", 1986, 9999, NTH_WEEKDAY, 1, 3, 1},
    {"Washington's Birthday", 1970, 1970, FIXED, 2, 22, 0},
    {"Washington's Birthday", 1971, 9999, NTH_WEEKDAY, 2, 3, 1},
    {"Memorial Day", 1970, 1970, FIXED, 5, 30, 0},
    {"Memorial Day", 1971, 9999, LAST_WEEKDAY, 5, 0, 1},
    {"Juneteenth National Independence Day", 2021, 9999, FIXED, 6, 19, 0},
    {"Independence Day", 1970, 9999, FIXED, 7, 4, 0},
    {"Labor Day", 1970, 9999, NTH_WEEKDAY, 9, 1, 1},
    {"Columbus Day", 1970, 1970, FIXED, 10, 12, 0},
    {"Columbus Day", 1971, 9999, NTH_WEEKDAY, 10, 2, 1},
    {"Veterans Day", 1970, 1970, FIXED, 11, 11, 0},
    {"Veterans Day", 1971, 1977, NTH_WEEKDAY, 10, 4, 1},
    {"Veterans Day", 1978, 9999, FIXED, 11, 11, 0},
    {"Thanksgiving Day", 1970, 9999, NTH_WEEKDAY, 11, 4, 4},
    {"Christmas Day", 1970, 9999, FIXED, 12, 25, 0},
};
#define NHOLIDAYS (sizeof(holidays) / sizeof(holidays[0]))

/* Report a failure to make a calendar. */
static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
report(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	/* A longer message is cut short, which is fine for a log line. */
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)fprintf(stderr, "calendar: %s\n", msg);
}

/* Floor division and the matching remainder, for a positive ${b}. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b) < 0)
		q--;
	return (q);
}

static int
is_leap(int64_t y)
{

	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
month_days(int64_t y, int m)
{
	static const int mdays[12] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return (29);
	return (mdays[m - 1]);
}

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	/* Years start in March so the leap day is the last of its year. */
	y -= (m <= 2);
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* The inverse of days_from_civil(). */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Day of the week of day ${z} since the epoch: 0 Sunday .. 6 Saturday. */
static int
weekday(int64_t z)
{

	/* 1970-01-01 was a Thursday. */
	return ((int)(z + 4 - 7 * floor_div(z + 4, 7)));
}

/* Return 1 if ${d} is a real date in 1970..9999, else 0. */
static int
date_valid(const struct calendar_date *d)
{

	if (d->year < 1970 || d->year > 9999 || d->month < 1 || d->month > 12 ||
	    d->day < 1)
		return (0);
	return (d->day <= month_days(d->year, d->month));
}

/* Store the date of day ${z} in ${d}.  Return 0, or -1 if out of range. */
static int
date_from_days(int64_t z, struct calendar_date *d)
{
	int64_t y;
	int m, day;

	if (z < 0 || z > days_from_civil(9999, 12, 31))
		return (-1);
	civil_from_days(z, &y, &m, &day);
	d->year = (int)y;
	d->month = m;
	d->day = day;
	return (0);
}

/* Day since the epoch of the ${n}th ${wd} of ${m}/${y} (n 5: the last). */
static int64_t
nth_weekday(int64_t y, int m, int n, int wd)
{
	int64_t first, z;

	first = days_from_civil(y, m, 1);
	z = first + (wd - weekday(first) + 7) % 7 + 7 * (n - 1);
	while (z >= first + month_days(y, m))
		z -= 7;
	return (z);
}

/* Day since the epoch on which holiday rule ${i} falls in ${y}. */
static int64_t
holiday_actual(size_t i, int64_t y)
{

	switch (holidays[i].kind) {
	case FIXED:
		return (days_from_civil(y, holidays[i].month, holidays[i].n));
	case NTH_WEEKDAY:
		return (nth_weekday(
		    y, holidays[i].month, holidays[i].n, holidays[i].weekday));
	case LAST_WEEKDAY:
		break;
	}
	return (nth_weekday(y, holidays[i].month, 5, holidays[i].weekday));
}

/**
 * calendar_federal_holiday(d, name):
 * Return 1 if ${d} is a US federal holiday as observed (storing a short
 * English name such as "Thanksgiving Day" in ${name} if not NULL), else 0.
 * A holiday falling on a Saturday or Sunday counts on its observed Friday
 * or Monday only (so 2022-01-01 gives 0 and 2021-12-31 gives 1).
 */
int
calendar_federal_holiday(const struct calendar_date *d, const char **name)
{
	int64_t z, a, o, y;
	size_t i;
	int wd;

	if (d == NULL || !date_valid(d))
		return (0);
	z = days_from_civil(d->year, d->month, d->day);

	/* Next year's New Year's Day may be observed on December 31. */
	for (y = d->year; y <= d->year + 1; y++) {
		for (i = 0; i < NHOLIDAYS; i++) {
			if (y < holidays[i].from || y > holidays[i].to)
				continue;
			a = holiday_actual(i, y);
			wd = weekday(a);
			o = a + (wd == 6 ? -1 : (wd == 0 ? 1 : 0));
			if (o == z) {
				if (name != NULL)
					*name = holidays[i].name;
				return (1);
			}
		}
	}
	return (0);
}

/* As calendar_is_working_day() for the day ${z} since the epoch. */
static int
working_day(const struct calendar *cal, int64_t z)
{
	struct calendar_date d;
	size_t i;
	int wd;

	wd = weekday(z);
	if (wd == 0 || wd == 6)
		return (0);
	if (date_from_days(z, &d))
		return (0);
	if (calendar_federal_holiday(&d, NULL))
		return (0);
	for (i = 0; i < cal->nextra; i++) {
		if (cal->extra[i].year == d.year &&
		    cal->extra[i].month == d.month &&
		    cal->extra[i].day == d.day)
			return (0);
	}
	return (1);
}

/**
 * calendar_is_working_day(cal, d):
 * Return 1 if ${d} is a working day of ${cal}, else 0.
 */
int
calendar_is_working_day(
    const struct calendar *cal, const struct calendar_date *d)
{

	if (cal == NULL || d == NULL || !date_valid(d))
		return (0);
	return (working_day(cal, days_from_civil(d->year, d->month, d->day)));
}

/**
 * calendar_date_parse(d, s):
 * Parse "YYYY-MM-DD" (a real date, years 1970..9999) into ${d}.  Return 0,
 * or -1.
 */
int
calendar_date_parse(struct calendar_date *d, const char *s)
{
	struct calendar_date v;
	size_t i;

	if (d == NULL || s == NULL || strnlen(s, 11) != 10)
		return (-1);
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return (-1);
		} else if (s[i] < '0' || s[i] > '9')
			return (-1);
	}
	v.year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		 (s[3] - '0');
	v.month = (s[5] - '0') * 10 + (s[6] - '0');
	v.day = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_valid(&v))
		return (-1);
	*d = v;
	return (0);
}

/* POSIX TZ string parsing (RFC 8536 §3.3 and §3.3.1). */

/* Parse a zone abbreviation at *${p}: 3+ letters, or <[A-Za-z0-9+-]{3,}>. */
static int
tz_parse_name(const char **p)
{
	const char *s = *p;
	size_t n = 0;

	if (*s == '<') {
		for (s++;
		     (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		     (*s >= '0' && *s <= '9') || *s == '+' || *s == '-';
		     s++)
			n++;
		if (*s != '>' || n < 3)
			return (-1);
		*p = s + 1;
		return (0);
	}
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++)
		n++;
	if (n < 3)
		return (-1);
	*p = s;
	return (0);
}

/* Parse 1..${maxdigits} decimal digits at *${p} no larger than ${max}. */
static int
tz_parse_num(const char **p, int maxdigits, int max, int *v)
{
	const char *s = *p;
	int n = 0, x = 0;

	while (*s >= '0' && *s <= '9') {
		if (++n > maxdigits)
			return (-1);
		x = x * 10 + (*s - '0');
		s++;
	}
	if (n == 0 || x > max)
		return (-1);
	*p = s;
	*v = x;
	return (0);
}

/* Parse [+-]hh[:mm[:ss]] at *${p}, hours at most ${maxh}, into seconds. */
static int
tz_parse_hms(const char **p, int maxh, int32_t *secs)
{
	const char *s = *p;
	int sign = 1, h, m = 0, sec = 0;

	if (*s == '+' || *s == '-') {
		sign = (*s == '-') ? -1 : 1;
		s++;
	}
	if (tz_parse_num(&s, 3, maxh, &h))
		return (-1);
	if (*s == ':') {
		s++;
		if (tz_parse_num(&s, 2, 59, &m))
			return (-1);
		if (*s == ':') {
			s++;
			if (tz_parse_num(&s, 2, 59, &sec))
				return (-1);
		}
	}
	*secs = (int32_t)(sign * (h * 3600 + m * 60 + sec));
	*p = s;
	return (0);
}

/* Parse a POSIX offset (hours west, 0..24) at *${p} into seconds east. */
static int
tz_parse_offset(const char **p, int32_t *utoff)
{
	int32_t west;

	if (tz_parse_hms(p, 24, &west))
		return (-1);
	*utoff = -west;
	if (*utoff < UTOFF_MIN || *utoff > UTOFF_MAX)
		return (-1);
	return (0);
}

/* Parse a date rule [Jn|n|Mm.w.d][/time] at *${p}. */
static int
tz_parse_rule(const char **p, struct tzrule *r)
{
	const char *s = *p;

	memset(r, 0, sizeof(*r));
	if (*s == 'J') {
		s++;
		r->kind = 'J';
		if (tz_parse_num(&s, 3, 365, &r->day) || r->day < 1)
			return (-1);
	} else if (*s == 'M') {
		s++;
		r->kind = 'M';
		if (tz_parse_num(&s, 2, 12, &r->month) || r->month < 1 ||
		    *s++ != '.' || tz_parse_num(&s, 1, 5, &r->week) ||
		    r->week < 1 || *s++ != '.' ||
		    tz_parse_num(&s, 1, 6, &r->weekday))
			return (-1);
	} else {
		r->kind = 'N';
		if (tz_parse_num(&s, 3, 365, &r->day))
			return (-1);
	}
	/* POSIX's default time of day; RFC 8536 §3.3.1 widens to 167 h. */
	r->secs = 7200;
	if (*s == '/') {
		s++;
		if (tz_parse_hms(&s, 167, &r->secs))
			return (-1);
	}
	*p = s;
	return (0);
}

/*
 * Parse the POSIX TZ string ${s} (non-empty) into ${tz}.  Daylight time must
 * come with its rules.  Return 0, or -1.
 */
static int
tz_parse(const char *s, struct posixtz *tz)
{

	memset(tz, 0, sizeof(*tz));
	if (tz_parse_name(&s) || tz_parse_offset(&s, &tz->std_utoff))
		return (-1);
	if (*s == '\0')
		return (0);
	tz->hasdst = 1;
	if (tz_parse_name(&s))
		return (-1);
	tz->dst_utoff = tz->std_utoff + 3600;
	if (*s != ',' && tz_parse_offset(&s, &tz->dst_utoff))
		return (-1);
	if (*s++ != ',' || tz_parse_rule(&s, &tz->start) || *s++ != ',' ||
	    tz_parse_rule(&s, &tz->end) || *s != '\0')
		return (-1);
	if (tz->dst_utoff < UTOFF_MIN || tz->dst_utoff > UTOFF_MAX)
		return (-1);
	return (0);
}

/* The Unix time at which rule ${r} fires in ${y}, local offset ${utoff}. */
static int64_t
tz_rule_time(const struct tzrule *r, int64_t y, int32_t utoff)
{
	int64_t z;

	switch (r->kind) {
	case 'J':
		/* Day 1..365, February 29 never counted. */
		z = days_from_civil(y, 1, 1) + r->day - 1;
		if (is_leap(y) && r->day >= 60)
			z++;
		break;
	case 'M':
		z = nth_weekday(y, r->month, r->week, r->weekday);
		break;
	default:
		z = days_from_civil(y, 1, 1) + r->day;
		break;
	}
	return (z * DAY_SECONDS + r->secs - utoff);
}

/*
 * The UT offset under the POSIX TZ rule ${tz} at ${t}, and the next time
 * after ${t} at which it may change (INT64_MAX if never).
 */
static void
tz_footer_lookup(
    const struct posixtz *tz, int64_t t, int32_t *utoff, int64_t *next)
{
	int64_t y, yy, ev[2], best = INT64_MIN, nx = INT64_MAX;
	int32_t off = tz->std_utoff;
	int k, m, d;

	*next = INT64_MAX;
	*utoff = tz->std_utoff;
	if (!tz->hasdst)
		return;

	/*
	 * The changes of the years around ${t}'s; rule times up to 167 hours
	 * can move a year's change into the next or the previous year.  On a
	 * tie (daylight time all year) the start of daylight time wins.
	 */
	civil_from_days(floor_div(t + tz->std_utoff, DAY_SECONDS), &y, &m, &d);
	for (yy = y - 2; yy <= y + 2; yy++) {
		ev[0] = tz_rule_time(&tz->end, yy, tz->dst_utoff);
		ev[1] = tz_rule_time(&tz->start, yy, tz->std_utoff);
		for (k = 0; k < 2; k++) {
			if (ev[k] <= t &&
			    (ev[k] > best || (ev[k] == best && k))) {
				best = ev[k];
				off = k ? tz->dst_utoff : tz->std_utoff;
			}
			if (ev[k] > t && ev[k] < nx)
				nx = ev[k];
		}
	}
	*utoff = off;
	*next = nx;
}

/*
 * The UT offset of ${cal} at ${t}, and the next time after ${t} at which it
 * may change (INT64_MAX if never).
 */
static void
tz_lookup(const struct calendar *cal, int64_t t, int32_t *utoff, int64_t *next)
{

	if (cal->ntrans > 0 &&
	    (t < cal->trans[cal->ntrans - 1] || !cal->hasfooter)) {
		/* lo: the number of transitions at or before ${t}. */
		size_t lo = 0, hi = cal->ntrans;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (cal->trans[mid] <= t)
				lo = mid + 1;
			else
				hi = mid;
		}
		*utoff = cal->utoff[lo == 0 ? 0 : cal->transtype[lo - 1]];
		*next = lo < cal->ntrans ? cal->trans[lo] : INT64_MAX;
		return;
	}
	if (cal->hasfooter) {
		tz_footer_lookup(&cal->footer, t, utoff, next);
		return;
	}
	*utoff = cal->utoff[0];
	*next = INT64_MAX;
}

/* TZif files (RFC 8536). */

struct tzif_header {
	uint8_t version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static uint32_t
be32(const uint8_t *p)
{

	return (((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
		((uint32_t)p[2] << 8) | (uint32_t)p[3]);
}

static uint64_t
be64(const uint8_t *p)
{

	return (((uint64_t)be32(p) << 32) | be32(p + 4));
}

/* Parse the header at ${p} (${len} bytes left).  Return 0, or -1. */
static int
tzif_header_parse(const uint8_t *p, size_t len, struct tzif_header *h)
{

	if (len < TZIF_HEADER_BYTES || memcmp(p, "TZif", 4) != 0)
		return (-1);
	h->version = p[4];
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	return (0);
}

/* The size of the data block after ${h} with ${tsize}-byte times. */
static uint64_t
tzif_block_size(const struct tzif_header *h, uint64_t tsize)
{

	/* Each count is below 2^32, so this cannot overflow 64 bits. */
	return ((uint64_t)h->timecnt * (tsize + 1) + (uint64_t)h->typecnt * 6 +
		h->charcnt + (uint64_t)h->leapcnt * (tsize + 4) + h->isstdcnt +
		h->isutcnt);
}

/*
 * Load the version 2+ data of the TZif file ${buf} (${len} bytes) into
 * ${cal}.  Return 0, or -1 (reported, naming ${what}).
 */
static int
tzif_parse(
    struct calendar *cal, const uint8_t *buf, size_t len, const char *what)
{
	struct tzif_header h1, h;
	const uint8_t *p, *types, *info, *chars, *isstd, *isut, *nl;
	char footer[TZIF_FOOTER_MAX + 1];
	uint64_t size, off;
	size_t i, flen;

	/* The version 1 header and block, skipped. */
	if (tzif_header_parse(buf, len, &h1)) {
		report("%s: not a TZif file", what);
		goto err0;
	}
	if (h1.version < '2' || h1.version > '4') {
		report("%s: TZif version unsupported (need 2, 3 or 4)", what);
		goto err0;
	}
	size = tzif_block_size(&h1, 4);
	if (size > len - TZIF_HEADER_BYTES) {
		report("%s: TZif file truncated", what);
		goto err0;
	}
	off = TZIF_HEADER_BYTES + size;

	/* The version 2+ header and its 64-bit block. */
	if (tzif_header_parse(buf + off, len - off, &h) ||
	    h.version != h1.version) {
		report("%s: TZif second header missing or inconsistent", what);
		goto err0;
	}
	off += TZIF_HEADER_BYTES;
	if (h.typecnt == 0 || h.typecnt > TZIF_TYPES_MAX || h.charcnt == 0 ||
	    h.timecnt > TZIF_TRANS_MAX ||
	    (h.isstdcnt != 0 && h.isstdcnt != h.typecnt) ||
	    (h.isutcnt != 0 && h.isutcnt != h.typecnt)) {
		report("%s: TZif counts invalid", what);
		goto err0;
	}
	if (h.leapcnt != 0) {
		report("%s: TZif leap-second zones are not supported", what);
		goto err0;
	}
	size = tzif_block_size(&h, 8);
	if (size > len - off) {
		report("%s: TZif file truncated", what);
		goto err0;
	}
	p = buf + off;
	types = p + (size_t)h.timecnt * 8;
	info = types + h.timecnt;
	chars = info + (size_t)h.typecnt * 6;
	isstd = chars + h.charcnt;
	isut = isstd + h.isstdcnt;
	off += size;

	/* Local time types. */
	for (i = 0; i < h.typecnt; i++) {
		cal->utoff[i] = (int32_t)be32(info + 6 * i);
		if (cal->utoff[i] < UTOFF_MIN || cal->utoff[i] > UTOFF_MAX ||
		    info[6 * i + 4] > 1 || info[6 * i + 5] >= h.charcnt) {
			report("%s: TZif time type invalid", what);
			goto err0;
		}
	}
	cal->ntypes = h.typecnt;
	if (chars[h.charcnt - 1] != '\0') {
		report("%s: TZif designations unterminated", what);
		goto err0;
	}
	for (i = 0; i < h.isstdcnt; i++) {
		if (isstd[i] > 1 || (h.isutcnt != 0 && isut[i] > isstd[i])) {
			report("%s: TZif indicators invalid", what);
			goto err0;
		}
	}
	for (i = 0; i < h.isutcnt; i++) {
		if (isut[i] > 1 || (isut[i] == 1 && h.isstdcnt == 0)) {
			report("%s: TZif indicators invalid", what);
			goto err0;
		}
	}

	/* Transitions. */
	if (h.timecnt > 0) {
		if ((cal->trans = malloc(
			 (size_t)h.timecnt * sizeof(cal->trans[0]))) == NULL ||
		    (cal->transtype = malloc(h.timecnt)) == NULL) {
			report("out of memory");
			goto err0;
		}
	}
	for (i = 0; i < h.timecnt; i++) {
		cal->trans[i] = (int64_t)be64(p + 8 * i);
		cal->transtype[i] = types[i];
		if (types[i] >= h.typecnt ||
		    (i > 0 && cal->trans[i] <= cal->trans[i - 1])) {
			report("%s: TZif transitions invalid", what);
			goto err0;
		}
	}
	cal->ntrans = h.timecnt;

	/* The footer: "\n" TZ string "\n", ending the file. */
	if (len - off < 2 || buf[off] != '\n' || buf[len - 1] != '\n') {
		report("%s: TZif footer missing", what);
		goto err0;
	}
	flen = len - (size_t)off - 2;
	nl = memchr(buf + off + 1, '\n', flen);
	if (flen > TZIF_FOOTER_MAX || nl != NULL ||
	    memchr(buf + off + 1, '\0', flen) != NULL) {
		report("%s: TZif footer invalid", what);
		goto err0;
	}
	memcpy(footer, buf + off + 1, flen);
	footer[flen] = '\0';
	if (flen > 0) {
		if (tz_parse(footer, &cal->footer)) {
			report("%s: TZif footer TZ string invalid", what);
			goto err0;
		}
		cal->hasfooter = 1;
	}

	/* Success! */
	return (0);

err0:
	/* Failure! */
	return (-1);
}

/*
 * Read the regular file ${path} (at most TZIF_FILE_MAX bytes) into a
 * malloc'd buffer ${buf} of ${len} bytes.  Return 0, or -1 (reported).
 */
static int
read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *b;
	size_t n = 0;
	ssize_t r;
	int fd;

	/* O_NONBLOCK so that a FIFO cannot hang us; files ignore it. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1) {
		report("%s: %s", path, strerror(errno));
		goto err0;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		report("%s: not a regular file", path);
		goto err1;
	}
	if ((b = malloc(TZIF_FILE_MAX + 1)) == NULL) {
		report("out of memory");
		goto err1;
	}
	/* Read one byte more than allowed to detect longer files. */
	while (n <= TZIF_FILE_MAX) {
		r = read(fd, b + n, TZIF_FILE_MAX + 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			report("%s: %s", path, strerror(errno));
			goto err2;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > TZIF_FILE_MAX) {
		report("%s: larger than %d bytes", path, TZIF_FILE_MAX);
		goto err2;
	}
	(void)close(fd);
	*buf = b;
	*len = n;

	/* Success! */
	return (0);

err2:
	free(b);
err1:
	(void)close(fd);
err0:
	/* Failure! */
	return (-1);
}

/*
 * Return 1 if ${name} may name a zone: 1..CALENDAR_TZ_MAX - 1 of
 * [A-Za-z0-9_+-/], relative, with non-empty components none of which is
 * "." or "..".  Else 0.
 */
static int
tz_name_valid(const char *name)
{
	size_t len, i;

	len = strnlen(name, CALENDAR_TZ_MAX);
	if (len == 0 || len >= CALENDAR_TZ_MAX)
		return (0);
	if (name[0] == '/' || name[len - 1] == '/' ||
	    strstr(name, "//") != NULL || strstr(name, "..") != NULL)
		return (0);
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '_' || c == '+' ||
			c == '-' || c == '/'))
			return (0);
	}
	return (1);
}

/* Allocate a calendar in UTC with the extra dates.  Return it, or NULL. */
static struct calendar *
calendar_alloc(const struct calendar_date *extra, size_t nextra)
{
	struct calendar *cal;
	size_t i;

	if (nextra > CALENDAR_EXTRA_MAX || (nextra > 0 && extra == NULL)) {
		report("at most %d extra holidays", CALENDAR_EXTRA_MAX);
		goto err0;
	}
	for (i = 0; i < nextra; i++) {
		if (!date_valid(&extra[i])) {
			report("extra holiday %zu is not a date in 1970..9999",
			    i + 1);
			goto err0;
		}
	}
	if ((cal = calloc(1, sizeof(*cal))) == NULL) {
		report("out of memory");
		goto err0;
	}
	if (nextra > 0)
		memcpy(cal->extra, extra, nextra * sizeof(extra[0]));
	cal->nextra = nextra;
	cal->ntypes = 1;
	cal->utoff[0] = 0;

	/* Success! */
	return (cal);

err0:
	/* Failure! */
	return (NULL);
}

/**
 * calendar_new_from_file(path, extra, nextra):
 * As calendar_new() with the time zone read from the TZif file ${path}
 * (tests, and zoneinfo trees outside the system's).
 */
struct calendar *
calendar_new_from_file(
    const char *path, const struct calendar_date *extra, size_t nextra)
{
	struct calendar *cal;
	uint8_t *buf;
	size_t len;

	if (path == NULL) {
		report("no time zone file");
		goto err0;
	}
	if ((cal = calendar_alloc(extra, nextra)) == NULL)
		goto err0;
	if (read_file(path, &buf, &len))
		goto err1;
	if (tzif_parse(cal, buf, len, path))
		goto err2;
	free(buf);

	/* Success! */
	return (cal);

err2:
	free(buf);
err1:
	calendar_free(cal);
err0:
	/* Failure! */
	return (NULL);
}

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
struct calendar *
calendar_new(const char *tz, const struct calendar_date *extra, size_t nextra)
{
	char path[sizeof(ZONEINFO_DIR) + CALENDAR_TZ_MAX + 1];
	int len;

	if (tz == NULL || !tz_name_valid(tz)) {
		report("invalid time zone name");
		goto err0;
	}
	if (strcmp(tz, "UTC") == 0)
		return (calendar_alloc(extra, nextra));
	len = snprintf(path, sizeof(path), "%s/%s", ZONEINFO_DIR, tz);
	if (len < 0 || (size_t)len >= sizeof(path)) {
		report("invalid time zone name");
		goto err0;
	}
	return (calendar_new_from_file(path, extra, nextra));

err0:
	/* Failure! */
	return (NULL);
}

/**
 * calendar_free(cal):
 * Free ${cal}.  NULL is a no-op.
 */
void
calendar_free(struct calendar *cal)
{

	if (cal == NULL)
		return;
	free(cal->trans);
	free(cal->transtype);
	free(cal);
}

/* The day since the epoch of ${t}'s local date in ${cal}.  Return 0/-1. */
static int
local_day(const struct calendar *cal, int64_t t, int64_t *z)
{
	int64_t next, day;
	int32_t utoff;

	if (t < TIME_MIN || t > TIME_MAX)
		return (-1);
	tz_lookup(cal, t, &utoff, &next);
	day = floor_div(t + utoff, DAY_SECONDS);
	if (day < 0 || day > days_from_civil(9999, 12, 31))
		return (-1);
	*z = day;
	return (0);
}

/**
 * calendar_local_date(cal, t, d):
 * Store the civil date in ${cal}'s time zone of the Unix time ${t} in ${d}.
 * Return 0, or -1 if out of range (a local date outside 1970..9999).
 */
int
calendar_local_date(
    const struct calendar *cal, int64_t t, struct calendar_date *d)
{
	int64_t z;

	if (cal == NULL || d == NULL || local_day(cal, t, &z))
		return (-1);
	return (date_from_days(z, d));
}

/**
 * calendar_local_time(cal, t, d, sec):
 * Store the civil date in ${cal}'s time zone of the Unix time ${t} in ${d}
 * and its local time of day, in seconds after midnight (0..86399), in
 * ${sec}.  Return 0, or -1 if out of range (as calendar_local_date()).
 */
int
calendar_local_time(const struct calendar *cal, int64_t t,
    struct calendar_date *d, int32_t *sec)
{
	int64_t z, next;
	int32_t utoff;

	if (cal == NULL || d == NULL || sec == NULL || local_day(cal, t, &z) ||
	    date_from_days(z, d))
		return (-1);
	tz_lookup(cal, t, &utoff, &next);
	*sec = (int32_t)(t + utoff - z * DAY_SECONDS);
	return (0);
}

/**
 * calendar_from_local(cal, d, sec, t):
 * Store in ${t} the Unix time whose local time in ${cal}'s time zone is
 * the date ${d} at ${sec} (0..86399) seconds after midnight; when a clock
 * change repeats that local time, the earlier of the two.  Return 0, or -1
 * if an input is invalid or a clock change skips that local time.
 */
int
calendar_from_local(const struct calendar *cal, const struct calendar_date *d,
    int32_t sec, int64_t *t)
{
	int64_t local, a, b, c, next;
	int32_t utoff;
	int iter;

	if (cal == NULL || d == NULL || t == NULL || !date_valid(d) ||
	    sec < 0 || sec >= DAY_SECONDS)
		return (-1);
	local = days_from_civil(d->year, d->month, d->day) * DAY_SECONDS + sec;

	/*
	 * As in end_of_day(): in each stretch [a, b) of constant offset o
	 * around ${local} the one candidate is local - o.  The stretches are
	 * walked in order, so the first candidate found is the earliest; none
	 * means a gap.
	 */
	a = local - 2 * DAY_SECONDS;
	for (iter = 0; a < local + 2 * DAY_SECONDS; iter++) {
		if (iter == 64)
			return (-1);
		tz_lookup(cal, a, &utoff, &next);
		b = next < local + 2 * DAY_SECONDS ? next
						   : local + 2 * DAY_SECONDS;
		c = local - utoff;
		if (c >= a && c < b) {
			*t = c;
			return (0);
		}
		a = b;
	}
	return (-1);
}

/*
 * The end of the day ${z} since the epoch in ${cal}: the latest Unix time
 * whose local time is at most that day's 23:59:59.  Return 0, or -1.
 */
static int
end_of_day(const struct calendar *cal, int64_t z, int64_t *t)
{
	int64_t last, a, next, best = 0;
	int32_t utoff;
	int found = 0, iter;

	if (z < 0 || z > days_from_civil(9999, 12, 31))
		return (-1);
	last = z * DAY_SECONDS + DAY_SECONDS - 1;

	/*
	 * Local time is t + utoff(t), constant between transitions.  Walk the
	 * stretches of constant offset around ${last} (offsets are within
	 * +-26 hours, so two days either side hold every candidate); in a
	 * stretch [a, b) with offset o the latest time with t + o <= last is
	 * min(b - 1, last - o).  A DST gap yields the last second before it,
	 * an overlap the later of the two 23:59:59s.
	 */
	a = last - 2 * DAY_SECONDS;
	for (iter = 0; a < last + 2 * DAY_SECONDS; iter++) {
		int64_t b, c;

		/* A sane zone changes a few times in four days at most. */
		if (iter == 64)
			return (-1);
		tz_lookup(cal, a, &utoff, &next);
		b = next < last + 2 * DAY_SECONDS ? next
						  : last + 2 * DAY_SECONDS;
		c = last - utoff < b - 1 ? last - utoff : b - 1;
		if (c >= a) {
			best = c;
			found = 1;
		}
		a = b;
	}
	if (!found)
		return (-1);
	*t = best;
	return (0);
}

/**
 * calendar_end_of_day(cal, d, t):
 * Store in ${t} the last second (23:59:59 local) of the date ${d} in
 * ${cal}'s time zone: the latest Unix time whose local time is ${d}
 * 23:59:59, or, if a clock change skips that time, the last second before
 * the skip.  Return 0, or -1.
 */
int
calendar_end_of_day(
    const struct calendar *cal, const struct calendar_date *d, int64_t *t)
{

	if (cal == NULL || d == NULL || t == NULL || !date_valid(d))
		return (-1);
	return (end_of_day(cal, days_from_civil(d->year, d->month, d->day), t));
}

/**
 * calendar_add_working_days(cal, from, n, due):
 * The deadline that is ${n} (1..36600) working days after the Unix time
 * ${from}: the end (23:59:59 local) of the ${n}th working day strictly
 * after ${from}'s local date.  Return 0, or -1.
 */
int
calendar_add_working_days(
    const struct calendar *cal, int64_t from, unsigned int n, int64_t *due)
{
	unsigned int count = 0;
	int64_t z, last;

	if (cal == NULL || due == NULL || n < 1 || n > ADD_DAYS_MAX ||
	    local_day(cal, from, &z))
		return (-1);
	last = days_from_civil(9999, 12, 31);
	while (count < n) {
		if (++z > last)
			return (-1);
		if (working_day(cal, z))
			count++;
	}
	return (end_of_day(cal, z, due));
}

/**
 * calendar_add_days(cal, from, n, due):
 * As calendar_add_working_days() but counting calendar days.
 */
int
calendar_add_days(
    const struct calendar *cal, int64_t from, unsigned int n, int64_t *due)
{
	int64_t z;

	if (cal == NULL || due == NULL || n < 1 || n > ADD_DAYS_MAX ||
	    local_day(cal, from, &z))
		return (-1);
	return (end_of_day(cal, z + n, due));
}

/**
 * calendar_add_months(cal, from, n, due):
 * The end of the local date ${n} (1..1200) months after ${from}'s local
 * date (the same day of the month, or the month's last day if shorter).
 * Return 0, or -1.
 */
int
calendar_add_months(
    const struct calendar *cal, int64_t from, unsigned int n, int64_t *due)
{
	struct calendar_date d;
	int64_t z, months;

	if (cal == NULL || due == NULL || n < 1 || n > ADD_MONTHS_MAX ||
	    local_day(cal, from, &z) || date_from_days(z, &d))
		return (-1);
	months = (int64_t)d.year * 12 + (d.month - 1) + n;
	if (months / 12 > 9999)
		return (-1);
	d.year = (int)(months / 12);
	d.month = (int)(months % 12) + 1;
	if (d.day > month_days(d.year, d.month))
		d.day = month_days(d.year, d.month);
	return (end_of_day(cal, days_from_civil(d.year, d.month, d.day), due));
}
