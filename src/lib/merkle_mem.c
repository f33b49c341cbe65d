#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merkle.h"
#include "merkle_mem.h"

/* First allocation of a level, in nodes; it doubles from there. */
#define MERKLE_MEM_INITIAL 64

struct merkle_mem {
	uint8_t *nodes[MERKLE_MAX_LEVELS]; /* count[l] hashes, back to back */
	size_t count[MERKLE_MAX_LEVELS];   /* nodes stored at each level */
	size_t cap[MERKLE_MAX_LEVELS];     /* nodes allocated at each level */
	uint64_t size;                     /* leaves */
	uint64_t max_leaves;
};

/* The source callback: node (level, index) if stored. */
static int
mem_node(void *ctx, unsigned int level, uint64_t index,
    uint8_t out[MERKLE_HASH_BYTES])
{
	const struct merkle_mem *m = ctx;

	if (level >= MERKLE_MAX_LEVELS || index >= m->count[level])
		return (-1);
	memcpy(out, m->nodes[level] + (size_t)index * MERKLE_HASH_BYTES,
	    MERKLE_HASH_BYTES);
	return (0);
}

/*
 * Make room for one more node at level, doubling the array but never past
 * the max_leaves >> level nodes the level can ever need.
 */
static int
reserve(struct merkle_mem *m, unsigned int level)
{
	size_t limit, newcap;
	uint8_t *p;

	if (m->count[level] < m->cap[level])
		return (0);
	/* merkle_mem_new() checked that max_leaves fits a size_t. */
	limit = (size_t)(m->max_leaves >> level);
	if (m->cap[level] >= limit)
		return (-1);
	if (m->cap[level] == 0)
		newcap = MERKLE_MEM_INITIAL;
	else if (m->cap[level] > limit / 2)
		newcap = limit;
	else
		newcap = m->cap[level] * 2;
	if (newcap > limit)
		newcap = limit;
	/* limit * MERKLE_HASH_BYTES cannot overflow: see merkle_mem_new(). */
	if ((p = realloc(m->nodes[level], newcap * MERKLE_HASH_BYTES)) == NULL)
		return (-1);
	m->nodes[level] = p;
	m->cap[level] = newcap;
	return (0);
}

/**
 * merkle_mem_new(max_leaves):
 * Create an empty store that will accept at most ${max_leaves} leaves
 * (1..MERKLE_MAX_SIZE).  Return it, or NULL if ${max_leaves} is out of
 * range or cannot be addressed in memory, or on allocation failure.
 */
struct merkle_mem *
merkle_mem_new(uint64_t max_leaves)
{
	struct merkle_mem *m;

	/*
	 * The levels together hold fewer than 2 * max_leaves hashes; keep
	 * that byte count representable so no size computation can wrap.
	 */
	if (max_leaves == 0 || max_leaves > MERKLE_MAX_SIZE ||
	    max_leaves > SIZE_MAX / ((size_t)2 * MERKLE_HASH_BYTES))
		return (NULL);
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return (NULL);
	m->max_leaves = max_leaves;
	return (m);
}

/**
 * merkle_mem_append(m, leaf, len):
 * Append the leaf of ${len} bytes at ${leaf} (NULL allowed if ${len} is 0)
 * to ${m}, storing its leaf hash and every node it completes.  Return 0 on
 * success, or -1 with ${m} unchanged if the store is full, an argument is
 * NULL or memory runs out.
 */
int
merkle_mem_append(struct merkle_mem *m, const uint8_t *leaf, size_t len)
{
	uint8_t leaf_hash[MERKLE_HASH_BYTES];

	if (m == NULL || merkle_leaf_hash(leaf_hash, leaf, len) != 0)
		return (-1);
	return (merkle_mem_append_hash(m, leaf_hash));
}

/**
 * merkle_mem_append_hash(m, leaf_hash):
 * Append a leaf given by its RFC 9162 leaf hash ${leaf_hash} to ${m},
 * storing it and every node it completes.  Return 0 on success, or -1 with
 * ${m} unchanged if the store is full, an argument is NULL or memory runs
 * out.
 */
int
merkle_mem_append_hash(
    struct merkle_mem *m, const uint8_t leaf_hash[MERKLE_HASH_BYTES])
{
	struct merkle_node nodes[MERKLE_APPEND_MAX];
	struct merkle_source src;
	size_t n, i;
	unsigned int level;

	if (m == NULL || leaf_hash == NULL || m->size >= m->max_leaves)
		return (-1);
	merkle_mem_source(m, &src);
	if (merkle_append_nodes(&src, m->size, leaf_hash, nodes, &n) != 0)
		return (-1);

	/*
	 * Reserve every slot before writing any, so that a failed allocation
	 * leaves the tree as it was (a grown array is harmless).
	 */
	for (i = 0; i < n; i++) {
		/* Nodes complete in order: each is the next at its level. */
		if (nodes[i].index != m->count[nodes[i].level] ||
		    reserve(m, nodes[i].level) != 0)
			return (-1);
	}
	for (i = 0; i < n; i++) {
		level = nodes[i].level;
		memcpy(m->nodes[level] + m->count[level] * MERKLE_HASH_BYTES,
		    nodes[i].hash, MERKLE_HASH_BYTES);
		m->count[level]++;
	}
	m->size++;
	return (0);
}

/**
 * merkle_mem_size(m):
 * Return the number of leaves in ${m}.
 */
uint64_t
merkle_mem_size(const struct merkle_mem *m)
{

	return (m->size);
}

/**
 * merkle_mem_bytes(m):
 * Return the number of bytes ${m} has allocated for node hashes.
 */
size_t
merkle_mem_bytes(const struct merkle_mem *m)
{
	size_t total = 0;
	unsigned int l;

	for (l = 0; l < MERKLE_MAX_LEVELS; l++)
		total += m->cap[l] * MERKLE_HASH_BYTES;
	return (total);
}

/**
 * merkle_mem_source(m, src):
 * Fill ${src} so that it reads the nodes of ${m}.  It stays valid until
 * ${m} is freed and sees later appends.
 */
void
merkle_mem_source(struct merkle_mem *m, struct merkle_source *src)
{

	src->node = mem_node;
	src->ctx = m;
}

/**
 * merkle_mem_free(m):
 * Free ${m}; do nothing if ${m} is NULL.
 */
void
merkle_mem_free(struct merkle_mem *m)
{
	unsigned int l;

	if (m == NULL)
		return;
	for (l = 0; l < MERKLE_MAX_LEVELS; l++)
		free(m->nodes[l]);
	free(m);
}
