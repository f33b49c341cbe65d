/*
 * Anonymous co-signatures end to end inside one process
 * (src/server/routes_anon.c, the snapshot pinned by routes_memos.c at open
 * and the freeze at submission): a real instance, members with real keys
 * from fixed seeds, ring signatures really made with ring.h, posted
 * without a session, and every refusal of docs/API.md ("Anonymous
 * signatures").  One instance serves every test; each test works on
 * memos of its own.
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

#include <arpa/inet.h>
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
#include "ring.h"
#include "server.h"
#include "store.h"

/* Eligible members with fixed keys, and the ring maximum configured. */
#define NPOOL 64
#define RING_MAX_TEST 60

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
	uint64_t tree_size; /* of the ring snapshot, once open */
};

/* What a signer's client keeps of an anonymous signature. */
struct anon {
	uint8_t ring[RING_MAX_TEST + 2][RING_PK_BYTES];
	size_t n, pos;
	uint32_t version;
	uint8_t vh[MEMO_HASH_BYTES];
	uint8_t sig[RING_SIG_BYTES(RING_MAX_TEST + 2)];
	size_t siglen;
	uint8_t tag[RING_TAG_BYTES];
};

/*
 * The instance: orgs state, usaid and other; the admin; a drafter and a
 * coordinator (state); NPOOL eligible members (state, the last eight of
 * usaid) that only ever sign anonymously; an ineligible member (state) and
 * a member of "other", which no memo here is open to.
 */
struct world {
	char dir[512];
	struct config cfg;
	struct server *sv;
	char admin_token[ACCOUNT_TOKEN_LEN + 1];
	struct member drafter, coord, ineligible, outsider;
	struct member pool[NPOOL];
	uint8_t channel_pk[crypto_box_PUBLICKEYBYTES];
	unsigned int seeds;
};

static struct world w;

/* base64url of ${n} bytes (static rotating buffers). */
static const char *
b64(const uint8_t *p, size_t n)
{
	static char bufs[24]
			[B64_ENCODED_LEN(RING_SIG_BYTES(RING_MAX_TEST + 2))];
	static int next;
	char *out = bufs[next++ % 24];

	assert_int_equal(b64_encode(out, sizeof(bufs[0]), p, n), 0);
	return (out);
}

static void
unb64(uint8_t *out, size_t n, const char *s)
{

	assert_non_null(s);
	assert_int_equal(b64_decode_exact(out, n, s), 0);
}

/*
 * Hand one request to the dispatcher with the session ${token} sent as
 * ${auth} (HTTP_AUTH_NONE: none) from the IPv4 peer 192.0.2.7; ${body} is
 * stolen (may be NULL).  The request's peer address after the reply goes
 * to ${family} if not NULL.
 */
static void
request(struct reply *r, const char *method, const char *path,
    enum http_auth_source auth, const char *token, json_t *body, int *family)
{
	struct sockaddr_in *sin;
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
	req.auth_source = auth;
	if (token != NULL)
		snprintf(req.token, sizeof(req.token), "%s", token);
	sin = (struct sockaddr_in *)&req.addr;
	sin->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, "192.0.2.7", &sin->sin_addr), 1);
	server_handle(w.sv, &req);
	r->status = req.status;
	if (family != NULL)
		*family = req.addr.ss_family;
	if ((rb = http_reply_body(&req, &len)) != NULL)
		assert_non_null(r->json = json_loadb(rb, len, 0, NULL));
	http_request_clear(&req);
}

/* A request with ${token} as a bearer token (NULL: no session). */
static void
call(struct reply *r, const char *method, const char *path, const char *token,
    json_t *body)
{

	request(r, method, path,
	    token != NULL ? HTTP_AUTH_BEARER : HTTP_AUTH_NONE, token, body,
	    NULL);
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
	if (strcmp(json_string_value(c), code) != 0)
		fprintf(stderr, "expected %s, got %s\n", code,
		    json_string_value(c));
	assert_string_equal(json_string_value(c), code);
	reply_free(r);
}

/* Expect ${status}; keep the reply. */
static void
expect(struct reply *r, unsigned int status)
{
	char *text;

	if (r->status != status) {
		text = r->json != NULL ? json_dumps(r->json, 0) : NULL;
		fprintf(stderr, "expected %u, got %u: %s\n", status, r->status,
		    text != NULL ? text : "");
		free(text);
	}
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

	snprintf(out, sizeof(bufs[0]), "/api/v1/memos/%s%s", mw->id, rest);
	return (out);
}

/* The next fixed key seed. */
static void
next_seed(uint8_t seed[KEYS_SEED_BYTES])
{

	memset(seed, 0xa7, KEYS_SEED_BYTES);
	w.seeds++;
	seed[0] = (uint8_t)(w.seeds & 0xff);
	seed[1] = (uint8_t)(w.seeds >> 8);
}

/* Enroll ${m} (id and handle set) with ${code}; log it in if ${login}. */
static void
enroll(struct member *m, const char *code, int login)
{
	uint8_t salt[CUSTODY_SALT_BYTES], wrapped[CUSTODY_WRAPPED_BYTES];
	struct keys_pop pop;
	struct reply r;

	next_seed(m->seed);
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
	if (!login)
		return;
	call(&r, "POST", "/api/v1/auth/login", NULL,
	    json_pack("{s:s,s:s}", "handle", m->handle, "auth_key",
		b64(m->auth_key, CUSTODY_KEY_BYTES)));
	expect(&r, 200);
	snprintf(m->token, sizeof(m->token), "%s", str(r.json, "token"));
	reply_free(&r);
}

/* As the admin, create and enroll a member of ${org}. */
static void
new_member(struct member *m, const char *handle, const char *org,
    const char *roles_json, int eligible, int login)
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
	enroll(m, code, login);
}

/* A sealed grant of ${key} for ${purpose} to ${box_pk}, as text. */
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

