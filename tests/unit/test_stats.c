/*
 * Channel statistics (stats.h): grouping by period and topic, medians and
 * shares on time, and suppression of cells with fewer than five authors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"
#include "stats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define HOUR 3600

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

/* A memo on ${topic} submitted at ${t} by the single author ${author}. */
static struct stats_memo
memo(const char *topic, int64_t t, unsigned int author)
{
	struct stats_memo m;

	memset(&m, 0, sizeof(m));
	assert_true(strlen(topic) < sizeof(m.topic));
	memcpy(m.topic, topic, strlen(topic) + 1);
	m.submitted_at = t;
	m.ack_due = t + 48 * HOUR;
	m.reply_due = t + 30 * 24 * HOUR;
	m.authors[0][0] = (uint8_t)author;
	m.authors[0][31] = (uint8_t)(author >> 8);
	m.nauthors = 1;
	return (m);
}

static struct calendar *
utc_calendar(void)
{
	struct calendar *cal;

	assert_non_null(cal = calendar_new("UTC", NULL, 0));
	return (cal);
}

/* Compute ${n} memos' cells by ${period} in UTC, asserting success. */
static struct stats_cell *
compute(const struct stats_memo *m, size_t n, enum stats_period period,
    size_t *ncells)
{
	struct calendar *cal = utc_calendar();
	struct stats_cell *cells;

	assert_int_equal(stats_compute(&cells, ncells, m, n, period, cal), 0);
	calendar_free(cal);
	return (cells);
}

static void
assert_no_figures(const struct stats_cell *c)
{

	assert_int_equal(c->suppressed, 1);
	assert_int_equal(c->memos, 0);
	assert_int_equal(c->acknowledged, 0);
	assert_int_equal(c->ack_median, 0);
	assert_true(c->ack_on_time == 0);
	assert_int_equal(c->replied, 0);
	assert_int_equal(c->reply_median, 0);
	assert_true(c->reply_on_time == 0);
}

static void
test_period_names_parse(void **state)
{

	(void)state;
	assert_int_equal(stats_period_parse("month"), STATS_MONTH);
	assert_int_equal(stats_period_parse("quarter"), STATS_QUARTER);
	assert_int_equal(stats_period_parse("year"), STATS_YEAR);
	assert_int_equal(stats_period_parse("Month"), -1);
	assert_int_equal(stats_period_parse("week"), -1);
	assert_int_equal(stats_period_parse(""), -1);
	assert_int_equal(stats_period_parse(NULL), -1);
}

static void
test_four_authors_are_suppressed(void **state)
{
	struct stats_memo m[4];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < N(m); i++)
		m[i] = memo("policy", utc(2026, 11, 2 + (int)i, 12, 0, 0),
		    (unsigned int)i + 1);
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].topic, "");
	assert_string_equal(c[1].topic, "policy");
	assert_int_equal(c[0].suppressed, 1);
	assert_int_equal(c[1].suppressed, 1);
	free(c);
}

static void
test_five_authors_are_published(void **state)
{
	struct stats_memo m[5];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < N(m); i++)
		m[i] = memo("policy", utc(2026, 11, 2 + (int)i, 12, 0, 0),
		    (unsigned int)i + 1);
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].suppressed, 0);
	assert_int_equal(c[0].memos, 5);
	assert_int_equal(c[1].suppressed, 0);
	assert_int_equal(c[1].memos, 5);
	free(c);
}

static void
test_suppressed_cell_carries_no_figures(void **state)
{
	struct stats_memo m[4];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < N(m); i++) {
		m[i] = memo("policy", utc(2026, 11, 2 + (int)i, 12, 0, 0),
		    (unsigned int)i + 1);
		m[i].acked_at = m[i].submitted_at + HOUR;
		m[i].replied_at = m[i].submitted_at + 10 * HOUR;
	}
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].period, "2026-11");
	assert_no_figures(&c[0]);
	assert_no_figures(&c[1]);
	free(c);
}

