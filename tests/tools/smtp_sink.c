/*
 * smtp_sink: a tiny SMTP server for tests.
 *
 *   smtp_sink DIR
 *
 * Listens on 127.0.0.1 on a free port, writes the port number to DIR/port
 * (atomically, once listening), and stores every message it accepts as
 * DIR/msg-N.eml (N = 1, 2, ...; written to a temporary name and renamed,
 * so a reader never sees half a message).  Each file holds two envelope
 * lines, "X-Sink-Mail-From: <...>" and one "X-Sink-Rcpt-To: <...>" per
 * recipient, then the message as received with dot-stuffing removed.  It
 * speaks EHLO, HELO, MAIL, RCPT, DATA, RSET, NOOP and QUIT, one client at a
 * time, with lines of at most SINK_LINE_MAX bytes, messages of at most
 * SINK_MESSAGE_MAX bytes and an idle timeout; it runs until SIGINT or
 * SIGTERM.  Tests may also compile this file with SMTP_SINK_NO_MAIN and
 * run smtp_sink_serve() in a thread.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* RFC 5321 limits: a line of 1000 bytes with CRLF; 100 recipients. */
#define SINK_LINE_MAX 1000
#define SINK_RCPT_MAX 100
#define SINK_MESSAGE_MAX (1024 * 1024)
/* A client silent this long is dropped (ms). */
#define SINK_IDLE_MS 10000
/* How often the loops look at the stop flag (ms). */
#define SINK_TICK_MS 100

struct sink_conn {
	int fd;
	char buf[4096];
	size_t start, end;
};

