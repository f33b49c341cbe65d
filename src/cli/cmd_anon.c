#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "b64.h"
#include "cli.h"
#include "cmd_anon.h"
#include "cmd_log.h"
#include "cmd_memo.h"
#include "directory.h"
#include "event.h"
#include "home.h"
#include "httpc.h"
#include "jsonmem.h"
#include "keys.h"
#include "logwire.h"
#include "memo.h"
#include "memowire.h"
#include "merkle.h"
#include "output.h"
#include "ring.h"
#include "wire.h"

#define PATH_CAP 256
#define MSG_MAX 512

/* Log entries fetched per request while replaying the directory. */
#define ENTRIES_PAGE 1000

/* Waiting for a signed tree head that covers the snapshot. */
#define HEAD_POLL_MS 200
#define HEAD_WAIT_MS 3000

/* Rings at least this large get a time estimate before signing. */
#define ESTIMATE_FROM 256
/* Signing costs about this many microseconds per ring member. */
#define SIGN_US_PER_MEMBER 250

/* Room for a hash in base64url. */
#define HASH_B64 B64_ENCODED_LEN(MEMO_HASH_BYTES)

/* The network caveat, printed once before an anonymous post. */
static const char caveat[] =
    "Note: the server cannot tell which member of the ring signed, but it\n"
    "sees the network address this request comes from and when it comes,\n"
    "right after your session fetched the memo.  If that could identify "
    "you,\n"
    "post through Tor or a trusted proxy (dissent honours ALL_PROXY, e.g.\n"
    "ALL_PROXY=socks5h://127.0.0.1:9050), or sign later from elsewhere; see\n"
    "docs/THREAT-MODEL.md.\n";

/* Report that we are out of memory. */
static int
nomem(struct cli *c)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "internal", "out of memory"));
}

/* Report an answer of the server that does not have the expected shape. */
static int
bad_answer(struct cli *c, const char *what)
{

	return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
	    "the server's answer to %s is malformed", what));
}

/* Write the message ${fmt} into ${err} and return -1. */
static int
errf(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
	return (-1);
}

/* A hash as base64url, for display. */
static const char *
hash_text(char out[HASH_B64], const uint8_t h[MEMO_HASH_BYTES])
{

	if (b64_encode(out, HASH_B64, h, MEMO_HASH_BYTES) != 0)
		out[0] = '\0';
	return (out);
}

/* Sleep ${ms} milliseconds. */
static void
sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* bsearch(): a ring key against a snapshot member. */
static int
key_vs_member(const void *key, const void *elem)
{
	const struct cmd_anon_member *m = elem;

	return (memcmp(key, m->pub.ring_pk, RING_PK_BYTES));
}

/* qsort(): snapshot members (by pointer) by id. */
static int
member_by_id(const void *x, const void *y)
{
	const struct cmd_anon_member *const *a = x;
	const struct cmd_anon_member *const *b = y;

	return (strcmp((*a)->id, (*b)->id));
}

/* bsearch(): a member id against a snapshot member (by pointer). */
static int
id_vs_member(const void *key, const void *elem)
{
	const struct cmd_anon_member *const *m = elem;

	return (strcmp(key, (*m)->id));
}

/**
 * cmd_anon_snapshot_free(s):
 * Free what ${s} holds and empty it.  An empty ${s} is fine.
 */
void
cmd_anon_snapshot_free(struct cmd_anon_snapshot *s)
{

	free(s->members);
	free(s->ring);
	free(s->by_id);
	memset(s, 0, sizeof(*s));
}

/* Read snapshot member ${i} from ${e} into ${s}; 0, or -1 with ${err}. */
static int
member_parse(struct cmd_anon_snapshot *s, size_t i, const json_t *e, char *err,
    size_t errcap)
{
	struct cmd_anon_member *m = &s->members[i];
	const char *id;
	uint64_t epoch;

	id = json_string_value(json_object_get(e, "member"));
	if (id == NULL || !directory_member_id_valid(id))
		return (errf(err, errcap,
		    "member %zu of the eligible set has "
		    "no valid member id",
		    i + 1));
	memcpy(m->id, id, DIRECTORY_MEMBER_ID_LEN + 1);
	if (logwire_u64(e, "epoch", &epoch) != 0 || epoch < 1 ||
	    epoch > UINT32_MAX)
		return (errf(err, errcap,
		    "member %s of the eligible set has "
		    "no valid key epoch",
		    m->id));
	m->epoch = (uint32_t)epoch;
	if (wire_get_b64(
		e, "sign_pk", m->pub.sign_pk, sizeof(m->pub.sign_pk)) != 0 ||
	    wire_get_b64(e, "box_pk", m->pub.box_pk, sizeof(m->pub.box_pk)) !=
		0 ||
	    wire_get_b64(
		e, "ring_pk", m->pub.ring_pk, sizeof(m->pub.ring_pk)) != 0)
		return (errf(err, errcap,
		    "member %s of the eligible set has malformed keys", m->id));
	if (i > 0 && memcmp(s->members[i - 1].pub.ring_pk, m->pub.ring_pk,
			 RING_PK_BYTES) >= 0)
		return (errf(err, errcap,
		    "the eligible set is not sorted strictly by ring key "
		    "(at member %s)",
		    m->id));
	memcpy(s->ring[i], m->pub.ring_pk, RING_PK_BYTES);
	s->by_id[i] = m;
	return (0);
}

/**
 * cmd_anon_snapshot_parse(s, answer, err, errcap):
 * Read ${answer}, the answer of GET /memos/{id}/ring ({"tree_size", "max",
 * "min_warn", "members": [{"member", "epoch", "sign_pk", "box_pk",
 * "ring_pk"}]}), into ${s}: a tree size of at least 1, a maximum from
 * RING_MIN to RING_N_LIMIT, at most CMD_ANON_ELIGIBLE_MAX members with
 * valid ids, epochs from 1 and keys of the right lengths, sorted strictly
 * by ring public key, no member twice.  Return 0, or -1 with the reason in
 * ${err} (${s} then empty).  Free ${s} with cmd_anon_snapshot_free().
 */
int
cmd_anon_snapshot_parse(
    struct cmd_anon_snapshot *s, const json_t *answer, char *err, size_t errcap)
{
	const json_t *arr, *e;
	uint64_t t, max, minw;
	size_t i, n;

	memset(s, 0, sizeof(*s));
	if (logwire_u64(answer, "tree_size", &t) != 0 || t < 1 ||
	    t > MERKLE_MAX_SIZE)
		return (errf(err, errcap, "no valid tree size"));
	if (logwire_u64(answer, "max", &max) != 0 || max < RING_MIN ||
	    max > RING_N_LIMIT)
		return (errf(err, errcap, "no valid largest ring"));
	if (logwire_u64(answer, "min_warn", &minw) != 0 ||
	    minw > RING_ELIGIBLE_LIMIT)
		return (errf(err, errcap, "no valid smallest anonymity set"));
	arr = json_object_get(answer, "members");
	if (!json_is_array(arr))
		return (errf(err, errcap, "no list of members"));
	if ((n = json_array_size(arr)) > CMD_ANON_ELIGIBLE_MAX)
		return (errf(err, errcap, "more than %zu members",
		    (size_t)CMD_ANON_ELIGIBLE_MAX));
	if (n > 0 && ((s->members = calloc(n, sizeof(*s->members))) == NULL ||
			 (s->ring = calloc(n, sizeof(*s->ring))) == NULL ||
			 (s->by_id = calloc(n, sizeof(*s->by_id))) == NULL)) {
		cmd_anon_snapshot_free(s);
		return (errf(err, errcap, "out of memory"));
	}
	json_array_foreach(arr, i, e)
	{
		if (member_parse(s, i, e, err, errcap) != 0) {
			cmd_anon_snapshot_free(s);
			return (-1);
		}
	}
	if (n > 1)
		qsort(s->by_id, n, sizeof(*s->by_id), member_by_id);
	for (i = 1; i < n; i++) {
		if (strcmp(s->by_id[i - 1]->id, s->by_id[i]->id) == 0) {
			(void)errf(err, errcap,
			    "member %s is twice in the eligible set",
			    s->by_id[i]->id);
			cmd_anon_snapshot_free(s);
			return (-1);
		}
	}
	s->tree_size = t;
	s->max = (size_t)max;
	s->min_warn = (size_t)minw;
	s->n = n;
	return (0);
}

/**
 * cmd_anon_snapshot_note(s, ev):
 * Note the log event ${ev} while replaying the first ${s}->tree_size
 * entries: a member_enrolled or keys_rotated event of a snapshot member
 * at the epoch the snapshot gives it records the keys hash it publishes.
 */
void
cmd_anon_snapshot_note(struct cmd_anon_snapshot *s, const struct event *ev)
{
	const struct cmd_anon_member *const *p;
	struct cmd_anon_member *m;

	if ((ev->type != EVENT_MEMBER_ENROLLED &&
		ev->type != EVENT_KEYS_ROTATED) ||
	    s->n == 0)
		return;
	p = bsearch(
	    ev->member_id, s->by_id, s->n, sizeof(*s->by_id), id_vs_member);
	if (p == NULL)
		return;
	m = &s->members[*p - s->members];
	if (ev->epoch != m->epoch)
		return;
	memcpy(m->logged_hash, ev->keys_hash, sizeof(m->logged_hash));
	m->logged = 1;
}

/* Is ${org} one of the strings of the array ${orgs}? */
static int
org_listed(const json_t *orgs, const char *org)
{
	const json_t *v;
	size_t i;

	json_array_foreach(orgs, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), org) == 0)
			return (1);
	}
	return (0);
}

/* May ${am} sign a memo of the organisations ${orgs}? */
static int
eligible(const struct audit_member *am, const json_t *orgs)
{

	return (am->status == AUDIT_ACTIVE && am->eligible && am->epoch > 0 &&
		org_listed(orgs, am->org));
}

