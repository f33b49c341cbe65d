#include <sys/stat.h>

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chanlog.h"
#include "config.h"
#include "custody.h"
#include "directory.h"
#include "routes_web.h"

/* Most seconds any lifetime may be set to: one year. */
#define TTL_MAX (365LL * 86400)

enum key_type {
	K_ADDR,
	K_PORT,
	K_PATH,
	K_NAME,
	K_PROFILE,
	K_TZ,
	K_UINT,
	K_LEVEL,
	K_MARKING,
	K_TOPICS,
	K_HOLIDAYS,
	K_PRINCIPALS,
	K_AGENCY_HEADS,
	K_SMTP_URL,
	K_HTTP_URL,
	K_MAIL,
	K_DOMAIN,
	K_PATH_OPT
};

struct key_def {
	const char *name;
	enum key_type type;
	size_t offset;               /* into struct config */
	size_t size;                 /* of the field */
	unsigned long long min, max; /* K_UINT range */
};

#define FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

static const struct key_def keys[] = {
    {"listen", K_ADDR, FIELD(listen), 0, 0},
    {"port", K_PORT, FIELD(port), 0, 65535},
    {"data_dir", K_PATH, FIELD(data_dir), 0, 0},
    {"tls_cert", K_PATH, FIELD(tls_cert), 0, 0},
    {"tls_key", K_PATH, FIELD(tls_key), 0, 0},
    {"instance_name", K_NAME, FIELD(instance_name), 0, 0},
    {"policy_profile", K_PROFILE, FIELD(policy_profile), 0, 0},
    {"time_zone", K_TZ, FIELD(time_zone), 0, 0},
    {"threads", K_UINT, FIELD(threads), 1, 256},
    {"max_connections", K_UINT, FIELD(max_connections), 1, 1000000},
    {"connection_timeout", K_UINT, FIELD(connection_timeout), 1, 86400},
    {"max_connections_per_address", K_UINT, FIELD(max_connections_per_address),
	0, 1000000},
    {"session_ttl", K_UINT, FIELD(session_ttl), 1, TTL_MAX},
    {"session_idle_ttl", K_UINT, FIELD(session_idle_ttl), 1, TTL_MAX},
    {"enrollment_ttl", K_UINT, FIELD(enrollment_ttl), 1, TTL_MAX},
    {"login_max_failures", K_UINT, FIELD(login_max_failures), 1, 1000},
    {"login_lock_seconds", K_UINT, FIELD(login_lock_seconds), 1, 3600},
    {"rate_limit_per_minute", K_UINT, FIELD(rate_limit_per_minute), 0, 1000000},
    /* Argon2id's own floor (libsodium) up to what custody accepts. */
    {"kdf_min_opslimit", K_UINT, FIELD(kdf_min_opslimit), 1,
	CUSTODY_OPSLIMIT_MAX},
    {"kdf_min_memlimit", K_UINT, FIELD(kdf_min_memlimit), 8192,
	CUSTODY_MEMLIMIT_MAX},
    {"log_level", K_LEVEL, FIELD(log_level), 0, 0},
    {"log_head_interval_ms", K_UINT, FIELD(log_head_interval_ms),
	CHANLOG_INTERVAL_MIN, CHANLOG_INTERVAL_MAX},
    {"max_marking", K_MARKING, FIELD(max_marking), 0, 0},
    {"topics", K_TOPICS, FIELD(topics), 0, 0},
    {"holidays", K_HOLIDAYS, FIELD(holidays), 0, 0},
    {"standard_principals", K_PRINCIPALS, FIELD(standard_principals), 0, 0},
    {"agency_heads", K_AGENCY_HEADS, FIELD(agency_heads), 0, 0},
    {"smtp_url", K_SMTP_URL, FIELD(smtp_url), 0, 0},
    {"smtp_from", K_MAIL, FIELD(smtp_from), 0, 0},
    {"mail_domain", K_DOMAIN, FIELD(mail_domain), 0, 0},
    {"webhook_url", K_HTTP_URL, FIELD(webhook_url), 0, 0},
    {"public_url", K_HTTP_URL, FIELD(public_url), 0, 0},
    {"notify_digest", K_UINT, FIELD(notify_digest), 0, 1},
    {"scheduler_interval_ms", K_UINT, FIELD(scheduler_interval_ms),
	CONFIG_SCHEDULER_MIN_MS, CONFIG_SCHEDULER_MAX_MS},
    {"ring_max", K_UINT, FIELD(ring_max), 2, CONFIG_RING_MAX_LIMIT},
    {"ring_min_warn", K_UINT, FIELD(ring_min_warn), 0, CONFIG_RING_MAX_LIMIT},
    {"test_clock_file", K_PATH_OPT, FIELD(test_clock_file), 0, 0},
    {"web_dir", K_PATH, FIELD(web_dir), 0, 0},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const profile_names[] = {
    "state-dissent", "eu-whistleblowing"};

/* The default topics. */
static const char *const default_topics[] = {
    "policy", "operations", "management", "human-rights", "security", "other"};

static void seterr(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format an error message into ${err}. */
static void
seterr(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (errcap == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

/**
 * config_defaults(c):
 * Fill ${c} with the default configuration (no data directory).
 */
void
config_defaults(struct config *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	memcpy(c->listen, "127.0.0.1", sizeof("127.0.0.1"));
	c->port = 8080;
	c->policy_profile = CONFIG_PROFILE_STATE_DISSENT;
	memcpy(c->time_zone, "UTC", sizeof("UTC"));
	c->threads = 0;
	c->max_connections = 4096;
	c->connection_timeout = 30;
	/* One client must not hold every slot (idle or trickling). */
	c->max_connections_per_address = 64;
	c->session_ttl = 43200;
	c->session_idle_ttl = 1800;
	c->enrollment_ttl = 604800;
	c->login_max_failures = 5;
	c->login_lock_seconds = 60;
	c->rate_limit_per_minute = 60;
	c->kdf_min_opslimit = CUSTODY_OPSLIMIT_MIN;
	c->kdf_min_memlimit = CUSTODY_MEMLIMIT_MIN;
	c->log_level = LOG_INFO;
	c->log_head_interval_ms = 200;
	c->max_marking = MEMO_MARKING_SBU;
	for (i = 0; i < sizeof(default_topics) / sizeof(default_topics[0]); i++)
		memcpy(c->topics[i], default_topics[i],
		    strlen(default_topics[i]) + 1);
	c->ntopics = i;
	c->notify_digest = 0;
	c->scheduler_interval_ms = 60000;
	c->ring_max = CONFIG_RING_MAX_DEFAULT;
	c->ring_min_warn = CONFIG_RING_MIN_WARN_DEFAULT;
}

/**
 * config_topic_allowed(c, topic):
 * Return 1 if ${topic} is one of the topics configured in ${c}, else 0.
 */
int
config_topic_allowed(const struct config *c, const char *topic)
{
	size_t i;

	for (i = 0; i < c->ntopics; i++)
		if (strcmp(c->topics[i], topic) == 0)
			return (1);
	return (0);
}

/**
 * config_profile_name(p):
 * Return the name of the policy profile ${p}.
 */
const char *
config_profile_name(enum config_profile p)
{

	if ((size_t)p < sizeof(profile_names) / sizeof(profile_names[0]))
		return (profile_names[p]);
	return ("unknown");
}

/**
 * config_time_zone_valid(name):
 * Return 1 if ${name} names a time zone file under CONFIG_ZONEINFO_DIR (or
 * is "UTC"), with no ".." component and not absolute, else 0.
 */
int
config_time_zone_valid(const char *name)
{
	char path[sizeof(CONFIG_ZONEINFO_DIR) + CONFIG_TZ_MAX + 1];
	struct stat st;
	const char *p;
	int len;

	if (strcmp(name, "UTC") == 0)
		return (1);
	if (name[0] == '\0' || name[0] == '/' || strlen(name) >= CONFIG_TZ_MAX)
		return (0);
	/* Only the characters of IANA zone names; never "..". */
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			(*p >= '0' && *p <= '9') || *p == '/' || *p == '_' ||
			*p == '-' || *p == '+' || *p == '.'))
			return (0);
	}
	if (strstr(name, "..") != NULL || strstr(name, "//") != NULL)
		return (0);
	len = snprintf(path, sizeof(path), "%s/%s", CONFIG_ZONEINFO_DIR, name);
	if (len < 0 || (size_t)len >= sizeof(path))
		return (0);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return (0);
	return (1);
}

/* Parse a decimal integer with no sign, spaces or leading zeros. */
static int
parse_uint(const char *s, unsigned long long min, unsigned long long max,
    unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p;

	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return (-1);
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return (-1);
		if (v > (ULLONG_MAX - (unsigned long long)(*p - '0')) / 10)
			return (-1);
		v = v * 10 + (unsigned long long)(*p - '0');
	}
	if (v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/* Store ${v} into the integer field of ${size} bytes at ${field}. */
static void
store_uint(void *field, size_t size, unsigned long long v)
{

	switch (size) {
	case sizeof(uint64_t): {
		uint64_t x = (uint64_t)v;
		memcpy(field, &x, sizeof(x));
		break;
	}
	case sizeof(uint32_t): {
		uint32_t x = (uint32_t)v;
		memcpy(field, &x, sizeof(x));
		break;
	}
	default:
		abort(); /* A key table error, caught by the tests. */
	}
}

/* Return 1 if ${s} has no control characters, else 0. */
static int
printable(const char *s)
{

	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return (0);
	return (1);
}

/* Trim spaces and tabs at both ends of [*s, *e). */
static void
trim(const char **s, const char **e)
{

	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* Longest item of a list value ("org:handle" is the longest kind). */
#define LIST_ITEM_MAX 128
/* Most items of any list key. */
#define LIST_MAX 64

/*
 * Split the comma-separated ${value} into at most ${max} (<= LIST_MAX)
 * trimmed, non-empty items of fewer than LIST_ITEM_MAX bytes each.  An
 * empty ${value} is the empty list.  Return 0, or -1.
 */
static int
list_split(
    const char *value, char items[][LIST_ITEM_MAX], size_t max, size_t *n)
{
	const char *s = value, *e, *next;
	size_t i;

	*n = 0;
	if (value[0] == '\0')
		return (0);
	for (;;) {
		if ((next = strchr(s, ',')) == NULL)
			next = s + strlen(s);
		e = next;
		trim(&s, &e);
		if (s == e || (size_t)(e - s) >= LIST_ITEM_MAX || *n == max)
			return (-1);
		memcpy(items[*n], s, (size_t)(e - s));
		items[*n][e - s] = '\0';
		for (i = 0; i < *n; i++)
			if (strcmp(items[i], items[*n]) == 0)
				return (-1);
		(*n)++;
		if (*next == '\0')
			break;
		s = next + 1;
	}
	return (0);
}

/* Return 1 if ${s} names a member: a handle or a member id, else 0. */
static int
member_ref_valid(const char *s)
{

	return (strlen(s) <= DIRECTORY_HANDLE_MAX &&
		(directory_handle_valid(s) || directory_member_id_valid(s)));
}

/* Return 1 if ${s} is a DNS name of letters, digits and hyphens, else 0. */
static int
domain_valid(const char *s)
{
	size_t len = strlen(s), label = 0;
	const char *p;

	if (len == 0 || len > CONFIG_DOMAIN_MAX)
		return (0);
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return (0);
			label = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '-'))
			return (0);
		if ((label == 0 && *p == '-') || ++label > 63)
			return (0);
	}
	return (label > 0 && p[-1] != '-');
}

