/*
 * Anonymous signatures on the client (src/cli/cmd_anon.c): a memo's ring
 * snapshot is accepted only if it is exactly the members the replayed log
 * shows eligible at its tree size, each with the keys the log published
 * for its epoch (refused: a member not eligible then, one not yet in the
 * directory, a wrong key, an old epoch, a missing member, an extra one,
 * another tree size, a malformed answer); the ring is the whole set up to
 * the maximum and a subset holding the signer above it; the saved file
 * round-trips and malformed ones are refused; a list of anonymous
 * signatures is accepted only if every ring is drawn from the snapshot,
 * every signature verifies for its version and no tag appears twice; and
 * the anonymous request carries no token, over a connection of its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "cmd_anon.h"
#include "directory.h"
#include "event.h"
#include "httpc.h"
#include "jsonmem.h"
#include "keys.h"
#include "memowire.h"
#include "ring.h"

/* Members 0..4 are eligible; 5 is not, 6 is of another org, 7 suspended. */
#define NM 8
#define MEMO "d_0123456789abcdef01234567"
#define ERR 256

struct world {
	struct keys_secret ks[NM];
	struct keys_secret other; /* keys nobody published */
	char id[NM + 1][DIRECTORY_MEMBER_ID_LEN + 1];
	uint8_t ev[64][EVENT_MAX_BYTES];
	size_t len[64];
	size_t nev;
	uint64_t base; /* entries up to and including the suspension */
	json_t *orgs;
};

static struct world w;

/* Append an event of ${type} for member ${m} to the world's log. */
static void
log_event(uint16_t type, size_t m, const char *org, uint8_t eligible,
    uint32_t epoch, const struct keys_public *pub)
{
	struct event ev;

	assert_true(w.nev < 64);
	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = type;
	ev.time = 1764400000 + w.nev;
	if (type != EVENT_ORG_CREATED)
		memcpy(ev.member_id, w.id[m], sizeof(ev.member_id));
	if (org != NULL)
		(void)snprintf(ev.org_id, sizeof(ev.org_id), "%s", org);
	ev.roles = ROLE_MEMBER;
	ev.eligible = eligible;
	ev.epoch = epoch;
	if (pub != NULL)
		event_keys_hash(ev.keys_hash, pub);
	assert_int_equal(
	    event_encode(w.ev[w.nev], EVENT_MAX_BYTES, &w.len[w.nev], &ev), 0);
	w.nev++;
}

static int
setup(void **state)
{
	uint8_t seed[KEYS_SEED_BYTES];
	size_t i;

	(void)state;
	memset(&w, 0, sizeof(w));
	for (i = 0; i <= NM; i++)
		(void)snprintf(w.id[i], sizeof(w.id[i]), "m_%024zx", i + 1);
	for (i = 0; i < NM; i++) {
		memset(seed, (int)(i + 1), sizeof(seed));
		assert_int_equal(keys_derive(&w.ks[i], seed), 0);
	}
	memset(seed, 0x99, sizeof(seed));
	assert_int_equal(keys_derive(&w.other, seed), 0);
	log_event(EVENT_ORG_CREATED, 0, "org", 0, 0, NULL);
	log_event(EVENT_ORG_CREATED, 0, "other", 0, 0, NULL);
	for (i = 0; i < NM; i++) {
		log_event(EVENT_MEMBER_CREATED, i, i == 6 ? "other" : "org",
		    i == 5 ? 0 : 1, 0, NULL);
		log_event(EVENT_MEMBER_ENROLLED, i, NULL, 0, 1, &w.ks[i].pub);
	}
	log_event(EVENT_MEMBER_SUSPENDED, 7, NULL, 0, 0, NULL);
	w.base = w.nev;
	assert_non_null(w.orgs = json_pack("[s]", "org"));
	return (0);
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NM; i++)
		keys_wipe(&w.ks[i]);
	json_decref(w.orgs);
	return (0);
}

/* One member of a snapshot being built. */
struct entry {
	const char *id;
	uint32_t epoch;
	const struct keys_public *pub;
};

static int
entry_by_key(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return (memcmp(a->pub->ring_pk, b->pub->ring_pk, RING_PK_BYTES));
}