static void
test_authors_are_counted_once_across_memos(void **state)
{
	struct stats_memo m[12];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	/* Twelve memos from four people. */
	for (i = 0; i < N(m); i++)
		m[i] = memo("policy", utc(2026, 11, 2 + (int)i, 12, 0, 0),
		    (unsigned int)(i % 4) + 1);
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(c[0].suppressed, 1);
	free(c);
}

static void
test_co_drafters_count_as_authors(void **state)
{
	struct stats_memo m[2];
	struct stats_cell *c;
	size_t n;

	(void)state;
	/* Two memos, three drafters each, five people in all. */
	m[0] = memo("policy", utc(2026, 11, 2, 12, 0, 0), 1);
	m[1] = memo("policy", utc(2026, 11, 3, 12, 0, 0), 3);
	m[0].authors[1][0] = 2;
	m[0].authors[2][0] = 3;
	m[0].nauthors = 3;
	m[1].authors[1][0] = 4;
	m[1].authors[2][0] = 5;
	m[1].nauthors = 3;
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(c[0].suppressed, 0);
	assert_int_equal(c[0].memos, 2);
	free(c);

	/* Hashes differing in their last byte only are different people. */
	m[1].authors[2][0] = 1;
	m[1].authors[2][31] = 1;
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(c[0].suppressed, 0);
	free(c);
	m[1].authors[2][31] = 0;
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(c[0].suppressed, 1);
	free(c);
}

static void
test_odd_count_median_is_the_middle_value(void **state)
{
	static const int64_t ack[] = {5, 1, 3, 9, 7};
	struct stats_memo m[5];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < N(m); i++) {
		m[i] = memo(
		    "policy", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
		m[i].acked_at = m[i].submitted_at + ack[i] * HOUR;
	}
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(c[0].acknowledged, 5);
	assert_int_equal(c[0].ack_median, 5 * HOUR);
	free(c);
}

static void
test_even_count_median_is_the_lower_middle_value(void **state)
{
	static const int64_t ack[] = {8, 2, 6, 4};
	struct stats_memo m[6];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < N(m); i++)
		m[i] = memo(
		    "policy", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
	for (i = 0; i < N(ack); i++)
		m[i].acked_at = m[i].submitted_at + ack[i] * HOUR;
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(c[0].memos, 6);
	assert_int_equal(c[0].acknowledged, 4);
	assert_int_equal(c[0].ack_median, 4 * HOUR);
	free(c);
}

static void
test_shares_on_time_count_the_due_second_as_on_time(void **state)
{
	struct stats_memo m[5];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < N(m); i++)
		m[i] = memo(
		    "policy", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
	/* Acknowledged: two on time (one at the due second), two late. */
	m[0].acked_at = m[0].ack_due;
	m[1].acked_at = m[1].submitted_at + HOUR;
	m[2].acked_at = m[2].ack_due + 1;
	m[3].acked_at = m[3].ack_due + 1000;
	/* Replied: one on time, one late. */
	m[0].replied_at = m[0].reply_due;
	m[1].replied_at = m[1].reply_due + 1;
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(c[0].acknowledged, 4);
	assert_true(c[0].ack_on_time == 0.5);
	assert_int_equal(c[0].replied, 2);
	assert_true(c[0].reply_on_time == 0.5);
	assert_int_equal(c[0].reply_median, m[0].reply_due - m[0].submitted_at);
	free(c);
}

static void
test_cell_without_acknowledgements_has_no_times(void **state)
{
	struct stats_memo m[5];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < N(m); i++)
		m[i] = memo(
		    "policy", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(c[0].suppressed, 0);
	assert_int_equal(c[0].acknowledged, 0);
	assert_int_equal(c[0].ack_median, -1);
	assert_true(c[0].ack_on_time == -1);
	assert_int_equal(c[0].replied, 0);
	assert_int_equal(c[0].reply_median, -1);
	assert_true(c[0].reply_on_time == -1);
	free(c);
}

