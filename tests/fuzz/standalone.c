/*
 * A driver that runs a libFuzzer target without libFuzzer: every file in the
 * corpus directory given as argv[1] (if it exists), then a fixed number of
 * pseudo-random inputs from a fixed seed, so a run is repeatable.  It lets
 * the fuzz targets run as ordinary regression tests in every build.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STANDALONE_MAX_INPUT (256 * 1024)
#define STANDALONE_RANDOM_RUNS 20000

static int
run_file(const char *path)
{
	static uint8_t buf[STANDALONE_MAX_INPUT];
	FILE *f;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return (-1);
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return (0);
}

/* xorshift64*: deterministic inputs, not security. */
static uint64_t
next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return (*state * 0x2545F4914F6CDD1DULL);
}

int
main(int argc, char *argv[])
{
	static uint8_t buf[4096];
	uint64_t state = 0x9E3779B97F4A7C15ULL;
	size_t files = 0;
	size_t i, j, len;
	DIR *dir;
	struct dirent *de;
	char path[4096];

	if (argc > 1 && (dir = opendir(argv[1])) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if ((size_t)snprintf(path, sizeof(path), "%s/%s",
			    argv[1], de->d_name) >= sizeof(path))
				continue;
			if (run_file(path) != 0) {
				closedir(dir);
				return (1);
			}
			files++;
		}
		closedir(dir);
	}
	for (i = 0; i < STANDALONE_RANDOM_RUNS; i++) {
		len = (size_t)(next_random(&state) % sizeof(buf));
		for (j = 0; j < len; j++)
			buf[j] = (uint8_t)next_random(&state);
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("%zu corpus files and %d random inputs ran cleanly\n", files,
	    STANDALONE_RANDOM_RUNS);
	return (0);
}
