/*
 * The CLI's command line: flag parsing (args.c) and `dissent <noun> <verb>`
 * dispatch with global options, help and usage errors (cli.c).  None of
 * these cases reaches the network or the state directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "args.h"
#include "cli.h"
#include "exitcode.h"
#include "jsonmem.h"

/* What one cli_run() printed. */
struct run {
	int rc;
	char out[16384];
	char err[16384];
};

/* Read all of ${f} into ${buf}. */
static void
slurp(FILE *f, char *buf, size_t cap)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run the CLI with the NULL-terminated arguments after "dissent". */
static void
run(struct run *r, ...)
{
	char *argv[32];
	int argc = 0;
	FILE *out, *err;
	va_list ap;

	argv[argc++] = "dissent";
	va_start(ap, r);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	assert_non_null(out = tmpfile());
	assert_non_null(err = tmpfile());
	/* A home that does not exist: none of these may need it. */
	setenv("DISSENT_HOME", "/nonexistent/dissent-test-home", 1);
	r->rc = cli_run(argc, argv, out, err);
	slurp(out, r->out, sizeof(r->out));
	slurp(err, r->err, sizeof(r->err));
}

/* args_parse() over a fixed spec. */
struct parsed {
	const char *name;
	int flag;
	int fd;
	uint64_t n;
	const char *pos[2];
	size_t npos;
	char err[256];
};

static int
parse(struct parsed *p, int argc, char **argv)
{
	const struct args_spec spec[] = {
	    {"--name", ARGS_STRING, &p->name},
	    {"--flag", ARGS_FLAG, &p->flag},
	    {"--fd", ARGS_FD, &p->fd},
	    {"--n", ARGS_U64, &p->n},
	};

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	return (args_parse(
	    spec, 4, argc, argv, p->pos, 2, &p->npos, p->err, sizeof(p->err)));
}

static void
test_args_reads_values_in_both_forms(void **state)
{
	char *argv[] = {
	    "--name", "alice", "--fd=3", "--flag", "--n", "42", "x"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 7, argv), 0);
	assert_string_equal(p.name, "alice");
	assert_int_equal(p.fd, 3);
	assert_int_equal(p.flag, 1);
	assert_int_equal(p.n, 42);
	assert_int_equal(p.npos, 1);
	assert_string_equal(p.pos[0], "x");
}

static void
test_args_refuses_unknown_flag(void **state)
{
	char *argv[] = {"--nope"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 1, argv), -1);
	assert_non_null(strstr(p.err, "unknown option \"--nope\""));
}

static void
test_args_refuses_single_dash_flag(void **state)
{
	char *argv[] = {"-n", "3"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 2, argv), -1);
}

static void
test_args_refuses_flag_given_twice(void **state)
{
	char *argv[] = {"--name", "a", "--name", "b"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 4, argv), -1);
	assert_non_null(strstr(p.err, "given twice"));
}

static void
test_args_refuses_missing_value(void **state)
{
	char *argv[] = {"--name"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 1, argv), -1);
	assert_non_null(strstr(p.err, "needs a value"));
}

static void
test_args_refuses_value_for_plain_flag(void **state)
{
	char *argv[] = {"--flag=yes"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 1, argv), -1);
}

static void
test_args_refuses_malformed_numbers(void **state)
{
	char *bad_fd[] = {"--fd", "-1"};
	char *big_fd[] = {"--fd", "70000"};
	char *bad_n[] = {"--n", "12x"};
	char *huge_n[] = {"--n", "18446744073709551616"};
	char *empty_n[] = {"--n="};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 2, bad_fd), -1);
	assert_int_equal(parse(&p, 2, big_fd), -1);
	assert_int_equal(parse(&p, 2, bad_n), -1);
	assert_int_equal(parse(&p, 2, huge_n), -1);
	assert_int_equal(parse(&p, 1, empty_n), -1);
}

static void
test_args_refuses_too_many_positionals(void **state)
{
	char *argv[] = {"a", "b", "c"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 3, argv), -1);
	assert_non_null(strstr(p.err, "unexpected argument"));
}

static void
test_args_double_dash_ends_flags(void **state)
{
	char *argv[] = {"--", "--name"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 2, argv), 0);
	assert_int_equal(p.npos, 1);
	assert_string_equal(p.pos[0], "--name");
	assert_null(p.name);
}

