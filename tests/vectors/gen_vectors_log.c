/*
 * gen_vectors_log: write the known-answer vectors of the channel log,
 * tests/vectors/event.json (the fixed encoding of every directory event
 * type, the keys hash, encodings to refuse, and in memo_cases and
 * memo_invalid the same for every memo and channel event type, with the
 * access commitment) and tests/vectors/treehead.json
 * (a log made of those events: roots, signed tree heads from a fixed
 * server seed, inclusion and consistency proofs, heads to refuse), using
 * libdissent itself.  tests/unit/test_vectors_log.c checks them on every
 * build; the browser implementation is held to the same files.
 *
 * Regenerate only when a format deliberately changes (and then bump the
 * version of the affected domain tags).  CMake does not build this
 * program; from the repository root:
 *
 *   cc -std=c17 -D_DEFAULT_SOURCE -I src/lib -o /tmp/gen_vectors_log \
 *       tests/vectors/gen_vectors_log.c src/lib/binenc.c src/lib/dhash.c \
 *       src/lib/directory.c src/lib/event.c src/lib/keys.c \
 *       src/lib/memo.c src/lib/aead.c \
 *       src/lib/merkle.c src/lib/merkle_mem.c src/lib/treehead.c \
 *       $(pkg-config --cflags --libs libsodium jansson)
 *   /tmp/gen_vectors_log tests/vectors
 *
 * Every input is fixed and Ed25519 signing is deterministic, so running it
 * twice writes identical files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "deadline.h"
#include "directory.h"
#include "event.h"
#include "keys.h"
#include "merkle.h"
#include "merkle_mem.h"
#include "treehead.h"

#define MAX_EVENTS 16
#define MAX_MEMO_EVENTS 32
#define INSTANCE "3f9a0c2e7d5b41a68e0f1c2d3b4a5968"

static const char *outdir;

static void
die(const char *what)
{

	fprintf(stderr, "gen_vectors_log: %s\n", what);
	exit(1);
}

static void
check(int ok, const char *what)
{

	if (!ok)
		die(what);
}

static void
set_hex(json_t *o, const char *key, const uint8_t *bin, size_t len)
{
	char *hex;

	if ((hex = malloc(2 * len + 1)) == NULL)
		die("out of memory");
	sodium_bin2hex(hex, 2 * len + 1, bin, len);
	check(json_object_set_new(o, key, json_string(hex)) == 0, "json");
	free(hex);
}

/* A JSON string of the lowercase hex of ${bin}. */
static json_t *
hex_string(const uint8_t *bin, size_t len)
{
	json_t *s;
	char *hex;

	if ((hex = malloc(2 * len + 1)) == NULL)
		die("out of memory");
	sodium_bin2hex(hex, 2 * len + 1, bin, len);
	check((s = json_string(hex)) != NULL, "json");
	free(hex);
	return (s);
}

static void
set_str(json_t *o, const char *key, const char *s)
{

	check(json_object_set_new(o, key, json_string(s)) == 0, "json");
}

static void
set_int(json_t *o, const char *key, long long v)
{

	check(json_object_set_new(o, key, json_integer(v)) == 0, "json");
}

static void
write_file(const char *name, json_t *root)
{
	char path[4096];
	FILE *f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", outdir, name) >=
	    sizeof(path))
		die("path too long");
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER) !=
	    0)
		die("cannot write a vector file");
	/* json_dump_file() does not end the file with a newline. */
	f = fopen(path, "a");
	check(f != NULL && fputc('\n', f) != EOF && fclose(f) == 0,
	    "cannot finish a vector file");
	json_decref(root);
}

/* The keys of the seed whose bytes are ${start}, ${start}+1, .... */
static void
keys_of(struct keys_secret *ks, uint8_t seed[KEYS_SEED_BYTES], uint8_t start)
{
	size_t i;

	for (i = 0; i < KEYS_SEED_BYTES; i++)
		seed[i] = (uint8_t)(start + i);
	check(keys_derive(ks, seed) == 0, "keys_derive");
}

