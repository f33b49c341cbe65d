/*
 * Known-answer vectors of the channel log (tests/vectors/event.json and
 * treehead.json, made by tests/vectors/gen_vectors_log.c): every encoding,
 * hash, root, statement, signature and proof is recomputed from its inputs,
 * and every invalid case is checked to be refused, so any altered value
 * fails.  The browser implementation is held to the same files.
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

#include "binenc.h"
#include "event.h"
#include "keys.h"
#include "merkle.h"
#include "merkle_mem.h"
#include "treehead.h"

#define HEX_MAX 4096
#define H MERKLE_HASH_BYTES
/* Most heads the file may hold. */
#define HEADS_MAX 64

static json_t *
load(const char *name)
{
	char path[4096];
	json_error_t err;
	json_t *root;

	assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", VECTORS_DIR,
			name) < sizeof(path));
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		fail_msg("%s:%d: %s", path, err.line, err.text);
	return (root);
}

static json_t *
member(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		fail_msg("vector field \"%s\" missing", key);
	return (v);
}

static const char *
str_of(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_string(v));
	return (json_string_value(v));
}

static json_int_t
int_of(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_integer(v));
	return (json_integer_value(v));
}

/* A non-empty array, so a file emptied of its cases fails. */
static json_t *
arr_of(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	assert_true(json_is_array(v));
	assert_true(json_array_size(v) > 0);
	return (v);
}

/* Decode the lowercase hex string ${hex}; return its length. */
static size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	char again[2 * HEX_MAX + 1];
	size_t len;

	assert_true(strlen(hex) <= 2 * cap);
	assert_int_equal(
	    sodium_hex2bin(out, cap, hex, strlen(hex), NULL, &len, NULL), 0);
	assert_int_equal(strlen(hex), 2 * len);
	sodium_bin2hex(again, sizeof(again), out, len);
	assert_string_equal(again, hex);
	return (len);
}

static size_t
hex_of(const json_t *o, const char *key, uint8_t *out, size_t cap)
{

	return (unhex(str_of(o, key), out, cap));
}

static void
hex_exact(const json_t *o, const char *key, uint8_t *out, size_t n)
{

	assert_int_equal(hex_of(o, key, out, n), n);
}

/* The field ${key} must be exactly the lowercase hex of ${bin}. */
static void
assert_hex_field(
    const json_t *o, const char *key, const uint8_t *bin, size_t len)
{
	char hex[2 * HEX_MAX + 1];

	assert_true(len <= HEX_MAX);
	sodium_bin2hex(hex, sizeof(hex), bin, len);
	assert_string_equal(str_of(o, key), hex);
}

/* Copy the string ${key} of ${o} into ${out} of ${cap} bytes. */
static void
copy_str(const json_t *o, const char *key, char *out, size_t cap)
{
	const char *s = str_of(o, key);

	assert_true(strlen(s) < cap);
	memcpy(out, s, strlen(s) + 1);
}

/* Build the event a case describes from its fields alone. */
static void
event_of_case(const json_t *c, struct event *ev)
{
	json_t *v;

	memset(ev, 0, sizeof(*ev));
	ev->version = (uint8_t)int_of(c, "version");
	ev->type = (uint16_t)int_of(c, "type_code");
	ev->time = (uint64_t)int_of(c, "time");
	if (json_object_get(c, "member_id") != NULL)
		copy_str(c, "member_id", ev->member_id, sizeof(ev->member_id));
	if (json_object_get(c, "org_id") != NULL)
		copy_str(c, "org_id", ev->org_id, sizeof(ev->org_id));
	if (json_object_get(c, "roles") != NULL)
		ev->roles = (uint32_t)int_of(c, "roles");
	if ((v = json_object_get(c, "eligible")) != NULL) {
		assert_true(json_is_boolean(v));
		ev->eligible = json_is_true(v) ? 1 : 0;
	}
	if (json_object_get(c, "epoch") != NULL)
		ev->epoch = (uint32_t)int_of(c, "epoch");
	if (json_object_get(c, "keys_hash_hex") != NULL)
		hex_exact(
		    c, "keys_hash_hex", ev->keys_hash, EVENT_KEYS_HASH_BYTES);
}

