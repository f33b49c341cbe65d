/*
 * The API end to end inside one process (src/server/server.c and the
 * routes): a real instance in a temporary directory, requests handed to
 * the dispatcher as the HTTP layer would, replies checked against
 * docs/API.md.  The network layer itself is tested in test_srv_http.c.
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
#include "http.h"
#include "instance.h"
#include "jsonin.h"
#include "keys.h"
#include "log.h"
#include "merkle.h"
#include "server.h"
#include "store.h"
#include "totp.h"
#include "treehead.h"

struct reply {
	unsigned int status;
	json_t *json;
	char cookie[HTTP_HEADER_VALUE_MAX];
	char retry_after[HTTP_HEADER_VALUE_MAX];
	char allow[HTTP_HEADER_VALUE_MAX];
};

/* One test's world: an instance, a server, and the admin's session. */
struct world {
	char dir[512];
	struct config cfg;
	struct server *sv;
	char admin_code[ACCOUNT_CODE_LEN + 1];
	char admin_token[ACCOUNT_TOKEN_LEN + 1];
	char admin_id[DIRECTORY_MEMBER_ID_LEN + 1];
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

static struct world w;

/* base64url of ${n} bytes (static rotating buffers). */
static const char *
b64(const uint8_t *p, size_t n)
{
	static char bufs[8][256];
	static int next;
	char *out = bufs[next++ % 8];

	assert_int_equal(b64_encode(out, 256, p, n), 0);
	return (out);
}

/* Hand one request to the dispatcher; ${body} is stolen (may be NULL). */
static void
call(struct reply *r, const char *method, const char *path, const char *token,
    json_t *body)
{
	static char text[HTTP_BODY_MAX];
	struct http_request req;
	const char *rb;
	size_t len, i;

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
	for (i = 0; i < req.nheaders; i++) {
		if (strcmp(req.headers[i].name, "Set-Cookie") == 0)
			snprintf(r->cookie, sizeof(r->cookie), "%s",
			    req.headers[i].value);
		if (strcmp(req.headers[i].name, "Retry-After") == 0)
			snprintf(r->retry_after, sizeof(r->retry_after), "%s",
			    req.headers[i].value);
		if (strcmp(req.headers[i].name, "Allow") == 0)
			snprintf(r->allow, sizeof(r->allow), "%s",
			    req.headers[i].value);
	}
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

	assert_int_equal(r->status, status);
	assert_string_equal(error_code(r), code);
	reply_free(r);
}

static const char *
str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_non_null(v);
	assert_true(json_is_string(v));
	return (json_string_value(v));
}

/* A custody object for ${auth_key} at the default cost. */
static json_t *
custody_json(
    const uint8_t auth_key[CUSTODY_KEY_BYTES], uint64_t ops, uint64_t mem)
{
	uint8_t salt[CUSTODY_SALT_BYTES], wrapped[CUSTODY_WRAPPED_BYTES];

	randombytes_buf(salt, sizeof(salt));
	randombytes_buf(wrapped, sizeof(wrapped));
	return (json_pack("{s:s,s:I,s:I,s:s,s:s}", "salt",
	    b64(salt, sizeof(salt)), "opslimit", (json_int_t)ops, "memlimit",
	    (json_int_t)mem, "auth_key", b64(auth_key, CUSTODY_KEY_BYTES),
	    "wrapped_seed", b64(wrapped, sizeof(wrapped))));
}

static json_t *
recovery_json(const uint8_t auth_key[CUSTODY_KEY_BYTES])
{
	uint8_t wrapped[CUSTODY_WRAPPED_BYTES];

	memset(wrapped, 0x77, sizeof(wrapped));
	return (
	    json_pack("{s:s,s:s}", "auth_key", b64(auth_key, CUSTODY_KEY_BYTES),
		"wrapped_seed", b64(wrapped, sizeof(wrapped))));
}

static json_t *
keys_json(const struct keys_public *pub)
{

	return (json_pack("{s:s,s:s,s:s}", "sign_pk",
	    b64(pub->sign_pk, KEYS_SIGN_PK_BYTES), "box_pk",
	    b64(pub->box_pk, KEYS_BOX_PK_BYTES), "ring_pk",
	    b64(pub->ring_pk, KEYS_RING_PK_BYTES)));
}

static json_t *
pop_json(const struct keys_pop *pop)
{

	return (json_pack("{s:s,s:s}", "sig", b64(pop->sig, KEYS_SIG_BYTES),
	    "ring_proof", b64(pop->ring_proof, KEYS_RING_PROOF_BYTES)));
}

/* The body of POST /enroll for ${m} (keys made here) with ${code}. */
static json_t *
enroll_body(struct member *m, const char *code)
{
	struct keys_pop pop;

	keys_seed_new(m->seed);
	assert_int_equal(keys_derive(&m->ks, m->seed), 0);
	assert_int_equal(keys_pop_make(&pop, &m->ks, m->id, 1), 0);
	randombytes_buf(m->auth_key, sizeof(m->auth_key));
	randombytes_buf(m->recovery_key, sizeof(m->recovery_key));
	return (json_pack("{s:s,s:o,s:o,s:o,s:o}", "code", code, "keys",
	    keys_json(&m->ks.pub), "pop", pop_json(&pop), "custody",
	    custody_json(m->auth_key, 3, 64ULL << 20), "recovery",
	    recovery_json(m->recovery_key)));
}

/* Look ${code} up and enroll ${m} with it; expect success. */
static void
enroll(struct member *m, const char *code)
{
	struct reply r;
	json_t *mem;

	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	assert_int_equal(r.status, 200);
	mem = json_object_get(r.json, "member");
	snprintf(m->id, sizeof(m->id), "%s", str(mem, "id"));
	snprintf(m->handle, sizeof(m->handle), "%s", str(mem, "handle"));
	assert_string_equal(str(mem, "status"), "pending");
	assert_true(json_is_null(json_object_get(mem, "keys")));
	reply_free(&r);

	call(&r, "POST", "/api/v1/enroll", NULL, enroll_body(m, code));
	assert_int_equal(r.status, 201);
	mem = json_object_get(r.json, "member");
	assert_string_equal(str(mem, "status"), "active");
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(mem, "keys"), "epoch")),
	    1);
	reply_free(&r);
}

/* Log ${m} in with ${auth_key}; return the status (token kept on 200). */
static unsigned int
login(struct member *m, const uint8_t auth_key[CUSTODY_KEY_BYTES],
    const char *totp, struct reply *out)
{
	struct reply r;
	json_t *body;
	unsigned int status;

	body = json_pack("{s:s,s:s}", "handle", m->handle, "auth_key",
	    b64(auth_key, CUSTODY_KEY_BYTES));
	if (totp != NULL)
		json_object_set_new(body, "totp", json_string(totp));
	call(&r, "POST", "/api/v1/auth/login", NULL, body);
	status = r.status;
	if (status == 200)
		snprintf(
		    m->token, sizeof(m->token), "%s", str(r.json, "token"));
	if (out != NULL)
		*out = r;
	else
		reply_free(&r);
	return (status);
}

/* As the admin, create a member; return its enrollment code. */
static void
create_member(const char *handle, const char *roles_json, int eligible,
    char code[ACCOUNT_CODE_LEN + 1])
{
	struct reply r;

	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:o,s:b}", "handle", handle, "display_name",
		"Some Body", "org", "state", "roles",
		json_loads(roles_json, 0, NULL), "eligible", eligible));
	assert_int_equal(r.status, 201);
	snprintf(
	    code, ACCOUNT_CODE_LEN + 1, "%s", str(r.json, "enrollment_code"));
	assert_string_equal(
	    str(json_object_get(r.json, "member"), "status"), "pending");
	reply_free(&r);
}

/* A member enrolled and logged in. */
static void
new_member(struct member *m, const char *handle, const char *roles_json)
{
	char code[ACCOUNT_CODE_LEN + 1];

	memset(m, 0, sizeof(*m));
	create_member(handle, roles_json, 1, code);
	enroll(m, code);
	assert_int_equal(login(m, m->auth_key, NULL, NULL), 200);
}

static int
setup_with(int64_t enrollment_ttl, void (*tweak)(struct config *))
{
	struct instance_init_args a;
	struct member admin;
	const char *tmp = getenv("TMPDIR");
	char err[256];
	int64_t exp;
	size_t len;

	memset(&w, 0, sizeof(w));
	snprintf(w.dir, sizeof(w.dir), "%s/test_srv_api.XXXXXX",
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
	a.enrollment_ttl = enrollment_ttl;
	if (instance_init(&a, (int64_t)time(NULL), w.admin_code, &exp, err,
		sizeof(err)) != 0) {
		fprintf(stderr, "init: %s\n", err);
		return (-1);
	}
	config_defaults(&w.cfg);
	snprintf(w.cfg.data_dir, sizeof(w.cfg.data_dir), "%s", w.dir);
	w.cfg.rate_limit_per_minute = 0;
	w.cfg.log_level = LOG_ERROR;
	/* Directory changes wait for a head: keep the tests quick. */
	w.cfg.log_head_interval_ms = 10;
	if (tweak != NULL)
		tweak(&w.cfg);
	log_set_level(w.cfg.log_level);
	if (server_new(&w.sv, &w.cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "server: %s\n", err);
		return (-1);
	}
	if (enrollment_ttl > 0) {
		memset(&admin, 0, sizeof(admin));
		enroll(&admin, w.admin_code);
		if (login(&admin, admin.auth_key, NULL, NULL) != 200)
			return (-1);
		memcpy(w.admin_token, admin.token, sizeof(w.admin_token));
		memcpy(w.admin_id, admin.id, sizeof(w.admin_id));
	}
	return (0);
}

static int
setup(void **state)
{

	(void)state;
	return (setup_with(604800, NULL));
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

static void
test_health_reports_the_schema(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "GET", "/api/v1/health", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "status"), "ok");
	assert_string_equal(str(r.json, "version"), DISSENT_VERSION);
	assert_int_equal(json_integer_value(json_object_get(r.json, "schema")),
	    server_schema(w.sv));
	reply_free(&r);
}

static void
test_instance_describes_the_instance(void **state)
{
	struct reply r;
	json_t *kdf;

	(void)state;
	call(&r, "GET", "/api/v1/instance", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(strlen(str(r.json, "instance_id")), INSTANCE_ID_LEN);
	assert_string_equal(str(r.json, "name"), "Department of State");
	assert_string_equal(str(r.json, "channel_org"), "state");
	assert_string_equal(str(r.json, "policy_profile"), "state-dissent");
	assert_string_equal(str(r.json, "time_zone"), "UTC");
	assert_string_equal(str(r.json, "max_marking"), "SBU");
	/* The default topics, in their configured order. */
	assert_int_equal(json_array_size(json_object_get(r.json, "topics")), 6);
	assert_string_equal(json_string_value(json_array_get(
				json_object_get(r.json, "topics"), 0)),
	    "policy");
	assert_int_equal(strlen(str(r.json, "server_sign_pk")), 43);
	kdf = json_object_get(r.json, "kdf_min");
	assert_int_equal(json_integer_value(json_object_get(kdf, "opslimit")),
	    CUSTODY_OPSLIMIT_MIN);
	reply_free(&r);
}

static void
test_unknown_path_is_404(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "GET", "/api/v1/nothing", NULL, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "GET", "/", NULL, NULL);
	expect_error(&r, 404, "not_found");
}

