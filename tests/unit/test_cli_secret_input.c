/*
 * Reading secrets from a file descriptor (--password-fd and friends): one
 * line per secret, nothing consumed past it, bounded, never empty.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "secret_input.h"

/* A pipe holding ${len} bytes of ${data}, write end closed; read end. */
static int
pipe_with(const char *data, size_t len)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], data, len), (ssize_t)len);
	close(p[1]);
	return (p[0]);
}

/* Read one secret from ${fd}; return secret_input_fd()'s result. */
static int
read_one(int fd, char *buf, size_t *len, char *err)
{

	return (secret_input_fd(fd, buf, len, err, 256));
}

static void
test_reads_one_line_without_its_newline(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("correct horse\n", 14);

	(void)state;
	assert_non_null(buf);
	assert_int_equal(read_one(fd, buf, &len, err), 0);
	assert_int_equal(len, 13);
	assert_string_equal(buf, "correct horse");
	close(fd);
	secret_input_free(buf);
}

static void
test_reads_two_successive_lines_from_one_fd(void **state)
{
	char *a = secret_input_alloc(), *b = secret_input_alloc(), err[256];
	size_t alen, blen;
	int fd = pipe_with("old password\nnew password\n", 26);

	(void)state;
	assert_int_equal(read_one(fd, a, &alen, err), 0);
	assert_int_equal(read_one(fd, b, &blen, err), 0);
	assert_string_equal(a, "old password");
	assert_string_equal(b, "new password");
	/* Nothing is left: a third read fails. */
	assert_int_equal(read_one(fd, b, &blen, err), -1);
	assert_non_null(strstr(err, "nothing left"));
	close(fd);
	secret_input_free(a);
	secret_input_free(b);
}

static void
test_accepts_last_line_without_newline(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("no newline", 10);

	(void)state;
	assert_int_equal(read_one(fd, buf, &len, err), 0);
	assert_string_equal(buf, "no newline");
	close(fd);
	secret_input_free(buf);
}

static void
test_strips_carriage_return(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("dos line\r\n", 10);

	(void)state;
	assert_int_equal(read_one(fd, buf, &len, err), 0);
	assert_string_equal(buf, "dos line");
	assert_int_equal(len, 8);
	close(fd);
	secret_input_free(buf);
}

static void
test_refuses_line_longer_than_the_maximum(void **state)
{
	char *buf = secret_input_alloc(), err[256], big[SECRET_INPUT_MAX + 2];
	size_t len = 99;
	int fd;

	(void)state;
	memset(big, 'a', SECRET_INPUT_MAX + 1);
	big[SECRET_INPUT_MAX + 1] = '\n';
	fd = pipe_with(big, sizeof(big));
	assert_int_equal(read_one(fd, buf, &len, err), -1);
	assert_non_null(strstr(err, "longer than"));
	assert_int_equal(len, 0);
	/* Nothing of the refused secret stays in the buffer. */
	assert_int_equal(buf[0], '\0');
	close(fd);
	secret_input_free(buf);
}

static void
test_accepts_line_of_exactly_the_maximum(void **state)
{
	char *buf = secret_input_alloc(), err[256], big[SECRET_INPUT_MAX + 1];
	size_t len;
	int fd;

	(void)state;
	memset(big, 'b', SECRET_INPUT_MAX);
	big[SECRET_INPUT_MAX] = '\n';
	fd = pipe_with(big, sizeof(big));
	assert_int_equal(read_one(fd, buf, &len, err), 0);
	assert_int_equal(len, SECRET_INPUT_MAX);
	close(fd);
	secret_input_free(buf);
}

static void
test_refuses_empty_line(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("\nsecond\n", 8);

	(void)state;
	assert_int_equal(read_one(fd, buf, &len, err), -1);
	assert_non_null(strstr(err, "empty"));
	close(fd);
	secret_input_free(buf);
}

static void
test_refuses_end_of_input(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("", 0);

	(void)state;
	assert_int_equal(read_one(fd, buf, &len, err), -1);
	assert_non_null(strstr(err, "nothing left"));
	close(fd);
	secret_input_free(buf);
}

static void
test_refuses_nul_byte(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("abc\0def\n", 8);

	(void)state;
	assert_int_equal(read_one(fd, buf, &len, err), -1);
	assert_non_null(strstr(err, "NUL"));
	close(fd);
	secret_input_free(buf);
}

static void
test_refuses_closed_fd(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("x\n", 2);

	(void)state;
	close(fd);
	assert_int_equal(read_one(fd, buf, &len, err), -1);
	assert_non_null(strstr(err, "not open"));
	secret_input_free(buf);
}

static void
test_get_reads_from_fd_when_given(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("from fd\n", 8);

	(void)state;
	assert_int_equal(secret_input_get(fd, "unused: ", "--password-fd", buf,
			     &len, err, sizeof(err)),
	    0);
	assert_string_equal(buf, "from fd");
	close(fd);
	secret_input_free(buf);
}

static void
test_new_password_from_fd_is_read_once(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("long enough pw\nnext\n", 20);

	(void)state;
	assert_int_equal(
	    secret_input_new_password(fd, "p: ", buf, &len, err, sizeof(err)),
	    0);
	assert_string_equal(buf, "long enough pw");
	close(fd);
	secret_input_free(buf);
}

static void
test_new_password_shorter_than_ten_characters_is_refused(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	int fd = pipe_with("123456789\n", 10);

	(void)state;
	assert_int_equal(
	    secret_input_new_password(fd, "p: ", buf, &len, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "at least 10 characters"));
	assert_int_equal(buf[0], '\0');
	close(fd);
	secret_input_free(buf);
}

static void
test_new_password_length_counts_characters_not_bytes(void **state)
{
	char *buf = secret_input_alloc(), err[256];
	size_t len;
	/* Nine two-byte characters: 18 bytes but 9 characters. */
	static const char nine[] = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
				   "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n";
	int fd = pipe_with(nine, sizeof(nine) - 1);

	(void)state;
	assert_int_equal(secret_input_chars(nine, 18), 9);
	assert_int_equal(
	    secret_input_new_password(fd, "p: ", buf, &len, err, sizeof(err)),
	    -1);
	close(fd);
	secret_input_free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reads_one_line_without_its_newline),
	    cmocka_unit_test(test_reads_two_successive_lines_from_one_fd),
	    cmocka_unit_test(test_accepts_last_line_without_newline),
	    cmocka_unit_test(test_strips_carriage_return),
	    cmocka_unit_test(test_refuses_line_longer_than_the_maximum),
	    cmocka_unit_test(test_accepts_line_of_exactly_the_maximum),
	    cmocka_unit_test(test_refuses_empty_line),
	    cmocka_unit_test(test_refuses_end_of_input),
	    cmocka_unit_test(test_refuses_nul_byte),
	    cmocka_unit_test(test_refuses_closed_fd),
	    cmocka_unit_test(test_get_reads_from_fd_when_given),
	    cmocka_unit_test(test_new_password_from_fd_is_read_once),
	    cmocka_unit_test(
		test_new_password_shorter_than_ten_characters_is_refused),
	    cmocka_unit_test(
		test_new_password_length_counts_characters_not_bytes),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