static void
test_args_reports_help(void **state)
{
	char *argv[] = {"--name", "a", "-h", "--nope"};
	struct parsed p;

	(void)state;
	assert_int_equal(parse(&p, 4, argv), ARGS_HELP);
}

static void
test_cli_top_help_exits_zero(void **state)
{
	struct run r;

	(void)state;
	run(&r, "--help", NULL);
	assert_int_equal(r.rc, CLI_EXIT_OK);
	assert_non_null(strstr(r.out, "member create"));
	assert_non_null(strstr(r.out, "Exit codes"));
}

static void
test_cli_noun_help_lists_verbs(void **state)
{
	struct run r;

	(void)state;
	run(&r, "member", "--help", NULL);
	assert_int_equal(r.rc, CLI_EXIT_OK);
	assert_non_null(strstr(r.out, "reinstate"));
}

static void
test_cli_command_help_shows_its_flags(void **state)
{
	struct run r;

	(void)state;
	run(&r, "member", "create", "--help", NULL);
	assert_int_equal(r.rc, CLI_EXIT_OK);
	assert_non_null(strstr(r.out, "--code-file PATH"));
	run(&r, "login", "-h", NULL);
	assert_int_equal(r.rc, CLI_EXIT_OK);
	assert_non_null(strstr(r.out, "--password-fd"));
}

static void
test_cli_version_exits_zero(void **state)
{
	struct run r;

	(void)state;
	run(&r, "--version", NULL);
	assert_int_equal(r.rc, CLI_EXIT_OK);
	assert_non_null(strstr(r.out, DISSENT_VERSION));
}