static void
test_wrong_method_is_405_with_allow(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "DELETE", "/api/v1/members", w.admin_token, NULL);
	assert_string_equal(r.allow, "GET, POST");
	expect_error(&r, 405, "method_not_allowed");
}

static void
test_get_with_body_is_refused(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "GET", "/api/v1/health", NULL, json_object());
	expect_error(&r, 400, "bad_request");
}

static void
test_body_without_json_content_type_is_415(void **state)
{
	struct http_request req;

	(void)state;
	assert_int_equal(
	    http_request_init(&req, "POST", "/api/v1/auth/params"), 0);
	assert_int_equal(
	    http_request_set_body(&req, "{\"handle\":\"x\"}", 14), 0);
	req.content_type = HTTP_CT_OTHER;
	server_handle(w.sv, &req);
	assert_int_equal(req.status, 415);
	http_request_clear(&req);
}

static void
test_session_endpoint_without_token_is_401(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "GET", "/api/v1/auth/session", NULL, NULL);
	expect_error(&r, 401, "unauthenticated");
	call(&r, "GET", "/api/v1/auth/session", "not-a-token", NULL);
	expect_error(&r, 401, "unauthenticated");
}

static void
test_admin_enrollment_code_is_consumed(void **state)
{
	struct reply r;

	(void)state;
	/* setup() enrolled the admin with it. */
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", w.admin_code));
	expect_error(&r, 404, "not_found");
}

static void
test_session_shows_the_admin(void **state)
{
	struct reply r;
	json_t *m;

	(void)state;
	call(&r, "GET", "/api/v1/auth/session", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	m = json_object_get(r.json, "member");
	assert_string_equal(str(m, "handle"), "admin");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(m, "roles"), 0)),
	    "admin");
	assert_int_equal(json_array_size(json_object_get(m, "roles")), 1);
	assert_true(json_is_false(json_object_get(m, "eligible")));
	assert_true(json_integer_value(json_object_get(r.json, "expires_at")) >
		    time(NULL));
	reply_free(&r);
}

static void
test_lookup_of_unknown_or_malformed_code_is_404(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack(
		"{s:s}", "code", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"));
	expect_error(&r, 404, "not_found");
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", "not a code"));
	expect_error(&r, 404, "not_found");
}

static void
test_enroll_refuses_a_bad_proof_and_changes_nothing(void **state)
{
	struct member m;
	struct reply r;
	char code[ACCOUNT_CODE_LEN + 1];
	json_t *body;

	(void)state;
	memset(&m, 0, sizeof(m));
	create_member("bob", "[\"member\"]", 1, code);
	/* A proof made for another member id. */
	snprintf(m.id, sizeof(m.id), "m_000000000000000000000000");
	body = enroll_body(&m, code);
	call(&r, "POST", "/api/v1/enroll", NULL, body);
	expect_error(&r, 400, "bad_request");
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "member"), "status"), "pending");
	reply_free(&r);
}

static void
test_enroll_refuses_a_cheap_kdf(void **state)
{
	struct member m;
	struct reply r;
	char code[ACCOUNT_CODE_LEN + 1];
	json_t *body;

	(void)state;
	memset(&m, 0, sizeof(m));
	create_member("bob", "[\"member\"]", 1, code);
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	snprintf(m.id, sizeof(m.id), "%s",
	    str(json_object_get(r.json, "member"), "id"));
	reply_free(&r);
	body = enroll_body(&m, code);
	json_object_set_new(body, "custody", custody_json(m.auth_key, 1, 8192));
	call(&r, "POST", "/api/v1/enroll", NULL, body);
	expect_error(&r, 400, "invalid_field");
}

static void
test_enroll_refuses_unknown_fields(void **state)
{
	struct member m;
	struct reply r;
	char code[ACCOUNT_CODE_LEN + 1];
	json_t *body;

	(void)state;
	memset(&m, 0, sizeof(m));
	create_member("bob", "[\"member\"]", 1, code);
	snprintf(m.id, sizeof(m.id), "m_000000000000000000000000");
	body = enroll_body(&m, code);
	json_object_set_new(
	    json_object_get(body, "keys"), "extra", json_true());
	call(&r, "POST", "/api/v1/enroll", NULL, body);
	expect_error(&r, 400, "unknown_field");
}

static int
setup_expired(void **state)
{

	(void)state;
	return (setup_with(0, NULL));
}

static void
test_expired_code_is_410(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", w.admin_code));
	expect_error(&r, 410, "expired");
}

static void
test_login_sets_a_strict_cookie(void **state)
{
	struct member m;
	struct reply r;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	assert_int_equal(login(&m, m.auth_key, NULL, &r), 200);
	assert_non_null(strstr(r.cookie, "dissent_session="));
	assert_non_null(strstr(r.cookie, m.token));
	assert_non_null(strstr(r.cookie, "HttpOnly"));
	assert_non_null(strstr(r.cookie, "SameSite=Strict"));
	assert_non_null(strstr(r.cookie, "Path=/"));
	assert_non_null(strstr(r.cookie, "Max-Age=43200"));
	assert_null(strstr(r.cookie, "Secure"));
	assert_int_equal(strlen(str(r.json, "wrapped_seed")), 96);
	assert_string_equal(
	    str(json_object_get(r.json, "member"), "handle"), "carol");
	reply_free(&r);
}

static void
test_wrong_key_and_unknown_handle_answer_alike(void **state)
{
	struct member m, ghost;
	struct reply r1, r2;
	uint8_t wrong[CUSTODY_KEY_BYTES];

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	memset(wrong, 1, sizeof(wrong));
	assert_int_equal(login(&m, wrong, NULL, &r1), 401);
	memset(&ghost, 0, sizeof(ghost));
	snprintf(ghost.handle, sizeof(ghost.handle), "nobody");
	assert_int_equal(login(&ghost, wrong, NULL, &r2), 401);
	assert_string_equal(error_code(&r1), "bad_credentials");
	assert_true(json_equal(r1.json, r2.json));
	reply_free(&r1);
	reply_free(&r2);
}

static void
test_pending_member_cannot_log_in(void **state)
{
	struct member m;
	char code[ACCOUNT_CODE_LEN + 1];
	uint8_t key[CUSTODY_KEY_BYTES] = {0};

	(void)state;
	memset(&m, 0, sizeof(m));
	create_member("dave", "[\"member\"]", 1, code);
	snprintf(m.handle, sizeof(m.handle), "dave");
	assert_int_equal(login(&m, key, NULL, NULL), 401);
}

static void
test_failures_lock_the_account(void **state)
{
	struct member m;
	struct reply r;
	uint8_t wrong[CUSTODY_KEY_BYTES];
	int i;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	memset(wrong, 1, sizeof(wrong));
	for (i = 0; i < 5; i++)
		assert_int_equal(login(&m, wrong, NULL, NULL), 401);
	/* Now even the right key is refused until the lock runs out. */
	assert_int_equal(login(&m, m.auth_key, NULL, &r), 429);
	assert_string_equal(error_code(&r), "rate_limited");
	assert_true(atoi(r.retry_after) >= 59 && atoi(r.retry_after) <= 60);
	reply_free(&r);
}

static void
test_unknown_handles_lock_too(void **state)
{
	struct member ghost;
	uint8_t wrong[CUSTODY_KEY_BYTES];
	int i;

	(void)state;
	memset(&ghost, 0, sizeof(ghost));
	snprintf(ghost.handle, sizeof(ghost.handle), "nobody");
	memset(wrong, 1, sizeof(wrong));
	for (i = 0; i < 5; i++)
		assert_int_equal(login(&ghost, wrong, NULL, NULL), 401);
	assert_int_equal(login(&ghost, wrong, NULL, NULL), 429);
}

static void
test_success_resets_the_failure_count(void **state)
{
	struct member m;
	uint8_t wrong[CUSTODY_KEY_BYTES];
	int i;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	memset(wrong, 1, sizeof(wrong));
	for (i = 0; i < 4; i++)
		assert_int_equal(login(&m, wrong, NULL, NULL), 401);
	assert_int_equal(login(&m, m.auth_key, NULL, NULL), 200);
	for (i = 0; i < 4; i++)
		assert_int_equal(login(&m, wrong, NULL, NULL), 401);
	assert_int_equal(login(&m, m.auth_key, NULL, NULL), 200);
}

static void
test_params_answer_a_decoy_for_unknown_handles(void **state)
{
	struct member m;
	struct reply r1, r2, r3;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r1, "POST", "/api/v1/auth/params", NULL,
	    json_pack("{s:s}", "handle", "carol"));
	call(&r2, "POST", "/api/v1/auth/params", NULL,
	    json_pack("{s:s}", "handle", "nobody"));
	call(&r3, "POST", "/api/v1/auth/params", NULL,
	    json_pack("{s:s}", "handle", "nobody"));
	assert_int_equal(r1.status, 200);
	assert_int_equal(r2.status, 200);
	assert_int_equal(json_object_size(r1.json), 3);
	assert_int_equal(json_object_size(r2.json), 3);
	assert_int_equal(strlen(str(r2.json, "salt")), 22);
	assert_int_equal(
	    json_integer_value(json_object_get(r2.json, "opslimit")), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(r2.json, "memlimit")), 64 << 20);
	assert_true(json_equal(r2.json, r3.json));
	assert_string_not_equal(str(r1.json, "salt"), str(r2.json, "salt"));
	reply_free(&r1);
	reply_free(&r2);
	reply_free(&r3);
}

static void
test_logout_ends_the_session(void **state)
{
	struct member m;
	struct reply r;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "POST", "/api/v1/auth/logout", m.token, NULL);
	assert_int_equal(r.status, 204);
	assert_null(r.json);
	assert_non_null(strstr(r.cookie, "Max-Age=0"));
	call(&r, "GET", "/api/v1/auth/session", m.token, NULL);
	expect_error(&r, 401, "unauthenticated");
}

static void
test_cookie_request_changing_state_needs_json(void **state)
{
	struct member m;
	struct http_request req;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	assert_int_equal(
	    http_request_init(&req, "POST", "/api/v1/auth/logout"), 0);
	req.auth_source = HTTP_AUTH_COOKIE;
	snprintf(req.token, sizeof(req.token), "%s", m.token);
	server_handle(w.sv, &req);
	assert_int_equal(req.status, 415);
	http_request_clear(&req);

	assert_int_equal(
	    http_request_init(&req, "POST", "/api/v1/auth/logout"), 0);
	req.auth_source = HTTP_AUTH_COOKIE;
	req.content_type = HTTP_CT_JSON;
	snprintf(req.token, sizeof(req.token), "%s", m.token);
	server_handle(w.sv, &req);
	assert_int_equal(req.status, 204);
	http_request_clear(&req);
}

static void
test_cookie_get_needs_no_content_type(void **state)
{
	struct member m;
	struct http_request req;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	assert_int_equal(
	    http_request_init(&req, "GET", "/api/v1/auth/session"), 0);
	req.auth_source = HTTP_AUTH_COOKIE;
	snprintf(req.token, sizeof(req.token), "%s", m.token);
	server_handle(w.sv, &req);
	assert_int_equal(req.status, 200);
	http_request_clear(&req);
}