/**
 * config_mail_valid(addr):
 * Return 1 if ${addr} is an e-mail address this server sends to or from:
 * at most CONFIG_MAIL_MAX bytes, a local part of [A-Za-z0-9._+-] (no
 * leading, trailing or double dot) of at most 64 bytes, "@" and a domain
 * name; else 0.  Nothing else may appear, so an address can never carry a
 * header or an SMTP command.
 */
int
config_mail_valid(const char *addr)
{
	const char *at, *p;

	if (strlen(addr) > CONFIG_MAIL_MAX || (at = strchr(addr, '@')) == NULL)
		return (0);
	if (at == addr || at - addr > 64 || addr[0] == '.' || at[-1] == '.')
		return (0);
	for (p = addr; p < at; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
			*p == '+' || *p == '-'))
			return (0);
		if (*p == '.' && p[1] == '.')
			return (0);
	}
	return (domain_valid(at + 1));
}

/*
 * Return 1 if ${s} is a URL with the scheme ${scheme} ("smtp", ...)
 * followed by "://", a non-empty host part and only printable ASCII that
 * needs no quoting (no space, quote, angle bracket, backslash, brace, ...),
 * else 0.
 */
static int
url_valid(const char *s, const char *scheme)
{
	size_t slen = strlen(scheme);
	const char *p;

	if (strncmp(s, scheme, slen) != 0 || strncmp(s + slen, "://", 3) != 0)
		return (0);
	p = s + slen + 3;
	if (*p == '\0' || *p == '/' || *p == '?' || *p == '#')
		return (0);
	for (p = s; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p))
			return (0);
	}
	return (1);
}

