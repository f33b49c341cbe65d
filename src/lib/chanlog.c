#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "chanlog.h"
#include "event.h"
#include "merkle.h"
#include "store.h"
#include "treehead.h"

/*
 * Locking.  sign_lock serialises chanlog_sign(); lock guards the latest
 * head, the signer's state and the report hook, and is never held while
 * waiting for the store, so a thread inside a store transaction can always
 * take it.  Appends touch neither: they are stateless and run under the
 * caller's transaction.
 */
struct chanlog {
	struct store *s;
	char instance_id[TREEHEAD_INSTANCE_ID_MAX + 1];
	uint8_t sk[TREEHEAD_SK_BYTES];
	uint8_t pk[TREEHEAD_PK_BYTES];

	pthread_mutex_t sign_lock;
	pthread_mutex_t lock;
	pthread_cond_t head_cond; /* broadcast when a head is published */
	pthread_cond_t wake;      /* wakes the signer */
	struct treehead latest;
	int have_latest;

	void (*report)(void *, const char *);
	void *report_ctx;
	int64_t (*now_fn)(void); /* the clock of heads; NULL: time() */

	pthread_t thread;
	int running;
	int stop;
	unsigned int interval_ms;
};

static void report(struct chanlog *cl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void seterr(char *err, size_t errcap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Send a message to ${cl}'s report hook. */
static void
report(struct chanlog *cl, const char *fmt, ...)
{
	void (*fn)(void *, const char *);
	char msg[CHANLOG_ERR_MAX];
	va_list ap;
	void *ctx;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)pthread_mutex_lock(&cl->lock);
	fn = cl->report;
	ctx = cl->report_ctx;
	(void)pthread_mutex_unlock(&cl->lock);
	if (fn != NULL)
		fn(ctx, msg);
	else
		(void)fprintf(stderr, "chanlog: %s\n", msg);
}

/* Format an error message into ${err}. */
static void
seterr(char *err, size_t errcap, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errcap == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errcap, fmt, ap);
	va_end(ap);
}

/* The merkle_source callback reading nodes from the store. */
static int
store_node(void *ctx, unsigned int level, uint64_t index,
    uint8_t out[MERKLE_HASH_BYTES])
{

	return (store_log_node(ctx, level, index, out) == STORE_OK ? 0 : -1);
}

/* Fill ${src} so that it reads ${cl}'s nodes from the store. */
static void
store_source(struct chanlog *cl, struct merkle_source *src)
{

	src->node = store_node;
	src->ctx = cl->s;
}

/* Milliseconds of CLOCK_MONOTONIC. */
static uint64_t
mono_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

/* The CLOCK_MONOTONIC time ${ms} milliseconds from now, for timedwait. */
static struct timespec
deadline_in(uint64_t ms)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return (ts);
}

/* Copy the stored head ${h} of ${cl} into the tree head ${th}. */
static void
head_from_store(const struct chanlog *cl, const struct store_log_head *h,
    struct treehead *th)
{

	memset(th, 0, sizeof(*th));
	memcpy(th->instance_id, cl->instance_id, sizeof(th->instance_id));
	th->size = h->size;
	th->timestamp = h->timestamp;
	memcpy(th->root, h->root, sizeof(th->root));
	memcpy(th->sig, h->sig, sizeof(th->sig));
}

/* Initialise the locks and conditions of ${cl}; 0 or -1. */
static int
sync_init(struct chanlog *cl)
{
	pthread_condattr_t attr;

	if (pthread_mutex_init(&cl->sign_lock, NULL) != 0)
		goto err0;
	if (pthread_mutex_init(&cl->lock, NULL) != 0)
		goto err1;
	/* Deadlines are monotonic: a clock step must not stall a waiter. */
	if (pthread_condattr_init(&attr) != 0)
		goto err2;
	if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&cl->head_cond, &attr) != 0)
		goto err3;
	if (pthread_cond_init(&cl->wake, &attr) != 0)
		goto err4;
	(void)pthread_condattr_destroy(&attr);
	return (0);

err4:
	(void)pthread_cond_destroy(&cl->head_cond);
err3:
	(void)pthread_condattr_destroy(&attr);
err2:
	(void)pthread_mutex_destroy(&cl->lock);
err1:
	(void)pthread_mutex_destroy(&cl->sign_lock);
err0:
	return (-1);
}

