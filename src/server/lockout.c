#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "lockout.h"

#define WAYS 8
#define KEY_BYTES 16

struct entry {
	uint8_t key[KEY_BYTES];
	int used;
	struct store_login login; /* only failures and locked_until */
	int64_t last_seen;
};

struct lockout {
	pthread_mutex_t lock;
	size_t nsets;
	struct entry *entries; /* nsets * WAYS */
	uint8_t hashkey[crypto_generichash_KEYBYTES];
};

/**
 * lockout_new(slots):
 * Create a table for about ${slots} handles.  Return it or NULL.
 */
struct lockout *
lockout_new(size_t slots)
{
	struct lockout *lo;

	if ((lo = calloc(1, sizeof(*lo))) == NULL)
		goto err0;
	lo->nsets = slots / WAYS > 0 ? slots / WAYS : 1;
	if ((lo->entries = calloc(lo->nsets * WAYS, sizeof(struct entry))) ==
	    NULL)
		goto err1;
	randombytes_buf(lo->hashkey, sizeof(lo->hashkey));
	if (pthread_mutex_init(&lo->lock, NULL) != 0)
		goto err2;
	return (lo);

err2:
	free(lo->entries);
err1:
	free(lo);
err0:
	return (NULL);
}

/**
 * lockout_free(lo):
 * Free ${lo}.  NULL is a no-op.
 */
void
lockout_free(struct lockout *lo)
{

	if (lo == NULL)
		return;
	pthread_mutex_destroy(&lo->lock);
	sodium_memzero(lo->entries, lo->nsets * WAYS * sizeof(struct entry));
	free(lo->entries);
	sodium_memzero(lo->hashkey, sizeof(lo->hashkey));
	free(lo);
}

/* The keyed hash of ${handle} and the first slot of its set. */
static struct entry *
set_of(struct lockout *lo, const char *handle, uint8_t key[KEY_BYTES])
{
	uint64_t h;

	(void)crypto_generichash(key, KEY_BYTES, (const uint8_t *)handle,
	    strlen(handle), lo->hashkey, sizeof(lo->hashkey));
	memcpy(&h, key, sizeof(h));
	return (&lo->entries[(h % lo->nsets) * WAYS]);
}

/* The entry of ${key} in ${set}, or NULL. */
static struct entry *
find(struct entry *set, const uint8_t key[KEY_BYTES])
{
	size_t i;

	for (i = 0; i < WAYS; i++)
		if (set[i].used &&
		    sodium_memcmp(set[i].key, key, KEY_BYTES) == 0)
			return (&set[i]);
	return (NULL);
}

/**
 * lockout_locked(lo, handle, now):
 * Return the seconds (at least 1) ${handle} stays locked after ${now}, or
 * 0 if it is not locked.
 */
int64_t
lockout_locked(struct lockout *lo, const char *handle, int64_t now)
{
	uint8_t key[KEY_BYTES];
	struct entry *set, *e;
	int64_t left = 0;

	set = set_of(lo, handle, key);
	pthread_mutex_lock(&lo->lock);
	if ((e = find(set, key)) != NULL)
		left = account_login_locked(&e->login, now);
	pthread_mutex_unlock(&lo->lock);
	return (left);
}

/**
 * lockout_failed(lo, handle, p, now):
 * Record a failed login for ${handle} at ${now} under the policy ${p}.
 */
void
lockout_failed(struct lockout *lo, const char *handle,
    const struct account_policy *p, int64_t now)
{
	uint8_t key[KEY_BYTES];
	struct entry *set, *e, *victim = NULL;
	size_t i;

	set = set_of(lo, handle, key);
	pthread_mutex_lock(&lo->lock);
	if ((e = find(set, key)) == NULL) {
		/* A free slot, else one no longer locked, else the idlest. */
		for (i = 0; i < WAYS; i++) {
			if (!set[i].used ||
			    account_login_locked(&set[i].login, now) == 0) {
				victim = &set[i];
				if (!set[i].used)
					break;
			}
		}
		if (victim == NULL) {
			victim = &set[0];
			for (i = 1; i < WAYS; i++)
				if (set[i].last_seen < victim->last_seen)
					victim = &set[i];
		}
		e = victim;
		memset(e, 0, sizeof(*e));
		memcpy(e->key, key, KEY_BYTES);
		e->used = 1;
	}
	account_login_failed(&e->login, p, now);
	e->last_seen = now;
	pthread_mutex_unlock(&lo->lock);
}