/**
 * cmd_anon_snapshot_check(s, a, orgs, err, errcap):
 * Check the snapshot ${s}, whose log events were noted, against ${a}, the
 * audit timeline of exactly its first ${s}->tree_size entries, for a memo
 * whose eligible organisations are the JSON array of strings ${orgs}:
 * every member must then be active, eligible, of one of ${orgs} and at the
 * snapshot's key epoch, with the keys the log published for that epoch;
 * and no other member may be all of that.  Return 0, or -1 with the reason
 * in ${err}.
 */
int
cmd_anon_snapshot_check(const struct cmd_anon_snapshot *s,
    const struct audit *a, const json_t *orgs, char *err, size_t errcap)
{
	uint8_t h[EVENT_KEYS_HASH_BYTES];
	const struct cmd_anon_member *m;
	struct audit_member am;
	unsigned long long t = (unsigned long long)s->tree_size;
	const json_t *v;
	size_t i, pos = 0, count = 0;

	if (!json_is_array(orgs) || json_array_size(orgs) == 0)
		return (errf(err, errcap, "the memo names no organisation"));
	json_array_foreach(orgs, i, v)
	{
		if (!json_is_string(v))
			return (errf(err, errcap,
			    "the memo's organisations are malformed"));
	}
	if (audit_size(a) != s->tree_size)
		return (errf(err, errcap,
		    "the replay holds %llu log entries, not %llu",
		    (unsigned long long)audit_size(a), t));
	for (i = 0; i < s->n; i++) {
		m = &s->members[i];
		if (audit_member(a, m->id, &am) != 0)
			return (errf(err, errcap,
			    "%s is in it, but not in the directory after the "
			    "first %llu log entries",
			    m->id, t));
		if (!eligible(&am, orgs))
			return (errf(err, errcap,
			    "%s is in it, but was not an active, eligible "
			    "member of one of the memo's organisations after "
			    "the first %llu log entries",
			    m->id, t));
		if (am.epoch != m->epoch)
			return (errf(err, errcap,
			    "it gives %s keys of epoch %u, but after the first "
			    "%llu log entries the member held epoch %u",
			    m->id, m->epoch, t, am.epoch));
		event_keys_hash(h, &m->pub);
		if (!m->logged ||
		    sodium_memcmp(h, m->logged_hash, sizeof(h)) != 0)
			return (errf(err, errcap,
			    "it gives %s keys that the log does not publish "
			    "for the member's epoch %u",
			    m->id, m->epoch));
	}
	while (audit_member_next(a, &pos, &am))
		if (eligible(&am, orgs))
			count++;
	if (count != s->n)
		return (errf(err, errcap,
		    "after the first %llu log entries %zu members were "
		    "eligible, but it holds %zu: it leaves members out",
		    t, count, s->n));
	return (0);
}

/**
 * cmd_anon_snapshot_find(s, ring_pk, i):
 * Store in ${i} the index of the member of ${s} with the ring public key
 * ${ring_pk}.  Return 0, or -1 if there is none.
 */
int
cmd_anon_snapshot_find(const struct cmd_anon_snapshot *s,
    const uint8_t ring_pk[RING_PK_BYTES], size_t *i)
{
	const struct cmd_anon_member *m;

	if (s->n == 0)
		return (-1);
	m = bsearch(
	    ring_pk, s->members, s->n, sizeof(*s->members), key_vs_member);
	if (m == NULL)
		return (-1);
	*i = (size_t)(m - s->members);
	return (0);
}

/**
 * cmd_anon_choose(s, signer, ring, n, pos):
 * Choose the ring for the member at index ${signer} of ${s}: the whole
 * snapshot if it has at most ${s}->max members, else ring_choose_subset()
 * of ${s}->max.  Store a new array of its ${n} keys (sorted by bytes; free
 * it) in ${ring} and the signer's place in it in ${pos}.  Return 0, or -1
 * if the snapshot has fewer than RING_MIN members, ${signer} is out of
 * range or memory runs out.
 */
int
cmd_anon_choose(const struct cmd_anon_snapshot *s, size_t signer,
    uint8_t (**ring)[RING_PK_BYTES], size_t *n, size_t *pos)
{
	uint8_t(*r)[RING_PK_BYTES];
	size_t *idx, max, k, i;

	*ring = NULL;
	*n = *pos = 0;
	if (s->n < RING_MIN || signer >= s->n)
		return (-1);
	max = s->max < CMD_ANON_RING_MAX ? s->max : CMD_ANON_RING_MAX;
	k = s->n < max ? s->n : max;
	if ((idx = calloc(k, sizeof(*idx))) == NULL)
		return (-1);
	if ((r = calloc(k, sizeof(*r))) == NULL) {
		free(idx);
		return (-1);
	}
	if (ring_choose_subset(idx, pos,
		(const uint8_t(*)[RING_PK_BYTES])s->ring, s->n, signer,
		max) != 0) {
		free(r);
		free(idx);
		return (-1);
	}
	for (i = 0; i < k; i++)
		memcpy(r[i], s->ring[idx[i]], RING_PK_BYTES);
	free(idx);
	*ring = r;
	*n = k;
	return (0);
}

/* The JSON array of the ${n} ring keys ${ring}, or NULL. */
static json_t *
ring_json(const uint8_t (*ring)[RING_PK_BYTES], size_t n)
{
	json_t *arr;
	size_t i;

	if ((arr = json_array()) == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (json_array_append_new(
			arr, memowire_b64(ring[i], RING_PK_BYTES)) != 0) {
			json_decref(arr);
			return (NULL);
		}
	}
	return (arr);
}

/*
 * Read the JSON array ${arr} of RING_MIN..${max} base64url ring keys,
 * sorted strictly by bytes, into a new array ${ring} of ${n}.  Return 0
 * or -1.
 */
static int
ring_parse(
    const json_t *arr, size_t max, uint8_t (**ring)[RING_PK_BYTES], size_t *n)
{
	uint8_t(*r)[RING_PK_BYTES];
	const json_t *v;
	const char *str;
	size_t i, k;

	*ring = NULL;
	*n = 0;
	if (!json_is_array(arr) || (k = json_array_size(arr)) < RING_MIN ||
	    k > max)
		return (-1);
	if ((r = calloc(k, sizeof(*r))) == NULL)
		return (-1);
	json_array_foreach(arr, i, v)
	{
		str = json_string_value(v);
		if (str == NULL ||
		    b64_decode_exact(r[i], RING_PK_BYTES, str) != 0 ||
		    (i > 0 && memcmp(r[i - 1], r[i], RING_PK_BYTES) >= 0)) {
			free(r);
			return (-1);
		}
	}
	*ring = r;
	*n = k;
	return (0);
}

/**
 * cmd_anon_saved_json(sv):
 * Return ${sv} as the JSON object of HOME/anonymous/ID.json: {"memo",
 * "version", "version_hash", "tree_size", "ring": [...], "signature"},
 * binary values in base64url; or NULL if out of memory.
 */
json_t *
cmd_anon_saved_json(const struct cmd_anon_saved *sv)
{
	json_t *ring;

	if ((ring = ring_json(
		 (const uint8_t(*)[RING_PK_BYTES])sv->ring, sv->n)) == NULL)
		return (NULL);
	return (json_pack("{s:s,s:I,s:o,s:I,s:o,s:o}", "memo", sv->memo,
	    "version", (json_int_t)sv->version, "version_hash",
	    memowire_b64(sv->version_hash, sizeof(sv->version_hash)),
	    "tree_size", (json_int_t)sv->tree_size, "ring", ring, "signature",
	    memowire_b64(sv->sig, sv->siglen)));
}

/**
 * cmd_anon_saved_free(sv):
 * Free what ${sv} holds and empty it.  An empty ${sv} is fine.
 */
void
cmd_anon_saved_free(struct cmd_anon_saved *sv)
{

	free(sv->ring);
	free(sv->sig);
	memset(sv, 0, sizeof(*sv));
}

/**
 * cmd_anon_saved_parse(sv, obj):
 * Read ${obj}, as cmd_anon_saved_json() writes it, into ${sv}: a memo id,
 * a version from 1, a version hash, a tree size from 1, a ring of
 * RING_MIN to CMD_ANON_RING_MAX keys sorted strictly by bytes and a
 * signature of the form ring_sig_parse() accepts for that many keys.
 * Return 0, or -1 (${sv} then empty).  Free ${sv} with
 * cmd_anon_saved_free().
 */
int
cmd_anon_saved_parse(struct cmd_anon_saved *sv, const json_t *obj)
{
	uint8_t tag[RING_TAG_BYTES];
	const char *memo;
	uint64_t v, t;
	size_t k;

	memset(sv, 0, sizeof(*sv));
	memo = json_string_value(json_object_get(obj, "memo"));
	if (memo == NULL || !memo_id_valid(memo) ||
	    logwire_u64(obj, "version", &v) != 0 || v < 1 || v > UINT32_MAX ||
	    wire_get_b64(obj, "version_hash", sv->version_hash,
		sizeof(sv->version_hash)) != 0 ||
	    logwire_u64(obj, "tree_size", &t) != 0 || t < 1 ||
	    t > MERKLE_MAX_SIZE ||
	    ring_parse(json_object_get(obj, "ring"), CMD_ANON_RING_MAX,
		&sv->ring, &sv->n) != 0 ||
	    memowire_get_b64(obj, "signature", &sv->sig, &sv->siglen,
		RING_SIG_BYTES(CMD_ANON_RING_MAX)) != 0 ||
	    ring_sig_parse(sv->sig, sv->siglen, CMD_ANON_RING_MAX, &k, tag) !=
		0 ||
	    k != sv->n) {
		cmd_anon_saved_free(sv);
		return (-1);
	}
	memcpy(sv->memo, memo, MEMO_ID_LEN + 1);
	sv->version = (uint32_t)v;
	sv->tree_size = t;
	return (0);
}

/**
 * cmd_anon_sigs_free(sigs):
 * Free what ${sigs} holds and empty it.  An empty ${sigs} is fine.
 */