static void
test_vectors_event_encodings(void **state)
{
	json_t *root = load("event.json"), *c;
	uint8_t buf[EVENT_MAX_BYTES], want[EVENT_MAX_BYTES];
	struct event ev, back;
	size_t i, len, wantlen, types = 0;
	const char *name;

	(void)state;
	json_array_foreach(arr_of(root, "cases"), i, c)
	{
		event_of_case(c, &ev);
		name = event_type_name(ev.type);
		assert_non_null(name);
		assert_string_equal(str_of(c, "type"), name);
		assert_int_equal(event_encode(buf, sizeof(buf), &len, &ev), 0);
		assert_hex_field(c, "encoding_hex", buf, len);
		wantlen = hex_of(c, "encoding_hex", want, sizeof(want));
		assert_int_equal(event_decode(&back, want, wantlen), 0);
		assert_memory_equal(&back, &ev, sizeof(ev));
		types |= (size_t)1 << ev.type;
	}
	/* Every directory event type is covered. */
	for (i = EVENT_ORG_CREATED; i <= EVENT_ELIGIBILITY_CHANGED; i++)
		assert_true(types & ((size_t)1 << i));
	json_decref(root);
}

static void
test_vectors_event_keys_hash(void **state)
{
	json_t *root = load("event.json"), *c;
	uint8_t seed[KEYS_SEED_BYTES], h[EVENT_KEYS_HASH_BYTES];
	struct keys_secret ks;
	size_t i;

	(void)state;
	json_array_foreach(arr_of(root, "keys_hash"), i, c)
	{
		hex_exact(c, "seed_hex", seed, sizeof(seed));
		assert_int_equal(keys_derive(&ks, seed), 0);
		assert_hex_field(
		    c, "sign_pk_hex", ks.pub.sign_pk, KEYS_SIGN_PK_BYTES);
		assert_hex_field(
		    c, "box_pk_hex", ks.pub.box_pk, KEYS_BOX_PK_BYTES);
		assert_hex_field(
		    c, "ring_pk_hex", ks.pub.ring_pk, KEYS_RING_PK_BYTES);
		event_keys_hash(h, &ks.pub);
		assert_hex_field(c, "keys_hash_hex", h, sizeof(h));
		keys_wipe(&ks);
	}
	json_decref(root);
}

static void
test_vectors_event_invalid_are_refused(void **state)
{
	json_t *root = load("event.json"), *c, *from;
	uint8_t buf[EVENT_MAX_BYTES + 1], base[EVENT_MAX_BYTES];
	struct event ev;
	size_t i, len, baselen, at;

	(void)state;
	json_array_foreach(arr_of(root, "invalid"), i, c)
	{
		assert_true(strlen(str_of(c, "reason")) > 0);
		/* Rebuild it from the valid case and the documented edit. */
		from = json_array_get(
		    member(root, "cases"), (size_t)int_of(c, "from_case"));
		assert_non_null(from);
		baselen = hex_of(from, "encoding_hex", base, sizeof(base));
		len = (size_t)int_of(c, "length");
		assert_true(len <= EVENT_MAX_BYTES);
		memset(buf, 0, sizeof(buf));
		memcpy(buf, base, len < baselen ? len : baselen);
		if (json_object_get(c, "offset") != NULL) {
			at = (size_t)int_of(c, "offset");
			assert_true(at < len);
			buf[at] = (uint8_t)int_of(c, "value");
		}
		assert_hex_field(c, "encoding_hex", buf, len);
		assert_int_equal(event_decode(&ev, buf, len), -1);
	}
	json_decref(root);
}

struct log_file {
	json_t *root;
	uint8_t pk[TREEHEAD_PK_BYTES];
	uint8_t sk[TREEHEAD_SK_BYTES];
	struct merkle_mem *mem;
	struct merkle_source src;
	uint64_t nleaves;
	struct treehead heads[HEADS_MAX];
	size_t nheads;
};

/* Read the head ${c}, checking its statement encoding. */
static void
head_of_case(const json_t *c, struct treehead *th)
{
	uint8_t stmt[256];
	struct binenc e;
	size_t len;

	memset(th, 0, sizeof(*th));
	copy_str(c, "instance_id", th->instance_id, sizeof(th->instance_id));
	th->size = (uint64_t)int_of(c, "size");
	th->timestamp = (uint64_t)int_of(c, "timestamp");
	hex_exact(c, "root_hex", th->root, H);
	hex_exact(c, "sig_hex", th->sig, TREEHEAD_SIG_BYTES);
	binenc_init(&e, stmt, sizeof(stmt));
	binenc_str(&e, th->instance_id);
	binenc_u64(&e, th->size);
	binenc_u64(&e, th->timestamp);
	binenc_fixed(&e, th->root, H);
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_hex_field(c, "statement_hex", stmt, len);
}

