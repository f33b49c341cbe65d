/*
 * The web application's static files (src/server/routes_web.c): which
 * paths are served, with which types and headers, and everything refused
 * (traversal, hidden files, symbolic links out, other file kinds); then
 * the same over a real socket, where the page's policy must replace the
 * API's and the other security headers must stay.
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
#include <sys/stat.h>
#include <sys/time.h>

#include <cmocka.h>
#include <jansson.h>

#include "account.h"
#include "config.h"
#include "http.h"
#include "instance.h"
#include "log.h"
#include "routes_web.h"
#include "server.h"

static char top[512];  /* the test's temporary directory */
static char web[600];  /* top/web: the web application */
static char data[600]; /* top/data: the instance */
static struct server *sv;
static unsigned int port;

static const char page[] = "<!doctype html><title>t</title>\n";
static const char script[] = "export const x = 1;\n";

/* Write ${text} to top/${rel}. */
static int
put(const char *rel, const char *text)
{
	char path[1200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	if ((f = fopen(path, "w")) == NULL)
		return (-1);
	fputs(text, f);
	return (fclose(f));
}

/* Make the directory top/${rel}. */
static int
dir(const char *rel)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return (mkdir(path, 0755));
}

/* Make top/${rel} a symbolic link to ${target}. */
static int
link_to(const char *target, const char *rel)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return (symlink(target, path));
}

static int
setup(void **state)
{
	struct instance_init_args a;
	struct config cfg;
	char code[ACCOUNT_CODE_LEN + 1], err[256], path[1200];
	const char *tmp = getenv("TMPDIR");
	int64_t exp;

	(void)state;
	snprintf(top, sizeof(top), "%s/test_srv_web.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(top) == NULL)
		return (-1);
	snprintf(web, sizeof(web), "%s/web", top);
	snprintf(data, sizeof(data), "%s/data", top);
	snprintf(path, sizeof(path), "%s/web/app/fifo.js", top);
	if (dir("web") || dir("web/app") || dir("web/app/sub") ||
	    dir("web/app/dir.js") || dir("web/vendor") || dir("outside") ||
	    put("web/index.html", page) || put("web/app/main.js", script) ||
	    put("web/app/sub/deep.js", script) ||
	    put("web/app/style.css", "body{}") ||
	    put("web/app/icon.svg", "<svg/>") ||
	    put("web/app/logo.png", "PNG") || put("web/app/data.json", "{}") ||
	    put("web/app/mod.wasm", "wasm") || put("web/app/.hidden.js", "x") ||
	    put("web/app/notes.txt", "x") || put("web/app/Makefile", "x") ||
	    put("web/vendor/lib.mjs", script) ||
	    put("web/package.json", "{}") ||
	    put("outside/secret.js", "secret") ||
	    link_to("../../outside/secret.js", "web/app/link.js") ||
	    link_to("../../outside", "web/app/linkdir") ||
	    link_to("main.js", "web/app/inside-link.js") ||
	    mkfifo(path, 0644) != 0)
		return (-1);

	memset(&a, 0, sizeof(a));
	a.data_dir = data;
	a.channel_org = "state";
	a.channel_org_name = "Department of State";
	a.admin_handle = "admin";
	a.admin_name = "The Admin";
	a.enrollment_ttl = 3600;
	if (instance_init(
		&a, (int64_t)time(NULL), code, &exp, err, sizeof(err)) != 0)
		return (-1);
	config_defaults(&cfg);
	snprintf(cfg.data_dir, sizeof(cfg.data_dir), "%s", data);
	snprintf(cfg.web_dir, sizeof(cfg.web_dir), "%s", web);
	cfg.port = 0;
	cfg.threads = 1;
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
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return (system(cmd) == 0 ? 0 : -1);
}

/* What a request answered without a network. */
struct reply {
	unsigned int status;
	char body[256];
	size_t len;
	char type[HTTP_HEADER_VALUE_MAX];
	char csp[HTTP_HEADER_VALUE_MAX];
	char cache[HTTP_HEADER_VALUE_MAX];
	char etag[HTTP_HEADER_VALUE_MAX];
	char allow[HTTP_HEADER_VALUE_MAX];
	char code[64]; /* the JSON error code, if any */
};

/* Copy the reply header ${name} of ${req} into ${out}. */
static void
header(const struct http_request *req, const char *name, char *out)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (strcmp(req->headers[i].name, name) == 0)
			snprintf(out, HTTP_HEADER_VALUE_MAX, "%s",
			    req->headers[i].value);
}