static void
test_cells_are_ordered_by_period_then_topic(void **state)
{
	static const char *topics[] = {"trade", "aid", "policy"};
	static const struct {
		const char *period, *topic;
		size_t memos;
	} want[] = {
	    {"2026-10", "", 15},
	    {"2026-10", "aid", 5},
	    {"2026-10", "policy", 5},
	    {"2026-10", "trade", 5},
	    {"2026-11", "", 5},
	    {"2026-11", "trade", 5},
	};
	struct stats_memo m[20];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	/* Given newest first: five November memos, then October's. */
	for (i = 0; i < 5; i++)
		m[i] = memo(
		    "trade", utc(2026, 11, 1, 0, 0, 0), (unsigned int)i + 1);
	for (i = 5; i < N(m); i++)
		m[i] = memo(topics[i % 3], utc(2026, 10, 31, 23, 59, 59),
		    (unsigned int)i / 3 + 1);
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(n, N(want));
	for (i = 0; i < n; i++) {
		assert_string_equal(c[i].period, want[i].period);
		assert_string_equal(c[i].topic, want[i].topic);
		assert_int_equal(c[i].suppressed, 0);
		assert_int_equal(c[i].memos, want[i].memos);
	}
	free(c);
}

static void
test_periods_are_named_by_month_quarter_and_year(void **state)
{
	struct stats_memo m[10];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < 5; i++)
		m[i] = memo(
		    "policy", utc(2026, 9, 30, 12, 0, 0), (unsigned int)i + 1);
	for (i = 5; i < N(m); i++)
		m[i] = memo(
		    "policy", utc(2026, 12, 31, 12, 0, 0), (unsigned int)i + 1);

	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(n, 4);
	assert_string_equal(c[0].period, "2026-09");
	assert_string_equal(c[2].period, "2026-12");
	free(c);

	c = compute(m, N(m), STATS_QUARTER, &n);
	assert_int_equal(n, 4);
	assert_string_equal(c[0].period, "2026-Q3");
	assert_string_equal(c[2].period, "2026-Q4");
	free(c);

	c = compute(m, N(m), STATS_YEAR, &n);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].period, "2026");
	assert_int_equal(c[0].memos, 10);
	free(c);
}

static void
test_periods_follow_the_local_date(void **state)
{
	struct stats_memo m[5];
	struct stats_cell *c;
	struct calendar *cal;
	size_t i, n;

	(void)state;
	/* 03:00 UTC on February 1 is still January 31 in New York. */
	for (i = 0; i < N(m); i++)
		m[i] = memo(
		    "policy", utc(2026, 2, 1, 3, 0, 0), (unsigned int)i + 1);
	assert_non_null(cal = calendar_new("America/New_York", NULL, 0));
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, cal), 0);
	assert_string_equal(c[0].period, "2026-01");
	free(c);
	calendar_free(cal);
}

