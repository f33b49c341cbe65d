/*
 * The memo routes end to end inside one process (src/server/routes_memos.c,
 * routes_invitations.c, routes_signatures.c and memoctx.c): a real
 * instance, real member keys, content really encrypted and signatures
 * really made with memo.h, and every refusal of docs/API.md ("Memos").
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
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "account.h"
#include "b64.h"
#include "config.h"
#include "custody.h"
#include "event.h"
#include "grant.h"
#include "http.h"
#include "instance.h"
#include "jsonin.h"
#include "keys.h"
#include "log.h"
#include "memo.h"
#include "memoctx.h"
#include "merkle.h"
#include "server.h"
#include "store.h"
#include "treehead.h"

/* Text that must never reach the server in the clear. */
#define MARKER "PLAINTEXT-MARKER-7f3a9c"

struct reply {
	unsigned int status;
	json_t *json;
};

struct member {
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	char handle[DIRECTORY_HANDLE_MAX + 1];
	uint8_t seed[KEYS_SEED_BYTES];
	struct keys_secret ks;
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	char token[ACCOUNT_TOKEN_LEN + 1];
};

/* What a drafter's client keeps of a memo. */
struct memo_w {
	char id[MEMO_ID_LEN + 1];
	uint8_t key[MEMO_KEY_BYTES];
	uint8_t roster_pk[MEMO_ROSTER_PK_BYTES];
	uint8_t roster_sk[MEMO_ROSTER_SK_BYTES];
	uint32_t version;
	uint8_t hash[MEMO_HASH_BYTES];
	uint8_t prev[MEMO_HASH_BYTES];
};

/*
 * One test's world: an instance with two organisations, the admin, a
 * drafter, two eligible signers (one of each organisation), an ineligible
 * member, an unrelated member and a coordinator.
 */
struct world {
	char dir[512];
	struct config cfg;
	struct server *sv;
	char admin_token[ACCOUNT_TOKEN_LEN + 1];
	char admin_id[DIRECTORY_MEMBER_ID_LEN + 1];
	struct member drafter, alice, bob, carol, mallory, coord;
};

static struct world w;

/* base64url of ${n} bytes (static rotating buffers). */
static const char *
b64(const uint8_t *p, size_t n)
{
	static char bufs[16][1024];
	static int next;
	char *out = bufs[next++ % 16];

	assert_int_equal(b64_encode(out, sizeof(bufs[0]), p, n), 0);
	return (out);
}

/* Decode the base64url string ${s} of exactly ${n} bytes. */
static void
unb64(uint8_t *out, size_t n, const char *s)
{

	assert_non_null(s);
	assert_int_equal(b64_decode_exact(out, n, s), 0);
}

/* Hand one request to the dispatcher; ${body} is stolen (may be NULL). */
static void
call(struct reply *r, const char *method, const char *path, const char *token,
    json_t *body)
{
	struct http_request req;
	const char *rb;
	char *text = NULL;
	size_t len;

	memset(r, 0, sizeof(*r));
	assert_int_equal(http_request_init(&req, method, path), 0);
	if (body != NULL) {
		len = json_dumpb(body, NULL, 0, JSON_COMPACT);
		assert_true(len > 0);
		assert_non_null(text = malloc(len));
		assert_int_equal(
		    json_dumpb(body, text, len, JSON_COMPACT), len);
		json_decref(body);
		assert_int_equal(http_request_set_body(&req, text, len), 0);
		free(text);
		req.content_type = HTTP_CT_JSON;
	}
	if (token != NULL) {
		req.auth_source = HTTP_AUTH_BEARER;
		snprintf(req.token, sizeof(req.token), "%s", token);
	}
	server_handle(w.sv, &req);
	r->status = req.status;
	if ((rb = http_reply_body(&req, &len)) != NULL)
		assert_non_null(r->json = json_loadb(rb, len, 0, NULL));
	http_request_clear(&req);
}

static void
reply_free(struct reply *r)
{

	json_decref(r->json);
	r->json = NULL;
}

/* Expect ${status} with the error ${code}, then free the reply. */
static void
expect_error(struct reply *r, unsigned int status, const char *code)
{
	json_t *c;

	if (r->status != status)
		fprintf(stderr, "expected %u %s, got %u\n", status, code,
		    r->status);
	assert_int_equal(r->status, status);
	c = json_object_get(json_object_get(r->json, "error"), "code");
	assert_non_null(c);
	assert_string_equal(json_string_value(c), code);
	reply_free(r);
}

/* Expect ${status}; keep the reply. */
static void
expect(struct reply *r, unsigned int status)
{

	if (r->status != status)
		fprintf(stderr, "expected %u, got %u: %s\n", status, r->status,
		    r->json != NULL ? json_dumps(r->json, 0) : "");
	assert_int_equal(r->status, status);
}

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_non_null(v);
	assert_true(json_is_string(v));
	return (json_string_value(v));
}

static json_int_t
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_non_null(v);
	assert_true(json_is_integer(v));
	return (json_integer_value(v));
}

/* "/api/v1/memos/ID" followed by ${rest}. */
static const char *
mpath(const struct memo_w *mw, const char *rest)
{
	static char bufs[4][256];
	static int next;
	char *out = bufs[next++ % 4];
	int n;

	n = snprintf(out, sizeof(bufs[0]), "/api/v1/memos/%s%s", mw->id, rest);
	assert_true(n > 0 && (size_t)n < sizeof(bufs[0]));
	return (out);
}

/* Enroll ${m} (whose id and handle are set) with ${code} and log it in. */
static void
enroll_login(struct member *m, const char *code)
{
	uint8_t salt[CUSTODY_SALT_BYTES], wrapped[CUSTODY_WRAPPED_BYTES];
	struct keys_pop pop;
	struct reply r;

	keys_seed_new(m->seed);
	assert_int_equal(keys_derive(&m->ks, m->seed), 0);
	assert_int_equal(keys_pop_make(&pop, &m->ks, m->id, 1), 0);
	randombytes_buf(m->auth_key, sizeof(m->auth_key));
	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(wrapped, sizeof(wrapped));
	call(&r, "POST", "/api/v1/enroll", NULL,
	    json_pack("{s:s,s:{s:s,s:s,s:s},s:{s:s,s:s},s:{s:s,s:I,s:I,s:s,"
		      "s:s},s:{s:s,s:s}}",
		"code", code, "keys", "sign_pk",
		b64(m->ks.pub.sign_pk, KEYS_SIGN_PK_BYTES), "box_pk",
		b64(m->ks.pub.box_pk, KEYS_BOX_PK_BYTES), "ring_pk",
		b64(m->ks.pub.ring_pk, KEYS_RING_PK_BYTES), "pop", "sig",
		b64(pop.sig, KEYS_SIG_BYTES), "ring_proof",
		b64(pop.ring_proof, KEYS_RING_PROOF_BYTES), "custody", "salt",
		b64(salt, sizeof(salt)), "opslimit", (json_int_t)3, "memlimit",
		(json_int_t)(64 << 20), "auth_key",
		b64(m->auth_key, CUSTODY_KEY_BYTES), "wrapped_seed",
		b64(wrapped, sizeof(wrapped)), "recovery", "auth_key",
		b64(m->auth_key, CUSTODY_KEY_BYTES), "wrapped_seed",
		b64(wrapped, sizeof(wrapped))));
	expect(&r, 201);
	reply_free(&r);

	call(&r, "POST", "/api/v1/auth/login", NULL,
	    json_pack("{s:s,s:s}", "handle", m->handle, "auth_key",
		b64(m->auth_key, CUSTODY_KEY_BYTES)));
	expect(&r, 200);
	snprintf(m->token, sizeof(m->token), "%s", str(r.json, "token"));
	reply_free(&r);
}

/* As the admin, create a member of ${org}; enroll it and log it in. */
static void
new_member(struct member *m, const char *handle, const char *org,
    const char *roles_json, int eligible)
{
	char code[ACCOUNT_CODE_LEN + 1];
	struct reply r;

	memset(m, 0, sizeof(*m));
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:o,s:b}", "handle", handle, "display_name",
		"Some Body", "org", org, "roles",
		json_loads(roles_json, 0, NULL), "eligible", eligible));
	expect(&r, 201);
	snprintf(code, sizeof(code), "%s", str(r.json, "enrollment_code"));
	snprintf(m->id, sizeof(m->id), "%s",
	    str(json_object_get(r.json, "member"), "id"));
	snprintf(m->handle, sizeof(m->handle), "%s", handle);
	reply_free(&r);
	enroll_login(m, code);
}

static int
setup(void **state)
{
	struct instance_init_args a;
	const char *tmp = getenv("TMPDIR");
	char code[ACCOUNT_CODE_LEN + 1], err[256];
	struct member admin;
	struct reply r;
	int64_t exp;
	size_t len;

	(void)state;
	memset(&w, 0, sizeof(w));
	snprintf(w.dir, sizeof(w.dir), "%s/test_srv_memos.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(w.dir) == NULL)
		return (-1);
	len = strlen(w.dir);
	snprintf(w.dir + len, sizeof(w.dir) - len, "/data");
	memset(&a, 0, sizeof(a));
	a.data_dir = w.dir;
	a.channel_org = "state";
	a.channel_org_name = "Department of State";
	a.admin_handle = "admin";
	a.admin_name = "The Admin";
	a.enrollment_ttl = 604800;
	if (instance_init(
		&a, (int64_t)time(NULL), code, &exp, err, sizeof(err)) != 0) {
		fprintf(stderr, "init: %s\n", err);
		return (-1);
	}
	config_defaults(&w.cfg);
	snprintf(w.cfg.data_dir, sizeof(w.cfg.data_dir), "%s", w.dir);
	w.cfg.rate_limit_per_minute = 0;
	w.cfg.log_level = LOG_ERROR;
	w.cfg.log_head_interval_ms = 10;
	log_set_level(w.cfg.log_level);
	if (server_new(&w.sv, &w.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "server: %s\n", err);
		return (-1);
	}

	/* The admin first: the other members need its session. */
	memset(&admin, 0, sizeof(admin));
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	if (r.status != 200)
		return (-1);
	snprintf(admin.id, sizeof(admin.id), "%s",
	    json_string_value(
		json_object_get(json_object_get(r.json, "member"), "id")));
	reply_free(&r);
	snprintf(admin.handle, sizeof(admin.handle), "admin");
	enroll_login(&admin, code);
	memcpy(w.admin_token, admin.token, sizeof(w.admin_token));
	memcpy(w.admin_id, admin.id, sizeof(w.admin_id));

	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "usaid", "name", "USAID"));
	if (r.status != 201)
		return (-1);
	reply_free(&r);

	new_member(&w.drafter, "drafter", "state", "[\"member\"]", 1);
	new_member(&w.alice, "alice", "state", "[\"member\"]", 1);
	new_member(&w.bob, "bob", "usaid", "[\"member\"]", 1);
	new_member(&w.carol, "carol", "state", "[\"member\"]", 0);
	new_member(&w.mallory, "mallory", "state", "[\"member\"]", 1);
	new_member(
	    &w.coord, "coord", "state", "[\"member\",\"coordinator\"]", 1);
	return (0);
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	server_free(w.sv);
	w.sv = NULL;
	*strrchr(w.dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w.dir);
	return (system(cmd) == 0 ? 0 : -1);
}

