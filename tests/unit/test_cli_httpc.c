/*
 * The CLI's HTTP client: exit codes for statuses, error bodies (well
 * formed, malformed, oversized), and real exchanges with a one-shot HTTP
 * server on a loopback port: bearer token and JSON body sent, redirects
 * not followed, size limit, unreachable server.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "exitcode.h"
#include "httpc.h"
#include "jsonmem.h"

/* A server that answers one request with a canned response. */
struct server {
	int fd;
	int port;
	pthread_t thread;
	const char *response;
	/* Extra body bytes streamed after the response (for size limits). */
	size_t stream;
	char request[8192];
};

/* Read the request (headers and Content-Length body) into s->request. */
static void
read_request(struct server *s, int c)
{
	size_t n = 0, want = 0;
	ssize_t r;
	char *end, *cl;

	for (;;) {
		r = recv(c, s->request + n, sizeof(s->request) - 1 - n, 0);
		if (r <= 0)
			break;
		n += (size_t)r;
		s->request[n] = '\0';
		if ((end = strstr(s->request, "\r\n\r\n")) == NULL)
			continue;
		/* libcurl spells the header this way. */
		cl = strstr(s->request, "\r\nContent-Length:");
		want = (size_t)(end + 4 - s->request);
		if (cl != NULL && cl < end)
			want += strtoul(cl + 17, NULL, 10);
		if (n >= want || n >= sizeof(s->request) - 1)
			break;
	}
}

static void *
serve(void *arg)
{
	struct server *s = arg;
	static char chunk[65536];
	size_t left;
	int c;

	if ((c = accept(s->fd, NULL, NULL)) < 0)
		return (NULL);
	read_request(s, c);
	(void)send(c, s->response, strlen(s->response), MSG_NOSIGNAL);
	memset(chunk, 'x', sizeof(chunk));
	for (left = s->stream; left > 0;) {
		size_t k = left < sizeof(chunk) ? left : sizeof(chunk);

		if (send(c, chunk, k, MSG_NOSIGNAL) <= 0)
			break;
		left -= k;
	}
	close(c);
	return (NULL);
}

static void
server_start(struct server *s, const char *response, size_t stream)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	memset(s, 0, sizeof(*s));
	s->response = response;
	s->stream = stream;
	assert_true((s->fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 1), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void
server_stop(struct server *s)
{

	pthread_join(s->thread, NULL);
	close(s->fd);
}

/* A client for the test server. */
static struct httpc *
client_for(const struct server *s)
{
	char url[64], err[256];
	struct httpc *h;

	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s->port);
	assert_non_null(h = httpc_new(url, NULL, err, sizeof(err)));
	return (h);
}

static void
test_status_maps_to_exit_codes(void **state)
{

	(void)state;
	assert_int_equal(httpc_status_exit(400), CLI_EXIT_ERROR);
	assert_int_equal(httpc_status_exit(401), CLI_EXIT_AUTH);
	assert_int_equal(httpc_status_exit(403), CLI_EXIT_FORBIDDEN);
	assert_int_equal(httpc_status_exit(404), CLI_EXIT_NOTFOUND);
	assert_int_equal(httpc_status_exit(410), CLI_EXIT_NOTFOUND);
	assert_int_equal(httpc_status_exit(409), CLI_EXIT_CONFLICT);
	assert_int_equal(httpc_status_exit(429), CLI_EXIT_RATELIMIT);
	assert_int_equal(httpc_status_exit(413), CLI_EXIT_ERROR);
	assert_int_equal(httpc_status_exit(500), CLI_EXIT_ERROR);
	assert_int_equal(httpc_status_exit(503), CLI_EXIT_ERROR);
	assert_int_equal(httpc_status_exit(302), CLI_EXIT_ERROR);
}

static void
test_error_body_gives_code_and_message(void **state)
{
	static const char body[] =
	    "{\"error\":{\"code\":\"bad_credentials\",\"message\":"
	    "\"wrong handle or password\"}}";
	char code[HTTPC_CODE_MAX], msg[HTTPC_MESSAGE_MAX];

	(void)state;
	assert_int_equal(httpc_parse_error(body, strlen(body), 401, code,
			     sizeof(code), msg, sizeof(msg)),
	    0);
	assert_string_equal(code, "bad_credentials");
	assert_string_equal(msg, "wrong handle or password");
}

