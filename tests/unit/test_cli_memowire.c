/*
 * The client side of memo cryptography (src/cli/memowire.c): grants
 * opened directly and through the channel key, versions checked against
 * their hash and the declared chain, signer records checked against the
 * signer's keys, complaints, and receipts verified offline, with every
 * tampering refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "aead.h"
#include "b64.h"
#include "event.h"
#include "grant.h"
#include "keys.h"
#include "logwire.h"
#include "memo.h"
#include "memowire.h"
#include "merkle.h"
#include "merkle_mem.h"
#include "ring.h"
#include "treehead.h"
#include "wire.h"

#define MEMO "d_0123456789abcdef01234567"
#define OTHER_MEMO "d_76543210fedcba9876543210"
#define SIGNER "m_0123456789abcdef01234567"
#define INSTANCE "0123456789abcdef0123456789abcdef"

/* Keys derived from a seed of ${v} bytes. */
static void
make_keys(struct keys_secret *ks, uint8_t v)
{
	uint8_t seed[KEYS_SEED_BYTES];

	memset(seed, v, sizeof(seed));
	assert_int_equal(keys_derive(ks, seed), 0);
}

/* A base64url JSON string of ${n} bytes at ${p}. */
static json_t *
b64j(const uint8_t *p, size_t n)
{
	json_t *s = memowire_b64(p, n);

	assert_non_null(s);
	return (s);
}

/* A grant of ${key} to ${pk} as a JSON string. */
static json_t *
grant_to(const uint8_t *key, const char *purpose, const char *context,
    const uint8_t pk[KEYS_BOX_PK_BYTES])
{
	json_t *s = memowire_grant_json(key, purpose, context, pk);

	assert_non_null(s);
	return (s);
}

/* Sample content with a body of ${body}; strings owned by the caller. */
static void
sample_content(struct memo_content *c, const char *body)
{

	memset(c, 0, sizeof(*c));
	c->title = strdup("Reconsider the policy");
	c->summary = strdup("In short: reconsider.");
	c->body = strdup(body);
	c->alternatives = strdup("");
	(void)snprintf(c->topic, sizeof(c->topic), "policy");
	(void)snprintf(c->marking, sizeof(c->marking), "SBU");
	assert_non_null(c->title);
	assert_non_null(c->summary);
	assert_non_null(c->body);
	assert_non_null(c->alternatives);
}

static void
test_b64_round_trips_large_values(void **state)
{
	size_t n = 100000, len;
	uint8_t *in, *out;
	json_t *o;

	(void)state;
	assert_non_null(in = malloc(n));
	randombytes_buf(in, n);
	assert_non_null(o = json_pack("{s:o}", "box", b64j(in, n)));
	assert_int_equal(memowire_get_b64(o, "box", &out, &len, n), 0);
	assert_int_equal(len, n);
	assert_memory_equal(in, out, n);
	free(out);
	/* One byte over the limit is refused. */
	assert_int_equal(memowire_get_b64(o, "box", &out, &len, n - 1), -1);
	assert_null(out);
	json_decref(o);
	free(in);
}

static void
test_get_b64_refuses_empty_and_malformed(void **state)
{
	uint8_t *out;
	size_t len;
	json_t *o;

	(void)state;
	assert_non_null(o = json_pack("{s:s,s:s,s:i}", "empty", "", "bad",
			    "ab=c", "num", 3));
	assert_int_equal(memowire_get_b64(o, "empty", &out, &len, 100), -1);
	assert_int_equal(memowire_get_b64(o, "bad", &out, &len, 100), -1);
	assert_int_equal(memowire_get_b64(o, "num", &out, &len, 100), -1);
	assert_int_equal(memowire_get_b64(o, "none", &out, &len, 100), -1);
	json_decref(o);
}

static void
test_get_grant_tells_absent_from_malformed(void **state)
{
	uint8_t sealed[GRANT_SEALED_MAX], key[32];
	struct keys_secret ks;
	size_t len;
	json_t *o;

	(void)state;
	make_keys(&ks, 1);
	memset(key, 7, sizeof(key));
	assert_non_null(o = json_pack("{s:o,s:n,s:s,s:i}", "good",
			    grant_to(key, MEMO_GRANT_KEY, MEMO, ks.pub.box_pk),
			    "null", "bad", "!!", "num", 1));
	assert_int_equal(memowire_get_grant(o, "good", sealed, &len), 0);
	assert_true(len > 0);
	assert_int_equal(memowire_get_grant(o, "null", sealed, &len), 1);
	assert_int_equal(memowire_get_grant(o, "absent", sealed, &len), 1);
	assert_int_equal(memowire_get_grant(o, "bad", sealed, &len), -1);
	assert_int_equal(memowire_get_grant(o, "num", sealed, &len), -1);
	json_decref(o);
	keys_wipe(&ks);
}

/* A Memo object of version ${v} with ${hash} and ${roster_pk}. */
static json_t *
memo_json(uint32_t v, const uint8_t hash[32], const uint8_t roster_pk[32])
{
	json_t *o;

	assert_non_null(
	    o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:b,s:b}", "id", MEMO,
		"state", "open", "topic", "policy", "marking", "SBU", "version",
		(json_int_t)v, "version_hash", b64j(hash, 32), "roster_pk",
		b64j(roster_pk, 32), "show_signers", 1, "signers_may_invite",
		0));
	return (o);
}

static void
test_memo_parse_reads_fields_and_refuses_missing_ones(void **state)
{
	uint8_t h[32], pk[32];
	struct memowire_memo m;
	json_t *o;

	(void)state;
	memset(h, 1, sizeof(h));
	memset(pk, 2, sizeof(pk));
	o = memo_json(3, h, pk);
	assert_int_equal(memowire_memo_parse(o, &m), 0);
	assert_string_equal(m.id, MEMO);
	assert_string_equal(m.state, "open");
	assert_int_equal(m.version, 3);
	assert_memory_equal(m.version_hash, h, 32);
	assert_memory_equal(m.roster_pk, pk, 32);
	assert_int_equal(m.show_signers, 1);
	assert_int_equal(m.signers_may_invite, 0);
	json_object_del(o, "roster_pk");
	assert_int_equal(memowire_memo_parse(o, &m), -1);
	assert_int_equal(m.version, 0);
	json_decref(o);
	o = memo_json(0, h, pk);
	assert_int_equal(memowire_memo_parse(o, &m), -1);
	json_decref(o);
}

static void
test_grants_open_own_key_and_roster(void **state)
{
	uint8_t key[32], rsk[32];
	struct memowire_keys k;
	struct keys_secret ks;
	json_t *g;

	(void)state;
	make_keys(&ks, 1);
	memset(key, 0x11, sizeof(key));
	memset(rsk, 0x22, sizeof(rsk));
	assert_non_null(
	    g = json_pack("{s:o,s:o,s:n,s:n}", "key",
		grant_to(key, MEMO_GRANT_KEY, MEMO, ks.pub.box_pk), "roster",
		grant_to(rsk, MEMO_GRANT_ROSTER, MEMO, ks.pub.box_pk),
		"channel_key", "channel"));
	assert_int_equal(memowire_grants_open(&k, g, MEMO, &ks, NULL, NULL), 0);
	assert_true(k.have_key);
	assert_true(k.have_roster);
	assert_false(k.via_channel);
	assert_memory_equal(k.key, key, 32);
	assert_memory_equal(k.roster_sk, rsk, 32);
	memowire_keys_wipe(&k);
	json_decref(g);
	keys_wipe(&ks);
}