/* The events of the vectors, in log order. */
static size_t
make_events(struct event ev[MAX_EVENTS])
{
	static const char *alice = "m_00112233445566778899aabb";
	static const char *bob = "m_ffeeddccbbaa998877665544";
	uint8_t seed[KEYS_SEED_BYTES];
	struct keys_secret ks;
	size_t n = 0;

	memset(ev, 0, MAX_EVENTS * sizeof(*ev));
#define NEXT(t, when)                                                          \
	do {                                                                   \
		ev[n].version = EVENT_FORMAT_VERSION;                          \
		ev[n].type = (t);                                              \
		ev[n].time = (when);                                           \
		n++;                                                           \
	} while (0)
	NEXT(EVENT_ORG_CREATED, 1764400000);
	memcpy(ev[n - 1].org_id, "state", 6);
	NEXT(EVENT_MEMBER_CREATED, 1764400000);
	memcpy(ev[n - 1].member_id, alice, strlen(alice) + 1);
	memcpy(ev[n - 1].org_id, "state", 6);
	ev[n - 1].roles = ROLE_MEMBER | ROLE_COORDINATOR;
	ev[n - 1].eligible = 1;
	NEXT(EVENT_MEMBER_ENROLLED, 1764400060);
	memcpy(ev[n - 1].member_id, alice, strlen(alice) + 1);
	ev[n - 1].epoch = 1;
	keys_of(&ks, seed, 0x00);
	event_keys_hash(ev[n - 1].keys_hash, &ks.pub);
	NEXT(EVENT_ORG_CREATED, 1764400100);
	memcpy(ev[n - 1].org_id, "usaid-2", 8);
	NEXT(EVENT_MEMBER_CREATED, 1764400101);
	memcpy(ev[n - 1].member_id, bob, strlen(bob) + 1);
	memcpy(ev[n - 1].org_id, "usaid-2", 8);
	ev[n - 1].roles = ROLE_ADMIN;
	ev[n - 1].eligible = 0;
	NEXT(EVENT_KEYS_ROTATED, 1764403600);
	memcpy(ev[n - 1].member_id, alice, strlen(alice) + 1);
	ev[n - 1].epoch = 2;
	keys_of(&ks, seed, 0x20);
	event_keys_hash(ev[n - 1].keys_hash, &ks.pub);
	NEXT(EVENT_MEMBER_SUSPENDED, 1764403700);
	memcpy(ev[n - 1].member_id, alice, strlen(alice) + 1);
	NEXT(EVENT_MEMBER_REINSTATED, 1764403800);
	memcpy(ev[n - 1].member_id, alice, strlen(alice) + 1);
	NEXT(EVENT_ROLES_CHANGED, 1764403900);
	memcpy(ev[n - 1].member_id, alice, strlen(alice) + 1);
	ev[n - 1].roles = ROLE_MEMBER | ROLE_DIRECTOR | ROLE_AUDITOR;
	NEXT(EVENT_ELIGIBILITY_CHANGED, 1764404000);
	memcpy(ev[n - 1].member_id, alice, strlen(alice) + 1);
	ev[n - 1].eligible = 0;
	NEXT(EVENT_ELIGIBILITY_CHANGED, 1764404001);
	memcpy(ev[n - 1].member_id, alice, strlen(alice) + 1);
	ev[n - 1].eligible = 1;
#undef NEXT
	keys_wipe(&ks);
	return (n);
}

/* The channel public key of the channel_key_created case. */
static uint8_t channel_pk[KEYS_BOX_PK_BYTES];

/* Fill ${p} (32 bytes) with ${start}, ${start} + 1, .... */
static void
fill32(uint8_t *p, uint8_t start)
{
	size_t i;

	for (i = 0; i < 32; i++)
		p[i] = (uint8_t)(start + i);
}

/*
 * The memo and channel events of the vectors, one of each type (two of
 * those with kinds), in the order of a memo's life.  ${nonces} gets the
 * nonce of each commitment (zeros where there is none) and ${committed}
 * the member it commits to (NULL where none).
 */
