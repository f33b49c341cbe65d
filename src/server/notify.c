#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "config.h"
#include "directory.h"
#include "log.h"
#include "notify.h"

/* How often the sender thread looks for due notifications (ms). */
#define POLL_MS 1000
/* Most recipients the digest remembers (then older ones are forgotten). */
#define DIGEST_MAX 100000

/* When a recipient last got an e-mail (digest mode). */
struct sent_mark {
	char member_id[DIRECTORY_MEMBER_ID_LEN + 1];
	int64_t at;
};

struct notify {
	struct store *store;
	struct config cfg;
	int64_t (*now_fn)(void);
	struct sent_mark *sent; /* digest mode: recent e-mails */
	size_t nsent, capsent;
	pthread_t thread;
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	int running;
	int stop;
	int tls_required; /* notify_smtp_tls_required() of smtp_url */
};

/* An upload in progress: what curl reads the message from. */
struct upload {
	const char *buf;
	size_t len;
	size_t off;
};

/*
 * The one sentence of every e-mail, whatever its kind and however many
 * items a digest holds: a sentence per kind would tell whoever handles
 * the mail who drafts (replies), who directs (escalations) and who audits
 * (complaints).
 */
#define SENTENCE "You have a new item in the dissent channel"

/* The webhook event name of each kind. */
static const char *
event_name(int kind)
{

	switch (kind) {
	case NOTIFY_REPLY:
		return ("reply");
	case NOTIFY_ESCALATION:
		return ("escalation");
	case NOTIFY_COMPLAINT:
		return ("complaint");
	case NOTIFY_NEW_ITEM:
	default:
		return ("new_item");
	}
}

/**
 * notify_queue(s, recipient, kind, now):
 * Queue a notification of ${kind} for member ${recipient} (and one for the
 * webhook, if configured, is the sender's business) in the caller's
 * transaction.  Return 0, or -1.
 */
int
notify_queue(struct store *s, const char *recipient, int kind, int64_t now)
{
	struct store_notification nt;
	size_t len = strlen(recipient);

	if (len >= sizeof(nt.recipient) || kind < NOTIFY_NEW_ITEM ||
	    kind > NOTIFY_COMPLAINT)
		return (-1);
	memset(&nt, 0, sizeof(nt));
	memcpy(nt.recipient, recipient, len + 1);
	nt.kind = kind;
	nt.created_at = now;
	nt.next_at = now;
	nt.attempts = 0;
	if (store_notification_put(s, &nt) != STORE_OK)
		return (-1);
	return (0);
}

/**
 * notify_address(cfg, handle, out, cap):
 * Write the e-mail address of the member with ${handle} into ${out} (of
 * ${cap} bytes): the handle itself if it contains '@', else
 * handle@mail_domain.  Return 0, or -1 if there is none (no mail_domain)
 * or it is not a valid address (config_mail_valid()).
 */
int
notify_address(
    const struct config *cfg, const char *handle, char *out, size_t cap)
{
	int len;

	if (strchr(handle, '@') != NULL)
		len = snprintf(out, cap, "%s", handle);
	else if (cfg->mail_domain[0] != '\0')
		len = snprintf(out, cap, "%s@%s", handle, cfg->mail_domain);
	else
		return (-1);
	if (len < 0 || (size_t)len >= cap || !config_mail_valid(out))
		return (-1);
	return (0);
}

/**
 * notify_retry_delay(attempts):
 * The delay in seconds before the next attempt after ${attempts} (>= 1)
 * failed ones: NOTIFY_RETRY_FIRST doubled per earlier failure, at most
 * NOTIFY_RETRY_MAX.
 */
int64_t
notify_retry_delay(uint32_t attempts)
{
	int64_t d = NOTIFY_RETRY_FIRST;
	uint32_t i;

	for (i = 1; i < attempts && d < NOTIFY_RETRY_MAX; i++)
		d *= 2;
	return (d < NOTIFY_RETRY_MAX ? d : NOTIFY_RETRY_MAX);
}

/**
 * notify_new(n, s, cfg, now_fn):
 * As notify_start() without starting the thread: notify_run_once() then
 * sends (tests drive the sender this way).  Return 0 and the handle in
 * ${n}, or -1.
 */