void
cmd_anon_sigs_free(struct cmd_anon_sigs *sigs)
{
	size_t i;

	for (i = 0; i < sigs->n; i++)
		free(sigs->v[i].sig);
	free(sigs->v);
	memset(sigs, 0, sizeof(*sigs));
}

/*
 * Check anonymous signature ${e}, number ${i} of the list, into ${g}
 * (see cmd_anon_sigs_check()); ${prev} is the one before it, or NULL.
 */
static int
sig_check(struct cmd_anon_sig *g, const struct cmd_anon_sig *prev,
    const json_t *e, size_t i, const struct cmd_anon_snapshot *s,
    const char *memo_id, uint32_t version,
    const uint8_t version_hash[MEMO_HASH_BYTES], const json_t *versions,
    int *confirmed, char *err, size_t errcap)
{
	uint8_t binding[RING_BINDING_BYTES], tag[RING_TAG_BYTES];
	uint8_t h[MEMO_HASH_BYTES];
	uint8_t(*ring)[RING_PK_BYTES] = NULL;
	uint64_t v;
	size_t k, j, at;
	int rc = -1;

	*confirmed = 1;
	if (logwire_u64(e, "version", &v) != 0 || v < 1 || v > version) {
		(void)errf(err, errcap,
		    "anonymous signature %zu is on no version the memo has",
		    i + 1);
		goto done;
	}
	g->version = (uint32_t)v;
	g->current = g->version == version;
	if (wire_get_b64(e, "version_hash", g->version_hash,
		sizeof(g->version_hash)) != 0 ||
	    wire_get_b64(e, "tag", g->tag, sizeof(g->tag)) != 0 ||
	    ring_parse(json_object_get(e, "ring"), CMD_ANON_RING_MAX, &ring,
		&k) != 0 ||
	    memowire_get_b64(e, "signature", &g->sig, &g->siglen,
		RING_SIG_BYTES(CMD_ANON_RING_MAX)) != 0) {
		(void)errf(
		    err, errcap, "anonymous signature %zu is malformed", i + 1);
		goto done;
	}
	for (j = 0; j < k; j++) {
		if (cmd_anon_snapshot_find(s, ring[j], &at) != 0) {
			(void)errf(err, errcap,
			    "the ring of anonymous signature %zu holds a key "
			    "that is not in the memo's eligible set",
			    i + 1);
			goto done;
		}
	}
	if (ring_sig_parse(g->sig, g->siglen, CMD_ANON_RING_MAX, &j, tag) !=
		0 ||
	    j != k || sodium_memcmp(tag, g->tag, sizeof(tag)) != 0) {
		(void)errf(err, errcap,
		    "anonymous signature %zu is not one for its ring, or does "
		    "not carry its tag",
		    i + 1);
		goto done;
	}
	if (prev != NULL && memcmp(prev->tag, g->tag, sizeof(g->tag)) >= 0) {
		(void)errf(err, errcap,
		    "anonymous signatures %zu and %zu carry the same tag (one "
		    "member signed twice), or are not in the order of their "
		    "tags",
		    i, i + 1);
		goto done;
	}
	if (g->current) {
		if (sodium_memcmp(
			g->version_hash, version_hash, MEMO_HASH_BYTES) != 0) {
			(void)errf(err, errcap,
			    "anonymous signature %zu names the current "
			    "version with another hash than the memo's",
			    i + 1);
			goto done;
		}
	} else if (versions != NULL) {
		if (memowire_version_hash_of(versions, g->version, h) != 0 ||
		    sodium_memcmp(h, g->version_hash, sizeof(h)) != 0) {
			(void)errf(err, errcap,
			    "anonymous signature %zu names version %u with "
			    "another hash than the memo's list of versions",
			    i + 1, g->version);
			goto done;
		}
	} else
		*confirmed = 0;
	ring_binding_version(binding, g->version_hash);
	if (ring_verify(g->sig, g->siglen,
		(const uint8_t(*)[RING_PK_BYTES])ring, k, CMD_ANON_RING_MAX,
		memo_id, binding, s->tree_size, NULL) != 0) {
		(void)errf(err, errcap,
		    "anonymous signature %zu (on version %u) does not verify",
		    i + 1, g->version);
		goto done;
	}
	rc = 0;
done:
	free(ring);
	return (rc);
}

/**
 * cmd_anon_sigs_check(out, s, memo_id, version, version_hash, versions,
 *     answer, err, errcap):
 * Check ${answer}, the answer of GET /memos/{memo_id}/anonymous-signatures
 * ({"tree_size", "signatures": [{"version", "version_hash", "ring",
 * "signature", "tag"}]}), against the checked snapshot ${s} of memo
 * ${memo_id}, whose current version is ${version} with ${version_hash}:
 * the tree size is the snapshot's; every ring is sorted strictly and
 * drawn from the snapshot; every signature parses for its ring, carries
 * its "tag", and verifies for the memo, the binding of its version hash
 * and the snapshot's tree size; tags increase strictly (so no member
 * signed twice); no version is beyond the current one, the current one
 * has ${version_hash}, and an earlier one, if ${versions} (GET
 * /memos/{id}/versions) is not NULL, the hash that list gives it.  Fill
 * ${out} (free it with cmd_anon_sigs_free()).  Return 0, or -1 with the
 * reason in ${err} (${out} then empty).
 */
int
cmd_anon_sigs_check(struct cmd_anon_sigs *out,
    const struct cmd_anon_snapshot *s, const char *memo_id, uint32_t version,
    const uint8_t version_hash[MEMO_HASH_BYTES], const json_t *versions,
    const json_t *answer, char *err, size_t errcap)
{
	const json_t *arr, *e;
	uint64_t t;
	size_t i, n;
	int confirmed;

	memset(out, 0, sizeof(*out));
	if (logwire_u64(answer, "tree_size", &t) != 0 || t != s->tree_size)
		return (errf(err, errcap,
		    "the anonymous signatures are not made over the memo's "
		    "eligible set at log size %llu",
		    (unsigned long long)s->tree_size));
	arr = json_object_get(answer, "signatures");
	if (!json_is_array(arr))
		return (errf(err, errcap,
		    "the list of anonymous signatures is malformed"));
	if ((n = json_array_size(arr)) > 0 &&
	    (out->v = calloc(n, sizeof(*out->v))) == NULL)
		return (errf(err, errcap, "out of memory"));
	json_array_foreach(arr, i, e)
	{
		out->n = i + 1;
		if (sig_check(&out->v[i], i > 0 ? &out->v[i - 1] : NULL, e, i,
			s, memo_id, version, version_hash, versions, &confirmed,
			err, errcap) != 0) {
			cmd_anon_sigs_free(out);
			return (-1);
		}
		if (out->v[i].current)
			out->current++;
		else
			out->stale++;
		if (!confirmed)
			out->stale_unconfirmed++;
	}
	return (0);
}

/* ---- Talking to the server ---------------------------------------------- */

/*
 * POST ${body} to ${path} without the session (httpc_request_anonymous())
 * and expect ${want}: return CLI_PROCEED with the answer in ${out}, or
 * report the error and return its exit code.
 */
static int
anon_post(struct cli *c, const char *path, const json_t *body, long want,
    json_t **out)
{
	struct httpc_response r;
	char err[MSG_MAX];
	int rc;

	*out = NULL;
	rc = httpc_request_anonymous(
	    c->http, "POST", path, body, &r, err, sizeof(err));
	if (rc == HTTPC_ENET)
		return (cli_fail(c, CLI_EXIT_NETWORK, "network", "%s", err));
	if (rc != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response", "%s", err));
	if (r.status != want) {
		if (r.status >= 300)
			rc = cli_http_error(c, &r);
		else
			rc = cli_fail(c, CLI_EXIT_ERROR, "bad_response",
			    "unexpected HTTP status %ld from the server",
			    r.status);
		httpc_response_clear(&r);
		return (rc);
	}
	if (r.body == NULL) {
		httpc_response_clear(&r);
		return (cli_fail(c, CLI_EXIT_ERROR, "bad_response",
		    "the server's answer has no body"));
	}
	*out = r.body;
	r.body = NULL;
	httpc_response_clear(&r);
	return (CLI_PROCEED);
}

/*
 * Wait (polling, at most HEAD_WAIT_MS) until the run's verified tree head
 * covers ${size} entries.  Return CLI_PROCEED or an exit code.
 */
static int
head_covers(struct cli *c, uint64_t size)
{
	long waited = 0;
	int rc;

	if ((rc = cmd_log_check_head(c)) != CLI_PROCEED)
		return (rc);
	while (c->log_head.size < size) {
		if (waited >= HEAD_WAIT_MS)
			return (
			    cli_fail(c, CLI_EXIT_INTEGRITY, "ring_not_logged",
				"the memo's eligible set is pinned at log size "
				"%llu, beyond the latest tree head the server "
				"signed (%llu); try again once it signs one",
				(unsigned long long)size,
				(unsigned long long)c->log_head.size));
		sleep_ms(HEAD_POLL_MS);
		waited += HEAD_POLL_MS;
		/* A fresh head, checked against the one just recorded. */
		c->log_checked = 0;
		if ((rc = cmd_log_check_head(c)) != CLI_PROCEED)
			return (rc);
	}
	return (CLI_PROCEED);
}

/*
 * Check that ${root}, the root of the first ${size} log entries, belongs
 * to the run's verified tree head (equal, or proven a prefix of it).
 */
static int
prefix_check(
    struct cli *c, uint64_t size, const uint8_t root[MERKLE_HASH_BYTES])
{
	uint8_t proof[LOGWIRE_PROOF_BYTES];
	char path[PATH_CAP];
	uint64_t first, second;
	json_t *body;
	size_t nh;
	int rc;

	if (size == c->log_head.size) {
		if (sodium_memcmp(root, c->log_head.root, MERKLE_HASH_BYTES) !=
		    0)
			goto bad;
		return (CLI_PROCEED);
	}
	(void)snprintf(path, sizeof(path),
	    "/api/v1/log/consistency?first=%llu&second=%llu",
	    (unsigned long long)size, (unsigned long long)c->log_head.size);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	rc = logwire_u64(body, "first", &first) != 0 ||
	     logwire_u64(body, "second", &second) != 0 || first != size ||
	     second != c->log_head.size ||
	     logwire_proof_parse(body, proof, &nh) != 0;
	json_decref(body);
	if (rc)
		return (bad_answer(c, "log/consistency"));
	if (merkle_consistency_verify(
		size, c->log_head.size, root, c->log_head.root, proof, nh) != 0)
		goto bad;
	return (CLI_PROCEED);

bad:
	return (cli_fail(c, CLI_EXIT_INTEGRITY, "log_inconsistent",
	    "the first %llu log entries the server sent are not the ones of "
	    "its signed tree head (size %llu)",
	    (unsigned long long)size, (unsigned long long)c->log_head.size));
}

/* Replay page [${at}, ${at} + ${count}) of the log into ${a} and ${s}. */
static int
replay_page(struct cli *c, struct audit *a, struct cmd_anon_snapshot *s,
    uint64_t at, uint64_t count)
{
	uint8_t leaf[EVENT_MAX_BYTES];
	char path[PATH_CAP], err[AUDIT_ERR_MAX];
	struct event ev;
	json_t *body, *arr;
	uint64_t index;
	size_t i, len;
	int rc;

	(void)snprintf(path, sizeof(path),
	    "/api/v1/log/entries?start=%llu&count=%llu", (unsigned long long)at,
	    (unsigned long long)count);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	arr = json_object_get(body, "entries");
	if (!json_is_array(arr) || json_array_size(arr) != count) {
		json_decref(body);
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "log_inconsistent",
		    "the server did not return the log entries %llu to %llu "
		    "of its signed tree head",
		    (unsigned long long)at,
		    (unsigned long long)(at + count - 1)));
	}
	for (i = 0; i < count; i++) {
		if (logwire_entry_parse(
			json_array_get(arr, i), &index, leaf, &len) != 0 ||
		    index != at + i) {
			json_decref(body);
			return (cli_fail(c, CLI_EXIT_INTEGRITY,
			    "log_inconsistent",
			    "log entry %llu from the server is malformed or "
			    "out of place",
			    (unsigned long long)(at + i)));
		}
		if (audit_append(a, leaf, len, &ev, err, sizeof(err)) != 0) {
			json_decref(body);
			return (
			    cli_fail(c, CLI_EXIT_INTEGRITY, "log_inconsistent",
				"the log does not replay: %s", err));
		}
		cmd_anon_snapshot_note(s, &ev);
	}
	json_decref(body);
	return (CLI_PROCEED);
}