/**
 * config_set(c, key, value, err, errcap):
 * Set the configuration key ${key} to the text ${value} after checking it.
 * Return 0, or -1 with a message in ${err} (never quoting ${value}).
 */
int
config_set(struct config *c, const char *key, const char *value, char *err,
    size_t errcap)
{
	static_assert(CALENDAR_EXTRA_MAX <= LIST_MAX, "LIST_MAX");
	static_assert(CONFIG_TOPICS_MAX <= LIST_MAX, "LIST_MAX");
	static_assert(
	    DIRECTORY_ORG_ID_MAX + 1 + DIRECTORY_HANDLE_MAX < LIST_ITEM_MAX,
	    "LIST_ITEM_MAX");
	const struct key_def *k = NULL;
	unsigned char addr[sizeof(struct in6_addr)];
	char items[LIST_MAX][LIST_ITEM_MAX];
	struct calendar_date dates[CALENDAR_EXTRA_MAX];
	unsigned long long v;
	enum log_level level;
	size_t i, j, n, len;
	char *field, *colon;
	int marking;

	for (i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].name, key) == 0) {
			k = &keys[i];
			break;
		}
	}
	if (k == NULL) {
		seterr(err, errcap, "unknown key");
		return (-1);
	}
	field = (char *)c + k->offset;
	len = strlen(value);

	switch (k->type) {
	case K_ADDR:
		if (len >= k->size ||
		    (inet_pton(AF_INET, value, addr) != 1 &&
			inet_pton(AF_INET6, value, addr) != 1))
			goto bad;
		memcpy(field, value, len + 1);
		break;
	case K_PORT:
	case K_UINT:
		if (parse_uint(value, k->min, k->max, &v) != 0) {
			seterr(err, errcap,
			    "%s must be an integer from %llu to "
			    "%llu",
			    k->name, k->min, k->max);
			return (-1);
		}
		store_uint(field, k->size, v);
		break;
	case K_PATH:
		if (len == 0 || len >= k->size || !printable(value))
			goto bad;
		memcpy(field, value, len + 1);
		break;
	case K_NAME:
		if (len >= k->size ||
		    !directory_name_valid(value, CONFIG_NAME_MAX))
			goto bad;
		memcpy(field, value, len + 1);
		break;
	case K_PROFILE:
		for (i = 0;
		     i < sizeof(profile_names) / sizeof(profile_names[0]);
		     i++) {
			if (strcmp(value, profile_names[i]) == 0) {
				c->policy_profile = (enum config_profile)i;
				return (0);
			}
		}
		seterr(err, errcap,
		    "policy_profile must be state-dissent or "
		    "eu-whistleblowing");
		return (-1);
	case K_TZ:
		if (len >= k->size || !config_time_zone_valid(value)) {
			seterr(err, errcap,
			    "time_zone is not a time zone under "
			    "%s",
			    CONFIG_ZONEINFO_DIR);
			return (-1);
		}
		memcpy(field, value, len + 1);
		break;
	case K_LEVEL:
		if (log_level_parse(value, &level) != 0) {
			seterr(err, errcap,
			    "log_level must be error, warn, info or debug");
			return (-1);
		}
		c->log_level = level;
		break;
	case K_MARKING:
		if ((marking = memo_marking_level(value)) < 0) {
			seterr(err, errcap,
			    "max_marking must be UNCLASSIFIED, SBU, "
			    "CONFIDENTIAL, SECRET or TOP SECRET");
			return (-1);
		}
		c->max_marking = marking;
		break;
	case K_TOPICS:
		if (list_split(value, items, CONFIG_TOPICS_MAX, &n) != 0 ||
		    n == 0)
			goto badlist;
		for (i = 0; i < n; i++)
			if (!memo_topic_valid(items[i]))
				goto badlist;
		for (i = 0; i < n; i++)
			memcpy(c->topics[i], items[i], strlen(items[i]) + 1);
		c->ntopics = n;
		break;
	case K_HOLIDAYS:
		if (list_split(value, items, CALENDAR_EXTRA_MAX, &n) != 0)
			goto badlist;
		for (i = 0; i < n; i++)
			if (calendar_date_parse(&dates[i], items[i]) != 0)
				goto badlist;
		memcpy(c->holidays, dates, n * sizeof(dates[0]));
		c->nholidays = n;
		break;
	case K_PRINCIPALS:
		if (list_split(value, items, CONFIG_PRINCIPALS_MAX, &n) != 0)
			goto badlist;
		for (i = 0; i < n; i++)
			if (!member_ref_valid(items[i]))
				goto badlist;
		for (i = 0; i < n; i++)
			memcpy(c->standard_principals[i], items[i],
			    strlen(items[i]) + 1);
		c->nstandard_principals = n;
		break;
	case K_AGENCY_HEADS:
		if (list_split(value, items, CONFIG_AGENCY_HEADS_MAX, &n) != 0)
			goto badlist;
		for (i = 0; i < n; i++) {
			if ((colon = strchr(items[i], ':')) == NULL)
				goto badlist;
			*colon = '\0';
			if (!directory_org_id_valid(items[i]) ||
			    !member_ref_valid(colon + 1))
				goto badlist;
			/* One head per organisation. */
			for (j = 0; j < i; j++)
				if (strcmp(items[j], items[i]) == 0)
					goto badlist;
		}
		for (i = 0; i < n; i++) {
			len = strlen(items[i]);
			memcpy(c->agency_heads[i].org, items[i], len + 1);
			memcpy(c->agency_heads[i].member, items[i] + len + 1,
			    strlen(items[i] + len + 1) + 1);
		}
		c->nagency_heads = n;
		break;
	case K_SMTP_URL:
		if (len >= k->size || (len > 0 && !url_valid(value, "smtp") &&
					  !url_valid(value, "smtps"))) {
			seterr(err, errcap,
			    "smtp_url must be an smtp:// or smtps:// URL");
			return (-1);
		}
		memcpy(field, value, len + 1);
		break;
	case K_HTTP_URL:
		if (len >= k->size || (len > 0 && !url_valid(value, "http") &&
					  !url_valid(value, "https"))) {
			seterr(err, errcap,
			    "%s must be an http:// or https:// URL", k->name);
			return (-1);
		}
		memcpy(field, value, len + 1);
		break;
	case K_MAIL:
		if (len >= k->size || (len > 0 && !config_mail_valid(value)))
			goto bad;
		memcpy(field, value, len + 1);
		break;
	case K_DOMAIN:
		if (len >= k->size || (len > 0 && !domain_valid(value)))
			goto bad;
		memcpy(field, value, len + 1);
		break;
	case K_PATH_OPT:
		if (len >= k->size || !printable(value))
			goto bad;
		memcpy(field, value, len + 1);
		break;
	}
	return (0);