static void
test_malformed_error_bodies_get_generic_code(void **state)
{
	static const char *const bodies[] = {
	    "",
	    "not json",
	    "{\"error\":\"x\"}",
	    "{\"error\":{\"code\":\"x\"}}",
	    "{\"error\":{\"code\":1,\"message\":\"m\"}}",
	    "{\"error\":{\"code\":\"Bad Code\",\"message\":\"m\"}}",
	    "{\"error\":{\"code\":\"\",\"message\":\"m\"}}",
	    "{\"error\":{\"code\":\"a\",\"code\":\"b\",\"message\":\"m\"}}",
	};
	char code[HTTPC_CODE_MAX], msg[HTTPC_MESSAGE_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		assert_int_equal(httpc_parse_error(bodies[i], strlen(bodies[i]),
				     502, code, sizeof(code), msg, sizeof(msg)),
		    -1);
		assert_string_equal(code, "http_502");
		assert_non_null(strstr(msg, "HTTP 502"));
	}
	assert_int_equal(httpc_parse_error(NULL, 0, 500, code, sizeof(code),
			     msg, sizeof(msg)),
	    -1);
}

static void
test_oversized_error_body_is_not_parsed(void **state)
{
	char code[HTTPC_CODE_MAX], msg[HTTPC_MESSAGE_MAX];
	size_t n = HTTPC_ERROR_BODY_MAX + 64, k;
	char *body;

	(void)state;
	assert_non_null(body = malloc(n + 1));
	k = (size_t)snprintf(body, n + 1,
	    "{\"error\":{\"code\":\"x\","
	    "\"message\":\"");
	memset(body + k, 'a', n - k - 4);
	memcpy(body + n - 4, "\"}}\n", 4);
	body[n] = '\0';
	assert_int_equal(httpc_parse_error(body, n, 400, code, sizeof(code),
			     msg, sizeof(msg)),
	    -1);
	assert_string_equal(code, "http_400");
	free(body);
}

static void
test_long_error_code_is_refused_and_long_message_cut(void **state)
{
	char code[8], msg[8];
	static const char long_code[] =
	    "{\"error\":{\"code\":\"much_too_long\",\"message\":\"m\"}}";
	/* "ab" then a 3-byte character that does not fit in 7 bytes. */
	static const char long_msg[] =
	    "{\"error\":{\"code\":\"x\",\"message\":\"abcde\xe2\x82\xac\"}}";

	(void)state;
	assert_int_equal(httpc_parse_error(long_code, strlen(long_code), 400,
			     code, sizeof(code), msg, sizeof(msg)),
	    -1);
	assert_int_equal(httpc_parse_error(long_msg, strlen(long_msg), 400,
			     code, sizeof(code), msg, sizeof(msg)),
	    0);
	assert_string_equal(msg, "abcde");
}

static void
test_url_validity(void **state)
{

	(void)state;
	assert_true(httpc_url_valid("http://127.0.0.1:8080"));
	assert_true(httpc_url_valid("https://dissent.example/"));
	assert_false(httpc_url_valid("ftp://x"));
	assert_false(httpc_url_valid("http://"));
	assert_false(httpc_url_valid("http:///path"));
	assert_false(httpc_url_valid("http://a b"));
	assert_false(httpc_url_valid("http://x/?q=1"));
	assert_false(httpc_url_valid("http://x/#f"));
	assert_false(httpc_url_valid("example.com"));
}

static void
test_url_cleartext_is_plain_http_off_this_machine(void **state)
{

	(void)state;
	/* Loopback, and anything over TLS, is fine. */
	assert_false(httpc_url_cleartext("http://127.0.0.1:8080"));
	assert_false(httpc_url_cleartext("http://127.255.3.4/"));
	assert_false(httpc_url_cleartext("http://localhost:1"));
	assert_false(httpc_url_cleartext("http://LocalHost"));
	assert_false(httpc_url_cleartext("http://[::1]:8080/"));
	assert_false(httpc_url_cleartext("http://[::1]"));
	assert_false(httpc_url_cleartext("https://dissent.example"));
	assert_false(httpc_url_cleartext("https://192.0.2.1:8443"));
	/* Plain http to anywhere else is not. */
	assert_true(httpc_url_cleartext("http://dissent.example"));
	assert_true(httpc_url_cleartext("http://192.0.2.1:8080"));
	assert_true(httpc_url_cleartext("http://128.0.0.1"));
	assert_true(httpc_url_cleartext("http://0.0.0.0:80"));
	assert_true(httpc_url_cleartext("http://[::2]:80"));
	assert_true(httpc_url_cleartext("http://[::1]x/"));
	assert_true(httpc_url_cleartext("http://localhost.evil.example"));
	assert_true(httpc_url_cleartext("http://127.0.0.1.evil.example"));
	/* Forms inet_pton() refuses are not taken for loopback. */
	assert_true(httpc_url_cleartext("http://127.1"));
	assert_true(httpc_url_cleartext("http://0177.0.0.1"));
	/* User information: the host is what follows "@". */
	assert_true(httpc_url_cleartext("http://127.0.0.1@evil.example/"));
	assert_true(httpc_url_cleartext("http://localhost:80@evil.example"));
}