static void
test_grants_open_refuses_a_grant_for_another_memo(void **state)
{
	uint8_t key[32];
	struct memowire_keys k;
	struct keys_secret ks;
	json_t *g;

	(void)state;
	make_keys(&ks, 1);
	memset(key, 0x11, sizeof(key));
	assert_non_null(
	    g = json_pack("{s:o}", "key",
		grant_to(key, MEMO_GRANT_KEY, OTHER_MEMO, ks.pub.box_pk)));
	assert_int_equal(memowire_grants_open(&k, g, MEMO, &ks, NULL, NULL),
	    MEMOWIRE_EINTEGRITY);
	assert_false(k.have_key);
	json_decref(g);
	keys_wipe(&ks);
}

static void
test_grants_open_refuses_a_roster_grant_as_the_key(void **state)
{
	uint8_t key[32];
	struct memowire_keys k;
	struct keys_secret ks;
	json_t *g;

	(void)state;
	make_keys(&ks, 1);
	memset(key, 0x11, sizeof(key));
	assert_non_null(
	    g = json_pack("{s:o}", "key",
		grant_to(key, MEMO_GRANT_ROSTER, MEMO, ks.pub.box_pk)));
	assert_int_equal(memowire_grants_open(&k, g, MEMO, &ks, NULL, NULL),
	    MEMOWIRE_EINTEGRITY);
	json_decref(g);
	keys_wipe(&ks);
}

static void
test_grants_open_refuses_a_grant_to_someone_else(void **state)
{
	uint8_t key[32];
	struct memowire_keys k;
	struct keys_secret ks, other;
	json_t *g;

	(void)state;
	make_keys(&ks, 1);
	make_keys(&other, 2);
	memset(key, 0x11, sizeof(key));
	assert_non_null(
	    g = json_pack("{s:o}", "key",
		grant_to(key, MEMO_GRANT_KEY, MEMO, other.pub.box_pk)));
	assert_int_equal(memowire_grants_open(&k, g, MEMO, &ks, NULL, NULL),
	    MEMOWIRE_EINTEGRITY);
	json_decref(g);
	keys_wipe(&ks);
	keys_wipe(&other);
}

static void
test_grants_open_says_when_there_is_no_key(void **state)
{
	struct memowire_keys k;
	struct keys_secret ks;
	json_t *g;

	(void)state;
	make_keys(&ks, 1);
	assert_non_null(g = json_pack("{s:n,s:n,s:n,s:n}", "key", "roster",
			    "channel_key", "channel"));
	assert_int_equal(memowire_grants_open(&k, g, MEMO, &ks, NULL, NULL), 1);
	json_decref(g);
	assert_non_null(g = json_pack("{s:i}", "key", 5));
	assert_int_equal(
	    memowire_grants_open(&k, g, MEMO, &ks, NULL, NULL), MEMOWIRE_EBAD);
	json_decref(g);
	keys_wipe(&ks);
}

/* A coordinator's grants answer for a submitted memo. */
static json_t *
channel_grants(const struct keys_secret *coord, const uint8_t cpk[32],
    const uint8_t csk[32], const char *instance, const uint8_t key[32],
    const uint8_t rsk[32])
{
	json_t *g;

	assert_non_null(
	    g = json_pack("{s:n,s:n,s:o,s:{s:o,s:o}}", "key", "roster",
		"channel_key",
		grant_to(
		    csk, MEMOWIRE_GRANT_CHANNEL, instance, coord->pub.box_pk),
		"channel", "key", grant_to(key, MEMO_GRANT_KEY, MEMO, cpk),
		"roster", grant_to(rsk, MEMO_GRANT_ROSTER, MEMO, cpk)));
	return (g);
}

static void
test_grants_open_through_the_channel_key(void **state)
{
	uint8_t key[32], rsk[32], cpk[32], csk[32];
	struct memowire_keys k;
	struct keys_secret coord;
	json_t *g;

	(void)state;
	make_keys(&coord, 3);
	memo_roster_keypair(cpk, csk);
	memset(key, 0x11, sizeof(key));
	memset(rsk, 0x22, sizeof(rsk));
	g = channel_grants(&coord, cpk, csk, INSTANCE, key, rsk);
	assert_int_equal(
	    memowire_grants_open(&k, g, MEMO, &coord, cpk, INSTANCE), 0);
	assert_true(k.via_channel);
	assert_true(k.have_roster);
	assert_memory_equal(k.key, key, 32);
	assert_memory_equal(k.roster_sk, rsk, 32);
	/* Without the channel's public key there is no channel path. */
	assert_int_equal(
	    memowire_grants_open(&k, g, MEMO, &coord, NULL, INSTANCE), 1);
	json_decref(g);
	keys_wipe(&coord);
}

static void
test_grants_open_refuses_a_channel_key_of_another_instance(void **state)
{
	uint8_t key[32], rsk[32], cpk[32], csk[32];
	struct memowire_keys k;
	struct keys_secret coord;
	json_t *g;

	(void)state;
	make_keys(&coord, 3);
	memo_roster_keypair(cpk, csk);
	memset(key, 0x11, sizeof(key));
	memset(rsk, 0x22, sizeof(rsk));
	g = channel_grants(&coord, cpk, csk, "another-instance", key, rsk);
	assert_int_equal(
	    memowire_grants_open(&k, g, MEMO, &coord, cpk, INSTANCE),
	    MEMOWIRE_EINTEGRITY);
	assert_false(k.have_key);
	json_decref(g);
	keys_wipe(&coord);
}

static void
test_grants_open_refuses_channel_grants_under_a_wrong_channel_pk(void **state)
{
	uint8_t key[32], rsk[32], cpk[32], csk[32], fpk[32], fsk[32];
	struct memowire_keys k;
	struct keys_secret coord;
	json_t *g;

	(void)state;
	make_keys(&coord, 3);
	memo_roster_keypair(cpk, csk);
	memo_roster_keypair(fpk, fsk);
	memset(key, 0x11, sizeof(key));
	memset(rsk, 0x22, sizeof(rsk));
	g = channel_grants(&coord, cpk, csk, INSTANCE, key, rsk);
	assert_int_equal(
	    memowire_grants_open(&k, g, MEMO, &coord, fpk, INSTANCE),
	    MEMOWIRE_EINTEGRITY);
	json_decref(g);
	keys_wipe(&coord);
}

/* The roster public key the drafter of the test memo chose. */
static void
test_roster_check_accepts_the_memo_s_own_roster_key(void **state)
{
	uint8_t pk[MEMO_ROSTER_PK_BYTES], sk[MEMO_ROSTER_SK_BYTES];

	(void)state;
	memo_roster_keypair(pk, sk);
	assert_int_equal(memowire_roster_check(sk, pk), 0);
	sodium_memzero(sk, sizeof(sk));
}

