/*
 * Per-address token buckets (src/server/ratelimit.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>
#include <sodium.h>

#include "ratelimit.h"

/* The bucket key of the numeric address ${text}. */
static void
key_of(uint8_t key[RATELIMIT_KEY_BYTES], const char *text)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, text, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		assert_int_equal(
		    ratelimit_key(key, (struct sockaddr *)&sin), 0);
		return;
	}
	assert_int_equal(inet_pton(AF_INET6, text, &sin6.sin6_addr), 1);
	sin6.sin6_family = AF_INET6;
	assert_int_equal(ratelimit_key(key, (struct sockaddr *)&sin6), 0);
}

/* Spend ${n} requests of ${addr} at ${t}; return how many were allowed. */
static int
spend(struct ratelimit *rl, const char *addr, int n, int64_t t)
{
	uint8_t key[RATELIMIT_KEY_BYTES];
	unsigned int retry;
	int i, ok = 0;

	key_of(key, addr);
	for (i = 0; i < n; i++)
		if (ratelimit_take(rl, key, t, &retry) == 0)
			ok++;
	return (ok);
}

static void
test_allows_a_burst_of_the_per_minute_count(void **state)
{
	struct ratelimit *rl;

	(void)state;
	assert_non_null(rl = ratelimit_new(60, 64));
	assert_int_equal(spend(rl, "192.0.2.1", 60, 1000), 60);
	assert_int_equal(spend(rl, "192.0.2.1", 1, 1000), 0);
	ratelimit_free(rl);
}

static void
test_refusal_says_when_to_retry(void **state)
{
	struct ratelimit *rl;
	uint8_t key[RATELIMIT_KEY_BYTES];
	unsigned int retry = 0;

	(void)state;
	assert_non_null(rl = ratelimit_new(6, 64));
	assert_int_equal(spend(rl, "192.0.2.1", 6, 0), 6);
	key_of(key, "192.0.2.1");
	/* 6 per minute: one request every 10 seconds. */
	assert_int_equal(ratelimit_take(rl, key, 0, &retry), 1);
	assert_int_equal(retry, 10);
	assert_int_equal(ratelimit_take(rl, key, 9500, &retry), 1);
	assert_int_equal(retry, 1);
	ratelimit_free(rl);
}

static void
test_refills_over_time(void **state)
{
	struct ratelimit *rl;

	(void)state;
	assert_non_null(rl = ratelimit_new(60, 64));
	assert_int_equal(spend(rl, "192.0.2.1", 61, 0), 60);
	/* One token per second at 60 per minute. */
	assert_int_equal(spend(rl, "192.0.2.1", 2, 1000), 1);
	assert_int_equal(spend(rl, "192.0.2.1", 5, 4000), 3);
	/* A minute later the whole burst is back, and no more. */
	assert_int_equal(spend(rl, "192.0.2.1", 100, 70000), 60);
	ratelimit_free(rl);
}

static void
test_addresses_are_independent(void **state)
{
	struct ratelimit *rl;

	(void)state;
	assert_non_null(rl = ratelimit_new(3, 64));
	assert_int_equal(spend(rl, "192.0.2.1", 5, 0), 3);
	assert_int_equal(spend(rl, "192.0.2.2", 5, 0), 3);
	ratelimit_free(rl);
}

static void
test_ipv6_is_limited_per_64(void **state)
{
	struct ratelimit *rl;

	(void)state;
	assert_non_null(rl = ratelimit_new(3, 64));
	assert_int_equal(spend(rl, "2001:db8:1:2::1", 2, 0), 2);
	assert_int_equal(spend(rl, "2001:db8:1:2:ffff::9", 5, 0), 1);
	assert_int_equal(spend(rl, "2001:db8:1:3::1", 5, 0), 3);
	ratelimit_free(rl);
}

static void
test_ipv4_mapped_is_the_ipv4_address(void **state)
{
	uint8_t a[RATELIMIT_KEY_BYTES], b[RATELIMIT_KEY_BYTES];

	(void)state;
	key_of(a, "192.0.2.7");
	key_of(b, "::ffff:192.0.2.7");
	assert_memory_equal(a, b, RATELIMIT_KEY_BYTES);
}

static void
test_key_refuses_other_families(void **state)
{
	uint8_t key[RATELIMIT_KEY_BYTES];
	struct sockaddr sa;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	assert_int_equal(ratelimit_key(key, &sa), -1);
	assert_int_equal(ratelimit_key(key, NULL), -1);
}

static void
test_zero_rate_means_no_limit(void **state)
{
	struct ratelimit *rl;

	(void)state;
	assert_non_null(rl = ratelimit_new(0, 64));
	assert_int_equal(spend(rl, "192.0.2.1", 10000, 0), 10000);
	ratelimit_free(rl);
}

static void
test_table_stays_bounded_under_many_addresses(void **state)
{
	struct ratelimit *rl;
	char addr[32];
	int i, allowed = 0;

	(void)state;
	/* 16 slots, 5000 addresses: each still gets its first request. */
	assert_non_null(rl = ratelimit_new(1, 16));
	for (i = 0; i < 5000; i++) {
		snprintf(addr, sizeof(addr), "10.%d.%d.1", i / 256, i % 256);
		allowed += spend(rl, addr, 1, i);
	}
	assert_int_equal(allowed, 5000);
	ratelimit_free(rl);
}

static void
test_limited_address_stays_limited_while_there_is_room(void **state)
{
	struct ratelimit *rl;
	char addr[32];
	int i;

	(void)state;
	assert_non_null(rl = ratelimit_new(2, 4096));
	assert_int_equal(spend(rl, "192.0.2.1", 3, 0), 2);
	for (i = 0; i < 100; i++) {
		snprintf(addr, sizeof(addr), "10.0.%d.1", i);
		(void)spend(rl, addr, 1, 0);
	}
	assert_int_equal(spend(rl, "192.0.2.1", 1, 0), 0);
	ratelimit_free(rl);
}

static void
test_clock_going_back_refills_nothing(void **state)
{
	struct ratelimit *rl;

	(void)state;
	assert_non_null(rl = ratelimit_new(2, 64));
	assert_int_equal(spend(rl, "192.0.2.1", 2, 100000), 2);
	assert_int_equal(spend(rl, "192.0.2.1", 1, 0), 0);
	ratelimit_free(rl);
}

static void
test_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	ratelimit_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_allows_a_burst_of_the_per_minute_count),
	    cmocka_unit_test(test_refusal_says_when_to_retry),
	    cmocka_unit_test(test_refills_over_time),
	    cmocka_unit_test(test_addresses_are_independent),
	    cmocka_unit_test(test_ipv6_is_limited_per_64),
	    cmocka_unit_test(test_ipv4_mapped_is_the_ipv4_address),
	    cmocka_unit_test(test_key_refuses_other_families),
	    cmocka_unit_test(test_zero_rate_means_no_limit),
	    cmocka_unit_test(test_table_stays_bounded_under_many_addresses),
	    cmocka_unit_test(
		test_limited_address_stays_limited_while_there_is_room),
	    cmocka_unit_test(test_clock_going_back_refills_nothing),
	    cmocka_unit_test(test_free_of_null_is_a_no_op),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