static void
test_directory_writes_are_admin_only(void **state)
{
	struct member m;
	struct reply r;

	(void)state;
	new_member(&m, "carol", "[\"member\",\"coordinator\"]");
	call(&r, "POST", "/api/v1/orgs", m.token,
	    json_pack("{s:s,s:s}", "id", "usaid", "name", "USAID"));
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", "/api/v1/members", m.token,
	    json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle", "x", "display_name",
		"X", "org", "state", "roles", "member", "eligible", 1));
	expect_error(&r, 403, "forbidden");
	call(&r, "POST", "/api/v1/members/admin/suspend", m.token, NULL);
	expect_error(&r, 403, "forbidden");
}

static void
test_forbidden_comes_before_body_checks(void **state)
{
	struct member m;
	struct reply r;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "POST", "/api/v1/orgs", m.token, json_pack("{s:i}", "x", 1));
	expect_error(&r, 403, "forbidden");
}

static void
test_orgs_are_created_and_listed(void **state)
{
	struct reply r;
	json_t *orgs;

	(void)state;
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "usaid", "name", "USAID"));
	assert_int_equal(r.status, 201);
	assert_string_equal(str(json_object_get(r.json, "org"), "id"), "usaid");
	reply_free(&r);
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "usaid", "name", "Again"));
	expect_error(&r, 409, "conflict");
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "Bad_Id", "name", "Bad"));
	expect_error(&r, 400, "invalid_field");
	call(&r, "GET", "/api/v1/orgs", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	orgs = json_object_get(r.json, "orgs");
	assert_int_equal(json_array_size(orgs), 2);
	assert_string_equal(str(json_array_get(orgs, 0), "id"), "state");
	assert_string_equal(str(json_array_get(orgs, 1), "id"), "usaid");
	reply_free(&r);
}

static void
test_members_are_listed_and_found(void **state)
{
	struct member m;
	struct reply r;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "GET", "/api/v1/members", m.token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "total")), 2);
	assert_string_equal(
	    str(json_array_get(json_object_get(r.json, "members"), 0),
		"handle"),
	    "admin");
	reply_free(&r);

	call(&r, "GET", "/api/v1/members/carol", m.token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(str(json_object_get(r.json, "member"), "id"), m.id);
	reply_free(&r);
	{
		char path[128];

		snprintf(path, sizeof(path), "/api/v1/members/%s", m.id);
		call(&r, "GET", path, m.token, NULL);
		assert_int_equal(r.status, 200);
		reply_free(&r);
	}
	call(&r, "GET", "/api/v1/members/nobody", m.token, NULL);
	expect_error(&r, 404, "not_found");
	call(&r, "GET", "/api/v1/members/m_zz", m.token, NULL);
	expect_error(&r, 404, "not_found");
}

static void
test_member_creation_refusals_change_nothing(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle", "erin",
		"display_name", "Erin", "org", "state", "roles", "wizard",
		"eligible", 1));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:[s,s],s:b}", "handle", "erin",
		"display_name", "Erin", "org", "state", "roles", "admin",
		"member", "eligible", 0));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle", "erin",
		"display_name", "Erin", "org", "state", "roles", "admin",
		"eligible", 1));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle", "erin",
		"display_name", "Erin", "org", "nowhere", "roles", "member",
		"eligible", 1));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle", "Er_in",
		"display_name", "Erin", "org", "state", "roles", "member",
		"eligible", 1));
	expect_error(&r, 400, "invalid_field");
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle", "admin",
		"display_name", "Erin", "org", "state", "roles", "member",
		"eligible", 1));
	expect_error(&r, 409, "conflict");
	call(&r, "GET", "/api/v1/members", w.admin_token, NULL);
	assert_int_equal(
	    json_integer_value(json_object_get(r.json, "total")), 1);
	reply_free(&r);
}

static void
test_suspension_ends_sessions_at_once(void **state)
{
	struct member m;
	struct reply r;
	uint8_t wrong[CUSTODY_KEY_BYTES];

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "POST", "/api/v1/members/carol/suspend", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "member"), "status"), "suspended");
	reply_free(&r);
	call(&r, "GET", "/api/v1/auth/session", m.token, NULL);
	expect_error(&r, 401, "unauthenticated");
	/* Suspension shows only to the right credentials. */
	memset(wrong, 1, sizeof(wrong));
	assert_int_equal(login(&m, wrong, NULL, &r), 401);
	reply_free(&r);
	assert_int_equal(login(&m, m.auth_key, NULL, &r), 403);
	assert_string_equal(error_code(&r), "suspended");
	reply_free(&r);
	call(&r, "POST", "/api/v1/members/carol/suspend", w.admin_token, NULL);
	expect_error(&r, 409, "conflict");

	call(
	    &r, "POST", "/api/v1/members/carol/reinstate", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(
	    str(json_object_get(r.json, "member"), "status"), "active");
	reply_free(&r);
	assert_int_equal(login(&m, m.auth_key, NULL, NULL), 200);
	call(
	    &r, "POST", "/api/v1/members/carol/reinstate", w.admin_token, NULL);
	expect_error(&r, 409, "conflict");
}

static void
test_admin_cannot_suspend_itself(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "POST", "/api/v1/members/admin/suspend", w.admin_token, NULL);
	expect_error(&r, 409, "conflict");
}

static void
test_suspending_a_pending_member_voids_its_code(void **state)
{
	struct reply r;
	char code[ACCOUNT_CODE_LEN + 1];

	(void)state;
	create_member("dave", "[\"member\"]", 1, code);
	call(&r, "POST", "/api/v1/members/dave/suspend", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	expect_error(&r, 404, "not_found");
	call(&r, "POST", "/api/v1/members/dave/reinstate", w.admin_token, NULL);
	assert_string_equal(
	    str(json_object_get(r.json, "member"), "status"), "pending");
	reply_free(&r);
}

static void
test_new_enrollment_code_replaces_the_old(void **state)
{
	struct member m;
	struct reply r;
	char code[ACCOUNT_CODE_LEN + 1], code2[ACCOUNT_CODE_LEN + 1];

	(void)state;
	create_member("dave", "[\"member\"]", 1, code);
	call(
	    &r, "POST", "/api/v1/members/dave/enrollment", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	snprintf(code2, sizeof(code2), "%s", str(r.json, "enrollment_code"));
	reply_free(&r);
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	expect_error(&r, 404, "not_found");
	memset(&m, 0, sizeof(m));
	enroll(&m, code2);
	call(
	    &r, "POST", "/api/v1/members/dave/enrollment", w.admin_token, NULL);
	expect_error(&r, 409, "conflict");
}

static void
test_patch_changes_roles_but_not_across_admin(void **state)
{
	struct member m;
	struct reply r;
	json_t *roles;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "PATCH", "/api/v1/members/carol", w.admin_token,
	    json_pack("{s:[s,s],s:s}", "roles", "member", "coordinator",
		"display_name", "Carol C"));
	assert_int_equal(r.status, 200);
	roles = json_object_get(json_object_get(r.json, "member"), "roles");
	assert_int_equal(json_array_size(roles), 2);
	assert_string_equal(
	    json_string_value(json_array_get(roles, 1)), "coordinator");
	assert_string_equal(
	    str(json_object_get(r.json, "member"), "display_name"), "Carol C");
	reply_free(&r);
	call(&r, "PATCH", "/api/v1/members/carol", w.admin_token,
	    json_pack("{s:[s]}", "roles", "admin"));
	expect_error(&r, 400, "invalid_field");
	call(&r, "PATCH", "/api/v1/members/admin", w.admin_token,
	    json_pack("{s:[s]}", "roles", "member"));
	expect_error(&r, 400, "invalid_field");
	call(&r, "PATCH", "/api/v1/members/admin", w.admin_token,
	    json_pack("{s:b}", "eligible", 1));
	expect_error(&r, 400, "invalid_field");
	call(
	    &r, "PATCH", "/api/v1/members/carol", w.admin_token, json_object());
	expect_error(&r, 400, "bad_request");
	call(&r, "PATCH", "/api/v1/members/nobody", w.admin_token,
	    json_pack("{s:b}", "eligible", 0));
	expect_error(&r, 404, "not_found");
}

static void
test_password_change_ends_other_sessions(void **state)
{
	struct member m;
	struct reply r;
	char first[ACCOUNT_TOKEN_LEN + 1];
	uint8_t newkey[CUSTODY_KEY_BYTES];

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	memcpy(first, m.token, sizeof(first));
	assert_int_equal(login(&m, m.auth_key, NULL, NULL), 200);
	memset(newkey, 9, sizeof(newkey));

	call(&r, "POST", "/api/v1/auth/password", m.token,
	    json_pack("{s:s,s:o}", "auth_key", b64(newkey, 32), "custody",
		custody_json(newkey, 3, 64ULL << 20)));
	expect_error(&r, 401, "bad_credentials");
	call(&r, "POST", "/api/v1/auth/password", m.token,
	    json_pack("{s:s,s:o}", "auth_key", b64(m.auth_key, 32), "custody",
		custody_json(newkey, 3, 64ULL << 20)));
	assert_int_equal(r.status, 204);
	reply_free(&r);

	call(&r, "GET", "/api/v1/auth/session", first, NULL);
	expect_error(&r, 401, "unauthenticated");
	call(&r, "GET", "/api/v1/auth/session", m.token, NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	assert_int_equal(login(&m, m.auth_key, NULL, NULL), 401);
	assert_int_equal(login(&m, newkey, NULL, NULL), 200);
}

static void
test_recovery_fetch_and_reset(void **state)
{
	struct member m;
	struct reply r;
	uint8_t newkey[CUSTODY_KEY_BYTES], newrec[CUSTODY_KEY_BYTES];

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "POST", "/api/v1/auth/recovery/fetch", NULL,
	    json_pack("{s:s,s:s}", "handle", "carol", "auth_key",
		b64(m.auth_key, 32)));
	expect_error(&r, 401, "bad_credentials");
	call(&r, "POST", "/api/v1/auth/recovery/fetch", NULL,
	    json_pack("{s:s,s:s}", "handle", "carol", "auth_key",
		b64(m.recovery_key, 32)));
	assert_int_equal(r.status, 200);
	assert_string_equal(str(r.json, "member_id"), m.id);
	assert_int_equal(strlen(str(r.json, "recovery_wrapped_seed")), 96);
	reply_free(&r);

	memset(newkey, 5, sizeof(newkey));
	memset(newrec, 6, sizeof(newrec));
	call(&r, "POST", "/api/v1/auth/recovery/reset", NULL,
	    json_pack("{s:s,s:s,s:o,s:o}", "handle", "carol", "auth_key",
		b64(m.recovery_key, 32), "custody",
		custody_json(newkey, 3, 64ULL << 20), "recovery",
		recovery_json(newrec)));
	assert_int_equal(r.status, 204);
	reply_free(&r);
	call(&r, "GET", "/api/v1/auth/session", m.token, NULL);
	expect_error(&r, 401, "unauthenticated");
	assert_int_equal(login(&m, newkey, NULL, NULL), 200);
	call(&r, "POST", "/api/v1/auth/recovery/fetch", NULL,
	    json_pack("{s:s,s:s}", "handle", "carol", "auth_key",
		b64(m.recovery_key, 32)));
	expect_error(&r, 401, "bad_credentials");
}

/* Decode the base32 TOTP secret of a setup reply. */
static void
base32_decode(uint8_t out[TOTP_SECRET_BYTES], const char *s)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t o = 0;
	const char *p;

	for (p = s; *p != '\0'; p++) {
		acc = (acc << 5) |
		      (uint32_t)(*p >= 'A' && *p <= 'Z' ? *p - 'A'
							: *p - '2' + 26);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			assert_true(o < TOTP_SECRET_BYTES);
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	assert_int_equal(o, TOTP_SECRET_BYTES);
}

/* The TOTP code of ${secret} at ${t}. */
static const char *
code_at(const uint8_t secret[TOTP_SECRET_BYTES], int64_t t)
{
	static char bufs[4][8];
	static int next;
	char *out = bufs[next++ % 4];

	snprintf(out, 8, "%06lld",
	    (long long)totp_code(secret, TOTP_SECRET_BYTES, t, 6, "SHA1"));
	return (out);
}

/* Set up and enable TOTP for ${m}; return the secret. */
static void
enable_totp(struct member *m, uint8_t secret[TOTP_SECRET_BYTES], int64_t now)
{
	struct reply r;

	call(&r, "POST", "/api/v1/auth/totp/setup", m->token, NULL);
	assert_int_equal(r.status, 200);
	base32_decode(secret, str(r.json, "secret"));
	assert_int_equal(strncmp(str(r.json, "uri"), "otpauth://totp/", 15), 0);
	reply_free(&r);
	call(&r, "POST", "/api/v1/auth/totp/enable", m->token,
	    json_pack("{s:s,s:s}", "auth_key", b64(m->auth_key, 32), "code",
		code_at(secret, now)));
	assert_int_equal(r.status, 204);
	reply_free(&r);
}

static void
test_totp_is_required_once_enabled(void **state)
{
	struct member m;
	struct reply r;
	uint8_t secret[TOTP_SECRET_BYTES];
	int64_t now = (int64_t)time(NULL);
	char wrong[8];

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	enable_totp(&m, secret, now);
	call(&r, "POST", "/api/v1/auth/totp/setup", m.token, NULL);
	expect_error(&r, 409, "conflict");

	assert_int_equal(login(&m, m.auth_key, NULL, &r), 401);
	expect_error(&r, 401, "totp_required");
	snprintf(wrong, sizeof(wrong), "%06d",
	    (atoi(code_at(secret, now + 30)) + 1) % 1000000);
	assert_int_equal(login(&m, m.auth_key, wrong, &r), 401);
	expect_error(&r, 401, "bad_totp");
	assert_int_equal(
	    login(&m, m.auth_key, code_at(secret, now + 30), NULL), 200);
	/* A code is good once. */
	assert_int_equal(
	    login(&m, m.auth_key, code_at(secret, now + 30), &r), 401);
	expect_error(&r, 401, "bad_totp");
}

static void
test_totp_disable_needs_password_and_code(void **state)
{
	struct member m;
	struct reply r;
	uint8_t secret[TOTP_SECRET_BYTES], wrong[CUSTODY_KEY_BYTES];
	int64_t now = (int64_t)time(NULL);

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "POST", "/api/v1/auth/totp/disable", m.token,
	    json_pack("{s:s,s:s}", "auth_key", b64(m.auth_key, 32), "code",
		"123456"));
	expect_error(&r, 409, "conflict");
	enable_totp(&m, secret, now);
	memset(wrong, 1, sizeof(wrong));
	call(&r, "POST", "/api/v1/auth/totp/disable", m.token,
	    json_pack("{s:s,s:s}", "auth_key", b64(wrong, 32), "code",
		code_at(secret, now + 30)));
	expect_error(&r, 401, "bad_credentials");
	call(&r, "POST", "/api/v1/auth/totp/disable", m.token,
	    json_pack("{s:s,s:s}", "auth_key", b64(m.auth_key, 32), "code",
		code_at(secret, now + 30)));
	assert_int_equal(r.status, 204);
	reply_free(&r);
	assert_int_equal(login(&m, m.auth_key, NULL, NULL), 200);
}