/*
 * Check the stored log of ${cl} against its latest signed head, which is
 * kept as the latest head if it passes.  Return 0, or -1 with a message.
 */
static int
check_log(struct chanlog *cl, char *err, size_t errcap)
{
	struct store_log_head h;
	struct merkle_source src;
	struct treehead th;
	uint8_t root[MERKLE_HASH_BYTES];
	uint64_t size;
	int rc;

	store_source(cl, &src);
	if (store_log_size(cl->s, &size) != STORE_OK) {
		seterr(err, errcap, "cannot read the size of the log");
		return (-1);
	}
	if ((rc = store_log_head_latest(cl->s, &h)) == STORE_OK) {
		head_from_store(cl, &h, &th);
		if (size < th.size) {
			seterr(err, errcap,
			    "the log holds %llu entries but its latest signed "
			    "tree head covers %llu: entries were deleted or "
			    "the database was rolled back to an older copy",
			    (unsigned long long)size,
			    (unsigned long long)th.size);
			return (-1);
		}
		if (treehead_verify(&th, cl->pk) != 0) {
			seterr(err, errcap,
			    "the latest signed tree head (size %llu) does not "
			    "verify under the server key: the log's heads or "
			    "server.key were replaced",
			    (unsigned long long)th.size);
			return (-1);
		}
		if (merkle_root(&src, th.size, root) != 0) {
			seterr(err, errcap,
			    "cannot recompute the log's root at size %llu: "
			    "stored nodes are missing (the log was damaged)",
			    (unsigned long long)th.size);
			return (-1);
		}
		if (sodium_memcmp(root, th.root, sizeof(root)) != 0) {
			seterr(err, errcap,
			    "the log's root recomputed at size %llu does not "
			    "match its signed tree head: the log was altered",
			    (unsigned long long)th.size);
			return (-1);
		}
		cl->latest = th;
		cl->have_latest = 1;
	} else if (rc != STORE_NOTFOUND) {
		seterr(err, errcap, "cannot read the log's latest tree head");
		return (-1);
	}
	/* Appends read the right edge: it must be there. */
	if (merkle_root(&src, size, root) != 0) {
		seterr(err, errcap,
		    "cannot compute the log's root at its size %llu: stored "
		    "nodes are missing (the log was damaged)",
		    (unsigned long long)size);
		return (-1);
	}
	return (0);
}

/**
 * chanlog_open(cl, s, instance_id, sk, err, errcap):
 * Open the channel log kept in ${s} for the instance ${instance_id} (1 to
 * TREEHEAD_INSTANCE_ID_MAX bytes), whose heads are signed with the Ed25519
 * secret key ${sk} (libsodium's 64-byte form; copied, and wiped by
 * chanlog_free()), after checking the stored log against its latest signed
 * head as described above.  Return 0 and the handle in ${cl}, or -1 with a
 * message in ${err} saying what is wrong (tampering, rollback).
 */
int
chanlog_open(struct chanlog **clp, struct store *s, const char *instance_id,
    const uint8_t sk[TREEHEAD_SK_BYTES], char *err, size_t errcap)
{
	struct chanlog *cl;
	size_t len;

	if (clp == NULL || s == NULL || instance_id == NULL || sk == NULL) {
		seterr(err, errcap, "chanlog_open: missing argument");
		goto err0;
	}
	*clp = NULL;
	len = strnlen(instance_id, TREEHEAD_INSTANCE_ID_MAX + 1);
	if (len == 0 || len > TREEHEAD_INSTANCE_ID_MAX) {
		seterr(err, errcap, "chanlog_open: invalid instance id");
		goto err0;
	}
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		seterr(err, errcap, "out of memory");
		goto err0;
	}
	if (sync_init(cl) != 0) {
		seterr(err, errcap, "cannot create the log's locks");
		goto err1;
	}
	cl->s = s;
	memcpy(cl->instance_id, instance_id, len);
	memcpy(cl->sk, sk, sizeof(cl->sk));
	if (crypto_sign_ed25519_sk_to_pk(cl->pk, cl->sk) != 0) {
		seterr(err, errcap, "cannot derive the log's public key");
		goto err2;
	}
	if (check_log(cl, err, errcap) != 0)
		goto err2;
	*clp = cl;
	return (0);

err2:
	chanlog_free(cl);
	return (-1);
err1:
	free(cl);
err0:
	return (-1);
}