/*
 * Check the snapshot ${s} of a memo of the organisations ${orgs} against
 * the log: replay its first ${s}->tree_size entries (which the run's
 * verified tree head must cover) through the audit's directory timeline
 * and require the snapshot to be exactly the eligible set it shows.
 */
static int
snapshot_verify(struct cli *c, struct cmd_anon_snapshot *s, const json_t *orgs)
{
	uint8_t root[MERKLE_HASH_BYTES];
	char why[CMD_ANON_ERR_MAX];
	struct audit *a;
	uint64_t at, count;
	int rc;

	if ((rc = head_covers(c, s->tree_size)) != CLI_PROCEED)
		return (rc);
	if ((a = audit_new()) == NULL)
		return (nomem(c));
	for (at = 0; at < s->tree_size; at += count) {
		count = s->tree_size - at < ENTRIES_PAGE ? s->tree_size - at
							 : ENTRIES_PAGE;
		if ((rc = replay_page(c, a, s, at, count)) != CLI_PROCEED)
			goto done;
	}
	if (audit_root(a, root) != 0) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "internal",
		    "the replayed log's tree is inconsistent");
		goto done;
	}
	if ((rc = prefix_check(c, s->tree_size, root)) != CLI_PROCEED)
		goto done;
	if (cmd_anon_snapshot_check(s, a, orgs, why, sizeof(why)) != 0) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "ring_mismatch",
		    "the memo's eligible set is not the one the log shows: %s",
		    why);
		goto done;
	}
	rc = CLI_PROCEED;
done:
	audit_free(a);
	return (rc);
}

/*
 * Read the ring snapshot ${ans} (GET /memos/{id}/ring) of the memo whose
 * Memo object is ${memo} into ${s} and check it against the log
 * (snapshot_verify()).  Return CLI_PROCEED or an exit code (${s} then
 * empty).
 */
static int
snapshot_from(struct cli *c, const json_t *ans, const json_t *memo,
    struct cmd_anon_snapshot *s)
{
	char why[CMD_ANON_ERR_MAX];
	int rc;

	if (cmd_anon_snapshot_parse(s, ans, why, sizeof(why)) != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "ring_mismatch",
		    "the memo's eligible set from the server is malformed: %s",
		    why));
	if ((rc = snapshot_verify(
		 c, s, json_object_get(memo, "eligible_orgs"))) != CLI_PROCEED)
		cmd_anon_snapshot_free(s);
	return (rc);
}

/*
 * GET the ring snapshot of the memo ${id} (the Memo object ${memo}) into
 * ${s}, its answer into ${body} if not NULL, and check it against the log
 * (snapshot_from()).  Return CLI_PROCEED or an exit code.
 */
static int
snapshot_load(struct cli *c, const char *id, const json_t *memo,
    struct cmd_anon_snapshot *s, json_t **body)
{
	char path[PATH_CAP];
	json_t *ans;
	int rc;

	if (body != NULL)
		*body = NULL;
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/ring", id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &ans)) != CLI_PROCEED)
		return (rc);
	if ((rc = snapshot_from(c, ans, memo, s)) != CLI_PROCEED) {
		json_decref(ans);
		return (rc);
	}
	if (body != NULL)
		*body = ans;
	else
		json_decref(ans);
	return (CLI_PROCEED);
}

/* The path of the saved signatures' directory, into ${dir}. */
static int
saved_dir(struct cli *c, char dir[HOME_PATH_MAX])
{
	int n;

	n = snprintf(dir, HOME_PATH_MAX, "%s/%s", c->home, CMD_ANON_DIR);
	if (n < 0 || (size_t)n >= HOME_PATH_MAX)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "the state directory's path is too long"));
	return (CLI_PROCEED);
}

/*
 * Read the signature saved for memo ${id} into ${sv} and its text into
 * ${text} (free with home_data_free()); ${have} says whether there is one.
 */
static int
saved_load(struct cli *c, const char *id, struct cmd_anon_saved *sv,
    char **text, int *have)
{
	char dir[HOME_PATH_MAX], name[MEMO_ID_LEN + 8], err[MSG_MAX];
	json_t *obj;
	size_t len;
	int rc;

	*have = 0;
	*text = NULL;
	if ((rc = saved_dir(c, dir)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(name, sizeof(name), "%s.json", id);
	switch (home_read_file(dir, name, text, &len, err, sizeof(err))) {
	case 0:
		break;
	case 1:
		return (CLI_PROCEED);
	default:
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	}
	obj = json_loadb(*text, len, JSON_REJECT_DUPLICATES, NULL);
	rc = obj == NULL || cmd_anon_saved_parse(sv, obj) != 0 ||
	     strcmp(sv->memo, id) != 0;
	json_decref(obj);
	if (rc) {
		cmd_anon_saved_free(sv);
		home_data_free(*text);
		*text = NULL;
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state",
		    "%s/%s is not a saved anonymous signature of memo %s", dir,
		    name, id));
	}
	*have = 1;
	return (CLI_PROCEED);
}

