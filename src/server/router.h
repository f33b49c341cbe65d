#ifndef ROUTER_H_
#define ROUTER_H_

#include <stddef.h>

#include "access.h"
#include "jsonin.h"

/*
 * The route table's shape and its matching: method + path pattern ->
 * route, with "{name}" segments captured.  A path that matches no pattern
 * is 404; one that matches only under other methods is 405 with the set of
 * methods for the Allow header.
 */

/* Methods, as bits so that a set of them can describe an Allow header. */
#define ROUTER_GET 0x01u
#define ROUTER_POST 0x02u
#define ROUTER_PATCH 0x04u
#define ROUTER_PUT 0x08u
#define ROUTER_DELETE 0x10u

/* Most captured segments per pattern, and bytes per captured segment. */
#define ROUTER_PARAMS_MAX 2
#define ROUTER_PARAM_MAX 128
/* Length of the longest Allow value router_allow() writes. */
#define ROUTER_ALLOW_MAX 40

/* Route flags. */
#define ROUTE_RATE_LIMITED 0x1u /* counted against the per-address limit */
/*
 * The handler takes query parameters and refuses unknown ones itself; any
 * other route is refused every query parameter by the dispatcher.
 */
#define ROUTE_QUERY 0x2u
/* The body may be up to HTTP_BODY_LARGE_MAX bytes (memo ciphertext). */
#define ROUTE_LARGE_BODY 0x4u

struct route_ctx;

struct route {
	unsigned int method;            /* one ROUTER_* bit */
	const char *pattern;            /* "/api/v1/members/{id}/keys" */
	enum access_class access;       /* who may call it (access.h) */
	unsigned int flags;             /* ROUTE_* */
	const struct jsonin_spec *body; /* request body spec; NULL: none */
	void (*handler)(struct route_ctx *ctx);
};

enum router_result {
	ROUTER_FOUND = 0,
	ROUTER_NOT_FOUND,
	ROUTER_METHOD_NOT_ALLOWED
};

struct router_match {
	const struct route *route; /* when ROUTER_FOUND */
	size_t nparams;
	char params[ROUTER_PARAMS_MAX][ROUTER_PARAM_MAX + 1];
	unsigned int allow; /* methods the path has */
};

/**
 * router_method(name):
 * Return the ROUTER_* bit of the HTTP method ${name}, or 0 if the server
 * knows no route for such a method.
 */
unsigned int router_method(const char *name);

/**
 * router_match(routes, n, method, path, m):
 * Find the route of the ${n} ${routes} (first match wins) for ${method} (a
 * ROUTER_* bit) and ${path}.  Return ROUTER_FOUND with the route and
 * captured segments in ${m}; ROUTER_METHOD_NOT_ALLOWED with ${m}->allow
 * set; or ROUTER_NOT_FOUND.
 */
enum router_result router_match(const struct route *routes, size_t n,
    unsigned int method, const char *path, struct router_match *m);

/**
 * router_allow(out, cap, set):
 * Write the Allow header value for the ROUTER_* set ${set} ("GET, POST")
 * into ${out}.  Return 0 or -1 if it does not fit.
 */
int router_allow(char *out, size_t cap, unsigned int set)
    __attribute__((warn_unused_result));

/**
 * router_table_valid(routes, n):
 * Return 1 if every route of ${routes} has one method, a pattern under
 * /api/v1/ with well-formed captures, a handler and a valid body spec
 * (POST and PATCH routes always have one, GET routes never), and no two
 * routes share a method and pattern; else 0.
 */
int router_table_valid(const struct route *routes, size_t n);

#endif /* !ROUTER_H_ */
