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
#include "memo.h"

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

static int
set(const char *key, const char *value)
{

	return (config_set(&c, key, value, err, sizeof(err)));
}

static void
test_memo_defaults_are_the_documented_ones(void **state)
{
	(void)state;
	assert_int_equal(c.max_marking, MEMO_MARKING_SBU);
	assert_int_equal(c.ntopics, 6);
	assert_string_equal(c.topics[0], "policy");
	assert_string_equal(c.topics[5], "other");
	assert_int_equal(c.nholidays, 0);
	assert_int_equal(c.nstandard_principals, 0);
	assert_int_equal(c.nagency_heads, 0);
	assert_string_equal(c.smtp_url, "");
	assert_string_equal(c.webhook_url, "");
	assert_int_equal(c.notify_digest, 0);
	assert_int_equal(c.scheduler_interval_ms, 60000);
	assert_string_equal(c.test_clock_file, "");
}

static void
test_max_marking_takes_marking_names(void **state)
{
	(void)state;
	assert_int_equal(parse("max_marking = TOP SECRET\n"), 0);
	assert_int_equal(c.max_marking, MEMO_MARKING_TOP_SECRET);
	assert_int_equal(set("max_marking", "UNCLASSIFIED"), 0);
	assert_int_equal(c.max_marking, MEMO_MARKING_UNCLASSIFIED);
}

static void
test_max_marking_refuses_unknown_and_lower_case(void **state)
{
	(void)state;
	assert_int_equal(set("max_marking", "sbu"), -1);
	assert_int_equal(set("max_marking", "RESTRICTED"), -1);
	assert_non_null(strstr(err, "max_marking"));
	assert_int_equal(c.max_marking, MEMO_MARKING_SBU);
}

static void
test_topics_replace_the_list(void **state)
{
	(void)state;
	assert_int_equal(parse("topics = trade , visas,human-rights\n"), 0);
	assert_int_equal(c.ntopics, 3);
	assert_int_equal(config_topic_allowed(&c, "trade"), 1);
	assert_int_equal(config_topic_allowed(&c, "visas"), 1);
	assert_int_equal(config_topic_allowed(&c, "human-rights"), 1);
	assert_int_equal(config_topic_allowed(&c, "policy"), 0);
	assert_int_equal(config_topic_allowed(&c, ""), 0);
}

static void
test_default_topics_are_allowed(void **state)
{
	(void)state;
	assert_int_equal(config_topic_allowed(&c, "security"), 1);
	assert_int_equal(config_topic_allowed(&c, "Security"), 0);
	assert_int_equal(config_topic_allowed(&c, "trade"), 0);
}

static void
test_topics_refuse_bad_lists_and_change_nothing(void **state)
{
	(void)state;
	assert_int_equal(set("topics", ""), -1);
	assert_int_equal(set("topics", "a,,b"), -1);
	assert_int_equal(set("topics", "a,b,"), -1);
	assert_int_equal(set("topics", "trade,Trade"), -1);
	assert_int_equal(set("topics", "trade,1st"), -1);
	assert_int_equal(set("topics", "trade,trade"), -1);
	assert_int_equal(set("topics", "trade,a_b"), -1);
	assert_non_null(strstr(err, "topics"));
	assert_int_equal(c.ntopics, 6);
	assert_int_equal(config_topic_allowed(&c, "trade"), 0);
}

static void
test_topics_refuse_more_than_the_maximum(void **state)
{
	char list[CONFIG_TOPICS_MAX * 8 + 16];
	size_t i, off = 0;

	(void)state;
	for (i = 0; i <= CONFIG_TOPICS_MAX; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off,
		    "%st%zu", i > 0 ? "," : "", i);
	assert_int_equal(set("topics", list), -1);
	/* Exactly the maximum is fine. */
	*strrchr(list, ',') = '\0';
	assert_int_equal(set("topics", list), 0);
	assert_int_equal(c.ntopics, CONFIG_TOPICS_MAX);
}

