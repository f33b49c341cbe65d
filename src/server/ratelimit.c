#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ratelimit.h"

/* Slots per set: an address may live in any slot of its set. */
#define WAYS 8
/* One token is UNIT units; a bucket refills per_minute units per ms. */
#define UNIT 60000LL

struct bucket {
	uint8_t key[RATELIMIT_KEY_BYTES];
	int used;
	int64_t units; /* tokens * UNIT, at last_ms */
	int64_t last_ms;
};

struct ratelimit {
	pthread_mutex_t lock;
	int64_t per_minute;
	int64_t capacity; /* per_minute * UNIT */
	size_t nsets;
	struct bucket *buckets; /* nsets * WAYS */
	uint8_t hashkey[crypto_shorthash_KEYBYTES];
};

/**
 * ratelimit_new(per_minute, slots):
 * Create a limiter allowing ${per_minute} requests per minute per address
 * (0: no limit) with room for about ${slots} addresses.  Return it or NULL.
 */
struct ratelimit *
ratelimit_new(unsigned int per_minute, size_t slots)
{
	struct ratelimit *rl;

	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		goto err0;
	rl->per_minute = per_minute;
	rl->capacity = (int64_t)per_minute * UNIT;
	rl->nsets = slots / WAYS;
	if (rl->nsets == 0)
		rl->nsets = 1;
	/* calloc checks nsets * WAYS * sizeof(bucket) for overflow. */
	if ((rl->buckets = calloc(rl->nsets * WAYS, sizeof(struct bucket))) ==
	    NULL)
		goto err1;
	/* A secret hash key: addresses cannot be chosen to share a set. */
	crypto_shorthash_keygen(rl->hashkey);
	if (pthread_mutex_init(&rl->lock, NULL) != 0)
		goto err2;
	return (rl);

err2:
	free(rl->buckets);
err1:
	free(rl);
err0:
	return (NULL);
}

/**
 * ratelimit_free(rl):
 * Free ${rl}.  NULL is a no-op.
 */
void
ratelimit_free(struct ratelimit *rl)
{

	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->buckets);
	free(rl);
}

/**
 * ratelimit_key(key, sa):
 * Compute the bucket key of the socket address ${sa}: an IPv4 address
 * (plain or IPv4-mapped) as ::ffff:a.b.c.d, an IPv6 address as its /64.
 * Return 0, or -1 for another address family.
 */
int
ratelimit_key(uint8_t key[RATELIMIT_KEY_BYTES], const struct sockaddr *sa)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;

	memset(key, 0, RATELIMIT_KEY_BYTES);
	if (sa == NULL)
		return (-1);
	if (sa->sa_family == AF_INET) {
		sin = (const struct sockaddr_in *)(const void *)sa;
		key[10] = 0xff;
		key[11] = 0xff;
		memcpy(key + 12, &sin->sin_addr, 4);
		return (0);
	}
	if (sa->sa_family == AF_INET6) {
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			memcpy(key, &sin6->sin6_addr, 16);
		else
			memcpy(key, &sin6->sin6_addr, 8);
		return (0);
	}
	return (-1);
}

/* Bring ${b}'s units up to date at ${now_ms}. */
static void
refill(const struct ratelimit *rl, struct bucket *b, int64_t now_ms)
{
	int64_t elapsed = now_ms - b->last_ms;

	if (elapsed <= 0)
		return;
	/* Past a full minute the bucket is full whatever it held. */
	if (elapsed >= 60000 ||
	    b->units + elapsed * rl->per_minute >= rl->capacity)
		b->units = rl->capacity;
	else
		b->units += elapsed * rl->per_minute;
	b->last_ms = now_ms;
}

/**
 * ratelimit_take(rl, key, now_ms, retry_after):
 * Spend one request of the bucket ${key} at time ${now_ms} (milliseconds on
 * any monotonic clock).  Return 0 if allowed; else 1 with the seconds until
 * a request will be allowed again (at least 1) in ${retry_after}.
 */
int
ratelimit_take(struct ratelimit *rl, const uint8_t key[RATELIMIT_KEY_BYTES],
    int64_t now_ms, unsigned int *retry_after)
{
	uint8_t h[crypto_shorthash_BYTES];
	uint64_t hv;
	struct bucket *set, *b = NULL, *victim = NULL;
	int64_t wait_ms;
	size_t i;
	int limited = 0;

	if (rl->per_minute == 0)
		return (0);
	crypto_shorthash(h, key, RATELIMIT_KEY_BYTES, rl->hashkey);
	memcpy(&hv, h, sizeof(hv));

	pthread_mutex_lock(&rl->lock);
	set = &rl->buckets[(hv % rl->nsets) * WAYS];
	for (i = 0; i < WAYS; i++) {
		if (set[i].used &&
		    memcmp(set[i].key, key, RATELIMIT_KEY_BYTES) == 0) {
			b = &set[i];
			break;
		}
	}
	if (b == NULL) {
		/* A free slot, else a refilled bucket, else the idlest. */
		for (i = 0; i < WAYS; i++) {
			if (!set[i].used) {
				victim = &set[i];
				break;
			}
			refill(rl, &set[i], now_ms);
			if (set[i].units >= rl->capacity) {
				victim = &set[i];
				break;
			}
			if (victim == NULL || set[i].last_ms < victim->last_ms)
				victim = &set[i];
		}
		b = victim;
		memcpy(b->key, key, RATELIMIT_KEY_BYTES);
		b->used = 1;
		b->units = rl->capacity;
		b->last_ms = now_ms;
	}
	refill(rl, b, now_ms);
	if (b->units >= UNIT)
		b->units -= UNIT;
	else {
		limited = 1;
		wait_ms =
		    (UNIT - b->units + rl->per_minute - 1) / rl->per_minute;
		*retry_after = (unsigned int)((wait_ms + 999) / 1000);
		if (*retry_after == 0)
			*retry_after = 1;
	}
	pthread_mutex_unlock(&rl->lock);
	return (limited);
}
