#include <string.h>

#include "binenc.h"

/*
 * Append ${n} raw bytes, or mark the writer failed if they do not fit.  A
 * failed writer stays failed, so a caller checks only binenc_finish().
 */
static void
put(struct binenc *e, const uint8_t *p, size_t n)
{

	if (e->failed)
		return;
	if (n > e->cap - e->len) {
		e->failed = 1;
		return;
	}
	if (n > 0)
		memcpy(e->buf + e->len, p, n);
	e->len += n;
}

/**
 * binenc_init(e, buf, cap):
 * Start writing into ${buf} of ${cap} bytes.
 */
void
binenc_init(struct binenc *e, uint8_t *buf, size_t cap)
{

	e->buf = buf;
	e->cap = cap;
	e->len = 0;
	e->failed = 0;
}

/**
 * binenc_u8(e, v), binenc_u32(e, v), binenc_u64(e, v):
 * Append ${v} as 1, 4 or 8 big-endian bytes.
 */
void
binenc_u8(struct binenc *e, uint8_t v)
{

	put(e, &v, 1);
}

void
binenc_u32(struct binenc *e, uint32_t v)
{
	uint8_t b[4];

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
	put(e, b, sizeof(b));
}

void
binenc_u64(struct binenc *e, uint64_t v)
{
	uint8_t b[8];
	size_t i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	put(e, b, sizeof(b));
}

/**
 * binenc_fixed(e, p, n):
 * Append ${n} bytes from ${p} with no length prefix (fixed-size fields).
 */
void
binenc_fixed(struct binenc *e, const uint8_t *p, size_t n)
{

	put(e, p, n);
}

/**
 * binenc_var(e, p, n):
 * Append u32(${n}) followed by ${n} bytes from ${p}.
 */
void
binenc_var(struct binenc *e, const uint8_t *p, size_t n)
{

	/* A length that does not fit the u32 prefix cannot be encoded. */
	if (n > UINT32_MAX) {
		e->failed = 1;
		return;
	}
	/* Check the whole field first so no half-written field remains. */
	if (!e->failed && (e->cap - e->len < 4 || n > e->cap - e->len - 4)) {
		e->failed = 1;
		return;
	}
	binenc_u32(e, (uint32_t)n);
	put(e, p, n);
}

/**
 * binenc_str(e, s):
 * Append the NUL-terminated string ${s} as binenc_var() of its bytes.
 */
void
binenc_str(struct binenc *e, const char *s)
{

	binenc_var(e, (const uint8_t *)s, strlen(s));
}

/**
 * binenc_finish(e, len):
 * Return 0 and store the encoded length in ${len}, or -1 if any append
 * overflowed the buffer.
 */
int
binenc_finish(const struct binenc *e, size_t *len)
{

	if (e->failed)
		return (-1);
	*len = e->len;
	return (0);
}

/*
 * Take the next ${n} bytes of input: point ${p} at them and advance, or
 * mark the reader failed if fewer remain.
 */
static int
take(struct bindec *d, const uint8_t **p, size_t n)
{

	if (d->failed || n > d->len - d->pos) {
		d->failed = 1;
		return (-1);
	}
	*p = d->buf + d->pos;
	d->pos += n;
	return (0);
}

/**
 * bindec_init(d, buf, len):
 * Start reading ${len} bytes from ${buf}.
 */
void
bindec_init(struct bindec *d, const uint8_t *buf, size_t len)
{

	d->buf = buf;
	d->len = len;
	d->pos = 0;
	d->failed = 0;
}

/**
 * bindec_u8(d, v), bindec_u32(d, v), bindec_u64(d, v):
 * Read a big-endian integer into ${v}; return 0 or -1 on truncation.
 */
int
bindec_u8(struct bindec *d, uint8_t *v)
{
	const uint8_t *p;

	if (take(d, &p, 1) != 0)
		return (-1);
	*v = p[0];
	return (0);
}

int
bindec_u32(struct bindec *d, uint32_t *v)
{
	const uint8_t *p;

	if (take(d, &p, 4) != 0)
		return (-1);
	*v = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	     ((uint32_t)p[2] << 8) | (uint32_t)p[3];
	return (0);
}

int
bindec_u64(struct bindec *d, uint64_t *v)
{
	const uint8_t *p;
	uint64_t x = 0;
	size_t i;

	if (take(d, &p, 8) != 0)
		return (-1);
	for (i = 0; i < 8; i++)
		x = (x << 8) | p[i];
	*v = x;
	return (0);
}

/**
 * bindec_fixed(d, p, n):
 * Copy the next ${n} bytes into ${p}; return 0 or -1 on truncation.
 */
int
bindec_fixed(struct bindec *d, uint8_t *p, size_t n)
{
	const uint8_t *src;

	if (take(d, &src, n) != 0)
		return (-1);
	if (n > 0)
		memcpy(p, src, n);
	return (0);
}

/**
 * bindec_var(d, p, n, max):
 * Read a u32 length and point ${p} at that many bytes inside the input
 * (no copy), storing the length in ${n}.  Fail if the length exceeds ${max}
 * or the remaining input.
 */
int
bindec_var(struct bindec *d, const uint8_t **p, size_t *n, size_t max)
{
	uint32_t len;

	if (bindec_u32(d, &len) != 0)
		goto err0;
	if (len > max) {
		d->failed = 1;
		goto err0;
	}
	if (take(d, p, len) != 0)
		goto err0;
	*n = len;
	return (0);

err0:
	/* Leave nothing a careless caller could mistake for a field. */
	*p = NULL;
	*n = 0;
	return (-1);
}

/**
 * bindec_finish(d):
 * Return 0 if no read failed and the whole input was consumed, else -1.
 */
int
bindec_finish(const struct bindec *d)
{

	if (d->failed || d->pos != d->len)
		return (-1);
	return (0);
}
