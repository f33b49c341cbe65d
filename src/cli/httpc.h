#ifndef HTTPC_H_
#define HTTPC_H_

#include <stddef.h>

#include <jansson.h>

/*
 * The CLI's HTTP client (libcurl): JSON bodies in and out, a bearer token,
 * http and https only, no redirects followed, TLS verification always on
 * (with an optional CA file for a private CA), bounded time and a bounded
 * response size.
 */

/* Largest response body accepted. */
#define HTTPC_BODY_MAX (16 * 1024 * 1024)
/* Largest error body parsed for its code and message. */
#define HTTPC_ERROR_BODY_MAX (64 * 1024)
/* Longest base URL. */
#define HTTPC_URL_MAX 1024
/* Longest request path (with its query). */
#define HTTPC_PATH_MAX 1024
#define HTTPC_CODE_MAX 64
#define HTTPC_MESSAGE_MAX 256
/* Seconds. */
#define HTTPC_CONNECT_TIMEOUT 10
#define HTTPC_TIMEOUT 60

/* httpc_request() results other than 0. */
#define HTTPC_ENET (-1) /* no answer: network or TLS failure */
#define HTTPC_EBAD (-2) /* an answer that is not acceptable */

struct httpc;

struct httpc_response {
	long status;
	/* The parsed JSON body, or NULL if there was none. */
	json_t *body;
	/* For a status >= 300: the error's code and message. */
	char code[HTTPC_CODE_MAX];
	char message[HTTPC_MESSAGE_MAX];
	/* Retry-After in seconds, or -1. */
	long retry_after;
};

/**
 * httpc_url_valid(url):
 * Return 1 if ${url} is usable as a server URL: "http://" or "https://",
 * a host, at most HTTPC_URL_MAX - 1 bytes of printable ASCII without
 * spaces, no query or fragment, else 0.
 */
int httpc_url_valid(const char *url);

/**
 * httpc_url_cleartext(url):
 * Return 1 if ${url} is plain "http://" to a host that is not a loopback
 * address (127.0.0.0/8 as a dotted quad, [::1] or localhost), so that
 * secrets sent to it would cross a network unencrypted; else 0.  A URL
 * with user information ("user@host") counts as remote.
 */
int httpc_url_cleartext(const char *url);

/**
 * httpc_new(base_url, ca_file, err, errcap):
 * Return a client for the server at ${base_url} (trailing slashes are
 * dropped) that trusts the CA certificates in ${ca_file} if not NULL, else
 * the system's; or NULL with a message in ${err}.
 */
struct httpc *httpc_new(
    const char *base_url, const char *ca_file, char *err, size_t errcap);

/**
 * httpc_set_token(h, token):
 * Send "Authorization: Bearer ${token}" with later requests (NULL: none).
 * Return 0, or -1 if ${token} is too long or not printable ASCII.
 */
int httpc_set_token(struct httpc *h, const char *token)
    __attribute__((warn_unused_result));

/**
 * httpc_free(h):
 * Free ${h}, wiping its token.  ${h} may be NULL.
 */
void httpc_free(struct httpc *h);

/**
 * httpc_request(h, method, path, body, r, err, errcap):
 * Send ${method} ("GET", "POST" or "PATCH") for ${path} (starting with
 * '/') with the JSON ${body} (NULL: none; a POST then sends {}) and fill
 * ${r}; clear it with httpc_response_clear().  Return 0 when the server
 * answered, whatever the status (for a status >= 300 ${r}'s code and
 * message describe the error); HTTPC_ENET if it could not be reached or
 * TLS failed; HTTPC_EBAD if the answer was too large or a success without
 * a JSON object body; with a message in ${err}.
 */
int httpc_request(struct httpc *h, const char *method, const char *path,
    const json_t *body, struct httpc_response *r, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * httpc_request_anonymous(h, method, path, body, r, err, errcap):
 * As httpc_request(), but with nothing that ties the request to the
 * client's other requests: no Authorization header whatever the token
 * (and, as always, no cookie), over a new connection that is closed after
 * the answer, without resuming a TLS session of another connection or
 * keeping this one's for later.
 */
int httpc_request_anonymous(struct httpc *h, const char *method,
    const char *path, const json_t *body, struct httpc_response *r, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * httpc_response_clear(r):
 * Free ${r}'s body and reset it.
 */
void httpc_response_clear(struct httpc_response *r);

/**
 * httpc_parse_error(body, len, status, code, codecap, msg, msgcap):
 * Extract the code and message of the error body ${body} (${len} bytes,
 * {"error":{"code","message"}}) of a reply with ${status}.  Return 0 if it
 * is well formed (code of [a-z0-9_], cut to fit); otherwise write the code
 * "http_STATUS" and a generic message and return -1.
 */
int httpc_parse_error(const char *body, size_t len, long status, char *code,
    size_t codecap, char *msg, size_t msgcap);

/**
 * httpc_status_exit(status):
 * Return the CLI exit code for an HTTP error ${status}: 401 -> 3,
 * 403 -> 4, 404 and 410 -> 5, 409 -> 6, 429 -> 8, anything else -> 1.
 */
int httpc_status_exit(long status);

#endif /* !HTTPC_H_ */