/* Write ${len} bytes of ${text} as the saved signature of memo ${id}. */
static int
saved_write(struct cli *c, const char *id, const char *text, size_t len)
{
	char dir[HOME_PATH_MAX], name[MEMO_ID_LEN + 8], err[MSG_MAX];
	int rc;

	if ((rc = saved_dir(c, dir)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(name, sizeof(name), "%s.json", id);
	if (home_prepare(dir, err, sizeof(err)) != 0 ||
	    home_write_file(dir, name, text, len, err, sizeof(err)) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	return (CLI_PROCEED);
}

/* Remove the saved signature of memo ${id}. */
static int
saved_remove(struct cli *c, const char *id)
{
	char dir[HOME_PATH_MAX], name[MEMO_ID_LEN + 8], err[MSG_MAX];
	int rc;

	if ((rc = saved_dir(c, dir)) != CLI_PROCEED)
		return (rc);
	(void)snprintf(name, sizeof(name), "%s.json", id);
	if (home_remove_file(dir, name, err, sizeof(err)) < 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "local_state", "%s", err));
	return (CLI_PROCEED);
}

/* Save ${sv} as the signature of memo ${sv}->memo. */
static int
saved_store(struct cli *c, const struct cmd_anon_saved *sv)
{
	json_t *obj;
	char *text;
	size_t len;
	int rc;

	if ((obj = cmd_anon_saved_json(sv)) == NULL)
		return (nomem(c));
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (text == NULL)
		return (nomem(c));
	len = strlen(text);
	if (len > HOME_FILE_MAX)
		rc = cli_fail(c, CLI_EXIT_ERROR, "ring_too_large",
		    "a ring of %zu members does not fit in the state "
		    "directory's files; nothing was posted",
		    sv->n);
	else
		rc = saved_write(c, sv->memo, text, len);
	jsonmem_free_text(text);
	return (rc);
}

/*
 * Find the session member's ring key ${pk} in the ${n} keys ${ring}
 * (sorted) and store its place in ${pos}.  Return 0 or -1.
 */
static int
ring_place(const uint8_t (*ring)[RING_PK_BYTES], size_t n,
    const uint8_t pk[RING_PK_BYTES], size_t *pos)
{
	size_t lo = 0, hi = n, mid;
	int d;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((d = memcmp(pk, ring[mid], RING_PK_BYTES)) == 0) {
			*pos = mid;
			return (0);
		}
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (-1);
}

/* The integer ${key} of ${obj}, or 0. */
static long long
int_of(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return (json_is_integer(v) ? (long long)json_integer_value(v) : 0);
}

/* Print the size of the eligible and anonymity sets; warn if small. */
static void
print_sets(struct cli *c, const struct cmd_anon_snapshot *s, size_t n)
{

	output_note(&c->out,
	    "Eligible %zu members at log size %llu (checked against the "
	    "log)\nRing     %zu members: your anonymity set\n",
	    s->n, (unsigned long long)s->tree_size, n);
	if (n < s->min_warn)
		output_note(&c->out,
		    "Warning: an anonymity set of %zu is below the instance's "
		    "minimum of %zu; anyone who can narrow the ring down (by "
		    "who was active, or by what they know) may guess who "
		    "signed.\n",
		    n, s->min_warn);
}

/*
 * Choose the ring the session member (keys ${ks}) signs over with the
 * checked snapshot ${s}: the saved signature's ring ${prev} if there is
 * one (re-signing over another ring would let anyone intersect the two),
 * else cmd_anon_choose().  Store a new array of ${n} keys in ${ring} and
 * the member's place in ${pos}.
 */
static int
choose_ring(struct cli *c, const struct cmd_anon_snapshot *s,
    const struct keys_secret *ks, const struct cmd_anon_saved *prev,
    uint8_t (**ring)[RING_PK_BYTES], size_t *n, size_t *pos)
{
	size_t me, i, at;

	*ring = NULL;
	*n = 0;
	if (cmd_anon_snapshot_find(s, ks->pub.ring_pk, &me) != 0)
		return (cli_fail(c, CLI_EXIT_FORBIDDEN, "not_eligible",
		    "your ring key is not in the memo's eligible set (log size "
		    "%llu): you were not an eligible member of one of its "
		    "organisations when it opened, or your keys changed since",
		    (unsigned long long)s->tree_size));
	if (strcmp(s->members[me].id, c->session->member_id) != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "ring_mismatch",
		    "the memo's eligible set gives your ring key to %s",
		    s->members[me].id));
	if (s->n < RING_MIN)
		return (cli_fail(c, CLI_EXIT_FORBIDDEN, "not_eligible",
		    "the memo's eligible set has only %zu member: nobody can "
		    "sign it anonymously",
		    s->n));
	if (prev == NULL) {
		if (cmd_anon_choose(s, me, ring, n, pos) != 0)
			return (nomem(c));
		return (CLI_PROCEED);
	}
	if (prev->tree_size != s->tree_size)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "ring_mismatch",
		    "your saved signature is over the eligible set at log size "
		    "%llu, but the memo's is now at %llu",
		    (unsigned long long)prev->tree_size,
		    (unsigned long long)s->tree_size));
	for (i = 0; i < prev->n; i++)
		if (cmd_anon_snapshot_find(s, prev->ring[i], &at) != 0)
			return (cli_fail(c, CLI_EXIT_INTEGRITY, "ring_mismatch",
			    "your saved ring holds a key that is not in the "
			    "memo's eligible set"));
	if (ring_place((const uint8_t(*)[RING_PK_BYTES])prev->ring, prev->n,
		ks->pub.ring_pk, pos) != 0)
		return (cli_fail(c, CLI_EXIT_FORBIDDEN, "not_eligible",
		    "your ring key is not in the ring of your saved signature "
		    "(were your keys rotated since?)"));
	if ((*ring = calloc(prev->n, sizeof(**ring))) == NULL)
		return (nomem(c));
	memcpy(*ring, prev->ring, prev->n * sizeof(**ring));
	*n = prev->n;
	return (CLI_PROCEED);
}

/*
 * Make the session member's signature ${sv} on version ${version} (hash
 * ${hash}) of memo ${id} over the ${n} keys ${ring} (the member at
 * ${pos}), taken at ${tree_size}; ${sv} takes ${ring}.
 */
static int
make_signature(struct cli *c, const char *id, uint32_t version,
    const uint8_t hash[MEMO_HASH_BYTES], uint64_t tree_size,
    uint8_t (*ring)[RING_PK_BYTES], size_t n, size_t pos,
    const struct keys_secret *ks, struct cmd_anon_saved *sv)
{
	uint8_t binding[RING_BINDING_BYTES];
	struct timespec t0, t1;
	long long ms;

	memset(sv, 0, sizeof(*sv));
	memcpy(sv->memo, id, MEMO_ID_LEN + 1);
	sv->version = version;
	memcpy(sv->version_hash, hash, MEMO_HASH_BYTES);
	sv->tree_size = tree_size;
	sv->ring = ring;
	sv->n = n;
	sv->siglen = RING_SIG_BYTES(n);
	if ((sv->sig = malloc(sv->siglen)) == NULL)
		return (nomem(c));
	if (n >= ESTIMATE_FROM)
		output_note(&c->out,
		    "Signing over %zu members (about %.1f s)...\n", n,
		    (double)n * SIGN_US_PER_MEMBER / 1e6);
	else
		output_note(&c->out, "Signing over %zu members...\n", n);
	(void)clock_gettime(CLOCK_MONOTONIC, &t0);
	ring_binding_version(binding, hash);
	if (ring_sign(sv->sig, sv->siglen,
		(const uint8_t(*)[RING_PK_BYTES])ring, n, pos, ks->ring_sk, id,
		binding, tree_size) != 0)
		return (cli_fail(c, CLI_EXIT_ERROR, "internal",
		    "cannot make the ring signature"));
	(void)clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	output_note(&c->out, "Signed in %lld ms.\n", ms);
	return (CLI_PROCEED);
}

/*
 * Put the saved file of memo ${id} back as it was: ${text} (${have}), or
 * none.  Best effort: the error that led here is what is reported.
 */
static void
saved_restore(struct cli *c, const char *id, const char *text, int have)
{
	char dir[HOME_PATH_MAX], name[MEMO_ID_LEN + 8], err[MSG_MAX];

	if (have) {
		(void)saved_write(c, id, text, strlen(text));
		return;
	}
	if (saved_dir(c, dir) != CLI_PROCEED)
		return;
	(void)snprintf(name, sizeof(name), "%s.json", id);
	if (home_remove_file(dir, name, err, sizeof(err)) < 0)
		return;
}

/* The body of POST /memos/{id}/anonymous-signatures for ${sv}. */
static json_t *
sign_request(const struct cmd_anon_saved *sv)
{
	json_t *ring;

	if ((ring = ring_json(
		 (const uint8_t(*)[RING_PK_BYTES])sv->ring, sv->n)) == NULL)
		return (NULL);
	return (json_pack("{s:I,s:o,s:o,s:o}", "version",
	    (json_int_t)sv->version, "version_hash",
	    memowire_b64(sv->version_hash, sizeof(sv->version_hash)), "ring",
	    ring, "signature", memowire_b64(sv->sig, sv->siglen)));
}

/*
 * Sign memo ${m} (its version's hash ${hash}, titled ${title})
 * anonymously: verify the snapshot, choose the ring (${prev}'s if not
 * NULL), ask, sign and save into ${sv}.
 */
static int
sign_new(struct cli *c, const struct memowire_memo *m, const json_t *memo,
    const uint8_t hash[MEMO_HASH_BYTES], const char *title,
    const struct cmd_anon_saved *prev, int yes, struct cmd_anon_saved *sv)
{
	char question[MEMO_TITLE_MAX + 160];
	uint8_t(*ring)[RING_PK_BYTES] = NULL;
	struct cmd_anon_snapshot s;
	struct keys_secret ks;
	size_t n = 0, pos = 0;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&ks, 0, sizeof(ks));
	output_note(
	    &c->out, "Checking the memo's eligible set against the log...\n");
	if ((rc = snapshot_load(c, m->id, memo, &s, NULL)) != CLI_PROCEED ||
	    (rc = cmd_memo_own_keys(c, &ks)) != CLI_PROCEED ||
	    (rc = choose_ring(c, &s, &ks, prev, &ring, &n, &pos)) !=
		CLI_PROCEED)
		goto done;
	print_sets(c, &s, n);
	if (prev != NULL)
		output_note(&c->out,
		    "You signed version %u anonymously; signing version %u "
		    "over the same ring replaces that signature.\n",
		    prev->version, m->version);
	if (!yes) {
		(void)snprintf(question, sizeof(question),
		    "Sign version %u of \"%s\" anonymously, as one of %zu "
		    "members?",
		    m->version, title, n);
		if ((rc = cmd_memo_confirm(c, question)) != CLI_PROCEED)
			goto done;
	}
	rc = make_signature(
	    c, m->id, m->version, hash, s.tree_size, ring, n, pos, &ks, sv);
	ring = NULL;
	if (rc == CLI_PROCEED)
		rc = saved_store(c, sv);
done:
	free(ring);
	keys_wipe(&ks);
	cmd_anon_snapshot_free(&s);
	return (rc);
}

/**
 * cmd_anon_sign(c, id, yes):
 * `dissent memo sign ID --anonymous [--yes]`: sign the current version of
 * memo ${id} anonymously (ask first unless ${yes}).  Return the exit code.
 */