static void
test_roster_check_refuses_a_key_that_is_not_the_memo_s(void **state)
{
	uint8_t pk[MEMO_ROSTER_PK_BYTES], sk[MEMO_ROSTER_SK_BYTES];
	uint8_t pk2[MEMO_ROSTER_PK_BYTES], sk2[MEMO_ROSTER_SK_BYTES];
	static const uint8_t zero[MEMO_ROSTER_PK_BYTES];

	(void)state;
	memo_roster_keypair(pk, sk);
	memo_roster_keypair(pk2, sk2);
	/* A grant of someone else's (or a junk) key would lock records. */
	assert_int_equal(memowire_roster_check(sk2, pk), MEMOWIRE_EINTEGRITY);
	assert_int_equal(memowire_roster_check(sk, pk2), MEMOWIRE_EINTEGRITY);
	assert_int_equal(memowire_roster_check(sk, zero), MEMOWIRE_EINTEGRITY);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(sk2, sizeof(sk2));
}

static const uint8_t RPK[MEMO_ROSTER_PK_BYTES] = {0x5a, 0x5a, 0x5a, 0x5a};

/* Seal ${c} as version ${v} after ${prev} with the roster key RPK:
 * {"version","hash","prev_hash","box"}. */
static json_t *
sealed_version(const struct memo_content *c, uint32_t v, const uint8_t prev[32],
    const uint8_t key[32], uint8_t hash[32])
{
	json_t *o;

	assert_non_null(
	    o = memowire_version_seal(c, MEMO, v, prev, RPK, key, hash));
	assert_int_equal(
	    json_object_set_new(o, "version", json_integer((json_int_t)v)), 0);
	assert_int_equal(
	    json_object_set_new(o, "prev_hash", b64j(prev, 32)), 0);
	return (o);
}

static void
test_version_round_trips_and_its_hash_checks(void **state)
{
	uint8_t key[32], zero[32], h[32], h2[32], prev[32];
	struct memo_content c, back;
	json_t *v;

	(void)state;
	memset(key, 9, sizeof(key));
	memset(zero, 0, sizeof(zero));
	sample_content(&c, "The body.\n");
	v = sealed_version(&c, 1, zero, key, h);
	assert_int_equal(
	    memowire_version_open(&back, h2, prev, v, MEMO, 1, RPK, key), 0);
	assert_memory_equal(h, h2, 32);
	assert_memory_equal(prev, zero, 32);
	assert_string_equal(back.title, c.title);
	assert_string_equal(back.body, c.body);
	assert_string_equal(back.topic, "policy");
	memo_content_free(&back);
	json_decref(v);
	memo_content_free(&c);
}

static void
test_version_open_refuses_a_tampered_box(void **state)
{
	uint8_t key[32], zero[32], h[32], h2[32], prev[32], *box;
	struct memo_content c, back;
	size_t len;
	json_t *v;

	(void)state;
	memset(key, 9, sizeof(key));
	memset(zero, 0, sizeof(zero));
	sample_content(&c, "The body.\n");
	v = sealed_version(&c, 1, zero, key, h);
	assert_int_equal(
	    memowire_get_b64(v, "box", &box, &len, MEMO_BOX_MAX), 0);
	box[len / 2] ^= 1;
	assert_int_equal(json_object_set_new(v, "box", b64j(box, len)), 0);
	free(box);
	assert_int_equal(
	    memowire_version_open(&back, h2, prev, v, MEMO, 1, RPK, key),
	    MEMOWIRE_EINTEGRITY);
	assert_null(back.title);
	json_decref(v);
	memo_content_free(&c);
}

static void
test_version_open_refuses_a_declared_hash_that_differs(void **state)
{
	uint8_t key[32], zero[32], h[32], h2[32], prev[32];
	struct memo_content c, back;
	json_t *v;

	(void)state;
	memset(key, 9, sizeof(key));
	memset(zero, 0, sizeof(zero));
	sample_content(&c, "The body.\n");
	v = sealed_version(&c, 1, zero, key, h);
	h[0] ^= 1;
	assert_int_equal(json_object_set_new(v, "hash", b64j(h, 32)), 0);
	assert_int_equal(
	    memowire_version_open(&back, h2, prev, v, MEMO, 1, RPK, key),
	    MEMOWIRE_EINTEGRITY);
	json_decref(v);
	memo_content_free(&c);
}

static void
test_version_open_refuses_a_declared_prev_hash_that_differs(void **state)
{
	uint8_t key[32], zero[32], h[32], h2[32], prev[32];
	struct memo_content c, back;
	json_t *v;

	(void)state;
	memset(key, 9, sizeof(key));
	memset(zero, 0, sizeof(zero));
	sample_content(&c, "The body.\n");
	v = sealed_version(&c, 1, zero, key, h);
	prev[0] = 1;
	memset(prev + 1, 0, sizeof(prev) - 1);
	assert_int_equal(
	    json_object_set_new(v, "prev_hash", b64j(prev, 32)), 0);
	assert_int_equal(
	    memowire_version_open(&back, h2, prev, v, MEMO, 1, RPK, key),
	    MEMOWIRE_EINTEGRITY);
	json_decref(v);
	memo_content_free(&c);
}

static void
test_version_open_refuses_another_version_number(void **state)
{
	uint8_t key[32], zero[32], h[32], h2[32], prev[32];
	struct memo_content c, back;
	json_t *v;

	(void)state;
	memset(key, 9, sizeof(key));
	memset(zero, 0, sizeof(zero));
	sample_content(&c, "The body.\n");
	v = sealed_version(&c, 1, zero, key, h);
	assert_int_equal(
	    memowire_version_open(&back, h2, prev, v, MEMO, 2, RPK, key),
	    MEMOWIRE_EBAD);
	/* Relabelled as version 2, the box no longer authenticates. */
	assert_int_equal(json_object_set_new(v, "version", json_integer(2)), 0);
	assert_int_equal(
	    memowire_version_open(&back, h2, prev, v, MEMO, 2, RPK, key),
	    MEMOWIRE_EINTEGRITY);
	json_decref(v);
	memo_content_free(&c);
}

/*
 * A server that hands signers its own roster key in place of the
 * drafter's (to open their sealed records) is caught when the version is
 * opened: the hash binds the drafter's roster key, so the signer refuses
 * before signing or sealing anything.
 */
static void
test_version_open_refuses_a_roster_key_the_drafter_did_not_use(void **state)
{
	uint8_t key[32], zero[32], h[32], h2[32], prev[32];
	uint8_t spk[MEMO_ROSTER_PK_BYTES], ssk[MEMO_ROSTER_SK_BYTES];
	struct memowire_memo m;
	struct memo_content c, back;
	json_t *v, *mj;

	(void)state;
	memset(key, 9, sizeof(key));
	memset(zero, 0, sizeof(zero));
	sample_content(&c, "The body.\n");
	v = sealed_version(&c, 1, zero, key, h);
	/* The memo object as the drafter made it opens. */
	mj = memo_json(1, h, RPK);
	assert_int_equal(memowire_memo_parse(mj, &m), 0);
	assert_int_equal(memowire_version_open(
			     &back, h2, prev, v, MEMO, 1, m.roster_pk, key),
	    0);
	memo_content_free(&back);
	json_decref(mj);
	/* The same memo with the server's own roster key does not. */
	memo_roster_keypair(spk, ssk);
	mj = memo_json(1, h, spk);
	assert_int_equal(memowire_memo_parse(mj, &m), 0);
	assert_int_equal(memowire_version_open(
			     &back, h2, prev, v, MEMO, 1, m.roster_pk, key),
	    MEMOWIRE_EINTEGRITY);
	assert_null(back.title);
	assert_null(back.body);
	json_decref(mj);
	json_decref(v);
	memo_content_free(&c);
}