/* Some valid X25519 public key (of nobody in particular). */
static void
any_pk(uint8_t pk[crypto_box_PUBLICKEYBYTES])
{
	uint8_t sk[crypto_box_SECRETKEYBYTES];

	crypto_box_keypair(pk, sk);
	sodium_memzero(sk, sizeof(sk));
}

/* A sealed grant of ${key} for ${purpose} on ${mw} to ${box_pk}, as text. */
static const char *
sealed(const uint8_t key[32], const char *purpose, const char *context,
    const uint8_t box_pk[KEYS_BOX_PK_BYTES])
{
	uint8_t out[GRANT_SEALED_MAX];
	size_t len;

	assert_int_equal(
	    grant_seal(out, &len, key, purpose, context, box_pk), 0);
	return (b64(out, len));
}

/*
 * Make version ${version} of ${mw} (its content carrying ${title} and the
 * marker), encrypted under the memo key; update the hashes in ${mw} and
 * return the box's base64url (free()).
 */
static char *
make_version(struct memo_w *mw, uint32_t version, const char *title)
{
	struct memo_content c;
	uint8_t *enc, *box;
	size_t enclen, boxlen, cap;
	char *text;

	memset(&c, 0, sizeof(c));
	c.title = (char *)title;
	c.summary = (char *)"";
	c.body = (char *)"The body says " MARKER " and more.";
	c.alternatives = (char *)"";
	snprintf(c.topic, sizeof(c.topic), "policy");
	snprintf(c.marking, sizeof(c.marking), "SBU");
	assert_int_equal(memo_content_encode(&c, &enc, &enclen), 0);
	if (version == 1)
		memset(mw->prev, 0, sizeof(mw->prev));
	else
		memcpy(mw->prev, mw->hash, sizeof(mw->prev));
	assert_int_equal(memo_version_hash(mw->hash, mw->id, version, mw->prev,
			     mw->roster_pk, enc, enclen),
	    0);
	assert_int_equal(memo_content_seal(&box, &boxlen, enc, enclen, mw->id,
			     version, mw->key),
	    0);
	mw->version = version;
	cap = B64_ENCODED_LEN(boxlen);
	assert_non_null(text = malloc(cap));
	assert_int_equal(b64_encode(text, cap, box, boxlen), 0);
	free(enc);
	free(box);
	return (text);
}

/* The body of POST /memos for ${mw} by ${m}, with version 1 made here. */
static json_t *
create_body(struct memo_w *mw, const struct member *m, const char *topic,
    const char *marking, json_t *orgs)
{
	char *box;
	json_t *b;

	memset(mw, 0, sizeof(*mw));
	memo_id_new(mw->id);
	randombytes_buf(mw->key, sizeof(mw->key));
	memo_roster_keypair(mw->roster_pk, mw->roster_sk);
	box = make_version(mw, 1, "A title");
	b = json_pack("{s:s,s:s,s:s,s:o,s:s,s:b,s:{s:s,s:s},s:{s:s,s:s}}", "id",
	    mw->id, "topic", topic, "marking", marking, "eligible_orgs", orgs,
	    "roster_pk", b64(mw->roster_pk, sizeof(mw->roster_pk)),
	    "signers_may_invite", 0, "version", "hash",
	    b64(mw->hash, sizeof(mw->hash)), "box", box, "grants", "key",
	    sealed(mw->key, MEMO_GRANT_KEY, mw->id, m->ks.pub.box_pk), "roster",
	    sealed(mw->roster_sk, MEMO_GRANT_ROSTER, mw->id, m->ks.pub.box_pk));
	free(box);
	return (b);
}

/* The drafter creates memo ${mw} open to State and USAID; expect 201. */
static void
create_memo(struct memo_w *mw)
{
	struct reply r;

	call(&r, "POST", "/api/v1/memos", w.drafter.token,
	    create_body(mw, &w.drafter, "policy", "SBU",
		json_pack("[s,s]", "state", "usaid")));
	expect(&r, 201);
	reply_free(&r);
}

/* The drafter adds the next version of ${mw}; return the status. */
static unsigned int
add_version(struct memo_w *mw, const struct member *m, struct reply *out)
{
	struct reply r;
	unsigned int status;
	char *box;

	box = make_version(mw, mw->version + 1, "A better title");
	call(&r, "POST", mpath(mw, "/versions"), m->token,
	    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "version",
		(json_int_t)mw->version, "prev_hash",
		b64(mw->prev, sizeof(mw->prev)), "hash",
		b64(mw->hash, sizeof(mw->hash)), "box", box, "topic", "policy",
		"marking", "SBU"));
	free(box);
	status = r.status;
	if (out != NULL)
		*out = r;
	else
		reply_free(&r);
	return (status);
}

/* Invite ${m} to ${mw} as ${as} (by the drafter); return the status. */
static unsigned int
invite(const struct memo_w *mw, const struct member *by, const struct member *m,
    const char *as, struct reply *out)
{
	struct reply r;
	unsigned int status;
	json_t *g;

	g = json_pack("{s:s}", "key",
	    sealed(mw->key, MEMO_GRANT_KEY, mw->id, m->ks.pub.box_pk));
	if (strcmp(as, "codrafter") == 0)
		json_object_set_new(g, "roster",
		    json_string(sealed(mw->roster_sk, MEMO_GRANT_ROSTER, mw->id,
			m->ks.pub.box_pk)));
	call(&r, "POST", mpath(mw, "/invitations"), by->token,
	    json_pack("{s:s,s:s,s:o}", "member", m->id, "as", as, "grants", g));
	status = r.status;
	if (out != NULL)
		*out = r;
	else
		reply_free(&r);
	return (status);
}

/* Open ${mw} for signatures. */
static void
open_memo(const struct memo_w *mw)
{
	struct reply r;

	call(&r, "POST", mpath(mw, "/open"), w.drafter.token, json_object());
	expect(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "open");
	reply_free(&r);
}

/*
 * The body of ${m}'s signature over ${mw}'s current version at ${t} (the
 * signature made over ${signed_hash}, normally the current hash).
 */
static json_t *
sign_body(const struct memo_w *mw, const struct member *m, int64_t t,
    const uint8_t signed_hash[MEMO_HASH_BYTES])
{
	uint8_t record[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s;

	memset(&s, 0, sizeof(s));
	snprintf(s.memo_id, sizeof(s.memo_id), "%s", mw->id);
	s.version = mw->version;
	memcpy(s.version_hash, signed_hash, sizeof(s.version_hash));
	snprintf(s.signer_id, sizeof(s.signer_id), "%s", m->id);
	s.key_epoch = 1;
	s.time = (uint64_t)t;
	assert_int_equal(memo_signature_sign(&s, &m->ks), 0);
	assert_int_equal(memo_record_seal(record, &s, mw->roster_pk), 0);
	return (json_pack("{s:I,s:s,s:I,s:s,s:s}", "version",
	    (json_int_t)mw->version, "version_hash",
	    b64(mw->hash, sizeof(mw->hash)), "time", (json_int_t)t, "sig",
	    b64(s.sig, sizeof(s.sig)), "record", b64(record, sizeof(record))));
}

/* ${m} signs ${mw}'s current version now; return the status. */
static unsigned int
sign(const struct memo_w *mw, const struct member *m, struct reply *out)
{
	struct reply r;
	unsigned int status;

	call(&r, "POST", mpath(mw, "/signatures"), m->token,
	    sign_body(mw, m, (int64_t)time(NULL), mw->hash));
	status = r.status;
	if (out != NULL)
		*out = r;
	else
		reply_free(&r);
	return (status);
}

/* ${m}'s view of memo ${mw} (the reply's "memo"; free with the reply). */
static json_t *
get_memo(const struct memo_w *mw, const struct member *m, struct reply *r)
{

	call(r, "GET", mpath(mw, ""), m->token, NULL);
	expect(r, 200);
	return (json_object_get(r->json, "memo"));
}

/* Expect ${mw}'s counts as ${m} sees them. */
static void
expect_counts(const struct memo_w *mw, const struct member *m, json_int_t named,
    json_int_t stale)
{
	struct reply r;
	json_t *c;

	c = json_object_get(get_memo(mw, m, &r), "counts");
	assert_int_equal(num(c, "named"), named);
	assert_int_equal(num(c, "named_stale"), stale);
	reply_free(&r);
}

/* A coordinator creates the channel key; its secret key into ${sk}. */
static void
create_channel_key(uint8_t pk[crypto_box_PUBLICKEYBYTES],
    uint8_t sk[crypto_box_SECRETKEYBYTES])
{
	struct reply r;

	crypto_box_keypair(pk, sk);
	call(&r, "POST", "/api/v1/channel/key", w.coord.token,
	    json_pack("{s:s,s:s}", "pk", b64(pk, crypto_box_PUBLICKEYBYTES),
		"grant",
		sealed(sk, "channel-key", "instance", w.coord.ks.pub.box_pk)));
	expect(&r, 201);
	reply_free(&r);
}

/* The body of POST submit for ${mw} to the channel key ${pk}. */
static json_t *
submit_body(const struct memo_w *mw, const uint8_t *pk)
{

	return (json_pack("{s:s,s:{s:s,s:s}}", "version_hash",
	    b64(mw->hash, sizeof(mw->hash)), "grants", "key",
	    sealed(mw->key, MEMO_GRANT_KEY, mw->id, pk), "roster",
	    sealed(mw->roster_sk, MEMO_GRANT_ROSTER, mw->id, pk)));
}

/*
 * Check the receipt ${rc} offline: the event is a leaf of the signed head
 * under the server's key (as pinned from /instance); decode it into ${ev}.
 */
static void
verify_receipt(json_t *rc, const char *memo_id, struct event *ev)
{
	uint8_t leaf[EVENT_MAX_BYTES], pk[TREEHEAD_PK_BYTES];
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct treehead th;
	struct reply r;
	json_t *head, *p;
	size_t len, i;

	assert_non_null(rc);
	assert_string_equal(str(rc, "memo"), memo_id);
	assert_int_equal(
	    b64_decode(leaf, sizeof(leaf), &len, str(rc, "event")), 0);
	head = json_object_get(rc, "head");
	memset(&th, 0, sizeof(th));
	snprintf(th.instance_id, sizeof(th.instance_id), "%s",
	    str(head, "instance_id"));
	th.size = (uint64_t)num(head, "size");
	th.timestamp = (uint64_t)num(head, "timestamp");
	unb64(th.root, sizeof(th.root), str(head, "root"));
	unb64(th.sig, sizeof(th.sig), str(head, "signature"));
	p = json_object_get(rc, "proof");
	assert_true(json_array_size(p) <= MERKLE_MAX_PROOF);
	for (i = 0; i < json_array_size(p); i++)
		unb64(proof + i * MERKLE_HASH_BYTES, MERKLE_HASH_BYTES,
		    json_string_value(json_array_get(p, i)));

	/* The key is the one the instance publishes, not the receipt's. */
	call(&r, "GET", "/api/v1/instance", NULL, NULL);
	expect(&r, 200);
	assert_string_equal(
	    str(rc, "server_sign_pk"), str(r.json, "server_sign_pk"));
	unb64(pk, sizeof(pk), str(r.json, "server_sign_pk"));
	reply_free(&r);

	assert_int_equal(treehead_verify(&th, pk), 0);
	assert_int_equal(
	    treehead_check_inclusion(&th, leaf, len, (uint64_t)num(rc, "index"),
		proof, json_array_size(p)),
	    0);
	assert_int_equal(event_decode(ev, leaf, len), 0);
	assert_string_equal(ev->memo_id, memo_id);

	/* A forged event does not verify. */
	leaf[len - 1] ^= 1;
	assert_int_not_equal(
	    treehead_check_inclusion(&th, leaf, len, (uint64_t)num(rc, "index"),
		proof, json_array_size(p)),
	    0);
}

static void
test_create_makes_a_draft_with_the_creator_as_drafter(void **state)
{
	struct memo_w mw;
	struct reply r;
	json_t *m, *rel, *b;

	(void)state;
	create_memo(&mw);
	m = get_memo(&mw, &w.drafter, &r);
	assert_string_equal(str(m, "id"), mw.id);
	assert_string_equal(str(m, "state"), "draft");
	assert_string_equal(str(m, "topic"), "policy");
	assert_string_equal(str(m, "marking"), "SBU");
	assert_string_equal(str(m, "org"), "state");
	assert_int_equal(
	    json_array_size(json_object_get(m, "eligible_orgs")), 2);
	assert_int_equal(num(m, "version"), 1);
	assert_string_equal(
	    str(m, "version_hash"), b64(mw.hash, sizeof(mw.hash)));
	assert_string_equal(
	    str(m, "roster_pk"), b64(mw.roster_pk, sizeof(mw.roster_pk)));
	assert_int_equal(num(m, "submitted_at"), 0);
	rel = json_object_get(m, "relations");
	assert_int_equal(json_array_size(rel), 1);
	assert_string_equal(
	    json_string_value(json_array_get(rel, 0)), "drafter");
	assert_string_equal(str(m, "signed"), "none");
	assert_true(json_is_null(json_object_get(m, "assignee")));
	reply_free(&r);

	/* The list shows it; an unrelated member's list does not. */
	call(&r, "GET", "/api/v1/memos", w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "memos")), 1);
	reply_free(&r);
	call(&r, "GET", "/api/v1/memos", w.mallory.token, NULL);
	expect(&r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "memos")), 0);
	reply_free(&r);

	/* The same id twice is a conflict, and changes nothing. */
	b = create_body(
	    &mw, &w.drafter, "policy", "SBU", json_pack("[s]", "state"));
	call(&r, "POST", "/api/v1/memos", w.drafter.token, json_deep_copy(b));
	expect(&r, 201);
	reply_free(&r);
	call(&r, "POST", "/api/v1/memos", w.drafter.token, b);
	expect_error(&r, 409, "conflict");
	call(&r, "GET", "/api/v1/memos", w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "memos")), 2);
	reply_free(&r);
}