/**
 * chanlog_set_report(cl, fn, ctx):
 * Send the handle's error messages to ${fn}(${ctx}, message) (NULL: to
 * standard error as "chanlog: message").
 */
void
chanlog_set_report(
    struct chanlog *cl, void (*fn)(void *ctx, const char *msg), void *ctx)
{

	(void)pthread_mutex_lock(&cl->lock);
	cl->report = fn;
	cl->report_ctx = fn != NULL ? ctx : NULL;
	(void)pthread_mutex_unlock(&cl->lock);
}

/**
 * chanlog_set_clock(cl, now_fn):
 * Take the time of the heads the signer thread and chanlog_wait_for_head()
 * sign from ${now_fn}() (Unix seconds; NULL: the real time), so that heads
 * and the events they cover are stamped by one clock.  Call before
 * chanlog_signer_start().
 */
void
chanlog_set_clock(struct chanlog *cl, int64_t (*now_fn)(void))
{

	(void)pthread_mutex_lock(&cl->lock);
	cl->now_fn = now_fn;
	(void)pthread_mutex_unlock(&cl->lock);
}

/* The time of a head signed now, by ${cl}'s clock. */
static uint64_t
clock_now(struct chanlog *cl)
{
	int64_t (*fn)(void);
	int64_t t;

	(void)pthread_mutex_lock(&cl->lock);
	fn = cl->now_fn;
	(void)pthread_mutex_unlock(&cl->lock);
	t = fn != NULL ? fn() : (int64_t)time(NULL);
	return (t > 0 ? (uint64_t)t : 0);
}

/*
 * The right edge of the tree of ${size} leaves while a batch is appended:
 * for each set bit l of size, node (l, (size >> l) - 1), read from the
 * store on first use.  These are the only nodes merkle_append_nodes() asks
 * for, so a batch reads each at most once.
 */
struct frontier {
	struct store *s;
	uint64_t size;
	uint64_t valid; /* bit l: hash[l] holds the node of level l */
	uint8_t hash[MERKLE_MAX_LEVELS][MERKLE_HASH_BYTES];
};

/* The merkle_source callback of a frontier. */
static int
frontier_node(void *ctx, unsigned int level, uint64_t index,
    uint8_t out[MERKLE_HASH_BYTES])
{
	struct frontier *f = ctx;

	if (level >= MERKLE_MAX_LEVELS || ((f->size >> level) & 1) == 0 ||
	    index != (f->size >> level) - 1)
		return (store_node(f->s, level, index, out));
	if ((f->valid & ((uint64_t)1 << level)) == 0) {
		if (store_log_node(f->s, level, index, f->hash[level]) !=
		    STORE_OK)
			return (-1);
		f->valid |= (uint64_t)1 << level;
	}
	memcpy(out, f->hash[level], MERKLE_HASH_BYTES);
	return (0);
}

/*
 * Move ${f} past the append that completed the ${count} nodes ${out} (the
 * leaf, then its carries): the levels below the top one leave the right
 * edge and the top node joins it.
 */
static void
frontier_advance(
    struct frontier *f, const struct merkle_node *out, size_t count)
{
	unsigned int top = out[count - 1].level;

	f->valid &= ~((((uint64_t)1 << top) << 1) - 1);
	memcpy(f->hash[top], out[count - 1].hash, MERKLE_HASH_BYTES);
	f->valid |= (uint64_t)1 << top;
	f->size++;
}

/**
 * chanlog_append_batch(cl, evs, n, first):
 * As chanlog_append() for the ${n} (1 to CHANLOG_BATCH_MAX) events ${evs},
 * appended in order with one store call; the index of the first is stored
 * in ${first}.  All or nothing.
 */
int
chanlog_append_batch(
    struct chanlog *cl, const struct event *evs, size_t n, uint64_t *first)
{
	struct merkle_node out[MERKLE_APPEND_MAX];
	struct store_log_entry *entries = NULL;
	struct merkle_node *nodes = NULL;
	struct merkle_source src;
	struct frontier *f = NULL;
	uint8_t *arena = NULL;
	size_t i, count, nn = 0, used = 0, len;
	uint64_t size;
	int rc = CHANLOG_ERR;

