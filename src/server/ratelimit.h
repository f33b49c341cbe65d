#ifndef RATELIMIT_H_
#define RATELIMIT_H_

#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

/*
 * Per-address token buckets for the unauthenticated endpoints: each address
 * may spend up to N requests at once and regains N per minute.  IPv6
 * addresses are limited per /64 (one host usually holds a whole /64).  The
 * table is bounded: when a set of slots is full, a bucket that has refilled
 * completely (it carries no state) is reused first, then the one idle
 * longest, so memory never grows with the number of addresses seen.  Safe
 * for use from several threads.
 */
#define RATELIMIT_KEY_BYTES 16
#define RATELIMIT_SLOTS_DEFAULT 8192

struct ratelimit;

/**
 * ratelimit_new(per_minute, slots):
 * Create a limiter allowing ${per_minute} requests per minute per address
 * (0: no limit) with room for about ${slots} addresses.  Return it or NULL.
 */
struct ratelimit *ratelimit_new(unsigned int per_minute, size_t slots);

/**
 * ratelimit_free(rl):
 * Free ${rl}.  NULL is a no-op.
 */
void ratelimit_free(struct ratelimit *rl);

/**
 * ratelimit_key(key, sa):
 * Compute the bucket key of the socket address ${sa}: an IPv4 address
 * (plain or IPv4-mapped) as ::ffff:a.b.c.d, an IPv6 address as its /64.
 * Return 0, or -1 for another address family.
 */
int ratelimit_key(uint8_t key[RATELIMIT_KEY_BYTES], const struct sockaddr *sa)
    __attribute__((warn_unused_result));

/**
 * ratelimit_take(rl, key, now_ms, retry_after):
 * Spend one request of the bucket ${key} at time ${now_ms} (milliseconds on
 * any monotonic clock).  Return 0 if allowed; else 1 with the seconds until
 * a request will be allowed again (at least 1) in ${retry_after}.
 */
int ratelimit_take(struct ratelimit *rl, const uint8_t key[RATELIMIT_KEY_BYTES],
    int64_t now_ms, unsigned int *retry_after);

#endif /* !RATELIMIT_H_ */