/* Every memo route, as method and path suffix (with a body maker). */
static void
expect_on_every_route(const struct memo_w *mw, const char *token,
    unsigned int status, const char *code)
{
	static const struct {
		const char *method, *rest;
		int body;
	} routes[] = {
	    {"GET", "", 0},
	    {"GET", "/versions", 0},
	    {"POST", "/versions", 1},
	    {"GET", "/versions/1", 0},
	    {"GET", "/grants", 0},
	    {"POST", "/open", 2},
	    {"PUT", "/settings", 3},
	    {"POST", "/invitations", 4},
	    {"GET", "/signatures", 0},
	    {"POST", "/signatures", 5},
	    {"DELETE", "/signatures/mine", 0},
	    {"POST", "/submit", 6},
	    {"GET", "/receipt", 0},
	    {"POST", "/withdraw", 2},
	    {"GET", "/accesses", 0},
	    {"GET", "/roster-grants", 0},
	    {"POST", "/roster-grants", 7},
	};
	uint8_t pk[32];
	struct reply r;
	json_t *b;
	size_t i;

	any_pk(pk);
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		switch (routes[i].body) {
		case 1:
			b = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "version",
			    (json_int_t)2, "prev_hash", b64(mw->hash, 32),
			    "hash", b64(mw->hash, 32), "box",
			    b64(pk, 32) /* too short, never read */, "topic",
			    "policy", "marking", "SBU");
			break;
		case 2:
			b = json_object();
			break;
		case 3:
			b = json_pack("{s:b,s:b}", "show_signers", 1,
			    "signers_may_invite", 1);
			break;
		case 4:
			b = json_pack("{s:s,s:s,s:{s:s}}", "member",
			    w.mallory.id, "as", "signer", "grants", "key",
			    sealed(mw->key, MEMO_GRANT_KEY, mw->id,
				w.mallory.ks.pub.box_pk));
			break;
		case 5:
			b = sign_body(
			    mw, &w.mallory, (int64_t)time(NULL), mw->hash);
			break;
		case 6:
			b = submit_body(mw, pk);
			break;
		case 7:
			b = json_pack("{s:[{s:s,s:s}]}", "grants", "member",
			    w.mallory.id, "sealed",
			    sealed(mw->roster_sk, MEMO_GRANT_ROSTER, mw->id,
				w.mallory.ks.pub.box_pk));
			break;
		default:
			b = NULL;
		}
		call(&r, routes[i].method, mpath(mw, routes[i].rest), token, b);
		if (r.status != status)
			fprintf(stderr, "%s %s\n", routes[i].method,
			    routes[i].rest);
		expect_error(&r, status, code);
	}
}

static void
test_unrelated_member_gets_404_on_every_memo_route(void **state)
{
	struct memo_w mw, none;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	expect_on_every_route(&mw, w.mallory.token, 404, "not_found");
	/* Exactly as for a memo that does not exist. */
	memset(&none, 0, sizeof(none));
	memo_id_new(none.id);
	memo_roster_keypair(none.roster_pk, none.roster_sk);
	none.version = 1;
	expect_on_every_route(&none, w.mallory.token, 404, "not_found");
	/* A coordinator is unrelated until submission. */
	expect_on_every_route(&mw, w.coord.token, 404, "not_found");
	/* And nothing changed. */
	expect_counts(&mw, &w.drafter, 1, 0);
	call(&r, "GET", mpath(&mw, "/accesses"), w.drafter.token, NULL);
	expect(&r, 200);
	/* Two grants at creation, one at the invitation; no access. */
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "accesses")), 3);
	reply_free(&r);
}

static void
test_admin_is_refused_every_memo_route(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	expect_on_every_route(&mw, w.admin_token, 403, "forbidden");
	call(&r, "GET", "/api/v1/memos", w.admin_token, NULL);
	expect_error(&r, 403, "forbidden");
	call(&r, "GET", "/api/v1/invitations", w.admin_token, NULL);
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", "/api/v1/memos", w.admin_token,
	    create_body(
		&mw, &w.drafter, "policy", "SBU", json_pack("[s]", "state")));
	expect_error(&r, 403, "forbidden");
}

static void
test_signer_cannot_act_as_a_drafter(void **state)
{
	uint8_t pk[32];
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.alice, "signer", NULL), 201);
	assert_int_equal(add_version(&mw, &w.alice, &r), 403);
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", mpath(&mw, "/open"), w.alice.token, json_object());
	expect_error(&r, 403, "forbidden");
	call(&r, "PUT", mpath(&mw, "/settings"), w.alice.token,
	    json_pack("{s:b,s:b}", "show_signers", 1, "signers_may_invite", 1));
	expect_error(&r, 403, "forbidden");
	any_pk(pk);
	call(&r, "POST", mpath(&mw, "/submit"), w.alice.token,
	    submit_body(&mw, pk));
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", mpath(&mw, "/withdraw"), w.alice.token, json_object());
	expect_error(&r, 403, "forbidden");
	call(&r, "GET", mpath(&mw, "/accesses"), w.alice.token, NULL);
	expect_error(&r, 403, "forbidden");
	/* Signers may not invite unless the drafters allow it. */
	assert_int_equal(invite(&mw, &w.alice, &w.bob, "signer", &r), 403);
	expect_error(&r, 403, "forbidden");
	/* The memo is still version 1 in draft. */
	call(&r, "GET", mpath(&mw, ""), w.alice.token, NULL);
	expect(&r, 200);
	assert_int_equal(num(json_object_get(r.json, "memo"), "version"), 1);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "draft");
	reply_free(&r);
}

static void
test_signers_see_counts_but_not_records_unless_shown(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	call(&r, "GET", mpath(&mw, "/signatures"), w.bob.token, NULL);
	expect(&r, 200);
	assert_true(json_is_null(json_object_get(r.json, "records")));
	assert_int_equal(num(json_object_get(r.json, "counts"), "named"), 1);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/signatures"), w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "records")), 1);
	reply_free(&r);
	/* Where names are shown (from before anyone signed), signers see the
	 * records too. */
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	call(&r, "PUT", mpath(&mw, "/settings"), w.drafter.token,
	    json_pack("{s:b,s:b}", "show_signers", 1, "signers_may_invite", 0));
	expect(&r, 200);
	assert_true(json_is_true(
	    json_object_get(json_object_get(r.json, "memo"), "show_signers")));
	reply_free(&r);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	call(&r, "GET", mpath(&mw, "/signatures"), w.bob.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "records")), 1);
	reply_free(&r);
}

static void
test_new_version_makes_signatures_stale_until_resigned(void **state)
{
	struct memo_w mw;
	struct reply r;
	json_t *m;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, &r), 201);
	assert_int_equal(num(json_object_get(r.json, "counts"), "named"), 1);
	reply_free(&r);
	assert_int_equal(sign(&mw, &w.bob, NULL), 201);
	expect_counts(&mw, &w.drafter, 2, 0);
	m = get_memo(&mw, &w.alice, &r);
	assert_string_equal(str(m, "signed"), "current");
	reply_free(&r);

	/* An edit: both signatures are stale, the memo stays open. */
	assert_int_equal(add_version(&mw, &w.drafter, &r), 201);
	m = json_object_get(r.json, "memo");
	assert_int_equal(num(m, "version"), 2);
	assert_string_equal(str(m, "state"), "open");
	assert_string_equal(
	    str(m, "version_hash"), b64(mw.hash, sizeof(mw.hash)));
	reply_free(&r);
	expect_counts(&mw, &w.drafter, 0, 2);
	m = get_memo(&mw, &w.alice, &r);
	assert_string_equal(str(m, "signed"), "stale");
	reply_free(&r);

	/* Alice signs again: the stale one is replaced. */
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	expect_counts(&mw, &w.drafter, 1, 1);
	call(&r, "GET", mpath(&mw, "/versions"), w.alice.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "versions")), 2);
	/* Who wrote it would name a drafter: only drafters see it. */
	assert_null(json_object_get(
	    json_array_get(json_object_get(r.json, "versions"), 1), "author"));
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/versions"), w.drafter.token, NULL);
	expect(&r, 200);
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "versions"), 1),
		"author"),
	    w.drafter.id);
	reply_free(&r);
}