static void
test_holidays_parse_dates(void **state)
{
	(void)state;
	assert_int_equal(parse("holidays = 2025-12-24, 2026-01-02\n"), 0);
	assert_int_equal(c.nholidays, 2);
	assert_int_equal(c.holidays[0].year, 2025);
	assert_int_equal(c.holidays[0].month, 12);
	assert_int_equal(c.holidays[0].day, 24);
	assert_int_equal(c.holidays[1].year, 2026);
	assert_int_equal(c.holidays[1].month, 1);
	assert_int_equal(c.holidays[1].day, 2);
}

static void
test_holidays_refuse_bad_dates_and_change_nothing(void **state)
{
	(void)state;
	assert_int_equal(set("holidays", "2025-12-24"), 0);
	assert_int_equal(set("holidays", "2025-12-24,2025-02-30"), -1);
	assert_int_equal(set("holidays", "2025-12-24,25-12-24"), -1);
	assert_int_equal(set("holidays", "2025-12-24,2025-12-24"), -1);
	assert_int_equal(set("holidays", "2025-1-2"), -1);
	assert_non_null(strstr(err, "holidays"));
	assert_int_equal(c.nholidays, 1);
	assert_int_equal(set("holidays", ""), 0);
	assert_int_equal(c.nholidays, 0);
}

static void
test_standard_principals_take_handles_and_ids(void **state)
{
	(void)state;
	assert_int_equal(parse("standard_principals = secretary, "
			       "m_0123456789abcdef01234567\n"),
	    0);
	assert_int_equal(c.nstandard_principals, 2);
	assert_string_equal(c.standard_principals[0], "secretary");
	assert_string_equal(
	    c.standard_principals[1], "m_0123456789abcdef01234567");
}

static void
test_standard_principals_refuse_bad_names_and_too_many(void **state)
{
	char list[CONFIG_PRINCIPALS_MAX * 8 + 16];
	size_t i, off = 0;

	(void)state;
	assert_int_equal(set("standard_principals", "a b"), -1);
	assert_int_equal(set("standard_principals", "Secretary"), -1);
	assert_int_equal(set("standard_principals", "m_x"), -1);
	assert_int_equal(set("standard_principals", "dep,dep"), -1);
	for (i = 0; i <= CONFIG_PRINCIPALS_MAX; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off,
		    "%sp%zu", i > 0 ? "," : "", i);
	assert_int_equal(set("standard_principals", list), -1);
	assert_non_null(strstr(err, "standard_principals"));
	assert_int_equal(c.nstandard_principals, 0);
}

static void
test_agency_heads_parse_org_member_pairs(void **state)
{
	(void)state;
	assert_int_equal(
	    parse("agency_heads = state:secretary, usaid:administrator\n"), 0);
	assert_int_equal(c.nagency_heads, 2);
	assert_string_equal(c.agency_heads[0].org, "state");
	assert_string_equal(c.agency_heads[0].member, "secretary");
	assert_string_equal(c.agency_heads[1].org, "usaid");
	assert_string_equal(c.agency_heads[1].member, "administrator");
}

static void
test_agency_heads_refuse_bad_pairs_and_change_nothing(void **state)
{
	(void)state;
	assert_int_equal(set("agency_heads", "state:sec"), 0);
	assert_int_equal(set("agency_heads", "usaid"), -1);
	assert_int_equal(set("agency_heads", "usaid:"), -1);
	assert_int_equal(set("agency_heads", ":admin"), -1);
	assert_int_equal(set("agency_heads", "USAID:admin"), -1);
	assert_int_equal(set("agency_heads", "usaid:a,usaid:b"), -1);
	assert_non_null(strstr(err, "agency_heads"));
	assert_int_equal(c.nagency_heads, 1);
	assert_string_equal(c.agency_heads[0].org, "state");
	assert_string_equal(c.agency_heads[0].member, "sec");
}

