/*
 * The memo part of the storage interface (store.h, "Memos") on its SQLite
 * backend: every function's answers and refusals, the limits (refused with
 * nothing changed), transactions, damaged rows, and what the schema cannot
 * hold (a signer's identity).  Each test has a fresh database in a
 * directory of its own under $TMPDIR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "access.h"
#include "directory.h"
#include "event.h"
#include "lifecycle.h"
#include "memo.h"
#include "store.h"

#define NOW 1764400000

typedef char member_id[DIRECTORY_MEMBER_ID_LEN + 1];

struct fx {
	char dir[PATH_MAX];
	char path[PATH_MAX];
	struct store *s;
	/* Members of "state": a drafts, b is invited, c coordinates, d is a
	 * principal, e an auditor; u of "usaid" is unrelated. */
	member_id a, b, c, d, e, u;
	/* Boxes the memos and versions made by make_memo() point into. */
	uint8_t box[2][64];
};

/* Messages sent through the store's log hook since the last reset. */
static struct {
	int count;
	char all[4096];
} logged;

static void
capture(void *ctx, const char *msg)
{
	size_t used = strlen(logged.all);

	(void)ctx;
	logged.count++;
	(void)snprintf(
	    logged.all + used, sizeof(logged.all) - used, "%s\n", msg);
}

static void
log_reset(void)
{

	memset(&logged, 0, sizeof(logged));
}

static void
remove_db_files(const char *path)
{
	char p[PATH_MAX + 8];

	(void)unlink(path);
	(void)snprintf(p, sizeof(p), "%s-wal", path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-shm", path);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s-journal", path);
	(void)unlink(p);
}

static void
add_org(struct store *s, const char *id)
{
	struct store_org org;

	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "%s", id);
	(void)snprintf(org.name, sizeof(org.name), "Org %s", id);
	org.created_at = NOW;
	assert_int_equal(store_org_insert(s, &org), STORE_OK);
}

/* Insert a pending member ${handle} of ${org}; its id goes in ${id}. */
static void
add_member(struct store *s, member_id id, const char *handle, const char *org)
{
	struct store_member m;

	memset(&m, 0, sizeof(m));
	directory_member_id_new(m.id);
	(void)snprintf(m.handle, sizeof(m.handle), "%s", handle);
	(void)snprintf(m.display_name, sizeof(m.display_name), "N %s", handle);
	(void)snprintf(m.org_id, sizeof(m.org_id), "%s", org);
	m.roles = ROLE_MEMBER;
	m.eligible = 1;
	m.created_at = NOW;
	assert_int_equal(store_member_insert(s, &m), STORE_OK);
	memcpy(id, m.id, sizeof(m.id));
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct fx *f;
	int n;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_memo.XXXXXX", tmp);
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return (-1);
	}
	n = snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	if (n < 0 || (size_t)n >= sizeof(f->path) ||
	    store_open(&f->s, f->path, NOW) != 0) {
		(void)rmdir(f->dir);
		free(f);
		return (-1);
	}
	store_set_log(capture, NULL);
	log_reset();
	add_org(f->s, "state");
	add_org(f->s, "usaid");
	add_member(f->s, f->a, "alice", "state");
	add_member(f->s, f->b, "bob", "state");
	add_member(f->s, f->c, "carol", "state");
	add_member(f->s, f->d, "dave", "state");
	add_member(f->s, f->e, "erin", "state");
	add_member(f->s, f->u, "uma", "usaid");
	randombytes_buf(f->box, sizeof(f->box));
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_free(f->s);
	remove_db_files(f->path);
	(void)rmdir(f->dir);
	free(f);
	store_set_log(NULL, NULL);
	return (0);
}

/* Run ${sql} (printf-style) on the fixture's file over a connection of the
 * test's own (foreign keys off, as a raw edit would be). */
static void
raw_exec(struct fx *f, const char *fmt, ...)
{
	char sql[2048];
	sqlite3 *db;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(sql));
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static int64_t
raw_int(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return (v);
}

/* Fill ${m} and its first version ${v} as a new draft by ${f}->a. */
static void
make_memo(struct fx *f, struct store_memo *m, struct store_memo_version *v)
{

	memset(m, 0, sizeof(*m));
	memset(v, 0, sizeof(*v));
	memo_id_new(m->id);
	m->state = MEMO_STATE_DRAFT;
	(void)snprintf(m->topic, sizeof(m->topic), "policy");
	(void)snprintf(m->marking, sizeof(m->marking), "SBU");
	(void)snprintf(m->org_id, sizeof(m->org_id), "state");
	(void)snprintf(
	    m->eligible_orgs[0], sizeof(m->eligible_orgs[0]), "state");
	(void)snprintf(
	    m->eligible_orgs[1], sizeof(m->eligible_orgs[1]), "usaid");
	m->neligible_orgs = 2;
	randombytes_buf(m->roster_pk, sizeof(m->roster_pk));
	m->flags = ACCESS_MEMO_SIGNERS_INVITE;
	m->version = 1;
	randombytes_buf(m->version_hash, sizeof(m->version_hash));
	m->created_at = NOW;
	v->version = 1;
	memcpy(v->hash, m->version_hash, sizeof(v->hash));
	memcpy(v->author, f->a, sizeof(v->author));
	v->created_at = NOW;
	v->box = f->box[0];
	v->boxlen = sizeof(f->box[0]);
}

/* Insert a new draft by ${f}->a; its row goes in ${m}. */
static void
add_memo(struct fx *f, struct store_memo *m)
{
	struct store_memo_version v;

	make_memo(f, m, &v);
	assert_int_equal(store_memo_insert(f->s, m, &v, f->a), STORE_OK);
}

/* Fill version ${n} of ${f}'s memo, written by ${author}. */
static void
make_version(
    struct fx *f, struct store_memo_version *v, uint32_t n, const char *author)
{

	memset(v, 0, sizeof(*v));
	v->version = n;
	randombytes_buf(v->hash, sizeof(v->hash));
	(void)snprintf(v->author, sizeof(v->author), "%s", author);
	v->created_at = NOW + n;
	v->box = f->box[1];
	v->boxlen = sizeof(f->box[1]);
}

static void
make_grant(struct store_grant *g, const char *memo_id, const char *recipient,
    const char *purpose, int held)
{

	memset(g, 0, sizeof(*g));
	(void)snprintf(g->memo_id, sizeof(g->memo_id), "%s", memo_id);
	(void)snprintf(g->recipient, sizeof(g->recipient), "%s", recipient);
	(void)snprintf(g->purpose, sizeof(g->purpose), "%s", purpose);
	randombytes_buf(g->sealed, 80);
	g->sealedlen = 80;
	g->held = held;
	g->created_at = NOW;
}

static void
make_signature(struct store_signature *sig, uint32_t version)
{

	randombytes_buf(sig->tag, sizeof(sig->tag));
	sig->version = version;
	randombytes_buf(sig->record, sizeof(sig->record));
}

static void
make_reply(struct store_reply *r, uint32_t n, const char *author, uint8_t *box,
    size_t boxlen)
{

	memset(r, 0, sizeof(*r));
	r->n = n;
	r->kind = MEMO_REPLY_KIND_REPLY;
	(void)snprintf(r->author, sizeof(r->author), "%s", author);
	r->created_at = NOW + n;
	r->box = box;
	r->boxlen = boxlen;
}

static void
make_notification(
    struct store_notification *nt, const char *recipient, int64_t next_at)
{

	memset(nt, 0, sizeof(*nt));
	(void)snprintf(nt->recipient, sizeof(nt->recipient), "%s", recipient);
	nt->kind = 1;
	nt->created_at = NOW;
	nt->next_at = next_at;
}

/* Memos. */

static void
test_memo_insert_then_get_round_trips(void **state)
{
	struct fx *f = *state;
	struct store_memo m, got;
	struct store_memo_version v, gv;
	unsigned int rel;

	make_memo(f, &m, &v);
	assert_int_equal(store_memo_insert(f->s, &m, &v, f->a), STORE_OK);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_OK);
	assert_memory_equal(&got, &m, sizeof(m));
	assert_int_equal(got.neligible_orgs, 2);
	assert_string_equal(got.eligible_orgs[1], "usaid");
	assert_string_equal(got.assignee, "");
	/* The first version with its box, and the drafter's relation. */
	assert_int_equal(store_memo_version_get(f->s, m.id, 1, &gv), STORE_OK);
	assert_memory_equal(gv.hash, m.version_hash, sizeof(gv.hash));
	assert_string_equal(gv.author, f->a);
	assert_int_equal(gv.boxlen, sizeof(f->box[0]));
	assert_memory_equal(gv.box, f->box[0], gv.boxlen);
	free(gv.box);
	assert_int_equal(
	    store_memo_relations(f->s, m.id, f->a, &rel), STORE_OK);
	assert_int_equal(rel, ACCESS_REL_DRAFTER);
}

static void
test_memo_insert_keeps_eight_eligible_orgs_in_order(void **state)
{
	struct fx *f = *state;
	struct store_memo m, got;
	struct store_memo_version v;
	char id[DIRECTORY_ORG_ID_MAX + 1];
	size_t i;

	make_memo(f, &m, &v);
	for (i = 0; i < MEMO_ORGS_MAX; i++) {
		/* The longest ids: 32 bytes each. */
		(void)snprintf(id, sizeof(id), "o%031zu", MEMO_ORGS_MAX - i);
		memcpy(m.eligible_orgs[i], id, sizeof(id));
	}
	m.neligible_orgs = MEMO_ORGS_MAX;
	assert_int_equal(store_memo_insert(f->s, &m, &v, f->a), STORE_OK);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(got.neligible_orgs, MEMO_ORGS_MAX);
	for (i = 0; i < MEMO_ORGS_MAX; i++)
		assert_string_equal(got.eligible_orgs[i], m.eligible_orgs[i]);
}

static void
test_memo_insert_duplicate_id_is_conflict_changing_nothing(void **state)
{
	struct fx *f = *state;
	struct store_memo m, again;
	struct store_memo_version v, gv;

	add_memo(f, &m);
	make_memo(f, &again, &v);
	memcpy(again.id, m.id, sizeof(m.id));
	v.box = f->box[1];
	assert_int_equal(
	    store_memo_insert(f->s, &again, &v, f->a), STORE_CONFLICT);
	assert_int_equal(store_memo_version_get(f->s, m.id, 1, &gv), STORE_OK);
	assert_memory_equal(gv.box, f->box[0], gv.boxlen);
	assert_memory_equal(gv.hash, m.version_hash, sizeof(gv.hash));
	free(gv.box);
	assert_int_equal(logged.count, 0);
}

static void
test_memo_insert_unknown_org_or_drafter_is_notfound_leaving_nothing(
    void **state)
{
	struct fx *f = *state;
	struct store_memo m, got;
	struct store_memo_version v;
	member_id ghost;

	make_memo(f, &m, &v);
	(void)snprintf(m.org_id, sizeof(m.org_id), "nowhere");
	assert_int_equal(store_memo_insert(f->s, &m, &v, f->a), STORE_NOTFOUND);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_NOTFOUND);

	make_memo(f, &m, &v);
	directory_member_id_new(ghost);
	memcpy(v.author, ghost, sizeof(ghost));
	assert_int_equal(
	    store_memo_insert(f->s, &m, &v, ghost), STORE_NOTFOUND);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_versions"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_members"), 0);
}

/* Expect store_memo_insert() of ${m}, ${v} to be refused as invalid. */
static void
insert_refused(struct fx *f, const struct store_memo *m,
    const struct store_memo_version *v, const char *drafter)
{
	struct store_memo got;

	log_reset();
	assert_int_equal(store_memo_insert(f->s, m, v, drafter), STORE_ERR);
	assert_int_equal(logged.count, 1);
	assert_null(strstr(logged.all, m->id));
	assert_int_equal(store_memo_get(f->s, m->id, &got), STORE_NOTFOUND);
}