/* Send ${s} to the client; 0 or -1. */
static int
sink_send(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;
	ssize_t r;

	while (off < len) {
		r = send(fd, s + off, len - off, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return (-1);
		off += (size_t)r;
	}
	return (0);
}

/*
 * Read one line (without its CRLF or LF) into ${line} of SINK_LINE_MAX + 1
 * bytes.  Return its length, -1 on end, error, timeout or stop, or -2 if
 * the line is too long (the connection is then unusable).
 */
static long
sink_line(struct sink_conn *c, char *line, volatile sig_atomic_t *stop)
{
	struct pollfd p;
	size_t len = 0;
	ssize_t r;
	int waited = 0;
	char ch;

	for (;;) {
		while (c->start < c->end) {
			ch = c->buf[c->start++];
			if (ch == '\n') {
				if (len > 0 && line[len - 1] == '\r')
					len--;
				line[len] = '\0';
				return ((long)len);
			}
			if (len >= SINK_LINE_MAX)
				return (-2);
			line[len++] = ch;
		}
		p.fd = c->fd;
		p.events = POLLIN;
		r = poll(&p, 1, SINK_TICK_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || *stop)
			return (-1);
		if (r == 0) {
			if ((waited += SINK_TICK_MS) >= SINK_IDLE_MS)
				return (-1);
			continue;
		}
		waited = 0;
		r = recv(c->fd, c->buf, sizeof(c->buf), 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return (-1);
		c->start = 0;
		c->end = (size_t)r;
	}
}

/* Write ${len} bytes of ${buf} to ${fd}; 0 or -1. */
static int
sink_write_all(int fd, const char *buf, size_t len)
{
	ssize_t r;

	while (len > 0) {
		r = write(fd, buf, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return (-1);
		buf += r;
		len -= (size_t)r;
	}
	return (0);
}

/* Store message ${n}: the envelope lines, then ${msg}.  0 or -1. */
static int
sink_store(const char *dir, unsigned int n, const char *from,
    char (*rcpt)[SINK_LINE_MAX + 1], size_t nrcpt, const char *msg, size_t len)
{
	char tmp[4096], path[4096], head[SINK_LINE_MAX + 64];
	size_t i;
	int fd, hl;

	if (snprintf(tmp, sizeof(tmp), "%s/.msg-%u.tmp", dir, n) >=
		(int)sizeof(tmp) ||
	    snprintf(path, sizeof(path), "%s/msg-%u.eml", dir, n) >=
		(int)sizeof(path))
		return (-1);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
	    0)
		return (-1);
	hl = snprintf(head, sizeof(head), "X-Sink-Mail-From: %s\r\n", from);
	if (hl < 0 || (size_t)hl >= sizeof(head) ||
	    sink_write_all(fd, head, (size_t)hl) != 0)
		goto fail;
	for (i = 0; i < nrcpt; i++) {
		hl = snprintf(
		    head, sizeof(head), "X-Sink-Rcpt-To: %s\r\n", rcpt[i]);
		if (hl < 0 || (size_t)hl >= sizeof(head) ||
		    sink_write_all(fd, head, (size_t)hl) != 0)
			goto fail;
	}
	if (sink_write_all(fd, msg, len) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		(void)unlink(tmp);
		return (-1);
	}
	return (0);

fail:
	if (fd >= 0)
		close(fd);
	(void)unlink(tmp);
	return (-1);
}

/* Return the argument of "VERB:arg" if ${line} starts with ${verb}. */
static const char *
sink_arg(const char *line, const char *verb)
{
	size_t len = strlen(verb);

	if (strncasecmp(line, verb, len) != 0)
		return (NULL);
	line += len;
	while (*line == ' ')
		line++;
	return (line);
}

/* Talk SMTP with one client; messages are numbered from *${count} + 1. */
static void
sink_session(
    int fd, const char *dir, unsigned int *count, volatile sig_atomic_t *stop)
{
	static char rcpt[SINK_RCPT_MAX][SINK_LINE_MAX + 1];
	struct sink_conn c;
	char line[SINK_LINE_MAX + 1], from[SINK_LINE_MAX + 1], reply[64];
	char *msg = NULL;
	size_t nrcpt = 0, len, cap = 0;
	const char *arg, *p;
	long l;
	int have_from = 0, too_big;

	memset(&c, 0, sizeof(c));
	c.fd = fd;
	if (sink_send(fd, "220 smtp_sink ready\r\n") != 0)
		return;
	for (;;) {
		if ((l = sink_line(&c, line, stop)) < 0) {
			if (l == -2)
				(void)sink_send(fd, "500 line too long\r\n");
			break;
		}
		if (strncasecmp(line, "EHLO", 4) == 0) {
			if (sink_send(
				fd, "250-smtp_sink\r\n250 SIZE 1048576\r\n"))
				break;
		} else if (strncasecmp(line, "HELO", 4) == 0) {
			if (sink_send(fd, "250 smtp_sink\r\n"))
				break;
		} else if ((arg = sink_arg(line, "MAIL FROM:")) != NULL) {
			memcpy(from, arg, strlen(arg) + 1);
			have_from = 1;
			nrcpt = 0;
			if (sink_send(fd, "250 OK\r\n"))
				break;
		} else if ((arg = sink_arg(line, "RCPT TO:")) != NULL) {
			if (!have_from) {
				p = "503 MAIL first\r\n";
			} else if (nrcpt == SINK_RCPT_MAX) {
				p = "452 too many recipients\r\n";
			} else {
				memcpy(rcpt[nrcpt++], arg, strlen(arg) + 1);
				p = "250 OK\r\n";
			}
			if (sink_send(fd, p))
				break;
		} else if (strcasecmp(line, "DATA") == 0) {
			if (!have_from || nrcpt == 0) {
				if (sink_send(fd, "503 RCPT first\r\n"))
					break;
				continue;
			}
			if (sink_send(fd, "354 end with <CRLF>.<CRLF>\r\n"))
				break;
			len = 0;
			too_big = 0;
			for (;;) {
				if ((l = sink_line(&c, line, stop)) < 0)
					goto done;
				if (strcmp(line, ".") == 0)
					break;
				p = line[0] == '.' ? line + 1 : line;
				l = (long)strlen(p);
				if (too_big ||
				    len + (size_t)l + 2 > SINK_MESSAGE_MAX) {
					too_big = 1;
					continue;
				}
				if (len + (size_t)l + 2 > cap) {
					char *nm;
					size_t ncap = cap == 0 ? 4096 : cap;

					while (ncap < len + (size_t)l + 2)
						ncap *= 2;
					if ((nm = realloc(msg, ncap)) == NULL)
						goto done;
					msg = nm;
					cap = ncap;
				}
				memcpy(msg + len, p, (size_t)l);
				memcpy(msg + len + (size_t)l, "\r\n", 2);
				len += (size_t)l + 2;
			}
			if (too_big)
				p = "552 message too large\r\n";
			else if (sink_store(dir, *count + 1, from, rcpt, nrcpt,
				     msg != NULL ? msg : "", len) != 0)
				p = "451 cannot store the message\r\n";
			else {
				(*count)++;
				(void)snprintf(reply, sizeof(reply),
				    "250 OK queued as %u\r\n", *count);
				p = reply;
			}
			have_from = 0;
			nrcpt = 0;
			if (sink_send(fd, p))
				break;
		} else if (strcasecmp(line, "RSET") == 0) {
			have_from = 0;
			nrcpt = 0;
			if (sink_send(fd, "250 OK\r\n"))
				break;
		} else if (strncasecmp(line, "NOOP", 4) == 0) {
			if (sink_send(fd, "250 OK\r\n"))
				break;
		} else if (strcasecmp(line, "QUIT") == 0) {
			(void)sink_send(fd, "221 bye\r\n");
			break;
		} else {
			if (sink_send(fd, "502 command not implemented\r\n"))
				break;
		}
	}
done:
	free(msg);
}

/* Listen on 127.0.0.1 on a free port; return the socket, or -1. */
static int
smtp_sink_listen(unsigned int *port)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return (-1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) != 0) {
		close(fd);
		return (-1);
	}
	*port = ntohs(sin.sin_port);
	return (fd);
}

