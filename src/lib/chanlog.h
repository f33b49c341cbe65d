#ifndef CHANLOG_H_
#define CHANLOG_H_

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "merkle.h"
#include "store.h"
#include "treehead.h"

/*
 * The server side of the channel log (docs/PROTOCOL.md, "Merkle log" and
 * "Log events"; docs/API.md, "Log"): events appended to the store, signed
 * tree heads, and proofs, all computed from the nodes the store holds
 * (merkle.h over a struct merkle_source that reads the store).
 *
 * Appends run inside the caller's store transaction, so that a change and
 * its event commit or roll back together; the handle keeps no state about
 * the tree between calls, so a rolled-back append leaves nothing behind.
 * Within one call the right edge of the tree (the "frontier", at most 64
 * nodes) is kept in memory, so a batch reads at most that many nodes.
 *
 * Tree heads: chanlog_sign() signs the current size when the log has grown
 * since the last signed head (or none exists), with a root recomputed from
 * the store (never a cached one) and only after checking, by a consistency
 * proof read from the store, that the tree extends the last signed head.
 * Every signed head is stored.  Head timestamps are Unix seconds and never
 * go backwards.  chanlog_signer_start() runs a thread that does this at
 * most every interval; chanlog_wait_for_head() lets a caller wait until a
 * head covers its event, so a reply can promise that it does.
 *
 * chanlog_open() checks, cheaply, that the stored log is what was last
 * signed: the latest head verifies under the server key, the root
 * recomputed from the stored nodes at its size equals its root, and the
 * log holds at least that many entries.  A full check of every entry is
 * the auditor's job (`dissent audit`).
 *
 * A handle may be used from several threads, but chanlog_sign() and
 * chanlog_wait_for_head() must never be called inside a store transaction
 * while the signer thread runs (the signer needs the store to sign).
 * Return values: CHANLOG_OK, CHANLOG_NOTFOUND where documented, CHANLOG_ERR
 * on failure (store errors are reported by the store; the handle's own
 * through its report hook).
 */
#define CHANLOG_OK 0
#define CHANLOG_ERR (-1)
#define CHANLOG_NOTFOUND 1

/* Most events one chanlog_append_batch() takes. */
#define CHANLOG_BATCH_MAX 1000
/* Longest error message chanlog_open() writes. */
#define CHANLOG_ERR_MAX 256
/* Bounds of the signer's interval, in milliseconds. */
#define CHANLOG_INTERVAL_MIN 1
#define CHANLOG_INTERVAL_MAX 60000

struct chanlog;

/**
 * chanlog_open(cl, s, instance_id, sk, err, errcap):
 * Open the channel log kept in ${s} for the instance ${instance_id} (1 to
 * TREEHEAD_INSTANCE_ID_MAX bytes), whose heads are signed with the Ed25519
 * secret key ${sk} (libsodium's 64-byte form; copied, and wiped by
 * chanlog_free()), after checking the stored log against its latest signed
 * head as described above.  Return 0 and the handle in ${cl}, or -1 with a
 * message in ${err} saying what is wrong (tampering, rollback).
 */
int chanlog_open(struct chanlog **cl, struct store *s, const char *instance_id,
    const uint8_t sk[TREEHEAD_SK_BYTES], char *err, size_t errcap)
    __attribute__((warn_unused_result));

/**
 * chanlog_set_report(cl, fn, ctx):
 * Send the handle's error messages to ${fn}(${ctx}, message) (NULL: to
 * standard error as "chanlog: message").
 */
void chanlog_set_report(
    struct chanlog *cl, void (*fn)(void *ctx, const char *msg), void *ctx);

/**
 * chanlog_set_clock(cl, now_fn):
 * Take the time of the heads the signer thread and chanlog_wait_for_head()
 * sign from ${now_fn}() (Unix seconds; NULL: the real time), so that heads
 * and the events they cover are stamped by one clock.  Call before
 * chanlog_signer_start().
 */
void chanlog_set_clock(struct chanlog *cl, int64_t (*now_fn)(void));

/**
 * chanlog_append(cl, ev, index):
 * Append the event ${ev} (time set by the caller) to the log, inside the
 * caller's store transaction, and store its index in ${index}.  A key event
 * (member_enrolled, keys_rotated) also records the entry as the one that
 * published that key epoch, which must already be in the key history.
 * Return CHANLOG_OK, or CHANLOG_ERR if the event does not encode or the
 * store refuses (the caller then rolls back).
 */
int chanlog_append(struct chanlog *cl, const struct event *ev, uint64_t *index)
    __attribute__((warn_unused_result));