static void
test_memo_insert_refuses_invalid_fields(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v;

	make_memo(f, &m, &v);
	m.state = 0;
	insert_refused(f, &m, &v, f->a);
	m.state = MEMO_STATE_WITHDRAWN + 1;
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	(void)snprintf(m.topic, sizeof(m.topic), "Policy");
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	(void)snprintf(m.marking, sizeof(m.marking), "sbu");
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	m.neligible_orgs = 0;
	insert_refused(f, &m, &v, f->a);
	m.neligible_orgs = MEMO_ORGS_MAX + 1;
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	(void)snprintf(m.eligible_orgs[1], sizeof(m.eligible_orgs[1]), "state");
	insert_refused(f, &m, &v, f->a);
	/* A comma would make the stored list ambiguous. */
	(void)snprintf(m.eligible_orgs[1], sizeof(m.eligible_orgs[1]), "a,b");
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	m.flags = 0x8;
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	m.missed = 0x8;
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	m.submit_log_index = (uint64_t)INT64_MAX + 1;
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	(void)snprintf(m.assignee, sizeof(m.assignee), "nobody");
	insert_refused(f, &m, &v, f->a);
	/* The first version: number 1, of the memo's hash, by the drafter. */
	make_memo(f, &m, &v);
	m.version = v.version = 2;
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	v.hash[0] ^= 1;
	insert_refused(f, &m, &v, f->a);
	make_memo(f, &m, &v);
	insert_refused(f, &m, &v, f->b);
	make_memo(f, &m, &v);
	insert_refused(f, &m, &v, NULL);
	make_memo(f, &m, &v);
	m.id[0] = 'x';
	insert_refused(f, &m, &v, f->a);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memos"), 0);
}

static void
test_memo_insert_refuses_a_box_over_the_limit_and_takes_one_at_it(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v, gv;
	uint8_t *big;

	assert_non_null(big = calloc(1, MEMO_BOX_MAX + 1));
	big[MEMO_BOX_MAX - 1] = 0x5a;
	make_memo(f, &m, &v);
	v.box = big;
	v.boxlen = MEMO_BOX_MAX + 1;
	insert_refused(f, &m, &v, f->a);
	v.boxlen = 0;
	insert_refused(f, &m, &v, f->a);
	v.box = NULL;
	v.boxlen = 10;
	insert_refused(f, &m, &v, f->a);
	v.box = big;
	v.boxlen = MEMO_BOX_MAX;
	assert_int_equal(store_memo_insert(f->s, &m, &v, f->a), STORE_OK);
	assert_int_equal(store_memo_version_get(f->s, m.id, 1, &gv), STORE_OK);
	assert_int_equal(gv.boxlen, MEMO_BOX_MAX);
	assert_int_equal(gv.box[MEMO_BOX_MAX - 1], 0x5a);
	free(gv.box);
	free(big);
}

static void
test_memo_get_unknown_or_malformed_id_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	char id[MEMO_ID_LEN + 1];

	memo_id_new(id);
	assert_int_equal(store_memo_get(f->s, id, &m), STORE_NOTFOUND);
	assert_int_equal(store_memo_get(f->s, "d_xyz", &m), STORE_NOTFOUND);
	assert_int_equal(store_memo_get(f->s, NULL, &m), STORE_NOTFOUND);
	assert_int_equal(store_memo_get(f->s, id, NULL), STORE_ERR);
}

static void
test_memo_update_writes_back_every_mutable_field(void **state)
{
	struct fx *f = *state;
	struct store_memo m, want, got;
	struct store_memo_version v;

	add_memo(f, &m);
	make_version(f, &v, 2, f->b);
	assert_int_equal(store_memo_version_put(f->s, m.id, &v), STORE_OK);
	want = m;
	want.state = MEMO_STATE_REPLIED;
	(void)snprintf(want.topic, sizeof(want.topic), "security");
	(void)snprintf(want.marking, sizeof(want.marking), "CONFIDENTIAL");
	want.flags = ACCESS_MEMO_SHOW_SIGNERS | ACCESS_MEMO_SUBMITTED;
	want.version = 2;
	memcpy(want.version_hash, v.hash, sizeof(v.hash));
	want.submitted_at = NOW + 10;
	want.acked_at = NOW + 11;
	want.replied_at = NOW + 12;
	want.closed_at = NOW + 13;
	want.withdrawn_at = NOW + 14;
	want.ack_due = NOW + 15;
	want.reply_due = NOW + 16;
	want.escalate_at = NOW + 17;
	want.missed = STORE_MISSED_ACK | STORE_MISSED_ESCALATION;
	want.named_count = 100;
	want.anon_count = UINT32_MAX;
	randombytes_buf(want.package_hash, sizeof(want.package_hash));
	want.submit_log_index = (uint64_t)INT64_MAX - 1;
	memcpy(want.assignee, f->c, sizeof(f->c));
	want.authors = 3;
	want.replies = 2;
	assert_int_equal(store_memo_update(f->s, &want), STORE_OK);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_OK);
	assert_memory_equal(&got, &want, sizeof(got));
	/* What never changes is not written: creation, origin, roster key. */
	want = got;
	want.created_at = 1;
	(void)snprintf(want.org_id, sizeof(want.org_id), "usaid");
	want.neligible_orgs = 1;
	want.roster_pk[0] ^= 1;
	assert_int_equal(store_memo_update(f->s, &want), STORE_OK);
	assert_int_equal(store_memo_get(f->s, m.id, &want), STORE_OK);
	assert_memory_equal(&want, &got, sizeof(got));
	/* The assignee can be cleared again. */
	want.assignee[0] = '\0';
	assert_int_equal(store_memo_update(f->s, &want), STORE_OK);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_OK);
	assert_string_equal(got.assignee, "");
}

static void
test_memo_update_to_a_version_not_stored_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_memo m, u, got;

	add_memo(f, &m);
	u = m;
	u.version = 2;
	u.state = MEMO_STATE_OPEN;
	assert_int_equal(store_memo_update(f->s, &u), STORE_CONFLICT);
	u = m;
	u.version_hash[0] ^= 1;
	assert_int_equal(store_memo_update(f->s, &u), STORE_CONFLICT);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_OK);
	assert_memory_equal(&got, &m, sizeof(m));
}

static void
test_memo_update_unknown_memo_or_assignee_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_memo m, u, got;

	add_memo(f, &m);
	u = m;
	memo_id_new(u.id);
	assert_int_equal(store_memo_update(f->s, &u), STORE_NOTFOUND);
	u = m;
	directory_member_id_new(u.assignee);
	assert_int_equal(store_memo_update(f->s, &u), STORE_NOTFOUND);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_OK);
	assert_string_equal(got.assignee, "");
	u = m;
	u.state = 42;
	assert_int_equal(store_memo_update(f->s, &u), STORE_ERR);
}

