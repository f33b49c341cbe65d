#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "srvclock.h"

/* The test clock file; "" for the real clock.  Set before threads start. */
static char clock_path[CONFIG_PATH_MAX];

/* Longest test clock file read (digits and a line break). */
#define CLOCK_FILE_MAX 32

/**
 * srvclock_init(cfg):
 * Use the test clock file of ${cfg} from now on (none if its
 * test_clock_file is empty).  Call before starting any thread that reads
 * the clock.  Return 1 if a test clock is now in use, else 0.
 */
int
srvclock_init(const struct config *cfg)
{
	size_t len = strnlen(cfg->test_clock_file, sizeof(clock_path));

	if (len >= sizeof(clock_path))
		len = 0;
	memcpy(clock_path, cfg->test_clock_file, len);
	clock_path[len] = '\0';
	return (len > 0);
}

/**
 * srvclock_parse(buf, len, t):
 * Parse the test clock file content ${buf} (${len} bytes): decimal digits
 * without sign or leading zeros, at most SRVCLOCK_MAX, optionally followed
 * by one line break ("\n" or "\r\n").  Return 0 and the time in ${t}, or -1.
 */
int
srvclock_parse(const char *buf, size_t len, int64_t *t)
{
	int64_t v = 0;
	size_t i, n = len;

	if (n > 0 && buf[n - 1] == '\n') {
		n--;
		if (n > 0 && buf[n - 1] == '\r')
			n--;
	}
	if (n == 0 || (buf[0] == '0' && n > 1))
		return (-1);
	for (i = 0; i < n; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return (-1);
		v = v * 10 + (buf[i] - '0');
		if (v > SRVCLOCK_MAX)
			return (-1);
	}
	*t = v;
	return (0);
}

/* Read the test clock; return 0 and the time in ${t}, or -1. */
static int
read_test_clock(int64_t *t)
{
	char buf[CLOCK_FILE_MAX + 1];
	size_t len = 0;
	ssize_t r;
	int fd;

	if ((fd = open(clock_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return (-1);
	while (len < sizeof(buf)) {
		r = read(fd, buf + len, sizeof(buf) - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len > CLOCK_FILE_MAX)
		return (-1);
	return (srvclock_parse(buf, len, t));
}

/**
 * srvclock_now():
 * Return the current time in Unix seconds: the test clock's if one is in
 * use and its file holds a valid time, else the real time.
 */
int64_t
srvclock_now(void)
{
	int64_t t;

	if (clock_path[0] != '\0' && read_test_clock(&t) == 0)
		return (t);
	return ((int64_t)time(NULL));
}