static size_t
make_memo_events(struct event ev[MAX_MEMO_EVENTS],
    uint8_t nonces[MAX_MEMO_EVENTS][EVENT_NONCE_BYTES],
    const char *committed[MAX_MEMO_EVENTS])
{
	static const char *alice = "m_00112233445566778899aabb";
	static const char *bob = "m_ffeeddccbbaa998877665544";
	static const char *carol = "m_0a1b2c3d4e5f60718293a4b5";
	static const char *memo = "d_5f0e8a1c2b3d4e5f60718293";
	size_t n = 0;

	memset(ev, 0, MAX_MEMO_EVENTS * sizeof(*ev));
	memset(nonces, 0, MAX_MEMO_EVENTS * EVENT_NONCE_BYTES);
	memset(committed, 0, MAX_MEMO_EVENTS * sizeof(*committed));
#define NEXT(t, when)                                                          \
	do {                                                                   \
		check(n < MAX_MEMO_EVENTS, "too many memo events");            \
		ev[n].version = EVENT_FORMAT_VERSION;                          \
		ev[n].type = (t);                                              \
		ev[n].time = (when);                                           \
		n++;                                                           \
	} while (0)
#define MEMO_ID() memcpy(ev[n - 1].memo_id, memo, strlen(memo) + 1)
#define MEMBER(m) memcpy(ev[n - 1].member_id, (m), strlen(m) + 1)
#define COMMIT(m, start)                                                       \
	do {                                                                   \
		fill32(nonces[n - 1], (start));                                \
		committed[n - 1] = (m);                                        \
		event_access_commit(ev[n - 1].commit, nonces[n - 1], (m));     \
	} while (0)
	/* The channel key: its hash is recomputed from channel_pk_hex. */
	NEXT(EVENT_CHANNEL_KEY_CREATED, 1764410000);
	fill32(channel_pk, 0xb0);
	event_channel_key_hash(ev[n - 1].keys_hash, channel_pk);
	MEMBER(alice);
	NEXT(EVENT_CHANNEL_KEY_GRANTED, 1764410060);
	MEMBER(bob);
	NEXT(EVENT_GRANT_CREATED, 1764411000);
	MEMO_ID();
	ev[n - 1].kind = EVENT_GRANT_KEY;
	COMMIT(carol, 0x01);
	NEXT(EVENT_GRANT_CREATED, 1764411001);
	MEMO_ID();
	ev[n - 1].kind = EVENT_GRANT_ROSTER;
	COMMIT(carol, 0x21);
	NEXT(EVENT_CONTENT_ACCESSED, 1764411100);
	MEMO_ID();
	ev[n - 1].kind = EVENT_ACCESS_KEY;
	COMMIT(carol, 0x41);
	NEXT(EVENT_CONTENT_ACCESSED, 1764411101);
	MEMO_ID();
	ev[n - 1].kind = EVENT_ACCESS_CONTENT;
	COMMIT(carol, 0x61);
	NEXT(EVENT_MEMO_SUBMITTED, 1764412000);
	MEMO_ID();
	ev[n - 1].memo_version = 3;
	fill32(ev[n - 1].hash, 0x10);
	ev[n - 1].named = 100;
	ev[n - 1].anonymous = 12;
	fill32(ev[n - 1].package_hash, 0x50);
	NEXT(EVENT_MEMO_ACKNOWLEDGED, 1764500000);
	MEMO_ID();
	NEXT(EVENT_MEMO_ASSIGNED, 1764500100);
	MEMO_ID();
	MEMBER(bob);
	NEXT(EVENT_MEMO_DISTRIBUTED, 1764500200);
	MEMO_ID();
	MEMBER(alice);
	NEXT(EVENT_MEMO_DISTRIBUTED, 1764500300);
	MEMO_ID();
	MEMBER(carol);
	memcpy(ev[n - 1].member2_id, alice, strlen(alice) + 1);
	NEXT(EVENT_CONTENT_ACCESSED, 1764500400);
	MEMO_ID();
	ev[n - 1].kind = EVENT_ACCESS_SIGNERS;
	COMMIT(alice, 0x81);
	NEXT(EVENT_MEMO_REPLIED, 1765000000);
	MEMO_ID();
	ev[n - 1].n = 1;
	fill32(ev[n - 1].hash, 0x70);
	NEXT(EVENT_CONTENT_ACCESSED, 1765000100);
	MEMO_ID();
	ev[n - 1].kind = EVENT_ACCESS_REPLIES;
	COMMIT(carol, 0xa1);
	NEXT(EVENT_MEETING_REQUESTED, 1765001000);
	MEMO_ID();
	MEMBER(alice);
	NEXT(EVENT_MEETING_SCHEDULED, 1765002000);
	MEMO_ID();
	MEMBER(alice);
	ev[n - 1].at = 1765400000;
	NEXT(EVENT_MEETING_HELD, 1765400100);
	MEMO_ID();
	MEMBER(alice);
	ev[n - 1].kind = EVENT_MEETING_OUTCOME_HELD;
	fill32(ev[n - 1].hash, 0x90);
	NEXT(EVENT_MEETING_HELD, 1765400200);
	MEMO_ID();
	MEMBER(alice);
	ev[n - 1].kind = EVENT_MEETING_OUTCOME_DECLINED;
	NEXT(EVENT_DEADLINE_MISSED, 1766000000);
	MEMO_ID();
	ev[n - 1].kind = DEADLINE_ESCALATION;
	ev[n - 1].at = 1765999999;
	NEXT(EVENT_MEMO_CLOSED, 1766000100);
	MEMO_ID();
	NEXT(EVENT_MEMO_REDIRECTED, 1766000200);
	MEMO_ID();
	fill32(ev[n - 1].hash, 0xc0);
	NEXT(EVENT_MEMO_WITHDRAWN, 1766000300);
	MEMO_ID();
	NEXT(EVENT_COMPLAINT_FILED, 1766000400);
	fill32(ev[n - 1].hash, 0xe0);
#undef COMMIT
#undef MEMBER
#undef MEMO_ID
#undef NEXT
	return (n);
}

