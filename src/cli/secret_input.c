#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "secret_input.h"

/*
 * The terminal whose echo is off, and its settings, for the signal handler
 * that restores them if the process is interrupted while a secret is being
 * typed.
 */
static volatile sig_atomic_t tty_saved;
static int tty_fd = -1;
static struct termios tty_orig;

/* Signals during which the terminal must get its echo back. */
static const int restore_signals[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP};
#define NSIGNALS (sizeof(restore_signals) / sizeof(restore_signals[0]))

/**
 * secret_input_alloc():
 * Return a zeroed, guarded buffer of SECRET_INPUT_CAP bytes for a secret,
 * or NULL if out of memory.
 */
char *
secret_input_alloc(void)
{
	char *buf;

	if ((buf = sodium_malloc(SECRET_INPUT_CAP)) == NULL)
		return (NULL);
	sodium_memzero(buf, SECRET_INPUT_CAP);
	return (buf);
}

/**
 * secret_input_free(buf):
 * Wipe and free a buffer from secret_input_alloc().  ${buf} may be NULL.
 */
void
secret_input_free(char *buf)
{

	/* sodium_free() wipes the buffer before releasing it. */
	sodium_free(buf);
}

/**
 * secret_input_chars(s, len):
 * Return the number of UTF-8 characters in the ${len} bytes of ${s}
 * (bytes that do not continue a sequence).
 */
size_t
secret_input_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return (n);
}

/*
 * Read one line from ${fd} a byte at a time (so nothing after the newline
 * is consumed) into ${buf}.  ${what} names the source in messages.  If
 * ${drain}, the rest of a too-long line is read and dropped (for the
 * terminal, so the rest does not reach the shell).
 */
static int
read_line(int fd, const char *what, int drain, char *buf, size_t *len,
    char *err, size_t errcap)
{
	size_t n = 0;
	ssize_t r;
	char ch;
	int got_any = 0, nul = 0, toolong = 0;

	for (;;) {
		r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			(void)snprintf(err, errcap, "cannot read from %s: %s",
			    what, strerror(errno));
			goto err0;
		}
		if (r == 0)
			break;
		got_any = 1;
		if (ch == '\n')
			break;
		if (ch == '\0')
			nul = 1;
		if (n >= SECRET_INPUT_MAX) {
			toolong = 1;
			if (!drain)
				break;
			continue;
		}
		buf[n++] = ch;
	}
	ch = 0;
	if (toolong) {
		(void)snprintf(err, errcap,
		    "the line read from %s is longer "
		    "than %d bytes",
		    what, SECRET_INPUT_MAX);
		goto err0;
	}
	if (!got_any) {
		(void)snprintf(err, errcap, "nothing left to read on %s", what);
		goto err0;
	}
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (nul) {
		(void)snprintf(err, errcap,
		    "the line read from %s contains "
		    "a NUL byte",
		    what);
		goto err0;
	}
	if (n == 0) {
		(void)snprintf(
		    err, errcap, "the line read from %s is empty", what);
		goto err0;
	}
	buf[n] = '\0';
	*len = n;
	return (0);

err0:
	sodium_memzero(buf, SECRET_INPUT_CAP);
	*len = 0;
	return (-1);
}

/**
 * secret_input_fd(fd, buf, len, err, errcap):
 * Read one line from ${fd} into ${buf} (SECRET_INPUT_CAP bytes), without
 * reading past its newline so that the next line stays for the next
 * secret.  The newline (and a '\r' before it) is stripped; a last line
 * without a newline is accepted.  Store its length in ${len}.  Return 0,
 * or -1 with a message in ${err} if ${fd} is not open, is at its end,
 * gives an empty line, a NUL byte or more than SECRET_INPUT_MAX bytes.
 */
int
secret_input_fd(int fd, char *buf, size_t *len, char *err, size_t errcap)
{
	char what[32];

	(void)snprintf(what, sizeof(what), "file descriptor %d", fd);
	if (fd < 0 || fcntl(fd, F_GETFD) == -1) {
		(void)snprintf(err, errcap, "%s is not open", what);
		return (-1);
	}
	return (read_line(fd, what, 0, buf, len, err, errcap));
}

/* Put the terminal's settings back (async-signal-safe). */
static void
tty_restore(void)
{

	if (tty_saved) {
		(void)tcsetattr(tty_fd, TCSAFLUSH, &tty_orig);
		tty_saved = 0;
	}
}