badlist:
	switch (k->type) {
	case K_TOPICS:
		seterr(err, errcap,
		    "topics must be 1 to %d different topics ([a-z0-9-], "
		    "starting with a letter) separated by commas",
		    CONFIG_TOPICS_MAX);
		break;
	case K_HOLIDAYS:
		seterr(err, errcap,
		    "holidays must be at most %d different dates "
		    "(YYYY-MM-DD) separated by commas",
		    CALENDAR_EXTRA_MAX);
		break;
	case K_PRINCIPALS:
		seterr(err, errcap,
		    "standard_principals must be at most %d different "
		    "handles or member ids separated by commas",
		    CONFIG_PRINCIPALS_MAX);
		break;
	default:
		seterr(err, errcap,
		    "agency_heads must be at most %d org:member pairs "
		    "(one per organisation) separated by commas",
		    CONFIG_AGENCY_HEADS_MAX);
		break;
	}
	return (-1);

bad:
	seterr(err, errcap, "invalid value for %s", k->name);
	return (-1);
}

/* Index of ${key} in the key table, or -1. */
static int
key_index(const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, key) == 0)
			return ((int)i);
	return (-1);
}

/**
 * config_parse_buf(c, buf, len, name, err, errcap):
 * Apply the configuration text ${buf} (${len} bytes; ${name} is used in
 * messages) to ${c}.  Return 0, or -1 with a message naming the line in
 * ${err}; ${c} may then be partly changed.
 */