int
notify_new(struct notify **np, struct store *s, const struct config *cfg,
    int64_t (*now_fn)(void))
{
	struct notify *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		goto err0;
	n->store = s;
	n->cfg = *cfg;
	n->now_fn = now_fn;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		goto err1;
	n->tls_required = notify_smtp_tls_required(cfg->smtp_url);
	*np = n;
	return (0);

err1:
	free(n);
err0:
	log_msg(LOG_ERROR, "cannot set up notifications");
	return (-1);
}

/* curl's read callback: the next piece of the message. */
static size_t
upload_read(char *ptr, size_t size, size_t nmemb, void *cookie)
{
	struct upload *u = cookie;
	size_t room, len;

	if (size == 0 || nmemb > SIZE_MAX / size)
		return (0);
	room = size * nmemb;
	len = u->len - u->off;
	if (len > room)
		len = room;
	memcpy(ptr, u->buf + u->off, len);
	u->off += len;
	return (len);
}

/* curl's write callback: a webhook's response is read and dropped. */
static size_t
discard(char *ptr, size_t size, size_t nmemb, void *cookie)
{

	(void)ptr;
	(void)cookie;
	return (size * nmemb);
}

/* Settings every transfer shares. */
static int
common_opts(CURL *c, const char *url, const char *protocols)
{

	if (curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
		(long)NOTIFY_CONNECT_TIMEOUT) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)NOTIFY_TIMEOUT) !=
		CURLE_OK)
		return (-1);
	return (0);
}

/* Log a failed transfer: what, and curl's generic reason (no address). */
static void
log_failure(const char *what, CURLcode rc, long status)
{
	struct log_field f[3] = {
	    LOG_STR("channel", what),
	    LOG_STR("reason", curl_easy_strerror(rc)),
	    LOG_INT("status", status),
	};

	log_fields(LOG_WARN, "notification not delivered", f, 3);
}

/*
 * Write the e-mail to ${to} into ${buf}: the one sentence, with the link.
 * Return its length, or 0.
 */
static size_t
format_message(
    const struct notify *n, char *buf, size_t cap, const char *to, int64_t now)
{
	char date[64], idhex[33];
	const char *domain;
	uint8_t idbytes[16];
	struct tm tm;
	time_t t = (time_t)now;
	int len;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm) ==
		0)
		return (0);
	randombytes_buf(idbytes, sizeof(idbytes));
	sodium_bin2hex(idhex, sizeof(idhex), idbytes, sizeof(idbytes));
	if (n->cfg.mail_domain[0] != '\0')
		domain = n->cfg.mail_domain;
	else if ((domain = strchr(n->cfg.smtp_from, '@')) != NULL)
		domain++;
	else
		return (0);
	len = snprintf(buf, cap,
	    "From: <%s>\r\n"
	    "To: <%s>\r\n"
	    "Subject: dissent: you have a new item\r\n"
	    "Date: %s\r\n"
	    "Message-ID: <%s@%s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n"
	    "%s%s%s\r\n",
	    n->cfg.smtp_from, to, date, idhex, domain, SENTENCE,
	    n->cfg.public_url[0] != '\0' ? ": " : ".", n->cfg.public_url);
	if (len < 0 || (size_t)len >= cap)
		return (0);
	return ((size_t)len);
}

/* 1 if ${host} (as curl gives it: IPv6 in brackets) is a loopback one. */
static int
loopback_host(const char *host)
{
	char v6[INET6_ADDRSTRLEN + 1];
	struct in6_addr a6;
	struct in_addr a4;
	size_t len = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return (1);
	if (inet_pton(AF_INET, host, &a4) == 1)
		return ((ntohl(a4.s_addr) >> 24) == 127);
	if (len > 2 && len - 2 < sizeof(v6) && host[0] == '[' &&
	    host[len - 1] == ']') {
		memcpy(v6, host + 1, len - 2);
		v6[len - 2] = '\0';
		if (inet_pton(AF_INET6, v6, &a6) == 1)
			return (IN6_IS_ADDR_LOOPBACK(&a6));
	}
	return (0);
}

/**
 * notify_smtp_tls_required(url):
 * Return 0 if the SMTP server of ${url} is on the loopback interface
 * (host "localhost", 127.0.0.0/8 or [::1]), where plain SMTP is allowed,
 * else 1: every other server must speak TLS (smtps://, or STARTTLS, which
 * a message is then never sent without).  A URL that does not parse
 * requires TLS.
 */
