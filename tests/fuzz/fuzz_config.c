/*
 * libFuzzer target: the strict configuration file parser
 * (src/server/config.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[CONFIG_ERR_MAX];

	config_defaults(&c);
	err[0] = '\0';
	if (config_parse_buf(&c, (const char *)data, size, "fuzz.conf", err,
		sizeof(err)) != 0) {
		if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		return (0);
	}
	/* Whatever was accepted is within the documented ranges. */
	if (c.port > 65535 || c.login_lock_seconds > 3600 ||
	    c.listen[sizeof(c.listen) - 1] != '\0' ||
	    c.time_zone[sizeof(c.time_zone) - 1] != '\0')
		abort();
	if (config_check(&c, err, sizeof(err)) != 0 && err[0] == '\0')
		abort();
	return (0);
}