int
config_parse_buf(struct config *c, const char *buf, size_t len,
    const char *name, char *err, size_t errcap)
{
	unsigned char seen[NKEYS];
	char key[64], value[CONFIG_LINE_MAX];
	char msg[CONFIG_ERR_MAX];
	const char *p = buf, *end = buf + len, *eol, *ls, *le, *eq, *ks, *ke,
		   *vs, *ve;
	unsigned int lineno = 0;
	int idx;

	memset(seen, 0, sizeof(seen));
	if (len > CONFIG_FILE_MAX) {
		seterr(err, errcap, "%s: file too large", name);
		return (-1);
	}
	if (memchr(buf, '\0', len) != NULL) {
		seterr(err, errcap, "%s: file contains a NUL byte", name);
		return (-1);
	}
	while (p < end) {
		lineno++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		ls = p;
		le = eol;
		p = eol < end ? eol + 1 : end;
		if (le > ls && le[-1] == '\r')
			le--;
		if ((size_t)(le - ls) >= CONFIG_LINE_MAX) {
			seterr(
			    err, errcap, "%s:%u: line too long", name, lineno);
			return (-1);
		}
		trim(&ls, &le);
		if (ls == le || *ls == '#')
			continue;
		if ((eq = memchr(ls, '=', (size_t)(le - ls))) == NULL) {
			seterr(err, errcap, "%s:%u: expected \"key = value\"",
			    name, lineno);
			return (-1);
		}
		ks = ls;
		ke = eq;
		vs = eq + 1;
		ve = le;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if (ks == ke || (size_t)(ke - ks) >= sizeof(key)) {
			seterr(err, errcap, "%s:%u: missing or overlong key",
			    name, lineno);
			return (-1);
		}
		memcpy(key, ks, (size_t)(ke - ks));
		key[ke - ks] = '\0';
		memcpy(value, vs, (size_t)(ve - vs));
		value[ve - vs] = '\0';
		if ((idx = key_index(key)) < 0) {
			/* Key names are printable: checked before echoing. */
			if (printable(key))
				seterr(err, errcap, "%s:%u: unknown key \"%s\"",
				    name, lineno, key);
			else
				seterr(err, errcap, "%s:%u: unknown key", name,
				    lineno);
			return (-1);
		}
		if (seen[idx]) {
			seterr(err, errcap, "%s:%u: %s given twice", name,
			    lineno, key);
			return (-1);
		}
		seen[idx] = 1;
		if (vs == ve) {
			seterr(err, errcap, "%s:%u: %s has no value", name,
			    lineno, key);
			return (-1);
		}
		if (config_set(c, key, value, msg, sizeof(msg)) != 0) {
			seterr(err, errcap, "%s:%u: %s", name, lineno, msg);
			return (-1);
		}
	}
	return (0);
}

