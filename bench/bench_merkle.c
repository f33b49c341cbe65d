/*
 * bench_merkle: the cost of the RFC 9162 Merkle tree (merkle.c) over the
 * in-memory node store (merkle_mem.c), against the same run's cost of one
 * SHA-256 of a leaf, the operation every append must do at least once.
 *
 * For each tree size (10^6 and 10^7 leaves of 100 bytes by default) it
 * reports appends per second, root computation, and inclusion and
 * consistency proof generation and verification per proof, each in
 * microseconds and as a multiple of one leaf hash.  SPEC §8 asks for at
 * least 50,000 appends/s and proofs in microseconds at 10^7 entries.
 *
 * Usage: bench_merkle [SIZE...]   (sizes in leaves, up to 10^9)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "merkle.h"
#include "merkle_mem.h"

#define LEAF_BYTES 100
#define BASELINE_HASHES 2000000
#define PROOFS 20000
#define MAX_SIZE_ARG 1000000000ULL

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* A fixed-seed generator so that runs are comparable. */
static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t
rng_below(uint64_t n)
{

	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng % n);
}

/* Leaf i: 100 bytes that differ from leaf to leaf. */
static void
make_leaf(uint8_t leaf[LEAF_BYTES], uint64_t i)
{
	size_t j;

	for (j = 0; j < LEAF_BYTES; j++)
		leaf[j] = (uint8_t)(j * 31);
	memcpy(leaf, &i, sizeof(i));
}

/* Microseconds per SHA-256 of a 100-byte leaf, as merkle_leaf_hash does. */
static double
baseline_us(void)
{
	uint8_t leaf[LEAF_BYTES], out[MERKLE_HASH_BYTES];
	volatile uint8_t sink = 0;
	double t0;
	uint64_t i;

	make_leaf(leaf, 0);
	t0 = now();
	for (i = 0; i < BASELINE_HASHES; i++) {
		leaf[0] = (uint8_t)i;
		crypto_hash_sha256(out, leaf, sizeof(leaf));
		sink ^= out[0];
	}
	(void)sink;
	return ((now() - t0) * 1e6 / BASELINE_HASHES);
}

static void
row(const char *what, double us, double base)
{

	printf("  %-34s %10.3f us %10.1f /s   = %6.2fx one leaf hash\n", what,
	    us, 1e6 / us, us / base);
}