/* The GET /ring answer for the ${n} entries ${e}, sorted by ring key. */
static json_t *
snapshot_json(struct entry *e, size_t n, uint64_t tree_size, size_t max)
{
	json_t *arr, *o;
	size_t i;

	qsort(e, n, sizeof(*e), entry_by_key);
	assert_non_null(arr = json_array());
	for (i = 0; i < n; i++) {
		o = json_pack("{s:s,s:I,s:o,s:o,s:o}", "member", e[i].id,
		    "epoch", (json_int_t)e[i].epoch, "sign_pk",
		    memowire_b64(e[i].pub->sign_pk, KEYS_SIGN_PK_BYTES),
		    "box_pk", memowire_b64(e[i].pub->box_pk, KEYS_BOX_PK_BYTES),
		    "ring_pk",
		    memowire_b64(e[i].pub->ring_pk, KEYS_RING_PK_BYTES));
		assert_non_null(o);
		assert_int_equal(json_array_append_new(arr, o), 0);
	}
	assert_non_null(o = json_pack("{s:I,s:I,s:I,s:o}", "tree_size",
			    (json_int_t)tree_size, "max", (json_int_t)max,
			    "min_warn", (json_int_t)2, "members", arr));
	return (o);
}

/* Entries for the world's members ${idx} (count ${n}) at epoch 1. */
static size_t
entries_of(struct entry *e, const size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		e[i].id = w.id[idx[i]];
		e[i].epoch = 1;
		e[i].pub = &w.ks[idx[i]].pub;
	}
	return (n);
}

/*
 * Parse the snapshot ${obj}, replay the first ${t} entries of the world's
 * log into an audit and check the snapshot against it; return what
 * cmd_anon_snapshot_check() returns (the message in ${err}).
 */
static int
check_at(json_t *obj, uint64_t t, char err[ERR])
{
	struct cmd_anon_snapshot s;
	struct audit *a;
	struct event ev;
	char aerr[AUDIT_ERR_MAX];
	uint64_t i;
	int rc;

	assert_int_equal(cmd_anon_snapshot_parse(&s, obj, err, ERR), 0);
	assert_non_null(a = audit_new());
	for (i = 0; i < t; i++) {
		assert_int_equal(
		    audit_append(a, w.ev[i], w.len[i], &ev, aerr, sizeof(aerr)),
		    0);
		cmd_anon_snapshot_note(&s, &ev);
	}
	err[0] = '\0';
	rc = cmd_anon_snapshot_check(&s, a, w.orgs, err, ERR);
	audit_free(a);
	cmd_anon_snapshot_free(&s);
	json_decref(obj);
	return (rc);
}

static const size_t eligible5[] = {0, 1, 2, 3, 4};

static void
test_snapshot_of_the_eligible_set_checks(void **state)
{
	struct entry e[NM];
	char err[ERR];
	size_t n;

	(void)state;
	n = entries_of(e, eligible5, 5);
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.base, 1024), w.base, err), 0);
}

static void
test_snapshot_refuses_members_not_eligible_at_its_tree_size(void **state)
{
	/* Ineligible, of another organisation, suspended before T. */
	static const size_t extra[] = {5, 6, 7};
	size_t idx[6], i, n;
	struct entry e[NM];
	char err[ERR];

	(void)state;
	for (i = 0; i < 3; i++) {
		memcpy(idx, eligible5, sizeof(eligible5));
		idx[5] = extra[i];
		n = entries_of(e, idx, 6);
		assert_int_equal(
		    check_at(snapshot_json(e, n, w.base, 1024), w.base, err),
		    -1);
		assert_non_null(strstr(err, w.id[extra[i]]));
		assert_non_null(strstr(err, "not an active, eligible member"));
	}
	/* Before its suspension, member 7 was eligible. */
	memcpy(idx, eligible5, sizeof(eligible5));
	idx[5] = 7;
	n = entries_of(e, idx, 6);
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.base - 1, 1024), w.base - 1, err),
	    0);
}

static void
test_snapshot_refuses_a_member_enrolled_after_its_tree_size(void **state)
{
	size_t idx[6] = {0, 1, 2, 3, 4, NM}, nev = w.nev, n;
	struct entry e[NM];
	char err[ERR];

	(void)state;
	/* Member NM joins after the snapshot's tree size. */
	log_event(EVENT_MEMBER_CREATED, NM, "org", 1, 0, NULL);
	log_event(EVENT_MEMBER_ENROLLED, NM, NULL, 0, 1, &w.other.pub);
	n = entries_of(e, idx, 5);
	e[5].id = w.id[NM];
	e[5].epoch = 1;
	e[5].pub = &w.other.pub;
	n++;
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.base, 1024), w.base, err), -1);
	assert_non_null(strstr(err, "not in the directory"));
	/* At the later size, it belongs. */
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.nev, 1024), w.nev, err), 0);
	w.nev = nev;
}

