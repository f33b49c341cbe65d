/*
 * The channel's workflow end to end inside one process (routes_channel.c,
 * routes_meetings.c, routes_complaints.c, routes_stats.c): a real instance
 * in a temporary directory, members with real keys, memos encrypted and
 * grants sealed as a client would, requests handed to the dispatcher as
 * the HTTP layer would, replies checked against docs/API.md.
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
#include "aead.h"
#include "b64.h"
#include "binenc.h"
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
#include "notify.h"
#include "server.h"
#include "stats.h"
#include "store.h"

struct reply {
	unsigned int status;
	json_t *json;
};

/* What a client keeps for an enrolled member in these tests. */
struct member {
	char id[DIRECTORY_MEMBER_ID_LEN + 1];
	char handle[DIRECTORY_HANDLE_MAX + 1];
	uint8_t seed[KEYS_SEED_BYTES];
	struct keys_secret ks;
	uint8_t auth_key[CUSTODY_KEY_BYTES];
	uint8_t recovery_key[CUSTODY_KEY_BYTES];
	char token[ACCOUNT_TOKEN_LEN + 1];
};

/* What the drafters' clients keep for a memo. */
struct memo {
	char id[MEMO_ID_LEN + 1];
	uint8_t key[MEMO_KEY_BYTES];
	uint8_t roster_pk[MEMO_ROSTER_PK_BYTES];
	uint8_t roster_sk[MEMO_ROSTER_SK_BYTES];
	uint8_t hash[MEMO_HASH_BYTES];
};

/* One test's world: an instance, a server, the staff and some members. */
struct world {
	char dir[512];
	char clock[600];
	struct config cfg;
	struct server *sv;
	char admin_code[ACCOUNT_CODE_LEN + 1];
	char admin_token[ACCOUNT_TOKEN_LEN + 1];
	char instance_id[INSTANCE_ID_LEN + 1];
	uint8_t channel_pk[KEYS_BOX_PK_BYTES];
	uint8_t channel_sk[KEYS_BOX_SK_BYTES];
	struct member coord, coord2, director, drafter, colleague, outsider;
	struct member pstd, phead, pother, auditor, auditor2, unrelated;
};

static struct world w;

/* A JSON string of the base64url of ${n} bytes. */
static json_t *
jb64(const uint8_t *p, size_t n)
{
	size_t cap = B64_ENCODED_LEN(n);
	char *text;
	json_t *s;

	assert_non_null(text = malloc(cap));
	assert_int_equal(b64_encode(text, cap, p, n), 0);
	s = json_string(text);
	free(text);
	return (s);
}

/* Decode the base64url string ${o} into a malloc'd buffer. */
static uint8_t *
unb64(json_t *o, size_t *len)
{
	const char *s;
	uint8_t *buf;
	size_t cap;

	assert_true(json_is_string(o));
	s = json_string_value(o);
	cap = strlen(s) / 4 * 3 + 3;
	assert_non_null(buf = malloc(cap));
	assert_int_equal(b64_decode(buf, cap, len, s), 0);
	return (buf);
}

