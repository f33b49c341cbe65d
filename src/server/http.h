#ifndef HTTP_H_
#define HTTP_H_

#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <jansson.h>

/*
 * The HTTP layer over libmicrohttpd: accumulates each request body (at most
 * HTTP_BODY_MAX bytes; a larger Content-Length is refused before the body
 * is read), collects what the rest of the server needs to know about the
 * request into a struct http_request, calls the handler once the request
 * is complete, and sends the reply the handler left in the request with the
 * security headers every response carries.  Each completed request is
 * logged as one "request" line.
 */

#define HTTP_BODY_MAX (64 * 1024)
/*
 * Largest body of the routes that carry memo ciphertext (a version's box
 * is at most MEMO_BOX_MAX bytes, base64url-encoded in JSON); the server's
 * body_limit callback grants it route by route.
 */
#define HTTP_BODY_LARGE_MAX (1024 * 1024)
#define HTTP_PATH_MAX 1024
#define HTTP_TOKEN_MAX 128
#define HTTP_HEADERS_MAX 6
#define HTTP_HEADER_VALUE_MAX 256
/* Most query arguments of a request made without a connection (tests). */
#define HTTP_QUERY_ARGS_MAX 16
/* Largest reply body the server builds. */
#define HTTP_REPLY_MAX (16 * 1024 * 1024)

/* Name of the session cookie. */
#define HTTP_SESSION_COOKIE "dissent_session"

enum http_content_type {
	HTTP_CT_NONE = 0, /* no Content-Type header */
	HTTP_CT_JSON,     /* application/json, optionally charset=utf-8 */
	HTTP_CT_OTHER
};

enum http_auth_source {
	HTTP_AUTH_NONE = 0,
	HTTP_AUTH_BEARER,
	HTTP_AUTH_COOKIE,
	HTTP_AUTH_MALFORMED /* an Authorization header that is not Bearer */
};

struct http_header {
	const char *name; /* a constant string */
	char value[HTTP_HEADER_VALUE_MAX];
};

struct http_body;

struct http_request {
	/* What was asked. */
	char method[16]; /* as sent, cut to 15 bytes */
	char path[HTTP_PATH_MAX + 1];
	int path_too_long;
	char *body; /* body_max bytes at most, wiped */
	size_t body_len;
	size_t body_max; /* the limit for this request */
	size_t body_cap;
	int has_body; /* a body was announced or sent */
	int too_large;
	size_t discarded; /* bytes dropped after too_large */
	enum http_content_type content_type;
	enum http_auth_source auth_source;
	char token[HTTP_TOKEN_MAX + 1];
	int tls;
	struct sockaddr_storage addr; /* the peer; ss_family 0 if unknown */
	void *conn;                   /* MHD connection, for query arguments */
	int64_t start_us;
	/* The If-None-Match header (GET and HEAD); "" if absent or too long. */
	char if_none_match[HTTP_HEADER_VALUE_MAX];
	/*
	 * Query arguments of a request made without a connection (tests): a
	 * path given to http_request_init() with a '?' is split there, and
	 * its arguments decoded as libmicrohttpd decodes them.
	 */
	char qbuf[HTTP_PATH_MAX + 1];
	const char *qkey[HTTP_QUERY_ARGS_MAX];
	const char *qval[HTTP_QUERY_ARGS_MAX]; /* NULL: no '=' */
	size_t nq;
	int qoverflow; /* more than HTTP_QUERY_ARGS_MAX arguments */

	/* What is answered. */
	unsigned int status;      /* 0 until a reply is set */
	struct http_body *reply;  /* NULL: no body */
	const char *reply_static; /* a constant body instead of reply */
	size_t reply_static_len;
	struct http_header headers[HTTP_HEADERS_MAX];
	size_t nheaders;
	const char *route; /* the matched pattern, for the log */
	int queued;
	/*
	 * The queued MHD response when it carries headers of ours (such as a
	 * Set-Cookie with a session token): held until the request completes
	 * so that its copy of them can be wiped before it is freed.
	 */
	void *resp;
};

struct http_options {
	const char *listen; /* numeric IPv4 or IPv6 address */
	unsigned int port;  /* 0: ephemeral */
	unsigned int threads;
	unsigned int max_connections;
	unsigned int connection_timeout;
	unsigned int max_connections_per_address; /* 0: unlimited */
	const char *tls_cert_pem;                 /* NULL: plain HTTP */
	const char *tls_key_pem;
	/*
	 * The body limit of a request to ${path} by ${method}, called with the
	 * handler's cls before any of the body is read (values above
	 * HTTP_BODY_LARGE_MAX are cut to it); NULL: HTTP_BODY_MAX for all.
	 */
	size_t (*body_limit)(void *cls, const char *method, const char *path);
};

