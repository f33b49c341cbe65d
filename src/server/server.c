#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "access.h"
#include "auth.h"
#include "calendar.h"
#include "deadline.h"
#include "instance.h"
#include "jsonin.h"
#include "lockout.h"
#include "log.h"
#include "memo.h"
#include "notify.h"
#include "ratelimit.h"
#include "router.h"
#include "routes.h"
#include "routes_web.h"
#include "scheduler.h"
#include "server.h"
#include "srvclock.h"

/*
 * The key of the signers' duplicate tags (memo.h), derived from the
 * instance's secret so that it survives restarts and never sits on disk.
 */
#define TAG_KEY_CONTEXT "dsgntag1"
#define TAG_KEY_ID 1
static_assert(ACCOUNT_SERVER_SECRET_BYTES == crypto_kdf_KEYBYTES,
    "server secret is a KDF key");
static_assert(MEMO_KEY_BYTES >= crypto_kdf_BYTES_MIN &&
		  MEMO_KEY_BYTES <= crypto_kdf_BYTES_MAX,
    "tag key size");
static_assert(
    sizeof(TAG_KEY_CONTEXT) - 1 == crypto_kdf_CONTEXTBYTES, "KDF context size");

struct server {
	struct config cfg;
	struct instance *inst;
	struct account_policy policy;
	struct ratelimit *rl;
	struct lockout *unknown_handles;
	struct http_server *http;
	char *tls_cert;
	char *tls_key;
	size_t tls_key_cap;
	struct calendar *cal;
	enum deadline_profile profile;
	uint8_t tag_key[MEMO_KEY_BYTES];
	struct scheduler *scheduler;
	struct notify *notify;
};

