#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "exitcode.h"
#include "httpc.h"
#include "jsonmem.h"

/* "Authorization: Bearer " plus a token. */
#define TOKEN_MAX 256
#define AUTH_HEADER_MAX (TOKEN_MAX + 32)

struct httpc {
	CURL *curl;
	char base[HTTPC_URL_MAX];
	char *ca_file;
	char token[TOKEN_MAX + 1];
	int has_token;
};

/* A response body being received, within HTTPC_BODY_MAX. */
struct body_buf {
	char *data;
	size_t len;
	size_t cap;
	int too_large;
	long retry_after;
};

/**
 * httpc_url_valid(url):
 * Return 1 if ${url} is usable as a server URL: "http://" or "https://",
 * a host, at most HTTPC_URL_MAX - 1 bytes of printable ASCII without
 * spaces, no query or fragment, else 0.
 */
int
httpc_url_valid(const char *url)
{
	const char *p, *host;

	if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return (0);
	if (strlen(url) >= HTTPC_URL_MAX || *host == '\0' || *host == '/')
		return (0);
	for (p = url; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '#')
			return (0);
	return (1);
}

/**
 * httpc_url_cleartext(url):
 * Return 1 if ${url} is plain "http://" to a host that is not a loopback
 * address (127.0.0.0/8 as a dotted quad, [::1] or localhost), so that
 * secrets sent to it would cross a network unencrypted; else 0.  A URL
 * with user information ("user@host") counts as remote.
 */
int
httpc_url_cleartext(const char *url)
{
	char host[HTTPC_URL_MAX];
	struct in_addr a4;
	const char *p, *end;
	size_t len;

	if (strncmp(url, "http://", 7) != 0)
		return (0);
	p = url + 7;
	len = strcspn(p, "/");
	/* "127.0.0.1@evil.example" would reach evil.example. */
	if (memchr(p, '@', len) != NULL)
		return (1);
	if (*p == '[') {
		/* "[v6]" then nothing or ":port". */
		if ((end = memchr(p, ']', len)) == NULL ||
		    (end + 1 < p + len && end[1] != ':'))
			return (1);
		p++;
	} else if ((end = memchr(p, ':', len)) == NULL) {
		end = p + len;
	}
	len = (size_t)(end - p);
	if (len >= sizeof(host))
		return (1);
	memcpy(host, p, len);
	host[len] = '\0';
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0)
		return (0);
	/* inet_pton() takes only the strict dotted quad (no "127.1"). */
	if (inet_pton(AF_INET, host, &a4) == 1 &&
	    ((const uint8_t *)&a4.s_addr)[0] == 127)
		return (0);
	return (1);
}

/**
 * httpc_new(base_url, ca_file, err, errcap):
 * Return a client for the server at ${base_url} (trailing slashes are
 * dropped) that trusts the CA certificates in ${ca_file} if not NULL, else
 * the system's; or NULL with a message in ${err}.
 */
struct httpc *
httpc_new(const char *base_url, const char *ca_file, char *err, size_t errcap)
{
	struct httpc *h;
	size_t len;

	if (!httpc_url_valid(base_url)) {
		(void)snprintf(err, errcap,
		    "not a server URL (want "
		    "http://HOST[:PORT] or https://HOST[:PORT])");
		goto err0;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		goto nomem;
	len = strlen(base_url);
	while (len > 0 && base_url[len - 1] == '/')
		len--;
	memcpy(h->base, base_url, len);
	h->base[len] = '\0';
	if (ca_file != NULL && (h->ca_file = strdup(ca_file)) == NULL)
		goto nomem1;
	if ((h->curl = curl_easy_init()) == NULL)
		goto nomem2;
	return (h);

nomem2:
	free(h->ca_file);
nomem1:
	free(h);
nomem:
	(void)snprintf(err, errcap, "out of memory");
err0:
	return (NULL);
}

/**
 * httpc_set_token(h, token):
 * Send "Authorization: Bearer ${token}" with later requests (NULL: none).
 * Return 0, or -1 if ${token} is too long or not printable ASCII.
 */
int
httpc_set_token(struct httpc *h, const char *token)
{
	size_t len, i;

	sodium_memzero(h->token, sizeof(h->token));
	h->has_token = 0;
	if (token == NULL)
		return (0);
	len = strlen(token);
	if (len == 0 || len > TOKEN_MAX)
		return (-1);
	for (i = 0; i < len; i++)
		if (token[i] <= ' ' || token[i] >= 0x7f)
			return (-1);
	memcpy(h->token, token, len + 1);
	h->has_token = 1;
	return (0);
}

/**
 * httpc_free(h):
 * Free ${h}, wiping its token.  ${h} may be NULL.
 */
void
httpc_free(struct httpc *h)
{

	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h->ca_file);
	sodium_memzero(h, sizeof(*h));
	free(h);
}