/* {"versions":[{version 1, h1}, {version 2, h2}]}. */
static json_t *
versions_json(const uint8_t h1[32], const uint8_t h2[32])
{
	json_t *o;

	assert_non_null(
	    o = json_pack("{s:[{s:i,s:o,s:s,s:i},{s:i,s:o,s:s,s:i}]}",
		"versions", "version", 1, "hash", b64j(h1, 32), "author",
		SIGNER, "created_at", 1, "version", 2, "hash", b64j(h2, 32),
		"author", SIGNER, "created_at", 2));
	return (o);
}

static void
test_chain_check_accepts_the_declared_chain(void **state)
{
	uint8_t h1[32], h2[32], pk[32], zero[32];
	struct memowire_memo m;
	json_t *mj, *vs;

	(void)state;
	memset(h1, 1, 32);
	memset(h2, 2, 32);
	memset(pk, 3, 32);
	memset(zero, 0, 32);
	mj = memo_json(2, h2, pk);
	assert_int_equal(memowire_memo_parse(mj, &m), 0);
	vs = versions_json(h1, h2);
	assert_int_equal(memowire_chain_check(&m, vs, 2, h2, h1), 0);
	assert_int_equal(memowire_chain_check(&m, vs, 1, h1, zero), 0);
	json_decref(vs);
	json_decref(mj);
}

static void
test_chain_check_refuses_a_broken_link(void **state)
{
	uint8_t h1[32], h2[32], pk[32], zero[32];
	struct memowire_memo m;
	json_t *mj, *vs;

	(void)state;
	memset(h1, 1, 32);
	memset(h2, 2, 32);
	memset(pk, 3, 32);
	memset(zero, 0, 32);
	mj = memo_json(2, h2, pk);
	assert_int_equal(memowire_memo_parse(mj, &m), 0);
	vs = versions_json(h1, h2);
	/* Version 2 whose predecessor is not version 1. */
	assert_int_equal(
	    memowire_chain_check(&m, vs, 2, h2, zero), MEMOWIRE_EINTEGRITY);
	/* Version 1 that does not start from zeros. */
	assert_int_equal(
	    memowire_chain_check(&m, vs, 1, h1, h2), MEMOWIRE_EINTEGRITY);
	/* A hash the list does not declare. */
	assert_int_equal(
	    memowire_chain_check(&m, vs, 2, h1, h1), MEMOWIRE_EINTEGRITY);
	json_decref(vs);
	json_decref(mj);
}

static void
test_chain_check_refuses_a_memo_hash_that_is_not_the_last(void **state)
{
	uint8_t h1[32], h2[32], pk[32];
	struct memowire_memo m;
	json_t *mj, *vs;

	(void)state;
	memset(h1, 1, 32);
	memset(h2, 2, 32);
	memset(pk, 3, 32);
	mj = memo_json(2, h1, pk);
	assert_int_equal(memowire_memo_parse(mj, &m), 0);
	vs = versions_json(h1, h2);
	assert_int_equal(
	    memowire_chain_check(&m, vs, 2, h2, h1), MEMOWIRE_EINTEGRITY);
	json_decref(vs);
	json_decref(mj);
}

static void
test_chain_check_refuses_missing_or_reordered_versions(void **state)
{
	uint8_t h1[32], h2[32], pk[32];
	struct memowire_memo m;
	json_t *mj, *vs;

	(void)state;
	memset(h1, 1, 32);
	memset(h2, 2, 32);
	memset(pk, 3, 32);
	mj = memo_json(2, h2, pk);
	assert_int_equal(memowire_memo_parse(mj, &m), 0);
	vs = versions_json(h1, h2);
	assert_int_equal(
	    json_array_remove(json_object_get(vs, "versions"), 0), 0);
	assert_int_equal(
	    memowire_chain_check(&m, vs, 2, h2, h1), MEMOWIRE_EINTEGRITY);
	json_decref(vs);
	vs = versions_json(h1, h2);
	json_object_set_new(json_array_get(json_object_get(vs, "versions"), 0),
	    "version", json_integer(2));
	json_object_set_new(json_array_get(json_object_get(vs, "versions"), 1),
	    "version", json_integer(1));
	assert_int_equal(
	    memowire_chain_check(&m, vs, 2, h2, h1), MEMOWIRE_EINTEGRITY);
	json_decref(vs);
	json_decref(mj);
}

/* A keys answer with epochs 1 (${k1}) and 2 (${k2}). */
static json_t *
keys_answer(const struct keys_public *k1, const struct keys_public *k2)
{
	json_t *h1 = wire_keys(k1), *h2 = wire_keys(k2), *o;

	assert_non_null(h1);
	assert_non_null(h2);
	json_object_set_new(h1, "epoch", json_integer(1));
	json_object_set_new(h1, "log_index", json_integer(4));
	json_object_set_new(h2, "epoch", json_integer(2));
	json_object_set_new(h2, "log_index", json_integer(9));
	assert_non_null(o = json_pack("{s:s,s:O,s:[o,o]}", "member_id", SIGNER,
			    "current", h2, "history", h1, h2));
	return (o);
}

static void
test_keys_at_finds_each_epoch(void **state)
{
	struct keys_secret a, b;
	struct keys_public pub;
	const json_t *rec;
	json_t *o;

	(void)state;
	make_keys(&a, 1);
	make_keys(&b, 2);
	o = keys_answer(&a.pub, &b.pub);
	assert_int_equal(memowire_keys_at(o, 1, &pub, &rec), 0);
	assert_true(wire_keys_equal(&pub, &a.pub));
	assert_int_equal(
	    json_integer_value(json_object_get(rec, "log_index")), 4);
	assert_int_equal(memowire_keys_at(o, 2, &pub, &rec), 0);
	assert_true(wire_keys_equal(&pub, &b.pub));
	assert_int_equal(memowire_keys_at(o, 3, &pub, &rec), -1);
	json_decref(o);
	keys_wipe(&a);
	keys_wipe(&b);
}

/* A signature of ${ks} as ${SIGNER} on version ${v} of MEMO with ${h}. */
static void
make_signature(struct memo_signature *s, const struct keys_secret *ks,
    uint32_t v, const uint8_t h[32])
{

	memset(s, 0, sizeof(*s));
	(void)snprintf(s->memo_id, sizeof(s->memo_id), "%s", MEMO);
	s->version = v;
	memcpy(s->version_hash, h, 32);
	(void)snprintf(s->signer_id, sizeof(s->signer_id), "%s", SIGNER);
	s->key_epoch = 1;
	s->time = 1764400000;
	assert_int_equal(memo_signature_sign(s, ks), 0);
}