/**
 * chanlog_append_batch(cl, evs, n, first):
 * As chanlog_append() for the ${n} (1 to CHANLOG_BATCH_MAX) events ${evs},
 * appended in order with one store call; the index of the first is stored
 * in ${first}.  All or nothing.
 */
int chanlog_append_batch(struct chanlog *cl, const struct event *evs, size_t n,
    uint64_t *first) __attribute__((warn_unused_result));

/**
 * chanlog_sign(cl, now, signed_new):
 * If the log has grown since its latest signed head, or has none, sign a
 * head for its current size at time ${now} (Unix seconds; an earlier time
 * than the latest head's is replaced by that head's) and store it; set
 * ${signed_new} (may be NULL) to 1 if a head was signed, else 0.  Refuse
 * (CHANLOG_ERR, reported) a log that shrank or no longer extends its
 * latest head.
 */
int chanlog_sign(struct chanlog *cl, uint64_t now, int *signed_new)
    __attribute__((warn_unused_result));

/**
 * chanlog_latest(cl, th):
 * Copy the latest signed head into ${th}.  CHANLOG_NOTFOUND if none has
 * been signed yet.
 */
int chanlog_latest(struct chanlog *cl, struct treehead *th)
    __attribute__((warn_unused_result));

/**
 * chanlog_head(cl, size, th):
 * Read the stored signed head of size ${size} into ${th}.
 * CHANLOG_NOTFOUND if that size was never signed.
 */
int chanlog_head(struct chanlog *cl, uint64_t size, struct treehead *th)
    __attribute__((warn_unused_result));

/**
 * chanlog_root(cl, size, root):
 * Compute the root of the first ${size} entries from the stored nodes.
 */
int chanlog_root(struct chanlog *cl, uint64_t size,
    uint8_t root[MERKLE_HASH_BYTES]) __attribute__((warn_unused_result));

/**
 * chanlog_inclusion_proof(cl, index, size, proof, nhashes):
 * Write the RFC 9162 inclusion proof of entry ${index} in the tree of the
 * first ${size} entries, read from the store, into ${proof} and its length
 * in hashes into ${nhashes}.  CHANLOG_ERR if ${index} >= ${size}, ${size}
 * exceeds the log or a node is missing.
 */
int chanlog_inclusion_proof(struct chanlog *cl, uint64_t index, uint64_t size,
    uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES], size_t *nhashes)
    __attribute__((warn_unused_result));

/**
 * chanlog_consistency_proof(cl, size1, size2, proof, nhashes):
 * Write the RFC 9162 consistency proof between the trees of the first
 * ${size1} and ${size2} entries, read from the store, into ${proof} and its
 * length in hashes into ${nhashes}.  CHANLOG_ERR unless 0 < ${size1} <=
 * ${size2} <= the log's size, or if a node is missing.
 */
int chanlog_consistency_proof(struct chanlog *cl, uint64_t size1,
    uint64_t size2, uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES],
    size_t *nhashes) __attribute__((warn_unused_result));

/**
 * chanlog_signer_start(cl, interval_ms):
 * Start the thread that calls chanlog_sign() whenever the log has grown,
 * at most once every ${interval_ms} (CHANLOG_INTERVAL_MIN to
 * CHANLOG_INTERVAL_MAX) milliseconds, reporting failures through the
 * report hook.  The thread blocks no signal it did not inherit.  Return 0,
 * or -1 if it cannot start or is already running.
 */
int chanlog_signer_start(struct chanlog *cl, unsigned int interval_ms)
    __attribute__((warn_unused_result));

/**
 * chanlog_signer_stop(cl):
 * Stop the signer thread, after one last chanlog_sign() so that every
 * committed event is covered by a head, and wait for it.  Waiters of
 * chanlog_wait_for_head() return.  A no-op if it is not running.
 */
void chanlog_signer_stop(struct chanlog *cl);

/**
 * chanlog_wait_for_head(cl, size, timeout_ms):
 * Wait until a signed head covers the first ${size} entries, at most
 * ${timeout_ms} milliseconds, waking the signer at once (it still keeps
 * its interval).  Without a running signer, sign now instead.  Return 0
 * once covered, or -1 on timeout, failure or stop.
 */
int chanlog_wait_for_head(struct chanlog *cl, uint64_t size,
    unsigned int timeout_ms) __attribute__((warn_unused_result));

/**
 * chanlog_free(cl):
 * Stop the signer if it runs, wipe the key and free ${cl}.  NULL is a
 * no-op.  The store is the caller's.
 */
void chanlog_free(struct chanlog *cl);

#endif /* !CHANLOG_H_ */