/*
 * Serve ${method} ${path} from ${root} (If-None-Match ${inm} unless NULL;
 * a body if ${body}).
 */
static void
serve(struct reply *r, const char *root, const char *method, const char *path,
    const char *inm, int body)
{
	struct http_request req;
	const char *b;
	json_t *j;
	size_t len;

	memset(r, 0, sizeof(*r));
	assert_int_equal(http_request_init(&req, method, path), 0);
	if (inm != NULL)
		snprintf(
		    req.if_none_match, sizeof(req.if_none_match), "%s", inm);
	if (body) {
		assert_int_equal(http_request_set_body(&req, "{}", 2), 0);
		req.content_type = HTTP_CT_JSON;
	}
	assert_true(routes_web_path(req.path));
	routes_web_serve(root, &req);
	r->status = req.status;
	if ((b = http_reply_body(&req, &len)) != NULL) {
		r->len = len;
		memcpy(r->body, b, len < sizeof(r->body) - 1 ? len : 0);
		if (req.status >= 400 &&
		    (j = json_loadb(b, len, 0, NULL)) != NULL) {
			snprintf(r->code, sizeof(r->code), "%s",
			    json_string_value(json_object_get(
				json_object_get(j, "error"), "code")));
			json_decref(j);
		}
	}
	header(&req, "Content-Type", r->type);
	header(&req, "Content-Security-Policy", r->csp);
	header(&req, "Cache-Control", r->cache);
	header(&req, "ETag", r->etag);
	header(&req, "Allow", r->allow);
	http_request_clear(&req);
}

/* GET ${path} from the test's web directory. */
static void
get(struct reply *r, const char *path)
{

	serve(r, web, "GET", path, NULL, 0);
}

/* Assert that GET ${path} is refused with 404. */
static void
assert_not_served(const char *path)
{
	struct reply r;

	get(&r, path);
	if (r.status != 404)
		fail_msg("%s: status %u, want 404", path, r.status);
	assert_string_equal(r.code, "not_found");
	assert_string_equal(r.csp, "");
}

static void
test_paths_of_the_web_application(void **state)
{

	(void)state;
	assert_true(routes_web_path("/"));
	assert_true(routes_web_path("/app/main.js"));
	assert_true(routes_web_path("/vendor/lib.mjs"));
	assert_false(routes_web_path("/api/v1/health"));
	assert_false(routes_web_path("/index.html"));
	assert_false(routes_web_path("/app"));
	assert_false(routes_web_path("/apps/x.js"));
	assert_false(routes_web_path("/package.json"));
	assert_false(routes_web_path(""));
}

static void
test_root_is_the_page_with_its_policy(void **state)
{
	struct reply r;

	(void)state;
	get(&r, "/");
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, strlen(page));
	assert_memory_equal(r.body, page, strlen(page));
	assert_string_equal(r.type, "text/html; charset=utf-8");
	assert_string_equal(r.csp,
	    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; "
	    "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
	    "font-src 'self'; base-uri 'none'; form-action 'self'; "
	    "frame-ancestors 'none'");
}

static void
test_page_keeps_no_store_and_has_no_etag(void **state)
{
	struct reply r;

	(void)state;
	get(&r, "/");
	/* The server's default "no-store" is left in place. */
	assert_string_equal(r.cache, "");
	assert_string_equal(r.etag, "");
	/* A validator is never honoured for a page. */
	serve(&r, web, "GET", "/", "*", 0);
	assert_int_equal(r.status, 200);
}

static void
test_scripts_are_text_javascript(void **state)
{
	struct reply r;

	(void)state;
	get(&r, "/app/main.js");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.type, "text/javascript; charset=utf-8");
	assert_memory_equal(r.body, script, strlen(script));
	get(&r, "/vendor/lib.mjs");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.type, "text/javascript; charset=utf-8");
	get(&r, "/app/sub/deep.js");
	assert_int_equal(r.status, 200);
}

static void
test_each_type_has_its_content_type(void **state)
{
	static const struct {
		const char *path, *type;
	} cases[] = {
	    {"/app/style.css", "text/css; charset=utf-8"},
	    {"/app/icon.svg", "image/svg+xml"},
	    {"/app/logo.png", "image/png"},
	    {"/app/data.json", "application/json"},
	    {"/app/mod.wasm", "application/wasm"},
	};
	struct reply r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		get(&r, cases[i].path);
		assert_int_equal(r.status, 200);
		assert_string_equal(r.type, cases[i].type);
		assert_string_not_equal(r.csp, "");
	}
}