/* Restore the terminal, then die of the signal as if never caught. */
static void
on_signal(int sig)
{

	tty_restore();
	(void)signal(sig, SIG_DFL);
	(void)raise(sig);
}

/**
 * secret_input_tty(prompt, buf, len, err, errcap):
 * Print ${prompt} on stderr and read one line from the terminal with echo
 * off into ${buf} (SECRET_INPUT_CAP bytes); the terminal's settings are
 * restored even if the process is interrupted.  Return 0,
 * SECRET_INPUT_NOTTY if there is no terminal, or -1 with a message in
 * ${err} under the rules of secret_input_fd().
 */
int
secret_input_tty(
    const char *prompt, char *buf, size_t *len, char *err, size_t errcap)
{
	struct sigaction sa, old[NSIGNALS];
	struct termios quiet;
	size_t i;
	int fd, rc;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return (SECRET_INPUT_NOTTY);
	if (tcgetattr(fd, &tty_orig) != 0) {
		(void)close(fd);
		return (SECRET_INPUT_NOTTY);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	(void)sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		(void)sigaction(restore_signals[i], &sa, &old[i]);

	quiet = tty_orig;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
	quiet.c_lflag |= ICANON | ECHONL;
	tty_fd = fd;
	tty_saved = 1;
	fputs(prompt, stderr);
	(void)fflush(stderr);
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
		(void)snprintf(err, errcap,
		    "cannot turn the terminal's echo "
		    "off: %s",
		    strerror(errno));
		rc = -1;
	} else {
		rc = read_line(fd, "the terminal", 1, buf, len, err, errcap);
	}
	tty_restore();
	for (i = 0; i < NSIGNALS; i++)
		(void)sigaction(restore_signals[i], &old[i], NULL);
	tty_fd = -1;
	(void)close(fd);
	return (rc);
}

/**
 * secret_input_get(fd, prompt, fdflag, buf, len, err, errcap):
 * Read a secret from ${fd} if it is >= 0, else from the terminal with
 * ${prompt}.  Without a terminal, fail with a message naming ${fdflag}
 * (e.g. "--password-fd").  Return 0 or -1 (message in ${err}).
 */
int
secret_input_get(int fd, const char *prompt, const char *fdflag, char *buf,
    size_t *len, char *err, size_t errcap)
{
	int rc;

	if (fd >= 0)
		return (secret_input_fd(fd, buf, len, err, errcap));
	rc = secret_input_tty(prompt, buf, len, err, errcap);
	if (rc == SECRET_INPUT_NOTTY) {
		(void)snprintf(err, errcap,
		    "no terminal to ask on: give %s N "
		    "and write the secret as one line to file descriptor N",
		    fdflag);
		return (-1);
	}
	return (rc);
}

/**
 * secret_input_new_password(fd, prompt, buf, len, err, errcap):
 * Read a new password: one line from ${fd} if it is >= 0, else twice from
 * the terminal (${prompt}, then a confirmation) and the two must match.
 * Refuse passwords shorter than SECRET_INPUT_PASSWORD_MIN characters.
 * Return 0 or -1 (message in ${err}).
 */
int
secret_input_new_password(int fd, const char *prompt, char *buf, size_t *len,
    char *err, size_t errcap)
{
	char *again = NULL;
	size_t againlen;

	if (secret_input_get(
		fd, prompt, "--password-fd", buf, len, err, errcap) != 0)
		goto err0;
	if (secret_input_chars(buf, *len) < SECRET_INPUT_PASSWORD_MIN) {
		(void)snprintf(err, errcap,
		    "a new password needs at least %d "
		    "characters",
		    SECRET_INPUT_PASSWORD_MIN);
		goto err1;
	}
	if (fd >= 0)
		return (0);

	if ((again = secret_input_alloc()) == NULL) {
		(void)snprintf(err, errcap, "out of memory");
		goto err1;
	}
	if (secret_input_get(fd, "Repeat it: ", "--password-fd", again,
		&againlen, err, errcap) != 0)
		goto err2;
	if (againlen != *len || sodium_memcmp(again, buf, againlen) != 0) {
		(void)snprintf(err, errcap, "the two passwords differ");
		goto err2;
	}
	secret_input_free(again);
	return (0);

err2:
	secret_input_free(again);
err1:
	sodium_memzero(buf, SECRET_INPUT_CAP);
	*len = 0;
err0:
	return (-1);
}