static int
setup(void **state)
{
	struct instance_init_args a;
	const char *tmp = getenv("TMPDIR");
	char code[ACCOUNT_CODE_LEN + 1], err[256], handle[32];
	uint8_t sk[crypto_box_SECRETKEYBYTES];
	struct member admin;
	struct reply r;
	int64_t exp;
	size_t len, i;

	(void)state;
	memset(&w, 0, sizeof(w));
	snprintf(w.dir, sizeof(w.dir), "%s/test_srv_anon.XXXXXX",
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
	w.cfg.ring_max = RING_MAX_TEST;
	w.cfg.ring_min_warn = 5;
	log_set_level(w.cfg.log_level);
	if (server_new(&w.sv, &w.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "server: %s\n", err);
		return (-1);
	}

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
	enroll(&admin, code, 1);
	memcpy(w.admin_token, admin.token, sizeof(w.admin_token));
	keys_wipe(&admin.ks);
	for (i = 0; i < 2; i++) {
		call(&r, "POST", "/api/v1/orgs", w.admin_token,
		    json_pack("{s:s,s:s}", "id", i == 0 ? "usaid" : "other",
			"name", i == 0 ? "USAID" : "Other"));
		if (r.status != 201)
			return (-1);
		reply_free(&r);
	}

	new_member(&w.drafter, "drafter", "state", "[\"member\"]", 1, 1);
	new_member(
	    &w.coord, "coord", "state", "[\"member\",\"coordinator\"]", 1, 1);
	new_member(&w.ineligible, "ineligible", "state", "[\"member\"]", 0, 0);
	new_member(&w.outsider, "outsider", "other", "[\"member\"]", 1, 0);
	for (i = 0; i < NPOOL; i++) {
		snprintf(handle, sizeof(handle), "pool%zu", i);
		new_member(&w.pool[i], handle,
		    i < NPOOL - 8 ? "state" : "usaid", "[\"member\"]", 1, 0);
	}

	/* The channel's key, made by the coordinator's client. */
	crypto_box_keypair(w.channel_pk, sk);
	call(&r, "POST", "/api/v1/channel/key", w.coord.token,
	    json_pack("{s:s,s:s}", "pk",
		b64(w.channel_pk, crypto_box_PUBLICKEYBYTES), "grant",
		sealed(sk, "channel-key", "instance", w.coord.ks.pub.box_pk)));
	sodium_memzero(sk, sizeof(sk));
	if (r.status != 201)
		return (-1);
	reply_free(&r);
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

/*
 * Make version ${version} of ${mw}, encrypted under the memo key; update
 * the hashes in ${mw} and return the box's base64url (free()).
 */
static char *
make_version(struct memo_w *mw, uint32_t version)
{
	struct memo_content c;
	uint8_t *enc, *box;
	size_t enclen, boxlen, cap;
	char *text;

	memset(&c, 0, sizeof(c));
	c.title = (char *)"A dissent";
	c.summary = (char *)"";
	c.body = (char *)"The body of the memo.";
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

/* The drafter creates memo ${mw} for State and USAID, in draft. */
static void
create_memo(struct memo_w *mw)
{
	const struct member *m = &w.drafter;
	struct reply r;
	char *box;

	memset(mw, 0, sizeof(*mw));
	memo_id_new(mw->id);
	randombytes_buf(mw->key, sizeof(mw->key));
	memo_roster_keypair(mw->roster_pk, mw->roster_sk);
	box = make_version(mw, 1);
	call(&r, "POST", "/api/v1/memos", m->token,
	    json_pack("{s:s,s:s,s:s,s:[s,s],s:s,s:b,s:{s:s,s:s},s:{s:s,s:s}}",
		"id", mw->id, "topic", "policy", "marking", "SBU",
		"eligible_orgs", "state", "usaid", "roster_pk",
		b64(mw->roster_pk, sizeof(mw->roster_pk)), "signers_may_invite",
		0, "version", "hash", b64(mw->hash, sizeof(mw->hash)), "box",
		box, "grants", "key",
		sealed(mw->key, MEMO_GRANT_KEY, mw->id, m->ks.pub.box_pk),
		"roster",
		sealed(mw->roster_sk, MEMO_GRANT_ROSTER, mw->id,
		    m->ks.pub.box_pk)));
	free(box);
	expect(&r, 201);
	reply_free(&r);
}

/* Open ${mw}; learn its snapshot's tree size from GET ring. */
static void
open_memo(struct memo_w *mw)
{
	struct reply r;

	call(&r, "POST", mpath(mw, "/open"), w.drafter.token, json_object());
	expect(&r, 200);
	reply_free(&r);
	call(&r, "GET", mpath(mw, "/ring"), w.drafter.token, NULL);
	expect(&r, 200);
	mw->tree_size = (uint64_t)num(r.json, "tree_size");
	reply_free(&r);
}

/* A new memo, open. */
static void
open_new_memo(struct memo_w *mw)
{

	create_memo(mw);
	open_memo(mw);
}

/* The drafter adds the next version of ${mw}. */
static void
add_version(struct memo_w *mw)
{
	struct reply r;
	char *box;

	box = make_version(mw, mw->version + 1);
	call(&r, "POST", mpath(mw, "/versions"), w.drafter.token,
	    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "version",
		(json_int_t)mw->version, "prev_hash",
		b64(mw->prev, sizeof(mw->prev)), "hash",
		b64(mw->hash, sizeof(mw->hash)), "box", box, "topic", "policy",
		"marking", "SBU"));
	free(box);
	expect(&r, 201);
	reply_free(&r);
}

/*
 * The ring of ${k} pool members that pool member ${signer} signs with: the
 * signer and the ${k} - 1 that follow it, sorted by key, into ${a}.
 */
static void
choose_ring(struct anon *a, size_t signer, size_t k)
{
	uint8_t t[RING_PK_BYTES];
	size_t i, j;

	assert_true(k <= RING_MAX_TEST + 2 && k <= NPOOL);
	memset(a, 0, sizeof(*a));
	for (i = 0; i < k; i++)
		memcpy(a->ring[i], w.pool[(signer + i) % NPOOL].ks.pub.ring_pk,
		    RING_PK_BYTES);
	/* Insertion sort; the signer's key moves with it. */
	for (i = 1; i < k; i++) {
		for (j = i; j > 0 && memcmp(a->ring[j - 1], a->ring[j],
					 RING_PK_BYTES) > 0;
		     j--) {
			memcpy(t, a->ring[j], RING_PK_BYTES);
			memcpy(a->ring[j], a->ring[j - 1], RING_PK_BYTES);
			memcpy(a->ring[j - 1], t, RING_PK_BYTES);
		}
	}
	a->n = k;
	for (i = 0; i < k; i++)
		if (memcmp(a->ring[i], w.pool[signer].ks.pub.ring_pk,
			RING_PK_BYTES) == 0)
			a->pos = i;
}

/*
 * Pool member ${signer} signs ${binding} on the memo ${memo_id} with ${a}'s
 * ring at ${tree_size}.
 */
static void
ring_sign_as(struct anon *a, size_t signer, const char *memo_id,
    const uint8_t binding[RING_BINDING_BYTES], uint64_t tree_size)
{
	size_t n;

	a->siglen = RING_SIG_BYTES(a->n);
	assert_int_equal(
	    ring_sign(a->sig, a->siglen,
		(const uint8_t(*)[RING_PK_BYTES])a->ring, a->n, a->pos,
		w.pool[signer].ks.ring_sk, memo_id, binding, tree_size),
	    0);
	assert_int_equal(
	    ring_sig_parse(a->sig, a->siglen, RING_N_LIMIT, &n, a->tag), 0);
}

/* Pool member ${signer}'s signature of ${mw}'s current version, ring ${k}. */
static void
anon_sign(struct anon *a, const struct memo_w *mw, size_t signer, size_t k)
{
	uint8_t binding[RING_BINDING_BYTES];

	choose_ring(a, signer, k);
	a->version = mw->version;
	memcpy(a->vh, mw->hash, sizeof(a->vh));
	ring_binding_version(binding, mw->hash);
	ring_sign_as(a, signer, mw->id, binding, mw->tree_size);
}

/* The JSON array of ${a}'s ring. */
static json_t *
ring_json(const struct anon *a)
{
	json_t *arr;
	size_t i;

	assert_non_null(arr = json_array());
	for (i = 0; i < a->n; i++)
		assert_int_equal(
		    json_array_append_new(
			arr, json_string(b64(a->ring[i], RING_PK_BYTES))),
		    0);
	return (arr);
}

/* The body of POST anonymous-signatures for ${a}. */
static json_t *
anon_body(const struct anon *a)
{
	/* The ring first: it goes through every b64() buffer. */
	json_t *ring = ring_json(a);

	return (json_pack("{s:I,s:s,s:o,s:s}", "version",
	    (json_int_t)a->version, "version_hash", b64(a->vh, sizeof(a->vh)),
	    "ring", ring, "signature", b64(a->sig, a->siglen)));
}

/* The body of POST anonymous-signatures/withdraw for ${wd}. */
static json_t *
withdrawal_json(const struct anon *wd)
{
	json_t *ring = ring_json(wd);

	return (json_pack(
	    "{s:o,s:s}", "ring", ring, "signature", b64(wd->sig, wd->siglen)));
}

/* POST ${body} to ${mw}'s anonymous signatures without a session. */
static unsigned int
post_anon(const struct memo_w *mw, json_t *body, struct reply *out)
{
	struct reply r;
	unsigned int status;

	call(&r, "POST", mpath(mw, "/anonymous-signatures"), NULL, body);
	status = r.status;
	if (out != NULL)
		*out = r;
	else
		reply_free(&r);
	return (status);
}

/*
 * Pool member ${signer}'s withdrawal of its signature ${a} on ${mw}, over
 * ${a}'s ring; the withdrawal into ${wd}.
 */
static json_t *
withdraw_body(struct anon *wd, const struct anon *a, const struct memo_w *mw,
    size_t signer)
{
	uint8_t binding[RING_BINDING_BYTES];

	*wd = *a;
	assert_int_equal(
	    ring_binding_withdrawal(binding, a->vh, a->sig, a->siglen), 0);
	ring_sign_as(wd, signer, mw->id, binding, mw->tree_size);
	return (withdrawal_json(wd));
}

/* POST a withdrawal body to ${mw} without a session; the status. */
static unsigned int
post_withdraw(const struct memo_w *mw, json_t *body, struct reply *out)
{
	struct reply r;
	unsigned int status;

	call(&r, "POST", mpath(mw, "/anonymous-signatures/withdraw"), NULL,
	    body);
	status = r.status;
	if (out != NULL)
		*out = r;
	else
		reply_free(&r);
	return (status);
}

/* Expect ${mw}'s anonymous counts as the drafter sees them. */
static void
expect_anon_counts(
    const struct memo_w *mw, json_int_t current, json_int_t stale)
{
	struct reply r;
	json_t *c;

	call(&r, "GET", mpath(mw, ""), w.drafter.token, NULL);
	expect(&r, 200);
	c = json_object_get(json_object_get(r.json, "memo"), "counts");
	assert_int_equal(num(c, "anonymous"), current);
	assert_int_equal(num(c, "anonymous_stale"), stale);
	reply_free(&r);
}

/* The drafter's GET anonymous-signatures of ${mw} (free the reply). */
static json_t *
list_anon(const struct memo_w *mw, struct reply *r)
{

	call(r, "GET", mpath(mw, "/anonymous-signatures"), w.drafter.token,
	    NULL);
	expect(r, 200);
	assert_true(json_is_null(json_object_get(r->json, "next")));
	return (json_object_get(r->json, "signatures"));
}

/* Re-verify the listed signature ${e} of ${mw} as an auditor would. */
static void
reverify(const struct memo_w *mw, json_t *e, uint64_t tree_size)
{
	uint8_t ring[RING_MAX_TEST + 2][RING_PK_BYTES], vh[MEMO_HASH_BYTES];
	uint8_t sig[RING_SIG_BYTES(RING_MAX_TEST + 2)], tag[RING_TAG_BYTES];
	uint8_t want[RING_TAG_BYTES], binding[RING_BINDING_BYTES];
	json_t *arr = json_object_get(e, "ring");
	size_t n, i, k;

	n = json_array_size(arr);
	assert_true(n >= RING_MIN && n <= RING_MAX_TEST);
	for (i = 0; i < n; i++)
		unb64(ring[i], RING_PK_BYTES,
		    json_string_value(json_array_get(arr, i)));
	unb64(vh, sizeof(vh), str(e, "version_hash"));
	unb64(sig, RING_SIG_BYTES(n), str(e, "signature"));
	unb64(want, sizeof(want), str(e, "tag"));
	assert_int_equal(
	    ring_sig_parse(sig, RING_SIG_BYTES(n), RING_MAX_TEST, &k, tag), 0);
	assert_int_equal(k, n);
	assert_memory_equal(tag, want, sizeof(tag));
	ring_binding_version(binding, vh);
	assert_int_equal(ring_verify(sig, RING_SIG_BYTES(n),
			     (const uint8_t(*)[RING_PK_BYTES])ring, n,
			     RING_MAX_TEST, mw->id, binding, tree_size, NULL),
	    0);
}

static void
test_round_trip_at_ring_sizes_2_10_60(void **state)
{
	static const size_t sizes[] = {2, 10, 60};
	uint8_t tag[RING_TAG_BYTES], prev[RING_TAG_BYTES];
	struct memo_w mw;
	struct anon a;
	struct reply r;
	json_t *sigs, *e;
	size_t i, j, found;

	(void)state;
	open_new_memo(&mw);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		anon_sign(&a, &mw, 3 + 7 * i, sizes[i]);
		post_anon(&mw, anon_body(&a), &r);
		expect(&r, 201);
		/* The reply names the tag: the signer's own for this memo. */
		assert_int_equal(
		    ring_tag(tag, w.pool[3 + 7 * i].ks.ring_sk, mw.id), 0);
		assert_string_equal(str(r.json, "tag"), b64(tag, sizeof(tag)));
		assert_int_equal(
		    num(json_object_get(r.json, "counts"), "anonymous"),
		    (json_int_t)i + 1);
		reply_free(&r);
	}
	expect_anon_counts(&mw, 3, 0);
	sigs = list_anon(&mw, &r);
	assert_int_equal(num(r.json, "tree_size"), (json_int_t)mw.tree_size);
	assert_int_equal(json_array_size(sigs), 3);
	for (j = found = 0; j < 3; j++) {
		e = json_array_get(sigs, j);
		assert_int_equal(num(e, "version"), 1);
		reverify(&mw, e, mw.tree_size);
		for (i = 0; i < 3; i++)
			if (json_array_size(json_object_get(e, "ring")) ==
			    sizes[i])
				found++;
		/* Ordered by tag bytes. */
		unb64(tag, sizeof(tag), str(e, "tag"));
		if (j > 0)
			assert_true(memcmp(prev, tag, sizeof(tag)) < 0);
		memcpy(prev, tag, sizeof(prev));
	}
	assert_int_equal(found, 3);
	reply_free(&r);
}

static void
test_ring_snapshot_lists_the_eligible_members_by_key(void **state)
{
	uint8_t prev[RING_PK_BYTES], cur[RING_PK_BYTES];
	struct memo_w mw;
	struct reply r;
	json_t *ms, *e;
	size_t i, j, pool = 0;

	(void)state;
	/* No snapshot before the memo is opened. */
	create_memo(&mw);
	call(&r, "GET", mpath(&mw, "/ring"), w.drafter.token, NULL);
	expect_error(&r, 409, "no_ring");
	open_memo(&mw);
	call(&r, "GET", mpath(&mw, "/ring"), w.drafter.token, NULL);
	expect(&r, 200);
	assert_int_equal(num(r.json, "max"), RING_MAX_TEST);
	assert_int_equal(num(r.json, "min_warn"), 5);
	assert_true(num(r.json, "tree_size") > 0);
	ms = json_object_get(r.json, "members");
	for (i = 0; i < json_array_size(ms); i++) {
		e = json_array_get(ms, i);
		unb64(cur, sizeof(cur), str(e, "ring_pk"));
		if (i > 0)
			assert_true(memcmp(prev, cur, sizeof(cur)) < 0);
		memcpy(prev, cur, sizeof(prev));
		assert_int_equal(num(e, "epoch"), 1);
		assert_string_not_equal(str(e, "member"), w.ineligible.id);
		assert_string_not_equal(str(e, "member"), w.outsider.id);
		for (j = 0; j < NPOOL; j++) {
			if (strcmp(str(e, "member"), w.pool[j].id) != 0)
				continue;
			pool++;
			assert_string_equal(str(e, "sign_pk"),
			    b64(w.pool[j].ks.pub.sign_pk, KEYS_SIGN_PK_BYTES));
			assert_string_equal(str(e, "box_pk"),
			    b64(w.pool[j].ks.pub.box_pk, KEYS_BOX_PK_BYTES));
			assert_memory_equal(
			    cur, w.pool[j].ks.pub.ring_pk, RING_PK_BYTES);
		}
	}
	/* Every pool member, both organisations, and the drafter. */
	assert_int_equal(pool, NPOOL);
	assert_true(json_array_size(ms) >= NPOOL + 2);
	reply_free(&r);
}

static void
test_identified_request_is_refused(void **state)
{
	static const enum http_auth_source ways[] = {
	    HTTP_AUTH_BEARER, HTTP_AUTH_COOKIE, HTTP_AUTH_MALFORMED};
	struct memo_w mw;
	struct anon a, wd;
	struct reply r;
	size_t i;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 1, 4);
	for (i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		request(&r, "POST", mpath(&mw, "/anonymous-signatures"),
		    ways[i], w.drafter.token, anon_body(&a), NULL);
		expect_error(&r, 400, "identified_request");
		request(&r, "POST",
		    mpath(&mw, "/anonymous-signatures/withdraw"), ways[i],
		    w.drafter.token, withdraw_body(&wd, &a, &mw, 1), NULL);
		expect_error(&r, 400, "identified_request");
	}
	/* Nothing was stored; without a session it goes through. */
	expect_anon_counts(&mw, 0, 0);
	assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);
}