static void
test_memo_list_member_is_newest_first_without_repeats(void **state)
{
	struct fx *f = *state;
	struct store_memo m1, m2, m3, *ms;
	size_t n;

	add_memo(f, &m1);
	add_memo(f, &m2);
	add_memo(f, &m3);
	m2.created_at = NOW + 5;
	raw_exec(f, "UPDATE memos SET created_at = %d WHERE id = '%s'", NOW + 5,
	    m2.id);
	/* b is an invitee and co-drafter of m1, and an invitee of m2. */
	assert_int_equal(
	    store_memo_relate(f->s, m1.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	assert_int_equal(store_memo_relate(f->s, m1.id, f->b,
			     ACCESS_REL_CODRAFTER, f->a, NOW),
	    STORE_OK);
	assert_int_equal(
	    store_memo_relate(f->s, m2.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	assert_int_equal(store_memo_list_member(f->s, f->b, &ms, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ms[0].id, m2.id);
	assert_string_equal(ms[1].id, m1.id);
	assert_memory_equal(&ms[0], &m2, sizeof(m2));
	free(ms);
	assert_int_equal(store_memo_list_member(f->s, f->a, &ms, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(ms[0].id, m2.id);
	free(ms);
	assert_int_equal(store_memo_list_member(f->s, f->u, &ms, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_null(ms);
	assert_int_equal(
	    store_memo_list_member(f->s, "nobody", &ms, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void
test_memo_lists_stop_at_the_list_limit(void **state)
{
	struct fx *f = *state;
	struct store_memo m, *ms;
	int states[] = {MEMO_STATE_DRAFT};
	size_t n, i;

	assert_int_equal(store_begin(f->s), 0);
	for (i = 0; i < STORE_MEMO_LIST_MAX + 2; i++)
		add_memo(f, &m);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_memo_list_member(f->s, f->a, &ms, &n), STORE_OK);
	assert_int_equal(n, STORE_MEMO_LIST_MAX);
	free(ms);
	assert_int_equal(
	    store_memo_list_states(f->s, states, 1, &ms, &n), STORE_OK);
	assert_int_equal(n, STORE_MEMO_LIST_MAX);
	free(ms);
}

static void
test_memo_list_states_orders_by_ack_due_then_id(void **state)
{
	struct fx *f = *state;
	struct store_memo m[4], *ms;
	int want[] = {MEMO_STATE_ACKNOWLEDGED, MEMO_STATE_SUBMITTED,
	    MEMO_STATE_SUBMITTED};
	size_t n, i;

	for (i = 0; i < 4; i++)
		add_memo(f, &m[i]);
	/* m0 submitted due +30; m1 acknowledged due +10; m2 draft; m3
	 * submitted due +30 (ties are broken by id). */
	raw_exec(f, "UPDATE memos SET state = 3, ack_due = %d WHERE id = '%s'",
	    NOW + 30, m[0].id);
	raw_exec(f, "UPDATE memos SET state = 4, ack_due = %d WHERE id = '%s'",
	    NOW + 10, m[1].id);
	raw_exec(f, "UPDATE memos SET state = 3, ack_due = %d WHERE id = '%s'",
	    NOW + 30, m[3].id);
	assert_int_equal(
	    store_memo_list_states(f->s, want, 3, &ms, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(ms[0].id, m[1].id);
	assert_int_equal(ms[0].state, MEMO_STATE_ACKNOWLEDGED);
	if (strcmp(m[0].id, m[3].id) < 0) {
		assert_string_equal(ms[1].id, m[0].id);
		assert_string_equal(ms[2].id, m[3].id);
	} else {
		assert_string_equal(ms[1].id, m[3].id);
		assert_string_equal(ms[2].id, m[0].id);
	}
	free(ms);
}

static void
test_memo_list_states_refuses_an_unknown_state(void **state)
{
	struct fx *f = *state;
	struct store_memo *ms;
	int bad[] = {MEMO_STATE_OPEN, 0};
	int over[] = {MEMO_STATE_WITHDRAWN + 1};
	size_t n;

	assert_int_equal(
	    store_memo_list_states(f->s, bad, 2, &ms, &n), STORE_ERR);
	assert_null(ms);
	assert_int_equal(
	    store_memo_list_states(f->s, over, 1, &ms, &n), STORE_ERR);
	assert_int_equal(
	    store_memo_list_states(f->s, NULL, 1, &ms, &n), STORE_ERR);
	assert_int_equal(
	    store_memo_list_states(f->s, NULL, 0, &ms, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* Relations. */

static void
test_relations_are_the_bits_of_every_stored_relation(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	unsigned int rel;

	add_memo(f, &m);
	assert_int_equal(
	    store_memo_relations(f->s, m.id, f->b, &rel), STORE_OK);
	assert_int_equal(rel, 0);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	assert_int_equal(store_memo_relate(
			     f->s, m.id, f->b, ACCESS_REL_PRINCIPAL, f->c, NOW),
	    STORE_OK);
	assert_int_equal(
	    store_memo_relations(f->s, m.id, f->b, &rel), STORE_OK);
	assert_int_equal(rel, ACCESS_REL_INVITEE | ACCESS_REL_PRINCIPAL);
	/* Relations are per memo. */
	assert_int_equal(store_memo_relations(
			     f->s, "d_000000000000000000000000", f->b, &rel),
	    STORE_OK);
	assert_int_equal(rel, 0);
}

static void
test_relate_again_is_ok_and_keeps_the_first(void **state)
{
	struct fx *f = *state;
	struct store_memo m;

	add_memo(f, &m);
	assert_int_equal(store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE,
			     f->a, NOW + 1),
	    STORE_OK);
	assert_int_equal(store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE,
			     f->c, NOW + 2),
	    STORE_OK);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_members "
				    "WHERE rel = 4"),
	    1);
	assert_int_equal(raw_int(f, "SELECT created_at FROM memo_members "
				    "WHERE rel = 4"),
	    NOW + 1);
}

static void
test_relate_refuses_a_signer_role_bits_or_several_bits(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	const unsigned int bad[] = {0, ACCESS_REL_SIGNER,
	    ACCESS_REL_COORDINATOR, ACCESS_REL_ADMIN,
	    ACCESS_REL_DRAFTER | ACCESS_REL_INVITEE};
	char(*ids)[DIRECTORY_MEMBER_ID_LEN + 1];
	size_t i, n;

	add_memo(f, &m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    store_memo_relate(f->s, m.id, f->b, bad[i], f->a, NOW),
		    STORE_ERR);
		assert_int_equal(
		    store_memo_related(f->s, m.id, bad[i], &ids, &n),
		    STORE_ERR);
		assert_null(ids);
	}
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_members"), 1);
}

static void
test_relate_unknown_memo_or_member_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	char id[MEMO_ID_LEN + 1];
	member_id ghost;

	add_memo(f, &m);
	memo_id_new(id);
	directory_member_id_new(ghost);
	assert_int_equal(
	    store_memo_relate(f->s, id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, ghost, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE, ghost, NOW),
	    STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, "m_x", ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_members"), 1);
}

static void
test_related_lists_members_in_the_order_they_were_related(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	char(*ids)[DIRECTORY_MEMBER_ID_LEN + 1];
	size_t n;

	add_memo(f, &m);
	assert_int_equal(store_memo_relate(f->s, m.id, f->e, ACCESS_REL_INVITEE,
			     f->a, NOW + 1),
	    STORE_OK);
	assert_int_equal(store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE,
			     f->a, NOW + 2),
	    STORE_OK);
	assert_int_equal(store_memo_relate(f->s, m.id, f->c,
			     ACCESS_REL_ASSIGNEE, f->a, NOW + 3),
	    STORE_OK);
	assert_int_equal(
	    store_memo_related(f->s, m.id, ACCESS_REL_INVITEE, &ids, &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], f->e);
	assert_string_equal(ids[1], f->b);
	free(ids);
	assert_int_equal(
	    store_memo_related(f->s, m.id, ACCESS_REL_DRAFTER, &ids, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], f->a);
	free(ids);
	assert_int_equal(
	    store_memo_related(f->s, m.id, ACCESS_REL_PRINCIPAL, &ids, &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_null(ids);
}

static void
test_relate_beyond_the_limit_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	unsigned int rel;

	add_memo(f, &m);
	raw_exec(f,
	    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < %d) INSERT INTO memo_members (memo_id, rel, "
	    "member_id, by_member, created_at) SELECT '%s', 4, "
	    "printf('m_%%024x', i), '%s', 0 FROM c",
	    STORE_RELATED_MAX, m.id, f->a);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_CONFLICT);
	assert_int_equal(
	    store_memo_relations(f->s, m.id, f->b, &rel), STORE_OK);
	assert_int_equal(rel, 0);
	/* Other relations have limits of their own. */
	assert_int_equal(store_memo_relate(
			     f->s, m.id, f->b, ACCESS_REL_CODRAFTER, f->a, NOW),
	    STORE_OK);
}

/* Versions. */

static void
test_version_put_must_follow_the_current_version(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v2, v3;

	add_memo(f, &m);
	make_version(f, &v3, 3, f->a);
	assert_int_equal(
	    store_memo_version_put(f->s, m.id, &v3), STORE_CONFLICT);
	make_version(f, &v2, 1, f->a);
	assert_int_equal(
	    store_memo_version_put(f->s, m.id, &v2), STORE_CONFLICT);
	make_version(f, &v2, 2, f->a);
	assert_int_equal(store_memo_version_put(f->s, m.id, &v2), STORE_OK);
	assert_int_equal(
	    store_memo_version_put(f->s, m.id, &v2), STORE_CONFLICT);
	assert_int_equal(store_memo_version_put(f->s, m.id, &v3), STORE_OK);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_versions"), 3);
}

static void
test_versions_lists_every_version_oldest_first_without_boxes(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v2, *vs, got;
	size_t n;

	add_memo(f, &m);
	make_version(f, &v2, 2, f->b);
	assert_int_equal(store_memo_version_put(f->s, m.id, &v2), STORE_OK);
	assert_int_equal(store_memo_versions(f->s, m.id, &vs, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(vs[0].version, 1);
	assert_memory_equal(vs[0].hash, m.version_hash, MEMO_HASH_BYTES);
	assert_int_equal(vs[1].version, 2);
	assert_string_equal(vs[1].author, f->b);
	assert_int_equal(vs[1].created_at, v2.created_at);
	assert_null(vs[0].box);
	assert_null(vs[1].box);
	free(vs);
	assert_int_equal(store_memo_version_get(f->s, m.id, 2, &got), STORE_OK);
	assert_memory_equal(got.box, f->box[1], got.boxlen);
	free(got.box);
	assert_int_equal(
	    store_memo_version_get(f->s, m.id, 3, &got), STORE_NOTFOUND);
	assert_null(got.box);
	assert_int_equal(
	    store_memo_version_get(f->s, m.id, 0, &got), STORE_NOTFOUND);
}

static void
test_version_put_refuses_a_box_over_the_limit_changing_nothing(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v;
	uint8_t *big;

	add_memo(f, &m);
	assert_non_null(big = calloc(1, MEMO_BOX_MAX + 1));
	make_version(f, &v, 2, f->a);
	v.box = big;
	v.boxlen = MEMO_BOX_MAX + 1;
	log_reset();
	assert_int_equal(store_memo_version_put(f->s, m.id, &v), STORE_ERR);
	assert_int_equal(logged.count, 1);
	v.version = 0;
	v.boxlen = 1;
	assert_int_equal(store_memo_version_put(f->s, m.id, &v), STORE_ERR);
	free(big);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_versions"), 1);
}

static void
test_version_put_unknown_memo_or_author_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v;
	char id[MEMO_ID_LEN + 1];

	add_memo(f, &m);
	memo_id_new(id);
	make_version(f, &v, 2, f->a);
	assert_int_equal(store_memo_version_put(f->s, id, &v), STORE_NOTFOUND);
	directory_member_id_new(v.author);
	assert_int_equal(
	    store_memo_version_put(f->s, m.id, &v), STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_versions"), 1);
}

static void
test_version_put_beyond_the_limit_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v;

	add_memo(f, &m);
	raw_exec(f,
	    "WITH RECURSIVE c(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < %d) INSERT INTO memo_versions (memo_id, version, hash, "
	    "author, created_at, box) SELECT '%s', i, randomblob(32), '%s', "
	    "0, x'00' FROM c",
	    STORE_VERSIONS_MAX, m.id, f->a);
	make_version(f, &v, STORE_VERSIONS_MAX + 1, f->a);
	assert_int_equal(
	    store_memo_version_put(f->s, m.id, &v), STORE_CONFLICT);
}

/* Grants. */

static void
test_grant_put_then_get_round_trips_and_put_replaces(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_grant g, got;

	add_memo(f, &m);
	make_grant(&g, m.id, f->b, MEMO_GRANT_KEY, 0);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->b, MEMO_GRANT_KEY, &got), STORE_OK);
	assert_memory_equal(&got, &g, sizeof(g));
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->b, MEMO_GRANT_ROSTER, &got),
	    STORE_NOTFOUND);
	make_grant(&g, m.id, f->b, MEMO_GRANT_KEY, 1);
	g.sealedlen = STORE_GRANT_MAX;
	randombytes_buf(g.sealed, sizeof(g.sealed));
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->b, MEMO_GRANT_KEY, &got), STORE_OK);
	assert_int_equal(got.sealedlen, STORE_GRANT_MAX);
	assert_memory_equal(got.sealed, g.sealed, STORE_GRANT_MAX);
	assert_int_equal(got.held, 1);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_grants"), 1);
	/* Grants to the channel key. */
	make_grant(&g, m.id, STORE_RECIPIENT_CHANNEL, MEMO_GRANT_ROSTER, 0);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	assert_int_equal(store_grant_get(f->s, m.id, STORE_RECIPIENT_CHANNEL,
			     MEMO_GRANT_ROSTER, &got),
	    STORE_OK);
	assert_string_equal(got.recipient, STORE_RECIPIENT_CHANNEL);
}

static void
test_grant_put_refuses_bad_fields_and_unknown_recipients(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_grant g;

	add_memo(f, &m);
	make_grant(&g, m.id, f->b, "memo-secret", 0);
	assert_int_equal(store_grant_put(f->s, &g), STORE_ERR);
	make_grant(&g, m.id, f->b, MEMO_GRANT_KEY, 0);
	g.sealedlen = 0;
	assert_int_equal(store_grant_put(f->s, &g), STORE_ERR);
	g.sealedlen = STORE_GRANT_MAX + 1;
	assert_int_equal(store_grant_put(f->s, &g), STORE_ERR);
	make_grant(&g, m.id, "webhook", MEMO_GRANT_KEY, 0);
	assert_int_equal(store_grant_put(f->s, &g), STORE_ERR);
	make_grant(&g, m.id, f->b, MEMO_GRANT_KEY, 0);
	directory_member_id_new(g.recipient);
	assert_int_equal(store_grant_put(f->s, &g), STORE_NOTFOUND);
	make_grant(&g, m.id, f->b, MEMO_GRANT_KEY, 0);
	memo_id_new(g.memo_id);
	assert_int_equal(store_grant_put(f->s, &g), STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_grants"), 0);
}

static void
test_held_grants_are_released_for_that_recipient_only(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_grant g;

	add_memo(f, &m);
	make_grant(&g, m.id, f->d, MEMO_GRANT_KEY, 1);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	make_grant(&g, m.id, f->d, MEMO_GRANT_ROSTER, 1);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	make_grant(&g, m.id, f->e, MEMO_GRANT_KEY, 1);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	assert_int_equal(store_grant_release(f->s, m.id, f->d), STORE_OK);
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->d, MEMO_GRANT_KEY, &g), STORE_OK);
	assert_int_equal(g.held, 0);
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->d, MEMO_GRANT_ROSTER, &g), STORE_OK);
	assert_int_equal(g.held, 0);
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->e, MEMO_GRANT_KEY, &g), STORE_OK);
	assert_int_equal(g.held, 1);
	/* Releasing again is harmless; nothing to release is NOTFOUND. */
	assert_int_equal(store_grant_release(f->s, m.id, f->d), STORE_OK);
	assert_int_equal(store_grant_release(f->s, m.id, f->b), STORE_NOTFOUND);
}

/* Paging through memos by state (store_memo_page_states, _each_state). */

/* What a store_memo_each_state() callback saw. */
struct seen {
	size_t n;
	char last[MEMO_ID_LEN + 1];
	int disordered; /* an id came at or before the previous one */
	int wrong_state;
	size_t stop_at;  /* fail at this call (0: never) */
	struct store *s; /* if set, write to the store from the callback */
};

static int
see(void *cookie, const struct store_memo *m)
{
	struct seen *sn = cookie;
	struct store_memo cur;

	if (sn->n > 0 && strcmp(m->id, sn->last) <= 0)
		sn->disordered = 1;
	if (m->state != MEMO_STATE_SUBMITTED)
		sn->wrong_state = 1;
	memcpy(sn->last, m->id, sizeof(sn->last));
	sn->n++;
	if (sn->s != NULL) {
		/* The handle is free: a transaction of the callback's own. */
		if (store_begin(sn->s) != 0)
			return (-1);
		if (store_memo_get(sn->s, m->id, &cur) != STORE_OK) {
			store_rollback(sn->s);
			return (-1);
		}
		cur.missed = STORE_MISSED_ACK;
		if (store_memo_update(sn->s, &cur) != STORE_OK) {
			store_rollback(sn->s);
			return (-1);
		}
		if (store_commit(sn->s) != 0)
			return (-1);
	}
	return (sn->stop_at != 0 && sn->n == sn->stop_at ? -1 : 0);
}

/* Insert ${n} drafts by ${f}->a in one transaction, then submit them. */
static void
add_submitted_memos(struct fx *f, size_t n)
{
	struct store_memo m;
	size_t i;

	assert_int_equal(store_begin(f->s), 0);
	for (i = 0; i < n; i++)
		add_memo(f, &m);
	assert_int_equal(store_commit(f->s), 0);
	raw_exec(f, "UPDATE memos SET state = 3, submitted_at = %d", NOW);
}

static void
test_memo_each_state_visits_every_memo_beyond_the_list_limit(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct seen sn;
	int submitted[] = {MEMO_STATE_SUBMITTED};

	add_submitted_memos(f, STORE_MEMO_LIST_MAX + 5);
	/* Drafts are not submitted memos. */
	add_memo(f, &m);
	add_memo(f, &m);
	memset(&sn, 0, sizeof(sn));
	assert_int_equal(
	    store_memo_each_state(f->s, submitted, 1, see, &sn), STORE_OK);
	assert_int_equal(sn.n, STORE_MEMO_LIST_MAX + 5);
	assert_false(sn.disordered);
	assert_false(sn.wrong_state);
}

static void
test_memo_each_state_of_exactly_one_page_visits_it_once(void **state)
{
	struct fx *f = *state;
	struct seen sn;
	int submitted[] = {MEMO_STATE_SUBMITTED};

	add_submitted_memos(f, STORE_MEMO_LIST_MAX);
	memset(&sn, 0, sizeof(sn));
	assert_int_equal(
	    store_memo_each_state(f->s, submitted, 1, see, &sn), STORE_OK);
	assert_int_equal(sn.n, STORE_MEMO_LIST_MAX);
	assert_false(sn.disordered);
}

