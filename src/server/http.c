#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>
#include <sodium.h>

#include "http.h"
#include "log.h"

/* Bytes of an oversized body read and dropped before the connection is cut. */
#define DISCARD_MAX (1024 * 1024)
/* Per-connection memory for MHD's buffers (request line and headers). */
#define CONNECTION_MEMORY 32768
/* GnuTLS priority string: the defaults, limited to TLS 1.3 and 1.2. */
#define TLS_PRIORITIES                                                         \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE"

/* A reply body: wiped when freed, since it may carry a token or a seed. */
struct http_body {
	size_t len;
	size_t cap;
	char data[];
};

struct http_server {
	struct MHD_Daemon *daemon;
	http_handler handler;
	size_t (*body_limit)(void *, const char *, const char *);
	void *cls;
	int tls;
	unsigned int port;
};

/* Headers on every response (docs/API.md, docs/OPERATIONS.md). */
static const struct {
	const char *name;
	const char *value;
} security_headers[] = {
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cache-Control", "no-store"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
};

/*
 * Return 1 if a handler may replace the security header ${name} with its
 * own value: the web application's pages need a policy that lets them run
 * their scripts and a cache validator for their assets.
 */
static int
security_header_replaceable(const char *name)
{

	return (strcasecmp(name, "Content-Security-Policy") == 0 ||
		strcasecmp(name, "Cache-Control") == 0);
}

/* Two years, as the HSTS preload list asks (RFC 6797 §6.1.1). */
#define HSTS_VALUE "max-age=63072000; includeSubDomains"

/**
 * http_now_us():
 * Return a monotonic time in microseconds.
 */
int64_t
http_now_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return (0);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* Wipe and free a reply body. */
static void
body_free(struct http_body *b)
{

	if (b == NULL)
		return;
	sodium_memzero(b->data, b->cap);
	free(b);
}

/* MHD's free callback for a reply body. */
static void
body_free_cb(void *cls)
{

	body_free(cls);
}

/* Make room for ${extra} more bytes in *${bp}; 0 or -1. */
static int
body_reserve(struct http_body **bp, size_t extra)
{
	struct http_body *b = *bp, *nb;
	size_t need, cap;

	need = (b != NULL ? b->len : 0);
	if (extra > HTTP_REPLY_MAX - need)
		return (-1);
	need += extra;
	if (b != NULL && need <= b->cap)
		return (0);
	cap = (b != NULL && b->cap > 0) ? b->cap : 512;
	while (cap < need)
		cap = cap > HTTP_REPLY_MAX / 2 ? HTTP_REPLY_MAX : cap * 2;
	/* Grow by copying so the old buffer can be wiped. */
	if ((nb = malloc(sizeof(*nb) + cap)) == NULL)
		return (-1);
	nb->cap = cap;
	nb->len = 0;
	if (b != NULL) {
		memcpy(nb->data, b->data, b->len);
		nb->len = b->len;
		body_free(b);
	}
	*bp = nb;
	return (0);
}

/* json_dump_callback() sink appending to a struct http_body. */
static int
dump_cb(const char *buf, size_t size, void *data)
{
	struct http_body **bp = data;

	if (body_reserve(bp, size) != 0)
		return (-1);
	memcpy((*bp)->data + (*bp)->len, buf, size);
	(*bp)->len += size;
	return (0);
}

/* Drop any reply set so far. */
static void
reply_reset(struct http_request *req)
{

	body_free(req->reply);
	req->reply = NULL;
	req->reply_static = NULL;
	req->reply_static_len = 0;
	req->nheaders = 0;
	req->status = 0;
}

static const char internal_body[] =
    "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}";

/**
 * http_reply_json(req, status, body):
 * Reply ${status} with the JSON ${body}, whose reference is taken (and
 * dropped) in every case.  Return 0, or -1 (and reply 500) on failure.
 */
int
http_reply_json(struct http_request *req, unsigned int status, json_t *body)
{
	struct http_body *b = NULL;

	reply_reset(req);
	if (body == NULL)
		goto err0;
	if (json_dump_callback(body, dump_cb, &b, JSON_COMPACT) != 0 ||
	    b == NULL)
		goto err1;
	json_decref(body);
	req->reply = b;
	req->status = status;
	return (0);

err1:
	body_free(b);
	json_decref(body);
err0:
	log_msg(LOG_ERROR, "cannot build a JSON reply");
	http_reply_static(req, 500, internal_body, sizeof(internal_body) - 1);
	return (-1);
}