static void seterr(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format an error message into ${err}. */
static void
seterr(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (errcap == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

/* The channel log's error messages, as log lines. */
static void
chanlog_report(void *ctx, const char *msg)
{
	struct log_field f[1] = {LOG_STR("detail", msg)};

	(void)ctx;
	log_fields(LOG_ERROR, "channel log", f, 1);
}

/*
 * Check the web application's directory: web_dir, when set, must be a
 * directory; without it (config_from_args() looks next to the program)
 * the server serves the API only.  0 or -1.
 */
static int
server_web_dir(const struct server *sv, char *err, size_t errcap)
{
	struct stat st;

	if (sv->cfg.web_dir[0] == '\0') {
		log_msg(LOG_INFO, "no web application (set web_dir): serving "
				  "the API only");
		return (0);
	}
	if (stat(sv->cfg.web_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		seterr(err, errcap, "web_dir %s is not a directory",
		    sv->cfg.web_dir);
		return (-1);
	}
	return (0);
}

/**
 * server_new(sv, cfg, err, errcap):
 * Open the instance of ${cfg}'s data directory and prepare the dispatcher,
 * without listening.  ${cfg} is copied.  Return 0 and the server in ${sv},
 * or -1 with a message in ${err}.
 */
int
server_new(
    struct server **svp, const struct config *cfg, char *err, size_t errcap)
{
	struct server *sv;

	if ((sv = calloc(1, sizeof(*sv))) == NULL) {
		seterr(err, errcap, "out of memory");
		goto err0;
	}
	sv->cfg = *cfg;
	sv->policy.max_failures = cfg->login_max_failures;
	sv->policy.lock_seconds = cfg->login_lock_seconds;
	sv->policy.session_ttl = cfg->session_ttl;
	sv->policy.session_idle_ttl = cfg->session_idle_ttl;
	sv->policy.enrollment_ttl = cfg->enrollment_ttl;
	if (srvclock_init(cfg)) {
		struct log_field f[1] = {
		    LOG_STR("test_clock_file", cfg->test_clock_file)};

		log_fields(LOG_WARN,
		    "TEST CLOCK ENABLED: the time is read from a file; never "
		    "run a production instance like this",
		    f, 1);
	}
	sv->profile = cfg->policy_profile == CONFIG_PROFILE_EU_WHISTLEBLOWING
			  ? DEADLINE_EU_WHISTLEBLOWING
			  : DEADLINE_STATE_DISSENT;
	if ((sv->cal = calendar_new(
		 cfg->time_zone, cfg->holidays, cfg->nholidays)) == NULL) {
		seterr(err, errcap, "cannot load the time zone %s",
		    cfg->time_zone);
		goto err1;
	}
	if (server_web_dir(sv, err, errcap) != 0)
		goto err1;
	if (instance_open(
		&sv->inst, cfg->data_dir, srvclock_now(), err, errcap) != 0)
		goto err1;
	if (crypto_kdf_derive_from_key(sv->tag_key, sizeof(sv->tag_key),
		TAG_KEY_ID, TAG_KEY_CONTEXT, sv->inst->secret) != 0) {
		seterr(err, errcap, "cannot derive the signer tag key");
		goto err2;
	}
	/*
	 * There is always a signed head to serve (the empty tree's at first
	 * start); then the signer keeps up with the log.
	 */
	chanlog_set_report(sv->inst->log, chanlog_report, NULL);
	/* Heads take the clock of the events they cover (srvclock.h). */
	chanlog_set_clock(sv->inst->log, srvclock_now);
	if (chanlog_sign(sv->inst->log, (uint64_t)srvclock_now(), NULL) !=
	    CHANLOG_OK) {
		seterr(err, errcap, "cannot sign the channel log's tree head");
		goto err2;
	}
	if (chanlog_signer_start(sv->inst->log, cfg->log_head_interval_ms) !=
	    0) {
		seterr(err, errcap, "cannot start the tree head signer");
		goto err2;
	}
	if ((sv->rl = ratelimit_new(cfg->rate_limit_per_minute,
		 RATELIMIT_SLOTS_DEFAULT)) == NULL) {
		seterr(err, errcap, "out of memory");
		goto err2;
	}
	if ((sv->unknown_handles = lockout_new(LOCKOUT_SLOTS_DEFAULT)) ==
	    NULL) {
		seterr(err, errcap, "out of memory");
		goto err3;
	}
	*svp = sv;
	return (0);

err3:
	ratelimit_free(sv->rl);
err2:
	sodium_memzero(sv->tag_key, sizeof(sv->tag_key));
	instance_free(sv->inst);
err1:
	calendar_free(sv->cal);
	free(sv);
err0:
	return (-1);
}

/* Read the PEM file ${path} into a NUL-terminated malloc'd buffer. */
static char *
read_pem(const char *path, size_t *cap, char *err, size_t errcap)
{
	struct stat st;
	char *buf;
	size_t off = 0, len;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > SERVER_TLS_FILE_MAX) {
		seterr(err, errcap, "%s: not a PEM file of at most %d bytes",
		    path, SERVER_TLS_FILE_MAX);
		close(fd);
		return (NULL);
	}
	len = (size_t)st.st_size;
	if ((buf = malloc(len + 1)) == NULL) {
		seterr(err, errcap, "out of memory");
		close(fd);
		return (NULL);
	}
	while (off < len) {
		if ((r = read(fd, buf + off, len - off)) < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			seterr(err, errcap, "%s: short read", path);
			sodium_memzero(buf, len + 1);
			free(buf);
			close(fd);
			return (NULL);
		}
		off += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	*cap = len + 1;
	return (buf);
}

/* The body limit of route ${r}. */
static size_t
route_body_max(const struct route *r)
{

	return ((r->flags & ROUTE_LARGE_BODY) != 0 ? HTTP_BODY_LARGE_MAX
						   : HTTP_BODY_MAX);
}

/* The http_options body_limit callback: the matched route's limit. */
static size_t
body_limit_cb(void *cls, const char *method, const char *path)
{
	struct router_match m;

	(void)cls;
	if (strlen(path) > HTTP_PATH_MAX ||
	    router_match(routes_table, routes_count, router_method(method),
		path, &m) != ROUTER_FOUND)
		return (HTTP_BODY_MAX);
	return (route_body_max(m.route));
}

/* The http_handler: the dispatcher. */
static void
handle_cb(void *cls, struct http_request *req)
{

	server_handle(cls, req);
}

/**
 * server_listen(sv, err, errcap):
 * Start serving HTTP (or HTTPS) as configured.  Return 0, or -1 with a
 * message in ${err}.
 */
int
server_listen(struct server *sv, char *err, size_t errcap)
{
	struct http_options o;
	size_t cap;
	long cpus;

	memset(&o, 0, sizeof(o));
	o.listen = sv->cfg.listen;
	o.port = sv->cfg.port;
	o.threads = sv->cfg.threads;
	if (o.threads == 0) {
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
		o.threads = cpus < 1     ? 1
			    : cpus > 256 ? 256
					 : (unsigned int)cpus;
	}
	o.max_connections = sv->cfg.max_connections;
	o.connection_timeout = sv->cfg.connection_timeout;
	o.max_connections_per_address = sv->cfg.max_connections_per_address;
	o.body_limit = body_limit_cb;
	if (sv->cfg.tls_cert[0] != '\0') {
		if ((sv->tls_cert = read_pem(
			 sv->cfg.tls_cert, &cap, err, errcap)) == NULL)
			return (-1);
		if ((sv->tls_key = read_pem(sv->cfg.tls_key, &sv->tls_key_cap,
			 err, errcap)) == NULL)
			return (-1);
		o.tls_cert_pem = sv->tls_cert;
		o.tls_key_pem = sv->tls_key;
	}
	if (http_start(&sv->http, &o, handle_cb, sv) != 0) {
		seterr(err, errcap, "cannot listen on %s port %u", o.listen,
		    o.port);
		return (-1);
	}
	if (scheduler_start(&sv->scheduler, sv->inst->store, sv->inst->log,
		sv->cfg.scheduler_interval_ms, srvclock_now) != 0) {
		seterr(err, errcap, "cannot start the deadline scheduler");
		return (-1);
	}
	if (notify_start(
		&sv->notify, sv->inst->store, &sv->cfg, srvclock_now) != 0) {
		seterr(err, errcap, "cannot start the notification sender");
		return (-1);
	}
	return (0);
}

/**
 * server_port(sv):
 * Return the port ${sv} listens on (0 if not listening).
 */
unsigned int
server_port(const struct server *sv)
{

	return (sv->http != NULL ? http_port(sv->http) : 0);
}

/**
 * server_schema(sv):
 * Return the schema version of ${sv}'s store.
 */
int
server_schema(const struct server *sv)
{

	return (sv->inst->schema);
}

/* Reply 401, clearing a cookie that no longer names a session. */
static void
reply_unauthenticated(struct http_request *req, const char *msg)
{
	char cookie[AUTH_COOKIE_MAX];

	http_reply_error(req, 401, "unauthenticated", "%s", msg);
	if (req->auth_source == HTTP_AUTH_COOKIE &&
	    auth_cookie_clear(cookie, sizeof(cookie), req->tls) == 0)
		(void)http_reply_header(req, "Set-Cookie", cookie);
}

/*
 * Spend one request of the caller's per-address budget.  Return 0, or -1
 * after replying 429.
 */
static int
rate_limit(struct server *sv, struct http_request *req)
{
	uint8_t key[RATELIMIT_KEY_BYTES];
	unsigned int retry;
	char v[16];

	/* A request without a peer address (tests) shares the zero key. */
	if (ratelimit_key(key, (const struct sockaddr *)&req->addr) != 0)
		memset(key, 0, sizeof(key));
	if (ratelimit_take(sv->rl, key, http_now_us() / 1000, &retry) == 0)
		return (0);
	(void)snprintf(v, sizeof(v), "%u", retry);
	http_reply_error(req, 429, "rate_limited",
	    "too many requests from this address; try again later");
	(void)http_reply_header(req, "Retry-After", v);
	return (-1);
}

/**
 * server_handle(sv, req):
 * Answer the complete request ${req} (the dispatcher; also used by tests
 * without a network).
 */
void
server_handle(struct server *sv, struct http_request *req)
{
	struct router_match m;
	const struct route *r;
	struct route_ctx ctx;
	struct store_member me;
	struct store_session sess;
	struct jsonin_error je;
	unsigned int method, roles = ACCESS_NO_SESSION;
	char allow[ROUTER_ALLOW_MAX], bad[40];
	void *body = NULL;
	size_t i;

	method = router_method(req->method);
	if (req->path_too_long) {
		http_reply_error(req, 404, "not_found", "no such endpoint");
		return;
	}
	/* The web application's files are not API routes. */
	if (routes_web_path(req->path)) {
		routes_web_serve(sv->cfg.web_dir, req);
		return;
	}
	switch (
	    router_match(routes_table, routes_count, method, req->path, &m)) {
	case ROUTER_FOUND:
		break;
	case ROUTER_METHOD_NOT_ALLOWED:
		http_reply_error(
		    req, 405, "method_not_allowed", "method not allowed");
		if (router_allow(allow, sizeof(allow), m.allow) == 0)
			(void)http_reply_header(req, "Allow", allow);
		return;
	case ROUTER_NOT_FOUND:
	default:
		http_reply_error(req, 404, "not_found", "no such endpoint");
		return;
	}
	r = m.route;
	req->route = r->pattern;
	if (req->body_len > route_body_max(r)) {
		http_reply_error(req, 413, "too_large",
		    "request body larger than %zu bytes", route_body_max(r));
		return;
	}

	if (req->has_body && r->body == NULL) {
		http_reply_error(req, 400, "bad_request",
		    "this endpoint takes no request body");
		return;
	}
	if (req->has_body && req->content_type != HTTP_CT_JSON) {
		http_reply_error(req, 415, "unsupported_media_type",
		    "the body must be sent as Content-Type: application/json");
		return;
	}
	if ((r->flags & ROUTE_RATE_LIMITED) && rate_limit(sv, req) != 0)
		return;

	memset(&ctx, 0, sizeof(ctx));
	ctx.now = srvclock_now();
	if (r->access != ACCESS_PUBLIC) {
		if (req->auth_source != HTTP_AUTH_BEARER &&
		    req->auth_source != HTTP_AUTH_COOKIE) {
			reply_unauthenticated(req, "a session is required");
			return;
		}
		switch (auth_session(sv->inst->store, &sv->policy, req->token,
		    ctx.now, &sess, &me)) {
		case AUTH_OK:
			break;
		case AUTH_INVALID:
			reply_unauthenticated(
			    req, "the session is unknown or has expired");
			return;
		case AUTH_ERROR:
		default:
			log_msg(LOG_ERROR, "session lookup failed");
			http_reply_error(
			    req, 500, "internal", "internal error");
			return;
		}
		/*
		 * A cross-site form can send a cookie but not this content
		 * type, so it cannot change state in a member's name.
		 */
		if (req->auth_source == HTTP_AUTH_COOKIE &&
		    method != ROUTER_GET && req->content_type != HTTP_CT_JSON) {
			http_reply_error(req, 415, "unsupported_media_type",
			    "a cookie-authenticated request that changes "
			    "state must send Content-Type: application/json");
			return;
		}
		roles = me.roles;
		ctx.me = &me;
		ctx.session = &sess;
	}
	if (!access_allowed(roles, r->access)) {
		http_reply_error(
		    req, 403, "forbidden", "your role does not allow this");
		return;
	}
	/* Strict like bodies: a parameter nobody reads is a client's bug. */
	if (!(r->flags & ROUTE_QUERY) &&
	    http_query_check(req, NULL, 0, bad, sizeof(bad)) != 0) {
		http_reply_error(req, 400, "unknown_field",
		    "this endpoint takes no query parameter (got \"%s\")", bad);
		return;
	}

	if (r->body != NULL) {
		if ((body = malloc(r->body->size)) == NULL) {
			http_reply_error(req, 500, "internal", "out of memory");
			return;
		}
		/* An empty body reads as "{}": required fields then miss. */
		if (jsonin_parse(r->body, req->body_len > 0 ? req->body : "{}",
			req->body_len > 0 ? req->body_len : 2, body,
			&je) != 0) {
			http_reply_error(req, 400,
			    jsonin_status_code(je.status), "%s", je.message);
			free(body);
			return;
		}
	}

	ctx.store = sv->inst->store;
	ctx.inst = sv->inst;
	ctx.cfg = &sv->cfg;
	ctx.policy = &sv->policy;
	ctx.unknown_handles = sv->unknown_handles;
	ctx.cal = sv->cal;
	ctx.profile = sv->profile;
	ctx.signer_tag_key = sv->tag_key;
	ctx.req = req;
	for (i = 0; i < m.nparams; i++)
		ctx.params[i] = m.params[i];
	ctx.body = body;
	r->handler(&ctx);

	if (body != NULL) {
		/* Bodies carry keys and wrapped seeds. */
		sodium_memzero(body, r->body->size);
		free(body);
	}
	sodium_memzero(&sess, sizeof(sess));
}

/**
 * server_purge(sv):
 * Delete expired sessions.  Return 0 or -1.
 */
int
server_purge(struct server *sv)
{

	if (store_session_purge(sv->inst->store, srvclock_now()) != STORE_OK)
		return (-1);
	return (0);
}

/**
 * server_run_scheduler(sv, now, nmarked):
 * Run one pass of the deadline scheduler at ${now} (tests; the scheduler
 * thread does this by itself once listening), storing the number of
 * deadlines marked in ${nmarked} (may be NULL).  Return 0 or -1.
 */
int
server_run_scheduler(struct server *sv, int64_t now, size_t *nmarked)
{

	return (
	    scheduler_run_once(sv->inst->store, sv->inst->log, now, nmarked));
}

/**
 * server_free(sv):
 * Stop listening, the scheduler and the notification sender, close the
 * store and free ${sv}.  NULL is a no-op.
 */
void
server_free(struct server *sv)
{

	if (sv == NULL)
		return;
	/* No request waits for a head once the server stops listening. */
	http_stop(sv->http);
	/* The scheduler appends events: stop it before the signer. */
	scheduler_stop(sv->scheduler);
	notify_stop(sv->notify);
	if (sv->inst != NULL)
		chanlog_signer_stop(sv->inst->log);
	ratelimit_free(sv->rl);
	lockout_free(sv->unknown_handles);
	instance_free(sv->inst);
	calendar_free(sv->cal);
	sodium_memzero(sv->tag_key, sizeof(sv->tag_key));
	free(sv->tls_cert);
	if (sv->tls_key != NULL) {
		sodium_memzero(sv->tls_key, sv->tls_key_cap);
		free(sv->tls_key);
	}
	free(sv);
}
