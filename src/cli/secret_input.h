#ifndef SECRET_INPUT_H_
#define SECRET_INPUT_H_

#include <stddef.h>

/*
 * Reading secrets (passwords, enrollment, recovery and TOTP codes).  They
 * never come from the command line: either from the terminal (/dev/tty,
 * echo off, prompt on stderr) or, for scripts, one line per secret from a
 * file descriptor named by a --*-fd flag.  Secrets live in buffers from
 * secret_input_alloc(), which are locked in memory and wiped when freed.
 */

/* Longest secret accepted (bytes, without the newline). */
#define SECRET_INPUT_MAX 1024
/* Size of a buffer from secret_input_alloc(). */
#define SECRET_INPUT_CAP (SECRET_INPUT_MAX + 1)
/* Fewest characters (UTF-8 code points) of a new password. */
#define SECRET_INPUT_PASSWORD_MIN 10

/* Returned by secret_input_tty() when there is no terminal. */
#define SECRET_INPUT_NOTTY (-2)

/**
 * secret_input_alloc():
 * Return a zeroed, guarded buffer of SECRET_INPUT_CAP bytes for a secret,
 * or NULL if out of memory.
 */
char *secret_input_alloc(void);

/**
 * secret_input_free(buf):
 * Wipe and free a buffer from secret_input_alloc().  ${buf} may be NULL.
 */
void secret_input_free(char *buf);

/**
 * secret_input_fd(fd, buf, len, err, errcap):
 * Read one line from ${fd} into ${buf} (SECRET_INPUT_CAP bytes), without
 * reading past its newline so that the next line stays for the next
 * secret.  The newline (and a '\r' before it) is stripped; a last line
 * without a newline is accepted.  Store its length in ${len}.  Return 0,
 * or -1 with a message in ${err} if ${fd} is not open, is at its end,
 * gives an empty line, a NUL byte or more than SECRET_INPUT_MAX bytes.
 */
int secret_input_fd(int fd, char *buf, size_t *len, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * secret_input_tty(prompt, buf, len, err, errcap):
 * Print ${prompt} on stderr and read one line from the terminal with echo
 * off into ${buf} (SECRET_INPUT_CAP bytes); the terminal's settings are
 * restored even if the process is interrupted.  Return 0,
 * SECRET_INPUT_NOTTY if there is no terminal, or -1 with a message in
 * ${err} under the rules of secret_input_fd().
 */
int secret_input_tty(const char *prompt, char *buf, size_t *len, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * secret_input_get(fd, prompt, fdflag, buf, len, err, errcap):
 * Read a secret from ${fd} if it is >= 0, else from the terminal with
 * ${prompt}.  Without a terminal, fail with a message naming ${fdflag}
 * (e.g. "--password-fd").  Return 0 or -1 (message in ${err}).
 */
int secret_input_get(int fd, const char *prompt, const char *fdflag, char *buf,
    size_t *len, char *err, size_t errcap) __attribute__((warn_unused_result));

/**
 * secret_input_new_password(fd, prompt, buf, len, err, errcap):
 * Read a new password: one line from ${fd} if it is >= 0, else twice from
 * the terminal (${prompt}, then a confirmation) and the two must match.
 * Refuse passwords shorter than SECRET_INPUT_PASSWORD_MIN characters.
 * Return 0 or -1 (message in ${err}).
 */
int secret_input_new_password(int fd, const char *prompt, char *buf,
    size_t *len, char *err, size_t errcap) __attribute__((warn_unused_result));

/**
 * secret_input_chars(s, len):
 * Return the number of UTF-8 characters in the ${len} bytes of ${s}
 * (bytes that do not continue a sequence).
 */
size_t secret_input_chars(const char *s, size_t len);

#endif /* !SECRET_INPUT_H_ */