/**
 * http_reply_error(req, status, code, fmt, ...):
 * Reply ${status} with {"error":{"code":${code},"message":...}}.  The
 * message must never quote a client's value.
 */
void
http_reply_error(struct http_request *req, unsigned int status,
    const char *code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	json_t *body;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	body =
	    json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
	(void)http_reply_json(req, status, body);
}

/**
 * http_reply_empty(req, status):
 * Reply ${status} with no body (e.g. 204).
 */
void
http_reply_empty(struct http_request *req, unsigned int status)
{

	reply_reset(req);
	req->status = status;
}

/**
 * http_reply_static(req, status, body, len):
 * Reply ${status} with the constant JSON ${body} of ${len} bytes, which
 * must outlive the server.
 */
void
http_reply_static(
    struct http_request *req, unsigned int status, const char *body, size_t len)
{

	reply_reset(req);
	req->reply_static = body;
	req->reply_static_len = len;
	req->status = status;
}

/**
 * http_reply_bytes(req, status, data, len):
 * Reply ${status} with a copy of the ${len} bytes at ${data} (a file of the
 * web application); the handler names its Content-Type with
 * http_reply_header().  Return 0, or -1 (and reply 500) on failure.
 */
int
http_reply_bytes(
    struct http_request *req, unsigned int status, const void *data, size_t len)
{
	struct http_body *b = NULL;

	reply_reset(req);
	if (body_reserve(&b, len) != 0) {
		log_msg(LOG_ERROR, "cannot build a reply");
		http_reply_static(
		    req, 500, internal_body, sizeof(internal_body) - 1);
		return (-1);
	}
	memcpy(b->data, data, len);
	b->len = len;
	req->reply = b;
	req->status = status;
	return (0);
}

/**
 * http_reply_header(req, name, value):
 * Add the header ${name} (a constant string) with ${value} to the reply.
 * A Content-Type, Content-Security-Policy or Cache-Control header given
 * here replaces the server's default one (the web application's pages).
 * Return 0, or -1 if there are too many headers or ${value} is too long.
 */
int
http_reply_header(struct http_request *req, const char *name, const char *value)
{
	size_t len = strlen(value);

	if (req->nheaders == HTTP_HEADERS_MAX || len >= HTTP_HEADER_VALUE_MAX)
		return (-1);
	req->headers[req->nheaders].name = name;
	memcpy(req->headers[req->nheaders].value, value, len + 1);
	req->nheaders++;
	return (0);
}

/**
 * http_reply_body(req, len):
 * Return a pointer to the reply body held in ${req} and its length in
 * ${len}, or NULL if there is none (for tests).
 */
const char *
http_reply_body(const struct http_request *req, size_t *len)
{

	if (req->reply != NULL) {
		*len = req->reply->len;
		return (req->reply->data);
	}
	if (req->reply_static != NULL) {
		*len = req->reply_static_len;
		return (req->reply_static);
	}
	*len = 0;
	return (NULL);
}