int
notify_smtp_tls_required(const char *url)
{
	char *host = NULL;
	CURLU *u;
	int ret = 1;

	if ((u = curl_url()) == NULL)
		return (1);
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    loopback_host(host))
		ret = 0;
	curl_free(host);
	curl_url_cleanup(u);
	return (ret);
}

/* Send one e-mail to ${to}.  Return 0, or -1 (logged). */
static int
send_mail(const struct notify *n, const char *to, int64_t now)
{
	char msg[NOTIFY_MESSAGE_MAX], from[CONFIG_MAIL_MAX + 3];
	struct curl_slist *rcpt = NULL;
	struct upload u;
	CURLcode rc = CURLE_FAILED_INIT;
	CURL *c;
	int ret = -1;

	if ((u.len = format_message(n, msg, sizeof(msg), to, now)) == 0)
		goto err0;
	u.buf = msg;
	u.off = 0;
	(void)snprintf(from, sizeof(from), "<%s>", n->cfg.smtp_from);
	if ((c = curl_easy_init()) == NULL)
		goto err0;
	if ((rcpt = curl_slist_append(NULL, to)) == NULL)
		goto err1;
	if (common_opts(c, n->cfg.smtp_url, "smtp,smtps") != 0 ||
	    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read) !=
		CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_READDATA, &u) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_INFILESIZE, (long)u.len) != CURLE_OK ||
	    /*
	     * TLS (smtps://, or STARTTLS) or nothing, but on loopback, where
	     * nothing travels over a network.
	     */
	    curl_easy_setopt(c, CURLOPT_USE_SSL,
		n->tls_required ? (long)CURLUSESSL_ALL
				: (long)CURLUSESSL_TRY) != CURLE_OK)
		goto err2;
	if ((rc = curl_easy_perform(c)) != CURLE_OK)
		goto err2;
	ret = 0;

err2:
	curl_slist_free_all(rcpt);
err1:
	curl_easy_cleanup(c);
err0:
	if (ret != 0)
		log_failure("smtp", rc, 0);
	sodium_memzero(msg, sizeof(msg));
	return (ret);
}

/* POST the webhook event of ${kind}.  Return 0, or -1 (logged). */
static int
send_webhook(const struct notify *n, int kind)
{
	struct curl_slist *hdrs = NULL;
	CURLcode rc = CURLE_FAILED_INIT;
	json_t *o;
	char *body = NULL;
	long status = 0;
	CURL *c;
	int ret = -1;

	if ((o = json_pack("{s:s, s:s}", "event", event_name(kind), "url",
		 n->cfg.public_url)) == NULL)
		goto err0;
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (body == NULL)
		goto err0;
	if ((c = curl_easy_init()) == NULL)
		goto err1;
	if ((hdrs = curl_slist_append(
		 NULL, "Content-Type: application/json")) == NULL)
		goto err2;
	if (common_opts(c, n->cfg.webhook_url, "http,https") != 0 ||
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body)) !=
		CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard) != CURLE_OK)
		goto err3;
	if ((rc = curl_easy_perform(c)) != CURLE_OK)
		goto err3;
	if (curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
	    status < 200 || status > 299)
		goto err3;
	ret = 0;

err3:
	curl_slist_free_all(hdrs);
err2:
	curl_easy_cleanup(c);
err1:
	free(body);
err0:
	if (ret != 0)
		log_failure("webhook", rc, status);
	return (ret);
}

/* Drop ${nt}: delivered, or deliverable to nobody. */
static int
finish(struct notify *n, const struct store_notification *nt)
{

	return (store_notification_done(n->store, nt->id) == STORE_OK ? 0 : -1);
}

/* Schedule the next attempt of ${nt} after a failure, or give up. */
static int
failed(struct notify *n, const struct store_notification *nt, int64_t now)
{
	uint32_t attempts = nt->attempts + 1;

	if (attempts >= NOTIFY_ATTEMPTS_MAX) {
		struct log_field f[3] = {
		    LOG_INT("notification", nt->id),
		    LOG_INT("kind", nt->kind),
		    LOG_INT("attempts", attempts),
		};

		log_fields(LOG_ERROR, "notification given up", f, 3);
		return (finish(n, nt));
	}
	return (store_notification_retry(n->store, nt->id,
		    now + notify_retry_delay(attempts)) == STORE_OK
		    ? 0
		    : -1);
}