static void
test_smtp_url_takes_smtp_and_smtps_only(void **state)
{
	(void)state;
	assert_int_equal(set("smtp_url", "smtp://127.0.0.1:2525"), 0);
	assert_string_equal(c.smtp_url, "smtp://127.0.0.1:2525");
	assert_int_equal(set("smtp_url", "smtps://mail.example.org"), 0);
	assert_int_equal(set("smtp_url", "http://mail.example.org"), -1);
	assert_int_equal(set("smtp_url", "smtp://"), -1);
	assert_int_equal(set("smtp_url", "smtp://a b"), -1);
	assert_int_equal(set("smtp_url", "smtp://a\r\nRCPT"), -1);
	assert_string_equal(c.smtp_url, "smtps://mail.example.org");
}

static void
test_webhook_and_public_url_take_http_and_https_only(void **state)
{
	(void)state;
	assert_int_equal(set("webhook_url", "https://hooks.example/x?y=1"), 0);
	assert_int_equal(set("public_url", "http://127.0.0.1:8080/"), 0);
	assert_int_equal(set("webhook_url", "ftp://hooks.example/"), -1);
	assert_int_equal(set("public_url", "https://a\"b"), -1);
	assert_int_equal(set("public_url", "https://a<b>"), -1);
	assert_int_equal(set("public_url", "https:///path"), -1);
	assert_string_equal(c.webhook_url, "https://hooks.example/x?y=1");
	assert_string_equal(c.public_url, "http://127.0.0.1:8080/");
}

static void
test_mail_addresses_refuse_header_and_command_injection(void **state)
{
	(void)state;
	assert_int_equal(set("smtp_from", "dissent@example.org"), 0);
	assert_int_equal(set("smtp_from", "a@b\r\nBcc: x@y"), -1);
	assert_int_equal(set("smtp_from", "<a@b>"), -1);
	assert_int_equal(set("smtp_from", "a b@c"), -1);
	assert_int_equal(set("smtp_from", "a@b,c@d"), -1);
	assert_int_equal(set("smtp_from", "nodomain"), -1);
	assert_int_equal(set("smtp_from", ".a@b"), -1);
	assert_int_equal(set("smtp_from", "a..b@c"), -1);
	assert_int_equal(set("smtp_from", "a@-b.org"), -1);
	assert_int_equal(set("smtp_from", "a@b..org"), -1);
	assert_string_equal(c.smtp_from, "dissent@example.org");
	assert_int_equal(config_mail_valid("jane.doe+x@state.gov"), 1);
	assert_int_equal(config_mail_valid("jane@state.gov."), 0);
}

static void
test_mail_domain_is_a_dns_name(void **state)
{
	(void)state;
	assert_int_equal(set("mail_domain", "state.gov"), 0);
	assert_string_equal(c.mail_domain, "state.gov");
	assert_int_equal(set("mail_domain", "state gov"), -1);
	assert_int_equal(set("mail_domain", "@state.gov"), -1);
	assert_int_equal(set("mail_domain", "state.gov-"), -1);
	assert_string_equal(c.mail_domain, "state.gov");
}

static void
test_notify_digest_is_zero_or_one(void **state)
{
	(void)state;
	assert_int_equal(set("notify_digest", "1"), 0);
	assert_int_equal(c.notify_digest, 1);
	assert_int_equal(set("notify_digest", "2"), -1);
	assert_int_equal(set("notify_digest", "yes"), -1);
	assert_int_equal(c.notify_digest, 1);
}

static void
test_scheduler_interval_is_bounded(void **state)
{
	(void)state;
	assert_int_equal(set("scheduler_interval_ms", "250"), 0);
	assert_int_equal(c.scheduler_interval_ms, 250);
	assert_int_equal(set("scheduler_interval_ms", "99"), -1);
	assert_int_equal(set("scheduler_interval_ms", "86400001"), -1);
	assert_int_equal(c.scheduler_interval_ms, 250);
}

