/*
 * The deadline scheduler (src/server/scheduler.c): a pass marks each
 * missed deadline once, in the memo, in the channel log and with an
 * escalation to every active director and coordinator; deadlines that are
 * not due, kept, or not owed in the memo's state are left alone; and the
 * thread runs a pass as soon as it starts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "access.h"
#include "chanlog.h"
#include "deadline.h"
#include "event.h"
#include "lifecycle.h"
#include "notify.h"
#include "scheduler.h"
#include "store.h"

#define NOW 1764400000
#define INSTANCE "0123456789abcdef0123456789abcdef"

struct fx {
	char dir[512];
	char path[600];
	struct store *s;
	struct chanlog *cl;
	uint8_t pk[32];
	uint8_t sk[64];
	struct store_member drafter, director, coordinator, member, pending;
};

static void
quiet(void *ctx, const char *msg)
{

	(void)ctx;
	(void)msg;
}

/* Insert member ${handle} with ${roles}, activated unless ${pending}. */
static void
add_member(struct fx *f, struct store_member *m, const char *handle,
    unsigned int roles, int pending)
{
	struct keys_public k;
	struct store_custody c;

	memset(m, 0, sizeof(*m));
	directory_member_id_new(m->id);
	(void)snprintf(m->handle, sizeof(m->handle), "%s", handle);
	(void)snprintf(
	    m->display_name, sizeof(m->display_name), "N %s", handle);
	(void)snprintf(m->org_id, sizeof(m->org_id), "state");
	m->roles = roles;
	m->eligible = 1;
	m->status = STORE_MEMBER_PENDING;
	m->created_at = NOW;
	assert_int_equal(store_member_insert(f->s, m), STORE_OK);
	if (pending)
		return;
	randombytes_buf(&k, sizeof(k));
	memset(&c, 0, sizeof(c));
	randombytes_buf(c.kdf.salt, sizeof(c.kdf.salt));
	c.kdf.opslimit = 3;
	c.kdf.memlimit = 64ULL * 1024 * 1024;
	randombytes_buf(c.verifier, sizeof(c.verifier));
	randombytes_buf(c.wrapped_seed, sizeof(c.wrapped_seed));
	randombytes_buf(c.recovery_verifier, sizeof(c.recovery_verifier));
	randombytes_buf(
	    c.recovery_wrapped_seed, sizeof(c.recovery_wrapped_seed));
	assert_int_equal(
	    store_member_activate(f->s, m->id, &k, &c, NOW), STORE_OK);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct store_org org;
	char err[256];
	struct fx *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_srv_scheduler.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		return (-1);
	(void)snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	store_set_log(quiet, NULL);
	crypto_sign_keypair(f->pk, f->sk);
	if (store_open(&f->s, f->path, NOW) != 0 ||
	    chanlog_open(&f->cl, f->s, INSTANCE, f->sk, err, sizeof(err)) != 0)
		return (-1);
	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "state");
	(void)snprintf(org.name, sizeof(org.name), "State");
	org.created_at = NOW;
	assert_int_equal(store_org_insert(f->s, &org), STORE_OK);
	add_member(f, &f->drafter, "drafter", ROLE_MEMBER, 0);
	add_member(f, &f->director, "director", ROLE_MEMBER | ROLE_DIRECTOR, 0);
	add_member(
	    f, &f->coordinator, "coord", ROLE_MEMBER | ROLE_COORDINATOR, 0);
	add_member(f, &f->member, "member", ROLE_MEMBER, 0);
	add_member(f, &f->pending, "newdir", ROLE_MEMBER | ROLE_DIRECTOR, 1);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[700];

	chanlog_free(f->cl);
	store_free(f->s);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	free(f);
	store_set_log(NULL, NULL);
	return (system(cmd) == 0 ? 0 : -1);
}

/*
 * Insert a memo in ${state} submitted at NOW with the due times
 * ACK ${ack_due}, reply NOW+1000, escalation NOW+2000, and the given
 * action times; its id's first hex digit is ${lead} unless that is 0.
 */
