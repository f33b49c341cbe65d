#ifndef TOTP_H_
#define TOTP_H_

#include <stddef.h>
#include <stdint.h>

/*
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), HMAC-SHA1,
 * 6 digits, 30-second steps: the parameters authenticator apps assume.
 */
#define TOTP_SECRET_BYTES 20
#define TOTP_DIGITS 6
#define TOTP_STEP 30
/* Base32 of the secret without padding, NUL-terminated. */
#define TOTP_SECRET_B32_LEN 32

/**
 * totp_secret_new(secret):
 * Fill ${secret} with random bytes.
 */
void totp_secret_new(uint8_t secret[TOTP_SECRET_BYTES]);

/**
 * totp_code(secret, secretlen, t, digits, alg):
 * Return the TOTP value of ${secret} at Unix time ${t} as an integer below
 * 10^${digits} (6..8), using HMAC with ${alg} ("SHA1", "SHA256" or
 * "SHA512"), or -1 on bad arguments.
 */
int64_t totp_code(const uint8_t *secret, size_t secretlen, int64_t t,
    int digits, const char *alg);

/**
 * totp_verify(secret, code, t, last_step):
 * Check the 6-digit ${code} (a string of exactly 6 ASCII digits) against
 * ${secret} at Unix time ${t}, allowing one step of clock skew either way,
 * in constant time over the candidate values.  A step at or before
 * *${last_step} is refused (no replay); on success *${last_step} is set to
 * the matched step.  Return 0 if accepted, else -1.
 */
int totp_verify(const uint8_t secret[TOTP_SECRET_BYTES], const char *code,
    int64_t t, int64_t *last_step) __attribute__((warn_unused_result));

/**
 * totp_uri(out, cap, secret, issuer, account):
 * Write an otpauth://totp/ URI for authenticator apps into ${out} (${cap}
 * bytes), percent-encoding ${issuer} and ${account}.  Return 0, or -1 if it
 * does not fit.
 */
int totp_uri(char *out, size_t cap, const uint8_t secret[TOTP_SECRET_BYTES],
    const char *issuer, const char *account)
    __attribute__((warn_unused_result));

#endif /* !TOTP_H_ */