static void
test_version_with_wrong_number_or_prev_hash_is_stale(void **state)
{
	struct memo_w mw, copy;
	struct reply r;
	char *box;

	(void)state;
	create_memo(&mw);
	copy = mw;
	box = make_version(&copy, 3, "Skipping a version");
	call(&r, "POST", mpath(&mw, "/versions"), w.drafter.token,
	    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "version", (json_int_t)3,
		"prev_hash", b64(copy.prev, 32), "hash", b64(copy.hash, 32),
		"box", box, "topic", "policy", "marking", "SBU"));
	free(box);
	expect_error(&r, 409, "stale_version");

	copy = mw;
	box = make_version(&copy, 2, "Wrong parent");
	copy.prev[0] ^= 1;
	call(&r, "POST", mpath(&mw, "/versions"), w.drafter.token,
	    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "version", (json_int_t)2,
		"prev_hash", b64(copy.prev, 32), "hash", b64(copy.hash, 32),
		"box", box, "topic", "policy", "marking", "SBU"));
	free(box);
	expect_error(&r, 409, "stale_version");

	/* Two clients editing version 1: the second loses. */
	copy = mw;
	assert_int_equal(add_version(&mw, &w.drafter, NULL), 201);
	assert_int_equal(add_version(&copy, &w.drafter, &r), 409);
	expect_error(&r, 409, "stale_version");
	call(&r, "GET", mpath(&mw, "/versions"), w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "versions")), 2);
	reply_free(&r);
}

static void
test_codrafter_edits_and_versions_are_content_addressed(void **state)
{
	uint8_t key[GRANT_KEY_BYTES], *content;
	struct memo_w mw;
	struct reply r;
	size_t boxlen, clen;
	uint8_t *box;
	uint8_t hash[MEMO_HASH_BYTES], zero[MEMO_HASH_BYTES];
	const char *text;

	(void)state;
	create_memo(&mw);
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.alice, "codrafter", NULL), 201);
	assert_int_equal(add_version(&mw, &w.alice, NULL), 201);
	call(&r, "GET", mpath(&mw, ""), w.drafter.token, NULL);
	expect(&r, 200);
	reply_free(&r);

	/* Alice opens her grant and reads version 1 like any client. */
	call(&r, "GET", mpath(&mw, "/grants"), w.alice.token, NULL);
	expect(&r, 200);
	{
		uint8_t g[GRANT_SEALED_MAX];
		size_t glen;

		assert_int_equal(
		    b64_decode(g, sizeof(g), &glen, str(r.json, "key")), 0);
		assert_int_equal(grant_open(key, g, glen, MEMO_GRANT_KEY, mw.id,
				     &w.alice.ks),
		    0);
		assert_false(json_is_null(json_object_get(r.json, "roster")));
		assert_true(json_is_null(json_object_get(r.json, "channel")));
	}
	reply_free(&r);
	assert_memory_equal(key, mw.key, sizeof(key));
	call(&r, "GET", mpath(&mw, "/versions/1"), w.alice.token, NULL);
	expect(&r, 200);
	text = str(r.json, "box");
	assert_non_null(box = malloc(strlen(text)));
	assert_int_equal(b64_decode(box, strlen(text), &boxlen, text), 0);
	assert_int_equal(
	    memo_content_open(&content, &clen, box, boxlen, mw.id, 1, key), 0);
	memset(zero, 0, sizeof(zero));
	assert_string_equal(str(r.json, "prev_hash"), b64(zero, 32));
	assert_int_equal(memo_version_hash(
			     hash, mw.id, 1, zero, mw.roster_pk, content, clen),
	    0);
	unb64(zero, 32, str(r.json, "hash"));
	assert_memory_equal(hash, zero, 32);
	free(content);
	free(box);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/versions/2"), w.alice.token, NULL);
	expect(&r, 200);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/versions/3"), w.alice.token, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "GET", mpath(&mw, "/versions/01"), w.alice.token, NULL);
	expect_error(&r, 404, "not_found");
}

/* Wait (at most 10 s) until a signed tree head covers ${size} entries. */
static void
wait_for_head(uint64_t size)
{
	struct reply r;
	int i;

	for (i = 0; i < 200; i++) {
		call(&r, "GET", "/api/v1/log/head", w.drafter.token, NULL);
		expect(&r, 200);
		if ((uint64_t)num(r.json, "size") >= size) {
			reply_free(&r);
			return;
		}
		reply_free(&r);
		usleep(50000);
	}
	fail_msg("no signed tree head covers %llu entries",
	    (unsigned long long)size);
}

static void
test_content_and_key_fetches_are_logged_before_the_reply(void **state)
{
	struct memo_w mw;
	struct reply r;
	json_t *as, *a;
	size_t i, content = 0, key = 0;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	call(&r, "GET", mpath(&mw, "/grants"), w.alice.token, NULL);
	expect(&r, 200);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/versions/1"), w.alice.token, NULL);
	expect(&r, 200);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/accesses"), w.drafter.token, NULL);
	expect(&r, 200);
	as = json_object_get(r.json, "accesses");
	for (i = 0; i < json_array_size(as); i++) {
		a = json_array_get(as, i);
		if (strcmp(str(a, "kind"), "content") == 0) {
			content++;
			assert_string_equal(str(a, "member"), w.alice.id);
		}
		if (strcmp(str(a, "kind"), "key") == 0)
			key++;
	}
	assert_int_equal(content, 1);
	assert_int_equal(key, 1);

	/* The log holds the commitment the nonce opens. */
	for (i = 0; i < json_array_size(as); i++) {
		uint8_t nonce[EVENT_NONCE_BYTES], commit[EVENT_COMMIT_BYTES];
		uint8_t leaf[EVENT_MAX_BYTES];
		struct reply e;
		struct event ev;
		char path[128];
		size_t len;

		a = json_array_get(as, i);
		if (strcmp(str(a, "kind"), "content") != 0)
			continue;
		unb64(nonce, sizeof(nonce), str(a, "nonce"));
		wait_for_head((uint64_t)num(a, "log_index") + 1);
		snprintf(path, sizeof(path),
		    "/api/v1/log/entries?start=%lld&count=1",
		    (long long)num(a, "log_index"));
		call(&e, "GET", path, w.drafter.token, NULL);
		expect(&e, 200);
		assert_int_equal(
		    b64_decode(leaf, sizeof(leaf), &len,
			str(json_array_get(
				json_object_get(e.json, "entries"), 0),
			    "event")),
		    0);
		assert_int_equal(event_decode(&ev, leaf, len), 0);
		assert_int_equal(ev.type, EVENT_CONTENT_ACCESSED);
		assert_int_equal(ev.kind, EVENT_ACCESS_CONTENT);
		assert_string_equal(ev.memo_id, mw.id);
		event_access_commit(commit, nonce, w.alice.id);
		assert_memory_equal(commit, ev.commit, sizeof(commit));
		reply_free(&e);
	}
	reply_free(&r);
}

static void
test_open_twice_and_settings_after_submission_are_invalid_state(void **state)
{
	uint8_t pk[32], sk[32];
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	open_memo(&mw);
	call(&r, "POST", mpath(&mw, "/open"), w.drafter.token, json_object());
	expect_error(&r, 409, "invalid_state");
	create_channel_key(pk, sk);
	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    submit_body(&mw, pk));
	expect(&r, 200);
	reply_free(&r);
	call(&r, "PUT", mpath(&mw, "/settings"), w.drafter.token,
	    json_pack("{s:b,s:b}", "show_signers", 1, "signers_may_invite", 1));
	expect_error(&r, 409, "invalid_state");
	assert_int_equal(add_version(&mw, &w.drafter, &r), 409);
	expect_error(&r, 409, "invalid_state");
	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    submit_body(&mw, pk));
	expect_error(&r, 409, "invalid_state");
}

static void
test_signature_over_an_old_version_is_stale(void **state)
{
	uint8_t old[MEMO_HASH_BYTES];
	struct memo_w mw, v1;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	v1 = mw;
	memcpy(old, mw.hash, sizeof(old));
	assert_int_equal(add_version(&mw, &w.drafter, NULL), 201);
	assert_int_equal(sign(&v1, &w.alice, &r), 409);
	expect_error(&r, 409, "stale_version");
	/* The right number with the old hash is stale too. */
	v1.version = 2;
	call(&r, "POST", mpath(&mw, "/signatures"), w.alice.token,
	    sign_body(&v1, &w.alice, (int64_t)time(NULL), old));
	expect_error(&r, 409, "stale_version");
	expect_counts(&mw, &w.drafter, 0, 0);
}

static void
test_signature_time_far_from_the_server_clock_is_refused(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	call(&r, "POST", mpath(&mw, "/signatures"), w.alice.token,
	    sign_body(&mw, &w.alice, (int64_t)time(NULL) - 3600, mw.hash));
	expect_error(&r, 400, "bad_time");
	call(&r, "POST", mpath(&mw, "/signatures"), w.alice.token,
	    sign_body(&mw, &w.alice, (int64_t)time(NULL) + 3600, mw.hash));
	expect_error(&r, 400, "bad_time");
	/* Within the window is fine. */
	call(&r, "POST", mpath(&mw, "/signatures"), w.alice.token,
	    sign_body(&mw, &w.alice, (int64_t)time(NULL) - 300, mw.hash));
	expect(&r, 201);
	reply_free(&r);
}

static void
test_bad_signature_is_refused(void **state)
{
	uint8_t other[MEMO_HASH_BYTES];
	struct memo_w mw;
	struct reply r;
	json_t *b;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	/* Signed over another hash than the one claimed. */
	randombytes_buf(other, sizeof(other));
	call(&r, "POST", mpath(&mw, "/signatures"), w.alice.token,
	    sign_body(&mw, &w.alice, (int64_t)time(NULL), other));
	expect_error(&r, 400, "bad_signature");
	/* Made by someone else's key for Alice. */
	{
		struct member fake = w.mallory;

		memcpy(fake.id, w.alice.id, sizeof(fake.id));
		call(&r, "POST", mpath(&mw, "/signatures"), w.alice.token,
		    sign_body(&mw, &fake, (int64_t)time(NULL), mw.hash));
		expect_error(&r, 400, "bad_signature");
	}
	/* Alice's own signature presented by Bob (not invited: 404). */
	b = sign_body(&mw, &w.alice, (int64_t)time(NULL), mw.hash);
	call(&r, "POST", mpath(&mw, "/signatures"), w.bob.token, b);
	expect_error(&r, 404, "not_found");
	/* Alice's signature presented by the drafter: not his. */
	call(&r, "POST", mpath(&mw, "/signatures"), w.drafter.token,
	    sign_body(&mw, &w.alice, (int64_t)time(NULL), mw.hash));
	expect_error(&r, 400, "bad_signature");
	/* Malformed record size. */
	b = sign_body(&mw, &w.alice, (int64_t)time(NULL), mw.hash);
	json_object_set_new(b, "record", json_string(b64(other, 32)));
	call(&r, "POST", mpath(&mw, "/signatures"), w.alice.token, b);
	expect_error(&r, 400, "invalid_field");
	expect_counts(&mw, &w.drafter, 0, 0);
}