static void
add_memo_due(struct fx *f, struct store_memo *m, int state, int64_t acked_at,
    int64_t replied_at, int64_t ack_due, char lead)
{
	struct store_memo_version v;
	uint8_t box[64];

	memset(m, 0, sizeof(*m));
	memo_id_new(m->id);
	if (lead != 0)
		m->id[2] = lead;
	m->state = state;
	(void)snprintf(m->topic, sizeof(m->topic), "policy");
	(void)snprintf(m->marking, sizeof(m->marking), "SBU");
	(void)snprintf(m->org_id, sizeof(m->org_id), "state");
	(void)snprintf(
	    m->eligible_orgs[0], sizeof(m->eligible_orgs[0]), "state");
	m->neligible_orgs = 1;
	m->version = 1;
	randombytes_buf(m->version_hash, sizeof(m->version_hash));
	m->created_at = NOW - 10;
	if (state != MEMO_STATE_DRAFT && state != MEMO_STATE_OPEN) {
		m->flags = ACCESS_MEMO_SUBMITTED;
		m->submitted_at = NOW;
		m->ack_due = ack_due;
		m->reply_due = NOW + 1000;
		m->escalate_at = NOW + 2000;
	}
	m->acked_at = acked_at;
	m->replied_at = replied_at;
	m->authors = 1;
	memset(&v, 0, sizeof(v));
	v.version = 1;
	memcpy(v.hash, m->version_hash, sizeof(v.hash));
	memcpy(v.author, f->drafter.id, sizeof(v.author));
	v.created_at = NOW - 10;
	randombytes_buf(box, sizeof(box));
	v.box = box;
	v.boxlen = sizeof(box);
	assert_int_equal(
	    store_memo_insert(f->s, m, &v, f->drafter.id), STORE_OK);
}

/* add_memo_due() with the acknowledgement due at NOW + 100. */
static void
add_memo(struct fx *f, struct store_memo *m, int state, int64_t acked_at,
    int64_t replied_at)
{

	add_memo_due(f, m, state, acked_at, replied_at, NOW + 100, 0);
}

static uint64_t
log_size(struct fx *f)
{
	uint64_t size;

	assert_int_equal(store_log_size(f->s, &size), STORE_OK);
	return (size);
}

/* Decode log entry ${index} into ${ev}. */
static void
log_event(struct fx *f, uint64_t index, struct event *ev)
{
	struct store_log_entry *e;
	size_t n;

	assert_int_equal(store_log_entries(f->s, index, 1, &e, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(event_decode(ev, e[0].event, e[0].len), 0);
	free(e);
}

/* Count the due notifications of ${recipient} (all kinds checked). */
static size_t
notifications_for(struct fx *f, const char *recipient)
{
	struct store_notification *nts;
	size_t n, i, count = 0;

	assert_int_equal(
	    store_notification_due(f->s, NOW + 1000000, 1000, &nts, &n),
	    STORE_OK);
	for (i = 0; i < n; i++) {
		if (strcmp(nts[i].recipient, recipient) != 0)
			continue;
		assert_int_equal(nts[i].kind, NOTIFY_ESCALATION);
		count++;
	}
	free(nts);
	return (count);
}

static unsigned int
missed_of(struct fx *f, const char *id)
{
	struct store_memo m;

	assert_int_equal(store_memo_get(f->s, id, &m), STORE_OK);
	return (m.missed);
}

static void
test_missed_acknowledgement_is_marked_logged_and_escalated(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct event ev;
	uint64_t size;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_SUBMITTED, 0, 0);
	size = log_size(f);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 101, &marked), 0);
	assert_int_equal(marked, 1);
	assert_int_equal(missed_of(f, m.id), STORE_MISSED_ACK);
	assert_int_equal(log_size(f), size + 1);
	log_event(f, size, &ev);
	assert_int_equal(ev.type, EVENT_DEADLINE_MISSED);
	assert_string_equal(ev.memo_id, m.id);
	assert_int_equal(ev.kind, DEADLINE_ACK);
	assert_int_equal(ev.at, NOW + 100);
	assert_int_equal(ev.time, NOW + 101);
	assert_int_equal(notifications_for(f, f->director.id), 1);
	assert_int_equal(notifications_for(f, f->coordinator.id), 1);
}

static void
test_escalation_reaches_no_plain_or_pending_member(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_SUBMITTED, 0, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 101, &marked), 0);
	assert_int_equal(marked, 1);
	assert_int_equal(notifications_for(f, f->member.id), 0);
	assert_int_equal(notifications_for(f, f->drafter.id), 0);
	assert_int_equal(notifications_for(f, f->pending.id), 0);
}

