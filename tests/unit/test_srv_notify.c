/*
 * Notifications (src/server/notify.c): queued notifications reach a local
 * SMTP sink as one fixed, content-free message whatever their kind (no
 * title, name or id), TLS is required of any SMTP server off loopback, a
 * webhook gets {"event","url"} only, failures are retried with a doubling
 * delay and given up after NOTIFY_ATTEMPTS_MAX attempts, the digest sends
 * one e-mail per recipient and day, and what cannot be delivered to anyone
 * is dropped.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "config.h"
#include "notify.h"
#include "store.h"

/* The sink, in this process. */
#define SMTP_SINK_NO_MAIN
#include "../tools/smtp_sink.c"

#define NOW 1764400000

struct fx {
	char dir[512];
	char mail[600];
	char dbpath[600];
	struct store *s;
	struct config cfg;
	int lfd;
	unsigned int port;
	pthread_t sink;
	volatile sig_atomic_t stop;
	struct store_member alice, bob, suspended;
};

static int64_t test_now = NOW;

static int64_t
now_fn(void)
{

	return (test_now);
}

static void
quiet(void *ctx, const char *msg)
{

	(void)ctx;
	(void)msg;
}

static void *
sink_main(void *cookie)
{
	struct fx *f = cookie;

	smtp_sink_serve(f->lfd, f->mail, &f->stop);
	return (NULL);
}

static void
add_member(
    struct fx *f, struct store_member *m, const char *handle, const char *name)
{
	struct keys_public k;
	struct store_custody c;

