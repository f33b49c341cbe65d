/*
 * Fuzz target: a serialised ring signature from untrusted bytes (the
 * server verifies every anonymous signature posted to it; an auditor every
 * one it downloads).  The input is the signature; the ring and message are
 * those of the signatures of tests/vectors/ring.json for the ring size the
 * input's length implies (the corpus holds those signatures and
 * variations), so mutations of valid signatures reach the whole
 * verification.  Anything that verifies must be exactly the signature the
 * vectors' signer makes: otherwise the fuzzer has found a forgery or a
 * second encoding of a signature.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keys.h"
#include "ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NMEMBERS 6
#define MAX_RING NMEMBERS

/* The signatures of ring.json: ring (member indices), signer, message. */
struct fcase {
	size_t n;
	size_t ring[MAX_RING];
	size_t signer;
	const char *memo_id;
	uint64_t tree_size;
	int version; /* 1 or 2: which version hash the binding names */
	uint8_t seed;
};

static const struct fcase cases[] = {
    {2, {0, 1}, 0, "d_0000000000000000000000ff", 1, 1, 0x70},
    {3, {2, 5, 1}, 2, "d_0000000000000000000000ff", 7, 2, 0x71},
    {6, {5, 4, 3, 2, 1, 0}, 4, "d_5e1f0c2a9b8d7e6f40312233", 1099511627779ULL,
	1, 0x72},
};

static uint8_t sks[NMEMBERS][32], pks[NMEMBERS][32];
static int ready;

static void
init(void)
{
	struct keys_secret ks;
	uint8_t seed[KEYS_SEED_BYTES];
	size_t i;

	if (sodium_init() < 0)
		abort();
	for (i = 0; i < NMEMBERS; i++) {
		memset(seed, (int)(0xa0 + i), sizeof(seed));
		if (keys_derive(&ks, seed) != 0)
			abort();
		memcpy(sks[i], ks.ring_sk, 32);
		memcpy(pks[i], ks.pub.ring_pk, 32);
		keys_wipe(&ks);
	}
	ready = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t again[RING_SIG_BYTES(MAX_RING)];
	uint8_t ring[MAX_RING][32], vh[32], binding[RING_BINDING_BYTES];
	uint8_t wb[RING_BINDING_BYTES], tag[RING_TAG_BYTES], seed[32];
	const struct fcase *fc = NULL;
	size_t n, i;
	int parsed;

	if (!ready)
		init();
	parsed = ring_sig_parse(data, size, MAX_RING, &n, tag) == 0;
	/* Every parsed signature has a withdrawal binding. */
	memset(vh, 0, sizeof(vh));
	if (parsed && ring_binding_withdrawal(wb, vh, data, size) != 0)
		abort();
	if (!parsed)
		return (0);
	if (size != RING_SIG_BYTES(n) || n < RING_MIN || n > MAX_RING)
		abort();

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (cases[i].n == n)
			fc = &cases[i];
	if (fc == NULL)
		return (0);
	for (i = 0; i < n; i++)
		memcpy(ring[i], pks[fc->ring[i]], 32);
	/* The vectors' version hashes: 00 01 .. 1f and ff fe .. e0. */
	for (i = 0; i < 32; i++)
		vh[i] = (uint8_t)(fc->version == 1 ? i : 0xff - i);
	ring_binding_version(binding, vh);
	if (ring_verify(data, size, (const uint8_t(*)[32])ring, n, MAX_RING,
		fc->memo_id, binding, fc->tree_size, NULL) != 0)
		return (0);

	/* Verified: it must be the one signature the vectors made. */
	memset(seed, fc->seed, sizeof(seed));
	if (ring_sign_with_seed(again, size, (const uint8_t(*)[32])ring, n,
		fc->signer, sks[fc->ring[fc->signer]], fc->memo_id, binding,
		fc->tree_size, seed) != 0)
		abort();
	if (memcmp(again, data, size) != 0)
		abort();
	return (0);
}