/* The JSON case of the memo or channel event ${ev}. */
static json_t *
memo_event_case(const struct event *ev, const uint8_t *nonce,
    const char *committed, const uint8_t *enc, size_t len)
{
	json_t *c = json_object();

	set_str(c, "type", event_type_name(ev->type));
	set_int(c, "type_code", ev->type);
	set_int(c, "version", ev->version);
	set_int(c, "time", (long long)ev->time);
	if (ev->memo_id[0] != '\0')
		set_str(c, "memo_id", ev->memo_id);
	if (ev->member_id[0] != '\0')
		set_str(c, "member_id", ev->member_id);
	if (ev->member2_id[0] != '\0' || ev->type == EVENT_MEMO_DISTRIBUTED)
		set_str(c, "member2_id", ev->member2_id);
	if (ev->org_id[0] != '\0')
		set_str(c, "org_id", ev->org_id);
	switch (ev->type) {
	case EVENT_MEMO_SUBMITTED:
		set_int(c, "memo_version", ev->memo_version);
		set_hex(c, "hash_hex", ev->hash, sizeof(ev->hash));
		set_int(c, "named", ev->named);
		set_int(c, "anonymous", ev->anonymous);
		set_hex(c, "package_hash_hex", ev->package_hash,
		    sizeof(ev->package_hash));
		break;
	case EVENT_GRANT_CREATED:
	case EVENT_CONTENT_ACCESSED:
		set_int(c, "kind", ev->kind);
		set_hex(c, "commit_hex", ev->commit, sizeof(ev->commit));
		set_hex(c, "commit_nonce_hex", nonce, EVENT_NONCE_BYTES);
		set_str(c, "commit_member_id", committed);
		break;
	case EVENT_MEMO_REPLIED:
		set_int(c, "n", ev->n);
		set_hex(c, "hash_hex", ev->hash, sizeof(ev->hash));
		break;
	case EVENT_MEETING_SCHEDULED:
		set_int(c, "at", (long long)ev->at);
		break;
	case EVENT_MEETING_HELD:
		set_int(c, "kind", ev->kind);
		set_hex(c, "hash_hex", ev->hash, sizeof(ev->hash));
		break;
	case EVENT_DEADLINE_MISSED:
		set_int(c, "kind", ev->kind);
		set_int(c, "at", (long long)ev->at);
		break;
	case EVENT_MEMO_REDIRECTED:
	case EVENT_COMPLAINT_FILED:
		set_hex(c, "hash_hex", ev->hash, sizeof(ev->hash));
		break;
	case EVENT_CHANNEL_KEY_CREATED:
		set_hex(c, "channel_pk_hex", channel_pk, sizeof(channel_pk));
		set_hex(
		    c, "keys_hash_hex", ev->keys_hash, sizeof(ev->keys_hash));
		break;
	default:
		break;
	}
	set_hex(c, "encoding_hex", enc, len);
	return (c);
}