/* Hand one request to the dispatcher; ${body} is stolen (may be NULL). */
static void
call(struct reply *r, const char *method, const char *path, const char *token,
    json_t *body)
{
	static char text[HTTP_BODY_MAX];
	struct http_request req;
	const char *rb;
	size_t len;

	memset(r, 0, sizeof(*r));
	assert_int_equal(http_request_init(&req, method, path), 0);
	if (body != NULL) {
		/* Not json_dumps(): jansson allocates with jsonin's allocator.
		 */
		len = json_dumpb(body, text, sizeof(text), JSON_COMPACT);
		assert_true(len > 0 && len < sizeof(text));
		json_decref(body);
		assert_int_equal(http_request_set_body(&req, text, len), 0);
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

/* The error code of a reply. */
static const char *
error_code(const struct reply *r)
{
	json_t *c = json_object_get(json_object_get(r->json, "error"), "code");

	assert_non_null(c);
	return (json_string_value(c));
}

/* Expect ${status} with the error ${code}, then free the reply. */
static void
expect_error(struct reply *r, unsigned int status, const char *code)
{

	if (r->status != status)
		fprintf(stderr, "expected %u %s, got %u %s\n", status, code,
		    r->status, r->json != NULL ? error_code(r) : "");
	assert_int_equal(r->status, status);
	assert_string_equal(error_code(r), code);
	reply_free(r);
}

/* Expect ${status}, printing the error if it differs. */
static void
expect_status(const struct reply *r, unsigned int status)
{
	json_t *e;

	if (r->status != status) {
		e = json_object_get(
		    json_object_get(r->json, "error"), "message");
		fprintf(stderr, "expected %u, got %u: %s\n", status, r->status,
		    e != NULL ? json_string_value(e) : "");
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

/* Call and expect ${status}, then free the reply. */
static void
call_expect(const char *method, const char *path, const char *token,
    json_t *body, unsigned int status)
{
	struct reply r;

	call(&r, method, path, token, body);
	expect_status(&r, status);
	reply_free(&r);
}

/* Format a path into a static rotating buffer. */
static const char *path(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static const char *
path(const char *fmt, ...)
{
	static char bufs[4][256];
	static int next;
	char *out = bufs[next++ % 4];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(out, 256, fmt, ap);
	va_end(ap);
	return (out);
}

/* The body of POST /enroll for ${m} (keys made here) with ${code}. */
static json_t *
enroll_body(struct member *m, const char *code)
{
	uint8_t salt[CUSTODY_SALT_BYTES], wrapped[CUSTODY_WRAPPED_BYTES];
	struct keys_pop pop;

	keys_seed_new(m->seed);
	assert_int_equal(keys_derive(&m->ks, m->seed), 0);
	assert_int_equal(keys_pop_make(&pop, &m->ks, m->id, 1), 0);
	randombytes_buf(m->auth_key, sizeof(m->auth_key));
	randombytes_buf(m->recovery_key, sizeof(m->recovery_key));
	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(wrapped, sizeof(wrapped));
	return (json_pack("{s:s,s:{s:o,s:o,s:o},s:{s:o,s:o},s:{s:o,s:I,s:I,s:o,"
			  "s:o},s:{s:o,s:o}}",
	    "code", code, "keys", "sign_pk",
	    jb64(m->ks.pub.sign_pk, KEYS_SIGN_PK_BYTES), "box_pk",
	    jb64(m->ks.pub.box_pk, KEYS_BOX_PK_BYTES), "ring_pk",
	    jb64(m->ks.pub.ring_pk, KEYS_RING_PK_BYTES), "pop", "sig",
	    jb64(pop.sig, KEYS_SIG_BYTES), "ring_proof",
	    jb64(pop.ring_proof, KEYS_RING_PROOF_BYTES), "custody", "salt",
	    jb64(salt, sizeof(salt)), "opslimit", (json_int_t)3, "memlimit",
	    (json_int_t)(64LL << 20), "auth_key",
	    jb64(m->auth_key, CUSTODY_KEY_BYTES), "wrapped_seed",
	    jb64(wrapped, sizeof(wrapped)), "recovery", "auth_key",
	    jb64(m->recovery_key, CUSTODY_KEY_BYTES), "wrapped_seed",
	    jb64(wrapped, sizeof(wrapped))));
}

/* Look ${code} up and enroll ${m} with it. */
static void
enroll(struct member *m, const char *code)
{
	struct reply r;
	json_t *mem;

	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	expect_status(&r, 200);
	mem = json_object_get(r.json, "member");
	snprintf(m->id, sizeof(m->id), "%s", str(mem, "id"));
	snprintf(m->handle, sizeof(m->handle), "%s", str(mem, "handle"));
	reply_free(&r);
	call_expect("POST", "/api/v1/enroll", NULL, enroll_body(m, code), 201);
}

/* Log ${m} in. */
static void
login(struct member *m)
{
	struct reply r;

	call(&r, "POST", "/api/v1/auth/login", NULL,
	    json_pack("{s:s,s:o}", "handle", m->handle, "auth_key",
		jb64(m->auth_key, CUSTODY_KEY_BYTES)));
	expect_status(&r, 200);
	snprintf(m->token, sizeof(m->token), "%s", str(r.json, "token"));
	reply_free(&r);
}

/* A member of ${org} with ${roles_json}, enrolled and logged in. */
static void
new_member(struct member *m, const char *handle, const char *org,
    const char *roles_json)
{
	char code[ACCOUNT_CODE_LEN + 1];
	struct reply r;

	memset(m, 0, sizeof(*m));
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:o,s:b}", "handle", handle, "display_name",
		"Some Body", "org", org, "roles",
		json_loads(roles_json, 0, NULL), "eligible", 1));
	expect_status(&r, 201);
	snprintf(code, sizeof(code), "%s", str(r.json, "enrollment_code"));
	reply_free(&r);
	enroll(m, code);
	login(m);
}

/* Set the server's clock to ${t} (0: the real time). */
static void
set_clock(int64_t t)
{
	FILE *f;

	if (t == 0) {
		(void)unlink(w.clock);
		return;
	}
	assert_non_null(f = fopen(w.clock, "w"));
	fprintf(f, "%lld\n", (long long)t);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	struct instance_init_args a;
	struct member admin;
	const char *tmp = getenv("TMPDIR");
	char err[256];
	struct reply r;
	int64_t exp;
	size_t len;

	(void)state;
	memset(&w, 0, sizeof(w));
	snprintf(w.dir, sizeof(w.dir), "%s/test_srv_channel.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(w.dir) == NULL)
		return (-1);
	snprintf(w.clock, sizeof(w.clock), "%s/clock", w.dir);
	len = strlen(w.dir);
	snprintf(w.dir + len, sizeof(w.dir) - len, "/data");
	memset(&a, 0, sizeof(a));
	a.data_dir = w.dir;
	a.channel_org = "state";
	a.channel_org_name = "Department of State";
	a.admin_handle = "admin";
	a.admin_name = "The Admin";
	a.enrollment_ttl = 604800;
	if (instance_init(&a, (int64_t)time(NULL), w.admin_code, &exp, err,
		sizeof(err)) != 0) {
		fprintf(stderr, "init: %s\n", err);
		return (-1);
	}
	config_defaults(&w.cfg);
	snprintf(w.cfg.data_dir, sizeof(w.cfg.data_dir), "%s", w.dir);
	w.cfg.rate_limit_per_minute = 0;
	w.cfg.log_level = LOG_ERROR;
	w.cfg.log_head_interval_ms = 10;
	/* Tests travel in time: sessions must survive the journey. */
	w.cfg.session_ttl = w.cfg.session_idle_ttl = 400 * 86400;
	snprintf(w.cfg.test_clock_file, sizeof(w.cfg.test_clock_file), "%s",
	    w.clock);
	snprintf(w.cfg.standard_principals[0],
	    sizeof(w.cfg.standard_principals[0]), "pstd");
	w.cfg.nstandard_principals = 1;
	snprintf(w.cfg.agency_heads[0].org, sizeof(w.cfg.agency_heads[0].org),
	    "usaid");
	snprintf(w.cfg.agency_heads[0].member,
	    sizeof(w.cfg.agency_heads[0].member), "phead");
	w.cfg.nagency_heads = 1;
	log_set_level(w.cfg.log_level);
	if (server_new(&w.sv, &w.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "server: %s\n", err);
		return (-1);
	}
	memset(&admin, 0, sizeof(admin));
	enroll(&admin, w.admin_code);
	login(&admin);
	memcpy(w.admin_token, admin.token, sizeof(w.admin_token));

	call(&r, "GET", "/api/v1/instance", NULL, NULL);
	expect_status(&r, 200);
	snprintf(w.instance_id, sizeof(w.instance_id), "%s",
	    str(r.json, "instance_id"));
	reply_free(&r);
	call_expect("POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "usaid", "name", "USAID"), 201);

	new_member(&w.coord, "coord", "state", "[\"member\",\"coordinator\"]");
	new_member(
	    &w.coord2, "coord2", "state", "[\"member\",\"coordinator\"]");
	new_member(
	    &w.director, "director", "state", "[\"member\",\"director\"]");
	new_member(&w.drafter, "drafter", "usaid", "[\"member\"]");
	new_member(&w.colleague, "colleague", "state", "[\"member\"]");
	new_member(&w.outsider, "outsider", "usaid", "[\"member\"]");
	new_member(&w.pstd, "pstd", "state", "[\"member\",\"principal\"]");
	new_member(&w.phead, "phead", "usaid", "[\"member\",\"principal\"]");
	new_member(&w.pother, "pother", "state", "[\"member\",\"principal\"]");
	new_member(&w.auditor, "auditor", "state", "[\"member\",\"auditor\"]");
	new_member(
	    &w.auditor2, "auditor2", "usaid", "[\"member\",\"auditor\"]");
	new_member(&w.unrelated, "unrelated", "state", "[\"member\"]");
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

/* A grant of ${key} for ${purpose} and ${context}, sealed to ${pk}. */
static json_t *
sealed(const uint8_t key[GRANT_KEY_BYTES], const char *purpose,
    const char *context, const uint8_t pk[KEYS_BOX_PK_BYTES])
{
	uint8_t out[GRANT_SEALED_MAX];
	size_t len;

	assert_int_equal(grant_seal(out, &len, key, purpose, context, pk), 0);
	return (jb64(out, len));
}

/* Open the sealed grant ${o} with ${m}'s keys; expect it to be ${want}. */
static void
expect_grant(json_t *o, const char *purpose, const char *context,
    const struct member *m, const uint8_t want[GRANT_KEY_BYTES])
{
	uint8_t key[GRANT_KEY_BYTES], *buf;
	size_t len;

	buf = unb64(o, &len);
	assert_int_equal(
	    grant_open(key, buf, len, purpose, context, &m->ks), 0);
	assert_memory_equal(key, want, GRANT_KEY_BYTES);
	free(buf);
}

/* The coordinator makes the channel key (the server never sees the sk). */
static void
channel_key(void)
{
	struct reply r;

	randombytes_buf(w.channel_sk, sizeof(w.channel_sk));
	assert_int_equal(crypto_scalarmult_base(w.channel_pk, w.channel_sk), 0);
	call(&r, "POST", "/api/v1/channel/key", w.coord.token,
	    json_pack("{s:o,s:o}", "pk", jb64(w.channel_pk, KEYS_BOX_PK_BYTES),
		"grant",
		sealed(w.channel_sk, "channel-key", w.instance_id,
		    w.coord.ks.pub.box_pk)));
	expect_status(&r, 201);
	/* The entry that publishes the key's hash. */
	assert_true(num(r.json, "log_index") >= 0);
	reply_free(&r);
}

/* ${by} creates memo ${m} on ${topic}. */
static void
create_memo(const struct member *by, struct memo *m, const char *topic)
{
	static const uint8_t zero[MEMO_HASH_BYTES];
	struct memo_content c;
	uint8_t *content, *box;
	size_t len, boxlen;
	struct reply r;

	memset(m, 0, sizeof(*m));
	memo_id_new(m->id);
	randombytes_buf(m->key, sizeof(m->key));
	memo_roster_keypair(m->roster_pk, m->roster_sk);
	memset(&c, 0, sizeof(c));
	c.title = "A dissent";
	c.summary = "";
	c.body = "The body of the memo.";
	c.alternatives = "";
	snprintf(c.topic, sizeof(c.topic), "%s", topic);
	snprintf(c.marking, sizeof(c.marking), "SBU");
	assert_int_equal(memo_content_encode(&c, &content, &len), 0);
	assert_int_equal(memo_version_hash(m->hash, m->id, 1, zero,
			     m->roster_pk, content, len),
	    0);
	assert_int_equal(
	    memo_content_seal(&box, &boxlen, content, len, m->id, 1, m->key),
	    0);
	call(&r, "POST", "/api/v1/memos", by->token,
	    json_pack("{s:s,s:s,s:s,s:[s,s],s:o,s:{s:o,s:o},s:{s:o,s:o}}", "id",
		m->id, "topic", topic, "marking", "SBU", "eligible_orgs",
		"state", "usaid", "roster_pk",
		jb64(m->roster_pk, MEMO_ROSTER_PK_BYTES), "version", "hash",
		jb64(m->hash, MEMO_HASH_BYTES), "box", jb64(box, boxlen),
		"grants", "key",
		sealed(m->key, MEMO_GRANT_KEY, m->id, by->ks.pub.box_pk),
		"roster",
		sealed(m->roster_sk, MEMO_GRANT_ROSTER, m->id,
		    by->ks.pub.box_pk)));
	expect_status(&r, 201);
	reply_free(&r);
	free(content);
	free(box);
}

/* ${by} submits ${m} to the channel. */
static void
submit_memo(const struct member *by, const struct memo *m)
{
	struct reply r;

	call(&r, "POST", path("/api/v1/memos/%s/submit", m->id), by->token,
	    json_pack("{s:o,s:{s:o,s:o}}", "version_hash",
		jb64(m->hash, MEMO_HASH_BYTES), "grants", "key",
		sealed(m->key, MEMO_GRANT_KEY, m->id, w.channel_pk), "roster",
		sealed(m->roster_sk, MEMO_GRANT_ROSTER, m->id, w.channel_pk)));
	expect_status(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "submitted");
	reply_free(&r);
}

/* A memo by ${by} on ${topic}, created and submitted. */
static void
submitted_memo(const struct member *by, struct memo *m, const char *topic)
{

	create_memo(by, m, topic);
	submit_memo(by, m);
}

/* POST ${what} on memo ${m} as ${by} with an empty body. */
static void
memo_action(struct reply *r, const struct member *by, const struct memo *m,
    const char *what)
{

	call(r, "POST", path("/api/v1/memos/%s/%s", m->id, what), by->token,
	    json_object());
}

/* The coordinator acknowledges ${m}; expect success. */
static void
ack(const struct memo *m)
{
	struct reply r;

	memo_action(&r, &w.coord, m, "ack");
	expect_status(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "acknowledged");
	reply_free(&r);
}

/* The memo key as the coordinator's client learns it from the channel. */
static void
channel_memo_key(const struct memo *m, uint8_t key[MEMO_KEY_BYTES])
{
	struct reply r;
	uint8_t *buf;
	size_t len;

	call(&r, "GET", path("/api/v1/memos/%s/grants", m->id), w.coord.token,
	    NULL);
	expect_status(&r, 200);
	buf = unb64(
	    json_object_get(json_object_get(r.json, "channel"), "key"), &len);
	assert_int_equal(grant_open_box(key, buf, len, MEMO_GRANT_KEY, m->id,
			     w.channel_pk, w.channel_sk),
	    0);
	free(buf);
	reply_free(&r);
}

/* The body of a note of ${kind} numbered ${n} with ${text} on ${m}. */
static json_t *
note_body(const struct memo *m, uint8_t kind, uint32_t n, const char *text)
{
	uint8_t *box;
	size_t boxlen;
	json_t *o;

	assert_int_equal(
	    memo_reply_seal(&box, &boxlen, text, m->id, kind, n, m->key), 0);
	o = json_pack(
	    "{s:I,s:o}", "n", (json_int_t)n, "box", jb64(box, boxlen));
	free(box);
	return (o);
}

/* The coordinator assigns ${m} to ${to} with the memo key. */
static void
assign(struct reply *r, const struct memo *m, const struct member *to)
{
	uint8_t key[MEMO_KEY_BYTES];

	channel_memo_key(m, key);
	call(r, "POST", path("/api/v1/memos/%s/assign", m->id), w.coord.token,
	    json_pack("{s:s,s:o}", "member", to->id, "grant",
		sealed(key, MEMO_GRANT_KEY, m->id, to->ks.pub.box_pk)));
}

/* A recipient entry of a distribution of ${m} to ${p}. */
static json_t *
recipient(const struct memo *m, const struct member *p)
{

	return (json_pack("{s:s,s:o,s:o}", "member", p->id, "key",
	    sealed(m->key, MEMO_GRANT_KEY, m->id, p->ks.pub.box_pk), "roster",
	    sealed(m->roster_sk, MEMO_GRANT_ROSTER, m->id, p->ks.pub.box_pk)));
}

/* Distribute ${m} to the ${n} members given. */
static void
distribute(struct reply *r, const struct memo *m, size_t n, ...)
{
	json_t *arr = json_array();
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		json_array_append_new(
		    arr, recipient(m, va_arg(ap, const struct member *)));
	va_end(ap);
	call(r, "POST", path("/api/v1/memos/%s/distribute", m->id),
	    w.coord.token, json_pack("{s:o}", "recipients", arr));
}

/* The status of ${who} in a {"distributions": [...]} reply. */
static const char *
dist_status(json_t *o, const struct member *who)
{
	json_t *arr = json_object_get(o, "distributions"), *d;
	size_t i;

	json_array_foreach(arr, i, d)
	{
		if (strcmp(str(d, "member"), who->id) == 0)
			return (str(d, "status"));
	}
	return ("none");
}

/* Decode the event of a receipt (checking it names memo ${m}). */
static void
receipt_event(json_t *receipt, const struct memo *m, struct event *ev)
{
	uint8_t *buf;
	size_t len;

	assert_true(json_is_object(receipt));
	assert_string_equal(str(receipt, "memo"), m->id);
	buf = unb64(json_object_get(receipt, "event"), &len);
	assert_int_equal(event_decode(ev, buf, len), 0);
	free(buf);
	assert_string_equal(ev->memo_id, m->id);
}

/* The replies of ${m} as ${by} reads them. */
static void
replies(struct reply *r, const struct member *by, const struct memo *m)
{

	call(
	    r, "GET", path("/api/v1/memos/%s/replies", m->id), by->token, NULL);
}

/* Decrypt reply ${o} of ${m} (kind ${kind}) and compare with ${want}. */
static void
expect_note(json_t *o, const struct memo *m, uint8_t kind, const char *want)
{
	uint8_t *box;
	size_t len;
	char *text;

	box = unb64(json_object_get(o, "box"), &len);
	assert_int_equal(memo_reply_open(&text, box, len, m->id, kind,
			     (uint32_t)num(o, "n"), m->key),
	    0);
	assert_string_equal(text, want);
	free(text);
	free(box);
}

/*
 * The notifications of ${kind} queued for ${m}, read from the instance's
 * database (no sender runs in these tests, so they stay queued).
 */
static int
queued(const struct member *m, int kind)
{
	char dbpath[600];
	sqlite3_stmt *st;
	sqlite3 *db;
	int n;

	snprintf(dbpath, sizeof(dbpath), "%s/dissent.db", w.dir);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_busy_timeout(db, 5000), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT count(*) FROM notifications WHERE "
			     "recipient = ?1 AND kind = ?2",
			     -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC), SQLITE_OK);
	assert_int_equal(sqlite3_bind_int(st, 2, kind), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return (n);
}

/* Every event of the signed log, in order, into ${evs} (malloc'd). */
static size_t
log_events(struct event **evs)
{
	struct reply r;
	json_t *e;
	uint8_t *buf;
	size_t n, i, len;
	json_int_t size;

	call(&r, "GET", "/api/v1/log/head", w.coord.token, NULL);
	expect_status(&r, 200);
	size = num(r.json, "size");
	reply_free(&r);
	call(&r, "GET",
	    path("/api/v1/log/entries?start=0&count=%lld", (long long)size),
	    w.coord.token, NULL);
	expect_status(&r, 200);
	n = json_array_size(json_object_get(r.json, "entries"));
	assert_non_null(*evs = calloc(n + 1, sizeof(**evs)));
	json_array_foreach(json_object_get(r.json, "entries"), i, e)
	{
		buf = unb64(json_object_get(e, "event"), &len);
		assert_int_equal(event_decode(&(*evs)[i], buf, len), 0);
		free(buf);
	}
	reply_free(&r);
	return (n);
}

/* ${by} invites ${who} to memo ${m} as ${as} ("signer", "codrafter"). */
static void
invite(const struct member *by, const struct memo *m, const struct member *who,
    const char *as)
{
	json_t *grants;

	grants = json_pack("{s:o}", "key",
	    sealed(m->key, MEMO_GRANT_KEY, m->id, who->ks.pub.box_pk));
	if (strcmp(as, "codrafter") == 0)
		json_object_set_new(grants, "roster",
		    sealed(m->roster_sk, MEMO_GRANT_ROSTER, m->id,
			who->ks.pub.box_pk));
	call_expect("POST", path("/api/v1/memos/%s/invitations", m->id),
	    by->token,
	    json_pack(
		"{s:s,s:s,s:o}", "member", who->id, "as", as, "grants", grants),
	    201);
}

/*
 * A memo by the drafter with the outsider as co-drafter and invited to
 * sign, and the unrelated member invited to sign, submitted.
 */
static void
memo_with_invitees(struct memo *m)
{

	create_memo(&w.drafter, m, "policy");
	/* An invitee may become a co-drafter (never the other way). */
	invite(&w.drafter, m, &w.outsider, "signer");
	invite(&w.drafter, m, &w.outsider, "codrafter");
	invite(&w.drafter, m, &w.unrelated, "signer");
	submit_memo(&w.drafter, m);
}

static void
test_channel_key_is_created_once_by_a_coordinator(void **state)
{
	uint8_t key[GRANT_KEY_BYTES], hash[EVENT_KEYS_HASH_BYTES];
	char pk64[B64_ENCODED_LEN(32)];
	struct event *evs;
	struct reply r;
	json_int_t log_index;
	size_t n, i, before;
	int found = 0;

	(void)state;
	randombytes_buf(key, sizeof(key));
	call(&r, "GET", "/api/v1/channel", w.coord.token, NULL);
	expect_status(&r, 200);
	assert_true(json_is_null(json_object_get(r.json, "pk")));
	assert_null(json_object_get(r.json, "log_index"));
	reply_free(&r);
	/* The director is channel staff but makes no key. */
	call(&r, "POST", "/api/v1/channel/key", w.director.token,
	    json_pack("{s:o,s:o}", "pk", jb64(w.director.ks.pub.box_pk, 32),
		"grant",
		sealed(key, "channel-key", w.instance_id,
		    w.director.ks.pub.box_pk)));
	expect_error(&r, 403, "forbidden");
	channel_key();
	/* Once only: a second key would split the channel (nothing logged). */
	before = log_events(&evs);
	free(evs);
	call(&r, "POST", "/api/v1/channel/key", w.coord2.token,
	    json_pack("{s:o,s:o}", "pk", jb64(w.coord2.ks.pub.box_pk, 32),
		"grant",
		sealed(w.channel_sk, "channel-key", w.instance_id,
		    w.coord2.ks.pub.box_pk)));
	expect_error(&r, 409, "conflict");
	assert_int_equal(log_events(&evs), before);
	free(evs);

	call(&r, "GET", "/api/v1/channel", w.director.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(b64_encode(pk64, sizeof(pk64), w.channel_pk, 32), 0);
	assert_string_equal(str(r.json, "pk"), pk64);
	assert_true(json_is_false(json_object_get(r.json, "granted")));
	log_index = num(r.json, "log_index");
	reply_free(&r);
	call(&r, "GET", "/api/v1/channel/grant", w.coord.token, NULL);
	expect_status(&r, 200);
	expect_grant(json_object_get(r.json, "grant"), "channel-key",
	    w.instance_id, &w.coord, w.channel_sk);
	reply_free(&r);

	/* The log commits to the key and names its creator. */
	event_channel_key_hash(hash, w.channel_pk);
	n = log_events(&evs);
	for (i = 0; i < n; i++) {
		if (evs[i].type != EVENT_CHANNEL_KEY_CREATED)
			continue;
		found++;
		assert_memory_equal(evs[i].keys_hash, hash, sizeof(hash));
		assert_string_equal(evs[i].member_id, w.coord.id);
		/* GET /channel names this entry, for clients to check. */
		assert_int_equal(log_index, (json_int_t)i);
	}
	free(evs);
	assert_int_equal(found, 1);
}

static void
test_channel_key_is_granted_to_coordinators_only(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "POST", "/api/v1/channel/grants", w.coord.token,
	    json_pack("{s:s,s:o}", "member", w.coord2.id, "grant",
		sealed(w.channel_sk, "channel-key", w.instance_id,
		    w.coord2.ks.pub.box_pk)));
	expect_error(&r, 409, "no_channel_key");
	channel_key();
	/* Only a holder can have sealed the key to anyone. */
	call(&r, "POST", "/api/v1/channel/grants", w.coord2.token,
	    json_pack("{s:s,s:o}", "member", w.coord.id, "grant",
		sealed(w.channel_sk, "channel-key", w.instance_id,
		    w.coord.ks.pub.box_pk)));
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", "/api/v1/channel/grants", w.coord.token,
	    json_pack("{s:s,s:o}", "member", w.director.id, "grant",
		sealed(w.channel_sk, "channel-key", w.instance_id,
		    w.director.ks.pub.box_pk)));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/channel/grants", w.director.token,
	    json_pack("{s:s,s:o}", "member", w.coord2.id, "grant",
		sealed(w.channel_sk, "channel-key", w.instance_id,
		    w.coord2.ks.pub.box_pk)));
	expect_error(&r, 403, "forbidden");

	call(&r, "POST", "/api/v1/channel/grants", w.coord.token,
	    json_pack("{s:s,s:o}", "member", w.coord2.id, "grant",
		sealed(w.channel_sk, "channel-key", w.instance_id,
		    w.coord2.ks.pub.box_pk)));
	expect_status(&r, 201);
	reply_free(&r);
	call(&r, "GET", "/api/v1/channel/grant", w.coord2.token, NULL);
	expect_status(&r, 200);
	expect_grant(json_object_get(r.json, "grant"), "channel-key",
	    w.instance_id, &w.coord2, w.channel_sk);
	reply_free(&r);
	call(&r, "GET", "/api/v1/channel", w.coord2.token, NULL);
	expect_status(&r, 200);
	assert_true(json_is_true(json_object_get(r.json, "granted")));
	reply_free(&r);
	call(&r, "GET", "/api/v1/channel/grant", w.director.token, NULL);
	expect_error(&r, 403, "forbidden");
}

static void
test_workflow_from_acknowledgement_to_closure(void **state)
{
	uint8_t key[MEMO_KEY_BYTES];
	struct event ev;
	struct reply r;
	struct memo m;
	json_t *memo;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");

	memo_action(&r, &w.coord, &m, "ack");
	expect_status(&r, 200);
	memo = json_object_get(r.json, "memo");
	assert_string_equal(str(memo, "state"), "acknowledged");
	assert_true(num(memo, "acked_at") > 0);
	assert_true(
	    num(json_object_get(memo, "due"), "reply") > num(memo, "acked_at"));
	receipt_event(json_object_get(r.json, "receipt"), &m, &ev);
	assert_int_equal(ev.type, EVENT_MEMO_ACKNOWLEDGED);
	reply_free(&r);

	/* The assignee gets the memo key, never the roster key. */
	assign(&r, &m, &w.colleague);
	expect_status(&r, 200);
	memo = json_object_get(r.json, "memo");
	assert_string_equal(str(memo, "state"), "assigned");
	assert_string_equal(str(memo, "assignee"), w.colleague.id);
	receipt_event(json_object_get(r.json, "receipt"), &m, &ev);
	assert_int_equal(ev.type, EVENT_MEMO_ASSIGNED);
	assert_string_equal(ev.member_id, w.colleague.id);
	reply_free(&r);
	assert_int_equal(queued(&w.colleague, NOTIFY_NEW_ITEM), 1);
	call(&r, "GET", path("/api/v1/memos/%s/grants", m.id),
	    w.colleague.token, NULL);
	expect_status(&r, 200);
	expect_grant(json_object_get(r.json, "key"), MEMO_GRANT_KEY, m.id,
	    &w.colleague, m.key);
	assert_true(json_is_null(json_object_get(r.json, "roster")));
	reply_free(&r);
	call(&r, "GET", path("/api/v1/memos/%s/signatures", m.id),
	    w.colleague.token, NULL);
	if (r.status == 200)
		assert_true(json_is_null(json_object_get(r.json, "records")));
	else
		expect_status(&r, 403);
	reply_free(&r);

	/* The standard list at once: the agency's head comes with it. */
	distribute(&r, &m, 2, &w.pstd, &w.phead);
	expect_status(&r, 200);
	assert_string_equal(dist_status(r.json, &w.pstd), "distributed");
	assert_string_equal(dist_status(r.json, &w.phead), "distributed");
	reply_free(&r);
	assert_int_equal(queued(&w.pstd, NOTIFY_NEW_ITEM), 1);
	assert_int_equal(queued(&w.phead, NOTIFY_NEW_ITEM), 1);
	assert_int_equal(queued(&w.director, NOTIFY_NEW_ITEM), 0);
	call(&r, "GET", path("/api/v1/memos/%s/grants", m.id), w.phead.token,
	    NULL);
	expect_status(&r, 200);
	expect_grant(json_object_get(r.json, "key"), MEMO_GRANT_KEY, m.id,
	    &w.phead, m.key);
	expect_grant(json_object_get(r.json, "roster"), MEMO_GRANT_ROSTER, m.id,
	    &w.phead, m.roster_sk);
	reply_free(&r);

	/* The assignee drafts the reply with the key it was granted. */
	call(&r, "GET", path("/api/v1/memos/%s/grants", m.id),
	    w.colleague.token, NULL);
	{
		uint8_t *buf;
		size_t len;

		buf = unb64(json_object_get(r.json, "key"), &len);
		assert_int_equal(grant_open(key, buf, len, MEMO_GRANT_KEY, m.id,
				     &w.colleague.ks),
		    0);
		free(buf);
	}
	reply_free(&r);
	assert_memory_equal(key, m.key, sizeof(key));
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id),
	    w.colleague.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 1, "Our answer."));
	expect_status(&r, 200);
	memo = json_object_get(r.json, "memo");
	assert_string_equal(str(memo, "state"), "replied");
	assert_true(num(memo, "replied_at") > 0);
	receipt_event(json_object_get(r.json, "receipt"), &m, &ev);
	assert_int_equal(ev.type, EVENT_MEMO_REPLIED);
	assert_int_equal(ev.n, 1);
	reply_free(&r);
	/* The drafters hear of it; the server cannot name the signers. */
	assert_int_equal(queued(&w.drafter, NOTIFY_REPLY), 1);
	assert_int_equal(queued(&w.colleague, NOTIFY_REPLY), 0);

	/* The drafter reads it with the memo key. */
	replies(&r, &w.drafter, &m);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "replies")), 1);
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "replies"), 0), "kind"),
	    "reply");
	expect_note(json_array_get(json_object_get(r.json, "replies"), 0), &m,
	    MEMO_REPLY_KIND_REPLY, "Our answer.");
	reply_free(&r);

	memo_action(&r, &w.coord, &m, "close");
	expect_status(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "closed");
	receipt_event(json_object_get(r.json, "receipt"), &m, &ev);
	assert_int_equal(ev.type, EVENT_MEMO_CLOSED);
	reply_free(&r);
}

