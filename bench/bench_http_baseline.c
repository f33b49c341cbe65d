/*
 * bench_http_baseline: the bare libmicrohttpd handler that `make bench`
 * measures dissentd against.  It answers every request with a fixed small
 * JSON body, using the same daemon flags as dissentd (internal polling
 * thread, epoll, a thread pool of one thread per CPU), so the ratio shows
 * what dissentd's own work costs.
 *
 * Usage: bench_http_baseline PORT [PORT-FILE]  (runs until SIGINT/SIGTERM);
 * PORT 0 binds an ephemeral port, written to PORT-FILE once listening.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

static const char body[] = "{\"status\":\"ok\"}";
static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **req_cls)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	/*
	 * The usual libmicrohttpd pattern: the first call only notes the
	 * request; the response is queued once the request (and any body)
	 * has been read.  Queueing on the first call makes libmicrohttpd
	 * close the connection instead of keeping it alive.
	 */
	if (*req_cls == NULL) {
		*req_cls = (void *)body;
		return (MHD_YES);
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return (MHD_YES);
	}
	resp = MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return (MHD_NO);
	MHD_add_response_header(resp, "Content-Type", "application/json");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return (ret);
}

int
main(int argc, char *argv[])
{
	struct MHD_Daemon *d;
	long port;
	long cpus;
	char *end;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: bench_http_baseline PORT [PORT-FILE]\n");
		exit(2);
	}
	port = strtol(argv[1], &end, 10);
	if (*end != '\0' || port < 0 || port > 65535) {
		fprintf(stderr, "bench_http_baseline: bad port\n");
		exit(2);
	}
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL,
	    (uint16_t)port, NULL, NULL, answer, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cpus,
	    MHD_OPTION_CONNECTION_LIMIT, 4096U,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30U, MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bench_http_baseline: cannot listen on %ld\n",
		    port);
		exit(1);
	}
	if (argc == 3) {
		const union MHD_DaemonInfo *info;
		FILE *f;

		info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
		if (info == NULL || (f = fopen(argv[2], "w")) == NULL) {
			fprintf(stderr, "bench_http_baseline: port file\n");
			MHD_stop_daemon(d);
			exit(1);
		}
		fprintf(f, "%u\n", (unsigned int)info->port);
		if (fclose(f) != 0) {
			MHD_stop_daemon(d);
			exit(1);
		}
	}
	while (!stop)
		pause();
	MHD_stop_daemon(d);
	return (0);
}
