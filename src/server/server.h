#ifndef SERVER_H_
#define SERVER_H_

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "http.h"

/*
 * dissentd as a whole: the instance's data, the HTTP server, and the
 * dispatcher every request goes through before a handler runs:
 *   route lookup (404, 405 + Allow) -> body rules (400 body on GET,
 *   415 without JSON) -> per-address limit on ROUTE_RATE_LIMITED routes
 *   (429) -> session (401) -> cookie requests changing state must send
 *   JSON (415) -> access class (403) -> body parsing (400) -> handler.
 */

struct server;

/* Largest TLS certificate or key file read. */
#define SERVER_TLS_FILE_MAX (1024 * 1024)

/**
 * server_new(sv, cfg, err, errcap):
 * Open the instance of ${cfg}'s data directory and prepare the dispatcher,
 * without listening.  ${cfg} is copied.  Return 0 and the server in ${sv},
 * or -1 with a message in ${err}.
 */
int server_new(struct server **sv, const struct config *cfg, char *err,
    size_t errcap) __attribute__((warn_unused_result));

/**
 * server_listen(sv, err, errcap):
 * Start serving HTTP (or HTTPS) as configured.  Return 0, or -1 with a
 * message in ${err}.
 */
int server_listen(struct server *sv, char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * server_port(sv):
 * Return the port ${sv} listens on (0 if not listening).
 */
unsigned int server_port(const struct server *sv);

/**
 * server_schema(sv):
 * Return the schema version of ${sv}'s store.
 */
int server_schema(const struct server *sv);

/**
 * server_handle(sv, req):
 * Answer the complete request ${req} (the dispatcher; also used by tests
 * without a network).
 */
void server_handle(struct server *sv, struct http_request *req);

/**
 * server_purge(sv):
 * Delete expired sessions.  Return 0 or -1.
 */
int server_purge(struct server *sv);

/**
 * server_run_scheduler(sv, now, nmarked):
 * Run one pass of the deadline scheduler at ${now} (tests; the scheduler
 * thread does this by itself once listening), storing the number of
 * deadlines marked in ${nmarked} (may be NULL).  Return 0 or -1.
 */
int server_run_scheduler(struct server *sv, int64_t now, size_t *nmarked)
    __attribute__((warn_unused_result));

/**
 * server_free(sv):
 * Stop listening, the scheduler and the notification sender, close the
 * store and free ${sv}.  NULL is a no-op.
 */
void server_free(struct server *sv);

#endif /* !SERVER_H_ */
