#ifndef OUTPUT_H_
#define OUTPUT_H_

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/*
 * What the CLI prints.  Human mode writes concise text to stdout and
 * errors and notices to stderr.  JSON mode (--json) writes exactly one JSON
 * object, on one line, to stdout per command: the result, or
 * {"error":{"code","message"}}; notices still go to stderr.
 *
 * Text that came from the server is cleaned before a terminal sees it
 * (control characters become '?'), so a hostile server cannot send
 * terminal escape sequences.
 */

/* "2025-11-29 18:00:00 UTC" plus the NUL. */
#define OUTPUT_TIME_LEN 32

/* Longest message output_error() prints (longer ones are cut). */
#define OUTPUT_MESSAGE_MAX 512

struct output {
	int json;
	FILE *out;
	FILE *err;
};

/**
 * output_init(o, json, out, err):
 * Set ${o} up for JSON mode if ${json} is nonzero, writing results to
 * ${out} and errors and notices to ${err}.
 */
void output_init(struct output *o, int json, FILE *out, FILE *err);

/**
 * output_error(o, status, code, fmt, ...):
 * Report an error once: "error: MESSAGE (CODE)" on stderr in human mode,
 * {"error":{"code":CODE,"message":MESSAGE}} on stdout in JSON mode.
 * Return ${status} (the exit code) for the caller to pass on.
 */
int output_error(const struct output *o, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * output_json(o, obj):
 * In JSON mode print ${obj} compactly on one line to stdout.  Return 0, or
 * -1 if it cannot be written.  Does nothing (and returns 0) in human mode.
 */
int output_json(const struct output *o, const json_t *obj)
    __attribute__((warn_unused_result));

/**
 * output_text(o, fmt, ...):
 * In human mode print to stdout; in JSON mode do nothing.
 */
void output_text(const struct output *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * output_note(o, fmt, ...):
 * Print a notice (a line for the person at the terminal) to stderr, in
 * either mode.
 */
void output_note(const struct output *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * output_field(o, label, value):
 * In human mode print "LABEL  VALUE" with the label padded to a column and
 * ${value} cleaned; a NULL ${value} prints "-".
 */
void output_field(const struct output *o, const char *label, const char *value);

/**
 * output_clean(buf, cap, s):
 * Copy ${s} (NULL counts as "-") into ${buf} of ${cap} bytes, replacing
 * control characters (C0, DEL and the UTF-8 encodings of C1) with '?' and
 * cutting at ${cap} - 1 bytes without splitting a UTF-8 sequence.  Return
 * ${buf}.
 */
const char *output_clean(char *buf, size_t cap, const char *s);

/**
 * output_time(out, t):
 * Format the Unix time ${t} as "YYYY-MM-DD HH:MM:SS UTC" in ${out}.
 */
void output_time(char out[OUTPUT_TIME_LEN], int64_t t);

#endif /* !OUTPUT_H_ */