static void
test_assets_carry_an_etag_and_revalidate(void **state)
{
	struct reply r;

	(void)state;
	get(&r, "/app/main.js");
	assert_string_equal(r.cache, "no-cache");
	assert_true(strlen(r.etag) > 2 && r.etag[0] == '"' &&
		    r.etag[strlen(r.etag) - 1] == '"');
}

static void
test_known_etag_is_304_without_body(void **state)
{
	char etag[HTTP_HEADER_VALUE_MAX], list[600];
	struct reply r;

	(void)state;
	get(&r, "/app/main.js");
	snprintf(etag, sizeof(etag), "%s", r.etag);
	serve(&r, web, "GET", "/app/main.js", etag, 0);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.len, 0);
	assert_string_equal(r.etag, etag);
	assert_string_not_equal(r.csp, "");
	/* In a list, and weakly compared. */
	snprintf(list, sizeof(list), "\"other\", W/%s", etag);
	serve(&r, web, "GET", "/app/main.js", list, 0);
	assert_int_equal(r.status, 304);
}

static void
test_other_etag_is_200(void **state)
{
	struct reply r;

	(void)state;
	serve(&r, web, "GET", "/app/main.js", "\"stale\"", 0);
	assert_int_equal(r.status, 200);
	serve(&r, web, "GET", "/app/main.js", "garbage", 0);
	assert_int_equal(r.status, 200);
}

static void
test_head_is_answered_like_get(void **state)
{
	struct reply r;

	(void)state;
	serve(&r, web, "HEAD", "/app/main.js", NULL, 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.type, "text/javascript; charset=utf-8");
}

static void
test_traversal_is_refused(void **state)
{

	(void)state;
	assert_not_served("/app/../index.html");
	assert_not_served("/app/sub/../main.js");
	assert_not_served("/app/..");
	assert_not_served("/app/./main.js");
	assert_not_served("/vendor/../app/main.js");
	assert_not_served("/app/../../outside/secret.js");
}

static void
test_hidden_files_are_refused(void **state)
{

	(void)state;
	assert_not_served("/app/.hidden.js");
}

static void
test_symbolic_links_are_refused(void **state)
{

	(void)state;
	assert_not_served("/app/link.js");
	assert_not_served("/app/linkdir/secret.js");
	/* Even one that stays inside. */
	assert_not_served("/app/inside-link.js");
}

static void
test_unknown_types_are_refused(void **state)
{

	(void)state;
	assert_not_served("/app/notes.txt");
	assert_not_served("/app/Makefile");
}

static void
test_unknown_files_are_404(void **state)
{

	(void)state;
	assert_not_served("/app/missing.js");
	assert_not_served("/vendor/missing.mjs");
	assert_not_served("/app/sub/missing.js");
}

static void
test_directories_and_fifos_are_refused(void **state)
{

	(void)state;
	assert_not_served("/app/dir.js");
	assert_not_served("/app/sub");
	assert_not_served("/app/fifo.js");
}

static void
test_malformed_paths_are_refused(void **state)
{

	(void)state;
	assert_not_served("/app/");
	assert_not_served("/vendor/");
	assert_not_served("/app//main.js");
	assert_not_served("/app/main.js/");
	assert_not_served("/app/ma in.js");
	assert_not_served("/app/main%2ejs");
	assert_not_served("/app/sub\\deep.js");
	assert_not_served("/app/main.js~");
}

static void
test_other_methods_are_405(void **state)
{
	struct reply r;

	(void)state;
	serve(&r, web, "POST", "/app/main.js", NULL, 0);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.code, "method_not_allowed");
	assert_string_equal(r.allow, "GET, HEAD");
	serve(&r, web, "DELETE", "/", NULL, 0);
	assert_int_equal(r.status, 405);
}

static void
test_request_body_is_400(void **state)
{
	struct reply r;

	(void)state;
	serve(&r, web, "GET", "/app/main.js", NULL, 1);
	assert_int_equal(r.status, 400);
	assert_string_equal(r.code, "bad_request");
}

static void
test_no_web_application_is_404(void **state)
{
	struct reply r;

	(void)state;
	serve(&r, "", "GET", "/", NULL, 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.code, "not_found");
}

static void
test_web_dir_is_a_configuration_key(void **state)
{
	struct config c;
	char err[CONFIG_ERR_MAX];

	(void)state;
	config_defaults(&c);
	assert_string_equal(c.web_dir, "");
	assert_int_equal(
	    config_set(&c, "web_dir", "/srv/web", err, sizeof(err)), 0);
	assert_string_equal(c.web_dir, "/srv/web");
	assert_int_equal(config_set(&c, "web_dir", "", err, sizeof(err)), -1);
}

