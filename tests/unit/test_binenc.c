/*
 * The fixed binary encoding (docs/PROTOCOL.md, "Binary encoding"): writer
 * and reader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "binenc.h"

/* u8 7, u32 0x01020304, u64 2^40+5, fixed "ab", var "xyz", str "hi". */
static const uint8_t sample[] = {0x07, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x05, 'a', 'b', 0x00, 0x00, 0x00, 0x03, 'x', 'y',
    'z', 0x00, 0x00, 0x00, 0x02, 'h', 'i'};

static void
encode_sample(struct binenc *e, uint8_t *buf, size_t cap)
{

	binenc_init(e, buf, cap);
	binenc_u8(e, 7);
	binenc_u32(e, 0x01020304);
	binenc_u64(e, (1ULL << 40) + 5);
	binenc_fixed(e, (const uint8_t *)"ab", 2);
	binenc_var(e, (const uint8_t *)"xyz", 3);
	binenc_str(e, "hi");
}

static void
test_binenc_writes_big_endian_fields_and_length_prefixes(void **state)
{
	uint8_t buf[64];
	struct binenc e;
	size_t len;

	(void)state;
	encode_sample(&e, buf, sizeof(buf));
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(len, sizeof(sample));
	assert_memory_equal(buf, sample, sizeof(sample));
}

static void
test_binenc_u64_max_is_eight_ff_bytes(void **state)
{
	uint8_t buf[8], ff[8];
	struct binenc e;
	size_t len;

	(void)state;
	memset(ff, 0xff, sizeof(ff));
	binenc_init(&e, buf, sizeof(buf));
	binenc_u64(&e, UINT64_MAX);
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(len, 8);
	assert_memory_equal(buf, ff, 8);
}

static void
test_binenc_empty_var_is_zero_length_prefix(void **state)
{
	uint8_t buf[8];
	const uint8_t zero[4] = {0};
	struct binenc e;
	size_t len;

	(void)state;
	binenc_init(&e, buf, sizeof(buf));
	binenc_var(&e, NULL, 0);
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, zero, 4);
}

static void
test_binenc_exact_fit_succeeds(void **state)
{
	uint8_t buf[sizeof(sample)];
	struct binenc e;
	size_t len;

	(void)state;
	encode_sample(&e, buf, sizeof(buf));
	assert_int_equal(binenc_finish(&e, &len), 0);
	assert_int_equal(len, sizeof(sample));
}

static void
test_binenc_refuses_every_too_small_buffer(void **state)
{
	uint8_t buf[sizeof(sample)];
	struct binenc e;
	size_t cap, len;

	(void)state;
	for (cap = 0; cap < sizeof(sample); cap++) {
		encode_sample(&e, buf, cap);
		assert_int_equal(binenc_finish(&e, &len), -1);
		assert_true(e.len <= cap);
	}
}

static void
test_binenc_stays_failed_after_overflow(void **state)
{
	uint8_t buf[4];
	struct binenc e;
	size_t len;

	(void)state;
	binenc_init(&e, buf, sizeof(buf));
	binenc_u64(&e, 1);
	/* This one would fit, but the writer has already failed. */
	binenc_u8(&e, 1);
	assert_int_equal(e.len, 0);
	assert_int_equal(binenc_finish(&e, &len), -1);
}

static void
test_binenc_var_that_does_not_fit_leaves_no_partial_field(void **state)
{
	uint8_t buf[6];
	struct binenc e;
	size_t len;

	(void)state;
	binenc_init(&e, buf, sizeof(buf));
	binenc_var(&e, (const uint8_t *)"xyz", 3);
	assert_int_equal(e.len, 0);
	assert_int_equal(binenc_finish(&e, &len), -1);
}

static void
test_binenc_refuses_var_longer_than_u32(void **state)
{
	uint8_t buf[16];
	struct binenc e;
	size_t len;

	(void)state;
	binenc_init(&e, buf, sizeof(buf));
	/* The length is refused before any byte is read. */
	binenc_var(&e, buf, (size_t)UINT32_MAX + 1);
	assert_int_equal(binenc_finish(&e, &len), -1);
}

