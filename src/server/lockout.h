#ifndef LOCKOUT_H_
#define LOCKOUT_H_

#include <stddef.h>
#include <stdint.h>

#include "account.h"

/*
 * The login lock of handles that have no account.  A real account is
 * locked (429) after repeated failures; if an unknown handle never were,
 * five wrong guesses would tell anyone whether a handle exists.  So failed
 * logins for unknown handles are counted here, in memory, under the same
 * policy (account_login_failed()).  The table is bounded: when a set of
 * slots is full, an entry whose lock has run out is reused first, then the
 * one idle longest.  Handles are kept only as keyed hashes.  Safe for use
 * from several threads.
 */
#define LOCKOUT_SLOTS_DEFAULT 4096

struct lockout;

/**
 * lockout_new(slots):
 * Create a table for about ${slots} handles.  Return it or NULL.
 */
struct lockout *lockout_new(size_t slots);

/**
 * lockout_free(lo):
 * Free ${lo}.  NULL is a no-op.
 */
void lockout_free(struct lockout *lo);

/**
 * lockout_locked(lo, handle, now):
 * Return the seconds (at least 1) ${handle} stays locked after ${now}, or
 * 0 if it is not locked.
 */
int64_t lockout_locked(struct lockout *lo, const char *handle, int64_t now);

/**
 * lockout_failed(lo, handle, p, now):
 * Record a failed login for ${handle} at ${now} under the policy ${p}.
 */
void lockout_failed(struct lockout *lo, const char *handle,
    const struct account_policy *p, int64_t now);

#endif /* !LOCKOUT_H_ */