static void
test_memo_each_state_callback_may_write_through_the_store(void **state)
{
	struct fx *f = *state;
	struct seen sn;
	struct store_memo *ms;
	int submitted[] = {MEMO_STATE_SUBMITTED};
	size_t n, i;

	add_submitted_memos(f, 3);
	memset(&sn, 0, sizeof(sn));
	sn.s = f->s;
	assert_int_equal(
	    store_memo_each_state(f->s, submitted, 1, see, &sn), STORE_OK);
	assert_int_equal(sn.n, 3);
	assert_int_equal(
	    store_memo_list_states(f->s, submitted, 1, &ms, &n), STORE_OK);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_int_equal(ms[i].missed, STORE_MISSED_ACK);
	free(ms);
}

static void
test_memo_each_state_stops_when_the_callback_fails(void **state)
{
	struct fx *f = *state;
	struct seen sn;
	int submitted[] = {MEMO_STATE_SUBMITTED};

	add_submitted_memos(f, 5);
	memset(&sn, 0, sizeof(sn));
	sn.stop_at = 2;
	assert_int_equal(
	    store_memo_each_state(f->s, submitted, 1, see, &sn), STORE_ERR);
	assert_int_equal(sn.n, 2);
	/* No callback, no states, a bad state. */
	assert_int_equal(
	    store_memo_each_state(f->s, submitted, 1, NULL, &sn), STORE_ERR);
	memset(&sn, 0, sizeof(sn));
	assert_int_equal(
	    store_memo_each_state(f->s, NULL, 0, see, &sn), STORE_OK);
	assert_int_equal(sn.n, 0);
	submitted[0] = MEMO_STATE_WITHDRAWN + 1;
	assert_int_equal(
	    store_memo_each_state(f->s, submitted, 1, see, &sn), STORE_ERR);
	assert_int_equal(sn.n, 0);
}

static void
test_memo_page_states_follows_the_cursor_in_id_order(void **state)
{
	struct fx *f = *state;
	struct store_memo m[5], *ms, *ms2;
	int want[] = {MEMO_STATE_SUBMITTED, MEMO_STATE_REPLIED};
	size_t n, n2, i;

	for (i = 0; i < 5; i++)
		add_memo(f, &m[i]);
	/* m0, m1, m3 submitted; m4 replied; m2 stays a draft. */
	raw_exec(f, "UPDATE memos SET state = 3 WHERE id IN ('%s','%s','%s')",
	    m[0].id, m[1].id, m[3].id);
	raw_exec(f, "UPDATE memos SET state = 7 WHERE id = '%s'", m[4].id);
	assert_int_equal(
	    store_memo_page_states(f->s, want, 2, NULL, 3, &ms, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_true(strcmp(ms[0].id, ms[1].id) < 0);
	assert_true(strcmp(ms[1].id, ms[2].id) < 0);
	assert_int_equal(
	    store_memo_page_states(f->s, want, 2, ms[2].id, 3, &ms2, &n2),
	    STORE_OK);
	/* The last page is shorter than asked for. */
	assert_int_equal(n2, 1);
	assert_true(strcmp(ms[2].id, ms2[0].id) < 0);
	for (i = 0; i < 3; i++)
		assert_string_not_equal(ms[i].id, m[2].id);
	assert_string_not_equal(ms2[0].id, m[2].id);
	free(ms2);
	/* "" starts from the first, as NULL does. */
	assert_int_equal(
	    store_memo_page_states(f->s, want, 2, "", 1, &ms2, &n2), STORE_OK);
	assert_int_equal(n2, 1);
	assert_string_equal(ms2[0].id, ms[0].id);
	free(ms2);
	free(ms);
}

static void
test_memo_page_states_refuses_bad_sizes_and_cursors(void **state)
{
	struct fx *f = *state;
	struct store_memo m, *ms;
	int want[] = {MEMO_STATE_DRAFT};
	size_t n;

	add_memo(f, &m);
	assert_int_equal(
	    store_memo_page_states(f->s, want, 1, NULL, 0, &ms, &n), STORE_ERR);
	assert_null(ms);
	assert_int_equal(store_memo_page_states(f->s, want, 1, NULL,
			     STORE_MEMO_LIST_MAX + 1, &ms, &n),
	    STORE_ERR);
	assert_int_equal(
	    store_memo_page_states(f->s, want, 1, "not-an-id", 10, &ms, &n),
	    STORE_ERR);
	assert_int_equal(
	    store_memo_page_states(f->s, want, 1, NULL, 10, NULL, &n),
	    STORE_ERR);
	assert_int_equal(
	    store_memo_page_states(f->s, want, 1, NULL, 10, &ms, &n), STORE_OK);
	assert_int_equal(n, 1);
	free(ms);
}

/* Removing relations and grants (re-assignment). */

static void
test_unrelate_removes_only_that_relation(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	unsigned int rel;

	add_memo(f, &m);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_ASSIGNEE, f->c, NOW),
	    STORE_OK);
	assert_int_equal(store_memo_relate(
			     f->s, m.id, f->b, ACCESS_REL_PRINCIPAL, f->c, NOW),
	    STORE_OK);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->d, ACCESS_REL_ASSIGNEE, f->c, NOW),
	    STORE_OK);
	assert_int_equal(
	    store_memo_unrelate(f->s, m.id, f->b, ACCESS_REL_ASSIGNEE),
	    STORE_OK);
	assert_int_equal(
	    store_memo_relations(f->s, m.id, f->b, &rel), STORE_OK);
	assert_int_equal(rel, ACCESS_REL_PRINCIPAL);
	assert_int_equal(
	    store_memo_relations(f->s, m.id, f->d, &rel), STORE_OK);
	assert_int_equal(rel, ACCESS_REL_ASSIGNEE);
	/* Gone once: removing it again is NOTFOUND. */
	assert_int_equal(
	    store_memo_unrelate(f->s, m.id, f->b, ACCESS_REL_ASSIGNEE),
	    STORE_NOTFOUND);
}

static void
test_unrelate_refusals(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	char other[MEMO_ID_LEN + 1];

	add_memo(f, &m);
	memo_id_new(other);
	assert_int_equal(
	    store_memo_unrelate(f->s, m.id, f->a, ACCESS_REL_SIGNER),
	    STORE_ERR);
	assert_int_equal(store_memo_unrelate(f->s, m.id, f->a,
			     ACCESS_REL_DRAFTER | ACCESS_REL_ASSIGNEE),
	    STORE_ERR);
	assert_int_equal(
	    store_memo_unrelate(f->s, other, f->a, ACCESS_REL_DRAFTER),
	    STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_unrelate(f->s, m.id, "nobody", ACCESS_REL_DRAFTER),
	    STORE_NOTFOUND);
	assert_int_equal(
	    store_memo_unrelate(f->s, NULL, f->a, ACCESS_REL_DRAFTER),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_members"), 1);
}

static void
test_grant_delete_removes_one_purpose_of_one_recipient(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_grant g;

	add_memo(f, &m);
	make_grant(&g, m.id, f->d, MEMO_GRANT_KEY, 0);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	make_grant(&g, m.id, f->d, MEMO_GRANT_ROSTER, 0);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	make_grant(&g, m.id, f->e, MEMO_GRANT_KEY, 0);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	assert_int_equal(
	    store_grant_delete(f->s, m.id, f->d, MEMO_GRANT_KEY), STORE_OK);
	assert_int_equal(store_grant_get(f->s, m.id, f->d, MEMO_GRANT_KEY, &g),
	    STORE_NOTFOUND);
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->d, MEMO_GRANT_ROSTER, &g), STORE_OK);
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->e, MEMO_GRANT_KEY, &g), STORE_OK);
	assert_int_equal(store_grant_delete(f->s, m.id, f->d, MEMO_GRANT_KEY),
	    STORE_NOTFOUND);
	/* Malformed arguments name no grant. */
	assert_int_equal(
	    store_grant_delete(f->s, m.id, f->e, "memo-other"), STORE_NOTFOUND);
	assert_int_equal(
	    store_grant_delete(f->s, m.id, "nobody", MEMO_GRANT_KEY),
	    STORE_NOTFOUND);
	assert_int_equal(store_grant_delete(f->s, "x", f->e, MEMO_GRANT_KEY),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_grants"), 2);
}

/* Members by role. */

/* Make member ${id} active with ${roles} (raw: the fixture's are pending). */
static void
activate(struct fx *f, const char *id, unsigned int roles)
{

	raw_exec(f,
	    "UPDATE members SET status = 1, key_epoch = 1, roles = %u, "
	    "sign_pk = zeroblob(32), box_pk = zeroblob(32), "
	    "ring_pk = zeroblob(32) WHERE id = '%s'",
	    roles, id);
}

