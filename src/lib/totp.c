#include <stdint.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <sodium.h>

#include "totp.h"

/* Longest HMAC key accepted (RFC 6238's SHA-512 test key is 64 bytes). */
#define TOTP_SECRET_MAX 128

/* Longest HMAC output used (SHA-512). */
#define TOTP_MAC_MAX 64

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * totp_secret_new(secret):
 * Fill ${secret} with random bytes.
 */
void
totp_secret_new(uint8_t secret[TOTP_SECRET_BYTES])
{

	randombytes_buf(secret, TOTP_SECRET_BYTES);
}

/*
 * HOTP (RFC 4226 §5.3) of ${secret} at ${counter} with ${digits} digits and
 * HMAC-${alg}: the HMAC of the 8-byte big-endian counter, dynamically
 * truncated to 31 bits, mod 10^digits.  Return it, or -1 on bad arguments.
 */
static int64_t
hotp(const uint8_t *secret, size_t secretlen, uint64_t counter, int digits,
    const char *alg)
{
	static const uint32_t modulus[] = {1000000, 10000000, 100000000};
	gnutls_mac_algorithm_t mac;
	uint8_t msg[8];
	uint8_t h[TOTP_MAC_MAX];
	size_t hlen, off, i;
	uint32_t bin;

	if (secret == NULL || secretlen == 0 || secretlen > TOTP_SECRET_MAX ||
	    digits < 6 || digits > 8 || alg == NULL)
		return (-1);
	if (strcmp(alg, "SHA1") == 0) {
		mac = GNUTLS_MAC_SHA1;
		hlen = 20;
	} else if (strcmp(alg, "SHA256") == 0) {
		mac = GNUTLS_MAC_SHA256;
		hlen = 32;
	} else if (strcmp(alg, "SHA512") == 0) {
		mac = GNUTLS_MAC_SHA512;
		hlen = 64;
	} else
		return (-1);

	for (i = 0; i < 8; i++)
		msg[i] = (uint8_t)(counter >> (56 - 8 * i));
	if (gnutls_hmac_fast(mac, secret, secretlen, msg, sizeof(msg), h) != 0)
		goto err0;

	/* The low 4 bits of the last byte choose where 31 bits are taken. */
	off = h[hlen - 1] & 0x0f;
	bin = ((uint32_t)(h[off] & 0x7f) << 24) | ((uint32_t)h[off + 1] << 16) |
	      ((uint32_t)h[off + 2] << 8) | (uint32_t)h[off + 3];
	sodium_memzero(h, sizeof(h));
	return ((int64_t)(bin % modulus[digits - 6]));

err0:
	sodium_memzero(h, sizeof(h));
	return (-1);
}

/**
 * totp_code(secret, secretlen, t, digits, alg):
 * Return the TOTP value of ${secret} at Unix time ${t} as an integer below
 * 10^${digits} (6..8), using HMAC with ${alg} ("SHA1", "SHA256" or
 * "SHA512"), or -1 on bad arguments.
 */
int64_t
totp_code(const uint8_t *secret, size_t secretlen, int64_t t, int digits,
    const char *alg)
{

	/* RFC 6238 §4.2: T = floor((t - T0) / X) with T0 = 0, X = 30. */
	if (t < 0)
		return (-1);
	return (hotp(secret, secretlen, (uint64_t)t / TOTP_STEP, digits, alg));
}

/**
 * totp_verify(secret, code, t, last_step):
 * Check the 6-digit ${code} (a string of exactly 6 ASCII digits) against
 * ${secret} at Unix time ${t}, allowing one step of clock skew either way,
 * in constant time over the candidate values.  A step at or before
 * *${last_step} is refused (no replay); on success *${last_step} is set to
 * the matched step.  Return 0 if accepted, else -1.
 */