static void
test_totp_enable_refuses_a_wrong_code(void **state)
{
	struct member m;
	struct reply r;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "POST", "/api/v1/auth/totp/enable", m.token,
	    json_pack("{s:s,s:s}", "auth_key", b64(m.auth_key, 32), "code",
		"123456"));
	expect_error(&r, 409, "conflict");
	call(&r, "POST", "/api/v1/auth/totp/setup", m.token, NULL);
	reply_free(&r);
	call(&r, "POST", "/api/v1/auth/totp/enable", m.token,
	    json_pack("{s:s,s:s}", "auth_key", b64(m.auth_key, 32), "code",
		"12345x"));
	expect_error(&r, 401, "bad_totp");
	assert_int_equal(login(&m, m.auth_key, NULL, NULL), 200);
}

/* The body of POST /keys/rotate from ${m}'s keys to ${next} at ${epoch}. */
static json_t *
rotate_body(struct member *m, const struct keys_secret *next, int epoch,
    const uint8_t *sig)
{
	struct keys_pop pop;
	uint8_t newkey[32];

	assert_int_equal(keys_pop_make(&pop, next, m->id, (uint32_t)epoch), 0);
	memset(newkey, 3, sizeof(newkey));
	return (json_pack("{s:s,s:i,s:o,s:o,s:s,s:o,s:o}", "auth_key",
	    b64(m->auth_key, CUSTODY_KEY_BYTES), "epoch", epoch, "keys",
	    keys_json(&next->pub), "pop", pop_json(&pop), "rotation_sig",
	    b64(sig, KEYS_SIG_BYTES), "custody",
	    custody_json(newkey, 3, 64ULL << 20), "recovery",
	    recovery_json(newkey)));
}

static void
test_keys_rotate_to_the_next_epoch(void **state)
{
	struct member m;
	struct reply r;
	struct keys_secret next;
	struct keys_pop pop;
	uint8_t seed[KEYS_SEED_BYTES], sig[KEYS_SIG_BYTES], newkey[32];
	char path[128];
	json_t *body;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	keys_seed_new(seed);
	assert_int_equal(keys_derive(&next, seed), 0);
	assert_int_equal(keys_pop_make(&pop, &next, m.id, 2), 0);
	assert_int_equal(keys_rotation_sign(sig, &m.ks, m.id, 2, &next.pub), 0);
	memset(newkey, 3, sizeof(newkey));

	/* Signed by the wrong key. */
	body = json_pack("{s:s,s:i,s:o,s:o,s:s,s:o,s:o}", "auth_key",
	    b64(m.auth_key, 32), "epoch", 2, "keys", keys_json(&next.pub),
	    "pop", pop_json(&pop), "rotation_sig", b64(pop.sig, 64), "custody",
	    custody_json(newkey, 3, 64ULL << 20), "recovery",
	    recovery_json(newkey));
	call(&r, "POST", "/api/v1/keys/rotate", m.token, body);
	expect_error(&r, 400, "bad_request");
	body = json_pack("{s:s,s:i,s:o,s:o,s:s,s:o,s:o}", "auth_key",
	    b64(m.auth_key, 32), "epoch", 3, "keys", keys_json(&next.pub),
	    "pop", pop_json(&pop), "rotation_sig", b64(sig, 64), "custody",
	    custody_json(newkey, 3, 64ULL << 20), "recovery",
	    recovery_json(newkey));
	call(&r, "POST", "/api/v1/keys/rotate", m.token, body);
	expect_error(&r, 409, "conflict");
	body = json_pack("{s:s,s:i,s:o,s:o,s:s,s:o,s:o}", "auth_key",
	    b64(m.auth_key, 32), "epoch", 2, "keys", keys_json(&next.pub),
	    "pop", pop_json(&pop), "rotation_sig", b64(sig, 64), "custody",
	    custody_json(newkey, 3, 64ULL << 20), "recovery",
	    recovery_json(newkey));
	call(&r, "POST", "/api/v1/keys/rotate", m.token, body);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_object_get(json_object_get(r.json, "member"), "keys"),
		"epoch")),
	    2);
	reply_free(&r);

	snprintf(path, sizeof(path), "/api/v1/members/%s/keys", m.id);
	call(&r, "GET", path, w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "history")), 2);
	assert_string_equal(str(json_object_get(r.json, "current"), "sign_pk"),
	    b64(next.pub.sign_pk, 32));
	reply_free(&r);
	keys_wipe(&next);
}