static void
test_nothing_is_marked_before_the_due_time(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	uint64_t size;
	size_t marked = 99;

	add_memo(f, &m, MEMO_STATE_SUBMITTED, 0, 0);
	size = log_size(f);
	assert_int_equal(scheduler_run_once(f->s, f->cl, NOW + 99, &marked), 0);
	assert_int_equal(marked, 0);
	assert_int_equal(missed_of(f, m.id), 0);
	assert_int_equal(log_size(f), size);
	assert_int_equal(notifications_for(f, f->director.id), 0);
}

static void
test_a_second_pass_neither_marks_nor_logs_again(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	uint64_t size;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_SUBMITTED, 0, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 101, &marked), 0);
	assert_int_equal(marked, 1);
	size = log_size(f);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 500, &marked), 0);
	assert_int_equal(marked, 0);
	assert_int_equal(log_size(f), size);
	assert_int_equal(notifications_for(f, f->director.id), 1);
	assert_int_equal(missed_of(f, m.id), STORE_MISSED_ACK);
}

static void
test_late_acknowledgement_is_marked_once(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct event ev;
	uint64_t size;
	size_t marked;

	/* Acknowledged at NOW+150, after the scheduler had no chance. */
	add_memo(f, &m, MEMO_STATE_ACKNOWLEDGED, NOW + 150, 0);
	size = log_size(f);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 200, &marked), 0);
	assert_int_equal(marked, 1);
	assert_int_equal(missed_of(f, m.id), STORE_MISSED_ACK);
	log_event(f, size, &ev);
	assert_int_equal(ev.kind, DEADLINE_ACK);
	assert_int_equal(ev.at, NOW + 100);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 300, &marked), 0);
	assert_int_equal(marked, 0);
}

static void
test_acknowledgement_on_time_is_not_marked(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_ACKNOWLEDGED, NOW + 50, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 500, &marked), 0);
	assert_int_equal(marked, 0);
	assert_int_equal(missed_of(f, m.id), 0);
}

static void
test_acknowledgement_is_not_marked_without_its_time_after_submission(
    void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	size_t marked;

	/* Only a submitted memo waits for acknowledgement. */
	add_memo(f, &m, MEMO_STATE_REDIRECTED, 0, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 500, &marked), 0);
	assert_int_equal(marked, 0);
	assert_int_equal(missed_of(f, m.id), 0);
}

static void
test_reply_and_escalation_are_marked_in_order_while_assigned(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct event ev;
	uint64_t size;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_ASSIGNED, NOW + 50, 0);
	size = log_size(f);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 2001, &marked), 0);
	assert_int_equal(marked, 2);
	assert_int_equal(
	    missed_of(f, m.id), STORE_MISSED_REPLY | STORE_MISSED_ESCALATION);
	log_event(f, size, &ev);
	assert_int_equal(ev.kind, DEADLINE_REPLY);
	assert_int_equal(ev.at, NOW + 1000);
	log_event(f, size + 1, &ev);
	assert_int_equal(ev.kind, DEADLINE_ESCALATION);
	assert_int_equal(ev.at, NOW + 2000);
	/* One escalation message per pass and memo, not per deadline. */
	assert_int_equal(notifications_for(f, f->director.id), 1);
}

static void
test_reply_then_escalation_in_separate_passes(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_ACKNOWLEDGED, NOW + 50, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 1001, &marked), 0);
	assert_int_equal(marked, 1);
	assert_int_equal(missed_of(f, m.id), STORE_MISSED_REPLY);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 2001, &marked), 0);
	assert_int_equal(marked, 1);
	assert_int_equal(
	    missed_of(f, m.id), STORE_MISSED_REPLY | STORE_MISSED_ESCALATION);
	assert_int_equal(notifications_for(f, f->director.id), 2);
}

static void
test_reply_on_time_marks_nothing(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_REPLIED, NOW + 50, NOW + 900);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 5000, &marked), 0);
	assert_int_equal(marked, 0);
	assert_int_equal(missed_of(f, m.id), 0);
}