/* How many content_accessed events of ${kind} on ${m} the log holds. */
static size_t
accesses_logged(const struct memo *m, uint8_t kind)
{
	struct event *evs;
	size_t n, i, k = 0;

	n = log_events(&evs);
	for (i = 0; i < n; i++)
		if (evs[i].type == EVENT_CONTENT_ACCESSED &&
		    evs[i].kind == kind && strcmp(evs[i].memo_id, m->id) == 0)
			k++;
	free(evs);
	return (k);
}

static void
test_reading_replies_is_logged_first(void **state)
{
	struct reply r;
	struct memo m;
	size_t before, tries;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	ack(&m);
	before = accesses_logged(&m, EVENT_ACCESS_REPLIES);
	replies(&r, &w.drafter, &m);
	expect_status(&r, 200);
	reply_free(&r);
	/* Committed before the reply; signed by the next tree head. */
	for (tries = 0; tries < 500; tries++) {
		if (accesses_logged(&m, EVENT_ACCESS_REPLIES) == before + 1)
			break;
		usleep(10000);
	}
	assert_int_equal(accesses_logged(&m, EVENT_ACCESS_REPLIES), before + 1);
	/* Unrelated members learn nothing, not even that it exists. */
	replies(&r, &w.unrelated, &m);
	expect_error(&r, 404, "not_found");
}

