/*
 * dissentd: the dissent server.
 *
 *   dissentd [flags]        serve the instance in the data directory
 *   dissentd init ...       create an instance
 *
 * See `dissentd --help` and docs/OPERATIONS.md.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "config.h"
#include "custody.h"
#include "instance.h"
#include "jsonin.h"
#include "log.h"
#include "server.h"
#include "store.h"

/* Expired sessions are purged this often (seconds). */
#define PURGE_INTERVAL 3600

static const char usage_text[] =
    "usage: dissentd [options]\n"
    "       dissentd init --data-dir DIR --channel-org ID\n"
    "           --channel-org-name NAME --admin-handle HANDLE\n"
    "           --admin-name NAME [--instance-name NAME] [--code-file PATH]\n"
    "       dissentd --help | --version\n"
    "\n"
    "Serve a dissent instance.  Options override the configuration file\n"
    "(--config, or DATA_DIR/dissentd.conf if it exists):\n"
    "  --config FILE          read this configuration file\n"
    "  --data-dir DIR         the instance's data directory\n"
    "  --listen ADDR          numeric address to listen on (127.0.0.1)\n"
    "  --port N               TCP port (8080; 0 picks a free one)\n"
    "  --port-file PATH       write the bound port to PATH once listening\n"
    "  --tls-cert FILE        PEM certificate chain (enables HTTPS)\n"
    "  --tls-key FILE         PEM private key\n"
    "  --policy-profile P     state-dissent | eu-whistleblowing\n"
    "  --time-zone TZ         IANA time zone for deadlines (UTC)\n"
    "  --log-level L          error | warn | info | debug (info)\n"
    "  --set KEY=VALUE        set any configuration key\n"
    "\n"
    "init creates DIR with the database, the server key and secret, the\n"
    "channel organisation and a pending admin, and prints the admin's\n"
    "enrollment code once (or writes it, mode 0600, to --code-file).\n";

static void
usage(FILE *f)
{

	fputs(usage_text, f);
}

/* Raise the open-file limit to its hard limit: one fd per connection. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_msg(LOG_WARN, "cannot raise the open-file limit");
	}
}

/* Write the port durably and atomically (PATH.tmp, then rename). */
static int
write_port_file(const char *path, unsigned int port)
{
	char tmp[CONFIG_PATH_MAX + 8], text[16];
	int fd, len;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return (-1);
	len = snprintf(text, sizeof(text), "%u\n", port);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) <
	    0)
		return (-1);
	if (write(fd, text, (size_t)len) != len || close(fd) != 0) {
		(void)unlink(tmp);
		return (-1);
	}
	if (rename(tmp, path) != 0) {
		(void)unlink(tmp);
		return (-1);
	}
	return (0);
}

/* The store's error messages, as log lines. */
static void
store_log_cb(void *ctx, const char *msg)
{
	struct log_field f[1] = {LOG_STR("detail", msg)};

	(void)ctx;
	log_fields(LOG_ERROR, "store", f, 1);
}

/* dissentd init ... */
static int
cmd_init(int argc, char *argv[])
{
	struct instance_init_args a;
	char code[ACCOUNT_CODE_LEN + 1];
	char err[256];
	int64_t expires_at;
	const char **dst;
	int i;

	memset(&a, 0, sizeof(a));
	a.enrollment_ttl = 604800;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return (0);
		}
		if (strcmp(argv[i], "--data-dir") == 0)
			dst = &a.data_dir;
		else if (strcmp(argv[i], "--channel-org") == 0)
			dst = &a.channel_org;
		else if (strcmp(argv[i], "--channel-org-name") == 0)
			dst = &a.channel_org_name;
		else if (strcmp(argv[i], "--admin-handle") == 0)
			dst = &a.admin_handle;
		else if (strcmp(argv[i], "--admin-name") == 0)
			dst = &a.admin_name;
		else if (strcmp(argv[i], "--instance-name") == 0)
			dst = &a.instance_name;
		else if (strcmp(argv[i], "--code-file") == 0)
			dst = &a.code_file;
		else {
			fprintf(stderr,
			    "dissentd init: unknown option \"%s\"\n", argv[i]);
			usage(stderr);
			return (2);
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "dissentd init: %s needs a value\n",
			    argv[i]);
			return (2);
		}
		if (*dst != NULL) {
			fprintf(
			    stderr, "dissentd init: %s given twice\n", argv[i]);
			return (2);
		}
		*dst = argv[++i];
	}
	if (a.data_dir == NULL || a.channel_org == NULL ||
	    a.channel_org_name == NULL || a.admin_handle == NULL ||
	    a.admin_name == NULL) {
		fprintf(stderr,
		    "dissentd init: --data-dir, --channel-org, "
		    "--channel-org-name, --admin-handle and --admin-name are "
		    "required\n");
		return (2);
	}
	if (instance_init(&a, (int64_t)time(NULL), code, &expires_at, err,
		sizeof(err)) != 0) {
		fprintf(stderr, "dissentd init: %s\n", err);
		return (1);
	}
	if (a.code_file == NULL) {
		printf("Admin enrollment code: %s\n", code);
		printf("It expires at %lld (Unix time).  It is shown only "
		       "once: give it to the administrator, who enrolls with\n"
		       "`dissent enroll`.\n",
		    (long long)expires_at);
	} else {
		printf("Admin enrollment code written to %s (expires at %lld, "
		       "Unix time).\n",
		    a.code_file, (long long)expires_at);
	}
	sodium_memzero(code, sizeof(code));
	if (fflush(stdout) != 0)
		return (1);
	return (0);
}

