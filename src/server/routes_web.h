#ifndef ROUTES_WEB_H_
#define ROUTES_WEB_H_

#include <stddef.h>

#include "http.h"

/*
 * The web application's static files (web/ in the source tree): "/" is
 * web/index.html, "/app/..." and "/vendor/..." the files under web/app/
 * and web/vendor/.  Nothing else of the directory is reachable: every path
 * segment is 1 to ROUTES_WEB_SEGMENT_MAX bytes of [A-Za-z0-9._-] not
 * starting with '.', so there is no "..", no hidden file and no encoded
 * separator; each component is opened without following symbolic links,
 * and only regular files with a known extension are served.
 */

/* Largest file served (the vendored libsodium is about 1.6 MB). */
#define ROUTES_WEB_FILE_MAX (8 * 1024 * 1024)
/* Most path segments under "/app/" or "/vendor/", and their length. */
#define ROUTES_WEB_DEPTH_MAX 8
#define ROUTES_WEB_SEGMENT_MAX 128

/*
 * The Content-Security-Policy of every file served: scripts and styles of
 * this origin only (no inline script or style), WebAssembly compilation
 * for libsodium, requests to this origin only, no framing, no base or
 * form target elsewhere.
 */
#define ROUTES_WEB_CSP                                                         \
	"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; "           \
	"style-src 'self'; img-src 'self' data:; connect-src 'self'; "         \
	"font-src 'self'; base-uri 'none'; form-action 'self'; "               \
	"frame-ancestors 'none'"

/* Assets are revalidated on every use (ETag); pages are never stored. */
#define ROUTES_WEB_ASSET_CACHE "no-cache"

/**
 * routes_web_path(path):
 * Return 1 if the request path ${path} belongs to the web application
 * ("/", or under "/app/" or "/vendor/"), else 0.
 */
int routes_web_path(const char *path);

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
void routes_web_serve(const char *web_dir, struct http_request *req);

/**
 * routes_web_find_dir(out, cap):
 * Find the web application next to the running program: the first of
 * BINDIR/web, BINDIR/../web and BINDIR/../share/dissent/web that holds an
 * index.html, as an absolute canonical path in ${out} (${cap} bytes).
 * Return 0, or -1 if there is none.
 */
int routes_web_find_dir(char *out, size_t cap);

#endif /* !ROUTES_WEB_H_ */