static void
test_ack_is_refused_to_non_coordinators_and_twice(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	memo_action(&r, &w.director, &m, "ack");
	expect_error(&r, 403, "forbidden");
	memo_action(&r, &w.drafter, &m, "ack");
	expect_error(&r, 403, "forbidden");
	memo_action(&r, &w.unrelated, &m, "ack");
	expect_error(&r, 404, "not_found");
	ack(&m);
	memo_action(&r, &w.coord, &m, "ack");
	expect_error(&r, 409, "invalid_state");
}

static void
test_unsubmitted_memo_is_invisible_to_the_channel(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	create_memo(&w.drafter, &m, "policy");
	memo_action(&r, &w.coord, &m, "ack");
	expect_error(&r, 404, "not_found");
	call(&r, "GET", "/api/v1/channel/inbox", w.coord.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "memos")), 0);
	reply_free(&r);
}

static void
test_reply_notifies_drafters_and_every_invitee_once(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	memo_with_invitees(&m);
	ack(&m);
	assign(&r, &m, &w.colleague);
	expect_status(&r, 200);
	reply_free(&r);
	assert_int_equal(queued(&w.unrelated, NOTIFY_REPLY), 0);
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id),
	    w.colleague.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 1, "Our answer."));
	expect_status(&r, 200);
	reply_free(&r);
	/* The signers are among the invitees: all hear of it, alike. */
	assert_int_equal(queued(&w.drafter, NOTIFY_REPLY), 1);
	assert_int_equal(queued(&w.unrelated, NOTIFY_REPLY), 1);
	/* Co-drafter and invitee both: one notification. */
	assert_int_equal(queued(&w.outsider, NOTIFY_REPLY), 1);
	assert_int_equal(queued(&w.colleague, NOTIFY_REPLY), 0);
	assert_int_equal(queued(&w.coord, NOTIFY_REPLY), 0);
}