/* The value of the hex digit ${c}, or -1. */
static int
hexval(char c)
{

	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * Decode the query argument text ${s} in place as libmicrohttpd does: '+'
 * is a space and "%XX" a byte; a '%' without two hex digits stays.
 */
static void
query_unescape(char *s)
{
	char *out = s;
	int hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '+') {
			*out++ = ' ';
		} else if (*s == '%' && (hi = hexval(s[1])) >= 0 &&
			   (lo = hexval(s[2])) >= 0) {
			*out++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Split the query text in ${req}->qbuf into its decoded arguments. */
static void
query_parse(struct http_request *req)
{
	char *p = req->qbuf, *amp, *eq;

	while (*p != '\0') {
		if ((amp = strchr(p, '&')) != NULL)
			*amp = '\0';
		if (*p != '\0') {
			if (req->nq == HTTP_QUERY_ARGS_MAX) {
				req->qoverflow = 1;
				return;
			}
			if ((eq = strchr(p, '=')) != NULL) {
				*eq = '\0';
				query_unescape(eq + 1);
			}
			query_unescape(p);
			req->qkey[req->nq] = p;
			req->qval[req->nq] = eq != NULL ? eq + 1 : NULL;
			req->nq++;
		}
		if (amp == NULL)
			break;
		p = amp + 1;
	}
}

/**
 * http_request_init(req, method, path):
 * Set up ${req} for a request (used by the server and by tests, which have
 * no connection; a test's ${path} may end in "?query", whose arguments
 * http_query_get() and http_query_check() then see).  Return 0, or -1 if
 * ${path} is too long (the request is then still usable and path_too_long
 * is set).
 */
int
http_request_init(
    struct http_request *req, const char *method, const char *path)
{
	const char *q;
	size_t len;

	memset(req, 0, sizeof(*req));
	req->body_max = HTTP_BODY_MAX;
	len = strlen(method);
	if (len >= sizeof(req->method))
		len = sizeof(req->method) - 1;
	memcpy(req->method, method, len);
	req->method[len] = '\0';
	len = strlen(path);
	if (len > HTTP_PATH_MAX) {
		req->path_too_long = 1;
		return (-1);
	}
	/* libmicrohttpd passes the path without its query: only tests. */
	if ((q = strchr(path, '?')) != NULL) {
		memcpy(req->qbuf, q + 1, len - (size_t)(q - path));
		query_parse(req);
		len = (size_t)(q - path);
	}
	memcpy(req->path, path, len);
	req->path[len] = '\0';
	return (0);
}

/* Append ${n} bytes to ${req}'s body; 0, or -1 if too large or no memory. */
static int
body_append(struct http_request *req, const char *data, size_t n)
{
	size_t cap;
	char *nb;

	if (n > req->body_max - req->body_len)
		return (-1);
	if (req->body_len + n > req->body_cap) {
		cap = req->body_cap > 0 ? req->body_cap : 4096;
		while (cap < req->body_len + n)
			cap *= 2;
		if (cap > req->body_max)
			cap = req->body_max;
		if ((nb = malloc(cap)) == NULL)
			return (-1);
		if (req->body != NULL) {
			memcpy(nb, req->body, req->body_len);
			sodium_memzero(req->body, req->body_cap);
			free(req->body);
		}
		req->body = nb;
		req->body_cap = cap;
	}
	memcpy(req->body + req->body_len, data, n);
	req->body_len += n;
	return (0);
}

/**
 * http_request_set_body(req, body, len):
 * Give ${req} a copy of the ${len}-byte body ${body} (for requests made
 * without a connection: at most HTTP_BODY_LARGE_MAX bytes; the dispatcher
 * applies each route's own limit).  Return 0, or -1 if it is too large or
 * memory runs out.
 */
int
http_request_set_body(struct http_request *req, const char *body, size_t len)
{

	req->has_body = 1;
	req->body_max = HTTP_BODY_LARGE_MAX;
	return (body_append(req, body, len));
}

/**
 * http_request_clear(req):
 * Wipe and free what ${req} holds.
 */
void
http_request_clear(struct http_request *req)
{

	if (req->body != NULL) {
		sodium_memzero(req->body, req->body_cap);
		free(req->body);
	}
	req->body = NULL;
	req->body_len = req->body_cap = 0;
	body_free(req->reply);
	req->reply = NULL;
	sodium_memzero(req->token, sizeof(req->token));
	/* A Set-Cookie header carries the session token. */
	sodium_memzero(req->headers, sizeof(req->headers));
	req->nheaders = 0;
}

/* Skip optional whitespace (RFC 9110 §5.6.3). */
static const char *
skip_ows(const char *p)
{

	while (*p == ' ' || *p == '\t')
		p++;
	return (p);
}

/**
 * http_content_type_parse(value):
 * Classify the Content-Type header value ${value} (NULL if absent):
 * application/json, optionally with "; charset=utf-8" (any case), is
 * HTTP_CT_JSON.
 */
enum http_content_type
http_content_type_parse(const char *value)
{
	static const char json[] = "application/json";
	static const char charset[] = "charset=";
	const char *p;

	if (value == NULL)
		return (HTTP_CT_NONE);
	p = skip_ows(value);
	if (strncasecmp(p, json, sizeof(json) - 1) != 0)
		return (HTTP_CT_OTHER);
	p = skip_ows(p + sizeof(json) - 1);
	if (*p == '\0')
		return (HTTP_CT_JSON);
	if (*p != ';')
		return (HTTP_CT_OTHER);
	p = skip_ows(p + 1);
	if (strncasecmp(p, charset, sizeof(charset) - 1) != 0)
		return (HTTP_CT_OTHER);
	p += sizeof(charset) - 1;
	if (strncasecmp(p, "utf-8", 5) == 0)
		p += 5;
	else if (strncasecmp(p, "\"utf-8\"", 7) == 0)
		p += 7;
	else
		return (HTTP_CT_OTHER);
	p = skip_ows(p);
	return (*p == '\0' ? HTTP_CT_JSON : HTTP_CT_OTHER);
}

/**
 * http_query_get(req, key):
 * Return the value of the query argument ${key}, or NULL if absent.
 */
const char *
http_query_get(struct http_request *req, const char *key)
{
	size_t i;

	if (req->conn == NULL) {
		for (i = 0; i < req->nq; i++)
			if (strcmp(req->qkey[i], key) == 0)
				return (req->qval[i]);
		return (NULL);
	}
	return (
	    MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key));
}

struct query_state {
	const char *const *allowed;
	size_t n;
	unsigned int seen; /* one bit per allowed name */
	int bad;
	char *badname;
	size_t badcap;
};

/* MHD iterator over query arguments for http_query_check(). */
static enum MHD_Result
query_iter(
    void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query_state *st = cls;
	const char *p;
	size_t i;
	int plain = 1;

	(void)kind;
	(void)value;
	for (i = 0; i < st->n && i < 32; i++) {
		if (strcmp(st->allowed[i], key) == 0) {
			if ((st->seen & (1u << i)) == 0) {
				st->seen |= 1u << i;
				return (MHD_YES);
			}
			break;
		}
	}
	st->bad = 1;
	for (p = key; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
			plain = 0;
	(void)snprintf(st->badname, st->badcap, "%s",
	    plain && strlen(key) <= 32 ? key : "?");
	return (MHD_NO);
}

/**
 * http_query_check(req, allowed, n, bad, badcap):
 * Return 0 if every query argument of ${req} is one of the ${n} names in
 * ${allowed} and none is given twice; else -1 with the offending name (if
 * printable and short, else "?") in ${bad}.
 */
int
http_query_check(struct http_request *req, const char *const *allowed, size_t n,
    char *bad, size_t badcap)
{
	struct query_state st;
	size_t i;

	st.allowed = allowed;
	st.n = n;
	st.seen = 0;
	st.bad = 0;
	st.badname = bad;
	st.badcap = badcap;
	if (req->conn == NULL) {
		for (i = 0; i < req->nq; i++)
			if (query_iter(&st, MHD_GET_ARGUMENT_KIND, req->qkey[i],
				req->qval[i]) == MHD_NO)
				break;
		if (req->qoverflow && !st.bad) {
			st.bad = 1;
			(void)snprintf(bad, badcap, "?");
		}
		return (st.bad ? -1 : 0);
	}
	(void)MHD_get_connection_values(
	    req->conn, MHD_GET_ARGUMENT_KIND, query_iter, &st);
	return (st.bad ? -1 : 0);
}

/* Find the session token: a Bearer Authorization, else the cookie. */
static void
collect_auth(struct http_request *req, struct MHD_Connection *conn)
{
	const char *v;
	size_t len;

	v = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (v != NULL) {
		/* The scheme is case-insensitive (RFC 9110 §11.1). */
		if (strncasecmp(v, "Bearer ", 7) != 0) {
			req->auth_source = HTTP_AUTH_MALFORMED;
			return;
		}
		v = skip_ows(v + 7);
		len = strlen(v);
		if (len == 0 || len > HTTP_TOKEN_MAX) {
			req->auth_source = HTTP_AUTH_MALFORMED;
			return;
		}
		memcpy(req->token, v, len + 1);
		req->auth_source = HTTP_AUTH_BEARER;
		return;
	}
	v = MHD_lookup_connection_value(
	    conn, MHD_COOKIE_KIND, HTTP_SESSION_COOKIE);
	/* An empty cookie is what logout leaves behind: no session. */
	if (v == NULL || (len = strlen(v)) == 0)
		return;
	if (len > HTTP_TOKEN_MAX) {
		req->auth_source = HTTP_AUTH_MALFORMED;
		return;
	}
	memcpy(req->token, v, len + 1);
	req->auth_source = HTTP_AUTH_COOKIE;
}

/* Keep a short If-None-Match header of a GET or HEAD request. */
static void
collect_if_none_match(struct http_request *req, struct MHD_Connection *conn)
{
	const char *v;
	size_t len;

	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return;
	v = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (v == NULL || (len = strlen(v)) >= sizeof(req->if_none_match))
		return;
	memcpy(req->if_none_match, v, len + 1);
}

/* Parse a Content-Length value; -1 if malformed. */
static int
parse_length(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return (-1);
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return (0);
}

/* Return 1 if the handler set the header ${name} on ${req}'s reply. */
static int
reply_has_header(const struct http_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return (1);
	return (0);
}

/* Queue the reply held in ${req}. */
static enum MHD_Result
queue_reply(struct http_server *hs, struct MHD_Connection *conn,
    struct http_request *req)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t i;
	int ok = 1;

	if (req->reply != NULL) {
		resp = MHD_create_response_from_buffer_with_free_callback_cls(
		    req->reply->len, req->reply->data, body_free_cb,
		    req->reply);
		if (resp == NULL)
			return (MHD_NO); /* req->reply freed with req */
		req->reply = NULL;       /* now MHD's to free */
	} else if (req->reply_static != NULL) {
		resp = MHD_create_response_from_buffer(req->reply_static_len,
		    (void *)(uintptr_t)req->reply_static,
		    MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_buffer(
		    0, NULL, MHD_RESPMEM_PERSISTENT);
	}
	if (resp == NULL)
		return (MHD_NO);

	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]);
	     i++) {
		/* The web application's pages send their own policy. */
		if (security_header_replaceable(security_headers[i].name) &&
		    reply_has_header(req, security_headers[i].name))
			continue;
		ok &= MHD_add_response_header(resp, security_headers[i].name,
			  security_headers[i].value) == MHD_YES;
	}
	if (hs->tls)
		ok &= MHD_add_response_header(resp,
			  MHD_HTTP_HEADER_STRICT_TRANSPORT_SECURITY,
			  HSTS_VALUE) == MHD_YES;
	if (req->status != 204 && req->status != 304 &&
	    !reply_has_header(req, MHD_HTTP_HEADER_CONTENT_TYPE))
		ok &=
		    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
			"application/json") == MHD_YES;
	for (i = 0; i < req->nheaders; i++)
		ok &= MHD_add_response_header(resp, req->headers[i].name,
			  req->headers[i].value) == MHD_YES;
	if (!ok) {
		/* A reply without its security headers is never sent. */
		MHD_destroy_response(resp);
		return (MHD_NO);
	}
	ret = MHD_queue_response(conn, req->status, resp);
	/* Our reference keeps MHD's copy of the headers until completed(). */
	if (ret == MHD_YES && req->nheaders > 0)
		req->resp = resp;
	else
		MHD_destroy_response(resp);
	req->queued = 1;
	return (ret);
}