int
cmd_anon_sign(struct cli *c, const char *id, int yes)
{
	uint8_t hash[MEMO_HASH_BYTES];
	char title[MEMO_TITLE_MAX + 1], path[PATH_CAP], h[HASH_B64];
	char state[32];
	struct cmd_anon_saved prev, sv;
	struct memowire_keys k;
	struct memowire_memo m;
	struct memo_content mc;
	json_t *mbody = NULL, *req = NULL, *body = NULL, *memo;
	char *prev_text = NULL;
	int rc, have_prev = 0, again = 0;

	memset(&prev, 0, sizeof(prev));
	memset(&sv, 0, sizeof(sv));
	memset(&k, 0, sizeof(k));
	memset(&mc, 0, sizeof(mc));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, id, &mbody, &m)) != CLI_PROCEED)
		return (rc);
	memo = json_object_get(mbody, "memo");
	if (strcmp(m.state, "open") != 0) {
		rc = cli_fail(c, CLI_EXIT_CONFLICT, "invalid_state",
		    "memo %s is %s: anonymous signatures are taken while a "
		    "memo is open",
		    id, output_clean(state, sizeof(state), m.state));
		goto done;
	}
	if ((rc = cmd_memo_keys(c, id, &k)) != CLI_PROCEED ||
	    (rc = cmd_memo_open_version(c, &m, k.key, m.version, &mc, hash)) !=
		CLI_PROCEED)
		goto done;
	memowire_keys_wipe(&k);
	output_clean(title, sizeof(title), mc.title);
	output_note(&c->out,
	    "Memo     %s\nTitle    %s\nVersion  %u (hash %s)\n", m.id, title,
	    m.version, hash_text(h, hash));
	if ((rc = saved_load(c, id, &prev, &prev_text, &have_prev)) !=
	    CLI_PROCEED)
		goto done;
	if (have_prev && prev.version == m.version &&
	    sodium_memcmp(prev.version_hash, hash, MEMO_HASH_BYTES) == 0) {
		/* Post the saved signature again: same bytes, same ring. */
		again = 1;
		output_note(&c->out,
		    "You signed this version anonymously before (over %zu "
		    "members); posting that signature again.\n",
		    prev.n);
	} else if ((rc = sign_new(c, &m, memo, hash, title,
			have_prev ? &prev : NULL, yes, &sv)) != CLI_PROCEED)
		goto done;
	if ((req = sign_request(again ? &prev : &sv)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	output_note(&c->out, "%s", caveat);
	output_note(&c->out,
	    "Posting without your session, on a connection of its own...\n");
	(void)snprintf(
	    path, sizeof(path), "/api/v1/memos/%s/anonymous-signatures", id);
	if ((rc = anon_post(c, path, req, 201, &body)) != CLI_PROCEED) {
		/*
		 * Refused: the saved file goes back to what it was.  Without
		 * an answer the server may hold the new signature: keep it,
		 * so that signing again posts the same bytes.
		 */
		if (!again && rc != CLI_EXIT_NETWORK)
			saved_restore(c, id, prev_text, have_prev);
		goto done;
	}
	output_text(&c->out,
	    "Signed version %u of memo %s anonymously, as one of %zu members; "
	    "it has %lld anonymous signatures.\n",
	    m.version, id, again ? prev.n : sv.n,
	    int_of(json_object_get(body, "counts"), "anonymous"));
	if (json_object_set_new(body, "ring_size",
		json_integer((json_int_t)(again ? prev.n : sv.n))) != 0 ||
	    json_object_set_new(body, "version", json_integer(m.version)) !=
		0) {
		rc = nomem(c);
		goto done;
	}
	rc = cli_emit(c, body);
done:
	memowire_keys_wipe(&k);
	memo_content_free(&mc);
	cmd_anon_saved_free(&prev);
	cmd_anon_saved_free(&sv);
	home_data_free(prev_text);
	json_decref(body);
	json_decref(req);
	json_decref(mbody);
	return (rc);
}

/**
 * cmd_anon_unsign(c, id):
 * `dissent memo unsign ID --anonymous`: withdraw the anonymous signature
 * saved for memo ${id}.  Return the exit code.
 */
int
cmd_anon_unsign(struct cli *c, const char *id)
{
	uint8_t binding[RING_BINDING_BYTES];
	char path[PATH_CAP];
	struct cmd_anon_saved sv;
	struct keys_secret ks;
	json_t *req = NULL, *body = NULL, *ring;
	uint8_t *sig = NULL;
	char *text = NULL;
	size_t pos;
	int rc, have;

	memset(&sv, 0, sizeof(sv));
	memset(&ks, 0, sizeof(ks));
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = saved_load(c, id, &sv, &text, &have)) != CLI_PROCEED)
		return (rc);
	if (!have) {
		rc = cli_fail(c, CLI_EXIT_NOTFOUND, "no_signature",
		    "no anonymous signature of memo %s is saved in %s/%s "
		    "(it is needed to withdraw one)",
		    id, c->home, CMD_ANON_DIR);
		goto done;
	}
	if ((rc = cmd_memo_own_keys(c, &ks)) != CLI_PROCEED)
		goto done;
	if (ring_place((const uint8_t(*)[RING_PK_BYTES])sv.ring, sv.n,
		ks.pub.ring_pk, &pos) != 0) {
		rc = cli_fail(c, CLI_EXIT_FORBIDDEN, "not_eligible",
		    "your ring key is not in the ring of your saved signature "
		    "(were your keys rotated since?)");
		goto done;
	}
	if (ring_binding_withdrawal(
		binding, sv.version_hash, sv.sig, sv.siglen) != 0 ||
	    (sig = malloc(sv.siglen)) == NULL ||
	    ring_sign(sig, sv.siglen, (const uint8_t(*)[RING_PK_BYTES])sv.ring,
		sv.n, pos, ks.ring_sk, id, binding, sv.tree_size) != 0) {
		rc = cli_fail(c, CLI_EXIT_ERROR, "internal",
		    "cannot sign the withdrawal");
		goto done;
	}
	keys_wipe(&ks);
	if ((ring = ring_json(
		 (const uint8_t(*)[RING_PK_BYTES])sv.ring, sv.n)) == NULL ||
	    (req = json_pack("{s:o,s:o}", "ring", ring, "signature",
		 memowire_b64(sig, sv.siglen))) == NULL) {
		rc = nomem(c);
		goto done;
	}
	output_note(&c->out, "%s", caveat);
	output_note(&c->out, "Posting the withdrawal without your session, on "
			     "a connection of its own...\n");
	(void)snprintf(path, sizeof(path),
	    "/api/v1/memos/%s/anonymous-signatures/withdraw", id);
	if ((rc = anon_post(c, path, req, 200, &body)) != CLI_PROCEED ||
	    (rc = saved_remove(c, id)) != CLI_PROCEED)
		goto done;
	output_text(&c->out,
	    "Your anonymous signature on memo %s is withdrawn; it has %lld "
	    "anonymous signatures.\n",
	    id, int_of(json_object_get(body, "counts"), "anonymous"));
	rc = cli_emit(c, body);
done:
	keys_wipe(&ks);
	free(sig);
	cmd_anon_saved_free(&sv);
	home_data_free(text);
	json_decref(body);
	json_decref(req);
	return (rc);
}

/**
 * cmd_anon_ring(c, argc, argv):
 * `dissent memo ring ID`: show the memo's ring snapshot after checking it
 * against the log.  Return the exit code.
 */
int
cmd_anon_ring(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	char rk[B64_ENCODED_LEN(RING_PK_BYTES)], line[32];
	struct cmd_anon_snapshot s;
	struct memowire_memo m;
	json_t *mbody = NULL, *body = NULL;
	size_t npos, i, set;
	int rc;

	memset(&s, 0, sizeof(s));
	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	if ((rc = snapshot_load(c, m.id, json_object_get(mbody, "memo"), &s,
		 &body)) != CLI_PROCEED)
		goto done;
	set = s.n < s.max ? s.n : s.max;
	output_field(&c->out, "Memo", m.id);
	(void)snprintf(
	    line, sizeof(line), "%llu", (unsigned long long)s.tree_size);
	output_field(&c->out, "Log size", line);
	(void)snprintf(line, sizeof(line), "%zu members", s.n);
	output_field(&c->out, "Eligible", line);
	(void)snprintf(line, sizeof(line), "%zu members", s.max);
	output_field(&c->out, "Largest ring", line);
	(void)snprintf(line, sizeof(line), "%zu members", set);
	output_field(&c->out, "Anonymity", line);
	output_text(&c->out,
	    "The eligible set is exactly the members the first %llu log "
	    "entries show active, eligible and of the memo's organisations, "
	    "with the keys the log publishes.\n",
	    (unsigned long long)s.tree_size);
	if (set < s.min_warn)
		output_text(&c->out,
		    "Warning: an anonymity set of %zu is below the instance's "
		    "minimum of %zu.\n",
		    set, s.min_warn);
	output_text(&c->out, "%-26s %-6s %s\n", "MEMBER", "EPOCH", "RING KEY");
	for (i = 0; i < s.n; i++) {
		if (b64_encode(rk, sizeof(rk), s.members[i].pub.ring_pk,
			RING_PK_BYTES) != 0)
			rk[0] = '\0';
		output_text(&c->out, "%-26s %-6u %s\n", s.members[i].id,
		    s.members[i].epoch, rk);
	}
	if (json_object_set_new(body, "memo", json_string(m.id)) != 0 ||
	    json_object_set_new(
		body, "eligible", json_integer((json_int_t)s.n)) != 0 ||
	    json_object_set_new(
		body, "anonymity_set", json_integer((json_int_t)set)) != 0 ||
	    json_object_set_new(body, "verified", json_true()) != 0) {
		rc = nomem(c);
		goto done;
	}
	rc = cli_emit(c, body);
done:
	cmd_anon_snapshot_free(&s);
	json_decref(body);
	json_decref(mbody);
	return (rc);
}

/* What `memo verify` found, for the summary. */
struct verify_report {
	int have_ring;
	size_t eligible;
	uint64_t tree_size;
	struct cmd_anon_sigs sigs;
	int named_seen; /* 0 not shown, 1 sealed only, 2 opened */
	size_t named_current;
	size_t named_stale;
	json_t *records; /* the sealed records, if shown */
	const char *package;
};

/*
 * GET every page of the anonymous signatures of memo ${id} into ${out},
 * {"tree_size", "signatures"}: at most ${max} of them (each is a distinct
 * member of the eligible set).
 */
