#ifndef SRVCLOCK_H_
#define SRVCLOCK_H_

#include <stdint.h>

struct config;

/*
 * dissentd's clock: every "now" the server takes for requests, sessions,
 * deadlines, the scheduler and notifications comes from srvclock_now().  It
 * is the real time unless the configuration names a test clock file
 * (test_clock_file), which tests write to travel in time; then it is the
 * file's content, decimal Unix seconds, whenever the file exists and
 * parses, and the real time otherwise.  Production never sets
 * test_clock_file: anyone who could write that file could move every
 * deadline, so dissentd warns loudly at startup when it is set.
 */

/* Largest time the test clock file may hold: 9999-12-31T23:59:59Z. */
#define SRVCLOCK_MAX 253402300799LL

/**
 * srvclock_init(cfg):
 * Use the test clock file of ${cfg} from now on (none if its
 * test_clock_file is empty).  Call before starting any thread that reads
 * the clock.  Return 1 if a test clock is now in use, else 0.
 */
int srvclock_init(const struct config *cfg);

/**
 * srvclock_now():
 * Return the current time in Unix seconds: the test clock's if one is in
 * use and its file holds a valid time, else the real time.
 */
int64_t srvclock_now(void);

/**
 * srvclock_parse(buf, len, t):
 * Parse the test clock file content ${buf} (${len} bytes): decimal digits
 * without sign or leading zeros, at most SRVCLOCK_MAX, optionally followed
 * by one line break ("\n" or "\r\n").  Return 0 and the time in ${t}, or -1.
 */
int srvclock_parse(const char *buf, size_t len, int64_t *t)
    __attribute__((warn_unused_result));

#endif /* !SRVCLOCK_H_ */