static void
test_post_sends_token_and_json_and_reads_json(void **state)
{
	struct server s;
	struct httpc_response r;
	struct httpc *h;
	char err[256];
	json_t *body;

	(void)state;
	server_start(&s,
	    "HTTP/1.1 201 Created\r\nContent-Type: "
	    "application/json\r\nContent-Length: 8\r\nConnection: close"
	    "\r\n\r\n{\"a\":1}\n",
	    0);
	h = client_for(&s);
	assert_int_equal(httpc_set_token(h, "tok123"), 0);
	body = json_pack("{s:s}", "handle", "alice");
	assert_int_equal(
	    httpc_request(h, "POST", "/api/v1/x", body, &r, err, sizeof(err)),
	    0);
	server_stop(&s);
	assert_int_equal(r.status, 201);
	assert_int_equal(json_integer_value(json_object_get(r.body, "a")), 1);
	assert_non_null(strstr(s.request, "POST /api/v1/x HTTP/1.1\r\n"));
	assert_non_null(strstr(s.request, "Authorization: Bearer tok123\r\n"));
	assert_non_null(
	    strstr(s.request, "Content-Type: application/json\r\n"));
	assert_non_null(strstr(s.request, "\r\n\r\n{\"handle\":\"alice\"}"));
	httpc_response_clear(&r);
	json_decref(body);
	httpc_free(h);
}

static void
test_post_without_body_sends_empty_object(void **state)
{
	struct server s;
	struct httpc_response r;
	struct httpc *h;
	char err[256];

	(void)state;
	server_start(&s,
	    "HTTP/1.1 204 No Content\r\nConnection: close"
	    "\r\n\r\n",
	    0);
	h = client_for(&s);
	assert_int_equal(httpc_request(h, "POST", "/api/v1/auth/logout", NULL,
			     &r, err, sizeof(err)),
	    0);
	server_stop(&s);
	assert_int_equal(r.status, 204);
	assert_null(r.body);
	assert_non_null(strstr(s.request, "\r\n\r\n{}"));
	assert_null(strstr(s.request, "Authorization:"));
	httpc_free(h);
}

static void
test_error_status_is_answer_with_code(void **state)
{
	struct server s;
	struct httpc_response r;
	struct httpc *h;
	char err[256];

	(void)state;
	server_start(&s,
	    "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n"
	    "Content-Type: application/json\r\nContent-Length: 55\r\n"
	    "Connection: close\r\n\r\n{\"error\":{\"code\":\"rate_limited\","
	    "\"message\":\"slow down\"}}",
	    0);
	h = client_for(&s);
	assert_int_equal(
	    httpc_request(h, "GET", "/api/v1/x", NULL, &r, err, sizeof(err)),
	    0);
	server_stop(&s);
	assert_int_equal(r.status, 429);
	assert_string_equal(r.code, "rate_limited");
	assert_string_equal(r.message, "slow down");
	assert_int_equal(r.retry_after, 7);
	httpc_response_clear(&r);
	httpc_free(h);
}

static void
test_redirect_is_not_followed(void **state)
{
	struct server s;
	struct httpc_response r;
	struct httpc *h;
	char err[256];

	(void)state;
	server_start(&s,
	    "HTTP/1.1 302 Found\r\nLocation: http://evil.example/"
	    "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
	    0);
	h = client_for(&s);
	assert_int_equal(
	    httpc_request(h, "GET", "/api/v1/x", NULL, &r, err, sizeof(err)),
	    0);
	server_stop(&s);
	assert_int_equal(r.status, 302);
	assert_string_equal(r.code, "http_302");
	httpc_free(h);
}