static void
test_record_verify_accepts_an_opened_record(void **state)
{
	uint8_t h[32], rpk[32], rsk[32], sealed[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s, back;
	struct keys_secret ks;

	(void)state;
	make_keys(&ks, 5);
	memset(h, 4, sizeof(h));
	memo_roster_keypair(rpk, rsk);
	make_signature(&s, &ks, 2, h);
	assert_int_equal(memo_record_seal(sealed, &s, rpk), 0);
	assert_int_equal(memo_record_open(&back, sealed, rpk, rsk), 0);
	assert_int_equal(memowire_record_verify(&back, MEMO, 2, h, &ks.pub), 0);
	keys_wipe(&ks);
}

static void
test_record_verify_refuses_other_keys(void **state)
{
	uint8_t h[32];
	struct memo_signature s;
	struct keys_secret ks, other;

	(void)state;
	make_keys(&ks, 5);
	make_keys(&other, 6);
	memset(h, 4, sizeof(h));
	make_signature(&s, &ks, 2, h);
	assert_int_equal(memowire_record_verify(&s, MEMO, 2, h, &other.pub),
	    MEMOWIRE_EINTEGRITY);
	keys_wipe(&ks);
	keys_wipe(&other);
}

static void
test_record_verify_refuses_another_version_or_memo(void **state)
{
	uint8_t h[32], h2[32];
	struct memo_signature s;
	struct keys_secret ks;

	(void)state;
	make_keys(&ks, 5);
	memset(h, 4, sizeof(h));
	memset(h2, 5, sizeof(h2));
	make_signature(&s, &ks, 2, h);
	assert_int_equal(memowire_record_verify(&s, MEMO, 2, h2, &ks.pub),
	    MEMOWIRE_EINTEGRITY);
	assert_int_equal(memowire_record_verify(&s, MEMO, 3, h, &ks.pub),
	    MEMOWIRE_EINTEGRITY);
	assert_int_equal(memowire_record_verify(&s, OTHER_MEMO, 2, h, &ks.pub),
	    MEMOWIRE_EINTEGRITY);
	/* A record whose fields were changed after signing. */
	s.time++;
	assert_int_equal(memowire_record_verify(&s, MEMO, 2, h, &ks.pub),
	    MEMOWIRE_EINTEGRITY);
	keys_wipe(&ks);
}

static void
test_records_package_is_the_package_hash(void **state)
{
	uint8_t h[32], recs[2][MEMO_RECORD_SEALED_BYTES], a[32], b[32];
	json_t *arr;

	(void)state;
	memset(h, 4, sizeof(h));
	randombytes_buf(recs, sizeof(recs));
	assert_non_null(arr = json_pack("[{s:i,s:o},{s:i,s:o}]", "version", 1,
			    "record", b64j(recs[0], sizeof(recs[0])), "version",
			    1, "record", b64j(recs[1], sizeof(recs[1]))));
	assert_int_equal(memowire_records_package(a, MEMO, h, arr), 0);
	memo_package_hash(b, MEMO, h,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])recs, 2, NULL, 0);
	assert_memory_equal(a, b, 32);
	/* Another order is another package. */
	memo_package_hash(b, MEMO, h,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES]) & recs[1], 1, NULL, 0);
	assert_memory_not_equal(a, b, 32);
	json_object_set_new(json_array_get(arr, 1), "record", json_string("x"));
	assert_int_equal(memowire_records_package(a, MEMO, h, arr), -1);
	json_decref(arr);
}

/* A ring signature by member ${who} of a ring of two on ${MEMO}, as JSON. */
static json_t *
anon_entry(int who, uint8_t sig[RING_SIG_BYTES(2)])
{
	uint8_t ring[2][RING_PK_BYTES], seed[KEYS_SEED_BYTES];
	uint8_t binding[RING_BINDING_BYTES], vh[32], rseed[RING_SEED_BYTES];
	uint8_t tag[RING_TAG_BYTES];
	struct keys_secret ks[2], t;
	size_t i, n;
	json_t *o;

	for (i = 0; i < 2; i++) {
		memset(seed, (int)(0x61 + i), sizeof(seed));
		assert_int_equal(keys_derive(&ks[i], seed), 0);
	}
	/* The ring is sorted by key. */
	if (memcmp(ks[0].pub.ring_pk, ks[1].pub.ring_pk, RING_PK_BYTES) > 0) {
		t = ks[0];
		ks[0] = ks[1];
		ks[1] = t;
	}
	for (i = 0; i < 2; i++)
		memcpy(ring[i], ks[i].pub.ring_pk, RING_PK_BYTES);
	memset(vh, 4, sizeof(vh));
	memset(rseed, 0x70 + who, sizeof(rseed));
	ring_binding_version(binding, vh);
	assert_int_equal(
	    ring_sign_with_seed(sig, RING_SIG_BYTES(2),
		(const uint8_t(*)[RING_PK_BYTES])ring, 2, (size_t)who,
		ks[who].ring_sk, MEMO, binding, 7, rseed),
	    0);
	assert_int_equal(ring_sig_parse(sig, RING_SIG_BYTES(2), 2, &n, tag), 0);
	assert_non_null(
	    o = json_pack("{s:i,s:o,s:[o,o],s:o,s:o}", "version", 1,
		"version_hash", b64j(vh, sizeof(vh)), "ring",
		b64j(ring[0], RING_PK_BYTES), b64j(ring[1], RING_PK_BYTES),
		"signature", b64j(sig, RING_SIG_BYTES(2)), "tag",
		b64j(tag, sizeof(tag))));
	keys_wipe(&ks[0]);
	keys_wipe(&ks[1]);
	return (o);
}

static void
test_package_covers_records_and_anonymous_signatures(void **state)
{
	uint8_t h[32], recs[1][MEMO_RECORD_SEALED_BYTES], a[32], b[32];
	uint8_t sigs[2][RING_SIG_BYTES(2)];
	struct memo_anon_ref refs[2] = {
	    {sigs[0], sizeof(sigs[0])}, {sigs[1], sizeof(sigs[1])}};
	json_t *records, *anon;

	(void)state;
	memset(h, 4, sizeof(h));
	randombytes_buf(recs, sizeof(recs));
	assert_non_null(records = json_pack("[{s:i,s:o}]", "version", 1,
			    "record", b64j(recs[0], sizeof(recs[0]))));
	assert_non_null(anon = json_array());
	assert_int_equal(
	    json_array_append_new(anon, anon_entry(0, sigs[0])), 0);
	assert_int_equal(
	    json_array_append_new(anon, anon_entry(1, sigs[1])), 0);
	assert_int_equal(memowire_package(a, MEMO, h, records, anon), 0);
	memo_package_hash(b, MEMO, h,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])recs, 1, refs, 2);
	assert_memory_equal(a, b, 32);
	/* Without them, or through the records-only call, it differs. */
	assert_int_equal(memowire_package(b, MEMO, h, records, NULL), 0);
	assert_memory_not_equal(a, b, 32);
	assert_int_equal(memowire_records_package(a, MEMO, h, records), 0);
	assert_memory_equal(a, b, 32);
	json_decref(anon);
	json_decref(records);
}

