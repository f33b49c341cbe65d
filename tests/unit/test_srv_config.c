/*
 * dissentd configuration (src/server/config.c): strict file parsing, value
 * checks, and flags overriding the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "config.h"
#include "custody.h"

static struct config c;
static char err[CONFIG_ERR_MAX];
static char dir[512];

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_srv_config.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return (-1);
	config_defaults(&c);
	err[0] = '\0';
	return (0);
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return (system(cmd) == 0 ? 0 : -1);
}

/* Write ${text} to DIR/${name} and return the path (static buffer). */
static const char *
write_file(const char *name, const char *text)
{
	static char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return (path);
}

static int
parse(const char *text)
{

	return (config_parse_buf(
	    &c, text, strlen(text), "test.conf", err, sizeof(err)));
}

/* Run config_from_args() on a NULL-terminated list of arguments. */
static int
from_args(enum config_action *action, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"dissentd";
	va_start(ap, action);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return (config_from_args(&c, argc, argv, action, err, sizeof(err)));
}

static void
test_defaults_are_the_documented_ones(void **state)
{
	(void)state;
	assert_string_equal(c.listen, "127.0.0.1");
	assert_int_equal(c.port, 8080);
	assert_int_equal(c.policy_profile, CONFIG_PROFILE_STATE_DISSENT);
	assert_string_equal(c.time_zone, "UTC");
	assert_int_equal(c.max_connections, 4096);
	assert_int_equal(c.connection_timeout, 30);
	assert_int_equal(c.max_connections_per_address, 64);
	assert_int_equal(c.session_ttl, 43200);
	assert_int_equal(c.session_idle_ttl, 1800);
	assert_int_equal(c.enrollment_ttl, 604800);
	assert_int_equal(c.login_max_failures, 5);
	assert_int_equal(c.login_lock_seconds, 60);
	assert_int_equal(c.rate_limit_per_minute, 60);
	assert_int_equal(c.kdf_min_opslimit, CUSTODY_OPSLIMIT_MIN);
	assert_int_equal(c.kdf_min_memlimit, CUSTODY_MEMLIMIT_MIN);
	assert_int_equal(c.log_level, LOG_INFO);
	assert_string_equal(c.data_dir, "");
}

static void
test_parses_keys_comments_blank_lines_and_crlf(void **state)
{
	(void)state;
	assert_int_equal(parse("# a comment\n\n  port = 9000  \r\n"
			       "instance_name = Department of State\n"
			       "\tsession_idle_ttl=2\n"
			       "policy_profile = eu-whistleblowing\n"
			       "listen = ::1\n"
			       "log_level = debug"),
	    0);
	assert_int_equal(c.port, 9000);
	assert_string_equal(c.instance_name, "Department of State");
	assert_int_equal(c.session_idle_ttl, 2);
	assert_int_equal(c.policy_profile, CONFIG_PROFILE_EU_WHISTLEBLOWING);
	assert_string_equal(c.listen, "::1");
	assert_int_equal(c.log_level, LOG_DEBUG);
}

static void
test_refuses_unknown_key_naming_the_line(void **state)
{
	(void)state;
	assert_int_equal(parse("port = 1\n\nprot = 2\n"), -1);
	assert_non_null(strstr(err, "test.conf:3"));
	assert_non_null(strstr(err, "prot"));
}

static void
test_refuses_duplicate_key(void **state)
{
	(void)state;
	assert_int_equal(parse("port = 1\nport = 2\n"), -1);
	assert_non_null(strstr(err, "test.conf:2"));
	assert_non_null(strstr(err, "twice"));
}

static void
test_refuses_line_without_equals(void **state)
{
	(void)state;
	assert_int_equal(parse("port 1\n"), -1);
	assert_non_null(strstr(err, "test.conf:1"));
}

static void
test_refuses_key_without_value(void **state)
{
	(void)state;
	assert_int_equal(parse("data_dir =\n"), -1);
}

static void
test_refuses_nul_byte(void **state)
{
	(void)state;
	assert_int_equal(
	    config_parse_buf(&c, "port = 1\0\n", 10, "t", err, sizeof(err)),
	    -1);
}

static void
test_refuses_port_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(parse("port = 65536\n"), -1);
	assert_int_equal(c.port, 8080);
}

static void
test_per_address_connection_limit_parses_and_is_bounded(void **state)
{
	(void)state;
	assert_int_equal(parse("max_connections_per_address = 8\n"), 0);
	assert_int_equal(c.max_connections_per_address, 8);
	/* 0 turns the limit off (behind a load balancer). */
	assert_int_equal(parse("max_connections_per_address = 0\n"), 0);
	assert_int_equal(c.max_connections_per_address, 0);
	assert_int_equal(parse("max_connections_per_address = 1000000\n"), 0);
	config_defaults(&c);
	assert_int_equal(parse("max_connections_per_address = 1000001\n"), -1);
	assert_int_equal(c.max_connections_per_address, 64);
	assert_int_equal(parse("max_connections_per_address = -1\n"), -1);
	assert_int_equal(parse("max_connections_per_address =\n"), -1);
}