/* Digest mode: when ${member_id} last got an e-mail, or NULL. */
static struct sent_mark *
sent_find(struct notify *n, const char *member_id)
{
	size_t i;

	for (i = 0; i < n->nsent; i++)
		if (strcmp(n->sent[i].member_id, member_id) == 0)
			return (&n->sent[i]);
	return (NULL);
}

/* Digest mode: forget e-mails older than the digest period. */
static void
sent_prune(struct notify *n, int64_t now)
{
	size_t i, j = 0;

	for (i = 0; i < n->nsent; i++)
		if (n->sent[i].at > now - NOTIFY_DIGEST_PERIOD)
			n->sent[j++] = n->sent[i];
	n->nsent = j;
}

/* Digest mode: remember that ${member_id} got an e-mail at ${now}. */
static void
sent_record(struct notify *n, const char *member_id, int64_t now)
{
	struct sent_mark *m;
	size_t cap;

	if ((m = sent_find(n, member_id)) == NULL) {
		if (n->nsent == n->capsent) {
			if (n->capsent >= DIGEST_MAX)
				return;
			cap = n->capsent == 0 ? 16 : n->capsent * 2;
			if ((m = realloc(n->sent, cap * sizeof(*m))) == NULL)
				return;
			n->sent = m;
			n->capsent = cap;
		}
		m = &n->sent[n->nsent++];
		memcpy(m->member_id, member_id, sizeof(m->member_id));
	}
	m->at = now;
}

/*
 * Handle the member notifications of ${nts} for the recipient of
 * ${nts}[${first}] (every later one of the same recipient too, marking
 * them in ${done}).  Return the number of e-mails sent, or -1 if the store
 * failed.
 */
static int
handle_member(struct notify *n, struct store_notification *nts, size_t nnt,
    size_t first, unsigned char *done, int64_t now)
{
	const struct store_notification *nt = &nts[first];
	struct store_member m;
	struct sent_mark *last;
	char to[CONFIG_MAIL_MAX + 1];
	size_t group[NOTIFY_BATCH], ngroup = 0, i;
	int rc, failure = 0, sent = 0;

	/* Every due notification of this recipient goes together. */
	for (i = first; i < nnt; i++) {
		if (done[i] || strcmp(nts[i].recipient, nt->recipient) != 0)
			continue;
		done[i] = 1;
		group[ngroup++] = i;
		/* A first attempt also calls the webhook, separately. */
		if (nts[i].attempts == 0 && n->cfg.webhook_url[0] != '\0' &&
		    notify_queue(n->store, NOTIFY_WEBHOOK, nts[i].kind, now) !=
			0)
			return (-1);
		if (!n->cfg.notify_digest)
			break;
	}
	if (n->cfg.smtp_url[0] == '\0')
		goto drop;
	switch ((rc = store_member_get(n->store, nt->recipient, &m))) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		goto drop;
	default:
		return (-1);
	}
	if (m.status != STORE_MEMBER_ACTIVE)
		goto drop;
	if (notify_address(&n->cfg, m.handle, to, sizeof(to)) != 0) {
		struct log_field f[1] = {LOG_INT("notification", nt->id)};

		log_fields(
		    LOG_WARN, "no e-mail address for a notification", f, 1);
		goto drop;
	}
	if (n->cfg.notify_digest &&
	    (last = sent_find(n, nt->recipient)) != NULL &&
	    last->at > now - NOTIFY_DIGEST_PERIOD) {
		/* Wait for the next digest; this counts as one attempt. */
		for (i = 0; i < ngroup; i++)
			if (store_notification_retry(n->store, nts[group[i]].id,
				last->at + NOTIFY_DIGEST_PERIOD) != STORE_OK)
				return (-1);
		return (0);
	}
	if (send_mail(n, to, now) != 0)
		failure = 1;
	else {
		sent = 1;
		if (n->cfg.notify_digest)
			sent_record(n, nt->recipient, now);
	}
	sodium_memzero(to, sizeof(to));
	for (i = 0; i < ngroup; i++) {
		if (failure ? failed(n, &nts[group[i]], now)
			    : finish(n, &nts[group[i]]))
			return (-1);
	}
	return (sent);

drop:
	for (i = 0; i < ngroup; i++)
		if (finish(n, &nts[group[i]]) != 0)
			return (-1);
	return (0);
}