static void
test_package_refuses_a_malformed_anonymous_signature(void **state)
{
	uint8_t h[32], out[32], sig[RING_SIG_BYTES(2)],
	    other[RING_SIG_BYTES(2)];
	json_t *records, *anon, *e;

	(void)state;
	memset(h, 4, sizeof(h));
	assert_non_null(records = json_array());
	/* A "tag" other than the one the signature carries. */
	assert_non_null(anon = json_array());
	assert_int_equal(
	    json_array_append_new(anon, e = anon_entry(0, sig)), 0);
	json_decref(anon_entry(1, other));
	json_object_set_new(e, "tag",
	    b64j(other + RING_SIG_BYTES(2) - RING_TAG_BYTES, RING_TAG_BYTES));
	assert_int_equal(memowire_package(out, MEMO, h, records, anon), -1);
	/* A signature that is no ring signature (a scalar above L). */
	json_object_set_new(e, "tag",
	    b64j(sig + RING_SIG_BYTES(2) - RING_TAG_BYTES, RING_TAG_BYTES));
	assert_int_equal(memowire_package(out, MEMO, h, records, anon), 0);
	memset(sig, 0xff, 32);
	json_object_set_new(e, "signature", b64j(sig, sizeof(sig)));
	assert_int_equal(memowire_package(out, MEMO, h, records, anon), -1);
	/* Not base64url, and not an array. */
	json_object_set_new(e, "signature", json_string("!"));
	assert_int_equal(memowire_package(out, MEMO, h, records, anon), -1);
	assert_int_equal(memowire_package(out, MEMO, h, records, e), -1);
	json_decref(anon);
	json_decref(records);
}

static void
test_complaint_round_trips_and_refuses_tampering(void **state)
{
	uint8_t key[32], other[32], *box;
	char *text;
	size_t len;

	(void)state;
	aead_key_new(key);
	aead_key_new(other);
	assert_int_equal(
	    memowire_complaint_seal(&box, &len, "I was moved for it.", key), 0);
	assert_int_equal(memowire_complaint_open(&text, box, len, key), 0);
	assert_string_equal(text, "I was moved for it.");
	free(text);
	assert_int_equal(memowire_complaint_open(&text, box, len, other), -1);
	assert_null(text);
	box[len - 1] ^= 1;
	assert_int_equal(memowire_complaint_open(&text, box, len, key), -1);
	free(box);
	assert_int_equal(memowire_complaint_seal(&box, &len, "", key), -1);
}

/* A log of a few events with MEMO's submission at index 2, and its head. */
struct receipt_fixture {
	struct keys_secret server;
	json_t *receipt;
	struct treehead th;
};

/* The leaf input of ${ev}, into ${buf}. */
static size_t
encode(uint8_t *buf, const struct event *ev)
{
	size_t len;

	assert_int_equal(event_encode(buf, EVENT_MAX_BYTES, &len, ev), 0);
	return (len);
}

/* Build a receipt for a memo event ${ev} at index 2 of a 5-entry log. */
static void
receipt_fixture(struct receipt_fixture *f, const struct event *ev)
{
	uint8_t leaf[EVENT_MAX_BYTES], proof[MERKLE_MAX_PROOF * 32];
	struct merkle_source src;
	struct merkle_mem *mm;
	struct event other;
	json_t *parr;
	size_t len, n, i;
	uint64_t j;

	make_keys(&f->server, 9);
	assert_non_null(mm = merkle_mem_new(16));
	for (j = 0; j < 5; j++) {
		if (j == 2) {
			len = encode(leaf, ev);
		} else {
			memset(&other, 0, sizeof(other));
			other.version = EVENT_FORMAT_VERSION;
			other.type = EVENT_ORG_CREATED;
			other.time = 1764400000 + j;
			(void)snprintf(other.org_id, sizeof(other.org_id),
			    "org%llu", (unsigned long long)j);
			len = encode(leaf, &other);
		}
		assert_int_equal(merkle_mem_append(mm, leaf, len), 0);
	}
	merkle_mem_source(mm, &src);
	memset(&f->th, 0, sizeof(f->th));
	(void)snprintf(
	    f->th.instance_id, sizeof(f->th.instance_id), "%s", INSTANCE);
	f->th.size = 5;
	f->th.timestamp = 1764400100;
	assert_int_equal(merkle_root(&src, 5, f->th.root), 0);
	assert_int_equal(treehead_sign(&f->th, f->server.sign_sk), 0);
	assert_int_equal(
	    merkle_inclusion_proof(&src, 2, 5, proof, MERKLE_MAX_PROOF, &n), 0);
	assert_non_null(parr = json_array());
	for (i = 0; i < n; i++)
		assert_int_equal(
		    json_array_append_new(parr, b64j(proof + 32 * i, 32)), 0);
	len = encode(leaf, ev);
	assert_non_null(f->receipt = json_pack("{s:s,s:o,s:i,s:o,s:o,s:o}",
			    "memo", MEMO, "event", b64j(leaf, len), "index", 2,
			    "head", logwire_head_json(&f->th), "proof", parr,
			    "server_sign_pk", b64j(f->server.pub.sign_pk, 32)));
	merkle_mem_free(mm);
}

/* A memo_submitted event of MEMO. */
static void
submitted_event(struct event *ev)
{

	memset(ev, 0, sizeof(*ev));
	ev->version = EVENT_FORMAT_VERSION;
	ev->type = EVENT_MEMO_SUBMITTED;
	ev->time = 1764400050;
	(void)snprintf(ev->memo_id, sizeof(ev->memo_id), "%s", MEMO);
	ev->memo_version = 3;
	memset(ev->hash, 0x33, sizeof(ev->hash));
	ev->named = 12;
	ev->anonymous = 0;
	memset(ev->package_hash, 0x44, sizeof(ev->package_hash));
}

static void
test_receipt_verifies_offline(void **state)
{
	char err[MEMOWIRE_ERR_MAX];
	struct receipt_fixture f;
	struct memowire_receipt rc;
	struct event ev;
	json_t *sum;

	(void)state;
	submitted_event(&ev);
	receipt_fixture(&f, &ev);
	assert_int_equal(memowire_receipt_verify(f.receipt,
			     f.server.pub.sign_pk, &rc, err, sizeof(err)),
	    0);
	assert_string_equal(rc.memo_id, MEMO);
	assert_int_equal(rc.index, 2);
	assert_int_equal(rc.head.size, 5);
	assert_int_equal(rc.ev.type, EVENT_MEMO_SUBMITTED);
	assert_int_equal(rc.ev.named, 12);
	assert_int_equal(rc.ev.memo_version, 3);
	assert_non_null(sum = memowire_receipt_json(&rc));
	assert_string_equal(
	    json_string_value(json_object_get(sum, "event")), "memo_submitted");
	assert_int_equal(json_integer_value(json_object_get(sum, "named")), 12);
	assert_int_equal(
	    json_integer_value(json_object_get(sum, "tree_size")), 5);
	/* The event names neither the drafter's organisation nor a topic. */
	assert_null(json_object_get(sum, "org"));
	assert_null(json_object_get(sum, "topic"));
	json_decref(sum);
	json_decref(f.receipt);
	keys_wipe(&f.server);
}