static void
test_snapshot_refuses_keys_the_log_did_not_publish(void **state)
{
	struct keys_public forged;
	struct entry e[NM];
	char err[ERR];
	size_t n;

	(void)state;
	/* Member 2 with another ring key (the server's, say). */
	n = entries_of(e, eligible5, 5);
	forged = w.ks[2].pub;
	memcpy(forged.ring_pk, w.other.pub.ring_pk, RING_PK_BYTES);
	e[2].pub = &forged;
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.base, 1024), w.base, err), -1);
	assert_non_null(strstr(err, "does not publish"));
	assert_non_null(strstr(err, w.id[2]));
	/* Another box key is refused as well: the hash covers all three. */
	n = entries_of(e, eligible5, 5);
	forged = w.ks[3].pub;
	forged.box_pk[0] ^= 1;
	e[3].pub = &forged;
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.base, 1024), w.base, err), -1);
}

static void
test_snapshot_refuses_an_epoch_rotated_away_before_its_tree_size(void **state)
{
	struct entry e[NM];
	char err[ERR];
	size_t nev = w.nev, n;

	(void)state;
	log_event(EVENT_KEYS_ROTATED, 0, NULL, 0, 2, &w.other.pub);
	n = entries_of(e, eligible5, 5);
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.nev, 1024), w.nev, err), -1);
	assert_non_null(strstr(err, "held epoch 2"));
	n = entries_of(e, eligible5, 5);
	e[0].epoch = 2;
	e[0].pub = &w.other.pub;
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.nev, 1024), w.nev, err), 0);
	/* Epoch 2 with the keys of epoch 1. */
	n = entries_of(e, eligible5, 5);
	e[0].epoch = 2;
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.nev, 1024), w.nev, err), -1);
	w.nev = nev;
}

static void
test_snapshot_refuses_a_missing_member(void **state)
{
	static const size_t four[] = {0, 1, 3, 4};
	struct entry e[NM];
	char err[ERR];
	size_t n;

	(void)state;
	n = entries_of(e, four, 4);
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.base, 1024), w.base, err), -1);
	assert_non_null(strstr(err, "leaves members out"));
}

static void
test_snapshot_refuses_an_extra_member(void **state)
{
	struct entry e[NM];
	char err[ERR];
	size_t n;

	(void)state;
	/* A member the directory never had, with unpublished keys. */
	n = entries_of(e, eligible5, 5);
	e[n].id = w.id[NM];
	e[n].epoch = 1;
	e[n].pub = &w.other.pub;
	n++;
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.base, 1024), w.base, err), -1);
	assert_non_null(strstr(err, w.id[NM]));
}

static void
test_snapshot_refuses_a_replay_of_another_size(void **state)
{
	struct entry e[NM];
	char err[ERR];
	size_t n;

	(void)state;
	n = entries_of(e, eligible5, 5);
	assert_int_equal(
	    check_at(snapshot_json(e, n, w.base, 1024), w.base - 1, err), -1);
	assert_non_null(strstr(err, "not"));
}

/* Parse ${text}; return cmd_anon_snapshot_parse()'s result. */
static int
parse_text(const char *text)
{
	struct cmd_anon_snapshot s;
	char err[ERR];
	json_t *obj;
	int rc;

	assert_non_null(obj = json_loads(text, 0, NULL));
	rc = cmd_anon_snapshot_parse(&s, obj, err, sizeof(err));
	if (rc == 0)
		cmd_anon_snapshot_free(&s);
	json_decref(obj);
	return (rc);
}

