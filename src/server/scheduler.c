#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "directory.h"
#include "event.h"
#include "lifecycle.h"
#include "log.h"
#include "notify.h"
#include "scheduler.h"

struct scheduler {
	struct store *store;
	struct chanlog *log;
	unsigned int interval_ms;
	int64_t (*now_fn)(void);
	pthread_t thread;
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	int stop;
};

/* The deadlines a pass looks at, in the order their events are logged. */
static const struct {
	unsigned int bit;
	int kind;
} kinds[] = {
    {STORE_MISSED_ACK, DEADLINE_ACK},
    {STORE_MISSED_REPLY, DEADLINE_REPLY},
    {STORE_MISSED_ESCALATION, DEADLINE_ESCALATION},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The states in which a memo may owe something to a deadline. */
static const int watched_states[] = {MEMO_STATE_SUBMITTED,
    MEMO_STATE_ACKNOWLEDGED, MEMO_STATE_REDIRECTED, MEMO_STATE_ASSIGNED,
    MEMO_STATE_REPLIED};

/* Directors and coordinators, found once per pass when first needed. */
struct recipients {
	struct store_member *ms;
	size_t n;
	int loaded; /* 0: not yet, 1: loaded, -1: failed (reported) */
};

/* Return the due time of deadline ${kind} of ${m}. */
static int64_t
due_of(const struct store_memo *m, int kind)
{

	switch (kind) {
	case DEADLINE_ACK:
		return (m->ack_due);
	case DEADLINE_REPLY:
		return (m->reply_due);
	default:
		return (m->escalate_at);
	}
}

/*
 * Return the STORE_MISSED_* bits of the deadlines of ${m} that are missed
 * at ${now} and not yet marked.
 */
static unsigned int
newly_missed(const struct store_memo *m, int64_t now)
{
	struct deadline_dues d;
	unsigned int bits = 0;
	int64_t done_at;
	size_t i;
	int replying;

	d.ack_due = m->ack_due;
	d.reply_due = m->reply_due;
	d.escalate_at = m->escalate_at;
	/* Reply deadlines run once the channel has taken the memo on. */
	replying = m->state == MEMO_STATE_ACKNOWLEDGED ||
		   m->state == MEMO_STATE_ASSIGNED ||
		   m->state == MEMO_STATE_REPLIED;
	for (i = 0; i < NKINDS; i++) {
		if ((m->missed & kinds[i].bit) || due_of(m, kinds[i].kind) <= 0)
			continue;
		if (kinds[i].kind == DEADLINE_ACK) {
			if (m->state != MEMO_STATE_SUBMITTED &&
			    m->acked_at == 0)
				continue;
			done_at = m->acked_at;
		} else {
			if (!replying)
				continue;
			done_at = m->replied_at;
		}
		if (deadline_missed(&d, kinds[i].kind, done_at, now))
			bits |= kinds[i].bit;
	}
	return (bits);
}

/* Load the active directors and coordinators into ${r} once. */
static int
recipients_load(struct store *s, struct recipients *r)
{
	int rc;

	if (r->loaded != 0)
		return (r->loaded > 0 ? 0 : -1);
	if ((rc = store_member_list_role(s, ROLE_DIRECTOR | ROLE_COORDINATOR,
		 &r->ms, &r->n)) != STORE_OK) {
		if (rc == STORE_CONFLICT)
			log_msg(LOG_ERROR,
			    "scheduler: more directors and coordinators than "
			    "escalations can be sent to");
		r->loaded = -1;
		return (-1);
	}
	r->loaded = 1;
	return (0);
}

/*
 * In one transaction, mark the deadlines of memo ${id} missed at ${now}
 * (re-read inside it), log them and queue the escalations.  Store the
 * number marked in ${nmarked}.  Return 0, or -1.
 */
static int
mark_memo(struct store *s, struct chanlog *log, const char *id, int64_t now,
    const struct recipients *r, size_t *nmarked)
{
	struct store_memo m;
	struct event ev;
	unsigned int bits;
	uint64_t index;
	size_t i, n = 0;

	*nmarked = 0;
	if (store_begin(s) != STORE_OK)
		goto err0;
	if (store_memo_get(s, id, &m) != STORE_OK)
		goto err1;
	if ((bits = newly_missed(&m, now)) == 0) {
		/* Marked meanwhile, or the memo moved on. */
		store_rollback(s);
		return (0);
	}
	for (i = 0; i < NKINDS; i++) {
		if (!(bits & kinds[i].bit))
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.version = EVENT_FORMAT_VERSION;
		ev.type = EVENT_DEADLINE_MISSED;
		ev.time = now > 0 ? (uint64_t)now : 0;
		memcpy(ev.memo_id, m.id, sizeof(ev.memo_id));
		ev.kind = (uint8_t)kinds[i].kind;
		ev.at = (uint64_t)due_of(&m, kinds[i].kind);
		if (chanlog_append(log, &ev, &index) != CHANLOG_OK)
			goto err1;
		m.missed |= kinds[i].bit;
		n++;
	}
	if (store_memo_update(s, &m) != STORE_OK)
		goto err1;
	for (i = 0; i < r->n; i++)
		if (notify_queue(s, r->ms[i].id, NOTIFY_ESCALATION, now) != 0)
			goto err1;
	if (store_commit(s) != STORE_OK)
		goto err1;
	*nmarked = n;
	return (0);

err1:
	store_rollback(s);
err0:
	return (-1);
}

/* One pass of scheduler_run_once(). */
struct pass {
	struct store *s;
	struct chanlog *log;
	int64_t now;
	struct recipients r;
	size_t total;  /* deadlines marked */
	size_t failed; /* memos that could not be handled */
};

/* The store_memo_each_state() callback: mark ${m}'s missed deadlines. */
static int
pass_memo(void *cookie, const struct store_memo *m)
{
	struct pass *p = cookie;
	size_t marked;

	if (newly_missed(m, p->now) == 0)
		return (0);
	if (recipients_load(p->s, &p->r) != 0 ||
	    mark_memo(p->s, p->log, m->id, p->now, &p->r, &marked) != 0) {
		/* Left for the next pass; go on with the others. */
		p->failed++;
		return (0);
	}
	p->total += marked;
	return (0);
}

/**
 * scheduler_run_once(s, log, now, nmarked):
 * Mark every deadline missed at ${now} in store ${s}, appending the events
 * to ${log}.  Store the number of deadlines marked in ${nmarked} (may be
 * NULL).  A memo whose transaction fails is left for the next pass.
 * Return 0, or -1 if any memo could not be handled (reported).
 */
int
scheduler_run_once(
    struct store *s, struct chanlog *log, int64_t now, size_t *nmarked)
{
	struct pass p;
	int rc;

	if (nmarked != NULL)
		*nmarked = 0;
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.log = log;
	p.now = now;
	/* Every watched memo, a page at a time: none is left out. */
	rc = store_memo_each_state(s, watched_states,
	    sizeof(watched_states) / sizeof(watched_states[0]), pass_memo, &p);
	free(p.r.ms);
	if (rc != STORE_OK)
		log_msg(LOG_ERROR, "scheduler: cannot list memos");
	if (p.total > 0) {
		struct log_field f[1] = {LOG_INT("count", (int64_t)p.total)};

		log_fields(LOG_INFO, "deadlines missed", f, 1);
	}
	if (nmarked != NULL)
		*nmarked = p.total;
	if (p.failed > 0) {
		struct log_field f[1] = {LOG_INT("memos", (int64_t)p.failed)};

		log_fields(LOG_ERROR, "scheduler: cannot mark deadlines", f, 1);
		return (-1);
	}
	return (rc == STORE_OK ? 0 : -1);
}

/* The thread: a pass now, then one every interval until stopped. */
static void *
run(void *cookie)
{
	struct scheduler *sc = cookie;
	struct timespec until;
	int rc;

	pthread_mutex_lock(&sc->mtx);
	while (!sc->stop) {
		pthread_mutex_unlock(&sc->mtx);
		/* A failed pass is reported; the next one tries again. */
		rc = scheduler_run_once(sc->store, sc->log, sc->now_fn(), NULL);
		(void)rc;
		pthread_mutex_lock(&sc->mtx);
		(void)clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)(sc->interval_ms / 1000);
		until.tv_nsec += (long)(sc->interval_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!sc->stop && pthread_cond_timedwait(&sc->cond, &sc->mtx,
					&until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&sc->mtx);
	return (NULL);
}

/**
 * scheduler_start(sc, s, log, interval_ms, now_fn):
 * Start the thread that runs scheduler_run_once() at once and then every
 * ${interval_ms} milliseconds with the time ${now_fn}().  Return 0 and the
 * handle in ${sc}, or -1.
 */
int
scheduler_start(struct scheduler **scp, struct store *s, struct chanlog *log,
    unsigned int interval_ms, int64_t (*now_fn)(void))
{
	struct scheduler *sc;
	pthread_condattr_t ca;

	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		goto err0;
	sc->store = s;
	sc->log = log;
	sc->interval_ms = interval_ms > 0 ? interval_ms : 1;
	sc->now_fn = now_fn;
	if (pthread_mutex_init(&sc->mtx, NULL) != 0)
		goto err1;
	if (pthread_condattr_init(&ca) != 0)
		goto err2;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&sc->cond, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		goto err2;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_create(&sc->thread, NULL, run, sc) != 0)
		goto err3;
	*scp = sc;
	return (0);

err3:
	pthread_cond_destroy(&sc->cond);
err2:
	pthread_mutex_destroy(&sc->mtx);
err1:
	free(sc);
err0:
	log_msg(LOG_ERROR, "cannot start the deadline scheduler");
	return (-1);
}

/**
 * scheduler_stop(sc):
 * Stop the thread (a pass under way finishes first) and free ${sc}.  NULL
 * is a no-op.
 */
void
scheduler_stop(struct scheduler *sc)
{

	if (sc == NULL)
		return;
	pthread_mutex_lock(&sc->mtx);
	sc->stop = 1;
	pthread_cond_signal(&sc->cond);
	pthread_mutex_unlock(&sc->mtx);
	pthread_join(sc->thread, NULL);
	pthread_cond_destroy(&sc->cond);
	pthread_mutex_destroy(&sc->mtx);
	free(sc);
}