/* Flip one bit of the base64url field ${key} of ${obj} (in its bytes). */
static void
flip(json_t *obj, const char *key, size_t at)
{
	uint8_t *buf;
	size_t len;

	assert_int_equal(memowire_get_b64(obj, key, &buf, &len, 4096), 0);
	assert_true(at < len);
	buf[at] ^= 1;
	assert_int_equal(json_object_set_new(obj, key, b64j(buf, len)), 0);
	free(buf);
}

/* Verify ${f}'s receipt with ${pk}, expecting a refusal. */
static void
assert_refused(struct receipt_fixture *f, const uint8_t pk[32])
{
	char err[MEMOWIRE_ERR_MAX];
	struct memowire_receipt rc;

	err[0] = '\0';
	assert_int_equal(
	    memowire_receipt_verify(f->receipt, pk, &rc, err, sizeof(err)),
	    MEMOWIRE_EINTEGRITY);
	assert_true(strlen(err) > 0);
	json_decref(f->receipt);
	keys_wipe(&f->server);
}

static void
test_receipt_refuses_a_tampered_event_byte(void **state)
{
	struct receipt_fixture f;
	struct event ev;
	size_t at;

	(void)state;
	submitted_event(&ev);
	/* Every byte of the event counts. */
	for (at = 0; at < 40; at += 7) {
		receipt_fixture(&f, &ev);
		flip(f.receipt, "event", at);
		assert_refused(&f, f.server.pub.sign_pk);
	}
}

static void
test_receipt_refuses_a_tampered_signature(void **state)
{
	struct receipt_fixture f;
	struct event ev;

	(void)state;
	submitted_event(&ev);
	receipt_fixture(&f, &ev);
	flip(json_object_get(f.receipt, "head"), "signature", 10);
	assert_refused(&f, f.server.pub.sign_pk);
}

static void
test_receipt_refuses_a_tampered_head(void **state)
{
	struct receipt_fixture f;
	struct event ev;

	(void)state;
	submitted_event(&ev);
	receipt_fixture(&f, &ev);
	json_object_set_new(
	    json_object_get(f.receipt, "head"), "size", json_integer(6));
	assert_refused(&f, f.server.pub.sign_pk);
}

static void
test_receipt_refuses_another_key(void **state)
{
	struct receipt_fixture f;
	struct keys_secret other;
	struct event ev;

	(void)state;
	make_keys(&other, 10);
	submitted_event(&ev);
	receipt_fixture(&f, &ev);
	assert_refused(&f, other.pub.sign_pk);
	/* Without the server_sign_pk hint, the signature itself decides. */
	receipt_fixture(&f, &ev);
	json_object_del(f.receipt, "server_sign_pk");
	assert_refused(&f, other.pub.sign_pk);
	keys_wipe(&other);
}

static void
test_receipt_refuses_a_tampered_proof(void **state)
{
	struct receipt_fixture f;
	struct event ev;
	json_t *p;

	(void)state;
	submitted_event(&ev);
	receipt_fixture(&f, &ev);
	p = json_array_get(json_object_get(f.receipt, "proof"), 0);
	assert_non_null(p);
	assert_non_null(p = json_pack("{s:O}", "h", p));
	flip(p, "h", 3);
	assert_int_equal(json_array_set(json_object_get(f.receipt, "proof"), 0,
			     json_object_get(p, "h")),
	    0);
	json_decref(p);
	assert_refused(&f, f.server.pub.sign_pk);
	/* The right entry at the wrong index. */
	receipt_fixture(&f, &ev);
	json_object_set_new(f.receipt, "index", json_integer(3));
	assert_refused(&f, f.server.pub.sign_pk);
}

static void
test_receipt_refuses_another_memo_or_a_non_memo_event(void **state)
{
	struct receipt_fixture f;
	struct event ev;

	(void)state;
	submitted_event(&ev);
	receipt_fixture(&f, &ev);
	json_object_set_new(f.receipt, "memo", json_string(OTHER_MEMO));
	assert_refused(&f, f.server.pub.sign_pk);
	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = EVENT_ORG_CREATED;
	ev.time = 1;
	(void)snprintf(ev.org_id, sizeof(ev.org_id), "state");
	receipt_fixture(&f, &ev);
	assert_refused(&f, f.server.pub.sign_pk);
}

static void
test_receipt_refuses_malformed_fields(void **state)
{
	static const char *const fields[] = {
	    "memo", "event", "index", "head", "proof"};
	struct receipt_fixture f;
	struct event ev;
	size_t i;

	(void)state;
	submitted_event(&ev);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		receipt_fixture(&f, &ev);
		json_object_del(f.receipt, fields[i]);
		assert_refused(&f, f.server.pub.sign_pk);
	}
	receipt_fixture(&f, &ev);
	json_object_del(json_object_get(f.receipt, "head"), "instance_id");
	assert_refused(&f, f.server.pub.sign_pk);
	receipt_fixture(&f, &ev);
	json_object_set_new(f.receipt, "event", json_string("not base64!"));
	assert_refused(&f, f.server.pub.sign_pk);
}

/*
 * The channel key as the log publishes it: a channel_key_created event at
 * index 2 of a 5-entry log (the receipt fixture's), its leaf input and
 * its inclusion proof in the signed head.
 */
struct chkey_fixture {
	struct receipt_fixture f;
	uint8_t pk[KEYS_BOX_PK_BYTES];
	uint8_t leaf[EVENT_MAX_BYTES];
	uint8_t proof[LOGWIRE_PROOF_BYTES];
	size_t len, n;
};

/* A channel_key_created event by SIGNER publishing ${pk}. */
static void
channel_key_event(struct event *ev, const uint8_t pk[KEYS_BOX_PK_BYTES])
{

	memset(ev, 0, sizeof(*ev));
	ev->version = EVENT_FORMAT_VERSION;
	ev->type = EVENT_CHANNEL_KEY_CREATED;
	ev->time = 1764400050;
	(void)snprintf(ev->member_id, sizeof(ev->member_id), "%s", SIGNER);
	event_channel_key_hash(ev->keys_hash, pk);
}

/* Log ${ev} at index 2 and keep its leaf input and proof in ${k}. */
static void
chkey_fixture(struct chkey_fixture *k, const struct event *ev)
{
	uint8_t *buf;

	receipt_fixture(&k->f, ev);
	assert_int_equal(
	    memowire_get_b64(k->f.receipt, "event", &buf, &k->len, 4096), 0);
	memcpy(k->leaf, buf, k->len);
	free(buf);
	assert_int_equal(logwire_proof_parse(k->f.receipt, k->proof, &k->n), 0);
}

static void
chkey_free(struct chkey_fixture *k)
{

	json_decref(k->f.receipt);
	keys_wipe(&k->f.server);
}

/* Check ${pk} against entry ${index} of ${k}, expecting a refusal. */
static void
assert_chkey_refused(struct chkey_fixture *k, uint64_t index,
    const uint8_t pk[KEYS_BOX_PK_BYTES])
{
	char err[MEMOWIRE_ERR_MAX];

	err[0] = '\0';
	assert_int_equal(memowire_channel_key_check(&k->f.th, index, k->leaf,
			     k->len, k->proof, k->n, pk, err, sizeof(err)),
	    MEMOWIRE_EINTEGRITY);
	assert_true(strlen(err) > 0);
}