static int
fetch_anon_list(struct cli *c, const char *id, size_t max, json_t **out)
{
	char path[PATH_CAP], after[B64_ENCODED_LEN(RING_TAG_BYTES)];
	json_t *body = NULL, *all = NULL, *arr, *next, *size = NULL;
	int rc;

	*out = NULL;
	after[0] = '\0';
	if ((all = json_array()) == NULL)
		return (nomem(c));
	for (;;) {
		if (after[0] == '\0')
			(void)snprintf(path, sizeof(path),
			    "/api/v1/memos/%s/anonymous-signatures", id);
		else
			(void)snprintf(path, sizeof(path),
			    "/api/v1/memos/%s/anonymous-signatures?after=%s",
			    id, after);
		json_decref(body);
		if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) !=
		    CLI_PROCEED)
			goto done;
		arr = json_object_get(body, "signatures");
		next = json_object_get(body, "next");
		if (!json_is_array(arr) ||
		    (next != NULL && !json_is_null(next) &&
			(!json_is_string(next) || json_array_size(arr) == 0 ||
			    json_string_length(next) !=
				B64_ENCODED_LEN(RING_TAG_BYTES) - 2))) {
			rc = bad_answer(c, "memos/{id}/anonymous-signatures");
			goto done;
		}
		if (size == NULL)
			size = json_incref(json_object_get(body, "tree_size"));
		else if (!json_equal(
			     size, json_object_get(body, "tree_size"))) {
			rc = bad_answer(c, "memos/{id}/anonymous-signatures");
			goto done;
		}
		if (json_array_extend(all, arr) != 0) {
			rc = nomem(c);
			goto done;
		}
		if (json_array_size(all) > max) {
			rc = cli_fail(c, CLI_EXIT_INTEGRITY,
			    "bad_anonymous_signature",
			    "the memo has more anonymous signatures than "
			    "eligible members (%zu)",
			    max);
			goto done;
		}
		if (next == NULL || json_is_null(next))
			break;
		/* The length is checked above; now the alphabet. */
		if (strspn(json_string_value(next),
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789-_") != json_string_length(next)) {
			rc = bad_answer(c, "memos/{id}/anonymous-signatures");
			goto done;
		}
		memcpy(after, json_string_value(next),
		    json_string_length(next) + 1);
	}
	if ((*out = json_pack(
		 "{s:O?,s:O}", "tree_size", size, "signatures", all)) == NULL) {
		rc = nomem(c);
		goto done;
	}
	rc = CLI_PROCEED;
done:
	json_decref(size);
	json_decref(all);
	json_decref(body);
	return (rc);
}

/**
 * cmd_anon_list(c, id, out):
 * GET every page of the anonymous signatures of memo ${id} into a new
 * ${out}, {"tree_size", "signatures"} (in the server's order, by tag).
 * Return CLI_PROCEED or an exit code.
 */
int
cmd_anon_list(struct cli *c, const char *id, json_t **out)
{

	return (fetch_anon_list(c, id, CMD_ANON_ELIGIBLE_MAX, out));
}

/*
 * GET the memo's ring and anonymous signatures and check both; a memo
 * without a snapshot (a draft, or opened before anonymous signatures) has
 * none.
 */
static int
verify_anonymous(struct cli *c, const struct memowire_memo *m,
    const json_t *memo, const json_t *versions, struct verify_report *vr)
{
	char path[PATH_CAP], why[CMD_ANON_ERR_MAX];
	struct cmd_anon_snapshot s;
	struct httpc_response r;
	json_t *body = NULL;
	int rc;

	memset(&s, 0, sizeof(s));
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/ring", m->id);
	if ((rc = cli_request(c, "GET", path, NULL, &r)) != CLI_PROCEED)
		return (rc);
	/*
	 * No snapshot: then there is no anonymous signature either, which
	 * the counts (and after submission the receipt) must confirm.
	 */
	if (r.status == 409) {
		httpc_response_clear(&r);
		return (CLI_PROCEED);
	}
	if (r.status != 200 || r.body == NULL) {
		rc = r.status >= 300 ? cli_http_error(c, &r)
				     : bad_answer(c, "memos/{id}/ring");
		httpc_response_clear(&r);
		return (rc);
	}
	rc = snapshot_from(c, r.body, memo, &s);
	httpc_response_clear(&r);
	if (rc != CLI_PROCEED)
		return (rc);
	vr->have_ring = 1;
	vr->eligible = s.n;
	vr->tree_size = s.tree_size;
	if ((rc = fetch_anon_list(c, m->id, s.n, &body)) != CLI_PROCEED)
		goto done;
	if (cmd_anon_sigs_check(&vr->sigs, &s, m->id, m->version,
		m->version_hash, versions, body, why, sizeof(why)) != 0) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_anonymous_signature",
		    "%s", why);
		goto done;
	}
	rc = CLI_PROCEED;
done:
	json_decref(body);
	cmd_anon_snapshot_free(&s);
	return (rc);
}

/*
 * Open and check the sealed records ${records} of memo ${m} with the
 * roster key in ${k}, counting current and stale ones into ${vr}.
 */
static int
verify_records(struct cli *c, const struct memowire_memo *m,
    const struct memowire_keys *k, const json_t *records,
    const json_t *versions, struct verify_report *vr)
{
	uint8_t sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s;
	json_t *rows, *row, *e, *other;
	uint64_t v64;
	size_t i, j;
	int rc = CLI_PROCEED;

	if ((rows = json_array()) == NULL)
		return (nomem(c));
	memset(&s, 0, sizeof(s));
	json_array_foreach(records, i, e)
	{
		if (wire_get_b64(e, "record", sealed, sizeof(sealed)) != 0 ||
		    logwire_u64(e, "version", &v64) != 0 || v64 == 0 ||
		    v64 > m->version) {
			rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_record",
			    "signer record %zu of memo %s is malformed", i + 1,
			    m->id);
			break;
		}
		if (memo_record_open(&s, sealed, m->roster_pk, k->roster_sk) !=
		    0) {
			rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_record",
			    "signer record %zu of memo %s does not open with "
			    "the memo's roster key",
			    i + 1, m->id);
			break;
		}
		json_array_foreach(rows, j, other)
		{
			if (strcmp(json_string_value(
				       json_object_get(other, "member")),
				s.signer_id) == 0) {
				rc = cli_fail(c, CLI_EXIT_INTEGRITY,
				    "bad_record",
				    "memo %s holds two signer records of one "
				    "member",
				    m->id);
				goto done;
			}
		}
		if ((rc = cmd_memo_verify_record(c, m, versions, (uint32_t)v64,
			 &s, &row)) != CLI_PROCEED)
			break;
		if (json_array_append_new(rows, row) != 0) {
			rc = nomem(c);
			break;
		}
		if (v64 == m->version)
			vr->named_current++;
		else
			vr->named_stale++;
	}
done:
	sodium_memzero(&s, sizeof(s));
	json_decref(rows);
	return (rc);
}

/*
 * GET the memo's signer records; if shown, keep them in ${vr} and, with
 * the roster key of ${k} (NULL: the caller holds no key), open and check
 * every one.
 */
static int
verify_named(struct cli *c, const struct memowire_memo *m,
    const struct memowire_keys *k, const json_t *versions,
    struct verify_report *vr)
{
	char path[PATH_CAP];
	json_t *body, *records;
	int rc;

	(void)snprintf(
	    path, sizeof(path), "/api/v1/memos/%s/signatures", m->id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	records = json_object_get(body, "records");
	if (records == NULL || json_is_null(records)) {
		json_decref(body);
		return (CLI_PROCEED);
	}
	if (!json_is_array(records)) {
		json_decref(body);
		return (bad_answer(c, "memos/{id}/signatures"));
	}
	vr->records = json_incref(records);
	json_decref(body);
	vr->named_seen = 1;
	if (k == NULL || versions == NULL || !k->have_roster)
		return (CLI_PROCEED);
	if ((rc = verify_records(c, m, k, vr->records, versions, vr)) !=
	    CLI_PROCEED)
		return (rc);
	vr->named_seen = 2;
	return (CLI_PROCEED);
}

/* Check the memo's counts ${counts} against what was verified. */
static int
verify_counts(
    struct cli *c, const json_t *counts, const struct verify_report *vr)
{
	long long named = int_of(counts, "named");
	long long named_stale = int_of(counts, "named_stale");

	if (int_of(counts, "anonymous") != (long long)vr->sigs.current ||
	    int_of(counts, "anonymous_stale") != (long long)vr->sigs.stale)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_counts",
		    "the memo counts %lld anonymous signatures (%lld stale), "
		    "but %zu verify (%zu stale)",
		    int_of(counts, "anonymous"),
		    int_of(counts, "anonymous_stale"), vr->sigs.current,
		    vr->sigs.stale));
	if ((vr->named_seen == 2 &&
		(named != (long long)vr->named_current ||
		    named_stale != (long long)vr->named_stale)) ||
	    (vr->named_seen == 1 &&
		named + named_stale != (long long)json_array_size(vr->records)))
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_counts",
		    "the memo counts %lld named signatures (%lld stale), but "
		    "the server shows %zu signer records",
		    named, named_stale, json_array_size(vr->records)));
	return (CLI_PROCEED);
}

/*
 * After submission: the receipt (verified) must be for the memo's
 * version, carry the counts verified, and — if the sealed records are
 * shown — the package hash of those records and anonymous signatures.
 */