/* The JSON case of ${ev}: its fields and encoding. */
static json_t *
event_case(const struct event *ev, const uint8_t *enc, size_t len)
{
	json_t *c = json_object();

	set_str(c, "type", event_type_name(ev->type));
	set_int(c, "type_code", ev->type);
	set_int(c, "version", ev->version);
	set_int(c, "time", (long long)ev->time);
	if (ev->member_id[0] != '\0')
		set_str(c, "member_id", ev->member_id);
	if (ev->org_id[0] != '\0')
		set_str(c, "org_id", ev->org_id);
	switch (ev->type) {
	case EVENT_MEMBER_CREATED:
		set_int(c, "roles", ev->roles);
		check(json_object_set_new(
			  c, "eligible", json_boolean(ev->eligible)) == 0,
		    "json");
		break;
	case EVENT_ROLES_CHANGED:
		set_int(c, "roles", ev->roles);
		break;
	case EVENT_ELIGIBILITY_CHANGED:
		check(json_object_set_new(
			  c, "eligible", json_boolean(ev->eligible)) == 0,
		    "json");
		break;
	case EVENT_MEMBER_ENROLLED:
	case EVENT_KEYS_ROTATED:
		set_int(c, "epoch", ev->epoch);
		set_hex(
		    c, "keys_hash_hex", ev->keys_hash, EVENT_KEYS_HASH_BYTES);
		break;
	default:
		break;
	}
	set_hex(c, "encoding_hex", enc, len);
	return (c);
}

/*
 * An invalid encoding: the encoding of case ${from} cut or extended with
 * zeros by ${delta} bytes, then with byte ${offset} set to ${value}
 * (NO_OFFSET: none).  Negative offsets count from the end.
 */
struct invalid_case {
	const char *reason;
	size_t from;
	long delta;
	long offset;
	uint8_t value;
};

/* No byte to set. */
#define NO_OFFSET (-1000)

static const struct invalid_case invalid_cases[] = {
    {"unknown format version", 2, 0, 0, 2},
    {"unknown event type 9", 2, 0, 2, 9},
    {"unknown event type 117", 2, 0, 2, 117},
    {"type 0x0103: both bytes of the type count", 2, 0, 1, 1},
    {"truncated by one byte", 2, -1, NO_OFFSET, 0},
    {"one byte left over", 2, 1, NO_OFFSET, 0},
    {"time at or beyond 2^63", 2, 0, 3, 0x80},
    {"member id with an uppercase letter", 2, 0, 16, 'A'},
    {"member id length 25", 2, 0, 14, 25},
    {"key epoch 0", 2, 0, -33, 0},
    {"keys rotated to epoch 1", 5, 0, -33, 1},
    {"admin combined with another role", 8, 0, -1, ROLE_ADMIN | ROLE_MEMBER},
    {"roles without member", 8, 0, -1, ROLE_DIRECTOR},
    {"no roles", 8, 0, -1, 0},
    {"eligibility 2", 9, 0, -1, 2},
    {"organisation id with a NUL byte", 0, 0, 17, 0},
    {"empty organisation id", 0, -5, 14, 0},
};

/*
 * Invalid memo and channel events, from the cases of memo_cases (whose
 * memo id, after the 11-byte header and its 4-byte length, is at 15..40).
 */
static const struct invalid_case memo_invalid_cases[] = {
    {"memo id with an uppercase hex digit", 7, 0, 17, 'A'},
    {"memo id not starting with d_", 7, 0, 15, 'm'},
    {"memo id length 25", 7, 0, 14, 25},
    {"grant kind 0", 2, 0, 41, 0},
    {"grant kind 3", 3, 0, 41, 3},
    {"access kind 0", 4, 0, 41, 0},
    {"access kind 5", 4, 0, 41, 5},
    {"meeting outcome kind 3", 16, 0, 71, 3},
    {"deadline kind 4", 18, 0, 41, 4},
    {"due time at or beyond 2^63", 18, 0, -8, 0x80},
    {"reply number 0", 12, 0, 44, 0},
    {"memo version 0", 6, 0, 44, 0},
    {"one byte left over after memo_submitted", 6, 1, NO_OFFSET, 0},
    {"approver id with an uppercase letter", 10, 0, -1, 'B'},
    {"memo event truncated by one byte", 6, -1, NO_OFFSET, 0},
    {"one byte left over after a memo event", 22, 1, NO_OFFSET, 0},
};

/*
 * Make and record every invalid case of ${table} (${ntable} cases) from the
 * encodings ${enc}.
 */