static void
test_the_peer_address_is_forgotten(void **state)
{
	struct memo_w mw;
	struct anon a, wd;
	struct reply r;
	int family = -1;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 2, 3);
	request(&r, "POST", mpath(&mw, "/anonymous-signatures"), HTTP_AUTH_NONE,
	    NULL, anon_body(&a), &family);
	expect(&r, 201);
	reply_free(&r);
	/* The log line that follows the reply has no address to name. */
	assert_int_equal(family, 0);
	family = -1;
	request(&r, "POST", mpath(&mw, "/anonymous-signatures/withdraw"),
	    HTTP_AUTH_NONE, NULL, withdraw_body(&wd, &a, &mw, 2), &family);
	expect(&r, 200);
	reply_free(&r);
	assert_int_equal(family, 0);
	/* Other routes keep it (the control). */
	family = -1;
	request(
	    &r, "GET", "/api/v1/health", HTTP_AUTH_NONE, NULL, NULL, &family);
	expect(&r, 200);
	reply_free(&r);
	assert_int_equal(family, AF_INET);
}

static void
test_unknown_memo_is_not_found(void **state)
{
	struct memo_w mw, ghost;
	struct anon a, wd;
	struct reply r;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 5, 2);
	ghost = mw;
	memo_id_new(ghost.id);
	assert_int_equal(post_anon(&ghost, anon_body(&a), &r), 404);
	expect_error(&r, 404, "not_found");
	assert_int_equal(
	    post_withdraw(&ghost, withdraw_body(&wd, &a, &mw, 5), &r), 404);
	expect_error(&r, 404, "not_found");
	snprintf(ghost.id, sizeof(ghost.id), "not-a-memo");
	assert_int_equal(post_anon(&ghost, anon_body(&a), &r), 404);
	expect_error(&r, 404, "not_found");
}

