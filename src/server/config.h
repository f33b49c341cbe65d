#ifndef CONFIG_H_
#define CONFIG_H_

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "directory.h"
#include "log.h"
#include "memo.h"

/*
 * dissentd's configuration (docs/OPERATIONS.md, "Configuration"): a file of
 * "key = value" lines with '#' comments, then command-line flags, which
 * override the file.  Parsing is strict: an unknown key, a key given twice
 * in the file or a value out of range is an error naming the line.
 */

#define CONFIG_PATH_MAX 1024
#define CONFIG_NAME_MAX 128
#define CONFIG_ADDR_MAX 64
#define CONFIG_TZ_MAX 64
/* Longest line of a configuration file; longest file. */
#define CONFIG_LINE_MAX 4096
#define CONFIG_FILE_MAX (256 * 1024)
/* Length of an error message from this module. */
#define CONFIG_ERR_MAX 256

/* Lists of the memo keys (docs/OPERATIONS.md, "Memos"). */
#define CONFIG_TOPICS_MAX 32
#define CONFIG_PRINCIPALS_MAX 16
#define CONFIG_AGENCY_HEADS_MAX 16
/* Longest URL (smtp_url, webhook_url, public_url). */
#define CONFIG_URL_MAX 512
/* Longest e-mail address (RFC 5321 path limit) and mail domain. */
#define CONFIG_MAIL_MAX 254
#define CONFIG_DOMAIN_MAX 253
/* Bounds of scheduler_interval_ms. */
#define CONFIG_SCHEDULER_MIN_MS 100
#define CONFIG_SCHEDULER_MAX_MS 86400000

/*
 * Bounds of ring_max: a ring of CONFIG_RING_MAX_LIMIT keys and its
 * signature, in base64url, fit the 1 MiB body of the anonymous signature
 * routes (HTTP_BODY_LARGE_MAX).
 */
#define CONFIG_RING_MAX_LIMIT 8192
#define CONFIG_RING_MAX_DEFAULT 1024 /* RING_MAX_DEFAULT */
#define CONFIG_RING_MIN_WARN_DEFAULT 50

/* Where time zones are looked up. */
#define CONFIG_ZONEINFO_DIR "/usr/share/zoneinfo"

enum config_profile {
	CONFIG_PROFILE_STATE_DISSENT = 0,
	CONFIG_PROFILE_EU_WHISTLEBLOWING
};

struct config {
	char listen[CONFIG_ADDR_MAX];
	unsigned int port;
	char data_dir[CONFIG_PATH_MAX];
	char tls_cert[CONFIG_PATH_MAX]; /* empty: no TLS */
	char tls_key[CONFIG_PATH_MAX];
	char
	    instance_name[CONFIG_NAME_MAX + 1]; /* empty: as recorded at init */
	enum config_profile policy_profile;
	char time_zone[CONFIG_TZ_MAX];
	unsigned int threads; /* 0: one per CPU */
	unsigned int max_connections;
	unsigned int connection_timeout;          /* seconds */
	unsigned int max_connections_per_address; /* 0: unlimited */
	int64_t session_ttl;
	int64_t session_idle_ttl;
	int64_t enrollment_ttl;
	uint32_t login_max_failures;
	int64_t login_lock_seconds;
	unsigned int rate_limit_per_minute; /* 0: no per-address limit */
	uint64_t kdf_min_opslimit;
	uint64_t kdf_min_memlimit;
	enum log_level log_level;
	unsigned int log_head_interval_ms; /* least time between tree heads */

	/* Memos and the channel. */
	int max_marking; /* MEMO_MARKING_*: highest accepted marking */
	char topics[CONFIG_TOPICS_MAX][MEMO_TOPIC_MAX + 1];
	size_t ntopics;
	struct calendar_date holidays[CALENDAR_EXTRA_MAX]; /* extra dates */
	size_t nholidays;
	/* Handles or member ids of the standard distribution list. */
	char standard_principals[CONFIG_PRINCIPALS_MAX]
				[DIRECTORY_HANDLE_MAX + 1];
	size_t nstandard_principals;
	struct config_agency_head {
		char org[DIRECTORY_ORG_ID_MAX + 1];
		char member[DIRECTORY_HANDLE_MAX + 1]; /* handle or member id */
	} agency_heads[CONFIG_AGENCY_HEADS_MAX];
	size_t nagency_heads;

