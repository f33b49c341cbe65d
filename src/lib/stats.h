#ifndef STATS_H_
#define STATS_H_

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "memo.h"

/*
 * Channel statistics (SPEC §4): memos by period and topic, acknowledgement
 * and reply times (median, share on time).  Any cell that would describe
 * fewer than STATS_MIN_AUTHORS distinct authors is suppressed: its figures
 * are withheld, not rounded, so small groups cannot be singled out.
 */
#define STATS_MIN_AUTHORS 5
#define STATS_AUTHORS_MAX 32 /* drafters counted per memo */

enum stats_period { STATS_MONTH = 0, STATS_QUARTER, STATS_YEAR };

/* One submitted memo, as the statistics see it. */
struct stats_memo {
	char topic[MEMO_TOPIC_MAX + 1];
	int64_t submitted_at;
	int64_t acked_at; /* 0: not acknowledged */
	int64_t ack_due;
	int64_t replied_at; /* 0: no reply */
	int64_t reply_due;
	/* Hashes of the drafters' ids (any stable per-member value). */
	uint8_t authors[STATS_AUTHORS_MAX][32];
	size_t nauthors;
};

/* One cell: a period and a topic ("" for all topics of the period). */
struct stats_cell {
	char period[16]; /* "2026-11", "2026-Q4" or "2026" */
	char topic[MEMO_TOPIC_MAX + 1];
	/*
	 * 1: fewer than STATS_MIN_AUTHORS authors, or withheld so that such a
	 * cell cannot be derived from its period's total (stats_compute()).
	 * The figures below are then all 0.
	 */
	int suppressed;
	size_t memos;
	size_t acknowledged;
	int64_t ack_median; /* seconds from submission; -1 if none */
	double ack_on_time; /* share 0..1 of acknowledged on time; -1 */
	size_t replied;
	int64_t reply_median; /* seconds from submission; -1 if none */
	double reply_on_time; /* -1 if none */
};

/**
 * stats_compute(cells, ncells, memos, n, period, cal):
 * Group the ${n} ${memos} by ${period} (of the submission's local date in
 * ${cal}) and topic, plus one all-topics cell per period, into a malloc'd
 * array ${cells} (free(); NULL if ${n} is 0) ordered by period then topic
 * ("" first).  A cell with fewer than STATS_MIN_AUTHORS distinct author
 * hashes is suppressed; so is, in a period whose all-topics cell is
 * published, the smallest other topic cell when only one topic cell was
 * suppressed.  Medians of an even count take the lower middle value.
 * Every memo needs a non-empty topic and times with acked_at and replied_at
 * 0 or not before submitted_at.  Return 0, or -1.
 */
int stats_compute(struct stats_cell **cells, size_t *ncells,
    const struct stats_memo *memos, size_t n, enum stats_period period,
    const struct calendar *cal) __attribute__((warn_unused_result));

/**
 * stats_period_parse(name):
 * Return the period named ${name} ("month", "quarter", "year"), or -1.
 */
int stats_period_parse(const char *name);

#endif /* !STATS_H_ */