static void
test_redirect_notifies_drafters_and_every_invitee_once(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	memo_with_invitees(&m);
	call(&r, "POST", path("/api/v1/memos/%s/redirect", m.id), w.coord.token,
	    note_body(&m, MEMO_REPLY_KIND_REDIRECT, 1, "Go to the IG."));
	expect_status(&r, 200);
	reply_free(&r);
	assert_int_equal(queued(&w.drafter, NOTIFY_REPLY), 1);
	assert_int_equal(queued(&w.unrelated, NOTIFY_REPLY), 1);
	assert_int_equal(queued(&w.outsider, NOTIFY_REPLY), 1);
	assert_int_equal(queued(&w.coord, NOTIFY_REPLY), 0);
}

static void
test_redirect_leaves_a_note_and_only_before_ack(void **state)
{
	struct event ev;
	struct reply r;
	struct memo a, b;
	uint8_t hash[MEMO_HASH_BYTES], *box;
	size_t len;
	json_t *note;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &a, "policy");
	call(&r, "POST", path("/api/v1/memos/%s/redirect", a.id), w.coord.token,
	    note_body(&a, MEMO_REPLY_KIND_REDIRECT, 2, "Go to the IG."));
	expect_error(&r, 409, "conflict");
	call(&r, "POST", path("/api/v1/memos/%s/redirect", a.id),
	    w.director.token,
	    note_body(&a, MEMO_REPLY_KIND_REDIRECT, 1, "Go to the IG."));
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", path("/api/v1/memos/%s/redirect", a.id), w.coord.token,
	    note_body(&a, MEMO_REPLY_KIND_REDIRECT, 1, "Go to the IG."));
	expect_status(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "redirected");
	receipt_event(json_object_get(r.json, "receipt"), &a, &ev);
	assert_int_equal(ev.type, EVENT_MEMO_REDIRECTED);
	reply_free(&r);

	/* The note is a reply of kind redirect; its event has its hash. */
	replies(&r, &w.drafter, &a);
	expect_status(&r, 200);
	note = json_array_get(json_object_get(r.json, "replies"), 0);
	assert_string_equal(str(note, "kind"), "redirect");
	assert_int_equal(num(note, "n"), 1);
	expect_note(note, &a, MEMO_REPLY_KIND_REDIRECT, "Go to the IG.");
	box = unb64(json_object_get(note, "box"), &len);
	memo_box_hash(hash, box, len);
	assert_memory_equal(hash, ev.hash, sizeof(hash));
	free(box);
	reply_free(&r);
	memo_action(&r, &w.coord, &a, "ack");
	expect_error(&r, 409, "invalid_state");

	submitted_memo(&w.drafter, &b, "policy");
	ack(&b);
	call(&r, "POST", path("/api/v1/memos/%s/redirect", b.id), w.coord.token,
	    note_body(&b, MEMO_REPLY_KIND_REDIRECT, 1, "Too late."));
	expect_error(&r, 409, "invalid_state");
}

static void
test_assign_refuses_anyone_outside_the_channel_org(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	assign(&r, &m, &w.colleague);
	expect_error(&r, 409, "invalid_state");
	ack(&m);
	assign(&r, &m, &w.outsider);
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", path("/api/v1/memos/%s/assign", m.id), w.coord.token,
	    json_pack("{s:s,s:o}", "member", "admin", "grant",
		sealed(m.key, MEMO_GRANT_KEY, m.id, w.coord.ks.pub.box_pk)));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", path("/api/v1/memos/%s/assign", m.id), w.coord.token,
	    json_pack("{s:s,s:o}", "member", "m_aaaaaaaaaaaaaaaaaaaaaaaa",
		"grant",
		sealed(m.key, MEMO_GRANT_KEY, m.id, w.coord.ks.pub.box_pk)));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", path("/api/v1/memos/%s/assign", m.id), w.coord.token,
	    json_pack("{s:s,s:s}", "member", w.colleague.id, "grant", "AAAA"));
	expect_error(&r, 400, "invalid_field");
	/* Nothing changed. */
	call(&r, "GET", path("/api/v1/memos/%s", m.id), w.coord.token, NULL);
	expect_status(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "state"), "acknowledged");
	reply_free(&r);
	call(&r, "GET", path("/api/v1/memos/%s", m.id), w.outsider.token, NULL);
	expect_error(&r, 404, "not_found");
}

static void
test_distribution_beyond_the_standard_list_waits_for_the_director(void **state)
{
	struct event *evs;
	struct reply r;
	struct memo m;
	json_t *d;
	size_t n, i;
	int found = 0;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	distribute(&r, &m, 1, &w.pstd);
	expect_error(&r, 409, "invalid_state");
	ack(&m);
	distribute(&r, &m, 2, &w.pstd, &w.pother);
	expect_status(&r, 200);
	assert_string_equal(dist_status(r.json, &w.pstd), "distributed");
	assert_string_equal(dist_status(r.json, &w.pother), "pending");
	reply_free(&r);
	assert_int_equal(queued(&w.director, NOTIFY_NEW_ITEM), 1);
	assert_int_equal(queued(&w.pother, NOTIFY_NEW_ITEM), 0);

	/* Pending: no relation, no grant. */
	call(&r, "GET", path("/api/v1/memos/%s", m.id), w.pother.token, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "GET", path("/api/v1/memos/%s/grants", m.id), w.pother.token,
	    NULL);
	expect_error(&r, 404, "not_found");

	call(&r, "GET", path("/api/v1/memos/%s/distributions", m.id),
	    w.director.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "distributions")), 2);
	assert_string_equal(dist_status(r.json, &w.pother), "pending");
	reply_free(&r);
	call(&r, "GET", path("/api/v1/memos/%s/distributions", m.id),
	    w.drafter.token, NULL);
	expect_error(&r, 403, "forbidden");

	call(&r, "POST",
	    path(
		"/api/v1/memos/%s/distributions/%s/approve", m.id, w.pother.id),
	    w.coord.token, json_object());
	expect_error(&r, 403, "forbidden");
	call(&r, "POST",
	    path(
		"/api/v1/memos/%s/distributions/%s/approve", m.id, w.pother.id),
	    w.unrelated.token, json_object());
	expect_error(&r, 404, "not_found");
	call(&r, "POST",
	    path("/api/v1/memos/%s/distributions/%s/approve", m.id, w.phead.id),
	    w.director.token, json_object());
	expect_error(&r, 404, "not_found");

	call(&r, "POST",
	    path(
		"/api/v1/memos/%s/distributions/%s/approve", m.id, w.pother.id),
	    w.director.token, json_object());
	expect_status(&r, 200);
	d = json_object_get(r.json, "distribution");
	assert_string_equal(str(d, "status"), "distributed");
	assert_string_equal(str(d, "approved_by"), w.director.id);
	reply_free(&r);
	assert_int_equal(queued(&w.pother, NOTIFY_NEW_ITEM), 1);
	call(&r, "GET", path("/api/v1/memos/%s/grants", m.id), w.pother.token,
	    NULL);
	expect_status(&r, 200);
	expect_grant(json_object_get(r.json, "key"), MEMO_GRANT_KEY, m.id,
	    &w.pother, m.key);
	reply_free(&r);
	call(&r, "POST",
	    path(
		"/api/v1/memos/%s/distributions/%s/approve", m.id, w.pother.id),
	    w.director.token, json_object());
	expect_error(&r, 409, "conflict");
	distribute(&r, &m, 1, &w.pother);
	expect_error(&r, 409, "conflict");

	/* The log names the approving director. */
	n = log_events(&evs);
	for (i = 0; i < n; i++) {
		if (evs[i].type != EVENT_MEMO_DISTRIBUTED)
			continue;
		if (strcmp(evs[i].member_id, w.pother.id) == 0) {
			assert_string_equal(evs[i].member2_id, w.director.id);
			found++;
		} else {
			assert_string_equal(evs[i].member_id, w.pstd.id);
			assert_string_equal(evs[i].member2_id, "");
		}
	}
	free(evs);
	assert_int_equal(found, 1);
}

static void
test_distribution_refuses_members_without_the_principal_role(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	ack(&m);
	distribute(&r, &m, 1, &w.colleague);
	expect_error(&r, 400, "invalid_field");
	distribute(&r, &m, 2, &w.pstd, &w.pstd);
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", path("/api/v1/memos/%s/distribute", m.id),
	    w.coord.token, json_pack("{s:[]}", "recipients"));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", path("/api/v1/memos/%s/distribute", m.id),
	    w.coord.token, json_pack("{s:[s]}", "recipients", "x"));
	expect_error(&r, 400, "invalid_field");
	/* Nothing was recorded by the refused requests. */
	call(&r, "GET", path("/api/v1/memos/%s/distributions", m.id),
	    w.coord.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "distributions")), 0);
	reply_free(&r);
}

