#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "routes_web.h"

/* The file types served, by extension. */
static const struct {
	const char *ext;
	const char *type;
	int page; /* never stored by the browser */
} web_types[] = {
    {"html", "text/html; charset=utf-8", 1},
    {"js", "text/javascript; charset=utf-8", 0},
    {"mjs", "text/javascript; charset=utf-8", 0},
    {"css", "text/css; charset=utf-8", 0},
    {"wasm", "application/wasm", 0},
    {"svg", "image/svg+xml", 0},
    {"png", "image/png", 0},
    {"json", "application/json", 0},
};
#define NTYPES (sizeof(web_types) / sizeof(web_types[0]))

/* The URL prefixes of the two served subdirectories (with their slash). */
static const char *const web_prefixes[] = {"/app/", "/vendor/"};
#define NPREFIXES (sizeof(web_prefixes) / sizeof(web_prefixes[0]))

/* Places, relative to the program's directory, to look for web/. */
static const char *const web_candidates[] = {
    "web", "../web", "../share/dissent/web"};

/* ETag: a quoted string of 4 hex numbers of at most 16 digits each. */
#define ETAG_MAX 80

/**
 * routes_web_path(path):
 * Return 1 if the request path ${path} belongs to the web application
 * ("/", or under "/app/" or "/vendor/"), else 0.
 */
int
routes_web_path(const char *path)
{
	size_t i;

	if (strcmp(path, "/") == 0)
		return (1);
	for (i = 0; i < NPREFIXES; i++)
		if (strncmp(path, web_prefixes[i], strlen(web_prefixes[i])) ==
		    0)
			return (1);
	return (0);
}

/* Return 1 if ${seg} (${len} bytes) may name a file or directory. */
static int
segment_valid(const char *seg, size_t len)
{
	size_t i;

	if (len == 0 || len > ROUTES_WEB_SEGMENT_MAX || seg[0] == '.')
		return (0);
	for (i = 0; i < len; i++) {
		char c = seg[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '.' || c == '_' ||
			c == '-'))
			return (0);
	}
	return (1);
}

/* The index into web_types of the file name ${name}'s extension, or -1. */
static int
type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot == NULL)
		return (-1);
	for (i = 0; i < NTYPES; i++)
		if (strcmp(dot + 1, web_types[i].ext) == 0)
			return ((int)i);
	return (-1);
}

/*
 * Split the relative path ${rel} (modified in place) into at most
 * ROUTES_WEB_DEPTH_MAX segments in ${segs}.  Return the number of
 * segments, or 0 if any segment is refused.
 */
static size_t
split_path(char *rel, char *segs[ROUTES_WEB_DEPTH_MAX])
{
	size_t n = 0;
	char *p = rel, *slash;

	for (;;) {
		if (n == ROUTES_WEB_DEPTH_MAX)
			return (0);
		slash = strchr(p, '/');
		if (slash != NULL)
			*slash = '\0';
		if (!segment_valid(p, strlen(p)))
			return (0);
		segs[n++] = p;
		if (slash == NULL)
			return (n);
		p = slash + 1;
	}
}

/*
 * Open the regular file ${segs}[0..${n}) under the directory ${dir}
 * without following any symbolic link.  Return a descriptor, or -1.
 */
static int
open_beneath(const char *dir, char *const *segs, size_t n)
{
	int dfd, fd;
	size_t i;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return (-1);
	for (i = 0; i + 1 < n; i++) {
		int nfd = openat(dfd, segs[i],
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(dfd);
		if (nfd < 0)
			return (-1);
		dfd = nfd;
	}
	/* Non-blocking: a FIFO planted in the tree must not hang a thread. */
	fd = openat(
	    dfd, segs[n - 1], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dfd);
	return (fd);
}

/*
 * Return 1 if the If-None-Match value ${inm} lists ${etag} (a quoted
 * string) or is "*", comparing weakly as RFC 9110 §13.1.2 says.
 */
static int
etag_listed(const char *inm, const char *etag)
{
	const char *p = inm, *end;
	size_t elen = strlen(etag);

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return (0);
		if (*p == '*')
			return (1);
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"')
			return (0);
		if ((end = strchr(p + 1, '"')) == NULL)
			return (0);
		if ((size_t)(end + 1 - p) == elen && memcmp(p, etag, elen) == 0)
			return (1);
		p = end + 1;
	}
}

/* Read the ${len}-byte file ${fd} into a new buffer; NULL on failure. */
static char *
read_all(int fd, size_t len)
{
	char *buf;
	size_t off = 0;

	if ((buf = malloc(len > 0 ? len : 1)) == NULL)
		return (NULL);
	while (off < len) {
		ssize_t r = read(fd, buf + off, len - off);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			/* Changed under us: never serve half a file. */
			free(buf);
			return (NULL);
		}
		off += (size_t)r;
	}
	return (buf);
}

/* Reply 404 for a path that names nothing served. */
static void
not_found(struct http_request *req)
{

	http_reply_error(req, 404, "not_found", "no such page or file");
}