/* Wipe and free ${b}'s data. */
static void
body_free(struct body_buf *b)
{

	if (b->data != NULL) {
		sodium_memzero(b->data, b->cap);
		free(b->data);
	}
	b->data = NULL;
	b->len = b->cap = 0;
}

/* libcurl write callback: append to a struct body_buf, within its cap. */
static size_t
on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct body_buf *b = userdata;
	size_t n = size * nmemb, ncap, len;
	char *nd;

	/* size is always 1 (libcurl documents it), so n cannot overflow. */
	if (n > HTTPC_BODY_MAX - b->len) {
		b->too_large = 1;
		return (0);
	}
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap == 0 ? 4096 : b->cap;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if (ncap > HTTPC_BODY_MAX + 1)
			ncap = HTTPC_BODY_MAX + 1;
		/* Not realloc(): the old block is wiped before it is freed. */
		if ((nd = malloc(ncap)) == NULL)
			return (0);
		len = b->len;
		if (len > 0)
			memcpy(nd, b->data, len);
		body_free(b);
		b->data = nd;
		b->cap = ncap;
		b->len = len;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (n);
}

/* libcurl header callback: note Retry-After. */
static size_t
on_header(char *ptr, size_t size, size_t nitems, void *userdata)
{
	static const char name[] = "retry-after:";
	struct body_buf *b = userdata;
	size_t n = size * nitems, i;
	long v = 0;

	if (n > sizeof(name) - 1 &&
	    strncasecmp(ptr, name, sizeof(name) - 1) == 0) {
		i = sizeof(name) - 1;
		while (i < n && ptr[i] == ' ')
			i++;
		for (; i < n && ptr[i] >= '0' && ptr[i] <= '9'; i++) {
			if (v > 86400 * 365)
				break;
			v = v * 10 + (ptr[i] - '0');
		}
		b->retry_after = v;
	}
	return (n);
}

/* Is ${c} allowed in an error code? */
static int
code_char(char c)
{

	return ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
}

/**
 * httpc_parse_error(body, len, status, code, codecap, msg, msgcap):
 * Extract the code and message of the error body ${body} (${len} bytes,
 * {"error":{"code","message"}}) of a reply with ${status}.  Return 0 if it
 * is well formed (code of [a-z0-9_], cut to fit); otherwise write the code
 * "http_STATUS" and a generic message and return -1.
 */
int
httpc_parse_error(const char *body, size_t len, long status, char *code,
    size_t codecap, char *msg, size_t msgcap)
{
	json_t *obj = NULL, *e;
	const char *c, *m;
	size_t clen, mlen, i;

	if (body == NULL || len == 0 || len > HTTPC_ERROR_BODY_MAX)
		goto generic;
	obj = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	e = json_object_get(obj, "error");
	c = json_string_value(json_object_get(e, "code"));
	m = json_string_value(json_object_get(e, "message"));
	if (c == NULL || m == NULL)
		goto generic;
	clen = strlen(c);
	if (clen == 0 || clen >= codecap)
		goto generic;
	for (i = 0; i < clen; i++)
		if (!code_char(c[i]))
			goto generic;
	memcpy(code, c, clen + 1);
	/* Cut the message without splitting a UTF-8 sequence. */
	mlen = strlen(m);
	if (mlen >= msgcap) {
		mlen = msgcap - 1;
		while (mlen > 0 && ((unsigned char)m[mlen] & 0xc0) == 0x80)
			mlen--;
	}
	memcpy(msg, m, mlen);
	msg[mlen] = '\0';
	json_decref(obj);
	return (0);

generic:
	json_decref(obj);
	(void)snprintf(code, codecap, "http_%ld", status);
	(void)snprintf(msg, msgcap,
	    "the server answered HTTP %ld without "
	    "an error description",
	    status);
	return (-1);
}

