/*
 * TOTP (RFC 6238) over HOTP (RFC 4226) (docs/PROTOCOL.md, "TOTP").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "totp.h"

/* The RFC test secrets: "1234567890" repeated to 20, 32 and 64 bytes. */
static const char secret64[] =
    "1234567890123456789012345678901234567890123456789012345678901234";

/*
 * RFC 6238 Appendix B: 8-digit TOTP values for T0 = 0, X = 30, with the
 * 20-byte key for SHA1, 32 bytes for SHA256 and 64 bytes for SHA512.
 */
static const struct {
	int64_t t;
	const char *alg;
	size_t keylen;
	int64_t code;
} rfc6238[] = {
    {59LL, "SHA1", 20, 94287082},
    {59LL, "SHA256", 32, 46119246},
    {59LL, "SHA512", 64, 90693936},
    {1111111109LL, "SHA1", 20, 7081804},
    {1111111109LL, "SHA256", 32, 68084774},
    {1111111109LL, "SHA512", 64, 25091201},
    {1111111111LL, "SHA1", 20, 14050471},
    {1111111111LL, "SHA256", 32, 67062674},
    {1111111111LL, "SHA512", 64, 99943326},
    {1234567890LL, "SHA1", 20, 89005924},
    {1234567890LL, "SHA256", 32, 91819424},
    {1234567890LL, "SHA512", 64, 93441116},
    {2000000000LL, "SHA1", 20, 69279037},
    {2000000000LL, "SHA256", 32, 90698825},
    {2000000000LL, "SHA512", 64, 38618901},
    {20000000000LL, "SHA1", 20, 65353130},
    {20000000000LL, "SHA256", 32, 77737706},
    {20000000000LL, "SHA512", 64, 47863826},
};

/* RFC 4226 Appendix D: 6-digit HOTP values for counters 0..9. */
static const int64_t rfc4226[] = {
    755224,
    287082,
    359152,
    969429,
    338314,
    254676,
    287922,
    162583,
    399871,
    520489,
};

static const uint8_t *
key20(void)
{

	return ((const uint8_t *)secret64);
}

/* The 6-digit code of the 20-byte test key at step ${step}, as text. */
static void
code_at(char out[TOTP_DIGITS + 1], int64_t step)
{
	int64_t v = totp_code(
	    key20(), TOTP_SECRET_BYTES, step * TOTP_STEP, TOTP_DIGITS, "SHA1");
	int i;

	assert_true(v >= 0);
	for (i = TOTP_DIGITS - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[TOTP_DIGITS] = '\0';
}

static void
test_totp_code_matches_rfc6238_appendix_b(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rfc6238) / sizeof(rfc6238[0]); i++)
		assert_int_equal(
		    totp_code((const uint8_t *)secret64, rfc6238[i].keylen,
			rfc6238[i].t, 8, rfc6238[i].alg),
		    rfc6238[i].code);
}

static void
test_totp_code_matches_rfc4226_appendix_d(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rfc4226) / sizeof(rfc4226[0]); i++)
		assert_int_equal(
		    totp_code(key20(), 20, (int64_t)i * 30, 6, "SHA1"),
		    rfc4226[i]);
}

/* Seven digits are the eight-digit value mod 10^7. */
static void
test_totp_code_with_seven_digits(void **state)
{

	(void)state;
	assert_int_equal(totp_code(key20(), 20, 59, 7, "SHA1"), 4287082);
}

static void
test_totp_code_is_constant_within_a_step(void **state)
{

	(void)state;
	assert_int_equal(totp_code(key20(), 20, 30, 6, "SHA1"),
	    totp_code(key20(), 20, 59, 6, "SHA1"));
	assert_int_not_equal(totp_code(key20(), 20, 59, 6, "SHA1"),
	    totp_code(key20(), 20, 60, 6, "SHA1"));
}

static void
test_totp_code_refuses_bad_arguments(void **state)
{

	(void)state;
	assert_int_equal(totp_code(key20(), 20, 59, 5, "SHA1"), -1);
	assert_int_equal(totp_code(key20(), 20, 59, 9, "SHA1"), -1);
	assert_int_equal(totp_code(key20(), 20, 59, 6, "MD5"), -1);
	assert_int_equal(totp_code(key20(), 20, 59, 6, "sha1"), -1);
	assert_int_equal(totp_code(key20(), 20, 59, 6, NULL), -1);
	assert_int_equal(totp_code(key20(), 20, -1, 6, "SHA1"), -1);
	assert_int_equal(totp_code(key20(), 0, 59, 6, "SHA1"), -1);
	assert_int_equal(totp_code(NULL, 20, 59, 6, "SHA1"), -1);
}

static void
test_totp_secret_new_gives_distinct_secrets(void **state)
{
	uint8_t a[TOTP_SECRET_BYTES], b[TOTP_SECRET_BYTES];

	(void)state;
	totp_secret_new(a);
	totp_secret_new(b);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void
test_totp_verify_accepts_current_step_and_records_it(void **state)
{
	char code[TOTP_DIGITS + 1];
	int64_t last = -1;

	(void)state;
	code_at(code, 1000);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30 + 7, &last), 0);
	assert_int_equal(last, 1000);
}

static void
test_totp_verify_accepts_one_step_of_skew_either_way(void **state)
{
	char code[TOTP_DIGITS + 1];
	int64_t last = -1;

	(void)state;
	code_at(code, 999);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30, &last), 0);
	assert_int_equal(last, 999);
	last = -1;
	code_at(code, 1001);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30 + 29, &last), 0);
	assert_int_equal(last, 1001);
}

