/*
 * The client's state directory: where it is, its permissions, atomic
 * replacement of files, wiping of the session file, and the session
 * file's round trip.
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

/* A fresh directory under $TMPDIR for each test. */
static int
setup(void **state)
{
	static char dir[512];
	const char *tmp = getenv("TMPDIR");

	(void)snprintf(dir, sizeof(dir), "%s/test_cli_home.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return (-1);
	*state = dir;
	return (0);
}

/* Remove the test directory and what the tests left in it. */
static int
teardown(void **state)
{
	char cmd[600];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", (char *)*state);
	return (system(cmd) == 0 ? 0 : -1);
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return (st.st_mode & 07777);
}

/* Number of entries in ${dir} other than . and .. */
static int
entries(const char *dir)
{
	struct dirent *e;
	DIR *d;
	int n = 0;

	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return (n);
}

static void
test_resolve_prefers_flag_then_env_then_xdg_then_home(void **state)
{
	char out[HOME_PATH_MAX], err[256];

	(void)state;
	setenv("DISSENT_HOME", "/d/home", 1);
	setenv("XDG_CONFIG_HOME", "/x/config", 1);
	setenv("HOME", "/h", 1);
	assert_int_equal(
	    home_resolve(out, sizeof(out), "/flag/", err, sizeof(err)), 0);
	assert_string_equal(out, "/flag");
	assert_int_equal(
	    home_resolve(out, sizeof(out), NULL, err, sizeof(err)), 0);
	assert_string_equal(out, "/d/home");
	setenv("DISSENT_HOME", "", 1);
	assert_int_equal(
	    home_resolve(out, sizeof(out), NULL, err, sizeof(err)), 0);
	assert_string_equal(out, "/x/config/dissent");
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(
	    home_resolve(out, sizeof(out), NULL, err, sizeof(err)), 0);
	assert_string_equal(out, "/h/.config/dissent");
	unsetenv("HOME");
	unsetenv("DISSENT_HOME");
	assert_int_equal(
	    home_resolve(out, sizeof(out), NULL, err, sizeof(err)), -1);
}

static void
test_prepare_creates_directory_and_parents_0700(void **state)
{
	char dir[600], parent[600], err[256];

	(void)snprintf(parent, sizeof(parent), "%s/a", (char *)*state);
	(void)snprintf(dir, sizeof(dir), "%s/a/b", (char *)*state);
	assert_int_equal(home_prepare(dir, err, sizeof(err)), 0);
	assert_int_equal(mode_of(dir), 0700);
	assert_int_equal(mode_of(parent), 0700);
	/* Preparing again is fine. */
	assert_int_equal(home_prepare(dir, err, sizeof(err)), 0);
}

static void
test_prepare_refuses_directory_open_to_others(void **state)
{
	char err[256];

	assert_int_equal(chmod(*state, 0755), 0);
	assert_int_equal(home_prepare(*state, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "chmod 700"));
}

static void
test_prepare_refuses_a_file(void **state)
{
	char path[600], err[256];
	int fd;

	(void)snprintf(path, sizeof(path), "%s/file", (char *)*state);
	assert_true((fd = open(path, O_CREAT | O_WRONLY, 0600)) >= 0);
	close(fd);
	assert_int_equal(home_prepare(path, err, sizeof(err)), -1);
}

static void
test_write_creates_private_file_and_leaves_no_temporary(void **state)
{
	char path[600], err[256], *data;
	size_t len;

	assert_int_equal(
	    home_write_file(*state, "f.json", "one", 3, err, sizeof(err)), 0);
	(void)snprintf(path, sizeof(path), "%s/f.json", (char *)*state);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(entries(*state), 1);
	assert_int_equal(
	    home_read_file(*state, "f.json", &data, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 3);
	assert_string_equal(data, "one");
	home_data_free(data);
}

static void
test_write_replaces_file_whole(void **state)
{
	char path[600], err[256], buf[32], *data;
	size_t len;
	int old;

	assert_int_equal(
	    home_write_file(*state, "f", "first version", 13, err, sizeof(err)),
	    0);
	/* A reader holding the old file keeps seeing all of it. */
	(void)snprintf(path, sizeof(path), "%s/f", (char *)*state);
	assert_true((old = open(path, O_RDONLY)) >= 0);
	assert_int_equal(
	    home_write_file(*state, "f", "2nd", 3, err, sizeof(err)), 0);
	assert_int_equal(
	    home_read_file(*state, "f", &data, &len, err, sizeof(err)), 0);
	assert_string_equal(data, "2nd");
	home_data_free(data);
	assert_int_equal(read(old, buf, sizeof(buf)), 13);
	assert_memory_equal(buf, "first version", 13);
	close(old);
	assert_int_equal(entries(*state), 1);
}

static void
test_read_reports_missing_file(void **state)
{
	char err[256], *data;
	size_t len;

	assert_int_equal(
	    home_read_file(*state, "absent", &data, &len, err, sizeof(err)), 1);
	assert_null(data);
}

static void
test_read_refuses_file_readable_by_others(void **state)
{
	char path[600], err[256], *data;
	size_t len;

	assert_int_equal(
	    home_write_file(*state, "f", "x", 1, err, sizeof(err)), 0);
	(void)snprintf(path, sizeof(path), "%s/f", (char *)*state);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(
	    home_read_file(*state, "f", &data, &len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0600"));
}

static void
test_read_refuses_symlink(void **state)
{
	char path[600], err[256], *data;
	size_t len;

	assert_int_equal(
	    home_write_file(*state, "real", "x", 1, err, sizeof(err)), 0);
	(void)snprintf(path, sizeof(path), "%s/link", (char *)*state);
	assert_int_equal(symlink("real", path), 0);
	assert_int_equal(
	    home_read_file(*state, "link", &data, &len, err, sizeof(err)), -1);
}

static void
test_remove_overwrites_with_zeros_before_unlinking(void **state)
{
	char path[600], link_path[600], err[256], buf[64];
	int fd;
	ssize_t n, i;

	assert_int_equal(home_write_file(*state, "session.json",
			     "secret seed material", 20, err, sizeof(err)),
	    0);
	(void)snprintf(path, sizeof(path), "%s/session.json", (char *)*state);
	(void)snprintf(
	    link_path, sizeof(link_path), "%s/witness", (char *)*state);
	/* A second name for the same inode shows what the data became. */
	assert_int_equal(link(path, link_path), 0);
	assert_int_equal(
	    home_remove_file(*state, "session.json", err, sizeof(err)), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_true((fd = open(link_path, O_RDONLY)) >= 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, 20);
	for (i = 0; i < n; i++)
		assert_int_equal(buf[i], 0);
	/* Removing again: nothing there. */
	assert_int_equal(
	    home_remove_file(*state, "session.json", err, sizeof(err)), 1);
}

static void
test_session_round_trips(void **state)
{
	struct home_session *s = home_session_new(), *t = home_session_new();
	char path[600], err[256];

	assert_non_null(s);
	assert_non_null(t);
	(void)snprintf(s->server, sizeof(s->server), "https://d.example");
	(void)snprintf(s->token, sizeof(s->token), "tok_en-123");
	(void)snprintf(
	    s->member_id, sizeof(s->member_id), "m_0123456789abcdef01234567");
	(void)snprintf(s->handle, sizeof(s->handle), "alice");
	s->expires_at = 1764400000;
	randombytes_buf(s->seed, sizeof(s->seed));
	assert_int_equal(home_session_save(*state, s, err, sizeof(err)), 0);
	(void)snprintf(path, sizeof(path), "%s/session.json", (char *)*state);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(home_session_load(*state, t, err, sizeof(err)), 0);
	assert_string_equal(t->server, s->server);
	assert_string_equal(t->token, s->token);
	assert_string_equal(t->member_id, s->member_id);
	assert_string_equal(t->handle, s->handle);
	assert_int_equal(t->expires_at, s->expires_at);
	assert_memory_equal(t->seed, s->seed, sizeof(s->seed));
	home_session_free(s);
	home_session_free(t);
}

static void
test_session_load_reports_missing_file(void **state)
{
	struct home_session *s = home_session_new();
	char err[256];

	assert_int_equal(home_session_load(*state, s, err, sizeof(err)), 1);
	home_session_free(s);
}

static void
test_session_load_refuses_malformed_file(void **state)
{
	static const char *const bad[] = {
	    "not json",
	    "[]",
	    "{\"server\":\"s\",\"token\":\"t\",\"expires_at\":1,"
	    "\"member_id\":\"m_0123456789abcdef01234567\","
	    "\"handle\":\"a\",\"seed\":\"AAAA\"}",
	    "{\"server\":\"s\",\"token\":\"t\",\"expires_at\":\"1\","
	    "\"member_id\":\"m_0123456789abcdef01234567\","
	    "\"handle\":\"a\",\"seed\":"
	    "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
	    "{\"server\":\"s\",\"token\":\"t\",\"expires_at\":1,"
	    "\"member_id\":\"alice\",\"handle\":\"a\",\"seed\":"
	    "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
	};
	struct home_session *s = home_session_new();
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(home_write_file(*state, "session.json", bad[i],
				     strlen(bad[i]), err, sizeof(err)),
		    0);
		assert_int_equal(
		    home_session_load(*state, s, err, sizeof(err)), -1);
	}
	home_session_free(s);
}

static void
test_config_missing_is_empty_object_and_round_trips(void **state)
{
	char err[256];
	json_t *c, *d;

	assert_non_null(c = home_config_load(*state, err, sizeof(err)));
	assert_int_equal(json_object_size(c), 0);
	assert_int_equal(
	    json_object_set_new(c, "server", json_string("http://x")), 0);
	assert_int_equal(home_config_save(*state, c, err, sizeof(err)), 0);
	assert_non_null(d = home_config_load(*state, err, sizeof(err)));
	assert_true(json_equal(c, d));
	json_decref(c);
	json_decref(d);
}

static void
test_secret_file_is_created_0600_and_never_overwritten(void **state)
{
	char path[600], err[256], buf[64];
	int fd;
	ssize_t n;

	(void)snprintf(path, sizeof(path), "%s/recovery.txt", (char *)*state);
	assert_true((fd = home_secret_file_open(path, err, sizeof(err))) >= 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(
	    home_secret_file_finish(fd, path, "CODE\n", 5, err, sizeof(err)),
	    0);
	assert_int_equal(home_secret_file_open(path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "never overwritten"));
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "CODE\n", 5);
}

static void
test_abandoned_secret_file_is_removed(void **state)
{
	char path[600], err[256];
	int fd;

	(void)snprintf(path, sizeof(path), "%s/code.txt", (char *)*state);
	assert_true((fd = home_secret_file_open(path, err, sizeof(err))) >= 0);
	home_secret_file_abandon(fd, path);
	assert_int_equal(access(path, F_OK), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		test_resolve_prefers_flag_then_env_then_xdg_then_home),
	    cmocka_unit_test_setup_teardown(
		test_prepare_creates_directory_and_parents_0700, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_prepare_refuses_directory_open_to_others, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_prepare_refuses_a_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_write_creates_private_file_and_leaves_no_temporary, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_write_replaces_file_whole, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_read_reports_missing_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_read_refuses_file_readable_by_others, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_read_refuses_symlink, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_remove_overwrites_with_zeros_before_unlinking, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_session_round_trips, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_session_load_reports_missing_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_session_load_refuses_malformed_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_config_missing_is_empty_object_and_round_trips, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_secret_file_is_created_0600_and_never_overwritten, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_abandoned_secret_file_is_removed, setup, teardown),
	};

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	/* Files are created 0600 whatever the umask; check with a lax one. */
	umask(022);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