static void
add_invalid(json_t *arr, const struct invalid_case *table, size_t ntable,
    uint8_t enc[][EVENT_MAX_BYTES], const size_t *lens, size_t n)
{
	const struct invalid_case *ic;
	uint8_t bad[EVENT_MAX_BYTES + 1];
	struct event ev;
	size_t i, len, at;
	json_t *c;

	for (i = 0; i < ntable; i++) {
		ic = &table[i];
		check(ic->from < n, "invalid case source");
		len = (size_t)((long)lens[ic->from] + ic->delta);
		check(len <= EVENT_MAX_BYTES, "invalid case length");
		memset(bad, 0, sizeof(bad));
		memcpy(bad, enc[ic->from],
		    len < lens[ic->from] ? len : lens[ic->from]);
		if (ic->offset != NO_OFFSET) {
			at = ic->offset >= 0 ? (size_t)ic->offset
					     : len - (size_t)(-ic->offset);
			check(at < len, "invalid case offset");
			bad[at] = ic->value;
		}
		check(event_decode(&ev, bad, len) == -1, ic->reason);
		c = json_object();
		set_str(c, "reason", ic->reason);
		set_int(c, "from_case", (long long)ic->from);
		set_int(c, "length", (long long)len);
		if (ic->offset != NO_OFFSET) {
			set_int(c, "offset", (long long)at);
			set_int(c, "value", ic->value);
		}
		set_hex(c, "encoding_hex", bad, len);
		check(json_array_append_new(arr, c) == 0, "json");
	}
}

static void
gen_event(void)
{
	struct event ev[MAX_EVENTS], mev[MAX_MEMO_EVENTS];
	static uint8_t encs[MAX_MEMO_EVENTS][EVENT_MAX_BYTES];
	uint8_t nonces[MAX_MEMO_EVENTS][EVENT_NONCE_BYTES];
	const char *committed[MAX_MEMO_EVENTS];
	size_t lens[MAX_MEMO_EVENTS];
	uint8_t seed[KEYS_SEED_BYTES], h[EVENT_KEYS_HASH_BYTES];
	struct keys_secret ks;
	json_t *root = json_object(), *cases = json_array();
	json_t *hashes = json_array(), *invalid = json_array(), *c;
	json_t *memo_cases = json_array(), *memo_invalid = json_array();
	size_t n, i;
	static const uint8_t starts[] = {0x00, 0x20, 0x80};

	set_str(root, "description",
	    "Channel log events: docs/PROTOCOL.md \"Log events\".  Each case "
	    "gives an event's fields and its encoding (the Merkle leaf input); "
	    "roles are the ROLE_* bit mask (member 1, coordinator 2, director "
	    "4, principal 8, auditor 16, admin 32).  keys_hash: "
	    "dhash(\"dissent/event-keys/v1\", sign_pk || box_pk || ring_pk) "
	    "of the keys of a seed.  invalid: encodings a decoder must refuse, "
	    "each the encoding of case from_case cut or zero-extended to "
	    "length bytes, then with the byte at offset (if given) set to "
	    "value.  memo_cases and memo_invalid: the same for the memo and "
	    "channel events (types 100..116); a commitment (commit_hex) is "
	    "dhash(\"dissent/access-commit/v1\", commit_nonce_hex || "
	    "str(commit_member_id)), and the keys_hash of channel_key_created "
	    "dhash(\"dissent/channel-key/v1\", channel_pk_hex).  Binary "
	    "values are lowercase hex.");
	n = make_events(ev);
	for (i = 0; i < n; i++) {
		check(event_encode(
			  encs[i], sizeof(encs[i]), &lens[i], &ev[i]) == 0,
		    "event_encode");
		check(json_array_append_new(
			  cases, event_case(&ev[i], encs[i], lens[i])) == 0,
		    "json");
	}
	json_object_set_new(root, "cases", cases);

	for (i = 0; i < sizeof(starts); i++) {
		keys_of(&ks, seed, starts[i]);
		event_keys_hash(h, &ks.pub);
		c = json_object();
		set_hex(c, "seed_hex", seed, sizeof(seed));
		set_hex(c, "sign_pk_hex", ks.pub.sign_pk, KEYS_SIGN_PK_BYTES);
		set_hex(c, "box_pk_hex", ks.pub.box_pk, KEYS_BOX_PK_BYTES);
		set_hex(c, "ring_pk_hex", ks.pub.ring_pk, KEYS_RING_PK_BYTES);
		set_hex(c, "keys_hash_hex", h, sizeof(h));
		check(json_array_append_new(hashes, c) == 0, "json");
		keys_wipe(&ks);
	}
	json_object_set_new(root, "keys_hash", hashes);

	add_invalid(invalid, invalid_cases,
	    sizeof(invalid_cases) / sizeof(invalid_cases[0]), encs, lens, n);
	json_object_set_new(root, "invalid", invalid);

	n = make_memo_events(mev, nonces, committed);
	for (i = 0; i < n; i++) {
		check(event_encode(
			  encs[i], sizeof(encs[i]), &lens[i], &mev[i]) == 0,
		    "event_encode");
		check(json_array_append_new(
			  memo_cases, memo_event_case(&mev[i], nonces[i],
					  committed[i], encs[i], lens[i])) == 0,
		    "json");
	}
	json_object_set_new(root, "memo_cases", memo_cases);
	add_invalid(memo_invalid, memo_invalid_cases,
	    sizeof(memo_invalid_cases) / sizeof(memo_invalid_cases[0]), encs,
	    lens, n);
	json_object_set_new(root, "memo_invalid", memo_invalid);
	write_file("event.json", root);
}

