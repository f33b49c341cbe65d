#include <stdio.h>
#include <string.h>

#include "router.h"

static const struct {
	unsigned int bit;
	const char *name;
} methods[] = {
    {ROUTER_GET, "GET"},
    {ROUTER_POST, "POST"},
    {ROUTER_PATCH, "PATCH"},
    {ROUTER_PUT, "PUT"},
    {ROUTER_DELETE, "DELETE"},
};
#define NMETHODS (sizeof(methods) / sizeof(methods[0]))

/**
 * router_method(name):
 * Return the ROUTER_* bit of the HTTP method ${name}, or 0 if the server
 * knows no route for such a method.
 */
unsigned int
router_method(const char *name)
{
	size_t i;

	/* Method names are case-sensitive (RFC 9110 §9.1). */
	for (i = 0; i < NMETHODS; i++)
		if (strcmp(name, methods[i].name) == 0)
			return (methods[i].bit);
	return (0);
}

/* Length of the segment starting at ${s} (up to '/' or the end). */
static size_t
seglen(const char *s)
{
	const char *slash = strchr(s, '/');

	return (slash != NULL ? (size_t)(slash - s) : strlen(s));
}

/*
 * Match ${path} against ${pattern}, capturing "{...}" segments into ${m}.
 * Return 1 on a match, else 0.
 */
static int
pattern_match(const char *pattern, const char *path, struct router_match *m)
{
	const char *p = pattern, *q = path;
	size_t pl, ql;

	m->nparams = 0;
	for (;;) {
		if (*p != '/' || *q != '/')
			return (0);
		p++;
		q++;
		pl = seglen(p);
		ql = seglen(q);
		if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
			/* A capture: one non-empty segment of bounded size. */
			if (ql == 0 || ql > ROUTER_PARAM_MAX ||
			    m->nparams == ROUTER_PARAMS_MAX)
				return (0);
			memcpy(m->params[m->nparams], q, ql);
			m->params[m->nparams][ql] = '\0';
			m->nparams++;
		} else if (pl != ql || memcmp(p, q, pl) != 0)
			return (0);
		p += pl;
		q += ql;
		if (*p == '\0' || *q == '\0')
			return (*p == '\0' && *q == '\0');
	}
}

/**
 * router_match(routes, n, method, path, m):
 * Find the route of the ${n} ${routes} (first match wins) for ${method} (a
 * ROUTER_* bit) and ${path}.  Return ROUTER_FOUND with the route and
 * captured segments in ${m}; ROUTER_METHOD_NOT_ALLOWED with ${m}->allow
 * set; or ROUTER_NOT_FOUND.
 */
enum router_result
router_match(const struct route *routes, size_t n, unsigned int method,
    const char *path, struct router_match *m)
{
	struct router_match tmp;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < n; i++) {
		if (!pattern_match(routes[i].pattern, path, &tmp))
			continue;
		if (routes[i].method == method) {
			memcpy(m->params, tmp.params, sizeof(tmp.params));
			m->nparams = tmp.nparams;
			m->route = &routes[i];
			m->allow |= routes[i].method;
			return (ROUTER_FOUND);
		}
		m->allow |= routes[i].method;
	}
	return (m->allow != 0 ? ROUTER_METHOD_NOT_ALLOWED : ROUTER_NOT_FOUND);
}

/**
 * router_allow(out, cap, set):
 * Write the Allow header value for the ROUTER_* set ${set} ("GET, POST")
 * into ${out}.  Return 0 or -1 if it does not fit.
 */
int
router_allow(char *out, size_t cap, unsigned int set)
{
	size_t i, len = 0, nl;

	if (cap == 0)
		return (-1);
	out[0] = '\0';
	for (i = 0; i < NMETHODS; i++) {
		if ((set & methods[i].bit) == 0)
			continue;
		nl = strlen(methods[i].name);
		if (len + (len > 0 ? 2 : 0) + nl + 1 > cap)
			return (-1);
		if (len > 0) {
			memcpy(out + len, ", ", 2);
			len += 2;
		}
		memcpy(out + len, methods[i].name, nl);
		len += nl;
		out[len] = '\0';
	}
	return (0);
}

/* Return 1 if ${pattern} is well formed, else 0. */
static int
pattern_valid(const char *pattern)
{
	const char *p = pattern;
	size_t pl, ncap = 0, i;

	if (strncmp(pattern, "/api/v1/", 8) != 0)
		return (0);
	while (*p == '/') {
		p++;
		if ((pl = seglen(p)) == 0)
			return (0);
		if (p[0] == '{') {
			if (pl < 3 || p[pl - 1] != '}' ||
			    ++ncap > ROUTER_PARAMS_MAX)
				return (0);
		} else {
			for (i = 0; i < pl; i++)
				if (p[i] == '{' || p[i] == '}')
					return (0);
		}
		p += pl;
	}
	return (*p == '\0');
}

/* Return 1 if two patterns have the same shape (captures alike). */
static int
pattern_same_shape(const char *a, const char *b)
{
	size_t al, bl;

	while (*a == '/' && *b == '/') {
		a++;
		b++;
		al = seglen(a);
		bl = seglen(b);
		if (!(a[0] == '{' && b[0] == '{') &&
		    (al != bl || memcmp(a, b, al) != 0))
			return (0);
		a += al;
		b += bl;
	}
	return (*a == '\0' && *b == '\0');
}

/**
 * router_table_valid(routes, n):
 * Return 1 if every route of ${routes} has one method, a pattern under
 * /api/v1/ with well-formed captures, a handler and a valid body spec
 * (POST and PATCH routes always have one, GET routes never), and no two
 * routes share a method and pattern; else 0.
 */
int
router_table_valid(const struct route *routes, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		const struct route *r = &routes[i];

		for (k = 0; k < NMETHODS; k++)
			if (r->method == methods[k].bit)
				break;
		if (k == NMETHODS || r->pattern == NULL ||
		    !pattern_valid(r->pattern) || r->handler == NULL)
			return (0);
		if (r->method == ROUTER_GET && r->body != NULL)
			return (0);
		if ((r->method == ROUTER_POST || r->method == ROUTER_PATCH) &&
		    (r->body == NULL || !jsonin_spec_valid(r->body)))
			return (0);
		if (r->access != ACCESS_PUBLIC && r->access != ACCESS_SESSION &&
		    r->access != ACCESS_ADMIN && r->access != ACCESS_CONTENT)
			return (0);
		for (j = 0; j < i; j++)
			if (routes[j].method == r->method &&
			    pattern_same_shape(routes[j].pattern, r->pattern))
				return (0);
	}
	return (1);
}