static void
test_refuses_malformed_integers(void **state)
{
	(void)state;
	assert_int_equal(parse("threads = -1\n"), -1);
	config_defaults(&c);
	assert_int_equal(parse("threads = 0\n"), -1);
	config_defaults(&c);
	assert_int_equal(parse("threads = 08\n"), -1);
	config_defaults(&c);
	assert_int_equal(parse("threads = 4x\n"), -1);
	config_defaults(&c);
	assert_int_equal(parse("threads = +4\n"), -1);
	config_defaults(&c);
	assert_int_equal(parse("session_ttl = 99999999999999999999999\n"), -1);
}

static void
test_refuses_lock_longer_than_an_hour(void **state)
{
	(void)state;
	assert_int_equal(parse("login_lock_seconds = 3601\n"), -1);
	assert_int_equal(parse("login_lock_seconds = 3600\n"), 0);
}

static void
test_refuses_kdf_minimum_above_custody_maximum(void **state)
{
	char line[64];

	(void)state;
	snprintf(line, sizeof(line), "kdf_min_opslimit = %llu\n",
	    (unsigned long long)CUSTODY_OPSLIMIT_MAX + 1);
	assert_int_equal(parse(line), -1);
}

static void
test_refuses_unknown_policy_profile(void **state)
{
	(void)state;
	assert_int_equal(parse("policy_profile = lenient\n"), -1);
}

static void
test_refuses_listen_hostname(void **state)
{
	(void)state;
	assert_int_equal(parse("listen = localhost\n"), -1);
}

static void
test_refuses_bad_log_level(void **state)
{
	(void)state;
	assert_int_equal(parse("log_level = verbose\n"), -1);
}

static void
test_bad_value_is_not_echoed(void **state)
{
	(void)state;
	assert_int_equal(parse("instance_name = \x01hunter2\n"), -1);
	assert_null(strstr(err, "hunter2"));
}

static void
test_time_zone_must_exist(void **state)
{
	(void)state;
	assert_int_equal(config_time_zone_valid("UTC"), 1);
	assert_int_equal(config_time_zone_valid("Nowhere/Atlantis"), 0);
	assert_int_equal(config_time_zone_valid(""), 0);
	if (access(CONFIG_ZONEINFO_DIR "/America/New_York", R_OK) == 0)
		assert_int_equal(config_time_zone_valid("America/New_York"), 1);
}

static void
test_time_zone_refuses_dotdot_and_absolute(void **state)
{
	(void)state;
	assert_int_equal(config_time_zone_valid("../../etc/passwd"), 0);
	assert_int_equal(config_time_zone_valid("America/../UTC"), 0);
	assert_int_equal(config_time_zone_valid("/etc/passwd"), 0);
	assert_int_equal(parse("time_zone = ../../../etc/passwd\n"), -1);
}

static void
test_time_zone_refuses_directory(void **state)
{
	(void)state;
	assert_int_equal(config_time_zone_valid("America"), 0);
}

static void
test_check_requires_data_dir(void **state)
{
	(void)state;
	assert_int_equal(config_check(&c, err, sizeof(err)), -1);
	assert_int_equal(parse("data_dir = /srv/dissent\n"), 0);
	assert_int_equal(config_check(&c, err, sizeof(err)), 0);
}