/* Copy the peer's address into ${req}. */
static void
collect_peer(struct http_request *req, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		memcpy(&req->addr, sa, sizeof(struct sockaddr_in));
	else if (sa->sa_family == AF_INET6)
		memcpy(&req->addr, sa, sizeof(struct sockaddr_in6));
}

/* MHD's access handler: called for headers, each body chunk, and the end. */
static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	struct http_server *hs = cls;
	struct http_request *req = *req_cls;
	const char *cl;
	uint64_t len;
	size_t n;

	(void)version;
	if (req == NULL) {
		if ((req = malloc(sizeof(*req))) == NULL)
			return (MHD_NO);
		(void)http_request_init(req, method, url);
		*req_cls = req;
		req->start_us = http_now_us();
		req->conn = conn;
		req->tls = hs->tls;
		if (hs->body_limit != NULL) {
			req->body_max = hs->body_limit(hs->cls, method, url);
			if (req->body_max > HTTP_BODY_LARGE_MAX)
				req->body_max = HTTP_BODY_LARGE_MAX;
		}
		collect_peer(req, conn);
		req->content_type =
		    http_content_type_parse(MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE));
		collect_auth(req, conn);
		collect_if_none_match(req, conn);
		cl = MHD_lookup_connection_value(
		    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			if (parse_length(cl, &len) == 0 && len > 0)
				req->has_body = 1;
			if (parse_length(cl, &len) == 0 && len > req->body_max)
				req->too_large = 1;
		} else if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
			       MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL)
			req->has_body = 1;
		if (req->too_large) {
			/* Refused before reading: MHD closes afterwards. */
			http_reply_error(req, 413, "too_large",
			    "request body larger than %zu bytes",
			    req->body_max);
			return (queue_reply(hs, conn, req));
		}
		return (MHD_YES);
	}

	if (*upload_data_size > 0) {
		n = *upload_data_size;
		*upload_data_size = 0;
		req->has_body = 1;
		if (req->queued || req->too_large) {
			/* Read and drop a little, then cut the connection. */
			if (n > DISCARD_MAX - req->discarded)
				return (MHD_NO);
			req->discarded += n;
			return (MHD_YES);
		}
		if (n > req->body_max - req->body_len) {
			req->too_large = 1;
			req->discarded = n;
			return (n > DISCARD_MAX ? MHD_NO : MHD_YES);
		}
		if (body_append(req, upload_data, n) != 0) {
			log_msg(LOG_ERROR, "out of memory for a request body");
			return (MHD_NO);
		}
		return (MHD_YES);
	}

	if (req->queued)
		return (MHD_YES);
	if (req->too_large)
		http_reply_error(req, 413, "too_large",
		    "request body larger than %zu bytes", req->body_max);
	else
		hs->handler(hs->cls, req);
	if (req->status == 0)
		http_reply_error(req, 500, "internal", "internal error");
	return (queue_reply(hs, conn, req));
}