static void
test_ineligible_members_cannot_sign_or_be_invited_to(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	open_memo(&mw);
	assert_int_equal(invite(&mw, &w.drafter, &w.carol, "signer", &r), 400);
	expect_error(&r, 400, "not_eligible");
	/* As a co-drafter she may help, but never sign. */
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.carol, "codrafter", NULL), 201);
	assert_int_equal(sign(&mw, &w.carol, &r), 403);
	expect_error(&r, 403, "not_eligible");
	expect_counts(&mw, &w.drafter, 0, 0);
}

static void
test_member_of_another_org_cannot_sign(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	call(&r, "POST", "/api/v1/memos", w.drafter.token,
	    create_body(
		&mw, &w.drafter, "policy", "SBU", json_pack("[s]", "state")));
	expect(&r, 201);
	reply_free(&r);
	assert_int_equal(invite(&mw, &w.drafter, &w.bob, "signer", &r), 400);
	expect_error(&r, 400, "not_eligible");
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.bob, "codrafter", NULL), 201);
	assert_int_equal(sign(&mw, &w.bob, &r), 403);
	expect_error(&r, 403, "not_eligible");
}

static void
test_invitation_refusals(void **state)
{
	struct memo_w mw;
	struct reply r;
	json_t *g;

	(void)state;
	create_memo(&mw);
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.drafter, "signer", &r), 400);
	expect_error(&r, 400, "invalid_field");
	g = json_pack("{s:s}", "key",
	    sealed(mw.key, MEMO_GRANT_KEY, mw.id, w.alice.ks.pub.box_pk));
	call(&r, "POST", mpath(&mw, "/invitations"), w.drafter.token,
	    json_pack("{s:s,s:s,s:o}", "member", w.alice.id, "as", "boss",
		"grants", g));
	expect_error(&r, 400, "invalid_field");
	/* A co-drafter needs the roster key. */
	g = json_pack("{s:s}", "key",
	    sealed(mw.key, MEMO_GRANT_KEY, mw.id, w.alice.ks.pub.box_pk));
	call(&r, "POST", mpath(&mw, "/invitations"), w.drafter.token,
	    json_pack("{s:s,s:s,s:o}", "member", w.alice.id, "as", "codrafter",
		"grants", g));
	expect_error(&r, 400, "missing_field");
	/* A signer gets no roster key while names are hidden. */
	g = json_pack("{s:s,s:s}", "key",
	    sealed(mw.key, MEMO_GRANT_KEY, mw.id, w.alice.ks.pub.box_pk),
	    "roster",
	    sealed(
		mw.roster_sk, MEMO_GRANT_ROSTER, mw.id, w.alice.ks.pub.box_pk));
	call(&r, "POST", mpath(&mw, "/invitations"), w.drafter.token,
	    json_pack("{s:s,s:s,s:o}", "member", w.alice.id, "as", "signer",
		"grants", g));
	expect_error(&r, 400, "invalid_field");
	/* Nobody of that id, and the admin. */
	g = json_pack("{s:s}", "key",
	    sealed(mw.key, MEMO_GRANT_KEY, mw.id, w.alice.ks.pub.box_pk));
	call(&r, "POST", mpath(&mw, "/invitations"), w.drafter.token,
	    json_pack("{s:s,s:s,s:o}", "member", "m_000000000000000000000000",
		"as", "signer", "grants", g));
	expect_error(&r, 400, "invalid_field");
	g = json_pack("{s:s,s:s}", "key",
	    sealed(mw.key, MEMO_GRANT_KEY, mw.id, w.alice.ks.pub.box_pk),
	    "roster",
	    sealed(
		mw.roster_sk, MEMO_GRANT_ROSTER, mw.id, w.alice.ks.pub.box_pk));
	call(&r, "POST", mpath(&mw, "/invitations"), w.drafter.token,
	    json_pack("{s:s,s:s,s:o}", "member", w.admin_id, "as", "codrafter",
		"grants", g));
	expect_error(&r, 400, "invalid_field");
	/* Nothing was recorded: Alice is still unrelated. */
	call(&r, "GET", mpath(&mw, ""), w.alice.token, NULL);
	expect_error(&r, 404, "not_found");
}

static void
test_signers_may_invite_when_allowed(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	call(&r, "PUT", mpath(&mw, "/settings"), w.drafter.token,
	    json_pack("{s:b,s:b}", "show_signers", 0, "signers_may_invite", 1));
	expect(&r, 200);
	reply_free(&r);
	assert_int_equal(invite(&mw, &w.alice, &w.bob, "signer", &r), 201);
	assert_string_equal(
	    str(json_object_get(r.json, "invitation"), "member"), w.bob.id);
	reply_free(&r);
	/* But never co-drafters. */
	assert_int_equal(
	    invite(&mw, &w.alice, &w.mallory, "codrafter", &r), 403);
	expect_error(&r, 403, "forbidden");
}

/*
 * ${m}'s grant of ${purpose} on ${mw} as the server holds it: 1 if it
 * opens to ${want}, 0 if it opens to another key, -1 if there is none.
 */
static int
grant_holds(const struct memo_w *mw, const struct member *m,
    const char *purpose, const uint8_t want[32])
{
	uint8_t sealedb[GRANT_SEALED_MAX], got[32];
	const char *field;
	struct reply r;
	json_t *v;
	size_t len;
	int ret;

	field = strcmp(purpose, MEMO_GRANT_KEY) == 0 ? "key" : "roster";
	call(&r, "GET", mpath(mw, "/grants"), m->token, NULL);
	expect(&r, 200);
	v = json_object_get(r.json, field);
	if (v == NULL || json_is_null(v)) {
		reply_free(&r);
		return (-1);
	}
	assert_int_equal(
	    b64_decode(sealedb, sizeof(sealedb), &len, json_string_value(v)),
	    0);
	assert_int_equal(
	    grant_open(got, sealedb, len, purpose, mw->id, &m->ks), 0);
	ret = sodium_memcmp(got, want, 32) == 0;
	reply_free(&r);
	return (ret);
}

/* ${by} invites ${m} to ${mw} as ${as} with grants of junk keys. */
static unsigned int
invite_junk(const struct memo_w *mw, const struct member *by,
    const struct member *m, const char *as, struct reply *out)
{
	uint8_t junk[32];
	struct reply r;
	json_t *g;

	randombytes_buf(junk, sizeof(junk));
	g = json_pack("{s:s,s:s}", "key",
	    sealed(junk, MEMO_GRANT_KEY, mw->id, m->ks.pub.box_pk), "roster",
	    sealed(junk, MEMO_GRANT_ROSTER, mw->id, m->ks.pub.box_pk));
	if (strcmp(as, "signer") == 0)
		json_object_del(g, "roster");
	call(&r, "POST", mpath(mw, "/invitations"), by->token,
	    json_pack("{s:s,s:s,s:o}", "member", m->id, "as", as, "grants", g));
	if (out != NULL)
		*out = r;
	else
		reply_free(&r);
	return (r.status);
}

static void
test_invitee_cannot_overwrite_a_drafter_s_grants(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.bob, "codrafter", NULL), 201);
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.alice, "signer", NULL), 201);
	call(&r, "PUT", mpath(&mw, "/settings"), w.drafter.token,
	    json_pack("{s:b,s:b}", "show_signers", 0, "signers_may_invite", 1));
	expect(&r, 200);
	reply_free(&r);
	/*
	 * Alice may invite signers, but inviting a drafter, a co-drafter or
	 * an invitee changes nothing; her answer is the one any invitation
	 * gets, so it does not tell her who drafts.
	 */
	assert_int_equal(
	    invite_junk(&mw, &w.alice, &w.drafter, "signer", &r), 201);
	assert_string_equal(
	    str(json_object_get(r.json, "invitation"), "member"), w.drafter.id);
	reply_free(&r);
	assert_int_equal(
	    invite_junk(&mw, &w.alice, &w.bob, "signer", NULL), 201);
	assert_int_equal(
	    grant_holds(&mw, &w.drafter, MEMO_GRANT_KEY, mw.key), 1);
	assert_int_equal(
	    grant_holds(&mw, &w.drafter, MEMO_GRANT_ROSTER, mw.roster_sk), 1);
	assert_int_equal(grant_holds(&mw, &w.bob, MEMO_GRANT_KEY, mw.key), 1);
	assert_int_equal(
	    grant_holds(&mw, &w.bob, MEMO_GRANT_ROSTER, mw.roster_sk), 1);
	/* Nor did the drafter become an invitee. */
	call(&r, "GET", mpath(&mw, ""), w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(json_array_size(json_object_get(
			     json_object_get(r.json, "memo"), "relations")),
	    1);
	reply_free(&r);
}

static void
test_reinvitation_never_replaces_a_grant(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.bob, "codrafter", NULL), 201);
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.alice, "signer", NULL), 201);
	/* A co-drafter re-inviting the drafter, or anyone an invitee. */
	assert_int_equal(
	    invite_junk(&mw, &w.bob, &w.drafter, "codrafter", &r), 409);
	expect_error(&r, 409, "already_invited");
	assert_int_equal(
	    invite_junk(&mw, &w.bob, &w.drafter, "signer", &r), 409);
	expect_error(&r, 409, "already_invited");
	assert_int_equal(
	    invite_junk(&mw, &w.drafter, &w.bob, "codrafter", &r), 409);
	expect_error(&r, 409, "already_invited");
	assert_int_equal(
	    invite_junk(&mw, &w.drafter, &w.alice, "signer", &r), 409);
	expect_error(&r, 409, "already_invited");
	assert_int_equal(
	    grant_holds(&mw, &w.drafter, MEMO_GRANT_KEY, mw.key), 1);
	assert_int_equal(
	    grant_holds(&mw, &w.drafter, MEMO_GRANT_ROSTER, mw.roster_sk), 1);
	assert_int_equal(grant_holds(&mw, &w.bob, MEMO_GRANT_KEY, mw.key), 1);
	assert_int_equal(
	    grant_holds(&mw, &w.bob, MEMO_GRANT_ROSTER, mw.roster_sk), 1);
	assert_int_equal(grant_holds(&mw, &w.alice, MEMO_GRANT_KEY, mw.key), 1);
}

static void
test_invitee_becomes_codrafter_keeping_the_key_grant(void **state)
{
	struct memo_w mw;
	struct reply r;
	json_t *rel;

	(void)state;
	create_memo(&mw);
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.alice, "signer", NULL), 201);
	/* The upgrade adds the missing roster grant, never another key. */
	assert_int_equal(
	    invite_junk(&mw, &w.drafter, &w.alice, "codrafter", &r), 201);
	reply_free(&r);
	assert_int_equal(grant_holds(&mw, &w.alice, MEMO_GRANT_KEY, mw.key), 1);
	assert_int_equal(
	    grant_holds(&mw, &w.alice, MEMO_GRANT_ROSTER, mw.key), 0);
	call(&r, "GET", mpath(&mw, ""), w.alice.token, NULL);
	expect(&r, 200);
	rel = json_object_get(json_object_get(r.json, "memo"), "relations");
	assert_string_equal(
	    json_string_value(json_array_get(rel, 0)), "codrafter");
	reply_free(&r);
	/* Once a co-drafter, nothing more to add. */
	assert_int_equal(
	    invite(&mw, &w.drafter, &w.alice, "codrafter", &r), 409);
	expect_error(&r, 409, "already_invited");
}