static void
test_check_refuses_cert_without_key(void **state)
{
	(void)state;
	assert_int_equal(parse("data_dir = /d\ntls_cert = /c.pem\n"), 0);
	assert_int_equal(config_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tls_key"));
}

static void
test_check_refuses_idle_longer_than_absolute(void **state)
{
	(void)state;
	assert_int_equal(parse("data_dir = /d\nsession_ttl = 60\n"
			       "session_idle_ttl = 61\n"),
	    0);
	assert_int_equal(config_check(&c, err, sizeof(err)), -1);
}

static void
test_flags_override_the_file(void **state)
{
	enum config_action a;
	const char *path;

	(void)state;
	path = write_file("x.conf", "port = 9000\ndata_dir = /d\n"
				    "session_idle_ttl = 600\n");
	assert_int_equal(from_args(&a, "--config", path, "--port", "0", "--set",
			     "session_idle_ttl=2", NULL),
	    0);
	assert_int_equal(a, CONFIG_RUN);
	assert_int_equal(c.port, 0);
	assert_int_equal(c.session_idle_ttl, 2);
	assert_string_equal(c.data_dir, "/d");
	assert_string_equal(c.config_file, path);
}

static void
test_flag_with_equals_sign(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(from_args(&a, "--data-dir=/d", "--port=1234",
			     "--log-level=warn", NULL),
	    0);
	assert_int_equal(c.port, 1234);
	assert_int_equal(c.log_level, LOG_WARN);
}

static void
test_later_flag_wins(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(from_args(&a, "--data-dir", "/d", "--port", "1",
			     "--set", "port=2", NULL),
	    0);
	assert_int_equal(c.port, 2);
}

static void
test_reads_dissentd_conf_in_the_data_dir(void **state)
{
	enum config_action a;

	(void)state;
	write_file("dissentd.conf", "instance_name = From File\n");
	assert_int_equal(from_args(&a, "--data-dir", dir, NULL), 0);
	assert_string_equal(c.instance_name, "From File");
}

static void
test_data_dir_without_conf_file_is_fine(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(from_args(&a, "--data-dir", dir, NULL), 0);
	assert_string_equal(c.config_file, "");
}

static void
test_refuses_bad_default_conf_file(void **state)
{
	enum config_action a;

	(void)state;
	write_file("dissentd.conf", "bogus = 1\n");
	assert_int_equal(from_args(&a, "--data-dir", dir, NULL), -1);
	assert_non_null(strstr(err, "bogus"));
}

static void
test_refuses_missing_config_file(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(from_args(&a, "--config", "/nonexistent/x.conf",
			     "--data-dir", "/d", NULL),
	    -1);
}

static void
test_refuses_set_of_unknown_key(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(
	    from_args(&a, "--data-dir", "/d", "--set", "nope=1", NULL), -1);
	assert_non_null(strstr(err, "nope"));
}

static void
test_refuses_set_without_equals(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(
	    from_args(&a, "--data-dir", "/d", "--set", "port", NULL), -1);
}

static void
test_refuses_unknown_flag(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(
	    from_args(&a, "--data-dir", "/d", "--verbose", "1", NULL), -1);
	assert_non_null(strstr(err, "--verbose"));
}

static void
test_refuses_flag_without_value(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(from_args(&a, "--data-dir", NULL), -1);
}

static void
test_refuses_bad_flag_value_naming_the_flag(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(
	    from_args(&a, "--data-dir", "/d", "--port", "http", NULL), -1);
	assert_non_null(strstr(err, "--port"));
}

static void
test_refuses_run_without_data_dir(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(from_args(&a, "--port", "0", NULL), -1);
}

static void
test_port_file_is_recorded(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(
	    from_args(&a, "--data-dir", "/d", "--port-file", "/tmp/p", NULL),
	    0);
	assert_string_equal(c.port_file, "/tmp/p");
}

static void
test_help_and_version_are_actions(void **state)
{
	enum config_action a;

	(void)state;
	assert_int_equal(from_args(&a, "--help", NULL), 0);
	assert_int_equal(a, CONFIG_HELP);
	assert_int_equal(from_args(&a, "--port", "1", "--version", NULL), 0);
	assert_int_equal(a, CONFIG_VERSION);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_defaults_are_the_documented_ones),
	    T(test_parses_keys_comments_blank_lines_and_crlf),
	    T(test_refuses_unknown_key_naming_the_line),
	    T(test_refuses_duplicate_key),
	    T(test_refuses_line_without_equals),
	    T(test_refuses_key_without_value),
	    T(test_refuses_nul_byte),
	    T(test_refuses_port_out_of_range),
	    T(test_per_address_connection_limit_parses_and_is_bounded),
	    T(test_refuses_malformed_integers),
	    T(test_refuses_lock_longer_than_an_hour),
	    T(test_refuses_kdf_minimum_above_custody_maximum),
	    T(test_refuses_unknown_policy_profile),
	    T(test_refuses_listen_hostname),
	    T(test_refuses_bad_log_level),
	    T(test_bad_value_is_not_echoed),
	    T(test_time_zone_must_exist),
	    T(test_time_zone_refuses_dotdot_and_absolute),
	    T(test_time_zone_refuses_directory),
	    T(test_check_requires_data_dir),
	    T(test_check_refuses_cert_without_key),
	    T(test_check_refuses_idle_longer_than_absolute),
	    T(test_flags_override_the_file),
	    T(test_flag_with_equals_sign),
	    T(test_later_flag_wins),
	    T(test_reads_dissentd_conf_in_the_data_dir),
	    T(test_data_dir_without_conf_file_is_fine),
	    T(test_refuses_bad_default_conf_file),
	    T(test_refuses_missing_config_file),
	    T(test_refuses_set_of_unknown_key),
	    T(test_refuses_set_without_equals),
	    T(test_refuses_unknown_flag),
	    T(test_refuses_flag_without_value),
	    T(test_refuses_bad_flag_value_naming_the_flag),
	    T(test_refuses_run_without_data_dir),
	    T(test_port_file_is_recorded),
	    T(test_help_and_version_are_actions),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