	if (cl == NULL || first == NULL)
		return (CHANLOG_ERR);
	*first = 0;
	if (evs == NULL || n == 0 || n > CHANLOG_BATCH_MAX) {
		report(cl, "chanlog_append: invalid arguments");
		return (CHANLOG_ERR);
	}
	if (store_log_size(cl->s, &size) != STORE_OK)
		return (CHANLOG_ERR);
	if (size >= STORE_LOG_SIZE_MAX || n > STORE_LOG_SIZE_MAX - size) {
		report(cl, "the log is full");
		return (CHANLOG_ERR);
	}
	/*
	 * n appends complete n leaves and fewer than n + 64 interior nodes;
	 * CHANLOG_BATCH_MAX bounds every allocation.
	 */
	entries = calloc(n, sizeof(*entries));
	nodes = calloc(n + MERKLE_MAX_LEVELS, sizeof(*nodes));
	arena = malloc(n * EVENT_MAX_BYTES);
	f = calloc(1, sizeof(*f));
	if (entries == NULL || nodes == NULL || arena == NULL || f == NULL) {
		report(cl, "chanlog_append: out of memory");
		goto done;
	}
	f->s = cl->s;
	f->size = size;
	src.node = frontier_node;
	src.ctx = f;
	for (i = 0; i < n; i++) {
		if (event_encode(
			arena + used, EVENT_MAX_BYTES, &len, &evs[i]) != 0) {
			report(cl, "chanlog_append: bad event (type %u)",
			    (unsigned int)evs[i].type);
			goto done;
		}
		entries[i].index = size + i;
		entries[i].event = arena + used;
		entries[i].len = len;
		used += EVENT_MAX_BYTES;
		if (merkle_leaf_hash(
			entries[i].leaf_hash, entries[i].event, len) != 0 ||
		    merkle_append_nodes(&src, size + i, entries[i].leaf_hash,
			out, &count) != 0 ||
		    count == 0) {
			report(cl, "chanlog_append: cannot compute the nodes "
				   "(the log's right edge is missing)");
			goto done;
		}
		if (evs[i].type == EVENT_MEMBER_ENROLLED ||
		    evs[i].type == EVENT_KEYS_ROTATED) {
			entries[i].key_member = evs[i].member_id;
			entries[i].key_epoch = evs[i].epoch;
		}
		/* Level 0 is the entry's leaf hash, stored with it. */
		memcpy(&nodes[nn], &out[1], (count - 1) * sizeof(out[0]));
		nn += count - 1;
		frontier_advance(f, out, count);
	}
	if (store_log_append(cl->s, entries, n, nodes, nn) != STORE_OK) {
		report(cl, "chanlog_append: the store refused the entries");
		goto done;
	}
	*first = size;
	rc = CHANLOG_OK;

done:
	free(f);
	free(arena);
	free(nodes);
	free(entries);
	return (rc);
}

/**
 * chanlog_append(cl, ev, index):
 * Append the event ${ev} (time set by the caller) to the log, inside the
 * caller's store transaction, and store its index in ${index}.  A key event
 * (member_enrolled, keys_rotated) also records the entry as the one that
 * published that key epoch, which must already be in the key history.
 * Return CHANLOG_OK, or CHANLOG_ERR if the event does not encode or the
 * store refuses (the caller then rolls back).
 */
int
chanlog_append(struct chanlog *cl, const struct event *ev, uint64_t *index)
{

	return (chanlog_append_batch(cl, ev, 1, index));
}

/* Publish ${th} as ${cl}'s latest head and wake its waiters. */
static void
publish(struct chanlog *cl, const struct treehead *th)
{

	(void)pthread_mutex_lock(&cl->lock);
	cl->latest = *th;
	cl->have_latest = 1;
	(void)pthread_cond_broadcast(&cl->head_cond);
	(void)pthread_mutex_unlock(&cl->lock);
}

/*
 * Check that the tree of ${size} entries with root ${root} extends the
 * signed head ${prev}, by a consistency proof read from the store.
 */
static int
extends(struct chanlog *cl, const struct treehead *prev, uint64_t size,
    const uint8_t root[MERKLE_HASH_BYTES])
{
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	struct merkle_source src;
	size_t nh;

	/* Every tree extends the empty one. */
	if (prev->size == 0)
		return (0);
	store_source(cl, &src);
	if (merkle_consistency_proof(
		&src, prev->size, size, proof, MERKLE_MAX_PROOF, &nh) != 0 ||
	    merkle_consistency_verify(
		prev->size, size, prev->root, root, proof, nh) != 0)
		return (-1);
	return (0);
}