static int
bench_size(uint64_t size, double base)
{
	uint8_t leaf[LEAF_BYTES], root[MERKLE_HASH_BYTES];
	uint8_t root1[MERKLE_HASH_BYTES];
	uint8_t proof[MERKLE_MAX_PROOF * MERKLE_HASH_BYTES];
	uint64_t *idx, *sz1, *sz2;
	struct merkle_mem *m;
	struct merkle_source src;
	double t0, t, gen, ver;
	size_t n, total_hashes = 0;
	uint64_t i;
	int rc = -1;

	idx = calloc(PROOFS, sizeof(*idx));
	sz1 = calloc(PROOFS, sizeof(*sz1));
	sz2 = calloc(PROOFS, sizeof(*sz2));
	if ((m = merkle_mem_new(size)) == NULL || idx == NULL || sz1 == NULL ||
	    sz2 == NULL) {
		fprintf(stderr, "bench_merkle: out of memory\n");
		goto done;
	}
	merkle_mem_source(m, &src);
	printf("== %" PRIu64 " leaves of %d bytes ==\n", size, LEAF_BYTES);

	/* Appends: leaf hash plus the carries, stored in memory. */
	t0 = now();
	for (i = 0; i < size; i++) {
		make_leaf(leaf, i);
		if (merkle_mem_append(m, leaf, sizeof(leaf)) != 0) {
			fprintf(stderr, "bench_merkle: append failed\n");
			goto done;
		}
	}
	t = now() - t0;
	row("append", t * 1e6 / (double)size, base);
	printf("  %-34s %10.1f MiB of node hashes\n", "memory",
	    (double)merkle_mem_bytes(m) / (1024.0 * 1024.0));

	/* Root at random sizes (one node read per set bit of the size). */
	t0 = now();
	for (i = 0; i < PROOFS; i++)
		if (merkle_root(&src, 1 + rng_below(size), root) != 0)
			goto fail;
	row("root at a random size", (now() - t0) * 1e6 / PROOFS, base);
	if (merkle_root(&src, size, root) != 0)
		goto fail;

	/* Inclusion proofs of random leaves in the whole tree. */
	for (i = 0; i < PROOFS; i++)
		idx[i] = rng_below(size);
	gen = ver = 0;
	for (i = 0; i < PROOFS; i++) {
		uint8_t lh[MERKLE_HASH_BYTES];

		make_leaf(leaf, idx[i]);
		if (merkle_leaf_hash(lh, leaf, sizeof(leaf)) != 0)
			goto fail;
		t0 = now();
		if (merkle_inclusion_proof(
			&src, idx[i], size, proof, MERKLE_MAX_PROOF, &n) != 0)
			goto fail;
		t = now();
		if (merkle_inclusion_verify(lh, idx[i], size, proof, n, root) !=
		    0)
			goto fail;
		gen += t - t0;
		ver += now() - t;
		total_hashes += n;
	}
	row("inclusion proof: generate", gen * 1e6 / PROOFS, base);
	row("inclusion proof: verify", ver * 1e6 / PROOFS, base);
	printf("  %-34s %10.1f hashes\n", "inclusion proof: mean length",
	    (double)total_hashes / PROOFS);

	/* Consistency proofs from random older sizes to random newer ones. */
	for (i = 0; i < PROOFS; i++) {
		sz2[i] = 2 + rng_below(size - 1);
		sz1[i] = 1 + rng_below(sz2[i] - 1);
	}
	gen = ver = 0;
	total_hashes = 0;
	for (i = 0; i < PROOFS; i++) {
		if (merkle_root(&src, sz1[i], root1) != 0 ||
		    merkle_root(&src, sz2[i], root) != 0)
			goto fail;
		t0 = now();
		if (merkle_consistency_proof(
			&src, sz1[i], sz2[i], proof, MERKLE_MAX_PROOF, &n) != 0)
			goto fail;
		t = now();
		if (merkle_consistency_verify(
			sz1[i], sz2[i], root1, root, proof, n) != 0)
			goto fail;
		gen += t - t0;
		ver += now() - t;
		total_hashes += n;
	}
	row("consistency proof: generate", gen * 1e6 / PROOFS, base);
	row("consistency proof: verify", ver * 1e6 / PROOFS, base);
	printf("  %-34s %10.1f hashes\n", "consistency proof: mean length",
	    (double)total_hashes / PROOFS);
	rc = 0;
	goto done;

fail:
	fprintf(
	    stderr, "bench_merkle: a proof failed at size %" PRIu64 "\n", size);
done:
	merkle_mem_free(m);
	free(idx);
	free(sz1);
	free(sz2);
	return (rc);
}

int
main(int argc, char *argv[])
{
	static const uint64_t defaults[] = {1000000, 10000000};
	unsigned long long v;
	double base;
	char *end;
	int i;

	if (sodium_init() < 0)
		return (1);
	for (i = 1; i < argc; i++) {
		v = strtoull(argv[i], &end, 10);
		if (*end != '\0' || v < 2 || v > MAX_SIZE_ARG) {
			fprintf(stderr,
			    "usage: bench_merkle [SIZE...] "
			    "(2..%llu)\n",
			    MAX_SIZE_ARG);
			return (2);
		}
	}

	base = baseline_us();
	printf("Merkle tree (RFC 9162, SHA-256) over merkle_mem\n");
	printf("baseline: one SHA-256 of a %d-byte leaf = %.3f us "
	       "(%.0f /s)\n",
	    LEAF_BYTES, base, 1e6 / base);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (bench_size(strtoull(argv[i], NULL, 10), base) != 0)
				return (1);
	} else {
		for (i = 0; i < 2; i++)
			if (bench_size(defaults[i], base) != 0)
				return (1);
	}
	return (0);
}