/**
 * httpc_status_exit(status):
 * Return the CLI exit code for an HTTP error ${status}: 401 -> 3,
 * 403 -> 4, 404 and 410 -> 5, 409 -> 6, 429 -> 8, anything else -> 1.
 */
int
httpc_status_exit(long status)
{

	switch (status) {
	case 401:
		return (CLI_EXIT_AUTH);
	case 403:
		return (CLI_EXIT_FORBIDDEN);
	case 404:
	case 410:
		return (CLI_EXIT_NOTFOUND);
	case 409:
		return (CLI_EXIT_CONFLICT);
	case 429:
		return (CLI_EXIT_RATELIMIT);
	default:
		return (CLI_EXIT_ERROR);
	}
}

/**
 * httpc_response_clear(r):
 * Free ${r}'s body and reset it.
 */
void
httpc_response_clear(struct httpc_response *r)
{

	json_decref(r->body);
	memset(r, 0, sizeof(*r));
	r->retry_after = -1;
}

/* Is ${rc} a TLS failure (as opposed to a plain network one)? */
static int
tls_error(CURLcode rc)
{

	switch (rc) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_INITFAILED:
		return (1);
	default:
		return (0);
	}
}

/* Set every option of one request; return 0 or -1. */
static int
setup(struct httpc *h, const char *method, const char *url,
    struct curl_slist *headers, const char *data, size_t datalen,
    struct body_buf *b, char *errbuf)
{
	CURL *c = h->curl;
	int bad = 0;

	curl_easy_reset(c);
	bad |= curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") !=
	       CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
		   (long)HTTPC_CONNECT_TIMEOUT) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)HTTPC_TIMEOUT) !=
	       CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK;
	if (h->ca_file != NULL)
		bad |=
		    curl_easy_setopt(c, CURLOPT_CAINFO, h->ca_file) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_USERAGENT,
		   "dissent/" DISSENT_VERSION) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, b) != CURLE_OK;
	bad |=
	    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_HEADERDATA, b) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK;
	bad |= curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
		   (curl_off_t)HTTPC_BODY_MAX) != CURLE_OK;
	if (strcmp(method, "GET") == 0) {
		bad |= curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) != CURLE_OK;
	} else {
		/* Not COPYPOSTFIELDS: the caller wipes its copy. */
		bad |=
		    curl_easy_setopt(c, CURLOPT_POSTFIELDS, data) != CURLE_OK;
		bad |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
			   (curl_off_t)datalen) != CURLE_OK;
		if (strcmp(method, "POST") != 0)
			bad |= curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST,
				   method) != CURLE_OK;
	}
	return (bad ? -1 : 0);
}

/* Parse a success reply's body into ${r}->body. */
static int
parse_success(
    struct body_buf *b, struct httpc_response *r, char *err, size_t errcap)
{
	json_error_t e;

	if (b->len == 0) {
		if (r->status == 204)
			return (0);
		(void)snprintf(err, errcap,
		    "the server answered HTTP %ld "
		    "without a body",
		    r->status);
		return (-1);
	}
	r->body = json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, &e);
	if (r->body == NULL || !json_is_object(r->body)) {
		json_decref(r->body);
		r->body = NULL;
		(void)snprintf(err, errcap,
		    "the server's answer is not a "
		    "JSON object");
		return (-1);
	}
	return (0);
}

/*
 * httpc_request(), or with ${anonymous} httpc_request_anonymous(): no
 * token, a connection of its own, no TLS session shared with others.
 */