/* Add the headers of a served file; 0 or -1. */
static int
file_headers(struct http_request *req, int t, const char *etag, int body)
{

	if (http_reply_header(req, "Content-Security-Policy", ROUTES_WEB_CSP) !=
		0 ||
	    http_reply_header(
		req, "Cross-Origin-Opener-Policy", "same-origin") != 0)
		return (-1);
	if (body &&
	    http_reply_header(req, "Content-Type", web_types[t].type) != 0)
		return (-1);
	/* Pages keep the server's "Cache-Control: no-store". */
	if (web_types[t].page)
		return (0);
	if (http_reply_header(req, "Cache-Control", ROUTES_WEB_ASSET_CACHE) !=
		0 ||
	    http_reply_header(req, "ETag", etag) != 0)
		return (-1);
	return (0);
}

/**
 * routes_web_serve(web_dir, req):
 * Answer ${req}, whose path routes_web_path() accepted, with the file of
 * the web application in the directory ${web_dir} ("" when none is
 * installed): 200 with the file and its Content-Type, or 304 when the
 * request's If-None-Match names the asset's ETag; 404 for a path that is
 * refused or names no servable file; 405 for a method other than GET or
 * HEAD; 400 for a request body.  Files (200 and 304) carry
 * ROUTES_WEB_CSP; refusals are the API's JSON errors with its headers.
 */
void
routes_web_serve(const char *web_dir, struct http_request *req)
{
	char rel[HTTP_PATH_MAX + 1], etag[ETAG_MAX];
	char *segs[ROUTES_WEB_DEPTH_MAX];
	struct stat st;
	size_t n, len;
	char *buf;
	int fd, t;

	req->route = strcmp(req->path, "/") == 0           ? "web /"
		     : strncmp(req->path, "/app/", 5) == 0 ? "web /app/"
							   : "web /vendor/";
	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		http_reply_error(
		    req, 405, "method_not_allowed", "method not allowed");
		(void)http_reply_header(req, "Allow", "GET, HEAD");
		return;
	}
	if (req->has_body) {
		http_reply_error(
		    req, 400, "bad_request", "this page takes no request body");
		return;
	}
	if (web_dir[0] == '\0') {
		http_reply_error(req, 404, "not_found",
		    "the web application is not installed on this server");
		return;
	}

	/* "/" is the page; other paths keep their prefix's directory. */
	len = strlen(req->path);
	if (strcmp(req->path, "/") == 0)
		memcpy(rel, "index.html", sizeof("index.html"));
	else
		memcpy(rel, req->path + 1, len); /* with the NUL */
	if ((n = split_path(rel, segs)) < 2 && strcmp(req->path, "/") != 0) {
		not_found(req);
		return;
	}
	if (n == 0 || (t = type_of(segs[n - 1])) < 0) {
		not_found(req);
		return;
	}
	if ((fd = open_beneath(web_dir, segs, n)) < 0) {
		not_found(req);
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (unsigned long long)st.st_size > ROUTES_WEB_FILE_MAX) {
		close(fd);
		not_found(req);
		return;
	}
	len = (size_t)st.st_size;
	(void)snprintf(etag, sizeof(etag), "\"%llx-%llx-%llx.%lx\"",
	    (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
	    (unsigned long long)st.st_mtim.tv_sec,
	    (unsigned long)st.st_mtim.tv_nsec);

	if (!web_types[t].page && req->if_none_match[0] != '\0' &&
	    etag_listed(req->if_none_match, etag)) {
		close(fd);
		http_reply_empty(req, 304);
		if (file_headers(req, t, etag, 0) != 0)
			http_reply_error(
			    req, 500, "internal", "internal error");
		return;
	}
	buf = read_all(fd, len);
	close(fd);
	if (buf == NULL) {
		log_msg(LOG_ERROR, "cannot read a file of the web application");
		http_reply_error(req, 500, "internal", "cannot read the file");
		return;
	}
	if (http_reply_bytes(req, 200, buf, len) == 0 &&
	    file_headers(req, t, etag, 1) != 0)
		http_reply_error(req, 500, "internal", "internal error");
	free(buf);
}

/**
 * routes_web_find_dir(out, cap):
 * Find the web application next to the running program: the first of
 * BINDIR/web, BINDIR/../web and BINDIR/../share/dissent/web that holds an
 * index.html, as an absolute canonical path in ${out} (${cap} bytes).
 * Return 0, or -1 if there is none.
 */
int
routes_web_find_dir(char *out, size_t cap)
{
	char exe[PATH_MAX], path[PATH_MAX + 64], real[PATH_MAX];
	struct stat st;
	ssize_t r;
	size_t i, len;
	char *slash;

	if ((r = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return (-1);
	exe[r] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return (-1);
	*slash = '\0';
	for (i = 0; i < sizeof(web_candidates) / sizeof(web_candidates[0]);
	     i++) {
		if (snprintf(path, sizeof(path), "%s/%s/index.html", exe,
			web_candidates[i]) >= (int)sizeof(path))
			continue;
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		*strrchr(path, '/') = '\0';
		if (realpath(path, real) == NULL)
			continue;
		if ((len = strlen(real)) >= cap)
			return (-1);
		memcpy(out, real, len + 1);
		return (0);
	}
	return (-1);
}
