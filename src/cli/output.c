#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "output.h"

/* Width of the label column of output_field(). */
#define LABEL_WIDTH 15

/* Longest value output_field() prints. */
#define FIELD_MAX 1024

/*
 * Length of the well-formed UTF-8 sequence at ${p} (1..4), or 0 if the bytes
 * there are not one (RFC 3629 section 4: no overlong forms, no surrogates,
 * nothing above U+10FFFF).
 */
static size_t
utf8_len(const unsigned char *p)
{
	size_t need, i;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 1;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 2;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 3;
	else
		return (0);
	for (i = 1; i <= need; i++)
		if ((p[i] & 0xc0) != 0x80)
			return (0);
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return (0);
	return (need + 1);
}

/**
 * output_init(o, json, out, err):
 * Set ${o} up for JSON mode if ${json} is nonzero, writing results to
 * ${out} and errors and notices to ${err}.
 */
void
output_init(struct output *o, int json, FILE *out, FILE *err)
{

	o->json = json != 0;
	o->out = out;
	o->err = err;
}

/**
 * output_clean(buf, cap, s):
 * Copy ${s} (NULL counts as "-") into ${buf} of ${cap} bytes, replacing
 * control characters (C0, DEL and the UTF-8 encodings of C1) with '?' and
 * cutting at ${cap} - 1 bytes without splitting a UTF-8 sequence.  Return
 * ${buf}.
 */
const char *
output_clean(char *buf, size_t cap, const char *s)
{
	const unsigned char *p;
	size_t n = 0, seq, k;

	if (cap == 0)
		return (buf);
	if (s == NULL)
		s = "-";
	p = (const unsigned char *)s;
	while (*p != '\0') {
		seq = utf8_len(p);
		if (seq == 0 || (seq == 1 && (*p < 0x20 || *p == 0x7f)) ||
		    (*p == 0xc2 && p[1] <= 0x9f)) {
			/*
			 * C0 controls, DEL, U+0080..U+009F (C1 controls such
			 * as CSI) and bytes that are not UTF-8.
			 */
			if (n + 1 >= cap)
				break;
			buf[n++] = '?';
			p += seq == 0 ? 1 : seq;
			continue;
		}
		if (n + seq >= cap)
			break;
		for (k = 0; k < seq; k++)
			buf[n++] = (char)p[k];
		p += seq;
	}
	buf[n] = '\0';
	return (buf);
}

/**
 * output_error(o, status, code, fmt, ...):
 * Report an error once: "error: MESSAGE (CODE)" on stderr in human mode,
 * {"error":{"code":CODE,"message":MESSAGE}} on stdout in JSON mode.
 * Return ${status} (the exit code) for the caller to pass on.
 */
int
output_error(
    const struct output *o, int status, const char *code, const char *fmt, ...)
{
	char msg[OUTPUT_MESSAGE_MAX], clean[OUTPUT_MESSAGE_MAX];
	json_t *obj;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)output_clean(clean, sizeof(clean), msg);
	if (o->json) {
		obj = json_pack(
		    "{s:{s:s,s:s}}", "error", "code", code, "message", clean);
		if (obj != NULL) {
			(void)json_dumpf(obj, o->out, JSON_COMPACT);
			json_decref(obj);
		} else {
			/* Out of memory: a fixed object still parses. */
			fputs("{\"error\":{\"code\":\"internal\",\"message\":"
			      "\"out of memory\"}}",
			    o->out);
		}
		fputc('\n', o->out);
		(void)fflush(o->out);
	} else {
		fprintf(o->err, "error: %s (%s)\n", clean, code);
		(void)fflush(o->err);
	}
	return (status);
}

/**
 * output_json(o, obj):
 * In JSON mode print ${obj} compactly on one line to stdout.  Return 0, or
 * -1 if it cannot be written.  Does nothing (and returns 0) in human mode.
 */
int
output_json(const struct output *o, const json_t *obj)
{

	if (!o->json)
		return (0);
	if (json_dumpf(obj, o->out, JSON_COMPACT) != 0 ||
	    fputc('\n', o->out) == EOF || fflush(o->out) != 0)
		return (-1);
	return (0);
}

/**
 * output_text(o, fmt, ...):
 * In human mode print to stdout; in JSON mode do nothing.
 */
void
output_text(const struct output *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	(void)vfprintf(o->out, fmt, ap);
	va_end(ap);
}

/**
 * output_note(o, fmt, ...):
 * Print a notice (a line for the person at the terminal) to stderr, in
 * either mode.
 */
void
output_note(const struct output *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vfprintf(o->err, fmt, ap);
	va_end(ap);
	(void)fflush(o->err);
}

/**
 * output_field(o, label, value):
 * In human mode print "LABEL  VALUE" with the label padded to a column and
 * ${value} cleaned; a NULL ${value} prints "-".
 */
void
output_field(const struct output *o, const char *label, const char *value)
{
	char clean[FIELD_MAX];

	if (o->json)
		return;
	fprintf(o->out, "%-*s %s\n", LABEL_WIDTH, label,
	    output_clean(clean, sizeof(clean), value));
}

/**
 * output_time(out, t):
 * Format the Unix time ${t} as "YYYY-MM-DD HH:MM:SS UTC" in ${out}.
 */
void
output_time(char out[OUTPUT_TIME_LEN], int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, OUTPUT_TIME_LEN, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		(void)snprintf(out, OUTPUT_TIME_LEN, "@%lld", (long long)t);
}