static void
test_cli_no_command_is_usage_error(void **state)
{
	struct run r;

	(void)state;
	run(&r, NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "member", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
}

static void
test_cli_unknown_command_is_usage_error(void **state)
{
	struct run r;

	(void)state;
	run(&r, "frobnicate", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "unknown command"));
	run(&r, "member", "frobnicate", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
}

static void
test_cli_unknown_flag_is_usage_error(void **state)
{
	struct run r;

	(void)state;
	run(&r, "member", "create", "--bogus", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "error: unknown option \"--bogus\" "
				      "(usage)"));
	assert_non_null(strstr(r.err, "dissent member create --help"));
	assert_string_equal(r.out, "");
	run(&r, "--bogus", "whoami", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
}

static void
test_cli_usage_error_in_json_mode_is_one_object_on_stdout(void **state)
{
	struct run r;

	(void)state;
	run(&r, "member", "create", "--bogus", "--json", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_string_equal(r.out,
	    "{\"error\":{\"code\":\"usage\","
	    "\"message\":\"unknown option \\\"--bogus\\\"\"}}\n");
	assert_string_equal(r.err, "");
}

static void
test_cli_missing_required_flag_is_usage_error(void **state)
{
	struct run r;

	(void)state;
	run(&r, "login", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "--handle is required"));
	run(&r, "member", "create", "--handle", "a", "--name", "A", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "recover", "--recovery-fd", "3", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
}

static void
test_cli_refuses_malformed_input_before_any_request(void **state)
{
	struct run r;

	(void)state;
	run(&r, "member", "show", "../../etc", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "login", "--handle", "Alice Smith", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "org", "create", "9lives", "Nine", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "member", "create", "--handle", "a", "--name", "A", "--org",
	    "state", "--roles", "member,boss", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "member", "list", "--limit", "0", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "member", "update", "alice", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "member", "update", "alice", "--eligible", "maybe", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
}

static void
test_cli_refuses_missing_or_extra_positionals(void **state)
{
	struct run r;

	(void)state;
	run(&r, "server", "set", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "org", "create", "dod", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	run(&r, "whoami", "extra", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
}

static void
test_cli_refuses_fd_flag_without_number(void **state)
{
	struct run r;

	(void)state;
	run(&r, "enroll", "--code-fd", "stdin", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "--code-fd needs a file descriptor"));
}

static void
test_cli_global_flag_given_before_and_after_is_refused(void **state)
{
	struct run r;

	(void)state;
	run(&r, "--server", "http://a.example", "whoami", "--server",
	    "http://b.example", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "--server given twice"));
}

static void
test_cli_refuses_non_http_server_url(void **state)
{
	char home[512];
	const char *tmp = getenv("TMPDIR");
	struct run r;

	(void)state;
	(void)snprintf(home, sizeof(home), "%s/test_cli_args.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	assert_non_null(mkdtemp(home));
	run(&r, "--home", home, "server", "set", "file:///etc/passwd", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "is not a server URL"));
	assert_string_equal(r.out, "");
	(void)rmdir(home);
}

static void
test_cli_refuses_plain_http_to_another_machine(void **state)
{
	char home[512];
	const char *tmp = getenv("TMPDIR");
	struct run r;

	(void)state;
	(void)snprintf(home, sizeof(home), "%s/test_cli_args.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	assert_non_null(mkdtemp(home));
	run(&r, "--home", home, "server", "set", "http://192.0.2.1:8080", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "refusing plain http://"));
	assert_non_null(strstr(r.err, "--insecure-http"));
	assert_string_equal(r.out, "");
	run(&r, "--home", home, "--server", "http://dissent.example", "server",
	    "health", NULL);
	assert_int_equal(r.rc, CLI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "refusing plain http://"));
}

static void
test_cli_insecure_http_flag_allows_plain_http(void **state)
{
	char home[512];
	const char *tmp = getenv("TMPDIR");
	struct run r;

	(void)state;
	(void)snprintf(home, sizeof(home), "%s/test_cli_args.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	assert_non_null(mkdtemp(home));
	/*
	 * 0.0.0.0 is not loopback by its address, but Linux connects it to
	 * this machine, where nothing listens on port 1: past the check, the
	 * request fails fast with a network error.
	 */
	run(&r, "--home", home, "--insecure-http", "--server",
	    "http://0.0.0.0:1", "server", "health", NULL);
	assert_int_equal(r.rc, CLI_EXIT_NETWORK);
	assert_null(strstr(r.err, "refusing plain http://"));
	/* After the command too, as every global flag. */
	run(&r, "--home", home, "--server", "http://0.0.0.0:1", "server",
	    "health", "--insecure-http", NULL);
	assert_int_equal(r.rc, CLI_EXIT_NETWORK);
	/* Loopback needs no flag. */
	run(&r, "--home", home, "--server", "http://127.0.0.1:1", "server",
	    "health", NULL);
	assert_int_equal(r.rc, CLI_EXIT_NETWORK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_args_reads_values_in_both_forms),
	    cmocka_unit_test(test_args_refuses_unknown_flag),
	    cmocka_unit_test(test_args_refuses_single_dash_flag),
	    cmocka_unit_test(test_args_refuses_flag_given_twice),
	    cmocka_unit_test(test_args_refuses_missing_value),
	    cmocka_unit_test(test_args_refuses_value_for_plain_flag),
	    cmocka_unit_test(test_args_refuses_malformed_numbers),
	    cmocka_unit_test(test_args_refuses_too_many_positionals),
	    cmocka_unit_test(test_args_double_dash_ends_flags),
	    cmocka_unit_test(test_args_reports_help),
	    cmocka_unit_test(test_cli_top_help_exits_zero),
	    cmocka_unit_test(test_cli_noun_help_lists_verbs),
	    cmocka_unit_test(test_cli_command_help_shows_its_flags),
	    cmocka_unit_test(test_cli_version_exits_zero),
	    cmocka_unit_test(test_cli_no_command_is_usage_error),
	    cmocka_unit_test(test_cli_unknown_command_is_usage_error),
	    cmocka_unit_test(test_cli_unknown_flag_is_usage_error),
	    cmocka_unit_test(
		test_cli_usage_error_in_json_mode_is_one_object_on_stdout),
	    cmocka_unit_test(test_cli_missing_required_flag_is_usage_error),
	    cmocka_unit_test(
		test_cli_refuses_malformed_input_before_any_request),
	    cmocka_unit_test(test_cli_refuses_missing_or_extra_positionals),
	    cmocka_unit_test(test_cli_refuses_fd_flag_without_number),
	    cmocka_unit_test(
		test_cli_global_flag_given_before_and_after_is_refused),
	    cmocka_unit_test(test_cli_refuses_non_http_server_url),
	    cmocka_unit_test(test_cli_refuses_plain_http_to_another_machine),
	    cmocka_unit_test(test_cli_insecure_http_flag_allows_plain_http),
	};

	if (sodium_init() < 0)
		return (1);
	jsonmem_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