static void
test_success_that_is_not_json_is_refused(void **state)
{
	struct server s;
	struct httpc_response r;
	struct httpc *h;
	char err[256];

	(void)state;
	server_start(&s,
	    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
	    "Connection: close\r\n\r\nhello",
	    0);
	h = client_for(&s);
	assert_int_equal(
	    httpc_request(h, "GET", "/api/v1/x", NULL, &r, err, sizeof(err)),
	    HTTPC_EBAD);
	server_stop(&s);
	assert_non_null(strstr(err, "not a JSON object"));
	httpc_free(h);
}

static void
test_declared_oversized_response_is_refused(void **state)
{
	static char response[256];
	struct server s;
	struct httpc_response r;
	struct httpc *h;
	char err[256];

	(void)state;
	(void)snprintf(response, sizeof(response),
	    "HTTP/1.1 200 OK\r\n"
	    "Content-Length: %d\r\nConnection: close\r\n\r\n",
	    HTTPC_BODY_MAX + 1);
	server_start(&s, response, 0);
	h = client_for(&s);
	assert_int_equal(
	    httpc_request(h, "GET", "/api/v1/x", NULL, &r, err, sizeof(err)),
	    HTTPC_EBAD);
	server_stop(&s);
	assert_non_null(strstr(err, "larger than"));
	httpc_free(h);
}

static void
test_streamed_oversized_response_is_cut_off(void **state)
{
	struct server s;
	struct httpc_response r;
	struct httpc *h;
	char err[256];

	(void)state;
	/* No Content-Length: the body runs until the connection closes. */
	server_start(&s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n",
	    (size_t)HTTPC_BODY_MAX + 1);
	h = client_for(&s);
	assert_int_equal(
	    httpc_request(h, "GET", "/api/v1/x", NULL, &r, err, sizeof(err)),
	    HTTPC_EBAD);
	server_stop(&s);
	assert_non_null(strstr(err, "larger than"));
	httpc_free(h);
}

static void
test_unreachable_server_is_network_error(void **state)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	struct httpc_response r;
	struct httpc *h;
	char url[64], err[256];
	int fd;

	(void)state;
	/* A port that was free a moment ago and has no listener. */
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	(void)snprintf(
	    url, sizeof(url), "http://127.0.0.1:%d", ntohs(a.sin_port));
	assert_non_null(h = httpc_new(url, NULL, err, sizeof(err)));
	assert_int_equal(httpc_request(h, "GET", "/api/v1/health", NULL, &r,
			     err, sizeof(err)),
	    HTTPC_ENET);
	assert_non_null(strstr(err, "cannot reach"));
	httpc_free(h);
}

static void
test_token_must_be_printable(void **state)
{
	char err[256];
	struct httpc *h;

	(void)state;
	assert_non_null(
	    h = httpc_new("http://127.0.0.1:1", NULL, err, sizeof(err)));
	assert_int_equal(httpc_set_token(h, "a\r\nX-Evil: 1"), -1);
	assert_int_equal(httpc_set_token(h, ""), -1);
	assert_int_equal(httpc_set_token(h, "good"), 0);
	assert_int_equal(httpc_set_token(h, NULL), 0);
	httpc_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status_maps_to_exit_codes),
	    cmocka_unit_test(test_error_body_gives_code_and_message),
	    cmocka_unit_test(test_malformed_error_bodies_get_generic_code),
	    cmocka_unit_test(test_oversized_error_body_is_not_parsed),
	    cmocka_unit_test(
		test_long_error_code_is_refused_and_long_message_cut),
	    cmocka_unit_test(test_url_validity),
	    cmocka_unit_test(test_url_cleartext_is_plain_http_off_this_machine),
	    cmocka_unit_test(test_post_sends_token_and_json_and_reads_json),
	    cmocka_unit_test(test_post_without_body_sends_empty_object),
	    cmocka_unit_test(test_error_status_is_answer_with_code),
	    cmocka_unit_test(test_redirect_is_not_followed),
	    cmocka_unit_test(test_success_that_is_not_json_is_refused),
	    cmocka_unit_test(test_declared_oversized_response_is_refused),
	    cmocka_unit_test(test_streamed_oversized_response_is_cut_off),
	    cmocka_unit_test(test_unreachable_server_is_network_error),
	    cmocka_unit_test(test_token_must_be_printable),
	};

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return (1);
	/* The client must not use a proxy for the loopback test server. */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