/* chanlog_sign() with ${cl}->sign_lock held. */
static int
sign_locked(struct chanlog *cl, uint64_t now, int *signed_new)
{
	struct store_log_head h, other;
	struct merkle_source src;
	struct treehead prev, th;
	uint64_t size;
	int have_prev, rc;

	(void)pthread_mutex_lock(&cl->lock);
	prev = cl->latest;
	have_prev = cl->have_latest;
	(void)pthread_mutex_unlock(&cl->lock);

	if (store_log_size(cl->s, &size) != STORE_OK)
		return (CHANLOG_ERR);
	if (have_prev && size == prev.size)
		return (CHANLOG_OK);
	if (have_prev && size < prev.size) {
		report(cl,
		    "the log holds %llu entries but its latest signed head "
		    "covers %llu: refusing to sign",
		    (unsigned long long)size, (unsigned long long)prev.size);
		return (CHANLOG_ERR);
	}
	memset(&th, 0, sizeof(th));
	memcpy(th.instance_id, cl->instance_id, sizeof(th.instance_id));
	th.size = size;
	/* Never older than the head it follows. */
	th.timestamp =
	    (have_prev && prev.timestamp > now) ? prev.timestamp : now;
	store_source(cl, &src);
	if (merkle_root(&src, size, th.root) != 0) {
		report(cl,
		    "cannot compute the log's root at size %llu: "
		    "refusing to sign",
		    (unsigned long long)size);
		return (CHANLOG_ERR);
	}
	if (have_prev && extends(cl, &prev, size, th.root) != 0) {
		report(cl,
		    "the log at size %llu does not extend its signed "
		    "head of size %llu: refusing to sign",
		    (unsigned long long)size, (unsigned long long)prev.size);
		return (CHANLOG_ERR);
	}
	if (th.timestamp > (uint64_t)INT64_MAX ||
	    treehead_sign(&th, cl->sk) != 0) {
		report(cl, "cannot sign the tree head of size %llu",
		    (unsigned long long)size);
		return (CHANLOG_ERR);
	}
	h.size = th.size;
	h.timestamp = th.timestamp;
	memcpy(h.root, th.root, sizeof(h.root));
	memcpy(h.sig, th.sig, sizeof(h.sig));
	rc = store_log_head_put(cl->s, &h);
	if (rc == STORE_CONFLICT) {
		/* Signed already (another process): take it if it agrees. */
		if (store_log_head_get(cl->s, size, &other) != STORE_OK)
			return (CHANLOG_ERR);
		if (sodium_memcmp(other.root, th.root, sizeof(th.root)) != 0) {
			report(cl,
			    "a different head of size %llu is stored: "
			    "refusing to sign",
			    (unsigned long long)size);
			return (CHANLOG_ERR);
		}
		head_from_store(cl, &other, &th);
	} else if (rc != STORE_OK) {
		return (CHANLOG_ERR);
	}
	publish(cl, &th);
	if (signed_new != NULL)
		*signed_new = 1;
	return (CHANLOG_OK);
}

/**
 * chanlog_sign(cl, now, signed_new):
 * If the log has grown since its latest signed head, or has none, sign a
 * head for its current size at time ${now} (Unix seconds; an earlier time
 * than the latest head's is replaced by that head's) and store it; set
 * ${signed_new} (may be NULL) to 1 if a head was signed, else 0.  Refuse
 * (CHANLOG_ERR, reported) a log that shrank or no longer extends its
 * latest head.
 */
int
chanlog_sign(struct chanlog *cl, uint64_t now, int *signed_new)
{
	int rc;

	if (signed_new != NULL)
		*signed_new = 0;
	(void)pthread_mutex_lock(&cl->sign_lock);
	rc = sign_locked(cl, now, signed_new);
	(void)pthread_mutex_unlock(&cl->sign_lock);
	return (rc);
}

/**
 * chanlog_latest(cl, th):
 * Copy the latest signed head into ${th}.  CHANLOG_NOTFOUND if none has
 * been signed yet.
 */
int
chanlog_latest(struct chanlog *cl, struct treehead *th)
{
	int rc;

	(void)pthread_mutex_lock(&cl->lock);
	if (cl->have_latest) {
		*th = cl->latest;
		rc = CHANLOG_OK;
	} else {
		memset(th, 0, sizeof(*th));
		rc = CHANLOG_NOTFOUND;
	}
	(void)pthread_mutex_unlock(&cl->lock);
	return (rc);
}