static void
test_member_list_role_lists_active_holders_by_id(void **state)
{
	struct fx *f = *state;
	struct store_member *ms;
	size_t n, i;

	activate(f, f->c, ROLE_MEMBER | ROLE_COORDINATOR);
	activate(f, f->d, ROLE_MEMBER | ROLE_DIRECTOR);
	activate(f, f->e, ROLE_MEMBER | ROLE_AUDITOR);
	activate(f, f->a, ROLE_MEMBER);
	/* b holds the role but never enrolled; u is suspended. */
	raw_exec(f, "UPDATE members SET roles = 3 WHERE id = '%s'", f->b);
	activate(f, f->u, ROLE_MEMBER | ROLE_COORDINATOR);
	raw_exec(f, "UPDATE members SET status = 2 WHERE id = '%s'", f->u);
	assert_int_equal(
	    store_member_list_role(f->s, ROLE_COORDINATOR, &ms, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ms[0].id, f->c);
	free(ms);
	assert_int_equal(store_member_list_role(
			     f->s, ROLE_COORDINATOR | ROLE_DIRECTOR, &ms, &n),
	    STORE_OK);
	assert_int_equal(n, 2);
	assert_true(strcmp(ms[0].id, ms[1].id) < 0);
	for (i = 0; i < n; i++)
		assert_true(
		    strcmp(ms[i].id, f->c) == 0 || strcmp(ms[i].id, f->d) == 0);
	free(ms);
	assert_int_equal(
	    store_member_list_role(f->s, ROLE_PRINCIPAL, &ms, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_null(ms);
}

static void
test_member_list_role_refuses_no_role_or_unknown_bits(void **state)
{
	struct fx *f = *state;
	struct store_member *ms;
	size_t n;

	assert_int_equal(store_member_list_role(f->s, 0, &ms, &n), STORE_ERR);
	assert_int_equal(
	    store_member_list_role(f->s, ROLE_ALL + 1, &ms, &n), STORE_ERR);
	assert_null(ms);
	assert_int_equal(
	    store_member_list_role(f->s, ROLE_AUDITOR, NULL, &n), STORE_ERR);
}

static void
test_member_list_role_beyond_the_limit_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_member *ms;
	member_id id;
	char handle[32];
	size_t n, i;

	assert_int_equal(store_begin(f->s), 0);
	for (i = 0; i < STORE_ROLE_MEMBERS_MAX; i++) {
		(void)snprintf(handle, sizeof(handle), "director%zu", i);
		add_member(f->s, id, handle, "state");
	}
	assert_int_equal(store_commit(f->s), 0);
	raw_exec(f, "UPDATE members SET status = 1, key_epoch = 1, roles = 5, "
		    "sign_pk = zeroblob(32), box_pk = zeroblob(32), "
		    "ring_pk = zeroblob(32) WHERE handle LIKE 'director%%'");
	/* Exactly at the limit: all of them. */
	assert_int_equal(
	    store_member_list_role(f->s, ROLE_DIRECTOR, &ms, &n), STORE_OK);
	assert_int_equal(n, STORE_ROLE_MEMBERS_MAX);
	free(ms);
	/* One more: refused rather than cut short. */
	activate(f, f->d, ROLE_MEMBER | ROLE_DIRECTOR);
	assert_int_equal(store_member_list_role(f->s, ROLE_DIRECTOR, &ms, &n),
	    STORE_CONFLICT);
	assert_null(ms);
	assert_int_equal(n, 0);
}

/* Signatures. */

static void
test_signature_put_get_replace_and_delete(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v;
	struct store_signature sig, got;

	add_memo(f, &m);
	make_signature(&sig, 1);
	assert_int_equal(store_signature_put(f->s, m.id, &sig), STORE_OK);
	assert_int_equal(
	    store_signature_get(f->s, m.id, sig.tag, &got), STORE_OK);
	assert_memory_equal(&got, &sig, sizeof(sig));
	/* A re-signature over a new version replaces the record. */
	make_version(f, &v, 2, f->a);
	assert_int_equal(store_memo_version_put(f->s, m.id, &v), STORE_OK);
	sig.version = 2;
	randombytes_buf(sig.record, sizeof(sig.record));
	assert_int_equal(store_signature_put(f->s, m.id, &sig), STORE_OK);
	assert_int_equal(
	    store_signature_get(f->s, m.id, sig.tag, &got), STORE_OK);
	assert_memory_equal(&got, &sig, sizeof(sig));
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_signatures"), 1);
	assert_int_equal(store_signature_delete(f->s, m.id, sig.tag), STORE_OK);
	assert_int_equal(
	    store_signature_get(f->s, m.id, sig.tag, &got), STORE_NOTFOUND);
	assert_int_equal(
	    store_signature_delete(f->s, m.id, sig.tag), STORE_NOTFOUND);
}

static void
test_signature_over_an_unknown_version_is_notfound(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_signature sig;
	char id[MEMO_ID_LEN + 1];

	add_memo(f, &m);
	make_signature(&sig, 2);
	assert_int_equal(store_signature_put(f->s, m.id, &sig), STORE_NOTFOUND);
	memo_id_new(id);
	sig.version = 1;
	assert_int_equal(store_signature_put(f->s, id, &sig), STORE_NOTFOUND);
	sig.version = 0;
	assert_int_equal(store_signature_put(f->s, m.id, &sig), STORE_ERR);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_signatures"), 0);
}

static void
test_signature_list_is_ordered_by_tag_and_filters_by_version(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v;
	struct store_signature sig[5], *sigs;
	uint32_t count;
	size_t i, n;

	add_memo(f, &m);
	make_version(f, &v, 2, f->a);
	assert_int_equal(store_memo_version_put(f->s, m.id, &v), STORE_OK);
	for (i = 0; i < 5; i++) {
		make_signature(&sig[i], i < 2 ? 1 : 2);
		assert_int_equal(
		    store_signature_put(f->s, m.id, &sig[i]), STORE_OK);
	}
	assert_int_equal(
	    store_signature_list(f->s, m.id, 0, &sigs, &n), STORE_OK);
	assert_int_equal(n, 5);
	for (i = 1; i < n; i++)
		assert_true(
		    memcmp(sigs[i - 1].tag, sigs[i].tag, MEMO_HASH_BYTES) < 0);
	free(sigs);
	assert_int_equal(
	    store_signature_list(f->s, m.id, 2, &sigs, &n), STORE_OK);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_int_equal(sigs[i].version, 2);
	free(sigs);
	assert_int_equal(
	    store_signature_list(f->s, m.id, 3, &sigs, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_null(sigs);
	assert_int_equal(
	    store_signature_count(f->s, m.id, 0, &count), STORE_OK);
	assert_int_equal(count, 5);
	assert_int_equal(
	    store_signature_count(f->s, m.id, 1, &count), STORE_OK);
	assert_int_equal(count, 2);
}

static void
test_signature_put_beyond_the_limit_is_conflict_but_resigning_is_not(
    void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_signature mine, other;
	uint32_t count;

	add_memo(f, &m);
	make_signature(&mine, 1);
	assert_int_equal(store_signature_put(f->s, m.id, &mine), STORE_OK);
	raw_exec(f,
	    "WITH RECURSIVE c(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < %d) INSERT INTO memo_signatures (memo_id, tag, "
	    "version, record) SELECT '%s', randomblob(32), 1, "
	    "zeroblob(%d) FROM c",
	    STORE_SIGNATURES_MAX, m.id, MEMO_RECORD_SEALED_BYTES);
	make_signature(&other, 1);
	assert_int_equal(
	    store_signature_put(f->s, m.id, &other), STORE_CONFLICT);
	randombytes_buf(mine.record, sizeof(mine.record));
	assert_int_equal(store_signature_put(f->s, m.id, &mine), STORE_OK);
	assert_int_equal(
	    store_signature_count(f->s, m.id, 0, &count), STORE_OK);
	assert_int_equal(count, STORE_SIGNATURES_MAX);
}

/* Counters (migration 5). */

/* Assert ${m}'s named signature counts: all, over version 1, over 2. */
static void
assert_sig_counts(
    struct fx *f, const char *memo_id, uint32_t all, uint32_t v1, uint32_t v2)
{
	uint32_t n;
	char sql[160];

	assert_int_equal(store_signature_count(f->s, memo_id, 0, &n), STORE_OK);
	assert_int_equal(n, all);
	assert_int_equal(store_signature_count(f->s, memo_id, 1, &n), STORE_OK);
	assert_int_equal(n, v1);
	assert_int_equal(store_signature_count(f->s, memo_id, 2, &n), STORE_OK);
	assert_int_equal(n, v2);
	/* The counters agree with the rows. */
	(void)snprintf(sql, sizeof(sql),
	    "SELECT count(*) FROM memo_signatures WHERE memo_id = '%s'",
	    memo_id);
	assert_int_equal(raw_int(f, sql), all);
}

static void
test_signature_counts_follow_put_replace_delete_and_new_versions(void **state)
{
	struct fx *f = *state;
	struct store_memo m, other;
	struct store_memo_version v;
	struct store_signature sig[3], elsewhere;

	add_memo(f, &m);
	add_memo(f, &other);
	assert_sig_counts(f, m.id, 0, 0, 0);
	make_signature(&elsewhere, 1);
	assert_int_equal(
	    store_signature_put(f->s, other.id, &elsewhere), STORE_OK);
	for (size_t i = 0; i < 3; i++) {
		make_signature(&sig[i], 1);
		assert_int_equal(
		    store_signature_put(f->s, m.id, &sig[i]), STORE_OK);
	}
	assert_sig_counts(f, m.id, 3, 3, 0);
	/* A new version counts nothing until someone signs it. */
	make_version(f, &v, 2, f->a);
	assert_int_equal(store_memo_version_put(f->s, m.id, &v), STORE_OK);
	assert_sig_counts(f, m.id, 3, 3, 0);
	/* Re-signing over the new version moves the count. */
	sig[0].version = 2;
	assert_int_equal(store_signature_put(f->s, m.id, &sig[0]), STORE_OK);
	assert_sig_counts(f, m.id, 3, 2, 1);
	/* Replacing the record over the same version changes no count. */
	randombytes_buf(sig[0].record, sizeof(sig[0].record));
	assert_int_equal(store_signature_put(f->s, m.id, &sig[0]), STORE_OK);
	assert_sig_counts(f, m.id, 3, 2, 1);
	assert_int_equal(
	    store_signature_delete(f->s, m.id, sig[1].tag), STORE_OK);
	assert_int_equal(
	    store_signature_delete(f->s, m.id, sig[1].tag), STORE_NOTFOUND);
	assert_sig_counts(f, m.id, 2, 1, 1);
	/* A refused signature counts nothing. */
	make_signature(&sig[1], 3);
	assert_int_equal(
	    store_signature_put(f->s, m.id, &sig[1]), STORE_NOTFOUND);
	assert_sig_counts(f, m.id, 2, 1, 1);
	assert_sig_counts(f, other.id, 1, 1, 0);
}

static void
test_counts_roll_back_with_their_transaction(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_signature keep, drop;
	char(*ids)[DIRECTORY_MEMBER_ID_LEN + 1];
	size_t n;

	add_memo(f, &m);
	make_signature(&keep, 1);
	assert_int_equal(store_signature_put(f->s, m.id, &keep), STORE_OK);
	assert_int_equal(store_begin(f->s), 0);
	make_signature(&drop, 1);
	assert_int_equal(store_signature_put(f->s, m.id, &drop), STORE_OK);
	assert_int_equal(
	    store_signature_delete(f->s, m.id, keep.tag), STORE_OK);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	store_rollback(f->s);
	assert_sig_counts(f, m.id, 1, 1, 0);
	assert_int_equal(
	    store_memo_related(f->s, m.id, ACCESS_REL_INVITEE, &ids, &n),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(raw_int(f, "SELECT coalesce(sum(n), 0) FROM "
				    "memo_counts WHERE kind = 3 AND sub = 4"),
	    0);
}

static void
test_relation_counts_follow_relate_and_unrelate(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	char sql[160];

	add_memo(f, &m);
	(void)snprintf(sql, sizeof(sql),
	    "SELECT n FROM memo_counts WHERE memo_id = '%s' AND kind = 3 AND "
	    "sub = 4",
	    m.id);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->c, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	assert_int_equal(raw_int(f, sql), 2);
	assert_int_equal(
	    store_memo_unrelate(f->s, m.id, f->b, ACCESS_REL_INVITEE),
	    STORE_OK);
	assert_int_equal(raw_int(f, sql), 1);
	/* The drafter was counted when the memo was made. */
	(void)snprintf(sql, sizeof(sql),
	    "SELECT n FROM memo_counts WHERE memo_id = '%s' AND kind = 3 AND "
	    "sub = 1",
	    m.id);
	assert_int_equal(raw_int(f, sql), 1);
}

static void
test_migration_5_fills_the_counters_from_the_rows(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v;
	struct store_signature sig;
	char(*ids)[DIRECTORY_MEMBER_ID_LEN + 1];
	uint32_t count;
	size_t i, n;

	add_memo(f, &m);
	make_version(f, &v, 2, f->a);
	assert_int_equal(store_memo_version_put(f->s, m.id, &v), STORE_OK);
	for (i = 0; i < 5; i++) {
		make_signature(&sig, i < 2 ? 1 : 2);
		assert_int_equal(
		    store_signature_put(f->s, m.id, &sig), STORE_OK);
	}
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	store_free(f->s);
	f->s = NULL;
	/* Back to schema 4 with rows the counters never saw. */
	raw_exec(f, "DROP TRIGGER memo_signatures_count_insert; "
		    "DROP TRIGGER memo_signatures_count_delete; "
		    "DROP TRIGGER memo_signatures_count_update; "
		    "DROP TRIGGER memo_anon_signatures_count_insert; "
		    "DROP TRIGGER memo_anon_signatures_count_delete; "
		    "DROP TRIGGER memo_anon_signatures_count_update; "
		    "DROP TRIGGER memo_members_count_insert; "
		    "DROP TRIGGER memo_members_count_delete; "
		    "DROP TRIGGER memo_members_count_update;");
	raw_exec(f,
	    "DROP TABLE memo_counts; "
	    "DELETE FROM schema_migrations WHERE version >= 5; "
	    "INSERT INTO memo_signatures (memo_id, tag, version, record) "
	    "VALUES ('%s', randomblob(32), 2, zeroblob(%d)); "
	    "PRAGMA user_version = 4;",
	    m.id, MEMO_RECORD_SEALED_BYTES);
	assert_int_equal(store_open(&f->s, f->path, NOW + 1), 0);
	assert_sig_counts(f, m.id, 6, 2, 4);
	assert_int_equal(
	    store_memo_related(f->s, m.id, ACCESS_REL_INVITEE, &ids, &n),
	    STORE_OK);
	assert_int_equal(n, 1);
	free(ids);
	/* And keeps them from then on. */
	make_signature(&sig, 2);
	assert_int_equal(store_signature_put(f->s, m.id, &sig), STORE_OK);
	assert_int_equal(
	    store_signature_count(f->s, m.id, 2, &count), STORE_OK);
	assert_int_equal(count, 5);
}

static void
test_a_memo_takes_its_full_signatures_one_at_a_time(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_signature sig;
	uint32_t count;
	size_t i;

	/*
	 * Every put reads the counter, not the rows: this is linear (it took
	 * minutes when each put counted the memo's rows under a tight cap).
	 */
	add_memo(f, &m);
	assert_int_equal(store_begin(f->s), 0);
	for (i = 0; i < STORE_SIGNATURES_MAX; i++) {
		make_signature(&sig, 1);
		assert_int_equal(
		    store_signature_put(f->s, m.id, &sig), STORE_OK);
		assert_int_equal(
		    store_signature_count(f->s, m.id, 0, &count), STORE_OK);
		assert_int_equal(count, i + 1);
	}
	make_signature(&sig, 1);
	assert_int_equal(store_signature_put(f->s, m.id, &sig), STORE_CONFLICT);
	assert_int_equal(store_commit(f->s), 0);
	assert_sig_counts(
	    f, m.id, STORE_SIGNATURES_MAX, STORE_SIGNATURES_MAX, 0);
}

/* Return 1 if ${sql} prepares on the fixture's database, else 0. */
static int
raw_prepares(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int rc;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	(void)sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return (rc == SQLITE_OK);
}

static void
test_signature_rows_hold_no_member_time_or_arrival_order(void **state)
{
	struct fx *f = *state;

	/* Exactly these columns; and no rowid, so no insertion order. */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM pragma_table_info("
				    "'memo_signatures')"),
	    4);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM pragma_table_info("
		       "'memo_signatures') WHERE name IN ('memo_id', 'tag', "
		       "'version', 'record')"),
	    4);
	assert_true(raw_prepares(f, "SELECT tag FROM memo_signatures"));
	assert_false(raw_prepares(f, "SELECT rowid FROM memo_signatures"));
	/* And no relation row can name a signer (ACCESS_REL_SIGNER, 8). */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM sqlite_schema "
				    "WHERE name = 'memo_members' AND sql LIKE "
				    "'%rel IN (1, 2, 4, 16, 32)%'"),
	    1);
}

/* Accesses. */

static void
test_access_put_and_list_oldest_first(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_access a, *as;
	size_t n;

	add_memo(f, &m);
	memset(&a, 0, sizeof(a));
	memcpy(a.member_id, f->b, sizeof(f->b));
	a.kind = EVENT_ACCESS_CONTENT;
	a.at = NOW + 2;
	randombytes_buf(a.nonce, sizeof(a.nonce));
	a.log_index = 7;
	assert_int_equal(store_access_put(f->s, m.id, &a), STORE_OK);
	(void)snprintf(
	    a.member_id, sizeof(a.member_id), "%s", STORE_RECIPIENT_CHANNEL);
	a.kind = 0;
	a.at = NOW + 1;
	a.log_index = 8;
	assert_int_equal(store_access_put(f->s, m.id, &a), STORE_OK);
	assert_int_equal(store_access_list(f->s, m.id, &as, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(as[0].member_id, f->b);
	assert_int_equal(as[0].kind, EVENT_ACCESS_CONTENT);
	assert_int_equal(as[0].log_index, 7);
	assert_string_equal(as[1].member_id, STORE_RECIPIENT_CHANNEL);
	assert_memory_equal(as[1].nonce, a.nonce, sizeof(a.nonce));
	free(as);
}

static void
test_access_put_refuses_bad_fields_and_unknown_memos(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_access a;
	char id[MEMO_ID_LEN + 1];

	add_memo(f, &m);
	memset(&a, 0, sizeof(a));
	memcpy(a.member_id, f->b, sizeof(f->b));
	a.kind = EVENT_ACCESS_REPLIES + 1;
	assert_int_equal(store_access_put(f->s, m.id, &a), STORE_ERR);
	a.kind = -1;
	assert_int_equal(store_access_put(f->s, m.id, &a), STORE_ERR);
	a.kind = EVENT_ACCESS_KEY;
	(void)snprintf(a.member_id, sizeof(a.member_id), "webhook");
	assert_int_equal(store_access_put(f->s, m.id, &a), STORE_ERR);
	memcpy(a.member_id, f->b, sizeof(f->b));
	a.log_index = STORE_LOG_SIZE_MAX;
	assert_int_equal(store_access_put(f->s, m.id, &a), STORE_ERR);
	a.log_index = 0;
	memo_id_new(id);
	assert_int_equal(store_access_put(f->s, id, &a), STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_accesses"), 0);
}

static void
test_access_list_returns_the_newest_when_there_are_too_many(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_access a, *as;
	size_t n;

	add_memo(f, &m);
	raw_exec(f,
	    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < %d) INSERT INTO memo_accesses (memo_id, member_id, "
	    "kind, at, nonce, log_index) SELECT '%s', '%s', 2, i, "
	    "zeroblob(32), i FROM c",
	    STORE_ACCESS_LIST_MAX, m.id, f->b);
	memset(&a, 0, sizeof(a));
	memcpy(a.member_id, f->e, sizeof(f->e));
	a.kind = EVENT_ACCESS_SIGNERS;
	a.at = NOW;
	assert_int_equal(store_access_put(f->s, m.id, &a), STORE_OK);
	assert_int_equal(store_access_list(f->s, m.id, &as, &n), STORE_OK);
	assert_int_equal(n, STORE_ACCESS_LIST_MAX);
	assert_int_equal(as[0].at, 2);
	assert_string_equal(as[n - 1].member_id, f->e);
	free(as);
}

/* Replies. */

static void
test_reply_number_must_be_the_next(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_reply r, *rs;
	size_t n;

	add_memo(f, &m);
	make_reply(&r, 2, f->c, f->box[0], sizeof(f->box[0]));
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_CONFLICT);
	make_reply(&r, 0, f->c, f->box[0], sizeof(f->box[0]));
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_CONFLICT);
	make_reply(&r, 1, f->c, f->box[0], sizeof(f->box[0]));
	r.kind = MEMO_REPLY_KIND_REDIRECT;
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_OK);
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_CONFLICT);
	make_reply(&r, 2, f->d, f->box[1], 10);
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_OK);
	assert_int_equal(store_reply_list(f->s, m.id, &rs, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(rs[0].n, 1);
	assert_int_equal(rs[0].kind, MEMO_REPLY_KIND_REDIRECT);
	assert_string_equal(rs[0].author, f->c);
	assert_int_equal(rs[0].boxlen, sizeof(f->box[0]));
	assert_memory_equal(rs[0].box, f->box[0], rs[0].boxlen);
	assert_int_equal(rs[1].n, 2);
	assert_int_equal(rs[1].boxlen, 10);
	assert_memory_equal(rs[1].box, f->box[1], 10);
	free(rs[0].box);
	free(rs[1].box);
	free(rs);
}

static void
test_reply_put_refuses_bad_fields_and_unknown_references(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_reply r;
	uint8_t *big;
	char id[MEMO_ID_LEN + 1];

	add_memo(f, &m);
	assert_non_null(big = calloc(1, MEMO_REPLY_BOX_MAX + 1));
	make_reply(&r, 1, f->c, big, MEMO_REPLY_BOX_MAX + 1);
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_ERR);
	r.boxlen = 0;
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_ERR);
	r.boxlen = MEMO_REPLY_BOX_MAX;
	r.kind = 4;
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_ERR);
	r.kind = MEMO_REPLY_KIND_OUTCOME;
	directory_member_id_new(r.author);
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_NOTFOUND);
	memcpy(r.author, f->c, sizeof(f->c));
	memo_id_new(id);
	assert_int_equal(store_reply_put(f->s, id, &r), STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_replies"), 0);
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_OK);
	free(big);
}

