#ifndef MERKLE_MEM_H_
#define MERKLE_MEM_H_

#include <stddef.h>
#include <stdint.h>

#include "merkle.h"

/*
 * An in-memory node store for the Merkle tree of merkle.h: one growable
 * array of node hashes per level, for tests, benchmarks and offline tools.
 * Each array doubles as it fills but never beyond what the leaf cap given
 * at creation needs, so a store of at most max_leaves leaves never holds
 * more than 2 * max_leaves * MERKLE_HASH_BYTES bytes of hashes.  Not safe
 * for concurrent use.
 */
struct merkle_mem;

/**
 * merkle_mem_new(max_leaves):
 * Create an empty store that will accept at most ${max_leaves} leaves
 * (1..MERKLE_MAX_SIZE).  Return it, or NULL if ${max_leaves} is out of
 * range or cannot be addressed in memory, or on allocation failure.
 */
struct merkle_mem *merkle_mem_new(uint64_t max_leaves);

/**
 * merkle_mem_append(m, leaf, len):
 * Append the leaf of ${len} bytes at ${leaf} (NULL allowed if ${len} is 0)
 * to ${m}, storing its leaf hash and every node it completes.  Return 0 on
 * success, or -1 with ${m} unchanged if the store is full, an argument is
 * NULL or memory runs out.
 */
int merkle_mem_append(struct merkle_mem *m, const uint8_t *leaf, size_t len)
    __attribute__((warn_unused_result));

/**
 * merkle_mem_append_hash(m, leaf_hash):
 * Append a leaf given by its RFC 9162 leaf hash ${leaf_hash} to ${m},
 * storing it and every node it completes.  Return 0 on success, or -1 with
 * ${m} unchanged if the store is full, an argument is NULL or memory runs
 * out.
 */
int merkle_mem_append_hash(
    struct merkle_mem *m, const uint8_t leaf_hash[MERKLE_HASH_BYTES])
    __attribute__((warn_unused_result));

/**
 * merkle_mem_size(m):
 * Return the number of leaves in ${m}.
 */
uint64_t merkle_mem_size(const struct merkle_mem *m);

/**
 * merkle_mem_bytes(m):
 * Return the number of bytes ${m} has allocated for node hashes.
 */
size_t merkle_mem_bytes(const struct merkle_mem *m);

/**
 * merkle_mem_source(m, src):
 * Fill ${src} so that it reads the nodes of ${m}.  It stays valid until
 * ${m} is freed and sees later appends.
 */
void merkle_mem_source(struct merkle_mem *m, struct merkle_source *src);

/**
 * merkle_mem_free(m):
 * Free ${m}; do nothing if ${m} is NULL.
 */
void merkle_mem_free(struct merkle_mem *m);

#endif /* !MERKLE_MEM_H_ */
