#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "args.h"

/* Find the spec named by the first ${len} bytes of ${name}, or NULL. */
static const struct args_spec *
find(const struct args_spec *spec, size_t nspec, const char *name, size_t len,
    size_t *idx)
{
	size_t i;

	for (i = 0; i < nspec; i++) {
		if (strlen(spec[i].name) == len &&
		    memcmp(spec[i].name, name, len) == 0) {
			*idx = i;
			return (&spec[i]);
		}
	}
	return (NULL);
}

/**
 * args_u64(s, out):
 * Parse the decimal number ${s} (digits only, no sign, no overflow) into
 * ${out}.  Return 0 or -1.
 */
int
args_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned int d;

	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		d = (unsigned int)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return (-1);
		v = v * 10 + d;
	}
	*out = v;
	return (0);
}

/* Store ${value} for ${s}; return 0, or -1 with a message in ${err}. */
static int
store_value(
    const struct args_spec *s, const char *value, char *err, size_t errcap)
{
	uint64_t v;

	switch (s->kind) {
	case ARGS_STRING:
		*(const char **)s->out = value;
		return (0);
	case ARGS_FD:
		if (args_u64(value, &v) != 0 || v > ARGS_FD_MAX) {
			(void)snprintf(err, errcap,
			    "%s needs a file "
			    "descriptor number",
			    s->name);
			return (-1);
		}
		*(int *)s->out = (int)v;
		return (0);
	case ARGS_U64:
		if (args_u64(value, &v) != 0) {
			(void)snprintf(err, errcap,
			    "%s needs a non-negative "
			    "decimal number",
			    s->name);
			return (-1);
		}
		*(uint64_t *)s->out = v;
		return (0);
	case ARGS_FLAG:
		break;
	}
	(void)snprintf(err, errcap, "%s takes no value", s->name);
	return (-1);
}

/**
 * args_parse(spec, nspec, argc, argv, pos, posmax, npos, err, errcap):
 * Parse ${argv}[0..${argc}) against the ${nspec} flags of ${spec}, storing
 * values through each spec's out pointer and up to ${posmax} positional
 * arguments in ${pos} (their count in ${npos}).  Return 0, ARGS_HELP if
 * help was asked for (parsing stops there), or -1 with a message in ${err}
 * for an unknown flag, a missing or malformed value, a flag given twice or
 * too many positional arguments.
 */
int
args_parse(const struct args_spec *spec, size_t nspec, int argc, char **argv,
    const char **pos, size_t posmax, size_t *npos, char *err, size_t errcap)
{
	unsigned char seen[ARGS_SPEC_MAX];
	const struct args_spec *s;
	const char *a, *eq;
	size_t idx, namelen;
	int i, flags_done = 0;

	*npos = 0;
	if (nspec > ARGS_SPEC_MAX) {
		(void)snprintf(err, errcap, "too many flags in one command");
		return (-1);
	}
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (flags_done || a[0] != '-' || a[1] == '\0') {
			if (*npos >= posmax) {
				(void)snprintf(err, errcap,
				    "unexpected argument \"%.64s\"", a);
				return (-1);
			}
			pos[(*npos)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			flags_done = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			return (ARGS_HELP);
		eq = strchr(a, '=');
		namelen = eq != NULL ? (size_t)(eq - a) : strlen(a);
		if (a[1] != '-' ||
		    (s = find(spec, nspec, a, namelen, &idx)) == NULL) {
			(void)snprintf(err, errcap, "unknown option \"%.*s\"",
			    (int)(namelen > 64 ? 64 : namelen), a);
			return (-1);
		}
		if (seen[idx]) {
			(void)snprintf(err, errcap, "%s given twice", s->name);
			return (-1);
		}
		seen[idx] = 1;
		if (s->kind == ARGS_FLAG) {
			if (eq != NULL) {
				(void)snprintf(
				    err, errcap, "%s takes no value", s->name);
				return (-1);
			}
			*(int *)s->out = 1;
			continue;
		}
		if (eq == NULL) {
			if (i + 1 >= argc) {
				(void)snprintf(
				    err, errcap, "%s needs a value", s->name);
				return (-1);
			}
			eq = argv[++i];
		} else {
			eq++;
		}
		if (store_value(s, eq, err, errcap) != 0)
			return (-1);
	}
	return (0);
}