static void
test_reply_beyond_the_limit_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_reply r;

	add_memo(f, &m);
	raw_exec(f,
	    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < %d) INSERT INTO memo_replies (memo_id, n, kind, author, "
	    "created_at, box) SELECT '%s', i, 1, '%s', 0, x'00' FROM c",
	    STORE_REPLIES_MAX, m.id, f->c);
	make_reply(&r, STORE_REPLIES_MAX + 1, f->c, f->box[0], 1);
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_CONFLICT);
}

static void
test_a_damaged_reply_fails_the_whole_list(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_reply r, *rs;
	size_t n;

	add_memo(f, &m);
	make_reply(&r, 1, f->c, f->box[0], sizeof(f->box[0]));
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_OK);
	make_reply(&r, 2, f->c, f->box[0], sizeof(f->box[0]));
	assert_int_equal(store_reply_put(f->s, m.id, &r), STORE_OK);
	raw_exec(f, "UPDATE memo_replies SET box = zeroblob(%u) WHERE n = 2",
	    MEMO_REPLY_BOX_MAX + 1);
	log_reset();
	assert_int_equal(store_reply_list(f->s, m.id, &rs, &n), STORE_ERR);
	assert_null(rs);
	assert_int_equal(n, 0);
	assert_int_equal(logged.count, 1);
	assert_non_null(strstr(logged.all, "box"));
}

/* Distributions. */