/* Serve clients on ${lfd}, storing into ${dir}, until *${stop}. */
static void
smtp_sink_serve(int lfd, const char *dir, volatile sig_atomic_t *stop)
{
	struct pollfd p;
	unsigned int count = 0;
	int fd, r;

	while (!*stop) {
		p.fd = lfd;
		p.events = POLLIN;
		if ((r = poll(&p, 1, SINK_TICK_MS)) <= 0)
			continue;
		if ((fd = accept(lfd, NULL, NULL)) < 0)
			continue;
		sink_session(fd, dir, &count, stop);
		close(fd);
	}
}

#ifndef SMTP_SINK_NO_MAIN
static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{

	(void)sig;
	stop_flag = 1;
}

int
main(int argc, char *argv[])
{
	char path[4096], tmp[4096], text[16];
	struct sigaction sa;
	unsigned int port;
	int lfd, fd, len;

	if (argc != 2) {
		fprintf(stderr, "usage: smtp_sink DIR\n");
		return (2);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	if (sigaction(SIGINT, &sa, NULL) != 0 ||
	    sigaction(SIGTERM, &sa, NULL) != 0 ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return (1);
	if ((lfd = smtp_sink_listen(&port)) < 0) {
		perror("smtp_sink: listen");
		return (1);
	}
	if (snprintf(path, sizeof(path), "%s/port", argv[1]) >=
		(int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.port.tmp", argv[1]) >=
		(int)sizeof(tmp))
		return (1);
	len = snprintf(text, sizeof(text), "%u\n", port);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) <
		0 ||
	    sink_write_all(fd, text, (size_t)len) != 0 || close(fd) != 0 ||
	    rename(tmp, path) != 0) {
		perror("smtp_sink: port file");
		return (1);
	}
	smtp_sink_serve(lfd, argv[1], &stop_flag);
	close(lfd);
	return (0);
}
#endif
