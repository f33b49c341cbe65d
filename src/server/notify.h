#ifndef NOTIFY_H_
#define NOTIFY_H_

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * Notifications (SPEC §4): e-mail over SMTP (libcurl) and webhooks, content
 * free by construction.  A route queues a notification inside its own store
 * transaction (notify_queue()), so it is sent if and only if the change
 * commits; a background thread (notify_start()) sends what is due, retries
 * failures with a growing delay, and never blocks a request.  Every e-mail
 * says the same: "You have a new item in the dissent channel: " and the
 * instance's URL, whatever its kind, so that whoever handles the mail
 * cannot tell a drafter from a director or an auditor; never a title, a
 * name or an id.  The kinds below stay inside the server (and name the
 * webhook's events).
 */
#define NOTIFY_NEW_ITEM 1   /* an invitation, a memo in the inbox, ... */
#define NOTIFY_REPLY 2      /* a reply to a memo one drafted or signed */
#define NOTIFY_ESCALATION 3 /* a missed deadline (to the director) */
#define NOTIFY_COMPLAINT 4  /* a reprisal complaint (to auditors) */

/* Recipient value for the instance's webhook. */
#define NOTIFY_WEBHOOK "webhook"

/* Sending: most notifications taken per pass, attempts, retry delays. */
#define NOTIFY_BATCH 100
#define NOTIFY_ATTEMPTS_MAX 10
#define NOTIFY_RETRY_FIRST 30 /* seconds; doubles per failed attempt */
#define NOTIFY_RETRY_MAX 3600
/* With notify_digest, at most one e-mail per recipient in this period. */
#define NOTIFY_DIGEST_PERIOD 86400
/* curl's limits for one message or webhook call (seconds). */
#define NOTIFY_CONNECT_TIMEOUT 10
#define NOTIFY_TIMEOUT 30
/* Longest e-mail message this module writes. */
#define NOTIFY_MESSAGE_MAX 2048

struct notify;
struct config;

/**
 * notify_queue(s, recipient, kind, now):
 * Queue a notification of ${kind} for member ${recipient} (and one for the
 * webhook, if configured, is the sender's business) in the caller's
 * transaction.  Return 0, or -1.
 */
int notify_queue(struct store *s, const char *recipient, int kind, int64_t now)
    __attribute__((warn_unused_result));

/**
 * notify_start(n, s, cfg, now_fn):
 * Start the sender thread over store ${s} with the settings of ${cfg}
 * (smtp_url, smtp_from, mail_domain, webhook_url, public_url,
 * notify_digest), reading the time from ${now_fn}.  With neither SMTP nor a
 * webhook configured, queued notifications are dropped when due.  Return 0
 * and the handle in ${n}, or -1.
 */
int notify_start(struct notify **n, struct store *s, const struct config *cfg,
    int64_t (*now_fn)(void)) __attribute__((warn_unused_result));

/**
 * notify_new(n, s, cfg, now_fn):
 * As notify_start() without starting the thread: notify_run_once() then
 * sends (tests drive the sender this way).  Return 0 and the handle in
 * ${n}, or -1.
 */
int notify_new(struct notify **n, struct store *s, const struct config *cfg,
    int64_t (*now_fn)(void)) __attribute__((warn_unused_result));

/**
 * notify_run_once(n, nsent):
 * Handle every notification due now (up to NOTIFY_BATCH): send it, drop
 * it if it cannot be delivered to anyone, or schedule a retry.  Store the
 * number of messages and webhook calls that succeeded in ${nsent} (may be
 * NULL).  Return 0, or -1 if the store failed.
 */
int notify_run_once(struct notify *n, size_t *nsent)
    __attribute__((warn_unused_result));

/**
 * notify_address(cfg, handle, out, cap):
 * Write the e-mail address of the member with ${handle} into ${out} (of
 * ${cap} bytes): the handle itself if it contains '@', else
 * handle@mail_domain.  Return 0, or -1 if there is none (no mail_domain)
 * or it is not a valid address (config_mail_valid()).
 */
int notify_address(const struct config *cfg, const char *handle, char *out,
    size_t cap) __attribute__((warn_unused_result));

/**
 * notify_smtp_tls_required(url):
 * Return 0 if the SMTP server of ${url} is on the loopback interface
 * (host "localhost", 127.0.0.0/8 or [::1]), where plain SMTP is allowed,
 * else 1: every other server must speak TLS (smtps://, or STARTTLS, which
 * a message is then never sent without).  A URL that does not parse
 * requires TLS.
 */
int notify_smtp_tls_required(const char *url);

/**
 * notify_retry_delay(attempts):
 * The delay in seconds before the next attempt after ${attempts} (>= 1)
 * failed ones: NOTIFY_RETRY_FIRST doubled per earlier failure, at most
 * NOTIFY_RETRY_MAX.
 */
int64_t notify_retry_delay(uint32_t attempts);

/**
 * notify_stop(n):
 * Stop the sender thread (a message being sent finishes) and free ${n}.
 * NULL is a no-op.
 */
void notify_stop(struct notify *n);

#endif /* !NOTIFY_H_ */
