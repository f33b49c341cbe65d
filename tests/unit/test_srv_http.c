/*
 * The HTTP layer over a real socket (src/server/http.c): security headers
 * on every reply, body limits, content types, keep-alive; and the pieces
 * of it that need no socket (Content-Type parsing, log lines).
 */
#define _GNU_SOURCE /* strcasestr */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "account.h"
#include "config.h"
#include "http.h"
#include "instance.h"
#include "jsonin.h"
#include "log.h"
#include "server.h"

static char dir[512];
static struct server *sv;
static unsigned int port;

static int
setup(void **state)
{
	struct instance_init_args a;
	struct config cfg;
	char code[ACCOUNT_CODE_LEN + 1], err[256];
	const char *tmp = getenv("TMPDIR");
	int64_t exp;
	size_t len;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_srv_http.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return (-1);
	len = strlen(dir);
	snprintf(dir + len, sizeof(dir) - len, "/data");
	memset(&a, 0, sizeof(a));
	a.data_dir = dir;
	a.channel_org = "state";
	a.channel_org_name = "Department of State";
	a.admin_handle = "admin";
	a.admin_name = "The Admin";
	a.enrollment_ttl = 3600;
	if (instance_init(
		&a, (int64_t)time(NULL), code, &exp, err, sizeof(err)) != 0)
		return (-1);
	config_defaults(&cfg);
	snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", dir);
	cfg.port = 0;
	cfg.threads = 2;
	log_set_level(LOG_ERROR);
	if (server_new(&sv, &cfg, err, sizeof(err)) != 0 ||
	    server_listen(sv, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return (-1);
	}
	port = server_port(sv);
	return (port != 0 ? 0 : -1);
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	server_free(sv);
	*strrchr(dir, '/') = '\0';
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return (system(cmd) == 0 ? 0 : -1);
}

static int
connect_server(void)
{
	struct sockaddr_in sin;
	struct timeval tv = {5, 0};
	int fd;

	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return (fd);
}

static void
send_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return; /* the server may close early; the reply says */
		p += w;
		n -= (size_t)w;
	}
}

struct response {
	unsigned int status;
	char head[8192];
	char body[8192];
};

/* Read one response (headers and a Content-Length body) from ${fd}. */
static void
read_response(int fd, struct response *r)
{
	char buf[16384];
	size_t len = 0, hlen, blen = 0;
	const char *end, *cl;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	for (;;) {
		buf[len] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL) {
			hlen = (size_t)(end - buf) + 4;
			cl = strcasestr(buf, "\r\nContent-Length: ");
			blen =
			    cl != NULL && cl < end ? (size_t)atoi(cl + 18) : 0;
			if (len >= hlen + blen)
				break;
		}
		assert_true(len < sizeof(buf) - 1);
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		assert_true(n > 0);
		len += (size_t)n;
	}
	assert_true(hlen < sizeof(r->head) && blen < sizeof(r->body));
	memcpy(r->head, buf, hlen);
	memcpy(r->body, buf + hlen, blen);
	assert_int_equal(sscanf(buf, "HTTP/1.1 %u", &r->status), 1);
}

/* Send ${req} on a new connection and read the response. */
static void
exchange(const char *req, struct response *r)
{
	int fd = connect_server();

	send_all(fd, req, strlen(req));
	read_response(fd, r);
	close(fd);
}