/* The JSON form of the signed head ${th} with its statement. */
static json_t *
head_case(const struct treehead *th)
{
	uint8_t stmt[4 + TREEHEAD_INSTANCE_ID_MAX + 8 + 8 + MERKLE_HASH_BYTES];
	size_t idlen = strlen(th->instance_id), o = 0, i;
	json_t *c = json_object();

	stmt[o++] = (uint8_t)(idlen >> 24);
	stmt[o++] = (uint8_t)(idlen >> 16);
	stmt[o++] = (uint8_t)(idlen >> 8);
	stmt[o++] = (uint8_t)idlen;
	memcpy(stmt + o, th->instance_id, idlen);
	o += idlen;
	for (i = 0; i < 8; i++)
		stmt[o++] = (uint8_t)(th->size >> (56 - 8 * i));
	for (i = 0; i < 8; i++)
		stmt[o++] = (uint8_t)(th->timestamp >> (56 - 8 * i));
	memcpy(stmt + o, th->root, MERKLE_HASH_BYTES);
	o += MERKLE_HASH_BYTES;
	set_str(c, "instance_id", th->instance_id);
	set_int(c, "size", (long long)th->size);
	set_int(c, "timestamp", (long long)th->timestamp);
	set_hex(c, "root_hex", th->root, MERKLE_HASH_BYTES);
	set_hex(c, "statement_hex", stmt, o);
	set_hex(c, "sig_hex", th->sig, TREEHEAD_SIG_BYTES);
	return (c);
}