static int
send_request(struct httpc *h, const char *method, const char *path,
    const json_t *body, struct httpc_response *r, char *err, size_t errcap,
    int anonymous)
{
	char url[HTTPC_URL_MAX + HTTPC_PATH_MAX], auth[AUTH_HEADER_MAX];
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *headers = NULL, *t;
	struct body_buf b;
	char *data = NULL;
	const char *sent;
	size_t datalen = 0;
	CURLcode rc;
	long status;
	int ret = HTTPC_EBAD, n;

	memset(r, 0, sizeof(*r));
	r->retry_after = -1;
	memset(&b, 0, sizeof(b));
	b.retry_after = -1;
	errbuf[0] = '\0';

	n = snprintf(url, sizeof(url), "%s%s", h->base, path);
	if (path[0] != '/' || strlen(path) >= HTTPC_PATH_MAX || n < 0 ||
	    (size_t)n >= sizeof(url)) {
		(void)snprintf(err, errcap, "request path too long");
		goto done;
	}
	if (body != NULL) {
		if ((data = json_dumps(body, JSON_COMPACT)) == NULL) {
			(void)snprintf(err, errcap, "out of memory");
			goto done;
		}
		sent = data;
		datalen = strlen(data);
	} else {
		sent = "{}";
		datalen = 2;
	}

	/* curl_slist_append() copies; a NULL result leaves the list. */
	if ((t = curl_slist_append(headers, "Accept: application/json")) ==
	    NULL)
		goto nomem;
	headers = t;
	/* No "Expect: 100-continue" round trip for larger bodies. */
	if ((t = curl_slist_append(headers, "Expect:")) == NULL)
		goto nomem;
	headers = t;
	if (strcmp(method, "GET") != 0) {
		if ((t = curl_slist_append(
			 headers, "Content-Type: application/json")) == NULL)
			goto nomem;
		headers = t;
	}
	if (h->has_token && !anonymous) {
		(void)snprintf(
		    auth, sizeof(auth), "Authorization: Bearer %s", h->token);
		t = curl_slist_append(headers, auth);
		sodium_memzero(auth, sizeof(auth));
		if (t == NULL)
			goto nomem;
		headers = t;
	}
	if (setup(h, method, url, headers, sent, datalen, &b, errbuf) != 0 ||
	    (anonymous &&
		(curl_easy_setopt(h->curl, CURLOPT_FRESH_CONNECT, 1L) !=
			CURLE_OK ||
		    curl_easy_setopt(h->curl, CURLOPT_FORBID_REUSE, 1L) !=
			CURLE_OK ||
		    curl_easy_setopt(h->curl, CURLOPT_SSL_SESSIONID_CACHE,
			0L) != CURLE_OK))) {
		(void)snprintf(err, errcap, "cannot set up the HTTP request");
		goto done;
	}

	rc = curl_easy_perform(h->curl);
	if (b.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		(void)snprintf(err, errcap,
		    "the server's answer is larger "
		    "than %d bytes",
		    HTTPC_BODY_MAX);
		goto done;
	}
	if (rc != CURLE_OK) {
		(void)snprintf(err, errcap, "%s %s: %s%s",
		    tls_error(rc) ? "TLS failure with" : "cannot reach",
		    h->base,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc),
		    tls_error(rc) ? " (for a private CA, give --ca-file)" : "");
		ret = HTTPC_ENET;
		goto done;
	}
	if (curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status) !=
	    CURLE_OK) {
		(void)snprintf(err, errcap, "no HTTP status");
		goto done;
	}
	r->status = status;
	r->retry_after = b.retry_after;
	if (status >= 200 && status < 300) {
		if (parse_success(&b, r, err, errcap) != 0)
			goto done;
	} else {
		(void)httpc_parse_error(b.data, b.len, status, r->code,
		    sizeof(r->code), r->message, sizeof(r->message));
	}
	ret = 0;
	goto done;

nomem:
	(void)snprintf(err, errcap, "out of memory");
done:
	curl_slist_free_all(headers);
	body_free(&b);
	jsonmem_free_text(data);
	sodium_memzero(url, sizeof(url));
	return (ret);
}

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
int
httpc_request(struct httpc *h, const char *method, const char *path,
    const json_t *body, struct httpc_response *r, char *err, size_t errcap)
{

	return (send_request(h, method, path, body, r, err, errcap, 0));
}

/**
 * httpc_request_anonymous(h, method, path, body, r, err, errcap):
 * As httpc_request(), but with nothing that ties the request to the
 * client's other requests: no Authorization header whatever the token
 * (and, as always, no cookie), over a new connection that is closed after
 * the answer, without resuming a TLS session of another connection or
 * keeping this one's for later.
 */
int
httpc_request_anonymous(struct httpc *h, const char *method, const char *path,
    const json_t *body, struct httpc_response *r, char *err, size_t errcap)
{

	return (send_request(h, method, path, body, r, err, errcap, 1));
}
