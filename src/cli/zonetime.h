#ifndef ZONETIME_H_
#define ZONETIME_H_

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "calendar.h"

/*
 * Times as the CLI shows them: in the instance's time zone (GET
 * /api/v1/instance "time_zone"), since deadlines end at 23:59:59 of a
 * working day there, with the zone's name, and with how many working days
 * of the instance's calendar (federal holidays plus its "holidays") are
 * left before a due date.  The zone is read with calendar.h, never through
 * the process-wide TZ.  A NULL zonetime stands for UTC with no calendar of
 * holidays: functions accept it, so a command that could not load the zone
 * still prints correct (UTC) times.
 */

/* "YYYY-MM-DD HH:MM:SS" and its NUL. */
#define ZONETIME_LEN 20

/* A time with its zone's name, and its NUL. */
#define ZONETIME_ZONED_LEN (ZONETIME_LEN + CALENDAR_TZ_MAX)

/* A due date with its zone and how far off it is, and its NUL. */
#define ZONETIME_DUE_LEN (ZONETIME_ZONED_LEN + 40)

/* Most working days zonetime_working_days() counts. */
#define ZONETIME_COUNT_MAX 36600

struct zonetime;

/**
 * zonetime_new(instance):
 * Make the zonetime of the instance described by ${instance} (GET
 * /api/v1/instance): its "time_zone" ("UTC" if it names none) and its
 * "holidays" ("YYYY-MM-DD" strings, at most CALENDAR_EXTRA_MAX; a
 * malformed list is ignored).  Return it, or NULL if out of memory or the
 * zone cannot be loaded (reported on stderr).
 */
struct zonetime *zonetime_new(const json_t *instance);

/**
 * zonetime_free(zt):
 * Free ${zt}.  NULL is a no-op.
 */
void zonetime_free(struct zonetime *zt);

/**
 * zonetime_zone(zt):
 * Return the name of ${zt}'s time zone ("UTC" for NULL).
 */
const char *zonetime_zone(const struct zonetime *zt);

/**
 * zonetime_format(zt, t, out):
 * Write the local time of the Unix time ${t} in ${zt}'s zone as
 * "YYYY-MM-DD HH:MM:SS" into ${out}, or "-" if it is outside 1970..9999.
 */
void zonetime_format(
    const struct zonetime *zt, int64_t t, char out[ZONETIME_LEN]);

/**
 * zonetime_format_zoned(zt, t, out):
 * As zonetime_format() followed by a space and the zone's name
 * ("2026-12-02 23:59:59 America/New_York").
 */
void zonetime_format_zoned(
    const struct zonetime *zt, int64_t t, char out[ZONETIME_ZONED_LEN]);

/**
 * zonetime_working_days(zt, now, due, n):
 * Store in ${n} the number of working days of ${zt}'s calendar after the
 * local date of ${now} up to and including the local date of ${due} (0 if
 * both fall on the same date).  Return 0, or -1 if ${due} is before
 * ${now}, either is out of range, more than ZONETIME_COUNT_MAX days lie
 * between them, or ${zt} is NULL.
 */
int zonetime_working_days(
    const struct zonetime *zt, int64_t now, int64_t due, unsigned int *n);

/**
 * zonetime_due(zt, now, due, out):
 * Write the due date ${due} for a person at the Unix time ${now} into
 * ${out}: the zoned local time and, in parentheses, "passed" if ${due} is
 * before ${now}, else "today" if it is on the same local date, else "in
 * N working day(s)" (left out for a NULL ${zt}):
 * "2026-12-02 23:59:59 America/New_York (in 2 working days)".
 */
void zonetime_due(const struct zonetime *zt, int64_t now, int64_t due,
    char out[ZONETIME_DUE_LEN]);

/**
 * zonetime_parse(zt, s, t):
 * Read the local time "YYYY-MM-DD HH:MM" (exactly so; a real date and a
 * time of day 00:00..23:59) in ${zt}'s zone into the Unix time ${t}; when
 * a clock change repeats that time, the earlier.  Return 0, or -1 if
 * ${zt} is NULL, or ${s} is malformed, not a real date and time, or
 * skipped by a clock change.
 */
int zonetime_parse(const struct zonetime *zt, const char *s, int64_t *t);

#endif /* !ZONETIME_H_ */