	memset(m, 0, sizeof(*m));
	directory_member_id_new(m->id);
	(void)snprintf(m->handle, sizeof(m->handle), "%s", handle);
	(void)snprintf(m->display_name, sizeof(m->display_name), "%s", name);
	(void)snprintf(m->org_id, sizeof(m->org_id), "state");
	m->roles = ROLE_MEMBER;
	m->eligible = 1;
	m->status = STORE_MEMBER_PENDING;
	m->created_at = NOW;
	assert_int_equal(store_member_insert(f->s, m), STORE_OK);
	randombytes_buf(&k, sizeof(k));
	memset(&c, 0, sizeof(c));
	randombytes_buf(c.kdf.salt, sizeof(c.kdf.salt));
	c.kdf.opslimit = 3;
	c.kdf.memlimit = 64ULL * 1024 * 1024;
	randombytes_buf(c.verifier, sizeof(c.verifier));
	randombytes_buf(c.wrapped_seed, sizeof(c.wrapped_seed));
	randombytes_buf(c.recovery_verifier, sizeof(c.recovery_verifier));
	randombytes_buf(
	    c.recovery_wrapped_seed, sizeof(c.recovery_wrapped_seed));
	assert_int_equal(
	    store_member_activate(f->s, m->id, &k, &c, NOW), STORE_OK);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct store_org org;
	char url[64];
	struct fx *f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	(void)snprintf(f->dir, sizeof(f->dir), "%s/test_srv_notify.XXXXXX",
	    tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		return (-1);
	(void)snprintf(f->mail, sizeof(f->mail), "%s/mail", f->dir);
	(void)snprintf(f->dbpath, sizeof(f->dbpath), "%s/store.db", f->dir);
	if (mkdir(f->mail, 0700) != 0)
		return (-1);
	store_set_log(quiet, NULL);
	if (store_open(&f->s, f->dbpath, NOW) != 0)
		return (-1);
	memset(&org, 0, sizeof(org));
	(void)snprintf(org.id, sizeof(org.id), "state");
	(void)snprintf(org.name, sizeof(org.name), "State");
	org.created_at = NOW;
	assert_int_equal(store_org_insert(f->s, &org), STORE_OK);
	add_member(f, &f->alice, "alice", "Alice Marker-Name");
	add_member(f, &f->bob, "bob@agency.example", "Bob Other-Name");
	add_member(f, &f->suspended, "carol", "Carol");
	assert_int_equal(store_member_set_status(
			     f->s, f->suspended.id, STORE_MEMBER_SUSPENDED),
	    STORE_OK);

	if ((f->lfd = smtp_sink_listen(&f->port)) < 0)
		return (-1);
	if (pthread_create(&f->sink, NULL, sink_main, f) != 0)
		return (-1);
	config_defaults(&f->cfg);
	(void)snprintf(url, sizeof(url), "smtp://127.0.0.1:%u", f->port);
	assert_int_equal(config_set(&f->cfg, "smtp_url", url, NULL, 0), 0);
	assert_int_equal(config_set(&f->cfg, "smtp_from",
			     "dissent@channel.example", NULL, 0),
	    0);
	assert_int_equal(
	    config_set(&f->cfg, "mail_domain", "state.example", NULL, 0), 0);
	assert_int_equal(config_set(&f->cfg, "public_url",
			     "https://dissent.state.example/", NULL, 0),
	    0);
	test_now = NOW;
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[700];

	f->stop = 1;
	pthread_join(f->sink, NULL);
	close(f->lfd);
	store_free(f->s);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	free(f);
	store_set_log(NULL, NULL);
	return (system(cmd) == 0 ? 0 : -1);
}

/* Run one sender pass with the fixture's configuration. */
static size_t
run_sender(struct fx *f)
{
	struct notify *n;
	size_t sent;

	assert_int_equal(notify_new(&n, f->s, &f->cfg, now_fn), 0);
	assert_int_equal(notify_run_once(n, &sent), 0);
	notify_stop(n);
	return (sent);
}

static void
queue(struct fx *f, const char *recipient, int kind)
{

	assert_int_equal(notify_queue(f->s, recipient, kind, test_now), 0);
}

/* Number of messages the sink stored. */
static int
messages(struct fx *f)
{
	struct dirent *d;
	DIR *dp;
	int n = 0;

	assert_non_null(dp = opendir(f->mail));
	while ((d = readdir(dp)) != NULL)
		if (strncmp(d->d_name, "msg-", 4) == 0)
			n++;
	closedir(dp);
	return (n);
}

/* Message ${i} as a malloc'd string. */
static char *
message(struct fx *f, int i)
{
	char path[700], *buf;
	FILE *fp;
	size_t len;

	(void)snprintf(path, sizeof(path), "%s/msg-%d.eml", f->mail, i);
	assert_non_null(fp = fopen(path, "r"));
	assert_non_null(buf = calloc(1, 65536));
	len = fread(buf, 1, 65535, fp);
	buf[len] = '\0';
	fclose(fp);
	return (buf);
}

/* The pending notifications (any time). */
static size_t
pending(struct fx *f, struct store_notification *first)
{
	struct store_notification *nts;
	size_t n;

	assert_int_equal(
	    store_notification_due(f->s, INT64_MAX / 2, 1000, &nts, &n),
	    STORE_OK);
	if (n > 0 && first != NULL)
		*first = nts[0];
	free(nts);
	return (n);
}

static void
test_queued_notification_arrives_at_the_sink(void **state)
{
	struct fx *f = *state;
	char *m;

	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	assert_int_equal(run_sender(f), 1);
	assert_int_equal(messages(f), 1);
	m = message(f, 1);
	assert_non_null(
	    strstr(m, "X-Sink-Mail-From: <dissent@channel.example>"));
	assert_non_null(strstr(m, "X-Sink-Rcpt-To: <alice@state.example>"));
	assert_non_null(strstr(m, "\r\nFrom: <dissent@channel.example>\r\n"));
	assert_non_null(strstr(m, "\r\nTo: <alice@state.example>\r\n"));
	assert_non_null(
	    strstr(m, "\r\nSubject: dissent: you have a new item\r\n"));
	assert_non_null(strstr(m, "\r\nDate: "));
	assert_non_null(strstr(m, "@state.example>\r\n"));
	assert_non_null(strstr(m, "Message-ID: <"));
	assert_non_null(strstr(m, "You have a new item in the dissent channel: "
				  "https://dissent.state.example/\r\n"));
	free(m);
	assert_int_equal(pending(f, NULL), 0);
}

static void
test_message_carries_no_name_id_or_other_content(void **state)
{
	struct fx *f = *state;
	char *m, *body;

	queue(f, f->alice.id, NOTIFY_REPLY);
	assert_int_equal(run_sender(f), 1);
	m = message(f, 1);
	assert_null(strstr(m, "Alice"));
	assert_null(strstr(m, "Marker-Name"));
	assert_null(strstr(m, f->alice.id));
	assert_null(strstr(m, "d_"));
	/* The body is the sentence with the link, nothing else. */
	assert_non_null(body = strstr(m, "\r\n\r\n"));
	assert_string_equal(body + 4,
	    "You have a new item in the dissent channel: "
	    "https://dissent.state.example/\r\n");
	free(m);
}

/* The headers of message ${m} without the Date and Message-ID lines. */
static void
fixed_part(char *m)
{
	static const char *const varying[] = {"\r\nDate: ", "\r\nMessage-ID: "};
	char *p, *end;
	size_t i;

	for (i = 0; i < sizeof(varying) / sizeof(varying[0]); i++) {
		assert_non_null(p = strstr(m, varying[i]));
		assert_non_null(end = strstr(p + 2, "\r\n"));
		memmove(p, end, strlen(end) + 1);
	}
}

static void
test_every_kind_sends_the_same_message(void **state)
{
	struct fx *f = *state;
	char *first = NULL, *m;
	int k;

	/*
	 * An invitation, a reply, an escalation and a complaint read alike:
	 * whoever sees the mail cannot tell a drafter from a director or an
	 * auditor.
	 */
	for (k = NOTIFY_NEW_ITEM; k <= NOTIFY_COMPLAINT; k++) {
		queue(f, f->alice.id, k);
		assert_int_equal(run_sender(f), 1);
		m = message(f, k);
		fixed_part(m);
		assert_non_null(strstr(m,
		    "\r\n\r\nYou have a new item in the dissent channel: "
		    "https://dissent.state.example/\r\n"));
		if (first == NULL)
			first = m;
		else {
			assert_string_equal(m, first);
			free(m);
		}
	}
	free(first);
}

static void
test_without_public_url_the_sentence_ends_the_message(void **state)
{
	struct fx *f = *state;
	char *m, *body;

	f->cfg.public_url[0] = '\0';
	queue(f, f->alice.id, NOTIFY_ESCALATION);
	assert_int_equal(run_sender(f), 1);
	m = message(f, 1);
	assert_non_null(body = strstr(m, "\r\n\r\n"));
	assert_string_equal(
	    body + 4, "You have a new item in the dissent channel.\r\n");
	free(m);
}

static void
test_smtp_needs_tls_unless_on_loopback(void **state)
{
	static const char *const loopback[] = {"smtp://127.0.0.1:2525",
	    "smtp://127.3.2.1", "smtp://localhost:25", "smtp://LocalHost",
	    "smtp://[::1]:2525", "smtp://user:pw@127.0.0.1:25"};
	static const char *const remote[] = {"smtp://mail.example.org",
	    "smtp://10.0.0.1:25", "smtp://[2001:db8::1]:25",
	    "smtps://mail.example.org", "smtp://localhost.example.org",
	    "smtp://127.0.0.1.example.org", "smtp://0.0.0.0", "not a url"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(loopback) / sizeof(loopback[0]); i++)
		if (notify_smtp_tls_required(loopback[i]))
			fail_msg("%s: TLS required", loopback[i]);
	for (i = 0; i < sizeof(remote) / sizeof(remote[0]); i++)
		if (!notify_smtp_tls_required(remote[i]))
			fail_msg("%s: TLS not required", remote[i]);
}

static void
test_handle_with_at_sign_is_the_address(void **state)
{
	struct fx *f = *state;
	char *m;

	queue(f, f->bob.id, NOTIFY_NEW_ITEM);
	assert_int_equal(run_sender(f), 1);
	m = message(f, 1);
	assert_non_null(strstr(m, "X-Sink-Rcpt-To: <bob@agency.example>"));
	free(m);
}

static void
test_address_rule(void **state)
{
	struct fx *f = *state;
	char out[CONFIG_MAIL_MAX + 1];

	assert_int_equal(notify_address(&f->cfg, "jane", out, sizeof(out)), 0);
	assert_string_equal(out, "jane@state.example");
	assert_int_equal(
	    notify_address(&f->cfg, "jane@x.example", out, sizeof(out)), 0);
	assert_string_equal(out, "jane@x.example");
	/* Handles may hold what an address may not. */
	assert_int_equal(
	    notify_address(&f->cfg, "a@b@c.example", out, sizeof(out)), -1);
	assert_int_equal(notify_address(&f->cfg, "jane", out, 8), -1);
	f->cfg.mail_domain[0] = '\0';
	assert_int_equal(notify_address(&f->cfg, "jane", out, sizeof(out)), -1);
}

static void
test_failure_schedules_a_retry_with_doubling_delay(void **state)
{
	struct fx *f = *state;
	struct store_notification nt;
	unsigned int port;
	char url[64];
	int fd;

	/* A port nobody listens on. */
	assert_true((fd = smtp_sink_listen(&port)) >= 0);
	close(fd);
	(void)snprintf(url, sizeof(url), "smtp://127.0.0.1:%u", port);
	assert_int_equal(config_set(&f->cfg, "smtp_url", url, NULL, 0), 0);
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	assert_int_equal(run_sender(f), 0);
	assert_int_equal(pending(f, &nt), 1);
	assert_int_equal(nt.attempts, 1);
	assert_int_equal(nt.next_at, NOW + 30);
	/* Not due yet: nothing happens. */
	test_now = NOW + 29;
	assert_int_equal(run_sender(f), 0);
	assert_int_equal(pending(f, &nt), 1);
	assert_int_equal(nt.attempts, 1);
	test_now = NOW + 30;
	assert_int_equal(run_sender(f), 0);
	assert_int_equal(pending(f, &nt), 1);
	assert_int_equal(nt.attempts, 2);
	assert_int_equal(nt.next_at, NOW + 30 + 60);
	assert_int_equal(messages(f), 0);
}

static void
test_retry_after_failure_delivers_once_the_server_is_back(void **state)
{
	struct fx *f = *state;
	char good[sizeof(f->cfg.smtp_url)];

	memcpy(good, f->cfg.smtp_url, sizeof(good));
	assert_int_equal(
	    config_set(&f->cfg, "smtp_url", "smtp://127.0.0.1:1", NULL, 0), 0);
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	assert_int_equal(run_sender(f), 0);
	memcpy(f->cfg.smtp_url, good, sizeof(good));
	test_now = NOW + 30;
	assert_int_equal(run_sender(f), 1);
	assert_int_equal(messages(f), 1);
	assert_int_equal(pending(f, NULL), 0);
}

static void
test_gives_up_after_the_last_attempt(void **state)
{
	struct fx *f = *state;
	struct store_notification nt;
	int i;

	assert_int_equal(
	    config_set(&f->cfg, "smtp_url", "smtp://127.0.0.1:1", NULL, 0), 0);
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	for (i = 1; i < NOTIFY_ATTEMPTS_MAX; i++) {
		assert_int_equal(run_sender(f), 0);
		assert_int_equal(pending(f, &nt), 1);
		assert_int_equal(nt.attempts, i);
		test_now = nt.next_at;
	}
	assert_int_equal(run_sender(f), 0);
	assert_int_equal(pending(f, NULL), 0);
}

static void
test_retry_delay_doubles_up_to_an_hour(void **state)
{
	(void)state;
	assert_int_equal(notify_retry_delay(1), 30);
	assert_int_equal(notify_retry_delay(2), 60);
	assert_int_equal(notify_retry_delay(3), 120);
	assert_int_equal(notify_retry_delay(7), 1920);
	assert_int_equal(notify_retry_delay(8), 3600);
	assert_int_equal(notify_retry_delay(100), 3600);
}

static void
test_without_smtp_or_webhook_notifications_are_dropped(void **state)
{
	struct fx *f = *state;

	f->cfg.smtp_url[0] = '\0';
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	assert_int_equal(run_sender(f), 0);
	assert_int_equal(pending(f, NULL), 0);
	assert_int_equal(messages(f), 0);
}

static void
test_unknown_or_suspended_recipient_is_dropped(void **state)
{
	struct fx *f = *state;
	char other[DIRECTORY_MEMBER_ID_LEN + 1];

	directory_member_id_new(other);
	queue(f, other, NOTIFY_NEW_ITEM);
	queue(f, f->suspended.id, NOTIFY_NEW_ITEM);
	assert_int_equal(run_sender(f), 0);
	assert_int_equal(pending(f, NULL), 0);
	assert_int_equal(messages(f), 0);
}

static void
test_queue_refuses_unknown_kind(void **state)
{
	struct fx *f = *state;

	assert_int_equal(notify_queue(f->s, f->alice.id, 0, NOW), -1);
	assert_int_equal(
	    notify_queue(f->s, f->alice.id, NOTIFY_COMPLAINT + 1, NOW), -1);
	assert_int_equal(pending(f, NULL), 0);
}

static void
test_queue_in_a_rolled_back_transaction_sends_nothing(void **state)
{
	struct fx *f = *state;

	assert_int_equal(store_begin(f->s), STORE_OK);
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	store_rollback(f->s);
	assert_int_equal(run_sender(f), 0);
	assert_int_equal(messages(f), 0);
}

static void
test_without_digest_each_notification_is_a_message(void **state)
{
	struct fx *f = *state;

	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	assert_int_equal(run_sender(f), 2);
	assert_int_equal(messages(f), 2);
}

static void
test_digest_sends_one_message_per_recipient_and_day(void **state)
{
	struct fx *f = *state;
	struct notify *n;
	struct store_notification nt;
	size_t sent;
	char *m, *body;

	assert_int_equal(config_set(&f->cfg, "notify_digest", "1", NULL, 0), 0);
	assert_int_equal(notify_new(&n, f->s, &f->cfg, now_fn), 0);
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	queue(f, f->alice.id, NOTIFY_REPLY);
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	queue(f, f->bob.id, NOTIFY_NEW_ITEM);
	assert_int_equal(notify_run_once(n, &sent), 0);
	assert_int_equal(sent, 2);
	assert_int_equal(messages(f), 2);
	/* Three items, one message, the same sentence (no count). */
	m = message(f, 1);
	assert_non_null(body = strstr(m, "\r\n\r\n"));
	assert_string_equal(body + 4,
	    "You have a new item in the dissent channel: "
	    "https://dissent.state.example/\r\n");
	free(m);

	/* Later that day: held back until a day after the last e-mail. */
	test_now = NOW + 3600;
	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	assert_int_equal(notify_run_once(n, &sent), 0);
	assert_int_equal(sent, 0);
	assert_int_equal(messages(f), 2);
	assert_int_equal(pending(f, &nt), 1);
	assert_int_equal(nt.next_at, NOW + NOTIFY_DIGEST_PERIOD);

	test_now = NOW + NOTIFY_DIGEST_PERIOD;
	assert_int_equal(notify_run_once(n, &sent), 0);
	assert_int_equal(sent, 1);
	assert_int_equal(messages(f), 3);
	assert_int_equal(pending(f, NULL), 0);
	notify_stop(n);
}

/* A one-shot HTTP server for the webhook: records the request. */
struct hook {
	int lfd;
	unsigned int port;
	int status;
	char request[8192];
	pthread_t thread;
};

static void *
hook_main(void *cookie)
{
	struct hook *h = cookie;
	char reply[128];
	size_t len = 0;
	ssize_t r;
	int fd;
	char *body, *cl;

	if ((fd = accept(h->lfd, NULL, NULL)) < 0)
		return (NULL);
	for (;;) {
		r = recv(fd, h->request + len, sizeof(h->request) - 1 - len, 0);
		if (r <= 0)
			break;
		len += (size_t)r;
		h->request[len] = '\0';
		if ((body = strstr(h->request, "\r\n\r\n")) != NULL &&
		    (cl = strstr(h->request, "Content-Length: ")) != NULL &&
		    strlen(body + 4) >= (size_t)atoi(cl + 16))
			break;
	}
	(void)snprintf(reply, sizeof(reply),
	    "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
	    h->status);
	(void)send(fd, reply, strlen(reply), MSG_NOSIGNAL);
	close(fd);
	return (NULL);
}

static void
hook_start(struct fx *f, struct hook *h, int status)
{
	char url[64];

	memset(h, 0, sizeof(*h));
	h->status = status;
	assert_true((h->lfd = smtp_sink_listen(&h->port)) >= 0);
	assert_int_equal(pthread_create(&h->thread, NULL, hook_main, h), 0);
	(void)snprintf(url, sizeof(url), "http://127.0.0.1:%u/hook", h->port);
	assert_int_equal(config_set(&f->cfg, "webhook_url", url, NULL, 0), 0);
}

static void
hook_join(struct hook *h)
{

	shutdown(h->lfd, SHUT_RDWR);
	pthread_join(h->thread, NULL);
	close(h->lfd);
}

static void
test_webhook_gets_event_and_url_only(void **state)
{
	struct fx *f = *state;
	struct hook h;
	char *body;

	hook_start(f, &h, 204);
	queue(f, f->alice.id, NOTIFY_ESCALATION);
	/* The e-mail now; the webhook call is queued for the next pass. */
	assert_int_equal(run_sender(f), 1);
	assert_int_equal(run_sender(f), 1);
	hook_join(&h);
	assert_non_null(strstr(h.request, "POST /hook HTTP/1.1\r\n"));
	assert_non_null(strstr(h.request, "Content-Type: application/json"));
	assert_non_null(body = strstr(h.request, "\r\n\r\n"));
	assert_string_equal(body + 4, "{\"event\":\"escalation\",\"url\":"
				      "\"https://dissent.state.example/\"}");
	assert_null(strstr(h.request, f->alice.id));
	assert_null(strstr(h.request, "alice"));
	assert_int_equal(pending(f, NULL), 0);
}

static void
test_webhook_error_status_is_retried(void **state)
{
	struct fx *f = *state;
	struct store_notification nt;
	struct hook h;

	f->cfg.smtp_url[0] = '\0';
	hook_start(f, &h, 500);
	queue(f, NOTIFY_WEBHOOK, NOTIFY_NEW_ITEM);
	assert_int_equal(run_sender(f), 0);
	hook_join(&h);
	assert_int_equal(pending(f, &nt), 1);
	assert_string_equal(nt.recipient, NOTIFY_WEBHOOK);
	assert_int_equal(nt.attempts, 1);
	assert_int_equal(nt.next_at, NOW + 30);
}

static void
test_sender_thread_delivers_in_the_background(void **state)
{
	struct fx *f = *state;
	struct notify *n;
	struct timespec ts = {0, 20 * 1000 * 1000};
	int i;

	queue(f, f->alice.id, NOTIFY_NEW_ITEM);
	assert_int_equal(notify_start(&n, f->s, &f->cfg, now_fn), 0);
	for (i = 0; i < 500 && messages(f) == 0; i++)
		nanosleep(&ts, NULL);
	notify_stop(n);
	assert_int_equal(messages(f), 1);
}

static void
test_stop_of_null_is_a_no_op(void **state)
{
	(void)state;
	notify_stop(NULL);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_queued_notification_arrives_at_the_sink),
	    T(test_message_carries_no_name_id_or_other_content),
	    T(test_every_kind_sends_the_same_message),
	    T(test_without_public_url_the_sentence_ends_the_message),
	    T(test_smtp_needs_tls_unless_on_loopback),
	    T(test_handle_with_at_sign_is_the_address),
	    T(test_address_rule),
	    T(test_failure_schedules_a_retry_with_doubling_delay),
	    T(test_retry_after_failure_delivers_once_the_server_is_back),
	    T(test_gives_up_after_the_last_attempt),
	    T(test_retry_delay_doubles_up_to_an_hour),
	    T(test_without_smtp_or_webhook_notifications_are_dropped),
	    T(test_unknown_or_suspended_recipient_is_dropped),
	    T(test_queue_refuses_unknown_kind),
	    T(test_queue_in_a_rolled_back_transaction_sends_nothing),
	    T(test_without_digest_each_notification_is_a_message),
	    T(test_digest_sends_one_message_per_recipient_and_day),
	    T(test_webhook_gets_event_and_url_only),
	    T(test_webhook_error_status_is_retried),
	    T(test_sender_thread_delivers_in_the_background),
	    cmocka_unit_test(test_stop_of_null_is_a_no_op),
	};
#undef T

	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0)
		return (1);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