static void
test_memo_that_is_not_open_is_invalid_state(void **state)
{
	struct memo_w mw;
	struct anon a;
	struct reply r;

	(void)state;
	/* A draft has no snapshot and takes no anonymous signature. */
	create_memo(&mw);
	mw.tree_size = 1;
	anon_sign(&a, &mw, 6, 2);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 409);
	expect_error(&r, 409, "invalid_state");
}

static void
test_memo_without_a_snapshot_is_no_ring(void **state)
{
	struct memo_w mw;
	struct anon a, wd;
	struct reply r;
	char path[600], sql[256];
	sqlite3 *db;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 7, 2);
	/* As a memo opened before snapshots existed. */
	snprintf(path, sizeof(path), "%s/%s", w.dir, INSTANCE_DB_FILE);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_busy_timeout(db, 5000), SQLITE_OK);
	snprintf(sql, sizeof(sql),
	    "DELETE FROM memo_ring_members WHERE memo_id = '%s'; "
	    "UPDATE memos SET ring_tree_size = NULL WHERE id = '%s';",
	    mw.id, mw.id);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);

	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 409);
	expect_error(&r, 409, "no_ring");
	assert_int_equal(
	    post_withdraw(&mw, withdraw_body(&wd, &a, &mw, 7), &r), 409);
	expect_error(&r, 409, "no_ring");
	call(&r, "GET", mpath(&mw, "/ring"), w.drafter.token, NULL);
	expect_error(&r, 409, "no_ring");
	/* The list says so too, and is empty. */
	call(&r, "GET", mpath(&mw, "/anonymous-signatures"), w.drafter.token,
	    NULL);
	expect(&r, 200);
	assert_true(json_is_null(json_object_get(r.json, "tree_size")));
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "signatures")), 0);
	reply_free(&r);
}