static int
verify_package(struct cli *c, const struct memowire_memo *m,
    const json_t *counts, struct verify_report *vr)
{
	uint8_t(*recs)[MEMO_RECORD_SEALED_BYTES] = NULL;
	uint8_t ph[MEMO_HASH_BYTES];
	struct memo_anon_ref *anon = NULL;
	struct memowire_receipt rc_;
	char path[PATH_CAP];
	json_t *body, *e;
	size_t i, n = 0;
	int rc;

	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/receipt", m->id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	rc = cmd_memo_receipt_check(c, body, m->id, EVENT_MEMO_SUBMITTED, &rc_);
	json_decref(body);
	if (rc != CLI_PROCEED)
		return (rc);
	if (rc_.ev.memo_version != m->version ||
	    sodium_memcmp(rc_.ev.hash, m->version_hash, MEMO_HASH_BYTES) != 0)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_package",
		    "the submission receipt is for another version than the "
		    "memo's"));
	if (vr->sigs.stale != 0 || rc_.ev.anonymous != vr->sigs.current)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_package",
		    "the submission receipt counts %u anonymous signatures, "
		    "but %zu verify on the submitted version (%zu others)",
		    rc_.ev.anonymous, vr->sigs.current, vr->sigs.stale));
	if (int_of(counts, "named") != (long long)rc_.ev.named)
		return (cli_fail(c, CLI_EXIT_INTEGRITY, "bad_package",
		    "the memo counts %lld named signatures, the submission "
		    "receipt %u",
		    int_of(counts, "named"), rc_.ev.named));
	if (vr->named_seen == 0) {
		vr->package = "not recomputed: the signer records are not "
			      "shown to you";
		return (CLI_PROCEED);
	}
	n = json_array_size(vr->records);
	if ((n > 0 && (recs = calloc(n, sizeof(*recs))) == NULL) ||
	    (vr->sigs.n > 0 &&
		(anon = calloc(vr->sigs.n, sizeof(*anon))) == NULL)) {
		rc = nomem(c);
		goto done;
	}
	json_array_foreach(vr->records, i, e)
	{
		if (wire_get_b64(e, "record", recs[i], sizeof(recs[i])) != 0) {
			rc = bad_answer(c, "memos/{id}/signatures");
			goto done;
		}
	}
	for (i = 0; i < vr->sigs.n; i++) {
		anon[i].sig = vr->sigs.v[i].sig;
		anon[i].len = vr->sigs.v[i].siglen;
	}
	memo_package_hash(ph, m->id, rc_.ev.hash,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])recs, n, anon,
	    vr->sigs.n);
	if (sodium_memcmp(ph, rc_.ev.package_hash, sizeof(ph)) != 0 ||
	    n != rc_.ev.named) {
		rc = cli_fail(c, CLI_EXIT_INTEGRITY, "bad_package",
		    "the signatures are not the ones frozen at submission (the "
		    "package hash in the receipt differs)");
		goto done;
	}
	vr->package = "matches the submission receipt";
	rc = CLI_PROCEED;
done:
	free(anon);
	free(recs);
	return (rc);
}

/* Print the summary of a successful `memo verify` and emit its JSON. */
static int
verify_done(struct cli *c, const struct memowire_memo *m,
    const struct verify_report *vr)
{
	static const char *const named_text[] = {"not shown to you",
	    "shown sealed; you hold no roster key to open them",
	    "each verified against the signer's published keys"};
	char line[160];
	json_t *res;

	output_field(&c->out, "Memo", m->id);
	output_field(&c->out, "State", m->state);
	if (vr->have_ring) {
		(void)snprintf(line, sizeof(line),
		    "%zu eligible members at log size %llu, as the log shows",
		    vr->eligible, (unsigned long long)vr->tree_size);
		output_field(&c->out, "Ring", line);
	} else
		output_field(&c->out, "Ring", "none (no anonymous signatures)");
	(void)snprintf(line, sizeof(line),
	    "%zu current, %zu stale; each verified, no tag twice",
	    vr->sigs.current, vr->sigs.stale);
	output_field(&c->out, "Anonymous", line);
	if (vr->sigs.stale_unconfirmed > 0)
		output_text(&c->out,
		    "(%zu stale signatures are checked against the version "
		    "hash they name; you may not read the list of versions)\n",
		    vr->sigs.stale_unconfirmed);
	if (vr->named_seen == 2)
		(void)snprintf(line, sizeof(line), "%zu current, %zu stale; %s",
		    vr->named_current, vr->named_stale, named_text[2]);
	else
		(void)snprintf(
		    line, sizeof(line), "%s", named_text[vr->named_seen]);
	output_field(&c->out, "Named", line);
	output_field(&c->out, "Counts", "match");
	if (vr->package != NULL)
		output_field(&c->out, "Package", vr->package);
	output_text(&c->out, "OK: memo %s verifies.\n", m->id);
	res = json_pack("{s:b,s:s,s:s,s:o,s:{s:I,s:I},s:{s:s,s:I,s:I},s:s?}",
	    "ok", 1, "memo", m->id, "state", m->state, "ring",
	    vr->have_ring
		? json_pack("{s:I,s:I}", "tree_size", (json_int_t)vr->tree_size,
		      "eligible", (json_int_t)vr->eligible)
		: json_null(),
	    "anonymous", "current", (json_int_t)vr->sigs.current, "stale",
	    (json_int_t)vr->sigs.stale, "named", "records",
	    vr->named_seen == 2 ? "verified"
				: (vr->named_seen == 1 ? "sealed" : "hidden"),
	    "current", (json_int_t)vr->named_current, "stale",
	    (json_int_t)vr->named_stale, "package", vr->package);
	if (res == NULL)
		return (nomem(c));
	if (cli_emit(c, res) != CLI_EXIT_OK) {
		json_decref(res);
		return (CLI_EXIT_ERROR);
	}
	json_decref(res);
	return (CLI_EXIT_OK);
}

/*
 * GET ${what} of memo ${m} into ${out}, or leave it NULL if the caller may
 * not (a director or auditor without a relation is refused).
 */
static int
fetch_optional(struct cli *c, const struct memowire_memo *m, const char *what,
    json_t **out)
{
	struct httpc_response r;
	char path[PATH_CAP];
	int rc;

	*out = NULL;
	(void)snprintf(path, sizeof(path), "/api/v1/memos/%s/%s", m->id, what);
	if ((rc = cli_request(c, "GET", path, NULL, &r)) != CLI_PROCEED)
		return (rc);
	if (r.status == 403 || r.status == 404) {
		httpc_response_clear(&r);
		return (CLI_PROCEED);
	}
	if (r.status != 200 || r.body == NULL) {
		rc = r.status >= 300 ? cli_http_error(c, &r)
				     : bad_answer(c, path);
		httpc_response_clear(&r);
		return (rc);
	}
	*out = r.body;
	r.body = NULL;
	httpc_response_clear(&r);
	return (CLI_PROCEED);
}

/*
 * Does the caller hold keys for the memo whose Memo object is ${memo}?
 * A personal relation gives them; so does the coordinator role once the
 * memo reached the channel (through the channel key).  Store the answer
 * in ${yes}.  Asking the server for grants that are not there would only
 * report an error, and record an access.
 */
static int
holds_keys(struct cli *c, const json_t *memo, int *yes)
{
	char path[PATH_CAP];
	json_t *body, *roles, *v;
	size_t i;
	int rc;

	*yes = json_array_size(json_object_get(memo, "relations")) > 0;
	if (*yes || int_of(memo, "submitted_at") == 0)
		return (CLI_PROCEED);
	(void)snprintf(
	    path, sizeof(path), "/api/v1/members/%s", c->session->member_id);
	if ((rc = cli_call(c, "GET", path, NULL, 200, &body)) != CLI_PROCEED)
		return (rc);
	roles = json_object_get(json_object_get(body, "member"), "roles");
	json_array_foreach(roles, i, v)
	{
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), "coordinator") == 0)
			*yes = 1;
	}
	json_decref(body);
	return (CLI_PROCEED);
}

/**
 * cmd_anon_verify(c, argc, argv):
 * `dissent memo verify ID`: re-verify the memo's ring snapshot, anonymous
 * signatures, the named records the caller may see, the counts and, after
 * submission, the package hash against the receipt.  Return the exit code
 * (CLI_EXIT_INTEGRITY if anything fails to verify).
 */
int
cmd_anon_verify(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	uint8_t hash[MEMO_HASH_BYTES];
	struct verify_report vr;
	struct memowire_keys k;
	struct memowire_memo m;
	struct memo_content mc;
	json_t *mbody = NULL, *versions = NULL, *memo;
	size_t npos;
	int rc, have_keys = 0;

	memset(&vr, 0, sizeof(vr));
	memset(&k, 0, sizeof(k));
	memset(&mc, 0, sizeof(mc));
	if ((rc = cli_args(c, argc, argv, NULL, 0, pos, 1, 1, &npos)) !=
		CLI_PROCEED ||
	    (rc = cmd_memo_id(c, pos[0])) != CLI_PROCEED)
		return (rc);
	if ((rc = cli_connect(c, CLI_SESSION)) != CLI_PROCEED ||
	    (rc = cmd_memo_fetch(c, pos[0], &mbody, &m)) != CLI_PROCEED)
		return (rc);
	memo = json_object_get(mbody, "memo");
	if ((rc = fetch_optional(c, &m, "versions", &versions)) !=
		CLI_PROCEED ||
	    (rc = holds_keys(c, memo, &have_keys)) != CLI_PROCEED)
		goto done;
	/*
	 * Who may read the text checks that the memo's version hash is the
	 * hash of it (and of its place in the chain of versions).
	 */
	if (versions != NULL && have_keys) {
		if ((rc = cmd_memo_keys(c, m.id, &k)) != CLI_PROCEED ||
		    (rc = cmd_memo_open_version(
			 c, &m, k.key, m.version, &mc, hash)) != CLI_PROCEED)
			goto done;
	} else
		have_keys = 0;
	if ((rc = verify_anonymous(c, &m, memo, versions, &vr)) !=
		CLI_PROCEED ||
	    (rc = verify_named(c, &m, have_keys ? &k : NULL, versions, &vr)) !=
		CLI_PROCEED ||
	    (rc = verify_counts(c, json_object_get(memo, "counts"), &vr)) !=
		CLI_PROCEED)
		goto done;
	if (strcmp(m.state, "draft") != 0 && strcmp(m.state, "open") != 0 &&
	    strcmp(m.state, "withdrawn") != 0 &&
	    (rc = verify_package(
		 c, &m, json_object_get(memo, "counts"), &vr)) != CLI_PROCEED)
		goto done;
	rc = verify_done(c, &m, &vr);
done:
	memowire_keys_wipe(&k);
	memo_content_free(&mc);
	cmd_anon_sigs_free(&vr.sigs);
	json_decref(vr.records);
	json_decref(versions);
	json_decref(mbody);
	return (rc);
}