static void
test_snapshot_parse_refuses_malformed_answers(void **state)
{
	struct cmd_anon_snapshot s;
	struct entry e[NM];
	char err[ERR];
	json_t *obj, *arr, *tmp;
	size_t n;

	(void)state;
	assert_int_equal(parse_text("{}"), -1);
	assert_int_equal(parse_text("{\"tree_size\":0,\"max\":8,\"min_warn\":2,"
				    "\"members\":[]}"),
	    -1);
	assert_int_equal(parse_text("{\"tree_size\":3,\"max\":1,\"min_warn\":2,"
				    "\"members\":[]}"),
	    -1);
	assert_int_equal(parse_text("{\"tree_size\":3,\"max\":8,\"min_warn\":2,"
				    "\"members\":[]}"),
	    0);
	n = entries_of(e, eligible5, 5);
	obj = snapshot_json(e, n, w.base, 1024);
	arr = json_object_get(obj, "members");
	/* Out of order. */
	tmp = json_incref(json_array_get(arr, 0));
	assert_int_equal(json_array_remove(arr, 0), 0);
	assert_int_equal(json_array_append_new(arr, tmp), 0);
	assert_int_equal(
	    cmd_anon_snapshot_parse(&s, obj, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "sorted"));
	json_decref(obj);
	/* One member twice, under two keys. */
	n = entries_of(e, eligible5, 5);
	e[1].id = e[0].id;
	obj = snapshot_json(e, n, w.base, 1024);
	assert_int_equal(
	    cmd_anon_snapshot_parse(&s, obj, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "twice"));
	json_decref(obj);
	/* A short key. */
	n = entries_of(e, eligible5, 5);
	obj = snapshot_json(e, n, w.base, 1024);
	assert_int_equal(json_object_set_new(
			     json_array_get(json_object_get(obj, "members"), 2),
			     "box_pk", json_string("AAAA")),
	    0);
	assert_int_equal(
	    cmd_anon_snapshot_parse(&s, obj, err, sizeof(err)), -1);
	json_decref(obj);
}

/* Parse the snapshot of members ${idx} with ${max}. */
static void
snapshot_of(
    struct cmd_anon_snapshot *s, const size_t *idx, size_t n, size_t max)
{
	struct entry e[NM];
	char err[ERR];
	json_t *obj;

	n = entries_of(e, idx, n);
	obj = snapshot_json(e, n, w.base, max);
	assert_int_equal(cmd_anon_snapshot_parse(s, obj, err, sizeof(err)), 0);
	json_decref(obj);
}

static void
test_choose_takes_the_whole_set_up_to_the_maximum(void **state)
{
	uint8_t(*ring)[RING_PK_BYTES];
	struct cmd_anon_snapshot s;
	size_t n, pos, me;

	(void)state;
	snapshot_of(&s, eligible5, 5, 5);
	assert_int_equal(
	    cmd_anon_snapshot_find(&s, w.ks[3].pub.ring_pk, &me), 0);
	assert_int_equal(cmd_anon_choose(&s, me, &ring, &n, &pos), 0);
	assert_int_equal(n, 5);
	assert_int_equal(pos, me);
	assert_memory_equal(ring, s.ring, 5 * RING_PK_BYTES);
	free(ring);
	cmd_anon_snapshot_free(&s);
}

static void
test_choose_draws_a_subset_holding_the_signer_above_the_maximum(void **state)
{
	uint8_t(*ring)[RING_PK_BYTES];
	struct cmd_anon_snapshot s;
	size_t n, pos, me, at, i, run, seen[5] = {0};

	(void)state;
	snapshot_of(&s, eligible5, 5, 3);
	assert_int_equal(
	    cmd_anon_snapshot_find(&s, w.ks[1].pub.ring_pk, &me), 0);
	for (run = 0; run < 64; run++) {
		assert_int_equal(cmd_anon_choose(&s, me, &ring, &n, &pos), 0);
		assert_int_equal(n, 3);
		assert_memory_equal(
		    ring[pos], w.ks[1].pub.ring_pk, RING_PK_BYTES);
		for (i = 0; i < n; i++) {
			assert_int_equal(
			    cmd_anon_snapshot_find(&s, ring[i], &at), 0);
			seen[at]++;
			if (i > 0)
				assert_true(memcmp(ring[i - 1], ring[i],
						RING_PK_BYTES) < 0);
		}
		free(ring);
	}
	/* The signer every time; each other member some of the time. */
	for (i = 0; i < 5; i++) {
		if (i == me)
			assert_int_equal(seen[i], 64);
		else
			assert_true(seen[i] > 0 && seen[i] < 64);
	}
	cmd_anon_snapshot_free(&s);
}

static void
test_choose_refuses_a_set_too_small_or_a_signer_out_of_range(void **state)
{
	static const size_t one[] = {2};
	uint8_t(*ring)[RING_PK_BYTES];
	struct cmd_anon_snapshot s;
	size_t n, pos;

	(void)state;
	snapshot_of(&s, one, 1, 8);
	assert_int_equal(cmd_anon_choose(&s, 0, &ring, &n, &pos), -1);
	assert_null(ring);
	cmd_anon_snapshot_free(&s);
	snapshot_of(&s, eligible5, 5, 8);
	assert_int_equal(cmd_anon_choose(&s, 5, &ring, &n, &pos), -1);
	cmd_anon_snapshot_free(&s);
}