static void
test_standard_list_adds_the_agency_head_of_other_agencies(void **state)
{
	struct reply r;
	struct memo a, b;
	json_t *ms;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &a, "policy");
	submitted_memo(&w.colleague, &b, "policy");
	call(&r, "GET", path("/api/v1/standard-principals?memo=%s", a.id),
	    w.coord.token, NULL);
	expect_status(&r, 200);
	ms = json_object_get(r.json, "members");
	assert_int_equal(json_array_size(ms), 2);
	assert_string_equal(str(json_array_get(ms, 0), "id"), w.pstd.id);
	assert_string_equal(str(json_array_get(ms, 1), "id"), w.phead.id);
	reply_free(&r);
	call(&r, "GET", path("/api/v1/standard-principals?memo=%s", b.id),
	    w.coord.token, NULL);
	expect_status(&r, 200);
	ms = json_object_get(r.json, "members");
	assert_int_equal(json_array_size(ms), 1);
	assert_string_equal(str(json_array_get(ms, 0), "id"), w.pstd.id);
	reply_free(&r);
	call(&r, "GET", path("/api/v1/standard-principals?memo=%s", a.id),
	    w.drafter.token, NULL);
	expect_error(&r, 403, "forbidden");
	call(&r, "GET", "/api/v1/standard-principals", w.coord.token, NULL);
	expect_error(&r, 400, "missing_field");
	call(&r, "GET", path("/api/v1/standard-principals?memo=%s&x=1", a.id),
	    w.coord.token, NULL);
	expect_error(&r, 400, "unknown_field");
}

static void
test_reply_by_assignee_is_accepted_and_by_others_refused(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id), w.coord.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 1, "Too early."));
	expect_error(&r, 409, "invalid_state");
	ack(&m);
	assign(&r, &m, &w.colleague);
	expect_status(&r, 200);
	reply_free(&r);
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id),
	    w.unrelated.token, note_body(&m, MEMO_REPLY_KIND_REPLY, 1, "No."));
	expect_error(&r, 404, "not_found");
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id),
	    w.drafter.token, note_body(&m, MEMO_REPLY_KIND_REPLY, 1, "No."));
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id),
	    w.colleague.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 3, "Wrong number."));
	expect_error(&r, 409, "conflict");
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id),
	    w.colleague.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 1, "The answer."));
	expect_status(&r, 200);
	reply_free(&r);
	/* Follow-ups by the coordinator are numbered on. */
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id), w.coord.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 2, "A follow-up."));
	expect_status(&r, 200);
	reply_free(&r);
	replies(&r, &w.drafter, &m);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "replies")), 2);
	expect_note(json_array_get(json_object_get(r.json, "replies"), 1), &m,
	    MEMO_REPLY_KIND_REPLY, "A follow-up.");
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "replies"), 0),
		"author"),
	    w.colleague.id);
	reply_free(&r);
}

static void
test_close_then_reply_is_refused(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	memo_action(&r, &w.coord, &m, "close");
	expect_error(&r, 409, "invalid_state");
	ack(&m);
	memo_action(&r, &w.director, &m, "close");
	expect_error(&r, 403, "forbidden");
	/* Not before a reply: the reply deadline keeps running. */
	memo_action(&r, &w.coord, &m, "close");
	expect_error(&r, 409, "invalid_state");
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id), w.coord.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 1, "Our answer."));
	expect_status(&r, 200);
	reply_free(&r);
	memo_action(&r, &w.coord, &m, "close");
	expect_status(&r, 200);
	reply_free(&r);
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id), w.coord.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 2, "Too late."));
	expect_error(&r, 409, "invalid_state");
	memo_action(&r, &w.coord, &m, "close");
	expect_error(&r, 409, "invalid_state");
}

/* Ask for a meeting on ${m} with ${p} as ${by}. */
static void
request_meeting(struct reply *r, const struct member *by, const struct memo *m,
    const struct member *p)
{

	call(r, "POST", path("/api/v1/memos/%s/meetings", m->id), by->token,
	    json_pack("{s:s}", "principal", p->id));
}

static void
test_meetings_are_requested_by_drafters_and_managed_by_the_principal(
    void **state)
{
	struct reply r;
	struct memo m;
	json_int_t mid;
	json_t *mt;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	ack(&m);
	assign(&r, &m, &w.colleague);
	expect_status(&r, 200);
	reply_free(&r);
	distribute(&r, &m, 1, &w.pstd);
	expect_status(&r, 200);
	reply_free(&r);

	request_meeting(&r, &w.coord, &m, &w.pstd);
	expect_error(&r, 403, "forbidden");
	request_meeting(&r, &w.colleague, &m, &w.pstd);
	expect_error(&r, 403, "forbidden");
	request_meeting(&r, &w.unrelated, &m, &w.pstd);
	expect_error(&r, 404, "not_found");
	request_meeting(&r, &w.drafter, &m, &w.pother);
	expect_error(&r, 400, "invalid_field");
	request_meeting(&r, &w.drafter, &m, &w.pstd);
	expect_status(&r, 201);
	mt = json_object_get(r.json, "meeting");
	mid = num(mt, "id");
	assert_string_equal(str(mt, "state"), "requested");
	assert_string_equal(str(mt, "principal"), w.pstd.id);
	assert_string_equal(str(mt, "requested_by"), w.drafter.id);
	reply_free(&r);
	request_meeting(&r, &w.drafter, &m, &w.pstd);
	expect_error(&r, 409, "conflict");

	call(&r, "GET", "/api/v1/meetings", w.pstd.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "meetings")), 1);
	reply_free(&r);
	call(&r, "GET", "/api/v1/meetings", w.coord.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "meetings")), 1);
	reply_free(&r);
	call(&r, "GET", "/api/v1/meetings", w.unrelated.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "meetings")), 0);
	reply_free(&r);

	call(&r, "POST", path("/api/v1/meetings/%lld/schedule", (long long)mid),
	    w.drafter.token,
	    json_pack("{s:I}", "at", (json_int_t)time(NULL) + 86400));
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", path("/api/v1/meetings/%lld/schedule", (long long)mid),
	    w.pstd.token, json_pack("{s:I}", "at", (json_int_t)1000));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/meetings/999/schedule", w.pstd.token,
	    json_pack("{s:I}", "at", (json_int_t)time(NULL) + 86400));
	expect_error(&r, 404, "not_found");
	call(&r, "POST", path("/api/v1/meetings/%lld/schedule", (long long)mid),
	    w.pstd.token,
	    json_pack("{s:I}", "at", (json_int_t)time(NULL) + 86400));
	expect_status(&r, 200);
	mt = json_object_get(r.json, "meeting");
	assert_string_equal(str(mt, "state"), "scheduled");
	assert_true(num(mt, "scheduled_at") > time(NULL));
	reply_free(&r);

	call(&r, "POST", path("/api/v1/meetings/%lld/outcome", (long long)mid),
	    w.pstd.token, json_pack("{s:b}", "held", 1));
	expect_error(&r, 400, "missing_field");
	{
		json_t *b = note_body(&m, MEMO_REPLY_KIND_OUTCOME, 1, "Met.");

		json_object_set_new(b, "held", json_true());
		call(&r, "POST",
		    path("/api/v1/meetings/%lld/outcome", (long long)mid),
		    w.pstd.token, b);
	}
	expect_status(&r, 200);
	mt = json_object_get(r.json, "meeting");
	assert_string_equal(str(mt, "state"), "held");
	assert_int_equal(num(mt, "outcome"), 1);
	reply_free(&r);
	call(&r, "POST", path("/api/v1/meetings/%lld/outcome", (long long)mid),
	    w.pstd.token, json_pack("{s:b}", "held", 0));
	expect_error(&r, 409, "invalid_state");

	/* The outcome note is the memo's, numbered with its replies. */
	replies(&r, &w.drafter, &m);
	expect_status(&r, 200);
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "replies"), 0), "kind"),
	    "outcome");
	expect_note(json_array_get(json_object_get(r.json, "replies"), 0), &m,
	    MEMO_REPLY_KIND_OUTCOME, "Met.");
	reply_free(&r);
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id),
	    w.colleague.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 2, "The answer."));
	expect_status(&r, 200);
	reply_free(&r);
}

/* The error message of ${r}; the reply is freed. */
static char *
error_message(struct reply *r)
{
	const char *m = json_string_value(
	    json_object_get(json_object_get(r->json, "error"), "message"));
	char *out;

	assert_non_null(m);
	assert_non_null(out = strdup(m));
	reply_free(r);
	return (out);
}

static void
test_an_unrelated_member_cannot_tell_a_meeting_exists(void **state)
{
	char *there, *missing;
	struct reply r;
	struct memo m;
	json_int_t mid;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	ack(&m);
	distribute(&r, &m, 1, &w.pstd);
	expect_status(&r, 200);
	reply_free(&r);
	request_meeting(&r, &w.drafter, &m, &w.pstd);
	expect_status(&r, 201);
	mid = num(json_object_get(r.json, "meeting"), "id");
	reply_free(&r);
	call(&r, "POST", path("/api/v1/meetings/%lld/schedule", (long long)mid),
	    w.unrelated.token,
	    json_pack("{s:I}", "at", (json_int_t)time(NULL) + 86400));
	assert_int_equal(r.status, 404);
	there = error_message(&r);
	call(&r, "POST",
	    path("/api/v1/meetings/%lld/schedule", (long long)mid + 1000),
	    w.unrelated.token,
	    json_pack("{s:I}", "at", (json_int_t)time(NULL) + 86400));
	assert_int_equal(r.status, 404);
	missing = error_message(&r);
	assert_string_equal(there, missing);
	free(there);
	free(missing);
}

