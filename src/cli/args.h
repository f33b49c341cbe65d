#ifndef ARGS_H_
#define ARGS_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Command-line flag parsing for one command: long flags only ("--name
 * VALUE" or "--name=VALUE"), plus "-h"/"--help".  Anything else starting
 * with '-' is an unknown flag; "--" ends the flags.  A flag given twice is
 * refused, so a script cannot silently override itself.
 */

/* Most flags one parse accepts (the command's own plus the global ones). */
#define ARGS_SPEC_MAX 32

/* Largest file descriptor number accepted by ARGS_FD. */
#define ARGS_FD_MAX 65535

enum args_kind {
	ARGS_FLAG,   /* no value; *(int *)out = 1 */
	ARGS_STRING, /* *(const char **)out = the value, in argv */
	ARGS_FD,     /* *(int *)out = a descriptor, 0..ARGS_FD_MAX */
	ARGS_U64     /* *(uint64_t *)out = a decimal number */
};

struct args_spec {
	const char *name; /* "--code-fd" */
	enum args_kind kind;
	void *out;
};

/* args_parse() found "-h" or "--help". */
#define ARGS_HELP 1

/**
 * args_parse(spec, nspec, argc, argv, pos, posmax, npos, err, errcap):
 * Parse ${argv}[0..${argc}) against the ${nspec} flags of ${spec}, storing
 * values through each spec's out pointer and up to ${posmax} positional
 * arguments in ${pos} (their count in ${npos}).  Return 0, ARGS_HELP if
 * help was asked for (parsing stops there), or -1 with a message in ${err}
 * for an unknown flag, a missing or malformed value, a flag given twice or
 * too many positional arguments.
 */
int args_parse(const struct args_spec *spec, size_t nspec, int argc,
    char **argv, const char **pos, size_t posmax, size_t *npos, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * args_u64(s, out):
 * Parse the decimal number ${s} (digits only, no sign, no overflow) into
 * ${out}.  Return 0 or -1.
 */
int args_u64(const char *s, uint64_t *out) __attribute__((warn_unused_result));

#endif /* !ARGS_H_ */