/* A saved signature by member 0 over the snapshot of members 0..4. */
static void
saved_of(struct cmd_anon_saved *sv)
{
	uint8_t binding[RING_BINDING_BYTES];
	struct cmd_anon_snapshot s;
	size_t pos;

	snapshot_of(&s, eligible5, 5, 8);
	memset(sv, 0, sizeof(*sv));
	memcpy(sv->memo, MEMO, sizeof(sv->memo));
	sv->version = 3;
	memset(sv->version_hash, 0x5a, sizeof(sv->version_hash));
	sv->tree_size = w.base;
	assert_int_equal(
	    cmd_anon_snapshot_find(&s, w.ks[0].pub.ring_pk, &pos), 0);
	assert_int_equal(cmd_anon_choose(&s, pos, &sv->ring, &sv->n, &pos), 0);
	sv->siglen = RING_SIG_BYTES(sv->n);
	assert_non_null(sv->sig = malloc(sv->siglen));
	ring_binding_version(binding, sv->version_hash);
	assert_int_equal(ring_sign(sv->sig, sv->siglen,
			     (const uint8_t(*)[RING_PK_BYTES])sv->ring, sv->n,
			     pos, w.ks[0].ring_sk, MEMO, binding, w.base),
	    0);
	cmd_anon_snapshot_free(&s);
}

static void
test_saved_file_round_trips(void **state)
{
	struct cmd_anon_saved sv, back;
	json_t *obj, *again;
	char *text;

	(void)state;
	saved_of(&sv);
	assert_non_null(obj = cmd_anon_saved_json(&sv));
	assert_non_null(text = json_dumps(obj, JSON_COMPACT));
	json_decref(obj);
	assert_non_null(again = json_loads(text, 0, NULL));
	assert_int_equal(cmd_anon_saved_parse(&back, again), 0);
	assert_string_equal(back.memo, MEMO);
	assert_int_equal(back.version, 3);
	assert_memory_equal(back.version_hash, sv.version_hash, 32);
	assert_int_equal(back.tree_size, w.base);
	assert_int_equal(back.n, sv.n);
	assert_memory_equal(back.ring, sv.ring, sv.n * RING_PK_BYTES);
	assert_int_equal(back.siglen, sv.siglen);
	assert_memory_equal(back.sig, sv.sig, sv.siglen);
	jsonmem_free_text(text);
	json_decref(again);
	cmd_anon_saved_free(&back);
	cmd_anon_saved_free(&sv);
}

/* Does cmd_anon_saved_parse() take ${obj} after ${key} is set to ${v}? */
static int
saved_with(const json_t *good, const char *key, json_t *v)
{
	struct cmd_anon_saved sv;
	json_t *obj;
	int rc;

	assert_non_null(obj = json_deep_copy(good));
	if (v == NULL)
		assert_int_equal(json_object_del(obj, key), 0);
	else
		assert_int_equal(json_object_set_new(obj, key, v), 0);
	rc = cmd_anon_saved_parse(&sv, obj);
	if (rc == 0)
		cmd_anon_saved_free(&sv);
	json_decref(obj);
	return (rc);
}

static void
test_saved_file_refuses_malformed_contents(void **state)
{
	struct cmd_anon_saved sv;
	json_t *good, *ring;

	(void)state;
	saved_of(&sv);
	assert_non_null(good = cmd_anon_saved_json(&sv));
	assert_int_equal(saved_with(good, "memo", json_string("d_12")), -1);
	assert_int_equal(saved_with(good, "version", json_integer(0)), -1);
	assert_int_equal(saved_with(good, "tree_size", NULL), -1);
	assert_int_equal(
	    saved_with(good, "version_hash", json_string("AAAA")), -1);
	/* A ring one key short of its signature. */
	ring = json_deep_copy(json_object_get(good, "ring"));
	assert_int_equal(json_array_remove(ring, 0), 0);
	assert_int_equal(saved_with(good, "ring", ring), -1);
	/* Out of order. */
	ring = json_deep_copy(json_object_get(good, "ring"));
	assert_int_equal(json_array_append(ring, json_array_get(ring, 0)), 0);
	assert_int_equal(json_array_remove(ring, 0), 0);
	assert_int_equal(saved_with(good, "ring", ring), -1);
	assert_int_equal(
	    saved_with(good, "signature", json_string("AAAAAAAA")), -1);
	json_decref(good);
	cmd_anon_saved_free(&sv);
}

