#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "memo.h"
#include "stats.h"

/* A memo with the period it falls in. */
struct entry {
	char period[sizeof(((struct stats_cell *)0)->period)];
	const struct stats_memo *m;
};

static const char *period_names[] = {
    [STATS_MONTH] = "month",
    [STATS_QUARTER] = "quarter",
    [STATS_YEAR] = "year",
};
#define NPERIODS (sizeof(period_names) / sizeof(period_names[0]))

/**
 * stats_period_parse(name):
 * Return the period named ${name} ("month", "quarter", "year"), or -1.
 */
int
stats_period_parse(const char *name)
{
	size_t i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < NPERIODS; i++) {
		if (strcmp(name, period_names[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

/* Return 1 if ${m} is a well-formed memo record, else 0. */
static int
memo_ok(const struct stats_memo *m)
{
	size_t len;

	len = strnlen(m->topic, sizeof(m->topic));
	if (len == 0 || len == sizeof(m->topic))
		return (0);
	if (m->nauthors > STATS_AUTHORS_MAX || m->submitted_at < 0)
		return (0);
	if (m->acked_at != 0 && m->acked_at < m->submitted_at)
		return (0);
	if (m->replied_at != 0 && m->replied_at < m->submitted_at)
		return (0);
	return (1);
}

/* Write the name of the ${period} holding ${t} in ${cal} to ${e}. */
static int
entry_period(struct entry *e, int64_t t, enum stats_period period,
    const struct calendar *cal)
{
	struct calendar_date d;
	int len;

	if (calendar_local_date(cal, t, &d))
		return (-1);
	switch (period) {
	case STATS_MONTH:
		len = snprintf(
		    e->period, sizeof(e->period), "%04d-%02d", d.year, d.month);
		break;
	case STATS_QUARTER:
		len = snprintf(e->period, sizeof(e->period), "%04d-Q%d", d.year,
		    (d.month - 1) / 3 + 1);
		break;
	case STATS_YEAR:
		len = snprintf(e->period, sizeof(e->period), "%04d", d.year);
		break;
	default:
		return (-1);
	}
	if (len < 0 || (size_t)len >= sizeof(e->period))
		return (-1);
	return (0);
}

/* Order entries by period, then topic. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if ((c = strcmp(x->period, y->period)) != 0)
		return (c);
	return (strcmp(x->m->topic, y->m->topic));
}

static int
int64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return ((x > y) - (x < y));
}

/*
 * The median of the ${n} values ${v} (sorted in place): for an even count
 * the lower of the two middle values, so the figure is always a time that
 * was actually observed.  -1 if ${n} is 0.
 */
static int64_t
median(int64_t *v, size_t n)
{

	if (n == 0)
		return (-1);
	qsort(v, n, sizeof(v[0]), int64_cmp);
	return (v[(n - 1) / 2]);
}

/* Return 1 if the memos ${e}[0..${n}) have STATS_MIN_AUTHORS authors. */
static int
enough_authors(const struct entry *e, size_t n)
{
	const uint8_t *seen[STATS_MIN_AUTHORS];
	size_t nseen = 0, i, j, k;

	for (i = 0; i < n; i++) {
		for (j = 0; j < e[i].m->nauthors; j++) {
			for (k = 0; k < nseen; k++) {
				if (memcmp(seen[k], e[i].m->authors[j], 32) ==
				    0)
					break;
			}
			if (k < nseen)
				continue;
			seen[nseen++] = e[i].m->authors[j];
			if (nseen == STATS_MIN_AUTHORS)
				return (1);
		}
	}
	return (0);
}

/* Withhold the figures of ${c}. */
static void
suppress(struct stats_cell *c)
{

	c->suppressed = 1;
	c->memos = 0;
	c->acknowledged = 0;
	c->ack_median = 0;
	c->ack_on_time = 0;
	c->replied = 0;
	c->reply_median = 0;
	c->reply_on_time = 0;
}

/*
 * Fill ${c} with the figures of the memos ${e}[0..${n}) (n >= 1) in the
 * period ${period} and ${topic}, using ${scratch} (room for n values).
 */
static void
cell_fill(struct stats_cell *c, const char *period, const char *topic,
    const struct entry *e, size_t n, int64_t *scratch)
{
	size_t i, k, ontime;

	memset(c, 0, sizeof(*c));
	memcpy(c->period, period, strlen(period) + 1);
	memcpy(c->topic, topic, strlen(topic) + 1);
	if (!enough_authors(e, n)) {
		suppress(c);
		return;
	}
	c->memos = n;

	/* Acknowledgement: time from submission, share by the due time. */
	for (i = k = ontime = 0; i < n; i++) {
		if (e[i].m->acked_at == 0)
			continue;
		scratch[k++] = e[i].m->acked_at - e[i].m->submitted_at;
		ontime += (e[i].m->acked_at <= e[i].m->ack_due);
	}
	c->acknowledged = k;
	c->ack_median = median(scratch, k);
	c->ack_on_time = k > 0 ? (double)ontime / (double)k : -1;

	/* Reply: likewise. */
	for (i = k = ontime = 0; i < n; i++) {
		if (e[i].m->replied_at == 0)
			continue;
		scratch[k++] = e[i].m->replied_at - e[i].m->submitted_at;
		ontime += (e[i].m->replied_at <= e[i].m->reply_due);
	}
	c->replied = k;
	c->reply_median = median(scratch, k);
	c->reply_on_time = k > 0 ? (double)ontime / (double)k : -1;
}

/*
 * Complementary suppression in the period whose all-topics cell is ${c}[0]
 * and topic cells ${c}[1..${n}): if the total is published and exactly one
 * topic cell is withheld, the total minus the others would give it away, so
 * also withhold the published topic cell with the fewest memos.
 */
static void
suppress_complement(struct stats_cell *c, size_t n)
{
	size_t i, nsup = 0, pick = 0;

	if (c[0].suppressed)
		return;
	for (i = 1; i < n; i++) {
		if (c[i].suppressed)
			nsup++;
		else if (pick == 0 || c[i].memos < c[pick].memos)
			pick = i;
	}
	if (nsup == 1 && pick != 0)
		suppress(&c[pick]);
}

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
int
stats_compute(struct stats_cell **cells, size_t *ncells,
    const struct stats_memo *memos, size_t n, enum stats_period period,
    const struct calendar *cal)
{
	struct stats_cell *out;
	struct entry *e;
	int64_t *scratch;
	size_t i, j, k, l, nout, first;

	if (cells == NULL || ncells == NULL || cal == NULL ||
	    (n > 0 && memos == NULL) || (size_t)period >= NPERIODS)
		goto err0;
	if (n == 0) {
		*cells = NULL;
		*ncells = 0;
		return (0);
	}
	/* At most two cells per memo. */
	if (n > SIZE_MAX / 2 / sizeof(struct stats_cell))
		goto err0;

	if ((e = malloc(n * sizeof(e[0]))) == NULL)
		goto err0;
	if ((scratch = malloc(n * sizeof(scratch[0]))) == NULL)
		goto err1;
	if ((out = malloc(2 * n * sizeof(out[0]))) == NULL)
		goto err2;
	for (i = 0; i < n; i++) {
		if (!memo_ok(&memos[i]))
			goto err3;
		e[i].m = &memos[i];
		if (entry_period(&e[i], memos[i].submitted_at, period, cal))
			goto err3;
	}
	qsort(e, n, sizeof(e[0]), entry_cmp);

	nout = 0;
	for (i = 0; i < n; i = j) {
		/* The period [i, j): its total, then each topic [k, l). */
		j = i + 1;
		while (j < n && strcmp(e[j].period, e[i].period) == 0)
			j++;
		first = nout;
		cell_fill(&out[nout++], e[i].period, "", &e[i], j - i, scratch);
		for (k = i; k < j; k = l) {
			l = k + 1;
			while (
			    l < j && strcmp(e[l].m->topic, e[k].m->topic) == 0)
				l++;
			cell_fill(&out[nout++], e[k].period, e[k].m->topic,
			    &e[k], l - k, scratch);
		}
		suppress_complement(&out[first], nout - first);
	}

	free(scratch);
	free(e);
	*cells = out;
	*ncells = nout;

	/* Success! */
	return (0);

err3:
	free(out);
err2:
	free(scratch);
err1:
	free(e);
err0:
	/* Failure! */
	return (-1);
}