static void
test_test_clock_file_is_a_path(void **state)
{
	(void)state;
	assert_int_equal(set("test_clock_file", "/tmp/clock"), 0);
	assert_string_equal(c.test_clock_file, "/tmp/clock");
	assert_int_equal(set("test_clock_file", "/tmp/a\nb"), -1);
	assert_string_equal(c.test_clock_file, "/tmp/clock");
}

static void
test_check_refuses_smtp_without_sender(void **state)
{
	(void)state;
	assert_int_equal(set("data_dir", dir), 0);
	assert_int_equal(set("smtp_url", "smtp://127.0.0.1:25"), 0);
	assert_int_equal(config_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "smtp_from"));
	assert_int_equal(set("smtp_from", "dissent@example.org"), 0);
	assert_int_equal(config_check(&c, err, sizeof(err)), 0);
}

static void
test_ring_keys_default_and_are_bounded(void **state)
{
	(void)state;
	assert_int_equal(c.ring_max, 1024);
	assert_int_equal(c.ring_min_warn, 50);
	assert_int_equal(set("ring_max", "4096"), 0);
	assert_int_equal(c.ring_max, 4096);
	assert_int_equal(set("ring_max", "1"), -1);
	assert_int_equal(set("ring_max", "8193"), -1);
	assert_int_equal(c.ring_max, 4096);
	assert_int_equal(set("ring_min_warn", "0"), 0);
	assert_int_equal(c.ring_min_warn, 0);
	assert_int_equal(set("ring_min_warn", "8193"), -1);
	assert_int_equal(c.ring_min_warn, 0);
}

static void
test_check_refuses_ring_min_warn_above_ring_max(void **state)
{
	(void)state;
	assert_int_equal(set("data_dir", dir), 0);
	assert_int_equal(set("ring_max", "40"), 0);
	assert_int_equal(config_check(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "ring_min_warn"));
	assert_int_equal(set("ring_min_warn", "40"), 0);
	assert_int_equal(config_check(&c, err, sizeof(err)), 0);
}

static void
test_memo_keys_can_be_set_with_set_flag(void **state)
{
	enum config_action action;

	(void)state;
	assert_int_equal(from_args(&action, "--data-dir", dir, "--set",
			     "max_marking=CONFIDENTIAL", "--set",
			     "standard_principals=sec,dep", "--set",
			     "scheduler_interval_ms=1000", NULL),
	    0);
	assert_int_equal(c.max_marking, MEMO_MARKING_CONFIDENTIAL);
	assert_int_equal(c.nstandard_principals, 2);
	assert_int_equal(c.scheduler_interval_ms, 1000);
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
	    T(test_memo_defaults_are_the_documented_ones),
	    T(test_max_marking_takes_marking_names),
	    T(test_max_marking_refuses_unknown_and_lower_case),
	    T(test_topics_replace_the_list),
	    T(test_default_topics_are_allowed),
	    T(test_topics_refuse_bad_lists_and_change_nothing),
	    T(test_topics_refuse_more_than_the_maximum),
	    T(test_holidays_parse_dates),
	    T(test_holidays_refuse_bad_dates_and_change_nothing),
	    T(test_standard_principals_take_handles_and_ids),
	    T(test_standard_principals_refuse_bad_names_and_too_many),
	    T(test_agency_heads_parse_org_member_pairs),
	    T(test_agency_heads_refuse_bad_pairs_and_change_nothing),
	    T(test_smtp_url_takes_smtp_and_smtps_only),
	    T(test_webhook_and_public_url_take_http_and_https_only),
	    T(test_mail_addresses_refuse_header_and_command_injection),
	    T(test_mail_domain_is_a_dns_name),
	    T(test_notify_digest_is_zero_or_one),
	    T(test_scheduler_interval_is_bounded),
	    T(test_test_clock_file_is_a_path),
	    T(test_check_refuses_smtp_without_sender),
	    T(test_ring_keys_default_and_are_bounded),
	    T(test_check_refuses_ring_min_warn_above_ring_max),
	    T(test_memo_keys_can_be_set_with_set_flag),
	};
#undef T

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