static void
test_web_dir_that_is_not_a_directory_is_refused(void **state)
{
	struct server *other = NULL;
	struct config c;
	char err[256] = "", path[700];

	(void)state;
	config_defaults(&c);
	snprintf(c.data_dir, sizeof(c.data_dir), "%s", data);
	snprintf(path, sizeof(path), "%s/index.html", web);
	snprintf(c.web_dir, sizeof(c.web_dir), "%s", path);
	assert_int_equal(server_new(&other, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "web_dir"));
	assert_null(other);
}

static void
test_web_application_is_found_next_to_the_program(void **state)
{
	char found[1024], path[1100];
	struct stat st;
	size_t len;

	(void)state;
	/* The tests are built in a directory of the source tree. */
	assert_int_equal(routes_web_find_dir(found, sizeof(found)), 0);
	len = strlen(found);
	assert_true(found[0] == '/' && len > 4);
	assert_string_equal(found + len - 4, "/web");
	snprintf(path, sizeof(path), "%s/index.html", found);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(routes_web_find_dir(found, 4), -1);
}

static void
test_dispatcher_serves_the_page_and_the_api(void **state)
{
	struct http_request req;
	size_t len;

	(void)state;
	assert_int_equal(http_request_init(&req, "GET", "/"), 0);
	server_handle(sv, &req);
	assert_int_equal(req.status, 200);
	assert_non_null(http_reply_body(&req, &len));
	assert_int_equal(len, strlen(page));
	http_request_clear(&req);
	assert_int_equal(http_request_init(&req, "GET", "/api/v1/health"), 0);
	server_handle(sv, &req);
	assert_int_equal(req.status, 200);
	http_request_clear(&req);
	/* The rest of the directory is not reachable. */
	assert_int_equal(http_request_init(&req, "GET", "/package.json"), 0);
	server_handle(sv, &req);
	assert_int_equal(req.status, 404);
	http_request_clear(&req);
}

/* Over the network. */

struct response {
	unsigned int status;
	char head[8192];
	size_t body_len;
};

/* Send ${text} on a new connection and read one response into ${r}. */
static void
exchange(const char *text, struct response *r)
{
	struct sockaddr_in sin;
	struct timeval tv = {5, 0};
	char buf[16384];
	const char *end, *cl;
	size_t len = 0, hlen = 0, blen = 0;
	ssize_t n;
	int fd, head_only = strncmp(text, "HEAD ", 5) == 0;

	memset(r, 0, sizeof(*r));
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(
	    send(fd, text, strlen(text), MSG_NOSIGNAL), (ssize_t)strlen(text));
	for (;;) {
		buf[len] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL) {
			hlen = (size_t)(end - buf) + 4;
			cl = strcasestr(buf, "\r\nContent-Length: ");
			blen = cl != NULL && cl < end && !head_only
				   ? (size_t)atoi(cl + 18)
				   : 0;
			if (len >= hlen + blen)
				break;
		}
		assert_true(len < sizeof(buf) - 1);
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		assert_true(n > 0);
		len += (size_t)n;
	}
	close(fd);
	assert_true(hlen < sizeof(r->head));
	memcpy(r->head, buf, hlen);
	r->body_len = len - hlen;
	assert_int_equal(sscanf(buf, "HTTP/1.1 %u", &r->status), 1);
}

/* The number of times ${needle} occurs in ${hay}, ignoring case. */
static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strcasestr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return (n);
}

static void
test_page_headers_on_the_wire(void **state)
{
	struct response r;

	(void)state;
	exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, strlen(page));
	assert_int_equal(count(r.head, "\r\nContent-Security-Policy:"), 1);
	assert_non_null(strcasestr(
	    r.head, "\r\nContent-Security-Policy: " ROUTES_WEB_CSP "\r\n"));
	assert_int_equal(count(r.head, "\r\nContent-Type:"), 1);
	assert_non_null(strcasestr(
	    r.head, "\r\nContent-Type: text/html; charset=utf-8\r\n"));
	assert_int_equal(count(r.head, "\r\nCache-Control:"), 1);
	assert_non_null(strcasestr(r.head, "\r\nCache-Control: no-store\r\n"));
	assert_non_null(
	    strcasestr(r.head, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strcasestr(r.head, "\r\nX-Frame-Options: DENY\r\n"));
	assert_non_null(
	    strcasestr(r.head, "\r\nReferrer-Policy: no-referrer\r\n"));
	assert_non_null(strcasestr(
	    r.head, "\r\nCross-Origin-Resource-Policy: same-origin\r\n"));
	assert_non_null(strcasestr(
	    r.head, "\r\nCross-Origin-Opener-Policy: same-origin\r\n"));
}