/* Called once per complete request; must leave a reply in ${req}. */
typedef void (*http_handler)(void *cls, struct http_request *req);

struct http_server;

/**
 * http_start(hs, opts, handler, cls):
 * Start listening as ${opts} says, calling ${handler}(${cls}, request) from
 * the server's threads.  Return 0 and the server in ${hs}, or -1.
 */
int http_start(struct http_server **hs, const struct http_options *opts,
    http_handler handler, void *cls) __attribute__((warn_unused_result));

/**
 * http_port(hs):
 * Return the TCP port ${hs} is bound to.
 */
unsigned int http_port(const struct http_server *hs);

/**
 * http_stop(hs):
 * Stop serving and free ${hs}.  NULL is a no-op.
 */
void http_stop(struct http_server *hs);

/**
 * http_request_init(req, method, path):
 * Set up ${req} for a request (used by the server and by tests, which have
 * no connection; a test's ${path} may end in "?query", whose arguments
 * http_query_get() and http_query_check() then see).  Return 0, or -1 if
 * ${path} is too long (the request is then still usable and path_too_long
 * is set).
 */
int http_request_init(
    struct http_request *req, const char *method, const char *path);

/**
 * http_request_set_body(req, body, len):
 * Give ${req} a copy of the ${len}-byte body ${body} (for requests made
 * without a connection: at most HTTP_BODY_LARGE_MAX bytes; the dispatcher
 * applies each route's own limit).  Return 0, or -1 if it is too large or
 * memory runs out.
 */
int http_request_set_body(struct http_request *req, const char *body,
    size_t len) __attribute__((warn_unused_result));

/**
 * http_request_clear(req):
 * Wipe and free what ${req} holds.
 */
void http_request_clear(struct http_request *req);

/**
 * http_content_type_parse(value):
 * Classify the Content-Type header value ${value} (NULL if absent):
 * application/json, optionally with "; charset=utf-8" (any case), is
 * HTTP_CT_JSON.
 */
enum http_content_type http_content_type_parse(const char *value);

/**
 * http_query_get(req, key):
 * Return the value of the query argument ${key}, or NULL if absent.
 */
const char *http_query_get(struct http_request *req, const char *key);

/**
 * http_query_check(req, allowed, n, bad, badcap):
 * Return 0 if every query argument of ${req} is one of the ${n} names in
 * ${allowed} and none is given twice; else -1 with the offending name (if
 * printable and short, else "?") in ${bad}.
 */
int http_query_check(struct http_request *req, const char *const *allowed,
    size_t n, char *bad, size_t badcap);

/**
 * http_reply_json(req, status, body):
 * Reply ${status} with the JSON ${body}, whose reference is taken (and
 * dropped) in every case.  Return 0, or -1 (and reply 500) on failure.
 */
int http_reply_json(
    struct http_request *req, unsigned int status, json_t *body);

/**
 * http_reply_error(req, status, code, fmt, ...):
 * Reply ${status} with {"error":{"code":${code},"message":...}}.  The
 * message must never quote a client's value.
 */
void http_reply_error(struct http_request *req, unsigned int status,
    const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/**
 * http_reply_empty(req, status):
 * Reply ${status} with no body (e.g. 204).
 */
void http_reply_empty(struct http_request *req, unsigned int status);

/**
 * http_reply_static(req, status, body, len):
 * Reply ${status} with the constant JSON ${body} of ${len} bytes, which
 * must outlive the server.
 */
void http_reply_static(struct http_request *req, unsigned int status,
    const char *body, size_t len);

/**
 * http_reply_bytes(req, status, data, len):
 * Reply ${status} with a copy of the ${len} bytes at ${data} (a file of the
 * web application); the handler names its Content-Type with
 * http_reply_header().  Return 0, or -1 (and reply 500) on failure.
 */
int http_reply_bytes(struct http_request *req, unsigned int status,
    const void *data, size_t len);

/**
 * http_reply_header(req, name, value):
 * Add the header ${name} (a constant string) with ${value} to the reply.
 * A Content-Type, Content-Security-Policy or Cache-Control header given
 * here replaces the server's default one (the web application's pages).
 * Return 0, or -1 if there are too many headers or ${value} is too long.
 */
int http_reply_header(
    struct http_request *req, const char *name, const char *value);

/**
 * http_reply_body(req, len):
 * Return a pointer to the reply body held in ${req} and its length in
 * ${len}, or NULL if there is none (for tests).
 */
const char *http_reply_body(const struct http_request *req, size_t *len);

/**
 * http_now_us():
 * Return a monotonic time in microseconds.
 */
int64_t http_now_us(void);

#endif /* !HTTP_H_ */