/* ${m}'s current key epoch, as the directory shows it. */
static json_int_t
key_epoch_of(const struct member *m)
{
	struct reply r;
	char path[128];
	json_int_t e;

	snprintf(path, sizeof(path), "/api/v1/members/%s/keys", m->id);
	call(&r, "GET", path, w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	e = json_integer_value(
	    json_object_get(json_object_get(r.json, "current"), "epoch"));
	reply_free(&r);
	return (e);
}

static void
test_keys_rotate_refuses_a_wrong_password_and_counts_it(void **state)
{
	struct member m;
	struct reply r;
	struct keys_secret next;
	uint8_t seed[KEYS_SEED_BYTES], sig[KEYS_SIG_BYTES];
	uint8_t right[CUSTODY_KEY_BYTES];
	json_t *body;
	int i;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	keys_seed_new(seed);
	assert_int_equal(keys_derive(&next, seed), 0);
	assert_int_equal(keys_rotation_sign(sig, &m.ks, m.id, 2, &next.pub), 0);
	memcpy(right, m.auth_key, sizeof(right));
	memset(m.auth_key, 1, sizeof(m.auth_key));
	call(&r, "POST", "/api/v1/keys/rotate", m.token,
	    rotate_body(&m, &next, 2, sig));
	expect_error(&r, 401, "bad_credentials");
	/* Nothing changed: same keys, same password. */
	assert_int_equal(key_epoch_of(&m), 1);
	/* Without auth_key at all: refused before anything is looked at. */
	body = rotate_body(&m, &next, 2, sig);
	assert_int_equal(json_object_del(body, "auth_key"), 0);
	call(&r, "POST", "/api/v1/keys/rotate", m.token, body);
	expect_error(&r, 400, "missing_field");
	/* Wrong keys count as failed logins: four more lock the account. */
	for (i = 0; i < 4; i++) {
		call(&r, "POST", "/api/v1/keys/rotate", m.token,
		    rotate_body(&m, &next, 2, sig));
		expect_error(&r, 401, "bad_credentials");
	}
	assert_int_equal(login(&m, right, NULL, &r), 429);
	reply_free(&r);
	memcpy(m.auth_key, right, sizeof(right));
	call(&r, "POST", "/api/v1/keys/rotate", m.token,
	    rotate_body(&m, &next, 2, sig));
	expect_error(&r, 429, "rate_limited");
	assert_int_equal(key_epoch_of(&m), 1);
	keys_wipe(&next);
}

static void
test_keys_rotate_ends_every_other_session(void **state)
{
	struct member m;
	struct reply r;
	struct keys_secret next;
	uint8_t seed[KEYS_SEED_BYTES], sig[KEYS_SIG_BYTES];
	char first[ACCOUNT_TOKEN_LEN + 1];

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	memcpy(first, m.token, sizeof(first));
	assert_int_equal(login(&m, m.auth_key, NULL, NULL), 200);
	keys_seed_new(seed);
	assert_int_equal(keys_derive(&next, seed), 0);
	assert_int_equal(keys_rotation_sign(sig, &m.ks, m.id, 2, &next.pub), 0);
	call(&r, "POST", "/api/v1/keys/rotate", m.token,
	    rotate_body(&m, &next, 2, sig));
	assert_int_equal(r.status, 200);
	reply_free(&r);
	call(&r, "GET", "/api/v1/auth/session", first, NULL);
	expect_error(&r, 401, "unauthenticated");
	call(&r, "GET", "/api/v1/auth/session", m.token, NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	keys_wipe(&next);
}

static void
test_totp_enable_needs_the_password(void **state)
{
	struct member m;
	struct reply r;
	uint8_t secret[TOTP_SECRET_BYTES], wrong[CUSTODY_KEY_BYTES];
	int64_t now = (int64_t)time(NULL);
	int i;

	(void)state;
	new_member(&m, "carol", "[\"member\"]");
	call(&r, "POST", "/api/v1/auth/totp/setup", m.token, NULL);
	assert_int_equal(r.status, 200);
	base32_decode(secret, str(r.json, "secret"));
	reply_free(&r);
	call(&r, "POST", "/api/v1/auth/totp/enable", m.token,
	    json_pack("{s:s}", "code", code_at(secret, now)));
	expect_error(&r, 400, "missing_field");
	memset(wrong, 1, sizeof(wrong));
	for (i = 0; i < 5; i++) {
		call(&r, "POST", "/api/v1/auth/totp/enable", m.token,
		    json_pack("{s:s,s:s}", "auth_key", b64(wrong, 32), "code",
			code_at(secret, now)));
		expect_error(&r, 401, "bad_credentials");
	}
	/* Counted as failed logins: the account is now locked. */
	assert_int_equal(login(&m, m.auth_key, NULL, &r), 429);
	reply_free(&r);
	/* And TOTP is still off (setup answers 409 once it is on). */
	call(&r, "POST", "/api/v1/auth/totp/setup", m.token, NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
}

static void
test_query_parameters_are_refused_where_none_are_taken(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "GET", "/api/v1/health?foo=1", NULL, NULL);
	expect_error(&r, 400, "unknown_field");
	call(&r, "GET", "/api/v1/instance?x", NULL, NULL);
	expect_error(&r, 400, "unknown_field");
	call(&r, "GET", "/api/v1/auth/session?x=1", w.admin_token, NULL);
	expect_error(&r, 400, "unknown_field");
	call(&r, "GET", "/api/v1/orgs?limit=1", w.admin_token, NULL);
	expect_error(&r, 400, "unknown_field");
	/* The session is still checked first. */
	call(&r, "GET", "/api/v1/auth/session?x=1", NULL, NULL);
	expect_error(&r, 401, "unauthenticated");
	/* Without a query, the same requests answer. */
	call(&r, "GET", "/api/v1/health", NULL, NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
}

/*
 * Every integer query parameter follows one strict rule (routes.h,
 * routes_parse_u64): digits only, no sign, no leading zero, in range.
 */
static void
test_integer_query_parameters_are_strict_decimals(void **state)
{
	static const char *const bad[] = {"/api/v1/members?offset=01",
	    "/api/v1/members?offset=-1", "/api/v1/members?offset=%2B1",
	    "/api/v1/members?limit=0", "/api/v1/members?limit=1x",
	    "/api/v1/members?offset=99999999999999999999",
	    "/api/v1/log/entries?start=00&count=1",
	    "/api/v1/log/entries?start=0&count=01"};
	struct reply r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		call(&r, "GET", bad[i], w.admin_token, NULL);
		expect_error(&r, 400, "invalid_field");
	}
	call(&r, "GET", "/api/v1/members?offset=0&limit=10", w.admin_token,
	    NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
}

static void
test_routes_with_query_parameters_refuse_unknown_ones(void **state)
{
	struct reply r;

	(void)state;
	call(&r, "GET", "/api/v1/members?limit=5", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	call(&r, "GET", "/api/v1/members?limit=5&bogus=1", w.admin_token, NULL);
	expect_error(&r, 400, "unknown_field");
	call(&r, "GET", "/api/v1/log/entries?start=0&count=1", w.admin_token,
	    NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	call(&r, "GET", "/api/v1/log/entries?start=0&count=1&x=2",
	    w.admin_token, NULL);
	expect_error(&r, 400, "unknown_field");
}

static void
test_keys_of_a_pending_member_are_null(void **state)
{
	struct reply r;
	char code[ACCOUNT_CODE_LEN + 1];

	(void)state;
	create_member("dave", "[\"member\"]", 1, code);
	call(&r, "GET", "/api/v1/members/dave/keys", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_true(json_is_null(json_object_get(r.json, "current")));
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "history")), 0);
	reply_free(&r);
}

/*
 * The channel log through the API (docs/API.md, "Log"): every directory
 * change logs exactly its event, a refused change none, an acknowledged
 * change is covered by a signed head, and the log endpoints answer and
 * refuse as documented.
 */

/* Entries in the instance's log, read over a store handle of the test's. */
static uint64_t
stored_log_size(void)
{
	char url[600];
	struct store *s;
	uint64_t n;

	snprintf(url, sizeof(url), "sqlite:%s/dissent.db", w.dir);
	assert_int_equal(store_open(&s, url, (int64_t)time(NULL)), 0);
	assert_int_equal(store_log_size(s, &n), STORE_OK);
	store_free(s);
	return (n);
}

/* Decode the base64url ${text} of exactly ${n} bytes into ${out}. */
static void
unb64(uint8_t *out, size_t n, const char *text)
{

	assert_int_equal(b64_decode_exact(out, n, text), 0);
}

static uint64_t
uint_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	assert_non_null(v);
	assert_true(json_is_integer(v));
	assert_true(json_integer_value(v) >= 0);
	return ((uint64_t)json_integer_value(v));
}

/* The tree head ${o} ({"instance_id","size","timestamp","root",...}). */
static void
head_of(json_t *o, struct treehead *th)
{

	memset(th, 0, sizeof(*th));
	snprintf(th->instance_id, sizeof(th->instance_id), "%s",
	    str(o, "instance_id"));
	th->size = uint_of(o, "size");
	th->timestamp = uint_of(o, "timestamp");
	unb64(th->root, sizeof(th->root), str(o, "root"));
	unb64(th->sig, sizeof(th->sig), str(o, "signature"));
}

/* The server's public key, from GET /instance. */
static void
server_pk(uint8_t pk[TREEHEAD_PK_BYTES])
{
	struct reply r;

	call(&r, "GET", "/api/v1/instance", NULL, NULL);
	assert_int_equal(r.status, 200);
	unb64(pk, TREEHEAD_PK_BYTES, str(r.json, "server_sign_pk"));
	reply_free(&r);
}

/* GET /log/head into ${th}, checked under the server key. */
static void
fetch_head(struct treehead *th)
{
	uint8_t pk[TREEHEAD_PK_BYTES];
	struct reply r;

	server_pk(pk);
	call(&r, "GET", "/api/v1/log/head", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	head_of(r.json, th);
	reply_free(&r);
	assert_int_equal(treehead_verify(th, pk), 0);
}

/* The leaf input of entry ${index} (GET /log/entries) into ${leaf}. */
static size_t
fetch_leaf(uint64_t index, uint8_t leaf[EVENT_MAX_BYTES])
{
	struct reply r;
	char path[128];
	json_t *e;
	size_t len;

	snprintf(path, sizeof(path), "/api/v1/log/entries?start=%llu&count=1",
	    (unsigned long long)index);
	call(&r, "GET", path, w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "entries")), 1);
	e = json_array_get(json_object_get(r.json, "entries"), 0);
	assert_int_equal(uint_of(e, "index"), index);
	assert_int_equal(
	    b64_decode(leaf, EVENT_MAX_BYTES, &len, str(e, "event")), 0);
	reply_free(&r);
	return (len);
}

/* The event of entry ${index}. */
static void
fetch_event(uint64_t index, struct event *ev)
{
	uint8_t leaf[EVENT_MAX_BYTES];
	size_t len;

	len = fetch_leaf(index, leaf);
	assert_int_equal(event_decode(ev, leaf, len), 0);
}

/* The proof hashes of the reply ${r} into ${proof}; their number. */
static size_t
proof_of(struct reply *r, uint8_t *proof)
{
	json_t *arr = json_object_get(r->json, "proof");
	size_t i;

	assert_true(json_is_array(arr));
	assert_true(json_array_size(arr) <= MERKLE_MAX_PROOF);
	for (i = 0; i < json_array_size(arr); i++)
		unb64(proof + i * MERKLE_HASH_BYTES, MERKLE_HASH_BYTES,
		    json_string_value(json_array_get(arr, i)));
	return (i);
}

/*
 * Expect the log to hold ${n} more entries than ${before}, with a signed
 * head already covering them (the reply came after it), and return the
 * event of the last one in ${ev} if ${n} > 0.
 */
static void
expect_logged(uint64_t before, uint64_t n, struct event *ev)
{
	struct treehead th;

	assert_int_equal(stored_log_size(), before + n);
	fetch_head(&th);
	assert_true(th.size >= before + n);
	if (n > 0)
		fetch_event(before + n - 1, ev);
}

static void
test_log_endpoints_need_a_session(void **state)
{
	static const char *const paths[] = {"/api/v1/log/head",
	    "/api/v1/log/heads/1", "/api/v1/log/entries?start=0&count=1",
	    "/api/v1/log/inclusion?index=0&size=1",
	    "/api/v1/log/consistency?first=1&second=1"};
	struct reply r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		call(&r, "GET", paths[i], NULL, NULL);
		expect_error(&r, 401, "unauthenticated");
	}
}

static void
test_log_head_is_signed_by_the_server_key(void **state)
{
	struct treehead th;
	struct reply r;

	(void)state;
	fetch_head(&th);
	call(&r, "GET", "/api/v1/instance", NULL, NULL);
	assert_string_equal(th.instance_id, str(r.json, "instance_id"));
	reply_free(&r);
	/* The admin's enrollment was answered after a head covered it. */
	assert_int_equal(th.size, stored_log_size());
	assert_true(th.timestamp > 0);
}

static void
test_init_and_enrollment_log_the_first_events(void **state)
{
	struct event ev;
	struct reply r;
	uint8_t hash[EVENT_KEYS_HASH_BYTES];
	struct keys_public k;
	json_t *cur;

	(void)state;
	assert_int_equal(stored_log_size(), 3);
	fetch_event(0, &ev);
	assert_int_equal(ev.type, EVENT_ORG_CREATED);
	assert_string_equal(ev.org_id, "state");
	fetch_event(1, &ev);
	assert_int_equal(ev.type, EVENT_MEMBER_CREATED);
	assert_string_equal(ev.member_id, w.admin_id);
	assert_string_equal(ev.org_id, "state");
	assert_int_equal(ev.roles, ROLE_ADMIN);
	assert_int_equal(ev.eligible, 0);
	fetch_event(2, &ev);
	assert_int_equal(ev.type, EVENT_MEMBER_ENROLLED);
	assert_string_equal(ev.member_id, w.admin_id);
	assert_int_equal(ev.epoch, 1);
	call(&r, "GET", "/api/v1/members/admin/keys", w.admin_token, NULL);
	cur = json_object_get(r.json, "current");
	unb64(k.sign_pk, sizeof(k.sign_pk), str(cur, "sign_pk"));
	unb64(k.box_pk, sizeof(k.box_pk), str(cur, "box_pk"));
	unb64(k.ring_pk, sizeof(k.ring_pk), str(cur, "ring_pk"));
	reply_free(&r);
	event_keys_hash(hash, &k);
	assert_memory_equal(ev.keys_hash, hash, sizeof(hash));
}