/**
 * config_parse_file(c, path, err, errcap):
 * Read and apply the configuration file ${path}.  Return 0 or -1 with a
 * message in ${err}.
 */
int
config_parse_file(struct config *c, const char *path, char *err, size_t errcap)
{
	char *buf;
	size_t len = 0;
	ssize_t r;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		seterr(err, errcap, "%s: %s", path, strerror(errno));
		goto err0;
	}
	/* One byte more than allowed, to notice an overlong file. */
	if ((buf = malloc(CONFIG_FILE_MAX + 1)) == NULL) {
		seterr(err, errcap, "%s: out of memory", path);
		goto err1;
	}
	while (len < CONFIG_FILE_MAX + 1) {
		r = read(fd, buf + len, CONFIG_FILE_MAX + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			seterr(err, errcap, "%s: %s", path, strerror(errno));
			goto err2;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	rc = config_parse_buf(c, buf, len, path, err, errcap);
	free(buf);
	close(fd);
	if (rc == 0) {
		len = strlen(path);
		if (len >= sizeof(c->config_file)) {
			seterr(err, errcap, "configuration path too long");
			return (-1);
		}
		memcpy(c->config_file, path, len + 1);
	}
	return (rc);

err2:
	free(buf);
err1:
	close(fd);
err0:
	return (-1);
}

/**
 * config_check(c, err, errcap):
 * Check what single keys cannot: a data directory is set, the TLS
 * certificate and key come together, the idle timeout is not longer than
 * the absolute one, SMTP has a sender address, ring_min_warn is not above
 * ring_max.  Return 0 or -1 with a message in ${err}.
 */
int
config_check(const struct config *c, char *err, size_t errcap)
{

	if (c->data_dir[0] == '\0') {
		seterr(
		    err, errcap, "no data directory (--data-dir or data_dir)");
		return (-1);
	}
	if ((c->tls_cert[0] == '\0') != (c->tls_key[0] == '\0')) {
		seterr(
		    err, errcap, "tls_cert and tls_key must be set together");
		return (-1);
	}
	if (c->session_idle_ttl > c->session_ttl) {
		seterr(err, errcap,
		    "session_idle_ttl must not exceed session_ttl");
		return (-1);
	}
	if (c->smtp_url[0] != '\0' && c->smtp_from[0] == '\0') {
		seterr(err, errcap, "smtp_url needs smtp_from");
		return (-1);
	}
	/* Otherwise every anonymous signature would warn. */
	if (c->ring_min_warn > c->ring_max) {
		seterr(err, errcap, "ring_min_warn must not exceed ring_max");
		return (-1);
	}
	return (0);
}

/* The flags that stand for a configuration key. */
static const struct {
	const char *flag;
	const char *key;
} flag_keys[] = {
    {"--data-dir", "data_dir"},
    {"--listen", "listen"},
    {"--port", "port"},
    {"--tls-cert", "tls_cert"},
    {"--tls-key", "tls_key"},
    {"--policy-profile", "policy_profile"},
    {"--time-zone", "time_zone"},
    {"--log-level", "log_level"},
};

struct override {
	const char *flag; /* for messages */
	char key[64];
	const char *value;
};

/* Copy the NUL-terminated ${s} into ${out} of ${cap}; 0 or -1 if too long. */
static int
copy_str(char *out, size_t cap, const char *s)
{
	size_t len = strlen(s);

	if (len >= cap)
		return (-1);
	memcpy(out, s, len + 1);
	return (0);
}

/* Return 1 if ${path} exists, else 0. */
static int
file_exists(const char *path)
{
	struct stat st;

	return (stat(path, &st) == 0);
}

/**
 * config_from_args(c, argc, argv, action, err, errcap):
 * Build the configuration of "dissentd [flags]": defaults, then the file
 * given by --config (or DATA_DIR/dissentd.conf if it exists), then the
 * flags.  ${argv}[0] is the program name.  Store CONFIG_HELP or
 * CONFIG_VERSION in ${action} if asked for (${c} is then not complete),
 * else CONFIG_RUN.  Return 0, or -1 with a message in ${err}.
 */
int
config_from_args(struct config *c, int argc, char *argv[],
    enum config_action *action, char *err, size_t errcap)
{
	struct override *ov;
	char msg[CONFIG_ERR_MAX];
	char path[CONFIG_PATH_MAX + 32];
	const char *config_path = NULL, *port_file = NULL, *data_dir = NULL;
	const char *arg, *value, *eq;
	size_t nov = 0, i, flen;
	int a, k, len;

	config_defaults(c);
	*action = CONFIG_RUN;
	if (argc < 1)
		return (0);
	if ((ov = calloc((size_t)argc, sizeof(*ov))) == NULL) {
		seterr(err, errcap, "out of memory");
		return (-1);
	}

	for (a = 1; a < argc; a++) {
		arg = argv[a];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			*action = CONFIG_HELP;
			goto done;
		}
		if (strcmp(arg, "--version") == 0) {
			*action = CONFIG_VERSION;
			goto done;
		}
		if (strncmp(arg, "--", 2) != 0) {
			seterr(err, errcap, "unexpected argument \"%s\"", arg);
			goto err1;
		}
		/* "--flag=value" or "--flag value". */
		if ((eq = strchr(arg, '=')) != NULL) {
			flen = (size_t)(eq - arg);
			value = eq + 1;
		} else {
			flen = strlen(arg);
			if (a + 1 >= argc) {
				seterr(err, errcap, "%s needs a value", arg);
				goto err1;
			}
			value = argv[++a];
		}
		ov[nov].flag = arg;

		if (flen == 8 && strncmp(arg, "--config", 8) == 0) {
			config_path = value;
			continue;
		}
		if (flen == 11 && strncmp(arg, "--port-file", 11) == 0) {
			port_file = value;
			continue;
		}
		if (flen == 5 && strncmp(arg, "--set", 5) == 0) {
			if ((eq = strchr(value, '=')) == NULL ||
			    (size_t)(eq - value) >= sizeof(ov[nov].key)) {
				seterr(err, errcap, "--set needs key=value");
				goto err1;
			}
			memcpy(ov[nov].key, value, (size_t)(eq - value));
			ov[nov].key[eq - value] = '\0';
			ov[nov].value = eq + 1;
			if (key_index(ov[nov].key) < 0) {
				seterr(err, errcap, "--set: unknown key \"%s\"",
				    printable(ov[nov].key) ? ov[nov].key : "?");
				goto err1;
			}
			nov++;
			continue;
		}
		for (k = 0; k < (int)(sizeof(flag_keys) / sizeof(flag_keys[0]));
		     k++) {
			if (strlen(flag_keys[k].flag) == flen &&
			    strncmp(arg, flag_keys[k].flag, flen) == 0)
				break;
		}
		if (k == (int)(sizeof(flag_keys) / sizeof(flag_keys[0]))) {
			seterr(err, errcap, "unknown option \"%.*s\"",
			    (int)(flen > 64 ? 64 : flen), arg);
			goto err1;
		}
		(void)copy_str(
		    ov[nov].key, sizeof(ov[nov].key), flag_keys[k].key);
		ov[nov].value = value;
		nov++;
	}

	/* The data directory decides where the default file is. */
	for (i = 0; i < nov; i++)
		if (strcmp(ov[i].key, "data_dir") == 0)
			data_dir = ov[i].value;
	if (config_path != NULL) {
		if (config_parse_file(c, config_path, err, errcap) != 0)
			goto err1;
	} else if (data_dir != NULL) {
		len =
		    snprintf(path, sizeof(path), "%s/dissentd.conf", data_dir);
		if (len < 0 || (size_t)len >= sizeof(path)) {
			seterr(err, errcap, "data directory path too long");
			goto err1;
		}
		if (file_exists(path) &&
		    config_parse_file(c, path, err, errcap) != 0)
			goto err1;
	}

	/* Flags override the file, later flags earlier ones. */
	for (i = 0; i < nov; i++) {
		if (config_set(c, ov[i].key, ov[i].value, msg, sizeof(msg)) !=
		    0) {
			seterr(err, errcap, "%s: %s", ov[i].flag, msg);
			goto err1;
		}
	}
	/* The web application that came with the program, if any. */
	if (c->web_dir[0] == '\0' &&
	    routes_web_find_dir(c->web_dir, sizeof(c->web_dir)) != 0)
		c->web_dir[0] = '\0';
	if (port_file != NULL &&
	    copy_str(c->port_file, sizeof(c->port_file), port_file) != 0) {
		seterr(err, errcap, "--port-file: path too long");
		goto err1;
	}
	if (config_check(c, err, errcap) != 0)
		goto err1;

done:
	free(ov);
	return (0);

err1:
	free(ov);
	return (-1);
}