static void
test_stale_version_is_refused(void **state)
{
	struct memo_w mw;
	struct anon a;
	struct reply r;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 8, 3);
	a.version = 2;
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 409);
	expect_error(&r, 409, "stale_version");
	a.version = 1;
	a.vh[0] ^= 1;
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 409);
	expect_error(&r, 409, "stale_version");
	/* A signature over version 1 once version 2 is current. */
	anon_sign(&a, &mw, 8, 3);
	add_version(&mw);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 409);
	expect_error(&r, 409, "stale_version");
	expect_anon_counts(&mw, 0, 0);
}

/* Swap ring keys ${i} and ${j} of ${a}. */
static void
swap_keys(struct anon *a, size_t i, size_t j)
{
	uint8_t t[RING_PK_BYTES];

	memcpy(t, a->ring[i], RING_PK_BYTES);
	memcpy(a->ring[i], a->ring[j], RING_PK_BYTES);
	memcpy(a->ring[j], t, RING_PK_BYTES);
}

static void
test_rings_that_are_not_the_memos_are_refused(void **state)
{
	struct memo_w mw;
	struct anon a;
	struct reply r;
	uint8_t binding[RING_BINDING_BYTES];
	struct keys_secret stranger;
	uint8_t seed[KEYS_SEED_BYTES];

	(void)state;
	open_new_memo(&mw);

	/* Too small: one key (a valid signature cannot even be made). */
	anon_sign(&a, &mw, 9, 2);
	a.n = 1;
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "ring_not_eligible");
	/* Too large: one over the configured maximum, validly signed. */
	anon_sign(&a, &mw, 9, RING_MAX_TEST + 1);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "ring_not_eligible");
	/* Unsorted (signed over that order), and a repeated key. */
	anon_sign(&a, &mw, 9, 4);
	swap_keys(&a, 0, 3);
	a.pos = a.pos == 0 ? 3 : a.pos == 3 ? 0 : a.pos;
	ring_binding_version(binding, mw.hash);
	ring_sign_as(&a, 9, mw.id, binding, mw.tree_size);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "ring_not_eligible");
	anon_sign(&a, &mw, 9, 4);
	memcpy(a.ring[a.pos == 0 ? 1 : 0], a.ring[a.pos == 0 ? 2 : a.pos],
	    RING_PK_BYTES);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "ring_not_eligible");

	/* A key of nobody in the directory, validly signed by its holder. */
	next_seed(seed);
	assert_int_equal(keys_derive(&stranger, seed), 0);
	anon_sign(&a, &mw, 9, 2);
	memcpy(a.ring[a.pos == 0 ? 1 : 0], stranger.pub.ring_pk, RING_PK_BYTES);
	if (memcmp(a.ring[0], a.ring[1], RING_PK_BYTES) > 0)
		swap_keys(&a, 0, 1);
	a.pos = memcmp(a.ring[0], w.pool[9].ks.pub.ring_pk, RING_PK_BYTES) == 0
		    ? 0
		    : 1;
	ring_sign_as(&a, 9, mw.id, binding, mw.tree_size);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "ring_not_eligible");
	keys_wipe(&stranger);

	/* Members not eligible for the memo: ineligible, another org. */
	anon_sign(&a, &mw, 9, 2);
	memcpy(a.ring[a.pos == 0 ? 1 : 0], w.ineligible.ks.pub.ring_pk,
	    RING_PK_BYTES);
	if (memcmp(a.ring[0], a.ring[1], RING_PK_BYTES) > 0)
		swap_keys(&a, 0, 1);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "ring_not_eligible");
	anon_sign(&a, &mw, 9, 2);
	memcpy(a.ring[a.pos == 0 ? 1 : 0], w.outsider.ks.pub.ring_pk,
	    RING_PK_BYTES);
	if (memcmp(a.ring[0], a.ring[1], RING_PK_BYTES) > 0)
		swap_keys(&a, 0, 1);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "ring_not_eligible");
	/* An item that is not a key's base64url is the body's error. */
	anon_sign(&a, &mw, 9, 2);
	{
		json_t *b = anon_body(&a);

		json_array_set_new(
		    json_object_get(b, "ring"), 0, json_string("AAAA"));
		assert_int_equal(post_anon(&mw, b, &r), 400);
		expect_error(&r, 400, "invalid_field");
	}
	expect_anon_counts(&mw, 0, 0);
}