static void
test_lone_suppressed_topic_hides_the_smallest_other(void **state)
{
	struct stats_memo m[22];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	/* aid: 3 authors; policy: 6 memos by 5; trade: 13 by 13. */
	for (i = 0; i < 3; i++)
		m[i] = memo(
		    "aid", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
	for (i = 3; i < 9; i++)
		m[i] = memo("policy", utc(2026, 11, 2, 12, 0, 0),
		    (unsigned int)(i % 5) + 10);
	for (i = 9; i < N(m); i++)
		m[i] = memo(
		    "trade", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 100);
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(n, 4);
	assert_int_equal(c[0].suppressed, 0);
	assert_int_equal(c[0].memos, 22);
	assert_string_equal(c[1].topic, "aid");
	assert_no_figures(&c[1]);
	/* Otherwise total - trade would give aid's figures away. */
	assert_string_equal(c[2].topic, "policy");
	assert_no_figures(&c[2]);
	assert_string_equal(c[3].topic, "trade");
	assert_int_equal(c[3].suppressed, 0);
	assert_int_equal(c[3].memos, 13);
	free(c);
}

static void
test_two_suppressed_topics_hide_nothing_more(void **state)
{
	struct stats_memo m[12];
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	/* aid and policy: 3 authors each; trade: 6. */
	for (i = 0; i < 3; i++)
		m[i] = memo(
		    "aid", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
	for (i = 3; i < 6; i++)
		m[i] = memo(
		    "policy", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
	for (i = 6; i < N(m); i++)
		m[i] = memo(
		    "trade", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
	c = compute(m, N(m), STATS_MONTH, &n);
	assert_int_equal(n, 4);
	assert_int_equal(c[0].suppressed, 0);
	assert_int_equal(c[1].suppressed, 1);
	assert_int_equal(c[2].suppressed, 1);
	assert_int_equal(c[3].suppressed, 0);
	assert_int_equal(c[3].memos, 6);
	free(c);
}

static void
test_no_memos_give_no_cells(void **state)
{
	struct stats_cell *c = (struct stats_cell *)1;
	struct calendar *cal = utc_calendar();
	size_t n = 7;

	(void)state;
	assert_int_equal(stats_compute(&c, &n, NULL, 0, STATS_YEAR, cal), 0);
	assert_null(c);
	assert_int_equal(n, 0);
	calendar_free(cal);
}

static void
test_compute_refuses_malformed_memos(void **state)
{
	struct stats_memo m[5];
	struct calendar *cal = utc_calendar();
	struct stats_cell *c;
	size_t i, n;

	(void)state;
	for (i = 0; i < N(m); i++)
		m[i] = memo(
		    "policy", utc(2026, 11, 2, 12, 0, 0), (unsigned int)i + 1);
	m[2].topic[0] = '\0';
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, cal), -1);
	memset(m[2].topic, 'a', sizeof(m[2].topic));
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, cal), -1);
	m[2] = memo("policy", utc(2026, 11, 2, 12, 0, 0), 3);
	m[2].nauthors = STATS_AUTHORS_MAX + 1;
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, cal), -1);
	m[2].nauthors = 1;
	m[2].acked_at = m[2].submitted_at - 1;
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, cal), -1);
	m[2].acked_at = 0;
	m[2].replied_at = m[2].submitted_at - 1;
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, cal), -1);
	m[2].replied_at = 0;
	m[2].submitted_at = INT64_MAX;
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, cal), -1);
	m[2].submitted_at = utc(2026, 11, 2, 12, 0, 0);
	assert_int_equal(
	    stats_compute(&c, &n, m, N(m), (enum stats_period)3, cal), -1);
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, NULL), -1);
	assert_int_equal(stats_compute(&c, &n, NULL, 1, STATS_MONTH, cal), -1);
	/* Repaired, the same memos compute. */
	assert_int_equal(stats_compute(&c, &n, m, N(m), STATS_MONTH, cal), 0);
	free(c);
	calendar_free(cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_period_names_parse),
	    cmocka_unit_test(test_four_authors_are_suppressed),
	    cmocka_unit_test(test_five_authors_are_published),
	    cmocka_unit_test(test_suppressed_cell_carries_no_figures),
	    cmocka_unit_test(test_authors_are_counted_once_across_memos),
	    cmocka_unit_test(test_co_drafters_count_as_authors),
	    cmocka_unit_test(test_odd_count_median_is_the_middle_value),
	    cmocka_unit_test(test_even_count_median_is_the_lower_middle_value),
	    cmocka_unit_test(
		test_shares_on_time_count_the_due_second_as_on_time),
	    cmocka_unit_test(test_cell_without_acknowledgements_has_no_times),
	    cmocka_unit_test(test_cells_are_ordered_by_period_then_topic),
	    cmocka_unit_test(test_periods_are_named_by_month_quarter_and_year),
	    cmocka_unit_test(test_periods_follow_the_local_date),
	    cmocka_unit_test(
		test_lone_suppressed_topic_hides_the_smallest_other),
	    cmocka_unit_test(test_two_suppressed_topics_hide_nothing_more),
	    cmocka_unit_test(test_no_memos_give_no_cells),
	    cmocka_unit_test(test_compute_refuses_malformed_memos),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