/**
 * chanlog_head(cl, size, th):
 * Read the stored signed head of size ${size} into ${th}.
 * CHANLOG_NOTFOUND if that size was never signed.
 */
int
chanlog_head(struct chanlog *cl, uint64_t size, struct treehead *th)
{
	struct store_log_head h;
	int rc;

	memset(th, 0, sizeof(*th));
	if ((rc = store_log_head_get(cl->s, size, &h)) == STORE_NOTFOUND)
		return (CHANLOG_NOTFOUND);
	if (rc != STORE_OK)
		return (CHANLOG_ERR);
	head_from_store(cl, &h, th);
	return (CHANLOG_OK);
}

/**
 * chanlog_root(cl, size, root):
 * Compute the root of the first ${size} entries from the stored nodes.
 */
int
chanlog_root(struct chanlog *cl, uint64_t size, uint8_t root[MERKLE_HASH_BYTES])
{
	struct merkle_source src;

	store_source(cl, &src);
	return (merkle_root(&src, size, root) == 0 ? CHANLOG_OK : CHANLOG_ERR);
}

/**
 * chanlog_inclusion_proof(cl, index, size, proof, nhashes):
 * Write the RFC 9162 inclusion proof of entry ${index} in the tree of the
 * first ${size} entries, read from the store, into ${proof} and its length
 * in hashes into ${nhashes}.  CHANLOG_ERR if ${index} >= ${size}, ${size}
 * exceeds the log or a node is missing.
 */
int
chanlog_inclusion_proof(struct chanlog *cl, uint64_t index, uint64_t size,
    uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES], size_t *nhashes)
{
	struct merkle_source src;

	store_source(cl, &src);
	if (merkle_inclusion_proof(
		&src, index, size, proof, MERKLE_MAX_PROOF, nhashes) != 0)
		return (CHANLOG_ERR);
	return (CHANLOG_OK);
}

/**
 * chanlog_consistency_proof(cl, size1, size2, proof, nhashes):
 * Write the RFC 9162 consistency proof between the trees of the first
 * ${size1} and ${size2} entries, read from the store, into ${proof} and its
 * length in hashes into ${nhashes}.  CHANLOG_ERR unless 0 < ${size1} <=
 * ${size2} <= the log's size, or if a node is missing.
 */
int
chanlog_consistency_proof(struct chanlog *cl, uint64_t size1, uint64_t size2,
    uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES], size_t *nhashes)
{
	struct merkle_source src;

	store_source(cl, &src);
	if (merkle_consistency_proof(
		&src, size1, size2, proof, MERKLE_MAX_PROOF, nhashes) != 0)
		return (CHANLOG_ERR);
	return (CHANLOG_OK);
}

/*
 * The signer thread: sign whenever the log has grown, no sooner than
 * interval_ms after the previous head; look for growth every interval_ms,
 * or at once when a waiter asks.  A failure is reported once, then retried
 * every second, and its end is reported too.
 */
static void *
signer_main(void *arg)
{
	struct chanlog *cl = arg;
	struct timespec ts;
	uint64_t now, next = 0, wait;
	int did, rc, failing = 0;

	(void)pthread_mutex_lock(&cl->lock);
	while (!cl->stop) {
		now = mono_ms();
		if (now < next) {
			ts = deadline_in(next - now);
			(void)pthread_cond_timedwait(&cl->wake, &cl->lock, &ts);
			continue;
		}
		(void)pthread_mutex_unlock(&cl->lock);
		rc = chanlog_sign(cl, clock_now(cl), &did);
		if (rc != CHANLOG_OK && !failing)
			report(cl, "cannot sign a tree head; retrying");
		else if (rc == CHANLOG_OK && failing)
			report(cl, "tree heads are signed again");
		(void)pthread_mutex_lock(&cl->lock);
		failing = rc != CHANLOG_OK;
		if (failing) {
			next = mono_ms() + 1000;
			continue;
		}
		if (did) {
			next = mono_ms() + cl->interval_ms;
			continue;
		}
		/* Nothing new: look again after an interval, or when asked. */
		wait = cl->interval_ms;
		ts = deadline_in(wait);
		if (!cl->stop)
			(void)pthread_cond_timedwait(&cl->wake, &cl->lock, &ts);
	}
	(void)pthread_mutex_unlock(&cl->lock);
	/* Cover whatever was committed before the stop. */
	if (chanlog_sign(cl, clock_now(cl), NULL) != CHANLOG_OK)
		report(cl, "cannot sign the last tree head at stop");
	return (NULL);
}

