/*
 * Per-server records in the state directory (home_record_load(),
 * home_record_save(): log-heads.json, audit.json): one record per server
 * URL, others kept, private mode, atomic replacement, malformed files and
 * open permissions refused, a size cap; and home_path_split() for --state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "home.h"
#include "jsonmem.h"

#define A "https://a.example"
#define B "http://127.0.0.1:8080"

static int
setup(void **state)
{
	static char dir[512];
	const char *tmp = getenv("TMPDIR");

	(void)snprintf(dir, sizeof(dir), "%s/test_cli_home_records.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return (-1);
	*state = dir;
	return (0);
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (char *)*state);
	return (system(cmd) == 0 ? 0 : -1);
}

/* Write ${text} to ${dir}/${name} with ${mode}. */
static void
put(const char *dir, const char *name, const char *text, mode_t mode)
{
	char path[1024];
	int fd;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
save(const char *dir, const char *key, json_t *rec)
{
	char err[256];

	assert_int_equal(home_record_save(dir, HOME_LOG_HEADS_FILE,
			     HOME_FILE_MAX, key, rec, err, sizeof(err)),
	    0);
	json_decref(rec);
}

static int
load(const char *dir, const char *key, json_t **rec)
{
	char err[256];

	return (home_record_load(dir, HOME_LOG_HEADS_FILE, HOME_FILE_MAX, key,
	    rec, err, sizeof(err)));
}

static void
test_no_file_means_no_record(void **state)
{
	json_t *sentinel = json_object(), *rec = sentinel;

	assert_int_equal(load(*state, A, &rec), 1);
	assert_null(rec);
	json_decref(sentinel);
}

static void
test_records_are_kept_per_server(void **state)
{
	json_t *rec;

	save(*state, A, json_pack("{s:i}", "size", 1));
	save(*state, B, json_pack("{s:i}", "size", 2));
	save(*state, A, json_pack("{s:i}", "size", 3));
	assert_int_equal(load(*state, A, &rec), 0);
	assert_int_equal(json_integer_value(json_object_get(rec, "size")), 3);
	json_decref(rec);
	assert_int_equal(load(*state, B, &rec), 0);
	assert_int_equal(json_integer_value(json_object_get(rec, "size")), 2);
	json_decref(rec);
	assert_int_equal(load(*state, "https://other.example", &rec), 1);
}

static void
test_records_file_is_private(void **state)
{
	char path[1024];
	struct stat st;

	save(*state, A, json_pack("{s:i}", "size", 1));
	(void)snprintf(
	    path, sizeof(path), "%s/%s", (char *)*state, HOME_LOG_HEADS_FILE);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void
test_open_permissions_are_refused(void **state)
{
	char err[256];
	json_t *rec;

	put(*state, HOME_LOG_HEADS_FILE, "{}", 0644);
	assert_int_equal(load(*state, A, &rec), -1);
	/* And a save does not silently replace it. */
	rec = json_object();
	assert_int_equal(home_record_save(*state, HOME_LOG_HEADS_FILE,
			     HOME_FILE_MAX, A, rec, err, sizeof(err)),
	    -1);
	json_decref(rec);
}

static void
test_malformed_files_and_records_are_refused(void **state)
{
	json_t *rec;

	put(*state, HOME_LOG_HEADS_FILE, "[1,2]", 0600);
	assert_int_equal(load(*state, A, &rec), -1);
	put(*state, HOME_LOG_HEADS_FILE, "{\"" A "\": 5}", 0600);
	assert_int_equal(load(*state, A, &rec), -1);
	put(*state, HOME_LOG_HEADS_FILE, "{\"" A "\": {}, \"" A "\": {}}",
	    0600);
	assert_int_equal(load(*state, A, &rec), -1);
	put(*state, HOME_LOG_HEADS_FILE, "{", 0600);
	assert_int_equal(load(*state, A, &rec), -1);
}

static void
test_files_beyond_the_cap_are_refused(void **state)
{
	char err[256];
	json_t *rec;

	put(*state, HOME_AUDIT_FILE, "{\"" A "\": {\"pad\": \"0123456789\"}}",
	    0600);
	assert_int_equal(home_record_load(*state, HOME_AUDIT_FILE, 16, A, &rec,
			     err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "too large"));
	assert_int_equal(home_record_load(*state, HOME_AUDIT_FILE,
			     HOME_AUDIT_FILE_MAX, A, &rec, err, sizeof(err)),
	    0);
	json_decref(rec);
}

static void
test_path_split(void **state)
{
	char dir[HOME_PATH_MAX], name[HOME_PATH_MAX], err[256];

	(void)state;
	assert_int_equal(
	    home_path_split("state.json", dir, name, err, sizeof(err)), 0);
	assert_string_equal(dir, ".");
	assert_string_equal(name, "state.json");
	assert_int_equal(
	    home_path_split("/var/lib/a/s.json", dir, name, err, sizeof(err)),
	    0);
	assert_string_equal(dir, "/var/lib/a");
	assert_string_equal(name, "s.json");
	assert_int_equal(
	    home_path_split("/s.json", dir, name, err, sizeof(err)), 0);
	assert_string_equal(dir, "/");
	assert_string_equal(name, "s.json");
	assert_int_equal(home_path_split("", dir, name, err, sizeof(err)), -1);
	assert_int_equal(
	    home_path_split("dir/", dir, name, err, sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_no_file_means_no_record, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_records_are_kept_per_server, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_records_file_is_private, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_open_permissions_are_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_malformed_files_and_records_are_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_files_beyond_the_cap_are_refused, setup, teardown),
	    cmocka_unit_test(test_path_split),
	};

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