/* One signature of a list being built. */
struct sigent {
	uint8_t tag[RING_TAG_BYTES];
	json_t *obj;
};

static int
sigent_by_tag(const void *x, const void *y)
{
	const struct sigent *a = x, *b = y;

	return (memcmp(a->tag, b->tag, RING_TAG_BYTES));
}

/*
 * The list entry of member ${m}'s signature on version ${version} with
 * ${vh}, over the world's members ${idx} (${n}), at ${t}.
 */
static void
sig_of(struct sigent *se, size_t m, const size_t *idx, size_t n,
    uint32_t version, const uint8_t vh[MEMO_HASH_BYTES], uint64_t t)
{
	uint8_t binding[RING_BINDING_BYTES], *sig;
	struct cmd_anon_snapshot s;
	json_t *ring;
	size_t pos, len;

	snapshot_of(&s, idx, n, 64);
	assert_int_equal(
	    cmd_anon_snapshot_find(&s, w.ks[m].pub.ring_pk, &pos), 0);
	len = RING_SIG_BYTES(s.n);
	assert_non_null(sig = malloc(len));
	ring_binding_version(binding, vh);
	assert_int_equal(
	    ring_sign(sig, len, (const uint8_t(*)[RING_PK_BYTES])s.ring, s.n,
		pos, w.ks[m].ring_sk, MEMO, binding, t),
	    0);
	assert_int_equal(ring_tag(se->tag, w.ks[m].ring_sk, MEMO), 0);
	assert_non_null(ring = json_array());
	for (pos = 0; pos < s.n; pos++)
		assert_int_equal(json_array_append_new(ring,
				     memowire_b64(s.ring[pos], RING_PK_BYTES)),
		    0);
	assert_non_null(se->obj = json_pack("{s:I,s:o,s:o,s:o,s:o}", "version",
			    (json_int_t)version, "version_hash",
			    memowire_b64(vh, MEMO_HASH_BYTES), "ring", ring,
			    "signature", memowire_b64(sig, len), "tag",
			    memowire_b64(se->tag, RING_TAG_BYTES)));
	free(sig);
	cmd_anon_snapshot_free(&s);
}

/* The list answer of the ${n} entries ${se}, sorted by tag, at ${t}. */
static json_t *
list_of(struct sigent *se, size_t n, uint64_t t)
{
	json_t *arr;
	size_t i;

	qsort(se, n, sizeof(*se), sigent_by_tag);
	assert_non_null(arr = json_array());
	for (i = 0; i < n; i++)
		assert_int_equal(json_array_append_new(arr, se[i].obj), 0);
	return (json_pack(
	    "{s:I,s:o}", "tree_size", (json_int_t)t, "signatures", arr));
}

static const uint8_t vh1[MEMO_HASH_BYTES] = {1};
static const uint8_t vh2[MEMO_HASH_BYTES] = {2};

/* Check ${answer} against the snapshot of members 0..4 at version 2. */
static int
sigs_check(json_t *answer, struct cmd_anon_sigs *out, char err[ERR])
{
	struct cmd_anon_snapshot s;
	int rc;

	snapshot_of(&s, eligible5, 5, 64);
	rc = cmd_anon_sigs_check(out, &s, MEMO, 2, vh2, NULL, answer, err, ERR);
	cmd_anon_snapshot_free(&s);
	json_decref(answer);
	return (rc);
}

static void
test_sigs_check_accepts_current_and_stale_signatures(void **state)
{
	static const size_t sub[] = {0, 2, 4};
	struct cmd_anon_sigs out;
	struct sigent se[3];
	char err[ERR];

	(void)state;
	sig_of(&se[0], 0, eligible5, 5, 2, vh2, w.base);
	sig_of(&se[1], 2, sub, 3, 2, vh2, w.base);
	sig_of(&se[2], 3, eligible5, 5, 1, vh1, w.base);
	assert_int_equal(sigs_check(list_of(se, 3, w.base), &out, err), 0);
	assert_int_equal(out.n, 3);
	assert_int_equal(out.current, 2);
	assert_int_equal(out.stale, 1);
	assert_int_equal(out.stale_unconfirmed, 1);
	cmd_anon_sigs_free(&out);
}