static void
test_asset_revalidation_on_the_wire(void **state)
{
	char req[512], etag[128];
	struct response r;
	const char *p, *e;

	(void)state;
	exchange("GET /app/main.js HTTP/1.1\r\nHost: x\r\nConnection: "
		 "close\r\n\r\n",
	    &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(count(r.head, "\r\nCache-Control:"), 1);
	assert_non_null(strcasestr(r.head, "\r\nCache-Control: no-cache\r\n"));
	assert_non_null(p = strcasestr(r.head, "\r\nETag: "));
	p += 8;
	assert_non_null(e = strstr(p, "\r\n"));
	assert_true((size_t)(e - p) < sizeof(etag));
	memcpy(etag, p, (size_t)(e - p));
	etag[e - p] = '\0';
	snprintf(req, sizeof(req),
	    "GET /app/main.js HTTP/1.1\r\nHost: x\r\nIf-None-Match: "
	    "%s\r\nConnection: close\r\n\r\n",
	    etag);
	exchange(req, &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body_len, 0);
	exchange("HEAD /app/main.js HTTP/1.1\r\nHost: x\r\nConnection: "
		 "close\r\n\r\n",
	    &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
}

static void
test_encoded_traversal_on_the_wire_is_refused(void **state)
{
	struct response r;

	(void)state;
	exchange("GET /app/%2e%2e/index.html HTTP/1.1\r\nHost: x\r\n"
		 "Connection: close\r\n\r\n",
	    &r);
	assert_int_equal(r.status, 404);
	exchange("GET /app/..%2f..%2foutside/secret.js HTTP/1.1\r\nHost: "
		 "x\r\nConnection: close\r\n\r\n",
	    &r);
	assert_int_equal(r.status, 404);
}

static void
test_api_keeps_its_own_policy(void **state)
{
	struct response r;

	(void)state;
	exchange("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: "
		 "close\r\n\r\n",
	    &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strcasestr(r.head,
	    "\r\nContent-Security-Policy: default-src 'none'; "
	    "frame-ancestors 'none'\r\n"));
	assert_non_null(
	    strcasestr(r.head, "\r\nContent-Type: application/json\r\n"));
	assert_null(strcasestr(r.head, "Cross-Origin-Opener-Policy"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paths_of_the_web_application),
	    cmocka_unit_test(test_root_is_the_page_with_its_policy),
	    cmocka_unit_test(test_page_keeps_no_store_and_has_no_etag),
	    cmocka_unit_test(test_scripts_are_text_javascript),
	    cmocka_unit_test(test_each_type_has_its_content_type),
	    cmocka_unit_test(test_assets_carry_an_etag_and_revalidate),
	    cmocka_unit_test(test_known_etag_is_304_without_body),
	    cmocka_unit_test(test_other_etag_is_200),
	    cmocka_unit_test(test_head_is_answered_like_get),
	    cmocka_unit_test(test_traversal_is_refused),
	    cmocka_unit_test(test_hidden_files_are_refused),
	    cmocka_unit_test(test_symbolic_links_are_refused),
	    cmocka_unit_test(test_unknown_types_are_refused),
	    cmocka_unit_test(test_unknown_files_are_404),
	    cmocka_unit_test(test_directories_and_fifos_are_refused),
	    cmocka_unit_test(test_malformed_paths_are_refused),
	    cmocka_unit_test(test_other_methods_are_405),
	    cmocka_unit_test(test_request_body_is_400),
	    cmocka_unit_test(test_no_web_application_is_404),
	    cmocka_unit_test(test_web_dir_is_a_configuration_key),
	    cmocka_unit_test(test_web_dir_that_is_not_a_directory_is_refused),
	    cmocka_unit_test(test_web_application_is_found_next_to_the_program),
	    cmocka_unit_test(test_dispatcher_serves_the_page_and_the_api),
	    cmocka_unit_test(test_page_headers_on_the_wire),
	    cmocka_unit_test(test_asset_revalidation_on_the_wire),
	    cmocka_unit_test(test_encoded_traversal_on_the_wire_is_refused),
	    cmocka_unit_test(test_api_keeps_its_own_policy),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