static void
test_distribution_put_updates_the_same_principal(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_distribution d, *ds;
	size_t n;

	add_memo(f, &m);
	memset(&d, 0, sizeof(d));
	memcpy(d.principal, f->d, sizeof(f->d));
	memcpy(d.requested_by, f->c, sizeof(f->c));
	d.status = STORE_DIST_PENDING;
	d.at = NOW + 1;
	assert_int_equal(store_distribution_put(f->s, m.id, &d), STORE_OK);
	memcpy(d.principal, f->e, sizeof(f->e));
	d.status = STORE_DIST_DONE;
	d.at = NOW + 2;
	assert_int_equal(store_distribution_put(f->s, m.id, &d), STORE_OK);
	/* The director approves the pending one. */
	memcpy(d.principal, f->d, sizeof(f->d));
	memcpy(d.approved_by, f->u, sizeof(f->u));
	d.status = STORE_DIST_DONE;
	d.at = NOW + 3;
	assert_int_equal(store_distribution_put(f->s, m.id, &d), STORE_OK);
	assert_int_equal(
	    store_distribution_list(f->s, m.id, &ds, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ds[0].principal, f->e);
	assert_string_equal(ds[0].approved_by, "");
	assert_string_equal(ds[1].principal, f->d);
	assert_int_equal(ds[1].status, STORE_DIST_DONE);
	assert_string_equal(ds[1].approved_by, f->u);
	assert_string_equal(ds[1].requested_by, f->c);
	assert_int_equal(ds[1].at, NOW + 3);
	free(ds);
}

static void
test_distribution_put_refuses_bad_or_unknown_fields(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_distribution d;

	add_memo(f, &m);
	memset(&d, 0, sizeof(d));
	memcpy(d.principal, f->d, sizeof(f->d));
	memcpy(d.requested_by, f->c, sizeof(f->c));
	d.status = 2;
	assert_int_equal(store_distribution_put(f->s, m.id, &d), STORE_ERR);
	d.status = STORE_DIST_DONE;
	(void)snprintf(d.approved_by, sizeof(d.approved_by), "director");
	assert_int_equal(store_distribution_put(f->s, m.id, &d), STORE_ERR);
	directory_member_id_new(d.approved_by);
	assert_int_equal(
	    store_distribution_put(f->s, m.id, &d), STORE_NOTFOUND);
	d.approved_by[0] = '\0';
	directory_member_id_new(d.principal);
	assert_int_equal(
	    store_distribution_put(f->s, m.id, &d), STORE_NOTFOUND);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM memo_distributions"), 0);
}

static void
test_distribution_to_a_new_principal_beyond_the_limit_is_conflict(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_distribution d;

	add_memo(f, &m);
	raw_exec(f,
	    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
	    "WHERE i < %d) INSERT INTO memo_distributions (memo_id, "
	    "principal, status, requested_by, approved_by, at) SELECT '%s', "
	    "printf('m_%%024x', i), 1, '%s', NULL, 0 FROM c",
	    STORE_DISTRIBUTIONS_MAX, m.id, f->c);
	memset(&d, 0, sizeof(d));
	memcpy(d.principal, f->d, sizeof(f->d));
	memcpy(d.requested_by, f->c, sizeof(f->c));
	d.status = STORE_DIST_DONE;
	assert_int_equal(
	    store_distribution_put(f->s, m.id, &d), STORE_CONFLICT);
}

/* Meetings. */

static void
make_meeting(struct store_meeting *mt, const char *memo_id,
    const char *principal, const char *by, int64_t at)
{

	memset(mt, 0, sizeof(*mt));
	(void)snprintf(mt->memo_id, sizeof(mt->memo_id), "%s", memo_id);
	(void)snprintf(mt->principal, sizeof(mt->principal), "%s", principal);
	(void)snprintf(mt->requested_by, sizeof(mt->requested_by), "%s", by);
	mt->state = STORE_MEETING_REQUESTED;
	mt->created_at = at;
}

static void
test_meeting_insert_assigns_ids_and_update_changes_its_state(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_meeting mt, mt2, got;

	add_memo(f, &m);
	make_meeting(&mt, m.id, f->d, f->a, NOW);
	assert_int_equal(store_meeting_insert(f->s, &mt), STORE_OK);
	assert_true(mt.id >= 1);
	make_meeting(&mt2, m.id, f->e, f->a, NOW);
	assert_int_equal(store_meeting_insert(f->s, &mt2), STORE_OK);
	assert_true(mt2.id != mt.id);
	assert_int_equal(store_meeting_get(f->s, mt.id, &got), STORE_OK);
	assert_memory_equal(&got, &mt, sizeof(mt));
	mt.state = STORE_MEETING_HELD;
	mt.scheduled_at = NOW + 100;
	mt.outcome_n = 3;
	/* Only the state, the time and the outcome change. */
	memcpy(mt.principal, f->e, sizeof(f->e));
	assert_int_equal(store_meeting_update(f->s, &mt), STORE_OK);
	assert_int_equal(store_meeting_get(f->s, mt.id, &got), STORE_OK);
	assert_int_equal(got.state, STORE_MEETING_HELD);
	assert_int_equal(got.scheduled_at, NOW + 100);
	assert_int_equal(got.outcome_n, 3);
	assert_string_equal(got.principal, f->d);
}

static void
test_meeting_refusals(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_meeting mt;

	add_memo(f, &m);
	make_meeting(&mt, m.id, f->d, f->a, NOW);
	mt.state = 5;
	assert_int_equal(store_meeting_insert(f->s, &mt), STORE_ERR);
	mt.state = STORE_MEETING_REQUESTED;
	directory_member_id_new(mt.principal);
	assert_int_equal(store_meeting_insert(f->s, &mt), STORE_NOTFOUND);
	assert_int_equal(mt.id, 0);
	make_meeting(&mt, m.id, f->d, f->a, NOW);
	memo_id_new(mt.memo_id);
	assert_int_equal(store_meeting_insert(f->s, &mt), STORE_NOTFOUND);
	mt.id = 99;
	assert_int_equal(store_meeting_update(f->s, &mt), STORE_NOTFOUND);
	assert_int_equal(store_meeting_get(f->s, 99, &mt), STORE_NOTFOUND);
	assert_int_equal(store_meeting_get(f->s, 0, &mt), STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM meetings"), 0);
}

static void
test_meeting_list_shows_a_members_meetings_newest_first(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_meeting mt[3], *ms;
	size_t n;

	add_memo(f, &m);
	make_meeting(&mt[0], m.id, f->d, f->a, NOW + 1);
	make_meeting(&mt[1], m.id, f->e, f->b, NOW + 3);
	make_meeting(&mt[2], m.id, f->e, f->a, NOW + 2);
	assert_int_equal(store_meeting_insert(f->s, &mt[0]), STORE_OK);
	assert_int_equal(store_meeting_insert(f->s, &mt[1]), STORE_OK);
	assert_int_equal(store_meeting_insert(f->s, &mt[2]), STORE_OK);
	assert_int_equal(store_meeting_list(f->s, f->a, &ms, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ms[0].id, mt[2].id);
	assert_int_equal(ms[1].id, mt[0].id);
	free(ms);
	assert_int_equal(store_meeting_list(f->s, f->e, &ms, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ms[0].id, mt[1].id);
	free(ms);
	assert_int_equal(store_meeting_list(f->s, NULL, &ms, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(ms[0].id, mt[1].id);
	assert_int_equal(ms[2].id, mt[0].id);
	free(ms);
	assert_int_equal(store_meeting_list(f->s, f->u, &ms, &n), STORE_OK);
	assert_int_equal(n, 0);
}

/* Complaints. */

static void
test_complaint_readers_see_only_their_own_sealed_key(void **state)
{
	struct fx *f = *state;
	struct store_complaint c, c2, *cs;
	char readers[2][DIRECTORY_MEMBER_ID_LEN + 1];
	uint8_t sealed[2][STORE_GRANT_MAX];
	size_t sealedlen[2] = {48, STORE_GRANT_MAX}, n;

	memcpy(readers[0], f->e, sizeof(f->e));
	memcpy(readers[1], f->c, sizeof(f->c));
	randombytes_buf(sealed, sizeof(sealed));
	memset(&c, 0, sizeof(c));
	c.created_at = NOW;
	c.box = f->box[0];
	c.boxlen = sizeof(f->box[0]);
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 2),
	    STORE_OK);
	assert_true(c.id >= 1);
	memset(&c2, 0, sizeof(c2));
	c2.created_at = NOW + 1;
	c2.box = f->box[1];
	c2.boxlen = 5;
	assert_int_equal(
	    store_complaint_insert(f->s, &c2, readers, sealed, sealedlen, 1),
	    STORE_OK);
	assert_int_equal(store_complaint_list(f->s, f->c, &cs, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(cs[0].id, c.id);
	assert_int_equal(cs[0].sealedlen, STORE_GRANT_MAX);
	assert_memory_equal(cs[0].sealed, sealed[1], STORE_GRANT_MAX);
	assert_memory_equal(cs[0].box, f->box[0], sizeof(f->box[0]));
	free(cs[0].box);
	free(cs);
	assert_int_equal(store_complaint_list(f->s, f->e, &cs, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(cs[0].id, c2.id);
	assert_int_equal(cs[0].boxlen, 5);
	assert_int_equal(cs[1].sealedlen, 48);
	assert_memory_equal(cs[1].sealed, sealed[0], 48);
	free(cs[0].box);
	free(cs[1].box);
	free(cs);
	assert_int_equal(store_complaint_list(f->s, f->a, &cs, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void
test_complaint_with_an_unknown_or_repeated_reader_leaves_nothing(void **state)
{
	struct fx *f = *state;
	struct store_complaint c;
	char readers[2][DIRECTORY_MEMBER_ID_LEN + 1];
	uint8_t sealed[2][STORE_GRANT_MAX];
	size_t sealedlen[2] = {48, 48};

	memset(&c, 0, sizeof(c));
	c.box = f->box[0];
	c.boxlen = sizeof(f->box[0]);
	randombytes_buf(sealed, sizeof(sealed));
	memcpy(readers[0], f->e, sizeof(f->e));
	directory_member_id_new(readers[1]);
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 2),
	    STORE_NOTFOUND);
	assert_int_equal(c.id, 0);
	memcpy(readers[1], f->e, sizeof(f->e));
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 2),
	    STORE_CONFLICT);
	assert_int_equal(c.id, 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM complaints"), 0);
	assert_int_equal(
	    raw_int(f, "SELECT count(*) FROM complaint_readers"), 0);
}

static void
test_complaint_refuses_boxes_and_keys_over_the_limits(void **state)
{
	struct fx *f = *state;
	struct store_complaint c;
	char readers[1][DIRECTORY_MEMBER_ID_LEN + 1];
	uint8_t sealed[1][STORE_GRANT_MAX];
	size_t sealedlen[1] = {STORE_GRANT_MAX + 1};
	uint8_t *big;

	memcpy(readers[0], f->e, sizeof(f->e));
	memset(sealed, 0, sizeof(sealed));
	memset(&c, 0, sizeof(c));
	c.box = f->box[0];
	c.boxlen = sizeof(f->box[0]);
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 1),
	    STORE_ERR);
	sealedlen[0] = 0;
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 1),
	    STORE_ERR);
	sealedlen[0] = 1;
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 0),
	    STORE_ERR);
	assert_int_equal(store_complaint_insert(f->s, &c, readers, sealed,
			     sealedlen, STORE_COMPLAINT_READERS_MAX + 1),
	    STORE_ERR);
	assert_non_null(big = calloc(1, STORE_COMPLAINT_BOX_MAX + 1));
	c.box = big;
	c.boxlen = STORE_COMPLAINT_BOX_MAX + 1;
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 1),
	    STORE_ERR);
	c.boxlen = STORE_COMPLAINT_BOX_MAX;
	assert_int_equal(raw_int(f, "SELECT count(*) FROM complaints"), 0);
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 1),
	    STORE_OK);
	free(big);
}

/* The channel key. */

static void
test_channel_key_is_created_once(void **state)
{
	struct fx *f = *state;
	uint8_t pk[KEYS_BOX_PK_BYTES], other[KEYS_BOX_PK_BYTES],
	    got[KEYS_BOX_PK_BYTES];
	uint64_t idx = 99;
	int64_t at;

	assert_int_equal(
	    store_channel_key_get(f->s, got, &idx, &at), STORE_NOTFOUND);
	assert_int_equal(idx, 0);
	randombytes_buf(pk, sizeof(pk));
	randombytes_buf(other, sizeof(other));
	assert_int_equal(store_channel_key_create(f->s, pk, 7, NOW), STORE_OK);
	assert_int_equal(
	    store_channel_key_create(f->s, other, 8, NOW + 1), STORE_CONFLICT);
	assert_int_equal(store_channel_key_get(f->s, got, &idx, &at), STORE_OK);
	assert_memory_equal(got, pk, sizeof(pk));
	assert_int_equal(idx, 7);
	assert_int_equal(at, NOW);
}

static void
test_channel_key_keeps_the_largest_log_index(void **state)
{
	struct fx *f = *state;
	uint8_t pk[KEYS_BOX_PK_BYTES], got[KEYS_BOX_PK_BYTES];
	uint64_t idx;
	int64_t at;

	randombytes_buf(pk, sizeof(pk));
	assert_int_equal(
	    store_channel_key_create(f->s, pk, STORE_LOG_SIZE_MAX - 1, NOW),
	    STORE_OK);
	assert_int_equal(store_channel_key_get(f->s, got, &idx, &at), STORE_OK);
	assert_true(idx == STORE_LOG_SIZE_MAX - 1);
}

static void
test_channel_key_refuses_a_log_index_out_of_range(void **state)
{
	struct fx *f = *state;
	uint8_t pk[KEYS_BOX_PK_BYTES], got[KEYS_BOX_PK_BYTES];
	uint64_t idx;
	int64_t at;

	randombytes_buf(pk, sizeof(pk));
	assert_int_equal(
	    store_channel_key_create(f->s, pk, STORE_LOG_SIZE_MAX, NOW),
	    STORE_ERR);
	assert_int_equal(
	    store_channel_key_create(f->s, pk, UINT64_MAX, NOW), STORE_ERR);
	assert_int_equal(
	    store_channel_key_get(f->s, got, &idx, &at), STORE_NOTFOUND);
	assert_int_equal(
	    store_channel_key_get(f->s, got, NULL, &at), STORE_ERR);
}