static void
test_sigs_check_refuses_one_member_signing_twice(void **state)
{
	static const size_t sub[] = {0, 1, 3};
	struct cmd_anon_sigs out;
	struct sigent se[2];
	char err[ERR];

	(void)state;
	/* Two rings, one signer: the tags are equal. */
	sig_of(&se[0], 1, eligible5, 5, 2, vh2, w.base);
	sig_of(&se[1], 1, sub, 3, 2, vh2, w.base);
	assert_memory_equal(se[0].tag, se[1].tag, RING_TAG_BYTES);
	assert_int_equal(sigs_check(list_of(se, 2, w.base), &out, err), -1);
	assert_non_null(strstr(err, "same tag"));
}

static void
test_sigs_check_refuses_a_ring_key_outside_the_snapshot(void **state)
{
	static const size_t with_five[] = {0, 1, 5};
	struct cmd_anon_sigs out;
	struct sigent se[1];
	char err[ERR];

	(void)state;
	/* Member 5 (not eligible) in the ring: the signature itself is valid.
	 */
	sig_of(&se[0], 0, with_five, 3, 2, vh2, w.base);
	assert_int_equal(sigs_check(list_of(se, 1, w.base), &out, err), -1);
	assert_non_null(strstr(err, "not in the memo's eligible set"));
}

static void
test_sigs_check_refuses_a_tampered_signature(void **state)
{
	uint8_t *sig;
	struct cmd_anon_sigs out;
	struct sigent se[1];
	char err[ERR];
	size_t len;

	(void)state;
	sig_of(&se[0], 4, eligible5, 5, 2, vh2, w.base);
	assert_int_equal(memowire_get_b64(se[0].obj, "signature", &sig, &len,
			     MEMOWIRE_B64_MAX),
	    0);
	/* The first response scalar becomes zero: still well formed. */
	memset(sig + RING_SCALAR_BYTES, 0, RING_SCALAR_BYTES);
	assert_int_equal(
	    json_object_set_new(se[0].obj, "signature", memowire_b64(sig, len)),
	    0);
	free(sig);
	assert_int_equal(sigs_check(list_of(se, 1, w.base), &out, err), -1);
	assert_non_null(strstr(err, "does not verify"));
}

static void
test_sigs_check_refuses_another_tree_size_or_version_hash(void **state)
{
	struct cmd_anon_sigs out;
	struct sigent se[1];
	char err[ERR];

	(void)state;
	/* The list claims another tree size than the snapshot's. */
	sig_of(&se[0], 1, eligible5, 5, 2, vh2, w.base);
	assert_int_equal(sigs_check(list_of(se, 1, w.base + 1), &out, err), -1);
	/* Signed over another tree size than the snapshot's. */
	sig_of(&se[0], 1, eligible5, 5, 2, vh2, w.base + 1);
	assert_int_equal(sigs_check(list_of(se, 1, w.base), &out, err), -1);
	assert_non_null(strstr(err, "does not verify"));
	/* A current version with another hash. */
	sig_of(&se[0], 1, eligible5, 5, 2, vh1, w.base);
	assert_int_equal(sigs_check(list_of(se, 1, w.base), &out, err), -1);
	assert_non_null(strstr(err, "another hash"));
	/* A version the memo does not have yet. */
	sig_of(&se[0], 1, eligible5, 5, 3, vh2, w.base);
	assert_int_equal(sigs_check(list_of(se, 1, w.base), &out, err), -1);
}

/* A server that answers two requests, noting whether they share one TCP
 * connection. */
struct server2 {
	int fd;
	int port;
	pthread_t thread;
	char req[2][8192];
	int same_connection;
};

/* Read one request (headers and a Content-Length body) from ${c}. */
static void
read_req(int c, char *buf, size_t cap)
{
	size_t n = 0, want;
	ssize_t r;
	char *end, *cl;

	buf[0] = '\0';
	for (;;) {
		r = recv(c, buf + n, cap - 1 - n, 0);
		if (r <= 0)
			return;
		n += (size_t)r;
		buf[n] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) == NULL)
			continue;
		cl = strstr(buf, "\r\nContent-Length:");
		want = (size_t)(end + 4 - buf);
		if (cl != NULL && cl < end)
			want += strtoul(cl + 17, NULL, 10);
		if (n >= want || n >= cap - 1)
			return;
	}
}

