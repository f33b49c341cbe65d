#ifndef BINENC_H_
#define BINENC_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Fixed binary encoding used for everything that is signed or hashed
 * (docs/PROTOCOL.md, "Binary encoding").  Integers are big-endian;
 * variable-length fields are a u32 length followed by the bytes.
 *
 * The writer appends into a caller-owned buffer of fixed capacity.  Once any
 * append would overflow, the writer is marked failed, further appends are
 * ignored and binenc_finish() returns -1: callers check once at the end.
 */
struct binenc {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int failed;
};

/**
 * binenc_init(e, buf, cap):
 * Start writing into ${buf} of ${cap} bytes.
 */
void binenc_init(struct binenc *e, uint8_t *buf, size_t cap);

/**
 * binenc_u8(e, v), binenc_u32(e, v), binenc_u64(e, v):
 * Append ${v} as 1, 4 or 8 big-endian bytes.
 */
void binenc_u8(struct binenc *e, uint8_t v);
void binenc_u32(struct binenc *e, uint32_t v);
void binenc_u64(struct binenc *e, uint64_t v);

/**
 * binenc_fixed(e, p, n):
 * Append ${n} bytes from ${p} with no length prefix (fixed-size fields).
 */
void binenc_fixed(struct binenc *e, const uint8_t *p, size_t n);

/**
 * binenc_var(e, p, n):
 * Append u32(${n}) followed by ${n} bytes from ${p}.
 */
void binenc_var(struct binenc *e, const uint8_t *p, size_t n);

/**
 * binenc_str(e, s):
 * Append the NUL-terminated string ${s} as binenc_var() of its bytes.
 */
void binenc_str(struct binenc *e, const char *s);

/**
 * binenc_finish(e, len):
 * Return 0 and store the encoded length in ${len}, or -1 if any append
 * overflowed the buffer.
 */
int binenc_finish(const struct binenc *e, size_t *len)
    __attribute__((warn_unused_result));

/*
 * Reader for the same encoding.  Every read checks bounds; after the first
 * failure all reads fail and bindec_finish() returns -1.
 */
struct bindec {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	int failed;
};

/**
 * bindec_init(d, buf, len):
 * Start reading ${len} bytes from ${buf}.
 */
void bindec_init(struct bindec *d, const uint8_t *buf, size_t len);

/**
 * bindec_u8(d, v), bindec_u32(d, v), bindec_u64(d, v):
 * Read a big-endian integer into ${v}; return 0 or -1 on truncation.
 */
int bindec_u8(struct bindec *d, uint8_t *v);
int bindec_u32(struct bindec *d, uint32_t *v);
int bindec_u64(struct bindec *d, uint64_t *v);

/**
 * bindec_fixed(d, p, n):
 * Copy the next ${n} bytes into ${p}; return 0 or -1 on truncation.
 */
int bindec_fixed(struct bindec *d, uint8_t *p, size_t n);

/**
 * bindec_var(d, p, n, max):
 * Read a u32 length and point ${p} at that many bytes inside the input
 * (no copy), storing the length in ${n}.  Fail if the length exceeds ${max}
 * or the remaining input.
 */
int bindec_var(struct bindec *d, const uint8_t **p, size_t *n, size_t max);

/**
 * bindec_finish(d):
 * Return 0 if no read failed and the whole input was consumed, else -1.
 */
int bindec_finish(const struct bindec *d) __attribute__((warn_unused_result));

#endif /* !BINENC_H_ */