static void
test_channel_grant_needs_the_key_and_put_replaces(void **state)
{
	struct fx *f = *state;
	uint8_t pk[KEYS_BOX_PK_BYTES], sealed[STORE_GRANT_MAX],
	    got[STORE_GRANT_MAX];
	member_id ghost;
	size_t len;

	randombytes_buf(sealed, sizeof(sealed));
	assert_int_equal(store_channel_grant_put(f->s, f->c, sealed, 80, NOW),
	    STORE_NOTFOUND);
	randombytes_buf(pk, sizeof(pk));
	assert_int_equal(store_channel_key_create(f->s, pk, 0, NOW), STORE_OK);
	assert_int_equal(
	    store_channel_grant_get(f->s, f->c, got, &len), STORE_NOTFOUND);
	assert_int_equal(
	    store_channel_grant_put(f->s, f->c, sealed, 80, NOW), STORE_OK);
	assert_int_equal(store_channel_grant_put(
			     f->s, f->c, sealed, STORE_GRANT_MAX, NOW + 1),
	    STORE_OK);
	assert_int_equal(
	    store_channel_grant_get(f->s, f->c, got, &len), STORE_OK);
	assert_int_equal(len, STORE_GRANT_MAX);
	assert_memory_equal(got, sealed, len);
	assert_int_equal(store_channel_grant_put(
			     f->s, f->c, sealed, STORE_GRANT_MAX + 1, NOW),
	    STORE_ERR);
	assert_int_equal(
	    store_channel_grant_put(f->s, f->c, sealed, 0, NOW), STORE_ERR);
	directory_member_id_new(ghost);
	assert_int_equal(store_channel_grant_put(f->s, ghost, sealed, 80, NOW),
	    STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM channel_grants"), 1);
}

/* Notifications. */

static void
test_notifications_are_due_in_order_of_their_next_attempt(void **state)
{
	struct fx *f = *state;
	struct store_notification nt, *nts;
	size_t n;

	make_notification(&nt, f->a, NOW + 20);
	assert_int_equal(store_notification_put(f->s, &nt), STORE_OK);
	make_notification(&nt, STORE_RECIPIENT_WEBHOOK, NOW + 10);
	assert_int_equal(store_notification_put(f->s, &nt), STORE_OK);
	make_notification(&nt, f->b, NOW + 30);
	nt.kind = 4;
	assert_int_equal(store_notification_put(f->s, &nt), STORE_OK);
	assert_int_equal(
	    store_notification_due(f->s, NOW + 9, 10, &nts, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_null(nts);
	assert_int_equal(
	    store_notification_due(f->s, NOW + 20, 10, &nts, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(nts[0].recipient, STORE_RECIPIENT_WEBHOOK);
	assert_string_equal(nts[1].recipient, f->a);
	assert_int_equal(nts[1].next_at, NOW + 20);
	assert_int_equal(nts[1].attempts, 0);
	free(nts);
	assert_int_equal(
	    store_notification_due(f->s, NOW + 30, 1, &nts, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(nts[0].recipient, STORE_RECIPIENT_WEBHOOK);
	free(nts);
	assert_int_equal(
	    store_notification_due(f->s, NOW + 30, 0, &nts, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void
test_notification_retry_postpones_and_done_deletes(void **state)
{
	struct fx *f = *state;
	struct store_notification nt, *nts;
	int64_t id;
	size_t n;

	make_notification(&nt, f->a, NOW);
	assert_int_equal(store_notification_put(f->s, &nt), STORE_OK);
	make_notification(&nt, f->b, NOW + 1);
	assert_int_equal(store_notification_put(f->s, &nt), STORE_OK);
	assert_int_equal(
	    store_notification_due(f->s, NOW + 1, 10, &nts, &n), STORE_OK);
	assert_int_equal(n, 2);
	id = nts[0].id;
	free(nts);
	assert_int_equal(
	    store_notification_retry(f->s, id, NOW + 60), STORE_OK);
	assert_int_equal(
	    store_notification_retry(f->s, id, NOW + 120), STORE_OK);
	assert_int_equal(
	    store_notification_due(f->s, NOW + 119, 10, &nts, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(nts[0].recipient, f->b);
	free(nts);
	assert_int_equal(
	    store_notification_due(f->s, NOW + 120, 10, &nts, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(nts[1].id, id);
	assert_int_equal(nts[1].attempts, 2);
	assert_int_equal(nts[1].next_at, NOW + 120);
	assert_int_equal(store_notification_done(f->s, nts[0].id), STORE_OK);
	free(nts);
	assert_int_equal(store_notification_done(f->s, id), STORE_OK);
	assert_int_equal(store_notification_done(f->s, id), STORE_NOTFOUND);
	assert_int_equal(
	    store_notification_retry(f->s, id, NOW), STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM notifications"), 0);
}

static void
test_notification_put_refuses_bad_recipients_and_kinds(void **state)
{
	struct fx *f = *state;
	struct store_notification nt;

	make_notification(&nt, "channel", NOW);
	assert_int_equal(store_notification_put(f->s, &nt), STORE_ERR);
	make_notification(&nt, f->a, NOW);
	nt.kind = 0;
	assert_int_equal(store_notification_put(f->s, &nt), STORE_ERR);
	nt.kind = 256;
	assert_int_equal(store_notification_put(f->s, &nt), STORE_ERR);
	assert_int_equal(store_notification_put(f->s, NULL), STORE_ERR);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM notifications"), 0);
}

/* Transactions. */

static void
test_rollback_leaves_no_memo_version_or_relation(void **state)
{
	struct fx *f = *state;
	struct store_memo m, got;
	struct store_signature sig;

	assert_int_equal(store_begin(f->s), 0);
	add_memo(f, &m);
	assert_int_equal(
	    store_memo_relate(f->s, m.id, f->b, ACCESS_REL_INVITEE, f->a, NOW),
	    STORE_OK);
	make_signature(&sig, 1);
	assert_int_equal(store_signature_put(f->s, m.id, &sig), STORE_OK);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_OK);
	store_rollback(f->s);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_NOTFOUND);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_versions"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_members"), 0);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM memo_signatures"), 0);
}

static void
test_a_refused_call_inside_a_transaction_keeps_earlier_writes(void **state)
{
	struct fx *f = *state;
	struct store_memo m, got;
	struct store_memo_version v;
	struct store_complaint c;
	char readers[2][DIRECTORY_MEMBER_ID_LEN + 1];
	uint8_t sealed[2][STORE_GRANT_MAX];
	size_t sealedlen[2] = {48, 48};

	assert_int_equal(store_begin(f->s), 0);
	add_memo(f, &m);
	make_version(f, &v, 5, f->a);
	assert_int_equal(
	    store_memo_version_put(f->s, m.id, &v), STORE_CONFLICT);
	/* A complaint refused half way leaves none of its rows. */
	memset(&c, 0, sizeof(c));
	c.box = f->box[0];
	c.boxlen = 1;
	memset(sealed, 0, sizeof(sealed));
	memcpy(readers[0], f->e, sizeof(f->e));
	directory_member_id_new(readers[1]);
	assert_int_equal(
	    store_complaint_insert(f->s, &c, readers, sealed, sealedlen, 2),
	    STORE_NOTFOUND);
	assert_int_equal(store_commit(f->s), 0);
	assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_OK);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM complaints"), 0);
}

/* Damaged rows. */

static void
test_damaged_eligible_orgs_are_an_error_naming_no_value(void **state)
{
	static const char *const bad[] = {"state,,usaid", "state,state",
	    "state,", ",state", "State", "a,b,c,d,e,f,g,h,i", "sta te"};
	struct fx *f = *state;
	struct store_memo m, got, *ms;
	size_t i, n;

	add_memo(f, &m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		raw_exec(f,
		    "UPDATE memos SET eligible_orgs = '%s' WHERE "
		    "id = '%s'",
		    bad[i], m.id);
		log_reset();
		assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_ERR);
		assert_int_equal(logged.count, 1);
		assert_non_null(strstr(logged.all, "eligible_orgs"));
		assert_null(strstr(logged.all, m.id));
		assert_null(strstr(logged.all, bad[i]));
		assert_string_equal(got.id, "");
		assert_int_equal(
		    store_memo_list_member(f->s, f->a, &ms, &n), STORE_ERR);
		assert_null(ms);
	}
}

static void
test_damaged_memo_columns_are_an_error(void **state)
{
	static const char *const bad[] = {"topic = 'Bad Topic'",
	    "marking = 'PUBLIC'", "state = 10", "assignee = 'nobody'",
	    "missed = 9", "version = 0"};
	struct fx *f = *state;
	struct store_memo m, got;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		add_memo(f, &m);
		raw_exec(f,
		    "PRAGMA ignore_check_constraints = ON; UPDATE memos "
		    "SET %s WHERE id = '%s'",
		    bad[i], m.id);
		assert_int_equal(store_memo_get(f->s, m.id, &got), STORE_ERR);
	}
}

static void
test_damaged_boxes_and_records_are_an_error(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	struct store_memo_version v;
	struct store_signature sig, got;
	struct store_grant g;

	add_memo(f, &m);
	raw_exec(
	    f, "UPDATE memo_versions SET box = zeroblob(%u)", MEMO_BOX_MAX + 1);
	assert_int_equal(store_memo_version_get(f->s, m.id, 1, &v), STORE_ERR);
	assert_null(v.box);
	make_signature(&sig, 1);
	assert_int_equal(store_signature_put(f->s, m.id, &sig), STORE_OK);
	raw_exec(f, "PRAGMA ignore_check_constraints = ON; "
		    "UPDATE memo_signatures SET record = zeroblob(300)");
	assert_int_equal(
	    store_signature_get(f->s, m.id, sig.tag, &got), STORE_ERR);
	make_grant(&g, m.id, f->b, MEMO_GRANT_KEY, 0);
	assert_int_equal(store_grant_put(f->s, &g), STORE_OK);
	raw_exec(f, "PRAGMA ignore_check_constraints = ON; "
		    "UPDATE memo_grants SET sealed = zeroblob(513)");
	assert_int_equal(
	    store_grant_get(f->s, m.id, f->b, MEMO_GRANT_KEY, &g), STORE_ERR);
}

static void
test_a_signer_relation_on_disk_is_an_error(void **state)
{
	struct fx *f = *state;
	struct store_memo m;
	unsigned int rel;

	add_memo(f, &m);
	raw_exec(f,
	    "PRAGMA ignore_check_constraints = ON; INSERT INTO memo_members "
	    "(memo_id, rel, member_id, by_member, created_at) VALUES "
	    "('%s', 8, '%s', '%s', 0)",
	    m.id, f->b, f->a);
	assert_int_equal(
	    store_memo_relations(f->s, m.id, f->b, &rel), STORE_ERR);
	assert_int_equal(rel, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_memo_insert_then_get_round_trips),
	    T(test_memo_insert_keeps_eight_eligible_orgs_in_order),
	    T(test_memo_insert_duplicate_id_is_conflict_changing_nothing),
	    T(test_memo_insert_unknown_org_or_drafter_is_notfound_leaving_nothing),
	    T(test_memo_insert_refuses_invalid_fields),
	    T(test_memo_insert_refuses_a_box_over_the_limit_and_takes_one_at_it),
	    T(test_memo_get_unknown_or_malformed_id_is_notfound),
	    T(test_memo_update_writes_back_every_mutable_field),
	    T(test_memo_update_to_a_version_not_stored_is_conflict),
	    T(test_memo_update_unknown_memo_or_assignee_is_notfound),
	    T(test_memo_list_member_is_newest_first_without_repeats),
	    T(test_memo_lists_stop_at_the_list_limit),
	    T(test_memo_list_states_orders_by_ack_due_then_id),
	    T(test_memo_list_states_refuses_an_unknown_state),
	    T(test_relations_are_the_bits_of_every_stored_relation),
	    T(test_relate_again_is_ok_and_keeps_the_first),
	    T(test_relate_refuses_a_signer_role_bits_or_several_bits),
	    T(test_relate_unknown_memo_or_member_is_notfound),
	    T(test_related_lists_members_in_the_order_they_were_related),
	    T(test_relate_beyond_the_limit_is_conflict),
	    T(test_version_put_must_follow_the_current_version),
	    T(test_versions_lists_every_version_oldest_first_without_boxes),
	    T(test_version_put_refuses_a_box_over_the_limit_changing_nothing),
	    T(test_version_put_unknown_memo_or_author_is_notfound),
	    T(test_version_put_beyond_the_limit_is_conflict),
	    T(test_grant_put_then_get_round_trips_and_put_replaces),
	    T(test_grant_put_refuses_bad_fields_and_unknown_recipients),
	    T(test_held_grants_are_released_for_that_recipient_only),
	    T(test_memo_each_state_visits_every_memo_beyond_the_list_limit),
	    T(test_memo_each_state_of_exactly_one_page_visits_it_once),
	    T(test_memo_each_state_callback_may_write_through_the_store),
	    T(test_memo_each_state_stops_when_the_callback_fails),
	    T(test_memo_page_states_follows_the_cursor_in_id_order),
	    T(test_memo_page_states_refuses_bad_sizes_and_cursors),
	    T(test_unrelate_removes_only_that_relation),
	    T(test_unrelate_refusals),
	    T(test_grant_delete_removes_one_purpose_of_one_recipient),
	    T(test_member_list_role_lists_active_holders_by_id),
	    T(test_member_list_role_refuses_no_role_or_unknown_bits),
	    T(test_member_list_role_beyond_the_limit_is_conflict),
	    T(test_signature_put_get_replace_and_delete),
	    T(test_signature_over_an_unknown_version_is_notfound),
	    T(test_signature_list_is_ordered_by_tag_and_filters_by_version),
	    T(test_signature_put_beyond_the_limit_is_conflict_but_resigning_is_not),
	    T(test_signature_rows_hold_no_member_time_or_arrival_order),
	    T(test_signature_counts_follow_put_replace_delete_and_new_versions),
	    T(test_counts_roll_back_with_their_transaction),
	    T(test_relation_counts_follow_relate_and_unrelate),
	    T(test_migration_5_fills_the_counters_from_the_rows),
	    T(test_a_memo_takes_its_full_signatures_one_at_a_time),
	    T(test_access_put_and_list_oldest_first),
	    T(test_access_put_refuses_bad_fields_and_unknown_memos),
	    T(test_access_list_returns_the_newest_when_there_are_too_many),
	    T(test_reply_number_must_be_the_next),
	    T(test_reply_put_refuses_bad_fields_and_unknown_references),
	    T(test_reply_beyond_the_limit_is_conflict),
	    T(test_a_damaged_reply_fails_the_whole_list),
	    T(test_distribution_put_updates_the_same_principal),
	    T(test_distribution_put_refuses_bad_or_unknown_fields),
	    T(test_distribution_to_a_new_principal_beyond_the_limit_is_conflict),
	    T(test_meeting_insert_assigns_ids_and_update_changes_its_state),
	    T(test_meeting_refusals),
	    T(test_meeting_list_shows_a_members_meetings_newest_first),
	    T(test_complaint_readers_see_only_their_own_sealed_key),
	    T(test_complaint_with_an_unknown_or_repeated_reader_leaves_nothing),
	    T(test_complaint_refuses_boxes_and_keys_over_the_limits),
	    T(test_channel_key_is_created_once),
	    T(test_channel_key_keeps_the_largest_log_index),
	    T(test_channel_key_refuses_a_log_index_out_of_range),
	    T(test_channel_grant_needs_the_key_and_put_replaces),
	    T(test_notifications_are_due_in_order_of_their_next_attempt),
	    T(test_notification_retry_postpones_and_done_deletes),
	    T(test_notification_put_refuses_bad_recipients_and_kinds),
	    T(test_rollback_leaves_no_memo_version_or_relation),
	    T(test_a_refused_call_inside_a_transaction_keeps_earlier_writes),
	    T(test_damaged_eligible_orgs_are_an_error_naming_no_value),
	    T(test_damaged_memo_columns_are_an_error),
	    T(test_damaged_boxes_and_records_are_an_error),
	    T(test_a_signer_relation_on_disk_is_an_error),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