static void
assert_security_headers(const struct response *r)
{

	assert_non_null(strcasestr(r->head,
	    "\r\nContent-Security-Policy: "
	    "default-src 'none'; frame-ancestors 'none'\r\n"));
	assert_non_null(
	    strcasestr(r->head, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(
	    strcasestr(r->head, "\r\nReferrer-Policy: no-referrer\r\n"));
	assert_non_null(strcasestr(r->head, "\r\nX-Frame-Options: DENY\r\n"));
	assert_non_null(strcasestr(r->head, "\r\nCache-Control: no-store\r\n"));
	assert_non_null(strcasestr(
	    r->head, "\r\nCross-Origin-Resource-Policy: same-origin\r\n"));
	/* Plain HTTP: no HSTS. */
	assert_null(strcasestr(r->head, "Strict-Transport-Security"));
}

static void
test_ok_reply_is_json_with_security_headers(void **state)
{
	struct response r;

	(void)state;
	exchange("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_security_headers(&r);
	assert_non_null(
	    strcasestr(r.head, "\r\nContent-Type: application/json\r\n"));
	assert_non_null(strstr(r.body, "\"status\":\"ok\""));
}

static void
test_error_replies_carry_security_headers(void **state)
{
	struct response r;

	(void)state;
	exchange("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", &r);
	assert_int_equal(r.status, 404);
	assert_security_headers(&r);
	assert_non_null(strstr(r.body, "\"code\":\"not_found\""));
	exchange("PUT /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n", &r);
	assert_int_equal(r.status, 405);
	assert_security_headers(&r);
	assert_non_null(strcasestr(r.head, "\r\nAllow: GET\r\n"));
}

static void
test_large_content_length_is_refused_before_the_body(void **state)
{
	struct response r;

	(void)state;
	/* No body is sent at all: the answer comes from the headers. */
	exchange(
	    "POST /api/v1/auth/params HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/json\r\nContent-Length: 65537\r\n\r\n",
	    &r);
	assert_int_equal(r.status, 413);
	assert_security_headers(&r);
	assert_non_null(strstr(r.body, "\"code\":\"too_large\""));
}

static void
test_oversized_chunked_body_is_refused(void **state)
{
	struct response r;
	char chunk[8200];
	int fd, i;
	static const char head[] =
	    "POST /api/v1/auth/params HTTP/1.1\r\n"
	    "Host: x\r\nContent-Type: application/json\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n";

	(void)state;
	fd = connect_server();
	send_all(fd, head, sizeof(head) - 1);
	memset(chunk, 'a', sizeof(chunk));
	memcpy(chunk, "2000\r\n", 6);
	memcpy(chunk + 6 + 8192, "\r\n", 2);
	for (i = 0; i < 9; i++)
		send_all(fd, chunk, 6 + 8192 + 2);
	send_all(fd, "0\r\n\r\n", 5);
	read_response(fd, &r);
	close(fd);
	assert_int_equal(r.status, 413);
}

static void
test_body_at_the_limit_is_read(void **state)
{
	static char req[HTTP_BODY_MAX + 256];
	struct response r;
	int n;

	(void)state;
	n = snprintf(req, sizeof(req),
	    "POST /api/v1/auth/params HTTP/1.1\r\n"
	    "Host: x\r\nContent-Type: application/json\r\n"
	    "Content-Length: %d\r\n\r\n",
	    HTTP_BODY_MAX);
	memset(req + n, ' ', HTTP_BODY_MAX);
	memcpy(req + n, "{\"handle\":\"x\"}", 14);
	req[n + HTTP_BODY_MAX] = '\0';
	exchange(req, &r);
	assert_int_equal(r.status, 200);
}

static void
test_body_needs_json_content_type(void **state)
{
	struct response r;

	(void)state;
	exchange("POST /api/v1/auth/params HTTP/1.1\r\nHost: x\r\n"
		 "Content-Type: text/plain\r\nContent-Length: 14\r\n\r\n"
		 "{\"handle\":\"x\"}",
	    &r);
	assert_int_equal(r.status, 415);
	exchange("POST /api/v1/auth/params HTTP/1.1\r\nHost: x\r\n"
		 "Content-Type: application/json; charset=utf-8\r\n"
		 "Content-Length: 14\r\n\r\n{\"handle\":\"x\"}",
	    &r);
	assert_int_equal(r.status, 200);
}

static void
test_connection_is_kept_alive(void **state)
{
	static const char req[] =
	    "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
	struct response r;
	int fd;

	(void)state;
	fd = connect_server();
	send_all(fd, req, sizeof(req) - 1);
	read_response(fd, &r);
	assert_int_equal(r.status, 200);
	assert_null(strcasestr(r.head, "Connection: close"));
	/* An error reply does not cost the connection either. */
	send_all(fd, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 34);
	read_response(fd, &r);
	assert_int_equal(r.status, 404);
	send_all(fd, req, sizeof(req) - 1);
	read_response(fd, &r);
	assert_int_equal(r.status, 200);
	close(fd);
}

static void
test_query_parameters_are_checked(void **state)
{
	struct response r;

	(void)state;
	/* Without a session first: 401, whatever the query. */
	exchange("GET /api/v1/members?bogus=1 HTTP/1.1\r\nHost: x\r\n\r\n", &r);
	assert_int_equal(r.status, 401);
}

static void
test_request_clear_wipes_reply_headers(void **state)
{
	static const char cookie[] =
	    "dissent_session=SECRETTOKENSECRETTOKEN; HttpOnly";
	struct http_request req;
	const unsigned char *p;
	size_t i;

	(void)state;
	assert_int_equal(http_request_init(&req, "POST", "/x"), 0);
	assert_int_equal(http_reply_header(&req, "Set-Cookie", cookie), 0);
	assert_int_equal(req.nheaders, 1);
	http_request_clear(&req);
	assert_int_equal(req.nheaders, 0);
	p = (const unsigned char *)req.headers;
	for (i = 0; i < sizeof(req.headers); i++)
		assert_int_equal(p[i], 0);
}

static void
test_content_type_parsing(void **state)
{
	(void)state;
	assert_int_equal(http_content_type_parse(NULL), HTTP_CT_NONE);
	assert_int_equal(
	    http_content_type_parse("application/json"), HTTP_CT_JSON);
	assert_int_equal(
	    http_content_type_parse("Application/JSON"), HTTP_CT_JSON);
	assert_int_equal(
	    http_content_type_parse("application/json; charset=utf-8"),
	    HTTP_CT_JSON);
	assert_int_equal(
	    http_content_type_parse("application/json;charset=\"UTF-8\""),
	    HTTP_CT_JSON);
	assert_int_equal(
	    http_content_type_parse("application/json; charset=latin1"),
	    HTTP_CT_OTHER);
	assert_int_equal(
	    http_content_type_parse("application/jsonx"), HTTP_CT_OTHER);
	assert_int_equal(
	    http_content_type_parse("application/json; boundary=x"),
	    HTTP_CT_OTHER);
	assert_int_equal(http_content_type_parse("text/plain"), HTTP_CT_OTHER);
	assert_int_equal(
	    http_content_type_parse("application/x-www-form-urlencoded"),
	    HTTP_CT_OTHER);
	assert_int_equal(
	    http_content_type_parse("multipart/form-data; boundary=x"),
	    HTTP_CT_OTHER);
}

static void
test_log_line_is_one_json_object(void **state)
{
	char line[LOG_LINE_MAX];
	struct log_field f[3] = {LOG_STR("route", "/api/v1/x\"\n\xff"),
	    LOG_INT("status", 404), LOG_BOOL("aborted", 1)};
	json_t *o;
	size_t n;

	(void)state;
	n = log_format_line(
	    line, sizeof(line), 1764400000123LL, LOG_INFO, "request", f, 3);
	assert_int_equal(line[n - 1], '\n');
	assert_null(memchr(line, '\n', n - 1));
	assert_non_null(o = json_loadb(line, n, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(o, "ts")),
	    "2025-11-29T07:06:40.123Z");
	assert_string_equal(
	    json_string_value(json_object_get(o, "level")), "info");
	assert_string_equal(
	    json_string_value(json_object_get(o, "msg")), "request");
	assert_string_equal(json_string_value(json_object_get(o, "route")),
	    "/api/v1/x\"\n\xef\xbf\xbd");
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 404);
	assert_true(json_is_true(json_object_get(o, "aborted")));
	json_decref(o);
}

static void
test_log_line_cut_short_stays_valid_json(void **state)
{
	char line[200], big[1000];
	struct log_field f[2];
	json_t *o;
	size_t n;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f[0] = LOG_STR("detail", big);
	f[1] = LOG_INT("n", 7);
	n = log_format_line(line, sizeof(line), 0, LOG_WARN, "m", f, 2);
	assert_true(n < sizeof(line));
	assert_non_null(o = json_loadb(line, n, 0, NULL));
	json_decref(o);
}

static void
test_log_level_filters(void **state)
{
	enum log_level l;

	(void)state;
	assert_int_equal(log_level_parse("warn", &l), 0);
	assert_int_equal(l, LOG_WARN);
	assert_int_equal(log_level_parse("loud", &l), -1);
	log_set_level(LOG_WARN);
	assert_int_equal(log_enabled(LOG_ERROR), 1);
	assert_int_equal(log_enabled(LOG_WARN), 1);
	assert_int_equal(log_enabled(LOG_INFO), 0);
	log_set_level(LOG_ERROR);
}

int
main(void)
{
#define T(f) cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
	    T(test_ok_reply_is_json_with_security_headers),
	    T(test_error_replies_carry_security_headers),
	    T(test_large_content_length_is_refused_before_the_body),
	    T(test_oversized_chunked_body_is_refused),
	    T(test_body_at_the_limit_is_read),
	    T(test_body_needs_json_content_type),
	    T(test_connection_is_kept_alive),
	    T(test_query_parameters_are_checked),
	    T(test_request_clear_wipes_reply_headers),
	    T(test_content_type_parsing),
	    T(test_log_line_is_one_json_object),
	    T(test_log_line_cut_short_stays_valid_json),
	    T(test_log_level_filters),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	jsonin_init();
	return (cmocka_run_group_tests(tests, setup, teardown));
}
