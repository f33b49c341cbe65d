#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static atomic_int log_level_now = LOG_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

/* A bounded line under construction; room is kept for the closing "}\n". */
struct line {
	char *p;
	size_t cap; /* usable bytes, excluding the reserved tail */
	size_t len;
	int full; /* a field did not fit: write no further fields */
};

#define LINE_TAIL 3 /* "}\n" and the NUL */

/* Append ${n} bytes of ${s} if they all fit; return 0 or -1. */
static int
line_put(struct line *l, const char *s, size_t n)
{

	if (l->full || n > l->cap - l->len) {
		l->full = 1;
		return (-1);
	}
	memcpy(l->p + l->len, s, n);
	l->len += n;
	return (0);
}

/*
 * Length of the valid UTF-8 sequence at ${s} (at most ${n} bytes
 * available), or 0 if the bytes there are not valid UTF-8 (RFC 3629 §4).
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return (1);
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0; /* no overlong forms */
		else if (s[0] == 0xed)
			hi = 0x9f; /* no surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f; /* nothing above U+10FFFF */
	} else
		return (0);
	if (len > n)
		return (0);
	if (s[1] < lo || s[1] > hi)
		return (0);
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return (0);
	return (len);
}

/*
 * Append ${s} as a JSON string, cutting it short (never inside a UTF-8
 * sequence or an escape) if the line is nearly full.  Invalid UTF-8 bytes
 * become U+FFFD so the line stays valid JSON whatever ${s} holds.
 */
static void
line_put_string(struct line *l, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), seq;
	char esc[8];
	const char *out;
	size_t outlen;

	/* Room for both quotes is needed before anything else. */
	if (l->full || l->cap - l->len < 2) {
		l->full = 1;
		return;
	}
	l->p[l->len++] = '"';
	while (n > 0) {
		seq = 1;
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			out = esc;
			outlen = 2;
		} else if (*p < 0x20 || *p == 0x7f) {
			outlen = (size_t)snprintf(
			    esc, sizeof(esc), "\\u%04x", (unsigned int)*p);
			out = esc;
		} else if ((seq = utf8_seq(p, n)) == 0) {
			seq = 1;
			out = "\\ufffd";
			outlen = 6;
		} else {
			out = (const char *)p;
			outlen = seq;
		}
		/* Keep one byte for the closing quote. */
		if (outlen + 1 > l->cap - l->len)
			break;
		memcpy(l->p + l->len, out, outlen);
		l->len += outlen;
		p += seq;
		n -= seq;
	}
	l->p[l->len++] = '"';
}

/*
 * Append ,"key": if there is room for it and ${vlen} bytes of value (2 for
 * a string value, which is cut short to fit); return 0 or -1.
 */
static int
line_put_key(struct line *l, const char *key, size_t vlen)
{

	/* The key, its quotes, the comma, the colon and the value. */
	if (l->full || strlen(key) + 4 + vlen > l->cap - l->len) {
		l->full = 1;
		return (-1);
	}
	l->p[l->len++] = ',';
	line_put_string(l, key);
	l->p[l->len++] = ':';
	return (0);
}

/**
 * log_set_level(level):
 * Write only messages at ${level} or more severe from now on.
 */
void
log_set_level(enum log_level level)
{

	atomic_store(&log_level_now, (int)level);
}

/**
 * log_enabled(level):
 * Return 1 if a message at ${level} would be written, else 0.
 */
int
log_enabled(enum log_level level)
{

	return ((int)level <= atomic_load(&log_level_now));
}

/**
 * log_level_parse(name, level):
 * Parse "error", "warn", "info" or "debug" into ${level}.  Return 0 or -1.
 */
int
log_level_parse(const char *name, enum log_level *level)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*level = (enum log_level)i;
			return (0);
		}
	}
	return (-1);
}

/**
 * log_format_line(out, cap, ts_ms, level, msg, fields, n):
 * Format the line log_fields() would write at Unix time ${ts_ms}
 * (milliseconds), newline included, into ${out} of ${cap} bytes, cutting
 * string values short if needed.  Return the length written.
 */
size_t
log_format_line(char *out, size_t cap, int64_t ts_ms, enum log_level level,
    const char *msg, const struct log_field *fields, size_t n)
{
	struct line l;
	struct tm tm;
	time_t secs;
	char tmp[64];
	size_t i;
	int len;

	if (cap < 64) {
		if (cap > 0)
			out[0] = '\0';
		return (0);
	}
	l.p = out;
	l.cap = cap - LINE_TAIL;
	l.len = 0;
	l.full = 0;

	secs = (time_t)(ts_ms / 1000);
	if (gmtime_r(&secs, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	len = snprintf(tmp, sizeof(tmp),
	    "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\",\"level\":",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (int)(ts_ms % 1000));
	if (len > 0 && (size_t)len < sizeof(tmp))
		(void)line_put(&l, tmp, (size_t)len);
	line_put_string(
	    &l, level_names[level <= LOG_DEBUG ? level : LOG_DEBUG]);
	if (line_put_key(&l, "msg", 2) == 0)
		line_put_string(&l, msg);

	for (i = 0; i < n && !l.full; i++) {
		if (fields[i].type == LOG_FIELD_STR && fields[i].s != NULL) {
			if (line_put_key(&l, fields[i].key, 2) == 0)
				line_put_string(&l, fields[i].s);
			continue;
		}
		if (fields[i].type == LOG_FIELD_INT)
			len = snprintf(
			    tmp, sizeof(tmp), "%lld", (long long)fields[i].i);
		else if (fields[i].type == LOG_FIELD_BOOL)
			len = snprintf(tmp, sizeof(tmp), "%s",
			    fields[i].i ? "true" : "false");
		else
			len = snprintf(tmp, sizeof(tmp), "null");
		if (len <= 0 || (size_t)len >= sizeof(tmp))
			break;
		if (line_put_key(&l, fields[i].key, (size_t)len) == 0)
			(void)line_put(&l, tmp, (size_t)len);
	}

	memcpy(l.p + l.len, "}\n", 3);
	return (l.len + 2);
}

/**
 * log_fields(level, msg, fields, n):
 * Write one line at ${level} with message ${msg} and the ${n} ${fields}.
 */
void
log_fields(enum log_level level, const char *msg,
    const struct log_field *fields, size_t n)
{
	char buf[LOG_LINE_MAX];
	struct timespec ts;
	size_t len, off = 0;
	ssize_t w;
	int saved = errno;

	if (!log_enabled(level))
		return;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		memset(&ts, 0, sizeof(ts));
	len = log_format_line(buf, sizeof(buf),
	    (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, level, msg,
	    fields, n);
	while (off < len) {
		w = write(STDERR_FILENO, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* Nowhere left to report a logging failure. */
		off += (size_t)w;
	}
	errno = saved;
}

/**
 * log_msg(level, msg):
 * Write one line at ${level} with message ${msg} and no other fields.
 */
void
log_msg(enum log_level level, const char *msg)
{

	log_fields(level, msg, NULL, 0);
}