/* A complaint body with ${text}, sealed to the ${n} auditors given. */
static json_t *
complaint_body(const char *text, size_t n, ...)
{
	uint8_t key[AEAD_KEY_BYTES], ad[64], *box;
	struct binenc e;
	json_t *grants = json_array(), *o;
	va_list ap;
	size_t adlen, i, len = strlen(text);

	aead_key_new(key);
	binenc_init(&e, ad, sizeof(ad));
	binenc_str(&e, "dissent/complaint/v1");
	assert_int_equal(binenc_finish(&e, &adlen), 0);
	assert_non_null(box = malloc(len + AEAD_OVERHEAD));
	assert_int_equal(
	    aead_seal(box, (const uint8_t *)text, len, ad, adlen, key), 0);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const struct member *a = va_arg(ap, const struct member *);

		json_array_append_new(
		    grants, json_pack("{s:s,s:o}", "member", a->id, "sealed",
				sealed(key, "complaint-key", "complaint",
				    a->ks.pub.box_pk)));
	}
	va_end(ap);
	o = json_pack("{s:o,s:o}", "box", jb64(box, len + AEAD_OVERHEAD),
	    "grants", grants);
	free(box);
	return (o);
}

static void
test_complaints_are_read_by_auditors_only_without_the_complainant(void **state)
{
	uint8_t key[GRANT_KEY_BYTES], ad[64], *box, *sk, msg[64];
	struct binenc e;
	struct event *evs;
	struct reply r;
	static char dump[8192];
	json_t *c;
	size_t n, i, len, sklen, adlen;
	int found = 0;

	(void)state;
	call(&r, "GET", "/api/v1/auditors", w.unrelated.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "members")), 2);
	reply_free(&r);

	call(&r, "POST", "/api/v1/complaints", w.unrelated.token,
	    complaint_body("Reprisal.", 1, &w.auditor));
	expect_error(&r, 409, "conflict");
	call(&r, "POST", "/api/v1/complaints", w.unrelated.token,
	    complaint_body("Reprisal.", 2, &w.auditor, &w.coord));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/complaints", w.unrelated.token,
	    complaint_body("Reprisal.", 2, &w.auditor, &w.auditor));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/complaints", w.unrelated.token,
	    complaint_body("Reprisal.", 2, &w.auditor, &w.auditor2));
	expect_status(&r, 201);
	assert_true(num(json_object_get(r.json, "complaint"), "id") > 0);
	reply_free(&r);
	assert_int_equal(queued(&w.auditor, NOTIFY_COMPLAINT), 1);
	assert_int_equal(queued(&w.auditor2, NOTIFY_COMPLAINT), 1);
	assert_int_equal(queued(&w.unrelated, NOTIFY_COMPLAINT), 0);

	call(&r, "GET", "/api/v1/complaints", w.unrelated.token, NULL);
	expect_error(&r, 403, "forbidden");
	call(&r, "GET", "/api/v1/complaints", w.coord.token, NULL);
	expect_error(&r, 403, "forbidden");
	call(&r, "GET", "/api/v1/complaints", w.director.token, NULL);
	expect_error(&r, 403, "forbidden");

	call(&r, "GET", "/api/v1/complaints", w.auditor2.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "complaints")), 1);
	c = json_array_get(json_object_get(r.json, "complaints"), 0);
	/* Nothing in it names the complainant. */
	/* Not json_dumps(): jansson allocates with jsonin's allocator. */
	len = json_dumpb(r.json, dump, sizeof(dump) - 1, JSON_COMPACT);
	assert_true(len > 0 && len < sizeof(dump) - 1);
	dump[len] = '\0';
	assert_null(strstr(dump, w.unrelated.id));
	assert_null(strstr(dump, w.unrelated.handle));
	/* The auditor's client opens it. */
	sk = unb64(json_object_get(c, "sealed"), &sklen);
	assert_int_equal(grant_open(key, sk, sklen, "complaint-key",
			     "complaint", &w.auditor2.ks),
	    0);
	box = unb64(json_object_get(c, "box"), &len);
	binenc_init(&e, ad, sizeof(ad));
	binenc_str(&e, "dissent/complaint/v1");
	assert_int_equal(binenc_finish(&e, &adlen), 0);
	assert_true(len - AEAD_OVERHEAD < sizeof(msg));
	assert_int_equal(aead_open(msg, box, len, ad, adlen, key), 0);
	assert_memory_equal(msg, "Reprisal.", 9);
	free(sk);
	free(box);
	reply_free(&r);

	/* Its log event carries the box's hash only. */
	n = log_events(&evs);
	for (i = 0; i < n; i++) {
		if (evs[i].type != EVENT_COMPLAINT_FILED)
			continue;
		found++;
		assert_string_equal(evs[i].member_id, "");
		assert_string_equal(evs[i].member2_id, "");
		assert_string_equal(evs[i].memo_id, "");
	}
	free(evs);
	assert_int_equal(found, 1);
}

/* A member of "usaid" named ${handle}, enrolled and logged in. */
static void
extra_drafter(struct member *m, const char *handle)
{

	new_member(m, handle, "usaid", "[\"member\"]");
}

/* The cell of ${topic} in a stats reply (the first period's). */
static json_t *
stats_cell(json_t *o, const char *topic)
{
	json_t *cells = json_object_get(o, "cells"), *c;
	size_t i;

	json_array_foreach(cells, i, c)
	{
		if (strcmp(str(c, "topic"), topic) == 0)
			return (c);
	}
	fail_msg("no cell for topic \"%s\"", topic);
	return (NULL);
}

static void
test_stats_suppress_cells_of_fewer_than_five_authors(void **state)
{
	struct member ds[5];
	struct memo m;
	struct reply r;
	json_t *c;
	char handle[16];
	size_t i;

	(void)state;
	channel_key();
	for (i = 0; i < 4; i++) {
		snprintf(handle, sizeof(handle), "author%zu", i);
		extra_drafter(&ds[i], handle);
		submitted_memo(&ds[i], &m, "policy");
		ack(&m);
	}
	call(&r, "GET", "/api/v1/stats", w.coord.token, NULL);
	expect_status(&r, 200);
	assert_string_equal(str(r.json, "period"), "month");
	assert_int_equal(num(r.json, "min_authors"), STATS_MIN_AUTHORS);
	c = stats_cell(r.json, "");
	assert_true(json_is_true(json_object_get(c, "suppressed")));
	assert_true(json_is_null(json_object_get(c, "memos")));
	reply_free(&r);

	/* Two memos by one author are still four authors. */
	submitted_memo(&ds[0], &m, "policy");
	call(&r, "GET", "/api/v1/stats", w.auditor.token, NULL);
	expect_status(&r, 200);
	assert_true(json_is_true(
	    json_object_get(stats_cell(r.json, "policy"), "suppressed")));
	reply_free(&r);

	extra_drafter(&ds[4], "author4");
	submitted_memo(&ds[4], &m, "policy");
	call(&r, "GET", "/api/v1/stats?period=year", w.director.token, NULL);
	expect_status(&r, 200);
	assert_string_equal(str(r.json, "period"), "year");
	c = stats_cell(r.json, "policy");
	assert_true(json_is_false(json_object_get(c, "suppressed")));
	assert_int_equal(num(c, "memos"), 6);
	assert_int_equal(num(c, "acknowledged"), 4);
	assert_true(json_is_integer(json_object_get(c, "ack_median_seconds")));
	reply_free(&r);

	call(&r, "GET", "/api/v1/stats", w.unrelated.token, NULL);
	expect_error(&r, 403, "forbidden");
	call(&r, "GET", "/api/v1/stats?period=week", w.coord.token, NULL);
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", "/api/v1/stats?topic=x", w.coord.token, NULL);
	expect_error(&r, 400, "unknown_field");
}

static void
test_inbox_is_sorted_by_next_due_and_flags_overdue(void **state)
{
	struct reply r;
	struct memo a, b;
	json_t *ms;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &a, "policy");
	ack(&a);
	submitted_memo(&w.colleague, &b, "operations");
	call(&r, "GET", "/api/v1/channel/inbox", w.drafter.token, NULL);
	expect_error(&r, 403, "forbidden");

	/* b owes an acknowledgement within days, a a reply within weeks. */
	call(&r, "GET", "/api/v1/channel/inbox", w.coord.token, NULL);
	expect_status(&r, 200);
	ms = json_object_get(r.json, "memos");
	assert_int_equal(json_array_size(ms), 2);
	assert_string_equal(str(json_array_get(ms, 0), "id"), b.id);
	assert_string_equal(str(json_array_get(ms, 1), "id"), a.id);
	assert_true(
	    json_is_false(json_object_get(json_array_get(ms, 0), "overdue")));
	assert_int_equal(num(json_array_get(ms, 0), "next_due"),
	    num(json_object_get(json_array_get(ms, 0), "due"), "ack"));
	reply_free(&r);

	/* Ten days on, b's acknowledgement is late; a's reply is not. */
	set_clock((int64_t)time(NULL) + 10 * 86400);
	call(&r, "GET", "/api/v1/channel/inbox", w.director.token, NULL);
	expect_status(&r, 200);
	ms = json_object_get(r.json, "memos");
	assert_true(
	    json_is_true(json_object_get(json_array_get(ms, 0), "overdue")));
	assert_true(
	    json_is_false(json_object_get(json_array_get(ms, 1), "overdue")));
	reply_free(&r);
	set_clock(0);
}