static void
test_totp_verify_refuses_two_steps_away(void **state)
{
	char code[TOTP_DIGITS + 1];
	int64_t last = -1;

	(void)state;
	code_at(code, 998);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30, &last), -1);
	code_at(code, 1002);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30, &last), -1);
	assert_int_equal(last, -1);
}

static void
test_totp_verify_refuses_replayed_code(void **state)
{
	char code[TOTP_DIGITS + 1];
	int64_t last = -1;

	(void)state;
	code_at(code, 1000);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30, &last), 0);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30 + 20, &last), -1);
	assert_int_equal(last, 1000);
}

/* Once a later step was used, an earlier one within the window is not. */
static void
test_totp_verify_refuses_step_before_last_used(void **state)
{
	char code[TOTP_DIGITS + 1];
	int64_t last = 1000;

	(void)state;
	code_at(code, 999);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30, &last), -1);
	code_at(code, 1001);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30, &last), 0);
	assert_int_equal(last, 1001);
}

static void
test_totp_verify_refuses_wrong_code(void **state)
{
	char code[TOTP_DIGITS + 1];
	int64_t last = -1;

	(void)state;
	code_at(code, 1000);
	code[5] = code[5] == '9' ? '0' : (char)(code[5] + 1);
	assert_int_equal(totp_verify(key20(), code, 1000 * 30, &last), -1);
}

static void
test_totp_verify_refuses_malformed_code(void **state)
{
	char code[TOTP_DIGITS + 1], buf[16];
	int64_t last = -1;

	(void)state;
	code_at(code, 1000);
	/* Each variant still contains the right digits. */
	memcpy(buf, code, 5);
	buf[5] = '\0';
	assert_int_equal(totp_verify(key20(), buf, 30000, &last), -1);
	memcpy(buf, code, 6);
	memcpy(buf + 6, "0", 2);
	assert_int_equal(totp_verify(key20(), buf, 30000, &last), -1);
	memcpy(buf, code, 6);
	memcpy(buf + 6, " ", 2);
	assert_int_equal(totp_verify(key20(), buf, 30000, &last), -1);
	buf[0] = ' ';
	memcpy(buf + 1, code, 7);
	assert_int_equal(totp_verify(key20(), buf, 30000, &last), -1);
	assert_int_equal(totp_verify(key20(), "", 30000, &last), -1);
	assert_int_equal(totp_verify(key20(), "12a456", 30000, &last), -1);
	assert_int_equal(totp_verify(key20(), "+12345", 30000, &last), -1);
	assert_int_equal(totp_verify(key20(), NULL, 30000, &last), -1);
	assert_int_equal(last, -1);
}

#define URI_WANT                                                               \
	"otpauth://totp/Dissent%20Example:alice%40example.org"                 \
	"?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Dissent%20Example"    \
	"&algorithm=SHA1&digits=6&period=30"

static void
test_totp_uri_follows_key_uri_format(void **state)
{
	char uri[256];

	(void)state;
	assert_int_equal(totp_uri(uri, sizeof(uri), key20(), "Dissent Example",
			     "alice@example.org"),
	    0);
	assert_string_equal(uri, URI_WANT);
}

static void
test_totp_uri_percent_encodes_colon_in_names(void **state)
{
	char uri[256];

	(void)state;
	assert_int_equal(
	    totp_uri(uri, sizeof(uri), key20(), "a:b", "c:d/e"), 0);
	assert_non_null(strstr(uri, "totp/a%3Ab:c%3Ad%2Fe?"));
}

static void
test_totp_uri_fits_exact_buffer_and_refuses_smaller(void **state)
{
	char uri[sizeof(URI_WANT)];
	size_t cap;

	(void)state;
	assert_int_equal(totp_uri(uri, sizeof(uri), key20(), "Dissent Example",
			     "alice@example.org"),
	    0);
	assert_string_equal(uri, URI_WANT);
	for (cap = 0; cap < sizeof(URI_WANT); cap++)
		assert_int_equal(totp_uri(uri, cap, key20(), "Dissent Example",
				     "alice@example.org"),
		    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_totp_code_matches_rfc6238_appendix_b),
	    cmocka_unit_test(test_totp_code_matches_rfc4226_appendix_d),
	    cmocka_unit_test(test_totp_code_with_seven_digits),
	    cmocka_unit_test(test_totp_code_is_constant_within_a_step),
	    cmocka_unit_test(test_totp_code_refuses_bad_arguments),
	    cmocka_unit_test(test_totp_secret_new_gives_distinct_secrets),
	    cmocka_unit_test(
		test_totp_verify_accepts_current_step_and_records_it),
	    cmocka_unit_test(
		test_totp_verify_accepts_one_step_of_skew_either_way),
	    cmocka_unit_test(test_totp_verify_refuses_two_steps_away),
	    cmocka_unit_test(test_totp_verify_refuses_replayed_code),
	    cmocka_unit_test(test_totp_verify_refuses_step_before_last_used),
	    cmocka_unit_test(test_totp_verify_refuses_wrong_code),
	    cmocka_unit_test(test_totp_verify_refuses_malformed_code),
	    cmocka_unit_test(test_totp_uri_follows_key_uri_format),
	    cmocka_unit_test(test_totp_uri_percent_encodes_colon_in_names),
	    cmocka_unit_test(
		test_totp_uri_fits_exact_buffer_and_refuses_smaller),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