static void
test_bad_signatures_are_refused(void **state)
{
	uint8_t binding[RING_BINDING_BYTES], other[MEMO_HASH_BYTES];
	struct memo_w mw;
	struct anon a;
	struct reply r;
	json_t *b;

	(void)state;
	open_new_memo(&mw);
	/* One bit changed. */
	anon_sign(&a, &mw, 10, 5);
	a.sig[40] ^= 1;
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "bad_signature");
	/* A signature for a ring of another size. */
	anon_sign(&a, &mw, 10, 5);
	b = anon_body(&a);
	a.siglen = RING_SIG_BYTES(4);
	json_object_set_new(b, "signature", json_string(b64(a.sig, a.siglen)));
	assert_int_equal(post_anon(&mw, b, &r), 400);
	expect_error(&r, 400, "bad_signature");
	/* Not base64url. */
	b = anon_body(&a);
	json_object_set_new(b, "signature", json_string("!!"));
	assert_int_equal(post_anon(&mw, b, &r), 400);
	expect_error(&r, 400, "bad_signature");
	/* Over another version hash, or another tree size. */
	choose_ring(&a, 10, 5);
	a.version = mw.version;
	memcpy(a.vh, mw.hash, sizeof(a.vh));
	memset(other, 0x5a, sizeof(other));
	ring_binding_version(binding, other);
	ring_sign_as(&a, 10, mw.id, binding, mw.tree_size);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "bad_signature");
	ring_binding_version(binding, mw.hash);
	ring_sign_as(&a, 10, mw.id, binding, mw.tree_size - 1);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "bad_signature");
	/* A withdrawal binding is no signature on a version. */
	assert_int_equal(
	    ring_binding_withdrawal(binding, mw.hash, a.sig, a.siglen), 0);
	ring_sign_as(&a, 10, mw.id, binding, mw.tree_size);
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 400);
	expect_error(&r, 400, "bad_signature");
	expect_anon_counts(&mw, 0, 0);
}

static void
test_signature_replayed_to_another_memo_is_refused(void **state)
{
	uint8_t ta[RING_TAG_BYTES], tb[RING_TAG_BYTES];
	struct memo_w ma, mb;
	struct anon a, b;
	struct reply r;

	(void)state;
	open_new_memo(&ma);
	open_new_memo(&mb);
	anon_sign(&a, &ma, 11, 6);
	assert_int_equal(post_anon(&ma, anon_body(&a), NULL), 201);
	/* Naming B's version does not make A's signature B's. */
	a.version = mb.version;
	memcpy(a.vh, mb.hash, sizeof(a.vh));
	assert_int_equal(post_anon(&mb, anon_body(&a), &r), 400);
	expect_error(&r, 400, "bad_signature");
	/* The same member signs B itself: another, unrelated tag. */
	anon_sign(&b, &mb, 11, 6);
	assert_int_equal(post_anon(&mb, anon_body(&b), NULL), 201);
	assert_int_equal(ring_tag(ta, w.pool[11].ks.ring_sk, ma.id), 0);
	assert_int_equal(ring_tag(tb, w.pool[11].ks.ring_sk, mb.id), 0);
	assert_memory_equal(ta, a.tag, sizeof(ta));
	assert_memory_equal(tb, b.tag, sizeof(tb));
	assert_memory_not_equal(ta, tb, sizeof(ta));
}

static void
test_same_tag_twice_on_the_current_version_is_already_signed(void **state)
{
	struct memo_w mw;
	struct anon a, b;
	struct reply r;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 12, 4);
	assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);
	/* Again, on another ring: the tag is the same. */
	anon_sign(&b, &mw, 12, 7);
	assert_memory_equal(a.tag, b.tag, sizeof(a.tag));
	assert_int_equal(post_anon(&mw, anon_body(&b), &r), 409);
	expect_error(&r, 409, "already_signed");
	assert_int_equal(post_anon(&mw, anon_body(&a), &r), 409);
	expect_error(&r, 409, "already_signed");
	expect_anon_counts(&mw, 1, 0);
}

static void
test_resigning_after_an_edit_replaces_the_signature(void **state)
{
	struct memo_w mw;
	struct anon a, b;
	struct reply r;
	json_t *sigs;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 13, 5);
	assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);
	anon_sign(&b, &mw, 14, 5);
	assert_int_equal(post_anon(&mw, anon_body(&b), NULL), 201);
	expect_anon_counts(&mw, 2, 0);
	add_version(&mw);
	expect_anon_counts(&mw, 0, 2);
	/* The same member, the same ring, the new version. */
	anon_sign(&a, &mw, 13, 5);
	assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);
	expect_anon_counts(&mw, 1, 1);
	sigs = list_anon(&mw, &r);
	assert_int_equal(json_array_size(sigs), 2);
	assert_int_equal(num(json_array_get(sigs, 0), "version") +
			     num(json_array_get(sigs, 1), "version"),
	    3);
	reply_free(&r);
}