static void *
serve2(void *arg)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: "
				 "application/json\r\nContent-Length: 2\r\n"
				 "\r\n{}";
	struct server2 *s = arg;
	struct pollfd p[2];
	int c1, c2 = -1;

	if ((c1 = accept(s->fd, NULL, NULL)) < 0)
		return (NULL);
	read_req(c1, s->req[0], sizeof(s->req[0]));
	(void)send(c1, ok, strlen(ok), MSG_NOSIGNAL);
	/* The second request: on the kept-alive connection, or a new one. */
	p[0].fd = s->fd;
	p[0].events = POLLIN;
	p[1].fd = c1;
	p[1].events = POLLIN;
	if (poll(p, 2, 5000) > 0) {
		if (p[1].revents & POLLIN) {
			s->same_connection = 1;
			read_req(c1, s->req[1], sizeof(s->req[1]));
			(void)send(c1, ok, strlen(ok), MSG_NOSIGNAL);
		} else if ((c2 = accept(s->fd, NULL, NULL)) >= 0) {
			read_req(c2, s->req[1], sizeof(s->req[1]));
			(void)send(c2, ok, strlen(ok), MSG_NOSIGNAL);
			close(c2);
		}
	}
	close(c1);
	return (NULL);
}

static void
test_anonymous_request_has_no_token_and_a_connection_of_its_own(void **state)
{
	struct httpc_response r;
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	struct server2 s;
	struct httpc *h;
	char url[64], err[256];
	json_t *body;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true((s.fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s.fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s.fd, 2), 0);
	assert_int_equal(getsockname(s.fd, (struct sockaddr *)&a, &alen), 0);
	s.port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s.thread, NULL, serve2, &s), 0);

	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%d", s.port);
	assert_non_null(h = httpc_new(url, NULL, err, sizeof(err)));
	assert_int_equal(httpc_set_token(h, "tok123"), 0);
	assert_int_equal(
	    httpc_request(h, "GET", "/api/v1/a", NULL, &r, err, sizeof(err)),
	    0);
	httpc_response_clear(&r);
	assert_non_null(body = json_pack("{s:s}", "signature", "x"));
	assert_int_equal(httpc_request_anonymous(h, "POST", "/api/v1/b", body,
			     &r, err, sizeof(err)),
	    0);
	assert_int_equal(r.status, 200);
	httpc_response_clear(&r);
	pthread_join(s.thread, NULL);
	close(s.fd);
	json_decref(body);
	httpc_free(h);

	assert_non_null(strstr(s.req[0], "Authorization: Bearer tok123\r\n"));
	assert_non_null(strstr(s.req[1], "POST /api/v1/b HTTP/1.1\r\n"));
	assert_null(strstr(s.req[1], "Authorization"));
	assert_null(strstr(s.req[1], "tok123"));
	assert_null(strstr(s.req[1], "Cookie"));
	assert_int_equal(s.same_connection, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_snapshot_of_the_eligible_set_checks),
	    cmocka_unit_test(
		test_snapshot_refuses_members_not_eligible_at_its_tree_size),
	    cmocka_unit_test(
		test_snapshot_refuses_a_member_enrolled_after_its_tree_size),
	    cmocka_unit_test(
		test_snapshot_refuses_keys_the_log_did_not_publish),
	    cmocka_unit_test(
		test_snapshot_refuses_an_epoch_rotated_away_before_its_tree_size),
	    cmocka_unit_test(test_snapshot_refuses_a_missing_member),
	    cmocka_unit_test(test_snapshot_refuses_an_extra_member),
	    cmocka_unit_test(test_snapshot_refuses_a_replay_of_another_size),
	    cmocka_unit_test(test_snapshot_parse_refuses_malformed_answers),
	    cmocka_unit_test(test_choose_takes_the_whole_set_up_to_the_maximum),
	    cmocka_unit_test(
		test_choose_draws_a_subset_holding_the_signer_above_the_maximum),
	    cmocka_unit_test(
		test_choose_refuses_a_set_too_small_or_a_signer_out_of_range),
	    cmocka_unit_test(test_saved_file_round_trips),
	    cmocka_unit_test(test_saved_file_refuses_malformed_contents),
	    cmocka_unit_test(
		test_sigs_check_accepts_current_and_stale_signatures),
	    cmocka_unit_test(test_sigs_check_refuses_one_member_signing_twice),
	    cmocka_unit_test(
		test_sigs_check_refuses_a_ring_key_outside_the_snapshot),
	    cmocka_unit_test(test_sigs_check_refuses_a_tampered_signature),
	    cmocka_unit_test(
		test_sigs_check_refuses_another_tree_size_or_version_hash),
	    cmocka_unit_test(
		test_anonymous_request_has_no_token_and_a_connection_of_its_own),
	};
	int rc;

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return (1);
	/* The client must not use a proxy for the loopback test server. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return (rc);
}