/* The head of ${size} from the file. */
static const struct treehead *
head_of_size(const struct log_file *lf, uint64_t size)
{
	size_t i;

	for (i = 0; i < lf->nheads; i++)
		if (lf->heads[i].size == size)
			return (&lf->heads[i]);
	fail_msg("no head of size %llu", (unsigned long long)size);
	return (NULL);
}

/*
 * Load treehead.json: the server key from its seed, the leaves (each the
 * encoding of the event.json case at the same position, and strictly
 * decodable) into a tree, and the heads, each re-signed and compared.
 */
static int
log_setup(void **state)
{
	struct log_file *lf;
	json_t *events, *c, *leaf;
	uint8_t seed[crypto_sign_SEEDBYTES], buf[EVENT_MAX_BYTES];
	struct event ev;
	size_t i, len;

	if ((lf = calloc(1, sizeof(*lf))) == NULL)
		return (-1);
	lf->root = load("treehead.json");
	hex_exact(lf->root, "server_seed_hex", seed, sizeof(seed));
	assert_int_equal(crypto_sign_seed_keypair(lf->pk, lf->sk, seed), 0);
	assert_hex_field(lf->root, "server_pk_hex", lf->pk, sizeof(lf->pk));

	events = load("event.json");
	lf->nleaves = json_array_size(arr_of(lf->root, "leaves_hex"));
	assert_int_equal(lf->nleaves, json_array_size(arr_of(events, "cases")));
	assert_non_null(lf->mem = merkle_mem_new(lf->nleaves));
	json_array_foreach(arr_of(lf->root, "leaves_hex"), i, leaf)
	{
		assert_true(json_is_string(leaf));
		len = unhex(json_string_value(leaf), buf, sizeof(buf));
		assert_int_equal(event_decode(&ev, buf, len), 0);
		c = json_array_get(json_object_get(events, "cases"), i);
		assert_string_equal(
		    str_of(c, "encoding_hex"), json_string_value(leaf));
		assert_int_equal(merkle_mem_append(lf->mem, buf, len), 0);
	}
	json_decref(events);
	merkle_mem_source(lf->mem, &lf->src);

	json_array_foreach(arr_of(lf->root, "heads"), i, c)
	{
		assert_true(lf->nheads < HEADS_MAX);
		head_of_case(c, &lf->heads[lf->nheads]);
		assert_string_equal(lf->heads[lf->nheads].instance_id,
		    str_of(lf->root, "instance_id"));
		lf->nheads++;
	}
	*state = lf;
	return (0);
}

static int
log_teardown(void **state)
{
	struct log_file *lf = *state;

	merkle_mem_free(lf->mem);
	json_decref(lf->root);
	sodium_memzero(lf->sk, sizeof(lf->sk));
	free(lf);
	return (0);
}

static void
test_vectors_treehead_roots_and_signatures(void **state)
{
	struct log_file *lf = *state;
	struct treehead th;
	uint8_t root[H];
	size_t i;

	for (i = 0; i < lf->nheads; i++) {
		assert_true(lf->heads[i].size <= lf->nleaves);
		assert_int_equal(
		    merkle_root(&lf->src, lf->heads[i].size, root), 0);
		assert_memory_equal(root, lf->heads[i].root, H);
		/* Ed25519 is deterministic: signing again gives the sig. */
		th = lf->heads[i];
		memset(th.sig, 0, sizeof(th.sig));
		assert_int_equal(treehead_sign(&th, lf->sk), 0);
		assert_memory_equal(th.sig, lf->heads[i].sig, sizeof(th.sig));
		assert_int_equal(treehead_verify(&lf->heads[i], lf->pk), 0);
	}
}

static void
test_vectors_treehead_consistency(void **state)
{
	struct log_file *lf = *state;
	uint8_t want[MERKLE_MAX_PROOF * H], got[MERKLE_MAX_PROOF * H];
	json_t *c;
	uint64_t m, n;
	size_t i, len, nh;

	json_array_foreach(arr_of(lf->root, "consistency"), i, c)
	{
		m = (uint64_t)int_of(c, "first");
		n = (uint64_t)int_of(c, "second");
		len = hex_of(c, "proof_hex", want, sizeof(want));
		assert_int_equal(len % H, 0);
		assert_int_equal(merkle_consistency_proof(&lf->src, m, n, got,
				     MERKLE_MAX_PROOF, &nh),
		    0);
		assert_int_equal(nh * H, len);
		assert_memory_equal(got, want, len);
		assert_int_equal(treehead_check_consistency(head_of_size(lf, m),
				     head_of_size(lf, n), want, len / H),
		    0);
	}
}