static void
test_withdrawal_needs_the_same_ring_and_tag(void **state)
{
	uint8_t binding[RING_BINDING_BYTES];
	struct memo_w mw;
	struct anon a, b, c, wd;
	struct reply r;
	json_t *body;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 15, 6);
	assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);
	anon_sign(&b, &mw, 16, 6);
	assert_int_equal(post_anon(&mw, anon_body(&b), NULL), 201);

	/* The right withdrawal, made over another ring. */
	choose_ring(&wd, 15, 8);
	assert_int_equal(
	    ring_binding_withdrawal(binding, a.vh, a.sig, a.siglen), 0);
	ring_sign_as(&wd, 15, mw.id, binding, mw.tree_size);
	body = withdrawal_json(&wd);
	assert_int_equal(post_withdraw(&mw, body, &r), 400);
	expect_error(&r, 400, "bad_signature");
	/* A's withdrawal, over A's ring, naming B's signature. */
	wd = a;
	assert_int_equal(
	    ring_binding_withdrawal(binding, b.vh, b.sig, b.siglen), 0);
	ring_sign_as(&wd, 15, mw.id, binding, mw.tree_size);
	body = withdrawal_json(&wd);
	assert_int_equal(post_withdraw(&mw, body, &r), 400);
	expect_error(&r, 400, "bad_signature");
	/* A tag with no signature at all. */
	anon_sign(&c, &mw, 17, 6);
	assert_int_equal(
	    post_withdraw(&mw, withdraw_body(&wd, &c, &mw, 17), &r), 404);
	expect_error(&r, 404, "not_found");
	/* A signature on the version is no withdrawal. */
	body = withdrawal_json(&a);
	assert_int_equal(post_withdraw(&mw, body, &r), 400);
	expect_error(&r, 400, "bad_signature");
	expect_anon_counts(&mw, 2, 0);

	/* The withdrawal: the count drops, once. */
	assert_int_equal(
	    post_withdraw(&mw, withdraw_body(&wd, &a, &mw, 15), &r), 200);
	assert_int_equal(
	    num(json_object_get(r.json, "counts"), "anonymous"), 1);
	reply_free(&r);
	expect_anon_counts(&mw, 1, 0);
	assert_int_equal(
	    post_withdraw(&mw, withdraw_body(&wd, &a, &mw, 15), &r), 404);
	expect_error(&r, 404, "not_found");
	/* Signing again after withdrawing is a new signature. */
	anon_sign(&a, &mw, 15, 6);
	assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);
	expect_anon_counts(&mw, 2, 0);
}

/* The named signature of the drafter over ${mw}'s current version. */
static void
sign_named(const struct memo_w *mw)
{
	uint8_t record[MEMO_RECORD_SEALED_BYTES];
	struct memo_signature s;
	struct reply r;
	int64_t t = (int64_t)time(NULL);

	memset(&s, 0, sizeof(s));
	snprintf(s.memo_id, sizeof(s.memo_id), "%s", mw->id);
	s.version = mw->version;
	memcpy(s.version_hash, mw->hash, sizeof(s.version_hash));
	snprintf(s.signer_id, sizeof(s.signer_id), "%s", w.drafter.id);
	s.key_epoch = 1;
	s.time = (uint64_t)t;
	assert_int_equal(memo_signature_sign(&s, &w.drafter.ks), 0);
	assert_int_equal(memo_record_seal(record, &s, mw->roster_pk), 0);
	call(&r, "POST", mpath(mw, "/signatures"), w.drafter.token,
	    json_pack("{s:I,s:s,s:I,s:s,s:s}", "version",
		(json_int_t)mw->version, "version_hash",
		b64(mw->hash, sizeof(mw->hash)), "time", (json_int_t)t, "sig",
		b64(s.sig, sizeof(s.sig)), "record",
		b64(record, sizeof(record))));
	expect(&r, 201);
	reply_free(&r);
}

static void
test_submission_freezes_anonymous_signatures_into_the_package(void **state)
{
	uint8_t leaf[EVENT_MAX_BYTES], package[MEMO_HASH_BYTES];
	uint8_t rec[1][MEMO_RECORD_SEALED_BYTES];
	uint8_t sigs[2][RING_SIG_BYTES(RING_MAX_TEST + 2)];
	struct memo_anon_ref refs[2];
	struct memo_w mw;
	struct anon a, b, c, wd;
	struct event ev;
	struct reply r, r2;
	json_t *list, *e, *counts;
	size_t len, i, n;

	(void)state;
	open_new_memo(&mw);
	/* C signs version 1 only; A and B sign version 2. */
	anon_sign(&c, &mw, 20, 3);
	assert_int_equal(post_anon(&mw, anon_body(&c), NULL), 201);
	add_version(&mw);
	anon_sign(&a, &mw, 18, 4);
	assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);
	anon_sign(&b, &mw, 19, 9);
	assert_int_equal(post_anon(&mw, anon_body(&b), NULL), 201);
	sign_named(&mw);
	expect_anon_counts(&mw, 2, 1);

	call(&r, "POST", mpath(&mw, "/submit"), w.drafter.token,
	    json_pack("{s:s,s:{s:s,s:s}}", "version_hash",
		b64(mw.hash, sizeof(mw.hash)), "grants", "key",
		sealed(mw.key, MEMO_GRANT_KEY, mw.id, w.channel_pk), "roster",
		sealed(mw.roster_sk, MEMO_GRANT_ROSTER, mw.id, w.channel_pk)));
	expect(&r, 200);
	counts = json_object_get(json_object_get(r.json, "memo"), "counts");
	assert_int_equal(num(counts, "anonymous"), 2);
	assert_int_equal(num(counts, "anonymous_stale"), 0);
	assert_int_equal(num(counts, "named"), 1);
	/* The submission event carries the count. */
	assert_int_equal(b64_decode(leaf, sizeof(leaf), &len,
			     str(json_object_get(r.json, "receipt"), "event")),
	    0);
	assert_int_equal(event_decode(&ev, leaf, len), 0);
	assert_int_equal(ev.type, EVENT_MEMO_SUBMITTED);
	assert_int_equal(ev.anonymous, 2);
	assert_int_equal(ev.named, 1);
	reply_free(&r);

	/* Only the frozen ones are left, and the package hash covers them. */
	list = list_anon(&mw, &r);
	assert_int_equal(json_array_size(list), 2);
	n = json_array_size(list);
	for (i = 0; i < n; i++) {
		e = json_array_get(list, i);
		assert_int_equal(num(e, "version"), 2);
		reverify(&mw, e, mw.tree_size);
		refs[i].len =
		    RING_SIG_BYTES(json_array_size(json_object_get(e, "ring")));
		unb64(sigs[i], refs[i].len, str(e, "signature"));
		refs[i].sig = sigs[i];
	}
	call(&r2, "GET", mpath(&mw, "/signatures"), w.drafter.token, NULL);
	expect(&r2, 200);
	unb64(rec[0], sizeof(rec[0]),
	    str(json_array_get(json_object_get(r2.json, "records"), 0),
		"record"));
	reply_free(&r2);
	memo_package_hash(package, mw.id, mw.hash,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])rec, 1, refs, 2);
	assert_memory_equal(package, ev.package_hash, MEMO_HASH_BYTES);
	/* Without them the hash would differ: they are covered. */
	memo_package_hash(package, mw.id, mw.hash,
	    (const uint8_t(*)[MEMO_RECORD_SEALED_BYTES])rec, 1, NULL, 0);
	assert_memory_not_equal(package, ev.package_hash, MEMO_HASH_BYTES);
	reply_free(&r);

	/* Frozen: no more signing or withdrawing. */
	anon_sign(&c, &mw, 20, 3);
	assert_int_equal(post_anon(&mw, anon_body(&c), &r), 409);
	expect_error(&r, 409, "invalid_state");
	assert_int_equal(
	    post_withdraw(&mw, withdraw_body(&wd, &a, &mw, 18), &r), 409);
	expect_error(&r, 409, "invalid_state");
	expect_anon_counts(&mw, 2, 0);
}