/* dissentd [flags]: serve until SIGINT or SIGTERM. */
static int
cmd_run(int argc, char *argv[])
{
	struct config cfg;
	enum config_action action;
	struct server *sv = NULL;
	struct timespec timeout = {60, 0};
	sigset_t set;
	time_t last_purge;
	char err[CONFIG_ERR_MAX + 64];
	int sig;

	if (config_from_args(&cfg, argc, argv, &action, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "dissentd: %s\n", err);
		fprintf(stderr, "Try `dissentd --help'.\n");
		return (2);
	}
	if (action == CONFIG_HELP) {
		usage(stdout);
		return (0);
	}
	if (action == CONFIG_VERSION) {
		printf("dissentd %s\n", DISSENT_VERSION);
		return (0);
	}
	log_set_level(cfg.log_level);
	store_set_log(store_log_cb, NULL);
	raise_nofile();

	/* Signals are taken synchronously here; every thread blocks them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0 ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		log_msg(LOG_ERROR, "cannot set up signals");
		return (1);
	}

	if (server_new(&sv, &cfg, err, sizeof(err)) != 0 ||
	    server_listen(sv, err, sizeof(err)) != 0) {
		struct log_field f[1] = {LOG_STR("error", err)};

		log_fields(LOG_ERROR, "cannot start", f, 1);
		server_free(sv);
		return (1);
	}
	if (cfg.kdf_min_opslimit < CUSTODY_OPSLIMIT_MIN ||
	    cfg.kdf_min_memlimit < CUSTODY_MEMLIMIT_MIN)
		log_msg(LOG_WARN, "kdf_min_* below the recommended minimum: "
				  "weak passwords become cheaper to guess");
	if (cfg.port_file[0] != '\0' &&
	    write_port_file(cfg.port_file, server_port(sv)) != 0) {
		struct log_field f[1] = {LOG_STR("path", cfg.port_file)};

		log_fields(LOG_ERROR, "cannot write the port file", f, 1);
		server_free(sv);
		return (1);
	}
	{
		struct log_field f[8] = {
		    LOG_STR("listen", cfg.listen),
		    LOG_INT("port", server_port(sv)),
		    LOG_BOOL("tls", cfg.tls_cert[0] != '\0'),
		    LOG_STR("policy_profile",
			config_profile_name(cfg.policy_profile)),
		    LOG_STR("time_zone", cfg.time_zone),
		    LOG_INT("schema", server_schema(sv)),
		    LOG_STR("version", DISSENT_VERSION),
		    LOG_BOOL("test_clock", cfg.test_clock_file[0] != '\0'),
		};

		log_fields(LOG_INFO, "listening", f, 8);
	}

	if (server_purge(sv) != 0)
		log_msg(LOG_WARN, "cannot purge expired sessions");
	last_purge = time(NULL);
	for (;;) {
		sig = sigtimedwait(&set, NULL, &timeout);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		if (sig < 0 && errno != EAGAIN && errno != EINTR) {
			log_msg(LOG_ERROR, "sigtimedwait failed");
			break;
		}
		if (time(NULL) - last_purge >= PURGE_INTERVAL) {
			if (server_purge(sv) != 0)
				log_msg(
				    LOG_WARN, "cannot purge expired sessions");
			last_purge = time(NULL);
		}
	}
	log_msg(LOG_INFO, "stopping");
	server_free(sv);
	return (0);
}

int
main(int argc, char *argv[])
{

	if (sodium_init() < 0) {
		fprintf(stderr, "dissentd: cannot initialise libsodium\n");
		return (1);
	}
	jsonin_init();
	/* Whatever dissentd creates (database, keys, port file) is private. */
	umask(077);
	if (argc >= 2 && strcmp(argv[1], "init") == 0)
		return (cmd_init(argc, argv));
	return (cmd_run(argc, argv));
}