static void
test_reply_deadlines_are_not_marked_while_submitted(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_SUBMITTED, 0, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 5000, &marked), 0);
	assert_int_equal(marked, 1);
	assert_int_equal(missed_of(f, m.id), STORE_MISSED_ACK);
}

static void
test_redirected_memo_owes_no_reply(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	size_t marked;

	add_memo(f, &m, MEMO_STATE_REDIRECTED, NOW + 50, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 5000, &marked), 0);
	assert_int_equal(marked, 0);
	assert_int_equal(missed_of(f, m.id), 0);
}

static void
test_closed_and_draft_memos_are_ignored(void **state)
{
	struct fx *f = *state;
	struct store_memo closed, draft;
	uint64_t size;
	size_t marked;

	add_memo(f, &closed, MEMO_STATE_CLOSED, 0, 0);
	add_memo(f, &draft, MEMO_STATE_DRAFT, 0, 0);
	size = log_size(f);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 5000, &marked), 0);
	assert_int_equal(marked, 0);
	assert_int_equal(log_size(f), size);
	assert_int_equal(missed_of(f, closed.id), 0);
	assert_int_equal(missed_of(f, draft.id), 0);
}

static void
test_several_memos_are_marked_in_one_pass(void **state)
{
	struct fx *f = *state;
	struct store_memo a, b, c;
	size_t marked;

	add_memo(f, &a, MEMO_STATE_SUBMITTED, 0, 0);
	add_memo(f, &b, MEMO_STATE_SUBMITTED, 0, 0);
	add_memo(f, &c, MEMO_STATE_ACKNOWLEDGED, NOW + 10, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 101, &marked), 0);
	assert_int_equal(marked, 2);
	assert_int_equal(missed_of(f, a.id), STORE_MISSED_ACK);
	assert_int_equal(missed_of(f, b.id), STORE_MISSED_ACK);
	assert_int_equal(missed_of(f, c.id), 0);
	assert_int_equal(notifications_for(f, f->coordinator.id), 2);
}

static void
test_memos_beyond_the_list_limit_are_all_watched(void **state)
{
	struct fx *f = *state;
	struct store_memo m, late[3];
	size_t marked, i;

	/*
	 * A full list's worth of memos answered on time, due before the
	 * late ones and with smaller ids: a pass that read only the first
	 * STORE_MEMO_LIST_MAX, by due date or by id, would never reach the
	 * late ones.
	 */
	assert_int_equal(store_begin(f->s), 0);
	for (i = 0; i < STORE_MEMO_LIST_MAX; i++)
		add_memo_due(f, &m, MEMO_STATE_REPLIED, NOW + 10, NOW + 20,
		    NOW + 50, '0');
	assert_int_equal(store_commit(f->s), 0);
	for (i = 0; i < 3; i++)
		add_memo_due(
		    f, &late[i], MEMO_STATE_SUBMITTED, 0, 0, NOW + 100, 'f');
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 101, &marked), 0);
	assert_int_equal(marked, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(missed_of(f, late[i].id), STORE_MISSED_ACK);
	assert_int_equal(missed_of(f, m.id), 0);
}

static void
test_too_many_escalation_recipients_leave_the_deadline_unmarked(void **state)
{
	struct fx *f = *state;
	struct store_member d;
	struct store_memo m;
	char handle[32];
	uint64_t size;
	size_t marked, i;

	/* With the fixture's director and coordinator: one too many. */
	assert_int_equal(store_begin(f->s), 0);
	for (i = 0; i < STORE_ROLE_MEMBERS_MAX - 1; i++) {
		(void)snprintf(handle, sizeof(handle), "dir%zu", i);
		add_member(f, &d, handle, ROLE_MEMBER | ROLE_DIRECTOR, 0);
	}
	assert_int_equal(store_commit(f->s), 0);
	add_memo(f, &m, MEMO_STATE_SUBMITTED, 0, 0);
	size = log_size(f);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 101, &marked), -1);
	assert_int_equal(marked, 0);
	assert_int_equal(missed_of(f, m.id), 0);
	assert_int_equal(log_size(f), size);
	assert_int_equal(notifications_for(f, f->director.id), 0);
}

/* A test clock far ahead of the real time (2100-01-01). */
static int64_t
future_now(void)
{

	return (4102444800LL);
}