static void
test_bindec_reads_back_every_field(void **state)
{
	struct bindec d;
	uint8_t u8, fixed[2];
	uint32_t u32;
	uint64_t u64;
	const uint8_t *p;
	size_t n;

	(void)state;
	bindec_init(&d, sample, sizeof(sample));
	assert_int_equal(bindec_u8(&d, &u8), 0);
	assert_int_equal(u8, 7);
	assert_int_equal(bindec_u32(&d, &u32), 0);
	assert_int_equal(u32, 0x01020304);
	assert_int_equal(bindec_u64(&d, &u64), 0);
	assert_true(u64 == (1ULL << 40) + 5);
	assert_int_equal(bindec_fixed(&d, fixed, 2), 0);
	assert_memory_equal(fixed, "ab", 2);
	assert_int_equal(bindec_var(&d, &p, &n, 16), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "xyz", 3);
	/* No copy: the field points into the input. */
	assert_ptr_equal(p, sample + 19);
	assert_int_equal(bindec_var(&d, &p, &n, 2), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(p, "hi", 2);
	assert_int_equal(bindec_finish(&d), 0);
}

static void
test_bindec_refuses_every_truncation(void **state)
{
	struct bindec d;
	uint8_t u8, fixed[2];
	uint32_t u32;
	uint64_t u64;
	const uint8_t *p;
	size_t len, n;

	(void)state;
	for (len = 0; len < sizeof(sample); len++) {
		bindec_init(&d, sample, len);
		(void)bindec_u8(&d, &u8);
		(void)bindec_u32(&d, &u32);
		(void)bindec_u64(&d, &u64);
		(void)bindec_fixed(&d, fixed, 2);
		(void)bindec_var(&d, &p, &n, 16);
		assert_int_equal(bindec_var(&d, &p, &n, 16), -1);
		assert_true(d.failed);
		assert_int_equal(bindec_finish(&d), -1);
	}
}

static void
test_bindec_refuses_truncated_u32(void **state)
{
	const uint8_t in[3] = {1, 2, 3};
	struct bindec d;
	uint32_t v;

	(void)state;
	bindec_init(&d, in, sizeof(in));
	assert_int_equal(bindec_u32(&d, &v), -1);
	assert_int_equal(bindec_finish(&d), -1);
}

static void
test_bindec_refuses_truncated_u64(void **state)
{
	const uint8_t in[7] = {0};
	struct bindec d;
	uint64_t v;

	(void)state;
	bindec_init(&d, in, sizeof(in));
	assert_int_equal(bindec_u64(&d, &v), -1);
}

static void
test_bindec_refuses_u8_from_empty_input(void **state)
{
	struct bindec d;
	uint8_t v;

	(void)state;
	bindec_init(&d, NULL, 0);
	assert_int_equal(bindec_u8(&d, &v), -1);
	assert_int_equal(bindec_finish(&d), -1);
}

static void
test_bindec_refuses_var_longer_than_max(void **state)
{
	struct bindec d;
	const uint8_t *p;
	size_t n;

	(void)state;
	/* Skip to the "xyz" field, then allow only 2 bytes. */
	bindec_init(&d, sample + 15, sizeof(sample) - 15);
	assert_int_equal(bindec_var(&d, &p, &n, 2), -1);
	assert_null(p);
	assert_int_equal(n, 0);
	assert_int_equal(bindec_finish(&d), -1);
}

static void
test_bindec_refuses_var_longer_than_input(void **state)
{
	const uint8_t in[] = {0, 0, 0, 5, 'a', 'b', 'c', 'd'};
	struct bindec d;
	const uint8_t *p;
	size_t n;

	(void)state;
	bindec_init(&d, in, sizeof(in));
	assert_int_equal(bindec_var(&d, &p, &n, 100), -1);
}

static void
test_bindec_refuses_huge_declared_length(void **state)
{
	const uint8_t in[] = {0xff, 0xff, 0xff, 0xff, 'a'};
	struct bindec d;
	const uint8_t *p;
	size_t n;

	(void)state;
	bindec_init(&d, in, sizeof(in));
	assert_int_equal(bindec_var(&d, &p, &n, SIZE_MAX), -1);
}

static void
test_bindec_stays_failed_after_a_failed_read(void **state)
{
	const uint8_t in[] = {0, 0, 0, 9, 1};
	struct bindec d;
	const uint8_t *p;
	size_t n;
	uint8_t v;

	(void)state;
	bindec_init(&d, in, sizeof(in));
	assert_int_equal(bindec_var(&d, &p, &n, 100), -1);
	/* Five bytes remain unread, yet the reader has failed. */
	assert_int_equal(bindec_u8(&d, &v), -1);
	assert_int_equal(bindec_finish(&d), -1);
}

static void
test_bindec_finish_refuses_trailing_bytes(void **state)
{
	const uint8_t in[] = {1, 2};
	struct bindec d;
	uint8_t v;

	(void)state;
	bindec_init(&d, in, sizeof(in));
	assert_int_equal(bindec_u8(&d, &v), 0);
	assert_int_equal(bindec_finish(&d), -1);
}

static void
test_bindec_finish_accepts_empty_input(void **state)
{
	struct bindec d;

	(void)state;
	bindec_init(&d, NULL, 0);
	assert_int_equal(bindec_finish(&d), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		test_binenc_writes_big_endian_fields_and_length_prefixes),
	    cmocka_unit_test(test_binenc_u64_max_is_eight_ff_bytes),
	    cmocka_unit_test(test_binenc_empty_var_is_zero_length_prefix),
	    cmocka_unit_test(test_binenc_exact_fit_succeeds),
	    cmocka_unit_test(test_binenc_refuses_every_too_small_buffer),
	    cmocka_unit_test(test_binenc_stays_failed_after_overflow),
	    cmocka_unit_test(
		test_binenc_var_that_does_not_fit_leaves_no_partial_field),
	    cmocka_unit_test(test_binenc_refuses_var_longer_than_u32),
	    cmocka_unit_test(test_bindec_reads_back_every_field),
	    cmocka_unit_test(test_bindec_refuses_every_truncation),
	    cmocka_unit_test(test_bindec_refuses_truncated_u32),
	    cmocka_unit_test(test_bindec_refuses_truncated_u64),
	    cmocka_unit_test(test_bindec_refuses_u8_from_empty_input),
	    cmocka_unit_test(test_bindec_refuses_var_longer_than_max),
	    cmocka_unit_test(test_bindec_refuses_var_longer_than_input),
	    cmocka_unit_test(test_bindec_refuses_huge_declared_length),
	    cmocka_unit_test(test_bindec_stays_failed_after_a_failed_read),
	    cmocka_unit_test(test_bindec_finish_refuses_trailing_bytes),
	    cmocka_unit_test(test_bindec_finish_accepts_empty_input),
	};

	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