	/* Notifications; empty strings: not configured. */
	char smtp_url[CONFIG_URL_MAX]; /* smtp:// or smtps:// */
	char smtp_from[CONFIG_MAIL_MAX + 1];
	char mail_domain[CONFIG_DOMAIN_MAX + 1];
	char webhook_url[CONFIG_URL_MAX]; /* http:// or https:// */
	char public_url[CONFIG_URL_MAX];  /* the link in every message */
	unsigned int notify_digest;       /* 1: one e-mail a day at most */
	unsigned int scheduler_interval_ms;
	/*
	 * Anonymous co-signatures: the largest ring a signature may use
	 * (RING_MIN..CONFIG_RING_MAX_LIMIT; larger eligible sets sign on a
	 * random subset) and the anonymity set below which clients warn.
	 */
	unsigned int ring_max;
	unsigned int ring_min_warn;
	/*
	 * The web application's directory (routes_web.h); empty: found next
	 * to the binary.
	 */
	char web_dir[CONFIG_PATH_MAX];
	/* Tests only: a file holding the current time; empty: real time. */
	char test_clock_file[CONFIG_PATH_MAX];

	/* Flags only (not file keys). */
	char config_file[CONFIG_PATH_MAX]; /* the file actually read, or "" */
	char port_file[CONFIG_PATH_MAX];
};

/* What config_from_args() found on the command line. */
enum config_action { CONFIG_RUN = 0, CONFIG_HELP, CONFIG_VERSION };

/**
 * config_defaults(c):
 * Fill ${c} with the default configuration (no data directory).
 */
void config_defaults(struct config *c);

/**
 * config_set(c, key, value, err, errcap):
 * Set the configuration key ${key} to the text ${value} after checking it.
 * Return 0, or -1 with a message in ${err} (never quoting ${value}).
 */
int config_set(struct config *c, const char *key, const char *value, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * config_parse_buf(c, buf, len, name, err, errcap):
 * Apply the configuration text ${buf} (${len} bytes; ${name} is used in
 * messages) to ${c}.  Return 0, or -1 with a message naming the line in
 * ${err}; ${c} may then be partly changed.
 */
int config_parse_buf(struct config *c, const char *buf, size_t len,
    const char *name, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * config_parse_file(c, path, err, errcap):
 * Read and apply the configuration file ${path}.  Return 0 or -1 with a
 * message in ${err}.
 */
int config_parse_file(struct config *c, const char *path, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * config_check(c, err, errcap):
 * Check what single keys cannot: a data directory is set, the TLS
 * certificate and key come together, the idle timeout is not longer than
 * the absolute one, SMTP has a sender address, ring_min_warn is not above
 * ring_max.  Return 0 or -1 with a message in ${err}.
 */
int config_check(const struct config *c, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * config_from_args(c, argc, argv, action, err, errcap):
 * Build the configuration of "dissentd [flags]": defaults, then the file
 * given by --config (or DATA_DIR/dissentd.conf if it exists), then the
 * flags.  ${argv}[0] is the program name.  Store CONFIG_HELP or
 * CONFIG_VERSION in ${action} if asked for (${c} is then not complete),
 * else CONFIG_RUN.  Return 0, or -1 with a message in ${err}.
 */
int config_from_args(struct config *c, int argc, char *argv[],
    enum config_action *action, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * config_profile_name(p):
 * Return the name of the policy profile ${p}.
 */
const char *config_profile_name(enum config_profile p);

/**
 * config_topic_allowed(c, topic):
 * Return 1 if ${topic} is one of the topics configured in ${c}, else 0.
 */
int config_topic_allowed(const struct config *c, const char *topic);

/**
 * config_mail_valid(addr):
 * Return 1 if ${addr} is an e-mail address this server sends to or from:
 * at most CONFIG_MAIL_MAX bytes, a local part of [A-Za-z0-9._+-] (no
 * leading, trailing or double dot) of at most 64 bytes, "@" and a domain
 * name; else 0.  Nothing else may appear, so an address can never carry a
 * header or an SMTP command.
 */
int config_mail_valid(const char *addr);

/**
 * config_time_zone_valid(name):
 * Return 1 if ${name} names a time zone file under CONFIG_ZONEINFO_DIR (or
 * is "UTC"), with no ".." component and not absolute, else 0.
 */
int config_time_zone_valid(const char *name);

#endif /* !CONFIG_H_ */