/*
 * The tag of the record in ${mw}'s signer records (as the drafter lists
 * them) that does not open with the roster key into ${tag}; return the
 * number of records.
 */
static size_t
bad_record_tag(const struct memo_w *mw, char tag[64])
{
	uint8_t rec[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s;
	struct reply r;
	json_t *e;
	size_t i, n;

	tag[0] = '\0';
	call(&r, "GET", mpath(mw, "/signatures"), w.drafter.token, NULL);
	expect(&r, 200);
	n = json_array_size(json_object_get(r.json, "records"));
	json_array_foreach(json_object_get(r.json, "records"), i, e)
	{
		unb64(rec, sizeof(rec), str(e, "record"));
		assert_int_equal(strlen(str(e, "tag")), 43);
		if (memo_record_open(&s, rec, mw->roster_pk, mw->roster_sk) !=
		    0)
			snprintf(tag, 64, "%s", str(e, "tag"));
	}
	reply_free(&r);
	return (n);
}

static void
test_drafter_strikes_a_bad_record_before_submission(void **state)
{
	uint8_t junk[MEMO_RECORD_SEALED_BYTES], pk[32], sk[32];
	char tag[64], p[256];
	struct memo_w mw;
	struct reply r;
	json_t *b;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	open_memo(&mw);
	/* The server cannot open records: Alice's junk one is accepted. */
	b = sign_body(&mw, &w.alice, (int64_t)time(NULL), mw.hash);
	randombytes_buf(junk, sizeof(junk));
	json_object_set_new(b, "record", json_string(b64(junk, sizeof(junk))));
	call(&r, "POST", mpath(&mw, "/signatures"), w.alice.token, b);
	expect(&r, 201);
	reply_free(&r);
	assert_int_equal(sign(&mw, &w.bob, NULL), 201);
	assert_int_equal(bad_record_tag(&mw, tag), 2);
	assert_true(tag[0] != '\0');
	snprintf(p, sizeof(p), "/signatures/%s", tag);

	/* Only a drafter strikes, and only a record that exists. */
	call(&r, "DELETE", mpath(&mw, p), w.alice.token, NULL);
	expect_error(&r, 403, "forbidden");
	call(&r, "DELETE", mpath(&mw, "/signatures/AAAA"), w.drafter.token,
	    NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "DELETE", mpath(&mw, p), w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(num(json_object_get(r.json, "counts"), "named"), 1);
	reply_free(&r);
	call(&r, "DELETE", mpath(&mw, p), w.drafter.token, NULL);
	expect_error(&r, 404, "not_found");
	assert_int_equal(bad_record_tag(&mw, tag), 1);
	assert_string_equal(tag, "");
	/* Alice may sign again, properly. */
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	expect_counts(&mw, &w.drafter, 2, 0);

	/* Frozen at submission. */
	create_channel_key(pk, sk);
	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    submit_body(&mw, pk));
	expect(&r, 200);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/signatures"), w.drafter.token, NULL);
	expect(&r, 200);
	snprintf(p, sizeof(p), "/signatures/%s",
	    str(json_array_get(json_object_get(r.json, "records"), 0), "tag"));
	reply_free(&r);
	call(&r, "DELETE", mpath(&mw, p), w.drafter.token, NULL);
	expect_error(&r, 409, "invalid_state");
	expect_counts(&mw, &w.drafter, 2, 0);
}

static void
test_record_tags_are_shown_to_drafters_only(void **state)
{
	struct memo_w mw;
	struct reply r;
	json_t *e;
	size_t i;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	call(&r, "PUT", mpath(&mw, "/settings"), w.drafter.token,
	    json_pack("{s:b,s:b}", "show_signers", 1, "signers_may_invite", 0));
	expect(&r, 200);
	reply_free(&r);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	/* Alice sees the records (names are shown), not their tags. */
	call(&r, "GET", mpath(&mw, "/signatures"), w.alice.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "records")), 1);
	json_array_foreach(json_object_get(r.json, "records"), i, e)
	    assert_null(json_object_get(e, "tag"));
	reply_free(&r);
}

static void
test_duplicate_signature_is_already_signed(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	assert_int_equal(sign(&mw, &w.alice, &r), 409);
	expect_error(&r, 409, "already_signed");
	expect_counts(&mw, &w.drafter, 1, 0);
}

static void
test_unsign_removes_the_signature_once(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	call(&r, "DELETE", mpath(&mw, "/signatures/mine"), w.alice.token, NULL);
	expect(&r, 200);
	assert_int_equal(num(json_object_get(r.json, "counts"), "named"), 0);
	reply_free(&r);
	call(&r, "DELETE", mpath(&mw, "/signatures/mine"), w.alice.token, NULL);
	expect_error(&r, 404, "not_found");
	/* And she may sign again. */
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	expect_counts(&mw, &w.drafter, 1, 0);
}

static void
test_invitations_list_what_awaits_a_signature(void **state)
{
	struct memo_w mw, draft;
	struct reply r;
	json_t *inv;

	(void)state;
	create_memo(&mw);
	create_memo(&draft);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&draft, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	call(&r, "GET", "/api/v1/invitations", w.alice.token, NULL);
	expect(&r, 200);
	inv = json_object_get(r.json, "invitations");
	/* Only the open one. */
	assert_int_equal(json_array_size(inv), 1);
	assert_string_equal(
	    str(json_object_get(json_array_get(inv, 0), "memo"), "id"), mw.id);
	reply_free(&r);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	call(&r, "GET", "/api/v1/invitations", w.alice.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "invitations")), 0);
	reply_free(&r);
	/* An edit puts it back. */
	assert_int_equal(add_version(&mw, &w.drafter, NULL), 201);
	call(&r, "GET", "/api/v1/invitations", w.alice.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "invitations")), 1);
	reply_free(&r);
	call(&r, "GET", "/api/v1/invitations", w.mallory.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "invitations")), 0);
	reply_free(&r);
}

static void
test_marking_above_accreditation_is_refused(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	call(&r, "POST", "/api/v1/memos", w.drafter.token,
	    create_body(&mw, &w.drafter, "policy", "SECRET",
		json_pack("[s]", "state")));
	expect_error(&r, 400, "marking_not_accredited");
	call(&r, "POST", "/api/v1/memos", w.drafter.token,
	    create_body(
		&mw, &w.drafter, "policy", "HUSH", json_pack("[s]", "state")));
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", mpath(&mw, ""), w.drafter.token, NULL);
	expect_error(&r, 404, "not_found");
	/* Nor may an edit raise it. */
	create_memo(&mw);
	{
		char *box = make_version(&mw, 2, "Raised");

		call(&r, "POST", mpath(&mw, "/versions"), w.drafter.token,
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "version",
			(json_int_t)2, "prev_hash", b64(mw.prev, 32), "hash",
			b64(mw.hash, 32), "box", box, "topic", "policy",
			"marking", "TOP SECRET"));
		free(box);
		expect_error(&r, 400, "marking_not_accredited");
	}
}

static void
test_unknown_topic_or_org_is_refused(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	call(&r, "POST", "/api/v1/memos", w.drafter.token,
	    create_body(
		&mw, &w.drafter, "gossip", "SBU", json_pack("[s]", "state")));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/memos", w.drafter.token,
	    create_body(&mw, &w.drafter, "policy", "SBU",
		json_pack("[s,s]", "state", "nasa")));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/memos", w.drafter.token,
	    create_body(&mw, &w.drafter, "policy", "SBU",
		json_pack("[s,s]", "state", "state")));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/memos", w.drafter.token,
	    create_body(&mw, &w.drafter, "policy", "SBU", json_array()));
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", "/api/v1/memos", w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "memos")), 0);
	reply_free(&r);
}

static void
test_invalid_roster_key_is_refused(void **state)
{
	/* The identity and a point of small order (order 8). */
	static const uint8_t small[32] = {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41,
	    0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda,
	    0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16,
	    0x5f, 0x49, 0xb8, 0x00};
	static const uint8_t zero[32];
	const uint8_t *bad[] = {zero, small};
	struct memo_w mw;
	struct reply r;
	json_t *b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = create_body(&mw, &w.drafter, "policy", "SBU",
		    json_pack("[s]", "state"));
		json_object_set_new(
		    b, "roster_pk", json_string(b64(bad[i], 32)));
		call(&r, "POST", "/api/v1/memos", w.drafter.token, b);
		expect_error(&r, 400, "invalid_field");
	}
	call(&r, "GET", "/api/v1/memos", w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "memos")), 0);
	reply_free(&r);
}

static void
test_names_cannot_be_shown_once_signed_under_a_count(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	/* Alice signed when names were hidden: they stay hidden. */
	call(&r, "PUT", mpath(&mw, "/settings"), w.drafter.token,
	    json_pack("{s:b,s:b}", "show_signers", 1, "signers_may_invite", 0));
	expect_error(&r, 409, "signatures_exist");
	/* Other settings still change; hiding names is always allowed. */
	call(&r, "PUT", mpath(&mw, "/settings"), w.drafter.token,
	    json_pack("{s:b,s:b}", "show_signers", 0, "signers_may_invite", 1));
	expect(&r, 200);
	assert_false(json_is_true(
	    json_object_get(json_object_get(r.json, "memo"), "show_signers")));
	reply_free(&r);
	/* With the signature withdrawn, names may be shown. */
	call(&r, "DELETE", mpath(&mw, "/signatures/mine"), w.alice.token, NULL);
	expect(&r, 200);
	reply_free(&r);
	call(&r, "PUT", mpath(&mw, "/settings"), w.drafter.token,
	    json_pack("{s:b,s:b}", "show_signers", 1, "signers_may_invite", 0));
	expect(&r, 200);
	reply_free(&r);
}

/* ${by} posts roster grants of ${mw} to ${m1} (and ${m2} if not NULL). */
static void
roster_grants(struct reply *r, const struct memo_w *mw, const struct member *by,
    const struct member *m1, const struct member *m2)
{
	json_t *a;

	a = json_pack("[{s:s,s:s}]", "member", m1->id, "sealed",
	    sealed(
		mw->roster_sk, MEMO_GRANT_ROSTER, mw->id, m1->ks.pub.box_pk));
	if (m2 != NULL)
		json_array_append_new(
		    a, json_pack("{s:s,s:s}", "member", m2->id, "sealed",
			   sealed(mw->roster_sk, MEMO_GRANT_ROSTER, mw->id,
			       m2->ks.pub.box_pk)));
	call(r, "POST", mpath(mw, "/roster-grants"), by->token,
	    json_pack("{s:o}", "grants", a));
}