static void
test_org_creation_logs_one_event_and_a_refusal_none(void **state)
{
	struct event ev;
	struct reply r;
	uint64_t n;

	(void)state;
	n = stored_log_size();
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "dod", "name", "Defense"));
	assert_int_equal(r.status, 201);
	reply_free(&r);
	expect_logged(n, 1, &ev);
	assert_int_equal(ev.type, EVENT_ORG_CREATED);
	assert_string_equal(ev.org_id, "dod");
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "dod", "name", "Defense again"));
	expect_error(&r, 409, "conflict");
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "Bad Id", "name", "Bad"));
	expect_error(&r, 400, "invalid_field");
	expect_logged(n + 1, 0, NULL);
}

static void
test_member_creation_logs_one_event_and_a_refusal_none(void **state)
{
	char code[ACCOUNT_CODE_LEN + 1];
	struct event ev;
	struct reply r;
	uint64_t n;

	(void)state;
	n = stored_log_size();
	create_member("erin", "[\"member\",\"auditor\"]", 1, code);
	expect_logged(n, 1, &ev);
	assert_int_equal(ev.type, EVENT_MEMBER_CREATED);
	assert_int_equal(strlen(ev.member_id), DIRECTORY_MEMBER_ID_LEN);
	assert_string_equal(ev.org_id, "state");
	assert_int_equal(ev.roles, ROLE_MEMBER | ROLE_AUDITOR);
	assert_int_equal(ev.eligible, 1);
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle", "erin",
		"display_name", "Erin Again", "org", "state", "roles", "member",
		"eligible", 0));
	expect_error(&r, 409, "conflict");
	call(&r, "POST", "/api/v1/members", w.admin_token,
	    json_pack("{s:s,s:s,s:s,s:[s],s:b}", "handle", "frank",
		"display_name", "Frank", "org", "nowhere", "roles", "member",
		"eligible", 0));
	expect_error(&r, 400, "invalid_field");
	expect_logged(n + 1, 0, NULL);
}

static void
test_enrollment_logs_the_keys_and_a_refusal_none(void **state)
{
	char code[ACCOUNT_CODE_LEN + 1];
	uint8_t hash[EVENT_KEYS_HASH_BYTES];
	struct member m;
	struct event ev;
	struct reply r;
	json_t *body;
	uint64_t n;

	(void)state;
	memset(&m, 0, sizeof(m));
	create_member("gina", "[\"member\"]", 0, code);
	n = stored_log_size();
	/* A proof of possession for another epoch is refused. */
	call(&r, "POST", "/api/v1/enroll/lookup", NULL,
	    json_pack("{s:s}", "code", code));
	snprintf(m.id, sizeof(m.id), "%s",
	    str(json_object_get(r.json, "member"), "id"));
	reply_free(&r);
	body = enroll_body(&m, code);
	json_object_set_new(body, "keys", keys_json(&m.ks.pub));
	{
		struct keys_pop pop;

		assert_int_equal(keys_pop_make(&pop, &m.ks, m.id, 2), 0);
		json_object_set_new(body, "pop", pop_json(&pop));
	}
	call(&r, "POST", "/api/v1/enroll", NULL, body);
	expect_error(&r, 400, "bad_request");
	expect_logged(n, 0, NULL);

	enroll(&m, code);
	expect_logged(n, 1, &ev);
	assert_int_equal(ev.type, EVENT_MEMBER_ENROLLED);
	assert_string_equal(ev.member_id, m.id);
	assert_int_equal(ev.epoch, 1);
	event_keys_hash(hash, &m.ks.pub);
	assert_memory_equal(ev.keys_hash, hash, sizeof(hash));
}

static void
test_rotation_logs_the_new_keys_and_a_refusal_none(void **state)
{
	uint8_t seed[KEYS_SEED_BYTES], sig[KEYS_SIG_BYTES];
	uint8_t hash[EVENT_KEYS_HASH_BYTES];
	struct keys_secret next;
	struct member m;
	struct event ev;
	struct reply r;
	uint64_t n;

	(void)state;
	new_member(&m, "hank", "[\"member\"]");
	keys_seed_new(seed);
	assert_int_equal(keys_derive(&next, seed), 0);
	assert_int_equal(keys_rotation_sign(sig, &m.ks, m.id, 2, &next.pub), 0);
	n = stored_log_size();
	call(&r, "POST", "/api/v1/keys/rotate", m.token,
	    rotate_body(&m, &next, 3, sig));
	expect_error(&r, 409, "conflict");
	memset(seed, 0, sizeof(seed));
	call(&r, "POST", "/api/v1/keys/rotate", m.token,
	    rotate_body(&m, &next, 2, seed));
	expect_error(&r, 400, "bad_request");
	expect_logged(n, 0, NULL);

	call(&r, "POST", "/api/v1/keys/rotate", m.token,
	    rotate_body(&m, &next, 2, sig));
	assert_int_equal(r.status, 200);
	reply_free(&r);
	expect_logged(n, 1, &ev);
	assert_int_equal(ev.type, EVENT_KEYS_ROTATED);
	assert_string_equal(ev.member_id, m.id);
	assert_int_equal(ev.epoch, 2);
	event_keys_hash(hash, &next.pub);
	assert_memory_equal(ev.keys_hash, hash, sizeof(hash));
	keys_wipe(&next);
}