static void
test_channel_key_check_accepts_the_key_the_log_publishes(void **state)
{
	uint8_t sk[MEMO_ROSTER_SK_BYTES];
	char err[MEMOWIRE_ERR_MAX];
	struct chkey_fixture k;
	struct event ev;

	(void)state;
	memo_roster_keypair(k.pk, sk);
	channel_key_event(&ev, k.pk);
	chkey_fixture(&k, &ev);
	assert_int_equal(memowire_channel_key_check(&k.f.th, 2, k.leaf, k.len,
			     k.proof, k.n, k.pk, err, sizeof(err)),
	    0);
	chkey_free(&k);
}

static void
test_channel_key_check_refuses_a_swapped_key(void **state)
{
	uint8_t sk[MEMO_ROSTER_SK_BYTES], mine[KEYS_BOX_PK_BYTES];
	struct chkey_fixture k;
	struct event ev;

	(void)state;
	memo_roster_keypair(k.pk, sk);
	channel_key_event(&ev, k.pk);
	chkey_fixture(&k, &ev);
	/* The server's own key in place of the logged one. */
	memo_roster_keypair(mine, sk);
	assert_chkey_refused(&k, 2, mine);
	/* A single flipped bit of the key. */
	memcpy(mine, k.pk, sizeof(mine));
	mine[31] ^= 1;
	assert_chkey_refused(&k, 2, mine);
	chkey_free(&k);
}

static void
test_channel_key_check_refuses_an_entry_not_in_the_head(void **state)
{
	uint8_t sk[MEMO_ROSTER_SK_BYTES];
	struct chkey_fixture k;
	struct event ev;

	(void)state;
	memo_roster_keypair(k.pk, sk);
	channel_key_event(&ev, k.pk);
	chkey_fixture(&k, &ev);
	/* Another index, or one beyond the head. */
	assert_chkey_refused(&k, 1, k.pk);
	assert_chkey_refused(&k, 5, k.pk);
	assert_chkey_refused(&k, UINT64_MAX, k.pk);
	/* A proof that does not lead to the root. */
	k.proof[0] ^= 1;
	assert_chkey_refused(&k, 2, k.pk);
	k.proof[0] ^= 1;
	/* A leaf other than the logged one. */
	k.leaf[k.len - 1] ^= 1;
	assert_chkey_refused(&k, 2, k.pk);
	chkey_free(&k);
}

static void
test_channel_key_check_refuses_an_event_of_another_type(void **state)
{
	uint8_t sk[MEMO_ROSTER_SK_BYTES];
	struct chkey_fixture k;
	struct event ev;

	(void)state;
	memo_roster_keypair(k.pk, sk);
	/* A key event of a member that carries the channel key's hash. */
	memset(&ev, 0, sizeof(ev));
	ev.version = EVENT_FORMAT_VERSION;
	ev.type = EVENT_KEYS_ROTATED;
	ev.time = 1764400050;
	(void)snprintf(ev.member_id, sizeof(ev.member_id), "%s", SIGNER);
	ev.epoch = 2;
	event_channel_key_hash(ev.keys_hash, k.pk);
	chkey_fixture(&k, &ev);
	assert_chkey_refused(&k, 2, k.pk);
	chkey_free(&k);
	/* A memo event. */
	submitted_event(&ev);
	chkey_fixture(&k, &ev);
	assert_chkey_refused(&k, 2, k.pk);
	chkey_free(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_b64_round_trips_large_values),
	    cmocka_unit_test(test_get_b64_refuses_empty_and_malformed),
	    cmocka_unit_test(test_get_grant_tells_absent_from_malformed),
	    cmocka_unit_test(
		test_memo_parse_reads_fields_and_refuses_missing_ones),
	    cmocka_unit_test(test_grants_open_own_key_and_roster),
	    cmocka_unit_test(test_grants_open_refuses_a_grant_for_another_memo),
	    cmocka_unit_test(
		test_grants_open_refuses_a_roster_grant_as_the_key),
	    cmocka_unit_test(test_grants_open_refuses_a_grant_to_someone_else),
	    cmocka_unit_test(test_grants_open_says_when_there_is_no_key),
	    cmocka_unit_test(test_grants_open_through_the_channel_key),
	    cmocka_unit_test(
		test_grants_open_refuses_a_channel_key_of_another_instance),
	    cmocka_unit_test(
		test_grants_open_refuses_channel_grants_under_a_wrong_channel_pk),
	    cmocka_unit_test(
		test_roster_check_accepts_the_memo_s_own_roster_key),
	    cmocka_unit_test(
		test_roster_check_refuses_a_key_that_is_not_the_memo_s),
	    cmocka_unit_test(test_version_round_trips_and_its_hash_checks),
	    cmocka_unit_test(test_version_open_refuses_a_tampered_box),
	    cmocka_unit_test(
		test_version_open_refuses_a_declared_hash_that_differs),
	    cmocka_unit_test(
		test_version_open_refuses_a_declared_prev_hash_that_differs),
	    cmocka_unit_test(test_version_open_refuses_another_version_number),
	    cmocka_unit_test(
		test_version_open_refuses_a_roster_key_the_drafter_did_not_use),
	    cmocka_unit_test(test_chain_check_accepts_the_declared_chain),
	    cmocka_unit_test(test_chain_check_refuses_a_broken_link),
	    cmocka_unit_test(
		test_chain_check_refuses_a_memo_hash_that_is_not_the_last),
	    cmocka_unit_test(
		test_chain_check_refuses_missing_or_reordered_versions),
	    cmocka_unit_test(test_keys_at_finds_each_epoch),
	    cmocka_unit_test(test_record_verify_accepts_an_opened_record),
	    cmocka_unit_test(test_record_verify_refuses_other_keys),
	    cmocka_unit_test(
		test_record_verify_refuses_another_version_or_memo),
	    cmocka_unit_test(test_records_package_is_the_package_hash),
	    cmocka_unit_test(
		test_package_covers_records_and_anonymous_signatures),
	    cmocka_unit_test(
		test_package_refuses_a_malformed_anonymous_signature),
	    cmocka_unit_test(test_complaint_round_trips_and_refuses_tampering),
	    cmocka_unit_test(test_receipt_verifies_offline),
	    cmocka_unit_test(test_receipt_refuses_a_tampered_event_byte),
	    cmocka_unit_test(test_receipt_refuses_a_tampered_signature),
	    cmocka_unit_test(test_receipt_refuses_a_tampered_head),
	    cmocka_unit_test(test_receipt_refuses_another_key),
	    cmocka_unit_test(test_receipt_refuses_a_tampered_proof),
	    cmocka_unit_test(
		test_receipt_refuses_another_memo_or_a_non_memo_event),
	    cmocka_unit_test(test_receipt_refuses_malformed_fields),
	    cmocka_unit_test(
		test_channel_key_check_accepts_the_key_the_log_publishes),
	    cmocka_unit_test(test_channel_key_check_refuses_a_swapped_key),
	    cmocka_unit_test(
		test_channel_key_check_refuses_an_entry_not_in_the_head),
	    cmocka_unit_test(
		test_channel_key_check_refuses_an_event_of_another_type),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