/* Turn ${mw}'s show_signers to ${on} (by the drafter). */
static void
show_signers(const struct memo_w *mw, int on)
{
	struct reply r;

	call(&r, "PUT", mpath(mw, "/settings"), w.drafter.token,
	    json_pack(
		"{s:b,s:b}", "show_signers", on, "signers_may_invite", 0));
	expect(&r, 200);
	reply_free(&r);
}

static void
test_roster_grants_reach_invitees_once_names_are_shown(void **state)
{
	struct memo_w mw;
	struct reply r;
	json_t *missing, *a;
	size_t i, ngrants;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	open_memo(&mw);
	show_signers(&mw, 1);
	assert_int_equal(
	    grant_holds(&mw, &w.alice, MEMO_GRANT_ROSTER, mw.roster_sk), -1);
	call(&r, "GET", mpath(&mw, "/roster-grants"), w.drafter.token, NULL);
	expect(&r, 200);
	missing = json_object_get(r.json, "missing");
	assert_int_equal(json_array_size(missing), 2);
	/* Both, in some order. */
	assert_true(strcmp(json_string_value(json_array_get(missing, 0)),
			w.alice.id) == 0 ||
		    strcmp(json_string_value(json_array_get(missing, 1)),
			w.alice.id) == 0);
	assert_true(strcmp(json_string_value(json_array_get(missing, 0)),
			w.bob.id) == 0 ||
		    strcmp(json_string_value(json_array_get(missing, 1)),
			w.bob.id) == 0);
	reply_free(&r);
	roster_grants(&r, &mw, &w.drafter, &w.alice, &w.bob);
	expect(&r, 201);
	assert_int_equal(num(r.json, "granted"), 2);
	reply_free(&r);
	assert_int_equal(
	    grant_holds(&mw, &w.alice, MEMO_GRANT_ROSTER, mw.roster_sk), 1);
	assert_int_equal(
	    grant_holds(&mw, &w.bob, MEMO_GRANT_ROSTER, mw.roster_sk), 1);
	call(&r, "GET", mpath(&mw, "/roster-grants"), w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "missing")), 0);
	reply_free(&r);
	/* Two grants at creation, two invitations, two roster grants. */
	call(&r, "GET", mpath(&mw, "/accesses"), w.drafter.token, NULL);
	expect(&r, 200);
	ngrants = 0;
	json_array_foreach(json_object_get(r.json, "accesses"), i, a)
	{
		if (strcmp(str(a, "kind"), "grant") == 0)
			ngrants++;
	}
	assert_int_equal(ngrants, 6);
	reply_free(&r);
}

static void
test_roster_grants_are_for_drafters_only(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	show_signers(&mw, 1);
	roster_grants(&r, &mw, &w.alice, &w.bob, NULL);
	expect_error(&r, 403, "forbidden");
	call(&r, "GET", mpath(&mw, "/roster-grants"), w.alice.token, NULL);
	expect_error(&r, 403, "forbidden");
	roster_grants(&r, &mw, &w.mallory, &w.bob, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "POST", mpath(&mw, "/roster-grants"), w.admin_token,
	    json_pack("{s:[{s:s,s:s}]}", "grants", "member", w.bob.id, "sealed",
		sealed(mw.roster_sk, MEMO_GRANT_ROSTER, mw.id,
		    w.bob.ks.pub.box_pk)));
	expect_error(&r, 403, "forbidden");
	assert_int_equal(
	    grant_holds(&mw, &w.bob, MEMO_GRANT_ROSTER, mw.roster_sk), -1);
}

static void
test_roster_grants_need_names_shown(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	roster_grants(&r, &mw, &w.drafter, &w.alice, NULL);
	expect_error(&r, 409, "names_hidden");
	call(&r, "GET", mpath(&mw, "/roster-grants"), w.drafter.token, NULL);
	expect_error(&r, 409, "names_hidden");
	assert_int_equal(
	    grant_holds(&mw, &w.alice, MEMO_GRANT_ROSTER, mw.roster_sk), -1);
}

static void
test_roster_grants_never_replace_a_grant(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	show_signers(&mw, 1);
	roster_grants(&r, &mw, &w.drafter, &w.alice, NULL);
	expect(&r, 201);
	reply_free(&r);
	/* All or nothing: Bob gets nothing with Alice refused. */
	roster_grants(&r, &mw, &w.drafter, &w.bob, &w.alice);
	expect_error(&r, 409, "already_granted");
	assert_int_equal(
	    grant_holds(&mw, &w.bob, MEMO_GRANT_ROSTER, mw.roster_sk), -1);
	/* Nor twice in one call. */
	roster_grants(&r, &mw, &w.drafter, &w.bob, &w.bob);
	expect_error(&r, 400, "invalid_field");
	assert_int_equal(
	    grant_holds(&mw, &w.bob, MEMO_GRANT_ROSTER, mw.roster_sk), -1);
}

static void
test_roster_grants_go_to_invitees_only(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "codrafter", NULL);
	show_signers(&mw, 1);
	/* Carol was never invited; Bob co-drafts (holding the roster key). */
	roster_grants(&r, &mw, &w.drafter, &w.alice, &w.carol);
	expect_error(&r, 400, "invalid_field");
	roster_grants(&r, &mw, &w.drafter, &w.bob, NULL);
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", mpath(&mw, "/roster-grants"), w.drafter.token,
	    json_pack("{s:[{s:s,s:s}]}", "grants", "member", "m_nobody",
		"sealed",
		sealed(mw.roster_sk, MEMO_GRANT_ROSTER, mw.id,
		    w.alice.ks.pub.box_pk)));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", mpath(&mw, "/roster-grants"), w.drafter.token,
	    json_pack("{s:[]}", "grants"));
	expect_error(&r, 400, "invalid_field");
	assert_int_equal(
	    grant_holds(&mw, &w.alice, MEMO_GRANT_ROSTER, mw.roster_sk), -1);
}

static void
test_roster_grants_refused_after_submission_state(void **state)
{
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	show_signers(&mw, 1);
	call(&r, "POST", mpath(&mw, "/withdraw"), w.drafter.token,
	    json_object());
	expect(&r, 200);
	reply_free(&r);
	roster_grants(&r, &mw, &w.drafter, &w.alice, NULL);
	expect_error(&r, 409, "invalid_state");
}

static void
test_bad_or_oversize_box_is_refused(void **state)
{
	struct memo_w mw;
	struct reply r;
	json_t *b;
	char *big;
	size_t n;

	(void)state;
	/* Too short to hold anything. */
	b = create_body(
	    &mw, &w.drafter, "policy", "SBU", json_pack("[s]", "state"));
	json_object_set_new(
	    json_object_get(b, "version"), "box", json_string(b64(mw.key, 16)));
	call(&r, "POST", "/api/v1/memos", w.drafter.token, b);
	expect_error(&r, 400, "invalid_field");
	/* Not base64url. */
	b = create_body(
	    &mw, &w.drafter, "policy", "SBU", json_pack("[s]", "state"));
	json_object_set_new(
	    json_object_get(b, "version"), "box", json_string("not*base64"));
	call(&r, "POST", "/api/v1/memos", w.drafter.token, b);
	expect_error(&r, 400, "invalid_field");
	/* Bigger than any box may be. */
	n = MEMOCTX_BOX_TEXT_MAX + 4;
	assert_non_null(big = malloc(n + 1));
	memset(big, 'A', n);
	big[n] = '\0';
	b = create_body(
	    &mw, &w.drafter, "policy", "SBU", json_pack("[s]", "state"));
	json_object_set_new(
	    json_object_get(b, "version"), "box", json_string(big));
	free(big);
	/* The route takes large bodies: the field's own limit refuses it. */
	n = json_dumpb(b, NULL, 0, JSON_COMPACT);
	assert_true(n > HTTP_BODY_MAX && n <= HTTP_BODY_LARGE_MAX);
	call(&r, "POST", "/api/v1/memos", w.drafter.token, b);
	expect_error(&r, 400, "invalid_field");
	/* A route without ciphertext keeps the small limit (413). */
	assert_non_null(big = malloc(HTTP_BODY_MAX + 1));
	memset(big, 'A', HTTP_BODY_MAX);
	big[HTTP_BODY_MAX] = '\0';
	b = json_pack("{s:s}", "padding", big);
	free(big);
	call(&r, "POST", "/api/v1/channel/key", w.drafter.token, b);
	expect_error(&r, 413, "too_large");
	call(&r, "GET", "/api/v1/memos", w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "memos")), 0);
	reply_free(&r);
}

static void
test_submit_without_channel_key_is_refused(void **state)
{
	uint8_t pk[32];
	struct memo_w mw;
	struct reply r;

	(void)state;
	create_memo(&mw);
	any_pk(pk);
	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    submit_body(&mw, pk));
	expect_error(&r, 409, "no_channel_key");
	call(&r, "GET", mpath(&mw, "/receipt"), w.drafter.token, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "GET", mpath(&mw, ""), w.drafter.token, NULL);
	expect(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "draft");
	reply_free(&r);
}

static void
test_submit_with_a_stale_hash_is_refused(void **state)
{
	uint8_t pk[32], sk[32];
	struct memo_w mw, v1;
	struct reply r;

	(void)state;
	create_memo(&mw);
	create_channel_key(pk, sk);
	v1 = mw;
	assert_int_equal(add_version(&mw, &w.drafter, NULL), 201);
	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    submit_body(&v1, pk));
	expect_error(&r, 409, "stale_version");
}