static void
test_suspension_and_reinstatement_log_one_event_each(void **state)
{
	struct member m;
	struct event ev;
	struct reply r;
	uint64_t n;

	(void)state;
	new_member(&m, "ivan", "[\"member\"]");
	n = stored_log_size();
	call(&r, "POST", "/api/v1/members/ivan/reinstate", w.admin_token, NULL);
	expect_error(&r, 409, "conflict");
	expect_logged(n, 0, NULL);
	call(&r, "POST", "/api/v1/members/ivan/suspend", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	expect_logged(n, 1, &ev);
	assert_int_equal(ev.type, EVENT_MEMBER_SUSPENDED);
	assert_string_equal(ev.member_id, m.id);
	call(&r, "POST", "/api/v1/members/ivan/suspend", w.admin_token, NULL);
	expect_error(&r, 409, "conflict");
	expect_logged(n + 1, 0, NULL);
	call(&r, "POST", "/api/v1/members/ivan/reinstate", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	expect_logged(n + 1, 1, &ev);
	assert_int_equal(ev.type, EVENT_MEMBER_REINSTATED);
	assert_string_equal(ev.member_id, m.id);
	/* The admin's own account is refused before anything is logged. */
	call(&r, "POST", "/api/v1/members/admin/suspend", w.admin_token, NULL);
	expect_error(&r, 409, "conflict");
	expect_logged(n + 2, 0, NULL);
}

/* PATCH /members/${who} with ${body}; expect ${status}. */
static void
patch(const char *who, json_t *body, unsigned int status)
{
	struct reply r;
	char path[128];

	snprintf(path, sizeof(path), "/api/v1/members/%s", who);
	call(&r, "PATCH", path, w.admin_token, body);
	assert_int_equal(r.status, status);
	reply_free(&r);
}

static void
test_patch_logs_each_real_change_and_nothing_else(void **state)
{
	struct member m;
	struct event ev;
	uint64_t n;

	(void)state;
	new_member(&m, "judy", "[\"member\"]");
	n = stored_log_size();
	patch(
	    "judy", json_pack("{s:[s,s]}", "roles", "member", "director"), 200);
	expect_logged(n, 1, &ev);
	assert_int_equal(ev.type, EVENT_ROLES_CHANGED);
	assert_string_equal(ev.member_id, m.id);
	assert_int_equal(ev.roles, ROLE_MEMBER | ROLE_DIRECTOR);
	n++;
	/* new_member() made judy eligible. */
	patch("judy", json_pack("{s:b}", "eligible", 0), 200);
	expect_logged(n, 1, &ev);
	assert_int_equal(ev.type, EVENT_ELIGIBILITY_CHANGED);
	assert_string_equal(ev.member_id, m.id);
	assert_int_equal(ev.eligible, 0);
	n++;
	/* Names are not logged; unchanged values are not changes. */
	patch("judy", json_pack("{s:s}", "display_name", "Judy J."), 200);
	patch("judy",
	    json_pack(
		"{s:[s,s],s:b}", "roles", "member", "director", "eligible", 0),
	    200);
	expect_logged(n, 0, NULL);
	/* Both at once: two events, roles first. */
	patch("judy",
	    json_pack("{s:[s],s:b}", "roles", "member", "eligible", 1), 200);
	expect_logged(n, 2, &ev);
	assert_int_equal(ev.type, EVENT_ELIGIBILITY_CHANGED);
	assert_int_equal(ev.eligible, 1);
	fetch_event(n, &ev);
	assert_int_equal(ev.type, EVENT_ROLES_CHANGED);
	assert_int_equal(ev.roles, ROLE_MEMBER);
	n += 2;
	/* Refused: into the admin role. */
	patch("judy", json_pack("{s:[s]}", "roles", "admin"), 400);
	expect_logged(n, 0, NULL);
}

/* 1 if the ${len} bytes at ${buf} contain the text ${t}, else 0. */
static int
holds(const uint8_t *buf, size_t len, const char *t)
{
	size_t n = strlen(t), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(buf + i, t, n) == 0)
			return (1);
	return (0);
}

static void
test_events_hold_no_names_or_handles(void **state)
{
	uint8_t leaf[EVENT_MAX_BYTES];
	struct member m;
	uint64_t i, n;
	size_t len;

	(void)state;
	new_member(&m, "kathryn", "[\"member\"]");
	patch("kathryn", json_pack("{s:s}", "display_name", "Kathryn K."), 200);
	n = stored_log_size();
	for (i = 0; i < n; i++) {
		len = fetch_leaf(i, leaf);
		assert_false(holds(leaf, len, "kathryn"));
		assert_false(holds(leaf, len, "Kathryn"));
		assert_false(holds(leaf, len, "Some Body"));
		assert_false(holds(leaf, len, "admin"));
		assert_false(holds(leaf, len, "Department"));
	}
}

static void
test_keys_carry_the_index_of_the_event_that_published_them(void **state)
{
	uint8_t seed[KEYS_SEED_BYTES], sig[KEYS_SIG_BYTES];
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	uint8_t leaf[EVENT_MAX_BYTES], hash[EVENT_KEYS_HASH_BYTES];
	struct keys_secret next;
	struct keys_public k;
	struct treehead th;
	struct member m;
	struct event ev;
	struct reply r, p;
	json_t *hist, *item;
	char path[200];
	size_t i, len, nh;
	uint64_t idx;

	(void)state;
	new_member(&m, "leo", "[\"member\"]");
	keys_seed_new(seed);
	assert_int_equal(keys_derive(&next, seed), 0);
	assert_int_equal(keys_rotation_sign(sig, &m.ks, m.id, 2, &next.pub), 0);
	call(&r, "POST", "/api/v1/keys/rotate", m.token,
	    rotate_body(&m, &next, 2, sig));
	assert_int_equal(r.status, 200);
	reply_free(&r);
	keys_wipe(&next);
	fetch_head(&th);

	call(&r, "GET", "/api/v1/members/leo/keys", m.token, NULL);
	assert_int_equal(r.status, 200);
	hist = json_object_get(r.json, "history");
	assert_int_equal(json_array_size(hist), 2);
	assert_int_equal(
	    uint_of(json_object_get(r.json, "current"), "log_index"),
	    uint_of(json_array_get(hist, 1), "log_index"));
	for (i = 0; i < 2; i++) {
		item = json_array_get(hist, i);
		idx = uint_of(item, "log_index");
		fetch_event(idx, &ev);
		assert_int_equal(ev.type,
		    i == 0 ? EVENT_MEMBER_ENROLLED : EVENT_KEYS_ROTATED);
		assert_string_equal(ev.member_id, m.id);
		assert_int_equal(ev.epoch, i + 1);
		unb64(k.sign_pk, sizeof(k.sign_pk), str(item, "sign_pk"));
		unb64(k.box_pk, sizeof(k.box_pk), str(item, "box_pk"));
		unb64(k.ring_pk, sizeof(k.ring_pk), str(item, "ring_pk"));
		event_keys_hash(hash, &k);
		assert_memory_equal(ev.keys_hash, hash, sizeof(hash));
		/* And the event is in the signed log. */
		snprintf(path, sizeof(path),
		    "/api/v1/log/inclusion?index=%llu&size=%llu",
		    (unsigned long long)idx, (unsigned long long)th.size);
		call(&p, "GET", path, m.token, NULL);
		assert_int_equal(p.status, 200);
		nh = proof_of(&p, proof);
		reply_free(&p);
		len = fetch_leaf(idx, leaf);
		assert_int_equal(
		    treehead_check_inclusion(&th, leaf, len, idx, proof, nh),
		    0);
	}
	reply_free(&r);
}

static void
test_log_entries_serves_the_signed_range(void **state)
{
	struct treehead th;
	struct reply r;
	json_t *es;
	char path[128];

	(void)state;
	fetch_head(&th);
	assert_int_equal(th.size, 3);
	call(&r, "GET", "/api/v1/log/entries?start=1&count=1000", w.admin_token,
	    NULL);
	assert_int_equal(r.status, 200);
	es = json_object_get(r.json, "entries");
	assert_int_equal(json_array_size(es), 2);
	assert_int_equal(uint_of(json_array_get(es, 0), "index"), 1);
	assert_int_equal(uint_of(json_array_get(es, 1), "index"), 2);
	reply_free(&r);
	snprintf(path, sizeof(path), "/api/v1/log/entries?start=0&count=2");
	call(&r, "GET", path, w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(
	    json_array_size(json_object_get(r.json, "entries")), 2);
	reply_free(&r);
}

/* GET ${path} as the admin; expect ${status} with ${code}. */
static void
expect_get(const char *path, unsigned int status, const char *code)
{
	struct reply r;

	call(&r, "GET", path, w.admin_token, NULL);
	if (r.status != status)
		fprintf(stderr, "%s: %u\n", path, r.status);
	expect_error(&r, status, code);
}

static void
test_log_entries_refuses_bad_numbers_and_ranges(void **state)
{
	static const char *const invalid[] = {
	    "start=-1&count=1",
	    "start=%2B1&count=1",
	    "start=01&count=1",
	    "start=00&count=1",
	    "start=1e3&count=1",
	    "start=0x1&count=1",
	    "start=&count=1",
	    "start=%200&count=1",
	    "start=0%20&count=1",
	    "start=1.0&count=1",
	    "start=99999999999999999999&count=1",
	    "start=9223372036854775808&count=1",
	    "start=18446744073709551616&count=1",
	    "start=0&count=0",
	    "start=0&count=1001",
	    "start=0&count=-5",
	    "start=3&count=1", /* the signed size */
	    "start=9223372036854775807&count=1",
	};
	char path[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		snprintf(
		    path, sizeof(path), "/api/v1/log/entries?%s", invalid[i]);
		expect_get(path, 400, "invalid_field");
	}
	expect_get("/api/v1/log/entries?start=0", 400, "missing_field");
	expect_get("/api/v1/log/entries?count=1", 400, "missing_field");
	expect_get("/api/v1/log/entries", 400, "missing_field");
	expect_get(
	    "/api/v1/log/entries?start=0&count=1&x=1", 400, "unknown_field");
	expect_get("/api/v1/log/entries?start=0&start=0&count=1", 400,
	    "unknown_field");
	expect_get("/api/v1/log/head?size=1", 400, "unknown_field");
}

static void
test_log_heads_are_served_by_size(void **state)
{
	struct treehead th, got;
	uint8_t pk[TREEHEAD_PK_BYTES];
	struct reply r;
	char path[128];

	(void)state;
	server_pk(pk);
	fetch_head(&th);
	snprintf(path, sizeof(path), "/api/v1/log/heads/%llu",
	    (unsigned long long)th.size);
	call(&r, "GET", path, w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	head_of(r.json, &got);
	reply_free(&r);
	assert_memory_equal(&got, &th, sizeof(th));
	/* The first start signed the two events of init. */
	call(&r, "GET", "/api/v1/log/heads/2", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	head_of(r.json, &got);
	reply_free(&r);
	assert_int_equal(got.size, 2);
	assert_int_equal(treehead_verify(&got, pk), 0);
	expect_get("/api/v1/log/heads/1", 404, "not_found");
	expect_get("/api/v1/log/heads/1000", 404, "not_found");
	expect_get("/api/v1/log/heads/abc", 400, "invalid_field");
	expect_get("/api/v1/log/heads/02", 400, "invalid_field");
	expect_get("/api/v1/log/heads/-1", 400, "invalid_field");
	expect_get(
	    "/api/v1/log/heads/99999999999999999999", 400, "invalid_field");
	expect_get("/api/v1/log/heads/2?x=1", 400, "unknown_field");
}

static void
test_log_inclusion_by_index_or_by_leaf_hash(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	uint8_t leaf[EVENT_MAX_BYTES], lh[MERKLE_HASH_BYTES];
	char path[200];
	struct treehead th;
	struct reply r;
	uint64_t n, i;
	size_t len, nh;

	(void)state;
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "dod", "name", "Defense"));
	reply_free(&r);
	fetch_head(&th);
	n = th.size;
	for (i = 0; i < n; i++) {
		len = fetch_leaf(i, leaf);
		snprintf(path, sizeof(path),
		    "/api/v1/log/inclusion?index=%llu&size=%llu",
		    (unsigned long long)i, (unsigned long long)n);
		call(&r, "GET", path, w.admin_token, NULL);
		assert_int_equal(r.status, 200);
		assert_int_equal(uint_of(r.json, "index"), i);
		assert_int_equal(uint_of(r.json, "size"), n);
		nh = proof_of(&r, proof);
		reply_free(&r);
		assert_int_equal(
		    treehead_check_inclusion(&th, leaf, len, i, proof, nh), 0);

		assert_int_equal(merkle_leaf_hash(lh, leaf, len), 0);
		snprintf(path, sizeof(path),
		    "/api/v1/log/inclusion?leaf_hash=%s&size=%llu",
		    b64(lh, sizeof(lh)), (unsigned long long)n);
		call(&r, "GET", path, w.admin_token, NULL);
		assert_int_equal(r.status, 200);
		assert_int_equal(uint_of(r.json, "index"), i);
		nh = proof_of(&r, proof);
		reply_free(&r);
		assert_int_equal(
		    treehead_check_inclusion(&th, leaf, len, i, proof, nh), 0);
	}
	/* Not below a size that ends before it. */
	snprintf(path, sizeof(path),
	    "/api/v1/log/inclusion?leaf_hash=%s&size=%llu", b64(lh, sizeof(lh)),
	    (unsigned long long)(n - 1));
	expect_get(path, 404, "not_found");
	memset(lh, 0x42, sizeof(lh));
	snprintf(path, sizeof(path),
	    "/api/v1/log/inclusion?leaf_hash=%s&size=1", b64(lh, sizeof(lh)));
	expect_get(path, 404, "not_found");
}

static void
test_log_inclusion_refusals(void **state)
{
	uint8_t lh[MERKLE_HASH_BYTES];
	char path[200];

	(void)state;
	memset(lh, 1, sizeof(lh));
	expect_get("/api/v1/log/inclusion?index=0", 400, "missing_field");
	expect_get("/api/v1/log/inclusion?size=1", 400, "missing_field");
	expect_get(
	    "/api/v1/log/inclusion?index=3&size=3", 400, "invalid_field");
	expect_get(
	    "/api/v1/log/inclusion?index=0&size=0", 400, "invalid_field");
	expect_get(
	    "/api/v1/log/inclusion?index=0&size=4", 400, "invalid_field");
	expect_get(
	    "/api/v1/log/inclusion?index=-1&size=3", 400, "invalid_field");
	expect_get(
	    "/api/v1/log/inclusion?index=00&size=3", 400, "invalid_field");
	expect_get("/api/v1/log/inclusion?index=0&size=99999999999999999999",
	    400, "invalid_field");
	expect_get("/api/v1/log/inclusion?leaf_hash=AAAA&size=3", 400,
	    "invalid_field");
	expect_get(
	    "/api/v1/log/inclusion?leaf_hash=&size=3", 400, "invalid_field");
	snprintf(path, sizeof(path),
	    "/api/v1/log/inclusion?leaf_hash=%s&size=3", b64(lh, 31));
	expect_get(path, 400, "invalid_field");
	snprintf(path, sizeof(path),
	    "/api/v1/log/inclusion?leaf_hash=%s&index=0&size=3",
	    b64(lh, sizeof(lh)));
	expect_get(path, 400, "bad_request");
	expect_get("/api/v1/log/inclusion?index=0&size=3&first=1", 400,
	    "unknown_field");
}

static void
test_log_consistency_between_heads(void **state)
{
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct treehead old, cur;
	struct reply r;
	char path[200];
	size_t nh;

	(void)state;
	fetch_head(&old);
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "dod", "name", "Defense"));
	reply_free(&r);
	call(&r, "POST", "/api/v1/orgs", w.admin_token,
	    json_pack("{s:s,s:s}", "id", "doe", "name", "Energy"));
	reply_free(&r);
	fetch_head(&cur);
	assert_true(cur.size == old.size + 2);
	snprintf(path, sizeof(path),
	    "/api/v1/log/consistency?first=%llu&second=%llu",
	    (unsigned long long)old.size, (unsigned long long)cur.size);
	call(&r, "GET", path, w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(uint_of(r.json, "first"), old.size);
	assert_int_equal(uint_of(r.json, "second"), cur.size);
	nh = proof_of(&r, proof);
	reply_free(&r);
	assert_int_equal(treehead_check_consistency(&old, &cur, proof, nh), 0);
	/* Equal sizes: an empty proof. */
	snprintf(path, sizeof(path),
	    "/api/v1/log/consistency?first=%llu&second=%llu",
	    (unsigned long long)cur.size, (unsigned long long)cur.size);
	call(&r, "GET", path, w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(proof_of(&r, proof), 0);
	reply_free(&r);

	expect_get(
	    "/api/v1/log/consistency?first=0&second=3", 400, "invalid_field");
	expect_get(
	    "/api/v1/log/consistency?first=3&second=2", 400, "invalid_field");
	snprintf(path, sizeof(path),
	    "/api/v1/log/consistency?first=1&second=%llu",
	    (unsigned long long)cur.size + 1);
	expect_get(path, 400, "invalid_field");
	expect_get("/api/v1/log/consistency?first=1&second=%2B3", 400,
	    "invalid_field");
	expect_get("/api/v1/log/consistency?first=1", 400, "missing_field");
	expect_get("/api/v1/log/consistency?second=1", 400, "missing_field");
	expect_get("/api/v1/log/consistency?first=1&second=2&second=2", 400,
	    "unknown_field");
}

/* Run ${sql} on the instance's database over a connection of the test's. */
static void
raw_exec(const char *sql)
{
	char path[600];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/dissent.db", w.dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_busy_timeout(db, 5000), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Stop the server, run ${sql}, and expect it not to start again. */
static void
expect_no_restart_after(const char *sql, const char *why)
{
	char err[256];

	server_free(w.sv);
	w.sv = NULL;
	raw_exec(sql);
	assert_int_equal(server_new(&w.sv, &w.cfg, err, sizeof(err)), -1);
	assert_null(w.sv);
	if (strstr(err, why) == NULL)
		fprintf(stderr, "error: %s\n", err);
	assert_non_null(strstr(err, why));
}

static void
test_server_restarts_on_an_intact_log(void **state)
{
	struct treehead before, after;
	char err[256];

	(void)state;
	fetch_head(&before);
	server_free(w.sv);
	w.sv = NULL;
	assert_int_equal(server_new(&w.sv, &w.cfg, err, sizeof(err)), 0);
	fetch_head(&after);
	assert_memory_equal(&before, &after, sizeof(before));
}

static void
test_server_refuses_to_start_on_a_shortened_log(void **state)
{

	(void)state;
	expect_no_restart_after(
	    "DELETE FROM log_entries WHERE idx = 2", "rolled back");
}

static void
test_server_refuses_to_start_on_an_altered_log(void **state)
{

	(void)state;
	/* Size 3 = 2 + 1: the root reads node (1, 0) and leaf 2. */
	expect_no_restart_after("UPDATE log_entries SET "
				"leaf_hash = zeroblob(32) WHERE idx = 2",
	    "altered");
}

static void
test_server_refuses_to_start_on_a_forged_head(void **state)
{

	(void)state;
	expect_no_restart_after(
	    "UPDATE log_heads SET root = zeroblob(32) WHERE size = 3",
	    "does not verify");
}

static void
test_a_database_from_before_the_log_gets_its_directory_logged(void **state)
{
	char err[256];
	struct event ev;
	struct member m;
	struct reply r;
	uint64_t i, n, idx;
	int created = 0, enrolled = 0, suspended = 0, orgs = 0;

	(void)state;
	new_member(&m, "mona", "[\"member\"]");
	call(&r, "POST", "/api/v1/members/mona/suspend", w.admin_token, NULL);
	reply_free(&r);
	server_free(w.sv);
	w.sv = NULL;
	raw_exec("DROP TABLE log_key_events; DROP TABLE log_heads; "
		 "DROP TABLE log_nodes; DROP TABLE log_entries; "
		 "DROP TABLE memo_counts; DROP TABLE memo_anon_signatures; "
		 "DROP TABLE memo_ring_members; "
		 "DROP TABLE notifications; DROP TABLE channel_grants; "
		 "DROP TABLE channel_key; DROP TABLE complaint_readers; "
		 "DROP TABLE complaints; DROP TABLE meetings; "
		 "DROP TABLE memo_distributions; DROP TABLE memo_replies; "
		 "DROP TABLE memo_accesses; DROP TABLE memo_signatures; "
		 "DROP TABLE memo_grants; DROP TABLE memo_members; "
		 "DROP TABLE memo_versions; DROP TABLE memos; "
		 "DELETE FROM schema_migrations WHERE version >= 2; "
		 "PRAGMA user_version = 1;");
	assert_int_equal(server_new(&w.sv, &w.cfg, err, sizeof(err)), 0);
	n = stored_log_size();
	/* state; admin and mona created; both enrolled; mona suspended. */
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++) {
		fetch_event(i, &ev);
		orgs += ev.type == EVENT_ORG_CREATED;
		created += ev.type == EVENT_MEMBER_CREATED;
		enrolled += ev.type == EVENT_MEMBER_ENROLLED;
		suspended += ev.type == EVENT_MEMBER_SUSPENDED &&
			     strcmp(ev.member_id, m.id) == 0;
	}
	assert_int_equal(orgs, 1);
	assert_int_equal(created, 2);
	assert_int_equal(enrolled, 2);
	assert_int_equal(suspended, 1);
	call(&r, "GET", "/api/v1/members/mona/keys", w.admin_token, NULL);
	assert_int_equal(r.status, 200);
	idx = uint_of(json_object_get(r.json, "current"), "log_index");
	reply_free(&r);
	fetch_event(idx, &ev);
	assert_int_equal(ev.type, EVENT_MEMBER_ENROLLED);
	assert_string_equal(ev.member_id, m.id);
}

static void
tweak_idle(struct config *c)
{

	c->session_idle_ttl = 1;
}

static int
setup_idle(void **state)
{

	(void)state;
	return (setup_with(604800, tweak_idle));
}

static void
test_idle_session_expires(void **state)
{
	struct reply r;

	(void)state;
	/* setup logged the admin in; one idle second and more passes. */
	sleep(2);
	call(&r, "GET", "/api/v1/auth/session", w.admin_token, NULL);
	expect_error(&r, 401, "unauthenticated");
}

static void
tweak_rate(struct config *c)
{

	c->rate_limit_per_minute = 3;
}

static int
setup_rate(void **state)
{

	(void)state;
	return (setup_with(604800, tweak_rate));
}

static void
test_unauthenticated_endpoints_are_rate_limited(void **state)
{
	struct reply r;
	int i;

	(void)state;
	/* setup() spent 3 (lookup, enroll, login); health is not counted. */
	for (i = 0; i < 10; i++) {
		call(&r, "GET", "/api/v1/health", NULL, NULL);
		assert_int_equal(r.status, 200);
		reply_free(&r);
	}
	call(&r, "POST", "/api/v1/auth/params", NULL,
	    json_pack("{s:s}", "handle", "x"));
	assert_true(atoi(r.retry_after) >= 1);
	expect_error(&r, 429, "rate_limited");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_health_reports_the_schema),
	    T(test_instance_describes_the_instance),
	    T(test_unknown_path_is_404),
	    T(test_wrong_method_is_405_with_allow),
	    T(test_get_with_body_is_refused),
	    T(test_body_without_json_content_type_is_415),
	    T(test_session_endpoint_without_token_is_401),
	    T(test_admin_enrollment_code_is_consumed),
	    T(test_session_shows_the_admin),
	    T(test_lookup_of_unknown_or_malformed_code_is_404),
	    T(test_enroll_refuses_a_bad_proof_and_changes_nothing),
	    T(test_enroll_refuses_a_cheap_kdf),
	    T(test_enroll_refuses_unknown_fields),
	    cmocka_unit_test_setup_teardown(
		test_expired_code_is_410, setup_expired, teardown),
	    T(test_login_sets_a_strict_cookie),
	    T(test_wrong_key_and_unknown_handle_answer_alike),
	    T(test_pending_member_cannot_log_in),
	    T(test_failures_lock_the_account),
	    T(test_unknown_handles_lock_too),
	    T(test_success_resets_the_failure_count),
	    T(test_params_answer_a_decoy_for_unknown_handles),
	    T(test_logout_ends_the_session),
	    T(test_cookie_request_changing_state_needs_json),
	    T(test_cookie_get_needs_no_content_type),
	    T(test_directory_writes_are_admin_only),
	    T(test_forbidden_comes_before_body_checks),
	    T(test_orgs_are_created_and_listed),
	    T(test_members_are_listed_and_found),
	    T(test_member_creation_refusals_change_nothing),
	    T(test_suspension_ends_sessions_at_once),
	    T(test_admin_cannot_suspend_itself),
	    T(test_suspending_a_pending_member_voids_its_code),
	    T(test_new_enrollment_code_replaces_the_old),
	    T(test_patch_changes_roles_but_not_across_admin),
	    T(test_password_change_ends_other_sessions),
	    T(test_recovery_fetch_and_reset),
	    T(test_totp_is_required_once_enabled),
	    T(test_totp_disable_needs_password_and_code),
	    T(test_totp_enable_refuses_a_wrong_code),
	    T(test_totp_enable_needs_the_password),
	    T(test_query_parameters_are_refused_where_none_are_taken),
	    T(test_routes_with_query_parameters_refuse_unknown_ones),
	    T(test_integer_query_parameters_are_strict_decimals),
	    T(test_keys_rotate_refuses_a_wrong_password_and_counts_it),
	    T(test_keys_rotate_ends_every_other_session),
	    T(test_keys_rotate_to_the_next_epoch),
	    T(test_keys_of_a_pending_member_are_null),
	    T(test_log_endpoints_need_a_session),
	    T(test_log_head_is_signed_by_the_server_key),
	    T(test_init_and_enrollment_log_the_first_events),
	    T(test_org_creation_logs_one_event_and_a_refusal_none),
	    T(test_member_creation_logs_one_event_and_a_refusal_none),
	    T(test_enrollment_logs_the_keys_and_a_refusal_none),
	    T(test_rotation_logs_the_new_keys_and_a_refusal_none),
	    T(test_suspension_and_reinstatement_log_one_event_each),
	    T(test_patch_logs_each_real_change_and_nothing_else),
	    T(test_events_hold_no_names_or_handles),
	    T(test_keys_carry_the_index_of_the_event_that_published_them),
	    T(test_log_entries_serves_the_signed_range),
	    T(test_log_entries_refuses_bad_numbers_and_ranges),
	    T(test_log_heads_are_served_by_size),
	    T(test_log_inclusion_by_index_or_by_leaf_hash),
	    T(test_log_inclusion_refusals),
	    T(test_log_consistency_between_heads),
	    T(test_server_restarts_on_an_intact_log),
	    T(test_server_refuses_to_start_on_a_shortened_log),
	    T(test_server_refuses_to_start_on_an_altered_log),
	    T(test_server_refuses_to_start_on_a_forged_head),
	    T(test_a_database_from_before_the_log_gets_its_directory_logged),
	    cmocka_unit_test_setup_teardown(
		test_idle_session_expires, setup_idle, teardown),
	    cmocka_unit_test_setup_teardown(
		test_unauthenticated_endpoints_are_rate_limited, setup_rate,
		teardown),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	jsonin_init();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