/**
 * chanlog_signer_start(cl, interval_ms):
 * Start the thread that calls chanlog_sign() whenever the log has grown,
 * at most once every ${interval_ms} (CHANLOG_INTERVAL_MIN to
 * CHANLOG_INTERVAL_MAX) milliseconds, reporting failures through the
 * report hook.  The thread blocks no signal it did not inherit.  Return 0,
 * or -1 if it cannot start or is already running.
 */
int
chanlog_signer_start(struct chanlog *cl, unsigned int interval_ms)
{
	int rc = -1;

	if (interval_ms < CHANLOG_INTERVAL_MIN ||
	    interval_ms > CHANLOG_INTERVAL_MAX) {
		report(cl, "chanlog_signer_start: interval out of range");
		return (-1);
	}
	(void)pthread_mutex_lock(&cl->lock);
	if (!cl->running) {
		cl->interval_ms = interval_ms;
		cl->stop = 0;
		if (pthread_create(&cl->thread, NULL, signer_main, cl) == 0) {
			cl->running = 1;
			rc = 0;
		}
	}
	(void)pthread_mutex_unlock(&cl->lock);
	if (rc != 0)
		report(cl, "cannot start the tree head signer");
	return (rc);
}

/**
 * chanlog_signer_stop(cl):
 * Stop the signer thread, after one last chanlog_sign() so that every
 * committed event is covered by a head, and wait for it.  Waiters of
 * chanlog_wait_for_head() return.  A no-op if it is not running.
 */
void
chanlog_signer_stop(struct chanlog *cl)
{
	int running;

	(void)pthread_mutex_lock(&cl->lock);
	running = cl->running;
	cl->stop = 1;
	(void)pthread_cond_broadcast(&cl->wake);
	(void)pthread_cond_broadcast(&cl->head_cond);
	(void)pthread_mutex_unlock(&cl->lock);
	if (!running)
		return;
	(void)pthread_join(cl->thread, NULL);
	(void)pthread_mutex_lock(&cl->lock);
	cl->running = 0;
	(void)pthread_mutex_unlock(&cl->lock);
}

/**
 * chanlog_wait_for_head(cl, size, timeout_ms):
 * Wait until a signed head covers the first ${size} entries, at most
 * ${timeout_ms} milliseconds, waking the signer at once (it still keeps
 * its interval).  Without a running signer, sign now instead.  Return 0
 * once covered, or -1 on timeout, failure or stop.
 */
int
chanlog_wait_for_head(
    struct chanlog *cl, uint64_t size, unsigned int timeout_ms)
{
	struct timespec ts;
	int covered, running;

	(void)pthread_mutex_lock(&cl->lock);
	running = cl->running && !cl->stop;
	(void)pthread_mutex_unlock(&cl->lock);
	if (!running && chanlog_sign(cl, clock_now(cl), NULL) != CHANLOG_OK)
		return (-1);

	ts = deadline_in(timeout_ms);
	(void)pthread_mutex_lock(&cl->lock);
	for (;;) {
		covered = cl->have_latest && cl->latest.size >= size;
		if (covered || !running || cl->stop)
			break;
		(void)pthread_cond_signal(&cl->wake);
		if (pthread_cond_timedwait(&cl->head_cond, &cl->lock, &ts) ==
		    ETIMEDOUT) {
			covered = cl->have_latest && cl->latest.size >= size;
			break;
		}
	}
	(void)pthread_mutex_unlock(&cl->lock);
	return (covered ? 0 : -1);
}

/**
 * chanlog_free(cl):
 * Stop the signer if it runs, wipe the key and free ${cl}.  NULL is a
 * no-op.  The store is the caller's.
 */
void
chanlog_free(struct chanlog *cl)
{

	if (cl == NULL)
		return;
	chanlog_signer_stop(cl);
	sodium_memzero(cl->sk, sizeof(cl->sk));
	(void)pthread_cond_destroy(&cl->wake);
	(void)pthread_cond_destroy(&cl->head_cond);
	(void)pthread_mutex_destroy(&cl->lock);
	(void)pthread_mutex_destroy(&cl->sign_lock);
	free(cl);
}