static void
gen_treehead(void)
{
	static const uint64_t sizes[] = {0, 1, 2, 3, 7, 8, 11};
	static const uint64_t pairs[][2] = {
	    {1, 2}, {1, 11}, {2, 3}, {3, 7}, {3, 11}, {7, 8}, {8, 11}};
	static const uint64_t incl[][2] = {
	    {0, 1}, {0, 8}, {5, 7}, {7, 8}, {6, 11}, {10, 11}};
	struct event ev[MAX_EVENTS];
	uint8_t seed[crypto_sign_SEEDBYTES], pk[TREEHEAD_PK_BYTES];
	uint8_t sk[TREEHEAD_SK_BYTES], enc[EVENT_MAX_BYTES];
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct merkle_mem *mem;
	struct merkle_source src;
	struct treehead th;
	json_t *root = json_object(), *leaves = json_array();
	json_t *heads = json_array(), *cons = json_array();
	json_t *incs = json_array(), *forks = json_array(), *c, *signed_stmt;
	size_t n, i, len, nh;

	set_str(root, "description",
	    "Signed tree heads of a log whose leaves are the events of "
	    "event.json in order: docs/PROTOCOL.md \"Signed tree heads\".  "
	    "server_seed is the Ed25519 seed of server.key; each head gives "
	    "its statement str(instance_id) || u64(size) || u64(timestamp) "
	    "|| root and its signature sign(sk, \"dissent/tree-head/v1\", "
	    "statement).  Proofs are RFC 9162 inclusion and consistency "
	    "proofs, the 32-byte hashes concatenated.  bad_heads must fail "
	    "verification or the consistency check against the head of the "
	    "same size.  Binary values are lowercase hex.");
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0xc0 + i);
	check(crypto_sign_seed_keypair(pk, sk, seed) == 0, "keypair");
	set_hex(root, "server_seed_hex", seed, sizeof(seed));
	set_hex(root, "server_pk_hex", pk, sizeof(pk));
	set_str(root, "instance_id", INSTANCE);

	n = make_events(ev);
	check((mem = merkle_mem_new(n)) != NULL, "merkle_mem_new");
	for (i = 0; i < n; i++) {
		check(event_encode(enc, sizeof(enc), &len, &ev[i]) == 0,
		    "event_encode");
		check(merkle_mem_append(mem, enc, len) == 0, "append");
		check(json_array_append_new(leaves, hex_string(enc, len)) == 0,
		    "json");
	}
	merkle_mem_source(mem, &src);
	json_object_set_new(root, "leaves_hex", leaves);

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(&th, 0, sizeof(th));
		memcpy(th.instance_id, INSTANCE, sizeof(INSTANCE));
		th.size = sizes[i];
		th.timestamp = 1764400000ull + 60 * sizes[i];
		check(merkle_root(&src, th.size, th.root) == 0, "root");
		check(treehead_sign(&th, sk) == 0, "sign");
		check(treehead_verify(&th, pk) == 0, "verify");
		check(
		    json_array_append_new(heads, head_case(&th)) == 0, "json");
	}
	json_object_set_new(root, "heads", heads);

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		check(merkle_consistency_proof(&src, pairs[i][0], pairs[i][1],
			  proof, MERKLE_MAX_PROOF, &nh) == 0,
		    "consistency proof");
		c = json_object();
		set_int(c, "first", (long long)pairs[i][0]);
		set_int(c, "second", (long long)pairs[i][1]);
		set_hex(c, "proof_hex", proof, nh * MERKLE_HASH_BYTES);
		check(json_array_append_new(cons, c) == 0, "json");
	}
	json_object_set_new(root, "consistency", cons);

	for (i = 0; i < sizeof(incl) / sizeof(incl[0]); i++) {
		check(merkle_inclusion_proof(&src, incl[i][0], incl[i][1],
			  proof, MERKLE_MAX_PROOF, &nh) == 0,
		    "inclusion proof");
		c = json_object();
		set_int(c, "index", (long long)incl[i][0]);
		set_int(c, "size", (long long)incl[i][1]);
		set_hex(c, "proof_hex", proof, nh * MERKLE_HASH_BYTES);
		check(json_array_append_new(incs, c) == 0, "json");
	}
	json_object_set_new(root, "inclusion", incs);

	/* A fork: size 8, another root, properly signed. */
	memset(&th, 0, sizeof(th));
	memcpy(th.instance_id, INSTANCE, sizeof(INSTANCE));
	th.size = 8;
	th.timestamp = 1764400000ull + 60 * 8;
	check(merkle_root(&src, 7, th.root) == 0, "root");
	check(treehead_sign(&th, sk) == 0, "sign");
	c = head_case(&th);
	set_str(c, "expect", "fork");
	set_str(c, "reason",
	    "signed, but its root is that of size 7: a fork of the head of "
	    "size 8");
	check(json_array_append_new(forks, c) == 0, "json");
	/* A head whose signature is over another size. */
	memset(&th, 0, sizeof(th));
	memcpy(th.instance_id, INSTANCE, sizeof(INSTANCE));
	th.size = 3;
	th.timestamp = 1764400000ull + 60 * 3;
	check(merkle_root(&src, 3, th.root) == 0, "root");
	check(treehead_sign(&th, sk) == 0, "sign");
	c = head_case(&th);
	signed_stmt = json_incref(json_object_get(c, "statement_hex"));
	json_decref(c);
	th.size = 2;
	check(merkle_root(&src, 2, th.root) == 0, "root");
	th.timestamp = 1764400000ull + 60 * 2;
	c = head_case(&th);
	set_str(c, "expect", "bad_signature");
	set_str(c, "reason",
	    "the signature of the head of size 3 on the fields of size 2");
	check(json_object_set_new(c, "signed_statement_hex", signed_stmt) == 0,
	    "json");
	check(json_array_append_new(forks, c) == 0, "json");
	json_object_set_new(root, "bad_heads", forks);

	merkle_mem_free(mem);
	sodium_memzero(sk, sizeof(sk));
	write_file("treehead.json", root);
}

int
main(int argc, char *argv[])
{

	if (argc != 2) {
		fprintf(stderr, "usage: gen_vectors_log DIR\n");
		return (1);
	}
	if (sodium_init() < 0)
		die("sodium_init");
	outdir = argv[1];
	gen_event();
	gen_treehead();
	return (0);
}