static void
test_list_pages_from_a_tag_and_refuses_bad_queries(void **state)
{
	uint8_t first[RING_TAG_BYTES];
	struct memo_w mw;
	struct anon a;
	struct reply r;
	json_t *list;
	size_t i;

	(void)state;
	open_new_memo(&mw);
	for (i = 0; i < 3; i++) {
		anon_sign(&a, &mw, 30 + i, 3);
		assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);
	}
	list = list_anon(&mw, &r);
	assert_int_equal(json_array_size(list), 3);
	unb64(first, sizeof(first), str(json_array_get(list, 0), "tag"));
	reply_free(&r);
	call(&r, "GET", mpath(&mw, "/anonymous-signatures?after="),
	    w.drafter.token, NULL);
	expect_error(&r, 400, "invalid_field");
	{
		char p[300];

		snprintf(p, sizeof(p), "%s?after=%s",
		    mpath(&mw, "/anonymous-signatures"),
		    b64(first, sizeof(first)));
		call(&r, "GET", p, w.drafter.token, NULL);
		expect(&r, 200);
		assert_int_equal(
		    json_array_size(json_object_get(r.json, "signatures")), 2);
		assert_true(json_is_null(json_object_get(r.json, "next")));
		reply_free(&r);
	}
	call(&r, "GET", mpath(&mw, "/anonymous-signatures?before=x"),
	    w.drafter.token, NULL);
	expect_error(&r, 400, "unknown_field");
	/* Not a memo of the unrelated: 404 (the matrix covers the rest). */
	call(&r, "GET", mpath(&mw, "/anonymous-signatures"), w.coord.token,
	    NULL);
	expect_error(&r, 404, "not_found");
}

/* The number of values in ${table} of ${db} that contain ${needle}. */
static int
table_contains(sqlite3 *db, const char *table, const void *needle, size_t n)
{
	sqlite3_stmt *q;
	char sql[128];
	const uint8_t *v;
	int found = 0, i, len;
	size_t k;

	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(q); i++) {
			v = sqlite3_column_blob(q, i);
			len = sqlite3_column_bytes(q, i);
			for (k = 0; v != NULL && k + n <= (size_t)len; k++)
				if (memcmp(v + k, needle, n) == 0) {
					found++;
					break;
				}
		}
	}
	sqlite3_finalize(q);
	return (found);
}

static void
test_nothing_identifying_is_stored(void **state)
{
	struct memo_w mw;
	struct anon a;
	char path[600];
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t rows = 0;

	(void)state;
	open_new_memo(&mw);
	anon_sign(&a, &mw, 40, 8);
	assert_int_equal(post_anon(&mw, anon_body(&a), NULL), 201);

	snprintf(path, sizeof(path), "%s/%s", w.dir, INSTANCE_DB_FILE);
	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_busy_timeout(db, 5000), SQLITE_OK);
	/* The search finds what is there: the tag and the signature. */
	assert_int_equal(
	    table_contains(db, "memo_anon_signatures", a.tag, sizeof(a.tag)),
	    2);
	/* Not the signer's id, handle, or any session's token hash. */
	assert_int_equal(table_contains(db, "memo_anon_signatures",
			     w.pool[40].id, strlen(w.pool[40].id)),
	    0);
	assert_int_equal(table_contains(db, "memo_anon_signatures",
			     w.pool[40].handle, strlen(w.pool[40].handle)),
	    0);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT count(*) FROM pragma_table_info("
			     "'memo_anon_signatures') WHERE name NOT IN "
			     "('memo_id', 'tag', 'version', 'version_hash', "
			     "'ring', 'signature')",
			     -1, &q, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	rows = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	/* No time column, no member, no session: only those six. */
	assert_int_equal(rows, 0);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip_at_ring_sizes_2_10_60),
	    cmocka_unit_test(
		test_ring_snapshot_lists_the_eligible_members_by_key),
	    cmocka_unit_test(test_identified_request_is_refused),
	    cmocka_unit_test(test_the_peer_address_is_forgotten),
	    cmocka_unit_test(test_unknown_memo_is_not_found),
	    cmocka_unit_test(test_memo_that_is_not_open_is_invalid_state),
	    cmocka_unit_test(test_memo_without_a_snapshot_is_no_ring),
	    cmocka_unit_test(test_stale_version_is_refused),
	    cmocka_unit_test(test_rings_that_are_not_the_memos_are_refused),
	    cmocka_unit_test(test_bad_signatures_are_refused),
	    cmocka_unit_test(
		test_signature_replayed_to_another_memo_is_refused),
	    cmocka_unit_test(
		test_same_tag_twice_on_the_current_version_is_already_signed),
	    cmocka_unit_test(
		test_resigning_after_an_edit_replaces_the_signature),
	    cmocka_unit_test(test_withdrawal_needs_the_same_ring_and_tag),
	    cmocka_unit_test(
		test_submission_freezes_anonymous_signatures_into_the_package),
	    cmocka_unit_test(
		test_list_pages_from_a_tag_and_refuses_bad_queries),
	    cmocka_unit_test(test_nothing_identifying_is_stored),
	};

	if (sodium_init() < 0)
		return (1);
	jsonin_init();
	return (cmocka_run_group_tests(tests, setup, teardown));
}
