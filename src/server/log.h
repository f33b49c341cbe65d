#ifndef LOG_H_
#define LOG_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Structured logging: one JSON object per line on stderr, e.g.
 *   {"ts":"2025-11-29T05:51:00.123Z","level":"info","msg":"request",...}
 * Each line is written with a single write(2), so lines from different
 * threads do not interleave.  Callers never pass bodies, tokens, cookies,
 * codes, keys or passwords: only the fields named at each call site.
 */
enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

enum log_field_type { LOG_FIELD_STR, LOG_FIELD_INT, LOG_FIELD_BOOL };

struct log_field {
	const char *key;
	enum log_field_type type;
	const char *s;
	int64_t i;
};

/* Field constructors for log_fields(). */
#define LOG_STR(k, v) ((struct log_field){(k), LOG_FIELD_STR, (v), 0})
#define LOG_INT(k, v)                                                          \
	((struct log_field){(k), LOG_FIELD_INT, NULL, (int64_t)(v)})
#define LOG_BOOL(k, v)                                                         \
	((struct log_field){(k), LOG_FIELD_BOOL, NULL, (v) ? 1 : 0})

/* Longest line written; longer string values are cut short. */
#define LOG_LINE_MAX 2048

/**
 * log_set_level(level):
 * Write only messages at ${level} or more severe from now on.
 */
void log_set_level(enum log_level level);

/**
 * log_enabled(level):
 * Return 1 if a message at ${level} would be written, else 0.
 */
int log_enabled(enum log_level level);

/**
 * log_level_parse(name, level):
 * Parse "error", "warn", "info" or "debug" into ${level}.  Return 0 or -1.
 */
int log_level_parse(const char *name, enum log_level *level)
    __attribute__((warn_unused_result));

/**
 * log_fields(level, msg, fields, n):
 * Write one line at ${level} with message ${msg} and the ${n} ${fields}.
 */
void log_fields(enum log_level level, const char *msg,
    const struct log_field *fields, size_t n);

/**
 * log_msg(level, msg):
 * Write one line at ${level} with message ${msg} and no other fields.
 */
void log_msg(enum log_level level, const char *msg);

/**
 * log_format_line(out, cap, ts_ms, level, msg, fields, n):
 * Format the line log_fields() would write at Unix time ${ts_ms}
 * (milliseconds), newline included, into ${out} of ${cap} bytes, cutting
 * string values short if needed.  Return the length written.
 */
size_t log_format_line(char *out, size_t cap, int64_t ts_ms,
    enum log_level level, const char *msg, const struct log_field *fields,
    size_t n);

#endif /* !LOG_H_ */