static void
test_submit_freezes_signatures_and_returns_a_verifiable_receipt(void **state)
{
	uint8_t pk[32], sk[32], package[MEMO_HASH_BYTES];
	uint8_t(*records)[MEMO_RECORD_SEALED_BYTES];
	struct memo_w mw;
	struct reply r, r2;
	struct event ev;
	json_t *m, *recs;
	size_t i;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	invite(&mw, &w.drafter, &w.mallory, "signer", NULL);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.mallory, NULL), 201);
	assert_int_equal(add_version(&mw, &w.drafter, NULL), 201);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	assert_int_equal(sign(&mw, &w.bob, NULL), 201);
	expect_counts(&mw, &w.drafter, 2, 1);
	create_channel_key(pk, sk);

	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    submit_body(&mw, pk));
	expect(&r, 200);
	m = json_object_get(r.json, "memo");
	assert_string_equal(str(m, "state"), "submitted");
	assert_true(num(m, "submitted_at") > 0);
	assert_true(
	    num(json_object_get(m, "due"), "ack") > num(m, "submitted_at"));
	assert_int_equal(num(json_object_get(m, "counts"), "named"), 2);
	assert_int_equal(num(json_object_get(m, "counts"), "named_stale"), 0);
	verify_receipt(json_object_get(r.json, "receipt"), mw.id, &ev);
	assert_int_equal(ev.type, EVENT_MEMO_SUBMITTED);
	assert_int_equal(ev.memo_version, 2);
	assert_memory_equal(ev.hash, mw.hash, MEMO_HASH_BYTES);
	assert_int_equal(ev.named, 2);
	assert_int_equal(ev.anonymous, 0);
	/* Neither the drafter's organisation nor the topic is logged. */
	assert_string_equal(ev.org_id, "");

	/* The package hash is over the frozen records in tag order. */
	call(&r2, "GET", mpath(&mw, "/signatures"), w.drafter.token, NULL);
	expect(&r2, 200);
	recs = json_object_get(r2.json, "records");
	assert_int_equal(json_array_size(recs), 2);
	assert_non_null(records = malloc(2 * sizeof(*records)));
	for (i = 0; i < 2; i++)
		unb64(records[i], MEMO_RECORD_SEALED_BYTES,
		    str(json_array_get(recs, i), "record"));
	memo_package_hash(package, mw.id, mw.hash,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])records, 2, NULL, 0);
	assert_memory_equal(package, ev.package_hash, MEMO_HASH_BYTES);
	/* Each record opens with the roster key to a signer it names. */
	for (i = 0; i < 2; i++) {
		struct memo_signature s;

		assert_int_equal(memo_record_open(&s, records[i], mw.roster_pk,
				     mw.roster_sk),
		    0);
		assert_true(strcmp(s.signer_id, w.alice.id) == 0 ||
			    strcmp(s.signer_id, w.bob.id) == 0);
	}
	free(records);
	reply_free(&r2);

	/* The receipt can be fetched again. */
	call(&r2, "GET", mpath(&mw, "/receipt"), w.alice.token, NULL);
	expect(&r2, 200);
	assert_int_equal(num(r2.json, "index"),
	    num(json_object_get(r.json, "receipt"), "index"));
	reply_free(&r2);
	reply_free(&r);

	/* Frozen: no more signing or withdrawing a signature. */
	call(&r, "DELETE", mpath(&mw, "/signatures/mine"), w.alice.token, NULL);
	expect_error(&r, 409, "invalid_state");
	assert_int_equal(sign(&mw, &w.mallory, &r), 409);
	expect_error(&r, 409, "invalid_state");
}

static void
test_coordinator_reaches_a_memo_once_submitted(void **state)
{
	uint8_t pk[32], sk[32];
	struct memo_w mw;
	struct reply r;
	json_t *ch;

	(void)state;
	create_memo(&mw);
	create_channel_key(pk, sk);
	call(&r, "GET", mpath(&mw, ""), w.coord.token, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    submit_body(&mw, pk));
	expect(&r, 200);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, ""), w.coord.token, NULL);
	expect(&r, 200);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/grants"), w.coord.token, NULL);
	expect(&r, 200);
	assert_true(json_is_null(json_object_get(r.json, "key")));
	assert_false(json_is_null(json_object_get(r.json, "channel_key")));
	ch = json_object_get(r.json, "channel");
	{
		uint8_t g[GRANT_SEALED_MAX], key[GRANT_KEY_BYTES];
		struct keys_secret chks;
		size_t glen;

		/* Opened with the channel's secret key. */
		memset(&chks, 0, sizeof(chks));
		memcpy(chks.box_sk, sk, sizeof(chks.box_sk));
		memcpy(chks.pub.box_pk, pk, sizeof(chks.pub.box_pk));
		assert_int_equal(
		    b64_decode(g, sizeof(g), &glen, str(ch, "key")), 0);
		assert_int_equal(
		    grant_open(key, g, glen, MEMO_GRANT_KEY, mw.id, &chks), 0);
		assert_memory_equal(key, mw.key, sizeof(key));
	}
	reply_free(&r);
	/* Still no drafter's powers. */
	call(&r, "POST", mpath(&mw, "/withdraw"), w.coord.token, json_object());
	expect_error(&r, 403, "forbidden");
}

static void
test_withdraw_ends_the_memo_with_a_receipt(void **state)
{
	struct memo_w mw;
	struct reply r;
	struct event ev;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	open_memo(&mw);
	call(&r, "POST", mpath(&mw, "/withdraw"), w.drafter.token,
	    json_object());
	expect(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "withdrawn");
	verify_receipt(json_object_get(r.json, "receipt"), mw.id, &ev);
	assert_int_equal(ev.type, EVENT_MEMO_WITHDRAWN);
	reply_free(&r);
	call(&r, "POST", mpath(&mw, "/withdraw"), w.drafter.token,
	    json_object());
	expect_error(&r, 409, "invalid_state");
	assert_int_equal(sign(&mw, &w.alice, &r), 409);
	expect_error(&r, 409, "invalid_state");
}

/* Return 1 if the ${len} bytes at ${p} contain the ${n} at ${needle}. */
static int
contains(const void *p, size_t len, const void *needle, size_t n)
{
	const uint8_t *s = p;
	size_t i;

	for (i = 0; n > 0 && i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return (1);
	return (0);
}

/* Return 1 if the file ${path} contains ${needle} (0 if it is missing). */
static int
file_contains(const char *path, const char *needle)
{
	FILE *f;
	char *buf;
	long len;
	int found;

	if ((f = fopen(path, "rb")) == NULL)
		return (0);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	assert_non_null(buf = malloc((size_t)len + 1));
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	found = contains(buf, (size_t)len, needle, strlen(needle));
	free(buf);
	return (found);
}

/*
 * Return the number of values in the tables of ${db} whose names contain
 * ${like} that contain the ${n} bytes at ${needle}; count the tables
 * searched in ${ntables}.
 */
static int
tables_contain(
    sqlite3 *db, const char *like, const void *needle, size_t n, int *ntables)
{
	sqlite3_stmt *t, *q;
	char sql[256];
	int found = 0, i;

	*ntables = 0;
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT name FROM sqlite_master WHERE type = "
			     "'table' AND name LIKE ?",
			     -1, &t, NULL),
	    SQLITE_OK);
	snprintf(sql, sizeof(sql), "%%%s%%", like);
	assert_int_equal(
	    sqlite3_bind_text(t, 1, sql, -1, SQLITE_TRANSIENT), SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW) {
		(*ntables)++;
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"",
		    (const char *)sqlite3_column_text(t, 0));
		assert_int_equal(
		    sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
		while (sqlite3_step(q) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(q); i++) {
				const void *v = sqlite3_column_blob(q, i);
				int len = sqlite3_column_bytes(q, i);

				if (v != NULL &&
				    contains(v, (size_t)len, needle, n))
					found++;
			}
		}
		sqlite3_finalize(q);
	}
	sqlite3_finalize(t);
	return (found);
}

static void
test_database_holds_no_signer_id_or_plaintext(void **state)
{
	uint8_t pk[32], sk[32], record[MEMO_RECORD_SEALED_BYTES];
	const struct member *signers[] = {&w.alice, &w.bob};
	struct memo_w mw;
	struct reply r;
	char path[600];
	sqlite3 *db;
	size_t i;
	int nt;

	(void)state;
	create_memo(&mw);
	invite(&mw, &w.drafter, &w.alice, "signer", NULL);
	invite(&mw, &w.drafter, &w.bob, "signer", NULL);
	open_memo(&mw);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	assert_int_equal(sign(&mw, &w.bob, NULL), 201);
	assert_int_equal(add_version(&mw, &w.drafter, NULL), 201);
	assert_int_equal(sign(&mw, &w.bob, NULL), 201);
	assert_int_equal(sign(&mw, &w.alice, NULL), 201);
	create_channel_key(pk, sk);
	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    submit_body(&mw, pk));
	expect(&r, 200);
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/signatures"), w.drafter.token, NULL);
	expect(&r, 200);
	unb64(record, sizeof(record),
	    str(json_array_get(json_object_get(r.json, "records"), 0),
		"record"));
	reply_free(&r);

	snprintf(path, sizeof(path), "%s/%s", w.dir, INSTANCE_DB_FILE);
	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_busy_timeout(db, 5000), SQLITE_OK);
	/* The search finds what is there: a sealed record. */
	assert_int_equal(
	    tables_contain(db, "signature", record, sizeof(record), &nt), 1);
	assert_true(nt >= 1);
	for (i = 0; i < 2; i++) {
		assert_int_equal(tables_contain(db, "signature", signers[i]->id,
				     strlen(signers[i]->id), &nt),
		    0);
		assert_int_equal(
		    tables_contain(db, "signature", signers[i]->handle,
			strlen(signers[i]->handle), &nt),
		    0);
	}
	assert_int_equal(
	    tables_contain(db, "version", MARKER, strlen(MARKER), &nt), 0);
	assert_true(nt >= 1);
	sqlite3_close(db);
	/* No plaintext anywhere in the files, WAL included. */
	assert_false(file_contains(path, MARKER));
	snprintf(path, sizeof(path), "%s/%s-wal", w.dir, INSTANCE_DB_FILE);
	assert_false(file_contains(path, MARKER));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_create_makes_a_draft_with_the_creator_as_drafter),
	    T(test_unrelated_member_gets_404_on_every_memo_route),
	    T(test_admin_is_refused_every_memo_route),
	    T(test_signer_cannot_act_as_a_drafter),
	    T(test_signers_see_counts_but_not_records_unless_shown),
	    T(test_new_version_makes_signatures_stale_until_resigned),
	    T(test_version_with_wrong_number_or_prev_hash_is_stale),
	    T(test_codrafter_edits_and_versions_are_content_addressed),
	    T(test_content_and_key_fetches_are_logged_before_the_reply),
	    T(test_open_twice_and_settings_after_submission_are_invalid_state),
	    T(test_signature_over_an_old_version_is_stale),
	    T(test_signature_time_far_from_the_server_clock_is_refused),
	    T(test_bad_signature_is_refused),
	    T(test_ineligible_members_cannot_sign_or_be_invited_to),
	    T(test_member_of_another_org_cannot_sign),
	    T(test_invitation_refusals),
	    T(test_signers_may_invite_when_allowed),
	    T(test_invitee_cannot_overwrite_a_drafter_s_grants),
	    T(test_reinvitation_never_replaces_a_grant),
	    T(test_invitee_becomes_codrafter_keeping_the_key_grant),
	    T(test_drafter_strikes_a_bad_record_before_submission),
	    T(test_record_tags_are_shown_to_drafters_only),
	    T(test_duplicate_signature_is_already_signed),
	    T(test_unsign_removes_the_signature_once),
	    T(test_invitations_list_what_awaits_a_signature),
	    T(test_marking_above_accreditation_is_refused),
	    T(test_unknown_topic_or_org_is_refused),
	    T(test_invalid_roster_key_is_refused),
	    T(test_names_cannot_be_shown_once_signed_under_a_count),
	    T(test_roster_grants_reach_invitees_once_names_are_shown),
	    T(test_roster_grants_are_for_drafters_only),
	    T(test_roster_grants_need_names_shown),
	    T(test_roster_grants_never_replace_a_grant),
	    T(test_roster_grants_go_to_invitees_only),
	    T(test_roster_grants_refused_after_submission_state),
	    T(test_bad_or_oversize_box_is_refused),
	    T(test_submit_without_channel_key_is_refused),
	    T(test_submit_with_a_stale_hash_is_refused),
	    T(test_submit_freezes_signatures_and_returns_a_verifiable_receipt),
	    T(test_coordinator_reaches_a_memo_once_submitted),
	    T(test_withdraw_ends_the_memo_with_a_receipt),
	    T(test_database_holds_no_signer_id_or_plaintext),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	jsonin_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