/**
 * notify_run_once(n, nsent):
 * Handle every notification due now (up to NOTIFY_BATCH): send it, drop
 * it if it cannot be delivered to anyone, or schedule a retry.  Store the
 * number of messages and webhook calls that succeeded in ${nsent} (may be
 * NULL).  Return 0, or -1 if the store failed.
 */
int
notify_run_once(struct notify *n, size_t *nsent)
{
	struct store_notification *nts;
	unsigned char done[NOTIFY_BATCH];
	size_t nnt, i, count = 0;
	int64_t now = n->now_fn();
	int r, ret = -1;

	if (nsent != NULL)
		*nsent = 0;
	if (store_notification_due(n->store, now, NOTIFY_BATCH, &nts, &nnt) !=
	    STORE_OK)
		return (-1);
	if (nnt > NOTIFY_BATCH)
		nnt = NOTIFY_BATCH;
	memset(done, 0, sizeof(done));
	sent_prune(n, now);
	for (i = 0; i < nnt; i++) {
		if (done[i])
			continue;
		if (strcmp(nts[i].recipient, NOTIFY_WEBHOOK) == 0) {
			done[i] = 1;
			if (n->cfg.webhook_url[0] == '\0')
				r = finish(n, &nts[i]);
			else if (send_webhook(n, nts[i].kind) == 0) {
				count++;
				r = finish(n, &nts[i]);
			} else
				r = failed(n, &nts[i], now);
			if (r != 0)
				goto done;
			continue;
		}
		if ((r = handle_member(n, nts, nnt, i, done, now)) < 0)
			goto done;
		count += (size_t)r;
	}
	ret = 0;

done:
	free(nts);
	if (nsent != NULL)
		*nsent = count;
	return (ret);
}

/* The sender thread: a pass every POLL_MS until stopped. */
static void *
run(void *cookie)
{
	struct notify *n = cookie;
	struct timespec until;

	pthread_mutex_lock(&n->mtx);
	while (!n->stop) {
		pthread_mutex_unlock(&n->mtx);
		if (notify_run_once(n, NULL) != 0)
			log_msg(LOG_ERROR, "notifications: store failure");
		pthread_mutex_lock(&n->mtx);
		(void)clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += POLL_MS / 1000;
		while (!n->stop && pthread_cond_timedwait(
				       &n->cond, &n->mtx, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&n->mtx);
	return (NULL);
}

/**
 * notify_start(n, s, cfg, now_fn):
 * Start the sender thread over store ${s} with the settings of ${cfg}
 * (smtp_url, smtp_from, mail_domain, webhook_url, public_url,
 * notify_digest), reading the time from ${now_fn}.  With neither SMTP nor a
 * webhook configured, queued notifications are dropped when due.  Return 0
 * and the handle in ${n}, or -1.
 */
int
notify_start(struct notify **np, struct store *s, const struct config *cfg,
    int64_t (*now_fn)(void))
{
	struct notify *n;
	pthread_condattr_t ca;

	if (notify_new(&n, s, cfg, now_fn) != 0)
		goto err0;
	if (pthread_mutex_init(&n->mtx, NULL) != 0)
		goto err1;
	if (pthread_condattr_init(&ca) != 0)
		goto err2;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&n->cond, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		goto err2;
	}
	pthread_condattr_destroy(&ca);
	if (pthread_create(&n->thread, NULL, run, n) != 0)
		goto err3;
	n->running = 1;
	*np = n;
	return (0);

err3:
	pthread_cond_destroy(&n->cond);
err2:
	pthread_mutex_destroy(&n->mtx);
err1:
	notify_stop(n);
err0:
	log_msg(LOG_ERROR, "cannot start the notification sender");
	return (-1);
}

/**
 * notify_stop(n):
 * Stop the sender thread (a message being sent finishes) and free ${n}.
 * NULL is a no-op.
 */
void
notify_stop(struct notify *n)
{

	if (n == NULL)
		return;
	if (n->running) {
		pthread_mutex_lock(&n->mtx);
		n->stop = 1;
		pthread_cond_signal(&n->cond);
		pthread_mutex_unlock(&n->mtx);
		pthread_join(n->thread, NULL);
		pthread_cond_destroy(&n->cond);
		pthread_mutex_destroy(&n->mtx);
	}
	free(n->sent);
	curl_global_cleanup();
	free(n);
}