/* Overwrite the NUL-terminated string ${v} held by libmicrohttpd. */
static void
wipe_mhd_string(const char *v)
{

	if (v != NULL)
		sodium_memzero((void *)(uintptr_t)v, strlen(v));
}

/*
 * Wipe the secrets libmicrohttpd holds for a finished request before it
 * frees or reuses that memory: the request's Authorization and Cookie
 * headers (the session token) and the response's copy of our headers (a
 * Set-Cookie with a new token).  Nothing reads them once it completes.
 */
static void
wipe_secrets(struct MHD_Connection *conn, struct http_request *req)
{
	size_t i;

	if (conn != NULL) {
		wipe_mhd_string(MHD_lookup_connection_value(
		    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
		wipe_mhd_string(MHD_lookup_connection_value(
		    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE));
	}
	if (req->resp != NULL) {
		for (i = 0; i < req->nheaders; i++)
			wipe_mhd_string(MHD_get_response_header(
			    req->resp, req->headers[i].name));
		MHD_destroy_response(req->resp);
		req->resp = NULL;
	}
}

/* MHD's completion callback: log the request and free it. */
static void
completed(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_request *req = *req_cls;
	char addr[INET6_ADDRSTRLEN] = "";
	struct log_field f[6];
	size_t n = 0;

	(void)cls;
	if (req == NULL)
		return;
	*req_cls = NULL;
	wipe_secrets(conn, req);
	if (log_enabled(LOG_INFO)) {
		f[n++] = LOG_STR("method", req->method);
		f[n++] = LOG_STR(
		    "route", req->route != NULL ? req->route : "(none)");
		f[n++] = LOG_INT("status", req->status);
		f[n++] = LOG_INT("duration_us", http_now_us() - req->start_us);
		if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
			f[n++] = LOG_BOOL("aborted", 1);
		/* The peer's address is personal data: debug level only. */
		if (log_enabled(LOG_DEBUG)) {
			if (req->addr.ss_family == AF_INET)
				(void)inet_ntop(AF_INET,
				    &((struct sockaddr_in *)&req->addr)
					 ->sin_addr,
				    addr, sizeof(addr));
			else if (req->addr.ss_family == AF_INET6)
				(void)inet_ntop(AF_INET6,
				    &((struct sockaddr_in6 *)&req->addr)
					 ->sin6_addr,
				    addr, sizeof(addr));
			f[n++] = LOG_STR("remote", addr);
		}
		log_fields(LOG_INFO, "request", f, n);
	}
	http_request_clear(req);
	free(req);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Route libmicrohttpd's own messages into the log. */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];
	size_t len;
	struct log_field f[1];

	(void)cls;
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	f[0] = LOG_STR("detail", buf);
	log_fields(LOG_WARN, "libmicrohttpd", f, 1);
}

/**
 * http_start(hs, opts, handler, cls):
 * Start listening as ${opts} says, calling ${handler}(${cls}, request) from
 * the server's threads.  Return 0 and the server in ${hs}, or -1.
 */
int
http_start(struct http_server **hsp, const struct http_options *opts,
    http_handler handler, void *cls)
{
	struct http_server *hs;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	const union MHD_DaemonInfo *info;
	unsigned int flags;
	struct MHD_OptionItem ops[16];
	size_t nops = 0;

	if ((hs = calloc(1, sizeof(*hs))) == NULL) {
		log_msg(LOG_ERROR, "out of memory");
		goto err0;
	}
	hs->handler = handler;
	hs->body_limit = opts->body_limit;
	hs->cls = cls;
	hs->tls = opts->tls_cert_pem != NULL;

	flags =
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, opts->listen, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)opts->port);
		sa = (const struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, opts->listen, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)opts->port);
		sa = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		log_msg(LOG_ERROR, "listen is not a numeric address");
		goto err1;
	}
	if (hs->tls)
		flags |= MHD_USE_TLS;

	/* The logger first, so that MHD reports nothing elsewhere. */
	ops[nops++] = (struct MHD_OptionItem){
	    MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL};
	ops[nops++] = (struct MHD_OptionItem){
	    MHD_OPTION_SOCK_ADDR, 0, (void *)(uintptr_t)sa};
	ops[nops++] = (struct MHD_OptionItem){
	    MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, NULL};
	ops[nops++] = (struct MHD_OptionItem){
	    MHD_OPTION_CONNECTION_LIMIT, (intptr_t)opts->max_connections, NULL};
	ops[nops++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT,
	    (intptr_t)opts->connection_timeout, NULL};
	ops[nops++] = (struct MHD_OptionItem){
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY, NULL};
	/*
	 * Counted over the whole worker pool; a client past it has its new
	 * connections closed at once.
	 */
	if (opts->max_connections_per_address > 0)
		ops[nops++] =
		    (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT,
			(intptr_t)opts->max_connections_per_address, NULL};
	ops[nops++] = (struct MHD_OptionItem){
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1, NULL};
	if (opts->threads > 1)
		ops[nops++] = (struct MHD_OptionItem){
		    MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)opts->threads, NULL};
	if (hs->tls) {
		ops[nops++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY,
		    0, (void *)(uintptr_t)opts->tls_key_pem};
		ops[nops++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT,
		    0, (void *)(uintptr_t)opts->tls_cert_pem};
		/*
		 * TLS 1.2 and 1.3 only (RFC 8996 deprecates 1.0 and 1.1), the
		 * server's cipher order first.
		 */
		ops[nops++] =
		    (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
			(void *)(uintptr_t)TLS_PRIORITIES};
	}
	ops[nops++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

	hs->daemon = MHD_start_daemon(flags, (uint16_t)opts->port, NULL, NULL,
	    answer, hs, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
	if (hs->daemon == NULL) {
		log_msg(LOG_ERROR,
		    "cannot start the HTTP server (address in "
		    "use, bad TLS key or certificate, or no memory)");
		goto err1;
	}
	if ((info = MHD_get_daemon_info(
		 hs->daemon, MHD_DAEMON_INFO_BIND_PORT)) == NULL) {
		log_msg(LOG_ERROR, "cannot find the bound port");
		goto err2;
	}
	hs->port = info->port;
	*hsp = hs;
	return (0);

err2:
	MHD_stop_daemon(hs->daemon);
err1:
	free(hs);
err0:
	return (-1);
}

/**
 * http_port(hs):
 * Return the TCP port ${hs} is bound to.
 */
unsigned int
http_port(const struct http_server *hs)
{

	return (hs->port);
}

/**
 * http_stop(hs):
 * Stop serving and free ${hs}.  NULL is a no-op.
 */
void
http_stop(struct http_server *hs)
{

	if (hs == NULL)
		return;
	MHD_stop_daemon(hs->daemon);
	free(hs);
}