int
totp_verify(const uint8_t secret[TOTP_SECRET_BYTES], const char *code,
    int64_t t, int64_t *last_step)
{
	char cand[TOTP_DIGITS];
	int64_t now, step, matched = -1, v;
	int found = 0, failed = 0, eq, d;
	size_t i;

	if (code == NULL || last_step == NULL || t < 0)
		return (-1);
	for (i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return (-1);
	if (code[TOTP_DIGITS] != '\0')
		return (-1);

	/*
	 * RFC 6238 §5.2 allows a window for clock drift; we take one step
	 * before and after.  Every candidate is computed and compared, and
	 * the comparison itself is constant time, so timing does not tell
	 * how close a guess came.
	 */
	now = t / TOTP_STEP;
	for (d = -1; d <= 1; d++) {
		step = now + d;
		if (step < 0)
			continue;
		if ((v = hotp(secret, TOTP_SECRET_BYTES, (uint64_t)step,
			 TOTP_DIGITS, "SHA1")) < 0) {
			failed = 1;
			continue;
		}
		for (i = TOTP_DIGITS; i > 0; i--) {
			cand[i - 1] = (char)('0' + v % 10);
			v /= 10;
		}
		eq = sodium_memcmp(cand, code, TOTP_DIGITS) == 0;
		/* A step already used (or older) never counts: no replay. */
		if (eq && step > *last_step && !found) {
			found = 1;
			matched = step;
		}
	}
	sodium_memzero(cand, sizeof(cand));
	if (failed || !found)
		return (-1);
	*last_step = matched;
	return (0);
}

/*
 * A bounded string writer for totp_uri(): appends fail once the buffer
 * (NUL included) would overflow, and the failure sticks.
 */
struct uri {
	char *out;
	size_t cap;
	size_t len;
	int failed;
};

static void
uri_putc(struct uri *u, char c)
{

	if (u->failed || u->cap - u->len < 2) {
		u->failed = 1;
		return;
	}
	u->out[u->len++] = c;
	u->out[u->len] = '\0';
}

static void
uri_puts(struct uri *u, const char *s)
{

	for (; *s != '\0'; s++)
		uri_putc(u, *s);
}

/* Append ${s} percent-encoded: all but RFC 3986 unreserved characters. */
static void
uri_put_encoded(struct uri *u, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			uri_putc(u, (char)c);
		} else {
			uri_putc(u, '%');
			uri_putc(u, hex[c >> 4]);
			uri_putc(u, hex[c & 0x0f]);
		}
	}
}

/**
 * totp_uri(out, cap, secret, issuer, account):
 * Write an otpauth://totp/ URI for authenticator apps into ${out} (${cap}
 * bytes), percent-encoding ${issuer} and ${account}.  Return 0, or -1 if it
 * does not fit.
 */
int
totp_uri(char *out, size_t cap, const uint8_t secret[TOTP_SECRET_BYTES],
    const char *issuer, const char *account)
{
	char b32[TOTP_SECRET_B32_LEN + 1];
	struct uri u = {out, cap, 0, 0};
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t i, o = 0;

	if (cap == 0 || issuer == NULL || account == NULL)
		return (-1);
	out[0] = '\0';

	/* RFC 4648 §6 base32: 160 bits are 32 characters, no padding. */
	for (i = 0; i < TOTP_SECRET_BYTES; i++) {
		acc = (acc << 8) | secret[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			b32[o++] = base32_alphabet[(acc >> bits) & 0x1f];
		}
	}
	b32[o] = '\0';

	/*
	 * Google Authenticator's Key URI format: the label is
	 * "issuer:account" with a literal colon, and the issuer is repeated
	 * as a parameter; the parameters that every app assumes are spelt
	 * out.
	 */
	uri_puts(&u, "otpauth://totp/");
	uri_put_encoded(&u, issuer);
	uri_putc(&u, ':');
	uri_put_encoded(&u, account);
	uri_puts(&u, "?secret=");
	uri_puts(&u, b32);
	uri_puts(&u, "&issuer=");
	uri_put_encoded(&u, issuer);
	uri_puts(&u, "&algorithm=SHA1&digits=6&period=30");

	sodium_memzero(b32, sizeof(b32));
	sodium_memzero(&acc, sizeof(acc));
	if (u.failed) {
		sodium_memzero(out, cap);
		return (-1);
	}
	return (0);
}