static void
test_heads_take_the_clock_of_the_events_they_cover(void **state)
{
	struct fx *f = *state;
	struct store_memo a, b;
	struct treehead th;
	size_t marked;

	chanlog_set_clock(f->cl, future_now);
	add_memo(f, &a, MEMO_STATE_SUBMITTED, 0, 0);
	/* Signed on demand, without the signer thread. */
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, future_now(), &marked), 0);
	assert_int_equal(marked, 1);
	assert_int_equal(chanlog_wait_for_head(f->cl, log_size(f), 1000), 0);
	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_OK);
	assert_int_equal(th.size, log_size(f));
	assert_true(th.timestamp >= (uint64_t)future_now());
	/* Signed by the signer thread. */
	assert_int_equal(chanlog_signer_start(f->cl, 10), 0);
	add_memo(f, &b, MEMO_STATE_SUBMITTED, 0, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, future_now(), &marked), 0);
	assert_int_equal(chanlog_wait_for_head(f->cl, log_size(f), 5000), 0);
	chanlog_signer_stop(f->cl);
	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_OK);
	assert_int_equal(th.size, log_size(f));
	assert_true(th.timestamp >= (uint64_t)future_now());
}

static void
test_heads_take_the_real_time_without_a_clock(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct treehead th;
	size_t marked;
	uint64_t before, after;

	chanlog_set_clock(f->cl, future_now);
	chanlog_set_clock(f->cl, NULL);
	add_memo(f, &m, MEMO_STATE_SUBMITTED, 0, 0);
	assert_int_equal(
	    scheduler_run_once(f->s, f->cl, NOW + 101, &marked), 0);
	before = (uint64_t)time(NULL);
	assert_int_equal(chanlog_wait_for_head(f->cl, log_size(f), 1000), 0);
	after = (uint64_t)time(NULL);
	assert_int_equal(chanlog_latest(f->cl, &th), CHANLOG_OK);
	assert_true(th.timestamp >= before && th.timestamp <= after);
}

static int64_t
fixed_now(void)
{

	return (NOW + 101);
}

static void
test_thread_runs_a_pass_at_start(void **state)
{
	struct fx *f = *state;
	struct scheduler *sc;
	struct store_memo m;
	struct timespec ts = {0, 20 * 1000 * 1000};
	int i;

	add_memo(f, &m, MEMO_STATE_SUBMITTED, 0, 0);
	/* An hour's interval: only the pass at start can mark it. */
	assert_int_equal(
	    scheduler_start(&sc, f->s, f->cl, 3600000, fixed_now), 0);
	for (i = 0; i < 500 && missed_of(f, m.id) == 0; i++)
		nanosleep(&ts, NULL);
	scheduler_stop(sc);
	assert_int_equal(missed_of(f, m.id), STORE_MISSED_ACK);
}

static void
test_stop_of_null_is_a_no_op(void **state)
{
	(void)state;
	scheduler_stop(NULL);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_missed_acknowledgement_is_marked_logged_and_escalated),
	    T(test_escalation_reaches_no_plain_or_pending_member),
	    T(test_nothing_is_marked_before_the_due_time),
	    T(test_a_second_pass_neither_marks_nor_logs_again),
	    T(test_late_acknowledgement_is_marked_once),
	    T(test_acknowledgement_on_time_is_not_marked),
	    T(test_acknowledgement_is_not_marked_without_its_time_after_submission),
	    T(test_reply_and_escalation_are_marked_in_order_while_assigned),
	    T(test_reply_then_escalation_in_separate_passes),
	    T(test_reply_on_time_marks_nothing),
	    T(test_reply_deadlines_are_not_marked_while_submitted),
	    T(test_redirected_memo_owes_no_reply),
	    T(test_closed_and_draft_memos_are_ignored),
	    T(test_several_memos_are_marked_in_one_pass),
	    T(test_thread_runs_a_pass_at_start),
	    T(test_memos_beyond_the_list_limit_are_all_watched),
	    T(test_too_many_escalation_recipients_leave_the_deadline_unmarked),
	    T(test_heads_take_the_clock_of_the_events_they_cover),
	    T(test_heads_take_the_real_time_without_a_clock),
	    cmocka_unit_test(test_stop_of_null_is_a_no_op),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