static void
test_vectors_treehead_inclusion(void **state)
{
	struct log_file *lf = *state;
	uint8_t want[MERKLE_MAX_PROOF * H], got[MERKLE_MAX_PROOF * H];
	uint8_t leaf[EVENT_MAX_BYTES];
	json_t *c;
	uint64_t idx, n;
	size_t i, len, nh, leaflen;

	json_array_foreach(arr_of(lf->root, "inclusion"), i, c)
	{
		idx = (uint64_t)int_of(c, "index");
		n = (uint64_t)int_of(c, "size");
		len = hex_of(c, "proof_hex", want, sizeof(want));
		assert_int_equal(len % H, 0);
		assert_int_equal(merkle_inclusion_proof(&lf->src, idx, n, got,
				     MERKLE_MAX_PROOF, &nh),
		    0);
		assert_int_equal(nh * H, len);
		assert_memory_equal(got, want, len);
		leaflen =
		    unhex(json_string_value(json_array_get(
			      json_object_get(lf->root, "leaves_hex"), idx)),
			leaf, sizeof(leaf));
		assert_int_equal(treehead_check_inclusion(head_of_size(lf, n),
				     leaf, leaflen, idx, want, len / H),
		    0);
	}
}

/* Does ${sig} verify over the tagged ${stmt_hex} under ${pk}? */
static int
signs_statement(const uint8_t sig[TREEHEAD_SIG_BYTES], const char *stmt_hex,
    const uint8_t pk[TREEHEAD_PK_BYTES])
{
	static const char tag[] = "dissent/tree-head/v1";
	uint8_t m[1 + sizeof(tag) + 256];
	size_t len;

	m[0] = (uint8_t)(sizeof(tag) - 1);
	memcpy(m + 1, tag, sizeof(tag) - 1);
	len = unhex(stmt_hex, m + sizeof(tag), sizeof(m) - sizeof(tag));
	return (crypto_sign_verify_detached(sig, m, sizeof(tag) + len, pk));
}

static void
test_vectors_treehead_bad_heads_are_refused(void **state)
{
	struct log_file *lf = *state;
	struct treehead th, again;
	const char *expect;
	json_t *c;
	size_t i;

	json_array_foreach(arr_of(lf->root, "bad_heads"), i, c)
	{
		assert_true(strlen(str_of(c, "reason")) > 0);
		head_of_case(c, &th);
		expect = str_of(c, "expect");
		if (strcmp(expect, "fork") == 0) {
			/* Genuinely signed, yet not the log's tree. */
			again = th;
			assert_int_equal(treehead_sign(&again, lf->sk), 0);
			assert_memory_equal(again.sig, th.sig, sizeof(th.sig));
			assert_int_equal(treehead_verify(&th, lf->pk), 0);
			assert_int_equal(
			    treehead_check_consistency(
				head_of_size(lf, th.size), &th, NULL, 0),
			    -1);
		} else if (strcmp(expect, "bad_signature") == 0) {
			/* A real signature, but over another statement. */
			assert_int_equal(
			    signs_statement(th.sig,
				str_of(c, "signed_statement_hex"), lf->pk),
			    0);
			assert_string_not_equal(str_of(c, "statement_hex"),
			    str_of(c, "signed_statement_hex"));
			assert_int_equal(treehead_verify(&th, lf->pk), -1);
		} else
			fail_msg("unknown expectation %s", expect);
	}
}

int
main(void)
{
	const struct CMUnitTest event_tests[] = {
	    cmocka_unit_test(test_vectors_event_encodings),
	    cmocka_unit_test(test_vectors_event_keys_hash),
	    cmocka_unit_test(test_vectors_event_invalid_are_refused),
	};
	const struct CMUnitTest log_tests[] = {
	    cmocka_unit_test(test_vectors_treehead_roots_and_signatures),
	    cmocka_unit_test(test_vectors_treehead_consistency),
	    cmocka_unit_test(test_vectors_treehead_inclusion),
	    cmocka_unit_test(test_vectors_treehead_bad_heads_are_refused),
	};
	int rc;

	if (sodium_init() < 0)
		return (1);
	rc = cmocka_run_group_tests(event_tests, NULL, NULL);
	return (
	    rc | cmocka_run_group_tests(log_tests, log_setup, log_teardown));
}