static void
test_admin_is_refused_every_channel_route(void **state)
{
	static const struct {
		const char *method, *path; /* "/x": under the memo */
	} routes[] = {
	    {"GET", "/api/v1/channel"},
	    {"POST", "/api/v1/channel/key"},
	    {"POST", "/api/v1/channel/grants"},
	    {"GET", "/api/v1/channel/grant"},
	    {"GET", "/api/v1/channel/inbox"},
	    {"GET", "/api/v1/standard-principals"},
	    {"POST", "/ack"},
	    {"POST", "/redirect"},
	    {"POST", "/assign"},
	    {"POST", "/distribute"},
	    {"GET", "/distributions"},
	    {"POST", "/distributions/pstd/approve"},
	    {"POST", "/replies"},
	    {"GET", "/replies"},
	    {"POST", "/close"},
	    {"POST", "/meetings"},
	    {"GET", "/api/v1/meetings"},
	    {"POST", "/api/v1/meetings/1/schedule"},
	    {"POST", "/api/v1/meetings/1/outcome"},
	    {"GET", "/api/v1/auditors"},
	    {"POST", "/api/v1/complaints"},
	    {"GET", "/api/v1/complaints"},
	    {"GET", "/api/v1/stats"},
	};
	char p[256];
	struct reply r;
	struct memo m;
	size_t i;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strncmp(routes[i].path, "/api/", 5) != 0)
			snprintf(p, sizeof(p), "/api/v1/memos/%s%s", m.id,
			    routes[i].path);
		else
			snprintf(p, sizeof(p), "%s", routes[i].path);
		call(&r, routes[i].method, p, w.admin_token,
		    strcmp(routes[i].method, "POST") == 0 ? json_object()
							  : NULL);
		expect_error(&r, 403, "forbidden");
	}
}

/* The number of memo grants of ${m} in the instance's database. */
static int
grants_of(const struct member *m)
{
	char dbpath[600];
	sqlite3_stmt *st;
	sqlite3 *db;
	int n;

	snprintf(dbpath, sizeof(dbpath), "%s/dissent.db", w.dir);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_int_equal(sqlite3_busy_timeout(db, 5000), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT count(*) FROM memo_grants WHERE "
			     "recipient = ?1",
			     -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return (n);
}

static void
test_reassign_takes_the_memo_from_the_previous_assignee(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	ack(&m);
	assign(&r, &m, &w.colleague);
	expect_status(&r, 200);
	reply_free(&r);
	call_expect("GET", path("/api/v1/memos/%s", m.id), w.colleague.token,
	    NULL, 200);
	assert_int_equal(grants_of(&w.colleague), 1);
	/* Assigning the same member again changes nothing for it. */
	assign(&r, &m, &w.colleague);
	expect_status(&r, 200);
	reply_free(&r);
	call_expect("GET", path("/api/v1/memos/%s", m.id), w.colleague.token,
	    NULL, 200);

	assign(&r, &m, &w.unrelated);
	expect_status(&r, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "memo"), "assignee"), w.unrelated.id);
	reply_free(&r);
	/* The previous assignee lost the relation and the memo key. */
	call(
	    &r, "GET", path("/api/v1/memos/%s", m.id), w.colleague.token, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "GET", path("/api/v1/memos/%s/grants", m.id),
	    w.colleague.token, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "POST", path("/api/v1/memos/%s/replies", m.id),
	    w.colleague.token,
	    note_body(&m, MEMO_REPLY_KIND_REPLY, 1, "Too late."));
	expect_error(&r, 404, "not_found");
	assert_int_equal(grants_of(&w.colleague), 0);
	/* The new one has both. */
	call_expect("GET", path("/api/v1/memos/%s", m.id), w.unrelated.token,
	    NULL, 200);
	assert_int_equal(grants_of(&w.unrelated), 1);
}

static void
test_reassign_leaves_the_key_of_an_assignee_related_otherwise(void **state)
{
	struct reply r;
	struct memo m;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	ack(&m);
	/* pstd is on the standard list: a principal of the memo at once. */
	distribute(&r, &m, 1, &w.pstd);
	expect_status(&r, 200);
	reply_free(&r);
	assign(&r, &m, &w.pstd);
	expect_status(&r, 200);
	reply_free(&r);
	assign(&r, &m, &w.colleague);
	expect_status(&r, 200);
	reply_free(&r);
	/* Still a principal: it keeps the memo and its key. */
	call_expect(
	    "GET", path("/api/v1/memos/%s", m.id), w.pstd.token, NULL, 200);
	call(&r, "GET", path("/api/v1/memos/%s/grants", m.id), w.pstd.token,
	    NULL);
	expect_status(&r, 200);
	assert_true(json_is_string(json_object_get(r.json, "key")));
	reply_free(&r);
}

static void
test_inbox_pages_with_offset_and_limit(void **state)
{
	struct reply r;
	struct memo m[3];
	char first[MEMO_ID_LEN + 1], second[MEMO_ID_LEN + 1];
	json_t *ms;
	size_t i;

	(void)state;
	channel_key();
	for (i = 0; i < 3; i++)
		submitted_memo(&w.drafter, &m[i], "policy");
	call(&r, "GET", "/api/v1/channel/inbox", w.coord.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(num(r.json, "total"), 3);
	ms = json_object_get(r.json, "memos");
	assert_int_equal(json_array_size(ms), 3);
	snprintf(first, sizeof(first), "%s", str(json_array_get(ms, 0), "id"));
	snprintf(
	    second, sizeof(second), "%s", str(json_array_get(ms, 1), "id"));
	reply_free(&r);

	call(&r, "GET", "/api/v1/channel/inbox?limit=1", w.coord.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(num(r.json, "total"), 3);
	ms = json_object_get(r.json, "memos");
	assert_int_equal(json_array_size(ms), 1);
	assert_string_equal(str(json_array_get(ms, 0), "id"), first);
	reply_free(&r);
	call(&r, "GET", "/api/v1/channel/inbox?offset=1&limit=1", w.coord.token,
	    NULL);
	expect_status(&r, 200);
	ms = json_object_get(r.json, "memos");
	assert_int_equal(json_array_size(ms), 1);
	assert_string_equal(str(json_array_get(ms, 0), "id"), second);
	reply_free(&r);
	call(&r, "GET", "/api/v1/channel/inbox?offset=3", w.coord.token, NULL);
	expect_status(&r, 200);
	assert_int_equal(num(r.json, "total"), 3);
	assert_int_equal(json_array_size(json_object_get(r.json, "memos")), 0);
	reply_free(&r);

	call(&r, "GET", "/api/v1/channel/inbox?limit=0", w.coord.token, NULL);
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", "/api/v1/channel/inbox?limit=501", w.coord.token, NULL);
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", "/api/v1/channel/inbox?offset=01", w.coord.token, NULL);
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", "/api/v1/channel/inbox?offset=10001", w.coord.token,
	    NULL);
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", "/api/v1/channel/inbox?offset=-1", w.coord.token, NULL);
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", "/api/v1/channel/inbox?page=2", w.coord.token, NULL);
	expect_error(&r, 400, "unknown_field");
}

static void
test_tree_heads_follow_the_test_clock_of_their_events(void **state)
{
	struct reply r;
	struct memo m;
	struct event ev;
	json_t *receipt;
	int64_t future = (int64_t)time(NULL) + 365 * 86400;

	(void)state;
	channel_key();
	submitted_memo(&w.drafter, &m, "policy");
	/* A year ahead: the event and the head covering it agree on it. */
	set_clock(future);
	memo_action(&r, &w.coord, &m, "ack");
	expect_status(&r, 200);
	receipt = json_object_get(r.json, "receipt");
	receipt_event(receipt, &m, &ev);
	assert_int_equal(ev.time, (uint64_t)future);
	assert_true(
	    num(json_object_get(receipt, "head"), "timestamp") >= future);
	reply_free(&r);
	call(&r, "GET", "/api/v1/log/head", w.coord.token, NULL);
	expect_status(&r, 200);
	assert_true(num(r.json, "timestamp") >= future);
	reply_free(&r);
	set_clock(0);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_channel_key_is_created_once_by_a_coordinator),
	    T(test_channel_key_is_granted_to_coordinators_only),
	    T(test_workflow_from_acknowledgement_to_closure),
	    T(test_reading_replies_is_logged_first),
	    T(test_ack_is_refused_to_non_coordinators_and_twice),
	    T(test_unsubmitted_memo_is_invisible_to_the_channel),
	    T(test_redirect_leaves_a_note_and_only_before_ack),
	    T(test_reply_notifies_drafters_and_every_invitee_once),
	    T(test_redirect_notifies_drafters_and_every_invitee_once),
	    T(test_assign_refuses_anyone_outside_the_channel_org),
	    T(test_distribution_beyond_the_standard_list_waits_for_the_director),
	    T(test_distribution_refuses_members_without_the_principal_role),
	    T(test_standard_list_adds_the_agency_head_of_other_agencies),
	    T(test_reply_by_assignee_is_accepted_and_by_others_refused),
	    T(test_close_then_reply_is_refused),
	    T(test_meetings_are_requested_by_drafters_and_managed_by_the_principal),
	    T(test_an_unrelated_member_cannot_tell_a_meeting_exists),
	    T(test_complaints_are_read_by_auditors_only_without_the_complainant),
	    T(test_stats_suppress_cells_of_fewer_than_five_authors),
	    T(test_inbox_is_sorted_by_next_due_and_flags_overdue),
	    T(test_admin_is_refused_every_channel_route),
	    T(test_reassign_takes_the_memo_from_the_previous_assignee),
	    T(test_reassign_leaves_the_key_of_an_assignee_related_otherwise),
	    T(test_inbox_pages_with_offset_and_limit),
	    T(test_tree_heads_follow_the_test_clock_of_their_events),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	jsonin_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
